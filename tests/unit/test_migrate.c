/* tests/unit/test_migrate.c: storage/migrate.c on real database files.
 *
 * The schema has one step per PRAGMA user_version. Upgrading from any older
 * version must keep the rows that version could hold and end with the same
 * schema as a fresh store; a file from a newer program is refused. Each
 * migration step needs one row of `seeds` below (rows that are valid from
 * that step on): a new step without a seed fails test_seeds_cover_every_step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/audit.h"
#include "storage/internal.h"
#include "tests/helpers/testutil.h"

struct seed {
	int step;                 /* rows valid from this schema version on */
	const char *insert;
	const char *check;        /* one row, one column: 1 when the rows are intact */
};

#define U16(b) "x'" b b b b b b b b b b b b b b b b "'"      /* 16 bytes of 0xbb... */

static const struct seed seeds[] = {
	{ 1,
	  "INSERT INTO meta(key, value) VALUES('store_id', " U16("01") ");"
	  "INSERT INTO users(uuid, label, role, alg, opslimit, memlimit, salt, nonce, wrapped,"
	  "  failed, last_failed) VALUES(" U16("11") ", 'seed kader', 1, 1, 2, 8192,"
	  "  zeroblob(16), zeroblob(24), " U16("aa") ", 2, 1700000000);"
	  "INSERT INTO users(uuid, label, role, alg, opslimit, memlimit, salt, nonce, wrapped)"
	  "  VALUES(" U16("12") ", 'seed gone', 3, 1, 2, 8192, zeroblob(16), zeroblob(24), NULL);"
	  "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, prev_device,"
	  "  month, deleted, key_epoch, vid, nonce, ct) VALUES(" U16("21") ", 2, " U16("22") ", 7,"
	  "  " U16("31") ", 6, " U16("31") ", 24290, 0, 1, " U16("41") ", zeroblob(24), x'deadbeef');"
	  "INSERT INTO heads(uuid, kind, lamport, device, seq, deleted)"
	  "  VALUES(" U16("21") ", 2, 7, " U16("31") ", last_insert_rowid(), 0);",
	  "SELECT (SELECT count(*) FROM meta WHERE key = 'store_id' AND value = " U16("01") ")"
	  " + (SELECT count(*) FROM users WHERE uuid = " U16("11") " AND label = 'seed kader'"
	  "    AND role = 1 AND failed = 2 AND last_failed = 1700000000 AND wrapped = " U16("aa") ")"
	  " + (SELECT count(*) FROM users WHERE label = 'seed gone' AND wrapped IS NULL)"
	  " + (SELECT count(*) FROM versions WHERE uuid = " U16("21") " AND kind = 2 AND"
	  "    owner = " U16("22") " AND lamport = 7 AND month = 24290 AND vid = " U16("41")
	  "    AND ct = x'deadbeef')"
	  " + (SELECT count(*) FROM heads h JOIN versions v ON v.seq = h.seq"
	  "    WHERE h.uuid = " U16("21") " AND h.lamport = 7) = 5" },
	{ 2,
	  "INSERT INTO audit(seq, time, user, action, object, detail_ct, prev, h)"
	  "  VALUES(1, 1700000000, " U16("11") ", 4, " U16("21") ", x'c0ffee', zeroblob(32),"
	  "  zeroblob(32));",
	  "SELECT count(*) = 1 FROM audit WHERE seq = 1 AND time = 1700000000 AND action = 4"
	  "  AND object = " U16("21") " AND detail_ct = x'c0ffee'" },
	{ 3,
	  "INSERT INTO recovery(id, district_pk, sealed) VALUES(1, zeroblob(32), x'5eed');",
	  "SELECT count(*) = 1 FROM recovery WHERE id = 1 AND sealed = x'5eed'" },
	{ 4,
	  "INSERT INTO sync_devices(id, posyandu, name, ed_pk, x_pk, status, requested_at, request)"
	  "  VALUES(" U16("51") ", 'P-0001', 'Mawar', zeroblob(32), zeroblob(32), 2, 1700000000, x'01');"
	  "INSERT INTO sync_bundles(hash, sender, seq, kind, first_change, last_change, received_at,"
	  "  n_new, n_dup) VALUES(zeroblob(32), " U16("51") ", 1, 1, 1, 3, 1700000000, 3, 0);"
	  "INSERT INTO sync_vhash(uuid, lamport, device, hash, posyandu)"
	  "  VALUES(" U16("21") ", 7, " U16("31") ", zeroblob(32), 'P-0001');",
	  "SELECT (SELECT count(*) FROM sync_devices WHERE posyandu = 'P-0001' AND status = 2)"
	  " + (SELECT count(*) FROM sync_bundles WHERE seq = 1 AND n_new = 3)"
	  " + (SELECT count(*) FROM sync_vhash WHERE lamport = 7 AND posyandu = 'P-0001') = 3" },
	{ 5,    /* recovery requests (issue 13.10) */
	  "INSERT INTO recovery_pending(request_pk, admin, created, opslimit, memlimit, salt, nonce,"
	  "  wrapped) VALUES(zeroblob(32), 'ani2', 1700000000, 2, 8192, zeroblob(16), zeroblob(24),"
	  "  x'5eed');"
	  "INSERT INTO district_old_keys(kid, x_pk, nonce, sealed, retired_at)"
	  "  VALUES(zeroblob(8), zeroblob(32), zeroblob(24), x'01d0', 1700000000);",
	  "SELECT (SELECT count(*) FROM recovery_pending WHERE admin = 'ani2' AND wrapped = x'5eed')"
	  " + (SELECT count(*) FROM district_old_keys WHERE sealed = x'01d0') = 2" },
	/* quiz keys (issue 13.2): the signed quiz key and a peer's stay. */
	{ 6,
	  "INSERT INTO meta(key, value) VALUES('quiz.box_sig', x'5150'),"
	  "  ('quiz.peer.bbbb', x'5151');",
	  "SELECT count(*) = 2 FROM meta WHERE key IN ('quiz.box_sig', 'quiz.peer.bbbb')" },
	{ 7,    /* integrity a co-user cannot forge (issue 13) */
	  "INSERT INTO user_certs(uuid, gen, role, audit_pk, box_pk, sig)"
	  "  VALUES(" U16("11") ", 1, 1, zeroblob(32), zeroblob(32), zeroblob(64));"
	  "UPDATE users SET gen = 1, box_pk = zeroblob(32), audit_state = x'5a' WHERE uuid = " U16("11") ";"
	  "INSERT INTO audit(seq, time, user, action, object, detail_ct, prev, h, gen, uidx, next_pk,"
	  "  sig, vid, vhash, nver, maxseq) VALUES(2, 1700000001, " U16("11") ", 4, " U16("21") ","
	  "  x'c0ffee', zeroblob(32), zeroblob(32), 1, 0, zeroblob(32), zeroblob(64), " U16("41") ","
	  "  zeroblob(32), 1, 1);",
	  "SELECT (SELECT count(*) FROM user_certs WHERE gen = 1 AND role = 1)"
	  " + (SELECT count(*) FROM users WHERE gen = 1 AND audit_state = x'5a')"
	  " + (SELECT count(*) FROM audit WHERE seq = 2 AND uidx = 0 AND nver = 1) = 3" },
	{ 8,    /* quiz keys of devices (issue 13.2) */
	  "INSERT INTO sync_quizkeys(device, box_pk, sig, updated_at)"
	  "  VALUES(" U16("51") ", zeroblob(32), zeroblob(64), 1700000002);",
	  "SELECT count(*) = 1 FROM sync_quizkeys WHERE device = " U16("51")
	  "  AND updated_at = 1700000002" },
	{ 9,    /* K_data rotation (issue 13.10) */
	  "INSERT INTO key_epochs(epoch, sealed) VALUES(1, x'e1');"
	  "INSERT INTO key_updates(user, epoch, gen, sealed, sig)"
	  "  VALUES(" U16("11") ", 2, 1, x'5e', zeroblob(64));"
	  "INSERT INTO version_rekeys(vid, epoch, before, after)"
	  "  VALUES(" U16("41") ", 2, zeroblob(32), zeroblob(32));",
	  "SELECT (SELECT count(*) FROM key_epochs WHERE epoch = 1 AND sealed = x'e1')"
	  " + (SELECT count(*) FROM key_updates WHERE epoch = 2 AND sealed = x'5e')"
	  " + (SELECT count(*) FROM version_rekeys WHERE epoch = 2)"
	  " + (SELECT count(*) FROM audit WHERE key_epoch = 1) = 5" },
	{ 10,   /* district audit check (issue 13.3) */
	  "UPDATE sync_exports SET audit_seq = 9;"
	  "INSERT INTO sync_audit_state(device, seq, head, v3, signed)"
	  "  VALUES(" U16("31") ", 9, zeroblob(32), 1, 1);"
	  "INSERT INTO sync_audit_certs(device, user, gen, audit_pk)"
	  "  VALUES(" U16("31") ", " U16("11") ", 1, zeroblob(32));"
	  "INSERT INTO sync_audit_signers(device, user, gen, uidx, pk)"
	  "  VALUES(" U16("31") ", " U16("11") ", 1, 4, zeroblob(32));",
	  "SELECT (SELECT count(*) FROM sync_audit_state WHERE seq = 9 AND v3 = 1)"
	  " + (SELECT count(*) FROM sync_audit_certs WHERE gen = 1)"
	  " + (SELECT count(*) FROM sync_audit_signers WHERE uidx = 4) = 3" },
	{ 11,   /* device key rotation (issue 13.10) */
	  "INSERT INTO device_key_links(from_pk, to_pk, sig, at)"
	  "  VALUES(zeroblob(32), randomblob(32), zeroblob(64), 1700000003);",
	  "SELECT count(*) = 1 FROM device_key_links WHERE at = 1700000003" },
	{ 12,   /* fewer B-trees per imported version (issue 15) */
	  "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, prev_device,"
	  "  month, deleted, key_epoch, vid, nonce, ct) VALUES(" U16("23") ", 1, NULL, 9,"
	  "  " U16("31") ", 0, zeroblob(16), NULL, 0, 1, " U16("43") ", zeroblob(24), x'beef');"
	  "INSERT INTO heads(uuid, kind, lamport, device, seq, deleted)"
	  "  VALUES(" U16("23") ", 1, 9, " U16("31") ", last_insert_rowid(), 0);",
	  "SELECT (SELECT count(*) FROM heads h JOIN versions v ON v.seq = h.seq"
	  "    WHERE h.uuid = " U16("23") " AND h.lamport = 9 AND v.ct = x'beef')"
	  " + (SELECT count(*) FROM sqlite_master WHERE name = 'heads' AND sql LIKE '%WITHOUT ROWID%')"
	  " + (SELECT count(*) = 0 FROM sqlite_master WHERE name = 'sync_vhash_posyandu') = 3" },
	{ 13,   /* the district report's cache (issue 15) */
	  "INSERT INTO report_cache(code, month, ref_day, stamp, devices, format, key_epoch, nonce,"
	  "  ct) VALUES('P-0001', 24290, 19843, 5, zeroblob(32), 7, 1, zeroblob(24), x'5eed');"
	  "INSERT INTO report_changes(code, seq) VALUES('P-0001', 5);"
	  "INSERT INTO report_scan(id, seq) VALUES(1, 5);"
	  "INSERT INTO report_owners(owner, uuid) VALUES(" U16("22") ", " U16("21") ");",
	  "SELECT (SELECT count(*) FROM report_cache WHERE code = 'P-0001' AND stamp = 5"
	  "    AND ct = x'5eed')"
	  " + (SELECT count(*) FROM report_changes WHERE seq = 5)"
	  " + (SELECT count(*) FROM report_scan WHERE id = 1 AND seq = 5)"
	  " + (SELECT count(*) FROM report_owners WHERE owner = " U16("22") ") = 4" },
	{ 14,   /* officers of the web interface (issue 17) */
	  "INSERT INTO officers(name, role, pwhash, created, failed, last_failed, mac)"
	  "  VALUES('siti', 2, '$argon2id$v=19$m=8,t=1,p=1$seed', 1700000004, 1, 1700000005,"
	  "  zeroblob(32));"
	  "INSERT INTO officer_sessions(tok, name, created, seen, mac)"
	  "  VALUES(zeroblob(32), 'siti', 1700000006, 1700000007, zeroblob(32));",
	  "SELECT (SELECT count(*) FROM officers WHERE name = 'siti' AND role = 2 AND failed = 1)"
	  " + (SELECT count(*) FROM officer_sessions WHERE name = 'siti' AND seen = 1700000007) = 2" },
	{ 15,   /* the versions' clear columns, indexed (issue 15) */
	  "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, prev_device,"
	  "  month, deleted, key_epoch, vid, nonce, ct) VALUES(" U16("51") ", 2, " U16("52") ", 9,"
	  "  " U16("31") ", 0, " U16("31") ", 24300, 0, 1, " U16("53") ", zeroblob(24), x'beef');"
	  "INSERT INTO heads(uuid, kind, lamport, device, seq, deleted)"
	  "  VALUES(" U16("51") ", 2, 9, " U16("31") ", last_insert_rowid(), 0);",
	  "SELECT count(*) = 1 FROM heads h JOIN versions v INDEXED BY versions_cur"
	  "  ON v.uuid = h.uuid AND v.lamport = h.lamport AND v.device = h.device"
	  "  AND v.deleted = h.deleted AND v.seq = h.seq"
	  "  WHERE h.uuid = " U16("51") " AND v.owner = " U16("52") " AND v.month = 24300" },
	{ 16,   /* the posyandu code in the keys (issue 16) */
	  "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, prev_device,"
	  "  month, deleted, key_epoch, vid, nonce, ct, posyandu) VALUES(" U16("61") ", 1, NULL,"
	  "  11, " U16("51") ", 0, zeroblob(16), NULL, 0, 1, " U16("63") ", zeroblob(24), x'beef',"
	  "  'P-0001');"
	  "INSERT INTO heads(uuid, posyandu, kind, lamport, device, seq, deleted)"
	  "  VALUES(" U16("61") ", 'P-0001', 1, 11, " U16("51") ", last_insert_rowid(), 0);"
	  "INSERT INTO sync_merges(uuid, lamport, device, m_lamport, m_device, posyandu)"
	  "  VALUES(" U16("61") ", 11, " U16("51") ", 10, " U16("31") ", 'P-0001');"
	  "INSERT INTO report_owners(owner, uuid, posyandu)"
	  "  VALUES(" U16("61") ", " U16("64") ", 'P-0001');",
	  "SELECT (SELECT count(*) FROM heads h JOIN versions v INDEXED BY versions_cur"
	  "    ON v.uuid = h.uuid AND v.seq = h.seq AND v.posyandu = h.posyandu"
	  "    WHERE h.uuid = " U16("61") " AND h.posyandu = 'P-0001')"
	  " + (SELECT count(*) FROM sync_merges WHERE posyandu = 'P-0001' AND m_lamport = 10)"
	  " + (SELECT count(*) FROM report_owners WHERE posyandu = 'P-0001') = 3" },
};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

