/* core/date.c: day numbers <-> civil dates (H. Hinnant's days_from_civil). */
#include "core/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (mm <= 2);
	*m = (int)mm;
	*d = (int)dd;
}

int date_days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

/* Read 1..MAXD digits; returns the number of digits read. */
static int digits(const char **p, int maxd, int *out)
{
	int n = 0, v = 0;
	while (n < maxd && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n;
}

int date_parse(const char *s, int32_t *day, struct err *err)
{
	int a, b, c, na, nb, nc, y, m, d;
	char sep;

	if (!s)
		return err_set(err, ERR_REQUIRED, "date", "no date");
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return err_set(err, ERR_REQUIRED, "date", "empty date");
	na = digits(&s, 4, &a);
	sep = *s;
	if (!na || (sep != '-' && sep != '/' && sep != '.'))
		return err_set(err, ERR_FORMAT, "date", "expected DD-MM-YYYY");
	s++;
	nb = digits(&s, 2, &b);
	if (!nb || *s != sep)
		return err_set(err, ERR_FORMAT, "date", "expected DD-MM-YYYY");
	s++;
	nc = digits(&s, 4, &c);
	while (isspace((unsigned char)*s))
		s++;
	if (*s || !nc)
		return err_set(err, ERR_FORMAT, "date", "expected DD-MM-YYYY");
	if (na == 4 && sep == '-' && nc <= 2) {          /* ISO YYYY-MM-DD */
		y = a; m = b; d = c;
	} else if (na <= 2 && nc == 4) {
		d = a; m = b; y = c;
	} else {
		return err_set(err, ERR_FORMAT, "date", "expected DD-MM-YYYY");
	}
	if (!date_valid_ymd(y, m, d))
		return err_set(err, ERR_RANGE, "date", "no such date %02d-%02d-%04d", d, m, y);
	*day = date_from_ymd(y, m, d);
	return 0;
}

/* DAY as DD-MM-YYYY, or YYYY-MM-DD when ISO; "" for DATE_NONE. */
static char *format(int32_t day, char *buf, bool iso)
{
	int y, m, d;
	unsigned yy, mm, dd;

	if (day == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(day, &y, &m, &d);
	yy = (unsigned)y % 10000u;
	mm = (unsigned)m % 100u;
	dd = (unsigned)d % 100u;
	if (iso)
		snprintf(buf, DATE_BUFSZ, "%04u-%02u-%02u", yy, mm, dd);
	else
		snprintf(buf, DATE_BUFSZ, "%02u-%02u-%04u", dd, mm, yy);
	return buf;
}

char *date_format(int32_t day, char *buf)
{
	return format(day, buf, false);
}

char *date_format_iso(int32_t day, char *buf)
{
	return format(day, buf, true);
}

int32_t date_from_unix(int64_t secs)
{
	int64_t d = secs / 86400;
	if (secs < 0 && secs % 86400)
		d--;
	return (int32_t)d;
}

int date_age_months(int32_t dob, int32_t day)
{
	int y1, m1, d1, y2, m2, d2, months;
	date_to_ymd(dob, &y1, &m1, &d1);
	date_to_ymd(day, &y2, &m2, &d2);
	months = (y2 - y1) * 12 + (m2 - m1);
	/* A month counts once its day is reached, or the month's last day when it
	 * is shorter. The same rule before birth rounds down, so DAY < DOB is
	 * always negative (a day before birth is -1, not 0). */
	if (d2 < d1 && d2 < date_days_in_month(y2, m2))
		months--;
	return months;
}

int date_month_index(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y * 12 + (m - 1);
}

int date_parse_month(const char *s, int *month_index, struct err *err)
{
	int y, m, n;
	if (!s || sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || s[n] != '\0' || n != 7)
		return err_set(err, ERR_FORMAT, "month", "expected YYYY-MM");
	if (y < 1900 || y > 2199 || m < 1 || m > 12)
		return err_set(err, ERR_RANGE, "month", "no such month");
	*month_index = y * 12 + (m - 1);
	return 0;
}

char *date_format_month(int month_index, char *buf)
{
	snprintf(buf, 8, "%04u-%02u", (unsigned)(month_index / 12) % 10000u,
		 (unsigned)(month_index % 12 + 1) % 100u);
	return buf;
}
