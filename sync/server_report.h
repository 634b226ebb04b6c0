/* sync/server_report.h: the district's monthly report (issue 6), per
 * posyandu and for the whole district, computed by the same core/report.c
 * as a device: each record belongs to the posyandu of the enrolled device
 * whose version of it is current. This gathers and computes; the district's
 * program (server/cmd_report.c) writes it as text, CSV or JSON. */
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

/* The report of MONTH (a date_month_index()) as of REF_DAY (DATE_NONE: the
 * month's last day): *ROWS gets one row per posyandu code of an approved
 * or revoked device, in the order they enrolled, then the district's, so
 * *N >= 1 and the district is ROWS[*N - 1]. Free *ROWS with free(). */
int server_report_monthly(struct store *s, int month, int32_t ref_day,
			  struct server_report_row **rows, size_t *n, struct err *err);

#endif
