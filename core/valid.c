/* core/valid.c: field validators (messages are chosen in tui/ by code+field). */
#include "core/valid.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/banned.h"

int valid_decimal(const char *s, const char *field, double *out, struct err *err)
{
	char buf[32];
	size_t n = 0;
	int seps = 0, digs = 0;

	if (!s)
		return err_set(err, ERR_REQUIRED, field, "missing");
	while (isspace((unsigned char)*s))
		s++;
	for (; *s && !isspace((unsigned char)*s); s++) {
		if (n + 1 >= sizeof buf)
			return err_set(err, ERR_FORMAT, field, "number too long");
		if (*s == ',' || *s == '.') {
			seps++;
			buf[n++] = '.';
		} else if (isdigit((unsigned char)*s)) {
			digs++;
			buf[n++] = *s;
		} else {
			return err_set(err, ERR_FORMAT, field, "not a number");
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || seps > 1)
		return err_set(err, ERR_FORMAT, field, "not a number");
	if (!digs)
		return err_set(err, n ? ERR_FORMAT : ERR_REQUIRED, field, n ? "not a number" : "missing");
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (!isfinite(*out))
		return err_set(err, ERR_RANGE, field, "not a finite number");
	return 0;
}

/* Length of the UTF-8 sequence starting with byte C, 0 if invalid lead. */
static int utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0 && c >= 0xC2)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

int valid_name(const char *s, const char *field, struct err *err)
{
	size_t len;
	int letters = 0;

	if (!s || !*s)
		return err_set(err, ERR_REQUIRED, field, "missing");
	len = strlen(s);
	if (len < 2 || len > 63)
		return err_set(err, ERR_RANGE, field, "name must be 2-63 bytes");
	if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[len - 1]))
		return err_set(err, ERR_FORMAT, field, "leading or trailing blank");
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		int n = utf8_len(c);
		if (!n || i + (size_t)n > len)
			return err_set(err, ERR_FORMAT, field, "invalid UTF-8");
		for (int k = 1; k < n; k++)
			if (((unsigned char)s[i + k] & 0xC0) != 0x80)
				return err_set(err, ERR_FORMAT, field, "invalid UTF-8");
		if (n == 1) {
			if (iscntrl(c) || isdigit(c))
				return err_set(err, ERR_FORMAT, field, "digits or control characters");
			if (isalpha(c))
				letters++;
			else if (!strchr(" '.-,()", c))
				return err_set(err, ERR_FORMAT, field, "unexpected character");
		} else {
			letters++;    /* accented letters: é, ñ, ... */
		}
		i += (size_t)n;
	}
	if (!letters)
		return err_set(err, ERR_FORMAT, field, "no letters");
	return 0;
}

int valid_nik(const char *s, char sex, int32_t dob, struct err *err)
{
	int prov, dd, mm, yy;

	if (!s || !*s)
		return 0;
	if (strlen(s) != 16)
		return err_set(err, ERR_FORMAT, "nik", "NIK must have 16 digits");
	for (int i = 0; i < 16; i++)
		if (!isdigit((unsigned char)s[i]))
			return err_set(err, ERR_FORMAT, "nik", "NIK must have 16 digits");
	prov = (s[0] - '0') * 10 + (s[1] - '0');
	dd = (s[6] - '0') * 10 + (s[7] - '0');
	mm = (s[8] - '0') * 10 + (s[9] - '0');
	yy = (s[10] - '0') * 10 + (s[11] - '0');
	if (prov < 11 || prov > 94)
		return err_set(err, ERR_RANGE, "nik", "region code %02d is not a province", prov);
	if (mm < 1 || mm > 12 || !((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71)))
		return err_set(err, ERR_RANGE, "nik", "birth-date part is not a date");
	/* The fields name which part disagrees, so the message can say it. */
	if (sex == 'L' && dd > 40)
		return err_set(err, ERR_RANGE, "nik-woman", "NIK is a woman's (day + 40)");
	if (sex == 'P' && dd <= 40)
		return err_set(err, ERR_RANGE, "nik-man", "NIK is a man's (day without + 40)");
	if (dob != DATE_NONE) {
		int y, m, d;
		date_to_ymd(dob, &y, &m, &d);
		if (d != (dd > 40 ? dd - 40 : dd) || m != mm || y % 100 != yy)
			return err_set(err, ERR_RANGE, "nik-dob", "%02d-%02d-%02d",
				       dd > 40 ? dd - 40 : dd, mm, yy);
	}
	return 0;
}

int valid_visit_date(int32_t day, int32_t dob, int32_t today, struct err *err)
{
	if (day == DATE_NONE)
		return err_set(err, ERR_REQUIRED, "date", "no date");
	if (day > today)
		return err_set(err, ERR_RANGE, "date-future", "the date is in the future");
	if (dob != DATE_NONE && day < dob)
		return err_set(err, ERR_RANGE, "date-before-birth", "the date is before the birth");
	if (day < today - 5 * 366)
		return err_set(err, ERR_RANGE, "date-old", "more than 5 years ago");
	return 0;
}

int valid_sex(enum person_kind kind, const char *s, char *out, struct err *err)
{
	bool woman = kind == PERSON_PREGNANT || kind == PERSON_WOMAN;
	char c = s[0] && !s[1] ? (char)toupper((unsigned char)s[0]) : s[0] ? '?' : 0;

	if (c && c != 'L' && c != 'P')
		return err_set(err, ERR_FORMAT, "sex", "the sex is L or P");
	if (woman && c == 'L')
		return err_set(err, ERR_FORMAT, "sex-woman", "a pregnant woman or a mother is P");
	if (!c && kind == PERSON_CHILD)
		return err_set(err, ERR_REQUIRED, "sex-child", "no sex for a child");
	if (!c && kind == PERSON_RESIDENT)
		return err_set(err, ERR_REQUIRED, "sex-resident", "no sex for a resident");
	*out = woman ? 'P' : c;
	return 0;
}

