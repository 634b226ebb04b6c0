/* storage/migrate.c: the schema, one step per PRAGMA user_version. A step is
 * never edited once released; a change is a new step. Clear columns are only
 * what sync and loading need (SECURITY.md §2.4); everything else is sealed. */
#include "storage/internal.h"

#include <stdio.h>

#include "core/banned.h"

static const char *const steps[] = {
	/* 1: store identity, users (key slots), record versions. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;"
	"CREATE TABLE users("
	"  uuid BLOB PRIMARY KEY CHECK(length(uuid) = 16),"
	"  label TEXT NOT NULL UNIQUE,"
	"  role INTEGER NOT NULL CHECK(role BETWEEN 1 AND 3),"
	"  alg INTEGER NOT NULL,"          /* 1 = argon2id13 */
	"  opslimit INTEGER NOT NULL,"
	"  memlimit INTEGER NOT NULL,"
	"  salt BLOB NOT NULL,"
	"  nonce BLOB NOT NULL,"
	"  wrapped BLOB,"                  /* NULL = disabled: the slot is gone */
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  last_failed INTEGER NOT NULL DEFAULT 0) STRICT;"
	"CREATE TABLE versions("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"   /* local change number */
	"  uuid BLOB NOT NULL CHECK(length(uuid) = 16),"
	"  kind INTEGER NOT NULL,"
	"  owner BLOB,"                              /* parent uuid: the person of a visit */
	"  lamport INTEGER NOT NULL CHECK(lamport > 0),"
	"  device BLOB NOT NULL CHECK(length(device) = 16),"
	"  prev_lamport INTEGER NOT NULL,"
	"  prev_device BLOB NOT NULL,"
	"  month INTEGER,"                           /* visit month index, NULL otherwise */
	"  deleted INTEGER NOT NULL DEFAULT 0,"
	"  key_epoch INTEGER NOT NULL DEFAULT 1,"
	"  vid BLOB NOT NULL UNIQUE,"                /* the save's idempotency key */
	"  nonce BLOB NOT NULL,"
	"  ct BLOB NOT NULL,"
	"  UNIQUE(uuid, lamport, device)) STRICT;"
	"CREATE INDEX versions_lamport ON versions(lamport);"
	/* heads: the current version of each record, kept in the same transaction. */
	"CREATE TABLE heads("
	"  uuid BLOB PRIMARY KEY,"
	"  kind INTEGER NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  seq INTEGER NOT NULL REFERENCES versions(seq),"
	"  deleted INTEGER NOT NULL) STRICT;"
	"CREATE INDEX heads_kind ON heads(kind, deleted);",

	/* 2: the audit log (SECURITY.md §2.12). */
	"CREATE TABLE audit("
	"  seq INTEGER PRIMARY KEY,"
	"  time INTEGER NOT NULL,"
	"  user BLOB NOT NULL,"
	"  action INTEGER NOT NULL,"
	"  object BLOB NOT NULL,"
	"  detail_ct BLOB NOT NULL,"
	"  prev BLOB NOT NULL,"
	"  h BLOB NOT NULL) STRICT;",

	/* 3: the recovery slot, filled at enrolment (SECURITY.md §2.2). */
	"CREATE TABLE recovery("
	"  id INTEGER PRIMARY KEY CHECK(id = 1),"
	"  district_pk BLOB NOT NULL,"
	"  sealed BLOB NOT NULL) STRICT;",

	/* 4: sync (SECURITY.md §2.10, storage/sync_store.c): enrolled devices
	 * (district side), bundles imported, bundles made, content hashes and
	 * origin of versions made elsewhere, merges recorded by conflict
	 * reviews, audit anchors received. */
	"CREATE TABLE sync_devices("
	"  id BLOB PRIMARY KEY CHECK(length(id) = 16),"
	"  posyandu TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  ed_pk BLOB NOT NULL CHECK(length(ed_pk) = 32),"
	"  x_pk BLOB NOT NULL CHECK(length(x_pk) = 32),"
	"  status INTEGER NOT NULL CHECK(status BETWEEN 1 AND 3),"   /* pending, approved, revoked */
	"  requested_at INTEGER NOT NULL,"
	"  approved_at INTEGER,"
	"  revoked_at INTEGER,"
	"  max_seq INTEGER NOT NULL DEFAULT 0,"
	"  max_lamport INTEGER NOT NULL DEFAULT 0,"
	"  down_ack INTEGER NOT NULL DEFAULT 0,"
	"  request BLOB NOT NULL) STRICT;"
	"CREATE TABLE sync_bundles("
	"  hash BLOB PRIMARY KEY CHECK(length(hash) = 32),"
	"  sender BLOB NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  first_change INTEGER NOT NULL,"
	"  last_change INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  n_new INTEGER NOT NULL,"
	"  n_dup INTEGER NOT NULL,"
	"  rseq INTEGER UNIQUE,"                     /* receipt sequence (district) */
	"  receipt BLOB) STRICT;"
	"CREATE TABLE sync_exports("
	"  hash BLOB PRIMARY KEY CHECK(length(hash) = 32),"
	"  seq INTEGER NOT NULL UNIQUE,"
	"  kind INTEGER NOT NULL,"
	"  recipient BLOB NOT NULL,"
	"  first_change INTEGER NOT NULL,"
	"  last_change INTEGER NOT NULL,"
	"  n_versions INTEGER NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  delivered TEXT,"
	"  receipt BLOB,"
	"  acked_at INTEGER) STRICT;"
	"CREATE TABLE sync_vhash("
	"  uuid BLOB NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  posyandu TEXT NOT NULL,"
	"  PRIMARY KEY(uuid, lamport, device)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX sync_vhash_posyandu ON sync_vhash(posyandu, lamport);"
	"CREATE TABLE sync_merges("
	"  uuid BLOB NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  m_lamport INTEGER NOT NULL,"
	"  m_device BLOB NOT NULL,"
	"  PRIMARY KEY(uuid, lamport, device, m_lamport, m_device)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE sync_anchors("
	"  sender BLOB NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  audit_seq INTEGER NOT NULL,"
	"  head BLOB NOT NULL,"
	"  PRIMARY KEY(sender, seq)) STRICT;",
	/* 5: recovery requests (issue 13.10): a device's pending request secrets,
	 * sealed under the new admin's PIN; the district's retired X25519 keys,
	 * sealed under K_admin, kept for bundles still in transit. */
	"CREATE TABLE recovery_pending("
	"  request_pk BLOB PRIMARY KEY,"
	"  admin TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  opslimit INTEGER NOT NULL,"
	"  memlimit INTEGER NOT NULL,"
	"  salt BLOB NOT NULL,"
	"  nonce BLOB NOT NULL,"
	"  wrapped BLOB NOT NULL) STRICT, WITHOUT ROWID;"
	"CREATE TABLE district_old_keys("
	"  kid BLOB PRIMARY KEY,"
	"  x_pk BLOB NOT NULL,"
	"  nonce BLOB NOT NULL,"
	"  sealed BLOB NOT NULL,"
	"  retired_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;",
	/* 6: quiz keys (issue 13.2): the quiz box key kept before then was never
	 * authenticated, so it goes; the next trainer or admin session derives
	 * it again and an admin session signs it with the device key. Banks
	 * with answer keys in clear are sealed again by the next trainer or
	 * admin session (storage/quiz_store.c), which needs K_quiz. */
	"DELETE FROM meta WHERE key = 'quiz.box_pk';",

	/* 7: integrity a co-user cannot forge (issue 13, SECURITY.md §2.2, §2.12):
	 * user certificates signed by the device key (every generation kept:
	 * old audit entries need them), each user's box key, generation and
	 * sealed audit signing state; audit entries signed by their author's
	 * one-time key, bound to the version they saved and to the number and
	 * highest seq of versions after them. */
	"CREATE TABLE user_certs("
	"  uuid BLOB NOT NULL CHECK(length(uuid) = 16),"
	"  gen INTEGER NOT NULL,"
	"  role INTEGER NOT NULL,"
	"  audit_pk BLOB NOT NULL,"
	"  box_pk BLOB NOT NULL,"
	"  sig BLOB NOT NULL,"
	"  PRIMARY KEY(uuid, gen)) STRICT;"
	"ALTER TABLE users ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN box_pk BLOB;"
	"ALTER TABLE users ADD COLUMN audit_state BLOB;"
	"ALTER TABLE audit ADD COLUMN gen INTEGER;"
	"ALTER TABLE audit ADD COLUMN uidx INTEGER;"
	"ALTER TABLE audit ADD COLUMN next_pk BLOB;"
	"ALTER TABLE audit ADD COLUMN sig BLOB;"
	"ALTER TABLE audit ADD COLUMN vid BLOB;"
	"ALTER TABLE audit ADD COLUMN vhash BLOB;"
	"ALTER TABLE audit ADD COLUMN nver INTEGER;"
	"ALTER TABLE audit ADD COLUMN maxseq INTEGER;"
	"CREATE INDEX audit_user ON audit(user, gen, uidx);",

	/* 8: quiz keys of devices (issue 13.2): the district keeps the quiz box
	 * key each device sent upstream, with the device's signature on it
	 * (verified with sync_devices.ed_pk on import), and hands the keys of
	 * a posyandu's other approved devices down (storage/sync_device.c). */
	"CREATE TABLE sync_quizkeys("
	"  device BLOB PRIMARY KEY CHECK(length(device) = 16),"
	"  box_pk BLOB NOT NULL CHECK(length(box_pk) = 32),"
	"  sig BLOB NOT NULL CHECK(length(sig) = 64),"
	"  updated_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;",
	/* 9: K_data rotation (issue 13.10, SECURITY.md §2.9): the retired data
	 * keys, each sealed under the current one (old audit entries stay
	 * readable and verifiable); the new key sealed to each active user's
	 * certified box key until her next login; each re-encrypted version's
	 * hash before and after (its save's audit entry names the hash before);
	 * and the data-key epoch each audit entry was written under. */
	"CREATE TABLE key_epochs("
	"  epoch INTEGER PRIMARY KEY,"
	"  sealed BLOB NOT NULL) STRICT;"
	"CREATE TABLE key_updates("
	"  user BLOB PRIMARY KEY CHECK(length(user) = 16),"
	"  epoch INTEGER NOT NULL,"
	"  gen INTEGER NOT NULL,"
	"  sealed BLOB NOT NULL,"
	"  sig BLOB NOT NULL) STRICT;"
	"CREATE TABLE version_rekeys("
	"  vid BLOB NOT NULL,"
	"  epoch INTEGER NOT NULL,"
	"  before BLOB NOT NULL,"
	"  after BLOB NOT NULL,"
	"  PRIMARY KEY(vid, epoch)) STRICT, WITHOUT ROWID;"
	"ALTER TABLE audit ADD COLUMN key_epoch INTEGER NOT NULL DEFAULT 1;",
	/* 10: district audit check (issue 13.3): every upstream bundle carries
	 * the device's audit entries since the anchor of its last acknowledged
	 * bundle (sync_exports.audit_seq: the anchor each bundle made here
	 * carried). The district keeps, per device, how far it has verified
	 * the chain (seq, head; v3 once a v3 entry was seen, signed once a
	 * signed one was), the device's user certificates it verified under
	 * the enrolled key, and where each author's one-time key chain is. */
	"ALTER TABLE sync_exports ADD COLUMN audit_seq INTEGER;"
	"CREATE TABLE sync_audit_state("
	"  device BLOB PRIMARY KEY CHECK(length(device) = 16),"
	"  seq INTEGER NOT NULL,"
	"  head BLOB NOT NULL CHECK(length(head) = 32),"
	"  v3 INTEGER NOT NULL,"
	"  signed INTEGER NOT NULL) STRICT;"
	"CREATE TABLE sync_audit_certs("
	"  device BLOB NOT NULL,"
	"  user BLOB NOT NULL,"
	"  gen INTEGER NOT NULL,"
	"  audit_pk BLOB NOT NULL CHECK(length(audit_pk) = 32),"
	"  PRIMARY KEY(device, user, gen)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE sync_audit_signers("
	"  device BLOB NOT NULL,"
	"  user BLOB NOT NULL,"
	"  gen INTEGER NOT NULL,"
	"  uidx INTEGER NOT NULL,"
	"  pk BLOB NOT NULL CHECK(length(pk) = 32),"
	"  PRIMARY KEY(device, user, gen)) STRICT, WITHOUT ROWID;",
	/* 11: device key rotation (issue 13.10): each replaced device signing
	 * key's signature of its successor (storage/devkey.c), which a slot
	 * pinning the old key follows at its next login to pin the new one. */
	"CREATE TABLE device_key_links("
	"  from_pk BLOB PRIMARY KEY CHECK(length(from_pk) = 32),"
	"  to_pk BLOB NOT NULL CHECK(length(to_pk) = 32),"
	"  sig BLOB NOT NULL CHECK(length(sig) = 64),"
	"  at INTEGER NOT NULL) STRICT, WITHOUT ROWID;",
	/* 12: fewer B-trees per imported version (issue 15). The lamport
	 * ceiling of a posyandu comes from sync_devices.max_lamport (kept per
	 * bundle) instead of an index on every content hash; heads, keyed by
	 * uuid, is one B-tree (WITHOUT ROWID) instead of a rowid table and its
	 * primary key index. Every constraint stays: the heads primary key, and
	 * versions' UNIQUE(uuid, lamport, device) and UNIQUE(vid). */
	"DROP INDEX IF EXISTS sync_vhash_posyandu;"
	"CREATE TABLE heads_new("
	"  uuid BLOB PRIMARY KEY,"
	"  kind INTEGER NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  seq INTEGER NOT NULL REFERENCES versions(seq),"
	"  deleted INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
	"INSERT INTO heads_new(uuid, kind, lamport, device, seq, deleted)"
	"  SELECT uuid, kind, lamport, device, seq, deleted FROM heads;"
	"DROP TABLE heads;"
	"ALTER TABLE heads_new RENAME TO heads;"
	"CREATE INDEX heads_kind ON heads(kind, deleted);",
	/* 13: the district report's cache (issue 15, storage/report_cache.h):
	 * per (posyandu code, month, reference day) the report's figures,
	 * sealed under a key derived from K_data, stamped with the change
	 * number they were computed at; per code the last change that may
	 * alter its records, and how far versions were scanned for it; the
	 * (person, visit) links to find one posyandu's visits. Filled by the
	 * report, never by the import; clear: only codes, months, change
	 * numbers and links already clear in versions and sync_vhash. */
	"CREATE TABLE report_cache("
	"  code TEXT NOT NULL,"
	"  month INTEGER NOT NULL,"
	"  ref_day INTEGER NOT NULL,"
	"  stamp INTEGER NOT NULL,"
	"  devices BLOB NOT NULL,"
	"  format INTEGER NOT NULL,"
	"  key_epoch INTEGER NOT NULL,"
	"  nonce BLOB NOT NULL,"
	"  ct BLOB NOT NULL,"
	"  PRIMARY KEY(code, month, ref_day)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE report_changes("
	"  code TEXT PRIMARY KEY,"
	"  seq INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
	"CREATE TABLE report_scan("
	"  id INTEGER PRIMARY KEY CHECK(id = 1),"
	"  seq INTEGER NOT NULL) STRICT;"
	"CREATE TABLE report_owners("
	"  owner BLOB NOT NULL,"
	"  uuid BLOB NOT NULL,"
	"  PRIMARY KEY(owner, uuid)) STRICT, WITHOUT ROWID;",
	/* 14: district officers of the web interface (issue 17,
	 * storage/officer.h): name, role, Argon2id password hash (a
	 * crypto_pwhash_str string), wrong passwords in a row, and a MAC under
	 * a K_admin-derived key; sessions by the hash of their token (the
	 * token is only in the browser), with their officer's name, times and
	 * a MAC. Plain SQL the PostgreSQL translation takes as it is. */
	"CREATE TABLE officers("
	"  name TEXT PRIMARY KEY,"
	"  role INTEGER NOT NULL CHECK(role BETWEEN 1 AND 2),"
	"  pwhash TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  last_failed INTEGER NOT NULL DEFAULT 0,"
	"  mac BLOB NOT NULL) STRICT;"
	"CREATE TABLE officer_sessions("
	"  tok BLOB PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  seen INTEGER NOT NULL,"
	"  mac BLOB NOT NULL) STRICT;"
	"CREATE INDEX officer_sessions_name ON officer_sessions(name);",
	/* 15: what the unlock's checks and the desk's visit list read of a
	 * version, apart from its sealed bytes (issue 15): a version's row
	 * holds its ciphertext, so a scan of the rows reads the whole store;
	 * INDEXED BY versions_cur reads this index alone. Clear columns only. */
	"CREATE INDEX versions_cur ON versions(uuid, lamport, device, deleted, owner, month, seq);",
	/* 16: the posyandu code in the keys of what grows with the records
	 * (issue 16), so that a Citus cluster can distribute them by it:
	 * versions, heads, sync_vhash, sync_merges, report_owners (report_cache
	 * and report_changes have it already). A record's code is the
	 * posyandu of the enrolled device its first version came from ('' on
	 * a posyandu's own store, for quiz banks, which travel between
	 * posyandu, and for records no enrolled device sent); each of its
	 * versions, its head and its merges carry it, and an import that
	 * would give a record a second code is refused (storage/
	 * sync_import.c), as is one that reuses another posyandu's version
	 * id. sync_vhash keeps the sending device's posyandu, as before. On
	 * SQLite versions keep their keys (seq, vid, (uuid, lamport, device)),
	 * stricter than the code's; on PostgreSQL the code joins them
	 * (pg_steps). Clear: only codes, clear already in sync_devices. */
	"ALTER TABLE versions ADD COLUMN posyandu TEXT NOT NULL DEFAULT '';"
	"UPDATE versions SET posyandu = COALESCE((SELECT d.posyandu FROM versions w "
	"  JOIN sync_devices d ON d.id = w.device WHERE w.uuid = versions.uuid "
	"  ORDER BY w.seq LIMIT 1), '') "
	"  WHERE kind != 4 AND EXISTS (SELECT 1 FROM sync_devices);"
	"DROP INDEX IF EXISTS versions_cur;"   /* gone on a store where someone dropped it */
	VERSIONS_CUR_SQL ";"
	"CREATE TABLE heads_v16("
	"  uuid BLOB NOT NULL,"
	"  posyandu TEXT NOT NULL DEFAULT '',"
	"  kind INTEGER NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  seq INTEGER NOT NULL CONSTRAINT heads_seq_fkey REFERENCES versions(seq),"
	"  deleted INTEGER NOT NULL,"
	"  CONSTRAINT heads_pk PRIMARY KEY(uuid, posyandu)) STRICT, WITHOUT ROWID;"
	"INSERT INTO heads_v16(uuid, posyandu, kind, lamport, device, seq, deleted)"
	"  SELECT h.uuid, COALESCE((SELECT v.posyandu FROM versions v WHERE v.seq = h.seq), ''),"
	"  h.kind, h.lamport, h.device, h.seq, h.deleted FROM heads h;"
	"DROP TABLE heads;"
	"ALTER TABLE heads_v16 RENAME TO heads;"
	"CREATE INDEX heads_kind ON heads(kind, deleted);"
	"CREATE TABLE sync_vhash_v16("
	"  uuid BLOB NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  posyandu TEXT NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  CONSTRAINT sync_vhash_pk PRIMARY KEY(uuid, lamport, device, posyandu)) STRICT, WITHOUT ROWID;"
	"INSERT INTO sync_vhash_v16(uuid, lamport, device, posyandu, hash)"
	"  SELECT uuid, lamport, device, posyandu, hash FROM sync_vhash;"
	"DROP TABLE sync_vhash;"
	"ALTER TABLE sync_vhash_v16 RENAME TO sync_vhash;"
	"CREATE TABLE sync_merges_v16("
	"  uuid BLOB NOT NULL,"
	"  lamport INTEGER NOT NULL,"
	"  device BLOB NOT NULL,"
	"  m_lamport INTEGER NOT NULL,"
	"  m_device BLOB NOT NULL,"
	"  posyandu TEXT NOT NULL DEFAULT '',"
	"  CONSTRAINT sync_merges_pk PRIMARY KEY(uuid, lamport, device, m_lamport, m_device, posyandu))"
	"  STRICT, WITHOUT ROWID;"
	"INSERT INTO sync_merges_v16(uuid, lamport, device, m_lamport, m_device, posyandu)"
	"  SELECT m.uuid, m.lamport, m.device, m.m_lamport, m.m_device,"
	"  COALESCE((SELECT h.posyandu FROM heads h WHERE h.uuid = m.uuid LIMIT 1), '')"
	"  FROM sync_merges m;"
	"DROP TABLE sync_merges;"
	"ALTER TABLE sync_merges_v16 RENAME TO sync_merges;"
	"CREATE TABLE report_owners_v16("
	"  owner BLOB NOT NULL,"
	"  uuid BLOB NOT NULL,"
	"  posyandu TEXT NOT NULL DEFAULT '',"
	"  CONSTRAINT report_owners_pk PRIMARY KEY(owner, uuid, posyandu)) STRICT, WITHOUT ROWID;"
	"INSERT INTO report_owners_v16(owner, uuid, posyandu)"
	"  SELECT r.owner, r.uuid, COALESCE((SELECT h.posyandu FROM heads h WHERE h.uuid = r.uuid"
	"  LIMIT 1), '') FROM report_owners r;"
	"DROP TABLE report_owners;"
	"ALTER TABLE report_owners_v16 RENAME TO report_owners;",
};
#define NSTEPS ((int)(sizeof steps / sizeof steps[0]))

