/* tests/attack/atk_quiz.c: attacks on quiz results and answer keys (issue 13.2).
 *   atk_quiz DIR swap SKFILE              no PIN: put a fresh X25519 key of
 *                                         the attacker's into meta quiz.box_pk
 *                                         (its secret key ‖ public key to SKFILE)
 *   atk_quiz DIR answers LABEL [SKFILE]   with LABEL's PIN: print every bank
 *                                         answer key she can read, one line
 *                                         "answer BANK QUESTION CHOICE"
 *   atk_quiz DIR attempts LABEL [SKFILE]  with LABEL's PIN: print every attempt
 *                                         she can open, "opened NAME: ANSWERS"
 * Every key the attacker has is tried: the data key and what the product
 * derives from it (the quiz key pair derivation applied to K_data, the
 * subkey that keeps draft attempt keys), and SKFILE's key pair. */
#include "tests/attack/attack.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

struct kp {
	uint8_t pk[32], sk[32];
};

static struct kp pairs[3];
static size_t npairs;
static struct store *S;
static int found;

static void add_pairs(const char *skfile)
{
	uint8_t seed[32];

	crypto_kdf_derive_from_key(seed, 32, 1, "pyquizkp", S->keys->data);
	crypto_box_seed_keypair(pairs[npairs].pk, pairs[npairs].sk, seed);
	npairs++;
	crypto_kdf_derive_from_key(seed, 32, 2, "pyquizat", S->keys->data);
	crypto_box_seed_keypair(pairs[npairs].pk, pairs[npairs].sk, seed);
	npairs++;
	if (skfile) {
		FILE *f = fopen(skfile, "rb");
		if (!f || fread(pairs[npairs].sk, 1, 32, f) != 32 || fread(pairs[npairs].pk, 1, 32, f) != 32)
			atk_die("cannot read %s", skfile);
		fclose(f);
		npairs++;
	}
}

static size_t unb64(json_t *v, uint8_t *out, size_t cap)
{
	size_t n;
	if (!json_is_string(v) ||
	    sodium_base642bin(out, cap, json_string_value(v), json_string_length(v), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return 0;
	return n;
}

/* A key sealed in "keys" (or "key") of D that one of the pairs opens. */
static bool sealed_key(json_t *d, uint8_t key[32])
{
	json_t *all = json_array(), *v;
	uint8_t sealed[crypto_box_SEALBYTES + 32 + 8];
	size_t i, n;
	bool ok = false;

	json_array_extend(all, json_object_get(d, "keys"));
	if (json_object_get(d, "key"))
		json_array_append(all, json_object_get(d, "key"));
	json_array_foreach(all, i, v) {
		if ((n = unb64(v, sealed, sizeof sealed)) != crypto_box_SEALBYTES + 32)
			continue;
		for (size_t k = 0; k < npairs && !ok; k++)
			ok = crypto_box_seal_open(key, sealed, n, pairs[k].pk, pairs[k].sk) == 0;
	}
	json_decref(all);
	return ok;
}

/* Open the base64 box V (nonce ‖ AEAD) under KEY with AD. */
static char *open_box(json_t *v, const uint8_t key[32], const uint8_t *ad, size_t adlen)
{
	static uint8_t box[1 << 16];
	static char plain[1 << 16];
	size_t n = unb64(v, box, sizeof box);
	if (n < NPUB + ABYTES ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, NULL, NULL, box + NPUB,
						       n - NPUB, ad, adlen, box, key) != 0)
		return NULL;
	plain[n - NPUB - ABYTES] = '\0';
	return plain;
}

static json_t *payload_d(const char *json, size_t len, json_t **root)
{
	json_error_t je;
	*root = json_loadb(json, len, 0, &je);
	return json_object_get(*root, "d");
}

static int bank_each(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		     struct err *err)
{
	json_t *root, *d = payload_d(json, len, &root), *q;
	const char *id = json_string_value(json_object_get(d, "id"));
	uint8_t key[32], ad[64];
	size_t i;
	char *plain;

	(void)ctx;
	(void)err;
	json_array_foreach(json_object_get(d, "questions"), i, q) {
		json_t *a = json_object_get(q, "answer");
		if (json_is_string(a)) {
			printf("answer %s %s %s\n", id, json_string_value(json_object_get(q, "id")),
			       json_string_value(a));
			found++;
		}
	}
	memcpy(ad, "posyandu/v1/quizanskey", 22);
	memcpy(ad + 22, m->uuid, 16);
	if (sealed_key(d, key) && (plain = open_box(json_object_get(d, "sealed"), key, ad, 38))) {
		printf("answer %s sealed-key-opened %s\n", id, plain);
		found++;
	}
	json_decref(root);
	return 0;
}

/* The draft key the device keeps for ATT (sealed under a K_data subkey). */
static bool draft_key(const uint8_t uuid[16], uint8_t key[32])
{
	char sql[128], hex[33];
	sqlite3_stmt *st;
	uint8_t sub[32], ad[19 + 16];
	bool ok = false;

	sodium_bin2hex(hex, sizeof hex, uuid, 16);
	snprintf(sql, sizeof sql, "SELECT value FROM meta WHERE key = 'quiz.att.%s'", hex);
	if (sqlite3_prepare_v2(db_lite(S->db), sql, -1, &st, NULL) != SQLITE_OK)
		atk_die("%s", sqlite3_errmsg(db_lite(S->db)));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == NPUB + 32 + ABYTES) {
		const uint8_t *blob = sqlite3_column_blob(st, 0);
		crypto_kdf_derive_from_key(sub, 32, 2, "pyquizat", S->keys->data);
		memcpy(ad, "posyandu/v1/quizatt", 19);
		memcpy(ad + 19, uuid, 16);
		ok = crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, blob + NPUB,
								 32 + ABYTES, ad, sizeof ad, blob,
								 sub) == 0;
	}
	sqlite3_finalize(st);
	return ok;
}

