/* core/report.c: the monthly report (SKDN, ratios and the rest of
 * domain.md §6.1) and the per-child facts the other reports reuse. The rules
 * come from core/desk.h (N/T/O/B, 2T, BGM), core/kbm.h, core/growth.h
 * (Permenkes 2/2020 categories) and core/imm.h; this file only decides who is
 * counted where, each decision citing domain.md. The index is
 * core/report_data.c, the follow-up lists core/report_followup.c, the trend
 * and the session evidence core/report_sessions.c. */
#include "core/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/imm.h"
#include "core/kbm.h"
#include "core/report_internal.h"
#include "core/visit_check.h"
#include "core/banned.h"

#define BIT(a) (1u << (a))

/* ---- tables ---- */

static const char *const age_keys[REPORT__AGES] = { "0-5", "6-11", "12-23", "24-59" };

const char *report_age_key(enum report_age a)
{
	return (unsigned)a < REPORT__AGES ? age_keys[a] : "?";
}

/* domain.md §6.1: 0-5, 6-11, 12-23, 24-59 months (the SSGI split, with the
 * 24-59 months of SIP's "toddlers 1-5 y" kept together). */
int report_age_group(int age_months)
{
	if (age_months < 0 || age_months > 59)
		return -1;
	return age_months < 6 ? REPORT_AGE_0_5 : age_months < 12 ? REPORT_AGE_6_11
	       : age_months < 24 ? REPORT_AGE_12_23 : REPORT_AGE_24_59;
}

static const struct report_ratio_info ratio_info[REPORT__RATIOS] = {
	[REPORT_RATIO_KS] = { "K/S", "K", "S" },
	[REPORT_RATIO_DS] = { "D/S", "D", "S" },
	[REPORT_RATIO_DK] = { "D/K", "D", "K" },
	[REPORT_RATIO_ND] = { "N/D", "N", "D" },
	[REPORT_RATIO_ND2] = { "N/D'", "N", "D'" },
	[REPORT_RATIO_BGMD] = { "BGM/D", "BGM", "D" },
	[REPORT_RATIO_2TD] = { "2T/D", "2T", "D" },
};

const struct report_ratio_info *report_ratio_info(enum report_ratio r)
{
	return (unsigned)r < REPORT__RATIOS ? &ratio_info[r] : NULL;
}

/* domain.md §3.4: every ratio is NUM / DEN x 100 %. N/D is the default
 * programme-success ratio; N/D' (D' = D - O - B, children weighed this month
 * and last month) is the trainers' variant, offered beside it. */
double report_ratio(const struct report_skdn *x, enum report_ratio r, int *num, int *den)
{
	int a = 0, b = 0;

	switch (r) {
	case REPORT_RATIO_KS: a = x->k; b = x->s; break;
	case REPORT_RATIO_DS: a = x->d; b = x->s; break;
	case REPORT_RATIO_DK: a = x->d; b = x->k; break;
	case REPORT_RATIO_ND: a = x->n; b = x->d; break;
	case REPORT_RATIO_ND2: a = x->n; b = x->d - x->o - x->b; break;
	case REPORT_RATIO_BGMD: a = x->bgm; b = x->d; break;
	case REPORT_RATIO_2TD: a = x->t2; b = x->d; break;
	default: break;
	}
	if (num)
		*num = a;
	if (den)
		*den = b;
	return b > 0 ? 100.0 * a / b : -1.0;
}

void report_skdn_add(struct report_skdn *x, const struct report_skdn *y)
{
	x->s += y->s;
	x->k += y->k;
	x->d += y->d;
	x->n += y->n;
	x->t += y->t;
	x->o += y->o;
	x->b += y->b;
	x->t2 += y->t2;
	x->bgm += y->bgm;
	x->age0 += y->age0;
	x->unjudged += y->unjudged;
}

