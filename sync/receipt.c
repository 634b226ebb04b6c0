/* sync/receipt.c: receipts, 184 bytes, signed by the district. */
#include "sync/receipt.h"

#include <sodium.h>
#include <string.h>

#include "sync/wire.h"
#include "core/banned.h"

#define RECEIPT_DOMAIN "posyandu/v1/receipt"    /* hashed with its NUL */
#define BODY_LEN (RECEIPT_LEN - 64)

static void digest(const uint8_t *body, uint8_t out[64])
{
	static const char domain[] = RECEIPT_DOMAIN;
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 64);
	crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain);
	crypto_generichash_update(&st, body, BODY_LEN);
	crypto_generichash_final(&st, out, 64);
}

int receipt_make(const struct receipt *r, bundle_sign_fn sign, void *sign_ctx,
		 uint8_t out[RECEIPT_LEN], struct err *err)
{
	uint8_t d[64];

	memset(out, 0, RECEIPT_LEN);
	memcpy(out, RECEIPT_MAGIC, 8);
	wire_put32(out + 8, 1);
	memcpy(out + 16, r->district, 16);
	memcpy(out + 32, r->device, 16);
	memcpy(out + 48, r->bundle_hash, 32);
	wire_put64(out + 80, r->bundle_seq);
	wire_put64(out + 88, r->last_change);
	wire_put32(out + 96, r->n_new);
	wire_put32(out + 100, r->n_dup);
	wire_put64(out + 104, (uint64_t)r->server_time);
	wire_put64(out + 112, r->receipt_seq);
	digest(out, d);
	return sign(sign_ctx, d, out + BODY_LEN, err);
}

int receipt_parse(const uint8_t *buf, size_t len, struct receipt *r, struct err *err)
{
	memset(r, 0, sizeof *r);
	if (len != RECEIPT_LEN || memcmp(buf, RECEIPT_MAGIC, 8) != 0)
		return err_set(err, ERR_FORMAT, "receipt", "not a receipt (%zu bytes)", len);
	if (wire_get32(buf + 8) != 1)
		return err_set(err, ERR_VERSION, "receipt", "receipt version %u is not supported",
			       wire_get32(buf + 8));
	if (!wire_all_zero(buf + 12, 4))
		return err_set(err, ERR_FORMAT, "receipt", "reserved bytes are not zero");
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
	uint8_t d[64];
	digest(buf, d);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	if (crypto_sign_verify_detached(buf + BODY_LEN, d, sizeof d, ed_pk) != 0)
		return err_set(err, ERR_CRYPTO, "receipt",
			       "the receipt is not signed by this device's district");
#else
	(void)ed_pk;
	(void)err;
#endif
	return 0;
}
