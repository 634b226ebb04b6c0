/* server/ui_pages.c: the pages of the web interface (server/ui.h). Every
 * figure comes from the code of the shell commands: the month and the
 * trends from server_report_monthly() (sync/server_report.c) with the
 * ratios as `report monthly` rounds them (srv_ratio), the CSV files from
 * the writers of `report monthly` and `quiz report`, the devices from the
 * store's device list, approvals through sync_device_set_status_by() as
 * `device approve` does (one audit entry each, naming the officer). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/quiz_view.h"
#include "app/report_view.h"
#include "core/date.h"
#include "core/ilp.h"
#include "server/cmd.h"
#include "server/ui.h"
#include "storage/clock.h"
#include "storage/sync_store.h"
#include "sync/enrol.h"
#include "sync/server_report.h"
#include "sync/wire.h"
#include "core/banned.h"

/* The month of ?m=YYYY-MM, or the clock's; never one to come. */
static int month_arg(struct ui_page *pg, int *month)
{
	const char *m = server_ui_arg(pg->q, "m");
	int now = date_month_index(clock_today());
	/* a month to come, or before any register this program holds (a
	 * trend reaches 11 months further back), shows this month */
	if (!m || !*m || date_parse_month(m, month, NULL) < 0 || *month > now || *month < 2000 * 12)
		*month = now;
	return *month;
}

static void fail_page(struct ui_page *pg, const struct err *e)
{
	char line[300];
	snprintf(line, sizeof line, "%s%s%s", err_code_text(e->code), e->detail[0] ? ": " : "",
		 e->detail);
	ui_error(pg, e->code == ERR_BUSY ? 503 : 500, line);
}

/* The report of MONTH, the store locked meanwhile. */
static int report_of(struct ui_page *pg, int month, struct server_report_row **rows, size_t *n,
		     struct err *e)
{
	int32_t ref;
	int rc;
	if (report_ref_day(month, clock_today(), &ref, e) < 0)
		return -1;
	server_lock(pg->q->sv);
	rc = server_report_monthly(pg->u->s, month, ref, rows, n, NULL, e);
	server_unlock(pg->q->sv);
	return rc;
}

static void pct_td(struct buf *b, const char *key, double v, double target)
{
	if (v < 0)
		buf_f(b, "<td data-k=\"%s\">-</td>", key);
	else
		buf_f(b, "<td data-k=\"%s\" class=\"%s\">%.1f</td>", key,
		      target < 0 ? "" : v >= target ? "ok" : "below", v);
}

static void code_td(struct ui_page *pg, const char *code)
{
	buf_s(&pg->b, "<td class=\"l\">");
	if (code[0])
		buf_h(&pg->b, code);
	else
		buf_f(&pg->b, "<strong>%s</strong>", L(pg, "District", "Kabupaten"));
	buf_s(&pg->b, "</td>");
}

/* The SKDN table's cells of one row, in its order, for the page and its
 * CSV alike: counts, or percentages (-1: none) beside a target (-1: none). */
struct cell {
	const char *key;
	double v;
	bool pct;
	int target;
};
enum { SKDN_CELLS = 10 };

static void skdn_cells(const struct ui_page *pg, const struct report_monthly *m,
		       struct cell c[SKDN_CELLS])
{
	int n = 0;

	/* by report_skdn_keys, as report monthly writes them */
	for (int k = 0; k < 4; k++)
		c[n++] = (struct cell){ report_skdn_keys[k], report_skdn_val(&m->all, k), false, -1 };
	c[n++] = (struct cell){ "D/S", srv_ratio(&m->all, REPORT_RATIO_DS), true, pg->u->target_ds };
	c[n++] = (struct cell){ "N/D", srv_ratio(&m->all, REPORT_RATIO_ND), true, pg->u->target_nd };
	for (int k = REPORT_NSKDN - 1; k >= REPORT_NSKDN - 2; k--)   /* BGM, 2T */
		c[n++] = (struct cell){ report_skdn_keys[k], report_skdn_val(&m->all, k), false, -1 };
	c[n++] = (struct cell){ "stunted", m->status.measured[REPORT_LHFA] ? report_round1(
		report_pct(m->status.stunted, m->status.measured[REPORT_LHFA])) : -1, true, -1 };
	c[n++] = (struct cell){ "wasted", m->status.measured[REPORT_WFLH] ? report_round1(
		report_pct(m->status.wasted, m->status.measured[REPORT_WFLH])) : -1, true, -1 };
}