struct fixture {
	char *dir;
	char path[600];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_mkdtemp()))
		return -1;
	tu_path(f->path, sizeof f->path, f->dir, STORE_DB);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = INT64_MIN;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int user_version(sqlite3 *db)
{
	return (int)query_int(db, "PRAGMA user_version");
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[256];
		snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
		sqlite3_free(msg);
		fail_msg("%.120s...: %s", sql, copy);
	}
}

/* The schema as one string: every object's SQL, sorted by name. Returns an
 * allocated string; free() it. */
static char *schema_of(sqlite3 *db)
{
	sqlite3_stmt *st;
	size_t cap = 1 << 16, n = 0;
	char *out = calloc(1, cap);
	assert_non_null(out);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT type, name, COALESCE(sql, '') FROM sqlite_master "
					    "WHERE name NOT LIKE 'sqlite_%' ORDER BY name", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int w = snprintf(out + n, cap - n, "%s %s: %s\n", sqlite3_column_text(st, 0),
				 sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
	sqlite3_finalize(st);
	return out;
}

static bool has_object(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	bool found;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = ?", -1, &st,
					    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The store's connections opened here, by their SQLite handle: the tests
 * read the file with SQLite's own calls and migrate through storage/. */
static struct db *opened[8];

static sqlite3 *open_db(const char *path, struct err *err)
{
	struct db *h = db_open(path, true, NULL, err);
	if (!h)
		return NULL;
	for (size_t i = 0; i < sizeof opened / sizeof opened[0]; i++)
		if (!opened[i]) {
			opened[i] = h;
			return db_lite(h);
		}
	fail_msg("too many databases open");
	return NULL;
}

static struct db *H(sqlite3 *lite)
{
	for (size_t i = 0; i < sizeof opened / sizeof opened[0]; i++)
		if (opened[i] && db_lite(opened[i]) == lite)
			return opened[i];
	fail_msg("not a database opened by open_db");
	return NULL;
}

static void close_db(sqlite3 *lite)
{
	for (size_t i = 0; i < sizeof opened / sizeof opened[0]; i++)
		if (opened[i] && db_lite(opened[i]) == lite) {
			db_close(opened[i]);
			opened[i] = NULL;
			return;
		}
	sqlite3_close(lite);
}

/* A new database file PATH at schema version UPTO (0 = newest). */
static sqlite3 *db_at(const char *path, int upto)
{
	struct err err = { 0 };
	sqlite3 *db = open_db(path, &err);
	if (!db)
		fail_msg("db_open %s: %s", path, err.detail);
	if (migrate_run(H(db), upto, &err) < 0)
		fail_msg("migrate_run to %d: %s", upto, err.detail);
	return db;
}

/* The schema of a fresh database at version UPTO (0 = newest), allocated. */
static char *fresh_schema(const char *dir, int upto)
{
	char path[700], name[32];
	sqlite3 *db;
	char *schema;

	snprintf(name, sizeof name, "fresh-%d.db", upto);
	tu_path(path, sizeof path, dir, name);
	db = db_at(path, upto);
	schema = schema_of(db);
	close_db(db);
	return schema;
}

/* ---- tests ---- */

static void test_seeds_cover_every_step(void **state)
{
	(void)state;
	assert_true(migrate_latest() >= 1);
	for (int step = 1; step <= migrate_latest(); step++) {
		bool found = false;
		for (size_t i = 0; i < NSEEDS; i++)
			found |= seeds[i].step == step;
		if (!found)
			fail_msg("migration step %d has no seed row in tests/unit/test_migrate.c", step);
	}
}

/* quiz keys (issue 13.2): the unauthenticated quiz box key goes. */
static void test_quiz_box_key_dropped(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = db_at(f->path, 5);

	exec_ok(db, "INSERT INTO meta(key, value) VALUES('quiz.box_pk', zeroblob(32)),"
		    "  ('quiz.att.00', x'01');");
	assert_int_equal(migrate_run(H(db), 6, &err), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM meta WHERE key = 'quiz.box_pk'"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM meta WHERE key = 'quiz.att.00'"), 1);
	close_db(db);
}

static void test_empty_file_to_latest(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = open_db(f->path, &err);
	static const char *const tables[] = { "meta", "users", "versions", "heads", "audit", "recovery" };

	assert_non_null(db);
	assert_int_equal(user_version(db), 0);
	assert_int_equal(migrate_run(H(db), 0, &err), 0);
	assert_int_equal(user_version(db), migrate_latest());
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (!has_object(db, tables[i]))
			fail_msg("table %s missing after migration", tables[i]);
	/* every seed row is valid at the newest version */
	for (size_t i = 0; i < NSEEDS; i++) {
		exec_ok(db, seeds[i].insert);
		assert_int_equal(query_int(db, seeds[i].check), 1);
	}
	close_db(db);
}

static void test_running_again_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = db_at(f->path, 0);
	char *before = schema_of(db), *after;

	assert_int_equal(migrate_run(H(db), 0, &err), 0);
	assert_int_equal(user_version(db), migrate_latest());
	after = schema_of(db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	close_db(db);
}

/* From every older version k: rows valid at k survive, and the schema ends
 * identical to a fresh one. */
static void test_every_older_version_upgrades(void **state)
{
	struct fixture *f = *state;
	char *want = fresh_schema(f->dir, 0);

	for (int k = 1; k < migrate_latest(); k++) {
		char path[700], name[32];
		struct err err = { 0 };
		sqlite3 *db;
		char *got;

		snprintf(name, sizeof name, "from-%d.db", k);
		tu_path(path, sizeof path, f->dir, name);
		db = db_at(path, k);
		if (user_version(db) != k)
			fail_msg("migrate_run(H(db), %d) stopped at %d", k, user_version(db));
		for (size_t i = 0; i < NSEEDS; i++)
			if (seeds[i].step <= k)
				exec_ok(db, seeds[i].insert);

		if (migrate_run(H(db), 0, &err) < 0)
			fail_msg("from %d: %s", k, err.detail);
		if (user_version(db) != migrate_latest())
			fail_msg("from %d: user_version %d", k, user_version(db));
		for (size_t i = 0; i < NSEEDS; i++)
			if (seeds[i].step <= k && query_int(db, seeds[i].check) != 1)
				fail_msg("from %d: rows of step %d lost", k, seeds[i].step);
		got = schema_of(db);
		if (strcmp(got, want) != 0)
			fail_msg("from %d: schema differs from a fresh store:\n%s\nwant:\n%s", k, got, want);
		free(got);
		/* the newer tables take their rows */
		for (size_t i = 0; i < NSEEDS; i++) {
			if (seeds[i].step > k) {
				exec_ok(db, seeds[i].insert);
				assert_int_equal(query_int(db, seeds[i].check), 1);
			}
		}
		close_db(db);
	}
	free(want);
}

/* UPTO stops early and never goes back. */
static void test_upto_limits_the_target(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = db_at(f->path, 1);

	assert_int_equal(user_version(db), 1);
	assert_true(has_object(db, "versions"));
	assert_false(has_object(db, "audit"));
	if (migrate_latest() >= 2) {
		assert_int_equal(migrate_run(H(db), 2, &err), 0);
		assert_int_equal(user_version(db), 2);
		assert_true(has_object(db, "audit"));
		assert_int_equal(migrate_run(H(db), 1, &err), 0);
		assert_int_equal(user_version(db), 2);
	}
	close_db(db);
}

/* A step that fails leaves the file at the version before it. */
static void test_failed_step_is_rolled_back(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = db_at(f->path, 1);
	char *before;

	if (migrate_latest() < 2)
		skip();
	/* something in the way of step 2 */
	exec_ok(db, "CREATE TABLE audit(x)");
	before = schema_of(db);
	assert_int_equal(migrate_run(H(db), 0, &err), -1);
	assert_int_equal(err.code, ERR_DB);
	assert_int_equal(user_version(db), 1);
	{
		char *after = schema_of(db);
		assert_string_equal(after, before);
		free(after);
	}
	free(before);
	assert_true(sqlite3_get_autocommit(db));           /* no transaction left open */
	exec_ok(db, "DROP TABLE audit");
	assert_int_equal(migrate_run(H(db), 0, &err), 0);
	assert_int_equal(user_version(db), migrate_latest());
	close_db(db);
}

static void test_newer_file_is_refused(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = db_at(f->path, 0);
	char sql[64], *before, *after;

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", migrate_latest() + 1);
	exec_ok(db, sql);
	before = schema_of(db);
	assert_int_equal(migrate_run(H(db), 0, &err), -1);
	assert_int_equal(err.code, ERR_VERSION);
	assert_int_equal(user_version(db), migrate_latest() + 1);
	after = schema_of(db);
	assert_string_equal(after, before);
	free(before);
	free(after);
	close_db(db);
}

/* A real store from a newer program: store_open refuses it with ERR_VERSION
 * and leaves the file alone. */
static void test_store_open_refuses_newer_store(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	struct store *s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, &err);
	sqlite3 *raw;

	assert_non_null(s);
	store_close(s);
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(raw, "PRAGMA user_version = %d", migrate_latest() + 7), 0);
	tu_raw_close(raw);

	assert_null(s = store_open(f->dir, NULL, &err));
	assert_int_equal(err.code, ERR_VERSION);
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_int(raw, "PRAGMA user_version"), migrate_latest() + 7);
	tu_raw_close(raw);
}

