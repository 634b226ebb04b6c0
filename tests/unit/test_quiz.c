/* tests/unit/test_quiz.c: scoring, gain, item analysis, topic mastery,
 * paper sheets and the roster (core/quiz.c, core/quiz_roster.c).
 *
 * Every expected number below is worked out by hand from the definitions in
 * core/quiz.h, in the comments next to it, not taken from a run of the code.
 *
 * The data set: a bank of 7 questions, pass mark 60 %, answered by 10
 * people r0..r9 (submission order). Right answers:
 *   Q1 b (4 options, topic kms)   Q2 a (3 options, kms)   Q3 a+c (4, asi)
 *   Q4 b (2, asi)   Q5 d (4, imun)   Q6 c (3, imun)   Q7 a (4, kms)
 *
 *        Q1  Q2  Q3   Q4  Q5  Q6  Q7   right
 *   r0   b   a   ac   b   d   c   b    Q1-Q6           6
 *   r1   b   a   ac   b   c   c   b    Q1-Q4, Q6       5
 *   r2   b   a   a    b   d   c   c    Q1,Q2,Q4,Q5,Q6  5
 *   r3   b   c   ac   a   d   c   b    Q1,Q3,Q5,Q6     4
 *   r4   a   a   ac   b   -   c   d    Q2,Q3,Q4,Q6     4
 *   r5   b   b   acd  b   a   c   c    Q1,Q4,Q6        3
 *   r6   c   a   c    a   d   c   b    Q2,Q5,Q6        3
 *   r7   b   -   -    a   a   c   -    Q1,Q6           2
 *   r8   d   b   c    b   b   c   d    Q4,Q6           2
 *   r9   a   c   a    a   c   c   a    Q6,Q7           2
 *
 * N = 10, g = round(0.27 * 10) = round(2.7) = 3. Ranked by right answers,
 * ties in submission order: r0 6, r1 5, r2 5, r3 4, r4 4, r5 3, r6 3, r7 2,
 * r8 2, r9 2. Upper group {r0, r1, r2}, lower group {r7, r8, r9}; neither
 * boundary is a tie (5 vs 4, 3 vs 2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/quiz.h"
#include "core/quiz_roster.h"

#define EPS 1e-9

static uint8_t mask(const char *letters)
{
	uint8_t m = 0;
	for (; *letters; letters++)
		if (*letters != '-')
			m |= (uint8_t)(1u << (*letters - 'a'));
	return m;
}

static void add_q(struct quiz_bank *b, const char *id, const char *topic, int nopt,
		  const char *right)
{
	struct quiz_question *q = &b->q[b->n++];
	memset(q, 0, sizeof *q);
	snprintf(q->id, sizeof q->id, "%s", id);
	snprintf(q->topic, sizeof q->topic, "%s", topic);
	snprintf(q->text, sizeof q->text, "Question %s", id);
	for (int i = 0; i < nopt; i++)
		snprintf(q->option[i], sizeof q->option[i], "option %c", 'a' + i);
	q->noptions = nopt;
	q->correct = mask(right);
}

static void make_bank(struct quiz_bank *b)
{
	memset(b, 0, sizeof *b);
	snprintf(b->id, sizeof b->id, "test");
	snprintf(b->title, sizeof b->title, "Test bank");
	b->version = 1;
	b->pass_mark = 60;
	b->q = calloc(7, sizeof *b->q);
	assert_non_null(b->q);
	add_q(b, "q1", "kms", 4, "b");
	add_q(b, "q2", "kms", 3, "a");
	add_q(b, "q3", "asi", 4, "ac");
	add_q(b, "q4", "asi", 2, "b");
	add_q(b, "q5", "imun", 4, "d");
	add_q(b, "q6", "imun", 3, "c");
	add_q(b, "q7", "kms", 4, "a");
}

/* The table above, one string per person: answers separated by blanks. */
static const char *const table[10][7] = {
	{ "b", "a", "ac", "b", "d", "c", "b" },
	{ "b", "a", "ac", "b", "c", "c", "b" },
	{ "b", "a", "a", "b", "d", "c", "c" },
	{ "b", "c", "ac", "a", "d", "c", "b" },
	{ "a", "a", "ac", "b", "-", "c", "d" },
	{ "b", "b", "acd", "b", "a", "c", "c" },
	{ "c", "a", "c", "a", "d", "c", "b" },
	{ "b", "-", "-", "a", "a", "c", "-" },
	{ "d", "b", "c", "b", "b", "c", "d" },
	{ "a", "c", "a", "a", "c", "c", "a" },
};

static void make_responses(const struct quiz_bank *b, struct quiz_answers *resp)
{
	for (int r = 0; r < 10; r++) {
		quiz_answers_init(&resp[r], b, 0);
		for (int q = 0; q < 7; q++)
			resp[r].chosen[q] = mask(table[r][q]);
	}
}

/* ---- scoring ---- */

