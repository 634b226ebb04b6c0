/* core/growth.c: WHO z-scores and Permenkes 2/2020 categories.
 *
 * "Rule N" below is rule N of data/who-2006/README.md ("How WHO Anthro turns
 * a measurement into a z-score"); "Decision" is its "Decisions for posyandu";
 * "2007" is data/who-2007/README.md ("Rules WHO's software applies"). */
#include "core/growth.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>

#include "core/who.h"

#include "core/banned.h"

/* Marks English msgids for xgettext (-kN_), as tui/i18n.h does; core never
 * translates. */
#define N_(s) (s)

/* Rule 1 and the decision: months = days / 30.4375, not rounded. */
#define DAYS_PER_MONTH 30.4375
/* Decision: the 2006 standards below 60 months, the 2007 reference from 60. */
#define MONTHS_2007 60.0
/* 2007: anthroplus ranges, 60 <= months <= 228 (120 for weight-for-age). */
#define MONTHS_2007_MAX 228.0
#define MONTHS_2007_WFA_MAX 120.0
/* Rule 3: lying below 731 days, standing from 731 days, 0.7 cm between. */
#define STANDING_FROM_DAYS 731
#define LENHEI_ADJUST_CM 0.7
/* Decision (anthro 1.1.0): standing height below 9 months is an error. */
#define STANDING_MIN_MONTHS 9.0
/* Rule 4: table ranges in mm (tenths of a cm), and the 87 cm switch when
 * neither age nor position is known. */
#define WFL_MIN_MM 450
#define WFL_MAX_MM 1100
#define WFH_MIN_MM 650
#define WFH_MAX_MM 1200
#define WFLH_UNKNOWN_SWITCH_CM 87.0
/* Snap x * 10 to a whole mm within this distance, so that 45.3 or
 * 109.3 + 0.7 are read as the row they name, not a hair beside it. */
#define MM_EPS 1e-7

/* ---- The LMS method (rules 6, 7, 11) ---- */

double growth_lms_z(double y, double l, double m, double s)
{
	if (l == 0.0)           /* the Box-Cox limit; no WHO row has L = 0 */
		return log(y / m) / s;
	return (pow(y / m, l) - 1.0) / (l * s);
}

/* SDk = M (1 + L S k)^(1/L) (rule 7). */
static double lms_sd(double l, double m, double s, double k)
{
	if (l == 0.0)
		return m * exp(s * k);
	return m * pow(1.0 + l * s * k, 1.0 / l);
}

double growth_lms_z_restricted(double y, double l, double m, double s)
{
	double z = growth_lms_z(y, l, m, s);

	if (z > 3.0) {
		double sd3 = lms_sd(l, m, s, 3.0);
		z = 3.0 + (y - sd3) / (sd3 - lms_sd(l, m, s, 2.0));
	} else if (z < -3.0) {
		double sd3 = lms_sd(l, m, s, -3.0);
		z = -3.0 + (y - sd3) / (lms_sd(l, m, s, -2.0) - sd3);
	}
	return z;
}

double growth_round2(double z)
{
	double r = round(z * 100.0) / 100.0;   /* round(): halves away from zero */
	return r == 0.0 ? 0.0 : r;             /* no "-0.00" */
}

long growth_z_centi(double z)
{
	double c = growth_round2(z) * 100.0;

	if (!(c > -1e9))
		return -1000000000L;
	if (c > 1e9)
		return 1000000000L;
	return lround(c);
}

/* ---- Table lookups ---- */

static bool present(double v)
{
	return isfinite(v) && v > 0.0;           /* rule 10 */
}

/* Row for whole day DAY of a 2006 age table (rule 1: no interpolation). */
static const struct who_lms *day_row(enum who_table_id id, int sex, int32_t day)
{
	const struct who_table *t = &who_tables[id][sex - 1];
	int64_t i = (int64_t)day - t->first;

	return i >= 0 && i < t->count ? &t->rows[i] : NULL;
}

