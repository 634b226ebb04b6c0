/* sync/durable.c: complete-or-absent files (SECURITY.md §3.2). */
#include "sync/durable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/banned.h"

static int io_fail(struct durable *d, const char *what, int e, struct err *err)
{
	if (e == ENOSPC || e == EDQUOT || e == EFBIG)
		return err_set(err, ERR_FULL, d->field, "%s: %s: %s", what, d->dir, strerror(e));
	return err_set(err, ERR_IO, d->field, "%s: %s: %s", what, d->final, strerror(e));
}

int durable_open(struct durable *d, const char *dir, const char *name, uint64_t expect,
		 const char *field, struct err *err)
{
	struct statvfs vfs;

	memset(d, 0, sizeof *d);
	d->fd = -1;
	d->field = field;
	if ((size_t)snprintf(d->dir, sizeof d->dir, "%s", dir) >= sizeof d->dir ||
	    (size_t)snprintf(d->final, sizeof d->final, "%s/%s", dir, name) >= sizeof d->final ||
	    (size_t)snprintf(d->tmp, sizeof d->tmp, "%s/.%s.part", dir, name) >= sizeof d->tmp)
		return err_set(err, ERR_RANGE, field, "path too long: %s", dir);
	if (expect && statvfs(dir, &vfs) == 0) {
		uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
		if (avail < expect + expect / 10 + (1u << 20))
			return err_set(err, ERR_FULL, field, "%s: %llu bytes free, %llu needed", dir,
				       (unsigned long long)avail,
				       (unsigned long long)(expect + expect / 10 + (1u << 20)));
	}
	unlink(d->tmp);            /* our own leftover of a cut export */
	d->fd = open(d->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (d->fd < 0)
		return io_fail(d, "create", errno, err);
	crypto_generichash_init(&d->hash, NULL, 0, 32);
	return 0;
}

int durable_write(void *ctx, const void *buf, size_t len, struct err *err)
{
	struct durable *d = ctx;
	const uint8_t *p = buf;

	crypto_generichash_update(&d->hash, buf, len);
	while (len) {
		ssize_t n = write(d->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : ENOSPC;
			durable_abort(d);
			return io_fail(d, "write", e, err);
		}
		p += n;
		len -= (size_t)n;
		d->size += (uint64_t)n;
	}
	return 0;
}

void durable_abort(struct durable *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->tmp[0])
		unlink(d->tmp);
}

static int fsync_dir(struct durable *d, struct err *err)
{
	int fd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : fsync(fd), e = errno;
	if (fd >= 0)
		close(fd);
	/* Some file systems refuse fsync on a directory (EINVAL): their rename
	 * is then as durable as they can make it. */
	return rc < 0 && e != EINVAL ? io_fail(d, "sync directory", e, err) : 0;
}

/* Read the file back past the page cache and compare its hash. */
static int read_back(struct durable *d, const uint8_t want[32], struct err *err)
{
	crypto_generichash_state st;
	uint8_t buf[65536], got[32];
	uint64_t total = 0;
	int fd = open(d->final, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return io_fail(d, "read back", errno, err);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	crypto_generichash_init(&st, NULL, 0, 32);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return io_fail(d, "read back", e, err);
		}
		if (n == 0)
			break;
		crypto_generichash_update(&st, buf, (size_t)n);
		total += (uint64_t)n;
	}
	close(fd);
	crypto_generichash_final(&st, got, sizeof got);
	if (total != d->size || sodium_memcmp(got, want, 32) != 0)
		return err_set(err, ERR_CRYPTO, d->field,
			       "%s reads back different from what was written (a failing or fake drive?)",
			       d->final);
	return 0;
}

int durable_commit(struct durable *d, uint8_t hash[32], struct err *err)
{
	uint8_t h[32];
	int e;

	crypto_generichash_final(&d->hash, h, sizeof h);
	if (fsync(d->fd) < 0) {
		e = errno;
		durable_abort(d);
		return io_fail(d, "sync", e, err);
	}
	e = close(d->fd) < 0 ? errno : 0;
	d->fd = -1;
	if (e) {
		durable_abort(d);
		return io_fail(d, "close", e, err);
	}
	if (rename(d->tmp, d->final) < 0) {
		e = errno;
		durable_abort(d);
		return io_fail(d, "rename", e, err);
	}
	d->tmp[0] = '\0';
	if (fsync_dir(d, err) < 0 || read_back(d, h, err) < 0) {
		unlink(d->final);
		return -1;
	}
	if (hash)
		memcpy(hash, h, 32);
	return 0;
}

int durable_write_file(const char *dir, const char *name, const void *buf, size_t len,
		       const char *field, char *path, size_t path_size, struct err *err)
{
	struct durable d;
	if (durable_open(&d, dir, name, len, field, err) < 0 || durable_write(&d, buf, len, err) < 0 ||
	    durable_commit(&d, NULL, err) < 0)
		return -1;
	if (path)
		snprintf(path, path_size, "%s", d.final);
	return 0;
}

void durable_clean_parts(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char path[1024];

	if (!dh)
		return;
	while ((e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] != '.' || n < 10 || strcmp(e->d_name + n - 9, ".pyb.part") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < sizeof path)
			unlink(path);
	}
	closedir(dh);
}

int durable_write_path(const char *out, const void *buf, size_t len, const char *field,
		       char *path, size_t path_size, struct err *err)
{
	char dirbuf[600], basebuf[600];

	if (strlen(out) >= sizeof dirbuf)
		return err_set(err, ERR_RANGE, field, "the path is too long");
	snprintf(dirbuf, sizeof dirbuf, "%s", out);
	snprintf(basebuf, sizeof basebuf, "%s", out);
	return durable_write_file(dirname(dirbuf), basename(basebuf), buf, len, field, path,
				  path_size, err);
}
