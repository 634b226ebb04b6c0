/* storage/codec.c: person and visit payloads <-> canonical JSON. */
#include "storage/codec.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/store.h"
#include "core/banned.h"

/* ---- an allocator that wipes what it frees ---- */

struct hdr { size_t n; size_t pad; };

static void *wipe_malloc(size_t n)
{
	struct hdr *h = malloc(sizeof *h + n);
	if (!h)
		return NULL;
	h->n = n;
	return h + 1;
}

static void wipe_free(void *p)
{
	if (p) {
		struct hdr *h = (struct hdr *)p - 1;
		sodium_memzero(p, h->n);
		free(h);
	}
}

void codec_init(void)
{
	static bool done;
	if (!done) {
		json_set_alloc_funcs(wipe_malloc, wipe_free);
		done = true;
	}
}

char *codec_alloc(size_t n)
{
	return wipe_malloc(n + 1);
}

void codec_free(char *json)
{
	wipe_free(json);            /* json_dumps allocates through wipe_malloc */
}

/* ---- encoding ---- */

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

static void set_int(json_t *o, const char *k, long long v)
{
	if (v)
		json_object_set_new(o, k, json_integer(v));
}

static void set_bool(json_t *o, const char *k, bool v)
{
	if (v)
		json_object_set_new(o, k, json_true());
}

static void set_uuid(json_t *o, const char *k, const uint8_t u[16])
{
	char buf[UUID_STRLEN];
	if (!uuid_is_zero(u))
		json_object_set_new(o, k, json_string(uuid_format(u, buf)));
}

static void set_date(json_t *o, const char *k, int32_t day)
{
	char buf[DATE_BUFSZ];
	if (day != DATE_NONE)
		json_object_set_new(o, k, json_string(date_format_iso(day, buf)));
}

static char *wrap(json_t *d, const uint8_t author[16], int64_t time)
{
	json_t *root = json_object();
	char buf[UUID_STRLEN];
	char *out;

	json_object_set_new(root, "a", json_string(uuid_format(author, buf)));
	json_object_set_new(root, "t", json_integer(time));
	if (d)
		json_object_set_new(root, "d", d);
	out = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(root);
	return out;
}

char *codec_person_encode(const struct person *p, const uint8_t author[16], int64_t time)
{
	json_t *d = json_object();
	char sex[2] = { p->sex, 0 };

	json_object_set_new(d, "kind", json_string(person_kind_code(p->kind)));
	set_str(d, "name", p->name);
	set_str(d, "sex", sex);
	set_date(d, "dob", p->dob);
	set_str(d, "nik", p->nik);
	set_str(d, "kk", p->kk);
	set_uuid(d, "mother", p->mother);
	set_str(d, "mother_name", p->mother_name);
	set_str(d, "father_name", p->father_name);
	set_str(d, "address", p->address);
	set_int(d, "rt", p->rt);
	set_int(d, "rw", p->rw);
	set_str(d, "phone", p->phone);
	set_int(d, "birth_weight_g", p->birth_weight_g);
	set_int(d, "birth_length_mm", p->birth_length_mm);
	set_bool(d, "mother_works", p->mother_works);
	set_bool(d, "has_kia", p->has_kia);
	set_date(d, "registered", p->registered);
	return wrap(d, author, time);
}

