/* tests/unit/test_quiz_store.c: bank files, trainings and sealed attempts
 * (storage/quiz_store.c) on real stores.
 *
 * What is checked: every problem of a bank file is reported with its file,
 * section, key and line, and a bank with any problem is not stored at all;
 * a bank id and version cannot change content, so a new version leaves the
 * scores of older attempts alone; a kader's answers are saved as they go
 * and resume after the process dies; and once submitted, an attempt cannot
 * be read by a kader session (SECURITY.md §2.2): the API says ERR_DENIED,
 * the payload the data key opens holds only a sealed box, and the device
 * no longer keeps the attempt key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/quiz.h"
#include "storage/internal.h"
#include "storage/quiz_store.h"
#include "storage/quiz_internal.h"
#include "storage/sync_store.h"
#include "storage/audit.h"
#include "storage/codec.h"
#include "tests/helpers/testutil.h"
#include "app/quiz_view.h"

#define KADER "sri"
#define KADER_PIN "582941"
#define KADER2 "wati"
#define KADER2_PIN "604823"
#define TRAINER "bidan"
#define TRAINER_PIN "604817"

struct fixture {
	char *dir;
	struct store *s;           /* the session of the test's current role */
};

static const char good_ini[] =
	"; a small bank\n"
	"[bank]\n"
	"id = kms-test\n"
	"version = 1\n"
	"title = Tes KMS\n"
	"pass_mark = 60\n"
	"time_limit = 10\n"
	"shuffle = no\n"
	"\n"
	"[q1]\n"
	"topic = kms\n"
	"text = Warna garis pada KMS?\n"
	"a = merah\n"
	"b = hijau\n"
	"c = biru\n"
	"d = kuning\n"
	"answer = b\n"
	"explain = Pita hijau menandakan pertumbuhan normal.\n"
	"\n"
	"[q2]\n"
	"topic = asi\n"
	"text = Pilih semua yang benar\n"
	"a = satu\n"
	"b = dua\n"
	"c = tiga\n"
	"answer = a, c\n"
	"\n"
	"[q3]\n"
	"topic = kms\n"
	"text = Ya atau tidak?\n"
	"a = ya\n"
	"b = tidak\n"
	"answer = a\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct err err = { 0 };

	if (!f || !(f->dir = tu_mkdtemp()))
		return -1;
	if (!(f->s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, &err)) ||
	    store_user_add(f->s, KADER, ROLE_KADER, KADER_PIN, strlen(KADER_PIN), tu_kdf_fast(), &err) < 0 ||
	    store_user_add(f->s, KADER2, ROLE_KADER, KADER2_PIN, strlen(KADER2_PIN), tu_kdf_fast(), &err) < 0 ||
	    store_user_add(f->s, TRAINER, ROLE_TRAINER, TRAINER_PIN, strlen(TRAINER_PIN), tu_kdf_fast(), &err) < 0 ||
	    /* The admin signs the quiz key, as importing a bank does. */
	    quizstore_key_ready(f->s, &err) < 0) {
		print_error("setup: %s\n", err.detail);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void become(struct fixture *f, const char *label, const char *pin)
{
	struct err err = { 0 };
	store_close(f->s);
	f->s = tu_store_login(f->dir, label, pin, &err);
	if (!f->s)
		fail_msg("login %s: %s %s", label, err_code_name(err.code), err.detail);
}

static char *write_ini(const struct fixture *f, const char *name, const char *text)
{
	size_t n = strlen(f->dir) + strlen(name) + 2;
	char *path = malloc(n);
	assert_non_null(path);
	tu_path(path, n, f->dir, name);
	assert_int_equal(tu_write_file(path, text), 0);
	return path;
}

/* good_ini with the line containing FROM replaced by TO ("" drops it). */
static char *variant(const char *from, const char *to)
{
	const char *at = strstr(good_ini, from);
	const char *eol;
	size_t n = sizeof good_ini + strlen(to) + 2;
	char *out = malloc(n);

	assert_non_null(at);
	assert_non_null(out);
	while (at > good_ini && at[-1] != '\n')
		at--;
	eol = strchr(at, '\n') + 1;
	snprintf(out, n, "%.*s%s%s%s", (int)(at - good_ini), good_ini, to, *to ? "\n" : "", eol);
	return out;
}

/* Read TEXT as a bank file; it must fail. Returns its problems. */
static struct quiz_problem *bad_bank(const struct fixture *f, const char *text, size_t *n)
{
	struct quiz_bank b;
	struct quiz_problem *p = NULL;
	struct err err = { 0 };
	char *path = write_ini(f, "bad.ini", text);

	assert_int_equal(quizstore_read_ini(path, &b, &p, n, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_null(b.q);
	assert_int_equal(b.n, 0);
	assert_true(*n > 0);
	for (size_t i = 0; i < *n; i++)
		assert_string_equal(p[i].file, path);
	free(path);
	return p;
}

/* The problem at SECTION / KEY, which must be there. */
static const struct quiz_problem *find(const struct quiz_problem *p, size_t n,
				       const char *section, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].section, section) == 0 && strcmp(p[i].key, key) == 0)
			return &p[i];
	for (size_t i = 0; i < n; i++)
		print_error("problem %zu: [%s] %s line %d: %s %s\n", i, p[i].section, p[i].key,
			    p[i].line, p[i].err.field ? p[i].err.field : "-", p[i].err.detail);
	fail_msg("no problem at [%s] %s", section, key);
	return NULL;
}

static void read_good(const struct fixture *f, struct quiz_bank *b, const char *text)
{
	struct quiz_problem *p = NULL;
	size_t n = 0;
	struct err err = { 0 };
	char *path = write_ini(f, "good.ini", text);

	if (quizstore_read_ini(path, b, &p, &n, &err) < 0)
		fail_msg("read_ini: %s (%zu problems; first [%s] %s: %s)", err.detail, n,
			 n ? p[0].section : "", n ? p[0].key : "", n ? p[0].err.detail : "");
	free(path);
	free(p);
}

/* ---- reading bank files ---- */

static void test_read_good_bank(void **state)
{
	struct fixture *f = *state;
	struct quiz_bank b;

	read_good(f, &b, good_ini);
	assert_string_equal(b.id, "kms-test");
	assert_int_equal(b.version, 1);
	assert_string_equal(b.title, "Tes KMS");
	assert_string_equal(b.language, "id");           /* the default */
	assert_int_equal(b.pass_mark, 60);
	assert_int_equal(b.time_limit_min, 10);
	assert_false(b.shuffle);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.q[0].id, "q1");              /* file order */
	assert_string_equal(b.q[0].option[1], "hijau");
	assert_int_equal(b.q[0].noptions, 4);
	assert_int_equal(b.q[0].correct, 1u << 1);
	assert_string_equal(b.q[0].explain, "Pita hijau menandakan pertumbuhan normal.");
	assert_int_equal(b.q[1].correct, (1u << 0) | (1u << 2));   /* "a, c" */
	assert_int_equal(b.q[1].noptions, 3);
	assert_string_equal(b.q[2].topic, "kms");
	quiz_bank_free(&b);
}

