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
#define ANSKEY_DOMAIN "posyandu/v1/quizanskey"
#define AEAD_NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_A crypto_aead_xchacha20poly1305_ietf_ABYTES
#define LEGACY_MAX 64

/* Without the answer key a question's correct is a stand-in outside its
 * options (never right): one bit for a one-answer question, two for a
 * several-answer one, which the question shows anyway ("choose all"). */
#define STANDIN_ONE (1u << 7)
#define STANDIN_SEVERAL ((1u << 7) | (1u << 6))

bool quiz_bank_has_key(const struct quiz_bank *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (!b->q[i].correct || (b->q[i].correct >> b->q[i].noptions))
			return false;
	return b->n > 0;
}

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
		json_object_set_new(o, "several", json_boolean(quiz_is_multi(q)));
		if (q->explain[0])
			set_s(o, "explain", q->explain);
		json_array_append_new(qs, o);
	}
	json_object_set_new(d, "questions", qs);
	return d;
}

/* The box key pair that opens banks' answer keys (trainer, admin). */
struct opener {
	bool has;
	uint8_t pk[32], sk[crypto_box_SECRETKEYBYTES];
};

static int anskey_open(json_t *d, const uint8_t uuid[16], const struct opener *op,
		       struct quiz_bank *b, struct err *err);

/* B from payload D of record UUID. The answer key (and the explanations,
 * which give it away) is sealed since issue 13.2: opened with OP when it
 * can be, else every correct is 0. *LEGACY: the answers were in clear. */
static int bank_from_json(json_t *d, const uint8_t uuid[16], const struct opener *op,
			  struct quiz_bank *b, bool *legacy, struct err *err)
{
	struct jdec x = { d, err, 0 };
	json_t *qs = json_object_get(d, "questions");
	size_t i;
	json_t *o;

	memset(b, 0, sizeof *b);
	*legacy = false;
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
		if (json_object_get(o, "answer") || !json_object_get(d, "sealed")) {
			*legacy = true;
			jstr(&y, "answer", ans, sizeof ans, true);
			if (!y.bad && quiz_parse_choice(ans, q->noptions, &q->correct, err) < 0)
				y.bad++;
		}
		if (y.bad) {
			x.bad++;
			break;
		}
	}
	if (!x.bad && !*legacy && op && op->has && anskey_open(d, uuid, op, b, err) < 0)
		x.bad++;
	if (!x.bad) {
		/* Without the answer key: check the rest with a one-option answer,
		 * then leave the stand-in (see STANDIN_ONE). */
		bool keyless = !quiz_bank_has_key(b);
		for (size_t k = 0; keyless && k < b->n; k++)
			b->q[k].correct = 1;
		if (quiz_bank_check(b, err) < 0)
			x.bad++;
		qs = json_object_get(d, "questions");
		for (size_t k = 0; keyless && k < b->n; k++)
			b->q[k].correct = json_is_true(json_object_get(json_array_get(qs, k), "several"))
					  ? STANDIN_SEVERAL : STANDIN_ONE;
	}
	if (x.bad) {
		quiz_bank_free(b);
		return -1;
	}
	return 0;
}

/* ---- the sealed answer key ---- */

static void anskey_ad(const uint8_t uuid[16], uint8_t ad[sizeof ANSKEY_DOMAIN - 1 + 16])
{
	memcpy(ad, ANSKEY_DOMAIN, sizeof ANSKEY_DOMAIN - 1);
	memcpy(ad + sizeof ANSKEY_DOMAIN - 1, uuid, 16);
}

/* Move the answers and explanations of bank payload D (from bank_json)
 * into "sealed": XChaCha20-Poly1305 under a random bank key, which is
 * sealed to each of the N authenticated quiz box keys PKS in "keys". */
static int anskey_seal(json_t *d, const uint8_t uuid[16], const uint8_t (*pks)[32], size_t npk,
		       struct err *err)
{
	json_t *inner = json_object(), *ans = json_array(), *ex = json_array(), *o, *keys;
	uint8_t key[32], ad[sizeof ANSKEY_DOMAIN - 1 + 16], *box = NULL;
	char *plain = NULL, *b64 = NULL;
	size_t i, plen, blen, b64len;
	int rc = -1;

