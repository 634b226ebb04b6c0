/* sync/frame.h: the bodies of bundle frames, as canonical JSON (jansson,
 * sorted keys, compact, ASCII), SECURITY.md §2.6; in a format 2 bundle the
 * record version is binary (below).
 *
 *   inner header  {"app":"0.1","down_ack":0,"kind":1,"posyandu":"P-0001",
 *                  "sender":"<uuid>","seq":12,"v":1}
 *   version       {"deleted":false,"device":"<uuid>","kind":1,"lamport":41,
 *                  "merges":[{"device":"<uuid>","lamport":37}],"month":-1,
 *                  "owner":"<uuid>"|"","parent":{"device":"<uuid>","lamport":40},
 *                  "payload":"<the record's JSON, as sealed>","uuid":"<uuid>",
 *                  "vid":"<uuid>"}
 *   audit anchor  {"head":"<64 hex>","seq":88}
 *   quiz key      upstream (kind 7, issue 13.2): the sender's own quiz box
 *                 key and its device signature (storage/quiz_keys.c)
 *                 {"device":"<uuid>","pk":"<64 hex>","sig":"<128 hex>"}
 *                 downstream: every other approved device of the posyandu
 *                 that has one, with its Ed25519 key; the complete list
 *                 {"keys":[{"device":"<uuid>","ed_pk":"<64 hex>",
 *                           "pk":"<64 hex>","sig":"<128 hex>"}, ...]}
 *
 * Decoding is strict: an object with exactly these keys, each of its type
 * and range, no duplicate keys, nesting at most 16 deep, strings bounded. */
#ifndef POSYANDU_SYNC_FRAME_H
#define POSYANDU_SYNC_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/audit.h"
#include "storage/sync_store.h"
#include "sync/bundle.h"

#define FRAME_DEPTH_MAX 16
#define FRAME_PAYLOAD_MAX (BUNDLE_FRAME_MAX / 2)

struct frame_inner {
	int kind;
	uint8_t sender[16];
	char posyandu[17];
	uint64_t seq;
	uint64_t down_ack;
	char app[17];
};

/* Allocated JSON (free with frame_free), or NULL when out of memory. */
char *frame_inner_encode(const struct frame_inner *h);
char *frame_version_encode(const struct sync_version *v, const char *payload, size_t len);
char *frame_anchor_encode(uint64_t audit_seq, const uint8_t head[32]);
void frame_free(char *json);

/* ERR_FORMAT (field "bundle-data") when BODY is not such a frame. */
int frame_inner_decode(const uint8_t *body, size_t len, struct frame_inner *h, struct err *err);
/* *PAYLOAD is allocated (frame_free it), NUL-terminated, *PLEN bytes. */
int frame_version_decode(const uint8_t *body, size_t len, struct sync_version *v, char **payload,
			 size_t *plen, struct err *err);
int frame_anchor_decode(const uint8_t *body, size_t len, uint64_t *audit_seq, uint8_t head[32],
			struct err *err);

/* ---- the record version of a format 2 bundle (issue 15, sync/frame_bin.c):
 * a fixed binary layout, integers big-endian, documented in
 * posyandu-bundle(5); every other frame is as in format 1.
 *   uuid(16) ‖ u8 kind ‖ owner(16, zeros: none) ‖ lamport(8) ‖ device(16)
 *   ‖ parent lamport(8) ‖ parent device(16) ‖ month(4, two's complement,
 *   -1: none) ‖ u8 flags (1 deleted) ‖ vid(16) ‖ u8 merges (0..16)
 *   ‖ merges × (lamport(8) ‖ device(16)) ‖ the payload (the rest) ---- */
#define FRAME_VERSION2_FIXED 103
/* The body's length, and the body into OUT (that many bytes). */
size_t frame_version2_size(const struct sync_version *v, size_t len);
void frame_version2_encode(const struct sync_version *v, const char *payload, size_t len,
			   uint8_t *out);
/* The same checks as frame_version_decode; *PAYLOAD points into BODY. */
int frame_version2_decode(const uint8_t *body, size_t len, struct sync_version *v,
			  const char **payload, size_t *plen, struct err *err);

/* ---- quiz keys (frame kind 7, issue 13.2) ---- */

#define FRAME_QUIZKEYS_MAX 256     /* keys one downstream list may carry */

struct frame_quizkey {
	uint8_t device[16];
	uint8_t ed_pk[32];         /* downstream only: the device's Ed25519 key */
	uint8_t pk[32];            /* its quiz box key */
	uint8_t sig[64];           /* by ED_PK over the quizbox digest */
};
/* Upstream: one key (ED_PK is not sent). */
char *frame_quizkey_encode(const struct frame_quizkey *k);
int frame_quizkey_decode(const uint8_t *body, size_t len, struct frame_quizkey *k,
			 struct err *err);
/* Downstream: the list K of N keys (N may be 0). *OUT is allocated (free()). */
char *frame_quizkeys_encode(const struct frame_quizkey *k, size_t n);
int frame_quizkeys_decode(const uint8_t *body, size_t len, struct frame_quizkey **out,
			  size_t *n, struct err *err);
/* ---- audit entries and certificates (issue 13.3): fixed binary layouts,
 * integers big-endian, documented in posyandu-bundle(5) ----
 *   audit entry (330 bytes): u8 1 ‖ u8 flags (1 signed, 2 names a version)
 *     ‖ seq ‖ time ‖ user(16) ‖ action ‖ object(16) ‖ H(detail_ct)(32)
 *     ‖ prev(32) ‖ h(32) ‖ gen ‖ uidx ‖ next_pk(32) ‖ sig(64) ‖ vid(16)
 *     ‖ vhash(32) ‖ nver ‖ maxseq (each unnamed size 8); an unsigned entry
 *     has zeros from gen on
 *   certificate (170 bytes): u8 1 ‖ store_id(16) ‖ user(16) ‖ u8 role ‖
 *     gen(8) ‖ audit_pk(32) ‖ box_pk(32) ‖ sig(64) */
#define FRAME_AUDIT_LEN 330
#define FRAME_CERT_LEN 170
void frame_audit_encode(const struct audit_wire *e, uint8_t out[FRAME_AUDIT_LEN]);
int frame_audit_decode(const uint8_t *body, size_t len, struct audit_wire *e, struct err *err);
void frame_cert_encode(const struct cert_wire *c, uint8_t out[FRAME_CERT_LEN]);
int frame_cert_decode(const uint8_t *body, size_t len, struct cert_wire *c, struct err *err);

/* Does the JSON text nest at most MAX deep (strings skipped)? */
int frame_depth_ok(const uint8_t *s, size_t len, int max);

#endif
