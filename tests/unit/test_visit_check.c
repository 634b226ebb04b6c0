/* tests/unit/test_visit_check.c: what a visit must be to be saved (issue
 * 12, core/visit_check.c over measure.c and imm.c): each rule at its
 * border and one step either side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/date.h"
#include "core/imm.h"
#include "core/measure.h"
#include "core/visit_check.h"
#include "core/visit_fields.h"

static struct person child(int32_t dob)
{
	struct person p;
	memset(&p, 0, sizeof p);
	p.uuid[0] = 1;
	p.kind = PERSON_CHILD;
	p.sex = 'P';
	p.dob = dob;
	return p;
}

static struct visit visit(int id, int32_t date)
{
	struct visit v;
	memset(&v, 0, sizeof v);
	v.uuid[0] = (uint8_t)id;
	v.person[0] = 1;
	v.date = date;
	v.asi_recall = -1;
	v.not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;
	return v;
}

static void test_empty(void **state)
{
	struct person p = child(date_from_ymd(2027, 1, 10));
	struct visit v = visit(1, date_from_ymd(2027, 6, 10));
	struct vcheck c[VCHECK_MAX];
	(void)state;
	assert_int_equal(visit_check(&p, &v, NULL, 0, c, NULL), 1);
	assert_int_equal(c[0].code, VCHECK_EMPTY);
	assert_int_equal(c[0].level, VCHECK_REFUSE);
	v.counsel_asi = true;              /* a service alone is a visit */
	assert_int_equal(visit_check(&p, &v, NULL, 0, c, NULL), 0);
	v.counsel_asi = false;
	v.home_visit = true;
	assert_false(visit_is_empty(&v));
}

static void test_three_state(void **state)
{
	struct visit v = visit(1, 0);
	(void)state;
	assert_int_equal(visit_answer(&v, VF_OEDEMA), -1);
	assert_int_equal(visit_answer(&v, VF_ASI), -1);
	assert_int_equal(visit_answer(&v, VF_BF_CONTINUE), -1);
	assert_int_equal(visit_answer(&v, VF_DANGER), -1);
	visit_set_answer(&v, VF_OEDEMA, 0);
	assert_int_equal(visit_answer(&v, VF_OEDEMA), 0);
	visit_set_answer(&v, VF_OEDEMA, 1);
	assert_true(v.oedema);
	visit_set_answer(&v, VF_BF_CONTINUE, 0);
	assert_int_equal(v.bf_continue, BF_ASKED_NO);
	/* an old payload (no not_asked) keeps its meaning: absent is "no" */
	memset(&v, 0, sizeof v);
	assert_int_equal(visit_answer(&v, VF_OEDEMA), 0);
	assert_int_equal(visit_answer(&v, VF_COUNSEL), 0);
}

static void test_weight_change(void **state)
{
	(void)state;
	/* 9 months, a month apart: gain 1000 g allowed, 1001 not */
	assert_int_equal(measure_change_check(MEASURE_WEIGHT, 9600, 10600, 30, 9, 0, 0), MEASURE_CHANGE_OK);
	assert_int_equal(measure_change_check(MEASURE_WEIGHT, 9600, 10601, 30, 9, 0, 0), MEASURE_CHANGE_GAIN);
	assert_int_equal(measure_change_check(MEASURE_WEIGHT, 9600, 98000, 30, 9, 0, 0), MEASURE_CHANGE_GAIN);
	/* two months allow twice the gain */
	assert_int_equal(measure_change_check(MEASURE_WEIGHT, 9600, 11600, 60, 9, 0, 0), MEASURE_CHANGE_OK);
	/* a loss of 15 % is the most; more asks */
	assert_int_equal(measure_change_check(MEASURE_WEIGHT, 10000, 8500, 30, 20, 0, 0), MEASURE_CHANGE_OK);
	assert_int_equal(measure_change_check(MEASURE_WEIGHT, 10000, 8499, 30, 20, 0, 0), MEASURE_CHANGE_LOSS);
}

