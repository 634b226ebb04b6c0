/* tui/ui_desk.c: the desk (ARCHITECTURE.md "The screens"): type part of a
 * name, a mother's name or a NIK; matches narrow as one types; Enter opens
 * the person's card. Tab shows the children expected this month who have
 * not come yet. F4 registers a child, F5 a woman. Also the opening-day
 * (hari buka) form. */
#include "tui/ui_desk.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/ilp.h"
#include "core/valid.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/arena.h"
#include "storage/clock.h"
#include "core/banned.h"

#define MAX_HITS 500

static struct {
	char q[64];                /* the query as typed (UTF-8) */
	size_t hits[MAX_HITS];
	size_t nhits;
	struct ui_list l;          /* over hits */
	bool expected;             /* showing "not come yet" instead of matches */
} ds;

void ui_age(int32_t dob, int32_t day, char *buf, size_t size)
{
	int m = dob == DATE_NONE ? -1 : date_age_months(dob, day);
	if (m < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, _("%dy %dm"), m / 12, m % 12);
}

const char *ui_kind_label(const struct person *p, int32_t day)
{
	switch (p->kind) {
	case PERSON_CHILD: return _("child");
	case PERSON_PREGNANT: return _("pregnant woman");
	case PERSON_WOMAN: return _("woman");
	default: break;
	}
	/* a resident by the life-cycle group of the day (core/ilp.h) */
	switch (ilp_group_of(p, day)) {
	case ILP_SCHOOL: return _("school age");
	case ILP_ADOLESCENT: return _("adolescent");
	case ILP_ADULT: return _("adult");
	case ILP_ELDERLY: return _("elderly");
	default: return _("resident");
	}
}

static void refresh_hits(const struct ui *u)
{
	(void)u;
	if (ds.expected)
		ds.nhits = desk_not_weighed_on(clock_today(), ds.hits, MAX_HITS);
	else
		ds.nhits = desk_search(ds.q, ds.hits, MAX_HITS);
	ds.l.n = (int)ds.nhits;
	if (ds.l.sel >= ds.l.n)
		ds.l.sel = ds.l.n ? ds.l.n - 1 : 0;
}

