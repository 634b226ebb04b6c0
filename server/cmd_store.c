/* server/cmd_store.c: the district store and the devices it knows:
 * posyandu-server init, pubkey and device add|list|approve|revoke|rekey. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/valid.h"
#include "server/cmd.h"
#include "storage/audit.h"
#include "storage/sync_store.h"
#include "sync/durable.h"
#include "sync/enrol.h"
#include "sync/rekey.h"
#include "sync/wire.h"
#include "core/banned.h"

/* The district key string, and its fingerprint too when BOTH. */
static void print_key(struct app *c, int both)
{
	char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
	struct err e = { 0 };
	if (enrol_own_key(c->store, KEYSTR_DISTRICT, key, fpr, &e) < 0) {
		srv_fail(&e);
		return;
	}
	printf("%s\n", key);
	if (both)
		printf("fingerprint: %s\n", fpr);
}

int cmd_init(struct app *c, int argc, char **argv)
{
	const char *code = NULL, *name = NULL;
	const struct app_opt opts[] = { { "code", &code, 0 }, { "name", &name, 0 }, { 0 } };
	struct store_open_opts o = { .url = c->store_url };
	struct store_profile p;
	struct kdf_params kdf;
	struct err e = { 0 };
	struct pin pass;
	int i, rc;

	memset(&p, 0, sizeof p);
	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1)
		if (i == -2 || (i == 0 && strlen(code) >= sizeof p.code))
			return srv_usage("init [--code CODE] [--name NAME]");
	snprintf(p.code, sizeof p.code, "%s", code ? code : "DISTRICT");
	snprintf(p.name, sizeof p.name, "%s", name ? name : "District health office");
	if (optind != argc)
		return srv_usage("init takes no other arguments");
	if (valid_posyandu_code(p.code, &e) < 0)
		return srv_fail(&e);
	if (store_exists_at(c->data_dir, &o))
		return err_set(&e, ERR_EXISTS, "data", "%s already holds a store",
			       c->store_url ? "the PostgreSQL database" : c->data_dir),
		       srv_fail(&e);
	if ((rc = srv_passphrase(c, "New district passphrase (16+ characters, or 12+ digits): ", 1,
				 &pass)) != APP_OK)
		return rc;
	if (valid_secret(pass.buf, pass.len, SECRET_STRONG, &e) < 0) {
		pin_free(&pass);
		fprintf(stderr, "posyandu-server: the district passphrase must be strong: 16 or more "
				"characters, or 12 or more digits that are not a run\n");
		return APP_ERROR;
	}
	/* SECURITY.md §2.2: a server profile of 256 MiB or more, unless configured. */
	kdf.memlimit = c->cfg.argon2_mem_mib ? (size_t)c->cfg.argon2_mem_mib << 20 : (size_t)256 << 20;
	kdf.opslimit = c->cfg.argon2_ops ? (uint64_t)c->cfg.argon2_ops : 3;
	c->store = store_create_at(c->data_dir, &o, &p, SERVER_ADMIN, pass.buf, pass.len, &kdf, &e);
	pin_free(&pass);
	if (!c->store)
		return srv_fail(&e);
	printf("District store created in %s (%s); Argon2id m=%zu MiB t=%llu\n",
	       c->store_url ? "the PostgreSQL database" : c->data_dir, p.code,
	       kdf.memlimit >> 20, (unsigned long long)kdf.opslimit);
	printf("Give this key to each posyandu admin; read the fingerprint aloud on the phone:\n");
	print_key(c, 1);
	printf("Back up the data folder and the passphrase offline: losing the district key loses\n"
	       "every recovery slot and every bundle not yet imported.\n");
	return APP_OK;
}

/* verify: the district's audit log, every entry's signature and chain and
 * the versions it binds (storage/audit.c), then every version opened
 * (store_verify), on either store; what an
 * administrator runs after a crash, a restore or a move. */
int cmd_verify(struct app *c, int argc, char **argv)
{
	struct err e = { 0 };
	uint64_t bad = 0;
	size_t n = 0;
	int rc;

	(void)argv;
	if (argc != 1)
		return srv_usage("verify takes no arguments");
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (store_audit_verify(c->store, &n, &bad, &e) < 0) {
		if (e.code != ERR_CRYPTO)
			return srv_fail(&e);
		fprintf(stderr, "posyandu-server: the audit log does not verify at entry %llu: "
			"records or entries were changed, removed or reordered outside the program\n",
			(unsigned long long)bad);
		return APP_ERROR;
	}
	printf("Audit log intact: %zu entries\n", n);
	if (store_verify(c->store, &n, &e) < 0)
		return srv_fail(&e);
	printf("Every version opens: %zu\n", n);
	return APP_OK;
}

