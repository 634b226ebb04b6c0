/* tui/ui_visit.c: the visit form, the result panel and the registration
 * form. A field appears only when it applies (a child's length, a baby's
 * breastfeeding, a pregnant woman's blood pressure). Every value is checked
 * by core/ as the kader leaves the field; "saved" shows only after the store
 * returned; a failed save keeps the form and its idempotency key, so
 * pressing F2 again can never make a duplicate. */
#include "tui/ui_desk.h"

#include <math.h>
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
static const char *sexes[] = { "L", "P", NULL };
static const char *const statuses[] = { N_("pregnant"), N_("breastfeeding/WUS"), NULL };
static const char *stat[3];

static void translate_choices(void)
{
	for (int i = 0; i < 2; i++) {
		yesno[i] = _(yes_no[i]);
		pos[i] = _(positions[i]);
		stat[i] = _(statuses[i]);
	}
	ask3[0] = "-";
	ask3[1] = yesno[0];
	ask3[2] = yesno[1];
	caps[0] = capsules[0];
	caps[1] = _(capsules[1]);
	caps[2] = _(capsules[2]);
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

static int v_dob(const char *s, struct err *e)
{
	int32_t d;
	if (date_parse(s, &d, e) < 0) {
		if (e->code == ERR_REQUIRED)
			e->field = "dob";
		return -1;
	}
	return valid_dob(d, ctx.today, e);
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
static int v_rt(const char *s, struct err *e) { int n; return valid_count("rt", s, &n, e); }
static int v_bp(const char *s, struct err *e) { int sys, dia; return valid_bp(s, &sys, &dia, e); }

static int v_imm(const char *s, struct err *e)
{
	uint32_t bits;
	return imm_parse(s, &bits, e);
}

static int v_name(const char *s, struct err *e) { return valid_name(s, "name", e); }
static int v_name_opt(const char *s, struct err *e) { return *s ? valid_name(s, "name", e) : 0; }
static int v_nik(const char *s, struct err *e) { return valid_nik(s, 0, DATE_NONE, e); }

/* ---- the visit form ---- */

/* "9,1" for 9100 g; "" for 0. */
static void fmt_tenths(unsigned v, unsigned per_unit, char *buf, size_t size)
{
	if (!v)
		buf[0] = '\0';
	else if (per_unit == 1000)
		snprintf(buf, size, "%u,%u", v / 1000, v % 1000 / 100);
	else
		snprintf(buf, size, "%u,%u", v / 10, v % 10);
}

static unsigned parse_scaled(const char *s, double scale)
{
	double v;
	return *s && valid_decimal(s, NULL, &v, NULL) == 0 ? (unsigned)lround(v * scale) : 0;
}

static struct result_state {
	uint8_t person[UUID_LEN];
	struct visit v;
	struct desk_result r;
	bool from_desk;
} res;

/* The layout: the form's rows in order. A row shows when its field applies
 * to the person (core/visit_fields.h) and KINDS (0: any) allows it. */
#define WOMEN ((1u << PERSON_PREGNANT) | (1u << PERSON_WOMAN))
#define CHILD (1u << PERSON_CHILD)
#define VAL_MAX 160

static const struct visit_row {
	enum visit_field vf;
	unsigned kinds;
	const char *label;             /* msgid */
	size_t size;                   /* of the value, with its NUL */
	int width;
	const char *const *choices;
	int (*valid)(const char *value, struct err *err);
} visit_rows[] = {
	{ VF_DATE, 0, N_("Date"), 12, 10, NULL, v_visit_date },
	{ VF_WEIGHT, 0, N_("Weight (kg)"), 12, 6, NULL, v_weight },
	{ VF_LENHEI, 0, N_("Length/height (cm)"), 12, 6, NULL, v_lenhei },
	{ VF_MEASURE, 0, N_("Measured"), 24, 10, pos, NULL },
	{ VF_HEADC, 0, N_("Head circumference (cm)"), 12, 6, NULL, v_headc },
	{ VF_MUAC, CHILD, N_("Arm circumference (cm)"), 12, 6, NULL, v_muac },
	{ VF_MUAC, WOMEN, N_("Arm circumference LILA (cm)"), 12, 6, NULL, v_muac },
	{ VF_OEDEMA, 0, N_("Oedema (both feet)"), 12, 6, ask3, NULL },
	{ VF_ASI, 0, N_("Only breast milk yesterday"), 12, 6, ask3, NULL },
	{ VF_BF_CONTINUE, 0, N_("Still breastfed"), 12, 6, ask3, NULL },
	{ VF_COUNSEL, CHILD, N_("Breastfeeding counselling"), 12, 6, ask3, NULL },
	{ VF_VITA, 0, N_("Vitamin A capsule"), 12, 6, caps, NULL },
	{ VF_IMM, 0, N_("Immunisations given"), 160, 30, NULL, v_imm },
	{ VF_GEST, 0, N_("Weeks of pregnancy"), 8, 4, NULL, v_gest },
	{ VF_BP, 0, N_("Blood pressure (mmHg)"), 12, 8, NULL, v_bp },
	{ VF_IRON, 0, N_("Iron tablets given"), 8, 4, NULL, v_ttd },
	{ VF_ANC, 0, N_("ANC visit number (K)"), 8, 4, NULL, v_anc },
	{ VF_DANGER, 0, N_("Danger sign"), 12, 6, ask3, NULL },
	{ VF_COUNSEL, WOMEN, N_("Breastfeeding counselling"), 12, 6, ask3, NULL },
	{ VF_NOTE, 0, N_("Note"), VAL_MAX, 30, NULL, NULL },
};
#define NROWS (sizeof visit_rows / sizeof visit_rows[0])

/* The fields of the form for P at MONTHS over the values VAL; how many. */
static int visit_layout(const struct person *p, int months, char val[VF__COUNT][VAL_MAX],
			struct ui_field *f)
{
	int n = 0;
	for (size_t i = 0; i < NROWS; i++) {
		const struct visit_row *r = &visit_rows[i];
		if ((r->kinds && !(r->kinds & (1u << p->kind))) ||
		    !visit_field_applies(r->vf, p->kind, months))
			continue;
		f[n++] = (struct ui_field){ r->label, val[r->vf], r->size, r->width, r->choices, r->valid };
	}
	return n;
}

/* The yes/no questions, three-state (core/visit_fields.h). */
static const enum visit_field questions[] = { VF_OEDEMA, VF_ASI, VF_BF_CONTINUE, VF_COUNSEL, VF_DANGER };

/* The logic: a visit as the form's values, ... */
static void visit_to_text(const struct visit *v, char val[VF__COUNT][VAL_MAX])
{
	date_format(v->date, val[VF_DATE]);
	fmt_tenths(v->weight_g, 1000, val[VF_WEIGHT], VAL_MAX);
	fmt_tenths(v->lenhei_mm, 10, val[VF_LENHEI], VAL_MAX);
	fmt_tenths(v->headc_mm, 10, val[VF_HEADC], VAL_MAX);
	fmt_tenths(v->muac_mm, 10, val[VF_MUAC], VAL_MAX);
	snprintf(val[VF_MEASURE], VAL_MAX, "%s",
		 pos[(v->measure ? v->measure : desk_default_measure(age_days_now())) == 'h']);
	for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++)
		snprintf(val[questions[i]], VAL_MAX, "%s", ask3[visit_answer(v, questions[i]) + 1]);
	snprintf(val[VF_VITA], VAL_MAX, "%s", caps[v->vitamin_a]);
	imm_format(v->imm, val[VF_IMM], VAL_MAX);
	if (v->gest_weeks)
		snprintf(val[VF_GEST], VAL_MAX, "%u", v->gest_weeks);
	if (v->bp_sys)
		snprintf(val[VF_BP], VAL_MAX, "%u/%u", v->bp_sys, v->bp_dia);
	if (v->iron_tablets)
		snprintf(val[VF_IRON], VAL_MAX, "%u", v->iron_tablets);
	if (v->anc_no)
		snprintf(val[VF_ANC], VAL_MAX, "%u", v->anc_no);
	snprintf(val[VF_NOTE], VAL_MAX, "%s", v->note);
}

/* ... and the values back into V: what does not apply to a person of
 * KIND at MONTHS is "not asked"; a hidden measure keeps its value. */
static void visit_from_text(char val[VF__COUNT][VAL_MAX], enum person_kind kind, int months,
			    struct visit *v)
{
	int sys, dia;

	date_parse(val[VF_DATE], &v->date, NULL);
	v->weight_g = parse_scaled(val[VF_WEIGHT], 1000.0);
	v->lenhei_mm = (uint16_t)parse_scaled(val[VF_LENHEI], 10.0);
	v->measure = !visit_field_applies(VF_MEASURE, kind, months) || !v->lenhei_mm ? 0
		     : strcmp(val[VF_MEASURE], pos[1]) == 0 ? 'h' : 'l';
	v->headc_mm = (uint16_t)parse_scaled(val[VF_HEADC], 10.0);
	v->muac_mm = (uint16_t)parse_scaled(val[VF_MUAC], 10.0);
	for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++) {
		enum visit_field q = questions[i];
		visit_set_answer(v, q, !visit_field_applies(q, kind, months) ? -1
				       : strcmp(val[q], ask3[2]) == 0 ? 1
				       : strcmp(val[q], ask3[1]) == 0 ? 0 : -1);
	}
	v->vitamin_a = !visit_field_applies(VF_VITA, kind, months) ? VITA_NONE
		       : strcmp(val[VF_VITA], caps[1]) == 0 ? VITA_BLUE
		       : strcmp(val[VF_VITA], caps[2]) == 0 ? VITA_RED : VITA_NONE;
	imm_parse(val[VF_IMM], &v->imm, NULL);
	v->gest_weeks = (uint8_t)parse_scaled(val[VF_GEST], 1.0);
	valid_bp(val[VF_BP], &sys, &dia, NULL);
	v->bp_sys = (uint16_t)sys;
	v->bp_dia = (uint16_t)dia;
	v->iron_tablets = (uint8_t)parse_scaled(val[VF_IRON], 1.0);
	v->anc_no = (uint8_t)parse_scaled(val[VF_ANC], 1.0);
	snprintf(v->note, sizeof v->note, "%s", val[VF_NOTE]);
}

