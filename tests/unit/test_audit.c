/* tests/unit/test_audit.c: the hash-chained audit log (storage/audit.c).
 *
 * SECURITY.md §2.12: every action writes one entry in the same transaction;
 * h = keyed BLAKE2b over prev, seq, time, user, action, object and the hash
 * of the sealed detail. store_audit_verify recomputes the chain and names the
 * first entry that was edited, removed or reordered. Cutting the tail is not
 * visible locally (the district's anchor catches it), and a test says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "storage/clock.h"
#include "storage/audit.h"
#include "storage/internal.h"
#include "tests/helpers/testutil.h"

struct fixture {
	char *dir;
	struct store *s;          /* logged in as TU_ADMIN */
	size_t entries;           /* after the actions of make_history() */
	uint8_t person[16];       /* the record saved there */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct err err = { 0 };
	if (!f || !(f->dir = tu_mkdtemp()))
		return -1;
	if (!(f->s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, &err))) {
		print_error("store_create: %s\n", err.detail);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static size_t verify_ok(struct store *s)
{
	size_t n = 0;
	uint64_t bad = 99;
	struct err err = { 0 };
	if (store_audit_verify(s, &n, &bad, &err) < 0)
		fail_msg("audit verify: %s (entry %llu)", err.detail, (unsigned long long)bad);
	assert_int_equal(bad, 0);
	return n;
}

/* The entries, oldest first; free() them. */
static struct audit_entry *list(struct store *s, size_t *n)
{
	struct audit_entry *e;
	struct err err = { 0 };
	if (store_audit_list(s, &e, n, &err) < 0)
		fail_msg("audit list: %s", err.detail);
	return e;
}

static const char *last_action(struct store *s)
{
	size_t n;
	struct audit_entry *e = list(s, &n);
	const char *name;
	assert_true(n > 0);
	name = audit_action_name(e[n - 1].action);
	free(e);
	return name;
}

static void reopen(struct fixture *f, const char *label, const char *pin)
{
	struct err err = { 0 };
	store_close(f->s);
	if (!(f->s = tu_store_login(f->dir, label, pin, &err)))
		fail_msg("login %s: %s", label, err.detail);
}

static void raw_exec(struct fixture *f, const char *sql)
{
	sqlite3 *db = tu_raw_open(f->dir);
	assert_non_null(db);
	if (tu_raw_exec(db, "%s", sql) < 0)
		fail_msg("SQL failed: %s", sql);
	tu_raw_close(db);
}

/* Create, log in again, save and edit a person, add a user: a few entries. */
static void make_history(struct fixture *f)
{
	struct person p = { 0 };
	struct draft d;
	struct err err = { 0 };

	reopen(f, TU_ADMIN, TU_PIN);
	p.kind = PERSON_WOMAN;
	snprintf(p.name, sizeof p.name, "Siti Aminah");
	p.dob = p.registered = DATE_NONE;
	store_draft_new(&d);
	memcpy(f->person, d.uuid, 16);
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(store_draft_edit(f->s, &d, f->person, &err), 0);
	p.rt = 4;
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(store_user_add(f->s, "kader1", ROLE_KADER, "582941", 6, tu_kdf_fast(), &err), 0);
	f->entries = verify_ok(f->s);
	assert_true(f->entries >= 5);           /* init, login, two saves, user-add */
}

/* ---- an intact chain ---- */

/* Each action adds exactly one entry, named after it. */
static void test_each_action_adds_one_entry(void **state)
{
	struct fixture *f = *state;
	struct person p = { 0 };
	struct visit v = { 0 };
	struct draft dp, dv, d;
	struct err err = { 0 };
	uint8_t pk[32], sk[32];
	size_t n = verify_ok(f->s), n0 = n;
	struct audit_entry *e;

	/* store_create wrote its own entries, starting with init */
	assert_true(n >= 1);
	e = list(f->s, &n);
	assert_int_equal(n, n0);
	assert_int_equal(e[0].action, AUDIT_INIT);
	free(e);

#define STEP(call, action) do { \
		assert_int_equal((call), 0); \
		assert_int_equal(verify_ok(f->s), ++n); \
		assert_string_equal(last_action(f->s), audit_action_name(action)); \
	} while (0)

	reopen(f, TU_ADMIN, TU_PIN);
	assert_int_equal(verify_ok(f->s), ++n);
	assert_string_equal(last_action(f->s), audit_action_name(AUDIT_LOGIN));

	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Budi Santoso");
	p.dob = p.registered = DATE_NONE;
	store_draft_new(&dp);
	STEP(store_person_put(f->s, &dp, &p, &err), AUDIT_SAVE);
	memcpy(v.person, dp.uuid, 16);
	v.date = date_from_ymd(2024, 3, 1);
	v.asi_recall = -1;
	store_draft_new(&dv);
	STEP(store_visit_put(f->s, &dv, &v, &err), AUDIT_SAVE);
	assert_int_equal(store_draft_edit(f->s, &d, dp.uuid, &err), 0);
	STEP(store_person_put(f->s, &d, &p, &err), AUDIT_SAVE);
	assert_int_equal(store_draft_edit(f->s, &d, dv.uuid, &err), 0);
	STEP(store_delete(f->s, &d, &err), AUDIT_DELETE);
	STEP(store_user_add(f->s, "kader1", ROLE_KADER, "582941", 6, tu_kdf_fast(), &err), AUDIT_USER_ADD);
	STEP(store_user_passwd(f->s, "kader1", "318274", 6, tu_kdf_fast(), &err), AUDIT_USER_PASSWD);
	STEP(store_user_disable(f->s, "kader1", &err), AUDIT_USER_DISABLE);
	crypto_box_keypair(pk, sk);
	STEP(store_recovery_seal(f->s, pk, &err), AUDIT_KEY);
#undef STEP

	/* a retried save changes nothing, so it is not logged again */
	assert_int_equal(store_person_put(f->s, &dp, &p, &err), 0);
	assert_int_equal(verify_ok(f->s), n);
	/* a refused save writes no entry either (same transaction) */
	assert_int_equal(store_draft_edit(f->s, &d, dp.uuid, &err), 0);
	assert_int_equal(store_visit_put(f->s, &d, &v, &err), -1);     /* a person is not a visit */
	assert_int_equal(verify_ok(f->s), n);
	assert_int_equal(store_user_add(f->s, "kader1", ROLE_KADER, "582941", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(verify_ok(f->s), n);
}

/* A wrong PIN cannot be written when it happens (no key to seal with); the
 * next successful login records it before its own entry. */
static void test_failed_logins_are_recorded(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	struct audit_entry *e;
	size_t n, before = verify_ok(f->s);

	store_close(f->s);
	assert_non_null(f->s = store_open(f->dir, NULL, &err));
	assert_int_equal(store_login(f->s, TU_ADMIN, "000001", 6, NULL, &err), -1);
	assert_int_equal(store_login(f->s, TU_ADMIN, "000002", 6, NULL, &err), -1);
	assert_int_equal(store_login(f->s, TU_ADMIN, TU_PIN, TU_PIN_LEN, NULL, &err), 0);
	e = list(f->s, &n);
	assert_int_equal(n, before + 2);
	assert_int_equal(e[n - 2].action, AUDIT_LOGIN_FAILED);
	assert_non_null(strstr(e[n - 2].detail, "2"));                 /* how many */
	assert_int_equal(e[n - 1].action, AUDIT_LOGIN);
	free(e);
	assert_int_equal(verify_ok(f->s), before + 2);
}

static void test_list_decrypts_every_entry(void **state)
{
	struct fixture *f = *state;
	struct audit_entry *e;
	size_t n;
	int64_t t0 = clock_now() - 60, t1;      /* the store was made in setup */
	const uint8_t *me;
	sqlite3 *db;

	make_history(f);
	t1 = clock_now();
	me = store_session(f->s)->uuid;
	e = list(f->s, &n);
	assert_int_equal(n, f->entries);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(e[i].seq, i + 1);
		assert_true(e[i].time >= t0 && e[i].time <= t1);
		assert_memory_equal(e[i].user, me, 16);               /* one admin did it all */
		assert_string_equal(e[i].user_label, TU_ADMIN);
		assert_string_not_equal(e[i].detail, "(unreadable)");
		assert_string_not_equal(audit_action_name(e[i].action), "?");
	}
	assert_int_equal(e[0].action, AUDIT_INIT);
	assert_non_null(strstr(e[0].detail, TU_CODE));
	/* the two saves name the record, the user-add names the role */
	assert_int_equal(e[n - 3].action, AUDIT_SAVE);
	assert_memory_equal(e[n - 3].object, f->person, 16);
	assert_int_equal(e[n - 2].action, AUDIT_SAVE);
	assert_memory_equal(e[n - 2].object, f->person, 16);
	assert_int_equal(e[n - 1].action, AUDIT_USER_ADD);
	assert_non_null(strstr(e[n - 1].detail, "kader"));
	free(e);

	/* details are sealed at rest */
	assert_non_null(db = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_int(db, "SELECT count(*) FROM audit WHERE instr(detail_ct, "
				    "CAST('kader' AS BLOB)) > 0 OR instr(detail_ct, CAST('person' AS BLOB)) > 0"), 0);
	tu_raw_close(db);
}

/* A detail longer than the entry holds is cut, not lost. */
static void test_long_detail_is_truncated_readably(void **state)
{
	struct fixture *f = *state;
	char text[200];
	struct audit_entry *e;
	struct err err = { 0 };
	size_t n;
	uint8_t obj[16] = { 7 };

	for (size_t len = sizeof e->detail - 2; len <= sizeof e->detail + 20; len++) {
		memset(text, 'a', len);
		text[len] = '\0';
		assert_int_equal(audit_append(f->s, AUDIT_KEY, obj, text, &err), 0);
		e = list(f->s, &n);
		if (strcmp(e[n - 1].detail, "(unreadable)") == 0)
			fail_msg("a %zu-byte detail is listed as unreadable", len);
		assert_int_equal(strlen(e[n - 1].detail), len < sizeof e->detail ? len : sizeof e->detail - 1);
		assert_memory_equal(e[n - 1].detail, text, strlen(e[n - 1].detail));
		free(e);
	}
	verify_ok(f->s);
}

static void test_locked_store(void **state)
{
	struct fixture *f = *state;
	struct audit_entry *e;
	size_t n;
	uint64_t bad;
	struct err err = { 0 };

	store_lock(f->s);
	assert_int_equal(store_audit_verify(f->s, &n, &bad, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_audit_list(f->s, &e, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
}

static void test_action_names(void **state)
{
	(void)state;
	assert_string_equal(audit_action_name(AUDIT_LOGIN), "login");
	assert_string_equal(audit_action_name(AUDIT_SAVE), "save");
	assert_string_equal(audit_action_name(0), "?");
	assert_string_equal(audit_action_name(-1), "?");
	assert_string_equal(audit_action_name(999), "?");
	for (int a = AUDIT_INIT; a <= AUDIT_KEY; a++) {
		assert_string_not_equal(audit_action_name(a), "?");
		for (int b = AUDIT_INIT; b < a; b++)
			assert_string_not_equal(audit_action_name(a), audit_action_name(b));
	}
}

/* ---- tampering ---- */

/* Verify must fail with ERR_CRYPTO and name entry WANT. */
static void assert_verify_names(struct store *s, uint64_t want, const char *what)
{
	size_t n;
	uint64_t bad = 0;
	struct err err = { 0 };
	int rc = store_audit_verify(s, &n, &bad, &err);
	if (rc != -1 || err.code != ERR_CRYPTO || bad != want)
		fail_msg("%s: verify gave %d, %s, entry %llu; want -1, ERR_CRYPTO, entry %llu", what, rc,
			 err_code_name(err.code), (unsigned long long)bad, (unsigned long long)want);
}

struct edit_case {
	const char *what;
	const char *set;
};

static const struct edit_case edits[] = {
	{ "action", "action = 5" },
	{ "time", "time = time - 3600" },
	{ "time by one second", "time = time + 1" },
	{ "object", "object = randomblob(16)" },
	{ "user", "user = randomblob(16)" },
	{ "detail", "detail_ct = randomblob(length(detail_ct))" },
	{ "detail cut", "detail_ct = substr(detail_ct, 1, length(detail_ct) - 1)" },
	{ "stored hash", "h = randomblob(32)" },
	{ "stored prev", "prev = randomblob(32)" },
	/* values that must not collide with the original in the hash input */
	{ "action + 2^32", "action = action + 4294967296" },
	{ "user of 15 bytes", "user = substr(user, 1, 15)" },
	{ "object of 17 bytes", "object = CAST(object || x'00' AS BLOB)" },
};

static void test_edited_entry_is_named(void **state)
{
	struct fixture *f = *state;
	char failures[2048] = "";
	size_t used = 0;

	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		struct err err = { 0 };
		size_t n;
		uint64_t bad = 0, k;
		char sql[200];

		store_close(f->s);
		tu_rmtree(f->dir);
		if (!(f->s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, &err)))
			fail_msg("store_create: %s", err.detail);
		make_history(f);
		k = f->entries / 2;                         /* a middle entry */
		snprintf(sql, sizeof sql, "UPDATE audit SET %s WHERE seq = %llu", edits[i].set,
			 (unsigned long long)k);
		raw_exec(f, sql);
		if (store_audit_verify(f->s, &n, &bad, &err) != -1 || err.code != ERR_CRYPTO || bad != k)
			used += (size_t)snprintf(failures + used, sizeof failures - used,
						 "\n  %s: got %s, entry %llu (want entry %llu)", edits[i].what,
						 err_code_name(err.code), (unsigned long long)bad,
						 (unsigned long long)k);
		assert_true(used < sizeof failures);
	}
	if (used)
		fail_msg("edits not detected:%s", failures);
}

static void test_deleted_entry_is_named(void **state)
{
	struct fixture *f = *state;
	char sql[100];
	uint64_t k;

	make_history(f);
	k = f->entries / 2;
	snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq = %llu", (unsigned long long)k);
	raw_exec(f, sql);
	assert_verify_names(f->s, k, "deleted middle entry");
}

static void test_deleted_first_entry_is_named(void **state)
{
	struct fixture *f = *state;
	make_history(f);
	raw_exec(f, "DELETE FROM audit WHERE seq = 1");
	assert_verify_names(f->s, 1, "deleted first entry");
}

/* Two entries exchange places (their seq swapped). */
static void test_reordered_entries_are_named(void **state)
{
	struct fixture *f = *state;
	char sql[300];
	unsigned long long k;

	make_history(f);
	k = f->entries / 2;
	snprintf(sql, sizeof sql, "UPDATE audit SET seq = -1 WHERE seq = %llu;"
		 "UPDATE audit SET seq = %llu WHERE seq = %llu;"
		 "UPDATE audit SET seq = %llu WHERE seq = -1", k, k, k + 1, k + 1);
	raw_exec(f, sql);
	assert_verify_names(f->s, k, "swapped entries");
}

/* Renumbered to close the gap left by a deletion: still caught. */
static void test_deletion_with_renumbering_is_named(void **state)
{
	struct fixture *f = *state;
	char sql[200];
	unsigned long long k;

	make_history(f);
	k = f->entries / 2;
	snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq = %llu;"
		 "UPDATE audit SET seq = seq - 1 WHERE seq > %llu", k, k);
	raw_exec(f, sql);
	assert_verify_names(f->s, k, "deleted and renumbered");
}

/* An entry appended by hand (without the key) is caught. */
static void test_forged_entry_is_named(void **state)
{
	struct fixture *f = *state;
	char sql[400];

	make_history(f);
	snprintf(sql, sizeof sql, "INSERT INTO audit(seq, time, user, action, object, detail_ct, prev, h) "
		 "SELECT seq + 1, time, user, 4, object, detail_ct, h, randomblob(32) FROM audit "
		 "WHERE seq = %zu", f->entries);
	raw_exec(f, sql);
	assert_verify_names(f->s, f->entries + 1, "forged entry");
}

/* SECURITY.md §2.12: an entry cut from the end leaves no gap in the chain,
 * but its author's signing state is ahead of the log: her next login warns,
 * writes an integrity entry after the gap, and `audit verify` fails from
 * then on. Until that login (or the district's anchor), the cut is unseen. */
static void test_cut_tail_is_seen_at_the_authors_next_login(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	uint64_t bad = 0;
	char sql[100];

	make_history(f);
	/* the last entry (user-add) alone: the rest still verifies here... */
	snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq >= %zu", f->entries);
	raw_exec(f, sql);
	assert_int_equal(verify_ok(f->s), f->entries - 1);
	/* ...until its author logs in: her signing state is ahead of the log */
	reopen(f, TU_ADMIN, TU_PIN);
	assert_int_equal(store_integrity_warning(f->s), STORE_WARN_AUDIT);
	assert_non_null(strstr(store_integrity_detail(f->s), "1 audit entries"));
	assert_string_equal(last_action(f->s), "login");
	assert_int_equal(store_audit_verify(f->s, NULL, &bad, &err), -1);
	assert_int_equal(bad, f->entries);          /* the integrity entry after the gap */
	assert_non_null(strstr(err.detail, "missing entries"));
}

/* A cut that takes a save with it: the versions outnumber the audited ones. */
static void test_cut_save_is_visible_locally(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	uint64_t bad = 0;
	char sql[100];

	make_history(f);
	snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq >= %zu", f->entries - 1);
	raw_exec(f, sql);
	assert_int_equal(store_audit_verify(f->s, NULL, &bad, &err), -1);
	assert_non_null(strstr(err.detail, "records"));
}

/* An edited detail cannot be read (it is sealed to its entry), and moving a
 * detail to another entry does not make it readable there. */
static void test_moved_detail_is_unreadable(void **state)
{
	struct fixture *f = *state;
	struct audit_entry *e;
	size_t n;

	make_history(f);
	raw_exec(f, "UPDATE audit SET detail_ct = (SELECT detail_ct FROM audit WHERE seq = 1) "
		    "WHERE seq = 2");
	e = list(f->s, &n);
	assert_string_equal(e[1].detail, "(unreadable)");
	assert_string_not_equal(e[0].detail, "(unreadable)");
	free(e);
	assert_verify_names(f->s, 2, "moved detail");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_each_action_adds_one_entry),
		T(test_failed_logins_are_recorded),
		T(test_list_decrypts_every_entry),
		T(test_long_detail_is_truncated_readably),
		T(test_locked_store),
		cmocka_unit_test(test_action_names),
		T(test_edited_entry_is_named),
		T(test_deleted_entry_is_named),
		T(test_deleted_first_entry_is_named),
		T(test_reordered_entries_are_named),
		T(test_deletion_with_renumbering_is_named),
		T(test_forged_entry_is_named),
		T(test_cut_tail_is_seen_at_the_authors_next_login),
		T(test_cut_save_is_visible_locally),
		T(test_moved_detail_is_unreadable),
	};
#undef T
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
