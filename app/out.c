/* app/out.c: the CSV cell writer and the JSON printer (app/out.h). */
#include "app/out.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "app/app.h"
#include "storage/codec.h"
#include "core/banned.h"

void out_csv_cell(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r;")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

void out_csv_int(FILE *f, long long v, int last)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	out_csv_cell(f, buf, last);
}

void out_csv_num(FILE *f, const char *fmt, double v, int last)
{
	char buf[64];
	snprintf(buf, sizeof buf, fmt, v);
	out_csv_cell(f, buf, last);
}

void out_csv_row(FILE *f, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_csv_cell(f, cells[i], i + 1 == n);
}

int out_json_print(json_t *root)
{
	char *text;

	if (!root)
		return APP_ERROR;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (!text)
		return APP_ERROR;
	puts(text);
	codec_free(text);
	return ferror(stdout) ? APP_ERROR : APP_OK;
}

double out_round(double x, double unit)
{
	return round(x / unit) * unit;
}