/* What a step says on PostgreSQL alone, after the step itself (NULL:
 * nothing). 16: the versions' keys with the posyandu code in each (Citus
 * wants the distribution column in every primary and unique key, and in
 * a foreign key between two distributed tables); SQLite keeps the
 * stricter keys of step 1, which a table there cannot drop. */
static const char *const pg_steps[NSTEPS] = {
	[15] = "ALTER TABLE heads DROP CONSTRAINT heads_seq_fkey;"
	       "ALTER TABLE versions DROP CONSTRAINT versions_pkey;"
	       "ALTER TABLE versions ADD CONSTRAINT versions_pk PRIMARY KEY(seq, posyandu);"
	       "ALTER TABLE versions DROP CONSTRAINT versions_vid_key;"
	       "ALTER TABLE versions ADD CONSTRAINT versions_vid UNIQUE(vid, posyandu);"
	       "ALTER TABLE versions DROP CONSTRAINT versions_uuid_lamport_device_key;"
	       "ALTER TABLE versions ADD CONSTRAINT versions_key "
	       "  UNIQUE(uuid, lamport, device, posyandu);"
	       "ALTER TABLE heads ADD CONSTRAINT heads_seq_fkey FOREIGN KEY(seq, posyandu) "
	       "  REFERENCES versions(seq, posyandu);",
};

