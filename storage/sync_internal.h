/* storage/sync_internal.h: what the sync_*.c files of storage/ share (the
 * store side of sync is split over sync_store.c, sync_import.c,
 * sync_device.c and sync_conflict.c). Not for other layers, nor for the
 * other storage modules: storage/sync_store.h is the public header. */
#ifndef POSYANDU_STORAGE_SYNC_INTERNAL_H
#define POSYANDU_STORAGE_SYNC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "storage/internal.h"
#include "storage/sync_store.h"

/* ---- small helpers ---- */

static inline void be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Open the row of ST (columns VCOLS). An allocated plaintext (codec_free).
 * (sync_store.c) */
char *sync_row_open(struct store *s, struct dbq *st, struct sync_version *v, size_t *len,
		    struct err *err);
/* The merges V records, into V->merges (sync_store.c). */
int sync_load_merges(struct store *s, struct sync_version *v, struct err *err);
/* Record that version (UUID, LAMPORT, DEVICE) of a record of posyandu
 * CODE merges M (sync_store.c). */
int sync_merge_add(struct store *s, const uint8_t uuid[16], uint64_t lamport,
		   const uint8_t device[16], const char *code, const struct sync_ref *m,
		   struct err *err);

/* The audit check of an import keeps the sender's chain in memory
 * (sync_import_audit.c): written with sync_aimp_flush (signatures settled
 * first; -1 at a failure), dropped with sync_aimp_free (internal.h). */
int sync_aimp_flush(struct store *s, struct err *err);

#endif
