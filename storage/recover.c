/* storage/recover.c: district recovery and district X25519 rotation, the
 * store side (storage/recover.h). */
#include "storage/recover.h"
#include "storage/internal.h"

#include <stdio.h>
#include <string.h>

#include "core/valid.h"
#include "storage/clock.h"
#include "core/banned.h"

#define DEVKEY_DOMAIN "posyandu/v1/devkey"   /* as storage/store.c seals them */
#define PENDING_DOMAIN "posyandu/v1/recpending"
#define SK_LEN (crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES)
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEYS3 (3 * KEY_LEN)

/* BLAKE2b-256("posyandu/v1/kid" ‖ pk)[0..8], as sync/keystr.c. */
static void kid_of(const uint8_t pk[32], uint8_t kid[8])
{
	static const char d[] = "posyandu/v1/kid";
	crypto_generichash_state st;
	uint8_t h[32];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)d, sizeof d - 1);
	crypto_generichash_update(&st, pk, 32);
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(kid, h, 8);
}

static void devkey_ad(const uint8_t store_id[16], uint8_t ad[sizeof DEVKEY_DOMAIN - 1 + 16])
{
	memcpy(ad, DEVKEY_DOMAIN, sizeof DEVKEY_DOMAIN - 1);
	memcpy(ad + sizeof DEVKEY_DOMAIN - 1, store_id, 16);
}

/* Open a device secret blob with K_ADMIN into guarded memory (SK_LEN). */
static uint8_t *devsecret_open(const uint8_t *blob, size_t n, const uint8_t store_id[16],
			       const uint8_t k_admin[KEY_LEN], struct err *err)
{
	uint8_t ad[sizeof DEVKEY_DOMAIN - 1 + 16];
	unsigned long long plen;
	uint8_t *sk;

	if (n != RECOVER_DEVSECRET_LEN) {
		err_set(err, ERR_CRYPTO, NULL, "the device secret keys are missing");
		return NULL;
	}
	if (!(sk = sodium_malloc(SK_LEN))) {
		err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		return NULL;
	}
	devkey_ad(store_id, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, &plen, NULL, blob + NONCE_LEN,
						       n - NONCE_LEN, ad, sizeof ad, blob,
						       k_admin) != 0 || plen != SK_LEN) {
		sodium_free(sk);
		err_set(err, ERR_CRYPTO, NULL, "the keys do not open this device's secret keys");
		return NULL;
	}
	return sk;
}

/* Do the secret keys SK (Ed25519 ‖ X25519) belong to ED_PK and X_PK? */
static bool sk_matches(const uint8_t *sk, const uint8_t ed_pk[32], const uint8_t x_pk[32])
{
	uint8_t seed[32], pk[32], tmp[64], xpk[32];
	bool ok;

	crypto_sign_ed25519_sk_to_seed(seed, sk);
	crypto_sign_seed_keypair(pk, tmp, seed);
	crypto_scalarmult_base(xpk, sk + crypto_sign_SECRETKEYBYTES);
	ok = sodium_memcmp(pk, ed_pk, 32) == 0 && sodium_memcmp(xpk, x_pk, 32) == 0;
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(tmp, sizeof tmp);
	return ok;
}

static int meta_exact(struct store *s, const char *key, void *out, size_t len, struct err *err)
{
	size_t n = 0;
	int rc = meta_get(s->db, key, out, len, &n, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || n != len)
		return err_set(err, ERR_CRYPTO, NULL, "store lacks %s", key);
	return 0;
}

/* ---- device: the request ---- */

static void pending_ad(const struct store *s, const uint8_t req_pk[32], const char *admin,
		       uint8_t *ad, size_t *len)
{
	size_t o = 0, an = strlen(admin);
	memcpy(ad, PENDING_DOMAIN, sizeof PENDING_DOMAIN - 1);
	o += sizeof PENDING_DOMAIN - 1;
	memcpy(ad + o, s->store_id, 16);
	o += 16;
	memcpy(ad + o, req_pk, 32);
	o += 32;
	memcpy(ad + o, admin, an);
	*len = o + an;
}

