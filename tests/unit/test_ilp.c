/* tests/unit/test_ilp.c: the Posyandu ILP judgement (core/ilp.c) and what
 * the desk adds from the history (core/desk.c). Every threshold is checked
 * on its border and one step either side, in the unit the visit stores
 * (mmHg, mg/dL, mm, 0.1 g/dL, grams). Expected values come from issue 14
 * and domain.md, worked out by hand beside each row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/ilp.h"

static char row[160];
#define ROW(...) snprintf(row, sizeof row, __VA_ARGS__)
#define CHECK(cond) \
	do { if (!(cond)) fail_msg("%s: %s", row, #cond); } while (0)

static const struct ilp_limits *L = &ilp_limits_default;

static int32_t day(int d, int m, int y)
{
	return date_from_ymd(y, m, d);
}

#define VISIT_DAY day(15, 3, 2025)

/* A person of KIND and SEX who is YEARS old (and 2 months) on VISIT_DAY. */
static struct person who(enum person_kind kind, char sex, int years)
{
	struct person p;
	memset(&p, 0, sizeof p);
	p.uuid[0] = 7;
	p.kind = kind;
	p.sex = sex;
	p.dob = day(15, 1, 2025 - years);
	return p;
}

static struct visit visit_on(int32_t date)
{
	struct visit v;
	memset(&v, 0, sizeof v);
	v.uuid[0] = 1;
	v.person[0] = 7;
	v.date = date;
	v.asi_recall = -1;
	return v;
}

static unsigned flags_of(const struct person *p, const struct visit *v)
{
	struct ilp_result r;
	ilp_assess(p, v, NULL, &r);
	return r.flags;
}

/* ---- BMI ---- */

/* At 160 cm, h^2 = 2,56 m^2: 0,1 kg/m^2 is 256 g, so every border is a
 * whole number of grams: 18,5 = 47 360 g, 25,0 = 64 000 g, 27,0 = 69 120 g. */
static void test_bmi_adult_borders(void **state)
{
	static const struct { uint32_t g; int bmi_d; enum ilp_bmi cat; } rows[] = {
		{ 47104, 184, ILP_BMI_THIN },        /* 18,4 */
		{ 47360, 185, ILP_BMI_NORMAL },      /* 18,5: normal starts here */
		{ 47616, 186, ILP_BMI_NORMAL },
		{ 63744, 249, ILP_BMI_NORMAL },
		{ 64000, 250, ILP_BMI_NORMAL },      /* 25,0 is still normal */
		{ 64256, 251, ILP_BMI_OVERWEIGHT },  /* > 25,0 */
		{ 68864, 269, ILP_BMI_OVERWEIGHT },
		{ 69120, 270, ILP_BMI_OVERWEIGHT },  /* 27,0 is still overweight */
		{ 69376, 271, ILP_BMI_OBESE },       /* > 27,0 */
		/* the BMI as shown, one decimal: 25,04 -> 25,0, 25,05 -> 25,1 */
		{ 64102, 250, ILP_BMI_NORMAL },
		{ 64128, 251, ILP_BMI_OVERWEIGHT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, 'L', 40);
		struct visit v = visit_on(VISIT_DAY);
		struct ilp_result r;
		ROW("%u g at 160 cm", rows[i].g);
		v.weight_g = rows[i].g;
		v.lenhei_mm = 1600;
		CHECK(ilp_bmi_d(v.weight_g, v.lenhei_mm) == rows[i].bmi_d);
		ilp_assess(&p, &v, NULL, &r);
		CHECK(r.group == ILP_ADULT);
		CHECK(r.bmi == rows[i].cat);
		CHECK(r.bmi_d == rows[i].bmi_d);
		CHECK(!!(r.flags & ILP_F_BMI_THIN) == (rows[i].cat == ILP_BMI_THIN));
		CHECK(!!(r.flags & ILP_F_BMI_OVER) == (rows[i].cat == ILP_BMI_OVERWEIGHT));
		CHECK(!!(r.flags & ILP_F_BMI_OBESE) == (rows[i].cat == ILP_BMI_OBESE));
		/* the elderly are judged the same way */
		p = who(PERSON_RESIDENT, 'P', 70);
		ilp_assess(&p, &v, NULL, &r);
		CHECK(r.group == ILP_ELDERLY && r.bmi == rows[i].cat);
	}
}

static void test_bmi_needs_weight_and_height(void **state)
{
	struct person p = who(PERSON_RESIDENT, 'P', 30);
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_result r;
	(void)state;
	v.weight_g = 60000;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.bmi, ILP_BMI_NONE);
	assert_int_equal(r.bmi_d, 0);
	v.weight_g = 0;
	v.lenhei_mm = 1600;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.bmi, ILP_BMI_NONE);
	/* a school child without height has no BMI-for-age either */
	p = who(PERSON_CHILD, 'L', 7);
	v.lenhei_mm = 0;
	v.weight_g = 22000;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.group, ILP_SCHOOL);
	assert_false(r.bmi_z_valid);
	assert_int_equal(r.bmi, ILP_BMI_NONE);
}

