/* cli/store_cmds.c: making a store and its users: init and user
 * (ARCHITECTURE.md, "Command line"). */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/msg.h"
#include "app/secret.h"
#include "core/date.h"
#include "core/demo.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "core/banned.h"

int cli_init(struct app *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "admin", required_argument, NULL, 'a' },
		{ 0, 0, 0, 0 },
	};
	struct store_profile prof;
	struct kdf_params kdf;
	struct err err = { 0 };
	struct pin pin;
	const char *admin = NULL;
	double secs;
	int ch;

	memset(&prof, 0, sizeof prof);
	snprintf(prof.code, sizeof prof.code, "%s", c->cfg.code);
	snprintf(prof.name, sizeof prof.name, "%s", c->cfg.name);
	snprintf(prof.desa, sizeof prof.desa, "%s", c->cfg.desa);
	snprintf(prof.kecamatan, sizeof prof.kecamatan, "%s", c->cfg.kecamatan);
	snprintf(prof.puskesmas, sizeof prof.puskesmas, "%s", c->cfg.puskesmas);
	snprintf(prof.kabupaten, sizeof prof.kabupaten, "%s", c->cfg.kabupaten);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (strlen(optarg) >= sizeof prof.code)
				return err_set(&err, ERR_RANGE, "code", "too long"), app_fail(&err);
			snprintf(prof.code, sizeof prof.code, "%s", optarg);
			break;
		case 'n':
			snprintf(prof.name, sizeof prof.name, "%s", optarg);
			break;
		case 'a':
			admin = optarg;
			break;
		default:
			return cli_usage("init", NULL);
		}
	}
	if (optind != argc || !admin || !prof.code[0] || !prof.name[0])
		return cli_usage("init", _("init needs --code, --name and --admin"));
	if (valid_posyandu_code(prof.code, &err) < 0 || valid_user_label(admin, &err) < 0)
		return app_fail(&err);
	if (store_exists(c->data_dir))
		return err_set(&err, ERR_EXISTS, "data", "%s", c->data_dir), app_fail(&err);
	if (pin_read(&pin, c->pin_file, c->pin_fd, _("PIN for the first admin: "), 1, &err) < 0)
		return app_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return app_fail(&err);
	}
	app_kdf(c, &kdf, &secs);
	c->store = store_create(c->data_dir, &prof, admin, pin.buf, pin.len, &kdf, &err);
	pin_free(&pin);
	if (!c->store)
		return app_fail(&err);
	printf(_("Store created in %s for %s (%s); admin: %s\n"), c->data_dir, prof.name, prof.code, admin);
	if (secs >= 0)
		printf("kdf     Argon2id m=%zu MiB t=%llu (calibrated) unlock %.2f s\n",
		       kdf.memlimit >> 20, (unsigned long long)kdf.opslimit, secs);
	else
		printf("kdf     Argon2id m=%zu MiB t=%llu (from the configuration)\n",
		       kdf.memlimit >> 20, (unsigned long long)kdf.opslimit);
	printf("%s\n", _("Until this device is enrolled with the district, a forgotten PIN of every admin cannot be recovered: add a second admin."));
	return APP_OK;
}

static int user_add(struct app *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "new-pin-file", required_argument, NULL, 'f' },
		{ "new-pin-fd", required_argument, NULL, 'd' },
		{ 0, 0, 0, 0 },
	};
	const char *role_arg = NULL, *file = c->new_pin_file;
	int fd = c->new_pin_fd, ch, role, rc;
	struct kdf_params kdf;
	struct err err = { 0 };
	struct pin pin;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			role_arg = optarg;
		else if (ch == 'f')
			file = optarg;
		else if (ch == 'd')
			fd = atoi_checked(optarg);
		else
			return cli_usage("user", NULL);
	}
	if (optind + 1 != argc || !role_arg)
		return cli_usage("user", _("user add needs a name and --role"));
	if ((role = role_from_code(role_arg)) < 0)
		return err_set(&err, ERR_RANGE, "role", "%s", role_arg), app_fail(&err);
	if (valid_user_label(argv[optind], &err) < 0)
		return app_fail(&err);
	if ((rc = app_unlock(c)) != 0)
		return rc;
	if (pin_read(&pin, file, fd, _("New PIN: "), 1, &err) < 0)
		return app_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return app_fail(&err);
	}
	app_kdf(c, &kdf, NULL);
	rc = store_user_add(c->store, argv[optind], (enum role)role, pin.buf, pin.len, &kdf, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	printf(_("User %s added (%s)\n"), argv[optind], role_arg);
	return APP_OK;
}

static int user_list(struct app *c)
{
	struct store_user *users;
	struct err err = { 0 };
	size_t n;

	if (store_users(c->store, &users, &n, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\t%s\n", users[i].label, role_code(users[i].role),
		       users[i].disabled ? "disabled" : "active");
	free(users);
	return APP_OK;
}

static int user_passwd(struct app *c, const char *label)
{
	struct kdf_params kdf;
	struct err err = { 0 };
	struct pin pin;
	int rc;

	if ((rc = app_unlock(c)) != 0)
		return rc;
	if (pin_read(&pin, c->new_pin_file, c->new_pin_fd, _("New PIN: "), 1, &err) < 0)
		return app_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return app_fail(&err);
	}
	app_kdf(c, &kdf, NULL);
	rc = store_user_passwd(c->store, label, pin.buf, pin.len, &kdf, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	printf(_("PIN of %s changed\n"), label);
	return APP_OK;
}

int cli_user(struct app *c, int argc, char **argv)
{
	struct err err = { 0 };
	int rc;

	if (argc < 2)
		return cli_usage("user", NULL);
	if (strcmp(argv[1], "add") == 0)
		return user_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return user_list(c);
	if (strcmp(argv[1], "passwd") == 0 && argc == 3)
		return user_passwd(c, argv[2]);
	if (strcmp(argv[1], "disable") == 0 && argc == 3) {
		if ((rc = app_unlock(c)) != 0)
			return rc;
		if (store_user_disable(c->store, argv[2], &err) < 0)
			return app_fail(&err);
		printf(_("User %s disabled\n"), argv[2]);
		return APP_OK;
	}
	return cli_usage("user", NULL);
}
