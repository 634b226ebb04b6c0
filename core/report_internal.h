/* core/report_internal.h: what the report modules (core/report*.c) share.
 * Not for other modules: core/report.h is the public interface. The
 * functions declared here are commented where they are defined. */
#ifndef POSYANDU_CORE_REPORT_INTERNAL_H
#define POSYANDU_CORE_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/growth.h"
#include "core/kbm.h"
#include "core/person.h"
#include "core/report.h"

/* ---- report_data.c: the index and the month bounds ---- */

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

const struct person *rep_find_person(const struct report_data *d, const uint8_t uuid[UUID_LEN]);
const struct visit *const *rep_visits_of(const struct report_data *d, size_t pi, int32_t ref,
				     size_t *n);
int rep_bounds(int month, int32_t *ref_day, int32_t *first, struct err *err);
struct visit *rep_scratch_new(const struct report_data *d, struct err *err);

/* ---- report.c: one child in one month, and the facts the lists reuse ---- */

/* The start of a report of MONTH: its bounds (rep_bounds) and a scratch
 * array (rep_scratch_new), or NULL with ERR set. */
struct visit *rep_begin(const struct report_data *d, int month, int32_t *ref_day,
			int32_t *first, struct err *err);

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

void rep_child_month(const struct report_data *d, size_t pi, int month, int32_t first,
		 int32_t ref, struct visit *scratch, struct cm *c);
void rep_count_skdn(struct report_skdn *x, const struct person *p, const struct cm *c);

void rep_growth_of_visit(const struct person *p, const struct visit *v, struct growth_result *g);
void rep_status_of(const struct person *p, const struct visit *const *v, size_t n,
	       int32_t from, enum growth_cat cat[REPORT__INDICES]);
bool rep_cat_stunted(enum growth_cat c);
bool rep_cat_wasted(enum growth_cat c);

int rep_mother_works(const struct report_data *d, const struct person *p,
		     const struct person **mother);

/* Exclusive breastfeeding facts of a child up to REF (domain.md §5.4). */
struct asi_facts {
	int month_recall;          /* -1 none this month, else the last recall (0/1) at 0-5 m */
	bool recorded;             /* any recall at 0-5 months */
	bool broken;               /* any "no" at 0-5 months: the from-birth flag is false */
};
void rep_asi_of(const struct person *p, const struct visit *const *v, size_t n, int32_t first,
	    struct asi_facts *a);

bool rep_pregnancy_visit(const struct person *p, const struct visit *v);
struct preg_facts {
	bool seen, lila, kek, danger;
	int iron;
};
void rep_preg_of(const struct person *p, const struct visit *const *v, size_t n, int32_t first,
	     struct preg_facts *f);

/* Vitamin A facts of a child for the month (domain.md §5.2). */
struct vita_facts {
	bool blue_before, blue_now, red_now;
	bool blue_target, red_target;
};
void rep_vita_of(const struct visit *const *v, size_t n, int32_t first, int age,
	     struct vita_facts *f);
bool rep_campaign_month(int month);

#endif