/* IMT/U 5-18 y (Permenkes 2/2020) on z in hundredths. */
static void test_bmi_for_age_borders(void **state)
{
	static const struct { long z; enum ilp_bmi cat; } rows[] = {
		{ -301, ILP_BMI_THIN }, { -300, ILP_BMI_THIN },      /* severe thinness is thin */
		{ -201, ILP_BMI_THIN }, { -200, ILP_BMI_NORMAL }, { -199, ILP_BMI_NORMAL },
		{ 99, ILP_BMI_NORMAL }, { 100, ILP_BMI_NORMAL }, { 101, ILP_BMI_OVERWEIGHT },
		{ 199, ILP_BMI_OVERWEIGHT }, { 200, ILP_BMI_OVERWEIGHT }, { 201, ILP_BMI_OBESE },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ROW("z %ld/100", rows[i].z);
		CHECK(ilp_bmi_for_age(rows[i].z) == rows[i].cat);
	}
}

/* A school child and an adolescent go through the growth engine: the
 * category is the one of the z the engine computes (WHO 2007), and a heavy
 * child of the same height is further up. */
static void test_bmi_for_age_of_a_visit(void **state)
{
	static const struct { enum person_kind kind; int years; enum ilp_group g; } rows[] = {
		{ PERSON_CHILD, 7, ILP_SCHOOL }, { PERSON_RESIDENT, 14, ILP_ADOLESCENT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(rows[i].kind, 'P', rows[i].years);
		struct visit v = visit_on(VISIT_DAY);
		struct ilp_result thin, heavy;
		int h = rows[i].years == 7 ? 1220 : 1580;
		ROW("%d years", rows[i].years);
		v.lenhei_mm = (uint16_t)h;
		v.weight_g = rows[i].years == 7 ? 15000 : 32000;
		ilp_assess(&p, &v, NULL, &thin);
		v.weight_g = rows[i].years == 7 ? 36000 : 80000;
		ilp_assess(&p, &v, NULL, &heavy);
		CHECK(thin.group == rows[i].g);
		CHECK(thin.bmi_z_valid && heavy.bmi_z_valid);
		CHECK(thin.bmi == ilp_bmi_for_age(thin.bmi_z_centi));
		CHECK(thin.bmi_z_centi < -200 && thin.bmi == ILP_BMI_THIN);
		CHECK(heavy.bmi_z_centi > 200 && heavy.bmi == ILP_BMI_OBESE);
		CHECK(heavy.flags & ILP_F_BMI_OBESE);
	}
}

/* ---- blood pressure, glucose, waist ---- */

static void test_bp_borders(void **state)
{
	static const struct { int sys, dia; bool high; } rows[] = {
		{ 139, 89, false }, { 140, 80, true }, { 141, 80, true },
		{ 120, 89, false }, { 120, 90, true }, { 120, 91, true },
		{ 139, 0, false }, { 0, 90, true }, { 0, 0, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, 'L', 45);
		struct visit v = visit_on(VISIT_DAY);
		ROW("%d/%d", rows[i].sys, rows[i].dia);
		v.bp_sys = (uint16_t)rows[i].sys;
		v.bp_dia = (uint16_t)rows[i].dia;
		CHECK(ilp_bp_high(rows[i].sys, rows[i].dia, L) == rows[i].high);
		CHECK(!!(flags_of(&p, &v) & ILP_F_BP_HIGH) == rows[i].high);
		p = who(PERSON_PREGNANT, 'P', 25);         /* the same rule in pregnancy */
		CHECK(!!(flags_of(&p, &v) & ILP_F_BP_HIGH) == rows[i].high);
	}
}

static void test_glucose_borders(void **state)
{
	static const struct { int mgdl; uint8_t fasting; bool high; } rows[] = {
		{ 125, ASK_YES, false }, { 126, ASK_YES, true }, { 127, ASK_YES, true },
		{ 199, ASK_NO, false }, { 200, ASK_NO, true }, { 201, ASK_NO, true },
		/* not asked whether fasting: a random measurement */
		{ 126, ASK_NOT, false }, { 199, ASK_NOT, false }, { 200, ASK_NOT, true },
		{ 0, ASK_YES, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, 'P', 62);
		struct visit v = visit_on(VISIT_DAY);
		ROW("%d mg/dL, fasting %d", rows[i].mgdl, rows[i].fasting);
		v.glucose_mgdl = (uint16_t)rows[i].mgdl;
		v.glucose_fasting = rows[i].fasting;
		CHECK(!!(flags_of(&p, &v) & ILP_F_GLUCOSE_HIGH) == rows[i].high);
	}
}

static void test_waist_borders(void **state)
{
	static const struct { char sex; int years; int mm; bool high; } rows[] = {
		{ 'L', 30, 899, false }, { 'L', 30, 900, false }, { 'L', 30, 901, true },
		{ 'P', 30, 799, false }, { 'P', 30, 800, false }, { 'P', 30, 801, true },
		{ 'L', 65, 901, true }, { 'P', 65, 801, true },
		/* school-age and adolescents: never */
		{ 'L', 16, 1000, false }, { 'P', 8, 900, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(rows[i].years < 10 ? PERSON_CHILD : PERSON_RESIDENT, rows[i].sex,
				      rows[i].years);
		struct visit v = visit_on(VISIT_DAY);
		ROW("%c %d y, %d mm", rows[i].sex, rows[i].years, rows[i].mm);
		v.waist_mm = (uint16_t)rows[i].mm;
		CHECK(!!(flags_of(&p, &v) & ILP_F_WAIST_HIGH) == rows[i].high);
	}
}

/* ---- anaemia: WHO cut-offs by age and sex, and pregnancy ---- */

static void test_anaemia_borders(void **state)
{
	static const struct { enum person_kind kind; char sex; int years; int hb; bool low; } rows[] = {
		{ PERSON_CHILD, 'L', 5, 114, true }, { PERSON_CHILD, 'L', 5, 115, false },
		{ PERSON_CHILD, 'L', 5, 116, false },
		{ PERSON_RESIDENT, 'P', 11, 114, true }, { PERSON_RESIDENT, 'P', 11, 115, false },
		{ PERSON_RESIDENT, 'P', 11, 118, false },   /* 11 y: 11,8 is not anaemia ... */
		{ PERSON_RESIDENT, 'P', 12, 118, true },    /* ... from 12 y it is */
		{ PERSON_RESIDENT, 'P', 12, 119, true }, { PERSON_RESIDENT, 'P', 12, 120, false },
		{ PERSON_RESIDENT, 'L', 14, 119, true }, { PERSON_RESIDENT, 'L', 14, 120, false },
		{ PERSON_RESIDENT, 'L', 14, 125, false },   /* 14 y: 12,5 is fine for a boy ... */
		{ PERSON_RESIDENT, 'L', 15, 125, true },    /* ... a man's cut-off is 13,0 */
		{ PERSON_RESIDENT, 'L', 15, 129, true }, { PERSON_RESIDENT, 'L', 15, 130, false },
		{ PERSON_RESIDENT, 'L', 40, 131, false },
		{ PERSON_RESIDENT, 'P', 15, 119, true }, { PERSON_RESIDENT, 'P', 15, 120, false },
		{ PERSON_WOMAN, 'P', 30, 121, false }, { PERSON_WOMAN, 'P', 30, 119, true },
		{ PERSON_PREGNANT, 'P', 25, 109, true }, { PERSON_PREGNANT, 'P', 25, 110, false },
		{ PERSON_PREGNANT, 'P', 25, 111, false },
		{ PERSON_CHILD, 'P', 3, 90, false },        /* under five: no cut-off here */
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(rows[i].kind, rows[i].sex, rows[i].years);
		struct visit v = visit_on(VISIT_DAY);
		ROW("kind %d %c %d y, Hb %d", rows[i].kind, rows[i].sex, rows[i].years, rows[i].hb);
		v.hb_dgl = (uint16_t)rows[i].hb;
		CHECK(!!(flags_of(&p, &v) & ILP_F_ANAEMIA) == rows[i].low);
	}
}

/* The limits are one table a caller may change (domain.md §5.6: 10,5 g/dL
 * in trimester II is used too). */
static void test_limits_can_change(void **state)
{
	struct ilp_limits l = ilp_limits_default;
	struct person p = who(PERSON_PREGNANT, 'P', 25);
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_result r;
	(void)state;
	v.hb_dgl = 107;
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.flags & ILP_F_ANAEMIA);
	l.hb_pregnant_below = 105;
	ilp_assess(&p, &v, &l, &r);
	assert_false(r.flags & ILP_F_ANAEMIA);
}

/* ---- cholesterol and uric acid (cut-offs UNCONFIRMED, the defaults) ---- */

static void test_cholesterol_uric_borders(void **state)
{
	static const struct { char sex; int chol, uric; bool chol_high, uric_high; } rows[] = {
		{ 'L', 199, 69, false, false }, { 'L', 200, 70, true, false }, { 'L', 201, 71, true, true },
		{ 'P', 199, 59, false, false }, { 'P', 200, 60, true, false }, { 'P', 201, 61, true, true },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, rows[i].sex, 50);
		struct visit v = visit_on(VISIT_DAY);
		unsigned f;
		ROW("%c chol %d uric %d", rows[i].sex, rows[i].chol, rows[i].uric);
		v.cholesterol_mgdl = (uint16_t)rows[i].chol;
		v.uric_dmgdl = (uint16_t)rows[i].uric;
		f = flags_of(&p, &v);
		CHECK(!!(f & ILP_F_CHOLESTEROL) == rows[i].chol_high);
		CHECK(!!(f & ILP_F_URIC) == rows[i].uric_high);
	}
}

