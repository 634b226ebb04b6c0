/* storage/rotate.c: rotating the device data key K_data (SECURITY.md §2.9,
 * issue 13.10).
 *
 * A user leaves who may have copied the database: her slot opened K_data,
 * so she may hold it. The admin disables her and rotates: a new random
 * K_data (epoch n+1), and in ONE transaction every version re-encrypted
 * under it (70,000 versions take seconds; a half-rotated store would need
 * two live keys and resumable state, for no gain), drafts and kept
 * quiz-attempt keys re-sealed, and the admin's slot re-wrapped.
 *
 * The audit log is not rewritten: its entries are signed, and the chain
 * hash covers each detail's ciphertext. Old entries keep their epoch's keys
 * (audit.key_epoch names it); the retired data keys are kept sealed under
 * the current one in key_epochs, so whoever holds the new key verifies and
 * reads the whole log, and the old key opens nothing written later. A
 * save's entry names the hash of the version it wrote; a re-encryption
 * changes that hash, so each one is kept as (vid, epoch, before, after) in
 * version_rekeys, and the rotation's own entry (the first of the new
 * epoch) names the digest of those rows, so they cannot be made up later.
 *
 * The other users' slots cannot be re-wrapped (their PINs are theirs): the
 * new key is sealed to each active user's certified box key and signed by
 * the device key (key_updates); at her next login her slot opens the old
 * key, her seed's box key opens the update, and her slot is re-wrapped
 * under her PIN, in one transaction with an entry. A disabled user gets
 * nothing. meta "key.check" (epoch ‖ MAC under the current key) tells a
 * slot that holds a retired key from the current one.
 *
 * The register-import id key (storage/load_store.c) must not change, or a
 * register loaded again would make every person twice: it stays the one
 * derived from the first epoch's key. */
#include "storage/internal.h"
#include "storage/sync_store.h"
#include "storage/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define EPOCH_DOMAIN "posyandu/v3/key-epoch"
#define CHECK_DOMAIN "posyandu/v3/key-check"
#define UPDATE_DOMAIN "posyandu/v3/key-update"
#define REKEY_DOMAIN "posyandu/v3/rekey"
#define NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEALED_KEY (NPUB + KEY_LEN + ABYTES)
#define UPDATE_LEN (KEY_LEN + crypto_box_SEALBYTES)
#define CHECK_LEN (4 + 32)
#define BATCH_PROGRESS 1000

static void be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t epoch_of(const struct keys *k)
{
	return k->epoch ? k->epoch : 1;
}

/* ---- the key check: which epoch the current K_data is ---- */

static void key_check(const struct store *s, const uint8_t data[KEY_LEN], uint32_t epoch,
		      uint8_t out[CHECK_LEN])
{
	uint8_t sub[32], e[4];
	crypto_generichash_state h;

	crypto_kdf_derive_from_key(sub, sizeof sub, 3, "pykcheck", data);
	be32(e, epoch);
	crypto_generichash_init(&h, sub, sizeof sub, 32);
	crypto_generichash_update(&h, (const uint8_t *)CHECK_DOMAIN, sizeof CHECK_DOMAIN - 1);
	crypto_generichash_update(&h, s->store_id, 16);
	crypto_generichash_update(&h, e, 4);
	memcpy(out, e, 4);
	crypto_generichash_final(&h, out + 4, 32);
	sodium_memzero(sub, sizeof sub);
}

/* ---- retired keys, sealed under the current one ---- */

static void epoch_ad(const struct store *s, uint32_t epoch,
		     uint8_t ad[sizeof EPOCH_DOMAIN - 1 + 16 + 4])
{
	memcpy(ad, EPOCH_DOMAIN, sizeof EPOCH_DOMAIN - 1);
	memcpy(ad + sizeof EPOCH_DOMAIN - 1, s->store_id, 16);
	be32(ad + sizeof EPOCH_DOMAIN - 1 + 16, epoch);
}

