/* storage/quiz_ini.c: reading and checking a question-bank INI file with
 * iniparser (the format is man/posyandu-quiz.5; the interface is in
 * storage/quiz_store.h). */
#include "storage/quiz_store.h"
#include "storage/quiz_internal.h"

#include <errno.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"


/* The keys a section may hold; anything else is reported (a typo such as
 * "anwser" would otherwise lose the answer without a word). */
static const char *const bank_keys[] = {
	"id", "version", "title", "language", "pass_mark", "time_limit", "shuffle", NULL,
};
static const char *const question_keys[] = {
	"text", "a", "b", "c", "d", "e", "f", "answer", "topic", "explain", NULL,
};

struct scan_key {
	char section[QUIZ_ID_MAX + 8];
	char key[32];
	int line;
};

struct reader {
	const char *path;
	struct quiz_problem *probs;
	size_t nprobs, capprobs;
	bool nomem;
	/* What the line scan saw, in file order. */
	struct scan_key *keys;
	size_t nkeys, capkeys;
	struct scan_key *secs;             /* key[0] unused */
	size_t nsecs, capsecs;
};

static void problem(struct reader *r, const char *section, const char *key, int line,
		    enum err_code code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void problem(struct reader *r, const char *section, const char *key, int line,
		    enum err_code code, const char *field, const char *fmt, ...)
{
	struct quiz_problem *p;
	va_list ap;

	if (r->nprobs == r->capprobs) {
		size_t ncap = r->capprobs ? r->capprobs * 2 : 16;
		struct quiz_problem *grown = realloc(r->probs, ncap * sizeof *grown);
		if (!grown) {
			r->nomem = true;
			return;
		}
		r->probs = grown;
		r->capprobs = ncap;
	}
	p = &r->probs[r->nprobs++];
	memset(p, 0, sizeof *p);
	snprintf(p->file, sizeof p->file, "%s", r->path);
	snprintf(p->section, sizeof p->section, "%s", section ? section : "");
	snprintf(p->key, sizeof p->key, "%s", key ? key : "");
	p->line = line;
	p->err.code = code;
	p->err.field = field;
	va_start(ap, fmt);
	vsnprintf(p->err.detail, sizeof p->err.detail, fmt, ap);
	va_end(ap);
	for (char *c = p->err.detail; *c; c++)      /* iniparser's messages span lines */
		if (*c == '\n' || *c == '\r')
			*c = ' ';
}

static void lower_trim(char *dst, size_t size, const char *src, size_t n)
{
	size_t k = 0;
	while (n && (*src == ' ' || *src == '\t')) {
		src++;
		n--;
	}
	while (n && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		dst[k++] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i]);
	dst[k] = '\0';
}

/* Line numbers of sections and keys, and what iniparser would silently
 * merge: a section or a key written twice. */
static int scan_lines(struct reader *r, struct err *err)
{
	FILE *f = fopen(r->path, "r");
	char *line = NULL, cur[QUIZ_ID_MAX + 8] = "";
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	bool cont = false;

	if (!f)
		return err_set(err, ERR_IO, "quiz-file", "%s: %s", r->path, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *p = line;
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (cont) {
			cont = len && line[len - 1] == '\\';
			continue;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == ';' || *p == '#')
			continue;
		cont = len && line[len - 1] == '\\';
		if (*p == '[') {
			char *close = strchr(p, ']');
			if (!close)
				continue;          /* iniparser reports the syntax error */
			lower_trim(cur, sizeof cur, p + 1, (size_t)(close - p - 1));
			for (size_t i = 0; i < r->nsecs; i++)
				if (strcmp(r->secs[i].section, cur) == 0) {
					problem(r, cur, "", lineno, ERR_EXISTS, "quiz-section",
						"section [%s] also on line %d", cur, r->secs[i].line);
					goto next;
				}
			if (grow((void **)&r->secs, &r->capsecs, r->nsecs, sizeof *r->secs) < 0)
				goto nomem;
			memset(&r->secs[r->nsecs], 0, sizeof r->secs[0]);
			snprintf(r->secs[r->nsecs].section, sizeof r->secs[0].section, "%s", cur);
			r->secs[r->nsecs++].line = lineno;
		} else {
			size_t klen = strcspn(p, "=");
			struct scan_key k;
			memset(&k, 0, sizeof k);
			snprintf(k.section, sizeof k.section, "%s", cur);
			lower_trim(k.key, sizeof k.key, p, klen);
			k.line = lineno;
			if (!cur[0]) {
				problem(r, "", k.key, lineno, ERR_FORMAT, "quiz-unknown",
					"key before any section");
				continue;
			}
			for (size_t i = 0; i < r->nkeys; i++)
				if (strcmp(r->keys[i].section, cur) == 0 &&
				    strcmp(r->keys[i].key, k.key) == 0) {
					problem(r, cur, k.key, lineno, ERR_EXISTS, "quiz-key",
						"also on line %d", r->keys[i].line);
					goto next;
				}
			if (grow((void **)&r->keys, &r->capkeys, r->nkeys, sizeof *r->keys) < 0)
				goto nomem;
			r->keys[r->nkeys++] = k;
		}
next:;
	}
	free(line);
	fclose(f);
	return 0;
nomem:
	free(line);
	fclose(f);
	return err_set(err, ERR_NOMEM, NULL, "out of memory");
}