double growth_curve(enum growth_indicator ind, int sex, int32_t age_days, double k)
{
	enum who_table_id id = ind == GROWTH_WFA ? WHO_WFA : ind == GROWTH_LHFA ? WHO_LHFA
			     : ind == GROWTH_HCA ? WHO_HCFA : WHO_TABLE__COUNT;
	const struct who_lms *r;

	if (id == WHO_TABLE__COUNT || (sex != GROWTH_MALE && sex != GROWTH_FEMALE) ||
	    !(r = day_row(id, sex, age_days)))
		return NAN;
	if (ind == GROWTH_WFA && fabs(k) > 3.0) {   /* restricted beyond 3 SD, as rule 7 */
		double sd3 = lms_sd(r->l, r->m, r->s, k > 0 ? 3.0 : -3.0);
		double sd2 = lms_sd(r->l, r->m, r->s, k > 0 ? 2.0 : -2.0);
		return sd3 + (k - (k > 0 ? 3.0 : -3.0)) * fabs(sd3 - sd2);
	}
	return lms_sd(r->l, r->m, r->s, k);
}

/* 2007: L, M, S interpolated linearly between whole months lo and lo + 1. */
static bool month_lms(enum who_table_id id, int sex, double months, struct who_lms *out)
{
	const struct who_table *t = &who_tables[id][sex - 1];
	int lo = (int)months;                   /* trunc, months >= 60 */
	double f = months - lo;
	int i = lo - t->first;

	if (i < 0 || i >= t->count)
		return false;
	if (f == 0.0 || i + 1 >= t->count) {
		if (f != 0.0)
			return false;
		*out = t->rows[i];
		return true;
	}
	out->l = t->rows[i].l + f * (t->rows[i + 1].l - t->rows[i].l);
	out->m = t->rows[i].m + f * (t->rows[i + 1].m - t->rows[i].m);
	out->s = t->rows[i].s + f * (t->rows[i + 1].s - t->rows[i].s);
	return true;
}

/* Rule 5: lo = trunc(x * 10) / 10, f = (x - lo) / 0.1, each of L, M, S
 * interpolated. X is in cm and already checked against the table range. */
static bool mm_lms(enum who_table_id id, int sex, double x_cm, struct who_lms *out)
{
	const struct who_table *t = &who_tables[id][sex - 1];
	double tenths = x_cm * 10.0;
	double lo = floor(tenths);
	double f = tenths - lo;
	int64_t i;

	if (f < MM_EPS) {
		f = 0.0;
	} else if (f > 1.0 - MM_EPS) {
		lo += 1.0;
		f = 0.0;
	}
	i = (int64_t)lo - t->first;
	if (i < 0 || i >= t->count || (f > 0.0 && i + 1 >= t->count))
		return false;
	if (f == 0.0) {
		*out = t->rows[i];
		return true;
	}
	out->l = t->rows[i].l + f * (t->rows[i + 1].l - t->rows[i].l);
	out->m = t->rows[i].m + f * (t->rows[i + 1].m - t->rows[i].m);
	out->s = t->rows[i].s + f * (t->rows[i + 1].s - t->rows[i].s);
	return true;
}

/* ---- One indicator ---- */

/* Rule 12: implausible when the rounded z is beyond these (strictly). */
static const struct {
	double lo, hi;
	bool restricted;      /* rule 7: all but length/height-for-age */
} ind_rule[GROWTH__COUNT] = {
	[GROWTH_WFA]  = { -6.0, 5.0, true },
	[GROWTH_LHFA] = { -6.0, 6.0, false },
	[GROWTH_WFLH] = { -5.0, 5.0, true },
	[GROWTH_BMI]  = { -5.0, 5.0, true },
	[GROWTH_HCA]  = { -5.0, 5.0, true },    /* L = 1: same as unrestricted */
	[GROWTH_ACA]  = { -5.0, 5.0, true },
};

static void set_missing(struct growth_z *gz, enum growth_why why)
{
	gz->valid = false;
	gz->why = why;
	gz->z = NAN;
	gz->flag = false;
}

static void set_z(struct growth_z *gz, enum growth_indicator ind, double y, const struct who_lms *r)
{
	double z = ind_rule[ind].restricted ? growth_lms_z_restricted(y, r->l, r->m, r->s)
					    : growth_lms_z(y, r->l, r->m, r->s);
	if (!isfinite(z)) {
		set_missing(gz, GROWTH_NO_VALUE);
		return;
	}
	gz->valid = true;
	gz->why = GROWTH_OK;
	gz->z = growth_round2(z);
	gz->flag = gz->z < ind_rule[ind].lo || gz->z > ind_rule[ind].hi;
}

/* An age-based indicator: 2006 table ID06 by whole day, or 2007
 * table ID07 (WHO_TABLE__COUNT: none) up to MAX07 months. */
