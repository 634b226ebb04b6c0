/* core/measure.c: possible and plausible measurements. */
#include "core/measure.h"

#include <math.h>
#include <stddef.h>

#include "core/banned.h"

#define N_(s) (s)    /* English msgids for xgettext (-kN_); core never translates */

/* Under 5 years for the plausible ranges: the 2006 standards' last day. */
#define UNDER5_MAX_DAYS 1856

/* The limits. "Possible" is the project's sanity bound for anyone the
 * posyandu measures (a newborn to an adolescent or an adult arm); a value
 * beyond it is a typing error, not a child. "Plausible under 5" is WHO
 * Anthro's own range before anthro 1.1.0 (data/who-2006/README.md rule 4:
 * weight 0.9-58 kg, length/height 38-150 cm). Age-specific implausibility
 * comes from the z-score flags (rule 12). */
const struct measure_limit measure_limits[MEASURE__COUNT] = {
	/*                 field     possible         plausible under 5 */
	[MEASURE_WEIGHT] = { "weight", 0.3, 250.0,     0.9, 58.0, false, "kg" },
	[MEASURE_LENHEI] = { "length", 25.0, 250.0,    38.0, 150.0, false, "cm" },
	[MEASURE_HEADC]  = { "headc",  15.0, 80.0,     0.0, 0.0, false, "cm" },
	[MEASURE_MUAC]   = { "muac",   5.0, 60.0,      0.0, 0.0, false, "cm" },
	[MEASURE_LILA]   = { "lila",   10.0, 70.0,     0.0, 0.0, false, "cm" },
	/* The screening measurements (domain.md §2.6, §2.7, §5.7), plausible at
	 * any age. "Possible" is what a cuff or a strip meter can read at all
	 * (blood pressure as core/valid.c's valid_bp); "plausible" is where a
	 * typing slip (130 for 13,0 g/dL) or a bad strip is likelier than the
	 * person: such a value is kept only when the kader confirms it, as a
	 * child's implausible z-score is. The highs are still values a sick
	 * person can have, so they are asked about, never refused. */
	[MEASURE_BP_SYS]      = { "bp_sys", 60.0, 260.0,    80.0, 220.0, true, "mmHg" },
	[MEASURE_BP_DIA]      = { "bp_dia", 30.0, 160.0,    40.0, 130.0, true, "mmHg" },
	[MEASURE_GLUCOSE]     = { "glucose", 10.0, 1000.0,  40.0, 500.0, true, "mg/dL" },
	[MEASURE_WAIST]       = { "waist", 30.0, 250.0,     40.0, 160.0, true, "cm" },
	[MEASURE_HB]          = { "hb", 2.0, 25.0,          5.0, 20.0, true, "g/dL" },
	[MEASURE_CHOLESTEROL] = { "cholesterol", 50.0, 1000.0, 100.0, 400.0, true, "mg/dL" },
	[MEASURE_URIC]        = { "uric", 0.5, 30.0,        2.0, 15.0, true, "mg/dL" },
};

int measure_check(enum measure_field f, double value, int32_t age_days, struct err *err)
{
	const struct measure_limit *lim;

	if ((unsigned)f >= MEASURE__COUNT)
		return err_set(err, ERR_USAGE, NULL, "unknown measurement field %d", (int)f);
	lim = &measure_limits[f];
	if (isnan(value))
		return 0;
	if (!(value >= lim->min && value <= lim->max))
		return err_set(err, ERR_RANGE, lim->field, "%g outside %g-%g", value, lim->min, lim->max);
	if (lim->plaus_max > 0.0 &&
	    (lim->any_age || (age_days >= 0 && age_days <= UNDER5_MAX_DAYS)) &&
	    (value < lim->plaus_min || value > lim->plaus_max))
		return 1;
	return 0;
}

int measure_check_dates(int32_t dob, int32_t day, struct err *err)
{
	if (day < dob)
		return err_set(err, ERR_RANGE, "date", "visit date before the date of birth");
	return 0;
}

int measure_check_input(const struct growth_input *in, struct err *err)
{
	const struct {
		enum measure_field f;
		double v;
	} fields[] = {
		{ MEASURE_WEIGHT, in->weight_kg },
		{ MEASURE_LENHEI, in->lenhei_cm },
		{ MEASURE_HEADC, in->headc_cm },
		{ MEASURE_MUAC, in->muac_cm },
	};

	for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (measure_check(fields[i].f, fields[i].v, in->age_days, err) < 0)
			return -1;
	return 0;
}

