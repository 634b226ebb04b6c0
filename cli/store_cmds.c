/* cli/store_cmds.c: making a store and its users: init and user
 * (ARCHITECTURE.md, "Command line"): parse, read the PIN, call
 * app/setup.h, print. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/secret.h"
#include "app/setup.h"
#include "core/valid.h"
#include "core/banned.h"

int cli_init(struct app *c, int argc, char **argv)
{
	const char *code = NULL, *name = NULL, *admin = NULL;
	const struct app_opt opts[] = { { "code", &code, 0 }, { "name", &name, 0 },
					{ "admin", &admin, 0 }, { 0 } };
	struct store_profile prof;
	struct setup_kdf k;
	struct err err = { 0 };
	struct pin pin;
	int i, rc;

	setup_profile_from_config(c, &prof);
	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == -2)
			return cli_usage("init", NULL);
		if (i == 0 && strlen(code) >= sizeof prof.code)
			return err_set(&err, ERR_RANGE, "code", "too long"), app_fail(&err);
	}
	if (code)
		snprintf(prof.code, sizeof prof.code, "%s", code);
	if (name)
		snprintf(prof.name, sizeof prof.name, "%s", name);
	if (optind != argc || !admin || !prof.code[0] || !prof.name[0])
		return cli_usage("init", _("init needs --code, --name and --admin"));
	if (setup_store_check(c, &prof, admin, &err) < 0)
		return app_fail(&err);
	if (pin_read(&pin, c->pin_file, c->pin_fd, _("PIN for the first admin: "), 1, &err) < 0)
		return app_fail(&err);
	rc = setup_store_create(c, &prof, admin, &pin, &k, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	printf(_("Store created in %s for %s (%s); admin: %s\n"), c->data_dir, prof.name, prof.code, admin);
	if (k.seconds >= 0)
		printf("kdf     Argon2id m=%zu MiB t=%llu (calibrated) unlock %.2f s\n",
		       k.kdf.memlimit >> 20, (unsigned long long)k.kdf.opslimit, k.seconds);
	else
		printf("kdf     Argon2id m=%zu MiB t=%llu (from the configuration)\n",
		       k.kdf.memlimit >> 20, (unsigned long long)k.kdf.opslimit);
	printf("%s\n", _("Until this device is enrolled with the district, a forgotten PIN of every admin cannot be recovered: add a second admin."));
	return APP_OK;
}

/* Unlock, then read the new PIN from FILE or FD (or the terminal). */
static int unlock_and_read_pin(struct app *c, const char *file, int fd, struct pin *pin)
{
	struct err err = { 0 };
	int rc;

	if ((rc = app_unlock(c)) != 0)
		return rc;
	if (pin_read(pin, file, fd, _("New PIN: "), 1, &err) < 0)
		return app_fail(&err);
	return APP_OK;
}

static int user_add(struct app *c, int argc, char **argv)
{
	const char *role_arg = NULL, *file = c->new_pin_file, *fd_arg = NULL;
	const struct app_opt opts[] = { { "role", &role_arg, 0 }, { "new-pin-file", &file, 0 },
					{ "new-pin-fd", &fd_arg, 0 }, { 0 } };
	int fd = c->new_pin_fd, op, rc;
	enum role role;
	struct err err = { 0 };
	struct pin pin;

	if ((op = app_opts(argc, argv, opts)) < 0)
		return cli_usage("user", NULL);
	if (fd_arg)
		fd = atoi_checked(fd_arg);
	if (op + 1 != argc || !role_arg)
		return cli_usage("user", _("user add needs a name and --role"));
	if (setup_role(role_arg, &role, &err) < 0 || valid_user_label(argv[op], &err) < 0)
		return app_fail(&err);
	if ((rc = unlock_and_read_pin(c, file, fd, &pin)) != APP_OK)
		return rc;
	rc = setup_user_add(c, argv[op], role, &pin, &err);
	pin_free(&pin);
	if (rc < 0)
		return app_fail(&err);
	printf(_("User %s added (%s)\n"), argv[op], role_arg);
	return APP_OK;
}

static int user_list(struct app *c)
{
	struct store_user *users;
	struct err err = { 0 };
	size_t n;

	if (setup_user_list(c, &users, &n, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\t%s\n", users[i].label, role_code(users[i].role),
		       users[i].tampered ? "tampered" : users[i].disabled ? "disabled" : "active");
	free(users);
	return APP_OK;
}

static int user_passwd(struct app *c, const char *label)
{
	struct err err = { 0 };
	struct pin pin;
	int rc;

	if ((rc = unlock_and_read_pin(c, c->new_pin_file, c->new_pin_fd, &pin)) != APP_OK)
		return rc;
	rc = setup_user_passwd(c, label, &pin, &err);
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
		if (setup_user_disable(c, argv[2], &err) < 0)
			return app_fail(&err);
		printf(_("User %s disabled\n"), argv[2]);
		/* what she may have copied already is hers; what comes next need not be */
		fprintf(stderr, "%s\n", _("Rotate the data key? posyandu key rotate"));
		return APP_OK;
	}
	return cli_usage("user", NULL);
}
