/* sync/: bundles and their transport, through storage's API, never SQL.
 * bundle + frame (the file), exporter/importer, receipt + request +
 * signed (the signed small messages), enrol, keystr (keys as text), usb
 * and durable (the stick), http_client + netsync (the device's side),
 * server + server_report (the district's engine, libmicrohttpd). */
/* sync/bundle.h: the bundle file, formats 1 and 2 (SECURITY.md §2.6, documented
 * byte by byte in man/posyandu-bundle.5).
 *
 *   0    200  clear header: magic, version, kind, sender, recipient key id,
 *             posyandu code, sequence, created, change range, sealed file
 *             key, secretstream header
 *   200  ...  crypto_secretstream_xchacha20poly1305 chunks of 65,536 + 17
 *             bytes (the last 1..65,536 + 17, tagged FINAL); the associated
 *             data of every chunk is BLAKE2b-256(header)
 *   end-88    trailer: "PYBEND01", frames, chunks, plaintext length
 *   end-64    Ed25519 over BLAKE2b-512("posyandu/v1/bundle\0" ‖ bytes 0..end-64)
 *
 * The plaintext is a sequence of frames: u32 length (of type and body,
 * 1..1 MiB) ‖ u8 type ‖ body. An inner header comes first, END last.
 * Format 2 (the default since issue 15) has binary record versions and
 * "PYBEND02" as its trailer magic; format 1 is still read.
 *
 * The writer streams: frames go in, chunks come out through a callback, and
 * nothing but one 64 KiB chunk is held in memory. The reader works on a file
 * descriptor of a private copy; every loop before the signature check is
 * bounded by the size cap, and nothing is decrypted before the signature
 * and the recipient have been checked (sync/importer.c keeps that order). */
#ifndef POSYANDU_SYNC_BUNDLE_H
#define POSYANDU_SYNC_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define BUNDLE_MAGIC "\x89PYB\r\n\x1a\n"
#define BUNDLE_END_MAGIC "PYBEND01"               /* format 1 */
#define BUNDLE_END_MAGIC2 "PYBEND02"              /* format 2 */
#define BUNDLE_SIG_DOMAIN "posyandu/v1/bundle"     /* hashed with its NUL */
/* Format 2 (issue 15) differs from 1 only in its record version frames
 * (binary, sync/frame.h) and its trailer magic, so that a format 1 file
 * with its major changed still fails at the header. The writer makes 2 by
 * default; the reader reads both. */
#define BUNDLE_MAJOR 2
#define BUNDLE_MINOR 0
#define BUNDLE_HEADER_LEN 200
#define BUNDLE_TRAILER_LEN 88
#define BUNDLE_CHUNK 65536
#define BUNDLE_CHUNK_OVERHEAD 17
#define BUNDLE_MIN_SIZE (BUNDLE_HEADER_LEN + 1 + BUNDLE_CHUNK_OVERHEAD + BUNDLE_TRAILER_LEN)
#define BUNDLE_MAX_SIZE (256ull << 20)            /* default cap: 256 MiB */
#define BUNDLE_FRAME_MAX (1u << 20)
#define BUNDLE_SEALED_LEN 80                      /* crypto_box_seal of 32 bytes */

enum bundle_kind {
	BUNDLE_UP = 1,             /* device to district */
	BUNDLE_DOWN = 2,           /* district to device */
	BUNDLE_FULL = 3,           /* device to district, everything again */
};

enum bundle_frame {
	FRAME_HEADER = 1,          /* inner header (JSON), first */
	FRAME_VERSION = 2,         /* one record version (JSON) */
	FRAME_ANCHOR = 3,          /* audit anchor (JSON) */
	FRAME_KEYUPDATE = 4,       /* district key update: not in this version */
	FRAME_AUDIT = 5,           /* one audit entry of the device (binary, issue 13.3) */
	FRAME_CERT = 6,            /* one user certificate of the device (binary) */
	FRAME_QUIZKEY = 7,         /* signed quiz box keys (issue 13.2): sync/frame.h */
	FRAME_END = 0xFF,          /* last; nothing may follow */
};

/* Outcome classes of reading a bundle, after age's testkit (SECURITY.md §2.6). */
enum bundle_class {
	BUNDLE_OK = 0,
	BUNDLE_DUPLICATE,          /* already imported: success, 0 changes */
	BUNDLE_HEADER,             /* magic, version, reserved bytes, sizes */
	BUNDLE_UNKNOWN_DEVICE,
	BUNDLE_PENDING_DEVICE,
	BUNDLE_REVOKED_DEVICE,
	BUNDLE_SIGNATURE,
	BUNDLE_WRONG_RECIPIENT,
	BUNDLE_NO_MATCH,           /* the sealed file key does not open */
	BUNDLE_PAYLOAD,            /* the encrypted stream or its framing */
	BUNDLE_DATA,               /* a frame decrypts but is not valid data */
	BUNDLE_TOO_LARGE,
	BUNDLE_LOCAL,              /* not the file's fault: disk full, I/O, database */
	BUNDLE__COUNT
};
/* The trailer magic of format MAJOR (1 or 2). */
const char *bundle_end_magic(unsigned major);

