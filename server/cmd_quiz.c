/* server/cmd_quiz.c: posyandu-server quiz report (issue 14): what the
 * district sees of kader assessments after sync, per posyandu code of the
 * training participants, bank version and kind (app/quiz_view.c
 * quiz_district_build gathers it).
 *
 * Counts only, by design: answers and scores are sealed to the quiz keys
 * of the posyandu's devices, which only their trainers and admins hold
 * (SECURITY.md: a kader must not read another's results; the district is
 * not a trainer and holds no quiz key). So the district shows who took
 * which test where, from the clear part of the records it can open, and
 * says that the scores stay on the devices (posyandu-server(8) QUIZZES). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/out.h"
#include "app/quiz_view.h"
#include "server/cmd.h"
#include "core/banned.h"

static void write_table(FILE *f, const struct quiz_district_row *rows, size_t n, bool csv)
{
	if (csv)
		fprintf(f, "posyandu,bank,version,kind,trainings,participants,submitted,sheets,drafts\n");
	else
		fprintf(f, "%-16s %-20s %4s %-9s %9s %12s %9s %6s %6s\n", "posyandu", "bank", "ver", "kind",
		       "trainings", "participants", "submitted", "sheets", "drafts");
	for (size_t i = 0; i < n; i++) {
		const struct quiz_district_row *r = &rows[i];
		if (csv) {
			out_csv_cell(f, r->posyandu, 0);
			out_csv_cell(f, r->bank, 0);
			out_csv_int(f, r->version, 0);
			out_csv_cell(f, quiz_kind_code(r->kind), 0);
			out_csv_int(f, r->trainings, 0);
			out_csv_int(f, r->participants, 0);
			out_csv_int(f, r->submitted, 0);
			out_csv_int(f, r->sheets, 0);
			out_csv_int(f, r->drafts, 1);
		} else {
			fprintf(f, "%-16s %-20s %4d %-9s %9d %12d %9d %6d %6d\n",
			       r->posyandu[0] ? r->posyandu : "-", r->bank, r->version,
			       quiz_kind_code(r->kind), r->trainings, r->participants, r->submitted,
			       r->sheets, r->drafts);
		}
	}
}

void quiz_csv_write(FILE *f, const struct quiz_district_row *rows, size_t n)
{
	write_table(f, rows, n, true);
}

static int write_json(const struct quiz_district_row *rows, size_t n)
{
	json_t *root = json_object(), *list = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct quiz_district_row *r = &rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "posyandu", r->posyandu[0] ? json_string(r->posyandu) : json_null());
		json_object_set_new(o, "bank", json_string(r->bank));
		json_object_set_new(o, "version", json_integer(r->version));
		json_object_set_new(o, "kind", json_string(quiz_kind_code(r->kind)));
		json_object_set_new(o, "trainings", json_integer(r->trainings));
		json_object_set_new(o, "participants", json_integer(r->participants));
		json_object_set_new(o, "submitted", json_integer(r->submitted));
		json_object_set_new(o, "sheets", json_integer(r->sheets));
		json_object_set_new(o, "drafts", json_integer(r->drafts));
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "tests", list);
	json_object_set_new(root, "scores", json_string("sealed"));
	return out_json_print(root);
}

int cmd_quiz(struct app *c, int argc, char **argv)
{
	const char *fmt_arg = NULL;
	const struct app_opt opts[] = { { "format", &fmt_arg, 0 }, { 0 } };
	struct quiz_district_row *rows;
	struct err e = { 0 };
	size_t n;
	int fmt = APP_FMT_TEXT, i, rc;

	if (argc < 2 || strcmp(argv[1], "report") != 0)
		return srv_usage("quiz report [--format text|csv|json]");
	optind = 0;
	while ((i = app_opt_next(argc - 1, argv + 1, opts)) != -1)
		if (i != 0 || (fmt = app_parse_format(fmt_arg, 1)) < 0)
			return srv_usage(NULL);
	if (optind != argc - 1)
		return srv_usage("quiz report [--format text|csv|json]");
	if (srv_open(c, 1) != APP_OK)
		return APP_ERROR;
	if (quiz_district_build(c->store, &rows, &n, &e) < 0)
		return srv_fail(&e);
	if (fmt == APP_FMT_TEXT)
		printf("Kader tests per posyandu (counts; the scores are sealed to the posyandu's "
		       "trainers and are read on their devices)\n");
	if (fmt != APP_FMT_JSON)
		write_table(stdout, rows, n, fmt == APP_FMT_CSV);
	rc = fmt == APP_FMT_JSON ? write_json(rows, n) : ferror(stdout) ? APP_ERROR : APP_OK;
	free(rows);
	if (rc != APP_OK)
		return err_set(&e, ERR_IO, NULL, "cannot write the report"), srv_fail(&e);
	return APP_OK;
}
