/* tui/cli_quiz.c: the quiz commands and `report kader` (issue 7).
 *
 *   quiz import FILE.ini...      check each file completely; import it only
 *                                when it has no problem at all
 *   quiz list                    the stored banks, one line each
 *   quiz report --bank ID ...    attempts, pre/post gain, item analysis, topics
 *   quiz training add|list       training events and their attendance
 *   quiz start|stop ...          open or close a pre-test, post-test or practice run
 *   quiz sheet ...               paper answer sheets, one line per participant
 *   report kader                 the kader roster
 *
 * Tab-separated and CSV output is for scripts and stays in English; the
 * text tables are in the UI language. */
#include "tui/cli_quiz.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "storage/audit.h"
#include "storage/codec.h"
#include "tui/cli.h"
#include "tui/cli_report.h"
#include "tui/i18n.h"
#include "tui/msg.h"
#include "core/banned.h"

enum { FMT_TEXT, FMT_CSV, FMT_JSON };

static const char quiz_usage[] =
	"  posyandu [OPTIONS] quiz import FILE.ini...\n"
	"  posyandu [OPTIONS] quiz list\n"
	"  posyandu [OPTIONS] quiz report --bank ID [--version N] [--training UUID] [--kind pre|post|practice]\n"
	"                     [--format text|csv|json] [--table attempts|kader|items|topics]\n"
	"  posyandu [OPTIONS] quiz training add --title TITLE --date DD-MM-YYYY [--place PLACE]\n"
	"                     [--trainer NAME] [--participant NAME]...\n"
	"  posyandu [OPTIONS] quiz training list\n"
	"  posyandu [OPTIONS] quiz start|stop --training UUID --bank ID [--version N] --kind pre|post|practice\n"
	"  posyandu [OPTIONS] quiz sheet --training UUID --bank ID [--version N] --kind pre|post|practice [FILE]\n";

static int usage_err(const char *usage, const char *why)
{
	if (why)
		fprintf(stderr, "posyandu: %s\n", why);
	fputs(usage, stderr);
	return CLI_USAGE;
}

char *quiz_fmt_time(int32_t seconds, char *buf)
{
	if (seconds < 0)
		seconds = 0;
	snprintf(buf, 16, "%d:%02d", (int)(seconds / 60), (int)(seconds % 60));
	return buf;
}

static int32_t today_of(const struct cli *c)
{
	return date_from_unix((int64_t)time(NULL) + c->utc_offset);
}

static double round_to(double x, double unit)
{
	return round(x / unit) * unit;
}

/* CSV field: quoted when it holds a separator, a quote or a line break. */
static void csv(const char *s, int last)
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

static void csvf(const char *fmt, double v, int last)
{
	char buf[32];
	snprintf(buf, sizeof buf, fmt, v);
	csv(buf, last);
}

static void csvi(long long v, int last)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	csv(buf, last);
}

static int print_json(json_t *root)
{
	char *out = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (!out)
		return CLI_ERROR;
	puts(out);
	codec_free(out);           /* jansson allocates through codec's wiping allocator */
	return CLI_OK;
}

/* ================================================================ */
/* Report assembly (shared with the screens)                        */
/* ================================================================ */

const char *quiz_report_training(const struct quiz_report *r, const uint8_t uuid[16])
{
	for (size_t i = 0; i < r->ntrainings; i++)
		if (!uuid_is_zero(uuid) && memcmp(r->trainings[i].uuid, uuid, 16) == 0)
			return r->trainings[i].title;
	return "";
}

void quiz_report_free(struct quiz_report *r)
{
	quiz_bank_free(&r->bank);
	quizstore_attempts_free(r->att, r->natt);
	free(r->items);
	free(r->topics);
	free(r->pairs);
	free(r->trainings);
	memset(r, 0, sizeof *r);
}

int quiz_report_build(struct store *s, const char *bank_id, int version,
		      const uint8_t *training, int kind, struct quiz_report *r, struct err *err)
{
	struct quiz_attempt *all = NULL;
	struct quiz_answers *resp = NULL;
	struct quiz_scored *sc = NULL;
	size_t nall = 0;

	memset(r, 0, sizeof *r);
	if (quizstore_bank_get(s, bank_id, version, &r->bank, r->bank_uuid, err) < 0 ||
	    quizstore_trainings(s, &r->trainings, &r->ntrainings, err) < 0 ||
	    quizstore_attempts(s, bank_id, true, &all, &nall, err) < 0)
		goto fail;
	if (!(r->att = calloc(nall + 1, sizeof *r->att)) ||
	    !(r->items = calloc(r->bank.n, sizeof *r->items)) ||
	    !(r->topics = calloc(r->bank.n, sizeof *r->topics)) ||
	    !(r->pairs = calloc(nall + 1, sizeof *r->pairs)) ||
	    !(resp = calloc(nall + 1, sizeof *resp)) || !(sc = calloc(nall + 1, sizeof *sc))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nall; i++) {
		struct quiz_attempt *a = &all[i];
		if (a->bank_version != r->bank.version ||
		    (training && memcmp(a->training, training, 16) != 0) || (kind && a->kind != kind))
			continue;
		if (a->status != QUIZ_SUBMITTED) {
			r->drafts++;
			continue;
		}
		if (!a->opened || a->ans.n != (int)r->bank.n) {
			r->unopened++;
			continue;
		}
		r->att[r->natt] = *a;
		resp[r->natt] = a->ans;
		memcpy(sc[r->natt].who, a->kader, 16);
		snprintf(sc[r->natt].name, sizeof sc[0].name, "%s", a->kader_name);
		memcpy(sc[r->natt].training, a->training, 16);
		snprintf(sc[r->natt].bank, sizeof sc[0].bank, "%s", a->bank_id);
		sc[r->natt].kind = a->kind;
		sc[r->natt].percent = a->total ? 100.0 * a->right / a->total : 0;
		r->natt++;
	}
	quiz_item_analysis(&r->bank, resp, r->natt, r->items, &r->group);
	r->ntopics = quiz_topics(&r->bank, r->items, r->topics);
	r->npairs = quiz_pairs(sc, r->natt, r->pairs);
	quizstore_attempts_free(all, nall);
	free(resp);
	free(sc);
	return 0;
fail:
	quizstore_attempts_free(all, nall);
	free(resp);
	free(sc);
	quiz_report_free(r);
	return -1;
}

static const char *title_of(const struct quiz_training *t, size_t n, const uint8_t uuid[16])
{
	for (size_t i = 0; i < n; i++)
		if (!uuid_is_zero(uuid) && memcmp(t[i].uuid, uuid, 16) == 0)
			return t[i].title;
	return "";
}

