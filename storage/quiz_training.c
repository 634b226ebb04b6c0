/* storage/quiz_training.c: trainings, their participants and runs, as
 * records (the interface is in storage/quiz_store.h). */
#include "storage/quiz_store.h"
#include "storage/internal.h"
#include "storage/quiz_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/codec.h"
#include "core/banned.h"


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
		set_uuid_opt(o, "id", t->p[i].id);
		set_uuid_opt(o, "user", t->p[i].user);
		set_s(o, "name", t->p[i].name);
		if (t->p[i].posyandu[0])
			set_s(o, "posyandu", t->p[i].posyandu);
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
		juuid(&y, "id", t->p[i].id, false);
		juuid(&y, "user", t->p[i].user, false);
		jstr(&y, "name", t->p[i].name, sizeof t->p[i].name, true);
		jstr(&y, "posyandu", t->p[i].posyandu, sizeof t->p[i].posyandu, false);
		if (t->p[i].posyandu[0] && valid_posyandu_code(t->p[i].posyandu, NULL) < 0)
			jbad(&y, "posyandu", "not a posyandu code");
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

/* A participant stored before ids existed (issue 14): an id derived from
 * the training and her place in the list, the same on every device and
 * every read until the next save writes it down. */
static void legacy_ids(struct quiz_training *t)
{
	static const char domain[] = "posyandu/v1/participant";
	for (size_t i = 0; i < t->np; i++) {
		crypto_generichash_state h;
		uint8_t idx[2] = { (uint8_t)(i >> 8), (uint8_t)i };
		if (!uuid_is_zero(t->p[i].id))
			continue;
		crypto_generichash_init(&h, NULL, 0, 16);
		crypto_generichash_update(&h, (const uint8_t *)domain, sizeof domain - 1);
		crypto_generichash_update(&h, t->uuid, 16);
		crypto_generichash_update(&h, idx, sizeof idx);
		crypto_generichash_final(&h, t->p[i].id, 16);
	}
}

const struct quiz_participant *quizstore_participant_find(const struct quiz_training *t,
							  const uint8_t user[16], const char *name)
{
	for (size_t i = 0; i < t->np; i++)
		if (user && !uuid_is_zero(user) && memcmp(t->p[i].user, user, 16) == 0)
			return &t->p[i];
	for (size_t i = 0; i < t->np; i++)
		if (uuid_is_zero(t->p[i].user) && name && strcmp(t->p[i].name, name) == 0)
			return &t->p[i];
	return NULL;
}

const struct quiz_participant *quizstore_participant_by_id(const struct quiz_training *t,
							   const uint8_t id[16])
{
	int no = quizstore_participant_no(t, id);
	return no ? &t->p[no - 1] : NULL;
}

int quizstore_participant_no(const struct quiz_training *t, const uint8_t id[16])
{
	if (uuid_is_zero(id))
		return 0;
	for (size_t i = 0; i < t->np; i++)
		if (memcmp(t->p[i].id, id, 16) == 0)
			return (int)i + 1;
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
	for (size_t i = 0; i < t->np; i++) {
		struct quiz_participant *p = &t->p[i];
		if (!p->name[0])
			return err_set(err, ERR_REQUIRED, "name", "a participant needs a name");
		/* a new participant: an id of her own, and this posyandu's code
		 * unless the trainer gave another */
		if (uuid_is_zero(p->id))
			randombytes_buf(p->id, sizeof p->id);
		if (!p->posyandu[0])
			snprintf(p->posyandu, sizeof p->posyandu, "%s", store_get_profile(s)->code);
		if (valid_posyandu_code(p->posyandu, err) < 0)
			return -1;
		for (size_t k = 0; k < i; k++)
			if (memcmp(t->p[k].id, p->id, 16) == 0)
				return err_set(err, ERR_EXISTS, NULL, "two participants with one id");
	}
	/* A trainer opens tests here: keep the key kader seal to up to date. */
	quiz_key_touch(s);
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

static int training_each(void *ctx, const struct rec_meta *m, json_t *d, struct err *err)
{
	struct training_list *l = ctx;

	if (grow((void **)&l->t, &l->cap, l->n, sizeof *l->t) < 0)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	if (training_from_json(d, &l->t[l->n], err) < 0)
		return -1;
	memcpy(l->t[l->n].uuid, m->uuid, 16);
	legacy_ids(&l->t[l->n++]);
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
	if (quiz_each_d(s, REC_TRAINING, training_each, &l, err) < 0) {
		free(l.t);
		return -1;
	}
	if (l.n > 1)
		qsort(l.t, l.n, sizeof *l.t, newest_first);
	*out = l.t;
	*n = l.n;
	return 0;
}
