/* tests/unit/test_bundle_corpus.c: a generator of malformed bundles
 * (SECURITY.md §5.2), each with the outcome class the specification
 * expects, run through the district's real import pipeline; for every one
 * the run checks that 0 rows changed (a hash of `heads` and the count of
 * `versions`, before and after).
 *
 * The bundles are built here byte by byte from the layout of SECURITY.md
 * §2.6 (an implementation independent of sync/bundle.c's writer), sealed to
 * the district and signed by a real enrolled device's key through
 * store_device_sign(). A control bundle built the same way must import, so
 * the builder itself is checked.
 *
 * Cases, after age's testkit: truncation (every chunk boundary, mid-chunk,
 * in the header, in the trailer), stream edge cases (no FINAL, two FINALs,
 * an empty FINAL, trailing garbage short and long, zero chunks, a bad tag
 * in the second chunk), framing (first frame, lengths, after END, counts),
 * single-bit flips in every header and trailer byte and across the chunks,
 * wrong recipient, unknown / pending / revoked device, re-signed by another
 * device, re-attributed sender, valid crypto with invalid data (one case per
 * validator rule), inner and outer headers that disagree, oversize, empty
 * and header-only files, an unknown major version; and replays (the same
 * file, an older sequence, a re-export), which must change nothing.
 *
 * Prints:  bundles <n> malformed → <n> rejected with the expected class,
 *          rows changed 0; <n> replays → 0 changes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/codec.h"
#include "sync/bundle.h"
#include "sync/frame.h"
#include "sync/keystr.h"
#include "tests/unit/test_sync_fixture.h"

/* ---- the world: a district and its devices ---- */

struct world {
	struct sf_store district, a, b, pending, revoked, stranger;
	uint8_t dist_ed[32], dist_x[32], other_x[32], did[16];
	char *dir;                 /* where the crafted files go */
	int nfile;
	/* figures */
	int malformed, as_expected, rows_changed, replays, replay_changes;
	char first_miss[512];
	int misses;
};

static struct world W;

static int setup(void **state)
{
	struct err e = { 0 };
	uint8_t osk[32];
	(void)state;

	sf_open(&W.district, NULL);
	sf_open(&W.a, "P-0001");
	sf_open(&W.b, "P-0001");
	sf_open(&W.pending, "P-0001");
	sf_open(&W.revoked, "P-0001");
	sf_open(&W.stranger, "P-0001");
	sf_enrol(&W.district, &W.a, true);
	sf_enrol(&W.district, &W.b, true);
	sf_enrol(&W.district, &W.pending, false);
	sf_enrol(&W.district, &W.revoked, true);
	if (sync_device_set_status(W.district.s, store_device_id(W.revoked.s), SYNC_DEV_REVOKED, &e) < 0)
		sf_die("revoke", &e);
	if (store_device_pubkeys(W.district.s, W.dist_ed, W.dist_x, &e) < 0)
		sf_die("pubkeys", &e);
	keystr_district_id(W.dist_ed, W.did);
	crypto_box_keypair(W.other_x, osk);
	W.dir = tu_mkdtemp();
	return W.dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sf_close(&W.district);
	sf_close(&W.a);
	sf_close(&W.b);
	sf_close(&W.pending);
	sf_close(&W.revoked);
	sf_close(&W.stranger);
	tu_rmtree(W.dir);
	free(W.dir);
	return 0;
}

/* ---- plaintext: frames ---- */

struct pbuf {
	uint8_t *b;
	size_t len, cap;
	uint32_t frames;
};

static void pb_put(struct pbuf *p, const void *b, size_t n)
{
	if (p->len + n > p->cap) {
		p->cap = (p->len + n) * 2 + 1024;
		p->b = realloc(p->b, p->cap);
		assert_non_null(p->b);
	}
	if (n)
		memcpy(p->b + p->len, b, n);
	p->len += n;
}

/* A frame whose length field says DECLARED (normally 1 + LEN). */
static void frame_raw(struct pbuf *p, uint32_t declared, uint8_t type, const void *body, size_t len)
{
	uint8_t h[5] = { (uint8_t)(declared >> 24), (uint8_t)(declared >> 16), (uint8_t)(declared >> 8),
			 (uint8_t)declared, type };
	pb_put(p, h, 5);
	pb_put(p, body, len);
	p->frames++;
}

static void frame(struct pbuf *p, uint8_t type, const char *body)
{
	size_t n = body ? strlen(body) : 0;
	frame_raw(p, (uint32_t)(n + 1), type, body, n);
}

static void pb_free(struct pbuf *p)
{
	free(p->b);
	memset(p, 0, sizeof *p);
}

/* ---- versions ---- */

static void person_payload(char **out, const char *name, char sex, const char *nik)
{
	struct person p;
	uint8_t author[16];
	memset(&p, 0, sizeof p);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "%s", name);
	p.sex = sex;
	p.dob = sf_day("01-02-2024");
	p.registered = DATE_NONE;
	snprintf(p.nik, sizeof p.nik, "%s", nik ? nik : "");
	randombytes_buf(author, sizeof author);
	*out = codec_person_encode(&p, author, 1700000000);
	assert_non_null(*out);
}

