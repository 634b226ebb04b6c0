/* storage/sync_store.c: the store side of bundles, receipts and enrolment
 * (SECURITY.md §2.6-2.11). sync/ reads and writes through these functions;
 * the SQL and the keys stay here. */
#include "storage/sync_store.h"
#include "storage/internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/codec.h"
#include "core/banned.h"

#define DEVKEY_DOMAIN "posyandu/v1/devkey"   /* as storage/store.c seals them */
#define REC_DOMAIN "posyandu/v1/rec"         /* as storage/record.c */
#define PIN_DOMAIN "posyandu/v1/pin"
#define VHASH_DOMAIN "posyandu/v1/vhash"
#define SK_LEN (crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES)
#define LAMPORT_MAX (1ull << 53)
#define LAMPORT_JUMP 1000000ull

/* ---- small helpers ---- */

static void be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void col16(sqlite3_stmt *st, int col, uint8_t out[16])
{
	memset(out, 0, 16);
	if (sqlite3_column_type(st, col) == SQLITE_BLOB && sqlite3_column_bytes(st, col) == 16)
		memcpy(out, sqlite3_column_blob(st, col), 16);
}

static int need_keys(const struct store *s, struct err *err)
{
	return s->keys ? 0 : err_set(err, ERR_DENIED, NULL, "store is locked");
}

static int need_admin(const struct store *s, struct err *err)
{
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	if (!s->keys->has_admin || s->user.role != ROLE_ADMIN)
		return err_set(err, ERR_DENIED, NULL, "needs an admin");
	return 0;
}

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

/* One integer from a query with optional blob/text bindings done by the caller. */
static int step_int(struct store *s, sqlite3_stmt *st, int64_t *out, const char *what,
		    struct err *err)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, what);
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

#define AD_LEN (sizeof REC_DOMAIN - 1 + 16 + 1 + 16 + 8 + 16 + 8 + 16 + 4 + 1 + 4 + 16)

static void make_ad(uint8_t ad[AD_LEN], const struct sync_version *v, uint32_t key_epoch)
{
	uint8_t *p = ad;
	memcpy(p, REC_DOMAIN, sizeof REC_DOMAIN - 1);
	p += sizeof REC_DOMAIN - 1;
	memcpy(p, v->uuid, 16);
	p += 16;
	*p++ = (uint8_t)v->kind;
	memcpy(p, v->owner, 16);
	p += 16;
	be(p, v->lamport, 8);
	p += 8;
	memcpy(p, v->device, 16);
	p += 16;
	be(p, v->parent.lamport, 8);
	p += 8;
	memcpy(p, v->parent.device, 16);
	p += 16;
	be(p, (uint32_t)v->month, 4);
	p += 4;
	*p++ = (uint8_t)v->deleted;
	be(p, key_epoch, 4);
	p += 4;
	memcpy(p, v->vid, 16);
}

