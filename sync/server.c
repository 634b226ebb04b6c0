/* sync/server.c: the district's HTTP(S) daemon. */
#include "sync/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "core/ratelimit.h"
#include "storage/sync_store.h"
#include "sync/bundle.h"
#include "sync/enrol.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "sync/receipt.h"
#include "sync/request.h"
#include "sync/wire.h"
#include "core/banned.h"

#define SMALL_MAX 1024             /* enrolment and downstream requests */
#define BUCKETS 512                /* client addresses the enrolment rate remembers */
#define RETRY_AFTER "60"           /* seconds, with 429 and 503 */


/* The spool reserved by the uploads in progress of one sender (the one
 * its header names); N = 0: a free entry. */
#define SLOTS 256
struct slot {
	uint8_t sender[16];
	unsigned n;
	uint64_t bytes;
};

/* On PostgreSQL each import runs on a connection of its own (issue 16):
 * at most one per libmicrohttpd thread is ever in use. */
#define TWINS_MAX 64

struct server {
	struct MHD_Daemon *d;
	struct store *s;
	pthread_mutex_t lock;      /* every use of S (SQLite: the one writer) */
	struct store *twins[TWINS_MAX];  /* PostgreSQL: S's twins, made as needed */
	bool twin_busy[TWINS_MAX];
	unsigned ntwins, twins_max;      /* door_lock */
	bool twins_off;            /* S is on SQLite */
	time_t twins_retry;        /* a twin could not be made: none tried before this */
	pthread_mutex_t log_lock;
	pthread_mutex_t door_lock; /* the buckets and the slots */
	struct server_opts o;      /* every limit filled in (no 0) */
	uint16_t port;
	char key[KEYSTR_MAX];
	struct rate_bucket buckets[BUCKETS];   /* per client address (core/ratelimit.h) */
	struct slot slots[SLOTS];
	uint64_t spooled;          /* reserved by every upload in progress */
};

enum req_kind { REQ_BUNDLE, REQ_ENROL, REQ_DOWN, REQ_UI };

struct req {
	enum req_kind kind;
	int fd;                    /* the spooled upload, once the header passed */
	uint64_t size;             /* bytes spooled */
	uint64_t seen;             /* body bytes received */
	uint64_t declared;         /* Content-Length; 0 = none */
	bool io_error;
	bool answered;             /* refused: the rest of the body is dropped */
	bool in_body;              /* MHD has handed out body bytes */
	uint8_t head[BUNDLE_HEADER_LEN];   /* a bundle's clear header, in memory */
	size_t head_len;
	uint8_t sender[16];        /* what the header says, when HAS_SENDER */
	bool has_sender;
	int slot;                  /* the sender's entry in SLOTS, or -1 */
	uint64_t reserved;         /* of the spool, while SLOT >= 0 */
	uint8_t small[SMALL_MAX];
	size_t small_len;
	char *ui_body;             /* REQ_UI: the form body (SERVER_UI_BODY_MAX + 1) */
	char ip[INET6_ADDRSTRLEN];
	struct timespec start;
	int status;
	const char *outcome;
	char detail[200];          /* why it was refused, for the log */
};

void server_lock(struct server *sv)
{
	pthread_mutex_lock(&sv->lock);
}

void server_unlock(struct server *sv)
{
	pthread_mutex_unlock(&sv->lock);
}

uint16_t server_port(const struct server *sv)
{
	return sv->port;
}

static enum MHD_Result reply(struct MHD_Connection *conn, struct req *r, int status,
			     const void *body, size_t len, const char *type)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == 429 || status == 503)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, RETRY_AFTER);
	if (r)
		r->status = status;
	rc = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, struct req *r, int status,
				  const char *outcome, const char *text)
{
	char line[300];
	int n = snprintf(line, sizeof line, "%s: %s\n", outcome, text);
	if (r) {
		r->outcome = outcome;
		if (status >= 400 && text != r->detail)
			snprintf(r->detail, sizeof r->detail, "%s", text);
	}
	return reply(conn, r, status, line, n < 0 ? 0 : (size_t)n > sizeof line - 1 ? sizeof line - 1 : (size_t)n,
		     "text/plain; charset=utf-8");
}

