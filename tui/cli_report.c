/* tui/cli_report.c: `posyandu report monthly|followup|sessions|trend`
 * (issue 5; ARCHITECTURE.md, "Command line") and the rendering the reports
 * screen shares. Text is in the UI language with DD-MM-YYYY dates and
 * decimal commas; CSV and JSON are machine formats, never translated, and
 * their columns and keys are documented in posyandu(1). */
#include "tui/cli_report.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/imm.h"
#include "tui/cli.h"
#include "tui/i18n.h"
#include "tui/msg.h"
#include "core/banned.h"

enum { FMT_TEXT, FMT_CSV, FMT_JSON };

/* ---- the records ---- */

static void wipe_free(void *p, size_t n)
{
	if (p)
		explicit_bzero(p, n);
	free(p);
}

void report_src_release(struct report_src *src)
{
	report_data_free(src->d);
	wipe_free(src->people, src->np * sizeof *src->people);
	wipe_free(src->visits, src->nv * sizeof *src->visits);
	wipe_free(src->sessions, src->nx * sizeof *src->sessions);
	free(src->users);
	memset(src, 0, sizeof *src);
}

int report_src_load(struct store *s, struct report_src *src, struct err *err)
{
	struct report_input in;

	memset(src, 0, sizeof *src);
	src->profile = store_get_profile(s);
	if (store_people(s, &src->people, &src->np, err) < 0 ||
	    store_visits(s, &src->visits, &src->nv, err) < 0 ||
	    store_sessions(s, &src->sessions, &src->nx, err) < 0 ||
	    store_users(s, &src->users, &src->nu, err) < 0)
		goto fail;
	in = (struct report_input){ src->people, src->np, src->visits, src->nv, src->sessions, src->nx };
	if (!(src->d = report_data_new(&in, err)))
		goto fail;
	return 0;
fail:
	report_src_release(src);
	return -1;
}

const char *report_user_label(const struct report_src *src, const uint8_t uuid[UUID_LEN],
			      char *buf, size_t size)
{
	char u[UUID_STRLEN];
	for (size_t i = 0; i < src->nu; i++)
		if (memcmp(src->users[i].uuid, uuid, UUID_LEN) == 0) {
			snprintf(buf, size, "%s", src->users[i].label);
			return buf;
		}
	snprintf(buf, size, "%.8s", uuid_format(uuid, u));
	return buf;
}

int report_ref_day(int month, int32_t today, int32_t *ref, struct err *err)
{
	int now = date_month_index(today);
	if (month > now)
		return err_set(err, ERR_RANGE, "month-future", "month after the current one");
	*ref = month == now ? today : report_month_last_day(month);
	return 0;
}

/* ---- small formatting helpers ---- */

/* "84,6%" (the decimal comma of Indonesian registers), "-" without a
 * denominator. */
static const char *pct_text(double p, char *buf, size_t size)
{
	char *c;
	if (p < 0) {
		snprintf(buf, size, "-");
		return buf;
	}
	snprintf(buf, size, "%.1f%%", p);
	if ((c = strchr(buf, '.')))
		*c = ',';
	return buf;
}

static double pct(int num, int den)
{
	return den > 0 ? 100.0 * num / den : -1.0;
}

/* Rounded to one decimal, as the CSV and JSON carry it. */
static double round1(double p)
{
	return round(p * 10.0) / 10.0;
}

static void linef(report_line_fn line, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void linef(report_line_fn line, void *ctx, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	line(ctx, buf);
}

/* "9 of 11 (81,8%)" */
static const char *of_text(int num, int den, char *buf, size_t size)
{
	char p[16];
	snprintf(buf, size, _("%d of %d (%s)"), num, den, pct_text(pct(num, den), p, sizeof p));
	return buf;
}

/* ---- reasons ---- */

static const struct {
	unsigned bit;
	const char *label;         /* msgid */
} reason_labels[] = {
	{ REPORT_R_2T, N_("2T: did not grow two months in a row, refer") },
	{ REPORT_R_T, N_("T: did not grow") },
	{ REPORT_R_BGM, N_("below the red line (BGM)") },
	{ REPORT_R_WASTED, N_("wasted (BB/PB-TB < -2 SD)") },
	{ REPORT_R_STUNTED, N_("stunted (PB-TB/U < -2 SD)") },
	{ REPORT_R_NOT_WEIGHED, N_("not weighed this month") },
	{ REPORT_R_IMM_OVERDUE, N_("immunisation overdue:") },
	{ REPORT_R_VITA_MISSED, N_("vitamin A capsule missed") },
	{ REPORT_R_ASI_WORKING, N_("working mother, not exclusively breastfed") },
	{ REPORT_R_KEK, N_("pregnant with KEK (LILA < 23.5 cm)") },
	{ REPORT_R_DANGER, N_("danger sign in pregnancy") },
};

static void imm_list(uint32_t bits, char *buf, size_t size, const char *sep)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int a = 0; a < IMM__COUNT && n < size; a++)
		if (bits & (1u << a))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? sep : "", imm_code((enum imm_antigen)a));
}

const char *report_reasons_text(const struct report_followup_row *r, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof reason_labels / sizeof reason_labels[0] && n < size; i++) {
		if (!(r->reasons & reason_labels[i].bit))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "; " : "", _(reason_labels[i].label));
		if (reason_labels[i].bit == REPORT_R_IMM_OVERDUE && n < size) {
			char imm[160];
			imm_list(r->imm_overdue, imm, sizeof imm, " ");
			n += (size_t)snprintf(buf + n, size - n, " %s", imm);
		}
	}
	return buf;
}

static void reason_keys(unsigned reasons, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < report_reasons_len && n < size; i++)
		if (reasons & report_reasons[i].bit)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", report_reasons[i].key);
}

/* ---- text ---- */

static const char *const skdn_keys[] = { "S", "K", "D", "N", "T", "O", "B", "2T", "BGM" };
#define NSKDN 9

static int skdn_val(const struct report_skdn *x, int k)
{
	const int v[NSKDN] = { x->s, x->k, x->d, x->n, x->t, x->o, x->b, x->t2, x->bgm };
	return v[k];
}

static void skdn_row(report_line_fn line, void *ctx, const char *label, const struct report_skdn *x)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "  %-12s", label);
	for (int k = 0; k < NSKDN; k++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%5d", skdn_val(x, k));
	line(ctx, buf);
}