const char *quiz_history_training(const struct quiz_history *h, const uint8_t uuid[16])
{
	return title_of(h->trainings, h->ntrainings, uuid);
}

void quiz_history_free(struct quiz_history *h)
{
	quizstore_attempts_free(h->att, h->natt);
	free(h->pairs);
	free(h->trainings);
	memset(h, 0, sizeof *h);
}

int quiz_history_build(struct store *s, const uint8_t *user, const char *name,
		       struct quiz_history *h, struct err *err)
{
	struct quiz_attempt *all = NULL;
	struct quiz_scored *sc = NULL;
	size_t nall = 0;
	bool by_user = user && !uuid_is_zero(user);

	memset(h, 0, sizeof *h);
	if (quizstore_trainings(s, &h->trainings, &h->ntrainings, err) < 0 ||
	    quizstore_attempts(s, NULL, true, &all, &nall, err) < 0)
		goto fail;
	if (!(h->att = calloc(nall + 1, sizeof *h->att)) ||
	    !(h->pairs = calloc(nall + 1, sizeof *h->pairs)) || !(sc = calloc(nall + 1, sizeof *sc))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nall; i++) {
		const struct quiz_attempt *a = &all[i];
		bool mine = by_user ? memcmp(a->kader, user, 16) == 0 : false;
		if (!mine && uuid_is_zero(a->kader) && name && strcasecmp(a->kader_name, name) == 0)
			mine = true;
		if (!mine || a->status != QUIZ_SUBMITTED || !a->opened)
			continue;
		h->att[h->natt] = *a;
		/* One person: pairs by training and bank only (who stays zero). */
		snprintf(sc[h->natt].name, sizeof sc[0].name, "%s", name ? name : "");
		memcpy(sc[h->natt].training, a->training, 16);
		snprintf(sc[h->natt].bank, sizeof sc[0].bank, "%s", a->bank_id);
		sc[h->natt].kind = a->kind;
		sc[h->natt].percent = a->total ? 100.0 * a->right / a->total : 0;
		h->natt++;
	}
	h->npairs = quiz_pairs(sc, h->natt, h->pairs);
	quizstore_attempts_free(all, nall);
	free(sc);
	return 0;
fail:
	quizstore_attempts_free(all, nall);
	free(sc);
	quiz_history_free(h);
	return -1;
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

static int q_import(struct cli *c, int argc, char **argv)
{
	int rc = CLI_OK;

	if (argc < 2)
		return usage_err(quiz_usage, _("quiz import needs a bank file"));
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
			rc = CLI_ERROR;
			continue;
		}
		if (quizstore_bank_put(c->store, &b, &same, &err) < 0) {
			char msg[512];
			fprintf(stderr, "posyandu: %s: %s\n", argv[i], msg_err(&err, msg, sizeof msg));
			rc = CLI_ERROR;
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

static int q_list(struct cli *c, int argc, char **argv)
{
	struct quizstore_bank_info *list;
	struct err err = { 0 };
	size_t n;
	(void)argv;

	if (argc != 1)
		return usage_err(quiz_usage, NULL);
	if (quizstore_banks(c->store, &list, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%d\t%d\t%d\t%d\t%s\n", list[i].id, list[i].version, list[i].questions,
		       list[i].pass_mark, list[i].time_limit_min, list[i].title);
	free(list);
	return CLI_OK;
}

/* ================================================================ */
/* quiz report                                                      */
/* ================================================================ */

enum { T_ATTEMPTS = 1, T_KADER = 2, T_ITEMS = 4, T_TOPICS = 8, T_ALL = 15 };

static const char *flag_text(unsigned flags, char *buf, size_t size, bool machine)
{
	buf[0] = '\0';
	if (flags & QUIZ_FLAG_EASY)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? (machine ? ";" : ", ") : "",
			 machine ? "easy" : _("too easy"));
	if (flags & QUIZ_FLAG_HARD)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? (machine ? ";" : ", ") : "",
			 machine ? "hard" : _("too hard"));
	if (flags & QUIZ_FLAG_NEG_D)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? (machine ? ";" : ", ") : "",
			 machine ? "negative_d" : _("negative D"));
	return buf;
}

static double pct(const struct quiz_attempt *a)
{
	return a->total ? 100.0 * a->right / a->total : 0;
}

static void report_text(const struct quiz_report *r, int tables)
{
	char day[DATE_BUFSZ], t[16], buf[128];

	printf(_("Bank %s version %d: %s\n"), r->bank.id, r->bank.version, r->bank.title);
	printf(_("Pass mark %d%%, %zu questions, %zu attempts submitted"), r->bank.pass_mark,
	       r->bank.n, r->natt);
	if (r->drafts)
		printf(_(", %zu not submitted yet"), r->drafts);
	printf("\n");
	if (r->unopened)
		printf(_("Warning: %zu attempts cannot be opened with this device's quiz key\n"),
		       r->unopened);

	if (tables & T_ATTEMPTS) {
		printf("\n%s\n", _("Attempts"));
		printf("  %-20s %-10s %-10s %7s %-6s %6s  %s\n", _("Name"), _("Date"), _("Test"),
		       _("Score"), _("Result"), _("Time"), _("Training"));
		for (size_t i = 0; i < r->natt; i++) {
			const struct quiz_attempt *a = &r->att[i];
			printf("  %-20s %-10s %-10s %6.1f%% %-6s %6s  %s\n", a->kader_name,
			       date_format(a->day, day), _(quiz_kind_label(a->kind)), pct(a),
			       a->pass ? _("pass") : _("fail"), quiz_fmt_time(a->ans.elapsed_s, t),
			       quiz_report_training(r, a->training));
		}
	}
	if (tables & T_KADER) {
		printf("\n%s\n", _("Pre-test and post-test per kader"));
		printf("  %-20s %-24s %7s %7s %7s %6s\n", _("Name"), _("Training"), _("Pre"), _("Post"),
		       _("Gain"), "g");
		for (size_t i = 0; i < r->npairs; i++) {
			const struct quiz_pair *p = &r->pairs[i];
			char pre[16] = "-", post[16] = "-", gain[16] = "-", g[16] = "-";
			if (p->has_pre)
				snprintf(pre, sizeof pre, "%.1f%%", p->pre);
			if (p->has_post)
				snprintf(post, sizeof post, "%.1f%%", p->post);
			if (p->has_pre && p->has_post) {
				snprintf(gain, sizeof gain, "%+.1f", p->g.gain);
				if (p->g.has_ngain)
					snprintf(g, sizeof g, "%.2f", p->g.ngain);
			}
			printf("  %-20s %-24.24s %7s %7s %7s %6s\n", p->name,
			       quiz_report_training(r, p->training), pre, post, gain, g);
		}
	}
	if (tables & T_ITEMS) {
		printf("\n%s\n", _("Questions"));
		printf(_("  p = proportion right; D = upper minus lower 27%% group (groups of %d); * = right option\n"),
		       r->group);
		printf("  %3s %-12s %-12s %5s %6s  %-34s %s\n", "#", "id", _("Topic"), "p", "D",
		       _("Chosen a b c d e f, blank"), _("Flags"));
		for (size_t q = 0; q < r->bank.n; q++) {
			const struct quiz_item *it = &r->items[q];
			const struct quiz_question *qq = &r->bank.q[q];
			char opts[96] = "", d[16] = "-";
			size_t k = 0;
			for (int o = 0; o < qq->noptions; o++)
				k += (size_t)snprintf(opts + k, sizeof opts - k, "%s%d ",
						      (qq->correct & (1u << o)) ? "*" : "", it->option[o]);
			snprintf(opts + k, sizeof opts - k, "- %d", it->blank);
			if (it->has_d)
				snprintf(d, sizeof d, "%.2f", it->d);
			printf("  %3zu %-12s %-12.12s %5.2f %6s  %-34s %s\n", q + 1, qq->id, qq->topic,
			       it->p, d, opts, flag_text(it->flags, buf, sizeof buf, false));
		}
		if (r->natt < QUIZ_FLAG_MIN_N)
			printf(_("  Flags need at least %d attempts.\n"), QUIZ_FLAG_MIN_N);
	}
	if (tables & T_TOPICS) {
		printf("\n%s\n", _("Topics"));
		printf("  %-20s %9s %8s\n", _("Topic"), _("Questions"), _("Mastery"));
		for (size_t i = 0; i < r->ntopics; i++)
			printf("  %-20s %9d %7.1f%%\n", r->topics[i].topic, r->topics[i].questions,
			       100 * r->topics[i].mastery);
	}
}

