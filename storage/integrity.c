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

struct clear {                     /* a version's or head's clear columns */
	uint8_t uuid[16], device[16];
	int64_t lamport, seq, deleted;
	bool ok;                           /* ok: both ids 16 bytes */
	int64_t x;                         /* a head's kind; a version's month */
	uint8_t owner[16];                 /* a version's owner */
	bool x_ok;                         /* x an integer (and owner 16 bytes) */
	uint8_t code[REC_CODE_MAX];        /* the posyandu code's bytes ... */
	int code_len;                      /* ... and their number; -1: not a code */
};

/* Column COL of Q as a posyandu code: its bytes, all of them (a NUL
 * included, as SQL compares them), or CODE_LEN -1 when it is not text or
 * longer than any code (15 bytes), which the SQL of the slow path counts
 * alike. */
static void code_of(struct dbq *q, int col, struct clear *c)
{
	const unsigned char *t = dbq_text(q, col);
	int n = dbq_bytes(q, col);

	c->code_len = -1;
	if (dbq_type(q, col) != SQLITE_TEXT || !t || n < 0 || n >= REC_CODE_MAX)
		return;
	memcpy(c->code, t, (size_t)n);
	c->code_len = n;
}

/* Whether A and B are the same posyandu code (both codes). */
static bool same_code(const struct clear *a, const struct clear *b)
{
	return a->code_len >= 0 && a->code_len == b->code_len &&
	       memcmp(a->code, b->code, (size_t)a->code_len) == 0;
}

/* A row of the heads query, or (VERSION) of the versions query. */
static void clear_of(struct dbq *q, struct clear *c, bool version)
{
	c->ok = dbq_type(q, 0) == SQLITE_BLOB && dbq_bytes(q, 0) == 16 &&
		dbq_type(q, 2) == SQLITE_BLOB && dbq_bytes(q, 2) == 16;
	db_col16(q, 0, c->uuid);
	db_col16(q, 2, c->device);
	c->lamport = dbq_int64(q, 1);
	c->seq = dbq_int64(q, 3);
	c->deleted = dbq_int64(q, 4);
	c->x = dbq_int64(q, 5);
	c->x_ok = dbq_type(q, 5) == SQLITE_INTEGER;
	if (version) {                 /* owner, month */
		c->x_ok = dbq_type(q, 5) == SQLITE_BLOB && dbq_bytes(q, 5) == 16 &&
			  dbq_type(q, 6) == SQLITE_INTEGER;
		db_col16(q, 5, c->owner);
		c->x = dbq_int64(q, 6);
	}
	code_of(q, version ? 7 : 6, c);
}

/* Column 0 of Q against UUID, in SQLite's order of blobs. */
static int uuid_cmp(struct dbq *q, const uint8_t uuid[16])
{
	const void *b;
	int n, c;

	if (dbq_type(q, 0) != SQLITE_BLOB)
		return -1;   /* before every blob in SQLite's order: NULL, numbers, text */
	b = dbq_blob(q, 0);
	n = dbq_bytes(q, 0);
	if (n <= 0 || !b)
		return -1;
	c = memcmp(b, uuid, n < 16 ? (size_t)n : 16);
	return c ? c : n - 16;
}

bool store_versions_cur(struct store *s)
{
	int64_t n = 0;
	struct err e = { 0 };

	return !db_is_pg(s->db) &&
	       db_int(s->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
		      "name = 'versions_cur' AND tbl_name = 'versions' AND sql = ?", &n,
		      "versions_cur", DB_ARGS(DB_TEXT(VERSIONS_CUR_SQL)), &e) == 0 && n == 1;
}

void store_want_visit_refs(struct store *s)
{
	s->vref_want = true;
}

void store_vref_free(struct store *s)
{
	free(s->vref);
	s->vref = NULL;
	s->nvref = s->capvref = 0;
}