static const struct {
	enum report_ratio r;
	const char *label;         /* msgid */
} ratio_labels[] = {
	{ REPORT_RATIO_KS, N_("programme coverage") },
	{ REPORT_RATIO_DS, N_("community participation") },
	{ REPORT_RATIO_DK, N_("continuity of weighing") },
	{ REPORT_RATIO_ND, N_("programme success") },
	{ REPORT_RATIO_ND2, N_("success among those weighed last month") },
	{ REPORT_RATIO_BGMD, N_("below the red line") },
	{ REPORT_RATIO_2TD, N_("two T in a row") },
};

static const struct {
	enum report_index ind;
	const char *label;         /* msgid */
	enum growth_cat from, to;
} index_labels[] = {
	{ REPORT_WFA, N_("Weight-for-age (BB/U)"), GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT,
	  GROWTH_CAT_WFA_RISK_OVERWEIGHT },
	{ REPORT_LHFA, N_("Length/height-for-age (PB-TB/U)"), GROWTH_CAT_LHFA_SEVERELY_STUNTED,
	  GROWTH_CAT_LHFA_TALL },
	{ REPORT_WFLH, N_("Weight-for-length/height (BB/PB-TB)"), GROWTH_CAT_WFLH_SEVERELY_WASTED,
	  GROWTH_CAT_WFLH_OBESE },
};

static const char *const mother_labels[REPORT__MOTHERS] = {
	N_("All infants"), N_("Mother works"), N_("Mother does not work or not recorded"),
};

void report_text_monthly(const struct report_src *src, const struct report_monthly *m,
			 report_line_fn line, void *ctx)
{
	char mon[8], d1[DATE_BUFSZ], d2[DATE_BUFSZ], buf[256], p[16], a[64], b[64];
	const struct report_status *st = &m->status;

	date_format_month(m->month, mon);
	linef(line, ctx, _("Monthly report %s: %s (%s)"), mon, src->profile ? src->profile->name : "",
	      src->profile ? src->profile->code : "");
	linef(line, ctx, _("Period %s to %s"), date_format(m->first_day, d1), date_format(m->ref_day, d2));
	line(ctx, "");
	line(ctx, _("SKDN, children 0-59 months"));
	{
		int n = snprintf(buf, sizeof buf, "  %-12s", "");
		for (int k = 0; k < NSKDN; k++)
			n += snprintf(buf + n, sizeof buf - (size_t)n, "%5s", skdn_keys[k]);
		line(ctx, buf);
	}
	skdn_row(line, ctx, _("All"), &m->all);
	for (int s = 0; s < REPORT__SEXES; s++) {
		struct report_skdn t;
		memset(&t, 0, sizeof t);
		for (int g = 0; g < REPORT__AGES; g++) {
			snprintf(a, sizeof a, "%c %s", s == REPORT_SEX_L ? 'L' : 'P', report_age_key(g));
			skdn_row(line, ctx, a, &m->by[s][g]);
			report_skdn_add(&t, &m->by[s][g]);
		}
		snprintf(a, sizeof a, "%c %s", s == REPORT_SEX_L ? 'L' : 'P', _("total"));
		skdn_row(line, ctx, a, &t);
	}
	linef(line, ctx, _("  D = N + T + O + B: %d = %d + %d + %d + %d"), m->all.d, m->all.n, m->all.t,
	      m->all.o, m->all.b);
	if (m->all.unjudged)
		linef(line, ctx, _("  Not judged: %d (check the dates of birth and visits)"), m->all.unjudged);
	if (m->all.age0)
		linef(line, ctx, _("  Judged at 0 months with the 1-month KBM (800 g): %d"), m->all.age0);
	line(ctx, "");
	line(ctx, _("Ratios"));
	for (size_t i = 0; i < sizeof ratio_labels / sizeof ratio_labels[0]; i++) {
		const struct report_ratio_info *ri = report_ratio_info(ratio_labels[i].r);
		int num, den;
		double v = report_ratio(&m->all, ratio_labels[i].r, &num, &den);
		linef(line, ctx, "  %-6s %7s  (%d/%d)  %s", ri->key, pct_text(v, p, sizeof p), num, den,
		      _(ratio_labels[i].label));
	}
	line(ctx, "");
	line(ctx, _("Nutritional status (Permenkes 2/2020), children measured this month"));
	for (size_t i = 0; i < sizeof index_labels / sizeof index_labels[0]; i++) {
		linef(line, ctx, _("  %s: %d measured"), _(index_labels[i].label),
		      st->measured[index_labels[i].ind]);
		for (int c = index_labels[i].from; c <= (int)index_labels[i].to; c++)
			linef(line, ctx, "    %-40s %5d", _(growth_cat_info((enum growth_cat)c)->label_en),
			      st->cat[c]);
	}
	linef(line, ctx, _("  Underweight (BB/U < -2 SD): %s"),
	      of_text(st->underweight, st->measured[REPORT_WFA], a, sizeof a));
	linef(line, ctx, _("  Stunted (PB-TB/U < -2 SD): %s"),
	      of_text(st->stunted, st->measured[REPORT_LHFA], a, sizeof a));
	linef(line, ctx, _("  Wasted (BB/PB-TB < -2 SD): %s"),
	      of_text(st->wasted, st->measured[REPORT_WFLH], a, sizeof a));
	linef(line, ctx, _("  Overweight (BB/PB-TB > +2 SD): %s"),
	      of_text(st->overweight, st->measured[REPORT_WFLH], a, sizeof a));
	line(ctx, "");
	line(ctx, _("Exclusive breastfeeding (ASI eksklusif)"));
	for (int g = 0; g < REPORT__MOTHERS; g++) {
		const struct report_asi *x = &m->asi[g];
		linef(line, ctx, "  %s", _(mother_labels[g]));
		linef(line, ctx, _("    only breast milk yesterday, 0-5 months: %s"),
		      of_text(x->recall_yes, x->recall_asked, a, sizeof a));
		linef(line, ctx, _("    exclusive until 6 months: %s; not recorded: %d"),
		      of_text(x->turned6_exclusive, x->turned6 - x->turned6_unrecorded, b, sizeof b),
		      x->turned6_unrecorded);
	}
	linef(line, ctx, _("  Still breastfed, 6-23 months: %s"),
	      of_text(m->asi[REPORT_MOTHER_ALL].bf_yes, m->asi[REPORT_MOTHER_ALL].bf_asked, a, sizeof a));
	line(ctx, "");
	line(ctx, _("Vitamin A"));
	if (m->vita.campaign) {
		linef(line, ctx, _("  blue, 6-11 months: %s"), of_text(m->vita.blue_given, m->vita.blue_target, a, sizeof a));
		linef(line, ctx, _("  red, 12-59 months: %s"), of_text(m->vita.red_given, m->vita.red_target, a, sizeof a));
	} else {
		line(ctx, _("  not a vitamin A month (February, August)"));
	}
	linef(line, ctx, _("  capsules given: blue %d, red %d"), m->vita.capsules_blue, m->vita.capsules_red);
	line(ctx, "");
	line(ctx, _("Immunisations given"));
	{
		size_t n = 0;
		buf[0] = '\0';
		for (int i = 0; i < IMM__COUNT; i++) {
			if (!m->imm_doses[i])
				continue;
			if (n > 60) {
				linef(line, ctx, "  %s", buf);
				n = 0;
				buf[0] = '\0';
			}
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %d", n ? ", " : "",
					      imm_code((enum imm_antigen)i), m->imm_doses[i]);
		}
		linef(line, ctx, "  %s", n ? buf : _("none"));
	}
	linef(line, ctx, _("  Complete basic immunisation (IDL) before 12 months: %d; later: %d"),
	      m->idl_complete, m->idl_late);
	line(ctx, "");
	line(ctx, _("Pregnant women"));
	linef(line, ctx, _("  seen %d, registered this month %d"), m->preg.seen, m->preg.registered);
	linef(line, ctx, _("  KEK (LILA < 23.5 cm): %s"), of_text(m->preg.kek, m->preg.lila_measured, a, sizeof a));
	linef(line, ctx, _("  iron tablets (TTD): %d to %d women"), m->preg.iron_tablets, m->preg.iron_women);
	linef(line, ctx, _("  with a danger sign: %d"), m->preg.danger);
	line(ctx, "");
	line(ctx, _("Visitors and kader"));
	linef(line, ctx, _("  opening days %d, kader on duty %d (%d kader-days)"), m->visitors.sessions,
	      m->visitors.n_kader, m->visitors.kader_days);
	if (m->visitors.n_kader) {
		size_t n = 0;
		buf[0] = '\0';
		for (int k = 0; k < m->visitors.n_kader; k++) {
			char lab[40];
			report_user_label(src, m->visitors.kader[k], lab, sizeof lab);
			if (n > 60) {
				linef(line, ctx, "    %s", buf);
				n = 0;
				buf[0] = '\0';
			}
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "", lab);
		}
		linef(line, ctx, "    %s", buf);
	}
	linef(line, ctx, _("  children %d, pregnant women %d, other women %d"), m->visitors.children,
	      m->visitors.pregnant, m->visitors.women);
	linef(line, ctx, _("  home visits %d, counselling given %d"), m->visitors.home_visits,
	      m->visitors.counselling);
}