static void age_based(struct growth_z *gz, enum growth_indicator ind, int sex, int32_t age_days,
		      double months, double y, enum who_table_id id06, enum who_table_id id07,
		      double max07)
{
	struct who_lms lms;
	const struct who_lms *row;

	if (!present(y)) {
		set_missing(gz, GROWTH_NO_VALUE);
		return;
	}
	if (age_days < 0) {
		set_missing(gz, GROWTH_NO_AGE);
		return;
	}
	if (months < MONTHS_2007) {
		row = day_row(id06, sex, age_days);
		if (row)
			set_z(gz, ind, y, row);
		else
			set_missing(gz, GROWTH_AGE_RANGE);
		return;
	}
	if (id07 == WHO_TABLE__COUNT || months > max07 || !month_lms(id07, sex, months, &lms)) {
		set_missing(gz, GROWTH_AGE_RANGE);
		return;
	}
	set_z(gz, ind, y, &lms);
}

/* Rule 4: weight-for-length below 731 days, weight-for-height from 731; with
 * no age the position decides, and with neither the 87 cm switch. */
static void wflh(const struct growth_input *in, char measure, double months,
		 struct growth_result *out)
{
	struct growth_z *gz = &out->ind[GROWTH_WFLH];
	double x = out->clenhei_cm;
	bool length;
	int lo_mm, hi_mm;
	struct who_lms lms;

	if (in->oedema) {
		set_missing(gz, GROWTH_OEDEMA);
		return;
	}
	if (!present(in->weight_kg) || !present(x)) {
		set_missing(gz, GROWTH_NO_VALUE);
		return;
	}
	if (in->age_days >= 0 && months >= MONTHS_2007) {   /* rule 4, last sentence */
		set_missing(gz, GROWTH_AGE_RANGE);
		return;
	}
	if (in->age_days >= 0)
		length = in->age_days < STANDING_FROM_DAYS;
	else if (measure)
		length = measure == 'l';
	else
		length = x < WFLH_UNKNOWN_SWITCH_CM;
	out->wflh = length ? GROWTH_WFLH_LENGTH : GROWTH_WFLH_HEIGHT;
	lo_mm = length ? WFL_MIN_MM : WFH_MIN_MM;
	hi_mm = length ? WFL_MAX_MM : WFH_MAX_MM;
	if (x * 10.0 < lo_mm - MM_EPS || x * 10.0 > hi_mm + MM_EPS) {
		set_missing(gz, GROWTH_LENHEI_RANGE);
		return;
	}
	if (!mm_lms(length ? WHO_WFL : WHO_WFH, in->sex, x, &lms)) {
		set_missing(gz, GROWTH_LENHEI_RANGE);
		return;
	}
	set_z(gz, GROWTH_WFLH, in->weight_kg, &lms);
}

