/* tui/cli.c: the command line (ARCHITECTURE.md, "Command line"). One table
 * lists the subcommands with what they need (a store, an unlocked session,
 * a role); usage and --help come from it. Exit status: 0 success, 1 error
 * (one line on stderr in the UI language), 2 usage. */
#include "tui/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/demo.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "storage/config.h"
#include "storage/store.h"
#include "tui/cli_ctx.h"
#include "tui/i18n.h"
#include "tui/msg.h"
#include "tui/pin.h"
#include "tui/ui.h"
#include "core/banned.h"

enum { NEED_STORE = 1, NEED_UNLOCK = 2, NEED_ADMIN = 4 };

struct command {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	int needs;
	const char *usage;         /* not translated: it is syntax */
	const char *summary;       /* msgid */
};

static int cmd_init(struct cli *c, int argc, char **argv);
static int cmd_user(struct cli *c, int argc, char **argv);
static int cmd_person(struct cli *c, int argc, char **argv);
static int cmd_demo(struct cli *c, int argc, char **argv);
static int cmd_audit(struct cli *c, int argc, char **argv);
static int cmd_growth(struct cli *c, int argc, char **argv);
int cli_quiz(struct cli *c, int argc, char **argv);      /* tui/cli_quiz.c */
int cli_report(struct cli *c, int argc, char **argv);    /* tui/cli_quiz.c */
int cli_load(struct cli *c, int argc, char **argv);      /* tui/cli_load.c */
int cli_enroll(struct cli *c, int argc, char **argv);    /* tui/cli_sync.c */
int cli_export(struct cli *c, int argc, char **argv);    /* tui/cli_sync.c */
int cli_import(struct cli *c, int argc, char **argv);    /* tui/cli_sync.c */
int cli_sync(struct cli *c, int argc, char **argv);      /* tui/cli_sync.c */
int cli_conflicts(struct cli *c, int argc, char **argv); /* tui/cli_sync.c */

