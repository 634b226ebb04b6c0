/* core/ilp_steps.h: the five steps (5 langkah) of a Posyandu ILP opening
 * day (domain.md §1.3-1.5; issue 14) and each person's progress through
 * them on a day. The sources disagree on the order and names of steps 4-5,
 * so the steps are a list a puskesmas may reorder, rename or shorten
 * ([ilp] steps in posyandu.ini, man/posyandu.ini.5); whatever the order,
 * each step has a meaning checked from the data:
 *
 *   register  present and registered with what the judgement needs: a
 *             child's or resident's sex and date of birth;
 *   measure   the minimum measurements of the person's group, among the
 *             fields that apply (core/visit_fields.h):
 *               everyone             weight (BB)
 *               child, ILP groups    length/height (PB/TB)
 *               pregnant             LILA
 *               pregnant, groups     blood pressure (TD): from school age,
 *                                    and mothers (adults)
 *               adult, elderly       waist (LP), the central-obesity screen
 *             head circumference is taken "in certain months" and glucose,
 *             Hb, cholesterol need a health worker: not required;
 *   record    a visit is saved (its doubtful values were confirmed before
 *             the store took it: core/visit_check.h) and the questions the
 *             judgement reads were answered, not left "not asked": a
 *             child's oedema, a baby's (0-5 months) breastfeeding recall,
 *             a pregnant woman's danger signs, the TB screening of the ILP
 *             groups;
 *   serve     nothing due is left: the immunisations and vitamin A capsule
 *             core/desk.h says are due after this visit; breastfeeding
 *             counselling answered where it applies (0-23 months, women);
 *             iron tablets for a pregnant woman; for KEK (LILA < 23,5 cm)
 *             the supplementary food answered; deworming answered for
 *             12-59 months in February and August; ORS and zinc answered
 *             for diarrhoea; the weekly iron tablet answered for adolescent
 *             girls; the two postpartum red capsules. A question answered
 *             "no" counts: the service was declined or not possible, and
 *             the kader said so;
 *   sync      the day's records (the visit and the person) have gone into
 *             a bundle made here: nothing of them is newer than the last
 *             export (the caller finds that in the store). */
#ifndef POSYANDU_CORE_ILP_STEPS_H
#define POSYANDU_CORE_ILP_STEPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ilp.h"
#include "core/person.h"

enum ilp_step { STEP_REGISTER, STEP_MEASURE, STEP_RECORD, STEP_SERVE, STEP_SYNC, STEP__COUNT };

#define ILP_STEP_LABEL_MAX 48      /* bytes of a configured label, with its NUL */

/* The steps of the day, in the order the posyandu runs them. A label of ""
 * means the step's default name (ilp_step_name, translated where drawn); a
 * configured label is shown as written. */
struct ilp_steps {
	int n;
	struct {
		enum ilp_step step;
		char label[ILP_STEP_LABEL_MAX];
	} s[STEP__COUNT];
	/* After a refused parse: what is wrong, an English msgid with at most one %s
	 * (WHY_ARG, the part named) for the front end to translate; NULL
	 * otherwise. */
	const char *why;
	char why_arg[48];
};

/* The five steps in the kesmas-id order (domain.md §1.4). */
void ilp_steps_default(struct ilp_steps *out);

/* The [ilp] steps value: step codes separated by commas, each optionally
 * followed by ':' and its label, e.g.
 *     register, measure:Penimbangan, record, sync
 * Spaces around codes and labels are dropped; codes are case-insensitive.
 * "" (or only spaces) is the default list. Refused (ERR_CONFIG, field
 * "ilp-steps", the detail names the offending part): an unknown code, a
 * code twice, an empty element, a label too long or with a control
 * character. On error OUT holds the default list and says why (OUT->why,
 * OUT->why_arg). */
int ilp_steps_parse(const char *text, struct ilp_steps *out, struct err *err);