/* IDL (domain.md §5.1): the classic definition, HB0, BCG, polio 1-4,
 * DPT-HB-Hib 1-3 and measles/MR 1, given before 12 months. IPV, PCV and RV
 * joined the schedule in 2022-2023 and Kemenkes' "imunisasi rutin lengkap"
 * list is UNCONFIRMED: change this one table when it is. */
const enum imm_antigen report_idl[] = {
	IMM_HB0, IMM_BCG, IMM_OPV1, IMM_OPV2, IMM_OPV3, IMM_OPV4,
	IMM_DPT1, IMM_DPT2, IMM_DPT3, IMM_MR1,
};
const size_t report_idl_len = sizeof report_idl / sizeof report_idl[0];
#define IDL_BEFORE_MONTHS 12

uint32_t report_idl_mask(void)
{
	uint32_t m = 0;
	for (size_t i = 0; i < report_idl_len; i++)
		m |= BIT(report_idl[i]);
	return m;
}

/* ---- one child in one month ---- */

static bool in_month(const struct visit *v, int32_t first, int32_t ref)
{
	return v->date >= first && v->date <= ref;
}

/* The weighing history desk_assess() reads: one weighing per calendar month,
 * the last of that month (latest date, then greatest uuid: V is sorted so),
 * since the KMS holds one weight a month (domain.md §2.2, SIP format 2).
 * Only weights, dates and oedema matter to N/T/O/B, 2T and BGM, so lengths
 * are left out (desk_assess then skips its stunting look-back, which this
 * report does not read). Returns the count written to H. */
static size_t weighing_history(const struct visit *const *v, size_t n, struct visit *h)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->weight_g)
			continue;
		if (k && date_month_index(h[k - 1].date) == date_month_index(v[i]->date))
			k--;               /* a later weighing of the same month replaces it */
		memset(&h[k], 0, sizeof h[k]);
		memcpy(h[k].uuid, v[i]->uuid, UUID_LEN);
		memcpy(h[k].person, v[i]->person, UUID_LEN);
		h[k].date = v[i]->date;
		h[k].weight_g = v[i]->weight_g;
		h[k].oedema = v[i]->oedema;        /* no weight-for-age z with oedema: no BGM */
		h[k].asi_recall = -1;
		k++;
	}
	return k;
}

/* N/T/O/B of weighing H[I] (domain.md §4.1) by desk_assess(), which also
 * holds the age-0 edge of report.h (R->nt_age0). */
static enum kbm_status judge(const struct person *p, const struct visit *h, size_t i,
			     struct desk_result *r)
{
	desk_assess(p, &h[i], h, i, r);
	return r->nt;
}

/* S membership and SKDN of child P (index PI) for the month. SCRATCH holds
 * d->maxv visits. */
void rep_child_month(const struct report_data *d, size_t pi, int month, int32_t first,
		 int32_t ref, struct visit *scratch, struct cm *c)
{
	const struct person *p = &d->people[pi];
	const struct visit *const *v;
	size_t n, nh;

	memset(c, 0, sizeof *c);
	c->age = -1;
	c->sex = c->group = -1;
	c->nt = KBM_NONE;
	c->last_visit = DATE_NONE;
	v = rep_visits_of(d, pi, ref, &n);
	c->nv = n;
	if (n)
		c->last_visit = v[n - 1]->date;
	if (p->kind != PERSON_CHILD || p->dob == DATE_NONE || p->dob > ref)
		return;
	c->age = date_age_months(p->dob, ref);
	c->group = report_age_group(c->age);
	c->sex = p->sex == 'L' ? REPORT_SEX_L : p->sex == 'P' ? REPORT_SEX_P : -1;
	/* S (domain.md §3.3): 0-59 months on the reference day, registered by
	 * then; a visit by then counts as being registered. */
	c->in_s = c->group >= 0 &&
		  (p->registered == DATE_NONE || p->registered <= ref || n > 0);
	if (!c->in_s)
		return;

	nh = weighing_history(v, n, scratch);
	if (nh && in_month(&scratch[nh - 1], first, ref)) {
		struct desk_result r;
		c->d = true;
		c->nt = judge(p, scratch, nh - 1, &r);
		c->age0 = r.nt_age0;
		c->bgm = r.bgm;
		/* 2T (domain.md §4.2): T now and T at the weighing before, when
		 * that one was last month; judged the same way as this one. */
		if (c->nt == KBM_T && nh >= 2) {
			struct desk_result pr;
			enum kbm_status prev = judge(p, scratch, nh - 2, &pr);
			c->two_t = kbm_is_2t(c->nt, month, prev, date_month_index(scratch[nh - 2].date));
		}
	}
}