static const struct command commands[] = {
	{ "init", cmd_init, 0, "init --code CODE --name NAME --admin NAME",
	  N_("create a store and its first admin") },
	{ "user", cmd_user, NEED_STORE,
	  "user add NAME --role kader|trainer|admin --new-pin-file FILE | user list | "
	  "user passwd NAME | user disable NAME",
	  N_("manage users and PINs") },
	{ "person", cmd_person, NEED_STORE | NEED_UNLOCK, "person list [--format text|csv|json]",
	  N_("list the people registered") },
	{ "demo", cmd_demo, NEED_STORE | NEED_UNLOCK,
	  "demo [--children N] [--months M] [--seed S]", N_("add synthetic people and visits") },
	{ "audit", cmd_audit, NEED_STORE | NEED_UNLOCK | NEED_ADMIN, "audit [verify]",
	  N_("show or verify the audit log") },
	{ "growth", cmd_growth, 0,
	  "growth [--sex m|f] [--dob D --date D | --age-days N] [--weight KG] "
	  "[--length CM | --height CM] [--headc CM] [--muac CM] [--oedema] [--format text|json] | "
	  "growth --batch FILE.csv",
	  N_("a child's z-scores and categories") },
	{ "quiz", cli_quiz, NEED_STORE | NEED_UNLOCK,
	  "quiz import FILE.ini... | quiz list | quiz report --bank ID [--format text|csv|json] | "
	  "quiz training add|list | quiz start|stop|sheet ...",
	  N_("question banks, trainings and quiz results") },
	{ "report", cli_report, NEED_STORE | NEED_UNLOCK,
	  "report monthly --month YYYY-MM [--format text|csv|json] | report followup [--month YYYY-MM] | "
	  "report sessions --from YYYY-MM --to YYYY-MM | report trend [--month YYYY-MM] | "
	  "report kader [--name NAME]",
	  N_("monthly report, follow-up list, sessions, trend, kader roster") },
	{ "load", cli_load, NEED_STORE | NEED_UNLOCK, "load people FILE.csv | load visits FILE.csv",
	  N_("bring in an existing register (CSV)") },
	{ "enroll", cli_enroll, NEED_STORE | NEED_UNLOCK | NEED_ADMIN,
	  "enroll --district-key KEY [--request-out FILE]", N_("join the district (enrolment)") },
	{ "export", cli_export, NEED_STORE | NEED_UNLOCK | NEED_ADMIN, "export [--to DIR] [--full]",
	  N_("write a bundle for the district onto a USB drive") },
	{ "import", cli_import, NEED_STORE | NEED_UNLOCK | NEED_ADMIN, "import FILE",
	  N_("a receipt or a bundle from the district") },
	{ "sync", cli_sync, NEED_STORE | NEED_UNLOCK | NEED_ADMIN,
	  "sync [--retries N] [--timeout SECONDS] [--cacert FILE] [--server-key sha256//BASE64]",
	  N_("send and receive bundles over the network") },
	{ "conflicts", cli_conflicts, NEED_STORE | NEED_UNLOCK,
	  "conflicts [list] | conflicts keep UUID VERSION", N_("records that need review") },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage_line(FILE *f, const struct command *cmd)
{
	fprintf(f, "  posyandu [OPTIONS] %s\n", cmd->usage);
}

static int usage(const struct command *cmd, const char *why)
{
	if (why)
		fprintf(stderr, "posyandu: %s\n", why);
	if (cmd)
		usage_line(stderr, cmd);
	else
		fprintf(stderr, "%s\n", _("Try \"posyandu --help\"."));
	return CLI_USAGE;
}

static void help(void)
{
	printf("%s\n\n", _("posyandu: records and growth monitoring for a posyandu"));
	printf("%s\n", _("Usage:"));
	printf("  posyandu [--data DIR] [--config FILE] [--user NAME] [--pin-file FILE | --pin-fd N] [--lang id|en] [COMMAND]\n\n");
	printf("%s\n", _("Without a command the full-screen app opens. Commands:"));
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-8s %s\n", commands[i].name, _(commands[i].summary));
	printf("\n%s\n", _("A PIN is never taken from the command line: it comes from --pin-file, --pin-fd or the terminal."));
	printf("%s\n", _("See posyandu(1) and posyandu.ini(5)."));
}

/* ---- setup shared by every command ---- */

static void config_warning(const struct config_diag *d, void *ctx)
{
	(void)ctx;
	if (d->key[0])
		fprintf(stderr, _("posyandu: warning: %s: unknown key [%s] %s\n"), d->file, d->section, d->key);
	else
		fprintf(stderr, _("posyandu: warning: %s: unknown section [%s]\n"), d->file, d->section);
}

static int load_config(struct cli *c)
{
	struct config_diag diag;
	struct err err = { 0 };
	char path[512], buf[1024];

	if (config_locate(c->config_arg, path, sizeof path, &err) < 0) {
		msg_print(&err);
		return -1;
	}
	if (config_load(path, &c->cfg, &diag, config_warning, NULL, &err) < 0) {
		fprintf(stderr, "posyandu: %s\n", msg_config(&diag, buf, sizeof buf));
		return -1;
	}
	return 0;
}

static void resolve_data_dir(struct cli *c)
{
	const char *env = getenv("POSYANDU_DATA");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (c->data_arg)
		snprintf(c->data_dir, sizeof c->data_dir, "%s", c->data_arg);
	else if (env && *env)
		snprintf(c->data_dir, sizeof c->data_dir, "%s", env);
	else if (c->cfg.data_dir[0])
		snprintf(c->data_dir, sizeof c->data_dir, "%s", c->cfg.data_dir);
	else if (xdg && *xdg)
		snprintf(c->data_dir, sizeof c->data_dir, "%s/posyandu", xdg);
	else
		snprintf(c->data_dir, sizeof c->data_dir, "%s/.local/share/posyandu", home ? home : ".");
}

int cli_fail(const struct err *e)
{
	msg_print(e);
	return e->code == ERR_USAGE ? CLI_USAGE : CLI_ERROR;
}

/* The Argon2id cost for a new slot: the config's, or calibrated (§2.3). */
void cli_kdf(const struct cli *c, struct kdf_params *kdf, double *seconds)
{
	if (c->cfg.argon2_mem_mib && c->cfg.argon2_ops) {
		kdf->memlimit = (size_t)c->cfg.argon2_mem_mib << 20;
		kdf->opslimit = (uint64_t)c->cfg.argon2_ops;
		if (seconds)
			*seconds = -1;
		return;
	}
	store_kdf_calibrate(kdf, seconds);
}

static int open_store(struct cli *c)
{
	struct err err = { 0 };
	if (!(c->store = store_open(c->data_dir, NULL, &err)))
		return cli_fail(&err);
	return 0;
}

/* Unlock as --user (or the only active user) with the PIN from --pin-file,
 * --pin-fd or the terminal. */
static int unlock(struct cli *c)
{
	struct err err = { 0 };
	struct store_user *users = NULL;
	const char *label = c->user;
	char only[40] = "", prompt[96];
	struct pin pin;
	size_t n, active = 0;
	int64_t wait_s;
	int rc;

	if (!label) {
		if (store_users(c->store, &users, &n, &err) < 0)
			return cli_fail(&err);
		for (size_t i = 0; i < n; i++)
			if (!users[i].disabled && active++ == 0)
				snprintf(only, sizeof only, "%s", users[i].label);
		free(users);
		if (active != 1) {
			fprintf(stderr, "posyandu: %s\n", _("Say which user with --user NAME"));
			return CLI_USAGE;
		}
		label = only;
	}
	snprintf(prompt, sizeof prompt, _("PIN for %s: "), label);
	if (pin_read(&pin, c->pin_file, c->pin_fd, prompt, 0, &err) < 0)
		return cli_fail(&err);
	rc = store_login(c->store, label, pin.buf, pin.len, &wait_s, &err);
	pin_free(&pin);
	if (rc < 0) {
		if (err.code == ERR_LOCKED || (err.code == ERR_AUTH && wait_s > 0)) {
			char buf[256];
			fprintf(stderr, "posyandu: %s. ", msg_err(&err, buf, sizeof buf));
			fprintf(stderr, _("Wait %lld seconds before the next try.\n"), (long long)wait_s);
			return CLI_ERROR;
		}
		return cli_fail(&err);
	}
	return 0;
}

/* ---- commands ---- */

static int cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "admin", required_argument, NULL, 'a' },
		{ 0, 0, 0, 0 },
	};
	const struct command *self = &commands[0];
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
				return err_set(&err, ERR_RANGE, "code", "too long"), cli_fail(&err);
			snprintf(prof.code, sizeof prof.code, "%s", optarg);
			break;
		case 'n':
			snprintf(prof.name, sizeof prof.name, "%s", optarg);
			break;
		case 'a':
			admin = optarg;
			break;
		default:
			return usage(self, NULL);
		}
	}
	if (optind != argc || !admin || !prof.code[0] || !prof.name[0])
		return usage(self, _("init needs --code, --name and --admin"));
	if (valid_posyandu_code(prof.code, &err) < 0 || valid_user_label(admin, &err) < 0)
		return cli_fail(&err);
	if (store_exists(c->data_dir))
		return err_set(&err, ERR_EXISTS, "data", "%s", c->data_dir), cli_fail(&err);
	if (pin_read(&pin, c->pin_file, c->pin_fd, _("PIN for the first admin: "), 1, &err) < 0)
		return cli_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return cli_fail(&err);
	}
	cli_kdf(c, &kdf, &secs);
	c->store = store_create(c->data_dir, &prof, admin, pin.buf, pin.len, &kdf, &err);
	pin_free(&pin);
	if (!c->store)
		return cli_fail(&err);
	printf(_("Store created in %s for %s (%s); admin: %s\n"), c->data_dir, prof.name, prof.code, admin);
	if (secs >= 0)
		printf("kdf     Argon2id m=%zu MiB t=%llu (calibrated) unlock %.2f s\n",
		       kdf.memlimit >> 20, (unsigned long long)kdf.opslimit, secs);
	else
		printf("kdf     Argon2id m=%zu MiB t=%llu (from the configuration)\n",
		       kdf.memlimit >> 20, (unsigned long long)kdf.opslimit);
	printf("%s\n", _("Until this device is enrolled with the district, a forgotten PIN of every admin cannot be recovered: add a second admin."));
	return CLI_OK;
}

