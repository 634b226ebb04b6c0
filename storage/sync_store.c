/* storage/sync_store.c: the store side of bundles, receipts and enrolment
 * (SECURITY.md §2.6-2.11). sync/ reads and writes through these functions;
 * the SQL and the keys stay here. This file: the device's keys, the pinned
 * district key, reading versions, bundles made here (exports, receipts, the
 * watermark), the downstream acknowledgement, the state digest and record
 * origins. Imports are in sync_import.c, enrolled devices in sync_device.c,
 * conflicts in sync_conflict.c; what they share is in sync_internal.h. */
#include "storage/sync_store.h"
#include "storage/sync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/codec.h"
#include "storage/clock.h"
#include "core/banned.h"

#define DEVKEY_DOMAIN "posyandu/v1/devkey"   /* as storage/store.c seals them */
#define PIN_DOMAIN "posyandu/v1/pin"
#define SK_LEN (crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES)

/* ---- the meta table ---- */

/* meta_get, with *FOUND for its 1. */
static int meta_find(struct store *s, const char *key, void *out, size_t size, size_t *len,
		     bool *found, struct err *err)
{
	int rc = meta_get(s->db, key, out, size, len, err);
	*found = rc == 1;
	return rc < 0 ? -1 : 0;
}

static int meta_u64(struct store *s, const char *key, uint64_t *v, struct err *err)
{
	uint8_t b[8];
	size_t n;
	bool found;
	*v = 0;
	if (meta_find(s, key, b, sizeof b, &n, &found, err) < 0)
		return -1;
	if (found && n == 8)
		for (int i = 0; i < 8; i++)
			*v = (*v << 8) | b[i];
	return 0;
}

static int meta_put_u64(struct store *s, const char *key, uint64_t v, struct err *err)
{
	uint8_t b[8];
	be(b, v, 8);
	return meta_put(s->db, key, b, sizeof b, err);
}

const char *store_dir(const struct store *s)
{
	return s->dir;
}

/* ---- the device's keys ---- */

int store_device_pubkeys(struct store *s, uint8_t ed_pk[32], uint8_t x_pk[32], struct err *err)
{
	size_t n1 = 0, n2 = 0;
	bool f1, f2;
	if (meta_find(s, "device.sign_pk", ed_pk, 32, &n1, &f1, err) < 0 ||
	    meta_find(s, "device.box_pk", x_pk, 32, &n2, &f2, err) < 0)
		return -1;
	if (!f1 || !f2 || n1 != 32 || n2 != 32)
		return err_set(err, ERR_CRYPTO, NULL, "store lacks its public keys");
	return 0;
}

/* The device secret keys (Ed25519 sk ‖ X25519 sk) in guarded memory. */
static uint8_t *device_secret(struct store *s, struct err *err)
{
	uint8_t blob[24 + SK_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	uint8_t ad[sizeof DEVKEY_DOMAIN - 1 + 16];
	unsigned long long plen;
	uint8_t *sk;
	size_t n;
	bool found;

	if (need_admin(s, err) < 0)
		return NULL;
	if (meta_find(s, "device.secret", blob, sizeof blob, &n, &found, err) < 0)
		return NULL;
	if (!found || n != sizeof blob) {
		err_set(err, ERR_CRYPTO, NULL, "store lacks its secret keys");
		return NULL;
	}
	if (!(sk = sodium_malloc(SK_LEN))) {
		err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		return NULL;
	}
	memcpy(ad, DEVKEY_DOMAIN, sizeof DEVKEY_DOMAIN - 1);
	memcpy(ad + sizeof DEVKEY_DOMAIN - 1, s->store_id, 16);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, &plen, NULL, blob + 24, n - 24, ad,
						       sizeof ad, blob, s->keys->admin) != 0 ||
	    plen != SK_LEN) {
		sodium_free(sk);
		err_set(err, ERR_CRYPTO, NULL, "the device secret keys do not open");
		return NULL;
	}
	return sk;
}

