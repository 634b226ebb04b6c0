/* sync/http_client.c: libcurl, with timeouts and retries.
 *
 * libcurl is opened when the first request is made, not when the program
 * starts: with its dependencies (TLS, Kerberos, LDAP, IDN, ...) it is
 * megabytes of resident pages that the desk, which never syncs on its own,
 * would carry all day (issue 15: the desk's memory). The program is not
 * linked to it; the soname is Debian's libcurl4 (the ABI this file was
 * compiled against), looked up the way the dynamic linker would. */
#include "sync/http_client.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

static struct {
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLcode (*global_init)(long);
} cu;
static pthread_once_t cu_once = PTHREAD_ONCE_INIT;
static bool cu_ready;
static char cu_error[200];

/* dlsym's object pointer into a function pointer, as POSIX allows. */
#define CU_SYM(h, field, name) \
	(*(void **)(&cu.field) = dlsym((h), (name))) != NULL

static void cu_open(void)
{
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	const char *e;

	if (!h) {
		snprintf(cu_error, sizeof cu_error, "%s", (e = dlerror()) ? e : "libcurl.so.4");
		return;
	}
	if (!(CU_SYM(h, easy_init, "curl_easy_init") && CU_SYM(h, easy_cleanup, "curl_easy_cleanup") &&
	      CU_SYM(h, easy_reset, "curl_easy_reset") && CU_SYM(h, easy_setopt, "curl_easy_setopt") &&
	      CU_SYM(h, easy_perform, "curl_easy_perform") &&
	      CU_SYM(h, easy_getinfo, "curl_easy_getinfo") &&
	      CU_SYM(h, easy_strerror, "curl_easy_strerror") &&
	      CU_SYM(h, slist_append, "curl_slist_append") &&
	      CU_SYM(h, slist_free_all, "curl_slist_free_all") &&
	      CU_SYM(h, global_init, "curl_global_init"))) {
		snprintf(cu_error, sizeof cu_error, "libcurl.so.4 lacks a function");
		dlclose(h);
		return;
	}
	if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(cu_error, sizeof cu_error, "curl_global_init failed");
		dlclose(h);
		return;
	}
	cu_ready = true;
}

struct body {
	const uint8_t *mem;
	int fd;
	uint64_t len, off;
};

static size_t read_body(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct body *b = ctx;
	size_t want = size * nitems;
	if (b->off >= b->len)
		return 0;
	if (want > b->len - b->off)
		want = (size_t)(b->len - b->off);
	if (b->mem) {
		memcpy(buf, b->mem + b->off, want);
	} else {
		ssize_t n;
		do
			n = pread(b->fd, buf, want, (off_t)b->off);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return CURL_READFUNC_ABORT;
		want = (size_t)n;
	}
	b->off += want;
	return want;
}