static void test_missing_answer(void **state)
{
	struct fixture *f = *state;
	char *text = variant("answer = a, c", "");
	size_t n;
	struct quiz_problem *p = bad_bank(f, text, &n);
	const struct quiz_problem *q = find(p, n, "q2", "answer");

	assert_int_equal(n, 1);
	assert_int_equal(q->err.code, ERR_REQUIRED);
	assert_string_equal(q->err.field, "quiz-missing");
	assert_int_equal(q->line, 20);                  /* the [q2] line: no key to point at */
	free(p);
	free(text);
}

static void test_answer_not_among_options(void **state)
{
	struct fixture *f = *state;
	char *text = variant("answer = b", "answer = e");   /* q1 has a-d */
	size_t n;
	struct quiz_problem *p = bad_bank(f, text, &n);
	const struct quiz_problem *q = find(p, n, "q1", "answer");

	assert_int_equal(n, 1);
	assert_int_equal(q->err.code, ERR_RANGE);
	assert_string_equal(q->err.field, "quiz-answer");
	assert_int_equal(q->line, 17);
	free(p);
	free(text);

	text = variant("answer = a, c", "answer = a, x");
	p = bad_bank(f, text, &n);
	q = find(p, n, "q2", "answer");
	assert_int_equal(q->err.code, ERR_FORMAT);
	assert_string_equal(q->err.field, "quiz-answer");
	free(p);
	free(text);
}

static void test_duplicate_ids(void **state)
{
	struct fixture *f = *state;
	char *text = variant("[q3]", "[q1]");
	char *text2;
	size_t n;
	struct quiz_problem *p = bad_bank(f, text, &n);
	const struct quiz_problem *q = find(p, n, "q1", "");

	/* iniparser would merge the two [q1] sections without a word. */
	assert_int_equal(q->err.code, ERR_EXISTS);
	assert_string_equal(q->err.field, "quiz-section");
	assert_int_equal(q->line, 28);
	assert_non_null(strstr(q->err.detail, "line 10"));
	free(p);

	/* A key written twice in one section: the second wins in iniparser. */
	text2 = variant("answer = a\n", "answer = a\nanswer = b");
	p = bad_bank(f, text2, &n);
	q = find(p, n, "q3", "answer");
	assert_int_equal(q->err.code, ERR_EXISTS);
	assert_string_equal(q->err.field, "quiz-key");
	assert_int_equal(q->line, 34);
	free(p);
	free(text);
	free(text2);
}

static void test_bad_numbers(void **state)
{
	struct fixture *f = *state;
	char *t1 = variant("pass_mark = 60", "pass_mark = 150");
	char *t2 = variant("version = 1", "version = satu");
	char *t3 = variant("time_limit = 10", "time_limit = -5");
	char *t4 = variant("shuffle = no", "shuffle = kadang");
	size_t n;
	struct quiz_problem *p;
	const struct quiz_problem *q;

	p = bad_bank(f, t1, &n);
	q = find(p, n, "bank", "pass_mark");
	assert_int_equal(q->err.code, ERR_RANGE);
	assert_string_equal(q->err.field, "quiz-pass_mark");
	assert_int_equal(q->line, 6);
	free(p);
	p = bad_bank(f, t2, &n);
	q = find(p, n, "bank", "version");
	assert_int_equal(q->err.code, ERR_FORMAT);
	assert_string_equal(q->err.field, "quiz-version");
	assert_int_equal(q->line, 4);
	free(p);
	p = bad_bank(f, t3, &n);
	q = find(p, n, "bank", "time_limit");
	assert_int_equal(q->err.code, ERR_FORMAT);
	assert_string_equal(q->err.field, "quiz-time_limit");
	free(p);
	p = bad_bank(f, t4, &n);
	q = find(p, n, "bank", "shuffle");
	assert_string_equal(q->err.field, "quiz-bool");
	free(p);
	free(t1);
	free(t2);
	free(t3);
	free(t4);
}

static void test_options_and_keys(void **state)
{
	struct fixture *f = *state;
	char *one = variant("b = tidak", "");            /* q3 keeps only a */
	char *gap = variant("c = biru", "");              /* q1: a b d */
	char *typo = variant("answer = a, c", "anwser = a, c");
	char *id = variant("[q2]", "[Soal 2]");
	size_t n;
	struct quiz_problem *p;
	const struct quiz_problem *q;

	p = bad_bank(f, one, &n);
	q = find(p, n, "q3", "");
	assert_string_equal(q->err.field, "quiz-options");
	free(p);
	p = bad_bank(f, gap, &n);
	q = find(p, n, "q1", "c");
	assert_string_equal(q->err.field, "quiz-options");
	free(p);
	/* A misspelt key is named, and the answer it should have been is missing. */
	p = bad_bank(f, typo, &n);
	assert_int_equal(n, 2);
	q = find(p, n, "q2", "anwser");
	assert_string_equal(q->err.field, "quiz-unknown");
	assert_int_equal(q->line, 26);
	q = find(p, n, "q2", "answer");
	assert_string_equal(q->err.field, "quiz-missing");
	free(p);
	/* iniparser lowers section names: "soal 2" is still not an id. */
	p = bad_bank(f, id, &n);
	q = find(p, n, "soal 2", "");
	assert_string_equal(q->err.field, "quiz-id");
	free(p);
	free(one);
	free(gap);
	free(typo);
	free(id);
}

