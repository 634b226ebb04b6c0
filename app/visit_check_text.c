/* app/visit_check_text.c: what a refused or doubtful visit value says. */
#include "app/visit_check_text.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/measure.h"
#include "app/i18n.h"
#include "core/banned.h"

/* "9,6" for 9600 g (PER 1000) or for 96 mm (PER 10). */
static const char *tenths(long v, long per, char *buf, size_t size)
{
	long t = per == 1000 ? (v + 50) / 100 : v;
	snprintf(buf, size, "%ld,%ld", t / 10, t % 10);
	return buf;
}

/* "9 months", "6 weeks", "7 days": an age or an interval of the rule. */
static const char *span(int days, int months, char *buf, size_t size)
{
	if (months > 0)
		snprintf(buf, size, _("%d months"), months);
	else if (days % 7 == 0 && days > 0)
		snprintf(buf, size, _("%d weeks"), days / 7);
	else
		snprintf(buf, size, _("%d days"), days);
	return buf;
}

static const char *warn_text(unsigned warn)
{
	for (unsigned i = 0; i < measure_warn_infos_len; i++)
		if (warn & measure_warn_infos[i].bit)
			return _(measure_warn_infos[i].label_en);
	return "";
}

static void imm_text(const struct vcheck *c, char *buf, size_t size)
{
	const struct imm_rule *r = c->rule;
	const char *code = imm_code((enum imm_antigen)c->antigen);
	char a[32], b[32], d[DATE_BUFSZ];

	switch (c->verdict) {
	case IMM_TOO_YOUNG:
		snprintf(buf, size, _("%s is not given before %s of age"), code,
			 span(r->min_days, r->min_months, a, sizeof a));
		break;
	case IMM_TOO_OLD:
		if (r->max_days >= 0)
			snprintf(buf, size, _("%s is given only up to %d days of age"), code, r->max_days);
		else
			snprintf(buf, size, _("%s is given only before %d months of age"), code,
				 r->max_months);
		break;
	case IMM_TOO_SOON:
		snprintf(buf, size, _("%s: at least %s after %s (%s)"), code,
			 span(r->gap_days, r->gap_months, a, sizeof a),
			 imm_code((enum imm_antigen)r->prev), date_format(c->prev_date, d));
		break;
	case IMM_CATCHUP_EARLY:
		snprintf(buf, size, _("%s before %s: a catch-up dose"), code,
			 r->sched_months >= 0 ? span(0, r->sched_months, b, sizeof b)
					      : span(r->min_days, r->min_months, b, sizeof b));
		break;
	default:
		snprintf(buf, size, _("%s after %d months: a catch-up dose"), code,
			 r->late_months);
		break;
	}
}

/* ---- Posyandu ILP (issue 14) ---- */

/* The labels of app/person_view.c (the same msgids). */
static const char *const field_labels[VF__COUNT] = {
	[VF_BP] = N_("Blood pressure"),
	[VF_GLUCOSE] = N_("Blood glucose (mg/dL)"),
	[VF_GLUCOSE_FASTING] = N_("Glucose measured fasting"),
	[VF_WAIST] = N_("Waist circumference (cm)"),
	[VF_HB] = N_("Haemoglobin, Hb (g/dL)"),
	[VF_TB] = N_("TB symptoms"),
	[VF_SMOKING] = N_("Smokes"),
	[VF_IRON_WEEKLY] = N_("Weekly iron tablet (girls)"),
	[VF_MENTAL] = N_("Mental-health problem found"),
	[VF_RISK_ALCOHOL] = N_("Drinks alcohol"),
	[VF_RISK_DRUGS] = N_("Uses drugs"),
	[VF_RISK_SEX] = N_("Risky sexual behaviour"),
	[VF_CHOLESTEROL] = N_("Cholesterol (mg/dL)"),
	[VF_URIC] = N_("Uric acid (mg/dL)"),
	[VF_VISION] = N_("Vision problem"),
	[VF_HEARING] = N_("Hearing problem"),
	[VF_DIET_SUGAR] = N_("Too much sugar"),
	[VF_DIET_SALT] = N_("Too much salt"),
	[VF_DIET_FAT] = N_("Too much fat"),
	[VF_PUMA_BREATH] = N_("PUMA: short of breath"),
	[VF_PUMA_PHLEGM] = N_("PUMA: phlegm"),
	[VF_PUMA_COUGH] = N_("PUMA: cough"),
	[VF_PUMA_SPIROMETRY] = N_("PUMA: had spirometry"),
	[VF_PUMA_PACKYEARS] = N_("PUMA: pack-years smoked"),
	[VF_ADL] = N_("Daily activities, ADL (0-20)"),
	[VF_FALL] = N_("At risk of falling"),
	[VF_KB] = N_("Family planning method"),
	[VF_HPHT] = N_("First day of last period (HPHT)"),
	[VF_GRAVIDA] = N_("Pregnancy number (gravida)"),
	[VF_PARA] = N_("Births before (para)"),
	[VF_TD] = N_("Td immunisation status"),
	[VF_KEK_FOOD] = N_("Supplementary food for KEK"),
	[VF_PREG_CLASS] = N_("Pregnancy class attended"),
	[VF_POSTPARTUM] = N_("Postpartum (nifas)"),
	[VF_VITA_PP] = N_("Postpartum vitamin A capsules"),
	[VF_DEWORM] = N_("Deworming tablet"),
	[VF_DIARRHOEA] = N_("Diarrhoea"),
	[VF_ORS_ZINC] = N_("ORS and zinc given"),
	[VF_PMT] = N_("Supplementary food (PMT)"),
	[VF_DEVELOPMENT] = N_("Development as expected (KPSP)"),
};

