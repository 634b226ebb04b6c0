/* app/report_view.c: `posyandu report monthly|followup|sessions|trend`
 * (issue 5; ARCHITECTURE.md, "Command line") and the rendering the reports
 * screen shares. Text is in the UI language with DD-MM-YYYY dates and
 * decimal commas; CSV and JSON are machine formats, never translated, and
 * their columns and keys are documented in posyandu(1). */
#include "app/report_view.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/imm.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "core/banned.h"


/* ---- the records ---- */

void report_src_release(struct report_src *src)
{
	report_data_free(src->d);
	store_free(src->people);        /* arena blocks: wiped */
	store_free(src->visits);
	store_free(src->sessions);
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

double report_pct(int num, int den)
{
	return den > 0 ? 100.0 * num / den : -1.0;
}

/* Rounded to one decimal, as the CSV and JSON carry it. */
double report_round1(double p)
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
	snprintf(buf, size, _("%d of %d (%s)"), num, den, pct_text(report_pct(num, den), p, sizeof p));
	return buf;
}

/* ---- reasons ---- */

/* What each reason says, by bit number: reason K is bit 1 << K
 * (enum report_reason, in the order of report_reasons[]). */
static const char *const reason_labels[] = {
	N_("2T: did not grow two months in a row, refer"),
	N_("T: did not grow"),
	N_("below the red line (BGM)"),
	N_("wasted (BB/PB-TB < -2 SD)"),
	N_("stunted (PB-TB/U < -2 SD)"),
	N_("not weighed this month"),
	N_("immunisation overdue:"),
	N_("vitamin A capsule missed"),
	N_("working mother, not exclusively breastfed"),
	N_("pregnant with KEK (LILA < 23.5 cm)"),
	N_("danger sign in pregnancy"),
	N_("blood pressure 140/90 or higher"),
	N_("high blood glucose"),
	N_("anaemia (low Hb)"),
	N_("TB symptoms, refer"),
	N_("PUMA score 6 or more, refer for spirometry"),
	N_("refer to the puskesmas (see the result panel)"),
};
_Static_assert(REPORT_R_LAST == 1u << (sizeof reason_labels / sizeof reason_labels[0] - 1),
	       "a label for every reason bit");

void report_imm_list(uint32_t bits, char *buf, size_t size, const char *sep)
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
		if (!(r->reasons & (1u << i)))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "; " : "", _(reason_labels[i]));
		if ((1u << i) == REPORT_R_IMM_OVERDUE && n < size) {
			char imm[160];
			report_imm_list(r->imm_overdue, imm, sizeof imm, " ");
			n += (size_t)snprintf(buf + n, size - n, " %s", imm);
		}
	}
	return buf;
}

void report_reason_keys(unsigned reasons, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < report_reasons_len && n < size; i++)
		if (reasons & report_reasons[i].bit)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", report_reasons[i].key);
}

/* ---- text ---- */

const char *const report_skdn_keys[REPORT_NSKDN] = { "S", "K", "D", "N", "T", "O", "B", "2T", "BGM" };

int report_skdn_val(const struct report_skdn *x, int k)
{
	const int v[REPORT_NSKDN] = { x->s, x->k, x->d, x->n, x->t, x->o, x->b, x->t2, x->bgm };
	return v[k];
}