void rep_count_skdn(struct report_skdn *x, const struct person *p, const struct cm *c)
{
	if (!c->in_s)
		return;
	x->s++;
	x->k += p->kia == ASK_YES;            /* recorded, never assumed */
	if (!c->d)
		return;
	x->d++;
	switch (c->nt) {
	case KBM_N: x->n++; break;
	case KBM_T: x->t++; break;
	case KBM_O: x->o++; break;
	case KBM_B: x->b++; break;
	default: x->unjudged++; break;
	}
	x->age0 += c->age0;
	x->t2 += c->two_t;
	x->bgm += c->bgm;
}

/* The z-scores of one visit, as the desk computes them (core/growth.h). */
void rep_growth_of_visit(const struct person *p, const struct visit *v, struct growth_result *g)
{
	struct growth_input in;

	memset(&in, 0, sizeof in);
	in.sex = p->sex == 'L' ? GROWTH_MALE : p->sex == 'P' ? GROWTH_FEMALE : 0;
	in.age_days = p->dob == DATE_NONE ? -1 : v->date - p->dob;
	in.weight_kg = v->weight_g ? v->weight_g / 1000.0 : NAN;
	in.lenhei_cm = v->lenhei_mm ? v->lenhei_mm / 10.0 : NAN;
	in.measure = v->measure;
	in.oedema = v->oedema;
	in.headc_cm = NAN;
	in.muac_cm = NAN;
	growth_compute(&in, g);
}

static const enum growth_indicator index_ind[REPORT__INDICES] = {
	[REPORT_WFA] = GROWTH_WFA, [REPORT_LHFA] = GROWTH_LHFA, [REPORT_WFLH] = GROWTH_WFLH,
};

/* For each index, the category at the last visit in [FROM, REF] with a
 * valid z-score (GROWTH_CAT_NONE: none). */
void rep_status_of(const struct person *p, const struct visit *const *v, size_t n,
	       int32_t from, enum growth_cat cat[REPORT__INDICES])
{
	int missing = REPORT__INDICES;

	for (int k = 0; k < REPORT__INDICES; k++)
		cat[k] = GROWTH_CAT_NONE;
	for (size_t i = n; i-- > 0 && missing && v[i]->date >= from;) {
		struct growth_result g;
		if (!v[i]->weight_g && !v[i]->lenhei_mm)
			continue;
		rep_growth_of_visit(p, v[i], &g);
		for (int k = 0; k < REPORT__INDICES; k++)
			if (cat[k] == GROWTH_CAT_NONE &&
			    (cat[k] = growth_category(&g, index_ind[k])) != GROWTH_CAT_NONE)
				missing--;
	}
}

static bool cat_underweight(enum growth_cat c)
{
	return c == GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT || c == GROWTH_CAT_WFA_UNDERWEIGHT;
}

bool rep_cat_stunted(enum growth_cat c)
{
	return c == GROWTH_CAT_LHFA_SEVERELY_STUNTED || c == GROWTH_CAT_LHFA_STUNTED;
}

bool rep_cat_wasted(enum growth_cat c)
{
	return c == GROWTH_CAT_WFLH_SEVERELY_WASTED || c == GROWTH_CAT_WFLH_WASTED;
}