/* Previous / next month links and a month field (a GET form: no CSRF). */
static void month_nav(struct ui_page *pg, const char *path, int month)
{
	char prev[8], next[8], cur[8];
	int now = date_month_index(clock_today());
	date_format_month(month - 1, prev);
	date_format_month(month + 1, next);
	date_format_month(month, cur);
	buf_f(&pg->b, "<form class=\"inline noprint\" method=\"get\" action=\"%s\">"
	      "<a href=\"%s?m=%s\">&larr; %c%c-%.4s</a>", path, path, prev, prev[5], prev[6], prev);
	buf_f(&pg->b, "<input type=\"month\" name=\"m\" value=\"%s\" aria-label=\"%s\">"
	      "<button type=\"submit\">%s</button>", cur, L(pg, "Month", "Bulan"),
	      L(pg, "Show", "Tampilkan"));
	if (month < now)
		buf_f(&pg->b, "<a href=\"%s?m=%s\">%c%c-%.4s &rarr;</a>", path, next, next[5], next[6],
		      next);
	buf_s(&pg->b, "</form>\n");
}

void ui_page_month(struct ui_page *pg)
{
	struct server_report_row *rows;
	struct err e = { 0 };
	struct buf *b = &pg->b;
	char title[64], mon[8];
	size_t n;
	int month;

	month_arg(pg, &month);
	if (report_of(pg, month, &rows, &n, &e) < 0) {
		fail_page(pg, &e);
		return;
	}
	date_format_month(month, mon);
	snprintf(title, sizeof title, "%s %c%c-%.4s", L(pg, "The month at a glance:",
		 "Ringkasan bulan"), mon[5], mon[6], mon);
	ui_begin(pg, title, "/ui/month");
	month_nav(pg, "/ui/month", month);
	buf_f(b, "<h2>SKDN</h2><p class=\"muted\">%s</p><div class=\"scroll\">"
	      "<table id=\"skdn\" data-month=\"%s\"><thead><tr><th class=\"l\">Posyandu</th>"
	      "<th>S</th><th>K</th><th>D</th><th>N</th><th>D/S %%<br><small>%s &ge; %d</small></th>"
	      "<th>N/D %%<br><small>%s &ge; %d</small></th><th>BGM</th><th>2T</th>"
	      "<th>%s %%</th><th>%s %%</th></tr></thead><tbody>",
	      L(pg, "S all children, K with a KMS card, D weighed, N weight gained; BGM below the "
		  "red line, 2T no gain twice; stunting and wasting among those measured.",
		"S semua balita, K punya KMS, D ditimbang, N naik berat badannya; BGM di bawah garis "
		"merah, 2T tidak naik dua kali; stunting dan wasting di antara yang diukur."),
	      mon, L(pg, "target", "target"), pg->u->target_ds, L(pg, "target", "target"),
	      pg->u->target_nd,
	      L(pg, "Stunting", "Stunting"), L(pg, "Wasting", "Wasting"));
	for (size_t i = 0; i < n; i++) {
		const struct report_monthly *m = &rows[i].m;
		buf_f(b, "<tr data-code=\"");
		buf_h(b, rows[i].code[0] ? rows[i].code : "district");
		buf_f(b, "\"%s>", rows[i].code[0] ? "" : " class=\"dist\"");
		struct cell c[SKDN_CELLS];
		code_td(pg, rows[i].code);
		skdn_cells(pg, m, c);
		for (int k = 0; k < SKDN_CELLS; k++)
			if (c[k].pct)
				pct_td(b, c[k].key, c[k].v, c[k].target);
			else
				buf_f(b, "<td data-k=\"%s\">%.0f</td>", c[k].key, c[k].v);
		buf_s(b, "</tr>");
	}
	buf_f(b, "</tbody></table></div><p class=\"noprint\"><a href=\"/ui/month.csv?m=%s&amp;t=skdn\" "
	      "download>%s</a> &middot; <a href=\"/ui/month.csv?m=%s\" download>%s</a></p>", mon,
	      L(pg, "Download this table (CSV)", "Unduh tabel ini (CSV)"), mon,
	      L(pg, "every figure of the month, as report monthly (CSV)",
		"semua angka bulan ini, sama dengan report monthly (CSV)"));
	/* ILP screening: a row per posyandu and life-cycle group with visits;
	 * the heads in words (report monthly's keys in data-k and title). */
	static const char *const head[REPORT__ILP_COUNTS][2] = {
		{ "Visited", "Berkunjung" }, { "Thin (BMI)", "Kurus (IMT)" },
		{ "Normal BMI", "IMT normal" }, { "Overweight", "Gemuk" }, { "Obese", "Obesitas" },
		{ "High blood pressure", "Tekanan darah tinggi" },
		{ "High blood sugar", "Gula darah tinggi" }, { "Large waist", "Lingkar perut besar" },
		{ "Anaemia", "Anemia" }, { "Suspected TB", "Terduga TB" }, { "Smokers", "Perokok" },
	};
	_Static_assert(REPORT__ILP_COUNTS == 11, "a word for each ILP count in head[]");
	static const char *const group[ILP__COUNT][2] = {
		[ILP_SCHOOL] = { "school age", "usia sekolah" },
		[ILP_ADOLESCENT] = { "adolescents", "remaja" },
		[ILP_ADULT] = { "adults", "dewasa" }, [ILP_ELDERLY] = { "elderly", "lansia" },
	};
	buf_f(b, "<h2>%s</h2><div class=\"scroll\"><table id=\"ilp\"><thead><tr>"
	      "<th class=\"l\">Posyandu</th><th class=\"l\">%s</th>",
	      L(pg, "ILP screening", "Skrining ILP"), L(pg, "Group", "Kelompok"));
	for (int k = 0; k < REPORT__ILP_COUNTS; k++)
		buf_f(b, "<th data-k=\"%s\" title=\"%s\">%s</th>", report_ilp_keys[k],
		      report_ilp_keys[k], L(pg, head[k][0], head[k][1]));
	buf_s(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		for (int g = REPORT_ILP_FIRST; g < ILP__COUNT; g++) {
			const struct report_ilp *x = &rows[i].m.ilp[g];
			if (!x->n[REPORT_ILP_VISITED] && rows[i].code[0])
				continue;
			buf_f(b, "<tr data-code=\"");
			buf_h(b, rows[i].code[0] ? rows[i].code : "district");
			buf_f(b, "\" data-group=\"%s\"%s>", ilp_group_code((enum ilp_group)g),
			      rows[i].code[0] ? "" : " class=\"dist\"");
			code_td(pg, rows[i].code);
			buf_f(b, "<td class=\"l\">%s</td>", group[g][0]
			      ? L(pg, group[g][0], group[g][1]) : ilp_group_code((enum ilp_group)g));
			for (int k = 0; k < REPORT__ILP_COUNTS; k++)
				buf_f(b, "<td data-k=\"%s\">%d</td>", report_ilp_keys[k], x->n[k]);
			buf_s(b, "</tr>");
		}
	buf_f(b, "</tbody></table></div><p class=\"noprint\"><a href=\"/ui/month.csv?m=%s&amp;t=ilp\" "
	      "download>%s</a></p>", mon, L(pg, "Download this table (CSV)", "Unduh tabel ini (CSV)"));
	free(rows);
	ui_end(pg);
	ui_send(pg, 200, NULL);
}

/* A CSV answer from WRITE, as a download named NAME. */
static void send_csv(struct ui_page *pg, char *data, size_t len, const char *name)
{
	char disp[96];
	buf_add(&pg->b, data, len);
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	ui_header(pg, "Content-Disposition", disp);
	ui_send(pg, 200, "text/csv; charset=utf-8");
}

void ui_page_month_csv(struct ui_page *pg)
{
	struct server_report_row *rows;
	struct err e = { 0 };
	struct cell c[SKDN_CELLS];
	const char *table = server_ui_arg(pg->q, "t");
	char *data = NULL, name[48], mon[8];
	size_t n, len = 0;
	FILE *f;
	int month;

	month_arg(pg, &month);
	if (report_of(pg, month, &rows, &n, &e) < 0) {
		fail_page(pg, &e);
		return;
	}
	if (!(f = open_memstream(&data, &len))) {
		free(rows);
		ui_error(pg, 503, "out of memory");
		return;
	}
	/* t=skdn, t=ilp: the page's table as shown (keys for heads, one row
	 * per posyandu and the district's); else report monthly's CSV */
	if (table && strcmp(table, "skdn") == 0) {
		static const struct report_monthly none;
		skdn_cells(pg, &none, c);          /* the heads: the cells' keys */
		fprintf(f, "month,posyandu");
		for (int k = 0; k < SKDN_CELLS; k++)
			fprintf(f, ",%s", c[k].key);
		for (size_t i = 0; i < n; i++) {
			skdn_cells(pg, &rows[i].m, c);
			fprintf(f, "\n%s,%s", date_format_month(month, mon),
				rows[i].code[0] ? rows[i].code : "district");
			for (int k = 0; k < SKDN_CELLS; k++)
				if (c[k].v < 0)
					fputc(',', f);
				else
					fprintf(f, c[k].pct ? ",%.1f" : ",%.0f", c[k].v);
		}
		fputc('\n', f);
	} else if (table && strcmp(table, "ilp") == 0) {
		fprintf(f, "month,posyandu,group");
		for (int k = 0; k < REPORT__ILP_COUNTS; k++)
			fprintf(f, ",%s", report_ilp_keys[k]);
		fputc('\n', f);
		for (size_t i = 0; i < n; i++)
			for (int g = REPORT_ILP_FIRST; g < ILP__COUNT; g++) {
				const struct report_ilp *x = &rows[i].m.ilp[g];
				if (!x->n[REPORT_ILP_VISITED] && rows[i].code[0])
					continue;       /* as the page: groups with visits */
				fprintf(f, "%s,%s,%s", date_format_month(month, mon),
					rows[i].code[0] ? rows[i].code : "district",
					ilp_group_code((enum ilp_group)g));
				for (int k = 0; k < REPORT__ILP_COUNTS; k++)
					fprintf(f, ",%d", x->n[k]);
				fputc('\n', f);
			}
	} else {
		report_csv_write(f, rows, n);
		table = NULL;
	}
	fclose(f);
	free(rows);
	snprintf(name, sizeof name, "posyandu-%s%s%s.csv", date_format_month(month, mon),
		 table ? "-" : "", table ? table : "");
	send_csv(pg, data, len, name);
	free(data);
}

/* ---- trends ---- */

#define TREND_MONTHS 12

void ui_page_trends(struct ui_page *pg)
{
	struct buf *b = &pg->b;
	struct err e = { 0 };
	const char *want = server_ui_arg(pg->q, "p");
	double v[4][TREND_MONTHS];
	char (*codes)[17] = NULL, title[96], mon[8];
	size_t ncodes = 0, cap = 0;
	int end, first, found = 0;

	month_arg(pg, &end);
	first = end - TREND_MONTHS + 1;
	if (want && !*want)
		want = NULL;
	server_lock(pg->q->sv);
	for (int i = 0; i < TREND_MONTHS; i++) {
		struct server_report_row *rows;
		int32_t ref;
		size_t n;
		for (int k = 0; k < 4; k++)
			v[k][i] = -1;
		if (report_ref_day(first + i, clock_today(), &ref, &e) < 0 ||
		    server_report_monthly(pg->u->s, first + i, ref, &rows, &n, NULL, &e) < 0) {
			server_unlock(pg->q->sv);
			free(codes);
			fail_page(pg, &e);
			return;
		}
		for (size_t r = 0; r < n; r++) {
			const struct report_monthly *m = &rows[r].m;
			bool seen = false;
			for (size_t c = 0; c < ncodes; c++)
				seen |= strcmp(codes[c], rows[r].code) == 0;
			if (!seen && rows[r].code[0]) {
				size_t want_cap = cap ? 2 * cap : 64;
				void *p = ncodes < cap ? codes : realloc(codes, want_cap * sizeof *codes);
				if (p && ncodes == cap) {
					codes = p;
					cap = want_cap;
				}
				if (p)        /* else the list is shorter; ?p= still works */
					snprintf(codes[ncodes++], sizeof codes[0], "%s", rows[r].code);
			}
			if (want ? strcmp(rows[r].code, want) != 0 : rows[r].code[0] != '\0')
				continue;
			found = 1;
			v[0][i] = srv_ratio(&m->all, REPORT_RATIO_DS);
			v[1][i] = srv_ratio(&m->all, REPORT_RATIO_ND);
			v[2][i] = m->status.measured[REPORT_LHFA] ? report_round1(report_pct(
				m->status.stunted, m->status.measured[REPORT_LHFA])) : -1;
			v[3][i] = m->status.measured[REPORT_WFLH] ? report_round1(report_pct(
				m->status.wasted, m->status.measured[REPORT_WFLH])) : -1;
		}
		free(rows);
	}
	server_unlock(pg->q->sv);
	if (want && !found) {
		free(codes);
		ui_error(pg, 404, L(pg, "No posyandu has this code.", "Tidak ada posyandu dengan kode ini."));
		return;
	}
	snprintf(title, sizeof title, "%s: %s", L(pg, "Trends", "Tren"),
		 want ? want : L(pg, "district", "kabupaten"));
	ui_begin(pg, title, "/ui/trends");
	/* Every posyandu of the twelve months in a list (a district may have
	 * hundreds), chosen without script: a GET form. */
	buf_f(b, "<form class=\"noprint pick\" method=\"get\" action=\"/ui/trends\">"
	      "<input type=\"hidden\" name=\"m\" value=\"%s\"><label for=\"p\">%s</label> "
	      "<select id=\"p\" name=\"p\"><option value=\"\">%s</option>",
	      date_format_month(end, mon), L(pg, "Show:", "Tampilkan:"),
	      L(pg, "District", "Kabupaten"));
	for (size_t c = 0; c < ncodes; c++) {
		buf_s(b, "<option");
		if (want && strcmp(want, codes[c]) == 0)
			buf_s(b, " selected");
		buf_s(b, ">");
		buf_h(b, codes[c]);
		buf_s(b, "</option>");
	}
	free(codes);
	buf_f(b, "</select> <button type=\"submit\">%s</button></form>", L(pg, "Show", "Tampilkan"));
	buf_s(b, "<div class=\"charts\">");
	ui_chart(pg, L(pg, "D/S % (participation)", "D/S % (partisipasi)"), v[0], TREND_MONTHS,
		 first, pg->u->target_ds);
	ui_chart(pg, L(pg, "N/D % (weight gained)", "N/D % (naik berat badan)"), v[1],
		 TREND_MONTHS, first, pg->u->target_nd);
	ui_chart(pg, L(pg, "Stunting % (of those measured)", "Stunting % (dari yang diukur)"),
		 v[2], TREND_MONTHS, first, -1);
	ui_chart(pg, L(pg, "Wasting % (of those measured)", "Wasting % (dari yang diukur)"),
		 v[3], TREND_MONTHS, first, -1);
	buf_f(b, "</div><h2>%s</h2><div class=\"scroll\"><table id=\"trend\"><thead><tr>"
	      "<th class=\"l\">%s</th><th>D/S %%</th><th>N/D %%</th><th>Stunting %%</th>"
	      "<th>Wasting %%</th></tr></thead><tbody>", L(pg, "Figures", "Angka"),
	      L(pg, "Month", "Bulan"));
	for (int i = 0; i < TREND_MONTHS; i++) {
		date_format_month(first + i, mon);
		buf_f(b, "<tr data-month=\"%s\"><td class=\"l\">%c%c-%.4s</td>", mon, mon[5], mon[6],
		      mon);
		pct_td(b, "D/S", v[0][i], pg->u->target_ds);
		pct_td(b, "N/D", v[1][i], pg->u->target_nd);
		pct_td(b, "stunted", v[2][i], -1);
		pct_td(b, "wasted", v[3][i], -1);
		buf_s(b, "</tr>");
	}
	buf_s(b, "</tbody></table></div>");
	ui_end(pg);
	ui_send(pg, 200, NULL);
}

/* ---- sync status ---- */

/* The first second of the clock's month, local time. */
static int64_t month_start(void)
{
	time_t t = (time_t)clock_now();
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

void ui_page_sync(struct ui_page *pg)
{
	struct buf *b = &pg->b;
	struct sync_device *d = NULL;
	struct sync_seen *seen = NULL;
	struct err e = { 0 };
	size_t nd = 0, ns = 0, silent = 0;
	int64_t since = month_start();
	char t[24];

	server_lock(pg->q->sv);
	if (sync_device_list(pg->u->s, &d, &nd, &e) < 0 ||
	    sync_seen_list(pg->u->s, since, &seen, &ns, &e) < 0) {
		server_unlock(pg->q->sv);
		free(d);
		fail_page(pg, &e);
		return;
	}
	server_unlock(pg->q->sv);
	ui_begin(pg, L(pg, "Sync status", "Status sinkronisasi"), "/ui/sync");
	/* Per posyandu code of approved devices (the list is by code). */
	buf_f(b, "<div class=\"scroll\"><table id=\"sync\"><thead><tr><th class=\"l\">Posyandu</th>"
	      "<th>%s</th><th class=\"l\">%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	      L(pg, "Devices", "Perangkat"), L(pg, "Last bundle received", "Bundel terakhir diterima"),
	      L(pg, "Bundle #", "Bundel #"), L(pg, "Last receipt #", "Tanda terima terakhir #"),
	      L(pg, "Bundles this month", "Bundel bulan ini"));
	for (size_t i = 0; i < nd;) {
		size_t j = i, devs = 0;
		int64_t last = 0, month_n = 0;
		uint64_t seq = 0, rseq = 0;
		for (; j < nd && strcmp(d[j].posyandu, d[i].posyandu) == 0; j++) {
			if (d[j].status != SYNC_DEV_APPROVED)
				continue;
			devs++;
			for (size_t k = 0; k < ns; k++) {
				if (memcmp(seen[k].device, d[j].id, 16) != 0)
					continue;
				if (seen[k].last_received > last) {
					last = seen[k].last_received;
					seq = seen[k].last_seq;
				}
				if (seen[k].last_rseq > rseq)
					rseq = seen[k].last_rseq;
				month_n += seen[k].since;
			}
		}
		if (devs) {
			silent += month_n == 0;
			buf_s(b, "<tr data-code=\"");
			buf_h(b, d[i].posyandu);
			buf_f(b, "\" data-month-bundles=\"%lld\"%s><td class=\"l\">", (long long)month_n,
			      month_n ? "" : " class=\"none\"");
			buf_h(b, d[i].posyandu);
			buf_f(b, "</td><td>%zu</td><td class=\"l\">%s</td><td>%s%llu</td><td>%s%llu</td>"
			      "<td>%lld%s</td></tr>", devs, ui_time(last, t), seq ? "" : "-",
			      (unsigned long long)seq, rseq ? "" : "-", (unsigned long long)rseq,
			      (long long)month_n, month_n ? "" : L(pg, " &mdash; nothing sent this month",
								   " &mdash; belum mengirim bulan ini"));
		}
		i = j;
	}
	buf_s(b, "</tbody></table></div>");
	buf_f(b, "<p class=\"msg%s\">%zu %s</p>", silent ? " bad" : " good", silent,
	      L(pg, "posyandu have sent nothing this month (highlighted).",
		"posyandu belum mengirim apa pun bulan ini (ditandai)."));
	free(d);
	free(seen);
	ui_end(pg);
	ui_send(pg, 200, NULL);
}

/* ---- devices ---- */

static void device_rows(struct ui_page *pg, const struct sync_device *d, size_t n, int status)
{
	struct buf *b = &pg->b;
	bool any = false;
	char id[33], key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN], t[24];
	bool can = pg->who.role == OFFICER_APPROVER && status != SYNC_DEV_REVOKED;

	buf_f(b, "<h2>%s</h2><div class=\"scroll\"><table class=\"devices\" data-status=\"%s\">"
	      "<thead><tr><th class=\"l\">Posyandu</th><th class=\"l\">%s</th><th class=\"l\">ID</th>"
	      "<th class=\"l\">%s</th><th class=\"l\">%s</th>%s</tr></thead><tbody>",
	      status == SYNC_DEV_PENDING ? L(pg, "Waiting for approval", "Menunggu persetujuan")
	      : status == SYNC_DEV_APPROVED ? L(pg, "Approved", "Disetujui")
	      : L(pg, "Revoked", "Dicabut"), sync_device_status_name(status),
	      L(pg, "Name", "Nama"), L(pg, "Fingerprint", "Sidik jari"),
	      status == SYNC_DEV_PENDING ? L(pg, "Requested", "Diminta")
	      : status == SYNC_DEV_APPROVED ? L(pg, "Approved", "Disetujui") : L(pg, "Revoked", "Dicabut"),
	      can ? "<th class=\"l noprint\"></th>" : "");
	for (size_t i = 0; i < n; i++) {
		if (d[i].status != status)
			continue;
		any = true;
		wire_hex(d[i].id, 16, id);
		enrol_device_key(&d[i], key, fpr);
		buf_f(b, "<tr data-id=\"%s\"><td class=\"l\">", id);
		buf_h(b, d[i].posyandu);
		buf_s(b, "</td><td class=\"l\">");
		buf_h(b, d[i].name);
		buf_f(b, "</td><td class=\"l fpr\">%.8s</td><td class=\"l fpr\">", id);
		/* A device waiting shows only its first group, enough to find
		 * the row the caller means: the rest must come from her voice,
		 * not from this screen, or typing it proves nothing. */
		if (status == SYNC_DEV_PENDING)
			buf_f(b, "%.4s <span class=\"muted\">&middot;&middot;&middot;&middot; "
			      "&middot;&middot;&middot;&middot; &hellip;</span>", fpr);
		else
			buf_h(b, fpr);
		buf_f(b, "</td><td class=\"l\">%s</td>", ui_time(status == SYNC_DEV_PENDING
		      ? d[i].requested_at : status == SYNC_DEV_APPROVED ? d[i].approved_at
		      : d[i].revoked_at, t));
		if (can) {
			const char *act = status == SYNC_DEV_PENDING ? "approve" : "revoke";
			buf_f(b, "<td class=\"l noprint\"><form class=\"inline\" method=\"post\" "
			      "action=\"/ui/devices\"><input type=\"hidden\" name=\"action\" value=\"%s\">"
			      "<input type=\"hidden\" name=\"id\" value=\"%s\">", act, id);
			ui_csrf_field(pg);
			buf_f(b, "<input type=\"text\" name=\"fpr\" inputmode=\"numeric\" "
			      "autocomplete=\"off\" required maxlength=\"40\" size=\"20\" "
			      "placeholder=\"%s\" aria-label=\"%s\"><button type=\"submit\"%s>%s</button>"
			      "</form></td>", L(pg, "digits read aloud", "angka yang dibacakan"),
			      L(pg, "Fingerprint the device's admin read aloud",
				"Sidik jari yang dibacakan admin perangkat"),
			      status == SYNC_DEV_PENDING ? "" : " class=\"danger\"",
			      status == SYNC_DEV_PENDING ? L(pg, "Approve", "Setujui")
							 : L(pg, "Revoke", "Cabut"));
		}
		buf_s(b, "</tr>");
	}
	if (!any)
		buf_f(b, "<tr><td class=\"l muted\" colspan=\"%d\">%s</td></tr>", can ? 6 : 5,
		      L(pg, "None.", "Tidak ada."));
	buf_s(b, "</tbody></table></div>");
}

void ui_page_devices(struct ui_page *pg)
{
	struct buf *b = &pg->b;
	struct sync_device *d = NULL;
	struct err e = { 0 };
	const char *done = server_ui_arg(pg->q, "done");
	size_t n = 0;

	server_lock(pg->q->sv);
	if (sync_device_list(pg->u->s, &d, &n, &e) < 0) {
		server_unlock(pg->q->sv);
		fail_page(pg, &e);
		return;
	}
	server_unlock(pg->q->sv);
	ui_begin(pg, L(pg, "Devices", "Perangkat"), "/ui/devices");
	if (done && strcmp(done, "approve") == 0)
		buf_f(b, "<p class=\"msg good\" role=\"status\">%s</p>", L(pg, "The device is approved: "
		      "its bundles are accepted from now on.", "Perangkat disetujui: bundelnya "
		      "diterima mulai sekarang."));
	else if (done && strcmp(done, "revoke") == 0)
		buf_f(b, "<p class=\"msg good\" role=\"status\">%s</p>", L(pg, "The device is revoked.",
		      "Perangkat dicabut."));
	if (pg->who.role == OFFICER_APPROVER)
		buf_f(b, "<p>%s</p>", L(pg, "Approve a device only after its posyandu admin has read "
		      "its fingerprint to you on the phone: type the digits she reads.",
		      "Setujui perangkat hanya setelah admin posyandu membacakan sidik jarinya lewat "
		      "telepon: ketik angka yang ia bacakan."));
	else
		buf_f(b, "<p class=\"muted\">%s</p>", L(pg, "Your role is viewer: an approver approves "
		      "and revokes devices.", "Peran Anda pembaca: penyetuju yang menyetujui dan "
		      "mencabut perangkat."));
	device_rows(pg, d, n, SYNC_DEV_PENDING);
	device_rows(pg, d, n, SYNC_DEV_APPROVED);
	device_rows(pg, d, n, SYNC_DEV_REVOKED);
	free(d);
	ui_end(pg);
	ui_send(pg, 200, NULL);
}

/* The digits of S, at most SIZE - 1. */
static void digits(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 1 < size; s++)
		if (*s >= '0' && *s <= '9')
			out[o++] = *s;
	out[o] = '\0';
}

