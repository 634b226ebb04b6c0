/* tests/attack/atk_recover.c: a kader against a pending recovery request
 * (issue 13.10).
 *   atk_recover DIR open-pending LABEL
 *	unlock as LABEL with $ATK_PIN, then try every key her session holds
 *	(K_data, and K_quiz/K_admin if her role had them) as the key of the
 *	sealed request secret, and $ATK_PIN itself through Argon2id with the
 *	stored salt: exit 0 ("attack: ...") if the request secret opens. */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PENDING_DOMAIN "posyandu/v1/recpending"

int main(int argc, char **argv)
{
	struct store *s;
	sqlite3_stmt *st;
	uint8_t sk[32], ad[256], kek[32];
	const char *pin;
	int tried = 0;

	if (argc != 4 || strcmp(argv[2], "open-pending") != 0)
		atk_die("usage: atk_recover DIR open-pending LABEL");
	s = atk_open(argv[1], argv[3]);
	pin = getenv("ATK_PIN");
	if (sqlite3_prepare_v2(db_lite(s->db), "SELECT request_pk, admin, opslimit, memlimit, salt, nonce, "
			       "wrapped FROM recovery_pending", -1, &st, NULL) != SQLITE_OK)
		atk_die("%s", sqlite3_errmsg(db_lite(s->db)));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const uint8_t *pk = sqlite3_column_blob(st, 0);
		const char *admin = (const char *)sqlite3_column_text(st, 1);
		const uint8_t *salt = sqlite3_column_blob(st, 4), *nonce = sqlite3_column_blob(st, 5);
		const uint8_t *ct = sqlite3_column_blob(st, 6);
		int ctlen = sqlite3_column_bytes(st, 6);
		size_t o = 0, an = strlen(admin);
		const uint8_t *keys[] = { s->keys->data, s->keys->quiz, s->keys->admin, s->keys->rec };

		memcpy(ad, PENDING_DOMAIN, sizeof PENDING_DOMAIN - 1);
		o = sizeof PENDING_DOMAIN - 1;
		memcpy(ad + o, s->store_id, 16);
		memcpy(ad + o + 16, pk, 32);
		memcpy(ad + o + 48, admin, an);
		o += 48 + an;
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++, tried++)
			if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, ct, (unsigned long long)ctlen,
								       ad, o, nonce, keys[k]) == 0)
				atk_done(s, "request secret opened with a session key");
		if (crypto_pwhash(kek, sizeof kek, pin, strlen(pin), salt,
				  (unsigned long long)sqlite3_column_int64(st, 2),
				  (size_t)sqlite3_column_int64(st, 3), crypto_pwhash_ALG_ARGON2ID13) == 0 &&
		    crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL, ct, (unsigned long long)ctlen,
							       ad, o, nonce, kek) == 0)
			atk_done(s, "request secret opened with her own PIN");
		tried++;
	}
	sqlite3_finalize(st);
	if (!tried)
		atk_die("no pending request");
	atk_die("the request secret did not open (%d keys tried)", tried);
}