static const char *age_text(const struct report_followup_row *r, char *buf, size_t size)
{
	if (r->age_months < 0)
		snprintf(buf, size, "-");
	else if (r->p->kind == PERSON_CHILD)
		snprintf(buf, size, _("%d mo"), r->age_months);
	else
		snprintf(buf, size, _("%d y"), r->age_months / 12);
	return buf;
}

void report_text_followup(const struct report_followup *f, report_line_fn line, void *ctx)
{
	char mon[8], d[DATE_BUFSZ];

	date_format_month(f->month, mon);
	linef(line, ctx, _("Follow-up list %s (as of %s): %zu people"), mon, date_format(f->ref_day, d), f->n);
	for (size_t i = 0; i < f->n; i++) {
		const struct report_followup_row *r = &f->rows[i];
		char age[16], last[DATE_BUFSZ] = "-", why[512];
		if (r->last_visit != DATE_NONE)
			date_format(r->last_visit, last);
		line(ctx, "");
		linef(line, ctx, "RW %u RT %u  %s, %s", r->p->rw, r->p->rt, r->p->name,
		      age_text(r, age, sizeof age));
		if (report_mother_name(r)[0])
			linef(line, ctx, _("  mother: %s"), report_mother_name(r));
		linef(line, ctx, _("  last visit: %s"), last);
		linef(line, ctx, "  > %s", report_reasons_text(r, why, sizeof why));
	}
}

void report_text_sessions(const struct report_src *src, const struct report_sessions *r,
			  int from, int to, report_line_fn line, void *ctx)
{
	char m1[8], m2[8], d[DATE_BUFSZ];

	linef(line, ctx, _("Posyandu activity %s to %s: %s (%s)"), date_format_month(from, m1),
	      date_format_month(to, m2), src->profile ? src->profile->name : "",
	      src->profile ? src->profile->code : "");
	if (src->profile && (src->profile->desa[0] || src->profile->puskesmas[0]))
		linef(line, ctx, _("Village %s, puskesmas %s"), src->profile->desa, src->profile->puskesmas);
	if (!r->n) {
		line(ctx, "");
		line(ctx, _("No opening day recorded in this period."));
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct report_session_row *row = &r->rows[i];
		const struct session *x = row->x;
		char buf[256];
		size_t n = 0;
		line(ctx, "");
		linef(line, ctx, "%s  %s", date_format(x->date, d), x->place);
		if (x->health_worker[0])
			linef(line, ctx, _("  health worker: %s"), x->health_worker);
		buf[0] = '\0';
		for (int k = 0; k < x->n_kader && k < SESSION_MAX_KADER; k++) {
			char lab[40];
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
					      report_user_label(src, x->kader[k], lab, sizeof lab));
		}
		linef(line, ctx, _("  kader on duty (%d): %s"), x->n_kader, n ? buf : "-");
		linef(line, ctx, _("  visitors: children %d, pregnant women %d, other women %d"),
		      row->children, row->pregnant, row->women);
		linef(line, ctx, _("  counselling given: %d"), row->counselling);
		if (x->notes[0]) {
			/* the minutes, wrapped at 70 columns */
			const char *s = x->notes;
			line(ctx, _("  notes:"));
			while (*s) {
				size_t len = strlen(s), cut = len;
				if (len > 70) {
					cut = 70;
					while (cut > 30 && s[cut] != ' ')
						cut--;
				}
				linef(line, ctx, "    %.*s", (int)cut, s);
				s += cut;
				while (*s == ' ')
					s++;
			}
		}
	}
	line(ctx, "");
	line(ctx, _("Per month"));
	for (size_t k = 0; k < r->nmonths; k++) {
		const struct report_session_month *mo = &r->months[k];
		linef(line, ctx, _("  %s: %d opening days, %d kader-days; children %d, pregnant %d, women %d"),
		      date_format_month(mo->month, m1), mo->sessions, mo->kader_days, mo->children,
		      mo->pregnant, mo->women);
		linef(line, ctx, _("           home visits %d, counselling given %d"), mo->home_visits,
		      mo->counselling);
	}
}

