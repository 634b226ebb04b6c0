/* sync/bundle.c: writing and reading bundle files (formats 1 and 2). */
#include "sync/bundle.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sync/keystr.h"
#include "sync/wire.h"
#include "core/valid.h"
#include "core/banned.h"

#define CT_CHUNK (BUNDLE_CHUNK + BUNDLE_CHUNK_OVERHEAD)

static const char *const class_names[BUNDLE__COUNT] = {
	[BUNDLE_OK] = "success",
	[BUNDLE_DUPLICATE] = "duplicate",
	[BUNDLE_HEADER] = "header failure",
	[BUNDLE_UNKNOWN_DEVICE] = "unknown device",
	[BUNDLE_PENDING_DEVICE] = "pending device",
	[BUNDLE_REVOKED_DEVICE] = "revoked device",
	[BUNDLE_SIGNATURE] = "signature failure",
	[BUNDLE_WRONG_RECIPIENT] = "wrong recipient",
	[BUNDLE_NO_MATCH] = "no match",
	[BUNDLE_PAYLOAD] = "payload failure",
	[BUNDLE_DATA] = "data failure",
	[BUNDLE_TOO_LARGE] = "too large",
	[BUNDLE_LOCAL] = "local failure",
};

const char *bundle_end_magic(unsigned major)
{
	return major == 1 ? BUNDLE_END_MAGIC : BUNDLE_END_MAGIC2;
}

int bundle_class_http(enum bundle_class c)
{
	switch (c) {
	case BUNDLE_OK:
	case BUNDLE_DUPLICATE:
		return 200;
	case BUNDLE_TOO_LARGE:
		return 413;
	case BUNDLE_HEADER:
		return 400;
	case BUNDLE_PAYLOAD:
	case BUNDLE_DATA:
		return 422;
	case BUNDLE_UNKNOWN_DEVICE:
	case BUNDLE_PENDING_DEVICE:
	case BUNDLE_REVOKED_DEVICE:
	case BUNDLE_SIGNATURE:
		return 403;
	case BUNDLE_WRONG_RECIPIENT:
	case BUNDLE_NO_MATCH:
		return 421;
	default:
		return 503;
	}
}

const char *bundle_class_name(enum bundle_class c)
{
	return (unsigned)c < BUNDLE__COUNT ? class_names[c] : "?";
}

int bundle_class_from_name(const char *name)
{
	for (int i = 0; i < BUNDLE__COUNT; i++)
		if (strcmp(class_names[i], name) == 0)
			return i;
	return -1;
}

/* ---- header layout (offsets of SECURITY.md §2.6) ---- */

enum {
	OFF_MAGIC = 0, OFF_MAJOR = 8, OFF_MINOR = 10, OFF_KIND = 12, OFF_RES1 = 13,
	OFF_SENDER = 16, OFF_KID = 32, OFF_CODE = 40, OFF_SEQ = 56, OFF_CREATED = 64,
	OFF_FIRST = 72, OFF_LAST = 80, OFF_RES2 = 88, OFF_SEALED = 96, OFF_SSHDR = 176,
};

static void header_encode(struct bundle_header *h)
{
	uint8_t *r = h->raw;
	memset(r, 0, BUNDLE_HEADER_LEN);
	memcpy(r + OFF_MAGIC, BUNDLE_MAGIC, 8);
	wire_put16(r + OFF_MAJOR, h->major);
	wire_put16(r + OFF_MINOR, h->minor);
	r[OFF_KIND] = h->kind;
	memcpy(r + OFF_SENDER, h->sender, 16);
	memcpy(r + OFF_KID, h->kid, 8);
	memcpy(r + OFF_CODE, h->posyandu, strnlen(h->posyandu, 16));
	wire_put64(r + OFF_SEQ, h->seq);
	wire_put64(r + OFF_CREATED, (uint64_t)h->created);
	wire_put64(r + OFF_FIRST, h->first_change);
	wire_put64(r + OFF_LAST, h->last_change);
	memcpy(r + OFF_SEALED, h->sealed_key, BUNDLE_SEALED_LEN);
	memcpy(r + OFF_SSHDR, h->ss_header, 24);
}

/* A posyandu code by the rule every code was made under (core/valid.c:
 * [A-Z0-9-], 1-15, not starting with '-'), then NUL padding only. */
static bool code_ok(const uint8_t *c)
{
	size_t n = 0;
	char s[17];

	while (n < 16 && c[n])
		n++;
	if (n == 0)
		return false;
	memcpy(s, c, n);
	s[n] = '\0';
	return valid_posyandu_code(s, NULL) == 0 && wire_all_zero(c + n, 16 - n);
}

