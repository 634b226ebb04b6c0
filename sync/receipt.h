/* sync/receipt.h: the district's signed receipt for a bundle (SECURITY.md
 * §2.7), 184 bytes, big-endian:
 *
 *   0    8  magic 89 50 59 52 0D 0A 1A 0A ("\x89PYR\r\n\x1a\n")
 *   8    4  version = 1
 *   12   4  reserved, 0
 *   16  16  district id
 *   32  16  device id
 *   48  32  bundle hash (BLAKE2b-256 of the whole bundle file)
 *   80   8  bundle sequence
 *   88   8  last local change acknowledged
 *   96   4  new versions
 *   100  4  duplicate versions
 *   104  8  server time (unix seconds)
 *   112  8  receipt sequence
 *   120 64  Ed25519 over BLAKE2b-512("posyandu/v1/receipt\0" ‖ bytes 0..120)
 *
 * A device accepts a receipt only when it verifies against the district key
 * it pinned at enrolment and names a bundle it made.
 *
 * Key update (SECURITY.md §2.9; issue 13.10): after the district rotates its
 * X25519 key, every receipt file carries, after the 184 bytes, a key update
 * of 144 bytes, signed by the district Ed25519 key:
 *
 *   0    8  magic 89 50 59 4B 0D 0A 1A 0A ("\x89PYK\r\n\x1a\n")
 *   8    4  version = 1
 *   12   4  reserved, 0
 *   16  16  district id
 *   32  32  the district's new X25519 public key
 *   64   8  serial (the number of rotations; a device applies only a higher one)
 *   72   8  created (unix seconds)
 *   80  64  Ed25519 over BLAKE2b-512("posyandu/v1/keyupdate\0" ‖ bytes 0..80)
 *
 * A device that verifies it against its pinned district key re-pins the new
 * X25519 key (its next bundles are sealed to it) and re-seals its recovery
 * slot to it. */
#ifndef POSYANDU_SYNC_RECEIPT_H
#define POSYANDU_SYNC_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"
#include "storage/sync_store.h"
#include "sync/bundle.h"

#define RECEIPT_LEN 184
#define RECEIPT_MAGIC "\x89PYR\r\n\x1a\n"
#define KEYUPDATE_LEN 144
#define KEYUPDATE_MAGIC "\x89PYK\r\n\x1a\n"

struct receipt {
	uint8_t district[16];
	uint8_t device[16];
	uint8_t bundle_hash[32];
	uint64_t bundle_seq;
	uint64_t last_change;
	uint32_t n_new, n_dup;
	int64_t server_time;
	uint64_t receipt_seq;
};

/* Encode R and sign it through SIGN into OUT. */
int receipt_make(const struct receipt *r, bundle_sign_fn sign, void *sign_ctx,
		 uint8_t out[RECEIPT_LEN], struct err *err);
/* Parse the layout (ERR_FORMAT, field "receipt"); no signature check. LEN
 * is RECEIPT_LEN, or RECEIPT_LEN + KEYUPDATE_LEN with a key update after. */
int receipt_parse(const uint8_t *buf, size_t len, struct receipt *r, struct err *err);
/* Check the signature with the district's Ed25519 key (ERR_CRYPTO "receipt"). */
int receipt_verify(const uint8_t buf[RECEIPT_LEN], const uint8_t ed_pk[32], struct err *err);

/* District (admin): the key update for its current X25519 key into OUT;
 * *HAS false (nothing written) when the key was never rotated. */
int receipt_key_update(struct store *s, uint8_t out[KEYUPDATE_LEN], bool *has, struct err *err);
/* Device (admin): verify the key update BUF against the pinned district
 * DIST and apply it: re-seal the recovery slot, re-pin. *CHANGED tells
 * whether it was new. ERR_CRYPTO "keyupdate" when it does not verify. */
int receipt_key_update_apply(struct store *s, const uint8_t *buf, size_t len,
			     const struct sync_district *dist, bool *changed, struct err *err);

#endif
