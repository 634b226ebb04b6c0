/* core/quiz.h: kader assessments (domain.md §7): question banks, one
 * person's answers, scoring, pre/post gain, item analysis and topic mastery.
 * Pure C over plain structs: reading INI files (storage/quiz_ini.c) and
 * sealing attempts (storage/quiz_attempt.c) live in storage/, drawing in tui/.
 *
 * The rules, each with its reason:
 *
 * - Scoring is all-or-nothing per question. A question is right when the set
 *   of options chosen is exactly the set of correct options: for a question
 *   with correct options {a, c}, choosing {a} or {a, c, d} is wrong. Partial
 *   credit would reward ticking everything; the runner says "choose all that
 *   are right" on such questions, so the rule is visible to the kader.
 * - Score = right questions / questions in the bank; a blank is wrong. The
 *   percentage is 100 * right / total. Pass when right * 100 >= pass_mark *
 *   total (integers, so 7 of 10 passes a pass mark of 70 exactly). The pass
 *   mark is a per-bank setting: no national kader pass mark exists
 *   (domain.md §7.2, UNCONFIRMED).
 * - Gain = post% - pre%. Normalised gain g = (post - pre) / (100 - pre)
 *   (Hake), undefined when pre is 100 %.
 * - Difficulty p = right responses / responses (the proportion correct).
 * - Discrimination D, upper-lower 27 % (Kelley): rank the attempts by their
 *   total right answers, highest first (ties keep the order the attempts
 *   were given in, which is submission order); the group size is
 *   g = round(0.27 * N), at least 1; D = (right in the upper g - right in the
 *   lower g) / g. D needs N >= 2.
 * - Flags for the trainer, only when at least QUIZ_FLAG_MIN_N attempts were
 *   analysed (fewer say nothing): too easy p > 0.90, too hard p < 0.30,
 *   negative discrimination D < 0. The thresholds are the usual classroom
 *   item-analysis bands; they sit in one table below.
 * - Topic mastery = right responses to the topic's questions / responses to
 *   them (blank counts as a response that is wrong). */
#ifndef POSYANDU_CORE_QUIZ_H
#define POSYANDU_CORE_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define QUIZ_MAX_OPTIONS 6
#define QUIZ_MAX_QUESTIONS 200
#define QUIZ_ID_MAX 32             /* bank and question ids: [a-z0-9_-], 1-31 */
#define QUIZ_TOPIC_MAX 40
#define QUIZ_TITLE_MAX 96
#define QUIZ_TEXT_MAX 640
#define QUIZ_OPTION_MAX 256
#define QUIZ_EXPLAIN_MAX 640
#define QUIZ_NAME_MAX 33           /* a participant's name: a user label fits */
#define QUIZ_CODE_MAX 16           /* a posyandu code (core/valid.h): 1-15 characters */

/* Item-analysis thresholds (see the rules above). */
#define QUIZ_EASY_P 0.90           /* p above this: too easy */
#define QUIZ_HARD_P 0.30           /* p below this: too hard */
#define QUIZ_FLAG_MIN_N 5          /* fewer attempts: no flags */
#define QUIZ_GROUP_FRACTION 0.27   /* the upper and lower groups */

enum quiz_kind { QUIZ_PRE = 1, QUIZ_POST = 2, QUIZ_PRACTICE = 3 };
const char *quiz_kind_code(int kind);          /* "pre", "post", "practice", "?" */
int quiz_kind_from_code(const char *s);        /* -1 when unknown */
const char *quiz_kind_label(int kind);         /* msgid: "pre-test", ... */

struct quiz_question {
	char id[QUIZ_ID_MAX];          /* unique in the bank */
	char topic[QUIZ_TOPIC_MAX];
	char text[QUIZ_TEXT_MAX];
	char option[QUIZ_MAX_OPTIONS][QUIZ_OPTION_MAX];
	int noptions;                  /* 2..6 */
	uint8_t correct;               /* bit i: option i is right; never 0 */
	char explain[QUIZ_EXPLAIN_MAX]; /* "" when none */
};

