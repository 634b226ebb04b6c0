/* sync/server.h: the district's HTTP(S) daemon (libmicrohttpd).
 *
 *   POST /v1/bundles     a bundle -> 200 and the 184-byte receipt
 *                        (also for a bundle seen before: the stored receipt)
 *   POST /v1/enrol       an enrolment request -> 202 "pending <fingerprint>"
 *   POST /v1/downstream  a signed downstream request -> 200 and a bundle
 *                        for that device, or 204 when there is nothing
 *   GET  /v1/key         the district key string (for a first check)
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

struct server_opts {
	uint64_t max_size;         /* upload cap; 0 = BUNDLE_MAX_SIZE */
	/* The door; 0 = the SERVER_* default above. */
	unsigned enrol_per_code, enrol_total, enrol_per_minute;
	unsigned spool_per_device_mib, spool_total_mib;
	const char *tls_cert_pem;  /* both set: https */
	const char *tls_key_pem;
	unsigned threads;          /* 0 = 4 */
	FILE *log;                 /* one line per request, or NULL */
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
