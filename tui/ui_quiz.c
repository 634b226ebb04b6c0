/* tui/ui_quiz.c: the trainer's side of kader assessments (issue 7):
 * trainings with their attendance lists, the tests opened in them, results
 * per participant (with paper answer sheets keyed in one line each), one
 * attempt's answers and explanations, item analysis per question and topic,
 * the question banks, and the kader roster. The numbers come from core
 * (through tui/cli_quiz.c, which the command line shares); the screens
 * only lay them out. */
#include "tui/ui_quiz.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "tui/i18n.h"
#include "tui/msg.h"
#include "core/banned.h"

/* ================================================================ */
/* Shared helpers                                                   */
/* ================================================================ */


int32_t uq_today(const struct ui *u)
{
	return date_from_unix((int64_t)time(NULL) + u->c->utc_offset);
}

void uq_line(struct uq_canvas *c, int x, int width, const char *text)
{
	int y = c->ln - c->top;
	if (y >= 0 && y < c->rows && width > 0)
		ui_put(c->w, c->y0 + y, x, width, text);
	c->ln++;
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

static int is_trainer(struct ui *u)
{
	const struct store_user *me = store_session(u->s);
	struct err err = { 0 };
	if (me && me->role >= ROLE_TRAINER)
		return 0;
	err_set(&err, ERR_DENIED, NULL, "trainer or admin");
	ui_status_err(u, &err);
	return -1;
}

/* What the screens below pass on: the training, the test and the attempt
 * chosen on the screen before. Only uuids and indexes: each screen loads
 * what it shows in open(), also after the idle lock. */
static struct {
	uint8_t training[16];
	int run;                       /* index in the training's runs */
	uint8_t attempt[16];
	uint8_t bank[16];              /* the items screen: this bank version */
	bool items_by_run;             /* ... narrowed to the training and test */
	int kind;                      /* ... of this kind */
} sel;

static struct quiz_training *load_training(struct ui *u, struct err *err)
{
	struct quiz_training *all, *t = NULL;
	size_t n;

	if (quizstore_trainings(u->s, &all, &n, err) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (memcmp(all[i].uuid, sel.training, 16) == 0 && (t = malloc(sizeof *t)))
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
		wattron(d, A_BOLD);
		ui_put(d, 0, 2, w - 4, _("Participants with an account"));
		wattroff(d, A_BOLD);
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
		delwin(d);
		touchwin(stdscr);
		u->last_input = time(NULL);
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES && ch == KEY_UP && sel_i > 0)
			sel_i--;
		else if (r == KEY_CODE_YES && ch == KEY_DOWN && sel_i + 1 < (int)n)
			sel_i++;
		else if (r == OK && ch == ' ' && n)
			on[sel_i] = !on[sel_i];
		else if (r == OK && ch == 27)
			break;
		else if ((r == OK && (ch == '\n' || ch == '\r')) || (r == KEY_CODE_YES && ch == KEY_ENTER)) {
			/* Keep the people without an account, then the ticked accounts. */
			struct quiz_training keep = *t;
			t->np = 0;
			for (size_t i = 0; i < keep.np; i++)
				if (uuid_is_zero(keep.p[i].user))
					t->p[t->np++] = keep.p[i];
			for (size_t i = 0; i < n && t->np < QUIZ_MAX_PARTICIPANTS; i++)
				if (on[i]) {
					memset(&t->p[t->np], 0, sizeof t->p[0]);
					memcpy(t->p[t->np].user, users[i].uuid, 16);
					snprintf(t->p[t->np].name, sizeof t->p[0].name, "%s", users[i].label);
					t->np++;
				}
			rc = 0;
			break;
		}
	}
	free(on);
	free(users);
	return rc;
}

/* Names typed as "Bu Wati, Bu Tini" become participants without an account. */
static void add_named(struct quiz_training *t, const char *names)
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
		if (name[0] && t->np < QUIZ_MAX_PARTICIPANTS && !quizstore_is_participant(t, NULL, name)) {
			memset(&t->p[t->np], 0, sizeof t->p[0]);
			snprintf(t->p[t->np++].name, sizeof t->p[0].name, "%s", name);
		}
		p += n;
		if (*p == ',')
			p++;
	}
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
static struct {
	struct quiz_training *t;
	size_t n;
	struct ui_list l;
	bool stale;
} trs;

static const enum action trs_bar[] = { ACT_MOVE, ACT_SELECT, ACT_ADD, ACT_BACK, ACT_LOCK, ACT_NONE };

static void trs_close(struct ui *u)
{
	(void)u;
	free(trs.t);
	trs.t = NULL;
	trs.n = 0;
	trs.l.n = 0;
}

