/* tests/attack/atk_audit.c: attacks on the audit log (issue 13.1). A kader
 * with her PIN has K_data, so she can recompute every chain hash (the old
 * scheme's whole protection); she cannot sign as anyone else, and her own
 * earlier keys are gone.
 *   atk_audit DIR LABEL delete N    remove entry N, renumber and re-chain the rest
 *   atk_audit DIR LABEL edit N      change the action of entry N, re-chain from it
 *   atk_audit DIR LABEL reorder N   swap entries N and N+1, re-chain
 *   atk_audit DIR LABEL insert N    copy entry N in after itself, renumber, re-chain
 *   atk_audit DIR LABEL resign N    edit her own entry N and sign it again
 *                                   with her current key, re-chain
 *   atk_audit DIR - cut N           delete entries N and after (no PIN needed) */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The chain hashes, as in storage/audit.c (she has the source). */
static void hash_v1(const uint8_t key[32], const uint8_t prev[32], sqlite3_stmt *st,
		    uint8_t out[32])
{
	static const char dom[] = "posyandu/v1/audit";
	crypto_generichash_state h;
	uint8_t b[8], dh[32];

	crypto_generichash(dh, 32, sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5),
			   NULL, 0);
	crypto_generichash_init(&h, key, 32, 32);
	crypto_generichash_update(&h, (const uint8_t *)dom, sizeof dom - 1);
	crypto_generichash_update(&h, prev, 32);
	be64(b, (uint64_t)sqlite3_column_int64(st, 0));
	crypto_generichash_update(&h, b, 8);
	be64(b, (uint64_t)sqlite3_column_int64(st, 1));
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_update(&h, sqlite3_column_blob(st, 2), 16);
	be64(b, (uint64_t)sqlite3_column_int64(st, 3));
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_update(&h, sqlite3_column_blob(st, 4), 16);
	crypto_generichash_update(&h, dh, 32);
	crypto_generichash_final(&h, out, 32);
}

static void hash_v2(const uint8_t key[32], const uint8_t prev[32], sqlite3_stmt *st,
		    uint8_t out[32])
{
	static const char dom[] = "posyandu/v2/audit";
	static const uint8_t zero[32];
	crypto_generichash_state h;
	uint8_t b[8], inner[32];

	hash_v1(key, prev, st, inner);
	crypto_generichash_init(&h, key, 32, 32);
	crypto_generichash_update(&h, (const uint8_t *)dom, sizeof dom - 1);
	crypto_generichash_update(&h, inner, 32);
	be64(b, (uint64_t)sqlite3_column_int64(st, 6));
	crypto_generichash_update(&h, b, 8);
	be64(b, (uint64_t)sqlite3_column_int64(st, 7));
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_update(&h, sqlite3_column_blob(st, 8), 32);
	crypto_generichash_update(&h, sqlite3_column_bytes(st, 9) == 16 ? sqlite3_column_blob(st, 9) : zero, 16);
	crypto_generichash_update(&h, sqlite3_column_bytes(st, 10) == 32 ? sqlite3_column_blob(st, 10) : zero, 32);
	be64(b, (uint64_t)sqlite3_column_int64(st, 11));
	crypto_generichash_update(&h, b, 8);
	be64(b, (uint64_t)sqlite3_column_int64(st, 12));
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_final(&h, out, 32);
}

