/* cli/sync.c: enroll, export, import, sync, conflicts: the command-line
 * face of app/transfer.h (the TUI's admin screen calls the same use
 * cases): parse, call, print. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "storage/sync_store.h"
#include "sync/wire.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "app/transfer.h"
#include "core/banned.h"

/* A yes/no or a number from standard input (a terminal or a script). */
static int ask_line(const char *question, char *buf, size_t size)
{
	fputs(question, stdout);
	fflush(stdout);
	if (!fgets(buf, (int)size, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!isatty(STDIN_FILENO))
		printf("%s\n", buf);       /* a script's answer, shown as if typed */
	return 0;
}

static int is_yes(const char *s)
{
	return strcmp(s, "y") == 0 || strcmp(s, "Y") == 0 || strcmp(s, "ya") == 0 ||
	       strcmp(s, "yes") == 0;
}

static const char *date_of(int64_t t, long utc_offset, char buf[DATE_BUFSZ])
{
	return date_format(date_from_unix(t + utc_offset), buf);
}

/* ---- enroll ---- */

int cli_enroll(struct app *c, int argc, char **argv)
{
	const char *key = c->cfg.district_key[0] ? c->cfg.district_key : NULL, *out = NULL;
	const struct app_opt opts[] = { { "district-key", &key, 0 }, { "request-out", &out, 0 }, { 0 } };
	char canon[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN], answer[16];
	struct transfer_enrol_result r;
	struct err err = { 0 };
	int rc;

	if (app_opts(argc, argv, opts) != argc)
		return cli_usage("enroll", NULL);
	if (!key)
		return cli_usage("enroll", _("enroll needs --district-key KEY (or [sync] district_key in the configuration)"));
	if (!out && !c->cfg.server[0])
		return cli_usage("enroll", _("enroll needs --request-out FILE, or a server in the configuration ([sync] server)"));
	if (transfer_district_key(key, canon, fpr, &err) < 0)
		return app_fail(&err);
	printf("%s\n    %s\n", _("District key fingerprint:"), fpr);
	if (ask_line(_("Read these digits to the district officer. Are they the same as on the officer's screen? (y/n) "),
		     answer, sizeof answer) < 0 || !is_yes(answer)) {
		fprintf(stderr, "posyandu: %s\n", _("Enrolment cancelled: the fingerprint was not confirmed"));
		return APP_ERROR;
	}
	rc = transfer_enrol(c, canon, out, &r, &err);
	if (rc < 0 && !r.device_fpr[0])
		return app_fail(&err);     /* not enrolled: nothing to show */
	printf("%s\n    %s\n", _("This device's fingerprint (the officer checks it before approving):"),
	       r.device_fpr);
	if (rc < 0)
		return app_fail(&err);
	if (out)
		printf(_("Enrolment request written to %s\n"), r.path);
	else
		printf(_("Enrolment request sent to %s: %s\n"), c->cfg.server, r.reply);
	printf("%s\n", _("The district must approve this device before its bundles are accepted."));
	return APP_OK;
}

/* ---- export ---- */

/* Which drive: --to DIR, or one of the mounted removable drives. */
static int pick_drive(char *dir, size_t size)
{
	char drives[USB_MAX_DRIVES][512], answer[16];
	struct err err = { 0 };
	size_t n;
	long pick;
	char *end;

	if (transfer_drives(drives, &n, &err) < 0)
		return app_fail(&err);
	printf("%s\n", _("USB drives:"));
	for (size_t i = 0; i < n; i++)
		printf("  %zu  %s\n", i + 1, drives[i]);
	if (ask_line(n == 1 ? _("Write the bundle to drive 1? (y/n) ") : _("Write the bundle to which drive (number)? "),
		     answer, sizeof answer) < 0)
		return APP_ERROR;
	if (n == 1 && is_yes(answer)) {
		pick = 1;
	} else {
		pick = strtol(answer, &end, 10);
		if (end == answer || *end || pick < 1 || (size_t)pick > n) {
			fprintf(stderr, "posyandu: %s\n", _("Export cancelled"));
			return APP_ERROR;
		}
	}
	snprintf(dir, size, "%s", drives[pick - 1]);
	return APP_OK;
}

int cli_export(struct app *c, int argc, char **argv)
{
	const char *to = "", *full = NULL;
	const struct app_opt opts[] = { { "to", &to, 0 }, { "full", &full, 1 }, { 0 } };
	struct transfer_export_opts o = { .full = false };
	struct transfer_export_result r;
	struct err err = { 0 };
	char dir[512];
	int rc;

	if (app_opts(argc, argv, opts) != argc)
		return cli_usage("export", NULL);
	snprintf(dir, sizeof dir, "%s", to);
	o.full = full != NULL;
	if (transfer_enrolled(c, &err) < 0)
		return app_fail(&err);
	if (!dir[0] && (rc = pick_drive(dir, sizeof dir)) != APP_OK)
		return rc;
	o.dir = dir;
	if (transfer_export(c, &o, &r, &err) < 0)
		return app_fail(&err);
	if (r.ex.empty) {
		printf("%s\n", _("Nothing new to export: the district has acknowledged everything."));
		return APP_OK;
	}
	printf(_("Bundle written: %s\n"), r.path);
	printf(_("  #%llu: %u records, %llu bytes (changes %llu-%llu)\n"), (unsigned long long)r.ex.e.seq,
	       r.ex.e.versions, (unsigned long long)r.ex.size, (unsigned long long)r.ex.e.first_change,
	       (unsigned long long)r.ex.e.last_change);
	printf("%s\n", _("Done. Eject the USB drive before pulling it out."));
	return APP_OK;
}

/* ---- import: a receipt or a downstream bundle ---- */

int cli_import(struct app *c, int argc, char **argv)
{
	struct transfer_import_result r;
	struct err err = { 0 };
	char when[DATE_BUFSZ];

	if (argc != 2)
		return cli_usage("import", NULL);
	if (transfer_import(c, argv[1], &r, &err) < 0)
		return app_fail(&err);
	if (r.kind == TRANSFER_RECEIPT && r.already)
		printf("%s\n", _("This receipt was applied before: nothing changed"));
	else if (r.kind == TRANSFER_RECEIPT)
		printf(_("Receipt accepted: bundle #%llu (%u new, %u already at the district); acknowledged up to change %llu\n"),
		       (unsigned long long)r.receipt.bundle_seq, r.receipt.n_new, r.receipt.n_dup,
		       (unsigned long long)r.watermark);
	else if (r.already)
		printf("%s\n", _("This bundle was imported before: nothing changed"));
	else
		printf(_("Bundle from the district #%llu for %s, made %s: %u new records, %u already here\n"),
		       (unsigned long long)r.bundle.h.seq, r.bundle.h.posyandu,
		       date_of(r.bundle.h.created, c->utc_offset, when), r.bundle.n_new, r.bundle.n_dup);
	return APP_OK;
}

/* ---- sync ---- */

int cli_sync(struct app *c, int argc, char **argv)
{
	struct http_opts ho;
	const char *retries = NULL, *timeout = NULL;
	const struct app_opt opts[] = { { "retries", &retries, 0 }, { "timeout", &timeout, 0 },
					{ "cacert", &ho.cacert, 0 }, { "server-key", &ho.pinned_key, 0 },
					{ 0 } };
	struct netsync_result r;
	struct err err = { 0 };
	int i, v;

	transfer_http_opts(c, false, &ho);
	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == -2)
			return cli_usage("sync", NULL);
		if (i == 0 && ((v = atoi_checked(retries)) < 0 || v > 20))
			return cli_usage("sync", _("--retries takes a number from 0 to 20"));
		if (i == 1 && ((v = atoi_checked(timeout)) < 1 || v > 600))
			return cli_usage("sync", _("--timeout takes seconds from 1 to 600"));
	}
	if (optind != argc)
		return cli_usage("sync", NULL);
	if (retries)
		ho.retries = atoi_checked(retries);
	if (timeout)
		ho.connect_timeout_s = ho.low_speed_time_s = atoi_checked(timeout);
	if (!c->cfg.server[0])
		return cli_usage("sync", _("sync needs a server in the configuration ([sync] server)"));
	if (transfer_sync(c, &ho, &r, &err) < 0)
		return app_fail(&err);
	if (!r.sent)
		printf("%s\n", _("Nothing new to send"));
	else if (r.resent)
		printf(_("Sent bundle #%llu again (it was not acknowledged before)\n"),
		       (unsigned long long)r.ex.e.seq);
	else
		printf(_("Sent bundle #%llu (%u records) to %s\n"), (unsigned long long)r.ex.e.seq,
		       r.ex.e.versions, c->cfg.server);
	if (r.sent)
		printf(_("Receipt: %u new, %u already at the district; acknowledged up to change %llu\n"),
		       r.receipt.n_new, r.receipt.n_dup, (unsigned long long)r.watermark);
	if (r.got_down && r.down.cls == BUNDLE_OK && (r.down.n_new || r.down.n_dup))
		printf(_("Received from the district: %u new records, %u already here\n"), r.down.n_new,
		       r.down.n_dup);
	else
		printf("%s\n", _("Nothing new from the district"));
	return APP_OK;
}

