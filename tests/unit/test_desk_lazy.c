/* tests/unit/test_desk_lazy.c: the desk opens visits only when something
 * shows them (app/desk_data.c, issue 15). After login no visit is open and
 * the index holds a small fixed record per visit; the last visit of a row
 * opens only the person's latest month; a card opens that person's visits,
 * as stored now (an edit, a deletion behind the desk's back); the month's
 * "not weighed" list opens only that month's visits of the children; the
 * day's list finds who came; the lock path leaves nothing behind. */
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
#include "storage/arena.h"
#include "storage/store.h"
#include "tests/helpers/testutil.h"

#define DAY0 20000                     /* the month under test holds it */

static struct store *s;
static char *dir;

static void put_person(struct person *p, enum person_kind kind, const char *name, int32_t dob)
{
	struct err err = { 0 };
	struct draft d;

	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->sex = 'P';
	p->dob = dob;
	p->registered = DAY0 - 400;
	snprintf(p->name, sizeof p->name, "%s", name);
	store_draft_new(&d);
	assert_int_equal(store_person_put(s, &d, p, &err), 0);
	memcpy(p->uuid, d.uuid, UUID_LEN);
}

static void put_visit(struct visit *v, const struct person *p, int32_t date, uint32_t weight_g)
{
	struct err err = { 0 };
	struct draft d;

	memset(v, 0, sizeof *v);
	memcpy(v->person, p->uuid, UUID_LEN);
	v->date = date;
	v->weight_g = weight_g;
	store_draft_new(&d);
	assert_int_equal(store_visit_put(s, &d, v, &err), 0);
	memcpy(v->uuid, d.uuid, UUID_LEN);
}

static size_t opened(void)
{
	size_t n = 0;
	for (size_t k = 0; k < desk.nr; k++)
		n += (desk.r[k].flags & REF_OPENED) != 0;
	return n;
}

static size_t index_of(const struct person *p)
{
	for (size_t i = 0; i < desk.np; i++)
		if (memcmp(desk.p[i].uuid, p->uuid, UUID_LEN) == 0)
			return i;
	fail();
	return 0;
}

static int setup(void **state)
{
	struct err err = { 0 };
	(void)state;
	dir = tu_mkdtemp();
	s = dir ? tu_store_create(dir, TU_ADMIN, TU_PIN, &err) : NULL;
	return s ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	desk_unload();
	store_close(s);
	tu_rmtree(dir);
	free(dir);
	return 0;
}

