/* storage/devkey.c: replacing the device key pair (storage/devkey.h,
 * SECURITY.md §2.9, issue 13.10). */
#include "storage/devkey.h"
#include "storage/internal.h"
#include "storage/quiz_internal.h"
#include "storage/sync_store.h"
#include "storage/clock.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define DEVKEY_DOMAIN "posyandu/v1/devkey"   /* as storage/store.c seals them */
#define NEXT_DOMAIN "posyandu/v3/devkey-next"
#define LINK_DOMAIN "posyandu/v3/devkey-link"
#define SK_LEN (crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES)
#define NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define NEXT_LEN (64 + NPUB + SK_LEN + ABYTES)
#define LINKS_MAX 64

static void next_ad(const struct store *s, const uint8_t pks[64],
		    uint8_t ad[sizeof NEXT_DOMAIN - 1 + 16 + 64])
{
	memcpy(ad, NEXT_DOMAIN, sizeof NEXT_DOMAIN - 1);
	memcpy(ad + sizeof NEXT_DOMAIN - 1, s->store_id, 16);
	memcpy(ad + sizeof NEXT_DOMAIN - 1 + 16, pks, 64);
}

/* The pending pair: public keys in ED_PK, X_PK and, when SK is not NULL,
 * its secret keys (SK_LEN), checked against them. */
static int next_load(struct store *s, uint8_t ed_pk[32], uint8_t x_pk[32], uint8_t *sk,
		     struct err *err)
{
	uint8_t blob[NEXT_LEN], ad[sizeof NEXT_DOMAIN - 1 + 16 + 64], pk[32];
	size_t n;
	int rc = meta_get(s->db, "device.next", blob, sizeof blob, &n, err);

	if (rc < 0)
		return -1;
	if (rc == 0 || n != sizeof blob)
		return err_set(err, ERR_NOTFOUND, "rekey",
			       "no new device key is waiting (posyandu key rotate --device --out FILE)");
	memcpy(ed_pk, blob, 32);
	memcpy(x_pk, blob + 32, 32);
	if (!sk)
		return 0;
	next_ad(s, blob, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, blob + 64 + NPUB,
						       sizeof blob - 64 - NPUB, ad, sizeof ad,
						       blob + 64, s->keys->admin) != 0)
		return err_set(err, ERR_CRYPTO, "rekey", "the new device secret keys do not open");
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	rc = sodium_memcmp(pk, ed_pk, 32);
	crypto_scalarmult_base(pk, sk + crypto_sign_SECRETKEYBYTES);
	if (rc != 0 || sodium_memcmp(pk, x_pk, 32) != 0)
		return err_set(err, ERR_CRYPTO, "rekey", "the new device keys do not match");
	return 0;
}

int store_devkey_next(struct store *s, bool fresh, uint8_t ed_pk[32], uint8_t x_pk[32],
		      struct err *err)
{
	uint8_t blob[NEXT_LEN], ad[sizeof NEXT_DOMAIN - 1 + 16 + 64];
	uint8_t *sk;
	int rc;

