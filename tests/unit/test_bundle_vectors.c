/* tests/unit/test_bundle_vectors.c: the bundle format pinned by vectors
 * made from fixed seeds (SECURITY.md §5.1), stored in tests/vectors/ as a
 * text header (expect:, comment:, payload-hash:) and a blank line followed
 * by the bytes, as age's testkit does.
 *
 * Keys come from crypto_sign_seed_keypair / crypto_box_seed_keypair over
 * fixed seeds, and this binary installs a deterministic randombytes (before
 * sodium_init) so the file key, the sealed box's ephemeral key and the
 * stream header are reproducible. Two tests:
 *   - decoding: every vector file gives its expected outcome through the
 *     reader's steps (format, signature, recipient, key, stream), and a
 *     success gives the plaintext of the stated hash;
 *   - round trip: the writer, run again from the same seeds, makes every
 *     vector byte for byte (any change to the format shows here first).
 * Regenerate after a deliberate format change (and say so in the commit):
 *   build/tests/test_bundle_vectors --generate tests/vectors */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/codec.h"
#include "sync/bundle.h"
#include "sync/frame.h"
#include "sync/keystr.h"
#include "sync/wire.h"
#include "tests/helpers/testutil.h"

#define VDIR POSYANDU_SRCDIR "/tests/vectors"

/* ---- a deterministic randombytes (splitmix64), for this binary only ---- */

static uint64_t rng_state;

static uint64_t splitmix(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static const char *rng_name(void)
{
	return "posyandu-test-splitmix64";
}

static uint32_t rng_random(void)
{
	return (uint32_t)splitmix();
}

static void rng_buf(void *const buf, const size_t size)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < size; i++)
		p[i] = (uint8_t)splitmix();
}

static randombytes_implementation rng = { rng_name, rng_random, NULL, NULL, rng_buf, NULL };

/* ---- keys from seeds ---- */

struct keys {
	uint8_t dev_ed_pk[32], dev_ed_sk[64];
	uint8_t dist_x_pk[32], dist_x_sk[32];
	uint8_t other_x_pk[32], other_x_sk[32];
	uint8_t dev_id[16];
};

static void seed_keys(struct keys *k)
{
	uint8_t seed[32];
	memset(seed, 0x01, sizeof seed);
	crypto_sign_seed_keypair(k->dev_ed_pk, k->dev_ed_sk, seed);
	memset(seed, 0x02, sizeof seed);
	crypto_box_seed_keypair(k->dist_x_pk, k->dist_x_sk, seed);
	memset(seed, 0x04, sizeof seed);
	crypto_box_seed_keypair(k->other_x_pk, k->other_x_sk, seed);
	memset(k->dev_id, 0x11, sizeof k->dev_id);
}

static int sign_seed(void *ctx, const uint8_t digest[64], uint8_t sig[64], struct err *err)
{
	const struct keys *k = ctx;
	(void)err;
	crypto_sign_detached(sig, NULL, digest, 64, k->dev_ed_sk);
	return 0;
}

static void resign(const struct keys *k, uint8_t *b, size_t n)
{
	static const char domain[] = BUNDLE_SIG_DOMAIN;
	crypto_generichash_state st;
	uint8_t d[64];
	crypto_generichash_init(&st, NULL, 0, 64);
	crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain);
	crypto_generichash_update(&st, b, n - 64);
	crypto_generichash_final(&st, d, 64);
	crypto_sign_detached(b + n - 64, NULL, d, 64, k->dev_ed_sk);
}

/* ---- generating ---- */

struct mem {
	uint8_t *b;
	size_t len, cap;
};

static int mem_out(void *ctx, const void *buf, size_t len, struct err *err)
{
	struct mem *m = ctx;
	(void)err;
	if (m->len + len > m->cap) {
		m->cap = (m->len + len) * 2;
		m->b = realloc(m->b, m->cap);
		if (!m->b)
			return -1;
	}
	memcpy(m->b + m->len, buf, len);
	m->len += len;
	return 0;
}

struct vector {
	const char *name;
	const char *expect;
	const char *comment;
	int versions;              /* records in the bundle */
	int recipient_other;       /* sealed to the other key */
	int post;                  /* a change after writing (below) */
	int major;                 /* the format written: 1 (JSON versions) or 2 (binary) */
	int set_major;             /* POST_MAJOR: the major byte it gets */
};

enum { POST_NONE, POST_TRUNCATE, POST_FLIP_CHUNK, POST_MAJOR, POST_CREATED, POST_GARBAGE };