/* A twin of the store for this thread's import (store_twin), or NULL:
 * then the store itself, under LOCK. A twin's keys are a copy of the
 * store's as the server unlocked it; the server never changes them. */
static struct store *twin_take(struct server *sv)
{
	struct store *t = NULL;
	struct err e = { 0 };
	unsigned i, slot = UINT_MAX;

	pthread_mutex_lock(&sv->door_lock);
	if (sv->twins_off) {
		pthread_mutex_unlock(&sv->door_lock);
		return NULL;
	}
	for (i = 0; i < sv->ntwins && !t; i++)
		if (!sv->twin_busy[i] && sv->twins[i]) {
			sv->twin_busy[i] = true;
			t = sv->twins[i];
		} else if (!sv->twin_busy[i] && slot == UINT_MAX) {
			slot = i;      /* one that could not be made: made again */
		}
	if (!t && slot == UINT_MAX && sv->ntwins < sv->twins_max)
		slot = sv->ntwins++;
	/* none free: the store; after a failure, no new one for 30 s */
	if (t || slot == UINT_MAX || time(NULL) < sv->twins_retry) {
		pthread_mutex_unlock(&sv->door_lock);
		return t;
	}
	sv->twin_busy[slot] = true;        /* reserved; made outside the door lock */
	pthread_mutex_unlock(&sv->door_lock);
	pthread_mutex_lock(&sv->lock);
	t = store_twin(sv->s, &e);
	pthread_mutex_unlock(&sv->lock);
	pthread_mutex_lock(&sv->door_lock);
	sv->twins[slot] = t;
	if (!t) {
		/* no connection now (the database restarting, max_connections):
		 * this import waits for the store, the slot is tried again in
		 * 30 s, and the log says why */
		sv->twin_busy[slot] = false;
		sv->twins_retry = time(NULL) + 30;
	}
	pthread_mutex_unlock(&sv->door_lock);
	if (!t && sv->o.log) {
		pthread_mutex_lock(&sv->log_lock);
		fprintf(sv->o.log, "posyandu-server: another database connection could not be made "
			"(%s); this import waits for the store's, a new one is tried in 30 s\n",
			e.detail);
		fflush(sv->o.log);
		pthread_mutex_unlock(&sv->log_lock);
	}
	return t;
}

static void twin_give(struct server *sv, struct store *t)
{
	pthread_mutex_lock(&sv->door_lock);
	for (unsigned i = 0; i < sv->ntwins; i++)
		if (sv->twins[i] == t)
			sv->twin_busy[i] = false;
	pthread_mutex_unlock(&sv->door_lock);
}

/* The import, with the key update of a receipt after a rotation: on a
 * twin, in parallel with the other threads' (each posyandu's imports take
 * turns in the database, and the ordered part of each takes the writers'
 * lock: storage/sync_import.c); on SQLite one at a time. */
static int import_one(struct server *sv, struct req *r, const struct import_opts *io,
		      struct import_result *ir, uint8_t *ku_buf, bool *ku, struct err *e)
{
	struct store *t = twin_take(sv);
	struct store *s = t ? t : sv->s;
	int rc;

	if (!t)
		pthread_mutex_lock(&sv->lock);
	rc = import_spooled(s, r->fd, r->size, io, ir, e);
	/* After a rotation the receipt carries the key update (SECURITY.md
	 * §2.9), over HTTP as on a stick. */
	if (rc == 0 && ir->has_receipt && receipt_key_update(s, ku_buf, ku, e) < 0)
		*ku = false;    /* the receipt still goes; the next one carries it */
	if (t)
		twin_give(sv, t);
	else
		pthread_mutex_unlock(&sv->lock);
	return rc;
}