/* Recompute prev and h of every entry from seq FROM on. */
static void rechain(struct store *s, long long from)
{
	uint8_t prev[32] = { 0 }, h[32];
	sqlite3_stmt *st, *up;

	if (sqlite3_prepare_v2(db_lite(s->db), "SELECT seq, time, user, action, object, detail_ct, gen, uidx, "
			       "next_pk, vid, vhash, nver, maxseq, sig, h FROM audit ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db_lite(s->db), "UPDATE audit SET prev = ?, h = ? WHERE seq = ?", -1, &up,
			       NULL) != SQLITE_OK)
		atk_die("prepare: %s", sqlite3_errmsg(db_lite(s->db)));
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		if (seq < from) {
			memcpy(prev, sqlite3_column_blob(st, 14), 32);
			continue;
		}
		if (sqlite3_column_type(st, 13) == SQLITE_NULL)
			hash_v1(s->keys->audit, prev, st, h);
		else
			hash_v2(s->keys->audit, prev, st, h);
		sqlite3_bind_blob(up, 1, prev, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(up, 2, h, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 3, seq);
		if (sqlite3_step(up) != SQLITE_DONE)
			atk_die("update: %s", sqlite3_errmsg(db_lite(s->db)));
		sqlite3_reset(up);
		memcpy(prev, h, 32);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
}

/* Sign entry N again with her current audit key (the one in her state). */
static void resign(struct store *s, long long n)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES], msg[sizeof "posyandu/v2/audit-sig" - 1 + 32], sig[64];
	struct err err = { 0 };
	int64_t gen;
	uint64_t uidx;
	sqlite3_stmt *st;

	if (astate_open(s, s->user.uuid, &gen, &uidx, sk, &err) < 0)
		atk_die("her own state: %s", err.detail);
	if (sqlite3_prepare_v2(db_lite(s->db), "SELECT h FROM audit WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
		atk_die("prepare");
	sqlite3_bind_int64(st, 1, n);
	if (sqlite3_step(st) != SQLITE_ROW)
		atk_die("no entry %lld", n);
	memcpy(msg, "posyandu/v2/audit-sig", sizeof "posyandu/v2/audit-sig" - 1);
	memcpy(msg + sizeof "posyandu/v2/audit-sig" - 1, sqlite3_column_blob(st, 0), 32);
	sqlite3_finalize(st);
	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
	sodium_memzero(sk, sizeof sk);
	if (sqlite3_prepare_v2(db_lite(s->db), "UPDATE audit SET sig = ? WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
		atk_die("prepare");
	sqlite3_bind_blob(st, 1, sig, 64, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, n);
	if (sqlite3_step(st) != SQLITE_DONE)
		atk_die("update sig");
	sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
	struct store *s;
	char sql[512];
	long long n;

	if (argc != 5)
		atk_die("usage: atk_audit DIR LABEL|- delete|edit|reorder|insert|resign|cut N");
	n = atoll(argv[4]);
	s = atk_open(argv[1], strcmp(argv[2], "-") ? argv[2] : NULL);
	if (strcmp(argv[3], "cut") == 0) {
		snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq >= %lld", n);
		atk_sql(s, sql);
		atk_done(s, "tail of the audit log cut");
	}
	if (!s->keys)
		atk_die("this attack needs her PIN");
	if (strcmp(argv[3], "delete") == 0) {
		snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq = %lld;"
			 "UPDATE audit SET seq = -(seq - 1) WHERE seq > %lld;"
			 "UPDATE audit SET seq = -seq WHERE seq < 0;", n, n);
		atk_sql(s, sql);
		rechain(s, n);
		atk_done(s, "entry deleted, the rest renumbered and re-chained with K_data");
	} else if (strcmp(argv[3], "edit") == 0) {
		snprintf(sql, sizeof sql, "UPDATE audit SET action = CASE action WHEN 2 THEN 4 ELSE 2 END WHERE seq = %lld", n);
		atk_sql(s, sql);
		rechain(s, n);
		atk_done(s, "entry edited and re-chained");
	} else if (strcmp(argv[3], "reorder") == 0) {
		snprintf(sql, sizeof sql, "UPDATE audit SET seq = -1 WHERE seq = %lld;"
			 "UPDATE audit SET seq = %lld WHERE seq = %lld;"
			 "UPDATE audit SET seq = %lld WHERE seq = -1;", n, n, n + 1, n + 1);
		atk_sql(s, sql);
		rechain(s, n);
		atk_done(s, "entries swapped and re-chained");
	} else if (strcmp(argv[3], "insert") == 0) {
		snprintf(sql, sizeof sql, "UPDATE audit SET seq = -(seq + 1) WHERE seq > %lld;"
			 "UPDATE audit SET seq = -seq WHERE seq < 0;"
			 "INSERT INTO audit SELECT %lld, time, user, action, object, detail_ct, prev, h, "
			 "gen, uidx, next_pk, sig, vid, vhash, nver, maxseq, key_epoch FROM audit WHERE seq = %lld;",
			 n, n + 1, n);
		atk_sql(s, sql);
		rechain(s, n);
		atk_done(s, "entry inserted and re-chained");
	} else if (strcmp(argv[3], "resign") == 0) {
		snprintf(sql, sizeof sql, "UPDATE audit SET action = CASE action WHEN 2 THEN 4 ELSE 2 END WHERE seq = %lld", n);
		atk_sql(s, sql);
		rechain(s, n);
		resign(s, n);
		atk_done(s, "her own entry edited and signed again with her current key");
	}
	atk_die("unknown attack %s", argv[3]);
}