void ui_post_devices(struct ui_page *pg)
{
	char action[16], idhex[40], typed[64], want[64], got[64], key[KEYSTR_MAX],
	     fpr[KEYSTR_FPR_LEN];
	struct sync_device d;
	struct err e = { 0 };
	uint8_t id[16];
	size_t bin_len;
	int status, rc;

	if (pg->who.role != OFFICER_APPROVER) {
		ui_error(pg, 403, L(pg, "Only an approver approves or revokes devices.",
				    "Hanya penyetuju yang dapat menyetujui atau mencabut perangkat."));
		return;
	}
	if (!ui_form(pg->q, "action", action, sizeof action) ||
	    !ui_form(pg->q, "id", idhex, sizeof idhex) || !ui_form(pg->q, "fpr", typed, sizeof typed) ||
	    (strcmp(action, "approve") != 0 && strcmp(action, "revoke") != 0) ||
	    sodium_hex2bin(id, 16, idhex, strlen(idhex), NULL, &bin_len, NULL) != 0 || bin_len != 16) {
		ui_error(pg, 400, L(pg, "The form is incomplete: nothing changed.",
				    "Formulir tidak lengkap: tidak ada yang diubah."));
		return;
	}
	status = strcmp(action, "approve") == 0 ? SYNC_DEV_APPROVED : SYNC_DEV_REVOKED;
	server_lock(pg->q->sv);
	if ((rc = sync_device_get(pg->u->s, id, &d, &e)) == 0) {
		enrol_device_key(&d, key, fpr);
		digits(fpr, want, sizeof want);
		digits(typed, got, sizeof got);
		/* digits, with the spaces or dashes she pauses at: a letter is
		 * a typo, never skipped */
		if (strspn(typed, "0123456789 -") != strlen(typed) || strlen(got) != strlen(want) ||
		    sodium_memcmp(got, want, strlen(want)) != 0) {
			server_unlock(pg->q->sv);
			ui_error(pg, 400, L(pg, "The digits you typed are not this device's fingerprint: "
					    "nothing changed. Ask the posyandu admin to read them again.",
					    "Angka yang Anda ketik bukan sidik jari perangkat ini: tidak "
					    "ada yang diubah. Minta admin posyandu membacakannya lagi."));
			return;
		}
		if (status == SYNC_DEV_APPROVED && d.status != SYNC_DEV_PENDING)
			rc = err_set(&e, ERR_DENIED, "device", "%s", L(pg, "only a pending device is "
				     "approved", "hanya perangkat yang menunggu dapat disetujui"));
		else if (status == SYNC_DEV_REVOKED && d.status == SYNC_DEV_REVOKED)
			rc = err_set(&e, ERR_DENIED, "device", "%s", L(pg, "this device is already "
				     "revoked: nothing changed", "perangkat ini sudah dicabut: tidak ada "
				     "yang diubah"));
		else
			rc = sync_device_set_status_by(pg->u->s, id, status, pg->who.name, &e);
	}
	server_unlock(pg->q->sv);
	if (rc < 0) {
		ui_error(pg, e.code == ERR_NOTFOUND ? 404 : e.code == ERR_DENIED ? 409 : 500, e.detail);
		return;
	}
	ui_redirect(pg, status == SYNC_DEV_APPROVED ? "/ui/devices?done=approve"
						    : "/ui/devices?done=revoke");
}

