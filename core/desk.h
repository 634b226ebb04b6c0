/* core/desk.h: what the result panel says after a visit is saved (domain.md
 * §4, §5): age, z-scores and their Permenkes categories, N/T/O/B against the
 * last weighing with the KBM, 2T, BGM, MUAC/LILA, implausible values, what is
 * due (immunisations, vitamin A) and the referral reasons. The screen draws
 * it; every rule is here. */
#ifndef POSYANDU_CORE_DESK_H
#define POSYANDU_CORE_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/growth.h"
#include "core/ilp.h"
#include "core/kbm.h"
#include "core/person.h"

struct desk_result {
	int32_t age_days;              /* < 0 when the date of birth is unknown */
	int age_months;                /* completed months */
	bool child;                    /* a child 0-59 months: growth applies */
	struct growth_input in;
	struct growth_result g;
	enum growth_cat cat[GROWTH__COUNT];
	enum kbm_status nt;            /* N/T/O/B of this weighing */
	bool nt_age0;                  /* judged at 0 months with the 1-month KBM */
	int kbm_g;                     /* the minimum gain for the age, 0 = none */
	int gain_g;                    /* weight now - last month's, when has_gain */
	bool has_gain;
	bool two_t, bgm, stunted, wasted;
	enum kbm_muac muac;
	bool kek;                      /* pregnant woman, LILA < 23.5 cm */
	unsigned refer;                /* enum kbm_refer bits */
	unsigned warn;                 /* enum measure_warn bits: re-measure? */
	uint32_t imm_due;              /* antigens due after this visit */
	enum vitamin_a vita_due;       /* capsule due this month, after this visit */
	/* Since the previous measurement (core/measure.h, measure_change_check):
	 * DESK_CHANGE_* bits, and the previous values with their dates. */
	unsigned change;
	uint32_t prev_weight_g;
	int32_t prev_weight_date;
	uint16_t prev_lenhei_mm;
	int32_t prev_lenhei_date;
	/* Posyandu ILP (core/ilp.h): the group's screening, the maternal and
	 * the children's services; deworming already given this round is
	 * looked up in the history. */
	struct ilp_result ilp;
	int td_next;                   /* women: the next Td dose (2..5), 0 none */
	int32_t td_due;                /* from this day (DATE_NONE: unknown, give now) */
};
enum {
	DESK_CHANGE_WEIGHT_GAIN = 1u << 0, DESK_CHANGE_WEIGHT_LOSS = 1u << 1,
	DESK_CHANGE_LENGTH_GAIN = 1u << 2, DESK_CHANGE_LENGTH_LOSS = 1u << 3,
};
/* A value the kader should doubt: implausible (WHO) or a change beyond a
 * month. The panel never calls such a weighing "growing well". */
static inline bool desk_doubtful(const struct desk_result *r)
{
	return r->warn || r->change;
}

/* Assess visit V of person P. HIST holds P's other visits (any order; V
 * itself, by uuid, is skipped), used for the last weighing, 2T, what was
 * already given and whether stunting was known. */
void desk_assess(const struct person *p, const struct visit *v, const struct visit *hist,
		 size_t n, struct desk_result *out);

/* Is P a child of 0-59 completed months on DAY? */
bool desk_is_balita(const struct person *p, int32_t day);

/* The children 0-59 months on DAY who were not weighed in DAY's month (in S
 * but not in D, domain.md §3.3, §6.3): their indices into P, at most MAX,
 * into IDX. Returns how many. */
size_t desk_not_weighed(const struct person *p, size_t np, const struct visit *v, size_t nv,
			int32_t day, size_t *idx, size_t max);

/* The default position for measuring a child of AGE_DAYS: lying below 731
 * days, standing from then (WHO; domain.md §4.3). */
char desk_default_measure(int32_t age_days);

#endif
