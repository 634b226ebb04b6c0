/* server/cmd.h: the commands of posyandu-server (man posyandu-server(8))
 * and what they share. The context is app/'s struct app: the options, the
 * configuration, the data folder and the store; the district's own voice
 * (English, "posyandu-server: ..." on stderr, for scripts) is here.
 *
 *   server/main.c        options, setup, dispatch; the passphrase, the store
 *   server/cmd_store.c   init, pubkey, device
 *   server/cmd_sync.c    import, export, serve
 *   server/cmd_report.c  report monthly
 *   server/cmd_quiz.c    quiz report (counts per posyandu; scores stay sealed)
 *   server/cmd_recover.c recover, key rotate|prune
 *   server/serve_conf.c  the [server] limits of serve
 *   server/cmd_officer.c officer add|list|remove (the web interface's accounts)
 *   server/cmd_migrate.c migrate (a SQLite district store to PostgreSQL)
 *   server/ui*.c         the web interface under /ui/ (server/ui.h) */
#ifndef POSYANDU_SERVER_CMD_H
#define POSYANDU_SERVER_CMD_H

#include <stdio.h>

#include "app/app.h"
#include "app/secret.h"
#include "core/err.h"
#include "sync/server.h"

/* The district store's one user: its slot holds the district keys. */
#define SERVER_ADMIN "district"

/* The usage text (WHY first, when not NULL) on stderr; APP_USAGE. */
int srv_usage(const char *why);
/* "posyandu-server: SUMMARY: DETAIL" on stderr; the exit status for E. */
int srv_fail(const struct err *e);
/* The district passphrase from --pin-file, --pin-fd or the terminal into
 * P (pin_free() it): APP_OK, or the exit status after the message. */
int srv_passphrase(const struct app *c, const char *prompt, int confirm, struct pin *p);
/* Open the store in the data folder, and unlock it with the district
 * passphrase when UNLOCK: APP_OK, or the exit status after the message. */
int srv_open(struct app *c, int unlock);

/* The [server] section of the configuration file PATH ("" = none) into O:
 * 0, or -1 with ERR_CONFIG for a bad value. Unknown keys are a warning. */
int serve_config(const char *path, struct server_opts *o, struct err *err);

/* The CSV of `report monthly` and of `quiz report` into F (the web
 * interface offers the same files: server/cmd_report.c, cmd_quiz.c). */
struct server_report_row;
struct quiz_district_row;
void report_csv_write(FILE *f, const struct server_report_row *rows, size_t n);
void quiz_csv_write(FILE *f, const struct quiz_district_row *rows, size_t n);
/* Ratio R (enum report_ratio) of X in percent to one decimal as the report
 * prints it, or -1 without a denominator. */
struct report_skdn;
double srv_ratio(const struct report_skdn *x, int r);

/* The commands (app_cmd_fn; ARGV[0] is the command's name). */
app_cmd_fn cmd_init, cmd_pubkey, cmd_device, cmd_import, cmd_export, cmd_serve, cmd_report,
	cmd_recover, cmd_key, cmd_quiz, cmd_officer, cmd_migrate, cmd_verify;

#endif
