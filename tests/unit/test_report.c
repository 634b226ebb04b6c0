/* tests/unit/test_report.c: the monthly report, the follow-up list, the
 * trend and the session evidence (core/report.c) over a small posyandu
 * built by hand. Every expected number below is worked out from the
 * definitions (domain.md §3.3-3.4, §4, §5, §6 and the edges decided in
 * core/report.h), child by child, in the comments, not taken from the code.
 *
 * The month is August 2024 (a vitamin A month); the reference day is
 * 31-08-2024. Ages are completed months on that day unless said otherwise.
 * z-scores quoted are WHO 2006 values (the growth engine is checked against
 * WHO Anthro in test_growth.c); every one is far from its cut-off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/demo.h"
#include "core/imm.h"
#include "core/report.h"

#define BIT(a) (1u << (a))
#define ALL (((1u << IMM__COUNT) - 1) & ~BIT(IMM_JE))   /* the whole schedule but JE */

static int32_t day(int d, int m, int y)
{
	return date_from_ymd(y, m, d);
}

static int month(int y, int m)
{
	return y * 12 + m - 1;
}

/* ---- the posyandu ---- */

enum who {
	BAYU, CITRA, DODI, EKA, FITRI, GILANG, HANA, INDRA, JOKO, KARTIKA, LESTARI, MADE, NANDA,
	OKI, PUTRI,
	ANI, WATI, YUNI, DEWI,               /* mothers */
	SARI, RINI, TUTI, UMI,               /* women seen */
	NPEOPLE
};

struct fixture {
	struct person p[NPEOPLE];
	struct visit v[80];
	size_t nv;
	struct session x[3];
	struct report_data *d;
};

static void person(struct fixture *f, enum who w, enum person_kind kind, const char *name, char sex,
		   int32_t dob, int rw, int rt, bool kia)
{
	struct person *p = &f->p[w];
	memset(p, 0, sizeof *p);
	p->uuid[0] = 0x10;
	p->uuid[15] = (uint8_t)(w + 1);
	p->kind = kind;
	snprintf(p->name, sizeof p->name, "%s", name);
	p->sex = sex;
	p->dob = dob;
	p->rw = (uint8_t)rw;
	p->rt = (uint8_t)rt;
	p->kia = kia ? ASK_YES : ASK_NO;
	p->registered = DATE_NONE;
}

static void mother(struct fixture *f, enum who child, enum who mom)
{
	memcpy(f->p[child].mother, f->p[mom].uuid, UUID_LEN);
	snprintf(f->p[child].mother_name, sizeof f->p[child].mother_name, "%s", f->p[mom].name);
}

/* A visit of W on DATE; weight in grams (0 = not weighed). */
static struct visit *visit(struct fixture *f, enum who w, int32_t date, uint32_t g)
{
	struct visit *v = &f->v[f->nv++];
	memset(v, 0, sizeof *v);
	v->uuid[0] = 0x20;
	v->uuid[14] = (uint8_t)(f->nv >> 8);
	v->uuid[15] = (uint8_t)f->nv;
	memcpy(v->person, f->p[w].uuid, UUID_LEN);
	v->date = date;
	v->weight_g = g;
	v->asi_recall = -1;
	return v;
}

static void length(struct visit *v, int mm, char how)
{
	v->lenhei_mm = (uint16_t)mm;
	v->measure = how;
}

static void session(struct session *x, int id, int32_t date, int nk, ...)
{
	va_list ap;
	memset(x, 0, sizeof *x);
	x->uuid[0] = 0x30;
	x->uuid[15] = (uint8_t)id;
	x->date = date;
	va_start(ap, nk);
	for (int k = 0; k < nk; k++)
		x->kader[k][15] = (uint8_t)va_arg(ap, int);      /* kader uuids ...01, ...02, ...03 */
	va_end(ap);
	x->n_kader = nk;
	snprintf(x->place, sizeof x->place, "Balai RW 02");
}

