/* cli/key.c: posyandu key rotate: a new device data key after a user
 * leaves who may have copied the database (SECURITY.md §2.9, issue 13.10;
 * posyandu(1) "KEY ROTATION"). The admin's PIN unlocks the store and
 * re-wraps her own slot with the new key, so it is read once and kept for
 * the command. One transaction: stopped halfway, nothing changed.
 *
 * key rotate --device: a new device key pair, in two steps with the
 * district in between (sync/rekey.h): --out FILE writes the cross-signed
 * request, --finish ANSWER switches once the district has confirmed. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sync/durable.h"
#include "sync/rekey.h"

#include "app/i18n.h"
#include "app/secret.h"
#include "app/setup.h"
#include "core/banned.h"

static void progress(void *ctx, int64_t done, int64_t total)
{
	(void)ctx;
	fprintf(stderr, _("posyandu: re-encrypting versions: %lld of %lld\r"), (long long)done,
		(long long)total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int key_rotate(struct app *c)
{
	struct store_rotate_stats st;
	struct err err = { 0 };
	struct timespec t0, t1;
	struct pin pin;
	int rc;

	if ((rc = app_unlock_pin(c, &pin)) != 0)
		return rc;
	if (store_session(c->store)->role != ROLE_ADMIN) {
		pin_free(&pin);
		err_set(&err, ERR_DENIED, NULL, "needs an admin");
		return app_fail(&err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = setup_key_rotate(c, &pin, progress, NULL, &st, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf(_("Data key rotated: epoch %u, %lld versions re-encrypted in %.1f s\n"), st.epoch,
	       (long long)st.versions,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf(_("%lld users receive the new key at their next login\n"), (long long)st.updates);
	if (st.skipped)
		printf(_("%lld users have no valid certificate: reset their PIN (posyandu user passwd NAME)\n"),
		       (long long)st.skipped);
	if (st.recovery)
		printf("%s\n", _("The recovery slot holds the new key"));
	return APP_OK;
}

/* Step 1: the new pair and the request in OUT; its fingerprint to read aloud. */
static int device_request(struct app *c, const char *out)
{
	uint8_t req[REKEY_LEN];
	char path[600], fpr[KEYSTR_FPR_LEN];
	struct err err = { 0 };
	int rc;

	if ((rc = app_unlock(c)) != 0)
		return rc;
	if (store_session(c->store)->role != ROLE_ADMIN) {
		err_set(&err, ERR_DENIED, NULL, "needs an admin");
		return app_fail(&err);
	}
	if (rekey_request(c->store, req, &err) < 0)
		return app_fail(&err);
	if (durable_write_path(out, req, sizeof req, "usb", path, sizeof path, &err) < 0)
		return app_fail(&err);
	rekey_fingerprint(req, fpr);
	printf(_("Device key change request written to %s\n"), path);
	printf("%s\n    %s\n", _("Its fingerprint (read it to the district officer on the phone):"), fpr);
	printf("%s\n", _("This device keeps its old key until the district's answer is applied: "
			  "posyandu key rotate --device --finish ANSWER"));
	return APP_OK;
}

/* Step 3: the district's answer; the switch re-wraps the admin's slot. */
static int device_finish(struct app *c, const char *answer)
{
	struct store_devkey_stats st;
	uint8_t buf[512];
	struct err err = { 0 };
	struct pin pin;
	size_t len;
	int rc;

	if (app_read_small(answer, buf, sizeof buf, &len, "answer", "a district answer", &err) < 0)
		return app_fail(&err);
	if ((rc = app_unlock_pin(c, &pin)) != 0)
		return rc;
	if (store_session(c->store)->role != ROLE_ADMIN) {
		pin_free(&pin);
		err_set(&err, ERR_DENIED, NULL, "needs an admin");
		return app_fail(&err);
	}
	rc = rekey_finish(c->store, buf, len, pin.buf, pin.len, &st, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	printf(_("Device key replaced: %lld certificates signed again\n"), (long long)st.certs);
	printf(_("%lld users pin the new key at their next login\n"), (long long)st.users);
	return APP_OK;
}

int cli_key(struct app *c, int argc, char **argv)
{
	const char *dev = NULL, *out = NULL, *finish = NULL;
	const struct app_opt opts[] = { { "device", &dev, 1 }, { "out", &out, 0 },
					{ "finish", &finish, 0 }, { 0 } };

	if (argc < 2 || strcmp(argv[1], "rotate") != 0)
		return cli_usage("key", NULL);
	if (app_opts(argc - 1, argv + 1, opts) != argc - 1)
		return cli_usage("key", NULL);
	if (!dev && !out && !finish)
		return key_rotate(c);
	if (!dev || !out == !finish)
		return cli_usage("key", _("key rotate --device needs --out FILE or --finish ANSWER"));
	return out ? device_request(c, out) : device_finish(c, finish);
}