static enum MHD_Result do_bundle(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	struct import_opts io = { .district = true, .max_size = sv->o.max_size };
	struct import_result ir;
	struct err e = { 0 };
	int rc;

	if (r->io_error)
		return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL),
				  "the server could not spool the upload");
	uint8_t rbuf[RECEIPT_LEN + KEYUPDATE_LEN];
	bool ku = false;

	rc = import_one(sv, r, &io, &ir, rbuf + RECEIPT_LEN, &ku, &e);
	if (rc == 0 && ir.has_receipt) {
		r->outcome = bundle_class_name(ir.cls);
		memcpy(rbuf, ir.receipt, RECEIPT_LEN);
		return reply(conn, r, 200, rbuf, RECEIPT_LEN + (ku ? KEYUPDATE_LEN : 0),
			     "application/octet-stream");
	}
	if (rc == 0)
		return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL), "no receipt stored");
	return reply_text(conn, r, bundle_class_http(ir.cls), bundle_class_name(ir.cls), e.detail);
}

static enum MHD_Result do_enrol(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	struct sync_device d;
	struct err e = { 0 };
	char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN], line[128];
	bool existed;
	int rc;

	pthread_mutex_lock(&sv->lock);
	rc = enrol_accept_capped(sv->s, r->small, r->small_len, sv->o.enrol_per_code,
				 sv->o.enrol_total, &d, &existed, &e);
	pthread_mutex_unlock(&sv->lock);
	if (rc < 0)
		return reply_text(conn, r, e.code == ERR_EXISTS || e.code == ERR_FULL ? 409 : 400,
				  "refused", e.detail);
	enrol_device_key(&d, key, fpr);
	snprintf(line, sizeof line, "%s", fpr);
	return reply_text(conn, r, existed ? 200 : 202, "pending", line);
}

static enum MHD_Result do_down(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	struct pull_request pr;
	struct sync_device dev;
	struct export_result er;
	struct MHD_Response *resp;
	struct err e = { 0 };
	enum MHD_Result mrc;
	struct stat st;
	int fd;

	if (pull_parse(r->small, r->small_len, &pr, &e) < 0)
		return reply_text(conn, r, 400, "refused", e.detail);
	pthread_mutex_lock(&sv->lock);
	if (sync_device_get(sv->s, pr.device, &dev, &e) < 0) {
		pthread_mutex_unlock(&sv->lock);
		/* a failure of ours (a database connection cut: its first
		 * statement after) is retried, not an unknown device */
		if (e.code != ERR_NOTFOUND)
			return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL), e.detail);
		return reply_text(conn, r, 403, bundle_class_name(BUNDLE_UNKNOWN_DEVICE), e.detail);
	}
	if (dev.status != SYNC_DEV_APPROVED) {
		pthread_mutex_unlock(&sv->lock);
		return reply_text(conn, r, 403, bundle_class_name(dev.status == SYNC_DEV_PENDING
				  ? BUNDLE_PENDING_DEVICE : BUNDLE_REVOKED_DEVICE), "device not approved");
	}
	if (pull_verify(r->small, dev.ed_pk, &e) < 0) {
		pthread_mutex_unlock(&sv->lock);
		return reply_text(conn, r, 403, bundle_class_name(BUNDLE_SIGNATURE), e.detail);
	}
	if (export_downstream(sv->s, pr.device, pr.down_ack, &er, &e) < 0) {
		pthread_mutex_unlock(&sv->lock);
		return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL), e.detail);
	}
	pthread_mutex_unlock(&sv->lock);
	if (er.empty)
		return reply(conn, r, 204, "", 0, "application/octet-stream");
	if ((fd = open(er.e.path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL), strerror(errno));
	}
	if (!(resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd))) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
	r->status = 200;
	r->outcome = "downstream";
	mrc = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	return mrc;
}

/* ---- the door: what is decided before anything reaches the disk ---- */