static void epoch_seal(const struct store *s, const uint8_t cur[KEY_LEN], uint32_t epoch,
		       const uint8_t key[KEY_LEN], uint8_t out[SEALED_KEY])
{
	uint8_t sub[32], ad[sizeof EPOCH_DOMAIN - 1 + 16 + 4];

	crypto_kdf_derive_from_key(sub, sizeof sub, 4, "pyepochs", cur);
	epoch_ad(s, epoch, ad);
	randombytes_buf(out, NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + NPUB, NULL, key, KEY_LEN, ad, sizeof ad,
						   NULL, out, sub);
	sodium_memzero(sub, sizeof sub);
}

/* The retired data key of EPOCH, opened with CUR (the current K_data). */
static int epoch_open(struct store *s, const uint8_t cur[KEY_LEN], uint32_t epoch,
		      uint8_t key[KEY_LEN], struct err *err)
{
	uint8_t sub[32], ad[sizeof EPOCH_DOMAIN - 1 + 16 + 4], blob[SEALED_KEY];
	struct dbq *st;
	int rc = db_row(s->db, "SELECT sealed FROM key_epochs WHERE epoch = ?", &st, "key epochs",
			DB_ARGS(DB_INT(epoch)), err);
	bool sized;

	if (rc <= 0)
		return rc < 0 ? -1 : err_set(err, ERR_CRYPTO, "key-epoch",
					     "the data key of epoch %u is not kept", epoch);
	sized = dbq_bytes(st, 0) == (int)sizeof blob;
	if (sized)
		memcpy(blob, dbq_blob(st, 0), sizeof blob);
	db_done(st);
	crypto_kdf_derive_from_key(sub, sizeof sub, 4, "pyepochs", cur);
	epoch_ad(s, epoch, ad);
	rc = sized ? crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, blob + NPUB,
								sizeof blob - NPUB, ad, sizeof ad,
								blob, sub) : -1;
	sodium_memzero(sub, sizeof sub);
	return rc == 0 ? 0 : err_set(err, ERR_CRYPTO, "key-epoch",
				     "the data key of epoch %u does not open", epoch);
}

int epoch_keys_get(struct store *s, uint32_t epoch, struct epoch_keys *out, struct err *err)
{
	struct keys *k;
	int rc;

	out->epoch = epoch;
	if (need_keys(s, err) < 0)
		return -1;
	if (epoch == epoch_of(s->keys)) {
		memcpy(out->rec, s->keys->rec, KEY_LEN);
		memcpy(out->audit, s->keys->audit, KEY_LEN);
		return 0;
	}
	if (epoch == 0 || epoch > epoch_of(s->keys))
		return err_set(err, ERR_CRYPTO, "key-epoch", "no data key of epoch %u", epoch);
	if (!(k = keys_new()))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = epoch_open(s, s->keys->data, epoch, k->data, err);
	if (rc == 0) {
		keys_derive(k);
		memcpy(out->rec, k->rec, KEY_LEN);
		memcpy(out->audit, k->audit, KEY_LEN);
	}
	keys_free(k);
	return rc;
}

