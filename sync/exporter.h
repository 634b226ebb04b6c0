/* sync/exporter.h: making bundles from a store (ARCHITECTURE.md "Bundles
 * and sync"). A bundle is first written complete, synced and read back into
 * the private outbox of the data folder (<data>/outbox); delivering it (a
 * USB stick, an HTTP upload) copies those exact bytes.
 *
 * When a bundle is recorded (its sync_exports row and audit entry,
 * SECURITY.md §0 point 9 and §3.2 step 9): a bundle for a stick only after
 * the copy on the stick was written durably and read back equal
 * (export_upstream_make, usb_put, then sync_export_add); a failed copy
 * leaves no record and no outbox file. A bundle for an HTTP upload is
 * recorded once it is complete in the outbox (the receipt that comes back
 * names it); it stays there until that receipt. The outbox keeps only the
 * bundles the district has not acknowledged (export_prune_outbox).
 *
 * Upstream (a device to its district): the versions this device made after
 * the acknowledged watermark (or all of them with FULL), an audit anchor,
 * and what the device has received downstream. Downstream (the district to
 * one device): the versions that came from the other devices of its
 * posyandu after what that device acknowledged. */
#ifndef POSYANDU_SYNC_EXPORTER_H
#define POSYANDU_SYNC_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"
#include "storage/sync_store.h"

struct export_result {
	bool empty;                /* nothing to send: no file was written */
	struct sync_export e;      /* hash, seq, change range, versions, path */
	uint64_t size;
	char name[96];             /* the file name, e.g. P-0001_3f2a9c1e_000012.pyb */
};

/* Make an upstream bundle (admin session; the device must be enrolled). */
int export_upstream(struct store *s, bool full, struct export_result *r, struct err *err);

/* The same, calling PROGRESS (may be NULL) now and then with how far
 * through the changes it is (DONE of TOTAL), for a progress bar. */
typedef void (*export_progress_fn)(void *ctx, uint64_t done, uint64_t total);
int export_upstream_progress(struct store *s, bool full, export_progress_fn progress, void *ctx,
			     struct export_result *r, struct err *err);

/* Make an upstream bundle into the outbox WITHOUT recording it: the caller
 * delivers it, then records it with sync_export_add(), or calls
 * export_abandon() when the delivery failed. */
int export_upstream_make(struct store *s, bool full, export_progress_fn progress, void *ctx,
			 struct export_result *r, struct err *err);
/* Remove the outbox file of a bundle that was made but not recorded. */
void export_abandon(const struct export_result *r);

/* Delete the outbox files of the bundles the district has acknowledged
 * (a verified receipt, or every change in them is under the watermark),
 * and stale ".part" files. Never an unacknowledged one, never a file that
 * was not recorded. *REMOVED (may be NULL) counts the files deleted. */
int export_prune_outbox(struct store *s, size_t *removed, struct err *err);

/* Make a downstream bundle for DEVICE (district side, admin session). ACK
 * is what the device says (in a signed downstream request) it has already
 * imported; the bundle starts after the larger of that and what its
 * upstream bundles said. */
int export_downstream(struct store *s, const uint8_t device[16], uint64_t ack,
		      struct export_result *r, struct err *err);

/* Sign a digest with the store's device key: a bundle_sign_fn over a store. */
int export_sign(void *store, const uint8_t digest[64], uint8_t sig[64], struct err *err);

#endif
