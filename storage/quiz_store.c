/* storage/quiz_store.c: question banks from INI files, trainings and
 * sealed quiz attempts (the design is in storage/quiz_store.h). */
#include "storage/quiz_store.h"
#include "storage/internal.h"

#include <errno.h>
#include <iniparser.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "storage/codec.h"
#include "core/banned.h"

#define BANK_DOMAIN "posyandu/v1/quizbank"
#define ATTKEY_DOMAIN "posyandu/v1/quizatt"
#define ANSWERS_DOMAIN "posyandu/v1/quizans"
#define META_PK "quiz.box_pk"
#define META_ATT "quiz.att."
#define AEAD_NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_A crypto_aead_xchacha20poly1305_ietf_ABYTES

/* ================================================================ */
/* Reading a bank file                                              */
/* ================================================================ */

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

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 32;
	void *g = realloc(*arr, ncap * size);
	if (!g)
		return -1;
	*arr = g;
	*cap = ncap;
	return 0;
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

/* ================================================================ */
/* JSON helpers                                                     */
/* ================================================================ */

static void set_s(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

static void set_uuid_opt(json_t *o, const char *k, const uint8_t u[16])
{
	char buf[UUID_STRLEN];
	if (!uuid_is_zero(u))
		set_s(o, k, uuid_format(u, buf));
}

/* {"a": author, "t": time, "d": D}, canonical; free with codec_free. */
static char *wrap_payload(struct store *s, json_t *d)
{
	json_t *root = json_object();
	char buf[UUID_STRLEN];
	char *out;

	set_s(root, "a", uuid_format(s->user.uuid, buf));
	json_object_set_new(root, "t", json_integer((json_int_t)time(NULL)));
	json_object_set_new(root, "d", d);
	out = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(root);
	return out;
}

/* The "d" object of a payload, with a reference the caller drops. */
static json_t *open_d(const char *json, size_t len, json_t **root, struct err *err)
{
	json_error_t je;
	json_t *d;

	*root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	d = *root ? json_object_get(*root, "d") : NULL;
	if (!json_is_object(d)) {
		json_decref(*root);
		*root = NULL;
		err_set(err, ERR_FORMAT, NULL, "quiz payload has no data");
		return NULL;
	}
	return d;
}

struct jdec {
	json_t *o;
	struct err *err;
	int bad;
};

static void jbad(struct jdec *x, const char *k, const char *what)
{
	if (!x->bad++)
		err_set(x->err, ERR_FORMAT, NULL, "quiz payload field \"%s\": %s", k, what);
}

static void jstr(struct jdec *x, const char *k, char *dst, size_t size, bool required)
{
	json_t *v = json_object_get(x->o, k);
	dst[0] = '\0';
	if (!v) {
		if (required)
			jbad(x, k, "missing");
		return;
	}
	if (!json_is_string(v) || json_string_length(v) >= size ||
	    memchr(json_string_value(v), 0, json_string_length(v))) {
		jbad(x, k, "not a string of the allowed length");
		return;
	}
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
}

static long long jint(struct jdec *x, const char *k, long long min, long long max)
{
	json_t *v = json_object_get(x->o, k);
	if (!v)
		return min;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		jbad(x, k, "not an integer in range");
		return min;
	}
	return json_integer_value(v);
}

static bool jbool(struct jdec *x, const char *k)
{
	json_t *v = json_object_get(x->o, k);
	if (v && !json_is_boolean(v))
		jbad(x, k, "not a boolean");
	return v && json_is_true(v);
}

static void juuid(struct jdec *x, const char *k, uint8_t u[16], bool required)
{
	char buf[UUID_STRLEN];
	memset(u, 0, 16);
	jstr(x, k, buf, sizeof buf, required);
	if (buf[0] && uuid_parse(buf, u) < 0)
		jbad(x, k, "not a uuid");
}

static int32_t jdate(struct jdec *x, const char *k)
{
	char buf[DATE_BUFSZ + 1];
	int32_t day;
	jstr(x, k, buf, sizeof buf, true);
	if (!buf[0] || date_parse(buf, &day, NULL) < 0) {
		jbad(x, k, "not a date");
		return DATE_NONE;
	}
	return day;
}

/* ---- banks ---- */

static json_t *bank_json(const struct quiz_bank *b)
{
	json_t *d = json_object(), *qs = json_array();

	set_s(d, "id", b->id);
	json_object_set_new(d, "version", json_integer(b->version));
	set_s(d, "title", b->title);
	set_s(d, "language", b->language);
	json_object_set_new(d, "pass_mark", json_integer(b->pass_mark));
	json_object_set_new(d, "time_limit", json_integer(b->time_limit_min));
	json_object_set_new(d, "shuffle", json_boolean(b->shuffle));
	for (size_t i = 0; i < b->n; i++) {
		const struct quiz_question *q = &b->q[i];
		json_t *o = json_object(), *opts = json_array();
		char ans[8];
		set_s(o, "id", q->id);
		set_s(o, "topic", q->topic);
		set_s(o, "text", q->text);
		for (int k = 0; k < q->noptions; k++)
			json_array_append_new(opts, json_string(q->option[k]));
		json_object_set_new(o, "options", opts);
		set_s(o, "answer", quiz_format_choice(q->correct, ans));
		if (q->explain[0])
			set_s(o, "explain", q->explain);
		json_array_append_new(qs, o);
	}
	json_object_set_new(d, "questions", qs);
	return d;
}

