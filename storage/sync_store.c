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

static int meta_get(struct store *s, const char *key, void *out, size_t size, size_t *len,
		    bool *found, struct err *err)
{
	sqlite3_stmt *st;
	int rc, n;

	*found = false;
	if (db_prepare(s->db, "SELECT value FROM meta WHERE key = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 0);
		if ((size_t)n > size) {
			sqlite3_finalize(st);
			return err_set(err, ERR_CRYPTO, NULL, "store %s too long", key);
		}
		if (n)
			memcpy(out, sqlite3_column_blob(st, 0), (size_t)n);
		*len = (size_t)n;
		*found = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "meta");
}

static int meta_put(struct store *s, const char *key, const void *value, size_t len,
		    struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, value, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "meta");
}

static int meta_u64(struct store *s, const char *key, uint64_t *v, struct err *err)
{
	uint8_t b[8];
	size_t n;
	bool found;
	*v = 0;
	if (meta_get(s, key, b, sizeof b, &n, &found, err) < 0)
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
	return meta_put(s, key, b, sizeof b, err);
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
	if (meta_get(s, "device.sign_pk", ed_pk, 32, &n1, &f1, err) < 0 ||
	    meta_get(s, "device.box_pk", x_pk, 32, &n2, &f2, err) < 0)
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
	if (meta_get(s, "device.secret", blob, sizeof blob, &n, &found, err) < 0)
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
	if (meta_put(s, "sync.district", value, 64 + klen, err) < 0 ||
	    meta_put(s, "sync.district_mac", mac, sizeof mac, err) < 0 ||
	    audit_append(s, AUDIT_KEY, s->device_id, "district key pinned (enrolment)", err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return db_commit(s->db, err);
}

int sync_district_get(struct store *s, struct sync_district *d, struct err *err)
{
	uint8_t value[64 + SYNC_KEYSTR_MAX], mac[32], want[32];
	size_t n, mn;
	bool found, mfound;

	memset(d, 0, sizeof *d);
	if (meta_get(s, "sync.district", value, sizeof value - 1, &n, &found, err) < 0)
		return -1;
	if (!found || n < 64)
		return err_set(err, ERR_NOTFOUND, "district", "this device is not enrolled");
	if (need_admin(s, err) < 0 ||
	    meta_get(s, "sync.district_mac", mac, sizeof mac, &mn, &mfound, err) < 0)
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

/* ---- versions: sealed exactly as storage/record.c seals them ---- */

static bool row_shape_ok(sqlite3_stmt *st)
{
	for (int c = 1; c <= 11; c++) {
		int t = sqlite3_column_type(st, c);
		bool blob = c == 1 || c == 3 || c == 5 || c == 7 || c == 11;
		if (c == 3 || c == 8) {
			if (t == SQLITE_NULL)
				continue;
		}
		if (blob ? (t != SQLITE_BLOB || sqlite3_column_bytes(st, c) != 16)
			 : t != SQLITE_INTEGER)
			return false;
	}
	return sqlite3_column_int64(st, 2) >= 1 && sqlite3_column_int64(st, 2) <= 255 &&
	       sqlite3_column_int64(st, 4) >= 1 && sqlite3_column_int64(st, 6) >= 0 &&
	       (sqlite3_column_type(st, 8) == SQLITE_NULL ||
		(sqlite3_column_int64(st, 8) >= 0 && sqlite3_column_int64(st, 8) <= INT32_MAX)) &&
	       (sqlite3_column_int64(st, 9) == 0 || sqlite3_column_int64(st, 9) == 1) &&
	       sqlite3_column_int64(st, 10) >= 0 && sqlite3_column_int64(st, 10) <= UINT32_MAX;
}

/* Open the row of ST (columns VCOLS). An allocated plaintext (codec_free). */
char *sync_row_open(struct store *s, sqlite3_stmt *st, struct sync_version *v, size_t *len,
		    struct err *err)
{
	uint8_t ad[AD_LEN];
	const uint8_t *nonce = sqlite3_column_blob(st, 12), *ct = sqlite3_column_blob(st, 13);
	int ct_len = sqlite3_column_bytes(st, 13);
	unsigned long long plen;
	char *plain;

	memset(v, 0, sizeof *v);
	v->seq = (uint64_t)sqlite3_column_int64(st, 0);
	if (!row_shape_ok(st) || sqlite3_column_bytes(st, 12) != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
	    ct_len < (int)crypto_aead_xchacha20poly1305_ietf_ABYTES) {
		err_set(err, ERR_CRYPTO, NULL, "version %llu: malformed row", (unsigned long long)v->seq);
		return NULL;
	}
	col16(st, 1, v->uuid);
	v->kind = sqlite3_column_int(st, 2);
	col16(st, 3, v->owner);
	v->lamport = (uint64_t)sqlite3_column_int64(st, 4);
	col16(st, 5, v->device);
	v->parent.lamport = (uint64_t)sqlite3_column_int64(st, 6);
	col16(st, 7, v->parent.device);
	v->month = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8);
	v->deleted = sqlite3_column_int(st, 9) != 0;
	col16(st, 11, v->vid);
	make_ad(ad, v, (uint32_t)sqlite3_column_int64(st, 10));
	if (!(plain = codec_alloc((size_t)ct_len))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, &plen, NULL, ct,
						       (unsigned long long)ct_len, ad, sizeof ad,
						       nonce, s->keys->rec) != 0) {
		codec_free(plain);
		err_set(err, ERR_CRYPTO, NULL, "version %llu does not authenticate",
			(unsigned long long)v->seq);
		return NULL;
	}
	plain[plen] = '\0';
	*len = (size_t)plen;
	return plain;
}

int sync_load_merges(struct store *s, struct sync_version *v, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	v->n_merges = 0;
	if (db_prepare(s->db, "SELECT m_lamport, m_device FROM sync_merges WHERE uuid = ? AND "
			      "lamport = ? AND device = ? ORDER BY m_lamport, m_device", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, v->uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)v->lamport);
	sqlite3_bind_blob(st, 3, v->device, 16, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && v->n_merges < SYNC_MERGES_MAX) {
		v->merges[v->n_merges].lamport = (uint64_t)sqlite3_column_int64(st, 0);
		col16(st, 1, v->merges[v->n_merges].device);
		v->n_merges++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "merges");
}

int sync_each_version(struct store *s, const struct sync_filter *f, sync_version_fn fn, void *ctx,
		      struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (need_keys(s, err) < 0)
		return -1;
	if (db_prepare(s->db,
		       "SELECT " VCOLS " FROM versions v "
		       "LEFT JOIN sync_vhash h ON h.uuid = v.uuid AND h.lamport = v.lamport "
		       " AND h.device = v.device "
		       "WHERE v.seq > ?1 AND (?2 = 0 OR v.seq <= ?2) "
		       " AND (?3 IS NULL OR v.device = ?3) AND (?4 IS NULL OR h.posyandu = ?4) "
		       " AND (?5 IS NULL OR v.device != ?5) ORDER BY v.seq", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)f->after);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)f->upto);
	if (f->only_device)
		sqlite3_bind_blob(st, 3, f->only_device, 16, SQLITE_STATIC);
	if (f->posyandu)
		sqlite3_bind_text(st, 4, f->posyandu, -1, SQLITE_STATIC);
	if (f->except_device)
		sqlite3_bind_blob(st, 5, f->except_device, 16, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sync_version v;
		size_t len;
		char *plain = sync_row_open(s, st, &v, &len, err);
		if (!plain)
			goto fail;
		if (sync_load_merges(s, &v, err) < 0 || fn(ctx, &v, plain, len, err) < 0) {
			codec_free(plain);
			goto fail;
		}
		codec_free(plain);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "versions");
