/* tools/genwho.c: build-time generator of the WHO LMS tables.
 *
 *   genwho DATADIR OUT.c
 *
 * Reads DATADIR/who-2006/<table>_{male,female}.csv and DATADIR/who-2007/...
 * and writes OUT.c defining who_tables[] (core/who.h). The L, M and S cells
 * are copied as the original decimal text into C literals, so the compiler
 * converts exactly the text WHO published; nothing is recomputed. The
 * generator refuses anything unexpected: a wrong header, a wrong sex, a gap
 * or a repeat in x, a cell that is not a plain decimal, a measure column that
 * disagrees with data/who-2006/README.md ("Files"). A plain C program for the
 * build host; it is never linked into posyandu. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/who.h"

#include "core/banned.h"

enum xkind { X_DAYS, X_MM, X_MONTHS };
enum mcol {
	M_NONE,      /* no measure column */
	M_BY_AGE,    /* L for days 0-730, H from 731 */
	M_ALL_L,
	M_ALL_H,
};

struct spec {
	enum who_table_id id;
	const char *cname;     /* enum constant name, for the comment */
	const char *var;       /* C identifier stem */
	const char *dir;
	const char *base;
	const char *xcol;      /* header name of the x column */
	enum xkind xkind;
	enum mcol mcol;
	long first, last;      /* expected x range (days, mm or months) */
};

static const struct spec specs[] = {
	{ WHO_WFA,   "WHO_WFA",   "wfa",   "who-2006", "weight_for_age",             "age_days",   X_DAYS,   M_NONE,   0, 1856 },
	{ WHO_LHFA,  "WHO_LHFA",  "lhfa",  "who-2006", "length_height_for_age",      "age_days",   X_DAYS,   M_BY_AGE, 0, 1856 },
	{ WHO_BFA,   "WHO_BFA",   "bfa",   "who-2006", "bmi_for_age",                "age_days",   X_DAYS,   M_BY_AGE, 0, 1856 },
	{ WHO_HCFA,  "WHO_HCFA",  "hcfa",  "who-2006", "head_circumference_for_age", "age_days",   X_DAYS,   M_NONE,   0, 1856 },
	{ WHO_ACFA,  "WHO_ACFA",  "acfa",  "who-2006", "arm_circumference_for_age",  "age_days",   X_DAYS,   M_NONE,   91, 1856 },
	{ WHO_WFL,   "WHO_WFL",   "wfl",   "who-2006", "weight_for_length",          "length_cm",  X_MM,     M_ALL_L,  450, 1100 },
	{ WHO_WFH,   "WHO_WFH",   "wfh",   "who-2006", "weight_for_height",          "height_cm",  X_MM,     M_ALL_H,  650, 1200 },
	{ WHO07_HFA, "WHO07_HFA", "hfa07", "who-2007", "height_for_age",             "age_months", X_MONTHS, M_NONE,   60, 229 },
	{ WHO07_WFA, "WHO07_WFA", "wfa07", "who-2007", "weight_for_age",             "age_months", X_MONTHS, M_NONE,   60, 121 },
	{ WHO07_BFA, "WHO07_BFA", "bfa07", "who-2007", "bmi_for_age",                "age_months", X_MONTHS, M_NONE,   60, 229 },
};

static const char *const sexname[2] = { "male", "female" };

static const char *cur_file;
static long cur_line;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	if (cur_file)
		fprintf(stderr, "genwho: %s:%ld: ", cur_file, cur_line);
	else
		fputs("genwho: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* A plain decimal: optional '-', digits, optional '.' and digits. */
static int is_decimal(const char *s)
{
	int digits = 0;
	if (*s == '-')
		s++;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits++;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits++;
		}
	}
	return digits > 0 && *s == '\0';
}

/* A non-negative whole number written as digits. */
static int parse_whole(const char *s, long *out)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000L)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

/* "45", "45.1": a length in cm with at most one decimal, as whole mm. */
static int parse_mm(const char *s, long *out)
{
	char ip[32];
	const char *dot = strchr(s, '.');
	long whole;
	size_t n = dot ? (size_t)(dot - s) : strlen(s);

	if (n == 0 || n >= sizeof ip)
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (parse_whole(ip, &whole))
		return -1;
	if (!dot) {
		*out = whole * 10;
		return 0;
	}
	if (dot[1] < '0' || dot[1] > '9' || dot[2] != '\0')
		return -1;
	*out = whole * 10 + (dot[1] - '0');
	return 0;
}

/* Split LINE in place at commas into at most MAX cells; returns the count. */
static int split(char *line, char **cell, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return max + 1;
		cell[n++] = p;
		p = strchr(p, ',');
		if (!p)
			return n;
		*p++ = '\0';
	}
}

