/* tests/unit/test_kbm.c: N / T / O / B with the KBM table, 2T, BGM, MUAC and
 * LILA cut-offs, the referral reasons (core/kbm.h, domain.md 4.1-4.4, 5.6),
 * and the plausibility checks of core/measure.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/growth.h"
#include "core/kbm.h"
#include "core/measure.h"

#include "core/banned.h"

/* domain.md 4.1, KBM by completed month, transcription A. */
static int expected_kbm(int months)
{
	if (months < 1 || months > 60)
		return -1;
	static const int first[] = { 0, 800, 900, 800, 600, 500, 400, 400, 300, 300, 300, 300 };
	return months <= 11 ? first[months] : 200;
}

/* The choice between the two transcriptions of the KMS row (domain.md 4.1):
 * transcription A, 6-7 = 400 g, 8-11 = 300 g, 12+ = 200 g. If this test
 * fails, the table was changed: update domain.md's note and this test together. */
static void test_kbm_transcription_A_month7_400_month11_300(void **state)
{
	(void)state;
	assert_string_equal(KBM_TRANSCRIPTION, "A");
	assert_int_equal(kbm_min_gain_g(6), 400);
	assert_int_equal(kbm_min_gain_g(7), 400);     /* B would say 300 */
	assert_int_equal(kbm_min_gain_g(8), 300);
	assert_int_equal(kbm_min_gain_g(11), 300);    /* B would say 200 */
	assert_int_equal(kbm_min_gain_g(12), 200);
}

static void test_kbm_every_age(void **state)
{
	(void)state;
	for (int m = -1; m <= 62; m++)
		if (kbm_min_gain_g(m) != expected_kbm(m))
			fail_msg("KBM at %d months: %d g, expected %d", m, kbm_min_gain_g(m),
				 expected_kbm(m));
	/* Exactly the KBM is N; one gram less is T (decision order 3-4). */
	for (int m = 1; m <= 60; m++) {
		int kbm = expected_kbm(m);
		struct kbm_weighing prev = { 2000 * 12 + 3, 8.0 };
		struct kbm_weighing now = { 2000 * 12 + 4, 8.0 + kbm / 1000.0 };
		if (kbm_judge(&now, m, &prev) != KBM_N)
			fail_msg("%d months, gain %d g: not N", m, kbm);
		now.weight_kg = 8.0 + (kbm - 1) / 1000.0;
		if (kbm_judge(&now, m, &prev) != KBM_T)
			fail_msg("%d months, gain %d g: not T", m, kbm - 1);
	}
}

static void test_kbm_judge(void **state)
{
	struct kbm_weighing now = { 24300, 9.5 };
	struct kbm_weighing last = { 24299, 9.1 };
	struct kbm_weighing older = { 24297, 9.0 };
	struct kbm_weighing same = { 24300, 9.2 };
	(void)state;

	assert_int_equal(kbm_judge(&now, 14, NULL), KBM_B);        /* first weighing ever */
	assert_int_equal(kbm_judge(&now, 14, &older), KBM_O);      /* none last month */
	assert_int_equal(kbm_judge(&now, 14, &last), KBM_N);       /* 400 g >= 200 g */
	now.weight_kg = 9.1;
	assert_int_equal(kbm_judge(&now, 14, &last), KBM_T);       /* flat */
	now.weight_kg = 8.9;
	assert_int_equal(kbm_judge(&now, 14, &last), KBM_T);       /* lost weight */
	/* 9.5 - 9.1 is 0.39999999999999947 in doubles: grams make it 400 g, N at
	 * 7 months (KBM 400). */
	now.weight_kg = 9.5;
	assert_int_equal(kbm_judge(&now, 7, &last), KBM_N);
	/* B and O need no KBM; N/T does. */
	assert_int_equal(kbm_judge(&now, 0, NULL), KBM_B);
	assert_int_equal(kbm_judge(&now, 0, &older), KBM_O);
	assert_int_equal(kbm_judge(&now, 0, &last), KBM_NONE);
	assert_int_equal(kbm_judge(&now, 61, &last), KBM_NONE);
	/* Not a weighing, or the caller's mistake. */
	now.weight_kg = NAN;
	assert_int_equal(kbm_judge(&now, 14, &last), KBM_NONE);
	now.weight_kg = 9.5;
	assert_int_equal(kbm_judge(&now, 14, &same), KBM_NONE);
	assert_int_equal(kbm_status_letter(KBM_N), 'N');
	assert_int_equal(kbm_status_letter(KBM_T), 'T');
	assert_int_equal(kbm_status_letter(KBM_O), 'O');
	assert_int_equal(kbm_status_letter(KBM_B), 'B');
	assert_string_equal(kbm_status_label_id(KBM_T), "Tidak naik (T)");
}

static void test_2t(void **state)
{
	(void)state;
	assert_true(kbm_is_2t(KBM_T, 100, KBM_T, 99));
	assert_false(kbm_is_2t(KBM_T, 100, KBM_T, 98));   /* a skipped month breaks it */
	assert_false(kbm_is_2t(KBM_T, 100, KBM_N, 99));
	assert_false(kbm_is_2t(KBM_N, 100, KBM_T, 99));
	assert_false(kbm_is_2t(KBM_T, 100, KBM_O, 99));
	assert_false(kbm_is_2t(KBM_O, 100, KBM_T, 99));
}