static double mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Take a token from the bucket of IP; false when it is empty. */
static bool rate_take_ip(struct server *sv, const char *ip)
{
	bool ok;

	pthread_mutex_lock(&sv->door_lock);
	ok = rate_take(sv->buckets, BUCKETS, ip, sv->o.enrol_per_minute, mono_now());
	pthread_mutex_unlock(&sv->door_lock);
	return ok;
}

/* Reserve WANT bytes of the spool for SENDER: its entry, -1 when the
 * sender's share would be passed, -2 when the total would be (or every
 * entry is taken). */
static int slot_take(struct server *sv, const uint8_t sender[16], uint64_t want)
{
	uint64_t mib = 1 << 20;
	int mine = -1, free_slot = -1, rc;

	pthread_mutex_lock(&sv->door_lock);
	for (int i = 0; i < SLOTS && mine < 0; i++) {
		if (sv->slots[i].n && memcmp(sv->slots[i].sender, sender, 16) == 0)
			mine = i;
		else if (!sv->slots[i].n && free_slot < 0)
			free_slot = i;
	}
	if ((mine >= 0 ? sv->slots[mine].bytes : 0) + want > sv->o.spool_per_device_mib * mib)
		rc = -1;
	else if (sv->spooled + want > sv->o.spool_total_mib * mib || (mine < 0 && free_slot < 0))
		rc = -2;
	else {
		rc = mine >= 0 ? mine : free_slot;
		memcpy(sv->slots[rc].sender, sender, 16);
		sv->slots[rc].n++;
		sv->slots[rc].bytes += want;
		sv->spooled += want;
	}
	pthread_mutex_unlock(&sv->door_lock);
	return rc;
}

static void slot_give(struct server *sv, int i, uint64_t bytes)
{
	pthread_mutex_lock(&sv->door_lock);
	sv->slots[i].n--;
	sv->slots[i].bytes -= bytes;
	sv->spooled -= bytes;
	pthread_mutex_unlock(&sv->door_lock);
}

static void client_ip(struct MHD_Connection *conn, char ip[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(ip, INET6_ADDRSTRLEN, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
			  INET6_ADDRSTRLEN);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
			  INET6_ADDRSTRLEN);
}

/* Refuse. Before the body (the first call) the answer is queued at once,
 * and MHD sends it without reading the body or sending "100 Continue".
 * libmicrohttpd 0.9.x queues nothing while a body is being read, so a
 * refusal from the body's first bytes is kept: the rest of the body is
 * counted and dropped, never stored, and the answer goes out when the body
 * ends (past the cap, the connection is cut). */
static enum MHD_Result refuse(struct MHD_Connection *conn, struct req *r, int status,
			      const char *outcome, const char *text)
{
	r->answered = true;
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
	if (!r->in_body)
		return reply_text(conn, r, status, outcome, text);
	r->status = status;
	r->outcome = outcome;
	snprintf(r->detail, sizeof r->detail, "%s", text);
	return MHD_YES;
}

static uint64_t body_cap(const struct server *sv, const struct req *r)
{
	return r->kind == REQ_BUNDLE ? sv->o.max_size : r->kind == REQ_UI ? SERVER_UI_BODY_MAX
									: SMALL_MAX;
}

/* ---- the web interface: the request to the front end's callback ---- */

const char *server_ui_header(const struct server_ui_req *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name);
}

const char *server_ui_arg(const struct server_ui_req *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
}

static bool loopback(const char *ip)
{
	return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0;
}