int store_device_sign(struct store *s, const uint8_t digest[64], uint8_t sig[64], struct err *err)
{
	uint8_t *sk = device_secret(s, err);
	if (!sk)
		return -1;
	crypto_sign_detached(sig, NULL, digest, 64, sk);
	sodium_free(sk);
	return 0;
}

int store_device_unseal(struct store *s, const uint8_t sealed[80], uint8_t key[32], struct err *err)
{
	uint8_t pk[32], ed[32];
	uint8_t *sk;
	int rc;

	if (store_device_pubkeys(s, ed, pk, err) < 0 || !(sk = device_secret(s, err)))
		return -1;
	rc = crypto_box_seal_open(key, sealed, 80, pk, sk + crypto_sign_SECRETKEYBYTES);
	sodium_free(sk);
	return rc == 0 ? 0 : err_set(err, ERR_CRYPTO, "bundle-key", "the file key does not open with this key");
}

/* ---- the pinned district key ---- */

static void pin_mac(const struct store *s, const uint8_t *value, size_t len, uint8_t mac[32])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, s->keys->admin, KEY_LEN, 32);
	crypto_generichash_update(&st, (const uint8_t *)PIN_DOMAIN, sizeof PIN_DOMAIN - 1);
	crypto_generichash_update(&st, s->store_id, 16);
	crypto_generichash_update(&st, value, len);
	crypto_generichash_final(&st, mac, 32);
}

int sync_district_pin(struct store *s, const struct sync_district *d, struct err *err)
{
	uint8_t value[64 + SYNC_KEYSTR_MAX], mac[32];
	size_t klen = strnlen(d->keystr, SYNC_KEYSTR_MAX - 1);

	if (need_admin(s, err) < 0)
		return -1;
	memcpy(value, d->ed_pk, 32);
	memcpy(value + 32, d->x_pk, 32);
	memcpy(value + 64, d->keystr, klen);
	pin_mac(s, value, 64 + klen, mac);
	if (db_begin(s->db, err) < 0)
		return -1;
	return audit_commit(s, meta_put(s->db, "sync.district", value, 64 + klen, err) < 0 ||
			    meta_put(s->db, "sync.district_mac", mac, sizeof mac, err) < 0 ? -1 : 0,
			    AUDIT_KEY, s->device_id, "district key pinned (enrolment)", err);
}

int sync_district_get(struct store *s, struct sync_district *d, struct err *err)
{
	uint8_t value[64 + SYNC_KEYSTR_MAX], mac[32], want[32];
	size_t n, mn;
	bool found, mfound;

	memset(d, 0, sizeof *d);
	if (meta_find(s, "sync.district", value, sizeof value - 1, &n, &found, err) < 0)
		return -1;
	if (!found || n < 64)
		return err_set(err, ERR_NOTFOUND, "district", "this device is not enrolled");
	if (need_admin(s, err) < 0 ||
	    meta_find(s, "sync.district_mac", mac, sizeof mac, &mn, &mfound, err) < 0)
		return -1;
	pin_mac(s, value, n, want);
	if (!mfound || mn != 32 || sodium_memcmp(mac, want, 32) != 0)
		return err_set(err, ERR_CRYPTO, NULL, "the pinned district key was changed");
	memcpy(d->ed_pk, value, 32);
	memcpy(d->x_pk, value + 32, 32);
	memcpy(d->keystr, value + 64, n - 64);
	d->keystr[n - 64] = '\0';
	return 0;
}

/* ---- versions ---- */

static void version_from(const struct rec_meta *m, struct sync_version *v)
{
	memset(v, 0, sizeof *v);
	v->seq = m->seq;
	memcpy(v->uuid, m->uuid, 16);
	v->kind = m->kind;
	memcpy(v->owner, m->owner, 16);
	v->lamport = m->lamport;
	memcpy(v->device, m->device, 16);
	v->parent.lamport = m->prev_lamport;
	memcpy(v->parent.device, m->prev_device, 16);
	v->month = m->month;
	v->deleted = m->deleted != 0;
	memcpy(v->vid, m->vid, 16);
}

