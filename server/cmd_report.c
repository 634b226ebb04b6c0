/* server/cmd_report.c: posyandu-server report monthly: the SKDN and the
 * Posyandu ILP counts of each posyandu and of the district (sync/server_report.c computes it with
 * core/report.c, as a device does), written as text, CSV or JSON. A
 * percentage with no denominator is "-" in text, empty in CSV and null in
 * JSON (posyandu-server(8)). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/out.h"
#include "app/report_view.h"
#include "core/date.h"
#include "server/cmd.h"
#include "storage/clock.h"
#include "sync/server_report.h"
#include "core/banned.h"

/* The percentage of ratio R of X to one decimal, or -1 without a denominator. */
static double ratio(const struct report_skdn *x, enum report_ratio r)
{
	int num, den;
	report_ratio(x, r, &num, &den);
	return den > 0 ? report_round1(report_pct(num, den)) : -1;
}

double srv_ratio(const struct report_skdn *x, int r)
{
	return ratio(x, (enum report_ratio)r);
}

/* A text or CSV cell for percentage P: NONE without a denominator. */
static const char *pct_cell(double p, const char *none, char *buf, size_t size)
{
	if (p < 0)
		snprintf(buf, size, "%s", none);
	else
		snprintf(buf, size, "%.1f", p);
	return buf;
}

/* The ILP counts of M as CSV cells, or their header ("school_visited", ...). */
static void csv_ilp(FILE *f, const struct report_monthly *m)
{
	for (int g = REPORT_ILP_FIRST; g < ILP__COUNT; g++)
		for (int k = 0; k < REPORT__ILP_COUNTS; k++) {
			if (m)
				fprintf(f, ",%d", m->ilp[g].n[k]);
			else
				fprintf(f, ",%s_%s", ilp_group_code((enum ilp_group)g), report_ilp_keys[k]);
		}
}

static void text_line(void *ctx, const char *line)
{
	fprintf(ctx, "%s\n", line);
}

/* The table: text (aligned, "-" for no denominator) or CSV (empty). CSV
 * rows carry the ILP counts after N/D; text gives each row its ILP table
 * below the SKDN one (the device's layout, app/report_view.c). */
static void write_table(FILE *f, const struct server_report_row *rows, size_t n, int csv)
{
	fprintf(f, csv ? "%s" : "%-16s", "posyandu");
	for (int k = 0; k < REPORT_NSKDN; k++)
		fprintf(f, csv ? ",%s" : " %5s", report_skdn_keys[k]);
	fprintf(f, csv ? ",%s,%s" : "  %6s %6s\n", csv ? "D/S" : "D/S%", csv ? "N/D" : "N/D%");
	if (csv) {
		csv_ilp(f, NULL);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct report_skdn *x = &rows[i].m.all;
		char ds[16], nd[16];
		fprintf(f, csv ? "%s" : "%-16s", rows[i].code[0] ? rows[i].code : "district");
		for (int k = 0; k < REPORT_NSKDN; k++)
			fprintf(f, csv ? ",%d" : " %5d", report_skdn_val(x, k));
		fprintf(f, csv ? ",%s,%s" : "  %6s %6s\n",
		       pct_cell(ratio(x, REPORT_RATIO_DS), csv ? "" : "-", ds, sizeof ds),
		       pct_cell(ratio(x, REPORT_RATIO_ND), csv ? "" : "-", nd, sizeof nd));
		if (csv) {
			csv_ilp(f, &rows[i].m);
			fprintf(f, "\n");
		}
	}
	if (csv)
		return;
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\n%s\n", rows[i].code[0] ? rows[i].code : "district");
		report_text_ilp(rows[i].m.ilp, text_line, f);
	}
}

void report_csv_write(FILE *f, const struct server_report_row *rows, size_t n)
{
	write_table(f, rows, n, 1);
}

static json_t *jpct(double p)
{
	return p < 0 ? json_null() : json_real(p);
}

