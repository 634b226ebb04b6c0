/* storage/codec.c: person and visit payloads <-> canonical JSON. */
#include "storage/codec.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
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

/* ---- the person and visit fields ----
 * One table a record says, for each payload field, where it lives in the
 * struct and how it is checked; encoding and decoding both walk it, in this
 * order (the first bad field is the one reported). Keys are member names. */

enum ftype {
	F_STR,          /* char array; "" is left out */
	F_UINT,         /* unsigned integer or enum member, 0 .. max; 0 is left out */
	F_BOOL,         /* only true is written */
	F_UUID,         /* all zero is left out */
	F_DATE,         /* DATE_NONE is left out */
	F_DAY0,         /* a day number where 0 means none (left out) */
	F_PLUS1,        /* a count stored + 1 (0 = not recorded, left out); the payload holds it as is */
	F_CHAR,         /* one letter of ALLOWED, or 0 (left out) */
	F_TRI,          /* a question: TRI[] holds the stored not asked, yes, no */
	F_ASKL,         /* a question (ASK_*) that was a yes/no before: true, false, or
			 * null for not asked; absent in an older record, whose
			 * boolean LEGACY (only true was written) says yes or no.
			 * LEGACY is still written true on a yes, for older readers */
	F_IMM,          /* antigen bits as a list of codes */
};

struct field {
	const char *key;
	enum ftype type;
	size_t off, size;
	long long max;                  /* F_UINT */
	const char *allowed, *what;     /* F_CHAR: the letters, the complaint */
	signed char tri[3];             /* F_TRI */
	const char *legacy;             /* F_ASKL */
};

#define FIELD(S, m, t) .key = #m, .type = (t), .off = offsetof(S, m), .size = sizeof ((S *)0)->m
#define PF(m, t) FIELD(struct person, m, t)
#define VF(m, t) FIELD(struct visit, m, t)

_Static_assert(sizeof(enum vitamin_a) == sizeof(uint32_t), "F_UINT reads an enum as 32 bits");

/* After "kind", which codec_person_encode/_decode handle first. */
static const struct field person_fields[] = {
	{ PF(name, F_STR) },
	{ PF(sex, F_CHAR), .allowed = "LP", .what = "not L or P" },
	{ PF(dob, F_DATE) },
	{ PF(nik, F_STR) },
	{ PF(kk, F_STR) },
	{ PF(mother, F_UUID) },
	{ PF(mother_name, F_STR) },
	{ PF(father_name, F_STR) },
	{ PF(address, F_STR) },
	{ PF(rt, F_UINT), .max = 255 },
	{ PF(rw, F_UINT), .max = 255 },
	{ PF(phone, F_STR) },
	{ PF(birth_weight_g, F_UINT), .max = 65535 },
	{ PF(birth_length_mm, F_UINT), .max = 65535 },
	{ PF(works, F_ASKL), .legacy = "mother_works" },
	{ PF(kia, F_ASKL), .legacy = "has_kia" },
	{ PF(registered, F_DATE) },
};

