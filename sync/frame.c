/* sync/frame.c: frame bodies <-> canonical JSON, strictly checked. */
#include "sync/frame.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/person.h"
#include "storage/codec.h"
#include "sync/wire.h"
#include "core/banned.h"

#define DUMP_FLAGS (JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII)

void frame_free(char *json)
{
	codec_free(json);           /* jansson allocates through codec's wiping allocator */
}

static json_t *juuid(const uint8_t u[16])
{
	char buf[UUID_STRLEN];
	return json_string(uuid_format(u, buf));
}

static json_t *jref(const struct sync_ref *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "device", juuid(r->device));
	json_object_set_new(o, "lamport", json_integer((json_int_t)r->lamport));
	return o;
}

static char *dump(json_t *o)
{
	char *out = json_dumps(o, DUMP_FLAGS);
	json_decref(o);
	return out;
}

char *frame_inner_encode(const struct frame_inner *h)
{
	json_t *o;
	codec_init();
	o = json_object();
	json_object_set_new(o, "app", json_string(h->app));
	json_object_set_new(o, "down_ack", json_integer((json_int_t)h->down_ack));
	json_object_set_new(o, "kind", json_integer(h->kind));
	json_object_set_new(o, "posyandu", json_string(h->posyandu));
	json_object_set_new(o, "sender", juuid(h->sender));
	json_object_set_new(o, "seq", json_integer((json_int_t)h->seq));
	json_object_set_new(o, "v", json_integer(1));
	return dump(o);
}

char *frame_version_encode(const struct sync_version *v, const char *payload, size_t len)
{
	json_t *o, *m;
	codec_init();
	o = json_object();
	json_object_set_new(o, "uuid", juuid(v->uuid));
	json_object_set_new(o, "kind", json_integer(v->kind));
	json_object_set_new(o, "owner", uuid_is_zero(v->owner) ? json_string("") : juuid(v->owner));
	json_object_set_new(o, "lamport", json_integer((json_int_t)v->lamport));
	json_object_set_new(o, "device", juuid(v->device));
	json_object_set_new(o, "parent", jref(&v->parent));
	json_object_set_new(o, "month", json_integer(v->month));
	json_object_set_new(o, "deleted", json_boolean(v->deleted));
	json_object_set_new(o, "vid", juuid(v->vid));
	m = json_array();
	for (size_t i = 0; i < v->n_merges; i++)
		json_array_append_new(m, jref(&v->merges[i]));
	json_object_set_new(o, "merges", m);
	json_object_set_new(o, "payload", json_stringn(payload, len));
	return dump(o);
}

char *frame_anchor_encode(uint64_t audit_seq, const uint8_t head[32])
{
	char hex[65];
	json_t *o;
	codec_init();
	o = json_object();
	json_object_set_new(o, "head", json_string(wire_hex(head, 32, hex)));
	json_object_set_new(o, "seq", json_integer((json_int_t)audit_seq));
	return dump(o);
}

/* ---- decoding ---- */

int frame_depth_ok(const uint8_t *s, size_t len, int max)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[') {
			if (++depth > max)
				return 0;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 1;
}

struct dec {
	json_t *o;
	struct err *err;
	const char *what;
	int bad;
};

static int dfail(struct dec *d, const char *key, const char *why)
{
	if (!d->bad++)
		err_set(d->err, ERR_FORMAT, "bundle-data", "%s: \"%s\" %s", d->what, key, why);
	return -1;
}

/* Open BODY as an object with exactly the N keys KEYS. */
static json_t *open_obj(const uint8_t *body, size_t len, const char *const *keys, size_t n,
			const char *what, struct err *err)
{
	json_error_t je;
	json_t *o;
	const char *k;
	json_t *val;

	codec_init();
	if (!frame_depth_ok(body, len, FRAME_DEPTH_MAX)) {
		err_set(err, ERR_FORMAT, "bundle-data", "%s nests too deep", what);
		return NULL;
	}
	o = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		err_set(err, ERR_FORMAT, "bundle-data", "%s is not a JSON object", what);
		return NULL;
	}
	if (json_object_size(o) != n)
		goto bad_keys;
	json_object_foreach(o, k, val) {
		size_t i;
		(void)val;
		for (i = 0; i < n && strcmp(k, keys[i]) != 0; i++)
			;
		if (i == n)
			goto bad_keys;
	}
	return o;
