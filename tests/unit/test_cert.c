/* tests/unit/test_cert.c: user certificates, slot v2 and the signed audit
 * chain (storage/cert.c, storage/audit.c, storage/integrity.c; issue 13).
 *
 * A user's slot pins the device key and holds her own seed; her certificate
 * by the device key binds her role, box key and first audit key. Audit
 * entries are signed with her chain of one-time keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/audit.h"
#include "storage/codec.h"
#include "storage/internal.h"
#include "storage/sync_store.h"
#include "tests/helpers/testutil.h"

#define KADER_PIN "582941"

static int setup(void **state)
{
	struct err err = { 0 };
	struct tu_fixture *f = tu_fixture_new("kader1", KADER_PIN, &err);

	if (!f) {
		print_error("setup: %s\n", err.detail);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	tu_fixture_free(*state);
	return 0;
}

static void raw(struct tu_fixture *f, const char *sql)
{
	sqlite3 *db = tu_raw_open(f->dir);
	assert_non_null(db);
	if (tu_raw_exec(db, "%s", sql) < 0)
		fail_msg("SQL failed: %s", sql);
	tu_raw_close(db);
}

static int64_t raw_int(struct tu_fixture *f, const char *sql)
{
	sqlite3 *db = tu_raw_open(f->dir);
	int64_t v;
	assert_non_null(db);
	v = tu_raw_int(db, "%s", sql);
	tu_raw_close(db);
	return v;
}

/* Log in as LABEL; 0, or the error code with *FIELD its field. */
static int login(struct tu_fixture *f, const char *label, const char *pin, const char **field)
{
	struct err err = { 0 };
	store_close(f->s);
	f->s = tu_store_login(f->dir, label, pin, &err);
	if (field)
		*field = err.field;
	return f->s ? 0 : (int)err.code;
}

static void verify_fails(struct tu_fixture *f)
{
	struct err err = { 0 };
	uint64_t bad = 0;
	assert_int_equal(store_audit_verify(f->s, NULL, &bad, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_true(bad > 0);
}

static void verify_ok(struct tu_fixture *f)
{
	struct err err = { 0 };
	uint64_t bad = 0;
	size_t n = 0;
	if (store_audit_verify(f->s, &n, &bad, &err) < 0)
		fail_msg("verify: %s", err.detail);
}

/* Every user has a certificate, every entry a signature, and the slots are v2. */
static void test_users_are_certified_and_entries_signed(void **state)
{
	struct tu_fixture *f = *state;
	const char *field;

	assert_int_equal(raw_int(f, "SELECT count(*) FROM user_certs"), 2);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE sig IS NULL"), 0);
	assert_int_equal(login(f, "kader1", KADER_PIN, &field), 0);
	assert_true(f->s->keys->has_seed);
	assert_int_equal(store_integrity_warning(f->s), 0);
	verify_ok(f);
	/* each (user, gen) has consecutive indexes from 0 */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM audit a WHERE uidx <> (SELECT count(*) "
				 "FROM audit b WHERE b.user = a.user AND b.gen = a.gen AND b.seq < a.seq)"), 0);
}

/* The role in the certificate is signed: a kader made admin is refused. */
static void test_edited_certificate_is_refused(void **state)
{
	struct tu_fixture *f = *state;
	const char *field = NULL;

	raw(f, "UPDATE user_certs SET role = 2 WHERE uuid = (SELECT uuid FROM users WHERE label = 'kader1')");
	assert_int_equal(login(f, "kader1", KADER_PIN, &field), ERR_CRYPTO);
	assert_string_equal(field, "user-cert");
	raw(f, "DELETE FROM user_certs WHERE uuid = (SELECT uuid FROM users WHERE label = 'kader1')");
	assert_int_equal(login(f, "kader1", KADER_PIN, &field), ERR_CRYPTO);
	assert_string_equal(field, "user-cert");
	assert_int_equal(login(f, TU_ADMIN, TU_PIN, &field), 0);
}

/* Another device key in meta: no slot's pin matches, nobody logs in. */
static void test_replaced_device_key_is_refused(void **state)
{
	struct tu_fixture *f = *state;
	const char *field = NULL;

	raw(f, "UPDATE meta SET value = randomblob(32) WHERE key = 'device.sign_pk'");
	assert_int_equal(login(f, "kader1", KADER_PIN, &field), ERR_CRYPTO);
	assert_string_equal(field, "device-key");
	assert_int_equal(login(f, TU_ADMIN, TU_PIN, &field), ERR_CRYPTO);
	assert_string_equal(field, "device-key");
}

/* A forged signature, or a valid entry's signature moved, fails verify. */
static void test_signature_is_checked(void **state)
{
	struct tu_fixture *f = *state;

	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	raw(f, "UPDATE audit SET sig = randomblob(64) WHERE seq = 2");
	verify_fails(f);
}

/* Her signing state put back to an older copy: the next login warns. */
static void test_rolled_back_state_warns(void **state)
{
	struct tu_fixture *f = *state;

	raw(f, "CREATE TABLE old AS SELECT audit_state FROM users WHERE label = 'kader1'");
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), 0);
	raw(f, "UPDATE users SET audit_state = (SELECT audit_state FROM old) WHERE label = 'kader1'");
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), STORE_WARN_AUDIT);
	assert_int_equal(login(f, TU_ADMIN, TU_PIN, NULL), 0);
	verify_fails(f);
}

