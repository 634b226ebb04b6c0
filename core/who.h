/* core/who.h: the WHO LMS tables, compiled into the binary.
 *
 * The numbers are never typed by hand and never read at run time:
 * tools/genwho.c reads the CSV files in data/who-2006 and data/who-2007 at build
 * time and writes $(BUILD)/gen/who_tables.c, which defines who_tables[] below
 * (mk/growth.mk). tests/unit/test_who_tables.c compares every row with the
 * CSVs. See data/who-2006/README.md and data/who-2007/README.md for where the
 * numbers come from. */
#ifndef POSYANDU_CORE_WHO_H
#define POSYANDU_CORE_WHO_H

#include <stdint.h>

/* Box-Cox power L, median M, coefficient of variation S of one table row. */
struct who_lms {
	double l, m, s;
};

/* One table for one sex: rows[i] holds x = first + i, for i < count, with no
 * gaps (the generator checks). The unit of x depends on the table:
 *   age tables of the 2006 standards: age in days;
 *   weight-for-length/height: length or height in mm (tenths of a cm);
 *   2007 reference: age in whole months. */
struct who_table {
	int32_t first;
	int32_t count;
	const struct who_lms *rows;
};

enum who_table_id {
	WHO_WFA,     /* who-2006/weight_for_age, days 0-1856, kg */
	WHO_LHFA,    /* who-2006/length_height_for_age, days 0-1856, cm (L < 731 d, H >= 731 d) */
	WHO_BFA,     /* who-2006/bmi_for_age, days 0-1856, kg/m2 */
	WHO_HCFA,    /* who-2006/head_circumference_for_age, days 0-1856, cm */
	WHO_ACFA,    /* who-2006/arm_circumference_for_age, days 91-1856, cm */
	WHO_WFL,     /* who-2006/weight_for_length, 450-1100 mm, kg */
	WHO_WFH,     /* who-2006/weight_for_height, 650-1200 mm, kg */
	WHO07_HFA,   /* who-2007/height_for_age, months 60-229, cm */
	WHO07_WFA,   /* who-2007/weight_for_age, months 60-121, kg */
	WHO07_BFA,   /* who-2007/bmi_for_age, months 60-229, kg/m2 */
	WHO_TABLE__COUNT
};

/* who_tables[id][sex - 1]: index 0 is male (sex 1), index 1 female (sex 2). */
extern const struct who_table who_tables[WHO_TABLE__COUNT][2];

#endif
