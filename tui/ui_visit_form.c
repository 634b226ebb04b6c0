/* tui/ui_visit_form.c: the visit form. A field appears only when it
 * applies (a child's length, a baby's breastfeeding, a pregnant woman's
 * blood pressure, an adult's glucose, an elderly person's daily
 * activities: core/visit_fields.c, Posyandu ILP, issue 14), in sections
 * that ui_form pages in 80x24. Every value is checked by core/ as the
 * kader leaves the field; "saved" shows only after the store returned; a
 * failed save keeps the form and its idempotency key, so pressing F2
 * again can never make a duplicate. */
#include "tui/ui_desk.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/imm.h"
#include "core/measure.h"
#include "core/search.h"
#include "core/valid.h"
#include "core/visit_check.h"
#include "core/visit_fields.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "app/visit_check_text.h"
#include "storage/clock.h"
#include "core/banned.h"

/* The person a form is about, for validators that need the age. */
static struct {
	int32_t dob, today;
	enum person_kind kind;
} ctx;

static const char *const yes_no[] = { N_("no"), N_("yes"), NULL };
static const char *yesno[3];
/* A question of the visit: "-" not asked (the start), no, yes (issue 12). */
static const char *ask3[4];
static const char *const positions[] = { N_("lying"), N_("standing"), NULL };
static const char *pos[3];
static const char *const capsules[] = { "-", N_("blue"), N_("red"), NULL };
static const char *caps[4];
/* Contraception (enum kb_method) and the KPSP result (no, then yes). */
static const char *const kb_methods[KB__COUNT + 1] = {
	"-", N_("no KB"), N_("pill"), N_("injection"), N_("implant"), "IUD", N_("condom"),
	"MOW", "MOP", "MAL", N_("other"), NULL,
};
static const char *kb[KB__COUNT + 1];
static const char *const developments[] = { "-", N_("doubtful/delayed"), N_("as expected"), NULL };
static const char *dev[4];

static void translate_choices(void)
{
	for (int i = 0; i < 2; i++) {
		yesno[i] = _(yes_no[i]);
		pos[i] = _(positions[i]);
	}
	ask3[0] = "-";
	ask3[1] = yesno[0];
	ask3[2] = yesno[1];
	caps[0] = capsules[0];
	caps[1] = _(capsules[1]);
	caps[2] = _(capsules[2]);
	for (int i = 0; i < KB__COUNT; i++)
		kb[i] = _(kb_methods[i]);
	for (int i = 0; i < 3; i++)
		dev[i] = _(developments[i]);
}

/* ---- validators (the rules are core's) ---- */

static int number(const char *s, const char *field, double *out, struct err *e)
{
	if (valid_decimal(s, field, out, e) < 0) {
		if (e && e->code == ERR_FORMAT)
			e->field = "number";
		return -1;
	}
	return 0;
}

static int32_t age_days_now(void)
{
	return ctx.dob == DATE_NONE ? -1 : ctx.today - ctx.dob;
}

static int v_visit_date(const char *s, struct err *e)
{
	int32_t d;
	if (date_parse(s, &d, e) < 0)
		return -1;
	return valid_visit_date(d, ctx.dob, ctx.today, e);
}

static int v_measure(const char *s, enum measure_field f, struct err *e)
{
	double v;
	if (!*s)
		return 0;
	if (number(s, NULL, &v, e) < 0)
		return -1;
	return measure_check(f, v, age_days_now(), e) < 0 ? -1 : 0;
}

static int v_weight(const char *s, struct err *e) { return v_measure(s, MEASURE_WEIGHT, e); }
static int v_lenhei(const char *s, struct err *e) { return v_measure(s, MEASURE_LENHEI, e); }
static int v_headc(const char *s, struct err *e) { return v_measure(s, MEASURE_HEADC, e); }
static int v_muac(const char *s, struct err *e)
{
	return v_measure(s, ctx.kind == PERSON_CHILD ? MEASURE_MUAC : MEASURE_LILA, e);
}

static int v_gest(const char *s, struct err *e) { int n; return valid_count("gest_weeks", s, &n, e); }
static int v_ttd(const char *s, struct err *e) { int n; return valid_count("iron_tablets", s, &n, e); }
static int v_anc(const char *s, struct err *e) { int n; return valid_count("anc_no", s, &n, e); }
static int v_bp(const char *s, struct err *e) { int sys, dia; return valid_bp(s, &sys, &dia, e); }

static int v_imm(const char *s, struct err *e)
{
	uint32_t bits;
	return imm_parse(s, &bits, e);
}


/* The ILP measurements: a number (comma or point) within what a person
 * can have, so a typing slip is caught at the field (and fits the
 * record); whether it is likely is core/visit_check.c's question at F2.
 * The ranges are core's (measure_limits, valid_count_range), the same that
 * `load visits` applies, so the desk never refuses what load accepts. The
 * message gives the range and unit. */
static int v_ranged(const char *s, double lo, double hi, bool whole, const char *what,
		    const char *unit, struct err *e)
{
	char a[16], b[16];
	double v;

	if (!*s)
		return 0;
	if (number(s, NULL, &v, e) < 0)
		return -1;
	if (!whole && strcspn(s, ",.") < strlen(s) && strlen(s + strcspn(s, ",.") + 1) > 1)
		/* stored in tenths: 11,95 rounded to 12,0 would move a cut-off */
		return err_set(e, ERR_FORMAT, "decimal1", "more than one decimal");
	if (v >= lo && v <= hi && (!whole || v == floor(v)))
		return 0;
	snprintf(a, sizeof a, lo == floor(lo) ? "%.0f" : "%.1f", lo);
	snprintf(b, sizeof b, hi == floor(hi) ? "%.0f" : "%.1f", hi);
	for (char *c = a; *c; c++)
		if (*c == '.')
			*c = ',';
	for (char *c = b; *c; c++)
		if (*c == '.')
			*c = ',';
	return err_set(e, ERR_RANGE, "ilp", "%s%s-%s%s", what, a, b, unit);
}