	json_array_foreach(json_object_get(d, "questions"), i, o) {
		json_array_append(ans, json_object_get(o, "answer"));
		json_t *e = json_object_get(o, "explain");
		json_array_append_new(ex, e ? json_incref(e) : json_string(""));
		json_object_del(o, "answer");
		json_object_del(o, "explain");
	}
	json_object_set_new(inner, "answers", ans);
	json_object_set_new(inner, "explain", ex);
	plain = json_dumps(inner, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(inner);
	if (!plain)
		goto out;
	plen = strlen(plain);
	blen = AEAD_NPUB + plen + AEAD_A;
	b64len = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	if (!(box = malloc(blen)) || !(b64 = malloc(b64len)))
		goto out;
	randombytes_buf(key, sizeof key);
	randombytes_buf(box, AEAD_NPUB);
	anskey_ad(uuid, ad);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + AEAD_NPUB, NULL, (const uint8_t *)plain, plen,
						   ad, sizeof ad, NULL, box, key);
	sodium_bin2base64(b64, b64len, box, blen, sodium_base64_VARIANT_ORIGINAL);
	if (!(keys = quiz_lock(key, pks, npk)))
		goto out;
	json_object_set_new(d, "keys", keys);
	json_object_set_new(d, "sealed", json_string(b64));
	rc = 0;
out:
	sodium_memzero(key, sizeof key);
	codec_free(plain);
	free(box);
	free(b64);
	if (rc < 0)
		err_set(err, ERR_NOMEM, NULL, "encode");
	return rc;
}

/* Fill B's answers and explanations from the sealed part of D, when OP
 * opens one of its keys. Not sealed to this device: left without them. */
static int anskey_open(json_t *d, const uint8_t uuid[16], const struct opener *op,
		       struct quiz_bank *b, struct err *err)
{
	json_t *v = json_object_get(d, "sealed"), *inner, *ans, *ex, *e;
	uint8_t key[32], ad[sizeof ANSKEY_DOMAIN - 1 + 16], *box;
	char *plain;
	size_t blen, i;
	json_error_t je;
	int bad = 0;