#define VCOLS "v.seq, v.uuid, v.kind, v.owner, v.lamport, v.device, v.prev_lamport, " \
	      "v.prev_device, v.month, v.deleted, v.key_epoch, v.vid, v.nonce, v.ct"

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
static char *row_open(struct store *s, sqlite3_stmt *st, struct sync_version *v, size_t *len,
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

static int load_merges(struct store *s, struct sync_version *v, struct err *err)
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
		char *plain = row_open(s, st, &v, &len, err);
		if (!plain)
			goto fail;
		if (load_merges(s, &v, err) < 0 || fn(ctx, &v, plain, len, err) < 0) {
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
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
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

/* ---- bundles imported here ---- */

int sync_bundle_seen(struct store *s, const uint8_t hash[32], bool *found, uint8_t *receipt,
		     size_t *len, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	*found = false;
	*len = 0;
	if (db_prepare(s->db, "SELECT receipt FROM sync_bundles WHERE hash = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 0);
		*found = true;
		if (n > 0 && n <= SYNC_RECEIPT_MAX) {
			memcpy(receipt, sqlite3_column_blob(st, 0), (size_t)n);
			*len = (size_t)n;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "bundles");
}

int sync_import_begin(struct store *s, struct err *err)
{
	if (need_keys(s, err) < 0)
		return -1;
	return db_begin(s->db, err);
}

void sync_import_abort(struct store *s)
{
	db_rollback(s->db);
}

int sync_import_ceiling(struct store *s, const char *posyandu, uint64_t *ceiling, struct err *err)
{
	sqlite3_stmt *st;
	int64_t max;

	if (db_prepare(s->db, posyandu
		       ? "SELECT COALESCE(MAX(lamport), 0) FROM sync_vhash WHERE posyandu = ?"
		       : "SELECT COALESCE(MAX(lamport), 0) FROM versions", &st, err) < 0)
		return -1;
	if (posyandu)
		sqlite3_bind_text(st, 1, posyandu, -1, SQLITE_STATIC);
	if (step_int(s, st, &max, "lamport ceiling", err) < 0)
		return -1;
	*ceiling = (uint64_t)max + LAMPORT_JUMP;
	if (*ceiling > LAMPORT_MAX)
		*ceiling = LAMPORT_MAX;
	return 0;
}

/* The content hash: every travelling field of the version and its payload. */
static void content_hash(const struct sync_version *v, const char *payload, size_t len,
			 uint8_t out[32])
{
	crypto_generichash_state st;
	uint8_t b[8];

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)VHASH_DOMAIN, sizeof VHASH_DOMAIN - 1);
	crypto_generichash_update(&st, v->uuid, 16);
	b[0] = (uint8_t)v->kind;
	crypto_generichash_update(&st, b, 1);
	crypto_generichash_update(&st, v->owner, 16);
	be(b, v->lamport, 8);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, v->device, 16);
	be(b, v->parent.lamport, 8);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, v->parent.device, 16);
	be(b, (uint32_t)v->month, 4);
	crypto_generichash_update(&st, b, 4);
	b[0] = (uint8_t)v->deleted;
	crypto_generichash_update(&st, b, 1);
	crypto_generichash_update(&st, v->vid, 16);
	be(b, v->n_merges, 4);
	crypto_generichash_update(&st, b, 4);
	for (size_t i = 0; i < v->n_merges; i++) {
		be(b, v->merges[i].lamport, 8);
		crypto_generichash_update(&st, b, 8);
		crypto_generichash_update(&st, v->merges[i].device, 16);
	}
	be(b, len, 8);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, (const uint8_t *)payload, len);
	crypto_generichash_final(&st, out, 32);
}

static int data_fail(struct err *err, const struct sync_version *v, const char *what,
		     const struct err *inner)
{
	char u[UUID_STRLEN];
	uuid_format(v->uuid, u);
	if (inner && inner->field)
		return err_set(err, ERR_FORMAT, "bundle-data", "record %s, field %s: %s", u,
			       inner->field, inner->detail);
	return err_set(err, ERR_FORMAT, "bundle-data", "record %s: %s", u, what);
}

/* Every rule of the desk applies to a version that arrives in a bundle. */
static int validate(const struct sync_version *v, const char *payload, size_t len,
		    struct err *err)
{
	struct err e = { 0 };
	uint8_t author[16];
	int64_t t;

