/* core/report.c: the monthly report, follow-up lists, trend and session
 * evidence. The rules come from core/desk.h (N/T/O/B, 2T, BGM), core/kbm.h,
 * core/growth.h (Permenkes 2/2020 categories) and core/imm.h; this file only
 * decides who is counted where, each decision citing domain.md. */
#include "core/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/imm.h"
#include "core/kbm.h"
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

const struct report_reason_info report_reasons[] = {
	{ REPORT_R_2T, "2t" },
	{ REPORT_R_T, "t" },
	{ REPORT_R_BGM, "bgm" },
	{ REPORT_R_WASTED, "wasted" },
	{ REPORT_R_STUNTED, "stunted" },
	{ REPORT_R_NOT_WEIGHED, "not_weighed" },
	{ REPORT_R_IMM_OVERDUE, "imm_overdue" },
	{ REPORT_R_VITA_MISSED, "vita_missed" },
	{ REPORT_R_ASI_WORKING, "asi_working_mother" },
	{ REPORT_R_KEK, "kek" },
	{ REPORT_R_DANGER, "danger_sign" },
};
const size_t report_reasons_len = sizeof report_reasons / sizeof report_reasons[0];

/* ---- the index ---- */

struct report_data {
	const struct person *people;
	size_t np;
	const struct person **by_uuid;     /* np, sorted by uuid */
	const struct visit **vis;          /* grouped by person, each by (date, uuid) */
	size_t *first, *count;             /* per person (input order) */
	size_t maxv;
	const struct session **sess;       /* by date */
	size_t nsess;
};

static int cmp_person_uuid(const void *a, const void *b)
{
	const struct person *const *x = a, *const *y = b;
	return memcmp((*x)->uuid, (*y)->uuid, UUID_LEN);
}

static int cmp_visit(const void *a, const void *b)
{
	const struct visit *const *x = a, *const *y = b;
	if ((*x)->date != (*y)->date)
		return (*x)->date < (*y)->date ? -1 : 1;
	return memcmp((*x)->uuid, (*y)->uuid, UUID_LEN);
}

static int cmp_session(const void *a, const void *b)
{
	const struct session *const *x = a, *const *y = b;
	if ((*x)->date != (*y)->date)
		return (*x)->date < (*y)->date ? -1 : 1;
	return memcmp((*x)->uuid, (*y)->uuid, UUID_LEN);
}

