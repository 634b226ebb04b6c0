/* tests/unit/test_users.c: users, PINs, role keys and the recovery slot
 * (storage/store.c, storage/vault.c), on real stores with real Argon2id.
 *
 * SECURITY.md §2.2: each slot wraps the keys of its role under a key derived
 * from the PIN; the associated data binds the store, the user uuid and the
 * role, so a wrong PIN, a swapped slot, a raised role or a slot from another
 * store all fail to open. §2.13: the wrong-PIN counter is committed before
 * the key derivation, reset only by success, and from 5 failures on the next
 * attempt waits min(30 s × 2^(n−5), 15 min). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "storage/internal.h"
#include "tests/helpers/testutil.h"

#define KADER_PIN "582941"
#define TRAINER_PIN "604817"
#define WRONG_PIN "000001"

struct fixture {
	char *dir;
	struct store *s;         /* logged in as TU_ADMIN */
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

/* An allocated path DIR/NAME inside the fixture's directory, so teardown
 * removes whatever a test puts there even when the test fails. */
static char *subdir(const struct fixture *f, const char *name)
{
	size_t n = strlen(f->dir) + strlen(name) + 2;
	char *path = malloc(n);
	assert_non_null(path);
	tu_path(path, n, f->dir, name);
	return path;
}


static void add_user(struct store *s, const char *label, enum role role, const char *pin)
{
	struct err err = { 0 };
	if (store_user_add(s, label, role, pin, strlen(pin), tu_kdf_fast(), &err) < 0)
		fail_msg("store_user_add %s: %s %s", label, err_code_name(err.code), err.detail);
}

/* A fresh, locked handle on the store (the login screen). */
static void reopen_locked(struct fixture *f)
{
	struct err err = { 0 };
	store_close(f->s);
	if (!(f->s = store_open(f->dir, NULL, &err)))
		fail_msg("store_open: %s", err.detail);
	assert_false(store_unlocked(f->s));
}

static int login(struct store *s, const char *label, const char *pin, struct err *err)
{
	return store_login(s, label, pin, strlen(pin), NULL, err);
}

/* Log in and expect success. */
static void login_ok(struct store *s, const char *label, const char *pin)
{
	struct err err = { 0 };
	if (login(s, label, pin, &err) < 0)
		fail_msg("login %s: %s %s", label, err_code_name(err.code), err.detail);
	assert_true(store_unlocked(s));
	assert_string_equal(store_session(s)->label, label);
}

/* Log in and expect a refusal with CODE (or either of two codes). */
static void login_fails(struct store *s, const char *label, const char *pin, enum err_code code,
			enum err_code or_code)
{
	struct err err = { 0 };
	if (login(s, label, pin, &err) != -1)
		fail_msg("login %s with %s succeeded", label, pin);
	if (err.code != code && err.code != or_code)
		fail_msg("login %s: %s \"%s\", want %s", label, err_code_name(err.code), err.detail,
			 err_code_name(code));
	assert_false(store_unlocked(s));
	assert_null(store_session(s));
}

/* The row of LABEL as store_users shows it. */
static struct store_user user_of(struct store *s, const char *label)
{
	struct store_user *users, u;
	size_t n;
	struct err err = { 0 };
	assert_int_equal(store_users(s, &users, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(users[i].label, label) == 0) {
			u = users[i];
			free(users);
			return u;
		}
	}
	free(users);
	fail_msg("no user %s", label);
	return u;
}

/* The same, read through a second, independent handle on the file. */
static struct store_user user_of_second_handle(const char *dir, const char *label)
{
	struct err err = { 0 };
	struct store *other = store_open(dir, NULL, &err);
	struct store_user u;
	if (!other)
		fail_msg("second store_open: %s", err.detail);
	u = user_of(other, label);
	store_close(other);
	return u;
}

static void raw_exec(struct fixture *f, const char *sql)
{
	sqlite3 *db = tu_raw_open(f->dir);
	assert_non_null(db);
	if (tu_raw_exec(db, "%s", sql) < 0)
		fail_msg("SQL failed: %s", sql);
	tu_raw_close(db);
}

static int64_t raw_int(struct fixture *f, const char *sql)
{
	sqlite3 *db = tu_raw_open(f->dir);
	int64_t v;
	assert_non_null(db);
	v = tu_raw_int(db, "%s", sql);
	tu_raw_close(db);
	return v;
}