fail:
	sqlite3_finalize(st);
	return -1;
}

int sync_last_change(struct store *s, uint64_t *seq, struct err *err)
{
	sqlite3_stmt *st;
	int64_t v;
	if (db_prepare(s->db, "SELECT COALESCE(MAX(seq), 0) FROM versions", &st, err) < 0 ||
	    step_int(s, st, &v, "last change", err) < 0)
		return -1;
	*seq = (uint64_t)v;
	return 0;
}

int sync_audit_head(struct store *s, uint64_t *seq, uint8_t head[32], struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	*seq = 0;
	memset(head, 0, 32);
	if (db_prepare(s->db, "SELECT seq, h FROM audit ORDER BY seq DESC LIMIT 1", &st, err) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(head, sqlite3_column_blob(st, 1), 32);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "audit head");
}

/* ---- bundles made here ---- */

int sync_next_seq(struct store *s, uint64_t *seq, struct err *err)
{
	sqlite3_stmt *st;
	int64_t v;
	if (db_prepare(s->db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_exports", &st, err) < 0 ||
	    step_int(s, st, &v, "next sequence", err) < 0)
		return -1;
	*seq = (uint64_t)v;
	return 0;
}

int sync_watermark(struct store *s, uint64_t *wm, struct err *err)
{
	return meta_u64(s, "sync.watermark", wm, err);
}

int sync_export_add(struct store *s, const struct sync_export *e, struct err *err)
{
	sqlite3_stmt *st;
	char detail[96];
	int rc;

	if (need_keys(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (db_prepare(s->db, "INSERT INTO sync_exports(hash, seq, kind, recipient, first_change, "
			      "last_change, n_versions, created, path) VALUES(?,?,?,?,?,?,?,?,?)",
		       &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, e->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)e->seq);
	sqlite3_bind_int(st, 3, e->kind);
	sqlite3_bind_blob(st, 4, e->recipient, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)e->first_change);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)e->last_change);
	sqlite3_bind_int64(st, 7, e->versions);
	sqlite3_bind_int64(st, 8, e->created);
	sqlite3_bind_text(st, 9, e->path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "record export");
		goto fail;
	}
	snprintf(detail, sizeof detail, "bundle #%llu made: %u versions, changes %llu-%llu",
		 (unsigned long long)e->seq, e->versions, (unsigned long long)e->first_change,
		 (unsigned long long)e->last_change);
	if (audit_append(s, AUDIT_EXPORT, e->recipient, detail, err) < 0)
		goto fail;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
}

