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
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/clock.h"
#include "core/banned.h"

/* The person a form is about, for validators that need the age. */
static struct {
	int32_t dob, today;
	enum person_kind kind;
	char sex;
} ctx;

static const char *const yes_no[] = { N_("no"), N_("yes"), NULL };
static const char *yesno[3];
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

/* Vaccine codes separated by spaces (domain.md §5.1). */
static int parse_imm(const char *s, uint32_t *out, struct err *e)
{
	char buf[160], *tok, *save = NULL;
	*out = 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		int a = imm_from_code(tok);
		if (a < 0)
			return err_set(e, ERR_FORMAT, "imm", "%s", tok);
		*out |= 1u << a;
	}
	return 0;
}

static int v_imm(const char *s, struct err *e)
{
	uint32_t bits;
	return parse_imm(s, &bits, e);
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

static void imm_string(uint32_t bits, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < IMM__COUNT && n < size; i++)
		if (bits & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", imm_code(i));
}

static struct result_state {
	uint8_t person[UUID_LEN];
	struct visit v;
	struct desk_result r;
	bool from_desk;
} res;

int ui_visit_form(struct ui *u, const struct person *p, const struct visit *existing)
{
	struct visit v;
	struct draft d;
	struct err err = { 0 };
	struct ui_field f[16];
	char date[12], weight[12] = "", len[12] = "", position[24], headc[12] = "", muac[12] = "";
	char oedema[12], asi[12], counsel[12], bfc[12], vita[12], imm[160] = "", gest[8] = "", bp[12] = "";
	char ttd[8] = "", anc[8] = "", danger[12], note[sizeof v.note] = "";
	char intro[160] = "";
	int n = 0, months;
	bool child = p->kind == PERSON_CHILD, pregnant = p->kind == PERSON_PREGNANT;

	translate_choices();
	ctx.dob = p->dob;
	ctx.today = clock_today();
	ctx.kind = p->kind;
	ctx.sex = p->sex;
	memset(&v, 0, sizeof v);
	v.asi_recall = -1;
	v.date = ctx.today;
	if (existing) {
		v = *existing;
		if (store_draft_edit(u->s, &d, existing->uuid, &err) < 0) {
			ui_status_err(u, &err);
			return -1;
		}
	} else {
		store_draft_new(&d);
		memcpy(v.person, p->uuid, UUID_LEN);
	}
	memcpy(v.uuid, d.uuid, UUID_LEN);
	months = p->dob == DATE_NONE ? -1 : date_age_months(p->dob, v.date);

	date_format(v.date, date);
	fmt_tenths(v.weight_g, 1000, weight, sizeof weight);
	fmt_tenths(v.lenhei_mm, 10, len, sizeof len);
	fmt_tenths(v.headc_mm, 10, headc, sizeof headc);
	fmt_tenths(v.muac_mm, 10, muac, sizeof muac);
	snprintf(position, sizeof position, "%s",
		 pos[(v.measure ? v.measure : desk_default_measure(age_days_now())) == 'h']);
	snprintf(oedema, sizeof oedema, "%s", yesno[v.oedema]);
	snprintf(asi, sizeof asi, "%s", yesno[v.asi_recall != 0]);
	snprintf(counsel, sizeof counsel, "%s", yesno[v.counsel_asi]);
	snprintf(bfc, sizeof bfc, "%s", yesno[v.bf_continue != BF_ASKED_NO]);
	snprintf(vita, sizeof vita, "%s", caps[v.vitamin_a]);
	imm_string(v.imm, imm, sizeof imm);
	if (v.gest_weeks)
		snprintf(gest, sizeof gest, "%u", v.gest_weeks);
	if (v.bp_sys)
		snprintf(bp, sizeof bp, "%u/%u", v.bp_sys, v.bp_dia);
	if (v.iron_tablets)
		snprintf(ttd, sizeof ttd, "%u", v.iron_tablets);
	if (v.anc_no)
		snprintf(anc, sizeof anc, "%u", v.anc_no);
	snprintf(danger, sizeof danger, "%s", yesno[v.danger_signs != 0]);
	snprintf(note, sizeof note, "%s", v.note);

	f[n++] = (struct ui_field){ N_("Date"), date, sizeof date, 10, NULL, v_visit_date };
	f[n++] = (struct ui_field){ N_("Weight (kg)"), weight, sizeof weight, 6, NULL, v_weight };
	if (child) {
		f[n++] = (struct ui_field){ N_("Length/height (cm)"), len, sizeof len, 6, NULL, v_lenhei };
		f[n++] = (struct ui_field){ N_("Measured"), position, sizeof position, 10, pos, NULL };
		f[n++] = (struct ui_field){ N_("Head circumference (cm)"), headc, sizeof headc, 6, NULL, v_headc };
		if (months >= 6)
			f[n++] = (struct ui_field){ N_("Arm circumference (cm)"), muac, sizeof muac, 6, NULL, v_muac };
		f[n++] = (struct ui_field){ N_("Oedema (both feet)"), oedema, sizeof oedema, 6, yesno, NULL };
		if (months >= 0 && months < 6)
			f[n++] = (struct ui_field){ N_("Only breast milk yesterday"), asi, sizeof asi, 6, yesno, NULL };
		if (months >= 6 && months < 24)
			f[n++] = (struct ui_field){ N_("Still breastfed"), bfc, sizeof bfc, 6, yesno, NULL };
		if (months >= 0 && months < 24)
			f[n++] = (struct ui_field){ N_("Breastfeeding counselling"), counsel, sizeof counsel, 6, yesno, NULL };
		if (months >= 6 && months < 60)
			f[n++] = (struct ui_field){ N_("Vitamin A capsule"), vita, sizeof vita, 6, caps, NULL };
		if (months >= 0 && months < 60)
			f[n++] = (struct ui_field){ N_("Immunisations given"), imm, sizeof imm, 30, NULL, v_imm };
		uint32_t given = 0;
		for (size_t i = 0; i < desk.nv; i++)
			if (memcmp(desk.v[i].person, p->uuid, UUID_LEN) == 0 &&
			    memcmp(desk.v[i].uuid, v.uuid, UUID_LEN) != 0)
				given |= desk.v[i].imm;
		char due[120];
		imm_string(imm_due(months, given), due, sizeof due);
		if (due[0])
			snprintf(intro, sizeof intro, _("Due: %s"), due);
	} else {
		f[n++] = (struct ui_field){ N_("Arm circumference LILA (cm)"), muac, sizeof muac, 6, NULL, v_muac };
		if (pregnant) {
			f[n++] = (struct ui_field){ N_("Weeks of pregnancy"), gest, sizeof gest, 4, NULL, v_gest };
			f[n++] = (struct ui_field){ N_("Blood pressure (mmHg)"), bp, sizeof bp, 8, NULL, v_bp };
			f[n++] = (struct ui_field){ N_("Iron tablets given"), ttd, sizeof ttd, 4, NULL, v_ttd };
			f[n++] = (struct ui_field){ N_("ANC visit number (K)"), anc, sizeof anc, 4, NULL, v_anc };
			f[n++] = (struct ui_field){ N_("Danger sign"), danger, sizeof danger, 6, yesno, NULL };
		}
		f[n++] = (struct ui_field){ N_("Breastfeeding counselling"), counsel, sizeof counsel, 6, yesno, NULL };
	}
	f[n++] = (struct ui_field){ N_("Note"), note, sizeof note, 30, NULL, NULL };

	for (;;) {
		char title[128];
		snprintf(title, sizeof title, _("Visit: %s"), p->name);
		if (ui_form(u, title, intro[0] ? intro : NULL, f, n) < 0)
			return -1;
		date_parse(date, &v.date, NULL);
		v.weight_g = parse_scaled(weight, 1000.0);
		v.lenhei_mm = (uint16_t)parse_scaled(len, 10.0);
		v.measure = !child || !v.lenhei_mm ? 0 : strcmp(position, pos[1]) == 0 ? 'h' : 'l';
		v.headc_mm = (uint16_t)parse_scaled(headc, 10.0);
		v.muac_mm = (uint16_t)parse_scaled(muac, 10.0);
		v.oedema = child && strcmp(oedema, yesno[1]) == 0;
		v.asi_recall = child && months >= 0 && months < 6 ? strcmp(asi, yesno[1]) == 0 : -1;
		v.counsel_asi = strcmp(counsel, yesno[1]) == 0;
		v.bf_continue = !child || months < 6 || months >= 24 ? BF_NOT_ASKED
			      : strcmp(bfc, yesno[1]) == 0 ? BF_ASKED_YES : BF_ASKED_NO;
		v.vitamin_a = !child || months < 6 ? VITA_NONE
			    : strcmp(vita, caps[1]) == 0 ? VITA_BLUE
			    : strcmp(vita, caps[2]) == 0 ? VITA_RED : VITA_NONE;
		parse_imm(imm, &v.imm, NULL);
		v.gest_weeks = (uint8_t)parse_scaled(gest, 1.0);
		int sys, dia;
		valid_bp(bp, &sys, &dia, NULL);
		v.bp_sys = (uint16_t)sys;
		v.bp_dia = (uint16_t)dia;
		v.iron_tablets = (uint8_t)parse_scaled(ttd, 1.0);
		v.anc_no = (uint8_t)parse_scaled(anc, 1.0);
		v.danger_signs = pregnant && strcmp(danger, yesno[1]) == 0;
		snprintf(v.note, sizeof v.note, "%s", note);
		if (store_visit_put(u->s, &d, &v, &err) == 0)
			break;
		ui_status_err(u, &err);   /* the form comes back with the same draft */
	}
	desk_put_visit(&v);

	/* The result panel. */
	struct visit *hist;
	size_t nh = desk_visits_of(p->uuid, &hist);
	memcpy(res.person, p->uuid, UUID_LEN);
	res.v = v;
	desk_assess(p, &v, hist, nh, &res.r);
	free(hist);
	ui_status(u, false, "%s", _("Saved."));
	u->next = &ui_result_ops;
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

static void result_draw(struct ui *u, WINDOW *w)
{
	const struct person *p = desk_person(res.person);
	const struct desk_result *r = &res.r;
	char age[24], date[DATE_BUFSZ], due[120];

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
			if (!z->valid)
				continue;
			rl(w, attr_of(u, ci->alarm), mark_of(ci->alarm), "%-9s z %+5.2f  %s%s",
			   short_names[i], z->z,
			   ci->label_en[0] ? _(ci->label_en) : "", z->flag ? _("  (implausible: re-measure?)") : "");
		}
		switch (r->nt) {
		case KBM_N:
			rl(w, attr_of(u, 0), "N", _("Gained %+d g (minimum %d g): N, growing well"), r->gain_g, r->kbm_g);
			break;
		case KBM_T:
			if (r->has_gain)
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
		if (r->warn)
			rl(w, attr_of(u, 1), "! ", "%s", _("A value looks unlikely: measure again?"));
		imm_string(r->imm_due, due, sizeof due);
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
	if (r->refer & KBM_REFER_KADER_MASK)
		rl(w, attr_of(u, 2), "!!", "%s", _("Refer to the puskesmas (rujuk ke puskesmas):"));
	for (size_t i = 0; i < kbm_refer_reasons_len; i++)
		if ((r->refer & kbm_refer_reasons[i].bit) && kbm_refer_reasons[i].kader)
			rl(w, 0, "", "   - %s", _(kbm_refer_reasons[i].label_en));
	if (r->refer & KBM_REFER_BIDAN_MASK)
		rl(w, attr_of(u, 1), "! ", "%s", _("Check with the bidan:"));
	for (size_t i = 0; i < kbm_refer_reasons_len; i++)
		if ((r->refer & kbm_refer_reasons[i].bit) && !kbm_refer_reasons[i].kader)
			rl(w, 0, "", "   - %s", _(kbm_refer_reasons[i].label_en));
	rl(w, 0, "", "%s", "");
	rl(w, A_BOLD, "", "%s", _("Enter: next person   g: chart   Esc: back to the card"));
}

static int result_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	(void)ch;
	(void)is_key;
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

/* The mother's record: an existing woman of that name, or a new one. */
static int link_mother(struct ui *u, struct person *child, struct err *err)
{
	struct person m;
	struct draft d;

	if (!child->mother_name[0]) {
		memset(child->mother, 0, UUID_LEN);
		return 0;
	}
	for (size_t i = 0; i < desk.np; i++)
		if (desk.p[i].kind != PERSON_CHILD && search_same_name(desk.p[i].name, child->mother_name)) {
			memcpy(child->mother, desk.p[i].uuid, UUID_LEN);
			return 0;
		}
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
	int n = 0;

	translate_choices();
	ctx.today = clock_today();
	ctx.dob = DATE_NONE;
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.dob = DATE_NONE;
	p.registered = ctx.today;
	p.has_kia = true;
	if (existing) {
		p = *existing;
		if (store_draft_edit(u->s, &d, existing->uuid, &err) < 0) {
			ui_status_err(u, &err);
			return -1;
		}
	} else {
		store_draft_new(&d);
	}
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
		f[n++] = (struct ui_field){ N_("Mother's name"), p.mother_name, sizeof p.mother_name, 30,
					    NULL, existing && !existing->mother_name[0] ? v_name_opt : v_name };
		f[n++] = (struct ui_field){ N_("Father's name"), p.father_name, sizeof p.father_name, 30, NULL, v_name_opt };
	} else {
		f[n++] = (struct ui_field){ N_("Husband's name"), p.father_name, sizeof p.father_name, 30, NULL, v_name_opt };
	}
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
		if (valid_nik(p.nik, p.sex, p.dob, &err) < 0) {
			ui_status_err(u, &err);
			continue;
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
