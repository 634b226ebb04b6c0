/* tests/unit/test_codec.c: the Posyandu ILP fields of a visit payload
 * (storage/codec.c, issue 14) survive encode and decode; a question left
 * unasked and a measurement not taken are absent from the payload; a count
 * whose 0 is a real answer (para, ADL) keeps it; a bad value is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/date.h"
#include "storage/codec.h"

static const uint8_t author[16] = { 7 };

static struct visit ilp_visit(void)
{
	struct visit v;
	memset(&v, 0, sizeof v);
	v.uuid[0] = 1;
	v.person[0] = 2;
	v.date = 20000;
	v.glucose_mgdl = 201;
	v.glucose_fasting = ASK_NO;
	v.waist_mm = 905;
	v.hb_dgl = 115;
	v.tb_symptoms = ASK_YES;
	v.smoking = ASK_NO;
	v.cholesterol_mgdl = 240;
	v.uric_dmgdl = 72;
	v.puma_packyears = PY_20_30;
	v.adl = 1;                 /* Barthel 0: fully dependent, a real answer */
	v.kb_method = KB_IMPLANT;
	v.hpht = 19800;
	v.gravida = 1;
	v.para = 1;                /* para 0 */
	v.td_status = 5;
	v.vita_pp = 3;
	v.development = ASK_NO;
	return v;
}

static void test_ilp_fields_round_trip(void **state)
{
	struct visit v = ilp_visit(), w;
	struct err err = { 0 };
	uint8_t a[16];
	int64_t t;
	char *json = codec_visit_encode(&v, author, 1);
	(void)state;

	assert_non_null(json);
	assert_non_null(strstr(json, "\"para\":0"));
	assert_non_null(strstr(json, "\"adl\":0"));
	assert_non_null(strstr(json, "\"glucose_fasting\":false"));
	assert_non_null(strstr(json, "\"hpht\":\""));
	assert_null(strstr(json, "risk_drugs"));      /* not asked: absent */
	assert_null(strstr(json, "gest_weeks"));      /* not measured: absent */
	memset(&w, 0xa5, sizeof w);
	assert_int_equal(codec_visit_decode(json, strlen(json), &w, a, &t, &err), 0);
	assert_memory_equal(&w.glucose_mgdl, &v.glucose_mgdl, sizeof v.glucose_mgdl);
	assert_int_equal(w.glucose_fasting, ASK_NO);
	assert_int_equal(w.waist_mm, 905);
	assert_int_equal(w.hb_dgl, 115);
	assert_int_equal(w.tb_symptoms, ASK_YES);
	assert_int_equal(w.smoking, ASK_NO);
	assert_int_equal(w.risk_drugs, ASK_NOT);
	assert_int_equal(w.cholesterol_mgdl, 240);
	assert_int_equal(w.uric_dmgdl, 72);
	assert_int_equal(w.puma_packyears, PY_20_30);
	assert_int_equal(w.adl, 1);
	assert_int_equal(w.kb_method, KB_IMPLANT);
	assert_int_equal(w.hpht, 19800);
	assert_int_equal(w.gravida, 1);
	assert_int_equal(w.para, 1);
	assert_int_equal(w.td_status, 5);
	assert_int_equal(w.vita_pp, 3);
	assert_int_equal(w.development, ASK_NO);
	assert_int_equal(w.deworm, ASK_NOT);
	free(json);
}

/* A payload written before issue 14 decodes with every ILP field absent. */
static void test_old_payload_has_nothing_asked(void **state)
{
	struct visit v, w;
	struct err err = { 0 };
	uint8_t a[16];
	int64_t t;
	char *json;
	(void)state;

	memset(&v, 0, sizeof v);
	v.person[0] = 2;
	v.date = 20000;
	v.weight_g = 9000;
	json = codec_visit_encode(&v, author, 1);
	assert_non_null(json);
	memset(&w, 0xa5, sizeof w);
	assert_int_equal(codec_visit_decode(json, strlen(json), &w, a, &t, &err), 0);
	assert_int_equal(w.hpht, 0);
	assert_int_equal(w.para, 0);
	assert_int_equal(w.adl, 0);
	assert_int_equal(w.smoking, ASK_NOT);
	assert_int_equal(w.glucose_mgdl, 0);
	free(json);
}

static int decode_with(const char *field_json)
{
	char json[512];
	struct visit w;
	struct err err = { 0 };
	uint8_t a[16];
	int64_t t;

	snprintf(json, sizeof json,
		 "{\"a\":\"07000000-0000-0000-0000-000000000000\",\"d\":{\"date\":\"2024-10-04\","
		 "\"person\":\"02000000-0000-0000-0000-000000000000\",%s},\"t\":1,\"type\":\"visit\"}",
		 field_json);
	return codec_visit_decode(json, strlen(json), &w, a, &t, &err);
}