char *codec_visit_encode(const struct visit *v, const uint8_t author[16], int64_t time)
{
	json_t *d = json_object();
	char m[2] = { v->measure, 0 };

	set_uuid(d, "person", v->person);
	set_date(d, "date", v->date);
	set_int(d, "weight_g", v->weight_g);
	set_int(d, "lenhei_mm", v->lenhei_mm);
	set_str(d, "measure", m);
	set_int(d, "headc_mm", v->headc_mm);
	set_int(d, "muac_mm", v->muac_mm);
	set_bool(d, "oedema", v->oedema);
	if (v->asi_recall >= 0)
		json_object_set_new(d, "asi_recall", json_boolean(v->asi_recall));
	set_bool(d, "counsel_asi", v->counsel_asi);
	if (v->bf_continue != BF_NOT_ASKED)
		json_object_set_new(d, "bf_continue", json_boolean(v->bf_continue == BF_ASKED_YES));
	set_int(d, "vitamin_a", v->vitamin_a);
	if (v->imm) {
		json_t *a = json_array();
		for (int i = 0; i < IMM__COUNT; i++)
			if (v->imm & (1u << i))
				json_array_append_new(a, json_string(imm_code(i)));
		json_object_set_new(d, "imm", a);
	}
	set_bool(d, "home_visit", v->home_visit);
	set_int(d, "gest_weeks", v->gest_weeks);
	set_int(d, "bp_sys", v->bp_sys);
	set_int(d, "bp_dia", v->bp_dia);
	set_int(d, "iron_tablets", v->iron_tablets);
	set_int(d, "anc_no", v->anc_no);
	set_int(d, "danger_signs", v->danger_signs);
	set_str(d, "note", v->note);
	return wrap(d, author, time);
}

char *codec_session_encode(const struct session *x, const uint8_t author[16], int64_t time)
{
	json_t *d = json_object(), *k = json_array();
	char buf[UUID_STRLEN];

	set_date(d, "date", x->date);
	for (int i = 0; i < x->n_kader && i < SESSION_MAX_KADER; i++)
		json_array_append_new(k, json_string(uuid_format(x->kader[i], buf)));
	json_object_set_new(d, "kader", k);
	set_str(d, "health_worker", x->health_worker);
	set_str(d, "place", x->place);
	set_str(d, "notes", x->notes);
	return wrap(d, author, time);
}

char *codec_tombstone_encode(const uint8_t author[16], int64_t time)
{
	return wrap(NULL, author, time);
}

/* ---- decoding: every field checked for type and bounds ---- */

struct dec {
	json_t *d;
	struct err *err;
	int bad;
};

static void bad(struct dec *x, const char *key, const char *what)
{
	if (!x->bad++)
		err_set(x->err, ERR_FORMAT, key, "payload field \"%s\": %s", key, what);
}

static void get_str(struct dec *x, const char *k, char *dst, size_t size)
{
	json_t *v = json_object_get(x->d, k);
	dst[0] = '\0';
	if (!v)
		return;
	if (!json_is_string(v) || json_string_length(v) >= size || memchr(json_string_value(v), 0, json_string_length(v)))
		return bad(x, k, "not a string of the allowed length");
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
}

static long long get_int(struct dec *x, const char *k, long long min, long long max)
{
	json_t *v = json_object_get(x->d, k);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		bad(x, k, "not an integer in range");
		return 0;
	}
	return json_integer_value(v);
}

static bool get_bool(struct dec *x, const char *k)
{
	json_t *v = json_object_get(x->d, k);
	if (v && !json_is_boolean(v))
		bad(x, k, "not a boolean");
	return v && json_is_true(v);
}

static void get_uuid(struct dec *x, const char *k, uint8_t u[16])
{
	char buf[UUID_STRLEN];
	memset(u, 0, 16);
	get_str(x, k, buf, sizeof buf);
	if (buf[0] && uuid_parse(buf, u) < 0)
		bad(x, k, "not a uuid");
}

static int32_t get_date(struct dec *x, const char *k)
{
	char buf[DATE_BUFSZ + 1];
	int32_t day;
	get_str(x, k, buf, sizeof buf);
	if (!buf[0])
		return DATE_NONE;
	if (date_parse(buf, &day, NULL) < 0) {
		bad(x, k, "not a date");
		return DATE_NONE;
	}
	return day;
}

static json_t *open_payload(const char *json, size_t len, uint8_t author[16], int64_t *time,
			    struct err *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	json_t *a, *t;
	char buf[UUID_STRLEN];

	if (!root || !json_is_object(root)) {
		json_decref(root);
		err_set(err, ERR_FORMAT, NULL, "payload is not a JSON object");
		return NULL;
	}
	a = json_object_get(root, "a");
	t = json_object_get(root, "t");
	if (!json_is_string(a) || json_string_length(a) != 36 || !json_is_integer(t)) {
		json_decref(root);
		err_set(err, ERR_FORMAT, NULL, "payload lacks author or time");
		return NULL;
	}
	snprintf(buf, sizeof buf, "%s", json_string_value(a));
	if (uuid_parse(buf, author) < 0) {
		json_decref(root);
		err_set(err, ERR_FORMAT, NULL, "payload author is not a uuid");
		return NULL;
	}
	*time = json_integer_value(t);
	return root;
}

