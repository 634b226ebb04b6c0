/* storage/cert.c: user certificates and the audit signing state (SECURITY.md
 * §2.2, §2.12; issue 13.4).
 *
 * Every slot holds K_data, so K_data proves nothing about who wrote a row.
 * What a co-user cannot make is a signature by the device key, which lives
 * only under K_admin: a certificate = Ed25519(device key, "posyandu/v2/
 * user-cert" ‖ store_id ‖ user ‖ role ‖ gen ‖ audit_pk_0 ‖ box_pk). The
 * slot (v2) pins the device's public key next to the user's own seed, so a
 * slot written with K_data alone, or a certificate signed by another key,
 * is refused at login. pk_0 is a fresh random key (not derived from the
 * seed: then even the user, later, cannot re-sign her first entry); its
 * secret half starts her audit state, sealed under kdf(seed, "pyastate"). */
#include "storage/internal.h"
#include "storage/sync_store.h"
#include "storage/audit.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CERT_DOMAIN "posyandu/v2/user-cert"
#define ASTATE_DOMAIN "posyandu/v2/astate"

_Static_assert(crypto_sign_SECRETKEYBYTES == 64 && ASTATE_LEN == 8 + crypto_sign_SECRETKEYBYTES,
	       "struct keys holds crypto_sign secret keys of 64 bytes");
#define SELFTEST_DOMAIN "posyandu/v2/devkey-selftest"

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

void user_box_keys(const uint8_t seed[32], uint8_t pk[32], uint8_t *sk)
{
	uint8_t *x = sodium_malloc(crypto_box_SEEDBYTES + crypto_box_SECRETKEYBYTES);
	uint8_t *out_sk = sk ? sk : x + crypto_box_SEEDBYTES;

	if (!x)
		abort();
	crypto_kdf_derive_from_key(x, crypto_box_SEEDBYTES, 1, "pyboxkey", seed);
	crypto_box_seed_keypair(pk, out_sk, x);
	sodium_free(x);
}

static void cert_digest_id(const uint8_t store_id[16], const uint8_t user[16], int role,
			   int64_t gen, const uint8_t audit_pk[32], const uint8_t box_pk[32],
			   uint8_t out[64])
{
	crypto_generichash_state h;
	uint8_t b[8], r = (uint8_t)role;

	crypto_generichash_init(&h, NULL, 0, 64);
	crypto_generichash_update(&h, (const uint8_t *)CERT_DOMAIN, sizeof CERT_DOMAIN - 1);
	crypto_generichash_update(&h, store_id, 16);
	crypto_generichash_update(&h, user, 16);
	crypto_generichash_update(&h, &r, 1);
	be64(b, (uint64_t)gen);
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_update(&h, audit_pk, 32);
	crypto_generichash_update(&h, box_pk, 32);
	crypto_generichash_final(&h, out, 64);
}

static void cert_digest(const struct store *s, const uint8_t user[16], int role, int64_t gen,
			const uint8_t audit_pk[32], const uint8_t box_pk[32], uint8_t out[64])
{
	cert_digest_id(s->store_id, user, role, gen, audit_pk, box_pk, out);
}

bool cert_wire_verify(const struct cert_wire *c, const uint8_t ed_pk[32])
{
	uint8_t digest[64];

	if (c->role < ROLE_KADER || c->role > ROLE_ADMIN)
		return false;
	cert_digest_id(c->store_id, c->user, c->role, c->gen, c->audit_pk, c->box_pk, digest);
	return crypto_sign_verify_detached(c->sig, digest, 64, ed_pk) == 0;
}

