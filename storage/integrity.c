/* storage/integrity.c: what unlock checks cheaply (issue 13.1, 13.3).
 *
 * Every signed audit entry records how many versions are stored once it is
 * written, and their highest seq; a save's entry also names the version by
 * its id and a hash of it. At unlock the counts are compared with the last
 * entry, every head must be the highest version of its record and every
 * record must have a head; and the user's audit state must match her last
 * entry in the log (entries of hers cut from the end show here). A broken
 * check does not refuse the unlock: the data stays readable, the session
 * carries a warning (store_integrity_warning) and `audit verify` fails. */
#include "storage/internal.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define VHASH_DOMAIN "posyandu/v2/version"

static void hash_int(crypto_generichash_state *h, int64_t v)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--, v = (int64_t)((uint64_t)v >> 8))
		b[i] = (uint8_t)v;
	crypto_generichash_update(h, b, 8);
}

static void hash_blob(crypto_generichash_state *h, struct dbq *st, int col)
{
	hash_int(h, dbq_type(st, col) == SQLITE_NULL ? -1 : dbq_bytes(st, col));
	if (dbq_bytes(st, col) > 0)
		crypto_generichash_update(h, dbq_blob(st, col),
					  (size_t)dbq_bytes(st, col));
}

/* The hash of the version in the current row of ST: its id in column COL,
 * then the twelve columns VHASH_COLS names after it. */
void version_hash_row(struct dbq *st, int col, uint8_t out[32])
{
	static const uint8_t zero[16];
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)VHASH_DOMAIN, sizeof VHASH_DOMAIN - 1);
	/* an id of another size hashes as zeros: it cannot match */
	crypto_generichash_update(&h, dbq_bytes(st, col) == 16
				  ? dbq_blob(st, col) : zero, 16);
	for (int c = col + 1; c < col + 13; c++) {
		if (dbq_type(st, c) == SQLITE_INTEGER) {
			hash_int(&h, 1);
			hash_int(&h, dbq_int64(st, c));
		} else {
			hash_int(&h, 2);
			hash_blob(&h, st, c);
		}
	}
	crypto_generichash_final(&h, out, 32);
}

int version_hash(struct store *s, const uint8_t vid[16], uint8_t out[32], struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT " VHASH_COLS " FROM versions WHERE vid = ?", &st,
			"version hash", DB_ARGS(DB_UUID(vid)), err);

	if (rc <= 0)
		return rc;
	version_hash_row(st, 0, out);
	db_done(st);
	return 1;
}

int integrity_records(struct store *s, int64_t nver, int64_t maxseq, char *detail, size_t size,
		      struct err *err)
{
	int64_t n, top, bad_heads, headless;

	if (db_int(s->db, "SELECT count(*) FROM versions", &n, "versions", DB_NOARGS, err) < 0 ||
	    db_int(s->db, "SELECT COALESCE(max(seq), 0) FROM versions", &top, "versions",
		   DB_NOARGS, err) < 0 ||
	    db_int(s->db, "SELECT count(*) FROM heads h WHERE NOT EXISTS (SELECT 1 FROM versions v "
		   "WHERE v.seq = h.seq AND v.uuid = h.uuid AND v.lamport = h.lamport AND "
		   "v.device = h.device AND v.deleted = h.deleted) OR EXISTS (SELECT 1 FROM "
		   "versions v WHERE v.uuid = h.uuid AND (v.lamport > h.lamport OR "
		   "(v.lamport = h.lamport AND v.device > h.device)))", &bad_heads, "heads",
		   DB_NOARGS, err) < 0 ||
	    db_int(s->db, "SELECT count(*) FROM (SELECT DISTINCT uuid FROM versions) v "
		   "WHERE NOT EXISTS (SELECT 1 FROM heads h WHERE h.uuid = v.uuid)", &headless,
		   "heads", DB_NOARGS, err) < 0)
		return -1;
	if (nver >= 0 && n < nver) {
		snprintf(detail, size, "%lld record versions were deleted outside the app",
			 (long long)(nver - n));
		return 1;
	}
	if (nver >= 0 && (n != nver || top != maxseq)) {
		snprintf(detail, size, "record versions were changed outside the app "
			 "(%lld stored, %lld audited)", (long long)n, (long long)nver);
		return 1;
	}
	if (bad_heads > 0) {
		snprintf(detail, size, "%lld records were rolled back to an older version",
			 (long long)bad_heads);
		return 1;
	}
	if (headless > 0) {
		snprintf(detail, size, "%lld records lost their current version",
			 (long long)headless);
		return 1;
	}
	return 0;
}