static void a_version(struct sync_version *v, uint64_t lamport)
{
	memset(v, 0, sizeof *v);
	randombytes_buf(v->uuid, 16);
	v->kind = REC_PERSON;
	v->lamport = lamport;
	memcpy(v->device, store_device_id(W.a.s), 16);
	v->month = -1;
	randombytes_buf(v->vid, 16);
}

/* The version frame JSON for V and PAYLOAD, as an allocated string. */
static char *vframe(const struct sync_version *v, const char *payload)
{
	char *j = frame_version_encode(v, payload, strlen(payload));
	assert_non_null(j);
	return j;
}

/* Edit one key of a JSON object text: KEY set to the JSON value VALUE
 * (NULL: delete it). Returns a new allocated string. */
static char *json_edit(const char *text, const char *key, const char *value)
{
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	char *out;
	assert_non_null(o);
	if (value) {
		json_t *v = json_loads(value, JSON_DECODE_ANY, &je);
		assert_non_null(v);
		json_object_set_new(o, key, v);
	} else {
		json_object_del(o, key);
	}
	out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	return out;
}

struct inner {
	int kind;
	const uint8_t *sender;
	const char *code;
	uint64_t seq;
};

static char *inner_json(const struct inner *in)
{
	struct frame_inner f = { 0 };
	f.kind = in->kind;
	memcpy(f.sender, in->sender, 16);
	snprintf(f.posyandu, sizeof f.posyandu, "%s", in->code);
	f.seq = in->seq;
	snprintf(f.app, sizeof f.app, "test");
	return frame_inner_encode(&f);
}

/* A plaintext: inner header, the version frames VF (n of them), an anchor, END. */
static void std_plain(struct pbuf *p, const struct inner *in, char **vf, int n)
{
	char *ih = inner_json(in);
	frame(p, FRAME_HEADER, ih);
	frame_free(ih);
	for (int i = 0; i < n; i++)
		frame(p, FRAME_VERSION, vf[i]);
	frame(p, FRAME_ANCHOR, "{\"head\":\"00000000000000000000000000000000000000000000000000000000000000aa\",\"seq\":7}");
	frame(p, FRAME_END, NULL);
}

/* ---- the bundle: header, chunks, trailer, signature (SECURITY.md §2.6) ---- */

enum tags { TAGS_NORMAL, TAGS_NO_FINAL, TAGS_TWO_FINALS, TAGS_EMPTY_FINAL, TAGS_BAD_TAG2 };

struct plan {
	int kind;
	const uint8_t *sender;
	const char *code;
	uint64_t seq, first, last;
	const uint8_t *recipient_x;
	const uint8_t *kid_x;      /* key id from this key (default: recipient) */
	uint16_t major, minor;
	uint8_t res1;              /* a reserved byte */
	const struct pbuf *plain;
	size_t chunk;              /* plaintext per chunk; 0 = 65536 */
	enum tags tags;
	int64_t frames_delta;      /* added to the trailer's frame count */
	bool zero_chunks;
	bool other_stream_key;     /* seal one key, encrypt with another */
	bool garbage_sealed;
	struct store *signer;
};

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint8_t *craft(const struct plan *pl, size_t *len)
{
	static const char domain[] = "posyandu/v1/bundle";
	size_t chunk = pl->chunk ? pl->chunk : 65536, cap, off = 0, plen = pl->plain->len, pos = 0;
	uint8_t key[32], key2[32], ad[32], digest[64], kidb[8];
	crypto_secretstream_xchacha20poly1305_state ss;
	uint8_t *out;
	uint32_t chunks = 0;
	struct err e = { 0 };

	cap = 200 + plen + (plen / 1024 + 8) * 17 + 2 * 65553 + 88;
	out = calloc(1, cap);
	assert_non_null(out);
	memcpy(out, "\x89PYB\r\n\x1a\n", 8);
	out[8] = (uint8_t)(pl->major >> 8);
	out[9] = (uint8_t)pl->major;
	out[10] = (uint8_t)(pl->minor >> 8);
	out[11] = (uint8_t)pl->minor;
	out[12] = (uint8_t)pl->kind;
	out[13] = pl->res1;
	memcpy(out + 16, pl->sender, 16);
	keystr_kid(pl->kid_x ? pl->kid_x : pl->recipient_x, kidb);
	memcpy(out + 32, kidb, 8);
	memcpy(out + 40, pl->code, strlen(pl->code));
	put64(out + 56, pl->seq);
	put64(out + 64, 1700000000);
	put64(out + 72, pl->first);
	put64(out + 80, pl->last);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_secretstream_xchacha20poly1305_keygen(key2);
	if (pl->garbage_sealed)
		randombytes_buf(out + 96, 80);
	else
		crypto_box_seal(out + 96, key, 32, pl->recipient_x);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, out + 176,
							pl->other_stream_key ? key2 : key);
	crypto_generichash(ad, sizeof ad, out, 200, NULL, 0);
	off = 200;
	if (!pl->zero_chunks) {
		do {
			size_t n = plen - pos > chunk ? chunk : plen - pos;
			bool last = pos + n >= plen;
			uint8_t tag = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
					   : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
			if (last && (pl->tags == TAGS_NO_FINAL || pl->tags == TAGS_TWO_FINALS))
				tag = pl->tags == TAGS_NO_FINAL ? crypto_secretstream_xchacha20poly1305_TAG_MESSAGE : tag;
			if (!last && pl->tags == TAGS_TWO_FINALS && chunks == 0)
				tag = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
			if (last && pl->tags == TAGS_EMPTY_FINAL)
				tag = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
			crypto_secretstream_xchacha20poly1305_push(&ss, out + off, NULL, pl->plain->b + pos, n,
								   ad, sizeof ad, tag);
			if (pl->tags == TAGS_BAD_TAG2 && chunks == 1)
				out[off + 17 + n - 1] ^= 0x01;    /* in the MAC of chunk 2 */
			off += n + 17;
			pos += n;
			chunks++;
		} while (pos < plen);
		if (pl->tags == TAGS_EMPTY_FINAL) {
			crypto_secretstream_xchacha20poly1305_push(&ss, out + off, NULL, NULL, 0, ad, sizeof ad,
								   crypto_secretstream_xchacha20poly1305_TAG_FINAL);
			off += 17;
			chunks++;
		}
	}
	memcpy(out + off, "PYBEND01", 8);
	{
		uint32_t fr = (uint32_t)((int64_t)pl->plain->frames + pl->frames_delta);
		uint32_t ch = pl->tags == TAGS_EMPTY_FINAL ? chunks - 1 : chunks;
		out[off + 8] = (uint8_t)(fr >> 24);
		out[off + 9] = (uint8_t)(fr >> 16);
		out[off + 10] = (uint8_t)(fr >> 8);
		out[off + 11] = (uint8_t)fr;
		out[off + 12] = (uint8_t)(ch >> 24);
		out[off + 13] = (uint8_t)(ch >> 16);
		out[off + 14] = (uint8_t)(ch >> 8);
		out[off + 15] = (uint8_t)ch;
		put64(out + off + 16, pl->zero_chunks ? 0 : plen);
	}
	off += 24;
	{
		crypto_generichash_state st;
		crypto_generichash_init(&st, NULL, 0, 64);
		crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain);
		crypto_generichash_update(&st, out, off);
		crypto_generichash_final(&st, digest, 64);
	}
	if (store_device_sign(pl->signer, digest, out + off, &e) < 0)
		sf_die("sign", &e);
	off += 64;
	*len = off;
	return out;
}

