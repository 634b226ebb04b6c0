/* core/visit_check.c: refused, confirmed or with a reason: the rules of
 * core/visit_check.h over the tables of measure.c and imm.c. */
#include "core/visit_check.h"

#include <stddef.h>
#include <string.h>

#include "core/date.h"
#include "core/ilp.h"
#include "core/measure.h"
#include "core/visit_fields.h"
#include "core/banned.h"

/* The date of the latest dose of ANTIGEN before DAY in HIST (skipping the
 * visit SKIP): DATE_NONE when none is recorded. */
static int32_t dose_date(const struct visit *hist, size_t n, int antigen, int32_t day,
			 const uint8_t *skip)
{
	int32_t best = DATE_NONE;
	for (size_t i = 0; i < n; i++)
		if ((hist[i].imm & (1u << antigen)) && hist[i].date < day && hist[i].date > best &&
		    memcmp(hist[i].uuid, skip, UUID_LEN) != 0)
			best = hist[i].date;
	return best;
}

static void check_doses(const struct person *p, const struct visit *v, const struct visit *hist,
			size_t n, struct vcheck *out, size_t *k)
{
	for (int a = 0; a < IMM__COUNT; a++) {
		const struct imm_rule *rule;
		int32_t prev = DATE_NONE;
		enum imm_verdict verdict;
		if (!(v->imm & (1u << a)))
			continue;
		imm_check_dose((enum imm_antigen)a, DATE_NONE, 0, DATE_NONE, &rule);
		if (rule && rule->prev >= 0)
			prev = (v->imm & (1u << rule->prev)) ? v->date   /* both today: no interval */
			       : dose_date(hist, n, rule->prev, v->date, v->uuid);
		verdict = imm_check_dose((enum imm_antigen)a, p->dob, v->date, prev, &rule);
		if (verdict == IMM_OK)
			continue;
		out[(*k)++] = (struct vcheck){
			.code = VCHECK_IMM, .antigen = a, .verdict = verdict, .rule = rule,
			.prev_date = prev,
			.level = verdict == IMM_CATCHUP_EARLY || verdict == IMM_CATCHUP_LATE
				 ? VCHECK_REASON : VCHECK_REFUSE,
		};
	}
}

static void check_capsule(const struct person *p, const struct visit *v, const struct visit *hist,
			  size_t n, struct vcheck *out, size_t *k)
{
	bool blue_before = false;
	int y, m, d;
	enum vita_verdict verdict;

	if (v->vitamin_a == VITA_NONE || p->dob == DATE_NONE || v->date < p->dob)
		return;
	for (size_t i = 0; i < n; i++)
		blue_before |= hist[i].vitamin_a == VITA_BLUE && hist[i].date < v->date &&
			       memcmp(hist[i].uuid, v->uuid, UUID_LEN) != 0;
	date_to_ymd(v->date, &y, &m, &d);
	verdict = vita_check(v->vitamin_a, date_age_months(p->dob, v->date), m, blue_before);
	if (verdict != VITA_OK)
		out[(*k)++] = (struct vcheck){
			.code = VCHECK_VITA, .verdict = verdict, .now = v->vitamin_a,
			.level = verdict == VITA_OFF_MONTH ? VCHECK_REASON : VCHECK_REFUSE,
		};
}

/* ---- Posyandu ILP (issue 14) ---- */

/* The measurements core/measure.c bounds, in its units. */
static const struct {
	enum measure_field m;
	size_t off, width;
	double per;                /* stored units per measure unit */
} ilp_measures[] = {
#define M(m, member, per) { m, offsetof(struct visit, member), sizeof(((struct visit *)0)->member), per }
	M(MEASURE_GLUCOSE, glucose_mgdl, 1), M(MEASURE_WAIST, waist_mm, 10),
	M(MEASURE_HB, hb_dgl, 10), M(MEASURE_CHOLESTEROL, cholesterol_mgdl, 1),
	M(MEASURE_URIC, uric_dmgdl, 10),
#undef M
};

static void add(struct vcheck *out, size_t *k, struct vcheck c)
{
	if (*k < VCHECK_MAX)
		out[(*k)++] = c;
}

/* VALUE of measurement F: refused when not possible, confirmed when unusual. */
static void check_measure(enum measure_field f, double value, struct vcheck *out, size_t *k)
{
	int rc = measure_check(f, value, -1, NULL);
	if (rc != 0)
		add(out, k, (struct vcheck){ .code = rc < 0 ? VCHECK_RANGE : VCHECK_UNLIKELY,
					     .level = rc < 0 ? VCHECK_REFUSE : VCHECK_CONFIRM,
					     .field = f, .value = value });
}

