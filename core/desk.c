/* core/desk.c: the assessment behind the result panel. */
#include "core/desk.h"

#include <math.h>
#include <string.h>

#include "core/date.h"
#include "core/imm.h"
#include "core/measure.h"
#include "core/banned.h"

bool desk_is_balita(const struct person *p, int32_t day)
{
	if (p->kind != PERSON_CHILD || p->dob == DATE_NONE || day < p->dob)
		return false;
	return date_age_months(p->dob, day) < 60;
}

size_t desk_not_weighed(const struct person *p, size_t np, const struct visit *v, size_t nv,
			int32_t day, size_t *idx, size_t max)
{
	int month = date_month_index(day);
	size_t n = 0;

	for (size_t i = 0; i < np && n < max; i++) {
		bool weighed = false;
		if (!desk_is_balita(&p[i], day))
			continue;
		for (size_t k = 0; k < nv && !weighed; k++)
			weighed = v[k].weight_g && date_month_index(v[k].date) == month &&
				  memcmp(v[k].person, p[i].uuid, UUID_LEN) == 0;
		if (!weighed)
			idx[n++] = i;
	}
	return n;
}

char desk_default_measure(int32_t age_days)
{
	return age_days >= 0 && age_days < 731 ? 'l' : 'h';
}

/* The latest visit of HIST strictly before DAY (skipping SKIP) with a
 * weight (LENGTH false) or a length (LENGTH true). */
static const struct visit *last_measured(const struct visit *hist, size_t n, int32_t day,
					 const uint8_t *skip, bool length)
{
	const struct visit *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct visit *h = &hist[i];
		if (!(length ? h->lenhei_mm : h->weight_g) || h->date >= day ||
		    memcmp(h->uuid, skip, UUID_LEN) == 0)
			continue;
		if (!best || h->date > best->date)
			best = h;
	}
	return best;
}

static const struct visit *last_weighing(const struct visit *hist, size_t n, int32_t day,
					 const uint8_t *skip)
{
	return last_measured(hist, n, day, skip, false);
}

/* Weight and length against the previous ones (core/measure.h). */
static void changes(const struct person *p, const struct visit *v, const struct visit *hist,
		    size_t n, struct desk_result *r)
{
	const struct visit *w = v->weight_g ? last_weighing(hist, n, v->date, v->uuid) : NULL;
	const struct visit *l = v->lenhei_mm ? last_measured(hist, n, v->date, v->uuid, true) : NULL;
	enum measure_change c;

	if (w) {
		r->prev_weight_g = w->weight_g;
		r->prev_weight_date = w->date;
		c = measure_change_check(MEASURE_WEIGHT, w->weight_g, v->weight_g, v->date - w->date,
					 date_age_months(p->dob, w->date), 0, 0);
		r->change |= c == MEASURE_CHANGE_GAIN ? DESK_CHANGE_WEIGHT_GAIN
			     : c == MEASURE_CHANGE_LOSS ? DESK_CHANGE_WEIGHT_LOSS : 0;
	}
	if (l) {
		r->prev_lenhei_mm = l->lenhei_mm;
		r->prev_lenhei_date = l->date;
		c = measure_change_check(MEASURE_LENHEI, l->lenhei_mm, v->lenhei_mm, v->date - l->date,
					 date_age_months(p->dob, l->date), l->measure, v->measure);
		r->change |= c == MEASURE_CHANGE_GAIN ? DESK_CHANGE_LENGTH_GAIN
			     : c == MEASURE_CHANGE_LOSS ? DESK_CHANGE_LENGTH_LOSS : 0;
	}
}

static struct kbm_weighing weighing(const struct visit *v)
{
	struct kbm_weighing w = { 0, NAN };
	if (v) {
		w.month_index = date_month_index(v->date);
		w.weight_kg = v->weight_g ? v->weight_g / 1000.0 : NAN;
	}
	return w;
}

