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

/* The bool questions and their "not asked" bit. */
static bool *bool_answer(struct visit *v, enum visit_field f, unsigned *bit)
{
	switch (f) {
	case VF_OEDEMA: *bit = VISIT_Q_OEDEMA; return &v->oedema;
	case VF_COUNSEL: *bit = VISIT_Q_COUNSEL; return &v->counsel_asi;
	default: return NULL;
	}
}

int visit_answer(const struct visit *v, enum visit_field f)
{
	unsigned bit = 0;
	const bool *b = bool_answer((struct visit *)v, f, &bit);

	if (b)
		return (v->not_asked & bit) ? -1 : *b;
	switch (f) {
	case VF_ASI:
		return v->asi_recall < 0 ? -1 : v->asi_recall != 0;
	case VF_BF_CONTINUE:
		return v->bf_continue == BF_ASKED_YES ? 1 : v->bf_continue == BF_ASKED_NO ? 0 : -1;
	case VF_DANGER:
		return (v->not_asked & VISIT_Q_DANGER) ? -1 : v->danger_signs != 0;
	default:
		return -1;
	}
}

void visit_set_answer(struct visit *v, enum visit_field f, int answer)
{
	unsigned bit = 0;
	bool *b = bool_answer(v, f, &bit);

	if (b || f == VF_DANGER) {
		if (f == VF_DANGER) {
			bit = VISIT_Q_DANGER;
			v->danger_signs = answer > 0 ? (v->danger_signs ? v->danger_signs : 1) : 0;
		} else {
			*b = answer > 0;
		}
		v->not_asked = (uint8_t)(answer < 0 ? v->not_asked | bit : v->not_asked & ~bit);
	} else if (f == VF_ASI) {
		v->asi_recall = (int8_t)(answer < 0 ? -1 : answer > 0);
	} else if (f == VF_BF_CONTINUE) {
		v->bf_continue = answer < 0 ? BF_NOT_ASKED : answer > 0 ? BF_ASKED_YES : BF_ASKED_NO;
	}
}

bool visit_is_empty(const struct visit *v)
{
	return !v->weight_g && !v->lenhei_mm && !v->headc_mm && !v->muac_mm && !v->bp_sys &&
	       !v->gest_weeks && v->vitamin_a == VITA_NONE && !v->imm && !v->iron_tablets &&
	       !v->anc_no && !v->counsel_asi && !v->danger_signs && !v->home_visit;
}
