/* storage/sync_import.c: bundles imported here (SECURITY.md §2.7-2.10):
 * versions made elsewhere are validated, sealed under this store's record
 * key and stored with their content hash, in one transaction per bundle. */
#include "storage/sync_store.h"
#include "storage/sync_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "storage/codec.h"
#include "storage/clock.h"
#include "core/banned.h"

#define VHASH_DOMAIN "posyandu/v1/vhash"
#define LAMPORT_MAX (1ull << 53)
#define LAMPORT_JUMP 1000000ull

static int data_fail(struct err *err, const struct sync_version *v, const char *what,
		     const struct err *inner);

/* ---- bundles imported here ---- */

int sync_bundle_seen(struct store *s, const uint8_t hash[32], bool *found, uint8_t *receipt,
		     size_t *len, struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT receipt FROM sync_bundles WHERE hash = ?", &st, "bundles",
			DB_ARGS(DB_BLOB(hash, 32)), err);

	*found = rc == 1;
	*len = 0;
	if (rc == 1) {
		int n = dbq_bytes(st, 0);
		if (n > 0 && n <= SYNC_RECEIPT_MAX) {
			memcpy(receipt, dbq_blob(st, 0), (size_t)n);
			*len = (size_t)n;
		}
		db_done(st);
	}
	return rc < 0 ? -1 : 0;
}

/* The versions of the open import, sealed, before they get their change
 * numbers (sync_import_order): a table of this connection only. */
#define STAGE_COLS "uuid, kind, owner, lamport, device, prev_lamport, prev_device, month, " \
		   "deleted, key_epoch, vid, nonce, ct, posyandu"

#define STAGE_DEF "ord INTEGER PRIMARY KEY, uuid BLOB NOT NULL, kind INTEGER NOT NULL," \
	"  owner BLOB, lamport INTEGER NOT NULL, device BLOB NOT NULL," \
	"  prev_lamport INTEGER NOT NULL, prev_device BLOB NOT NULL, month INTEGER," \
	"  deleted INTEGER NOT NULL, key_epoch INTEGER NOT NULL, vid BLOB NOT NULL," \
	"  nonce BLOB NOT NULL, ct BLOB NOT NULL, posyandu TEXT NOT NULL"
#define STAGE_INDEXES "CREATE INDEX IF NOT EXISTS import_stage_uuid ON import_stage(uuid);" \
	"CREATE INDEX IF NOT EXISTS import_stage_vid ON import_stage(vid)"

static int stage_make(struct store *s, struct err *err)
{
	if (s->stage_made == db_session(s->db))
		return 0;
	/* made outside any transaction, so that a rollback keeps it; on
	 * PostgreSQL emptied by each COMMIT (in place: no dead rows pile up
	 * in a table autovacuum never visits), on SQLite at each begin */
	if (db_exec(s->db, db_is_pg(s->db)
		    ? "CREATE TEMP TABLE IF NOT EXISTS import_stage(" STAGE_DEF ") ON COMMIT DELETE ROWS;"
		      STAGE_INDEXES
		    : "CREATE TEMP TABLE IF NOT EXISTS import_stage(" STAGE_DEF ");" STAGE_INDEXES, err) < 0)
		return -1;
	s->stage_made = db_session(s->db);
	return 0;
}

