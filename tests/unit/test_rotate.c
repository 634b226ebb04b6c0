/* tests/unit/test_rotate.c: rotating the device data key (storage/rotate.c,
 * issue 13.10, SECURITY.md §2.9): after a rotation the old K_data opens no
 * version; the admin's session and slot have the new key; another user's
 * pending update is applied at her login (her slot re-wrapped, the row
 * gone); a disabled user gets none; drafts, the recovery slot and the
 * register-import ids follow; the audit log still verifies, and a forged
 * key update is refused. */
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
#include "storage/codec.h"
#include "storage/audit.h"
#include "storage/draft.h"
#include "storage/internal.h"
#include "storage/load_store.h"
#include "tests/helpers/testutil.h"

#define KADER_PIN "582941"
#define GONE_PIN "715302"

static int setup(void **state)
{
	struct err err = { 0 };
	struct tu_fixture *f = tu_fixture_new(NULL, NULL, &err);

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

static void add_person(struct store *s, const char *name)
{
	struct err err = { 0 };
	struct person p = { 0 };
	struct draft d;

	store_draft_new(&d);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "%s", name);
	p.sex = 'L';
	p.dob = p.registered = DATE_NONE;
	assert_int_equal(store_person_put(s, &d, &p, &err), 0);
}

static size_t people(struct store *s)
{
	struct err err = { 0 };
	struct person *v;
	size_t n;

	assert_int_equal(store_people(s, &v, &n, &err), 0);
	store_free(v);
	return n;
}

/* How many versions open with record key REC. */
static int64_t open_with(struct store *s, const uint8_t data[KEY_LEN])
{
	struct keys *mine = s->keys, *k = keys_new();
	struct err err = { 0 };
	struct dbq *st;
	int64_t n = 0;

	assert_non_null(k);
	memcpy(k->data, data, KEY_LEN);
	keys_derive(k);
	s->keys = k;
	assert_int_equal(db_prepare(s->db, "SELECT " VCOLS " FROM versions v", &st, &err), 0);
	while (dbq_step(st) == SQLITE_ROW) {
		struct rec_meta m;
		size_t len;
		char *plain = record_open_row(s, st, &m, &len, &err);
		if (plain) {
			n++;
			codec_free(plain);
		}
	}
	db_done(st);
	s->keys = mine;
	keys_free(k);
	return n;
}

static void rotate(struct store *s, struct store_rotate_stats *st)
{
	struct err err = { 0 };
	if (store_key_rotate(s, TU_PIN, strlen(TU_PIN), NULL, NULL, st, &err) < 0)
		fail_msg("rotate: %s", err.detail);
}

static void test_old_key_opens_nothing(void **state)
{
	struct tu_fixture *f = *state;
	struct store_rotate_stats st;
	uint8_t old[KEY_LEN];
	struct err err = { 0 };
	size_t entries;
	uint64_t bad;

	add_person(f->s, "Budi");
	add_person(f->s, "Sari");
	memcpy(old, f->s->keys->data, KEY_LEN);
	assert_int_equal(open_with(f->s, old), 2);
	rotate(f->s, &st);
	assert_int_equal(st.epoch, 2);
	assert_int_equal(st.versions, 2);
	assert_int_equal(f->s->keys->epoch, 2);
	assert_memory_not_equal(f->s->keys->data, old, KEY_LEN);
	add_person(f->s, "Tono");
	assert_int_equal(open_with(f->s, old), 0);
	assert_int_equal(open_with(f->s, f->s->keys->data), 3);
	assert_int_equal(people(f->s), 3);
	assert_int_equal(store_audit_verify(f->s, &entries, &bad, &err), 0);

	/* the admin's own slot holds the new key at once */
	store_close(f->s);
	assert_non_null(f->s = tu_store_login(f->dir, TU_ADMIN, TU_PIN, &err));
	assert_int_equal(f->s->keys->epoch, 2);
	assert_int_equal(people(f->s), 3);
	assert_int_equal(store_audit_verify(f->s, &entries, &bad, &err), 0);
}

static void test_update_applied_at_login(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	struct store_rotate_stats st;
	uint8_t newkey[KEY_LEN];
	struct store *k;
	sqlite3 *raw;
	size_t entries;
	uint64_t bad;

	assert_int_equal(store_user_add(f->s, "sri", ROLE_KADER, KADER_PIN, strlen(KADER_PIN),
					tu_kdf_fast(), &err), 0);
	assert_int_equal(store_user_add(f->s, "eka", ROLE_KADER, GONE_PIN, strlen(GONE_PIN),
					tu_kdf_fast(), &err), 0);
	add_person(f->s, "Budi");
	assert_int_equal(store_user_disable(f->s, "eka", &err), 0);
	rotate(f->s, &st);
	assert_int_equal(st.updates, 1);             /* sri; not eka, not the admin */
	assert_int_equal(st.skipped, 0);
	memcpy(newkey, f->s->keys->data, KEY_LEN);
	store_close(f->s);
	f->s = NULL;

	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_int(raw, "SELECT count(*) FROM key_updates"), 1);
	tu_raw_close(raw);
	assert_non_null(k = tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_memory_equal(k->keys->data, newkey, KEY_LEN);
	assert_int_equal(k->keys->epoch, 2);
	assert_int_equal(people(k), 1);
	store_close(k);
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_int(raw, "SELECT count(*) FROM key_updates"), 0);
	tu_raw_close(raw);
	/* her slot took the new key: again, without an update */
	assert_non_null(k = tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_memory_equal(k->keys->data, newkey, KEY_LEN);
	store_close(k);
	assert_null(tu_store_login(f->dir, "eka", GONE_PIN, &err));
	assert_int_equal(err.code, ERR_DISABLED);
	assert_non_null(f->s = tu_store_login(f->dir, TU_ADMIN, TU_PIN, &err));
	assert_int_equal(store_audit_verify(f->s, &entries, &bad, &err), 0);
}

