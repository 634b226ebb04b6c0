/* storage/quiz_keys.c: who quiz secrets are sealed to (issue 13 point 2).
 *
 * The quiz box key pair is derived from K_quiz (trainer, admin). Its public
 * half sits in meta quiz.box_pk, and next to it quiz.box_sig: an Ed25519
 * signature by the device key over
 *	BLAKE2b-512("posyandu/v1/quizbox" ‖ device id ‖ box pk),
 * made by an admin session (only K_admin opens the device secret key) the
 * first time it touches the quizzes. A kader's session verifies it with the
 * pinned device public key before sealing anything: a key swapped by SQL
 * does not verify, and the test refuses to start (ERR_CRYPTO, field
 * "quiz-seal") instead of sealing answers to the wrong key.
 *
 * Other devices of the posyandu: their box keys are kept as meta
 * quiz.peer.<device hex> = pk ‖ sig, where sig is THIS device's signature
 * over BLAKE2b-512("posyandu/v1/quizpeer" ‖ this device ‖ that device ‖ pk),
 * written by an admin session (quizstore_peer_add) from a source it has
 * authenticated. Every recipient is checked against this device's own
 * pinned key, so the only trust anchor a kader's session needs is that one
 * key. Each secret (an attempt key, a bank's answer key) is a random key
 * sealed with crypto_box_seal to every authenticated recipient: a list. */
#include "storage/quiz_store.h"
#include "storage/internal.h"
#include "storage/quiz_internal.h"
#include "storage/sync_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define BOX_DOMAIN "posyandu/v1/quizbox"
#define PEER_DOMAIN "posyandu/v1/quizpeer"
#define META_PK "quiz.box_pk"
#define META_SIG "quiz.box_sig"
#define META_PEER "quiz.peer."

/* The pinned device key: the copy inside the session's own slot (login
 * checked it against meta device.sign_pk, storage/cert.c), so a key
 * swapped in meta after login is not trusted either. */
int store_device_sign_pk(struct store *s, uint8_t pk[32], struct err *err)
{
	static const uint8_t zero[32];

	if (!s->keys || sodium_memcmp(s->keys->pinned, zero, 32) == 0)
		return err_set(err, ERR_DENIED, NULL, "the pinned device key needs a session");
	memcpy(pk, s->keys->pinned, 32);
	return 0;
}

static int meta_exact(struct store *s, const char *key, void *out, size_t size, bool *found,
		      struct err *err)
{
	size_t len;
	int rc = meta_get(s->db, key, out, size, &len, err);
	*found = rc == 1 && len == size;
	return rc < 0 ? -1 : 0;
}

int quiz_keypair(struct store *s, uint8_t pk[32], uint8_t *sk, struct err *err)
{
	uint8_t seed[crypto_box_SEEDBYTES], skbuf[crypto_box_SECRETKEYBYTES];

	if (!s->keys || !s->keys->has_quiz)
		return err_set(err, ERR_DENIED, NULL, "needs the quiz key");
	crypto_kdf_derive_from_key(seed, sizeof seed, 1, "pyquizkp", s->keys->quiz);
	crypto_box_seed_keypair(pk, skbuf, seed);
	if (sk)
		memcpy(sk, skbuf, sizeof skbuf);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(skbuf, sizeof skbuf);
	return 0;
}

static void box_digest(const char *domain, const uint8_t signer[16], const uint8_t *device,
		       const uint8_t pk[32], uint8_t out[64])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 64);
	crypto_generichash_update(&h, (const uint8_t *)domain, strlen(domain));
	crypto_generichash_update(&h, signer, 16);
	if (device)
		crypto_generichash_update(&h, device, 16);
	crypto_generichash_update(&h, pk, 32);
	crypto_generichash_final(&h, out, 64);
}

static bool own_sig_ok(struct store *s, const uint8_t dev_pk[32], const uint8_t pk[32],
		       const uint8_t sig[64])
{
	uint8_t dg[64];
	box_digest(BOX_DOMAIN, s->device_id, NULL, pk, dg);
	return crypto_sign_verify_detached(sig, dg, 64, dev_pk) == 0;
}