int sync_import_begin(struct store *s, const char *posyandu, struct err *err)
{
	if (need_keys(s, err) < 0)
		return -1;
	sync_aimp_free(s);
	s->stage_n = 0;
	s->stage_open = false;
	/* the district's records carry their posyandu's code (storage/
	 * migrate.c step 16); a posyandu's own store gives none */
	snprintf(s->stage_code, sizeof s->stage_code, "%s", posyandu ? posyandu : "");
	if (stage_make(s, err) < 0 || db_begin_keyed(s->db, posyandu, err) < 0)
		return -1;
	if (s->stage_made != db_session(s->db)) {
		/* the connection was made again by that BEGIN (a cut one): the
		 * stage went with the old session */
		db_rollback(s->db);
		if (stage_make(s, err) < 0 || db_begin_keyed(s->db, posyandu, err) < 0)
			return -1;
	}
	/* what an earlier import left (SQLite; PostgreSQL's COMMIT emptied it) */
	if (!db_is_pg(s->db) && db_exec(s->db, "DELETE FROM import_stage", err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	s->stage_open = true;
	return 0;
}

int sync_import_order(struct store *s, struct err *err)
{
	int64_t before;
	struct dbq *st;
	int rc;

	/* the sender's audit check state: its own rows, before the wait */
	if (!s->stage_open)
		return 0;
	if (sync_aimp_flush(s, err) < 0 || db_writer_lock(s->db, err) < 0)
		return -1;
	s->stage_open = false;
	if (!s->stage_n)
		return 0;
	/* Under the writers' lock no other transaction adds versions, so
	 * those past BEFORE are this import's, numbered in staging order. */
	if (db_int(s->db, "SELECT COALESCE(MAX(seq), 0) FROM versions", &before, "versions",
		   DB_NOARGS, err) < 0 ||
	    db_run(s->db, "INSERT INTO versions(" STAGE_COLS ") SELECT " STAGE_COLS
		   " FROM import_stage ORDER BY ord", "insert version", DB_NOARGS, err) < 0)
		return -1;
	/* An edit never changes a record's kind nor its posyandu, and a
	 * version id is never another's: checked when staged, and here again
	 * against what an import for another posyandu may have stored since
	 * (on PostgreSQL the keys hold the code, so only this says it). */
	rc = db_row(s->db, "SELECT v.uuid, CASE WHEN h.kind != v.kind THEN 1 ELSE 0 END "
		    "FROM versions v "
		    "JOIN heads h ON h.uuid = v.uuid WHERE v.seq > ?1 AND "
		    "(h.kind != v.kind OR h.posyandu != v.posyandu) "
		    "UNION ALL SELECT v.uuid, 2 FROM versions v JOIN versions w ON w.vid = v.vid "
		    "WHERE v.seq > ?1 AND w.seq != v.seq LIMIT 1", &st, "head",
		    DB_ARGS(DB_INT(before)), err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		struct sync_version v = { 0 };
		int64_t why = dbq_int64(st, 1);
		db_col16(st, 0, v.uuid);
		db_done(st);
		return data_fail(err, &v, why == 1 ? "the record changes kind"
				 : why == 2 ? "its version id is used by another version"
				 : "the record belongs to another posyandu", NULL);
	}
	/* The current version is the highest (lamport, device), as record.c
	 * keeps it: one row per record from this import, the highest. */
	return db_run(s->db, "INSERT INTO heads(uuid, posyandu, kind, lamport, device, seq, deleted) "
		      "SELECT v.uuid, v.posyandu, v.kind, v.lamport, v.device, v.seq, v.deleted "
		      "FROM versions v "
		      "WHERE v.seq > ?1 AND NOT EXISTS (SELECT 1 FROM versions w WHERE w.seq > ?1 "
		      " AND w.uuid = v.uuid AND (w.lamport > v.lamport OR "
		      " (w.lamport = v.lamport AND w.device > v.device))) " HEADS_KEEP_HIGHEST,
		      "update head", DB_ARGS(DB_INT(before)), err);
}

void sync_import_abort(struct store *s)
{
	sync_aimp_free(s);
	s->stage_open = false;
	db_rollback(s->db);
}

int sync_import_ceiling(struct store *s, const char *posyandu, uint64_t *ceiling, struct err *err)
{
	int64_t max;

	if (db_int(s->db, posyandu
		   /* every version of a device's bundle is the device's, of its
		    * posyandu, and the bundle's highest stamp is kept per device */
		   ? "SELECT COALESCE(MAX(max_lamport), 0) FROM sync_devices WHERE posyandu = ?"
		   : "SELECT COALESCE(MAX(lamport), 0) FROM versions", &max, "lamport ceiling",
		   DB_ARGS(DB_TEXT(posyandu)), err) < 0)
		return -1;
	*ceiling = (uint64_t)max + LAMPORT_JUMP;
	if (*ceiling > LAMPORT_MAX)
		*ceiling = LAMPORT_MAX;
	return 0;
}

/* The content hash: every travelling field of the version and its payload. */
static void content_hash(const struct sync_version *v, const char *payload, size_t len,
			 uint8_t out[32])
{
	crypto_generichash_state st;
	uint8_t b[8];

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)VHASH_DOMAIN, sizeof VHASH_DOMAIN - 1);
	crypto_generichash_update(&st, v->uuid, 16);
	b[0] = (uint8_t)v->kind;
	crypto_generichash_update(&st, b, 1);
	crypto_generichash_update(&st, v->owner, 16);
	be(b, v->lamport, 8);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, v->device, 16);
	be(b, v->parent.lamport, 8);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, v->parent.device, 16);
	be(b, (uint32_t)v->month, 4);
	crypto_generichash_update(&st, b, 4);
	b[0] = (uint8_t)v->deleted;
	crypto_generichash_update(&st, b, 1);
	crypto_generichash_update(&st, v->vid, 16);
	be(b, v->n_merges, 4);
	crypto_generichash_update(&st, b, 4);
	for (size_t i = 0; i < v->n_merges; i++) {
		be(b, v->merges[i].lamport, 8);
		crypto_generichash_update(&st, b, 8);
		crypto_generichash_update(&st, v->merges[i].device, 16);
	}
	be(b, len, 8);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, (const uint8_t *)payload, len);
	crypto_generichash_final(&st, out, 32);
}

