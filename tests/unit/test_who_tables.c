/* tests/unit/test_who_tables.c: the generated WHO tables (core/who.h, built
 * by tools/genwho) hold exactly the rows of the CSV files in data/. This test
 * parses the CSVs itself, independently of the generator, and compares every
 * row: x, L, M and S (as doubles, exactly). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/who.h"

#include "core/banned.h"

#ifndef POSYANDU_SRCDIR
#define POSYANDU_SRCDIR "."
#endif

enum xunit { DAYS, MM, MONTHS };

static const struct {
	enum who_table_id id;
	const char *file;     /* without _male.csv / _female.csv */
	enum xunit unit;
	int first, last;      /* per data/who-200x/README.md, "Files" */
} files[] = {
	{ WHO_WFA,   "who-2006/weight_for_age",             DAYS,   0,   1856 },
	{ WHO_LHFA,  "who-2006/length_height_for_age",      DAYS,   0,   1856 },
	{ WHO_BFA,   "who-2006/bmi_for_age",                DAYS,   0,   1856 },
	{ WHO_HCFA,  "who-2006/head_circumference_for_age", DAYS,   0,   1856 },
	{ WHO_ACFA,  "who-2006/arm_circumference_for_age",  DAYS,   91,  1856 },
	{ WHO_WFL,   "who-2006/weight_for_length",          MM,     450, 1100 },
	{ WHO_WFH,   "who-2006/weight_for_height",          MM,     650, 1200 },
	{ WHO07_HFA, "who-2007/height_for_age",             MONTHS, 60,  229 },
	{ WHO07_WFA, "who-2007/weight_for_age",             MONTHS, 60,  121 },
	{ WHO07_BFA, "who-2007/bmi_for_age",                MONTHS, 60,  229 },
};

static void check_file(size_t fi, int sex)
{
	char path[1024], line[256];
	const struct who_table *t = &who_tables[files[fi].id][sex - 1];
	FILE *f;
	long row = 0;

	snprintf(path, sizeof path, "%s/data/%s_%s.csv", POSYANDU_SRCDIR, files[fi].file,
		 sex == 1 ? "male" : "female");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_non_null(fgets(line, sizeof line, f));        /* header */
	assert_int_equal(t->first, files[fi].first);
	assert_int_equal(t->count, files[fi].last - files[fi].first + 1);
	while (fgets(line, sizeof line, f)) {
		char *p = line, *end;
		long csex = strtol(p, &end, 10);
		double x, l, m, s;
		long xi;

		if (csex != sex || *end != ',')
			fail_msg("%s:%ld: bad sex", path, row + 2);
		x = strtod(end + 1, &end);
		l = strtod(end + 1, &end);
		m = strtod(end + 1, &end);
		s = strtod(end + 1, &end);
		if (*end != ',' && *end != '\n')
			fail_msg("%s:%ld: bad row", path, row + 2);
		xi = files[fi].unit == MM ? lround(x * 10.0) : lround(x);
		if (row >= t->count)
			fail_msg("%s: more rows than the generated table (%d)", path, (int)t->count);
		if (xi != t->first + row)
			fail_msg("%s:%ld: x %g is not row %ld of the table", path, row + 2, x, row);
		if (t->rows[row].l != l || t->rows[row].m != m || t->rows[row].s != s)
			fail_msg("%s:%ld: L,M,S %.17g,%.17g,%.17g but the table has %.17g,%.17g,%.17g",
				 path, row + 2, l, m, s, t->rows[row].l, t->rows[row].m, t->rows[row].s);
		row++;
	}
	fclose(f);
	if (row != t->count)
		fail_msg("%s: %ld rows, the generated table %d", path, row, (int)t->count);
}

static void test_every_row_matches_csv(void **state)
{
	(void)state;
	assert_int_equal(sizeof files / sizeof files[0], WHO_TABLE__COUNT);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		for (int sex = 1; sex <= 2; sex++)
			check_file(i, sex);
}

/* A few rows read off the WHO files by eye, so a shared misreading of the CSV
 * by both the generator and the parser above would still be caught. */
static void test_known_rows(void **state)
{
	(void)state;
	/* weight_for_age_male.csv, day 0: 1,0,0.3487,3.3464,0.14602 */
	assert_true(who_tables[WHO_WFA][0].rows[0].l == 0.3487);
	assert_true(who_tables[WHO_WFA][0].rows[0].m == 3.3464);
	assert_true(who_tables[WHO_WFA][0].rows[0].s == 0.14602);
	/* weight_for_length_female.csv, 45 cm: 2,45,-0.3833,2.4607,0.09029,L */
	assert_true(who_tables[WHO_WFL][1].rows[0].m == 2.4607);
	/* weight_for_height_male.csv, 65.1 cm: 1,65.1,-0.3521,7.4563,0.08216,H */
	assert_true(who_tables[WHO_WFH][0].rows[1].m == 7.4563);
	/* who-2007 height_for_age_female.csv, 60 months: 2,60,1,109.0725,0.04346 */
	assert_true(who_tables[WHO07_HFA][1].rows[0].m == 109.0725);
	/* who-2007 bmi_for_age_male.csv, 61 months: 1,61,-0.7387,15.2641,0.08390 */
	assert_true(who_tables[WHO07_BFA][0].rows[1].l == -0.7387);
	/* arm_circumference_for_age_female.csv starts at day 91: 2,91,-0.1733,13.0245,0.08262 */
	assert_true(who_tables[WHO_ACFA][1].rows[0].m == 13.0245);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_matches_csv),
		cmocka_unit_test(test_known_rows),
	};
	return cmocka_run_group_tests_name("who_tables", tests, NULL, NULL);
}
