/* tests/unit/test_ratelimit.c: token buckets by key (core/ratelimit.h): a
 * burst, the refill at the rate, keys apart, and a full table that takes
 * the longest idle entry for a new key (it never grows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/ratelimit.h"

static void test_burst_then_refill(void **state)
{
	struct rate_bucket tab[4];
	int ok = 0;

	(void)state;
	memset(tab, 0, sizeof tab);
	for (int i = 0; i < 10; i++)
		ok += rate_take(tab, 4, "10.0.0.1", 5, 100.0);
	assert_int_equal(ok, 5);                         /* the burst */
	assert_false(rate_take(tab, 4, "10.0.0.1", 5, 111.0));   /* 11 s: 0.92 token */
	assert_true(rate_take(tab, 4, "10.0.0.1", 5, 112.5));    /* 12 s: one */
	assert_false(rate_take(tab, 4, "10.0.0.1", 5, 112.5));
	/* a long pause refills to the burst, never beyond */
	ok = 0;
	for (int i = 0; i < 10; i++)
		ok += rate_take(tab, 4, "10.0.0.1", 5, 10000.0);
	assert_int_equal(ok, 5);
}

static void test_keys_apart_and_table_fixed(void **state)
{
	struct rate_bucket tab[2];
	int ok = 0;

	(void)state;
	memset(tab, 0, sizeof tab);
	for (int i = 0; i < 5; i++)
		ok += rate_take(tab, 2, "127.0.0.1/siti", 5, 50.0);
	assert_false(rate_take(tab, 2, "127.0.0.1/siti", 5, 50.0));
	/* another name from the same address has its own bucket */
	assert_true(rate_take(tab, 2, "127.0.0.1/budi", 5, 51.0));
	/* a third key takes the entry idle longest (siti's): the table stays 2 */
	assert_true(rate_take(tab, 2, "127.0.0.1/ani", 5, 52.0));
	assert_true(strcmp(tab[0].key, "127.0.0.1/ani") == 0 || strcmp(tab[1].key, "127.0.0.1/ani") == 0);
	assert_true(strcmp(tab[0].key, "127.0.0.1/budi") == 0 || strcmp(tab[1].key, "127.0.0.1/budi") == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refill),
		cmocka_unit_test(test_keys_apart_and_table_fixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
