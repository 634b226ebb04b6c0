/* tests/unit/test_growth.c: WHO z-scores and Permenkes 2/2020 categories.
 *
 * Expected values never come from the code under test. They are either
 *   - WHO's own: the SD curves SDk = M (1 + L S k)^(1/L) of each LMS row, on
 *     which the z-score is k by definition (and SD3 +- (SD3 - SD2) for +-4 on
 *     the restricted indicators, as WHO builds its published SD4 columns,
 *     data/who-2006/README.md rule 7), with L, M, S read here from the CSV
 *     files in data/; or
 *   - values from WHO's anthro R package tests (tests/testthat/test-zscores.R
 *     of github.com/WorldHealthOrganization/anthro), cited where used; or
 *   - the LMS formula of rules 5-7 written out again below, independently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/growth.h"

#include "core/banned.h"

#ifndef POSYANDU_SRCDIR
#define POSYANDU_SRCDIR "."
#endif

/* ---- The CSV tables, read independently of the generator ---- */

#define MAXROWS 1900
struct csv {
	int n;
	double x[MAXROWS], l[MAXROWS], m[MAXROWS], s[MAXROWS];
};

static void load(struct csv *t, const char *name, int sex)
{
	char path[1024], line[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/data/%s_%s.csv", POSYANDU_SRCDIR, name,
		 sex == 1 ? "male" : "female");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_non_null(fgets(line, sizeof line, f));
	t->n = 0;
	while (fgets(line, sizeof line, f) && t->n < MAXROWS) {
		char *end = strchr(line, ',');
		t->x[t->n] = strtod(end + 1, &end);
		t->l[t->n] = strtod(end + 1, &end);
		t->m[t->n] = strtod(end + 1, &end);
		t->s[t->n] = strtod(end + 1, &end);
		t->n++;
	}
	fclose(f);
}

/* Independent LMS helpers (rules 6 and 7). */
static double sd_k(double l, double m, double s, double k)
{
	return m * pow(1.0 + l * s * k, 1.0 / l);
}

/* The measurement at z = K: SDk, or for |k| = 4 on a restricted indicator
 * SD3 +- (SD3 - SD2). */
static double at_k(double l, double m, double s, int k, bool restricted)
{
	if (restricted && k == 4)
		return sd_k(l, m, s, 3) + (sd_k(l, m, s, 3) - sd_k(l, m, s, 2));
	if (restricted && k == -4)
		return sd_k(l, m, s, -3) - (sd_k(l, m, s, -2) - sd_k(l, m, s, -3));
	return sd_k(l, m, s, k);
}

static double expected_z(double y, double l, double m, double s, bool restricted)
{
	double z = (pow(y / m, l) - 1.0) / (l * s);
	if (restricted && z > 3) {
		double s3 = sd_k(l, m, s, 3), s2 = sd_k(l, m, s, 2);
		z = 3 + (y - s3) / (s3 - s2);
	} else if (restricted && z < -3) {
		double s3 = sd_k(l, m, s, -3), s2 = sd_k(l, m, s, -2);
		z = -3 + (y - s3) / (s2 - s3);
	}
	return z;
}

/* Rule 11, written out here: halves away from zero. */
static double round2(double z)
{
	return round(z * 100.0) / 100.0;
}

static struct growth_input child(int sex, int32_t days)
{
	struct growth_input in = { .sex = sex, .age_days = days, .weight_kg = NAN,
				   .lenhei_cm = NAN, .headc_cm = NAN, .muac_cm = NAN };
	return in;
}

#define assert_z(res, which, expect) do { \
	const struct growth_z *gz_ = &(res).ind[which]; \
	if (!gz_->valid || fabs(gz_->z - (expect)) > 1e-9) \
		fail_msg("%s:%d: z %s = %.4f (valid %d, why %d), expected %.2f", __FILE__, \
			 __LINE__, growth_indicator_key(which), gz_->z, gz_->valid, gz_->why, \
			 (double)(expect)); \
} while (0)

#define assert_missing(res, which, reason) do { \
	const struct growth_z *gz_ = &(res).ind[which]; \
	if (gz_->valid || gz_->why != (reason)) \
		fail_msg("%s:%d: %s valid %d why %d, expected missing (%d)", __FILE__, __LINE__, \
			 growth_indicator_key(which), gz_->valid, gz_->why, reason); \
} while (0)