/* "Due: BCG Polio1" for a child: what is due given the other visits. */
static void due_intro(const struct person *p, const struct visit *v, int months, char *buf, size_t size)
{
	uint32_t given = 0;
	char due[120];

	buf[0] = '\0';
	if (p->kind != PERSON_CHILD)
		return;
	for (size_t i = 0; i < desk.nv; i++)
		if (memcmp(desk.v[i].person, p->uuid, UUID_LEN) == 0 &&
		    memcmp(desk.v[i].uuid, v->uuid, UUID_LEN) != 0)
			given |= desk.v[i].imm;
	imm_format(imm_due(months, given), due, sizeof due);
	if (due[0])
		snprintf(buf, size, _("Due: %s"), due);
}

/* A new draft, or one on top of the record EXISTING; -1 with the message
 * on the status line. */
static int begin_draft(struct ui *u, const uint8_t *existing, struct draft *d)
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

static void show_result(struct ui *u, const struct person *p, const struct visit *v)
{
	struct visit *hist;
	size_t nh = desk_visits_of(p->uuid, &hist);

	memcpy(res.person, p->uuid, UUID_LEN);
	res.v = *v;
	desk_assess(p, v, hist, nh, &res.r);
	store_free(hist);
	ui_status(u, false, "%s", _("Saved."));
	u->next = &ui_result_ops;
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

int ui_visit_form(struct ui *u, const struct person *p, const struct visit *existing)
{
	struct visit v;
	struct draft d;
	struct err err = { 0 };
	struct ui_field f[NROWS];
	char val[VF__COUNT][VAL_MAX], intro[160], title[128];
	int n, months;

	set_ctx(p);
	memset(&v, 0, sizeof v);
	memset(val, 0, sizeof val);
	v.asi_recall = -1;
	v.not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;   /* nothing answered yet */
	v.date = ctx.today;
	if (existing)
		v = *existing;
	else
		memcpy(v.person, p->uuid, UUID_LEN);
	if (begin_draft(u, existing ? existing->uuid : NULL, &d) < 0)
		return -1;
	memcpy(v.uuid, d.uuid, UUID_LEN);
	months = p->dob == DATE_NONE ? -1 : date_age_months(p->dob, v.date);
	visit_to_text(&v, val);
	n = visit_layout(p, months, val, f);
	due_intro(p, &v, months, intro, sizeof intro);
	snprintf(title, sizeof title, _("Visit: %s"), p->name);
	for (;;) {
		u->form_start = n > 1;     /* the weight: the date is today's already */
		if (ui_form(u, title, intro[0] ? intro : NULL, f, n) < 0)
			return -1;
		visit_from_text(val, p->kind, months, &v);
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
	show_result(u, p, &v);
	return 0;
}

/* ---- the result panel ---- */

static int result_line;

static void rl(WINDOW *w, int attr, const char *mark, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void rl(WINDOW *w, int attr, const char *mark, const char *fmt, ...)
{
	char buf[256], line[270];
	va_list ap;
	if (result_line >= getmaxy(w) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%-2s %s", mark, buf);
	wattron(w, attr);
	ui_put(w, result_line++, 1, getmaxx(w) - 2, line);
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
	rl(w, 0, "", "%s", "");
	rl(w, A_BOLD, "", "%s", _("Enter: next person   g: chart   Esc: back to the card"));
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
	default:
		return R_PASS;
	}
}

const struct screen_ops ui_result_ops = {
	.title = N_("Result"), .keys = KS_RESULT, .needs_session = true,
	.draw = result_draw, .input = result_input,
};

/* ---- registration ---- */

static bool duplicate(const struct person *p, const struct person *self)
{
	for (size_t i = 0; i < desk.np; i++)
		if (!(self && memcmp(desk.p[i].uuid, self->uuid, UUID_LEN) == 0) &&
		    search_likely_duplicate(p, &desk.p[i]))
			return true;
	return false;
}

/* Is P's NIK someone else's (core/search.h)? Then ERR names her or him. */
static bool nik_taken(const struct person *p, struct err *err)
{
	long k = search_nik_holder(desk.p, desk.np, p->nik, p->uuid);
	if (k < 0)
		return false;
	err_set(err, ERR_EXISTS, "nik", "%s", desk.p[k].name);
	return true;
}

static bool linked(const uint8_t uuid[UUID_LEN])
{
	static const uint8_t none[UUID_LEN];
	return memcmp(uuid, none, UUID_LEN) != 0;
}

/* M is the child P's mother: her record, her name, and her RT, RW and
 * address into the form's RT and RW (what she has recorded; ALL: over what
 * the child's form holds, else only where it is empty). */
static void take_mother(struct person *p, const struct person *m, bool all, char *rt, char *rw)
{
	memcpy(p->mother, m->uuid, UUID_LEN);
	snprintf(p->mother_name, sizeof p->mother_name, "%s", m->name);
	if (m->rt && (all || !p->rt)) {
		p->rt = m->rt;
		snprintf(rt, 6, "%u", m->rt);
	}
	if (m->rw && (all || !p->rw)) {
		p->rw = m->rw;
		snprintf(rw, 6, "%u", m->rw);
	}
	if (m->address[0] && (all || !p->address[0]))
		snprintf(p->address, sizeof p->address, "%s", m->address);
}

/* Who the child P's mother is, from what the form's mother field holds:
 * the woman already linked when it is still her name; the one woman of
 * that name; else the kader picks her among the women it matches, the list
 * narrowing as she types (ui_pick_mother). None matches, or "not in the
 * list": P->mother stays empty and link_mother registers her. 0: go on
 * saving; the form again: 1 with a mother picked (her RT/RW to check), 2
 * when the pick was cancelled; -1: the idle lock. */
static int choose_mother(struct ui *u, struct person *p, char *rt, char *rw)
{
	const struct person *m = desk_person(p->mother);
	char q[sizeof p->mother_name];
	size_t hit;
	long k;

	if (m && search_may_be_mother(m) && search_same_name(m->name, p->mother_name))
		return 0;
	memset(p->mother, 0, UUID_LEN);
	if (!p->mother_name[0])
		return 0;
	if ((k = search_mother_named(desk.p, desk.np, p->mother_name)) >= 0) {
		take_mother(p, &desk.p[k], false, rt, rw);
		return 0;
	}
	if (k == -1 && !desk_search_mothers(p->mother_name, &hit, 1))
		return 0;
	snprintf(q, sizeof q, "%s", p->mother_name);
	switch (ui_pick_mother(u, q, sizeof q, &m)) {
	case 1:
		take_mother(p, m, true, rt, rw);
		ui_status(u, false, _("Mother: %s. RT, RW and address are hers: check them, then F2 saves."),
			  m->name);
		return 1;
	case 0:
		snprintf(p->mother_name, sizeof p->mother_name, "%s", q);
		return 0;
	default:
		return u->lock_pending ? -1 : 2;
	}
}

/* "Not in the list": the mother is registered as a woman from the name
 * typed, with the child's RT, RW and address. */
static int link_mother(struct ui *u, struct person *child, struct err *err)
{
	struct person m;
	struct draft d;

	if (!child->mother_name[0] || linked(child->mother))
		return 0;
	memset(&m, 0, sizeof m);
	m.kind = PERSON_WOMAN;
	m.sex = 'P';
	m.dob = DATE_NONE;
	m.registered = ctx.today;
	snprintf(m.name, sizeof m.name, "%s", child->mother_name);
	m.rt = child->rt;
	m.rw = child->rw;
	snprintf(m.address, sizeof m.address, "%s", child->address);
	store_draft_new(&d);
	memcpy(m.uuid, d.uuid, UUID_LEN);
	if (store_person_put(u->s, &d, &m, err) < 0)
		return -1;
	desk_put_person(&m);
	memcpy(child->mother, m.uuid, UUID_LEN);
	return 0;
}

int ui_register(struct ui *u, enum person_kind kind, const struct person *existing)
{
	struct person p;
	struct draft d;
	struct err err = { 0 };
	struct ui_field f[14];
	char dob[12] = "", sex[4] = "L", rt[6] = "", rw[6] = "", bw[10] = "", bl[10] = "";
	char kia[12], works[12], status[32];
	int n = 0, rt_field = 0, mother_field = 0;

	set_ctx(NULL);
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.dob = DATE_NONE;
	p.registered = ctx.today;
	p.has_kia = true;
	if (existing)
		p = *existing;
	if (begin_draft(u, existing ? existing->uuid : NULL, &d) < 0)
		return -1;
	memcpy(p.uuid, d.uuid, UUID_LEN);
	date_format(p.dob, dob);
	if (p.sex)
		snprintf(sex, sizeof sex, "%c", p.sex);
	if (p.rt)
		snprintf(rt, sizeof rt, "%u", p.rt);
	if (p.rw)
		snprintf(rw, sizeof rw, "%u", p.rw);
	fmt_tenths(p.birth_weight_g, 1000, bw, sizeof bw);
	fmt_tenths(p.birth_length_mm, 10, bl, sizeof bl);
	snprintf(kia, sizeof kia, "%s", yesno[p.has_kia]);
	snprintf(works, sizeof works, "%s", yesno[p.mother_works]);
	snprintf(status, sizeof status, "%s", stat[p.kind != PERSON_PREGNANT]);

	f[n++] = (struct ui_field){ N_("Name"), p.name, sizeof p.name, 30, NULL, v_name };
	if (kind == PERSON_CHILD)
		f[n++] = (struct ui_field){ N_("Sex (L/P)"), sex, sizeof sex, 3, sexes, NULL };
	else
		f[n++] = (struct ui_field){ N_("Status"), status, sizeof status, 18, stat, NULL };
	f[n++] = (struct ui_field){ N_("Date of birth"), dob, sizeof dob, 10, NULL, v_dob };
	f[n++] = (struct ui_field){ N_("NIK (16 digits)"), p.nik, sizeof p.nik, 16, NULL, v_nik };
	if (kind == PERSON_CHILD) {
		/* required when registering; an older record without one (loaded from
		 * a register, or made elsewhere) can still be corrected */
		mother_field = n;
		f[n++] = (struct ui_field){ N_("Mother's name"), p.mother_name, sizeof p.mother_name, 30,
					    NULL, existing && !existing->mother_name[0] ? v_name_opt : v_name };
		f[n++] = (struct ui_field){ N_("Father's name"), p.father_name, sizeof p.father_name, 30, NULL, v_name_opt };
	} else {
		f[n++] = (struct ui_field){ N_("Husband's name"), p.father_name, sizeof p.father_name, 30, NULL, v_name_opt };
	}
	rt_field = n;
	f[n++] = (struct ui_field){ "RT", rt, sizeof rt, 4, NULL, v_rt };
	f[n++] = (struct ui_field){ "RW", rw, sizeof rw, 4, NULL, v_rt };
	f[n++] = (struct ui_field){ N_("Address (dusun, street)"), p.address, sizeof p.address, 30, NULL, NULL };
	if (kind == PERSON_CHILD) {
		f[n++] = (struct ui_field){ N_("Birth weight (kg)"), bw, sizeof bw, 6, NULL, NULL };
		f[n++] = (struct ui_field){ N_("Birth length (cm)"), bl, sizeof bl, 6, NULL, NULL };
		f[n++] = (struct ui_field){ N_("Has a KMS / Buku KIA"), kia, sizeof kia, 6, yesno, NULL };
	} else {
		f[n++] = (struct ui_field){ N_("Phone"), p.phone, sizeof p.phone, 16, NULL, NULL };
		f[n++] = (struct ui_field){ N_("Works outside the home"), works, sizeof works, 6, yesno, NULL };
	}

	for (;;) {
		if (ui_form(u, kind == PERSON_CHILD ? _("Register a child") : _("Register a woman"),
			    _("Dates as DD-MM-YYYY. The NIK may stay empty."), f, n) < 0)
			return -1;
		date_parse(dob, &p.dob, NULL);
		if (kind == PERSON_CHILD)
			p.sex = sex[0];
		else {
			p.sex = 'P';
			p.kind = strcmp(status, stat[0]) == 0 ? PERSON_PREGNANT : PERSON_WOMAN;
		}
		p.rt = (uint8_t)parse_scaled(rt, 1.0);
		p.rw = (uint8_t)parse_scaled(rw, 1.0);
		p.birth_weight_g = (uint16_t)parse_scaled(bw, 1000.0);
		p.birth_length_mm = (uint16_t)parse_scaled(bl, 10.0);
		p.has_kia = strcmp(kia, yesno[1]) == 0;
		p.mother_works = kind != PERSON_CHILD && strcmp(works, yesno[1]) == 0;
		if (valid_nik(p.nik, p.sex, p.dob, &err) < 0 || nik_taken(&p, &err)) {
			ui_status_err(u, &err);
			continue;
		}
		if (kind == PERSON_CHILD) {
			int again = choose_mother(u, &p, rt, rw);
			if (again < 0)
				return -1;
			if (again) {
				u->form_start = again == 1 ? rt_field : mother_field;
				continue;
			}
		}
		if (duplicate(&p, existing) &&
		    !ui_confirm(u, _("Someone with this name, birth date and mother is registered. Save anyway?")))
			continue;
		if (kind == PERSON_CHILD && link_mother(u, &p, &err) < 0) {
			ui_status_err(u, &err);
			continue;
		}
		if (store_person_put(u->s, &d, &p, &err) == 0)
			break;
		ui_status_err(u, &err);
	}
	desk_put_person(&p);
	ui_status(u, false, _("Saved: %s"), p.name);
	ui_card_show(u, p.uuid);
	return 0;
}