int rotate_keys_load(struct store *s, struct keys *k, struct err *err)
{
	uint8_t stored[CHECK_LEN], mine[CHECK_LEN], *first;
	uint32_t epoch = 0;
	int64_t kept;
	size_t n;
	int rc = meta_get(s->db, "key.check", stored, sizeof stored, &n, err);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		/* never rotated: epoch 1, and nothing may say otherwise */
		if (db_int(s->db, "SELECT count(*) FROM key_epochs", &kept, "key epochs", DB_NOARGS,
			   err) < 0)
			return -1;
		if (kept > 0)
			return err_set(err, ERR_CRYPTO, "key-epoch", "the data key check is missing");
		k->epoch = 1;
		return 0;
	}
	for (int i = 0; i < 4; i++)
		epoch = epoch << 8 | stored[i];
	key_check(s, k->data, epoch, mine);
	if (n != sizeof stored || epoch < 2 || sodium_memcmp(stored, mine, sizeof mine) != 0)
		return err_set(err, ERR_CRYPTO, "key-epoch",
			       "this slot holds a data key that was replaced");
	k->epoch = epoch;
	/* the register-import id key: from the first epoch's K_data */
	if (!(first = sodium_malloc(KEY_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = epoch_open(s, k->data, 1, first, err);
	if (rc == 0)
		crypto_kdf_derive_from_key(k->loadid, KEY_LEN, 1, "pyloadid", first);
	sodium_free(first);
	return rc;
}

/* ---- key updates: the new key for a user who is not here ---- */

static void update_digest(const struct store *s, const uint8_t user[16], int64_t gen,
			  uint32_t epoch, const uint8_t sealed[UPDATE_LEN], uint8_t out[64])
{
	crypto_generichash_state h;
	uint8_t b[8];

	crypto_generichash_init(&h, NULL, 0, 64);
	crypto_generichash_update(&h, (const uint8_t *)UPDATE_DOMAIN, sizeof UPDATE_DOMAIN - 1);
	crypto_generichash_update(&h, s->store_id, 16);
	crypto_generichash_update(&h, user, 16);
	be64(b, (uint64_t)gen);
	crypto_generichash_update(&h, b, 8);
	be32(b, epoch);
	crypto_generichash_update(&h, b, 4);
	crypto_generichash_update(&h, sealed, UPDATE_LEN);
	crypto_generichash_final(&h, out, 64);
}

struct update_row {
	uint8_t user[16];
	int64_t epoch, gen;
	uint8_t sealed[UPDATE_LEN], sig[64];
	bool ok;
};

static int update_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct update_row *r = item;
	(void)ctx;
	(void)err;
	db_col16(st, 0, r->user);
	r->epoch = dbq_int64(st, 1);
	r->gen = dbq_int64(st, 2);
	r->ok = dbq_bytes(st, 3) == UPDATE_LEN && dbq_bytes(st, 4) == 64 &&
		r->epoch > 1 && r->epoch <= UINT32_MAX;
	if (r->ok) {
		memcpy(r->sealed, dbq_blob(st, 3), UPDATE_LEN);
		memcpy(r->sig, dbq_blob(st, 4), 64);
	}
	return 0;
}

/* USER's slot (ROLE, KDF) wrapped again under PIN with what K holds now:
 * the data key of a rotation, the device key it pins (storage/devkey.c). */
int slot_rewrap(struct store *s, const struct keys *k, enum role role, const uint8_t user[16],
		const char *pin, size_t pin_len, const struct kdf_params *kdf, struct err *err)
{
	struct slot sl;
	int rc = vault_wrap(k, role, s->store_id, user, k->seed, k->pinned, pin, pin_len, kdf, &sl,
			    err);

	if (rc == 0)
		rc = db_run(s->db, "UPDATE users SET alg = 1, opslimit = ?, memlimit = ?, salt = ?, "
			    "nonce = ?, wrapped = ? WHERE uuid = ?", "slot",
			    DB_ARGS(DB_INT(sl.opslimit), DB_INT(sl.memlimit),
				    DB_BLOB(sl.salt, sizeof sl.salt), DB_BLOB(sl.nonce, sizeof sl.nonce),
				    DB_BLOB(sl.ct, sl.ct_len), DB_UUID(user)), err);
	sodium_memzero(&sl, sizeof sl);
	return rc < 0 ? -1 : 0;
}

/* Her pending data-key update, if any, opened into K (*APPLIED); then K's
 * epoch is checked. */
static int update_open(struct store *s, struct keys *k, const struct store_user *u,
		       bool *applied, struct err *err)
{
	uint8_t sealed[UPDATE_LEN], sig[64], digest[64], pk[32];
	uint8_t *sk = NULL, *key = NULL;
	struct dbq *st;
	int64_t gen, epoch;
	bool sized;
	int rc = db_row(s->db, "SELECT epoch, gen, sealed, sig FROM key_updates WHERE user = ?", &st,
			"key update", DB_ARGS(DB_UUID(u->uuid)), err);

	*applied = false;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return rotate_keys_load(s, k, err);
	epoch = dbq_int64(st, 0);
	gen = dbq_int64(st, 1);
	sized = dbq_bytes(st, 2) == (int)sizeof sealed &&
		dbq_bytes(st, 3) == (int)sizeof sig && epoch > 1 && epoch <= UINT32_MAX;
	if (sized) {
		memcpy(sealed, dbq_blob(st, 2), sizeof sealed);
		memcpy(sig, dbq_blob(st, 3), sizeof sig);
	}
	db_done(st);
	if (!sized || !k->has_seed)
		return err_set(err, ERR_CRYPTO, "key-update", "the key update is malformed");
	/* Made by an admin session (the device key), for this user, and
	 * opened by her own seed's box key: nobody else can give her a key. */
	update_digest(s, u->uuid, gen, (uint32_t)epoch, sealed, digest);
	if (crypto_sign_verify_detached(sig, digest, sizeof digest, k->pinned) != 0)
		return err_set(err, ERR_CRYPTO, "key-update",
			       "the key update is not signed by the device key");
	if (!(sk = sodium_malloc(crypto_box_SECRETKEYBYTES)) || !(key = sodium_malloc(KEY_LEN))) {
		rc = err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		goto out;
	}
	user_box_keys(k->seed, pk, sk);
	if (crypto_box_seal_open(key, sealed, sizeof sealed, pk, sk) != 0) {
		rc = err_set(err, ERR_CRYPTO, "key-update", "the key update is not for this user");
		goto out;
	}
	memcpy(k->data, key, KEY_LEN);
	keys_derive(k);
	if ((rc = rotate_keys_load(s, k, err)) < 0)
		goto out;
	if (k->epoch != (uint32_t)epoch) {
		rc = err_set(err, ERR_CRYPTO, "key-update", "the key update is out of date");
		goto out;
	}
	*applied = true;
out:
	if (sk)
		sodium_free(sk);
	if (key)
		sodium_free(key);
	return rc < 0 ? -1 : 0;
}

int rotate_login(struct store *s, struct keys *k, const struct store_user *u, const char *pin,
		 size_t pin_len, bool write, bool moved, bool *applied, struct err *err)
{
	char detail[64];
	int rc;

	if (update_open(s, k, u, applied, err) < 0)
		return -1;
	if (!write || (!*applied && !moved))
		return 0;
	/* One re-wrap takes both: the new data key and the new pinned key. */
	rc = slot_rewrap(s, k, u->role, u->uuid, pin, pin_len, &u->kdf, err);
	if (rc == 0 && *applied) {
		rc = db_run(s->db, "DELETE FROM key_updates WHERE user = ?", "key update",
			    DB_ARGS(DB_UUID(u->uuid)), err);
		snprintf(detail, sizeof detail, "data key of epoch %u received", k->epoch);
		if (rc == 0)
			rc = audit_append(s, AUDIT_KEY, u->uuid, detail, err);
	}
	if (rc == 0 && moved)
		rc = audit_append(s, AUDIT_KEY, u->uuid, "slot pins the new device key", err);
	return rc < 0 ? -1 : 0;
}

/* The pending updates were signed by the device key being replaced; the
 * new one (store_device_sign, already switched) signs those that verify
 * under OLD_PK, so a user's login finds them signed by the key her slot
 * pins once it has followed the link. */
int rotate_updates_resign(struct store *s, const uint8_t old_pk[32], int64_t *n,
			  struct err *err)
{
	struct update_row *v = NULL;
	size_t count = 0;
	int rc;

	*n = 0;
	if (db_collect(s->db, "SELECT user, epoch, gen, sealed, sig FROM key_updates ORDER BY user",
		       DB_NOARGS, sizeof *v, update_row, NULL, (void **)&v, &count, "key updates",
		       err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		uint8_t digest[64];
		if (!v[i].ok)
			continue;
		update_digest(s, v[i].user, v[i].gen, (uint32_t)v[i].epoch, v[i].sealed, digest);
		if (crypto_sign_verify_detached(v[i].sig, digest, 64, old_pk) != 0)
			continue;          /* not the device's: it stays refused */
		rc = store_device_sign(s, digest, v[i].sig, err);
		if (rc == 0)
			rc = db_run(s->db, "UPDATE key_updates SET sig = ? WHERE user = ?",
				    "key updates", DB_ARGS(DB_BLOB(v[i].sig, 64), DB_UUID(v[i].user)),
				    err);
		if (rc == 0)
			++*n;
	}
	free(v);
	return rc;
}

/* ---- the rekey rows and the rotation's entry ---- */

int rekey_digest(struct store *s, uint32_t epoch, uint8_t out[32], int64_t *count,
		 struct err *err)
{
	crypto_generichash_state h;
	struct dbq *st;
	uint8_t e[4];
	int rc;

	*count = 0;
	if (db_query(s->db, "SELECT vid, before, after FROM version_rekeys WHERE epoch = ? "
		     "ORDER BY vid", &st, DB_ARGS(DB_INT(epoch)), err) < 0)
		return -1;
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)REKEY_DOMAIN, sizeof REKEY_DOMAIN - 1);
	be32(e, epoch);
	crypto_generichash_update(&h, e, 4);
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		static const uint8_t zero[32];
		static const int len[3] = { 16, 32, 32 };
		for (int c = 0; c < 3; c++) {
			/* a row of another shape hashes as zeros: it cannot match */
			bool ok = dbq_bytes(st, c) == len[c];
			crypto_generichash_update(&h, ok ? dbq_blob(st, c) : zero,
						  (size_t)len[c]);
		}
		++*count;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "version rekeys");
	crypto_generichash_final(&h, out, 32);
	return 0;
}