/* ---- Sweeps: the SD curves of every row give round z-scores ---- */

enum feed { FEED_WEIGHT, FEED_LENHEI, FEED_BMI, FEED_HEADC, FEED_MUAC };

static void feed(struct growth_input *in, enum feed how, double y, int32_t days)
{
	switch (how) {
	case FEED_WEIGHT: in->weight_kg = y; break;
	case FEED_LENHEI:
		in->lenhei_cm = y;
		in->measure = days < 731 ? 'l' : 'h';    /* no 0.7 cm correction */
		break;
	case FEED_BMI:       /* 100 cm: BMI = weight exactly */
		in->lenhei_cm = 100.0;
		in->measure = days < 731 ? 'l' : 'h';
		in->weight_kg = y;
		break;
	case FEED_HEADC: in->headc_cm = y; break;
	case FEED_MUAC: in->muac_cm = y; break;
	}
}

static void sweep_2006_age(const char *file, enum growth_indicator ind, enum feed how,
			   bool restricted)
{
	struct csv *t = malloc(sizeof *t);
	assert_non_null(t);
	for (int sex = 1; sex <= 2; sex++) {
		load(t, file, sex);
		for (int i = 0; i < t->n; i++) {
			int32_t days = (int32_t)t->x[i];
			if (days / 30.4375 >= 60)
				break;              /* from 60 months the 2007 reference applies */
			for (int k = -4; k <= 4; k++) {
				struct growth_input in = child(sex, days);
				struct growth_result r;
				feed(&in, how, at_k(t->l[i], t->m[i], t->s[i], k, restricted), days);
				growth_compute(&in, &r);
				if (!r.ind[ind].valid || fabs(r.ind[ind].z - k) > 1e-9)
					fail_msg("%s sex %d day %d: SD%+d gives z %.4f (valid %d)", file,
						 sex, days, k, r.ind[ind].z, r.ind[ind].valid);
				assert_int_equal(r.ref, GROWTH_REF_WHO2006);
			}
		}
	}
	free(t);
}

static void test_sweep_wfa(void **state)
{
	(void)state;
	sweep_2006_age("who-2006/weight_for_age", GROWTH_WFA, FEED_WEIGHT, true);
}

static void test_sweep_lhfa(void **state)
{
	(void)state;   /* not restricted: SD+-4 is the plain LMS value (rule 7) */
	sweep_2006_age("who-2006/length_height_for_age", GROWTH_LHFA, FEED_LENHEI, false);
}

static void test_sweep_bmi(void **state)
{
	(void)state;
	sweep_2006_age("who-2006/bmi_for_age", GROWTH_BMI, FEED_BMI, true);
}

static void test_sweep_hca(void **state)
{
	(void)state;
	sweep_2006_age("who-2006/head_circumference_for_age", GROWTH_HCA, FEED_HEADC, true);
}

static void test_sweep_aca(void **state)
{
	(void)state;
	sweep_2006_age("who-2006/arm_circumference_for_age", GROWTH_ACA, FEED_MUAC, true);
}

/* Every row of weight-for-length (age unknown, lying; and at 400 days) and
 * weight-for-height (age unknown, standing; and at 1000 days). */
static void sweep_wflh(const char *file, char measure, int32_t days,
		       enum growth_wflh_table which)
{
	struct csv *t = malloc(sizeof *t);
	assert_non_null(t);
	for (int sex = 1; sex <= 2; sex++) {
		load(t, file, sex);
		for (int i = 0; i < t->n; i++) {
			double x = lround(t->x[i] * 10.0) / 10.0;
			for (int k = -4; k <= 4; k++) {
				struct growth_input in = child(sex, days);
				struct growth_result r;
				in.lenhei_cm = x;
				in.measure = measure;
				in.weight_kg = at_k(t->l[i], t->m[i], t->s[i], k, true);
				growth_compute(&in, &r);
				if (!r.ind[GROWTH_WFLH].valid || fabs(r.ind[GROWTH_WFLH].z - k) > 1e-9)
					fail_msg("%s sex %d %.1f cm: SD%+d gives z %.4f (why %d)", file,
						 sex, x, k, r.ind[GROWTH_WFLH].z, r.ind[GROWTH_WFLH].why);
				assert_int_equal(r.wflh, which);
			}
		}
	}
	free(t);
}