static void build(struct fixture *f)
{
	struct visit *v;
	struct report_input in;

	memset(f, 0, sizeof *f);
	person(f, ANI, PERSON_WOMAN, "Ani", 'P', day(1, 1, 1995), 1, 1, false);
	f->p[ANI].works = ASK_NO;                 /* (Dewi, below, was never asked) */
	person(f, WATI, PERSON_WOMAN, "Wati", 'P', day(1, 1, 1994), 2, 2, false);
	f->p[WATI].works = ASK_YES;
	person(f, YUNI, PERSON_WOMAN, "Yuni", 'P', day(1, 1, 1996), 2, 3, false);
	f->p[YUNI].works = ASK_YES;
	person(f, DEWI, PERSON_WOMAN, "Dewi", 'P', day(1, 1, 1997), 1, 1, false);

	/* Bayu, boy, 5 months, 0-5: first weighing ever on 10-08 -> B. An
	 * April visit without a weight (immunisations only) is not a weighing.
	 * Recall at 5 months: yes. WFA -0.65, PB/U -0.45, BB/PB -0.46: normal. */
	person(f, BAYU, PERSON_CHILD, "Bayu", 'L', day(10, 3, 2024), 1, 1, true);
	mother(f, BAYU, ANI);
	v = visit(f, BAYU, day(10, 4, 2024), 0);
	v->imm = BIT(IMM_HB0) | BIT(IMM_BCG) | BIT(IMM_OPV1) | BIT(IMM_DPT1) | BIT(IMM_OPV2) |
		 BIT(IMM_PCV1) | BIT(IMM_RV1) | BIT(IMM_DPT2) | BIT(IMM_OPV3) | BIT(IMM_PCV2) |
		 BIT(IMM_RV2) | BIT(IMM_DPT3) | BIT(IMM_OPV4) | BIT(IMM_IPV1) | BIT(IMM_RV3);
	v = visit(f, BAYU, day(10, 8, 2024), 7000);
	length(v, 650, 'l');
	v->asi_recall = 1;

	/* Citra, girl, 18 months, 12-23: weighed in June and August, not in
	 * July -> O. Red capsule. DPT4 and MR2 fall due at 18 months: due,
	 * but not yet overdue (they were not due at 17). No mother record. */
	person(f, CITRA, PERSON_CHILD, "Citra", 'P', day(15, 2, 2023), 1, 2, true);
	snprintf(f->p[CITRA].mother_name, sizeof f->p[CITRA].mother_name, "Bu Ratna");
	v = visit(f, CITRA, day(12, 6, 2024), 9500);
	v->imm = ALL & ~(BIT(IMM_DPT4) | BIT(IMM_MR2));
	v = visit(f, CITRA, day(12, 8, 2024), 9800);
	length(v, 790, 'l');
	v->vitamin_a = VITA_RED;

	/* Dodi, boy, 24 months, no KMS: June 9.5, July 10.0 (+500 at 23 months,
	 * KBM 200: N), August 10.1 (+100 at 24 months, KBM 200) -> T, not 2T. */
	person(f, DODI, PERSON_CHILD, "Dodi", 'L', day(20, 8, 2022), 1, 3, false);
	v = visit(f, DODI, day(20, 6, 2024), 9500);
	v->imm = ALL;
	visit(f, DODI, day(20, 7, 2024), 10000);
	v = visit(f, DODI, day(20, 8, 2024), 10100);
	v->vitamin_a = VITA_RED;

	/* Eka, girl, 39 months: May 11.5, June 12.0 (N), July 12.1 (+100 < 200:
	 * T), August 12.1 (+0: T) -> T twice in a row: 2T. */
	person(f, EKA, PERSON_CHILD, "Eka", 'P', day(5, 5, 2021), 2, 1, true);
	v = visit(f, EKA, day(5, 5, 2024), 11500);
	v->imm = ALL;
	visit(f, EKA, day(5, 6, 2024), 12000);
	visit(f, EKA, day(5, 7, 2024), 12100);
	v = visit(f, EKA, day(5, 8, 2024), 12100);
	v->vitamin_a = VITA_RED;

	/* Fitri, girl, born 15-02-2024: she turns 6 months on 15-08, mid-month
	 * (5 months on 31-07, 6 on 31-08: group 6-11). Weighed monthly; on
	 * 10-08 she is still 5 months: +600 g against KBM(5) = 500 -> N, and
	 * her recall (yes) counts among the 0-5 months. Every recall was yes:
	 * exclusively breastfed to 6 months. Her mother Wati works. No blue
	 * capsule yet: in the blue target, missed. */
	person(f, FITRI, PERSON_CHILD, "Fitri", 'P', day(15, 2, 2024), 2, 2, true);
	mother(f, FITRI, WATI);
	{
		static const int w[] = { 4200, 5100, 5900, 6500, 7000 };
		for (int m = 3; m <= 7; m++) {
			v = visit(f, FITRI, day(20, m, 2024), (uint32_t)w[m - 3]);
			v->asi_recall = 1;
			if (m == 3)
				v->imm = BIT(IMM_HB0) | BIT(IMM_BCG) | BIT(IMM_OPV1) | BIT(IMM_DPT1) |
					 BIT(IMM_OPV2) | BIT(IMM_PCV1) | BIT(IMM_RV1) | BIT(IMM_DPT2) |
					 BIT(IMM_OPV3) | BIT(IMM_PCV2) | BIT(IMM_RV2) | BIT(IMM_DPT3) |
					 BIT(IMM_OPV4) | BIT(IMM_IPV1) | BIT(IMM_RV3);
		}
	}
	v = visit(f, FITRI, day(10, 8, 2024), 7600);
	v->asi_recall = 1;
	v->counsel_asi = true;

	/* Gilang, boy, 3 months, mother Yuni works: June 4.8 (B), July 5.7
	 * (+900 at 2 months, KBM 900: N), August 6.5 (+800 at 3 months, KBM
	 * 800 -> N). Recall on 05-08: no -> his from-birth flag is broken: an
	 * infant of a working mother not exclusively breastfed. */
	person(f, GILANG, PERSON_CHILD, "Gilang", 'L', day(1, 5, 2024), 2, 3, true);
	mother(f, GILANG, YUNI);
	v = visit(f, GILANG, day(5, 6, 2024), 4800);
	v->asi_recall = 1;
	v->imm = BIT(IMM_HB0) | BIT(IMM_BCG) | BIT(IMM_OPV1);
	v = visit(f, GILANG, day(5, 7, 2024), 5700);
	v->asi_recall = 1;
	v->imm = BIT(IMM_DPT1) | BIT(IMM_OPV2) | BIT(IMM_PCV1) | BIT(IMM_RV1);
	v = visit(f, GILANG, day(5, 8, 2024), 6500);
	v->asi_recall = 0;
	v->counsel_asi = true;
	v->imm = BIT(IMM_DPT2) | BIT(IMM_OPV3) | BIT(IMM_PCV2) | BIT(IMM_RV2);

	/* Hana, girl, born 20-07-2024: B on 25-07; on 15-08 she is 0 completed
	 * months (26 days), weighed last month: judged with the 1-month KBM,
	 * +900 >= 800 -> N (age0). 1 month on 31-08: group 0-5. */
	person(f, HANA, PERSON_CHILD, "Hana", 'P', day(20, 7, 2024), 1, 1, true);
	mother(f, HANA, DEWI);
	v = visit(f, HANA, day(25, 7, 2024), 3300);
	v->asi_recall = 1;
	v->imm = BIT(IMM_HB0);
	v = visit(f, HANA, day(15, 8, 2024), 4200);
	v->asi_recall = 1;
	v->imm = BIT(IMM_BCG) | BIT(IMM_OPV1);

	/* Indra, boy, 31 months: weighed in July only -> in S, not in D. A home
	 * visit on 25-08 without a weight (not a weighing, not a visitor). MR2
	 * never given: due since 18 months, overdue. No red capsule: missed. */
	person(f, INDRA, PERSON_CHILD, "Indra", 'L', day(10, 1, 2022), 2, 1, true);
	v = visit(f, INDRA, day(10, 7, 2024), 12000);
	v->imm = ALL & ~BIT(IMM_MR2);
	v = visit(f, INDRA, day(25, 8, 2024), 0);
	v->home_visit = true;

	/* Joko, boy, exactly 12 months on 01-08: July 5.9 (B), August 6.2 (+300
	 * at 12 months, KBM 200 -> N). 6.2 kg / 74.0 cm: BB/U -3.90 (severely
	 * underweight, below the red line: BGM), BB/PB -4.92 (severely wasted),
	 * PB/U -0.75 (normal). PCV3 falls due at 12: not yet overdue. */
	person(f, JOKO, PERSON_CHILD, "Joko", 'L', day(1, 8, 2023), 1, 2, true);
	snprintf(f->p[JOKO].mother_name, sizeof f->p[JOKO].mother_name, "Sumi");
	v = visit(f, JOKO, day(1, 7, 2024), 5900);
	v->imm = ALL & ~(BIT(IMM_PCV3) | BIT(IMM_DPT4) | BIT(IMM_MR2));
	v = visit(f, JOKO, day(1, 8, 2024), 6200);
	length(v, 740, 'l');
	v->vitamin_a = VITA_RED;

	/* Kartika, girl, 30 months: July 11.0, August 11.3 (+300: N); 82.0 cm
	 * standing: TB/U -2.45 (stunted), BB/TB +0.63, BB/U -0.94 (normal). */
	person(f, KARTIKA, PERSON_CHILD, "Kartika", 'P', day(10, 2, 2022), 2, 2, true);
	v = visit(f, KARTIKA, day(10, 7, 2024), 11000);
	v->imm = ALL;
	v = visit(f, KARTIKA, day(10, 8, 2024), 11300);
	length(v, 820, 'h');
	v->vitamin_a = VITA_RED;

	/* Lestari, girl, 36 months: July 17.3, August 17.6 (+300: N); 95.0 cm:
	 * BB/TB +2.52 (overweight), BB/U +1.78 (risk of overweight), TB/U -0.02.
	 * No red capsule: missed. */
	person(f, LESTARI, PERSON_CHILD, "Lestari", 'P', day(20, 8, 2021), 1, 3, true);
	v = visit(f, LESTARI, day(20, 7, 2024), 17300);
	v->imm = ALL;
	v = visit(f, LESTARI, day(20, 8, 2024), 17600);
	length(v, 950, 'h');

	/* Made turns 60 months on 15-08: not in S (0-59 on 31-08), though weighed
	 * that day. A visitor all the same. */
	person(f, MADE, PERSON_CHILD, "Made", 'L', day(15, 8, 2019), 3, 3, true);
	visit(f, MADE, day(15, 8, 2024), 17000);

	/* Nanda: registered on 05-09-2024, no visit: not in S in August. */
	person(f, NANDA, PERSON_CHILD, "Nanda", 'L', day(1, 1, 2023), 3, 1, true);
	f->p[NANDA].registered = day(5, 9, 2024);

	/* Oki, born and registered 28-08-2024, no KMS yet, not weighed: in S
	 * (0 months), not in D. */
	person(f, OKI, PERSON_CHILD, "Oki", 'L', day(28, 8, 2024), 3, 1, false);
	f->p[OKI].registered = day(28, 8, 2024);
	snprintf(f->p[OKI].mother_name, sizeof f->p[OKI].mother_name, "Rina");

	/* Putri, girl, 10 months: July 8.0, August 8.3 (+300 = KBM(10) 300: N,
	 * the gain equal to the KBM). MR1 on 05-08 at 10 months completes the
	 * IDL set before 12 months. Blue capsule: in the blue target, given. */
	person(f, PUTRI, PERSON_CHILD, "Putri", 'P', day(5, 10, 2023), 3, 2, true);
	v = visit(f, PUTRI, day(5, 3, 2024), 6800);
	v->imm = BIT(IMM_HB0) | BIT(IMM_BCG) | BIT(IMM_OPV1) | BIT(IMM_OPV2) | BIT(IMM_OPV3) |
		 BIT(IMM_OPV4) | BIT(IMM_DPT1) | BIT(IMM_DPT2) | BIT(IMM_DPT3) | BIT(IMM_PCV1) |
		 BIT(IMM_PCV2) | BIT(IMM_IPV1) | BIT(IMM_RV1) | BIT(IMM_RV2) | BIT(IMM_RV3);
	visit(f, PUTRI, day(5, 7, 2024), 8000);
	v = visit(f, PUTRI, day(5, 8, 2024), 8300);
	v->imm = BIT(IMM_MR1) | BIT(IMM_IPV2);
	v->vitamin_a = VITA_BLUE;

	/* Sari, pregnant, registered 03-08: LILA exactly 23.5 cm -> not KEK;
	 * 30 iron tablets. */
	person(f, SARI, PERSON_PREGNANT, "Sari", 'P', day(3, 3, 1998), 3, 1, false);
	f->p[SARI].registered = day(3, 8, 2024);
	v = visit(f, SARI, day(3, 8, 2024), 0);
	v->muac_mm = 235;
	v->gest_weeks = 20;
	v->iron_tablets = 30;

	/* Rini, pregnant since May: July LILA 22.0; August 23.0 (KEK), 30
	 * tablets, a danger sign ticked. */
	person(f, RINI, PERSON_PREGNANT, "Rini", 'P', day(3, 3, 1995), 2, 3, false);
	f->p[RINI].registered = day(1, 5, 2024);
	v = visit(f, RINI, day(10, 7, 2024), 0);
	v->muac_mm = 220;
	v->gest_weeks = 26;
	v = visit(f, RINI, day(10, 8, 2024), 0);
	v->muac_mm = 230;
	v->gest_weeks = 30;
	v->iron_tablets = 30;
	v->danger_signs = 1;

	/* Tuti, registered as a woman, with weeks of pregnancy recorded: a
	 * pregnancy visit. LILA 24.0: not KEK. */
	person(f, TUTI, PERSON_WOMAN, "Tuti", 'P', day(3, 3, 1999), 3, 2, false);
	v = visit(f, TUTI, day(12, 8, 2024), 0);
	v->muac_mm = 240;
	v->gest_weeks = 30;

	/* Umi, a woman weighed: another woman visitor. */
	person(f, UMI, PERSON_WOMAN, "Umi", 'P', day(3, 3, 1990), 1, 1, false);
	visit(f, UMI, day(12, 8, 2024), 55000);

	/* Opening days: 10-07 (kader 2), 05-08 (kader 1, 2), 20-08 (kader 1, 3). */
	session(&f->x[0], 1, day(10, 7, 2024), 1, 2);
	session(&f->x[1], 2, day(5, 8, 2024), 2, 1, 2);
	snprintf(f->x[1].notes, sizeof f->x[1].notes, "Penyuluhan ASI");
	session(&f->x[2], 3, day(20, 8, 2024), 2, 1, 3);

	in = (struct report_input){ f->p, NPEOPLE, f->v, f->nv, f->x, 3 };
	f->d = report_data_new(&in, NULL);
	assert_non_null(f->d);
}

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof *f);
	if (!f)
		return -1;
	build(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	report_data_free(f->d);
	free(f);
	return 0;
}