void growth_compute(const struct growth_input *in, struct growth_result *out)
{
	char measure = in->measure;
	int32_t days = in->age_days < 0 ? -1 : in->age_days;
	double months = days < 0 ? NAN : days / DAYS_PER_MONTH;

	out->ref = GROWTH_REF_NONE;
	out->wflh = GROWTH_WFLH_NONE;
	out->lenhei_adjust_cm = 0.0;
	out->standing_under_9mo = false;
	out->clenhei_cm = present(in->lenhei_cm) ? in->lenhei_cm : NAN;
	out->bmi_kg_m2 = NAN;

	if (in->sex != GROWTH_MALE && in->sex != GROWTH_FEMALE) {
		for (int i = 0; i < GROWTH__COUNT; i++)
			set_missing(&out->ind[i], GROWTH_NO_SEX);
		return;
	}
	if (measure == 'L' || measure == 'H')
		measure = (char)(measure - 'A' + 'a');
	if (measure != 'l' && measure != 'h')
		measure = 0;
	if (days >= 0)
		out->ref = months < MONTHS_2007 ? GROWTH_REF_WHO2006 :
			   months <= MONTHS_2007_MAX ? GROWTH_REF_WHO2007 : GROWTH_REF_NONE;

	/* Decision: standing below 9 months is a recording error; the position is
	 * ignored, so nothing is added. */
	if (days >= 0 && measure == 'h' && months < STANDING_MIN_MONTHS) {
		out->standing_under_9mo = true;
		measure = 0;
	}
	/* Rule 3, for the 2006 standards only (2007: height is always standing,
	 * no correction). Needs the age and the position. */
	if (present(out->clenhei_cm) && days >= 0 && months < MONTHS_2007) {
		if (measure == 'h' && days < STANDING_FROM_DAYS)
			out->lenhei_adjust_cm = LENHEI_ADJUST_CM;
		else if (measure == 'l' && days >= STANDING_FROM_DAYS)
			out->lenhei_adjust_cm = -LENHEI_ADJUST_CM;
		out->clenhei_cm += out->lenhei_adjust_cm;
	}
	/* Rule 8. */
	if (present(in->weight_kg) && present(out->clenhei_cm)) {
		double m = out->clenhei_cm / 100.0;
		out->bmi_kg_m2 = in->weight_kg / (m * m);
	}

	if (in->oedema) {           /* rule 9 */
		set_missing(&out->ind[GROWTH_WFA], GROWTH_OEDEMA);
		set_missing(&out->ind[GROWTH_BMI], GROWTH_OEDEMA);
	} else {
		age_based(&out->ind[GROWTH_WFA], GROWTH_WFA, in->sex, days, months, in->weight_kg,
			  WHO_WFA, WHO07_WFA, MONTHS_2007_WFA_MAX);
		age_based(&out->ind[GROWTH_BMI], GROWTH_BMI, in->sex, days, months, out->bmi_kg_m2,
			  WHO_BFA, WHO07_BFA, MONTHS_2007_MAX);
	}
	age_based(&out->ind[GROWTH_LHFA], GROWTH_LHFA, in->sex, days, months, out->clenhei_cm,
		  WHO_LHFA, WHO07_HFA, MONTHS_2007_MAX);
	age_based(&out->ind[GROWTH_HCA], GROWTH_HCA, in->sex, days, months, in->headc_cm,
		  WHO_HCFA, WHO_TABLE__COUNT, 0.0);
	age_based(&out->ind[GROWTH_ACA], GROWTH_ACA, in->sex, days, months, in->muac_cm,
		  WHO_ACFA, WHO_TABLE__COUNT, 0.0);
	wflh(in, measure, months, out);
}

/* ---- Names ---- */

struct name {
	const char *key, *label;
};

static const struct name ind_names[GROWTH__COUNT] = {
	[GROWTH_WFA]  = { "wei", N_("weight-for-age (BB/U)") },
	[GROWTH_LHFA] = { "len", N_("length/height-for-age (PB/U, TB/U)") },
	[GROWTH_WFLH] = { "wfl", N_("weight-for-length/height (BB/PB, BB/TB)") },
	[GROWTH_BMI]  = { "bmi", N_("BMI-for-age (IMT/U)") },
	[GROWTH_HCA]  = { "hc",  N_("head circumference-for-age (LK/U)") },
	[GROWTH_ACA]  = { "ac",  N_("arm circumference-for-age (LiLA/U)") },
};

static const struct name why_names[] = {
	[GROWTH_OK]           = { "ok",           "" },
	[GROWTH_NO_SEX]       = { "no_sex",       N_("sex not given") },
	[GROWTH_NO_VALUE]     = { "no_value",     N_("not measured") },
	[GROWTH_NO_AGE]       = { "no_age",       N_("age not known") },
	[GROWTH_AGE_RANGE]    = { "age_range",    N_("no WHO table for this age") },
	[GROWTH_LENHEI_RANGE] = { "lenhei_range", N_("length outside 45-110 cm or height outside 65-120 cm") },
	[GROWTH_OEDEMA]       = { "oedema",       N_("not computed with oedema") },
};

/* Entry I of a table of N names, or empty ones. */
static const struct name *name_of(const struct name *t, size_t n, unsigned i)
{
	static const struct name none = { "", "" };
	return i < n ? &t[i] : &none;
}

#define IND_NAME(ind) name_of(ind_names, GROWTH__COUNT, (unsigned)(ind))
#define WHY_NAME(why) name_of(why_names, sizeof why_names / sizeof why_names[0], (unsigned)(why))

const char *growth_indicator_key(enum growth_indicator ind)
{
	return IND_NAME(ind)->key;
}

const char *growth_indicator_label(enum growth_indicator ind)
{
	return IND_NAME(ind)->label;
}

const char *growth_why_key(enum growth_why why)
{
	return WHY_NAME(why)->key;
}

