/* sync/rekey.c: the device key change request and the district's answer
 * (sync/rekey.h). */
#include "sync/rekey.h"

#include <stdio.h>
#include <string.h>

#include "core/valid.h"
#include "storage/clock.h"
#include "storage/sync_store.h"
#include "sync/exporter.h"
#include "sync/signed.h"
#include "sync/wire.h"
#include "core/banned.h"

#define OLD_DOMAIN "posyandu/v1/rekey-old"
#define NEW_DOMAIN "posyandu/v1/rekey-new"
#define ANSWER_DOMAIN "posyandu/v1/rekey-answer"
#define FPR_DOMAIN "posyandu/v1/rekey-fpr"

void rekey_fingerprint(const uint8_t req[REKEY_LEN], char fpr[KEYSTR_FPR_LEN])
{
	keystr_fingerprint_of(FPR_DOMAIN, req, REKEY_LEN, fpr);
}

int rekey_parse(const uint8_t *buf, size_t len, struct rekey_request *r, struct err *err)
{
	struct err ignore = { 0 };

	memset(r, 0, sizeof *r);
	if (signed_head_check(buf, len, REKEY_LEN, REKEY_MAGIC, "request",
			      "a device key change request", err) < 0)
		return -1;
	memcpy(r->device, buf + 16, 16);
	if (wire_all_zero(r->device, 16))
		return err_set(err, ERR_FORMAT, "request", "the device id is zero");
	memcpy(r->posyandu, buf + 32, 16);
	if (valid_posyandu_code(r->posyandu, &ignore) < 0)
		return err_set(err, ERR_FORMAT, "request", "the posyandu code is not valid");
	memcpy(r->old_ed, buf + 48, 32);
	memcpy(r->old_x, buf + 80, 32);
	memcpy(r->new_ed, buf + 112, 32);
	memcpy(r->new_x, buf + 144, 32);
	r->time = (int64_t)wire_get64(buf + 176);
	memcpy(r->district_kid, buf + 184, 8);
	if (sodium_memcmp(r->old_ed, r->new_ed, 32) == 0 || sodium_memcmp(r->old_x, r->new_x, 32) == 0)
		return err_set(err, ERR_FORMAT, "request", "the new keys are the old ones");
	/* Cross-signed: the old key vouches for the new one, and the new one
	 * proves it is held (it signs the old key's signature too). */
	if (signed_check(OLD_DOMAIN, buf, 192, r->old_ed) < 0)
		return err_set(err, ERR_CRYPTO, "request", "the request is not signed by the old device key");
	if (signed_check(NEW_DOMAIN, buf, 256, r->new_ed) < 0)
		return err_set(err, ERR_CRYPTO, "request", "the request is not signed by the new device key");
	return 0;
}

int rekey_request(struct store *s, uint8_t out[REKEY_LEN], struct err *err)
{
	const struct store_profile *p = store_get_profile(s);
	struct sync_district d;

	/* Enrolled first: the request is for the district the device is pinned to. */
	if (sync_district_get(s, &d, err) < 0)
		return -1;
	signed_head_put(out, REKEY_LEN, REKEY_MAGIC);
	memcpy(out + 16, store_device_id(s), 16);
	memcpy(out + 32, p->code, strnlen(p->code, 16));
	if (store_device_pubkeys(s, out + 48, out + 80, err) < 0)
		return -1;
	/* A pair still waiting is asked for again, not replaced: the district
	 * may have switched already and only its answer was lost. */
	if (store_devkey_next(s, false, out + 112, out + 144, err) < 0) {
		if (!err || err->code != ERR_NOTFOUND)
			return -1;
		memset(err, 0, sizeof *err);
		if (store_devkey_next(s, true, out + 112, out + 144, err) < 0)
			return -1;
	}
	wire_put64(out + 176, (uint64_t)clock_now());
	keystr_kid(d.x_pk, out + 184);
	if (signed_seal(OLD_DOMAIN, out, 192, export_sign, s, err) < 0)
		return -1;
	return signed_seal(NEW_DOMAIN, out, 256, store_devkey_next_sign, s, err);
}

/* The digits of FPR, spaces and dashes left out: 24 of them, or -1. */
static int digits_of(const char *fpr, char out[25])
{
	size_t n = 0;

	for (const char *p = fpr; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n == 24)
			return -1;
		out[n++] = *p;
	}
	out[n] = '\0';
	return n == 24 ? 0 : -1;
}

int rekey_accept(struct store *s, const uint8_t *req, size_t len, const char *fpr,
		 struct rekey_request *r, uint8_t answer[REKEY_ANSWER_LEN], struct err *err)
{
	char want[KEYSTR_FPR_LEN], a[25], b[25];
	uint8_t ed[32], x[32], kid[8];

	if (rekey_parse(req, len, r, err) < 0 || store_device_pubkeys(s, ed, x, err) < 0)
		return -1;
	keystr_kid(x, kid);
	if (memcmp(kid, r->district_kid, 8) != 0)
		return err_set(err, ERR_CRYPTO, "request", "the request is meant for another district");
	rekey_fingerprint(req, want);
	if (digits_of(fpr, a) < 0 || digits_of(want, b) < 0 || strcmp(a, b) != 0)
		return err_set(err, ERR_CRYPTO, "fingerprint",
			       "the fingerprint is not the request's: do not accept it");
	if (sync_device_rekey(s, r->device, r->old_ed, r->new_ed, r->new_x, err) < 0)
		return -1;
	signed_head_put(answer, REKEY_ANSWER_LEN, REKEY_ANSWER_MAGIC);
	memcpy(answer + 16, r->device, 16);
	crypto_generichash(answer + 32, 32, req, REKEY_LEN, NULL, 0);
	memcpy(answer + 64, r->new_ed, 32);
	memcpy(answer + 96, r->new_x, 32);
	wire_put64(answer + 128, (uint64_t)clock_now());
	return signed_seal(ANSWER_DOMAIN, answer, 136, export_sign, s, err);
}

int rekey_finish(struct store *s, const uint8_t *buf, size_t len, const char *pin,
		 size_t pin_len, struct store_devkey_stats *st, struct err *err)
{
	struct sync_district d;
	uint8_t ed[32], x[32];

	if (signed_head_check(buf, len, REKEY_ANSWER_LEN, REKEY_ANSWER_MAGIC, "rekey-answer",
			      "a district answer to a key change", err) < 0 ||
	    sync_district_get(s, &d, err) < 0)
		return -1;
	if (signed_check(ANSWER_DOMAIN, buf, 136, d.ed_pk) < 0)
		return err_set(err, ERR_CRYPTO, "rekey-answer", "the answer is not signed by the district key");
	if (memcmp(buf + 16, store_device_id(s), 16) != 0)
		return err_set(err, ERR_CRYPTO, "rekey-answer", "the answer is for another device");
	if (store_devkey_next(s, false, ed, x, err) < 0)
		return -1;
	if (sodium_memcmp(buf + 64, ed, 32) != 0 || sodium_memcmp(buf + 96, x, 32) != 0)
		return err_set(err, ERR_CRYPTO, "rekey-answer",
			       "the answer is for another new key (an older request?)");
	return store_devkey_switch(s, ed, x, pin, pin_len, st, err);
}