/* A real store written at version k (every object newer than k removed, the
 * version set back) opens with store_open, which upgrades it; login, records
 * and the audit chain work. Steps 7 and 8 altered users and audit: what they added
 * is dropped again, and the admin's slot written as v1 (so this also tests
 * the admin's slot upgrade at login, issue 13.4). */
static void test_store_open_upgrades_old_store(void **state)
{
	struct fixture *f = *state;

	for (int k = 1; k < migrate_latest(); k++) {
		char dir[700], name[32], scratch[700];
		struct err err = { 0 };
		struct store *s;
		struct person p = { 0 }, *people;
		struct draft d;
		struct slot v1;
		size_t n, entries;
		uint64_t bad;
		sqlite3 *old, *raw;
		sqlite3_stmt *st;

		snprintf(name, sizeof name, "store-%d", k);
		tu_path(dir, sizeof dir, f->dir, name);
		assert_non_null(s = tu_store_create(dir, TU_ADMIN, TU_PIN, &err));
		store_draft_new(&d);
		p.kind = PERSON_CHILD;
		snprintf(p.name, sizeof p.name, "Budi Santoso");
		p.sex = 'L';
		p.dob = p.registered = DATE_NONE;
		assert_int_equal(store_person_put(s, &d, &p, &err), 0);
		/* before step 7 slots were v1 (keys only): the admin's as it was */
		assert_int_equal(vault_wrap(s->keys, ROLE_ADMIN, s->store_id, s->user.uuid, NULL, NULL,
					    TU_PIN, TU_PIN_LEN, &s->user.kdf, &v1, &err), 0);
		store_close(s);

		/* what version k had */
		snprintf(name, sizeof name, "scratch-%d.db", k);
		tu_path(scratch, sizeof scratch, f->dir, name);
		old = db_at(scratch, k);
		assert_non_null(raw = tu_raw_open(dir));
		assert_int_equal(sqlite3_prepare_v2(raw, "SELECT type, name FROM sqlite_master WHERE "
						    "name NOT LIKE 'sqlite_%' AND type IN ('table', 'index')",
						    -1, &st, NULL), SQLITE_OK);
		{
			char drops[4096] = "";
			size_t used = 0;
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *type = (const char *)sqlite3_column_text(st, 0);
				const char *obj = (const char *)sqlite3_column_text(st, 1);
				if (!has_object(old, obj))
					used += (size_t)snprintf(drops + used, sizeof drops - used,
								 "DROP %s IF EXISTS \"%s\";", type, obj);
				assert_true(used < sizeof drops);
			}
			sqlite3_finalize(st);
			exec_ok(raw, drops);
		}
		close_db(old);
		/* step 9 (K_data rotation) added the audit entries' key epoch */
		if (k >= 2 && k < 9)
			exec_ok(raw, "ALTER TABLE audit DROP COLUMN key_epoch;");
		if (k < 7) {
			/* step 7 altered users and audit: undo that, with an empty
			 * log (the old chain cannot be written any more) and the
			 * v1 slot */
			char hex[2 * sizeof v1.ct + 1];
			sodium_bin2hex(hex, sizeof hex, v1.ct, v1.ct_len);
			exec_ok(raw, "ALTER TABLE users DROP COLUMN gen;"
				"ALTER TABLE users DROP COLUMN box_pk;"
				"ALTER TABLE users DROP COLUMN audit_state;");
			if (k >= 2)
				exec_ok(raw, "DELETE FROM audit;"
					"ALTER TABLE audit DROP COLUMN gen; ALTER TABLE audit DROP COLUMN uidx;"
					"ALTER TABLE audit DROP COLUMN next_pk; ALTER TABLE audit DROP COLUMN sig;"
					"ALTER TABLE audit DROP COLUMN vid; ALTER TABLE audit DROP COLUMN vhash;"
					"ALTER TABLE audit DROP COLUMN nver; ALTER TABLE audit DROP COLUMN maxseq;");
			assert_int_equal(tu_raw_exec(raw, "UPDATE users SET wrapped = x'%s'", hex), 0);
			sodium_bin2hex(hex, sizeof hex, v1.salt, sizeof v1.salt);
			assert_int_equal(tu_raw_exec(raw, "UPDATE users SET salt = x'%s'", hex), 0);
			sodium_bin2hex(hex, sizeof hex, v1.nonce, sizeof v1.nonce);
			assert_int_equal(tu_raw_exec(raw, "UPDATE users SET nonce = x'%s'", hex), 0);
		}
		/* step 16 put the posyandu code in versions, heads, sync_vhash's
		 * key, sync_merges and report_owners (issue 16) */
		if (k < 16) {
			exec_ok(raw, "DROP INDEX IF EXISTS versions_cur;"
				"ALTER TABLE versions DROP COLUMN posyandu;");
			if (k >= 15)
				exec_ok(raw, "CREATE INDEX versions_cur ON versions(uuid, lamport, device,"
					" deleted, owner, month, seq);");
			if (k >= 12)
				exec_ok(raw, "CREATE TABLE heads_old(uuid BLOB PRIMARY KEY,"
					" kind INTEGER NOT NULL, lamport INTEGER NOT NULL,"
					" device BLOB NOT NULL, seq INTEGER NOT NULL REFERENCES versions(seq),"
					" deleted INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
					"INSERT INTO heads_old SELECT uuid, kind, lamport, device, seq, deleted"
					" FROM heads;"
					"DROP TABLE heads; ALTER TABLE heads_old RENAME TO heads;"
					"CREATE INDEX heads_kind ON heads(kind, deleted);");
			if (k >= 4)
				exec_ok(raw, "CREATE TABLE v_old(uuid BLOB NOT NULL, lamport INTEGER NOT NULL,"
					" device BLOB NOT NULL, hash BLOB NOT NULL, posyandu TEXT NOT NULL,"
					" PRIMARY KEY(uuid, lamport, device)) STRICT, WITHOUT ROWID;"
					"INSERT INTO v_old SELECT uuid, lamport, device, hash, posyandu"
					" FROM sync_vhash;"
					"DROP TABLE sync_vhash; ALTER TABLE v_old RENAME TO sync_vhash;"
					"CREATE TABLE m_old(uuid BLOB NOT NULL, lamport INTEGER NOT NULL,"
					" device BLOB NOT NULL, m_lamport INTEGER NOT NULL,"
					" m_device BLOB NOT NULL, PRIMARY KEY(uuid, lamport, device,"
					" m_lamport, m_device)) STRICT, WITHOUT ROWID;"
					"INSERT INTO m_old SELECT uuid, lamport, device, m_lamport, m_device"
					" FROM sync_merges;"
					"DROP TABLE sync_merges; ALTER TABLE m_old RENAME TO sync_merges;");
			if (k >= 13)
				exec_ok(raw, "CREATE TABLE r_old(owner BLOB NOT NULL, uuid BLOB NOT NULL,"
					" PRIMARY KEY(owner, uuid)) STRICT, WITHOUT ROWID;"
					"INSERT INTO r_old SELECT owner, uuid FROM report_owners;"
					"DROP TABLE report_owners; ALTER TABLE r_old RENAME TO report_owners;");
		}
		/* step 12 made heads one B-tree and dropped an index (issue 15) */
		if (k < 12) {
			exec_ok(raw, "CREATE TABLE heads_old(uuid BLOB PRIMARY KEY, kind INTEGER NOT NULL,"
				" lamport INTEGER NOT NULL, device BLOB NOT NULL,"
				" seq INTEGER NOT NULL REFERENCES versions(seq),"
				" deleted INTEGER NOT NULL) STRICT;"
				"INSERT INTO heads_old SELECT uuid, kind, lamport, device, seq, deleted"
				" FROM heads;"
				"DROP TABLE heads; ALTER TABLE heads_old RENAME TO heads;"
				"CREATE INDEX heads_kind ON heads(kind, deleted);");
			if (k >= 4)
				exec_ok(raw, "CREATE INDEX sync_vhash_posyandu ON sync_vhash(posyandu, lamport);");
		}
		/* step 10 added a column to sync_exports (issue 13.3) */
		if (k >= 4 && k < 10)
			exec_ok(raw, "ALTER TABLE sync_exports DROP COLUMN audit_seq;");
		assert_int_equal(tu_raw_exec(raw, "PRAGMA user_version = %d", k), 0);
		tu_raw_close(raw);

		s = store_open(dir, NULL, &err);
		if (!s)
			fail_msg("store at version %d: %s", k, err.detail);
		assert_int_equal(store_login(s, TU_ADMIN, TU_PIN, TU_PIN_LEN, NULL, &err), 0);
		assert_true(s->keys->has_seed);        /* the slot is v2 now */
		assert_int_equal(store_people(s, &people, &n, &err), 0);
		assert_int_equal(n, 1);
		assert_string_equal(people[0].name, "Budi Santoso");
		store_free(people);
		assert_int_equal(store_verify(s, &n, &err), 0);
		assert_int_equal(store_audit_verify(s, &entries, &bad, &err), 0);
		store_close(s);
		assert_non_null(raw = tu_raw_open(dir));
		assert_int_equal(tu_raw_int(raw, "PRAGMA user_version"), migrate_latest());
		tu_raw_close(raw);
	}
}