/* The configured cut-offs ([ilp] in posyandu.ini, app/app.c) are what
 * ilp_assess uses when given none; explicit limits still win. */
static void test_configured_limits(void **state)
{
	struct person p = who(PERSON_RESIDENT, 'L', 50);
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_limits l = ilp_limits_default;
	struct ilp_result r;
	(void)state;

	v.cholesterol_mgdl = 220;
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.flags & ILP_F_CHOLESTEROL);          /* the default: 200 */
	l.cholesterol_high = 240;
	ilp_limits_configure(&l);
	ilp_assess(&p, &v, NULL, &r);
	assert_false(r.flags & ILP_F_CHOLESTEROL);
	ilp_assess(&p, &v, &ilp_limits_default, &r);
	assert_true(r.flags & ILP_F_CHOLESTEROL);
	ilp_limits_configure(&ilp_limits_default);         /* as the other tests expect */
}

/* ---- the groups' borders, the day before and on the birthday ---- */

static void test_group_birthdays(void **state)
{
	static const struct { int years; enum ilp_group before, on; } rows[] = {
		{ 5, ILP_NONE, ILP_SCHOOL }, { 10, ILP_SCHOOL, ILP_ADOLESCENT },
		{ 19, ILP_ADOLESCENT, ILP_ADULT }, { 60, ILP_ADULT, ILP_ELDERLY },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, 'P', 0);
		int32_t birthday = day(15, 3, 2025 + rows[i].years);
		p.dob = day(15, 3, 2025);
		ROW("%d years", rows[i].years);
		CHECK(ilp_group_of(&p, birthday - 1) == rows[i].before);
		CHECK(ilp_group_of(&p, birthday) == rows[i].on);
	}
	{
		/* a child registered under five moves into "school" by age; born
		 * on 29 February, she is five on 28 February of a common year
		 * (date_age_months counts a month complete on its last day) */
		struct person c = who(PERSON_CHILD, 'L', 0);
		c.dob = day(29, 2, 2020);
		ROW("child born on 29-02-2020");
		CHECK(ilp_group_of(&c, day(27, 2, 2025)) == ILP_NONE);
		CHECK(ilp_group_of(&c, day(28, 2, 2025)) == ILP_SCHOOL);
		CHECK(ilp_resident_age_ok(c.dob, day(28, 2, 2025)));
		CHECK(!ilp_resident_age_ok(c.dob, day(27, 2, 2025)));
		CHECK(!ilp_resident_age_ok(DATE_NONE, day(28, 2, 2025)));
	}
}

