/* app/app.h: the application layer, under the three front ends (cli/,
 * tui/, server/). Each use case lives once in app/: opening and unlocking
 * a store, the clock (app/clock.h), secrets (app/secret.h), messages and
 * i18n (app/msg.h, app/i18n.h), report and quiz views, transfers, register
 * loading, CSV and JSON writers. Nothing here draws on a terminal: app/
 * includes no curses header and no header of cli/ or tui/.
 *
 *   app.{c,h}          the context below; open, unlock, KDF choice
 *   secret.{c,h}       PINs and passphrases: file, descriptor or terminal
 *   msg.{c,h} i18n.{c,h}   the sentence for each failure; gettext
 *   setup.{c,h}        creating a store, users and PINs
 *   transfer.{c,h}     export, import, enrolment, network sync
 *   load.{c,h} load_visits.c   the register-loading engine
 *   report_view.{c,h} report_csv.c report_json.c   the reports
 *   quiz_view.{c,h}    quiz reports, roster, history
 *   person_view.{c,h}  a person and their visits, a month's visits
 *   desk_data.{c,h}    the desk's decrypted working set
 *   out.{c,h}          the one CSV cell writer and JSON printer
 *
 * This header holds the context every use case runs in: the options, the
 * configuration, the data folder and the open store. */
#ifndef POSYANDU_APP_APP_H
#define POSYANDU_APP_APP_H

#include "core/err.h"
#include "storage/config.h"
#include "storage/store.h"

/* A use case's result as a process exit status (ARCHITECTURE.md, "Command
 * line"): success, an error (one line on stderr), a usage error. */
enum { APP_OK = 0, APP_ERROR = 1, APP_USAGE = 2 };

struct app {
	const char *data_arg, *config_arg, *user;
	const char *pin_file, *new_pin_file;
	int pin_fd, new_pin_fd;
	long utc_offset;           /* seconds east of UTC: "today" is local */
	struct settings cfg;
	char data_dir[512];
	/* posyandu-server (issue 16): --store, else [store] url; NULL = SQLite */
	const char *store_url;
	struct store *store;
};

/* A fresh context: no options, no PIN descriptors, the clock's UTC offset. */
void app_init(struct app *c);
/* Load the configuration (--config, else the usual places). Warnings about
 * unknown keys go to stderr; -1 after printing the error. */
int app_load_config(struct app *c);
/* The same without printing (for posyandu-server, which words its own
 * messages): locate and load the configuration into C->cfg, unknown keys
 * to WARN (may be NULL). 0, or -1 with ERR set; a bad value in the file is
 * ERR_CONFIG, with DIAG saying where. */
int app_config_read(struct app *c, config_warn_fn warn, struct config_diag *diag,
		    struct err *err);
/* The data folder: --data, $POSYANDU_DATA, [store] data_dir, then
 * $XDG_DATA_HOME/posyandu or ~/.local/share/posyandu. */
void app_resolve_data_dir(struct app *c);
/* The rule above for any program, into OUT: ARG (a --data option), then
 * $ENV_NAME, then CONFIGURED (NULL or "": none), then $XDG_DATA_HOME/NAME
 * or ~/.local/share/NAME. */
void app_data_dir(char *out, size_t size, const char *arg, const char *env_name,
		  const char *configured, const char *name);
/* Open the store in the data folder: 0, or the exit status after printing. */
int app_open_store(struct app *c);
/* Unlock as --user (or the only active user) with the PIN from --pin-file,
 * --pin-fd or the terminal: 0, or the exit status after printing. */
int app_unlock(struct app *c);
/* The same, keeping the PIN in *PIN for the caller (pin_free) when 0 is
 * returned: a command that re-wraps the user's own slot needs it. */
struct pin;
int app_unlock_pin(struct app *c, struct pin *pin);
/* What a person must know after unlocking S, most important first (an
 * integrity warning, a read-only or full-disk session): up to two
 * translated lines in NOTE; their number. Every front end shows them. */
size_t app_unlock_notes(struct store *s, const char *note[2]);
/* Read PATH, a regular file (a link is not followed; a FIFO does not
 * block) of at most CAP bytes, into BUF: 0 with *LEN, or -1 with ERR
 * (FIELD; "PATH is not WHAT"). Requests and answers carried on a stick. */
int app_read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, const char *field,
		   const char *what, struct err *err);
/* Close the store (after a checkpoint); idempotent. */
void app_close(struct app *c);

/* Print E's message on stderr; returns the exit status for it. */
int app_fail(const struct err *e);
/* The Argon2id cost for a new slot: from the config, or calibrated.
 * SECONDS (may be NULL) gets the unlock time, or -1 when configured. */
void app_kdf(const struct app *c, struct kdf_params *kdf, double *seconds);
/* A non-negative decimal int, or -1. */
int atoi_checked(const char *s);
/* "text", "csv" (when ALLOW_CSV) or "json" -> 0, 1, 2; -1 otherwise. */
enum { APP_FMT_TEXT, APP_FMT_CSV, APP_FMT_JSON };
int app_parse_format(const char *s, int allow_csv);

/* A subcommand of posyandu or posyandu-server: ARGV[0] is its name; the
 * exit status. One signature, so each front end lists its commands once. */
typedef int app_cmd_fn(struct app *c, int argc, char **argv);
/* A row of a table of (sub)commands. */
struct app_cmd {
	const char *name;
	app_cmd_fn *fn;
	const char *usage;         /* NULL where the table's owner words it elsewhere */
};
/* Run the command of CMDS (N rows) named ARGV[0]: its exit status, or -1
 * when there is none of that name. */
int app_cmd_run(const struct app_cmd *cmds, size_t n, struct app *c, int argc, char **argv);

/* A command's options, parsed the one way both programs parse them
 * (getopt_long: "--NAME VALUE" or "--NAME=VALUE", unambiguous prefixes,
 * operands after the options). Each option stores its value in *VAL (when
 * VAL is not NULL); a FLAG takes no value and stores its NAME. A list ends
 * with a NULL NAME. */
struct app_opt {
	const char *name;
	const char **val;
	int flag;
};
/* The next option of ARGV (optind = 0 before the first call): its index in
 * OPTS, its value (or a flag's name) already in *VAL; -1 at the end (operands from ARGV[optind]);
 * -2 for an unknown option or a missing value, which getopt has named on
 * stderr. */
int app_opt_next(int argc, char **argv, const struct app_opt *opts);
/* All the options at once: the index of the first operand, or -1 as -2 above. */
int app_opts(int argc, char **argv, const struct app_opt *opts);

#endif