void report_text_trend(const struct report_trend_point *t, int n, report_line_fn line, void *ctx)
{
	line(ctx, _("Month      S     D     N    D/S     N/D"));
	for (int i = 0; i < n; i++) {
		char mon[8], p1[16], p2[16];
		linef(line, ctx, "%-7s %5d %5d %5d %7s %7s", date_format_month(t[i].month, mon), t[i].s,
		      t[i].d, t[i].n, pct_text(pct(t[i].d, t[i].s), p1, sizeof p1),
		      pct_text(pct(t[i].n, t[i].d), p2, sizeof p2));
	}
}

/* ---- CSV ---- */

static void csv_cell(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r;")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

/* month,section,indicator,group,value,numerator,denominator */
static void csv_row(FILE *f, const char *mon, const char *section, const char *ind,
		    const char *group, const char *value, int num, int den)
{
	char a[16] = "", b[16] = "";
	if (num >= 0)
		snprintf(a, sizeof a, "%d", num);
	if (den >= 0)
		snprintf(b, sizeof b, "%d", den);
	csv_cell(f, mon, 0);
	csv_cell(f, section, 0);
	csv_cell(f, ind, 0);
	csv_cell(f, group, 0);
	csv_cell(f, value, 0);
	csv_cell(f, a, 0);
	csv_cell(f, b, 1);
}

static void csv_count(FILE *f, const char *mon, const char *section, const char *ind,
		      const char *group, int v, int den)
{
	char s[16];
	snprintf(s, sizeof s, "%d", v);
	csv_row(f, mon, section, ind, group, s, -1, den);
}

static void csv_pct(FILE *f, const char *mon, const char *section, const char *ind,
		    const char *group, int num, int den)
{
	char s[16] = "";
	if (den > 0)
		snprintf(s, sizeof s, "%.1f", round1(pct(num, den)));
	csv_row(f, mon, section, ind, group, s, num, den);
}

static void csv_skdn(FILE *f, const char *mon, const char *group, const struct report_skdn *x)
{
	for (int k = 0; k < NSKDN; k++)
		csv_count(f, mon, "skdn", skdn_keys[k], group, skdn_val(x, k), -1);
}

static const char *const mother_keys[REPORT__MOTHERS] = { "all", "mother_works", "mother_other" };
static const char *const index_keys[REPORT__INDICES] = {
	"weight_for_age", "length_height_for_age", "weight_for_length_height",
};

int report_csv_monthly(FILE *f, const struct report_monthly *m)
{
	char mon[8], g[16];
	struct report_skdn bysex[REPORT__SEXES], byage[REPORT__AGES];

	date_format_month(m->month, mon);
	memset(bysex, 0, sizeof bysex);
	memset(byage, 0, sizeof byage);
	fputs("month,section,indicator,group,value,numerator,denominator\n", f);
	csv_skdn(f, mon, "all", &m->all);
	for (int s = 0; s < REPORT__SEXES; s++)
		for (int a = 0; a < REPORT__AGES; a++) {
			report_skdn_add(&bysex[s], &m->by[s][a]);
			report_skdn_add(&byage[a], &m->by[s][a]);
		}
	for (int s = 0; s < REPORT__SEXES; s++)
		csv_skdn(f, mon, s == REPORT_SEX_L ? "L" : "P", &bysex[s]);
	for (int a = 0; a < REPORT__AGES; a++)
		csv_skdn(f, mon, report_age_key(a), &byage[a]);
	for (int s = 0; s < REPORT__SEXES; s++)
		for (int a = 0; a < REPORT__AGES; a++) {
			snprintf(g, sizeof g, "%c %s", s == REPORT_SEX_L ? 'L' : 'P', report_age_key(a));
			csv_skdn(f, mon, g, &m->by[s][a]);
		}
	for (int r = 0; r < REPORT__RATIOS; r++) {
		int num, den;
		report_ratio(&m->all, r, &num, &den);
		csv_pct(f, mon, "ratio", report_ratio_info(r)->key, "all", num, den);
	}
	for (size_t i = 0; i < sizeof index_labels / sizeof index_labels[0]; i++) {
		int den = m->status.measured[index_labels[i].ind];
		const char *ik = index_keys[index_labels[i].ind];
		csv_count(f, mon, "nutrition", "measured", ik, den, -1);
		for (int c = index_labels[i].from; c <= (int)index_labels[i].to; c++)
			csv_pct(f, mon, "nutrition", growth_cat_info((enum growth_cat)c)->key, ik,
				m->status.cat[c], den);
	}
	csv_pct(f, mon, "nutrition", "underweight", "all", m->status.underweight, m->status.measured[REPORT_WFA]);
	csv_pct(f, mon, "nutrition", "stunted", "all", m->status.stunted, m->status.measured[REPORT_LHFA]);
	csv_pct(f, mon, "nutrition", "wasted", "all", m->status.wasted, m->status.measured[REPORT_WFLH]);
	csv_pct(f, mon, "nutrition", "overweight", "all", m->status.overweight, m->status.measured[REPORT_WFLH]);
	for (int k = 0; k < REPORT__MOTHERS; k++) {
		const struct report_asi *x = &m->asi[k];
		csv_pct(f, mon, "exclusive_breastfeeding", "recall_yes", mother_keys[k], x->recall_yes,
			x->recall_asked);
		csv_pct(f, mon, "exclusive_breastfeeding", "turned_6_exclusive", mother_keys[k],
			x->turned6_exclusive, x->turned6 - x->turned6_unrecorded);
		csv_count(f, mon, "exclusive_breastfeeding", "turned_6_unrecorded", mother_keys[k],
			  x->turned6_unrecorded, -1);
	}
	csv_pct(f, mon, "breastfeeding_continued", "still_breastfed_6_23", "all",
		m->asi[REPORT_MOTHER_ALL].bf_yes, m->asi[REPORT_MOTHER_ALL].bf_asked);
	if (m->vita.campaign) {
		csv_pct(f, mon, "vitamin_a", "blue", "6-11", m->vita.blue_given, m->vita.blue_target);
		csv_pct(f, mon, "vitamin_a", "red", "12-59", m->vita.red_given, m->vita.red_target);
	}
	csv_count(f, mon, "vitamin_a", "capsules_blue", "all", m->vita.capsules_blue, -1);
	csv_count(f, mon, "vitamin_a", "capsules_red", "all", m->vita.capsules_red, -1);
	for (int a = 0; a < IMM__COUNT; a++)
		csv_count(f, mon, "immunization", imm_code((enum imm_antigen)a), "doses", m->imm_doses[a], -1);
	csv_count(f, mon, "immunization", "idl_complete", "under_12_months", m->idl_complete, -1);
	csv_count(f, mon, "immunization", "idl_late", "12_months_or_more", m->idl_late, -1);
	csv_count(f, mon, "pregnant", "seen", "all", m->preg.seen, -1);
	csv_count(f, mon, "pregnant", "registered", "all", m->preg.registered, -1);
	csv_pct(f, mon, "pregnant", "kek", "all", m->preg.kek, m->preg.lila_measured);
	csv_count(f, mon, "pregnant", "iron_women", "all", m->preg.iron_women, -1);
	csv_count(f, mon, "pregnant", "iron_tablets", "all", m->preg.iron_tablets, -1);
	csv_count(f, mon, "pregnant", "danger_sign", "all", m->preg.danger, -1);
	csv_count(f, mon, "visitors", "sessions", "all", m->visitors.sessions, -1);
	csv_count(f, mon, "visitors", "kader", "all", m->visitors.n_kader, -1);
	csv_count(f, mon, "visitors", "kader_days", "all", m->visitors.kader_days, -1);
	csv_count(f, mon, "visitors", "children", "all", m->visitors.children, -1);
	csv_count(f, mon, "visitors", "pregnant", "all", m->visitors.pregnant, -1);
	csv_count(f, mon, "visitors", "women", "all", m->visitors.women, -1);
	csv_count(f, mon, "visitors", "home_visits", "all", m->visitors.home_visits, -1);
	csv_count(f, mon, "visitors", "counselling", "all", m->visitors.counselling, -1);
	return ferror(f) ? -1 : 0;
}

int report_csv_followup(FILE *f, const struct report_followup *fu)
{
	fputs("name,kind,sex,age_months,mother,rt,rw,reasons,imm_overdue,last_visit\n", f);
	for (size_t i = 0; i < fu->n; i++) {
		const struct report_followup_row *r = &fu->rows[i];
		char age[16] = "", rt[8], rw[8], why[256], imm[160], last[DATE_BUFSZ] = "";
		char sex[2] = { r->p->sex, 0 };
		if (r->age_months >= 0)
			snprintf(age, sizeof age, "%d", r->age_months);
		snprintf(rt, sizeof rt, "%u", r->p->rt);
		snprintf(rw, sizeof rw, "%u", r->p->rw);
		reason_keys(r->reasons, why, sizeof why);
		imm_list(r->imm_overdue, imm, sizeof imm, " ");
		if (r->last_visit != DATE_NONE)
			date_format(r->last_visit, last);
		csv_cell(f, r->p->name, 0);
		csv_cell(f, person_kind_code(r->p->kind), 0);
		csv_cell(f, sex, 0);
		csv_cell(f, age, 0);
		csv_cell(f, report_mother_name(r), 0);
		csv_cell(f, rt, 0);
		csv_cell(f, rw, 0);
		csv_cell(f, why, 0);
		csv_cell(f, imm, 0);
		csv_cell(f, last, 1);
	}
	return ferror(f) ? -1 : 0;
}

static void kader_labels(const struct report_src *src, const struct session *x, char *buf, size_t size,
			 const char *sep)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int k = 0; k < x->n_kader && k < SESSION_MAX_KADER && n < size; k++) {
		char lab[40];
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? sep : "",
				      report_user_label(src, x->kader[k], lab, sizeof lab));
	}
}

