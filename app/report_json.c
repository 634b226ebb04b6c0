/* app/report_json.c: the JSON of `posyandu report ... --format json`
 * (issue 5), never translated; the keys are documented in posyandu(1). */
#include "app/report_view.h"

#include <jansson.h>
#include <string.h>

#include "core/date.h"
#include "core/imm.h"
#include "core/banned.h"

static json_t *jpct(int num, int den)
{
	return den > 0 ? json_real(report_round1(report_pct(num, den))) : json_null();
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
	for (int k = 0; k < REPORT_NSKDN; k++)
		json_object_set_new(o, report_skdn_keys[k], json_integer(report_skdn_val(x, k)));
	return o;
}

static json_t *jdate(int32_t day)
{
	char d[DATE_BUFSZ];
	return day == DATE_NONE ? json_null() : json_string(date_format(day, d));
}

json_t *report_json_monthly(const struct report_src *src, const struct report_monthly *m)
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
	for (size_t i = 0; i < sizeof report_index_labels / sizeof report_index_labels[0]; i++) {
		o2 = json_object();
		json_object_set_new(o2, "measured", json_integer(m->status.measured[report_index_labels[i].ind]));
		for (int c = report_index_labels[i].from; c <= (int)report_index_labels[i].to; c++)
			json_object_set_new(o2, growth_cat_info((enum growth_cat)c)->key,
					    json_integer(m->status.cat[c]));
		json_object_set_new(o, report_index_keys[report_index_labels[i].ind], o2);
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
		json_object_set_new(o2, "recall_unrecorded", json_integer(x->recall_unrecorded));
		json_object_set_new(o2, "turned_6_months", json_integer(x->turned6));
		json_object_set_new(o2, "turned_6_unrecorded", json_integer(x->turned6_unrecorded));
		json_object_set_new(o2, "exclusive_6_months",
				    jratio(x->turned6_exclusive, x->turned6 - x->turned6_unrecorded));
		json_object_set_new(o, report_mother_keys[k], o2);
	}
	json_object_set_new(root, "exclusive_breastfeeding", o);
	/* Children 6-23 months asked this month whether still breastfed. */
	json_object_set_new(root, "breastfeeding_continued_2y",
			    jratio(m->asi[REPORT_MOTHER_ALL].bf_yes, m->asi[REPORT_MOTHER_ALL].bf_asked));
	json_object_set_new(root, "breastfeeding_continued_2y_unrecorded",
			    json_integer(m->asi[REPORT_MOTHER_ALL].bf_unrecorded));

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
	json_object_set_new(root, "ilp", report_json_ilp(m->ilp));
	return root;
}

json_t *report_json_ilp(const struct report_ilp ilp[ILP__COUNT])
{
	json_t *o = json_object();
	for (int g = REPORT_ILP_FIRST; g < ILP__COUNT; g++) {
		json_t *x = json_object();
		for (int k = 0; k < REPORT__ILP_COUNTS; k++)
			json_object_set_new(x, report_ilp_keys[k], json_integer(ilp[g].n[k]));
		json_object_set_new(o, ilp_group_code((enum ilp_group)g), x);
	}
	return o;
}

json_t *report_json_followup(const struct report_followup *fu)
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

/* N whole numbers V under KEYS, in that order. */
static void jints(json_t *o, const char *const *keys, const int *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		json_object_set_new(o, keys[k], json_integer(v[k]));
}

/* The counts of a session row and of a month, as keyed in posyandu(1). */
static const char *const row_keys[] = { "children", "pregnant", "women", "counselling" };
static const char *const month_keys[] = { "sessions", "kader_days", "children", "pregnant",
					  "women", "home_visits", "counselling" };

json_t *report_json_sessions(const struct report_src *src, const struct report_sessions *r,
			     int from, int to)
{
	json_t *root = json_object(), *rows = json_array(), *months = json_array();
	char m1[8];

	json_object_set_new(root, "from", json_string(date_format_month(from, m1)));
	json_object_set_new(root, "to", json_string(date_format_month(to, m1)));
	for (size_t i = 0; i < r->n; i++) {
		const struct report_session_row *row = &r->rows[i];
		const struct session *x = row->x;
		const int v[] = { row->children, row->pregnant, row->women, row->counselling };
		json_t *o = json_object(), *k = json_array();
		json_object_set_new(o, "date", jdate(x->date));
		json_object_set_new(o, "place", json_string(x->place));
		json_object_set_new(o, "health_worker", json_string(x->health_worker));
		for (int j = 0; j < x->n_kader && j < SESSION_MAX_KADER; j++) {
			char lab[40];
			json_array_append_new(k, json_string(report_user_label(src, x->kader[j], lab, sizeof lab)));
		}
		json_object_set_new(o, "kader", k);
		jints(o, row_keys, v, sizeof v / sizeof v[0]);
		json_object_set_new(o, "notes", json_string(x->notes));
		json_array_append_new(rows, o);
	}
	for (size_t i = 0; i < r->nmonths; i++) {
		const struct report_session_month *mo = &r->months[i];
		json_t *o = json_object();
		const int v[] = { mo->sessions, mo->kader_days, mo->children, mo->pregnant,
				  mo->women, mo->home_visits, mo->counselling };
		json_object_set_new(o, "month", json_string(date_format_month(mo->month, m1)));
		jints(o, month_keys, v, sizeof v / sizeof v[0]);
		json_array_append_new(months, o);
	}
	json_object_set_new(root, "sessions", rows);
	json_object_set_new(root, "months", months);
	return root;
}

json_t *report_json_trend(const struct report_trend_point *t, int n)
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