static int data_fail(struct err *err, const struct sync_version *v, const char *what,
		     const struct err *inner)
{
	char u[UUID_STRLEN];
	uuid_format(v->uuid, u);
	if (inner && inner->field)
		return err_set(err, ERR_FORMAT, "bundle-data", "record %s, field %s: %s", u,
			       inner->field, inner->detail);
	return err_set(err, ERR_FORMAT, "bundle-data", "record %s: %s", u, what);
}

/* Every rule of the desk applies to a version that arrives in a bundle. */
static int validate(const struct sync_version *v, const char *payload, size_t len,
		    struct err *err)
{
	struct err e = { 0 };
	uint8_t author[16];
	int64_t t;

	if (v->kind < REC_PERSON || v->kind > REC_TRAINING)
		return data_fail(err, v, "unknown kind of record", NULL);
	if (uuid_is_zero(v->uuid) || uuid_is_zero(v->device) || uuid_is_zero(v->vid))
		return data_fail(err, v, "a zero uuid, device or version id", NULL);
	if (v->lamport < 1 || v->lamport > LAMPORT_MAX || v->parent.lamport >= v->lamport)
		return data_fail(err, v, "its Lamport stamp is out of range", NULL);
	if ((v->parent.lamport == 0) != uuid_is_zero(v->parent.device))
		return data_fail(err, v, "its parent version is half given", NULL);
	if (v->month < -1)
		return data_fail(err, v, "bad month", NULL);
	if (v->deleted) {
		if (codec_meta_decode(payload, len, author, &t, &e) < 0)
			return data_fail(err, v, "bad tombstone", &e);
		return 0;
	}
	if (v->kind == REC_PERSON) {
		struct person p;
		int rc = codec_person_decode(payload, len, &p, author, &t, &e);
		if (!rc && p.sex != 'L' && p.sex != 'P')
			rc = err_set(&e, ERR_FORMAT, "sex", "not L or P");
		if (!rc)
			rc = valid_name(p.name, "name", &e);
		if (!rc && p.mother_name[0])
			rc = valid_name(p.mother_name, "mother_name", &e);
		if (!rc && p.father_name[0])
			rc = valid_name(p.father_name, "father_name", &e);
		if (!rc && p.nik[0])
			rc = valid_nik(p.nik, p.sex, p.dob, &e);
		if (!rc && memcmp(v->owner, p.mother, 16) != 0)
			rc = err_set(&e, ERR_FORMAT, "mother", "the clear owner is not the mother");
		if (!rc && v->month != -1)
			rc = err_set(&e, ERR_FORMAT, "month", "a person has no month");
		sodium_memzero(&p, sizeof p);
		return rc ? data_fail(err, v, "", &e) : 0;
	}
	if (v->kind == REC_VISIT) {
		struct visit vi;
		int rc = codec_visit_decode(payload, len, &vi, author, &t, &e);
		if (!rc && vi.date == DATE_NONE)
			rc = err_set(&e, ERR_REQUIRED, "date", "a visit has a date");
		if (!rc && uuid_is_zero(vi.person))
			rc = err_set(&e, ERR_REQUIRED, "person", "a visit belongs to a person");
		if (!rc && memcmp(v->owner, vi.person, 16) != 0)
			rc = err_set(&e, ERR_FORMAT, "person", "the clear owner is not the person");
		if (!rc && v->month != date_month_index(vi.date))
			rc = err_set(&e, ERR_FORMAT, "month", "the clear month is not the visit's");
		sodium_memzero(&vi, sizeof vi);
		return rc ? data_fail(err, v, "", &e) : 0;
	}
	/* Sessions, quiz banks and attempts, trainings: their modules own the
	 * fields; here the payload must at least be a record payload. */
	if (codec_meta_decode(payload, len, author, &t, &e) < 0)
		return data_fail(err, v, "", &e);
	return 0;
}

/* Seal V under this store's record key and stage it (sync_import_order
 * stores it). */