/* ---- kader training ---- */

static int quiz_rows(struct ui_page *pg, struct quiz_district_row **rows, size_t *n)
{
	struct err e = { 0 };
	int rc;
	server_lock(pg->q->sv);
	rc = quiz_district_build(pg->u->s, rows, n, &e);
	server_unlock(pg->q->sv);
	if (rc < 0)
		fail_page(pg, &e);
	return rc;
}

void ui_page_training(struct ui_page *pg)
{
	struct buf *b = &pg->b;
	struct quiz_district_row *rows;
	size_t n;

	if (quiz_rows(pg, &rows, &n) < 0)
		return;
	ui_begin(pg, L(pg, "Kader training", "Pelatihan kader"), "/ui/training");
	buf_f(b, "<p class=\"muted\">%s</p><div class=\"scroll\"><table id=\"training\"><thead><tr>"
	      "<th class=\"l\">Posyandu</th><th class=\"l\">%s</th><th>%s</th><th class=\"l\">%s</th>"
	      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	      L(pg, "Per posyandu code of the participants. Counts only: the scores are sealed to "
		"the posyandu's trainers and are read on their devices.",
		"Per kode posyandu peserta. Hanya jumlah: nilai disegel untuk pelatih posyandu dan "
		"dibaca di perangkat mereka."),
	      L(pg, "Question bank", "Bank soal"), L(pg, "Version", "Versi"), L(pg, "Test", "Tes"),
	      L(pg, "Trainings", "Pelatihan"), L(pg, "Participants", "Peserta"),
	      L(pg, "Submitted", "Dikumpulkan"), L(pg, "From paper", "Dari kertas"),
	      L(pg, "Drafts", "Draf"));
	for (size_t i = 0; i < n; i++) {
		const struct quiz_district_row *r = &rows[i];
		buf_s(b, "<tr data-code=\"");
		buf_h(b, r->posyandu);
		buf_s(b, "\"><td class=\"l\">");
		buf_h(b, r->posyandu[0] ? r->posyandu : "-");
		buf_s(b, "</td><td class=\"l\">");
		buf_h(b, r->bank);
		buf_f(b, "</td><td>%d</td><td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%d</td>"
		      "<td>%d</td><td>%d</td></tr>", r->version, quiz_kind_code(r->kind), r->trainings,
		      r->participants, r->submitted, r->sheets, r->drafts);
	}
	if (!n)
		buf_f(b, "<tr><td class=\"l muted\" colspan=\"9\">%s</td></tr>",
		      L(pg, "No kader test has reached the district yet.",
			"Belum ada tes kader yang sampai ke kabupaten."));
	buf_f(b, "</tbody></table></div><p class=\"noprint\"><a href=\"/ui/training.csv\" "
	      "download>%s</a></p>", L(pg, "Download CSV", "Unduh CSV"));
	free(rows);
	ui_end(pg);
	ui_send(pg, 200, NULL);
}

void ui_page_training_csv(struct ui_page *pg)
{
	struct quiz_district_row *rows;
	char *data = NULL;
	size_t n, len = 0;
	FILE *f;

	if (quiz_rows(pg, &rows, &n) < 0)
		return;
	if (!(f = open_memstream(&data, &len))) {
		free(rows);
		ui_error(pg, 503, "out of memory");
		return;
	}
	quiz_csv_write(f, rows, n);
	fclose(f);
	free(rows);
	send_csv(pg, data, len, "kader-tests.csv");
	free(data);
}
