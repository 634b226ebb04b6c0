/* core/report_sessions.c: the reports over a span of months: the D/S and
 * N/D trend and the session evidence for accreditation (domain.md §6.4). */
#include "core/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/report_internal.h"
#include "core/banned.h"

/* ---- trend ---- */

int report_trend(const struct report_data *d, int last, int n, struct report_trend_point *out,
		 struct err *err)
{
	struct visit *scratch;

	if (n <= 0)
		return 0;
	if (!(scratch = rep_scratch_new(d, err)))
		return -1;
	for (int k = 0; k < n; k++) {
		int month = last - (n - 1) + k;
		int32_t ref = DATE_NONE, first;
		struct report_skdn x;
		struct report_trend_point *t = &out[k];

		memset(t, 0, sizeof *t);
		t->month = month;
		if (rep_bounds(month, &ref, &first, err) < 0) {
			free(scratch);
			return -1;
		}
		memset(&x, 0, sizeof x);
		for (size_t pi = 0; pi < d->np; pi++) {
			struct cm c;
			if (d->people[pi].kind != PERSON_CHILD)
				continue;
			rep_child_month(d, pi, month, first, ref, scratch, &c);
			rep_count_skdn(&x, &d->people[pi], &c);
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
			  : rep_pregnancy_visit(p, v[i]) ? &row->pregnant : &row->women) += 1;
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
	if (rep_bounds(from, &tmp, &lo, err) < 0)
		return -1;
	tmp = DATE_NONE;
	if (rep_bounds(to, &tmp, &hi, err) < 0)
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

		v = rep_visits_of(d, pi, hi, &n);
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
				preg |= rep_pregnancy_visit(p, v[i]);
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