static void assert_skdn(const struct report_skdn *x, int s, int k, int d, int n, int t, int o,
			int b, int t2, int bgm)
{
	assert_int_equal(x->s, s);
	assert_int_equal(x->k, k);
	assert_int_equal(x->d, d);
	assert_int_equal(x->n, n);
	assert_int_equal(x->t, t);
	assert_int_equal(x->o, o);
	assert_int_equal(x->b, b);
	assert_int_equal(x->t2, t2);
	assert_int_equal(x->bgm, bgm);
	assert_int_equal(x->unjudged, 0);
	assert_int_equal(x->d, x->n + x->t + x->o + x->b);      /* domain.md §3.4 */
}

/* S: Bayu, Citra, Dodi, Eka, Fitri, Gilang, Hana, Indra, Joko, Kartika,
 * Lestari, Oki, Putri = 13 (not Made, 60 months; not Nanda, registered in
 * September). K: all but Dodi and Oki = 11. D: all of S but Indra and Oki =
 * 11. N: Fitri, Gilang, Hana, Joko, Kartika, Lestari, Putri = 7; T: Dodi,
 * Eka = 2; O: Citra; B: Bayu; 2T: Eka; BGM: Joko. */
static void test_skdn(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_int_equal(m.first_day, day(1, 8, 2024));
	assert_int_equal(m.ref_day, day(31, 8, 2024));
	assert_skdn(&m.all, 13, 11, 11, 7, 2, 1, 1, 1, 1);
	assert_int_equal(m.all.age0, 1);                        /* Hana */

	/* By sex and age group:
	 *   L 0-5   Bayu (B), Gilang (N), Oki (not weighed, no KMS)
	 *   L 12-23 Joko (N, BGM)
	 *   L 24-59 Dodi (T, no KMS), Indra (not weighed)
	 *   P 0-5   Hana (N)
	 *   P 6-11  Fitri (N), Putri (N)
	 *   P 12-23 Citra (O)
	 *   P 24-59 Eka (T, 2T), Kartika (N), Lestari (N) */
	assert_skdn(&m.by[REPORT_SEX_L][REPORT_AGE_0_5], 3, 2, 2, 1, 0, 0, 1, 0, 0);
	assert_skdn(&m.by[REPORT_SEX_L][REPORT_AGE_6_11], 0, 0, 0, 0, 0, 0, 0, 0, 0);
	assert_skdn(&m.by[REPORT_SEX_L][REPORT_AGE_12_23], 1, 1, 1, 1, 0, 0, 0, 0, 1);
	assert_skdn(&m.by[REPORT_SEX_L][REPORT_AGE_24_59], 2, 1, 1, 0, 1, 0, 0, 0, 0);
	assert_skdn(&m.by[REPORT_SEX_P][REPORT_AGE_0_5], 1, 1, 1, 1, 0, 0, 0, 0, 0);
	assert_skdn(&m.by[REPORT_SEX_P][REPORT_AGE_6_11], 2, 2, 2, 2, 0, 0, 0, 0, 0);
	assert_skdn(&m.by[REPORT_SEX_P][REPORT_AGE_12_23], 1, 1, 1, 0, 0, 1, 0, 0, 0);
	assert_skdn(&m.by[REPORT_SEX_P][REPORT_AGE_24_59], 3, 3, 3, 2, 1, 0, 0, 1, 0);
	assert_int_equal(m.by[REPORT_SEX_P][REPORT_AGE_0_5].age0, 1);
}

/* K/S 11/13 = 84.6 %; D/S 11/13; D/K 11/11 = 100 %; N/D 7/11 = 63.6 %;
 * D' = 11 - 1 - 1 = 9, N/D' 7/9 = 77.8 %; BGM/D and 2T/D 1/11 = 9.1 %. */
static void test_ratios(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;
	int num, den;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_KS, &num, &den), 1100.0 / 13, 1e-9);
	assert_int_equal(num, 11);
	assert_int_equal(den, 13);
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_DS, NULL, NULL), 1100.0 / 13, 1e-9);
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_DK, NULL, NULL), 100.0, 1e-9);
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_ND, NULL, NULL), 700.0 / 11, 1e-9);
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_ND2, &num, &den), 700.0 / 9, 1e-9);
	assert_int_equal(den, 9);
	assert_string_equal(report_ratio_info(REPORT_RATIO_ND2)->den, "D'");
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_BGMD, NULL, NULL), 100.0 / 11, 1e-9);
	assert_float_equal(report_ratio(&m.all, REPORT_RATIO_2TD, NULL, NULL), 100.0 / 11, 1e-9);
	/* no children: no ratio */
	assert_true(report_ratio(&m.by[REPORT_SEX_L][REPORT_AGE_6_11], REPORT_RATIO_DS, NULL, NULL) < 0);
}

