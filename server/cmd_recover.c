/* server/cmd_recover.c: posyandu-server recover (the district's answer to
 * a device whose every admin forgot the PIN) and key rotate|prune (the
 * district X25519 key, SECURITY.md §2.9). man posyandu-server(8). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/cmd.h"
#include "storage/clock.h"
#include "storage/recover.h"
#include "storage/sync_store.h"
#include "sync/durable.h"
#include "sync/keystr.h"
#include "sync/recover.h"
#include "sync/wire.h"
#include "core/banned.h"

int cmd_recover(struct app *c, int argc, char **argv)
{
	const char *out = NULL, *typed = NULL;
	const struct app_opt opts[] = { { "out", &out, 0 }, { "fingerprint", &typed, 0 }, { 0 } };
	uint8_t req[RECOVER_REQ_LEN + 1], resp[RECOVER_RESP_LEN];
	struct recover_request r;
	struct sync_device d;
	struct err e = { 0 };
	char fpr[KEYSTR_FPR_LEN], line[128], path[800], id[33];
	size_t len = 0;
	int first, rc;

	first = app_opts(argc, argv, opts);
	if (first < 0 || first != argc - 1 || !out)
		return srv_usage("recover REQUEST --out ANSWER [--fingerprint DIGITS]");
	if (app_read_small(argv[first], req, sizeof req, &len, "request", "a recovery request", &e) < 0 ||
	    recover_request_parse(req, len, &r, &e) < 0)
		return srv_fail(&e);
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (sync_device_get(c->store, r.device, &d, &e) < 0)
		return srv_fail(&e);
	recover_fingerprint(req, fpr);
	printf("Recovery request from device %s of %s (%s)\n", wire_hex(r.device, 16, id), d.posyandu,
	       d.name);
	printf("Ask the posyandu admin to read the request's fingerprint, and type it here.\n");
	if (!typed) {
		printf("Fingerprint: ");
		fflush(stdout);
		if (!fgets(line, sizeof line, stdin))
			return err_set(&e, ERR_REQUIRED, "fingerprint", "no fingerprint was typed"),
			       srv_fail(&e);
		typed = line;
	}
	if (!recover_fingerprint_same(typed, fpr)) {
		fprintf(stderr, "posyandu-server: the fingerprint does not match this request: "
				"nothing was written\n");
		return APP_ERROR;
	}
	if (recover_answer(c->store, req, len, resp, &e) < 0)
		return srv_fail(&e);
	if (durable_write_path(out, resp, sizeof resp, "recover", path, sizeof path, &e) < 0)
		return srv_fail(&e);
	printf("Recovery answer written to %s\n", path);
	printf("Give it to the posyandu admin: `posyandu recover finish %s` with the new PIN.\n", path);
	return APP_OK;
}

int cmd_key(struct app *c, int argc, char **argv)
{
	struct err e = { 0 };
	int rc;

	if (argc == 2 && strcmp(argv[1], "rotate") == 0) {
		char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
		uint8_t pk[32], ed[32], x[32];
		uint64_t serial;
		if ((rc = srv_open(c, 1)) != APP_OK)
			return rc;
		if (store_district_rotate(c->store, pk, &serial, &e) < 0 ||
		    store_device_pubkeys(c->store, ed, x, &e) < 0)
			return srv_fail(&e);
		keystr_encode(KEYSTR_DISTRICT, ed, x, key);
		keystr_fingerprint(key, fpr);
		printf("District X25519 key rotated (serial %llu). The new key string:\n%s\n"
		       "fingerprint: %s\n", (unsigned long long)serial, key, fpr);
		printf("Every receipt now carries a signed key update; devices follow it when they\n"
		       "import one. The old secret key is kept %d days for bundles in transit\n"
		       "(posyandu-server key prune destroys older ones).\n", RECOVER_RETAIN_DAYS);
		return APP_OK;
	}
	if ((argc == 2 || argc == 4) && strcmp(argv[1], "prune") == 0) {
		long days = RECOVER_RETAIN_DAYS;
		size_t n;
		if (argc == 4) {
			char *end;
			days = strtol(argv[3], &end, 10);
			if (strcmp(argv[2], "--days") != 0 || *end || days < 0 || days > 36500)
				return srv_usage("key rotate | key prune [--days N]");
		}
		if ((rc = srv_open(c, 1)) != APP_OK)
			return rc;
		if (store_district_prune(c->store, clock_now() - (int64_t)days * 86400, &n, &e) < 0)
			return srv_fail(&e);
		printf("%zu retired district key(s) destroyed\n", n);
		return APP_OK;
	}
	return srv_usage("key rotate | key prune [--days N]");
}
