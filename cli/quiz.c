/* cli/quiz.c: the quiz commands (issue 7).
 *
 *   quiz import FILE.ini...      check each file completely; import it only
 *                                when it has no problem at all
 *   quiz list                    the stored banks, one line each
 *   quiz report --bank ID ...    attempts, pre/post gain, item analysis, topics
 *   quiz training add|list|show  training events and their participants (an
 *                                id and a posyandu code each, issue 14)
 *   quiz start|stop ...          open or close a pre-test, post-test or practice run
 *   quiz sheet ...               paper answer sheets, one line per participant;
 *                                the same sheet keyed in again replaces it
 *   quiz take ...                a kader answers an open test in one go (the
 *                                terminal screens are the usual way)
 *
 * quiz report and report kader print in cli/quiz_report.c; the reports
 * themselves are assembled in app/quiz_view.c. Tab-separated output is for scripts
 * and stays in English; the text tables are in the UI language. */
#include "cli/cli.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/clock.h"
#include "storage/codec.h"
#include "app/quiz_view.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "core/banned.h"


const char quiz_usage[] =
	"  posyandu [OPTIONS] quiz import FILE.ini...\n"
	"  posyandu [OPTIONS] quiz list\n"
	"  posyandu [OPTIONS] quiz report --bank ID [--version N] [--training UUID] [--kind pre|post|practice]\n"
	"                     [--posyandu CODE] [--format text|csv|json]\n"
	"                     [--table attempts|kader|posyandu|items|topics]\n"
	"  posyandu [OPTIONS] quiz training add --title TITLE --date DD-MM-YYYY [--place PLACE]\n"
	"                     [--trainer NAME] [[--posyandu CODE] --participant NAME]...\n"
	"  posyandu [OPTIONS] quiz training list\n"
	"  posyandu [OPTIONS] quiz training show --training UUID\n"
	"  posyandu [OPTIONS] quiz start|stop --training UUID --bank ID [--version N] --kind pre|post|practice\n"
	"  posyandu [OPTIONS] quiz sheet --training UUID --bank ID [--version N] --kind pre|post|practice [FILE]\n"
	"  posyandu [OPTIONS] quiz take --training UUID --bank ID [--version N] --kind pre|post|practice [FILE]\n";

int quiz_usage_err(const char *usage, const char *why)
{
	if (why)
		fprintf(stderr, "posyandu: %s\n", why);
	fputs(usage, stderr);
	return APP_USAGE;
}



/* ================================================================ */
/* quiz import, list                                                */
/* ================================================================ */

static void print_problem(const struct quiz_problem *p)
{
	char msg[512];
	msg_err(&p->err, msg, sizeof msg);
	if (p->line)
		fprintf(stderr, "%s:%d: ", p->file, p->line);
	else
		fprintf(stderr, "%s: ", p->file);
	if (p->section[0] && p->key[0])
		fprintf(stderr, "[%s] %s: ", p->section, p->key);
	else if (p->section[0])
		fprintf(stderr, "[%s]: ", p->section);
	fprintf(stderr, "%s\n", msg);
}

static int q_import(struct app *c, int argc, char **argv)
{
	int rc = APP_OK;

	if (argc < 2)
		return quiz_usage_err(quiz_usage, _("quiz import needs a bank file"));
	for (int i = 1; i < argc; i++) {
		struct quiz_bank b;
		struct quiz_problem *probs = NULL;
		struct err err = { 0 };
		size_t n = 0;
		bool same;

		if (quizstore_read_ini(argv[i], &b, &probs, &n, &err) < 0) {
			for (size_t k = 0; k < n; k++)
				print_problem(&probs[k]);
			free(probs);
			if (n)
				fprintf(stderr, _("posyandu: %s: %zu problem(s); the bank was not imported\n"),
					argv[i], n);
			else
				msg_print(&err);
			rc = APP_ERROR;
			continue;
		}
		if (quizstore_bank_put(c->store, &b, &same, &err) < 0) {
			char msg[512];
			fprintf(stderr, "posyandu: %s: %s\n", argv[i], msg_err(&err, msg, sizeof msg));
			rc = APP_ERROR;
		} else if (same) {
			printf(_("Bank %s version %d was already imported; nothing changed\n"), b.id,
			       b.version);
		} else {
			printf(_("Bank %s version %d imported: %zu questions, pass mark %d%%\n"), b.id,
			       b.version, b.n, b.pass_mark);
		}
		quiz_bank_free(&b);
	}
	return rc;
}

