/* tui/ui_quiz.c: the trainer's side of kader assessments (issue 7):
 * trainings with their attendance lists and the tests opened in them, and
 * the helpers the quiz screens share. Results, answers, item analysis,
 * question banks and the kader roster are in tui/ui_quiz_results.c. The
 * numbers come from core (through tui/cli_quiz.c, which the command line
 * shares); the screens only lay them out. */
#include "tui/ui_quiz.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/valid.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/clock.h"
#include "core/banned.h"

/* ================================================================ */
/* Shared helpers                                                   */
/* ================================================================ */


void uq_line(struct uq_canvas *c, int x, int width, const char *text)
{
	int y = c->ln - c->top;
	if (y >= 0 && y < c->rows && width > 0)
		ui_put(c->w, c->y0 + y, x, width, text);
	c->ln++;
}

void uq_scrolled(const struct uq_canvas *c, struct ui_list *l)
{
	l->n = c->ln;
	ui_list_scroll(l, c->rows);
}

/* Characters (not bytes) in the first N bytes of UTF-8 text. */
static int columns(const char *s, size_t n)
{
	int cols = 0;
	for (size_t i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	return cols;
}

void uq_wrapped(struct uq_canvas *c, int x, int width, const char *text)
{
	char line[QUIZ_TEXT_MAX + 1];
	const char *p = text;

	if (width < 8)
		width = 8;
	do {
		size_t len = strlen(p), cut = len, last_blank = 0;
		if (columns(p, len) > width) {
			cut = 0;
			for (size_t i = 0; i < len && columns(p, i + 1) <= width; i++) {
				cut = i + 1;
				if (p[i] == ' ')
					last_blank = i;
			}
			if (last_blank)
				cut = last_blank;
		}
		if (cut >= sizeof line)
			cut = sizeof line - 1;
		memcpy(line, p, cut);
		line[cut] = '\0';
		uq_line(c, x, width, line);
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p);
}

void uq_result(struct uq_canvas *c, int width, const struct quiz_bank *b,
	       const struct quiz_attempt *a)
{
	char line[256], mine[8], key[8], t[16];
	double pct = a->total ? 100.0 * a->right / a->total : 0;

	snprintf(line, sizeof line, _("Score %d of %d (%.1f%%): %s. Pass mark %d%%."),
		 a->right, a->total, pct, a->pass ? _("pass") : _("not passed yet"), b->pass_mark);
	if (a->ans.elapsed_s > 0)           /* 0: a paper sheet */
		snprintf(line + strlen(line), sizeof line - strlen(line), " %s %s.", _("Time"),
			 quiz_fmt_time(a->ans.elapsed_s, t));
	wattron(c->w, A_BOLD);
	uq_line(c, 2, width, line);
	wattroff(c->w, A_BOLD);
	/* In the order the person saw the questions. */
	for (int p = 0; p < a->ans.n && p < a->total && (size_t)p < b->n; p++) {
		int q = a->ans.order[p];
		const struct quiz_question *qq = &b->q[q];
		uq_line(c, 0, 0, "");
		snprintf(line, sizeof line, "%d. %s  %s", p + 1, a->ok[q] ? _("[right]") : _("[wrong]"),
			 qq->text);
		uq_wrapped(c, 2, width, line);
		quiz_format_choice(a->ans.chosen[q], mine);
		quiz_format_choice(qq->correct, key);
		snprintf(line, sizeof line, _("Your answer: %s   Right answer: %s"),
			 mine[0] ? mine : "-", key);
		uq_line(c, 5, width - 3, line);
		for (int o = 0; o < qq->noptions; o++)
			if (qq->correct & (1u << o)) {
				snprintf(line, sizeof line, "%c. %s", 'a' + o, qq->option[o]);
				uq_wrapped(c, 7, width - 5, line);
			}
		if (qq->explain[0])
			uq_wrapped(c, 5, width - 3, qq->explain);
	}
}

/* What the screens below pass on (ui_quiz.h). */
struct uq_sel uq_sel;

struct quiz_training *uq_load_training(struct ui *u, struct err *err)
{
	struct quiz_training *all, *t = NULL;
	size_t n;

	if (quizstore_trainings(u->s, &all, &n, err) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (memcmp(all[i].uuid, uq_sel.training, 16) == 0 && (t = malloc(sizeof *t)))
			*t = all[i];
	free(all);
	if (!t)
		err_set(err, ERR_NOTFOUND, "training", "no such training");
	return t;
}

static int save_training(struct ui *u, struct quiz_training *t, bool fresh)
{
	struct err err = { 0 };
	struct draft d;

	if (fresh)
		store_draft_new(&d);
	else if (store_draft_edit(u->s, &d, t->uuid, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	if (quizstore_training_put(u->s, &d, t, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	return 0;
}

/* ---- choosing participants: the accounts, ticked with Space ---- */

static int pick_participants(struct ui *u, struct quiz_training *t)
{
	struct store_user *users;
	struct err err = { 0 };
	bool *on;
	size_t n;
	int sel_i = 0, rc = -1;

	if (store_users(u->s, &users, &n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	if (!(on = calloc(n + 1, sizeof *on))) {
		free(users);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		on[i] = quizstore_is_participant(t, users[i].uuid, NULL);
	touchwin(stdscr);                 /* wipe what a form left behind */
	refresh();
	for (;;) {
		int h = LINES - 4, w = 60, rows = h - 6, top;
		WINDOW *d = newwin(h, w, 2, (COLS - w) / 2);
		wint_t ch;
		int r;

		if (!d)
			break;
		keypad(d, TRUE);
		box(d, 0, 0);
		ui_put_bold(d, 0, 2, w - 4, _("Participants with an account"));
		top = sel_i >= rows ? sel_i - rows + 1 : 0;
		for (int i = top; i < (int)n && i - top < rows; i++) {
			char line[96];
			snprintf(line, sizeof line, "[%c] %-24s %s", on[i] ? 'x' : ' ', users[i].label,
				 role_code(users[i].role));
			if (i == sel_i)
				wattron(d, A_REVERSE);
			mvwhline(d, 2 + i - top, 1, ' ', w - 2);
			ui_put(d, 2 + i - top, 2, w - 4, line);
			if (i == sel_i)
				wattroff(d, A_REVERSE);
		}
		ui_put(d, h - 3, 2, w - 4, _("Space: tick or untick  Enter: done  Esc: cancel"));
		ui_put(d, h - 2, 2, w - 4, _("People without an account: type their names in the form."));
		wrefresh(d);
		r = wget_wch(d, &ch);
		if (r != ERR && ui_tty_gone())   /* a hang-up may read as a resize */
			r = ERR;
		delwin(d);
		touchwin(stdscr);
		u->last_input = time(NULL);
		if (r == ERR) {
			if (ui_tty_gone())
				break;             /* as Esc */
			continue;
		}
		if (r == KEY_CODE_YES && ch == KEY_UP && sel_i > 0)
			sel_i--;
		else if (r == KEY_CODE_YES && ch == KEY_DOWN && sel_i + 1 < (int)n)
			sel_i++;
		else if (r == OK && ch == ' ' && n)
			on[sel_i] = !on[sel_i];
		else if (r == OK && ch == 27)
			break;
		else if ((r == OK && (ch == '\n' || ch == '\r')) || (r == KEY_CODE_YES && ch == KEY_ENTER)) {
			/* Keep the people without an account, then the ticked
			 * accounts: one already a participant keeps her id and
			 * code (issue 14), a new one gets them when saved. */
			struct quiz_training *keep = malloc(sizeof *keep);
			if (!keep)
				break;
			*keep = *t;
			t->np = 0;
			for (size_t i = 0; i < keep->np; i++)
				if (uuid_is_zero(keep->p[i].user))
					t->p[t->np++] = keep->p[i];
			for (size_t i = 0; i < n && t->np < QUIZ_MAX_PARTICIPANTS; i++)
				if (on[i]) {
					const struct quiz_participant *was =
						quizstore_participant_find(keep, users[i].uuid, NULL);
					memset(&t->p[t->np], 0, sizeof t->p[0]);
					if (was)
						t->p[t->np] = *was;
					memcpy(t->p[t->np].user, users[i].uuid, 16);
					snprintf(t->p[t->np].name, sizeof t->p[0].name, "%s", users[i].label);
					t->np++;
				}
			free(keep);
			rc = 0;
			break;
		}
	}
	free(on);
	free(users);
	return rc;
}

/* Names typed as "Bu Wati, Bu Tini" become participants without an
 * account, of posyandu CODE ("" : this device's). Each name is a person of
 * her own: two "Bu Wati" are two participants (issue 14), told apart by
 * their number in the list. */
static void add_named(struct quiz_training *t, const char *names, const char *code)
{
	const char *p = names;
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[QUIZ_NAME_MAX];
		while (n && *p == ' ')
			p++, n--;
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		for (size_t k = strlen(name); k && name[k - 1] == ' '; k--)
			name[k - 1] = '\0';
		if (name[0] && t->np < QUIZ_MAX_PARTICIPANTS) {
			memset(&t->p[t->np], 0, sizeof t->p[0]);
			snprintf(t->p[t->np].posyandu, sizeof t->p[0].posyandu, "%s", code);
			snprintf(t->p[t->np++].name, sizeof t->p[0].name, "%s", name);
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

static int v_code(const char *s, struct err *e)
{
	return valid_posyandu_code(s, e);
}

static int v_title(const char *s, struct err *e)
{
	return *s ? 0 : err_set(e, ERR_REQUIRED, NULL, "required");
}

static int v_date(const char *s, struct err *e)
{
	int32_t day;
	return date_parse(s, &day, e);
}

/* ================================================================ */
/* Trainings                                                        */
/* ================================================================ */

/* A screen below another shows stale data when the one above changed it:
 * the one above sets STALE and the screen reloads before it draws. */
static struct ui_rows trs;
static bool trs_stale;

static int trs_load(struct ui *u, struct ui_rows *r, struct err *err)
{
	return quizstore_trainings(u->s, &r->trainings, &r->n, err);
}

static void trs_row(int i, char *line, size_t size)
{
	const struct quiz_training *t = &trs.trainings[i];
	char tests[96] = "", day[DATE_BUFSZ];
	size_t k = 0;

	for (size_t r = 0; r < t->nruns && k < sizeof tests - 1; r++)
		k += (size_t)snprintf(tests + k, sizeof tests - k, "%s%s %s", r ? ", " : "",
				      t->runs[r].bank_id, quiz_kind_code(t->runs[r].kind));
	snprintf(line, size, "%-10s  %-34.34s %6zu  %s", date_format(t->date, day), t->title, t->np,
		 tests);
}

static void trs_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w);
	char line[256];

	if (trs_stale) {
		trs_stale = false;
		ui_rows_load(u, &trs, trs_load);
	}
	snprintf(line, sizeof line, "%-10s  %-34s %6s  %s", _("Date"), _("Training"), _("People"),
		 _("Tests"));
	ui_put_bold(w, 0, 1, width - 2, line);
	if (!trs.n)
		ui_put(w, 2, 2, width - 4, _("No training yet. Press a to add one."));
	ui_list_draw(w, &trs.l, 1, getmaxy(w) - 4, width, trs_row);
	ui_put(w, getmaxy(w) - 2, 1, width - 2,
	       _("a: new training  Enter: open  b: question banks  k: kader roster"));
}

static void new_training(struct ui *u)
{
	const struct store_user *me = store_session(u->s);
	struct quiz_training *t = calloc(1, sizeof *t);
	char date[16], names[256] = "", code[QUIZ_CODE_MAX];

	if (!t)
		return;
	date_format(clock_today(), date);
	snprintf(code, sizeof code, "%s", store_get_profile(u->s)->code);
	snprintf(t->trainer, sizeof t->trainer, "%s", me->label);
	struct ui_field f[] = {
		{ N_("Title"), t->title, sizeof t->title, 40, NULL, v_title },
		{ N_("Date (DD-MM-YYYY)"), date, sizeof date, 10, NULL, v_date },
		{ N_("Place"), t->place, sizeof t->place, 40, NULL, NULL },
		{ N_("Trainer"), t->trainer, sizeof t->trainer, 30, NULL, NULL },
		{ N_("Others, no account"), names, sizeof names, 40, NULL, NULL },
		{ N_("Their posyandu code"), code, sizeof code, 15, NULL, v_code },
	};
	if (ui_form(u, _("New training"), _("Others: names without an account, comma-separated. Then tick the accounts."),
		    f, (int)(sizeof f / sizeof f[0])) < 0 ||
	    date_parse(date, &t->date, NULL) < 0) {
		free(t);
		return;
	}
	add_named(t, names, code);
	if (pick_participants(u, t) < 0) {
		free(t);
		return;
	}
	if (save_training(u, t, true) == 0)
		ui_status(u, false, _("Training saved: %s, %zu participants"), t->title, t->np);
	free(t);
}

static int trs_input(struct ui *u, enum action act)
{
	switch (act) {
	case ACT_BANKS:
		u->next = &ui_quiz_banks_ops;
		return R_PUSH;
	case ACT_ROSTER:
		u->next = &ui_quiz_roster_ops;
		return R_PUSH;
	case ACT_ADD:
		new_training(u);
		ui_rows_load(u, &trs, trs_load);
		return R_REDRAW;
	case ACT_SELECT:
		memcpy(uq_sel.training, trs.trainings[trs.l.sel].uuid, 16);
		u->next = &ui_quiz_training_ops;
		return R_PUSH;
	default:
		return R_PASS;
	}
}

const struct screen_ops ui_quiz_trainings_ops = {
	.title = N_("Training and quizzes"), .keys = KS_TRAININGS, .list = &trs.l, .needs_session = true,
	.role = ROLE_TRAINER, .rows = &trs, .load = trs_load, .draw = trs_draw, .input = trs_input,
};

/* ================================================================ */
/* One training: its tests                                          */
/* ================================================================ */

static struct {
	struct quiz_training *t;
	int submitted[QUIZ_MAX_RUNS];
	struct ui_list l;
	bool stale;
} tr;

static void tr_close(struct ui *u)
{
	(void)u;
	free(tr.t);
	tr.t = NULL;
	tr.l.n = 0;
	trs_stale = true;
}

void uq_training_stale(void)
{
	tr.stale = true;
}

static int tr_open(struct ui *u)
{
	struct quiz_attempt *heads;
	struct err err = { 0 };
	size_t nh;

	tr_close(u);
	if (!(tr.t = uq_load_training(u, &err)) ||
	    quizstore_attempts(u->s, NULL, false, &heads, &nh, &err) < 0) {
		ui_status_err(u, &err);
		tr_close(u);
		return -1;
	}
	memset(tr.submitted, 0, sizeof tr.submitted);
	for (size_t r = 0; r < tr.t->nruns; r++)
		for (size_t h = 0; h < nh; h++)
			tr.submitted[r] += heads[h].status == QUIZ_SUBMITTED &&
					   memcmp(heads[h].training, tr.t->uuid, 16) == 0 &&
					   memcmp(heads[h].bank, tr.t->runs[r].bank, 16) == 0 &&
					   heads[h].kind == tr.t->runs[r].kind;
	quizstore_attempts_free(heads, nh);
	ui_list_set(&tr.l, tr.t->nruns);
	return 0;
}

static void tr_draw(struct ui *u, WINDOW *w)
{
	const struct quiz_training *t;
	int width = getmaxx(w);
	char line[256], day[DATE_BUFSZ];

	if (tr.stale) {
		tr.stale = false;
		tr_open(u);
	}
	t = tr.t;
	if (!t)
		return;
	ui_put_bold(w, 0, 1, width - 2, t->title);
	snprintf(line, sizeof line, _("%s, %s; trainer %s; %zu participants"), date_format(t->date, day),
		 t->place[0] ? t->place : "-", t->trainer[0] ? t->trainer : "-", t->np);
	ui_put(w, 1, 1, width - 2, line);
	{
		char names[512] = "";
		size_t k = 0;
		for (size_t i = 0; i < t->np && k < sizeof names - 1; i++)
			k += (size_t)snprintf(names + k, sizeof names - k, "%s#%zu %s (%s)", i ? ", " : "",
					      i + 1, t->p[i].name,
					      t->p[i].posyandu[0] ? t->p[i].posyandu : "-");
		ui_put(w, 2, 1, width - 2, names);
	}
	snprintf(line, sizeof line, "%-12s %-24s %-8s %s", _("Test"), _("Question bank"), _("Status"),
		 _("Submitted"));
	ui_put_bold(w, 4, 1, width - 2, line);
	if (!t->nruns)
		ui_put(w, 6, 2, width - 4, _("No test yet. Press a to start a pre-test, post-test or practice run."));
	for (size_t r = 0; r < t->nruns; r++) {
		char bank[48];
		snprintf(bank, sizeof bank, "%s v%d", t->runs[r].bank_id, t->runs[r].bank_version);
		snprintf(line, sizeof line, "%-12s %-24s %-8s %d / %zu", _(quiz_kind_label(t->runs[r].kind)),
			 bank, t->runs[r].open ? _("open") : _("closed"), tr.submitted[r], t->np);
		ui_list_row(w, &tr.l, (int)r, 5 + (int)r, width, line);
	}
	ui_put(w, getmaxy(w) - 2, 1, width - 2,
	       _("a: start a test  Enter: results  x: open/close the test  e: participants"));
}

static void start_run(struct ui *u)
{
	struct quizstore_bank_info *banks;
	struct err err = { 0 };
	const char **choices;
	const char *kinds[4];
	char bank[48] = "", kind[32] = "";
	size_t nb;

	if (quizstore_banks(u->s, &banks, &nb, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	if (!nb) {
		ui_status(u, true, "%s", _("No question bank yet: import one with \"posyandu quiz import FILE.ini\"."));
		free(banks);
		return;
	}
	if (!(choices = calloc(nb + 1, sizeof *choices))) {
		free(banks);
		return;
	}
	char (*labels)[48] = calloc(nb, sizeof *labels);
	if (!labels) {
		free(choices);
		free(banks);
		return;
	}
	for (size_t i = 0; i < nb; i++) {
		snprintf(labels[i], sizeof labels[i], "%s v%d", banks[i].id, banks[i].version);
		choices[i] = labels[i];
	}
	for (int k = QUIZ_PRE; k <= QUIZ_PRACTICE; k++)
		kinds[k - 1] = _(quiz_kind_label(k));
	kinds[3] = NULL;
	struct ui_field f[] = {
		{ N_("Question bank"), bank, sizeof bank, 30, choices, NULL },
		{ N_("Test"), kind, sizeof kind, 16, kinds, NULL },
	};
	if (ui_form(u, _("Start a test"), _("The participants see it under \"Take a quiz\" while it is open."),
		    f, 2) == 0) {
		size_t bi = 0;
		int ki = QUIZ_PRE;
		for (size_t i = 0; i < nb; i++)
			if (strcmp(bank, labels[i]) == 0)
				bi = i;
		for (int k = 0; k < 3; k++)
			if (strcmp(kind, kinds[k]) == 0)
				ki = k + 1;
		struct quiz_run *run = NULL;
		for (size_t r = 0; r < tr.t->nruns; r++)
			if (memcmp(tr.t->runs[r].bank, banks[bi].uuid, 16) == 0 && tr.t->runs[r].kind == ki)
				run = &tr.t->runs[r];
		if (!run && tr.t->nruns < QUIZ_MAX_RUNS) {
			run = &tr.t->runs[tr.t->nruns++];
			memset(run, 0, sizeof *run);
			memcpy(run->bank, banks[bi].uuid, 16);
			snprintf(run->bank_id, sizeof run->bank_id, "%s", banks[bi].id);
			run->bank_version = banks[bi].version;
			run->kind = ki;
		}
		if (run) {
			run->open = true;
			if (save_training(u, tr.t, false) == 0)
				ui_status(u, false, _("%s of %s is open"), kinds[ki - 1], banks[bi].id);
		}
	}
	free(labels);
	free(choices);
	free(banks);
}

static int tr_input(struct ui *u, enum action act)
{
	if (!tr.t)
		return R_PASS;             /* nothing loaded: only the common keys */
	switch (act) {
	case ACT_OPEN_TEST:
		if (!tr.t->nruns)
			return R_NONE;
		tr.t->runs[tr.l.sel].open = !tr.t->runs[tr.l.sel].open;
		save_training(u, tr.t, false);
		tr_open(u);
		return R_REDRAW;
	case ACT_PEOPLE:
		if (pick_participants(u, tr.t) == 0 && save_training(u, tr.t, false) == 0)
			ui_status(u, false, _("Training saved: %s, %zu participants"), tr.t->title, tr.t->np);
		tr_open(u);
		return R_REDRAW;
	case ACT_ADD:
		start_run(u);
		tr_open(u);
		return R_REDRAW;
	case ACT_SELECT:
		uq_sel.run = tr.l.sel;
		u->next = &ui_quiz_results_ops;
		return R_PUSH;
	default:
		return R_PASS;
	}
}

const struct screen_ops ui_quiz_training_ops = {
	.title = N_("Training"), .keys = KS_TRAINING, .list = &tr.l, .needs_session = true,
	.role = ROLE_TRAINER, .open = tr_open, .close = tr_close, .draw = tr_draw, .input = tr_input,
};

