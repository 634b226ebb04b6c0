/* server/cmd_officer.c: posyandu-server officer add|passwd|list|remove,
 * the accounts of the web interface (storage/officer.h, posyandu-server(8)
 * WEB INTERFACE). Adding an officer, changing her password (which ends her
 * sessions) or removing her needs the district passphrase
 * (the rows carry a MAC under a key only its slot opens; each change is
 * audited). The officer's own password is asked on the terminal, twice,
 * or read from --password-file FILE / --password-fd N (tests, scripts):
 * never from argv. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/cmd.h"
#include "storage/officer.h"
#include "core/banned.h"

static const char usage[] = "officer add NAME [--role viewer|approver] [--password-file FILE | "
			    "--password-fd N] | officer passwd NAME [--password-file FILE | "
			    "--password-fd N] | officer list | officer remove NAME";

/* The options of add (ROLE: NULL for passwd, which takes none) into
 * *ROLE and *FD; the officer's name is argv[optind]. APP_OK or the usage
 * error. */
static int officer_opts(int argc, char **argv, int *role, const char **pw_file, int *fd)
{
	const char *role_arg = NULL, *pw_fd = NULL;
	/* passwd: the same options but --role (its last), which is unknown there */
	const struct app_opt opts[] = { { "password-file", pw_file, 0 }, { "password-fd", &pw_fd, 0 },
					{ role ? "role" : NULL, &role_arg, 0 }, { 0 } };
	int i;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == -2)
			return srv_usage(usage);
		if (i == 2 && (*role = officer_role_parse(role_arg)) < 0)
			return srv_usage("--role takes viewer or approver");
		if (i == 1) {
			char *end;
			long v = strtol(pw_fd, &end, 10);
			if (*end || v < 0 || v > 1000000)
				return srv_usage("--password-fd takes a file descriptor number");
			*fd = (int)v;
		}
	}
	if (optind != argc - 1)
		return srv_usage(usage);
	return APP_OK;
}

/* The officer's password: twice on the terminal, or from FILE or FD. */
static int read_password(struct pin *pw, const char *pw_file, int fd, const char *prompt,
			 struct err *e)
{
	if (secret_read(pw, OFFICER_PASSWORD_MAX, pw_file, fd, prompt, 1, e) == 0)
		return 0;
	if (e->field && strcmp(e->field, "pin-confirm") == 0)
		err_set(e, ERR_FORMAT, "password", "the two passwords differ");
	else if (e->code == ERR_USAGE)
		err_set(e, ERR_USAGE, "password", "no terminal to ask for the password: use "
			"--password-file");
	return -1;
}

/* The cost of the district's configuration (tests keep it low), else
 * 64 MiB and t = 3: a sign-in on the server takes a fraction of a second. */
static void pw_cost(const struct app *c, uint64_t *ops, size_t *mem)
{
	*mem = c->cfg.argon2_mem_mib ? (size_t)c->cfg.argon2_mem_mib << 20 : (size_t)64 << 20;
	*ops = c->cfg.argon2_ops ? (uint64_t)c->cfg.argon2_ops : 3;
}

static int officer_add_cmd(struct app *c, int argc, char **argv)
{
	const char *pw_file = NULL;
	struct err e = { 0 };
	struct pin pw;
	uint64_t ops;
	size_t mem;
	int role = OFFICER_VIEWER, fd = -1, rc;

	if ((rc = officer_opts(argc, argv, &role, &pw_file, &fd)) != APP_OK)
		return rc;
	if (officer_name_valid(argv[optind], &e) < 0)
		return srv_fail(&e);
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (read_password(&pw, pw_file, fd, "Officer's password: ", &e) < 0)
		return srv_fail(&e);
	pw_cost(c, &ops, &mem);
	rc = officer_add(c->store, argv[optind], role, pw.buf, pw.len, ops, mem, &e);
	pin_free(&pw);
	if (rc < 0)
		return srv_fail(&e);
	printf("Officer %s added (%s)\n", argv[optind], officer_role_name(role));
	return APP_OK;
}

/* officer passwd NAME: a new password, every session of hers ended. */
static int officer_passwd_cmd(struct app *c, int argc, char **argv)
{
	const char *pw_file = NULL;
	struct err e = { 0 };
	struct pin pw;
	uint64_t ops;
	size_t mem;
	int fd = -1, rc;

	if ((rc = officer_opts(argc, argv, NULL, &pw_file, &fd)) != APP_OK)
		return rc;
	if (officer_name_valid(argv[optind], &e) < 0)
		return srv_fail(&e);
	if ((rc = srv_open(c, 1)) != APP_OK)
		return rc;
	if (read_password(&pw, pw_file, fd, "Officer's new password: ", &e) < 0)
		return srv_fail(&e);
	pw_cost(c, &ops, &mem);
	rc = officer_passwd(c->store, argv[optind], pw.buf, pw.len, ops, mem, &e);
	pin_free(&pw);
	if (rc < 0)
		return srv_fail(&e);
	printf("Officer %s: password changed; her sessions are ended\n", argv[optind]);
	return APP_OK;
}

int cmd_officer(struct app *c, int argc, char **argv)
{
	struct err e = { 0 };
	int rc;

	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return officer_add_cmd(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "passwd") == 0)
		return officer_passwd_cmd(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		struct officer *o;
		size_t n;
		if ((rc = srv_open(c, 0)) != APP_OK)
			return rc;
		if (officer_list(c->store, &o, &n, &e) < 0)
			return srv_fail(&e);
		for (size_t i = 0; i < n; i++)
			printf("%s\t%s\n", o[i].name, officer_role_name(o[i].role));
		free(o);
		return APP_OK;
	}
	if (argc == 3 && strcmp(argv[1], "remove") == 0) {
		if ((rc = srv_open(c, 1)) != APP_OK)
			return rc;
		if (officer_remove(c->store, argv[2], &e) < 0)
			return srv_fail(&e);
		printf("Officer %s removed; her sessions are ended\n", argv[2]);
		return APP_OK;
	}
	return srv_usage(usage);
}