/* SECURITY.md §2.13 */
static int64_t spec_delay(int failed)
{
	int64_t d;
	if (failed < 5)
		return 0;
	d = 30;
	for (int i = 5; i < failed && d < 900; i++)
		d *= 2;
	return d < 900 ? d : 900;
}

/* ---- login ---- */

static void test_login_with_the_right_pin(void **state)
{
	struct fixture *f = *state;
	struct store_user admin = user_of(f->s, TU_ADMIN);
	int64_t wait = 99;
	struct err err = { 0 };

	reopen_locked(f);
	assert_null(store_session(f->s));
	assert_int_equal(store_login(f->s, TU_ADMIN, TU_PIN, TU_PIN_LEN, &wait, &err), 0);
	assert_int_equal(wait, 0);
	assert_true(store_unlocked(f->s));
	assert_string_equal(store_session(f->s)->label, TU_ADMIN);
	assert_int_equal(store_session(f->s)->role, ROLE_ADMIN);
	assert_memory_equal(store_session(f->s)->uuid, admin.uuid, UUID_LEN);
	assert_int_equal(user_of(f->s, TU_ADMIN).failed, 0);

	store_lock(f->s);
	assert_false(store_unlocked(f->s));
	assert_null(store_session(f->s));
}

static void test_wrong_pin_is_counted_and_committed(void **state)
{
	struct fixture *f = *state;

	reopen_locked(f);
	login_fails(f->s, TU_ADMIN, WRONG_PIN, ERR_AUTH, ERR_AUTH);
	/* committed: a second handle on the file sees it at once */
	assert_int_equal(user_of_second_handle(f->dir, TU_ADMIN).failed, 1);
	assert_int_equal(user_of(f->s, TU_ADMIN).failed, 1);
	assert_int_equal(raw_int(f, "SELECT failed FROM users WHERE label = 'admin'"), 1);

	login_fails(f->s, TU_ADMIN, "739183", ERR_AUTH, ERR_AUTH);      /* one digit off */
	login_fails(f->s, TU_ADMIN, "73918", ERR_AUTH, ERR_AUTH);       /* a prefix */
	login_fails(f->s, TU_ADMIN, "", ERR_AUTH, ERR_AUTH);
	assert_int_equal(user_of_second_handle(f->dir, TU_ADMIN).failed, 4);
	assert_int_equal(user_of(f->s, TU_ADMIN).wait_s, 0);            /* no delay before 5 */
}

/* The counter is committed before the key derivation: a process killed
 * while it derives the key (kill -9 right after "wrong") still counted the
 * attempt. The slot's stored cost is raised to t = 64, 64 MiB (about 1-2 s
 * here) so the kill surely lands inside the derivation; a counter committed
 * only after it would not be visible while the child still runs. */
static void test_counter_survives_kill_during_derivation(void **state)
{
	struct fixture *f = *state;
	char restore[160];
	sqlite3 *raw;
	pid_t pid;
	int status, i;

	add_user(f->s, "slow", ROLE_KADER, KADER_PIN);
	store_close(f->s);
	f->s = NULL;
	raw_exec(f, "UPDATE users SET opslimit = 64, memlimit = 67108864 WHERE label = 'slow'");

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct err err = { 0 };
		struct store *s = store_open(f->dir, NULL, &err);
		if (!s)
			_exit(2);
		store_login(s, "slow", WRONG_PIN, 6, NULL, &err);
		_exit(3);
	}
	assert_non_null(raw = tu_raw_open(f->dir));
	for (i = 0; i < 20000; i++) {                      /* up to 20 s */
		if (tu_raw_int(raw, "SELECT failed FROM users WHERE label = 'slow'") == 1)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid)
			fail_msg("the login ended (status %d) before the counter was committed", status);
		usleep(1000);
	}
	tu_raw_close(raw);
	assert_true(i < 20000);
	/* the child is still deriving after the counter was committed */
	usleep(50000);
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	assert_int_equal(user_of_second_handle(f->dir, "slow").failed, 1);
	/* the slot's real limits back: the right PIN still opens it */
	snprintf(restore, sizeof restore, "UPDATE users SET opslimit = %llu, memlimit = %llu "
		 "WHERE label = 'slow'", (unsigned long long)tu_kdf_fast()->opslimit,
		 (unsigned long long)tu_kdf_fast()->memlimit);
	raw_exec(f, restore);
	reopen_locked(f);
	login_ok(f->s, "slow", KADER_PIN);
	assert_int_equal(user_of(f->s, "slow").failed, 0);
	assert_int_equal(store_verify(f->s, NULL, NULL), 0);
}

