/* core/growth.h: WHO z-scores of a child's measurements, and the
 * Permenkes 2/2020 nutritional-status categories.
 *
 * The method is WHO Anthro's, to the letter, as written in
 * data/who-2006/README.md ("How WHO Anthro turns a measurement into a
 * z-score", rules 1-12, and "Decisions for posyandu") and
 * data/who-2007/README.md. In short:
 *   - age is whole days (visit date - birth date); the WHO 2006 standards are
 *     used while days / 30.4375 < 60, the WHO 2007 reference from 60 months
 *     (months not rounded, L, M, S interpolated between months);
 *   - recumbent length below 731 days, standing height from 731 days, 0.7 cm
 *     added or subtracted when measured the other way; a standing height
 *     below 9 months is a recording error: not corrected, and flagged;
 *   - weight-for-length/height interpolates L, M, S between 0.1 cm rows;
 *   - the restricted z-score beyond +-3 SD for every indicator except
 *     length/height-for-age; no weight-based z-score with oedema;
 *   - z rounded to 2 decimals, half away from zero; implausibility flags on
 *     the rounded z with strict comparisons.
 * Pure computation: no I/O, no allocation, no global state. */
#ifndef POSYANDU_CORE_GROWTH_H
#define POSYANDU_CORE_GROWTH_H

#include <stdbool.h>
#include <stdint.h>

enum { GROWTH_MALE = 1, GROWTH_FEMALE = 2 };

/* The indicators, in the order of WHO Anthro's output columns
 * zwei, zlen, zwfl, zbmi, zhc, zac. */
enum growth_indicator {
	GROWTH_WFA,      /* weight-for-age (BB/U), zwei */
	GROWTH_LHFA,     /* length/height-for-age (PB/U, TB/U), zlen */
	GROWTH_WFLH,     /* weight-for-length or -height (BB/PB, BB/TB), zwfl */
	GROWTH_BMI,      /* BMI-for-age (IMT/U), zbmi */
	GROWTH_HCA,      /* head circumference-for-age (LK/U), zhc */
	GROWTH_ACA,      /* arm circumference (MUAC, LILA)-for-age, zac */
	GROWTH__COUNT
};

struct growth_input {
	int sex;               /* GROWTH_MALE or GROWTH_FEMALE; anything else: no z-score */
	int32_t age_days;      /* visit date - birth date; < 0 means unknown */
	double weight_kg;      /* <= 0 or NAN: missing */
	double lenhei_cm;      /* as measured, before the 0.7 cm correction; <= 0 or NAN: missing */
	char measure;          /* 'l' lying (recumbent), 'h' standing, 0 unknown ('L'/'H' too) */
	bool oedema;           /* bilateral pitting oedema */
	double headc_cm;       /* <= 0 or NAN: missing */
	double muac_cm;        /* <= 0 or NAN: missing */
};

/* Why a z-score is missing. */
enum growth_why {
	GROWTH_OK = 0,
	GROWTH_NO_SEX,         /* sex missing or invalid */
	GROWTH_NO_VALUE,       /* the measurement (or one it needs) is missing or <= 0 */
	GROWTH_NO_AGE,         /* the indicator needs the age */
	GROWTH_AGE_RANGE,      /* no table for this age (e.g. head circumference from 60 months) */
	GROWTH_LENHEI_RANGE,   /* length outside 45-110 cm / height outside 65-120 cm */
	GROWTH_OEDEMA,         /* weight-based indicator with oedema (README rule 9) */
};

/* Which growth reference an age-based z-score came from. */
enum growth_ref {
	GROWTH_REF_NONE = 0,
	GROWTH_REF_WHO2006,    /* WHO Child Growth Standards, days / 30.4375 < 60 */
	GROWTH_REF_WHO2007,    /* WHO Reference 2007, from 60 months */
};

/* Which weight-for-length/height table was used. */
enum growth_wflh_table {
	GROWTH_WFLH_NONE = 0,
	GROWTH_WFLH_LENGTH,    /* weight_for_length, 45-110 cm */
	GROWTH_WFLH_HEIGHT,    /* weight_for_height, 65-120 cm */
};

struct growth_z {
	bool valid;            /* false: z and flag mean nothing, see why */
	enum growth_why why;
	double z;              /* rounded to 2 decimals (rule 11) */
	bool flag;             /* WHO implausible value (rule 12): ask to re-measure */
};

struct growth_result {
	struct growth_z ind[GROWTH__COUNT];
	enum growth_ref ref;            /* reference used for the age-based indicators */
	enum growth_wflh_table wflh;    /* table used for GROWTH_WFLH */
	double clenhei_cm;              /* length/height after the 0.7 cm rule; NAN if missing */
	double lenhei_adjust_cm;        /* +0.7, -0.7 or 0 */
	double bmi_kg_m2;               /* weight / (clenhei m)^2; NAN if not computable */
	bool standing_under_9mo;        /* standing height below 9 months (anthro c9mo_flag):
	                                   not corrected, to be re-measured lying down */
};

