/* sync/request.h: the small signed messages a device sends the district
 * (SECURITY.md §2.8). Fixed layouts, big-endian, so parsing has no loops an
 * attacker controls.
 *
 * Enrolment request, 272 bytes, self-signed (proof that the device holds
 * the key):
 *   0    8  magic "\x89PYQ\r\n\x1a\n"
 *   8    4  version = 1
 *   12   4  reserved, 0
 *   16  16  device id
 *   32  16  posyandu code, [A-Z0-9-], NUL-padded
 *   48  64  posyandu name, UTF-8 without control characters, NUL-padded
 *   112 32  device Ed25519 public key
 *   144 32  device X25519 public key
 *   176  8  time (unix seconds, display only)
 *   184 16  app version, NUL-padded
 *   200  8  key id of the district it is meant for
 *   208 64  Ed25519 over BLAKE2b-512("posyandu/v1/enrol\0" ‖ bytes 0..208)
 *
 * Downstream request ("send me what the other devices of my posyandu
 * made"), 104 bytes:
 *   0    8  magic "\x89PYD\r\n\x1a\n"
 *   8   16  device id
 *   24   8  time
 *   32   8  downstream acknowledged: every district change up to this one
 *           has been imported by the device
 *   40  64  Ed25519 over BLAKE2b-512("posyandu/v1/pull\0" ‖ bytes 0..40) */
#ifndef POSYANDU_SYNC_REQUEST_H
#define POSYANDU_SYNC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "sync/bundle.h"

#define ENROL_LEN 272
#define ENROL_MAGIC "\x89PYQ\r\n\x1a\n"
#define PULL_LEN 104
#define PULL_MAGIC "\x89PYD\r\n\x1a\n"

struct enrol_request {
	uint8_t device[16];
	char posyandu[17];
	char name[65];
	uint8_t ed_pk[32], x_pk[32];
	int64_t time;
	char app[17];
	uint8_t district_kid[8];
};

int enrol_make(const struct enrol_request *r, bundle_sign_fn sign, void *sign_ctx,
	       uint8_t out[ENROL_LEN], struct err *err);
/* Parse and check the self-signature (ERR_FORMAT / ERR_CRYPTO, field "request"). */
int enrol_parse(const uint8_t *buf, size_t len, struct enrol_request *r, struct err *err);

struct pull_request {
	uint8_t device[16];
	int64_t time;
	uint64_t down_ack;
};
int pull_make(const struct pull_request *r, bundle_sign_fn sign, void *sign_ctx,
	      uint8_t out[PULL_LEN], struct err *err);
/* Parse the layout only; pull_verify() checks it with the device's key. */
int pull_parse(const uint8_t *buf, size_t len, struct pull_request *r, struct err *err);
int pull_verify(const uint8_t buf[PULL_LEN], const uint8_t ed_pk[32], struct err *err);

#endif
