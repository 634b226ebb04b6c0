/* server/ui.h: the district officers' web interface (issue 17,
 * posyandu-server(8) WEB INTERFACE), what its files share.
 *
 * Why server/: the pages are a front end of posyandu-server, like
 * `report monthly` (server/cmd_report.c), over the same calls (sync/
 * server_report.c, app/quiz_view.c, storage/). The daemon (sync/server.c)
 * hands each /ui/ request to ui_handle() as a plain struct server_ui_req
 * and sends back a struct server_ui_resp, so no page code touches
 * libmicrohttpd, and sync/ knows nothing of pages, officers or sessions.
 *
 *   server/ui.c        routes, sign-in, sessions, CSRF, rate limit, headers
 *   server/ui_html.c   the page buffer, HTML escaping, layout, CSS, charts
 *   server/ui_pages.c  the pages: month, trends, sync, devices, training
 *
 * Language: Indonesian unless the browser prefers English
 * (Accept-Language). The rest of the program uses gettext, but gettext's
 * language is per process, and the daemon serves officers of both
 * languages from several threads at once; so the interface carries its two
 * languages side by side at each string (the L() macro), a small
 * two-language table in place. */
#ifndef POSYANDU_SERVER_UI_H
#define POSYANDU_SERVER_UI_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "storage/officer.h"
#include "sync/server.h"
#include "core/ratelimit.h"

#define UI_BUCKETS 256
#define UI_LOGINS_PER_MINUTE 5     /* sign-in attempts per client address and name */
#define UI_ADDRESS_LOGINS_PER_MINUTE 20 /* and per client address not on loopback */
#define UI_CHECKS_AT_ONCE 2        /* password checks running at once (64 MiB each) */


struct ui_ctx {
	struct store *s;
	/* The D/S and N/D targets, % (domain.md §3.4; [report] target_ds and
	 * target_nd of posyandu.ini(5), 80 by default): the dashed line of
	 * the charts, and a ratio below is marked. */
	int target_ds, target_nd;
	pthread_mutex_t lock;      /* the buckets and the count of checks */
	struct rate_bucket b[UI_BUCKETS];   /* by "ADDRESS/NAME" (core/ratelimit.h) */
	struct rate_bucket ab[UI_BUCKETS];  /* by ADDRESS: new names do not buy tries */
	int checks;                /* password checks running now */
};

void ui_init(struct ui_ctx *u, struct store *s, int target_ds, int target_nd);
void ui_fini(struct ui_ctx *u);
/* The server_ui_fn of the daemon (CTX: a struct ui_ctx). */
void ui_handle(void *ctx, const struct server_ui_req *q, struct server_ui_resp *a);

/* ---- a growing page (ui_html.c) ---- */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_s(struct buf *b, const char *s);
void buf_f(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* S with & < > " ' escaped: every string that comes from data. */
void buf_h(struct buf *b, const char *s);

/* One request. */
struct ui_page {
	const struct server_ui_req *q;
	struct server_ui_resp *a;
	struct ui_ctx *u;
	bool en;                   /* English; else Indonesian */
	bool signed_in;
	struct officer who;
	char csrf[65];             /* hex, when signed in */
	struct buf b;
};
#define L(pg, en_, id_) ((pg)->en ? (en_) : (id_))

void ui_header(struct ui_page *pg, const char *name, const char *value);
/* The page's head and navigation (ACTIVE: the path of this page). */
void ui_begin(struct ui_page *pg, const char *title, const char *active);
void ui_end(struct ui_page *pg);
/* The buffer becomes the answer with STATUS (HTML, or TYPE when not NULL). */
void ui_send(struct ui_page *pg, int status, const char *type);
void ui_error(struct ui_page *pg, int status, const char *msg);
void ui_redirect(struct ui_page *pg, const char *location);
/* The hidden CSRF field of a form. */
void ui_csrf_field(struct ui_page *pg);
/* The decoded field NAME of the urlencoded form body into OUT: OUT, or
 * NULL when absent or longer than SIZE - 1. */
const char *ui_form(const struct server_ui_req *q, const char *name, char *out, size_t size);
/* DD-MM-YYYY HH:MM (local time) of T (seconds), "-" for 0. */
char *ui_time(int64_t t, char out[24]);
/* The stylesheet (/ui/style.css). */
extern const char ui_css[];

/* An SVG line chart of N monthly values (percentages, < 0: none) of the
 * months FIRST.. (date_month_index), with a dashed TARGET line (< 0: none). */
void ui_chart(struct ui_page *pg, const char *title, const double *v, int n, int first,
	      double target);

/* ---- the pages (ui_pages.c); the store is locked by each as needed ---- */
void ui_page_month(struct ui_page *pg);
void ui_page_month_csv(struct ui_page *pg);
void ui_page_trends(struct ui_page *pg);
void ui_page_sync(struct ui_page *pg);
void ui_page_devices(struct ui_page *pg);
void ui_post_devices(struct ui_page *pg);
void ui_page_training(struct ui_page *pg);
void ui_page_training_csv(struct ui_page *pg);

#endif
