/* sync/frame_bin.c: the record version frame of a format 2 bundle, a fixed
 * binary layout (issue 15): the clear columns at fixed offsets, then the
 * record's payload as it was sealed. A JSON object per row cost a build,
 * a dump, a parse and a string copy on both sides for fields that are all
 * fixed-size numbers and ids; the payload inside stays the record's JSON. */
#include "sync/frame.h"

#include <string.h>

#include "sync/wire.h"
#include "core/banned.h"

#define LAMPORT_MAX (1ull << 53)

enum {
	B_UUID = 0, B_KIND = 16, B_OWNER = 17, B_LAMPORT = 33, B_DEVICE = 41, B_PLAMPORT = 57,
	B_PDEVICE = 65, B_MONTH = 81, B_FLAGS = 85, B_VID = 86, B_NMERGES = 102,
	B_MERGES = FRAME_VERSION2_FIXED,
};
#define MERGE_LEN 24               /* lamport (8) ‖ device (16) */
#define FLAG_DELETED 1u

size_t frame_version2_size(const struct sync_version *v, size_t len)
{
	return FRAME_VERSION2_FIXED + v->n_merges * MERGE_LEN + len;
}

void frame_version2_encode(const struct sync_version *v, const char *payload, size_t len,
			   uint8_t *out)
{
	uint8_t *p = out + B_MERGES;

	memcpy(out + B_UUID, v->uuid, 16);
	out[B_KIND] = (uint8_t)v->kind;
	memcpy(out + B_OWNER, v->owner, 16);
	wire_put64(out + B_LAMPORT, v->lamport);
	memcpy(out + B_DEVICE, v->device, 16);
	wire_put64(out + B_PLAMPORT, v->parent.lamport);
	memcpy(out + B_PDEVICE, v->parent.device, 16);
	wire_put32(out + B_MONTH, (uint32_t)v->month);
	out[B_FLAGS] = v->deleted ? FLAG_DELETED : 0;
	memcpy(out + B_VID, v->vid, 16);
	out[B_NMERGES] = (uint8_t)v->n_merges;
	for (size_t i = 0; i < v->n_merges; i++, p += MERGE_LEN) {
		wire_put64(p, v->merges[i].lamport);
		memcpy(p + 8, v->merges[i].device, 16);
	}
	memcpy(p, payload, len);
}

static int bad(struct err *err, const char *key, const char *why)
{
	return err_set(err, ERR_FORMAT, "bundle-data", "record: \"%s\" %s", key, why);
}

/* The same rules as the JSON frame of format 1 (frame_version_decode):
 * the ranges of every number, at most 16 merges, a payload of 1 byte to
 * FRAME_PAYLOAD_MAX without NUL that nests at most 16 deep. */
int frame_version2_decode(const uint8_t *body, size_t len, struct sync_version *v,
			  const char **payload, size_t *plen, struct err *err)
{
	uint32_t month;
	size_t nm, fixed;

	memset(v, 0, sizeof *v);
	*payload = NULL;
	*plen = 0;
	if (len < FRAME_VERSION2_FIXED)
		return bad(err, "record", "is shorter than its fixed part");
	nm = body[B_NMERGES];
	if (nm > SYNC_MERGES_MAX)
		return bad(err, "merges", "is not a short list");
	fixed = FRAME_VERSION2_FIXED + nm * MERGE_LEN;
	if (len <= fixed || len - fixed > FRAME_PAYLOAD_MAX)
		return bad(err, "payload", "is not a record payload");
	memcpy(v->uuid, body + B_UUID, 16);
	v->kind = body[B_KIND];
	if (v->kind < 1)
		return bad(err, "kind", "is not a whole number in range");
	memcpy(v->owner, body + B_OWNER, 16);
	v->lamport = wire_get64(body + B_LAMPORT);
	if (v->lamport < 1 || v->lamport > LAMPORT_MAX)
		return bad(err, "lamport", "is not a whole number in range");
	memcpy(v->device, body + B_DEVICE, 16);
	v->parent.lamport = wire_get64(body + B_PLAMPORT);
	if (v->parent.lamport > LAMPORT_MAX)
		return bad(err, "lamport", "is not a whole number in range");
	memcpy(v->parent.device, body + B_PDEVICE, 16);
	month = wire_get32(body + B_MONTH);
	if (month != UINT32_MAX && month > INT32_MAX)
		return bad(err, "month", "is not a month index");
	v->month = (int32_t)month;
	if (body[B_FLAGS] & ~FLAG_DELETED)
		return bad(err, "deleted", "is not true or false");
	v->deleted = body[B_FLAGS] & FLAG_DELETED;
	memcpy(v->vid, body + B_VID, 16);
	for (size_t i = 0; i < nm; i++) {
		const uint8_t *m = body + B_MERGES + i * MERGE_LEN;
		v->merges[i].lamport = wire_get64(m);
		if (v->merges[i].lamport > LAMPORT_MAX)
			return bad(err, "lamport", "is not a whole number in range");
		memcpy(v->merges[i].device, m + 8, 16);
	}
	v->n_merges = nm;
	if (memchr(body + fixed, 0, len - fixed))
		return bad(err, "payload", "is not a record payload");
	if (!frame_depth_ok(body + fixed, len - fixed, FRAME_DEPTH_MAX))
		return bad(err, "payload", "nests too deep");
	*payload = (const char *)body + fixed;
	*plen = len - fixed;
	return 0;
}