#define B64_LEN sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)

void rotate_detail(char *buf, size_t size, uint32_t epoch, int64_t count, const uint8_t d[32])
{
	char b64[B64_LEN];

	sodium_bin2base64(b64, sizeof b64, d, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(buf, size, "data key rotated: epoch %u, %lld versions, %s", epoch,
		 (long long)count, b64);
}

int rotate_detail_parse(const char *detail, uint32_t *epoch, int64_t *count, uint8_t d[32])
{
	char b64[B64_LEN + 1];
	unsigned e;
	long long n;
	size_t len;

	if (sscanf(detail, "data key rotated: epoch %u, %lld versions, %44s", &e, &n, b64) != 3 ||
	    sodium_base642bin(d, 32, b64, strlen(b64), NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != 32)
		return -1;
	*epoch = e;
	*count = n;
	return 0;
}

/* ---- the rotation ---- */

/* Every version under the new record key, one row at a time in seq order
 * (each row is rewritten), each one's hash before and after kept. */
static int rekey_versions(struct store *s, const struct keys *nk, store_progress_fn progress,
			  void *ctx, int64_t *done, struct err *err)
{
	uint8_t vid[16], before[32], after[32];
	int64_t total, last = 0;
	struct dbq *st;
	int rc;

	*done = 0;
	if (db_int(s->db, "SELECT count(*) FROM versions", &total, "versions", DB_NOARGS, err) < 0 ||
	    db_prepare(s->db, "SELECT " VCOLS " FROM versions v WHERE v.seq > ? ORDER BY v.seq "
		       "LIMIT 1", &st, err) < 0)
		return -1;
	for (;;) {
		dbq_reset(st);
		dbq_bind_int64(st, 1, last);
		if ((rc = dbq_step(st)) != SQLITE_ROW)
			break;
		last = dbq_int64(st, 0);
		if (record_rekey_row(s, st, nk->rec, nk->epoch, vid, before, after, err) < 0 ||
		    db_run(s->db, "INSERT INTO version_rekeys(vid, epoch, before, after) "
			   "VALUES(?,?,?,?)", "version rekeys",
			   DB_ARGS(DB_UUID(vid), DB_INT(nk->epoch), DB_BLOB(before, 32),
				   DB_BLOB(after, 32)), err) < 0) {
			db_done(st);
			return -1;
		}
		if (++*done % BATCH_PROGRESS == 0 && progress)
			progress(ctx, *done, total);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "versions");
	if (progress)
		progress(ctx, *done, total);
	return 0;
}

/* The retired keys, re-sealed under the new one, and the one retired now. */
static int rekey_epochs(struct store *s, const struct keys *nk, struct err *err)
{
	uint8_t blob[SEALED_KEY];
	uint8_t *key = sodium_malloc(KEY_LEN);
	int rc = 0;

	if (!key)
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	for (uint32_t e = 1; e < epoch_of(s->keys) && rc == 0; e++) {
		if ((rc = epoch_open(s, s->keys->data, e, key, err)) < 0)
			break;
		epoch_seal(s, nk->data, e, key, blob);
		rc = db_run(s->db, "UPDATE key_epochs SET sealed = ? WHERE epoch = ?", "key epochs",
			    DB_ARGS(DB_BLOB(blob, sizeof blob), DB_INT(e)), err);
	}
	if (rc == 0) {
		epoch_seal(s, nk->data, epoch_of(s->keys), s->keys->data, blob);
		rc = db_run(s->db, "INSERT INTO key_epochs(epoch, sealed) VALUES(?, ?)", "key epochs",
			    DB_ARGS(DB_INT(epoch_of(s->keys)), DB_BLOB(blob, sizeof blob)), err);
	}
	sodium_free(key);
	return rc;
}

struct active_user {
	uint8_t uuid[16];
	int64_t gen;
};

static int active_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct active_user *a = item;
	(void)ctx;
	(void)err;
	db_col16(st, 0, a->uuid);
	a->gen = dbq_int64(st, 1);
	return 0;
}

/* The new key for every other active user, sealed to her certified box key
 * and signed by the device key; disabled users' updates go. */
static int rekey_updates(struct store *s, const struct keys *nk, struct store_rotate_stats *stats,
			 struct err *err)
{
	uint8_t sealed[UPDATE_LEN], digest[64], sig[64], audit_pk[32], box_pk[32];
	struct active_user *v = NULL;
	size_t n = 0;
	int rc;

	/* Active: a slot, and in the audit log (verified by store_key_rotate)
	 * her latest user-add / user-passwd / user-disable entry is not a
	 * disable. A slot row saved before a disable and written back after
	 * it is not enough (wrapped is plain data). */
#define ACTIVE_USERS "SELECT uuid FROM users u WHERE wrapped IS NOT NULL AND " \
	"COALESCE((SELECT action FROM audit WHERE object = u.uuid AND action IN (?2, ?3, ?4) " \
	"ORDER BY seq DESC LIMIT 1), 0) != ?4"
	if (db_run(s->db, "DELETE FROM key_updates WHERE user NOT IN (" ACTIVE_USERS ") OR user = ?1",
		   "key updates", DB_ARGS(DB_UUID(s->user.uuid), DB_INT(AUDIT_USER_ADD),
					  DB_INT(AUDIT_USER_PASSWD), DB_INT(AUDIT_USER_DISABLE)),
		   err) < 0 ||
	    db_collect(s->db, "SELECT uuid, gen FROM users WHERE uuid IN (" ACTIVE_USERS ") AND "
		       "uuid != ?1 ORDER BY label",
		       DB_ARGS(DB_UUID(s->user.uuid), DB_INT(AUDIT_USER_ADD),
			       DB_INT(AUDIT_USER_PASSWD), DB_INT(AUDIT_USER_DISABLE)),
		       sizeof *v, active_row, NULL, (void **)&v, &n, "users", err) < 0)
		return -1;
#undef ACTIVE_USERS
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct dbq *st;
		int ok = cert_get(s, nk->pinned, v[i].uuid, v[i].gen, audit_pk, err);

		if (ok < 0) {
			rc = -1;
			break;
		}
		/* the box key of the certificate cert_get just verified */
		if (ok == 1 && (ok = db_row(s->db, "SELECT box_pk FROM user_certs WHERE uuid = ? AND "
					    "gen = ?", &st, "certificate",
					    DB_ARGS(DB_UUID(v[i].uuid), DB_INT(v[i].gen)), err)) == 1) {
			ok = dbq_bytes(st, 0) == 32;
			if (ok)
				memcpy(box_pk, dbq_blob(st, 0), 32);
			db_done(st);
		}
		if (ok < 0) {
			rc = -1;
			break;
		}
		if (ok != 1) {
			/* no certified box key: an admin must reset her PIN */
			stats->skipped++;
			rc = db_run(s->db, "DELETE FROM key_updates WHERE user = ?", "key updates",
				    DB_ARGS(DB_UUID(v[i].uuid)), err);
			continue;
		}
		crypto_box_seal(sealed, nk->data, KEY_LEN, box_pk);
		update_digest(s, v[i].uuid, v[i].gen, nk->epoch, sealed, digest);
		rc = store_device_sign(s, digest, sig, err);
		if (rc == 0)
			rc = db_run(s->db, "INSERT INTO key_updates(user, epoch, gen, sealed, "
				    "sig) VALUES(?,?,?,?,?) ON CONFLICT(user) DO UPDATE SET "
				    "epoch = excluded.epoch, gen = excluded.gen, "
				    "sealed = excluded.sealed, sig = excluded.sig", "key updates",
				    DB_ARGS(DB_UUID(v[i].uuid), DB_INT(nk->epoch), DB_INT(v[i].gen),
					    DB_BLOB(sealed, sizeof sealed), DB_BLOB(sig, sizeof sig)),
				    err);
		if (rc == 0)
			stats->updates++;
	}
	free(v);
	return rc;
}