static void test_whole_file_problems(void **state)
{
	struct fixture *f = *state;
	struct quiz_bank b;
	struct quiz_problem *p;
	struct err err = { 0 };
	size_t n;
	char *missing;

	/* Everything wrong at once: every problem is reported in one pass. */
	p = bad_bank(f, "[bank]\nid = Bad Id\nversion = 0\n", &n);
	find(p, n, "bank", "id");
	find(p, n, "bank", "version");
	find(p, n, "bank", "title");
	find(p, n, "bank", "pass_mark");
	find(p, n, "", "");                              /* no questions */
	free(p);
	p = bad_bank(f, "[q1]\ntext = x\ntopic = t\na = 1\nb = 2\nanswer = a\n", &n);
	assert_string_equal(find(p, n, "bank", "")->err.field, "quiz-missing");
	free(p);
	p = bad_bank(f, "[bank]\nthis line has no equals sign\n", &n);
	assert_string_equal(find(p, n, "", "")->err.field, "quiz-syntax");
	free(p);

	missing = write_ini(f, "gone.ini", "");
	tu_rmtree(missing);
	assert_int_equal(quizstore_read_ini(missing, &b, &p, &n, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_null(p);
	free(missing);
}

/* ---- storing banks ---- */

static void test_bank_import_rules(void **state)
{
	struct fixture *f = *state;
	struct quiz_bank b, got;
	struct quizstore_bank_info *list;
	struct err err = { 0 };
	size_t n, versions, after;
	bool same;
	char *v2;

	read_good(f, &b, good_ini);
	become(f, KADER, KADER_PIN);
	assert_int_equal(quizstore_bank_put(f->s, &b, &same, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	become(f, TRAINER, TRAINER_PIN);
	assert_int_equal(quizstore_bank_put(f->s, &b, &same, &err), 0);
	assert_false(same);
	assert_int_equal(store_counts(f->s, NULL, NULL, &versions, &err), 0);
	/* The same file again: nothing written. */
	assert_int_equal(quizstore_bank_put(f->s, &b, &same, &err), 0);
	assert_true(same);
	assert_int_equal(store_counts(f->s, NULL, NULL, &after, &err), 0);
	assert_int_equal(after, versions);
	/* Same id and version with another answer key: refused. */
	b.q[0].correct = 1u << 2;
	assert_int_equal(quizstore_bank_put(f->s, &b, &same, &err), -1);
	assert_int_equal(err.code, ERR_EXISTS);
	assert_string_equal(err.field, "quiz-bank");
	quiz_bank_free(&b);

	v2 = variant("version = 1", "version = 2");
	read_good(f, &b, v2);
	b.q[0].correct = 1u << 2;
	assert_int_equal(quizstore_bank_put(f->s, &b, &same, &err), 0);
	quiz_bank_free(&b);
	free(v2);

	assert_int_equal(quizstore_banks(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].id, "kms-test");
	assert_int_equal(list[0].version, 1);
	assert_int_equal(list[1].version, 2);
	assert_int_equal(list[1].questions, 3);
	free(list);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &got, NULL, &err), 0);
	assert_int_equal(got.version, 2);                 /* 0: the highest */
	assert_int_equal(got.q[0].correct, 1u << 2);
	quiz_bank_free(&got);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 1, &got, NULL, &err), 0);
	assert_int_equal(got.q[0].correct, 1u << 1);
	quiz_bank_free(&got);
	assert_int_equal(quizstore_bank_get(f->s, "nope", 0, &got, NULL, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
}

/* ---- attempts ---- */

static void import(struct fixture *f, const char *text)
{
	struct quiz_bank b;
	struct err err = { 0 };
	bool same;
	read_good(f, &b, text);
	if (quizstore_bank_put(f->s, &b, &same, &err) < 0)
		fail_msg("bank_put: %s", err.detail);
	quiz_bank_free(&b);
}

static void new_attempt(struct store *s, struct quiz_attempt *a, const struct quiz_bank *b,
			const uint8_t bank_uuid[16], int kind)
{
	const struct store_user *me = store_session(s);
	memset(a, 0, sizeof *a);
	memcpy(a->bank, bank_uuid, 16);
	snprintf(a->bank_id, sizeof a->bank_id, "%s", b->id);
	a->bank_version = b->version;
	a->kind = kind;
	memcpy(a->kader, me->uuid, 16);
	snprintf(a->kader_name, sizeof a->kader_name, "%s", me->label);
	a->day = date_from_ymd(2025, 3, 10);
	quiz_answers_init(&a->ans, b, 7);
}

static int64_t attempt_keys_kept(const struct fixture *f)
{
	sqlite3 *db = tu_raw_open(f->dir);
	int64_t n = tu_raw_int(db, "SELECT count(*) FROM meta WHERE key LIKE 'quiz.att.%%'");
	tu_raw_close(db);
	return n;
}

struct raw {
	int n;
	char json[4096];
};

static int raw_each(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		    struct err *err)
{
	struct raw *r = ctx;
	(void)m;
	(void)err;
	r->n++;
	snprintf(r->json, sizeof r->json, "%.*s", (int)len, json);
	return 0;
}

static void test_kader_takes_resumes_and_cannot_read(void **state)
{
	struct fixture *f = *state;
	struct quiz_bank b;
	struct quiz_attempt a, *list;
	struct err err = { 0 };
	uint8_t bank_uuid[16], pk[32], sk[32], seed[32], sealed[80];
	struct raw raw = { 0, "" };
	json_t *root, *d;
	json_error_t je;
	size_t n, klen;

	become(f, TRAINER, TRAINER_PIN);
	import(f, good_ini);
	become(f, KADER, KADER_PIN);
	assert_false(f->s->keys->has_quiz);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &b, bank_uuid, &err), 0);
	new_attempt(f->s, &a, &b, bank_uuid, QUIZ_POST);

	/* Answer q1 (b, right) and save: a draft, durable, key kept here. */
	assert_int_equal(quiz_choose(&b, &a.ans, 0, 1), 0);
	a.ans.elapsed_s = 30;
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, false, &err), 0);
	assert_false(uuid_is_zero(a.uuid));
	assert_int_equal(a.status, QUIZ_DRAFT);
	assert_int_equal(attempt_keys_kept(f), 1);
	/* q2: a only (wrong: a + c is right), marked for review; saved again. */
	assert_int_equal(quiz_choose(&b, &a.ans, 1, 0), 0);
	a.ans.marked[1] = 1;
	a.ans.elapsed_s = 55;
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, false, &err), 0);

	/* The process dies here (nothing but the store survives); the kader
	 * logs in again and resumes with the answers kept. */
	sodium_memzero(&a, sizeof a);
	become(f, KADER, KADER_PIN);
	assert_int_equal(quizstore_my_drafts(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(list[0].opened);
	assert_int_equal(list[0].ans.chosen[0], 1u << 1);
	assert_int_equal(list[0].ans.chosen[1], 1u << 0);
	assert_int_equal(list[0].ans.chosen[2], 0);
	assert_int_equal(list[0].ans.marked[1], 1);
	assert_int_equal(list[0].ans.elapsed_s, 55);
	a = list[0];
	quizstore_attempts_free(list, n);
	/* Another kader has no draft to resume. */
	become(f, KADER2, KADER2_PIN);
	assert_int_equal(quizstore_my_drafts(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 0);
	free(list);
	/* ... and may not save the first kader's attempt. */
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, false, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	/* With her K_data and a shell she cannot open the kept draft key
	 * either: it is under the first kader's own seed (review of issue 13). */
	{
		uint8_t sub[32], blob[24 + 32 + 16], ad[sizeof "posyandu/v1/quizatt" - 1 + 16], k[32];
		char name[64] = "quiz.att.";
		size_t len;
		sodium_bin2hex(name + 9, sizeof name - 9, a.uuid, 16);
		assert_int_equal(meta_get(f->s->db, name, blob, sizeof blob, &len, &err), 1);
		memcpy(ad, "posyandu/v1/quizatt", sizeof "posyandu/v1/quizatt" - 1);
		memcpy(ad + sizeof "posyandu/v1/quizatt" - 1, a.uuid, 16);
		crypto_kdf_derive_from_key(sub, sizeof sub, 2, "pyquizat", f->s->keys->data);
		assert_int_not_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(
			k, NULL, NULL, blob + 24, sizeof blob - 24, ad, sizeof ad, blob, sub), 0);
		crypto_kdf_derive_from_key(sub, sizeof sub, 3, "pyquizat", f->s->keys->seed);
		assert_int_not_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(
			k, NULL, NULL, blob + 24, sizeof blob - 24, ad, sizeof ad, blob, sub), 0);
	}

	become(f, KADER, KADER_PIN);
	assert_int_equal(quiz_choose(&b, &a.ans, 1, 2), 0);   /* now a + c */
	assert_int_equal(quiz_choose(&b, &a.ans, 2, 1), 0);   /* q3: b, wrong */
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, true, &err), 0);
	/* The kader's session has no answer key: no score here (issue 13.2). */
	assert_int_equal(a.status, QUIZ_SUBMITTED);
	assert_false(a.scored);
	assert_int_equal(a.right, 0);
	assert_false(quiz_bank_has_key(&b));
	assert_false(quiz_is_right(1u << 1, b.q[0].correct));  /* q1: b is right */
	assert_true(quiz_is_multi(&b.q[1]));                  /* "choose all" still shows */
	assert_string_equal(b.q[0].explain, "");
	assert_false(a.has_key);
	assert_int_equal(attempt_keys_kept(f), 0);            /* the device forgot K_att */
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, false, &err), -1);

	/* A kader session: the API refuses, no draft is left ... */
	assert_int_equal(quizstore_attempts(f->s, NULL, true, &list, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(quizstore_my_drafts(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 0);
	free(list);
	/* ... the clear part is readable (who took which test) ... */
	assert_int_equal(quizstore_attempts(f->s, NULL, false, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_false(list[0].opened);
	assert_int_equal(list[0].status, QUIZ_SUBMITTED);
	assert_int_equal(list[0].right, 0);
	quizstore_attempts_free(list, n);
	/* ... and what the data key opens holds no answers and no score, only
	 * a sealed box: K_att sealed to the quiz public key (80 bytes). A key
	 * pair derived the same way from the data key (all a kader has) does
	 * not open it. */
	assert_int_equal(record_each_current(f->s, REC_QUIZ_ATTEMPT, raw_each, &raw, &err), 0);
	assert_int_equal(raw.n, 1);
	assert_null(strstr(raw.json, "chosen"));
	assert_null(strstr(raw.json, "right"));
	assert_null(strstr(raw.json, "\"pass\""));
	root = json_loads(raw.json, 0, &je);
	assert_non_null(root);
	d = json_object_get(root, "d");
	assert_null(json_object_get(d, "key"));
	assert_int_equal(json_array_size(json_object_get(d, "keys")), 1);
	assert_int_equal(sodium_base642bin(sealed, sizeof sealed,
					   json_string_value(json_array_get(json_object_get(d, "keys"), 0)),
					   strlen(json_string_value(json_array_get(json_object_get(d, "keys"), 0))),
					   NULL, &klen, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(klen, crypto_box_SEALBYTES + 32);
	json_decref(root);
	crypto_kdf_derive_from_key(seed, sizeof seed, 1, "pyquizkp", f->s->keys->data);
	crypto_box_seed_keypair(pk, sk, seed);
	assert_int_not_equal(crypto_box_seal_open(seed, sealed, klen, pk, sk), 0);
	/* Nor does the bank give its answer key away to the data key. */
	raw.n = 0;
	assert_int_equal(record_each_current(f->s, REC_QUIZ_BANK, raw_each, &raw, &err), 0);
	assert_int_equal(raw.n, 1);
	assert_null(strstr(raw.json, "answer\""));
	assert_null(strstr(raw.json, "Pita hijau"));
	assert_non_null(strstr(raw.json, "\"sealed\""));

	/* The trainer opens it: the answers, and the score worked out with the
	 * answer key: 2 of 3 right = 66.7 %, pass mark 60: 200 >= 180, pass. */
	become(f, TRAINER, TRAINER_PIN);
	assert_int_equal(quizstore_attempts(f->s, "kms-test", true, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(list[0].opened);
	assert_int_equal(list[0].kind, QUIZ_POST);
	assert_string_equal(list[0].kader_name, KADER);
	assert_int_equal(list[0].ans.chosen[1], (1u << 0) | (1u << 2));
	assert_true(list[0].scored);
	assert_int_equal(list[0].right, 2);
	assert_int_equal(list[0].total, 3);
	assert_true(list[0].pass);
	assert_memory_equal(list[0].ok, ((uint8_t[]){ 1, 1, 0 }), 3);
	assert_int_equal(list[0].ans.elapsed_s, 55);
	quizstore_attempts_free(list, n);
	quiz_bank_free(&b);
}

static void test_new_version_keeps_old_scores(void **state)
{
	struct fixture *f = *state;
	struct quiz_bank b1, b2;
	struct quiz_attempt a, *list;
	struct quiz_result r;
	struct err err = { 0 };
	uint8_t u1[16], u2[16];
	size_t n;

	become(f, TRAINER, TRAINER_PIN);
	import(f, good_ini);
	become(f, KADER, KADER_PIN);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 1, &b1, u1, &err), 0);
	new_attempt(f->s, &a, &b1, u1, QUIZ_PRE);
	/* b, a+c, a: all right under version 1. */
	quiz_choose(&b1, &a.ans, 0, 1);
	quiz_choose(&b1, &a.ans, 1, 0);
	quiz_choose(&b1, &a.ans, 1, 2);
	quiz_choose(&b1, &a.ans, 2, 0);
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b1, true, &err), 0);
	assert_false(a.scored);                 /* scored when a trainer opens it */

	/* Version 2 changes q1's key from b to c. */
	{
		char *text = variant("version = 1", "version = 2");
		char *both;
		const char *at = strstr(text, "answer = b");
		size_t len = strlen(text) + 2;
		assert_non_null(at);
		both = malloc(len);
		assert_non_null(both);
		snprintf(both, len, "%.*sanswer = c%s", (int)(at - text), text, at + strlen("answer = b"));
		become(f, TRAINER, TRAINER_PIN);
		import(f, both);
		free(both);
		free(text);
	}
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &b2, u2, &err), 0);
	assert_int_equal(b2.version, 2);
	assert_memory_not_equal(u1, u2, 16);

	/* The old attempt keeps its score: 3 of 3, under its own version. */
	assert_int_equal(quizstore_attempts(f->s, "kms-test", true, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].bank_version, 1);
	assert_int_equal(list[0].right, 3);
	assert_memory_equal(list[0].bank, u1, 16);
	/* Re-scoring it with its own version agrees; with version 2 it would
	 * not (q1 b is wrong there): the version is what decides. (b1 as the
	 * kader had it holds no answer key: the trainer's opens it.) */
	quiz_score(&b1, &list[0].ans, &r);
	assert_int_equal(r.right, 0);
	quiz_bank_free(&b1);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 1, &b1, u1, &err), 0);
	quiz_score(&b1, &list[0].ans, &r);
	assert_int_equal(r.right, 3);
	quiz_score(&b2, &list[0].ans, &r);
	assert_int_equal(r.right, 2);
	quizstore_attempts_free(list, n);
	quiz_bank_free(&b1);
	quiz_bank_free(&b2);
}