const char *growth_why_label(enum growth_why why)
{
	return WHY_NAME(why)->label;
}

/* ---- Permenkes 2/2020 categories (domain.md 4.3) ----
 *
 * Each scheme is a list of bands, tested in order on the z-score in whole
 * hundredths (the rounded 2-decimal z of rule 11): the first band whose
 * upper bound is >= z wins. "s.d." in the regulation is inclusive, so
 * "-3 SD s.d. < -2 SD" puts -3.00 in the band above -3 and -2.00 in the band
 * above -2; "-2 SD s.d. +1 SD" keeps +1.00 normal (domain.md 0, rule 1). A
 * strict "z < c" is written as the bound c - 1 hundredth. */
struct band {
	int upto_centi;       /* z in hundredths <= this */
	enum growth_cat cat;
};

static const struct band wfa_bands[] = {              /* BB/U 0-60 m */
	{ -301, GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT },  /* z < -3 */
	{ -201, GROWTH_CAT_WFA_UNDERWEIGHT },           /* -3 <= z < -2 */
	{ 100, GROWTH_CAT_WFA_NORMAL },                 /* -2 <= z <= +1 */
	{ INT_MAX, GROWTH_CAT_WFA_RISK_OVERWEIGHT },    /* z > +1 */
};
static const struct band lhfa_bands[] = {             /* PB/U, TB/U 0-60 m */
	{ -301, GROWTH_CAT_LHFA_SEVERELY_STUNTED },     /* z < -3 */
	{ -201, GROWTH_CAT_LHFA_STUNTED },              /* -3 <= z < -2 */
	{ 300, GROWTH_CAT_LHFA_NORMAL },                /* -2 <= z <= +3 */
	{ INT_MAX, GROWTH_CAT_LHFA_TALL },              /* z > +3 */
};
static const struct band wflh_bands[] = {             /* BB/PB, BB/TB, IMT/U 0-60 m */
	{ -301, GROWTH_CAT_WFLH_SEVERELY_WASTED },      /* z < -3 */
	{ -201, GROWTH_CAT_WFLH_WASTED },               /* -3 <= z < -2 */
	{ 100, GROWTH_CAT_WFLH_NORMAL },                /* -2 <= z <= +1 */
	{ 200, GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT }, /* +1 < z <= +2 */
	{ 300, GROWTH_CAT_WFLH_OVERWEIGHT },            /* +2 < z <= +3 */
	{ INT_MAX, GROWTH_CAT_WFLH_OBESE },             /* z > +3 */
};
static const struct band bmi5_bands[] = {             /* IMT/U 5-18 y */
	{ -301, GROWTH_CAT_BMI5_SEVERELY_THIN },        /* z < -3 */
	{ -201, GROWTH_CAT_BMI5_THIN },                 /* -3 <= z < -2 */
	{ 100, GROWTH_CAT_BMI5_NORMAL },                /* -2 <= z <= +1 */
	{ 200, GROWTH_CAT_BMI5_OVERWEIGHT },            /* +1 < z <= +2 */
	{ INT_MAX, GROWTH_CAT_BMI5_OBESE },             /* z > +2 */
};

#define BANDS(a) { a, sizeof a / sizeof a[0] }
static const struct {
	const struct band *b;
	size_t n;
} schemes[] = {
	[GROWTH_SCHEME_NONE] = { NULL, 0 },
	[GROWTH_SCHEME_WFA]  = BANDS(wfa_bands),
	[GROWTH_SCHEME_LHFA] = BANDS(lhfa_bands),
	[GROWTH_SCHEME_WFLH] = BANDS(wflh_bands),
	[GROWTH_SCHEME_BMI5] = BANDS(bmi5_bands),
};

/* Labels: the Indonesian terms of domain.md 4.3; English msgids are unique
 * per Indonesian label so one catalogue entry serves every screen. */