/* The admin's own slot under her PIN, which must open it now. */
int rotate_rewrap_own(struct store *s, const struct keys *nk, const char *pin, size_t pin_len,
		      struct err *err)
{
	struct keys *probe = keys_new();
	struct slot sl = { 0 };
	struct dbq *st;
	int rc;

	if (!probe)
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = db_row(s->db, "SELECT opslimit, memlimit, salt, nonce, wrapped FROM users WHERE uuid = ?",
		    &st, "slot", DB_ARGS(DB_UUID(s->user.uuid)), err);
	if (rc == 1) {
		sl.opslimit = (uint64_t)dbq_int64(st, 0);
		sl.memlimit = (size_t)dbq_int64(st, 1);
		rc = dbq_bytes(st, 2) == (int)sizeof sl.salt &&
		     dbq_bytes(st, 3) == (int)sizeof sl.nonce &&
		     (size_t)dbq_bytes(st, 4) <= sizeof sl.ct;
		if (rc) {
			memcpy(sl.salt, dbq_blob(st, 2), sizeof sl.salt);
			memcpy(sl.nonce, dbq_blob(st, 3), sizeof sl.nonce);
			sl.ct_len = (size_t)dbq_bytes(st, 4);
			memcpy(sl.ct, dbq_blob(st, 4), sl.ct_len);
		}
		db_done(st);
		rc = rc ? 0 : err_set(err, ERR_CRYPTO, NULL, "the admin's slot is malformed");
	} else if (rc == 0) {
		rc = err_set(err, ERR_NOTFOUND, "user", "no slot for this session");
	}
	if (rc == 0)
		rc = vault_unwrap(&sl, ROLE_ADMIN, s->store_id, s->user.uuid, pin, pin_len, probe, err);
	keys_free(probe);
	sodium_memzero(&sl, sizeof sl);
	if (rc == 0)
		rc = slot_rewrap(s, nk, ROLE_ADMIN, s->user.uuid, pin, pin_len, &s->user.kdf, err);
	return rc < 0 ? -1 : 0;
}


