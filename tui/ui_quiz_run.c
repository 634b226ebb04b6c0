/* tui/ui_quiz_run.c: taking a quiz (issue 7). "Take a quiz" lists the
 * person's unfinished attempts on this device and the open tests of the
 * trainings they attend; the runner shows one question at a time.
 *
 * Every answer and every mark is saved as a new version of the attempt
 * before the screen shows it, so a power cut loses nothing: after the next
 * login the attempt is in the list again, with its answers and the time
 * spent (the time counts while the quiz is on screen). Keys on a question:
 * 1-6 or a-f choose, Up/Down and Space/Enter choose too, Left/Right or
 * PgUp/PgDn move between questions, m marks for review, r or F2 opens the
 * review page, from which F2 or s submits. When the time limit runs out the
 * answers are submitted as they are. */
#include "tui/ui_quiz.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/clock.h"
#include "core/banned.h"

/* ================================================================ */
/* The list of quizzes to take                                      */
/* ================================================================ */

struct take_item {
	bool draft;
	uint8_t attempt[16];           /* a draft to resume */
	struct quiz_run run;           /* a test to start */
	uint8_t training[16];
	struct quiz_participant who;   /* the session user in that training */
	char line[200];
};

static struct ui_rows take;
static bool take_stale;                /* reload before drawing (back from the runner) */

/* The attempt the runner opens (only its uuid: the runner loads it, also
 * after the idle lock). */
static uint8_t runner_uuid[16];

static const char *bank_title(const struct quizstore_bank_info *banks, size_t nb,
			      const uint8_t uuid[16])
{
	for (size_t i = 0; i < nb; i++)
		if (memcmp(banks[i].uuid, uuid, 16) == 0)
			return banks[i].title;
	return "?";
}

static const char *training_title(const struct quiz_training *t, size_t nt, const uint8_t uuid[16])
{
	for (size_t i = 0; i < nt; i++)
		if (memcmp(t[i].uuid, uuid, 16) == 0)
			return t[i].title;
	return "";
}

/* The list: the drafts to continue, then the open tests not taken yet. */
static int take_load(struct ui *u, struct ui_rows *list, struct err *err)
{
	const struct store_user *me = store_session(u->s);
	struct quiz_attempt *drafts = NULL, *heads = NULL;
	struct quiz_training *tr = NULL;
	struct quizstore_bank_info *banks = NULL;
	size_t nd = 0, nh = 0, nt = 0, nb = 0, cap;
	int rc = -1;

	if (quizstore_my_drafts(u->s, &drafts, &nd, err) < 0 ||
	    quizstore_attempts(u->s, NULL, false, &heads, &nh, err) < 0 ||
	    quizstore_trainings(u->s, &tr, &nt, err) < 0 ||
	    quizstore_banks(u->s, &banks, &nb, err) < 0)
		goto done;
	cap = nd + 1;
	for (size_t i = 0; i < nt; i++)
		cap += tr[i].nruns;
	if (!(list->take = calloc(cap, sizeof *list->take))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nd; i++) {
		struct take_item *it = &list->take[list->n++];
		it->draft = true;
		memcpy(it->attempt, drafts[i].uuid, 16);
		memcpy(it->training, drafts[i].training, 16);
		snprintf(it->line, sizeof it->line, _("Continue: %s, %s (%d of %d answered) %s"),
			 _(quiz_kind_label(drafts[i].kind)), bank_title(banks, nb, drafts[i].bank),
			 quiz_count_answered(&drafts[i].ans), drafts[i].ans.n,
			 training_title(tr, nt, drafts[i].training));
	}
	for (size_t i = 0; i < nt; i++) {
		const struct quiz_participant *who = quizstore_participant_find(&tr[i], me->uuid, me->label);
		if (!who)
			continue;
		for (size_t r = 0; r < tr[i].nruns; r++) {
			const struct quiz_run *run = &tr[i].runs[r];
			bool taken = false;
			if (!run->open)
				continue;
			/* A pre- or post-test is taken once: hidden once started (a
			 * draft is listed above to continue). A practice run may be
			 * taken again once the last one is submitted. */
			for (size_t h = 0; h < nh && !taken; h++)
				taken = memcmp(heads[h].kader, me->uuid, 16) == 0 &&
					memcmp(heads[h].training, tr[i].uuid, 16) == 0 &&
					memcmp(heads[h].bank, run->bank, 16) == 0 &&
					heads[h].kind == run->kind &&
					(run->kind != QUIZ_PRACTICE || heads[h].status == QUIZ_DRAFT);
			if (taken)
				continue;
			struct take_item *it = &list->take[list->n++];
			it->run = *run;
			it->who = *who;
			memcpy(it->training, tr[i].uuid, 16);
			snprintf(it->line, sizeof it->line, "%s: %s  (%s)", _(quiz_kind_label(run->kind)),
				 bank_title(banks, nb, run->bank), tr[i].title);
		}
	}
	rc = 0;
done:
	quizstore_attempts_free(drafts, nd);
	quizstore_attempts_free(heads, nh);
	free(tr);
	free(banks);
	return rc;
}

