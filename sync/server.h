/* sync/server.h: the district's HTTP(S) daemon (libmicrohttpd).
 *
 *   POST /v1/bundles     a bundle -> 200 and the 184-byte receipt
 *                        (also for a bundle seen before: the stored receipt)
 *   POST /v1/enrol       an enrolment request -> 202 "pending <fingerprint>"
 *   POST /v1/downstream  a signed downstream request -> 200 and a bundle
 *                        for that device, or 204 when there is nothing
 *   GET  /v1/key         the district key string (for a first check)
 *   /ui/...              the officers' web interface (server_opts.ui)
 *
 * Uploads are spooled to a private file with a size cap (413 beyond it)
 * and imported through the same pipeline as a USB file, one at a time
 * (one writer); the answer goes back only after COMMIT. A refused bundle
 * gets 4xx and one line "<class>: <reason>"; a failure of ours (disk full,
 * database busy) gets 503, which clients retry.
 *
 * The door (issue 13): nothing an unauthenticated client sends reaches the
 * disk or the database unbounded.
 *   - A declared Content-Length over the cap is 413 before the body is read
 *     (no "100 Continue"); a body without one is counted and cut at the cap.
 *   - An upload is held in memory until its 200-byte clear header names an
 *     approved device of this district: unknown, pending or revoked is 403
 *     at once; only then is a spool file opened. Each upload reserves its
 *     Content-Length (the cap without one) of SPOOL_PER_DEVICE_MIB for its
 *     sender (429 beyond) and of SPOOL_TOTAL_MIB in all (503 beyond), so
 *     the spool never holds more, however many connections are open.
 *   - Enrolment requests: a token bucket per client address (ENROL_PER_MINUTE,
 *     in memory, a fixed table; 429), and caps on pending requests per
 *     posyandu code and in the district (409); a repeat of a kept request is
 *     answered 200 and writes nothing.
 *   - Every refusal is one log line with the client address, the reason and
 *     the device id when the header named one. */
#ifndef POSYANDU_SYNC_SERVER_H
#define POSYANDU_SYNC_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "storage/store.h"

#define SERVER_ENROL_PER_CODE 5      /* pending requests per posyandu code */
#define SERVER_ENROL_TOTAL 500       /* pending requests in the district */
#define SERVER_ENROL_PER_MINUTE 5    /* enrolment requests per client address */
#define SERVER_SPOOL_PER_DEVICE_MIB 512   /* spooled at a time for one sender */
#define SERVER_SPOOL_TOTAL_MIB 2048       /* spooled at a time in all */
#define SERVER_LIMIT_MAX 100000      /* no limit above is taken */

/* The web interface (issue 17): requests under /ui/ go to a callback of
 * the front end (server/ui.c), which renders pages; the daemon reads the
 * request (a form body up to SERVER_UI_BODY_MAX bytes, 413 beyond) and
 * sends the answer, and knows nothing of pages, sessions or officers.
 * Unless the daemon runs TLS, only loopback clients reach the interface
 * (403 for others): passwords and session cookies never cross a network
 * in clear. */
#define SERVER_UI_BODY_MAX 4096
#define SERVER_UI_HEADERS 10
struct server;
struct server_ui_req {
	struct server *sv;         /* server_lock() around every use of the store */
	const char *method, *url;  /* URL: the path, without the query */
	const char *ip;            /* the client address */
	bool tls;
	const char *body;          /* a NUL-terminated copy of the body */
	size_t body_len;
	void *conn;                /* for the lookups below */
};
/* A request header, or a query argument (decoded); NULL when absent. */
const char *server_ui_header(const struct server_ui_req *q, const char *name);
const char *server_ui_arg(const struct server_ui_req *q, const char *name);

struct server_ui_resp {
	int status;
	const char *type;          /* Content-Type */
	char *body;                /* malloc'd (the daemon frees it), or NULL */
	size_t len;
	size_t nheaders;
	char headers[SERVER_UI_HEADERS][2][320];   /* name, value */
};
typedef void (*server_ui_fn)(void *ctx, const struct server_ui_req *q, struct server_ui_resp *a);

struct server_opts {
	uint64_t max_size;         /* upload cap; 0 = BUNDLE_MAX_SIZE */
	/* The door; 0 = the SERVER_* default above. */
	unsigned enrol_per_code, enrol_total, enrol_per_minute;
	unsigned spool_per_device_mib, spool_total_mib;
	const char *tls_cert_pem;  /* both set: https */
	const char *tls_key_pem;
	unsigned threads;          /* 0 = 4 */
	FILE *log;                 /* one line per request, or NULL */
	server_ui_fn ui;           /* /ui/ requests, or NULL: 404 */
	void *ui_ctx;
};

struct server;

/* Listen on LISTEN ("ADDR:PORT"; port 0 picks a free one) and serve S,
 * which must stay open and unlocked until server_stop(). */
struct server *server_start(struct store *s, const char *listen, const struct server_opts *o,
			    struct err *err);
uint16_t server_port(const struct server *sv);
void server_stop(struct server *sv);

/* Lock / unlock the store for other use while the server runs. */
void server_lock(struct server *sv);
void server_unlock(struct server *sv);

#endif
