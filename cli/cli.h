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

/* The commands; ARGV[0] is the command's name. */
int cli_init(struct app *c, int argc, char **argv);
int cli_user(struct app *c, int argc, char **argv);
int cli_person(struct app *c, int argc, char **argv);
int cli_visit(struct app *c, int argc, char **argv);
int cli_demo(struct app *c, int argc, char **argv);
int cli_audit(struct app *c, int argc, char **argv);
int cli_growth(struct app *c, int argc, char **argv);    /* needs no store */
int cli_quiz(struct app *c, int argc, char **argv);
int cli_report(struct app *c, int argc, char **argv);
int cli_load(struct app *c, int argc, char **argv);
int cli_enroll(struct app *c, int argc, char **argv);
int cli_export(struct app *c, int argc, char **argv);
int cli_import(struct app *c, int argc, char **argv);
int cli_sync(struct app *c, int argc, char **argv);
int cli_conflicts(struct app *c, int argc, char **argv);

/* Between cli/quiz.c and cli/quiz_report.c, and cli/report.c. */
extern const char quiz_usage[];
/* WHY (may be NULL) and USAGE on stderr; returns APP_USAGE. */
int quiz_usage_err(const char *usage, const char *why);
/* A --version argument: a whole number from 1, or -1. */
int quiz_parse_version(const char *s);
int cli_quiz_report(struct app *c, int argc, char **argv);   /* quiz report */
int cli_report_kader(struct app *c, int argc, char **argv);  /* report kader */

#endif
