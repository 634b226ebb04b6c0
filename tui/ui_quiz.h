/* tui/ui_quiz.h: what the quiz screens (ui_quiz.c: trainings;
 * ui_quiz_results.c: results, item analysis, banks, roster; ui_quiz_run.c:
 * taking a quiz) share. Not for other screens. */
#ifndef POSYANDU_TUI_UI_QUIZ_H
#define POSYANDU_TUI_UI_QUIZ_H

#include "app/quiz_view.h"
#include "tui/ui_int.h"

/* A scrolling selection. */

/* Lines drawn into a window with a scroll offset: line numbers run from 0;
 * lines TOP .. TOP + ROWS - 1 appear from window row Y0. LN is the next
 * line's number, so after drawing it is the length of the whole text. */
struct uq_canvas {
	WINDOW *w;
	int top, y0, rows, ln;
};
void uq_line(struct uq_canvas *c, int x, int width, const char *text);
/* After drawing: L scrolls over C's text. */
void uq_scrolled(const struct uq_canvas *c, struct ui_list *l);
/* TEXT wrapped at blanks to WIDTH columns, from column X. */
void uq_wrapped(struct uq_canvas *c, int x, int width, const char *text);

/* One attempt's result, question by question with the explanations. */
void uq_result(struct uq_canvas *c, int width, const struct quiz_bank *b,
	       const struct quiz_attempt *a);

/* The screens (ui_quiz_trainings_ops and ui_quiz_take_ops, the two that
 * home opens, are declared in ui_int.h). */
extern const struct screen_ops ui_quiz_training_ops, ui_quiz_results_ops, ui_quiz_attempt_ops,
	ui_quiz_items_ops, ui_quiz_banks_ops, ui_quiz_roster_ops, ui_quiz_history_ops,
	ui_quiz_runner_ops;

/* Today, local. */

/* What the screens below pass on: the training, the test and the attempt
 * chosen on the screen before. Only uuids and indexes: each screen loads
 * what it shows in open(), also after the idle lock. */
struct uq_sel {
	uint8_t training[16];
	int run;                       /* index in the training's runs */
	uint8_t attempt[16];
	uint8_t bank[16];              /* the items screen: this bank version */
	bool items_by_run;             /* ... narrowed to the training and test */
	int kind;                      /* ... of this kind */
};
extern struct uq_sel uq_sel;

/* The training uq_sel.training (malloc), or NULL with ERR set. */
struct quiz_training *uq_load_training(struct ui *u, struct err *err);
/* The training screen reloads before it next draws (a screen above it
 * changed its results). */
void uq_training_stale(void);

#endif
