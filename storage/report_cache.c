/* storage/report_cache.c: the district report's cache (report_cache.h).
 *
 * Why a change table and not a hook in the import: the import appends
 * versions and moves heads; everything the report needs to know follows
 * from the versions appended since it last looked (versions.seq only grows:
 * AUTOINCREMENT). For each new version the codes it may change are:
 *   - a person: the codes of the devices of every version of that person
 *     (its current version was made by one of them before and after);
 *   - a visit: the same for every person any version of that visit names
 *     as its owner (the visit counts with its person, whichever it was).
 * A record moving from one code to another therefore dirties both, a late
 * visit of an old month dirties its person's code for every month (a month
 * reads every earlier month: N/T, 2T, IDL, ASI), a deletion dirties its
 * codes, and a version that does not become current (a lost conflict)
 * dirties them needlessly but harmlessly. Which devices make up a code is
 * checked apart (rcache_key.devices): enrolling a device moves records of
 * that device from "" to its code.
 *
 * What is clear here: posyandu codes, month indexes, change numbers and the
 * (person, visit) links, each already clear in sync_devices, sync_vhash and
 * versions (SECURITY.md, the district's section). The figures are sealed. */
#include "storage/report_cache.h"

#include <stdlib.h>
#include <string.h>

#include "storage/arena.h"
#include "storage/codec.h"
#include "storage/internal.h"
#include "core/banned.h"

#define RC_DOMAIN "posyandu/v1/report-cache"
#define AD_LEN (sizeof RC_DOMAIN - 1 + RCACHE_CODE_MAX + 4 + 4 + 8 + 32 + 4 + 4)
#define NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

/* ---- scanning the new versions ---- */

/* Codes each version in (?1, ?2] may change, folded into report_changes. */
static const char sql_changes[] =
	"INSERT INTO report_changes(code, seq) "
	"SELECT code, max(seq) FROM ("
	" SELECT COALESCE(d.posyandu, '') AS code, v.seq AS seq"
	"  FROM versions v JOIN versions x ON x.uuid = v.uuid"
	"  LEFT JOIN sync_devices d ON d.id = x.device"
	"  WHERE v.seq > ?1 AND v.seq <= ?2 AND v.kind = ?3"
	" UNION ALL"
	" SELECT COALESCE(d.posyandu, ''), v.seq"
	"  FROM versions v JOIN versions o ON o.uuid = v.uuid"
	"  JOIN versions x ON x.uuid = o.owner"
	"  LEFT JOIN sync_devices d ON d.id = x.device"
	"  WHERE v.seq > ?1 AND v.seq <= ?2 AND v.kind = ?4"
	") AS changed WHERE true GROUP BY code "
	"ON CONFLICT(code) DO UPDATE SET seq = max(report_changes.seq, excluded.seq)";

static const char sql_owners[] =
	"INSERT OR IGNORE INTO report_owners(owner, uuid, posyandu) "
	"SELECT owner, uuid, posyandu FROM versions "
	"WHERE seq > ?1 AND seq <= ?2 AND kind = ?3 AND owner IS NOT NULL";

static int scan_range(struct store *s, int64_t from, int64_t to, struct err *err)
{
	if (from == 0) {
		/* Nothing was tracked before (a new table, or a reset): no
		 * result kept can be trusted, and every code is computed anew. */
		if (db_run(s->db, "DELETE FROM report_cache", "report cache", DB_NOARGS, err) < 0 ||
		    db_run(s->db, "DELETE FROM report_changes", "report cache", DB_NOARGS, err) < 0 ||
		    db_run(s->db, "DELETE FROM report_owners", "report cache", DB_NOARGS, err) < 0)
			return -1;
	} else if (db_run(s->db, sql_changes, "report changes",
			  DB_ARGS(DB_INT(from), DB_INT(to), DB_INT(REC_PERSON), DB_INT(REC_VISIT)),
			  err) < 0) {
		return -1;
	}
	if (db_run(s->db, sql_owners, "report owners",
		   DB_ARGS(DB_INT(from), DB_INT(to), DB_INT(REC_VISIT)), err) < 0)
		return -1;
	return db_run(s->db, "INSERT INTO report_scan(id, seq) VALUES(1, ?1) "
		      "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq", "report scan",
		      DB_ARGS(DB_INT(to)), err);
}

/* The newest version and how far the scan went. */
static int scan_state(struct store *s, int64_t *last, int64_t *scanned, struct err *err)
{
	if (db_int(s->db, "SELECT COALESCE(max(seq), 0) FROM versions", last, "report scan",
		   DB_NOARGS, err) < 0)
		return -1;
	return db_int(s->db, "SELECT COALESCE((SELECT seq FROM report_scan WHERE id = 1), 0)",
		      scanned, "report scan", DB_NOARGS, err);
}

