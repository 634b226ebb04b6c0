/* storage/sync_device.c: the devices enrolled with this district server
 * (SECURITY.md §2.6): requests, approval, revocation and the counters each
 * device's bundles move. */
#include "storage/sync_store.h"
#include "storage/sync_internal.h"
#include "storage/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/banned.h"

/* ---- enrolled devices ---- */

const char *sync_device_status_name(int status)
{
	switch (status) {
	case SYNC_DEV_PENDING: return "pending";
	case SYNC_DEV_APPROVED: return "approved";
	case SYNC_DEV_REVOKED: return "revoked";
	}
	return "?";
}

#define DEVICE_COLS "id, posyandu, name, ed_pk, x_pk, status, requested_at, " \
		    "COALESCE(approved_at, 0), COALESCE(revoked_at, 0), max_seq, max_lamport, down_ack"

static int device_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct sync_device *d = item;

	(void)ctx, (void)err;
	memset(d, 0, sizeof *d);
	db_col16(st, 0, d->id);
	snprintf(d->posyandu, sizeof d->posyandu, "%s", (const char *)dbq_text(st, 1));
	snprintf(d->name, sizeof d->name, "%s", (const char *)dbq_text(st, 2));
	if (dbq_bytes(st, 3) == 32)
		memcpy(d->ed_pk, dbq_blob(st, 3), 32);
	if (dbq_bytes(st, 4) == 32)
		memcpy(d->x_pk, dbq_blob(st, 4), 32);
	d->status = dbq_int(st, 5);
	d->requested_at = dbq_int64(st, 6);
	d->approved_at = dbq_int64(st, 7);
	d->revoked_at = dbq_int64(st, 8);
	d->max_seq = (uint64_t)dbq_int64(st, 9);
	d->max_lamport = (uint64_t)dbq_int64(st, 10);
	d->down_ack = (uint64_t)dbq_int64(st, 11);
	return 0;
}

int sync_device_get(struct store *s, const uint8_t id[16], struct sync_device *d, struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT " DEVICE_COLS " FROM sync_devices WHERE id = ?", &st, "device",
			DB_ARGS(DB_UUID(id)), err);
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, "device", "no such device");
	if (rc < 0)
		return -1;
	device_row(NULL, st, d, err);
	db_done(st);
	return 0;
}

/* The pending requests of CODE and of the whole district, counted inside
 * the caller's transaction (so the cap and the insert cannot race). */
static int pending_counts(struct store *s, const char *code, long long *of_code,
			  long long *total, struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN posyandu = ? THEN 1 ELSE 0 END), 0) FROM sync_devices "
			"WHERE status = 1", &st, "pending devices", DB_ARGS(DB_TEXT(code)), err);
	if (rc <= 0)
		return rc < 0 ? -1 : err_set(err, ERR_DB, "device", "no count");
	*total = dbq_int64(st, 0);
	*of_code = dbq_int64(st, 1);
	db_done(st);
	return 0;
}

int sync_device_add(struct store *s, const struct sync_device *d, const uint8_t *request,
		    size_t len, bool *existed, struct err *err)
{
	return sync_device_add_capped(s, d, request, len, 0, 0, existed, err);
}

int sync_device_add_capped(struct store *s, const struct sync_device *d, const uint8_t *request,
			   size_t len, unsigned max_of_code, unsigned max_total, bool *existed,
			   struct err *err)
{
	struct sync_device old;
	struct err e2 = { 0 };
	char detail[96];
	long long of_code = 0, total = 0;
	int rc;

