/* cli/person.c: what is in the store: person list and show, visit list
 * (the views are app/person_view.c), demo and audit (ARCHITECTURE.md,
 * "Command line"). */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/msg.h"
#include "app/out.h"
#include "app/person_view.h"
#include "app/secret.h"
#include "core/date.h"
#include "core/demo.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "core/banned.h"

/* ---- options of the read commands ---- */

#define FMT_BIT(f) (1 << (f))

/* ARGV[0] is the subcommand: --format (one of the formats in ALLOWED, a
 * set of FMT_BIT) into *FMT, --month into *MONTH when MONTH is not NULL,
 * and one operand into *ARG when ARG is not NULL (none otherwise).
 * 0, or -1 on a usage error. */
static int read_opts(int argc, char **argv, int allowed, int *fmt, const char **month,
		     const char **arg)
{
	const char *val = NULL;
	const struct app_opt opts[] = { { "format", &val, 0 }, { "month", &val, 0 }, { 0 } };
	int i;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == 1 && month)
			*month = val;
		else if (i != 0 || (*fmt = app_parse_format(val, 1)) < 0 || !(allowed & FMT_BIT(*fmt)))
			return -1;
	}
	if (arg && optind < argc)
		*arg = argv[optind++];
	return optind == argc && (!arg || *arg) ? 0 : -1;
}

/* ---- person list ---- */

static const char *const list_keys[] = {
	"uuid", "kind", "name", "sex", "dob", "age_months", "nik", "mother_name", "rt", "rw",
};
#define NLIST (sizeof list_keys / sizeof list_keys[0])

/* The fields KEYS (N) of REC as one CSV row. */
static void csv_fields(const struct pv_field *table, size_t nt, const char *const *keys, size_t n,
		       const void *rec, int32_t today)
{
	char buf[256];
	for (size_t i = 0; i < n; i++) {
		const struct pv_field *f = keys ? pv_field_find(table, nt, keys[i]) : &table[i];
		out_csv_cell(stdout, pv_text(f, rec, today, buf, sizeof buf), i + 1 == n);
	}
}

static int person_list(struct app *c, int argc, char **argv)
{
	struct person *people;
	struct err err = { 0 };
	int fmt = APP_FMT_TEXT;
	int32_t today = clock_today();
	json_t *arr = NULL;
	size_t n;

	if (read_opts(argc, argv, FMT_BIT(APP_FMT_TEXT) | FMT_BIT(APP_FMT_CSV) | FMT_BIT(APP_FMT_JSON),
		      &fmt, NULL, NULL) < 0)
		return cli_usage("person", NULL);
	if (pv_people(c->store, &people, &n, &err) < 0)
		return app_fail(&err);
	if (fmt == APP_FMT_CSV)
		out_csv_row(stdout, list_keys, NLIST);
	else if (fmt == APP_FMT_JSON)
		arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct person *p = &people[i];
		char dob[DATE_BUFSZ], sex[2] = { p->sex, 0 };
		if (fmt == APP_FMT_TEXT)
			printf("%-30s %s %-10s %4d %-16s %s\n", p->name, sex, date_format(p->dob, dob),
			       p->dob == DATE_NONE ? -1 : date_age_months(p->dob, today), p->nik,
			       p->mother_name);
		else if (fmt == APP_FMT_CSV)
			csv_fields(pv_person_fields, pv_person_nfields, list_keys, NLIST, p, today);
		else
			json_array_append_new(arr, pv_json(NULL, pv_person_fields, pv_person_nfields,
							   list_keys, NLIST, p, today));
	}
	pv_people_free(people, n);
	return fmt == APP_FMT_JSON ? out_json_print(arr) : APP_OK;
}

/* ---- person show ---- */

/* "Label: value" for each field of REC; VISIT: only those with a value,
 * indented. */
static void text_fields(const struct pv_field *table, size_t n, const void *rec, int32_t today,
			bool visit)
{
	char buf[256];
	for (size_t i = 0; i < n; i++) {
		char *dot;
		pv_text(&table[i], rec, today, buf, sizeof buf);
		if (visit && !buf[0])
			continue;
		/* Text is for people: the decimal comma of the registers, as the
		 * reports write it; CSV and JSON keep the point. */
		if (table[i].type == PV_NUM && (dot = strchr(buf, '.')))
			*dot = ',';
		printf("%s%s: %s\n", visit ? "    " : "", _(table[i].label), buf[0] ? buf : "-");
	}
}