/* An admin's reset is a new generation; her old entries still verify under
 * the old certificate, and her own PIN change keeps her generation. */
static void test_reset_is_a_new_generation(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };

	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_user_passwd(f->s, "kader1", "318274", 6, tu_kdf_fast(), &err), 0);
	assert_int_equal(raw_int(f, "SELECT gen FROM users WHERE label = 'kader1'"), 1);
	assert_int_equal(login(f, TU_ADMIN, TU_PIN, NULL), 0);
	assert_int_equal(store_user_passwd(f->s, "kader1", KADER_PIN, 6, tu_kdf_fast(), &err), 0);
	assert_int_equal(raw_int(f, "SELECT gen FROM users WHERE label = 'kader1'"), 2);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM user_certs WHERE uuid = "
				 "(SELECT uuid FROM users WHERE label = 'kader1')"), 2);
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), 0);
	verify_ok(f);
}

/* A save's entry binds its version: changing the version's ciphertext, or
 * deleting it, fails verify; the head rolled back warns at unlock. */
static void test_save_binds_its_version(void **state)
{
	struct tu_fixture *f = *state;
	struct person p = { 0 };
	struct draft d;
	struct err err = { 0 };

	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Budi Santoso");
	p.sex = 'L';
	p.dob = p.registered = DATE_NONE;
	store_draft_new(&d);
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE vid IS NOT NULL AND nver = 1"), 1);
	verify_ok(f);
	raw(f, "UPDATE versions SET nonce = randomblob(24)");
	verify_fails(f);
	raw(f, "DELETE FROM heads; DELETE FROM versions");
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), STORE_WARN_RECORDS);
	assert_non_null(strstr(store_integrity_detail(f->s), "deleted"));
}

/* ---- every version bound to an entry (issue 13.3, security review) ---- */

static void put_person(struct tu_fixture *f, struct draft *d, const char *name)
{
	struct person p = { 0 };
	struct err err = { 0 };

	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "%s", name);
	p.sex = 'L';
	p.dob = p.registered = DATE_NONE;
	if (store_person_put(f->s, d, &p, &err) < 0)
		fail_msg("put: %s", err.detail);
}

/* A bundle from device DEV, number BSEQ, of one version of person UUID
 * (LAMPORT; PARENT the version it follows, NULL for a new person), imported
 * as sync/importer.c does it. */
static void import_person(struct tu_fixture *f, const uint8_t dev[16], uint64_t bseq,
			  const uint8_t uuid[16], uint64_t lamport, const struct sync_ref *parent,
			  const char *name)
{
	struct sync_version v = { 0 };
	struct sync_bundle_row b = { 0 };
	struct person p = { 0 };
	struct err err = { 0 };
	bool is_new;
	char *json;

	memcpy(v.uuid, uuid, 16);
	v.kind = REC_PERSON;
	v.lamport = lamport;
	memcpy(v.device, dev, 16);
	if (parent)
		v.parent = *parent;
	v.month = -1;
	randombytes_buf(v.vid, sizeof v.vid);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "%s", name);
	p.sex = 'P';
	p.dob = p.registered = DATE_NONE;
	assert_non_null(json = codec_person_encode(&p, dev, 1700000000));
	assert_int_equal(sync_import_begin(f->s, "P-0002", &err), 0);
	if (sync_import_version(f->s, &v, json, strlen(json), "P-0002", &is_new, &err) < 0)
		fail_msg("import: %s", err.detail);
	/* the same version again: a duplicate, nothing added */
	assert_int_equal(sync_import_version(f->s, &v, json, strlen(json), "P-0002", &is_new, &err), 0);
	assert_false(is_new);
	codec_free(json);
	randombytes_buf(b.hash, sizeof b.hash);
	memcpy(b.sender, dev, 16);
	b.seq = bseq;
	b.kind = 1;
	b.n_new = 1;
	b.n_dup = 1;
	b.max_lamport = lamport;
	if (sync_import_finish(f->s, &b, &err) < 0)
		fail_msg("import finish: %s", err.detail);
}