static int v_ilp_measure(const char *s, enum measure_field f, bool whole, struct err *e)
{
	const struct measure_limit *l = &measure_limits[f];
	char unit[16];
	snprintf(unit, sizeof unit, " %s", l->unit);
	return v_ranged(s, l->min, l->max, whole, "", unit, e);
}

static int v_count(const char *s, const char *field, const char *what, struct err *e)
{
	int lo = 0, hi = 0;
	valid_count_range(field, &lo, &hi);
	return v_ranged(s, lo, hi, true, what, "", e);
}

static int v_glucose(const char *s, struct err *e) { return v_ilp_measure(s, MEASURE_GLUCOSE, true, e); }
static int v_waist(const char *s, struct err *e) { return v_ilp_measure(s, MEASURE_WAIST, false, e); }
static int v_hb(const char *s, struct err *e) { return v_ilp_measure(s, MEASURE_HB, false, e); }
static int v_cholesterol(const char *s, struct err *e) { return v_ilp_measure(s, MEASURE_CHOLESTEROL, true, e); }
static int v_uric(const char *s, struct err *e) { return v_ilp_measure(s, MEASURE_URIC, false, e); }
static int v_adl(const char *s, struct err *e) { return v_count(s, "adl", "ADL ", e); }
static int v_gravida(const char *s, struct err *e) { return v_count(s, "gravida", "G ", e); }
static int v_para(const char *s, struct err *e) { return v_count(s, "para", "P ", e); }

/* The first day of the last period: a date, not after today (against
 * the visit's date at F2: hpht_fits). */
static int v_hpht(const char *s, struct err *e)
{
	int32_t d;

	if (!*s)
		return 0;
	if (date_parse(s, &d, e) < 0)
		return -1;
	return d > ctx.today ? err_set(e, ERR_RANGE, "date-future", "HPHT in the future") : 0;
}

/* ---- the visit form ---- */

/* "9,1" for 9100 g; "" for 0. */
void ui_fmt_tenths(unsigned v, unsigned per_unit, char *buf, size_t size)
{
	if (!v)
		buf[0] = '\0';
	else if (per_unit == 1000)
		snprintf(buf, size, "%u,%u", v / 1000, v % 1000 / 100);
	else
		snprintf(buf, size, "%u,%u", v / 10, v % 10);
}

unsigned ui_parse_scaled(const char *s, double scale)
{
	double v;
	return *s && valid_decimal(s, NULL, &v, NULL) == 0 ? (unsigned)lround(v * scale) : 0;
}


/* The layout: the form's rows in order, in sections (ui_form_sections
 * pages a long form at them). A row shows when its field applies to the
 * person (core/visit_fields.h) and KINDS (0: any) allows it; SEX (0: any)
 * hides what is for girls only. A row's value is val[SLOT], or val[VF]
 * when SLOT is 0: the danger signs and the second postpartum capsule are
 * rows of one field. */
#define WOMEN ((1u << PERSON_PREGNANT) | (1u << PERSON_WOMAN))
#define CHILD (1u << PERSON_CHILD)
#define PREG (1u << PERSON_PREGNANT)
#define WOMAN (1u << PERSON_WOMAN)
#define RESIDENT (1u << PERSON_RESIDENT)
#define VAL_MAX 160

/* The danger signs: core/person.h (bits 1..7, DANGER_UNNAMED the yes of
 * the form before the checklist, and visit_set_answer's). */
#define DANGER_SIGNS DANGER_NAMED
enum {
	SLOT_SIGN = VF__COUNT,                  /* the signs, bits 1..7 */
	SLOT_SIGN_UNNAMED = SLOT_SIGN + DANGER_SIGNS,
	SLOT_VITA_PP2,
	NSLOTS
};
/* In the order of danger_code(). */
static const char *const sign_labels[DANGER_SIGNS] = {
	N_("Vaginal bleeding"), N_("Vomits all the time, no food"), N_("High fever"),
	N_("Swelling, headache or fits"), N_("Baby moves less"), N_("Waters broke too early"),
	N_("Difficulty breathing"),
};

static const char *const td_choices[] = { "-", "T1", "T2", "T3", "T4", "T5", NULL };
static const char *const packyears[] = { "-", "<20", "20-30", ">30", NULL };

enum section {
	S_MEASURE = 1, S_BLOOD, S_FEEDING, S_SERVICES, S_PREGNANCY, S_DANGER, S_SCREENING,
	S_ADOLESCENT, S_SENSES, S_PUMA, S_ELDERLY, S_POSTPARTUM, S_MORE,
};
static const char *const section_names[] = {
	[S_MEASURE] = N_("Measurements"), [S_BLOOD] = N_("Blood checks"),
	[S_FEEDING] = N_("Breastfeeding"), [S_SERVICES] = N_("Services"),
	[S_PREGNANCY] = N_("Pregnancy (KIA)"), [S_DANGER] = N_("Danger signs"),
	[S_SCREENING] = N_("Screening"), [S_ADOLESCENT] = N_("Adolescents"),
	[S_SENSES] = N_("Eyes, ears and diet"), [S_PUMA] = N_("PUMA (COPD)"),
	[S_ELDERLY] = N_("Elderly"), [S_POSTPARTUM] = N_("Postpartum and KB"),
	[S_MORE] = N_("More services"),
};