static int q_list(struct app *c, int argc, char **argv)
{
	struct quizstore_bank_info *list;
	struct err err = { 0 };
	size_t n;
	(void)argv;

	if (argc != 1)
		return quiz_usage_err(quiz_usage, NULL);
	if (quizstore_banks(c->store, &list, &n, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%d\t%d\t%d\t%d\t%s\n", list[i].id, list[i].version, list[i].questions,
		       list[i].pass_mark, list[i].time_limit_min, list[i].title);
	free(list);
	return APP_OK;
}

int quiz_parse_version(const char *s)
{
	int v = atoi_checked(s);
	return v >= 1 ? v : -1;
}

int quiz_version_kind(const char *name, const char *val, int *version, int *kind)
{
	if (strcmp(name, "version") == 0 && (*version = quiz_parse_version(val)) < 0)
		return quiz_usage_err(quiz_usage, _("--version takes a whole number from 1"));
	if (strcmp(name, "kind") == 0 && (*kind = quiz_kind_from_code(val)) < 0)
		return quiz_usage_err(quiz_usage, _("--kind takes pre, post or practice"));
	return APP_OK;
}

/* ================================================================ */
/* Trainings, runs and paper sheets                                 */
/* ================================================================ */

/* Find training UUID among all trainings; *ALL must be freed. */
static struct quiz_training *find_training(struct store *s, const char *arg,
					   struct quiz_training **all, size_t *n, struct err *err)
{
	uint8_t uuid[16];

	*all = NULL;
	if (uuid_parse(arg, uuid) < 0) {
		err_set(err, ERR_USAGE, NULL, "not a training uuid: %s", arg);
		return NULL;
	}
	if (quizstore_trainings(s, all, n, err) < 0)
		return NULL;
	for (size_t i = 0; i < *n; i++)
		if (memcmp((*all)[i].uuid, uuid, 16) == 0)
			return &(*all)[i];
	err_set(err, ERR_NOTFOUND, "training", "no such training");
	return NULL;
}

static int training_add(struct app *c, int argc, char **argv)
{
	const char *title = NULL, *date = NULL, *place = NULL, *trainer = NULL, *who = NULL,
		   *code = NULL;
	const struct app_opt opts[] = { { "title", &title, 0 }, { "date", &date, 0 },
					{ "place", &place, 0 }, { "trainer", &trainer, 0 },
					{ "participant", &who, 0 }, { "posyandu", &code, 0 }, { 0 } };
	const char *own = store_get_profile(c->store)->code;
	struct quiz_training *t = calloc(1, sizeof *t);
	struct store_user *users = NULL;
	struct err err = { 0 };
	struct draft d;
	char uuid[UUID_STRLEN];
	size_t nu = 0;
	int i, rc = APP_OK;

	if (!t)
		return err_set(&err, ERR_NOMEM, NULL, "out of memory"), app_fail(&err);
	t->date = DATE_NONE;
	if (store_users(c->store, &users, &nu, &err) < 0) {
		free(t);
		return app_fail(&err);
	}
	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == -2) {
			rc = quiz_usage_err(quiz_usage, NULL);
			goto out;
		}
		if (opts[i].val == &date && date_parse(date, &t->date, &err) < 0) {
			rc = app_fail(&err);
			goto out;
		}
		/* --posyandu CODE: the participants named after it serve there */
		if (opts[i].val == &code && valid_posyandu_code(code, &err) < 0) {
			rc = app_fail(&err);
			goto out;
		}
		if (opts[i].val != &who)
			continue;
		if (t->np == QUIZ_MAX_PARTICIPANTS || !*who || strlen(who) >= sizeof t->p[0].name) {
			rc = quiz_usage_err(quiz_usage, _("a participant's name has 1 to 32 characters, at most 100 participants"));
			goto out;
		}
		snprintf(t->p[t->np].name, sizeof t->p[0].name, "%s", who);
		snprintf(t->p[t->np].posyandu, sizeof t->p[0].posyandu, "%s", code ? code : own);
		/* The account of that label, when she serves this posyandu and no
		 * participant has it yet: a second "Ani" is another person. */
		for (size_t u = 0; u < nu; u++)
			if (strcmp(users[u].label, who) == 0 && strcmp(t->p[t->np].posyandu, own) == 0 &&
			    !quizstore_participant_find(t, users[u].uuid, NULL))
				memcpy(t->p[t->np].user, users[u].uuid, 16);
		t->np++;
	}
	snprintf(t->title, sizeof t->title, "%s", title ? title : "");
	snprintf(t->place, sizeof t->place, "%s", place ? place : "");
	snprintf(t->trainer, sizeof t->trainer, "%s", trainer ? trainer : "");
	if (optind != argc || !t->title[0] || t->date == DATE_NONE) {
		rc = quiz_usage_err(quiz_usage, _("quiz training add needs --title and --date"));
		goto out;
	}
	store_draft_new(&d);
	if (quizstore_training_put(c->store, &d, t, &err) < 0) {
		rc = app_fail(&err);
		goto out;
	}
	printf("%s\n", uuid_format(t->uuid, uuid));