int bundle_parse(const uint8_t head[BUNDLE_HEADER_LEN], const uint8_t tail[BUNDLE_TRAILER_LEN],
		 uint64_t size, struct bundle_header *h, struct bundle_trailer *t,
		 enum bundle_class *cls, struct err *err)
{
	uint64_t chunks, expect;

	*cls = BUNDLE_HEADER;
	memset(h, 0, sizeof *h);
	memset(t, 0, sizeof *t);
	if (memcmp(head + OFF_MAGIC, BUNDLE_MAGIC, 8) != 0)
		return err_set(err, ERR_FORMAT, "bundle", "not a posyandu bundle (bad magic)");
	h->major = wire_get16(head + OFF_MAJOR);
	h->minor = wire_get16(head + OFF_MINOR);
	if (h->major < 1 || h->major > BUNDLE_MAJOR)
		return err_set(err, ERR_VERSION, "bundle", "bundle format %u.%u is not supported",
			       h->major, h->minor);
	/* Minor versions only give meaning to reserved bytes: a 1.0 bundle has
	 * them zero, a later minor may use them and we ignore them. */
	if (h->minor == 0 && (!wire_all_zero(head + OFF_RES1, 3) || !wire_all_zero(head + OFF_RES2, 8)))
		return err_set(err, ERR_FORMAT, "bundle", "reserved header bytes are not zero");
	h->kind = head[OFF_KIND];
	if (h->kind < BUNDLE_UP || h->kind > BUNDLE_FULL)
		return err_set(err, ERR_FORMAT, "bundle", "unknown bundle kind %u", h->kind);
	memcpy(h->sender, head + OFF_SENDER, 16);
	memcpy(h->kid, head + OFF_KID, 8);
	if (!code_ok(head + OFF_CODE))
		return err_set(err, ERR_FORMAT, "bundle", "the posyandu code is not valid");
	memcpy(h->posyandu, head + OFF_CODE, 16);
	h->posyandu[16] = '\0';
	h->seq = wire_get64(head + OFF_SEQ);
	h->created = (int64_t)wire_get64(head + OFF_CREATED);
	h->first_change = wire_get64(head + OFF_FIRST);
	h->last_change = wire_get64(head + OFF_LAST);
	if (h->seq == 0 || h->first_change > h->last_change || h->last_change > (1ull << 53))
		return err_set(err, ERR_FORMAT, "bundle", "sequence or change range out of range");
	memcpy(h->sealed_key, head + OFF_SEALED, BUNDLE_SEALED_LEN);
	memcpy(h->ss_header, head + OFF_SSHDR, 24);
	memcpy(h->raw, head, BUNDLE_HEADER_LEN);

	if (memcmp(tail, bundle_end_magic(h->major), 8) != 0) {
		if (memcmp(tail, "PYBEND0", 7) == 0)
			return err_set(err, ERR_FORMAT, "bundle",
				       "the end marker is not that of a format %u bundle", h->major);
		return err_set(err, ERR_FORMAT, "bundle", "the end marker is missing (truncated?)");
	}
	t->frames = wire_get32(tail + 8);
	t->chunks = wire_get32(tail + 12);
	t->plain_len = wire_get64(tail + 16);
	memcpy(t->sig, tail + 24, 64);
	/* Every figure is bounded by SIZE, which the caller capped, so no
	 * arithmetic below can overflow and no later loop runs unbounded. */
	if (size < BUNDLE_MIN_SIZE || t->plain_len == 0 || t->plain_len > size)
		return err_set(err, ERR_FORMAT, "bundle", "the plaintext length does not fit the file");
	chunks = (t->plain_len + BUNDLE_CHUNK - 1) / BUNDLE_CHUNK;
	if (t->chunks != chunks)
		return err_set(err, ERR_FORMAT, "bundle", "chunk count does not match the length");
	expect = BUNDLE_HEADER_LEN + t->plain_len + chunks * BUNDLE_CHUNK_OVERHEAD + BUNDLE_TRAILER_LEN;
	if (expect != size)
		return err_set(err, ERR_FORMAT, "bundle", "file size %llu, expected %llu (truncated or padded)",
			       (unsigned long long)size, (unsigned long long)expect);
	if (t->frames < 2 || t->frames > t->plain_len / 5)
		return err_set(err, ERR_FORMAT, "bundle", "frame count does not fit the length");
	*cls = BUNDLE_OK;
	return 0;
}

/* ---- writer ---- */

