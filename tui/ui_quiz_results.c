/* tui/ui_quiz_results.c: the trainer's view of what kader answered
 * (issue 7): results per participant of one test (with paper answer sheets
 * keyed in one line each), one attempt's answers and explanations, item
 * analysis per question and topic, the question banks, the kader roster
 * and one person's history. The numbers come from core (through
 * tui/cli_quiz.c and tui/cli_quiz_report.c, which the command line
 * shares); the screens only lay them out. */
#include "tui/ui_quiz.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/clock.h"
#include "core/banned.h"

/* ================================================================ */
/* Results of one test, per participant; paper sheets               */
/* ================================================================ */

struct res_row {
	char name[QUIZ_NAME_MAX];
	char who[QUIZ_NAME_MAX + QUIZ_CODE_MAX + 16];  /* "Ani (P-0001 #2)" */
	const struct quiz_participant *p;
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


static void res_close(struct ui *u)
{
	(void)u;
	uq_training_stale();
	free(res.t);
	res.t = NULL;
	quiz_bank_free(&res.b);
	quizstore_attempts_free(res.att, res.natt);
	res.att = NULL;
	res.natt = 0;
	res.l.n = 0;
}

/* By participant id (issue 14: two people of one name are two rows);
 * attempts from before ids by account, else name. */
static bool attempt_of(const struct quiz_attempt *a, const struct quiz_participant *p)
{
	if (!uuid_is_zero(a->participant))
		return memcmp(a->participant, p->id, 16) == 0;
	if (!uuid_is_zero(p->user))
		return memcmp(a->kader, p->user, 16) == 0;
	return uuid_is_zero(a->kader) && strcmp(a->kader_name, p->name) == 0;
}

static int res_open(struct ui *u)
{
	struct err err = { 0 };

	res_close(u);
	if (!(res.t = uq_load_training(u, &err)) || uq_sel.run >= (int)res.t->nruns) {
		ui_status_err(u, &err);
		res_close(u);
		return -1;
	}
	res.run = res.t->runs[uq_sel.run];
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
		snprintf(r->who, sizeof r->who, "%s (%s #%zu)", res.t->p[i].name,
			 res.t->p[i].posyandu[0] ? res.t->p[i].posyandu : "-", i + 1);
		r->p = &res.t->p[i];
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
	ui_list_set(&res.l, res.t->np);
	return 0;
}

/* "P-0001: 3, 72.5%   P-0002: 2, 60.0%": per posyandu code, how many
 * submitted and opened this test and their mean score (issue 14). */
static void res_by_posyandu(char *line, size_t size)
{
	size_t k = 0;
	bool done[QUIZ_MAX_PARTICIPANTS] = { false };

	k = (size_t)snprintf(line, size, "%s", _("Per posyandu:"));
	for (int i = 0; i < res.l.n && k < size; i++) {
		const char *code = res.rows[i].p->posyandu;
		double sum = 0;
		int n = 0;
		if (done[i])
			continue;
		for (int j = i; j < res.l.n; j++) {
			const struct res_row *r = &res.rows[j];
			if (strcmp(r->p->posyandu, code) != 0)
				continue;
			done[j] = true;
			if (r->status == QUIZ_SUBMITTED && r->a->opened && r->a->total) {
				sum += 100.0 * r->a->right / r->a->total;
				n++;
			}
		}
		if (n)
			k += (size_t)snprintf(line + k, size - k, "  %s: %d, %.1f%%", code[0] ? code : "-",
					      n, sum / n);
		else
			k += (size_t)snprintf(line + k, size - k, "  %s: 0", code[0] ? code : "-");
	}
}

static void res_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w), rows = getmaxy(w) - 7;   /* a line for the posyandu */
	char line[256], t[16];
	(void)u;

	if (!res.t)
		return;
	snprintf(line, sizeof line, "%s: %s (%s v%d), %s", _(quiz_kind_label(res.run.kind)), res.b.title,
		 res.b.id, res.b.version, res.run.open ? _("open") : _("closed"));
	ui_put_bold(w, 0, 1, width - 2, line);
	snprintf(line, sizeof line, _("%s; pass mark %d%%"), res.t->title, res.b.pass_mark);
	ui_put(w, 1, 1, width - 2, line);
	snprintf(line, sizeof line, "%-30s %-14s %7s %-10s %6s %7s %6s", _("Name"), _("Status"),
		 _("Score"), _("Result"), _("Time"), _("Pre"), _("Gain"));
	ui_put_bold(w, 3, 1, width - 2, line);
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
		snprintf(line, sizeof line, "%-30.30s %-14s %7s %-10s %6s %7s %6s", r->who, status, score,
			 result, time_s, pre, gain);
		ui_list_row(w, &res.l, i, 4 + i - res.l.top, width, line);
	}
	res_by_posyandu(line, sizeof line);
	ui_put(w, getmaxy(w) - 3, 1, width - 2, line);
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

	/* The same paper sheet keyed in again replaces the one before
	 * (quizstore_sheet_save); one taken on screen stays beside it. */
	if (r->status == QUIZ_SUBMITTED && r->a->sheet &&
	    !ui_confirm(u, _("This paper sheet was keyed in before. Replace it?")))
		return;
	if (r->status == QUIZ_SUBMITTED && !r->a->sheet &&
	    !ui_confirm(u, _("Already submitted. Add this paper sheet as well?")))
		return;
	if (width > 60)
		width = 60;
	sheet_bank = &res.b;
	snprintf(title, sizeof title, _("Paper sheet of %s"), r->who);
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
		memcpy(a->participant, r->p->id, 16);
		snprintf(a->posyandu, sizeof a->posyandu, "%s", r->p->posyandu);
		a->day = res.t->date;
		if (quizstore_sheet_save(u->s, a, &res.b, NULL, &err) == 0) {
			ui_status(u, false, _("%s: %d of %d right (%.1f%%), saved"), r->name, a->right,
				  a->total, quiz_attempt_pct(a));
			if (res.l.sel + 1 < res.l.n)
				res.l.sel++;
		}
	}
	if (err.code)
		ui_status_err(u, &err);
	sodium_free(a);
}