static void emit_table(FILE *out, const char *datadir, const struct spec *sp, int sex)
{
	char path[4096], line[512], header[128], expect_header[128];
	char *cell[8];
	int ncells = sp->mcol == M_NONE ? 5 : 6;
	long x, want = sp->first;
	FILE *in;

	snprintf(path, sizeof path, "%s/%s/%s_%s.csv", datadir, sp->dir, sp->base, sexname[sex - 1]);
	in = fopen(path, "r");
	if (!in)
		die("cannot open '%s'", path);
	cur_file = path;
	cur_line = 1;
	snprintf(expect_header, sizeof expect_header, "sex,%s,L,M,S%s", sp->xcol,
		 sp->mcol == M_NONE ? "" : ",measure");
	if (!fgets(header, sizeof header, in))
		die("empty file");
	header[strcspn(header, "\n")] = '\0';
	if (strcmp(header, expect_header) != 0)
		die("header is '%s', expected '%s'", header, expect_header);

	fprintf(out, "/* %s/%s_%s.csv */\nstatic const struct who_lms %s_%s[] = {\n",
		sp->dir, sp->base, sexname[sex - 1], sp->var, sexname[sex - 1]);
	while (fgets(line, sizeof line, in)) {
		size_t len = strlen(line);
		cur_line++;
		if (len == 0 || line[len - 1] != '\n')
			die("line too long or not ended by a newline");
		line[len - 1] = '\0';
		if (split(line, cell, 8) != ncells)
			die("expected %d cells", ncells);
		if (strcmp(cell[0], sex == 1 ? "1" : "2") != 0)
			die("sex is '%s', expected %d", cell[0], sex);
		if ((sp->xkind == X_MM ? parse_mm(cell[1], &x) : parse_whole(cell[1], &x)) != 0)
			die("bad x '%s'", cell[1]);
		if (x != want)
			die("x is '%s', expected the row for %ld (no gaps, no repeats)", cell[1], want);
		for (int i = 2; i <= 4; i++)
			if (!is_decimal(cell[i]))
				die("cell %d '%s' is not a plain decimal", i + 1, cell[i]);
		if (sp->mcol != M_NONE) {
			const char *m = sp->mcol == M_ALL_L ? "L" : sp->mcol == M_ALL_H ? "H" :
					x < 731 ? "L" : "H";
			if (strcmp(cell[5], m) != 0)
				die("measure is '%s', expected '%s'", cell[5], m);
		}
		fprintf(out, "\t{ %s, %s, %s },\n", cell[2], cell[3], cell[4]);
		want++;
	}
	if (ferror(in))
		die("read error");
	if (want != sp->last + 1)
		die("table ends at %ld, expected %ld", want - 1, sp->last);
	fclose(in);
	cur_file = NULL;
	fputs("};\n\n", out);
}

int main(int argc, char **argv)
{
	FILE *out;
	size_t nspec = sizeof specs / sizeof specs[0];

	if (argc != 3) {
		fputs("usage: genwho DATADIR OUT.c\n", stderr);
		return 2;
	}
	if (nspec != WHO_TABLE__COUNT)
		die("specs[] and enum who_table_id disagree");
	out = fopen(argv[2], "w");
	if (!out)
		die("cannot create '%s'", argv[2]);
	fputs("/* Generated by tools/genwho from data/who-2006 and data/who-2007.\n"
	      " * Do not edit: change the generator or the CSV files. */\n"
	      "#include \"core/who.h\"\n\n", out);
	for (size_t i = 0; i < nspec; i++) {
		if (specs[i].id != (enum who_table_id)i)
			die("specs[] out of enum order at %s", specs[i].cname);
		for (int sex = 1; sex <= 2; sex++)
			emit_table(out, argv[1], &specs[i], sex);
	}
	fputs("const struct who_table who_tables[WHO_TABLE__COUNT][2] = {\n", out);
	for (size_t i = 0; i < nspec; i++) {
		const struct spec *sp = &specs[i];
		long n = sp->last - sp->first + 1;
		fprintf(out, "\t[%s] = {\n", sp->cname);
		for (int sex = 1; sex <= 2; sex++)
			fprintf(out, "\t\t{ %ld, %ld, %s_%s },\n", sp->first, n, sp->var, sexname[sex - 1]);
		fputs("\t},\n", out);
	}
	fputs("};\n", out);
	if (fflush(out) != 0 || ferror(out) || fclose(out) != 0)
		die("write error on '%s'", argv[2]);
	return 0;
}
