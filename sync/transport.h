/* sync/transport.h: one way of delivering a bundle file (STYLE.md §1: "the
 * network is only another way to deliver the file"). The exporter makes the
 * bundle once in the outbox; a transport carries those exact bytes to a
 * stick (sync/usb.c) or to the district server (sync/http_client.c). */
#ifndef POSYANDU_SYNC_TRANSPORT_H
#define POSYANDU_SYNC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TRANSPORT_RECEIPT_MAX 512   /* a receipt and a key update */

struct transport_ops {
	const char *name;          /* "usb", "http" */
	/* Deliver the bundle at PATH (file NAME, BLAKE2b-256 HASH). A receipt
	 * may come back at once (HTTP: *RLEN > 0) or later on the stick
	 * (*RLEN = 0). WHERE gets a short description of where it went. */
	int (*put_bundle)(void *ctx, const char *path, const char *name, const uint8_t hash[32],
			  uint8_t receipt[TRANSPORT_RECEIPT_MAX], size_t *rlen, char *where,
			  size_t where_size, struct err *err);
};

#endif
