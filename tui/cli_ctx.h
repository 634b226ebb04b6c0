/* tui/cli_ctx.h: what the command line and the screens share: the options,
 * the configuration, the data folder and the open store. */
#ifndef POSYANDU_TUI_CLI_CTX_H
#define POSYANDU_TUI_CLI_CTX_H

#include "core/err.h"
#include "storage/config.h"
#include "storage/store.h"

struct cli {
	const char *data_arg, *config_arg, *user;
	const char *pin_file, *new_pin_file;
	int pin_fd, new_pin_fd;
	long utc_offset;           /* seconds east of UTC: "today" is local */
	struct settings cfg;
	char data_dir[512];
	struct store *store;
};

/* Print E's message on stderr; returns the exit status for it. */
int cli_fail(const struct err *e);
/* The Argon2id cost for a new slot: from the config, or calibrated.
 * SECONDS (may be NULL) gets the unlock time, or -1 when configured. */
void cli_kdf(const struct cli *c, struct kdf_params *kdf, double *seconds);
/* A non-negative decimal int, or -1. */
int atoi_checked(const char *s);
/* "text", "csv" (when ALLOW_CSV) or "json" -> 0, 1, 2; -1 otherwise. */
int cli_parse_format(const char *s, int allow_csv);

#endif
