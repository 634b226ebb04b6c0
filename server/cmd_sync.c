/* server/cmd_sync.c: bundles in and out of the district: posyandu-server
 * import (from a stick, with the receipt written back), export (a
 * downstream bundle onto a stick) and serve (the same over HTTP(S), until
 * a signal). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/cmd.h"
#include "server/ui.h"
#include "storage/sync_store.h"
#include "sync/durable.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "sync/server.h"
#include "sync/usb.h"
#include "core/banned.h"

/* The receipt's file name: the bundle's, with .pyr for .pyb. */
static void receipt_name(const char *bundle, char *out, size_t size)
{
	const char *base = strrchr(bundle, '/');
	size_t n;
	base = base ? base + 1 : bundle;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".pyb") == 0)
		n -= 4;
	snprintf(out, size, "%.*s.pyr", (int)n, base);
}

/* One bundle of `import`: its line, and its receipt next to it (or into
 * RDIR); 0, or 1 when it was refused or its receipt not written. */
static int import_one(struct app *c, const char *file, const struct import_opts *io,
		      const char *rdir)
{
	struct import_result ir;
	struct err e = { 0 };
	char name[300], dirbuf[600], path[800];
	uint8_t rbuf[RECEIPT_LEN + KEYUPDATE_LEN];
	bool ku;

	if (import_bundle(c->store, file, io, &ir, &e) < 0) {
		printf("%s: %s: %s\n", file, bundle_class_name(ir.cls), e.detail);
		return 1;
	}
	if (ir.cls == BUNDLE_DUPLICATE)
		printf("%s: duplicate: %s #%llu was imported before: nothing changed\n", file,
		       ir.h.posyandu, (unsigned long long)ir.h.seq);
	else
		printf("%s: %s: %s (%s) #%llu: %u new, %u duplicate versions%s%s\n", file,
		       bundle_class_name(ir.cls), ir.h.posyandu, ir.posyandu_name,
		       (unsigned long long)ir.h.seq, ir.n_new, ir.n_dup,
		       ir.seq_regression ? " (warning: an older sequence than seen before: a "
					   "restored backup? ask the posyandu to re-enrol)" : "",
		       ir.audit_unchecked ? " (warning: no audit frames checked: an older posyandu "
					    "version, a downgrade or a restored district; ask for a full bundle)" : "");
	if (!ir.has_receipt)
		return 0;
	receipt_name(file, name, sizeof name);
	snprintf(dirbuf, sizeof dirbuf, "%s", file);
	/* After a rotation, the receipt carries the key update (SECURITY.md §2.9). */
	memcpy(rbuf, ir.receipt, RECEIPT_LEN);
	if (receipt_key_update(c->store, rbuf + RECEIPT_LEN, &ku, &e) < 0 ||
	    durable_write_file(rdir ? rdir : dirname(dirbuf), name, rbuf,
			       RECEIPT_LEN + (ku ? KEYUPDATE_LEN : 0), "usb", path, sizeof path,
			       &e) < 0) {
		printf("%s: receipt not written: %s\n", file, e.detail);
		return 1;
	}
	printf("%s: receipt %s\n", file, path);
	return 0;
}

int cmd_import(struct app *c, int argc, char **argv)
{
	const char *rdir = NULL;
	const struct app_opt opts[] = { { "receipts", &rdir, 0 }, { 0 } };
	struct import_opts io = { .district = true };
	int rc, failed = 0;

	if (app_opts(argc, argv, opts) < 0)
		return srv_usage("import [--receipts DIR] FILE...");
	if (optind >= argc)
		return srv_usage("import needs at least one bundle file");
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	for (int i = optind; i < argc; i++)
		failed += import_one(c, argv[i], &io, rdir);
	return failed ? APP_ERROR : APP_OK;
}