/* Compute every indicator of IN into OUT. Never fails: what cannot be
 * computed is marked !valid with a reason. */
void growth_compute(const struct growth_input *in, struct growth_result *out);

/* The LMS z-score of rule 6 and the restricted z-score of rule 7, unrounded.
 * Exposed for tests and benchmarks. */
double growth_lms_z(double y, double l, double m, double s);
double growth_lms_z_restricted(double y, double l, double m, double s);

/* The measurement at K standard deviations for a child of AGE_DAYS (WHO
 * 2006 table row of that day; SDk = M(1+LSk)^(1/L), restricted beyond 3 SD
 * for weight): the curves of a KMS-style chart. IND is GROWTH_WFA,
 * GROWTH_LHFA or GROWTH_HCA; NAN outside the table. */
double growth_curve(enum growth_indicator ind, int sex, int32_t age_days, double k);

/* Round half away from zero to 2 decimals (rule 11). */
double growth_round2(double z);
/* Z rounded to 2 decimals, in whole hundredths (-2.00 -> -200), clamped to
 * +-10^9 so that absurd inputs cannot overflow. Cut-offs compare these. */
long growth_z_centi(double z);

/* Short stable names: "wei", "len", "wfl", "bmi", "hc", "ac" (WHO Anthro's
 * column names without the z/f prefix), and an English msgid for display. */
const char *growth_indicator_key(enum growth_indicator ind);
const char *growth_indicator_label(enum growth_indicator ind);
const char *growth_why_key(enum growth_why why);      /* "ok", "oedema", ... */
const char *growth_why_label(enum growth_why why);    /* English msgid */

/* ---- Permenkes 2/2020 categories (domain.md 4.3) ---- */

enum growth_cat {
	GROWTH_CAT_NONE = 0,                /* no z-score, or no category for this indicator/age */
	/* BB/U, weight-for-age, 0-60 months */
	GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT,
	GROWTH_CAT_WFA_UNDERWEIGHT,
	GROWTH_CAT_WFA_NORMAL,
	GROWTH_CAT_WFA_RISK_OVERWEIGHT,
	/* PB/U or TB/U, length/height-for-age, 0-60 months */
	GROWTH_CAT_LHFA_SEVERELY_STUNTED,
	GROWTH_CAT_LHFA_STUNTED,
	GROWTH_CAT_LHFA_NORMAL,
	GROWTH_CAT_LHFA_TALL,
	/* BB/PB-TB (and IMT/U), 0-60 months */
	GROWTH_CAT_WFLH_SEVERELY_WASTED,
	GROWTH_CAT_WFLH_WASTED,
	GROWTH_CAT_WFLH_NORMAL,
	GROWTH_CAT_WFLH_POSSIBLE_RISK_OVERWEIGHT,
	GROWTH_CAT_WFLH_OVERWEIGHT,
	GROWTH_CAT_WFLH_OBESE,
	/* IMT/U, BMI-for-age, 5-18 years (WHO 2007) */
	GROWTH_CAT_BMI5_SEVERELY_THIN,
	GROWTH_CAT_BMI5_THIN,
	GROWTH_CAT_BMI5_NORMAL,
	GROWTH_CAT_BMI5_OVERWEIGHT,
	GROWTH_CAT_BMI5_OBESE,
	GROWTH_CAT__COUNT
};

/* The category tables of Permenkes 2/2020 (domain.md 4.3). */
enum growth_scheme {
	GROWTH_SCHEME_NONE = 0,
	GROWTH_SCHEME_WFA,        /* BB/U 0-60 m */
	GROWTH_SCHEME_LHFA,       /* PB-TB/U 0-60 m */
	GROWTH_SCHEME_WFLH,       /* BB/PB-TB 0-60 m, and IMT/U 0-60 m */
	GROWTH_SCHEME_BMI5,       /* IMT/U 5-18 y */
};

struct growth_cat_info {
	const char *key;          /* stable, for JSON/CSV: "stunted", ... */
	const char *label_en;     /* English msgid (unique per label; tui translates it) */
	const char *label_id;     /* the Indonesian term of the regulation */
	int alarm;                /* 0 normal, 1 attention, 2 serious (for colouring) */
};

/* Category of a z-score Z (rounded to 2 decimals first, so the cut-off side
 * of a value like -2.004 is that of -2.00) under SCHEME. NAN gives NONE. */
enum growth_cat growth_cat_of(enum growth_scheme scheme, double z);

/* The scheme for IND at the reference R->ref (NONE when Permenkes gives no
 * category: head and arm circumference, and weight- or height-for-age from
 * the 2007 reference). */
enum growth_scheme growth_scheme_for(const struct growth_result *r, enum growth_indicator ind);

/* Category of indicator IND of R; NONE when the z-score is not valid. */
enum growth_cat growth_category(const struct growth_result *r, enum growth_indicator ind);

/* Labels of C; never NULL (GROWTH_CAT_NONE has key "" and empty labels). */
const struct growth_cat_info *growth_cat_info(enum growth_cat c);

#endif