/* ---- conflicts ---- */

static void version_label(struct store *s, const uint8_t uuid[16], const struct sync_ref *ref,
			  char *out, size_t size)
{
	struct store_version *h;
	struct err err = { 0 };
	size_t n;

	snprintf(out, size, "-");
	if (store_history(s, uuid, &h, &n, &err) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (h[i].lamport != ref->lamport || memcmp(h[i].device, ref->device, 16) != 0)
			continue;
		if (h[i].deleted)
			snprintf(out, size, "%s", _("(deleted)"));
		else if (h[i].kind == REC_PERSON)
			snprintf(out, size, "%s", h[i].u.person.name);
		else if (h[i].kind == REC_VISIT) {
			char d[DATE_BUFSZ];
			snprintf(out, size, "%s %.1f kg", date_format(h[i].u.visit.date, d),
				 h[i].u.visit.weight_g / 1000.0);
		}
	}
	store_free(h);
}

static void ref_text(const struct sync_ref *r, char *out, size_t size)
{
	char dev[17];
	snprintf(out, size, "%llu:%s", (unsigned long long)r->lamport, wire_hex(r->device, 8, dev));
}

int cli_conflicts(struct app *c, int argc, char **argv)
{
	const struct store_user *who = store_session(c->store);
	struct sync_conflict *list;
	struct err err = { 0 };
	size_t n;

	if (!who || who->role < ROLE_TRAINER)
		return err_set(&err, ERR_DENIED, NULL, "conflicts: trainer or admin"), app_fail(&err);
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0)) {
		if (sync_conflicts(c->store, &list, &n, &err) < 0)
			return app_fail(&err);
		if (!n)
			printf("%s\n", _("No records need review"));
		for (size_t i = 0; i < n; i++) {
			char u[UUID_STRLEN], ref[64], label[128];
			uuid_format(list[i].uuid, u);
			ref_text(&list[i].head, ref, sizeof ref);
			version_label(c->store, list[i].uuid, &list[i].head, label, sizeof label);
			printf("%s\t%s\t%s\t%s", u, record_kind_name(list[i].kind), ref, label);
			for (size_t k = 0; k < list[i].n_open; k++) {
				ref_text(&list[i].open[k], ref, sizeof ref);
				version_label(c->store, list[i].uuid, &list[i].open[k], label, sizeof label);
				printf("\t%s\t%s", ref, label);
			}
			printf("\n");
		}
		free(list);
		return APP_OK;
	}
	if (argc == 4 && strcmp(argv[1], "keep") == 0) {
		uint8_t uuid[16];
		struct sync_ref keep = { 0 };
		const char *colon = strchr(argv[3], ':');
		char *end;
		bool found = false;

		if (uuid_parse(argv[2], uuid) < 0 || !colon)
			return cli_usage("conflicts", NULL);
		keep.lamport = strtoull(argv[3], &end, 10);
		if (end != colon)
			return cli_usage("conflicts", NULL);
		if (sync_conflicts(c->store, &list, &n, &err) < 0)
			return app_fail(&err);
		/* VERSION is LAMPORT:DEVICE, the device as a prefix of its hex id. */
		for (size_t i = 0; i < n && !found; i++) {
			if (memcmp(list[i].uuid, uuid, 16) != 0)
				continue;
			for (size_t k = 0; k <= list[i].n_open && !found; k++) {
				const struct sync_ref *r = k ? &list[i].open[k - 1] : &list[i].head;
				char hex[33];
				wire_hex(r->device, 16, hex);
				if (r->lamport == keep.lamport && colon[1] &&
				    strncmp(hex, colon + 1, strlen(colon + 1)) == 0) {
					keep = *r;
					found = true;
				}
			}
		}
		free(list);
		if (!found)
			return err_set(&err, ERR_NOTFOUND, "conflict", "%s %s", argv[2], argv[3]),
			       app_fail(&err);
		if (sync_conflict_resolve(c->store, uuid, &keep, &err) < 0)
			return app_fail(&err);
		printf("%s\n", _("Reviewed: the chosen version is now the current one"));
		return APP_OK;
	}
	return cli_usage("conflicts", NULL);
}