static void test_length_change(void **state)
{
	(void)state;
	/* shrinking by 1 cm is measurement error; more is not */
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 841, 831, 30, 20, 'l', 'l'), MEASURE_CHANGE_OK);
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 841, 830, 30, 20, 'l', 'l'), MEASURE_CHANGE_LOSS);
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 841, 815, 30, 20, 'l', 'l'), MEASURE_CHANGE_LOSS);
	/* standing is 0,7 cm less than lying: 84,1 lying then 83,4 standing is no change */
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 841, 824, 30, 23, 'l', 'h'), MEASURE_CHANGE_OK);
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 841, 823, 30, 23, 'l', 'h'), MEASURE_CHANGE_LOSS);
	/* at 20 months, 2,5 cm a month plus 1 cm error */
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 800, 835, 30, 20, 'l', 'l'), MEASURE_CHANGE_OK);
	assert_int_equal(measure_change_check(MEASURE_LENHEI, 800, 836, 30, 20, 'l', 'l'), MEASURE_CHANGE_GAIN);
}

static void test_doses(void **state)
{
	int32_t dob = date_from_ymd(2027, 1, 10);
	(void)state;
	/* MR1: 9 months; 6-8 months an outbreak catch-up; before 6 refused */
	assert_int_equal(imm_check_dose(IMM_MR1, dob, date_from_ymd(2027, 10, 10), DATE_NONE, NULL), IMM_OK);
	assert_int_equal(imm_check_dose(IMM_MR1, dob, date_from_ymd(2027, 10, 9), DATE_NONE, NULL), IMM_CATCHUP_EARLY);
	assert_int_equal(imm_check_dose(IMM_MR1, dob, date_from_ymd(2027, 7, 9), DATE_NONE, NULL), IMM_TOO_YOUNG);
	assert_int_equal(imm_check_dose(IMM_MR1, dob, dob + 32, DATE_NONE, NULL), IMM_TOO_YOUNG);
	/* HB0 up to 7 days */
	assert_int_equal(imm_check_dose(IMM_HB0, dob, dob + 7, DATE_NONE, NULL), IMM_OK);
	assert_int_equal(imm_check_dose(IMM_HB0, dob, dob + 8, DATE_NONE, NULL), IMM_TOO_OLD);
	/* OPV2: 6 weeks of age, 4 weeks after OPV1 */
	assert_int_equal(imm_check_dose(IMM_OPV2, dob, dob + 41, DATE_NONE, NULL), IMM_TOO_YOUNG);
	assert_int_equal(imm_check_dose(IMM_OPV2, dob, dob + 60, dob + 33, NULL), IMM_TOO_SOON);
	assert_int_equal(imm_check_dose(IMM_OPV2, dob, dob + 60, dob + 32, NULL), IMM_OK);
	/* RV: none from 7 months */
	assert_int_equal(imm_check_dose(IMM_RV1, dob, date_from_ymd(2027, 8, 9), DATE_NONE, NULL), IMM_OK);
	assert_int_equal(imm_check_dose(IMM_RV1, dob, date_from_ymd(2027, 8, 10), DATE_NONE, NULL), IMM_TOO_OLD);
	/* MR2 before 18 months: a catch-up; DPT4 6 months after DPT3 */
	assert_int_equal(imm_check_dose(IMM_MR2, dob, date_from_ymd(2028, 1, 10), date_from_ymd(2027, 10, 10), NULL),
			 IMM_CATCHUP_EARLY);
	assert_int_equal(imm_check_dose(IMM_MR2, dob, date_from_ymd(2028, 7, 10), date_from_ymd(2027, 10, 10), NULL),
			 IMM_OK);
	assert_int_equal(imm_check_dose(IMM_DPT4, dob, date_from_ymd(2028, 7, 10), date_from_ymd(2028, 1, 11), NULL),
			 IMM_TOO_SOON);
	/* BCG after 12 months: a catch-up */
	assert_int_equal(imm_check_dose(IMM_BCG, dob, date_from_ymd(2028, 1, 9), DATE_NONE, NULL), IMM_OK);
	assert_int_equal(imm_check_dose(IMM_BCG, dob, date_from_ymd(2028, 1, 10), DATE_NONE, NULL), IMM_CATCHUP_LATE);
}