/* The usual plan: an upstream bundle of A to the district. */
static struct plan plan_a(const struct pbuf *p, uint64_t seq)
{
	struct plan pl;
	memset(&pl, 0, sizeof pl);
	pl.kind = 1;
	pl.sender = store_device_id(W.a.s);
	pl.code = "P-0001";
	pl.seq = seq;
	pl.first = 1;
	pl.last = 3;
	pl.recipient_x = W.dist_x;
	pl.major = 1;
	pl.plain = p;
	pl.signer = W.a.s;
	return pl;
}

static struct inner inner_a(uint64_t seq)
{
	struct inner in = { 1, store_device_id(W.a.s), "P-0001", seq };
	return in;
}

/* ---- running a case ---- */

static void write_case(const uint8_t *b, size_t n, char *path, size_t size)
{
	FILE *f;
	snprintf(path, size, "%s/case%04d.pyb", W.dir, W.nfile++);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Import PATH with the district's pipeline; returns its class. */
static enum bundle_class run_path(const char *path, uint64_t max, bool *changed, int *rc_out,
				  struct err *e)
{
	struct import_opts o = { .district = true, .max_size = max };
	struct import_result r;
	uint8_t d0[32], d1[32];
	size_t v0, v1;
	int rc;

	sf_digest(W.district.s, d0, &v0);
	rc = import_bundle(W.district.s, path, &o, &r, e);
	sf_digest(W.district.s, d1, &v1);
	*changed = v0 != v1 || memcmp(d0, d1, 32) != 0;
	*rc_out = rc;
	return r.cls;
}

/* A malformed case: it must be refused with EXPECT and change nothing. */
static void expect_path(const char *what, const char *path, uint64_t max, enum bundle_class expect)
{
	struct err e = { 0 };
	bool changed;
	int rc;
	enum bundle_class got = run_path(path, max, &changed, &rc, &e);

	W.malformed++;
	if (changed)
		W.rows_changed++;
	if (rc == -1 && got == expect && !changed) {
		W.as_expected++;
		return;
	}
	if (!W.misses++)
		snprintf(W.first_miss, sizeof W.first_miss, "%s: expected \"%s\", got \"%s\" (rc %d, %s: %s)%s",
			 what, bundle_class_name(expect), bundle_class_name(got), rc,
			 e.field ? e.field : "-", e.detail, changed ? ", rows changed" : "");
	print_message("MISS %s: expected %s, got %s (%s)\n", what, bundle_class_name(expect),
		      bundle_class_name(got), e.detail);
}

static void expect_bytes(const char *what, const uint8_t *b, size_t n, enum bundle_class expect)
{
	char path[600];
	write_case(b, n, path, sizeof path);
	expect_path(what, path, 0, expect);
}

static void expect_plan(const char *what, const struct plan *pl, enum bundle_class expect)
{
	size_t n;
	uint8_t *b = craft(pl, &n);
	expect_bytes(what, b, n, expect);
	free(b);
}

/* A replay: accepted (success or duplicate), and 0 rows changed. */
static void expect_replay(const char *what, const char *path)
{
	struct err e = { 0 };
	bool changed;
	int rc;
	enum bundle_class got = run_path(path, 0, &changed, &rc, &e);
	W.replays++;
	if (changed)
		W.replay_changes++;
	if (rc != 0 || changed || (got != BUNDLE_DUPLICATE && got != BUNDLE_OK))
		fail_msg("replay %s: %s, rows %s (%s)", what, bundle_class_name(got),
			 changed ? "changed" : "same", e.detail);
}

/* A base bundle of A with N new people; returns its bytes. */
static uint8_t *base_bundle(uint64_t seq, int n, size_t chunk, size_t *len, struct pbuf *keep)
{
	struct pbuf p = { 0 };
	struct inner in = inner_a(seq);
	struct plan pl;
	char **vf = calloc((size_t)n, sizeof *vf);
	uint8_t *b;

	for (int i = 0; i < n; i++) {
		struct sync_version v;
		char *payload;
		a_version(&v, (uint64_t)i + 1);
		person_payload(&payload, "Budi Santoso", 'L', NULL);
		vf[i] = vframe(&v, payload);
		codec_free(payload);
	}
	std_plain(&p, &in, vf, n);
	for (int i = 0; i < n; i++)
		frame_free(vf[i]);
	free(vf);
	pl = plan_a(&p, seq);
	pl.chunk = chunk;
	b = craft(&pl, len);
	if (keep)
		*keep = p;
	else
		pb_free(&p);
	return b;
}

/* ---- the spec's expectation for one flipped bit ---- */

static bool code_valid(const uint8_t *c)
{
	size_t n = 0;
	while (n < 16 && c[n])
		n++;
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '-'))
			return false;
	for (size_t i = n; i < 16; i++)
		if (c[i])
			return false;
	return true;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Step 2 (format) decides first, then step 3 (sender), then step 4
 * (signature): SECURITY.md §2.6, "Import pipeline". */
