/* cli/cli.c: the command line (ARCHITECTURE.md, "Command line"). One table
 * lists the subcommands with what they need (a store, an unlocked session,
 * a role); usage and --help come from it. Exit status: 0 success, 1 error
 * (one line on stderr in the UI language), 2 usage. */
#include "cli/cli.h"

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
#include "storage/clock.h"
#include "storage/store.h"
#include "app/app.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "app/secret.h"
#include "tui/ui.h"
#include "core/banned.h"

enum { NEED_STORE = 1, NEED_UNLOCK = 2, NEED_ADMIN = 4 };

struct command {
	const char *name;
	app_cmd_fn *fn;
	int needs;
	const char *usage;         /* not translated: it is syntax */
	const char *summary;       /* msgid */
};

static const struct command commands[] = {
	{ "init", cli_init, 0, "init --code CODE --name NAME --admin NAME",
	  N_("create a store and its first admin") },
	{ "user", cli_user, NEED_STORE,
	  "user add NAME --role kader|trainer|admin --new-pin-file FILE | user list | "
	  "user passwd NAME | user disable NAME",
	  N_("manage users and PINs") },
	{ "person", cli_person, NEED_STORE | NEED_UNLOCK,
	  "person list [--format text|csv|json] | person show REF|UUID [--format text|json]",
	  N_("list the people registered, or one with every visit") },
	{ "visit", cli_visit, NEED_STORE | NEED_UNLOCK, "visit list --month YYYY-MM [--format csv|json]",
	  N_("every visit of a month, for scripts") },
	{ "demo", cli_demo, NEED_STORE | NEED_UNLOCK,
	  "demo [--children N] [--months M] [--seed S]", N_("add synthetic people and visits") },
	{ "audit", cli_audit, NEED_STORE | NEED_UNLOCK | NEED_ADMIN, "audit [verify]",
	  N_("show or verify the audit log") },
	{ "growth", cli_growth, 0,
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
	  "report kader [--name NAME] | report day [--date DD-MM-YYYY] [--format text|json]",
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
	{ "recover", cli_recover, NEED_STORE,
	  "recover request --admin NAME --out FILE | recover finish ANSWER",
	  N_("every admin forgot the PIN: recovery through the district") },
	{ "key", cli_key, NEED_STORE, "key rotate [--device --out FILE | --device --finish ANSWER]",
	  N_("replace the data key after a user leaves (admin)") },
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
	return APP_USAGE;
}

int cli_usage(const char *name, const char *why)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return usage(&commands[i], why);
	return usage(NULL, why);
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


/* ---- dispatch ---- */

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
	struct app c;
	const struct command *cmd = NULL;
	const char *lang = NULL, *optval;
	int id, rc, show_help = 0;

	app_init(&c);
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
			return APP_OK;
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
	{
		struct err err = { 0 };
		if (clock_check(&err) < 0)
			return app_fail(&err);
	}
	if (app_load_config(&c) < 0)
		return APP_ERROR;
	i18n_init(lang ? lang : c.cfg.language);
	if (show_help) {
		help();
		return APP_OK;
	}
	app_resolve_data_dir(&c);
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
	if ((cmd->needs & NEED_STORE) && (rc = app_open_store(&c)) != 0)
		goto out;
	if ((cmd->needs & NEED_UNLOCK) && (rc = app_unlock(&c)) != 0)
		goto out;
	if ((cmd->needs & NEED_ADMIN) && store_session(c.store)->role != ROLE_ADMIN) {
		struct err err = { 0 };
		err_set(&err, ERR_DENIED, NULL, "needs an admin");
		rc = app_fail(&err);
		goto out;
	}
	rc = cmd->fn(&c, argc - optind, argv + optind);
out:
	app_close(&c);
	return rc;
}