static void report_csv(const struct quiz_report *r, int tables)
{
	char day[DATE_BUFSZ], uuid[UUID_STRLEN], buf[128];
	bool first = true;

	if (tables & T_ATTEMPTS) {
		first = false;
		printf("name,kader,training,date,kind,bank,version,right,total,percent,pass,seconds\n");
		for (size_t i = 0; i < r->natt; i++) {
			const struct quiz_attempt *a = &r->att[i];
			csv(a->kader_name, 0);
			csv(uuid_is_zero(a->kader) ? "" : uuid_format(a->kader, uuid), 0);
			csv(quiz_report_training(r, a->training), 0);
			csv(date_format(a->day, day), 0);
			csv(quiz_kind_code(a->kind), 0);
			csv(a->bank_id, 0);
			csvi(a->bank_version, 0);
			csvi(a->right, 0);
			csvi(a->total, 0);
			csvf("%.1f", pct(a), 0);
			csv(a->pass ? "1" : "0", 0);
			csvi(a->ans.elapsed_s, 1);
		}
	}
	if (tables & T_KADER) {
		if (!first)
			putchar('\n');
		first = false;
		printf("name,training,bank,pre,post,gain,ngain\n");
		for (size_t i = 0; i < r->npairs; i++) {
			const struct quiz_pair *p = &r->pairs[i];
			bool both = p->has_pre && p->has_post;
			csv(p->name, 0);
			csv(quiz_report_training(r, p->training), 0);
			csv(p->bank, 0);
			p->has_pre ? csvf("%.1f", p->pre, 0) : csv("", 0);
			p->has_post ? csvf("%.1f", p->post, 0) : csv("", 0);
			both ? csvf("%.1f", p->g.gain, 0) : csv("", 0);
			both && p->g.has_ngain ? csvf("%.2f", p->g.ngain, 1) : csv("", 1);
		}
	}
	if (tables & T_ITEMS) {
		if (!first)
			putchar('\n');
		first = false;
		printf("question,id,topic,n,right,p,d,upper_right,lower_right,"
		       "opt_a,opt_b,opt_c,opt_d,opt_e,opt_f,blank,answer,flags\n");
		for (size_t q = 0; q < r->bank.n; q++) {
			const struct quiz_item *it = &r->items[q];
			const struct quiz_question *qq = &r->bank.q[q];
			char ans[8];
			csvi((long long)q + 1, 0);
			csv(qq->id, 0);
			csv(qq->topic, 0);
			csvi(it->n, 0);
			csvi(it->right, 0);
			csvf("%.2f", it->p, 0);
			it->has_d ? csvf("%.2f", it->d, 0) : csv("", 0);
			csvi(it->upper_right, 0);
			csvi(it->lower_right, 0);
			for (int o = 0; o < QUIZ_MAX_OPTIONS; o++)
				o < qq->noptions ? csvi(it->option[o], 0) : csv("", 0);
			csvi(it->blank, 0);
			csv(quiz_format_choice(qq->correct, ans), 0);
			csv(flag_text(it->flags, buf, sizeof buf, true), 1);
		}
	}
	if (tables & T_TOPICS) {
		if (!first)
			putchar('\n');
		printf("topic,questions,responses,right,mastery\n");
		for (size_t i = 0; i < r->ntopics; i++) {
			csv(r->topics[i].topic, 0);
			csvi(r->topics[i].questions, 0);
			csvi(r->topics[i].responses, 0);
			csvi(r->topics[i].right, 0);
			csvf("%.3f", r->topics[i].mastery, 1);
		}
	}
}