static void skdn_row(report_line_fn line, void *ctx, const char *label, const struct report_skdn *x)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "  %-12s", label);
	for (int k = 0; k < REPORT_NSKDN; k++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%5d", report_skdn_val(x, k));
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

const struct report_index_label report_index_labels[REPORT__INDICES] = {
	{ REPORT_WFA, N_("Weight-for-age (BB/U)"), GROWTH_CAT_WFA_SEVERELY_UNDERWEIGHT,
	  GROWTH_CAT_WFA_RISK_OVERWEIGHT },
	{ REPORT_LHFA, N_("Length/height-for-age (PB-TB/U)"), GROWTH_CAT_LHFA_SEVERELY_STUNTED,
	  GROWTH_CAT_LHFA_TALL },
	{ REPORT_WFLH, N_("Weight-for-length/height (BB/PB-TB)"), GROWTH_CAT_WFLH_SEVERELY_WASTED,
	  GROWTH_CAT_WFLH_OBESE },
};

const char *const report_mother_keys[REPORT__MOTHERS] = { "all", "mother_works", "mother_other",
							  "mother_unrecorded" };
const char *const report_index_keys[REPORT__INDICES] = {
	"weight_for_age", "length_height_for_age", "weight_for_length_height",
};

static const char *const mother_labels[REPORT__MOTHERS] = {
	N_("All infants"), N_("Mother works"), N_("Mother does not work"),
	N_("Mother's work not recorded"),
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
		for (int k = 0; k < REPORT_NSKDN; k++)
			n += snprintf(buf + n, sizeof buf - (size_t)n, "%5s", report_skdn_keys[k]);
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
	for (size_t i = 0; i < sizeof report_index_labels / sizeof report_index_labels[0]; i++) {
		linef(line, ctx, _("  %s: %d measured"), _(report_index_labels[i].label),
		      st->measured[report_index_labels[i].ind]);
		for (int c = report_index_labels[i].from; c <= (int)report_index_labels[i].to; c++)
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
		linef(line, ctx, _("    only breast milk yesterday, 0-5 months: %s; not recorded: %d"),
		      of_text(x->recall_yes, x->recall_asked, a, sizeof a), x->recall_unrecorded);
		linef(line, ctx, _("    exclusive until 6 months: %s; not recorded: %d"),
		      of_text(x->turned6_exclusive, x->turned6 - x->turned6_unrecorded, b, sizeof b),
		      x->turned6_unrecorded);
	}
	linef(line, ctx, _("  Still breastfed, 6-23 months: %s; not recorded: %d"),
	      of_text(m->asi[REPORT_MOTHER_ALL].bf_yes, m->asi[REPORT_MOTHER_ALL].bf_asked, a, sizeof a),
	      m->asi[REPORT_MOTHER_ALL].bf_unrecorded);
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
	report_text_ilp(m->ilp, line, ctx);
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

/* The ILP table (issue 14): one row per life-cycle group, one column per
 * count, under short headings the same in both languages (the legend
 * names them). 2 + 10 + 11 x 6 = 78 columns. */
/* Column heads of at most 5 characters; "ilp-head|" keeps them apart from
 * the same words elsewhere in the catalogue and is cut off when shown. */
static const char *const ilp_heads[REPORT__ILP_COUNTS] = {
	N_("ilp-head|n"), N_("ilp-head|thin"), N_("ilp-head|norm"), N_("ilp-head|over"),
	N_("ilp-head|obese"), N_("ilp-head|BP"), N_("ilp-head|GLU"), N_("ilp-head|waist"),
	N_("ilp-head|Hb"), N_("ilp-head|TB"), N_("ilp-head|smoke"),
};

static const char *ilp_head(int k)
{
	const char *t = _(ilp_heads[k]), *bar = strchr(t, '|');
	return bar ? bar + 1 : t;
}
static const char *const ilp_group_labels[ILP__COUNT] = {
	[ILP_SCHOOL] = N_("school"), [ILP_ADOLESCENT] = N_("adolescent"),
	[ILP_ADULT] = N_("adult"), [ILP_ELDERLY] = N_("elderly"),
};

void report_text_ilp(const struct report_ilp ilp[ILP__COUNT], report_line_fn line, void *ctx)
{
	char buf[160];
	int n;

	line(ctx, _("Posyandu ILP, by life-cycle group (last visit of the month)"));
	n = snprintf(buf, sizeof buf, "  %-10s", "");
	for (int k = 0; k < REPORT__ILP_COUNTS; k++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " %5s", ilp_head(k));
	line(ctx, buf);
	for (int g = REPORT_ILP_FIRST; g < ILP__COUNT; g++) {
		n = snprintf(buf, sizeof buf, "  %-10.10s", _(ilp_group_labels[g]));
		for (int k = 0; k < REPORT__ILP_COUNTS; k++)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %5d", ilp[g].n[k]);
		line(ctx, buf);
	}
	line(ctx, _("  ages: school 5-9, adolescent 10-18, adult 19-59, elderly 60+ (at the visit)"));
	line(ctx, _("  n visited; BMI thin, normal, overweight, obese; BP 140/90 or higher;"));
	line(ctx, _("  GLU high glucose; waist too large; Hb anaemia; TB symptoms; smokers"));
}

static const char *age_text(const struct report_followup_row *r, char *buf, size_t size)
{
	if (r->age_months < 0)
		snprintf(buf, size, "-");
	else if (r->p->kind == PERSON_CHILD && r->age_months < 60)
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
		      t[i].d, t[i].n, pct_text(report_pct(t[i].d, t[i].s), p1, sizeof p1),
		      pct_text(report_pct(t[i].n, t[i].d), p2, sizeof p2));
	}
}

