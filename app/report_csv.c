/* app/report_csv.c: the CSV of `posyandu report ... --format csv`
 * (issue 5): UTF-8, a header row, ',' between cells and '.' in decimals,
 * never translated; the columns are documented in posyandu(1). */
#include "app/report_view.h"

#include <string.h>

#include "core/date.h"
#include "core/imm.h"
#include "app/out.h"
#include "core/banned.h"

/* month,section,indicator,group,value,numerator,denominator */
static void csv_row(FILE *f, const char *mon, const char *section, const char *ind,
		    const char *group, const char *value, int num, int den)
{
	char a[16] = "", b[16] = "";
	if (num >= 0)
		snprintf(a, sizeof a, "%d", num);
	if (den >= 0)
		snprintf(b, sizeof b, "%d", den);
	out_csv_cell(f, mon, 0);
	out_csv_cell(f, section, 0);
	out_csv_cell(f, ind, 0);
	out_csv_cell(f, group, 0);
	out_csv_cell(f, value, 0);
	out_csv_cell(f, a, 0);
	out_csv_cell(f, b, 1);
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
		snprintf(s, sizeof s, "%.1f", report_round1(report_pct(num, den)));
	csv_row(f, mon, section, ind, group, s, num, den);
}

static void csv_skdn(FILE *f, const char *mon, const char *group, const struct report_skdn *x)
{
	for (int k = 0; k < REPORT_NSKDN; k++)
		csv_count(f, mon, "skdn", report_skdn_keys[k], group, report_skdn_val(x, k), -1);
}

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
	for (size_t i = 0; i < sizeof report_index_labels / sizeof report_index_labels[0]; i++) {
		int den = m->status.measured[report_index_labels[i].ind];
		const char *ik = report_index_keys[report_index_labels[i].ind];
		csv_count(f, mon, "nutrition", "measured", ik, den, -1);
		for (int c = report_index_labels[i].from; c <= (int)report_index_labels[i].to; c++)
			csv_pct(f, mon, "nutrition", growth_cat_info((enum growth_cat)c)->key, ik,
				m->status.cat[c], den);
	}
	csv_pct(f, mon, "nutrition", "underweight", "all", m->status.underweight, m->status.measured[REPORT_WFA]);
	csv_pct(f, mon, "nutrition", "stunted", "all", m->status.stunted, m->status.measured[REPORT_LHFA]);
	csv_pct(f, mon, "nutrition", "wasted", "all", m->status.wasted, m->status.measured[REPORT_WFLH]);
	csv_pct(f, mon, "nutrition", "overweight", "all", m->status.overweight, m->status.measured[REPORT_WFLH]);
	for (int k = 0; k < REPORT__MOTHERS; k++) {
		const struct report_asi *x = &m->asi[k];
		csv_pct(f, mon, "exclusive_breastfeeding", "recall_yes", report_mother_keys[k], x->recall_yes,
			x->recall_asked);
		csv_count(f, mon, "exclusive_breastfeeding", "recall_unrecorded", report_mother_keys[k],
			  x->recall_unrecorded, -1);
		csv_pct(f, mon, "exclusive_breastfeeding", "turned_6_exclusive", report_mother_keys[k],
			x->turned6_exclusive, x->turned6 - x->turned6_unrecorded);
		csv_count(f, mon, "exclusive_breastfeeding", "turned_6_unrecorded", report_mother_keys[k],
			  x->turned6_unrecorded, -1);
	}
	csv_pct(f, mon, "breastfeeding_continued", "still_breastfed_6_23", "all",
		m->asi[REPORT_MOTHER_ALL].bf_yes, m->asi[REPORT_MOTHER_ALL].bf_asked);
	csv_count(f, mon, "breastfeeding_continued", "unrecorded_6_23", "all",
		  m->asi[REPORT_MOTHER_ALL].bf_unrecorded, -1);
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
	for (int gi = REPORT_ILP_FIRST; gi < ILP__COUNT; gi++)
		for (int k = 0; k < REPORT__ILP_COUNTS; k++)
			csv_count(f, mon, "ilp", report_ilp_keys[k], ilp_group_code((enum ilp_group)gi),
				  m->ilp[gi].n[k], -1);
	return ferror(f) ? -1 : 0;
}

int report_csv_followup(FILE *f, const struct report_followup *fu)
{
	fputs("name,kind,sex,age_months,mother,rt,rw,reasons,imm_overdue,last_visit\n", f);
	for (size_t i = 0; i < fu->n; i++) {
		const struct report_followup_row *r = &fu->rows[i];
		char age[16] = "", why[256], imm[160], last[DATE_BUFSZ] = "";
		char sex[2] = { r->p->sex, 0 };
		if (r->age_months >= 0)
			snprintf(age, sizeof age, "%d", r->age_months);
		report_reason_keys(r->reasons, why, sizeof why);
		report_imm_list(r->imm_overdue, imm, sizeof imm, " ");
		if (r->last_visit != DATE_NONE)
			date_format(r->last_visit, last);
		out_csv_cell(f, r->p->name, 0);
		out_csv_cell(f, person_kind_code(r->p->kind), 0);
		out_csv_cell(f, sex, 0);
		out_csv_cell(f, age, 0);
		out_csv_cell(f, report_mother_name(r), 0);
		out_csv_int(f, r->p->rt, 0);
		out_csv_int(f, r->p->rw, 0);
		out_csv_cell(f, why, 0);
		out_csv_cell(f, imm, 0);
		out_csv_cell(f, last, 1);
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
		char mon[8], d[DATE_BUFSZ], kad[256];
		kader_labels(src, x, kad, sizeof kad, " ");
		out_csv_cell(f, "session", 0);
		out_csv_cell(f, date_format_month(date_month_index(x->date), mon), 0);
		out_csv_cell(f, date_format(x->date, d), 0);
		out_csv_cell(f, "1", 0);
		out_csv_cell(f, kad, 0);
		out_csv_int(f, x->n_kader, 0);
		out_csv_int(f, row->children, 0);
		out_csv_int(f, row->pregnant, 0);
		out_csv_int(f, row->women, 0);
		out_csv_cell(f, "", 0);
		out_csv_int(f, row->counselling, 0);
		out_csv_cell(f, x->place, 0);
		out_csv_cell(f, x->health_worker, 0);
		out_csv_cell(f, x->notes, 1);
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
			snprintf(a, sizeof a, "%.1f", report_round1(report_pct(t[i].d, t[i].s)));
		if (t[i].d > 0)
			snprintf(b, sizeof b, "%.1f", report_round1(report_pct(t[i].n, t[i].d)));
		fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%s,%s\n", date_format_month(t[i].month, mon), t[i].s,
			t[i].k, t[i].d, t[i].n, t[i].o, t[i].b, a, b);
	}
	return ferror(f) ? -1 : 0;
}