static void test_all_or_nothing(void **state)
{
	(void)state;
	/* Q3's right set is {a, c}. */
	assert_true(quiz_is_right(mask("ac"), mask("ac")));
	assert_false(quiz_is_right(mask("a"), mask("ac")));     /* a subset */
	assert_false(quiz_is_right(mask("c"), mask("ac")));
	assert_false(quiz_is_right(mask("acd"), mask("ac")));   /* a superset */
	assert_false(quiz_is_right(0, mask("ac")));              /* blank */
	assert_true(quiz_is_right(mask("b"), mask("b")));
	assert_false(quiz_is_right(0, 0));                       /* blank is never right */
}

static void test_score_each_person(void **state)
{
	struct quiz_bank b;
	struct quiz_answers resp[10];
	struct quiz_result r;
	/* Right answers per person from the table; pass needs right * 100 >=
	 * 60 * 7 = 420, i.e. 5 or more right. */
	static const int right[10] = { 6, 5, 5, 4, 4, 3, 3, 2, 2, 2 };
	(void)state;

	make_bank(&b);
	make_responses(&b, resp);
	for (int i = 0; i < 10; i++) {
		quiz_score(&b, &resp[i], &r);
		assert_int_equal(r.total, 7);
		assert_int_equal(r.right, right[i]);
		assert_true(fabs(r.percent - 100.0 * right[i] / 7) < EPS);
		assert_int_equal(r.pass, right[i] >= 5);
	}
	/* r0: 6/7 = 85.714...%, right on Q1-Q6, wrong on Q7. */
	quiz_score(&b, &resp[0], &r);
	assert_true(fabs(r.percent - 85.714285714) < 1e-6);
	assert_memory_equal(r.ok, ((uint8_t[]){ 1, 1, 1, 1, 1, 1, 0 }), 7);
	assert_int_equal(r.answered, 7);
	/* r4 left Q5 blank; r7 left Q2, Q3 and Q7 blank. */
	quiz_score(&b, &resp[4], &r);
	assert_int_equal(r.answered, 6);
	quiz_score(&b, &resp[7], &r);
	assert_int_equal(r.answered, 4);
	assert_memory_equal(r.ok, ((uint8_t[]){ 1, 0, 0, 0, 0, 1, 0 }), 7);
	quiz_bank_free(&b);
}

static void test_pass_mark_boundary(void **state)
{
	(void)state;
	assert_true(quiz_passes(7, 10, 70));      /* 700 >= 700: exactly the mark */
	assert_false(quiz_passes(6, 10, 70));     /* 600 < 700 */
	assert_true(quiz_passes(2, 3, 66));       /* 200 >= 198 (66.67 %) */
	assert_false(quiz_passes(2, 3, 67));      /* 200 < 201 */
	assert_true(quiz_passes(0, 5, 0));        /* a pass mark of 0 passes everyone */
	assert_false(quiz_passes(0, 0, 0));       /* an empty bank passes no one */
}

static void test_gain(void **state)
{
	struct quiz_gain g;
	(void)state;

	quiz_gain(40, 70, &g);        /* 70 - 40 = 30; 30 / (100 - 40) = 0.5 */
	assert_true(fabs(g.gain - 30) < EPS);
	assert_true(g.has_ngain);
	assert_true(fabs(g.ngain - 0.5) < EPS);
	quiz_gain(80, 70, &g);        /* -10; -10 / 20 = -0.5 */
	assert_true(fabs(g.gain + 10) < EPS);
	assert_true(fabs(g.ngain + 0.5) < EPS);
	quiz_gain(100, 90, &g);       /* no room to gain: g undefined */
	assert_true(fabs(g.gain + 10) < EPS);
	assert_false(g.has_ngain);
	quiz_gain(0, 100, &g);        /* 100 / 100 = 1 */
	assert_true(fabs(g.ngain - 1) < EPS);
}

static void scored(struct quiz_scored *s, uint8_t who, const char *name, uint8_t training,
		   const char *bank, int kind, double percent)
{
	memset(s, 0, sizeof *s);
	if (who)
		memset(s->who, who, 16);
	snprintf(s->name, sizeof s->name, "%s", name);
	memset(s->training, training, 16);
	snprintf(s->bank, sizeof s->bank, "%s", bank);
	s->kind = kind;
	s->percent = percent;
}

