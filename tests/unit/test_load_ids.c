/* tests/unit/test_load_ids.c: which uuid a register's ref gets (issue 12):
 * the same on two devices of one posyandu, another in another posyandu,
 * and a person loaded before (a per-device uuid) keeps hers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/load.h"
#include "storage/load_store.h"
#include "tests/helpers/testutil.h"

struct fixture {
	char *dir[2];
	struct store *s[2];        /* two devices of TU_CODE */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct err err = { 0 };
	if (!f)
		return -1;
	for (int i = 0; i < 2; i++)
		if (!(f->dir[i] = tu_mkdtemp()) ||
		    !(f->s[i] = tu_store_create(f->dir[i], TU_ADMIN, TU_PIN, &err)))
			return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 2; i++) {
		store_close(f->s[i]);
		tu_rmtree(f->dir[i]);
		free(f->dir[i]);
	}
	free(f);
	return 0;
}

static void test_ref_ids(void **state)
{
	struct fixture *f = *state;
	uint8_t a[UUID_LEN], b[UUID_LEN], c[UUID_LEN];
	struct err err = { 0 };

	assert_int_equal(store_derive_ref_id(f->s[0], "person", "C1", 2, a, &err), 0);
	assert_int_equal(store_derive_ref_id(f->s[1], "person", "C1", 2, b, &err), 0);
	assert_memory_equal(a, b, UUID_LEN);                   /* one posyandu, one id */
	assert_int_equal(store_derive_ref_id(f->s[0], "person", "C2", 2, c, &err), 0);
	assert_memory_not_equal(a, c, UUID_LEN);
	assert_int_equal(store_derive_ref_id(f->s[0], "visit", "C1", 2, c, &err), 0);
	assert_memory_not_equal(a, c, UUID_LEN);               /* another domain */
	assert_int_equal(store_derive_ref_id(f->s[0], "person", "C1 ", 3, c, &err), 0);
	assert_memory_not_equal(a, c, UUID_LEN);
	/* the device-keyed ids differ between the devices, and from the above */
	assert_int_equal(store_derive_id(f->s[0], "person", "C1", 2, b, &err), 0);
	assert_memory_not_equal(a, b, UUID_LEN);
	assert_int_equal(store_derive_id(f->s[1], "person", "C1", 2, c, &err), 0);
	assert_memory_not_equal(b, c, UUID_LEN);
}

/* A person stored under the device's old id keeps it; otherwise (or when
 * the posyandu-wide id is stored too) the posyandu-wide id. */
static void test_loaded_before_keeps_uuid(void **state)
{
	struct fixture *f = *state;
	struct person p[2];
	uint8_t now[UUID_LEN], old[UUID_LEN], got[UUID_LEN];
	struct err err = { 0 };

	memset(p, 0, sizeof p);
	assert_int_equal(store_derive_ref_id(f->s[0], "person", "C1", 2, now, &err), 0);
	assert_int_equal(store_derive_id(f->s[0], "person", "C1", 2, old, &err), 0);
	assert_int_equal(load_person_uuid(f->s[0], "C1", p, 0, got, &err), 0);
	assert_memory_equal(got, now, UUID_LEN);               /* a new person */
	memcpy(p[0].uuid, old, UUID_LEN);
	assert_int_equal(load_person_uuid(f->s[0], "C1", p, 1, got, &err), 0);
	assert_memory_equal(got, old, UUID_LEN);               /* loaded before */
	memcpy(p[1].uuid, now, UUID_LEN);
	assert_int_equal(load_person_uuid(f->s[0], "C1", p, 2, got, &err), 0);
	assert_memory_equal(got, now, UUID_LEN);
	assert_int_equal(load_person_uuid(f->s[1], "C1", p, 1, got, &err), 0);
	assert_memory_equal(got, now, UUID_LEN);               /* not this device's old id */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ref_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loaded_before_keeps_uuid, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
