/* tests/fuzz/fuzz_seeds.c: seeds for every target: fuzzing-mode bundles
 * (a chunk is its tag byte, the plaintext and 16 ignored bytes), receipts,
 * requests, frame bodies and payloads. */
#include "tests/fuzz/fuzz_seeds.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/codec.h"
#include "sync/bundle.h"
#include "sync/frame.h"
#include "sync/receipt.h"
#include "sync/wire.h"

static int sign_zero(void *ctx, const uint8_t digest[64], uint8_t sig[64], struct err *err)
{
	uint8_t seed[32], pk[32], sk[64];
	(void)ctx;
	(void)err;
	memset(seed, 0x01, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	crypto_sign_detached(sig, NULL, digest, 64, sk);
	return 0;
}

void fuzz_enrol_request(const uint8_t kid[8], uint8_t req[ENROL_LEN])
{
	struct enrol_request r;
	uint8_t seed[32], sk[64], xsk[32];
	struct err e = { 0 };
	memset(&r, 0, sizeof r);
	memcpy(r.device, FUZZ_DEVICE_ID, 16);
	snprintf(r.posyandu, sizeof r.posyandu, "P-0001");
	snprintf(r.name, sizeof r.name, "Posyandu Fuzz");
	memset(seed, 0x01, sizeof seed);
	crypto_sign_seed_keypair(r.ed_pk, sk, seed);
	crypto_box_seed_keypair(r.x_pk, xsk, seed);
	r.time = 1767225600;
	snprintf(r.app, sizeof r.app, "fuzz");
	memcpy(r.district_kid, kid, 8);
	enrol_make(&r, sign_zero, NULL, req, &e);
}

static void put(const char *dir, const char *name, const void *b, size_t n)
{
	char path[600];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb"))) {
		fwrite(b, 1, n, f);
		fclose(f);
	}
}

static void frame(uint8_t *p, size_t *len, uint8_t type, const char *body, uint32_t *frames)
{
	size_t n = body ? strlen(body) : 0;
	wire_put32(p + *len, (uint32_t)(n + 1));
	p[*len + 4] = type;
	if (n)
		memcpy(p + *len + 5, body, n);
	*len += 5 + n;
	(*frames)++;
}

/* A one-chunk bundle in the fuzzing layout around PLAIN. */
static void bundle(const char *dir, const char *name, const uint8_t *plain, size_t plen,
		   uint32_t frames)
{
	uint8_t *b = calloc(1, 200 + plen + 17 + 88);
	size_t off = 200;
	memcpy(b, BUNDLE_MAGIC, 8);
	wire_put16(b + 8, 1);
	b[12] = 1;
	memcpy(b + 16, FUZZ_DEVICE_ID, 16);
	memcpy(b + 40, "P-0001", 6);
	wire_put64(b + 56, 1);
	wire_put64(b + 72, 1);
	wire_put64(b + 80, 5);
	b[off++] = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	memcpy(b + off, plain, plen);
	off += plen + 16;
	memcpy(b + off, BUNDLE_END_MAGIC, 8);
	wire_put32(b + off + 8, frames);
	wire_put32(b + off + 12, 1);
	wire_put64(b + off + 16, plen);
	put(dir, name, b, off + 88);
	free(b);
}