/* "register", "measure", "record", "serve", "sync"; and back (-1: unknown). */
const char *ilp_step_code(enum ilp_step s);
int ilp_step_from_code(const char *code, size_t len);
/* The default name of step S, an English msgid ("Registration", ...). */
const char *ilp_step_name(enum ilp_step s);
/* The label of the I-th configured step: the configured one, or NULL when
 * the default name applies (the caller translates ilp_step_name). */
const char *ilp_steps_label(const struct ilp_steps *st, int i);

/* What a person still lacks, one bit each; each belongs to one step. */
enum ilp_lack {
	LACK_SEX,                  /* register */
	LACK_DOB,
	LACK_WEIGHT,               /* measure */
	LACK_LENHEI,
	LACK_MUAC,
	LACK_BP,
	LACK_WAIST,
	LACK_VISIT,                /* record: no visit saved on the day */
	LACK_OEDEMA,
	LACK_ASI,
	LACK_DANGER,
	LACK_TB,
	LACK_IMM,                  /* serve */
	LACK_VITA,
	LACK_COUNSEL,
	LACK_IRON,
	LACK_KEK_FOOD,
	LACK_DEWORM,
	LACK_ORS_ZINC,
	LACK_IRON_WEEKLY,
	LACK_VITA_PP,
	LACK_UNSENT,               /* sync */
	LACK__COUNT
};
#define LACK_BIT(l) (1u << (l))

/* The step lack L belongs to. */
enum ilp_step ilp_lack_step(enum ilp_lack l);
/* Stable code of L for machine output ("weight", "bp", "imm", ...). */
const char *ilp_lack_code(enum ilp_lack l);
/* Short name of L, an English msgid ("Wt", "BB" in Indonesian). */
const char *ilp_lack_name(enum ilp_lack l);
/* The lack bits of step S. */
uint32_t ilp_step_mask(enum ilp_step s);
/* The lack bits of every step in ST. */
uint32_t ilp_steps_mask(const struct ilp_steps *st);

/* The lacks of person P on DAY. V is P's visit on DAY, or NULL when P only
 * registered that day; HIST holds P's visits (any order; V itself, by uuid,
 * is skipped; only those before V count) for what was already given.
 * UNSENT: P's record or V has a version not yet in a bundle. */
uint32_t ilp_lacks(const struct person *p, const struct visit *v, const struct visit *hist,
		   size_t n, int32_t day, bool unsent);

/* The group a person shows under on the attendance list: the life-cycle
 * group (core/ilp.h), or "child" under five and "pregnant". */
const char *ilp_day_group_code(const struct person *p, int32_t day);

/* One person on the day's attendance list. */
struct ilp_day_row {
	size_t person;             /* index into the people */
	long visit;                /* index into the visits; -1: registered today, no visit */
	uint32_t lack;             /* LACK_* bits, of every step (mask with the configured ones) */
};

/* The records of the day and which of them are not yet in a bundle: UNSENT
 * holds NUNSENT record uuids with a version newer than the last export. */
struct ilp_day_in {
	const struct person *people;
	size_t np;
	const struct visit *visits;
	size_t nv;
	const uint8_t (*unsent)[UUID_LEN];
	size_t nunsent;
	int32_t day;
	const struct ilp_steps *steps;   /* the steps that count, in their order */
};

/* Everyone present on IN->day: a visit that day, or registered that day.
 * Into ROWS (room for np): first those held up at an earlier step of
 * IN->steps (the first step they lack), the complete last, then by name;
 * so someone still to be weighed comes before someone whose data only
 * wait for the bundle. SCRATCH has room for nv visits (a person's history is gathered
 * there; the caller owns and wipes it). Returns the count; *COMPLETE gets
 * how many lack nothing of IN->steps. */
size_t ilp_day_list(const struct ilp_day_in *in, struct ilp_day_row *rows,
		    struct visit *scratch, size_t *complete);

#endif
