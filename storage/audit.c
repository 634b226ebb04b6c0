/* storage/audit.c: the audit log. */
#include "storage/audit.h"
#include "storage/internal.h"
#include "storage/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define AUDIT_DOMAIN "posyandu/v1/audit"

static const char *const action_names[] = {
	[AUDIT_INIT] = "init", [AUDIT_LOGIN] = "login", [AUDIT_LOGIN_FAILED] = "login-failed",
	[AUDIT_SAVE] = "save", [AUDIT_DELETE] = "delete", [AUDIT_EXPORT] = "export",
	[AUDIT_IMPORT] = "import", [AUDIT_USER_ADD] = "user-add",
	[AUDIT_USER_PASSWD] = "user-passwd", [AUDIT_USER_DISABLE] = "user-disable",
	[AUDIT_KEY] = "key",
};

const char *audit_action_name(int action)
{
	if (action > 0 && action < (int)(sizeof action_names / sizeof action_names[0]) &&
	    action_names[action])
		return action_names[action];
	return "?";
}

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void chain_hash(const uint8_t key[32], const uint8_t prev[32], uint64_t seq, int64_t t,
		       const uint8_t user[16], int64_t action, const uint8_t object[16],
		       const uint8_t *detail_ct, size_t detail_len, uint8_t out[32])
{
	crypto_generichash_state h;
	uint8_t buf[8], dh[32];

	crypto_generichash(dh, sizeof dh, detail_ct, detail_len, NULL, 0);
	crypto_generichash_init(&h, key, 32, 32);
	crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN, sizeof AUDIT_DOMAIN - 1);
	crypto_generichash_update(&h, prev, 32);
	be64(buf, seq);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, (uint64_t)t);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, user, 16);
	be64(buf, (uint64_t)action);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, object, 16);
	crypto_generichash_update(&h, dh, sizeof dh);
	crypto_generichash_final(&h, out, 32);
}

/* The longest detail: what struct audit_entry can give back with its NUL. */
#define DETAIL_MAX (sizeof ((struct audit_entry *)0)->detail - 1)

/* The detail is sealed with the record key; the AD is the domain and seq. */
static void detail_ad(uint8_t ad[sizeof AUDIT_DOMAIN - 1 + 8], uint64_t seq)
{
	memcpy(ad, AUDIT_DOMAIN, sizeof AUDIT_DOMAIN - 1);
	be64(ad + sizeof AUDIT_DOMAIN - 1, seq);
}

int audit_head(struct store *s, uint64_t *seq, uint8_t head[32], struct err *err)
{
	sqlite3_stmt *st;
	int rc = db_row(s->db, "SELECT seq, h FROM audit ORDER BY seq DESC LIMIT 1", &st, "audit",
			DB_NOARGS, err);

	*seq = 0;
	memset(head, 0, 32);
	if (rc != 1)
		return rc;
	*seq = (uint64_t)sqlite3_column_int64(st, 0);
	if (sqlite3_column_bytes(st, 1) == 32)
		memcpy(head, sqlite3_column_blob(st, 1), 32);
	sqlite3_finalize(st);
	return 0;
}

int audit_append(struct store *s, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err)
{
	uint8_t prev[32], h[32], ad[sizeof AUDIT_DOMAIN - 1 + 8];
	uint8_t ct[24 + DETAIL_MAX + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	unsigned long long ct_len;
	size_t dlen = detail ? strlen(detail) : 0;
	uint64_t seq;
	int64_t t = clock_now();

	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "audit needs an unlocked store");
	if (dlen > DETAIL_MAX)
		dlen = DETAIL_MAX;
	if (audit_head(s, &seq, prev, err) < 0)
		return -1;
	seq++;

	randombytes_buf(ct, 24);
	detail_ad(ad, seq);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct + 24, &ct_len, (const uint8_t *)(detail ? detail : ""),
						   dlen, ad, sizeof ad, NULL, ct, s->keys->rec);
	ct_len += 24;
	chain_hash(s->keys->audit, prev, seq, t, s->user.uuid, action, object, ct, ct_len, h);
	return db_run(s->db, "INSERT INTO audit(seq, time, user, action, object, detail_ct, prev, h) "
		      "VALUES(?,?,?,?,?,?,?,?)", "audit",
		      DB_ARGS(DB_INT(seq), DB_INT(t), DB_UUID(s->user.uuid), DB_INT(action),
			      DB_UUID(object), DB_BLOB(ct, ct_len), DB_BLOB(prev, 32),
			      DB_BLOB(h, 32)), err);
}

