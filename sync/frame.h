/* sync/frame.h: the bodies of bundle frames, as canonical JSON (jansson,
 * sorted keys, compact, ASCII), SECURITY.md §2.6.
 *
 *   inner header  {"app":"0.1","down_ack":0,"kind":1,"posyandu":"P-0001",
 *                  "sender":"<uuid>","seq":12,"v":1}
 *   version       {"deleted":false,"device":"<uuid>","kind":1,"lamport":41,
 *                  "merges":[{"device":"<uuid>","lamport":37}],"month":-1,
 *                  "owner":"<uuid>"|"","parent":{"device":"<uuid>","lamport":40},
 *                  "payload":"<the record's JSON, as sealed>","uuid":"<uuid>",
 *                  "vid":"<uuid>"}
 *   audit anchor  {"head":"<64 hex>","seq":88}
 *
 * Decoding is strict: an object with exactly these keys, each of its type
 * and range, no duplicate keys, nesting at most 16 deep, strings bounded. */
#ifndef POSYANDU_SYNC_FRAME_H
#define POSYANDU_SYNC_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/sync_store.h"
#include "sync/bundle.h"

#define FRAME_DEPTH_MAX 16
#define FRAME_PAYLOAD_MAX (BUNDLE_FRAME_MAX / 2)

struct frame_inner {
	int kind;
	uint8_t sender[16];
	char posyandu[17];
	uint64_t seq;
	uint64_t down_ack;
	char app[17];
};

/* Allocated JSON (free with frame_free), or NULL when out of memory. */
char *frame_inner_encode(const struct frame_inner *h);
char *frame_version_encode(const struct sync_version *v, const char *payload, size_t len);
char *frame_anchor_encode(uint64_t audit_seq, const uint8_t head[32]);
void frame_free(char *json);

/* ERR_FORMAT (field "bundle-data") when BODY is not such a frame. */
int frame_inner_decode(const uint8_t *body, size_t len, struct frame_inner *h, struct err *err);
/* *PAYLOAD is allocated (frame_free it), NUL-terminated, *PLEN bytes. */
int frame_version_decode(const uint8_t *body, size_t len, struct sync_version *v, char **payload,
			 size_t *plen, struct err *err);
int frame_anchor_decode(const uint8_t *body, size_t len, uint64_t *audit_seq, uint8_t head[32],
			struct err *err);

/* Does the JSON text nest at most MAX deep (strings skipped)? */
int frame_depth_ok(const uint8_t *s, size_t len, int max);

#endif
