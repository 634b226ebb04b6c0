/* tests/unit/test_desk.c: what the result panel says (core/desk.c), the
 * schedule (core/imm.c) and the name search (core/search.c). Expected values
 * come from domain.md, worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/imm.h"
#include "core/search.h"
#include "app/desk_data.h"

static int32_t day(int d, int m, int y)
{
	return date_from_ymd(y, m, d);
}

static struct person child(char sex, int32_t dob)
{
	struct person p;
	memset(&p, 0, sizeof p);
	p.uuid[0] = 1;
	p.kind = PERSON_CHILD;
	p.sex = sex;
	p.dob = dob;
	return p;
}

static struct visit weigh(int id, int32_t date, uint32_t g)
{
	struct visit v;
	memset(&v, 0, sizeof v);
	v.uuid[0] = (uint8_t)id;
	v.person[0] = 1;
	v.date = date;
	v.weight_g = g;
	v.asi_recall = -1;
	return v;
}

/* First weighing ever: B. Then +900 g at 2 months (KBM 900): N. */
static void test_b_then_n(void **state)
{
	struct person p = child('L', day(1, 1, 2024));
	struct visit h[2] = { weigh(1, day(10, 2, 2024), 4500), weigh(2, day(10, 3, 2024), 5400) };
	struct desk_result r;
	(void)state;

	desk_assess(&p, &h[0], h, 1, &r);
	assert_int_equal(r.nt, KBM_B);
	assert_false(r.has_gain);
	desk_assess(&p, &h[1], h, 2, &r);
	assert_int_equal(r.age_months, 2);
	assert_int_equal(r.kbm_g, 900);
	assert_true(r.has_gain);
	assert_int_equal(r.gain_g, 900);
	assert_int_equal(r.nt, KBM_N);
	assert_false(r.refer & KBM_REFER_T);
}

/* Gains below the KBM two months running: T then 2T, both referred. A
 * skipped month in between gives O and breaks the chain. */
static void test_t_2t_and_o(void **state)
{
	struct person p = child('P', day(5, 1, 2023));
	/* 13, 14, 15 completed months: KBM 200 g */
	struct visit h[4] = {
		weigh(1, day(10, 2, 2024), 8000),
		weigh(2, day(10, 3, 2024), 8100),     /* +100 < 200: T */
		weigh(3, day(10, 4, 2024), 8150),     /* +50: T, after T last month: 2T */
		weigh(4, day(10, 6, 2024), 8600),     /* May missed: O */
	};
	struct desk_result r;
	(void)state;

	desk_assess(&p, &h[1], h, 4, &r);
	assert_int_equal(r.nt, KBM_T);
	assert_false(r.two_t);
	assert_true(r.refer & KBM_REFER_T);
	desk_assess(&p, &h[2], h, 4, &r);
	assert_int_equal(r.nt, KBM_T);
	assert_true(r.two_t);
	assert_true(r.refer & KBM_REFER_2T);
	desk_assess(&p, &h[3], h, 4, &r);
	assert_int_equal(r.nt, KBM_O);
	assert_false(r.two_t);
	assert_false(r.has_gain);
}

/* A weight loss is T whatever the KBM (domain.md 3.3: flat, down, or gain
 * below the KBM). */
static void test_loss_is_t(void **state)
{
	struct person p = child('L', day(1, 6, 2023));
	struct visit h[2] = { weigh(1, day(10, 5, 2024), 9000), weigh(2, day(10, 6, 2024), 8800) };
	struct desk_result r;
	(void)state;
	desk_assess(&p, &h[1], h, 2, &r);
	assert_int_equal(r.nt, KBM_T);
	assert_int_equal(r.gain_g, -200);
}

/* Weighed twice in one month: the second weighing is judged against last
 * month's, as the report counts it (its later weighing replaces the
 * earlier), not "not judged" against the one of ten days before; the
 * change from ten days before is still what the plausibility check reads. */