static void test_sweep_wfl(void **state)
{
	(void)state;
	sweep_wflh("who-2006/weight_for_length", 'l', -1, GROWTH_WFLH_LENGTH);
	sweep_wflh("who-2006/weight_for_length", 'l', 400, GROWTH_WFLH_LENGTH);
}

static void test_sweep_wfh(void **state)
{
	(void)state;
	sweep_wflh("who-2006/weight_for_height", 'h', -1, GROWTH_WFLH_HEIGHT);
	sweep_wflh("who-2006/weight_for_height", 'h', 1000, GROWTH_WFLH_HEIGHT);
}

/* 2007: every day from 60 months to the end of the reference, L, M, S
 * interpolated between months here (data/who-2007/README.md). */
static void sweep_2007(const char *file, enum growth_indicator ind, enum feed how,
		       bool restricted, double max_months)
{
	struct csv *t = malloc(sizeof *t);
	assert_non_null(t);
	for (int sex = 1; sex <= 2; sex++) {
		load(t, file, sex);
		assert_int_equal((int)t->x[0], 60);
		for (int32_t days = 1827; days / 30.4375 <= max_months; days++) {
			double months = days / 30.4375;
			int lo = (int)floor(months) - 60;
			double f = months - floor(months);
			double l = t->l[lo] + f * (t->l[lo + 1] - t->l[lo]);
			double m = t->m[lo] + f * (t->m[lo + 1] - t->m[lo]);
			double s = t->s[lo] + f * (t->s[lo + 1] - t->s[lo]);
			for (int k = -4; k <= 4; k++) {
				struct growth_input in = child(sex, days);
				struct growth_result r;
				feed(&in, how, at_k(l, m, s, k, restricted), days);
				growth_compute(&in, &r);
				if (!r.ind[ind].valid || fabs(r.ind[ind].z - k) > 1e-9)
					fail_msg("%s sex %d day %d: SD%+d gives z %.4f (valid %d)", file,
						 sex, days, k, r.ind[ind].z, r.ind[ind].valid);
				assert_int_equal(r.ref, GROWTH_REF_WHO2007);
			}
		}
	}
	free(t);
}

static void test_sweep_2007(void **state)
{
	(void)state;
	sweep_2007("who-2007/height_for_age", GROWTH_LHFA, FEED_LENHEI, false, 228);
	sweep_2007("who-2007/weight_for_age", GROWTH_WFA, FEED_WEIGHT, true, 120);
	sweep_2007("who-2007/bmi_for_age", GROWTH_BMI, FEED_BMI, true, 228);
}

/* ---- Age boundaries: 0, 730, 731, 1826/1827 (the 60-month switch), 1856 ---- */

static double row_m(const char *file, int sex, int x)
{
	static struct csv t;
	load(&t, file, sex);
	for (int i = 0; i < t.n; i++)
		if (lround(t.x[i] * 10) == lround(x * 10.0))
			return t.m[i];
	fail_msg("no row %d in %s", x, file);
	return 0;
}