int report_csv_sessions(FILE *f, const struct report_src *src, const struct report_sessions *r)
{
	fputs("row,month,date,sessions,kader,kader_days,children,pregnant,women,home_visits,"
	      "counselling,place,health_worker,notes\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct report_session_row *row = &r->rows[i];
		const struct session *x = row->x;
		char mon[8], d[DATE_BUFSZ], kad[256], n[5][16];
		kader_labels(src, x, kad, sizeof kad, " ");
		snprintf(n[0], sizeof n[0], "%d", x->n_kader);
		snprintf(n[1], sizeof n[1], "%d", row->children);
		snprintf(n[2], sizeof n[2], "%d", row->pregnant);
		snprintf(n[3], sizeof n[3], "%d", row->women);
		snprintf(n[4], sizeof n[4], "%d", row->counselling);
		csv_cell(f, "session", 0);
		csv_cell(f, date_format_month(date_month_index(x->date), mon), 0);
		csv_cell(f, date_format(x->date, d), 0);
		csv_cell(f, "1", 0);
		csv_cell(f, kad, 0);
		csv_cell(f, n[0], 0);
		csv_cell(f, n[1], 0);
		csv_cell(f, n[2], 0);
		csv_cell(f, n[3], 0);
		csv_cell(f, "", 0);
		csv_cell(f, n[4], 0);
		csv_cell(f, x->place, 0);
		csv_cell(f, x->health_worker, 0);
		csv_cell(f, x->notes, 1);
	}
	for (size_t k = 0; k < r->nmonths; k++) {
		const struct report_session_month *mo = &r->months[k];
		char mon[8];
		fprintf(f, "month,%s,,%d,,%d,%d,%d,%d,%d,%d,,,\n", date_format_month(mo->month, mon),
			mo->sessions, mo->kader_days, mo->children, mo->pregnant, mo->women,
			mo->home_visits, mo->counselling);
	}
	return ferror(f) ? -1 : 0;
}