char *sync_row_open(struct store *s, struct dbq *st, struct sync_version *v, size_t *len,
		    struct err *err)
{
	struct rec_meta m;
	char *plain = record_open_row(s, st, &m, len, err);

	version_from(&m, v);
	return plain;
}

static int merge_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct sync_ref *r = item;
	(void)ctx, (void)err;
	r->lamport = (uint64_t)dbq_int64(st, 0);
	db_col16(st, 1, r->device);
	return 0;
}

int sync_load_merges(struct store *s, struct sync_version *v, struct err *err)
{
	struct sync_ref *refs;
	size_t n;

	v->n_merges = 0;
	if (db_collect(s->db, "SELECT m_lamport, m_device FROM sync_merges WHERE uuid = ? AND "
		       "lamport = ? AND device = ? ORDER BY m_lamport, m_device LIMIT ?",
		       DB_ARGS(DB_UUID(v->uuid), DB_INT(v->lamport), DB_UUID(v->device),
			       DB_INT(SYNC_MERGES_MAX)), sizeof *refs, merge_row, NULL,
		       (void **)&refs, &n, "merges", err) < 0)
		return -1;
	if (n)
		memcpy(v->merges, refs, n * sizeof *refs);
	v->n_merges = n;
	free(refs);
	return 0;
}

int sync_merge_add(struct store *s, const uint8_t uuid[16], uint64_t lamport,
		   const uint8_t device[16], const char *code, const struct sync_ref *m,
		   struct err *err)
{
	return db_run(s->db, "INSERT OR IGNORE INTO sync_merges(uuid, lamport, device, "
		      "m_lamport, m_device, posyandu) VALUES(?,?,?,?,?,?)", "merges",
		      DB_ARGS(DB_UUID(uuid), DB_INT(lamport), DB_UUID(device), DB_INT(m->lamport),
			      DB_UUID(m->device), DB_TEXT(code)), err);
}

struct each_version {
	struct store *s;
	sync_version_fn fn;
	void *ctx;
	bool merges;               /* any merge recorded at all */
};

static int each_version_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			    struct err *err)
{
	struct each_version *e = ctx;
	struct sync_version v;

	version_from(m, &v);
	if (e->merges && sync_load_merges(e->s, &v, err) < 0)
		return -1;
	return e->fn(e->ctx, &v, json, len, err);
}

int sync_each_version(struct store *s, const struct sync_filter *f, sync_version_fn fn, void *ctx,
		      struct err *err)
{
	struct each_version e = { s, fn, ctx, false };
	int64_t any;

	/* Merges are rare (a conflict review): one look instead of one query
	 * per version when there are none (the version rows cannot change
	 * under this read, the store has one writer). */
	if (db_int(s->db, "SELECT EXISTS(SELECT 1 FROM sync_merges)", &any, "merges", DB_NOARGS,
		   err) < 0)
		return -1;
	e.merges = any != 0;
	return record_each_row(s,
			       "SELECT " VCOLS " FROM versions v "
			       "LEFT JOIN sync_vhash h ON h.uuid = v.uuid AND h.lamport = v.lamport "
			       " AND h.device = v.device "
			       "WHERE v.seq > ?1 AND (?2 = 0 OR v.seq <= ?2) "
			       " AND (v.device = ?3 OR ?3 IS NULL) AND (h.posyandu = ?4 OR ?4 IS NULL) "
			       " AND (v.device != ?5 OR ?5 IS NULL) ORDER BY v.seq",
			       DB_ARGS(DB_INT(f->after), DB_INT(f->upto), DB_UUID(f->only_device),
				       DB_TEXT(f->posyandu), DB_UUID(f->except_device)),
			       0, each_version_one, &e, "versions", err);
}