static int trs_open(struct ui *u)
{
	struct err err = { 0 };

	trs_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (quizstore_trainings(u->s, &trs.t, &trs.n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	trs.l.n = (int)trs.n;
	if (trs.l.sel >= trs.l.n)
		trs.l.sel = 0;
	return 0;
}

static void trs_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w), rows = getmaxy(w) - 4;
	char line[256], day[DATE_BUFSZ];

	if (trs.stale) {
		trs.stale = false;
		trs_open(u);
	}
	snprintf(line, sizeof line, "%-10s  %-34s %6s  %s", _("Date"), _("Training"), _("People"),
		 _("Tests"));
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, line);
	wattroff(w, A_BOLD);
	if (!trs.n)
		ui_put(w, 2, 2, width - 4, _("No training yet. Press a to add one."));
	ui_list_scroll(&trs.l, rows);
	for (int i = trs.l.top; i < trs.l.n && i - trs.l.top < rows; i++) {
		const struct quiz_training *t = &trs.t[i];
		char tests[96] = "";
		size_t k = 0;
		for (size_t r = 0; r < t->nruns && k < sizeof tests - 1; r++)
			k += (size_t)snprintf(tests + k, sizeof tests - k, "%s%s %s", r ? ", " : "",
					      t->runs[r].bank_id, quiz_kind_code(t->runs[r].kind));
		snprintf(line, sizeof line, "%-10s  %-34.34s %6zu  %s", date_format(t->date, day),
			 t->title, t->np, tests);
		ui_list_row(w, &trs.l, i, 1 + i - trs.l.top, width, line);
	}
	ui_put(w, getmaxy(w) - 2, 1, width - 2,
	       _("a: new training  Enter: open  b: question banks  k: kader roster"));
}

static void new_training(struct ui *u)
{
	const struct store_user *me = store_session(u->s);
	struct quiz_training *t = calloc(1, sizeof *t);
	char date[16], names[256] = "";

	if (!t)
		return;
	date_format(uq_today(u), date);
	snprintf(t->trainer, sizeof t->trainer, "%s", me->label);
	struct ui_field f[] = {
		{ N_("Title"), t->title, sizeof t->title, 40, NULL, v_title },
		{ N_("Date (DD-MM-YYYY)"), date, sizeof date, 10, NULL, v_date },
		{ N_("Place"), t->place, sizeof t->place, 40, NULL, NULL },
		{ N_("Trainer"), t->trainer, sizeof t->trainer, 30, NULL, NULL },
		{ N_("Others, no account"), names, sizeof names, 40, NULL, NULL },
	};
	if (ui_form(u, _("New training"), _("Others: names without an account, comma-separated. Then tick the accounts."),
		    f, (int)(sizeof f / sizeof f[0])) < 0 ||
	    date_parse(date, &t->date, NULL) < 0) {
		free(t);
		return;
	}
	add_named(t, names);
	if (pick_participants(u, t) < 0) {
		free(t);
		return;
	}
	if (save_training(u, t, true) == 0)
		ui_status(u, false, _("Training saved: %s, %zu participants"), t->title, t->np);
	free(t);
}

static int trs_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	if (!is_key && ch == 'b') {
		u->next = &ui_quiz_banks_ops;
		return R_PUSH;
	}
	if (!is_key && ch == 'k') {
		u->next = &ui_quiz_roster_ops;
		return R_PUSH;
	}
	switch (act) {
	case ACT_BACK:
		return R_BACK;
	case ACT_LOCK:
		return R_LOCK;
	case ACT_ADD:
		new_training(u);
		trs_open(u);
		return R_REDRAW;
	case ACT_SELECT:
		if (!trs.n)
			return R_NONE;
		memcpy(sel.training, trs.t[trs.l.sel].uuid, 16);
		u->next = &ui_quiz_training_ops;
		return R_PUSH;
	default:
		return ui_list_move(&trs.l, act, 10);
	}
}

