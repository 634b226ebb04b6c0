/* sync/server_report.h: the district's monthly report (issue 6), per
 * posyandu and for the whole district, computed by the same core/report.c
 * as a device: each record belongs to the posyandu of the enrolled device
 * whose version of it is current. This gathers and computes; the district's
 * program (server/cmd_report.c) writes it as text, CSV or JSON.
 *
 * Each posyandu's figures are kept, sealed, between runs (issue 15,
 * storage/report_cache.h) and computed again only when a version that may
 * change that posyandu's records came in since: a report after nothing
 * changed decrypts no record, one after a posyandu's import decrypts that
 * posyandu's records only. The figures are the same as computing it all
 * again (tests/unit/test_server_report.c checks it). */
#ifndef POSYANDU_SYNC_SERVER_REPORT_H
#define POSYANDU_SYNC_SERVER_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/report.h"
#include "storage/store.h"

/* One row: a posyandu, or the district (CODE ""). */
struct server_report_row {
	char code[17];
	struct report_monthly m;
};

/* What a run did (the benchmark and the tests read it). */
struct server_report_stats {
	size_t groups;             /* posyandu codes computed or read (with "" and pending ones) */
	size_t computed;           /* of those, computed from the records */
	size_t decrypted;          /* records decrypted */
	bool cached;               /* the cache was used (false: read-only or busy store) */
};

/* The report of MONTH (a date_month_index()) as of REF_DAY (DATE_NONE: the
 * month's last day): *ROWS gets one row per posyandu code of an approved
 * or revoked device, in the order they enrolled, then the district's, so
 * *N >= 1 and the district is ROWS[*N - 1]. The district row is the sum
 * of every posyandu's figures, with those of records whose device is
 * pending or unknown here (every count of core/report.c is per person;
 * a mother is looked up within her child's posyandu, as on the device).
 * STATS may be NULL. Free *ROWS with free(). */
int server_report_monthly(struct store *s, int month, int32_t ref_day,
			  struct server_report_row **rows, size_t *n,
			  struct server_report_stats *stats, struct err *err);

/* The same computed from every record, reading and writing no cache. */
int server_report_monthly_full(struct store *s, int month, int32_t ref_day,
			       struct server_report_row **rows, size_t *n,
			       struct server_report_stats *stats, struct err *err);

#endif
