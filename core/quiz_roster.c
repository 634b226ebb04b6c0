/* core/quiz_roster.c: folding activity into the kader roster. */
#include "core/quiz_roster.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/person.h"
#include "core/banned.h"

int32_t quiz_months_before(int32_t day, int months)
{
	int y, m, d, mi;

	date_to_ymd(day, &y, &m, &d);
	mi = y * 12 + (m - 1) - months;
	y = mi / 12;
	m = mi % 12 + 1;
	if (d > date_days_in_month(y, m))
		d = date_days_in_month(y, m);
	return date_from_ymd(y, m, d);
}

bool quiz_roster_inactive(int32_t last_active, int32_t today)
{
	return last_active == DATE_NONE ||
	       last_active < quiz_months_before(today, QUIZ_INACTIVE_MONTHS);
}

static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = (char)(*a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a);
		char y = (char)(*b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b);
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* The row of E's person; a new row when ADD and there is room. */
static struct roster_row *find_row(struct roster_row *rows, size_t *n, size_t cap,
				   const struct roster_event *e, bool add)
{
	bool by_uuid = !uuid_is_zero(e->user);

	for (size_t i = 0; i < *n; i++) {
		if (by_uuid && memcmp(rows[i].user, e->user, 16) == 0)
			return &rows[i];
		if (!by_uuid && e->name[0] && same_name(rows[i].name, e->name) &&
		    (!e->posyandu[0] || !rows[i].posyandu[0] || strcmp(e->posyandu, rows[i].posyandu) == 0))
			return &rows[i];
	}
	if (!add || *n >= cap || (!by_uuid && !e->name[0]))
		return NULL;
	memset(&rows[*n], 0, sizeof rows[*n]);
	memcpy(rows[*n].user, e->user, 16);
	snprintf(rows[*n].name, sizeof rows[*n].name, "%s", e->name);
	snprintf(rows[*n].posyandu, sizeof rows[*n].posyandu, "%s", e->posyandu);
	rows[*n].start = rows[*n].last_training = rows[*n].last_duty = DATE_NONE;
	rows[*n].score_day = rows[*n].last_active = DATE_NONE;
	return &rows[(*n)++];
}

static int32_t later(int32_t a, int32_t b)
{
	if (a == DATE_NONE)
		return b;
	if (b == DATE_NONE)
		return a;
	return a > b ? a : b;
}

void quiz_roster_build(struct roster_row *rows, size_t *n, size_t cap,
		       const struct roster_event *ev, size_t nev, int32_t today)
{
	for (size_t i = 0; i < *n; i++) {          /* keep who they are, recompute the rest */
		struct roster_row keep = rows[i], *r = &rows[i];
		memset(r, 0, sizeof *r);
		memcpy(r->user, keep.user, 16);
		memcpy(r->name, keep.name, sizeof r->name);
		memcpy(r->posyandu, keep.posyandu, sizeof r->posyandu);
		r->role = keep.role;
		r->disabled = keep.disabled;
		r->start = r->last_training = r->last_duty = DATE_NONE;
		r->score_day = r->last_active = DATE_NONE;
	}
	for (size_t k = 0; k < nev; k++) {
		const struct roster_event *e = &ev[k];
		struct roster_row *r = find_row(rows, n, cap, e, true);

		if (!r || e->day == DATE_NONE)
			continue;
		if (r->start == DATE_NONE || e->day < r->start)
			r->start = e->day;
		switch (e->kind) {
		case ROSTER_TRAINING:
			r->trainings++;
			r->last_training = later(r->last_training, e->day);
			break;
		case ROSTER_DUTY:
			r->duty++;
			r->last_duty = later(r->last_duty, e->day);
			break;
		case ROSTER_ATTEMPT:
			if (!r->has_score || e->day >= r->score_day) {
				r->has_score = true;
				snprintf(r->bank, sizeof r->bank, "%s", e->bank);
				r->qkind = e->qkind;
				r->percent = e->percent;
				r->pass = e->pass;
				r->score_day = e->day;
			}
			break;
		default:
			break;
		}
		r->last_active = later(r->last_active, e->day);
	}
	for (size_t i = 0; i < *n; i++)
		rows[i].inactive = quiz_roster_inactive(rows[i].last_active, today);
}
