/* sync/receipt.c: receipts, 184 bytes, signed by the district. */
#include "sync/receipt.h"

#include <string.h>

#include "storage/recover.h"
#include "storage/clock.h"
#include "sync/exporter.h"
#include "sync/keystr.h"
#include "sync/signed.h"
#include "sync/wire.h"
#include "core/banned.h"

#define RECEIPT_DOMAIN "posyandu/v1/receipt"    /* hashed with its NUL */
#define BODY_LEN (RECEIPT_LEN - 64)
#define KU_DOMAIN "posyandu/v1/keyupdate"
#define KU_BODY (KEYUPDATE_LEN - 64)

int receipt_make(const struct receipt *r, bundle_sign_fn sign, void *sign_ctx,
		 uint8_t out[RECEIPT_LEN], struct err *err)
{
	signed_head_put(out, RECEIPT_LEN, RECEIPT_MAGIC);
	memcpy(out + 16, r->district, 16);
	memcpy(out + 32, r->device, 16);
	memcpy(out + 48, r->bundle_hash, 32);
	wire_put64(out + 80, r->bundle_seq);
	wire_put64(out + 88, r->last_change);
	wire_put32(out + 96, r->n_new);
	wire_put32(out + 100, r->n_dup);
	wire_put64(out + 104, (uint64_t)r->server_time);
	wire_put64(out + 112, r->receipt_seq);
	return signed_seal(RECEIPT_DOMAIN, out, BODY_LEN, sign, sign_ctx, err);
}

int receipt_parse(const uint8_t *buf, size_t len, struct receipt *r, struct err *err)
{
	memset(r, 0, sizeof *r);
	if (len == RECEIPT_LEN + KEYUPDATE_LEN && memcmp(buf + RECEIPT_LEN, KEYUPDATE_MAGIC, 8) == 0)
		len = RECEIPT_LEN;     /* the key update is checked on its own */
	if (signed_head_check(buf, len, RECEIPT_LEN, RECEIPT_MAGIC, "receipt", "a receipt", err) < 0)
		return -1;
	memcpy(r->district, buf + 16, 16);
	memcpy(r->device, buf + 32, 16);
	memcpy(r->bundle_hash, buf + 48, 32);
	r->bundle_seq = wire_get64(buf + 80);
	r->last_change = wire_get64(buf + 88);
	r->n_new = wire_get32(buf + 96);
	r->n_dup = wire_get32(buf + 100);
	r->server_time = (int64_t)wire_get64(buf + 104);
	r->receipt_seq = wire_get64(buf + 112);
	return 0;
}

int receipt_verify(const uint8_t buf[RECEIPT_LEN], const uint8_t ed_pk[32], struct err *err)
{
	if (signed_check(RECEIPT_DOMAIN, buf, BODY_LEN, ed_pk) < 0)
		return err_set(err, ERR_CRYPTO, "receipt",
			       "the receipt is not signed by this device's district");
	return 0;
}

/* ---- key update (SECURITY.md §2.9) ---- */

int receipt_key_update(struct store *s, uint8_t out[KEYUPDATE_LEN], bool *has, struct err *err)
{
	uint8_t ed[32], x[32];
	uint64_t serial;

	*has = false;
	if (store_district_serial(s, &serial, err) < 0)
		return -1;
	if (serial == 0)
		return 0;
	if (store_device_pubkeys(s, ed, x, err) < 0)
		return -1;
	signed_head_put(out, KEYUPDATE_LEN, KEYUPDATE_MAGIC);
	keystr_district_id(ed, out + 16);
	memcpy(out + 32, x, 32);
	wire_put64(out + 64, serial);
	wire_put64(out + 72, (uint64_t)clock_now());
	if (signed_seal(KU_DOMAIN, out, KU_BODY, export_sign, s, err) < 0)
		return -1;
	*has = true;
	return 0;
}

int receipt_key_update_apply(struct store *s, const uint8_t *buf, size_t len,
			     const struct sync_district *dist, bool *changed, struct err *err)
{
	struct sync_district nd;
	uint8_t did[16];
	uint64_t serial, have;

	*changed = false;
	if (signed_head_check(buf, len, KEYUPDATE_LEN, KEYUPDATE_MAGIC, "keyupdate", "a key update",
			      err) < 0)
		return -1;
	keystr_district_id(dist->ed_pk, did);
	if (memcmp(did, buf + 16, 16) != 0 || signed_check(KU_DOMAIN, buf, KU_BODY, dist->ed_pk) < 0)
		return err_set(err, ERR_CRYPTO, "keyupdate",
			       "the key update is not signed by this device's district");
	serial = wire_get64(buf + 64);
	if (store_keyupdate_serial(s, &have, err) < 0)
		return -1;
	if (serial <= have || memcmp(buf + 32, dist->x_pk, 32) == 0)
		return 0;          /* old, replayed, or already pinned */
	memset(&nd, 0, sizeof nd);
	memcpy(nd.ed_pk, dist->ed_pk, 32);
	memcpy(nd.x_pk, buf + 32, 32);
	keystr_encode(KEYSTR_DISTRICT, nd.ed_pk, nd.x_pk, nd.keystr);
	/* The recovery slot first, as at enrolment: a pin without it would
	 * leave bundles going to a key the slot is not sealed to. */
	if (store_recovery_seal(s, nd.x_pk, err) < 0 || sync_district_pin(s, &nd, err) < 0 ||
	    store_keyupdate_serial_set(s, serial, err) < 0)
		return -1;
	*changed = true;
	return 0;
}