static int bank_from_json(json_t *d, struct quiz_bank *b, struct err *err)
{
	struct jdec x = { d, err, 0 };
	json_t *qs = json_object_get(d, "questions");
	size_t i;
	json_t *o;

	memset(b, 0, sizeof *b);
	jstr(&x, "id", b->id, sizeof b->id, true);
	b->version = (int)jint(&x, "version", 1, 1000000);
	jstr(&x, "title", b->title, sizeof b->title, true);
	jstr(&x, "language", b->language, sizeof b->language, false);
	b->pass_mark = (int)jint(&x, "pass_mark", 0, 100);
	b->time_limit_min = (int)jint(&x, "time_limit", 0, 600);
	b->shuffle = jbool(&x, "shuffle");
	if (!json_is_array(qs) || json_array_size(qs) < 1 ||
	    json_array_size(qs) > QUIZ_MAX_QUESTIONS) {
		jbad(&x, "questions", "not a list of 1-200");
		return -1;
	}
	if (x.bad || !(b->q = calloc(json_array_size(qs), sizeof *b->q))) {
		if (!x.bad)
			err_set(err, ERR_NOMEM, NULL, "out of memory");
		return -1;
	}
	json_array_foreach(qs, i, o) {
		struct quiz_question *q = &b->q[b->n++];
		struct jdec y = { o, err, 0 };
		json_t *opts = json_object_get(o, "options"), *e;
		char ans[16];
		size_t k;
		if (!json_is_object(o) || !json_is_array(opts) || json_array_size(opts) < 2 ||
		    json_array_size(opts) > QUIZ_MAX_OPTIONS) {
			jbad(&x, "questions", "a question is malformed");
			break;
		}
		jstr(&y, "id", q->id, sizeof q->id, true);
		jstr(&y, "topic", q->topic, sizeof q->topic, true);
		jstr(&y, "text", q->text, sizeof q->text, true);
		jstr(&y, "explain", q->explain, sizeof q->explain, false);
		json_array_foreach(opts, k, e) {
			struct jdec z = { NULL, err, 0 };
			if (!json_is_string(e) || json_string_length(e) >= QUIZ_OPTION_MAX) {
				jbad(&z, "options", "not a string of the allowed length");
				y.bad++;
				break;
			}
			memcpy(q->option[k], json_string_value(e), json_string_length(e) + 1);
		}
		q->noptions = (int)json_array_size(opts);
		jstr(&y, "answer", ans, sizeof ans, true);
		if (!y.bad && quiz_parse_choice(ans, q->noptions, &q->correct, err) < 0)
			y.bad++;
		if (y.bad) {
			x.bad++;
			break;
		}
	}
	if (x.bad || quiz_bank_check(b, err) < 0) {
		quiz_bank_free(b);
		return -1;
	}
	return 0;
}

/* ================================================================ */
/* Keys                                                             */
/* ================================================================ */

static int need_keys(struct store *s, struct err *err)
{
	return s->keys ? 0 : err_set(err, ERR_DENIED, NULL, "store is locked");
}

static int meta_set(struct store *s, const char *key, const void *v, size_t n, struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "meta");
}

/* *FOUND false (and 0 returned) when KEY is absent or of another size. */
static int meta_get(struct store *s, const char *key, void *out, size_t size, bool *found,
		    struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	*found = false;
	if (db_prepare(s->db, "SELECT value FROM meta WHERE key = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == (int)size) {
		memcpy(out, sqlite3_column_blob(st, 0), size);
		*found = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "meta");
}

static int meta_del(struct store *s, const char *key, struct err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "DELETE FROM meta WHERE key = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "meta");
}

/* The quiz box key pair, derived from K_quiz (trainer, admin). */
static int quiz_keypair(struct store *s, uint8_t pk[32], uint8_t *sk, struct err *err)
{
	uint8_t seed[crypto_box_SEEDBYTES], skbuf[crypto_box_SECRETKEYBYTES];

	if (!s->keys->has_quiz)
		return err_set(err, ERR_DENIED, NULL, "needs the quiz key");
	crypto_kdf_derive_from_key(seed, sizeof seed, 1, "pyquizkp", s->keys->quiz);
	crypto_box_seed_keypair(pk, skbuf, seed);
	if (sk)
		memcpy(sk, skbuf, sizeof skbuf);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(skbuf, sizeof skbuf);
	return 0;
}

/* The public key attempts are sealed to. A session with the quiz key
 * derives it and keeps meta up to date; a kader reads it from meta. */
static int quiz_public_key(struct store *s, uint8_t pk[32], struct err *err)
{
	uint8_t stored[32];
	bool found;

	if (meta_get(s, META_PK, stored, sizeof stored, &found, err) < 0)
		return -1;
	if (s->keys->has_quiz) {
		if (quiz_keypair(s, pk, NULL, err) < 0)
			return -1;
		if (!found || sodium_memcmp(stored, pk, 32) != 0)
			return meta_set(s, META_PK, pk, 32, err);
		return 0;
	}
	if (!found)
		return err_set(err, ERR_NOTFOUND, "quiz-key", "no quiz key on this device yet");
	memcpy(pk, stored, 32);
	return 0;
}

static void att_meta_name(const uint8_t uuid[16], char *buf, size_t size)
{
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, uuid, 16);
	snprintf(buf, size, "%s%s", META_ATT, hex);
}

