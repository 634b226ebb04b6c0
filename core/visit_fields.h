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
	/* Posyandu ILP (issue 14). The questions, from VF_GLUCOSE_FASTING to
	 * VF_DEVELOPMENT, are ASK_* members (visit_answer reads them all). */
	VF_GLUCOSE, VF_WAIST, VF_HB, VF_CHOLESTEROL, VF_URIC,
	VF_PUMA_PACKYEARS, VF_ADL, VF_KB,
	VF_HPHT, VF_GRAVIDA, VF_PARA, VF_TD, VF_VITA_PP,
	VF_GLUCOSE_FASTING, VF_TB, VF_SMOKING,
	VF_IRON_WEEKLY, VF_MENTAL, VF_RISK_ALCOHOL, VF_RISK_DRUGS, VF_RISK_SEX,
	VF_VISION, VF_HEARING, VF_DIET_SUGAR, VF_DIET_SALT, VF_DIET_FAT,
	VF_PUMA_BREATH, VF_PUMA_PHLEGM, VF_PUMA_COUGH, VF_PUMA_SPIROMETRY,
	VF_FALL, VF_KEK_FOOD, VF_PREG_CLASS, VF_POSTPARTUM,
	VF_DEWORM, VF_DIARRHOEA, VF_ORS_ZINC, VF_PMT, VF_DEVELOPMENT,
	VF__COUNT
};
#define VF_FIRST_ASK VF_GLUCOSE_FASTING
#define VF_LAST_ASK VF_DEVELOPMENT

enum visit_fit {
	VF_FITS,
	VF_WRONG_KIND,             /* never for this kind of person */
	VF_WRONG_AGE,              /* not at this age */
	VF_AGE_UNKNOWN,            /* only at some ages, and the age is not known */
};

/* Does field F apply to a person of KIND aged MONTHS (completed months on
 * the visit's date; < 0 when the date of birth is unknown)? Beside the kind,
 * the ILP fields follow the life-cycle group (core/ilp.h): a child of six
 * is asked what a school-age resident is asked. */
enum visit_fit visit_field_fit(enum visit_field f, enum person_kind kind, int months);
static inline bool visit_field_applies(enum visit_field f, enum person_kind kind, int months)
{
	return visit_field_fit(f, kind, months) == VF_FITS;
}

/* The yes/no questions of a visit are three-state (issue 12): -1 not
 * asked, 0 no, 1 yes, whatever the member's own encoding (asi_recall -1/0/1,
 * bf_continue BF_*, the bools with their VISIT_Q_* bit in not_asked,
 * danger_signs a bit set, the ILP questions ASK_*). F is VF_OEDEMA, VF_ASI,
 * VF_BF_CONTINUE, VF_COUNSEL, VF_DANGER or one of VF_FIRST_ASK ..
 * VF_LAST_ASK; any other field reads -1 and is not set. */
int visit_answer(const struct visit *v, enum visit_field f);
void visit_set_answer(struct visit *v, enum visit_field f, int answer);

/* A visit with nothing measured and nothing given (no weight, length, arm,
 * head, blood pressure, weeks of pregnancy, capsule, vaccine, tablets, ANC
 * number, counselling, danger sign, and not a home visit), and no ILP
 * measurement or answered ILP question, says nothing: it is not saved, at
 * the desk or by `load visits`. */
bool visit_is_empty(const struct visit *v);

/* Is F one of the three-state questions visit_answer reads? */
bool visit_field_is_question(enum visit_field f);

#endif