static int seal_stage(struct store *s, const struct sync_version *v, const char *code,
		      const char *payload, size_t len, struct err *err)
{
	struct rec_meta m = { 0 };

	memcpy(m.uuid, v->uuid, 16);
	m.kind = v->kind;
	memcpy(m.owner, v->owner, 16);
	m.lamport = v->lamport;
	memcpy(m.device, v->device, 16);
	m.prev_lamport = v->parent.lamport;
	memcpy(m.prev_device, v->parent.device, 16);
	m.month = v->month;
	m.deleted = v->deleted;
	m.key_epoch = 1;
	memcpy(m.vid, v->vid, 16);
	if (record_stage(s, &m, code, payload, len, s->stage_n + 1, err) < 0)
		return -1;
	s->stage_n++;
	return 0;
}

/* The content hash of the stored version (uuid, lamport, device): from
 * sync_vhash, or computed from the row (a version made here). *FOUND false
 * when no such version exists. */
static int stored_hash(struct store *s, const struct sync_version *key, uint8_t out[32],
		       bool *found, struct err *err)
{
	struct dbq *st;
	int rc;

	*found = false;
	rc = db_row(s->db, "SELECT hash FROM sync_vhash WHERE uuid = ? AND lamport = ? AND device = ?",
		    &st, "content hash", DB_ARGS(DB_UUID(key->uuid), DB_INT(key->lamport),
						 DB_UUID(key->device)), err);
	if (rc == 1) {
		if (dbq_bytes(st, 0) == 32) {
			memcpy(out, dbq_blob(st, 0), 32);
			*found = true;
		}
		db_done(st);
	}
	if (rc < 0 || *found)
		return rc < 0 ? -1 : 0;

	rc = db_row(s->db, "SELECT " VCOLS " FROM versions v WHERE uuid = ? AND lamport = ? "
		    "AND device = ?", &st, "version", DB_ARGS(DB_UUID(key->uuid), DB_INT(key->lamport),
							     DB_UUID(key->device)), err);
	if (rc == 1) {
		struct sync_version v;
		size_t len;
		char *plain = sync_row_open(s, st, &v, &len, err);
		db_done(st);
		if (!plain || sync_load_merges(s, &v, err) < 0) {
			codec_free(plain);
			return -1;
		}
		content_hash(&v, plain, len, out);
		codec_free(plain);
		*found = true;
	}
	return rc < 0 ? -1 : 0;
}

int sync_import_version(struct store *s, const struct sync_version *v, const char *payload,
			size_t len, const char *posyandu, bool *is_new, struct err *err)
{
	uint8_t h[32], old[32];
	/* quiz banks travel between posyandu: they belong to none */
	const char *code = v->kind == REC_QUIZ_BANK ? "" : s->stage_code;
	struct dbq *st;
	int64_t n;
	bool found;
	int rc;

	*is_new = false;
	if (need_keys(s, err) < 0 || validate(v, payload, len, err) < 0)
		return -1;
	content_hash(v, payload, len, h);

	/* (uuid, lamport, device) and vid are unique. A version of this
	 * sender is stored only by an import of its posyandu, whose lock this
	 * import holds (issue 16): what is read here stays true to the end.
	 * sync_vhash holds this import's versions already. */
	if (stored_hash(s, v, old, &found, err) < 0)
		return -1;
	if (found) {
		if (sodium_memcmp(old, h, 32) != 0)
			return data_fail(err, v, "same version key, different content", NULL);
		return 0;          /* a duplicate */
	}
	/* An edit never changes a record's kind, nor its posyandu: a record
	 * stays with the posyandu whose device sent it first (again at
	 * sync_import_order). A duplicate, above, adds nothing: one sent
	 * again is counted as before, whoever sends it. */
	rc = db_row(s->db, "SELECT sum(CASE WHEN kind != ?2 THEN 1 ELSE 0 END), "
		    "sum(CASE WHEN posyandu != ?3 THEN 1 ELSE 0 END) FROM (SELECT kind, "
		    "posyandu FROM heads WHERE uuid = ?1 UNION ALL SELECT kind, posyandu "
		    "FROM import_stage WHERE uuid = ?1) k", &st, "head",
		    DB_ARGS(DB_UUID(v->uuid), DB_INT(v->kind), DB_TEXT(code)), err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		int64_t kinds = dbq_int64(st, 0), codes = dbq_int64(st, 1);
		db_done(st);
		if (kinds)
			return data_fail(err, v, "the record changes kind", NULL);
		if (codes)
			return data_fail(err, v, "the record belongs to another posyandu", NULL);
	}

	if (db_int(s->db, "SELECT (SELECT count(*) FROM versions WHERE vid = ?1) + "
		   "(SELECT count(*) FROM import_stage WHERE vid = ?1)", &n, "version id",
		   DB_ARGS(DB_UUID(v->vid)), err) < 0)
		return -1;
	if (n)
		return data_fail(err, v, "its version id is used by another version", NULL);
	if (seal_stage(s, v, code, payload, len, err) < 0)
		return -1;
	*is_new = true;
	if (db_run(s->db, "INSERT INTO sync_vhash(uuid, lamport, device, hash, posyandu) "
		   "VALUES(?,?,?,?,?)", "content hash",
		   DB_ARGS(DB_UUID(v->uuid), DB_INT(v->lamport), DB_UUID(v->device),
			   DB_BLOB(h, 32), DB_TEXT(posyandu)), err) < 0)
		return -1;
	for (size_t i = 0; i < v->n_merges; i++)
		if (sync_merge_add(s, v->uuid, v->lamport, v->device, code, &v->merges[i], err) < 0)
			return -1;
	return 0;
}

