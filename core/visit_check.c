/* core/visit_check.c: refused, confirmed or with a reason: the rules of
 * core/visit_check.h over the tables of measure.c and imm.c. */
#include "core/visit_check.h"

#include <string.h>

#include "core/date.h"
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
