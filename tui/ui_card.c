/* tui/ui_card.c: a person's card (details and visits), the history of
 * every version, and the KMS-style growth chart drawn in the terminal. */
#include "tui/ui_desk.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/growth.h"
#include "core/valid.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/arena.h"
#include "storage/clock.h"
#include "storage/draft.h"
#include "core/banned.h"

static struct {
	uint8_t person[UUID_LEN];
	struct ui_rows v;          /* the visits, newest first */
} card;

void ui_card_show(struct ui *u, const uint8_t person[UUID_LEN])
{
	memcpy(card.person, person, UUID_LEN);
	card.v.l.sel = card.v.l.top = 0;
	u->next = &ui_card_ops;
}

/* The visits are an arena block (desk_visits_of), not ui_rows_free's. */
static void card_visits_free(void)
{
	store_free(card.v.visits);
	card.v.visits = NULL;
	card.v.n = 0;
	card.v.l.n = 0;
}

static int card_open(struct ui *u)
{
	card_visits_free();
	if (!desk_person(card.person)) {
		ui_status(u, true, "%s", _("Not found"));
		return -1;
	}
	memset(&desk.err, 0, sizeof desk.err);
	card.v.n = desk_visits_of(card.person, &card.v.visits);
	if (desk.err.code)             /* a visit that does not open: say so, show the rest */
		ui_status_err(u, &desk.err);
	card.v.l.n = (int)card.v.n;
	if (card.v.l.sel >= card.v.l.n)
		card.v.l.sel = card.v.l.n ? card.v.l.n - 1 : 0;
	return 0;
}

static void card_close(struct ui *u)
{
	(void)u;
	card_visits_free();
}

/* "Children: Budi Santoso (1y 2m), Ani (3y 0m)": the mother M's, oldest first. */
static void children_line(const struct person *m, int32_t today, char *line, size_t size)
{
	size_t kids[16], n = desk_children_of(m->uuid, kids, 16), len;
	char age[24];

	len = (size_t)snprintf(line, size, "%s:", _("Children"));
	for (size_t i = 0; i < n && len < size; i++) {
		ui_age(desk.p[kids[i]].dob, today, age, sizeof age);
		len += (size_t)snprintf(line + len, size - len, "%s %s (%s)", i ? "," : "",
					desk.p[kids[i]].name, age);
	}
	if (!n && len < size)
		snprintf(line + len, size - len, " -");
}

static void card_draw(struct ui *u, WINDOW *w)
{
	(void)u;
	const struct person *p = desk_person(card.person);
	int width = getmaxx(w), y = 0, rows;
	int32_t today = clock_today();
	char line[256], age[24], dob[DATE_BUFSZ], date[DATE_BUFSZ];

	if (!p)
		return;
	ui_age(p->dob, today, age, sizeof age);
	date_format(p->dob, dob);
	snprintf(line, sizeof line, "%s  (%s, %c)  %s %s, %s", p->name, ui_kind_label(p, today), p->sex,
		 _("born"), dob[0] ? dob : "-", age);
	ui_put_bold(w, y++, 1, width - 2, line);
	snprintf(line, sizeof line, "NIK %s   RT/RW %u/%u   %s", p->nik[0] ? p->nik : "-", p->rt, p->rw,
		 p->address);
	ui_put(w, y++, 1, width - 2, line);
	if (p->kind == PERSON_CHILD) {
		const struct person *m = desk_person(p->mother);   /* her name as it is now */
		const char *mother = m ? m->name : p->mother_name;
		snprintf(line, sizeof line, "%s: %s   %s: %s   KMS/KIA: %s", _("Mother"),
			 mother[0] ? mother : "-", _("Father"),
			 p->father_name[0] ? p->father_name : "-", p->kia == ASK_YES ? _("yes") : p->kia == ASK_NO ? _("no") : "-");
	} else if (p->kind == PERSON_RESIDENT) {
		snprintf(line, sizeof line, "%s: %s   %s: %s", _("Husband or father"),
			 p->father_name[0] ? p->father_name : "-", _("Phone"), p->phone[0] ? p->phone : "-");
	} else {
		snprintf(line, sizeof line, "%s: %s   %s: %s", _("Husband"),
			 p->father_name[0] ? p->father_name : "-", _("Works outside the home"),
			 p->works == ASK_YES ? _("yes") : p->works == ASK_NO ? _("no") : "-");
	}
	ui_put(w, y++, 1, width - 2, line);
	if (p->kind == PERSON_PREGNANT || p->kind == PERSON_WOMAN) {   /* a mother's children */
		children_line(p, today, line, sizeof line);
		ui_put(w, y++, 1, width - 2, line);
	}
	y++;
	snprintf(line, sizeof line, "%-10s %7s %7s %-4s %s", _("Date"), _("kg"), _("cm"),
		 p->kind == PERSON_CHILD ? "N/T" : _("BP"), _("Note"));
	ui_put_bold(w, y++, 1, width - 2, line);
	rows = getmaxy(w) - y - 1;
	ui_list_scroll(&card.v.l, rows);
	for (int i = card.v.l.top; i < card.v.l.n && i - card.v.l.top < rows; i++) {
		const struct visit *v = &card.v.visits[i];
		struct desk_result r;
		char kg[12] = "", cm[12] = "", bp[16];
		desk_assess(p, v, card.v.visits, card.v.n, &r);
		if (v->weight_g)
			snprintf(kg, sizeof kg, "%u,%u", v->weight_g / 1000, v->weight_g % 1000 / 100);
		if (v->lenhei_mm)
			snprintf(cm, sizeof cm, "%u,%u", v->lenhei_mm / 10, v->lenhei_mm % 10);
		/* a grown-up's blood pressure where a child's N/T would be */
		if (p->kind != PERSON_CHILD && v->bp_sys)
			snprintf(bp, sizeof bp, "%u/%u ", v->bp_sys, v->bp_dia);
		else
			snprintf(bp, sizeof bp, "%-4c ", kbm_status_letter(r.nt));
		snprintf(line, sizeof line, "%-10s %7s %7s %s%s%s", date_format(v->date, date), kg, cm,
			 bp, v->home_visit ? _("[home visit] ") : "", v->note);
		ui_list_row(w, &card.v.l, i, y + i - card.v.l.top, width, line);
	}
	if (!card.v.n)
		ui_put(w, y, 2, width - 4, _("No visits yet: press v to record one."));
}

