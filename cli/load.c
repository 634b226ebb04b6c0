/* cli/load.c: `posyandu load people FILE.csv | load visits FILE.csv`; the
 * engine (every row checked, then one transaction) is app/load.c. Every bad
 * cell is printed as FILE:LINE: COLUMN: message, in the order of the file. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "app/i18n.h"
#include "app/load.h"
#include "storage/clock.h"
#include "core/banned.h"

int cli_load(struct app *c, int argc, char **argv)
{
	struct load_result res;
	struct err err = { 0 };
	enum load_kind kind;

	if (argc != 3 || (strcmp(argv[1], "people") && strcmp(argv[1], "visits")))
		return cli_usage("load", NULL);
	kind = strcmp(argv[1], "people") == 0 ? LOAD_PEOPLE : LOAD_VISITS;
	if (load_file(c->store, kind, argv[2], clock_today(), &res, &err) == 0) {
		printf(_("Loaded %s: %zu added, %zu updated, %zu unchanged\n"), argv[2], res.added,
		       res.updated, res.same);
		return APP_OK;
	}
	if (!res.nbad)
		return app_fail(&err);
	for (size_t i = 0; i < res.nerrs; i++) {
		const struct load_err *x = &res.errs[i];
		if (x->column[0])
			fprintf(stderr, "%s:%d: %s: %s\n", argv[2], x->line, x->column, x->msg);
		else
			fprintf(stderr, "%s:%d: %s\n", argv[2], x->line, x->msg);
	}
	fprintf(stderr, _("posyandu: %s: %d errors; nothing was loaded\n"), argv[2], res.nbad);
	load_result_free(&res);
	return APP_ERROR;
}