static const struct field visit_fields[] = {
	{ VF(person, F_UUID) },
	{ VF(date, F_DATE) },
	{ VF(weight_g, F_UINT), .max = 300000 },
	{ VF(lenhei_mm, F_UINT), .max = 3000 },
	{ VF(measure, F_CHAR), .allowed = "lh", .what = "not l or h" },
	{ VF(headc_mm, F_UINT), .max = 1000 },
	{ VF(muac_mm, F_UINT), .max = 1000 },
	{ VF(oedema, F_BOOL) },
	{ VF(asi_recall, F_TRI), .tri = { -1, 1, 0 } },
	{ VF(counsel_asi, F_BOOL) },
	{ VF(bf_continue, F_TRI), .tri = { BF_NOT_ASKED, BF_ASKED_YES, BF_ASKED_NO } },
	{ VF(vitamin_a, F_UINT), .max = VITA_RED },
	{ VF(imm, F_IMM) },
	{ VF(home_visit, F_BOOL) },
	{ VF(gest_weeks, F_UINT), .max = 45 },
	{ VF(bp_sys, F_UINT), .max = 300 },
	{ VF(bp_dia, F_UINT), .max = 200 },
	{ VF(iron_tablets, F_UINT), .max = 255 },
	{ VF(anc_no, F_UINT), .max = 20 },
	{ VF(danger_signs, F_UINT), .max = 65535 },
	{ VF(note, F_STR) },
	{ VF(not_asked, F_UINT), .max = 7 },
	/* Posyandu ILP (issue 14); questions as F_TRI over ASK_* */
#define ASKF(m) { VF(m, F_TRI), .tri = { ASK_NOT, ASK_YES, ASK_NO } }
	{ VF(glucose_mgdl, F_UINT), .max = 2000 },
	ASKF(glucose_fasting),
	{ VF(waist_mm, F_UINT), .max = 3000 },
	{ VF(hb_dgl, F_UINT), .max = 300 },
	ASKF(tb_symptoms),
	ASKF(smoking),
	ASKF(iron_weekly),
	ASKF(mental_problem),
	ASKF(risk_alcohol),
	ASKF(risk_drugs),
	ASKF(risk_sex),
	{ VF(cholesterol_mgdl, F_UINT), .max = 2000 },
	{ VF(uric_dmgdl, F_UINT), .max = 500 },
	ASKF(vision_problem),
	ASKF(hearing_problem),
	ASKF(diet_sugar),
	ASKF(diet_salt),
	ASKF(diet_fat),
	ASKF(puma_breath),
	ASKF(puma_phlegm),
	ASKF(puma_cough),
	ASKF(puma_spirometry),
	{ VF(puma_packyears, F_UINT), .max = PY_OVER_30 },
	{ VF(adl, F_PLUS1), .max = 20 },
	ASKF(fall_risk),
	{ VF(kb_method, F_UINT), .max = KB__COUNT - 1 },
	{ VF(hpht, F_DAY0) },
	{ VF(gravida, F_UINT), .max = 30 },
	{ VF(para, F_PLUS1), .max = 30 },
	{ VF(td_status, F_UINT), .max = 5 },
	ASKF(kek_food),
	ASKF(preg_class),
	ASKF(postpartum),
	{ VF(vita_pp, F_UINT), .max = 3 },
	ASKF(deworm),
	ASKF(diarrhoea),
	ASKF(ors_zinc),
	ASKF(pmt),
	ASKF(development),
#undef ASKF
};

#define N_FIELDS(t) (sizeof (t) / sizeof (t)[0])

static void encode_fields(json_t *d, const void *rec, const struct field *f, size_t n)
{
	for (; n--; f++) {
		const char *m = (const char *)rec + f->off;
		char c[2] = { 0, 0 };
		uint32_t bits;
		int32_t day;

		switch (f->type) {
		case F_STR: set_str(d, f->key, m); break;
		case F_UINT: set_int(d, f->key, (long long)member_uint(m, f->size)); break;
		case F_BOOL: set_bool(d, f->key, *(const bool *)m); break;
		case F_UUID: set_uuid(d, f->key, (const uint8_t *)m); break;
		case F_DATE: set_date(d, f->key, *(const int32_t *)m); break;
		case F_DAY0:
			memcpy(&day, m, sizeof day);
			if (day != 0)
				set_date(d, f->key, day);
			break;
		case F_PLUS1:
			if (*(const uint8_t *)m)
				json_object_set_new(d, f->key, json_integer(*(const uint8_t *)m - 1));
			break;
		case F_CHAR:
			c[0] = *m;
			set_str(d, f->key, c);
			break;
		case F_TRI:
			if ((signed char)*m != f->tri[0])
				json_object_set_new(d, f->key, json_boolean((signed char)*m == f->tri[1]));
			break;
		case F_ASKL:
			json_object_set_new(d, f->key, *m == ASK_YES ? json_true() :
						       *m == ASK_NO ? json_false() : json_null());
			set_bool(d, f->legacy, *m == ASK_YES);
			break;
		case F_IMM:
			memcpy(&bits, m, sizeof bits);
			if (bits) {
				json_t *a = json_array();
				for (int i = 0; i < IMM__COUNT; i++)
					if (bits & (1u << i))
						json_array_append_new(a, json_string(imm_code(i)));
				json_object_set_new(d, f->key, a);
			}
			break;
		}
	}
}

char *codec_person_encode(const struct person *p, const uint8_t author[16], int64_t time)
{
	json_t *d = json_object();

	json_object_set_new(d, "kind", json_string(person_kind_code(p->kind)));
	encode_fields(d, p, person_fields, N_FIELDS(person_fields));
	return wrap(d, author, time);
}

