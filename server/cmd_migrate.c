/* server/cmd_migrate.c: posyandu-server migrate --from sqlite:DIR --to URL
 * (issue 16): a district's store moved to PostgreSQL, then checked. The
 * copy (storage/store_copy.c) checks each table's row count; here both
 * stores are unlocked with the district passphrase and the monthly report
 * of every month with visits is computed from the records on each side
 * and compared byte for byte (the CSV of `report monthly`). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/cmd.h"
#include "storage/audit.h"
#include "storage/clock.h"
#include "sync/server_report.h"
#include "core/date.h"
#include "core/banned.h"

static void progress(void *ctx, const char *table, int64_t rows)
{
	(void)ctx;
	printf("  %-20s %10lld rows\n", table, (long long)rows);
	fflush(stdout);
}

/* The CSV of MONTH's report on S, computed from the records; malloc'd. */
static char *report_of(struct store *s, int month, struct err *e)
{
	struct server_report_row *rows = NULL;
	char *buf = NULL;
	size_t n = 0, len = 0;
	FILE *f;

	if (server_report_monthly_full(s, month, DATE_NONE, &rows, &n, NULL, e) < 0)
		return NULL;
	if ((f = open_memstream(&buf, &len))) {
		report_csv_write(f, rows, n);
		fclose(f);
	}
	free(rows);
	if (!buf)
		err_set(e, ERR_NOMEM, NULL, "out of memory");
	return buf;
}

static int login(struct store *s, const struct pin *pass, struct err *e)
{
	return store_login(s, SERVER_ADMIN, pass->buf, pass->len, NULL, e);
}

int cmd_migrate(struct app *c, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const struct app_opt opts[] = { { "from", &from, 0 }, { "to", &to, 0 }, { 0 } };
	struct store_open_opts pg;
	struct store *a = NULL, *b = NULL;
	struct err e = { 0 };
	struct pin pass;
	int *months = NULL, i, rc = APP_ERROR;
	size_t n = 0, same = 0, entries = 0;
	uint64_t bad = 0;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1)
		if (i == -2)
			return srv_usage("migrate --from sqlite:DIR --to postgresql://...");
	if (optind != argc || !from || !to)
		return srv_usage("migrate --from sqlite:DIR --to postgresql://...");
	if (strncmp(from, "sqlite:", 7) != 0 || !from[7])
		return srv_usage("--from takes sqlite:DIR, the district's data folder");
	if (strncmp(to, "postgresql://", 13) != 0 && strncmp(to, "postgres://", 11) != 0)
		return srv_usage("--to takes a postgresql:// URL");
	from += 7;
	if ((rc = srv_passphrase(c, "District passphrase: ", 0, &pass)) != APP_OK)
		return rc;
	rc = APP_ERROR;
	/* the passphrase opens the store before anything is copied */
	if (!(a = store_open(from, NULL, &e)) || login(a, &pass, &e) < 0)
		goto fail;
	printf("Copying %s to PostgreSQL (one transaction):\n", from);
	if (store_copy_to_pg(from, to, progress, NULL, &e) < 0)
		goto fail;
	pg = (struct store_open_opts){ .url = to };
	if (!(b = store_open(c->data_dir, &pg, &e)) || login(b, &pass, &e) < 0)
		goto fail;
	/* the copy's own check: every version's bytes and the audit chain */
	if (store_audit_verify(b, &entries, &bad, &e) < 0) {
		if (!e.code)
			err_set(&e, ERR_CRYPTO, "audit", "the audit log of the copy does not verify "
				"at entry %llu: do not use it", (unsigned long long)bad);
		goto fail;
	}
	printf("Checked: the copy's audit log, %zu entries, and the versions it binds.\n",
	       entries);
	if (store_months(a, &months, &n, &e) < 0)
		goto fail;
	for (size_t k = 0; k < n; k++) {
		char *x = report_of(a, months[k], &e), *y = x ? report_of(b, months[k], &e) : NULL;
		bool eq = x && y && strcmp(x, y) == 0;
		free(x);
		free(y);
		if (!eq) {
			if (!e.code)
				err_set(&e, ERR_DB, "store", "the monthly report of month %d differs "
					"after the move: do not use the PostgreSQL copy (drop its "
					"database and run migrate again)", months[k]);
			goto fail;
		}
		same++;
	}
	printf("Checked: every table's row count, and the monthly report of %zu month%s "
	       "identical before and after.\n", same, same == 1 ? "" : "s");
	printf("Serve from PostgreSQL with --store URL or [store] url; keep %s as the backup.\n",
	       from);
	rc = APP_OK;
fail:
	pin_free(&pass);
	if (rc != APP_OK) {
		if (e.code == ERR_AUTH)
			fprintf(stderr, "posyandu-server: wrong passphrase\n");
		else
			srv_fail(&e);
	}
	free(months);
	store_close(b);
	store_close(a);
	return rc;
}
