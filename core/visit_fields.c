/* core/visit_fields.c: the table of which visit field applies to whom. */
#include "core/visit_fields.h"

#include <stddef.h>

#include "core/ilp.h"

#include "core/banned.h"

/* Who a rule is for: kinds (1u << enum person_kind) and, above them, the
 * ILP groups (1u << (8 + enum ilp_group)). */
#define CHILD (1u << PERSON_CHILD)
#define PREGNANT (1u << PERSON_PREGNANT)
#define WOMAN (1u << PERSON_WOMAN)
#define WOMEN (PREGNANT | WOMAN)
#define RESIDENT (1u << PERSON_RESIDENT)
#define G(g) (1u << (8 + (g)))
#define SCHOOL G(ILP_SCHOOL)
#define ADOLESCENT G(ILP_ADOLESCENT)
#define ADULT G(ILP_ADULT)
#define ELDERLY G(ILP_ELDERLY)
#define GROUPS (SCHOOL | ADOLESCENT | ADULT | ELDERLY)
#define ANYONE (CHILD | WOMEN | RESIDENT | GROUPS)
#define ANY_AGE -1, -1

static const struct {
	unsigned who;
	int from, to;              /* completed months, for a child; -1: any age */
} rules[VF__COUNT] = {
	[VF_DATE] = { ANYONE, ANY_AGE },
	[VF_WEIGHT] = { ANYONE, ANY_AGE },
	[VF_LENHEI] = { CHILD | GROUPS, ANY_AGE },   /* standing height for BMI */
	[VF_MEASURE] = { CHILD | GROUPS, ANY_AGE },
	[VF_HEADC] = { CHILD, ANY_AGE },
	[VF_MUAC] = { ANYONE, 6, -1 },           /* MUAC from 6 months; LILA for women */
	[VF_OEDEMA] = { CHILD, ANY_AGE },
	[VF_ASI] = { CHILD, 0, 5 },              /* domain.md §5.4 */
	[VF_BF_CONTINUE] = { CHILD, 6, 23 },
	[VF_COUNSEL] = { CHILD | WOMEN, 0, 23 },
	[VF_VITA] = { CHILD, 6, 59 },            /* domain.md §5.2 */
	[VF_IMM] = { CHILD, 0, 59 },             /* domain.md §5.1 */
	[VF_GEST] = { PREGNANT, ANY_AGE },
	[VF_BP] = { PREGNANT | GROUPS, ANY_AGE },   /* domain.md §2.6, §2.7 */
	[VF_IRON] = { PREGNANT, ANY_AGE },
	[VF_ANC] = { PREGNANT, ANY_AGE },
	[VF_DANGER] = { PREGNANT, ANY_AGE },
	[VF_NOTE] = { ANYONE, ANY_AGE },
	/* Posyandu ILP: domain.md §1.4, §2.2-2.7, §5.3 */
	[VF_GLUCOSE] = { ADOLESCENT | ADULT | ELDERLY, ANY_AGE },
	[VF_GLUCOSE_FASTING] = { ADOLESCENT | ADULT | ELDERLY, ANY_AGE },
	[VF_WAIST] = { GROUPS, ANY_AGE },
	[VF_HB] = { PREGNANT | GROUPS, ANY_AGE },
	[VF_TB] = { ANYONE, ANY_AGE },
	[VF_SMOKING] = { ADOLESCENT | ADULT | ELDERLY, ANY_AGE },
	[VF_IRON_WEEKLY] = { ADOLESCENT, ANY_AGE },          /* girls: core/visit_check.c */
	[VF_MENTAL] = { ADOLESCENT, ANY_AGE },
	[VF_RISK_ALCOHOL] = { ADOLESCENT, ANY_AGE },
	[VF_RISK_DRUGS] = { ADOLESCENT, ANY_AGE },
	[VF_RISK_SEX] = { ADOLESCENT, ANY_AGE },
	[VF_CHOLESTEROL] = { ADULT | ELDERLY, ANY_AGE },
	[VF_URIC] = { ADULT | ELDERLY, ANY_AGE },
	[VF_VISION] = { ADULT | ELDERLY, ANY_AGE },
	[VF_HEARING] = { ADULT | ELDERLY, ANY_AGE },
	[VF_DIET_SUGAR] = { ADULT | ELDERLY, ANY_AGE },
	[VF_DIET_SALT] = { ADULT | ELDERLY, ANY_AGE },
	[VF_DIET_FAT] = { ADULT | ELDERLY, ANY_AGE },
	[VF_PUMA_BREATH] = { ADULT | ELDERLY, ANY_AGE },
	[VF_PUMA_PHLEGM] = { ADULT | ELDERLY, ANY_AGE },
	[VF_PUMA_COUGH] = { ADULT | ELDERLY, ANY_AGE },
	[VF_PUMA_SPIROMETRY] = { ADULT | ELDERLY, ANY_AGE },
	[VF_PUMA_PACKYEARS] = { ADULT | ELDERLY, ANY_AGE },
	[VF_ADL] = { ELDERLY, ANY_AGE },
	[VF_FALL] = { ELDERLY, ANY_AGE },
	/* couples of reproductive age: mothers, adults, and the married
	 * adolescents the PUS register holds (domain.md §2.5) */
	[VF_KB] = { WOMAN | ADOLESCENT | ADULT, ANY_AGE },
	[VF_HPHT] = { PREGNANT, ANY_AGE },
	[VF_GRAVIDA] = { PREGNANT, ANY_AGE },
	[VF_PARA] = { PREGNANT, ANY_AGE },
	/* pregnant women and WUS (15-49), who may be registered as residents;
	 * boys and men get Td at school (BIAS) too */
	[VF_TD] = { WOMEN | ADOLESCENT | ADULT, ANY_AGE },
	[VF_KEK_FOOD] = { PREGNANT, ANY_AGE },
	[VF_PREG_CLASS] = { PREGNANT, ANY_AGE },
	[VF_POSTPARTUM] = { WOMAN, ANY_AGE },
	[VF_VITA_PP] = { WOMAN, ANY_AGE },
	[VF_DEWORM] = { CHILD, 12, 59 },                     /* domain.md §5.3 */
	[VF_DIARRHOEA] = { CHILD, 0, 59 },
	[VF_ORS_ZINC] = { CHILD, 0, 59 },
	[VF_PMT] = { CHILD, 0, 59 },
	[VF_DEVELOPMENT] = { CHILD, 0, 72 },                 /* KPSP up to 72 months */
};