bool quizstore_box_verify(const uint8_t dev_sign_pk[32], const uint8_t device[16],
			  const uint8_t pk[32], const uint8_t sig[64])
{
	uint8_t dg[64];
	box_digest(BOX_DOMAIN, device, NULL, pk, dg);
	return crypto_sign_verify_detached(sig, dg, 64, dev_sign_pk) == 0;
}

/* Trainer, admin: keep quiz.box_pk equal to the derived key; an admin
 * also signs it when the signature is missing or does not verify. */
static int key_refresh(struct store *s, struct err *err)
{
	uint8_t pk[32], stored[32], sig[64], dev[32], dg[64];
	bool found, has_sig;

	if (quiz_keypair(s, pk, NULL, err) < 0 ||
	    meta_exact(s, META_PK, stored, sizeof stored, &found, err) < 0)
		return -1;
	if ((!found || sodium_memcmp(stored, pk, 32) != 0) && meta_put(s->db, META_PK, pk, 32, err) < 0)
		return -1;
	if (!s->keys->has_admin)
		return 0;
	if (meta_exact(s, META_SIG, sig, sizeof sig, &has_sig, err) < 0 ||
	    store_device_sign_pk(s, dev, err) < 0)
		return -1;
	if (has_sig && own_sig_ok(s, dev, pk, sig))
		return 0;
	box_digest(BOX_DOMAIN, s->device_id, NULL, pk, dg);
	if (store_device_sign(s, dg, sig, err) < 0)
		return -1;
	return meta_put(s->db, META_SIG, sig, sizeof sig, err);
}