static void test_age_boundaries(void **state)
{
	struct growth_input in;
	struct growth_result r;
	(void)state;

	/* Day 0: the first row. The median gives z = 0. */
	in = child(1, 0);
	in.weight_kg = row_m("who-2006/weight_for_age", 1, 0);
	in.lenhei_cm = row_m("who-2006/length_height_for_age", 1, 0);
	in.measure = 'l';
	growth_compute(&in, &r);
	assert_z(r, GROWTH_WFA, 0);
	assert_z(r, GROWTH_LHFA, 0);
	assert_int_equal(r.ref, GROWTH_REF_WHO2006);

	/* 730: the last length row, weight-for-length; 731: height, weight-for-height. */
	in = child(2, 730);
	in.lenhei_cm = row_m("who-2006/length_height_for_age", 2, 730);
	in.measure = 'l';
	in.weight_kg = 10;
	growth_compute(&in, &r);
	assert_z(r, GROWTH_LHFA, 0);
	assert_int_equal(r.wflh, GROWTH_WFLH_LENGTH);
	in = child(2, 731);
	in.lenhei_cm = row_m("who-2006/length_height_for_age", 2, 731);
	in.measure = 'h';
	in.weight_kg = 10;
	growth_compute(&in, &r);
	assert_z(r, GROWTH_LHFA, 0);
	assert_int_equal(r.wflh, GROWTH_WFLH_HEIGHT);

	/* 1826 (59.99 months): still the 2006 standards, every indicator. */
	in = child(1, 1826);
	in.weight_kg = row_m("who-2006/weight_for_age", 1, 1826);
	in.lenhei_cm = 110;
	in.measure = 'h';
	in.headc_cm = row_m("who-2006/head_circumference_for_age", 1, 1826);
	in.muac_cm = row_m("who-2006/arm_circumference_for_age", 1, 1826);
	growth_compute(&in, &r);
	assert_int_equal(r.ref, GROWTH_REF_WHO2006);
	assert_z(r, GROWTH_WFA, 0);
	assert_z(r, GROWTH_HCA, 0);
	assert_z(r, GROWTH_ACA, 0);
	assert_true(r.ind[GROWTH_WFLH].valid);

	/* 1827 (60.02 months): the 2007 reference, interpolated between months 60
	 * and 61; no head or arm circumference, no weight-for-height. */
	in.age_days = 1827;
	{
		double f = 1827 / 30.4375 - 60;
		double m60 = row_m("who-2007/weight_for_age", 1, 60);
		double m61 = row_m("who-2007/weight_for_age", 1, 61);
		in.weight_kg = m60 + f * (m61 - m60);
	}
	growth_compute(&in, &r);
	assert_int_equal(r.ref, GROWTH_REF_WHO2007);
	assert_z(r, GROWTH_WFA, 0);
	assert_missing(r, GROWTH_HCA, GROWTH_AGE_RANGE);
	assert_missing(r, GROWTH_ACA, GROWTH_AGE_RANGE);
	assert_missing(r, GROWTH_WFLH, GROWTH_AGE_RANGE);
	assert_true(r.ind[GROWTH_LHFA].valid);
	assert_true(r.ind[GROWTH_BMI].valid);

	/* 1856: the last row of the 2006 tables is not used (60.98 months: 2007). */
	in.age_days = 1856;
	growth_compute(&in, &r);
	assert_int_equal(r.ref, GROWTH_REF_WHO2007);
	assert_missing(r, GROWTH_HCA, GROWTH_AGE_RANGE);

	/* Arm circumference from day 91. */
	in = child(2, 90);
	in.muac_cm = 13;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_ACA, GROWTH_AGE_RANGE);
	in.age_days = 91;
	growth_compute(&in, &r);
	assert_true(r.ind[GROWTH_ACA].valid);

	/* End of the 2007 reference: 228 months (6939 days) for height and BMI,
	 * 120 months (3652 days) for weight. */
	in = child(2, 6939);
	in.lenhei_cm = 160;
	in.measure = 'h';
	in.weight_kg = 50;
	growth_compute(&in, &r);
	assert_true(r.ind[GROWTH_LHFA].valid);
	assert_true(r.ind[GROWTH_BMI].valid);
	assert_missing(r, GROWTH_WFA, GROWTH_AGE_RANGE);
	in.age_days = 6940;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_LHFA, GROWTH_AGE_RANGE);
	assert_missing(r, GROWTH_BMI, GROWTH_AGE_RANGE);
	in.age_days = 3652;
	growth_compute(&in, &r);
	assert_true(r.ind[GROWTH_WFA].valid);
	in.age_days = 3653;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_WFA, GROWTH_AGE_RANGE);
}

/* ---- The 0.7 cm rule and the 9-month decision (rule 3) ---- */

static void lenhei_case(int32_t days, char measure, double adjust, bool c9mo)
{
	struct growth_input in = child(1, days);
	struct growth_result r;

	in.lenhei_cm = 80;
	in.measure = measure;
	growth_compute(&in, &r);
	if (fabs(r.lenhei_adjust_cm - adjust) > 1e-12 || fabs(r.clenhei_cm - (80 + adjust)) > 1e-12 ||
	    r.standing_under_9mo != c9mo)
		fail_msg("day %d measure '%c': adjust %.1f clenhei %.2f c9mo %d; expected %.1f %d",
			 days, measure ? measure : '-', r.lenhei_adjust_cm, r.clenhei_cm,
			 r.standing_under_9mo, adjust, c9mo);
}