static void test_second_weighing_of_month(void **state)
{
	struct person p = child('L', day(20, 12, 2022));
	struct visit h[3] = {
		weigh(1, day(10, 10, 2026), 14700),
		weigh(2, day(10, 11, 2026), 14800),   /* +100 < 200 g: T */
		weigh(3, day(20, 11, 2026), 14900),   /* +200 on October: N */
	};
	struct desk_result r;
	(void)state;

	desk_assess(&p, &h[1], h, 3, &r);
	assert_int_equal(r.nt, KBM_T);
	desk_assess(&p, &h[2], h, 3, &r);
	assert_int_equal(r.nt, KBM_N);
	assert_true(r.has_gain);
	assert_int_equal(r.gain_g, 200);
	assert_int_equal(r.prev_weight_g, 14800);
	assert_int_equal(r.prev_weight_date, day(10, 11, 2026));
	/* and a loss within the month against a gain on last month is T */
	h[2].weight_g = 14650;
	desk_assess(&p, &h[2], h, 3, &r);
	assert_int_equal(r.nt, KBM_T);
	assert_int_equal(r.gain_g, -50);
}

/* At 0 completed months there is no KBM, but a baby weighed in the birth
 * month and again the next calendar month is judged with the 1-month KBM
 * (800 g; KMS column 1): on the desk as in the report (core/report.h). */
static void test_age0_next_month(void **state)
{
	struct person p = child('L', day(8, 11, 2026));
	struct visit h[2] = { weigh(1, day(10, 11, 2026), 3700), weigh(2, day(3, 12, 2026), 4200) };
	struct desk_result r;
	(void)state;

	desk_assess(&p, &h[1], h, 2, &r);
	assert_int_equal(r.age_months, 0);
	assert_true(r.nt_age0);
	assert_int_equal(r.kbm_g, 800);
	assert_true(r.has_gain);
	assert_int_equal(r.gain_g, 500);
	assert_int_equal(r.nt, KBM_T);
	h[1].weight_g = 4500;                  /* +800: N */
	desk_assess(&p, &h[1], h, 2, &r);
	assert_int_equal(r.nt, KBM_N);
	/* the birth month's own weighing: B, not the age-0 rule */
	desk_assess(&p, &h[0], h, 2, &r);
	assert_int_equal(r.nt, KBM_B);
	assert_false(r.nt_age0);
	/* one completed month: the ordinary rule, not the edge */
	h[0].date = day(8, 11, 2026);
	p.dob = day(1, 11, 2026);
	h[1].date = day(20, 12, 2026);
	desk_assess(&p, &h[1], h, 2, &r);
	assert_int_equal(r.age_months, 1);
	assert_false(r.nt_age0);
	assert_int_equal(r.kbm_g, 800);
	assert_int_equal(r.nt, KBM_N);         /* +800 g */
}

/* Schedule (domain.md §5.1). */
static void test_imm_due(void **state)
{
	(void)state;
	assert_int_equal(imm_due(0, 0), 1u << IMM_HB0);
	/* at 2 months with nothing given: BCG, OPV1 (1 m) and the 2-month step */
	assert_int_equal(imm_due(2, 0), (1u << IMM_BCG) | (1u << IMM_OPV1) | (1u << IMM_DPT1) |
				     (1u << IMM_OPV2) | (1u << IMM_PCV1) | (1u << IMM_RV1));
	/* rotavirus is no longer due from 7 months; JE is never offered by default */
	assert_false(imm_due(7, 0) & (1u << IMM_RV1));
	assert_false(imm_due(12, 0) & (1u << IMM_JE));
	/* everything given up to 9 months: MR1 and IPV2 due at 9 */
	uint32_t given = 0;
	for (size_t i = 0; i < imm_schedule_len; i++)
		if (imm_schedule[i].age_months <= 4)
			given |= imm_schedule[i].antigens;
	assert_int_equal(imm_due(9, given), (1u << IMM_MR1) | (1u << IMM_IPV2));
	assert_int_equal(imm_due(8, given), 0);
}