static struct growth_result wfa_result(double z, enum growth_ref ref)
{
	struct growth_result r;
	memset(&r, 0, sizeof r);
	r.ref = ref;
	r.ind[GROWTH_WFA].valid = true;
	r.ind[GROWTH_WFA].z = z;
	return r;
}

static void test_bgm_and_orange(void **state)
{
	struct growth_result r;
	(void)state;

	r = wfa_result(-3.00, GROWTH_REF_WHO2006);
	assert_false(kbm_bgm(&r));                 /* on the line: not below it */
	r = wfa_result(-3.01, GROWTH_REF_WHO2006);
	assert_true(kbm_bgm(&r));
	r = wfa_result(-2.99, GROWTH_REF_WHO2006);
	assert_false(kbm_bgm(&r));
	r = wfa_result(-3.01, GROWTH_REF_WHO2007);
	assert_false(kbm_bgm(&r));                 /* the KMS is 0-60 months */
	r = wfa_result(-5, GROWTH_REF_WHO2006);
	r.ind[GROWTH_WFA].valid = false;           /* e.g. oedema */
	assert_false(kbm_bgm(&r));
	assert_false(kbm_bgm(NULL));
	r = wfa_result(1.00, GROWTH_REF_WHO2006);
	assert_false(kbm_above_orange(&r));
	r = wfa_result(1.01, GROWTH_REF_WHO2006);
	assert_true(kbm_above_orange(&r));
}

static void test_muac_lila(void **state)
{
	(void)state;
	/* children 6-59 months: < 11.5 severe, 11.5 to < 12.5 moderate */
	assert_int_equal(kbm_muac_child(11.4, 6), KBM_MUAC_SEVERE);
	assert_int_equal(kbm_muac_child(11.49, 30), KBM_MUAC_SEVERE);
	assert_int_equal(kbm_muac_child(11.5, 30), KBM_MUAC_MODERATE);
	assert_int_equal(kbm_muac_child(12.49, 59), KBM_MUAC_MODERATE);
	assert_int_equal(kbm_muac_child(12.5, 59), KBM_MUAC_NORMAL);
	assert_int_equal(kbm_muac_child(14, 30), KBM_MUAC_NORMAL);
	assert_int_equal(kbm_muac_child(11.0, 5), KBM_MUAC_NONE);     /* under 6 months */
	assert_int_equal(kbm_muac_child(11.0, 60), KBM_MUAC_NONE);    /* 60 months and over */
	assert_int_equal(kbm_muac_child(NAN, 30), KBM_MUAC_NONE);
	assert_string_equal(kbm_muac_key(KBM_MUAC_SEVERE), "severe");
	/* pregnant women: LILA < 23.5 cm is KEK */
	assert_true(kbm_lila_kek(23.4));
	assert_true(kbm_lila_kek(23.49));
	assert_false(kbm_lila_kek(23.5));
	assert_false(kbm_lila_kek(26));
	assert_false(kbm_lila_kek(NAN));
}

static void test_refer(void **state)
{
	struct growth_result r;
	struct kbm_refer_input in;
	unsigned why;
	(void)state;

	memset(&in, 0, sizeof in);
	in.muac_cm = NAN;
	in.lila_cm = NAN;
	in.age_months = 20;
	assert_int_equal(kbm_refer(&in), 0);

	in.status = KBM_T;
	in.two_t = true;
	r = wfa_result(-3.5, GROWTH_REF_WHO2006);
	r.ind[GROWTH_WFLH].valid = true;
	r.ind[GROWTH_WFLH].z = -2.01;
	r.ind[GROWTH_LHFA].valid = true;
	r.ind[GROWTH_LHFA].z = -2.01;
	in.growth = &r;
	why = kbm_refer(&in);
	assert_int_equal(why & KBM_REFER_KADER_MASK, KBM_REFER_T | KBM_REFER_2T | KBM_REFER_BGM);
	assert_int_equal(why & KBM_REFER_BIDAN_MASK, KBM_CHECK_WASTED | KBM_CHECK_STUNTED);
	in.stunting_known = true;                  /* not a new finding */
	assert_false(kbm_refer(&in) & KBM_CHECK_STUNTED);

	/* On the cut-offs: nothing. */
	memset(&in, 0, sizeof in);
	r = wfa_result(1.00, GROWTH_REF_WHO2006);
	r.ind[GROWTH_WFLH].valid = true;
	r.ind[GROWTH_WFLH].z = 2.00;
	r.ind[GROWTH_LHFA].valid = true;
	r.ind[GROWTH_LHFA].z = -2.00;
	in.growth = &r;
	in.muac_cm = 12.5;
	in.age_months = 30;
	in.lila_cm = 23.5;
	in.pregnant = true;
	in.bp_systolic_mmhg = 139;
	in.bp_diastolic_mmhg = 89;
	assert_int_equal(kbm_refer(&in), 0);
	/* Just beyond them: each reason. */
	r.ind[GROWTH_WFA].z = 1.01;
	r.ind[GROWTH_WFLH].z = 2.01;
	in.muac_cm = 12.49;
	in.lila_cm = 23.49;
	in.bp_systolic_mmhg = 140;
	in.oedema = true;
	in.danger_sign = true;
	why = kbm_refer(&in);
	assert_int_equal(why, KBM_REFER_ORANGE | KBM_CHECK_WFLH_HIGH | KBM_CHECK_MUAC |
			 KBM_CHECK_KEK | KBM_CHECK_BP | KBM_CHECK_OEDEMA | KBM_CHECK_DANGER);
	in.bp_systolic_mmhg = 120;
	in.bp_diastolic_mmhg = 90;
	assert_true(kbm_refer(&in) & KBM_CHECK_BP);
	in.pregnant = false;                       /* LILA rule is for pregnancy */
	assert_false(kbm_refer(&in) & KBM_CHECK_KEK);

	/* The reasons table: unique keys, the kader flag matches the mask. */
	for (size_t i = 0; i < kbm_refer_reasons_len; i++) {
		const struct kbm_refer_info *a = &kbm_refer_reasons[i];
		assert_int_equal(a->kader, (a->bit & KBM_REFER_KADER_MASK) != 0);
		assert_ptr_equal(kbm_refer_info(a->bit), a);
		for (size_t j = i + 1; j < kbm_refer_reasons_len; j++)
			assert_string_not_equal(a->key, kbm_refer_reasons[j].key);
	}
	assert_null(kbm_refer_info(1u << 30));
}