/* Hb at 4 years 11 months is judged by nobody's cut-off; at 5 by 11,5. */
static void test_hb_at_five(void **state)
{
	struct person p = who(PERSON_RESIDENT, 'L', 0);
	struct visit v = visit_on(VISIT_DAY);
	(void)state;
	v.hb_dgl = 114;
	p.dob = day(16, 3, 2020);                       /* 4 years 11 months */
	assert_false(flags_of(&p, &v) & ILP_F_ANAEMIA);
	p.dob = day(15, 3, 2020);                       /* 5 years that day */
	assert_true(flags_of(&p, &v) & ILP_F_ANAEMIA);
}

/* A mother without a date of birth is an adult: her Hb is a woman's, even
 * with the sex left unset on her record. */
static void test_mother_without_dob(void **state)
{
	struct person p = who(PERSON_WOMAN, 0, 30);
	struct visit v = visit_on(VISIT_DAY);
	(void)state;
	p.dob = DATE_NONE;
	v.hb_dgl = 119;
	assert_true(flags_of(&p, &v) & ILP_F_ANAEMIA);
	v.hb_dgl = 120;
	assert_false(flags_of(&p, &v) & ILP_F_ANAEMIA);
	v.waist_mm = 801;                               /* > 80 cm: a woman's cut-off */
	assert_true(flags_of(&p, &v) & ILP_F_WAIST_HIGH);
}

/* ---- PUMA ---- */

