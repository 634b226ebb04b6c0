/* storage/clock.c: the one clock (storage/clock.h). */
#include "storage/clock.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/banned.h"

static struct {
	bool init, fixed;
	int64_t base;              /* POSYANDU_NOW as Unix seconds */
	struct timespec start;     /* CLOCK_MONOTONIC when the clock was read first */
} clk;

/* "YYYY-MM-DDTHH:MM[:SS]" (a space for the T too) or "YYYY-MM-DD", local. */
static int parse_now(const char *s, int64_t *out)
{
	int y, mo, d, h = 12, mi = 0, sec = 0, n = 0;
	struct tm tm;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	s += n;
	if (*s == 'T' || *s == ' ') {
		n = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &n) != 2)
			return -1;
		s += 1 + n;
		if (*s == ':') {
			n = 0;
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1)
				return -1;
			s += 1 + n;
		}
	}
	if (*s || !date_valid_ymd(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
	    sec > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

static void clock_init(void)
{
	const char *env = getenv(CLOCK_ENV);

	if (clk.init)
		return;
	clk.init = true;
	clock_gettime(CLOCK_MONOTONIC, &clk.start);
	clk.fixed = env && *env && parse_now(env, &clk.base) == 0;
}

int clock_check(struct err *err)
{
	const char *env = getenv(CLOCK_ENV);
	int64_t t;

	clock_init();
	if (env && *env && parse_now(env, &t) < 0)
		return err_set(err, ERR_FORMAT, CLOCK_ENV, "%s", env);
	return 0;
}

int64_t clock_now(void)
{
	struct timespec ts;

	clock_init();
	if (!clk.fixed)
		return (int64_t)time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return clk.base + (int64_t)(ts.tv_sec - clk.start.tv_sec) -
	       (ts.tv_nsec < clk.start.tv_nsec ? 1 : 0);
}

long clock_utc_offset(void)
{
	time_t now = (time_t)clock_now();
	struct tm tm;

	localtime_r(&now, &tm);
	return tm.tm_gmtoff;
}

int32_t clock_today(void)
{
	int64_t now = clock_now();
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	return date_from_unix(now + tm.tm_gmtoff);
}

void clock_reset(void)
{
	clk.init = false;
}