static int home_visit(struct ui *u, const struct person *p)
{
	struct visit v;
	struct draft d;
	struct err err = { 0 };
	char date[12], note[sizeof v.note] = "";
	struct ui_field f[2] = {
		{ N_("Date"), date, sizeof date, 10, NULL, NULL },
		{ N_("Note"), note, sizeof note, 40, NULL, NULL },
	};
	memset(&v, 0, sizeof v);
	v.asi_recall = -1;
	date_format(clock_today(), date);
	store_draft_new(&d);
	for (;;) {
		if (ui_form(u, _("Home visit (kunjungan rumah)"), p->name, f, 2) < 0)
			return -1;
		if (date_parse(date, &v.date, &err) < 0 ||
		    valid_visit_date(v.date, p->dob, clock_today(), &err) < 0) {
			ui_status_err(u, &err);
			continue;
		}
		memcpy(v.uuid, d.uuid, UUID_LEN);
		memcpy(v.person, p->uuid, UUID_LEN);
		v.home_visit = true;
		snprintf(v.note, sizeof v.note, "%s", note);
		if (store_visit_put(u->s, &d, &v, &err) == 0)
			break;
		ui_status_err(u, &err);
	}
	desk_put_visit(&v);
	ui_status(u, false, "%s", _("Home visit saved."));
	return 0;
}

/* One question, about one thing: the selected visit, or the person when the
 * card has no visit left. A "no" ends it; a reflex "y" to a second question
 * once removed a child (issue 12). */
static int delete_selected(struct ui *u, const struct person *p)
{
	struct draft d;
	struct err err = { 0 };
	const uint8_t *what = card.v.n ? card.v.visits[card.v.l.sel].uuid : p->uuid;

	if (!ui_confirm(u, card.v.n ? _("Delete the selected visit? It stays in the history.")
			     : _("Delete this person from the lists? It stays in the history.")))
		return R_REDRAW;
	if (store_draft_edit(u->s, &d, what, &err) < 0 || store_delete(u->s, &d, &err) < 0) {
		ui_status_err(u, &err);
		return R_REDRAW;
	}
	ui_status(u, false, "%s", _("Deleted."));
	if (what == p->uuid) {
		desk_drop(p->uuid);
		ui_desk_after_save(u);
		return R_BACK;
	}
	desk_drop(what);
	card_open(u);
	return R_REDRAW;
}

/* The visit form for P over EXISTING (NULL: a new one), remembered as the
 * form its draft reopens; the card shows the saved visit at once, under
 * the result panel it goes to. */