bool fuzz_maybe_write_seeds(void)
{
	const char *dir = getenv("FUZZ_SEEDS");
	struct frame_inner in = { 0 };
	struct sync_version v;
	struct person p;
	struct visit vi;
	uint8_t plain[8192], author[16] = { 7 }, head[32] = { 9 }, req[ENROL_LEN], rc[RECEIPT_LEN];
	size_t len = 0;
	uint32_t frames = 0;
	char *ih, *pp, *vp, *vf, *vf2, *an;
	struct err e = { 0 };

	if (!dir || !*dir)
		return false;
	in.kind = 1;
	memcpy(in.sender, FUZZ_DEVICE_ID, 16);
	snprintf(in.posyandu, sizeof in.posyandu, "P-0001");
	in.seq = 1;
	snprintf(in.app, sizeof in.app, "fuzz");
	ih = frame_inner_encode(&in);
	memset(&p, 0, sizeof p);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Budi Santoso");
	p.sex = 'L';
	p.dob = 19754;
	p.registered = 19800;
	snprintf(p.nik, sizeof p.nik, "3201230102240001");
	pp = codec_person_encode(&p, author, 1767225600);
	memset(&v, 0, sizeof v);
	memset(v.uuid, 0x21, 16);
	v.kind = 1;
	v.lamport = 1;
	memcpy(v.device, FUZZ_DEVICE_ID, 16);
	v.month = -1;
	memset(v.vid, 0x31, 16);
	vf = frame_version_encode(&v, pp, strlen(pp));
	memset(&vi, 0, sizeof vi);
	memcpy(vi.person, v.uuid, 16);
	vi.date = 19800;
	vi.weight_g = 9100;
	vi.lenhei_mm = 801;
	vi.measure = 'l';
	vi.asi_recall = -1;
	vi.imm = 3;
	vp = codec_visit_encode(&vi, author, 1767225600);
	memset(v.uuid, 0x22, 16);
	v.kind = 2;
	v.lamport = 2;
	memcpy(v.owner, vi.person, 16);
	v.month = date_month_index(vi.date);
	memset(v.vid, 0x32, 16);
	vf2 = frame_version_encode(&v, vp, strlen(vp));
	an = frame_anchor_encode(3, head);

	frame(plain, &len, FRAME_HEADER, ih, &frames);
	frame(plain, &len, FRAME_ANCHOR, an, &frames);
	frame(plain, &len, FRAME_END, NULL, &frames);
	bundle(dir, "bundle-empty", plain, len, frames);
	len = 0;
	frames = 0;
	frame(plain, &len, FRAME_HEADER, ih, &frames);
	frame(plain, &len, FRAME_VERSION, vf, &frames);
	frame(plain, &len, FRAME_VERSION, vf2, &frames);
	frame(plain, &len, FRAME_ANCHOR, an, &frames);
	frame(plain, &len, FRAME_END, NULL, &frames);
	bundle(dir, "bundle-two", plain, len, frames);

	put(dir, "frame-inner", ih, strlen(ih));
	put(dir, "frame-version", vf, strlen(vf));
	put(dir, "frame-visit", vf2, strlen(vf2));
	{
		/* the same visit version in format 2's binary layout */
		size_t n2 = frame_version2_size(&v, strlen(vp));
		uint8_t *b2 = malloc(n2);
		if (b2) {
			frame_version2_encode(&v, vp, strlen(vp), b2);
			put(dir, "frame-version2", b2, n2);
			free(b2);
		}
	}
	put(dir, "frame-anchor", an, strlen(an));
	put(dir, "payload-person", pp, strlen(pp));
	put(dir, "payload-visit", vp, strlen(vp));
	{
		uint8_t kid[8] = { 1 };
		fuzz_enrol_request(kid, req);
		put(dir, "request-enrol", req, sizeof req);
	}
	{
		struct receipt r;
		memset(&r, 0, sizeof r);
		r.bundle_seq = 1;
		r.n_new = 2;
		receipt_make(&r, sign_zero, NULL, rc, &e);
		put(dir, "receipt", rc, sizeof rc);
	}
	{
		struct pull_request pr = { { 0x11 }, 1767225600, 5 };
		uint8_t pb[PULL_LEN];
		pull_make(&pr, sign_zero, NULL, pb, &e);
		put(dir, "request-pull", pb, sizeof pb);
	}
	frame_free(ih);
	frame_free(vf);
	frame_free(vf2);
	frame_free(an);
	codec_free(pp);
	codec_free(vp);
	return true;
}