static enum bundle_class flip_expect(const uint8_t *b, size_t n, size_t off)
{
	size_t t = n - 88;
	if (off < 8)
		return BUNDLE_HEADER;                       /* magic */
	if (off < 10)
		return BUNDLE_HEADER;                       /* major */
	if (off < 12)
		return BUNDLE_SIGNATURE;                    /* minor: reserved bytes then mean something */
	if (off == 12)
		return (b[12] >= 1 && b[12] <= 3) ? BUNDLE_SIGNATURE : BUNDLE_HEADER;
	if (off < 16)
		return BUNDLE_HEADER;                       /* reserved */
	if (off < 32)
		return BUNDLE_UNKNOWN_DEVICE;               /* sender */
	if (off < 40)
		return BUNDLE_SIGNATURE;                    /* recipient key id: signed */
	if (off < 56)
		return code_valid(b + 40) ? BUNDLE_SIGNATURE : BUNDLE_HEADER;
	if (off < 64)
		return get64(b + 56) ? BUNDLE_SIGNATURE : BUNDLE_HEADER;
	if (off < 72)
		return BUNDLE_SIGNATURE;                    /* created */
	if (off < 88)
		return get64(b + 72) <= get64(b + 80) && get64(b + 80) <= (1ull << 53)
		       ? BUNDLE_SIGNATURE : BUNDLE_HEADER;
	if (off < 96)
		return BUNDLE_HEADER;                       /* reserved */
	if (off < t)
		return BUNDLE_SIGNATURE;                    /* sealed key, stream header, chunks */
	if (off < t + 8)
		return BUNDLE_HEADER;                       /* trailer magic */
	if (off < t + 12) {                                 /* frame count */
		uint32_t fr = (uint32_t)get64(b + t + 4) & 0xffffffffu;
		uint64_t plen = get64(b + t + 16);
		return fr >= 2 && fr <= plen / 5 ? BUNDLE_SIGNATURE : BUNDLE_HEADER;
	}
	if (off < t + 24)
		return BUNDLE_HEADER;                       /* chunk count, plaintext length */
	return BUNDLE_SIGNATURE;                            /* the signature */
}

/* ---- the cases ---- */

static void control_and_replays(void)
{
	char path[600], path2[600], path3[600];
	size_t n, n2, n3;
	uint8_t *b = base_bundle(1, 3, 0, &n, NULL), *b2, *b3;
	struct err e = { 0 };
	bool changed;
	int rc;

	/* the control: the builder makes bundles the district accepts */
	write_case(b, n, path, sizeof path);
	assert_int_equal(run_path(path, 0, &changed, &rc, &e), BUNDLE_OK);
	if (rc != 0)
		fail_msg("control bundle refused: %s", e.detail);
	assert_true(changed);
	/* the same file again */
	expect_replay("same file", path);
	/* a later bundle, then the older one again (different file, dup versions) */
	b2 = base_bundle(2, 2, 0, &n2, NULL);
	write_case(b2, n2, path2, sizeof path2);
	assert_int_equal(run_path(path2, 0, &changed, &rc, &e), BUNDLE_OK);
	expect_replay("older sequence", path);
	/* a re-export: the same versions in a new file: duplicates only */
	{
		struct export_result er;
		struct import_opts o = { .district = true };
		struct import_result ir;
		sf_add_child(W.a.s, "Dewi Lestari", NULL);
		if (export_upstream(W.a.s, true, &er, &e) < 0 || import_bundle(W.district.s, er.e.path, &o, &ir, &e) < 0)
			fail_msg("first export: %s", e.detail);
		if (export_upstream(W.a.s, true, &er, &e) < 0)
			fail_msg("re-export: %s", e.detail);
		expect_replay("re-export", er.e.path);
	}
	b3 = base_bundle(3, 1, 0, &n3, NULL);
	write_case(b3, n3, path3, sizeof path3);
	assert_int_equal(run_path(path3, 0, &changed, &rc, &e), BUNDLE_OK);
	assert_true(changed);
	expect_replay("the same file, after others", path3);
	free(b);
	free(b2);
	free(b3);
}