const struct screen_ops ui_quiz_trainings_ops = {
	.title = N_("Training and quizzes"), .bar = trs_bar, .needs_session = true,
	.open = trs_open, .close = trs_close, .draw = trs_draw, .input = trs_input,
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

static const enum action tr_bar[] = { ACT_MOVE, ACT_SELECT, ACT_ADD, ACT_BACK, ACT_LOCK, ACT_NONE };

static void tr_close(struct ui *u)
{
	(void)u;
	free(tr.t);
	tr.t = NULL;
	tr.l.n = 0;
	trs.stale = true;
}

static int tr_open(struct ui *u)
{
	struct quiz_attempt *heads;
	struct err err = { 0 };
	size_t nh;

	tr_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (!(tr.t = load_training(u, &err)) ||
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
	tr.l.n = (int)tr.t->nruns;
	if (tr.l.sel >= tr.l.n)
		tr.l.sel = 0;
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
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, t->title);
	wattroff(w, A_BOLD);
	snprintf(line, sizeof line, _("%s, %s; trainer %s; %zu participants"), date_format(t->date, day),
		 t->place[0] ? t->place : "-", t->trainer[0] ? t->trainer : "-", t->np);
	ui_put(w, 1, 1, width - 2, line);
	{
		char names[512] = "";
		size_t k = 0;
		for (size_t i = 0; i < t->np && k < sizeof names - 1; i++)
			k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", i ? ", " : "", t->p[i].name);
		ui_put(w, 2, 1, width - 2, names);
	}
	snprintf(line, sizeof line, "%-12s %-24s %-8s %s", _("Test"), _("Question bank"), _("Status"),
		 _("Submitted"));
	wattron(w, A_BOLD);
	ui_put(w, 4, 1, width - 2, line);
	wattroff(w, A_BOLD);
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

static int tr_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	if (!tr.t)
		return act == ACT_BACK ? R_BACK : R_NONE;
	if (!is_key && ch == 'x' && tr.t->nruns) {
		tr.t->runs[tr.l.sel].open = !tr.t->runs[tr.l.sel].open;
		save_training(u, tr.t, false);
		tr_open(u);
		return R_REDRAW;
	}
	if (!is_key && ch == 'e') {
		if (pick_participants(u, tr.t) == 0 && save_training(u, tr.t, false) == 0)
			ui_status(u, false, _("Training saved: %s, %zu participants"), tr.t->title, tr.t->np);
		tr_open(u);
		return R_REDRAW;
	}
	switch (act) {
	case ACT_BACK:
		return R_BACK;
	case ACT_LOCK:
		return R_LOCK;
	case ACT_ADD:
		start_run(u);
		tr_open(u);
		return R_REDRAW;
	case ACT_SELECT:
		if (!tr.t->nruns)
			return R_NONE;
		sel.run = tr.l.sel;
		u->next = &ui_quiz_results_ops;
		return R_PUSH;
	default:
		return ui_list_move(&tr.l, act, 5);
	}
}

const struct screen_ops ui_quiz_training_ops = {
	.title = N_("Training"), .bar = tr_bar, .needs_session = true,
	.open = tr_open, .close = tr_close, .draw = tr_draw, .input = tr_input,
};

/* ================================================================ */
/* Results of one test, per participant; paper sheets               */
/* ================================================================ */

struct res_row {
	char name[QUIZ_NAME_MAX];
	uint8_t user[16];
	int status;                    /* 0 not started, enum quiz_status */
	const struct quiz_attempt *a;  /* the last submitted (or the draft) */
	bool has_pre;
	double pre;                    /* a post-test: the pre-test score */
};

static struct {
	struct quiz_training *t;
	struct quiz_run run;
	struct quiz_bank b;
	struct quiz_attempt *att;
	size_t natt;
	struct res_row rows[QUIZ_MAX_PARTICIPANTS];
	struct ui_list l;
} res;

static const enum action res_bar[] = { ACT_MOVE, ACT_SELECT, ACT_BACK, ACT_LOCK, ACT_NONE };

static void res_close(struct ui *u)
{
	(void)u;
	tr.stale = true;
	free(res.t);
	res.t = NULL;
	quiz_bank_free(&res.b);
	quizstore_attempts_free(res.att, res.natt);
	res.att = NULL;
	res.natt = 0;
	res.l.n = 0;
}

static bool attempt_of(const struct quiz_attempt *a, const struct quiz_participant *p)
{
	if (!uuid_is_zero(p->user))
		return memcmp(a->kader, p->user, 16) == 0;
	return uuid_is_zero(a->kader) && strcmp(a->kader_name, p->name) == 0;
}

static int res_open(struct ui *u)
{
	struct err err = { 0 };

	res_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (!(res.t = load_training(u, &err)) || sel.run >= (int)res.t->nruns) {
		ui_status_err(u, &err);
		res_close(u);
		return -1;
	}
	res.run = res.t->runs[sel.run];
	if (quizstore_bank_by_uuid(u->s, res.run.bank, &res.b, &err) < 0 ||
	    quizstore_attempts(u->s, res.run.bank_id, true, &res.att, &res.natt, &err) < 0) {
		ui_status_err(u, &err);
		res_close(u);
		return -1;
	}
	for (size_t i = 0; i < res.t->np; i++) {
		struct res_row *r = &res.rows[i];
		memset(r, 0, sizeof *r);
		snprintf(r->name, sizeof r->name, "%s", res.t->p[i].name);
		memcpy(r->user, res.t->p[i].user, 16);
		for (size_t k = 0; k < res.natt; k++) {
			const struct quiz_attempt *a = &res.att[k];
			if (!attempt_of(a, &res.t->p[i]) || memcmp(a->training, res.t->uuid, 16) != 0)
				continue;
			if (a->kind == QUIZ_PRE && a->status == QUIZ_SUBMITTED && a->opened && a->total) {
				r->has_pre = true;
				r->pre = 100.0 * a->right / a->total;
			}
			if (memcmp(a->bank, res.run.bank, 16) != 0 || a->kind != res.run.kind)
				continue;
			if (a->status >= r->status) {
				r->status = a->status;
				r->a = a;
			}
		}
	}
	res.l.n = (int)res.t->np;
	if (res.l.sel >= res.l.n)
		res.l.sel = 0;
	return 0;
}

static void res_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w), rows = getmaxy(w) - 6;
	char line[256], t[16];
	(void)u;

	if (!res.t)
		return;
	snprintf(line, sizeof line, "%s: %s (%s v%d), %s", _(quiz_kind_label(res.run.kind)), res.b.title,
		 res.b.id, res.b.version, res.run.open ? _("open") : _("closed"));
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, line);
	wattroff(w, A_BOLD);
	snprintf(line, sizeof line, _("%s; pass mark %d%%"), res.t->title, res.b.pass_mark);
	ui_put(w, 1, 1, width - 2, line);
	snprintf(line, sizeof line, "%-22s %-14s %7s %-10s %6s %7s %6s", _("Name"), _("Status"),
		 _("Score"), _("Result"), _("Time"), _("Pre"), _("Gain"));
	wattron(w, A_BOLD);
	ui_put(w, 3, 1, width - 2, line);
	wattroff(w, A_BOLD);
	ui_list_scroll(&res.l, rows);
	for (int i = res.l.top; i < res.l.n && i - res.l.top < rows; i++) {
		const struct res_row *r = &res.rows[i];
		char score[16] = "", result[32] = "", time_s[16] = "", pre[16] = "", gain[16] = "";
		const char *status = r->status == QUIZ_SUBMITTED ? _("submitted")
				     : r->status == QUIZ_DRAFT ? _("answering") : _("not started");
		if (r->status == QUIZ_SUBMITTED && r->a->opened && r->a->total) {
			double p = 100.0 * r->a->right / r->a->total;
			snprintf(score, sizeof score, "%.1f%%", p);
			snprintf(result, sizeof result, "%s", r->a->pass ? _("pass") : _("fail"));
			if (r->a->ans.elapsed_s > 0)        /* 0: a paper sheet */
				snprintf(time_s, sizeof time_s, "%s", quiz_fmt_time(r->a->ans.elapsed_s, t));
			if (res.run.kind == QUIZ_POST && r->has_pre) {
				struct quiz_gain g;
				quiz_gain(r->pre, p, &g);
				snprintf(pre, sizeof pre, "%.1f%%", r->pre);
				snprintf(gain, sizeof gain, "%+.1f", g.gain);
			}
		} else if (r->status == QUIZ_SUBMITTED) {
			snprintf(score, sizeof score, "?");
		}
		snprintf(line, sizeof line, "%-22.22s %-14s %7s %-10s %6s %7s %6s", r->name, status, score,
			 result, time_s, pre, gain);
		ui_list_row(w, &res.l, i, 4 + i - res.l.top, width, line);
	}
	ui_put(w, getmaxy(w) - 2, 1, width - 2,
	       _("Enter: answers and explanations  k: key in a paper sheet  i: question analysis"));
}