	if (v->kind < REC_PERSON || v->kind > REC_TRAINING)
		return data_fail(err, v, "unknown kind of record", NULL);
	if (uuid_is_zero(v->uuid) || uuid_is_zero(v->device) || uuid_is_zero(v->vid))
		return data_fail(err, v, "a zero uuid, device or version id", NULL);
	if (v->lamport < 1 || v->lamport > LAMPORT_MAX || v->parent.lamport >= v->lamport)
		return data_fail(err, v, "its Lamport stamp is out of range", NULL);
	if ((v->parent.lamport == 0) != uuid_is_zero(v->parent.device))
		return data_fail(err, v, "its parent version is half given", NULL);
	if (v->month < -1)
		return data_fail(err, v, "bad month", NULL);
	if (v->deleted) {
		if (codec_meta_decode(payload, len, author, &t, &e) < 0)
			return data_fail(err, v, "bad tombstone", &e);
		return 0;
	}
	if (v->kind == REC_PERSON) {
		struct person p;
		int rc = codec_person_decode(payload, len, &p, author, &t, &e);
		if (!rc && p.sex != 'L' && p.sex != 'P')
			rc = err_set(&e, ERR_FORMAT, "sex", "not L or P");
		if (!rc)
			rc = valid_name(p.name, "name", &e);
		if (!rc && p.mother_name[0])
			rc = valid_name(p.mother_name, "mother_name", &e);
		if (!rc && p.father_name[0])
			rc = valid_name(p.father_name, "father_name", &e);
		if (!rc && p.nik[0])
			rc = valid_nik(p.nik, p.sex, p.dob, &e);
		if (!rc && memcmp(v->owner, p.mother, 16) != 0)
			rc = err_set(&e, ERR_FORMAT, "mother", "the clear owner is not the mother");
		if (!rc && v->month != -1)
			rc = err_set(&e, ERR_FORMAT, "month", "a person has no month");
		sodium_memzero(&p, sizeof p);
		return rc ? data_fail(err, v, "", &e) : 0;
	}
	if (v->kind == REC_VISIT) {
		struct visit vi;
		int rc = codec_visit_decode(payload, len, &vi, author, &t, &e);
		if (!rc && vi.date == DATE_NONE)
			rc = err_set(&e, ERR_REQUIRED, "date", "a visit has a date");
		if (!rc && uuid_is_zero(vi.person))
			rc = err_set(&e, ERR_REQUIRED, "person", "a visit belongs to a person");
		if (!rc && memcmp(v->owner, vi.person, 16) != 0)
			rc = err_set(&e, ERR_FORMAT, "person", "the clear owner is not the person");
		if (!rc && v->month != date_month_index(vi.date))
			rc = err_set(&e, ERR_FORMAT, "month", "the clear month is not the visit's");
		sodium_memzero(&vi, sizeof vi);
		return rc ? data_fail(err, v, "", &e) : 0;
	}
	/* Sessions, quiz banks and attempts, trainings: their modules own the
	 * fields; here the payload must at least be a record payload. */
	if (codec_meta_decode(payload, len, author, &t, &e) < 0)
		return data_fail(err, v, "", &e);
	return 0;
}

static int seal_insert(struct store *s, const struct sync_version *v, const char *payload,
		       size_t len, struct err *err)
{
	uint8_t ad[AD_LEN], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long ct_len;
	uint8_t *ct = malloc(len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	sqlite3_stmt *st;
	int rc;

	if (!ct)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	make_ad(ad, v, 1);
	randombytes_buf(nonce, sizeof nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ct_len, (const uint8_t *)payload, len, ad,
						   sizeof ad, NULL, nonce, s->keys->rec);
	if (db_prepare(s->db,
		       "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, "
		       "prev_device, month, deleted, key_epoch, vid, nonce, ct) "
		       "VALUES(?,?,?,?,?,?,?,?,?,1,?,?,?) ON CONFLICT DO NOTHING", &st, err) < 0) {
		free(ct);
		return -1;
	}
	sqlite3_bind_blob(st, 1, v->uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, v->kind);
	if (!uuid_is_zero(v->owner))
		sqlite3_bind_blob(st, 3, v->owner, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)v->lamport);
	sqlite3_bind_blob(st, 5, v->device, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)v->parent.lamport);
	sqlite3_bind_blob(st, 7, v->parent.device, 16, SQLITE_STATIC);
	if (v->month >= 0)
		sqlite3_bind_int(st, 8, v->month);
	sqlite3_bind_int(st, 9, v->deleted);
	sqlite3_bind_blob(st, 10, v->vid, 16, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, nonce, sizeof nonce, SQLITE_STATIC);
	sqlite3_bind_blob(st, 12, ct, (int)ct_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(ct);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "insert version");
	return sqlite3_changes(s->db) ? 1 : 0;
}

/* The content hash of the stored version (uuid, lamport, device): from
 * sync_vhash, or computed from the row (a version made here). *FOUND false
 * when no such version exists. */
