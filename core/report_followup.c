/* core/report_followup.c: the follow-up lists (domain.md §6.3), one line
 * per person with a reason to be visited, from the same per-child facts as
 * the monthly report (core/report.c). */
#include "core/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/growth.h"
#include "core/imm.h"
#include "core/kbm.h"
#include "core/report_internal.h"
#include "core/banned.h"

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
	{ REPORT_R_BP_HIGH, "bp_high" },
	{ REPORT_R_GLUCOSE_HIGH, "glucose_high" },
	{ REPORT_R_ANAEMIA, "anaemia" },
	{ REPORT_R_TB, "tb_suspect" },
	{ REPORT_R_PUMA, "puma" },
	{ REPORT_R_REFER, "refer" },
};
const size_t report_reasons_len = sizeof report_reasons / sizeof report_reasons[0];

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

/* The ILP reasons (domain.md §6.3 "adults with high BP or glucose", and
 * what the thresholds of issue 14 refer): judged by ilp_assess() on the
 * last visit of the month, as the monthly report's ILP counts; a
 * pregnancy visit counts too (her blood pressure, Hb and TB symptoms). */
static unsigned ilp_reasons(const struct person *p, const struct visit *const *v, size_t n,
			    int32_t first)
{
	static const struct { unsigned flag, reason; } map[] = {
		{ ILP_F_BP_HIGH, REPORT_R_BP_HIGH }, { ILP_F_GLUCOSE_HIGH, REPORT_R_GLUCOSE_HIGH },
		{ ILP_F_ANAEMIA, REPORT_R_ANAEMIA }, { ILP_F_TB, REPORT_R_TB },
		{ ILP_F_PUMA, REPORT_R_PUMA }, { ILP_F_DANGER, REPORT_R_DANGER },
	};
	struct ilp_result r;
	unsigned why = 0;

	if (!n || v[n - 1]->date < first)
		return 0;
	ilp_assess(p, v[n - 1], NULL, &r);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (r.flags & map[i].flag) {
			why |= map[i].reason;
			r.flags &= ~map[i].flag;
		}
	/* whatever else the panel says "refer" for must be followed up too */
	for (size_t i = 0; i < ilp_flags_len; i++)
		if ((r.flags & ilp_flags[i].bit) && ilp_flags[i].refer)
			why |= REPORT_R_REFER;
	return why;
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
	rep_status_of(p, v, n, first, cat);
	if (rep_cat_wasted(cat[REPORT_WFLH]))
		why |= REPORT_R_WASTED;
	for (size_t i = n; i-- > 0;) {
		struct growth_result g;
		if (!v[i]->lenhei_mm)
			continue;
		rep_growth_of_visit(p, v[i], &g);
		if (growth_category(&g, GROWTH_LHFA) == GROWTH_CAT_NONE)
			continue;
		if (rep_cat_stunted(growth_category(&g, GROWTH_LHFA)))
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
	if (rep_campaign_month(month)) {
		struct vita_facts f;
		rep_vita_of(v, n, first, c->age, &f);
		if ((f.blue_target && !f.blue_now) || (f.red_target && !f.red_now))
			why |= REPORT_R_VITA_MISSED;
	}
	if (c->age <= 5 && rep_mother_works(d, p, NULL) == ASK_YES) {
		struct asi_facts a;
		rep_asi_of(p, v, n, first, &a);
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
	if (!(scratch = rep_begin(d, month, &ref_day, &first, err)))
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

		rep_child_month(d, pi, month, first, ref_day, scratch, &c);
		v = rep_visits_of(d, pi, ref_day, &n);
		memset(r, 0, sizeof *r);
		r->p = p;
		r->last_visit = c.last_visit;
		r->age_months = p->dob != DATE_NONE && p->dob <= ref_day ? date_age_months(p->dob, ref_day) : -1;
		if (p->kind == PERSON_CHILD) {
			r->reasons = child_reasons(d, p, v, n, month, first, &c, &r->imm_overdue);
			rep_mother_works(d, p, &r->mother);
		} else {
			struct preg_facts pf;
			rep_preg_of(p, v, n, first, &pf);
			r->reasons = (pf.kek ? REPORT_R_KEK : 0) | (pf.danger ? REPORT_R_DANGER : 0);
		}
		r->reasons |= ilp_reasons(p, v, n, first);
		if (r->reasons)
			f->n++;
	}
	if (f->n > 1)
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
