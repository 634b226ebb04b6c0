/* core/date.h: calendar dates as whole days, ages, and the DD-MM-YYYY form
 * Indonesian registers use. A date is a day number: days since 1970-01-01 in
 * the proleptic Gregorian calendar, so subtracting two dates gives an age in
 * days exactly as WHO Anthro computes it. */
#ifndef POSYANDU_CORE_DATE_H
#define POSYANDU_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define DATE_NONE INT32_MIN      /* "no date"; every function below rejects it */
#define DATE_BUFSZ 11            /* "DD-MM-YYYY" + NUL */

int32_t date_from_ymd(int y, int m, int d);          /* no validation */
void date_to_ymd(int32_t day, int *y, int *m, int *d);
bool date_valid_ymd(int y, int m, int d);             /* 1900..2199 */
int date_days_in_month(int y, int m);

/* Parse "DD-MM-YYYY" (also "/" or "." as separators, one-digit day/month)
 * or ISO "YYYY-MM-DD". Leading/trailing blanks allowed. */
int date_parse(const char *s, int32_t *day, struct err *err);
/* Write "DD-MM-YYYY" into BUF (DATE_BUFSZ bytes); returns BUF. */
char *date_format(int32_t day, char *buf);
/* Write "YYYY-MM-DD" into BUF (DATE_BUFSZ bytes); returns BUF. */
char *date_format_iso(int32_t day, char *buf);

/* Day number of a Unix time (seconds), UTC. Callers pass local-adjusted time. */
int32_t date_from_unix(int64_t secs);

/* Completed months between DOB and DAY (calendar rule: the day of month must
 * be reached). Negative if DAY < DOB. */
int date_age_months(int32_t dob, int32_t day);

/* Month index: year * 12 + (month - 1). Consecutive months differ by 1. */
int date_month_index(int32_t day);
/* Parse "YYYY-MM" into a month index. */
int date_parse_month(const char *s, int *month_index, struct err *err);
/* Write "YYYY-MM" (8 bytes incl. NUL). */
char *date_format_month(int month_index, char *buf);

#endif