static void test_capsules(void **state)
{
	(void)state;
	assert_int_equal(vita_check(VITA_BLUE, 5, 2, 0), VITA_WRONG_AGE);
	assert_int_equal(vita_check(VITA_BLUE, 6, 2, 0), VITA_OK);
	assert_int_equal(vita_check(VITA_BLUE, 11, 8, 0), VITA_OK);
	assert_int_equal(vita_check(VITA_BLUE, 12, 8, 0), VITA_WRONG_AGE);
	assert_int_equal(vita_check(VITA_BLUE, 30, 8, 0), VITA_WRONG_AGE);
	assert_int_equal(vita_check(VITA_BLUE, 8, 8, 1), VITA_BLUE_AGAIN);
	assert_int_equal(vita_check(VITA_RED, 11, 2, 0), VITA_WRONG_AGE);
	assert_int_equal(vita_check(VITA_RED, 12, 2, 0), VITA_OK);
	assert_int_equal(vita_check(VITA_RED, 59, 8, 0), VITA_OK);
	assert_int_equal(vita_check(VITA_RED, 60, 8, 0), VITA_WRONG_AGE);
	assert_int_equal(vita_check(VITA_RED, 30, 1, 0), VITA_OFF_MONTH);
	assert_int_equal(vita_check(VITA_RED, 30, 3, 0), VITA_OFF_MONTH);
}

/* The whole check: a typo weight against last month, confirmed not refused;
 * a dose in the same visit as the one before it is too soon. */
static void test_visit(void **state)
{
	struct person p = child(date_from_ymd(2027, 1, 10));
	struct visit h = visit(1, date_from_ymd(2027, 9, 15)), v = visit(2, date_from_ymd(2027, 10, 15));
	struct vcheck c[VCHECK_MAX];
	size_t n;
	(void)state;
	h.weight_g = 9600;
	v.weight_g = 98000;
	n = visit_check(&p, &v, &h, 1, c, NULL);
	assert_true(n >= 1);
	assert_int_equal(c[0].code, VCHECK_WEIGHT);
	assert_int_equal(c[0].level, VCHECK_CONFIRM);
	assert_int_equal(c[0].prev, 9600);
	assert_int_equal(visit_check_worst(c, n), VCHECK_CONFIRM);
	v.weight_g = 9800;
	v.imm = (1u << IMM_OPV1) | (1u << IMM_OPV2);
	n = visit_check(&p, &v, &h, 1, c, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].antigen, IMM_OPV2);
	assert_int_equal(c[0].verdict, IMM_TOO_SOON);
	assert_int_equal(visit_check_worst(c, n), VCHECK_REFUSE);
}

static void test_same_day(void **state)
{
	struct visit hist[2], v;
	(void)state;
	memset(hist, 0, sizeof hist);
	memset(&v, 0, sizeof v);
	hist[0].date = 20000; hist[0].uuid[0] = 1;
	hist[1].date = 20031; hist[1].uuid[0] = 2;
	v.date = 20031; v.uuid[0] = 2;               /* the visit itself, edited */
	assert_false(visit_same_day(&v, hist, 2));
	v.date = 20000;                               /* moved onto another visit's day */
	assert_true(visit_same_day(&v, hist, 2));
	v.date = 20001;                               /* a free day */
	assert_false(visit_same_day(&v, hist, 2));
	v.uuid[0] = 3; v.date = 20031;                /* a new visit on a day that has one */
	assert_true(visit_same_day(&v, hist, 2));
	assert_false(visit_same_day(&v, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_three_state),
		cmocka_unit_test(test_weight_change),
		cmocka_unit_test(test_length_change),
		cmocka_unit_test(test_doses),
		cmocka_unit_test(test_capsules),
		cmocka_unit_test(test_visit),
		cmocka_unit_test(test_same_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