/* The ASK_* member of each ILP question. */
static const size_t ask_member[VF__COUNT] = {
#define ASK(f, m) [f] = offsetof(struct visit, m) + 1
	ASK(VF_GLUCOSE_FASTING, glucose_fasting), ASK(VF_TB, tb_symptoms),
	ASK(VF_SMOKING, smoking), ASK(VF_IRON_WEEKLY, iron_weekly),
	ASK(VF_MENTAL, mental_problem), ASK(VF_RISK_ALCOHOL, risk_alcohol),
	ASK(VF_RISK_DRUGS, risk_drugs), ASK(VF_RISK_SEX, risk_sex),
	ASK(VF_VISION, vision_problem), ASK(VF_HEARING, hearing_problem),
	ASK(VF_DIET_SUGAR, diet_sugar), ASK(VF_DIET_SALT, diet_salt), ASK(VF_DIET_FAT, diet_fat),
	ASK(VF_PUMA_BREATH, puma_breath), ASK(VF_PUMA_PHLEGM, puma_phlegm),
	ASK(VF_PUMA_COUGH, puma_cough), ASK(VF_PUMA_SPIROMETRY, puma_spirometry),
	ASK(VF_FALL, fall_risk), ASK(VF_KEK_FOOD, kek_food), ASK(VF_PREG_CLASS, preg_class),
	ASK(VF_POSTPARTUM, postpartum), ASK(VF_DEWORM, deworm), ASK(VF_DIARRHOEA, diarrhoea),
	ASK(VF_ORS_ZINC, ors_zinc), ASK(VF_PMT, pmt), ASK(VF_DEVELOPMENT, development),
#undef ASK
};

static uint8_t *ask_of(struct visit *v, enum visit_field f)
{
	if (f < VF_FIRST_ASK || f > VF_LAST_ASK || !ask_member[f])
		return NULL;
	return (uint8_t *)v + ask_member[f] - 1;
}

bool visit_field_is_question(enum visit_field f)
{
	return f == VF_OEDEMA || f == VF_ASI || f == VF_BF_CONTINUE || f == VF_COUNSEL ||
	       f == VF_DANGER || (f >= VF_FIRST_ASK && f <= VF_LAST_ASK);
}

enum visit_fit visit_field_fit(enum visit_field f, enum person_kind kind, int months)
{
	unsigned who;
	enum ilp_group g;

	if (f < 0 || f >= VF__COUNT || kind < PERSON_CHILD || kind > PERSON_RESIDENT)
		return VF_WRONG_KIND;
	g = ilp_group_for(kind, months);
	who = (1u << kind) | (g != ILP_NONE ? G(g) : 0);
	if (!(rules[f].who & who)) {
		/* a resident's fields, or a group field, wait for an age */
		if (months < 0 && (kind == PERSON_RESIDENT || kind == PERSON_CHILD) &&
		    (rules[f].who & GROUPS))
			return VF_AGE_UNKNOWN;
		return VF_WRONG_KIND;
	}
	/* the age bounds are a child's: a woman's fields do not change with age,
	 * and a group's age is its own */
	if (kind != PERSON_CHILD || !(rules[f].who & CHILD) ||
	    (rules[f].from < 0 && rules[f].to < 0))
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
	default: {
		const uint8_t *a = ask_of((struct visit *)v, f);
		return !a || *a == ASK_NOT ? -1 : *a == ASK_YES;
	}
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
	} else {
		uint8_t *a = ask_of(v, f);
		if (a)
			*a = answer < 0 ? ASK_NOT : answer > 0 ? ASK_YES : ASK_NO;
	}
}

/* Any ILP measurement taken or question answered. */
static bool ilp_recorded(const struct visit *v)
{
	for (int f = VF_FIRST_ASK; f <= VF_LAST_ASK; f++)
		if (ask_member[f] && *((const uint8_t *)v + ask_member[f] - 1) != ASK_NOT)
			return true;
	return v->glucose_mgdl || v->waist_mm || v->hb_dgl || v->cholesterol_mgdl ||
	       v->uric_dmgdl || v->puma_packyears || v->adl || v->kb_method || v->hpht ||
	       v->gravida || v->para || v->td_status || v->vita_pp;
}

bool visit_is_empty(const struct visit *v)
{
	return !v->weight_g && !v->lenhei_mm && !v->headc_mm && !v->muac_mm && !v->bp_sys &&
	       !v->gest_weeks && v->vitamin_a == VITA_NONE && !v->imm && !v->iron_tablets &&
	       !v->anc_no && !v->counsel_asi && !v->danger_signs && !v->home_visit &&
	       !ilp_recorded(v);
}