out:
	free(users);
	free(t);
	return rc;
}

static int training_list(struct app *c)
{
	struct quiz_training *list;
	struct err err = { 0 };
	char uuid[UUID_STRLEN], day[DATE_BUFSZ];
	size_t n;

	if (quizstore_trainings(c->store, &list, &n, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < n; i++) {
		printf("%s\t%s\t%s\t%zu\t", uuid_format(list[i].uuid, uuid),
		       date_format(list[i].date, day), list[i].title, list[i].np);
		for (size_t k = 0; k < list[i].nruns; k++)
			printf("%s%s:%d:%s%s", k ? " " : "", list[i].runs[k].bank_id,
			       list[i].runs[k].bank_version, quiz_kind_code(list[i].runs[k].kind),
			       list[i].runs[k].open ? "" : ":closed");
		printf("\n");
	}
	free(list);
	return APP_OK;
}

/* The participants of one training, one line each, so that a trainer
 * tells two people of one name apart: number, id, posyandu code, name,
 * and "account" when she has one on this device. */
static int training_show(struct app *c, int argc, char **argv)
{
	const char *arg = NULL;
	const struct app_opt opts[] = { { "training", &arg, 0 }, { 0 } };
	struct quiz_training *all = NULL, *t;
	struct err err = { 0 };
	char id[UUID_STRLEN];
	size_t n;
	int i;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1)
		if (i == -2)
			return quiz_usage_err(quiz_usage, NULL);
	if (optind != argc || !arg)
		return quiz_usage_err(quiz_usage, _("this needs --training"));
	if (!(t = find_training(c->store, arg, &all, &n, &err))) {
		free(all);
		return app_fail(&err);
	}
	for (size_t k = 0; k < t->np; k++)
		printf("#%zu\t%s\t%s\t%s\t%s\n", k + 1, uuid_format(t->p[k].id, id),
		       t->p[k].posyandu[0] ? t->p[k].posyandu : "-", t->p[k].name,
		       uuid_is_zero(t->p[k].user) ? "-" : "account");
	free(all);
	return APP_OK;
}