/* A current visit's clear columns (V, its newest version) into the
 * store's refs; false when they are malformed or the memory is short:
 * the desk then reads them itself. */
static bool vref_add(struct store *s, const struct clear *v)
{
	struct vref *r;

	if (!v->x_ok || v->x < 0 || v->x > INT32_MAX)
		return false;
	if (s->nvref == s->capvref) {
		size_t cap = s->capvref ? 2 * s->capvref : 4096;
		void *p = realloc(s->vref, cap * sizeof *s->vref);
		if (!p)
			return false;
		s->vref = p;
		s->capvref = cap;
	}
	r = &s->vref[s->nvref++];
	memcpy(r->uuid, v->uuid, 16);
	memcpy(r->owner, v->owner, 16);
	r->month = (int32_t)v->x;
	return true;
}

/* Heads against versions in one pass over each, both in uuid order: the
 * heads table, and the versions through versions_cur (their clear columns,
 * not the rows that hold the sealed bytes). A head must name the newest
 * version of its record as it is (lamport, device, seq, deleted); a record
 * with versions must have a head; a record's versions and head carry one
 * posyandu code, none for a quiz bank (BAD_CODES counts the others). Two
 * scans instead of two index probes per head (issue 15: most of the time
 * from the PIN to the desk). On the way, when the desk asked
 * (store_want_visit_refs), the current visits' clear columns are kept for
 * its list, stamped with TOP_SEQ. */