int quiz_recipients(struct store *s, uint8_t (*pks)[32], size_t *n, struct err *err)
{
	uint8_t dev[32], pk[32], sig[64], dg[64], row[96], peer[16];
	bool found, has_sig;
	struct dbq *st;
	int rc;

	*n = 0;
	if (store_device_sign_pk(s, dev, err) < 0)
		return -1;
	if (s->keys && s->keys->has_quiz) {
		/* Derived from K_quiz here: nothing to verify. */
		if (key_refresh(s, err) < 0 || quiz_keypair(s, pk, NULL, err) < 0)
			return -1;
	} else {
		if (meta_exact(s, META_PK, pk, sizeof pk, &found, err) < 0 ||
		    meta_exact(s, META_SIG, sig, sizeof sig, &has_sig, err) < 0)
			return -1;
		if (!found)
			return err_set(err, ERR_NOTFOUND, "quiz-key", "no quiz key on this device yet");
		if (!has_sig || !own_sig_ok(s, dev, pk, sig))
			return err_set(err, ERR_CRYPTO, "quiz-seal",
				       "the quiz public key is not signed by this device's key");
	}
	memcpy(pks[(*n)++], pk, 32);

	if (db_prepare(s->db, "SELECT key, value FROM meta WHERE key > 'quiz.peer.' AND "
			      "key < 'quiz.peer/' ORDER BY key", &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW && *n < QUIZ_MAX_RECIPIENTS) {
		const char *name = (const char *)dbq_text(st, 0);
		size_t bin;
		if (dbq_bytes(st, 1) != (int)sizeof row || !name ||
		    sodium_hex2bin(peer, 16, name + sizeof META_PEER - 1, strlen(name) - (sizeof META_PEER - 1),
				   NULL, &bin, NULL) != 0 || bin != 16)
			continue;
		memcpy(row, dbq_blob(st, 1), sizeof row);
		box_digest(PEER_DOMAIN, s->device_id, peer, row, dg);
		/* A row this device did not sign (edited by SQL) is not a recipient. */
		if (crypto_sign_verify_detached(row + 32, dg, 64, dev) != 0)
			continue;
		memcpy(pks[(*n)++], row, 32);
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "quiz peers");
	return 0;
}

int quizstore_key_ready(struct store *s, struct err *err)
{
	uint8_t pks[QUIZ_MAX_RECIPIENTS][32];
	size_t n;
	if (need_keys(s, err) < 0)
		return -1;
	return quiz_recipients(s, pks, &n, err);
}

void quiz_key_touch(struct store *s)
{
	struct err ignore = { 0 };
	if (store_unlocked(s) && s->keys->has_quiz)
		(void)key_refresh(s, &ignore);
}

int quizstore_box_key(struct store *s, uint8_t pk[32], uint8_t sig[64], struct err *err)
{
	uint8_t pks[QUIZ_MAX_RECIPIENTS][32];
	size_t n;
	bool found;

	if (need_keys(s, err) < 0 || quiz_recipients(s, pks, &n, err) < 0 ||
	    meta_exact(s, META_SIG, sig, 64, &found, err) < 0)
		return -1;
	memcpy(pk, pks[0], 32);
	{
		uint8_t dev[32];
		if (store_device_sign_pk(s, dev, err) < 0)
			return -1;
		if (!found || !own_sig_ok(s, dev, pk, sig))
			return err_set(err, ERR_CRYPTO, "quiz-seal", "the quiz key is not signed yet");
	}
	return 0;
}

int quizstore_peer_add(struct store *s, const uint8_t device[16], const uint8_t pk[32],
		       struct err *err)
{
	uint8_t dg[64], row[96];
	char hex[33], name[64];

	if (need_admin(s, err) < 0)
		return -1;
	if (memcmp(device, s->device_id, 16) == 0)
		return 0;                      /* this device's own key */
	box_digest(PEER_DOMAIN, s->device_id, device, pk, dg);
	memcpy(row, pk, 32);
	if (store_device_sign(s, dg, row + 32, err) < 0)
		return -1;
	sodium_bin2hex(hex, sizeof hex, device, 16);
	snprintf(name, sizeof name, "%s%s", META_PEER, hex);
	{
		/* The same row again (every downstream bundle lists the keys):
		 * Ed25519 is deterministic, so nothing to write. */
		uint8_t old[96];
		bool found;
		if (meta_exact(s, name, old, sizeof old, &found, err) < 0)
			return -1;
		if (found && sodium_memcmp(old, row, sizeof row) == 0)
			return 0;
	}
	return meta_put(s->db, name, row, sizeof row, err);
}

int quizstore_own_key(struct store *s, uint8_t pk[32], uint8_t sig[64], bool *found,
		      struct err *err)
{
	uint8_t dev[32];
	bool has_pk, has_sig;

	*found = false;
	if (store_device_sign_pk(s, dev, err) < 0 ||
	    meta_exact(s, META_PK, pk, 32, &has_pk, err) < 0 ||
	    meta_exact(s, META_SIG, sig, 64, &has_sig, err) < 0)
		return -1;
	*found = has_pk && has_sig && own_sig_ok(s, dev, pk, sig);
	return 0;
}

int quizstore_peers_keep(struct store *s, const uint8_t (*keep)[16], size_t n, size_t *removed,
			 struct err *err)
{
	char (*gone)[64] = NULL;
	size_t ngone = 0, cap = 0;
	struct dbq *st;
	int rc;

	if (removed)
		*removed = 0;
	if (need_admin(s, err) < 0)
		return -1;
	if (db_prepare(s->db, "SELECT key FROM meta WHERE key > 'quiz.peer.' AND "
			      "key < 'quiz.peer/' ORDER BY key", &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)dbq_text(st, 0);
		uint8_t peer[16];
		size_t bin, i;
		bool listed = false;
		if (!name || strlen(name) >= sizeof *gone)
			continue;
		if (sodium_hex2bin(peer, 16, name + sizeof META_PEER - 1,
				   strlen(name) - (sizeof META_PEER - 1), NULL, &bin, NULL) == 0 &&
		    bin == 16)
			for (i = 0; i < n && !listed; i++)
				listed = memcmp(keep[i], peer, 16) == 0;
		if (listed)
			continue;
		if (grow((void **)&gone, &cap, ngone, sizeof *gone) < 0) {
			db_done(st);
			free(gone);
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		}
		snprintf(gone[ngone++], sizeof *gone, "%s", name);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(gone);
		return db_fail(err, s->db, rc, "quiz peers");
	}
	for (size_t i = 0; i < ngone; i++)
		if (meta_del(s->db, gone[i], err) < 0) {
			free(gone);
			return -1;
		}
	free(gone);
	if (removed)
		*removed = ngone;
	return 0;
}

/* ---- a new device key (issue 13.10, storage/devkey.c) ---- */

struct peer_row {
	char name[64];
	uint8_t peer[16];
	uint8_t row[96];
	bool ok;
};

static int peer_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct peer_row *r = item;
	const char *name = (const char *)dbq_text(st, 0);
	size_t bin;

	(void)ctx;
	(void)err;
	r->ok = name && strlen(name) < sizeof r->name &&
		dbq_bytes(st, 1) == (int)sizeof r->row &&
		sodium_hex2bin(r->peer, 16, name + sizeof META_PEER - 1,
			       strlen(name) - (sizeof META_PEER - 1), NULL, &bin, NULL) == 0 &&
		bin == 16;
	if (r->ok) {
		snprintf(r->name, sizeof r->name, "%s", name);
		memcpy(r->row, dbq_blob(st, 1), sizeof r->row);
	}
	return 0;
}

