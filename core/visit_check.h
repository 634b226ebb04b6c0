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
 * The checks are core's; the words are the front end's (app/visit_check_text.c). */
#ifndef POSYANDU_CORE_VISIT_CHECK_H
#define POSYANDU_CORE_VISIT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/desk.h"
#include "core/imm.h"
#include "core/person.h"

enum vcheck_level { VCHECK_REFUSE = 1, VCHECK_CONFIRM, VCHECK_REASON };

enum vcheck_code {
	VCHECK_EMPTY,              /* nothing measured, nothing given */
	VCHECK_IMPLAUSIBLE,        /* WARN: enum measure_warn bits */
	VCHECK_WEIGHT,             /* CHANGE: DESK_CHANGE_WEIGHT_* against PREV (g) */
	VCHECK_LENGTH,             /* CHANGE: DESK_CHANGE_LENGTH_* against PREV (mm) */
	VCHECK_IMM,                /* ANTIGEN, VERDICT (enum imm_verdict), RULE */
	VCHECK_VITA,               /* VERDICT (enum vita_verdict), the capsule in the visit */
};

struct vcheck {
	enum vcheck_code code;
	enum vcheck_level level;
	unsigned warn, change;
	long now, prev;            /* g or mm */
	int32_t prev_date;
	int antigen, verdict;
	const struct imm_rule *rule;
};

#define VCHECK_MAX (IMM__COUNT + 6)

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
