/* cli/quiz_report.c: `posyandu quiz report` (attempts, pre/post gain,
 * item analysis, topics as text, CSV or JSON) and `posyandu report kader`
 * (the kader roster, or one person's history); app/quiz_view.c assembles
 * what they print.
 *
 * CSV and JSON output is for scripts and stays in English; the text
 * tables are in the UI language. */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "app/quiz_view.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "app/out.h"
#include "storage/clock.h"
#include "core/banned.h"


/* X rounded to UNIT as a JSON number, or null without HAS. */
static json_t *jround(bool has, double x, double unit)
{
	return has ? json_real(out_round(x, unit)) : json_null();
}

/* P's pre, post, gain and ngain into O (gain and ngain null without both
 * tests; left out then unless ALWAYS); returns O. */
static json_t *json_pair(json_t *o, const struct quiz_pair *p, bool always)
{
	bool both = p->has_pre && p->has_post;
	json_object_set_new(o, "pre", jround(p->has_pre, p->pre, 0.1));
	json_object_set_new(o, "post", jround(p->has_post, p->post, 0.1));
	if (both || always) {
		json_object_set_new(o, "gain", jround(both, p->g.gain, 0.1));
		json_object_set_new(o, "ngain", jround(both && p->g.has_ngain, p->g.ngain, 0.01));
	}
	return o;
}

/* ================================================================ */
/* quiz report                                                      */
/* ================================================================ */

enum { T_ATTEMPTS = 1, T_KADER = 2, T_ITEMS = 4, T_TOPICS = 8, T_POSYANDU = 16, T_ALL = 31 };

/* A mean in percent or gain of a posyandu row: "72.5%" / "+12.0", or "-"
 * when no one has it; into BUF of 16 bytes. */
static const char *pos_cell(int n, double x, bool gain, char *buf)
{
	if (!n)
		snprintf(buf, 16, "-");
	else
		snprintf(buf, 16, gain ? "%+.1f" : "%.1f%%", x);
	return buf;
}

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