static bool cat_overweight(enum growth_cat c)
{
	return c == GROWTH_CAT_WFLH_OVERWEIGHT || c == GROWTH_CAT_WFLH_OBESE;
}

/* Working mother (report.h, enum report_mother). */
int rep_mother_works(const struct report_data *d, const struct person *p,
		     const struct person **mother)
{
	const struct person *m = uuid_is_zero(p->mother) ? NULL : rep_find_person(d, p->mother);
	if (mother)
		*mother = m;
	return m ? m->works : p->works;
}

void rep_asi_of(const struct person *p, const struct visit *const *v, size_t n, int32_t first,
	    struct asi_facts *a)
{
	a->month_recall = -1;
	a->recorded = a->broken = false;
	for (size_t i = 0; i < n; i++) {
		if (v[i]->asi_recall < 0 || date_age_months(p->dob, v[i]->date) > 5)
			continue;
		a->recorded = true;
		if (v[i]->asi_recall == 0)
			a->broken = true;
		if (v[i]->date >= first)
			a->month_recall = v[i]->asi_recall ? 1 : 0;
	}
}

/* A visit that belongs to a pregnancy (report.h, struct report_pregnant):
 * judged on what the visit recorded, not only on what the person is now,
 * so that a closed month does not change when she is registered again as
 * a mother after the birth: weeks of pregnancy, or an HPHT up to 44 weeks
 * before the visit (core/visit_check.h's window). */
bool rep_pregnancy_visit(const struct person *p, const struct visit *v)
{
	return p->kind != PERSON_CHILD &&
	       (p->kind == PERSON_PREGNANT || v->gest_weeks > 0 ||
		visit_hpht_fits(v->hpht, v->date));
}

void rep_preg_of(const struct person *p, const struct visit *const *v, size_t n, int32_t first,
	     struct preg_facts *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < n; i++) {
		if (v[i]->date < first || !rep_pregnancy_visit(p, v[i]))
			continue;
		f->seen = true;
		f->iron += v[i]->iron_tablets;
		f->danger |= v[i]->danger_signs != 0;
		if (v[i]->muac_mm) {       /* the last LILA of the month decides */
			f->lila = true;
			/* KEK (domain.md §5.6): LILA < 23.5 cm; 23.5 itself is not KEK. */
			f->kek = kbm_lila_kek(v[i]->muac_mm / 10.0);
		}
	}
}

void rep_vita_of(const struct visit *const *v, size_t n, int32_t first, int age,
	     struct vita_facts *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < n; i++) {
		if (v[i]->vitamin_a == VITA_BLUE) {
			if (v[i]->date < first)
				f->blue_before = true;
			else
				f->blue_now = true;
		} else if (v[i]->vitamin_a == VITA_RED && v[i]->date >= first) {
			f->red_now = true;
		}
	}
	f->blue_target = age >= 6 && age <= 11 && !f->blue_before;
	f->red_target = age >= 12 && age <= 59;
}

bool rep_campaign_month(int month)
{
	int m = month % 12 + 1;
	return m == 2 || m == 8;
}

/* ---- the monthly report ---- */

const char *const report_ilp_keys[REPORT__ILP_COUNTS] = {
	"visited", "bmi_thin", "bmi_normal", "bmi_overweight", "bmi_obese", "bp_high",
	"glucose_high", "waist_high", "anaemia", "tb_suspect", "smoker",
};

/* The last visit of the month of P among V (N of them, by date and uuid),
 * or NULL; the pregnancy visits are not the ILP's (report.h). */
static const struct visit *rep_ilp_visit(const struct person *p, const struct visit *const *v,
					 size_t n, int32_t first)
{
	if (!n || v[n - 1]->date < first || rep_pregnancy_visit(p, v[n - 1]))
		return NULL;
	return v[n - 1];
}