const struct measure_warn_info measure_warn_infos[] = {
	{ MEASURE_WARN_WEIGHT_RANGE, "weight_range", N_("weight outside 0.9-58 kg for a child under 5") },
	{ MEASURE_WARN_LENHEI_RANGE, "lenhei_range", N_("length/height outside 38-150 cm for a child under 5") },
	{ MEASURE_WARN_STANDING_UNDER_9MO, "standing_under_9mo",
	  N_("standing height below 9 months: measure lying down") },
	{ MEASURE_WARN_FWEI, "fwei", N_("implausible weight-for-age") },
	{ MEASURE_WARN_FLEN, "flen", N_("implausible length/height-for-age") },
	{ MEASURE_WARN_FWFL, "fwfl", N_("implausible weight-for-length/height") },
	{ MEASURE_WARN_FBMI, "fbmi", N_("implausible BMI-for-age") },
	{ MEASURE_WARN_FHC, "fhc", N_("implausible head circumference-for-age") },
	{ MEASURE_WARN_FAC, "fac", N_("implausible arm circumference-for-age") },
};
const unsigned measure_warn_infos_len = sizeof measure_warn_infos / sizeof measure_warn_infos[0];

/* Per month, by age at the earlier measurement. WHO's 1-month weight
 * increments (Growth velocity standards, 2009) peak near 1,6 kg at 0-1
 * month, and length near 5 cm; later months allow less. */
const struct measure_change_limit measure_change_limits[] = {
	{ 0, 2000, 60 },
	{ 3, 1500, 45 },
	{ 6, 1000, 35 },
	{ 12, 800, 25 },
	{ 24, 700, 20 },
};
const unsigned measure_change_limits_len =
	sizeof measure_change_limits / sizeof measure_change_limits[0];

enum measure_change measure_change_check(enum measure_field f, long prev, long now, int32_t days,
					 int age_months, char pos_prev, char pos_now)
{
	const struct measure_change_limit *lim = &measure_change_limits[0];
	long months = days <= 0 ? 1 : (days + 29) / 30;

	if (prev <= 0 || now <= 0 || (f != MEASURE_WEIGHT && f != MEASURE_LENHEI))
		return MEASURE_CHANGE_OK;
	for (unsigned i = 0; i < measure_change_limits_len; i++)
		if (age_months >= measure_change_limits[i].from_months)
			lim = &measure_change_limits[i];
	if (f == MEASURE_WEIGHT) {
		if (now < prev && (prev - now) * 100 > prev * MEASURE_LOSS_PCT)
			return MEASURE_CHANGE_LOSS;
		return now - prev > lim->gain_g * months ? MEASURE_CHANGE_GAIN : MEASURE_CHANGE_OK;
	}
	/* standing height is 0.7 cm less than lying length */
	if (pos_prev == 'l' && pos_now == 'h')
		now += 7;
	else if (pos_prev == 'h' && pos_now == 'l')
		now -= 7;
	if (prev - now > MEASURE_SHRINK_MM)
		return MEASURE_CHANGE_LOSS;
	return now - prev > lim->gain_mm * months + MEASURE_SHRINK_MM ? MEASURE_CHANGE_GAIN
								    : MEASURE_CHANGE_OK;
}

unsigned measure_warnings(const struct growth_input *in, const struct growth_result *r)
{
	static const unsigned flag_bit[GROWTH__COUNT] = {
		[GROWTH_WFA] = MEASURE_WARN_FWEI, [GROWTH_LHFA] = MEASURE_WARN_FLEN,
		[GROWTH_WFLH] = MEASURE_WARN_FWFL, [GROWTH_BMI] = MEASURE_WARN_FBMI,
		[GROWTH_HCA] = MEASURE_WARN_FHC, [GROWTH_ACA] = MEASURE_WARN_FAC,
	};
	unsigned w = 0;

	if (measure_check(MEASURE_WEIGHT, in->weight_kg, in->age_days, NULL) == 1)
		w |= MEASURE_WARN_WEIGHT_RANGE;
	if (measure_check(MEASURE_LENHEI, in->lenhei_cm, in->age_days, NULL) == 1)
		w |= MEASURE_WARN_LENHEI_RANGE;
	if (r->standing_under_9mo)
		w |= MEASURE_WARN_STANDING_UNDER_9MO;
	for (int i = 0; i < GROWTH__COUNT; i++)
		if (r->ind[i].valid && r->ind[i].flag)
			w |= flag_bit[i];
	return w;
}
