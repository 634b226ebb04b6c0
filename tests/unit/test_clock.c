/* tests/unit/test_clock.c: the one clock (storage/clock.h) and the monthly
 * report's reference day (core/report.h) on the days calendars trip over:
 * month ends, 29 February, 31 December late in the evening, 1 January. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/report.h"
#include "storage/clock.h"

static void set_now(const char *v)
{
	if (v)
		setenv(CLOCK_ENV, v, 1);
	else
		unsetenv(CLOCK_ENV);
	clock_reset();
}

static int32_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void test_fixed_day_is_local(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Jakarta", 1);            /* UTC+7 */
	tzset();
	set_now("2026-12-31T23:30");
	assert_int_equal(clock_check(NULL), 0);
	assert_int_equal(clock_today(), ymd(2026, 12, 31));   /* 16:30 UTC, still the 31st */
	assert_int_equal(clock_utc_offset(), 7 * 3600);
	set_now("2027-01-01T00:10:05");
	assert_int_equal(clock_today(), ymd(2027, 1, 1));     /* 17:10 UTC on the 31st */
	assert_true(clock_now() - (int64_t)(ymd(2026, 12, 31) * 86400LL + 17 * 3600 + 10 * 60 + 5) < 5);
	set_now("2028-02-29");                                 /* a bare day: its noon */
	assert_int_equal(clock_today(), ymd(2028, 2, 29));
}

static void test_clock_runs_on(void **state)
{
	int64_t a, b;
	struct timespec ts = { 1, 100000000 };
	(void)state;
	set_now("2028-02-29T23:59:59");
	a = clock_now();
	nanosleep(&ts, NULL);
	b = clock_now();
	assert_true(b - a >= 1 && b - a <= 3);
	assert_int_equal(clock_today(), ymd(2028, 3, 1));      /* it ran past midnight */
}

static void test_bad_values_refused(void **state)
{
	static const char *const bad[] = {
		"tomorrow", "2026-13-01T10:00", "2027-02-29T10:00", "2026-12-31T24:00",
		"2026-12-31T10:60", "2026-12-31T10:00:61", "2026-12-31T10", "2026-12-31T10:00Z",
		"31-12-2026", "2026-12-31x",
	};
	struct err err;
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		set_now(bad[i]);
		err_clear(&err);
		assert_int_equal(clock_check(&err), -1);
		assert_int_equal(err.code, ERR_FORMAT);
		assert_string_equal(err.field, CLOCK_ENV);
		/* a refused value does not fix the clock: it is the system's */
		assert_true(llabs((long long)(clock_now() - (int64_t)time(NULL))) <= 1);
	}
	set_now(NULL);
	assert_int_equal(clock_check(NULL), 0);
	assert_true(llabs((long long)(clock_now() - (int64_t)time(NULL))) <= 1);
}

static void test_ref_day_is_the_months_last(void **state)
{
	struct { int y, m; int32_t today; int32_t want; int ok; } c[] = {
		{ 2028, 2, ymd(2028, 2, 1), ymd(2028, 2, 29), 1 },   /* running leap February */
		{ 2028, 2, ymd(2028, 2, 29), ymd(2028, 2, 29), 1 },
		{ 2027, 2, ymd(2028, 2, 29), ymd(2027, 2, 28), 1 },
		{ 2026, 12, ymd(2026, 12, 3), ymd(2026, 12, 31), 1 }, /* same answer any day */
		{ 2026, 12, ymd(2026, 12, 31), ymd(2026, 12, 31), 1 },
		{ 2026, 12, ymd(2027, 1, 1), ymd(2026, 12, 31), 1 },
		{ 2027, 1, ymd(2026, 12, 31), 0, 0 },                 /* not begun yet */
		{ 2026, 4, ymd(2026, 4, 30), ymd(2026, 4, 30), 1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct err err = { 0 };
		int32_t ref = DATE_NONE;
		int rc = report_ref_day(c[i].y * 12 + c[i].m - 1, c[i].today, &ref, &err);
		if (c[i].ok) {
			assert_int_equal(rc, 0);
			assert_int_equal(ref, c[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(err.field, "month-future");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_day_is_local),
		cmocka_unit_test(test_clock_runs_on),
		cmocka_unit_test(test_bad_values_refused),
		cmocka_unit_test(test_ref_day_is_the_months_last),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