static void att_meta_ad(const uint8_t uuid[16], uint8_t *ad)
{
	memcpy(ad, ATTKEY_DOMAIN, sizeof ATTKEY_DOMAIN - 1);
	memcpy(ad + sizeof ATTKEY_DOMAIN - 1, uuid, 16);
}

#define ATT_AD_LEN (sizeof ATTKEY_DOMAIN - 1 + 16)
#define ATT_META_LEN (AEAD_NPUB + 32 + AEAD_A)

/* Keep K_att on this device, sealed under a subkey of K_data. */
static int att_key_keep(struct store *s, const uint8_t uuid[16], const uint8_t key[32],
			struct err *err)
{
	uint8_t sub[32], ad[ATT_AD_LEN], blob[ATT_META_LEN];
	char name[64];
	int rc;

	crypto_kdf_derive_from_key(sub, sizeof sub, 2, "pyquizat", s->keys->data);
	att_meta_ad(uuid, ad);
	randombytes_buf(blob, AEAD_NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + AEAD_NPUB, NULL, key, 32, ad, sizeof ad,
						   NULL, blob, sub);
	sodium_memzero(sub, sizeof sub);
	att_meta_name(uuid, name, sizeof name);
	rc = meta_set(s, name, blob, sizeof blob, err);
	return rc;
}

/* 1 with KEY filled when this device keeps the attempt's key, 0 when not. */
static int att_key_find(struct store *s, const uint8_t uuid[16], uint8_t key[32], struct err *err)
{
	uint8_t sub[32], ad[ATT_AD_LEN], blob[ATT_META_LEN];
	char name[64];
	bool found;
	int rc;

	att_meta_name(uuid, name, sizeof name);
	if (meta_get(s, name, blob, sizeof blob, &found, err) < 0)
		return -1;
	if (!found)
		return 0;
	crypto_kdf_derive_from_key(sub, sizeof sub, 2, "pyquizat", s->keys->data);
	att_meta_ad(uuid, ad);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, blob + AEAD_NPUB,
							 sizeof blob - AEAD_NPUB, ad, sizeof ad,
							 blob, sub);
	sodium_memzero(sub, sizeof sub);
	if (rc != 0)
		return err_set(err, ERR_CRYPTO, NULL, "attempt key does not authenticate");
	return 1;
}

/* ================================================================ */
/* Banks                                                            */
/* ================================================================ */

static void bank_uuid(const char *id, int version, uint8_t out[16])
{
	crypto_generichash_state h;
	char v[16];
	snprintf(v, sizeof v, "%d", version);
	crypto_generichash_init(&h, NULL, 0, 16);
	crypto_generichash_update(&h, (const uint8_t *)BANK_DOMAIN, sizeof BANK_DOMAIN);
	crypto_generichash_update(&h, (const uint8_t *)id, strlen(id) + 1);
	crypto_generichash_update(&h, (const uint8_t *)v, strlen(v));
	crypto_generichash_final(&h, out, 16);
}

struct bank_scan {
	const uint8_t *uuid;           /* find this one, or NULL: list */
	const char *id;                /* find the highest version of this id */
	int version;                   /* with ID: this version, 0 = highest */
	struct quiz_bank *found;       /* the decoded bank (when finding) */
	uint8_t found_uuid[16];
	int found_version;
	json_t *found_d;               /* a reference to its "d" (bank_put) */
	struct quizstore_bank_info *list;
	size_t n, cap;
};

static int bank_each(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		     struct err *err)
{
	struct bank_scan *sc = ctx;
	json_t *root, *d = open_d(json, len, &root, err);
	struct quiz_bank b;

	if (!d)
		return -1;
	if (bank_from_json(d, &b, err) < 0) {
		json_decref(root);
		return -1;
	}
	if (sc->uuid && memcmp(sc->uuid, m->uuid, 16) == 0) {
		quiz_bank_free(sc->found);
		*sc->found = b;
		memcpy(sc->found_uuid, m->uuid, 16);
		if (sc->found_d)
			json_decref(sc->found_d);
		sc->found_d = json_incref(d);
		json_decref(root);
		return 0;
	}
	if (sc->id && strcmp(sc->id, b.id) == 0 &&
	    (sc->version ? b.version == sc->version : b.version > sc->found_version)) {
		quiz_bank_free(sc->found);
		*sc->found = b;
		sc->found_version = b.version;
		memcpy(sc->found_uuid, m->uuid, 16);
		json_decref(root);
		return 0;
	}
	if (!sc->uuid && !sc->id) {
		struct quizstore_bank_info *bi;
		if (grow((void **)&sc->list, &sc->cap, sc->n, sizeof *sc->list) < 0) {
			quiz_bank_free(&b);
			json_decref(root);
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		}
		bi = &sc->list[sc->n++];
		memset(bi, 0, sizeof *bi);
		memcpy(bi->uuid, m->uuid, 16);
		snprintf(bi->id, sizeof bi->id, "%s", b.id);
		bi->version = b.version;
		snprintf(bi->title, sizeof bi->title, "%s", b.title);
		bi->questions = (int)b.n;
		bi->pass_mark = b.pass_mark;
		bi->time_limit_min = b.time_limit_min;
	}
	quiz_bank_free(&b);
	json_decref(root);
	return 0;
}