int report_csv_trend(FILE *f, const struct report_trend_point *t, int n)
{
	fputs("month,S,K,D,N,O,B,D/S,N/D\n", f);
	for (int i = 0; i < n; i++) {
		char mon[8], a[16] = "", b[16] = "";
		if (t[i].s > 0)
			snprintf(a, sizeof a, "%.1f", round1(pct(t[i].d, t[i].s)));
		if (t[i].d > 0)
			snprintf(b, sizeof b, "%.1f", round1(pct(t[i].n, t[i].d)));
		fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%s,%s\n", date_format_month(t[i].month, mon), t[i].s,
			t[i].k, t[i].d, t[i].n, t[i].o, t[i].b, a, b);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- JSON (posyandu(1), "JSON output") ---- */

static json_t *jpct(int num, int den)
{
	return den > 0 ? json_real(round1(pct(num, den))) : json_null();
}

static json_t *jratio(int num, int den)
{
	json_t *o = json_object();
	json_object_set_new(o, "percent", jpct(num, den));
	json_object_set_new(o, "numerator", json_integer(num));
	json_object_set_new(o, "denominator", json_integer(den));
	return o;
}

static json_t *jskdn(const struct report_skdn *x)
{
	json_t *o = json_object();
	for (int k = 0; k < NSKDN; k++)
		json_object_set_new(o, skdn_keys[k], json_integer(skdn_val(x, k)));
	return o;
}

static json_t *jdate(int32_t day)
{
	char d[DATE_BUFSZ];
	return day == DATE_NONE ? json_null() : json_string(date_format(day, d));
}

static int jprint(json_t *root)
{
	int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(root);
	fputc('\n', stdout);
	return rc == 0 && !ferror(stdout) ? CLI_OK : CLI_ERROR;
}

static json_t *json_monthly(const struct report_src *src, const struct report_monthly *m)
{
	json_t *root = json_object(), *o, *o2;
	struct report_skdn bysex[REPORT__SEXES], byage[REPORT__AGES];
	char mon[8];

	memset(bysex, 0, sizeof bysex);
	memset(byage, 0, sizeof byage);
	for (int s = 0; s < REPORT__SEXES; s++)
		for (int a = 0; a < REPORT__AGES; a++) {
			report_skdn_add(&bysex[s], &m->by[s][a]);
			report_skdn_add(&byage[a], &m->by[s][a]);
		}
	o = json_object();
	json_object_set_new(o, "code", json_string(src->profile ? src->profile->code : ""));
	json_object_set_new(o, "name", json_string(src->profile ? src->profile->name : ""));
	json_object_set_new(root, "posyandu", o);
	json_object_set_new(root, "month", json_string(date_format_month(m->month, mon)));
	json_object_set_new(root, "first_day", jdate(m->first_day));
	json_object_set_new(root, "ref_day", jdate(m->ref_day));
	json_object_set_new(root, "skdn", jskdn(&m->all));
	o = json_object();
	for (int s = 0; s < REPORT__SEXES; s++)
		json_object_set_new(o, s == REPORT_SEX_L ? "L" : "P", jskdn(&bysex[s]));
	json_object_set_new(root, "skdn_by_sex", o);
	o = json_object();
	for (int a = 0; a < REPORT__AGES; a++)
		json_object_set_new(o, report_age_key(a), jskdn(&byage[a]));
	json_object_set_new(root, "skdn_by_age", o);
	o = json_object();
	for (int s = 0; s < REPORT__SEXES; s++) {
		o2 = json_object();
		for (int a = 0; a < REPORT__AGES; a++)
			json_object_set_new(o2, report_age_key(a), jskdn(&m->by[s][a]));
		json_object_set_new(o, s == REPORT_SEX_L ? "L" : "P", o2);
	}
	json_object_set_new(root, "skdn_by_sex_age", o);
	o = json_object();
	for (int r = 0; r < REPORT__RATIOS; r++) {
		int num, den;
		report_ratio(&m->all, r, &num, &den);
		json_object_set_new(o, report_ratio_info(r)->key, jratio(num, den));
	}
	json_object_set_new(root, "ratios", o);
	o = json_object();
	json_object_set_new(o, "d_equals_n_t_o_b",
			    json_boolean(m->all.d == m->all.n + m->all.t + m->all.o + m->all.b));
	json_object_set_new(o, "not_judged", json_integer(m->all.unjudged));
	json_object_set_new(o, "judged_at_age_0", json_integer(m->all.age0));
	json_object_set_new(root, "checks", o);

	o = json_object();
	for (size_t i = 0; i < sizeof index_labels / sizeof index_labels[0]; i++) {
		o2 = json_object();
		json_object_set_new(o2, "measured", json_integer(m->status.measured[index_labels[i].ind]));
		for (int c = index_labels[i].from; c <= (int)index_labels[i].to; c++)
			json_object_set_new(o2, growth_cat_info((enum growth_cat)c)->key,
					    json_integer(m->status.cat[c]));
		json_object_set_new(o, index_keys[index_labels[i].ind], o2);
	}
	json_object_set_new(o, "underweight", jratio(m->status.underweight, m->status.measured[REPORT_WFA]));
	json_object_set_new(o, "stunted", jratio(m->status.stunted, m->status.measured[REPORT_LHFA]));
	json_object_set_new(o, "wasted", jratio(m->status.wasted, m->status.measured[REPORT_WFLH]));
	json_object_set_new(o, "overweight", jratio(m->status.overweight, m->status.measured[REPORT_WFLH]));
	json_object_set_new(root, "nutrition", o);

	o = json_object();
	for (int k = 0; k < REPORT__MOTHERS; k++) {
		const struct report_asi *x = &m->asi[k];
		o2 = json_object();
		json_object_set_new(o2, "recall", jratio(x->recall_yes, x->recall_asked));
		json_object_set_new(o2, "turned_6_months", json_integer(x->turned6));
		json_object_set_new(o2, "turned_6_unrecorded", json_integer(x->turned6_unrecorded));
		json_object_set_new(o2, "exclusive_6_months",
				    jratio(x->turned6_exclusive, x->turned6 - x->turned6_unrecorded));
		json_object_set_new(o, mother_keys[k], o2);
	}
	json_object_set_new(root, "exclusive_breastfeeding", o);
	/* Children 6-23 months asked this month whether still breastfed. */
	json_object_set_new(root, "breastfeeding_continued_2y",
			    jratio(m->asi[REPORT_MOTHER_ALL].bf_yes, m->asi[REPORT_MOTHER_ALL].bf_asked));

	o = json_object();
	json_object_set_new(o, "campaign_month", json_boolean(m->vita.campaign));
	json_object_set_new(o, "blue_6_11", m->vita.campaign
			    ? jratio(m->vita.blue_given, m->vita.blue_target) : json_null());
	json_object_set_new(o, "red_12_59", m->vita.campaign
			    ? jratio(m->vita.red_given, m->vita.red_target) : json_null());
	json_object_set_new(o, "capsules_blue", json_integer(m->vita.capsules_blue));
	json_object_set_new(o, "capsules_red", json_integer(m->vita.capsules_red));
	json_object_set_new(root, "vitamin_a", o);

	o = json_object();
	o2 = json_object();
	for (int a = 0; a < IMM__COUNT; a++)
		json_object_set_new(o2, imm_code((enum imm_antigen)a), json_integer(m->imm_doses[a]));
	json_object_set_new(o, "doses", o2);
	o2 = json_array();
	for (size_t i = 0; i < report_idl_len; i++)
		json_array_append_new(o2, json_string(imm_code(report_idl[i])));
	json_object_set_new(o, "idl_antigens", o2);
	json_object_set_new(o, "idl_complete", json_integer(m->idl_complete));
	json_object_set_new(o, "idl_late", json_integer(m->idl_late));
	json_object_set_new(root, "immunization", o);

	o = json_object();
	json_object_set_new(o, "seen", json_integer(m->preg.seen));
	json_object_set_new(o, "registered", json_integer(m->preg.registered));
	json_object_set_new(o, "lila_measured", json_integer(m->preg.lila_measured));
	json_object_set_new(o, "kek", jratio(m->preg.kek, m->preg.lila_measured));
	json_object_set_new(o, "iron_women", json_integer(m->preg.iron_women));
	json_object_set_new(o, "iron_tablets", json_integer(m->preg.iron_tablets));
	json_object_set_new(o, "danger_sign", json_integer(m->preg.danger));
	json_object_set_new(root, "pregnant", o);

	o = json_object();
	json_object_set_new(o, "sessions", json_integer(m->visitors.sessions));
	json_object_set_new(o, "kader_days", json_integer(m->visitors.kader_days));
	o2 = json_array();
	for (int k = 0; k < m->visitors.n_kader; k++) {
		char lab[40];
		json_array_append_new(o2, json_string(report_user_label(src, m->visitors.kader[k], lab, sizeof lab)));
	}
	json_object_set_new(o, "kader", o2);
	json_object_set_new(o, "children", json_integer(m->visitors.children));
	json_object_set_new(o, "pregnant", json_integer(m->visitors.pregnant));
	json_object_set_new(o, "women", json_integer(m->visitors.women));
	json_object_set_new(o, "home_visits", json_integer(m->visitors.home_visits));
	json_object_set_new(o, "counselling", json_integer(m->visitors.counselling));
	json_object_set_new(root, "visitors", o);
	return root;
}

static json_t *json_followup(const struct report_followup *fu)
{
	json_t *root = json_object(), *rows = json_array();
	char mon[8];

	json_object_set_new(root, "month", json_string(date_format_month(fu->month, mon)));
	json_object_set_new(root, "ref_day", jdate(fu->ref_day));
	for (size_t i = 0; i < fu->n; i++) {
		const struct report_followup_row *r = &fu->rows[i];
		json_t *o = json_object(), *a = json_array(), *b = json_array();
		char sex[2] = { r->p->sex, 0 };
		json_object_set_new(o, "name", json_string(r->p->name));
		json_object_set_new(o, "kind", json_string(person_kind_code(r->p->kind)));
		json_object_set_new(o, "sex", json_string(sex));
		json_object_set_new(o, "age_months", r->age_months >= 0 ? json_integer(r->age_months) : json_null());
		json_object_set_new(o, "mother", json_string(report_mother_name(r)));
		json_object_set_new(o, "rt", json_integer(r->p->rt));
		json_object_set_new(o, "rw", json_integer(r->p->rw));
		for (size_t k = 0; k < report_reasons_len; k++)
			if (r->reasons & report_reasons[k].bit)
				json_array_append_new(a, json_string(report_reasons[k].key));
		json_object_set_new(o, "reasons", a);
		for (int k = 0; k < IMM__COUNT; k++)
			if (r->imm_overdue & (1u << k))
				json_array_append_new(b, json_string(imm_code((enum imm_antigen)k)));
		json_object_set_new(o, "imm_overdue", b);
		json_object_set_new(o, "last_visit", jdate(r->last_visit));
		json_array_append_new(rows, o);
	}
	json_object_set_new(root, "rows", rows);
	return root;
}

static json_t *json_sessions(const struct report_src *src, const struct report_sessions *r, int from,
			     int to)
{
	json_t *root = json_object(), *rows = json_array(), *months = json_array();
	char m1[8];

	json_object_set_new(root, "from", json_string(date_format_month(from, m1)));
	json_object_set_new(root, "to", json_string(date_format_month(to, m1)));
	for (size_t i = 0; i < r->n; i++) {
		const struct report_session_row *row = &r->rows[i];
		const struct session *x = row->x;
		json_t *o = json_object(), *k = json_array();
		json_object_set_new(o, "date", jdate(x->date));
		json_object_set_new(o, "place", json_string(x->place));
		json_object_set_new(o, "health_worker", json_string(x->health_worker));
		for (int j = 0; j < x->n_kader && j < SESSION_MAX_KADER; j++) {
			char lab[40];
			json_array_append_new(k, json_string(report_user_label(src, x->kader[j], lab, sizeof lab)));
		}
		json_object_set_new(o, "kader", k);
		json_object_set_new(o, "children", json_integer(row->children));
		json_object_set_new(o, "pregnant", json_integer(row->pregnant));
		json_object_set_new(o, "women", json_integer(row->women));
		json_object_set_new(o, "counselling", json_integer(row->counselling));
		json_object_set_new(o, "notes", json_string(x->notes));
		json_array_append_new(rows, o);
	}
	for (size_t i = 0; i < r->nmonths; i++) {
		const struct report_session_month *mo = &r->months[i];
		json_t *o = json_object();
		json_object_set_new(o, "month", json_string(date_format_month(mo->month, m1)));
		json_object_set_new(o, "sessions", json_integer(mo->sessions));
		json_object_set_new(o, "kader_days", json_integer(mo->kader_days));
		json_object_set_new(o, "children", json_integer(mo->children));
		json_object_set_new(o, "pregnant", json_integer(mo->pregnant));
		json_object_set_new(o, "women", json_integer(mo->women));
		json_object_set_new(o, "home_visits", json_integer(mo->home_visits));
		json_object_set_new(o, "counselling", json_integer(mo->counselling));
		json_array_append_new(months, o);
	}
	json_object_set_new(root, "sessions", rows);
	json_object_set_new(root, "months", months);
	return root;
}

static json_t *json_trend(const struct report_trend_point *t, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_object();
		char mon[8];
		json_object_set_new(o, "month", json_string(date_format_month(t[i].month, mon)));
		json_object_set_new(o, "S", json_integer(t[i].s));
		json_object_set_new(o, "K", json_integer(t[i].k));
		json_object_set_new(o, "D", json_integer(t[i].d));
		json_object_set_new(o, "N", json_integer(t[i].n));
		json_object_set_new(o, "O", json_integer(t[i].o));
		json_object_set_new(o, "B", json_integer(t[i].b));
		json_object_set_new(o, "D/S", jpct(t[i].d, t[i].s));
		json_object_set_new(o, "N/D", jpct(t[i].n, t[i].d));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* ---- the subcommands ---- */

struct ropts {
	int fmt;
	int month, from, to;       /* -1: not given */
};

static int today_month(const struct cli *c, int32_t *today)
{
	*today = date_from_unix((int64_t)time(NULL) + c->utc_offset);
	return date_month_index(*today);
}

static int parse_opts(int argc, char **argv, const char *usage, bool range, struct ropts *o)
{
	static const struct option mopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "month", required_argument, NULL, 'm' },
		{ 0, 0, 0, 0 },
	};
	static const struct option ropts_[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "from", required_argument, NULL, 'a' },
		{ "to", required_argument, NULL, 'b' },
		{ 0, 0, 0, 0 },
	};
	struct err err = { 0 };
	int ch;

	o->fmt = FMT_TEXT;
	o->month = o->from = o->to = -1;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", range ? ropts_ : mopts, NULL)) != -1) {
		int *dst = ch == 'm' ? &o->month : ch == 'a' ? &o->from : ch == 'b' ? &o->to : NULL;
		if (ch == 'f') {
			if ((o->fmt = cli_parse_format(optarg, 1)) < 0)
				goto usage;
		} else if (dst) {
			if (date_parse_month(optarg, dst, &err) < 0)
				return cli_fail(&err);
		} else {
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	return 0;
usage:
	fprintf(stderr, "  posyandu [OPTIONS] %s\n", usage);
	return CLI_USAGE;
}

