/* sync/keystr.h: public keys as one line of text, and the fingerprints read
 * aloud on the phone (SECURITY.md §2.7, §2.8).
 *
 * A key string is Bech32 (BIP 173's checksum, without its 90-character cap,
 * as age does) with the prefix "pyd" (district) or "pyv" (device) over
 *   version (1 byte, = 1) ‖ Ed25519 public key (32) ‖ X25519 public key (32)
 * e.g. "pyd1q..." (114 characters). The checksum catches typing mistakes.
 *
 * The fingerprint is BLAKE2b-256("posyandu/v1/fpr" ‖ the lower-case key
 * string), its first 80 bits read as a big-endian number modulo 10^24 and
 * shown as 24 digits in six groups of four: "4829 1375 0023 8841 9070 5512". */
#ifndef POSYANDU_SYNC_KEYSTR_H
#define POSYANDU_SYNC_KEYSTR_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KEYSTR_MAX 128             /* buffer for a key string and its NUL */
#define KEYSTR_FPR_LEN 30          /* "dddd dddd dddd dddd dddd dddd" + NUL */
#define KEYSTR_VERSION 1

enum keystr_kind { KEYSTR_DISTRICT = 'd', KEYSTR_DEVICE = 'v' };

/* Encode into OUT (KEYSTR_MAX bytes). */
void keystr_encode(enum keystr_kind kind, const uint8_t ed_pk[32], const uint8_t x_pk[32],
		   char out[KEYSTR_MAX]);

/* Decode S (leading and trailing blanks ignored; all lower or all upper case).
 * WANT is the expected kind, or 0 for either; *KIND (may be NULL) gets it.
 * ERR_FORMAT with field "key" for a bad checksum, prefix, length or version. */
int keystr_decode(const char *s, int want, enum keystr_kind *kind, uint8_t ed_pk[32],
		  uint8_t x_pk[32], struct err *err);

/* The 24-digit fingerprint of a key string (as encoded, lower case). */
void keystr_fingerprint(const char *keystr, char out[KEYSTR_FPR_LEN]);
/* The same 24 digits of BLAKE2b-256(DOMAIN ‖ DATA), for other things read
 * aloud (a recovery request). */
void keystr_fingerprint_of(const char *domain, const void *data, size_t len,
			   char out[KEYSTR_FPR_LEN]);

/* Recipient key id: BLAKE2b-256("posyandu/v1/kid" ‖ X25519 pk)[0..8]. */
void keystr_kid(const uint8_t x_pk[32], uint8_t kid[8]);

/* The district's sender id in bundles and receipts, derived from its signing
 * key so a device knows it from the key string alone:
 * BLAKE2b-256("posyandu/v1/id" ‖ Ed25519 pk)[0..16]. */
void keystr_district_id(const uint8_t ed_pk[32], uint8_t id[16]);

#endif