static int user_add(struct cli *c, int argc, char **argv)
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
			return usage(&commands[1], NULL);
	}
	if (optind + 1 != argc || !role_arg)
		return usage(&commands[1], _("user add needs a name and --role"));
	if ((role = role_from_code(role_arg)) < 0)
		return err_set(&err, ERR_RANGE, "role", "%s", role_arg), cli_fail(&err);
	if (valid_user_label(argv[optind], &err) < 0)
		return cli_fail(&err);
	if ((rc = unlock(c)) != 0)
		return rc;
	if (pin_read(&pin, file, fd, _("New PIN: "), 1, &err) < 0)
		return cli_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return cli_fail(&err);
	}
	cli_kdf(c, &kdf, NULL);
	rc = store_user_add(c->store, argv[optind], (enum role)role, pin.buf, pin.len, &kdf, &err);
	pin_free(&pin);
	if (rc < 0)
		return cli_fail(&err);
	printf(_("User %s added (%s)\n"), argv[optind], role_arg);
	return CLI_OK;
}

static int user_list(struct cli *c)
{
	struct store_user *users;
	struct err err = { 0 };
	size_t n;

	if (store_users(c->store, &users, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\t%s\n", users[i].label, role_code(users[i].role),
		       users[i].disabled ? "disabled" : "active");
	free(users);
	return CLI_OK;
}

static int user_passwd(struct cli *c, const char *label)
{
	struct kdf_params kdf;
	struct err err = { 0 };
	struct pin pin;
	int rc;

	if ((rc = unlock(c)) != 0)
		return rc;
	if (pin_read(&pin, c->new_pin_file, c->new_pin_fd, _("New PIN: "), 1, &err) < 0)
		return cli_fail(&err);
	if (valid_secret(pin.buf, pin.len, (enum secret_policy)c->cfg.min_secret, &err) < 0) {
		pin_free(&pin);
		return cli_fail(&err);
	}
	cli_kdf(c, &kdf, NULL);
	rc = store_user_passwd(c->store, label, pin.buf, pin.len, &kdf, &err);
	pin_free(&pin);
	if (rc < 0)
		return cli_fail(&err);
	printf(_("PIN of %s changed\n"), label);
	return CLI_OK;
}

static int cmd_user(struct cli *c, int argc, char **argv)
{
	struct err err = { 0 };
	int rc;

	if (argc < 2)
		return usage(&commands[1], NULL);
	if (strcmp(argv[1], "add") == 0)
		return user_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return user_list(c);
	if (strcmp(argv[1], "passwd") == 0 && argc == 3)
		return user_passwd(c, argv[2]);
	if (strcmp(argv[1], "disable") == 0 && argc == 3) {
		if ((rc = unlock(c)) != 0)
			return rc;
		if (store_user_disable(c->store, argv[2], &err) < 0)
			return cli_fail(&err);
		printf(_("User %s disabled\n"), argv[2]);
		return CLI_OK;
	}
	return usage(&commands[1], NULL);
}

/* ---- person list ---- */

enum format { FMT_TEXT, FMT_CSV, FMT_JSON };

int cli_parse_format(const char *s, int allow_csv)
{
	if (strcmp(s, "text") == 0)
		return FMT_TEXT;
	if (allow_csv && strcmp(s, "csv") == 0)
		return FMT_CSV;
	if (strcmp(s, "json") == 0)
		return FMT_JSON;
	return -1;
}

/* CSV field: quoted when it holds a separator, a quote or a line break. */
static void csv_field(const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r;")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static int by_name(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int r = strcoll(x->name, y->name);
	return r ? r : memcmp(x->uuid, y->uuid, UUID_LEN);
}

static int cmd_person(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	const struct command *self = &commands[2];
	struct person *people;
	struct err err = { 0 };
	int fmt = FMT_TEXT, ch;
	int32_t today = date_from_unix((int64_t)time(NULL) + c->utc_offset);
	size_t n;

	if (argc < 2 || strcmp(argv[1], "list") != 0)
		return usage(self, NULL);
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (ch != 'f' || (fmt = cli_parse_format(optarg, 1)) < 0)
			return usage(self, NULL);
	}
	if (optind != argc - 1)
		return usage(self, NULL);
	if (store_people(c->store, &people, &n, &err) < 0)
		return cli_fail(&err);
	if (n)
		qsort(people, n, sizeof *people, by_name);
	if (fmt == FMT_CSV)
		printf("uuid,kind,name,sex,dob,age_months,nik,mother_name,rt,rw\n");
	else if (fmt == FMT_JSON)
		printf("[");
	for (size_t i = 0; i < n; i++) {
		const struct person *p = &people[i];
		char uuid[UUID_STRLEN], dob[DATE_BUFSZ], age[16], sex[2] = { p->sex, 0 };
		char rt[8], rw[8];
		snprintf(age, sizeof age, "%d", p->dob == DATE_NONE ? -1 : date_age_months(p->dob, today));
		snprintf(rt, sizeof rt, "%u", p->rt);
		snprintf(rw, sizeof rw, "%u", p->rw);
		uuid_format(p->uuid, uuid);
		date_format(p->dob, dob);
		switch (fmt) {
		case FMT_TEXT:
			printf("%-30s %s %-10s %4s %-16s %s\n", p->name, sex, dob, age, p->nik,
			       p->mother_name);
			break;
		case FMT_CSV:
			csv_field(uuid, 0);
			csv_field(person_kind_code(p->kind), 0);
			csv_field(p->name, 0);
			csv_field(sex, 0);
			csv_field(dob, 0);
			csv_field(age, 0);
			csv_field(p->nik, 0);
			csv_field(p->mother_name, 0);
			csv_field(rt, 0);
			csv_field(rw, 1);
			break;
		case FMT_JSON:
			printf("%s\n {\"uuid\":\"%s\",\"kind\":\"%s\",\"name\":", i ? "," : "", uuid,
			       person_kind_code(p->kind));
			json_string(p->name);
			printf(",\"sex\":\"%s\",\"dob\":\"%s\",\"age_months\":%s,\"nik\":", sex, dob, age);
			json_string(p->nik);
			printf(",\"mother_name\":");
			json_string(p->mother_name);
			printf(",\"rt\":%s,\"rw\":%s}", rt, rw);
			break;
		}
	}
	if (fmt == FMT_JSON)
		printf("%s]\n", n ? "\n" : "");
	free(people);
	return CLI_OK;
}

