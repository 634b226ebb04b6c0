/* storage/audit_range.c: the record versions each audit entry binds
 * (issue 13.3); storage/audit.c writes and walks the entries. */
#include "storage/audit_internal.h"

#include <string.h>

#include "core/banned.h"

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* ---- what each entry says about the record versions (issue 13.3) ----
 *
 * A signed entry carries nver and maxseq: how many versions are stored
 * once it is written and their highest seq. They are the previous signed
 * entry's figures plus exactly what the entry's own operation inserted (a
 * save its version, an import its new ones, every other entry nothing),
 * never recounted from the table: a version added outside the app is then
 * above the last entry's maxseq, or beyond its count, and unlock warns.
 * Each entry's versions are those of its range (previous maxseq, maxseq].
 * A save's entry names its one version by vid and vhash (as since issue
 * 13); every other entry binds its range in vhash (vid NULL) with
 * range_digest, over the seq and hash of each version in seq order, an
 * entry that adds nothing over the empty range. Entries written before
 * this have no such digest (vhash NULL): they are accepted until the first
 * entry that has one. */
#define RANGE_DOMAIN "posyandu/v4/audit-range"

/* The previous signed entry's figures (*FROM its maxseq) and this entry's,
 * once its operation inserted ADDED versions. The first signed entry (a
 * new store, or one older than issue 13) counts the table. */
int version_counts(struct store *s, int64_t added, int64_t *from, int64_t *nver,
			  int64_t *maxseq, struct err *err)
{
	struct dbq *st;
	int64_t top;
	int rc = db_row(s->db, "SELECT nver, maxseq FROM audit WHERE nver IS NOT NULL "
			"ORDER BY seq DESC LIMIT 1", &st, "audit counts", DB_NOARGS, err);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		*nver = dbq_int64(st, 0);
		*from = *maxseq = dbq_int64(st, 1);
		db_done(st);
	}
	if (db_int(s->db, "SELECT COALESCE(max(seq), 0) FROM versions", &top, "versions",
		   DB_NOARGS, err) < 0)
		return -1;
	if (rc == 0) {
		*from = 0;
		*maxseq = top;
		return db_int(s->db, "SELECT count(*) FROM versions", nver, "versions", DB_NOARGS,
			      err);
	}
	if (added > 0) {
		*nver += added;
		if (top > *maxseq)
			*maxseq = top;
	}
	return 0;
}

/* H, the hash of the version in the current row of ST (its vid in column
 * 1), carried back through each rotation after data-key EPOCH (RK: the
 * rekeys statement) to the hash it had in that epoch. */
static int hash_back(struct dbq *rk, struct dbq *st, int64_t epoch, uint8_t h[32])
{
	int rc;

	dbq_reset(rk);
	dbq_bind_blob(rk, 1, dbq_blob(st, 1), dbq_bytes(st, 1));
	dbq_bind_int64(rk, 2, epoch);
	while ((rc = dbq_step(rk)) == SQLITE_ROW)
		if (dbq_bytes(rk, 0) == 32 && dbq_bytes(rk, 1) == 32 &&
		    sodium_memcmp(dbq_blob(rk, 1), h, 32) == 0)
			memcpy(h, dbq_blob(rk, 0), 32);
	return rc;
}

/* The digest of the versions with FROM < seq <= TO, each by its seq and its
 * hash as it was in data-key EPOCH (re-encryptions by later rotations are
 * carried back through version_rekeys, which each rotation's entry binds);
 * *COUNT how many there are. */
int range_digest(struct store *s, int64_t from, int64_t to, int64_t epoch,
			uint8_t out[32], int64_t *count, struct err *err)
{
	crypto_generichash_state h;
	struct dbq *st, *rk;
	uint8_t b[8], vh[32];
	int rc = SQLITE_DONE;

	*count = 0;
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)RANGE_DOMAIN, sizeof RANGE_DOMAIN - 1);
	be64(b, (uint64_t)from);
	crypto_generichash_update(&h, b, 8);
	be64(b, (uint64_t)to);
	crypto_generichash_update(&h, b, 8);
	if (to <= from)            /* nothing added (most entries): no query */
		goto done;
	if (db_query(s->db, "SELECT seq, " VHASH_COLS " FROM versions WHERE seq > ? AND seq <= ? "
		     "ORDER BY seq", &st, DB_ARGS(DB_INT(from), DB_INT(to)), err) < 0)
		return -1;
	if (db_prepare(s->db, "SELECT before, after FROM version_rekeys WHERE vid = ? AND "
		       "epoch > ? ORDER BY epoch DESC", &rk, err) < 0) {
		db_done(st);
		return -1;
	}
	while (rc == SQLITE_DONE && (rc = dbq_step(st)) == SQLITE_ROW) {
		version_hash_row(st, 1, vh);
		rc = hash_back(rk, st, epoch, vh);
		be64(b, (uint64_t)dbq_int64(st, 0));
		crypto_generichash_update(&h, b, 8);
		crypto_generichash_update(&h, vh, 32);
		++*count;
	}
	db_done(rk);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "versions");
done:
	be64(b, (uint64_t)*count);
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_final(&h, out, 32);
	return 0;
}


/* The versions of the signed entry in ST (columns as store_audit_verify
 * reads them; F its fields, already checked by check_signed): its range
 * holds exactly the versions it added, a save's is its version, and the
 * range digest of any other entry matches. NULL when it holds. */
const char *check_range(struct store *s, struct ranges *r, struct dbq *st,
			       const struct sig_fields *f, struct err *err)
{
	int64_t action = dbq_int64(st, 3), k = f->nver - r->nver, n, held;
	bool save = dbq_type(st, 12) != SQLITE_NULL, first = !r->started;
	bool digest = !save && !sodium_is_zero(f->vhash, 32);
	uint8_t d[32];

	r->started = true;
	if (k < 0 || f->maxseq < r->maxseq)
		return "counts fewer record versions than the entry before it";
	if (k == 0 && f->maxseq != r->maxseq)
		return "counts record versions it did not add";
	/* the first signed entry counts what an older store held */
	if (!first && k > 0 && action != AUDIT_SAVE && action != AUDIT_DELETE &&
	    action != AUDIT_IMPORT)
		return "adds record versions though its action stores none";
	if (!first && save && k != 1)
		return "saved one version but counts another number of record versions";
	if (range_digest(s, r->maxseq, f->maxseq, dbq_int64(st, 16), d, &n, err) < 0)
		return "";
	if (n != k)
		return "counts record versions that were added or deleted outside the app";
	if (save) {
		if (db_int(s->db, "SELECT count(*) FROM versions WHERE seq > ? AND seq <= ? AND "
			   "vid = ?", &held, "versions", DB_ARGS(DB_INT(r->maxseq),
			   DB_INT(f->maxseq), DB_UUID(f->vid)), err) < 0)
			return "";
		if (held != 1 && !first)
			return "saved a version that is not the one it counts";
	} else if (digest) {
		r->bound = true;
		if (sodium_memcmp(d, f->vhash, 32) != 0)
			return "binds record versions that were changed outside the app";
	} else if (r->bound) {
		return "does not bind the record versions it counts";
	}
	r->nver = f->nver;
	r->maxseq = f->maxseq;
	return NULL;
}