static int stored_hash(struct store *s, const struct sync_version *key, uint8_t out[32],
		       bool *found, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	*found = false;
	if (db_prepare(s->db, "SELECT hash FROM sync_vhash WHERE uuid = ? AND lamport = ? AND device = ?",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, key->uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)key->lamport);
	sqlite3_bind_blob(st, 3, key->device, 16, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(out, sqlite3_column_blob(st, 0), 32);
		*found = true;
	}
	sqlite3_finalize(st);
	if (*found || (rc != SQLITE_ROW && rc != SQLITE_DONE))
		return *found ? 0 : db_fail(err, s->db, rc, "content hash");

	if (db_prepare(s->db, "SELECT " VCOLS " FROM versions v WHERE uuid = ? AND lamport = ? "
			      "AND device = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, key->uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)key->lamport);
	sqlite3_bind_blob(st, 3, key->device, 16, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct sync_version v;
		size_t len;
		char *plain = row_open(s, st, &v, &len, err);
		if (!plain || load_merges(s, &v, err) < 0) {
			codec_free(plain);
			sqlite3_finalize(st);
			return -1;
		}
		content_hash(&v, plain, len, out);
		codec_free(plain);
		*found = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "version");
}

int sync_import_version(struct store *s, const struct sync_version *v, const char *payload,
			size_t len, const char *posyandu, bool *is_new, struct err *err)
{
	uint8_t h[32], old[32];
	sqlite3_stmt *st;
	bool found;
	int rc;

	*is_new = false;
	if (need_keys(s, err) < 0 || validate(v, payload, len, err) < 0)
		return -1;
	content_hash(v, payload, len, h);

	/* An edit never changes a record's kind. */
	if (db_prepare(s->db, "SELECT kind FROM heads WHERE uuid = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, v->uuid, 16, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 0) != v->kind) {
		sqlite3_finalize(st);
		return data_fail(err, v, "the record changes kind", NULL);
	}
	sqlite3_finalize(st);

	/* The database decides: (uuid, lamport, device) and vid are unique. */
	if ((rc = seal_insert(s, v, payload, len, err)) < 0)
		return -1;
	if (rc == 0) {
		if (stored_hash(s, v, old, &found, err) < 0)
			return -1;
		if (!found)
			return data_fail(err, v, "its version id is used by another version", NULL);
		if (sodium_memcmp(old, h, 32) != 0)
			return data_fail(err, v, "same version key, different content", NULL);
		return 0;          /* a duplicate */
	}
	*is_new = true;

	if (db_prepare(s->db, "INSERT INTO sync_vhash(uuid, lamport, device, hash, posyandu) "
			      "VALUES(?,?,?,?,?)", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, v->uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)v->lamport);
	sqlite3_bind_blob(st, 3, v->device, 16, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, h, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, posyandu, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "content hash");

	for (size_t i = 0; i < v->n_merges; i++) {
		if (db_prepare(s->db, "INSERT OR IGNORE INTO sync_merges(uuid, lamport, device, "
				      "m_lamport, m_device) VALUES(?,?,?,?,?)", &st, err) < 0)
			return -1;
		sqlite3_bind_blob(st, 1, v->uuid, 16, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)v->lamport);
		sqlite3_bind_blob(st, 3, v->device, 16, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)v->merges[i].lamport);
		sqlite3_bind_blob(st, 5, v->merges[i].device, 16, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(err, s->db, rc, "merges");
	}

	/* The current version is the highest (lamport, device), as record.c keeps it. */
	if (db_prepare(s->db,
		       "INSERT INTO heads(uuid, kind, lamport, device, seq, deleted) "
		       "SELECT uuid, kind, lamport, device, seq, deleted FROM versions "
		       " WHERE uuid = ?1 AND lamport = ?2 AND device = ?3 "
		       "ON CONFLICT(uuid) DO UPDATE SET "
		       "lamport = excluded.lamport, device = excluded.device, seq = excluded.seq, "
		       "deleted = excluded.deleted WHERE excluded.lamport > heads.lamport OR "
		       "(excluded.lamport = heads.lamport AND excluded.device > heads.device)",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, v->uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)v->lamport);
	sqlite3_bind_blob(st, 3, v->device, 16, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "update head");
}

int sync_import_anchor(struct store *s, const uint8_t sender[16], uint64_t bundle_seq,
		       uint64_t audit_seq, const uint8_t head[32], struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "INSERT OR REPLACE INTO sync_anchors(sender, seq, audit_seq, head) "
			      "VALUES(?,?,?,?)", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, sender, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)bundle_seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)audit_seq);
	sqlite3_bind_blob(st, 4, head, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "anchor");
}