int cmd_pubkey(struct app *c, int argc, char **argv)
{
	int rc;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--fingerprint") != 0))
		return srv_usage("pubkey [--fingerprint]");
	if ((rc = srv_open(c, 0)) != APP_OK)
		return rc;
	if (argc == 2) {
		char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
		struct err e = { 0 };
		if (enrol_own_key(c->store, KEYSTR_DISTRICT, key, fpr, &e) < 0)
			return srv_fail(&e);
		printf("%s\n", fpr);
		return APP_OK;
	}
	print_key(c, 0);
	return APP_OK;
}

static int device_list(struct app *c)
{
	struct sync_device *d;
	struct err e = { 0 };
	size_t n;
	int rc;

	if ((rc = srv_open(c, 0)) != APP_OK)
		return rc;
	if (sync_device_list(c->store, &d, &n, &e) < 0)
		return srv_fail(&e);
	for (size_t i = 0; i < n; i++) {
		char id[33], key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
		enrol_device_key(&d[i], key, fpr);
		printf("%s\t%s\t%s\t%s\n", wire_hex(d[i].id, 16, id), d[i].posyandu,
		       sync_device_status_name(d[i].status), fpr);
	}
	free(d);
	return APP_OK;
}

static int device_add(struct app *c, const char *request)
{
	uint8_t req[1024];
	struct sync_device d;
	struct err e = { 0 };
	char id[33], key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
	size_t len = 0;
	bool existed;
	int rc;

	if (app_read_small(request, req, sizeof req, &len, "request", "a request file", &e) < 0)
		return srv_fail(&e);
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (enrol_accept(c->store, req, len, &d, &existed, &e) < 0)
		return srv_fail(&e);
	enrol_device_key(&d, key, fpr);
	printf("%s device %s of %s (%s): pending\n", existed ? "Already added:" : "Added:",
	       wire_hex(d.id, 16, id), d.posyandu, d.name);
	printf("fingerprint: %s\n", fpr);
	printf("Approve it only after the posyandu admin has read these digits to you:\n"
	       "  posyandu-server device approve %.8s\n", id);
	return APP_OK;
}

static int device_status(struct app *c, const char *dev, int approve)
{
	struct err e = { 0 };
	uint8_t id[16];
	int rc;

	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (sync_device_find(c->store, dev, id, &e) < 0 ||
	    sync_device_set_status(c->store, id, approve ? SYNC_DEV_APPROVED : SYNC_DEV_REVOKED,
				   &e) < 0)
		return srv_fail(&e);
	printf("Device %s %s\n", dev, approve ? "approved" : "revoked");
	return APP_OK;
}

/* A device's new key pair (sync/rekey.h): the officer types the digits the
 * posyandu admin reads from her screen; the answer goes back on the stick. */
static int device_rekey(struct app *c, int argc, char **argv)
{
	const char *fpr = NULL, *out = NULL;
	const struct app_opt opts[] = { { "fingerprint", &fpr, 0 }, { "out", &out, 0 }, { 0 } };
	static const char usage[] = "device rekey REQUEST --fingerprint DIGITS --out ANSWER";
	uint8_t req[1024], answer[REKEY_ANSWER_LEN];
	char want[KEYSTR_FPR_LEN], id[33], path[600];
	struct rekey_request r;
	struct err e = { 0 };
	size_t len = 0;
	int i, rc;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1)
		if (i == -2)
			return srv_usage(usage);
	if (optind != argc - 1 || !out)
		return srv_usage(usage);
	if (app_read_small(argv[optind], req, sizeof req, &len, "request", "a request file", &e) < 0)
		return srv_fail(&e);
	if (!fpr) {
		/* Show what to compare; change nothing without the digits. */
		if (rekey_parse(req, len, &r, &e) < 0)
			return srv_fail(&e);
		rekey_fingerprint(req, want);
		printf("Device %s of %s asks to replace its key.\nfingerprint: %s\n",
		       wire_hex(r.device, 16, id), r.posyandu, want);
		fprintf(stderr, "posyandu-server: nothing changed: run again with --fingerprint and the "
				"digits the posyandu admin reads to you\n");
		return APP_ERROR;
	}
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (rekey_accept(c->store, req, len, fpr, &r, answer, &e) < 0)
		return srv_fail(&e);
	if (durable_write_path(out, answer, sizeof answer, "usb", path, sizeof path, &e) < 0)
		return srv_fail(&e);
	printf("Device %s of %s: key replaced; bundles signed by its old key are refused from now on\n",
	       wire_hex(r.device, 16, id), r.posyandu);
	printf("Answer written to %s: the posyandu admin runs posyandu key rotate --device --finish\n",
	       path);
	return APP_OK;
}

int cmd_device(struct app *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "rekey") == 0)
		return device_rekey(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return device_list(c);
	if (argc == 3 && strcmp(argv[1], "add") == 0)
		return device_add(c, argv[2]);
	if (argc == 3 && (strcmp(argv[1], "approve") == 0 || strcmp(argv[1], "revoke") == 0))
		return device_status(c, argv[2], strcmp(argv[1], "approve") == 0);
	return srv_usage("device add REQUEST | device list | device approve ID | device revoke ID | "
			 "device rekey REQUEST --fingerprint DIGITS --out ANSWER");
}