static void test_lenhei_correction(void **state)
{
	(void)state;
	lenhei_case(730, 'h', +0.7, false);     /* standing below 731 days: +0.7 */
	lenhei_case(730, 'l', 0, false);
	lenhei_case(731, 'l', -0.7, false);     /* lying from 731 days: -0.7 */
	lenhei_case(731, 'h', 0, false);
	lenhei_case(730, 0, 0, false);          /* position unknown: nothing */
	lenhei_case(-1, 'h', 0, false);         /* age unknown: nothing */
	lenhei_case(273, 'h', 0, true);         /* 8.97 months: error, flagged */
	lenhei_case(274, 'h', +0.7, false);     /* 9.00 months */
	lenhei_case(0, 'h', 0, true);
	lenhei_case(273, 'l', 0, false);
	lenhei_case(1826, 'l', -0.7, false);
	lenhei_case(1827, 'l', 0, false);       /* 2007: always standing, no correction */
	lenhei_case(1000, 'L', -0.7, false);    /* upper case accepted */
}

/* Values from WHO's anthro tests (test-zscores.R). */
static void test_who_anthro_examples(void **state)
{
	struct growth_input in;
	struct growth_result r;
	(void)state;

	/* "length for age uses adjusted lenhei": boy, 987 days, 72.86 cm lying. */
	in = child(1, 987);
	in.lenhei_cm = 72.86;
	in.measure = 'l';
	growth_compute(&in, &r);
	assert_z(r, GROWTH_LHFA, -6.09);
	assert_true(r.ind[GROWTH_LHFA].flag);

	/* "young children with measured standing": 8 and 9 months (244 and 274
	 * days), 60 cm standing: c9mo 1 / 0, clenhei 60 / 60.7, zlen -4.81 / -5.02
	 * (WHO's tolerance 0.01). */
	in = child(1, 244);
	in.lenhei_cm = 60;
	in.measure = 'h';
	growth_compute(&in, &r);
	assert_true(r.standing_under_9mo);
	assert_true(fabs(r.clenhei_cm - 60) < 1e-12);
	assert_true(fabs(r.ind[GROWTH_LHFA].z - -4.81) <= 0.01 + 1e-9);
	in.age_days = 274;
	growth_compute(&in, &r);
	assert_false(r.standing_under_9mo);
	assert_true(fabs(r.clenhei_cm - 60.7) < 1e-12);
	assert_true(fabs(r.ind[GROWTH_LHFA].z - -5.02) <= 0.01 + 1e-9);

	/* "height measurements are used for age 24 months": girl, 24 months =
	 * 731 days, 77.5 cm, position standing or unknown: zlen -2.55. */
	in = child(2, 731);
	in.lenhei_cm = 77.5;
	growth_compute(&in, &r);
	assert_z(r, GROWTH_LHFA, -2.55);
	in.measure = 'h';
	growth_compute(&in, &r);
	assert_z(r, GROWTH_LHFA, -2.55);
}

/* ---- Restricted z beyond +-3 (rule 7) ---- */

static void restricted_case(int sex, int32_t days, double y, enum growth_indicator ind,
			    const char *file, int row_x)
{
	static struct csv t;
	struct growth_input in = child(sex, days);
	struct growth_result r;
	int i;

	load(&t, file, sex);
	for (i = 0; i < t.n && lround(t.x[i] * 10) != row_x * 10L; i++)
		;
	assert_true(i < t.n);
	if (ind == GROWTH_WFA)
		in.weight_kg = y;
	else
		in.muac_cm = y;
	growth_compute(&in, &r);
	assert_true(r.ind[ind].valid);
	if (fabs(r.ind[ind].z - expected_z(y, t.l[i], t.m[i], t.s[i], true)) > 0.005 + 1e-9)
		fail_msg("%s day %d y %.4f: z %.2f, expected %.4f", file, days, y, r.ind[ind].z,
			 expected_z(y, t.l[i], t.m[i], t.s[i], true));
}