/* After 5 wrong PINs the next attempt waits 30 s, even with the right PIN. */
static void test_five_wrong_pins_then_wait(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	int64_t wait = -1, before, after;

	reopen_locked(f);
	before = (int64_t)time(NULL);
	for (int i = 1; i <= 5; i++) {
		login_fails(f->s, TU_ADMIN, WRONG_PIN, ERR_AUTH, ERR_AUTH);
		assert_int_equal(user_of(f->s, TU_ADMIN).failed, i);
	}
	assert_int_equal(store_login(f->s, TU_ADMIN, TU_PIN, TU_PIN_LEN, &wait, &err), -1);
	after = (int64_t)time(NULL);
	assert_int_equal(err.code, ERR_LOCKED);
	assert_false(store_unlocked(f->s));
	/* 30 s from the 5th failure; a second may have ticked since */
	if (wait > 30 || wait < 30 - (after - before))
		fail_msg("wait_s %lld, want 30 (less the %lld s this test took)", (long long)wait,
			 (long long)(after - before));
	{
		char secs[24];
		snprintf(secs, sizeof secs, "%lld", (long long)wait);
		assert_non_null(strstr(err.detail, secs));      /* the detail says how long */
	}
	/* a refused attempt is not a guess: no derivation, no count */
	assert_int_equal(user_of_second_handle(f->dir, TU_ADMIN).failed, 5);
	assert_true(user_of(f->s, TU_ADMIN).wait_s > 0);

	/* once the wait is over, the right PIN works and resets the counter */
	raw_exec(f, "UPDATE users SET last_failed = last_failed - 31 WHERE label = 'admin'");
	assert_int_equal(user_of(f->s, TU_ADMIN).wait_s, 0);
	login_ok(f->s, TU_ADMIN, TU_PIN);
	assert_int_equal(user_of_second_handle(f->dir, TU_ADMIN).failed, 0);
}

/* min(30 s × 2^(n−5), 15 min) for n ≥ 5, counted from the last failure. */
static void test_delay_doubles_up_to_fifteen_minutes(void **state)
{
	struct fixture *f = *state;
	static const int counts[] = { 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 40, 1000 };

	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		char sql[160];
		int64_t before = (int64_t)time(NULL), after, want = spec_delay(counts[i]), got;
		snprintf(sql, sizeof sql, "UPDATE users SET failed = %d, last_failed = %lld "
			 "WHERE label = 'admin'", counts[i], (long long)before);
		raw_exec(f, sql);
		got = user_of(f->s, TU_ADMIN).wait_s;
		after = (int64_t)time(NULL);
		if (got > want || got < want - (after - before))
			fail_msg("failed = %d: wait_s %lld, want %lld", counts[i], (long long)got,
				 (long long)want);
	}
	/* the wait runs out */
	raw_exec(f, "UPDATE users SET failed = 7, last_failed = strftime('%s', 'now') - 121 "
		    "WHERE label = 'admin'");
	assert_int_equal(user_of(f->s, TU_ADMIN).wait_s, 0);
	raw_exec(f, "UPDATE users SET failed = 7, last_failed = strftime('%s', 'now') - 100 "
		    "WHERE label = 'admin'");
	assert_true(user_of(f->s, TU_ADMIN).wait_s > 0);
	assert_true(user_of(f->s, TU_ADMIN).wait_s <= 20);
}

/* A Pi has no battery clock: a last failure "in the future" (the clock went
 * back) must not lock the user out for longer than the delay itself. */
static void test_clock_going_back_never_extends_the_wait(void **state)
{
	struct fixture *f = *state;
	raw_exec(f, "UPDATE users SET failed = 5, last_failed = strftime('%s', 'now') + 86400 "
		    "WHERE label = 'admin'");
	int64_t w = user_of(f->s, TU_ADMIN).wait_s;
	assert_true(w > 0 && w <= 30);
}

static void test_success_resets_the_counter(void **state)
{
	struct fixture *f = *state;

	reopen_locked(f);
	for (int i = 0; i < 3; i++)
		login_fails(f->s, TU_ADMIN, WRONG_PIN, ERR_AUTH, ERR_AUTH);
	assert_int_equal(user_of_second_handle(f->dir, TU_ADMIN).failed, 3);
	login_ok(f->s, TU_ADMIN, TU_PIN);
	assert_int_equal(user_of(f->s, TU_ADMIN).failed, 0);
	assert_int_equal(user_of_second_handle(f->dir, TU_ADMIN).failed, 0);
	assert_int_equal(store_session(f->s)->failed, 0);
}