/* One person into the ILP counts (report.h, struct report_ilp). */
static void count_ilp(const struct person *p, const struct visit *const *v, size_t n,
		      int32_t first, struct report_monthly *m)
{
	const struct visit *last = rep_ilp_visit(p, v, n, first);
	struct ilp_result r;
	int *x;

	if (!last)
		return;
	ilp_assess(p, last, NULL, &r);
	if (r.group == ILP_NONE)
		return;
	x = m->ilp[r.group].n;
	x[REPORT_ILP_VISITED]++;
	x[REPORT_ILP_BMI_THIN] += r.bmi == ILP_BMI_THIN;
	x[REPORT_ILP_BMI_NORMAL] += r.bmi == ILP_BMI_NORMAL;
	x[REPORT_ILP_BMI_OVERWEIGHT] += r.bmi == ILP_BMI_OVERWEIGHT;
	x[REPORT_ILP_BMI_OBESE] += r.bmi == ILP_BMI_OBESE;
	x[REPORT_ILP_BP_HIGH] += !!(r.flags & ILP_F_BP_HIGH);
	x[REPORT_ILP_GLUCOSE_HIGH] += !!(r.flags & ILP_F_GLUCOSE_HIGH);
	x[REPORT_ILP_WAIST_HIGH] += !!(r.flags & ILP_F_WAIST_HIGH);
	x[REPORT_ILP_ANAEMIA] += !!(r.flags & ILP_F_ANAEMIA);
	x[REPORT_ILP_TB_SUSPECT] += !!(r.flags & ILP_F_TB);
	x[REPORT_ILP_SMOKER] += !!(r.flags & ILP_F_SMOKER);
}

static void add_kader(struct report_visitors *vis, const uint8_t uuid[UUID_LEN])
{
	for (int i = 0; i < vis->n_kader; i++)
		if (memcmp(vis->kader[i], uuid, UUID_LEN) == 0)
			return;
	if (vis->n_kader < REPORT_MAX_KADER)
		memcpy(vis->kader[vis->n_kader++], uuid, UUID_LEN);
}

static void count_idl(const struct person *p, const struct visit *const *v, size_t n,
		      int32_t first, struct report_monthly *m)
{
	uint32_t mask = report_idl_mask(), acc = 0;
	size_t i = 0;

	for (; i < n && v[i]->date < first; i++)
		acc |= v[i]->imm;
	if ((acc & mask) == mask)
		return;                    /* completed before this month */
	for (; i < n; i++) {
		acc |= v[i]->imm;
		if ((acc & mask) == mask) {
			if (date_age_months(p->dob, v[i]->date) < IDL_BEFORE_MONTHS)
				m->idl_complete++;
			else
				m->idl_late++;
			return;
		}
	}
}

struct visit *rep_begin(const struct report_data *d, int month, int32_t *ref_day,
			int32_t *first, struct err *err)
{
	if (rep_bounds(month, ref_day, first, err) < 0)
		return NULL;
	return rep_scratch_new(d, err);
}

int report_monthly(const struct report_data *d, int month, int32_t ref_day,
		   struct report_monthly *m, struct err *err)
{
	struct visit *scratch;
	int32_t first;

	memset(m, 0, sizeof *m);
	if (!(scratch = rep_begin(d, month, &ref_day, &first, err)))
		return -1;
	m->month = month;
	m->first_day = first;
	m->ref_day = ref_day;
	m->vita.campaign = rep_campaign_month(month);