static void report_text(const struct quiz_report *r, int tables, const char *posyandu)
{
	char day[DATE_BUFSZ], t[16], buf[128];

	printf(_("Bank %s version %d: %s\n"), r->bank.id, r->bank.version, r->bank.title);
	if (posyandu && posyandu[0])
		printf(_("Participants of posyandu %s only\n"), posyandu);
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
		printf("  %-32s %-10s %-10s %7s %-6s %6s  %s\n", _("Name"), _("Date"), _("Test"),
		       _("Score"), _("Result"), _("Time"), _("Training"));
		for (size_t i = 0; i < r->natt; i++) {
			const struct quiz_attempt *a = &r->att[i];
			char who[96];
			printf("  %-32s %-10s %-10s %6.1f%% %-6s %6s  %s\n",
			       quiz_report_who(r, a->training, a->participant, a->kader_name, a->posyandu,
					       who, sizeof who),
			       date_format(a->day, day), _(quiz_kind_label(a->kind)), quiz_attempt_pct(a),
			       a->pass ? _("pass") : _("fail"), quiz_fmt_time(a->ans.elapsed_s, t),
			       quiz_report_training(r, a->training));
		}
	}
	if (tables & T_KADER) {
		printf("\n%s\n", _("Pre-test and post-test per kader"));
		printf("  %-32s %-24s %7s %7s %7s %6s\n", _("Name"), _("Training"), _("Pre"), _("Post"),
		       _("Gain"), "g");
		for (size_t i = 0; i < r->npairs; i++) {
			const struct quiz_pair *p = &r->pairs[i];
			char pre[16], post[16], gain[16], g[16], who[96];
			quiz_pair_cells(p, pre, post, gain, g);
			printf("  %-32s %-24.24s %7s %7s %7s %6s\n",
			       quiz_report_who(r, p->training, p->participant, p->name, p->posyandu, who,
					       sizeof who),
			       quiz_report_training(r, p->training), pre, post, gain, g);
		}
	}
	if (tables & T_POSYANDU) {
		printf("\n%s\n", _("Pre-test and post-test per posyandu"));
		printf("  %-16s %6s %9s %9s %9s %8s\n", _("Posyandu"), _("People"), _("Pre"), _("Post"),
		       _("Gain"), _("Passed"));
		for (size_t i = 0; i < r->npos; i++) {
			const struct quiz_posyandu *x = &r->pos[i];
			char pre[16], post[16], gain[16], passed[24];
			snprintf(passed, sizeof passed, "%d/%d", x->post_passed, x->post_n);
			printf("  %-16s %6d %9s %9s %9s %8s\n", x->code[0] ? x->code : "-", x->people,
			       pos_cell(x->pre_n, x->pre_mean, false, pre),
			       pos_cell(x->post_n, x->post_mean, false, post),
			       pos_cell(x->both_n, x->gain_mean, true, gain), passed);
		}
		printf("%s\n", _("  Means over the people with that test; the gain over those with both."));
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
			char opts[96], d[16];
			quiz_item_cells(qq, it, opts, sizeof opts, d);
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
		printf("name,kader,training,date,kind,bank,version,right,total,percent,pass,seconds,"
		       "posyandu,participant,number\n");
		for (size_t i = 0; i < r->natt; i++) {
			const struct quiz_attempt *a = &r->att[i];
			out_csv_cell(stdout, a->kader_name, 0);
			out_csv_cell(stdout, uuid_is_zero(a->kader) ? "" : uuid_format(a->kader, uuid), 0);
			out_csv_cell(stdout, quiz_report_training(r, a->training), 0);
			out_csv_cell(stdout, date_format(a->day, day), 0);
			out_csv_cell(stdout, quiz_kind_code(a->kind), 0);
			out_csv_cell(stdout, a->bank_id, 0);
			out_csv_int(stdout, a->bank_version, 0);
			out_csv_int(stdout, a->right, 0);
			out_csv_int(stdout, a->total, 0);
			out_csv_num(stdout, "%.1f", quiz_attempt_pct(a), 0);
			out_csv_cell(stdout, a->pass ? "1" : "0", 0);
			out_csv_int(stdout, a->ans.elapsed_s, 0);
			out_csv_cell(stdout, a->posyandu, 0);
			out_csv_cell(stdout, uuid_is_zero(a->participant) ? "" : uuid_format(a->participant, uuid), 0);
			out_csv_int(stdout, quiz_report_no(r, a->training, a->participant), 1);
		}
	}
	if (tables & T_KADER) {
		if (!first)
			putchar('\n');
		first = false;
		printf("name,training,bank,pre,post,gain,ngain,posyandu,participant\n");
		for (size_t i = 0; i < r->npairs; i++) {
			const struct quiz_pair *p = &r->pairs[i];
			bool both = p->has_pre && p->has_post;
			out_csv_cell(stdout, p->name, 0);
			out_csv_cell(stdout, quiz_report_training(r, p->training), 0);
			out_csv_cell(stdout, p->bank, 0);
			p->has_pre ? out_csv_num(stdout, "%.1f", p->pre, 0) : out_csv_cell(stdout, "", 0);
			p->has_post ? out_csv_num(stdout, "%.1f", p->post, 0) : out_csv_cell(stdout, "", 0);
			both ? out_csv_num(stdout, "%.1f", p->g.gain, 0) : out_csv_cell(stdout, "", 0);
			both && p->g.has_ngain ? out_csv_num(stdout, "%.2f", p->g.ngain, 0) : out_csv_cell(stdout, "", 0);
			out_csv_cell(stdout, p->posyandu, 0);
			out_csv_cell(stdout, uuid_is_zero(p->participant) ? "" : uuid_format(p->participant, uuid), 1);
		}
	}
	if (tables & T_POSYANDU) {
		if (!first)
			putchar('\n');
		first = false;
		printf("posyandu,people,pre_n,pre_mean,post_n,post_mean,both_n,gain_mean,post_passed\n");
		for (size_t i = 0; i < r->npos; i++) {
			const struct quiz_posyandu *x = &r->pos[i];
			out_csv_cell(stdout, x->code, 0);
			out_csv_int(stdout, x->people, 0);
			out_csv_int(stdout, x->pre_n, 0);
			x->pre_n ? out_csv_num(stdout, "%.1f", x->pre_mean, 0) : out_csv_cell(stdout, "", 0);
			out_csv_int(stdout, x->post_n, 0);
			x->post_n ? out_csv_num(stdout, "%.1f", x->post_mean, 0) : out_csv_cell(stdout, "", 0);
			out_csv_int(stdout, x->both_n, 0);
			x->both_n ? out_csv_num(stdout, "%.1f", x->gain_mean, 0) : out_csv_cell(stdout, "", 0);
			out_csv_int(stdout, x->post_passed, 1);
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
			out_csv_int(stdout, (long long)q + 1, 0);
			out_csv_cell(stdout, qq->id, 0);
			out_csv_cell(stdout, qq->topic, 0);
			out_csv_int(stdout, it->n, 0);
			out_csv_int(stdout, it->right, 0);
			out_csv_num(stdout, "%.2f", it->p, 0);
			it->has_d ? out_csv_num(stdout, "%.2f", it->d, 0) : out_csv_cell(stdout, "", 0);
			out_csv_int(stdout, it->upper_right, 0);
			out_csv_int(stdout, it->lower_right, 0);
			for (int o = 0; o < QUIZ_MAX_OPTIONS; o++)
				o < qq->noptions ? out_csv_int(stdout, it->option[o], 0) : out_csv_cell(stdout, "", 0);
			out_csv_int(stdout, it->blank, 0);
			out_csv_cell(stdout, quiz_format_choice(qq->correct, ans), 0);
			out_csv_cell(stdout, flag_text(it->flags, buf, sizeof buf, true), 1);
		}
	}
	if (tables & T_TOPICS) {
		if (!first)
			putchar('\n');
		printf("topic,questions,responses,right,mastery\n");
		for (size_t i = 0; i < r->ntopics; i++) {
			out_csv_cell(stdout, r->topics[i].topic, 0);
			out_csv_int(stdout, r->topics[i].questions, 0);
			out_csv_int(stdout, r->topics[i].responses, 0);
			out_csv_int(stdout, r->topics[i].right, 0);
			out_csv_num(stdout, "%.3f", r->topics[i].mastery, 1);
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
			json_object_set_new(o, "posyandu", a->posyandu[0] ? json_string(a->posyandu) : json_null());
			if (!uuid_is_zero(a->participant))
				json_object_set_new(o, "participant", json_string(uuid_format(a->participant, uuid)));
			json_object_set_new(o, "number", json_integer(quiz_report_no(r, a->training, a->participant)));
			json_object_set_new(o, "training", json_string(quiz_report_training(r, a->training)));
			json_object_set_new(o, "date", json_string(date_format(a->day, day)));
			json_object_set_new(o, "kind", json_string(quiz_kind_code(a->kind)));
			json_object_set_new(o, "right", json_integer(a->right));
			json_object_set_new(o, "total", json_integer(a->total));
			json_object_set_new(o, "percent", json_real(out_round(quiz_attempt_pct(a), 0.1)));
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
			json_object_set_new(o, "posyandu", p->posyandu[0] ? json_string(p->posyandu) : json_null());
			if (!uuid_is_zero(p->participant))
				json_object_set_new(o, "participant", json_string(uuid_format(p->participant, uuid)));
			json_object_set_new(o, "training", json_string(quiz_report_training(r, p->training)));
			json_array_append_new(arr, json_pair(o, p, false));
		}
		json_object_set_new(root, "kader", arr);
	}
	if (tables & T_POSYANDU) {
		json_t *arr = json_array();
		for (size_t i = 0; i < r->npos; i++) {
			const struct quiz_posyandu *x = &r->pos[i];
			json_t *o = json_object();
			json_object_set_new(o, "posyandu", x->code[0] ? json_string(x->code) : json_null());
			json_object_set_new(o, "people", json_integer(x->people));
			json_object_set_new(o, "pre_n", json_integer(x->pre_n));
			json_object_set_new(o, "pre_mean", jround(x->pre_n, x->pre_mean, 0.1));
			json_object_set_new(o, "post_n", json_integer(x->post_n));
			json_object_set_new(o, "post_mean", jround(x->post_n, x->post_mean, 0.1));
			json_object_set_new(o, "both_n", json_integer(x->both_n));
			json_object_set_new(o, "gain_mean", jround(x->both_n, x->gain_mean, 0.1));
			json_object_set_new(o, "post_passed", json_integer(x->post_passed));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "posyandu", arr);
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
			json_object_set_new(o, "p", json_real(out_round(it->p, 0.01)));
			json_object_set_new(o, "d", jround(it->has_d, it->d, 0.01));
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
			json_object_set_new(o, "mastery", json_real(out_round(r->topics[i].mastery, 0.001)));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "topics", arr);
	}
	return out_json_print(root);
}