int rcache_scan(struct store *s, struct err *err)
{
	int64_t last, scanned;

	if (scan_state(s, &last, &scanned, err) < 0)
		return -1;
	if (last == scanned)
		return 0;                  /* the usual case: no write at all */
	if (db_read_only(s->db) != STORE_RW)
		return err_set(err, ERR_DENIED, "readonly", "report cache: read-only store");
	if (db_begin(s->db, err) < 0)
		return -1;
	/* again under the write lock: another report may have scanned */
	if (scan_state(s, &last, &scanned, err) < 0)
		goto fail;
	if (last != scanned && scan_range(s, last < scanned ? 0 : scanned, last, err) < 0)
		goto fail;
	return db_commit(s->db, err);
fail:
	db_rollback(s->db);
	return -1;
}

/* ---- reading ---- */

int rcache_read_begin(struct store *s, uint64_t *scanned, bool *current, struct err *err)
{
	int64_t last, v;

	/* the first read fixes the snapshot: the stamp and the data agree
	 * (PostgreSQL's default, READ COMMITTED, would let an import by
	 * another server process in between) */
	if (need_keys(s, err) < 0 ||
	    db_exec(s->db, db_is_pg(s->db) ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN",
		    err) < 0)
		return -1;
	if (scan_state(s, &last, &v, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	*scanned = (uint64_t)v;
	*current = last == v;
	return 0;
}

void rcache_read_end(struct store *s)
{
	db_rollback(s->db);                /* nothing was written: ending is enough */
}

/* ---- sealing ---- */

static void be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void make_ad(uint8_t ad[AD_LEN], const struct rcache_key *k, uint64_t stamp,
		    uint32_t epoch)
{
	uint8_t *p = ad;
	memcpy(p, RC_DOMAIN, sizeof RC_DOMAIN - 1);
	p += sizeof RC_DOMAIN - 1;
	memset(p, 0, RCACHE_CODE_MAX);
	memcpy(p, k->code, strnlen(k->code, RCACHE_CODE_MAX - 1));
	p += RCACHE_CODE_MAX;
	be(p, (uint32_t)k->month, 4);
	be(p + 4, (uint32_t)k->ref_day, 4);
	be(p + 8, stamp, 8);
	memcpy(p + 16, k->devices, 32);
	be(p + 48, k->format, 4);
	be(p + 52, epoch, 4);
}

/* The cache key: its own, from the record key, so that it seals nothing
 * else and nothing else opens with it. The caller wipes KEY. */
static void cache_key(const struct store *s, uint8_t key[32])
{
	crypto_generichash(key, 32, (const uint8_t *)RC_DOMAIN, sizeof RC_DOMAIN - 1,
			   s->keys->rec, KEY_LEN);
}

int rcache_get(struct store *s, const struct rcache_key *k, void *body, size_t len,
	       struct err *err)
{
	struct dbq *st;
	uint8_t ad[AD_LEN], key[32];
	uint64_t stamp;
	int rc, ok;

	rc = db_row(s->db, "SELECT stamp, devices, format, key_epoch, nonce, ct FROM report_cache "
		    "WHERE code = ?1 AND month = ?2 AND ref_day = ?3 "
		    "AND stamp >= COALESCE((SELECT seq FROM report_changes WHERE code = ?1), 0)",
		    &st, "report cache", DB_ARGS(DB_TEXT(k->code), DB_INT(k->month),
						 DB_INT(k->ref_day)), err);
	if (rc <= 0)
		return rc;
	stamp = (uint64_t)dbq_int64(st, 0);
	ok = dbq_bytes(st, 1) == 32 &&
	     memcmp(dbq_blob(st, 1), k->devices, 32) == 0 &&
	     (uint32_t)dbq_int64(st, 2) == k->format &&
	     (uint32_t)dbq_int64(st, 3) == s->keys->epoch &&
	     dbq_bytes(st, 4) == NPUB &&
	     (size_t)dbq_bytes(st, 5) == len + ABYTES;
	if (ok) {
		make_ad(ad, k, stamp, s->keys->epoch);
		cache_key(s, key);
		ok = crypto_aead_xchacha20poly1305_ietf_decrypt(
			     body, NULL, NULL, dbq_blob(st, 5), len + ABYTES, ad,
			     sizeof ad, dbq_blob(st, 4), key) == 0;
		sodium_memzero(key, sizeof key);
	}
	db_done(st);
	return ok;
}

int rcache_put(struct store *s, const struct rcache_key *k, const void *const *body, size_t n,
	       size_t len, uint64_t stamp, struct err *err)
{
	uint8_t ad[AD_LEN], key[32], nonce[NPUB], *ct;
	int rc = -1;

	if (need_keys(s, err) < 0)
		return -1;
	if (!(ct = malloc(len + ABYTES)))
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	if (db_begin(s->db, err) < 0)
		goto out;
	/* results sealed under a retired data key go (issue 13.10) */
	if (db_run(s->db, "DELETE FROM report_cache WHERE key_epoch != ?1", "report cache",
		   DB_ARGS(DB_INT(s->keys->epoch)), err) < 0)
		goto fail;
	cache_key(s, key);
	for (size_t i = 0; i < n; i++) {
		make_ad(ad, &k[i], stamp, s->keys->epoch);
		randombytes_buf(nonce, sizeof nonce);
		crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, body[i], len, ad, sizeof ad,
							   NULL, nonce, key);
		if (db_run(s->db, "INSERT INTO report_cache(code, month, ref_day, stamp, devices, "
			   "format, key_epoch, nonce, ct) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
			   "ON CONFLICT(code, month, ref_day) DO UPDATE SET stamp = excluded.stamp, "
			   "devices = excluded.devices, format = excluded.format, "
			   "key_epoch = excluded.key_epoch, nonce = excluded.nonce, ct = excluded.ct "
			   "WHERE excluded.stamp >= report_cache.stamp", "report cache",
			   DB_ARGS(DB_TEXT(k[i].code), DB_INT(k[i].month), DB_INT(k[i].ref_day),
				   DB_INT(stamp), DB_BLOB(k[i].devices, 32), DB_INT(k[i].format),
				   DB_INT(s->keys->epoch), DB_BLOB(nonce, sizeof nonce),
				   DB_BLOB(ct, len + ABYTES)), err) < 0) {
			sodium_memzero(key, sizeof key);
			goto fail;
		}
	}
	sodium_memzero(key, sizeof key);
	rc = db_commit(s->db, err);
	goto out;
fail:
	db_rollback(s->db);
out:
	free(ct);
	return rc;
}

/* ---- one code's records ---- */

struct collect {
	size_t item_size, cap, count;
	char *items;
};

static int collect_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		       struct err *err)
{
	struct collect *c = ctx;
	uint8_t author[16];
	int64_t t;
	char *item;

	if (c->count == c->cap &&
	    arena_grow((void **)&c->items, &c->cap, c->cap ? c->cap * 2 : 256, c->item_size) < 0)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	item = c->items + c->count * c->item_size;
	if (codec_decode(m->kind, false, json, len, item, author, &t, err) < 0)
		return -1;
	memcpy(item, m->uuid, UUID_LEN);   /* records start with their uuid (record.c) */
	c->count++;
	return 0;
}