/* Measured this month (children of S): BB/U all 11 weighed; PB-TB/U and
 * BB/PB-TB Bayu, Citra, Joko, Kartika, Lestari = 5.
 *   BB/U: Joko severely underweight, Lestari risk of overweight, 9 normal.
 *   PB-TB/U: Kartika stunted, 4 normal.
 *   BB/PB-TB: Joko severely wasted, Lestari overweight, 3 normal. */
static void test_status(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;
	const struct report_status *s = &m.status;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_int_equal(s->measured[REPORT_WFA], 11);
	assert_int_equal(s->measured[REPORT_LHFA], 5);
	assert_int_equal(s->measured[REPORT_WFLH], 5);
	assert_int_equal(s->cat[GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT], 1);
	assert_int_equal(s->cat[GROWTH_CAT_WFA_UNDERWEIGHT], 0);
	assert_int_equal(s->cat[GROWTH_CAT_WFA_NORMAL], 9);
	assert_int_equal(s->cat[GROWTH_CAT_WFA_RISK_OVERWEIGHT], 1);
	assert_int_equal(s->cat[GROWTH_CAT_LHFA_SEVERELY_STUNTED], 0);
	assert_int_equal(s->cat[GROWTH_CAT_LHFA_STUNTED], 1);
	assert_int_equal(s->cat[GROWTH_CAT_LHFA_NORMAL], 4);
	assert_int_equal(s->cat[GROWTH_CAT_LHFA_TALL], 0);
	assert_int_equal(s->cat[GROWTH_CAT_WFLH_SEVERELY_WASTED], 1);
	assert_int_equal(s->cat[GROWTH_CAT_WFLH_WASTED], 0);
	assert_int_equal(s->cat[GROWTH_CAT_WFLH_NORMAL], 3);
	assert_int_equal(s->cat[GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT], 0);
	assert_int_equal(s->cat[GROWTH_CAT_WFLH_OVERWEIGHT], 1);
	assert_int_equal(s->cat[GROWTH_CAT_WFLH_OBESE], 0);
	assert_int_equal(s->underweight, 1);
	assert_int_equal(s->stunted, 1);
	assert_int_equal(s->wasted, 1);
	assert_int_equal(s->overweight, 1);
}

/* (a) Recall at 0-5 months this month: Bayu yes, Fitri yes (5 months on
 * 10-08), Gilang no, Hana yes -> 4 asked, 3 yes; working mothers (Fitri,
 * Gilang): 2 asked, 1 yes; not working (Bayu's mother Ani): 1 and 1; Hana's
 * mother Dewi was never asked: 1 and 1 apart, not among "not working".
 * (b) Turned 6 months in August: Fitri, every recall yes -> 1 of 1, in the
 * working-mother group. */
static void test_asi(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;
	const struct report_asi *a = m.asi;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_int_equal(a[REPORT_MOTHER_ALL].recall_asked, 4);
	assert_int_equal(a[REPORT_MOTHER_ALL].recall_yes, 3);
	assert_int_equal(a[REPORT_MOTHER_WORKS].recall_asked, 2);
	assert_int_equal(a[REPORT_MOTHER_WORKS].recall_yes, 1);
	assert_int_equal(a[REPORT_MOTHER_OTHER].recall_asked, 1);
	assert_int_equal(a[REPORT_MOTHER_OTHER].recall_yes, 1);
	assert_int_equal(a[REPORT_MOTHER_UNRECORDED].recall_asked, 1);
	assert_int_equal(a[REPORT_MOTHER_UNRECORDED].recall_yes, 1);
	assert_int_equal(a[REPORT_MOTHER_ALL].turned6, 1);
	assert_int_equal(a[REPORT_MOTHER_ALL].turned6_exclusive, 1);
	assert_int_equal(a[REPORT_MOTHER_ALL].turned6_unrecorded, 0);
	assert_int_equal(a[REPORT_MOTHER_WORKS].turned6, 1);
	assert_int_equal(a[REPORT_MOTHER_WORKS].turned6_exclusive, 1);
	assert_int_equal(a[REPORT_MOTHER_OTHER].turned6, 0);
}

/* August is a vitamin A month. Blue target (6-11 months, no blue before):
 * Fitri, Putri = 2; given: Putri = 1 (50 %). Red target (12-59): Citra,
 * Dodi, Eka, Indra, Joko, Kartika, Lestari = 7; given: all but Indra and
 * Lestari = 5. In July there is no campaign. */
static void test_vita(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_true(m.vita.campaign);
	assert_int_equal(m.vita.blue_target, 2);
	assert_int_equal(m.vita.blue_given, 1);
	assert_int_equal(m.vita.red_target, 7);
	assert_int_equal(m.vita.red_given, 5);
	assert_int_equal(m.vita.capsules_blue, 1);
	assert_int_equal(m.vita.capsules_red, 5);
	assert_int_equal(report_monthly(f->d, month(2024, 7), DATE_NONE, &m, NULL), 0);
	assert_false(m.vita.campaign);
	assert_int_equal(m.vita.blue_target, 0);
	assert_int_equal(m.vita.red_target, 0);
}

/* Doses in August: Gilang DPT-HB-Hib2, OPV3, PCV2, RV2; Hana BCG, OPV1;
 * Putri MR1, IPV2. IDL: Putri completes it at 10 months; everyone else
 * either completed it before August or still lacks MR1. */
static void test_imm(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;
	int want[IMM__COUNT] = { 0 };

	want[IMM_DPT2] = want[IMM_OPV3] = want[IMM_PCV2] = want[IMM_RV2] = 1;
	want[IMM_BCG] = want[IMM_OPV1] = want[IMM_MR1] = want[IMM_IPV2] = 1;
	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	for (int a = 0; a < IMM__COUNT; a++)
		assert_int_equal(m.imm_doses[a], want[a]);
	assert_int_equal(m.idl_complete, 1);
	assert_int_equal(m.idl_late, 0);
	assert_int_equal(report_idl_len, 10);
	assert_true(report_idl_mask() & BIT(IMM_MR1));
	assert_false(report_idl_mask() & BIT(IMM_PCV1));
}

/* Pregnancy visits in August: Sari, Rini, Tuti (weeks recorded) = 3 seen;
 * registered in August: Sari; LILA measured 3; KEK: Rini (23.0), not Sari
 * (exactly 23.5) nor Tuti (24.0); iron tablets to Sari and Rini, 60 in all;
 * a danger sign: Rini. */
static void test_pregnant(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_int_equal(m.preg.seen, 3);
	assert_int_equal(m.preg.registered, 1);
	assert_int_equal(m.preg.lila_measured, 3);
	assert_int_equal(m.preg.kek, 1);
	assert_int_equal(m.preg.iron_women, 2);
	assert_int_equal(m.preg.iron_tablets, 60);
	assert_int_equal(m.preg.danger, 1);
}

/* Visitors in August (not home visits): children Bayu, Citra, Dodi, Eka,
 * Fitri, Gilang, Hana, Joko, Kartika, Lestari, Made, Putri = 12; pregnant
 * Sari, Rini, Tuti = 3; women: Umi = 1. Indra's home visit: 1. Counselling:
 * Fitri, Gilang = 2. Sessions on 05-08 and 20-08: kader-days 4, kader 1, 2,
 * 3 distinct. */
