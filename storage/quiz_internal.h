/* storage/quiz_internal.h: what the quiz modules (storage/quiz_*.c) share.
 * Not for other files: the interface is storage/quiz_store.h. The small
 * helpers are static inline so that each module keeps its own copy, as
 * when they all lived in one file. */
#ifndef POSYANDU_STORAGE_QUIZ_INTERNAL_H
#define POSYANDU_STORAGE_QUIZ_INTERNAL_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "storage/internal.h"
#include "storage/quiz_store.h"
#include "storage/clock.h"

/* Room for element N of *ARR (*CAP elements of SIZE bytes), doubling. */
static inline int grow(void **arr, size_t *cap, size_t n, size_t size)
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

/* ---- record payloads: {"a": author, "t": time, "d": data} ---- */

static inline void set_s(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

static inline void set_uuid_opt(json_t *o, const char *k, const uint8_t u[16])
{
	char buf[UUID_STRLEN];
	if (!uuid_is_zero(u))
		set_s(o, k, uuid_format(u, buf));
}

/* {"a": author, "t": time, "d": D}, canonical; free with codec_free. */
static inline char *wrap_payload(struct store *s, json_t *d)
{
	json_t *root = json_object();
	char buf[UUID_STRLEN];
	char *out;

	set_s(root, "a", uuid_format(s->user.uuid, buf));
	json_object_set_new(root, "t", json_integer((json_int_t)clock_now()));
	json_object_set_new(root, "d", d);
	out = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(root);
	return out;
}

/* The "d" object of a payload, with a reference the caller drops. */
static inline json_t *open_d(const char *json, size_t len, json_t **root, struct err *err)
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

static inline void jbad(struct jdec *x, const char *k, const char *what)
{
	if (!x->bad++)
		err_set(x->err, ERR_FORMAT, NULL, "quiz payload field \"%s\": %s", k, what);
}

static inline void jstr(struct jdec *x, const char *k, char *dst, size_t size, bool required)
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

static inline long long jint(struct jdec *x, const char *k, long long min, long long max)
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

static inline bool jbool(struct jdec *x, const char *k)
{
	json_t *v = json_object_get(x->o, k);
	if (v && !json_is_boolean(v))
		jbad(x, k, "not a boolean");
	return v && json_is_true(v);
}

static inline void juuid(struct jdec *x, const char *k, uint8_t u[16], bool required)
{
	char buf[UUID_STRLEN];
	memset(u, 0, 16);
	jstr(x, k, buf, sizeof buf, required);
	if (buf[0] && uuid_parse(buf, u) < 0)
		jbad(x, k, "not a uuid");
}

static inline int32_t jdate(struct jdec *x, const char *k)
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

/* ---- quiz_store.c ---- */

/* Called with each current record of a kind and the "d" object of its
 * payload (valid only during the call). Return -1 to stop. */
typedef int (*quiz_d_fn)(void *ctx, const struct rec_meta *m, json_t *d, struct err *err);
int quiz_each_d(struct store *s, int kind, quiz_d_fn fn, void *ctx, struct err *err);

/* ---- quiz_keys.c: who quiz secrets are sealed to (issue 13 point 2) ---- */

#define QUIZ_MAX_RECIPIENTS 16

/* The pinned device key (issue 13 point 4 pins it in every slot). For now
 * it reads meta device.sign_pk; repoint it at the pinned copy at merge. */
int store_device_sign_pk(struct store *s, uint8_t pk[32], struct err *err);
/* The quiz box key pair, derived from K_quiz (trainer, admin). SK may be NULL. */
int quiz_keypair(struct store *s, uint8_t pk[32], uint8_t *sk, struct err *err);
/* Every authenticated quiz box key to seal to: this device's first, then
 * the other devices' of the posyandu. A trainer or admin session first
 * keeps quiz.box_pk up to date (an admin signs it). ERR_CRYPTO (field
 * "quiz-seal") when, in a kader's session, this device's key does not
 * verify (a trainer or admin session derives it instead); ERR_NOTFOUND (field
 * "quiz-key") when there is none yet. PKS has QUIZ_MAX_RECIPIENTS rows. */
int quiz_recipients(struct store *s, uint8_t (*pks)[32], size_t *n, struct err *err);
/* Trainer, admin: keep quiz.box_pk up to date (an admin signs it); best
 * effort, for screens that only list. */
void quiz_key_touch(struct store *s);
/* Admin, just after a new device key (storage/devkey.c): the quiz box key's
 * signature and each peer row that OLD_PK signed, signed again by the
 * device key now in place. */
int quizstore_resign(struct store *s, const uint8_t old_pk[32], struct err *err);
/* KEY sealed to each of the N keys PKS: a JSON array of base64 strings. */
json_t *quiz_lock(const uint8_t key[32], const uint8_t (*pks)[32], size_t n);
/* Open KEY from the "keys" list of D (or the single "key" of payloads made
 * before issue 13.2) with the box key pair PK, SK: true when one opens. */
bool quiz_unlock(json_t *d, const uint8_t pk[32], const uint8_t *sk, uint8_t key[32]);

#endif