/* The session user's state against her entries in the log. */
static int check_own_tail(struct store *s, uint64_t *missing, struct err *err)
{
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	uint8_t last_pk[32];
	int64_t gen, count;
	uint64_t uidx;
	struct dbq *st;
	int rc;

	*missing = 0;
	if (!sk)
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	rc = astate_open(s, s->user.uuid, &gen, &uidx, sk, err);
	/* crypto_sign secret keys end with their public key */
	memcpy(last_pk, sk + crypto_sign_SECRETKEYBYTES - 32, 32);
	sodium_free(sk);
	if (rc < 0 || db_int(s->db, "SELECT count(*) FROM audit WHERE user = ? AND gen = ? AND "
			     "sig IS NOT NULL", &count, "own entries",
			     DB_ARGS(DB_UUID(s->user.uuid), DB_INT(gen)), err) < 0)
		return -1;
	if ((uint64_t)count < uidx) {
		*missing = uidx - (uint64_t)count;
		snprintf(s->warn_detail, sizeof s->warn_detail,
			 "%llu audit entries of this user are missing from the log",
			 (unsigned long long)*missing);
		s->warn |= STORE_WARN_AUDIT;
		return 0;
	}
	if (count == 0) {
		uint8_t pk0[32];
		rc = cert_get(s, s->keys->pinned, s->user.uuid, gen, pk0, err);
		if (rc == 1 && (uidx != 0 || sodium_memcmp(pk0, last_pk, 32) != 0)) {
			snprintf(s->warn_detail, sizeof s->warn_detail,
				 "this user's signing state does not start her chain");
			s->warn |= STORE_WARN_AUDIT;
		}
	} else {
		rc = db_row(s->db, "SELECT next_pk FROM audit WHERE user = ? AND gen = ? AND "
			    "sig IS NOT NULL ORDER BY seq DESC LIMIT 1", &st, "own entries",
			    DB_ARGS(DB_UUID(s->user.uuid), DB_INT(gen)), err);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			bool same = (uint64_t)count == uidx && dbq_bytes(st, 0) == 32 &&
				    sodium_memcmp(dbq_blob(st, 0), last_pk, 32) == 0;
			db_done(st);
			if (!same) {
				snprintf(s->warn_detail, sizeof s->warn_detail,
					 "the audit log and this user's signing state disagree "
					 "(one of them was replaced by an older copy)");
				s->warn |= STORE_WARN_AUDIT;
			}
		}
	}
	return rc < 0 ? -1 : 0;
}

int integrity_check(struct store *s, uint64_t *missing, struct err *err)
{
	int64_t nver = -1, maxseq = -1;
	struct dbq *st;
	char detail[128];
	int rc;

	s->warn = 0;
	s->warn_detail[0] = '\0';
	if (check_own_tail(s, missing, err) < 0)
		return -1;
	rc = db_row(s->db, "SELECT nver, maxseq FROM audit WHERE nver IS NOT NULL "
		    "ORDER BY seq DESC LIMIT 1", &st, "audit counts", DB_NOARGS, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		nver = dbq_int64(st, 0);
		maxseq = dbq_int64(st, 1);
		db_done(st);
	}
	rc = integrity_records(s, nver, maxseq, detail, sizeof detail, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		s->warn |= STORE_WARN_RECORDS;
		snprintf(s->warn_detail, sizeof s->warn_detail, "%s", detail);
	}
	return 0;
}

unsigned store_integrity_warning(const struct store *s)
{
	return s && s->keys ? s->warn : 0;
}

const char *store_integrity_detail(const struct store *s)
{
	return s && s->keys ? s->warn_detail : "";
}
