/* sync/importer.h: the import pipeline of SECURITY.md §2.6, in its order:
 *
 *   1. lstat: a regular file, not a symlink, between the smallest possible
 *      bundle and the cap; copied once into a private spool (O_EXCL, 0600,
 *      unlinked at once) while hashing; the source is never read again
 *   2. magic, major version, reserved bytes, trailer, sizes agree
 *   3. the sender: an approved, unrevoked device (district side), or the
 *      pinned district (device side)
 *   4. the Ed25519 signature, before anything is decrypted
 *   5. the recipient key id is ours
 *   6. a bundle hash seen before: success, 0 changes, the stored receipt
 *   7. the sealed file key opens
 *   8. every chunk decrypts, MESSAGE ... FINAL, the trailer right after;
 *      versions are staged inside one BEGIN IMMEDIATE
 *   9. every record is validated; inner and outer header agree; every
 *      version of a device bundle is that device's; Lamport jumps bounded
 *  10. applied idempotently, audited, COMMIT; then the signed receipt
 *
 * Any failure rolls back: nothing of a rejected bundle is ever visible. */
#ifndef POSYANDU_SYNC_IMPORTER_H
#define POSYANDU_SYNC_IMPORTER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"
#include "sync/bundle.h"
#include "sync/receipt.h"

struct import_opts {
	bool district;             /* the district server importing device bundles */
	uint64_t max_size;         /* 0 = BUNDLE_MAX_SIZE */
};

struct import_result {
	enum bundle_class cls;
	struct bundle_header h;    /* valid from step 2 on */
	uint8_t hash[32];
	uint32_t n_new, n_dup;
	bool has_receipt;          /* district side: the receipt to give back */
	uint8_t receipt[RECEIPT_LEN];
	bool seq_regression;       /* an older sequence than seen before: a restored backup? */
	char posyandu_name[65];    /* district side: from the enrolment */
	bool audit_unchecked;      /* district side: no audit frames (an old device) */
};

/* Import the bundle at PATH. 0 for success and duplicate (R->cls tells
 * which); -1 with ERR filled and R->cls the class of the failure. */
int import_bundle(struct store *s, const char *path, const struct import_opts *o,
		  struct import_result *r, struct err *err);

/* The same from step 2 on, for a file already in the private spool (the
 * HTTP server writes uploads there): FD is read with pread only. */
int import_spooled(struct store *s, int fd, uint64_t size, const struct import_opts *o,
		   struct import_result *r, struct err *err);

/* Device side: a receipt from the district (HTTP answer or a file from the
 * stick). Verified against the pinned district key, for this device, for a
 * bundle this device made; then the watermark moves. *ALREADY when it had
 * been applied before (nothing changes). ERR_FORMAT / ERR_CRYPTO /
 * ERR_NOTFOUND with field "receipt". */
int import_receipt(struct store *s, const uint8_t *buf, size_t len, struct receipt *r,
		   bool *already, uint64_t *watermark, struct err *err);

/* A private spool file in the data folder, already unlinked. -1 on error. */
int import_spool_open(struct store *s, struct err *err);

#endif