static const struct person *find_person(const struct report_data *d, const uint8_t uuid[UUID_LEN])
{
	size_t lo = 0, hi = d->np;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(d->by_uuid[mid]->uuid, uuid, UUID_LEN);
		if (c == 0)
			return d->by_uuid[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void report_data_free(struct report_data *d)
{
	if (!d)
		return;
	free(d->by_uuid);
	free(d->vis);
	free(d->first);
	free(d->count);
	free(d->sess);
	free(d);
}

struct report_data *report_data_new(const struct report_input *in, struct err *err)
{
	struct report_data *d = calloc(1, sizeof *d);
	size_t *owner = NULL, nv = 0;

	if (!d)
		goto nomem;
	d->people = in->people;
	d->np = in->npeople;
	d->by_uuid = malloc((d->np + 1) * sizeof *d->by_uuid);
	d->first = calloc(d->np + 1, sizeof *d->first);
	d->count = calloc(d->np + 1, sizeof *d->count);
	d->vis = malloc((in->nvisits + 1) * sizeof *d->vis);
	d->sess = malloc((in->nsessions + 1) * sizeof *d->sess);
	owner = malloc((in->nvisits + 1) * sizeof *owner);
	if (!d->by_uuid || !d->first || !d->count || !d->vis || !d->sess || !owner)
		goto nomem;
	for (size_t i = 0; i < d->np; i++)
		d->by_uuid[i] = &d->people[i];
	qsort(d->by_uuid, d->np, sizeof *d->by_uuid, cmp_person_uuid);

	/* Visits grouped by their person (counting sort), then by date. */
	for (size_t i = 0; i < in->nvisits; i++) {
		const struct person *p = find_person(d, in->visits[i].person);
		owner[i] = p ? (size_t)(p - d->people) : (size_t)-1;
		if (p)
			d->count[owner[i]]++;
	}
	for (size_t i = 0; i < d->np; i++) {
		d->first[i] = nv;
		nv += d->count[i];
		if (d->count[i] > d->maxv)
			d->maxv = d->count[i];
		d->count[i] = 0;
	}
	for (size_t i = 0; i < in->nvisits; i++)
		if (owner[i] != (size_t)-1)
			d->vis[d->first[owner[i]] + d->count[owner[i]]++] = &in->visits[i];
	for (size_t i = 0; i < d->np; i++)
		qsort(d->vis + d->first[i], d->count[i], sizeof *d->vis, cmp_visit);

	for (size_t i = 0; i < in->nsessions; i++)
		d->sess[i] = &in->sessions[i];
	d->nsess = in->nsessions;
	qsort(d->sess, d->nsess, sizeof *d->sess, cmp_session);
	free(owner);
	return d;
nomem:
	free(owner);
	report_data_free(d);
	err_set(err, ERR_NOMEM, NULL, "out of memory");
	return NULL;
}

int32_t report_month_last_day(int month)
{
	int y = month / 12, m = month % 12 + 1;
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

static int32_t month_first_day(int month)
{
	return date_from_ymd(month / 12, month % 12 + 1, 1);
}

/* ---- one child in one month ---- */

struct cm {
	int age;                   /* completed months on the reference day; -1 unknown */
	bool in_s;
	int sex, group;            /* -1 when outside L/P or 0-59 */
	bool d;                    /* weighed this month */
	enum kbm_status nt;
	bool two_t, bgm, age0;
	int32_t last_visit;        /* DATE_NONE: none up to the reference day */
	size_t nv;                 /* visits up to the reference day */
};

/* The visits of person PI (sorted) up to REF. */
static const struct visit *const *visits_of(const struct report_data *d, size_t pi, int32_t ref,
					    size_t *n)
{
	const struct visit *const *v = d->vis + d->first[pi];
	size_t k = d->count[pi];
	while (k && v[k - 1]->date > ref)
		k--;
	*n = k;
	return v;
}

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

/* N/T/O/B of weighing H[I] (domain.md §4.1) by desk_assess(), with the
 * age-0 edge of report.h: no KBM at 0 completed months, so a child weighed
 * in the birth month and again the next calendar month is judged with the
 * 1-month KBM (KMS column 1). *AGE0 tells when that happened. */
static enum kbm_status judge(const struct person *p, const struct visit *h, size_t i,
			     struct desk_result *r, bool *age0)
{
	desk_assess(p, &h[i], h, i, r);
	*age0 = false;
	if (r->nt == KBM_NONE && i > 0 && r->age_months == 0 &&
	    date_month_index(h[i - 1].date) == date_month_index(h[i].date) - 1) {
		struct kbm_weighing now = { date_month_index(h[i].date), h[i].weight_g / 1000.0 };
		struct kbm_weighing prev = { date_month_index(h[i - 1].date), h[i - 1].weight_g / 1000.0 };
		r->nt = kbm_judge(&now, 1, &prev);
		*age0 = true;
	}
	return r->nt;
}

/* S membership and SKDN of child P (index PI) for the month. SCRATCH holds
 * d->maxv visits. */
static void child_month(const struct report_data *d, size_t pi, int month, int32_t first,
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
	v = visits_of(d, pi, ref, &n);
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
		c->nt = judge(p, scratch, nh - 1, &r, &c->age0);
		c->bgm = r.bgm;
		/* 2T (domain.md §4.2): T now and T at the weighing before, when
		 * that one was last month; judged the same way as this one. */
		if (c->nt == KBM_T && nh >= 2) {
			struct desk_result pr;
			bool a0;
			enum kbm_status prev = judge(p, scratch, nh - 2, &pr, &a0);
			c->two_t = kbm_is_2t(c->nt, month, prev, date_month_index(scratch[nh - 2].date));
		}
	}
}

static void count_skdn(struct report_skdn *x, const struct person *p, const struct cm *c)
{
	if (!c->in_s)
		return;
	x->s++;
	x->k += p->has_kia;
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
static void growth_of_visit(const struct person *p, const struct visit *v, struct growth_result *g)
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
static void status_of(const struct person *p, const struct visit *const *v, size_t n,
		      int32_t from, enum growth_cat cat[REPORT__INDICES])
{
	int missing = REPORT__INDICES;

	for (int k = 0; k < REPORT__INDICES; k++)
		cat[k] = GROWTH_CAT_NONE;
	for (size_t i = n; i-- > 0 && missing && v[i]->date >= from;) {
		struct growth_result g;
		if (!v[i]->weight_g && !v[i]->lenhei_mm)
			continue;
		growth_of_visit(p, v[i], &g);
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

static bool cat_stunted(enum growth_cat c)
{
	return c == GROWTH_CAT_LHFA_SEVERELY_STUNTED || c == GROWTH_CAT_LHFA_STUNTED;
}

static bool cat_wasted(enum growth_cat c)
{
	return c == GROWTH_CAT_WFLH_SEVERELY_WASTED || c == GROWTH_CAT_WFLH_WASTED;
}

static bool cat_overweight(enum growth_cat c)
{
	return c == GROWTH_CAT_WFLH_OVERWEIGHT || c == GROWTH_CAT_WFLH_OBESE;
}

/* Working mother (report.h, enum report_mother). */
static bool mother_works(const struct report_data *d, const struct person *p,
			 const struct person **mother)
{
	const struct person *m = uuid_is_zero(p->mother) ? NULL : find_person(d, p->mother);
	if (mother)
		*mother = m;
	return m ? m->mother_works : p->mother_works;
}

/* Exclusive breastfeeding facts of a child up to REF (domain.md §5.4). */
struct asi_facts {
	int month_recall;          /* -1 none this month, else the last recall (0/1) at 0-5 m */
	bool recorded;             /* any recall at 0-5 months */
	bool broken;               /* any "no" at 0-5 months: the from-birth flag is false */
};

static void asi_of(const struct person *p, const struct visit *const *v, size_t n, int32_t first,
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

/* A visit that belongs to a pregnancy (report.h, struct report_pregnant). */
static bool pregnancy_visit(const struct person *p, const struct visit *v)
{
	return p->kind != PERSON_CHILD && (p->kind == PERSON_PREGNANT || v->gest_weeks > 0);
}

struct preg_facts {
	bool seen, lila, kek, danger;
	int iron;
};

static void preg_of(const struct person *p, const struct visit *const *v, size_t n, int32_t first,
		    struct preg_facts *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < n; i++) {
		if (v[i]->date < first || !pregnancy_visit(p, v[i]))
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

/* Vitamin A facts of a child for the month (domain.md §5.2). */
struct vita_facts {
	bool blue_before, blue_now, red_now;
	bool blue_target, red_target;
};

static void vita_of(const struct visit *const *v, size_t n, int32_t first, int age,
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

static bool campaign_month(int month)
{
	int m = month % 12 + 1;
	return m == 2 || m == 8;
}

static int bounds(int month, int32_t *ref_day, int32_t *first, struct err *err)
{
	int32_t last;

	if (month < 1900 * 12 || month > 2199 * 12 + 11)
		return err_set(err, ERR_RANGE, "month", "month out of range");
	last = report_month_last_day(month);
	*first = month_first_day(month);
	if (*ref_day == DATE_NONE || *ref_day > last)
		*ref_day = last;
	if (*ref_day < *first)
		return err_set(err, ERR_RANGE, "month", "reference day before the month");
	return 0;
}

static struct visit *scratch_new(const struct report_data *d, struct err *err)
{
	struct visit *s = malloc((d->maxv + 1) * sizeof *s);
	if (!s)
		err_set(err, ERR_NOMEM, NULL, "out of memory");
	return s;
}

/* ---- the monthly report ---- */

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

int report_monthly(const struct report_data *d, int month, int32_t ref_day,
		   struct report_monthly *m, struct err *err)
{
	struct visit *scratch;
	int32_t first;

	memset(m, 0, sizeof *m);
	if (bounds(month, &ref_day, &first, err) < 0)
		return -1;
	if (!(scratch = scratch_new(d, err)))
		return -1;
	m->month = month;
	m->first_day = first;
	m->ref_day = ref_day;
	m->vita.campaign = campaign_month(month);

	for (size_t pi = 0; pi < d->np; pi++) {
		const struct person *p = &d->people[pi];
		const struct visit *const *v;
		size_t n, nmonth = 0;
		bool visitor = false;
		struct cm c;

		child_month(d, pi, month, first, ref_day, scratch, &c);
		v = visits_of(d, pi, ref_day, &n);
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
			preg_of(p, v, n, first, &f);
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

		count_skdn(&m->all, p, &c);
		if (c.sex >= 0)
			count_skdn(&m->by[c.sex][c.group], p, &c);

		/* Nutritional status (domain.md §4.3, §6.1), measured this month. */
		enum growth_cat cat[REPORT__INDICES];
		status_of(p, v, n, first, cat);
		for (int k = 0; k < REPORT__INDICES; k++) {
			if (cat[k] == GROWTH_CAT_NONE)
				continue;
			m->status.measured[k]++;
			m->status.cat[cat[k]]++;
		}
		m->status.underweight += cat_underweight(cat[REPORT_WFA]);
		m->status.stunted += cat_stunted(cat[REPORT_LHFA]);
		m->status.wasted += cat_wasted(cat[REPORT_WFLH]);
		m->status.overweight += cat_overweight(cat[REPORT_WFLH]);

		/* Exclusive breastfeeding (domain.md §5.4). */
		struct asi_facts a;
		asi_of(p, v, n, first, &a);
		int grp = mother_works(d, p, NULL) ? REPORT_MOTHER_WORKS : REPORT_MOTHER_OTHER;
		bool turned6 = c.age >= 6 && date_age_months(p->dob, first - 1) <= 5;
		for (int g = 0; g < 2; g++) {
			struct report_asi *x = &m->asi[g ? grp : REPORT_MOTHER_ALL];
			if (a.month_recall >= 0) {
				x->recall_asked++;
				x->recall_yes += a.month_recall;
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
			vita_of(v, n, first, c.age, &f);
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

/* ---- follow-up lists ---- */

static int cmp_row(const void *a, const void *b)
{
	const struct report_followup_row *x = a, *y = b;
	int c;
	if (x->p->rw != y->p->rw)
		return x->p->rw < y->p->rw ? -1 : 1;
	if (x->p->rt != y->p->rt)
		return x->p->rt < y->p->rt ? -1 : 1;
	if ((c = strcmp(x->p->name, y->p->name)) != 0)
		return c;
	return memcmp(x->p->uuid, y->p->uuid, UUID_LEN);
}

const char *report_mother_name(const struct report_followup_row *r)
{
	if (r->mother && r->mother->name[0])
		return r->mother->name;
	return r->p->mother_name;
}

/* The reasons of one child (domain.md §6.3). */
static unsigned child_reasons(const struct report_data *d, const struct person *p,
			      const struct visit *const *v, size_t n, int month, int32_t first,
			      const struct cm *c, uint32_t *overdue)
{
	unsigned why = 0;
	enum growth_cat cat[REPORT__INDICES];
	uint32_t given = 0;
	(void)month;

	*overdue = 0;
	if (!c->in_s)
		return 0;
	if (!c->d)
		why |= REPORT_R_NOT_WEIGHED;
	if (c->two_t)
		why |= REPORT_R_2T;
	else if (c->nt == KBM_T)
		why |= REPORT_R_T;
	if (c->bgm)
		why |= REPORT_R_BGM;
	/* Wasting is acute: this month's measurement only. Stunting is
	 * chronic and length is taken less often: the latest length. */
	status_of(p, v, n, first, cat);
	if (cat_wasted(cat[REPORT_WFLH]))
		why |= REPORT_R_WASTED;
	for (size_t i = n; i-- > 0;) {
		struct growth_result g;
		if (!v[i]->lenhei_mm)
			continue;
		growth_of_visit(p, v[i], &g);
		if (growth_category(&g, GROWTH_LHFA) == GROWTH_CAT_NONE)
			continue;
		if (cat_stunted(growth_category(&g, GROWTH_LHFA)))
			why |= REPORT_R_STUNTED;
		break;
	}
	/* Overdue: due at the age now and already due a completed month ago
	 * (imm_due() of core/imm.h at both ages), so what falls due this month
	 * is not yet overdue. */
	for (size_t i = 0; i < n; i++)
		given |= v[i]->imm;
	if (c->age >= 1)
		*overdue = imm_due(c->age, given) & imm_due(c->age - 1, given);
	if (*overdue)
		why |= REPORT_R_IMM_OVERDUE;
	if (campaign_month(month)) {
		struct vita_facts f;
		vita_of(v, n, first, c->age, &f);
		if ((f.blue_target && !f.blue_now) || (f.red_target && !f.red_now))
			why |= REPORT_R_VITA_MISSED;
	}
	if (c->age <= 5 && mother_works(d, p, NULL)) {
		struct asi_facts a;
		asi_of(p, v, n, first, &a);
		if (a.broken)
			why |= REPORT_R_ASI_WORKING;
	}
	return why;
}

int report_followup(const struct report_data *d, int month, int32_t ref_day,
		    struct report_followup *f, struct err *err)
{
	struct visit *scratch;
	int32_t first;

	memset(f, 0, sizeof *f);
	if (bounds(month, &ref_day, &first, err) < 0)
		return -1;
	if (!(scratch = scratch_new(d, err)))
		return -1;
	f->month = month;
	f->ref_day = ref_day;
	if (!(f->rows = calloc(d->np + 1, sizeof *f->rows))) {
		free(scratch);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	for (size_t pi = 0; pi < d->np; pi++) {
		const struct person *p = &d->people[pi];
		struct report_followup_row *r = &f->rows[f->n];
		const struct visit *const *v;
		size_t n;
		struct cm c;

		child_month(d, pi, month, first, ref_day, scratch, &c);
		v = visits_of(d, pi, ref_day, &n);
		memset(r, 0, sizeof *r);
		r->p = p;
		r->last_visit = c.last_visit;
		r->age_months = p->dob != DATE_NONE && p->dob <= ref_day ? date_age_months(p->dob, ref_day) : -1;
		if (p->kind == PERSON_CHILD) {
			r->reasons = child_reasons(d, p, v, n, month, first, &c, &r->imm_overdue);
			mother_works(d, p, &r->mother);
		} else {
			struct preg_facts pf;
			preg_of(p, v, n, first, &pf);
			r->reasons = (pf.kek ? REPORT_R_KEK : 0) | (pf.danger ? REPORT_R_DANGER : 0);
		}
		if (r->reasons)
			f->n++;
	}
	qsort(f->rows, f->n, sizeof *f->rows, cmp_row);
	free(scratch);
	return 0;
}

void report_followup_release(struct report_followup *f)
{
	free(f->rows);
	f->rows = NULL;
	f->n = 0;
}

/* ---- trend ---- */

int report_trend(const struct report_data *d, int last, int n, struct report_trend_point *out,
		 struct err *err)
{
	struct visit *scratch;

	if (n <= 0)
		return 0;
	if (!(scratch = scratch_new(d, err)))
		return -1;
	for (int k = 0; k < n; k++) {
		int month = last - (n - 1) + k;
		int32_t ref = DATE_NONE, first;
		struct report_skdn x;
		struct report_trend_point *t = &out[k];

		memset(t, 0, sizeof *t);
		t->month = month;
		if (bounds(month, &ref, &first, err) < 0) {
			free(scratch);
			return -1;
		}
		memset(&x, 0, sizeof x);
		for (size_t pi = 0; pi < d->np; pi++) {
			struct cm c;
			if (d->people[pi].kind != PERSON_CHILD)
				continue;
			child_month(d, pi, month, first, ref, scratch, &c);
			count_skdn(&x, &d->people[pi], &c);
		}
		t->s = x.s;
		t->k = x.k;
		t->d = x.d;
		t->n = x.n;
		t->o = x.o;
		t->b = x.b;
	}
	free(scratch);
	return 0;
}

/* ---- session evidence ---- */

/* Visit V[I] (not a home visit) on the day of a session: count its person
 * once per session, in the group of that visit. */
static void session_visit(struct report_sessions *r, const struct person *p,
			  const struct visit *const *v, size_t i)
{
	for (size_t s = 0; s < r->n; s++) {
		struct report_session_row *row = &r->rows[s];
		bool again = false;
		if (row->x->date != v[i]->date)
			continue;
		for (size_t j = i; j-- > 0 && v[j]->date == v[i]->date;)
			again |= !v[j]->home_visit;
		if (!again)
			*(p->kind == PERSON_CHILD ? &row->children
			  : pregnancy_visit(p, v[i]) ? &row->pregnant : &row->women) += 1;
		row->counselling += v[i]->counsel_asi;
		return;
	}
}

int report_sessions(const struct report_data *d, int from, int to, struct report_sessions *r,
		    struct err *err)
{
	int32_t lo, hi, tmp = DATE_NONE;

	memset(r, 0, sizeof *r);
	if (to < from)
		return err_set(err, ERR_RANGE, "month-span", "--to before --from");
	if (to - from >= 120)
		return err_set(err, ERR_RANGE, "month-span", "at most 10 years");
	if (bounds(from, &tmp, &lo, err) < 0)
		return -1;
	tmp = DATE_NONE;
	if (bounds(to, &tmp, &hi, err) < 0)
		return -1;
	hi = tmp;
	r->nmonths = (size_t)(to - from + 1);
	r->months = calloc(r->nmonths, sizeof *r->months);
	r->rows = calloc(d->nsess + 1, sizeof *r->rows);
	if (!r->months || !r->rows) {
		report_sessions_release(r);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	for (size_t k = 0; k < r->nmonths; k++)
		r->months[k].month = from + (int)k;
	for (size_t i = 0; i < d->nsess; i++) {
		const struct session *x = d->sess[i];
		if (x->date < lo || x->date > hi)
			continue;
		r->rows[r->n++].x = x;
		r->months[date_month_index(x->date) - from].sessions++;
		r->months[date_month_index(x->date) - from].kader_days +=
			x->n_kader < SESSION_MAX_KADER ? x->n_kader : SESSION_MAX_KADER;
	}
	for (size_t pi = 0; pi < d->np; pi++) {
		const struct person *p = &d->people[pi];
		const struct visit *const *v;
		size_t n, i = 0;

		v = visits_of(d, pi, hi, &n);
		while (i < n && v[i]->date < lo)
			i++;
		/* One calendar month of this person's visits at a time. */
		while (i < n) {
			int month = date_month_index(v[i]->date);
			struct report_session_month *mo = &r->months[month - from];
			bool visitor = false, preg = false;

			for (; i < n && date_month_index(v[i]->date) == month; i++) {
				mo->home_visits += v[i]->home_visit;
				mo->counselling += v[i]->counsel_asi;
				if (v[i]->home_visit)
					continue;
				visitor = true;
				preg |= pregnancy_visit(p, v[i]);
				session_visit(r, p, v, i);
			}
			/* Distinct visitors of the month; a woman with a pregnancy
			 * visit in it counts as pregnant. */
			if (visitor)
				*(p->kind == PERSON_CHILD ? &mo->children : preg ? &mo->pregnant
				  : &mo->women) += 1;
		}
	}
	return 0;
}

void report_sessions_release(struct report_sessions *r)
{
	free(r->rows);
	free(r->months);
	r->rows = NULL;
	r->months = NULL;
	r->n = r->nmonths = 0;
}