bad_keys:
	json_decref(o);
	err_set(err, ERR_FORMAT, "bundle-data", "%s has missing or unknown fields", what);
	return NULL;
}

static uint64_t get_u64(struct dec *d, json_t *o, const char *key, uint64_t min, uint64_t max)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) < min || (uint64_t)json_integer_value(v) > max) {
		dfail(d, key, "is not a whole number in range");
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static void get_uuid(struct dec *d, json_t *o, const char *key, uint8_t u[16], bool empty_ok)
{
	json_t *v = json_object_get(o, key);
	char buf[UUID_STRLEN];
	memset(u, 0, 16);
	if (!json_is_string(v) || json_string_length(v) >= sizeof buf) {
		dfail(d, key, "is not a uuid");
		return;
	}
	memcpy(buf, json_string_value(v), json_string_length(v) + 1);
	if (empty_ok && !buf[0])
		return;
	if (strlen(buf) != 36 || uuid_parse(buf, u) < 0)
		dfail(d, key, "is not a uuid");
}

static void get_text(struct dec *d, json_t *o, const char *key, char *out, size_t size)
{
	json_t *v = json_object_get(o, key);
	out[0] = '\0';
	if (!json_is_string(v) || json_string_length(v) >= size ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		dfail(d, key, "is not a short text");
		return;
	}
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
}

static void get_ref(struct dec *d, json_t *o, struct sync_ref *r)
{
	static const char *const keys[] = { "device", "lamport" };
	const char *k;
	json_t *val;
	size_t seen = 0;

	memset(r, 0, sizeof *r);
	if (!json_is_object(o) || json_object_size(o) != 2) {
		dfail(d, "parent", "is not a version reference");
		return;
	}
	json_object_foreach(o, k, val) {
		(void)val;
		seen += strcmp(k, keys[0]) == 0 || strcmp(k, keys[1]) == 0;
	}
	if (seen != 2) {
		dfail(d, "parent", "is not a version reference");
		return;
	}
	r->lamport = get_u64(d, o, "lamport", 0, 1ull << 53);
	get_uuid(d, o, "device", r->device, false);
}

int frame_inner_decode(const uint8_t *body, size_t len, struct frame_inner *h, struct err *err)
{
	static const char *const keys[] = { "app", "down_ack", "kind", "posyandu", "sender", "seq", "v" };
	struct dec d = { NULL, err, "inner header", 0 };

	memset(h, 0, sizeof *h);
	if (!(d.o = open_obj(body, len, keys, sizeof keys / sizeof keys[0], d.what, err)))
		return -1;
	get_u64(&d, d.o, "v", 1, 1);
	h->kind = (int)get_u64(&d, d.o, "kind", 1, 3);
	get_uuid(&d, d.o, "sender", h->sender, false);
	get_text(&d, d.o, "posyandu", h->posyandu, sizeof h->posyandu);
	h->seq = get_u64(&d, d.o, "seq", 1, UINT64_MAX >> 1);
	h->down_ack = get_u64(&d, d.o, "down_ack", 0, UINT64_MAX >> 1);
	get_text(&d, d.o, "app", h->app, sizeof h->app);
	json_decref(d.o);
	return d.bad ? -1 : 0;
}

int frame_version_decode(const uint8_t *body, size_t len, struct sync_version *v, char **payload,
			 size_t *plen, struct err *err)
{
	static const char *const keys[] = { "deleted", "device", "kind", "lamport", "merges", "month",
					    "owner", "parent", "payload", "uuid", "vid" };
	struct dec d = { NULL, err, "record", 0 };
	json_t *m, *p, *del, *month;
	size_t i;

	memset(v, 0, sizeof *v);
	*payload = NULL;
	*plen = 0;
	if (!(d.o = open_obj(body, len, keys, sizeof keys / sizeof keys[0], d.what, err)))
		return -1;
	get_uuid(&d, d.o, "uuid", v->uuid, false);
	v->kind = (int)get_u64(&d, d.o, "kind", 1, 255);
	get_uuid(&d, d.o, "owner", v->owner, true);
	v->lamport = get_u64(&d, d.o, "lamport", 1, 1ull << 53);
	get_uuid(&d, d.o, "device", v->device, false);
	get_ref(&d, json_object_get(d.o, "parent"), &v->parent);
	month = json_object_get(d.o, "month");
	if (!json_is_integer(month) || json_integer_value(month) < -1 ||
	    json_integer_value(month) > INT32_MAX)
		dfail(&d, "month", "is not a month index");
	else
		v->month = (int32_t)json_integer_value(month);
	del = json_object_get(d.o, "deleted");
	if (!json_is_boolean(del))
		dfail(&d, "deleted", "is not true or false");
	v->deleted = json_is_true(del);
	get_uuid(&d, d.o, "vid", v->vid, false);
	m = json_object_get(d.o, "merges");
	if (!json_is_array(m) || json_array_size(m) > SYNC_MERGES_MAX) {
		dfail(&d, "merges", "is not a short list");
	} else {
		for (i = 0; i < json_array_size(m); i++)
			get_ref(&d, json_array_get(m, i), &v->merges[i]);
		v->n_merges = json_array_size(m);
	}
	p = json_object_get(d.o, "payload");
	if (!json_is_string(p) || json_string_length(p) == 0 ||
	    json_string_length(p) > FRAME_PAYLOAD_MAX ||
	    strlen(json_string_value(p)) != json_string_length(p)) {
		dfail(&d, "payload", "is not a record payload");
	} else if (!frame_depth_ok((const uint8_t *)json_string_value(p), json_string_length(p),
				   FRAME_DEPTH_MAX)) {
		dfail(&d, "payload", "nests too deep");
	} else if (!d.bad) {
		if (!(*payload = codec_alloc(json_string_length(p)))) {
			json_decref(d.o);
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		}
		memcpy(*payload, json_string_value(p), json_string_length(p) + 1);
		*plen = json_string_length(p);
	}
	json_decref(d.o);
	if (d.bad) {
		codec_free(*payload);
		*payload = NULL;
		return -1;
	}
	return 0;
}

int frame_anchor_decode(const uint8_t *body, size_t len, uint64_t *audit_seq, uint8_t head[32],
			struct err *err)
{
	static const char *const keys[] = { "head", "seq" };
	struct dec d = { NULL, err, "audit anchor", 0 };
	char hex[65];

	if (!(d.o = open_obj(body, len, keys, 2, d.what, err)))
		return -1;
	*audit_seq = get_u64(&d, d.o, "seq", 0, UINT64_MAX >> 1);
	get_text(&d, d.o, "head", hex, sizeof hex);
	if (!d.bad && wire_unhex(hex, head, 32) < 0)
		dfail(&d, "head", "is not 64 hex digits");
	json_decref(d.o);
	return d.bad ? -1 : 0;
}

/* ---- quiz keys (frame kind 7, issue 13.2) ---- */

static json_t *quizkey_obj(const struct frame_quizkey *k, bool with_ed)
{
	char hex[129];
	json_t *o = json_object();
	json_object_set_new(o, "device", juuid(k->device));
	if (with_ed)
		json_object_set_new(o, "ed_pk", json_string(wire_hex(k->ed_pk, 32, hex)));
	json_object_set_new(o, "pk", json_string(wire_hex(k->pk, 32, hex)));
	json_object_set_new(o, "sig", json_string(wire_hex(k->sig, 64, hex)));
	return o;
}

char *frame_quizkey_encode(const struct frame_quizkey *k)
{
	codec_init();
	return dump(quizkey_obj(k, false));
}

char *frame_quizkeys_encode(const struct frame_quizkey *k, size_t n)
{
	json_t *o, *a;
	codec_init();
	o = json_object();
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, quizkey_obj(&k[i], true));
	json_object_set_new(o, "keys", a);
	return dump(o);
}

