/* sync/durable.h: writing a file so that it is either complete and verified
 * or absent (SECURITY.md §3.2, the USB export sequence):
 *
 *   1. free space checked first (when the size is known): 1.1 × size + 1 MiB
 *   2. written as ".NAME.part" in the same directory,
 *      O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode 0600
 *   3. every write in a loop (EINTR, short writes); ENOSPC or EIO: unlink, stop
 *   4. fsync(fd), checked; a failed fsync is never retried (fsyncgate)
 *   5. close(fd), checked
 *   6. rename to NAME
 *   7. fsync of the directory
 *   8. posix_fadvise(DONTNEED), read back, BLAKE2b compared with what was written
 *
 * An importer ignores ".part" names and trusts content, never names, so a
 * stick pulled out at any point leaves nothing that is ever accepted. */
#ifndef POSYANDU_SYNC_DURABLE_H
#define POSYANDU_SYNC_DURABLE_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct durable {
	int fd;
	const char *field;         /* err field for messages: "usb", "data", ... */
	char dir[512];
	char tmp[700];
	char final[700];
	uint64_t size;
	crypto_generichash_state hash;   /* BLAKE2b-256 of what was written */
};

/* Start DIR/NAME. EXPECT is the final size when known (free space is
 * checked), 0 otherwise. FIELD names the place in error messages. */
int durable_open(struct durable *d, const char *dir, const char *name, uint64_t expect,
		 const char *field, struct err *err);
/* Append (a bundle_out_fn). */
int durable_write(void *d, const void *buf, size_t len, struct err *err);
/* Steps 4-8. HASH (may be NULL) gets BLAKE2b-256 of the file. On failure
 * the temp file is gone and nothing carries the final name from us. */
int durable_commit(struct durable *d, uint8_t hash[32], struct err *err);
/* Close and unlink the temp file (after a failed write). */
void durable_abort(struct durable *d);

/* The whole of a small file (one call): a receipt, a request. */
int durable_write_file(const char *dir, const char *name, const void *buf, size_t len,
		       const char *field, char *path, size_t path_size, struct err *err);

/* The same into the file OUT, a path ("stick/req.pyq"): its folder and
 * name are split here. */
int durable_write_path(const char *out, const void *buf, size_t len, const char *field,
		       char *path, size_t path_size, struct err *err);

/* Remove stale ".*.part" files of ours in DIR (a previous export was cut). */
void durable_clean_parts(const char *dir);

#endif