static void truncations_and_stream(void)
{
	struct pbuf p = { 0 };
	size_t n;
	/* enough records for several 64 KiB chunks */
	uint8_t *b = base_bundle(10, 450, 0, &n, &p);
	size_t nchunks = (p.len + 65535) / 65536;
	char what[64];
	struct plan pl;

	assert_true(nchunks >= 3);
	for (size_t k = 1; k <= nchunks; k++) {
		size_t at = 200 + k * 65553;
		if (at < n) {
			snprintf(what, sizeof what, "truncated at chunk boundary %zu", k);
			expect_bytes(what, b, at, BUNDLE_HEADER);
		}
		snprintf(what, sizeof what, "truncated inside chunk %zu", k);
		expect_bytes(what, b, 200 + (k - 1) * 65553 + 500, BUNDLE_HEADER);
	}
	expect_bytes("truncated inside the header", b, 100, BUNDLE_HEADER);
	expect_bytes("truncated to the header", b, 200, BUNDLE_HEADER);
	expect_bytes("truncated inside the trailer", b, n - 40, BUNDLE_HEADER);
	expect_bytes("one byte short", b, n - 1, BUNDLE_HEADER);
	expect_bytes("empty file", b, 0, BUNDLE_HEADER);
	expect_bytes("one byte", b, 1, BUNDLE_HEADER);
	expect_bytes("smallest size minus one", b, 305, BUNDLE_HEADER);
	{
		uint8_t *g = malloc(n + 100000);
		memcpy(g, b, n);
		memset(g + n, 0x41, 100000);
		expect_bytes("trailing garbage, one byte", g, n + 1, BUNDLE_HEADER);
		expect_bytes("trailing garbage, 100 kB", g, n + 100000, BUNDLE_HEADER);
		free(g);
	}
	pl = plan_a(&p, 10);
	pl.tags = TAGS_NO_FINAL;
	expect_plan("no FINAL chunk", &pl, BUNDLE_PAYLOAD);
	pl.tags = TAGS_TWO_FINALS;
	expect_plan("two FINAL chunks", &pl, BUNDLE_PAYLOAD);
	pl.tags = TAGS_EMPTY_FINAL;
	expect_plan("an empty FINAL chunk", &pl, BUNDLE_HEADER);
	pl.tags = TAGS_BAD_TAG2;
	expect_plan("a bad tag in the second chunk", &pl, BUNDLE_PAYLOAD);
	pl.tags = TAGS_NORMAL;
	pl.zero_chunks = true;
	expect_plan("zero chunks", &pl, BUNDLE_HEADER);
	pl.zero_chunks = false;
	pl.frames_delta = 1;
	expect_plan("trailer frame count one too many", &pl, BUNDLE_PAYLOAD);
	pl.frames_delta = 0;
	pl.other_stream_key = true;
	expect_plan("the stream under another key than the sealed one", &pl, BUNDLE_PAYLOAD);
	pl.other_stream_key = false;
	pl.garbage_sealed = true;
	expect_plan("a sealed key that does not open", &pl, BUNDLE_NO_MATCH);
	pl.garbage_sealed = false;
	/* oversize: the cap of the pipeline, here set below the file's size */
	{
		char path[600];
		write_case(b, n, path, sizeof path);
		expect_path("larger than the cap", path, n - 1, BUNDLE_TOO_LARGE);
	}
	/* not regular files */
	{
		char link[700], dir[700];
		snprintf(link, sizeof link, "%s/link.pyb", W.dir);
		snprintf(dir, sizeof dir, "%s/adir.pyb", W.dir);
		assert_int_equal(symlink("/etc/passwd", link), 0);
		assert_int_equal(mkdir(dir, 0700), 0);
		expect_path("a symbolic link", link, 0, BUNDLE_HEADER);
		expect_path("a directory", dir, 0, BUNDLE_HEADER);
	}
	free(b);
	pb_free(&p);
}

