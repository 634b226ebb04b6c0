/* app/out.h: the one CSV cell writer and the one JSON printer that every
 * machine-readable output of the front ends goes through (`--format csv`,
 * `--format json`). Machine output is never translated. */
#ifndef POSYANDU_APP_OUT_H
#define POSYANDU_APP_OUT_H

#include <stdio.h>

/* One CSV cell S on F, then ',' or, when LAST, a newline. The cell is
 * quoted (inner '"' doubled) when it holds ',', '"', CR or LF, and also
 * ';': spreadsheets set to Indonesian split on ';', and the register
 * loader (app/load.c) reads both. */
void out_csv_cell(FILE *f, const char *s, int last);
/* A whole number cell; a cell of V formatted with FMT (e.g. "%.1f"). */
void out_csv_int(FILE *f, long long v, int last);
void out_csv_num(FILE *f, const char *fmt, double v, int last)
	__attribute__((format(printf, 2, 0)));
/* A header or a whole row of N cells. */
void out_csv_row(FILE *f, const char *const *cells, size_t n);

/* ROOT as JSON on stdout (two-space indent, keys in insertion order,
 * reals to 10 significant digits), then a newline; ROOT is freed. APP_OK,
 * or APP_ERROR when ROOT is NULL or writing failed. jansson allocates
 * through storage/codec's wiping allocator, so the text is wiped too. */
struct json_t;
int out_json_print(struct json_t *root);

/* X rounded to a multiple of UNIT (0.1, 0.01, ...), as JSON carries it. */
double out_round(double x, double unit);

#endif
