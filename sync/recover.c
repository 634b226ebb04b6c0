/* sync/recover.c: recovery requests and the district's answer (sync/recover.h). */
#include "sync/recover.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "storage/audit.h"
#include "storage/clock.h"
#include "storage/sync_store.h"
#include "sync/exporter.h"
#include "sync/signed.h"
#include "sync/wire.h"
#include "core/banned.h"

#define RESP_DOMAIN "posyandu/v1/recover"     /* hashed with its NUL */
#define RESP_BODY (RECOVER_RESP_LEN - 64)

void recover_fingerprint(const uint8_t req[RECOVER_REQ_LEN], char out[KEYSTR_FPR_LEN])
{
	keystr_fingerprint_of("posyandu/v1/fprrecover", req, RECOVER_REQ_LEN, out);
}

int recover_fingerprint_same(const char *typed, const char *fpr)
{
	char a[32], b[32];
	size_t na = 0, nb = 0;
	for (; *typed; typed++) {
		if (*typed == ' ' || *typed == '-' || *typed == '\t' || *typed == '\n' || *typed == '\r')
			continue;
		if (na + 1 >= sizeof a)
			return 0;
		a[na++] = *typed;
	}
	for (; *fpr; fpr++)
		if (*fpr != ' ' && nb + 1 < sizeof b)
			b[nb++] = *fpr;
	return na == nb && na == 24 && memcmp(a, b, na) == 0;
}

int recover_request_make(struct store *s, const char *admin, const char *pin, size_t pin_len,
			 const struct kdf_params *kdf, uint8_t out[RECOVER_REQ_LEN],
			 char fpr[KEYSTR_FPR_LEN], struct err *err)
{
	struct recover_blobs b;
	uint8_t pk[32];

	if (store_recover_request(s, admin, pin, pin_len, kdf, pk, &b, err) < 0)
		return -1;
	signed_head_put(out, RECOVER_REQ_LEN, RECOVER_REQ_MAGIC);
	memcpy(out + 16, b.store_id, 16);
	memcpy(out + 32, store_device_id(s), 16);
	memcpy(out + 48, store_get_profile(s)->code, strnlen(store_get_profile(s)->code, 16));
	memcpy(out + 64, pk, 32);
	wire_put64(out + 96, (uint64_t)clock_now());
	memcpy(out + 104, b.district_pk, 32);
	memcpy(out + 136, b.slot, RECOVER_SLOT_LEN);
	memcpy(out + 280, b.devsecret, RECOVER_DEVSECRET_LEN);
	recover_fingerprint(out, fpr);
	return 0;
}

int recover_request_parse(const uint8_t *buf, size_t len, struct recover_request *r,
			  struct err *err)
{
	memset(r, 0, sizeof *r);
	if (signed_head_check(buf, len, RECOVER_REQ_LEN, RECOVER_REQ_MAGIC, "recover-request",
			      "a recovery request", err) < 0)
		return -1;
	memcpy(r->b.store_id, buf + 16, 16);
	memcpy(r->device, buf + 32, 16);
	memcpy(r->posyandu, buf + 48, 16);
	for (size_t i = 0; i < 16 && r->posyandu[i]; i++) {
		char c = r->posyandu[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return err_set(err, ERR_FORMAT, "recover-request", "bad posyandu code");
	}
	memcpy(r->req_pk, buf + 64, 32);
	r->created = (int64_t)wire_get64(buf + 96);
	memcpy(r->b.district_pk, buf + 104, 32);
	memcpy(r->b.slot, buf + 136, RECOVER_SLOT_LEN);
	memcpy(r->b.devsecret, buf + 280, RECOVER_DEVSECRET_LEN);
	return 0;
}

int recover_answer(struct store *s, const uint8_t *req, size_t len,
		   uint8_t out[RECOVER_RESP_LEN], struct err *err)
{
	struct recover_request r;
	struct sync_device d;
	uint8_t ed[32], x[32];
	char hex[17];

	if (recover_request_parse(req, len, &r, err) < 0)
		return -1;
	if (sync_device_get(s, r.device, &d, err) < 0) {
		if (err && err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, "device", "device %s is not enrolled here",
				wire_hex(r.device, 8, hex));
		return -1;
	}
	if (d.status != SYNC_DEV_APPROVED)
		return err_set(err, ERR_DENIED, "device", "device %s is %s, not approved",
			       wire_hex(r.device, 8, hex), sync_device_status_name(d.status));
	if (strcmp(d.posyandu, r.posyandu) != 0)
		return err_set(err, ERR_DENIED, "device", "the request says posyandu %s, the device "
			       "is enrolled for %s", r.posyandu, d.posyandu);
	if (store_device_pubkeys(s, ed, x, err) < 0)
		return -1;
	signed_head_put(out, RECOVER_RESP_LEN, RECOVER_RESP_MAGIC);
	if (store_recover_reseal(s, &r.b, r.device, d.ed_pk, d.x_pk, r.req_pk, out + 136, err) < 0)
		return -1;
	keystr_district_id(ed, out + 16);
	memcpy(out + 32, r.b.store_id, 16);
	memcpy(out + 48, r.device, 16);
	memcpy(out + 64, r.req_pk, 32);
	crypto_generichash(out + 96, 32, req, RECOVER_REQ_LEN, NULL, 0);
	wire_put64(out + 128, (uint64_t)clock_now());
	return signed_seal(RESP_DOMAIN, out, RESP_BODY, export_sign, s, err);
}

/* The response is opened before its signature is checked: the signature is
 * checked against the pinned district key, and the pin is MAC'd under
 * K_admin, which only the response holds. Nothing is written before both
 * the keys (they open this store's device keys and its audit chain) and
 * the signature have been checked; any failure wipes the keys. */
int recover_finish(struct store *s, const uint8_t *resp, size_t len, const char *pin,
		   size_t pin_len, const struct kdf_params *kdf, char admin[33], struct err *err)
{
	struct sync_district dist;
	uint8_t did[16];
	size_t entries;
	uint64_t bad;

	admin[0] = '\0';
	if (signed_head_check(resp, len, RECOVER_RESP_LEN, RECOVER_RESP_MAGIC, "recover",
			      "a recovery answer", err) < 0)
		return -1;
	if (memcmp(resp + 48, store_device_id(s), 16) != 0)
		return err_set(err, ERR_DENIED, "recover", "this answer is for another device");
	if (store_recover_open(s, resp + 64, resp + 136, pin, pin_len, admin, err) < 0)
		return -1;
	/* Now an admin pseudo-session: the pin opens (its MAC is under K_admin). */
	if (sync_district_get(s, &dist, err) < 0)
		goto fail;
	keystr_district_id(dist.ed_pk, did);
	if (memcmp(did, resp + 16, 16) != 0 || signed_check(RESP_DOMAIN, resp, RESP_BODY, dist.ed_pk) < 0) {
		err_set(err, ERR_CRYPTO, "recover", "the answer is not signed by this device's district");
		goto fail;
	}
	/* K_data: the audit chain is MAC'd under a key derived from it. */
	if (store_audit_verify(s, &entries, &bad, err) < 0) {
		err_set(err, ERR_CRYPTO, "recover", "the recovered keys do not open this store's "
			"audit log (entry %llu)", (unsigned long long)bad);
		goto fail;
	}
	if (store_user_add(s, admin, ROLE_ADMIN, pin, pin_len, kdf, err) < 0 ||
	    store_recover_done(s, resp + 64, admin, err) < 0)
		goto fail;
	store_lock(s);
	return 0;
fail:
	store_lock(s);
	return -1;
}
