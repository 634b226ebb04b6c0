/* core/quiz.c: scoring and item analysis (the rules are in core/quiz.h). */
#include "core/quiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define N_(s) (s)    /* English msgids for xgettext (-kN_); core never translates */

static const struct {
	const char *code;
	const char *label;         /* msgid */
} kinds[] = {
	[QUIZ_PRE] = { "pre", N_("pre-test") },
	[QUIZ_POST] = { "post", N_("post-test") },
	[QUIZ_PRACTICE] = { "practice", N_("practice") },
};

const char *quiz_kind_code(int kind)
{
	return kind >= QUIZ_PRE && kind <= QUIZ_PRACTICE ? kinds[kind].code : "?";
}

const char *quiz_kind_label(int kind)
{
	return kind >= QUIZ_PRE && kind <= QUIZ_PRACTICE ? kinds[kind].label : "?";
}

int quiz_kind_from_code(const char *s)
{
	for (int k = QUIZ_PRE; k <= QUIZ_PRACTICE; k++)
		if (strcmp(s, kinds[k].code) == 0)
			return k;
	return -1;
}

void quiz_bank_free(struct quiz_bank *b)
{
	if (!b)
		return;
	free(b->q);
	memset(b, 0, sizeof *b);
}

static int popcount8(uint8_t m)
{
	int n = 0;
	for (; m; m &= (uint8_t)(m - 1))
		n++;
	return n;
}

bool quiz_is_multi(const struct quiz_question *q)
{
	return popcount8(q->correct) > 1;
}

/* ---- answers ---- */

/* splitmix64: a small, well-mixed generator; the order needs no secrecy. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void quiz_answers_init(struct quiz_answers *a, const struct quiz_bank *b, uint64_t seed)
{
	memset(a, 0, sizeof *a);
	a->n = (int)(b->n > QUIZ_MAX_QUESTIONS ? QUIZ_MAX_QUESTIONS : b->n);
	for (int i = 0; i < a->n; i++)
		a->order[i] = (uint8_t)i;
	if (!b->shuffle)
		return;
	for (int i = a->n - 1; i > 0; i--) {           /* Fisher-Yates */
		int j = (int)(next_rand(&seed) % (uint64_t)(i + 1));
		uint8_t t = a->order[i];
		a->order[i] = a->order[j];
		a->order[j] = t;
	}
}

int quiz_choose(const struct quiz_bank *b, struct quiz_answers *a, int q, int opt)
{
	const struct quiz_question *qq;

	if (q < 0 || q >= a->n || (size_t)q >= b->n)
		return -1;
	qq = &b->q[q];
	if (opt < 0 || opt >= qq->noptions)
		return -1;
	if (quiz_is_multi(qq))
		a->chosen[q] ^= (uint8_t)(1u << opt);
	else
		a->chosen[q] = (uint8_t)(1u << opt);
	return 0;
}

int quiz_count_answered(const struct quiz_answers *a)
{
	int n = 0;
	for (int i = 0; i < a->n; i++)
		n += a->chosen[i] != 0;
	return n;
}

int quiz_count_marked(const struct quiz_answers *a)
{
	int n = 0;
	for (int i = 0; i < a->n; i++)
		n += a->marked[i] != 0;
	return n;
}

int quiz_remaining_s(const struct quiz_bank *b, int32_t elapsed_s)
{
	int32_t left;
	if (b->time_limit_min <= 0)
		return -1;
	left = b->time_limit_min * 60 - (elapsed_s > 0 ? elapsed_s : 0);
	return left > 0 ? (int)left : 0;
}

/* Option index of one symbol: a-f, A-F or 1-6; -1 for anything else. */
static int symbol_option(char c)
{
	if (c >= 'a' && c <= 'f')
		return c - 'a';
	if (c >= 'A' && c <= 'F')
		return c - 'A';
	if (c >= '1' && c <= '6')
		return c - '1';
	return -1;
}

int quiz_parse_choice(const char *s, int noptions, uint8_t *mask, struct err *err)
{
	uint8_t m = 0;

	for (; *s; s++) {
		int o;
		if (*s == ' ' || *s == '\t' || *s == ',')
			continue;
		if ((o = symbol_option(*s)) < 0)
			return err_set(err, ERR_FORMAT, "answer", "'%c' is not an option letter", *s);
		if (o >= noptions)
			return err_set(err, ERR_RANGE, "answer", "option %c is not among the %d options",
				       'a' + o, noptions);
		m |= (uint8_t)(1u << o);
	}
	if (!m)
		return err_set(err, ERR_REQUIRED, "answer", "no option given");
	*mask = m;
	return 0;
}

