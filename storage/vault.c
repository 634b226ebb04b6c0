/* storage/vault.c: the key hierarchy of SECURITY.md §2.2. Each user's slot
 * holds the keys of its role, sealed with XChaCha20-Poly1305 under a key
 * derived from the PIN with Argon2id. There is no PIN verifier: a wrong PIN
 * is an AEAD failure. The associated data binds the slot to this store, this
 * user and this role, so slots cannot be swapped, promoted or moved. */
#include "storage/internal.h"

#include <string.h>
#include <time.h>

#include "core/banned.h"

struct keys *keys_new(void)
{
	struct keys *k = sodium_malloc(sizeof *k);
	if (k)
		sodium_memzero(k, sizeof *k);
	return k;
}

void keys_free(struct keys *k)
{
	if (k)
		sodium_free(k);     /* wipes before unmapping */
}

void keys_derive(struct keys *k)
{
	crypto_kdf_derive_from_key(k->rec, sizeof k->rec, 1, "pyrecord", k->data);
	crypto_kdf_derive_from_key(k->audit, sizeof k->audit, 1, "pyaudit_", k->data);
}

static void put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

#define SLOT_DOMAIN "posyandu/v1/slot"
#define SLOT_AD_LEN (sizeof SLOT_DOMAIN - 1 + 16 + 16 + 1 + 8 + 8)

static void slot_ad(uint8_t ad[SLOT_AD_LEN], const uint8_t store_id[16], const uint8_t user[16],
		    enum role role, uint64_t ops, size_t mem)
{
	uint8_t *p = ad;
	memcpy(p, SLOT_DOMAIN, sizeof SLOT_DOMAIN - 1);
	p += sizeof SLOT_DOMAIN - 1;
	memcpy(p, store_id, 16);
	p += 16;
	memcpy(p, user, 16);
	p += 16;
	*p++ = (uint8_t)role;
	put_u64(p, ops);
	put_u64(p + 8, (uint64_t)mem);
}

/* v1: the role's keys; v2: the role's keys, the user's seed, the pinned key. */
static size_t slot_plain_len(enum role role)
{
	return role == ROLE_ADMIN ? 3 * KEY_LEN : role == ROLE_TRAINER ? 2 * KEY_LEN : KEY_LEN;
}

/* The Argon2id key-encryption key, in guarded memory. */
static uint8_t *kek_derive(const char *pin, size_t pin_len, const uint8_t *salt,
			   uint64_t ops, size_t mem, struct err *err)
{
	uint8_t *kek = sodium_malloc(KEY_LEN);
	if (!kek) {
		err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		return NULL;
	}
	if (crypto_pwhash(kek, KEY_LEN, pin, pin_len, salt, ops, mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(kek);
		err_set(err, ERR_NOMEM, NULL, "argon2id: out of memory (%zu MiB)", mem >> 20);
		return NULL;
	}
	return kek;
}

int vault_wrap(const struct keys *k, enum role role, const uint8_t store_id[16],
	       const uint8_t user[16], const uint8_t *seed, const uint8_t *pinned,
	       const char *pin, size_t pin_len,
	       const struct kdf_params *kdf, struct slot *out, struct err *err)
{
	uint8_t ad[SLOT_AD_LEN];
	uint8_t *plain, *kek;
	size_t plen = slot_plain_len(role);
	unsigned long long clen;

	if (role >= ROLE_TRAINER && !k->has_quiz)
		return err_set(err, ERR_DENIED, NULL, "no quiz key to give");
	if (role == ROLE_ADMIN && !k->has_admin)
		return err_set(err, ERR_DENIED, NULL, "no admin key to give");
	out->opslimit = kdf->opslimit;
	out->memlimit = kdf->memlimit;
	randombytes_buf(out->salt, sizeof out->salt);
	randombytes_buf(out->nonce, sizeof out->nonce);
	if (!(kek = kek_derive(pin, pin_len, out->salt, kdf->opslimit, kdf->memlimit, err)))
		return -1;
	if (!(plain = sodium_malloc(5 * KEY_LEN))) {
		sodium_free(kek);
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	}
	/* the role's keys, then (v2) the seed and the pinned device key */
	memcpy(plain, k->data, KEY_LEN);
	memcpy(plain + KEY_LEN, k->quiz, KEY_LEN);
	memcpy(plain + 2 * KEY_LEN, k->admin, KEY_LEN);
	if (seed && pinned) {
		memcpy(plain + plen, seed, KEY_LEN);
		memcpy(plain + plen + KEY_LEN, pinned, KEY_LEN);
		plen += 2 * KEY_LEN;
	}
	slot_ad(ad, store_id, user, role, kdf->opslimit, kdf->memlimit);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out->ct, &clen, plain, plen, ad, sizeof ad,
						   NULL, out->nonce, kek);
	out->ct_len = (size_t)clen;
	sodium_free(plain);
	sodium_free(kek);
	return 0;
}