int sync_import_anchor(struct store *s, const uint8_t sender[16], uint64_t bundle_seq,
		       uint64_t audit_seq, const uint8_t head[32], struct err *err)
{
	int64_t before;

	/* The device's audit chain only grows (issue 13.1): an earlier bundle
	 * that anchored a longer chain means entries were cut or the store put
	 * back from a copy on the device. */
	if (db_int(s->db, "SELECT COALESCE(max(audit_seq), 0) FROM sync_anchors "
		   "WHERE sender = ? AND seq < ?", &before, "anchor",
		   DB_ARGS(DB_UUID(sender), DB_INT(bundle_seq)), err) < 0)
		return -1;
	if ((uint64_t)before > audit_seq)
		return err_set(err, ERR_CRYPTO, "bundle-anchor",
			       "the device's audit log has %llu entries, an earlier bundle had %lld",
			       (unsigned long long)audit_seq, (long long)before);
	return db_run(s->db, "INSERT INTO sync_anchors(sender, seq, audit_seq, head) "
		      "VALUES(?,?,?,?) ON CONFLICT(sender, seq) DO UPDATE SET "
		      "audit_seq = excluded.audit_seq, head = excluded.head", "anchor",
		      DB_ARGS(DB_UUID(sender), DB_INT(bundle_seq), DB_INT(audit_seq),
			      DB_BLOB(head, 32)), err);
}

int sync_import_finish(struct store *s, const struct sync_bundle_row *b, struct err *err)
{
	char detail[96];
	int rc;

	if (sync_import_order(s, err) < 0 || sync_aimp_flush(s, err) < 0) {
		sync_import_abort(s);
		return -1;
	}
	rc = db_run(s->db, "INSERT INTO sync_bundles(hash, sender, seq, kind, first_change, "
		    "last_change, received_at, n_new, n_dup, rseq, receipt) "
		    "VALUES(?,?,?,?,?,?,?,?,?,?,?)", "record bundle",
		    DB_ARGS(DB_BLOB(b->hash, 32), DB_UUID(b->sender), DB_INT(b->seq), DB_INT(b->kind),
			    DB_INT(b->first_change), DB_INT(b->last_change), DB_INT(clock_now()),
			    DB_INT(b->n_new), DB_INT(b->n_dup),
			    b->receipt_seq ? DB_INT(b->receipt_seq) : DB_NULL,
			    b->receipt_seq ? DB_BLOB(b->receipt, b->receipt_len) : DB_NULL), err);
	if (rc == 0)
		rc = db_run(s->db, "UPDATE sync_devices SET max_seq = max(max_seq, ?2), "
			    "max_lamport = max(max_lamport, ?3), down_ack = max(down_ack, ?4) "
			    "WHERE id = ?1", "device counters",
			    DB_ARGS(DB_UUID(b->sender), DB_INT(b->seq), DB_INT(b->max_lamport),
				    DB_INT(b->down_ack)), err);
	snprintf(detail, sizeof detail, "bundle #%llu imported: %u new, %u duplicate versions",
		 (unsigned long long)b->seq, b->n_new, b->n_dup);
	/* the entry counts and binds the versions this bundle added */
	if (rc < 0 || audit_append_n(s, AUDIT_IMPORT, b->sender, detail, b->n_new, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return db_commit(s->db, err);
}