static void test_paper_sheet_and_tampered_key(void **state)
{
	struct fixture *f = *state;
	struct quiz_bank b;
	struct quiz_attempt a, *list;
	struct err err = { 0 };
	uint8_t u[16], fake_pk[32], fake_sk[32];
	sqlite3 *db;
	char hex[65];
	size_t n;

	become(f, TRAINER, TRAINER_PIN);
	import(f, good_ini);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &b, u, &err), 0);
	/* A participant without an account, from a paper sheet: submitted in
	 * one save, no key ever kept on the device. */
	new_attempt(f->s, &a, &b, u, QUIZ_PRE);
	memset(a.kader, 0, 16);
	snprintf(a.kader_name, sizeof a.kader_name, "Bu Wati");
	assert_int_equal(quiz_sheet_parse(&b, "b [ac] b", &a.ans, &err), 0);
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, true, &err), 0);
	assert_int_equal(a.right, 2);
	assert_int_equal(attempt_keys_kept(f), 0);

	/* Someone with a shell swaps the quiz public key in meta for their own
	 * (issue 13.2): the key no longer verifies against the device key, so
	 * a kader's attempt is refused before anything is sealed to it. */
	crypto_box_keypair(fake_pk, fake_sk);
	sodium_bin2hex(hex, sizeof hex, fake_pk, 32);
	db = tu_raw_open(f->dir);
	assert_int_equal(tu_raw_exec(db, "UPDATE meta SET value = x'%s' WHERE key = 'quiz.box_pk'", hex), 0);
	assert_int_equal(tu_raw_changes(db), 1);
	tu_raw_close(db);
	become(f, KADER, KADER_PIN);
	assert_int_equal(quizstore_key_ready(f->s, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_string_equal(err.field, "quiz-seal");
	new_attempt(f->s, &a, &b, u, QUIZ_PRE);
	quiz_choose(&b, &a.ans, 0, 1);
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, true, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_true(uuid_is_zero(a.uuid));
	assert_int_equal(quizstore_attempts(f->s, NULL, false, &list, &n, &err), 0);
	assert_int_equal(n, 1);                 /* only the paper sheet */
	quizstore_attempts_free(list, n);
	/* A trainer session puts the derived key back; its signature holds. */
	become(f, TRAINER, TRAINER_PIN);
	assert_int_equal(quizstore_key_ready(f->s, &err), 0);
	db = tu_raw_open(f->dir);
	assert_int_equal(tu_raw_int(db, "SELECT count(*) FROM meta WHERE key = 'quiz.box_pk' "
					"AND value = x'%s'", hex), 0);
	tu_raw_close(db);
	become(f, KADER, KADER_PIN);
	assert_int_equal(quizstore_key_ready(f->s, &err), 0);

	/* A signature replaced too (with one over the fake key by a key of
	 * the attacker's own) does not verify either. */
	{
		uint8_t epk[32], esk[64], sig[64], dg[64];
		char shex[129];
		crypto_sign_keypair(epk, esk);
		crypto_generichash(dg, 64, fake_pk, 32, NULL, 0);
		crypto_sign_detached(sig, NULL, dg, 64, esk);
		sodium_bin2hex(shex, sizeof shex, sig, 64);
		db = tu_raw_open(f->dir);
		assert_int_equal(tu_raw_exec(db, "UPDATE meta SET value = x'%s' WHERE key = 'quiz.box_pk'", hex), 0);
		assert_int_equal(tu_raw_exec(db, "UPDATE meta SET value = x'%s' WHERE key = 'quiz.box_sig'", shex), 0);
		tu_raw_close(db);
		become(f, KADER, KADER_PIN);
		assert_int_equal(quizstore_key_ready(f->s, &err), -1);
		assert_int_equal(err.code, ERR_CRYPTO);
	}

	/* Before any trainer prepared quizzes there is no key to seal to. */
	db = tu_raw_open(f->dir);
	assert_int_equal(tu_raw_exec(db, "DELETE FROM meta WHERE key = 'quiz.box_pk'"), 0);
	tu_raw_close(db);
	become(f, KADER, KADER_PIN);
	new_attempt(f->s, &a, &b, u, QUIZ_PRACTICE);
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, false, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_string_equal(err.field, "quiz-key");
	quiz_bank_free(&b);
}

/* ---- another device of the posyandu (issue 13.2, the device side) ---- */

static int first_payload(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			 struct err *err)
{
	json_t **out = ctx;
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	(void)m;
	(void)err;
	if (!*out && root)
		*out = json_incref(json_object_get(root, "d"));
	json_decref(root);
	return 0;
}

/* The attempt keys and the answer key of a bank made on device A are
 * sealed to device B's quiz key once an admin of A accepted it; B's
 * trainer key opens them. A peer row edited by SQL is not a recipient. */
static void test_other_device_recipient(void **state)
{
	struct fixture *f = *state;
	struct store *b_store;
	struct quiz_bank b;
	struct quiz_attempt a;
	struct err err = { 0 };
	uint8_t u[16], pk_b[32], sig_b[64], ed_b[32], x_b[32], bsk[crypto_box_SECRETKEYBYTES];
	uint8_t bpk[32], key[32];
	char *bdir = tu_mkdtemp();
	json_t *d = NULL;
	sqlite3 *db;

	assert_non_null(bdir);
	b_store = tu_store_create(bdir, TU_ADMIN, TU_PIN, &err);
	assert_non_null(b_store);
	/* B's admin: its box key, signed by B's device key. */
	assert_int_equal(quizstore_box_key(b_store, pk_b, sig_b, &err), 0);
	assert_int_equal(store_device_pubkeys(b_store, ed_b, x_b, &err), 0);
	assert_true(quizstore_box_verify(ed_b, b_store->device_id, pk_b, sig_b));
	assert_false(quizstore_box_verify(ed_b, f->s->device_id, pk_b, sig_b));
	/* A's admin accepts it (a trainer may not). */
	become(f, TRAINER, TRAINER_PIN);
	assert_int_equal(quizstore_peer_add(f->s, b_store->device_id, pk_b, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	become(f, TU_ADMIN, TU_PIN);
	assert_int_equal(quizstore_peer_add(f->s, b_store->device_id, pk_b, &err), 0);

	import(f, good_ini);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &b, u, &err), 0);
	become(f, KADER, KADER_PIN);
	quiz_bank_free(&b);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &b, u, &err), 0);
	new_attempt(f->s, &a, &b, u, QUIZ_POST);
	quiz_choose(&b, &a.ans, 0, 1);
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, true, &err), 0);

	assert_int_equal(quiz_keypair(b_store, bpk, bsk, &err), 0);
	assert_memory_equal(bpk, pk_b, 32);
	assert_int_equal(record_each_current(f->s, REC_QUIZ_ATTEMPT, first_payload, &d, &err), 0);
	assert_int_equal(json_array_size(json_object_get(d, "keys")), 2);
	assert_true(quiz_unlock(d, bpk, bsk, key));
	json_decref(d);
	d = NULL;
	assert_int_equal(record_each_current(f->s, REC_QUIZ_BANK, first_payload, &d, &err), 0);
	assert_int_equal(json_array_size(json_object_get(d, "keys")), 2);
	assert_true(quiz_unlock(d, bpk, bsk, key));
	json_decref(d);
	d = NULL;

	/* A kader with a shell puts her own key into the peer row: it no
	 * longer verifies against A's device key and is left out. */
	{
		uint8_t fpk[32], fsk[32];
		char hex[65], name[64], dhex[33];
		crypto_box_keypair(fpk, fsk);
		sodium_bin2hex(hex, sizeof hex, fpk, 32);
		sodium_bin2hex(dhex, sizeof dhex, b_store->device_id, 16);
		snprintf(name, sizeof name, "quiz.peer.%s", dhex);
		db = tu_raw_open(f->dir);
		assert_int_equal(tu_raw_exec(db, "UPDATE meta SET value = CAST(x'%s' || substr(value, 33) AS BLOB) "
						 "WHERE key = '%s'", hex, name), 0);
		assert_int_equal(tu_raw_changes(db), 1);
		assert_int_equal(tu_raw_int(db, "SELECT count(*) FROM meta WHERE key = '%s' AND "
						"length(value) = 96 AND substr(value, 1, 32) = x'%s'",
					    name, hex), 1);
		tu_raw_close(db);
	}
	new_attempt(f->s, &a, &b, u, QUIZ_PRE);
	assert_int_equal(quizstore_attempt_save(f->s, &a, &b, true, &err), 0);
	{
		uint8_t pks[QUIZ_MAX_RECIPIENTS][32];
		size_t n;
		assert_int_equal(quiz_recipients(f->s, pks, &n, &err), 0);
		assert_int_equal(n, 1);
	}
	sodium_memzero(bsk, sizeof bsk);
	quiz_bank_free(&b);
	store_close(b_store);
	tu_rmtree(bdir);
	free(bdir);
}

