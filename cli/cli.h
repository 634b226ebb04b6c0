/* cli/cli.h: the command line (ARCHITECTURE.md, "Command line"). main() is
 * in cli/main.c; the command table and the global options in cli/cli.c; one
 * file per command group (store_cmds.c: init, user; person.c: person,
 * visit, demo, audit; growth.c; report.c; quiz.c and quiz_report.c; load.c;
 * sync.c).
 * Each command parses its options, calls app/, prints, and returns the exit
 * status (APP_OK, APP_ERROR with one line on stderr in the UI language,
 * APP_USAGE). With no command the screens open: cli/ reaches tui/ only
 * through tui/ui.h. */
#ifndef POSYANDU_CLI_CLI_H
#define POSYANDU_CLI_CLI_H

#include "app/app.h"

/* Dispatch ARGV (after main's setup): a subcommand, or the TUI when none. */
int cli_run(int argc, char **argv);

/* WHY (may be NULL) and the usage of command NAME on stderr; APP_USAGE. */
int cli_usage(const char *name, const char *why);

/* The commands (app_cmd_fn; ARGV[0] is the command's name). cli_growth
 * needs no store. */
app_cmd_fn cli_init, cli_user, cli_person, cli_visit, cli_demo, cli_audit, cli_growth, cli_quiz,
	cli_report, cli_load, cli_enroll, cli_export, cli_import, cli_sync, cli_conflicts,
	cli_recover, cli_key;

/* Between cli/quiz.c and cli/quiz_report.c, and cli/report.c. */
extern const char quiz_usage[];
/* WHY (may be NULL) and USAGE on stderr; returns APP_USAGE. */
int quiz_usage_err(const char *usage, const char *why);
/* A --version argument: a whole number from 1, or -1. */
int quiz_parse_version(const char *s);
/* The value VAL of option NAME: --version into *VERSION, --kind into *KIND
 * (any other NAME: nothing). APP_OK, or the usage error after saying so. */
int quiz_version_kind(const char *name, const char *val, int *version, int *kind);
app_cmd_fn cli_quiz_report;   /* quiz report */
app_cmd_fn cli_report_kader;  /* report kader */

#endif