/* ---- demo ---- */

struct demo_ctx {
	struct store *s;
	struct err *err;
	size_t people, visits;
};

static int demo_person(void *ctx, struct person *p)
{
	struct demo_ctx *d = ctx;
	struct draft dr;
	store_draft_new(&dr);
	memcpy(p->uuid, dr.uuid, UUID_LEN);
	if (store_person_put(d->s, &dr, p, d->err) < 0)
		return -1;
	d->people++;
	return 0;
}

static int demo_visit(void *ctx, struct visit *v)
{
	struct demo_ctx *d = ctx;
	struct draft dr;
	store_draft_new(&dr);
	memcpy(v->uuid, dr.uuid, UUID_LEN);
	if (store_visit_put(d->s, &dr, v, d->err) < 0)
		return -1;
	d->visits++;
	return 0;
}

static long parse_long(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (end == s || *end || v < min || v > max) ? LONG_MIN : v;
}

int atoi_checked(const char *s)
{
	long v = parse_long(s, 0, INT_MAX);
	return v == LONG_MIN ? -1 : (int)v;
}

static int cmd_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "children", required_argument, NULL, 'c' },
		{ "months", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ 0, 0, 0, 0 },
	};
	struct demo_params dp = { 60, 12, 1, 0 };
	struct err err = { 0 };
	struct demo_ctx ctx = { c->store, &err, 0, 0 };
	struct demo_sink sink = { demo_person, demo_visit, &ctx };
	long v;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if ((v = parse_long(optarg, 1, 100000)) == LONG_MIN)
				return usage(&commands[3], _("--children takes a number from 1 to 100000"));
			dp.children = (int)v;
			break;
		case 'm':
			if ((v = parse_long(optarg, 1, 60)) == LONG_MIN)
				return usage(&commands[3], _("--months takes a number from 1 to 60"));
			dp.months = (int)v;
			break;
		case 's':
			if ((v = parse_long(optarg, 0, LONG_MAX)) == LONG_MIN)
				return usage(&commands[3], _("--seed takes a whole number"));
			dp.seed = (uint64_t)v;
			break;
		default:
			return usage(&commands[3], NULL);
		}
	}
	if (optind != argc)
		return usage(&commands[3], NULL);
	dp.today = date_from_unix((int64_t)time(NULL) + c->utc_offset);
	/* One transaction: all of it, or none of it if anything fails. */
	if (store_batch_begin(c->store, &err) < 0)
		return cli_fail(&err);
	if (demo_generate(&dp, &sink) < 0) {
		store_batch_abort(c->store);
		return cli_fail(&err);
	}
	if (store_batch_commit(c->store, &err) < 0)
		return cli_fail(&err);
	printf(_("Demo data added: %zu people, %zu visits\n"), ctx.people, ctx.visits);
	return CLI_OK;
}

