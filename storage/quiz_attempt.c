/* storage/quiz_attempt.c: quiz attempts: the quiz box key pair and the
 * meta rows that keep attempt keys, sealing and opening the answers, and
 * saving and listing attempts as records (the design is in
 * storage/quiz_store.h). */
#include "storage/quiz_store.h"
#include "storage/internal.h"
#include "storage/quiz_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/codec.h"
#include "core/banned.h"

#define ATTKEY_DOMAIN "posyandu/v1/quizatt"
#define ANSWERS_DOMAIN "posyandu/v1/quizans"
#define META_ATT "quiz.att."
#define AEAD_NPUB crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_A crypto_aead_xchacha20poly1305_ietf_ABYTES

/* ================================================================ */
/* Keys                                                             */
/* ================================================================ */

/* Meta KEY of exactly SIZE bytes: *FOUND false (and 0 returned) when it is
 * absent or shorter. */
static int meta_exact(struct store *s, const char *key, void *out, size_t size, bool *found,
		      struct err *err)
{
	size_t len;
	int rc = meta_get(s->db, key, out, size, &len, err);
	*found = rc == 1 && len == size;
	return rc < 0 ? -1 : 0;
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

/* The key a draft's K_att is kept under: derived from the kader's own seed
 * (in her slot only), so another kader with K_data and a shell cannot
 * open her test in progress, nor her answers once sealed. Stores from
 * before kept it under a subkey of K_data (LEGACY): still read, and moved
 * to her own key when she opens it. */
static int att_sub(const struct store *s, bool legacy, uint8_t sub[32], struct err *err)
{
	if (legacy) {
		crypto_kdf_derive_from_key(sub, 32, 2, "pyquizat", s->keys->data);
		return 0;
	}
	if (!s->keys->has_seed)
		return err_set(err, ERR_DENIED, NULL, "a test needs a certified user");
	crypto_kdf_derive_from_key(sub, 32, 3, "pyquizat", s->keys->seed);
	return 0;
}

/* Keep K_att on this device, sealed under the session user's own key. */
static int att_key_keep(struct store *s, const uint8_t uuid[16], const uint8_t key[32],
			struct err *err)
{
	uint8_t sub[32], ad[ATT_AD_LEN], blob[ATT_META_LEN];
	char name[64];