int codec_meta_decode(const char *json, size_t len, uint8_t author[16], int64_t *time,
		      struct err *err)
{
	json_t *root = open_payload(json, len, author, time, err);
	json_decref(root);
	return root ? 0 : -1;
}

int codec_session_decode(const char *json, size_t len, struct session *x,
			 uint8_t author[16], int64_t *time, struct err *err)
{
	json_t *root = open_payload(json, len, author, time, err);
	struct dec dx = { NULL, err, 0 };
	json_t *k, *e;
	size_t i;

	if (!root)
		return -1;
	memset(x, 0, sizeof *x);
	dx.d = json_object_get(root, "d");
	if (!json_is_object(dx.d)) {
		json_decref(root);
		return err_set(err, ERR_FORMAT, NULL, "session payload has no data");
	}
	x->date = get_date(&dx, "date");
	if (x->date == DATE_NONE)
		bad(&dx, "date", "a session needs a date");
	k = json_object_get(dx.d, "kader");
	if (k && (!json_is_array(k) || json_array_size(k) > SESSION_MAX_KADER))
		bad(&dx, "kader", "not a list of at most 16 users");
	else if (k)
		json_array_foreach(k, i, e) {
			char buf[UUID_STRLEN];
			if (!json_is_string(e) || json_string_length(e) != 36) {
				bad(&dx, "kader", "not a uuid");
				break;
			}
			memcpy(buf, json_string_value(e), 37);
			if (uuid_parse(buf, x->kader[x->n_kader]) < 0) {
				bad(&dx, "kader", "not a uuid");
				break;
			}
			x->n_kader++;
		}
	get_str(&dx, "health_worker", x->health_worker, sizeof x->health_worker);
	get_str(&dx, "place", x->place, sizeof x->place);
	get_str(&dx, "notes", x->notes, sizeof x->notes);
	json_decref(root);
	return dx.bad ? -1 : 0;
}

int codec_person_decode(const char *json, size_t len, struct person *p,
			uint8_t author[16], int64_t *time, struct err *err)
{
	json_t *root = open_payload(json, len, author, time, err);
	struct dec x = { NULL, err, 0 };
	char kind[16], sex[2];
	int k;

	if (!root)
		return -1;
	memset(p, 0, sizeof *p);
	p->dob = p->registered = DATE_NONE;
	x.d = json_object_get(root, "d");
	if (!json_is_object(x.d)) {
		json_decref(root);
		return err_set(err, ERR_FORMAT, NULL, "person payload has no data");
	}
	get_str(&x, "kind", kind, sizeof kind);
	if ((k = person_kind_from_code(kind)) < 0)
		bad(&x, "kind", "unknown kind");
	p->kind = (enum person_kind)k;
	get_str(&x, "name", p->name, sizeof p->name);
	get_str(&x, "sex", sex, sizeof sex);
	if (sex[0] && sex[0] != 'L' && sex[0] != 'P')
		bad(&x, "sex", "not L or P");
	p->sex = sex[0];
	p->dob = get_date(&x, "dob");
	get_str(&x, "nik", p->nik, sizeof p->nik);
	get_str(&x, "kk", p->kk, sizeof p->kk);
	get_uuid(&x, "mother", p->mother);
	get_str(&x, "mother_name", p->mother_name, sizeof p->mother_name);
	get_str(&x, "father_name", p->father_name, sizeof p->father_name);
	get_str(&x, "address", p->address, sizeof p->address);
	p->rt = (uint8_t)get_int(&x, "rt", 0, 255);
	p->rw = (uint8_t)get_int(&x, "rw", 0, 255);
	get_str(&x, "phone", p->phone, sizeof p->phone);
	p->birth_weight_g = (uint16_t)get_int(&x, "birth_weight_g", 0, 65535);
	p->birth_length_mm = (uint16_t)get_int(&x, "birth_length_mm", 0, 65535);
	p->mother_works = get_bool(&x, "mother_works");
	p->has_kia = get_bool(&x, "has_kia");
	p->registered = get_date(&x, "registered");
	json_decref(root);
	return x.bad ? -1 : 0;
}