static int key_line(const struct reader *r, const char *section, const char *key)
{
	for (size_t i = 0; i < r->nkeys; i++)
		if (strcmp(r->keys[i].section, section) == 0 && strcmp(r->keys[i].key, key) == 0)
			return r->keys[i].line;
	for (size_t i = 0; i < r->nsecs; i++)
		if (strcmp(r->secs[i].section, section) == 0)
			return r->secs[i].line;
	return 0;
}

static char ini_error[256];
static int capture_ini_error(const char *fmt, ...)
{
	va_list ap;
	if (ini_error[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_error, sizeof ini_error, fmt, ap);
	va_end(ap);
	return 0;
}

/* The value of SECTION:KEY, or NULL when absent. */
static const char *ini_get(dictionary *ini, const char *section, const char *key)
{
	char full[QUIZ_ID_MAX + 48];
	snprintf(full, sizeof full, "%s:%s", section, key);
	return iniparser_getstring(ini, full, NULL);
}

/* Copy a text value; a problem when it is missing (and REQUIRED) or too long. */
static void get_text(struct reader *r, dictionary *ini, const char *sec, const char *key,
		     char *dst, size_t size, bool required)
{
	const char *v = ini_get(ini, sec, key);
	dst[0] = '\0';
	if (!v || !*v) {
		if (required)
			problem(r, sec, key, key_line(r, sec, key), ERR_REQUIRED, "quiz-missing",
				"required");
		return;
	}
	if (strlen(v) >= size) {
		problem(r, sec, key, key_line(r, sec, key), ERR_RANGE, "quiz-length",
			"%zu bytes, at most %zu", strlen(v), size - 1);
		return;
	}
	memcpy(dst, v, strlen(v) + 1);
}

static void get_number(struct reader *r, dictionary *ini, const char *sec, const char *key,
		       int min, int max, int def, bool required, int *out, const char *field)
{
	const char *v = ini_get(ini, sec, key);
	struct err e = { 0 };

	*out = def;
	if (!v || !*v) {
		if (required)
			problem(r, sec, key, key_line(r, sec, key), ERR_REQUIRED, "quiz-missing",
				"required");
		return;
	}
	if (quiz_parse_int(v, min, max, out, &e) < 0) {
		problem(r, sec, key, key_line(r, sec, key), e.code, field, "%s", e.detail);
		*out = def;
	}
}

static void check_keys(struct reader *r, const char *sec, const char *const *allowed)
{
	for (size_t i = 0; i < r->nkeys; i++) {
		bool ok = false;
		if (strcmp(r->keys[i].section, sec) != 0)
			continue;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(*a, r->keys[i].key) == 0;
		if (!ok)
			problem(r, sec, r->keys[i].key, r->keys[i].line, ERR_FORMAT, "quiz-unknown",
				"unknown key");
	}
}

static void read_bank_section(struct reader *r, dictionary *ini, struct quiz_bank *b)
{
	const char *v;
	struct err e = { 0 };

	check_keys(r, "bank", bank_keys);
	get_text(r, ini, "bank", "id", b->id, sizeof b->id, true);
	if (b->id[0] && quiz_valid_id(b->id, &e) < 0)
		problem(r, "bank", "id", key_line(r, "bank", "id"), e.code, "quiz-id", "%s", e.detail);
	get_number(r, ini, "bank", "version", 1, 1000000, 0, true, &b->version, "quiz-version");
	get_text(r, ini, "bank", "title", b->title, sizeof b->title, true);
	get_text(r, ini, "bank", "language", b->language, sizeof b->language, false);
	if (!b->language[0])
		snprintf(b->language, sizeof b->language, "id");
	else if (strcmp(b->language, "id") != 0 && strcmp(b->language, "en") != 0)
		problem(r, "bank", "language", key_line(r, "bank", "language"), ERR_FORMAT,
			"quiz-language", "\"%s\"", b->language);
	get_number(r, ini, "bank", "pass_mark", 0, 100, 0, true, &b->pass_mark, "quiz-pass_mark");
	get_number(r, ini, "bank", "time_limit", 0, 600, 0, false, &b->time_limit_min,
		   "quiz-time_limit");
	if ((v = ini_get(ini, "bank", "shuffle")) && *v && quiz_parse_bool(v, &b->shuffle, &e) < 0)
		problem(r, "bank", "shuffle", key_line(r, "bank", "shuffle"), ERR_FORMAT, "quiz-bool",
			"%s", e.detail);
}

static void read_question(struct reader *r, dictionary *ini, const char *sec,
			  struct quiz_question *q)
{
	struct err e = { 0 };
	const char *ans;
	int last = -1;

	memset(q, 0, sizeof *q);
	check_keys(r, sec, question_keys);
	if (quiz_valid_id(sec, &e) < 0)
		problem(r, sec, "", key_line(r, sec, ""), e.code, "quiz-id", "%s", e.detail);
	snprintf(q->id, sizeof q->id, "%s", sec);
	get_text(r, ini, sec, "text", q->text, sizeof q->text, true);
	get_text(r, ini, sec, "topic", q->topic, sizeof q->topic, true);
	get_text(r, ini, sec, "explain", q->explain, sizeof q->explain, false);
	for (int i = 0; i < QUIZ_MAX_OPTIONS; i++) {
		char k[2] = { (char)('a' + i), 0 };
		const char *v = ini_get(ini, sec, k);
		if (v && *v) {
			get_text(r, ini, sec, k, q->option[i], sizeof q->option[i], true);
			last = i;
		}
	}
	for (int i = 0; i < last; i++)
		if (!q->option[i][0]) {
			char k[2] = { (char)('a' + i), 0 };
			problem(r, sec, k, key_line(r, sec, k), ERR_RANGE, "quiz-options",
				"option %c is missing before option %c", 'a' + i, 'a' + last);
		}
	q->noptions = last + 1;
	if (q->noptions < 2)
		problem(r, sec, "", key_line(r, sec, ""), ERR_RANGE, "quiz-options",
			"%d option(s); a question needs 2 to 6", q->noptions);
	ans = ini_get(ini, sec, "answer");
	if (!ans || !*ans) {
		problem(r, sec, "answer", key_line(r, sec, "answer"), ERR_REQUIRED, "quiz-missing",
			"required");
	} else if (q->noptions >= 2 && quiz_parse_choice(ans, q->noptions, &q->correct, &e) < 0) {
		problem(r, sec, "answer", key_line(r, sec, "answer"), e.code,
			e.code == ERR_REQUIRED ? "quiz-missing" : "quiz-answer", "%s", e.detail);
	}
}

int quizstore_read_ini(const char *path, struct quiz_bank *b, struct quiz_problem **probs,
		       size_t *nprobs, struct err *err)
{
	struct reader r;
	dictionary *ini = NULL;
	bool have_bank = false;
	size_t nq = 0;

	memset(&r, 0, sizeof r);
	memset(b, 0, sizeof *b);
	*probs = NULL;
	*nprobs = 0;
	r.path = path;
	if (scan_lines(&r, err) < 0) {
		free(r.keys);
		free(r.secs);
		free(r.probs);
		return -1;
	}
	ini_error[0] = '\0';
	iniparser_set_error_callback(capture_ini_error);
	ini = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	if (!ini || ini_error[0]) {
		problem(&r, "", "", 0, ERR_FORMAT, "quiz-syntax", "%s",
			ini_error[0] ? ini_error : "cannot be read");
		goto out;
	}
	for (size_t i = 0; i < r.nsecs; i++) {
		if (strcmp(r.secs[i].section, "bank") == 0)
			have_bank = true;
		else
			nq++;
	}
	if (!have_bank)
		problem(&r, "bank", "", 0, ERR_REQUIRED, "quiz-missing", "no [bank] section");
	else
		read_bank_section(&r, ini, b);
	if (nq == 0)
		problem(&r, "", "", 0, ERR_REQUIRED, "quiz-questions", "no questions");
	else if (nq > QUIZ_MAX_QUESTIONS)
		problem(&r, "", "", 0, ERR_RANGE, "quiz-questions", "%zu questions, at most %d", nq,
			QUIZ_MAX_QUESTIONS);
	else if (!(b->q = calloc(nq, sizeof *b->q)))
		r.nomem = true;
	else
		for (size_t i = 0; i < r.nsecs; i++)
			if (strcmp(r.secs[i].section, "bank") != 0)
				read_question(&r, ini, r.secs[i].section, &b->q[b->n++]);
	if (!r.nprobs && !r.nomem) {
		struct err e = { 0 };
		if (quiz_bank_check(b, &e) < 0)      /* the core rules, once more as a whole */
			problem(&r, "", "", 0, e.code, "quiz-bank", "%s", e.detail);
	}
out:
	if (ini)
		iniparser_freedict(ini);
	free(r.keys);
	free(r.secs);
	if (r.nomem) {
		free(r.probs);
		quiz_bank_free(b);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	if (r.nprobs) {
		/* In file order (stable); problems of the whole file last. */
		for (size_t i = 1; i < r.nprobs; i++) {
			struct quiz_problem p = r.probs[i];
			size_t j = i;
			int pl = p.line ? p.line : INT32_MAX;
			while (j > 0 && (r.probs[j - 1].line ? r.probs[j - 1].line : INT32_MAX) > pl) {
				r.probs[j] = r.probs[j - 1];
				j--;
			}
			r.probs[j] = p;
		}
		quiz_bank_free(b);
		*probs = r.probs;
		*nprobs = r.nprobs;
		return err_set(err, ERR_FORMAT, "quiz-file", "%s: %zu problem(s)", path, r.nprobs);
	}
	free(r.probs);
	return 0;
}