static void test_opened_only_when_shown(void **state)
{
	struct err err = { 0 };
	struct person a, b, c;
	struct visit va[12], vb, vc, *got;
	size_t blocks = arena_live_blocks(), n, idx[8];
	int32_t month0 = date_month_index(DAY0);
	(void)state;

	/* a: a child with a visit a month for a year, weighed; the last
	 * month's on DAY0 - 2. b: a child seen this month, not weighed.
	 * c: a woman with one visit long ago. */
	put_person(&a, PERSON_CHILD, "Anak Satu", DAY0 - 700);
	put_person(&b, PERSON_CHILD, "Anak Dua", DAY0 - 300);
	put_person(&c, PERSON_WOMAN, "Ibu Tiga", DAY0 - 9000);
	for (int k = 0; k < 12; k++)
		put_visit(&va[k], &a, DAY0 - 2 - 30 * k, 9000 + 100 * (uint32_t)k);
	put_visit(&vb, &b, DAY0, 0);
	put_visit(&vc, &c, DAY0 - 600, 0);

	assert_int_equal(desk_load(s, &err), 0);
	assert_int_equal(desk.np, 3);
	assert_int_equal(desk.nr, 14);
	assert_int_equal(opened(), 0);         /* nothing opened at login */
	assert_true(sizeof(struct desk_ref) <= 32);

	/* the row of a: only her latest month is opened */
	assert_int_equal(desk_last_visit(index_of(&a)), DAY0 - 2);
	assert_int_equal(opened(), 1);
	assert_int_equal(desk_last_visit(index_of(&a)), DAY0 - 2);
	assert_int_equal(opened(), 1);         /* kept: not opened twice */

	/* not weighed this month: b (seen, no weight), not a (weighed this
	 * month); only the children's visits of the month were opened */
	n = desk_not_weighed_on(DAY0, idx, 8);
	assert_int_equal(date_month_index(DAY0 - 2), month0);   /* a was weighed this month */
	assert_int_equal(n, 1);
	assert_int_equal(idx[0], index_of(&b));
	for (size_t k = 0; k < desk.nr; k++)
		if (desk.r[k].flags & REF_OPENED)
			assert_true(desk.r[k].month == month0 ||
				    desk.r[k].date == DAY0 - 2);
	assert_int_equal(desk_last_visit(index_of(&c)), DAY0 - 600);

	/* the card of a: all twelve, newest first, as stored */
	n = desk_visits_of(a.uuid, &got);
	assert_int_equal(n, 12);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(got[k].date, DAY0 - 2 - 30 * (int32_t)k);
		assert_int_equal(got[k].weight_g, 9000 + 100 * k);
	}
	store_free(got);

	/* the day's list: b came on DAY0, with her visit */
	{
		struct person *pp;
		struct visit *vv;
		size_t np, nv;
		assert_int_equal(desk_day(DAY0, &pp, &np, &vv, &nv, &err), 0);
		assert_int_equal(np, 1);
		assert_string_equal(pp[0].name, "Anak Dua");
		assert_int_equal(nv, 1);
		assert_memory_equal(vv[0].uuid, vb.uuid, UUID_LEN);
		store_free(pp);
		store_free(vv);
	}

	/* an edit saved, then told to the desk: the card shows the new one */
	{
		struct draft d;
		assert_int_equal(store_draft_edit(s, &d, va[0].uuid, &err), 0);
		va[0].date = DAY0 - 1;
		va[0].weight_g = 9950;
		assert_int_equal(store_visit_put(s, &d, &va[0], &err), 0);
		assert_int_equal(desk_put_visit(&va[0]), 0);
		assert_int_equal(desk_last_visit(index_of(&a)), DAY0 - 1);
		n = desk_visits_of(a.uuid, &got);
		assert_int_equal(n, 12);
		assert_int_equal(got[0].weight_g, 9950);
		store_free(got);
	}

	/* deleted behind the desk's back (another screen, an import): the
	 * card leaves it out and the row's date follows */
	{
		struct draft d;
		assert_int_equal(store_draft_edit(s, &d, va[0].uuid, &err), 0);
		assert_int_equal(store_delete(s, &d, &err), 0);
		n = desk_visits_of(a.uuid, &got);
		assert_int_equal(n, 11);
		store_free(got);
		assert_int_equal(desk_last_visit(index_of(&a)), DAY0 - 32);
	}

	/* deleted and told: gone from the index too */
	{
		struct draft d;
		assert_int_equal(store_draft_edit(s, &d, va[1].uuid, &err), 0);
		assert_int_equal(store_delete(s, &d, &err), 0);
		desk_drop(va[1].uuid);
		assert_int_equal(desk_last_visit(index_of(&a)), DAY0 - 62);
		assert_int_equal(desk_visits_of(a.uuid, &got), 10);
		store_free(got);
	}

	/* one visit by its uuid (a form reopened from its draft); a deleted
	 * one is no visit */
	got = arena_alloc(1, sizeof *got);
	assert_int_equal(desk_visit_get(vc.uuid, got), 1);
	assert_int_equal(got->date, DAY0 - 600);
	assert_int_equal(desk_visit_get(va[0].uuid, got), 0);
	arena_free(got);

	desk_unload();                 /* the lock path */
	assert_int_equal(arena_live_blocks(), blocks);
	assert_int_equal(arena_live_bytes(), 0);
	assert_null(desk.r);
	assert_int_equal(desk.nr, 0);
}

/* The best matches come first whether everyone matches or a few: the
 * search selects the best before sorting them (a keystroke's cost). */
static void test_search_selects_the_best(void **state)
{
	struct err err = { 0 };
	struct person p;
	size_t idx[300], few[10], n;
	char name[64];
	(void)state;

	for (int i = 0; i < 300; i++) {
		/* names in a scrambled order, some the same */
		snprintf(name, sizeof name, "Ibu %03d", (i * 37) % 250);
		put_person(&p, PERSON_WOMAN, name, DAY0 - 9000);
	}
	assert_int_equal(desk_load(s, &err), 0);
	n = desk_search("", idx, 300);
	assert_int_equal(n, 300);
	for (size_t k = 1; k < n; k++)
		assert_true(strcmp(desk.f[idx[k - 1]].name, desk.f[idx[k]].name) <= 0);
	for (size_t max = 1; max <= 10; max += 3) {
		assert_int_equal(desk_search("", few, max), max);
		for (size_t k = 0; k < max; k++)
			assert_string_equal(desk.f[few[k]].name, desk.f[idx[k]].name);
	}
	n = desk_search("ibu 01", few, 10);     /* a few match, best first */
	assert_true(n > 0);
	assert_string_equal(desk.p[few[0]].name, "Ibu 010");

	/* typing narrows the last matches: the same as searching afresh
	 * (a put forgets them), letter by letter, a word more, back */
	{
		static const char *const typed[] = { "i", "ib", "ibu", "ibu 0", "ibu 01", "ibu 012",
						     "ibu 01", "0", "01", "ib 1", "ib 12" };
		size_t a[300], b[300], na, nb;
		for (size_t t = 0; t < sizeof typed / sizeof typed[0]; t++) {
			na = desk_search(typed[t], a, 300);
			assert_int_equal(desk_put_person(&desk.p[0]), 0);   /* forgets */
			nb = desk_search(typed[t], b, 300);
			assert_int_equal(na, nb);
			assert_memory_equal(a, b, na * sizeof *a);
			na = desk_search(typed[t], a, 300);     /* from itself */
			assert_int_equal(na, nb);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_opened_only_when_shown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_selects_the_best, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