int cli_quiz_report(struct app *c, int argc, char **argv)
{
	static const char *const tables[] = { "attempts", "kader", "items", "topics", "posyandu" };
	const char *bank = NULL, *val = NULL, *code = NULL;
	const struct app_opt opts[] = { { "bank", &bank, 0 }, { "version", &val, 0 },
					{ "training", &val, 0 }, { "kind", &val, 0 },
					{ "format", &val, 0 }, { "table", &val, 0 },
					{ "posyandu", &code, 0 }, { 0 } };
	uint8_t training[16];
	bool by_training = false;
	int version = 0, kind = 0, fmt = APP_FMT_TEXT, table = T_ALL, i, rc;
	struct quiz_report r;
	struct err err = { 0 };

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1) {
		const char *name = i >= 0 ? opts[i].name : "";
		if (i == -2)
			return quiz_usage_err(quiz_usage, NULL);
		if ((rc = quiz_version_kind(name, val, &version, &kind)) != APP_OK)
			return rc;
		if (strcmp(name, "training") == 0) {
			if (uuid_parse(val, training) < 0)
				return quiz_usage_err(quiz_usage, _("--training takes a training's uuid (see quiz training list)"));
			by_training = true;
		} else if (strcmp(name, "format") == 0) {
			if ((fmt = app_parse_format(val, 1)) < 0)
				return quiz_usage_err(quiz_usage, _("--format takes text, csv or json"));
		} else if (strcmp(name, "table") == 0) {
			table = 0;
			for (int t = 0; t < 5; t++)
				if (strcmp(val, tables[t]) == 0)
					table = 1 << t;
			if (!table)
				return quiz_usage_err(quiz_usage, _("--table takes attempts, kader, items, topics or posyandu"));
		} else if (strcmp(name, "posyandu") == 0 && strcmp(code, "-") != 0 &&
			   valid_posyandu_code(code, &err) < 0) {
			return app_fail(&err);
		}
	}
	if (optind != argc || !bank)
		return quiz_usage_err(quiz_usage, _("quiz report needs --bank ID"));
	if (quiz_report_build(c->store, bank, version, by_training ? training : NULL, kind, code, &r,
			      &err) < 0)
		return app_fail(&err);
	rc = APP_OK;
	if (fmt == APP_FMT_TEXT)
		report_text(&r, table, code);
	else if (fmt == APP_FMT_CSV)
		report_csv(&r, table);
	else
		rc = report_json(&r, table);
	if (r.unopened && fmt != APP_FMT_TEXT)
		fprintf(stderr, _("posyandu: warning: %zu attempts cannot be opened with this device's quiz key\n"),
			r.unopened);
	quiz_report_free(&r);
	return rc;
}

