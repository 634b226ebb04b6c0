/* cli/recover.c: posyandu recover request|finish: every admin forgot the
 * PIN, and the district answers through the recovery slot sealed at
 * enrolment (SECURITY.md §2.2, §4 "lost passphrase"; man posyandu(1)).
 * The store stays locked: the new PIN is asked twice at request time and
 * once at finish (--pin-file, --pin-fd or the terminal, never argv). */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/valid.h"
#include "app/i18n.h"
#include "app/secret.h"
#include "sync/durable.h"
#include "sync/recover.h"
#include "core/banned.h"

static int write_out(const char *out, const uint8_t *buf, size_t len, char *path, size_t size,
		     struct err *err)
{
	return durable_write_path(out, buf, len, "recover", path, size, err);
}

static int request(struct app *c, int argc, char **argv)
{
	const char *admin = NULL, *out = NULL;
	const struct app_opt opts[] = { { "admin", &admin, 0 }, { "out", &out, 0 }, { 0 } };
	uint8_t req[RECOVER_REQ_LEN];
	char fpr[KEYSTR_FPR_LEN], path[800];
	struct kdf_params kdf;
	struct err err = { 0 };
	struct pin pin;
	int rc;

	if (app_opts(argc, argv, opts) != argc || !admin || !out)
		return cli_usage("recover", _("recover request needs --admin NAME and --out FILE"));
	if (valid_user_label(admin, &err) < 0)
		return app_fail(&err);
	if (pin_read(&pin, c->pin_file, c->pin_fd, _("New PIN for the recovered admin: "), 1, &err) < 0)
		return app_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return app_fail(&err);
	}
	app_kdf(c, &kdf, NULL);
	rc = recover_request_make(c->store, admin, pin.buf, pin.len, &kdf, req, fpr, &err);
	pin_free(&pin);
	if (rc < 0 || write_out(out, req, sizeof req, path, sizeof path, &err) < 0)
		return app_fail(&err);
	printf(_("Recovery request written to %s\n"), path);
	printf("%s\n    %s\n", _("Read this fingerprint to the district officer on the phone:"), fpr);
	printf("%s\n", _("Keep the new PIN: it is asked again when the district's answer comes back."));
	return APP_OK;
}

static int finish(struct app *c, int argc, char **argv)
{
	uint8_t resp[RECOVER_RESP_LEN + 1];
	struct kdf_params kdf;
	struct err err = { 0 };
	struct pin pin;
	char admin[33];
	size_t len = 0;
	int rc;

	if (argc != 2)
		return cli_usage("recover", _("recover finish needs the answer file"));
	if (app_read_small(argv[1], resp, sizeof resp, &len, "recover", "a recovery answer", &err) < 0)
		return app_fail(&err);
	if (pin_read(&pin, c->pin_file, c->pin_fd, _("The PIN chosen for the recovery request: "), 0,
		     &err) < 0)
		return app_fail(&err);
	app_kdf(c, &kdf, NULL);
	rc = recover_finish(c->store, resp, len, pin.buf, pin.len, &kdf, admin, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	printf(_("Recovered by the district: admin %s can log in with the new PIN\n"), admin);
	return APP_OK;
}

int cli_recover(struct app *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "request") == 0)
		return request(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "finish") == 0)
		return finish(c, argc - 1, argv + 1);
	return cli_usage("recover", NULL);
}