/* A count or sequence number from SQL, which takes no arguments. */
static int count_of(struct store *s, const char *sql, uint64_t *out, const char *what,
		    struct err *err)
{
	int64_t v;
	if (db_int(s->db, sql, &v, what, DB_NOARGS, err) < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int sync_last_change(struct store *s, uint64_t *seq, struct err *err)
{
	return count_of(s, "SELECT COALESCE(MAX(seq), 0) FROM versions", seq, "last change", err);
}

int sync_audit_head(struct store *s, uint64_t *seq, uint8_t head[32], struct err *err)
{
	return audit_head(s, seq, head, err);
}

/* ---- bundles made here ---- */

int sync_next_seq(struct store *s, uint64_t *seq, struct err *err)
{
	char kept[24] = "";
	size_t len = 0;
	int rc;

	if (!db_is_pg(s->db))      /* one process: the next after the last made */
		return count_of(s, "SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_exports", seq,
				"next sequence", err);
	/* Several server processes on one database (issue 16) each make
	 * downstream bundles: a number is reserved under the writers' lock,
	 * so two never take the same one (a bundle found empty leaves a gap,
	 * which the devices' order check allows). Kept in meta as decimal. */
	if (db_begin(s->db, err) < 0)
		return -1;
	rc = count_of(s, "SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_exports", seq,
		      "next sequence", err);
	if (rc == 0 && meta_get(s->db, "export.seq_reserved", kept, sizeof kept - 1, &len, err) < 0)
		rc = -1;
	if (rc == 0 && len && strtoull(kept, NULL, 10) >= *seq)
		*seq = strtoull(kept, NULL, 10) + 1;
	if (rc == 0)
		len = (size_t)snprintf(kept, sizeof kept, "%llu", (unsigned long long)*seq);
	if (rc < 0 || meta_put(s->db, "export.seq_reserved", kept, len, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return db_commit(s->db, err);
}

int sync_import_receipt_seq(struct store *s, uint64_t *rseq, struct err *err)
{
	return count_of(s, "SELECT COALESCE(MAX(rseq), 0) + 1 FROM sync_bundles", rseq,
			"receipt sequence", err);
}

int sync_watermark(struct store *s, uint64_t *wm, struct err *err)
{
	return meta_u64(s, "sync.watermark", wm, err);
}

/* The anchor an upstream bundle carried: where the audit entries of the
 * next one start once it is acknowledged (issue 13.3). */
static int export_audit_seq(struct store *s, const struct sync_export *e, struct err *err)
{
	return db_run(s->db, "UPDATE sync_exports SET audit_seq = ? WHERE hash = ?", "record export",
		      DB_ARGS(DB_INT(e->audit_seq), DB_BLOB(e->hash, 32)), err);
}

int sync_audit_since(struct store *s, bool full, uint64_t *from, struct err *err)
{
	int64_t seq = 0;

	if (!full && db_int(s->db, "SELECT COALESCE(max(audit_seq), 0) FROM sync_exports "
			    "WHERE acked_at IS NOT NULL AND kind IN (1, 3)", &seq, "audit since",
			    DB_NOARGS, err) < 0)
		return -1;
	*from = seq > 0 ? (uint64_t)seq : 1;
	return 0;
}

int sync_export_add(struct store *s, const struct sync_export *e, const char *delivered,
		    struct err *err)
{
	char detail[96], where[96];
	uint8_t obj[16];
	int rc;

	if (need_keys(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	rc = db_run(s->db, "INSERT INTO sync_exports(hash, seq, kind, recipient, first_change, "
		    "last_change, n_versions, created, path, delivered) VALUES(?,?,?,?,?,?,?,?,?,?)",
		    "record export",
		    DB_ARGS(DB_BLOB(e->hash, 32), DB_INT(e->seq), DB_INT(e->kind),
			    DB_UUID(e->recipient), DB_INT(e->first_change), DB_INT(e->last_change),
			    DB_INT(e->versions), DB_INT(e->created), DB_TEXT(e->path),
			    DB_TEXT(delivered)), err);
	if (rc == 0 && e->audit_seq)
		rc = export_audit_seq(s, e, err);
	snprintf(detail, sizeof detail, "bundle #%llu made: %u versions, changes %llu-%llu",
		 (unsigned long long)e->seq, e->versions, (unsigned long long)e->first_change,
		 (unsigned long long)e->last_change);
	if (!delivered)
		return audit_commit(s, rc, AUDIT_EXPORT, e->recipient, detail, err);
	if (rc == 0)
		rc = audit_append(s, AUDIT_EXPORT, e->recipient, detail, err);
	memcpy(obj, e->hash, 16);
	snprintf(where, sizeof where, "bundle delivered: %.80s", delivered);
	return audit_commit(s, rc, AUDIT_EXPORT, obj, where, err);
}

static int name_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	const char *path = (const char *)dbq_text(st, 0), *slash;
	(void)ctx, (void)err;
	if (!path)
		return 1;
	slash = strrchr(path, '/');
	snprintf(item, 128, "%s", slash ? slash + 1 : path);
	return 0;
}

int sync_export_acked_names(struct store *s, char (**names)[128], size_t *n, struct err *err)
{
	uint64_t wm;

	if (sync_watermark(s, &wm, err) < 0)
		return -1;
	return db_collect(s->db, "SELECT path FROM sync_exports WHERE acked_at IS NOT NULL "
			  "OR (kind IN (1, 3) AND last_change <= ?)", DB_ARGS(DB_INT(wm)), 128,
			  name_row, NULL, (void **)names, n, "acknowledged exports", err);
}

/* Fill E from the row of ST, and finalize ST. */
static void export_take(struct dbq *st, struct sync_export *e)
{
	memset(e, 0, sizeof *e);
	if (dbq_bytes(st, 0) == 32)
		memcpy(e->hash, dbq_blob(st, 0), 32);
	e->seq = (uint64_t)dbq_int64(st, 1);
	e->kind = dbq_int(st, 2);
	db_col16(st, 3, e->recipient);
	e->first_change = (uint64_t)dbq_int64(st, 4);
	e->last_change = (uint64_t)dbq_int64(st, 5);
	e->versions = (uint32_t)dbq_int64(st, 6);
	e->created = dbq_int64(st, 7);
	snprintf(e->path, sizeof e->path, "%s", (const char *)dbq_text(st, 8));
	e->acked = dbq_type(st, 9) != SQLITE_NULL;
	db_done(st);
}

#define EXPORT_COLS "hash, seq, kind, recipient, first_change, last_change, n_versions, " \
		    "created, path, acked_at"

int sync_export_find(struct store *s, const uint8_t hash[32], struct sync_export *e,
		     struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT " EXPORT_COLS " FROM sync_exports WHERE hash = ?", &st,
			"export", DB_ARGS(DB_BLOB(hash, 32)), err);
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, "receipt", "no bundle with that hash was made here");
	if (rc == 1)
		export_take(st, e);
	return rc < 0 ? -1 : 0;
}

int sync_export_unacked(struct store *s, struct sync_export *e, bool *found, struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT " EXPORT_COLS " FROM sync_exports WHERE acked_at IS NULL "
			"AND kind IN (1, 3) ORDER BY seq DESC LIMIT 1", &st, "export", DB_NOARGS, err);
	*found = rc == 1;
	if (rc == 1)
		export_take(st, e);
	return rc < 0 ? -1 : 0;
}

int sync_export_delivered(struct store *s, const uint8_t hash[32], const char *where,
			  struct err *err)
{
	char detail[96];
	uint8_t obj[16];
	int rc;

	if (need_keys(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	rc = db_run(s->db, "UPDATE sync_exports SET delivered = ? WHERE hash = ?", "export delivered",
		    DB_ARGS(DB_TEXT(where), DB_BLOB(hash, 32)), err);
	memcpy(obj, hash, 16);
	snprintf(detail, sizeof detail, "bundle delivered: %.80s", where);
	return audit_commit(s, rc, AUDIT_EXPORT, obj, detail, err);
}

/* Move *WM over every acknowledged range that starts at or before *WM + 1. */
static int advance(struct store *s, const char *table_sql, uint64_t *wm, struct err *err)
{
	struct dbq *st;
	int rc;
	if (db_prepare(s->db, table_sql, &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		uint64_t first = (uint64_t)dbq_int64(st, 0);
		uint64_t last = (uint64_t)dbq_int64(st, 1);
		if (first <= *wm + 1 && last > *wm)
			*wm = last;
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "watermark");
}

int sync_receipt_apply(struct store *s, const uint8_t hash[32], const uint8_t *receipt,
		       size_t len, bool *already, uint64_t *watermark, struct err *err)
{
	struct sync_export e;
	char detail[96];
	uint64_t wm;
	int rc;

	*already = false;
	if (need_keys(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (sync_export_find(s, hash, &e, err) < 0 || sync_watermark(s, &wm, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	if (e.acked) {
		*already = true;
		if (watermark)
			*watermark = wm;
		db_rollback(s->db);
		return 0;
	}
	rc = db_run(s->db, "UPDATE sync_exports SET receipt = ?, acked_at = ? WHERE hash = ?",
		    "receipt", DB_ARGS(DB_BLOB(receipt, len), DB_INT(clock_now()), DB_BLOB(hash, 32)),
		    err);
	if (rc == 0)
		rc = advance(s, "SELECT first_change, last_change FROM sync_exports WHERE acked_at IS NOT NULL "
			     "AND kind IN (1, 3) ORDER BY first_change", &wm, err);
	if (rc == 0)
		rc = meta_put_u64(s, "sync.watermark", wm, err);
	snprintf(detail, sizeof detail, "receipt for bundle #%llu; watermark %llu",
		 (unsigned long long)e.seq, (unsigned long long)wm);
	if (audit_commit(s, rc, AUDIT_IMPORT, e.recipient, detail, err) < 0)
		return -1;
	if (watermark)
		*watermark = wm;
	return 0;
}

/* ---- the downstream acknowledgement (bundles imported here) ---- */

int sync_down_ack(struct store *s, uint64_t *ack, struct err *err)
{
	*ack = 0;
	return advance(s, "SELECT first_change, last_change FROM sync_bundles WHERE kind = 2 "
			  "ORDER BY first_change", ack, err);
}

/* ---- state digest ---- */

int sync_state_digest(struct store *s, uint8_t digest[32], size_t *versions, size_t *heads,
		      struct err *err)
{
	crypto_generichash_state h;
	struct dbq *st;
	size_t nh = 0;
	int64_t nv;
	int rc;

	crypto_generichash_init(&h, NULL, 0, 32);
	if (db_prepare(s->db, "SELECT uuid, lamport, device, deleted FROM heads ORDER BY uuid",
		       &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		uint8_t row[16 + 8 + 16 + 1];
		db_col16(st, 0, row);
		be(row + 16, (uint64_t)dbq_int64(st, 1), 8);
		db_col16(st, 2, row + 24);
		row[40] = (uint8_t)dbq_int(st, 3);
		crypto_generichash_update(&h, row, sizeof row);
		nh++;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "digest");
	crypto_generichash_final(&h, digest, 32);
	if (db_int(s->db, "SELECT count(*) FROM versions", &nv, "count", DB_NOARGS, err) < 0)
		return -1;
	if (versions)
		*versions = (size_t)nv;
	if (heads)
		*heads = nh;
	return 0;
}

static int origin_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct sync_origin *o = item;
	(void)ctx, (void)err;
	if (dbq_bytes(st, 0) != 16 || dbq_bytes(st, 1) != 16)
		return 1;
	memcpy(o->uuid, dbq_blob(st, 0), 16);
	memcpy(o->device, dbq_blob(st, 1), 16);
	return 0;
}

int sync_record_origins(struct store *s, int kind, struct sync_origin **out, size_t *n,
			struct err *err)
{
	return db_collect(s->db, "SELECT uuid, device FROM heads WHERE kind = ? AND deleted = 0",
			  DB_ARGS(DB_INT(kind)), sizeof **out, origin_row, NULL, (void **)out, n,
			  "origins", err);
}