static const struct visit_row {
	enum section sec;
	enum visit_field vf;
	int slot;
	unsigned kinds;
	char sex;
	const char *label;             /* msgid */
	size_t size;                   /* of the value, with its NUL */
	int width;
	const char *const *choices;
	int (*valid)(const char *value, struct err *err);
	const char *help;              /* msgid: on the message line while in the field */
} visit_rows[] = {
	{ S_MEASURE, VF_DATE, 0, 0, 0, N_("Date"), 12, 10, NULL, v_visit_date, NULL },
	{ S_MEASURE, VF_WEIGHT, 0, 0, 0, N_("Weight (kg)"), 12, 6, NULL, v_weight, NULL },
	{ S_MEASURE, VF_LENHEI, 0, CHILD, 0, N_("Length/height (cm)"), 12, 6, NULL, v_lenhei, NULL },
	{ S_MEASURE, VF_LENHEI, 0, WOMEN | RESIDENT, 0, N_("Height (cm)"), 12, 6, NULL, v_lenhei,
	  N_("Standing height in cm, e.g. 158,5") },
	{ S_MEASURE, VF_MEASURE, 0, CHILD, 0, N_("Measured"), 24, 10, pos, NULL, NULL },
	{ S_MEASURE, VF_HEADC, 0, 0, 0, N_("Head circumference (cm)"), 12, 6, NULL, v_headc, NULL },
	{ S_MEASURE, VF_MUAC, 0, CHILD, 0, N_("Arm circumference (cm)"), 12, 6, NULL, v_muac, NULL },
	{ S_MEASURE, VF_MUAC, 0, WOMEN, 0, N_("Arm circumference LILA (cm)"), 12, 6, NULL, v_muac, NULL },
	{ S_MEASURE, VF_WAIST, 0, 0, 0, N_("Waist (cm)"), 12, 6, NULL, v_waist,
	  N_("Waist circumference at the navel in cm, e.g. 85,5") },
	{ S_MEASURE, VF_BP, 0, 0, 0, N_("Blood pressure (mmHg)"), 12, 8, NULL, v_bp, NULL },
	{ S_MEASURE, VF_OEDEMA, 0, 0, 0, N_("Oedema (both feet)"), 12, 6, ask3, NULL, NULL },
	{ S_BLOOD, VF_GLUCOSE, 0, 0, 0, N_("Blood glucose (mg/dL)"), 8, 6, NULL, v_glucose,
	  N_("Blood glucose in mg/dL, a whole number, e.g. 110") },
	{ S_BLOOD, VF_GLUCOSE_FASTING, 0, 0, 0, N_("Glucose fasting (GDP)"), 12, 6, ask3, NULL,
	  N_("yes: taken fasting (GDP); no: at any time (GDS)") },
	{ S_BLOOD, VF_HB, 0, 0, 0, N_("Hb (g/dL)"), 8, 6, NULL, v_hb,
	  N_("Haemoglobin in g/dL, e.g. 12,5 (measured by the health worker)") },
	{ S_BLOOD, VF_CHOLESTEROL, 0, 0, 0, N_("Cholesterol (mg/dL)"), 8, 6, NULL, v_cholesterol,
	  N_("Total cholesterol in mg/dL, e.g. 190") },
	{ S_BLOOD, VF_URIC, 0, 0, 0, N_("Uric acid (mg/dL)"), 8, 6, NULL, v_uric,
	  N_("Uric acid in mg/dL, e.g. 6,2") },
	{ S_FEEDING, VF_ASI, 0, 0, 0, N_("Only breast milk yesterday"), 12, 6, ask3, NULL, NULL },
	{ S_FEEDING, VF_BF_CONTINUE, 0, 0, 0, N_("Still breastfed"), 12, 6, ask3, NULL, NULL },
	{ S_FEEDING, VF_COUNSEL, 0, CHILD, 0, N_("Breastfeeding counselling"), 12, 6, ask3, NULL, NULL },
	{ S_SERVICES, VF_VITA, 0, 0, 0, N_("Vitamin A capsule"), 12, 6, caps, NULL, NULL },
	{ S_SERVICES, VF_IMM, 0, 0, 0, N_("Immunisations given"), 160, 30, NULL, v_imm, NULL },
	/* a child's note where it always was, so the keys a kader knows reach
	 * it; the ILP services after it */
	{ 0, VF_NOTE, 0, CHILD, 0, N_("Note"), VAL_MAX, 30, NULL, NULL, NULL },
	{ S_MORE, VF_DEWORM, 0, 0, 0, N_("Deworming tablet given"), 12, 6, ask3, NULL,
	  N_("Albendazole at 12-59 months, in February and August") },
	{ S_MORE, VF_DIARRHOEA, 0, 0, 0, N_("Diarrhoea"), 12, 6, ask3, NULL, NULL },
	{ S_MORE, VF_ORS_ZINC, 0, 0, 0, N_("ORS and zinc given"), 12, 6, ask3, NULL,
	  N_("For diarrhoea: ORS (oralit) and zinc tablets given") },
	{ S_MORE, VF_PMT, 0, 0, 0, N_("Supplementary food (PMT)"), 12, 6, ask3, NULL, NULL },
	{ S_MORE, VF_TB, 0, CHILD, 0, N_("TB symptoms"), 12, 6, ask3, NULL,
	  N_("Cough of 2 weeks or more, fever, night sweats or weight loss") },
	{ S_MORE, VF_DEVELOPMENT, 0, 0, 0, N_("Development (KPSP)"), 24, 16, dev, NULL,
	  N_("KPSP result: as expected, or doubtful/delayed (refer)") },
	{ S_PREGNANCY, VF_HPHT, 0, 0, 0, N_("Last period began (HPHT)"), 12, 10, NULL, v_hpht,
	  N_("First day of the last menstrual period, DD-MM-YYYY") },
	{ S_PREGNANCY, VF_GEST, 0, 0, 0, N_("Weeks of pregnancy"), 8, 4, NULL, v_gest, NULL },
	{ S_PREGNANCY, VF_GRAVIDA, 0, 0, 0, N_("Pregnancy number (G)"), 8, 4, NULL, v_gravida,
	  N_("Which pregnancy this is: 1 for the first") },
	{ S_PREGNANCY, VF_PARA, 0, 0, 0, N_("Births before (P)"), 8, 4, NULL, v_para,
	  N_("Births before this pregnancy: 0 for none") },
	{ S_PREGNANCY, VF_ANC, 0, 0, 0, N_("ANC visit number (K)"), 8, 4, NULL, v_anc, NULL },
	{ S_PREGNANCY, VF_TD, 0, PREG, 0, N_("Td immunisation status"), 8, 4, td_choices, NULL,
	  N_("Td status in the KIA book: T1 to T5") },
	{ S_PREGNANCY, VF_IRON, 0, 0, 0, N_("Iron tablets given"), 8, 4, NULL, v_ttd, NULL },
	{ S_PREGNANCY, VF_KEK_FOOD, 0, 0, 0, N_("KEK: extra food given"), 12, 6, ask3, NULL,
	  N_("LILA below 23,5 cm: supplementary food (PMT) given") },
	{ S_PREGNANCY, VF_PREG_CLASS, 0, 0, 0, N_("Pregnancy class attended"), 12, 6, ask3, NULL, NULL },
	{ S_PREGNANCY, VF_COUNSEL, 0, PREG, 0, N_("Breastfeeding counselling"), 12, 6, ask3, NULL, NULL },
	{ S_DANGER, VF_DANGER, 0, 0, 0, N_("No danger sign"), 8, 4, ui_tick, NULL,
	  N_("Tick when the mother has none of the signs below") },
#define SIGN(k) { S_DANGER, VF_DANGER, SLOT_SIGN + (k), 0, 0, NULL, 8, 4, ui_tick, NULL, \
		  N_("Tick each sign the mother has: any sign, refer to the puskesmas") }
	SIGN(0), SIGN(1), SIGN(2), SIGN(3), SIGN(4), SIGN(5), SIGN(6),