static int visit(struct ui *u, const struct person *p, const struct visit *existing)
{
	u->form_ctx.kind = FORM_CTX_VISIT;
	memcpy(u->form_ctx.person, p->uuid, UUID_LEN);
	if (existing)
		memcpy(u->form_ctx.record, existing->uuid, UUID_LEN);
	if (ui_visit_form(u, p, existing) < 0)
		return R_REDRAW;
	card_open(u);
	return R_PUSH;
}

/* One visit per person per day: today's, when there is one. */
static const struct visit *seen_today(void)
{
	int32_t today = clock_today();
	for (size_t i = 0; i < card.v.n; i++)
		if (card.v.visits[i].date == today && !card.v.visits[i].home_visit)
			return &card.v.visits[i];
	return NULL;
}

static int card_input(struct ui *u, enum action act)
{
	struct person *p = desk_person(card.person);
	if (!p)
		return R_BACK;
	switch (act) {
	case ACT_VISIT:
		if (seen_today())
			ui_status(u, false, "%s", _("Already seen today: this is today's visit, to correct."));
		return visit(u, p, seen_today());
	case ACT_SELECT:
		if (card.v.visits[card.v.l.sel].home_visit)
			return R_NONE;
		return visit(u, p, &card.v.visits[card.v.l.sel]);
	case ACT_EDIT:
		ui_form_for_person(u, p->kind == PERSON_CHILD ? FORM_CTX_CHILD : FORM_CTX_WOMAN, p->uuid);
		if (ui_register(u, p->kind == PERSON_CHILD ? PERSON_CHILD : PERSON_WOMAN, p) < 0)
			return R_REDRAW;
		card_open(u);
		return R_REDRAW;
	case ACT_HISTORY:
		u->next = &ui_history_ops;
		return R_PUSH;
	case ACT_CHART:
		if (p->kind != PERSON_CHILD)
			return R_NONE;
		u->next = &ui_chart_ops;
		return R_PUSH;
	case ACT_HOME_VISIT:
		home_visit(u, p);
		card_open(u);
		return R_REDRAW;
	case ACT_DELETE:
		return delete_selected(u, p);
	default:
		return R_PASS;
	}
}

/* What a registration form is for: KIND, and the person it edits (NULL:
 * a new one), so that its draft can reopen it. */
void ui_form_for_person(struct ui *u, int kind, const uint8_t *person)
{
	u->form_ctx.kind = kind;
	if (person) {
		memcpy(u->form_ctx.person, person, UUID_LEN);
		memcpy(u->form_ctx.record, person, UUID_LEN);
	}
}

/* After a login that took a kept draft back: its form again, over the
 * desk's data (loaded for it, and dropped after, when no desk is open).
 * A form that is not a visit or a registration fills itself in when it is
 * opened again. */
void ui_draft_reopen(struct ui *u)
{
	struct ui_form_ctx ctx = u->form_ctx;
	struct err err = { 0 };
	bool loaded = desk.loaded;
	const struct person *p;
	const struct visit *existing = NULL;
	struct visit *found = NULL;
	static const uint8_t none[UUID_LEN];

	if (ctx.kind == FORM_CTX_NONE) {
		ui_status(u, false, "%s", _("Open that form again: what you typed is filled in."));
		return;
	}
	if (!loaded && desk_load(u->s, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	p = desk_person(ctx.person);
	/* the visit the form was editing, opened from the store (arena) */
	if (p && ctx.kind == FORM_CTX_VISIT && (found = arena_alloc(1, sizeof *found)) &&
	    desk_visit_get(ctx.record, found) == 1 &&
	    memcmp(found->person, p->uuid, UUID_LEN) == 0)
		existing = found;
	if (ctx.kind == FORM_CTX_VISIT && p)
		ui_visit_form(u, p, existing);
	else if (ctx.kind != FORM_CTX_VISIT && (p || memcmp(ctx.person, none, UUID_LEN) == 0))
		ui_register(u, ctx.kind == FORM_CTX_CHILD ? PERSON_CHILD : PERSON_WOMAN, p);
	if (u->restore) {              /* its form is gone: nothing to fill in */
		store_form_draft_free(u->restore, u->restore_len);
		u->restore = NULL;
		store_form_draft_drop(u->s, NULL);
		ui_status(u, true, "%s", _("The unsaved form is about a record that is gone."));
	}
	arena_free(found);
	if (!loaded)
		desk_unload();
}

const struct screen_ops ui_card_ops = {
	.title = N_("Card"), .keys = KS_CARD, .list = &card.v.l, .needs_session = true,
	.open = card_open, .close = card_close, .draw = card_draw, .input = card_input,
};

/* ---- history: every version of the person and of the selected visit ---- */

static struct {
	char (*lines)[160];        /* names, NIKs: an arena block */
	size_t cap;
	struct ui_list l;          /* a text: l.n lines */
} hist = { .l.text = true };

static void hist_add(const char *text)
{
	void *lines = hist.lines;
	if (arena_grow(&lines, &hist.cap, (size_t)hist.l.n + 1, sizeof *hist.lines) < 0)
		return;
	hist.lines = lines;
	snprintf(hist.lines[hist.l.n++], sizeof *hist.lines, "%s", text);
}

static const char *label_of(const struct store_user *us, size_t n, const uint8_t *uuid)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(us[i].uuid, uuid, UUID_LEN) == 0)
			return us[i].label;
	return "?";
}

