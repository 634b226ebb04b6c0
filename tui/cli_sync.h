/* tui/cli_sync.h: the device's sync commands (man posyandu(1)):
 *
 *   enroll --district-key KEY [--request-out FILE]   join a district
 *   export [--to DIR] [--full]                        a bundle onto a stick
 *   import FILE                                       a receipt or a bundle
 *   sync [--retries N]                                upload and download over HTTP
 *   conflicts [list] | conflicts keep UUID VERSION    the "Perlu ditinjau" list
 *
 * Each returns the exit status (tui/cli.h). */
#ifndef POSYANDU_TUI_CLI_SYNC_H
#define POSYANDU_TUI_CLI_SYNC_H

#include "tui/cli_ctx.h"

int cli_enroll(struct cli *c, int argc, char **argv);
int cli_export(struct cli *c, int argc, char **argv);
int cli_import(struct cli *c, int argc, char **argv);
int cli_sync(struct cli *c, int argc, char **argv);
int cli_conflicts(struct cli *c, int argc, char **argv);

#endif
