/* tests/unit/test_devkey.c: replacing the device key pair (storage/devkey.c,
 * issue 13.10, SECURITY.md §2.9): the switch makes the new pair the device
 * key and re-signs the certificates the old key signed (not a row SQL
 * wrote) and the quiz keys; another user's slot follows the signed link at her login and
 * pins the new key (the link is not needed afterwards); a link not signed
 * by the pinned key is refused; a wrong or missing pending pair changes
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "storage/audit.h"
#include "storage/devkey.h"
#include "storage/internal.h"
#include "storage/quiz_internal.h"
#include "storage/sync_store.h"
#include "tests/helpers/testutil.h"

#define KADER_PIN "582941"

static int setup(void **state)
{
	struct err err = { 0 };
	struct tu_fixture *f = tu_fixture_new("sri", KADER_PIN, &err);

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

static void test_switch_and_follow(void **state)
{
	struct tu_fixture *f = *state;
	struct store_devkey_stats st;
	struct err err = { 0 };
	uint8_t ed[32], x[32], ed2[32], x2[32], old[32];
	struct store *k;
	sqlite3 *raw;
	size_t entries;
	uint64_t bad;

	uint8_t peer[16], peer_pk[32], pks[QUIZ_MAX_RECIPIENTS][32];
	size_t n;

	/* a quiz peer (another device of the posyandu), signed by the old key */
	randombytes_buf(peer, sizeof peer);
	randombytes_buf(peer_pk, sizeof peer_pk);
	assert_int_equal(quizstore_peer_add(f->s, peer, peer_pk, &err), 0);
	assert_int_equal(quiz_recipients(f->s, pks, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_device_pubkeys(f->s, old, x2, &err), 0);
	assert_int_equal(store_devkey_next(f->s, true, ed, x, &err), 0);
	/* still the old key until the switch */
	assert_int_equal(store_device_pubkeys(f->s, ed2, x2, &err), 0);
	assert_memory_equal(ed2, old, 32);
	assert_int_equal(store_devkey_next(f->s, false, ed2, x2, &err), 0);
	assert_memory_equal(ed2, ed, 32);
	assert_int_equal(store_devkey_switch(f->s, ed, x, TU_PIN, strlen(TU_PIN), &st, &err), 0);
	assert_int_equal(st.certs, 2);               /* the admin's and sri's */
	assert_int_equal(st.users, 1);
	assert_int_equal(store_device_pubkeys(f->s, ed2, x2, &err), 0);
	assert_memory_equal(ed2, ed, 32);
	assert_memory_equal(x2, x, 32);
	assert_memory_equal(f->s->keys->pinned, ed, 32);
	assert_int_equal(store_devkey_next(f->s, false, ed2, x2, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	/* the quiz box key and the peer, signed again by the new key */
	assert_int_equal(quiz_recipients(f->s, pks, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(pks[1], peer_pk, 32);
	store_close(f->s);
	f->s = NULL;

	/* sri's slot pins the old key: the link moves her */
	assert_non_null(k = tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_memory_equal(k->keys->pinned, ed, 32);
	store_close(k);
	/* ... and her slot pins the new one now: no link needed */
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(raw, "DELETE FROM device_key_links"), 0);
	tu_raw_close(raw);
	assert_non_null(k = tu_store_login(f->dir, "sri", KADER_PIN, &err));
	store_close(k);
	assert_non_null(f->s = tu_store_login(f->dir, TU_ADMIN, TU_PIN, &err));
	assert_memory_equal(f->s->keys->pinned, ed, 32);
	assert_int_equal(store_audit_verify(f->s, &entries, &bad, &err), 0);
	assert_int_equal(bad, 0);
}

static void test_sql_cert_not_laundered(void **state)
{
	struct tu_fixture *f = *state;
	struct store_devkey_stats st;
	struct err err = { 0 };
	uint8_t ed[32], x[32];
	sqlite3 *raw;

	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(raw, "INSERT INTO user_certs(uuid, gen, role, audit_pk, box_pk, "
				     "sig) SELECT uuid, gen + 7, role, audit_pk, box_pk, zeroblob(64) "
				     "FROM user_certs WHERE uuid = (SELECT uuid FROM users WHERE "
				     "label = 'sri')"), 0);
	tu_raw_close(raw);
	assert_int_equal(store_devkey_next(f->s, true, ed, x, &err), 0);
	assert_int_equal(store_devkey_switch(f->s, ed, x, TU_PIN, strlen(TU_PIN), &st, &err), 0);
	assert_int_equal(st.certs, 2);
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_int(raw, "SELECT count(*) FROM user_certs WHERE sig = zeroblob(64)"), 1);
	tu_raw_close(raw);
}

static void test_wrong_or_missing_pair(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	uint8_t ed[32], x[32], old[32], ox[32];
	sqlite3 *raw;

	assert_int_equal(store_device_pubkeys(f->s, old, ox, &err), 0);
	assert_int_equal(store_devkey_switch(f->s, old, ox, TU_PIN, strlen(TU_PIN), NULL, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_int_equal(store_devkey_next(f->s, true, ed, x, &err), 0);
	ed[0] ^= 1;
	assert_int_equal(store_devkey_switch(f->s, ed, x, TU_PIN, strlen(TU_PIN), NULL, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	ed[0] ^= 1;
	/* a wrong PIN: nothing either */
	assert_int_equal(store_devkey_switch(f->s, ed, x, "000001", 6, NULL, &err), -1);
	assert_int_equal(store_device_pubkeys(f->s, ed, x, &err), 0);
	assert_memory_equal(ed, old, 32);
	assert_memory_equal(f->s->keys->pinned, old, 32);
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_int(raw, "SELECT count(*) FROM device_key_links"), 0);
	tu_raw_close(raw);
}

static void test_forged_link_refused(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	sqlite3 *raw;

	store_close(f->s);
	f->s = NULL;
	/* someone with the file but no device secret: a key of her own, and a
	 * link to it she cannot sign */
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(raw, "INSERT INTO device_key_links(from_pk, to_pk, sig, at) "
				     "VALUES((SELECT value FROM meta WHERE key = 'device.sign_pk'), "
				     "randomblob(32), randomblob(64), 0)"), 0);
	assert_int_equal(tu_raw_exec(raw, "UPDATE meta SET value = (SELECT to_pk FROM "
				     "device_key_links) WHERE key = 'device.sign_pk'"), 0);
	tu_raw_close(raw);
	assert_null(tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_string_equal(err.field, "device-key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_switch_and_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sql_cert_not_laundered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_or_missing_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_link_refused, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