static void test_pairs(void **state)
{
	struct quiz_scored in[7];
	struct quiz_pair out[7];
	size_t n;
	(void)state;

	/* In submission order. A (an account) takes the pre-test twice (40,
	 * then 50: the last counts) and the post-test (70); B only a pre-test
	 * and a practice run (left out); C (no account, by name) only a
	 * post-test; A also takes another bank in the same training. */
	scored(&in[0], 1, "A", 7, "kms", QUIZ_PRE, 40);
	scored(&in[1], 2, "B", 7, "kms", QUIZ_PRE, 60);
	scored(&in[2], 1, "A", 7, "kms", QUIZ_POST, 70);
	scored(&in[3], 1, "A", 7, "kms", QUIZ_PRE, 50);
	scored(&in[4], 2, "B", 7, "kms", QUIZ_PRACTICE, 90);
	scored(&in[5], 0, "C", 7, "kms", QUIZ_POST, 80);
	scored(&in[6], 1, "A", 7, "asi", QUIZ_POST, 100);
	n = quiz_pairs(in, 7, out);
	assert_int_equal(n, 4);
	/* A, kms: pre 50, post 70: gain 20, g = 20 / (100 - 50) = 0.4. */
	assert_string_equal(out[0].name, "A");
	assert_true(out[0].has_pre && out[0].has_post);
	assert_true(fabs(out[0].pre - 50) < EPS);
	assert_true(fabs(out[0].g.gain - 20) < EPS);
	assert_true(fabs(out[0].g.ngain - 0.4) < EPS);
	/* B: a pre-test only. */
	assert_string_equal(out[1].name, "B");
	assert_true(out[1].has_pre);
	assert_false(out[1].has_post);
	assert_true(fabs(out[1].pre - 60) < EPS);
	/* C: matched by name; a post-test only. */
	assert_string_equal(out[2].name, "C");
	assert_false(out[2].has_pre);
	assert_true(fabs(out[2].post - 80) < EPS);
	/* A, asi: its own pair. */
	assert_string_equal(out[3].bank, "asi");
	assert_false(out[3].has_pre);
}

/* Issue 14: participants are told apart by their id, not their name. */
static void test_pairs_by_participant(void **state)
{
	struct quiz_scored in[6];
	struct quiz_pair out[6];
	size_t n;
	(void)state;

	/* Two "Wati" without an account in one training, ids 1 and 2: two
	 * people, each with her own pre and post. A third entry without an
	 * id (an attempt from before ids) pairs by name, as before. */
	scored(&in[0], 0, "Wati", 7, "kms", QUIZ_PRE, 40);
	memset(in[0].participant, 1, 16);
	scored(&in[1], 0, "Wati", 7, "kms", QUIZ_PRE, 60);
	memset(in[1].participant, 2, 16);
	scored(&in[2], 0, "Wati", 7, "kms", QUIZ_POST, 80);
	memset(in[2].participant, 2, 16);
	in[2].pass = true;
	scored(&in[3], 0, "Wati", 7, "kms", QUIZ_POST, 50);
	memset(in[3].participant, 1, 16);
	scored(&in[4], 0, "Tini", 7, "kms", QUIZ_PRE, 30);
	scored(&in[5], 0, "Tini", 7, "kms", QUIZ_POST, 45);
	n = quiz_pairs(in, 6, out);
	assert_int_equal(n, 3);
	/* Wati #1: 40 -> 50; Wati #2: 60 -> 80, passed. */
	assert_memory_equal(out[0].participant, in[0].participant, 16);
	assert_true(fabs(out[0].pre - 40) < EPS && fabs(out[0].post - 50) < EPS);
	assert_false(out[0].post_pass);
	assert_memory_equal(out[1].participant, in[1].participant, 16);
	assert_true(fabs(out[1].pre - 60) < EPS && fabs(out[1].post - 80) < EPS);
	assert_true(out[1].post_pass);
	assert_string_equal(out[2].name, "Tini");
	assert_true(out[2].has_pre && out[2].has_post);
}

/* Results per posyandu: means over who has each test, the gain over who
 * has both, sorted by code with the unknown code last. */
static void test_by_posyandu(void **state)
{
	struct quiz_pair p[5];
	struct quiz_posyandu out[5];
	size_t n;
	(void)state;

	memset(p, 0, sizeof p);
	/* P-0002: pre 40, post 70 (passed); pre 60 only. P-0001: post 90
	 * only (passed). "": pre 20, post 30. P-0002 again: post 50. */
	snprintf(p[0].posyandu, sizeof p[0].posyandu, "P-0002");
	p[0].has_pre = p[0].has_post = p[0].post_pass = true;
	p[0].pre = 40, p[0].post = 70;
	snprintf(p[1].posyandu, sizeof p[1].posyandu, "P-0002");
	p[1].has_pre = true, p[1].pre = 60;
	snprintf(p[2].posyandu, sizeof p[2].posyandu, "P-0001");
	p[2].has_post = p[2].post_pass = true, p[2].post = 90;
	p[3].has_pre = p[3].has_post = true;
	p[3].pre = 20, p[3].post = 30;
	snprintf(p[4].posyandu, sizeof p[4].posyandu, "P-0002");
	p[4].has_post = true, p[4].post = 50;
	n = quiz_by_posyandu(p, 5, out);
	assert_int_equal(n, 3);
	assert_string_equal(out[0].code, "P-0001");
	assert_int_equal(out[0].people, 1);
	assert_int_equal(out[0].pre_n, 0);
	assert_int_equal(out[0].both_n, 0);
	assert_true(fabs(out[0].post_mean - 90) < EPS);
	assert_int_equal(out[0].post_passed, 1);
	/* P-0002: pre (40 + 60) / 2 = 50; post (70 + 50) / 2 = 60; gain over
	 * the one with both, 70 - 40 = 30 (not 60 - 50 = 10). */
	assert_string_equal(out[1].code, "P-0002");
	assert_int_equal(out[1].people, 3);
	assert_int_equal(out[1].pre_n, 2);
	assert_int_equal(out[1].post_n, 2);
	assert_int_equal(out[1].both_n, 1);
	assert_true(fabs(out[1].pre_mean - 50) < EPS);
	assert_true(fabs(out[1].post_mean - 60) < EPS);
	assert_true(fabs(out[1].gain_mean - 30) < EPS);
	assert_int_equal(out[1].post_passed, 1);
	assert_string_equal(out[2].code, "");
	assert_true(fabs(out[2].gain_mean - 10) < EPS);
	assert_int_equal(quiz_by_posyandu(p, 0, out), 0);
}