static int attempt_each(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			struct err *err)
{
	json_t *root, *d = payload_d(json, len, &root);
	uint8_t key[32], ad[19 + 16];
	char *plain;

	(void)ctx;
	(void)err;
	memcpy(ad, "posyandu/v1/quizans", 19);
	memcpy(ad + 19, m->uuid, 16);
	if ((sealed_key(d, key) || draft_key(m->uuid, key)) &&
	    (plain = open_box(json_object_get(d, "box"), key, ad, sizeof ad))) {
		printf("opened %s: %s\n", json_string_value(json_object_get(d, "kader_name")), plain);
		found++;
	}
	json_decref(root);
	return 0;
}

int main(int argc, char **argv)
{
	struct err err = { 0 };

	if (argc == 4 && strcmp(argv[2], "swap") == 0) {
		uint8_t pk[32], sk[32];
		char sql[160], hex[65];
		FILE *f = fopen(argv[3], "wb");
		S = atk_open(argv[1], NULL);
		crypto_box_keypair(pk, sk);
		if (!f || fwrite(sk, 1, 32, f) != 32 || fwrite(pk, 1, 32, f) != 32 || fclose(f) != 0)
			atk_die("cannot write %s", argv[3]);
		sodium_bin2hex(hex, sizeof hex, pk, 32);
		snprintf(sql, sizeof sql, "UPDATE meta SET value = x'%s' WHERE key = 'quiz.box_pk'", hex);
		atk_sql(S, sql);
		if (sqlite3_changes(db_lite(S->db)) != 1)
			atk_die("no quiz.box_pk to replace");
		atk_done(S, "quiz.box_pk replaced with the attacker's key");
	}
	if ((argc == 4 || argc == 5) &&
	    (strcmp(argv[2], "answers") == 0 || strcmp(argv[2], "attempts") == 0)) {
		bool answers = strcmp(argv[2], "answers") == 0;
		S = atk_open(argv[1], argv[3]);
		add_pairs(argc == 5 ? argv[4] : NULL);
		if (record_each_current(S, answers ? REC_QUIZ_BANK : REC_QUIZ_ATTEMPT,
					answers ? bank_each : attempt_each, NULL, &err) < 0)
			atk_die("reading records: %s", err.detail);
		printf("%d readable\n", found);
		atk_done(S, answers ? "bank answer keys searched" : "attempts searched");
	}
	atk_die("usage: atk_quiz DIR swap SKFILE | answers LABEL [SKFILE] | attempts LABEL [SKFILE]");
}