#undef SIGN
	{ S_DANGER, VF_DANGER, SLOT_SIGN_UNNAMED, 0, 0, N_("A sign (older record)"), 8, 4, ui_tick, NULL,
	  N_("Recorded before the checklist: a sign, not named") },
	{ S_POSTPARTUM, VF_COUNSEL, 0, WOMAN, 0, N_("Breastfeeding counselling"), 12, 6, ask3, NULL, NULL },
	{ S_POSTPARTUM, VF_POSTPARTUM, 0, 0, 0, N_("Postpartum (0-42 days)"), 12, 6, ask3, NULL, NULL },
	{ S_POSTPARTUM, VF_VITA_PP, 0, 0, 0, N_("Vitamin A capsule 1 (birth)"), 8, 4, ui_tick, NULL,
	  N_("Red capsule right after the birth") },
	{ S_POSTPARTUM, VF_VITA_PP, SLOT_VITA_PP2, 0, 0, N_("Vitamin A capsule 2 (24 h)"), 8, 4, ui_tick,
	  NULL, N_("Red capsule at least 24 hours after the first") },
	{ S_POSTPARTUM, VF_KB, 0, WOMAN, 0, N_("Family planning (KB)"), 16, 10, kb, NULL, NULL },
	{ S_POSTPARTUM, VF_TD, 0, WOMAN, 0, N_("Td immunisation status"), 8, 4, td_choices, NULL,
	  N_("Td status in the KIA book: T1 to T5") },
	{ S_SCREENING, VF_TB, 0, WOMEN | RESIDENT, 0, N_("TB symptoms"), 12, 6, ask3, NULL,
	  N_("Cough of 2 weeks or more, fever, night sweats or weight loss") },
	{ S_SCREENING, VF_SMOKING, 0, 0, 0, N_("Smokes now"), 12, 6, ask3, NULL, NULL },
	{ S_SCREENING, VF_KB, 0, RESIDENT, 0, N_("Family planning (KB)"), 16, 10, kb, NULL,
	  N_("Contraception of a couple of reproductive age") },
	{ S_ADOLESCENT, VF_IRON_WEEKLY, 0, 0, 'P', N_("Weekly iron tablet given"), 12, 6, ask3, NULL,
	  N_("One iron tablet (TTD) a week for adolescent girls") },
	{ S_ADOLESCENT, VF_MENTAL, 0, 0, 0, N_("Mental-health problem"), 12, 6, ask3, NULL,
	  N_("The mental-health screening finds a problem") },
	{ S_ADOLESCENT, VF_RISK_ALCOHOL, 0, 0, 0, N_("Drinks alcohol"), 12, 6, ask3, NULL, NULL },
	{ S_ADOLESCENT, VF_RISK_DRUGS, 0, 0, 0, N_("Uses drugs (NAPZA)"), 12, 6, ask3, NULL, NULL },
	{ S_ADOLESCENT, VF_RISK_SEX, 0, 0, 0, N_("Risky sex"), 12, 6, ask3, NULL, NULL },
	{ S_SENSES, VF_VISION, 0, 0, 0, N_("Vision problem"), 12, 6, ask3, NULL, NULL },
	{ S_SENSES, VF_HEARING, 0, 0, 0, N_("Hearing problem"), 12, 6, ask3, NULL, NULL },
	{ S_SENSES, VF_DIET_SUGAR, 0, 0, 0, N_("Eats too much sugar"), 12, 6, ask3, NULL, NULL },
	{ S_SENSES, VF_DIET_SALT, 0, 0, 0, N_("Eats too much salt"), 12, 6, ask3, NULL, NULL },
	{ S_SENSES, VF_DIET_FAT, 0, 0, 0, N_("Eats too much fat"), 12, 6, ask3, NULL, NULL },
	{ S_PUMA, VF_PUMA_PACKYEARS, 0, 0, 0, N_("Pack-years smoked"), 12, 6, packyears, NULL,
	  N_("Packs a day times the years smoked") },
	{ S_PUMA, VF_PUMA_BREATH, 0, 0, 0, N_("Short of breath"), 12, 6, ask3, NULL,
	  N_("Short of breath walking fast or uphill") },
	{ S_PUMA, VF_PUMA_PHLEGM, 0, 0, 0, N_("Phlegm from the chest"), 12, 6, ask3, NULL, NULL },
	{ S_PUMA, VF_PUMA_COUGH, 0, 0, 0, N_("Cough without a cold"), 12, 6, ask3, NULL, NULL },
	{ S_PUMA, VF_PUMA_SPIROMETRY, 0, 0, 0, N_("Spirometry before"), 12, 6, ask3, NULL,
	  N_("Was ever asked to do a spirometry (breath) test") },
	{ S_ELDERLY, VF_ADL, 0, 0, 0, N_("Daily activities ADL (0-20)"), 8, 4, NULL, v_adl,
	  N_("Barthel score 0-20: 20 independent, below 12 needs help") },
	{ S_ELDERLY, VF_FALL, 0, 0, 0, N_("Risk of falling"), 12, 6, ask3, NULL, NULL },
	{ 0, VF_NOTE, 0, WOMEN | RESIDENT, 0, N_("Note"), VAL_MAX, 30, NULL, NULL, NULL },
};
#define NROWS (sizeof visit_rows / sizeof visit_rows[0])