/* Vitamin A (domain.md §5.2). */
static void test_vita_due(void **state)
{
	(void)state;
	assert_int_equal(vita_due(6, 2, 0, 0), VITA_BLUE);
	assert_int_equal(vita_due(11, 8, 0, 0), VITA_BLUE);
	assert_int_equal(vita_due(11, 8, 1, 0), VITA_NONE);   /* blue only once */
	assert_int_equal(vita_due(12, 8, 1, 0), VITA_RED);
	assert_int_equal(vita_due(59, 2, 0, 0), VITA_RED);
	assert_int_equal(vita_due(60, 2, 0, 0), VITA_NONE);
	assert_int_equal(vita_due(5, 2, 0, 0), VITA_NONE);
	assert_int_equal(vita_due(30, 3, 0, 0), VITA_NONE);   /* not a vitamin A month */
	assert_int_equal(vita_due(30, 8, 0, 1), VITA_NONE);   /* already this round */
}

/* Pregnant woman: LILA exactly 23.5 is not KEK; 23.4 is. */
static void test_kek(void **state)
{
	struct person p;
	struct visit v = weigh(1, day(10, 5, 2024), 55000);
	struct desk_result r;
	(void)state;
	memset(&p, 0, sizeof p);
	p.kind = PERSON_PREGNANT;
	p.sex = 'P';
	p.dob = day(1, 1, 1998);
	v.muac_mm = 235;
	desk_assess(&p, &v, &v, 1, &r);
	assert_false(r.kek);
	v.muac_mm = 234;
	desk_assess(&p, &v, &v, 1, &r);
	assert_true(r.kek);
	assert_true(r.refer & KBM_CHECK_KEK);
	assert_false(r.child);
}

/* The position default: lying below 731 days. */
static void test_default_measure(void **state)
{
	(void)state;
	assert_int_equal(desk_default_measure(0), 'l');
	assert_int_equal(desk_default_measure(730), 'l');
	assert_int_equal(desk_default_measure(731), 'h');
}

/* In S but not in D: a visit without a weight does not count as weighed;
 * a child of 60 months is not in S; last month's weighing is not this
 * month's. */
static void test_not_weighed(void **state)
{
	struct person p[4];
	struct visit v[3];
	size_t idx[4], n;
	int32_t today = day(15, 6, 2024);
	(void)state;

	for (int i = 0; i < 4; i++) {
		p[i] = child('L', day(1, 1, 2023));
		p[i].uuid[0] = (uint8_t)(10 + i);
	}
	p[3].dob = day(1, 6, 2019);                   /* 60 months: not a balita */
	v[0] = weigh(1, day(10, 6, 2024), 9000);     /* p0 weighed this month */
	v[0].person[0] = 10;
	v[1] = weigh(2, day(10, 6, 2024), 0);        /* p1 came, not weighed */
	v[1].person[0] = 11;
	v[2] = weigh(3, day(10, 5, 2024), 9000);     /* p2 weighed last month only */
	v[2].person[0] = 12;
	n = desk_not_weighed(p, 4, v, 3, today, idx, 4);
	assert_int_equal(n, 2);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 2);
}

static void test_fold(void **state)
{
	char a[64], b[64];
	(void)state;
	assert_string_equal(search_fold("  Siti  AMINAH ", a, sizeof a), "siti aminah");
	assert_string_equal(search_fold("Soekarno", a, sizeof a), search_fold("Sukarno", b, sizeof b));
	assert_string_equal(search_fold("Djoko", a, sizeof a), search_fold("Joko", b, sizeof b));
	assert_string_equal(search_fold("Tjahjono", a, sizeof a), search_fold("Cahyono", b, sizeof b));
	assert_string_equal(search_fold("Jusuf", a, sizeof a), search_fold("Yusuf", b, sizeof b));
	assert_string_equal(search_fold("Mochammad", a, sizeof a), search_fold("Mokhamad", b, sizeof b));
	assert_string_equal(search_fold("Ren\xc3\xa9", a, sizeof a), "rene");
	assert_string_equal(search_fold("Nur'aini", a, sizeof a), "nur aini");
}