/* The roster: Ani of P-0001 and Ani of P-0002, neither with an account,
 * are two people; an event without a code still finds one by name. */
static void test_roster_by_posyandu(void **state)
{
	struct roster_row rows[4];
	struct roster_event e[3];
	size_t n = 0;
	(void)state;

	memset(rows, 0, sizeof rows);
	memset(e, 0, sizeof e);
	for (int i = 0; i < 3; i++) {
		e[i].kind = ROSTER_TRAINING;
		snprintf(e[i].name, sizeof e[i].name, "Ani");
		e[i].day = date_from_ymd(2024, 2, 5 + i);
	}
	snprintf(e[0].posyandu, sizeof e[0].posyandu, "P-0001");
	snprintf(e[1].posyandu, sizeof e[1].posyandu, "P-0002");
	quiz_roster_build(rows, &n, 4, e, 3, date_from_ymd(2024, 3, 1));
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].posyandu, "P-0001");
	assert_int_equal(rows[0].trainings, 2);               /* e[2] had no code */
	assert_string_equal(rows[1].posyandu, "P-0002");
	assert_int_equal(rows[1].trainings, 1);
}

/* ---- item analysis ---- */

static void test_item_analysis(void **state)
{
	struct quiz_bank b;
	struct quiz_answers resp[10];
	struct quiz_item it[7];
	int g;
	(void)state;

	make_bank(&b);
	make_responses(&b, resp);
	quiz_item_analysis(&b, resp, 10, it, &g);
	assert_int_equal(g, 3);

	/* Q1 (b): right r0 r1 r2 r3 r5 r7 = 6, p = 0.6. Upper r0 r1 r2 all
	 * right = 3; lower r7 right, r8 d, r9 a = 1; D = (3 - 1) / 3.
	 * Options: a r4 r9 = 2, b 6, c r6 = 1, d r8 = 1, no blank. */
	assert_int_equal(it[0].n, 10);
	assert_int_equal(it[0].right, 6);
	assert_true(fabs(it[0].p - 0.6) < EPS);
	assert_int_equal(it[0].upper_right, 3);
	assert_int_equal(it[0].lower_right, 1);
	assert_true(it[0].has_d);
	assert_true(fabs(it[0].d - 2.0 / 3) < EPS);
	assert_memory_equal(it[0].option, ((int[]){ 2, 6, 1, 1, 0, 0 }), 6 * sizeof(int));
	assert_int_equal(it[0].blank, 0);
	assert_int_equal(it[0].flags, 0);

	/* Q2 (a): right r0 r1 r2 r4 r6 = 5, p = 0.5; upper 3, lower 0 (r7
	 * blank, r8 b, r9 c): D = 1. Options a 5, b r5 r8 = 2, c r3 r9 = 2,
	 * blank r7 = 1. */
	assert_int_equal(it[1].right, 5);
	assert_true(fabs(it[1].p - 0.5) < EPS);
	assert_true(fabs(it[1].d - 1.0) < EPS);
	assert_memory_equal(it[1].option, ((int[]){ 5, 2, 2, 0, 0, 0 }), 6 * sizeof(int));
	assert_int_equal(it[1].blank, 1);

	/* Q3 (a+c): right r0 r1 r3 r4 = 4, p = 0.4; upper r0 r1 right, r2 chose
	 * only a = 2; lower 0: D = 2/3. Every option a response chose counts:
	 * a by r0 r1 r2 r3 r4 r5 r9 = 7, c by r0 r1 r3 r4 r5 r6 r8 = 7, d by
	 * r5 = 1, blank r7 = 1. */
	assert_int_equal(it[2].right, 4);
	assert_true(fabs(it[2].p - 0.4) < EPS);
	assert_int_equal(it[2].upper_right, 2);
	assert_int_equal(it[2].lower_right, 0);
	assert_true(fabs(it[2].d - 2.0 / 3) < EPS);
	assert_memory_equal(it[2].option, ((int[]){ 7, 0, 7, 1, 0, 0 }), 6 * sizeof(int));
	assert_int_equal(it[2].blank, 1);

	/* Q4 (b): right r0 r1 r2 r4 r5 r8 = 6, p = 0.6; upper 3, lower r8 = 1:
	 * D = 2/3. Options a r3 r6 r7 r9 = 4, b 6. */
	assert_int_equal(it[3].right, 6);
	assert_true(fabs(it[3].d - 2.0 / 3) < EPS);
	assert_memory_equal(it[3].option, ((int[]){ 4, 6, 0, 0, 0, 0 }), 6 * sizeof(int));

	/* Q5 (d): right r0 r2 r3 r6 = 4, p = 0.4; upper r0 r2 = 2, lower 0:
	 * D = 2/3. Options a r5 r7 = 2, b r8 = 1, c r1 r9 = 2, d 4, blank r4. */
	assert_int_equal(it[4].right, 4);
	assert_true(fabs(it[4].d - 2.0 / 3) < EPS);
	assert_memory_equal(it[4].option, ((int[]){ 2, 1, 2, 4, 0, 0 }), 6 * sizeof(int));
	assert_int_equal(it[4].blank, 1);

	/* Q6 (c): everyone right, p = 1.0 > 0.90: too easy; D = (3 - 3) / 3 = 0,
	 * which is not negative. */
	assert_int_equal(it[5].right, 10);
	assert_true(fabs(it[5].p - 1.0) < EPS);
	assert_true(fabs(it[5].d) < EPS);
	assert_int_equal(it[5].flags, QUIZ_FLAG_EASY);

	/* Q7 (a): only r9 right, p = 0.1 < 0.30: too hard; upper 0, lower 1
	 * (r9): D = -1/3: negative. Options a 1, b r0 r1 r3 r6 = 4, c r2 r5 = 2,
	 * d r4 r8 = 2, blank r7. */
	assert_int_equal(it[6].right, 1);
	assert_true(fabs(it[6].p - 0.1) < EPS);
	assert_int_equal(it[6].upper_right, 0);
	assert_int_equal(it[6].lower_right, 1);
	assert_true(fabs(it[6].d + 1.0 / 3) < EPS);
	assert_int_equal(it[6].flags, QUIZ_FLAG_HARD | QUIZ_FLAG_NEG_D);
	assert_memory_equal(it[6].option, ((int[]){ 1, 4, 2, 2, 0, 0 }), 6 * sizeof(int));
	assert_int_equal(it[6].blank, 1);
	quiz_bank_free(&b);
}