	if (att_sub(s, false, sub, err) < 0)
		return -1;
	att_meta_ad(uuid, ad);
	randombytes_buf(blob, AEAD_NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + AEAD_NPUB, NULL, key, 32, ad, sizeof ad,
						   NULL, blob, sub);
	sodium_memzero(sub, sizeof sub);
	att_meta_name(uuid, name, sizeof name);
	return meta_put(s->db, name, blob, sizeof blob, err);
}

/* 1 with KEY filled when this device keeps the attempt's key for the
 * session's user, 0 when not. */
static int att_key_find(struct store *s, const uint8_t uuid[16], uint8_t key[32], struct err *err)
{
	uint8_t sub[32], ad[ATT_AD_LEN], blob[ATT_META_LEN];
	char name[64];
	bool found;
	int rc = -1;

	att_meta_name(uuid, name, sizeof name);
	if (meta_exact(s, name, blob, sizeof blob, &found, err) < 0)
		return -1;
	if (!found)
		return 0;
	att_meta_ad(uuid, ad);
	for (int legacy = 0; legacy < 2 && rc != 0; legacy++) {
		if (att_sub(s, legacy, sub, err) < 0)
			return -1;
		rc = crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, blob + AEAD_NPUB,
								 sizeof blob - AEAD_NPUB, ad,
								 sizeof ad, blob, sub);
		sodium_memzero(sub, sizeof sub);
		if (rc == 0 && legacy && att_key_keep(s, uuid, key, err) < 0)
			return -1;
	}
	if (rc != 0)
		return err_set(err, ERR_CRYPTO, NULL, "attempt key does not authenticate");
	return 1;
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
	if (a->status == QUIZ_SUBMITTED && a->scored) {
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
	/* Since issue 13.2 a kader's session cannot score (the answer key is
	 * sealed): the score is then worked out when a trainer opens it. */
	a->scored = a->status == QUIZ_SUBMITTED && json_object_get(o, "total");
	if (a->scored) {
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
static char *attempt_payload(struct store *s, const struct quiz_attempt *a,
			     const uint8_t (*pks)[32], size_t npk, struct err *err)
{
	uint8_t ad[ANS_AD_LEN];
	json_t *d = json_object(), *keys = NULL;
	char *inner = inner_json(a), *bb = NULL, *out = NULL;
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
	/* K_att sealed to every authenticated quiz box key (issue 13.2). */
	if (!(keys = quiz_lock(a->key, pks, npk)) || !(bb = b64(box, blen)))
		goto fail;
	set_uuid_opt(d, "bank", a->bank);
	set_s(d, "bank_id", a->bank_id);
	json_object_set_new(d, "bank_version", json_integer(a->bank_version));
	set_uuid_opt(d, "training", a->training);
	set_s(d, "kind", quiz_kind_code(a->kind));
	set_uuid_opt(d, "kader", a->kader);
	set_s(d, "kader_name", a->kader_name);
	set_uuid_opt(d, "participant", a->participant);
	if (a->posyandu[0])
		set_s(d, "posyandu", a->posyandu);
	if (a->sheet)
		json_object_set_new(d, "sheet", json_true());
	set_s(d, "status", a->status == QUIZ_SUBMITTED ? "submitted" : "draft");
	set_s(d, "day", date_format_iso(a->day, day));
	json_object_set_new(d, "keys", keys);
	keys = NULL;
	set_s(d, "box", bb);
	out = wrap_payload(s, d);
	d = NULL;
fail:
	json_decref(d);
	json_decref(keys);
	codec_free(inner);
	free(box);
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
	juuid(&x, "participant", a->participant, false);
	jstr(&x, "posyandu", a->posyandu, sizeof a->posyandu, false);
	if (a->posyandu[0] && valid_posyandu_code(a->posyandu, NULL) < 0)
		jbad(&x, "posyandu", "not a posyandu code");
	a->sheet = jbool(&x, "sheet");
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
	uint8_t pks[QUIZ_MAX_RECIPIENTS][32];
	size_t npk;
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
	/* Refuse rather than seal to a key that does not verify. */
	if (quiz_recipients(s, pks, &npk, err) < 0)
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
	if (submit && !quiz_bank_has_key(b)) {
		/* A kader's session: the answer key is sealed, the trainer scores. */
		next.status = QUIZ_SUBMITTED;
		next.scored = false;
		next.right = next.total = 0;
		next.pass = false;
		memset(next.ok, 0, sizeof next.ok);
	} else if (submit) {
		quiz_score(b, &a->ans, &res);
		next.status = QUIZ_SUBMITTED;
		next.scored = true;
		next.right = res.right;
		next.total = res.total;
		next.pass = res.pass;
		memcpy(next.ok, res.ok, sizeof next.ok);
	} else {
		next.status = QUIZ_DRAFT;
	}
	if (!(json = attempt_payload(s, &next, (const uint8_t (*)[32])pks, npk, err)))
		goto out;

	/* One transaction: the version, and keeping or forgetting the key. */
	att_meta_name(next.uuid, name, sizeof name);
	forget = submit && !fresh;
	if (forget) {
		struct dbq *st;
		if (db_prepare(s->db, "PRAGMA secure_delete", &st, err) < 0)
			goto out;
		if (dbq_step(st) == SQLITE_ROW)
			secure = dbq_int(st, 0);
		db_done(st);
		if (db_exec(s->db, "PRAGMA secure_delete = ON", err) < 0)
			goto out;
	}
	if (store_batch_begin(s, err) < 0)
		goto restore;
	if ((fresh && !submit && att_key_keep(s, next.uuid, next.key, err) < 0) ||
	    record_put(s, &d, REC_QUIZ_ATTEMPT, next.bank, month_of(next.day), false, json,
		       strlen(json), err) < 0 ||
	    (forget && meta_del(s->db, name, err) < 0)) {
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

void quizstore_sheet_uuid(const uint8_t training[16], const uint8_t participant[16],
			  const char *bank_id, int version, int kind, uint8_t out[16])
{
	static const char domain[] = "posyandu/v1/quizsheet";
	crypto_generichash_state h;
	uint8_t vk[5] = { (uint8_t)(version >> 24), (uint8_t)(version >> 16), (uint8_t)(version >> 8),
			  (uint8_t)version, (uint8_t)kind };

	crypto_generichash_init(&h, NULL, 0, 16);
	crypto_generichash_update(&h, (const uint8_t *)domain, sizeof domain - 1);
	crypto_generichash_update(&h, training, 16);
	crypto_generichash_update(&h, participant, 16);
	/* the id's length first, so no two (id, version) run together */
	crypto_generichash_update(&h, (const uint8_t[]){ (uint8_t)strlen(bank_id) }, 1);
	crypto_generichash_update(&h, (const uint8_t *)bank_id, strlen(bank_id));
	crypto_generichash_update(&h, vk, sizeof vk);
	crypto_generichash_final(&h, out, 16);
	/* the shape of a version 4 uuid, as every other record's */
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x40);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

/* The same sheet keyed in again replaces the attempt: see quiz_store.h. */
int quizstore_sheet_save(struct store *s, struct quiz_attempt *a, const struct quiz_bank *b,
			 bool *replaced, struct err *err)
{
	struct quiz_attempt next;
	struct quiz_result res;
	struct draft d;
	uint8_t pks[QUIZ_MAX_RECIPIENTS][32], uuid[16];
	size_t npk;
	bool again;
	char *json = NULL;
	int rc = -1;

	if (replaced)
		*replaced = false;
	codec_init();
	if (need_keys(s, err) < 0)
		return -1;
	if (s->user.role < ROLE_TRAINER || !s->keys->has_quiz)
		return err_set(err, ERR_DENIED, NULL, "paper sheets need a trainer or admin");
	if (uuid_is_zero(a->training) || uuid_is_zero(a->participant))
		return err_set(err, ERR_REQUIRED, NULL, "a paper sheet needs a training and a participant");
	if (strcmp(b->id, a->bank_id) != 0 || b->version != a->bank_version ||
	    (size_t)a->ans.n != b->n)
		return err_set(err, ERR_FORMAT, "quiz-bank", "answers are not for bank %s version %d",
			       b->id, b->version);
	if (!quiz_bank_has_key(b))
		return err_set(err, ERR_DENIED, NULL, "the bank's answer key is not open");
	if (a->day == DATE_NONE || !a->kader_name[0])
		return err_set(err, ERR_REQUIRED, NULL, "an attempt needs a day and a name");
	if (a->posyandu[0] && valid_posyandu_code(a->posyandu, err) < 0)
		return -1;
	if (quiz_recipients(s, pks, &npk, err) < 0)
		return -1;

	quizstore_sheet_uuid(a->training, a->participant, a->bank_id, a->bank_version, a->kind, uuid);
	if (store_draft_edit(s, &d, uuid, err) == 0) {
		again = true;
	} else if (err->code == ERR_NOTFOUND) {
		memset(err, 0, sizeof *err);
		store_draft_new(&d);
		memcpy(d.uuid, uuid, 16);
		again = false;
	} else {
		return -1;
	}
	next = *a;
	memcpy(next.uuid, uuid, 16);
	/* A fresh attempt key for each version: nothing of the replaced
	 * version's box is reused. */
	randombytes_buf(next.key, sizeof next.key);
	next.has_key = true;
	next.sheet = true;
	quiz_score(b, &a->ans, &res);
	next.status = QUIZ_SUBMITTED;
	next.scored = true;
	next.right = res.right;
	next.total = res.total;
	next.pass = res.pass;
	memcpy(next.ok, res.ok, sizeof next.ok);
	if (!(json = attempt_payload(s, &next, (const uint8_t (*)[32])pks, npk, err)))
		goto out;
	if (record_put(s, &d, REC_QUIZ_ATTEMPT, next.bank, month_of(next.day), false, json,
		       strlen(json), err) < 0)
		goto out;
	sodium_memzero(next.key, sizeof next.key);
	next.has_key = false;
	*a = next;
	if (replaced)
		*replaced = again;
	rc = 0;
out:
	sodium_memzero(&next, sizeof next);
	sodium_memzero(pks, sizeof pks);
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

static int attempt_each(void *ctx, const struct rec_meta *m, json_t *d, struct err *err)
{
	struct attempt_list *l = ctx;
	struct quiz_attempt *a;

	if (grow((void **)&l->a, &l->cap, l->n, sizeof *l->a) < 0)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
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
		/* One that cannot be opened stays in the list, not opened: the
		 * report says so instead of failing for everyone. */
		if (quiz_unlock(d, l->pk, l->sk, a->key)) {
			a->has_key = true;
			if (attempt_open_box(d, a, err) < 0)
				goto fail;
		}
	}
	l->n++;
	return 0;
skip:
	sodium_memzero(a, sizeof *a);
	return 0;
fail:
	sodium_memzero(a, sizeof *a);
	return -1;
}

/* Score the opened, submitted attempts that carry no score (submitted in a
 * kader's session) against their own bank version, whose answer key this
 * trainer or admin session opens. One whose bank cannot be opened here
 * stays unscored and counts as not opened. */
static int score_opened(struct store *s, struct quiz_attempt *a, size_t n, struct err *err)
{
	struct quiz_bank b;
	uint8_t have[16] = { 0 };
	bool loaded = false, usable = false;
	struct quiz_result res;

	memset(&b, 0, sizeof b);
	for (size_t i = 0; i < n; i++) {
		if (!a[i].opened || a[i].status != QUIZ_SUBMITTED || a[i].scored)
			continue;
		if (!loaded || memcmp(have, a[i].bank, 16) != 0) {
			struct err e2 = { 0 };
			quiz_bank_free(&b);
			memcpy(have, a[i].bank, 16);
			loaded = true;
			if (quizstore_bank_by_uuid(s, a[i].bank, &b, &e2) < 0) {
				if (e2.code != ERR_NOTFOUND) {
					*err = e2;
					return -1;
				}
				usable = false;
			} else {
				usable = quiz_bank_has_key(&b);
			}
		}
		if (!usable || (size_t)a[i].ans.n != b.n) {
			a[i].opened = false;
			continue;
		}
		quiz_score(&b, &a[i].ans, &res);
		a[i].right = res.right;
		a[i].total = res.total;
		a[i].pass = res.pass;
		memcpy(a[i].ok, res.ok, sizeof a[i].ok);
		a[i].scored = true;
	}
	quiz_bank_free(&b);
	return 0;
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
	}
	rc = quiz_each_d(s, REC_QUIZ_ATTEMPT, attempt_each, l, err);
	sodium_memzero(l->sk, sizeof l->sk);
	if (rc == 0 && l->open && !l->mine)
		rc = score_opened(s, l->a, l->n, err);
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

/* A rotation of K_data (storage/rotate.c): every kept attempt key moves
 * from the old data key's subkey to the new one's. One row at a time, in
 * key order, since each is rewritten. */
int quiz_att_rekey(struct store *s, const uint8_t old_data[KEY_LEN],
		   const uint8_t new_data[KEY_LEN], struct err *err)
{
	uint8_t osub[32], nsub[32], ad[ATT_AD_LEN], blob[ATT_META_LEN], key[32], uuid[16];
	char name[64] = META_ATT;
	struct dbq *st;
	int rc = 0;

	crypto_kdf_derive_from_key(osub, sizeof osub, 2, "pyquizat", old_data);
	crypto_kdf_derive_from_key(nsub, sizeof nsub, 2, "pyquizat", new_data);
	while (rc == 0) {
		const char *n;
		size_t hexlen;
		bool ok;

		rc = db_row(s->db, "SELECT key, value FROM meta WHERE key > ?1 AND "
			    "substr(key, 1, length(?2)) = ?2 ORDER BY key LIMIT 1", &st,
			    "attempt keys", DB_ARGS(DB_TEXT(name), DB_TEXT(META_ATT)), err);
		if (rc <= 0)
			break;
		n = (const char *)dbq_text(st, 0);
		snprintf(name, sizeof name, "%s", n ? n : "");
		ok = n && strlen(n) < sizeof name && dbq_bytes(st, 1) == (int)sizeof blob;
		if (ok)
			memcpy(blob, dbq_blob(st, 1), sizeof blob);
		db_done(st);
		rc = 0;
		if (!ok || sodium_hex2bin(uuid, 16, name + strlen(META_ATT),
					  strlen(name) - strlen(META_ATT), NULL, &hexlen, NULL) != 0 ||
		    hexlen != 16)
			continue;
		att_meta_ad(uuid, ad);
		/* only keys kept under K_data (stores from before) move; one kept
		 * under its kader's own key does not depend on K_data */
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, blob + AEAD_NPUB,
							       sizeof blob - AEAD_NPUB, ad, sizeof ad,
							       blob, osub) != 0)
			continue;
		randombytes_buf(blob, AEAD_NPUB);
		crypto_aead_xchacha20poly1305_ietf_encrypt(blob + AEAD_NPUB, NULL, key, 32, ad,
							   sizeof ad, NULL, blob, nsub);
		rc = meta_put(s->db, name, blob, sizeof blob, err);
	}
	sodium_memzero(key, sizeof key);
	sodium_memzero(osub, sizeof osub);
	sodium_memzero(nsub, sizeof nsub);
	return rc < 0 ? -1 : 0;
}
