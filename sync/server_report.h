/* sync/server_report.h: the district's monthly report (issue 6), per
 * posyandu and for the whole district, computed by the same core/report.c
 * as a device: each record belongs to the posyandu of the enrolled device
 * whose version of it is current. */
#ifndef POSYANDU_SYNC_SERVER_REPORT_H
#define POSYANDU_SYNC_SERVER_REPORT_H

#include <stdio.h>

#include "core/err.h"
#include "storage/store.h"

enum server_report_format { SRF_TEXT, SRF_CSV, SRF_JSON };

/* Write the report of MONTH (a date_month_index()) as of REF_DAY
 * (DATE_NONE: the month's last day) to OUT. */
int server_report_monthly(struct store *s, int month, int32_t ref_day,
			  enum server_report_format fmt, FILE *out, struct err *err);

#endif
