/* cli/growth.c: `posyandu growth`, one child's z-scores and categories,
 * or WHO Anthro-style batch z-scores of a CSV file (ARCHITECTURE.md,
 * "Command line"). Computation is core's (growth_, kbm_, measure_); this file
 * parses, prints and picks the words. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"
#include "core/growth.h"
#include "core/kbm.h"
#include "core/measure.h"
#include "core/valid.h"
#include "app/i18n.h"
#include "app/out.h"

#include "core/banned.h"

#define PROG "posyandu growth"

/* The batch contract (ARCHITECTURE.md): input header and appended columns. */
#define BATCH_HEADER "sex,age_days,weight_kg,lenhei_cm,measure,oedema,headc_cm,muac_cm"
#define BATCH_COLUMNS 8
#define BATCH_OUT_HEADER ",zwei,zlen,zwfl,zbmi,zhc,zac,fwei,flen,fwfl,fbmi,fhc,fac"
/* Longest input line accepted; the batch holds one line at a time, so memory
 * does not grow with the file. */
#define BATCH_LINE_MAX 1024

enum fmt { FMT_TEXT, FMT_JSON };

enum {
	OPT_SEX = 256, OPT_DOB, OPT_DATE, OPT_AGE_DAYS, OPT_WEIGHT, OPT_LENGTH, OPT_HEIGHT,
	OPT_HEADC, OPT_MUAC, OPT_OEDEMA, OPT_FORMAT, OPT_BATCH, OPT_HELP,
};