static int res_input(struct ui *u, enum action act)
{
	if (!res.t)
		return R_PASS;             /* nothing loaded: only the common keys */
	switch (act) {
	case ACT_SHEET:
		if (!res.t->np)
			return R_NONE;
		key_sheet(u);
		res_open(u);
		return R_REDRAW;
	case ACT_ITEMS:
		memcpy(uq_sel.bank, res.run.bank, 16);
		uq_sel.items_by_run = true;
		uq_sel.kind = res.run.kind;
		u->next = &ui_quiz_items_ops;
		return R_PUSH;
	case ACT_SELECT: {
		const struct res_row *r = res.l.n ? &res.rows[res.l.sel] : NULL;
		if (!r || r->status != QUIZ_SUBMITTED || !r->a->opened)
			return R_NONE;
		memcpy(uq_sel.attempt, r->a->uuid, 16);
		u->next = &ui_quiz_attempt_ops;
		return R_PUSH;
	}
	default:
		return R_PASS;
	}
}

const struct screen_ops ui_quiz_results_ops = {
	.title = N_("Test results"), .keys = KS_RESULTS, .list = &res.l, .needs_session = true,
	.role = ROLE_TRAINER, .open = res_open, .close = res_close, .draw = res_draw, .input = res_input,
};

/* ================================================================ */
/* One attempt                                                      */
/* ================================================================ */