	if (need_admin(s, err) < 0)
		return -1;
	if (!fresh)
		return next_load(s, ed_pk, x_pk, NULL, err);
	if (!(sk = sodium_malloc(SK_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	crypto_sign_keypair(ed_pk, sk);
	crypto_box_keypair(x_pk, sk + crypto_sign_SECRETKEYBYTES);
	memcpy(blob, ed_pk, 32);
	memcpy(blob + 32, x_pk, 32);
	next_ad(s, blob, ad);
	randombytes_buf(blob + 64, NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 64 + NPUB, NULL, sk, SK_LEN, ad, sizeof ad,
						   NULL, blob + 64, s->keys->admin);
	sodium_free(sk);
	if (db_begin(s->db, err) < 0)
		return -1;
	rc = meta_put(s->db, "device.next", blob, sizeof blob, err);
	return audit_commit(s, rc, AUDIT_KEY, s->device_id, "new device key made, waiting for the district",
			    err);
}

int store_devkey_next_sign(void *store, const uint8_t digest[64], uint8_t sig[64],
			   struct err *err)
{
	struct store *s = store;
	uint8_t ed[32], x[32];
	uint8_t *sk;
	int rc;

	if (need_admin(s, err) < 0)
		return -1;
	if (!(sk = sodium_malloc(SK_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = next_load(s, ed, x, sk, err);
	if (rc == 0)
		crypto_sign_detached(sig, NULL, digest, 64, sk);
	sodium_free(sk);
	return rc;
}

static void link_digest(const struct store *s, const uint8_t from[32], const uint8_t to[32],
			uint8_t out[64])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, 64);
	crypto_generichash_update(&h, (const uint8_t *)LINK_DOMAIN, sizeof LINK_DOMAIN - 1);
	crypto_generichash_update(&h, s->store_id, 16);
	crypto_generichash_update(&h, from, 32);
	crypto_generichash_update(&h, to, 32);
	crypto_generichash_final(&h, out, 64);
}

int devkey_follow(struct store *s, struct keys *k, bool *moved, struct err *err)
{
	uint8_t want[32], cur[32], to[32], sig[64], dg[64];
	size_t n;
	int rc = meta_get(s->db, "device.sign_pk", want, sizeof want, &n, err);
	int steps;

	*moved = false;
	if (rc < 0)
		return -1;
	if (rc == 0 || n != 32)
		return 0;                     /* cert_check says what is wrong */
	memcpy(cur, k->pinned, 32);
	for (steps = 0; steps < LINKS_MAX && sodium_memcmp(cur, want, 32) != 0; steps++) {
		struct dbq *st;
		bool sized;

		if ((rc = db_row(s->db, "SELECT to_pk, sig FROM device_key_links WHERE from_pk = ?",
				 &st, "device key links", DB_ARGS(DB_BLOB(cur, 32)), err)) < 0)
			return -1;
		if (rc == 0)
			return 0;             /* no way from her key: refused by cert_check */
		sized = dbq_bytes(st, 0) == 32 && dbq_bytes(st, 1) == 64;
		if (sized) {
			memcpy(to, dbq_blob(st, 0), 32);
			memcpy(sig, dbq_blob(st, 1), 64);
		}
		db_done(st);
		link_digest(s, cur, to, dg);
		/* Each step signed by the key the slot already trusts. */
		if (!sized || crypto_sign_verify_detached(sig, dg, 64, cur) != 0)
			return err_set(err, ERR_CRYPTO, "device-key",
				       "a device key link is not signed by the key it replaces");
		memcpy(cur, to, 32);
	}
	if (steps == 0 || sodium_memcmp(cur, want, 32) != 0)
		return 0;
	memcpy(k->pinned, want, 32);
	*moved = true;
	return 0;
}

static int put_secret(struct store *s, const uint8_t *sk, struct err *err)
{
	uint8_t blob[NPUB + SK_LEN + ABYTES], ad[sizeof DEVKEY_DOMAIN - 1 + 16];

	memcpy(ad, DEVKEY_DOMAIN, sizeof DEVKEY_DOMAIN - 1);
	memcpy(ad + sizeof DEVKEY_DOMAIN - 1, s->store_id, 16);
	randombytes_buf(blob, NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + NPUB, NULL, sk, SK_LEN, ad, sizeof ad, NULL,
						   blob, s->keys->admin);
	return meta_put(s->db, "device.secret", blob, sizeof blob, err);
}

int store_devkey_switch(struct store *s, const uint8_t ed_pk[32], const uint8_t x_pk[32],
			const char *pin, size_t pin_len, struct store_devkey_stats *st,
			struct err *err)
{
	struct store_devkey_stats local;
	uint8_t ed[32], x[32], old[32], dg[64], sig[64];
	char detail[96], a[9], b[9];
	uint8_t *sk;
	size_t n;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (need_key_admin(s, err) < 0)
		return -1;
	if ((rc = meta_get(s->db, "device.sign_pk", old, sizeof old, &n, err)) < 0)
		return -1;
	if (rc == 0 || n != 32 || sodium_memcmp(old, s->keys->pinned, 32) != 0)
		return err_set(err, ERR_CRYPTO, "device-key", "the device key is not the pinned one");
	if (!(sk = sodium_malloc(SK_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	if (next_load(s, ed, x, sk, err) < 0)
		goto fail;
	if (sodium_memcmp(ed, ed_pk, 32) != 0 || sodium_memcmp(x, x_pk, 32) != 0) {
		err_set(err, ERR_CRYPTO, "rekey", "the answer is for another new key");
		goto fail;
	}
	/* The link, signed by the old key while it is still the device's. */
	link_digest(s, old, ed, dg);
	if (store_device_sign(s, dg, sig, err) < 0 || db_begin(s->db, err) < 0)
		goto fail;
	rc = db_run(s->db, "INSERT INTO device_key_links(from_pk, to_pk, sig, at) "
		    "VALUES(?,?,?,?) ON CONFLICT(from_pk) DO UPDATE SET to_pk = excluded.to_pk, "
		    "sig = excluded.sig, at = excluded.at", "device key links",
		    DB_ARGS(DB_BLOB(old, 32), DB_BLOB(ed, 32), DB_BLOB(sig, 64), DB_INT(clock_now())),
		    err);
	if (rc == 0)
		rc = put_secret(s, sk, err);
	if (rc == 0)
		rc = meta_put(s->db, "device.sign_pk", ed, 32, err);
	if (rc == 0)
		rc = meta_put(s->db, "device.box_pk", x, 32, err);
	if (rc == 0)
		rc = meta_del(s->db, "device.next", err);
	sodium_free(sk);
	sk = NULL;
	/* From here store_device_sign signs with the new key. */
	memcpy(s->keys->pinned, ed, 32);
	if (rc == 0)
		rc = cert_resign_all(s, old, &st->certs, err);
	if (rc == 0)
		rc = rotate_updates_resign(s, old, &st->updates, err);
	if (rc == 0)
		rc = quizstore_resign(s, old, err);
	if (rc == 0)
		rc = rotate_rewrap_own(s, s->keys, pin, pin_len, err);
	if (rc == 0)
		rc = db_int(s->db, "SELECT count(*) FROM users WHERE wrapped IS NOT NULL AND uuid != ?",
			    &st->users, "users", DB_ARGS(DB_UUID(s->user.uuid)), err);
	sodium_bin2hex(a, sizeof a, old, 4);
	sodium_bin2hex(b, sizeof b, ed, 4);
	snprintf(detail, sizeof detail, "device key replaced: %s... by %s...", a, b);
	if (audit_commit(s, rc, AUDIT_KEY, s->device_id, detail, err) < 0) {
		memcpy(s->keys->pinned, old, 32);
		return -1;
	}
	return 0;
fail:
	sodium_free(sk);
	return -1;
}