static int person_show(struct app *c, int argc, char **argv)
{
	struct person_view pv;
	struct err err = { 0 };
	const char *who = NULL;
	int fmt = APP_FMT_TEXT;
	int32_t today = clock_today();
	json_t *root, *arr;

	if (read_opts(argc, argv, FMT_BIT(APP_FMT_TEXT) | FMT_BIT(APP_FMT_JSON), &fmt, NULL, &who) < 0)
		return cli_usage("person", NULL);
	if (person_view_load(c->store, who, &pv, &err) < 0) {
		if (err.code != ERR_NOTFOUND)
			return app_fail(&err);
		fprintf(stderr, _("posyandu: no person has the ref or uuid \"%s\"\n"), who);
		return APP_ERROR;
	}
	if (fmt == APP_FMT_TEXT) {
		text_fields(pv_person_fields, pv_person_nfields, &pv.p, today, false);
		printf(_("Visits: %zu\n"), pv.nv);
		for (size_t i = 0; i < pv.nv; i++) {
			char day[DATE_BUFSZ];
			printf("  %s\n", date_format(pv.visits[i].date, day));
			text_fields(pv_visit_fields, pv_visit_nfields, &pv.visits[i], today, true);
		}
		person_view_release(&pv);
		return APP_OK;
	}
	root = json_object();
	arr = json_array();
	json_object_set_new(root, "person",
			    pv_json(NULL, pv_person_fields, pv_person_nfields, NULL, 0, &pv.p, today));
	for (size_t i = 0; i < pv.nv; i++)
		json_array_append_new(arr, pv_json(NULL, pv_visit_fields, pv_visit_nfields, NULL, 0,
						   &pv.visits[i], today));
	json_object_set_new(root, "visits", arr);
	person_view_release(&pv);
	return out_json_print(root);
}

