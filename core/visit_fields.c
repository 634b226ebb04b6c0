/* core/visit_fields.c: the table of which visit field applies to whom. */
#include "core/visit_fields.h"

#include "core/banned.h"

#define CHILD (1u << PERSON_CHILD)
#define PREGNANT (1u << PERSON_PREGNANT)
#define WOMEN (PREGNANT | (1u << PERSON_WOMAN))
#define ANYONE (CHILD | WOMEN)
#define ANY_AGE -1, -1

static const struct {
	unsigned kinds;            /* bits (1u << enum person_kind) */
	int from, to;              /* completed months, for a child; -1: any age */
} rules[VF__COUNT] = {
	[VF_DATE] = { ANYONE, ANY_AGE },
	[VF_WEIGHT] = { ANYONE, ANY_AGE },
	[VF_LENHEI] = { CHILD, ANY_AGE },
	[VF_MEASURE] = { CHILD, ANY_AGE },
	[VF_HEADC] = { CHILD, ANY_AGE },
	[VF_MUAC] = { ANYONE, 6, -1 },           /* MUAC from 6 months; LILA for women */
	[VF_OEDEMA] = { CHILD, ANY_AGE },
	[VF_ASI] = { CHILD, 0, 5 },              /* domain.md §5.4 */
	[VF_BF_CONTINUE] = { CHILD, 6, 23 },
	[VF_COUNSEL] = { ANYONE, 0, 23 },
	[VF_VITA] = { CHILD, 6, 59 },            /* domain.md §5.2 */
	[VF_IMM] = { CHILD, 0, 59 },             /* domain.md §5.1 */
	[VF_GEST] = { PREGNANT, ANY_AGE },
	[VF_BP] = { PREGNANT, ANY_AGE },
	[VF_IRON] = { PREGNANT, ANY_AGE },
	[VF_ANC] = { PREGNANT, ANY_AGE },
	[VF_DANGER] = { PREGNANT, ANY_AGE },
	[VF_NOTE] = { ANYONE, ANY_AGE },
};

enum visit_fit visit_field_fit(enum visit_field f, enum person_kind kind, int months)
{
	if (f < 0 || f >= VF__COUNT || kind < PERSON_CHILD || kind > PERSON_WOMAN ||
	    !(rules[f].kinds & (1u << kind)))
		return VF_WRONG_KIND;
	/* the age bounds are a child's: a woman's fields do not change with age */
	if (kind != PERSON_CHILD || (rules[f].from < 0 && rules[f].to < 0))
		return VF_FITS;
	if (months < 0)
		return VF_AGE_UNKNOWN;
	if ((rules[f].from >= 0 && months < rules[f].from) || (rules[f].to >= 0 && months > rules[f].to))
		return VF_WRONG_AGE;
	return VF_FITS;
}
