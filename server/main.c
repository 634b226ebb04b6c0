/* server/main.c: posyandu-server, the district's program (man
 * posyandu-server(8)): its options, its setup, the dispatch to the commands
 * (server/cmd_*.c), and the two things every command may need: the district
 * passphrase and the store. A thin door over app/ and sync/: the store is
 * the same encrypted store as a device's (storage/), its device keys are
 * the district's keys, and the district passphrase is its admin's secret.
 *
 * Messages are English: the district data officer's tool, and its lines
 * are parsed by scripts ("<file>: <class>: <reason>"). Exit status 0 on
 * success, 1 on an error, 2 on a usage error. */
#include <getopt.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "server/cmd.h"
#include "storage/clock.h"
#include "storage/codec.h"
#include "core/banned.h"

static const char usage_text[] =
	"usage: posyandu-server [--data DIR] [--store URL] [--config FILE] [--pin-file FILE | --pin-fd N]\n"
	"                       COMMAND\n"
	"  init [--code CODE] [--name NAME]     create the district store and keys\n"
	"  pubkey [--fingerprint]               the district key string (one line)\n"
	"  verify                               the audit log and the records it binds\n"
	"  serve --listen ADDR:PORT [--tls-cert FILE --tls-key FILE] [--max-size BYTES] [--log FILE]\n"
	"  import [--receipts DIR] FILE...      bundles that came on a USB stick\n"
	"  export --device ID --to DIR          a downstream bundle for one device\n"
	"  device add REQUEST | device list | device approve ID | device revoke ID\n"
	"  report monthly --month YYYY-MM [--format text|csv|json]\n"
	"  quiz report [--format text|csv|json]  kader tests per posyandu (counts)\n"
	"  recover REQUEST --out ANSWER [--fingerprint DIGITS]\n"
	"  key rotate | key prune [--days N]\n"
	"  officer add NAME [--role viewer|approver] [--password-file FILE] | officer list |\n"
	"  officer passwd NAME [--password-file FILE] | officer remove NAME\n"
	"                                       accounts of the web interface (/ui/)\n"
	"  migrate --from sqlite:DIR --to URL   the district store moved to PostgreSQL, checked\n";

int srv_usage(const char *why)
{
	if (why)
		fprintf(stderr, "posyandu-server: %s\n", why);
	fputs(usage_text, stderr);
	return APP_USAGE;
}

int srv_fail(const struct err *e)
{
	fprintf(stderr, "posyandu-server: %s%s%s\n", err_code_text(e->code), e->detail[0] ? ": " : "",
		e->detail);
	return e->code == ERR_USAGE ? APP_USAGE : APP_ERROR;
}

/* ---- the passphrase: --pin-file, --pin-fd or the terminal, never argv ---- */

int srv_passphrase(const struct app *c, const char *prompt, int confirm, struct pin *p)
{
	struct err e = { 0 };

	if (secret_read(p, PASSPHRASE_MAX, c->pin_file, c->pin_fd, prompt, confirm, &e) == 0)
		return APP_OK;
	/* app/secret.c says what failed; the district's words for it. */
	if (e.code == ERR_USAGE)
		err_set(&e, ERR_USAGE, "pin", "no terminal to ask for the passphrase: use --pin-file");
	else if (e.field && strcmp(e.field, "pin-confirm") == 0)
		err_set(&e, ERR_FORMAT, "pin", "the two passphrases differ");
	else if (e.code == ERR_NOMEM)
		;
	else if (c->pin_file)
		err_set(&e, ERR_IO, "pin-file", "%s: cannot read a passphrase", c->pin_file);
	else if (c->pin_fd >= 0)
		err_set(&e, ERR_IO, "pin-file", "--pin-fd: cannot read a passphrase");
	else
		err_set(&e, ERR_IO, "pin", "no passphrase was read");
	return srv_fail(&e);
}

int srv_open(struct app *c, int unlock)
{
	struct store_open_opts o = { .url = c->store_url };
	struct err e = { 0 };
	struct pin pass;
	int rc;

	if (!(c->store = store_open(c->data_dir, &o, &e)))
		return srv_fail(&e);
	if (!unlock)
		return APP_OK;
	if ((rc = srv_passphrase(c, "District passphrase: ", 0, &pass)) != APP_OK)
		return rc;
	rc = store_login(c->store, SERVER_ADMIN, pass.buf, pass.len, NULL, &e);
	pin_free(&pass);
	if (rc < 0) {
		if (e.code == ERR_AUTH)
			fprintf(stderr, "posyandu-server: wrong passphrase\n");
		else
			srv_fail(&e);
		return APP_ERROR;
	}
	return APP_OK;
}