int cert_wire_each(struct store *s, cert_wire_fn fn, void *ctx, struct err *err)
{
	struct cert_wire c;
	struct dbq *st;
	int rc;

	if (db_prepare(s->db, "SELECT uuid, gen, role, audit_pk, box_pk, sig FROM user_certs "
			      "ORDER BY uuid, gen", &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof c);
		memcpy(c.store_id, s->store_id, 16);
		if (dbq_bytes(st, 0) != 16 || dbq_bytes(st, 3) != 32 ||
		    dbq_bytes(st, 4) != 32 || dbq_bytes(st, 5) != 64)
			continue;          /* not a certificate: the district would refuse it */
		memcpy(c.user, dbq_blob(st, 0), 16);
		c.gen = dbq_int64(st, 1);
		c.role = dbq_int(st, 2);
		memcpy(c.audit_pk, dbq_blob(st, 3), 32);
		memcpy(c.box_pk, dbq_blob(st, 4), 32);
		memcpy(c.sig, dbq_blob(st, 5), 64);
		if (fn(ctx, &c, err) < 0) {
			db_done(st);
			return -1;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "certificates");
}

#define ASTATE_AD (sizeof ASTATE_DOMAIN - 1 + 40)

/* The state is bound to this store, this user and this generation. */
static void astate_ad(const struct store *s, const uint8_t user[16], int64_t gen,
		      uint8_t ad[ASTATE_AD])
{
	memcpy(ad, ASTATE_DOMAIN, sizeof ASTATE_DOMAIN - 1);
	memcpy(ad + sizeof ASTATE_DOMAIN - 1, s->store_id, 16);
	memcpy(ad + sizeof ASTATE_DOMAIN - 1 + 16, user, 16);
	be64(ad + sizeof ASTATE_DOMAIN - 1 + 32, (uint64_t)gen);
}

#define ASTATE_BLOB (24 + ASTATE_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES)

int astate_seal(struct store *s, const uint8_t user[16], int64_t gen, const uint8_t seed[32],
		uint64_t uidx, const uint8_t *sk, struct err *err)
{
	uint8_t ad[ASTATE_AD], blob[ASTATE_BLOB];
	uint8_t *buf = s->keys->work;
	unsigned long long clen;
	int rc;

	crypto_kdf_derive_from_key(buf, KEY_LEN, 2, "pyastate", seed);
	be64(buf + KEY_LEN, uidx);
	memcpy(buf + KEY_LEN + 8, sk, crypto_sign_SECRETKEYBYTES);
	astate_ad(s, user, gen, ad);
	randombytes_buf(blob, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 24, &clen, buf + KEY_LEN, ASTATE_LEN,
						   ad, sizeof ad, NULL, blob, buf);
	sodium_memzero(buf, sizeof s->keys->work);
	rc = db_run(s->db, "UPDATE users SET audit_state = ? WHERE uuid = ? AND gen = ?",
		    "audit state", DB_ARGS(DB_BLOB(blob, sizeof blob), DB_UUID(user), DB_INT(gen)),
		    err);
	if (rc == 0 && db_changes(s->db) != 1)
		return err_set(err, ERR_CRYPTO, "user-cert", "no user row for the audit state");
	return rc;
}

int astate_open(struct store *s, const uint8_t user[16], int64_t *gen, uint64_t *uidx,
		uint8_t *sk, struct err *err)
{
	uint8_t ad[ASTATE_AD], blob[ASTATE_BLOB];
	uint8_t *buf;
	struct dbq *st;
	int rc;

	if (!s->keys || !s->keys->has_seed)
		return err_set(err, ERR_CRYPTO, "user-cert", "session has no user seed");
	rc = db_row(s->db, "SELECT gen, audit_state FROM users WHERE uuid = ?", &st, "audit state",
		    DB_ARGS(DB_UUID(user)), err);
	if (rc <= 0)
		return rc < 0 ? -1 : err_set(err, ERR_CRYPTO, "user-cert", "no such user");
	*gen = dbq_int64(st, 0);
	rc = dbq_bytes(st, 1) == (int)sizeof blob;
	if (rc)
		memcpy(blob, dbq_blob(st, 1), sizeof blob);
	db_done(st);
	if (!rc)
		return err_set(err, ERR_CRYPTO, "user-cert", "the audit state is missing");
	buf = s->keys->work;
	crypto_kdf_derive_from_key(buf, KEY_LEN, 2, "pyastate", s->keys->seed);
	astate_ad(s, user, *gen, ad);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(buf + KEY_LEN, NULL, NULL, blob + 24,
							sizeof blob - 24, ad, sizeof ad, blob, buf);
	if (rc == 0) {
		*uidx = 0;
		for (int i = 0; i < 8; i++)
			*uidx = *uidx << 8 | buf[KEY_LEN + i];
		memcpy(sk, buf + KEY_LEN + 8, crypto_sign_SECRETKEYBYTES);
	}
	sodium_memzero(buf, sizeof s->keys->work);
	return rc == 0 ? 0 : err_set(err, ERR_CRYPTO, "user-cert", "the audit state does not open");
}

/* The certificate (USER, GEN) verified under PINNED: 1 with its role and keys,
 * 0 when it is absent or does not verify. */
static int cert_load(struct store *s, const uint8_t pinned[32], const uint8_t user[16],
		     int64_t gen, int *role, uint8_t audit_pk[32], uint8_t box_pk[32],
		     struct err *err)
{
	uint8_t digest[64], sig[64];
	struct dbq *st;
	bool sized;
	int rc = db_row(s->db, "SELECT role, audit_pk, box_pk, sig FROM user_certs "
			"WHERE uuid = ? AND gen = ?", &st, "certificate",
			DB_ARGS(DB_UUID(user), DB_INT(gen)), err);

	if (rc <= 0)
		return rc;
	*role = dbq_int(st, 0);
	sized = dbq_bytes(st, 1) == 32 && dbq_bytes(st, 2) == 32 &&
		dbq_bytes(st, 3) == 64 && dbq_int64(st, 0) >= ROLE_KADER &&
		dbq_int64(st, 0) <= ROLE_ADMIN;
	if (sized) {
		memcpy(audit_pk, dbq_blob(st, 1), 32);
		memcpy(box_pk, dbq_blob(st, 2), 32);
		memcpy(sig, dbq_blob(st, 3), 64);
	}
	db_done(st);
	if (!sized)
		return 0;
	cert_digest(s, user, *role, gen, audit_pk, box_pk, digest);
	return crypto_sign_verify_detached(sig, digest, 64, pinned) == 0 ? 1 : 0;
}

int cert_get(struct store *s, const uint8_t pinned[32], const uint8_t user[16], int64_t gen,
	     uint8_t audit_pk[32], struct err *err)
{
	uint8_t box_pk[32];
	int role;
	return cert_load(s, pinned, user, gen, &role, audit_pk, box_pk, err);
}

int cert_role(struct store *s, const uint8_t pinned[32], const uint8_t user[16], int64_t gen,
	      int *role, struct err *err)
{
	uint8_t audit_pk[32], box_pk[32];
	int64_t any;
	int rc;

	if (gen < 0 && db_int(s->db, "SELECT gen FROM users WHERE uuid = ?", &gen, "user",
			      DB_ARGS(DB_UUID(user)), err) < 0)
		return -1;
	rc = cert_load(s, pinned, user, gen, role, audit_pk, box_pk, err);
	if (rc != 0)
		return rc;
	if (db_int(s->db, "SELECT count(*) FROM user_certs WHERE uuid = ?", &any, "certificate",
		   DB_ARGS(DB_UUID(user)), err) < 0)
		return -1;
	return any > 0 ? 2 : 0;
}

int cert_provision(struct store *s, const uint8_t uuid[16], enum role role,
		   const uint8_t seed[32], struct err *err)
{
	uint8_t box_pk[32], audit_pk[32], digest[64], sig[64];
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	int64_t gen;
	int rc;

	if (!sk)
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = db_int(s->db, "SELECT max(COALESCE((SELECT max(gen) FROM user_certs WHERE uuid = ?1), 0),"
		    " COALESCE((SELECT gen FROM users WHERE uuid = ?1), 0)) + 1", &gen, "generation",
		    DB_ARGS(DB_UUID(uuid)), err);
	user_box_keys(seed, box_pk, NULL);
	crypto_sign_keypair(audit_pk, sk);
	cert_digest(s, uuid, (int)role, gen, audit_pk, box_pk, digest);
	if (rc == 0)
		rc = store_device_sign(s, digest, sig, err);
	if (rc == 0)
		rc = db_run(s->db, "INSERT INTO user_certs(uuid, gen, role, audit_pk, box_pk, sig) "
			    "VALUES(?,?,?,?,?,?)", "certificate",
			    DB_ARGS(DB_UUID(uuid), DB_INT(gen), DB_INT(role), DB_BLOB(audit_pk, 32),
				    DB_BLOB(box_pk, 32), DB_BLOB(sig, 64)), err);
	if (rc == 0)
		rc = db_run(s->db, "UPDATE users SET gen = ?, box_pk = ? WHERE uuid = ?", "certificate",
			    DB_ARGS(DB_INT(gen), DB_BLOB(box_pk, 32), DB_UUID(uuid)), err);
	if (rc == 0)
		rc = astate_seal(s, uuid, gen, seed, 0, sk, err);
	sodium_free(sk);
	return rc;
}

int cert_check_device(struct store *s, const struct keys *k, struct err *err)
{
	uint8_t pk[32], digest[64], sig[64];
	size_t n;
	int rc = meta_get(s->db, "device.sign_pk", pk, sizeof pk, &n, err);

	if (rc < 0)
		return -1;
	if (rc == 0 || n != 32 || sodium_memcmp(pk, k->pinned, 32) != 0)
		return err_set(err, ERR_CRYPTO, "device-key",
			       "the device key is not the one this slot was made for");
	if (k->has_admin) {
		/* An admin's slot proves itself: its K_admin opens the secret of
		 * the pinned key, so the pin was not swapped under a copied slot. */
		crypto_generichash(digest, sizeof digest, (const uint8_t *)SELFTEST_DOMAIN,
				   sizeof SELFTEST_DOMAIN - 1, s->store_id, 16);
		if (store_device_sign(s, digest, sig, err) < 0 ||
		    crypto_sign_verify_detached(sig, digest, 64, k->pinned) != 0)
			return err_set(err, ERR_CRYPTO, "device-key",
				       "the device secret does not match the pinned key");
	}
	return 0;
}

int cert_check(struct store *s, const struct keys *k, const struct store_user *u,
	       struct err *err)
{
	uint8_t audit_pk[32], box_pk[32], mine[32];
	uint8_t *sk;
	int64_t gen, newer;
	uint64_t uidx;
	int role, rc;

	if (cert_check_device(s, k, err) < 0)
		return -1;
	if (db_int(s->db, "SELECT gen FROM users WHERE uuid = ?", &gen, "user",
		   DB_ARGS(DB_UUID(u->uuid)), err) < 0 ||
	    db_int(s->db, "SELECT count(*) FROM user_certs WHERE uuid = ? AND gen > ?", &newer,
		   "certificates", DB_ARGS(DB_UUID(u->uuid), DB_INT(gen)), err) < 0)
		return -1;
	/* An admin's reset made a newer generation: an older slot put back
	 * (with its generation) does not open for it. */
	if (newer > 0)
		return err_set(err, ERR_CRYPTO, "user-cert",
			       "the slot is of a generation an admin has replaced");
	rc = cert_load(s, k->pinned, u->uuid, gen, &role, audit_pk, box_pk, err);
	if (rc < 0)
		return -1;
	user_box_keys(k->seed, mine, NULL);
	if (rc == 0 || role != (int)u->role || sodium_memcmp(mine, box_pk, 32) != 0)
		return err_set(err, ERR_CRYPTO, "user-cert",
			       "no valid certificate by the device key for this user");
	if (!(sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = astate_open(s, u->uuid, &gen, &uidx, sk, err);
	sodium_free(sk);
	return rc;
}

/* ---- a new device key (storage/devkey.c) ---- */

struct cert_row {
	uint8_t uuid[16];
	int64_t gen;
	int role;
	uint8_t audit_pk[32], box_pk[32], sig[64];
	bool ok;
};

static int cert_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct cert_row *r = item;
	(void)ctx;
	(void)err;
	db_col16(st, 0, r->uuid);
	r->gen = dbq_int64(st, 1);
	r->role = dbq_int(st, 2);
	r->ok = dbq_bytes(st, 3) == 32 && dbq_bytes(st, 4) == 32 &&
		dbq_bytes(st, 5) == 64;
	if (r->ok) {
		memcpy(r->audit_pk, dbq_blob(st, 3), 32);
		memcpy(r->box_pk, dbq_blob(st, 4), 32);
		memcpy(r->sig, dbq_blob(st, 5), 64);
	}
	return 0;
}

int cert_resign_all(struct store *s, const uint8_t old_pk[32], int64_t *n, struct err *err)
{
	struct cert_row *v = NULL;
	size_t count = 0;
	int rc;

	*n = 0;
	if (db_collect(s->db, "SELECT uuid, gen, role, audit_pk, box_pk, sig FROM user_certs "
		       "ORDER BY uuid, gen", DB_NOARGS, sizeof *v, cert_row, NULL, (void **)&v,
		       &count, "certificates", err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		uint8_t digest[64];
		if (!v[i].ok)
			continue;
		cert_digest(s, v[i].uuid, v[i].role, v[i].gen, v[i].audit_pk, v[i].box_pk, digest);
		/* Only what the old key certified: a row it did not sign (edited
		 * by SQL) must not become valid by the change of key. */
		if (crypto_sign_verify_detached(v[i].sig, digest, 64, old_pk) != 0)
			continue;
		rc = store_device_sign(s, digest, v[i].sig, err);
		if (rc == 0)
			rc = db_run(s->db, "UPDATE user_certs SET sig = ? WHERE uuid = ? AND gen = ?",
				    "certificate", DB_ARGS(DB_BLOB(v[i].sig, 64), DB_UUID(v[i].uuid),
							   DB_INT(v[i].gen)), err);
		if (rc == 0)
			++*n;
	}
	free(v);
	return rc;
}