static const struct quiz_bank *sheet_bank;

static int v_sheet(const char *s, struct err *e)
{
	struct quiz_answers a;
	return quiz_sheet_parse(sheet_bank, s, &a, e);
}

/* One paper answer sheet for the participant under the cursor; then the
 * cursor moves on, so a pile of sheets goes quickly. */
static void key_sheet(struct ui *u)
{
	const struct res_row *r = &res.rows[res.l.sel];
	struct quiz_attempt *a;
	struct err err = { 0 };
	char answers[QUIZ_MAX_QUESTIONS * 4 + 1] = "", title[96], intro[160];
	int width = (int)res.b.n + 8;

	if (r->status == QUIZ_SUBMITTED &&
	    !ui_confirm(u, _("Already submitted. Add this paper sheet as well?")))
		return;
	if (width > 60)
		width = 60;
	sheet_bank = &res.b;
	snprintf(title, sizeof title, _("Paper sheet of %s"), r->name);
	snprintf(intro, sizeof intro, _("%zu questions in bank order: a-f or 1-6, - blank, [ac] several"),
		 res.b.n);
	struct ui_field f[] = {
		{ N_("Answers"), answers, sizeof answers, width, NULL, v_sheet },
	};
	if (ui_form(u, title, intro, f, 1) < 0)
		return;
	if (!(a = sodium_malloc(sizeof *a)))
		return;
	memset(a, 0, sizeof *a);
	if (quiz_sheet_parse(&res.b, answers, &a->ans, &err) == 0) {
		memcpy(a->bank, res.run.bank, 16);
		snprintf(a->bank_id, sizeof a->bank_id, "%s", res.b.id);
		a->bank_version = res.b.version;
		memcpy(a->training, res.t->uuid, 16);
		a->kind = res.run.kind;
		memcpy(a->kader, r->user, 16);
		snprintf(a->kader_name, sizeof a->kader_name, "%s", r->name);
		a->day = res.t->date;
		if (quizstore_attempt_save(u->s, a, &res.b, true, &err) == 0) {
			ui_status(u, false, _("%s: %d of %d right (%.1f%%), saved"), r->name, a->right,
				  a->total, a->total ? 100.0 * a->right / a->total : 0);
			if (res.l.sel + 1 < res.l.n)
				res.l.sel++;
		}
	}
	if (err.code)
		ui_status_err(u, &err);
	sodium_free(a);
}