static void test_restricted(void **state)
{
	struct csv *t = malloc(sizeof *t);
	(void)state;
	assert_non_null(t);
	load(t, "who-2006/weight_for_age", 1);
	{
		const int d = 500;
		double l = t->l[d], m = t->m[d], s = t->s[d];
		double s3 = sd_k(l, m, s, 3), s2 = sd_k(l, m, s, 2);
		double n3 = sd_k(l, m, s, -3), n2 = sd_k(l, m, s, -2);
		struct growth_input in = child(1, d);
		struct growth_result r;
		double plain;

		/* Beyond +3: 3 + (y - SD3) / (SD3 - SD2); here 3.5 exactly. */
		in.weight_kg = s3 + 0.5 * (s3 - s2);
		plain = (pow(in.weight_kg / m, l) - 1) / (l * s);
		growth_compute(&in, &r);
		assert_z(r, GROWTH_WFA, 3.5);
		assert_true(fabs(plain - 3.5) > 0.01);      /* the plain formula differs */
		/* Beyond -3: -3 + (y - SD3neg) / (SD2neg - SD3neg); -3.5. */
		in.weight_kg = n3 - 0.5 * (n2 - n3);
		growth_compute(&in, &r);
		assert_z(r, GROWTH_WFA, -3.5);
		/* Just inside: the plain LMS formula. */
		in.weight_kg = s3 - 0.002;
		growth_compute(&in, &r);
		assert_z(r, GROWTH_WFA, round2((pow(in.weight_kg / m, l) - 1) / (l * s)));
		assert_true(r.ind[GROWTH_WFA].z <= 3.0);
		in.weight_kg = n3 + 0.002;
		growth_compute(&in, &r);
		assert_z(r, GROWTH_WFA, round2((pow(in.weight_kg / m, l) - 1) / (l * s)));
		assert_true(r.ind[GROWTH_WFA].z >= -3.0);
		/* Just outside. */
		restricted_case(1, d, s3 + 0.01, GROWTH_WFA, "who-2006/weight_for_age", d);
		restricted_case(1, d, n3 - 0.01, GROWTH_WFA, "who-2006/weight_for_age", d);
		restricted_case(1, d, s3 * 1.8, GROWTH_WFA, "who-2006/weight_for_age", d);
		restricted_case(1, d, n3 * 0.5, GROWTH_WFA, "who-2006/weight_for_age", d);
	}
	restricted_case(2, 400, 25.0, GROWTH_ACA, "who-2006/arm_circumference_for_age", 400);
	restricted_case(2, 400, 8.0, GROWTH_ACA, "who-2006/arm_circumference_for_age", 400);
	free(t);

	/* Rule 6 and 7 helpers against the same formula written here. */
	assert_true(fabs(growth_lms_z(10, 0.5, 9, 0.1) - ((pow(10 / 9.0, 0.5) - 1) / 0.05)) < 1e-12);
	assert_true(fabs(growth_lms_z_restricted(30, 0.5, 9, 0.1) -
			 expected_z(30, 0.5, 9, 0.1, true)) < 1e-12);
}

/* ---- Weight-for-length/height: interpolation and table ends (rule 5) ---- */

static void wflh_case(int sex, double x, char measure, double w, const char *file)
{
	static struct csv t;
	struct growth_input in = child(sex, -1);
	struct growth_result r;
	long lo_mm = (long)floor(x * 10 + 1e-9);
	int i;
	double f, l, m, s, e;

	load(&t, file, sex);
	for (i = 0; i < t.n && lround(t.x[i] * 10) != lo_mm; i++)
		;
	assert_true(i < t.n);
	f = (x - t.x[i]) / 0.1;
	if (f > 1e-9) {
		l = t.l[i] + f * (t.l[i + 1] - t.l[i]);
		m = t.m[i] + f * (t.m[i + 1] - t.m[i]);
		s = t.s[i] + f * (t.s[i + 1] - t.s[i]);
	} else {
		l = t.l[i], m = t.m[i], s = t.s[i];
	}
	e = expected_z(w, l, m, s, true);
	in.lenhei_cm = x;
	in.measure = measure;
	in.weight_kg = w;
	growth_compute(&in, &r);
	if (!r.ind[GROWTH_WFLH].valid || fabs(r.ind[GROWTH_WFLH].z - e) > 0.005 + 1e-9)
		fail_msg("%s %.3f cm %.2f kg: z %.2f (valid %d), expected %.4f", file, x, w,
			 r.ind[GROWTH_WFLH].z, r.ind[GROWTH_WFLH].valid, e);
}

static void wflh_out(int sex, int32_t days, double x, char measure)
{
	struct growth_input in = child(sex, days);
	struct growth_result r;

	in.lenhei_cm = x;
	in.measure = measure;
	in.weight_kg = 10;
	growth_compute(&in, &r);
	if (r.ind[GROWTH_WFLH].valid || r.ind[GROWTH_WFLH].why != GROWTH_LENHEI_RANGE)
		fail_msg("%.2f cm '%c' day %d should be outside the table", x, measure, days);
}