struct quiz_bank {
	char id[QUIZ_ID_MAX];
	int version;                   /* >= 1; a new version is a new bank */
	char title[QUIZ_TITLE_MAX];
	char language[8];              /* "id", "en" */
	int pass_mark;                 /* percent, 0..100 */
	int time_limit_min;            /* 0 = no limit */
	bool shuffle;                  /* each attempt gets its own question order */
	struct quiz_question *q;       /* allocated; quiz_bank_free() */
	size_t n;                      /* 1..QUIZ_MAX_QUESTIONS */
};
void quiz_bank_free(struct quiz_bank *b);     /* frees q, zeroes B; NULL-safe */

/* Does Q have more than one right option (the runner toggles then)? */
bool quiz_is_multi(const struct quiz_question *q);

/* One person's answers to one bank version, kept in bank order. */
struct quiz_answers {
	int n;                         /* questions in the bank */
	uint8_t chosen[QUIZ_MAX_QUESTIONS];   /* bit i: option i chosen; 0 = blank */
	uint8_t marked[QUIZ_MAX_QUESTIONS];   /* 1: marked for review */
	uint8_t order[QUIZ_MAX_QUESTIONS];    /* display position -> question index */
	int32_t elapsed_s;             /* time spent on the quiz screen */
};

/* Blank answers for B; the order is the bank's, or shuffled from SEED when
 * the bank says so (the same seed gives the same order). */
void quiz_answers_init(struct quiz_answers *a, const struct quiz_bank *b, uint64_t seed);
/* Choose option OPT (0-based) of question Q (bank index): a one-answer
 * question takes it as its only choice, a several-answer question toggles
 * it. -1 when Q or OPT do not exist. */
int quiz_choose(const struct quiz_bank *b, struct quiz_answers *a, int q, int opt);
int quiz_count_answered(const struct quiz_answers *a);
int quiz_count_marked(const struct quiz_answers *a);
/* Seconds left for ELAPSED_S spent, never below 0; -1 when there is no limit. */
int quiz_remaining_s(const struct quiz_bank *b, int32_t elapsed_s);

/* "a", "a,c", "a c", "1 3", "AC": letters a-f or digits 1-6, any of them
 * separated by commas or blanks; each must be an option of a question of
 * NOPTIONS options. ERR_REQUIRED when empty, ERR_FORMAT for another symbol,
 * ERR_RANGE for an option the question does not have. */
int quiz_parse_choice(const char *s, int noptions, uint8_t *mask, struct err *err);
/* "ac" (letters in order; "" for blank) into BUF of 8 bytes; returns BUF. */
char *quiz_format_choice(uint8_t mask, char *buf);

/* A paper answer sheet, one line per participant: one symbol per question
 * in bank order, a-f or 1-6, "-" or "." for blank, "[ac]" for several;
 * blanks between symbols are ignored ("bacd- ab[ac]d"). ERR_RANGE (field
 * "sheet-count") when the count differs from the bank's; ERR_FORMAT /
 * ERR_RANGE (field "sheet") naming the question otherwise. A is filled in
 * bank order, and its display order is the bank's too. */
int quiz_sheet_parse(const struct quiz_bank *b, const char *line, struct quiz_answers *a,
		     struct err *err);

/* ---- scoring ---- */

struct quiz_result {
	int total, right, answered;
	double percent;                /* 100 * right / total */
	bool pass;
	uint8_t ok[QUIZ_MAX_QUESTIONS];       /* per question, bank order: 1 right */
};
bool quiz_is_right(uint8_t chosen, uint8_t correct);
bool quiz_passes(int right, int total, int pass_mark);
void quiz_score(const struct quiz_bank *b, const struct quiz_answers *a, struct quiz_result *r);

struct quiz_gain {
	double gain;                   /* post - pre, percentage points */
	double ngain;                  /* (post - pre) / (100 - pre), when has_ngain */
	bool has_ngain;
};
void quiz_gain(double pre_percent, double post_percent, struct quiz_gain *g);

/* One submitted attempt as the reports see it.
 *
 * Who it is: a training participant has an id of her own (issue 14), so
 * two participants of the same name stay two people. When both sides of a
 * comparison carry a participant id, the ids decide; otherwise (attempts
 * from before participant ids) the account, else the name, as before. */