static void test_forged_update_refused(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	uint8_t pk[32], sealed[KEY_LEN + crypto_box_SEALBYTES], mine[KEY_LEN];
	char hex[2 * sizeof sealed + 1];
	sqlite3 *raw;

	assert_int_equal(store_user_add(f->s, "sri", ROLE_KADER, KADER_PIN, strlen(KADER_PIN),
					tu_kdf_fast(), &err), 0);
	rotate(f->s, NULL);
	store_close(f->s);
	f->s = NULL;
	/* someone with the file seals a key she knows to sri's public box key */
	randombytes_buf(mine, sizeof mine);
	assert_non_null(raw = tu_raw_open(f->dir));
	{
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(raw, "SELECT box_pk FROM users WHERE label = 'sri'",
						    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		memcpy(pk, sqlite3_column_blob(st, 0), 32);
		sqlite3_finalize(st);
	}
	crypto_box_seal(sealed, mine, sizeof mine, pk);
	sodium_bin2hex(hex, sizeof hex, sealed, sizeof sealed);
	assert_int_equal(tu_raw_exec(raw, "UPDATE key_updates SET sealed = x'%s'", hex), 0);
	assert_int_equal(tu_raw_changes(raw), 1);
	tu_raw_close(raw);
	assert_null(tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_string_equal(err.field, "key-update");
	/* without any update, her slot's retired key is refused, not used */
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(raw, "DELETE FROM key_updates"), 0);
	tu_raw_close(raw);
	assert_null(tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_string_equal(err.field, "key-epoch");
	assert_non_null(f->s = tu_store_login(f->dir, TU_ADMIN, TU_PIN, &err));
}

static void test_drafts_ids_recovery_follow(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	uint8_t id1[16], id2[16], dpk[32], dsk[32];
	unsigned char *plain;
	size_t len, entries;
	uint64_t bad;

	crypto_box_keypair(dpk, dsk);
	assert_int_equal(store_recovery_seal(f->s, dpk, &err), 0);
	assert_int_equal(store_form_draft_put(f->s, "half a form", 11, &err), 0);
	assert_int_equal(store_derive_id(f->s, "people", "3201", 4, id1, &err), 0);
	rotate(f->s, NULL);
	rotate(f->s, NULL);
	assert_int_equal(f->s->keys->epoch, 3);
	assert_int_equal(store_form_draft_get(f->s, &plain, &len, &err), 1);
	assert_int_equal(len, 11);
	assert_memory_equal(plain, "half a form", 11);
	store_form_draft_free(plain, len);
	assert_int_equal(store_derive_id(f->s, "people", "3201", 4, id2, &err), 0);
	assert_memory_equal(id1, id2, 16);
	assert_int_equal(store_recovery_check(f->s, dpk, dsk, &err), 0);
	assert_int_equal(store_audit_verify(f->s, &entries, &bad, &err), 0);
	/* after a fresh login too */
	store_close(f->s);
	assert_non_null(f->s = tu_store_login(f->dir, TU_ADMIN, TU_PIN, &err));
	assert_int_equal(store_derive_id(f->s, "people", "3201", 4, id2, &err), 0);
	assert_memory_equal(id1, id2, 16);
}

static void test_tampered_rekey_caught(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	size_t entries;
	uint64_t bad;
	sqlite3 *raw;

	add_person(f->s, "Budi");
	rotate(f->s, NULL);
	assert_non_null(raw = tu_raw_open(f->dir));
	assert_int_equal(tu_raw_exec(raw, "DELETE FROM version_rekeys"), 0);
	tu_raw_close(raw);
	assert_int_equal(store_audit_verify(f->s, &entries, &bad, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
}

static void test_kader_cannot_rotate(void **state)
{
	struct tu_fixture *f = *state;
	struct err err = { 0 };
	struct store *k;

	assert_int_equal(store_user_add(f->s, "sri", ROLE_KADER, KADER_PIN, strlen(KADER_PIN),
					tu_kdf_fast(), &err), 0);
	assert_non_null(k = tu_store_login(f->dir, "sri", KADER_PIN, &err));
	assert_int_equal(store_key_rotate(k, KADER_PIN, strlen(KADER_PIN), NULL, NULL, NULL, &err),
			 -1);
	assert_int_equal(err.code, ERR_DENIED);
	store_close(k);
	/* a wrong PIN changes nothing */
	assert_int_equal(store_key_rotate(f->s, "000001", 6, NULL, NULL, NULL, &err), -1);
	assert_int_equal(err.code, ERR_AUTH);
	assert_int_equal(f->s->keys->epoch, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_old_key_opens_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_applied_at_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_update_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drafts_ids_recovery_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_rekey_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kader_cannot_rotate, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
