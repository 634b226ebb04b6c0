/* sync/rekey.h: a device's new key pair, approved by its district
 * (SECURITY.md §2.9, issue 13.10; storage/devkey.h holds the device side).
 *
 * 1. The device (admin) makes a new pair and a request, signed by the old
 *    key AND by the new one (cross-signed); it keeps signing with the old
 *    key. The admin reads the request's 24-digit fingerprint to the officer.
 * 2. The district checks both signatures, that the old key is the one
 *    enrolled for that device (approved, not revoked) and the digits the
 *    officer typed; it replaces the device's keys (with an entry) and
 *    answers with a file signed by the district key.
 * 3. The device checks the district's signature with its pinned district
 *    key and switches to the new pair (store_devkey_switch).
 * A bundle the device signed with the old key that reaches the district
 * after step 2 is refused (signature failure): nothing is lost, the
 * device's next export carries every change the district has not
 * acknowledged. A downstream bundle sealed to the old X25519 key does not
 * open after step 3 and is not acknowledged: the next one carries it.
 *
 * Request, 320 bytes, big-endian:
 *   0    8  magic "\x89PYN\r\n\x1a\n", 8 4 version = 1, 12 4 reserved
 *   16  16  device id
 *   32  16  posyandu code, NUL-padded
 *   48  32  old Ed25519 public key     80  32  old X25519 public key
 *   112 32  new Ed25519 public key     144 32  new X25519 public key
 *   176  8  time (display only)
 *   184  8  key id of the district it is meant for
 *   192 64  old key: Ed25519 over BLAKE2b-512("posyandu/v1/rekey-old\0" ‖ 0..192)
 *   256 64  new key: Ed25519 over BLAKE2b-512("posyandu/v1/rekey-new\0" ‖ 0..256)
 * Answer, 200 bytes:
 *   0    8  magic "\x89PYC\r\n\x1a\n", 8 4 version = 1, 12 4 reserved
 *   16  16  device id
 *   32  32  BLAKE2b-256 of the request
 *   64  32  new Ed25519 public key     96  32  new X25519 public key
 *   128  8  time
 *   136 64  district key: Ed25519 over BLAKE2b-512("posyandu/v1/rekey-answer\0" ‖ 0..136) */
#ifndef POSYANDU_SYNC_REKEY_H
#define POSYANDU_SYNC_REKEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/devkey.h"
#include "storage/store.h"
#include "sync/keystr.h"

#define REKEY_LEN 320
#define REKEY_MAGIC "\x89PYN\r\n\x1a\n"
#define REKEY_ANSWER_LEN 200
#define REKEY_ANSWER_MAGIC "\x89PYC\r\n\x1a\n"

struct rekey_request {
	uint8_t device[16];
	char posyandu[17];
	uint8_t old_ed[32], old_x[32], new_ed[32], new_x[32];
	int64_t time;
	uint8_t district_kid[8];
};

/* The request's fingerprint, read aloud on the phone. */
void rekey_fingerprint(const uint8_t req[REKEY_LEN], char fpr[KEYSTR_FPR_LEN]);
/* Parse REQ and check both signatures. */
int rekey_parse(const uint8_t *req, size_t len, struct rekey_request *r, struct err *err);

/* Device (admin, enrolled): a new pending pair (or the one still waiting,
 * when an answer was lost) and its request in OUT. */
int rekey_request(struct store *s, uint8_t out[REKEY_LEN], struct err *err);
/* District (admin): check REQ, compare FPR (the digits the officer typed;
 * spaces do not count) and replace the device's keys; ANSWER gets the
 * signed answer. The same request again gives the same keys and a new
 * answer. */
int rekey_accept(struct store *s, const uint8_t *req, size_t len, const char *fpr,
		 struct rekey_request *r, uint8_t answer[REKEY_ANSWER_LEN], struct err *err);
/* Device (admin, PIN her own): check the district's ANSWER and switch. */
int rekey_finish(struct store *s, const uint8_t *answer, size_t len, const char *pin,
		 size_t pin_len, struct store_devkey_stats *st, struct err *err);

#endif
