/* tui/ui_report.c: the reports screen (issue 5): choose a month (Left /
 * Right, or m to type YYYY-MM), then Tab through the monthly report, the
 * follow-up list, the 12-month D/S and N/D trend drawn as a chart, and the
 * session evidence; Up/Down/PgUp/PgDn scroll; F2 writes the CSV of what is
 * shown into the "reports" folder beside the data folder. The numbers come
 * from core/report.c, the text from tui/cli_report.c, exactly as the
 * `posyandu report` commands print them. */
#include "tui/ui_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "app/report_view.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/clock.h"
#include "core/banned.h"

enum view { VIEW_MONTHLY, VIEW_FOLLOWUP, VIEW_TREND, VIEW_SESSIONS, VIEW__N };

static const char *const view_names[VIEW__N] = {
	N_("Monthly"), N_("Follow-up"), N_("Trend"), N_("Sessions"),
};
static const char *const view_keys[VIEW__N] = { "monthly", "followup", "trend", "sessions" };

#define TREND_MONTHS 12
#define TARGET_DS 80             /* domain.md §3.4: D/S >= 80 %, drawn as a line */

static struct {
	bool loaded;
	struct report_src src;
	int month;                 /* -1: not chosen yet (this month) */
	enum view view;
	bool year;                 /* sessions: the whole year of the month */
	char **lines;
	size_t n, cap;
	struct ui_list l;          /* scrolls over the lines */
	struct report_trend_point trend[TREND_MONTHS];
	bool trend_ok;
} rep = { .month = -1, .l.text = true };

static void lines_clear(void)
{
	for (size_t i = 0; i < rep.n; i++) {
		explicit_bzero(rep.lines[i], strlen(rep.lines[i]));
		free(rep.lines[i]);
	}
	rep.n = 0;
}

static void add_line(void *ctx, const char *line)
{
	char *dup;
	(void)ctx;
	if (rep.n == rep.cap) {
		size_t cap = rep.cap ? 2 * rep.cap : 128;
		char **g = realloc(rep.lines, cap * sizeof *g);
		if (!g)
			return;
		rep.lines = g;
		rep.cap = cap;
	}
	if ((dup = strdup(line)))
		rep.lines[rep.n++] = dup;
}

/* The sessions view: the month, or its year up to this month. */
static void sessions_range(int *from, int *to)
{
	int now = date_month_index(clock_today());
	*from = rep.year ? rep.month - rep.month % 12 : rep.month;
	*to = rep.year ? *from + 11 : rep.month;
	if (*to > now)
		*to = now;
}