static int pin_kek(const char *pin, size_t pin_len, const uint8_t salt[crypto_pwhash_SALTBYTES],
		   uint64_t ops, size_t mem, uint8_t *kek, struct err *err)
{
	if (ops < crypto_pwhash_OPSLIMIT_MIN || mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > ((size_t)4 << 30))
		return err_set(err, ERR_CRYPTO, NULL, "bad Argon2id parameters");
	if (crypto_pwhash(kek, KEY_LEN, pin, pin_len, salt, ops, mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(err, ERR_NOMEM, NULL, "Argon2id: out of memory");
	return 0;
}

int store_recover_request(struct store *s, const char *admin, const char *pin, size_t pin_len,
			  const struct kdf_params *kdf, uint8_t req_pk[32],
			  struct recover_blobs *b, struct err *err)
{
	uint8_t salt[crypto_pwhash_SALTBYTES], nonce[NONCE_LEN], ct[32 + ABYTES];
	uint8_t ad[sizeof PENDING_DOMAIN + 16 + 32 + 33];
	uint8_t *sk = NULL, *kek = NULL;
	struct dbq *st;
	size_t adlen, n;
	int64_t exists;
	int rc;

	memset(b, 0, sizeof *b);
	if (valid_user_label(admin, err) < 0)
		return -1;
	if (db_int(s->db, "SELECT count(*) FROM users WHERE label = ?", &exists, "user",
		   DB_ARGS(DB_TEXT(admin)), err) < 0)
		return -1;
	if (exists)
		return err_set(err, ERR_EXISTS, "user", "user \"%s\" exists: choose a new name for "
			       "the recovered admin", admin);
	/* What the district needs: the slot and the sealed device keys. */
	rc = db_row(s->db, "SELECT district_pk, sealed FROM recovery WHERE id = 1", &st, "recovery",
		    DB_NOARGS, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || dbq_bytes(st, 0) != 32 ||
	    dbq_bytes(st, 1) != RECOVER_SLOT_LEN) {
		if (st)
			db_done(st);
		return err_set(err, ERR_NOTFOUND, "district",
			       "this device has no recovery slot (it was never enrolled)");
	}
	memcpy(b->district_pk, dbq_blob(st, 0), 32);
	memcpy(b->slot, dbq_blob(st, 1), RECOVER_SLOT_LEN);
	db_done(st);
	if (meta_get(s->db, "device.secret", b->devsecret, sizeof b->devsecret, &n, err) != 1 ||
	    n != sizeof b->devsecret)
		return err_set(err, ERR_CRYPTO, NULL, "store lacks its secret keys");
	memcpy(b->store_id, s->store_id, 16);

	/* The request key pair; its secret sealed under the new PIN. */
	if (!(sk = sodium_malloc(32)) || !(kek = sodium_malloc(KEY_LEN))) {
		rc = err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		goto out;
	}
	crypto_box_keypair(req_pk, sk);
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(nonce, sizeof nonce);
	if ((rc = pin_kek(pin, pin_len, salt, kdf->opslimit, kdf->memlimit, kek, err)) < 0)
		goto out;
	pending_ad(s, req_pk, admin, ad, &adlen);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, sk, 32, ad, adlen, NULL, nonce, kek);
	if ((rc = db_begin(s->db, err)) < 0)
		goto out;
	rc = db_run(s->db, "INSERT INTO recovery_pending(request_pk, admin, created, opslimit, "
		    "memlimit, salt, nonce, wrapped) VALUES(?,?,?,?,?,?,?,?)", "recovery request",
		    DB_ARGS(DB_BLOB(req_pk, 32), DB_TEXT(admin), DB_INT(clock_now()),
			    DB_INT(kdf->opslimit), DB_INT(kdf->memlimit), DB_BLOB(salt, sizeof salt),
			    DB_BLOB(nonce, sizeof nonce), DB_BLOB(ct, sizeof ct)), err);
	/* No audit entry: the store is locked (no K_data). store_recover_done
	 * writes the one entry when the district's answer is used. */
	if (rc < 0)
		db_rollback(s->db);
	else
		rc = db_commit(s->db, err);
out:
	if (sk)
		sodium_free(sk);
	if (kek)
		sodium_free(kek);
	return rc < 0 ? -1 : 0;
}

/* The recovered keys become the session of the recovery pseudo-admin. */
static void recover_session(struct store *s, struct keys *k)
{
	store_lock(s);
	s->keys = k;
	memset(&s->user, 0, sizeof s->user);
	snprintf(s->user.label, sizeof s->user.label, "%s", "district recovery");
	s->user.role = ROLE_ADMIN;
}

int store_recover_open(struct store *s, const uint8_t req_pk[32],
		       const uint8_t sealed[RECOVER_SEALED_LEN], const char *pin, size_t pin_len,
		       char admin[33], struct err *err)
{
	uint8_t salt[crypto_pwhash_SALTBYTES], nonce[NONCE_LEN], ct[32 + ABYTES];
	uint8_t ad[sizeof PENDING_DOMAIN + 16 + 32 + 33], blob[RECOVER_DEVSECRET_LEN];
	uint8_t ed_pk[32], x_pk[32], pk[32];
	uint8_t *sk = NULL, *kek = NULL, *devsk = NULL;
	struct keys *k = NULL;
	uint64_t ops;
	size_t mem, adlen;
	struct dbq *st;
	int rc;

	rc = db_row(s->db, "SELECT admin, opslimit, memlimit, salt, nonce, wrapped FROM "
		    "recovery_pending WHERE request_pk = ?", &st, "recovery request",
		    DB_ARGS(DB_BLOB(req_pk, 32)), err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, "recover",
			       "no recovery request of this device is waiting for this answer "
			       "(made elsewhere, or already used)");
	snprintf(admin, 33, "%s", (const char *)dbq_text(st, 0));
	ops = (uint64_t)dbq_int64(st, 1);
	mem = (size_t)dbq_int64(st, 2);
	rc = dbq_bytes(st, 3) == sizeof salt && dbq_bytes(st, 4) == sizeof nonce &&
	     dbq_bytes(st, 5) == sizeof ct;
	if (rc) {
		memcpy(salt, dbq_blob(st, 3), sizeof salt);
		memcpy(nonce, dbq_blob(st, 4), sizeof nonce);
		memcpy(ct, dbq_blob(st, 5), sizeof ct);
	}
	db_done(st);
	if (!rc)
		return err_set(err, ERR_CRYPTO, "recover", "the pending request is damaged");

	store_lock(s);
	if (!(sk = sodium_malloc(32)) || !(kek = sodium_malloc(KEY_LEN)) || !(k = keys_new())) {
		rc = err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		goto out;
	}
	if ((rc = pin_kek(pin, pin_len, salt, ops, mem, kek, err)) < 0)
		goto out;
	pending_ad(s, req_pk, admin, ad, &adlen);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, ct, sizeof ct, ad, adlen,
						       nonce, kek) != 0) {
		rc = err_set(err, ERR_AUTH, "pin", "wrong PIN for this recovery request");
		goto out;
	}
	crypto_scalarmult_base(pk, sk);
	if (sodium_memcmp(pk, req_pk, 32) != 0 ||
	    crypto_box_seal_open(k->data, sealed, RECOVER_SEALED_LEN, req_pk, sk) != 0) {
		rc = err_set(err, ERR_CRYPTO, "recover", "the answer does not open with this request");
		goto out;
	}
	/* K_admin must open this store's device keys, and they must be its own. */
	if ((rc = meta_exact(s, "device.secret", blob, sizeof blob, err)) < 0 ||
	    (rc = meta_exact(s, "device.sign_pk", ed_pk, 32, err)) < 0 ||
	    (rc = meta_exact(s, "device.box_pk", x_pk, 32, err)) < 0)
		goto out;
	if (!(devsk = devsecret_open(blob, sizeof blob, s->store_id, k->admin, err))) {
		rc = -1;
		goto out;
	}
	if (!sk_matches(devsk, ed_pk, x_pk)) {
		rc = err_set(err, ERR_CRYPTO, "recover", "the keys are not this device's keys");
		goto out;
	}
	k->has_quiz = k->has_admin = true;
	memcpy(k->pinned, ed_pk, 32);   /* just proven: K_admin opens its secret */
	keys_derive(k);
	/* the epoch of the data key the slot held (storage/rotate.c) */
	if ((rc = rotate_keys_load(s, k, err)) < 0)
		goto out;
	recover_session(s, k);
	k = NULL;
	rc = 0;