int cmd_export(struct app *c, int argc, char **argv)
{
	const char *dev = NULL, *to = NULL;
	const struct app_opt opts[] = { { "device", &dev, 0 }, { "to", &to, 0 }, { 0 } };
	struct export_result er;
	struct err e = { 0 };
	uint8_t id[16];
	char out[800];
	int rc;

	if (app_opts(argc, argv, opts) != argc || !dev || !to)
		return srv_usage("export --device ID --to DIR");
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (sync_device_find(c->store, dev, id, &e) < 0 || export_downstream(c->store, id, 0, &er, &e) < 0)
		return srv_fail(&e);
	if (er.empty) {
		printf("Nothing new for device %s\n", dev);
		return APP_OK;
	}
	if (usb_put(er.e.path, to, er.name, er.e.hash, out, sizeof out, &e) < 0)
		return srv_fail(&e);
	printf("Downstream bundle written: %s (#%llu, %u versions)\n", out,
	       (unsigned long long)er.e.seq, er.e.versions);
	return APP_OK;
}

/* A PEM file (a TLS certificate or key) into sodium_malloc memory. */
static char *read_pem(const char *path, struct err *err)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > (1 << 20)) {
		if (fd >= 0)
			close(fd);
		err_set(err, ERR_IO, "tls", "%s: cannot read", path);
		return NULL;
	}
	if (!(buf = sodium_malloc((size_t)st.st_size + 1))) {
		close(fd);
		err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		return NULL;
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

int cmd_serve(struct app *c, int argc, char **argv)
{
	const char *listen = NULL, *cert = NULL, *key = NULL, *logp = NULL, *max = NULL;
	const struct app_opt opts[] = { { "listen", &listen, 0 }, { "tls-cert", &cert, 0 },
					{ "tls-key", &key, 0 }, { "max-size", &max, 0 },
					{ "log", &logp, 0 }, { 0 } };
	struct server_opts so = { 0 };
	struct ui_ctx ui;
	struct server *sv;
	struct err e = { 0 };
	sigset_t set;
	int i, sig, rc;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		char *end;
		if (i == -2)
			return srv_usage(NULL);
		if (opts[i].val != &max)
			continue;
		so.max_size = strtoull(max, &end, 10);
		if (*end || so.max_size < 1024)
			return srv_usage("--max-size takes a number of bytes (at least 1024)");
	}
	if (!listen || optind != argc || (!cert != !key))
		return srv_usage("serve --listen ADDR:PORT [--tls-cert FILE --tls-key FILE]");
	if (serve_config(c->cfg.source, &so, &e) < 0)
		return srv_fail(&e);
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (cert && (!(so.tls_cert_pem = read_pem(cert, &e)) || !(so.tls_key_pem = read_pem(key, &e))))
		return srv_fail(&e);
	so.log = stderr;
	if (logp && !(so.log = fopen(logp, "ae")))
		return err_set(&e, ERR_IO, "log", "%s: %s", logp, strerror(errno)), srv_fail(&e);
	/* Signals are waited for here; the daemon's threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* The web interface: loopback clients only unless TLS (sync/server.c). */
	ui_init(&ui, c->store, c->cfg.target_ds, c->cfg.target_nd);
	so.ui = ui_handle;
	so.ui_ctx = &ui;
	if (!(sv = server_start(c->store, listen, &so, &e)))
		return srv_fail(&e);
	printf("posyandu-server: listening on %s://%.*s:%u\n", cert ? "https" : "http",
	       (int)(strrchr(listen, ':') - listen), listen, server_port(sv));
	fflush(stdout);
	sigwait(&set, &sig);
	server_stop(sv);
	ui_fini(&ui);
	if (so.tls_cert_pem)
		sodium_free((void *)so.tls_cert_pem);
	if (so.tls_key_pem)
		sodium_free((void *)so.tls_key_pem);
	if (so.log && so.log != stderr)
		fclose(so.log);
	fprintf(stderr, "posyandu-server: stopped (signal %d)\n", sig);
	return APP_OK;
}