/* ---- audit ---- */

static int cmd_audit(struct cli *c, int argc, char **argv)
{
	struct audit_entry *e;
	struct err err = { 0 };
	uint64_t bad;
	size_t n;

	if (argc == 2 && strcmp(argv[1], "verify") == 0) {
		if (store_audit_verify(c->store, &n, &bad, &err) < 0) {
			fprintf(stderr, _("posyandu: the audit log is broken at entry %llu: it was changed, removed or reordered\n"),
				(unsigned long long)bad);
			return CLI_ERROR;
		}
		printf(_("Audit log intact: %zu entries\n"), n);
		return CLI_OK;
	}
	if (argc != 1)
		return usage(&commands[4], NULL);
	if (store_audit_list(c->store, &e, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++) {
		char when[DATE_BUFSZ], obj[UUID_STRLEN];
		int64_t t = e[i].time + c->utc_offset;
		int secs = (int)(((t % 86400) + 86400) % 86400);
		printf("%llu\t%s %02d:%02d\t%s\t%s\t%s\t%s\n", (unsigned long long)e[i].seq,
		       date_format(date_from_unix(t), when), secs / 3600, secs / 60 % 60,
		       e[i].user_label, audit_action_name(e[i].action), uuid_format(e[i].object, obj),
		       e[i].detail);
	}
	free(e);
	return CLI_OK;
}

static int cmd_growth(struct cli *c, int argc, char **argv)
{
	(void)c;
	return cli_growth(argc, argv);
}

/* ---- dispatch ---- */

static long local_utc_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return tm.tm_gmtoff;
}