static void test_topic_mastery(void **state)
{
	struct quiz_bank b;
	struct quiz_answers resp[10];
	struct quiz_item it[7];
	struct quiz_topic t[7];
	size_t nt;
	(void)state;

	make_bank(&b);
	make_responses(&b, resp);
	quiz_item_analysis(&b, resp, 10, it, NULL);
	nt = quiz_topics(&b, it, t);
	/* In order of first appearance: kms (Q1 Q2 Q7), asi (Q3 Q4), imun (Q5 Q6).
	 * kms: (6 + 5 + 1) / 30 = 0.4; asi: (4 + 6) / 20 = 0.5;
	 * imun: (4 + 10) / 20 = 0.7. */
	assert_int_equal(nt, 3);
	assert_string_equal(t[0].topic, "kms");
	assert_int_equal(t[0].questions, 3);
	assert_int_equal(t[0].responses, 30);
	assert_int_equal(t[0].right, 12);
	assert_true(fabs(t[0].mastery - 0.4) < EPS);
	assert_string_equal(t[1].topic, "asi");
	assert_true(fabs(t[1].mastery - 0.5) < EPS);
	assert_string_equal(t[2].topic, "imun");
	assert_int_equal(t[2].right, 14);
	assert_true(fabs(t[2].mastery - 0.7) < EPS);
	quiz_bank_free(&b);
}

static void test_group_size_and_small_n(void **state)
{
	struct quiz_bank b;
	struct quiz_answers resp[10];
	struct quiz_item it[7];
	int g;
	(void)state;

	make_bank(&b);
	make_responses(&b, resp);
	/* g = round(0.27 N) half up, at least 1: N=2 -> 0.54 -> 1, N=4 -> 1.08
	 * -> 1, N=6 -> 1.62 -> 2. N=1: no D at all. */
	quiz_item_analysis(&b, resp, 2, it, &g);
	assert_int_equal(g, 1);
	/* r0 over r1: Q5 r0 right, r1 wrong -> D = 1; Q1 both right -> D = 0. */
	assert_true(fabs(it[4].d - 1.0) < EPS);
	assert_true(fabs(it[0].d) < EPS);
	quiz_item_analysis(&b, resp, 4, it, &g);
	assert_int_equal(g, 1);
	quiz_item_analysis(&b, resp, 6, it, &g);
	assert_int_equal(g, 2);
	quiz_item_analysis(&b, resp, 1, it, &g);
	assert_int_equal(g, 0);
	assert_false(it[0].has_d);
	/* Fewer than 5 attempts raise no flag, even for Q6 that all got right. */
	quiz_item_analysis(&b, resp, 4, it, &g);
	assert_true(fabs(it[5].p - 1.0) < EPS);
	assert_int_equal(it[5].flags, 0);
	quiz_bank_free(&b);
}