out:
	if (sk)
		sodium_free(sk);
	if (kek)
		sodium_free(kek);
	if (devsk)
		sodium_free(devsk);
	keys_free(k);
	return rc < 0 ? -1 : 0;
}

int store_recover_done(struct store *s, const uint8_t req_pk[32], const char *admin,
		       struct err *err)
{
	char detail[96];
	int rc;

	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	rc = db_run(s->db, "DELETE FROM recovery_pending WHERE request_pk = ?", "recovery request",
		    DB_ARGS(DB_BLOB(req_pk, 32)), err);
	if (rc == 0 && db_changes(s->db) != 1)
		rc = err_set(err, ERR_NOTFOUND, "recover", "the recovery request was used already");
	snprintf(detail, sizeof detail, "admin %s recovered by district", admin);
	return audit_commit(s, rc, AUDIT_KEY, s->store_id, detail, err);
}

/* ---- district: the X25519 secret key for a public key ---- */

/* The district's own secret keys (Ed25519 ‖ X25519), current. */
static uint8_t *own_secret(struct store *s, struct err *err)
{
	uint8_t blob[RECOVER_DEVSECRET_LEN];
	if (need_admin(s, err) < 0 || meta_exact(s, "device.secret", blob, sizeof blob, err) < 0)
		return NULL;
	return devsecret_open(blob, sizeof blob, s->store_id, s->keys->admin, err);
}

