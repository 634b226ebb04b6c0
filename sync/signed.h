/* sync/signed.h: the envelope of the small signed messages (receipts,
 * enrolment and downstream requests): a fixed-size body that starts with
 * an 8-byte magic, then an Ed25519 signature of
 * BLAKE2b-512(domain with its NUL ‖ body). Most bodies go on with a
 * 32-bit version (1) and 4 reserved zero bytes: the "head". */
#ifndef POSYANDU_SYNC_SIGNED_H
#define POSYANDU_SYNC_SIGNED_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "sync/bundle.h"

/* Zero LEN bytes of OUT and write the head: MAGIC, version 1, reserved. */
void signed_head_put(uint8_t *out, size_t len, const char magic[8]);
/* Check that BUF (LEN bytes) has WANT bytes and the head of MAGIC:
 * ERR_FORMAT "not NOUN (LEN bytes)", ERR_VERSION or ERR_FORMAT for the
 * reserved bytes, all with FIELD, which also names the version. */
int signed_head_check(const uint8_t *buf, size_t len, size_t want, const char magic[8],
		      const char *field, const char *noun, struct err *err);

/* Sign the BODY_LEN bytes of BUF through SIGN into the 64 after them. */
int signed_seal(const char *domain, uint8_t *buf, size_t body_len, bundle_sign_fn sign,
		void *sign_ctx, struct err *err);
/* 0 when the 64 bytes after BODY_LEN are ED_PK's signature of the body,
 * else -1 (always 0 in a fuzzing build). */
int signed_check(const char *domain, const uint8_t *buf, size_t body_len,
		 const uint8_t ed_pk[32]);

#endif