	if (!quiz_unlock(d, op->pk, op->sk, key))
		return 0;
	if (!json_is_string(v) || !(box = malloc(json_string_length(v) + 1))) {
		sodium_memzero(key, sizeof key);
		return err_set(err, ERR_FORMAT, NULL, "bank answer key is malformed");
	}
	if (sodium_base642bin(box, json_string_length(v) + 1, json_string_value(v),
			      json_string_length(v), NULL, &blen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || blen < AEAD_NPUB + AEAD_A ||
	    !(plain = malloc(blen))) {
		free(box);
		sodium_memzero(key, sizeof key);
		return err_set(err, ERR_FORMAT, NULL, "bank answer key is malformed");
	}
	anskey_ad(uuid, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, NULL, NULL, box + AEAD_NPUB,
						       blen - AEAD_NPUB, ad, sizeof ad, box, key) != 0) {
		free(box);
		free(plain);
		sodium_memzero(key, sizeof key);
		return err_set(err, ERR_CRYPTO, NULL, "bank answer key does not authenticate");
	}
	sodium_memzero(key, sizeof key);
	inner = json_loadb(plain, blen - AEAD_NPUB - AEAD_A, JSON_REJECT_DUPLICATES, &je);
	sodium_memzero(plain, blen);
	free(plain);
	free(box);
	ans = json_object_get(inner, "answers");
	ex = json_object_get(inner, "explain");
	if (json_array_size(ans) != b->n || json_array_size(ex) != b->n)
		bad++;
	json_array_foreach(ans, i, e) {
		if (bad || i >= b->n)
			break;
		if (!json_is_string(e) ||
		    quiz_parse_choice(json_string_value(e), b->q[i].noptions, &b->q[i].correct, err) < 0)
			bad++;
	}
	json_array_foreach(ex, i, e) {
		if (bad || i >= b->n)
			break;
		if (!json_is_string(e) || json_string_length(e) >= sizeof b->q[i].explain)
			bad++;
		else
			memcpy(b->q[i].explain, json_string_value(e), json_string_length(e) + 1);
	}
	json_decref(inner);
	if (bad) {
		for (i = 0; i < b->n; i++)
			b->q[i].correct = STANDIN_ONE;
		return err_set(err, ERR_FORMAT, NULL, "bank answer key is malformed");
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
	struct quizstore_bank_info *list;
	size_t n, cap;
	struct opener op;              /* trainer, admin: opens answer keys */
	uint8_t legacy[LEGACY_MAX][16];    /* banks with answers in clear */
	size_t nlegacy;
};

static int bank_each(void *ctx, const struct rec_meta *m, json_t *d, struct err *err)
{
	struct bank_scan *sc = ctx;
	struct quiz_bank b;
	bool legacy;

	if (bank_from_json(d, m->uuid, &sc->op, &b, &legacy, err) < 0)
		return -1;
	if (legacy && sc->nlegacy < LEGACY_MAX)
		memcpy(sc->legacy[sc->nlegacy++], m->uuid, 16);
	if (sc->uuid && memcmp(sc->uuid, m->uuid, 16) == 0) {
		quiz_bank_free(sc->found);
		*sc->found = b;
		memcpy(sc->found_uuid, m->uuid, 16);
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

/* Scan the current banks with SC; ERR_DENIED unless unlocked. A trainer
 * or admin session opens the answer keys sealed to this device. */
static int bank_scan(struct store *s, struct bank_scan *sc, struct err *err)
{
	int rc;

	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	sc->op.has = s->keys->has_quiz && quiz_keypair(s, sc->op.pk, sc->op.sk, err) == 0;
	rc = quiz_each_d(s, REC_QUIZ_BANK, bank_each, sc, err);
	sodium_memzero(&sc->op, sizeof sc->op);
	return rc;
}

/* The payload of bank B (record UUID), its answer key sealed. */
static char *bank_payload(struct store *s, const struct quiz_bank *b, const uint8_t uuid[16],
			  struct err *err)
{
	uint8_t pks[QUIZ_MAX_RECIPIENTS][32];
	size_t npk;
	json_t *dj;
	char *json;

	if (quiz_recipients(s, pks, &npk, err) < 0)
		return NULL;
	dj = bank_json(b);
	if (anskey_seal(dj, uuid, (const uint8_t (*)[32])pks, npk, err) < 0) {
		json_decref(dj);
		return NULL;
	}
	if (!(json = wrap_payload(s, dj)))
		err_set(err, ERR_NOMEM, NULL, "encode");
	return json;
}

/* Banks stored before issue 13.2 carry their answer key in clear: a
 * trainer or admin session stores each again, sealed. (The older version
 * stays in the history: such a bank version should be replaced.) */
static void reseal_legacy(struct store *s, const struct bank_scan *sc)
{
	for (size_t i = 0; i < sc->nlegacy; i++) {
		struct err ignore = { 0 };
		struct quiz_bank b;
		struct draft d;
		char *json;
		if (quizstore_bank_by_uuid(s, sc->legacy[i], &b, &ignore) < 0)
			continue;
		if (quiz_bank_has_key(&b) && store_draft_edit(s, &d, sc->legacy[i], &ignore) == 0 &&
		    (json = bank_payload(s, &b, sc->legacy[i], &ignore))) {
			(void)record_put(s, &d, REC_QUIZ_BANK, NULL, -1, false, json, strlen(json),
					 &ignore);
			codec_free(json);
		}
		quiz_bank_free(&b);
	}
}

int quizstore_bank_put(struct store *s, const struct quiz_bank *b, bool *same, struct err *err)
{
	struct bank_scan sc;
	struct quiz_bank old;
	struct draft d;
	uint8_t uuid[16];
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
	bank_uuid(b->id, b->version, uuid);
	memset(&sc, 0, sizeof sc);
	memset(&old, 0, sizeof old);
	sc.uuid = uuid;
	sc.found = &old;
	if (bank_scan(s, &sc, err) < 0) {
		quiz_bank_free(&old);
		return -1;
	}
	if (old.n) {
		/* Compared with its answer key opened: one sealed only to other
		 * devices does not compare equal. */
		json_t *x = bank_json(&old), *y = bank_json(b);
		*same = json_equal(x, y);
		json_decref(x);
		json_decref(y);
		quiz_bank_free(&old);
		if (*same)
			return 0;
		return err_set(err, ERR_EXISTS, "quiz-bank", "bank %s version %d exists with other content",
			       b->id, b->version);
	}
	if (!(json = bank_payload(s, b, uuid, err)))   /* also keeps the quiz key up to date */
		return -1;
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
	/* Best effort: keep the quiz public key in meta for kader sessions
	 * (banks may have come by sync, without an import here). */
	quiz_key_touch(s);
	if (bank_scan(s, &sc, err) < 0) {
		free(sc.list);
		return -1;
	}
	if (sc.nlegacy && s->keys->has_quiz) {
		reseal_legacy(s, &sc);
		free(sc.list);
		memset(&sc, 0, sizeof sc);
		if (bank_scan(s, &sc, err) < 0) {
			free(sc.list);
			return -1;
		}
	}
	if (sc.n > 1)
		if (sc.n > 1)
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