static void test_puma_score(void **state)
{
	/* sex, age, pack-years, breath, phlegm, cough, spirometry -> score */
	static const struct {
		char sex; int years; uint8_t py, b, ph, c, sp; int score;
	} rows[] = {
		{ 'P', 45, PY_NOT_ASKED, 0, 0, 0, 0, -1 },                     /* nothing asked */
		{ 'P', 45, PY_UNDER_20, ASK_NO, ASK_NO, ASK_NO, ASK_NO, 0 },
		{ 'L', 49, PY_UNDER_20, ASK_NO, ASK_NO, ASK_NO, ASK_NO, 1 },   /* 40-49: 0 */
		{ 'L', 50, PY_UNDER_20, ASK_NO, ASK_NO, ASK_NO, ASK_NO, 2 },   /* 50-59: 1 */
		{ 'L', 59, PY_20_30, ASK_NO, ASK_NO, ASK_NO, ASK_NO, 3 },      /* 20-30 py: 1 */
		{ 'L', 60, PY_OVER_30, ASK_NO, ASK_NO, ASK_NO, ASK_NO, 5 },    /* 60+: 2, > 30 py: 2 */
		{ 'L', 60, PY_OVER_30, ASK_YES, ASK_NO, ASK_NO, ASK_NO, 6 },   /* the border */
		{ 'L', 60, PY_OVER_30, ASK_YES, ASK_YES, ASK_NO, ASK_NO, 7 },
		{ 'P', 60, PY_OVER_30, ASK_YES, ASK_NO, ASK_NO, ASK_NO, 5 },
		{ 'L', 65, PY_OVER_30, ASK_YES, ASK_YES, ASK_YES, ASK_YES, 9 },
		{ 'P', 52, PY_NOT_ASKED, ASK_YES, ASK_YES, ASK_YES, ASK_YES, 5 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, rows[i].sex, rows[i].years);
		struct visit v = visit_on(VISIT_DAY);
		struct ilp_result r;
		ROW("row %zu", i);
		v.puma_packyears = rows[i].py;
		v.puma_breath = rows[i].b;
		v.puma_phlegm = rows[i].ph;
		v.puma_cough = rows[i].c;
		v.puma_spirometry = rows[i].sp;
		ilp_assess(&p, &v, NULL, &r);
		CHECK(r.puma == rows[i].score);
		CHECK(!!(r.flags & ILP_F_PUMA) == (rows[i].score >= 6));
		CHECK(!!(r.refer & ILP_F_PUMA) == (rows[i].score >= 6));
	}
}

/* ---- elderly: ADL and falls ---- */

static void test_adl_levels(void **state)
{
	static const struct { int b; enum ilp_adl lvl; } rows[] = {
		{ 21, ILP_ADL_NONE }, { 20, ILP_ADL_INDEPENDENT }, { 19, ILP_ADL_MILD },
		{ 12, ILP_ADL_MILD }, { 11, ILP_ADL_MODERATE }, { 9, ILP_ADL_MODERATE },
		{ 8, ILP_ADL_SEVERE }, { 5, ILP_ADL_SEVERE }, { 4, ILP_ADL_TOTAL },
		{ 0, ILP_ADL_TOTAL }, { -1, ILP_ADL_NONE },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(PERSON_RESIDENT, 'P', 75);
		struct visit v = visit_on(VISIT_DAY);
		struct ilp_result r;
		ROW("Barthel %d", rows[i].b);
		CHECK(ilp_adl_level(rows[i].b) == rows[i].lvl);
		if (rows[i].b < 0 || rows[i].b > 20)
			continue;
		v.adl = (uint8_t)(rows[i].b + 1);           /* stored + 1 */
		ilp_assess(&p, &v, NULL, &r);
		CHECK(r.adl == rows[i].lvl);
		CHECK(!!(r.flags & ILP_F_ADL) == (rows[i].b < 20));
	}
}

static void test_questions_and_refer(void **state)
{
	struct person p = who(PERSON_RESIDENT, 'P', 16);
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_result r;
	(void)state;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags, 0);                  /* nothing asked, nothing flagged */
	v.mental_problem = ASK_NO;
	v.risk_alcohol = ASK_NO;
	v.smoking = ASK_NO;
	v.tb_symptoms = ASK_NO;
	v.iron_weekly = ASK_YES;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags, 0);
	v.mental_problem = ASK_YES;
	v.risk_drugs = ASK_YES;
	v.smoking = ASK_YES;
	v.tb_symptoms = ASK_YES;
	v.iron_weekly = ASK_NO;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags, ILP_F_MENTAL | ILP_F_RISKY | ILP_F_SMOKER | ILP_F_TB | ILP_F_IRON_WEEKLY);
	assert_int_equal(r.refer, ILP_F_MENTAL | ILP_F_TB);
	/* the weekly iron tablet is the girls' */
	p.sex = 'L';
	ilp_assess(&p, &v, NULL, &r);
	assert_false(r.flags & ILP_F_IRON_WEEKLY);

	p = who(PERSON_RESIDENT, 'L', 68);
	v = visit_on(VISIT_DAY);
	v.fall_risk = ASK_YES;
	v.vision_problem = ASK_YES;
	v.hearing_problem = ASK_NO;
	v.diet_salt = ASK_YES;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags, ILP_F_FALL | ILP_F_VISION | ILP_F_DIET);
}

