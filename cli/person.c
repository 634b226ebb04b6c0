/* cli/person.c: what is in the store: person list, demo and audit
 * (ARCHITECTURE.md, "Command line"). */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/msg.h"
#include "app/secret.h"
#include "core/date.h"
#include "core/demo.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "core/banned.h"

/* ---- person list ---- */


/* CSV field: quoted when it holds a separator, a quote or a line break. */
static void csv_field(const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r;")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static int by_name(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int r = strcoll(x->name, y->name);
	return r ? r : memcmp(x->uuid, y->uuid, UUID_LEN);
}

int cli_person(struct app *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	struct person *people;
	struct err err = { 0 };
	int fmt = APP_FMT_TEXT, ch;
	int32_t today = clock_today();
	size_t n;

	if (argc < 2 || strcmp(argv[1], "list") != 0)
		return cli_usage("person", NULL);
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (ch != 'f' || (fmt = app_parse_format(optarg, 1)) < 0)
			return cli_usage("person", NULL);
	}
	if (optind != argc - 1)
		return cli_usage("person", NULL);
	if (store_people(c->store, &people, &n, &err) < 0)
		return app_fail(&err);
	if (n)
		qsort(people, n, sizeof *people, by_name);
	if (fmt == APP_FMT_CSV)
		printf("uuid,kind,name,sex,dob,age_months,nik,mother_name,rt,rw\n");
	else if (fmt == APP_FMT_JSON)
		printf("[");
	for (size_t i = 0; i < n; i++) {
		const struct person *p = &people[i];
		char uuid[UUID_STRLEN], dob[DATE_BUFSZ], age[16], sex[2] = { p->sex, 0 };
		char rt[8], rw[8];
		snprintf(age, sizeof age, "%d", p->dob == DATE_NONE ? -1 : date_age_months(p->dob, today));
		snprintf(rt, sizeof rt, "%u", p->rt);
		snprintf(rw, sizeof rw, "%u", p->rw);
		uuid_format(p->uuid, uuid);
		date_format(p->dob, dob);
		switch (fmt) {
		case APP_FMT_TEXT:
			printf("%-30s %s %-10s %4s %-16s %s\n", p->name, sex, dob, age, p->nik,
			       p->mother_name);
			break;
		case APP_FMT_CSV:
			csv_field(uuid, 0);
			csv_field(person_kind_code(p->kind), 0);
			csv_field(p->name, 0);
			csv_field(sex, 0);
			csv_field(dob, 0);
			csv_field(age, 0);
			csv_field(p->nik, 0);
			csv_field(p->mother_name, 0);
			csv_field(rt, 0);
			csv_field(rw, 1);
			break;
		case APP_FMT_JSON:
			printf("%s\n {\"uuid\":\"%s\",\"kind\":\"%s\",\"name\":", i ? "," : "", uuid,
			       person_kind_code(p->kind));
			json_string(p->name);
			printf(",\"sex\":\"%s\",\"dob\":\"%s\",\"age_months\":%s,\"nik\":", sex, dob, age);
			json_string(p->nik);
			printf(",\"mother_name\":");
			json_string(p->mother_name);
			printf(",\"rt\":%s,\"rw\":%s}", rt, rw);
			break;
		}
	}
	if (fmt == APP_FMT_JSON)
		printf("%s]\n", n ? "\n" : "");
	free(people);
	return APP_OK;
}

/* ---- demo ---- */

struct demo_ctx {
	struct store *s;
	struct err *err;
	size_t people, visits;
};

static int demo_person(void *ctx, struct person *p)
{
	struct demo_ctx *d = ctx;
	struct draft dr;
	store_draft_new(&dr);
	memcpy(p->uuid, dr.uuid, UUID_LEN);
	if (store_person_put(d->s, &dr, p, d->err) < 0)
		return -1;
	d->people++;
	return 0;
}

static int demo_visit(void *ctx, struct visit *v)
{
	struct demo_ctx *d = ctx;
	struct draft dr;
	store_draft_new(&dr);
	memcpy(v->uuid, dr.uuid, UUID_LEN);
	if (store_visit_put(d->s, &dr, v, d->err) < 0)
		return -1;
	d->visits++;
	return 0;
}

static long parse_long(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (end == s || *end || v < min || v > max) ? LONG_MIN : v;
}

int cli_demo(struct app *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "children", required_argument, NULL, 'c' },
		{ "months", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ 0, 0, 0, 0 },
	};
	struct demo_params dp = { 60, 12, 1, 0 };
	struct err err = { 0 };
	struct demo_ctx ctx = { c->store, &err, 0, 0 };
	struct demo_sink sink = { demo_person, demo_visit, &ctx };
	long v;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if ((v = parse_long(optarg, 1, 100000)) == LONG_MIN)
				return cli_usage("demo", _("--children takes a number from 1 to 100000"));
			dp.children = (int)v;
			break;
		case 'm':
			if ((v = parse_long(optarg, 1, 60)) == LONG_MIN)
				return cli_usage("demo", _("--months takes a number from 1 to 60"));
			dp.months = (int)v;
			break;
		case 's':
			if ((v = parse_long(optarg, 0, LONG_MAX)) == LONG_MIN)
				return cli_usage("demo", _("--seed takes a whole number"));
			dp.seed = (uint64_t)v;
			break;
		default:
			return cli_usage("demo", NULL);
		}
	}
	if (optind != argc)
		return cli_usage("demo", NULL);
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