/* ================================================================ */
/* report kader                                                     */
/* ================================================================ */


static const char *role_text(int role)
{
	return role ? role_code((enum role)role) : "-";
}

static const char *status_code(const struct roster_row *r)
{
	return r->disabled ? "disabled" : r->inactive ? "inactive" : "active";
}

/* One person's history: every submitted test, then pre/post per training. */
static int kader_history(struct app *c, const char *name, int fmt)
{
	struct store_user *users;
	struct quiz_history h;
	struct err err = { 0 };
	uint8_t user[16] = { 0 };
	char day[DATE_BUFSZ], t[16];
	size_t nu;

	if (store_users(c->store, &users, &nu, &err) < 0)
		return app_fail(&err);
	for (size_t i = 0; i < nu; i++)
		if (strcmp(users[i].label, name) == 0)
			memcpy(user, users[i].uuid, 16);
	free(users);
	if (quiz_history_build(c->store, user, name, &h, &err) < 0)
		return app_fail(&err);
	if (fmt == APP_FMT_CSV) {
		printf("date,training,bank,version,kind,right,total,percent,pass,seconds\n");
		for (size_t i = 0; i < h.natt; i++) {
			const struct quiz_attempt *a = &h.att[i];
			out_csv_cell(stdout, date_format(a->day, day), 0);
			out_csv_cell(stdout, quiz_history_training(&h, a->training), 0);
			out_csv_cell(stdout, a->bank_id, 0);
			out_csv_int(stdout, a->bank_version, 0);
			out_csv_cell(stdout, quiz_kind_code(a->kind), 0);
			out_csv_int(stdout, a->right, 0);
			out_csv_int(stdout, a->total, 0);
			out_csv_num(stdout, "%.1f", quiz_attempt_pct(a), 0);
			out_csv_cell(stdout, a->pass ? "1" : "0", 0);
			out_csv_int(stdout, a->ans.elapsed_s, 1);
		}
	} else if (fmt == APP_FMT_JSON) {
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
			json_object_set_new(o, "percent", json_real(out_round(quiz_attempt_pct(a), 0.1)));
			json_object_set_new(o, "pass", json_boolean(a->pass));
			json_array_append_new(arr, o);
		}
		for (size_t i = 0; i < h.npairs; i++) {
			const struct quiz_pair *p = &h.pairs[i];
			json_t *o = json_object();
			json_object_set_new(o, "training", json_string(quiz_history_training(&h, p->training)));
			json_object_set_new(o, "bank", json_string(p->bank));
			json_array_append_new(pairs, json_pair(o, p, true));
		}
		json_object_set_new(root, "attempts", arr);
		json_object_set_new(root, "pre_post", pairs);
		quiz_history_free(&h);
		return out_json_print(root);
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
			       quiz_attempt_pct(a), a->pass ? _("pass") : _("fail"),
			       a->ans.elapsed_s ? quiz_fmt_time(a->ans.elapsed_s, t) : "-");
		}
		printf("\n  %-24s %-18s %7s %7s %7s %6s\n", _("Training"), _("Question bank"), _("Pre"),
		       _("Post"), _("Gain"), "g");
		for (size_t i = 0; i < h.npairs; i++) {
			const struct quiz_pair *p = &h.pairs[i];
			char pre[16], post[16], gain[16], g[16];
			quiz_pair_cells(p, pre, post, gain, g);
			printf("  %-24.24s %-18s %7s %7s %7s %6s\n", quiz_history_training(&h, p->training),
			       p->bank, pre, post, gain, g);
		}
	}
	quiz_history_free(&h);
	return APP_OK;
}