static void framing(void)
{
	struct inner in = inner_a(20);
	struct sync_version v;
	char *payload, *vf, *ih = inner_json(&in);
	struct plan pl;

	a_version(&v, 1);
	person_payload(&payload, "Budi Santoso", 'L', NULL);
	vf = vframe(&v, payload);
#define CASE(what, expect, ...) do { struct pbuf p = { 0 }; __VA_ARGS__; pl = plan_a(&p, 20); \
		expect_plan(what, &pl, expect); pb_free(&p); } while (0)
	CASE("the first frame is not the inner header", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_VERSION, vf); frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_END, NULL));
	CASE("no inner header at all", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_VERSION, vf); frame(&p, FRAME_VERSION, vf); frame(&p, FRAME_END, NULL));
	CASE("a frame of length 0", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_HEADER, ih); frame_raw(&p, 0, FRAME_VERSION, "", 0); frame(&p, FRAME_END, NULL));
	CASE("a frame longer than 1 MiB", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_HEADER, ih); frame_raw(&p, (1u << 20) + 1, FRAME_VERSION, vf, strlen(vf));
	     frame(&p, FRAME_END, NULL));
	CASE("a frame longer than the stream", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_HEADER, ih); frame_raw(&p, 100000, FRAME_VERSION, vf, strlen(vf)));
	CASE("bytes after the end frame", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_END, NULL); frame(&p, FRAME_ANCHOR, "{}"));
	CASE("no end frame", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_VERSION, vf); frame(&p, FRAME_VERSION, vf));
	CASE("an end frame with a body", BUNDLE_PAYLOAD,
	     frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_END, "x"));
	CASE("an unknown frame type", BUNDLE_DATA,
	     frame(&p, FRAME_HEADER, ih); frame(&p, 7, "{}"); frame(&p, FRAME_END, NULL));
	CASE("a key update (not in this version)", BUNDLE_DATA,
	     frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_KEYUPDATE, "{}"); frame(&p, FRAME_END, NULL));
	CASE("a second inner header", BUNDLE_DATA,
	     frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_END, NULL));
	CASE("an audit anchor that is not JSON", BUNDLE_DATA,
	     frame(&p, FRAME_HEADER, ih); frame(&p, FRAME_ANCHOR, "seq=1"); frame(&p, FRAME_END, NULL));
#undef CASE
	frame_free(ih);
	frame_free(vf);
	codec_free(payload);
}

/* One version frame VF (text) in an otherwise valid bundle. */
static void data_case(const char *what, const char *vf, uint64_t seq)
{
	struct pbuf p = { 0 };
	struct inner in = inner_a(seq);
	char *vfs[1] = { (char *)vf };
	struct plan pl;
	std_plain(&p, &in, vfs, 1);
	pl = plan_a(&p, seq);
	expect_plan(what, &pl, BUNDLE_DATA);
	pb_free(&p);
}