static const struct vector vectors[] = {
	{ "v1-ok-small", "success", "two records, one chunk", 2, 0, POST_NONE, 1, 0 },
	{ "v1-ok-chunks", "success", "170 records, two 64 KiB chunks", 170, 0, POST_NONE, 1, 0 },
	{ "v1-ok-empty", "success", "no records: inner header, audit anchor, end", 0, 0, POST_NONE, 1, 0 },
	{ "v1-truncated", "header failure", "v1-ok-small without its last byte", 2, 0, POST_TRUNCATE, 1, 0 },
	{ "v1-trailing", "header failure", "v1-ok-small with one byte appended", 2, 0, POST_GARBAGE, 1, 0 },
	{ "v1-flipped", "signature failure", "one bit flipped in the chunk", 2, 0, POST_FLIP_CHUNK, 1, 0 },
	{ "v1-major2", "header failure", "major version 2, signed again", 2, 0, POST_MAJOR, 1, 2 },
	{ "v1-header-ad", "payload failure",
	  "the created time changed and signed again: the chunks' associated data no longer match", 2, 0,
	  POST_CREATED, 1, 0 },
	{ "v1-other-recipient", "wrong recipient", "sealed to another district key", 2, 1, POST_NONE, 1, 0 },
	/* format 2 (issue 15): binary record versions, trailer "PYBEND02" */
	{ "v2-ok-small", "success", "two records, one chunk", 2, 0, POST_NONE, 2, 0 },
	{ "v2-ok-chunks", "success", "260 records, two 64 KiB chunks", 260, 0, POST_NONE, 2, 0 },
	{ "v2-ok-empty", "success", "no records: inner header, audit anchor, end", 0, 0, POST_NONE, 2, 0 },
	{ "v2-truncated", "header failure", "v2-ok-small without its last byte", 2, 0, POST_TRUNCATE, 2, 0 },
	{ "v2-trailing", "header failure", "v2-ok-small with one byte appended", 2, 0, POST_GARBAGE, 2, 0 },
	{ "v2-flipped", "signature failure", "one bit flipped in the chunk", 2, 0, POST_FLIP_CHUNK, 2, 0 },
	{ "v2-major1", "header failure", "major version 1, signed again: the trailer is format 2's",
	  2, 0, POST_MAJOR, 2, 1 },
	{ "v2-major3", "header failure", "major version 3, signed again: unknown", 2, 0, POST_MAJOR, 2, 3 },
	{ "v2-header-ad", "payload failure",
	  "the created time changed and signed again: the chunks' associated data no longer match", 2, 0,
	  POST_CREATED, 2, 0 },
	{ "v2-other-recipient", "wrong recipient", "sealed to another district key", 2, 1, POST_NONE, 2, 0 },
};
#define NVECTORS (sizeof vectors / sizeof vectors[0])

