/* storage/clock.h: the one clock. Every "now" and "today" of the product
 * (version and audit times, the day a visit is dated, the month a report
 * runs on, bundle and receipt times) comes from here, so that one
 * environment variable fixes it for tests and demonstrations:
 *
 *   POSYANDU_NOW=2026-12-31T23:30      local time (seconds optional; a bare
 *                                      YYYY-MM-DD is noon of that day)
 *
 * The clock then starts at that instant and runs on in real time. It lives
 * in storage/, the lowest layer that may read the environment and the system
 * clock, because the store stamps versions with it; app/ and the front ends
 * call the same functions. Security waits (the PIN back-off) never use it:
 * they read the real time, so POSYANDU_NOW cannot shorten a wait. */
#ifndef POSYANDU_STORAGE_CLOCK_H
#define POSYANDU_STORAGE_CLOCK_H

#include <stdint.h>

#include "core/err.h"

#define CLOCK_ENV "POSYANDU_NOW"

/* 0, or -1 (ERR_FORMAT, field POSYANDU_NOW) when the variable is set but is
 * not a date and time. Front ends call it first and refuse to run on a bad
 * value; after a failed check the clock falls back to the system time. */
int clock_check(struct err *err);
/* Seconds since the epoch, UTC. */
int64_t clock_now(void);
/* Seconds east of UTC of local time at clock_now(). */
long clock_utc_offset(void);
/* The local day (core/date.h day number) of clock_now(). */
int32_t clock_today(void);
/* Read POSYANDU_NOW again at the next call (tests change it). */
void clock_reset(void);

#endif