static void get_hex(struct dec *d, json_t *o, const char *key, uint8_t *out, size_t n)
{
	char hex[129];
	get_text(d, o, key, hex, sizeof hex);
	if (!d->bad && (strlen(hex) != 2 * n || wire_unhex(hex, out, n) < 0))
		dfail(d, key, "is not a key in hex");
}

/* The fields of one key object O (with ed_pk when WITH_ED), exactly. */
static void get_quizkey(struct dec *d, json_t *o, bool with_ed, struct frame_quizkey *k)
{
	const char *key;
	json_t *val;
	size_t want = with_ed ? 4 : 3;

	memset(k, 0, sizeof *k);
	if (!json_is_object(o) || json_object_size(o) != want) {
		dfail(d, "keys", "has an entry that is not a quiz key");
		return;
	}
	json_object_foreach(o, key, val) {
		(void)val;
		if (strcmp(key, "device") != 0 && strcmp(key, "pk") != 0 && strcmp(key, "sig") != 0 &&
		    !(with_ed && strcmp(key, "ed_pk") == 0)) {
			dfail(d, key, "is not a field of a quiz key");
			return;
		}
	}
	get_uuid(d, o, "device", k->device, false);
	if (with_ed)
		get_hex(d, o, "ed_pk", k->ed_pk, 32);
	get_hex(d, o, "pk", k->pk, 32);
	get_hex(d, o, "sig", k->sig, 64);
}