static void test_visitors(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;
	const struct report_visitors *x = &m.visitors;

	assert_int_equal(report_monthly(f->d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_int_equal(x->children, 12);
	assert_int_equal(x->pregnant, 3);
	assert_int_equal(x->women, 1);
	assert_int_equal(x->home_visits, 1);
	assert_int_equal(x->counselling, 2);
	assert_int_equal(x->sessions, 2);
	assert_int_equal(x->kader_days, 4);
	assert_int_equal(x->n_kader, 3);
	assert_int_equal(x->kader[0][15], 1);
	assert_int_equal(x->kader[1][15], 2);
	assert_int_equal(x->kader[2][15], 3);
}

/* Every line of the August follow-up list, by RW, RT, name:
 *   RW1 RT2 Joko     12 m  Sumi  BGM, wasted               last 01-08
 *   RW1 RT3 Dodi     24 m  -     T                         last 20-08
 *   RW1 RT3 Lestari  36 m  -     vitamin A missed (red)    last 20-08
 *   RW2 RT1 Eka      39 m  -     2T                        last 05-08
 *   RW2 RT1 Indra    31 m  -     not weighed, MR2 overdue, vitamin A missed
 *                                                          last 25-08 (home)
 *   RW2 RT2 Fitri     6 m  Wati  vitamin A missed (blue)   last 10-08
 *   RW2 RT2 Kartika  30 m  -     stunted                   last 10-08
 *   RW2 RT3 Gilang    3 m  Yuni  working mother, not exclusively breastfed
 *   RW2 RT3 Rini     (woman) KEK and a danger sign         last 10-08
 *   RW3 RT1 Oki       0 m  Rina  not weighed               no visit
 * Not listed: Bayu (B), Citra (O; DPT4/MR2 due at 18 months, not overdue),
 * Hana, Putri, Made (60 m), Nanda, Sari (LILA 23.5), Tuti, Umi, mothers. */
static void test_followup(void **state)
{
	struct fixture *f = *state;
	struct report_followup fu;
	static const struct {
		enum who who;
		int age;
		const char *mother;
		unsigned reasons;
		uint32_t overdue;
		int32_t last;
	} want[] = {
		{ JOKO, 12, "Sumi", REPORT_R_BGM | REPORT_R_WASTED, 0, 0 },
		{ DODI, 24, "", REPORT_R_T, 0, 0 },
		{ LESTARI, 36, "", REPORT_R_VITA_MISSED, 0, 0 },
		{ EKA, 39, "", REPORT_R_2T, 0, 0 },
		{ INDRA, 31, "", REPORT_R_NOT_WEIGHED | REPORT_R_IMM_OVERDUE | REPORT_R_VITA_MISSED,
		  BIT(IMM_MR2), 0 },
		{ FITRI, 6, "Wati", REPORT_R_VITA_MISSED, 0, 0 },
		{ KARTIKA, 30, "", REPORT_R_STUNTED, 0, 0 },
		{ GILANG, 3, "Yuni", REPORT_R_ASI_WORKING, 0, 0 },
		{ RINI, 353, "", REPORT_R_KEK | REPORT_R_DANGER, 0, 0 },
		{ OKI, 0, "Rina", REPORT_R_NOT_WEIGHED, 0, 0 },
	};
	const int32_t last[] = {
		day(1, 8, 2024), day(20, 8, 2024), day(20, 8, 2024), day(5, 8, 2024),
		day(25, 8, 2024), day(10, 8, 2024), day(10, 8, 2024), day(5, 8, 2024),
		day(10, 8, 2024), DATE_NONE,
	};

	assert_int_equal(report_followup(f->d, month(2024, 8), DATE_NONE, &fu, NULL), 0);
	assert_int_equal(fu.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < fu.n; i++) {
		const struct report_followup_row *r = &fu.rows[i];
		assert_string_equal(r->p->name, f->p[want[i].who].name);
		assert_int_equal(r->age_months, want[i].age);
		assert_string_equal(report_mother_name(r), want[i].mother);
		assert_int_equal(r->reasons, want[i].reasons);
		assert_int_equal(r->imm_overdue, want[i].overdue);
		assert_int_equal(r->last_visit, last[i]);
	}
	assert_ptr_equal(fu.rows[7].mother, &f->p[YUNI]);      /* Gilang's mother's record */
	report_followup_release(&fu);
}

/* July: S = the August S minus Oki (not born) plus Made (59 months on
 * 31-07) = 13, not Nanda. D: Dodi, Eka, Fitri, Gilang, Hana, Indra, Joko,
 * Kartika, Lestari, Putri = 10. N: Dodi (+500), Fitri (+500 at 5 months),
 * Gilang (+900 at 2 months) = 3; T: Eka; O: Putri (March, not June); B:
 * Hana, Indra, Joko, Kartika, Lestari = 5; BGM: Joko (5.9 kg at 11 months,
 * below -3 SD). K: all but Dodi = 12.
 * September 2023: Citra, Dodi, Eka, Indra, Joko, Kartika, Lestari, Made = 8
 * in S, nobody weighed. */
static void test_trend(void **state)
{
	struct fixture *f = *state;
	struct report_trend_point t[12];
	struct report_monthly m;

	assert_int_equal(report_trend(f->d, month(2024, 8), 12, t, NULL), 0);
	assert_int_equal(t[0].month, month(2023, 9));
	assert_int_equal(t[0].s, 8);
	assert_int_equal(t[0].d, 0);
	assert_int_equal(t[10].month, month(2024, 7));
	assert_int_equal(t[10].s, 13);
	assert_int_equal(t[10].d, 10);
	assert_int_equal(t[10].n, 3);
	assert_int_equal(t[10].o, 1);
	assert_int_equal(t[10].b, 5);
	assert_int_equal(t[11].month, month(2024, 8));
	assert_int_equal(t[11].s, 13);
	assert_int_equal(t[11].k, 11);
	assert_int_equal(t[11].d, 11);
	assert_int_equal(t[11].n, 7);
	assert_int_equal(report_monthly(f->d, month(2024, 7), DATE_NONE, &m, NULL), 0);
	assert_skdn(&m.all, 13, 12, 10, 3, 1, 1, 5, 0, 1);
}

/* July-August sessions. 10-07 (kader 2): Indra and Kartika, Rini pregnant.
 * 05-08 (kader 1, 2; notes): Eka, Gilang, Putri; Gilang's counselling.
 * 20-08 (kader 1, 3): Dodi, Lestari.
 * July: 1 session, 1 kader-day; visitors: children Dodi, Eka, Fitri, Gilang,
 * Hana, Indra, Joko, Kartika, Lestari, Putri = 10, pregnant Rini = 1.
 * August: 2 sessions, 4 kader-days, 12 children, 3 pregnant, 1 woman, 1
 * home visit, 2 counselling. */
static void test_sessions(void **state)
{
	struct fixture *f = *state;
	struct report_sessions r;

	assert_int_equal(report_sessions(f->d, month(2024, 7), month(2024, 8), &r, NULL), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.rows[0].x->date, day(10, 7, 2024));
	assert_int_equal(r.rows[0].children, 2);
	assert_int_equal(r.rows[0].pregnant, 1);
	assert_int_equal(r.rows[0].women, 0);
	assert_int_equal(r.rows[0].counselling, 0);
	assert_int_equal(r.rows[1].x->date, day(5, 8, 2024));
	assert_string_equal(r.rows[1].x->notes, "Penyuluhan ASI");
	assert_int_equal(r.rows[1].children, 3);
	assert_int_equal(r.rows[1].pregnant, 0);
	assert_int_equal(r.rows[1].counselling, 1);
	assert_int_equal(r.rows[2].x->date, day(20, 8, 2024));
	assert_int_equal(r.rows[2].children, 2);
	assert_int_equal(r.nmonths, 2);
	assert_int_equal(r.months[0].month, month(2024, 7));
	assert_int_equal(r.months[0].sessions, 1);
	assert_int_equal(r.months[0].kader_days, 1);
	assert_int_equal(r.months[0].children, 10);
	assert_int_equal(r.months[0].pregnant, 1);
	assert_int_equal(r.months[0].women, 0);
	assert_int_equal(r.months[0].home_visits, 0);
	assert_int_equal(r.months[1].sessions, 2);
	assert_int_equal(r.months[1].kader_days, 4);
	assert_int_equal(r.months[1].children, 12);
	assert_int_equal(r.months[1].pregnant, 3);
	assert_int_equal(r.months[1].women, 1);
	assert_int_equal(r.months[1].home_visits, 1);
	assert_int_equal(r.months[1].counselling, 2);
	report_sessions_release(&r);
	assert_int_equal(report_sessions(f->d, month(2024, 8), month(2024, 7), &r, NULL), -1);
}

/* A month still running: as of 10-08-2024, the later August visits do not
 * exist yet. S: Oki is not born yet, and Made is still 59 months: 13; K 12
 * (not Dodi). D: Bayu (B), Eka (T, 2T), Fitri (N), Gilang (N), Joko (N,
 * BGM), Kartika (N), Putri (N) = 7. */
static void test_as_of(void **state)
{
	struct fixture *f = *state;
	struct report_monthly m;
	struct err err;

	assert_int_equal(report_monthly(f->d, month(2024, 8), day(10, 8, 2024), &m, NULL), 0);
	assert_int_equal(m.ref_day, day(10, 8, 2024));
	assert_skdn(&m.all, 13, 12, 7, 5, 1, 0, 1, 1, 1);
	assert_int_equal(report_monthly(f->d, month(2024, 8), day(31, 7, 2024), &m, &err), -1);
	assert_int_equal(err.code, ERR_RANGE);
}

/* ---- small cases ---- */

static struct person one_child(int32_t dob)
{
	struct person p;
	memset(&p, 0, sizeof p);
	p.uuid[0] = 7;
	p.kind = PERSON_CHILD;
	p.sex = 'L';
	p.dob = dob;
	p.registered = DATE_NONE;
	return p;
}

static struct visit one_visit(int id, int32_t date, uint32_t g)
{
	struct visit v;
	memset(&v, 0, sizeof v);
	v.uuid[0] = 9;
	v.uuid[15] = (uint8_t)id;
	v.person[0] = 7;
	v.date = date;
	v.weight_g = g;
	v.asi_recall = -1;
	return v;
}

static struct report_skdn skdn_of(const struct person *p, const struct visit *v, size_t n, int mo)
{
	struct report_input in = { p, 1, v, n, NULL, 0 };
	struct report_data *d = report_data_new(&in, NULL);
	struct report_monthly m;
	assert_non_null(d);
	assert_int_equal(report_monthly(d, mo, DATE_NONE, &m, NULL), 0);
	report_data_free(d);
	return m.all;
}

/* Weighed twice in August: the last weighing (25-08, 8.5 kg) is judged
 * against July's 8.0: +500 >= 300 (10 months) -> N. The earlier 03-08
 * weighing (8.1, +100) would have been T. */
static void test_twice_in_month(void **state)
{
	struct person p = one_child(day(1, 10, 2023));
	struct visit v[] = {
		one_visit(3, day(25, 8, 2024), 8500),      /* any order */
		one_visit(1, day(5, 7, 2024), 8000),
		one_visit(2, day(3, 8, 2024), 8100),
	};
	struct report_skdn x = skdn_of(&p, v, 3, month(2024, 8));
	(void)state;
	assert_int_equal(x.d, 1);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.t, 0);
	/* the reverse: the last weighing is the low one -> T */
	v[0].weight_g = 8100;
	v[2].weight_g = 8500;
	x = skdn_of(&p, v, 3, month(2024, 8));
	assert_int_equal(x.t, 1);
	/* July twice too: 2T needs July's last weighing (7.95) to be T against
	 * June (8.0): 8.0, then 10-07 8.4, 28-07 7.95 -> T; August 8.1 (+150) T */
	struct visit w[] = {
		one_visit(1, day(5, 6, 2024), 8000), one_visit(2, day(10, 7, 2024), 8400),
		one_visit(3, day(28, 7, 2024), 7950), one_visit(4, day(5, 8, 2024), 8100),
	};
	x = skdn_of(&p, w, 4, month(2024, 8));
	assert_int_equal(x.t, 1);
	assert_int_equal(x.t2, 1);
}

/* Breastfeeding continued (domain.md §5.4): children 6-23 months asked in
 * the month, the last answer of the month counts. Four children in August
 * 2024: A 12 months asked yes then (later visit) no -> asked, not yes; B 20
 * months yes -> asked, yes; C 8 months weighed but not asked -> not counted;
 * D 30 months yes -> outside 6-23, not counted. So 1 of 2. */
static void test_bf_continued(void **state)
{
	struct person p[4];
	struct visit v[5];
	int32_t dobs[4] = { day(1, 8, 2023), day(1, 12, 2022), day(1, 12, 2023), day(1, 2, 2022) };
	struct report_input in = { p, 4, v, 5, NULL, 0 };
	struct report_data *d;
	struct report_monthly m;
	(void)state;

	for (int i = 0; i < 4; i++) {
		p[i] = one_child(dobs[i]);
		p[i].uuid[0] = (uint8_t)(20 + i);
	}
	v[0] = one_visit(1, day(5, 8, 2024), 9000);
	v[0].person[0] = 20;
	v[0].bf_continue = BF_ASKED_YES;
	v[1] = one_visit(2, day(20, 8, 2024), 9100);
	v[1].person[0] = 20;
	v[1].bf_continue = BF_ASKED_NO;                /* the month's last answer */
	v[2] = one_visit(3, day(5, 8, 2024), 10500);
	v[2].person[0] = 21;
	v[2].bf_continue = BF_ASKED_YES;
	v[3] = one_visit(4, day(5, 8, 2024), 8200);
	v[3].person[0] = 22;                           /* not asked */
	v[4] = one_visit(5, day(5, 8, 2024), 12500);
	v[4].person[0] = 23;
	v[4].bf_continue = BF_ASKED_YES;               /* 30 months: outside */
	assert_non_null(d = report_data_new(&in, NULL));
	assert_int_equal(report_monthly(d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	report_data_free(d);
	assert_int_equal(m.asi[REPORT_MOTHER_ALL].bf_asked, 2);
	assert_int_equal(m.asi[REPORT_MOTHER_ALL].bf_yes, 1);
}

/* Age 0 with last month's weighing: 1-month KBM (800 g). Born 20-07, 3.3 kg
 * on 25-07, 3.9 kg on 15-08 (+600 < 800) -> T; D = N + T + O + B holds. */
static void test_age0_t(void **state)
{
	struct person p = one_child(day(20, 7, 2024));
	struct visit v[] = { one_visit(1, day(25, 7, 2024), 3300), one_visit(2, day(15, 8, 2024), 3900) };
	struct report_skdn x = skdn_of(&p, v, 2, month(2024, 8));
	(void)state;
	assert_int_equal(x.d, 1);
	assert_int_equal(x.t, 1);
	assert_int_equal(x.age0, 1);
	assert_int_equal(x.unjudged, 0);
}

/* BGM is weight-for-age below -3 SD, and WHO computes no weight-based z
 * with bilateral oedema: 6.2 kg at 12 months is BGM (z -3.90) without
 * oedema, not judged BGM with it. */
static void test_oedema_no_bgm(void **state)
{
	struct person p = one_child(day(1, 8, 2023));
	struct visit v[] = { one_visit(1, day(1, 7, 2024), 5900), one_visit(2, day(1, 8, 2024), 6200) };
	struct report_skdn x = skdn_of(&p, v, 2, month(2024, 8));
	(void)state;
	assert_int_equal(x.bgm, 1);
	v[1].oedema = true;
	x = skdn_of(&p, v, 2, month(2024, 8));
	assert_int_equal(x.d, 1);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.bgm, 0);
}

static struct visit *demo_v;
static struct person *demo_p;
static size_t demo_nv, demo_np;

static int demo_person(void *ctx, struct person *p)
{
	(void)ctx;
	p->uuid[0] = (uint8_t)(demo_np >> 8);
	p->uuid[1] = (uint8_t)demo_np;
	p->uuid[2] = 0xee;
	demo_p[demo_np++] = *p;
	return 0;
}

static int demo_visit(void *ctx, struct visit *v)
{
	(void)ctx;
	v->uuid[0] = (uint8_t)(demo_nv >> 16);
	v->uuid[1] = (uint8_t)(demo_nv >> 8);
	v->uuid[2] = (uint8_t)demo_nv;
	if (demo_nv < 20000)
		demo_v[demo_nv++] = *v;
	return 0;
}

/* The consistency check of domain.md §3.4 on synthetic data: for every
 * month and every group, D = N + T + O + B, D <= S, K <= S. */
static void test_identity_on_demo(void **state)
{
	struct demo_params dp = { 300, 24, 7, 0 };
	struct demo_sink sink = { demo_person, demo_visit, NULL };
	struct report_input in;
	struct report_data *d;
	(void)state;

	dp.today = day(15, 9, 2024);
	demo_p = calloc(1000, sizeof *demo_p);
	demo_v = calloc(20000, sizeof *demo_v);
	assert_non_null(demo_p);
	assert_non_null(demo_v);
	demo_np = demo_nv = 0;
	assert_int_equal(demo_generate(&dp, &sink), 0);
	in = (struct report_input){ demo_p, demo_np, demo_v, demo_nv, NULL, 0 };
	d = report_data_new(&in, NULL);
	assert_non_null(d);
	for (int mo = month(2022, 10); mo <= month(2024, 9); mo++) {
		struct report_monthly m;
		struct report_skdn sum;
		assert_int_equal(report_monthly(d, mo, DATE_NONE, &m, NULL), 0);
		memset(&sum, 0, sizeof sum);
		for (int s = 0; s < REPORT__SEXES; s++)
			for (int a = 0; a < REPORT__AGES; a++) {
				const struct report_skdn *x = &m.by[s][a];
				assert_int_equal(x->d, x->n + x->t + x->o + x->b);
				assert_true(x->d <= x->s);
				assert_true(x->k <= x->s);
				report_skdn_add(&sum, x);
			}
		assert_int_equal(m.all.unjudged, 0);
		assert_int_equal(m.all.d, m.all.n + m.all.t + m.all.o + m.all.b);
		assert_int_equal(sum.s, m.all.s);
		assert_int_equal(sum.d, m.all.d);
		assert_true(m.all.t2 <= m.all.t);
		if (mo >= month(2024, 1))
			assert_true(m.all.d > 0);
	}
	report_data_free(d);
	free(demo_p);
	free(demo_v);
}

/* ---- Posyandu ILP (issue 14) ----
 *
 * August 2024 again, a posyandu of its own. Every count worked out by hand:
 *   0 Adi, man, 40 y: 05-08 BP 150/95, obese, smoker; the month's LAST visit
 *     25-08: BP 130/80, 64 kg at 160 cm (BMI 25,0: normal), random glucose
 *     210, waist 95 cm, Hb 12,5 (< 13,0: anaemia), not smoking -> adult:
 *     normal, glucose, waist, anaemia; BP and smoking of 05-08 not counted.
 *   1 Bu Sri, woman resident, 65 y: 47,104 kg at 160 cm (BMI 18,4: thin),
 *     TB symptoms, smokes -> elderly: thin, TB, smoker.
 *   2 Cici, girl, 12 y: weight without height (no BMI), waist 100 cm (not
 *     judged at 12), Hb 11,9 (< 12,0), BP 140/70 -> adolescent: anaemia, BP.
 *   3 Dika, child record, 7 y: 15 kg at 122 cm (IMT/U < -3) -> school: thin.
 *   4 Eko, child, 3 y, TB symptoms: under five, not in ILP.
 *   5 Fani, pregnant, BP 150/100: not in ILP.
 *   6 Gita, woman, a pregnancy visit (20 weeks), BP 150/100: not in ILP.
 *   7 Hesti, woman (mother), 30 y: BP 145/92 -> adult: BP.
 *   8 Iwan, 50 y, seen in July only: not in August.
 *   9 Joko, man, born 20-08-1964, seen 15-08: 59 on the visit's date, so
 *     adult (60 by the month's end); PUMA 6 (male, 50-59, > 30 pack-years,
 *     breathless, phlegm).
 * So school 1 (thin 1); adolescent 1 (bp 1, anaemia 1); adult 3 (normal 1,
 * bp 1, glucose 1, waist 1, anaemia 1); elderly 1 (thin 1, TB 1, smoker 1). */
enum { ILP_NPEOPLE = 10 };

static struct person ilp_person(int id, enum person_kind kind, char sex, int32_t dob)
{
	struct person p;
	memset(&p, 0, sizeof p);
	p.uuid[0] = 0x40;
	p.uuid[15] = (uint8_t)id;
	p.kind = kind;
	p.sex = sex;
	p.dob = dob;
	p.registered = DATE_NONE;
	snprintf(p.name, sizeof p.name, "ILP %d", id);
	return p;
}

static struct visit *ilp_visit(struct visit *v, size_t *n, const struct person *p, int32_t date)
{
	struct visit *x = &v[(*n)++];
	memset(x, 0, sizeof *x);
	x->uuid[0] = 0x50;
	x->uuid[15] = (uint8_t)*n;
	memcpy(x->person, p->uuid, UUID_LEN);
	x->date = date;
	x->asi_recall = -1;
	return x;
}

static struct report_data *ilp_posyandu(struct person *p, struct visit *v)
{
	struct report_input in;
	struct visit *x;
	size_t n = 0;

	p[0] = ilp_person(0, PERSON_RESIDENT, 'L', day(1, 1, 1984));
	p[1] = ilp_person(1, PERSON_RESIDENT, 'P', day(1, 1, 1959));
	p[2] = ilp_person(2, PERSON_RESIDENT, 'P', day(1, 1, 2012));
	p[3] = ilp_person(3, PERSON_CHILD, 'L', day(1, 1, 2017));
	p[4] = ilp_person(4, PERSON_CHILD, 'L', day(1, 1, 2021));
	p[5] = ilp_person(5, PERSON_PREGNANT, 'P', day(1, 1, 1999));
	p[6] = ilp_person(6, PERSON_WOMAN, 'P', day(1, 1, 1995));
	p[7] = ilp_person(7, PERSON_WOMAN, 'P', day(1, 1, 1994));
	p[8] = ilp_person(8, PERSON_RESIDENT, 'L', day(1, 1, 1974));
	p[9] = ilp_person(9, PERSON_RESIDENT, 'L', day(20, 8, 1964));

	x = ilp_visit(v, &n, &p[0], day(5, 8, 2024));
	x->bp_sys = 150, x->bp_dia = 95, x->weight_g = 90000, x->lenhei_mm = 1600, x->smoking = ASK_YES;
	x = ilp_visit(v, &n, &p[0], day(25, 8, 2024));
	x->bp_sys = 130, x->bp_dia = 80, x->weight_g = 64000, x->lenhei_mm = 1600;
	x->glucose_mgdl = 210, x->waist_mm = 950, x->hb_dgl = 125, x->smoking = ASK_NO;
	x = ilp_visit(v, &n, &p[1], day(10, 8, 2024));
	x->weight_g = 47104, x->lenhei_mm = 1600, x->tb_symptoms = ASK_YES, x->smoking = ASK_YES;
	x = ilp_visit(v, &n, &p[2], day(10, 8, 2024));
	x->weight_g = 40000, x->waist_mm = 1000, x->hb_dgl = 119, x->bp_sys = 140, x->bp_dia = 70;
	x = ilp_visit(v, &n, &p[3], day(10, 8, 2024));
	x->weight_g = 15000, x->lenhei_mm = 1220, x->measure = 'h';
	x = ilp_visit(v, &n, &p[4], day(10, 8, 2024));
	x->weight_g = 14000, x->tb_symptoms = ASK_YES;
	x = ilp_visit(v, &n, &p[5], day(10, 8, 2024));
	x->bp_sys = 150, x->bp_dia = 100;
	x = ilp_visit(v, &n, &p[6], day(10, 8, 2024));
	x->gest_weeks = 20, x->bp_sys = 150, x->bp_dia = 100;
	x = ilp_visit(v, &n, &p[7], day(10, 8, 2024));
	x->bp_sys = 145, x->bp_dia = 92;
	x = ilp_visit(v, &n, &p[8], day(10, 7, 2024));
	x->bp_sys = 180, x->bp_dia = 110, x->tb_symptoms = ASK_YES;
	x = ilp_visit(v, &n, &p[9], day(15, 8, 2024));
	x->puma_packyears = PY_OVER_30, x->puma_breath = ASK_YES, x->puma_phlegm = ASK_YES;
	x->puma_cough = ASK_NO, x->puma_spirometry = ASK_NO;

	in = (struct report_input){ p, ILP_NPEOPLE, v, n, NULL, 0 };
	return report_data_new(&in, NULL);
}

static void test_ilp_counts(void **state)
{
	struct person p[ILP_NPEOPLE];
	struct visit v[16];
	struct report_data *d = ilp_posyandu(p, v);
	struct report_monthly m;
	/* visited thin normal over obese bp glucose waist anaemia tb smoker */
	static const int want[ILP__COUNT][REPORT__ILP_COUNTS] = {
		[ILP_SCHOOL] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		[ILP_ADOLESCENT] = { 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0 },
		[ILP_ADULT] = { 3, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0 },
		[ILP_ELDERLY] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1 },
	};
	(void)state;
	assert_non_null(d);
	assert_int_equal(report_monthly(d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	for (int g = ILP_NONE; g < ILP__COUNT; g++)
		for (int k = 0; k < REPORT__ILP_COUNTS; k++)
			if (m.ilp[g].n[k] != want[g][k])
				fail_msg("%s %s: %d, want %d", ilp_group_code(g), report_ilp_keys[k],
					 m.ilp[g].n[k], want[g][k]);
	/* July: only Iwan (50 y): adult, BP, TB */
	assert_int_equal(report_monthly(d, month(2024, 7), DATE_NONE, &m, NULL), 0);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_VISITED], 1);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_BP_HIGH], 1);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_TB_SUSPECT], 1);
	assert_int_equal(m.ilp[ILP_ELDERLY].n[REPORT_ILP_VISITED], 0);
	/* as of 10-08 Adi's last visit is 05-08: BP high, obese, smoker */
	assert_int_equal(report_monthly(d, month(2024, 8), day(10, 8, 2024), &m, NULL), 0);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_VISITED], 2);      /* Adi, Hesti */
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_BMI_OBESE], 1);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_BP_HIGH], 2);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_SMOKER], 1);
	report_data_free(d);
}