int quizstore_resign(struct store *s, const uint8_t old_pk[32], struct err *err)
{
	uint8_t pk[32], sig[64], dg[64];
	struct peer_row *v = NULL;
	bool has_pk, has_sig;
	size_t n = 0;
	int rc;

	if (need_admin(s, err) < 0 || meta_exact(s, META_PK, pk, 32, &has_pk, err) < 0 ||
	    meta_exact(s, META_SIG, sig, 64, &has_sig, err) < 0)
		return -1;
	/* Only what the old key signed: a row written by SQL stays refused. */
	if (has_pk && has_sig && own_sig_ok(s, old_pk, pk, sig)) {
		box_digest(BOX_DOMAIN, s->device_id, NULL, pk, dg);
		if (store_device_sign(s, dg, sig, err) < 0 || meta_put(s->db, META_SIG, sig, 64, err) < 0)
			return -1;
	}
	if (db_collect(s->db, "SELECT key, value FROM meta WHERE key > 'quiz.peer.' AND "
		       "key < 'quiz.peer/' ORDER BY key", DB_NOARGS, sizeof *v, peer_row, NULL,
		       (void **)&v, &n, "quiz peers", err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!v[i].ok)
			continue;
		box_digest(PEER_DOMAIN, s->device_id, v[i].peer, v[i].row, dg);
		if (crypto_sign_verify_detached(v[i].row + 32, dg, 64, old_pk) != 0)
			continue;
		rc = store_device_sign(s, dg, v[i].row + 32, err);
		if (rc == 0)
			rc = meta_put(s->db, v[i].name, v[i].row, sizeof v[i].row, err);
	}
	free(v);
	return rc;
}

/* ---- one secret key sealed to every recipient ---- */

json_t *quiz_lock(const uint8_t key[32], const uint8_t (*pks)[32], size_t n)
{
	json_t *a = json_array();
	uint8_t sealed[crypto_box_SEALBYTES + 32];
	char b64[sodium_base64_ENCODED_LEN(sizeof sealed, sodium_base64_VARIANT_ORIGINAL)];

	for (size_t i = 0; a && i < n; i++) {
		crypto_box_seal(sealed, key, 32, pks[i]);
		sodium_bin2base64(b64, sizeof b64, sealed, sizeof sealed, sodium_base64_VARIANT_ORIGINAL);
		json_array_append_new(a, json_string(b64));
	}
	return a;
}

static bool unlock_one(json_t *v, const uint8_t pk[32], const uint8_t *sk, uint8_t key[32])
{
	uint8_t sealed[crypto_box_SEALBYTES + 32 + 4];
	size_t len;

	if (!json_is_string(v) ||
	    sodium_base642bin(sealed, sizeof sealed, json_string_value(v), json_string_length(v),
			      NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != crypto_box_SEALBYTES + 32)
		return false;
	return crypto_box_seal_open(key, sealed, len, pk, sk) == 0;
}

bool quiz_unlock(json_t *d, const uint8_t pk[32], const uint8_t *sk, uint8_t key[32])
{
	json_t *keys = json_object_get(d, "keys"), *v;
	size_t i;

	json_array_foreach(keys, i, v)
		if (i < QUIZ_MAX_RECIPIENTS && unlock_one(v, pk, sk, key))
			return true;
	return unlock_one(json_object_get(d, "key"), pk, sk, key);   /* before issue 13.2 */
}