/* A version of person UUID (LAMPORT after PARENT) from device DEV, staged
 * by an import for posyandu CODE: sync_import_version's answer. */
static int import_as(struct tu_fixture *f, const char *code, const uint8_t dev[16],
		     const uint8_t uuid[16], int kind, uint64_t lamport,
		     const struct sync_ref *parent, const uint8_t *vid, bool *is_new,
		     struct err *err)
{
	struct sync_version v = { 0 };
	struct person p = { 0 };
	char *json;
	int rc;

	memcpy(v.uuid, uuid, 16);
	v.kind = kind;
	v.lamport = lamport;
	memcpy(v.device, dev, 16);
	if (parent)
		v.parent = *parent;
	v.month = -1;
	if (vid)
		memcpy(v.vid, vid, 16);
	else
		randombytes_buf(v.vid, sizeof v.vid);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Rina Wati");
	p.sex = 'P';
	p.dob = p.registered = DATE_NONE;
	json = kind == REC_PERSON ? codec_person_encode(&p, dev, 1700000000)
				  : codec_tombstone_encode(dev, 1700000000);
	assert_non_null(json);
	assert_int_equal(sync_import_begin(f->s, code, err), 0);
	rc = sync_import_version(f->s, &v, json, strlen(json), code, is_new, err);
	codec_free(json);
	return rc;
}

/* A record stays with the posyandu whose device sent it first (migration
 * step 16): a version of it in another posyandu's import is refused; a
 * quiz bank belongs to none, so any posyandu's device may send one. */
static void test_record_stays_with_its_posyandu(void **state)
{
	struct tu_fixture *f = *state;
	struct sync_bundle_row b = { 0 };
	struct err err = { 0 };
	uint8_t dev1[16], dev2[16], uuid[16], bank[16], vid[16];
	struct sync_ref head;
	bool is_new;

	randombytes_buf(vid, 16);
	randombytes_buf(dev1, 16);
	randombytes_buf(dev2, 16);
	randombytes_buf(uuid, 16);
	randombytes_buf(bank, 16);
	import_person(f, dev1, 1, uuid, 7, NULL, "Novi Wijaya");    /* P-0002's */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM versions WHERE posyandu = 'P-0002'"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM heads WHERE posyandu = 'P-0002'"), 1);
	head.lamport = 7;
	memcpy(head.device, dev1, 16);
	assert_int_equal(import_as(f, "P-0001", dev2, uuid, REC_PERSON, 8, &head, NULL, &is_new,
					   &err), -1);
	assert_non_null(strstr(err.detail, "belongs to another posyandu"));
	sync_import_abort(f->s);
	/* its own posyandu's next version goes in */
	assert_int_equal(import_as(f, "P-0002", dev1, uuid, REC_PERSON, 8, &head, vid, &is_new,
				   &err), 0);
	assert_true(is_new);
	b.hash[0] = 1;
	memcpy(b.sender, dev1, 16);
	b.seq = 2;
	b.kind = 1;
	b.n_new = 1;
	b.max_lamport = 8;
	assert_int_equal(sync_import_finish(f->s, &b, &err), 0);
	/* the same version again, in another posyandu's import (a record of
	 * two posyandu before schema 16, say): a duplicate, as before */
	assert_int_equal(import_as(f, "P-0001", dev1, uuid, REC_PERSON, 8, &head, vid, &is_new,
				   &err), 0);
	assert_false(is_new);
	sync_import_abort(f->s);
	/* a quiz bank from P-0001, then edited by P-0002's device: no code */
	assert_int_equal(import_as(f, "P-0001", dev2, bank, REC_QUIZ_BANK, 9, NULL, NULL, &is_new,
				   &err), 0);
	memset(&b, 0, sizeof b);
	randombytes_buf(b.hash, sizeof b.hash);
	memcpy(b.sender, dev2, 16);
	b.seq = 1;
	b.kind = 1;
	b.n_new = 1;
	b.max_lamport = 9;
	assert_int_equal(sync_import_finish(f->s, &b, &err), 0);
	head.lamport = 9;
	memcpy(head.device, dev2, 16);
	assert_int_equal(import_as(f, "P-0002", dev1, bank, REC_QUIZ_BANK, 10, &head, NULL, &is_new,
				   &err), 0);
	sync_import_abort(f->s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM heads WHERE kind = 4 AND posyandu = ''"), 1);
	verify_ok(f);
}

/* The version SEQ sealed again in place with "ZZ" in its name: same seq,
 * vid and clear columns, so counts and heads do not change. */
