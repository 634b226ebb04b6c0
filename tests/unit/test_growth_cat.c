/* tests/unit/test_growth_cat.c: the Permenkes 2/2020 categories of
 * core/growth.h (domain.md 4.3): every cut-off exactly on, just inside and just
 * outside, decided on the rounded 2-decimal z ("s.d." is inclusive), the
 * labels, and which table applies at which age. Expected categories are
 * written from domain.md, not computed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/growth.h"

#include "core/banned.h"

static struct growth_input child(int sex, int32_t days)
{
	struct growth_input in = { .sex = sex, .age_days = days, .weight_kg = NAN,
				   .lenhei_cm = NAN, .headc_cm = NAN, .muac_cm = NAN };
	return in;
}

/* ---- Permenkes 2/2020 categories: on, just inside, just outside each cut-off ---- */

struct catcase {
	double z;
	enum growth_cat cat;
};

static void check_cats(enum growth_scheme scheme, const struct catcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum growth_cat got = growth_cat_of(scheme, c[i].z);
		if (got != c[i].cat)
			fail_msg("scheme %d z %.3f: category %s, expected %s", scheme, c[i].z,
				 growth_cat_info(got)->key, growth_cat_info(c[i].cat)->key);
	}
}
#define CHECK_CATS(s, a) check_cats(s, a, sizeof a / sizeof a[0])

static void test_categories(void **state)
{
	static const struct catcase wfa[] = {           /* BB/U */
		{ -3.01, GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT }, { -3.00, GROWTH_CAT_WFA_UNDERWEIGHT },
		{ -2.99, GROWTH_CAT_WFA_UNDERWEIGHT }, { -2.01, GROWTH_CAT_WFA_UNDERWEIGHT },
		{ -2.00, GROWTH_CAT_WFA_NORMAL }, { -1.99, GROWTH_CAT_WFA_NORMAL },
		{ 0.99, GROWTH_CAT_WFA_NORMAL }, { 1.00, GROWTH_CAT_WFA_NORMAL },
		{ 1.01, GROWTH_CAT_WFA_RISK_OVERWEIGHT },
		{ -2.004, GROWTH_CAT_WFA_NORMAL },        /* rounded -2.00 */
		{ -2.0051, GROWTH_CAT_WFA_UNDERWEIGHT },  /* rounded -2.01 */
		{ -3.004, GROWTH_CAT_WFA_UNDERWEIGHT }, { 1.004, GROWTH_CAT_WFA_NORMAL },
		{ -7, GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT }, { 6, GROWTH_CAT_WFA_RISK_OVERWEIGHT },
	};
	static const struct catcase lhfa[] = {          /* PB-TB/U */
		{ -3.01, GROWTH_CAT_LHFA_SEVERELY_STUNTED }, { -3.00, GROWTH_CAT_LHFA_STUNTED },
		{ -2.99, GROWTH_CAT_LHFA_STUNTED }, { -2.01, GROWTH_CAT_LHFA_STUNTED },
		{ -2.00, GROWTH_CAT_LHFA_NORMAL }, { -1.99, GROWTH_CAT_LHFA_NORMAL },
		{ 2.99, GROWTH_CAT_LHFA_NORMAL }, { 3.00, GROWTH_CAT_LHFA_NORMAL },
		{ 3.01, GROWTH_CAT_LHFA_TALL }, { -2.004, GROWTH_CAT_LHFA_NORMAL },
	};
	static const struct catcase wflh[] = {          /* BB/PB-TB and IMT/U 0-60 m */
		{ -3.01, GROWTH_CAT_WFLH_SEVERELY_WASTED }, { -3.00, GROWTH_CAT_WFLH_WASTED },
		{ -2.99, GROWTH_CAT_WFLH_WASTED }, { -2.01, GROWTH_CAT_WFLH_WASTED },
		{ -2.00, GROWTH_CAT_WFLH_NORMAL }, { -1.99, GROWTH_CAT_WFLH_NORMAL },
		{ 0.99, GROWTH_CAT_WFLH_NORMAL }, { 1.00, GROWTH_CAT_WFLH_NORMAL },
		{ 1.01, GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT },
		{ 1.99, GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT },
		{ 2.00, GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT },
		{ 2.01, GROWTH_CAT_WFLH_OVERWEIGHT }, { 2.99, GROWTH_CAT_WFLH_OVERWEIGHT },
		{ 3.00, GROWTH_CAT_WFLH_OVERWEIGHT }, { 3.01, GROWTH_CAT_WFLH_OBESE },
	};
	static const struct catcase bmi5[] = {          /* IMT/U 5-18 y */
		{ -3.01, GROWTH_CAT_BMI5_SEVERELY_THIN }, { -3.00, GROWTH_CAT_BMI5_THIN },
		{ -2.99, GROWTH_CAT_BMI5_THIN }, { -2.01, GROWTH_CAT_BMI5_THIN },
		{ -2.00, GROWTH_CAT_BMI5_NORMAL }, { 1.00, GROWTH_CAT_BMI5_NORMAL },
		{ 1.01, GROWTH_CAT_BMI5_OVERWEIGHT }, { 1.99, GROWTH_CAT_BMI5_OVERWEIGHT },
		{ 2.00, GROWTH_CAT_BMI5_OVERWEIGHT }, { 2.01, GROWTH_CAT_BMI5_OBESE },
	};
	(void)state;
	CHECK_CATS(GROWTH_SCHEME_WFA, wfa);
	CHECK_CATS(GROWTH_SCHEME_LHFA, lhfa);
	CHECK_CATS(GROWTH_SCHEME_WFLH, wflh);
	CHECK_CATS(GROWTH_SCHEME_BMI5, bmi5);
	assert_int_equal(growth_cat_of(GROWTH_SCHEME_WFA, NAN), GROWTH_CAT_NONE);
	assert_int_equal(growth_cat_of(GROWTH_SCHEME_NONE, 0), GROWTH_CAT_NONE);

	/* The Indonesian labels of domain.md 4.3. */
	assert_string_equal(growth_cat_info(GROWTH_CAT_LHFA_STUNTED)->label_id, "Pendek");
	assert_string_equal(growth_cat_info(GROWTH_CAT_LHFA_SEVERELY_STUNTED)->label_id, "Sangat pendek");
	assert_string_equal(growth_cat_info(GROWTH_CAT_WFA_UNDERWEIGHT)->label_id, "Berat badan kurang");
	assert_string_equal(growth_cat_info(GROWTH_CAT_WFA_RISK_OVERWEIGHT)->label_id,
			    "Risiko berat badan lebih");
	assert_string_equal(growth_cat_info(GROWTH_CAT_WFLH_NORMAL)->label_id, "Gizi baik (normal)");
	assert_string_equal(growth_cat_info(GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT)->label_id,
			    "Berisiko gizi lebih");
	assert_string_equal(growth_cat_info(GROWTH_CAT_WFLH_OBESE)->label_id, "Obesitas");
	assert_string_equal(growth_cat_info(GROWTH_CAT_BMI5_SEVERELY_THIN)->label_id, "Gizi buruk");
	/* Every category has a key and both labels; English msgids name one
	 * Indonesian label only (one catalogue entry each). */
	for (int a = 1; a < GROWTH_CAT__COUNT; a++) {
		const struct growth_cat_info *ia = growth_cat_info(a);
		assert_true(ia->key[0] && ia->label_en[0] && ia->label_id[0]);
		for (int b = 1; b < GROWTH_CAT__COUNT; b++)
			if (strcmp(ia->label_en, growth_cat_info(b)->label_en) == 0)
				assert_string_equal(ia->label_id, growth_cat_info(b)->label_id);
	}
}