static int report_json(const struct quiz_report *r, int tables)
{
	json_t *root = json_object(), *b = json_object();
	char day[DATE_BUFSZ], uuid[UUID_STRLEN], buf[128];

	json_object_set_new(b, "id", json_string(r->bank.id));
	json_object_set_new(b, "version", json_integer(r->bank.version));
	json_object_set_new(b, "title", json_string(r->bank.title));
	json_object_set_new(b, "pass_mark", json_integer(r->bank.pass_mark));
	json_object_set_new(b, "questions", json_integer((json_int_t)r->bank.n));
	json_object_set_new(root, "bank", b);
	json_object_set_new(root, "submitted", json_integer((json_int_t)r->natt));
	json_object_set_new(root, "drafts", json_integer((json_int_t)r->drafts));
	json_object_set_new(root, "unopened", json_integer((json_int_t)r->unopened));
	if (tables & T_ATTEMPTS) {
		json_t *arr = json_array();
		for (size_t i = 0; i < r->natt; i++) {
			const struct quiz_attempt *a = &r->att[i];
			json_t *o = json_object(), *ok = json_array();
			char ans[8];
			json_object_set_new(o, "name", json_string(a->kader_name));
			if (!uuid_is_zero(a->kader))
				json_object_set_new(o, "kader", json_string(uuid_format(a->kader, uuid)));
			json_object_set_new(o, "training", json_string(quiz_report_training(r, a->training)));
			json_object_set_new(o, "date", json_string(date_format(a->day, day)));
			json_object_set_new(o, "kind", json_string(quiz_kind_code(a->kind)));
			json_object_set_new(o, "right", json_integer(a->right));
			json_object_set_new(o, "total", json_integer(a->total));
			json_object_set_new(o, "percent", json_real(round_to(pct(a), 0.1)));
			json_object_set_new(o, "pass", json_boolean(a->pass));
			json_object_set_new(o, "seconds", json_integer(a->ans.elapsed_s));
			for (int q = 0; q < a->total; q++) {
				json_t *e = json_object();
				json_object_set_new(e, "id", json_string(r->bank.q[q].id));
				json_object_set_new(e, "chosen",
						    json_string(quiz_format_choice(a->ans.chosen[q], ans)));
				json_object_set_new(e, "right", json_boolean(a->ok[q]));
				json_array_append_new(ok, e);
			}
			json_object_set_new(o, "answers", ok);
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "attempts", arr);
	}
	if (tables & T_KADER) {
		json_t *arr = json_array();
		for (size_t i = 0; i < r->npairs; i++) {
			const struct quiz_pair *p = &r->pairs[i];
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(p->name));
			json_object_set_new(o, "training", json_string(quiz_report_training(r, p->training)));
			json_object_set_new(o, "pre", p->has_pre ? json_real(round_to(p->pre, 0.1)) : json_null());
			json_object_set_new(o, "post", p->has_post ? json_real(round_to(p->post, 0.1)) : json_null());
			if (p->has_pre && p->has_post) {
				json_object_set_new(o, "gain", json_real(round_to(p->g.gain, 0.1)));
				json_object_set_new(o, "ngain", p->g.has_ngain ? json_real(round_to(p->g.ngain, 0.01))
									       : json_null());
			}
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "kader", arr);
	}
	if (tables & T_ITEMS) {
		json_t *arr = json_array();
		json_object_set_new(root, "group", json_integer(r->group));
		for (size_t q = 0; q < r->bank.n; q++) {
			const struct quiz_item *it = &r->items[q];
			const struct quiz_question *qq = &r->bank.q[q];
			json_t *o = json_object(), *opts = json_array(), *fl = json_array();
			char ans[8];
			json_object_set_new(o, "id", json_string(qq->id));
			json_object_set_new(o, "topic", json_string(qq->topic));
			json_object_set_new(o, "n", json_integer(it->n));
			json_object_set_new(o, "p", json_real(round_to(it->p, 0.01)));
			json_object_set_new(o, "d", it->has_d ? json_real(round_to(it->d, 0.01)) : json_null());
			for (int k = 0; k < qq->noptions; k++)
				json_array_append_new(opts, json_integer(it->option[k]));
			json_object_set_new(o, "chosen", opts);
			json_object_set_new(o, "blank", json_integer(it->blank));
			json_object_set_new(o, "answer", json_string(quiz_format_choice(qq->correct, ans)));
			flag_text(it->flags, buf, sizeof buf, true);
			for (char *p = buf, *semi; *p; p = semi ? semi + 1 : p + strlen(p)) {
				semi = strchr(p, ';');
				json_array_append_new(fl, json_stringn(p, semi ? (size_t)(semi - p) : strlen(p)));
			}
			json_object_set_new(o, "flags", fl);
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "items", arr);
	}
	if (tables & T_TOPICS) {
		json_t *arr = json_array();
		for (size_t i = 0; i < r->ntopics; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "topic", json_string(r->topics[i].topic));
			json_object_set_new(o, "questions", json_integer(r->topics[i].questions));
			json_object_set_new(o, "mastery", json_real(round_to(r->topics[i].mastery, 0.001)));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "topics", arr);
	}
	return print_json(root);
}

static int parse_version(const char *s)
{
	int v = atoi_checked(s);
	return v >= 1 ? v : -1;
}

static int q_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bank", required_argument, NULL, 'b' },
		{ "version", required_argument, NULL, 'v' },
		{ "training", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ "table", required_argument, NULL, 'T' },
		{ 0, 0, 0, 0 },
	};
	static const char *const tables[] = { "attempts", "kader", "items", "topics" };
	const char *bank = NULL;
	uint8_t training[16];
	bool by_training = false;
	int version = 0, kind = 0, fmt = FMT_TEXT, table = T_ALL, ch, rc;
	struct quiz_report r;
	struct err err = { 0 };

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': bank = optarg; break;
		case 'v':
			if ((version = parse_version(optarg)) < 0)
				return usage_err(quiz_usage, _("--version takes a whole number from 1"));
			break;
		case 't':
			if (uuid_parse(optarg, training) < 0)
				return usage_err(quiz_usage, _("--training takes a training's uuid (see quiz training list)"));
			by_training = true;
			break;
		case 'k':
			if ((kind = quiz_kind_from_code(optarg)) < 0)
				return usage_err(quiz_usage, _("--kind takes pre, post or practice"));
			break;
		case 'f':
			if ((fmt = cli_parse_format(optarg, 1)) < 0)
				return usage_err(quiz_usage, _("--format takes text, csv or json"));
			break;
		case 'T':
			table = 0;
			for (int i = 0; i < 4; i++)
				if (strcmp(optarg, tables[i]) == 0)
					table = 1 << i;
			if (!table)
				return usage_err(quiz_usage, _("--table takes attempts, kader, items or topics"));
			break;
		default:
			return usage_err(quiz_usage, NULL);
		}
	}
	if (optind != argc || !bank)
		return usage_err(quiz_usage, _("quiz report needs --bank ID"));
	if (quiz_report_build(c->store, bank, version, by_training ? training : NULL, kind, &r,
			      &err) < 0)
		return cli_fail(&err);
	rc = CLI_OK;
	if (fmt == FMT_TEXT)
		report_text(&r, table);
	else if (fmt == FMT_CSV)
		report_csv(&r, table);
	else
		rc = report_json(&r, table);
	if (r.unopened && fmt != FMT_TEXT)
		fprintf(stderr, _("posyandu: warning: %zu attempts cannot be opened with this device's quiz key\n"),
			r.unopened);
	quiz_report_free(&r);
	return rc;
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

