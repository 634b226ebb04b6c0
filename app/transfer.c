/* app/transfer.c: export, import, enrolment and network sync as use cases
 * (app/transfer.h), over sync/. Prints nothing. */
#include "app/transfer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/sync_store.h"
#include "sync/bundle.h"
#include "sync/durable.h"
#include "sync/enrol.h"
#include "sync/transport.h"
#include "core/banned.h"

int transfer_drives(char drives[USB_MAX_DRIVES][512], size_t *n, struct err *err)
{
	if (usb_find(NULL, drives, n, err) < 0)
		return -1;
	if (*n == 0)
		return err_set(err, ERR_NOTFOUND, "usb", "no removable drive is mounted");
	return 0;
}

static bool is_transfer_name(const char *name)
{
	size_t len = strlen(name);
	return len >= 5 && name[0] != '.' &&
	       (strcmp(name + len - 4, ".pyr") == 0 || strcmp(name + len - 4, ".pyb") == 0);
}

void transfer_newest_on_drives(char *out, size_t size)
{
	char drives[USB_MAX_DRIVES][512];
	struct err err = { 0 };
	time_t best = 0;
	size_t n;

	out[0] = '\0';
	if (usb_find(NULL, drives, &n, &err) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		DIR *d = opendir(drives[i]);
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d))) {
			char path[800];
			struct stat st;
			if (!is_transfer_name(e->d_name))
				continue;
			snprintf(path, sizeof path, "%s/%s", drives[i], e->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime >= best) {
				best = st.st_mtime;
				snprintf(out, size, "%s", path);
			}
		}
		closedir(d);
	}
}

int transfer_writable(struct app *c, struct err *err)
{
	return store_check_writable(c->store, err);
}

int transfer_enrolled(struct app *c, struct err *err)
{
	struct sync_district d;
	return sync_district_get(c->store, &d, err);
}

/* ---- export ---- */

/* Remove the copy at PATH of a bundle that could not be recorded, so the
 * stick holds nothing the device does not know it made. */