struct bundle_writer {
	struct bundle_header h;
	crypto_secretstream_xchacha20poly1305_state *ss;   /* sodium_malloc */
	uint8_t ad[32];
	uint8_t *plain;            /* one chunk of plaintext (sodium_malloc: it holds PII) */
	size_t fill;
	uint8_t *ct;               /* one chunk of ciphertext */
	bundle_out_fn out;
	void *out_ctx;
	crypto_generichash_state sig_h, file_h;
	uint32_t frames, chunks;
	uint64_t plain_len, size;
	bool failed;
};

static int emit(struct bundle_writer *w, const void *b, size_t n, bool signed_part, struct err *err)
{
	if (signed_part)
		crypto_generichash_update(&w->sig_h, b, n);
	crypto_generichash_update(&w->file_h, b, n);
	w->size += n;
	if (w->out(w->out_ctx, b, n, err) < 0) {
		w->failed = true;
		return -1;
	}
	return 0;
}

static int flush_chunk(struct bundle_writer *w, uint8_t tag, struct err *err)
{
	unsigned long long clen;
	crypto_secretstream_xchacha20poly1305_push(w->ss, w->ct, &clen, w->plain, w->fill, w->ad,
						   sizeof w->ad, tag);
	sodium_memzero(w->plain, w->fill);
	w->fill = 0;
	w->chunks++;
	return emit(w, w->ct, (size_t)clen, true, err);
}

/* Append plaintext; a full chunk goes out only when more bytes follow, so
 * the last chunk is never empty and can be tagged FINAL at the end. */
static int push_plain(struct bundle_writer *w, const uint8_t *b, size_t n, struct err *err)
{
	while (n) {
		size_t take;
		if (w->fill == BUNDLE_CHUNK &&
		    flush_chunk(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, err) < 0)
			return -1;
		take = BUNDLE_CHUNK - w->fill;
		if (take > n)
			take = n;
		memcpy(w->plain + w->fill, b, take);
		w->fill += take;
		w->plain_len += take;
		b += take;
		n -= take;
	}
	return 0;
}

void bundle_writer_free(struct bundle_writer *w)
{
	if (!w)
		return;
	sodium_free(w->ss);
	sodium_free(w->plain);
	free(w->ct);
	sodium_memzero(w, sizeof *w);
	free(w);
}

struct bundle_writer *bundle_writer_new(const struct bundle_header *h,
					const uint8_t recipient_x_pk[32], bundle_out_fn out,
					void *out_ctx, struct err *err)
{
	static const char domain[] = BUNDLE_SIG_DOMAIN;
	struct bundle_writer *w = calloc(1, sizeof *w);
	uint8_t *key = NULL;

	if (!w) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	w->h = *h;
	w->h.major = h->major == 1 ? 1 : BUNDLE_MAJOR;
	w->h.minor = BUNDLE_MINOR;
	w->out = out;
	w->out_ctx = out_ctx;
	w->ss = sodium_malloc(sizeof *w->ss);
	w->plain = sodium_malloc(BUNDLE_CHUNK);
	w->ct = malloc(CT_CHUNK);
	key = sodium_malloc(crypto_secretstream_xchacha20poly1305_KEYBYTES);
	if (!w->ss || !w->plain || !w->ct || !key) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	keystr_kid(recipient_x_pk, w->h.kid);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_box_seal(w->h.sealed_key, key, crypto_secretstream_xchacha20poly1305_KEYBYTES,
			recipient_x_pk);
	crypto_secretstream_xchacha20poly1305_init_push(w->ss, w->h.ss_header, key);
	sodium_free(key);
	key = NULL;
	header_encode(&w->h);
	crypto_generichash(w->ad, sizeof w->ad, w->h.raw, BUNDLE_HEADER_LEN, NULL, 0);
	crypto_generichash_init(&w->sig_h, NULL, 0, crypto_generichash_BYTES_MAX);
	crypto_generichash_update(&w->sig_h, (const uint8_t *)domain, sizeof domain);
	crypto_generichash_init(&w->file_h, NULL, 0, 32);
	if (emit(w, w->h.raw, BUNDLE_HEADER_LEN, true, err) < 0)
		goto fail;
	return w;
fail:
	sodium_free(key);
	bundle_writer_free(w);
	return NULL;
}

int bundle_writer_frame(struct bundle_writer *w, uint8_t type, const void *body, size_t len,
			struct err *err)
{
	uint8_t fh[5];

	if (w->failed)
		return err_set(err, ERR_IO, NULL, "bundle writer failed earlier");
	if (len + 1 > BUNDLE_FRAME_MAX)
		return err_set(err, ERR_RANGE, "bundle", "a record is larger than 1 MiB");
	wire_put32(fh, (uint32_t)(len + 1));
	fh[4] = type;
	if (push_plain(w, fh, sizeof fh, err) < 0 || push_plain(w, body, len, err) < 0)
		return -1;
	w->frames++;
	return 0;
}