/* Global options may stand anywhere (before or after the command): they are
 * taken out of ARGV here, so each command parses only its own. */
static const struct gopt {
	const char *name;
	int has_arg;
	int id;
} gopts[] = {
	{ "--data", 1, 'D' }, { "--config", 1, 'C' }, { "--user", 1, 'u' },
	{ "--pin-file", 1, 'p' }, { "--pin-fd", 1, 'P' }, { "--new-pin-file", 1, 'n' },
	{ "--new-pin-fd", 1, 'N' }, { "--lang", 1, 'L' }, { "--version", 0, 'V' },
	{ "--help", 0, 'h' }, { "-h", 0, 'h' },
};

static int take_global(int *argc, char **argv, int *id, const char **val)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		for (size_t g = 0; g < sizeof gopts / sizeof gopts[0]; g++) {
			size_t n = strlen(gopts[g].name);
			int used;
			if (strncmp(argv[i], gopts[g].name, n) != 0)
				continue;
			if (argv[i][n] == '=' && gopts[g].has_arg) {
				*val = argv[i] + n + 1;
				used = 1;
			} else if (argv[i][n] == '\0') {
				if (gopts[g].has_arg && i + 1 >= *argc)
					return -1;
				*val = gopts[g].has_arg ? argv[i + 1] : NULL;
				used = gopts[g].has_arg ? 2 : 1;
			} else {
				continue;
			}
			*id = gopts[g].id;
			memmove(&argv[i], &argv[i + used], (size_t)(*argc - i - used + 1) * sizeof *argv);
			*argc -= used;
			return 1;
		}
	}
	return 0;
}

