/* core/visit_fields.h: which fields of a visit apply to a person of a kind
 * and age (domain.md §4, §5): a child's length and oedema, a baby's
 * breastfeeding recall, vitamin A at 6-59 months, a pregnant woman's blood
 * pressure. The visit form shows a field only when it applies; `load
 * visits` refuses a value where it does not. One rule for both. */
#ifndef POSYANDU_CORE_VISIT_FIELDS_H
#define POSYANDU_CORE_VISIT_FIELDS_H

#include <stdbool.h>

#include "core/person.h"

enum visit_field {
	VF_DATE, VF_WEIGHT, VF_LENHEI, VF_MEASURE, VF_HEADC, VF_MUAC, VF_OEDEMA,
	VF_ASI,                    /* only breast milk yesterday (0-5 months) */
	VF_BF_CONTINUE,            /* still breastfed (6-23 months) */
	VF_COUNSEL,                /* breastfeeding counselling */
	VF_VITA, VF_IMM,
	VF_GEST, VF_BP, VF_IRON, VF_ANC, VF_DANGER,
	VF_NOTE,
	VF__COUNT
};

enum visit_fit {
	VF_FITS,
	VF_WRONG_KIND,             /* never for this kind of person */
	VF_WRONG_AGE,              /* not at this age */
	VF_AGE_UNKNOWN,            /* only at some ages, and the age is not known */
};

/* Does field F apply to a person of KIND aged MONTHS (completed months on
 * the visit's date; < 0 when the date of birth is unknown)? */
enum visit_fit visit_field_fit(enum visit_field f, enum person_kind kind, int months);
static inline bool visit_field_applies(enum visit_field f, enum person_kind kind, int months)
{
	return visit_field_fit(f, kind, months) == VF_FITS;
}

/* The yes/no questions of a visit are three-state (issue 12): -1 not
 * asked, 0 no, 1 yes, whatever the member's own encoding (asi_recall -1/0/1,
 * bf_continue BF_*, the bools with their VISIT_Q_* bit in not_asked,
 * danger_signs a bit set). F is VF_OEDEMA, VF_ASI, VF_BF_CONTINUE,
 * VF_COUNSEL or VF_DANGER; any other field reads -1 and is not set. */
int visit_answer(const struct visit *v, enum visit_field f);
void visit_set_answer(struct visit *v, enum visit_field f, int answer);

/* A visit with nothing measured and nothing given (no weight, length, arm,
 * head, blood pressure, weeks of pregnancy, capsule, vaccine, tablets, ANC
 * number, counselling, danger sign, and not a home visit) says nothing: it
 * is not saved, at the desk or by `load visits`. */
bool visit_is_empty(const struct visit *v);

#endif
