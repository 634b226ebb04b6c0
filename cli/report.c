/* cli/report.c: `posyandu report monthly|followup|sessions|trend|kader|day`
 * (ARCHITECTURE.md, "Command line"). The records and the text, CSV and JSON
 * come from app/report_view.h; this parses the options and prints. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/msg.h"
#include "app/out.h"
#include "app/report_view.h"
#include "app/steps.h"
#include "core/date.h"
#include "storage/clock.h"
#include "core/banned.h"

struct ropts {
	int fmt;
	int month, from, to;       /* -1: not given */
};

static int today_month(int32_t *today)
{
	*today = clock_today();
	return date_month_index(*today);
}

static int parse_opts(int argc, char **argv, const char *usage, bool range, struct ropts *o)
{
	/* --format, then --month, or --from and --to (without RANGE the list ends at 2) */
	const char *val = NULL;
	const struct app_opt opts[] = { { "format", &val, 0 }, { range ? "from" : "month", &val, 0 },
					{ range ? "to" : NULL, &val, 0 }, { 0 } };
	int *dst[] = { NULL, range ? &o->from : &o->month, &o->to };
	struct err err = { 0 };
	int i;

	o->fmt = APP_FMT_TEXT;
	o->month = o->from = o->to = -1;
	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == 0) {
			if ((o->fmt = app_parse_format(val, 1)) < 0)
				goto usage;
		} else if (i > 0) {
			if (date_parse_month(val, dst[i], &err) < 0)
				return app_fail(&err);
		} else {
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	return 0;
usage:
	fprintf(stderr, "  posyandu [OPTIONS] %s\n", usage);
	return APP_USAGE;
}

static void stdout_line(void *ctx, const char *line)
{
	(void)ctx;
	puts(line);
}

static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		struct err err = { 0 };
		err_set(&err, ERR_IO, NULL, "stdout");
		return app_fail(&err);
	}
	return rc;
}

/* The options of a one-month report, the month (this one when not given)
 * and the records. With REF, the month's reference day too; without, a
 * later month is refused all the same. APP_OK, or the exit status after
 * the complaint. */
static int month_begin(struct app *c, int argc, char **argv, const char *usage, struct ropts *o,
		       int32_t *ref, struct report_src *src)
{
	struct err err = { 0 };
	int32_t today;
	int rc, now = today_month(&today);

	if ((rc = parse_opts(argc, argv, usage, false, o)))
		return rc;
	if (o->month < 0)
		o->month = now;
	if (ref && report_ref_day(o->month, today, ref, &err) < 0)
		return app_fail(&err);
	if (!ref && o->month > now)
		return err_set(&err, ERR_RANGE, "month-future", NULL), app_fail(&err);
	if (report_src_load(c->store, src, &err) < 0)
		return app_fail(&err);
	return APP_OK;
}

/* A report that could not be computed over SRC. */
static int src_fail(struct report_src *src, const struct err *err)
{
	report_src_release(src);
	return app_fail(err);
}

static int cli_report_monthly(struct app *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_monthly m;
	struct err err = { 0 };
	int32_t ref = DATE_NONE;
	int rc;

	if ((rc = month_begin(c, argc, argv, "report monthly --month YYYY-MM [--format text|csv|json]", &o,
			      &ref, &src)))
		return rc;
	if (report_monthly(src.d, o.month, ref, &m, &err) < 0)
		return src_fail(&src, &err);
	if (o.fmt == APP_FMT_TEXT)
		report_text_monthly(&src, &m, stdout_line, NULL);
	else if (o.fmt == APP_FMT_CSV)
		report_csv_monthly(stdout, &m);
	else
		rc = out_json_print(report_json_monthly(&src, &m));
	report_src_release(&src);
	return finish(rc);
}

static int cli_report_followup(struct app *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_followup fu;
	struct err err = { 0 };
	int32_t ref = DATE_NONE;
	int rc;

	if ((rc = month_begin(c, argc, argv, "report followup [--month YYYY-MM] [--format text|csv|json]", &o,
			      &ref, &src)))
		return rc;
	if (report_followup(src.d, o.month, ref, &fu, &err) < 0)
		return src_fail(&src, &err);
	if (o.fmt == APP_FMT_TEXT)
		report_text_followup(&fu, stdout_line, NULL);
	else if (o.fmt == APP_FMT_CSV)
		report_csv_followup(stdout, &fu);
	else
		rc = out_json_print(report_json_followup(&fu));
	report_followup_release(&fu);
	report_src_release(&src);
	return finish(rc);
}