static int export_row(sqlite3_stmt *st, struct sync_export *e)
{
	memset(e, 0, sizeof *e);
	if (sqlite3_column_bytes(st, 0) == 32)
		memcpy(e->hash, sqlite3_column_blob(st, 0), 32);
	e->seq = (uint64_t)sqlite3_column_int64(st, 1);
	e->kind = sqlite3_column_int(st, 2);
	col16(st, 3, e->recipient);
	e->first_change = (uint64_t)sqlite3_column_int64(st, 4);
	e->last_change = (uint64_t)sqlite3_column_int64(st, 5);
	e->versions = (uint32_t)sqlite3_column_int64(st, 6);
	e->created = sqlite3_column_int64(st, 7);
	snprintf(e->path, sizeof e->path, "%s", (const char *)sqlite3_column_text(st, 8));
	e->acked = sqlite3_column_type(st, 9) != SQLITE_NULL;
	return 0;
}

#define EXPORT_COLS "hash, seq, kind, recipient, first_change, last_change, n_versions, " \
		    "created, path, acked_at"

int sync_export_find(struct store *s, const uint8_t hash[32], struct sync_export *e,
		     struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "SELECT " EXPORT_COLS " FROM sync_exports WHERE hash = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		export_row(st, e);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOTFOUND, "receipt", "no bundle with that hash was made here");
	return rc == SQLITE_ROW ? 0 : db_fail(err, s->db, rc, "export");
}

int sync_export_unacked(struct store *s, struct sync_export *e, bool *found, struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	*found = false;
	if (db_prepare(s->db, "SELECT " EXPORT_COLS " FROM sync_exports WHERE acked_at IS NULL "
			      "AND kind IN (1, 3) ORDER BY seq DESC LIMIT 1", &st, err) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		export_row(st, e);
		*found = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "export");
}

int sync_export_delivered(struct store *s, const uint8_t hash[32], const char *where,
			  struct err *err)
{
	sqlite3_stmt *st;
	char detail[96];
	uint8_t obj[16];
	int rc;