static int res_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	if (!res.t)
		return act == ACT_BACK ? R_BACK : R_NONE;
	if (!is_key && ch == 'k' && res.t->np) {
		key_sheet(u);
		res_open(u);
		return R_REDRAW;
	}
	if (!is_key && ch == 'i') {
		memcpy(sel.bank, res.run.bank, 16);
		sel.items_by_run = true;
		sel.kind = res.run.kind;
		u->next = &ui_quiz_items_ops;
		return R_PUSH;
	}
	switch (act) {
	case ACT_BACK:
		return R_BACK;
	case ACT_LOCK:
		return R_LOCK;
	case ACT_SELECT: {
		const struct res_row *r = res.l.n ? &res.rows[res.l.sel] : NULL;
		if (!r || r->status != QUIZ_SUBMITTED || !r->a->opened)
			return R_NONE;
		memcpy(sel.attempt, r->a->uuid, 16);
		u->next = &ui_quiz_attempt_ops;
		return R_PUSH;
	}
	default:
		return ui_list_move(&res.l, act, 10);
	}
}

const struct screen_ops ui_quiz_results_ops = {
	.title = N_("Test results"), .bar = res_bar, .needs_session = true,
	.open = res_open, .close = res_close, .draw = res_draw, .input = res_input,
};

/* ================================================================ */
/* One attempt                                                      */
/* ================================================================ */

static struct {
	struct quiz_bank b;
	struct quiz_attempt *a;        /* sodium_malloc */
	int top, lines;
} av;

static const enum action av_bar[] = { ACT_MOVE, ACT_PAGE, ACT_BACK, ACT_LOCK, ACT_NONE };

static void av_close(struct ui *u)
{
	(void)u;
	if (av.a)
		sodium_free(av.a);
	av.a = NULL;
	quiz_bank_free(&av.b);
}

static int av_open(struct ui *u)
{
	struct quiz_attempt *all;
	struct err err = { 0 };
	size_t n;

	av_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (quizstore_attempts(u->s, NULL, true, &all, &n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	for (size_t i = 0; i < n && !av.a; i++)
		if (memcmp(all[i].uuid, sel.attempt, 16) == 0 && all[i].opened &&
		    (av.a = sodium_malloc(sizeof *av.a)))
			*av.a = all[i];
	quizstore_attempts_free(all, n);
	if (!av.a || quizstore_bank_by_uuid(u->s, av.a->bank, &av.b, &err) < 0) {
		ui_status_err(u, &err);
		av_close(u);
		return -1;
	}
	av.top = 0;
	return 0;
}

static void av_draw(struct ui *u, WINDOW *w)
{
	char line[256], day[DATE_BUFSZ];
	struct uq_canvas c = { w, av.top, 2, getmaxy(w) - 2, 0 };
	(void)u;

	if (!av.a)
		return;
	snprintf(line, sizeof line, "%s, %s: %s (%s)", av.a->kader_name, _(quiz_kind_label(av.a->kind)),
		 av.b.title, date_format(av.a->day, day));
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, getmaxx(w) - 2, line);
	wattroff(w, A_BOLD);
	uq_result(&c, getmaxx(w) - 4, &av.b, av.a);
	av.lines = c.ln;
}

static int scroll_input(int *top, int lines, int rows, enum action act)
{
	int max = lines - rows > 0 ? lines - rows : 0;
	switch (act) {
	case ACT_UP: *top -= 1; break;
	case ACT_DOWN: *top += 1; break;
	case ACT_PGUP: *top -= rows; break;
	case ACT_PGDN: *top += rows; break;
	case ACT_HOME: *top = 0; break;
	case ACT_END: *top = max; break;
	default: return R_NONE;
	}
	if (*top > max)
		*top = max;
	if (*top < 0)
		*top = 0;
	return R_REDRAW;
}

static int av_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	(void)u;
	(void)ch;
	(void)is_key;
	if (act == ACT_BACK)
		return R_BACK;
	if (act == ACT_LOCK)
		return R_LOCK;
	return scroll_input(&av.top, av.lines, LINES - 6, act);
}