int quizstore_bank_put(struct store *s, const struct quiz_bank *b, bool *same, struct err *err)
{
	struct bank_scan sc;
	struct quiz_bank old;
	struct draft d;
	uint8_t uuid[16], pk[32];
	json_t *dj;
	char *json;
	int rc;

	*same = false;
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	if (!s->keys->has_quiz)
		return err_set(err, ERR_DENIED, NULL, "importing a bank needs a trainer or admin");
	if (quiz_bank_check(b, err) < 0)
		return -1;
	if (quiz_public_key(s, pk, err) < 0)    /* kader sessions will seal to it */
		return -1;
	bank_uuid(b->id, b->version, uuid);
	memset(&sc, 0, sizeof sc);
	memset(&old, 0, sizeof old);
	sc.uuid = uuid;
	sc.found = &old;
	sc.found_d = json_null();               /* ask bank_each for the "d" too */
	if (record_each_current(s, REC_QUIZ_BANK, bank_each, &sc, err) < 0) {
		quiz_bank_free(&old);
		json_decref(sc.found_d);
		return -1;
	}
	dj = bank_json(b);
	if (old.n) {
		*same = json_equal(dj, sc.found_d);
		quiz_bank_free(&old);
		json_decref(sc.found_d);
		json_decref(dj);
		if (*same)
			return 0;
		return err_set(err, ERR_EXISTS, "quiz-bank", "bank %s version %d exists with other content",
			       b->id, b->version);
	}
	json_decref(sc.found_d);
	if (!(json = wrap_payload(s, dj)))
		return err_set(err, ERR_NOMEM, NULL, "encode");
	store_draft_new(&d);
	memcpy(d.uuid, uuid, 16);
	rc = record_put(s, &d, REC_QUIZ_BANK, NULL, -1, false, json, strlen(json), err);
	codec_free(json);
	return rc;
}

static int by_id_version(const void *x, const void *y)
{
	const struct quizstore_bank_info *a = x, *b = y;
	int c = strcmp(a->id, b->id);
	return c ? c : (a->version > b->version) - (a->version < b->version);
}

int quizstore_banks(struct store *s, struct quizstore_bank_info **out, size_t *n,
		    struct err *err)
{
	struct bank_scan sc;

	*out = NULL;
	*n = 0;
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	memset(&sc, 0, sizeof sc);
	if (s->keys->has_quiz) {
		/* Best effort: keep the quiz public key in meta for kader sessions
		 * (banks may have come by sync, without an import here). */
		uint8_t pk[32];
		struct err ignore = { 0 };
		(void)quiz_public_key(s, pk, &ignore);
	}
	if (record_each_current(s, REC_QUIZ_BANK, bank_each, &sc, err) < 0) {
		free(sc.list);
		return -1;
	}
	qsort(sc.list, sc.n, sizeof *sc.list, by_id_version);
	*out = sc.list;
	*n = sc.n;
	return 0;
}

int quizstore_bank_get(struct store *s, const char *id, int version, struct quiz_bank *b,
		       uint8_t uuid[16], struct err *err)
{
	struct bank_scan sc;

	memset(b, 0, sizeof *b);
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	memset(&sc, 0, sizeof sc);
	sc.id = id;
	sc.version = version;
	sc.found = b;
	if (record_each_current(s, REC_QUIZ_BANK, bank_each, &sc, err) < 0) {
		quiz_bank_free(b);
		return -1;
	}
	if (!b->n)
		return err_set(err, ERR_NOTFOUND, "quiz-bank", "no bank %s", id);
	if (uuid)
		memcpy(uuid, sc.found_uuid, 16);
	return 0;
}

int quizstore_bank_by_uuid(struct store *s, const uint8_t uuid[16], struct quiz_bank *b,
			   struct err *err)
{
	struct bank_scan sc;

	memset(b, 0, sizeof *b);
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	memset(&sc, 0, sizeof sc);
	sc.uuid = uuid;
	sc.found = b;
	if (record_each_current(s, REC_QUIZ_BANK, bank_each, &sc, err) < 0) {
		quiz_bank_free(b);
		json_decref(sc.found_d);
		return -1;
	}
	json_decref(sc.found_d);
	if (!b->n)
		return err_set(err, ERR_NOTFOUND, "quiz-bank", "no such bank");
	return 0;
}

/* ================================================================ */
/* Trainings                                                        */
/* ================================================================ */

static json_t *training_json(const struct quiz_training *t)
{
	json_t *d = json_object(), *ps = json_array(), *rs = json_array();
	char day[DATE_BUFSZ];

	set_s(d, "title", t->title);
	set_s(d, "date", date_format_iso(t->date, day));
	if (t->place[0])
		set_s(d, "place", t->place);
	if (t->trainer[0])
		set_s(d, "trainer", t->trainer);
	for (size_t i = 0; i < t->np; i++) {
		json_t *o = json_object();
		set_uuid_opt(o, "user", t->p[i].user);
		set_s(o, "name", t->p[i].name);
		json_array_append_new(ps, o);
	}
	for (size_t i = 0; i < t->nruns; i++) {
		const struct quiz_run *r = &t->runs[i];
		json_t *o = json_object();
		set_uuid_opt(o, "bank", r->bank);
		set_s(o, "bank_id", r->bank_id);
		json_object_set_new(o, "bank_version", json_integer(r->bank_version));
		set_s(o, "kind", quiz_kind_code(r->kind));
		json_object_set_new(o, "open", json_boolean(r->open));
		json_array_append_new(rs, o);
	}
	json_object_set_new(d, "participants", ps);
	json_object_set_new(d, "runs", rs);
	return d;
}