int rcache_load_code(struct store *s, const char *code, struct person **people, size_t *np,
		     struct visit **visits, size_t *nv, struct err *err)
{
	struct collect p = { sizeof **people, 0, 0, NULL }, v = { sizeof **visits, 0, 0, NULL };

	*people = NULL;
	*visits = NULL;
	*np = *nv = 0;
	/* the heads of the code's people: a scan of the person heads, no index
	 * needed (a few per cent of the rows), decrypting only the code's */
	if (record_each_row(s, "SELECT " VCOLS ", h.uuid, h.lamport, h.device FROM heads h "
			    "JOIN versions v ON v.seq = h.seq WHERE h.kind = ?1 AND h.deleted = 0 "
			    "AND COALESCE((SELECT d.posyandu FROM sync_devices d "
			    "WHERE d.id = h.device), '') = ?2 ORDER BY v.seq",
			    DB_ARGS(DB_INT(REC_PERSON), DB_TEXT(code)), REC_PERSON, collect_one, &p,
			    "report people", err) < 0)
		goto fail;
	/* their visits, through report_owners; the current version must still
	 * name this person (an older one may have named another). CROSS JOIN
	 * keeps that order: left to itself SQLite walks every visit head. */
	for (size_t i = 0; i < p.count; i++) {
		const struct person *x = (const struct person *)(p.items + i * p.item_size);
		if (record_each_row(s, "SELECT " VCOLS ", h.uuid, h.lamport, h.device "
				    "FROM report_owners r CROSS JOIN heads h ON h.uuid = r.uuid "
				    "CROSS JOIN versions v ON v.seq = h.seq WHERE r.owner = ?1 "
				    "AND h.kind = ?2 AND h.deleted = 0 AND v.owner = ?1",
				    DB_ARGS(DB_UUID(x->uuid), DB_INT(REC_VISIT)), REC_VISIT,
				    collect_one, &v, "report visits", err) < 0)
			goto fail;
	}
	*people = (struct person *)p.items;
	*np = p.count;
	*visits = (struct visit *)v.items;
	*nv = v.count;
	return 0;
fail:
	arena_free(p.items);
	arena_free(v.items);
	return -1;
}