static uint8_t *make(const struct keys *k, const struct vector *v, size_t *len, uint8_t phash[32])
{
	struct bundle_header h;
	struct bundle_writer *w;
	struct frame_inner in = { 0 };
	struct mem m = { 0 };
	struct err e = { 0 };
	crypto_generichash_state ph;
	uint8_t hash[32];
	char *json;

	rng_state = 0x706f7379616e6475ull;    /* "posyandu" */
	memset(&h, 0, sizeof h);
	h.kind = BUNDLE_UP;
	memcpy(h.sender, k->dev_id, 16);
	snprintf(h.posyandu, sizeof h.posyandu, "P-0001");
	h.seq = 1;
	h.created = 1767225600;                /* 01-01-2026 */
	h.first_change = 1;
	h.last_change = (uint64_t)v->versions + 1;
	h.major = (uint16_t)v->major;
	w = bundle_writer_new(&h, v->recipient_other ? k->other_x_pk : k->dist_x_pk, mem_out, &m, &e);
	assert_non_null(w);
	crypto_generichash_init(&ph, NULL, 0, 32);

	in.kind = BUNDLE_UP;
	memcpy(in.sender, k->dev_id, 16);
	snprintf(in.posyandu, sizeof in.posyandu, "P-0001");
	in.seq = 1;
	snprintf(in.app, sizeof in.app, "vectors");
#define PUT(type, text) do { const char *t_ = (text); size_t l_ = t_ ? strlen(t_) : 0; \
		uint8_t fh_[5] = { (uint8_t)((l_ + 1) >> 24), (uint8_t)((l_ + 1) >> 16), \
				   (uint8_t)((l_ + 1) >> 8), (uint8_t)(l_ + 1), (type) }; \
		crypto_generichash_update(&ph, fh_, 5); \
		if (l_) crypto_generichash_update(&ph, (const uint8_t *)t_, l_); \
		assert_int_equal(bundle_writer_frame(w, (type), t_, l_, &e), 0); } while (0)
	json = frame_inner_encode(&in);
	PUT(FRAME_HEADER, json);
	frame_free(json);
	for (int i = 0; i < v->versions; i++) {
		struct sync_version sv;
		char payload[256];
		memset(&sv, 0, sizeof sv);
		memset(sv.uuid, 0x20 + (i % 200), 16);
		sv.uuid[15] = (uint8_t)i;
		sv.kind = 1;
		sv.lamport = (uint64_t)i + 1;
		memcpy(sv.device, k->dev_id, 16);
		sv.month = -1;
		memset(sv.vid, 0x30, 16);
		sv.vid[15] = (uint8_t)i;
		sv.vid[14] = (uint8_t)(i >> 8);
		snprintf(payload, sizeof payload,
			 "{\"a\":\"11111111-1111-1111-1111-111111111111\",\"d\":{\"dob\":\"2024-02-01\","
			 "\"kind\":\"child\",\"name\":\"Anak Nomor %d Santoso Wibowo\",\"sex\":\"%c\"},"
			 "\"t\":1767225600}", i, i % 2 ? 'P' : 'L');
		if (v->major == 1) {
			json = frame_version_encode(&sv, payload, strlen(payload));
			PUT(FRAME_VERSION, json);
			frame_free(json);
		} else {
			uint8_t body[512];
			size_t bl = frame_version2_size(&sv, strlen(payload));
			uint8_t fh[5] = { (uint8_t)((bl + 1) >> 24), (uint8_t)((bl + 1) >> 16),
					  (uint8_t)((bl + 1) >> 8), (uint8_t)(bl + 1), FRAME_VERSION };
			assert_true(bl <= sizeof body);
			frame_version2_encode(&sv, payload, strlen(payload), body);
			crypto_generichash_update(&ph, fh, 5);
			crypto_generichash_update(&ph, body, bl);
			assert_int_equal(bundle_writer_frame(w, FRAME_VERSION, body, bl, &e), 0);
		}
	}
	{
		uint8_t head[32];
		memset(head, 0xab, sizeof head);
		json = frame_anchor_encode(42, head);
		PUT(FRAME_ANCHOR, json);
		frame_free(json);
	}
	{
		uint8_t fh[5] = { 0, 0, 0, 1, FRAME_END };
		crypto_generichash_update(&ph, fh, 5);
	}
#undef PUT
	assert_int_equal(bundle_writer_finish(w, sign_seed, (void *)k, hash, NULL, &e), 0);
	bundle_writer_free(w);
	crypto_generichash_final(&ph, phash, 32);
	switch (v->post) {
	case POST_TRUNCATE:
		m.len--;
		break;
	case POST_GARBAGE:
		mem_out(&m, "\n", 1, &e);
		break;
	case POST_FLIP_CHUNK:
		m.b[BUNDLE_HEADER_LEN + 30] ^= 0x04;
		break;
	case POST_MAJOR:
		m.b[9] = (uint8_t)v->set_major;
		resign(k, m.b, m.len);
		break;
	case POST_CREATED:
		m.b[71] ^= 1;
		resign(k, m.b, m.len);
		break;
	}
	*len = m.len;
	return m.b;
}

/* ---- reading, as the pipeline's steps 2, 4, 5, 7, 8 (no store) ---- */

static int collect(void *ctx, uint8_t type, const uint8_t *body, size_t len, struct err *err)
{
	crypto_generichash_state *ph = ctx;
	uint8_t fh[5] = { (uint8_t)((len + 1) >> 24), (uint8_t)((len + 1) >> 16),
			  (uint8_t)((len + 1) >> 8), (uint8_t)(len + 1), type };
	(void)err;
	crypto_generichash_update(ph, fh, 5);
	crypto_generichash_update(ph, body, len);
	return 0;
}

