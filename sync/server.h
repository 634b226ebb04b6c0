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
 * database busy) gets 503, which clients retry. */
#ifndef POSYANDU_SYNC_SERVER_H
#define POSYANDU_SYNC_SERVER_H

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "storage/store.h"

struct server_opts {
	uint64_t max_size;         /* upload cap; 0 = BUNDLE_MAX_SIZE */
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