/* ---- pregnant and postpartum women ---- */

static void test_hpht_due_date_and_weeks(void **state)
{
	struct person p = who(PERSON_PREGNANT, 'P', 27);
	struct visit v = visit_on(day(15, 3, 2025));
	struct ilp_result r;
	(void)state;
	v.hpht = day(1, 3, 2025);              /* 14 days before: 2 weeks */
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.due_date, day(6, 12, 2025));   /* 1 March + 280 days */
	assert_int_equal(r.gest_weeks, 2);
	v.hpht = day(2, 3, 2025);              /* 13 days: 1 completed week */
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.gest_weeks, 1);
	v.hpht = day(15, 3, 2025);             /* the same day: 0 weeks */
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.gest_weeks, 0);
	v.hpht = day(16, 3, 2025);             /* after the visit: a typing error, nothing */
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.gest_weeks, -1);
	assert_int_equal(r.due_date, DATE_NONE);
	v.hpht = 0;                            /* not recorded */
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.due_date, DATE_NONE);
}

static void test_kek_borders(void **state)
{
	static const struct { enum person_kind kind; int mm; bool kek; } rows[] = {
		{ PERSON_PREGNANT, 234, true }, { PERSON_PREGNANT, 235, false },
		{ PERSON_PREGNANT, 236, false }, { PERSON_PREGNANT, 0, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct person p = who(rows[i].kind, 'P', 24);
		struct visit v = visit_on(VISIT_DAY);
		ROW("LILA %d mm", rows[i].mm);
		v.muac_mm = (uint16_t)rows[i].mm;
		CHECK(!!(flags_of(&p, &v) & ILP_F_KEK) == rows[i].kek);
	}
	assert_string_equal(ilp_flag_info(ILP_F_KEK)->todo, "give supplementary food");
}

static void test_danger_and_postpartum(void **state)
{
	struct person p = who(PERSON_PREGNANT, 'P', 24);
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_result r;
	(void)state;
	v.danger_signs = 1u << 3;             /* any one sign */
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.refer & ILP_F_DANGER);

	p = who(PERSON_WOMAN, 'P', 24);
	v = visit_on(VISIT_DAY);
	v.postpartum = ASK_YES;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags & (ILP_F_PP_VITA | ILP_F_KB), ILP_F_PP_VITA | ILP_F_KB);
	v.vita_pp = 1;                        /* the first capsule only */
	v.kb_method = KB_NONE;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags & (ILP_F_PP_VITA | ILP_F_KB), ILP_F_PP_VITA | ILP_F_KB);
	v.vita_pp = 3;                        /* both */
	v.kb_method = KB_IMPLANT;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags & (ILP_F_PP_VITA | ILP_F_KB), 0);
	v.postpartum = ASK_NO;                /* not postpartum: nothing asked of her */
	v.vita_pp = 0;
	v.kb_method = 0;
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.flags & (ILP_F_PP_VITA | ILP_F_KB), 0);
}

/* Td (domain.md §5.1): T2 4 weeks after T1, T3 6 months after T2, T4 and
 * T5 a year after the one before; none after T5. */
static void test_td_next(void **state)
{
	int dose;
	int32_t due;
	(void)state;
	ilp_td_next(1, day(1, 2, 2025), &dose, &due);
	assert_int_equal(dose, 2);
	assert_int_equal(due, day(1, 3, 2025));          /* + 28 days */
	ilp_td_next(2, day(31, 8, 2024), &dose, &due);
	assert_int_equal(dose, 3);
	assert_int_equal(due, day(28, 2, 2025));         /* 6 months, the month's last day */
	ilp_td_next(3, day(29, 2, 2024), &dose, &due);
	assert_int_equal(dose, 4);
	assert_int_equal(due, day(28, 2, 2025));
	ilp_td_next(4, day(10, 5, 2024), &dose, &due);
	assert_int_equal(dose, 5);
	assert_int_equal(due, day(10, 5, 2025));
	ilp_td_next(5, day(10, 5, 2024), &dose, &due);
	assert_int_equal(dose, 0);
	ilp_td_next(0, DATE_NONE, &dose, &due);
	assert_int_equal(dose, 0);
	assert_int_equal(due, DATE_NONE);
}

/* The desk takes the Td status reached, and the day it was first recorded,
 * from the history. */