#define OLDKEY_DOMAIN "posyandu/v1/oldkey"

static void oldkey_ad(const struct store *s, const uint8_t kid[8], uint8_t *ad)
{
	memcpy(ad, OLDKEY_DOMAIN, sizeof OLDKEY_DOMAIN - 1);
	memcpy(ad + sizeof OLDKEY_DOMAIN - 1, s->store_id, 16);
	memcpy(ad + sizeof OLDKEY_DOMAIN - 1 + 16, kid, 8);
}

/* A retired X25519 secret key by key id, into guarded memory (32 bytes);
 * NULL with ERR_NOTFOUND when it is not kept. PK gets its public key. */
static uint8_t *old_secret(struct store *s, const uint8_t kid[8], uint8_t pk[32], struct err *err)
{
	uint8_t nonce[NONCE_LEN], ct[32 + ABYTES], ad[sizeof OLDKEY_DOMAIN - 1 + 24];
	uint8_t *sk;
	struct dbq *st;
	int rc;

	if (need_admin(s, err) < 0)
		return NULL;
	rc = db_row(s->db, "SELECT x_pk, nonce, sealed FROM district_old_keys WHERE kid = ?", &st,
		    "old key", DB_ARGS(DB_BLOB(kid, 8)), err);
	if (rc <= 0) {
		if (rc == 0)
			err_set(err, ERR_NOTFOUND, "bundle-recipient",
				"the district no longer keeps that key");
		return NULL;
	}
	rc = dbq_bytes(st, 0) == 32 && dbq_bytes(st, 1) == sizeof nonce &&
	     dbq_bytes(st, 2) == sizeof ct;
	if (rc) {
		memcpy(pk, dbq_blob(st, 0), 32);
		memcpy(nonce, dbq_blob(st, 1), sizeof nonce);
		memcpy(ct, dbq_blob(st, 2), sizeof ct);
	}
	db_done(st);
	if (!rc || !(sk = sodium_malloc(32))) {
		err_set(err, rc ? ERR_NOMEM : ERR_CRYPTO, NULL, "the retired key is damaged");
		return NULL;
	}
	oldkey_ad(s, kid, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, ct, sizeof ct, ad, sizeof ad,
						       nonce, s->keys->admin) != 0) {
		sodium_free(sk);
		err_set(err, ERR_CRYPTO, NULL, "the retired key does not open");
		return NULL;
	}
	return sk;
}

