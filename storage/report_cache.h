/* storage/report_cache.h: what the district's monthly report (issue 15,
 * sync/server_report.c) keeps between runs so that a report decrypts only
 * the posyandu whose records changed since it was last computed.
 *
 * Three tables (storage/migrate.c step 12), all maintained from the report
 * side, never by the import (the import only appends versions):
 *   - report_cache: one sealed result per (posyandu code, month, reference
 *     day), stamped with the versions.seq up to which changes had been
 *     scanned when it was computed, and with a digest of the devices of
 *     that code (which records belong to a code depends on them);
 *   - report_changes: per posyandu code, the highest versions.seq that may
 *     change the records of that code (a superset: every code that ever
 *     held the record, see report_cache.c); report_scan: how far versions
 *     have been scanned into it;
 *   - report_owners: (person, visit) pairs, so that the visits of one
 *     posyandu's people are found without reading every version row.
 *
 * A cached result is current when its stamp is at least its code's change
 * sequence and its device digest, format and key epoch are today's. The
 * result itself is opaque here (sync/ gives and takes bytes); it is sealed
 * under a key derived from the record key, with its clear columns as
 * associated data, so it reads only in an unlocked session and cannot be
 * moved to another row. */
#ifndef POSYANDU_STORAGE_REPORT_CACHE_H
#define POSYANDU_STORAGE_REPORT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/person.h"
#include "storage/store.h"

#define RCACHE_CODE_MAX 17         /* a posyandu code and its NUL */

/* Bring report_changes and report_owners up to the newest version (a short
 * write transaction; none when nothing changed). ERR_BUSY when another
 * writer holds the store, ERR_DENIED (field "readonly") on a read-only
 * store: the caller then computes without the cache. */
int rcache_scan(struct store *s, struct err *err);

/* A read transaction over which a report is computed, so that what it
 * reads and the stamp it gets (*SCANNED) agree; *CURRENT is false when
 * versions came in after the last scan (a result kept is then current as
 * of the scan, not of the snapshot: scan again). End it with
 * rcache_read_end whatever happened. */
int rcache_read_begin(struct store *s, uint64_t *scanned, bool *current, struct err *err);
void rcache_read_end(struct store *s);

/* Which result: the code ("" = records of no enrolled device), month,
 * reference day, and what it was computed with. */
struct rcache_key {
	const char *code;
	int month;
	int32_t ref_day;
	uint32_t format;           /* the caller's layout and rules */
	uint8_t devices[32];       /* digest of the devices that make up the code */
};

/* The cached result of K into BODY (LEN bytes) when it is current: 1; 0
 * when there is none, it is stale, or it does not open (it is then
 * computed again and replaced). Inside rcache_read_begin. */
int rcache_get(struct store *s, const struct rcache_key *k, void *body, size_t len,
	       struct err *err);

/* The people of code K->code whose current version a device of that code
 * made (the district's rule, sync/server_report.h), in change order, and
 * their current visits: allocated in the arena (store_free them). */
int rcache_load_code(struct store *s, const char *code, struct person **people, size_t *np,
		     struct visit **visits, size_t *nv, struct err *err);

/* Keep the results: N keys and bodies of LEN bytes each, stamped STAMP
 * (the *SCANNED of the read they were computed in), one write transaction.
 * A row is only replaced by one at least as new, so concurrent reports
 * cannot put an older result back. */
int rcache_put(struct store *s, const struct rcache_key *k, const void *const *body, size_t n,
	       size_t len, uint64_t stamp, struct err *err);

#endif
