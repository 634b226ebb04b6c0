/* tui/ui_desk.h: the desk screens share these. */
#ifndef POSYANDU_TUI_UI_DESK_H
#define POSYANDU_TUI_UI_DESK_H

#include "tui/ui_int.h"

extern const struct screen_ops ui_desk_ops, ui_card_ops, ui_result_ops, ui_history_ops,
	ui_chart_ops;

/* "2y 3m" (translated) into BUF. */
void ui_age(int32_t dob, int32_t day, char *buf, size_t size);

/* Set the card to show PERSON (then push ui_card_ops). */
void ui_card_show(struct ui *u, const uint8_t person[UUID_LEN]);
/* Register a person of KIND (or edit EXISTING when not NULL); 0 when saved,
 * and then u->next is the card to push. */
int ui_register(struct ui *u, enum person_kind kind, const struct person *existing);
/* The visit form for P (EXISTING: edit that visit). 0 when saved, and then
 * u->next is the result panel to push. */
int ui_visit_form(struct ui *u, const struct person *p, const struct visit *existing);
/* Pick a child's mother among the registered women, the list narrowing as
 * the kader types into Q (QSIZE bytes, what was typed so far, edited in
 * place). 1: *MOTHER is the woman picked; 0: she is not in the list, Q is
 * her name, to register her; -1: cancelled (or the idle lock:
 * u->lock_pending). */
int ui_pick_mother(struct ui *u, char *q, size_t qsize, const struct person **mother);
/* Today's session form. */
void ui_session_form(struct ui *u);
/* Back at the search with an empty query and the cursor ready. */
void ui_desk_after_save(struct ui *u);

#endif