int frame_quizkey_decode(const uint8_t *body, size_t len, struct frame_quizkey *k,
			 struct err *err)
{
	static const char *const keys[] = { "device", "pk", "sig" };
	struct dec d = { NULL, err, "quiz key", 0 };

	memset(k, 0, sizeof *k);
	if (!(d.o = open_obj(body, len, keys, 3, d.what, err)))
		return -1;
	get_quizkey(&d, d.o, false, k);
	json_decref(d.o);
	return d.bad ? -1 : 0;
}

int frame_quizkeys_decode(const uint8_t *body, size_t len, struct frame_quizkey **out,
			  size_t *n, struct err *err)
{
	static const char *const keys[] = { "keys" };
	struct dec d = { NULL, err, "quiz keys", 0 };
	json_t *a;

	*out = NULL;
	*n = 0;
	if (!(d.o = open_obj(body, len, keys, 1, d.what, err)))
		return -1;
	a = json_object_get(d.o, "keys");
	if (!json_is_array(a) || json_array_size(a) > FRAME_QUIZKEYS_MAX) {
		dfail(&d, "keys", "is not a short list");
	} else if (json_array_size(a) &&
		   !(*out = calloc(json_array_size(a), sizeof **out))) {
		json_decref(d.o);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	} else {
		for (size_t i = 0; i < json_array_size(a) && !d.bad; i++)
			get_quizkey(&d, json_array_get(a, i), true, &(*out)[i]);
		*n = json_array_size(a);
	}
	json_decref(d.o);
	if (d.bad) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* ---- audit entries and certificates (issue 13.3) ---- */

static uint8_t *put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
	return p + 8;
}

static uint8_t *put(uint8_t *p, const uint8_t *b, size_t n)
{
	memcpy(p, b, n);
	return p + n;
}

static const uint8_t *get64(const uint8_t *p, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++)
		*v = *v << 8 | p[i];
	return p + 8;
}

static const uint8_t *get(const uint8_t *p, uint8_t *b, size_t n)
{
	memcpy(b, p, n);
	return p + n;
}

#define AUDIT_SIGNED 1u
#define AUDIT_VID 2u