static void invalid_data(void)
{
	struct sync_version v;
	char *pl_ok, *pl, *vf, *ed;

	person_payload(&pl_ok, "Budi Santoso", 'L', NULL);
	/* the person validators of core/ */
	a_version(&v, 5);
	person_payload(&pl, "Budi 2", 'L', NULL);
	vf = vframe(&v, pl);
	data_case("a name with a digit", vf, 30);
	frame_free(vf);
	codec_free(pl);
	person_payload(&pl, "B", 'L', NULL);
	vf = vframe(&v, pl);
	data_case("a one-letter name", vf, 30);
	frame_free(vf);
	codec_free(pl);
	person_payload(&pl, "Budi Santoso", 'L', "12345");
	vf = vframe(&v, pl);
	data_case("a NIK of 5 digits", vf, 30);
	frame_free(vf);
	codec_free(pl);
	person_payload(&pl, "Budi Santoso", 'L', "3201235405950001");
	vf = vframe(&v, pl);
	data_case("a NIK whose birth date says a woman", vf, 30);
	frame_free(vf);
	codec_free(pl);
	person_payload(&pl, "Budi Santoso", 'X', NULL);
	vf = vframe(&v, pl);
	data_case("sex X", vf, 30);
	frame_free(vf);
	codec_free(pl);
	/* visits */
	{
		struct visit vi;
		uint8_t author[16] = { 1 };
		memset(&vi, 0, sizeof vi);
		randombytes_buf(vi.person, 16);
		vi.date = sf_day("01-03-2024");
		vi.asi_recall = -1;
		a_version(&v, 5);
		v.kind = REC_VISIT;
		memcpy(v.owner, vi.person, 16);
		v.month = date_month_index(vi.date);
		vi.weight_g = 400000;
		pl = codec_visit_encode(&vi, author, 1);
		vf = vframe(&v, pl);
		data_case("a weight of 400 kg", vf, 30);
		frame_free(vf);
		codec_free(pl);
		vi.weight_g = 9000;
		vi.date = DATE_NONE;
		pl = codec_visit_encode(&vi, author, 1);
		vf = vframe(&v, pl);
		data_case("a visit without a date", vf, 30);
		frame_free(vf);
		codec_free(pl);
		vi.date = sf_day("01-03-2024");
		pl = codec_visit_encode(&vi, author, 1);
		v.month += 1;
		vf = vframe(&v, pl);
		data_case("a clear month that is not the visit's", vf, 30);
		frame_free(vf);
		v.month -= 1;
		randombytes_buf(v.owner, 16);
		vf = vframe(&v, pl);
		data_case("a clear owner that is not the visit's person", vf, 30);
		frame_free(vf);
		codec_free(pl);
	}
	/* payloads that are not record payloads */
	a_version(&v, 5);
	vf = vframe(&v, "not json");
	data_case("a payload that is not JSON", vf, 30);
	frame_free(vf);
	vf = vframe(&v, "[1,2]");
	data_case("a payload that is a list", vf, 30);
	frame_free(vf);
	vf = vframe(&v, "{\"t\":1,\"d\":{}}");
	data_case("a payload without an author", vf, 30);
	frame_free(vf);
	{
		char deep[200] = "{\"a\":\"00000000-0000-0000-0000-000000000001\",\"t\":1,\"d\":";
		size_t l = strlen(deep);
		for (int i = 0; i < 20; i++)
			deep[l++] = '[';
		for (int i = 0; i < 20; i++)
			deep[l++] = ']';
		deep[l++] = '}';
		deep[l] = '\0';
		vf = vframe(&v, deep);
		data_case("a payload nested 21 deep", vf, 30);
		frame_free(vf);
	}
	/* the version frame's own fields */
	vf = vframe(&v, pl_ok);
#define EDIT(what, key, value) ed = json_edit(vf, key, value); data_case(what, ed, 30); codec_free(ed)
	EDIT("an unknown key in a version", "colour", "\"red\"");
	EDIT("a version without its vid", "vid", NULL);
	EDIT("a kind that does not exist", "kind", "9");
	EDIT("Lamport stamp 0", "lamport", "0");
	EDIT("Lamport stamp beyond 2^53", "lamport", "9007199254740993");
	EDIT("a Lamport jump past the ceiling", "lamport", "5000000");
	EDIT("a parent newer than the version", "parent",
	     "{\"device\":\"00000000-0000-0000-0000-000000000009\",\"lamport\":9}");
	EDIT("a uuid that is not a uuid", "uuid", "\"budi\"");
	EDIT("deleted is not true or false", "deleted", "1");
	EDIT("a month below -1", "month", "-5");
	EDIT("a version made by another device (origin scope)", "device",
	     "\"00000000-0000-0000-0000-0000000000bb\"");
	EDIT("seventeen merges", "merges",
	     "[{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1},"
	     "{\"device\":\"00000000-0000-0000-0000-000000000001\",\"lamport\":1}]");
#undef EDIT
	{
		/* a duplicated key, which a lenient parser would take */
		size_t l = strlen(vf) + 16;
		char *dup = malloc(l);
		snprintf(dup, l, "{\"kind\":2,%s", vf + 1);
		data_case("a duplicated key", dup, 30);
		free(dup);
	}
	data_case("a version that is not JSON", "{\"uuid\":", 30);
	/* inner and outer headers that disagree */
	{
		struct pbuf p = { 0 };
		struct inner in = inner_a(31);
		char *vfs[1] = { vf };
		struct plan pln;
		in.seq = 32;
		std_plain(&p, &in, vfs, 1);
		pln = plan_a(&p, 31);
		expect_plan("the inner header's sequence differs", &pln, BUNDLE_DATA);
		pb_free(&p);
		in = inner_a(31);
		in.code = "P-0002";
		std_plain(&p, &in, vfs, 1);
		pln = plan_a(&p, 31);
		expect_plan("the inner header's posyandu differs", &pln, BUNDLE_DATA);
		pb_free(&p);
		in = inner_a(31);
		in.sender = store_device_id(W.b.s);
		std_plain(&p, &in, vfs, 1);
		pln = plan_a(&p, 31);
		expect_plan("the inner header's sender differs", &pln, BUNDLE_DATA);
		pb_free(&p);
		in = inner_a(31);
		in.kind = 3;
		std_plain(&p, &in, vfs, 1);
		pln = plan_a(&p, 31);
		expect_plan("the inner header's kind differs", &pln, BUNDLE_DATA);
		pb_free(&p);
		/* the signed header names another posyandu than the device's */
		in = inner_a(31);
		in.code = "P-0002";
		std_plain(&p, &in, vfs, 1);
		pln = plan_a(&p, 31);
		pln.code = "P-0002";
		expect_plan("a posyandu the device is not enrolled for", &pln, BUNDLE_DATA);
		pb_free(&p);
	}
	/* same version key, other content; a reused version id; a kind change */
	{
		struct pbuf p = { 0 };
		struct inner in = inner_a(40);
		char *vfs[1];
		struct plan pln;
		size_t n;
		uint8_t *b;
		char path[600], *pl2, *vf2;
		struct err e = { 0 };
		bool changed;
		int rc;

		a_version(&v, 7);
		vfs[0] = vframe(&v, pl_ok);
		std_plain(&p, &in, vfs, 1);
		pln = plan_a(&p, 40);
		b = craft(&pln, &n);
		write_case(b, n, path, sizeof path);
		free(b);
		pb_free(&p);
		if (run_path(path, 0, &changed, &rc, &e) != BUNDLE_OK || rc)
			fail_msg("setup of the same-key case: %s", e.detail);
		person_payload(&pl2, "Budi Santosa", 'L', NULL);
		vf2 = vframe(&v, pl2);
		data_case("the same version key with other content", vf2, 41);
		frame_free(vf2);
		codec_free(pl2);
		{
			struct sync_version w = v;
			randombytes_buf(w.uuid, 16);     /* another record, the same vid */
			vf2 = vframe(&w, pl_ok);
			data_case("a version id used by another version", vf2, 42);
			frame_free(vf2);
		}
		{
			struct sync_version w = v;       /* the same record as a visit */
			struct visit vi;
			uint8_t author[16] = { 1 };
			memset(&vi, 0, sizeof vi);
			randombytes_buf(vi.person, 16);
			vi.date = sf_day("01-03-2024");
			vi.asi_recall = -1;
			w.kind = REC_VISIT;
			w.lamport = 8;
			w.parent.lamport = 7;
			memcpy(w.parent.device, v.device, 16);
			memcpy(w.owner, vi.person, 16);
			w.month = date_month_index(vi.date);
			randombytes_buf(w.vid, 16);
			pl2 = codec_visit_encode(&vi, author, 1);
			vf2 = vframe(&w, pl2);
			data_case("an edit that changes the record's kind", vf2, 43);
			frame_free(vf2);
			codec_free(pl2);
		}
		frame_free(vfs[0]);
	}
	frame_free(vf);
	codec_free(pl_ok);
}