static int cli_report_sessions(struct app *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_sessions r;
	struct err err = { 0 };
	int32_t today;
	int rc, now = today_month(&today);

	if ((rc = parse_opts(argc, argv, "report sessions --from YYYY-MM --to YYYY-MM [--format text|csv|json]", true, &o)))
		return rc;
	if (o.from < 0)
		o.from = o.to >= 0 ? o.to : now;
	if (o.to < 0)
		o.to = o.from > now ? o.from : now;
	if (report_src_load(c->store, &src, &err) < 0)
		return app_fail(&err);
	if (report_sessions(src.d, o.from, o.to, &r, &err) < 0)
		return src_fail(&src, &err);
	if (o.fmt == APP_FMT_TEXT)
		report_text_sessions(&src, &r, o.from, o.to, stdout_line, NULL);
	else if (o.fmt == APP_FMT_CSV)
		report_csv_sessions(stdout, &src, &r);
	else
		rc = out_json_print(report_json_sessions(&src, &r, o.from, o.to));
	report_sessions_release(&r);
	report_src_release(&src);
	return finish(rc);
}

static int cli_report_trend(struct app *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_trend_point t[12];
	struct err err = { 0 };
	int rc;

	if ((rc = month_begin(c, argc, argv, "report trend [--month YYYY-MM] [--format text|csv|json]", &o,
			      NULL, &src)))
		return rc;
	if (report_trend(src.d, o.month, 12, t, &err) < 0)
		return src_fail(&src, &err);
	if (o.fmt == APP_FMT_TEXT)
		report_text_trend(t, 12, stdout_line, NULL);
	else if (o.fmt == APP_FMT_CSV)
		report_csv_trend(stdout, t, 12);
	else
		rc = out_json_print(report_json_trend(t, 12));
	report_src_release(&src);
	return finish(rc);
}

/* The day's attendance list through the ILP steps (issue 14): who came on
 * the day (today by default) and what each still lacks, those lacking
 * something first, in the steps [ilp] steps configures. */
static int cli_report_day(struct app *c, int argc, char **argv)
{
	static const char usage[] = "report day [--date DD-MM-YYYY] [--format text|json]";
	const char *fmt = "text", *date = NULL;
	const struct app_opt opts[] = { { "format", &fmt, 0 }, { "date", &date, 0 }, { 0 } };
	struct steps_day d;
	struct err err = { 0 };
	int32_t day = clock_today();
	int f, rc = APP_OK;

	optind = 0;
	if (app_opts(argc, argv, opts) != argc || (f = app_parse_format(fmt, 0)) < 0) {
		fprintf(stderr, "  posyandu [OPTIONS] %s\n", usage);
		return APP_USAGE;
	}
	if (date && date_parse(date, &day, &err) < 0)
		return app_fail(&err);
	if (steps_day_load(c->store, c->cfg.ilp_steps, day, &d, &err) < 0)
		return app_fail(&err);
	if (f == APP_FMT_TEXT)
		steps_text(&d, stdout_line, NULL);
	else
		rc = out_json_print(steps_json(&d));
	steps_day_release(&d);
	return finish(rc);
}

/* `report` subcommands: one row each. Other reports (monthly, followup,
 * sessions) add a row here with their own function. */
static const struct app_cmd report_subs[] = {
	{ "kader", cli_report_kader, "report kader [--name NAME] [--format text|csv|json]" },
	/* issue 5, tui/cli_report.c */
	{ "monthly", cli_report_monthly, "report monthly --month YYYY-MM [--format text|csv|json]" },
	{ "followup", cli_report_followup, "report followup [--month YYYY-MM] [--format text|csv|json]" },
	{ "sessions", cli_report_sessions,
	  "report sessions --from YYYY-MM --to YYYY-MM [--format text|csv|json]" },
	{ "trend", cli_report_trend, "report trend [--month YYYY-MM] [--format text|csv|json]" },
	{ "day", cli_report_day, "report day [--date DD-MM-YYYY] [--format text|json]" },
};

int cli_report(struct app *c, int argc, char **argv)
{
	size_t nsub = sizeof report_subs / sizeof report_subs[0];
	int rc;

	if (argc >= 2 && (rc = app_cmd_run(report_subs, nsub, c, argc - 1, argv + 1)) >= 0)
		return rc;
	if (argc >= 2)
		fprintf(stderr, _("posyandu: unknown report \"%s\"\n"), argv[1]);
	for (size_t i = 0; i < nsub; i++)
		fprintf(stderr, "  posyandu [OPTIONS] %s\n", report_subs[i].usage);
	return APP_USAGE;
}