/* Equal totals keep submission order: with r1 (5 right) and r2 (5 right)
 * and g = 1 over {r1, r2}, r1 is the upper group, r2 the lower. On Q3 r1 is
 * right and r2 is not: D = 1; on Q5 r2 is right and r1 is not: D = -1. */
static void test_ties_keep_submission_order(void **state)
{
	struct quiz_bank b;
	struct quiz_answers resp[10], two[2];
	struct quiz_item it[7];
	int g;
	(void)state;

	make_bank(&b);
	make_responses(&b, resp);
	two[0] = resp[1];
	two[1] = resp[2];
	quiz_item_analysis(&b, two, 2, it, &g);
	assert_true(fabs(it[2].d - 1.0) < EPS);
	assert_true(fabs(it[4].d + 1.0) < EPS);
	two[0] = resp[2];
	two[1] = resp[1];
	quiz_item_analysis(&b, two, 2, it, &g);
	assert_true(fabs(it[2].d + 1.0) < EPS);
	quiz_bank_free(&b);
}

/* ---- answering ---- */

static void test_choose_single_and_multi(void **state)
{
	struct quiz_bank b;
	struct quiz_answers a;
	(void)state;

	make_bank(&b);
	quiz_answers_init(&a, &b, 0);
	assert_int_equal(quiz_choose(&b, &a, 0, 1), 0);    /* Q1: b */
	assert_int_equal(a.chosen[0], mask("b"));
	assert_int_equal(quiz_choose(&b, &a, 0, 3), 0);    /* one answer: d replaces b */
	assert_int_equal(a.chosen[0], mask("d"));
	assert_true(quiz_is_multi(&b.q[2]));
	assert_false(quiz_is_multi(&b.q[0]));
	assert_int_equal(quiz_choose(&b, &a, 2, 0), 0);    /* Q3 toggles: a */
	assert_int_equal(quiz_choose(&b, &a, 2, 2), 0);    /* a + c */
	assert_int_equal(a.chosen[2], mask("ac"));
	assert_int_equal(quiz_choose(&b, &a, 2, 0), 0);    /* a off again */
	assert_int_equal(a.chosen[2], mask("c"));
	assert_int_equal(quiz_choose(&b, &a, 1, 3), -1);   /* Q2 has 3 options */
	assert_int_equal(quiz_choose(&b, &a, 7, 0), -1);   /* no Q8 */
	assert_int_equal(quiz_count_answered(&a), 2);
	a.marked[4] = 1;
	assert_int_equal(quiz_count_marked(&a), 1);
	quiz_bank_free(&b);
}

static void test_shuffle_and_time(void **state)
{
	struct quiz_bank b;
	struct quiz_answers a1, a2;
	int seen[7] = { 0 };
	(void)state;

	make_bank(&b);
	quiz_answers_init(&a1, &b, 42);
	for (int i = 0; i < 7; i++)
		assert_int_equal(a1.order[i], i);        /* no shuffle: bank order */
	b.shuffle = true;
	quiz_answers_init(&a1, &b, 42);
	quiz_answers_init(&a2, &b, 42);
	assert_memory_equal(a1.order, a2.order, 7);  /* same seed, same order */
	for (int i = 0; i < 7; i++)
		seen[a1.order[i]]++;
	for (int i = 0; i < 7; i++)
		assert_int_equal(seen[i], 1);            /* a permutation */

	assert_int_equal(quiz_remaining_s(&b, 100), -1);   /* no limit */
	b.time_limit_min = 20;
	assert_int_equal(quiz_remaining_s(&b, 100), 1100);  /* 1200 - 100 */
	assert_int_equal(quiz_remaining_s(&b, 2000), 0);
	quiz_bank_free(&b);
}