/* Step 16 on a district's store: each record gets the code of the enrolled
 * device its first version came from, on every version, its head, its
 * merges and its report links; a quiz bank and a record no enrolled device
 * sent get none; sync_vhash keeps the sender's code. Said through storage/'s
 * own calls (bound values, no SQLite-only literals), so that the same test
 * runs on PostgreSQL (POSYANDU_TEST_PG_URL, below). */
static void id16(uint8_t out[16], uint8_t b)
{
	memset(out, b, 16);
}

static void put15(struct db *db, uint8_t u, int kind, int lamport, uint8_t dev, uint8_t vid)
{
	uint8_t uu[16], dd[16], vv[16], z[24] = { 0 };
	struct err err = { 0 };

	id16(uu, u);
	id16(dd, dev);
	id16(vv, vid);
	if (db_run(db, "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, "
		   "prev_device, month, deleted, key_epoch, vid, nonce, ct) "
		   "VALUES(?, ?, NULL, ?, ?, 0, ?, NULL, 0, 1, ?, ?, ?)", "seed",
		   DB_ARGS(DB_UUID(uu), DB_INT(kind), DB_INT(lamport), DB_UUID(dd),
			   DB_BLOB(z, 16), DB_UUID(vv), DB_BLOB(z, 24), DB_BLOB(z, 4)), &err) < 0 ||
	    db_run(db, "INSERT INTO heads(uuid, kind, lamport, device, seq, deleted) "
		   "VALUES(?1, ?2, ?3, ?4, (SELECT max(seq) FROM versions), 0) ON CONFLICT(uuid) "
		   "DO UPDATE SET lamport = excluded.lamport, device = excluded.device, "
		   "seq = excluded.seq", "seed",
		   DB_ARGS(DB_UUID(uu), DB_INT(kind), DB_INT(lamport), DB_UUID(dd)), &err) < 0)
		fail_msg("seed: %s", err.detail);
}