int need_key_admin(const struct store *s, struct err *err)
{
	if (need_admin(s, err) < 0)
		return -1;
	if (!s->keys->has_seed)
		return err_set(err, ERR_DENIED, NULL, "log in as an admin first");
	if (s->batch)
		return err_set(err, ERR_DENIED, NULL, "a batch is open");
	return 0;
}

/* The recovery slot, when the device is enrolled: the new keys to the
 * same district key. */
static int rekey_recovery(struct store *s, const struct keys *nk, bool *done, struct err *err)
{
	uint8_t pk[32], sealed[3 * KEY_LEN + crypto_box_SEALBYTES];
	struct dbq *st;
	int rc = db_row(s->db, "SELECT district_pk FROM recovery WHERE id = 1", &st, "recovery",
			DB_NOARGS, err);

	*done = false;
	if (rc <= 0)
		return rc;
	rc = dbq_bytes(st, 0) == 32;
	if (rc)
		memcpy(pk, dbq_blob(st, 0), 32);
	db_done(st);
	if (!rc)
		return err_set(err, ERR_CRYPTO, NULL, "the recovery slot is malformed");
	/* K_data ‖ K_quiz ‖ K_admin are contiguous at the start of struct keys. */
	crypto_box_seal(sealed, nk->data, 3 * KEY_LEN, pk);
	*done = true;
	return db_run(s->db, "UPDATE recovery SET sealed = ? WHERE id = 1", "recovery",
		      DB_ARGS(DB_BLOB(sealed, sizeof sealed)), err);
}