const struct screen_ops ui_quiz_attempt_ops = {
	.title = N_("Answers"), .bar = av_bar, .needs_session = true,
	.open = av_open, .close = av_close, .draw = av_draw, .input = av_input,
};

/* ================================================================ */
/* Item analysis of one bank version                                */
/* ================================================================ */

static struct {
	struct quiz_report r;
	bool loaded;
	int top, lines;
} it;

static void it_close(struct ui *u)
{
	(void)u;
	if (it.loaded)
		quiz_report_free(&it.r);
	it.loaded = false;
}

static int it_open(struct ui *u)
{
	struct quiz_bank b;
	struct err err = { 0 };
	const uint8_t *training = NULL;
	int kind = 0;

	it_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (quizstore_bank_by_uuid(u->s, sel.bank, &b, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	if (sel.items_by_run) {
		training = sel.training;
		kind = sel.kind;
	}
	if (quiz_report_build(u->s, b.id, b.version, training, kind, &it.r, &err) < 0) {
		ui_status_err(u, &err);
		quiz_bank_free(&b);
		return -1;
	}
	quiz_bank_free(&b);
	it.loaded = true;
	it.top = 0;
	return 0;
}

static void it_draw(struct ui *u, WINDOW *w)
{
	const struct quiz_report *r = &it.r;
	int width = getmaxx(w);
	struct uq_canvas c = { w, it.top, 3, getmaxy(w) - 4, 0 };
	char line[256], flags[96];
	(void)u;

	if (!it.loaded)
		return;
	snprintf(line, sizeof line, _("%s v%d: %zu attempts submitted"), r->bank.id, r->bank.version,
		 r->natt);
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, line);
	wattroff(w, A_BOLD);
	snprintf(line, sizeof line, _("p = proportion right, D = upper minus lower 27%% group (groups of %d); * = right option"),
		 r->group);
	ui_put(w, 1, 1, width - 2, line);
	snprintf(line, sizeof line, "%3s %-10s %-12s %5s %6s  %-22s %s", "#", "id", _("Topic"), "p", "D",
		 _("Chosen a b c d e f, blank"), _("Flags"));
	wattron(w, A_BOLD);
	ui_put(w, 2, 1, width - 2, line);
	wattroff(w, A_BOLD);
	for (size_t q = 0; q < r->bank.n; q++) {
		const struct quiz_item *x = &r->items[q];
		const struct quiz_question *qq = &r->bank.q[q];
		char opts[64] = "", d[16] = "-";
		size_t k = 0;
		for (int o = 0; o < qq->noptions; o++)
			k += (size_t)snprintf(opts + k, sizeof opts - k, "%s%d ",
					      (qq->correct & (1u << o)) ? "*" : "", x->option[o]);
		snprintf(opts + k, sizeof opts - k, "- %d", x->blank);
		if (x->has_d)
			snprintf(d, sizeof d, "%.2f", x->d);
		flags[0] = '\0';
		if (x->flags & QUIZ_FLAG_EASY)
			snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%s ", _("too easy"));
		if (x->flags & QUIZ_FLAG_HARD)
			snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%s ", _("too hard"));
		if (x->flags & QUIZ_FLAG_NEG_D)
			snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%s", _("negative D"));
		snprintf(line, sizeof line, "%3zu %-10s %-12.12s %5.2f %6s  %-22s %s", q + 1, qq->id,
			 qq->topic, x->p, d, opts, flags);
		uq_line(&c, 1, width - 2, line);
	}
	if (r->natt < QUIZ_FLAG_MIN_N) {
		snprintf(line, sizeof line, _("  Flags need at least %d attempts."), QUIZ_FLAG_MIN_N);
		uq_line(&c, 1, width - 2, line);
	}
	uq_line(&c, 0, 0, "");
	snprintf(line, sizeof line, "%-20s %9s %8s", _("Topic"), _("Questions"), _("Mastery"));
	uq_line(&c, 1, width - 2, line);
	for (size_t t = 0; t < r->ntopics; t++) {
		snprintf(line, sizeof line, "%-20s %9d %7.1f%%", r->topics[t].topic, r->topics[t].questions,
			 100 * r->topics[t].mastery);
		uq_line(&c, 1, width - 2, line);
	}
	it.lines = c.ln;
}

static int it_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	(void)u;
	(void)ch;
	(void)is_key;
	if (act == ACT_BACK)
		return R_BACK;
	if (act == ACT_LOCK)
		return R_LOCK;
	return scroll_input(&it.top, it.lines, LINES - 7, act);
}

const struct screen_ops ui_quiz_items_ops = {
	.title = N_("Question analysis"), .bar = av_bar, .needs_session = true,
	.open = it_open, .close = it_close, .draw = it_draw, .input = it_input,
};

/* ================================================================ */
/* Question banks                                                   */
/* ================================================================ */