int sync_import_receipt_seq(struct store *s, uint64_t *rseq, struct err *err)
{
	sqlite3_stmt *st;
	int64_t v;
	if (db_prepare(s->db, "SELECT COALESCE(MAX(rseq), 0) + 1 FROM sync_bundles", &st, err) < 0 ||
	    step_int(s, st, &v, "receipt sequence", err) < 0)
		return -1;
	*rseq = (uint64_t)v;
	return 0;
}

int sync_import_finish(struct store *s, const struct sync_bundle_row *b, struct err *err)
{
	sqlite3_stmt *st;
	char detail[96];
	int rc;

	if (db_prepare(s->db, "INSERT INTO sync_bundles(hash, sender, seq, kind, first_change, "
			      "last_change, received_at, n_new, n_dup, rseq, receipt) "
			      "VALUES(?,?,?,?,?,?,?,?,?,?,?)", &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, b->hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, b->sender, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)b->seq);
	sqlite3_bind_int(st, 4, b->kind);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)b->first_change);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)b->last_change);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 8, b->n_new);
	sqlite3_bind_int64(st, 9, b->n_dup);
	if (b->receipt_seq) {
		sqlite3_bind_int64(st, 10, (sqlite3_int64)b->receipt_seq);
		sqlite3_bind_blob(st, 11, b->receipt, (int)b->receipt_len, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "record bundle");
		goto fail;
	}
	if (db_prepare(s->db, "UPDATE sync_devices SET max_seq = max(max_seq, ?2), "
			      "max_lamport = max(max_lamport, ?3), down_ack = max(down_ack, ?4) "
			      "WHERE id = ?1", &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, b->sender, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)b->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)b->max_lamport);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)b->down_ack);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "device counters");
		goto fail;
	}
	snprintf(detail, sizeof detail, "bundle #%llu imported: %u new, %u duplicate versions",
		 (unsigned long long)b->seq, b->n_new, b->n_dup);
	if (audit_append(s, AUDIT_IMPORT, b->sender, detail, err) < 0)
		goto fail;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
}

int sync_down_ack(struct store *s, uint64_t *ack, struct err *err)
{
	*ack = 0;
	return advance(s, "SELECT first_change, last_change FROM sync_bundles WHERE kind = 2 "
			  "ORDER BY first_change", ack, err);
}

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

