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

#define REC_DOMAIN "posyandu/v1/rec"         /* as storage/record.c */

/* ---- small helpers ---- */

static inline void be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline void col16(sqlite3_stmt *st, int col, uint8_t out[16])
{
	memset(out, 0, 16);
	if (sqlite3_column_type(st, col) == SQLITE_BLOB && sqlite3_column_bytes(st, col) == 16)
		memcpy(out, sqlite3_column_blob(st, col), 16);
}

static inline int need_keys(const struct store *s, struct err *err)
{
	return s->keys ? 0 : err_set(err, ERR_DENIED, NULL, "store is locked");
}

static inline int need_admin(const struct store *s, struct err *err)
{
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	if (!s->keys->has_admin || s->user.role != ROLE_ADMIN)
		return err_set(err, ERR_DENIED, NULL, "needs an admin");
	return 0;
}

/* One integer from a query with optional blob/text bindings done by the caller. */
static inline int step_int(struct store *s, sqlite3_stmt *st, int64_t *out, const char *what,
			   struct err *err)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, what);
}

/* ---- versions: sealed exactly as storage/record.c seals them ---- */

#define AD_LEN (sizeof REC_DOMAIN - 1 + 16 + 1 + 16 + 8 + 16 + 8 + 16 + 4 + 1 + 4 + 16)

static inline void make_ad(uint8_t ad[AD_LEN], const struct sync_version *v, uint32_t key_epoch)
{
	uint8_t *p = ad;
	memcpy(p, REC_DOMAIN, sizeof REC_DOMAIN - 1);
	p += sizeof REC_DOMAIN - 1;
	memcpy(p, v->uuid, 16);
	p += 16;
	*p++ = (uint8_t)v->kind;
	memcpy(p, v->owner, 16);
	p += 16;
	be(p, v->lamport, 8);
	p += 8;
	memcpy(p, v->device, 16);
	p += 16;
	be(p, v->parent.lamport, 8);
	p += 8;
	memcpy(p, v->parent.device, 16);
	p += 16;
	be(p, (uint32_t)v->month, 4);
	p += 4;
	*p++ = (uint8_t)v->deleted;
	be(p, key_epoch, 4);
	p += 4;
	memcpy(p, v->vid, 16);
}

#define VCOLS "v.seq, v.uuid, v.kind, v.owner, v.lamport, v.device, v.prev_lamport, " \
	      "v.prev_device, v.month, v.deleted, v.key_epoch, v.vid, v.nonce, v.ct"

/* Open the row of ST (columns VCOLS). An allocated plaintext (codec_free).
 * (sync_store.c) */
char *sync_row_open(struct store *s, sqlite3_stmt *st, struct sync_version *v, size_t *len,
		    struct err *err);
/* The merges V records, into V->merges (sync_store.c). */
int sync_load_merges(struct store *s, struct sync_version *v, struct err *err);

#endif