static void test_search_score(void **state)
{
	char name[64], mother[64], q[64];
	struct search_entry e = { name, mother, "3302014701230001" };
	(void)state;
	search_fold("Aisyah Putri", name, sizeof name);
	search_fold("Siti Rahayu", mother, sizeof mother);
	assert_true(search_score(&e, search_fold("ais", q, sizeof q)) > 0);
	assert_true(search_score(&e, search_fold("putri", q, sizeof q)) > 0);
	assert_true(search_score(&e, search_fold("rahayu", q, sizeof q)) > 0);   /* the mother */
	assert_true(search_score(&e, search_fold("ais rahayu", q, sizeof q)) > 0);
	assert_int_equal(search_score(&e, search_fold("ais budi", q, sizeof q)), 0);
	assert_int_equal(search_score(&e, search_fold("xyz", q, sizeof q)), 0);
	assert_true(search_score(&e, "47012300") > 0);                 /* part of the NIK */
	assert_int_equal(search_score(&e, "9999"), 0);
	/* the start of the name beats the mother's name */
	assert_true(search_score(&e, search_fold("ais", q, sizeof q)) >
		    search_score(&e, search_fold("siti", q, sizeof q)));
}

/* Registered twice? Name (folded) + date of birth + mother for a child. */
static void test_likely_duplicate(void **state)
{
	struct person a = child('L', day(1, 2, 2024)), b;
	(void)state;
	snprintf(a.name, sizeof a.name, "Djoko Santoso");
	snprintf(a.mother_name, sizeof a.mother_name, "Siti Aminah");
	b = a;
	snprintf(b.name, sizeof b.name, "joko  santoso");
	assert_true(search_likely_duplicate(&a, &b));
	snprintf(b.mother_name, sizeof b.mother_name, "Sri Wahyuni");
	assert_false(search_likely_duplicate(&a, &b));      /* another mother */
	b = a;
	b.dob = day(2, 2, 2024);
	assert_false(search_likely_duplicate(&a, &b));      /* another birthday */
	a.kind = b.kind = PERSON_WOMAN;
	b = a;
	snprintf(b.mother_name, sizeof b.mother_name, "x");
	assert_true(search_likely_duplicate(&a, &b));       /* a woman: no mother asked */
	assert_true(search_same_name("Soekarno", "sukarno"));
}

/* One NIK, one person: found in others, not in oneself, "" is nobody's. */
static void test_nik_holder(void **state)
{
	struct person p[3];
	(void)state;
	memset(p, 0, sizeof p);
	for (int i = 0; i < 3; i++)
		p[i].uuid[0] = (uint8_t)(i + 1);
	snprintf(p[1].nik, sizeof p[1].nik, "3203014310250001");
	snprintf(p[2].nik, sizeof p[2].nik, "3203010310250002");
	assert_int_equal(search_nik_holder(p, 3, "3203014310250001", NULL), 1);
	assert_int_equal(search_nik_holder(p, 3, "3203014310250001", p[0].uuid), 1);
	assert_int_equal(search_nik_holder(p, 3, "3203014310250001", p[1].uuid), -1); /* herself */
	assert_int_equal(search_nik_holder(p, 3, "3203014310250003", NULL), -1);  /* last digit */
	assert_int_equal(search_nik_holder(p, 3, "", NULL), -1);        /* p[0] has none either */
	assert_int_equal(search_nik_holder(p, 3, NULL, NULL), -1);
	assert_int_equal(search_nik_holder(p, 0, "3203014310250001", NULL), -1);
}

/* A child's mother: the women only (woman or pregnant), by folded name;
 * her children oldest first; the desk's picker list narrows among them. */