static const struct option long_opts[] = {
	{ "sex",      required_argument, NULL, OPT_SEX },
	{ "dob",      required_argument, NULL, OPT_DOB },
	{ "date",     required_argument, NULL, OPT_DATE },
	{ "age-days", required_argument, NULL, OPT_AGE_DAYS },
	{ "weight",   required_argument, NULL, OPT_WEIGHT },
	{ "length",   required_argument, NULL, OPT_LENGTH },
	{ "height",   required_argument, NULL, OPT_HEIGHT },
	{ "headc",    required_argument, NULL, OPT_HEADC },
	{ "muac",     required_argument, NULL, OPT_MUAC },
	{ "oedema",   no_argument,       NULL, OPT_OEDEMA },
	{ "format",   required_argument, NULL, OPT_FORMAT },
	{ "batch",    required_argument, NULL, OPT_BATCH },
	{ "help",     no_argument,       NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"usage: posyandu growth --sex m|f [--dob D --date D | --age-days N] [--weight KG]\n"
	"                       [--length CM | --height CM] [--headc CM] [--muac CM] [--oedema]\n"
	"                       [--format text|json]\n"
	"       posyandu growth --batch FILE.csv      (- for standard input)\n";

static int usage_error(const char *msg, const char *arg)
{
	fputs(PROG ": ", stderr);
	fprintf(stderr, msg, arg ? arg : "");
	fputc('\n', stderr);
	return APP_USAGE;
}

/* Field names in struct err -> what a kader reads. */
static const struct {
	const char *field, *label;
} field_labels[] = {
	{ "weight", N_("weight") }, { "length", N_("length/height") },
	{ "headc", N_("head circumference") }, { "muac", N_("arm circumference") },
	{ "date", N_("date") }, { "age", N_("age") },
};

static int value_error(const struct err *e)
{
	const char *what = e->field ? e->field : "";
	for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
		if (e->field && strcmp(e->field, field_labels[i].field) == 0)
			what = _(field_labels[i].label);
	if (e->code == ERR_RANGE)
		fprintf(stderr, _("%s: %s: value out of range (%s)\n"), PROG, what, e->detail);
	else if (e->code == ERR_REQUIRED)
		fprintf(stderr, _("%s: %s: value missing\n"), PROG, what);
	else
		fprintf(stderr, _("%s: %s: not a valid value (%s)\n"), PROG, what, e->detail);
	return APP_ERROR;
}

/* ---- One child ---- */

struct single {
	const char *sex, *dob, *date, *age_days, *weight, *length, *height, *headc, *muac;
	bool oedema;
	enum fmt fmt;
};

/* Age in completed months for the MUAC rule: calendar months from the dates
 * (date_age_months), or whole WHO months (days / 30.4375) from --age-days. */
static int age_months_of(const struct single *o, int32_t dob, int32_t day, int32_t days)
{
	if (days < 0)
		return -1;
	if (o->dob)
		return date_age_months(dob, day);
	return (int)floor(days / 30.4375);
}

static const char *const ref_key[] = { "", "who2006", "who2007" };
static const char *const wflh_key[] = { "", "length", "height" };

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jreal_or_null(double x, double unit)
{
	return isfinite(x) ? json_real(out_round(x, unit)) : json_null();
}

/* {z, flag, category, label_en, label_id}, or {z: null, flag: null, why}. */
static json_t *json_z(const struct growth_result *r, int i)
{
	const struct growth_z *z = &r->ind[i];
	json_t *o = json_object();

	if (!z->valid) {
		json_object_set_new(o, "z", json_null());
		json_object_set_new(o, "flag", json_null());
		json_object_set_new(o, "why", json_string(growth_why_key(z->why)));
		return o;
	}
	enum growth_cat c = growth_category(r, i);
	const struct growth_cat_info *ci = growth_cat_info(c);
	json_object_set_new(o, "z", json_real(out_round(z->z, 0.01)));
	json_object_set_new(o, "flag", json_integer(z->flag));
	json_object_set_new(o, "category", jstr_or_null(c ? ci->key : NULL));
	if (c) {
		json_object_set_new(o, "label_en", json_string(ci->label_en));
		json_object_set_new(o, "label_id", json_string(ci->label_id));
	}
	return o;
}

/* The keys of the refer reasons in REFER for the kader (or, with BIDAN,
 * to check with the bidan). */
static json_t *json_refer(unsigned refer, bool bidan)
{
	json_t *a = json_array();
	for (size_t i = 0; i < kbm_refer_reasons_len; i++) {
		const struct kbm_refer_info *ri = &kbm_refer_reasons[i];
		if ((refer & ri->bit) && ri->kader != bidan)
			json_array_append_new(a, json_string(ri->key));
	}
	return a;
}

static int print_json(const struct growth_input *in, const struct growth_result *r,
		      enum kbm_muac muac, unsigned refer, unsigned warn)
{
	json_t *o = json_object(), *zs = json_object(), *w = json_array();
	char measure[2] = { in->measure, 0 };

	json_object_set_new(o, "sex", json_integer(in->sex));
	json_object_set_new(o, "age_days", in->age_days >= 0 ? json_integer(in->age_days) : json_null());
	json_object_set_new(o, "reference", jstr_or_null(r->ref ? ref_key[r->ref] : NULL));
	json_object_set_new(o, "measure", jstr_or_null(in->measure ? measure : NULL));
	json_object_set_new(o, "clenhei_cm", jreal_or_null(r->clenhei_cm, 0.01));
	json_object_set_new(o, "lenhei_adjust_cm", json_real(out_round(r->lenhei_adjust_cm, 0.1)));
	json_object_set_new(o, "bmi_kg_m2", jreal_or_null(r->bmi_kg_m2, 0.01));
	json_object_set_new(o, "wflh_table", jstr_or_null(r->wflh ? wflh_key[r->wflh] : NULL));
	json_object_set_new(o, "c9mo_flag", json_integer(r->standing_under_9mo));
	for (int i = 0; i < GROWTH__COUNT; i++)
		json_object_set_new(zs, growth_indicator_key(i), json_z(r, i));
	json_object_set_new(o, "zscores", zs);
	json_object_set_new(o, "bgm", json_boolean(kbm_bgm(r)));
	json_object_set_new(o, "muac", jstr_or_null(muac ? kbm_muac_key(muac) : NULL));
	json_object_set_new(o, "refer", json_refer(refer, false));
	json_object_set_new(o, "check_bidan", json_refer(refer, true));
	for (unsigned i = 0; i < measure_warn_infos_len; i++)
		if (warn & measure_warn_infos[i].bit)
			json_array_append_new(w, json_string(measure_warn_infos[i].key));
	json_object_set_new(o, "warnings", w);
	return out_json_print(o);
}

static void print_text(const struct growth_input *in, const struct growth_result *r,
		       enum kbm_muac muac, unsigned refer, unsigned warn)
{
	printf("%s: %s", _("sex"), in->sex == GROWTH_MALE ? _("male") : _("female"));
	if (in->age_days >= 0)
		printf(", %s: %ld %s (%.1f %s)", _("age"), (long)in->age_days, _("days"),
		       in->age_days / 30.4375, _("months"));
	else
		printf(", %s: %s", _("age"), _("not known"));
	if (r->ref == GROWTH_REF_WHO2006)
		printf(", %s", _("WHO 2006 standards"));
	else if (r->ref == GROWTH_REF_WHO2007)
		printf(", %s", _("WHO 2007 reference"));
	putchar('\n');
	if (isfinite(r->clenhei_cm)) {
		printf("%s: %.1f cm", _("length/height used"), r->clenhei_cm);
		if (r->lenhei_adjust_cm > 0)
			printf(" (%s)", _("standing height + 0.7 cm"));
		else if (r->lenhei_adjust_cm < 0)
			printf(" (%s)", _("lying length - 0.7 cm"));
		if (isfinite(r->bmi_kg_m2))
			printf(", %s: %.2f kg/m2", _("BMI"), r->bmi_kg_m2);
		putchar('\n');
	}
	for (int i = 0; i < GROWTH__COUNT; i++) {
		const struct growth_z *z = &r->ind[i];
		printf("%s: ", _(growth_indicator_label(i)));
		if (!z->valid) {
			printf("- (%s)\n", _(growth_why_label(z->why)));
			continue;
		}
		printf("z = %.2f", z->z);
		enum growth_cat c = growth_category(r, i);
		if (c)
			printf(", %s", _(growth_cat_info(c)->label_en));
		if (z->flag)
			printf(" [%s]", _("implausible: re-measure?"));
		putchar('\n');
	}
	if (kbm_bgm(r))
		printf("%s\n", _("BGM: below the red line of the KMS"));
	if (muac)
		printf("%s: %s\n", _("MUAC"), _(kbm_muac_label(muac)));
	for (size_t i = 0; i < kbm_refer_reasons_len; i++) {
		const struct kbm_refer_info *ri = &kbm_refer_reasons[i];
		if (refer & ri->bit)
			printf("%s: %s\n", ri->kader ? _("refer to puskesmas") : _("check with the bidan"),
			       _(ri->label_en));
	}
	for (unsigned i = 0; i < measure_warn_infos_len; i++)
		if (warn & measure_warn_infos[i].bit)
			printf("%s %s\n", _("re-measure?"), _(measure_warn_infos[i].label_en));
}

static int parse_value(const char *s, const char *field, double *out)
{
	struct err e;

	*out = NAN;
	if (!s)
		return 0;
	err_clear(&e);
	if (valid_decimal(s, field, out, &e) < 0)
		return value_error(&e);
	return 0;
}

static int run_single(const struct single *o)
{
	struct growth_input in = { .age_days = -1 };
	struct growth_result r;
	struct kbm_refer_input ri = { 0 };
	int32_t dob = 0, day = 0;
	struct err e;
	int rc;

	err_clear(&e);
	switch (o->sex[0] | 0x20) {      /* m/f, or the Indonesian l(aki-laki)/p(erempuan) */
	case 'm': case 'l': case '1':
		in.sex = GROWTH_MALE;
		break;
	case 'f': case 'p': case '2':
		in.sex = GROWTH_FEMALE;
		break;
	}
	if (!in.sex || o->sex[1])
		return usage_error(_("--sex must be m or f, not '%s'"), o->sex);
	if (o->age_days) {
		char *end;
		long v;
		errno = 0;
		v = strtol(o->age_days, &end, 10);
		if (end == o->age_days || *end || errno || v < 0 || v > 100000) {
			err_set(&e, ERR_FORMAT, "age", "'%s' is not a whole number of days", o->age_days);
			return value_error(&e);
		}
		in.age_days = (int32_t)v;
	} else if (o->dob) {
		if (date_parse(o->dob, &dob, &e) < 0 || date_parse(o->date, &day, &e) < 0 ||
		    measure_check_dates(dob, day, &e) < 0)
			return value_error(&e);
		in.age_days = day - dob;
	}
	if ((rc = parse_value(o->weight, "weight", &in.weight_kg)) ||
	    (rc = parse_value(o->length ? o->length : o->height, "length", &in.lenhei_cm)) ||
	    (rc = parse_value(o->headc, "headc", &in.headc_cm)) ||
	    (rc = parse_value(o->muac, "muac", &in.muac_cm)))
		return rc;
	in.measure = o->length ? 'l' : o->height ? 'h' : 0;
	in.oedema = o->oedema;
	if (measure_check_input(&in, &e) < 0)
		return value_error(&e);

	growth_compute(&in, &r);
	ri.growth = &r;
	ri.oedema = in.oedema;
	ri.muac_cm = in.muac_cm;
	ri.age_months = age_months_of(o, dob, day, in.age_days);
	enum kbm_muac muac = kbm_muac_child(in.muac_cm, ri.age_months);
	unsigned refer = kbm_refer(&ri);
	unsigned warn = measure_warnings(&in, &r);
	if (o->fmt == FMT_JSON)
		rc = print_json(&in, &r, muac, refer, warn);
	else
		print_text(&in, &r, muac, refer, warn);
	if (rc != APP_OK || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, _("%s: cannot write the output\n"), PROG);
		return APP_ERROR;
	}
	return APP_OK;
}

/* ---- Batch ----
 * Decision: a malformed row is reported on stderr as "line N: ..." and left
 * out of the output; every other row is still processed, and the exit status
 * is 1 at the end. Values WHO Anthro accepts but cannot use (a weight <= 0,
 * a negative age) give empty z-scores, as in WHO Anthro (rule 10). */

/* "", or optional '-', digits, optional '.' and digits: *OUT (NAN if empty). */
static bool csv_number(const char *s, double *out)
{
	const char *p = s;
	int digits = 0;

	if (!*s) {
		*out = NAN;
		return true;
	}
	if (*p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits || *p || digits > 15)
		return false;
	*out = strtod(s, NULL);          /* LC_NUMERIC is "C" (cli_growth) */
	return true;
}

/* "", or optional '-' and digits (no point), at most 100000009: *OUT,
 * -1 when empty or negative (unknown, rule 10). */
static bool csv_age(const char *s, int32_t *out)
{
	double d;

	if (strchr(s, '.') || !csv_number(s, &d) || fabs(d) > 100000009.0)
		return false;
	*out = isnan(d) || *s == '-' ? -1 : (int32_t)d;
	return true;
}

/* Parse the cells of one row into IN; NULL or the English reason. */
static const char *batch_row(char **cell, struct growth_input *in)
{
	if (strcmp(cell[0], "1") == 0)
		in->sex = GROWTH_MALE;
	else if (strcmp(cell[0], "2") == 0)
		in->sex = GROWTH_FEMALE;
	else
		return N_("sex must be 1 or 2");
	if (!csv_age(cell[1], &in->age_days))
		return N_("age_days must be a whole number");
	if (!csv_number(cell[2], &in->weight_kg))
		return N_("weight_kg is not a number");
	if (!csv_number(cell[3], &in->lenhei_cm))
		return N_("lenhei_cm is not a number");
	if (!cell[4][0])
		in->measure = 0;
	else if (!cell[4][1] && strchr("lLhH", cell[4][0]))
		in->measure = (char)(cell[4][0] | 0x20);
	else
		return N_("measure must be l, h or empty");
	if (!cell[5][0] || ((cell[5][0] | 0x20) == 'n' && !cell[5][1]))
		in->oedema = false;
	else if ((cell[5][0] | 0x20) == 'y' && !cell[5][1])
		in->oedema = true;
	else
		return N_("oedema must be y, n or empty");
	if (!csv_number(cell[6], &in->headc_cm))
		return N_("headc_cm is not a number");
	if (!csv_number(cell[7], &in->muac_cm))
		return N_("muac_cm is not a number");
	return NULL;
}

/* Room batch_result() needs after the echoed row. */
#define BATCH_RESULT_MAX (GROWTH__COUNT * (1 + 330) + GROWTH__COUNT * 2 + 2)

/* Append ",z" for each indicator, then ",f" for each, then a newline. */
static char *batch_result(char *p, const struct growth_result *r)
{
	for (int i = 0; i < GROWTH__COUNT; i++) {
		*p++ = ',';
		if (r->ind[i].valid && fabs(r->ind[i].z) >= 1e7) {   /* absurd input, still WHO's z */
			p += snprintf(p, 330, "%.2f", r->ind[i].z);
		} else if (r->ind[i].valid) {
			long c = growth_z_centi(r->ind[i].z);
			unsigned long a = (unsigned long)(c < 0 ? -c : c);
			char tmp[24];
			int n = 0;
			if (c < 0)
				*p++ = '-';
			tmp[n++] = (char)('0' + a % 10);
			tmp[n++] = (char)('0' + a / 10 % 10);
			tmp[n++] = '.';
			a /= 100;
			do {
				tmp[n++] = (char)('0' + a % 10);
				a /= 10;
			} while (a && n < (int)sizeof tmp);
			while (n)
				*p++ = tmp[--n];
		}
	}
	for (int i = 0; i < GROWTH__COUNT; i++) {
		*p++ = ',';
		if (r->ind[i].valid)
			*p++ = r->ind[i].flag ? '1' : '0';
	}
	*p++ = '\n';
	return p;
}

static int run_batch(const char *path)
{
	static char line[BATCH_LINE_MAX + 2], out[BATCH_LINE_MAX + 2 + BATCH_RESULT_MAX];
	static char inbuf[1 << 16], outbuf[1 << 16];
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	long lineno = 0, bad = 0;
	int rc = APP_OK;

	if (!f) {
		fprintf(stderr, _("%s: cannot open '%s': %s\n"), PROG, path, strerror(errno));
		return APP_ERROR;
	}
	setvbuf(f, inbuf, _IOFBF, sizeof inbuf);
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	while (fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		char *cell[BATCH_COLUMNS], *p;
		const char *why = NULL;
		struct growth_input in;
		struct growth_result r;
		int n;

		lineno++;
		if (len && line[len - 1] == '\n') {
			line[--len] = '\0';
		} else if (!feof(f)) {          /* overlong: skip the rest of it */
			int c;
			while ((c = getc(f)) != EOF && c != '\n')
				;
			fprintf(stderr, _("%s: line %ld: line longer than %d bytes\n"), PROG, lineno,
				BATCH_LINE_MAX);
			bad++;
			continue;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (lineno == 1) {
			char *h = line;
			if (strncmp(h, "\xEF\xBB\xBF", 3) == 0)   /* a UTF-8 BOM from a spreadsheet */
				h += 3;
			if (strcmp(h, BATCH_HEADER) != 0) {
				fprintf(stderr, _("%s: line 1: the header must be %s\n"), PROG, BATCH_HEADER);
				rc = APP_ERROR;
				goto out;
			}
			fputs(h, stdout);
			fputs(BATCH_OUT_HEADER "\n", stdout);
			continue;
		}
		if (!len)
			continue;                       /* blank lines are ignored */
		memcpy(out, line, len);
		for (n = 0, p = line; n < BATCH_COLUMNS; n++) {
			cell[n] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (n != BATCH_COLUMNS - 1 || p)
			why = N_("expected 8 comma-separated cells");
		else
			why = batch_row(cell, &in);
		if (why) {
			fprintf(stderr, _("%s: line %ld: %s\n"), PROG, lineno, _(why));
			bad++;
			continue;
		}
		growth_compute(&in, &r);
		p = batch_result(out + len, &r);
		fwrite(out, 1, (size_t)(p - out), stdout);
	}
	if (ferror(f)) {
		fprintf(stderr, _("%s: cannot read '%s'\n"), PROG, path);
		rc = APP_ERROR;
	} else if (lineno == 0) {
		fprintf(stderr, _("%s: '%s' is empty: the header %s is missing\n"), PROG, path,
			BATCH_HEADER);
		rc = APP_ERROR;
	}
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, _("%s: cannot write the output\n"), PROG);
		rc = APP_ERROR;
	}
	if (f != stdin)
		fclose(f);
	if (bad) {
		fprintf(stderr, _("%s: %ld malformed line(s) left out\n"), PROG, bad);
		rc = APP_ERROR;
	}
	return rc;
}

int cli_growth(struct app *a, int argc, char **argv)
{
	(void)a;
	struct single o = { .fmt = FMT_TEXT };
	const char *batch = NULL;
	bool any_single = false;
	int c;

	/* Numbers in and out use a decimal point whatever the locale: JSON, CSV
	 * and strtod must not see "9,1" (messages still follow LC_MESSAGES). */
	setlocale(LC_NUMERIC, "C");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		const char **slot = NULL;
		switch (c) {
		case OPT_SEX:      slot = &o.sex; break;
		case OPT_DOB:      slot = &o.dob; break;
		case OPT_DATE:     slot = &o.date; break;
		case OPT_AGE_DAYS: slot = &o.age_days; break;
		case OPT_WEIGHT:   slot = &o.weight; break;
		case OPT_LENGTH:   slot = &o.length; break;
		case OPT_HEIGHT:   slot = &o.height; break;
		case OPT_HEADC:    slot = &o.headc; break;
		case OPT_MUAC:     slot = &o.muac; break;
		case OPT_OEDEMA:
			o.oedema = any_single = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o.fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o.fmt = FMT_JSON;
			else
				return usage_error(_("--format must be text or json, not '%s'"), optarg);
			break;
		case OPT_BATCH:
			batch = optarg;
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return APP_OK;
		case ':':
			return usage_error(_("option '%s' needs a value"), argv[optind - 1]);
		default:
			return usage_error(_("unknown option '%s'"), argv[optind - 1]);
		}
		if (slot) {
			*slot = optarg;
			any_single = true;
		}
	}
	if (optind < argc)
		return usage_error(_("unexpected argument '%s'"), argv[optind]);
	if (batch) {
		if (any_single)
			return usage_error(_("--batch takes no other option"), NULL);
		return run_batch(batch);
	}
	if (!o.sex)
		return usage_error(_("--sex is required (m or f)"), NULL);
	if (o.length && o.height)
		return usage_error(_("give --length or --height, not both"), NULL);
	if (o.age_days && (o.dob || o.date))
		return usage_error(_("give --age-days or --dob with --date, not both"), NULL);
	if (!o.dob != !o.date)
		return usage_error(_("--dob and --date go together"), NULL);
	return run_single(&o);
}