/* {"skdn": {"S": .., ..., "BGM": ..}, "D/S": .., "N/D": ..} into O. */
static json_t *jskdn_ratios(json_t *o, const struct report_skdn *x)
{
	json_t *counts = json_object();
	for (int k = 0; k < REPORT_NSKDN; k++)
		json_object_set_new(counts, report_skdn_keys[k], json_integer(report_skdn_val(x, k)));
	json_object_set_new(o, "skdn", counts);
	json_object_set_new(o, "D/S", jpct(ratio(x, REPORT_RATIO_DS)));
	json_object_set_new(o, "N/D", jpct(ratio(x, REPORT_RATIO_ND)));
	return o;
}

static int write_json(const struct server_report_row *rows, size_t n, const char *mon)
{
	json_t *root = json_object(), *list = json_array(), *o;

	json_object_set_new(root, "month", json_string(mon));
	for (size_t i = 0; i + 1 < n; i++) {
		const struct report_monthly *m = &rows[i].m;
		o = json_object();
		json_object_set_new(o, "posyandu", json_string(rows[i].code));
		jskdn_ratios(o, &m->all);
		json_object_set_new(o, "stunted", json_integer(m->status.stunted));
		json_object_set_new(o, "wasted", json_integer(m->status.wasted));
		json_object_set_new(o, "underweight", json_integer(m->status.underweight));
		json_object_set_new(o, "ilp", report_json_ilp(m->ilp));
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "posyandu", list);
	o = jskdn_ratios(json_object(), &rows[n - 1].m.all);
	json_object_set_new(o, "ilp", report_json_ilp(rows[n - 1].m.ilp));
	json_object_set_new(root, "district", o);
	return out_json_print(root);
}

/* A month after the clock's: one clear line, exit 1. */
static int future_month(int month)
{
	char want[8], latest[8];
	fprintf(stderr, "posyandu-server: %s has not begun yet; the latest month is %s\n",
		date_format_month(month, want),
		date_format_month(date_month_index(clock_today()), latest));
	return APP_ERROR;
}

int cmd_report(struct app *c, int argc, char **argv)
{
	const char *mon_arg = NULL, *fmt_arg = NULL;
	const struct app_opt opts[] = { { "month", &mon_arg, 0 }, { "format", &fmt_arg, 0 }, { 0 } };
	struct server_report_row *rows;
	struct err e = { 0 };
	int32_t ref;
	size_t n;
	char mon[8];
	int month = -1, fmt = APP_FMT_TEXT, i, rc;

	if (argc < 2 || strcmp(argv[1], "monthly") != 0)
		return srv_usage("report monthly --month YYYY-MM");
	optind = 0;
	while ((i = app_opt_next(argc - 1, argv + 1, opts)) != -1) {
		if (i == 0 && date_parse_month(mon_arg, &month, &e) < 0)
			return srv_usage("--month takes YYYY-MM");
		if (i != 0 && (i != 1 || (fmt = app_parse_format(fmt_arg, 1)) < 0))
			return srv_usage(NULL);
	}
	if (month < 0 || optind != argc - 1)
		return srv_usage("report monthly --month YYYY-MM");
	/* The last day of the month, as on a device; never a month to come. */
	if (report_ref_day(month, clock_today(), &ref, &e) < 0)
		return e.field && strcmp(e.field, "month-future") == 0 ? future_month(month)
								       : srv_fail(&e);
	if (srv_open(c, 1) != APP_OK)
		return APP_ERROR;
	if (server_report_monthly(c->store, month, ref, &rows, &n, NULL, &e) < 0)
		return srv_fail(&e);
	date_format_month(month, mon);
	if (fmt == APP_FMT_TEXT)
		printf("Monthly report %s: SKDN per posyandu and for the district\n", mon);
	if (fmt != APP_FMT_JSON)
		write_table(stdout, rows, n, fmt == APP_FMT_CSV);
	rc = fmt == APP_FMT_JSON ? write_json(rows, n, mon) : ferror(stdout) ? APP_ERROR : APP_OK;
	free(rows);
	if (rc != APP_OK)
		return err_set(&e, ERR_IO, NULL, "cannot write the report"), srv_fail(&e);
	return APP_OK;
}