/* N/T/O/B of V: its weight against the last weighing of an earlier
 * calendar month. A second weighing in the same month is judged as the
 * report counts it (core/report.c: the later weighing of a month replaces
 * the earlier), against last month's, not against the one ten days ago.
 * At 0 completed months there is no KBM; when last month's weighing exists
 * (the birth month's) the child is judged with the 1-month KBM: on the KMS
 * the calendar month after the birth month is column 1 (core/report.h).
 * *AGE0 tells when that happened. */
static enum kbm_status judge(const struct person *p, const struct visit *v,
			     const struct visit *hist, size_t n, const struct visit **prev_out,
			     bool *age0)
{
	const struct visit *prev;
	struct kbm_weighing now, before;
	enum kbm_status nt;
	int y, m, d, age = date_age_months(p->dob, v->date);

	date_to_ymd(v->date, &y, &m, &d);
	prev = last_weighing(hist, n, date_from_ymd(y, m, 1), v->uuid);
	now = weighing(v);
	before = weighing(prev);
	if (prev_out)
		*prev_out = prev;
	if (age0)
		*age0 = false;
	nt = kbm_judge(&now, age, prev ? &before : NULL);
	if (nt == KBM_NONE && age == 0 && prev && before.month_index == now.month_index - 1) {
		nt = kbm_judge(&now, 1, &before);
		if (age0)
			*age0 = true;
	}
	return nt;
}

static void growth_of(const struct person *p, const struct visit *v, struct desk_result *r)
{
	memset(&r->in, 0, sizeof r->in);
	r->in.sex = p->sex == 'L' ? GROWTH_MALE : p->sex == 'P' ? GROWTH_FEMALE : 0;
	r->in.age_days = r->age_days;
	r->in.weight_kg = v->weight_g ? v->weight_g / 1000.0 : NAN;
	r->in.lenhei_cm = v->lenhei_mm ? v->lenhei_mm / 10.0 : NAN;
	r->in.measure = v->measure;
	r->in.oedema = v->oedema;
	r->in.headc_cm = v->headc_mm ? v->headc_mm / 10.0 : NAN;
	r->in.muac_cm = v->muac_mm ? v->muac_mm / 10.0 : NAN;
	growth_compute(&r->in, &r->g);
	for (int i = 0; i < GROWTH__COUNT; i++)
		r->cat[i] = growth_category(&r->g, (enum growth_indicator)i);
	r->warn = measure_warnings(&r->in, &r->g);
}

static bool below(const struct growth_z *z, double cut)
{
	return z->valid && z->z < cut;
}

/* The ILP judgement (core/ilp.h) and what it needs from the history:
 * deworming given earlier this month (the round is the month, domain.md
 * §5.3) and the Td status reached with its date, for the next dose. */
static void ilp_of(const struct person *p, const struct visit *v, const struct visit *hist,
		   size_t n, struct desk_result *r)
{
	bool dewormed = v->deworm == ASK_YES;
	int vmonth = date_month_index(v->date), td = v->td_status, y, m, d;
	int32_t td_since = td ? v->date : DATE_NONE;

	ilp_assess(p, v, NULL, &r->ilp);
	for (size_t i = 0; i < n; i++) {
		const struct visit *h = &hist[i];
		if (memcmp(h->uuid, v->uuid, UUID_LEN) == 0 || h->date > v->date)
			continue;
		dewormed |= h->deworm == ASK_YES && date_month_index(h->date) == vmonth;
		if (h->td_status > td || (h->td_status && h->td_status == td && h->date < td_since)) {
			td = h->td_status;
			td_since = h->date;
		}
	}
	date_to_ymd(v->date, &y, &m, &d);
	if (p->kind == PERSON_CHILD && ilp_deworm_due(r->age_months, m, dewormed))
		r->ilp.flags |= ILP_F_DEWORM_DUE;
	r->td_due = DATE_NONE;
	if (p->kind == PERSON_PREGNANT || p->kind == PERSON_WOMAN)
		ilp_td_next(td, td_since, &r->td_next, &r->td_due);
}