	for (size_t pi = 0; pi < d->np; pi++) {
		const struct person *p = &d->people[pi];
		const struct visit *const *v;
		size_t n, nmonth = 0;
		bool visitor = false;
		struct cm c;

		rep_child_month(d, pi, month, first, ref_day, scratch, &c);
		v = rep_visits_of(d, pi, ref_day, &n);
		count_ilp(p, v, n, first, m);
		for (size_t i = 0; i < n; i++) {
			if (v[i]->date < first)
				continue;
			nmonth++;
			visitor |= !v[i]->home_visit;
			m->visitors.home_visits += v[i]->home_visit;
			m->visitors.counselling += v[i]->counsel_asi;
			if (p->kind == PERSON_CHILD) {
				for (int a = 0; a < IMM__COUNT; a++)
					m->imm_doses[a] += (v[i]->imm & BIT(a)) != 0;
				m->vita.capsules_blue += v[i]->vitamin_a == VITA_BLUE;
				m->vita.capsules_red += v[i]->vitamin_a == VITA_RED;
			}
		}

		if (p->kind != PERSON_CHILD) {
			struct preg_facts f;
			rep_preg_of(p, v, n, first, &f);
			if (p->kind == PERSON_PREGNANT && p->registered != DATE_NONE &&
			    p->registered >= first && p->registered <= ref_day)
				m->preg.registered++;
			if (visitor)
				f.seen ? m->visitors.pregnant++ : m->visitors.women++;
			if (!f.seen)
				continue;
			m->preg.seen++;
			m->preg.lila_measured += f.lila;
			m->preg.kek += f.kek;
			m->preg.iron_women += f.iron > 0;
			m->preg.iron_tablets += f.iron;
			m->preg.danger += f.danger;
			continue;
		}
		m->visitors.children += visitor;
		if (nmonth && p->dob != DATE_NONE)
			count_idl(p, v, n, first, m);
		if (!c.in_s)
			continue;

		rep_count_skdn(&m->all, p, &c);
		if (c.sex >= 0)
			rep_count_skdn(&m->by[c.sex][c.group], p, &c);

		/* Nutritional status (domain.md §4.3, §6.1), measured this month. */
		enum growth_cat cat[REPORT__INDICES];
		rep_status_of(p, v, n, first, cat);
		for (int k = 0; k < REPORT__INDICES; k++) {
			if (cat[k] == GROWTH_CAT_NONE)
				continue;
			m->status.measured[k]++;
			m->status.cat[cat[k]]++;
		}
		m->status.underweight += cat_underweight(cat[REPORT_WFA]);
		m->status.stunted += rep_cat_stunted(cat[REPORT_LHFA]);
		m->status.wasted += rep_cat_wasted(cat[REPORT_WFLH]);
		m->status.overweight += cat_overweight(cat[REPORT_WFLH]);

		/* Exclusive breastfeeding (domain.md §5.4). */
		struct asi_facts a;
		rep_asi_of(p, v, n, first, &a);
		int works = rep_mother_works(d, p, NULL);
		int grp = works == ASK_YES ? REPORT_MOTHER_WORKS : works == ASK_NO ? REPORT_MOTHER_OTHER
			  : REPORT_MOTHER_UNRECORDED;
		bool turned6 = c.age >= 6 && date_age_months(p->dob, first - 1) <= 5;
		int bf = BF_NOT_ASKED;
		for (size_t i = 0; i < n; i++)
			if (v[i]->date >= first && v[i]->bf_continue != BF_NOT_ASKED)
				bf = v[i]->bf_continue;      /* visits are in date order: the last wins */
		for (int g = 0; g < 2; g++) {
			struct report_asi *x = &m->asi[g ? grp : REPORT_MOTHER_ALL];
			if (c.age >= 6 && c.age <= 23 && bf != BF_NOT_ASKED) {
				x->bf_asked++;
				x->bf_yes += bf == BF_ASKED_YES;
			} else if (c.age >= 6 && c.age <= 23 && nmonth) {
				x->bf_unrecorded++;
			}
			if (a.month_recall >= 0) {
				x->recall_asked++;
				x->recall_yes += a.month_recall;
			} else if (c.age <= 5 && nmonth) {
				x->recall_unrecorded++;
			}
			if (turned6) {
				x->turned6++;
				if (!a.recorded)
					x->turned6_unrecorded++;
				else if (!a.broken)
					x->turned6_exclusive++;
			}
		}

		/* Vitamin A (domain.md §5.2). */
		if (m->vita.campaign) {
			struct vita_facts f;
			rep_vita_of(v, n, first, c.age, &f);
			m->vita.blue_target += f.blue_target;
			m->vita.blue_given += f.blue_target && f.blue_now;
			m->vita.red_target += f.red_target;
			m->vita.red_given += f.red_target && f.red_now;
		}
	}

