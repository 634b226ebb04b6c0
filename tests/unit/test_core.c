/* tests/unit/test_core.c: core/date.c, core/valid.c and core/person.c.
 *
 * Expected values come from the headers and domain.md, and day numbers from an
 * independent calendar (Python's datetime, noted beside each constant), never
 * from the code under test. Rules are tables: one row per case, and the row's
 * input is in the failure message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"
#include "core/person.h"
#include "core/valid.h"
#include "core/imm.h"
#include "core/visit_fields.h"

/* Print the row before an assertion fails, so the table row is named. */
/* Table rows: ROW() names the row being checked; the CHECK macros name it
 * in the failure message, so a failing table says which input failed. */
static char row[160];
#define ROW(...) snprintf(row, sizeof row, __VA_ARGS__)
#define CHECK(cond) \
	do { if (!(cond)) fail_msg("%s: %s", row, #cond); } while (0)
#define CHECK_INT(got, want) \
	do { long long g_ = (long long)(got), w_ = (long long)(want); \
	     if (g_ != w_) fail_msg("%s: %s = %lld, want %lld", row, #got, g_, w_); } while (0)
#define CHECK_STR(got, want) \
	do { const char *g_ = (got), *w_ = (want); \
	     if (!g_ || strcmp(g_, w_) != 0) \
		     fail_msg("%s: %s = \"%s\", want \"%s\"", row, #got, g_ ? g_ : "(null)", w_); \
	} while (0)

/* ---- day numbers ---- */

static void test_date_known_day_numbers(void **state)
{
	/* Days since 1970-01-01, from Python: (date(y,m,d) - date(1970,1,1)).days */
	static const struct { int y, m, d; int32_t day; } rows[] = {
		{ 1970, 1, 1, 0 },       { 1969, 12, 31, -1 },   { 2000, 2, 29, 11016 },
		{ 2000, 3, 1, 11017 },   { 2024, 2, 29, 19782 }, { 1900, 1, 1, -25567 },
		{ 2199, 12, 31, 84005 }, { 2023, 5, 14, 19491 }, { 2100, 2, 28, 47540 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int y, m, d;
		ROW("%04d-%02d-%02d", rows[i].y, rows[i].m, rows[i].d);
		CHECK_INT(date_from_ymd(rows[i].y, rows[i].m, rows[i].d), rows[i].day);
		date_to_ymd(rows[i].day, &y, &m, &d);
		CHECK_INT(y, rows[i].y);
		CHECK_INT(m, rows[i].m);
		CHECK_INT(d, rows[i].d);
	}
}

static void test_date_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(date_days_in_month(2023, 2), 28);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);    /* divisible by 100 */
	assert_int_equal(date_days_in_month(2000, 2), 29);    /* divisible by 400 */
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2024, 4), 30);
	assert_int_equal(date_days_in_month(2024, 12), 31);
	assert_int_equal(date_days_in_month(2024, 0), 0);
	assert_int_equal(date_days_in_month(2024, 13), 0);
}

/* Walk every day of the supported range (1900-2199) with a plain calendar
 * counter: consecutive day numbers, and to_ymd / from_ymd agree with it. */
static void test_date_every_day_of_the_range(void **state)
{
	int y = 1900, m = 1, d = 1;
	int32_t day = date_from_ymd(1900, 1, 1);
	(void)state;

	while (y < 2200) {
		int ry, rm, rd;
		assert_true(date_valid_ymd(y, m, d));
		assert_int_equal(date_from_ymd(y, m, d), day);
		date_to_ymd(day, &ry, &rm, &rd);
		if (ry != y || rm != m || rd != d)
			fail_msg("day %d: got %04d-%02d-%02d, want %04d-%02d-%02d",
				 (int)day, ry, rm, rd, y, m, d);
		day++;
		if (++d > date_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(day - 1, 84005);   /* 2199-12-31 */
}

static void test_date_valid_ymd_range(void **state)
{
	(void)state;
	assert_true(date_valid_ymd(1900, 1, 1));
	assert_true(date_valid_ymd(2199, 12, 31));
	assert_false(date_valid_ymd(1899, 12, 31));
	assert_false(date_valid_ymd(2200, 1, 1));
	assert_false(date_valid_ymd(2024, 2, 30));
	assert_false(date_valid_ymd(2024, 0, 1));
	assert_false(date_valid_ymd(2024, 1, 0));
}

/* ---- parsing and formatting ---- */

static void test_date_parse_accepts(void **state)
{
	static const struct { const char *in; int y, m, d; } rows[] = {
		{ "14-05-2023", 2023, 5, 14 },   { "4-5-2023", 2023, 5, 4 },
		{ "04-5-2023", 2023, 5, 4 },     { "4-05-2023", 2023, 5, 4 },
		{ "14/05/2023", 2023, 5, 14 },   { "14.05.2023", 2023, 5, 14 },
		{ "4/5/2023", 2023, 5, 4 },      { "2023-05-14", 2023, 5, 14 },
		{ "  14-05-2023", 2023, 5, 14 }, { "14-05-2023  ", 2023, 5, 14 },
		{ "\t2023-05-14\n", 2023, 5, 14 },
		{ "29-02-2024", 2024, 2, 29 },   { "29-02-2000", 2000, 2, 29 },
		{ "31-12-2199", 2199, 12, 31 },  { "01-01-1900", 1900, 1, 1 },
		{ "31-01-2024", 2024, 1, 31 },   { "30-04-2024", 2024, 4, 30 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int32_t day = DATE_NONE;
		ROW("\"%s\"", rows[i].in);
		CHECK_INT(date_parse(rows[i].in, &day, &err), 0);
		CHECK_INT(day, date_from_ymd(rows[i].y, rows[i].m, rows[i].d));
	}
}

static void test_date_parse_refuses(void **state)
{
	static const struct { const char *in; enum err_code code; } rows[] = {
		{ "31-02-2024", ERR_RANGE },  { "30-02-2024", ERR_RANGE },
		{ "29-02-2023", ERR_RANGE },  { "29-02-1900", ERR_RANGE },
		{ "31-04-2024", ERR_RANGE },  { "00-01-2024", ERR_RANGE },
		{ "01-00-2024", ERR_RANGE },  { "01-13-2024", ERR_RANGE },
		{ "31-12-1899", ERR_RANGE },  { "01-01-2200", ERR_RANGE },
		{ "2023-02-30", ERR_RANGE },
		{ "", ERR_REQUIRED },         { "   ", ERR_REQUIRED },
		{ "14-05-23", ERR_FORMAT },   { "14-05/2023", ERR_FORMAT },
		{ "14-05-2023x", ERR_FORMAT }, { "14-05-2023 x", ERR_FORMAT },
		{ "abc", ERR_FORMAT },        { "123-05-2023", ERR_FORMAT },
		{ "14--05-2023", ERR_FORMAT }, { "14 05 2023", ERR_FORMAT },
		{ "2023/05/14", ERR_FORMAT }, { "14-05-20234", ERR_FORMAT },
		{ "-14-05-2023", ERR_FORMAT }, { "14-005-2023", ERR_FORMAT },
		{ "2023-05", ERR_FORMAT },    { "14052023", ERR_FORMAT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int32_t day = 12345;
		ROW("\"%s\"", rows[i].in);
		CHECK_INT(date_parse(rows[i].in, &day, &err), -1);
		CHECK_INT(err.code, rows[i].code);
		CHECK(err.field != NULL);
		CHECK_STR(err.field, "date");
		CHECK_INT(day, 12345);          /* untouched on failure */
	}
	{
		struct err err = { 0 };
		int32_t day;
		assert_int_equal(date_parse(NULL, &day, &err), -1);
		assert_int_equal(err.code, ERR_REQUIRED);
		assert_int_equal(date_parse("31-02-2024", &day, NULL), -1);   /* NULL err is fine */
	}
}

static void test_date_format_known(void **state)
{
	char buf[DATE_BUFSZ];
	(void)state;
	assert_string_equal(date_format(0, buf), "01-01-1970");
	assert_string_equal(date_format(19782, buf), "29-02-2024");
	assert_string_equal(date_format(19491, buf), "14-05-2023");
	assert_string_equal(date_format(-25567, buf), "01-01-1900");
	assert_string_equal(date_format(84005, buf), "31-12-2199");
	assert_string_equal(date_format_iso(19491, buf), "2023-05-14");
	assert_string_equal(date_format_iso(-1, buf), "1969-12-31");
	assert_string_equal(date_format(DATE_NONE, buf), "");
	assert_string_equal(date_format_iso(DATE_NONE, buf), "");
}

/* date_format and date_format_iso give back what date_parse reads, for every
 * day of the supported range. */
static void test_date_format_round_trips(void **state)
{
	(void)state;
	for (int32_t day = -25567; day <= 84005; day++) {
		char buf[DATE_BUFSZ], iso[DATE_BUFSZ];
		int32_t back = DATE_NONE, back_iso = DATE_NONE;
		date_format(day, buf);
		date_format_iso(day, iso);
		if (strlen(buf) != 10 || date_parse(buf, &back, NULL) < 0 || back != day ||
		    date_parse(iso, &back_iso, NULL) < 0 || back_iso != day)
			fail_msg("day %d: \"%s\" -> %d, \"%s\" -> %d", (int)day, buf, (int)back, iso,
				 (int)back_iso);
	}
}

static void test_date_from_unix(void **state)
{
	(void)state;
	assert_int_equal(date_from_unix(0), 0);
	assert_int_equal(date_from_unix(86399), 0);
	assert_int_equal(date_from_unix(86400), 1);
	assert_int_equal(date_from_unix(-1), -1);
	assert_int_equal(date_from_unix(-86400), -1);
	assert_int_equal(date_from_unix(-86401), -2);
	assert_int_equal(date_from_unix(1684022400), 19491);   /* 2023-05-14 00:00:00 UTC */
}

/* ---- ages ---- */

/* Completed months: the day of the month must be reached. When the birth day
 * does not exist in the later month (31 in February), reaching that month's
 * last day completes the month. */
static void test_date_age_months(void **state)
{
	static const struct { const char *dob, *day; int months; } rows[] = {
		{ "15-01-2024", "15-01-2024", 0 },  { "15-01-2024", "14-02-2024", 0 },
		{ "15-01-2024", "15-02-2024", 1 },  { "15-01-2024", "14-01-2025", 11 },
		{ "15-01-2024", "15-01-2025", 12 }, { "30-12-2023", "01-01-2024", 0 },
		{ "01-12-2023", "01-01-2024", 1 },  { "01-12-2023", "31-12-2023", 0 },
		/* end of month */
		{ "31-01-2023", "27-02-2023", 0 },  { "31-01-2023", "28-02-2023", 1 },
		{ "31-01-2024", "28-02-2024", 0 },  { "31-01-2024", "29-02-2024", 1 },
		{ "30-01-2023", "28-02-2023", 1 },  { "31-01-2024", "30-03-2024", 1 },
		{ "31-01-2024", "31-03-2024", 2 },  { "31-03-2024", "29-04-2024", 0 },
		{ "31-03-2024", "30-04-2024", 1 },  { "31-05-2024", "30-06-2024", 1 },
		{ "29-02-2024", "27-02-2025", 11 }, { "29-02-2024", "28-02-2025", 12 },
		{ "29-02-2024", "29-03-2024", 1 },  { "29-02-2024", "28-03-2024", 0 },
		/* the 0-59 month band of a balita */
		{ "10-06-2019", "09-06-2024", 59 }, { "10-06-2019", "10-06-2024", 60 },
		/* before birth */
		{ "15-03-2024", "15-01-2024", -2 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int32_t dob, day;
		ROW("dob %s, day %s", rows[i].dob, rows[i].day);
		CHECK_INT(date_parse(rows[i].dob, &dob, NULL), 0);
		CHECK_INT(date_parse(rows[i].day, &day, NULL), 0);
		CHECK_INT(date_age_months(dob, day), rows[i].months);
	}
	/* "Negative if DAY < DOB" (date.h), even less than a month before. */
	static const char *const before[] = { "14-03-2024", "20-02-2024", "16-02-2024", "01-01-2023" };
	for (size_t i = 0; i < sizeof before / sizeof before[0]; i++) {
		int32_t dob, day;
		ROW("dob 15-03-2024, day %s", before[i]);
		CHECK_INT(date_parse("15-03-2024", &dob, NULL), 0);
		CHECK_INT(date_parse(before[i], &day, NULL), 0);
		CHECK(date_age_months(dob, day) < 0);
	}
}

/* Over three years of days, the age never goes down and grows by at most one
 * month a day. */
static void test_date_age_months_monotonic(void **state)
{
	static const char *const dobs[] = { "31-01-2023", "29-02-2024", "15-06-2022", "30-11-2023" };
	(void)state;
	for (size_t i = 0; i < sizeof dobs / sizeof dobs[0]; i++) {
		int32_t dob;
		int prev = 0;
		assert_int_equal(date_parse(dobs[i], &dob, NULL), 0);
		for (int32_t day = dob; day < dob + 3 * 366; day++) {
			int a = date_age_months(dob, day);
			if (a < prev || a > prev + 1)
				fail_msg("dob %s: day %d age %d after %d", dobs[i], (int)(day - dob), a, prev);
			prev = a;
		}
	}
}

/* ---- months ---- */

static void test_date_months(void **state)
{
	int idx = -1, dec, jan;
	char buf[8];
	struct err err = { 0 };
	(void)state;

	assert_int_equal(date_parse_month("2024-01", &idx, &err), 0);
	assert_int_equal(idx, 2024 * 12);
	assert_string_equal(date_format_month(idx, buf), "2024-01");
	assert_int_equal(date_parse_month("2023-12", &dec, NULL), 0);
	assert_int_equal(idx - dec, 1);                   /* consecutive months differ by 1 */
	assert_string_equal(date_format_month(dec, buf), "2023-12");
	assert_int_equal(date_parse("31-01-2024", &jan, NULL), 0);
	assert_int_equal(date_month_index(jan), idx);
	assert_int_equal(date_month_index(date_from_ymd(2024, 2, 1)), idx + 1);

	static const char *const bad[] = { "2024-13", "2024-00", "1899-12", "2200-01" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ROW("\"%s\"", bad[i]);
		CHECK_INT(date_parse_month(bad[i], &idx, &err), -1);
		CHECK_INT(err.code, ERR_RANGE);
	}
	static const char *const malformed[] = { "2024-1", "24-01", "2024-01x", "2024/01", "", "01-2024" };
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		ROW("\"%s\"", malformed[i]);
		CHECK_INT(date_parse_month(malformed[i], &idx, &err), -1);
		CHECK_INT(err.code, ERR_FORMAT);
	}
}

/* ---- valid_decimal ---- */

static void test_valid_decimal(void **state)
{
	static const struct { const char *in; double want; } ok[] = {
		{ "9,1", 9.1 }, { "9.1", 9.1 }, { " 12 ", 12.0 }, { "0", 0.0 }, { "0,5", 0.5 },
		{ "105.25", 105.25 }, { "3,75", 3.75 },
	};
	static const struct { const char *in; enum err_code code; } bad[] = {
		{ "abc", ERR_FORMAT },   { "1,2,3", ERR_FORMAT }, { "1.2.3", ERR_FORMAT },
		{ "1,2.3", ERR_FORMAT }, { "", ERR_REQUIRED },    { "   ", ERR_REQUIRED },
		{ ",", ERR_FORMAT },     { "9 1", ERR_FORMAT },   { "1e3", ERR_FORMAT },
		{ "9,1kg", ERR_FORMAT }, { "0x10", ERR_FORMAT },  { "nan", ERR_FORMAT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		double v = -1;
		struct err err = { 0 };
		ROW("\"%s\"", ok[i].in);
		CHECK_INT(valid_decimal(ok[i].in, "weight", &v, &err), 0);
		CHECK(v == ok[i].want);
	}
	{
		double a, b;
		assert_int_equal(valid_decimal("9,1", "weight", &a, NULL), 0);
		assert_int_equal(valid_decimal("9.1", "weight", &b, NULL), 0);
		assert_true(a == b);                   /* identical, not merely close */
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v = -1;
		struct err err = { 0 };
		ROW("\"%s\"", bad[i].in);
		CHECK_INT(valid_decimal(bad[i].in, "weight", &v, &err), -1);
		CHECK_INT(err.code, bad[i].code);
		CHECK_STR(err.field, "weight");
	}
	{
		struct err err = { 0 };
		double v;
		assert_int_equal(valid_decimal(NULL, "height", &v, &err), -1);
		assert_int_equal(err.code, ERR_REQUIRED);
		assert_string_equal(err.field, "height");
	}
}

/* ---- valid_sex: one rule for the desk and load ---- */
static void test_valid_sex(void **state)
{
	static const struct { enum person_kind kind; const char *s; int rc; char sex; const char *field; } rows[] = {
		{ PERSON_CHILD, "L", 0, 'L', NULL },     { PERSON_CHILD, "p", 0, 'P', NULL },
		{ PERSON_CHILD, "", -1, 0, "sex-child" }, { PERSON_CHILD, "X", -1, 0, "sex" },
		{ PERSON_CHILD, "LP", -1, 0, "sex" },    { PERSON_CHILD, "-", -1, 0, "sex" },
		{ PERSON_RESIDENT, "l", 0, 'L', NULL },  { PERSON_RESIDENT, "", -1, 0, "sex-resident" },
		{ PERSON_PREGNANT, "", 0, 'P', NULL },   { PERSON_PREGNANT, "L", -1, 0, "sex-woman" },
		{ PERSON_WOMAN, "p", 0, 'P', NULL },     { PERSON_WOMAN, "l", -1, 0, "sex-woman" },
		{ PERSON_WOMAN, "Q", -1, 0, "sex" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		char sex = '?';

		assert_int_equal(valid_sex(rows[i].kind, rows[i].s, &sex, &err), rows[i].rc);
		if (rows[i].rc == 0)
			assert_int_equal(sex, rows[i].sex);
		else
			assert_string_equal(err.field, rows[i].field), assert_int_equal(sex, '?');
	}
}

/* ---- valid_nik ---- */

/* NIK = province(2) regency(2) district(2) DDMMYY(6, women DD + 40) serial(4). */
static void test_valid_nik(void **state)
{
	int32_t siti, budi;            /* 14-05-1995 (woman), 03-11-2021 (boy) */
	struct {
		const char *nik;
		char sex;
		int32_t dob;
		enum err_code code;    /* ERR_NONE = accepted */
		const char *field;     /* NULL: "nik" */
	} rows[] = {
		{ "", 'P', DATE_NONE, ERR_NONE, NULL },                  /* no NIK yet (newborns) */
		{ "3201235405950001", 'P', 0, ERR_NONE, NULL },          /* woman: day 14 + 40 = 54 */
		{ "3201235405950001", 0, DATE_NONE, ERR_NONE, NULL },
		{ "3201235405950001", 'L', DATE_NONE, ERR_RANGE, "nik-woman" }, /* a woman's NIK for a man */
		{ "3201231405950001", 'P', DATE_NONE, ERR_RANGE, "nik-man" }, /* a man's NIK for a woman */
		{ "3201230311210007", 'L', 0, ERR_NONE, NULL },          /* boy: 03-11-21 */
		{ "3201230311210007", 'L', DATE_NONE, ERR_NONE, NULL },
		{ "3201230411210007", 'L', 0, ERR_RANGE, "nik-dob" }, /* day differs from dob */
		{ "3201230312210007", 'L', 0, ERR_RANGE, "nik-dob" }, /* month differs */
		{ "3201230311200007", 'L', 0, ERR_RANGE, "nik-dob" }, /* year differs */
		{ "3201234311210007", 'L', 0, ERR_RANGE, "nik-woman" }, /* the day + 40: sex first */
		{ "3201234311210007", 'P', 0, ERR_NONE, NULL },          /* ... right for a girl */
		{ "3201230311210007", 'P', 0, ERR_RANGE, "nik-man" },
		{ "3201230311220007", 'L', 0, ERR_RANGE, "nik-dob" }, /* a year after */
		{ "3201230211210007", 'L', 0, ERR_RANGE, "nik-dob" }, /* a day before */
		{ "1101010101000001", 0, DATE_NONE, ERR_NONE, NULL },    /* province 11 (Aceh): lowest */
		{ "9401010101000001", 0, DATE_NONE, ERR_NONE, NULL },    /* province 94 (Papua): highest */
		{ "1001010101000001", 0, DATE_NONE, ERR_RANGE, NULL },
		{ "9501010101000001", 0, DATE_NONE, ERR_RANGE, NULL },
		{ "0001010101000001", 0, DATE_NONE, ERR_RANGE, NULL },
		{ "3201233101000001", 'L', DATE_NONE, ERR_NONE, NULL },  /* DD 31 */
		{ "3201233201000001", 0, DATE_NONE, ERR_RANGE, NULL },   /* DD 32 */
		{ "3201234001000001", 0, DATE_NONE, ERR_RANGE, NULL },   /* DD 40 */
		{ "3201234101000001", 'P', DATE_NONE, ERR_NONE, NULL },  /* DD 41 = 1st, woman */
		{ "3201237101000001", 'P', DATE_NONE, ERR_NONE, NULL },  /* DD 71 = 31st, woman */
		{ "3201237201000001", 0, DATE_NONE, ERR_RANGE, NULL },   /* DD 72 */
		{ "3201230001000001", 0, DATE_NONE, ERR_RANGE, NULL },   /* DD 00 */
		{ "3201231500000001", 0, DATE_NONE, ERR_RANGE, NULL },   /* MM 00 */
		{ "3201231513000001", 0, DATE_NONE, ERR_RANGE, NULL },   /* MM 13 */
		{ "320123540595000", 'P', DATE_NONE, ERR_FORMAT, NULL }, /* 15 digits */
		{ "32012354059500011", 'P', DATE_NONE, ERR_FORMAT, NULL }, /* 17 digits */
		{ "32012354059500a1", 'P', DATE_NONE, ERR_FORMAT, NULL },
		{ "3201-2354059500", 'P', DATE_NONE, ERR_FORMAT, NULL },
		{ " 201235405950001", 'P', DATE_NONE, ERR_FORMAT, NULL },
	};
	(void)state;
	assert_int_equal(date_parse("14-05-1995", &siti, NULL), 0);
	assert_int_equal(date_parse("03-11-2021", &budi, NULL), 0);
	rows[1].dob = siti;
	rows[5].dob = budi;
	rows[7].dob = budi;
	rows[8].dob = budi;
	rows[9].dob = budi;
	for (size_t i = 10; i < 15; i++)
		rows[i].dob = budi;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int rc = valid_nik(rows[i].nik, rows[i].sex, rows[i].dob, &err);
		ROW("\"%s\" sex %c dob %s", rows[i].nik, rows[i].sex ? rows[i].sex : '-',
		    rows[i].dob == DATE_NONE ? "none" : "set");
		if (rows[i].code == ERR_NONE) {
			CHECK_INT(rc, 0);
		} else {
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, rows[i].code);
			CHECK_STR(err.field, rows[i].field ? rows[i].field : "nik");
		}
	}
	assert_int_equal(valid_nik(NULL, 0, DATE_NONE, NULL), 0);
	{
		struct err err = { 0 };           /* the NIK's date, for the message */
		assert_int_equal(valid_nik("3201230411210007", 'L', budi, &err), -1);
		assert_string_equal(err.detail, "04-11-21");
	}
}

/* ---- valid_name ---- */

static void test_valid_name(void **state)
{
	char long_name[80];
	static const struct { const char *in; enum err_code code; } rows[] = {
		{ "Siti Aminah", ERR_NONE },      { "bayi Ny. Siti", ERR_NONE },
		{ "Ni Luh Putu Ayu", ERR_NONE },  { "O'Neil", ERR_NONE },
		{ "Jos\xc3\xa9", ERR_NONE },      { "Al-Fatih", ERR_NONE },
		{ "M. Rizki (Iki)", ERR_NONE },   { "Yo", ERR_NONE },
		{ "", ERR_REQUIRED },             { "A", ERR_RANGE },
		{ " Siti", ERR_FORMAT },          { "Siti ", ERR_FORMAT },
		{ "Siti2", ERR_FORMAT },          { "Siti\tAminah", ERR_FORMAT },
		{ "Siti\nAminah", ERR_FORMAT },
		{ "--", ERR_FORMAT },             { ". .", ERR_FORMAT },
		{ "Jos\xc3", ERR_FORMAT },        { "\xff\xfe" "ab", ERR_FORMAT },
		{ "Jo\xc3(s", ERR_FORMAT },       { "\xc0\xaf" "ab", ERR_FORMAT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int rc = valid_name(rows[i].in, "name", &err);
		ROW("\"%s\"", rows[i].in);
		if (rows[i].code == ERR_NONE) {
			CHECK_INT(rc, 0);
		} else {
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, rows[i].code);
			CHECK_STR(err.field, "name");
		}
	}
	memset(long_name, 'a', 63);
	long_name[63] = '\0';
	assert_int_equal(valid_name(long_name, "name", NULL), 0);        /* 63 bytes */
	long_name[63] = 'a';
	long_name[64] = '\0';
	{
		struct err err = { 0 };
		assert_int_equal(valid_name(long_name, "mother_name", &err), -1);  /* 64 bytes */
		assert_int_equal(err.code, ERR_RANGE);
		assert_string_equal(err.field, "mother_name");
		assert_int_equal(valid_name(NULL, "name", &err), -1);
		assert_int_equal(err.code, ERR_REQUIRED);
	}
}

/* ---- valid_secret ---- */

static void test_valid_secret(void **state)
{
	static const struct {
		const char *in;
		enum secret_policy policy;
		enum err_code code;
	} rows[] = {
		{ "739182", SECRET_PIN6, ERR_NONE },
		{ "123456", SECRET_PIN6, ERR_RANGE },       /* a run */
		{ "654321", SECRET_PIN6, ERR_RANGE },       /* a run down */
		{ "111111", SECRET_PIN6, ERR_RANGE },       /* one repeated digit */
		{ "000000", SECRET_PIN6, ERR_RANGE },
		{ "0123456789", SECRET_PIN6, ERR_RANGE },
		{ "12345", SECRET_PIN6, ERR_RANGE },        /* too short */
		{ "", SECRET_PIN6, ERR_RANGE },
		{ "7391820", SECRET_PIN6, ERR_NONE },
		{ "112233", SECRET_PIN6, ERR_NONE },
		{ "kopi susu", SECRET_PIN6, ERR_NONE },
		{ "739182", SECRET_STRONG, ERR_RANGE },
		{ "73918204615", SECRET_STRONG, ERR_RANGE },  /* 11 digits */
		{ "739182046153", SECRET_STRONG, ERR_NONE },  /* 12 digits */
		{ "kopi susu pagi", SECRET_STRONG, ERR_RANGE },  /* 14 characters */
		{ "abc123def456", SECRET_STRONG, ERR_RANGE },    /* 12, not all digits */
		{ "kopi susu pagi 7", SECRET_STRONG, ERR_NONE }, /* 16 characters */
		{ "kuda lari ke sawah", SECRET_STRONG, ERR_NONE },
		{ "111111111111", SECRET_STRONG, ERR_RANGE },     /* long, but one repeated digit */
		{ "987654321098", SECRET_STRONG, ERR_NONE },      /* 9 -> 0 is no step of a run */
		{ "210987654321", SECRET_STRONG, ERR_NONE },
		{ "345678901234", SECRET_STRONG, ERR_NONE },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int rc = valid_secret(rows[i].in, strlen(rows[i].in), rows[i].policy, &err);
		ROW("\"%s\" %s", rows[i].in, rows[i].policy == SECRET_PIN6 ? "pin6" : "strong");
		if (rows[i].code == ERR_NONE) {
			CHECK_INT(rc, 0);
		} else {
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, rows[i].code);
			/* the message in tui/ depends on the policy the field names */
			assert_string_equal(err.field, rows[i].policy == SECRET_PIN6 ? "pin" : "pin-strong");
		}
	}
}

/* Counts and blood pressure typed at the pregnancy desk. */
static void test_valid_count_bp(void **state)
{
	struct err err = { 0 };
	int n, sys, dia;
	(void)state;

	assert_int_equal(valid_count("gest_weeks", "", &n, &err), 0);
	assert_int_equal(n, 0);                                   /* not recorded */
	assert_int_equal(valid_count("gest_weeks", "28", &n, &err), 0);
	assert_int_equal(n, 28);
	assert_int_equal(valid_count("gest_weeks", "46", &n, &err), -1);
	assert_string_equal(err.field, "gest_weeks");
	assert_int_equal(valid_count("gest_weeks", "0", &n, &err), -1);
	assert_int_equal(valid_count("iron_tablets", "0", &n, &err), 0);
	assert_int_equal(valid_count("iron_tablets", "121", &n, &err), -1);
	assert_int_equal(valid_count("anc_no", "6", &n, &err), 0);
	assert_int_equal(valid_count("anc_no", "13", &n, &err), -1);
	assert_int_equal(valid_count("rt", "3,5", &n, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(valid_count("rw", "256", &n, &err), -1);

	assert_int_equal(valid_bp("", &sys, &dia, &err), 0);
	assert_int_equal(sys, 0);
	assert_int_equal(valid_bp("120/80", &sys, &dia, &err), 0);
	assert_int_equal(sys, 120);
	assert_int_equal(dia, 80);
	assert_int_equal(valid_bp("140/90", &sys, &dia, &err), 0);
	assert_int_equal(valid_bp("80/120", &sys, &dia, &err), -1);    /* swapped */
	assert_int_equal(err.code, ERR_RANGE);
	assert_int_equal(valid_bp("120-80", &sys, &dia, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(valid_bp("300/80", &sys, &dia, &err), -1);
}

/* ---- codes and labels ---- */

static void test_valid_posyandu_code(void **state)
{
	static const struct { const char *in; enum err_code code; } rows[] = {
		{ "P-0001", ERR_NONE },         { "A", ERR_NONE },      { "7", ERR_NONE },
		{ "MAWAR-01", ERR_NONE },       { "123456789012345", ERR_NONE },
		{ "1234567890123456", ERR_RANGE }, { "", ERR_REQUIRED },
		{ "bad code!", ERR_FORMAT },    { "p-0001", ERR_FORMAT }, { "-P01", ERR_FORMAT },
		{ "P 0001", ERR_FORMAT },       { "P_0001", ERR_FORMAT }, { "P-00\xc3\xa9", ERR_FORMAT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int rc = valid_posyandu_code(rows[i].in, &err);
		ROW("\"%s\"", rows[i].in);
		if (rows[i].code == ERR_NONE) {
			CHECK_INT(rc, 0);
		} else {
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, rows[i].code);
			CHECK_STR(err.field, "code");
		}
	}
	assert_int_equal(valid_posyandu_code(NULL, NULL), -1);
}

static void test_valid_user_label(void **state)
{
	static const struct { const char *in; enum err_code code; } rows[] = {
		{ "admin", ERR_NONE },      { "Bu Siti", ERR_NONE },  { "kader.1-a_b", ERR_NONE },
		{ "S", ERR_NONE },          { "12345678901234567890123456789012", ERR_NONE },
		{ "123456789012345678901234567890123", ERR_RANGE }, { "", ERR_REQUIRED },
		{ "a/b", ERR_FORMAT },      { "siti\n", ERR_FORMAT }, { "siti'", ERR_FORMAT },
		{ "siti:1", ERR_FORMAT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct err err = { 0 };
		int rc = valid_user_label(rows[i].in, &err);
		ROW("\"%s\"", rows[i].in);
		if (rows[i].code == ERR_NONE) {
			CHECK_INT(rc, 0);
		} else {
			CHECK_INT(rc, -1);
			CHECK_INT(err.code, rows[i].code);
		}
	}
}

/* ---- person.c ---- */

static void test_uuid_format_parse(void **state)
{
	uint8_t u[UUID_LEN], back[UUID_LEN];
	char buf[UUID_STRLEN];
	(void)state;

	for (int i = 0; i < UUID_LEN; i++)
		u[i] = (uint8_t)(i * 17);            /* 00 11 22 ... ff */
	assert_string_equal(uuid_format(u, buf), "00112233-4455-6677-8899-aabbccddeeff");
	assert_int_equal(uuid_parse(buf, back), 0);
	assert_memory_equal(back, u, UUID_LEN);
	assert_int_equal(uuid_parse("00112233-4455-6677-8899-AABBCCDDEEFF", back), 0);
	assert_memory_equal(back, u, UUID_LEN);

	/* random round trips */
	for (int n = 0; n < 1000; n++) {
		randombytes_buf(u, sizeof u);
		uuid_format(u, buf);
		assert_int_equal(strlen(buf), UUID_STRLEN - 1);
		assert_int_equal(uuid_parse(buf, back), 0);
		assert_memory_equal(back, u, UUID_LEN);
	}

	static const char *const bad[] = {
		"", "00112233-4455-6677-8899-aabbccddeef",          /* 31 digits */
		"00112233-4455-6677-8899-aabbccddeeff0",            /* 33 digits */
		"00112233-4455-6677-8899-aabbccddeefg",
		"00112233-4455-6677-8899-aabbccddeeff ",
		" 00112233-4455-6677-8899-aabbccddeeff",
		"{00112233-4455-6677-8899-aabbccddeeff}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ROW("\"%s\"", bad[i]);
		CHECK_INT(uuid_parse(bad[i], back), -1);
	}

	memset(u, 0, sizeof u);
	assert_true(uuid_is_zero(u));
	u[15] = 1;
	assert_false(uuid_is_zero(u));
	u[15] = 0;
	u[0] = 0x80;
	assert_false(uuid_is_zero(u));
}

static void test_person_codes(void **state)
{
	(void)state;
	for (int a = 0; a < IMM__COUNT; a++) {
		const char *code = imm_code((enum imm_antigen)a);
		ROW("antigen %d", a);
		CHECK(code != NULL);
		CHECK(strcmp(code, "?") != 0);
		CHECK_INT(imm_from_code(code), a);
		for (int b = 0; b < a; b++)
			CHECK(strcmp(code, imm_code((enum imm_antigen)b)) != 0);
	}
	assert_string_equal(imm_code(IMM_DPT1), "DPT-HB-Hib1");
	assert_string_equal(imm_code(IMM__COUNT), "?");
	assert_int_equal(imm_from_code("XYZ"), -1);
	assert_int_equal(imm_from_code(""), -1);

	assert_string_equal(person_kind_code(PERSON_CHILD), "child");
	assert_string_equal(person_kind_code(PERSON_PREGNANT), "pregnant");
	assert_string_equal(person_kind_code(PERSON_WOMAN), "woman");
	for (int k = PERSON_CHILD; k <= PERSON_WOMAN; k++)
		assert_int_equal(person_kind_from_code(person_kind_code((enum person_kind)k)), k);
	assert_string_equal(person_kind_code((enum person_kind)0), "?");
	assert_int_equal(person_kind_from_code("man"), -1);
}

/* ---- err.c ---- */

static void test_err(void **state)
{
	struct err err;
	(void)state;
	assert_int_equal(err_set(&err, ERR_RANGE, "weight", "%.1f kg outside 0.5-60", 61.0), -1);
	assert_int_equal(err.code, ERR_RANGE);
	assert_string_equal(err.field, "weight");
	assert_string_equal(err.detail, "61.0 kg outside 0.5-60");
	assert_int_equal(err_set(NULL, ERR_IO, NULL, "x"), -1);
	err_clear(&err);
	assert_int_equal(err.code, ERR_NONE);
	assert_null(err.field);
	assert_string_equal(err.detail, "");
	assert_string_equal(err_code_name(ERR_CRYPTO), "ERR_CRYPTO");
	assert_string_equal(err_code_name(ERR__COUNT), "ERR_?");
	for (int c = 0; c < ERR__COUNT; c++)
		assert_true(strlen(err_code_text((enum err_code)c)) > 0);
	{
		char big[400];
		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		err_set(&err, ERR_IO, NULL, "%s", big);           /* truncated, terminated */
		assert_int_equal(strlen(err.detail), sizeof err.detail - 1);
	}
}

/* core/visit_fields.c: which visit fields apply, by kind and age
 * (domain.md §4, §5), as the visit form and `load visits` both use it. */
static void test_visit_fields(void **state)
{
	static const struct {
		enum visit_field f;
		enum person_kind kind;
		int months;
		enum visit_fit want;
	} rows[] = {
		{ VF_WEIGHT, PERSON_CHILD, -1, VF_FITS },
		{ VF_WEIGHT, PERSON_WOMAN, -1, VF_FITS },
		{ VF_LENHEI, PERSON_CHILD, 30, VF_FITS },
		{ VF_LENHEI, PERSON_PREGNANT, -1, VF_WRONG_KIND },
		{ VF_OEDEMA, PERSON_WOMAN, -1, VF_WRONG_KIND },
		{ VF_MUAC, PERSON_CHILD, 5, VF_WRONG_AGE },
		{ VF_MUAC, PERSON_CHILD, 6, VF_FITS },
		{ VF_MUAC, PERSON_CHILD, -1, VF_AGE_UNKNOWN },
		{ VF_MUAC, PERSON_WOMAN, -1, VF_FITS },          /* LILA */
		{ VF_ASI, PERSON_CHILD, 0, VF_FITS },
		{ VF_ASI, PERSON_CHILD, 5, VF_FITS },
		{ VF_ASI, PERSON_CHILD, 6, VF_WRONG_AGE },
		{ VF_ASI, PERSON_WOMAN, 3, VF_WRONG_KIND },
		{ VF_BF_CONTINUE, PERSON_CHILD, 5, VF_WRONG_AGE },
		{ VF_BF_CONTINUE, PERSON_CHILD, 6, VF_FITS },
		{ VF_BF_CONTINUE, PERSON_CHILD, 23, VF_FITS },
		{ VF_BF_CONTINUE, PERSON_CHILD, 24, VF_WRONG_AGE },
		{ VF_COUNSEL, PERSON_CHILD, 23, VF_FITS },
		{ VF_COUNSEL, PERSON_CHILD, 24, VF_WRONG_AGE },
		{ VF_COUNSEL, PERSON_PREGNANT, -1, VF_FITS },
		{ VF_VITA, PERSON_CHILD, 5, VF_WRONG_AGE },
		{ VF_VITA, PERSON_CHILD, 6, VF_FITS },
		{ VF_VITA, PERSON_CHILD, 59, VF_FITS },
		{ VF_VITA, PERSON_CHILD, 60, VF_WRONG_AGE },
		{ VF_VITA, PERSON_CHILD, -1, VF_AGE_UNKNOWN },
		{ VF_VITA, PERSON_WOMAN, 20, VF_WRONG_KIND },
		{ VF_IMM, PERSON_CHILD, 0, VF_FITS },
		{ VF_IMM, PERSON_CHILD, 60, VF_WRONG_AGE },
		{ VF_IMM, PERSON_PREGNANT, -1, VF_WRONG_KIND },
		{ VF_BP, PERSON_PREGNANT, -1, VF_FITS },
		{ VF_BP, PERSON_WOMAN, -1, VF_FITS },           /* a mother is an adult (ILP) */
		{ VF_BP, PERSON_CHILD, 59, VF_WRONG_KIND },
		{ VF_BP, PERSON_CHILD, 60, VF_FITS },           /* school age: the ILP groups */
		{ VF_BP, PERSON_RESIDENT, 60, VF_FITS },
		{ VF_BP, PERSON_RESIDENT, -1, VF_AGE_UNKNOWN },
		{ VF_GLUCOSE, PERSON_RESIDENT, 119, VF_WRONG_KIND },   /* school: no glucose */
		{ VF_GLUCOSE, PERSON_RESIDENT, 120, VF_FITS },
		{ VF_IRON_WEEKLY, PERSON_RESIDENT, 227, VF_FITS },      /* 18 years 11 months */
		{ VF_IRON_WEEKLY, PERSON_RESIDENT, 228, VF_WRONG_KIND },
		{ VF_ADL, PERSON_RESIDENT, 719, VF_WRONG_KIND },
		{ VF_ADL, PERSON_RESIDENT, 720, VF_FITS },              /* 60 years */
		{ VF_CHOLESTEROL, PERSON_WOMAN, -1, VF_FITS },
		{ VF_CHOLESTEROL, PERSON_PREGNANT, -1, VF_WRONG_KIND },
		{ VF_HPHT, PERSON_PREGNANT, -1, VF_FITS },
		{ VF_HPHT, PERSON_WOMAN, -1, VF_WRONG_KIND },
		{ VF_TD, PERSON_WOMAN, -1, VF_FITS },
		{ VF_VITA_PP, PERSON_WOMAN, -1, VF_FITS },
		{ VF_DEWORM, PERSON_CHILD, 11, VF_WRONG_AGE },
		{ VF_DEWORM, PERSON_CHILD, 12, VF_FITS },
		{ VF_DEWORM, PERSON_CHILD, 59, VF_FITS },
		{ VF_DEWORM, PERSON_CHILD, 60, VF_WRONG_AGE },
		{ VF_TB, PERSON_CHILD, 3, VF_FITS },
		{ VF_TB, PERSON_PREGNANT, -1, VF_FITS },
		{ VF_WEIGHT, PERSON_RESIDENT, -1, VF_FITS },
		{ VF_HEADC, PERSON_RESIDENT, 80, VF_WRONG_KIND },
		{ VF_DANGER, PERSON_CHILD, 12, VF_WRONG_KIND },
		{ VF_NOTE, PERSON_WOMAN, -1, VF_FITS },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ROW("field %d kind %d months %d", rows[i].f, rows[i].kind, rows[i].months);
		CHECK_INT(visit_field_fit(rows[i].f, rows[i].kind, rows[i].months), rows[i].want);
		CHECK(visit_field_applies(rows[i].f, rows[i].kind, rows[i].months) ==
		      (rows[i].want == VF_FITS));
	}
	assert_int_equal(visit_field_fit(VF__COUNT, PERSON_CHILD, 1), VF_WRONG_KIND);
}

/* core/imm.c: vaccine codes as text, both ways. */
static void test_imm_parse_format(void **state)
{
	struct err e = { 0 };
	uint32_t bits = 0;
	char buf[160];
	(void)state;

	assert_int_equal(imm_parse("", &bits, &e), 0);
	assert_int_equal(bits, 0);
	assert_int_equal(imm_parse(" BCG, DPT-HB-Hib1  ", &bits, &e), 0);
	assert_int_equal(bits, (1u << IMM_BCG) | (1u << IMM_DPT1));
	imm_format(bits, buf, sizeof buf);
	assert_string_equal(buf, "BCG DPT-HB-Hib1");
	assert_int_equal(imm_parse(buf, &bits, &e), 0);
	assert_int_equal(bits, (1u << IMM_BCG) | (1u << IMM_DPT1));
	assert_int_equal(imm_parse("BCG XYZ", &bits, &e), -1);
	assert_int_equal(e.code, ERR_FORMAT);
	assert_string_equal(e.field, "imm");
	imm_format(0, buf, sizeof buf);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_known_day_numbers),
		cmocka_unit_test(test_date_days_in_month),
		cmocka_unit_test(test_date_every_day_of_the_range),
		cmocka_unit_test(test_date_valid_ymd_range),
		cmocka_unit_test(test_date_parse_accepts),
		cmocka_unit_test(test_date_parse_refuses),
		cmocka_unit_test(test_date_format_known),
		cmocka_unit_test(test_date_format_round_trips),
		cmocka_unit_test(test_date_from_unix),
		cmocka_unit_test(test_date_age_months),
		cmocka_unit_test(test_date_age_months_monotonic),
		cmocka_unit_test(test_date_months),
		cmocka_unit_test(test_valid_decimal),
		cmocka_unit_test(test_valid_sex),
		cmocka_unit_test(test_valid_nik),
		cmocka_unit_test(test_valid_name),
		cmocka_unit_test(test_valid_secret),
		cmocka_unit_test(test_valid_count_bp),
		cmocka_unit_test(test_valid_posyandu_code),
		cmocka_unit_test(test_valid_user_label),
		cmocka_unit_test(test_uuid_format_parse),
		cmocka_unit_test(test_person_codes),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_visit_fields),
		cmocka_unit_test(test_imm_parse_format),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