const char *visit_field_label(enum visit_field f)
{
	return f >= 0 && f < VF__COUNT && field_labels[f] ? _(field_labels[f]) : "";
}

static const char *const measure_names[MEASURE__COUNT] = {
	[MEASURE_WEIGHT] = N_("Weight"), [MEASURE_LENHEI] = N_("Length/height"),
	[MEASURE_HEADC] = N_("Head circumference"), [MEASURE_MUAC] = N_("Arm circumference"),
	[MEASURE_LILA] = N_("Arm circumference"), [MEASURE_BP_SYS] = N_("Systolic blood pressure"),
	[MEASURE_BP_DIA] = N_("Diastolic blood pressure"), [MEASURE_GLUCOSE] = N_("Blood glucose"),
	[MEASURE_WAIST] = N_("Waist"), [MEASURE_HB] = N_("Hb"),
	[MEASURE_CHOLESTEROL] = N_("Cholesterol"), [MEASURE_URIC] = N_("Uric acid"),
};

/* X with a decimal comma and no ",0" ("12,5", "140"). */
static const char *number(double x, char *buf, size_t size)
{
	char *dot;
	snprintf(buf, size, "%.1f", x);
	if ((dot = strchr(buf, '.')) != NULL) {
		if (dot[1] == '0' && !dot[2])
			*dot = '\0';
		else
			*dot = ',';
	}
	return buf;
}

const char *measure_range_text(enum measure_field f, char *buf, size_t size)
{
	const struct measure_limit *lim;
	char lo[16], hi[16];

	if ((unsigned)f >= MEASURE__COUNT) {
		snprintf(buf, size, "%s", _("That value is not possible: measure again"));
		return buf;
	}
	lim = &measure_limits[f];
	snprintf(buf, size, _("%s: only %s-%s %s is possible; measure again"), _(measure_names[f]),
		 number(lim->min, lo, sizeof lo), number(lim->max, hi, sizeof hi), lim->unit);
	return buf;
}

static void code_text(const struct vcheck *c, char *buf, size_t size)
{
	switch (c->field) {
	case VF_TD:
		snprintf(buf, size, "%s", _("The Td status is T1 to T5"));
		break;
	case VF_ADL:
		snprintf(buf, size, "%s", _("The ADL (Barthel) score is 0 to 20"));
		break;
	case VF_GRAVIDA:
	case VF_PARA:
		snprintf(buf, size, _("%s: at most 20"), visit_field_label((enum visit_field)c->field));
		break;
	default:
		snprintf(buf, size, _("%s: unknown value %ld"),
			 visit_field_label((enum visit_field)c->field), c->now);
		break;
	}
}

