/* sync/http_client.h: talking to posyandu-server with libcurl (SECURITY.md
 * §3.2): connect and low-speed timeouts, retries with exponential backoff
 * and jitter on network errors and 5xx only (never on 4xx). Re-sending is
 * always safe: the server answers a bundle it has seen with the receipt it
 * stored, and changes nothing.
 *
 * https works when the URL says so: curl checks the server certificate
 * against the system CAs, or CACERT (the district's own certificate), and
 * PINNED_KEY ("sha256//<base64>") pins its public key. The bundles and
 * receipts are end-to-end sealed and signed anyway; TLS hides metadata. */
#ifndef POSYANDU_SYNC_HTTP_CLIENT_H
#define POSYANDU_SYNC_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "sync/transport.h"

struct http_opts {
	const char *url;           /* base, e.g. "http://10.0.0.5:8080" */
	long connect_timeout_s;    /* 0 = 10 */
	long low_speed_time_s;     /* below 1 byte/s for this long: give up; 0 = 30 */
	int retries;               /* attempts after the first; -1 = 4 */
	long backoff_ms;           /* the first wait, doubled each time; 0 = 1000 */
	const char *cacert;        /* NULL = system CAs */
	const char *pinned_key;    /* NULL = no pin */
};

/* Where an answer goes: memory up to CAP, or the file FD (up to MAX bytes). */
struct http_sink {
	uint8_t *mem;
	size_t cap, len;
	int fd;                    /* -1 = memory */
	uint64_t max, written;
	int too_big;
};

/* POST to URL + PATH a body from memory (BODY, LEN) or from the file FD
 * (LEN bytes, BODY NULL). *STATUS gets the HTTP status of the last attempt.
 * -1 with ERR_IO (field "server") when the server cannot be reached, or
 * answers 5xx, after every retry. A 4xx is returned as it is (0). */
int http_post(const struct http_opts *o, const char *path, const uint8_t *body, int fd,
	      uint64_t len, long *status, struct http_sink *sink, struct err *err);

/* The transport: CTX is a struct http_opts. A receipt comes back at once. */
extern const struct transport_ops http_transport;

/* The error for a 4xx answer: the server's one-line reason in the detail. */
int http_fail_status(long status, const struct http_sink *sink, struct err *err);

#endif