int store_key_rotate(struct store *s, const char *pin, size_t pin_len,
		     store_progress_fn progress, void *ctx, struct store_rotate_stats *stats,
		     struct err *err)
{
	struct store_rotate_stats local;
	struct keys *old, *nk;
	uint8_t check[CHECK_LEN], digest[32];
	char detail[96];
	int64_t count;
	uint64_t bad_seq;
	int rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (need_key_admin(s, err) < 0)
		return -1;
	/* Who gets the new key is read from the audit log (rekey_updates):
	 * it must verify, and nothing may have been flagged at this login. */
	if (s->warn)
		return err_set(err, ERR_CRYPTO, NULL, "key rotate: the store was changed outside the "
			       "app (%s); run audit verify", s->warn_detail);
	if (store_audit_verify(s, NULL, &bad_seq, err) < 0)
		return -1;
	old = s->keys;
	if (epoch_of(old) == UINT32_MAX)
		return err_set(err, ERR_RANGE, NULL, "no more data-key epochs");
	if (!(nk = keys_new()))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	memcpy(nk, old, sizeof *nk);
	randombytes_buf(nk->data, KEY_LEN);
	keys_derive(nk);
	nk->epoch = epoch_of(old) + 1;
	if (epoch_of(old) == 1)
		crypto_kdf_derive_from_key(nk->loadid, KEY_LEN, 1, "pyloadid", old->data);
	stats->epoch = nk->epoch;

