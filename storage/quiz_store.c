/* storage/quiz_store.c: question banks as records (the design is in
 * storage/quiz_store.h). The rest of the quiz store: bank files in
 * quiz_ini.c, trainings in quiz_training.c, sealed attempts in
 * quiz_attempt.c; what they share in quiz_internal.h. */
#include "storage/quiz_store.h"
#include "storage/internal.h"
#include "storage/quiz_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/codec.h"
#include "core/banned.h"

#define BANK_DOMAIN "posyandu/v1/quizbank"

/* ---- the payload ---- */


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

/* ---- records ---- */

struct each_d {
	quiz_d_fn fn;
	void *ctx;
};

static int each_d_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		      struct err *err)
{
	struct each_d *e = ctx;
	json_t *root, *d = open_d(json, len, &root, err);
	int rc = d ? e->fn(e->ctx, m, d, err) : -1;

	json_decref(root);
	return rc;
}

int quiz_each_d(struct store *s, int kind, quiz_d_fn fn, void *ctx, struct err *err)
{
	struct each_d e = { fn, ctx };
	return record_each_current(s, kind, each_d_one, &e, err);
}

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

static int bank_each(void *ctx, const struct rec_meta *m, json_t *d, struct err *err)
{
	struct bank_scan *sc = ctx;
	struct quiz_bank b;

	if (bank_from_json(d, &b, err) < 0)
		return -1;
	if (sc->uuid && memcmp(sc->uuid, m->uuid, 16) == 0) {
		quiz_bank_free(sc->found);
		*sc->found = b;
		memcpy(sc->found_uuid, m->uuid, 16);
		if (sc->found_d)
			json_decref(sc->found_d);
		sc->found_d = json_incref(d);
		return 0;
	}
	if (sc->id && strcmp(sc->id, b.id) == 0 &&
	    (sc->version ? b.version == sc->version : b.version > sc->found_version)) {
		quiz_bank_free(sc->found);
		*sc->found = b;
		sc->found_version = b.version;
		memcpy(sc->found_uuid, m->uuid, 16);
		return 0;
	}
	if (!sc->uuid && !sc->id) {
		struct quizstore_bank_info *bi;
		if (grow((void **)&sc->list, &sc->cap, sc->n, sizeof *sc->list) < 0) {
			quiz_bank_free(&b);
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
	return 0;
}

/* Scan the current banks with SC; ERR_DENIED unless unlocked. */
static int bank_scan(struct store *s, struct bank_scan *sc, struct err *err)
{
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	return quiz_each_d(s, REC_QUIZ_BANK, bank_each, sc, err);
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
	if (quiz_each_d(s, REC_QUIZ_BANK, bank_each, &sc, err) < 0) {
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
	memset(&sc, 0, sizeof sc);
	if (store_unlocked(s) && s->keys->has_quiz) {
		/* Best effort: keep the quiz public key in meta for kader sessions
		 * (banks may have come by sync, without an import here). */
		uint8_t pk[32];
		struct err ignore = { 0 };
		(void)quiz_public_key(s, pk, &ignore);
	}
	if (bank_scan(s, &sc, err) < 0) {
		free(sc.list);
		return -1;
	}
	qsort(sc.list, sc.n, sizeof *sc.list, by_id_version);
	*out = sc.list;
	*n = sc.n;
	return 0;
}

/* The bank SC looks for, into B (zeroed first): 0, or 1 when there is none. */
static int bank_find(struct store *s, struct bank_scan *sc, struct quiz_bank *b,
		     struct err *err)
{
	int rc;

	memset(b, 0, sizeof *b);
	sc->found = b;
	rc = bank_scan(s, sc, err);
	json_decref(sc->found_d);
	if (rc < 0) {
		quiz_bank_free(b);
		return -1;
	}
	return b->n ? 0 : 1;
}

int quizstore_bank_get(struct store *s, const char *id, int version, struct quiz_bank *b,
		       uint8_t uuid[16], struct err *err)
{
	struct bank_scan sc = { .id = id, .version = version };
	int rc = bank_find(s, &sc, b, err);

	if (rc > 0)
		return err_set(err, ERR_NOTFOUND, "quiz-bank", "no bank %s", id);
	if (rc == 0 && uuid)
		memcpy(uuid, sc.found_uuid, 16);
	return rc;
}

int quizstore_bank_by_uuid(struct store *s, const uint8_t uuid[16], struct quiz_bank *b,
			   struct err *err)
{
	struct bank_scan sc = { .uuid = uuid };
	int rc = bank_find(s, &sc, b, err);

	return rc > 0 ? err_set(err, ERR_NOTFOUND, "quiz-bank", "no such bank") : rc;
}