static void test_mothers(void **state)
{
	struct person p[5];
	size_t idx[8];
	static const char *const names[] = { "Siti Aminah", "Sumarni", "Siti Kecil", "Budi", "Sri" };
	(void)state;
	memset(p, 0, sizeof p);
	for (int i = 0; i < 5; i++) {
		p[i].uuid[0] = (uint8_t)(i + 1);
		snprintf(p[i].name, sizeof p[i].name, "%s", names[i]);
		p[i].kind = i < 2 ? (i ? PERSON_PREGNANT : PERSON_WOMAN) : PERSON_CHILD;
	}
	p[2].dob = day(1, 6, 2025);
	p[3].dob = day(1, 1, 2024);
	p[4].dob = day(1, 1, 2023);
	memcpy(p[2].mother, p[0].uuid, UUID_LEN);     /* Siti Kecil and Budi are Siti Aminah's */
	memcpy(p[3].mother, p[0].uuid, UUID_LEN);
	memcpy(p[4].mother, p[1].uuid, UUID_LEN);
	snprintf(p[3].mother_name, sizeof p[3].mother_name, "Siti Aminah");
	assert_true(search_may_be_mother(&p[0]) && search_may_be_mother(&p[1]));
	assert_false(search_may_be_mother(&p[2]));
	assert_int_equal(search_mother_named(p, 5, "sitti  AMINAH"), 0);   /* old spelling, case */
	assert_int_equal(search_mother_named(p, 5, "Soemarni"), 1);
	assert_int_equal(search_mother_named(p, 5, "Siti"), -1);          /* a part is no name */
	assert_int_equal(search_mother_named(p, 5, "Siti Kecil"), -1);    /* a child is no mother */
	assert_int_equal(search_children_of(p, 5, p[0].uuid, idx, 8), 2);
	assert_int_equal(idx[0], 3);                                       /* Budi, the elder */
	assert_int_equal(idx[1], 2);
	assert_int_equal(search_children_of(p, 5, p[0].uuid, idx, 1), 1);
	assert_int_equal(search_children_of(p, 5, p[2].uuid, idx, 8), 0);

	for (int i = 0; i < 5; i++)
		assert_int_equal(desk_put_person(&p[i]), 0);
	assert_int_equal(desk_search("sit", idx, 8), 3);        /* the desk: name or mother */
	assert_int_equal(desk_search_mothers("sit", idx, 8), 1);  /* the picker: her own name */
	assert_string_equal(desk.p[idx[0]].name, "Siti Aminah");
	assert_int_equal(desk_search_mothers("soem", idx, 8), 1);
	assert_string_equal(desk.p[idx[0]].name, "Sumarni");
	assert_int_equal(desk_search_mothers("", idx, 8), 2);     /* nothing typed: every woman */
	assert_int_equal(desk_search_mothers("budi", idx, 8), 0);
	assert_int_equal(desk_children_of(p[1].uuid, idx, 8), 1);
	assert_string_equal(desk.p[idx[0]].name, "Sri");
	snprintf(p[1].name, sizeof p[1].name, "SITI AMINAH");       /* a second Siti Aminah */
	assert_int_equal(search_mother_named(p, 5, "Siti Aminah"), -2);
	desk_unload();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b_then_n),
		cmocka_unit_test(test_t_2t_and_o),
		cmocka_unit_test(test_loss_is_t),
		cmocka_unit_test(test_second_weighing_of_month),
		cmocka_unit_test(test_age0_next_month),
		cmocka_unit_test(test_imm_due),
		cmocka_unit_test(test_vita_due),
		cmocka_unit_test(test_kek),
		cmocka_unit_test(test_default_measure),
		cmocka_unit_test(test_not_weighed),
		cmocka_unit_test(test_likely_duplicate),
		cmocka_unit_test(test_nik_holder),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_search_score),
		cmocka_unit_test(test_mothers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