static void stdout_line(void *ctx, const char *line)
{
	(void)ctx;
	puts(line);
}

static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		struct err err = { 0 };
		err_set(&err, ERR_IO, NULL, "stdout");
		return cli_fail(&err);
	}
	return rc;
}

int cli_report_monthly(struct cli *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_monthly m;
	struct err err = { 0 };
	int32_t today, ref = DATE_NONE;
	int rc, now = today_month(c, &today);

	if ((rc = parse_opts(argc, argv, "report monthly --month YYYY-MM [--format text|csv|json]", false, &o)))
		return rc;
	if (o.month < 0)
		o.month = now;
	if (report_ref_day(o.month, today, &ref, &err) < 0)
		return cli_fail(&err);
	if (report_src_load(c->store, &src, &err) < 0)
		return cli_fail(&err);
	if (report_monthly(src.d, o.month, ref, &m, &err) < 0) {
		report_src_release(&src);
		return cli_fail(&err);
	}
	rc = CLI_OK;
	if (o.fmt == FMT_TEXT)
		report_text_monthly(&src, &m, stdout_line, NULL);
	else if (o.fmt == FMT_CSV)
		report_csv_monthly(stdout, &m);
	else
		rc = jprint(json_monthly(&src, &m));
	report_src_release(&src);
	return finish(rc);
}