static const char report_kader_usage[] =
	"  posyandu [OPTIONS] report kader [--name NAME] [--format text|csv|json]\n";

int cli_report_kader(struct app *c, int argc, char **argv)
{
	const char *format = NULL, *name = NULL;
	const struct app_opt opts[] = { { "format", &format, 0 }, { "name", &name, 0 }, { 0 } };
	struct roster_row *rows;
	struct err err = { 0 };
	int fmt = APP_FMT_TEXT, opt;
	size_t n;

	optind = 0;
	while ((opt = app_opt_next(argc, argv, opts)) != -1)
		if (opt == -2 || (opt == 0 && (fmt = app_parse_format(format, 1)) < 0))
			return quiz_usage_err(report_kader_usage, NULL);
	if (optind != argc)
		return quiz_usage_err(report_kader_usage, NULL);
	if (name)
		return kader_history(c, name, fmt);
	if (quiz_roster_report(c->store, c->utc_offset, clock_today(), &rows, &n, &err) < 0)
		return app_fail(&err);
	if (fmt == APP_FMT_TEXT) {
		printf("%-20s %-8s %-10s %7s %9s %-10s %-24s %-10s %s\n", _("Name"), _("Role"), _("Started"),
		       _("On duty"), _("Trainings"), _("Last training"), _("Last score"), _("Last active"),
		       _("Status"));
		for (size_t i = 0; i < n; i++) {
			const struct roster_row *r = &rows[i];
			char start[DATE_BUFSZ], last[DATE_BUFSZ], act[DATE_BUFSZ], score[64] = "-";
			quiz_roster_dates(r, start, last, act);
			if (r->has_score)
				snprintf(score, sizeof score, "%s %s %.0f%% %s", r->bank, quiz_kind_code(r->qkind),
					 r->percent, r->pass ? _("pass") : _("fail"));
			printf("%-20s %-8s %-10s %7d %9d %-10s %-24s %-10s %s\n", r->name, role_text(r->role),
			       start, r->duty, r->trainings, last, score, act,
			       r->disabled ? _("disabled")
			       : r->inactive ? _("not active for 3 months") : _("active"));
		}
	} else if (fmt == APP_FMT_CSV) {
		printf("name,role,start,duty,last_duty,trainings,last_training,bank,kind,percent,pass,"
		       "last_active,status\n");
		for (size_t i = 0; i < n; i++) {
			const struct roster_row *r = &rows[i];
			char d1[DATE_BUFSZ] = "", d2[DATE_BUFSZ] = "", d3[DATE_BUFSZ] = "", d4[DATE_BUFSZ] = "";
			out_csv_cell(stdout, r->name, 0);
			out_csv_cell(stdout, role_text(r->role), 0);
			out_csv_cell(stdout, r->start != DATE_NONE ? date_format(r->start, d1) : "", 0);
			out_csv_int(stdout, r->duty, 0);
			out_csv_cell(stdout, r->last_duty != DATE_NONE ? date_format(r->last_duty, d4) : "", 0);
			out_csv_int(stdout, r->trainings, 0);
			out_csv_cell(stdout, r->last_training != DATE_NONE ? date_format(r->last_training, d2) : "", 0);
			out_csv_cell(stdout, r->has_score ? r->bank : "", 0);
			out_csv_cell(stdout, r->has_score ? quiz_kind_code(r->qkind) : "", 0);
			r->has_score ? out_csv_num(stdout, "%.1f", r->percent, 0) : out_csv_cell(stdout, "", 0);
			out_csv_cell(stdout, r->has_score ? (r->pass ? "1" : "0") : "", 0);
			out_csv_cell(stdout, r->last_active != DATE_NONE ? date_format(r->last_active, d3) : "", 0);
			out_csv_cell(stdout, status_code(r), 1);
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
				json_object_set_new(sc, "percent", json_real(out_round(r->percent, 0.1)));
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
		return out_json_print(arr);
	}
	free(rows);
	return APP_OK;
}