static void test_desk_td_from_history(void **state)
{
	struct person p = who(PERSON_PREGNANT, 'P', 24);
	struct visit h[3] = { visit_on(day(1, 1, 2025)), visit_on(day(5, 2, 2025)), visit_on(day(15, 3, 2025)) };
	struct desk_result r;
	(void)state;
	h[0].uuid[0] = 1; h[0].td_status = 2;
	h[1].uuid[0] = 2; h[1].td_status = 2;
	h[2].uuid[0] = 3;                     /* not asked today */
	desk_assess(&p, &h[2], h, 3, &r);
	assert_int_equal(r.td_next, 3);
	assert_int_equal(r.td_due, day(1, 7, 2025));     /* T2 on 1 January + 6 months */
}

/* ---- children ---- */

static void test_kpsp_ages(void **state)
{
	static const int due[] = { 3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54, 60, 66, 72 };
	size_t k = 0;
	(void)state;
	for (int m = 0; m <= 80; m++) {
		bool want = k < sizeof due / sizeof due[0] && due[k] == m;
		ROW("%d months", m);
		CHECK(ilp_kpsp_age(m) == want);
		k += want;
	}
	assert_int_equal(k, sizeof due / sizeof due[0]);
}

static void test_kpsp_and_ors_of_a_visit(void **state)
{
	struct person p;
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_result r;
	(void)state;
	memset(&p, 0, sizeof p);
	p.kind = PERSON_CHILD;
	p.sex = 'L';
	p.dob = day(15, 9, 2024);             /* 6 months on 15-03-2025 */
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.flags & ILP_F_KPSP_DUE);
	v.development = ASK_YES;
	ilp_assess(&p, &v, NULL, &r);
	assert_false(r.flags & (ILP_F_KPSP_DUE | ILP_F_KPSP_DOUBT));
	v.development = ASK_NO;
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.refer & ILP_F_KPSP_DOUBT);
	p.dob = day(16, 9, 2024);             /* 5 months: not a KPSP age */
	v.development = ASK_NOT;
	ilp_assess(&p, &v, NULL, &r);
	assert_false(r.flags & ILP_F_KPSP_DUE);
	p.dob = day(15, 3, 2020);             /* 60 months, school age: still KPSP */
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.group, ILP_SCHOOL);
	assert_true(r.flags & ILP_F_KPSP_DUE);

	p.dob = day(1, 1, 2024);
	v.diarrhoea = ASK_YES;
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.flags & ILP_F_ORS_ZINC);
	v.ors_zinc = ASK_YES;
	ilp_assess(&p, &v, NULL, &r);
	assert_false(r.flags & ILP_F_ORS_ZINC);
	v.diarrhoea = ASK_NO;
	v.ors_zinc = ASK_NOT;
	ilp_assess(&p, &v, NULL, &r);
	assert_false(r.flags & ILP_F_ORS_ZINC);
	v.tb_symptoms = ASK_YES;              /* a child with TB symptoms is referred too */
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.refer & ILP_F_TB);
}

static void test_deworm_due(void **state)
{
	static const struct { int months, month; bool given, due; } rows[] = {
		{ 11, 2, false, false }, { 12, 2, false, true }, { 13, 2, false, true },
		{ 58, 8, false, true }, { 59, 8, false, true }, { 60, 8, false, false },
		{ 30, 1, false, false }, { 30, 3, false, false }, { 30, 7, false, false },
		{ 30, 9, false, false }, { 30, 8, true, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ROW("%d months in month %d, given %d", rows[i].months, rows[i].month, rows[i].given);
		CHECK(ilp_deworm_due(rows[i].months, rows[i].month, rows[i].given) == rows[i].due);
	}
}

/* The desk: due in August, not when given earlier the same month, due
 * again when the tablet was given last round. */
static void test_desk_deworm(void **state)
{
	struct person p;
	struct visit h[2] = { visit_on(day(3, 8, 2025)), visit_on(day(20, 8, 2025)) };
	struct desk_result r;
	(void)state;
	memset(&p, 0, sizeof p);
	p.uuid[0] = 7;
	p.kind = PERSON_CHILD;
	p.sex = 'P';
	p.dob = day(1, 1, 2023);
	h[1].uuid[0] = 2;
	desk_assess(&p, &h[1], h, 2, &r);
	assert_true(r.ilp.flags & ILP_F_DEWORM_DUE);
	h[0].deworm = ASK_YES;
	desk_assess(&p, &h[1], h, 2, &r);
	assert_false(r.ilp.flags & ILP_F_DEWORM_DUE);
	h[0].date = day(3, 2, 2025);          /* given in February: due again in August */
	desk_assess(&p, &h[1], h, 2, &r);
	assert_true(r.ilp.flags & ILP_F_DEWORM_DUE);
	h[1].date = day(20, 9, 2025);         /* September: not a deworming month */
	desk_assess(&p, &h[1], h, 2, &r);
	assert_false(r.ilp.flags & ILP_F_DEWORM_DUE);
}

/* Groups do not leak: an under-five is not screened as a resident, a
 * pregnant woman has no BMI category, an adult has no child's services. */
static void test_who_is_judged_for_what(void **state)
{
	struct person p;
	struct visit v = visit_on(VISIT_DAY);
	struct ilp_result r;
	(void)state;
	v.weight_g = 90000;
	v.lenhei_mm = 1600;
	v.waist_mm = 1100;
	v.puma_breath = ASK_YES;
	v.diarrhoea = ASK_YES;
	p = who(PERSON_PREGNANT, 'P', 25);
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.group, ILP_NONE);
	assert_int_equal(r.bmi, ILP_BMI_NONE);
	assert_false(r.flags & (ILP_F_BMI_OBESE | ILP_F_WAIST_HIGH | ILP_F_ORS_ZINC));
	p = who(PERSON_RESIDENT, 'P', 30);
	ilp_assess(&p, &v, NULL, &r);
	assert_true(r.flags & ILP_F_BMI_OBESE);
	assert_false(r.flags & ILP_F_ORS_ZINC);
	assert_false(r.flags & (ILP_F_KPSP_DUE | ILP_F_DEWORM_DUE));
	memset(&p, 0, sizeof p);
	p.kind = PERSON_CHILD;
	p.sex = 'L';
	p.dob = day(1, 1, 2023);
	ilp_assess(&p, &v, NULL, &r);
	assert_int_equal(r.group, ILP_NONE);
	assert_int_equal(r.bmi, ILP_BMI_NONE);
	assert_false(r.flags & (ILP_F_BMI_OBESE | ILP_F_WAIST_HIGH | ILP_F_PUMA));
	assert_true(r.flags & ILP_F_ORS_ZINC);
}