char *quiz_format_choice(uint8_t mask, char *buf)
{
	int k = 0;
	for (int i = 0; i < QUIZ_MAX_OPTIONS; i++)
		if (mask & (1u << i))
			buf[k++] = (char)('a' + i);
	buf[k] = '\0';
	return buf;
}

int quiz_sheet_parse(const struct quiz_bank *b, const char *line, struct quiz_answers *a,
		     struct err *err)
{
	int q = 0;

	quiz_answers_init(a, b, 0);
	for (int i = 0; i < a->n; i++)
		a->order[i] = (uint8_t)i;          /* paper is in bank order, even in a shuffled bank */
	for (const char *p = line; *p; p++) {
		uint8_t m = 0;
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (q >= a->n)
			return err_set(err, ERR_RANGE, "sheet-count", "more than %d answers", a->n);
		if (*p == '-' || *p == '.') {
			q++;
			continue;
		}
		if (*p == '[') {
			for (p++; *p && *p != ']'; p++) {
				int o = symbol_option(*p);
				if (*p == ' ' || *p == ',')
					continue;
				if (o < 0)
					return err_set(err, ERR_FORMAT, "sheet",
						       "question %d: '%c' is not an option", q + 1, *p);
				if (o >= b->q[q].noptions)
					return err_set(err, ERR_RANGE, "sheet",
						       "question %d has no option %c", q + 1, 'a' + o);
				m |= (uint8_t)(1u << o);
			}
			if (!*p)
				return err_set(err, ERR_FORMAT, "sheet", "question %d: '[' without ']'",
					       q + 1);
		} else {
			int o = symbol_option(*p);
			if (o < 0)
				return err_set(err, ERR_FORMAT, "sheet", "question %d: '%c' is not an option",
					       q + 1, *p);
			if (o >= b->q[q].noptions)
				return err_set(err, ERR_RANGE, "sheet", "question %d has no option %c",
					       q + 1, 'a' + o);
			m = (uint8_t)(1u << o);
		}
		a->chosen[q++] = m;
	}
	if (q != a->n)
		return err_set(err, ERR_RANGE, "sheet-count", "%d answers for %d questions", q, a->n);
	return 0;
}

/* ---- scoring ---- */

bool quiz_is_right(uint8_t chosen, uint8_t correct)
{
	return chosen != 0 && chosen == correct;
}

bool quiz_passes(int right, int total, int pass_mark)
{
	return total > 0 && (long)right * 100 >= (long)pass_mark * total;
}

void quiz_score(const struct quiz_bank *b, const struct quiz_answers *a, struct quiz_result *r)
{
	memset(r, 0, sizeof *r);
	r->total = (int)b->n;
	for (int i = 0; i < r->total && i < a->n; i++) {
		r->answered += a->chosen[i] != 0;
		if (quiz_is_right(a->chosen[i], b->q[i].correct)) {
			r->ok[i] = 1;
			r->right++;
		}
	}
	r->percent = r->total ? 100.0 * r->right / r->total : 0.0;
	r->pass = quiz_passes(r->right, r->total, b->pass_mark);
}

void quiz_gain(double pre_percent, double post_percent, struct quiz_gain *g)
{
	g->gain = post_percent - pre_percent;
	g->has_ngain = pre_percent < 100.0;
	g->ngain = g->has_ngain ? g->gain / (100.0 - pre_percent) : 0.0;
}

static bool zero16(const uint8_t *u)
{
	for (int i = 0; i < 16; i++)
		if (u[i])
			return false;
	return true;
}

static bool same_person(const struct quiz_pair *p, const struct quiz_scored *s)
{
	const uint8_t *wa = p->who, *wb = s->who;
	const char *na = p->name, *nb = s->name;

	/* Participant ids decide when both have one: two people of one name
	 * stay two (issue 14). */
	if (!zero16(p->participant) && !zero16(s->participant))
		return memcmp(p->participant, s->participant, 16) == 0;
	if (!zero16(wa) || !zero16(wb))
		return memcmp(wa, wb, 16) == 0;
	return strcmp(na, nb) == 0;
}