static int training_from_json(json_t *d, struct quiz_training *t, struct err *err)
{
	struct jdec x = { d, err, 0 };
	json_t *ps = json_object_get(d, "participants"), *rs = json_object_get(d, "runs"), *o;
	size_t i;

	memset(t, 0, sizeof *t);
	jstr(&x, "title", t->title, sizeof t->title, true);
	t->date = jdate(&x, "date");
	jstr(&x, "place", t->place, sizeof t->place, false);
	jstr(&x, "trainer", t->trainer, sizeof t->trainer, false);
	if (!json_is_array(ps) || json_array_size(ps) > QUIZ_MAX_PARTICIPANTS)
		jbad(&x, "participants", "not a list of at most 100");
	if (!json_is_array(rs) || json_array_size(rs) > QUIZ_MAX_RUNS)
		jbad(&x, "runs", "not a list of at most 16");
	if (x.bad)
		return -1;
	json_array_foreach(ps, i, o) {
		struct jdec y = { o, err, 0 };
		juuid(&y, "user", t->p[i].user, false);
		jstr(&y, "name", t->p[i].name, sizeof t->p[i].name, true);
		if (y.bad || !json_is_object(o))
			return -1;
		t->np++;
	}
	json_array_foreach(rs, i, o) {
		struct jdec y = { o, err, 0 };
		struct quiz_run *r = &t->runs[i];
		char kind[16];
		juuid(&y, "bank", r->bank, true);
		jstr(&y, "bank_id", r->bank_id, sizeof r->bank_id, true);
		r->bank_version = (int)jint(&y, "bank_version", 1, 1000000);
		jstr(&y, "kind", kind, sizeof kind, true);
		if ((r->kind = quiz_kind_from_code(kind)) < 0)
			jbad(&y, "kind", "unknown kind");
		r->open = jbool(&y, "open");
		if (y.bad || !json_is_object(o))
			return -1;
		t->nruns++;
	}
	return 0;
}

bool quizstore_is_participant(const struct quiz_training *t, const uint8_t user[16],
			      const char *name)
{
	for (size_t i = 0; i < t->np; i++) {
		if (user && !uuid_is_zero(user) && memcmp(t->p[i].user, user, 16) == 0)
			return true;
		if (uuid_is_zero(t->p[i].user) && name && strcmp(t->p[i].name, name) == 0)
			return true;
	}
	return false;
}

static int session_is_trainer(struct store *s, struct err *err)
{
	if (need_keys(s, err) < 0)
		return -1;
	if (s->user.role < ROLE_TRAINER || !s->keys->has_quiz)
		return err_set(err, ERR_DENIED, NULL, "needs a trainer or admin");
	return 0;
}

int quizstore_training_put(struct store *s, const struct draft *d, struct quiz_training *t,
			   struct err *err)
{
	char *json;
	int rc;

	codec_init();
	if (session_is_trainer(s, err) < 0)
		return -1;
	if (!t->title[0])
		return err_set(err, ERR_REQUIRED, "title", "a training needs a title");
	if (t->date == DATE_NONE)
		return err_set(err, ERR_REQUIRED, "date", "a training needs a date");
	if (t->np > QUIZ_MAX_PARTICIPANTS || t->nruns > QUIZ_MAX_RUNS)
		return err_set(err, ERR_RANGE, NULL, "too many participants or runs");
	for (size_t i = 0; i < t->np; i++)
		if (!t->p[i].name[0])
			return err_set(err, ERR_REQUIRED, "name", "a participant needs a name");
	{
		/* A trainer opens tests here: make sure kader can seal to the key. */
		uint8_t pk[32];
		if (quiz_public_key(s, pk, err) < 0)
			return -1;
	}
	if (!(json = wrap_payload(s, training_json(t))))
		return err_set(err, ERR_NOMEM, NULL, "encode");
	rc = record_put(s, d, REC_TRAINING, NULL, date_month_index(t->date), false, json,
			strlen(json), err);
	codec_free(json);
	if (rc == 0)
		memcpy(t->uuid, d->uuid, 16);
	return rc;
}

struct training_list {
	struct quiz_training *t;
	size_t n, cap;
};