/* The follow-up list names the flagged: Adi (glucose, anaemia), Bu Sri
 * (TB), Cici (BP, anaemia), Eko (TB, a child), Fani and Gita (BP in
 * pregnancy), Hesti (BP), Joko (PUMA 6); not Dika, nor Iwan (July). */
static void test_ilp_followup(void **state)
{
	struct person p[ILP_NPEOPLE];
	struct visit v[16];
	struct report_data *d = ilp_posyandu(p, v);
	struct report_followup f;
	static const unsigned want[ILP_NPEOPLE] = {
		REPORT_R_GLUCOSE_HIGH | REPORT_R_ANAEMIA, REPORT_R_TB,
		REPORT_R_BP_HIGH | REPORT_R_ANAEMIA, 0, REPORT_R_TB, REPORT_R_BP_HIGH,
		REPORT_R_BP_HIGH, REPORT_R_BP_HIGH, 0, REPORT_R_PUMA,
	};
	const unsigned ilp_bits = REPORT_R_BP_HIGH | REPORT_R_GLUCOSE_HIGH | REPORT_R_ANAEMIA |
				  REPORT_R_TB | REPORT_R_PUMA;
	(void)state;
	assert_non_null(d);
	assert_int_equal(report_followup(d, month(2024, 8), DATE_NONE, &f, NULL), 0);
	for (int i = 0; i < ILP_NPEOPLE; i++) {
		unsigned got = 0;
		for (size_t k = 0; k < f.n; k++)
			if (f.rows[k].p == &p[i])
				got = f.rows[k].reasons;
		if ((got & ilp_bits) != want[i])
			fail_msg("%s: reasons %#x, want %#x", p[i].name, got & ilp_bits, want[i]);
	}
	for (size_t k = 0; k < report_reasons_len; k++)
		if (report_reasons[k].bit == REPORT_R_PUMA)
			assert_string_equal(report_reasons[k].key, "puma");
	report_followup_release(&f);
	report_data_free(d);
}

