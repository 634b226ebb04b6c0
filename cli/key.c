/* cli/key.c: posyandu key rotate: a new device data key after a user
 * leaves who may have copied the database (SECURITY.md §2.9, issue 13.10;
 * posyandu(1) "KEY ROTATION"). The admin's PIN unlocks the store and
 * re-wraps her own slot with the new key, so it is read once and kept for
 * the command. One transaction: stopped halfway, nothing changed. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

int cli_key(struct app *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "rotate") == 0)
		return key_rotate(c);
	return cli_usage("key", NULL);
}
