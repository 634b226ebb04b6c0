/* tui/ui_visit.c: the result panel after a visit is saved: what the
 * visit means, read without colour too ("!!", "! "). The visit form is
 * tui/ui_visit_form.c's, the registration tui/ui_register.c's. */
#include "tui/ui_desk.h"

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
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

/* What a vitamin A capsule is called on the panel. */
static const char *const capsules[] = { "-", N_("blue"), N_("red"), NULL };
static const char *caps[4];

static struct result_state {
	uint8_t person[UUID_LEN];
	struct visit v;
	struct desk_result r;
	bool from_desk;
} res;

static int result_top;          /* the first line shown (the panel below) */

void ui_result_show(struct ui *u, const struct person *p, const struct visit *v)
{
	struct visit *hist;
	size_t nh = desk_visits_of(p->uuid, &hist);

	caps[0] = capsules[0];
	caps[1] = _(capsules[1]);
	caps[2] = _(capsules[2]);
	memcpy(res.person, p->uuid, UUID_LEN);
	res.v = *v;
	desk_assess(p, v, hist, nh, &res.r);
	store_free(hist);
	result_top = 0;
	ui_status(u, false, "%s", _("Saved."));
	u->next = &ui_result_ops;
}

/* ---- the result panel ----
 * Lines are counted from the top of the whole text (result_line); the
 * window shows RESULT_TOP onwards above a last row kept for the keys, and
 * PgUp/PgDn scroll when an elderly person's or a mother's many findings do
 * not fit in 80x24. */

static int result_line, result_rows, result_height = 24;