	*existed = false;
	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (sync_device_get(s, d->id, &old, &e2) == 0) {
		db_rollback(s->db);
		if (sodium_memcmp(old.ed_pk, d->ed_pk, 32) || sodium_memcmp(old.x_pk, d->x_pk, 32))
			return err_set(err, ERR_EXISTS, "device",
				       "a device with this id is enrolled with other keys");
		*existed = true;
		return 0;
	}
	if (e2.code != ERR_NOTFOUND) {
		if (err)
			*err = e2;
		db_rollback(s->db);
		return -1;
	}
	if (max_of_code || max_total) {
		if (pending_counts(s, d->posyandu, &of_code, &total, err) < 0) {
			db_rollback(s->db);
			return -1;
		}
		if ((max_of_code && of_code >= max_of_code) || (max_total && total >= max_total)) {
			db_rollback(s->db);
			return max_of_code && of_code >= max_of_code
				? err_set(err, ERR_FULL, "enrol-cap", "%lld enrolment requests of %s are "
					  "pending already (at most %u): the district officer approves "
					  "or removes them first", of_code, d->posyandu, max_of_code)
				: err_set(err, ERR_FULL, "enrol-cap", "%lld enrolment requests are pending "
					  "already (at most %u in the district)", total, max_total);
		}
	}
	rc = db_run(s->db, "INSERT INTO sync_devices(id, posyandu, name, ed_pk, x_pk, status, "
		    "requested_at, request) VALUES(?,?,?,?,?,1,?,?)", "add device",
		    DB_ARGS(DB_UUID(d->id), DB_TEXT(d->posyandu), DB_TEXT(d->name),
			    DB_BLOB(d->ed_pk, 32), DB_BLOB(d->x_pk, 32), DB_INT(d->requested_at),
			    DB_BLOB(request, len)), err);
	snprintf(detail, sizeof detail, "device of %s requests enrolment", d->posyandu);
	return audit_commit(s, rc, AUDIT_KEY, d->id, detail, err);
}

int sync_device_list(struct store *s, struct sync_device **out, size_t *n, struct err *err)
{
	return db_collect(s->db, "SELECT " DEVICE_COLS " FROM sync_devices ORDER BY posyandu, id",
			  DB_NOARGS, sizeof **out, device_row, NULL, (void **)out, n, "devices", err);
}

int sync_device_find(struct store *s, const char *hex, uint8_t id[16], struct err *err)
{
	struct sync_device *all;
	size_t n, len = strlen(hex), hits = 0;
	char buf[33];

	if (len < 4 || len > 32 || strspn(hex, "0123456789abcdefABCDEF") != len)
		return err_set(err, ERR_FORMAT, "device", "a device id is 4 to 32 hex digits");
	if (sync_device_list(s, &all, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		static const char digits[] = "0123456789abcdef";
		for (int b = 0; b < 16; b++) {
			buf[2 * b] = digits[all[i].id[b] >> 4];
			buf[2 * b + 1] = digits[all[i].id[b] & 15];
		}
		buf[32] = '\0';
		if (strncasecmp(buf, hex, len) == 0 && hits++ == 0)
			memcpy(id, all[i].id, 16);
	}
	free(all);
	if (hits == 0)
		return err_set(err, ERR_NOTFOUND, "device", "no device %s", hex);
	if (hits > 1)
		return err_set(err, ERR_EXISTS, "device-prefix", "%s matches %zu devices", hex, hits);
	return 0;
}

int sync_device_ack(struct store *s, const uint8_t id[16], uint64_t ack, struct err *err)
{
	return db_run(s->db, "UPDATE sync_devices SET down_ack = ?2 WHERE id = ?1 AND down_ack < ?2",
		      "device ack", DB_ARGS(DB_UUID(id), DB_INT(ack)), err);
}

int sync_device_set_status(struct store *s, const uint8_t id[16], int status, struct err *err)
{
	return sync_device_set_status_by(s, id, status, NULL, err);
}

int sync_device_set_status_by(struct store *s, const uint8_t id[16], int status, const char *by,
			      struct err *err)
{
	struct sync_device d;
	char detail[128];
	int rc;

	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (sync_device_get(s, id, &d, err) < 0)
		goto fail;
	if (d.status == status) {
		db_rollback(s->db);
		return 0;
	}
	if (status == SYNC_DEV_APPROVED && d.status != SYNC_DEV_PENDING) {
		err_set(err, ERR_DENIED, "device-revoked", "a revoked device cannot be approved again");
		goto fail;
	}
	rc = db_run(s->db, status == SYNC_DEV_APPROVED
		    ? "UPDATE sync_devices SET status = 2, approved_at = ?2 WHERE id = ?1"
		    : "UPDATE sync_devices SET status = 3, revoked_at = ?2 WHERE id = ?1",
		    "device status", DB_ARGS(DB_UUID(id), DB_INT(clock_now())), err);
	snprintf(detail, sizeof detail, "device %s%s%.40s%s", sync_device_status_name(status),
		 by ? " by officer " : "", by ? by : "", by ? " (web)" : "");
	return audit_commit(s, rc, AUDIT_KEY, id, detail, err);
fail:
	db_rollback(s->db);
	return -1;
}

/* ---- quiz keys of devices (issue 13.2) ---- */

int sync_quizkey_put(struct store *s, const uint8_t device[16], const uint8_t box_pk[32],
		     const uint8_t sig[64], struct err *err)
{
	return db_run(s->db, "INSERT INTO sync_quizkeys(device, box_pk, sig, updated_at) "
		      "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(device) DO UPDATE SET box_pk = ?2, "
		      "sig = ?3, updated_at = ?4 WHERE box_pk IS NOT ?2 OR sig IS NOT ?3",
		      "device quiz key", DB_ARGS(DB_UUID(device), DB_BLOB(box_pk, 32),
						 DB_BLOB(sig, 64), DB_INT(clock_now())), err);
}

static int quizkey_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct sync_quizkey *k = item;

	(void)ctx, (void)err;
	if (dbq_bytes(st, 1) != 32 || dbq_bytes(st, 2) != 32 ||
	    dbq_bytes(st, 3) != 64)
		return 1;
	db_col16(st, 0, k->device);
	memcpy(k->ed_pk, dbq_blob(st, 1), 32);
	memcpy(k->box_pk, dbq_blob(st, 2), 32);
	memcpy(k->sig, dbq_blob(st, 3), 64);
	return 0;
}