static enum MHD_Result do_ui(struct server *sv, struct MHD_Connection *conn, struct req *r,
			     const char *url, const char *method)
{
	struct server_ui_req q = { .sv = sv, .method = method, .url = url, .ip = r->ip,
				   .tls = sv->o.tls_cert_pem != NULL, .body = r->ui_body,
				   .body_len = r->small_len, .conn = conn };
	struct server_ui_resp *a;
	struct MHD_Response *resp;
	enum MHD_Result rc;

	/* Without TLS, a password or a cookie must not cross a network. */
	if (!q.tls && !loopback(r->ip))
		return reply_text(conn, r, 403, "refused", "the web interface answers on "
				  "127.0.0.1 only unless the server runs TLS");
	if (!(a = calloc(1, sizeof *a)))
		return MHD_NO;
	a->status = 500;
	sv->o.ui(sv->o.ui_ctx, &q, a);
	resp = MHD_create_response_from_buffer(a->len, a->body ? a->body : (char *)"",
					       a->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(a->body);
		free(a);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				a->type ? a->type : "text/plain; charset=utf-8");
	for (size_t i = 0; i < a->nheaders && i < SERVER_UI_HEADERS; i++)
		MHD_add_response_header(resp, a->headers[i][0], a->headers[i][1]);
	r->status = a->status;
	r->outcome = "ui";
	rc = MHD_queue_response(conn, (unsigned)a->status, resp);
	MHD_destroy_response(resp);
	free(a);
	return rc;
}

/* The first call, with the headers only: a declared size over the cap is
 * refused here, so MHD never reads the body (nor sends "100 Continue"); an
 * address over its enrolment rate likewise. */
static enum MHD_Result door_open(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_TRANSFER_ENCODING);
	char text[160];

	/* Both framings at once (RFC 9112 §6.3): the length a reservation was
	 * made for would not be the length read. */
	if (cl && te)
		return refuse(conn, r, 400, "refused", "both Content-Length and Transfer-Encoding");
	if (cl) {
		char *end;
		unsigned long long n;
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (cl[0] < '0' || cl[0] > '9' || *end || errno)
			return refuse(conn, r, 400, "refused", "bad Content-Length");
		if (n > body_cap(sv, r)) {
			snprintf(text, sizeof text, "%llu bytes declared, at most %llu are accepted", n,
				 (unsigned long long)body_cap(sv, r));
			return refuse(conn, r, 413, r->kind == REQ_BUNDLE
				      ? bundle_class_name(BUNDLE_TOO_LARGE) : "refused", text);
		}
		r->declared = n;
		if (r->kind == REQ_BUNDLE && n < BUNDLE_MIN_SIZE)
			return refuse(conn, r, 400, bundle_class_name(BUNDLE_HEADER),
				      "the upload is smaller than any bundle");
	}
	if (r->kind == REQ_ENROL && !rate_take_ip(sv, r->ip)) {
		snprintf(text, sizeof text, "too many enrolment requests from %s (at most %u a "
			 "minute): try again later", r->ip, sv->o.enrol_per_minute);
		return refuse(conn, r, 429, "refused", text);
	}
	return MHD_YES;
}

/* The clear header is in memory: check it, look up its sender, take an
 * upload slot, and only then open the spool file and write the header. */