static void replace_in_place(struct tu_fixture *f, int64_t seq)
{
	struct err err = { 0 };
	struct rec_meta m;
	struct dbq *st;
	char sql[512], *plain, *p;
	size_t len;

	snprintf(sql, sizeof sql, "SELECT " VCOLS " FROM versions v WHERE seq = %lld", (long long)seq);
	assert_int_equal(db_prepare(f->s->db, sql, &st, &err), 0);
	assert_int_equal(dbq_step(st), SQLITE_ROW);
	plain = record_open_row(f->s, st, &m, &len, &err);
	db_done(st);
	assert_non_null(plain);
	assert_non_null(p = strstr(plain, "\"name\":\""));
	p[8] = p[9] = 'Z';
	snprintf(sql, sizeof sql, "PRAGMA foreign_keys = OFF; DELETE FROM versions WHERE seq = %lld",
		 (long long)seq);
	assert_int_equal(sqlite3_exec(db_lite(f->s->db), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(record_insert(f->s, &m, "", plain, len, false, &err), 1);
	codec_free(plain);
	snprintf(sql, sizeof sql, "UPDATE versions SET seq = %lld WHERE seq = %lld; "
		 "PRAGMA foreign_keys = ON", (long long)seq,
		 (long long)sqlite3_last_insert_rowid(db_lite(f->s->db)));
	assert_int_equal(sqlite3_exec(db_lite(f->s->db), sql, NULL, NULL, NULL), SQLITE_OK);
}

/* A version added outside the app (as another device's, the head pointed
 * at it) and then an ordinary entry: the entry does not count it. */
static void test_extra_version_absorbed_is_seen(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	struct rec_meta m;
	struct draft d;
	struct dbq *st;
	char *plain;
	size_t len;

	store_draft_new(&d);
	put_person(f, &d, "Novi Wijaya");
	verify_ok(f);
	assert_int_equal(db_prepare(f->s->db, "SELECT " VCOLS " FROM versions v "
				    "ORDER BY seq DESC LIMIT 1", &st, &err), 0);
	assert_int_equal(dbq_step(st), SQLITE_ROW);
	plain = record_open_row(f->s, st, &m, &len, &err);
	db_done(st);
	assert_non_null(plain);
	m.prev_lamport = m.lamport;
	memcpy(m.prev_device, m.device, 16);
	m.lamport++;
	randombytes_buf(m.device, 16);
	randombytes_buf(m.vid, 16);
	assert_int_equal(record_insert(f->s, &m, "", plain, len, false, &err), 1);
	codec_free(plain);
	assert_int_equal(sqlite3_exec(db_lite(f->s->db), "UPDATE heads SET (lamport, device, seq) = "
				      "(SELECT lamport, device, seq FROM versions ORDER BY seq DESC "
				      "LIMIT 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_begin(f->s->db, &err), 0);
	assert_int_equal(audit_append(f->s, AUDIT_LOGIN, f->s->user.uuid, NULL, &err), 0);
	assert_int_equal(db_commit(f->s->db, &err), 0);
	/* the next unlock (with its own entries) warns, and again after it */
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), STORE_WARN_RECORDS);
	assert_int_equal(login(f, TU_ADMIN, TU_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), STORE_WARN_RECORDS);
	verify_fails(f);
}

/* The heads check (storage/integrity.c heads_check: heads and versions
 * matched in one pass over each, in uuid order), case by case on the real
 * file: each tamper in a savepoint, undone before the next. */
static const char *heads_tampered(struct tu_fixture *f, const char *sql, char *detail,
				  size_t size)
{
	sqlite3 *db = db_lite(f->s->db);
	struct err err = { 0 };
	int rc;

	detail[0] = '\0';
	/* as an attacker's connection would: the foreign keys not enforced
	 * (deferred to a commit that never comes) */
	assert_int_equal(sqlite3_exec(db, "SAVEPOINT t; PRAGMA defer_foreign_keys = ON", NULL, NULL,
				      NULL), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("SQL failed: %s: %s", sql, sqlite3_errmsg(db));
	/* the one pass over versions_cur, then (the index dropped, as an
	 * attacker might) the SQL over the rows: the same answer */
	assert_true(store_versions_cur(f->s));
	rc = integrity_records(f->s, -1, -1, detail, size, &err);
	assert_true(rc >= 0);
	{
		char again[128];
		int rc2;
		assert_int_equal(sqlite3_exec(db, "DROP INDEX versions_cur", NULL, NULL, NULL),
				 SQLITE_OK);
		assert_false(store_versions_cur(f->s));
		rc2 = integrity_records(f->s, -1, -1, again, sizeof again, &err);
		assert_int_equal(rc2, rc);
		if (rc)
			assert_string_equal(again, detail);
	}
	assert_int_equal(sqlite3_exec(db, "ROLLBACK TO t; RELEASE t", NULL, NULL, NULL), SQLITE_OK);
	return rc ? detail : NULL;
}

/* heads_tampered, and what the check says names WHAT. */
static void tampered_says(struct tu_fixture *f, const char *sql, const char *what)
{
	char d[128];
	const char *w = heads_tampered(f, sql, d, sizeof d);

	if (!w || !strstr(w, what))
		fail_msg("%s: \"%s\", wanted \"%s\"", sql, w ? w : "(nothing)", what);
}

static void test_heads_check_cases(void **state)
{
	struct tu_fixture *f = *state;
	struct draft a, b, c;
	char d[128];
	const char *w;

	store_draft_new(&a);
	store_draft_new(&b);
	store_draft_new(&c);
	put_person(f, &a, "Ani Lestari");
	put_person(f, &b, "Budi Santoso");
	{
		struct draft e;
		struct err err = { 0 };
		assert_int_equal(store_draft_edit(f->s, &e, b.uuid, &err), 0);
		put_person(f, &e, "Budi Santoso Putra");   /* a second version of Budi */
	}
	put_person(f, &c, "Citra Dewi");
	assert_int_equal(raw_int(f, "SELECT count(*) FROM versions"), 4);
	assert_null(heads_tampered(f, "SELECT 1", d, sizeof d));
	/* a head rolled back to the record's older version */
	w = heads_tampered(f, "UPDATE heads SET (lamport, device, seq) = (SELECT lamport, device, seq "
			   "FROM versions v WHERE v.uuid = heads.uuid ORDER BY lamport LIMIT 1) "
			   "WHERE uuid = (SELECT uuid FROM versions GROUP BY uuid HAVING count(*) = 2)",
			   d, sizeof d);
	assert_non_null(w);
	assert_non_null(strstr(w, "rolled back"));
	/* deleted in the head only: the record hidden, or raised again */
	assert_non_null(heads_tampered(f, "UPDATE heads SET deleted = 1 WHERE uuid = (SELECT "
				       "min(uuid) FROM heads)", d, sizeof d));
	assert_non_null(heads_tampered(f, "UPDATE heads SET deleted = 1", d, sizeof d));
	/* a head that differs from its version in one column only */
	assert_non_null(heads_tampered(f, "UPDATE heads SET device = zeroblob(16) WHERE uuid = "
				       "(SELECT min(uuid) FROM heads)", d, sizeof d));
	assert_non_null(heads_tampered(f, "UPDATE heads SET lamport = lamport + 1 WHERE uuid = "
				       "(SELECT min(uuid) FROM heads)", d, sizeof d));
	assert_non_null(heads_tampered(f, "UPDATE heads SET deleted = 2 WHERE uuid = "
				       "(SELECT min(uuid) FROM heads)", d, sizeof d));
	assert_non_null(heads_tampered(f, "UPDATE heads SET device = x'00' WHERE uuid = "
				       "(SELECT min(uuid) FROM heads)", d, sizeof d));
	/* a head whose id is a byte short of its record's: no head for it */
	w = heads_tampered(f, "UPDATE heads SET uuid = substr(uuid, 1, 15) WHERE uuid = "
			   "(SELECT max(uuid) FROM heads)", d, sizeof d);
	assert_non_null(w);
	/* a head whose id is text, not a blob (the table rebuilt without
	 * STRICT): SQLite sorts it before every blob; the pass must too */
	assert_non_null(heads_tampered(f, "PRAGMA writable_schema = OFF; CREATE TABLE h2 AS SELECT * "
				       "FROM heads; DROP TABLE heads; CREATE TABLE heads(uuid, posyandu, "
				       "kind, lamport, device, seq, deleted, PRIMARY KEY(uuid, "
				       "posyandu)) WITHOUT ROWID; INSERT INTO "
				       "heads SELECT * FROM h2; UPDATE heads SET uuid = CAST(uuid AS TEXT) "
				       "WHERE uuid = (SELECT max(uuid) FROM heads)", d, sizeof d));
	/* a head naming a change number of no such version */
	assert_non_null(heads_tampered(f, "UPDATE heads SET seq = seq + 1000", d, sizeof d));
	/* a head of no record, before all and after all others (the scan's two ends) */
	assert_non_null(heads_tampered(f, "INSERT INTO heads(uuid, posyandu, kind, lamport, device, "
				       "seq, deleted) SELECT zeroblob(16), '', kind, lamport, device, seq, 0 "
				       "FROM heads LIMIT 1", d, sizeof d));
	assert_non_null(heads_tampered(f, "INSERT INTO heads(uuid, posyandu, kind, lamport, device, "
				       "seq, deleted) SELECT x'ffffffffffffffffffffffffffffffff', '', kind, "
				       "lamport, device, seq, 0 FROM heads LIMIT 1", d, sizeof d));
	/* the posyandu code (migration step 16): one per record, in its
	 * versions and its head; none for a quiz bank; one head per record */
	tampered_says(f, "UPDATE versions SET posyandu = 'P-0009' WHERE seq = "
		      "(SELECT max(seq) FROM versions)", "posyandu codes");
	tampered_says(f, "UPDATE versions SET posyandu = 'P-0009' WHERE seq = "
		      "(SELECT min(seq) FROM versions WHERE uuid = (SELECT uuid FROM versions "
		      "GROUP BY uuid HAVING count(*) = 2))", "posyandu codes");
	tampered_says(f, "UPDATE heads SET posyandu = 'P-0009' WHERE uuid = "
		      "(SELECT max(uuid) FROM heads)", "posyandu codes");
	tampered_says(f, "UPDATE versions SET posyandu = 'P-0009' WHERE uuid = (SELECT "
		      "min(uuid) FROM heads); UPDATE heads SET posyandu = 'P-0009', kind = 4 "
		      "WHERE uuid = (SELECT min(uuid) FROM heads)", "posyandu codes");
	/* a record moved whole to another code is not seen: the code is
	 * derived, and no report reads it (SECURITY.md, threat model) */
	assert_null(heads_tampered(f, "UPDATE versions SET posyandu = 'P-0009' WHERE uuid = (SELECT "
				   "min(uuid) FROM heads); UPDATE heads SET posyandu = 'P-0009' "
				   "WHERE uuid = (SELECT min(uuid) FROM heads)", d, sizeof d));
	/* codes SQL tells apart and a C string would not: longer than any
	 * code, or with a NUL in it */
	tampered_says(f, "UPDATE versions SET posyandu = 'AAAAAAAAAAAAAAAAA' WHERE seq = "
		      "(SELECT min(seq) FROM versions WHERE uuid = (SELECT uuid FROM versions "
		      "GROUP BY uuid HAVING count(*) = 2)); UPDATE versions SET posyandu = "
		      "'BBBBBBBBBBBBBBBBB' WHERE seq = (SELECT max(seq) FROM versions WHERE uuid = "
		      "(SELECT uuid FROM versions GROUP BY uuid HAVING count(*) = 2)); UPDATE heads "
		      "SET posyandu = 'BBBBBBBBBBBBBBBBB' WHERE uuid = (SELECT uuid FROM versions "
		      "GROUP BY uuid HAVING count(*) = 2)", "posyandu codes");
	tampered_says(f, "UPDATE versions SET posyandu = CAST(x'00' AS TEXT) || 'x' WHERE seq = "
		      "(SELECT max(seq) FROM versions)", "posyandu codes");
	tampered_says(f, "INSERT INTO heads(uuid, posyandu, kind, lamport, device, seq, deleted) "
		      "SELECT uuid, 'P-0009', kind, lamport, device, seq, deleted FROM heads "
		      "WHERE uuid = (SELECT max(uuid) FROM heads)", "rolled back");
	/* a head gone: its record has versions and no head */
	w = heads_tampered(f, "DELETE FROM heads WHERE uuid = (SELECT max(uuid) FROM heads)", d,
			   sizeof d);
	assert_non_null(w);
	assert_non_null(strstr(w, "lost their current version"));
	w = heads_tampered(f, "DELETE FROM heads WHERE uuid = (SELECT min(uuid) FROM heads)", d,
			   sizeof d);
	assert_non_null(w);
	assert_non_null(strstr(w, "lost their current version"));
	/* nothing left of either: nothing to say */
	assert_null(heads_tampered(f, "DELETE FROM heads; DELETE FROM versions", d, sizeof d));
	assert_null(heads_tampered(f, "SELECT 1", d, sizeof d));
}

/* An imported version sealed again in place: no count or head changes,
 * its import entry's digest does; also after a data-key rotation. */
static void test_imported_version_replaced_is_seen(void **state)
{
	struct tu_fixture *f = *state;
	struct store_rotate_stats rs;
	struct err err = { 0 };
	uint8_t dev[16], uuid[16];
	int64_t seq;

	randombytes_buf(dev, sizeof dev);
	randombytes_buf(uuid, sizeof uuid);
	import_person(f, dev, 1, uuid, 7, NULL, "Novi Wijaya");
	verify_ok(f);
	seq = raw_int(f, "SELECT max(seq) FROM versions");
	replace_in_place(f, seq);
	verify_fails(f);

	/* the same once a rotation re-encrypted it (its hash then maps back) */
	teardown(state);
	assert_int_equal(setup(state), 0);
	f = *state;
	import_person(f, dev, 1, uuid, 7, NULL, "Novi Wijaya");
	if (store_key_rotate(f->s, TU_PIN, strlen(TU_PIN), NULL, NULL, &rs, &err) < 0)
		fail_msg("rotate: %s", err.detail);
	verify_ok(f);
	replace_in_place(f, raw_int(f, "SELECT max(seq) FROM versions"));
	verify_fails(f);
}

/* Imports (with duplicates), a conflict and its review, a batch of saves
 * and a data-key rotation: every entry binds what it added, the store
 * verifies and unlocks without a warning. */
static void test_clean_store_binds_every_version(void **state)
{
	struct tu_fixture *f = *state;
	struct store_rotate_stats rs;
	struct sync_conflict *c;
	struct sync_ref head;
	struct err err = { 0 };
	uint8_t dev[16], uuid[16];
	struct draft d;
	size_t n;

	randombytes_buf(dev, sizeof dev);
	randombytes_buf(uuid, sizeof uuid);
	import_person(f, dev, 1, uuid, 7, NULL, "Novi Wijaya");
	/* a local edit and a device's edit of the same version: a conflict */
	assert_int_equal(store_draft_edit(f->s, &d, uuid, &err), 0);
	put_person(f, &d, "Novi Wijayanti");
	head.lamport = 7;
	memcpy(head.device, dev, 16);
	import_person(f, dev, 2, uuid, 9, &head, "Novi Wijaya Putri");
	assert_int_equal(sync_conflicts(f->s, &c, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sync_conflict_resolve(f->s, uuid, &c[0].head, &err), 0);
	free(c);
	/* a batch, as a register load or the demo makes it */
	assert_int_equal(store_batch_begin(f->s, &err), 0);
	for (int i = 0; i < 3; i++) {
		store_draft_new(&d);
		put_person(f, &d, "Budi Santoso");
	}
	assert_int_equal(store_batch_commit(f->s, &err), 0);
	verify_ok(f);
	if (store_key_rotate(f->s, TU_PIN, strlen(TU_PIN), NULL, NULL, &rs, &err) < 0)
		fail_msg("rotate: %s", err.detail);
	import_person(f, dev, 3, uuid, 20, NULL, "Ani Lestari");
	verify_ok(f);
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	assert_int_equal(store_integrity_warning(f->s), 0);
	verify_ok(f);
	/* the import and review entries bind their versions (vhash without vid) */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE action = 7 AND vid IS NULL "
				 "AND length(vhash) = 32"), 3);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE vhash IS NULL"), 0);
	assert_int_equal(raw_int(f, "SELECT nver FROM audit ORDER BY seq DESC LIMIT 1"),
			 raw_int(f, "SELECT count(*) FROM versions"));
}

/* The district: a device's audit chain only grows from bundle to bundle. */
static void test_anchor_going_back_is_refused(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	uint8_t dev[16], head[32] = { 1 };

	randombytes_buf(dev, sizeof dev);
	assert_int_equal(sync_import_anchor(f->s, dev, 1, 10, head, &err), 0);
	assert_int_equal(sync_import_anchor(f->s, dev, 1, 10, head, &err), 0);   /* sent again */
	assert_int_equal(sync_import_anchor(f->s, dev, 2, 14, head, &err), 0);
	assert_int_equal(sync_import_anchor(f->s, dev, 3, 12, head, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_string_equal(err.field, "bundle-anchor");
}

/* ---- the district's check (issue 13.3) ---- */

struct feed {
	struct store *s;
	const uint8_t *dev, *ed;
	size_t n;
	struct audit_wire tamper;      /* an entry to change, by seq */
	int fails;
	struct err *err;
};

static int feed_cert(void *ctx, const struct cert_wire *c, struct err *err)
{
	struct feed *x = ctx;
	assert_true(cert_wire_verify(c, x->ed));
	return sync_import_cert(x->s, x->dev, x->ed, c, err);
}

static int feed_entry(void *ctx, const struct audit_wire *e, struct err *err)
{
	struct feed *x = ctx;
	struct audit_wire w = *e;
	x->n++;
	if (x->tamper.seq == w.seq)
		memcpy(w.vid, x->tamper.vid, 16);
	return sync_import_audit(x->s, x->dev, &w, err);
}

/* Feed the store's own certificates and log to its district check as if it
 * were the district of itself (the device id names its own versions). */
static int district_check(struct tu_fixture *f, const struct audit_wire *tamper, struct err *err)
{
	uint8_t ed[32], x[32], head[32];
	uint64_t seq;
	bool unchecked;
	struct feed fd = { f->s, store_device_id(f->s), ed, 0, { 0 }, 0, err };

	if (tamper)
		fd.tamper = *tamper;
	assert_int_equal(store_device_pubkeys(f->s, ed, x, err), 0);
	assert_int_equal(sync_import_begin(f->s, NULL, err), 0);
	if (cert_wire_each(f->s, feed_cert, &fd, err) < 0 ||
	    audit_wire_each(f->s, 1, feed_entry, &fd, err) < 0 ||
	    audit_head(f->s, &seq, head, err) < 0 ||
	    sync_import_audit_end(f->s, store_device_id(f->s), seq, head, fd.n, &unchecked, err) < 0) {
		sync_import_abort(f->s);
		return -1;
	}
	assert_false(unchecked);
	sync_import_abort(f->s);   /* nothing kept: each call starts afresh */
	return 0;
}

static void test_district_checks_entries_without_data_key(void **state)
{
	struct tu_fixture *f = *state;
	struct person p = { 0 };
	struct draft d;
	struct err err = { 0 };
	struct audit_wire t = { 0 };

	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Budi Santoso");
	p.sex = 'L';
	p.dob = p.registered = DATE_NONE;
	store_draft_new(&d);
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(login(f, "kader1", KADER_PIN, NULL), 0);
	snprintf(p.name, sizeof p.name, "Budi Santosa");
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(district_check(f, NULL, &err), 0);

	/* the vid of a save changed in the file: the signature no longer
	 * holds, though the district has no K_data */
	t.seq = (uint64_t)raw_int(f, "SELECT max(seq) FROM audit WHERE vid IS NOT NULL");
	memcpy(t.vid, "0123456789abcdef", 16);
	assert_int_equal(district_check(f, &t, &err), -1);
	assert_string_equal(err.field, "bundle-audit");
	assert_non_null(strstr(err.detail, "is not signed by its author's key"));

	/* the newest version deleted in the file: its save names what is gone */
	raw(f, "DELETE FROM versions WHERE seq = (SELECT max(seq) FROM versions)");
	assert_int_equal(district_check(f, NULL, &err), -1);
	assert_string_equal(err.field, "bundle-audit");
	assert_non_null(strstr(err.detail, "which the bundle lacks: deleted on the device"));
}

/* The district's chain state: a cut, a rewritten join, a downgrade. */
static void test_district_chain_state(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	struct audit_wire e = { 0 };
	uint8_t dev[16], head[32] = { 0 };
	bool unchecked;

	randombytes_buf(dev, sizeof dev);
	/* an old device: no audit frames, accepted and flagged */
	assert_int_equal(sync_import_audit_end(f->s, dev, 5, head, 0, &unchecked, &err), 0);
	assert_true(unchecked);
	/* unsigned entries (a store older than issue 13) chain from zero */
	e.seq = 1;
	memset(e.h, 7, 32);
	assert_int_equal(sync_import_audit(f->s, dev, &e, &err), 0);
	e.seq = 3;
	assert_int_equal(sync_import_audit(f->s, dev, &e, &err), -1);
	assert_non_null(strstr(err.detail, "audit entries 2 to 2 are missing"));
	e.seq = 1;
	memset(e.h, 8, 32);
	assert_int_equal(sync_import_audit(f->s, dev, &e, &err), -1);
	assert_non_null(strstr(err.detail, "not the one an earlier bundle ended with"));
	/* once entries came, a bundle without them (a downgrade) is flagged */
	assert_int_equal(sync_import_audit_end(f->s, dev, 1, head, 0, &unchecked, &err), 0);
	assert_true(unchecked);
	/* a device the district never verified, entries from the middle: flagged */
	randombytes_buf(dev, sizeof dev);
	e.seq = 9;
	assert_int_equal(sync_import_audit(f->s, dev, &e, &err), 0);
	assert_int_equal(sync_import_audit_end(f->s, dev, 9, e.h, 1, &unchecked, &err), 0);
	assert_true(unchecked);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_users_are_certified_and_entries_signed),
		T(test_edited_certificate_is_refused),
		T(test_replaced_device_key_is_refused),
		T(test_signature_is_checked),
		T(test_rolled_back_state_warns),
		T(test_heads_check_cases),
		T(test_record_stays_with_its_posyandu),
		T(test_reset_is_a_new_generation),
		T(test_save_binds_its_version),
		T(test_extra_version_absorbed_is_seen),
		T(test_imported_version_replaced_is_seen),
		T(test_clean_store_binds_every_version),
		T(test_anchor_going_back_is_refused),
		T(test_district_checks_entries_without_data_key),
		T(test_district_chain_state),
	};
#undef T
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