int sync_quizkeys_for(struct store *s, const char *posyandu, const uint8_t except[16],
		      struct sync_quizkey **out, size_t *n, struct err *err)
{
	return db_collect(s->db, "SELECT q.device, d.ed_pk, q.box_pk, q.sig FROM sync_quizkeys q "
			  "JOIN sync_devices d ON d.id = q.device WHERE d.status = 2 AND "
			  "d.posyandu = ?1 AND q.device IS NOT ?2 ORDER BY q.device",
			  DB_ARGS(DB_TEXT(posyandu), DB_UUID(except)), sizeof **out, quizkey_row,
			  NULL, (void **)out, n, "device quiz keys", err);
}

static void sent_name(const uint8_t device[16], char name[64])
{
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, device, 16);
	snprintf(name, 64, "sync.quizkeys_sent.%s", hex);
}

int sync_quizkeys_sent(struct store *s, const uint8_t device[16], uint8_t digest[32],
		       bool *found, struct err *err)
{
	char name[64];
	size_t len = 0;
	int rc;

	sent_name(device, name);
	rc = meta_get(s->db, name, digest, 32, &len, err);
	*found = rc == 1 && len == 32;
	return rc < 0 ? -1 : 0;
}

int sync_quizkeys_sent_put(struct store *s, const uint8_t device[16], const uint8_t digest[32],
			   struct err *err)
{
	char name[64];
	sent_name(device, name);
	return meta_put(s->db, name, digest, 32, err);
}

/* ---- a device's new keys (issue 13.10, sync/rekey.c) ---- */

int sync_device_rekey(struct store *s, const uint8_t id[16], const uint8_t old_ed[32],
		      const uint8_t ed_pk[32], const uint8_t x_pk[32], struct err *err)
{
	struct sync_device d;
	int rc;

	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (sync_device_get(s, id, &d, err) < 0)
		goto fail;
	if (d.status != SYNC_DEV_APPROVED) {
		err_set(err, ERR_DENIED, "device", "the device is %s: only an approved device changes "
			"its key (a suspect device is revoked and enrolled again)",
			sync_device_status_name(d.status));
		goto fail;
	}
	if (sodium_memcmp(d.ed_pk, ed_pk, 32) == 0 && sodium_memcmp(d.x_pk, x_pk, 32) == 0) {
		db_rollback(s->db);        /* the same request again: done already */
		return 0;
	}
	if (sodium_memcmp(d.ed_pk, old_ed, 32) != 0) {
		err_set(err, ERR_CRYPTO, "request", "the old key is not the one enrolled for this device");
		goto fail;
	}
	rc = db_run(s->db, "UPDATE sync_devices SET ed_pk = ?, x_pk = ? WHERE id = ?", "device keys",
		    DB_ARGS(DB_BLOB(ed_pk, 32), DB_BLOB(x_pk, 32), DB_UUID(id)), err);
	return audit_commit(s, rc, AUDIT_KEY, id, "device key replaced (cross-signed request)", err);
fail:
	db_rollback(s->db);
	return -1;
}