int vault_unwrap(const struct slot *sl, enum role role, const uint8_t store_id[16],
		 const uint8_t user[16], const char *pin, size_t pin_len,
		 struct keys *k, struct err *err)
{
	uint8_t ad[SLOT_AD_LEN];
	uint8_t *plain, *kek;
	unsigned long long plen;
	size_t keys_len = slot_plain_len(role);
	int rc;

	if (sl->ct_len != keys_len + crypto_aead_xchacha20poly1305_ietf_ABYTES &&
	    sl->ct_len != keys_len + 2 * KEY_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return err_set(err, ERR_CRYPTO, NULL, "slot length does not match its role");
	if (sl->opslimit < crypto_pwhash_OPSLIMIT_MIN || sl->memlimit < crypto_pwhash_MEMLIMIT_MIN ||
	    sl->memlimit > ((size_t)4 << 30) || sl->opslimit > 64)
		return err_set(err, ERR_CRYPTO, NULL, "slot has impossible KDF parameters");
	if (!(kek = kek_derive(pin, pin_len, sl->salt, sl->opslimit, sl->memlimit, err)))
		return -1;
	if (!(plain = sodium_malloc(5 * KEY_LEN))) {
		sodium_free(kek);
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	}
	slot_ad(ad, store_id, user, role, sl->opslimit, sl->memlimit);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, sl->ct, sl->ct_len,
							ad, sizeof ad, sl->nonce, kek);
	sodium_free(kek);
	if (rc != 0) {
		sodium_free(plain);
		return err_set(err, ERR_AUTH, "pin", "wrong PIN");
	}
	sodium_memzero(k, sizeof *k);
	memcpy(k->data, plain, KEY_LEN);
	if (role >= ROLE_TRAINER) {
		memcpy(k->quiz, plain + KEY_LEN, KEY_LEN);
		k->has_quiz = true;
	}
	if (role == ROLE_ADMIN) {
		memcpy(k->admin, plain + 2 * KEY_LEN, KEY_LEN);
		k->has_admin = true;
	}
	if (plen == keys_len + 2 * KEY_LEN) {
		memcpy(k->seed, plain + keys_len, KEY_LEN);
		memcpy(k->pinned, plain + keys_len + KEY_LEN, KEY_LEN);
		k->has_seed = true;
	}
	sodium_free(plain);
	keys_derive(k);
	return 0;
}

static double time_one(uint64_t ops, size_t mem)
{
	static const char probe[] = "calibration";
	uint8_t out[KEY_LEN], salt[crypto_pwhash_SALTBYTES] = { 0 };
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (crypto_pwhash(out, sizeof out, probe, sizeof probe - 1, salt, ops, mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return 1e9;    /* cannot allocate: treat as far too slow */
	clock_gettime(CLOCK_MONOTONIC, &b);
	sodium_memzero(out, sizeof out);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

void store_kdf_calibrate(struct kdf_params *out, double *seconds)
{
	const size_t mib = (size_t)1 << 20;
	double t = time_one(3, 64 * mib);

	out->opslimit = 3;
	out->memlimit = 64 * mib;
	if (t > 1.5) {
		out->opslimit = 2;
		t = time_one(2, 64 * mib);
		if (t > 1.5) {
			out->memlimit = 32 * mib;
			t = time_one(2, 32 * mib);
		}
	} else if (t < 0.3) {
		/* A laptop: raise the cost while one unlock stays at or under 1 s. */
		double t4 = time_one(4, 64 * mib);
		if (t4 <= 1.0) {
			out->opslimit = 4;
			t = t4;
			double t128 = time_one(4, 128 * mib);
			if (t128 <= 1.0) {
				out->memlimit = 128 * mib;
				t = t128;
			}
		}
	}
	if (seconds)
		*seconds = t;
}