static struct {
	struct quizstore_bank_info *b;
	size_t n;
	struct ui_list l;
} bk;

static const enum action bk_bar[] = { ACT_MOVE, ACT_SELECT, ACT_BACK, ACT_LOCK, ACT_NONE };

static void bk_close(struct ui *u)
{
	(void)u;
	free(bk.b);
	bk.b = NULL;
	bk.n = 0;
	bk.l.n = 0;
}

static int bk_open(struct ui *u)
{
	struct err err = { 0 };
	bk_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (quizstore_banks(u->s, &bk.b, &bk.n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	bk.l.n = (int)bk.n;
	if (bk.l.sel >= bk.l.n)
		bk.l.sel = 0;
	return 0;
}

static void bk_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w), rows = getmaxy(w) - 4;
	char line[256];
	(void)u;

	snprintf(line, sizeof line, "%-20s %4s %9s %6s  %s", "id", "v", _("Questions"), _("Pass"),
		 _("Title"));
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, line);
	wattroff(w, A_BOLD);
	if (!bk.n)
		ui_put(w, 2, 2, width - 4, _("No question bank yet: import one with \"posyandu quiz import FILE.ini\"."));
	ui_list_scroll(&bk.l, rows);
	for (int i = bk.l.top; i < bk.l.n && i - bk.l.top < rows; i++) {
		snprintf(line, sizeof line, "%-20s %4d %9d %5d%%  %s", bk.b[i].id, bk.b[i].version,
			 bk.b[i].questions, bk.b[i].pass_mark, bk.b[i].title);
		ui_list_row(w, &bk.l, i, 1 + i - bk.l.top, width, line);
	}
	ui_put(w, getmaxy(w) - 2, 1, width - 2, _("Enter: question analysis over every attempt of this version"));
}

static int bk_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	(void)ch;
	(void)is_key;
	switch (act) {
	case ACT_BACK:
		return R_BACK;
	case ACT_LOCK:
		return R_LOCK;
	case ACT_SELECT:
		if (!bk.n)
			return R_NONE;
		memcpy(sel.bank, bk.b[bk.l.sel].uuid, 16);
		sel.items_by_run = false;
		u->next = &ui_quiz_items_ops;
		return R_PUSH;
	default:
		return ui_list_move(&bk.l, act, 10);
	}
}

const struct screen_ops ui_quiz_banks_ops = {
	.title = N_("Question banks"), .bar = bk_bar, .needs_session = true,
	.open = bk_open, .close = bk_close, .draw = bk_draw, .input = bk_input,
};

/* ================================================================ */
/* Kader roster                                                     */
/* ================================================================ */

static struct {
	struct roster_row *r;
	size_t n;
	struct ui_list l;
} ro;

/* The person whose history is shown. */
static struct {
	uint8_t user[16];
	char name[QUIZ_NAME_MAX];
} who;

static void ro_close(struct ui *u)
{
	(void)u;
	free(ro.r);
	ro.r = NULL;
	ro.n = 0;
}

static int ro_open(struct ui *u)
{
	struct err err = { 0 };
	ro_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (quiz_roster_report(u->s, u->c->utc_offset, uq_today(u), &ro.r, &ro.n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	ro.l.n = (int)ro.n;
	if (ro.l.sel >= ro.l.n)
		ro.l.sel = 0;
	return 0;
}

static void ro_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w), rows = getmaxy(w) - 3;
	char line[256];
	(void)u;

	snprintf(line, sizeof line, "%-15s %-6s %-10s %3s %2s %-10s %-10s %s", _("Name"), _("Role"),
		 _("Started"), _("Duty"), "#", _("Trained"), _("Last score"), _("Last active"));
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, line);
	wattroff(w, A_BOLD);
	ui_list_scroll(&ro.l, rows);
	for (int i = ro.l.top; i < ro.l.n && i - ro.l.top < rows; i++) {
		const struct roster_row *r = &ro.r[i];
		char start[DATE_BUFSZ] = "-", last[DATE_BUFSZ] = "-", act[DATE_BUFSZ] = "-", score[40] = "-";
		if (r->start != DATE_NONE)
			date_format(r->start, start);
		if (r->last_training != DATE_NONE)
			date_format(r->last_training, last);
		if (r->last_active != DATE_NONE)
			date_format(r->last_active, act);
		if (r->has_score)
			snprintf(score, sizeof score, "%.0f%% %s", r->percent, quiz_kind_code(r->qkind));
		snprintf(line, sizeof line, "%-15.15s %-6.6s %-10s %3d %2d %-10s %-10.10s %-10s %s", r->name,
			 r->role ? role_code((enum role)r->role) : "-", start, r->duty, r->trainings, last,
			 score, act,
			 r->disabled ? "x" : r->inactive ? "!" : "");
		ui_list_row(w, &ro.l, i, 1 + i - ro.l.top, width, line);
	}
	ui_put(w, getmaxy(w) - 1, 1, width - 2,
	       _("Duty: sessions on duty. #: trainings. !: not active for 3 months. x: disabled"));
}

