/* core/measure.h: is a measurement possible, and is it plausible?
 *
 * A form calls measure_check() when the kader leaves a field, and
 * measure_warnings() once the z-scores are computed:
 *   - an impossible value (a weight of 0.05 or 400 kg) is an error:
 *     -1 with err_set(ERR_RANGE, field name);
 *   - an implausible one is a warning (return 1, or a bit in the set) and the
 *     form asks "re-measure?" (ulangi pengukuran?); the value may be kept.
 * The implausibility rules are WHO's (data/who-2006/README.md rules 3, 4, 12);
 * the "impossible" bounds are the project's own sanity limits, in one table. */
#ifndef POSYANDU_CORE_MEASURE_H
#define POSYANDU_CORE_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/growth.h"

enum measure_field {
	MEASURE_WEIGHT,      /* kg, a child */
	MEASURE_LENHEI,      /* cm, a child */
	MEASURE_HEADC,       /* cm */
	MEASURE_MUAC,        /* cm, a child's arm */
	MEASURE_LILA,        /* cm, a woman's arm */
	/* Posyandu ILP (issue 14), in the units a kader reads off the device */
	MEASURE_BP_SYS,      /* mmHg */
	MEASURE_BP_DIA,      /* mmHg */
	MEASURE_GLUCOSE,     /* mg/dL */
	MEASURE_WAIST,       /* cm */
	MEASURE_HB,          /* g/dL */
	MEASURE_CHOLESTEROL, /* mg/dL */
	MEASURE_URIC,        /* mg/dL */
	MEASURE__COUNT
};

struct measure_limit {
	const char *field;            /* err field name: "weight", "length", ... */
	double min, max;              /* possible: min <= value <= max */
	double plaus_min, plaus_max;  /* plausible: within (0, 0: no rule); under 5
	                                 years only, unless ANY_AGE */
	bool any_age;                 /* the plausible range holds at every age */
	const char *unit;             /* "kg", "cm", "mmHg", "mg/dL", "g/dL" */
};
/* Indexed by enum measure_field. */
extern const struct measure_limit measure_limits[MEASURE__COUNT];

/* Check VALUE of field F for a child of AGE_DAYS (< 0: unknown). NAN means
 * "not measured" and returns 0; zero or a negative value is impossible.
 * Returns 0 fine, 1 implausible, -1 impossible with ERR_RANGE and the field
 * name in ERR. */
int measure_check(enum measure_field f, double value, int32_t age_days, struct err *err);

/* Visit date DAY against date of birth DOB (day numbers): -1 with ERR_RANGE
 * ("date") if the visit is before the birth; else 0. */
int measure_check_dates(int32_t dob, int32_t day, struct err *err);

/* Warnings: reasons to ask for a re-measurement. */
enum measure_warn {
	MEASURE_WARN_WEIGHT_RANGE   = 1u << 0,  /* under 5, outside 0.9-58 kg */
	MEASURE_WARN_LENHEI_RANGE   = 1u << 1,  /* under 5, outside 38-150 cm */
	MEASURE_WARN_STANDING_UNDER_9MO = 1u << 2,  /* standing height below 9 months */
	MEASURE_WARN_FWEI           = 1u << 3,  /* WHO flags (rule 12) */
	MEASURE_WARN_FLEN           = 1u << 4,
	MEASURE_WARN_FWFL           = 1u << 5,
	MEASURE_WARN_FBMI           = 1u << 6,
	MEASURE_WARN_FHC            = 1u << 7,
	MEASURE_WARN_FAC            = 1u << 8,
};

/* Every warning for IN and its computed R. */
unsigned measure_warnings(const struct growth_input *in, const struct growth_result *r);

/* Check every measurement of IN with measure_check() (use NAN, not 0, for
 * "not measured" here): -1 at the first impossible one (ERR filled), else 0. */
int measure_check_input(const struct growth_input *in, struct err *err);

struct measure_warn_info {
	unsigned bit;
	const char *key;        /* stable: "weight_range", "fwei", ... */
	const char *label_en;   /* English msgid, phrased as the re-measure question's reason */
};
extern const struct measure_warn_info measure_warn_infos[];
extern const unsigned measure_warn_infos_len;

/* A change since the previous measurement beyond what a month allows: a
 * typing error far more often than a child (issue 12). Gains are scaled by
 * the months between (at least one), losses are not. The limits are one
 * table in measure.c: the largest monthly gain by age (generous, above
 * WHO's 99th centile of 1-month increments), a weight loss of more than
 * MEASURE_LOSS_PCT percent, a length that shrinks by more than
 * MEASURE_SHRINK_MM (measurement error). */
#define MEASURE_LOSS_PCT 15
#define MEASURE_SHRINK_MM 10
struct measure_change_limit {
	int from_months;               /* completed months at the earlier measurement */
	int gain_g, gain_mm;           /* most a month allows */
};
extern const struct measure_change_limit measure_change_limits[];
extern const unsigned measure_change_limits_len;

enum measure_change {
	MEASURE_CHANGE_OK = 0,
	MEASURE_CHANGE_GAIN,           /* more gained than the months between allow */
	MEASURE_CHANGE_LOSS,           /* weight lost, or length shrunk, beyond the limit */
};
/* Field F (MEASURE_WEIGHT in g, MEASURE_LENHEI in mm; other fields: OK)
 * from PREV to NOW, DAYS apart, of a child of AGE_MONTHS at PREV. A length
 * measured in the other position is first brought to PREV's (0.7 cm,
 * domain.md §4.3): POS_PREV, POS_NOW are 'l', 'h' or 0. */
enum measure_change measure_change_check(enum measure_field f, long prev, long now, int32_t days,
					 int age_months, char pos_prev, char pos_now);

#endif