static void check_screening(const struct person *p, const struct visit *v, struct vcheck *out,
			    size_t *k)
{
	for (size_t i = 0; i < sizeof ilp_measures / sizeof ilp_measures[0]; i++) {
		unsigned long x = member_uint((const char *)v + ilp_measures[i].off,
					      ilp_measures[i].width);
		if (x)
			check_measure(ilp_measures[i].m, (double)x / ilp_measures[i].per, out, k);
	}
	if (v->bp_sys || v->bp_dia) {
		if (!v->bp_sys || !v->bp_dia || v->bp_sys <= v->bp_dia)
			add(out, k, (struct vcheck){ .code = VCHECK_BP, .level = VCHECK_REFUSE,
						     .now = v->bp_sys, .prev = v->bp_dia });
		if (v->bp_sys)
			check_measure(MEASURE_BP_SYS, v->bp_sys, out, k);
		if (v->bp_dia)
			check_measure(MEASURE_BP_DIA, v->bp_dia, out, k);
	}
	/* from school age the BMI is judged: a slip in either number shows here */
	if (v->weight_g && v->lenhei_mm && ilp_group_of(p, v->date) != ILP_NONE) {
		double m = v->lenhei_mm / 1000.0, bmi = v->weight_g / 1000.0 / (m * m);
		if (bmi < VCHECK_BMI_MIN || bmi > VCHECK_BMI_MAX)
			add(out, k, (struct vcheck){ .code = VCHECK_BMI, .level = VCHECK_CONFIRM,
						     .value = bmi });
	}
}

/* Does V hold a value (a measurement, a code, an answer) for field F? */
static bool has_value(const struct visit *v, enum visit_field f)
{
	switch (f) {
	case VF_BP: return v->bp_sys || v->bp_dia;
	case VF_GLUCOSE: return v->glucose_mgdl;
	case VF_WAIST: return v->waist_mm;
	case VF_HB: return v->hb_dgl;
	case VF_CHOLESTEROL: return v->cholesterol_mgdl;
	case VF_URIC: return v->uric_dmgdl;
	case VF_PUMA_PACKYEARS: return v->puma_packyears;
	case VF_ADL: return v->adl;
	case VF_KB: return v->kb_method;
	case VF_HPHT: return v->hpht;
	case VF_GRAVIDA: return v->gravida;
	case VF_PARA: return v->para;
	case VF_TD: return v->td_status;
	case VF_VITA_PP: return v->vita_pp;
	default: return visit_field_is_question(f) && f >= VF_FIRST_ASK && visit_answer(v, f) >= 0;
	}
}

/* The value of a coded field beyond its codes, else -1. */
static long bad_code(const struct visit *v, enum visit_field f)
{
	switch (f) {
	case VF_PUMA_PACKYEARS: return v->puma_packyears > PY_OVER_30 ? v->puma_packyears : -1;
	case VF_ADL: return v->adl > 21 ? v->adl - 1 : -1;            /* Barthel 0-20, + 1 */
	case VF_KB: return v->kb_method >= KB__COUNT ? v->kb_method : -1;
	case VF_GRAVIDA: return v->gravida > 20 ? v->gravida : -1;
	case VF_PARA: return v->para > 20 ? v->para - 1 : -1;
	case VF_TD: return v->td_status > 5 ? v->td_status : -1;
	case VF_VITA_PP: return v->vita_pp > 3 ? v->vita_pp : -1;
	default: return -1;
	}
}

/* A value in a field that is not for this person, or out of its codes. */
static void check_fields(const struct person *p, const struct visit *v, int months,
			 struct vcheck *out, size_t *k)
{
	for (int f = VF_BP; f < VF__COUNT; f++) {
		enum visit_fit fit;
		long code;
		if (f != VF_BP && f < VF_GLUCOSE)
			continue;          /* the fields before Posyandu ILP: their own rules */
		if (!has_value(v, (enum visit_field)f))
			continue;
		fit = visit_field_fit((enum visit_field)f, p->kind, months);
		if (fit == VF_WRONG_KIND || fit == VF_WRONG_AGE ||
		    (f == VF_IRON_WEEKLY && p->sex != 'P'))
			add(out, k, (struct vcheck){ .code = VCHECK_NOT_FOR, .level = VCHECK_REFUSE,
						     .field = f, .verdict = (int)fit });
		else if ((code = bad_code(v, (enum visit_field)f)) >= 0)
			add(out, k, (struct vcheck){ .code = VCHECK_CODE, .level = VCHECK_REFUSE,
						     .field = f, .now = code });
	}
}

/* The KIA record of a pregnancy. How strict: an HPHT after the visit, or
 * more than VCHECK_HPHT_MAX_DAYS before it, cannot be this pregnancy's and
 * is refused. Weeks of pregnancy typed beside an HPHT may disagree with it
 * by VCHECK_GEST_SLACK_WEEKS: the midwife may date the pregnancy by
 * ultrasound or by the fundus, and a mother may recall her HPHT a few days
 * off; beyond that one of the two is likelier a slip, so the kader
 * confirms, the visit is not refused. */