static int desk_open(struct ui *u)
{
	struct err err = { 0 };
	if (!desk.loaded && desk_load(u->s, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	if (arena_unlocked())
		ui_status(u, true, "%s", _("Warning: the data cannot be locked in memory (ulimit -l); it may reach swap"));
	refresh_hits(u);
	{
		/* records rolled back outside the app (issue 13.3), read-only */
		const char *note[2];
		if (app_unlock_notes(u->s, note) > 0)
			ui_status(u, true, "%s", note[0]);
	}
	return 0;
}

static void desk_close(struct ui *u)
{
	(void)u;
	desk_unload();
	sodium_memzero(&ds, sizeof ds);
}

/* The last visit date of person I, or DATE_NONE. */
static void desk_draw(struct ui *u, WINDOW *w)
{
	(void)u;
	int width = getmaxx(w), rows = getmaxy(w) - 4;
	int32_t today = clock_today();
	char line[256], age[24], last[DATE_BUFSZ], rtrw[16], who[64];
	struct session *today_session = desk_session_on(today);

	snprintf(line, sizeof line, "%s %s", _("Find:"), ds.q);
	ui_put_bold(w, 0, 1, width - 2, ds.expected ? _("Children 0-59 months not weighed this month:") : line);
	snprintf(line, sizeof line, "%-24s %-2s %-9s %-19s %-6s %s", _("Name"), _("Sex"), _("Age"),
		 _("Mother"), "RT/RW", _("Last visit"));
	ui_put(w, 1, 1, width - 2, line);
	ui_list_scroll(&ds.l, rows);
	for (int i = ds.l.top; i < ds.l.n && i - ds.l.top < rows; i++) {
		const struct person *p = &desk.p[ds.hits[i]];
		ui_age(p->dob, today, age, sizeof age);
		date_format(desk_last_visit(ds.hits[i]), last);
		snprintf(rtrw, sizeof rtrw, "%u/%u", p->rt, p->rw);
		if (p->kind == PERSON_RESIDENT)    /* who a resident is: the group */
			snprintf(who, sizeof who, "(%s)", ui_kind_label(p, today));
		snprintf(line, sizeof line, "%-24.24s %-2c %-9s %-19.19s %-6s %s", p->name, p->sex, age,
			 p->kind == PERSON_CHILD ? p->mother_name
			 : p->kind == PERSON_PREGNANT ? _("(pregnant)")
			 : p->kind == PERSON_WOMAN ? _("(woman)") : who, rtrw, last);
		ui_list_row(w, &ds.l, i, 2 + i - ds.l.top, width, line);
	}
	if (!ds.nhits)
		ui_put(w, 3, 2, width - 4, ds.expected ? _("Every child has come this month.")
						       : _("No match. F4 registers a new child, F5 a woman or resident."));
	snprintf(line, sizeof line, _("%zu found"), ds.nhits);
	ui_put(w, getmaxy(w) - 1, 1, 30, line);
	if (!today_session)
		ui_put(w, getmaxy(w) - 1, 32, width - 33, _("Today's session is not open yet (F6)"));
	/* The cursor waits in the search field. */
	if (!ds.expected) {
		int col = 1 + (int)mbstowcs(NULL, _("Find:"), 0) + 1 + (int)mbstowcs(NULL, ds.q, 0);
		wmove(w, 0, col < width ? col : width - 1);
		curs_set(1);
	}
}

/* Drop the last UTF-8 character of Q. */
static void backspace(char *q)
{
	size_t n = strlen(q);
	while (n && ((unsigned char)q[n - 1] & 0xC0) == 0x80)
		n--;
	if (n)
		n--;
	q[n] = '\0';
}

static void type(char *q, size_t size, wint_t ch)
{
	char mb[8];
	mbstate_t st;
	size_t n, len = strlen(q);
	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || len + n >= size)
		return;
	memcpy(q + len, mb, n);
	q[len + n] = '\0';
}

/* U's key typed into the search text Q (SIZE bytes): Backspace, or a
 * character when TYPING. Whether it was one of those. */
static bool query_key(const struct ui *u, char *q, size_t size, bool typing)
{
	if (u->key_is_code && (u->key == KEY_BACKSPACE || u->key == KEY_DC))
		backspace(q);
	else if (!u->key_is_code && (u->key == 127 || u->key == 8))
		backspace(q);
	else if (!u->key_is_code && u->key >= 0x20 && typing)
		type(q, size, u->key);
	else
		return false;
	return true;
}

void ui_desk_after_save(struct ui *u)
{
	ds.q[0] = '\0';
	ds.l.sel = ds.l.top = 0;
	ds.expected = false;
	refresh_hits(u);
}

static int desk_input(struct ui *u, enum action act)
{
	curs_set(0);
	switch (act) {
	case ACT_BACK:
		if (ds.q[0] || ds.expected) {
			ui_desk_after_save(u);
			return R_REDRAW;
		}
		return R_BACK;
	case ACT_EXPECTED:
		ds.expected = !ds.expected;
		ds.l.sel = ds.l.top = 0;
		refresh_hits(u);
		return R_REDRAW;
	case ACT_SELECT:
		ui_card_show(u, desk.p[ds.hits[ds.l.sel]].uuid);
		return R_PUSH;
	case ACT_NEW_CHILD:
		ui_form_for_person(u, FORM_CTX_CHILD, NULL);
		return ui_register(u, PERSON_CHILD, NULL) == 0 ? R_PUSH : R_REDRAW;
	case ACT_NEW_WOMAN:
		ui_form_for_person(u, FORM_CTX_WOMAN, NULL);
		return ui_register(u, PERSON_WOMAN, NULL) == 0 ? R_PUSH : R_REDRAW;
	case ACT_SESSION:
		ui_session_form(u);
		return R_REDRAW;
	case ACT_NONE:
		break;
	default:
		return R_PASS;
	}
	/* typed into the search field */
	if (!query_key(u, ds.q, sizeof ds.q, !ds.expected))
		return R_NONE;
	ds.l.sel = ds.l.top = 0;
	refresh_hits(u);
	return R_REDRAW;
}

const struct screen_ops ui_desk_ops = {
	.title = N_("Desk"), .keys = KS_DESK, .list = &ds.l, .needs_session = true, .text = true,
	.open = desk_open, .close = desk_close, .draw = desk_draw, .input = desk_input,
};

/* ---- picking a child's mother: the same search, among the women ---- */

#define MAX_MOTHERS 200

struct pick {
	char *q;
	size_t qsize;
	size_t hits[MAX_MOTHERS];
	size_t nhits;
	struct ui_list l;          /* over hits, then "not in the list" when a name is typed */
};

/* The keys of KS_PICK, as the main bar shows them, on line Y of W. */
static void pick_bar(WINDOW *w, int y)
{
	int x = 2, width = getmaxx(w) - 2;
	char label[80];
	for (const enum action *a = keymap_set(KS_PICK); a && *a != ACT_NONE; a++) {
		const struct keydef *d = keymap_def(*a);
		int len = (int)strcspn(d->keys, " "), lw;
		snprintf(label, sizeof label, " %s  ", _(d->label));
		lw = (int)mbstowcs(NULL, label, 0);
		if (x + len + lw > width)
			break;
		wattron(w, A_REVERSE);
		mvwaddnstr(w, y, x, d->keys, len);
		wattroff(w, A_REVERSE);
		ui_put(w, y, x + len, lw, label);
		x += len + lw;
	}
}

static void pick_draw(struct ui *u, WINDOW *w, struct pick *pk)
{
	int width = getmaxx(w), h = getmaxy(w), rows = h - 6, col;
	int32_t today = clock_today();
	char line[256], age[24], rtrw[16];

	werase(w);
	box(w, 0, 0);
	ui_put_bold(w, 0, 2, width - 4, _("Who is the child's mother?"));
	snprintf(line, sizeof line, "%s %s", _("Find:"), pk->q);
	ui_put(w, 1, 2, width - 4, line);
	snprintf(line, sizeof line, "%-24s %-9s %-6s %s", _("Name"), _("Age"), "RT/RW",
		 _("Address (dusun, street)"));
	ui_put(w, 2, 2, width - 4, line);
	ui_list_scroll(&pk->l, rows);
	for (int i = pk->l.top; i < pk->l.n && i - pk->l.top < rows; i++) {
		if ((size_t)i < pk->nhits) {
			const struct person *p = &desk.p[pk->hits[i]];
			ui_age(p->dob, today, age, sizeof age);
			snprintf(rtrw, sizeof rtrw, "%u/%u", p->rt, p->rw);
			snprintf(line, sizeof line, "%-24.24s %-9s %-6s %s", p->name, age, rtrw, p->address);
		} else {
			snprintf(line, sizeof line, _("+ Not in the list: register \"%s\" as a new woman"), pk->q);
		}
		ui_list_row_at(w, &pk->l, i, 3 + i - pk->l.top, 1, width - 2, line);
	}
	ui_put(w, h - 3, 2, width - 4, u->status[0] ? u->status
		     : pk->nhits ? _("Type to narrow the list; old and new spellings meet.")
				 : _("No registered woman matches: type her name, or register her."));
	pick_bar(w, h - 2);
	col = 2 + (int)mbstowcs(NULL, _("Find:"), 0) + 1 + (int)mbstowcs(NULL, pk->q, 0);
	wmove(w, 1, col < width - 1 ? col : width - 2);
}

int ui_pick_mother(struct ui *u, char *q, size_t qsize, const struct person **mother)
{
	struct pick pk = { .q = q, .qsize = qsize };
	bool changed = true;

	for (;;) {
		int h = LINES - 4 > 10 ? LINES - 4 : 10, w = COLS - 4 < 76 ? COLS - 4 : 76, rc;
		WINDOW *d;
		wint_t ch;
		enum action act;

		if (changed) {
			pk.nhits = desk_search_mothers(q, pk.hits, MAX_MOTHERS);
			pk.l.n = (int)pk.nhits + (q[0] != '\0');
			pk.l.sel = pk.l.top = 0;
			changed = false;
		}
		if (!(d = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2)))
			return -1;
		keypad(d, TRUE);
		pick_draw(u, d, &pk);
		curs_set(1);
		wtimeout(d, 1000);
		wrefresh(d);
		rc = wget_wch(d, &ch);
		if (rc != ERR && ui_tty_gone())   /* a hang-up may read as a resize */
			rc = ERR;
		curs_set(0);
		delwin(d);
		touchwin(stdscr);
		if (rc == ERR) {           /* a quiet second: the idle lock */
			if (!ui_idle_over(u))
				continue;
			u->lock_pending = true;
			return -1;
		}
		u->last_input = time(NULL);
		u->status[0] = '\0';
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			ui_redraw(u);
			continue;
		}
		act = keymap_action(KS_PICK, ch, rc == KEY_CODE_YES, true);
		if (act == ACT_PICK && pk.l.n) {
			if ((size_t)pk.l.sel >= pk.nhits)
				return 0;
			*mother = &desk.p[pk.hits[pk.l.sel]];
			return 1;
		}
		if (act == ACT_BACK)
			return -1;
		if (act == ACT_HELP)
			ui_help(u, KS_PICK);
		else if (act != ACT_NONE)
			ui_list_move(&pk.l, act);
		u->key = ch;
		u->key_is_code = rc == KEY_CODE_YES;
		changed = act == ACT_NONE && query_key(u, q, qsize, true);
	}
}

