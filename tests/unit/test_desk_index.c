/* tests/unit/test_desk_index.c: what the desk's list shows is kept current
 * (app/desk_data.c, issue 15): each person's latest visit is right after
 * login, after a new visit, after a visit's date moves back, after a visit
 * or a person is deleted, and for a person added after login. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/desk_data.h"
#include "core/date.h"
#include "storage/store.h"
#include "tests/helpers/testutil.h"

static struct visit visit_of(const struct person *p, int32_t date)
{
	struct visit v;
	struct draft d;
	memset(&v, 0, sizeof v);
	store_draft_new(&d);
	memcpy(v.uuid, d.uuid, UUID_LEN);
	memcpy(v.person, p->uuid, UUID_LEN);
	v.date = date;
	v.weight_g = 9000;
	return v;
}

static long index_of(const struct person *p)
{
	for (size_t i = 0; i < desk.np; i++)
		if (memcmp(desk.p[i].uuid, p->uuid, UUID_LEN) == 0)
			return (long)i;
	return -1;
}

static void test_last_visit_kept_current(void **state)
{
	char *dir = tu_mkdtemp();
	struct err err = { 0 };
	struct store *s;
	struct person p[40], q;
	struct visit v, first;
	struct draft d;
	(void)state;

	assert_non_null(dir);
	assert_non_null(s = tu_store_create(dir, TU_ADMIN, TU_PIN, &err));
	for (int i = 0; i < 40; i++) {
		memset(&p[i], 0, sizeof p[i]);
		p[i].kind = PERSON_WOMAN;
		p[i].sex = 'P';
		snprintf(p[i].name, sizeof p[i].name, "Ibu %d", i);
		store_draft_new(&d);
		assert_int_equal(store_person_put(s, &d, &p[i], &err), 0);
		memcpy(p[i].uuid, d.uuid, UUID_LEN);
		/* person i has i % 4 visits, on days 20000 + i and before */
		for (int k = 0; k < i % 4; k++) {
			v = visit_of(&p[i], 20000 + i - 30 * k);
			store_draft_new(&d);
			assert_int_equal(store_visit_put(s, &d, &v, &err), 0);
		}
	}
	assert_int_equal(desk_load(s, &err), 0);
	for (int i = 0; i < 40; i++) {
		long k = index_of(&p[i]);
		assert_true(k >= 0);
		assert_int_equal(desk_last_visit((size_t)k), i % 4 ? 20000 + i : DATE_NONE);
	}

	/* a new visit, later */
	first = visit_of(&p[0], 20500);
	assert_int_equal(desk_put_visit(&first), 0);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[0])), 20500);
	/* an earlier one does not move it */
	v = visit_of(&p[0], 20100);
	assert_int_equal(desk_put_visit(&v), 0);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[0])), 20500);
	/* the latest moved back: the next latest shows */
	first.date = 19000;
	assert_int_equal(desk_put_visit(&first), 0);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[0])), 20100);
	/* deleted: none left after both */
	desk_drop(v.uuid);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[0])), 19000);
	desk_drop(first.uuid);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[0])), DATE_NONE);

	/* a person deleted: the one moved into her place keeps his own date */
	desk_drop(p[1].uuid);
	assert_int_equal(index_of(&p[1]), -1);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[39])), 20039);
	assert_int_equal(desk_last_visit((size_t)index_of(&p[3])), 20003);

	/* a person added after login, her visit after */
	memset(&q, 0, sizeof q);
	store_draft_new(&d);
	memcpy(q.uuid, d.uuid, UUID_LEN);
	q.kind = PERSON_WOMAN;
	snprintf(q.name, sizeof q.name, "Ibu Baru");
	assert_int_equal(desk_put_person(&q), 0);
	assert_int_equal(desk_last_visit((size_t)index_of(&q)), DATE_NONE);
	v = visit_of(&q, 20600);
	assert_int_equal(desk_put_visit(&v), 0);
	assert_int_equal(desk_last_visit((size_t)index_of(&q)), 20600);

	desk_unload();
	store_close(s);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_visit_kept_current),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