static struct {
	struct quiz_bank b;
	struct quiz_attempt *a;        /* sodium_malloc */
	struct ui_list l;          /* a text */
} av = { .l.text = true };

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
	if (quizstore_attempts(u->s, NULL, true, &all, &n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	for (size_t i = 0; i < n && !av.a; i++)
		if (memcmp(all[i].uuid, uq_sel.attempt, 16) == 0 && all[i].opened &&
		    (av.a = sodium_malloc(sizeof *av.a)))
			*av.a = all[i];
	quizstore_attempts_free(all, n);
	if (!av.a || quizstore_bank_by_uuid(u->s, av.a->bank, &av.b, &err) < 0) {
		ui_status_err(u, &err);
		av_close(u);
		return -1;
	}
	av.l.top = 0;
	return 0;
}

static void av_draw(struct ui *u, WINDOW *w)
{
	char line[256], day[DATE_BUFSZ];
	struct uq_canvas c = { w, av.l.top, 2, getmaxy(w) - 2, 0 };
	(void)u;

	if (!av.a)
		return;
	snprintf(line, sizeof line, "%s, %s: %s (%s)", av.a->kader_name, _(quiz_kind_label(av.a->kind)),
		 av.b.title, date_format(av.a->day, day));
	ui_put_bold(w, 0, 1, getmaxx(w) - 2, line);
	uq_result(&c, getmaxx(w) - 4, &av.b, av.a);
	uq_scrolled(&c, &av.l);
}

const struct screen_ops ui_quiz_attempt_ops = {
	.title = N_("Answers"), .keys = KS_VIEW, .list = &av.l, .needs_session = true,
	.role = ROLE_TRAINER, .open = av_open, .close = av_close, .draw = av_draw,
};

/* ================================================================ */
/* Item analysis of one bank version                                */
/* ================================================================ */

static struct {
	struct quiz_report r;
	bool loaded;
	struct ui_list l;          /* a text */
} it = { .l.text = true };

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
	if (quizstore_bank_by_uuid(u->s, uq_sel.bank, &b, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	if (uq_sel.items_by_run) {
		training = uq_sel.training;
		kind = uq_sel.kind;
	}
	if (quiz_report_build(u->s, b.id, b.version, training, kind, NULL, &it.r, &err) < 0) {
		ui_status_err(u, &err);
		quiz_bank_free(&b);
		return -1;
	}
	quiz_bank_free(&b);
	it.loaded = true;
	it.l.top = 0;
	return 0;
}

static void it_draw(struct ui *u, WINDOW *w)
{
	const struct quiz_report *r = &it.r;
	int width = getmaxx(w);
	struct uq_canvas c = { w, it.l.top, 3, getmaxy(w) - 4, 0 };
	char line[256], flags[96];
	(void)u;

	if (!it.loaded)
		return;
	snprintf(line, sizeof line, _("%s v%d: %zu attempts submitted"), r->bank.id, r->bank.version,
		 r->natt);
	ui_put_bold(w, 0, 1, width - 2, line);
	snprintf(line, sizeof line, _("p = proportion right, D = upper minus lower 27%% group (groups of %d); * = right option"),
		 r->group);
	ui_put(w, 1, 1, width - 2, line);
	snprintf(line, sizeof line, "%3s %-10s %-12s %5s %6s  %-22s %s", "#", "id", _("Topic"), "p", "D",
		 _("Chosen a b c d e f, blank"), _("Flags"));
	ui_put_bold(w, 2, 1, width - 2, line);
	for (size_t q = 0; q < r->bank.n; q++) {
		const struct quiz_item *x = &r->items[q];
		const struct quiz_question *qq = &r->bank.q[q];
		char opts[64], d[16];
		quiz_item_cells(qq, x, opts, sizeof opts, d);
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
	uq_scrolled(&c, &it.l);
}

const struct screen_ops ui_quiz_items_ops = {
	.title = N_("Question analysis"), .keys = KS_VIEW, .list = &it.l, .needs_session = true,
	.role = ROLE_TRAINER, .open = it_open, .close = it_close, .draw = it_draw,
};

/* ================================================================ */
/* Question banks                                                   */
/* ================================================================ */

static struct ui_rows bk;

static int bk_load(struct ui *u, struct ui_rows *r, struct err *err)
{
	return quizstore_banks(u->s, &r->banks, &r->n, err);
}

static void bk_row(int i, char *line, size_t size)
{
	const struct quizstore_bank_info *b = &bk.banks[i];
	snprintf(line, size, "%-20s %4d %9d %5d%%  %s", b->id, b->version, b->questions, b->pass_mark,
		 b->title);
}

static void bk_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w);
	char line[256];
	(void)u;

	snprintf(line, sizeof line, "%-20s %4s %9s %6s  %s", "id", "v", _("Questions"), _("Pass"),
		 _("Title"));
	ui_put_bold(w, 0, 1, width - 2, line);
	if (!bk.n)
		ui_put(w, 2, 2, width - 4, _("No question bank yet: import one with \"posyandu quiz import FILE.ini\"."));
	ui_list_draw(w, &bk.l, 1, getmaxy(w) - 4, width, bk_row);
	ui_put(w, getmaxy(w) - 2, 1, width - 2, _("Enter: question analysis over every attempt of this version"));
}

static int bk_input(struct ui *u, enum action act)
{
	if (act != ACT_SELECT)
		return R_PASS;
	memcpy(uq_sel.bank, bk.banks[bk.l.sel].uuid, 16);
	uq_sel.items_by_run = false;
	u->next = &ui_quiz_items_ops;
	return R_PUSH;
}

const struct screen_ops ui_quiz_banks_ops = {
	.title = N_("Question banks"), .keys = KS_LIST, .list = &bk.l, .needs_session = true,
	.role = ROLE_TRAINER, .rows = &bk, .load = bk_load, .draw = bk_draw, .input = bk_input,
};

/* ================================================================ */
/* Kader roster                                                     */
/* ================================================================ */

static struct ui_rows ro;

/* The person whose history is shown. */
static struct {
	uint8_t user[16];
	char name[QUIZ_NAME_MAX];
} who;

static int ro_load(struct ui *u, struct ui_rows *r, struct err *err)
{
	return quiz_roster_report(u->s, u->c->utc_offset, clock_today(), &r->roster, &r->n, err);
}

static void ro_row(int i, char *line, size_t size)
{
	const struct roster_row *r = &ro.roster[i];
	char start[DATE_BUFSZ], last[DATE_BUFSZ], act[DATE_BUFSZ], score[40] = "-";

	quiz_roster_dates(r, start, last, act);
	if (r->has_score)
		snprintf(score, sizeof score, "%.0f%% %s", r->percent, quiz_kind_code(r->qkind));
	snprintf(line, size, "%-15.15s %-6.6s %-10s %3d %2d %-10s %-10.10s %-10s %s", r->name,
		 r->role ? role_code((enum role)r->role) : "-", start, r->duty, r->trainings, last,
		 score, act,
		 r->disabled ? "x" : r->inactive ? "!" : "");
}

static void ro_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w);
	char line[256];
	(void)u;

	snprintf(line, sizeof line, "%-15s %-6s %-10s %3s %2s %-10s %-10s %s", _("Name"), _("Role"),
		 _("Started"), _("Duty"), "#", _("Trained"), _("Last score"), _("Last active"));
	ui_put_bold(w, 0, 1, width - 2, line);
	ui_list_draw(w, &ro.l, 1, getmaxy(w) - 3, width, ro_row);
	ui_put(w, getmaxy(w) - 1, 1, width - 2,
	       _("Duty: sessions on duty. #: trainings. !: not active for 3 months. x: disabled"));
}