#define refused(f) assert_int_not_equal(decode_with(f), 0)

static void test_bad_values_are_refused(void **state)
{
	(void)state;
	assert_int_equal(decode_with("\"adl\":20"), 0);     /* the envelope itself is good */
	assert_int_equal(decode_with("\"para\":0"), 0);
	refused("\"adl\":21");
	refused("\"para\":-1");
	refused("\"td_status\":6");
	refused("\"kb_method\":99");
	refused("\"smoking\":1");
	refused("\"hpht\":\"1970-01-01\"");
}

/* A person's payload, encoded, with its "d" object changed by EDIT (keys
 * removed or set), decoded into *P; the decoder's result. */
static int person_edited(const struct person *in, const char *del1, const char *del2,
			 const char *set_key, json_t *set_val, struct person *p)
{
	struct err err = { 0 };
	char *json = codec_person_encode(in, author, 1), *out;
	json_t *root, *d;
	uint8_t a[16];
	int64_t t;
	int rc;

	assert_non_null(json);
	root = json_loads(json, 0, NULL);
	assert_non_null(root);
	d = json_object_get(root, "d");
	assert_non_null(d);
	if (del1)
		json_object_del(d, del1);
	if (del2)
		json_object_del(d, del2);
	if (set_key)
		json_object_set_new(d, set_key, set_val);
	out = json_dumps(root, JSON_COMPACT);
	rc = codec_person_decode(out, strlen(out), p, a, &t, &err);
	free(out);
	free(json);
	json_decref(root);
	return rc;
}

/* "Has a KMS / Buku KIA" (the K of SKDN counts only a yes) and "works
 * outside the home" (the breastfeeding split) are questions: not asked,
 * yes and no survive; a yes still writes the old boolean for devices not
 * yet updated; a record from before (the boolean only, true written,
 * false left out) reads yes or no, never "not asked". */
static void test_questions_were_booleans(void **state)
{
	static const struct { const char *key, *legacy; size_t off; enum person_kind kind; } q[] = {
		{ "kia", "has_kia", offsetof(struct person, kia), PERSON_CHILD },
		{ "works", "mother_works", offsetof(struct person, works), PERSON_WOMAN },
	};
	struct person c, p;
	char *json, want[32];
	(void)state;

	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		uint8_t *cv = (uint8_t *)&c + q[i].off, *pv = (uint8_t *)&p + q[i].off;

		memset(&c, 0, sizeof c);
		c.kind = q[i].kind;
		snprintf(c.name, sizeof c.name, "Budi");
		c.sex = q[i].kind == PERSON_CHILD ? 'L' : 'P';
		c.dob = c.registered = 20000;
		snprintf(want, sizeof want, "\"%s\":true", q[i].legacy);
		for (int k = ASK_NOT; k <= ASK_NO; k++) {
			*cv = (uint8_t)k;
			memset(&p, 0xa5, sizeof p);
			assert_int_equal(person_edited(&c, NULL, NULL, NULL, NULL, &p), 0);
			assert_int_equal(*pv, k);
			json = codec_person_encode(&c, author, 1);
			assert_non_null(json);
			assert_int_equal(strstr(json, want) != NULL, k == ASK_YES);
			free(json);
		}
		/* older records: only the boolean, true or left out */
		*cv = ASK_YES;
		assert_int_equal(person_edited(&c, q[i].key, NULL, NULL, NULL, &p), 0);
		assert_int_equal(*pv, ASK_YES);
		assert_int_equal(person_edited(&c, q[i].key, q[i].legacy, NULL, NULL, &p), 0);
		assert_int_equal(*pv, ASK_NO);
		/* the new key wins over the old one; anything but a boolean or null is refused */
		assert_int_equal(person_edited(&c, NULL, NULL, q[i].key, json_null(), &p), 0);
		assert_int_equal(*pv, ASK_NOT);
		assert_int_not_equal(person_edited(&c, NULL, NULL, q[i].key, json_integer(1), &p), 0);
		assert_int_not_equal(person_edited(&c, q[i].key, NULL, q[i].legacy, json_string("y"), &p), 0);
		assert_int_not_equal(person_edited(&c, NULL, NULL, q[i].legacy, json_string("y"), &p), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_questions_were_booleans),
		cmocka_unit_test(test_ilp_fields_round_trip),
		cmocka_unit_test(test_old_payload_has_nothing_asked),
		cmocka_unit_test(test_bad_values_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