static enum MHD_Result door_header(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	struct bundle_header h;
	struct bundle_trailer t;
	struct store *ts;
	struct sync_device dev;
	struct err e = { 0 };
	enum bundle_class cls;
	uint8_t tail[BUNDLE_TRAILER_LEN] = { 0 };
	char text[160];
	uint64_t want;
	int rc;

	/* bundle_parse() judges the header and then the trailer; a trailer made
	 * to agree with itself leaves only the header to be judged. */
	memcpy(tail, bundle_end_magic(wire_get16(r->head + 8)), 8);
	wire_put32(tail + 8, 2);
	wire_put32(tail + 12, 1);
	wire_put64(tail + 16, 10);
	if (bundle_parse(r->head, tail, BUNDLE_HEADER_LEN + 10 + BUNDLE_CHUNK_OVERHEAD +
			 BUNDLE_TRAILER_LEN, &h, &t, &cls, &e) < 0)
		return refuse(conn, r, 400, bundle_class_name(BUNDLE_HEADER), e.detail);
	memcpy(r->sender, h.sender, 16);
	r->has_sender = true;
	if ((ts = twin_take(sv))) {
		rc = sync_device_get(ts, h.sender, &dev, &e);
		twin_give(sv, ts);
	} else {
		pthread_mutex_lock(&sv->lock);
		rc = sync_device_get(sv->s, h.sender, &dev, &e);
		pthread_mutex_unlock(&sv->lock);
	}
	if (rc < 0 && e.code == ERR_NOTFOUND)
		return refuse(conn, r, 403, bundle_class_name(BUNDLE_UNKNOWN_DEVICE),
			      "the sender is not a device of this district");
	if (rc < 0)
		return refuse(conn, r, 503, bundle_class_name(BUNDLE_LOCAL), e.detail);
	if (dev.status == SYNC_DEV_PENDING)
		return refuse(conn, r, 403, bundle_class_name(BUNDLE_PENDING_DEVICE),
			      "the device is not approved yet");
	if (dev.status != SYNC_DEV_APPROVED)
		return refuse(conn, r, 403, bundle_class_name(BUNDLE_REVOKED_DEVICE),
			      "the device is revoked");
	/* The declared size, or the cap when the body has no length. */
	want = r->declared ? r->declared : sv->o.max_size;
	if ((r->slot = slot_take(sv, h.sender, want)) == -1) {
		snprintf(text, sizeof text, "uploads of this device in progress hold its share of "
			 "the spool (%u MiB): try again later", sv->o.spool_per_device_mib);
		return refuse(conn, r, 429, "refused", text);
	}
	if (r->slot < 0) {
		snprintf(text, sizeof text, "uploads in progress hold the spool (%u MiB): try "
			 "again later", sv->o.spool_total_mib);
		return refuse(conn, r, 503, "refused", text);
	}
	r->reserved = want;
	if ((r->fd = import_spool_open(sv->s, &e)) < 0)
		return refuse(conn, r, 503, bundle_class_name(BUNDLE_LOCAL),
			      "the server could not spool the upload");
	return MHD_YES;
}