static void unlink_durably(const char *path)
{
	char dirbuf[800];
	int fd;

	if (unlink(path) < 0)
		return;
	snprintf(dirbuf, sizeof dirbuf, "%s", path);
	if ((fd = open(dirname(dirbuf), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

int transfer_export(struct app *c, const struct transfer_export_opts *o,
		    struct transfer_export_result *r, struct err *err)
{
	memset(r, 0, sizeof *r);
	if (transfer_writable(c, err) < 0 || transfer_enrolled(c, err) < 0)
		return -1;
	/* the outbox keeps only what the district has not acknowledged */
	if (export_prune_outbox(c->store, NULL, err) < 0)
		return -1;
	if (export_upstream_make(c->store, o->full, o->progress, o->progress_ctx, &r->ex, err) < 0)
		return -1;
	if (r->ex.empty)
		return 0;
	/* SECURITY.md §3.2: recorded only once the copy on the stick is written
	 * durably and read back equal; otherwise no record, no file anywhere. */
	if (usb_put(r->ex.e.path, o->dir, r->ex.name, r->ex.e.hash, r->path, sizeof r->path, err) < 0) {
		export_abandon(&r->ex);
		return -1;
	}
	if (sync_export_add(c->store, &r->ex.e, r->path, err) < 0) {
		unlink_durably(r->path);
		export_abandon(&r->ex);
		return -1;
	}
	return 0;
}

/* ---- import ---- */

/* PATH as an ordinary file no larger than the largest bundle, opened
 * without following a link: the descriptor, or -1 with ERR. */
static int open_import_file(const char *path, struct stat *st, struct err *err)
{
	struct stat st2;
	int fd;

	if (lstat(path, st) < 0)
		return err_set(err, ERR_IO, "bundle-file", "%s: %s", path, strerror(errno));
	if (!S_ISREG(st->st_mode))
		return err_set(err, ERR_FORMAT, "bundle-file", "%s is not a regular file", path);
	if ((uint64_t)st->st_size > BUNDLE_MAX_SIZE)
		return err_set(err, ERR_RANGE, "bundle-size", "%s: %lld bytes, the limit is %llu", path,
			       (long long)st->st_size, (unsigned long long)BUNDLE_MAX_SIZE);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return err_set(err, ERR_IO, "bundle-file", "%s: %s", path, strerror(errno));
	if (fstat(fd, &st2) < 0 || !S_ISREG(st2.st_mode) || st2.st_ino != st->st_ino) {
		close(fd);
		return err_set(err, ERR_FORMAT, "bundle-file", "%s changed while opening it", path);
	}
	return fd;
}

/* Outbox pruning after a receipt: what was applied stays applied even if
 * a file cannot be removed now (the next export prunes again). */
static void prune_quietly(struct app *c)
{
	struct err ignored = { 0 };
	export_prune_outbox(c->store, NULL, &ignored);
}

static int import_receipt_fd(struct app *c, int fd, const struct stat *st, const char *path,
			     struct transfer_import_result *r, struct err *err)
{
	uint8_t buf[TRANSPORT_RECEIPT_MAX];
	ssize_t n;

	r->kind = TRANSFER_RECEIPT;
	if (st->st_size > (off_t)sizeof buf)
		return err_set(err, ERR_FORMAT, "receipt", "%s", path);
	if ((n = pread(fd, buf, sizeof buf, 0)) < 0)
		return err_set(err, ERR_IO, NULL, "%s: %s", path, strerror(errno));
	if (import_receipt(c->store, buf, (size_t)n, &r->receipt, &r->already, &r->watermark, err) < 0)
		return -1;
	/* verified and applied: the acknowledged bundle leaves the outbox */
	prune_quietly(c);
	return 0;
}

int transfer_import(struct app *c, const char *path, struct transfer_import_result *r,
		    struct err *err)
{
	struct import_opts io = { .district = false };
	uint8_t magic[8];
	struct stat st;
	ssize_t n;
	int fd, rc;

	memset(r, 0, sizeof *r);
	if (transfer_writable(c, err) < 0 || (fd = open_import_file(path, &st, err)) < 0)
		return -1;
	n = pread(fd, magic, sizeof magic, 0);
	if (n == 8 && memcmp(magic, RECEIPT_MAGIC, 8) == 0) {
		rc = import_receipt_fd(c, fd, &st, path, r, err);
		close(fd);
		return rc;
	}
	close(fd);
	if (n != 8 || memcmp(magic, BUNDLE_MAGIC, 8) != 0)
		return err_set(err, ERR_FORMAT, "import", "%s", path);
	r->kind = TRANSFER_BUNDLE;
	/* the importer copies it once into the private spool, then checks */
	if (import_bundle(c->store, path, &io, &r->bundle, err) < 0)
		return -1;
	r->already = r->bundle.cls == BUNDLE_DUPLICATE;
	return 0;
}

/* ---- enrolment ---- */

int transfer_district_key(const char *key, char canon[KEYSTR_MAX], char fpr[KEYSTR_FPR_LEN],
			  struct err *err)
{
	uint8_t ed[32], x[32];

	if (keystr_decode(key, KEYSTR_DISTRICT, NULL, ed, x, err) < 0)
		return -1;
	keystr_encode(KEYSTR_DISTRICT, ed, x, canon);
	keystr_fingerprint(canon, fpr);
	return 0;
}

/* The request into the file OUT (its folder made durable too). */
static int write_request(const char *out, const uint8_t req[ENROL_LEN], char *path, size_t size,
			 struct err *err)
{
	return durable_write_path(out, req, ENROL_LEN, "usb", path, size, err);
}

int transfer_enrol(struct app *c, const char *canon, const char *request_out,
		   struct transfer_enrol_result *r, struct err *err)
{
	uint8_t req[ENROL_LEN];
	char key[KEYSTR_MAX];

	memset(r, 0, sizeof *r);
	if (transfer_writable(c, err) < 0 || enrol_device(c->store, canon, req, err) < 0)
		return -1;
	if (enrol_own_key(c->store, KEYSTR_DEVICE, key, r->device_fpr, err) < 0)
		return -1;
	if (request_out)
		return write_request(request_out, req, r->path, sizeof r->path, err);
	{
		struct http_opts ho;
		transfer_http_opts(c, true, &ho);
		return netsync_enrol(&ho, req, r->reply, sizeof r->reply, err);
	}
}

/* ---- network sync ---- */

void transfer_http_opts(const struct app *c, bool quick, struct http_opts *o)
{
	memset(o, 0, sizeof *o);
	o->url = c->cfg.server;
	o->retries = quick ? 2 : -1;
	o->backoff_ms = quick ? 500 : 0;
}

int transfer_sync(struct app *c, const struct http_opts *o, struct netsync_result *r,
		  struct err *err)
{
	int rc;

	if (!o->url || !o->url[0])
		return err_set(err, ERR_USAGE, "server", "no server is configured");
	if (transfer_writable(c, err) < 0)
		return -1;
	/* The bundle posted is recorded when it is complete in the outbox (the
	 * receipt names it) and stays there until its receipt is verified. */
	rc = netsync_run(c->store, o, r, err);
	prune_quietly(c);
	return rc;
}