	if (db_begin(s->db, err) < 0) {
		keys_free(nk);
		return -1;
	}
	rc = rekey_versions(s, nk, progress, ctx, &stats->versions, err);
	if (rc == 0)
		rc = draft_rekey(s, old->data, nk->data, err);
	if (rc == 0)
		rc = quiz_att_rekey(s, old->data, nk->data, err);
	if (rc == 0)
		rc = rekey_epochs(s, nk, err);
	if (rc == 0) {
		key_check(s, nk->data, nk->epoch, check);
		rc = meta_put(s->db, "key.check", check, sizeof check, err);
	}
	if (rc == 0)
		rc = rotate_rewrap_own(s, nk, pin, pin_len, err);
	if (rc == 0)
		rc = rekey_updates(s, nk, stats, err);
	if (rc == 0)
		rc = rekey_recovery(s, nk, &stats->recovery, err);
	if (rc == 0)
		rc = rekey_digest(s, nk->epoch, digest, &count, err);
	if (rc < 0) {
		db_rollback(s->db);
		keys_free(nk);
		return -1;
	}
	/* The rotation's entry is the first of the new epoch. */
	s->keys = nk;
	rotate_detail(detail, sizeof detail, nk->epoch, count, digest);
	if (audit_commit(s, 0, AUDIT_KEY, s->store_id, detail, err) < 0) {
		s->keys = old;
		keys_free(nk);
		return -1;
	}
	keys_free(old);
	return 0;
}