static void take_row(int i, char *line, size_t size)
{
	snprintf(line, size, "%s", take.take[i].line);
}

static void take_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w);

	if (take_stale) {
		take_stale = false;
		ui_rows_load(u, &take, take_load);
	}
	ui_put(w, 1, 2, width - 4, _("Choose a test and press Enter. Your answers are saved as you go."));
	if (!take.n)
		ui_put(w, 3, 2, width - 4, _("There is no test for you now. A trainer opens tests in a training."));
	ui_list_draw(w, &take.l, 3, getmaxy(w) - 4, width, take_row);
}

static int take_input(struct ui *u, enum action act)
{
	const struct store_user *me = store_session(u->s);
	struct take_item *it;
	struct quiz_attempt *a;
	struct quiz_bank b;
	struct err err = { 0 };
	char q[256];

	if (act != ACT_SELECT)
		return R_PASS;
	it = &take.take[take.l.sel];
	if (it->draft) {
		memcpy(runner_uuid, it->attempt, 16);
		u->next = &ui_quiz_runner_ops;
		return R_PUSH;
	}
	/* Issue 13.2: answers are never sealed to a quiz key that does not
	 * verify; the test does not start. */
	if (quizstore_key_ready(u->s, &err) < 0) {
		if (err.code == ERR_CRYPTO && strcmp(err.field, "quiz-seal") == 0)
			ui_status(u, true, "%s",
				  _("The quiz key is not valid; the test cannot start. Contact the admin."));
		else
			ui_status_err(u, &err);
		return R_REDRAW;
	}
	if (quizstore_bank_by_uuid(u->s, it->run.bank, &b, &err) < 0) {
		ui_status_err(u, &err);
		return R_REDRAW;
	}
	if (b.time_limit_min > 0)
		snprintf(q, sizeof q, _("Start the %s now? %zu questions, %d minutes."),
			 _(quiz_kind_label(it->run.kind)), b.n, b.time_limit_min);
	else
		snprintf(q, sizeof q, _("Start the %s now? %zu questions, no time limit."),
			 _(quiz_kind_label(it->run.kind)), b.n);
	if (!ui_confirm(u, q)) {
		quiz_bank_free(&b);
		return R_REDRAW;
	}
	if (!(a = sodium_malloc(sizeof *a))) {
		quiz_bank_free(&b);
		return R_REDRAW;
	}
	memset(a, 0, sizeof *a);
	memcpy(a->bank, it->run.bank, 16);
	snprintf(a->bank_id, sizeof a->bank_id, "%s", b.id);
	a->bank_version = b.version;
	memcpy(a->training, it->training, 16);
	a->kind = it->run.kind;
	memcpy(a->kader, me->uuid, 16);
	snprintf(a->kader_name, sizeof a->kader_name, "%s", me->label);
	memcpy(a->participant, it->who.id, 16);
	snprintf(a->posyandu, sizeof a->posyandu, "%s", it->who.posyandu);
	a->day = clock_today();
	quiz_answers_init(&a->ans, &b, ((uint64_t)randombytes_random() << 32) | randombytes_random());
	/* Saved at once: from now on the attempt survives a power cut. */
	if (quizstore_attempt_save(u->s, a, &b, false, &err) < 0) {
		ui_status_err(u, &err);
		sodium_free(a);
		quiz_bank_free(&b);
		return R_REDRAW;
	}
	memcpy(runner_uuid, a->uuid, 16);
	sodium_free(a);
	quiz_bank_free(&b);
	u->next = &ui_quiz_runner_ops;
	return R_PUSH;
}

const struct screen_ops ui_quiz_take_ops = {
	.title = N_("Take a quiz"), .keys = KS_LIST, .list = &take.l, .needs_session = true,
	.rows = &take, .load = take_load, .draw = take_draw, .input = take_input,
};

/* ================================================================ */
/* The runner                                                       */
/* ================================================================ */