static int ro_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	(void)ch;
	(void)is_key;
	if (act == ACT_BACK)
		return R_BACK;
	if (act == ACT_LOCK)
		return R_LOCK;
	if (act == ACT_SELECT && ro.n) {
		memcpy(who.user, ro.r[ro.l.sel].user, 16);
		snprintf(who.name, sizeof who.name, "%s", ro.r[ro.l.sel].name);
		u->next = &ui_quiz_history_ops;
		return R_PUSH;
	}
	return ui_list_move(&ro.l, act, 10);
}

const struct screen_ops ui_quiz_roster_ops = {
	.title = N_("Kader roster"), .bar = bk_bar, .needs_session = true,
	.open = ro_open, .close = ro_close, .draw = ro_draw, .input = ro_input,
};

/* ================================================================ */
/* One person's history over trainings                              */
/* ================================================================ */

static struct {
	struct quiz_history h;
	bool loaded;
	int top, lines;
} hi;

static void hi_close(struct ui *u)
{
	(void)u;
	if (hi.loaded)
		quiz_history_free(&hi.h);
	hi.loaded = false;
}

static int hi_open(struct ui *u)
{
	struct err err = { 0 };

	hi_close(u);
	if (is_trainer(u) < 0)
		return -1;
	if (quiz_history_build(u->s, who.user, who.name, &hi.h, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	hi.loaded = true;
	hi.top = 0;
	return 0;
}

static void hi_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w);
	struct uq_canvas c = { w, hi.top, 1, getmaxy(w) - 1, 0 };
	char line[256], day[DATE_BUFSZ];
	(void)u;

	if (!hi.loaded)
		return;
	wattron(w, A_BOLD);
	ui_put(w, 0, 1, width - 2, who.name);
	wattroff(w, A_BOLD);
	snprintf(line, sizeof line, "%-10s %-22s %-18s %-10s %7s %s", _("Date"), _("Training"),
		 _("Question bank"), _("Test"), _("Score"), _("Result"));
	uq_line(&c, 1, width - 2, line);
	if (!hi.h.natt)
		uq_line(&c, 2, width - 4, _("No test submitted yet."));
	for (size_t i = 0; i < hi.h.natt; i++) {
		const struct quiz_attempt *a = &hi.h.att[i];
		char bank[48];
		snprintf(bank, sizeof bank, "%s v%d", a->bank_id, a->bank_version);
		snprintf(line, sizeof line, "%-10s %-22.22s %-18.18s %-10s %6.1f%% %s", date_format(a->day, day),
			 quiz_history_training(&hi.h, a->training), bank, _(quiz_kind_label(a->kind)),
			 a->total ? 100.0 * a->right / a->total : 0, a->pass ? _("pass") : _("fail"));
		uq_line(&c, 1, width - 2, line);
	}
	uq_line(&c, 0, 0, "");
	snprintf(line, sizeof line, "%-22s %-18s %7s %7s %7s %6s", _("Training"), _("Question bank"),
		 _("Pre"), _("Post"), _("Gain"), "g");
	uq_line(&c, 1, width - 2, line);
	for (size_t i = 0; i < hi.h.npairs; i++) {
		const struct quiz_pair *p = &hi.h.pairs[i];
		char pre[16] = "-", post[16] = "-", gain[16] = "-", g[16] = "-";
		if (p->has_pre)
			snprintf(pre, sizeof pre, "%.1f%%", p->pre);
		if (p->has_post)
			snprintf(post, sizeof post, "%.1f%%", p->post);
		if (p->has_pre && p->has_post) {
			snprintf(gain, sizeof gain, "%+.1f", p->g.gain);
			if (p->g.has_ngain)
				snprintf(g, sizeof g, "%.2f", p->g.ngain);
		}
		snprintf(line, sizeof line, "%-22.22s %-18.18s %7s %7s %7s %6s",
			 quiz_history_training(&hi.h, p->training), p->bank, pre, post, gain, g);
		uq_line(&c, 1, width - 2, line);
	}
	hi.lines = c.ln;
}

static int hi_input(struct ui *u, enum action act, wint_t ch, bool is_key)
{
	(void)u;
	(void)ch;
	(void)is_key;
	if (act == ACT_BACK)
		return R_BACK;
	if (act == ACT_LOCK)
		return R_LOCK;
	return scroll_input(&hi.top, hi.lines, LINES - 5, act);
}

const struct screen_ops ui_quiz_history_ops = {
	.title = N_("Kader history"), .bar = av_bar, .needs_session = true,
	.open = hi_open, .close = hi_close, .draw = hi_draw, .input = hi_input,
};
