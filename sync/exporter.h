/* sync/exporter.h: making bundles from a store (ARCHITECTURE.md "Bundles
 * and sync"). A bundle is first written complete, synced and read back into
 * the private outbox of the data folder (<data>/outbox); delivering it (a
 * USB stick, an HTTP upload) copies those exact bytes.
 *
 * Upstream (a device to its district): the versions this device made after
 * the acknowledged watermark (or all of them with FULL), an audit anchor,
 * and what the device has received downstream. Downstream (the district to
 * one device): the versions that came from the other devices of its
 * posyandu after what that device acknowledged. */
#ifndef POSYANDU_SYNC_EXPORTER_H
#define POSYANDU_SYNC_EXPORTER_H

#include <stdbool.h>
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

/* Make a downstream bundle for DEVICE (district side, admin session). ACK
 * is what the device says (in a signed downstream request) it has already
 * imported; the bundle starts after the larger of that and what its
 * upstream bundles said. */
int export_downstream(struct store *s, const uint8_t device[16], uint64_t ack,
		      struct export_result *r, struct err *err);

/* Sign a digest with the store's device key: a bundle_sign_fn over a store. */
int export_sign(void *store, const uint8_t digest[64], uint8_t sig[64], struct err *err);

#endif
