/* sync/enrol.c: enrolment on both sides. */
#include "sync/enrol.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sync/exporter.h"
#include "sync/wire.h"
#include "storage/clock.h"
#include "core/banned.h"

int enrol_own_key(struct store *s, enum keystr_kind kind, char key[KEYSTR_MAX],
		  char fpr[KEYSTR_FPR_LEN], struct err *err)
{
	uint8_t ed[32], x[32];
	if (store_device_pubkeys(s, ed, x, err) < 0)
		return -1;
	keystr_encode(kind, ed, x, key);
	if (fpr)
		keystr_fingerprint(key, fpr);
	return 0;
}

int enrol_device(struct store *s, const char *key, uint8_t request[ENROL_LEN], struct err *err)
{
	struct sync_district d;
	struct enrol_request r;
	const struct store_profile *p = store_get_profile(s);

	memset(&d, 0, sizeof d);
	memset(&r, 0, sizeof r);
	if (keystr_decode(key, KEYSTR_DISTRICT, NULL, d.ed_pk, d.x_pk, err) < 0)
		return -1;
	keystr_encode(KEYSTR_DISTRICT, d.ed_pk, d.x_pk, d.keystr);
	/* The recovery slot first: pinning without it would leave a device
	 * that exports but cannot be recovered. Both are idempotent. */
	if (store_recovery_seal(s, d.x_pk, err) < 0 || sync_district_pin(s, &d, err) < 0)
		return -1;
	memcpy(r.device, store_device_id(s), 16);
	snprintf(r.posyandu, sizeof r.posyandu, "%s", p->code);
	snprintf(r.name, sizeof r.name, "%s", p->name);
	if (store_device_pubkeys(s, r.ed_pk, r.x_pk, err) < 0)
		return -1;
	r.time = clock_now();
	snprintf(r.app, sizeof r.app, "%s", POSYANDU_VERSION);
	keystr_kid(d.x_pk, r.district_kid);
	return enrol_make(&r, export_sign, s, request, err);
}

int enrol_accept(struct store *s, const uint8_t *req, size_t len, struct sync_device *d,
		 bool *existed, struct err *err)
{
	return enrol_accept_capped(s, req, len, 0, 0, d, existed, err);
}

int enrol_accept_capped(struct store *s, const uint8_t *req, size_t len, unsigned max_of_code,
			unsigned max_total, struct sync_device *d, bool *existed, struct err *err)
{
	struct enrol_request r;
	uint8_t ed[32], x[32], kid[8];

	memset(d, 0, sizeof *d);
	if (enrol_parse(req, len, &r, err) < 0 || store_device_pubkeys(s, ed, x, err) < 0)
		return -1;
	keystr_kid(x, kid);
	if (memcmp(kid, r.district_kid, 8) != 0)
		return err_set(err, ERR_CRYPTO, "request", "the request is meant for another district");
	memcpy(d->id, r.device, 16);
	snprintf(d->posyandu, sizeof d->posyandu, "%s", r.posyandu);
	snprintf(d->name, sizeof d->name, "%s", r.name);
	memcpy(d->ed_pk, r.ed_pk, 32);
	memcpy(d->x_pk, r.x_pk, 32);
	d->requested_at = clock_now();
	d->status = SYNC_DEV_PENDING;
	return sync_device_add_capped(s, d, req, len, max_of_code, max_total, existed, err);
}

void enrol_device_key(const struct sync_device *d, char key[KEYSTR_MAX], char fpr[KEYSTR_FPR_LEN])
{
	keystr_encode(KEYSTR_DEVICE, d->ed_pk, d->x_pk, key);
	keystr_fingerprint(key, fpr);
}