/* The X25519 secret key (32 bytes, guarded) whose public key is PK. */
static uint8_t *x_secret_for(struct store *s, const uint8_t pk[32], struct err *err)
{
	uint8_t cur[32], kid[8], opk[32];
	uint8_t *sk, *x;

	if (meta_exact(s, "device.box_pk", cur, 32, err) < 0)
		return NULL;
	if (sodium_memcmp(cur, pk, 32) == 0) {
		if (!(sk = own_secret(s, err)))
			return NULL;
		if (!(x = sodium_malloc(32))) {
			sodium_free(sk);
			err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
			return NULL;
		}
		memcpy(x, sk + crypto_sign_SECRETKEYBYTES, 32);
		sodium_free(sk);
		return x;
	}
	kid_of(pk, kid);
	if (!(x = old_secret(s, kid, opk, err)))
		return NULL;
	if (sodium_memcmp(opk, pk, 32) != 0) {
		sodium_free(x);
		err_set(err, ERR_CRYPTO, NULL, "the retired key is damaged");
		return NULL;
	}
	return x;
}

int store_recover_reseal(struct store *s, const struct recover_blobs *b, const uint8_t device[16],
			 const uint8_t ed_pk[32], const uint8_t x_pk[32], const uint8_t req_pk[32],
			 uint8_t out[RECOVER_SEALED_LEN], struct err *err)
{
	uint8_t *x = NULL, *keys = NULL, *devsk = NULL;
	int rc = -1;

	if (need_admin(s, err) < 0)
		return -1;
	if (!(x = x_secret_for(s, b->district_pk, err))) {
		if (err && err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, "recover", "the recovery slot is sealed to a district "
				"key this server no longer keeps");
		return -1;
	}
	if (!(keys = sodium_malloc(KEYS3))) {
		err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		goto out;
	}
	if (crypto_box_seal_open(keys, b->slot, RECOVER_SLOT_LEN, b->district_pk, x) != 0) {
		err_set(err, ERR_CRYPTO, "recover", "the recovery slot does not open with the district key");
		goto out;
	}
	/* K_admin must open the device's own secret keys, and those must be the
	 * keys it enrolled with: the slot is this device's. */
	if (!(devsk = devsecret_open(b->devsecret, sizeof b->devsecret, b->store_id,
				     keys + 2 * KEY_LEN, err)))
		goto out;
	if (!sk_matches(devsk, ed_pk, x_pk)) {
		err_set(err, ERR_CRYPTO, "recover", "the recovery slot holds the keys of another device");
		goto out;
	}
	crypto_box_seal(out, keys, KEYS3, req_pk);
	if (db_begin(s->db, err) < 0)
		goto out;
	rc = audit_commit(s, 0, AUDIT_KEY, device, "recovery answer sealed for the device", err);
out:
	if (x)
		sodium_free(x);
	if (keys)
		sodium_free(keys);
	if (devsk)
		sodium_free(devsk);
	return rc;
}

/* ---- district: rotation ---- */