static void device_row(sqlite3_stmt *st, struct sync_device *d)
{
	memset(d, 0, sizeof *d);
	col16(st, 0, d->id);
	snprintf(d->posyandu, sizeof d->posyandu, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(d->name, sizeof d->name, "%s", (const char *)sqlite3_column_text(st, 2));
	if (sqlite3_column_bytes(st, 3) == 32)
		memcpy(d->ed_pk, sqlite3_column_blob(st, 3), 32);
	if (sqlite3_column_bytes(st, 4) == 32)
		memcpy(d->x_pk, sqlite3_column_blob(st, 4), 32);
	d->status = sqlite3_column_int(st, 5);
	d->requested_at = sqlite3_column_int64(st, 6);
	d->approved_at = sqlite3_column_int64(st, 7);
	d->revoked_at = sqlite3_column_int64(st, 8);
	d->max_seq = (uint64_t)sqlite3_column_int64(st, 9);
	d->max_lamport = (uint64_t)sqlite3_column_int64(st, 10);
	d->down_ack = (uint64_t)sqlite3_column_int64(st, 11);
}

int sync_device_get(struct store *s, const uint8_t id[16], struct sync_device *d, struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "SELECT " DEVICE_COLS " FROM sync_devices WHERE id = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		device_row(st, d);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOTFOUND, "device", "no such device");
	return rc == SQLITE_ROW ? 0 : db_fail(err, s->db, rc, "device");
}

int sync_device_add(struct store *s, const struct sync_device *d, const uint8_t *request,
		    size_t len, bool *existed, struct err *err)
{
	struct sync_device old;
	struct err e2 = { 0 };
	sqlite3_stmt *st;
	char detail[96];
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
		*err = e2;
		goto fail;
	}
	if (db_prepare(s->db, "INSERT INTO sync_devices(id, posyandu, name, ed_pk, x_pk, status, "
			      "requested_at, request) VALUES(?,?,?,?,?,1,?,?)", &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, d->id, 16, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->posyandu, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, d->ed_pk, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, d->x_pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, d->requested_at);
	sqlite3_bind_blob(st, 7, request, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "add device");
		goto fail;
	}
	snprintf(detail, sizeof detail, "device of %s requests enrolment", d->posyandu);
	if (audit_append(s, AUDIT_KEY, d->id, detail, err) < 0)
		goto fail;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
}

int sync_device_list(struct store *s, struct sync_device **out, size_t *n, struct err *err)
{
	struct sync_device *items = NULL, *grown;
	size_t count = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(s->db, "SELECT " DEVICE_COLS " FROM sync_devices ORDER BY posyandu, id",
		       &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(grown = realloc(items, (count + 1) * sizeof *items))) {
			sqlite3_finalize(st);
			free(items);
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		}
		items = grown;
		device_row(st, &items[count++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(items);
		return db_fail(err, s->db, rc, "devices");
	}
	*out = items;
	*n = count;
	return 0;
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
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "UPDATE sync_devices SET down_ack = ?2 WHERE id = ?1 AND down_ack < ?2",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ack);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "device ack");
}