	if (need_keys(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (db_prepare(s->db, "UPDATE sync_exports SET delivered = ? WHERE hash = ?", &st, err) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, where, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "export delivered");
		goto fail;
	}
	memcpy(obj, hash, 16);
	snprintf(detail, sizeof detail, "bundle delivered: %.80s", where);
	if (audit_append(s, AUDIT_EXPORT, obj, detail, err) < 0)
		goto fail;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
}

/* Move *WM over every acknowledged range that starts at or before *WM + 1. */
static int advance(struct store *s, const char *table_sql, uint64_t *wm, struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, table_sql, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t first = (uint64_t)sqlite3_column_int64(st, 0);
		uint64_t last = (uint64_t)sqlite3_column_int64(st, 1);
		if (first <= *wm + 1 && last > *wm)
			*wm = last;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "watermark");
}

int sync_receipt_apply(struct store *s, const uint8_t hash[32], const uint8_t *receipt,
		       size_t len, bool *already, uint64_t *watermark, struct err *err)
{
	struct sync_export e;
	sqlite3_stmt *st;
	char detail[96];
	uint64_t wm;
	int rc;

	*already = false;
	if (need_keys(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (sync_export_find(s, hash, &e, err) < 0 || sync_watermark(s, &wm, err) < 0)
		goto fail;
	if (e.acked) {
		*already = true;
		if (watermark)
			*watermark = wm;
		db_rollback(s->db);
		return 0;
	}
	if (db_prepare(s->db, "UPDATE sync_exports SET receipt = ?, acked_at = ? WHERE hash = ?",
		       &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, receipt, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)clock_now());
	sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "receipt");
		goto fail;
	}
	if (advance(s, "SELECT first_change, last_change FROM sync_exports WHERE acked_at IS NOT NULL "
		       "AND kind IN (1, 3) ORDER BY first_change", &wm, err) < 0 ||
	    meta_put_u64(s, "sync.watermark", wm, err) < 0)
		goto fail;
	snprintf(detail, sizeof detail, "receipt for bundle #%llu; watermark %llu",
		 (unsigned long long)e.seq, (unsigned long long)wm);
	if (audit_append(s, AUDIT_IMPORT, e.recipient, detail, err) < 0)
		goto fail;
	if (watermark)
		*watermark = wm;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
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
	sqlite3_stmt *st;
	size_t nh = 0;
	int64_t nv;
	int rc;

	crypto_generichash_init(&h, NULL, 0, 32);
	if (db_prepare(s->db, "SELECT uuid, lamport, device, deleted FROM heads ORDER BY uuid",
		       &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t row[16 + 8 + 16 + 1];
		col16(st, 0, row);
		be(row + 16, (uint64_t)sqlite3_column_int64(st, 1), 8);
		col16(st, 2, row + 24);
		row[40] = (uint8_t)sqlite3_column_int(st, 3);
		crypto_generichash_update(&h, row, sizeof row);
		nh++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "digest");
	crypto_generichash_final(&h, digest, 32);
	if (db_prepare(s->db, "SELECT count(*) FROM versions", &st, err) < 0 ||
	    step_int(s, st, &nv, "count", err) < 0)
		return -1;
	if (versions)
		*versions = (size_t)nv;
	if (heads)
		*heads = nh;
	return 0;
}

int sync_record_origins(struct store *s, int kind, struct sync_origin **out, size_t *n,
			struct err *err)
{
	struct sync_origin *items = NULL, *grown;
	size_t count = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(s->db, "SELECT uuid, device FROM heads WHERE kind = ? AND deleted = 0",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_int(st, 1, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 1) != 16)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(grown = realloc(items, cap * sizeof *items))) {
				sqlite3_finalize(st);
				free(items);
				return err_set(err, ERR_NOMEM, NULL, "out of memory");
			}
			items = grown;
		}
		memcpy(items[count].uuid, sqlite3_column_blob(st, 0), 16);
		memcpy(items[count].device, sqlite3_column_blob(st, 1), 16);
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(items);
		return db_fail(err, s->db, rc, "origins");
	}
	*out = items;
	*n = count;
	return 0;
}