static char (*row_value(const struct visit_row *r, char val[NSLOTS][VAL_MAX]))[VAL_MAX]
{
	return &val[r->slot ? r->slot : (int)r->vf];
}

/* Does row R show for P at MONTHS? The unnamed sign only on a visit
 * that has one (VAL holds it ticked). */
static bool row_shows(const struct visit_row *r, const struct person *p, int months,
		      char val[NSLOTS][VAL_MAX])
{
	if ((r->kinds && !(r->kinds & (1u << p->kind))) || (r->sex && p->sex != r->sex) ||
	    !visit_field_applies(r->vf, p->kind, months))
		return false;
	return r->slot != SLOT_SIGN_UNNAMED || strcmp(val[SLOT_SIGN_UNNAMED], ui_tick[1]) == 0;
}

/* The form for P at MONTHS over the values VAL: its fields, the section
 * each starts and the help of each, and which fields show (SHOWN, by
 * slot); how many. */
struct visit_layout {
	struct ui_field f[NROWS];
	const char *sections[NROWS], *help[NROWS];
	bool shown[NSLOTS];
	int at[NSLOTS];                /* the field of a slot */
	int n;
};

static void visit_layout(const struct person *p, int months, char val[NSLOTS][VAL_MAX],
			 struct visit_layout *l)
{
	enum section last = 0;

	memset(l, 0, sizeof *l);
	for (size_t i = 0; i < NROWS; i++) {
		const struct visit_row *r = &visit_rows[i];
		const char *label = r->label;
		if (!row_shows(r, p, months, val))
			continue;
		if (r->slot >= SLOT_SIGN && r->slot < SLOT_SIGN + DANGER_SIGNS)
			label = sign_labels[r->slot - SLOT_SIGN];
		l->sections[l->n] = r->sec && r->sec != last ? section_names[r->sec] : NULL;
		if (r->sec)
			last = r->sec;
		l->help[l->n] = r->help;
		l->shown[r->slot ? r->slot : (int)r->vf] = true;
		l->at[r->slot ? r->slot : (int)r->vf] = l->n;
		l->f[l->n++] = (struct ui_field){ label, *row_value(r, val), r->size, r->width, r->choices,
						  r->valid };
	}
}

/* The three-state questions (core/visit_fields.h) but the danger signs,
 * a checklist; each row's choices are "-", then no, then yes. */
static const struct visit_row *question_row(enum visit_field q)
{
	for (size_t i = 0; i < NROWS; i++)
		if (visit_rows[i].vf == q && visit_rows[i].choices && visit_rows[i].choices != ui_tick)
			return &visit_rows[i];
	return NULL;
}

static bool is_question(enum visit_field f)
{
	return visit_field_is_question(f) && f != VF_DANGER;
}

/* "12,5"-style tenths and whole numbers, "" for 0. */
static void fmt_uint(unsigned v, char *buf)
{
	if (v)
		snprintf(buf, VAL_MAX, "%u", v);
}

static int choice_of(const char *const *choices, const char *value)
{
	for (int i = 0; choices[i]; i++)
		if (strcmp(choices[i], value) == 0)
			return i;
	return 0;
}

static bool ticked(const char *value)
{
	return strcmp(value, ui_tick[1]) == 0;
}

