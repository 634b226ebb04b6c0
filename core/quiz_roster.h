/* core/quiz_roster.h: the kader roster (issue 7): for each person, when they
 * started, the trainings they attended, their last quiz score and when they
 * were last active; who has not been active for three months.
 *
 * The caller turns what storage knows into events (an account made, a
 * login, a training attended, a quiz submitted, a session on duty) and this
 * module folds them into one row per person. People without an account
 * (training participants written by name) get rows of their own; an event
 * with no user uuid matches an account of the same name (ASCII case
 * ignored) and the same posyandu code, when both have a code (issue 14:
 * Ani of P-0001 and Ani of P-0002 are two people; an event or row without
 * a code, from before codes, matches by name alone). A person started on the day of their first event of any kind
 * (an account made, or a training before the account). "Active" is any
 * event; inactive means the last one is older
 * than QUIZ_INACTIVE_MONTHS calendar months before today (same day of the
 * month, or that month's last day when it is shorter), or there is none. */
#ifndef POSYANDU_CORE_QUIZ_ROSTER_H
#define POSYANDU_CORE_QUIZ_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/quiz.h"

#define QUIZ_INACTIVE_MONTHS 3

enum roster_ev { ROSTER_ADDED = 1, ROSTER_LOGIN, ROSTER_TRAINING, ROSTER_ATTEMPT, ROSTER_DUTY };

struct roster_event {
	int kind;                      /* enum roster_ev */
	uint8_t user[16];              /* all zero: match by name */
	char name[QUIZ_NAME_MAX];
	char posyandu[QUIZ_CODE_MAX];  /* "" unknown */
	int32_t day;
	/* ROSTER_ATTEMPT only: */
	char bank[QUIZ_ID_MAX];
	int qkind;                     /* enum quiz_kind */
	double percent;
	bool pass;
};

struct roster_row {
	uint8_t user[16];              /* all zero: no account */
	char name[QUIZ_NAME_MAX];
	char posyandu[QUIZ_CODE_MAX];  /* "" unknown */
	int role;                      /* storage's enum role; 0 = no account */
	bool disabled;
	int32_t start;                 /* the first event of any kind; DATE_NONE */
	int trainings;
	int32_t last_training;
	int duty;                      /* sessions on duty */
	int32_t last_duty;
	bool has_score;                /* the last quiz submitted: */
	char bank[QUIZ_ID_MAX];
	int qkind;
	double percent;
	bool pass;
	int32_t score_day;
	int32_t last_active;           /* DATE_NONE when never */
	bool inactive;
};

/* ROWS[0 .. *N) hold the accounts (user, name, role, disabled; the rest
 * zero). Fold EV into them; people not among them are added while there is
 * room (CAP rows). */
void quiz_roster_build(struct roster_row *rows, size_t *n, size_t cap,
		       const struct roster_event *ev, size_t nev, int32_t today);

/* DAY minus MONTHS calendar months (the day of month clamped). */
int32_t quiz_months_before(int32_t day, int months);
bool quiz_roster_inactive(int32_t last_active, int32_t today);

#endif
