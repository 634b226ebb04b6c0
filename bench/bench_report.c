/* bench/bench_report.c: the monthly report over a large posyandu (issue 5):
 * about 5,000 people and 60,000 visits (ARCHITECTURE.md's upper bound),
 * made by core/demo.c into memory. The core figure needs no store: it is
 * the time core/report.c takes from the decrypted arrays to the numbers
 * (indexing, the monthly report, the follow-up list, the 12-month trend). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/demo.h"
#include "core/report.h"

static struct person *people;
static struct visit *visits;
static size_t np, nv, capp, capv;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int put_person(void *ctx, struct person *p)
{
	(void)ctx;
	if (np == capp) {
		struct person *g = realloc(people, (capp = capp ? 2 * capp : 1024) * sizeof *g);
		if (!g)
			return -1;
		people = g;
	}
	memset(p->uuid, 0, UUID_LEN);
	memcpy(p->uuid, &np, sizeof np);
	p->uuid[15] = 0xbe;
	people[np++] = *p;
	return 0;
}

static int put_visit(void *ctx, struct visit *v)
{
	(void)ctx;
	if (nv == capv) {
		struct visit *g = realloc(visits, (capv = capv ? 2 * capv : 8192) * sizeof *g);
		if (!g)
			return -1;
		visits = g;
	}
	memset(v->uuid, 0, UUID_LEN);
	memcpy(v->uuid, &nv, sizeof nv);
	v->uuid[15] = 0xef;
	visits[nv++] = *v;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#define RUNS 7

int main(void)
{
	struct demo_params dp = { 2800, 32, 11, 0 };
	struct demo_sink sink = { put_person, put_visit, NULL };
	struct report_input in;
	struct report_data *d = NULL;
	struct report_monthly m;
	struct report_followup fu;
	struct report_trend_point t[12];
	double ti[RUNS], tm[RUNS], tf[RUNS], tt[RUNS];
	int month;

	dp.today = date_from_ymd(2024, 9, 15);
	month = date_month_index(dp.today) - 1;              /* August 2024, a full month */
	if (demo_generate(&dp, &sink) < 0) {
		fprintf(stderr, "bench_report: out of memory\n");
		return 1;
	}
	in = (struct report_input){ people, np, visits, nv, NULL, 0 };
	for (int r = 0; r < RUNS; r++) {
		double t0 = now();
		report_data_free(d);
		if (!(d = report_data_new(&in, NULL)))
			return 1;
		ti[r] = now() - t0;
		t0 = now();
		if (report_monthly(d, month, DATE_NONE, &m, NULL) < 0)
			return 1;
		tm[r] = now() - t0;
		t0 = now();
		if (report_followup(d, month, DATE_NONE, &fu, NULL) < 0)
			return 1;
		tf[r] = now() - t0;
		if (r < RUNS - 1)
			report_followup_release(&fu);
		t0 = now();
		if (report_trend(d, month, 12, t, NULL) < 0)
			return 1;
		tt[r] = now() - t0;
	}
	qsort(ti, RUNS, sizeof ti[0], cmp_double);
	qsort(tm, RUNS, sizeof tm[0], cmp_double);
	qsort(tf, RUNS, sizeof tf[0], cmp_double);
	qsort(tt, RUNS, sizeof tt[0], cmp_double);
	printf("bench report: %zu people, %zu visits; S %d D %d N %d, %zu to follow up\n", np, nv,
	       m.all.s, m.all.d, m.all.n, fu.n);
	printf("bench report: median of %d: index %.1f ms, monthly report %.1f ms, "
	       "follow-up list %.1f ms, 12-month trend %.1f ms\n", RUNS, ti[RUNS / 2] * 1e3,
	       tm[RUNS / 2] * 1e3, tf[RUNS / 2] * 1e3, tt[RUNS / 2] * 1e3);
	report_followup_release(&fu);
	report_data_free(d);
	free(people);
	free(visits);
	return m.all.d == m.all.n + m.all.t + m.all.o + m.all.b ? 0 : 1;
}