static int q_training(struct app *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return training_add(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return training_list(c);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return training_show(c, argc - 1, argv + 1);
	return quiz_usage_err(quiz_usage, NULL);
}

/* The options shared by start, stop and sheet. */
struct run_args {
	const char *training, *bank;
	int version, kind;
	const char *file;
};

static int parse_run_args(int argc, char **argv, struct run_args *ra, bool allow_file)
{
	const char *val = NULL;
	const struct app_opt opts[] = { { "training", &ra->training, 0 }, { "bank", &ra->bank, 0 },
					{ "version", &val, 0 }, { "kind", &val, 0 }, { 0 } };
	int i, rc;

	memset(ra, 0, sizeof *ra);
	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		if (i == -2)
			return quiz_usage_err(quiz_usage, NULL);
		if ((rc = quiz_version_kind(opts[i].name, val, &ra->version, &ra->kind)) != APP_OK)
			return rc;
	}
	if (allow_file && optind == argc - 1)
		ra->file = argv[optind++];
	if (optind != argc || !ra->training || !ra->bank || !ra->kind)
		return quiz_usage_err(quiz_usage, _("this needs --training, --bank and --kind"));
	return APP_OK;
}

/* The run of BANK_UUID and KIND in T: found, or added (closed). */
static struct quiz_run *run_of(struct quiz_training *t, const struct quiz_bank *b,
			       const uint8_t bank_uuid[16], int kind)
{
	for (size_t i = 0; i < t->nruns; i++)
		if (memcmp(t->runs[i].bank, bank_uuid, 16) == 0 && t->runs[i].kind == kind)
			return &t->runs[i];
	if (t->nruns == QUIZ_MAX_RUNS)
		return NULL;
	memset(&t->runs[t->nruns], 0, sizeof t->runs[0]);
	memcpy(t->runs[t->nruns].bank, bank_uuid, 16);
	snprintf(t->runs[t->nruns].bank_id, sizeof t->runs[0].bank_id, "%s", b->id);
	t->runs[t->nruns].bank_version = b->version;
	t->runs[t->nruns].kind = kind;
	return &t->runs[t->nruns++];
}

/* The training and bank version RA names: *ALL (free it) holds *T; *B is
 * to be released with quiz_bank_free. 0, or the exit status after the
 * complaint. */
static int run_open(struct app *c, const struct run_args *ra, struct quiz_training **all,
		    struct quiz_training **t, struct quiz_bank *b, uint8_t bank_uuid[16])
{
	struct err err = { 0 };
	size_t n;

	if (!(*t = find_training(c->store, ra->training, all, &n, &err)) ||
	    quizstore_bank_get(c->store, ra->bank, ra->version, b, bank_uuid, &err) < 0) {
		free(*all);
		return app_fail(&err);
	}
	return APP_OK;
}

/* Store T, whose runs changed. */
static int training_save(struct app *c, struct quiz_training *t, struct err *err)
{
	struct draft d;
	if (store_draft_edit(c->store, &d, t->uuid, err) < 0 ||
	    quizstore_training_put(c->store, &d, t, err) < 0)
		return -1;
	return 0;
}

static int q_start_stop(struct app *c, int argc, char **argv, bool open)
{
	struct run_args ra;
	struct quiz_training *all = NULL, *t;
	struct quiz_bank b;
	struct quiz_run *run;
	struct err err = { 0 };
	uint8_t bank_uuid[16];
	int rc;

	if ((rc = parse_run_args(argc, argv, &ra, false)) != APP_OK ||
	    (rc = run_open(c, &ra, &all, &t, &b, bank_uuid)) != APP_OK)
		return rc;
	if (!(run = run_of(t, &b, bank_uuid, ra.kind))) {
		err_set(&err, ERR_RANGE, NULL, "at most %d runs per training", QUIZ_MAX_RUNS);
		rc = app_fail(&err);
	} else {
		run->open = open;
		if (training_save(c, t, &err) < 0)
			rc = app_fail(&err);
		else
			printf(open ? _("%s of %s version %d is open for the participants of \"%s\"\n")
				    : _("%s of %s version %d is closed for \"%s\"\n"),
			       _(quiz_kind_label(ra.kind)), b.id, b.version, t->title);
	}
	quiz_bank_free(&b);
	free(all);
	return rc;
}

/* ---- quiz sheet: reading the sheet, then storing the attempts ---- */

