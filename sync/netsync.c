/* sync/netsync.c: the device's side of network sync. */
#include "sync/netsync.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/sync_store.h"
#include "storage/clock.h"
#include "core/banned.h"

/* The bundle to send: the one not acknowledged yet when it already holds
 * every change (a re-send after a cut connection gets the stored receipt),
 * otherwise a new incremental one. */
static int pick_bundle(struct store *s, struct netsync_result *r, struct err *err)
{
	struct sync_export e;
	struct stat st;
	uint64_t last;
	bool found;

	if (sync_export_unacked(s, &e, &found, err) < 0 || sync_last_change(s, &last, err) < 0)
		return -1;
	if (found && e.last_change == last && stat(e.path, &st) == 0 && S_ISREG(st.st_mode)) {
		const char *slash = strrchr(e.path, '/');
		r->ex.e = e;
		r->ex.size = (uint64_t)st.st_size;
		snprintf(r->ex.name, sizeof r->ex.name, "%s", slash ? slash + 1 : e.path);
		r->resent = true;
		return 0;
	}
	return export_upstream(s, false, &r->ex, err);
}

static int pull(struct store *s, const struct http_opts *o, struct netsync_result *r,
		struct err *err)
{
	struct pull_request pr;
	struct import_opts io = { .district = false };
	struct http_sink sink = { NULL, 0, 0, -1, BUNDLE_MAX_SIZE, 0, 0 };
	uint8_t req[PULL_LEN], small[256];
	long status;
	int fd, rc;
	off_t size;

	memset(&pr, 0, sizeof pr);
	memcpy(pr.device, store_device_id(s), 16);
	pr.time = clock_now();
	if (sync_down_ack(s, &pr.down_ack, err) < 0 ||
	    pull_make(&pr, export_sign, s, req, err) < 0 || (fd = import_spool_open(s, err)) < 0)
		return -1;
	sink.fd = fd;
	if (http_post(o, "/v1/downstream", req, -1, sizeof req, &status, &sink, err) < 0) {
		close(fd);
		return -1;
	}
	if (status == 204) {
		close(fd);
		return 0;
	}
	if (status != 200) {
		/* the reason is a short line: read it back from the spool */
		ssize_t n = pread(fd, small, sizeof small, 0);
		struct http_sink msg = { small, sizeof small, n > 0 ? (size_t)n : 0, -1, 0, 0, 0 };
		close(fd);
		return http_fail_status(status, &msg, err);
	}
	size = lseek(fd, 0, SEEK_END);
	rc = import_spooled(s, fd, (uint64_t)size, &io, &r->down, err);
	close(fd);
	if (rc == 0)
		r->got_down = true;
	return rc;
}

int netsync_run(struct store *s, const struct http_opts *o, struct netsync_result *r,
		struct err *err)
{
	uint8_t receipt[TRANSPORT_RECEIPT_MAX];
	char where[256];
	size_t rlen;

	memset(r, 0, sizeof *r);
	if (pick_bundle(s, r, err) < 0)
		return -1;
	if (!r->ex.empty) {
		if (http_transport.put_bundle((void *)o, r->ex.e.path, r->ex.name, r->ex.e.hash, receipt,
					      &rlen, where, sizeof where, err) < 0)
			return -1;
		r->sent = true;
		if (import_receipt(s, receipt, rlen, &r->receipt, &r->receipt_already, &r->watermark,
				   err) < 0)
			return -1;
		if (!r->resent && sync_export_delivered(s, r->ex.e.hash, where, err) < 0)
			return -1;
	}
	return pull(s, o, r, err);
}

int netsync_enrol(const struct http_opts *o, const uint8_t req[ENROL_LEN], char *answer,
		  size_t answer_size, struct err *err)
{
	uint8_t buf[512];
	struct http_sink sink = { buf, sizeof buf - 1, 0, -1, 0, 0, 0 };
	long status;
	size_t n;

	if (http_post(o, "/v1/enrol", req, -1, ENROL_LEN, &status, &sink, err) < 0)
		return -1;
	if (status != 200 && status != 202)
		return http_fail_status(status, &sink, err);
	for (n = 0; n < sink.len && n + 1 < answer_size && buf[n] != '\n'; n++)
		answer[n] = (buf[n] >= 0x20 && buf[n] < 0x7f) ? (char)buf[n] : '?';
	answer[n] = '\0';
	return 0;
}