int cli_run(int argc, char **argv)
{
	struct cli c;
	const struct command *cmd = NULL;
	const char *lang = NULL, *optval;
	int id, rc, show_help = 0;

	memset(&c, 0, sizeof c);
	c.pin_fd = c.new_pin_fd = -1;
	c.utc_offset = local_utc_offset();
	while ((rc = take_global(&argc, argv, &id, &optval)) != 0) {
		if (rc < 0) {
			i18n_init(NULL);
			return usage(NULL, _("an option lacks its value"));
		}
		switch (id) {
		case 'D': c.data_arg = optval; break;
		case 'C': c.config_arg = optval; break;
		case 'u': c.user = optval; break;
		case 'p': c.pin_file = optval; break;
		case 'n': c.new_pin_file = optval; break;
		case 'P':
		case 'N':
			if (atoi_checked(optval) < 0) {
				i18n_init(NULL);
				return usage(NULL, _("--pin-fd takes a file descriptor number"));
			}
			*(id == 'P' ? &c.pin_fd : &c.new_pin_fd) = atoi_checked(optval);
			break;
		case 'L':
			if (strcmp(optval, "id") && strcmp(optval, "en")) {
				i18n_init(NULL);
				return usage(NULL, _("--lang takes id or en"));
			}
			lang = optval;
			break;
		case 'V':
			printf("posyandu %s\n", POSYANDU_VERSION);
			return CLI_OK;
		case 'h':
			show_help = 1;
			break;
		}
	}
	optind = 1;
	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--") != 0) {
		i18n_init(NULL);
		fprintf(stderr, _("posyandu: unknown option \"%s\"\n"), argv[1]);
		return usage(NULL, NULL);
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		optind = 2;
	i18n_init(lang);           /* config messages, before the config names a language */
	if (load_config(&c) < 0)
		return CLI_ERROR;
	i18n_init(lang ? lang : c.cfg.language);
	if (show_help) {
		help();
		return CLI_OK;
	}
	resolve_data_dir(&c);
	if (optind < argc) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (strcmp(argv[optind], commands[i].name) == 0)
				cmd = &commands[i];
		if (!cmd) {
			fprintf(stderr, _("posyandu: unknown command \"%s\"\n"), argv[optind]);
			return usage(NULL, NULL);
		}
	} else {
		rc = ui_run(&c);
		goto out;
	}
	if ((cmd->needs & NEED_STORE) && (rc = open_store(&c)) != 0)
		goto out;
	if ((cmd->needs & NEED_UNLOCK) && (rc = unlock(&c)) != 0)
		goto out;
	if ((cmd->needs & NEED_ADMIN) && store_session(c.store)->role != ROLE_ADMIN) {
		struct err err = { 0 };
		err_set(&err, ERR_DENIED, NULL, "needs an admin");
		rc = cli_fail(&err);
		goto out;
	}
	rc = cmd->fn(&c, argc - optind, argv + optind);
out:
	store_checkpoint(c.store);
	store_close(c.store);
	return rc;
}
