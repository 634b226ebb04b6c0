/* sync/request.c: enrolment and downstream requests. */
#include "sync/request.h"

#include <stdbool.h>
#include <string.h>

#include "sync/signed.h"
#include "sync/wire.h"
#include "core/valid.h"
#include "core/banned.h"

#define ENROL_DOMAIN "posyandu/v1/enrol"
#define PULL_DOMAIN "posyandu/v1/pull"

/* A NUL-padded text field of N bytes: printable (UTF-8 allowed when
 * UTF8) up to the first NUL, then only NULs; at least one character. */
static int text_field(const uint8_t *p, size_t n, bool utf8, char *out)
{
	size_t len = 0;
	while (len < n && p[len])
		len++;
	if (len == 0 || !wire_all_zero(p + len, n - len))
		return -1;
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] == 0x7f || (!utf8 && p[i] > 0x7e))
			return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int code_field(const uint8_t *p, char out[17])
{
	/* the rule every code was made under (core/valid.c): a code that
	 * starts with '-' would be a formula in a spreadsheet's CSV */
	if (text_field(p, 16, false, out) < 0)
		return -1;
	return valid_posyandu_code(out, NULL);
}

int enrol_make(const struct enrol_request *r, bundle_sign_fn sign, void *sign_ctx,
	       uint8_t out[ENROL_LEN], struct err *err)
{
	signed_head_put(out, ENROL_LEN, ENROL_MAGIC);
	memcpy(out + 16, r->device, 16);
	memcpy(out + 32, r->posyandu, strnlen(r->posyandu, 16));
	memcpy(out + 48, r->name, strnlen(r->name, 64));
	memcpy(out + 112, r->ed_pk, 32);
	memcpy(out + 144, r->x_pk, 32);
	wire_put64(out + 176, (uint64_t)r->time);
	memcpy(out + 184, r->app, strnlen(r->app, 16));
	memcpy(out + 200, r->district_kid, 8);
	return signed_seal(ENROL_DOMAIN, out, 208, sign, sign_ctx, err);
}

int enrol_parse(const uint8_t *buf, size_t len, struct enrol_request *r, struct err *err)
{
	memset(r, 0, sizeof *r);
	if (signed_head_check(buf, len, ENROL_LEN, ENROL_MAGIC, "request", "an enrolment request",
			      err) < 0)
		return -1;
	memcpy(r->device, buf + 16, 16);
	if (wire_all_zero(r->device, 16))
		return err_set(err, ERR_FORMAT, "request", "the device id is zero");
	if (code_field(buf + 32, r->posyandu) < 0)
		return err_set(err, ERR_FORMAT, "request", "the posyandu code is not valid");
	if (text_field(buf + 48, 64, true, r->name) < 0)
		return err_set(err, ERR_FORMAT, "request", "the posyandu name is not valid");
	memcpy(r->ed_pk, buf + 112, 32);
	memcpy(r->x_pk, buf + 144, 32);
	r->time = (int64_t)wire_get64(buf + 176);
	if (text_field(buf + 184, 16, false, r->app) < 0)
		return err_set(err, ERR_FORMAT, "request", "the app version is not valid");
	memcpy(r->district_kid, buf + 200, 8);
	if (signed_check(ENROL_DOMAIN, buf, 208, r->ed_pk) < 0)
		return err_set(err, ERR_CRYPTO, "request", "the request's self-signature does not verify");
	return 0;
}

int pull_make(const struct pull_request *r, bundle_sign_fn sign, void *sign_ctx,
	      uint8_t out[PULL_LEN], struct err *err)
{
	memcpy(out, PULL_MAGIC, 8);
	memcpy(out + 8, r->device, 16);
	wire_put64(out + 24, (uint64_t)r->time);
	wire_put64(out + 32, r->down_ack);
	return signed_seal(PULL_DOMAIN, out, 40, sign, sign_ctx, err);
}

int pull_parse(const uint8_t *buf, size_t len, struct pull_request *r, struct err *err)
{
	if (len != PULL_LEN || memcmp(buf, PULL_MAGIC, 8) != 0)
		return err_set(err, ERR_FORMAT, "request", "not a downstream request (%zu bytes)", len);
	memcpy(r->device, buf + 8, 16);
	r->time = (int64_t)wire_get64(buf + 24);
	r->down_ack = wire_get64(buf + 32);
	return 0;
}

int pull_verify(const uint8_t buf[PULL_LEN], const uint8_t ed_pk[32], struct err *err)
{
	if (signed_check(PULL_DOMAIN, buf, 40, ed_pk) < 0)
		return err_set(err, ERR_CRYPTO, "request", "the downstream request does not verify");
	return 0;
}