static void ilp_text(const struct vcheck *c, char *buf, size_t size)
{
	char a[16], d[DATE_BUFSZ];
	const char *name = (unsigned)c->field < MEASURE__COUNT ? _(measure_names[c->field]) : "";

	switch (c->code) {
	case VCHECK_RANGE:
		measure_range_text((enum measure_field)c->field, buf, size);
		break;
	case VCHECK_UNLIKELY:
		snprintf(buf, size, _("Unlikely value: %s %s %s; measure again"), name,
			 number(c->value, a, sizeof a), measure_limits[c->field].unit);
		break;
	case VCHECK_BP:
		if (!c->now || !c->prev)
			snprintf(buf, size, "%s", _("Blood pressure needs both numbers, e.g. 120/80"));
		else
			snprintf(buf, size, _("Blood pressure %ld/%ld: the upper number must be the greater"),
				 c->now, c->prev);
		break;
	case VCHECK_BMI:
		snprintf(buf, size, _("Unlikely BMI %s: check the weight and the height"),
			 number(c->value, a, sizeof a));
		break;
	case VCHECK_NOT_FOR:
		if (c->field == VF_IRON_WEEKLY && c->verdict == VF_FITS)
			snprintf(buf, size, "%s", _("The weekly iron tablet is for girls only"));
		else
			snprintf(buf, size, c->verdict == VF_WRONG_AGE ? _("%s: not asked at this age")
								  : _("%s: not asked of this person"),
				 visit_field_label((enum visit_field)c->field));
		break;
	case VCHECK_CODE:
		code_text(c, buf, size);
		break;
	case VCHECK_PARA:
		snprintf(buf, size, _("Pregnancy no. %ld with %ld births before: para must be less"),
			 c->now, c->prev);
		break;
	case VCHECK_HPHT:
		snprintf(buf, size, c->verdict == VCHECK_HPHT_AFTER
			 ? _("HPHT %s is after the visit date")
			 : _("HPHT %s is more than 44 weeks before the visit"),
			 date_format(c->prev_date, d));
		break;
	case VCHECK_GEST:
		snprintf(buf, size, _("%ld weeks pregnant, but %ld weeks from the HPHT %s"), c->now,
			 c->prev, date_format(c->prev_date, d));
		break;
	case VCHECK_DEWORM:
		snprintf(buf, size, "%s", _("Deworming outside Feb/Aug: a catch-up"));
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

const char *visit_check_text(const struct vcheck *c, char *buf, size_t size)
{
	char now[16], prev[16], d[DATE_BUFSZ];
	bool loss = c->change & (DESK_CHANGE_WEIGHT_LOSS | DESK_CHANGE_LENGTH_LOSS);

	switch (c->code) {
	case VCHECK_EMPTY:
		snprintf(buf, size, "%s", _("Nothing to save: enter a measurement or a service"));
		break;
	case VCHECK_IMPLAUSIBLE:
		snprintf(buf, size, _("Unlikely value: %s"), warn_text(c->warn));
		break;
	case VCHECK_WEIGHT:
	case VCHECK_LENGTH: {
		bool kg = c->code == VCHECK_WEIGHT;
		const char *fmt = kg ? (loss ? _("Weight %s kg, %s kg on %s: too great a loss")
					     : _("Weight %s kg, %s kg on %s: more than a month allows"))
				     : (loss ? _("Length %s cm, %s cm on %s: a child does not shrink")
					     : _("Length %s cm, %s cm on %s: more than a month allows"));
		snprintf(buf, size, fmt, tenths(c->now, kg ? 1000 : 10, now, sizeof now),
			 tenths(c->prev, kg ? 1000 : 10, prev, sizeof prev), date_format(c->prev_date, d));
		break;
	}
	case VCHECK_IMM:
		imm_text(c, buf, size);
		break;
	case VCHECK_VITA:
		if (c->verdict == VITA_WRONG_AGE)
			snprintf(buf, size, "%s", c->now == VITA_BLUE
				 ? _("A blue capsule is for 6-11 months; from 12 months red")
				 : _("A red capsule is for 12-59 months; before 12 months blue"));
		else if (c->verdict == VITA_BLUE_AGAIN)
			snprintf(buf, size, "%s", _("A blue capsule is given once; one was given before"));
		else
			snprintf(buf, size, "%s", _("Vitamin A outside Feb/Aug: a catch-up"));
		break;
	case VCHECK_RANGE:
	case VCHECK_UNLIKELY:
	case VCHECK_BP:
	case VCHECK_BMI:
	case VCHECK_NOT_FOR:
	case VCHECK_CODE:
	case VCHECK_PARA:
	case VCHECK_HPHT:
	case VCHECK_GEST:
	case VCHECK_DEWORM:
		ilp_text(c, buf, size);
		break;
	}
	return buf;
}
