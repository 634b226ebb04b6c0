/* app/visit_check_text.c: what a refused or doubtful visit value says. */
#include "app/visit_check_text.h"

#include <stdio.h>

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
	}
	return buf;
}