int bundle_writer_finish(struct bundle_writer *w, bundle_sign_fn sign, void *sign_ctx,
			 uint8_t hash[32], uint64_t *size, struct err *err)
{
	uint8_t trailer[24], digest[crypto_generichash_BYTES_MAX], sig[64];

	if (bundle_writer_frame(w, FRAME_END, NULL, 0, err) < 0 ||
	    flush_chunk(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL, err) < 0)
		return -1;
	memcpy(trailer, bundle_end_magic(w->h.major), 8);
	wire_put32(trailer + 8, w->frames);
	wire_put32(trailer + 12, w->chunks);
	wire_put64(trailer + 16, w->plain_len);
	if (emit(w, trailer, sizeof trailer, true, err) < 0)
		return -1;
	crypto_generichash_final(&w->sig_h, digest, sizeof digest);
	if (sign(sign_ctx, digest, sig, err) < 0)
		return -1;
	if (emit(w, sig, sizeof sig, false, err) < 0)
		return -1;
	crypto_generichash_final(&w->file_h, hash, 32);
	if (size)
		*size = w->size;
	return 0;
}

/* ---- reader ---- */

int bundle_pread(int fd, void *buf, size_t len, uint64_t off, struct err *err)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, ERR_IO, NULL, "read: %s", strerror(errno));
		if (n == 0)
			return err_set(err, ERR_IO, NULL, "read: the file is shorter than it was");
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int bundle_hash(int fd, uint64_t end, const char *prefix, size_t prefix_len, uint8_t *out,
		size_t out_len, struct err *err)
{
	crypto_generichash_state st;
	uint8_t *buf = malloc(CT_CHUNK);
	uint64_t off = 0;

	if (!buf)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	crypto_generichash_init(&st, NULL, 0, out_len);
	crypto_generichash_update(&st, (const uint8_t *)prefix, prefix_len);
	while (off < end) {          /* bounded: END is capped */
		size_t n = end - off > CT_CHUNK ? CT_CHUNK : (size_t)(end - off);
		if (bundle_pread(fd, buf, n, off, err) < 0) {
			free(buf);
			return -1;
		}
		crypto_generichash_update(&st, buf, n);
		off += n;
	}
	free(buf);
	crypto_generichash_final(&st, out, out_len);
	return 0;
}

int bundle_verify(int fd, uint64_t size, const struct bundle_trailer *t, const uint8_t ed_pk[32],
		  struct err *err)
{
	static const char domain[] = BUNDLE_SIG_DOMAIN;
	uint8_t digest[crypto_generichash_BYTES_MAX];
	int rc = 0;

	if (bundle_hash(fd, size - 64, domain, sizeof domain, digest, sizeof digest, err) < 0)
		return -1;
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	rc = crypto_sign_verify_detached(t->sig, digest, sizeof digest, ed_pk);
#else
	(void)t;
	(void)ed_pk;
#endif
	if (rc != 0)
		return err_set(err, ERR_CRYPTO, "bundle-signature",
			       "the signature does not verify (changed, truncated or signed by another device)");
	return 0;
}

/* Frames that may cross chunk boundaries. */
struct framer {
	uint8_t hdr[5];
	size_t hdr_fill;
	uint8_t *body;             /* malloc'd, wiped */
	size_t body_len, body_fill, body_cap;
	uint32_t frames;
	bool ended;
	bundle_frame_fn fn;
	void *ctx;
	bool refused;              /* FN said no: a data failure */
};