static void test_wflh_interpolation(void **state)
{
	(void)state;
	for (int sex = 1; sex <= 2; sex++) {
		/* between rows */
		wflh_case(sex, 45.05, 'l', 2.5, "who-2006/weight_for_length");
		wflh_case(sex, 67.43, 'l', 7.9, "who-2006/weight_for_length");
		wflh_case(sex, 85.77, 'l', 9.1, "who-2006/weight_for_length");
		wflh_case(sex, 109.95, 'l', 17.5, "who-2006/weight_for_length");
		wflh_case(sex, 65.01, 'h', 7.0, "who-2006/weight_for_height");
		wflh_case(sex, 92.25, 'h', 13.0, "who-2006/weight_for_height");
		wflh_case(sex, 119.99, 'h', 30.0, "who-2006/weight_for_height");
		/* the table ends themselves */
		wflh_case(sex, 45.0, 'l', 2.4, "who-2006/weight_for_length");
		wflh_case(sex, 110.0, 'l', 18.0, "who-2006/weight_for_length");
		wflh_case(sex, 65.0, 'h', 7.3, "who-2006/weight_for_height");
		wflh_case(sex, 120.0, 'h', 22.0, "who-2006/weight_for_height");
		/* restricted beyond +-3 between rows */
		wflh_case(sex, 75.55, 'l', 14.0, "who-2006/weight_for_length");
		wflh_case(sex, 75.55, 'l', 6.0, "who-2006/weight_for_length");
		/* just outside */
		wflh_out(sex, -1, 44.9, 'l');
		wflh_out(sex, -1, 44.99, 'l');
		wflh_out(sex, -1, 110.01, 'l');
		wflh_out(sex, -1, 110.1, 'l');
		wflh_out(sex, -1, 64.9, 'h');
		wflh_out(sex, -1, 120.1, 'h');
		wflh_out(sex, 500, 110.1, 'l');
		wflh_out(sex, 1000, 64.99, 'h');
		wflh_out(sex, 1000, 120.01, 'h');
	}
	/* 109.3 cm standing at 700 days + 0.7 = 110.0: inside, the 110 row. */
	{
		struct growth_input in = child(1, 700);
		struct growth_result r;
		in.lenhei_cm = 109.3;
		in.measure = 'h';
		in.weight_kg = row_m("who-2006/weight_for_length", 1, 110);
		growth_compute(&in, &r);
		assert_z(r, GROWTH_WFLH, 0);
	}
	/* Age and position unknown: under 87 cm the length table, from 87 the
	 * height table (rule 4). */
	{
		struct growth_input in = child(2, -1);
		struct growth_result r;
		in.weight_kg = 12;
		in.lenhei_cm = 86.9;
		growth_compute(&in, &r);
		assert_int_equal(r.wflh, GROWTH_WFLH_LENGTH);
		in.lenhei_cm = 87.0;
		growth_compute(&in, &r);
		assert_int_equal(r.wflh, GROWTH_WFLH_HEIGHT);
		in.measure = 'l';      /* position known: it decides */
		growth_compute(&in, &r);
		assert_int_equal(r.wflh, GROWTH_WFLH_LENGTH);
		assert_missing(r, GROWTH_WFA, GROWTH_NO_AGE);
	}
}

/* ---- Oedema, missing values, flags, rounding ---- */

static void test_oedema(void **state)
{
	struct growth_input in = child(1, 400);
	struct growth_result r;
	(void)state;

	in.weight_kg = 9;
	in.lenhei_cm = 76;
	in.measure = 'l';
	in.headc_cm = 46;
	in.muac_cm = 14;
	in.oedema = true;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_WFA, GROWTH_OEDEMA);
	assert_missing(r, GROWTH_WFLH, GROWTH_OEDEMA);
	assert_missing(r, GROWTH_BMI, GROWTH_OEDEMA);
	assert_true(r.ind[GROWTH_LHFA].valid);
	assert_true(r.ind[GROWTH_HCA].valid);
	assert_true(r.ind[GROWTH_ACA].valid);
	assert_int_equal(growth_category(&r, GROWTH_WFA), GROWTH_CAT_NONE);
}