static int training_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },
		{ "place", required_argument, NULL, 'p' },
		{ "trainer", required_argument, NULL, 'r' },
		{ "participant", required_argument, NULL, 'P' },
		{ 0, 0, 0, 0 },
	};
	struct quiz_training *t = calloc(1, sizeof *t);
	struct store_user *users = NULL;
	struct err err = { 0 };
	struct draft d;
	char uuid[UUID_STRLEN];
	size_t nu = 0;
	int ch, rc = CLI_OK;

	if (!t)
		return err_set(&err, ERR_NOMEM, NULL, "out of memory"), cli_fail(&err);
	t->date = DATE_NONE;
	if (store_users(c->store, &users, &nu, &err) < 0) {
		free(t);
		return cli_fail(&err);
	}
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			snprintf(t->title, sizeof t->title, "%s", optarg);
			break;
		case 'd':
			if (date_parse(optarg, &t->date, &err) < 0) {
				rc = cli_fail(&err);
				goto out;
			}
			break;
		case 'p':
			snprintf(t->place, sizeof t->place, "%s", optarg);
			break;
		case 'r':
			snprintf(t->trainer, sizeof t->trainer, "%s", optarg);
			break;
		case 'P':
			if (t->np == QUIZ_MAX_PARTICIPANTS || !*optarg ||
			    strlen(optarg) >= sizeof t->p[0].name) {
				rc = usage_err(quiz_usage, _("a participant's name has 1 to 32 characters, at most 100 participants"));
				goto out;
			}
			snprintf(t->p[t->np].name, sizeof t->p[0].name, "%s", optarg);
			for (size_t i = 0; i < nu; i++)
				if (strcmp(users[i].label, optarg) == 0)
					memcpy(t->p[t->np].user, users[i].uuid, 16);
			t->np++;
			break;
		default:
			rc = usage_err(quiz_usage, NULL);
			goto out;
		}
	}
	if (optind != argc || !t->title[0] || t->date == DATE_NONE) {
		rc = usage_err(quiz_usage, _("quiz training add needs --title and --date"));
		goto out;
	}
	store_draft_new(&d);
	if (quizstore_training_put(c->store, &d, t, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	printf("%s\n", uuid_format(t->uuid, uuid));
out:
	free(users);
	free(t);
	return rc;
}

static int training_list(struct cli *c)
{
	struct quiz_training *list;
	struct err err = { 0 };
	char uuid[UUID_STRLEN], day[DATE_BUFSZ];
	size_t n;

	if (quizstore_trainings(c->store, &list, &n, &err) < 0)
		return cli_fail(&err);
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
	return CLI_OK;
}

static int q_training(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return training_add(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return training_list(c);
	return usage_err(quiz_usage, NULL);
}

/* The options shared by start, stop and sheet. */
struct run_args {
	const char *training, *bank;
	int version, kind;
	const char *file;
};

static int parse_run_args(int argc, char **argv, struct run_args *ra, bool allow_file)
{
	static const struct option opts[] = {
		{ "training", required_argument, NULL, 't' },
		{ "bank", required_argument, NULL, 'b' },
		{ "version", required_argument, NULL, 'v' },
		{ "kind", required_argument, NULL, 'k' },
		{ 0, 0, 0, 0 },
	};
	int ch;

	memset(ra, 0, sizeof *ra);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': ra->training = optarg; break;
		case 'b': ra->bank = optarg; break;
		case 'v':
			if ((ra->version = parse_version(optarg)) < 0)
				return usage_err(quiz_usage, _("--version takes a whole number from 1"));
			break;
		case 'k':
			if ((ra->kind = quiz_kind_from_code(optarg)) < 0)
				return usage_err(quiz_usage, _("--kind takes pre, post or practice"));
			break;
		default:
			return usage_err(quiz_usage, NULL);
		}
	}
	if (allow_file && optind == argc - 1)
		ra->file = argv[optind++];
	if (optind != argc || !ra->training || !ra->bank || !ra->kind)
		return usage_err(quiz_usage, _("this needs --training, --bank and --kind"));
	return CLI_OK;
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

static int q_start_stop(struct cli *c, int argc, char **argv, bool open)
{
	struct run_args ra;
	struct quiz_training *all = NULL, *t;
	struct quiz_bank b;
	struct quiz_run *run;
	struct err err = { 0 };
	struct draft d;
	uint8_t bank_uuid[16];
	size_t n;
	int rc;

	if ((rc = parse_run_args(argc, argv, &ra, false)) != CLI_OK)
		return rc;
	if (!(t = find_training(c->store, ra.training, &all, &n, &err))) {
		free(all);
		return cli_fail(&err);
	}
	if (quizstore_bank_get(c->store, ra.bank, ra.version, &b, bank_uuid, &err) < 0) {
		free(all);
		return cli_fail(&err);
	}
	if (!(run = run_of(t, &b, bank_uuid, ra.kind))) {
		err_set(&err, ERR_RANGE, NULL, "at most %d runs per training", QUIZ_MAX_RUNS);
		rc = cli_fail(&err);
	} else {
		run->open = open;
		if (store_draft_edit(c->store, &d, t->uuid, &err) < 0 ||
		    quizstore_training_put(c->store, &d, t, &err) < 0)
			rc = cli_fail(&err);
		else
			printf(open ? _("%s of %s version %d is open for the participants of \"%s\"\n")
				    : _("%s of %s version %d is closed for \"%s\"\n"),
			       _(quiz_kind_label(ra.kind)), b.id, b.version, t->title);
	}
	quiz_bank_free(&b);
	free(all);
	return rc;
}

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

static int q_sheet(struct cli *c, int argc, char **argv)
{
	struct run_args ra;
	struct quiz_training *all = NULL, *t;
	struct quiz_bank b;
	struct quiz_attempt *sheets = NULL;
	struct err err = { 0 };
	struct draft d;
	uint8_t bank_uuid[16];
	size_t n, ns = 0, cap = 0, linecap = 0;
	char *line = NULL;
	ssize_t len;
	int rc, lineno = 0, bad = 0;
	FILE *in;

	if ((rc = parse_run_args(argc, argv, &ra, true)) != CLI_OK)
		return rc;
	if (!(t = find_training(c->store, ra.training, &all, &n, &err))) {
		free(all);
		return cli_fail(&err);
	}
	if (quizstore_bank_get(c->store, ra.bank, ra.version, &b, bank_uuid, &err) < 0) {
		free(all);
		return cli_fail(&err);
	}
	if (!(in = ra.file ? fopen(ra.file, "r") : stdin)) {
		err_set(&err, ERR_IO, "quiz-file", "%s", ra.file);
		rc = cli_fail(&err);
		goto out;
	}
	/* Check every line first: a bad line saves nothing. */
	while ((len = getline(&line, &linecap, in)) >= 0) {
		char *name, *answers;
		struct quiz_attempt *a;
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (split_sheet_line(line, &name, &answers) < 0) {
			fprintf(stderr, _("posyandu: line %d: write NAME, a tab or ':', then the answers\n"), lineno);
			bad++;
			continue;
		}
		{
			bool found = false;
			for (size_t i = 0; i < t->np && !found; i++)
				found = strcmp(t->p[i].name, name) == 0;
			if (!found) {
				fprintf(stderr, _("posyandu: line %d: %s is not a participant of this training\n"),
					lineno, name);
				bad++;
				continue;
			}
		}
		if (ns == cap) {
			struct quiz_attempt *g = realloc(sheets, (cap = cap ? cap * 2 : 16) * sizeof *g);
			if (!g) {
				err_set(&err, ERR_NOMEM, NULL, "out of memory");
				rc = cli_fail(&err);
				goto out;
			}
			sheets = g;
		}
		a = &sheets[ns];
		memset(a, 0, sizeof *a);
		if (quiz_sheet_parse(&b, answers, &a->ans, &err) < 0) {
			char msg[512];
			fprintf(stderr, _("posyandu: line %d: %s\n"), lineno, msg_err(&err, msg, sizeof msg));
			bad++;
			continue;
		}
		memcpy(a->bank, bank_uuid, 16);
		snprintf(a->bank_id, sizeof a->bank_id, "%s", b.id);
		a->bank_version = b.version;
		memcpy(a->training, t->uuid, 16);
		a->kind = ra.kind;
		snprintf(a->kader_name, sizeof a->kader_name, "%s", name);
		for (size_t i = 0; i < t->np; i++)
			if (strcmp(t->p[i].name, name) == 0)
				memcpy(a->kader, t->p[i].user, 16);
		a->day = t->date;
		ns++;
	}
	if (bad) {
		fprintf(stderr, _("posyandu: %d line(s) with problems; no answer sheet was saved\n"), bad);
		rc = CLI_ERROR;
		goto out;
	}
	/* The run shows in the training (closed when it is new: the answers
	 * came on paper). */
	{
		size_t before = t->nruns;
		if (run_of(t, &b, bank_uuid, ra.kind) && t->nruns != before &&
		    (store_draft_edit(c->store, &d, t->uuid, &err) < 0 ||
		     quizstore_training_put(c->store, &d, t, &err) < 0)) {
			rc = cli_fail(&err);
			goto out;
		}
	}
	for (size_t i = 0; i < ns; i++) {
		struct quiz_attempt *a = &sheets[i];
		if (quizstore_attempt_save(c->store, a, &b, true, &err) < 0) {
			char msg[512];
			fprintf(stderr, _("posyandu: %s: not saved: %s\n"), a->kader_name,
				msg_err(&err, msg, sizeof msg));
			rc = CLI_ERROR;
			continue;
		}
		printf("%s\t%d/%d\t%.1f%%\t%s\n", a->kader_name, a->right, a->total, pct(a),
		       a->pass ? _("pass") : _("fail"));
	}
out:
	if (in && in != stdin)
		fclose(in);
	free(line);
	quizstore_attempts_free(sheets, ns);
	quiz_bank_free(&b);
	free(all);
	return rc;
}

/* ================================================================ */
/* Dispatch                                                         */
/* ================================================================ */

static int q_start(struct cli *c, int argc, char **argv) { return q_start_stop(c, argc, argv, true); }
static int q_stop(struct cli *c, int argc, char **argv) { return q_start_stop(c, argc, argv, false); }

static const struct {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
} quiz_subs[] = {
	{ "import", q_import }, { "list", q_list }, { "report", q_report },
	{ "training", q_training }, { "start", q_start }, { "stop", q_stop },
	{ "sheet", q_sheet },
};

int cli_quiz(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_err(quiz_usage, NULL);
	for (size_t i = 0; i < sizeof quiz_subs / sizeof quiz_subs[0]; i++)
		if (strcmp(argv[1], quiz_subs[i].name) == 0)
			return quiz_subs[i].fn(c, argc - 1, argv + 1);
	return usage_err(quiz_usage, NULL);
}

/* ================================================================ */
/* report kader                                                     */
/* ================================================================ */

static int by_row_name(const void *x, const void *y)
{
	const struct roster_row *a = x, *b = y;
	int r = strcoll(a->name, b->name);
	return r ? r : memcmp(a->user, b->user, 16);
}

int quiz_roster_report(struct store *s, long utc_offset, int32_t today,
		       struct roster_row **rows_out, size_t *nrows, struct err *err)
{
	struct store_user *users = NULL;
	struct audit_entry *audit = NULL;
	struct quiz_training *tr = NULL;
	struct quiz_attempt *att = NULL;
	struct roster_event *ev = NULL;
	struct roster_row *rows = NULL;
	struct session *sess = NULL;
	size_t nu = 0, na = 0, nt = 0, nat = 0, ns = 0, nev = 0, cap, n;
	int rc = -1;

	*rows_out = NULL;
	*nrows = 0;
	if (store_users(s, &users, &nu, err) < 0 || store_audit_list(s, &audit, &na, err) < 0 ||
	    quizstore_trainings(s, &tr, &nt, err) < 0 ||
	    quizstore_attempts(s, NULL, true, &att, &nat, err) < 0 ||
	    store_sessions(s, &sess, &ns, err) < 0)
		goto out;
	cap = na + nat + 1;
	for (size_t i = 0; i < nt; i++)
		cap += tr[i].np;
	for (size_t i = 0; i < ns; i++)
		cap += (size_t)sess[i].n_kader;
	if (!(ev = calloc(cap, sizeof *ev)) || !(rows = calloc(nu + cap, sizeof *rows))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	/* An account made or a login, from the audit log (AUDIT_USER_ADD names
	 * the new user as its object; AUDIT_LOGIN the user who logged in). */
	for (size_t i = 0; i < na; i++) {
		const char *what = audit_action_name(audit[i].action);
		int kind = strcmp(what, "user-add") == 0 ? ROSTER_ADDED
			   : strcmp(what, "login") == 0 ? ROSTER_LOGIN : 0;
		if (!kind)
			continue;
		ev[nev].kind = kind;
		memcpy(ev[nev].user, audit[i].object, 16);
		ev[nev].day = date_from_unix(audit[i].time + utc_offset);
		nev++;
	}
	for (size_t i = 0; i < nt; i++)
		for (size_t k = 0; k < tr[i].np; k++) {
			ev[nev].kind = ROSTER_TRAINING;
			memcpy(ev[nev].user, tr[i].p[k].user, 16);
			snprintf(ev[nev].name, sizeof ev[0].name, "%s", tr[i].p[k].name);
			ev[nev].day = tr[i].date;
			nev++;
		}
	/* Sessions on duty: the kader named in each opening day (the desk). */
	for (size_t i = 0; i < ns; i++)
		for (int k = 0; k < sess[i].n_kader && k < SESSION_MAX_KADER; k++) {
			ev[nev].kind = ROSTER_DUTY;
			memcpy(ev[nev].user, sess[i].kader[k], 16);
			ev[nev].day = sess[i].date;
			nev++;
		}
	for (size_t i = 0; i < nat; i++) {
		const struct quiz_attempt *a = &att[i];
		if (a->status != QUIZ_SUBMITTED || !a->opened)
			continue;
		ev[nev].kind = ROSTER_ATTEMPT;
		memcpy(ev[nev].user, a->kader, 16);
		snprintf(ev[nev].name, sizeof ev[0].name, "%s", a->kader_name);
		ev[nev].day = a->day;
		snprintf(ev[nev].bank, sizeof ev[0].bank, "%s", a->bank_id);
		ev[nev].qkind = a->kind;
		ev[nev].percent = pct(a);
		ev[nev].pass = a->pass;
		nev++;
	}
	for (size_t i = 0; i < nu; i++) {
		memcpy(rows[i].user, users[i].uuid, 16);
		snprintf(rows[i].name, sizeof rows[i].name, "%s", users[i].label);
		rows[i].role = users[i].role;
		rows[i].disabled = users[i].disabled;
	}
	n = nu;
	quiz_roster_build(rows, &n, nu + cap, ev, nev, today);
	qsort(rows, n, sizeof *rows, by_row_name);
	*rows_out = rows;
	*nrows = n;
	rows = NULL;
	rc = 0;
out:
	free(users);
	free(audit);
	free(tr);
	free(sess);
	quizstore_attempts_free(att, nat);
	free(ev);
	free(rows);
	return rc;
}

static const char *role_text(int role)
{
	return role ? role_code((enum role)role) : "-";
}

static const char *status_code(const struct roster_row *r)
{
	return r->disabled ? "disabled" : r->inactive ? "inactive" : "active";
}

/* One person's history: every submitted test, then pre/post per training. */
static int kader_history(struct cli *c, const char *name, int fmt)
{
	struct store_user *users;
	struct quiz_history h;
	struct err err = { 0 };
	uint8_t user[16] = { 0 };
	char day[DATE_BUFSZ], t[16];
	size_t nu;

	if (store_users(c->store, &users, &nu, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < nu; i++)
		if (strcmp(users[i].label, name) == 0)
			memcpy(user, users[i].uuid, 16);
	free(users);
	if (quiz_history_build(c->store, user, name, &h, &err) < 0)
		return cli_fail(&err);
	if (fmt == FMT_CSV) {
		printf("date,training,bank,version,kind,right,total,percent,pass,seconds\n");
		for (size_t i = 0; i < h.natt; i++) {
			const struct quiz_attempt *a = &h.att[i];
			csv(date_format(a->day, day), 0);
			csv(quiz_history_training(&h, a->training), 0);
			csv(a->bank_id, 0);
			csvi(a->bank_version, 0);
			csv(quiz_kind_code(a->kind), 0);
			csvi(a->right, 0);
			csvi(a->total, 0);
			csvf("%.1f", pct(a), 0);
			csv(a->pass ? "1" : "0", 0);
			csvi(a->ans.elapsed_s, 1);
		}
	} else if (fmt == FMT_JSON) {
		json_t *root = json_object(), *arr = json_array(), *pairs = json_array();
		json_object_set_new(root, "name", json_string(name));
		for (size_t i = 0; i < h.natt; i++) {
			const struct quiz_attempt *a = &h.att[i];
			json_t *o = json_object();
			json_object_set_new(o, "date", json_string(date_format(a->day, day)));
			json_object_set_new(o, "training", json_string(quiz_history_training(&h, a->training)));
			json_object_set_new(o, "bank", json_string(a->bank_id));
			json_object_set_new(o, "version", json_integer(a->bank_version));
			json_object_set_new(o, "kind", json_string(quiz_kind_code(a->kind)));
			json_object_set_new(o, "percent", json_real(round_to(pct(a), 0.1)));
			json_object_set_new(o, "pass", json_boolean(a->pass));
			json_array_append_new(arr, o);
		}
		for (size_t i = 0; i < h.npairs; i++) {
			const struct quiz_pair *p = &h.pairs[i];
			json_t *o = json_object();
			json_object_set_new(o, "training", json_string(quiz_history_training(&h, p->training)));
			json_object_set_new(o, "bank", json_string(p->bank));
			json_object_set_new(o, "pre", p->has_pre ? json_real(round_to(p->pre, 0.1)) : json_null());
			json_object_set_new(o, "post", p->has_post ? json_real(round_to(p->post, 0.1)) : json_null());
			json_object_set_new(o, "gain", p->has_pre && p->has_post ? json_real(round_to(p->g.gain, 0.1)) : json_null());
			json_object_set_new(o, "ngain", p->has_pre && p->has_post && p->g.has_ngain
							 ? json_real(round_to(p->g.ngain, 0.01)) : json_null());
			json_array_append_new(pairs, o);
		}
		json_object_set_new(root, "attempts", arr);
		json_object_set_new(root, "pre_post", pairs);
		quiz_history_free(&h);
		return print_json(root);
	} else {
		printf("%s\n", name);
		printf("  %-10s %-24s %-18s %-10s %7s %-11s %6s\n", _("Date"), _("Training"),
		       _("Question bank"), _("Test"), _("Score"), _("Result"), _("Time"));
		for (size_t i = 0; i < h.natt; i++) {
			const struct quiz_attempt *a = &h.att[i];
			char bank[48];
			snprintf(bank, sizeof bank, "%s v%d", a->bank_id, a->bank_version);
			printf("  %-10s %-24.24s %-18s %-10s %6.1f%% %-11s %6s\n", date_format(a->day, day),
			       quiz_history_training(&h, a->training), bank, _(quiz_kind_label(a->kind)),
			       pct(a), a->pass ? _("pass") : _("fail"),
			       a->ans.elapsed_s ? quiz_fmt_time(a->ans.elapsed_s, t) : "-");
		}
		printf("\n  %-24s %-18s %7s %7s %7s %6s\n", _("Training"), _("Question bank"), _("Pre"),
		       _("Post"), _("Gain"), "g");
		for (size_t i = 0; i < h.npairs; i++) {
			const struct quiz_pair *p = &h.pairs[i];
			char pre[16] = "-", post[16] = "-", gain[16] = "-", g[16] = "-";
			if (p->has_pre)
				snprintf(pre, sizeof pre, "%.1f%%", p->pre);
			if (p->has_post)
				snprintf(post, sizeof post, "%.1f%%", p->post);
			if (p->has_pre && p->has_post) {
				snprintf(gain, sizeof gain, "%+.1f", p->g.gain);
				if (p->g.has_ngain)
					snprintf(g, sizeof g, "%.2f", p->g.ngain);
			}
			printf("  %-24.24s %-18s %7s %7s %7s %6s\n", quiz_history_training(&h, p->training),
			       p->bank, pre, post, gain, g);
		}
	}
	quiz_history_free(&h);
	return CLI_OK;
}

static const char report_kader_usage[] =
	"  posyandu [OPTIONS] report kader [--name NAME] [--format text|csv|json]\n";

static int report_kader(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ 0, 0, 0, 0 },
	};
	struct roster_row *rows;
	struct err err = { 0 };
	const char *name = NULL;
	int fmt = FMT_TEXT, ch;
	size_t n;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch != 'f' || (fmt = cli_parse_format(optarg, 1)) < 0)
			return usage_err(report_kader_usage, NULL);
	}
	if (optind != argc)
		return usage_err(report_kader_usage, NULL);
	if (name)
		return kader_history(c, name, fmt);
	if (quiz_roster_report(c->store, c->utc_offset, today_of(c), &rows, &n, &err) < 0)
		return cli_fail(&err);
	if (fmt == FMT_TEXT) {
		printf("%-20s %-8s %-10s %7s %9s %-10s %-24s %-10s %s\n", _("Name"), _("Role"), _("Started"),
		       _("On duty"), _("Trainings"), _("Last training"), _("Last score"), _("Last active"),
		       _("Status"));
		for (size_t i = 0; i < n; i++) {
			const struct roster_row *r = &rows[i];
			char start[DATE_BUFSZ] = "-", last[DATE_BUFSZ] = "-", act[DATE_BUFSZ] = "-";
			char score[64] = "-";
			if (r->start != DATE_NONE)
				date_format(r->start, start);
			if (r->last_training != DATE_NONE)
				date_format(r->last_training, last);
			if (r->last_active != DATE_NONE)
				date_format(r->last_active, act);
			if (r->has_score)
				snprintf(score, sizeof score, "%s %s %.0f%% %s", r->bank, quiz_kind_code(r->qkind),
					 r->percent, r->pass ? _("pass") : _("fail"));
			printf("%-20s %-8s %-10s %7d %9d %-10s %-24s %-10s %s\n", r->name, role_text(r->role),
			       start, r->duty, r->trainings, last, score, act,
			       r->disabled ? _("disabled")
			       : r->inactive ? _("not active for 3 months") : _("active"));
		}
	} else if (fmt == FMT_CSV) {
		printf("name,role,start,duty,last_duty,trainings,last_training,bank,kind,percent,pass,"
		       "last_active,status\n");
		for (size_t i = 0; i < n; i++) {
			const struct roster_row *r = &rows[i];
			char d1[DATE_BUFSZ] = "", d2[DATE_BUFSZ] = "", d3[DATE_BUFSZ] = "", d4[DATE_BUFSZ] = "";
			csv(r->name, 0);
			csv(role_text(r->role), 0);
			csv(r->start != DATE_NONE ? date_format(r->start, d1) : "", 0);
			csvi(r->duty, 0);
			csv(r->last_duty != DATE_NONE ? date_format(r->last_duty, d4) : "", 0);
			csvi(r->trainings, 0);
			csv(r->last_training != DATE_NONE ? date_format(r->last_training, d2) : "", 0);
			csv(r->has_score ? r->bank : "", 0);
			csv(r->has_score ? quiz_kind_code(r->qkind) : "", 0);
			r->has_score ? csvf("%.1f", r->percent, 0) : csv("", 0);
			csv(r->has_score ? (r->pass ? "1" : "0") : "", 0);
			csv(r->last_active != DATE_NONE ? date_format(r->last_active, d3) : "", 0);
			csv(status_code(r), 1);
		}
	} else {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct roster_row *r = &rows[i];
			json_t *o = json_object();
			char day[DATE_BUFSZ];
			json_object_set_new(o, "name", json_string(r->name));
			json_object_set_new(o, "role", json_string(role_text(r->role)));
			json_object_set_new(o, "start", r->start != DATE_NONE ? json_string(date_format(r->start, day)) : json_null());
			json_object_set_new(o, "duty", json_integer(r->duty));
			json_object_set_new(o, "last_duty", r->last_duty != DATE_NONE ? json_string(date_format(r->last_duty, day)) : json_null());
			json_object_set_new(o, "trainings", json_integer(r->trainings));
			json_object_set_new(o, "last_training", r->last_training != DATE_NONE ? json_string(date_format(r->last_training, day)) : json_null());
			if (r->has_score) {
				json_t *sc = json_object();
				json_object_set_new(sc, "bank", json_string(r->bank));
				json_object_set_new(sc, "kind", json_string(quiz_kind_code(r->qkind)));
				json_object_set_new(sc, "percent", json_real(round_to(r->percent, 0.1)));
				json_object_set_new(sc, "pass", json_boolean(r->pass));
				json_object_set_new(o, "last_score", sc);
			} else {
				json_object_set_new(o, "last_score", json_null());
			}
			json_object_set_new(o, "last_active", r->last_active != DATE_NONE ? json_string(date_format(r->last_active, day)) : json_null());
			json_object_set_new(o, "status", json_string(status_code(r)));
			json_array_append_new(arr, o);
		}
		free(rows);
		return print_json(arr);
	}
	free(rows);
	return CLI_OK;
}