static void test_parse_choice(void **state)
{
	uint8_t m = 0;
	struct err err = { 0 };
	char buf[8];
	(void)state;

	assert_int_equal(quiz_parse_choice("a, c", 4, &m, &err), 0);
	assert_int_equal(m, mask("ac"));
	assert_int_equal(quiz_parse_choice("AC", 4, &m, &err), 0);
	assert_int_equal(m, mask("ac"));
	assert_int_equal(quiz_parse_choice("1 3", 4, &m, &err), 0);
	assert_int_equal(m, mask("ac"));
	assert_int_equal(quiz_parse_choice(" ", 4, &m, &err), -1);
	assert_int_equal(err.code, ERR_REQUIRED);
	assert_int_equal(quiz_parse_choice("g", 4, &m, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(quiz_parse_choice("e", 4, &m, &err), -1);   /* only a-d */
	assert_int_equal(err.code, ERR_RANGE);
	assert_string_equal(quiz_format_choice(mask("acf"), buf), "acf");
	assert_string_equal(quiz_format_choice(0, buf), "");
}

static void test_sheet(void **state)
{
	struct quiz_bank b;
	struct quiz_answers a;
	struct err err = { 0 };
	struct quiz_result r;
	(void)state;

	make_bank(&b);
	/* r5's row of the table, written as a trainer keys it. */
	assert_int_equal(quiz_sheet_parse(&b, "b b [acd] b a c c", &a, &err), 0);
	assert_int_equal(a.chosen[2], mask("acd"));
	quiz_score(&b, &a, &r);
	assert_int_equal(r.right, 3);
	/* r7's row with blanks, packed together and with digits. */
	assert_int_equal(quiz_sheet_parse(&b, "2-.13-", &a, &err), -1);   /* 6 symbols */
	assert_int_equal(err.code, ERR_RANGE);
	assert_string_equal(err.field, "sheet-count");
	assert_int_equal(quiz_sheet_parse(&b, "2-.113-", &a, &err), 0);
	assert_int_equal(a.chosen[0], mask("b"));
	assert_int_equal(a.chosen[1], 0);
	assert_int_equal(a.chosen[3], mask("a"));
	assert_int_equal(a.chosen[5], mask("c"));
	assert_int_equal(quiz_sheet_parse(&b, "bxacbdcb", &a, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_string_equal(err.field, "sheet");
	assert_non_null(strstr(err.detail, "question 2"));
	assert_int_equal(quiz_sheet_parse(&b, "bdacbdca", &a, &err), -1);   /* Q2: a-c only */
	assert_int_equal(err.code, ERR_RANGE);
	assert_non_null(strstr(err.detail, "question 2"));
	b.shuffle = true;                         /* paper keeps the bank order */
	assert_int_equal(quiz_sheet_parse(&b, "2-.113-", &a, &err), 0);
	for (int i = 0; i < 7; i++)
		assert_int_equal(a.order[i], i);
	b.shuffle = false;
	assert_int_equal(quiz_sheet_parse(&b, "ba[ac", &a, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(quiz_sheet_parse(&b, "bacbdcaa", &a, &err), -1);   /* 8 answers */
	assert_int_equal(err.code, ERR_RANGE);
	quiz_bank_free(&b);
}

static void test_bank_check(void **state)
{
	struct quiz_bank b;
	struct err err = { 0 };
	int v;
	bool yes;
	(void)state;

	make_bank(&b);
	assert_int_equal(quiz_bank_check(&b, &err), 0);
	b.q[3].correct = mask("c");                /* Q4 has only a and b */
	assert_int_equal(quiz_bank_check(&b, &err), -1);
	assert_string_equal(err.field, "answer");
	b.q[3].correct = mask("b");
	snprintf(b.q[6].id, sizeof b.q[6].id, "q1");
	assert_int_equal(quiz_bank_check(&b, &err), -1);
	assert_int_equal(err.code, ERR_EXISTS);
	snprintf(b.q[6].id, sizeof b.q[6].id, "q7");
	b.q[0].noptions = 1;
	assert_int_equal(quiz_bank_check(&b, &err), -1);
	assert_string_equal(err.field, "options");
	b.q[0].noptions = 4;
	b.pass_mark = 101;
	assert_int_equal(quiz_bank_check(&b, &err), -1);
	quiz_bank_free(&b);

	assert_int_equal(quiz_valid_id("kms-dasar_2", &err), 0);
	assert_int_equal(quiz_valid_id("KMS", &err), -1);
	assert_int_equal(quiz_valid_id("", &err), -1);
	assert_int_equal(quiz_parse_int(" 70 ", 0, 100, &v, &err), 0);
	assert_int_equal(v, 70);
	assert_int_equal(quiz_parse_int("7O", 0, 100, &v, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(quiz_parse_int("-5", 0, 100, &v, &err), -1);
	assert_int_equal(quiz_parse_int("150", 0, 100, &v, &err), -1);
	assert_int_equal(err.code, ERR_RANGE);
	assert_int_equal(quiz_parse_bool("Ya", &yes, &err), 0);
	assert_true(yes);
	assert_int_equal(quiz_parse_bool("no", &yes, &err), 0);
	assert_false(yes);
	assert_int_equal(quiz_parse_bool("mungkin", &yes, &err), -1);
	assert_int_equal(quiz_kind_from_code("post"), QUIZ_POST);
	assert_int_equal(quiz_kind_from_code("final"), -1);
}

/* ---- roster ---- */

static void test_three_months(void **state)
{
	(void)state;
	/* 31 May minus 3 months is 29 February in a leap year (clamped). */
	assert_int_equal(quiz_months_before(date_from_ymd(2024, 5, 31), 3), date_from_ymd(2024, 2, 29));
	assert_int_equal(quiz_months_before(date_from_ymd(2024, 3, 15), 3), date_from_ymd(2023, 12, 15));
	/* Today 15-03-2024: active on 15-12-2023 is within three months; the day
	 * before is not. Never active is inactive. */
	assert_false(quiz_roster_inactive(date_from_ymd(2023, 12, 15), date_from_ymd(2024, 3, 15)));
	assert_true(quiz_roster_inactive(date_from_ymd(2023, 12, 14), date_from_ymd(2024, 3, 15)));
	assert_true(quiz_roster_inactive(DATE_NONE, date_from_ymd(2024, 3, 15)));
}

static void ev(struct roster_event *e, int kind, uint8_t id, const char *name, int y, int m, int d)
{
	memset(e, 0, sizeof *e);
	e->kind = kind;
	if (id)
		memset(e->user, id, 16);
	snprintf(e->name, sizeof e->name, "%s", name);
	e->day = date_from_ymd(y, m, d);
}

static void test_roster(void **state)
{
	struct roster_row rows[4];
	struct roster_event e[11];
	size_t n = 2;
	(void)state;

	memset(rows, 0, sizeof rows);
	memset(rows[0].user, 1, 16);
	snprintf(rows[0].name, sizeof rows[0].name, "Sri");
	rows[0].role = 1;
	memset(rows[1].user, 2, 16);
	snprintf(rows[1].name, sizeof rows[1].name, "Ani");
	rows[1].role = 3;
	ev(&e[0], ROSTER_ADDED, 1, "", 2024, 1, 1);
	ev(&e[1], ROSTER_LOGIN, 1, "", 2024, 1, 10);
	ev(&e[2], ROSTER_TRAINING, 1, "", 2024, 2, 5);
	ev(&e[3], ROSTER_ATTEMPT, 1, "", 2024, 2, 5);
	snprintf(e[3].bank, sizeof e[3].bank, "kms");
	e[3].qkind = QUIZ_PRE;
	e[3].percent = 40;
	ev(&e[4], ROSTER_ATTEMPT, 1, "", 2024, 2, 5);      /* same day, later: the last */
	snprintf(e[4].bank, sizeof e[4].bank, "kms");
	e[4].qkind = QUIZ_POST;
	e[4].percent = 80;
	e[4].pass = true;
	ev(&e[5], ROSTER_TRAINING, 0, "Wati", 2024, 2, 5);  /* no account */
	ev(&e[6], ROSTER_TRAINING, 0, "sri", 2024, 3, 1);   /* by name: Sri's account */
	ev(&e[7], ROSTER_ADDED, 2, "", 2024, 1, 1);
	ev(&e[8], ROSTER_TRAINING, 0, "SRI", 2023, 12, 1);  /* trained before her account */
	ev(&e[9], ROSTER_DUTY, 1, "", 2024, 2, 20);         /* on duty at the desk twice */
	ev(&e[10], ROSTER_DUTY, 1, "", 2024, 1, 20);
	quiz_roster_build(rows, &n, 4, e, 11, date_from_ymd(2024, 6, 20));

	/* Today 20-06-2024: three months back is 20-03-2024. */
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].start, date_from_ymd(2023, 12, 1));   /* the first event */
	assert_int_equal(rows[0].trainings, 3);
	assert_int_equal(rows[0].last_training, date_from_ymd(2024, 3, 1));
	assert_int_equal(rows[0].duty, 2);
	assert_int_equal(rows[0].last_duty, date_from_ymd(2024, 2, 20));
	assert_true(rows[0].has_score);
	assert_int_equal(rows[0].qkind, QUIZ_POST);
	assert_true(fabs(rows[0].percent - 80) < EPS);
	assert_true(rows[0].pass);
	assert_int_equal(rows[0].last_active, date_from_ymd(2024, 3, 1));
	assert_true(rows[0].inactive);                  /* 01-03 < 20-03 */
	assert_int_equal(rows[1].start, date_from_ymd(2024, 1, 1));
	assert_int_equal(rows[1].trainings, 0);
	assert_int_equal(rows[1].last_active, date_from_ymd(2024, 1, 1));
	assert_true(rows[1].inactive);
	assert_string_equal(rows[2].name, "Wati");
	assert_int_equal(rows[2].role, 0);
	assert_int_equal(rows[2].start, date_from_ymd(2024, 2, 5));
	assert_int_equal(rows[2].trainings, 1);
	assert_false(rows[2].has_score);

	/* A login on 19-06-2024 makes Ani active. */
	n = 2;
	ev(&e[0], ROSTER_LOGIN, 2, "", 2024, 6, 19);
	quiz_roster_build(rows, &n, 4, e, 1, date_from_ymd(2024, 6, 20));
	assert_false(rows[1].inactive);
	assert_int_equal(rows[1].start, date_from_ymd(2024, 6, 19));
	assert_int_equal(rows[0].trainings, 0);           /* recomputed, not added up */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_score_each_person),
		cmocka_unit_test(test_pass_mark_boundary),
		cmocka_unit_test(test_gain),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_item_analysis),
		cmocka_unit_test(test_topic_mastery),
		cmocka_unit_test(test_group_size_and_small_n),
		cmocka_unit_test(test_ties_keep_submission_order),
		cmocka_unit_test(test_choose_single_and_multi),
		cmocka_unit_test(test_shuffle_and_time),
		cmocka_unit_test(test_parse_choice),
		cmocka_unit_test(test_sheet),
		cmocka_unit_test(test_bank_check),
		cmocka_unit_test(test_three_months),
		cmocka_unit_test(test_roster),
		cmocka_unit_test(test_pairs_by_participant),
		cmocka_unit_test(test_by_posyandu),
		cmocka_unit_test(test_roster_by_posyandu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