static void rl(WINDOW *w, int attr, const char *mark, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void rl(WINDOW *w, int attr, const char *mark, const char *fmt, ...)
{
	char buf[256], line[270];
	va_list ap;
	int row = result_line++ - result_top;
	if (row < 0 || row >= getmaxy(w) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%-2s %s", mark, buf);
	wattron(w, attr);
	ui_put(w, row, 1, getmaxx(w) - 2, line);
	wattroff(w, attr);
}

/* The abbreviations of Permenkes 2/2020 and the KMS, the same in both
 * languages, so a row fits 80 columns. */
static const char *const short_names[GROWTH__COUNT] = {
	[GROWTH_WFA] = "BB/U", [GROWTH_LHFA] = "PB-TB/U", [GROWTH_WFLH] = "BB/PB-TB",
	[GROWTH_BMI] = "IMT/U", [GROWTH_HCA] = "LK/U", [GROWTH_ACA] = "LILA/U",
};

/* "!!" serious, "! " attention, "  " fine: readable without colour. */
static const char *mark_of(int alarm)
{
	return alarm >= 2 ? "!!" : alarm == 1 ? "! " : "  ";
}

static int attr_of(const struct ui *u, int alarm)
{
	if (alarm >= 2)
		return A_BOLD | (u->color ? COLOR_PAIR(3) : 0);
	if (alarm == 1)
		return A_BOLD;
	return u->color ? COLOR_PAIR(4) : 0;
}

/* ---- the ILP lines of the result panel (core/ilp.h), terse for 80x24 ---- */

static const char *const bmi_names[] = {
	[ILP_BMI_NONE] = "", [ILP_BMI_THIN] = N_("thin"), [ILP_BMI_NORMAL] = N_("normal"),
	[ILP_BMI_OVERWEIGHT] = N_("overweight"), [ILP_BMI_OBESE] = N_("obese"),
};
static const char *const adl_names[] = {
	[ILP_ADL_NONE] = "", [ILP_ADL_INDEPENDENT] = N_("independent"),
	[ILP_ADL_MILD] = N_("mild dependency"), [ILP_ADL_MODERATE] = N_("moderate dependency"),
	[ILP_ADL_SEVERE] = N_("severe dependency"), [ILP_ADL_TOTAL] = N_("total dependency"),
};

/* "-2,31", the decimal comma of every number shown. */
static const char *centi_text(long c, char *buf, size_t size)
{
	snprintf(buf, size, "%c%ld,%02ld", c < 0 ? '-' : '+', labs(c) / 100, labs(c) % 100);
	return buf;
}

/* BMI, pregnancy dates, PUMA, ADL and the next Td of a visit. */
static void ilp_measures(struct ui *u, WINDOW *w, const struct desk_result *r)
{
	const struct ilp_result *x = &r->ilp;
	int alarm = x->bmi == ILP_BMI_NORMAL ? 0 : x->bmi == ILP_BMI_OBESE ? 2 : 1;
	char a[DATE_BUFSZ], z[16];

	if (x->bmi_z_valid && x->bmi != ILP_BMI_NONE)
		rl(w, attr_of(u, alarm), mark_of(alarm), _("BMI %d,%d (IMT/U z %s): %s"), x->bmi_d / 10,
		   x->bmi_d % 10, centi_text(x->bmi_z_centi, z, sizeof z), _(bmi_names[x->bmi]));
	else if (x->bmi != ILP_BMI_NONE)
		rl(w, attr_of(u, alarm), mark_of(alarm), _("BMI %d,%d: %s"), x->bmi_d / 10, x->bmi_d % 10,
		   _(bmi_names[x->bmi]));
	if (x->gest_weeks >= 0)
		rl(w, 0, "  ", _("Pregnant %d weeks (from HPHT); due date %s"), x->gest_weeks,
		   date_format(x->due_date, a));
	if (x->puma >= 0)
		rl(w, attr_of(u, x->flags & ILP_F_PUMA ? 2 : 0), x->flags & ILP_F_PUMA ? "!!" : "  ",
		   _("PUMA score %d (6 or more: spirometry)"), x->puma);
	if (x->adl != ILP_ADL_NONE)
		rl(w, attr_of(u, x->adl > ILP_ADL_INDEPENDENT), x->adl > ILP_ADL_INDEPENDENT ? "! " : "  ",
		   _("Daily activities (ADL): %s"), _(adl_names[x->adl]));
	if (r->td_next && r->td_due != DATE_NONE && r->td_due > res.v.date)
		rl(w, 0, "> ", _("Next Td: T%d from %s"), r->td_next, date_format(r->td_due, a));
	else if (r->td_next)
		rl(w, 0, "> ", _("Next Td: T%d is due"), r->td_next);
}

/* The ILP flags: those the rules refer (REFER true) or the others, each
 * "what was found: what to do". */
static void ilp_flag_lines(struct ui *u, WINDOW *w, const struct ilp_result *x, bool refer)
{
	for (size_t i = 0; i < ilp_flags_len; i++) {
		const struct ilp_flag_info *f = &ilp_flags[i];
		if (!(x->flags & f->bit) || f->refer != refer)
			continue;
		if (refer)
			rl(w, 0, "", "   - %s: %s", _(f->label), _(f->todo));
		else
			rl(w, attr_of(u, 1), "! ", "%s: %s", _(f->label), _(f->todo));
	}
}

/* The referral reasons of core/kbm.h the ILP flags already say (the
 * mother's danger sign, KEK, blood pressure): shown once. */
static unsigned kbm_shown(const struct desk_result *r)
{
	unsigned covered = 0;
	if (r->ilp.flags & ILP_F_DANGER)
		covered |= KBM_CHECK_DANGER;
	if (r->ilp.flags & ILP_F_KEK)
		covered |= KBM_CHECK_KEK;
	if (r->ilp.flags & ILP_F_BP_HIGH)
		covered |= KBM_CHECK_BP;
	return r->refer & ~covered;
}

static void result_draw(struct ui *u, WINDOW *w)
{
	const struct person *p = desk_person(res.person);
	const struct desk_result *r = &res.r;
	char age[24], date[DATE_BUFSZ], due[120];
	unsigned refer;

	result_line = 0;
	if (!p)
		return;
	ui_age(p->dob, res.v.date, age, sizeof age);
	wattron(w, A_BOLD);
	rl(w, A_BOLD, "", "%s, %s (%d %s), %s", p->name, age, r->age_days, _("days"),
	   date_format(res.v.date, date));
	wattroff(w, A_BOLD);
	if (r->child) {
		for (int i = 0; i < GROWTH__COUNT; i++) {
			const struct growth_z *z = &r->g.ind[i];
			const struct growth_cat_info *ci = growth_cat_info(r->cat[i]);
			char zt[16], *dot;
			if (!z->valid)
				continue;
			snprintf(zt, sizeof zt, "%+5.2f", z->z);
			if ((dot = strchr(zt, '.')))
				*dot = ',';            /* the decimal comma, as every number here */
			rl(w, attr_of(u, ci->alarm), mark_of(ci->alarm), "%-9s z %s  %s%s",
			   short_names[i], zt,
			   ci->label_en[0] ? _(ci->label_en) : "", z->flag ? _("  (implausible: re-measure?)") : "");
		}
		switch (r->nt) {
		case KBM_N:
			if (desk_doubtful(r))      /* a confirmed but unlikely value: no praise */
				rl(w, attr_of(u, 1), "N", _("Gained %+d g: N by the numbers, but check the value"),
				   r->gain_g);
			else
				rl(w, attr_of(u, 0), "N", _("Gained %+d g (minimum %d g): N, growing well"),
				   r->gain_g, r->kbm_g);
			break;
		case KBM_T:
			if (r->has_gain && r->gain_g < 0)
				rl(w, attr_of(u, 2), "T", _("Lost %d g since last month: T, not growing"),
				   -r->gain_g);
			else if (r->has_gain)
				rl(w, attr_of(u, 2), "T", _("Gained %+d g, less than the minimum %d g: T, not growing"),
				   r->gain_g, r->kbm_g);
			else
				rl(w, attr_of(u, 2), "T", "%s", _("T: did not gain enough since last month"));
			break;
		case KBM_O:
			rl(w, 0, "O", "%s", _("O: not weighed last month, so N/T cannot be judged"));
			break;
		case KBM_B:
			rl(w, 0, "B", "%s", _("B: first weighing"));
			break;
		case KBM_NONE:
			if (res.v.weight_g && r->age_months >= 0 && r->age_months < 60)
				rl(w, 0, "-", "%s", _("N/T is judged against last month's weighing; none this time"));
			break;
		}
		if (r->two_t)
			rl(w, attr_of(u, 2), "!!", "%s", _("2T: not growing two months running"));
		if (r->bgm)
			rl(w, attr_of(u, 2), "!!", "%s", _("Below the red line (BGM)"));
		if (r->muac == KBM_MUAC_SEVERE || r->muac == KBM_MUAC_MODERATE)
			rl(w, attr_of(u, 2), "!!", "%s", _(kbm_muac_label(r->muac)));
		if (desk_doubtful(r))
			rl(w, attr_of(u, 1), "! ", "%s", _("A value looks unlikely: measure again?"));
		imm_format(r->imm_due, due, sizeof due);
		if (due[0])
			rl(w, 0, "> ", _("Immunisations due: %s"), due);
		if (r->vita_due != VITA_NONE)
			rl(w, 0, "> ", _("Vitamin A due: %s capsule"), caps[r->vita_due]);
	} else {
		if (res.v.weight_g)
			rl(w, 0, "  ", _("Weight %u,%u kg"), res.v.weight_g / 1000, res.v.weight_g % 1000 / 100);
		if (res.v.muac_mm)
			rl(w, attr_of(u, r->kek ? 2 : 0), r->kek ? "!!" : "  ", _("LILA %u,%u cm%s"),
			   res.v.muac_mm / 10, res.v.muac_mm % 10, r->kek ? _(": chronic energy deficiency (KEK)") : "");
	}
	ilp_measures(u, w, r);
	refer = kbm_shown(r);
	if ((refer & KBM_REFER_KADER_MASK) || r->ilp.refer)
		rl(w, attr_of(u, 2), "!!", "%s", _("Refer to the puskesmas (rujuk ke puskesmas):"));
	for (size_t i = 0; i < kbm_refer_reasons_len; i++)
		if ((refer & kbm_refer_reasons[i].bit) && kbm_refer_reasons[i].kader)
			rl(w, 0, "", "   - %s", _(kbm_refer_reasons[i].label_en));
	ilp_flag_lines(u, w, &r->ilp, true);
	if (refer & KBM_REFER_BIDAN_MASK)
		rl(w, attr_of(u, 1), "! ", "%s", _("Check with the bidan:"));
	for (size_t i = 0; i < kbm_refer_reasons_len; i++)
		if ((refer & kbm_refer_reasons[i].bit) && !kbm_refer_reasons[i].kader)
			rl(w, 0, "", "   - %s", _(kbm_refer_reasons[i].label_en));
	ilp_flag_lines(u, w, &r->ilp, false);
	result_rows = result_line;
	result_height = getmaxy(w);
	/* the keys on the last row, whatever the scroll */
	wattron(w, A_BOLD);
	ui_put(w, getmaxy(w) - 1, 1, getmaxx(w) - 2,
	       result_rows - result_top > getmaxy(w) - 1
		       ? _("   PgDn: more   Enter: next person   g: chart   Esc: back to the card")
		       : _("   Enter: next person   g: chart   Esc: back to the card"));
	wattroff(w, A_BOLD);
}

static int result_input(struct ui *u, enum action act)
{
	switch (act) {
	case ACT_SELECT:
		/* Back to the desk's search, ready for the next person. */
		ui_desk_after_save(u);
		u->next = &ui_desk_ops;
		return R_POPTO;
	case ACT_CHART:
		ui_card_show(u, res.person);
		u->next = &ui_chart_ops;
		return R_PUSH;
	case ACT_PGDN:
	case ACT_DOWN:
		if (result_rows - result_top > result_height - 1)
			result_top += act == ACT_PGDN ? result_height - 2 : 1;
		return R_REDRAW;
	case ACT_PGUP:
	case ACT_UP:
		result_top -= act == ACT_PGUP ? result_height - 2 : 1;
		if (result_top < 0)
			result_top = 0;
		return R_REDRAW;
	default:
		return R_PASS;
	}
}

const struct screen_ops ui_result_ops = {
	.title = N_("Result"), .keys = KS_RESULT, .needs_session = true,
	.draw = result_draw, .input = result_input,
};