static int training_each(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			 struct err *err)
{
	struct training_list *l = ctx;
	json_t *root, *d = open_d(json, len, &root, err);
	int rc;

	if (!d)
		return -1;
	if (grow((void **)&l->t, &l->cap, l->n, sizeof *l->t) < 0) {
		json_decref(root);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	rc = training_from_json(d, &l->t[l->n], err);
	json_decref(root);
	if (rc < 0)
		return -1;
	memcpy(l->t[l->n++].uuid, m->uuid, 16);
	return 0;
}

static int newest_first(const void *x, const void *y)
{
	const struct quiz_training *a = x, *b = y;
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return strcmp(a->title, b->title);
}

int quizstore_trainings(struct store *s, struct quiz_training **out, size_t *n,
			struct err *err)
{
	struct training_list l = { NULL, 0, 0 };

	*out = NULL;
	*n = 0;
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	if (record_each_current(s, REC_TRAINING, training_each, &l, err) < 0) {
		free(l.t);
		return -1;
	}
	qsort(l.t, l.n, sizeof *l.t, newest_first);
	*out = l.t;
	*n = l.n;
	return 0;
}

/* ================================================================ */
/* Attempts                                                         */
/* ================================================================ */

#define ANS_AD_LEN (sizeof ANSWERS_DOMAIN - 1 + 16)

static void answers_ad(const uint8_t uuid[16], uint8_t *ad)
{
	memcpy(ad, ANSWERS_DOMAIN, sizeof ANSWERS_DOMAIN - 1);
	memcpy(ad + sizeof ANSWERS_DOMAIN - 1, uuid, 16);
}

/* The sealed part as JSON (free with codec_free). */
static char *inner_json(const struct quiz_attempt *a)
{
	json_t *o = json_object(), *ch = json_array(), *ord = json_array();
	char marked[QUIZ_MAX_QUESTIONS + 1], buf[8];
	char *out;

	for (int i = 0; i < a->ans.n; i++) {
		json_array_append_new(ch, json_string(quiz_format_choice(a->ans.chosen[i], buf)));
		json_array_append_new(ord, json_integer(a->ans.order[i]));
		marked[i] = a->ans.marked[i] ? '1' : '0';
	}
	marked[a->ans.n] = '\0';
	json_object_set_new(o, "chosen", ch);
	json_object_set_new(o, "order", ord);
	set_s(o, "marked", marked);
	json_object_set_new(o, "elapsed", json_integer(a->ans.elapsed_s));
	if (a->status == QUIZ_SUBMITTED) {
		for (int i = 0; i < a->total; i++)
			marked[i] = a->ok[i] ? '1' : '0';
		marked[a->total] = '\0';
		json_object_set_new(o, "right", json_integer(a->right));
		json_object_set_new(o, "total", json_integer(a->total));
		json_object_set_new(o, "pass", json_boolean(a->pass));
		set_s(o, "ok", marked);
	}
	out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	return out;
}

static int inner_from_json(const char *json, size_t len, struct quiz_attempt *a,
			   struct err *err)
{
	json_error_t je;
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je), *ch, *ord, *e;
	struct jdec x = { o, err, 0 };
	char marked[QUIZ_MAX_QUESTIONS + 1], ok[QUIZ_MAX_QUESTIONS + 1];
	size_t i, n;

	if (!json_is_object(o)) {
		json_decref(o);
		return err_set(err, ERR_FORMAT, NULL, "sealed answers are not an object");
	}
	ch = json_object_get(o, "chosen");
	ord = json_object_get(o, "order");
	n = json_array_size(ch);
	if (!json_is_array(ch) || !json_is_array(ord) || n > QUIZ_MAX_QUESTIONS ||
	    json_array_size(ord) != n) {
		json_decref(o);
		return err_set(err, ERR_FORMAT, NULL, "sealed answers are malformed");
	}
	memset(&a->ans, 0, sizeof a->ans);
	a->ans.n = (int)n;
	json_array_foreach(ch, i, e) {
		uint8_t m = 0;
		if (!json_is_string(e) ||
		    (json_string_length(e) && quiz_parse_choice(json_string_value(e), QUIZ_MAX_OPTIONS,
								 &m, NULL) < 0))
			jbad(&x, "chosen", "not an answer");
		a->ans.chosen[i] = m;
	}
	json_array_foreach(ord, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) >= (json_int_t)n)
			jbad(&x, "order", "not a question index");
		else
			a->ans.order[i] = (uint8_t)json_integer_value(e);
	}
	jstr(&x, "marked", marked, sizeof marked, true);
	for (i = 0; i < n && marked[i]; i++)
		a->ans.marked[i] = marked[i] == '1';
	a->ans.elapsed_s = (int32_t)jint(&x, "elapsed", 0, INT32_MAX);
	if (a->status == QUIZ_SUBMITTED) {
		a->right = (int)jint(&x, "right", 0, QUIZ_MAX_QUESTIONS);
		a->total = (int)jint(&x, "total", 0, QUIZ_MAX_QUESTIONS);
		a->pass = jbool(&x, "pass");
		jstr(&x, "ok", ok, sizeof ok, true);
		if ((int)strlen(ok) != a->total || a->right > a->total)
			jbad(&x, "ok", "does not match the score");
		for (i = 0; ok[i]; i++)
			a->ok[i] = ok[i] == '1';
	}
	json_decref(o);
	if (x.bad)
		return -1;
	a->opened = true;
	return 0;
}

