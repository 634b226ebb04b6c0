/* core/visit_check.h: may a visit be saved as it is (issue 12)? The one
 * rule behind the desk's F2 and `posyandu load visits`:
 *   - refused: a visit with nothing in it; a dose below its minimum age or
 *     interval, or past its last age; a capsule of the wrong colour for the
 *     age, or a second blue one;
 *   - confirmed: a value WHO flags as implausible, or a change from the
 *     previous measurement beyond what a month allows: saved only when the
 *     kader confirms it (the desk asks, a file row says confirmed=y);
 *   - with a reason: a catch-up a health worker may give (an outbreak MR
 *     dose from 6 months, MR2 before 18 months, BCG after 12 months, a
 *     capsule outside February and August): saved only with its reason.
 * Posyandu ILP (issue 14): a screening value beyond what a device reads is
 * refused, an unusual one confirmed (core/measure.c's table); so are a
 * blood pressure whose upper number is not above the lower, a value in a
 * field that is not for this person (core/visit_fields.h; the weekly iron
 * tablet only for girls), a code out of its range (Td T1-T5, ADL 0-20),
 * para not below gravida, an HPHT after the visit or more than 44 weeks
 * before it; weeks of pregnancy that disagree with the HPHT are confirmed,
 * and deworming outside February and August needs its reason.
 * The checks are core's; the words are the front end's (app/visit_check_text.c). */
#ifndef POSYANDU_CORE_VISIT_CHECK_H
#define POSYANDU_CORE_VISIT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/desk.h"
#include "core/imm.h"
#include "core/person.h"
#include "core/visit_fields.h"

enum vcheck_level { VCHECK_REFUSE = 1, VCHECK_CONFIRM, VCHECK_REASON };

enum vcheck_code {
	VCHECK_EMPTY,              /* nothing measured, nothing given */
	VCHECK_IMPLAUSIBLE,        /* WARN: enum measure_warn bits */
	VCHECK_WEIGHT,             /* CHANGE: DESK_CHANGE_WEIGHT_* against PREV (g) */
	VCHECK_LENGTH,             /* CHANGE: DESK_CHANGE_LENGTH_* against PREV (mm) */
	VCHECK_IMM,                /* ANTIGEN, VERDICT (enum imm_verdict), RULE */
	VCHECK_VITA,               /* VERDICT (enum vita_verdict), the capsule in the visit */
	/* Posyandu ILP (issue 14) */
	VCHECK_RANGE,              /* REFUSE: FIELD (enum measure_field), VALUE not possible */
	VCHECK_UNLIKELY,           /* CONFIRM: FIELD (enum measure_field), VALUE unusual */
	VCHECK_BP,                 /* REFUSE: NOW systolic, PREV diastolic: one without
	                              the other, or the upper not above the lower */
	VCHECK_BMI,                /* CONFIRM: VALUE the BMI, outside VCHECK_BMI_MIN-MAX */
	VCHECK_NOT_FOR,            /* REFUSE: FIELD (enum visit_field) given for someone it
	                              is not for (VERDICT: enum visit_fit, or VF_FITS for a
	                              boy's weekly iron tablet) */
	VCHECK_CODE,               /* REFUSE: FIELD (enum visit_field), NOW out of its codes */
	VCHECK_PARA,               /* REFUSE: NOW gravida, PREV births before (para) */
	VCHECK_HPHT,               /* REFUSE: VERDICT VCHECK_HPHT_*, NOW days from HPHT */
	VCHECK_GEST,               /* CONFIRM: NOW weeks typed, PREV weeks from the HPHT */
	VCHECK_DEWORM,             /* REASON: deworming outside February and August */
};
enum { VCHECK_HPHT_AFTER = 1, VCHECK_HPHT_OLD };

/* An HPHT more than this many days before the visit is refused: 44 weeks,
 * two beyond the 42 at which every pregnancy is delivered. */
#define VCHECK_HPHT_MAX_DAYS (44 * 7)
/* Is HPHT (a day number) the last period of a pregnancy seen on DAY: not
 * after it, and at most VCHECK_HPHT_MAX_DAYS before? False for 0 (none). */
bool visit_hpht_fits(int32_t hpht, int32_t day);
/* Does EARLIER (a visit of the same woman) belong to the pregnancy seen on
 * DAY: made within the longest pregnancy, with an HPHT (if any) that still
 * fits DAY? What a new visit may carry over from it (HPHT, G, P). */
bool visit_same_pregnancy(const struct visit *earlier, int32_t day);
/* Weeks of pregnancy typed and weeks counted from the HPHT may differ by
 * this much before the kader must confirm (see check_pregnancy). */
#define VCHECK_GEST_SLACK_WEEKS 2
/* A BMI outside this is a slip in the weight or the height (school age up). */
#define VCHECK_BMI_MIN 10.0
#define VCHECK_BMI_MAX 60.0

struct vcheck {
	enum vcheck_code code;
	enum vcheck_level level;
	unsigned warn, change;
	long now, prev;            /* g or mm */
	int32_t prev_date;
	int antigen, verdict;
	const struct imm_rule *rule;
	int field;                 /* VCHECK_RANGE ... VCHECK_CODE, see above */
	double value;              /* in the field's unit (core/measure.h) */
};

/* Every dose, the growth checks, and at most one per visit field. */
#define VCHECK_MAX (IMM__COUNT + VF__COUNT + 8)

/* Every issue of visit V of person P (HIST: P's other visits, any order;
 * V itself, by uuid, is skipped) into OUT (VCHECK_MAX): how many. R, when
 * not NULL, gets the assessment the checks used. */
size_t visit_check(const struct person *p, const struct visit *v, const struct visit *hist,
		   size_t n, struct vcheck *out, struct desk_result *r);

/* The worst level of OUT[0..N) (0: none). */
/* One visit per person per day: another visit of HIST (N of them, the
 * person's) on V's date whose uuid is not V's. */
bool visit_same_day(const struct visit *v, const struct visit *hist, size_t n);
enum vcheck_level visit_check_worst(const struct vcheck *out, size_t n);

#endif