/* The logic: a visit as the form's values, ... */
static void visit_to_text(const struct visit *v, char val[NSLOTS][VAL_MAX])
{
	date_format(v->date, val[VF_DATE]);
	ui_fmt_tenths(v->weight_g, 1000, val[VF_WEIGHT], VAL_MAX);
	ui_fmt_tenths(v->lenhei_mm, 10, val[VF_LENHEI], VAL_MAX);
	ui_fmt_tenths(v->headc_mm, 10, val[VF_HEADC], VAL_MAX);
	ui_fmt_tenths(v->muac_mm, 10, val[VF_MUAC], VAL_MAX);
	snprintf(val[VF_MEASURE], VAL_MAX, "%s",
		 pos[(v->measure ? v->measure : desk_default_measure(age_days_now())) == 'h']);
	for (int q = 0; q < VF__COUNT; q++) {
		const struct visit_row *r = is_question(q) ? question_row(q) : NULL;
		if (r)
			snprintf(val[q], VAL_MAX, "%s", r->choices[visit_answer(v, q) + 1]);
	}
	snprintf(val[VF_VITA], VAL_MAX, "%s", caps[v->vitamin_a]);
	imm_format(v->imm, val[VF_IMM], VAL_MAX);
	fmt_uint(v->gest_weeks, val[VF_GEST]);
	if (v->bp_sys)
		snprintf(val[VF_BP], VAL_MAX, "%u/%u", v->bp_sys, v->bp_dia);
	fmt_uint(v->iron_tablets, val[VF_IRON]);
	fmt_uint(v->anc_no, val[VF_ANC]);
	snprintf(val[VF_NOTE], VAL_MAX, "%s", v->note);
	/* ILP */
	fmt_uint(v->glucose_mgdl, val[VF_GLUCOSE]);
	ui_fmt_tenths(v->waist_mm, 10, val[VF_WAIST], VAL_MAX);
	ui_fmt_tenths(v->hb_dgl, 10, val[VF_HB], VAL_MAX);
	fmt_uint(v->cholesterol_mgdl, val[VF_CHOLESTEROL]);
	ui_fmt_tenths(v->uric_dmgdl, 10, val[VF_URIC], VAL_MAX);
	snprintf(val[VF_PUMA_PACKYEARS], VAL_MAX, "%s", packyears[v->puma_packyears <= PY_OVER_30 ? v->puma_packyears : 0]);
	if (v->adl)
		snprintf(val[VF_ADL], VAL_MAX, "%u", v->adl - 1u);
	snprintf(val[VF_KB], VAL_MAX, "%s", kb[v->kb_method < KB__COUNT ? v->kb_method : 0]);
	if (v->hpht)
		date_format(v->hpht, val[VF_HPHT]);
	fmt_uint(v->gravida, val[VF_GRAVIDA]);
	if (v->para)
		snprintf(val[VF_PARA], VAL_MAX, "%u", v->para - 1u);
	snprintf(val[VF_TD], VAL_MAX, "%s", td_choices[v->td_status <= 5 ? v->td_status : 0]);
	snprintf(val[VF_VITA_PP], VAL_MAX, "%s", ui_tick[(v->vita_pp & 1) != 0]);
	snprintf(val[SLOT_VITA_PP2], VAL_MAX, "%s", ui_tick[(v->vita_pp & 2) != 0]);
	/* the checklist: "none" ticked only when asked and none */
	snprintf(val[VF_DANGER], VAL_MAX, "%s", ui_tick[visit_answer(v, VF_DANGER) == 0]);
	for (int k = 0; k < DANGER_SIGNS; k++)
		snprintf(val[SLOT_SIGN + k], VAL_MAX, "%s", ui_tick[(v->danger_signs >> (k + 1)) & 1]);
	snprintf(val[SLOT_SIGN_UNNAMED], VAL_MAX, "%s", ui_tick[(v->danger_signs & DANGER_UNNAMED) != 0]);
}

/* The danger-sign checklist of VAL into V: the signs ticked; none ticked
 * and "no danger sign" ticked is asked and none; nothing ticked is not
 * asked. -1 when a sign and "none" are both ticked. */
static int danger_from_text(char val[NSLOTS][VAL_MAX], bool shown, struct visit *v)
{
	unsigned bits = 0;

	if (!shown) {
		visit_set_answer(v, VF_DANGER, -1);
		return 0;
	}
	for (int k = 0; k < DANGER_SIGNS; k++)
		if (ticked(val[SLOT_SIGN + k]))
			bits |= 1u << (k + 1);
	if (ticked(val[SLOT_SIGN_UNNAMED]))
		bits |= DANGER_UNNAMED;
	if (bits && ticked(val[VF_DANGER]))
		return -1;
	visit_set_answer(v, VF_DANGER, bits ? 1 : ticked(val[VF_DANGER]) ? 0 : -1);
	v->danger_signs = (uint16_t)bits;
	return 0;
}

/* ... and the values back into V: a question not shown to the person is
 * "not asked"; a hidden measure keeps its value. -1 when the danger
 * checklist contradicts itself. */