static const struct growth_cat_info cat_info[GROWTH_CAT__COUNT] = {
	[GROWTH_CAT_NONE] = { "", "", "", 0 },
	[GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT] = { "severely_underweight", N_("severely underweight"), "Berat badan sangat kurang", 2 },
	[GROWTH_CAT_WFA_UNDERWEIGHT]     = { "underweight", N_("underweight"), "Berat badan kurang", 1 },
	[GROWTH_CAT_WFA_NORMAL]          = { "normal", N_("normal weight"), "Berat badan normal", 0 },
	[GROWTH_CAT_WFA_RISK_OVERWEIGHT] = { "risk_of_overweight", N_("risk of overweight"), "Risiko berat badan lebih", 1 },
	[GROWTH_CAT_LHFA_SEVERELY_STUNTED] = { "severely_stunted", N_("severely stunted"), "Sangat pendek", 2 },
	[GROWTH_CAT_LHFA_STUNTED]        = { "stunted", N_("stunted"), "Pendek", 1 },
	[GROWTH_CAT_LHFA_NORMAL]         = { "normal", N_("normal height"), "Normal", 0 },
	[GROWTH_CAT_LHFA_TALL]           = { "tall", N_("tall"), "Tinggi", 1 },
	[GROWTH_CAT_WFLH_SEVERELY_WASTED] = { "severely_wasted", N_("severely wasted"), "Gizi buruk", 2 },
	[GROWTH_CAT_WFLH_WASTED]         = { "wasted", N_("wasted"), "Gizi kurang", 1 },
	[GROWTH_CAT_WFLH_NORMAL]         = { "normal", N_("normal (good nutrition)"), "Gizi baik (normal)", 0 },
	[GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT] = { "possible_risk_of_overweight", N_("possible risk of overweight"), "Berisiko gizi lebih", 1 },
	[GROWTH_CAT_WFLH_OVERWEIGHT]     = { "overweight", N_("overweight"), "Gizi lebih", 1 },
	[GROWTH_CAT_WFLH_OBESE]          = { "obese", N_("obese"), "Obesitas", 2 },
	[GROWTH_CAT_BMI5_SEVERELY_THIN]  = { "severe_thinness", N_("severe thinness"), "Gizi buruk", 2 },
	[GROWTH_CAT_BMI5_THIN]           = { "thinness", N_("thinness"), "Gizi kurang", 1 },
	[GROWTH_CAT_BMI5_NORMAL]         = { "normal", N_("normal (good nutrition)"), "Gizi baik (normal)", 0 },
	[GROWTH_CAT_BMI5_OVERWEIGHT]     = { "overweight", N_("overweight"), "Gizi lebih", 1 },
	[GROWTH_CAT_BMI5_OBESE]          = { "obese", N_("obese"), "Obesitas", 2 },
};

enum growth_cat growth_cat_of(enum growth_scheme scheme, double z)
{
	long centi;

	if ((unsigned)scheme >= sizeof schemes / sizeof schemes[0] || !isfinite(z))
		return GROWTH_CAT_NONE;
	centi = growth_z_centi(z);
	for (size_t i = 0; i < schemes[scheme].n; i++)
		if (centi <= schemes[scheme].b[i].upto_centi)
			return schemes[scheme].b[i].cat;
	return GROWTH_CAT_NONE;
}

enum growth_scheme growth_scheme_for(const struct growth_result *r, enum growth_indicator ind)
{
	switch (ind) {
	case GROWTH_WFA:
		return r->ref == GROWTH_REF_WHO2006 ? GROWTH_SCHEME_WFA : GROWTH_SCHEME_NONE;
	case GROWTH_LHFA:
		return r->ref == GROWTH_REF_WHO2006 ? GROWTH_SCHEME_LHFA : GROWTH_SCHEME_NONE;
	case GROWTH_WFLH:
		return GROWTH_SCHEME_WFLH;      /* only ever computed below 60 months */
	case GROWTH_BMI:
		return r->ref == GROWTH_REF_WHO2006 ? GROWTH_SCHEME_WFLH :
		       r->ref == GROWTH_REF_WHO2007 ? GROWTH_SCHEME_BMI5 : GROWTH_SCHEME_NONE;
	default:
		return GROWTH_SCHEME_NONE;      /* LK/U, LiLA/U: no Permenkes category */
	}
}

enum growth_cat growth_category(const struct growth_result *r, enum growth_indicator ind)
{
	if ((unsigned)ind >= GROWTH__COUNT || !r->ind[ind].valid)
		return GROWTH_CAT_NONE;
	return growth_cat_of(growth_scheme_for(r, ind), r->ind[ind].z);
}

const struct growth_cat_info *growth_cat_info(enum growth_cat c)
{
	return &cat_info[(unsigned)c < GROWTH_CAT__COUNT ? c : GROWTH_CAT_NONE];
}