int codec_visit_decode(const char *json, size_t len, struct visit *v,
		       uint8_t author[16], int64_t *time, struct err *err)
{
	json_t *root = open_payload(json, len, author, time, err);
	struct dec x = { NULL, err, 0 };
	json_t *imm, *asi;
	char m[2];

	if (!root)
		return -1;
	memset(v, 0, sizeof *v);
	v->date = DATE_NONE;
	v->asi_recall = -1;
	x.d = json_object_get(root, "d");
	if (!json_is_object(x.d)) {
		json_decref(root);
		return err_set(err, ERR_FORMAT, NULL, "visit payload has no data");
	}
	get_uuid(&x, "person", v->person);
	v->date = get_date(&x, "date");
	v->weight_g = (uint32_t)get_int(&x, "weight_g", 0, 300000);
	v->lenhei_mm = (uint16_t)get_int(&x, "lenhei_mm", 0, 3000);
	get_str(&x, "measure", m, sizeof m);
	if (m[0] && m[0] != 'l' && m[0] != 'h')
		bad(&x, "measure", "not l or h");
	v->measure = m[0];
	v->headc_mm = (uint16_t)get_int(&x, "headc_mm", 0, 1000);
	v->muac_mm = (uint16_t)get_int(&x, "muac_mm", 0, 1000);
	v->oedema = get_bool(&x, "oedema");
	if ((asi = json_object_get(x.d, "asi_recall"))) {
		if (!json_is_boolean(asi))
			bad(&x, "asi_recall", "not a boolean");
		v->asi_recall = json_is_true(asi) ? 1 : 0;
	}
	v->counsel_asi = get_bool(&x, "counsel_asi");
	if ((asi = json_object_get(x.d, "bf_continue"))) {
		if (!json_is_boolean(asi))
			bad(&x, "bf_continue", "not a boolean");
		v->bf_continue = json_is_true(asi) ? BF_ASKED_YES : BF_ASKED_NO;
	}
	v->vitamin_a = (enum vitamin_a)get_int(&x, "vitamin_a", 0, 2);
	if ((imm = json_object_get(x.d, "imm"))) {
		size_t i;
		json_t *e;
		if (!json_is_array(imm))
			bad(&x, "imm", "not a list");
		json_array_foreach(imm, i, e) {
			int a = json_is_string(e) ? imm_from_code(json_string_value(e)) : -1;
			if (a < 0)
				bad(&x, "imm", "unknown antigen");
			else
				v->imm |= 1u << a;
		}
	}
	v->home_visit = get_bool(&x, "home_visit");
	v->gest_weeks = (uint8_t)get_int(&x, "gest_weeks", 0, 45);
	v->bp_sys = (uint16_t)get_int(&x, "bp_sys", 0, 300);
	v->bp_dia = (uint16_t)get_int(&x, "bp_dia", 0, 200);
	v->iron_tablets = (uint8_t)get_int(&x, "iron_tablets", 0, 255);
	v->anc_no = (uint8_t)get_int(&x, "anc_no", 0, 20);
	v->danger_signs = (uint16_t)get_int(&x, "danger_signs", 0, 65535);
	get_str(&x, "note", v->note, sizeof v->note);
	json_decref(root);
	return x.bad ? -1 : 0;
}

int codec_decode(int kind, bool deleted, const char *json, size_t len, void *item,
		 uint8_t author[16], int64_t *time, struct err *err)
{
	if (deleted)
		return codec_meta_decode(json, len, author, time, err);
	switch (kind) {
	case REC_PERSON:
		return codec_person_decode(json, len, item, author, time, err);
	case REC_VISIT:
		return codec_visit_decode(json, len, item, author, time, err);
	case REC_SESSION:
		return codec_session_decode(json, len, item, author, time, err);
	default:
		return codec_meta_decode(json, len, author, time, err);
	}
}