static int visit_from_text(char val[NSLOTS][VAL_MAX], const bool shown[NSLOTS], struct visit *v)
{
	int sys, dia;

	date_parse(val[VF_DATE], &v->date, NULL);
	v->weight_g = ui_parse_scaled(val[VF_WEIGHT], 1000.0);
	v->lenhei_mm = (uint16_t)ui_parse_scaled(val[VF_LENHEI], 10.0);
	/* a resident's (or a mother's) height is standing */
	if (!v->lenhei_mm)
		v->measure = 0;
	else if (shown[VF_MEASURE])
		v->measure = strcmp(val[VF_MEASURE], pos[1]) == 0 ? 'h' : 'l';
	else if (!v->measure)
		v->measure = 'h';
	v->headc_mm = (uint16_t)ui_parse_scaled(val[VF_HEADC], 10.0);
	v->muac_mm = (uint16_t)ui_parse_scaled(val[VF_MUAC], 10.0);
	for (int q = 0; q < VF__COUNT; q++) {
		const struct visit_row *r = is_question(q) ? question_row(q) : NULL;
		if (r)
			visit_set_answer(v, q, shown[q] ? choice_of(r->choices, val[q]) - 1 : -1);
	}
	v->vitamin_a = !shown[VF_VITA] ? VITA_NONE
		       : strcmp(val[VF_VITA], caps[1]) == 0 ? VITA_BLUE
		       : strcmp(val[VF_VITA], caps[2]) == 0 ? VITA_RED : VITA_NONE;
	imm_parse(val[VF_IMM], &v->imm, NULL);
	v->gest_weeks = (uint8_t)ui_parse_scaled(val[VF_GEST], 1.0);
	valid_bp(val[VF_BP], &sys, &dia, NULL);
	v->bp_sys = (uint16_t)sys;
	v->bp_dia = (uint16_t)dia;
	v->iron_tablets = (uint8_t)ui_parse_scaled(val[VF_IRON], 1.0);
	v->anc_no = (uint8_t)ui_parse_scaled(val[VF_ANC], 1.0);
	snprintf(v->note, sizeof v->note, "%s", val[VF_NOTE]);
	/* ILP: the validators bound every number to its member */
	v->glucose_mgdl = (uint16_t)ui_parse_scaled(val[VF_GLUCOSE], 1.0);
	v->waist_mm = (uint16_t)ui_parse_scaled(val[VF_WAIST], 10.0);
	v->hb_dgl = (uint16_t)ui_parse_scaled(val[VF_HB], 10.0);
	v->cholesterol_mgdl = (uint16_t)ui_parse_scaled(val[VF_CHOLESTEROL], 1.0);
	v->uric_dmgdl = (uint16_t)ui_parse_scaled(val[VF_URIC], 10.0);
	if (shown[VF_PUMA_PACKYEARS])
		v->puma_packyears = (uint8_t)choice_of(packyears, val[VF_PUMA_PACKYEARS]);
	v->adl = (uint8_t)(val[VF_ADL][0] ? ui_parse_scaled(val[VF_ADL], 1.0) + 1 : 0);
	if (shown[VF_KB])
		v->kb_method = (uint8_t)choice_of(kb, val[VF_KB]);
	if (!val[VF_HPHT][0] || date_parse(val[VF_HPHT], &v->hpht, NULL) < 0)
		v->hpht = 0;
	v->gravida = (uint8_t)ui_parse_scaled(val[VF_GRAVIDA], 1.0);
	v->para = (uint8_t)(val[VF_PARA][0] ? ui_parse_scaled(val[VF_PARA], 1.0) + 1 : 0);
	if (shown[VF_TD])
		v->td_status = (uint8_t)choice_of(td_choices, val[VF_TD]);
	if (shown[VF_VITA_PP])
		v->vita_pp = (uint8_t)((ticked(val[VF_VITA_PP]) ? 1 : 0) | (ticked(val[SLOT_VITA_PP2]) ? 2 : 0));
	return danger_from_text(val, shown[VF_DANGER], v);
}

/* "Due: BCG Polio1" for a child: what is due given the other visits. */
static void due_intro(const struct person *p, const struct visit *v, int months, char *buf, size_t size)
{
	uint32_t given = 0;
	struct visit *hist;
	size_t nh;
	char due[120];

	buf[0] = '\0';
	if (p->kind != PERSON_CHILD)
		return;
	nh = desk_visits_of(p->uuid, &hist);
	for (size_t i = 0; i < nh; i++)
		if (memcmp(hist[i].uuid, v->uuid, UUID_LEN) != 0)
			given |= hist[i].imm;
	store_free(hist);
	imm_format(imm_due(months, given), due, sizeof due);
	if (due[0])
		snprintf(buf, size, _("Due: %s"), due);
}

/* A new draft, or one on top of the record EXISTING; -1 with the message
 * on the status line. */
int ui_begin_draft(struct ui *u, const uint8_t *existing, struct draft *d)
{
	struct err err = { 0 };
	if (!existing) {
		store_draft_new(d);
		return 0;
	}
	if (store_draft_edit(u->s, d, existing, &err) == 0)
		return 0;
	ui_status_err(u, &err);
	return -1;
}

/* Set the person the validators check against. */
static void set_ctx(const struct person *p)
{
	translate_choices();
	ctx.dob = p ? p->dob : DATE_NONE;
	ctx.today = clock_today();
	ctx.kind = p ? p->kind : PERSON_CHILD;
}


/* May V of P be saved (core/visit_check.h)? A refusal goes to the status
 * line; a doubtful value is shown beside the previous one and saved only
 * when the kader says so; a catch-up needs its reason in the Note, and a
 * yes. False: back to the form. */
static bool acceptable(struct ui *u, const struct person *p, const struct visit *v)
{
	struct vcheck c[VCHECK_MAX];
	struct visit *hist;
	size_t nh = desk_visits_of(p->uuid, &hist), n;
	char text[200], q[400];
	bool ok = true;

	n = visit_check(p, v, hist, nh, c, NULL);
	store_free(hist);
	for (size_t i = 0; i < n && ok; i++)
		if (c[i].level == VCHECK_REFUSE) {
			ui_status(u, true, "%s", visit_check_text(&c[i], text, sizeof text));
			return false;
		}
	for (size_t i = 0; i < n && ok; i++) {
		visit_check_text(&c[i], text, sizeof text);
		if (c[i].level == VCHECK_CONFIRM) {
			snprintf(q, sizeof q, _("%s. Keep this value?"), text);
			ok = ui_confirm(u, q);
		} else if (!v->note[0]) {
			ui_status(u, true, _("%s; give the reason in the Note"), text);
			return false;
		} else {
			snprintf(q, sizeof q, _("%s. Reason: %s. Save?"), text, v->note);
			ok = ui_confirm(u, q);
		}
	}
	if (!ok)
		ui_status(u, false, "%s", _("Not saved: correct the value, or measure again."));
	return ok;
}

