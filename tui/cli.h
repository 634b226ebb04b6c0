/* tui/cli.h: the command line (ARCHITECTURE.md, "Command line"). Each
 * subcommand is a function that returns the process exit status:
 * 0 success, 1 error (one line on stderr, in the UI language), 2 usage. */
#ifndef POSYANDU_TUI_CLI_H
#define POSYANDU_TUI_CLI_H

enum { CLI_OK = 0, CLI_ERROR = 1, CLI_USAGE = 2 };

/* Dispatch ARGV (after main's setup): a subcommand, or the TUI when none. */
int cli_run(int argc, char **argv);

/* `posyandu growth ...`: ARGV[0] is "growth". Needs no store. */
int cli_growth(int argc, char **argv);

#endif