static char *b64(const uint8_t *bin, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(len);
	if (out)
		sodium_bin2base64(out, len, bin, n, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

/* Decode base64 field K of O into an allocated buffer. */
static uint8_t *unb64(json_t *o, const char *k, size_t *n)
{
	json_t *v = json_object_get(o, k);
	uint8_t *out;
	if (!json_is_string(v))
		return NULL;
	if (!(out = malloc(json_string_length(v) + 1)))
		return NULL;
	if (sodium_base642bin(out, json_string_length(v) + 1, json_string_value(v),
			      json_string_length(v), NULL, n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* The record payload of A: its clear part and the sealed box. */
static char *attempt_payload(struct store *s, const struct quiz_attempt *a, const uint8_t pk[32],
			     struct err *err)
{
	uint8_t sealed_key[crypto_box_SEALBYTES + 32], ad[ANS_AD_LEN];
	json_t *d = json_object();
	char *inner = inner_json(a), *kb = NULL, *bb = NULL, *out = NULL;
	char day[DATE_BUFSZ];
	uint8_t *box = NULL;
	size_t ilen, blen;

	if (!inner)
		goto fail;
	ilen = strlen(inner);
	blen = AEAD_NPUB + ilen + AEAD_A;
	if (!(box = malloc(blen)))
		goto fail;
	answers_ad(a->uuid, ad);
	randombytes_buf(box, AEAD_NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + AEAD_NPUB, NULL, (const uint8_t *)inner,
						   ilen, ad, sizeof ad, NULL, box, a->key);
	crypto_box_seal(sealed_key, a->key, 32, pk);
	if (!(kb = b64(sealed_key, sizeof sealed_key)) || !(bb = b64(box, blen)))
		goto fail;
	set_uuid_opt(d, "bank", a->bank);
	set_s(d, "bank_id", a->bank_id);
	json_object_set_new(d, "bank_version", json_integer(a->bank_version));
	set_uuid_opt(d, "training", a->training);
	set_s(d, "kind", quiz_kind_code(a->kind));
	set_uuid_opt(d, "kader", a->kader);
	set_s(d, "kader_name", a->kader_name);
	set_s(d, "status", a->status == QUIZ_SUBMITTED ? "submitted" : "draft");
	set_s(d, "day", date_format_iso(a->day, day));
	set_s(d, "key", kb);
	set_s(d, "box", bb);
	out = wrap_payload(s, d);
	d = NULL;
fail:
	json_decref(d);
	codec_free(inner);
	free(box);
	free(kb);
	free(bb);
	if (!out)
		err_set(err, ERR_NOMEM, NULL, "encode");
	return out;
}

/* Clear part of an attempt payload; BOX and KEY (allocated) when wanted. */
static int attempt_clear(json_t *d, struct quiz_attempt *a, struct err *err)
{
	struct jdec x = { d, err, 0 };
	char kind[16], status[16];

	memset(a, 0, sizeof *a);
	juuid(&x, "bank", a->bank, true);
	jstr(&x, "bank_id", a->bank_id, sizeof a->bank_id, true);
	a->bank_version = (int)jint(&x, "bank_version", 1, 1000000);
	juuid(&x, "training", a->training, false);
	jstr(&x, "kind", kind, sizeof kind, true);
	if ((a->kind = quiz_kind_from_code(kind)) < 0)
		jbad(&x, "kind", "unknown kind");
	juuid(&x, "kader", a->kader, false);
	jstr(&x, "kader_name", a->kader_name, sizeof a->kader_name, true);
	jstr(&x, "status", status, sizeof status, true);
	a->status = strcmp(status, "submitted") == 0 ? QUIZ_SUBMITTED
		    : strcmp(status, "draft") == 0 ? QUIZ_DRAFT : 0;
	if (!a->status)
		jbad(&x, "status", "unknown status");
	a->day = jdate(&x, "day");
	return x.bad ? -1 : 0;
}

/* Open the sealed part of payload D with A->key. */
static int attempt_open_box(json_t *d, struct quiz_attempt *a, struct err *err)
{
	uint8_t ad[ANS_AD_LEN], *box;
	size_t blen;
	char *plain;
	int rc;

	if (!(box = unb64(d, "box", &blen)) || blen < AEAD_NPUB + AEAD_A) {
		free(box);
		return err_set(err, ERR_CRYPTO, NULL, "attempt box is malformed");
	}
	answers_ad(a->uuid, ad);
	if (!(plain = codec_alloc(blen))) {
		free(box);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, NULL, NULL,
							 box + AEAD_NPUB, blen - AEAD_NPUB, ad,
							 sizeof ad, box, a->key);
	free(box);
	if (rc != 0) {
		codec_free(plain);
		return err_set(err, ERR_CRYPTO, NULL, "attempt answers do not authenticate");
	}
	plain[blen - AEAD_NPUB - AEAD_A] = '\0';
	rc = inner_from_json(plain, blen - AEAD_NPUB - AEAD_A, a, err);
	codec_free(plain);
	return rc;
}

static int month_of(int32_t day)
{
	return day == DATE_NONE ? -1 : date_month_index(day);
}

int quizstore_attempt_save(struct store *s, struct quiz_attempt *a, const struct quiz_bank *b,
			   bool submit, struct err *err)
{
	struct quiz_attempt next;
	struct quiz_result res;
	struct draft d;
	uint8_t pk[32];
	bool fresh, forget;
	char *json = NULL, name[64];
	int rc = -1, secure = 0;

	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	if (a->status == QUIZ_SUBMITTED)
		return err_set(err, ERR_EXISTS, "quiz-submitted", "attempt already submitted");
	if (s->user.role < ROLE_TRAINER && memcmp(a->kader, s->user.uuid, 16) != 0)
		return err_set(err, ERR_DENIED, NULL, "a kader saves only their own attempts");
	if (strcmp(b->id, a->bank_id) != 0 || b->version != a->bank_version ||
	    (size_t)a->ans.n != b->n)
		return err_set(err, ERR_FORMAT, "quiz-bank", "answers are not for bank %s version %d",
			       b->id, b->version);
	if (a->day == DATE_NONE || !a->kader_name[0])
		return err_set(err, ERR_REQUIRED, NULL, "an attempt needs a day and a name");
	if (quiz_public_key(s, pk, err) < 0)
		return -1;

	next = *a;
	fresh = uuid_is_zero(a->uuid);
	if (fresh) {
		store_draft_new(&d);
		memcpy(next.uuid, d.uuid, 16);
		randombytes_buf(next.key, sizeof next.key);
		next.has_key = true;
	} else {
		if (!a->has_key)
			return err_set(err, ERR_DENIED, NULL, "the attempt is not open");
		if (store_draft_edit(s, &d, a->uuid, err) < 0)
			return -1;
	}
	if (submit) {
		quiz_score(b, &a->ans, &res);
		next.status = QUIZ_SUBMITTED;
		next.right = res.right;
		next.total = res.total;
		next.pass = res.pass;
		memcpy(next.ok, res.ok, sizeof next.ok);
	} else {
		next.status = QUIZ_DRAFT;
	}
	if (!(json = attempt_payload(s, &next, pk, err)))
		goto out;

	/* One transaction: the version, and keeping or forgetting the key. */
	att_meta_name(next.uuid, name, sizeof name);
	forget = submit && !fresh;
	if (forget) {
		sqlite3_stmt *st;
		if (db_prepare(s->db, "PRAGMA secure_delete", &st, err) < 0)
			goto out;
		if (sqlite3_step(st) == SQLITE_ROW)
			secure = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (db_exec(s->db, "PRAGMA secure_delete = ON", err) < 0)
			goto out;
	}
	if (store_batch_begin(s, err) < 0)
		goto restore;
	if ((fresh && !submit && att_key_keep(s, next.uuid, next.key, err) < 0) ||
	    record_put(s, &d, REC_QUIZ_ATTEMPT, next.bank, month_of(next.day), false, json,
		       strlen(json), err) < 0 ||
	    (forget && meta_del(s, name, err) < 0)) {
		store_batch_abort(s);
		goto restore;
	}
	if (store_batch_commit(s, err) < 0)
		goto restore;
	if (submit) {
		sodium_memzero(next.key, sizeof next.key);
		next.has_key = false;
	}
	*a = next;
	rc = 0;
restore:
	if (forget)
		db_exec(s->db, secure ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF",
			NULL);
out:
	sodium_memzero(&next, sizeof next);
	codec_free(json);
	return rc;
}

struct attempt_list {
	struct store *s;
	const char *bank_id;
	bool open, mine;
	uint8_t sk[crypto_box_SECRETKEYBYTES], pk[32];
	struct quiz_attempt *a;
	size_t n, cap;
};

static int attempt_each(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			struct err *err)
{
	struct attempt_list *l = ctx;
	json_t *root, *d = open_d(json, len, &root, err);
	struct quiz_attempt *a;

	if (!d)
		return -1;
	if (grow((void **)&l->a, &l->cap, l->n, sizeof *l->a) < 0) {
		json_decref(root);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	a = &l->a[l->n];
	if (attempt_clear(d, a, err) < 0)
		goto fail;
	memcpy(a->uuid, m->uuid, 16);
	a->seq = m->seq;
	if (l->bank_id && strcmp(l->bank_id, a->bank_id) != 0)
		goto skip;
	if (l->mine) {
		int found;
		if (a->status != QUIZ_DRAFT || memcmp(a->kader, l->s->user.uuid, 16) != 0)
			goto skip;
		if ((found = att_key_find(l->s, a->uuid, a->key, err)) < 0)
			goto fail;
		if (!found)
			goto skip;             /* started on another device */
		a->has_key = true;
		if (attempt_open_box(d, a, err) < 0)
			goto fail;
	} else if (l->open) {
		size_t klen;
		uint8_t *sealed = unb64(d, "key", &klen);
		/* One that cannot be opened stays in the list, not opened: the
		 * report says so instead of failing for everyone. */
		if (sealed && klen == crypto_box_SEALBYTES + 32 &&
		    crypto_box_seal_open(a->key, sealed, klen, l->pk, l->sk) == 0) {
			a->has_key = true;
			if (attempt_open_box(d, a, err) < 0) {
				sodium_memzero(a, sizeof *a);
				free(sealed);
				goto fail;
			}
		}
		free(sealed);
	}
	l->n++;
	json_decref(root);
	return 0;
skip:
	sodium_memzero(a, sizeof *a);
	json_decref(root);
	return 0;
fail:
	sodium_memzero(a, sizeof *a);
	json_decref(root);
	return -1;
}

static int list_attempts(struct store *s, struct attempt_list *l, struct quiz_attempt **out,
			 size_t *n, struct err *err)
{
	int rc;

	*out = NULL;
	*n = 0;
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	l->s = s;
	if (l->open && !l->mine) {
		if (!s->keys->has_quiz)
			return err_set(err, ERR_DENIED, NULL, "quiz results need the quiz key");
		if (quiz_keypair(s, l->pk, l->sk, err) < 0)
			return -1;
		if (quiz_public_key(s, l->pk, err) < 0)
			return -1;
	}
	rc = record_each_current(s, REC_QUIZ_ATTEMPT, attempt_each, l, err);
	sodium_memzero(l->sk, sizeof l->sk);
	if (rc < 0) {
		quizstore_attempts_free(l->a, l->n);
		return -1;
	}
	*out = l->a;
	*n = l->n;
	return 0;
}

int quizstore_my_drafts(struct store *s, struct quiz_attempt **out, size_t *n,
			struct err *err)
{
	struct attempt_list l;
	memset(&l, 0, sizeof l);
	l.mine = true;
	return list_attempts(s, &l, out, n, err);
}

int quizstore_attempts(struct store *s, const char *bank_id, bool open,
		       struct quiz_attempt **out, size_t *n, struct err *err)
{
	struct attempt_list l;
	memset(&l, 0, sizeof l);
	l.bank_id = bank_id;
	l.open = open;
	return list_attempts(s, &l, out, n, err);
}

void quizstore_attempts_free(struct quiz_attempt *a, size_t n)
{
	if (a)
		sodium_memzero(a, n * sizeof *a);
	free(a);
}