/* ---- opening day (hari buka) ---- */

static int v_date_today(const char *s, struct err *e)
{
	int32_t d;
	if (date_parse(s, &d, e) < 0)
		return -1;
	return valid_visit_date(d, DATE_NONE, clock_today() + 1, e);
}

static const char *const yes_no[] = { N_("no"), N_("yes"), NULL };

void ui_session_form(struct ui *u)
{
	struct store_user *users = NULL;
	struct session x, *old;
	struct draft d;
	struct err err = { 0 };
	char date[DATE_BUFSZ + 2], duty[SESSION_MAX_KADER][8];
	struct ui_field f[5 + SESSION_MAX_KADER];
	const char *yn[3] = { _(yes_no[0]), _(yes_no[1]), NULL };
	size_t nu = 0;
	int n = 0, nk = 0;
	int32_t today = clock_today();

	old = desk_session_on(today);
	memset(&x, 0, sizeof x);
	if (old)
		x = *old;
	x.date = today;
	date_format(today, date);
	if (store_users(u->s, &users, &nu, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	f[n++] = (struct ui_field){ N_("Date"), date, sizeof date, 10, NULL, v_date_today };
	f[n++] = (struct ui_field){ N_("Place"), x.place, sizeof x.place, 30, NULL, NULL };
	f[n++] = (struct ui_field){ N_("Health worker (bidan)"), x.health_worker,
				    sizeof x.health_worker, 30, NULL, NULL };
	f[n++] = (struct ui_field){ N_("Notes (minutes)"), x.notes, sizeof x.notes, 40, NULL, NULL };
	for (size_t i = 0; i < nu && nk < SESSION_MAX_KADER && n < 4 + SESSION_MAX_KADER - 1; i++) {
		bool on = false;
		if (users[i].disabled)
			continue;
		for (int k = 0; k < x.n_kader; k++)
			on |= memcmp(x.kader[k], users[i].uuid, UUID_LEN) == 0;
		snprintf(duty[nk], sizeof duty[nk], "%s", on ? yn[1] : yn[0]);
		f[n++] = (struct ui_field){ users[i].label, duty[nk], sizeof duty[nk], 6, yn, NULL };
		nk++;
	}
	if (ui_form(u, _("Today's session (hari buka)"), _("On duty: choose yes or no with Left/Right"),
		    f, n) < 0) {
		free(users);
		return;
	}
	date_parse(date, &x.date, NULL);
	x.n_kader = 0;
	for (int k = 0, i = 0; k < nk && i < (int)nu; i++) {
		if (users[i].disabled)
			continue;
		if (strcmp(duty[k], yn[1]) == 0)
			memcpy(x.kader[x.n_kader++], users[i].uuid, UUID_LEN);
		k++;
	}
	free(users);
	if (old && old->date == x.date) {
		if (store_draft_edit(u->s, &d, old->uuid, &err) < 0) {
			ui_status_err(u, &err);
			return;
		}
	} else {
		store_draft_new(&d);
	}
	memcpy(x.uuid, d.uuid, UUID_LEN);
	/* The field labels of kader are not msgids: they are the users' names. */
	if (store_session_put(u->s, &d, &x, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	desk_put_session(&x);
	ui_status(u, false, _("Session of %s saved: %d kader on duty"), date, x.n_kader);
}