void desk_assess(const struct person *p, const struct visit *v, const struct visit *hist,
		 size_t n, struct desk_result *r)
{
	struct kbm_refer_input ri;
	uint32_t given = v->imm;
	bool blue_ever = v->vitamin_a == VITA_BLUE, this_round = v->vitamin_a != VITA_NONE;
	bool stunting_known = false;
	int vmonth = date_month_index(v->date);

	memset(r, 0, sizeof *r);
	r->age_days = p->dob == DATE_NONE ? -1 : v->date - p->dob;
	r->age_months = p->dob == DATE_NONE ? -1 : date_age_months(p->dob, v->date);
	r->child = desk_is_balita(p, v->date);
	memset(&ri, 0, sizeof ri);
	ri.age_months = r->age_months;
	ri.muac_cm = NAN;
	ri.lila_cm = NAN;

	if (p->kind == PERSON_CHILD && p->dob != DATE_NONE && r->age_days >= 0) {
		const struct visit *prev;
		growth_of(p, v, r);
		r->nt = judge(p, v, hist, n, &prev, &r->nt_age0);
		r->kbm_g = kbm_min_gain_g(r->nt_age0 ? 1 : r->age_months);
		if (prev && v->weight_g && date_month_index(prev->date) == vmonth - 1) {
			r->has_gain = true;
			r->gain_g = (int)v->weight_g - (int)prev->weight_g;
		}
		if (prev && r->nt == KBM_T) {
			enum kbm_status prev_nt = judge(p, prev, hist, n, NULL, NULL);
			r->two_t = kbm_is_2t(r->nt, vmonth, prev_nt, date_month_index(prev->date));
		}
		r->bgm = kbm_bgm(&r->g);
		r->stunted = below(&r->g.ind[GROWTH_LHFA], -2.0);
		r->wasted = below(&r->g.ind[GROWTH_WFLH], -2.0);
		r->muac = kbm_muac_child(r->in.muac_cm, r->age_months);
		changes(p, v, hist, n, r);
		ri.growth = &r->g;
		ri.status = r->nt;
		ri.two_t = r->two_t;
		ri.oedema = v->oedema;
		ri.muac_cm = r->in.muac_cm;
	}

	/* What earlier visits already gave, and whether stunting was known. */
	for (size_t i = 0; i < n; i++) {
		const struct visit *h = &hist[i];
		if (memcmp(h->uuid, v->uuid, UUID_LEN) == 0 || h->date > v->date)
			continue;
		given |= h->imm;
		blue_ever |= h->vitamin_a == VITA_BLUE;
		this_round |= h->vitamin_a != VITA_NONE && date_month_index(h->date) == vmonth;
		if (r->child && h->date < v->date && h->lenhei_mm) {
			struct desk_result old;
			memset(&old, 0, sizeof old);
			old.age_days = h->date - p->dob;
			growth_of(p, h, &old);
			stunting_known |= below(&old.g.ind[GROWTH_LHFA], -2.0);
		}
	}
	ri.stunting_known = stunting_known;

	if (p->kind == PERSON_PREGNANT) {
		ri.pregnant = true;
		ri.lila_cm = v->muac_mm ? v->muac_mm / 10.0 : NAN;
		ri.danger_sign = v->danger_signs != 0;
		r->kek = v->muac_mm && kbm_lila_kek(v->muac_mm / 10.0);
	}
	ri.bp_systolic_mmhg = v->bp_sys;
	ri.bp_diastolic_mmhg = v->bp_dia;
	r->refer = kbm_refer(&ri);

	if (p->kind == PERSON_CHILD && r->age_months >= 0) {
		int y, m, d;
		date_to_ymd(v->date, &y, &m, &d);
		r->imm_due = imm_due(r->age_months, given);
		r->vita_due = vita_due(r->age_months, m, blue_ever, this_round);
	}
	ilp_of(p, v, hist, n, r);
}