/* A visit made in pregnancy stays a pregnancy visit when she is later
 * registered again as a mother: its HPHT says so, and a closed month's
 * ilp counts do not move. A finding the panel refers (mental health) is
 * on the follow-up list too, as "refer". */
static void test_ilp_pregnancy_by_hpht_and_refer(void **state)
{
	struct person p[2];
	struct visit v[2], *x;
	struct report_data *d;
	struct report_monthly m;
	struct report_followup f;
	struct report_input in;
	size_t n = 0;
	unsigned got = 0;
	(void)state;

	p[0] = ilp_person(0, PERSON_WOMAN, 'P', day(1, 1, 1995));
	p[1] = ilp_person(1, PERSON_RESIDENT, 'P', day(1, 1, 2010));
	x = ilp_visit(v, &n, &p[0], day(10, 8, 2024));
	x->hpht = day(10, 8, 2024) - 10 * 7, x->bp_sys = 150, x->bp_dia = 100;
	x = ilp_visit(v, &n, &p[1], day(10, 8, 2024));
	x->mental_problem = ASK_YES;
	in = (struct report_input){ p, 2, v, n, NULL, 0 };
	assert_non_null(d = report_data_new(&in, NULL));
	assert_int_equal(report_monthly(d, month(2024, 8), DATE_NONE, &m, NULL), 0);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_VISITED], 0);
	assert_int_equal(m.ilp[ILP_ADOLESCENT].n[REPORT_ILP_VISITED], 1);
	/* 44 weeks on, the same HPHT no longer makes it a pregnancy visit */
	v[0].date = v[0].hpht + 44 * 7 + 1;
	report_data_free(d);
	assert_non_null(d = report_data_new(&in, NULL));
	assert_int_equal(report_monthly(d, date_month_index(v[0].date), DATE_NONE, &m, NULL), 0);
	assert_int_equal(m.ilp[ILP_ADULT].n[REPORT_ILP_VISITED], 1);
	assert_int_equal(report_followup(d, month(2024, 8), DATE_NONE, &f, NULL), 0);
	for (size_t k = 0; k < f.n; k++)
		if (f.rows[k].p == &p[1])
			got = f.rows[k].reasons;
	assert_int_equal(got, REPORT_R_REFER);
	report_followup_release(&f);
	report_data_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ilp_pregnancy_by_hpht_and_refer),
		cmocka_unit_test_setup_teardown(test_skdn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratios, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_asi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vita, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pregnant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visitors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_followup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_of, setup, teardown),
		cmocka_unit_test(test_twice_in_month),
		cmocka_unit_test(test_bf_continued),
		cmocka_unit_test(test_age0_t),
		cmocka_unit_test(test_oedema_no_bgm),
		cmocka_unit_test(test_identity_on_demo),
		cmocka_unit_test(test_ilp_counts),
		cmocka_unit_test(test_ilp_followup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