static void test_measure_checks(void **state)
{
	struct err e;
	(void)state;

	err_clear(&e);
	assert_int_equal(measure_check(MEASURE_WEIGHT, 9.1, 400, &e), 0);
	assert_int_equal(measure_check(MEASURE_WEIGHT, NAN, 400, &e), 0);
	assert_int_equal(measure_check(MEASURE_WEIGHT, 0.29, 400, &e), -1);
	assert_int_equal(e.code, ERR_RANGE);
	assert_string_equal(e.field, "weight");
	assert_int_equal(measure_check(MEASURE_WEIGHT, 0, 400, &e), -1);
	assert_int_equal(measure_check(MEASURE_WEIGHT, 250.1, 400, &e), -1);
	assert_int_equal(measure_check(MEASURE_WEIGHT, 0.8, 10, &e), 1);     /* implausible */
	assert_int_equal(measure_check(MEASURE_WEIGHT, 0.9, 10, &e), 0);
	assert_int_equal(measure_check(MEASURE_WEIGHT, 58.1, 1000, &e), 1);
	assert_int_equal(measure_check(MEASURE_WEIGHT, 58.1, 3000, &e), 0);  /* over 5 */
	assert_int_equal(measure_check(MEASURE_LENHEI, 37.9, 0, &e), 1);
	assert_int_equal(measure_check(MEASURE_LENHEI, 24, 0, &e), -1);
	assert_string_equal(e.field, "length");
	assert_int_equal(measure_check(MEASURE_HEADC, 100, 0, &e), -1);
	assert_string_equal(e.field, "headc");
	assert_int_equal(measure_check(MEASURE_MUAC, 4, 400, &e), -1);
	assert_string_equal(e.field, "muac");
	assert_int_equal(measure_check_dates(100, 99, &e), -1);
	assert_string_equal(e.field, "date");
	assert_int_equal(measure_check_dates(100, 100, &e), 0);
}

static void test_measure_warnings(void **state)
{
	struct growth_input in = { .sex = 1, .age_days = 200, .weight_kg = 7.5, .lenhei_cm = 66,
				   .measure = 'h', .headc_cm = NAN, .muac_cm = NAN };
	struct growth_result r;
	struct err e;
	(void)state;

	growth_compute(&in, &r);
	assert_int_equal(measure_warnings(&in, &r), MEASURE_WARN_STANDING_UNDER_9MO);
	in.measure = 'l';
	in.weight_kg = 30;        /* zwei > 5: flagged by WHO */
	growth_compute(&in, &r);
	assert_true(measure_warnings(&in, &r) & MEASURE_WARN_FWEI);
	assert_false(measure_warnings(&in, &r) & MEASURE_WARN_STANDING_UNDER_9MO);
	err_clear(&e);
	assert_int_equal(measure_check_input(&in, &e), 0);
	in.muac_cm = 80;
	assert_int_equal(measure_check_input(&in, &e), -1);
	assert_string_equal(e.field, "muac");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kbm_transcription_A_month7_400_month11_300),
		cmocka_unit_test(test_kbm_every_age),
		cmocka_unit_test(test_kbm_judge),
		cmocka_unit_test(test_2t),
		cmocka_unit_test(test_bgm_and_orange),
		cmocka_unit_test(test_muac_lila),
		cmocka_unit_test(test_refer),
		cmocka_unit_test(test_measure_checks),
		cmocka_unit_test(test_measure_warnings),
	};
	return cmocka_run_group_tests_name("kbm", tests, NULL, NULL);
}
