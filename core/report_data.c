/* core/report_data.c: the index every report reads (people by uuid, each
 * person's visits by date, sessions by date), built once and reused for
 * several months, and the month bounds every report starts from. */
#include "core/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/report_internal.h"
#include "core/banned.h"

/* ---- the index ---- */

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

const struct person *rep_find_person(const struct report_data *d, const uint8_t uuid[UUID_LEN])
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
	if (d->np > 1)
		qsort(d->by_uuid, d->np, sizeof *d->by_uuid, cmp_person_uuid);

	/* Visits grouped by their person (counting sort), then by date. */
	for (size_t i = 0; i < in->nvisits; i++) {
		const struct person *p = rep_find_person(d, in->visits[i].person);
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
		if (d->count[i] > 1)
			qsort(d->vis + d->first[i], d->count[i], sizeof *d->vis, cmp_visit);

	for (size_t i = 0; i < in->nsessions; i++)
		d->sess[i] = &in->sessions[i];
	d->nsess = in->nsessions;
	if (d->nsess > 1)
		qsort(d->sess, d->nsess, sizeof *d->sess, cmp_session);
	free(owner);
	return d;
nomem:
	free(owner);
	report_data_free(d);
	err_set(err, ERR_NOMEM, NULL, "out of memory");
	return NULL;
}

/* The visits of person PI (sorted) up to REF. */
const struct visit *const *rep_visits_of(const struct report_data *d, size_t pi, int32_t ref,
				     size_t *n)
{
	const struct visit *const *v = d->vis + d->first[pi];
	size_t k = d->count[pi];
	while (k && v[k - 1]->date > ref)
		k--;
	*n = k;
	return v;
}

int32_t report_month_last_day(int month)
{
	int y = month / 12, m = month % 12 + 1;
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

int report_ref_day(int month, int32_t today, int32_t *ref, struct err *err)
{
	if (month > date_month_index(today))
		return err_set(err, ERR_RANGE, "month-future", "month after the current one");
	*ref = report_month_last_day(month);
	return 0;
}

static int32_t month_first_day(int month)
{
	return date_from_ymd(month / 12, month % 12 + 1, 1);
}

int rep_bounds(int month, int32_t *ref_day, int32_t *first, struct err *err)
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

struct visit *rep_scratch_new(const struct report_data *d, struct err *err)
{
	struct visit *s = malloc((d->maxv + 1) * sizeof *s);
	if (!s)
		err_set(err, ERR_NOMEM, NULL, "out of memory");
	return s;
}