/* ---- trainings ---- */

static void test_trainings(void **state)
{
	struct fixture *f = *state;
	struct quiz_training t, *list;
	const struct store_user *me;
	struct store_user *users;
	struct err err = { 0 };
	struct draft d;
	size_t n, nu;

	memset(&t, 0, sizeof t);
	snprintf(t.title, sizeof t.title, "Pelatihan KMS");
	t.date = date_from_ymd(2025, 3, 10);
	snprintf(t.place, sizeof t.place, "Balai RW 03");
	snprintf(t.trainer, sizeof t.trainer, "Bidan Rina");
	assert_int_equal(store_users(f->s, &users, &nu, &err), 0);
	for (size_t i = 0; i < nu; i++)
		if (strcmp(users[i].label, KADER) == 0) {
			memcpy(t.p[t.np].user, users[i].uuid, 16);
			snprintf(t.p[t.np++].name, sizeof t.p[0].name, "%s", users[i].label);
		}
	free(users);
	snprintf(t.p[t.np++].name, sizeof t.p[0].name, "Bu Wati");
	memset(t.runs[0].bank, 9, 16);
	snprintf(t.runs[0].bank_id, sizeof t.runs[0].bank_id, "kms-test");
	t.runs[0].bank_version = 1;
	t.runs[0].kind = QUIZ_PRE;
	t.runs[0].open = true;
	t.nruns = 1;

	become(f, KADER, KADER_PIN);
	store_draft_new(&d);
	assert_int_equal(quizstore_training_put(f->s, &d, &t, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	become(f, TRAINER, TRAINER_PIN);
	assert_int_equal(quizstore_training_put(f->s, &d, &t, &err), 0);
	assert_memory_equal(t.uuid, d.uuid, 16);
	/* An edit: the run is closed, a post-test opened. */
	t.runs[0].open = false;
	t.runs[1] = t.runs[0];
	t.runs[1].kind = QUIZ_POST;
	t.runs[1].open = true;
	t.nruns = 2;
	assert_int_equal(store_draft_edit(f->s, &d, t.uuid, &err), 0);
	assert_int_equal(quizstore_training_put(f->s, &d, &t, &err), 0);

	become(f, KADER, KADER_PIN);                      /* anyone may read trainings */
	assert_int_equal(quizstore_trainings(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].title, "Pelatihan KMS");
	assert_int_equal(list[0].date, date_from_ymd(2025, 3, 10));
	assert_string_equal(list[0].place, "Balai RW 03");
	assert_int_equal(list[0].np, 2);
	assert_int_equal(list[0].nruns, 2);
	assert_false(list[0].runs[0].open);
	assert_int_equal(list[0].runs[1].kind, QUIZ_POST);
	me = store_session(f->s);
	assert_true(quizstore_is_participant(&list[0], me->uuid, me->label));
	assert_true(quizstore_is_participant(&list[0], NULL, "Bu Wati"));
	assert_false(quizstore_is_participant(&list[0], NULL, "Bu Tini"));
	free(list);
}

/* ---- issue 14: participants with an id and a posyandu code ---- */

/* Two "Bu Wati": one of P-0002, one without a code (this store's, TU_CODE). */
static void two_of_one_name(struct fixture *f, struct quiz_training *t, const uint8_t bank[16])
{
	struct err err = { 0 };
	struct draft d;

	memset(t, 0, sizeof *t);
	snprintf(t->title, sizeof t->title, "Pelatihan ILP");
	t->date = date_from_ymd(2025, 3, 10);
	snprintf(t->p[0].name, sizeof t->p[0].name, "Bu Wati");
	snprintf(t->p[1].name, sizeof t->p[1].name, "Bu Wati");
	snprintf(t->p[1].posyandu, sizeof t->p[1].posyandu, "P-0002");
	t->np = 2;
	memcpy(t->runs[0].bank, bank, 16);
	snprintf(t->runs[0].bank_id, sizeof t->runs[0].bank_id, "kms-test");
	t->runs[0].bank_version = 1;
	t->runs[0].kind = QUIZ_PRE;
	t->nruns = 1;
	store_draft_new(&d);
	if (quizstore_training_put(f->s, &d, t, &err) < 0)
		fail_msg("training_put: %s", err.detail);
}

static void test_participant_identity(void **state)
{
	struct fixture *f = *state;
	struct quiz_training t, *list, *again;
	struct err err = { 0 };
	struct draft d;
	uint8_t bank[16], id0[16], id1[16];
	size_t n, n2;

	memset(bank, 9, 16);
	become(f, TRAINER, TRAINER_PIN);
	/* A code that is not a posyandu code is refused, as everywhere. */
	memset(&t, 0, sizeof t);
	snprintf(t.title, sizeof t.title, "X");
	t.date = date_from_ymd(2025, 3, 10);
	snprintf(t.p[0].name, sizeof t.p[0].name, "Bu Tini");
	snprintf(t.p[0].posyandu, sizeof t.p[0].posyandu, "p 1");
	t.np = 1;
	store_draft_new(&d);
	assert_int_equal(quizstore_training_put(f->s, &d, &t, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_string_equal(err.field, "code");

	two_of_one_name(f, &t, bank);
	/* Each got an id of her own; no code means this store's. */
	assert_false(uuid_is_zero(t.p[0].id));
	assert_false(uuid_is_zero(t.p[1].id));
	assert_memory_not_equal(t.p[0].id, t.p[1].id, 16);
	assert_string_equal(t.p[0].posyandu, TU_CODE);
	assert_string_equal(t.p[1].posyandu, "P-0002");
	memcpy(id0, t.p[0].id, 16);
	memcpy(id1, t.p[1].id, 16);

	/* Read back (any role): two people, ids and codes kept; an edit of
	 * the training keeps them too. */
	become(f, KADER, KADER_PIN);
	assert_int_equal(quizstore_trainings(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].np, 2);
	assert_memory_equal(list[0].p[0].id, id0, 16);
	assert_memory_equal(list[0].p[1].id, id1, 16);
	assert_string_equal(list[0].p[1].posyandu, "P-0002");
	assert_int_equal(quizstore_participant_no(&list[0], id1), 2);
	assert_ptr_equal(quizstore_participant_by_id(&list[0], id0), &list[0].p[0]);
	/* By name, without an account, the first of that name. */
	assert_ptr_equal(quizstore_participant_find(&list[0], NULL, "Bu Wati"), &list[0].p[0]);
	become(f, TRAINER, TRAINER_PIN);
	list[0].runs[0].open = true;
	assert_int_equal(store_draft_edit(f->s, &d, list[0].uuid, &err), 0);
	assert_int_equal(quizstore_training_put(f->s, &d, &list[0], &err), 0);
	assert_int_equal(quizstore_trainings(f->s, &again, &n2, &err), 0);
	assert_memory_equal(again[0].p[0].id, id0, 16);
	assert_memory_equal(again[0].p[1].id, id1, 16);
	free(again);
	free(list);

	/* A training stored before ids and codes (participants by name only):
	 * each participant gets an id derived from the training and her place,
	 * the same on every read; two of one name are still two; no code. */
	{
		json_t *dj = json_object(), *ps = json_array(), *o;
		char *json;
		for (int i = 0; i < 2; i++) {
			o = json_object();
			json_object_set_new(o, "name", json_string("Bu Ani"));
			json_array_append_new(ps, o);
		}
		json_object_set_new(dj, "title", json_string("Lama"));
		json_object_set_new(dj, "date", json_string("2024-01-05"));
		json_object_set_new(dj, "participants", ps);
		json_object_set_new(dj, "runs", json_array());
		json = wrap_payload(f->s, dj);
		store_draft_new(&d);
		assert_int_equal(record_put(f->s, &d, REC_TRAINING, NULL, -1, false, json, strlen(json),
					    &err), 0);
		codec_free(json);
		assert_int_equal(quizstore_trainings(f->s, &list, &n, &err), 0);
		assert_int_equal(quizstore_trainings(f->s, &again, &n2, &err), 0);
		assert_int_equal(n, 2);
		assert_string_equal(list[1].title, "Lama");          /* newest first */
		assert_false(uuid_is_zero(list[1].p[0].id));
		assert_memory_not_equal(list[1].p[0].id, list[1].p[1].id, 16);
		assert_memory_equal(list[1].p[0].id, again[1].p[0].id, 16);
		assert_memory_equal(list[1].p[1].id, again[1].p[1].id, 16);
		assert_string_equal(list[1].p[0].posyandu, "");
		free(list);
		free(again);
	}
}

static int64_t audit_saves_of(struct fixture *f, const uint8_t uuid[16])
{
	struct audit_entry *e;
	struct err err = { 0 };
	size_t n;
	int64_t k = 0;

	if (store_audit_list(f->s, &e, &n, &err) < 0)
		fail_msg("audit: %s", err.detail);
	for (size_t i = 0; i < n; i++)
		k += strcmp(audit_action_name(e[i].action), "save") == 0 &&
		     memcmp(e[i].object, uuid, 16) == 0;
	free(e);
	return k;
}

static void sheet_for(struct quiz_attempt *a, const struct quiz_training *t, size_t who,
		      const struct quiz_bank *b, const uint8_t bank[16], const char *answers)
{
	struct err err = { 0 };
	memset(a, 0, sizeof *a);
	memcpy(a->bank, bank, 16);
	snprintf(a->bank_id, sizeof a->bank_id, "%s", b->id);
	a->bank_version = b->version;
	memcpy(a->training, t->uuid, 16);
	a->kind = QUIZ_PRE;
	snprintf(a->kader_name, sizeof a->kader_name, "%s", t->p[who].name);
	memcpy(a->participant, t->p[who].id, 16);
	snprintf(a->posyandu, sizeof a->posyandu, "%s", t->p[who].posyandu);
	a->day = t->date;
	if (quiz_sheet_parse(b, answers, &a->ans, &err) < 0)
		fail_msg("sheet: %s", err.detail);
}

/* The same sheet keyed in again replaces the attempt; per posyandu. */
static void test_sheet_rekeyed_replaces(void **state)
{
	struct fixture *f = *state;
	struct quiz_training t;
	struct quiz_bank b;
	struct quiz_attempt a, first, *list;
	struct quiz_report r;
	struct quiz_district_row *rows;
	struct err err = { 0 };
	uint8_t u[16], other[16];
	char hex[33];
	sqlite3 *db;
	bool replaced = true;
	size_t n;

	become(f, TRAINER, TRAINER_PIN);
	import(f, good_ini);
	assert_int_equal(quizstore_bank_get(f->s, "kms-test", 0, &b, u, &err), 0);
	two_of_one_name(f, &t, u);

	/* q1 b, q2 a+c, q3 a. #1 (P-0001): all right; #2 (P-0002): q1 only. */
	sheet_for(&a, &t, 0, &b, u, "b [ac] a");
	assert_int_equal(quizstore_sheet_save(f->s, &a, &b, &replaced, &err), 0);
	assert_false(replaced);
	assert_int_equal(a.right, 3);
	assert_true(a.sheet);
	first = a;
	/* Its uuid is the sheet's identity: training, participant, bank
	 * version, kind. */
	quizstore_sheet_uuid(t.uuid, t.p[0].id, "kms-test", 1, QUIZ_PRE, other);
	assert_memory_equal(a.uuid, other, 16);
	quizstore_sheet_uuid(t.uuid, t.p[0].id, "kms-test", 1, QUIZ_POST, other);
	assert_memory_not_equal(a.uuid, other, 16);
	quizstore_sheet_uuid(t.uuid, t.p[1].id, "kms-test", 1, QUIZ_PRE, other);
	assert_memory_not_equal(a.uuid, other, 16);

	sheet_for(&a, &t, 1, &b, u, "b a b");
	assert_int_equal(quizstore_sheet_save(f->s, &a, &b, &replaced, &err), 0);
	assert_false(replaced);
	assert_int_equal(a.right, 1);

	/* #1's sheet keyed in again, with a typing error fixed the other way:
	 * the same record, a new version; still two attempts. */
	sheet_for(&a, &t, 0, &b, u, "b a a");
	assert_int_equal(quizstore_sheet_save(f->s, &a, &b, &replaced, &err), 0);
	assert_true(replaced);
	assert_memory_equal(a.uuid, first.uuid, 16);
	assert_int_equal(a.right, 2);
	assert_int_equal(quizstore_attempts(f->s, "kms-test", true, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		if (memcmp(list[i].uuid, first.uuid, 16) == 0) {
			assert_int_equal(list[i].right, 2);
			assert_memory_equal(list[i].participant, t.p[0].id, 16);
			assert_string_equal(list[i].posyandu, TU_CODE);
			assert_true(list[i].sheet);
		}
	quizstore_attempts_free(list, n);
	/* Recorded: two versions of that record, two save entries naming it. */
	sodium_bin2hex(hex, sizeof hex, first.uuid, 16);
	db = tu_raw_open(f->dir);
	assert_int_equal(tu_raw_int(db, "SELECT count(*) FROM versions WHERE uuid = x'%s'", hex), 2);
	assert_int_equal(tu_raw_int(db, "SELECT count(*) FROM heads WHERE kind = %d", REC_QUIZ_ATTEMPT), 2);
	tu_raw_close(db);
	assert_int_equal(audit_saves_of(f, first.uuid), 2);

	/* The report: two people of one name, one pair each; per posyandu,
	 * and narrowed to one posyandu (item analysis of its people only). */
	assert_int_equal(quiz_report_build(f->s, "kms-test", 0, NULL, 0, NULL, &r, &err), 0);
	assert_int_equal(r.natt, 2);
	assert_int_equal(r.npairs, 2);
	assert_int_equal(r.npos, 2);
	assert_string_equal(r.pos[0].code, "P-0001");
	assert_int_equal(r.pos[0].pre_n, 1);
	assert_float_equal(r.pos[0].pre_mean, 200.0 / 3, 1e-9);
	assert_string_equal(r.pos[1].code, "P-0002");
	assert_float_equal(r.pos[1].pre_mean, 100.0 / 3, 1e-9);
	assert_int_equal(quiz_report_no(&r, t.uuid, t.p[1].id), 2);
	quiz_report_free(&r);
	assert_int_equal(quiz_report_build(f->s, "kms-test", 0, NULL, 0, "P-0002", &r, &err), 0);
	assert_int_equal(r.natt, 1);
	assert_string_equal(r.att[0].posyandu, "P-0002");
	assert_int_equal(r.items[0].right, 1);               /* q1: right */
	assert_int_equal(r.items[1].right, 0);               /* q2: "a" of a+c */
	quiz_report_free(&r);
	assert_int_equal(quiz_report_build(f->s, "kms-test", 0, NULL, 0, "-", &r, &err), 0);
	assert_int_equal(r.natt, 0);
	quiz_report_free(&r);

	/* What the district shows: counts per posyandu, from the clear part. */
	assert_int_equal(quiz_district_build(f->s, &rows, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].posyandu, "P-0001");
	assert_int_equal(rows[0].participants, 1);
	assert_int_equal(rows[0].submitted, 1);
	assert_int_equal(rows[0].sheets, 1);
	assert_int_equal(rows[0].trainings, 1);
	assert_string_equal(rows[1].posyandu, "P-0002");
	assert_int_equal(rows[1].submitted, 1);
	free(rows);

	/* A kader session keys in no sheet. */
	become(f, KADER, KADER_PIN);
	sheet_for(&a, &t, 0, &b, u, "b a a");
	assert_int_equal(quizstore_sheet_save(f->s, &a, &b, NULL, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	quiz_bank_free(&b);
}

/* The roster gathers accounts, trainings, submitted scores and the desk's
 * sessions on duty (app/quiz_view.c over storage, folded by core). */
static void test_roster_report(void **state)
{
	struct fixture *f = *state;
	struct quiz_training t;
	struct session x;
	struct store_user *users;
	struct roster_row *rows;
	struct err err = { 0 };
	struct draft d;
	uint8_t sri[16] = { 0 };
	size_t nu, n;
	int32_t today = date_from_ymd(2025, 6, 30);

	assert_int_equal(store_users(f->s, &users, &nu, &err), 0);
	for (size_t i = 0; i < nu; i++)
		if (strcmp(users[i].label, KADER) == 0)
			memcpy(sri, users[i].uuid, 16);
	free(users);
	become(f, TRAINER, TRAINER_PIN);
	memset(&x, 0, sizeof x);
	x.date = date_from_ymd(2025, 5, 12);
	memcpy(x.kader[0], sri, 16);
	x.n_kader = 1;
	store_draft_new(&d);
	assert_int_equal(store_session_put(f->s, &d, &x, &err), 0);
	memset(&t, 0, sizeof t);
	snprintf(t.title, sizeof t.title, "Pelatihan");
	t.date = date_from_ymd(2025, 1, 15);
	snprintf(t.p[t.np++].name, sizeof t.p[0].name, "Bu Wati");
	store_draft_new(&d);
	assert_int_equal(quizstore_training_put(f->s, &d, &t, &err), 0);

	assert_int_equal(quiz_roster_report(f->s, 0, today, &rows, &n, &err), 0);
	/* Four accounts (admin, sri, wati, bidan) plus Bu Wati by name. */
	assert_int_equal(n, 5);
	assert_string_equal(rows[0].name, "Bu Wati");      /* C collation: capitals first */
	assert_int_equal(rows[0].role, 0);
	assert_int_equal(rows[0].trainings, 1);
	assert_true(rows[0].inactive);                     /* 15-01 < 30-03 */
	assert_string_equal(rows[3].name, KADER);          /* Bu Wati, admin, bidan, sri, wati */
	assert_int_equal(rows[3].role, ROLE_KADER);
	assert_int_equal(rows[3].duty, 1);
	assert_int_equal(rows[3].last_duty, date_from_ymd(2025, 5, 12));
	assert_int_equal(rows[4].duty, 0);
	free(rows);

	/* Results need the quiz key: a kader gets no roster. */
	become(f, KADER, KADER_PIN);
	assert_int_equal(quiz_roster_report(f->s, 0, today, &rows, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_good_bank, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_not_among_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options_and_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_file_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bank_import_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kader_takes_resumes_and_cannot_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_version_keeps_old_scores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paper_sheet_and_tampered_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_device_recipient, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trainings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roster_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_participant_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sheet_rekeyed_replaces, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
