/* app/transfer.h: moving data between this device and its district, the
 * use cases under `posyandu enroll|export|import|sync` (cli/sync.c) and the
 * "Send and receive data" screen (tui/ui_sync.c): the USB drives, export to
 * a folder, import of a file from one, the enrolment request and network
 * sync. Each takes the context and its options, fills a result and prints
 * nothing; a refusal comes back as a struct err for the front end to say.
 * The checks (an ordinary file, the size caps, the private spool) are here
 * once, so the screen refuses exactly what the command line refuses. */
#ifndef POSYANDU_APP_TRANSFER_H
#define POSYANDU_APP_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "sync/keystr.h"
#include "sync/netsync.h"
#include "sync/receipt.h"
#include "sync/request.h"
#include "sync/usb.h"

/* The mounted removable drives, sorted: 0 with *N >= 1; -1 with ERR
 * (ERR_NOTFOUND, field "usb", when none is mounted). */
int transfer_drives(char drives[USB_MAX_DRIVES][512], size_t *n, struct err *err);

/* The newest receipt (*.pyr) or bundle (*.pyb) at the top of the mounted
 * drives, into OUT; "" when there is none. */
void transfer_newest_on_drives(char *out, size_t size);

/* 0 when the store can be written; ERR_DENIED (field "readonly") on a
 * read-only store, ERR_FULL in a session that is read-only because the
 * disk was full at login. Export, import, enrolment and sync check it
 * first, so they refuse before writing anything anywhere. */
int transfer_writable(struct app *c, struct err *err);

/* 0 when the device is enrolled with a district; -1 with ERR otherwise. */
int transfer_enrolled(struct app *c, struct err *err);

/* ---- export ---- */

struct transfer_export_opts {
	const char *dir;           /* the folder: a drive's mount point or --to DIR */
	bool full;                 /* every version made here, not only the new ones */
	export_progress_fn progress;   /* may be NULL */
	void *progress_ctx;
};

struct transfer_export_result {
	struct export_result ex;   /* ex.empty: nothing new, no file written */
	char path[800];            /* the bundle written into the folder */
};

/* Make an upstream bundle and write it into O->dir (durably, read back),
 * then record it as delivered; a failed copy records nothing and leaves no
 * file. Acknowledged bundles leave the outbox first. Admin session,
 * enrolled device. */
int transfer_export(struct app *c, const struct transfer_export_opts *o,
		    struct transfer_export_result *r, struct err *err);

/* ---- import ---- */

enum transfer_kind { TRANSFER_RECEIPT, TRANSFER_BUNDLE };

struct transfer_import_result {
	enum transfer_kind kind;
	bool already;              /* applied or imported before: nothing changed */
	struct receipt receipt;    /* TRANSFER_RECEIPT */
	uint64_t watermark;        /* TRANSFER_RECEIPT: acknowledged up to this change */
	struct import_result bundle;   /* TRANSFER_BUNDLE */
};

/* Import the file at PATH: a receipt from the district, or a district
 * bundle. Refused: a symlink, anything that is not an ordinary file
 * (ERR_FORMAT "bundle-file"), a bundle over the cap (ERR_RANGE
 * "bundle-size"), a receipt over TRANSPORT_RECEIPT_MAX (ERR_FORMAT
 * "receipt"), anything else (ERR_FORMAT "import"). A bundle is copied once
 * into the private spool before it is checked (sync/importer.h). */
int transfer_import(struct app *c, const char *path, struct transfer_import_result *r,
		    struct err *err);

/* ---- enrolment ---- */

/* The district key KEY as typed, decoded: its canonical form and the
 * fingerprint the admin reads to the district officer. */
int transfer_district_key(const char *key, char canon[KEYSTR_MAX], char fpr[KEYSTR_FPR_LEN],
			  struct err *err);

struct transfer_enrol_result {
	char device_fpr[KEYSTR_FPR_LEN];   /* the officer checks it before approving */
	char path[800];            /* the request written (request_out), or "" */
	char reply[160];           /* the server's answer (sent), or "" */
};

/* Enrol with the district key CANON (after the admin confirmed its
 * fingerprint) and deliver the request: into the file REQUEST_OUT, or when
 * that is NULL to the configured server. Admin session. */
int transfer_enrol(struct app *c, const char *canon, const char *request_out,
		   struct transfer_enrol_result *r, struct err *err);

/* ---- network sync ---- */

/* The HTTP options for the configured server: the client's retries and
 * timeouts, or when QUICK few and short retries (a person is waiting at a
 * screen or has just confirmed a fingerprint). */
void transfer_http_opts(const struct app *c, bool quick, struct http_opts *o);

/* Upload, receipt, downstream over O (transfer_http_opts, then the
 * caller's changes). Admin session, enrolled device, a configured server. */
int transfer_sync(struct app *c, const struct http_opts *o, struct netsync_result *r,
		  struct err *err);

#endif
