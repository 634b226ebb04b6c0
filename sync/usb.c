/* sync/usb.c: finding sticks and writing bundles onto them. */
#include "sync/usb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync/durable.h"
#include "core/banned.h"

/* /proc/mounts escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static int by_path(const void *a, const void *b)
{
	return strcmp(a, b);
}

int usb_find(const char *roots, char paths[][512], size_t *n, struct err *err)
{
	char line[2048], rootbuf[1024];
	FILE *f;

	*n = 0;
	if (!roots)
		roots = getenv("POSYANDU_USB_ROOTS");
	if (!roots || !*roots)
		roots = USB_ROOTS_DEFAULT;
	if ((size_t)snprintf(rootbuf, sizeof rootbuf, "%s", roots) >= sizeof rootbuf)
		return err_set(err, ERR_RANGE, "usb", "drive roots too long");
	if (!(f = fopen("/proc/self/mounts", "re")))
		return err_set(err, ERR_IO, "usb", "/proc/self/mounts: %s", strerror(errno));
	while (fgets(line, sizeof line, f) && *n < USB_MAX_DRIVES) {
		char dev[512], mnt[512];
		if (sscanf(line, "%511s %511s", dev, mnt) != 2)
			continue;
		unescape(mnt);
		for (char *r = rootbuf, *next; r && *r; r = next) {
			size_t rl;
			next = strchr(r, ':');
			rl = next ? (size_t)(next - r) : strlen(r);
			if (next)
				next++;
			if (rl && strncmp(mnt, r, rl) == 0 && mnt[rl] == '/' && mnt[rl + 1]) {
				snprintf(paths[(*n)++], 512, "%s", mnt);
				break;
			}
		}
	}
	fclose(f);
	if (*n > 1)
		qsort(paths, *n, sizeof paths[0], by_path);
	return 0;
}

int usb_put(const char *src, const char *dir, const char *name, const uint8_t hash[32],
	    char *out, size_t out_size, struct err *err)
{
	struct durable d;
	struct stat st;
	uint8_t buf[65536], got[32];
	int fd;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(err, ERR_NOTFOUND, "usb", "%s is not a folder", dir);
	durable_clean_parts(dir);
	if ((fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return err_set(err, ERR_IO, "data", "%s: %s", src, strerror(errno));
	if (fstat(fd, &st) < 0 || durable_open(&d, dir, name, (uint64_t)st.st_size, "usb", err) < 0) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, ERR_IO, "data", "%s: %s", src, strerror(errno));
			durable_abort(&d);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (durable_write(&d, buf, (size_t)n, err) < 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	if (durable_commit(&d, got, err) < 0)
		return -1;
	/* The outbox copy is what was verified at export: the stick must hold it. */
	if (sodium_memcmp(got, hash, 32) != 0) {
		unlink(d.final);
		return err_set(err, ERR_CRYPTO, "usb", "the bundle in the outbox changed since export");
	}
	if (out)
		snprintf(out, out_size, "%s", d.final);
	return 0;
}

static int put_bundle(void *ctx, const char *path, const char *name, const uint8_t hash[32],
		      uint8_t receipt[TRANSPORT_RECEIPT_MAX], size_t *rlen, char *where,
		      size_t where_size, struct err *err)
{
	(void)receipt;
	*rlen = 0;
	return usb_put(path, ctx, name, hash, where, where_size, err);
}

const struct transport_ops usb_transport = { "usb", put_bundle };
