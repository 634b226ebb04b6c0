/* sync/signed.c: the envelope of receipts and requests (sync/signed.h). */
#include "sync/signed.h"

#include <sodium.h>
#include <string.h>

#include "sync/wire.h"
#include "core/banned.h"

void signed_head_put(uint8_t *out, size_t len, const char magic[8])
{
	memset(out, 0, len);
	memcpy(out, magic, 8);
	wire_put32(out + 8, 1);
}

int signed_head_check(const uint8_t *buf, size_t len, size_t want, const char magic[8],
		      const char *field, const char *noun, struct err *err)
{
	if (len != want || memcmp(buf, magic, 8) != 0)
		return err_set(err, ERR_FORMAT, field, "not %s (%zu bytes)", noun, len);
	if (wire_get32(buf + 8) != 1)
		return err_set(err, ERR_VERSION, field, "%s version %u is not supported", field,
			       wire_get32(buf + 8));
	if (!wire_all_zero(buf + 12, 4))
		return err_set(err, ERR_FORMAT, field, "reserved bytes are not zero");
	return 0;
}

static void digest(const char *domain, const uint8_t *body, size_t len, uint8_t out[64])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 64);
	crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain) + 1);
	crypto_generichash_update(&st, body, len);
	crypto_generichash_final(&st, out, 64);
}

int signed_seal(const char *domain, uint8_t *buf, size_t body_len, bundle_sign_fn sign,
		void *sign_ctx, struct err *err)
{
	uint8_t d[64];
	digest(domain, buf, body_len, d);
	return sign(sign_ctx, d, buf + body_len, err);
}

int signed_check(const char *domain, const uint8_t *buf, size_t body_len, const uint8_t ed_pk[32])
{
	uint8_t d[64];
	digest(domain, buf, body_len, d);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	return crypto_sign_verify_detached(buf + body_len, d, sizeof d, ed_pk) == 0 ? 0 : -1;
#else
	(void)ed_pk;
	return 0;
#endif
}