static int serial_get(struct store *s, const char *key, uint64_t *serial, struct err *err)
{
	uint8_t b[8];
	size_t n = 0;
	int rc = meta_get(s->db, key, b, sizeof b, &n, err);
	*serial = 0;
	if (rc < 0)
		return -1;
	if (rc == 1 && n == 8)
		for (int i = 0; i < 8; i++)
			*serial = (*serial << 8) | b[i];
	return 0;
}

static int serial_put(struct store *s, const char *key, uint64_t serial, struct err *err)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--, serial >>= 8)
		b[i] = (uint8_t)serial;
	return meta_put(s->db, key, b, sizeof b, err);
}

int store_district_serial(struct store *s, uint64_t *serial, struct err *err)
{
	return serial_get(s, "district.key_serial", serial, err);
}

int store_district_rotate(struct store *s, uint8_t new_pk[32], uint64_t *serial, struct err *err)
{
	uint8_t old_pk[32], kid[8], nonce[NONCE_LEN], oct[32 + ABYTES];
	uint8_t ad[sizeof OLDKEY_DOMAIN - 1 + 24], dad[sizeof DEVKEY_DOMAIN - 1 + 16];
	uint8_t blob[RECOVER_DEVSECRET_LEN];
	uint8_t *sk;
	char detail[96];
	int rc;

	if (!(sk = own_secret(s, err)))
		return -1;
	if (meta_exact(s, "device.box_pk", old_pk, 32, err) < 0 ||
	    store_district_serial(s, serial, err) < 0) {
		sodium_free(sk);
		return -1;
	}
	/* The old secret key, kept under K_admin by its key id. */
	kid_of(old_pk, kid);
	oldkey_ad(s, kid, ad);
	randombytes_buf(nonce, sizeof nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(oct, NULL, sk + crypto_sign_SECRETKEYBYTES, 32,
						   ad, sizeof ad, NULL, nonce, s->keys->admin);
	/* The new pair replaces it in the device secret (same Ed25519 key). */
	crypto_box_keypair(new_pk, sk + crypto_sign_SECRETKEYBYTES);
	randombytes_buf(blob, NONCE_LEN);
	devkey_ad(s->store_id, dad);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + NONCE_LEN, NULL, sk, SK_LEN, dad,
						   sizeof dad, NULL, blob, s->keys->admin);
	sodium_free(sk);
	(*serial)++;
	if (db_begin(s->db, err) < 0)
		return -1;
	rc = db_run(s->db, "INSERT INTO district_old_keys(kid, x_pk, nonce, sealed, "
		    "retired_at) VALUES(?,?,?,?,?) ON CONFLICT(kid) DO UPDATE SET "
		    "x_pk = excluded.x_pk, nonce = excluded.nonce, sealed = excluded.sealed, "
		    "retired_at = excluded.retired_at", "old key",
		    DB_ARGS(DB_BLOB(kid, 8), DB_BLOB(old_pk, 32), DB_BLOB(nonce, sizeof nonce),
			    DB_BLOB(oct, sizeof oct), DB_INT(clock_now())), err);
	if (rc == 0)
		rc = meta_put(s->db, "device.box_pk", new_pk, 32, err);
	if (rc == 0)
		rc = meta_put(s->db, "device.secret", blob, sizeof blob, err);
	if (rc == 0)
		rc = serial_put(s, "district.key_serial", *serial, err);
	snprintf(detail, sizeof detail, "district X25519 key rotated (serial %llu)",
		 (unsigned long long)*serial);
	return audit_commit(s, rc, AUDIT_KEY, s->store_id, detail, err);
}

int store_district_prune(struct store *s, int64_t before, size_t *n, struct err *err)
{
	char detail[96];
	int rc;

	*n = 0;
	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	rc = db_run(s->db, "DELETE FROM district_old_keys WHERE retired_at <= ?", "prune keys",
		    DB_ARGS(DB_INT(before)), err);
	if (rc == 0)
		*n = (size_t)db_changes(s->db);
	snprintf(detail, sizeof detail, "%zu retired district key(s) destroyed", *n);
	return audit_commit(s, rc, AUDIT_KEY, s->store_id, detail, err);
}

