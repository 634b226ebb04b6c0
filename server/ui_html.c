/* server/ui_html.c: the web interface's page buffer, HTML escaping, the
 * layout every page shares, the stylesheet and the SVG line chart (drawn
 * here: no script, nothing fetched from elsewhere). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "server/ui.h"
#include "core/banned.h"

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 8192;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_s(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_f(struct buf *b, const char *fmt, ...)
{
	char small[512], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (!(big = malloc((size_t)n + 1))) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)n);
	free(big);
}

void buf_h(struct buf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		size_t run = strcspn(p, "&<>\"'");
		buf_add(b, p, run);
		p += run;
		if (!*p)
			break;
		switch (*p) {
		case '&': buf_s(b, "&amp;"); break;
		case '<': buf_s(b, "&lt;"); break;
		case '>': buf_s(b, "&gt;"); break;
		case '"': buf_s(b, "&quot;"); break;
		default: buf_s(b, "&#39;"); break;
		}
	}
}

void ui_header(struct ui_page *pg, const char *name, const char *value)
{
	struct server_ui_resp *a = pg->a;
	if (a->nheaders >= SERVER_UI_HEADERS)
		return;
	snprintf(a->headers[a->nheaders][0], sizeof a->headers[0][0], "%s", name);
	snprintf(a->headers[a->nheaders][1], sizeof a->headers[0][1], "%s", value);
	a->nheaders++;
}

void ui_send(struct ui_page *pg, int status, const char *type)
{
	if (pg->b.oom) {
		free(pg->b.p);
		pg->b = (struct buf){ 0 };
		buf_s(&pg->b, "out of memory\n");
		status = 503;
		type = "text/plain; charset=utf-8";
	}
	pg->a->status = status;
	pg->a->type = type ? type : "text/html; charset=utf-8";
	pg->a->body = pg->b.p;
	pg->a->len = pg->b.len;
	pg->b = (struct buf){ 0 };
}

void ui_redirect(struct ui_page *pg, const char *location)
{
	/* LOCATION is always one of our own fixed paths: no open redirect. */
	ui_header(pg, "Location", location);
	free(pg->b.p);
	pg->b = (struct buf){ 0 };
	ui_send(pg, 303, "text/plain; charset=utf-8");
}

void ui_csrf_field(struct ui_page *pg)
{
	buf_f(&pg->b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", pg->csrf);
}

char *ui_time(int64_t t, char out[24])
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (t <= 0 || !localtime_r(&tt, &tm))
		snprintf(out, 24, "-");
	else
		strftime(out, 24, "%d-%m-%Y %H:%M", &tm);
	return out;
}

static const struct {
	const char *path, *en, *id;
} nav[] = {
	{ "/ui/month", "This month", "Bulan ini" },
	{ "/ui/trends", "Trends", "Tren" },
	{ "/ui/sync", "Sync status", "Status sinkronisasi" },
	{ "/ui/devices", "Devices", "Perangkat" },
	{ "/ui/training", "Kader training", "Pelatihan kader" },
};

void ui_begin(struct ui_page *pg, const char *title, const char *active)
{
	struct buf *b = &pg->b;
	buf_f(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<title>", pg->en ? "en" : "id");
	buf_h(b, title);
	buf_s(b, " - posyandu-server</title><link rel=\"stylesheet\" href=\"/ui/style.css\">"
	      "</head><body>\n<header><span class=\"brand\">posyandu</span>");
	if (pg->signed_in) {
		buf_s(b, "<nav>");
		for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++)
			buf_f(b, "<a href=\"%s\"%s>%s</a>", nav[i].path,
			      strcmp(nav[i].path, active) == 0 ? " class=\"on\" aria-current=\"page\"" : "",
			      L(pg, nav[i].en, nav[i].id));
		buf_s(b, "</nav><form class=\"who\" method=\"post\" action=\"/ui/logout\"><span>");
		buf_h(b, pg->who.name);
		buf_f(b, " (%s)</span> ", pg->who.role == OFFICER_APPROVER
		      ? L(pg, "approver", "penyetuju") : L(pg, "viewer", "pembaca"));
		ui_csrf_field(pg);
		buf_f(b, "<button type=\"submit\">%s</button></form>", L(pg, "Sign out", "Keluar"));
	}
	buf_s(b, "</header>\n<main>\n<h1>");
	buf_h(b, title);
	buf_s(b, "</h1>\n");
}