/* SQL's count; its ?1 and ?2 (NARGS of them) the ids of bytes A and B. */
static int64_t count_of(struct db *db, const char *sql, size_t nargs, uint8_t a, uint8_t b)
{
	uint8_t ua[16], ub[16];
	const struct db_arg args[] = { DB_UUID(ua), DB_UUID(ub) };
	struct err err = { 0 };
	int64_t n;

	id16(ua, a);
	id16(ub, b);
	if (db_int(db, sql, &n, "check", args, nargs, &err) < 0)
		fail_msg("%s: %s", sql, err.detail);
	return n;
}

static void district_codes_from_15(struct db *db)
{
	uint8_t d1[16], d2[16], c1[16], e1[16], a1[16], z[32] = { 0 };
	struct err err = { 0 };

	id16(d1, 0xd1);
	id16(d2, 0xd2);
	id16(c1, 0xc1);
	id16(e1, 0xe1);
	id16(a1, 0xa1);
	if (migrate_run(db, 15, &err) < 0)
		fail_msg("to 15: %s", err.detail);
	if (db_run(db, "INSERT INTO sync_devices(id, posyandu, name, ed_pk, x_pk, status, "
		   "requested_at, request) VALUES(?1, 'P-0001', 'Mawar', ?3, ?3, 2, 1700000000, ?3), "
		   "(?2, 'P-0002', 'Melati', ?3, ?3, 2, 1700000000, ?3)", "seed",
		   DB_ARGS(DB_UUID(d1), DB_UUID(d2), DB_BLOB(z, 32)), &err) < 0)
		fail_msg("seed: %s", err.detail);
	/* a: made here first, then sent by P-0001's device: P-0001 */
	put15(db, 0xa1, 1, 1, 0x0e, 0xa8);
	put15(db, 0xa1, 1, 2, 0xd1, 0xa9);
	/* b: a quiz bank sent by P-0002's device: none */
	put15(db, 0xb1, 4, 3, 0xd2, 0xb8);
	/* c: P-0002's first, then P-0001's (before step 16 nothing stopped
	 * it): stays P-0002's */
	put15(db, 0xc1, 1, 4, 0xd2, 0xc8);
	put15(db, 0xc1, 1, 5, 0xd1, 0xc9);
	/* e: no enrolled device sent it: none */
	put15(db, 0xe1, 2, 6, 0x0e, 0xe8);
	if (db_run(db, "INSERT INTO sync_vhash(uuid, lamport, device, hash, posyandu) "
		   "VALUES(?1, 4, ?3, ?4, 'P-0002'), (?1, 5, ?2, ?4, 'P-0001')", "seed",
		   DB_ARGS(DB_UUID(c1), DB_UUID(d1), DB_UUID(d2), DB_BLOB(z, 32)), &err) < 0 ||
	    db_run(db, "INSERT INTO sync_merges(uuid, lamport, device, m_lamport, m_device) "
		   "VALUES(?1, 5, ?2, 4, ?3)", "seed",
		   DB_ARGS(DB_UUID(c1), DB_UUID(d1), DB_UUID(d2)), &err) < 0 ||
	    db_run(db, "INSERT INTO report_owners(owner, uuid) VALUES(?1, ?2), (?3, ?3)", "seed",
		   DB_ARGS(DB_UUID(c1), DB_UUID(e1), DB_UUID(a1)), &err) < 0)
		fail_msg("seed: %s", err.detail);

	if (migrate_run(db, 0, &err) < 0)
		fail_msg("to the newest: %s", err.detail);
	assert_int_equal(count_of(db, "SELECT count(*) FROM versions", 0, 0, 0), 6);
	assert_int_equal(count_of(db, "SELECT count(*) FROM versions WHERE uuid = ?1 AND "
				  "posyandu = 'P-0001'", 1, 0xa1, 0), 2);
	assert_int_equal(count_of(db, "SELECT count(*) FROM versions WHERE uuid = ?1 AND "
				  "posyandu = 'P-0002'", 1, 0xc1, 0), 2);
	assert_int_equal(count_of(db, "SELECT count(*) FROM versions WHERE uuid IN (?1, ?2) AND "
				  "posyandu = ''", 2, 0xb1, 0xe1), 2);
	/* heads: one per record, with its versions' code */
	assert_int_equal(count_of(db, "SELECT count(*) FROM heads", 0, 0, 0), 4);
	assert_int_equal(count_of(db, "SELECT count(*) FROM heads h JOIN versions v ON "
				  "v.seq = h.seq AND v.posyandu = h.posyandu", 0, 0, 0), 4);
	assert_int_equal(count_of(db, "SELECT count(*) FROM heads WHERE uuid = ?1 AND "
				  "posyandu = 'P-0002' AND lamport = 5", 1, 0xc1, 0), 1);
	/* the sender's code stays in sync_vhash; merges and links take the record's */
	assert_int_equal(count_of(db, "SELECT count(*) FROM sync_vhash WHERE uuid = ?1 AND "
				  "lamport = 5 AND posyandu = 'P-0001'", 1, 0xc1, 0), 1);
	assert_int_equal(count_of(db, "SELECT count(*) FROM sync_merges WHERE uuid = ?1 AND "
				  "posyandu = 'P-0002'", 1, 0xc1, 0), 1);
	assert_int_equal(count_of(db, "SELECT count(*) FROM report_owners WHERE (uuid = ?1 AND "
				  "posyandu = '') OR (uuid = ?2 AND posyandu = 'P-0001')", 2, 0xe1, 0xa1), 2);
}