/* Which table applies: 2006 BMI uses the BB/PB-TB cut-offs; 2007 BMI the
 * 5-18 y table; weight/height-for-age from 60 months and LK/U, LiLA/U have
 * no Permenkes category. */
static void test_category_schemes(void **state)
{
	struct growth_input in = child(1, 400);
	struct growth_result r;
	(void)state;

	in.weight_kg = 9.5;
	in.lenhei_cm = 77;
	in.measure = 'l';
	in.headc_cm = 46;
	growth_compute(&in, &r);
	assert_int_equal(growth_scheme_for(&r, GROWTH_WFA), GROWTH_SCHEME_WFA);
	assert_int_equal(growth_scheme_for(&r, GROWTH_LHFA), GROWTH_SCHEME_LHFA);
	assert_int_equal(growth_scheme_for(&r, GROWTH_WFLH), GROWTH_SCHEME_WFLH);
	assert_int_equal(growth_scheme_for(&r, GROWTH_BMI), GROWTH_SCHEME_WFLH);
	assert_int_equal(growth_scheme_for(&r, GROWTH_HCA), GROWTH_SCHEME_NONE);
	assert_int_equal(growth_category(&r, GROWTH_HCA), GROWTH_CAT_NONE);
	assert_true(r.ind[GROWTH_HCA].valid);
	in.age_days = 3000;
	in.weight_kg = 25;
	in.lenhei_cm = 125;
	in.measure = 'h';
	growth_compute(&in, &r);
	assert_int_equal(growth_scheme_for(&r, GROWTH_BMI), GROWTH_SCHEME_BMI5);
	assert_int_equal(growth_scheme_for(&r, GROWTH_WFA), GROWTH_SCHEME_NONE);
	assert_int_equal(growth_scheme_for(&r, GROWTH_LHFA), GROWTH_SCHEME_NONE);
	assert_true(r.ind[GROWTH_WFA].valid);
	assert_int_equal(growth_category(&r, GROWTH_WFA), GROWTH_CAT_NONE);
	assert_int_not_equal(growth_category(&r, GROWTH_BMI), GROWTH_CAT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_category_schemes),
	};
	return cmocka_run_group_tests_name("growth_cat", tests, NULL, NULL);
}