static void hist_versions(struct ui *u, const uint8_t *uuid, const struct store_user *us, size_t nu)
{
	struct store_version *v;
	struct err err = { 0 };
	size_t n;
	char line[200], when[DATE_BUFSZ], d[DATE_BUFSZ];

	if (store_history(u->s, uuid, &v, &n, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t t = v[i].time + u->c->utc_offset;
		int secs = (int)(((t % 86400) + 86400) % 86400);
		int len = snprintf(line, sizeof line, "  %zu. %s %02d:%02d %-10s ", i + 1,
				   date_format(date_from_unix(t), when), secs / 3600, secs / 60 % 60,
				   label_of(us, nu, v[i].author));
		if (v[i].deleted)
			snprintf(line + len, sizeof line - (size_t)len, "%s", _("deleted"));
		else if (v[i].kind == REC_PERSON)
			snprintf(line + len, sizeof line - (size_t)len, "%s, %s, NIK %s, RT/RW %u/%u",
				 v[i].u.person.name, date_format(v[i].u.person.dob, d),
				 v[i].u.person.nik[0] ? v[i].u.person.nik : "-", v[i].u.person.rt,
				 v[i].u.person.rw);
		else
			snprintf(line + len, sizeof line - (size_t)len, "%s  %u,%u kg  %u,%u cm  %s",
				 date_format(v[i].u.visit.date, d), v[i].u.visit.weight_g / 1000,
				 v[i].u.visit.weight_g % 1000 / 100, v[i].u.visit.lenhei_mm / 10,
				 v[i].u.visit.lenhei_mm % 10, v[i].u.visit.note);
		hist_add(line);
	}
	sodium_memzero(line, sizeof line);
	store_free(v);
}

static void history_close(struct ui *u)
{
	(void)u;
	arena_free(hist.lines);
	hist.lines = NULL;
	hist.cap = 0;
	hist.l.n = hist.l.top = 0;
}

static int history_open(struct ui *u)
{
	struct store_user *us = NULL;
	struct err err = { 0 };
	const struct person *p = desk_person(card.person);
	char line[160], date[DATE_BUFSZ];
	size_t nu = 0;

	history_close(u);
	if (!p)
		return -1;
	store_users(u->s, &us, &nu, &err);
	snprintf(line, sizeof line, _("Every saved version of %s:"), p->name);
	hist_add(line);
	hist_versions(u, p->uuid, us, nu);
	if (card.v.n) {
		hist_add("");
		snprintf(line, sizeof line, _("Every saved version of the visit of %s:"),
			 date_format(card.v.visits[card.v.l.sel].date, date));
		hist_add(line);
		hist_versions(u, card.v.visits[card.v.l.sel].uuid, us, nu);
	}
	free(us);
	return 0;
}

static void history_draw(struct ui *u, WINDOW *w)
{
	(void)u;
	ui_list_scroll(&hist.l, getmaxy(w));
	for (int i = hist.l.top; i < hist.l.n && i - hist.l.top < getmaxy(w); i++)
		ui_put(w, i - hist.l.top, 1, getmaxx(w) - 2, hist.lines[i]);
}

const struct screen_ops ui_history_ops = {
	.title = N_("History"), .keys = KS_VIEW, .list = &hist.l, .needs_session = true,
	.open = history_open, .close = history_close, .draw = history_draw,
};

/* ---- the KMS-style chart ---- */

static struct {
	bool length;               /* length/height-for-age instead of weight-for-age */
} chart;

/* WHO -3/-2/0/+2 SD curves and the child's points on a character canvas. */
static void chart_draw(struct ui *u, WINDOW *w)
{
	static const double sds[] = { -3.0, -2.0, 0.0, 2.0 };
	const char *ac[] = { ".", "-", "=", "-" };   /* plain ASCII reads on every console */
	const struct person *p = desk_person(card.person);
	enum growth_indicator ind = chart.length ? GROWTH_LHFA : GROWTH_WFA;
	int W = getmaxx(w) - 8, H = getmaxy(w) - 4, months = 24, sex;
	double ymin = 1e9, ymax = -1e9;
	int32_t now = clock_today();
	char label[96];

	if (!p || W < 20 || H < 6)
		return;
	sex = p->sex == 'L' ? GROWTH_MALE : GROWTH_FEMALE;
	for (size_t i = 0; i < card.v.n; i++)
		if (date_age_months(p->dob, card.v.visits[i].date) >= 22)
			months = 60;
	if (date_age_months(p->dob, now) >= 22)
		months = 60;
	for (int c = 0; c <= W; c++) {
		int32_t day = (int32_t)lround(c * months * 30.4375 / W);
		double lo = growth_curve(ind, sex, day, -3.0), hi = growth_curve(ind, sex, day, 3.0);
		if (lo < ymin)
			ymin = lo;
		if (hi > ymax)
			ymax = hi;
	}
	ymin = floor(ymin);
	ymax = ceil(ymax);
	snprintf(label, sizeof label, "%s: %s", p->name,
		 chart.length ? _("length/height-for-age (cm)") : _("weight-for-age (kg)"));
	ui_put_bold(w, 0, 1, getmaxx(w) - 2, label);
	/* axes */
	for (int r = 0; r <= H; r += H / 4 ? H / 4 : 1) {
		snprintf(label, sizeof label, "%5.1f", ymax - (ymax - ymin) * r / H);
		mvwaddstr(w, 1 + r, 0, label);
	}
	for (int m = 0; m <= months; m += months == 60 ? 12 : 6) {
		int c = 6 + m * W / months;
		snprintf(label, sizeof label, "%d", m);
		if (c < getmaxx(w) - 3)
			mvwaddstr(w, 2 + H, c, label);
	}
	ui_put(w, 3 + H, 1, getmaxx(w) - 2,
	       chart.length ? _("months  . -3 SD  - -2/+2 SD  = median  * the child  Tab: weight")
			    : _("months  . -3 SD (red line)  - -2/+2 SD  = median  * the child  Tab: length"));
	/* curves */
	for (int k = 0; k < 4; k++) {
		if (u->color)
			wattron(w, COLOR_PAIR(k == 0 ? 3 : k == 2 ? 4 : 0));
		for (int c = 0; c <= W; c++) {
			int32_t day = (int32_t)lround(c * months * 30.4375 / W);
			double y = growth_curve(ind, sex, day, sds[k]);
			int r = (int)lround((ymax - y) * H / (ymax - ymin));
			if (isfinite(y) && r >= 0 && r <= H)
				mvwaddstr(w, 1 + r, 6 + c, ac[k]);
		}
		if (u->color)
			wattroff(w, COLOR_PAIR(k == 0 ? 3 : k == 2 ? 4 : 0));
	}
	/* the child's points */
	wattron(w, A_BOLD);
	for (size_t i = 0; i < card.v.n; i++) {
		const struct visit *v = &card.v.visits[i];
		double y = chart.length ? v->lenhei_mm / 10.0 : v->weight_g / 1000.0;
		int32_t day = v->date - p->dob;
		int c = (int)lround(day * W / (months * 30.4375)), r;
		if (y <= 0 || c < 0 || c > W)
			continue;
		r = (int)lround((ymax - y) * H / (ymax - ymin));
		if (r >= 0 && r <= H)
			mvwaddstr(w, 1 + r, 6 + c, u->ascii ? "*" : "\xe2\x97\x8f");   /* ● */
	}
	wattroff(w, A_BOLD);
}

static int chart_input(struct ui *u, enum action act)
{
	(void)u;
	if (act != ACT_SWITCH)
		return R_PASS;
	chart.length = !chart.length;
	return R_REDRAW;
}

static int chart_open(struct ui *u)
{
	chart.length = false;
	return card_open(u);
}

const struct screen_ops ui_chart_ops = {
	.title = N_("Growth chart"), .keys = KS_CHART, .needs_session = true,
	.open = chart_open, .draw = chart_draw, .input = chart_input,
};