static void test_unknown_and_disabled_users(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };

	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	assert_int_equal(store_user_disable(f->s, "kader1", &err), 0);
	assert_true(user_of(f->s, "kader1").disabled);
	assert_false(user_of(f->s, TU_ADMIN).disabled);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM users WHERE label = 'kader1' AND "
				 "wrapped IS NULL"), 1);      /* the slot itself is gone */
	reopen_locked(f);
	login_fails(f->s, "kader1", KADER_PIN, ERR_DISABLED, ERR_DISABLED);
	login_fails(f->s, "nobody", KADER_PIN, ERR_NOTFOUND, ERR_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT sum(failed) FROM users"), 0);
}

/* ---- roles are keys ---- */

/* A kader's slot holds K_data only, a trainer's K_data and K_quiz, an
 * admin's all three keys: 32 bytes each, then (slot v2) her own seed and
 * the pinned device key, 32 bytes each, plus the 16-byte AEAD tag. */
static void test_slot_holds_the_keys_of_its_role(void **state)
{
	struct fixture *f = *state;
	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	add_user(f->s, "trainer1", ROLE_TRAINER, TRAINER_PIN);
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'kader1'"), 112);
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'trainer1'"), 144);
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'admin'"), 176);
	assert_int_equal(raw_int(f, "SELECT role FROM users WHERE label = 'kader1'"), ROLE_KADER);
}