char *codec_visit_encode(const struct visit *v, const uint8_t author[16], int64_t time)
{
	json_t *d = json_object();

	encode_fields(d, v, visit_fields, N_FIELDS(visit_fields));
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

/* Open JSON, check its author and time, zero REC (SIZE bytes) and find the
 * "d" object (WHAT names the record in the message); the root to
 * json_decref, or NULL. */
static json_t *open_data(const char *json, size_t len, const char *what, struct dec *x,
			 void *rec, size_t size, uint8_t author[16], int64_t *time)
{
	json_t *root = open_payload(json, len, author, time, x->err);

	if (!root)
		return NULL;
	memset(rec, 0, size);
	x->d = json_object_get(root, "d");
	if (!json_is_object(x->d)) {
		json_decref(root);
		err_set(x->err, ERR_FORMAT, NULL, "%s payload has no data", what);
		return NULL;
	}
	return root;
}

int codec_session_decode(const char *json, size_t len, struct session *x,
			 uint8_t author[16], int64_t *time, struct err *err)
{
	struct dec dx = { NULL, err, 0 };
	json_t *root = open_data(json, len, "session", &dx, x, sizeof *x, author, time);
	json_t *k, *e;
	size_t i;

	if (!root)
		return -1;
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

/* Read the fields F[0..N) of D into REC; absent fields read as "not given". */
static void decode_fields(struct dec *x, void *rec, const struct field *f, size_t n)
{
	for (; n--; f++) {
		char *m = (char *)rec + f->off;
		char c[2];
		json_t *v, *e;
		uint32_t bits = 0;
		int32_t day;
		size_t i;

		switch (f->type) {
		case F_STR: get_str(x, f->key, m, f->size); break;
		case F_UINT: member_set_uint(m, f->size, (unsigned long)get_int(x, f->key, 0, f->max)); break;
		case F_BOOL: *(bool *)m = get_bool(x, f->key); break;
		case F_UUID: get_uuid(x, f->key, (uint8_t *)m); break;
		case F_DATE:
			day = get_date(x, f->key);
			memcpy(m, &day, sizeof day);
			break;
		case F_DAY0:
			day = get_date(x, f->key);
			if (day == DATE_NONE)
				day = 0;
			else if (day == 0)
				bad(x, f->key, "not a date");
			memcpy(m, &day, sizeof day);
			break;
		case F_PLUS1:
			*(uint8_t *)m = json_object_get(x->d, f->key)
				? (uint8_t)(get_int(x, f->key, 0, f->max) + 1) : 0;
			break;
		case F_CHAR:
			get_str(x, f->key, c, sizeof c);
			if (c[0] && !strchr(f->allowed, c[0]))
				bad(x, f->key, f->what);
			*m = c[0];
			break;
		case F_TRI:
			*m = f->tri[0];
			if ((v = json_object_get(x->d, f->key))) {
				if (!json_is_boolean(v))
					bad(x, f->key, "not a boolean");
				*m = json_is_true(v) ? f->tri[1] : f->tri[2];
			}
			break;
		case F_ASKL: {
			bool legacy = get_bool(x, f->legacy);      /* checked either way */
			if ((v = json_object_get(x->d, f->key))) {
				if (!json_is_boolean(v) && !json_is_null(v))
					bad(x, f->key, "not a boolean or null");
				*m = json_is_true(v) ? ASK_YES : json_is_false(v) ? ASK_NO : ASK_NOT;
			} else {
				*m = legacy ? ASK_YES : ASK_NO;
			}
			break;
		}
		case F_IMM:
			if ((v = json_object_get(x->d, f->key))) {
				if (!json_is_array(v))
					bad(x, f->key, "not a list");
				json_array_foreach(v, i, e) {
					int a = json_is_string(e) ? imm_from_code(json_string_value(e)) : -1;
					if (a < 0)
						bad(x, f->key, "unknown antigen");
					else
						bits |= 1u << a;
				}
			}
			memcpy(m, &bits, sizeof bits);
			break;
		}
	}
}

int codec_person_decode(const char *json, size_t len, struct person *p,
			uint8_t author[16], int64_t *time, struct err *err)
{
	struct dec x = { NULL, err, 0 };
	json_t *root = open_data(json, len, "person", &x, p, sizeof *p, author, time);
	char kind[16];
	int k;

	if (!root)
		return -1;
	get_str(&x, "kind", kind, sizeof kind);
	if ((k = person_kind_from_code(kind)) < 0)
		bad(&x, "kind", "unknown kind");
	p->kind = (enum person_kind)k;
	decode_fields(&x, p, person_fields, N_FIELDS(person_fields));
	json_decref(root);
	return x.bad ? -1 : 0;
}

int codec_visit_decode(const char *json, size_t len, struct visit *v,
		       uint8_t author[16], int64_t *time, struct err *err)
{
	struct dec x = { NULL, err, 0 };
	json_t *root = open_data(json, len, "visit", &x, v, sizeof *v, author, time);

	if (!root)
		return -1;
	decode_fields(&x, v, visit_fields, N_FIELDS(visit_fields));
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