static void test_district_codes_from_15(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = db_at(f->path, 1);

	district_codes_from_15(H(db));
	close_db(db);
}

/* A store whose versions_cur someone dropped (the unlock's checks then read
 * the rows: slower, never wrong) still takes step 16, and has it again. */
static void test_step16_without_versions_cur(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *db = db_at(f->path, 15);

	exec_ok(db, "DROP INDEX versions_cur;");
	if (migrate_run(H(db), 0, &err) < 0)
		fail_msg("%s", err.detail);
	assert_int_equal(user_version(db), migrate_latest());
	assert_true(has_object(db, "versions_cur"));
	close_db(db);
}

/* The same on PostgreSQL: an empty database named by POSYANDU_TEST_PG_URL
 * (tests/e2e/t0680-pg-migrate.sh runs this binary so), where step 16 also
 * puts the code in the versions' own keys, as Citus wants them. */
static void test_district_codes_from_15_pg(void **state)
{
	struct err err = { 0 };
	struct db *db = db_open_url(getenv("POSYANDU_TEST_PG_URL"), &err);
	int64_t n;

	(void)state;
	if (!db)
		fail_msg("%s", err.detail);
	district_codes_from_15(db);
	/* every primary, unique and foreign key of these tables holds the code */
	assert_int_equal(db_int(db, "SELECT count(*) FROM pg_constraint c WHERE c.contype IN "
				"('p', 'u', 'f') AND c.conrelid::regclass::text IN ('versions', 'heads', "
				"'sync_vhash', 'sync_merges', 'report_owners', 'report_cache', "
				"'report_changes') AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE "
				"a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) AND a.attname IN "
				"('posyandu', 'code'))", &n, "catalog", DB_NOARGS, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM pg_constraint c WHERE c.contype = 'p' AND "
				"c.conrelid::regclass::text IN ('versions', 'heads', 'sync_vhash', "
				"'sync_merges', 'report_owners', 'report_cache', 'report_changes')", &n,
				"catalog", DB_NOARGS, &err), 0);
	assert_int_equal(n, 7);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds_cover_every_step),
		cmocka_unit_test_setup_teardown(test_quiz_box_key_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file_to_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_running_again_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_older_version_upgrades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upto_limits_the_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_step_is_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_open_refuses_newer_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_open_upgrades_old_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_district_codes_from_15, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step16_without_versions_cur, setup, teardown),
	};
	const struct CMUnitTest pg[] = {
		cmocka_unit_test(test_district_codes_from_15_pg),
	};
	if (sodium_init() < 0)
		return 1;
	if (getenv("POSYANDU_TEST_PG_URL"))
		return cmocka_run_group_tests(pg, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