static void test_kader_cannot_manage_users(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	uint8_t pk[32], sk[32];
	struct person p = { 0 }, *people;
	struct draft d;
	size_t n, users_before;
	struct store_user *users;

	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	add_user(f->s, "trainer1", ROLE_TRAINER, TRAINER_PIN);
	assert_int_equal(store_users(f->s, &users, &users_before, &err), 0);
	free(users);
	crypto_box_keypair(pk, sk);

	reopen_locked(f);
	login_ok(f->s, "kader1", KADER_PIN);
	assert_int_equal(store_session(f->s)->role, ROLE_KADER);
	assert_int_equal(store_user_add(f->s, "kader2", ROLE_KADER, "471958", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_user_add(f->s, "boss", ROLE_ADMIN, "471958", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_user_disable(f->s, TU_ADMIN, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_user_passwd(f->s, TU_ADMIN, "471958", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_recovery_seal(f->s, pk, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_users(f->s, &users, &n, &err), 0);
	assert_int_equal(n, users_before);
	free(users);

	/* but the kader does the desk work: K_data is in the slot */
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Budi Santoso");
	p.dob = p.registered = DATE_NONE;
	store_draft_new(&d);
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 1);
	store_free(people);

	/* a trainer is not an admin either */
	reopen_locked(f);
	login_ok(f->s, "trainer1", TRAINER_PIN);
	assert_int_equal(store_user_add(f->s, "kader2", ROLE_KADER, "471958", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_recovery_seal(f->s, pk, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	store_free(people);
}

/* Editing the clear role column never raises (or lowers) what a slot opens. */
static void test_edited_role_fails_login(void **state)
{
	struct fixture *f = *state;
	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	add_user(f->s, "trainer1", ROLE_TRAINER, TRAINER_PIN);
	add_user(f->s, "admin2", ROLE_ADMIN, "715293");

	raw_exec(f, "UPDATE users SET role = 3 WHERE label = 'kader1'");
	raw_exec(f, "UPDATE users SET role = 3 WHERE label = 'trainer1'");
	raw_exec(f, "UPDATE users SET role = 1 WHERE label = 'admin2'");
	reopen_locked(f);
	login_fails(f->s, "kader1", KADER_PIN, ERR_AUTH, ERR_CRYPTO);
	login_fails(f->s, "trainer1", TRAINER_PIN, ERR_AUTH, ERR_CRYPTO);
	login_fails(f->s, "admin2", "715293", ERR_AUTH, ERR_CRYPTO);

	/* padding the kader's slot to an admin's length does not help */
	raw_exec(f, "UPDATE users SET wrapped = CAST(wrapped || randomblob(64) AS BLOB) "
		    "WHERE label = 'kader1'");
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'kader1'"), 176);
	login_fails(f->s, "kader1", KADER_PIN, ERR_AUTH, ERR_CRYPTO);
	/* and the role put back restores nothing of the padded slot */
	raw_exec(f, "UPDATE users SET role = 1, wrapped = substr(wrapped, 1, 112) WHERE label = 'kader1'");
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'kader1'"), 112);
	login_ok(f->s, "kader1", KADER_PIN);
}

/* Slots exchanged between two users: the associated data binds the uuid. */
static void test_swapped_slots_fail_both(void **state)
{
	struct fixture *f = *state;
	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	add_user(f->s, "kader2", ROLE_KADER, "471958");

	raw_exec(f,
		 "CREATE TEMP TABLE t AS SELECT label, opslimit, memlimit, salt, nonce, wrapped FROM users "
		 "WHERE label IN ('kader1', 'kader2');"
		 "UPDATE users SET "
		 " opslimit = (SELECT opslimit FROM t WHERE t.label <> users.label),"
		 " memlimit = (SELECT memlimit FROM t WHERE t.label <> users.label),"
		 " salt = (SELECT salt FROM t WHERE t.label <> users.label),"
		 " nonce = (SELECT nonce FROM t WHERE t.label <> users.label),"
		 " wrapped = (SELECT wrapped FROM t WHERE t.label <> users.label)"
		 " WHERE label IN ('kader1', 'kader2')");
	reopen_locked(f);
	/* neither the slot's own PIN nor the user's PIN opens it */
	login_fails(f->s, "kader1", "471958", ERR_AUTH, ERR_AUTH);
	login_fails(f->s, "kader1", KADER_PIN, ERR_AUTH, ERR_AUTH);
	login_fails(f->s, "kader2", KADER_PIN, ERR_AUTH, ERR_AUTH);
	login_fails(f->s, "kader2", "471958", ERR_AUTH, ERR_AUTH);

	/* only the wrapped blob swapped, salts left in place: the same */
	raw_exec(f, "UPDATE users SET failed = 0");
	raw_exec(f,
		 "CREATE TEMP TABLE t AS SELECT label, wrapped FROM users WHERE label IN ('admin', 'kader1');"
		 "UPDATE users SET wrapped = (SELECT wrapped FROM t WHERE t.label <> users.label)"
		 " WHERE label IN ('admin', 'kader1')");
	login_fails(f->s, TU_ADMIN, TU_PIN, ERR_AUTH, ERR_CRYPTO);
}

/* A slot taken from another store (another store id) does not open here. */
static void test_slot_from_another_store(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	char *other_dir = subdir(f, "other"), other_db[700];
	struct store *other;
	sqlite3 *db;

	assert_non_null(other_dir);
	assert_non_null(other = tu_store_create(other_dir, "intruder", "924613", &err));
	store_close(other);
	store_close(f->s);
	f->s = NULL;
	tu_path(other_db, sizeof other_db, other_dir, "posyandu.db");
	assert_non_null(db = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(db, "ATTACH '%s' AS o; INSERT INTO users SELECT * FROM o.users; "
				     "DETACH o", other_db), 0);
	/* and the other store's admin slot over this store's admin */
	assert_int_equal(tu_raw_exec(db, "ATTACH '%s' AS o; UPDATE users SET (opslimit, memlimit, salt, "
				     "nonce, wrapped) = (SELECT opslimit, memlimit, salt, nonce, wrapped "
				     "FROM o.users) WHERE label = 'admin'; DETACH o", other_db), 0);
	tu_raw_close(db);

	assert_non_null(f->s = store_open(f->dir, NULL, &err));
	login_fails(f->s, "intruder", "924613", ERR_AUTH, ERR_AUTH);
	login_fails(f->s, TU_ADMIN, "924613", ERR_AUTH, ERR_AUTH);
	login_fails(f->s, TU_ADMIN, TU_PIN, ERR_AUTH, ERR_AUTH);
	tu_rmtree(other_dir);
	free(other_dir);
}

/* The store id is part of every slot's associated data. */
static void test_patched_store_id_fails_login(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	f->s = NULL;
	raw_exec(f, "UPDATE meta SET value = randomblob(16) WHERE key = 'store_id'");
	reopen_locked(f);
	login_fails(f->s, TU_ADMIN, TU_PIN, ERR_AUTH, ERR_AUTH);
}

/* KDF limits come from the slot: edited to impossible values, the login is
 * refused without trying to allocate them. */
static void test_impossible_kdf_limits(void **state)
{
	struct fixture *f = *state;
	static const char *const edits[] = {
		"memlimit = 1099511627776",       /* 1 TiB */
		"memlimit = 0",
		"opslimit = 0",
		"opslimit = 1000000000",
		"memlimit = -1",
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE users SET %s WHERE label = 'admin'", edits[i]);
		raw_exec(f, "UPDATE users SET failed = 0");
		store_close(f->s);
		f->s = NULL;
		raw_exec(f, sql);
		reopen_locked(f);
		login_fails(f->s, TU_ADMIN, TU_PIN, ERR_AUTH, ERR_CRYPTO);
		/* put the real limits back */
		snprintf(sql, sizeof sql, "UPDATE users SET opslimit = %llu, memlimit = %llu WHERE label = 'admin'",
			 (unsigned long long)tu_kdf_fast()->opslimit,
			 (unsigned long long)tu_kdf_fast()->memlimit);
		raw_exec(f, sql);
	}
	raw_exec(f, "UPDATE users SET failed = 0");
	login_ok(f->s, TU_ADMIN, TU_PIN);
}

/* ---- changing PINs ---- */

static void test_change_own_pin(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);

	reopen_locked(f);
	login_ok(f->s, "kader1", KADER_PIN);
	assert_int_equal(store_user_passwd(f->s, "kader1", "318274", 6, tu_kdf_fast(), &err), 0);
	reopen_locked(f);
	login_fails(f->s, "kader1", KADER_PIN, ERR_AUTH, ERR_AUTH);
	login_ok(f->s, "kader1", "318274");
	assert_int_equal(store_session(f->s)->role, ROLE_KADER);
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'kader1'"), 112);

	/* the admin too */
	reopen_locked(f);
	login_ok(f->s, TU_ADMIN, TU_PIN);
	assert_int_equal(store_user_passwd(f->s, TU_ADMIN, "kopi susu pagi 7", 16, tu_kdf_fast(), &err), 0);
	reopen_locked(f);
	login_fails(f->s, TU_ADMIN, TU_PIN, ERR_AUTH, ERR_AUTH);
	login_ok(f->s, TU_ADMIN, "kopi susu pagi 7");

	/* a locked store changes nothing */
	store_lock(f->s);
	assert_int_equal(store_user_passwd(f->s, TU_ADMIN, "111222", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
}

/* The same keys under a new PIN: data saved before opens after. */
static void test_new_pin_keeps_the_data(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	struct person p = { 0 }, *people;
	struct draft d;
	size_t n;

	p.kind = PERSON_WOMAN;
	snprintf(p.name, sizeof p.name, "Siti Aminah");
	p.dob = p.registered = DATE_NONE;
	store_draft_new(&d);
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
	assert_int_equal(store_user_passwd(f->s, TU_ADMIN, "318274", 6, tu_kdf_fast(), &err), 0);
	reopen_locked(f);
	login_ok(f->s, TU_ADMIN, "318274");
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(people[0].name, "Siti Aminah");
	store_free(people);
}

static void test_admin_resets_a_pin(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	add_user(f->s, "trainer1", ROLE_TRAINER, TRAINER_PIN);

	/* the kader forgot the PIN and tried until locked out */
	reopen_locked(f);
	for (int i = 0; i < 5; i++)
		login_fails(f->s, "kader1", WRONG_PIN, ERR_AUTH, ERR_AUTH);
	login_fails(f->s, "kader1", KADER_PIN, ERR_LOCKED, ERR_LOCKED);

	login_ok(f->s, TU_ADMIN, TU_PIN);
	assert_int_equal(store_user_passwd(f->s, "kader1", "318274", 6, tu_kdf_fast(), &err), 0);
	assert_int_equal(store_user_passwd(f->s, "trainer1", "927364", 6, tu_kdf_fast(), &err), 0);
	assert_int_equal(store_user_passwd(f->s, "nobody", "927364", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	reopen_locked(f);
	login_fails(f->s, "kader1", KADER_PIN, ERR_AUTH, ERR_AUTH);
	login_ok(f->s, "kader1", "318274");                 /* at once: the reset ends the wait */
	assert_int_equal(store_session(f->s)->role, ROLE_KADER);
	reopen_locked(f);
	login_fails(f->s, "trainer1", TRAINER_PIN, ERR_AUTH, ERR_AUTH);
	login_ok(f->s, "trainer1", "927364");
	assert_int_equal(store_session(f->s)->role, ROLE_TRAINER);
	assert_int_equal(raw_int(f, "SELECT length(wrapped) FROM users WHERE label = 'trainer1'"), 144);
}

/* ---- adding and disabling users ---- */

static void test_duplicate_label(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	struct store_user *users;
	size_t n;

	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	assert_int_equal(store_user_add(f->s, "kader1", ROLE_TRAINER, "471958", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_EXISTS);
	assert_int_equal(store_user_add(f->s, TU_ADMIN, ROLE_ADMIN, "471958", 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_EXISTS);
	assert_int_equal(store_users(f->s, &users, &n, &err), 0);
	assert_int_equal(n, 2);
	free(users);
	assert_int_equal(user_of(f->s, "kader1").role, ROLE_KADER);
	reopen_locked(f);
	login_ok(f->s, "kader1", KADER_PIN);                 /* the first one is untouched */
}

static void test_bad_label_or_role(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	assert_int_equal(store_user_add(f->s, "", ROLE_KADER, KADER_PIN, 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_REQUIRED);
	assert_int_equal(store_user_add(f->s, "a/b", ROLE_KADER, KADER_PIN, 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(store_user_add(f->s, "ok", (enum role)0, KADER_PIN, 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(store_user_add(f->s, "ok", (enum role)4, KADER_PIN, 6, tu_kdf_fast(), &err), -1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM users"), 1);
}

static void test_users_are_listed_by_label(void **state)
{
	struct fixture *f = *state;
	struct store_user *users;
	size_t n;
	struct err err = { 0 };
	const struct kdf_params other = { tu_kdf_fast()->opslimit + 1, tu_kdf_fast()->memlimit * 2 };

	add_user(f->s, "Wati", ROLE_KADER, KADER_PIN);
	add_user(f->s, "Ani", ROLE_TRAINER, TRAINER_PIN);
	assert_int_equal(store_user_add(f->s, "Mira", ROLE_KADER, "471958", 6, &other, &err), 0);
	assert_int_equal(store_users(f->s, &users, &n, &err), 0);
	assert_int_equal(n, 4);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(users[i - 1].label, users[i].label) < 0);
	free(users);
	/* the KDF limits are stored per slot */
	assert_int_equal(user_of(f->s, "Wati").kdf.opslimit, tu_kdf_fast()->opslimit);
	assert_int_equal(user_of(f->s, "Wati").kdf.memlimit, tu_kdf_fast()->memlimit);
	assert_int_equal(user_of(f->s, "Mira").kdf.opslimit, other.opslimit);
	assert_int_equal(user_of(f->s, "Mira").kdf.memlimit, other.memlimit);
	assert_int_equal(user_of(f->s, "Ani").role, ROLE_TRAINER);
	reopen_locked(f);
	login_ok(f->s, "Mira", "471958");
}

static void test_disable_a_user(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };

	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	assert_int_equal(store_user_disable(f->s, "kader1", &err), 0);
	assert_true(user_of(f->s, "kader1").disabled);
	assert_int_equal(store_user_disable(f->s, "nobody", &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	reopen_locked(f);
	login_fails(f->s, "kader1", KADER_PIN, ERR_DISABLED, ERR_DISABLED);
	assert_int_equal(user_of_second_handle(f->dir, "kader1").failed, 0);
}

static void test_last_admin_cannot_be_disabled(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };

	assert_int_equal(store_user_disable(f->s, TU_ADMIN, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_false(user_of(f->s, TU_ADMIN).disabled);

	/* with a second admin, either can go, but not both */
	add_user(f->s, "admin2", ROLE_ADMIN, "715293");
	add_user(f->s, "kader1", ROLE_KADER, KADER_PIN);
	assert_int_equal(store_user_disable(f->s, "admin2", &err), 0);
	assert_int_equal(store_user_disable(f->s, TU_ADMIN, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);

	add_user(f->s, "admin3", ROLE_ADMIN, "826304");
	reopen_locked(f);
	login_ok(f->s, "admin3", "826304");
	assert_int_equal(store_user_disable(f->s, TU_ADMIN, &err), 0);
	assert_int_equal(store_user_disable(f->s, "admin3", &err), -1);   /* itself, the last */
	assert_int_equal(err.code, ERR_DENIED);
	reopen_locked(f);
	login_fails(f->s, TU_ADMIN, TU_PIN, ERR_DISABLED, ERR_DISABLED);
	login_ok(f->s, "admin3", "826304");
}

/* ---- the recovery slot (SECURITY.md §2.2) ---- */

static void test_recovery_slot(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[32], sk[32], pk2[32], sk2[32];
	struct err err = { 0 };

	crypto_box_keypair(pk, sk);
	crypto_box_keypair(pk2, sk2);
	assert_int_equal(store_recovery_check(f->s, pk, sk, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_int_equal(store_recovery_seal(f->s, pk, &err), 0);
	assert_int_equal(store_recovery_check(f->s, pk, sk, &err), 0);
	assert_int_equal(store_recovery_check(f->s, pk2, sk2, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);

	/* still there after a reopen; the keys are not in clear */
	reopen_locked(f);
	login_ok(f->s, TU_ADMIN, TU_PIN);
	assert_int_equal(store_recovery_check(f->s, pk, sk, &err), 0);

	/* sealed again to a new district key: only the new key opens it */
	assert_int_equal(store_recovery_seal(f->s, pk2, &err), 0);
	assert_int_equal(store_recovery_check(f->s, pk2, sk2, &err), 0);
	assert_int_equal(store_recovery_check(f->s, pk, sk, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);

	/* a flipped byte */
	raw_exec(f, "UPDATE recovery SET sealed = CAST((CASE WHEN substr(sealed, 1, 1) = x'00' "
		    "THEN x'01' ELSE x'00' END) || substr(sealed, 2) AS BLOB)");
	assert_int_equal(raw_int(f, "SELECT length(sealed) FROM recovery"), 3 * 32 + 48);
	assert_int_equal(store_recovery_check(f->s, pk2, sk2, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
}

/* The recovery slot of another store opens with the district key but holds
 * other keys: the check says so. */
static void test_recovery_slot_of_another_store(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[32], sk[32];
	struct err err = { 0 };
	char *other_dir = subdir(f, "other"), other_db[700];
	struct store *other;
	sqlite3 *db;

	crypto_box_keypair(pk, sk);
	assert_non_null(other_dir);
	assert_non_null(other = tu_store_create(other_dir, TU_ADMIN, TU_PIN, &err));
	assert_int_equal(store_recovery_seal(other, pk, &err), 0);
	store_close(other);
	assert_int_equal(store_recovery_seal(f->s, pk, &err), 0);

	tu_path(other_db, sizeof other_db, other_dir, "posyandu.db");
	assert_non_null(db = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(db, "ATTACH '%s' AS o; UPDATE main.recovery SET sealed = "
				     "(SELECT sealed FROM o.recovery); DETACH o", other_db), 0);
	tu_raw_close(db);
	assert_int_equal(store_recovery_check(f->s, pk, sk, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	tu_rmtree(other_dir);
	free(other_dir);
}

/* ---- calibration (SECURITY.md §2.3) ---- */

static void test_calibration_stays_within_policy(void **state)
{
	struct kdf_params k;
	double secs = -1;
	(void)state;
	store_kdf_calibrate(&k, &secs);
	/* floor m = 32 MiB, t = 2; the laptop step-up goes to t = 4 and 128 MiB */
	assert_true(k.memlimit >= ((size_t)32 << 20) && k.memlimit <= ((size_t)128 << 20));
	assert_true(k.opslimit >= 2 && k.opslimit <= 4);
	assert_true(secs > 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_login_with_the_right_pin),
		T(test_wrong_pin_is_counted_and_committed),
		T(test_counter_survives_kill_during_derivation),
		T(test_five_wrong_pins_then_wait),
		T(test_delay_doubles_up_to_fifteen_minutes),
		T(test_clock_going_back_never_extends_the_wait),
		T(test_success_resets_the_counter),
		T(test_unknown_and_disabled_users),
		T(test_slot_holds_the_keys_of_its_role),
		T(test_kader_cannot_manage_users),
		T(test_edited_role_fails_login),
		T(test_swapped_slots_fail_both),
		T(test_slot_from_another_store),
		T(test_patched_store_id_fails_login),
		T(test_impossible_kdf_limits),
		T(test_change_own_pin),
		T(test_new_pin_keeps_the_data),
		T(test_admin_resets_a_pin),
		T(test_duplicate_label),
		T(test_bad_label_or_role),
		T(test_users_are_listed_by_label),
		T(test_disable_a_user),
		T(test_last_admin_cannot_be_disabled),
		T(test_recovery_slot),
		T(test_recovery_slot_of_another_store),
		cmocka_unit_test(test_calibration_stays_within_policy),
	};
#undef T
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