/* One sheet line: "NAME<TAB>ANSWERS", or "NAME: ANSWERS". */
static int split_sheet_line(char *line, char **name, char **answers)
{
	char *sep = strchr(line, '\t');
	size_t n;

	if (!sep)
		sep = strchr(line, ':');
	if (!sep)
		return -1;
	*sep = '\0';
	*answers = sep + 1;
	while (*line == ' ')
		line++;
	n = strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	*name = line;
	return **name ? 0 : -1;
}

/* The participant a sheet line names: "#3" (her number in quiz training
 * show), her id, or her name when no one else in the training has it.
 * *SAME counts the participants of that name (2 or more: ambiguous). */
static const struct quiz_participant *participant(const struct quiz_training *t, const char *ref,
						  int *same)
{
	const struct quiz_participant *hit = NULL;
	uint8_t id[16];

	*same = 0;
	if (ref[0] == '#') {
		int no = atoi_checked(ref + 1);
		return no >= 1 && (size_t)no <= t->np ? &t->p[no - 1] : NULL;
	}
	if (uuid_parse(ref, id) == 0)
		return quizstore_participant_by_id(t, id);
	for (size_t i = 0; i < t->np; i++)
		if (strcmp(t->p[i].name, ref) == 0 && !(*same)++)
			hit = &t->p[i];
	return *same == 1 ? hit : NULL;
}

/* What a sheet is for: the training, the bank version and the kind. */
struct sheet_run {
	const struct quiz_training *t;
	const struct quiz_bank *b;
	const uint8_t *bank_uuid;
	int kind;
};

/* The answer sheets read, not yet stored. */
struct sheets {
	struct quiz_attempt *a;
	size_t n, cap;
	int bad;                   /* lines with a problem (reported) */
};

/* Line LINENO (LINE, trimmed) as one more attempt in SH; a problem is
 * reported and counted. -1 only when out of memory. */
static int sheet_line(const struct sheet_run *run, struct sheets *sh, char *line, int lineno)
{
	const struct quiz_participant *who;
	struct quiz_attempt *a;
	struct err err = { 0 };
	char *name, *answers, msg[512];
	int same;

	if (split_sheet_line(line, &name, &answers) < 0) {
		fprintf(stderr, _("posyandu: line %d: write NAME, a tab or ':', then the answers\n"), lineno);
		return sh->bad++, 0;
	}
	if (!(who = participant(run->t, name, &same))) {
		if (same > 1)
			fprintf(stderr, _("posyandu: line %d: %d participants are called %s; write their number instead (#1, #2, ... in quiz training show)\n"),
				lineno, same, name);
		else
			fprintf(stderr, _("posyandu: line %d: %s is not a participant of this training\n"),
				lineno, name);
		return sh->bad++, 0;
	}
	if (sh->n == sh->cap) {
		struct quiz_attempt *g = realloc(sh->a, (sh->cap ? sh->cap * 2 : 16) * sizeof *g);
		if (!g)
			return -1;
		sh->a = g;
		sh->cap = sh->cap ? sh->cap * 2 : 16;
	}
	a = memset(&sh->a[sh->n], 0, sizeof *a);
	if (quiz_sheet_parse(run->b, answers, &a->ans, &err) < 0) {
		fprintf(stderr, _("posyandu: line %d: %s\n"), lineno, msg_err(&err, msg, sizeof msg));
		return sh->bad++, 0;
	}
	memcpy(a->bank, run->bank_uuid, 16);
	snprintf(a->bank_id, sizeof a->bank_id, "%s", run->b->id);
	a->bank_version = run->b->version;
	memcpy(a->training, run->t->uuid, 16);
	a->kind = run->kind;
	snprintf(a->kader_name, sizeof a->kader_name, "%s", who->name);
	memcpy(a->kader, who->user, 16);
	memcpy(a->participant, who->id, 16);
	snprintf(a->posyandu, sizeof a->posyandu, "%s", who->posyandu);
	a->day = run->t->date;
	sh->n++;
	return 0;
}