static void check_pregnancy(const struct visit *v, struct vcheck *out, size_t *k)
{
	if (v->gravida && v->para && v->para - 1 >= v->gravida)
		add(out, k, (struct vcheck){ .code = VCHECK_PARA, .level = VCHECK_REFUSE,
					     .now = v->gravida, .prev = v->para - 1 });
	if (!v->hpht || v->date == DATE_NONE)
		return;
	if (!visit_hpht_fits(v->hpht, v->date)) {
		add(out, k, (struct vcheck){ .code = VCHECK_HPHT, .level = VCHECK_REFUSE,
					     .verdict = v->hpht > v->date ? VCHECK_HPHT_AFTER
									  : VCHECK_HPHT_OLD,
					     .now = v->date - v->hpht, .prev_date = v->hpht });
		return;
	}
	if (v->gest_weeks) {
		long by_hpht = (v->date - v->hpht) / 7, d = (long)v->gest_weeks - by_hpht;
		if (d > VCHECK_GEST_SLACK_WEEKS || d < -VCHECK_GEST_SLACK_WEEKS)
			add(out, k, (struct vcheck){ .code = VCHECK_GEST, .level = VCHECK_CONFIRM,
						     .now = v->gest_weeks, .prev = by_hpht,
						     .prev_date = v->hpht });
	}
}

static void check_ilp(const struct person *p, const struct visit *v, struct vcheck *out, size_t *k)
{
	int months = -1, y, m, d;

	if (p->dob != DATE_NONE && v->date != DATE_NONE && v->date >= p->dob)
		months = date_age_months(p->dob, v->date);
	check_fields(p, v, months, out, k);
	check_screening(p, v, out, k);
	check_pregnancy(v, out, k);
	/* deworming goes with vitamin A in February and August (domain.md §5.3) */
	if (v->deworm == ASK_YES && v->date != DATE_NONE) {
		date_to_ymd(v->date, &y, &m, &d);
		if (m != 2 && m != 8)
			add(out, k, (struct vcheck){ .code = VCHECK_DEWORM, .level = VCHECK_REASON });
	}
}

size_t visit_check(const struct person *p, const struct visit *v, const struct visit *hist,
		   size_t n, struct vcheck *out, struct desk_result *res)
{
	struct desk_result r;
	size_t k = 0;

	if (visit_is_empty(v)) {
		out[k++] = (struct vcheck){ .code = VCHECK_EMPTY, .level = VCHECK_REFUSE };
		return k;
	}
	desk_assess(p, v, hist, n, &r);
	if (res)
		*res = r;
	if (r.change & (DESK_CHANGE_WEIGHT_GAIN | DESK_CHANGE_WEIGHT_LOSS))
		out[k++] = (struct vcheck){ .code = VCHECK_WEIGHT, .level = VCHECK_CONFIRM,
					    .change = r.change, .now = v->weight_g,
					    .prev = r.prev_weight_g, .prev_date = r.prev_weight_date };
	if (r.change & (DESK_CHANGE_LENGTH_GAIN | DESK_CHANGE_LENGTH_LOSS))
		out[k++] = (struct vcheck){ .code = VCHECK_LENGTH, .level = VCHECK_CONFIRM,
					    .change = r.change, .now = v->lenhei_mm,
					    .prev = r.prev_lenhei_mm, .prev_date = r.prev_lenhei_date };
	/* after the changes: the value beside the previous one is asked first */
	if (r.warn)
		out[k++] = (struct vcheck){ .code = VCHECK_IMPLAUSIBLE, .level = VCHECK_CONFIRM,
					    .warn = r.warn };
	if (p->kind == PERSON_CHILD) {
		check_doses(p, v, hist, n, out, &k);
		check_capsule(p, v, hist, n, out, &k);
	}
	check_ilp(p, v, out, &k);
	return k;
}

enum vcheck_level visit_check_worst(const struct vcheck *out, size_t n)
{
	enum vcheck_level worst = 0;
	/* REFUSE < CONFIRM < REASON in the enum; refusal is the worst */
	for (size_t i = 0; i < n; i++)
		if (!worst || out[i].level == VCHECK_REFUSE ||
		    (worst != VCHECK_REFUSE && out[i].level > worst))
			worst = out[i].level;
	return worst;
}

bool visit_same_day(const struct visit *v, const struct visit *hist, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hist[i].date == v->date && memcmp(hist[i].uuid, v->uuid, UUID_LEN) != 0)
			return true;
	return false;
}

bool visit_hpht_fits(int32_t hpht, int32_t day)
{
	return hpht && hpht != DATE_NONE && day != DATE_NONE && hpht <= day &&
	       day - hpht <= VCHECK_HPHT_MAX_DAYS;
}

bool visit_same_pregnancy(const struct visit *earlier, int32_t day)
{
	return earlier->date <= day && day - earlier->date <= VCHECK_HPHT_MAX_DAYS &&
	       (!earlier->hpht || visit_hpht_fits(earlier->hpht, day));
}