/* "success", "header failure", ... as in the corpus files. */
const char *bundle_class_name(enum bundle_class c);
/* The HTTP status the district answers an upload of class C with (200 for
 * OK and DUPLICATE; 503, "try again", for what is not the file's fault). */
int bundle_class_http(enum bundle_class c);
/* The class named NAME, or -1. */
int bundle_class_from_name(const char *name);

struct bundle_header {
	uint16_t major, minor;
	uint8_t kind;              /* enum bundle_kind */
	uint8_t sender[16];
	uint8_t kid[8];            /* recipient key id */
	char posyandu[17];         /* NUL-terminated */
	uint64_t seq;
	int64_t created;           /* unix seconds, display only */
	uint64_t first_change, last_change;
	uint8_t sealed_key[BUNDLE_SEALED_LEN];
	uint8_t ss_header[24];
	uint8_t raw[BUNDLE_HEADER_LEN];   /* the header bytes, as read or written */
};

struct bundle_trailer {
	uint32_t frames, chunks;
	uint64_t plain_len;
	uint8_t sig[64];
};

/* ---- writing ---- */

typedef int (*bundle_out_fn)(void *ctx, const void *buf, size_t len, struct err *err);
/* Sign the 64-byte digest with the sender's Ed25519 key (storage keeps it). */
typedef int (*bundle_sign_fn)(void *ctx, const uint8_t digest[64], uint8_t sig[64],
			      struct err *err);

struct bundle_writer;

/* Start a bundle: H's kind, sender, posyandu, seq, created and change range
 * are used, and its major (0: BUNDLE_MAJOR; 1 writes format 1, whose
 * version frames the caller encodes as JSON); the rest is filled in; the file key is sealed to RECIPIENT_X_PK
 * and the header goes out at once. */
struct bundle_writer *bundle_writer_new(const struct bundle_header *h,
					const uint8_t recipient_x_pk[32], bundle_out_fn out,
					void *out_ctx, struct err *err);
/* Append one frame (TYPE and BODY of LEN bytes, 1 + LEN <= BUNDLE_FRAME_MAX). */
int bundle_writer_frame(struct bundle_writer *w, uint8_t type, const void *body, size_t len,
			struct err *err);
/* Append the END frame, the FINAL chunk, the trailer and the signature.
 * HASH (32 bytes) gets BLAKE2b-256 of the whole file; SIZE its length. */
int bundle_writer_finish(struct bundle_writer *w, bundle_sign_fn sign, void *sign_ctx,
			 uint8_t hash[32], uint64_t *size, struct err *err);
void bundle_writer_free(struct bundle_writer *w);          /* wipes; NULL is fine */

/* ---- reading (steps 2, 4 and 8 of the import pipeline) ---- */

/* Parse and check the header and trailer of a file of SIZE bytes (step 2):
 * magic, major version, reserved bytes, kind, code, trailer magic, and that
 * chunk count, plaintext length and size agree. *CLS gets BUNDLE_HEADER
 * (ERR_VERSION for an unknown major, ERR_FORMAT otherwise) on failure. */
int bundle_parse(const uint8_t head[BUNDLE_HEADER_LEN], const uint8_t tail[BUNDLE_TRAILER_LEN],
		 uint64_t size, struct bundle_header *h, struct bundle_trailer *t,
		 enum bundle_class *cls, struct err *err);

/* Verify the signature over bytes 0..SIZE-64 of FD with ED_PK (step 4). */
int bundle_verify(int fd, uint64_t size, const struct bundle_trailer *t, const uint8_t ed_pk[32],
		  struct err *err);

/* Called with each frame after the inner header check is the caller's:
 * TYPE, BODY (valid only during the call). Return -1 (with ERR set) to stop;
 * the read then ends with BUNDLE_DATA. */
typedef int (*bundle_frame_fn)(void *ctx, uint8_t type, const uint8_t *body, size_t len,
			       struct err *err);

/* Decrypt the chunks of FD with FILE_KEY and hand out the frames (step 8):
 * every chunk but the last MESSAGE, the last FINAL, the trailer right after
 * it, the frame count as the trailer says, END last. *CLS gets
 * BUNDLE_PAYLOAD, or BUNDLE_DATA when FN refused a frame. */
int bundle_decrypt(int fd, const struct bundle_header *h, const struct bundle_trailer *t,
		   const uint8_t file_key[32], bundle_frame_fn fn, void *ctx,
		   enum bundle_class *cls, struct err *err);

/* Read exactly LEN bytes at OFF (EINTR and short reads handled). */
int bundle_pread(int fd, void *buf, size_t len, uint64_t off, struct err *err);
/* BLAKE2b of PREFIX (PREFIX_LEN bytes) and bytes [0, END) of FD, OUT_LEN
 * bytes long, into OUT. */
int bundle_hash(int fd, uint64_t end, const char *prefix, size_t prefix_len, uint8_t *out,
		size_t out_len, struct err *err);

#endif