/* One visit per person per day: core's rule over P's visits on the desk. */
static bool other_visit_that_day(const struct person *p, const struct visit *v)
{
	struct visit *all = NULL;
	size_t n = desk_visits_of(p->uuid, &all);
	bool found = visit_same_day(v, all, n);

	store_free(all);                /* wipes */
	return found;
}

/* Where it helps the kader: a pregnant woman's HPHT, gravida and para do
 * not change within a pregnancy, so a new visit starts with the last
 * visit's (the latest that has them), for V of P. Whether it took any. */
static bool carry_forward(const struct person *p, struct visit *v)
{
	struct visit *hist;
	size_t nh = desk_visits_of(p->uuid, &hist);
	const struct visit *last = NULL;

	for (size_t i = 0; i < nh; i++)
		if ((hist[i].hpht || hist[i].gravida || hist[i].para) && hist[i].date <= v->date &&
		    (!last || hist[i].date > last->date))
			last = &hist[i];
	/* only this pregnancy's: an earlier one's HPHT, G and P are wrong now */
	if (last && !visit_same_pregnancy(last, v->date))
		last = NULL;
	if (last) {
		v->hpht = last->hpht;
		v->gravida = last->gravida;
		v->para = last->para;
	}
	store_free(hist);
	return last != NULL;
}

/* "HPHT 01-02-2026: 20 weeks, due (HPL) 08-11-2026" (Naegele: 280 days
 * on), for a pregnant woman whose HPHT is known on the visit's day. */
static void hpht_intro(const struct visit *v, char *buf, size_t size)
{
	char h[DATE_BUFSZ], due[DATE_BUFSZ];

	if (!v->hpht || v->hpht > v->date)
		return;
	snprintf(buf, size, _("HPHT %s: %d weeks, due (HPL) %s"), date_format(v->hpht, h),
		 (v->date - v->hpht) / 7, date_format(v->hpht + 280, due));
}

/* The HPHT of the pregnancy seen on the visit's day: not after it, and
 * not longer before it than core allows (core/visit_check.h, the same rule
 * as load); checked here to put the cursor on the field. */
static bool hpht_fits(struct ui *u, const struct visit *v)
{
	if (!v->hpht || visit_hpht_fits(v->hpht, v->date))
		return true;
	ui_status(u, true, _("The HPHT must be within the %d weeks before the visit's date"),
		  VCHECK_HPHT_MAX_DAYS / 7);
	return false;
}

/* Only what a new visit carried forward (HPHT, gravida, para) is no
 * visit: nothing was measured or given. */
static bool only_carried(const struct visit *v, const struct visit *carried)
{
	struct visit t = *v;

	if (t.hpht == carried->hpht && t.gravida == carried->gravida && t.para == carried->para)
		t.hpht = t.gravida = t.para = 0;
	return visit_is_empty(&t);
}

int ui_visit_form(struct ui *u, const struct person *p, const struct visit *existing)
{
	struct visit v, carried;
	struct draft d;
	struct err err = { 0 };
	struct visit_layout *l;
	char (*val)[VAL_MAX], intro[160], title[128];
	int months, rc = -1, start;
	bool carry = false;

	set_ctx(p);
	memset(&v, 0, sizeof v);
	v.asi_recall = -1;
	v.not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;   /* nothing answered yet */
	v.date = ctx.today;
	if (existing)
		v = *existing;
	else
		memcpy(v.person, p->uuid, UUID_LEN);
	if (!existing && p->kind == PERSON_PREGNANT)
		carry = carry_forward(p, &v);
	carried = v;
	if (ui_begin_draft(u, existing ? existing->uuid : NULL, &d) < 0)
		return -1;
	/* the values and the layout: too big for a small stack */
	val = calloc(NSLOTS, VAL_MAX);
	l = malloc(sizeof *l);
	if (!val || !l) {
		free(val);
		free(l);
		ui_status(u, true, "%s", _("Out of memory"));
		return -1;
	}
	memcpy(v.uuid, d.uuid, UUID_LEN);
	months = p->dob == DATE_NONE ? -1 : date_age_months(p->dob, v.date);
	visit_to_text(&v, val);
	visit_layout(p, months, val, l);
	intro[0] = '\0';
	due_intro(p, &v, months, intro, sizeof intro);
	if (p->kind == PERSON_PREGNANT)
		hpht_intro(&v, intro, sizeof intro);
	snprintf(title, sizeof title, _("Visit: %s"), p->name);
	start = l->n > 1;                  /* the weight: the date is today's already */
	for (;;) {
		u->form_start = start;
		start = l->n > 1;
		if (ui_form_help(u, title, intro[0] ? intro : NULL, l->f, l->n, l->sections, l->help) < 0)
			goto out;
		if (visit_from_text(val, l->shown, &v) < 0) {
			ui_status(u, true, "%s", _("A sign and \"no danger sign\" are both ticked: untick one"));
			start = l->at[VF_DANGER];
			continue;
		}
		if (!hpht_fits(u, &v)) {
			start = l->at[VF_HPHT];
			continue;
		}
		if (carry && only_carried(&v, &carried)) {
			ui_status(u, true, "%s", _("Nothing to save: enter a measurement or a service"));
			continue;
		}
		if (!acceptable(u, p, &v))
			continue;
		if (other_visit_that_day(p, &v)) {
			ui_status(u, true, "%s", _("That day has a visit already: open it from the card to change it"));
			continue;
		}
		if (store_visit_put(u->s, &d, &v, &err) == 0)
			break;
		ui_status_err(u, &err);   /* the form comes back with the same draft */
	}
	desk_put_visit(&v);
	ui_result_show(u, p, &v);
	rc = 0;
out:
	sodium_memzero(val, (size_t)NSLOTS * VAL_MAX);
	free(val);
	free(l);
	return rc;
}