int audit_commit(struct store *s, int rc, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err)
{
	if (rc < 0 || audit_append(s, action, object, detail, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return db_commit(s->db, err);
}

/* Copy an N-byte blob column; false (and zeros) when it has another size. */
static bool blob_copy(sqlite3_stmt *st, int col, uint8_t *out, size_t n)
{
	memset(out, 0, n);
	if (sqlite3_column_type(st, col) != SQLITE_BLOB || (size_t)sqlite3_column_bytes(st, col) != n)
		return false;
	memcpy(out, sqlite3_column_blob(st, col), n);
	return true;
}

int store_audit_verify(struct store *s, size_t *entries, uint64_t *bad_seq, struct err *err)
{
	static const uint8_t zero[32];
	uint8_t prev[32], h[32], stored_prev[32], stored_h[32], user[16], object[16];
	uint64_t expect = 1;
	sqlite3_stmt *st;
	int rc;

	*bad_seq = 0;
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	memcpy(prev, zero, 32);
	if (db_prepare(s->db, "SELECT seq, time, user, action, object, detail_ct, prev, h "
			      "FROM audit ORDER BY seq", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
		/* every column exactly as hashed: a 15-byte user or an action read
		 * through a 32-bit int would otherwise hash like the original */
		bool sized = blob_copy(st, 2, user, 16) && blob_copy(st, 4, object, 16) &&
			     blob_copy(st, 6, stored_prev, 32) && blob_copy(st, 7, stored_h, 32);
		chain_hash(s->keys->audit, prev, seq, sqlite3_column_int64(st, 1), user,
			   sqlite3_column_int64(st, 3), object, sqlite3_column_blob(st, 5),
			   (size_t)sqlite3_column_bytes(st, 5), h);
		if (seq != expect || !sized || sodium_memcmp(stored_prev, prev, 32) != 0 ||
		    sodium_memcmp(stored_h, h, 32) != 0) {
			*bad_seq = seq != expect ? expect : seq;
			sqlite3_finalize(st);
			return err_set(err, ERR_CRYPTO, NULL, "audit entry %llu %s",
				       (unsigned long long)*bad_seq,
				       seq != expect ? "is missing" : "was changed or moved");
		}
		memcpy(prev, h, 32);
		expect++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "audit verify");
	if (entries)
		*entries = (size_t)(expect - 1);
	return 0;
}

static int entry_row(void *ctx, sqlite3_stmt *st, void *item, struct err *err)
{
	struct store *s = ctx;
	struct audit_entry *e = item;
	const uint8_t *ct = sqlite3_column_blob(st, 5);
	size_t ct_len = (size_t)sqlite3_column_bytes(st, 5);
	uint8_t ad[sizeof AUDIT_DOMAIN - 1 + 8];
	unsigned long long dlen = 0;

	(void)err;
	e->seq = (uint64_t)sqlite3_column_int64(st, 0);
	e->time = sqlite3_column_int64(st, 1);
	blob_copy(st, 2, e->user, 16);
	e->action = sqlite3_column_int(st, 3);
	blob_copy(st, 4, e->object, 16);
	snprintf(e->user_label, sizeof e->user_label, "%s", sqlite3_column_text(st, 6));
	detail_ad(ad, e->seq);
	if (ct_len >= 24 + crypto_aead_xchacha20poly1305_ietf_ABYTES &&
	    ct_len - 24 - crypto_aead_xchacha20poly1305_ietf_ABYTES < sizeof e->detail &&
	    crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)e->detail, &dlen, NULL,
						       ct + 24, ct_len - 24, ad, sizeof ad,
						       ct, s->keys->rec) == 0)
		e->detail[dlen] = '\0';
	else
		snprintf(e->detail, sizeof e->detail, "(unreadable)");
	return 0;
}

int store_audit_list(struct store *s, struct audit_entry **out, size_t *n, struct err *err)
{
	*out = NULL;
	*n = 0;
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	return db_collect(s->db, "SELECT a.seq, a.time, a.user, a.action, a.object, a.detail_ct, "
			  "COALESCE(u.label, '') FROM audit a LEFT JOIN users u ON u.uuid = a.user "
			  "ORDER BY a.seq", DB_NOARGS, sizeof **out, entry_row, s, (void **)out, n,
			  "audit list", err);
}