enum page { PAGE_QUESTION, PAGE_REVIEW, PAGE_RESULT };

static struct {
	bool loaded;
	struct quiz_bank b;
	struct quiz_attempt *a;        /* sodium_malloc: it holds the attempt key */
	enum page page;
	int pos;                       /* display position of the question shown */
	struct ui_list opts;           /* the options; sel: the one under the cursor */
	struct ui_list review;
	struct ui_list result;         /* a text */
	time_t since;                  /* the clock restarted at ... */
	int32_t base;                  /* ... with this much time spent */
	char training[QUIZ_TITLE_MAX];
} rn = { .result.text = true };

static int32_t spent(void)
{
	return rn.base + (int32_t)(time(NULL) - rn.since);
}

/* Save the attempt as it is now (SUBMIT: for good). */
static int runner_save(struct ui *u, bool submit)
{
	struct err err = { 0 };
	int32_t now = spent();

	rn.a->ans.elapsed_s = now;
	if (quizstore_attempt_save(u->s, rn.a, &rn.b, submit, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	rn.base = now;
	rn.since = time(NULL);
	return 0;
}

static void runner_close(struct ui *u)
{
	if (rn.loaded && rn.a->status == QUIZ_DRAFT)
		runner_save(u, false);         /* the time spent so far */
	take_stale = true;                     /* the list below changes */
	if (rn.a)
		sodium_free(rn.a);
	rn.a = NULL;
	quiz_bank_free(&rn.b);
	rn.loaded = false;
}

static int first_unanswered(void)
{
	for (int p = 0; p < rn.a->ans.n; p++)
		if (!rn.a->ans.chosen[rn.a->ans.order[p]])
			return p;
	return 0;
}

static int runner_open(struct ui *u)
{
	struct quiz_attempt *drafts = NULL;
	struct quiz_training *tr = NULL;
	struct err err = { 0 };
	size_t nd = 0, nt = 0;

	runner_close(u);
	memset(&rn, 0, sizeof rn);
	rn.result.text = true;
	if (quizstore_my_drafts(u->s, &drafts, &nd, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	for (size_t i = 0; i < nd && !rn.a; i++) {
		if (memcmp(drafts[i].uuid, runner_uuid, 16) != 0)
			continue;
		if (!(rn.a = sodium_malloc(sizeof *rn.a)))
			break;
		*rn.a = drafts[i];
	}
	quizstore_attempts_free(drafts, nd);
	if (!rn.a)
		return -1;                  /* submitted, or another person logged in */
	if (quizstore_bank_by_uuid(u->s, rn.a->bank, &rn.b, &err) < 0 ||
	    rn.b.n != (size_t)rn.a->ans.n) {
		ui_status_err(u, &err);
		sodium_free(rn.a);
		rn.a = NULL;
		quiz_bank_free(&rn.b);
		return -1;
	}
	if (quizstore_trainings(u->s, &tr, &nt, &err) == 0) {
		snprintf(rn.training, sizeof rn.training, "%s", training_title(tr, nt, rn.a->training));
		free(tr);
	}
	rn.loaded = true;
	rn.page = PAGE_QUESTION;
	rn.pos = first_unanswered();
	rn.opts.sel = 0;
	rn.base = rn.a->ans.elapsed_s;
	rn.since = time(NULL);
	rn.review.n = rn.a->ans.n;
	return 0;
}

static void clock_text(char *buf, size_t size)
{
	int left = quiz_remaining_s(&rn.b, spent());
	if (left < 0)
		snprintf(buf, size, "%s", _("No time limit"));
	else
		snprintf(buf, size, _("Time left %d:%02d"), left / 60, left % 60);
}

static void draw_question(WINDOW *w)
{
	int width = getmaxx(w), q = rn.a->ans.order[rn.pos];
	const struct quiz_question *qq = &rn.b.q[q];
	bool multi = quiz_is_multi(qq);
	struct uq_canvas c = { w, 0, 4, getmaxy(w) - 6, 0 };
	char line[256];

	rn.opts.n = qq->noptions;
	snprintf(line, sizeof line, _("Question %d of %d"), rn.pos + 1, rn.a->ans.n);
	ui_put_bold(w, 2, 2, width - 4, line);
	snprintf(line, sizeof line, _("answered %d, marked %d"), quiz_count_answered(&rn.a->ans),
		 quiz_count_marked(&rn.a->ans));
	ui_put(w, 2, 22, width - 40, line);
	if (rn.a->ans.marked[q])
		ui_put(w, 2, width - 16, 14, _("[marked]"));
	uq_wrapped(&c, 2, width - 4, qq->text);
	if (multi)
		uq_line(&c, 2, width - 4, _("(Choose all the right answers.)"));
	uq_line(&c, 0, 0, "");
	for (int o = 0; o < qq->noptions; o++) {
		bool on = rn.a->ans.chosen[q] & (1u << o);
		char head[16];
		int y = c.y0 + c.ln - c.top;
		snprintf(head, sizeof head, "%s %s %c.", o == rn.opts.sel ? ">" : " ",
			 multi ? (on ? "[x]" : "[ ]") : (on ? "(*)" : "( )"), 'a' + o);
		if (o == rn.opts.sel && y >= c.y0 && y < c.y0 + c.rows)
			wattron(w, A_REVERSE);
		uq_line(&c, 2, 9, head);
		c.ln--;
		uq_wrapped(&c, 11, width - 13, qq->option[o]);
		if (o == rn.opts.sel)
			wattroff(w, A_REVERSE);
	}
	ui_put(w, getmaxy(w) - 2, 2, width - 4,
	       _("1-6/a-f choose  Left/Right question  m mark  r review  F2 review and submit"));
}

static void draw_review(WINDOW *w)
{
	int width = getmaxx(w), rows = getmaxy(w) - 7;
	char line[256], ans[8];

	snprintf(line, sizeof line, _("Review: %d of %d answered, %d marked for review"),
		 quiz_count_answered(&rn.a->ans), rn.a->ans.n, quiz_count_marked(&rn.a->ans));
	ui_put_bold(w, 2, 2, width - 4, line);
	ui_list_scroll(&rn.review, rows);
	for (int p = rn.review.top; p < rn.review.n && p - rn.review.top < rows; p++) {
		int q = rn.a->ans.order[p];
		quiz_format_choice(rn.a->ans.chosen[q], ans);
		snprintf(line, sizeof line, "%3d  %-6s %s %s", p + 1, ans[0] ? ans : "-",
			 ans[0] ? "" : _("no answer"), rn.a->ans.marked[q] ? _("? marked") : "");
		ui_list_row(w, &rn.review, p, 4 + p - rn.review.top, width / 2, line);
	}
	ui_put(w, getmaxy(w) - 2, 2, width - 4,
	       _("Enter: open the question  F2 or s: submit  Esc: back to the question"));
}

static void draw_result(WINDOW *w)
{
	int width = getmaxx(w);
	struct uq_canvas c = { w, rn.result.top, 2, getmaxy(w) - 3, 0 };

	if (rn.a->kind == QUIZ_PRE) {
		/* The right answers of a pre-test would teach the post-test. */
		ui_put(w, 2, 2, width - 4, _("Thank you. Your answers are submitted and locked."));
		ui_put(w, 3, 2, width - 4, _("The trainer discusses the pre-test results with you."));
	} else if (!rn.a->scored) {
		/* A kader's session holds no answer key (issue 13.2): the trainer
		 * opens the scores and shows them in the training room. */
		ui_put(w, 2, 2, width - 4, _("Thank you. Your answers are submitted and locked."));
		ui_put(w, 3, 2, width - 4, _("Answers saved; the trainer opens the scores."));
	} else {
		uq_result(&c, width - 4, &rn.b, rn.a);
		uq_scrolled(&c, &rn.result);
	}
	ui_put(w, getmaxy(w) - 1, 2, width - 4, _("Up/Down: scroll  Esc or Enter: done"));
}

/* The answers are submitted: the result page, from its top. */
static void show_result(struct ui *u, const char *msg)
{
	rn.page = PAGE_RESULT;
	rn.result.top = 0;
	ui_status(u, false, "%s", msg);
}

static void runner_draw(struct ui *u, WINDOW *w)
{
	char line[160], clock[48];
	int width = getmaxx(w);

	if (!rn.loaded)
		return;
	/* The 1 s tick redraws: submit when the time runs out. */
	if (rn.page != PAGE_RESULT && rn.a->status == QUIZ_DRAFT &&
	    quiz_remaining_s(&rn.b, spent()) == 0 && runner_save(u, true) == 0)
		show_result(u, _("Time is up: your answers were submitted."));
	snprintf(line, sizeof line, "%s: %s", _(quiz_kind_label(rn.a->kind)), rn.b.title);
	ui_put_bold(w, 0, 1, width - 22, line);
	if (rn.page != PAGE_RESULT) {
		clock_text(clock, sizeof clock);
		ui_put(w, 0, width - 21, 20, clock);
	}
	if (rn.training[0])
		ui_put(w, 1, 1, width - 2, rn.training);
	switch (rn.page) {
	case PAGE_QUESTION: draw_question(w); break;
	case PAGE_REVIEW: draw_review(w); break;
	case PAGE_RESULT: draw_result(w); break;
	}
}

/* Choose option O of the question shown, and save before showing it. */
static void choose(struct ui *u, int o)
{
	int q = rn.a->ans.order[rn.pos];
	uint8_t before = rn.a->ans.chosen[q];

	if (quiz_choose(&rn.b, &rn.a->ans, q, o) < 0)
		return;
	rn.opts.sel = o;
	if (runner_save(u, false) < 0)
		rn.a->ans.chosen[q] = before;   /* not saved: not shown as chosen */
}

static int submit(struct ui *u)
{
	int blank = rn.a->ans.n - quiz_count_answered(&rn.a->ans);
	char q[200];

	if (blank)
		snprintf(q, sizeof q, _("%d questions without an answer. Submit? Answers are then locked."),
			 blank);
	else
		snprintf(q, sizeof q, "%s", _("Submit your answers? They are then locked."));
	if (!ui_confirm(u, q))
		return R_REDRAW;
	if (runner_save(u, true) == 0)
		show_result(u, _("Your answers are submitted."));
	return R_REDRAW;
}

/* Show the question at display position POS, the cursor on its first option. */
static void go_to(int pos)
{
	rn.pos = pos;
	rn.opts.sel = 0;
	rn.opts.n = rn.b.q[rn.a->ans.order[pos]].noptions;
	rn.page = PAGE_QUESTION;
}

static void go_to_review(void)
{
	rn.page = PAGE_REVIEW;
	rn.review.sel = rn.pos;
}

static int input_question(struct ui *u, enum action act)
{
	wint_t ch = u->key;
	int q = rn.a->ans.order[rn.pos];

	switch (act) {
	case ACT_ANSWER:
		choose(u, ch >= 'a' ? (int)(ch - 'a') : (int)(ch - '1'));
		return R_REDRAW;
	case ACT_CHOOSE:
		choose(u, rn.opts.sel);
		return R_REDRAW;
	case ACT_MARK:
		rn.a->ans.marked[q] ^= 1;
		if (runner_save(u, false) < 0)
			rn.a->ans.marked[q] ^= 1;
		return R_REDRAW;
	case ACT_REVIEW:
		go_to_review();
		return R_REDRAW;
	case ACT_PREV_Q:
		if (rn.pos > 0)
			go_to(rn.pos - 1);
		return R_REDRAW;
	case ACT_NEXT_Q:
		if (rn.pos + 1 < rn.a->ans.n)
			go_to(rn.pos + 1);
		else
			go_to_review();
		return R_REDRAW;
	case ACT_BACK:
		if (ui_confirm(u, _("Leave? Your answers are saved; continue later.")))
			return R_BACK;
		return R_REDRAW;
	default:
		return R_PASS;
	}
}

static int runner_input(struct ui *u, enum action act)
{
	if (!rn.loaded)
		return R_BACK;
	switch (rn.page) {
	case PAGE_QUESTION:
		return input_question(u, act);
	case PAGE_REVIEW:
		if (act == ACT_BACK) {
			rn.page = PAGE_QUESTION;
			return R_REDRAW;
		}
		if (act == ACT_SELECT) {
			go_to(rn.review.sel);
			return R_REDRAW;
		}
		return act == ACT_SUBMIT ? submit(u) : R_PASS;
	case PAGE_RESULT:
		return act == ACT_BACK || act == ACT_SELECT ? R_BACK : R_PASS;
	}
	return R_PASS;
}

static enum keyset runner_keys(void)
{
	return rn.page == PAGE_QUESTION ? KS_RUN_QUESTION
	       : rn.page == PAGE_REVIEW ? KS_RUN_REVIEW : KS_RUN_RESULT;
}

static struct ui_list *runner_list(void)
{
	return rn.page == PAGE_QUESTION ? &rn.opts : rn.page == PAGE_REVIEW ? &rn.review : &rn.result;
}

const struct screen_ops ui_quiz_runner_ops = {
	.title = N_("Quiz"), .keys_now = runner_keys, .list_now = runner_list, .needs_session = true,
	.open = runner_open, .close = runner_close, .draw = runner_draw, .input = runner_input,
};
