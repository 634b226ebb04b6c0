/* sync/usb.h: bundles on removable drives (SECURITY.md §3.2). */
#ifndef POSYANDU_SYNC_USB_H
#define POSYANDU_SYNC_USB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "sync/transport.h"

#define USB_MAX_DRIVES 8
#define USB_ROOTS_DEFAULT "/media:/run/media"

/* Mounted removable drives: mount points (from /proc/self/mounts) below one
 * of ROOTS (colon-separated; NULL = $POSYANDU_USB_ROOTS or the default),
 * at most USB_MAX_DRIVES, sorted. */
int usb_find(const char *roots, char paths[][512], size_t *n, struct err *err);

/* Copy the bundle at SRC to DIR/NAME with the durable sequence (free space
 * first, ".NAME.part", fsync, rename, fsync the directory, read back and
 * compare with HASH). Stale ".part" files of an earlier cut export go
 * first. OUT gets the final path. Errors name the field "usb". */
int usb_put(const char *src, const char *dir, const char *name, const uint8_t hash[32],
	    char *out, size_t out_size, struct err *err);

/* The transport over a directory (a stick, or any folder): CTX is the path. */
extern const struct transport_ops usb_transport;

#endif
