/* storage/draft.c: the sealed draft of an unsaved form, one per user. Its
 * table is a scratch space, not part of the record schema: it is made on
 * first use (so it needs no migration step) and holds only ciphertext. The
 * key is kdf(K_data, "pydraft_"), so every user's slot opens it, but the
 * associated data binds it to this store and its user: another user's row
 * does not open under a session of someone else. */
#include "storage/draft.h"
#include "storage/internal.h"

#include <string.h>

#include "storage/clock.h"
#include "core/banned.h"

#define NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define DRAFT_MAX 16384

static int draft_table(struct store *s, struct err *err)
{
	return db_exec(s->db, "CREATE TABLE IF NOT EXISTS form_drafts("
		       "  user BLOB PRIMARY KEY CHECK(length(user) = 16),"
		       "  time INTEGER NOT NULL,"
		       "  nonce BLOB NOT NULL,"
		       "  ct BLOB NOT NULL) STRICT", err);
}

/* The draft key and the associated data (store id, user uuid). */
static void draft_key(const struct store *s, uint8_t key[32], uint8_t ad[32])
{
	crypto_kdf_derive_from_key(key, 32, 1, "pydraft_", s->keys->data);
	memcpy(ad, s->store_id, 16);
	memcpy(ad + 16, s->user.uuid, 16);
}

int store_form_draft_put(struct store *s, const void *plain, size_t len, struct err *err)
{
	uint8_t key[32], ad[32], nonce[NPUB], *ct;
	unsigned long long ct_len;
	int rc;

	if (need_keys(s, err) < 0)
		return -1;
	if (len > DRAFT_MAX)
		return err_set(err, ERR_RANGE, "draft", "too long");
	if (draft_table(s, err) < 0 || !(ct = sodium_malloc(len + ABYTES)))
		return -1;
	draft_key(s, key, ad);
	randombytes_buf(nonce, sizeof nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ct_len, plain, len, ad, sizeof ad, NULL,
						   nonce, key);
	sodium_memzero(key, sizeof key);
	rc = db_run(s->db, "INSERT INTO form_drafts(user, time, nonce, ct) VALUES(?,?,?,?) "
		    "ON CONFLICT(user) DO UPDATE SET time = excluded.time, nonce = excluded.nonce, "
		    "ct = excluded.ct",
		    "draft", DB_ARGS(DB_UUID(s->user.uuid), DB_INT(clock_now()),
				     DB_BLOB(nonce, sizeof nonce), DB_BLOB(ct, ct_len)), err);
	sodium_free(ct);
	return rc;
}

int store_form_draft_get(struct store *s, unsigned char **out, size_t *len, struct err *err)
{
	struct dbq *st;
	uint8_t key[32], ad[32];
	unsigned long long plen;
	const uint8_t *nonce, *ct;
	int n, rc;

	*out = NULL;
	*len = 0;
	if (need_keys(s, err) < 0 || draft_table(s, err) < 0)
		return -1;
	rc = db_row(s->db, "SELECT nonce, ct FROM form_drafts WHERE user = ?", &st, "draft",
		    DB_ARGS(DB_UUID(s->user.uuid)), err);
	if (rc <= 0)
		return rc;
	nonce = dbq_blob(st, 0);
	ct = dbq_blob(st, 1);
	n = dbq_bytes(st, 1);
	rc = 0;
	if (dbq_bytes(st, 0) == NPUB && n >= (int)ABYTES && n - (int)ABYTES <= DRAFT_MAX &&
	    (*out = sodium_malloc((size_t)n - ABYTES + 1))) {
		draft_key(s, key, ad);
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(*out, &plen, NULL, ct, (size_t)n, ad,
							       sizeof ad, nonce, key) == 0) {
			*len = (size_t)plen;
			rc = 1;
		} else {
			sodium_free(*out);
			*out = NULL;
		}
		sodium_memzero(key, sizeof key);
	}
	db_done(st);
	if (rc == 0)                   /* one that does not open is of no use: forget it */
		store_form_draft_drop(s, NULL);
	return rc;
}

int store_form_draft_drop(struct store *s, struct err *err)
{
	if (need_keys(s, err) < 0 || draft_table(s, err) < 0)
		return -1;
	return db_run(s->db, "DELETE FROM form_drafts WHERE user = ?", "draft",
		      DB_ARGS(DB_UUID(s->user.uuid)), err);
}

void store_form_draft_free(unsigned char *plain, size_t len)
{
	if (!plain)
		return;
	sodium_memzero(plain, len);
	sodium_free(plain);
}

/* A rotation of K_data (storage/rotate.c): one row at a time, in user
 * order, since each is rewritten. */
int draft_rekey(struct store *s, const uint8_t old_data[KEY_LEN], const uint8_t new_data[KEY_LEN],
		struct err *err)
{
	uint8_t okey[32], nkey[32], ad[32], nonce[NPUB], user[16] = { 0 };
	uint8_t *buf = NULL, *ct;
	unsigned long long plen, clen;
	struct dbq *st;
	int rc;

	if (draft_table(s, err) < 0 || !(buf = sodium_malloc(2 * (DRAFT_MAX + ABYTES))))
		return -1;
	ct = buf + DRAFT_MAX + ABYTES;
	crypto_kdf_derive_from_key(okey, 32, 1, "pydraft_", old_data);
	crypto_kdf_derive_from_key(nkey, 32, 1, "pydraft_", new_data);
	memcpy(ad, s->store_id, 16);
	for (;;) {
		int n;
		bool ok;

		rc = db_row(s->db, "SELECT user, nonce, ct FROM form_drafts WHERE user > ? "
			    "ORDER BY user LIMIT 1", &st, "draft", DB_ARGS(DB_UUID(user)), err);
		if (rc <= 0)
			break;
		n = dbq_bytes(st, 2);
		ok = dbq_bytes(st, 0) == 16 && dbq_bytes(st, 1) == NPUB &&
		     n >= (int)ABYTES && n - (int)ABYTES <= DRAFT_MAX;
		if (dbq_bytes(st, 0) != 16) {
			db_done(st);
			rc = err_set(err, ERR_CRYPTO, NULL, "a draft row is malformed");
			break;
		}
		memcpy(user, dbq_blob(st, 0), 16);
		memcpy(ad + 16, user, 16);
		ok = ok && crypto_aead_xchacha20poly1305_ietf_decrypt(
				   buf, &plen, NULL, dbq_blob(st, 2), (size_t)n, ad,
				   sizeof ad, dbq_blob(st, 1), okey) == 0;
		db_done(st);
		if (!ok) {
			/* one that does not open is of no use (as at _get): forget it */
			rc = db_run(s->db, "DELETE FROM form_drafts WHERE user = ?", "draft",
				    DB_ARGS(DB_UUID(user)), err);
		} else {
			randombytes_buf(nonce, sizeof nonce);
			crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, buf, plen, ad, sizeof ad,
								   NULL, nonce, nkey);
			rc = db_run(s->db, "UPDATE form_drafts SET nonce = ?, ct = ? WHERE user = ?",
				    "draft", DB_ARGS(DB_BLOB(nonce, sizeof nonce), DB_BLOB(ct, clen),
						     DB_UUID(user)), err);
		}
		if (rc < 0)
			break;
	}
	sodium_memzero(okey, sizeof okey);
	sodium_memzero(nkey, sizeof nkey);
	sodium_free(buf);
	return rc < 0 ? -1 : 0;
}