static void devices_and_recipients(void)
{
	struct pbuf p = { 0 };
	size_t n;
	uint8_t *b = base_bundle(50, 2, 0, &n, &p);
	struct plan pl = plan_a(&p, 50);
	uint8_t *r;

	/* the sender field names a device that did not sign: signature */
	pl.sender = store_device_id(W.b.s);
	expect_plan("re-attributed to device B, signed by A", &pl, BUNDLE_SIGNATURE);
	/* B re-signs A's bundle, sender changed to B: the chunks' associated
	 * data (the header hash) no longer matches: payload (Davis's fix) */
	r = malloc(n);
	memcpy(r, b, n);
	memcpy(r + 16, store_device_id(W.b.s), 16);
	{
		static const char domain[] = "posyandu/v1/bundle";
		crypto_generichash_state st;
		uint8_t digest[64];
		struct err e = { 0 };
		crypto_generichash_init(&st, NULL, 0, 64);
		crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain);
		crypto_generichash_update(&st, r, n - 64);
		crypto_generichash_final(&st, digest, 64);
		if (store_device_sign(W.b.s, digest, r + n - 64, &e) < 0)
			sf_die("sign", &e);
		expect_bytes("a bundle of A re-signed by B", r, n, BUNDLE_PAYLOAD);
		/* re-signed by B, sender left as A: the signature is not A's */
		memcpy(r + 16, store_device_id(W.a.s), 16);
		crypto_generichash_init(&st, NULL, 0, 64);
		crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain);
		crypto_generichash_update(&st, r, n - 64);
		crypto_generichash_final(&st, digest, 64);
		if (store_device_sign(W.b.s, digest, r + n - 64, &e) < 0)
			sf_die("sign", &e);
		expect_bytes("signed by B in A's name", r, n, BUNDLE_SIGNATURE);
	}
	free(r);
	pl = plan_a(&p, 50);
	pl.recipient_x = W.other_x;
	expect_plan("sealed to another district", &pl, BUNDLE_WRONG_RECIPIENT);
	pl = plan_a(&p, 50);
	pl.kind = 2;
	expect_plan("a district-to-device bundle sent to the district", &pl, BUNDLE_WRONG_RECIPIENT);
	pl = plan_a(&p, 50);
	pl.sender = store_device_id(W.stranger.s);
	pl.signer = W.stranger.s;
	expect_plan("an unknown device", &pl, BUNDLE_UNKNOWN_DEVICE);
	pl.sender = store_device_id(W.pending.s);
	pl.signer = W.pending.s;
	expect_plan("a pending device", &pl, BUNDLE_PENDING_DEVICE);
	pl.sender = store_device_id(W.revoked.s);
	pl.signer = W.revoked.s;
	expect_plan("a revoked device", &pl, BUNDLE_REVOKED_DEVICE);
	pl = plan_a(&p, 50);
	pl.major = 2;
	expect_plan("an unknown major version", &pl, BUNDLE_HEADER);
	pl.major = 1;
	pl.res1 = 1;
	expect_plan("a reserved byte set in a 1.0 bundle", &pl, BUNDLE_HEADER);
	pl.res1 = 0;
	pl.kind = 4;
	expect_plan("an unknown kind", &pl, BUNDLE_HEADER);
	pl.kind = 1;
	pl.code = "p-0001";
	expect_plan("a lower-case posyandu code", &pl, BUNDLE_HEADER);
	pl.code = "P-0001";
	pl.seq = 0;
	expect_plan("sequence 0", &pl, BUNDLE_HEADER);
	pl.seq = 50;
	pl.first = 9;
	pl.last = 3;
	expect_plan("a change range backwards", &pl, BUNDLE_HEADER);
	free(b);
	pb_free(&p);
}

static void bit_flips(void)
{
	size_t n;
	uint8_t *b = base_bundle(60, 2, 0, &n, NULL), *f = malloc(n);
	char what[64];

	for (size_t off = 0; off < n; off++) {
		bool region = off < 200 || off >= n - 88 || off % 211 == 0 ||
			      (off >= n - 88 - 17 && off < n - 88);
		if (!region)
			continue;
		memcpy(f, b, n);
		f[off] ^= (uint8_t)(1u << (off % 8));
		snprintf(what, sizeof what, "bit %zu of byte %zu flipped", off % 8, off);
		expect_bytes(what, f, n, flip_expect(f, n, off));
	}
	free(f);
	free(b);
}

static void test_corpus(void **state)
{
	(void)state;
	control_and_replays();
	truncations_and_stream();
	framing();
	invalid_data();
	devices_and_recipients();
	bit_flips();
	printf("bundles %d malformed → %d rejected with the expected class, rows changed %d; "
	       "%d replays → %d changes\n", W.malformed, W.as_expected, W.rows_changed, W.replays,
	       W.replay_changes);
	if (W.misses)
		fail_msg("%d of %d cases not as expected; first: %s", W.misses, W.malformed, W.first_miss);
	assert_int_equal(W.rows_changed, 0);
	assert_int_equal(W.replay_changes, 0);
	assert_true(W.malformed > 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_corpus, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	codec_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