size_t quiz_pairs(const struct quiz_scored *in, size_t n, struct quiz_pair *out)
{
	size_t np = 0;

	for (size_t i = 0; i < n; i++) {
		const struct quiz_scored *s = &in[i];
		struct quiz_pair *p = NULL;
		if (s->kind != QUIZ_PRE && s->kind != QUIZ_POST)
			continue;
		for (size_t k = 0; k < np && !p; k++)
			if (same_person(&out[k], s) &&
			    memcmp(out[k].training, s->training, 16) == 0 &&
			    strcmp(out[k].bank, s->bank) == 0)
				p = &out[k];
		if (!p) {
			p = &out[np++];
			memset(p, 0, sizeof *p);
			memcpy(p->participant, s->participant, 16);
			snprintf(p->posyandu, sizeof p->posyandu, "%s", s->posyandu);
			memcpy(p->who, s->who, 16);
			snprintf(p->name, sizeof p->name, "%s", s->name);
			memcpy(p->training, s->training, 16);
			snprintf(p->bank, sizeof p->bank, "%s", s->bank);
		}
		if (s->kind == QUIZ_PRE) {
			p->has_pre = true;
			p->pre = s->percent;
		} else {
			p->has_post = true;
			p->post = s->percent;
			p->post_pass = s->pass;
		}
	}
	for (size_t k = 0; k < np; k++)
		if (out[k].has_pre && out[k].has_post)
			quiz_gain(out[k].pre, out[k].post, &out[k].g);
	return np;
}

/* By code, the unknown code "" last. */
static int by_code(const void *x, const void *y)
{
	const struct quiz_posyandu *a = x, *b = y;
	if (!a->code[0] || !b->code[0])
		return (a->code[0] == '\0') - (b->code[0] == '\0');
	return strcmp(a->code, b->code);
}

size_t quiz_by_posyandu(const struct quiz_pair *p, size_t n, struct quiz_posyandu *out)
{
	size_t ng = 0;

	for (size_t i = 0; i < n; i++) {
		struct quiz_posyandu *g = NULL;
		for (size_t k = 0; k < ng && !g; k++)
			if (strcmp(out[k].code, p[i].posyandu) == 0)
				g = &out[k];
		if (!g) {
			g = memset(&out[ng++], 0, sizeof *out);
			snprintf(g->code, sizeof g->code, "%s", p[i].posyandu);
		}
		g->people++;
		if (p[i].has_pre) {
			g->pre_n++;
			g->pre_mean += p[i].pre;
		}
		if (p[i].has_post) {
			g->post_n++;
			g->post_mean += p[i].post;
			g->post_passed += p[i].post_pass;
		}
		if (p[i].has_pre && p[i].has_post) {
			g->both_n++;
			g->gain_mean += p[i].post - p[i].pre;
		}
	}
	for (size_t k = 0; k < ng; k++) {
		if (out[k].pre_n)
			out[k].pre_mean /= out[k].pre_n;
		if (out[k].post_n)
			out[k].post_mean /= out[k].post_n;
		if (out[k].both_n)
			out[k].gain_mean /= out[k].both_n;
	}
	if (ng > 1)
		qsort(out, ng, sizeof *out, by_code);
	return ng;
}

/* ---- item analysis ---- */

struct ranked {
	size_t idx;
	int total;
};