/* ---- setup and dispatch ---- */

static const struct app_cmd commands[] = {
	{ "init", cmd_init, NULL }, { "pubkey", cmd_pubkey, NULL }, { "serve", cmd_serve, NULL },
	{ "import", cmd_import, NULL }, { "export", cmd_export, NULL }, { "device", cmd_device, NULL },
	{ "report", cmd_report, NULL }, { "recover", cmd_recover, NULL }, { "key", cmd_key, NULL },
	{ "quiz", cmd_quiz, NULL }, { "officer", cmd_officer, NULL },
	{ "migrate", cmd_migrate, NULL }, { "verify", cmd_verify, NULL },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The global options, before the command ("+": stop at the first word):
 * -1 to go on, else the exit status. */
static int parse_options(struct app *c, int argc, char **argv)
{
	static const struct option gopts[] = {
		{ "data", required_argument, NULL, 'D' }, { "config", required_argument, NULL, 'C' },
		{ "store", required_argument, NULL, 'S' },
		{ "pin-file", required_argument, NULL, 'p' }, { "pin-fd", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+h", gopts, NULL)) != -1) {
		switch (ch) {
		case 'D': c->data_arg = optarg; break;
		case 'C': c->config_arg = optarg; break;
		case 'S': c->store_url = optarg; break;
		case 'p': c->pin_file = optarg; break;
		case 'P': {
			char *end;
			long fd = strtol(optarg, &end, 10);
			if (*end || fd < 0 || fd > 1000000)
				return srv_usage("--pin-fd takes a file descriptor number");
			c->pin_fd = (int)fd;
			break;
		}
		case 'V':
			printf("posyandu-server %s\n", POSYANDU_VERSION);
			return APP_OK;
		case 'h':
			fputs(usage_text, stdout);
			return APP_OK;
		default:
			return srv_usage(NULL);
		}
	}
	return optind < argc ? -1 : srv_usage(NULL);
}

/* The one clock (storage/clock.h), the configuration and the data folder:
 * APP_OK, or the exit status after the message. */
static int setup(struct app *c)
{
	struct config_diag diag;
	struct err e = { 0 };

	if (clock_check(&e) < 0) {
		fprintf(stderr, "posyandu-server: %s=\"%s\" is not a date and time: write "
				"YYYY-MM-DDTHH:MM[:SS] (local time)\n", CLOCK_ENV, e.detail);
		return APP_ERROR;
	}
	if (app_config_read(c, NULL, &diag, &e) < 0) {
		srv_fail(&e);
		return APP_ERROR;
	}
	/* Not [storage] data_dir: that is a device's folder, in a file the
	 * district may share with a device on the same machine. */
	app_data_dir(c->data_dir, sizeof c->data_dir, c->data_arg, "POSYANDU_SERVER_DATA", NULL,
		     "posyandu-server");
	/* The store on PostgreSQL (issue 16): --store, else [store] url. The
	 * URL names a database, never holds a password on the command line
	 * (it would show in ps): libpq reads ~/.pgpass or PGPASSFILE. */
	if (!c->store_url && c->cfg.store_url[0])
		c->store_url = c->cfg.store_url;
	if (c->store_url && strncmp(c->store_url, "postgresql://", 13) != 0 &&
	    strncmp(c->store_url, "postgres://", 11) != 0) {
		fprintf(stderr, "posyandu-server: --store takes a postgresql:// URL\n");
		return APP_USAGE;
	}
	return APP_OK;
}

int main(int argc, char **argv)
{
	struct rlimit no_core = { 0, 0 };
	struct app c;
	int rc;

	if (sodium_init() < 0) {
		fputs("posyandu-server: libsodium failed to initialise\n", stderr);
		return APP_ERROR;
	}
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	umask(077);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	codec_init();
	app_init(&c);
	if ((rc = parse_options(&c, argc, argv)) >= 0)
		return rc;
	if ((rc = setup(&c)) != APP_OK)
		return rc;
	if ((rc = app_cmd_run(commands, NCOMMANDS, &c, argc - optind, argv + optind)) < 0) {
		fprintf(stderr, "posyandu-server: unknown command \"%s\"\n", argv[optind]);
		rc = APP_USAGE;
	}
	app_close(&c);
	return rc;
}
