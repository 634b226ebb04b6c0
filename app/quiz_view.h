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
 * the quiz key, in submission order), item analysis, topics, pre/post
 * pairs and the pre/post results per posyandu (issue 14). TRAINING (may be
 * NULL), KIND (0 = any) and POSYANDU (NULL or "": any; "-" the participants
 * without a known code) narrow the attempts, so item analysis and topics
 * are then those of that posyandu's participants.
 *
 * Each attempt's participant id and posyandu code are filled in: its own
 * when it carries them, else (attempts from before issue 14) those of the
 * participant of its training with its account, else its name; a code the
 * attempt lacks is its participant's. */
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
	struct quiz_posyandu *pos;     /* the pairs grouped by posyandu code */
	size_t npos;
	struct quiz_training *trainings;
	size_t ntrainings;
};
int quiz_report_build(struct store *s, const char *bank_id, int version,
		      const uint8_t *training, int kind, const char *posyandu,
		      struct quiz_report *r, struct err *err);
void quiz_report_free(struct quiz_report *r);
/* The title of training UUID, or "" when unknown or zero. */
const char *quiz_report_training(const struct quiz_report *r, const uint8_t uuid[16]);
/* The number (#N, from 1) of PARTICIPANT in training TRAINING; 0 unknown. */
int quiz_report_no(const struct quiz_report *r, const uint8_t training[16],
		   const uint8_t participant[16]);
/* "Ani (P-0001 #2)": a name with what tells two people of that name
 * apart, into BUF of SIZE bytes; returns BUF. */
char *quiz_report_who(const struct quiz_report *r, const uint8_t training[16],
		      const uint8_t participant[16], const char *name, const char *posyandu,
		      char *buf, size_t size);
/* Fill in A's participant id and posyandu code from the trainings T, when
 * it does not carry them (see struct quiz_report). */
void quiz_attempt_resolve(struct quiz_attempt *a, const struct quiz_training *t, size_t nt);

/* What the district shows about quizzes (issue 14), per posyandu code of
 * the participants, bank version and kind. The district holds no quiz
 * key: answers and scores are sealed to the quiz keys of the posyandu's
 * devices (SECURITY.md), so it counts, from the clear part of each record,
 * who took which test; it cannot score. A paper sheet keyed in again is
 * one record (quizstore_sheet_save), so it counts once. */
struct quiz_district_row {
	char posyandu[QUIZ_CODE_MAX];  /* "" unknown */
	char bank[QUIZ_ID_MAX];
	int version;
	int kind;                      /* enum quiz_kind */
	int trainings;                 /* trainings with such a test */
	int participants;              /* people with a submitted attempt */
	int submitted, drafts;         /* attempts */
	int sheets;                    /* of the submitted: keyed in from paper */
};
/* Rows sorted by code ("" last), bank, version and kind. *ROWS allocated;
 * free(). Any role, and the district's store. */
int quiz_district_build(struct store *s, struct quiz_district_row **rows, size_t *n,
			struct err *err);

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