/* Compute the view for the month into lines (and the trend points). */
static void build(struct ui *u)
{
	struct err err = { 0 };
	int32_t ref = DATE_NONE;

	lines_clear();
	rep.l.top = 0;
	rep.trend_ok = false;
	if (!rep.loaded)
		return;
	if (report_ref_day(rep.month, clock_today(), &ref, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	switch (rep.view) {
	case VIEW_MONTHLY: {
		struct report_monthly m;
		if (report_monthly(rep.src.d, rep.month, ref, &m, &err) < 0)
			break;
		report_text_monthly(&rep.src, &m, add_line, NULL);
		return;
	}
	case VIEW_FOLLOWUP: {
		struct report_followup f;
		if (report_followup(rep.src.d, rep.month, ref, &f, &err) < 0)
			break;
		report_text_followup(&f, add_line, NULL);
		report_followup_release(&f);
		return;
	}
	case VIEW_TREND:
		if (report_trend(rep.src.d, rep.month, TREND_MONTHS, rep.trend, &err) < 0)
			break;
		rep.trend_ok = true;
		report_text_trend(rep.trend, TREND_MONTHS, add_line, NULL);
		return;
	case VIEW_SESSIONS: {
		struct report_sessions s;
		int from, to;
		sessions_range(&from, &to);
		if (report_sessions(rep.src.d, from, to, &s, &err) < 0)
			break;
		report_text_sessions(&rep.src, &s, from, to, add_line, NULL);
		report_sessions_release(&s);
		return;
	}
	default:
		return;
	}
	ui_status_err(u, &err);
}

static int report_open(struct ui *u)
{
	struct err err = { 0 };

	if (rep.loaded)
		report_src_release(&rep.src);
	rep.loaded = false;
	if (report_src_load(u->s, &rep.src, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	rep.loaded = true;
	if (rep.month < 0 || rep.month > date_month_index(clock_today()))
		rep.month = date_month_index(clock_today());
	build(u);
	return 0;
}

static void report_close(struct ui *u)
{
	(void)u;
	lines_clear();
	free(rep.lines);
	rep.lines = NULL;
	rep.cap = 0;
	if (rep.loaded)
		report_src_release(&rep.src);
	rep.loaded = false;
}

/* ---- the trend chart ---- */

/* D/S as a bar of '#', N/D as '*', both 0-100 %, with the 80 % D/S target
 * as a dashed line; plain ASCII so it reads on any console and in tmux. */
static void draw_trend(WINDOW *w, int y0, int height, int width)
{
	int H = height - 4, colw = 6, x0 = 6;
	char buf[32];

	if (H < 4 || width < x0 + TREND_MONTHS * colw || !rep.trend_ok)
		return;
	for (int pct = 0; pct <= 100; pct += 20) {
		int r = y0 + H - (int)lround(pct * H / 100.0);
		snprintf(buf, sizeof buf, "%3d%%", pct);
		mvwaddstr(w, r, 0, buf);
	}
	for (int c = x0; c < x0 + TREND_MONTHS * colw; c++) {
		int r = y0 + H - (int)lround(TARGET_DS * H / 100.0);
		if (c % 2 == 0)
			mvwaddch(w, r, c, '-');
	}
	for (int i = 0; i < TREND_MONTHS; i++) {
		const struct report_trend_point *t = &rep.trend[i];
		int x = x0 + i * colw;
		char mon[8];
		if (t->d > 0) {
			int h = (int)lround(100.0 * t->d / t->s * H / 100.0);
			for (int k = 0; k <= h && k <= H; k++)
				mvwaddstr(w, y0 + H - k, x, "##");
		}
		if (t->d > 0) {
			int r = y0 + H - (int)lround(100.0 * t->n / t->d * H / 100.0);
			wattron(w, A_BOLD);
			mvwaddch(w, r, x + 3, '*');
			wattroff(w, A_BOLD);
		}
		date_format_month(t->month, mon);
		snprintf(buf, sizeof buf, "%.2s/%.2s", mon + 5, mon + 2);
		mvwaddstr(w, y0 + H + 1, x, buf);
		snprintf(buf, sizeof buf, "%3.0f", t->s ? 100.0 * t->d / t->s : 0.0);
		mvwaddstr(w, y0 + H + 2, x, t->s ? buf : "  -");
		snprintf(buf, sizeof buf, "%3.0f", t->d ? 100.0 * t->n / t->d : 0.0);
		mvwaddstr(w, y0 + H + 3, x, t->d ? buf : "  -");
	}
	mvwaddstr(w, y0 + H + 2, 0, "D/S");
	mvwaddstr(w, y0 + H + 3, 0, "N/D");
}

static void report_draw(struct ui *u, WINDOW *w)
{
	int W = getmaxx(w), H = getmaxy(w), y = 0, x = 1, rows;
	char line[256], mon[8];
	(void)u;

	/* The month and the views. */
	date_format_month(rep.month, mon);
	snprintf(line, sizeof line, _("Month %s"), mon);
	ui_put_bold(w, 0, 1, 20, line);
	x = 18;
	for (int v = 0; v < VIEW__N; v++) {
		snprintf(line, sizeof line, " %d %s ", v + 1, _(view_names[v]));
		if (v == (int)rep.view)
			wattron(w, A_REVERSE);
		ui_put(w, 0, x, W - x, line);
		if (v == (int)rep.view)
			wattroff(w, A_REVERSE);
		x += (int)strlen(line) + 1;
	}
	ui_put(w, 1, 1, W - 2, rep.view == VIEW_SESSIONS
	       ? _("Left/Right: month  m: type  y: month/year  Tab: view  F2: save CSV")
	       : _("Left/Right: month  m: type a month  Tab: next view  F2: save CSV"));
	y = 2;
	if (rep.view == VIEW_TREND) {
		ui_put_bold(w, y, 1, W - 2, _("D/S and N/D, last 12 months   # D/S   * N/D   - target D/S 80%"));
		draw_trend(w, y + 1, H - y - 1, W);
		return;
	}
	rows = H - y;
	rep.l.n = (int)rep.n;
	ui_list_scroll(&rep.l, rows);
	for (int i = 0; i < rows && rep.l.top + i < (int)rep.n; i++)
		ui_put(w, y + i, 1, W - 2, rep.lines[rep.l.top + i]);
	if ((int)rep.n > rows) {
		snprintf(line, sizeof line, "%d-%d/%zu", rep.l.top + 1,
			 rep.l.top + rows < (int)rep.n ? rep.l.top + rows : (int)rep.n, rep.n);
		ui_put(w, 0, W - (int)strlen(line) - 1, (int)strlen(line), line);
	}
}

/* ---- export ---- */

/* <parent of the data folder>/reports/posyandu-CODE-VIEW-YYYY-MM.csv,
 * written 0600 (it holds names) through a temporary file and a rename. */
static int export_csv(struct ui *u, char *path, size_t size, struct err *err)
{
	char dir[600], tmp[700], mon[8], data[512];
	struct report_followup fu;
	struct report_sessions ss;
	struct report_monthly m;
	int32_t ref = DATE_NONE;
	int fd, rc = 0, from, to;
	FILE *f;

	snprintf(data, sizeof data, "%s", u->c->data_dir);
	snprintf(dir, sizeof dir, "%s/reports", dirname(data));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(err, ERR_IO, "report-file", "%s", dir);
	date_format_month(rep.month, mon);
	snprintf(path, size, "%s/posyandu-%s-%s-%s.csv", dir,
		 rep.src.profile ? rep.src.profile->code : "x", view_keys[rep.view], mon);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (report_ref_day(rep.month, clock_today(), &ref, err) < 0)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return err_set(err, ERR_IO, "report-file", "%s", tmp);
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		return err_set(err, ERR_IO, "report-file", "%s", tmp);
	}
	switch (rep.view) {
	case VIEW_MONTHLY:
		rc = report_monthly(rep.src.d, rep.month, ref, &m, err) < 0 ? -1 : report_csv_monthly(f, &m);
		break;
	case VIEW_FOLLOWUP:
		if ((rc = report_followup(rep.src.d, rep.month, ref, &fu, err)) == 0) {
			rc = report_csv_followup(f, &fu);
			report_followup_release(&fu);
		}
		break;
	case VIEW_TREND:
		rc = report_csv_trend(f, rep.trend, TREND_MONTHS);
		break;
	case VIEW_SESSIONS:
		sessions_range(&from, &to);
		if ((rc = report_sessions(rep.src.d, from, to, &ss, err)) == 0) {
			rc = report_csv_sessions(f, &rep.src, &ss);
			report_sessions_release(&ss);
		}
		break;
	default:
		break;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		if (err->code == ERR_NONE)
			err_set(err, errno == ENOSPC ? ERR_FULL : ERR_IO, "report-file", "%s", path);
		return -1;
	}
	return 0;
}

static int v_month(const char *s, struct err *e)
{
	int m;
	return date_parse_month(s, &m, e);
}

/* The month typed in a form; R_REDRAW either way. */
static int type_month(struct ui *u)
{
	char buf[12];
	struct err err = { 0 };
	struct ui_field f[] = { { N_("Month (YYYY-MM)"), buf, sizeof buf, 8, NULL, v_month } };
	int m;

	date_format_month(rep.month, buf);
	if (ui_form(u, _("Report month"), NULL, f, 1) < 0)
		return R_REDRAW;
	if (date_parse_month(buf, &m, &err) < 0) {
		ui_status_err(u, &err);
		return R_REDRAW;
	}
	if (m > date_month_index(clock_today())) {
		err_set(&err, ERR_RANGE, "month-future", NULL);
		ui_status_err(u, &err);
		return R_REDRAW;
	}
	rep.month = m;
	build(u);
	return R_REDRAW;
}

static int save_csv(struct ui *u)
{
	char path[800];
	struct err err = { 0 };
	if (export_csv(u, path, sizeof path, &err) < 0)
		ui_status_err(u, &err);
	else
		ui_status(u, false, _("CSV saved: %s"), path);
	return R_REDRAW;
}

static int show_view(struct ui *u, int view)
{
	rep.view = (enum view)((view + VIEW__N) % VIEW__N);
	build(u);
	return R_REDRAW;
}

static int report_input(struct ui *u, enum action act)
{
	switch (act) {
	case ACT_MONTH: {
		int m = rep.month + (u->key == KEY_LEFT ? -1 : 1);
		if (m > date_month_index(clock_today()))
			return R_NONE;
		rep.month = m;
		build(u);
		return R_REDRAW;
	}
	case ACT_VIEW:
		return show_view(u, (int)(u->key - '1'));
	case ACT_NEXT_FIELD:
		return show_view(u, (int)rep.view + 1);
	case ACT_PREV_FIELD:
		return show_view(u, (int)rep.view - 1);
	case ACT_TYPE_MONTH:
		return type_month(u);
	case ACT_YEAR:
		rep.year = !rep.year;
		build(u);
		return R_REDRAW;
	case ACT_SAVE:
		return save_csv(u);
	default:
		return R_PASS;
	}
}

static enum keyset report_keys(void)
{
	return rep.view == VIEW_SESSIONS ? KS_REPORT_SESSIONS : KS_REPORT;
}

const struct screen_ops ui_report_ops = {
	.title = N_("Reports"), .keys_now = report_keys, .list = &rep.l, .needs_session = true,
	.open = report_open, .close = report_close, .draw = report_draw, .input = report_input,
};