/* `report` subcommands: one row each. Other reports (monthly, followup,
 * sessions) add a row here with their own function. */
static const struct {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *usage;
} report_subs[] = {
	{ "kader", report_kader, "report kader [--name NAME] [--format text|csv|json]" },
	/* issue 5, tui/cli_report.c */
	{ "monthly", cli_report_monthly, "report monthly --month YYYY-MM [--format text|csv|json]" },
	{ "followup", cli_report_followup, "report followup [--month YYYY-MM] [--format text|csv|json]" },
	{ "sessions", cli_report_sessions,
	  "report sessions --from YYYY-MM --to YYYY-MM [--format text|csv|json]" },
	{ "trend", cli_report_trend, "report trend [--month YYYY-MM] [--format text|csv|json]" },
};

int cli_report(struct cli *c, int argc, char **argv)
{
	size_t i, nsub = sizeof report_subs / sizeof report_subs[0];

	if (argc >= 2)
		for (i = 0; i < nsub; i++)
			if (strcmp(argv[1], report_subs[i].name) == 0)
				return report_subs[i].fn(c, argc - 1, argv + 1);
	if (argc >= 2)
		fprintf(stderr, _("posyandu: unknown report \"%s\"\n"), argv[1]);
	for (i = 0; i < nsub; i++)
		fprintf(stderr, "  posyandu [OPTIONS] %s\n", report_subs[i].usage);
	return CLI_USAGE;
}