struct quiz_scored {
	uint8_t participant[16];       /* the training participant; all zero: none known */
	char posyandu[QUIZ_CODE_MAX];  /* the participant's posyandu code; "" unknown */
	uint8_t who[16];               /* the person's account; all zero: match by name */
	char name[QUIZ_NAME_MAX];
	uint8_t training[16];          /* all zero: outside any training */
	char bank[QUIZ_ID_MAX];        /* bank id (any version) */
	int kind;                      /* enum quiz_kind */
	double percent;
	bool pass;
};

/* A person's pre- and post-test of one bank in one training. */
struct quiz_pair {
	uint8_t participant[16];
	char posyandu[QUIZ_CODE_MAX];
	uint8_t who[16];
	char name[QUIZ_NAME_MAX];
	uint8_t training[16];
	char bank[QUIZ_ID_MAX];
	bool has_pre, has_post;
	double pre, post;              /* percent, when has_pre / has_post */
	bool post_pass;                /* when has_post */
	struct quiz_gain g;            /* when both */
};

/* Pair the pre- and post-tests in IN (in submission order): one pair per
 * person (see struct quiz_scored), training and bank id; a retaken test
 * counts with its last attempt; practice runs are left out. OUT needs room
 * for N pairs; returns how many, in order of first appearance. */
size_t quiz_pairs(const struct quiz_scored *in, size_t n, struct quiz_pair *out);

/* The pre/post results of one posyandu (issue 14): the participants whose
 * posyandu code it is. Means are plain means of the percentages over the
 * people who have that test; the gain is the mean of post - pre over the
 * people who have both (not the difference of the two means, which mixes
 * people who missed one of the tests). */
struct quiz_posyandu {
	char code[QUIZ_CODE_MAX];      /* "" : participants without a known code */
	int people;                    /* pairs: people with a pre- or a post-test */
	int pre_n, post_n, both_n, post_passed;
	double pre_mean, post_mean;    /* when pre_n, post_n */
	double gain_mean;              /* when both_n */
};

/* Group the pairs P by posyandu code: OUT needs room for N rows; returns
 * how many, sorted by code with the unknown code "" last. */
size_t quiz_by_posyandu(const struct quiz_pair *p, size_t n, struct quiz_posyandu *out);

/* ---- item analysis ---- */

enum quiz_flag { QUIZ_FLAG_EASY = 1, QUIZ_FLAG_HARD = 2, QUIZ_FLAG_NEG_D = 4 };

struct quiz_item {
	int n;                         /* responses */
	int right;
	double p;                      /* difficulty: right / n (0 when n = 0) */
	bool has_d;
	double d;                      /* discrimination, when has_d */
	int upper_right, lower_right;  /* right answers in the two groups */
	int option[QUIZ_MAX_OPTIONS];  /* responses that chose each option */
	int blank;
	unsigned flags;                /* enum quiz_flag */
};

/* Analyse NRESP answer sets of bank B (all of this bank version, in
 * submission order). ITEMS gets b->n entries; *GROUP the size of the upper
 * and lower groups (0 when D is not computed). */
void quiz_item_analysis(const struct quiz_bank *b, const struct quiz_answers *resp,
			size_t nresp, struct quiz_item *items, int *group);

struct quiz_topic {
	char topic[QUIZ_TOPIC_MAX];
	int questions;
	int responses, right;
	double mastery;                /* right / responses, 0 when none */
};
/* Topics of B in order of first appearance, from the items of
 * quiz_item_analysis. OUT needs room for b->n topics; returns how many. */
size_t quiz_topics(const struct quiz_bank *b, const struct quiz_item *items,
		   struct quiz_topic *out);

/* ---- validation of bank fields (storage names the file, section, key) ---- */

int quiz_valid_id(const char *s, struct err *err);             /* [a-z0-9_-], 1-31 */
/* A whole number MIN..MAX (blanks around allowed). */
int quiz_parse_int(const char *s, int min, int max, int *out, struct err *err);
/* yes/no/true/false/1/0/ya/tidak. */
int quiz_parse_bool(const char *s, bool *out, struct err *err);
/* Every question has 2-6 options, an answer among them, unique ids; the
 * bank has 1..QUIZ_MAX_QUESTIONS questions. */
int quiz_bank_check(const struct quiz_bank *b, struct err *err);

#endif