int cli_person(struct app *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return person_list(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return person_show(c, argc - 1, argv + 1);
	return cli_usage("person", NULL);
}

/* ---- visit list ---- */

static int visit_list(struct app *c, int argc, char **argv)
{
	struct month_visits mv;
	struct err err = { 0 };
	const char *month = NULL;
	int fmt = APP_FMT_CSV, mi;
	int32_t today = clock_today();
	json_t *arr = NULL;

	if (read_opts(argc, argv, FMT_BIT(APP_FMT_CSV) | FMT_BIT(APP_FMT_JSON), &fmt, &month,
		      NULL) < 0 || !month)
		return cli_usage("visit", month ? NULL : _("visit list needs --month YYYY-MM"));
	if (date_parse_month(month, &mi, &err) < 0 || month_visits_load(c->store, mi, &mv, &err) < 0)
		return app_fail(&err);
	if (fmt == APP_FMT_CSV) {
		fputs("person_uuid,person_name,", stdout);
		for (size_t k = 0; k < pv_visit_nfields; k++)
			out_csv_cell(stdout, pv_visit_fields[k].key, k + 1 == pv_visit_nfields);
	} else {
		arr = json_array();
	}
	for (size_t i = 0; i < mv.n; i++) {
		const struct month_visit *r = &mv.rows[i];
		char uuid[UUID_STRLEN];
		const char *name = r->p ? r->p->name : "";
		uuid_format(r->v->person, uuid);
		if (fmt == APP_FMT_CSV) {
			out_csv_cell(stdout, uuid, 0);
			out_csv_cell(stdout, name, 0);
			csv_fields(pv_visit_fields, pv_visit_nfields, NULL, pv_visit_nfields, r->v, today);
		} else {
			json_t *o = json_object();
			json_object_set_new(o, "person_uuid", json_string(uuid));
			json_object_set_new(o, "person_name", json_string(name));
			json_array_append_new(arr, pv_json(o, pv_visit_fields, pv_visit_nfields, NULL, 0,
							   r->v, today));
		}
	}
	month_visits_release(&mv);
	return fmt == APP_FMT_JSON ? out_json_print(arr) : APP_OK;
}

int cli_visit(struct app *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return visit_list(c, argc - 1, argv + 1);
	return cli_usage("visit", NULL);
}

/* ---- demo ---- */

struct demo_ctx {
	struct store *s;
	struct err *err;
	size_t people, visits;
};

/* A new record: its uuid goes into UUID before PUT stores REC; *COUNT
 * counts it. */
static int demo_put(struct demo_ctx *d, uint8_t uuid[UUID_LEN], const void *rec, size_t *count,
		    int (*put)(struct store *, const struct draft *, const void *, struct err *))
{
	struct draft dr;
	store_draft_new(&dr);
	memcpy(uuid, dr.uuid, UUID_LEN);
	if (put(d->s, &dr, rec, d->err) < 0)
		return -1;
	(*count)++;
	return 0;
}

static int put_person(struct store *s, const struct draft *d, const void *p, struct err *err)
{
	return store_person_put(s, d, p, err);
}

static int put_visit(struct store *s, const struct draft *d, const void *v, struct err *err)
{
	return store_visit_put(s, d, v, err);
}

static int demo_person(void *ctx, struct person *p)
{
	struct demo_ctx *d = ctx;
	return demo_put(d, p->uuid, p, &d->people, put_person);
}

static int demo_visit(void *ctx, struct visit *v)
{
	struct demo_ctx *d = ctx;
	return demo_put(d, v->uuid, v, &d->visits, put_visit);
}

static long parse_long(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (end == s || *end || v < min || v > max) ? LONG_MIN : v;
}

int cli_demo(struct app *c, int argc, char **argv)
{
	/* --children, --months, --seed: a number each, in these bounds. */
	static const struct {
		long min, max;
		const char *why;           /* msgid */
	} bounds[] = {
		{ 1, 100000, N_("--children takes a number from 1 to 100000") },
		{ 1, 60, N_("--months takes a number from 1 to 60") },
		{ 0, LONG_MAX, N_("--seed takes a whole number") },
	};
	const char *val = NULL;
	const struct app_opt opts[] = { { "children", &val, 0 }, { "months", &val, 0 },
					{ "seed", &val, 0 }, { 0 } };
	long v[] = { 60, 12, 1 };
	struct demo_params dp;
	struct err err = { 0 };
	struct demo_ctx ctx = { c->store, &err, 0, 0 };
	struct demo_sink sink = { demo_person, demo_visit, &ctx };
	int i;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == -2)
			return cli_usage("demo", NULL);
		if ((v[i] = parse_long(val, bounds[i].min, bounds[i].max)) == LONG_MIN)
			return cli_usage("demo", _(bounds[i].why));
	}
	if (optind != argc)
		return cli_usage("demo", NULL);
	dp = (struct demo_params){ (int)v[0], (int)v[1], (uint64_t)v[2], 0 };
	dp.today = clock_today();
	/* One transaction: all of it, or none of it if anything fails. */
	if (store_batch_begin(c->store, &err) < 0)
		return app_fail(&err);
	if (demo_generate(&dp, &sink) < 0) {
		store_batch_abort(c->store);
		return app_fail(&err);
	}
	if (store_batch_commit(c->store, &err) < 0)
		return app_fail(&err);
	printf(_("Demo data added: %zu people, %zu visits\n"), ctx.people, ctx.visits);
	return APP_OK;
}

/* ---- audit ---- */

int cli_audit(struct app *c, int argc, char **argv)
{
	struct audit_entry *e;
	struct err err = { 0 };
	uint64_t bad;
	size_t n;

	if (argc == 2 && strcmp(argv[1], "verify") == 0) {
		if (store_audit_verify(c->store, &n, &bad, &err) < 0) {
			if (err.code != ERR_CRYPTO)
				return app_fail(&err);
			if (err.field && strcmp(err.field, "audit-records") == 0)
				fprintf(stderr, _("posyandu: records were deleted or rolled back outside the app (audit entry %llu)\n"),
					(unsigned long long)bad);
			else
				fprintf(stderr, _("posyandu: the audit log is broken at entry %llu: it was changed, removed or reordered\n"),
					(unsigned long long)bad);
			return APP_ERROR;
		}
		printf(_("Audit log intact: %zu entries\n"), n);
		return APP_OK;
	}
	if (argc != 1)
		return cli_usage("audit", NULL);
	if (store_audit_list(c->store, &e, &n, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < n; i++) {
		char when[DATE_BUFSZ], obj[UUID_STRLEN];
		int64_t t = e[i].time + c->utc_offset;
		int secs = (int)(((t % 86400) + 86400) % 86400);
		printf("%llu\t%s %02d:%02d\t%s\t%s\t%s\t%s\n", (unsigned long long)e[i].seq,
		       date_format(date_from_unix(t), when), secs / 3600, secs / 60 % 60,
		       e[i].user_label, audit_action_name(e[i].action), uuid_format(e[i].object, obj),
		       e[i].detail);
	}
	free(e);
	return APP_OK;
}