static void test_missing(void **state)
{
	struct growth_input in = child(0, 400);
	struct growth_result r;
	(void)state;

	in.weight_kg = 9;
	growth_compute(&in, &r);
	for (int i = 0; i < GROWTH__COUNT; i++)
		assert_missing(r, i, GROWTH_NO_SEX);
	in.sex = 2;
	in.weight_kg = 0;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_WFA, GROWTH_NO_VALUE);
	in.weight_kg = -3;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_WFA, GROWTH_NO_VALUE);
	assert_missing(r, GROWTH_HCA, GROWTH_NO_VALUE);
	in.weight_kg = 9;
	in.age_days = -1;
	growth_compute(&in, &r);
	assert_missing(r, GROWTH_WFA, GROWTH_NO_AGE);
	assert_int_equal(r.ref, GROWTH_REF_NONE);
}

static void test_flags(void **state)
{
	struct csv *t = malloc(sizeof *t);
	(void)state;
	assert_non_null(t);
	load(t, "who-2006/weight_for_age", 2);
	{
		const int d = 800;
		double l = t->l[d], m = t->m[d], s = t->s[d];
		double s3 = sd_k(l, m, s, 3), d23 = s3 - sd_k(l, m, s, 2);
		double n3 = sd_k(l, m, s, -3), n23 = sd_k(l, m, s, -2) - n3;
		struct growth_input in = child(2, d);
		struct growth_result r;
		/* zwei flagged when z < -6 or z > 5, strictly, on the rounded z. */
		const struct { double z; bool flag; } cases[] = {
			{ 5.00, false }, { 5.01, true }, { 4.99, false }, { 5.004, false },
			{ -6.00, false }, { -6.01, true }, { -5.99, false },
		};
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			double z = cases[i].z;
			in.weight_kg = z > 0 ? s3 + (z - 3) * d23 : n3 + (z + 3) * n23;
			growth_compute(&in, &r);
			assert_z(r, GROWTH_WFA, round2(z));
			if (r.ind[GROWTH_WFA].flag != cases[i].flag)
				fail_msg("zwei %.3f: flag %d", z, r.ind[GROWTH_WFA].flag);
		}
	}
	free(t);
	/* zlen: |z| > 6; L = 1 so lenhei = M (1 + S z). */
	load(t = malloc(sizeof *t), "who-2006/length_height_for_age", 1);
	for (int sign = -1; sign <= 1; sign += 2) {
		struct growth_input in = child(1, 100);
		struct growth_result r;
		in.measure = 'l';
		in.lenhei_cm = t->m[100] * (1 + t->s[100] * 6.0 * sign);
		growth_compute(&in, &r);
		assert_z(r, GROWTH_LHFA, 6.0 * sign);
		assert_false(r.ind[GROWTH_LHFA].flag);
		in.lenhei_cm = t->m[100] * (1 + t->s[100] * 6.01 * sign);
		growth_compute(&in, &r);
		assert_true(r.ind[GROWTH_LHFA].flag);
	}
	free(t);
}

static void test_round2(void **state)
{
	(void)state;
	/* Halves away from zero (rule 11), on exactly representable halves. */
	assert_true(growth_round2(0.125) == 0.13);
	assert_true(growth_round2(-0.125) == -0.13);
	assert_true(growth_round2(0.375) == 0.38);
	assert_true(growth_round2(-0.625) == -0.63);
	assert_true(growth_round2(2.004) == 2.0);
	assert_false(signbit(growth_round2(-0.001)));        /* no -0.00 */
	assert_int_equal(growth_z_centi(-2.0), -200);
	assert_int_equal(growth_z_centi(-2.004), -200);
	assert_int_equal(growth_z_centi(1e300), 1000000000L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_wfa),
		cmocka_unit_test(test_sweep_lhfa),
		cmocka_unit_test(test_sweep_bmi),
		cmocka_unit_test(test_sweep_hca),
		cmocka_unit_test(test_sweep_aca),
		cmocka_unit_test(test_sweep_wfl),
		cmocka_unit_test(test_sweep_wfh),
		cmocka_unit_test(test_sweep_2007),
		cmocka_unit_test(test_age_boundaries),
		cmocka_unit_test(test_lenhei_correction),
		cmocka_unit_test(test_who_anthro_examples),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_wflh_interpolation),
		cmocka_unit_test(test_oedema),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_round2),
	};
	return cmocka_run_group_tests_name("growth", tests, NULL, NULL);
}