int store_district_old_has(struct store *s, const uint8_t kid[8], bool *has, struct err *err)
{
	int64_t n;
	if (db_int(s->db, "SELECT count(*) FROM district_old_keys WHERE kid = ?", &n, "old key",
		   DB_ARGS(DB_BLOB(kid, 8)), err) < 0)
		return -1;
	*has = n > 0;
	return 0;
}

int store_district_old_unseal(struct store *s, const uint8_t kid[8], const uint8_t sealed[80],
			      uint8_t key[32], struct err *err)
{
	uint8_t pk[32];
	uint8_t *x = old_secret(s, kid, pk, err);
	int rc;

	if (!x)
		return -1;
	rc = crypto_box_seal_open(key, sealed, 80, pk, x);
	sodium_free(x);
	return rc == 0 ? 0 : err_set(err, ERR_CRYPTO, "bundle-key",
				     "the file key does not open with the retired key");
}

/* ---- device: the key update serial ---- */

int store_keyupdate_serial(struct store *s, uint64_t *serial, struct err *err)
{
	return serial_get(s, "sync.key_serial", serial, err);
}

int store_keyupdate_serial_set(struct store *s, uint64_t serial, struct err *err)
{
	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (serial_put(s, "sync.key_serial", serial, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return db_commit(s->db, err);
}

/* ---- recovery slot ---- */

int store_recovery_seal(struct store *s, const uint8_t pk[32], struct err *err)
{
	uint8_t sealed[3 * KEY_LEN + crypto_box_SEALBYTES];

	if (need_admin(s, err) < 0)
		return -1;
	/* K_data ‖ K_quiz ‖ K_admin are contiguous at the start of struct keys. */
	crypto_box_seal(sealed, s->keys->data, 3 * KEY_LEN, pk);
	if (db_begin(s->db, err) < 0)
		return -1;
	return audit_commit(s, db_run(s->db, "INSERT INTO recovery(id, district_pk, sealed) "
				      "VALUES(1, ?, ?) ON CONFLICT(id) DO UPDATE SET "
				      "district_pk = excluded.district_pk, sealed = excluded.sealed", "recovery",
				      DB_ARGS(DB_BLOB(pk, 32), DB_BLOB(sealed, sizeof sealed)), err),
			    AUDIT_KEY, s->store_id, "recovery slot sealed", err);
}

int store_recovery_check(struct store *s, const uint8_t pk[32], const uint8_t sk[32],
			 struct err *err)
{
	uint8_t sealed[3 * KEY_LEN + crypto_box_SEALBYTES];
	uint8_t *plain;
	struct dbq *st;
	int rc, same;

	if (need_admin(s, err) < 0)
		return -1;
	if (db_prepare(s->db, "SELECT sealed FROM recovery WHERE id = 1", &st, err) < 0)
		return -1;
	rc = dbq_step(st);
	if (rc != SQLITE_ROW || dbq_bytes(st, 0) != (int)sizeof sealed) {
		db_done(st);
		return err_set(err, ERR_NOTFOUND, NULL, "no recovery slot");
	}
	memcpy(sealed, dbq_blob(st, 0), sizeof sealed);
	db_done(st);
	if (!(plain = sodium_malloc(3 * KEY_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	if (crypto_box_seal_open(plain, sealed, sizeof sealed, pk, sk) != 0) {
		sodium_free(plain);
		return err_set(err, ERR_CRYPTO, NULL, "recovery slot does not open with that key");
	}
	same = sodium_memcmp(plain, s->keys->data, 3 * KEY_LEN) == 0;
	sodium_free(plain);
	return same ? 0 : err_set(err, ERR_CRYPTO, NULL, "recovery slot holds other keys");
}