static int spool_write(struct req *r, const char *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = write(r->fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	r->size += n;
	return 0;
}

/* Body bytes of an upload: the header into memory, the rest to the spool. */
static enum MHD_Result bundle_data(struct server *sv, struct MHD_Connection *conn, struct req *r,
				   const char *data, size_t n)
{
	if (r->seen > sv->o.max_size) {
		/* No Content-Length: counted, and cut at the cap (an answer cannot
		 * be queued in the middle of a body). */
		refuse(conn, r, 413, bundle_class_name(BUNDLE_TOO_LARGE),
		       "the body went past the cap without a Content-Length");
		return MHD_NO;
	}
	if (r->head_len < BUNDLE_HEADER_LEN) {
		size_t take = BUNDLE_HEADER_LEN - r->head_len;
		enum MHD_Result rc;
		if (take > n)
			take = n;
		memcpy(r->head + r->head_len, data, take);
		r->head_len += take;
		data += take;
		n -= take;
		if (r->head_len < BUNDLE_HEADER_LEN)
			return MHD_YES;
		if ((rc = door_header(sv, conn, r)) != MHD_YES || r->answered)
			return rc;
		if (spool_write(r, (const char *)r->head, BUNDLE_HEADER_LEN) < 0)
			r->io_error = true;
	}
	/* Never more on disk than was reserved for this upload. */
	if (n && r->size + n > r->reserved) {
		refuse(conn, r, 413, bundle_class_name(BUNDLE_TOO_LARGE),
		       "the body went past the size it declared");
		return MHD_NO;
	}
	if (n && !r->io_error && spool_write(r, data, n) < 0)
		r->io_error = true;
	return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct server *sv = cls;
	struct req *r = *con_cls;
	(void)version;

	if (!r) {
		enum req_kind kind;
		if (strcmp(method, "GET") == 0 && strcmp(url, "/v1/key") == 0) {
			char line[KEYSTR_MAX + 1];
			int n = snprintf(line, sizeof line, "%s\n", sv->key);
			return reply(conn, NULL, 200, line, (size_t)n, "text/plain");
		}
		if (sv->o.ui && (strcmp(url, "/ui") == 0 || strncmp(url, "/ui/", 4) == 0))
			kind = REQ_UI;
		else if (strcmp(url, "/v1/bundles") == 0)
			kind = REQ_BUNDLE;
		else if (strcmp(url, "/v1/enrol") == 0)
			kind = REQ_ENROL;
		else if (strcmp(url, "/v1/downstream") == 0)
			kind = REQ_DOWN;
		else
			return reply_text(conn, NULL, 404, "not found", url);
		if (kind != REQ_UI && strcmp(method, "POST") != 0)
			return reply_text(conn, NULL, 405, "method not allowed", method);
		if (kind == REQ_UI && strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
			return reply_text(conn, NULL, 405, "method not allowed", method);
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		if (kind == REQ_UI && !(r->ui_body = calloc(1, SERVER_UI_BODY_MAX + 1))) {
			free(r);
			return MHD_NO;
		}
		r->kind = kind;
		r->fd = -1;
		r->slot = -1;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		client_ip(conn, r->ip);
		*con_cls = r;
		return door_open(sv, conn, r);
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		r->seen += n;
		r->in_body = true;
		if (r->answered)   /* dropped, and never past the cap */
			return r->seen > body_cap(sv, r) ? MHD_NO : MHD_YES;
		if (r->seen > body_cap(sv, r) && r->kind != REQ_BUNDLE) {
			refuse(conn, r, 413, "refused", "request too large");
			return MHD_NO;
		}
		if (r->kind == REQ_BUNDLE)
			return bundle_data(sv, conn, r, upload_data, n);
		if (r->kind == REQ_UI) {
			memcpy(r->ui_body + r->small_len, upload_data, n);
			r->small_len += n;
			return MHD_YES;
		}
		memcpy(r->small + r->small_len, upload_data, n);
		r->small_len += n;
		return MHD_YES;
	}
	if (r->answered)
		return reply_text(conn, r, r->status, r->outcome, r->detail);
	switch (r->kind) {
	case REQ_BUNDLE:
		if (r->head_len < BUNDLE_HEADER_LEN)
			return reply_text(conn, r, 400, bundle_class_name(BUNDLE_HEADER),
					  "the upload is shorter than a bundle header");
		return do_bundle(sv, conn, r);
	case REQ_ENROL:
		return do_enrol(sv, conn, r);
	case REQ_DOWN:
		return do_down(sv, conn, r);
	case REQ_UI:
		return do_ui(sv, conn, r, url, method);
	}
	return MHD_NO;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct server *sv = cls;
	struct req *r = *con_cls;
	(void)conn;

	if (!r)
		return;
	if (sv->o.log) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double ms = (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
			    (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
		char hex[33] = "";
		if (r->has_sender)
			wire_hex(r->sender, 16, hex);
		/* One line a request: a refusal says who, which device and why. */
		pthread_mutex_lock(&sv->log_lock);
		fprintf(sv->o.log, "%s %d %s %.1f ms from %s%s%s%s%s%s\n",
			r->kind == REQ_BUNDLE ? "bundle" : r->kind == REQ_ENROL ? "enrol"
			: r->kind == REQ_UI ? "ui" : "downstream",
			r->status, r->outcome ? r->outcome : "-", ms, r->ip,
			hex[0] ? " device " : "", hex, r->detail[0] ? ": " : "", r->detail,
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection cut)");
		fflush(sv->o.log);
		pthread_mutex_unlock(&sv->log_lock);
	}
	if (r->fd >= 0)
		close(r->fd);
	if (r->slot >= 0)
		slot_give(sv, r->slot, r->reserved);
	free(r->ui_body);
	free(r);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages, into the log with a prefix. A connection we
 * cut has its line already (completed()): MHD's words for it are dropped. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct server *sv = cls;
	char line[300];

	if (!sv->o.log)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	if (strstr(line, "Application reported internal error"))
		return;
	line[strcspn(line, "\n")] = '\0';
	pthread_mutex_lock(&sv->log_lock);
	fprintf(sv->o.log, "libmicrohttpd: %s\n", line);
	fflush(sv->o.log);
	pthread_mutex_unlock(&sv->log_lock);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *err)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;
	unsigned long port;

	memset(sa, 0, sizeof *sa);
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return err_set(err, ERR_USAGE, "listen", "--listen takes ADDR:PORT");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return err_set(err, ERR_USAGE, "listen", "bad port in %s", listen);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return err_set(err, ERR_USAGE, "listen", "bad IPv4 address in %s", listen);
	return 0;
}

struct server *server_start(struct store *s, const char *listen, const struct server_opts *o,
			    struct err *err)
{
	struct server *sv;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	if (parse_listen(listen, &sa, err) < 0)
		return NULL;
	if (!(sv = calloc(1, sizeof *sv))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	sv->s = s;
	sv->o = *o;
	sv->o.max_size = o->max_size ? o->max_size : BUNDLE_MAX_SIZE;
	sv->o.enrol_per_code = o->enrol_per_code ? o->enrol_per_code : SERVER_ENROL_PER_CODE;
	sv->o.enrol_total = o->enrol_total ? o->enrol_total : SERVER_ENROL_TOTAL;
	sv->o.enrol_per_minute = o->enrol_per_minute ? o->enrol_per_minute : SERVER_ENROL_PER_MINUTE;
	sv->o.spool_per_device_mib = o->spool_per_device_mib ? o->spool_per_device_mib
							      : SERVER_SPOOL_PER_DEVICE_MIB;
	sv->o.spool_total_mib = o->spool_total_mib ? o->spool_total_mib : SERVER_SPOOL_TOTAL_MIB;
	sv->twins_max = o->threads ? o->threads : 4;
	if (sv->twins_max > TWINS_MAX)
		sv->twins_max = TWINS_MAX;
	sv->twins_off = !store_on_pg(s);
	pthread_mutex_init(&sv->lock, NULL);
	pthread_mutex_init(&sv->log_lock, NULL);
	pthread_mutex_init(&sv->door_lock, NULL);
	if (enrol_own_key(s, KEYSTR_DISTRICT, sv->key, NULL, err) < 0)
		goto fail;
	if (o->tls_cert_pem && o->tls_key_pem) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			err_set(err, ERR_CONFIG, "tls", "this libmicrohttpd has no TLS");
			goto fail;
		}
		flags |= MHD_USE_TLS;
	}
	sv->d = MHD_start_daemon(flags, ntohs(sa.sin_port), NULL, NULL, handler, sv,
				 MHD_OPTION_EXTERNAL_LOGGER, mhd_log, sv,
				 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 4),
				 MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
				 MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
				 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
				 MHD_OPTION_NOTIFY_COMPLETED, completed, sv,
				 (flags & MHD_USE_TLS) ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END,
				 o->tls_key_pem, MHD_OPTION_HTTPS_MEM_CERT, o->tls_cert_pem,
				 MHD_OPTION_END);
	if (!sv->d) {
		err_set(err, ERR_IO, "listen", "cannot listen on %s", listen);
		goto fail;
	}
	info = MHD_get_daemon_info(sv->d, MHD_DAEMON_INFO_BIND_PORT);
	sv->port = info ? info->port : ntohs(sa.sin_port);
	return sv;
fail:
	pthread_mutex_destroy(&sv->lock);
	pthread_mutex_destroy(&sv->log_lock);
	pthread_mutex_destroy(&sv->door_lock);
	free(sv);
	return NULL;
}

void server_stop(struct server *sv)
{
	if (!sv)
		return;
	if (sv->d)
		MHD_stop_daemon(sv->d);
	for (unsigned i = 0; i < sv->ntwins; i++)
		store_close(sv->twins[i]);
	pthread_mutex_destroy(&sv->lock);
	pthread_mutex_destroy(&sv->log_lock);
	pthread_mutex_destroy(&sv->door_lock);
	free(sv);
}
