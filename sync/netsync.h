/* sync/netsync.h: `posyandu sync` and enrolment over HTTP. Upload what the
 * district has not acknowledged, apply its receipt, then fetch what the
 * other devices of the posyandu made (a downstream bundle) and import it.
 * Each step is safe to repeat after a cut connection. */
#ifndef POSYANDU_SYNC_NETSYNC_H
#define POSYANDU_SYNC_NETSYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"
#include "sync/exporter.h"
#include "sync/http_client.h"
#include "sync/importer.h"
#include "sync/receipt.h"
#include "sync/request.h"

struct netsync_result {
	bool sent;                 /* a bundle went up */
	bool resent;               /* ... the one made before, not acknowledged yet */
	struct export_result ex;
	struct receipt receipt;
	bool receipt_already;
	uint64_t watermark;
	bool got_down;             /* a downstream bundle came and was imported */
	struct import_result down;
};

/* Upload, receipt, downstream (admin session, enrolled device). */
int netsync_run(struct store *s, const struct http_opts *o, struct netsync_result *r,
		struct err *err);

/* Send an enrolment request; ANSWER gets the server's one-line reply. */
int netsync_enrol(const struct http_opts *o, const uint8_t req[ENROL_LEN], char *answer,
		  size_t answer_size, struct err *err);

#endif