/* Every flag bit has one entry, a unique key, a label and what to do; the
 * referring ones are those the rules say "refer" for. */
static void test_flag_table(void **state)
{
	unsigned seen = 0;
	(void)state;
	for (size_t i = 0; i < ilp_flags_len; i++) {
		const struct ilp_flag_info *f = &ilp_flags[i];
		ROW("flag %s", f->key);
		CHECK(f->bit && !(f->bit & (f->bit - 1)) && !(seen & f->bit));
		CHECK(f->key[0] && f->label[0] && f->todo[0]);
		for (size_t k = 0; k < i; k++)
			CHECK(strcmp(ilp_flags[k].key, f->key) != 0);
		CHECK(ilp_flag_info(f->bit) == f);
		seen |= f->bit;
	}
	assert_int_equal(seen, (ILP_F_IRON_WEEKLY << 1) - 1);
	for (unsigned b = ILP_F_TB; b <= ILP_F_IRON_WEEKLY; b <<= 1) {
		bool refer = b == ILP_F_TB || b == ILP_F_DANGER || b == ILP_F_PUMA || b == ILP_F_MENTAL ||
			     b == ILP_F_KPSP_DOUBT || b == ILP_F_GLUCOSE_HIGH || b == ILP_F_VISION ||
			     b == ILP_F_HEARING;
		ROW("bit %#x", b);
		CHECK(ilp_flag_info(b)->refer == refer);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bmi_adult_borders),
		cmocka_unit_test(test_bmi_needs_weight_and_height),
		cmocka_unit_test(test_bmi_for_age_borders),
		cmocka_unit_test(test_bmi_for_age_of_a_visit),
		cmocka_unit_test(test_bp_borders),
		cmocka_unit_test(test_glucose_borders),
		cmocka_unit_test(test_waist_borders),
		cmocka_unit_test(test_anaemia_borders),
		cmocka_unit_test(test_limits_can_change),
		cmocka_unit_test(test_cholesterol_uric_borders),
		cmocka_unit_test(test_configured_limits),
		cmocka_unit_test(test_group_birthdays),
		cmocka_unit_test(test_hb_at_five),
		cmocka_unit_test(test_mother_without_dob),
		cmocka_unit_test(test_puma_score),
		cmocka_unit_test(test_adl_levels),
		cmocka_unit_test(test_questions_and_refer),
		cmocka_unit_test(test_hpht_due_date_and_weeks),
		cmocka_unit_test(test_kek_borders),
		cmocka_unit_test(test_danger_and_postpartum),
		cmocka_unit_test(test_td_next),
		cmocka_unit_test(test_desk_td_from_history),
		cmocka_unit_test(test_kpsp_ages),
		cmocka_unit_test(test_kpsp_and_ors_of_a_visit),
		cmocka_unit_test(test_deworm_due),
		cmocka_unit_test(test_desk_deworm),
		cmocka_unit_test(test_who_is_judged_for_what),
		cmocka_unit_test(test_flag_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