static enum bundle_class read_vector(const struct keys *k, const uint8_t *b, size_t n,
				     uint8_t phash[32])
{
	struct bundle_header h;
	struct bundle_trailer t;
	enum bundle_class cls;
	struct err e = { 0 };
	uint8_t kid[8], key[32];
	crypto_generichash_state ph;
	char path[600];
	char *dir = tu_mkdtemp();
	int fd;

	if (n < BUNDLE_MIN_SIZE || n > BUNDLE_MAX_SIZE) {
		free(dir);
		return n > BUNDLE_MAX_SIZE ? BUNDLE_TOO_LARGE : BUNDLE_HEADER;
	}
	if (bundle_parse(b, b + n - BUNDLE_TRAILER_LEN, n, &h, &t, &cls, &e) < 0) {
		tu_rmtree(dir);
		free(dir);
		return cls;
	}
	snprintf(path, sizeof path, "%s/v.pyb", dir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	if (bundle_verify(fd, n, &t, k->dev_ed_pk, &e) < 0) {
		cls = BUNDLE_SIGNATURE;
		goto out;
	}
	keystr_kid(k->dist_x_pk, kid);
	if (memcmp(kid, h.kid, 8) != 0) {
		cls = BUNDLE_WRONG_RECIPIENT;
		goto out;
	}
	if (crypto_box_seal_open(key, h.sealed_key, 80, k->dist_x_pk, k->dist_x_sk) != 0) {
		cls = BUNDLE_NO_MATCH;
		goto out;
	}
	crypto_generichash_init(&ph, NULL, 0, 32);
	if (bundle_decrypt(fd, &h, &t, key, collect, &ph, &cls, &e) < 0)
		goto out;
	crypto_generichash_update(&ph, (const uint8_t *)"\0\0\0\1\xff", 5);
	crypto_generichash_final(&ph, phash, 32);
	cls = BUNDLE_OK;
out:
	close(fd);
	tu_rmtree(dir);
	free(dir);
	return cls;
}

/* ---- the vector files ---- */

static uint8_t *load_vector(const char *path, char *expect, size_t esz, char *phex, size_t psz,
			    size_t *len)
{
	size_t n, i = 0;
	unsigned char *f = tu_read_file(path, &n);
	uint8_t *out;

	expect[0] = phex[0] = '\0';
	if (!f)
		return NULL;
	/* header lines up to a blank line */
	while (i < n && f[i] != '\n') {
		size_t e = i;
		while (e < n && f[e] != '\n')
			e++;
		if (e - i > 8 && memcmp(f + i, "expect: ", 8) == 0)
			snprintf(expect, esz, "%.*s", (int)(e - i - 8), f + i + 8);
		else if (e - i > 14 && memcmp(f + i, "payload-hash: ", 14) == 0)
			snprintf(phex, psz, "%.*s", (int)(e - i - 14), f + i + 14);
		i = e + 1;
	}
	i++;
	*len = n > i ? n - i : 0;
	out = malloc(*len + 1);
	memcpy(out, f + i, *len);
	free(f);
	return out;
}

static void test_decode(void **state)
{
	struct keys k;
	size_t seen = 0;
	(void)state;
	seed_keys(&k);
	for (size_t i = 0; i < NVECTORS; i++) {
		char path[600], expect[64], phex[80], got_hex[65];
		uint8_t phash[32];
		size_t n;
		uint8_t *b;
		enum bundle_class cls;

		snprintf(path, sizeof path, "%s/%s", VDIR, vectors[i].name);
		if (!(b = load_vector(path, expect, sizeof expect, phex, sizeof phex, &n)))
			fail_msg("%s missing: run build/tests/test_bundle_vectors --generate tests/vectors", path);
		cls = read_vector(&k, b, n, phash);
		if (strcmp(bundle_class_name(cls), expect) != 0)
			fail_msg("%s: expected %s, got %s", vectors[i].name, expect, bundle_class_name(cls));
		if (cls == BUNDLE_OK && strcmp(wire_hex(phash, 32, got_hex), phex) != 0)
			fail_msg("%s: payload hash %s, the vector says %s", vectors[i].name, got_hex, phex);
		free(b);
		seen++;
	}
	assert_int_equal(seen, NVECTORS);
}

static void test_round_trip(void **state)
{
	struct keys k;
	(void)state;
	seed_keys(&k);
	for (size_t i = 0; i < NVECTORS; i++) {
		char path[600], expect[64], phex[80], hex[65];
		uint8_t phash[32];
		size_t n, fn;
		uint8_t *b = make(&k, &vectors[i], &n, phash), *f;

		snprintf(path, sizeof path, "%s/%s", VDIR, vectors[i].name);
		f = load_vector(path, expect, sizeof expect, phex, sizeof phex, &fn);
		assert_non_null(f);
		if (fn != n || memcmp(f, b, n) != 0)
			fail_msg("%s: the writer no longer makes these bytes (%zu vs %zu)", vectors[i].name,
				 n, fn);
		if (strcmp(expect, "success") == 0 && strcmp(wire_hex(phash, 32, hex), phex) != 0)
			fail_msg("%s: plaintext hash differs", vectors[i].name);
		free(b);
		free(f);
	}
}

/* Format 2's binary record version: a round trip, and each field out of
 * range refused as the JSON form refuses it (a data failure on import). */
static void test_version2_fields(void **state)
{
	static const char payload[] = "{\"a\":\"x\",\"t\":1}";
	struct sync_version v, got;
	struct err e = { 0 };
	uint8_t b[FRAME_VERSION2_FIXED + 2 * 24 + sizeof payload], c[sizeof b];
	const char *pl;
	size_t n, pn;
	(void)state;

	memset(&v, 0, sizeof v);
	memset(v.uuid, 1, 16);
	v.kind = 2;
	memset(v.owner, 3, 16);
	v.lamport = 41;
	memset(v.device, 4, 16);
	v.parent.lamport = 40;
	memset(v.parent.device, 4, 16);
	v.month = 24290;
	v.deleted = true;
	memset(v.vid, 5, 16);
	v.n_merges = 2;
	v.merges[0].lamport = 37;
	v.merges[1].lamport = 38;
	n = frame_version2_size(&v, strlen(payload));
	assert_int_equal(n, sizeof b - 1);
	frame_version2_encode(&v, payload, strlen(payload), b);
	assert_int_equal(frame_version2_decode(b, n, &got, &pl, &pn, &e), 0);
	assert_memory_equal(&got, &v, sizeof v);
	assert_int_equal(pn, strlen(payload));
	assert_memory_equal(pl, payload, pn);
	v.month = -1;
	frame_version2_encode(&v, payload, strlen(payload), b);
	assert_int_equal(frame_version2_decode(b, n, &got, &pl, &pn, &e), 0);
	assert_int_equal(got.month, -1);
#define BAD(mutate) do { memcpy(c, b, n); mutate; \
		assert_int_equal(frame_version2_decode(c, n, &got, &pl, &pn, &e), -1); \
		assert_string_equal(e.field, "bundle-data"); } while (0)
	BAD(c[16] = 0);                          /* kind 0 */
	BAD(memset(c + 33, 0, 8));               /* lamport 0 */
	BAD(c[33] = 0x01);                       /* lamport over 2^53 */
	BAD(c[57] = 0x01);                       /* parent lamport over 2^53 */
	BAD(c[81] = 0xff; c[84] = 0xfe);         /* month -2 */
	BAD(c[85] = 2);                          /* an unknown flag */
	BAD(c[102] = 17);                        /* too many merges */
	BAD(c[103] = 0x01);                      /* a merge's lamport over 2^53 */
	BAD(c[n - 3] = 0);                       /* a NUL in the payload */
	BAD(c[102] = 3);                         /* the merges eat the payload */
	assert_int_equal(frame_version2_decode(b, FRAME_VERSION2_FIXED + 48, &got, &pl, &pn, &e), -1);
	assert_int_equal(frame_version2_decode(b, 10, &got, &pl, &pn, &e), -1);
#undef BAD
}

static int generate(const char *dir)
{
	struct keys k;
	seed_keys(&k);
	for (size_t i = 0; i < NVECTORS; i++) {
		char path[600], hex[65];
		uint8_t phash[32];
		size_t n;
		uint8_t *b = make(&k, &vectors[i], &n, phash);
		FILE *f;
		snprintf(path, sizeof path, "%s/%s", dir, vectors[i].name);
		if (!(f = fopen(path, "wb")))
			return 1;
		fprintf(f, "expect: %s\ncomment: %s\n", vectors[i].expect, vectors[i].comment);
		if (strcmp(vectors[i].expect, "success") == 0)
			fprintf(f, "payload-hash: %s\n", wire_hex(phash, 32, hex));
		fprintf(f, "\n");
		fwrite(b, 1, n, f);
		fclose(f);
		free(b);
		printf("%s\n", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_version2_fields),
	};
	randombytes_set_implementation(&rng);
	if (sodium_init() < 0)
		return 1;
	codec_init();
	if (argc == 3 && strcmp(argv[1], "--generate") == 0)
		return generate(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