static size_t write_sink(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct http_sink *s = ctx;
	size_t n = size * nmemb;

	if (s->fd < 0) {
		if (n > s->cap - s->len) {
			s->too_big = 1;
			return 0;
		}
		memcpy(s->mem + s->len, buf, n);
		s->len += n;
		return n;
	}
	if (s->written + n > s->max) {
		s->too_big = 1;
		return 0;
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(s->fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return 0;
		off += (size_t)w;
	}
	s->written += n;
	return n;
}

static void sink_reset(struct http_sink *s)
{
	s->len = 0;
	s->written = 0;
	s->too_big = 0;
	if (s->fd >= 0 && ftruncate(s->fd, 0) == 0)
		lseek(s->fd, 0, SEEK_SET);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int http_post(const struct http_opts *o, const char *path, const uint8_t *body, int fd,
	      uint64_t len, long *status, struct http_sink *sink, struct err *err)
{
	char url[1024], cerr[CURL_ERROR_SIZE];
	int retries = o->retries < 0 ? 4 : o->retries;
	long wait = o->backoff_ms > 0 ? o->backoff_ms : 1000;
	struct curl_slist *hdr = NULL;
	CURLcode rc = CURLE_OK;
	CURL *c;

	*status = 0;
	if ((size_t)snprintf(url, sizeof url, "%s%s", o->url, path) >= sizeof url)
		return err_set(err, ERR_RANGE, "server", "server URL too long");
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return err_set(err, ERR_FORMAT, "server", "the server URL must start with http:// or https://");
	pthread_once(&cu_once, cu_open);
	if (!cu_ready)
		return err_set(err, ERR_IO, "server", "cannot load libcurl (apt-get install libcurl4): %s",
			       cu_error);
	if (!(c = cu.easy_init()))
		return err_set(err, ERR_NOMEM, NULL, "curl_easy_init");
	hdr = cu.slist_append(hdr, "Content-Type: application/octet-stream");
	hdr = cu.slist_append(hdr, "Expect:");
	for (int attempt = 0;; attempt++) {
		struct body b = { body, fd, len, 0 };
		sink_reset(sink);
		cerr[0] = '\0';
		cu.easy_reset(c);
		cu.easy_setopt(c, CURLOPT_URL, url);
		cu.easy_setopt(c, CURLOPT_POST, 1L);
		cu.easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		cu.easy_setopt(c, CURLOPT_READFUNCTION, read_body);
		cu.easy_setopt(c, CURLOPT_READDATA, &b);
		cu.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		cu.easy_setopt(c, CURLOPT_WRITEFUNCTION, write_sink);
		cu.easy_setopt(c, CURLOPT_WRITEDATA, sink);
		cu.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
		cu.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s > 0 ? o->connect_timeout_s : 10L);
		cu.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
		cu.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s > 0 ? o->low_speed_time_s : 30L);
		cu.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		cu.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		cu.easy_setopt(c, CURLOPT_USERAGENT, "posyandu/" POSYANDU_VERSION);
		/* The settings security rests on: a libcurl that cannot honour
		 * one (too old, or a TLS library without pinning) does not send. */
		rc = cu.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		if (rc == CURLE_OK && o->cacert)
			rc = cu.easy_setopt(c, CURLOPT_CAINFO, o->cacert);
		if (rc == CURLE_OK && o->pinned_key)
			rc = cu.easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, o->pinned_key);
		if (rc != CURLE_OK) {
			snprintf(cerr, sizeof cerr, "this libcurl cannot apply a security setting: %s",
				 cu.easy_strerror(rc));
			break;
		}
		rc = cu.easy_perform(c);
		*status = 0;
		if (rc == CURLE_OK)
			cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		if (rc == CURLE_OK && *status < 500)
			break;
		/* Certificate problems and refused pins are not transient. */
		if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
		    rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_UNSUPPORTED_PROTOCOL ||
		    rc == CURLE_URL_MALFORMAT || sink->too_big || attempt >= retries)
			break;
		/* exponential backoff with jitter: WAIT .. 1.5 WAIT */
		sleep_ms(wait + (long)randombytes_uniform((uint32_t)(wait / 2 + 1)));
		if (wait < 60000)
			wait *= 2;
	}
	cu.slist_free_all(hdr);
	cu.easy_cleanup(c);
	if (sink->too_big)
		return err_set(err, ERR_RANGE, "server", "the server's answer is larger than expected");
	if (rc != CURLE_OK)
		return err_set(err, ERR_IO, "server", "%s: %s", o->url, cerr[0] ? cerr : cu.easy_strerror(rc));
	if (*status >= 500)
		return err_set(err, ERR_IO, "server", "%s answered %ld", o->url, *status);
	return 0;
}

int http_fail_status(long status, const struct http_sink *sink, struct err *err)
{
	char reason[160];
	size_t n = 0;

	if (sink->fd < 0 && sink->mem) {
		for (; n < sink->len && n < sizeof reason - 1 && sink->mem[n] != '\n'; n++)
			reason[n] = (sink->mem[n] >= 0x20 && sink->mem[n] < 0x7f) ? (char)sink->mem[n] : '?';
	}
	reason[n] = '\0';
	switch (status) {
	case 403:
		return err_set(err, ERR_DENIED, "server-device", "%s", reason);
	case 413:
		return err_set(err, ERR_RANGE, "bundle-size", "%s", reason);
	default:
		return err_set(err, ERR_FORMAT, "server-bundle", "HTTP %ld: %s", status, reason);
	}
}

static int put_bundle(void *ctx, const char *path, const char *name, const uint8_t hash[32],
		      uint8_t receipt[TRANSPORT_RECEIPT_MAX], size_t *rlen, char *where,
		      size_t where_size, struct err *err)
{
	const struct http_opts *o = ctx;
	struct http_sink sink = { receipt, TRANSPORT_RECEIPT_MAX, 0, -1, 0, 0, 0 };
	long status;
	off_t size;
	int fd, rc;

	(void)name;
	(void)hash;
	*rlen = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return err_set(err, ERR_IO, "data", "%s: %s", path, strerror(errno));
	size = lseek(fd, 0, SEEK_END);
	rc = size < 0 ? err_set(err, ERR_IO, "data", "%s: %s", path, strerror(errno))
		      : http_post(o, "/v1/bundles", NULL, fd, (uint64_t)size, &status, &sink, err);
	close(fd);
	if (rc < 0)
		return -1;
	if (status != 200)
		return http_fail_status(status, &sink, err);
	*rlen = sink.len;
	snprintf(where, where_size, "%s", o->url);
	return 0;
}

const struct transport_ops http_transport = { "http", put_bundle };