static int framer_feed(struct framer *f, const uint8_t *b, size_t n, struct err *err)
{
	while (n) {
		if (f->ended)
			return err_set(err, ERR_CRYPTO, "bundle-payload", "bytes after the end frame");
		if (f->hdr_fill < 5) {
			size_t take = 5 - f->hdr_fill < n ? 5 - f->hdr_fill : n;
			memcpy(f->hdr + f->hdr_fill, b, take);
			f->hdr_fill += take;
			b += take;
			n -= take;
			if (f->hdr_fill < 5)
				break;
			uint32_t len = wire_get32(f->hdr);
			if (len < 1 || len > BUNDLE_FRAME_MAX)
				return err_set(err, ERR_CRYPTO, "bundle-payload",
					       "frame %u has length %u", f->frames + 1, len);
			f->body_len = len - 1;
			f->body_fill = 0;
			if (f->body_len > f->body_cap) {
				uint8_t *nb = malloc(f->body_len);
				if (!nb)
					return err_set(err, ERR_NOMEM, NULL, "out of memory");
				if (f->body) {
					sodium_memzero(f->body, f->body_cap);
					free(f->body);
				}
				f->body = nb;
				f->body_cap = f->body_len;
			}
		}
		size_t take = f->body_len - f->body_fill < n ? f->body_len - f->body_fill : n;
		if (take) {
			memcpy(f->body + f->body_fill, b, take);
			f->body_fill += take;
			b += take;
			n -= take;
		}
		if (f->body_fill == f->body_len) {
			uint8_t type = f->hdr[4];
			f->frames++;
			f->hdr_fill = 0;
			if (f->frames == 1 && type != FRAME_HEADER)
				return err_set(err, ERR_CRYPTO, "bundle-payload", "the inner header is not first");
			if (type == FRAME_END) {
				if (f->body_len)
					return err_set(err, ERR_CRYPTO, "bundle-payload", "the end frame has a body");
				f->ended = true;
				continue;
			}
			if (f->fn(f->ctx, type, f->body, f->body_len, err) < 0) {
				f->refused = true;
				return -1;
			}
			sodium_memzero(f->body, f->body_len);
		}
	}
	return 0;
}

int bundle_decrypt(int fd, const struct bundle_header *h, const struct bundle_trailer *t,
		   const uint8_t file_key[32], bundle_frame_fn fn, void *ctx,
		   enum bundle_class *cls, struct err *err)
{
	crypto_secretstream_xchacha20poly1305_state *ss = sodium_malloc(sizeof *ss);
	uint8_t *ct = malloc(CT_CHUNK), *plain = sodium_malloc(BUNDLE_CHUNK);
	uint8_t ad[32];
	struct framer f = { .fn = fn, .ctx = ctx };
	uint64_t off = BUNDLE_HEADER_LEN, left = t->plain_len;
	int rc = -1;

	*cls = BUNDLE_PAYLOAD;
	if (!ss || !ct || !plain) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		*cls = BUNDLE_LOCAL;
		goto out;
	}
	crypto_generichash(ad, sizeof ad, h->raw, BUNDLE_HEADER_LEN, NULL, 0);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	if (crypto_secretstream_xchacha20poly1305_init_pull(ss, h->ss_header, file_key) != 0) {
		err_set(err, ERR_CRYPTO, "bundle-payload", "bad stream header");
		goto out;
	}
#else
	(void)file_key;
#endif
	for (uint32_t i = 0; i < t->chunks; i++) {    /* bounded by the checked trailer */
		size_t plen = left > BUNDLE_CHUNK ? BUNDLE_CHUNK : (size_t)left;
		size_t clen = plen + BUNDLE_CHUNK_OVERHEAD;
		unsigned long long got;
		unsigned char tag;
		bool last = i + 1 == t->chunks;

		if (bundle_pread(fd, ct, clen, off, err) < 0) {
			*cls = BUNDLE_LOCAL;
			goto out;
		}
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
		if (crypto_secretstream_xchacha20poly1305_pull(ss, plain, &got, &tag, ct, clen, ad,
							       sizeof ad) != 0) {
			err_set(err, ERR_CRYPTO, "bundle-payload", "chunk %u does not authenticate", i + 1);
			goto out;
		}
#else
		/* Fuzzing: no AEAD; the first byte is the tag, the rest plaintext. */
		tag = ct[0];
		got = plen;
		memcpy(plain, ct + 1, plen);
#endif
		if (last != (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) ||
		    (!last && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)) {
			err_set(err, ERR_CRYPTO, "bundle-payload", "chunk %u has the wrong tag%s", i + 1,
				last ? " (the stream does not end)" : " (an early end)");
			goto out;
		}
		if (framer_feed(&f, plain, (size_t)got, err) < 0) {
			if (f.refused)
				*cls = BUNDLE_DATA;
			else if (err && err->code == ERR_NOMEM)
				*cls = BUNDLE_LOCAL;
			goto out;
		}
		sodium_memzero(plain, (size_t)got);
		off += clen;
		left -= plen;
	}
	if (!f.ended || f.hdr_fill) {
		err_set(err, ERR_CRYPTO, "bundle-payload", "the stream has no end frame");
		goto out;
	}
	if (f.frames != t->frames) {
		err_set(err, ERR_CRYPTO, "bundle-payload", "%u frames, the trailer says %u", f.frames,
			t->frames);
		goto out;
	}
	*cls = BUNDLE_OK;
	rc = 0;
out:
	if (f.body) {
		sodium_memzero(f.body, f.body_cap);
		free(f.body);
	}
	sodium_free(ss);
	sodium_free(plain);
	free(ct);
	return rc;
}