static int heads_check(struct store *s, int64_t top_seq, int64_t *bad_heads, int64_t *headless,
		       int64_t *bad_codes, struct err *err)
{
	struct dbq *h = NULL, *v = NULL;
	struct clear top, hd, first;
	bool refs = s->vref_want;  /* gather the visit refs on the way */
	bool one_code;
	int rh, rv;

	*bad_heads = *headless = *bad_codes = 0;
	store_vref_free(s);
	/* PostgreSQL (a province's store) answers with whole results: there
	 * the database compares, and only the counts come back. So it does
	 * on a file whose versions_cur is not the one step 16 made (dropped
	 * or replaced behind the app's back): slower, never wrong. */
	if (!store_versions_cur(s))
		return db_int(s->db, "SELECT count(*) FROM heads h WHERE NOT EXISTS (SELECT 1 FROM "
			      "versions v WHERE v.seq = h.seq AND v.uuid = h.uuid AND v.lamport = "
			      "h.lamport AND v.device = h.device AND v.deleted = h.deleted) OR EXISTS "
			      "(SELECT 1 FROM versions v WHERE v.uuid = h.uuid AND (v.lamport > "
			      "h.lamport OR (v.lamport = h.lamport AND v.device > h.device))) OR "
			      "EXISTS (SELECT 1 FROM heads g WHERE g.uuid = h.uuid AND "
			      "g.posyandu < h.posyandu)",
			      bad_heads, "heads", DB_NOARGS, err) < 0 ||
		       db_int(s->db, "SELECT count(*) FROM (SELECT DISTINCT uuid FROM versions) v "
			      "WHERE NOT EXISTS (SELECT 1 FROM heads h WHERE h.uuid = v.uuid)",
			      headless, "heads", DB_NOARGS, err) < 0 ||
		       db_int(s->db, "SELECT count(*) FROM heads h WHERE (h.kind = ? AND "
			      "h.posyandu != '') OR length(CAST(h.posyandu AS BLOB)) >= ? OR "
			      "EXISTS (SELECT 1 FROM versions v WHERE v.uuid = h.uuid AND "
			      "(v.posyandu != h.posyandu OR length(CAST(v.posyandu AS BLOB)) >= ?))",
			      bad_codes, "heads", DB_ARGS(DB_INT(REC_QUIZ_BANK), DB_INT(REC_CODE_MAX),
							  DB_INT(REC_CODE_MAX)), err) < 0 ? -1 : 0;
	if (db_query(s->db, "SELECT uuid, lamport, device, seq, deleted, kind, posyandu FROM heads "
		     "ORDER BY uuid", &h, DB_NOARGS, err) < 0)
		return -1;
	if (db_query(s->db, "SELECT uuid, lamport, device, seq, deleted, owner, month, posyandu "
		     "FROM versions INDEXED BY versions_cur ORDER BY uuid, lamport, device", &v,
		     DB_NOARGS, err) < 0) {
		db_done(h);
		return -1;
	}
	rh = dbq_step(h);
	rv = dbq_step(v);
	while (rv == SQLITE_ROW) {
		/* one record's versions: the last is its newest; one code */
		clear_of(v, &top, true);
		first = top;
		one_code = first.code_len >= 0;
		while ((rv = dbq_step(v)) == SQLITE_ROW && uuid_cmp(v, top.uuid) == 0) {
			clear_of(v, &top, true);
			one_code = one_code && same_code(&top, &first);
		}
		while (rh == SQLITE_ROW && uuid_cmp(h, top.uuid) < 0) {
			(*bad_heads)++;                /* a head of no version */
			rh = dbq_step(h);
		}
		if (rh == SQLITE_ROW && uuid_cmp(h, top.uuid) == 0) {
			clear_of(h, &hd, false);
			if (!one_code || !same_code(&hd, &first) ||
			    (hd.x == REC_QUIZ_BANK && first.code_len))
				(*bad_codes)++;
			if (!hd.ok || !top.ok || hd.lamport != top.lamport || hd.seq != top.seq ||
			    hd.deleted != top.deleted || memcmp(hd.device, top.device, 16) != 0)
				(*bad_heads)++;        /* not the newest, or not as it is */
			else if (refs && hd.x_ok && hd.x == REC_VISIT && hd.deleted == 0)
				refs = vref_add(s, &top);
			rh = dbq_step(h);
		} else {
			(*headless)++;
		}
	}
	while (rv == SQLITE_DONE && rh == SQLITE_ROW) {
		(*bad_heads)++;
		rh = dbq_step(h);
	}
	db_done(h);
	db_done(v);
	/* only a store whose heads all hold gives its refs: otherwise the
	 * desk reads them as the rows say, as before */
	if (!refs || *bad_heads || *headless || *bad_codes || rv != SQLITE_DONE ||
	    rh != SQLITE_DONE)
		store_vref_free(s);
	s->vref_top = top_seq;
	if (rv != SQLITE_DONE)
		return db_fail(err, s->db, rv, "versions");
	if (rh != SQLITE_DONE)
		return db_fail(err, s->db, rh, "heads");
	return 0;
}

int integrity_records(struct store *s, int64_t nver, int64_t maxseq, char *detail, size_t size,
		      struct err *err)
{
	int64_t n, top, bad_heads, headless, bad_codes;

	if (db_int(s->db, "SELECT count(*) FROM versions", &n, "versions", DB_NOARGS, err) < 0 ||
	    db_int(s->db, "SELECT COALESCE(max(seq), 0) FROM versions", &top, "versions",
		   DB_NOARGS, err) < 0 ||
	    heads_check(s, top, &bad_heads, &headless, &bad_codes, err) < 0)
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
	if (bad_codes > 0) {
		snprintf(detail, size, "%lld records' posyandu codes were changed outside the app",
			 (long long)bad_codes);
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
	/* her signed entries, counted in audit_user: only append_entry()
	 * writes entries with a generation, and each with its uidx and sig */
	if (rc < 0 || db_int(s->db, "SELECT count(*) FROM audit WHERE "
			     "user = ? AND gen = ? AND uidx IS NOT NULL", &count, "own entries",
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
		/* her last entry, found in audit_user (her uidx grows with seq) */
		rc = db_row(s->db, "SELECT next_pk FROM audit WHERE user = ? "
			    "AND gen = ? AND uidx IS NOT NULL ORDER BY uidx DESC LIMIT 1", &st,
			    "own entries",
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
