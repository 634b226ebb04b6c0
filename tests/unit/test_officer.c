/* tests/unit/test_officer.c: the web interface's sign-in (storage/officer.c)
 * on a real district store: its waits, and what may change while the
 * password is checked without the store (officer_hold). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "storage/internal.h"
#include "storage/officer.h"
#include "tests/unit/test_sync_fixture.h"

#define PW "old password1"
#define FAST 1, 8192 * 1024        /* opslimit, memlimit: the cheapest Argon2id */

/* What the hold does at its second take: after the check, before the
 * session is made (as another process would, between the two). */
enum meanwhile { NOTHING, NEW_PASSWORD, REMOVED_AND_ADDED, ROLE_CHANGED };
struct race {
	struct store *s;
	enum meanwhile what;
	int takes;
};

static void take(void *ctx)
{
	struct race *r = ctx;
	struct err e = { 0 };

	if (++r->takes != 2)
		return;
	switch (r->what) {
	case NOTHING:
		break;
	case NEW_PASSWORD:
		assert_int_equal(officer_passwd(r->s, "siti", "brand new secret", 16, FAST, &e), 0);
		break;
	case REMOVED_AND_ADDED:
		assert_int_equal(officer_remove(r->s, "siti", &e), 0);
		assert_int_equal(officer_add(r->s, "siti", OFFICER_APPROVER, PW, strlen(PW), FAST, &e), 0);
		break;
	case ROLE_CHANGED:            /* the same password, made again as a viewer */
		assert_int_equal(officer_remove(r->s, "siti", &e), 0);
		assert_int_equal(officer_add(r->s, "siti", OFFICER_VIEWER, PW, strlen(PW), FAST, &e), 0);
		break;
	}
}

static void give(void *ctx)
{
	(void)ctx;
}

static int sessions(struct store *s)
{
	struct err e = { 0 };
	int64_t n = -1;
	assert_int_equal(db_int(s->db, "SELECT count(*) FROM officer_sessions", &n, "sessions", DB_NOARGS, &e), 0);
	return (int)n;
}

static void test_checked_hash_must_still_be_hers(void **state)
{
	static const enum meanwhile cases[] = { NOTHING, NEW_PASSWORD, REMOVED_AND_ADDED, ROLE_CHANGED };
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sf_store d;
		struct err e = { 0 };
		struct officer o;
		uint8_t tok[OFFICER_TOKEN_LEN];
		struct race r = { 0 };
		struct officer_hold h = { take, give, &r };
		int rc;

		sf_open(&d, NULL);
		r.s = d.s;
		r.what = cases[i];
		assert_int_equal(officer_add(d.s, "siti", OFFICER_APPROVER, PW, strlen(PW), FAST, &e), 0);
		rc = officer_login(d.s, "siti", PW, strlen(PW), tok, &o, &h, &e);
		assert_int_equal(r.takes, 2);
		if (cases[i] == NOTHING) {
			assert_int_equal(rc, 0);
			assert_int_equal(o.role, OFFICER_APPROVER);
			assert_int_equal(sessions(d.s), 1);
		} else {
			/* a password reset (or a new account under her name)
			 * ends every session: none may be made after it from
			 * a check of the old one */
			assert_int_equal(rc, -1);
			assert_int_equal(e.code, ERR_AUTH);
			assert_int_equal(sessions(d.s), 0);
		}
		sf_close(&d);
	}
}

/* Five wrong passwords, then the right one: refused, in the same words as
 * a wrong one and an unknown name; the count is kept. */
static void test_waits_after_five_wrong(void **state)
{
	struct sf_store d;
	struct err e = { 0 }, e_unknown = { 0 };
	struct officer o, *list;
	uint8_t tok[OFFICER_TOKEN_LEN];
	size_t n;
	(void)state;

	sf_open(&d, NULL);
	assert_int_equal(officer_add(d.s, "siti", OFFICER_APPROVER, PW, strlen(PW), FAST, &e), 0);
	for (int i = 0; i < OFFICER_FREE_TRIES; i++)
		assert_int_equal(officer_login(d.s, "siti", "wrong wrong", 11, tok, &o, NULL, &e), -1);
	assert_int_equal(officer_login(d.s, "siti", PW, strlen(PW), tok, &o, NULL, &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	assert_int_equal(officer_login(d.s, "nobody", PW, strlen(PW), tok, &o, NULL, &e_unknown), -1);
	assert_int_equal(e_unknown.code, ERR_AUTH);
	assert_string_equal(e.detail, e_unknown.detail);
	assert_int_equal(sessions(d.s), 0);
	assert_int_equal(officer_list(d.s, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].failed, OFFICER_FREE_TRIES);   /* tries while waiting do not add */
	free(list);
	sf_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checked_hash_must_still_be_hers),
		cmocka_unit_test(test_waits_after_five_wrong),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