int valid_dob(int32_t dob, int32_t today, struct err *err)
{
	if (dob == DATE_NONE)
		return err_set(err, ERR_REQUIRED, "dob", "no date of birth");
	if (dob > today)
		return err_set(err, ERR_RANGE, "date-future", "born in the future");
	return 0;
}

static const struct { const char *field; int lo, hi; } counts[] = {
	{ "gest_weeks", 1, 45 }, { "iron_tablets", 0, 120 }, { "anc_no", 1, 12 },
	{ "rt", 1, 255 }, { "rw", 1, 255 },
	/* Posyandu ILP (issue 14): the KIA book's pregnancy number and births
	 * before it, the Barthel ADL score, and the screening numbers a device
	 * shows as whole numbers (their plausibility is core/measure.c's) */
	{ "gravida", 1, 20 }, { "para", 0, 19 }, { "adl", 0, 20 }, { "td_status", 1, 5 },
	{ "bp_sys", 1, 999 }, { "bp_dia", 1, 999 }, { "glucose_mgdl", 1, 9999 },
	{ "cholesterol_mgdl", 1, 9999 },
};

int valid_count_range(const char *field, int *lo, int *hi)
{
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if (strcmp(counts[i].field, field) == 0) {
			*lo = counts[i].lo;
			*hi = counts[i].hi;
			return 0;
		}
	return -1;
}

int valid_count(const char *field, const char *s, int *out, struct err *err)
{
	char *end;
	long v;

	*out = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		if (strcmp(counts[i].field, field) != 0)
			continue;
		v = strtol(s, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (end == s || *end || !isdigit((unsigned char)*s))
			return err_set(err, ERR_FORMAT, "number", "%s: not a whole number", field);
		if (v < counts[i].lo || v > counts[i].hi)
			return err_set(err, ERR_RANGE, field, "%s: %d to %d", field, counts[i].lo,
				       counts[i].hi);
		*out = (int)v;
		return 0;
	}
	return err_set(err, ERR_RANGE, field, "no range for %s", field);
}

int valid_bp(const char *s, int *sys, int *dia, struct err *err)
{
	int n = 0;

	*sys = *dia = 0;
	if (!*s)
		return 0;
	if (sscanf(s, "%d/%d%n", sys, dia, &n) != 2 || s[n])
		return err_set(err, ERR_FORMAT, "bp", "systolic/diastolic");
	if (*sys < 60 || *sys > 260 || *dia < 30 || *dia > 160 || *dia >= *sys)
		return err_set(err, ERR_RANGE, "bp", "%d/%d", *sys, *dia);
	return 0;
}

/* A short name typed by hand (posyandu code, user label): what may stand at
 * its ends, and the characters allowed in it (ALNUM: any isalnum() one too).
 * The checks run in this order, so the first broken rule is the one
 * reported. */
struct label_rule {
	const char *field;
	size_t max;
	bool (*ends_ok)(const char *s, size_t len);
	const char *ends_msg;
	bool alnum;
	const char *chars, *chars_msg;
};

static bool code_ends(const char *s, size_t len)
{
	(void)len;
	return isalnum((unsigned char)s[0]);
}

static bool user_ends(const char *s, size_t len)
{
	return !(s[0] == ' ' || s[len - 1] == ' ' || s[0] == '-');
}

static const struct label_rule code_rule = {
	"code", 15, code_ends, "must start with a letter or digit",
	false, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-", "only A-Z, 0-9 and '-'",
}, user_rule = {
	"user", 32, user_ends, "leading or trailing blank",
	true, " .-_", "only letters, digits, space, '.', '-', '_'",
};

static int check_label(const char *s, const struct label_rule *r, struct err *err)
{
	size_t len = s ? strlen(s) : 0;
	if (!len)
		return err_set(err, ERR_REQUIRED, r->field, "missing");
	if (len > r->max)
		return err_set(err, ERR_RANGE, r->field, "at most %zu characters", r->max);
	if (!r->ends_ok(s, len))
		return err_set(err, ERR_FORMAT, r->field, "%s", r->ends_msg);
	for (size_t i = 0; i < len; i++)
		if (!((r->alnum && isalnum((unsigned char)s[i])) || strchr(r->chars, s[i])))
			return err_set(err, ERR_FORMAT, r->field, "%s", r->chars_msg);
	return 0;
}

int valid_posyandu_code(const char *s, struct err *err)
{
	return check_label(s, &code_rule, err);
}

int valid_user_label(const char *s, struct err *err)
{
	return check_label(s, &user_rule, err);
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return len > 0;
}

int valid_secret(const char *s, size_t len, enum secret_policy policy, struct err *err)
{
	bool digits = all_digits(s, len);
	const char *field = policy == SECRET_STRONG ? "pin-strong" : "pin";

	for (size_t i = 0; i < len; i++)
		if (iscntrl((unsigned char)s[i]))
			return err_set(err, ERR_FORMAT, "pin", "control characters");
	if (policy == SECRET_STRONG ? (digits ? len < 12 : len < 16) : len < 6)
		return err_set(err, ERR_RANGE, field, policy == SECRET_STRONG
			       ? "needs 12+ digits or 16+ characters" : "needs at least 6 characters");
	if (digits) {
		bool same = true, up = true, down = true;
		for (size_t i = 1; i < len; i++) {
			same &= s[i] == s[0];
			up &= s[i] == s[i - 1] + 1;
			down &= s[i] == s[i - 1] - 1;
		}
		if (same || up || down)
			return err_set(err, ERR_RANGE, field, "too easy to guess");
	}
	return 0;
}