int sync_device_set_status(struct store *s, const uint8_t id[16], int status, struct err *err)
{
	struct sync_device d;
	sqlite3_stmt *st;
	char detail[64];
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
	if (db_prepare(s->db, status == SYNC_DEV_APPROVED
		       ? "UPDATE sync_devices SET status = 2, approved_at = ?2 WHERE id = ?1"
		       : "UPDATE sync_devices SET status = 3, revoked_at = ?2 WHERE id = ?1", &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(err, s->db, rc, "device status");
		goto fail;
	}
	snprintf(detail, sizeof detail, "device %s", sync_device_status_name(status));
	if (audit_append(s, AUDIT_KEY, id, detail, err) < 0)
		goto fail;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
}

/* ---- conflicts ---- */

struct node {
	struct sync_ref self, parent;
	int kind;
	bool covered;
	size_t n_merges;
	struct sync_ref merges[SYNC_MERGES_MAX];
};

static bool ref_eq(const struct sync_ref *a, const struct sync_ref *b)
{
	return a->lamport == b->lamport && memcmp(a->device, b->device, 16) == 0;
}

static bool ref_gt(const struct sync_ref *a, const struct sync_ref *b)
{
	return a->lamport > b->lamport ||
	       (a->lamport == b->lamport && memcmp(a->device, b->device, 16) > 0);
}

static struct node *node_find(struct node *nodes, size_t n, const struct sync_ref *r)
{
	for (size_t i = 0; i < n; i++)
		if (ref_eq(&nodes[i].self, r))
			return &nodes[i];
	return NULL;
}

/* Cover R and its ancestors (bounded: each step marks a new node). */
static void cover_line(struct node *nodes, size_t n, const struct sync_ref *r)
{
	struct node *x = node_find(nodes, n, r);
	while (x && !x->covered) {
		x->covered = true;
		x = x->parent.lamport ? node_find(nodes, n, &x->parent) : NULL;
	}
}

/* Load every version of UUID with its merges. */
static int load_nodes(struct store *s, const uint8_t uuid[16], struct node **out, size_t *n,
		      struct err *err)
{
	struct node *nodes = NULL, *grown;
	size_t count = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(s->db, "SELECT lamport, device, prev_lamport, prev_device, kind FROM versions "
			      "WHERE uuid = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, uuid, 16, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sync_version v;
		if (!(grown = realloc(nodes, (count + 1) * sizeof *nodes))) {
			rc = SQLITE_NOMEM;
			break;
		}
		nodes = grown;
		memset(&nodes[count], 0, sizeof *nodes);
		nodes[count].self.lamport = (uint64_t)sqlite3_column_int64(st, 0);
		col16(st, 1, nodes[count].self.device);
		nodes[count].parent.lamport = (uint64_t)sqlite3_column_int64(st, 2);
		col16(st, 3, nodes[count].parent.device);
		nodes[count].kind = sqlite3_column_int(st, 4);
		memcpy(v.uuid, uuid, 16);
		v.lamport = nodes[count].self.lamport;
		memcpy(v.device, nodes[count].self.device, 16);
		if (load_merges(s, &v, err) < 0) {
			sqlite3_finalize(st);
			free(nodes);
			return -1;
		}
		nodes[count].n_merges = v.n_merges;
		memcpy(nodes[count].merges, v.merges, sizeof v.merges);
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(nodes);
		return rc == SQLITE_NOMEM ? err_set(err, ERR_NOMEM, NULL, "out of memory")
					  : db_fail(err, s->db, rc, "versions");
	}
	*out = nodes;
	*n = count;
	return 0;
}

/* The open versions of UUID: not on the line of the head, not merged by a
 * version on that line, and not an ancestor of a merged one. */
static int conflict_of(struct store *s, const uint8_t uuid[16], struct sync_conflict *c,
		       struct err *err)
{
	struct node *nodes, *head = NULL, *x;
	size_t n;

	memset(c, 0, sizeof *c);
	memcpy(c->uuid, uuid, 16);
	if (load_nodes(s, uuid, &nodes, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!head || ref_gt(&nodes[i].self, &head->self))
			head = &nodes[i];
	if (!head) {
		free(nodes);
		return 0;
	}
	c->head = head->self;
	c->kind = head->kind;
	cover_line(nodes, n, &head->self);
	/* Merges named by the head's line cover their versions and ancestors. */
	for (size_t i = 0; i < n; i++) {
		x = &nodes[i];
		if (!x->covered)
			continue;
		for (size_t m = 0; m < x->n_merges; m++) {
			struct node *y = node_find(nodes, n, &x->merges[m]);
			if (y && !y->covered) {
				cover_line(nodes, n, &y->self);
				i = (size_t)-1;        /* rescan: newly covered nodes may merge more */
				break;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!nodes[i].covered && c->n_open < SYNC_MERGES_MAX)
			c->open[c->n_open++] = nodes[i].self;
	free(nodes);
	return 0;
}

int sync_conflicts(struct store *s, struct sync_conflict **out, size_t *n, struct err *err)
{
	struct sync_conflict *items = NULL, *grown;
	size_t count = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (need_keys(s, err) < 0)
		return -1;
	if (db_prepare(s->db, "SELECT uuid FROM versions GROUP BY uuid, prev_lamport, prev_device "
			      "HAVING count(*) > 1", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sync_conflict c;
		uint8_t uuid[16];
		bool dup = false;
		col16(st, 0, uuid);
		for (size_t i = 0; i < count && !dup; i++)
			dup = memcmp(items[i].uuid, uuid, 16) == 0;
		if (dup)
			continue;
		if (conflict_of(s, uuid, &c, err) < 0)
			goto fail;
		if (!c.n_open)
			continue;
		if (!(grown = realloc(items, (count + 1) * sizeof *items))) {
			err_set(err, ERR_NOMEM, NULL, "out of memory");
			goto fail;
		}
		items = grown;
		items[count++] = c;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(items);
		return db_fail(err, s->db, rc, "conflicts");
	}
	*out = items;
	*n = count;
	return 0;
fail:
	sqlite3_finalize(st);
	free(items);
	return -1;
}

/* The payload of KEEP with a new author and time, canonical again. */
static char *restamp(const char *json, size_t len, const uint8_t author[16], struct err *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	char u[UUID_STRLEN], *out;

	if (!root || !json_is_object(root)) {
		json_decref(root);
		err_set(err, ERR_FORMAT, NULL, "stored payload is not an object");
		return NULL;
	}
	json_object_set_new(root, "a", json_string(uuid_format(author, u)));
	json_object_set_new(root, "t", json_integer((json_int_t)time(NULL)));
	out = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(root);
	if (!out)
		err_set(err, ERR_NOMEM, NULL, "out of memory");
	return out;
}

int sync_conflict_resolve(struct store *s, const uint8_t uuid[16], const struct sync_ref *keep,
			  struct err *err)
{
	struct sync_conflict c;
	struct sync_version kv;
	struct draft d;
	sqlite3_stmt *st = NULL;
	char *plain = NULL, *json = NULL;
	size_t len;
	int64_t lam;
	int rc;
	bool known;

	if (need_keys(s, err) < 0)
		return -1;
	if (s->user.role < ROLE_TRAINER)
		return err_set(err, ERR_DENIED, NULL, "reviewing conflicts needs a trainer or an admin");
	if (conflict_of(s, uuid, &c, err) < 0)
		return -1;
	if (!c.n_open)
		return err_set(err, ERR_NOTFOUND, "conflict", "this record has no open conflict");
	known = ref_eq(keep, &c.head);
	for (size_t i = 0; i < c.n_open && !known; i++)
		known = ref_eq(keep, &c.open[i]);
	if (!known)
		return err_set(err, ERR_NOTFOUND, "conflict", "that version is not part of the conflict");

	if (db_prepare(s->db, "SELECT " VCOLS " FROM versions v WHERE uuid = ? AND lamport = ? "
			      "AND device = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_blob(st, 1, uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)keep->lamport);
	sqlite3_bind_blob(st, 3, keep->device, 16, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(err, s->db, rc, "version");
	}
	plain = row_open(s, st, &kv, &len, err);
	sqlite3_finalize(st);
	st = NULL;
	if (!plain || !(json = restamp(plain, len, s->user.uuid, err))) {
		codec_free(plain);
		return -1;
	}
	codec_free(plain);

	memset(&d, 0, sizeof d);
	memcpy(d.uuid, uuid, 16);
	randombytes_buf(d.vid, sizeof d.vid);
	d.prev_lamport = c.head.lamport;
	memcpy(d.prev_device, c.head.device, 16);
	if (store_batch_begin(s, err) < 0)
		goto out_free;
	if (record_put(s, &d, kv.kind, uuid_is_zero(kv.owner) ? NULL : kv.owner, kv.month,
		       kv.deleted, json, strlen(json), err) < 0)
		goto fail;
	if (db_prepare(s->db, "SELECT lamport FROM versions WHERE vid = ?", &st, err) < 0)
		goto fail;
	sqlite3_bind_blob(st, 1, d.vid, 16, SQLITE_STATIC);
	if (step_int(s, st, &lam, "resolution", err) < 0)
		goto fail;
	for (size_t i = 0; i < c.n_open; i++) {
		if (db_prepare(s->db, "INSERT OR IGNORE INTO sync_merges(uuid, lamport, device, "
				      "m_lamport, m_device) VALUES(?,?,?,?,?)", &st, err) < 0)
			goto fail;
		sqlite3_bind_blob(st, 1, uuid, 16, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, lam);
		sqlite3_bind_blob(st, 3, s->device_id, 16, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)c.open[i].lamport);
		sqlite3_bind_blob(st, 5, c.open[i].device, 16, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			db_fail(err, s->db, rc, "merges");
			goto fail;
		}
	}
	if (audit_append(s, AUDIT_SAVE, uuid, "conflict reviewed", err) < 0 ||
	    store_batch_commit(s, err) < 0)
		goto fail;
	codec_free(json);
	return 0;
fail:
	store_batch_abort(s);
out_free:
	codec_free(json);
	return -1;
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