/* A '#' comment, unless it is "#N" and a tab or ':' (participant N). */
static bool sheet_comment(const char *line)
{
	size_t digits = strspn(line + 1, "0123456789");
	return line[0] == '#' && !(digits && (line[1 + digits] == '\t' || line[1 + digits] == ':'));
}

/* Every line of IN: a blank line or '#' comment is skipped. */
static int sheet_read(FILE *in, const struct sheet_run *run, struct sheets *sh, struct err *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;

	while (rc == 0 && (len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len && !sheet_comment(line) && sheet_line(run, sh, line, lineno) < 0)
			rc = err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	free(line);
	return rc;
}

/* The run shows in the training (closed when it is new: the answers came
 * on paper); then each attempt is stored and its score printed. */
static int sheet_store(struct app *c, struct quiz_training *t, const struct sheet_run *run,
		       const struct sheets *sh)
{
	struct err err = { 0 };
	size_t before = t->nruns;
	char msg[512];
	int rc = APP_OK;

	if (run_of(t, run->b, run->bank_uuid, run->kind) && t->nruns != before &&
	    training_save(c, t, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < sh->n; i++) {
		struct quiz_attempt *a = &sh->a[i];
		bool replaced;
		if (quizstore_sheet_save(c->store, a, run->b, &replaced, &err) < 0) {
			fprintf(stderr, _("posyandu: %s: not saved: %s\n"), a->kader_name,
				msg_err(&err, msg, sizeof msg));
			rc = APP_ERROR;
			continue;
		}
		/* name, score, result, then who exactly and whether it replaced
		 * the same sheet keyed in before */
		printf("%s\t%d/%d\t%.1f%%\t%s\t%s\t#%d%s%s\n", a->kader_name, a->right, a->total,
		       quiz_attempt_pct(a), a->pass ? _("pass") : _("fail"),
		       a->posyandu[0] ? a->posyandu : "-", quizstore_participant_no(t, a->participant),
		       replaced ? "\t" : "", replaced ? _("replaced") : "");
	}
	return rc;
}

/* Check every line first: a bad line saves nothing. */
static int q_sheet(struct app *c, int argc, char **argv)
{
	struct run_args ra;
	struct quiz_training *all = NULL, *t;
	struct quiz_bank b;
	struct sheets sh = { 0 };
	struct err err = { 0 };
	uint8_t bank_uuid[16];
	FILE *in;
	int rc;

	if ((rc = parse_run_args(argc, argv, &ra, true)) != APP_OK ||
	    (rc = run_open(c, &ra, &all, &t, &b, bank_uuid)) != APP_OK)
		return rc;
	struct sheet_run run = { t, &b, bank_uuid, ra.kind };
	if (!(in = ra.file ? fopen(ra.file, "r") : stdin)) {
		err_set(&err, ERR_IO, "quiz-file", "%s", ra.file);
		rc = app_fail(&err);
	} else if (sheet_read(in, &run, &sh, &err) < 0) {
		rc = app_fail(&err);
	} else if (sh.bad) {
		fprintf(stderr, _("posyandu: %d line(s) with problems; no answer sheet was saved\n"), sh.bad);
		rc = APP_ERROR;
	} else {
		rc = sheet_store(c, t, &run, &sh);
	}
	if (in && in != stdin)
		fclose(in);
	quizstore_attempts_free(sh.a, sh.n);
	quiz_bank_free(&b);
	free(all);
	return rc;
}

/* ---- quiz take: the session's own answers to an open run ---- */

/* The complaint when the quiz key does not verify (issue 13.2): the test
 * does not start. 0 when the key is fine. */
static int key_refusal(const struct err *e)
{
	if (e->code == ERR_CRYPTO && strcmp(e->field, "quiz-seal") == 0) {
		fprintf(stderr, "posyandu: %s\n",
			_("The quiz key is not valid; the test cannot start. Contact the admin."));
		return APP_ERROR;
	}
	return app_fail(e);
}

static int quiz_key_refusal(struct store *s)
{
	struct err err = { 0 };

	if (quizstore_key_ready(s, &err) == 0)
		return 0;
	return key_refusal(&err);
}

static int q_take(struct app *c, int argc, char **argv)
{
	const struct store_user *me = store_session(c->store);
	struct run_args ra;
	struct quiz_training *all = NULL, *t;
	struct quiz_attempt *a = NULL;
	const struct quiz_participant *who = NULL;
	struct quiz_bank b;
	struct err err = { 0 };
	uint8_t bank_uuid[16];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool open = false;
	FILE *in;
	int rc;

	if ((rc = parse_run_args(argc, argv, &ra, true)) != APP_OK ||
	    (rc = quiz_key_refusal(c->store)) != APP_OK ||
	    (rc = run_open(c, &ra, &all, &t, &b, bank_uuid)) != APP_OK)
		return rc;
	for (size_t i = 0; i < t->nruns; i++)
		open |= t->runs[i].open && t->runs[i].kind == ra.kind &&
			memcmp(t->runs[i].bank, bank_uuid, 16) == 0;
	if (!open || !(who = quizstore_participant_find(t, me->uuid, me->label))) {
		err_set(&err, ERR_DENIED, NULL, "no such open test for this participant");
		rc = app_fail(&err);
		goto out;
	}
	if (!(in = ra.file ? fopen(ra.file, "r") : stdin)) {
		err_set(&err, ERR_IO, "quiz-file", "%s", ra.file);
		rc = app_fail(&err);
		goto out;
	}
	len = getline(&line, &cap, in);
	if (in != stdin)
		fclose(in);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!(a = sodium_malloc(sizeof *a))) {
		err_set(&err, ERR_NOMEM, NULL, "out of memory");
		rc = app_fail(&err);
		goto out;
	}
	memset(a, 0, sizeof *a);
	if (len < 0 || quiz_sheet_parse(&b, line, &a->ans, &err) < 0) {
		if (len < 0)
			err_set(&err, ERR_REQUIRED, NULL, "no answers");
		rc = app_fail(&err);
		goto out;
	}
	memcpy(a->bank, bank_uuid, 16);
	snprintf(a->bank_id, sizeof a->bank_id, "%s", b.id);
	a->bank_version = b.version;
	memcpy(a->training, t->uuid, 16);
	a->kind = ra.kind;
	memcpy(a->kader, me->uuid, 16);
	snprintf(a->kader_name, sizeof a->kader_name, "%s", me->label);
	memcpy(a->participant, who->id, 16);
	snprintf(a->posyandu, sizeof a->posyandu, "%s", who->posyandu);
	a->day = clock_today();
	if (quizstore_attempt_save(c->store, a, &b, true, &err) < 0) {
		rc = key_refusal(&err);
		goto out;
	}
	if (a->scored)
		printf("%s\t%d/%d\t%.1f%%\t%s\n", a->kader_name, a->right, a->total,
		       quiz_attempt_pct(a), a->pass ? _("pass") : _("fail"));
	else
		printf("%s\n", _("Answers saved; the trainer opens the scores."));
out:
	if (a)
		sodium_free(a);
	free(line);
	quiz_bank_free(&b);
	free(all);
	return rc;
}

/* ================================================================ */
/* Dispatch                                                         */
/* ================================================================ */

static int q_start(struct app *c, int argc, char **argv) { return q_start_stop(c, argc, argv, true); }
static int q_stop(struct app *c, int argc, char **argv) { return q_start_stop(c, argc, argv, false); }

static const struct app_cmd quiz_subs[] = {
	{ "import", q_import, NULL }, { "list", q_list, NULL }, { "report", cli_quiz_report, NULL },
	{ "training", q_training, NULL }, { "start", q_start, NULL }, { "stop", q_stop, NULL },
	{ "sheet", q_sheet, NULL }, { "take", q_take, NULL },
};

int cli_quiz(struct app *c, int argc, char **argv)
{
	int rc;

	if (argc >= 2 && (rc = app_cmd_run(quiz_subs, sizeof quiz_subs / sizeof quiz_subs[0], c, argc - 1,
					  argv + 1)) >= 0)
		return rc;
	return quiz_usage_err(quiz_usage, NULL);
}