static int ro_input(struct ui *u, enum action act)
{
	const struct roster_row *r = &ro.roster[ro.l.sel];

	if (act != ACT_SELECT)
		return R_PASS;
	memcpy(who.user, r->user, 16);
	snprintf(who.name, sizeof who.name, "%s", r->name);
	u->next = &ui_quiz_history_ops;
	return R_PUSH;
}

const struct screen_ops ui_quiz_roster_ops = {
	.title = N_("Kader roster"), .keys = KS_LIST, .list = &ro.l, .needs_session = true,
	.role = ROLE_TRAINER, .rows = &ro, .load = ro_load, .draw = ro_draw, .input = ro_input,
};

/* ================================================================ */
/* One person's history over trainings                              */
/* ================================================================ */

static struct {
	struct quiz_history h;
	bool loaded;
	struct ui_list l;          /* a text */
} hi = { .l.text = true };

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
	if (quiz_history_build(u->s, who.user, who.name, &hi.h, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	hi.loaded = true;
	hi.l.top = 0;
	return 0;
}

static void hi_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w);
	struct uq_canvas c = { w, hi.l.top, 1, getmaxy(w) - 1, 0 };
	char line[256], day[DATE_BUFSZ];
	(void)u;

	if (!hi.loaded)
		return;
	ui_put_bold(w, 0, 1, width - 2, who.name);
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
			 quiz_attempt_pct(a), a->pass ? _("pass") : _("fail"));
		uq_line(&c, 1, width - 2, line);
	}
	uq_line(&c, 0, 0, "");
	snprintf(line, sizeof line, "%-22s %-18s %7s %7s %7s %6s", _("Training"), _("Question bank"),
		 _("Pre"), _("Post"), _("Gain"), "g");
	uq_line(&c, 1, width - 2, line);
	for (size_t i = 0; i < hi.h.npairs; i++) {
		const struct quiz_pair *p = &hi.h.pairs[i];
		char pre[16], post[16], gain[16], g[16];
		quiz_pair_cells(p, pre, post, gain, g);
		snprintf(line, sizeof line, "%-22.22s %-18.18s %7s %7s %7s %6s",
			 quiz_history_training(&hi.h, p->training), p->bank, pre, post, gain, g);
		uq_line(&c, 1, width - 2, line);
	}
	uq_scrolled(&c, &hi.l);
}

const struct screen_ops ui_quiz_history_ops = {
	.title = N_("Kader history"), .keys = KS_VIEW, .list = &hi.l, .needs_session = true,
	.role = ROLE_TRAINER, .open = hi_open, .close = hi_close, .draw = hi_draw,
};