	/* Opening days and kader on duty (domain.md §1.2, SIP format 5). */
	for (size_t i = 0; i < d->nsess; i++) {
		const struct session *x = d->sess[i];
		if (x->date < first || x->date > ref_day)
			continue;
		m->visitors.sessions++;
		for (int k = 0; k < x->n_kader && k < SESSION_MAX_KADER; k++) {
			m->visitors.kader_days++;
			add_kader(&m->visitors, x->kader[k]);
		}
	}
	free(scratch);
	return 0;
}

/* ---- sums of posyandu (the district row, sync/server_report.c) ---- */

/* X += Y, every count of struct report_monthly (report.h): a field added
 * there must be added here. */
void report_monthly_add(struct report_monthly *x, const struct report_monthly *y)
{
	report_skdn_add(&x->all, &y->all);
	for (int s = 0; s < REPORT__SEXES; s++)
		for (int a = 0; a < REPORT__AGES; a++)
			report_skdn_add(&x->by[s][a], &y->by[s][a]);
	for (int k = 0; k < REPORT__INDICES; k++)
		x->status.measured[k] += y->status.measured[k];
	for (int k = 0; k < GROWTH_CAT__COUNT; k++)
		x->status.cat[k] += y->status.cat[k];
	x->status.underweight += y->status.underweight;
	x->status.stunted += y->status.stunted;
	x->status.wasted += y->status.wasted;
	x->status.overweight += y->status.overweight;
	for (int g = 0; g < REPORT__MOTHERS; g++) {
		struct report_asi *a = &x->asi[g];
		const struct report_asi *b = &y->asi[g];
		a->recall_asked += b->recall_asked;
		a->recall_yes += b->recall_yes;
		a->recall_unrecorded += b->recall_unrecorded;
		a->turned6 += b->turned6;
		a->turned6_unrecorded += b->turned6_unrecorded;
		a->turned6_exclusive += b->turned6_exclusive;
		a->bf_asked += b->bf_asked;
		a->bf_yes += b->bf_yes;
		a->bf_unrecorded += b->bf_unrecorded;
	}
	x->vita.blue_target += y->vita.blue_target;
	x->vita.blue_given += y->vita.blue_given;
	x->vita.red_target += y->vita.red_target;
	x->vita.red_given += y->vita.red_given;
	x->vita.capsules_blue += y->vita.capsules_blue;
	x->vita.capsules_red += y->vita.capsules_red;
	for (int k = 0; k < IMM__COUNT; k++)
		x->imm_doses[k] += y->imm_doses[k];
	x->idl_complete += y->idl_complete;
	x->idl_late += y->idl_late;
	x->preg.seen += y->preg.seen;
	x->preg.registered += y->preg.registered;
	x->preg.lila_measured += y->preg.lila_measured;
	x->preg.kek += y->preg.kek;
	x->preg.iron_women += y->preg.iron_women;
	x->preg.iron_tablets += y->preg.iron_tablets;
	x->preg.danger += y->preg.danger;
	x->visitors.sessions += y->visitors.sessions;
	x->visitors.kader_days += y->visitors.kader_days;
	for (int i = 0; i < y->visitors.n_kader; i++)
		add_kader(&x->visitors, y->visitors.kader[i]);
	x->visitors.children += y->visitors.children;
	x->visitors.pregnant += y->visitors.pregnant;
	x->visitors.women += y->visitors.women;
	x->visitors.home_visits += y->visitors.home_visits;
	x->visitors.counselling += y->visitors.counselling;
	for (int g = 0; g < ILP__COUNT; g++)
		for (int k = 0; k < REPORT__ILP_COUNTS; k++)
			x->ilp[g].n[k] += y->ilp[g].n[k];
}
