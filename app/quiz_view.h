/* app/quiz_view.h: what the quiz commands (cli/quiz*.c) and the quiz
 * screens (tui/ui_quiz*.c) show: a bank's report, the kader roster, one
 * person's history (storage gives the records, core the numbers; this only
 * gathers them). */
#ifndef POSYANDU_APP_QUIZ_VIEW_H
#define POSYANDU_APP_QUIZ_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "core/quiz.h"
#include "core/quiz_roster.h"
#include "storage/quiz_store.h"
#include "app/app.h"

/* Everything about one bank version: its submitted attempts (opened with
 * the quiz key, in submission order), item analysis, topics and pre/post
 * pairs. TRAINING (may be NULL) and KIND (0 = any) narrow the attempts. */
struct quiz_report {
	struct quiz_bank bank;
	uint8_t bank_uuid[16];
	struct quiz_attempt *att;      /* submitted and opened */
	size_t natt;
	size_t drafts;                 /* not submitted yet */
	size_t unopened;               /* sealed to another key: cannot be read */
	struct quiz_item *items;       /* bank.n */
	int group;                     /* upper/lower group size, 0 = no D */
	struct quiz_topic *topics;
	size_t ntopics;
	struct quiz_pair *pairs;
	size_t npairs;
	struct quiz_training *trainings;
	size_t ntrainings;
};
int quiz_report_build(struct store *s, const char *bank_id, int version,
		      const uint8_t *training, int kind, struct quiz_report *r, struct err *err);
void quiz_report_free(struct quiz_report *r);
/* The title of training UUID, or "" when unknown or zero. */
const char *quiz_report_training(const struct quiz_report *r, const uint8_t uuid[16]);

/* The kader roster as of TODAY (trainer, admin: the scores need the quiz
 * key). Rows are sorted by name. *ROWS allocated; free(). */
int quiz_roster_report(struct store *s, long utc_offset, int32_t today,
		       struct roster_row **rows, size_t *n, struct err *err);

/* One person's history over trainings: their submitted attempts (opened;
 * trainer, admin), oldest first, and the pre/post pairs with the gain.
 * USER (may be NULL or zero) matches attempts of that account; NAME those
 * keyed in for someone without an account (ASCII case ignored). */
struct quiz_history {
	struct quiz_attempt *att;
	size_t natt;
	struct quiz_pair *pairs;
	size_t npairs;
	struct quiz_training *trainings;
	size_t ntrainings;
};
int quiz_history_build(struct store *s, const uint8_t *user, const char *name,
		       struct quiz_history *h, struct err *err);
void quiz_history_free(struct quiz_history *h);
const char *quiz_history_training(const struct quiz_history *h, const uint8_t uuid[16]);

/* "12:05" (minutes:seconds) into BUF of 16 bytes. */
char *quiz_fmt_time(int32_t seconds, char *buf);
/* A's score in percent; 0 when it has no questions. */
double quiz_attempt_pct(const struct quiz_attempt *a);

/* The cells of one pre/post pair: "72.5%", "72.5%", "+12.0" and "0.45",
 * each "-" when it does not apply. Each buffer holds 16 bytes. */
void quiz_pair_cells(const struct quiz_pair *p, char *pre, char *post, char *gain, char *g);
/* The cells of question QQ's row: how often each option was chosen ("*"
 * before the right ones), then "- " and the blanks, into BUF of SIZE bytes;
 * its D ("0.45", or "-" without one) into D of 16 bytes. */
void quiz_item_cells(const struct quiz_question *qq, const struct quiz_item *x, char *buf,
		     size_t size, char *d);
/* A roster row's start, last training and last active days, each "-" when
 * there is none. Each buffer holds DATE_BUFSZ bytes. */
void quiz_roster_dates(const struct roster_row *r, char *start, char *last, char *act);

#endif