int migrate_latest(void)
{
	return NSTEPS;
}

static int user_version(struct db *db, int *v, struct err *err)
{
	struct dbq *st;
	if (db_prepare(db, "PRAGMA user_version", &st, err) < 0)
		return -1;
	*v = dbq_step(st) == SQLITE_ROW ? dbq_int(st, 0) : 0;
	db_done(st);
	return 0;
}

int migrate_run(struct db *db, int upto, struct err *err)
{
	int v;
	char sql[64];

	if (upto <= 0 || upto > NSTEPS)
		upto = NSTEPS;
	if (user_version(db, &v, err) < 0)
		return -1;
	if (v > NSTEPS)
		return err_set(err, ERR_VERSION, NULL,
			       "store schema %d is newer than this program (%d)", v, NSTEPS);
	for (; v < upto; v++) {
		/* Again inside the transaction: another process on the same
		 * PostgreSQL database may have run the step meanwhile. */
		if (db_begin(db, err) < 0)
			return -1;
		if (user_version(db, &v, err) < 0) {
			db_rollback(db);
			return -1;
		}
		if (v >= upto) {
			db_rollback(db);
			break;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if (db_exec(db, steps[v], err) < 0 ||
		    (db_is_pg(db) && pg_steps[v] && db_exec(db, pg_steps[v], err) < 0) ||
		    db_exec(db, sql, err) < 0) {
			db_rollback(db);
			return -1;
		}
		if (db_commit(db, err) < 0)
			return -1;
	}
	return 0;
}
