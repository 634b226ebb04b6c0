/* sync/server.c: the district's HTTP(S) daemon. */
#include "sync/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/sync_store.h"
#include "sync/bundle.h"
#include "sync/enrol.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "sync/request.h"
#include "core/banned.h"

#define SMALL_MAX 1024             /* enrolment and downstream requests */

struct server {
	struct MHD_Daemon *d;
	struct store *s;
	pthread_mutex_t lock;      /* one writer: every use of the store */
	pthread_mutex_t log_lock;
	struct server_opts o;
	uint16_t port;
	char key[KEYSTR_MAX];
};

enum req_kind { REQ_BUNDLE, REQ_ENROL, REQ_DOWN };

struct req {
	enum req_kind kind;
	int fd;                    /* the spooled upload */
	uint64_t size;
	bool too_big, io_error;
	uint8_t small[SMALL_MAX];
	size_t small_len;
	struct timespec start;
	int status;
	const char *outcome;
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
	if (r)
		r->outcome = outcome;
	return reply(conn, r, status, line, n < 0 ? 0 : (size_t)n > sizeof line - 1 ? sizeof line - 1 : (size_t)n,
		     "text/plain; charset=utf-8");
}

static int class_status(enum bundle_class c)
{
	switch (c) {
	case BUNDLE_OK:
	case BUNDLE_DUPLICATE:
		return 200;
	case BUNDLE_TOO_LARGE:
		return 413;
	case BUNDLE_HEADER:
		return 400;
	case BUNDLE_PAYLOAD:
	case BUNDLE_DATA:
		return 422;
	case BUNDLE_UNKNOWN_DEVICE:
	case BUNDLE_PENDING_DEVICE:
	case BUNDLE_REVOKED_DEVICE:
	case BUNDLE_SIGNATURE:
		return 403;
	case BUNDLE_WRONG_RECIPIENT:
	case BUNDLE_NO_MATCH:
		return 421;
	default:
		return 503;
	}
}

static enum MHD_Result do_bundle(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	struct import_opts io = { .district = true, .max_size = sv->o.max_size };
	struct import_result ir;
	struct err e = { 0 };
	int rc;

	if (r->too_big)
		return reply_text(conn, r, 413, bundle_class_name(BUNDLE_TOO_LARGE),
				  "the bundle is larger than the server accepts");
	if (r->io_error)
		return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL),
				  "the server could not spool the upload");
	pthread_mutex_lock(&sv->lock);
	rc = import_spooled(sv->s, r->fd, r->size, &io, &ir, &e);
	pthread_mutex_unlock(&sv->lock);
	if (rc == 0 && ir.has_receipt) {
		r->outcome = bundle_class_name(ir.cls);
		return reply(conn, r, 200, ir.receipt, RECEIPT_LEN, "application/octet-stream");
	}
	if (rc == 0)
		return reply_text(conn, r, 503, bundle_class_name(BUNDLE_LOCAL), "no receipt stored");
	return reply_text(conn, r, class_status(ir.cls), bundle_class_name(ir.cls), e.detail);
}

static enum MHD_Result do_enrol(struct server *sv, struct MHD_Connection *conn, struct req *r)
{
	struct sync_device d;
	struct err e = { 0 };
	char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN], line[128];
	bool existed;
	int rc;

	pthread_mutex_lock(&sv->lock);
	rc = enrol_accept(sv->s, r->small, r->small_len, &d, &existed, &e);
	pthread_mutex_unlock(&sv->lock);
	if (rc < 0)
		return reply_text(conn, r, e.code == ERR_EXISTS ? 409 : 400, "refused", e.detail);
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

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct server *sv = cls;
	struct req *r = *con_cls;
	(void)version;

	if (!r) {
		enum req_kind kind;
		const char *cl;
		if (strcmp(method, "GET") == 0 && strcmp(url, "/v1/key") == 0) {
			char line[KEYSTR_MAX + 1];
			int n = snprintf(line, sizeof line, "%s\n", sv->key);
			return reply(conn, NULL, 200, line, (size_t)n, "text/plain");
		}
		if (strcmp(url, "/v1/bundles") == 0)
			kind = REQ_BUNDLE;
		else if (strcmp(url, "/v1/enrol") == 0)
			kind = REQ_ENROL;
		else if (strcmp(url, "/v1/downstream") == 0)
			kind = REQ_DOWN;
		else
			return reply_text(conn, NULL, 404, "not found", url);
		if (strcmp(method, "POST") != 0)
			return reply_text(conn, NULL, 405, "method not allowed", method);
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		r->kind = kind;
		r->fd = -1;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		*con_cls = r;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (kind == REQ_BUNDLE && cl &&
		    strtoull(cl, NULL, 10) > (sv->o.max_size ? sv->o.max_size : BUNDLE_MAX_SIZE))
			r->too_big = true;
		if (kind == REQ_BUNDLE && !r->too_big) {
			struct err e = { 0 };
			if ((r->fd = import_spool_open(sv->s, &e)) < 0)
				r->io_error = true;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (r->kind != REQ_BUNDLE) {
			if (n > SMALL_MAX - r->small_len) {
				r->too_big = true;
				return MHD_YES;
			}
			memcpy(r->small + r->small_len, upload_data, n);
			r->small_len += n;
			return MHD_YES;
		}
		if (r->too_big || r->io_error)
			return MHD_YES;
		if (r->size + n > (sv->o.max_size ? sv->o.max_size : BUNDLE_MAX_SIZE)) {
			r->too_big = true;
			return MHD_YES;
		}
		for (size_t off = 0; off < n;) {
			ssize_t w = write(r->fd, upload_data + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				r->io_error = true;
				return MHD_YES;
			}
			off += (size_t)w;
		}
		r->size += n;
		return MHD_YES;
	}
	switch (r->kind) {
	case REQ_BUNDLE:
		return do_bundle(sv, conn, r);
	case REQ_ENROL:
		if (r->too_big)
			return reply_text(conn, r, 413, "refused", "request too large");
		return do_enrol(sv, conn, r);
	case REQ_DOWN:
		if (r->too_big)
			return reply_text(conn, r, 413, "refused", "request too large");
		return do_down(sv, conn, r);
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
		pthread_mutex_lock(&sv->log_lock);
		fprintf(sv->o.log, "%s %d %s %.1f ms%s\n",
			r->kind == REQ_BUNDLE ? "bundle" : r->kind == REQ_ENROL ? "enrol" : "downstream",
			r->status, r->outcome ? r->outcome : "-", ms,
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection cut)");
		fflush(sv->o.log);
		pthread_mutex_unlock(&sv->log_lock);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	*con_cls = NULL;
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
	pthread_mutex_init(&sv->lock, NULL);
	pthread_mutex_init(&sv->log_lock, NULL);
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
	free(sv);
	return NULL;
}

void server_stop(struct server *sv)
{
	if (!sv)
		return;
	if (sv->d)
		MHD_stop_daemon(sv->d);
	pthread_mutex_destroy(&sv->lock);
	pthread_mutex_destroy(&sv->log_lock);
	free(sv);
}