void frame_audit_encode(const struct audit_wire *e, uint8_t out[FRAME_AUDIT_LEN])
{
	uint8_t *p = out;

	memset(out, 0, FRAME_AUDIT_LEN);
	*p++ = 1;
	*p++ = (uint8_t)((e->is_signed ? AUDIT_SIGNED : 0) |
			 (e->is_signed && !uuid_is_zero(e->vid) ? AUDIT_VID : 0));
	p = put64(p, e->seq);
	p = put64(p, (uint64_t)e->time);
	p = put(p, e->user, 16);
	p = put64(p, (uint64_t)e->action);
	p = put(p, e->object, 16);
	p = put(p, e->detail_hash, 32);
	p = put(p, e->prev, 32);
	p = put(p, e->h, 32);
	if (!e->is_signed)
		return;
	p = put64(p, (uint64_t)e->gen);
	p = put64(p, e->uidx);
	p = put(p, e->next_pk, 32);
	p = put(p, e->sig, 64);
	p = put(p, e->vid, 16);
	p = put(p, e->vhash, 32);
	p = put64(p, (uint64_t)e->nver);
	put64(p, (uint64_t)e->maxseq);
}

int frame_audit_decode(const uint8_t *body, size_t len, struct audit_wire *e, struct err *err)
{
	static const uint8_t zero[FRAME_AUDIT_LEN];
	const uint8_t *p = body + 2;
	uint64_t v;
	uint8_t flags;

	memset(e, 0, sizeof *e);
	if (len != FRAME_AUDIT_LEN || body[0] != 1)
		return err_set(err, ERR_FORMAT, "bundle-data", "an audit entry of the wrong size or version");
	flags = body[1];
	if ((flags & ~(AUDIT_SIGNED | AUDIT_VID)) || (flags == AUDIT_VID))
		return err_set(err, ERR_FORMAT, "bundle-data", "an audit entry with unknown flags");
	p = get64(p, &e->seq);
	p = get64(p, &v);
	e->time = (int64_t)v;
	p = get(p, e->user, 16);
	p = get64(p, &v);
	e->action = (int64_t)v;
	p = get(p, e->object, 16);
	p = get(p, e->detail_hash, 32);
	p = get(p, e->prev, 32);
	p = get(p, e->h, 32);
	e->is_signed = flags & AUDIT_SIGNED;
	if (!e->is_signed) {
		if (memcmp(p, zero, (size_t)(body + len - p)) != 0)
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "an unsigned audit entry with signed fields");
	} else {
		p = get64(p, &v);
		e->gen = (int64_t)v;
		p = get64(p, &e->uidx);
		p = get(p, e->next_pk, 32);
		p = get(p, e->sig, 64);
		p = get(p, e->vid, 16);
		p = get(p, e->vhash, 32);
		p = get64(p, &v);
		e->nver = (int64_t)v;
		get64(p, &v);
		e->maxseq = (int64_t)v;
		if (!(flags & AUDIT_VID) != uuid_is_zero(e->vid))
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "audit entry %llu: its version flag and id disagree",
				       (unsigned long long)e->seq);
	}
	if (e->seq == 0 || e->seq > UINT64_MAX >> 1)
		return err_set(err, ERR_FORMAT, "bundle-data", "an audit entry numbered out of range");
	return 0;
}

void frame_cert_encode(const struct cert_wire *c, uint8_t out[FRAME_CERT_LEN])
{
	uint8_t *p = out;

	*p++ = 1;
	p = put(p, c->store_id, 16);
	p = put(p, c->user, 16);
	*p++ = (uint8_t)c->role;
	p = put64(p, (uint64_t)c->gen);
	p = put(p, c->audit_pk, 32);
	p = put(p, c->box_pk, 32);
	put(p, c->sig, 64);
}

int frame_cert_decode(const uint8_t *body, size_t len, struct cert_wire *c, struct err *err)
{
	const uint8_t *p = body + 1;
	uint64_t v;

	memset(c, 0, sizeof *c);
	if (len != FRAME_CERT_LEN || body[0] != 1)
		return err_set(err, ERR_FORMAT, "bundle-data", "a certificate of the wrong size or version");
	p = get(p, c->store_id, 16);
	p = get(p, c->user, 16);
	c->role = *p++;
	p = get64(p, &v);
	c->gen = (int64_t)v;
	p = get(p, c->audit_pk, 32);
	p = get(p, c->box_pk, 32);
	get(p, c->sig, 64);
	if (c->gen < 1 || v > INT64_MAX)
		return err_set(err, ERR_FORMAT, "bundle-data", "a certificate of generation %lld",
			       (long long)c->gen);
	return 0;
}