void ui_end(struct ui_page *pg)
{
	buf_s(&pg->b, "</main></body></html>\n");
}

void ui_error(struct ui_page *pg, int status, const char *msg)
{
	free(pg->b.p);
	pg->b = (struct buf){ 0 };
	ui_begin(pg, status == 403 ? L(pg, "Not allowed", "Tidak diizinkan")
		 : status == 404 ? L(pg, "Not found", "Tidak ditemukan")
		 : status == 429 ? L(pg, "Too many attempts", "Terlalu banyak percobaan")
		 : L(pg, "Something went wrong", "Terjadi kesalahan"), "");
	buf_s(&pg->b, "<p class=\"msg bad\">");
	buf_h(&pg->b, msg);
	buf_s(&pg->b, "</p>");
	ui_end(pg);
	ui_send(pg, status, NULL);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

const char *ui_form(const struct server_ui_req *q, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = q->body ? q->body : "";

	while (*p) {
		size_t len = strcspn(p, "&");
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t o = 0;
			for (size_t i = nlen + 1; i < len; i++) {
				int c = (unsigned char)p[i];
				if (c == '+')
					c = ' ';
				else if (c == '%' && i + 2 < len + 1 && hexval(p[i + 1]) >= 0 &&
					 hexval(p[i + 2]) >= 0) {
					c = hexval(p[i + 1]) * 16 + hexval(p[i + 2]);
					i += 2;
				}
				if (o + 1 >= size || c == 0)
					return NULL;
				out[o++] = (char)c;
			}
			out[o] = '\0';
			return out;
		}
		if (len == nlen && strncmp(p, name, nlen) == 0) {
			if (size < 1)
				return NULL;
			out[0] = '\0';
			return out;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return NULL;
}

/* Plain, light, readable on a small screen; prints without navigation and
 * forms. No external font or image. */
const char ui_css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"color:#1b1b1b;background:#fafafa;font-size:15px;line-height:1.4}"
	"header{background:#0b5d4b;color:#fff;padding:.4rem .8rem;display:flex;flex-wrap:wrap;"
	"align-items:center;gap:.4rem .9rem}"
	".brand{font-weight:700;letter-spacing:.02em}"
	"nav{display:flex;flex-wrap:wrap;gap:.2rem .8rem;flex:1}"
	"nav a{color:#e6f4f0;text-decoration:none;padding:.2rem 0}"
	"nav a.on{color:#fff;border-bottom:2px solid #fff;font-weight:600}"
	".who{display:flex;gap:.4rem;align-items:center;font-size:.9em}"
	".who button{background:transparent;color:#fff;border:1px solid #cfe;border-radius:3px;"
	"padding:.15rem .5rem}"
	"main{padding:.6rem .8rem;max-width:1200px}"
	"h1{font-size:1.3rem;margin:.3rem 0 .6rem}"
	"h2{font-size:1.1rem;margin:1.2rem 0 .4rem}"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;background:#fff;font-variant-numeric:tabular-nums}"
	"th,td{border:1px solid #d4d4d4;padding:.25rem .45rem;text-align:right;white-space:nowrap}"
	"th{background:#eef3f1;font-weight:600}"
	"#ilp th{white-space:normal;min-width:4.5em;vertical-align:bottom}"
	"td.l,th.l{text-align:left}"
	"tr.dist td{font-weight:700;background:#f3f3f3}"
	"td.ok{color:#0a6b2e}td.below{color:#b3261e;font-weight:600}"
	"tr.none td{background:#fdecea}"
	".tag{display:inline-block;padding:0 .35rem;border-radius:3px;font-size:.85em}"
	".pending{background:#fff3cd}.approved{background:#d7f0df}.revoked{background:#eee;color:#666}"
	".msg{padding:.4rem .6rem;border-radius:3px;background:#e8f1fb}"
	".msg.bad{background:#fdecea;color:#8c1d18}.msg.good{background:#d7f0df}"
	"form.inline{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center;margin:.2rem 0}"
	"input,button,select{font:inherit;padding:.3rem .45rem}"
	"input[type=text],input[type=password]{border:1px solid #999;border-radius:3px;"
	"max-width:100%}"
	"button{background:#0b5d4b;color:#fff;border:0;border-radius:3px;cursor:pointer}"
	"button.danger{background:#8c1d18}"
	".login{max-width:22rem}.login label{display:block;margin:.5rem 0 .15rem}"
	".login input{width:100%}.login button{margin-top:.8rem;width:100%}"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:.8rem}"
	"figure{margin:0;background:#fff;border:1px solid #d4d4d4;padding:.4rem}"
	"figcaption{font-weight:600;margin-bottom:.2rem}"
	"svg{width:100%;height:auto;display:block}"
	".muted{color:#666}.fpr{font-family:ui-monospace,monospace;white-space:nowrap}"
	"a{color:#0b5d4b}"
	/* On paper nothing scrolls: a wide table is printed whole, smaller,
	 * on a landscape page (the ILP table has 20 columns). */
	"@page{size:A4 landscape;margin:10mm}"
	"@media print{header nav,.who,form,.noprint{display:none!important}"
	"body{background:#fff;font-size:10pt}header{background:#fff;color:#000;"
	"border-bottom:1px solid #000}main{max-width:none;padding:0}"
	".scroll{overflow:visible}table{font-size:7pt}th,td{padding:1px 3px}"
	"figure{break-inside:avoid}tr{break-inside:avoid}}\n";

/* ---- the chart ---- */

#define CW 600.0
#define CH 230.0
#define PL 38.0                    /* left margin: the axis labels */
#define PR 24.0
#define PT 12.0
#define PB 30.0                    /* bottom: the month labels */

void ui_chart(struct ui_page *pg, const char *title, const double *v, int n, int first,
	      double target)
{
	struct buf *b = &pg->b;
	double top = 100, w = CW - PL - PR, h = CH - PT - PB;
	bool open = false;

	for (int i = 0; i < n; i++)
		while (v[i] > top)
			top += 50;
	buf_s(b, "<figure><figcaption>");
	buf_h(b, title);
	buf_f(b, "</figcaption><svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	      "aria-label=\"", CW, CH);
	buf_h(b, title);
	buf_s(b, "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\" "
	      "font-family=\"sans-serif\">");
	/* The grid and its labels: 0, 25, ... top. */
	for (double g = 0; g <= top + 0.1; g += top / 4) {
		double y = PT + h - g / top * h;
		buf_f(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
		      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%.0f%%</text>",
		      PL, CW - PR, y, y, PL - 4, y + 4, g);
	}
	if (target >= 0) {
		double y = PT + h - target / top * h;
		buf_f(b, "<line class=\"target\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		      "stroke=\"#b3261e\" stroke-dasharray=\"5 4\"/><text x=\"%.1f\" y=\"%.1f\" "
		      "text-anchor=\"end\" fill=\"#b3261e\">%s %.0f%%</text>", PL, CW - PR, y, y,
		      CW - PR, y - 4, L(pg, "target", "target"), target);
	}
	/* The line, broken where a month has no value. */
	for (int i = 0; i < n; i++) {
		double x = PL + (n > 1 ? w * i / (n - 1) : w / 2);
		if (v[i] < 0) {
			if (open)
				buf_s(b, "\"/>");
			open = false;
			continue;
		}
		if (!open)
			buf_s(b, "<polyline fill=\"none\" stroke=\"#0b5d4b\" stroke-width=\"2\" points=\"");
		buf_f(b, "%.1f,%.1f ", x, PT + h - v[i] / top * h);
		open = true;
	}
	if (open)
		buf_s(b, "\"/>");
	for (int i = 0; i < n; i++) {
		double x = PL + (n > 1 ? w * i / (n - 1) : w / 2);
		char mon[8];
		date_format_month(first + i, mon);
		if (v[i] >= 0)
			buf_f(b, "<circle class=\"pt\" data-month=\"%s\" data-value=\"%.1f\" cx=\"%.1f\" "
			      "cy=\"%.1f\" r=\"3.5\" fill=\"#0b5d4b\"><title>%c%c-%.4s: %.1f%%</title>"
			      "</circle>", mon, v[i], x, PT + h - v[i] / top * h, mon[5], mon[6], mon,
			      v[i]);
		else
			buf_f(b, "<circle class=\"gap\" data-month=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			      "fill=\"none\" stroke=\"#999\"><title>%c%c-%.4s: -</title></circle>", mon,
			      x, PT + h, mon[5], mon[6], mon);
		if (i % 2 == (n - 1) % 2)
			buf_f(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">"
			      "%c%c-%c%c</text>", x, CH - 10, mon[5], mon[6], mon[2], mon[3]);
	}
	buf_s(b, "</svg></figure>\n");
}
