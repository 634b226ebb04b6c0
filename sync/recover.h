/* sync/recover.h: the district's answer to a recovery request (SECURITY.md
 * §2.2 "Recovery slot", §4 "lost passphrase"; issue 13.10). Fixed-size
 * files, big-endian.
 *
 * Request (device to district, 416 bytes, NOT signed: the locked device has
 * no usable key; the fingerprint read aloud on the phone protects it):
 *   0    8  magic 89 50 59 51 0D 0A 1A 0A ("\x89PYQ\r\n\x1a\n")
 *   8    4  version = 1
 *   12   4  reserved, 0
 *   16  16  store id
 *   32  16  device id
 *   48  16  posyandu code, NUL padded
 *   64  32  request X25519 public key
 *   96   8  created (unix seconds)
 *   104 32  the district X25519 key the recovery slot is sealed to
 *   136 144 the recovery slot: crypto_box_seal(K_data ‖ K_quiz ‖ K_admin)
 *   280 136 the device secret keys: nonce ‖ XChaCha20-Poly1305(K_admin,
 *           Ed25519 sk ‖ X25519 sk), as the store keeps them
 * Its fingerprint: BLAKE2b-256("posyandu/v1/fpr" ‖ "recover" ‖ the 416
 * bytes), 80 bits as 24 digits in six groups, as sync/keystr.c.
 *
 * Response (district to device, 344 bytes, signed by the district):
 *   0    8  magic 89 50 59 41 0D 0A 1A 0A ("\x89PYA\r\n\x1a\n")
 *   8    4  version = 1
 *   12   4  reserved, 0
 *   16  16  district id
 *   32  16  store id
 *   48  16  device id
 *   64  32  request X25519 public key
 *   96  32  BLAKE2b-256 of the request file
 *   128  8  created (unix seconds)
 *   136 144 crypto_box_seal(K_data ‖ K_quiz ‖ K_admin, request key)
 *   280 64  Ed25519 over BLAKE2b-512("posyandu/v1/recover\0" ‖ bytes 0..280) */
#ifndef POSYANDU_SYNC_RECOVER_H
#define POSYANDU_SYNC_RECOVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/recover.h"
#include "storage/store.h"
#include "sync/keystr.h"

#define RECOVER_REQ_LEN 416
#define RECOVER_RESP_LEN 344
#define RECOVER_REQ_MAGIC "\x89PYQ\r\n\x1a\n"
#define RECOVER_RESP_MAGIC "\x89PYA\r\n\x1a\n"

struct recover_request {
	uint8_t device[16];
	char posyandu[17];
	uint8_t req_pk[32];
	int64_t created;
	struct recover_blobs b;
};

/* Device, locked: make the request for the new admin ADMIN with its new
 * PIN into OUT; FPR gets its fingerprint. */
int recover_request_make(struct store *s, const char *admin, const char *pin, size_t pin_len,
			 const struct kdf_params *kdf, uint8_t out[RECOVER_REQ_LEN],
			 char fpr[KEYSTR_FPR_LEN], struct err *err);
int recover_request_parse(const uint8_t *buf, size_t len, struct recover_request *r,
			  struct err *err);
void recover_fingerprint(const uint8_t req[RECOVER_REQ_LEN], char fpr[KEYSTR_FPR_LEN]);
/* Do the digits TYPED (spaces and dashes ignored) match FPR? */
int recover_fingerprint_same(const char *typed, const char *fpr);

/* District (admin session): check the device is enrolled and approved for
 * the posyandu, open and re-seal, sign. */
int recover_answer(struct store *s, const uint8_t *req, size_t len,
		   uint8_t out[RECOVER_RESP_LEN], struct err *err);

/* Device, locked: finish with the PIN chosen at request time. On success
 * the new admin exists (ADMIN gets the name) and the store is locked. */
int recover_finish(struct store *s, const uint8_t *resp, size_t len, const char *pin,
		   size_t pin_len, const struct kdf_params *kdf, char admin[33], struct err *err);

#endif