int cli_report_followup(struct cli *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_followup fu;
	struct err err = { 0 };
	int32_t today, ref = DATE_NONE;
	int rc, now = today_month(c, &today);

	if ((rc = parse_opts(argc, argv, "report followup [--month YYYY-MM] [--format text|csv|json]", false, &o)))
		return rc;
	if (o.month < 0)
		o.month = now;
	if (report_ref_day(o.month, today, &ref, &err) < 0)
		return cli_fail(&err);
	if (report_src_load(c->store, &src, &err) < 0)
		return cli_fail(&err);
	if (report_followup(src.d, o.month, ref, &fu, &err) < 0) {
		report_src_release(&src);
		return cli_fail(&err);
	}
	rc = CLI_OK;
	if (o.fmt == FMT_TEXT)
		report_text_followup(&fu, stdout_line, NULL);
	else if (o.fmt == FMT_CSV)
		report_csv_followup(stdout, &fu);
	else
		rc = jprint(json_followup(&fu));
	report_followup_release(&fu);
	report_src_release(&src);
	return finish(rc);
}

int cli_report_sessions(struct cli *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_sessions r;
	struct err err = { 0 };
	int32_t today;
	int rc, now = today_month(c, &today);

	if ((rc = parse_opts(argc, argv, "report sessions --from YYYY-MM --to YYYY-MM [--format text|csv|json]", true, &o)))
		return rc;
	if (o.from < 0)
		o.from = o.to >= 0 ? o.to : now;
	if (o.to < 0)
		o.to = o.from > now ? o.from : now;
	if (report_src_load(c->store, &src, &err) < 0)
		return cli_fail(&err);
	if (report_sessions(src.d, o.from, o.to, &r, &err) < 0) {
		report_src_release(&src);
		return cli_fail(&err);
	}
	rc = CLI_OK;
	if (o.fmt == FMT_TEXT)
		report_text_sessions(&src, &r, o.from, o.to, stdout_line, NULL);
	else if (o.fmt == FMT_CSV)
		report_csv_sessions(stdout, &src, &r);
	else
		rc = jprint(json_sessions(&src, &r, o.from, o.to));
	report_sessions_release(&r);
	report_src_release(&src);
	return finish(rc);
}

int cli_report_trend(struct cli *c, int argc, char **argv)
{
	struct ropts o;
	struct report_src src;
	struct report_trend_point t[12];
	struct err err = { 0 };
	int32_t today;
	int rc, now = today_month(c, &today);

	if ((rc = parse_opts(argc, argv, "report trend [--month YYYY-MM] [--format text|csv|json]", false, &o)))
		return rc;
	if (o.month < 0)
		o.month = now;
	if (o.month > now)
		return err_set(&err, ERR_RANGE, "month-future", NULL), cli_fail(&err);
	if (report_src_load(c->store, &src, &err) < 0)
		return cli_fail(&err);
	if (report_trend(src.d, o.month, 12, t, &err) < 0) {
		report_src_release(&src);
		return cli_fail(&err);
	}
	rc = CLI_OK;
	if (o.fmt == FMT_TEXT)
		report_text_trend(t, 12, stdout_line, NULL);
	else if (o.fmt == FMT_CSV)
		report_csv_trend(stdout, t, 12);
	else
		rc = jprint(json_trend(t, 12));
	report_src_release(&src);
	return finish(rc);
}