/* Highest total first; equal totals keep the given (submission) order. */
static int by_total(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

void quiz_item_analysis(const struct quiz_bank *b, const struct quiz_answers *resp,
			size_t nresp, struct quiz_item *items, int *group)
{
	struct ranked *rank = NULL;
	int g = 0;

	memset(items, 0, b->n * sizeof *items);
	for (size_t r = 0; r < nresp; r++) {
		for (size_t q = 0; q < b->n && (int)q < resp[r].n; q++) {
			struct quiz_item *it = &items[q];
			uint8_t c = resp[r].chosen[q];
			it->n++;
			if (!c)
				it->blank++;
			for (int o = 0; o < QUIZ_MAX_OPTIONS; o++)
				if (c & (1u << o))
					it->option[o]++;
			if (quiz_is_right(c, b->q[q].correct))
				it->right++;
		}
	}
	for (size_t q = 0; q < b->n; q++)
		items[q].p = items[q].n ? (double)items[q].right / items[q].n : 0.0;

	/* g = round(0.27 N), half up, in integers so no rounding surprises. */
	if (nresp >= 2 && (rank = calloc(nresp, sizeof *rank))) {
		g = (int)((27 * nresp + 50) / 100);
		if (g < 1)
			g = 1;
		for (size_t r = 0; r < nresp; r++) {
			struct quiz_result res;
			quiz_score(b, &resp[r], &res);
			rank[r].idx = r;
			rank[r].total = res.right;
		}
		if (nresp > 1)
			qsort(rank, nresp, sizeof *rank, by_total);
		for (size_t q = 0; q < b->n; q++) {
			struct quiz_item *it = &items[q];
			for (int k = 0; k < g; k++) {
				const struct quiz_answers *up = &resp[rank[k].idx];
				const struct quiz_answers *lo = &resp[rank[nresp - 1 - (size_t)k].idx];
				it->upper_right += quiz_is_right(up->chosen[q], b->q[q].correct);
				it->lower_right += quiz_is_right(lo->chosen[q], b->q[q].correct);
			}
			it->has_d = true;
			it->d = (double)(it->upper_right - it->lower_right) / g;
		}
		free(rank);
	} else {
		g = 0;
	}
	if (nresp >= QUIZ_FLAG_MIN_N) {
		for (size_t q = 0; q < b->n; q++) {
			struct quiz_item *it = &items[q];
			if (it->p > QUIZ_EASY_P)
				it->flags |= QUIZ_FLAG_EASY;
			if (it->p < QUIZ_HARD_P)
				it->flags |= QUIZ_FLAG_HARD;
			if (it->has_d && it->d < 0)
				it->flags |= QUIZ_FLAG_NEG_D;
		}
	}
	if (group)
		*group = g;
}

size_t quiz_topics(const struct quiz_bank *b, const struct quiz_item *items,
		   struct quiz_topic *out)
{
	size_t nt = 0;

	for (size_t q = 0; q < b->n; q++) {
		size_t t;
		for (t = 0; t < nt; t++)
			if (strcmp(out[t].topic, b->q[q].topic) == 0)
				break;
		if (t == nt) {
			memset(&out[nt], 0, sizeof out[nt]);
			snprintf(out[nt].topic, sizeof out[nt].topic, "%s", b->q[q].topic);
			nt++;
		}
		out[t].questions++;
		out[t].responses += items[q].n;
		out[t].right += items[q].right;
	}
	for (size_t t = 0; t < nt; t++)
		out[t].mastery = out[t].responses ? (double)out[t].right / out[t].responses : 0.0;
	return nt;
}

/* ---- validation ---- */

int quiz_valid_id(const char *s, struct err *err)
{
	size_t n = strlen(s);
	if (!n)
		return err_set(err, ERR_REQUIRED, "id", "empty id");
	if (n >= QUIZ_ID_MAX)
		return err_set(err, ERR_RANGE, "id", "longer than %d characters", QUIZ_ID_MAX - 1);
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return err_set(err, ERR_FORMAT, "id", "only a-z, 0-9, '-' and '_' are allowed");
	return 0;
}

int quiz_parse_int(const char *s, int min, int max, int *out, struct err *err)
{
	long v = 0;
	const char *p = s;
	bool digits = false;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p >= '0' && *p <= '9'; p++) {
		digits = true;
		v = v * 10 + (*p - '0');
		if (v > 1000000)
			break;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (!digits || *p)
		return err_set(err, ERR_FORMAT, NULL, "\"%s\" is not a whole number", s);
	if (v < min || v > max)
		return err_set(err, ERR_RANGE, NULL, "%ld is outside %d-%d", v, min, max);
	*out = (int)v;
	return 0;
}

int quiz_parse_bool(const char *s, bool *out, struct err *err)
{
	static const char *const yes[] = { "yes", "true", "1", "ya", "y" };
	static const char *const no[] = { "no", "false", "0", "tidak", "n" };
	char buf[8];
	size_t n = 0;

	for (const char *p = s; *p && n < sizeof buf - 1; p++)
		if (*p != ' ' && *p != '\t')
			buf[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcmp(buf, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(buf, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return err_set(err, ERR_FORMAT, NULL, "\"%s\" is not yes or no", s);
}

int quiz_bank_check(const struct quiz_bank *b, struct err *err)
{
	if (quiz_valid_id(b->id, err) < 0)
		return -1;
	if (b->version < 1)
		return err_set(err, ERR_RANGE, "version", "version must be 1 or more");
	if (b->pass_mark < 0 || b->pass_mark > 100)
		return err_set(err, ERR_RANGE, "pass_mark", "pass mark outside 0-100");
	if (b->time_limit_min < 0)
		return err_set(err, ERR_RANGE, "time_limit", "negative time limit");
	if (b->n < 1 || b->n > QUIZ_MAX_QUESTIONS)
		return err_set(err, ERR_RANGE, "questions", "a bank has 1-%d questions",
			       QUIZ_MAX_QUESTIONS);
	for (size_t i = 0; i < b->n; i++) {
		const struct quiz_question *q = &b->q[i];
		if (quiz_valid_id(q->id, err) < 0)
			return -1;
		if (!q->text[0])
			return err_set(err, ERR_REQUIRED, "text", "question %s has no text", q->id);
		if (q->noptions < 2 || q->noptions > QUIZ_MAX_OPTIONS)
			return err_set(err, ERR_RANGE, "options", "question %s has %d options", q->id,
				       q->noptions);
		if (!q->correct || (q->correct >> q->noptions))
			return err_set(err, ERR_RANGE, "answer",
				       "question %s: the answer is not among its options", q->id);
		for (size_t j = 0; j < i; j++)
			if (strcmp(b->q[j].id, q->id) == 0)
				return err_set(err, ERR_EXISTS, "id", "question id %s twice", q->id);
	}
	return 0;
}
