/* sync/receipt.c: receipts, 184 bytes, signed by the district. */
#include "sync/receipt.h"

#include <string.h>

#include "sync/signed.h"
#include "sync/wire.h"
#include "core/banned.h"

#define RECEIPT_DOMAIN "posyandu/v1/receipt"    /* hashed with its NUL */
#define BODY_LEN (RECEIPT_LEN - 64)

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
