/* tests/unit/test_store.c: the encrypted record store (storage/record.c,
 * storage/store.c) on real SQLite files with real libsodium.
 *
 * What the design promises (ARCHITECTURE.md "Data model", SECURITY.md §2.4,
 * §2.11, §3.1) and what is checked here:
 *   - every field of a person or visit comes back after close and reopen;
 *   - an edit appends a version; history lists them oldest first with the
 *     author and time; a delete is a tombstone version;
 *   - a retried save with the same draft makes no duplicate;
 *   - Lamport stamps are 1 + the highest stored;
 *   - tampering with a ciphertext or any clear column of a version is an
 *     ERR_CRYPTO failure, never garbage data;
 *   - no name, NIK or date of birth is ever in a file of the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/date.h"
#include "storage/clock.h"
#include "storage/internal.h"
#include "tests/helpers/testutil.h"

struct fixture {
	char *dir;
	struct store *s;         /* logged in as TU_ADMIN */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct err err = { 0 };
	if (!f || !(f->dir = tu_mkdtemp()))
		return -1;
	if (!(f->s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, &err))) {
		print_error("store_create: %s\n", err.detail);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* An allocated path DIR/NAME inside the fixture's directory, so teardown
 * removes whatever a test puts there even when the test fails. */
static char *subdir(const struct fixture *f, const char *name)
{
	size_t n = strlen(f->dir) + strlen(name) + 2;
	char *path = malloc(n);
	assert_non_null(path);
	tu_path(path, n, f->dir, name);
	return path;
}

/* Close the store and open it again, logged in as LABEL. */
static void reopen_as(struct fixture *f, const char *label, const char *pin)
{
	struct err err = { 0 };
	store_close(f->s);
	f->s = tu_store_login(f->dir, label, pin, &err);
	if (!f->s)
		fail_msg("reopen as %s: %s %s", label, err_code_name(err.code), err.detail);
}

static void reopen(struct fixture *f)
{
	reopen_as(f, TU_ADMIN, TU_PIN);
}

/* Close the store and run SQL on the file with a plain connection. */
static void tamper(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	store_close(f->s);
	f->s = NULL;
	assert_non_null(db = tu_raw_open(f->dir));
	if (tu_raw_exec(db, "%s", sql) < 0)
		fail_msg("tamper SQL failed: %s", sql);
	if (tu_raw_changes(db) < 1)
		fail_msg("tamper SQL changed nothing: %s", sql);
	tu_raw_close(db);
	reopen(f);
}

static int64_t raw_int(struct fixture *f, const char *sql)
{
	sqlite3 *db = tu_raw_open(f->dir);
	int64_t v;
	assert_non_null(db);
	v = tu_raw_int(db, "%s", sql);
	tu_raw_close(db);
	return v;
}

static size_t version_count(struct store *s)
{
	size_t versions = 0;
	struct err err = { 0 };
	assert_int_equal(store_counts(s, NULL, NULL, &versions, &err), 0);
	return versions;
}

static int32_t day_of(const char *ddmmyyyy)
{
	int32_t d;
	if (date_parse(ddmmyyyy, &d, NULL) < 0)
		fail_msg("bad date in test: %s", ddmmyyyy);
	return d;
}

/* ---- records with every field set ---- */

static void make_mother(struct person *p)
{
	memset(p, 0, sizeof *p);
	p->kind = PERSON_WOMAN;
	snprintf(p->name, sizeof p->name, "Siti Aminah");
	p->sex = 'P';
	p->dob = day_of("14-05-1995");
	snprintf(p->nik, sizeof p->nik, "3201235405950001");
	snprintf(p->kk, sizeof p->kk, "3201230101200009");
	snprintf(p->mother_name, sizeof p->mother_name, "Ibu Halimah");
	snprintf(p->father_name, sizeof p->father_name, "Bapak Karta");
	snprintf(p->address, sizeof p->address, "Jl. Melati No. 7, Dusun Cempaka");
	p->rt = 3;
	p->rw = 255;
	snprintf(p->phone, sizeof p->phone, "081234567890");
	p->works = ASK_YES;
	p->kia = ASK_YES;
	p->registered = day_of("02-01-2024");
}

static void make_child(struct person *p, const uint8_t mother[UUID_LEN])
{
	memset(p, 0, sizeof *p);
	p->kind = PERSON_CHILD;
	snprintf(p->name, sizeof p->name, "Budi \"Ucok\" Santoso\\Jr \xc3\xa9");
	p->sex = 'L';
	p->dob = day_of("03-11-2023");
	snprintf(p->nik, sizeof p->nik, "3201230311230007");
	snprintf(p->kk, sizeof p->kk, "3201230101200009");
	memcpy(p->mother, mother, UUID_LEN);
	snprintf(p->mother_name, sizeof p->mother_name, "Siti Aminah");
	snprintf(p->father_name, sizeof p->father_name, "Joko Santoso");
	snprintf(p->address, sizeof p->address, "Jl. Melati No. 7");
	p->rt = 1;
	p->rw = 12;
	snprintf(p->phone, sizeof p->phone, "+62 812-0000-111");
	p->birth_weight_g = 3150;
	p->birth_length_mm = 495;
	p->works = ASK_YES;
	p->kia = ASK_YES;
	p->registered = day_of("04-11-2023");
}

static void make_visit(struct visit *v, const uint8_t person[UUID_LEN], const char *date)
{
	memset(v, 0, sizeof *v);
	memcpy(v->person, person, UUID_LEN);
	v->date = day_of(date);
	v->weight_g = 9100;
	v->lenhei_mm = 745;
	v->measure = 'l';
	v->headc_mm = 452;
	v->muac_mm = 141;
	v->oedema = true;
	v->asi_recall = 1;
	v->counsel_asi = true;
	v->bf_continue = BF_ASKED_YES;
	v->vitamin_a = VITA_BLUE;
	v->imm = (1u << IMM_HB0) | (1u << IMM_BCG) | (1u << IMM_DPT1) | (1u << IMM_PCV3) |
		 (1u << IMM_JE);
	v->home_visit = true;
	v->gest_weeks = 28;
	v->bp_sys = 120;
	v->bp_dia = 80;
	v->iron_tablets = 30;
	v->anc_no = 4;
	v->danger_signs = 0x0105;
	snprintf(v->note, sizeof v->note, "Catatan: \"rujuk\" ke puskesmas\\ segera; ibu hadir \xe2\x9c\x93");
}

static void assert_person_equal(const struct person *got, const struct person *want)
{
	assert_memory_equal(got->uuid, want->uuid, UUID_LEN);
	assert_int_equal(got->kind, want->kind);
	assert_string_equal(got->name, want->name);
	assert_int_equal(got->sex, want->sex);
	assert_int_equal(got->dob, want->dob);
	assert_string_equal(got->nik, want->nik);
	assert_string_equal(got->kk, want->kk);
	assert_memory_equal(got->mother, want->mother, UUID_LEN);
	assert_string_equal(got->mother_name, want->mother_name);
	assert_string_equal(got->father_name, want->father_name);
	assert_string_equal(got->address, want->address);
	assert_int_equal(got->rt, want->rt);
	assert_int_equal(got->rw, want->rw);
	assert_string_equal(got->phone, want->phone);
	assert_int_equal(got->birth_weight_g, want->birth_weight_g);
	assert_int_equal(got->birth_length_mm, want->birth_length_mm);
	assert_int_equal(got->works, want->works);
	assert_int_equal(got->kia, want->kia);
	assert_int_equal(got->registered, want->registered);
}

static void assert_visit_equal(const struct visit *got, const struct visit *want)
{
	assert_memory_equal(got->uuid, want->uuid, UUID_LEN);
	assert_memory_equal(got->person, want->person, UUID_LEN);
	assert_int_equal(got->date, want->date);
	assert_int_equal(got->weight_g, want->weight_g);
	assert_int_equal(got->lenhei_mm, want->lenhei_mm);
	assert_int_equal(got->measure, want->measure);
	assert_int_equal(got->headc_mm, want->headc_mm);
	assert_int_equal(got->muac_mm, want->muac_mm);
	assert_int_equal(got->oedema, want->oedema);
	assert_int_equal(got->asi_recall, want->asi_recall);
	assert_int_equal(got->counsel_asi, want->counsel_asi);
	assert_int_equal(got->bf_continue, want->bf_continue);
	assert_int_equal(got->vitamin_a, want->vitamin_a);
	assert_int_equal(got->imm, want->imm);
	assert_int_equal(got->home_visit, want->home_visit);
	assert_int_equal(got->gest_weeks, want->gest_weeks);
	assert_int_equal(got->bp_sys, want->bp_sys);
	assert_int_equal(got->bp_dia, want->bp_dia);
	assert_int_equal(got->iron_tablets, want->iron_tablets);
	assert_int_equal(got->anc_no, want->anc_no);
	assert_int_equal(got->danger_signs, want->danger_signs);
	assert_string_equal(got->note, want->note);
}

static const struct person *find_person(const struct person *ps, size_t n, const uint8_t uuid[16])
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(ps[i].uuid, uuid, 16) == 0)
			return &ps[i];
	return NULL;
}

static const struct visit *find_visit(const struct visit *vs, size_t n, const uint8_t uuid[16])
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(vs[i].uuid, uuid, 16) == 0)
			return &vs[i];
	return NULL;
}

/* Save P as a new record; its uuid comes from the draft. */
static void put_new_person(struct store *s, struct person *p, struct draft *d)
{
	struct err err = { 0 };
	store_draft_new(d);
	memcpy(p->uuid, d->uuid, UUID_LEN);
	if (store_person_put(s, d, p, &err) < 0)
		fail_msg("store_person_put: %s %s", err_code_name(err.code), err.detail);
}

static void put_new_visit(struct store *s, struct visit *v, struct draft *d)
{
	struct err err = { 0 };
	store_draft_new(d);
	memcpy(v->uuid, d->uuid, UUID_LEN);
	if (store_visit_put(s, d, v, &err) < 0)
		fail_msg("store_visit_put: %s %s", err_code_name(err.code), err.detail);
}

/* A mother, her child, and two visits of the child and one of the mother. */
struct family {
	struct person mother, child;
	struct visit v1, v2, vm;
	struct draft dm, dc, d1, d2, dvm;
};

static void save_family(struct store *s, struct family *fam)
{
	make_mother(&fam->mother);
	put_new_person(s, &fam->mother, &fam->dm);
	make_child(&fam->child, fam->mother.uuid);
	put_new_person(s, &fam->child, &fam->dc);

	make_visit(&fam->v1, fam->child.uuid, "10-01-2024");
	put_new_visit(s, &fam->v1, &fam->d1);
	/* the other value of each field that has more than "set / not set" */
	make_visit(&fam->v2, fam->child.uuid, "12-02-2024");
	fam->v2.measure = 'h';
	fam->v2.asi_recall = 0;            /* asked: no (not the same as -1, not asked) */
	fam->v2.vitamin_a = VITA_RED;
	fam->v2.counsel_asi = false;
	fam->v2.bf_continue = BF_ASKED_NO;        /* asked: no (not the same as not asked) */
	fam->v2.oedema = false;
	fam->v2.home_visit = false;
	fam->v2.imm = (1u << IMM__COUNT) - 1;   /* every antigen */
	put_new_visit(s, &fam->v2, &fam->d2);

	make_visit(&fam->vm, fam->mother.uuid, "12-02-2024");
	fam->vm.asi_recall = -1;
	fam->vm.measure = 0;
	fam->vm.vitamin_a = VITA_NONE;
	fam->vm.imm = 0;
	fam->vm.note[0] = '\0';
	put_new_visit(s, &fam->vm, &fam->dvm);
}

/* ---- round trip ---- */

static void test_round_trip_every_field(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct person *people;
	struct visit *visits;
	size_t np, nv, counted_people, counted_visits;
	struct err err = { 0 };

	save_family(f->s, &fam);
	reopen(f);

	assert_int_equal(store_people(f->s, &people, &np, &err), 0);
	assert_int_equal(np, 2);
	assert_non_null(find_person(people, np, fam.mother.uuid));
	assert_non_null(find_person(people, np, fam.child.uuid));
	assert_person_equal(find_person(people, np, fam.mother.uuid), &fam.mother);
	assert_person_equal(find_person(people, np, fam.child.uuid), &fam.child);
	/* the child is linked to the mother */
	assert_memory_equal(find_person(people, np, fam.child.uuid)->mother, fam.mother.uuid, UUID_LEN);
	store_free(people);

	assert_int_equal(store_visits(f->s, &visits, &nv, &err), 0);
	assert_int_equal(nv, 3);
	assert_non_null(find_visit(visits, nv, fam.v1.uuid));
	assert_non_null(find_visit(visits, nv, fam.v2.uuid));
	assert_non_null(find_visit(visits, nv, fam.vm.uuid));
	assert_visit_equal(find_visit(visits, nv, fam.v1.uuid), &fam.v1);
	assert_visit_equal(find_visit(visits, nv, fam.v2.uuid), &fam.v2);
	assert_visit_equal(find_visit(visits, nv, fam.vm.uuid), &fam.vm);
	store_free(visits);

	assert_int_equal(store_counts(f->s, &counted_people, &counted_visits, NULL, &err), 0);
	assert_int_equal(counted_people, 2);
	assert_int_equal(counted_visits, 3);
}

/* "Missing" is 0 for measurements and DATE_NONE for dates (person.h). */
static void test_round_trip_missing_values(void **state)
{
	struct fixture *f = *state;
	struct person p = { 0 }, *people;
	struct visit v = { 0 }, *visits;
	struct draft d;
	size_t n;
	struct err err = { 0 };

	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Bayi Ny. Siti");
	p.dob = DATE_NONE;
	p.registered = DATE_NONE;
	put_new_person(f->s, &p, &d);
	memcpy(v.person, p.uuid, UUID_LEN);
	v.date = day_of("01-03-2024");
	v.asi_recall = -1;
	put_new_visit(f->s, &v, &d);
	reopen(f);

	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_person_equal(&people[0], &p);
	store_free(people);
	assert_int_equal(store_visits(f->s, &visits, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_visit_equal(&visits[0], &v);
	store_free(visits);
}

static void test_profile_and_device_survive_reopen(void **state)
{
	struct fixture *f = *state;
	struct store_profile want;
	uint8_t device[16], zero[16] = { 0 };
	struct err err = { 0 };
	struct store *locked;

	tu_profile(&want);
	memcpy(device, store_device_id(f->s), 16);
	assert_memory_not_equal(device, zero, 16);
	reopen(f);
	assert_memory_equal(store_device_id(f->s), device, 16);
	assert_string_equal(store_get_profile(f->s)->code, want.code);
	assert_string_equal(store_get_profile(f->s)->name, want.name);
	assert_string_equal(store_get_profile(f->s)->desa, want.desa);
	assert_string_equal(store_get_profile(f->s)->kecamatan, want.kecamatan);
	assert_string_equal(store_get_profile(f->s)->puskesmas, want.puskesmas);
	assert_string_equal(store_get_profile(f->s)->kabupaten, want.kabupaten);
	/* the profile is readable before login (the login screen shows it) */
	assert_non_null(locked = store_open(f->dir, NULL, &err));
	assert_string_equal(store_get_profile(locked)->name, want.name);
	store_close(locked);
}

/* Only the code and name are required; the empty fields come back empty. */
static void test_profile_with_empty_fields(void **state)
{
	struct fixture *f = *state;
	struct store_profile p = { 0 };
	struct err err = { 0 };
	char *dir = subdir(f, "anggrek");
	struct store *s;

	snprintf(p.code, sizeof p.code, "P-0002");
	snprintf(p.name, sizeof p.name, "Posyandu Anggrek");
	assert_non_null(s = store_create(dir, &p, TU_ADMIN, TU_PIN, TU_PIN_LEN, tu_kdf_fast(), &err));
	store_close(s);
	s = store_open(dir, NULL, &err);
	if (!s)
		fail_msg("store_open: %s", err.detail);
	assert_string_equal(store_get_profile(s)->code, "P-0002");
	assert_string_equal(store_get_profile(s)->name, "Posyandu Anggrek");
	assert_string_equal(store_get_profile(s)->desa, "");
	assert_string_equal(store_get_profile(s)->kabupaten, "");
	store_close(s);
	tu_rmtree(dir);
	free(dir);
}

/* ---- versions and history ---- */

static void test_edits_make_versions(void **state)
{
	struct fixture *f = *state;
	struct person p, *people;
	struct draft d;
	struct store_version *h;
	size_t n, versions_before;
	struct err err = { 0 };
	const struct store_user *me = store_session(f->s);
	int64_t t0 = clock_now(), t1;
	static const char *const names[] = { "Siti Aminah", "Siti Aminah binti Karta", "Siti A. Karta" };

	assert_non_null(me);
	make_mother(&p);
	put_new_person(f->s, &p, &d);
	for (int i = 1; i < 3; i++) {
		versions_before = version_count(f->s);
		assert_int_equal(store_draft_edit(f->s, &d, p.uuid, &err), 0);
		assert_memory_equal(d.uuid, p.uuid, UUID_LEN);
		assert_true(d.prev_lamport > 0);
		assert_memory_equal(d.prev_device, store_device_id(f->s), 16);
		snprintf(p.name, sizeof p.name, "%s", names[i]);
		assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);
		assert_int_equal(version_count(f->s), versions_before + 1);
	}
	t1 = clock_now();

	/* the current state is the last edit, and there is still one person */
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(people[0].name, names[2]);
	assert_string_equal(people[0].nik, p.nik);
	store_free(people);

	assert_int_equal(store_history(f->s, p.uuid, &h, &n, &err), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(h[i].u.person.name, names[i]);          /* oldest first */
		assert_memory_equal(h[i].u.person.uuid, p.uuid, UUID_LEN);
		assert_int_equal(h[i].kind, REC_PERSON);
		assert_false(h[i].deleted);
		assert_memory_equal(h[i].author, me->uuid, UUID_LEN);
		assert_memory_equal(h[i].device, store_device_id(f->s), 16);
		assert_true(h[i].time >= t0 && h[i].time <= t1);
		if (i > 0) {
			assert_true(h[i].lamport > h[i - 1].lamport);
			assert_true(h[i].seq > h[i - 1].seq);
		}
	}
	store_free(h);
}

/* Each version names the user who saved it. */
static void test_history_names_each_author(void **state)
{
	struct fixture *f = *state;
	struct person p;
	struct draft d;
	struct store_version *h;
	struct store_user *users;
	size_t n, nu;
	uint8_t admin[16], kader[16];
	struct err err = { 0 };

	memcpy(admin, store_session(f->s)->uuid, 16);
	assert_int_equal(store_user_add(f->s, "kader1", ROLE_KADER, "582941", 6, tu_kdf_fast(), &err), 0);
	make_mother(&p);
	put_new_person(f->s, &p, &d);

	reopen_as(f, "kader1", "582941");
	memcpy(kader, store_session(f->s)->uuid, 16);
	assert_memory_not_equal(kader, admin, 16);
	assert_int_equal(store_draft_edit(f->s, &d, p.uuid, &err), 0);
	p.rt = 9;
	assert_int_equal(store_person_put(f->s, &d, &p, &err), 0);

	assert_int_equal(store_history(f->s, p.uuid, &h, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(h[0].author, admin, 16);
	assert_memory_equal(h[1].author, kader, 16);
	assert_int_equal(h[0].u.person.rt, 3);
	assert_int_equal(h[1].u.person.rt, 9);
	store_free(h);

	/* and the uuid is the one store_users shows for that label */
	assert_int_equal(store_users(f->s, &users, &nu, &err), 0);
	for (size_t i = 0; i < nu; i++)
		if (strcmp(users[i].label, "kader1") == 0)
			assert_memory_equal(users[i].uuid, kader, 16);
	free(users);
}

static void test_delete_makes_a_tombstone(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct draft d;
	struct person *people;
	struct visit *visits;
	struct store_version *h;
	size_t n, np, nv, versions_before;
	struct err err = { 0 };

	save_family(f->s, &fam);
	versions_before = version_count(f->s);

	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);
	assert_int_equal(store_draft_edit(f->s, &d, fam.v1.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);
	assert_int_equal(version_count(f->s), versions_before + 2);   /* nothing is erased */
	reopen(f);

	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(people[0].uuid, fam.mother.uuid, UUID_LEN);
	store_free(people);
	assert_int_equal(store_visits(f->s, &visits, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_null(find_visit(visits, n, fam.v1.uuid));
	store_free(visits);
	assert_int_equal(store_counts(f->s, &np, &nv, NULL, &err), 0);
	assert_int_equal(np, 1);
	assert_int_equal(nv, 2);

	/* history still has the record, ending in the tombstone */
	assert_int_equal(store_history(f->s, fam.child.uuid, &h, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_false(h[0].deleted);
	assert_string_equal(h[0].u.person.name, fam.child.name);
	assert_true(h[1].deleted);
	assert_int_equal(h[1].kind, REC_PERSON);
	assert_true(h[1].lamport > h[0].lamport);
	assert_memory_equal(h[1].author, store_session(f->s)->uuid, UUID_LEN);
	assert_true(h[1].time > 0);
	store_free(h);
	assert_int_equal(store_history(f->s, fam.v1.uuid, &h, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_true(h[1].deleted);
	assert_int_equal(h[1].kind, REC_VISIT);
	store_free(h);
	assert_int_equal(store_verify(f->s, &n, &err), 0);
	assert_int_equal(n, versions_before + 2);
}

/* The visit refs the unlock's heads check gathers (store_want_visit_refs)
 * are the ones store_visit_refs reads from the store, in the same order;
 * handed over once; never after a version came since; never from a store
 * whose heads do not hold. */
struct refs { char s[4096]; size_t n; };
static int ref_one(void *ctx, const uint8_t uuid[UUID_LEN], const uint8_t person[UUID_LEN],
		   int month, struct err *err)
{
	struct refs *r = ctx;
	char a[UUID_STRLEN], b[UUID_STRLEN];
	(void)err;
	r->n += (size_t)snprintf(r->s + r->n, sizeof r->s - r->n, "%s %s %d\n", uuid_format(uuid, a),
				 uuid_format(person, b), month);
	return 0;
}

static void refs_of(struct fixture *f, bool want, struct refs *r)
{
	struct err err = { 0 };
	memset(r, 0, sizeof *r);
	store_close(f->s);
	assert_non_null(f->s = store_open(f->dir, NULL, &err));
	if (want)
		store_want_visit_refs(f->s);
	assert_int_equal(store_login(f->s, TU_ADMIN, TU_PIN, strlen(TU_PIN), NULL, &err), 0);
	assert_int_equal(store_visit_refs(f->s, ref_one, r, &err), 0);
}

static void test_visit_refs_gathered_at_unlock(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct refs plain, kept, again;
	struct visit v;
	struct draft d;
	struct err err = { 0 };

	save_family(f->s, &fam);
	assert_int_equal(store_draft_edit(f->s, &d, fam.v1.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);   /* a deleted visit is no ref */
	refs_of(f, false, &plain);
	assert_int_equal(plain.n > 0, 1);
	refs_of(f, true, &kept);
	assert_string_equal(kept.s, plain.s);
	/* once: the next call reads the store, and says the same */
	memset(&again, 0, sizeof again);
	assert_int_equal(store_visit_refs(f->s, ref_one, &again, &err), 0);
	assert_string_equal(again.s, plain.s);

	/* the gathered refs are what is handed over: a month moved by SQL
	 * after the unlock (no new version) is not seen until the next */
	store_close(f->s);
	assert_non_null(f->s = store_open(f->dir, NULL, &err));
	store_want_visit_refs(f->s);
	assert_int_equal(store_login(f->s, TU_ADMIN, TU_PIN, strlen(TU_PIN), NULL, &err), 0);
	{
		sqlite3 *db = tu_raw_open(f->dir);
		assert_non_null(db);
		assert_int_equal(tu_raw_exec(db, "UPDATE versions SET month = month + 1"), 0);
		tu_raw_close(db);
	}
	memset(&again, 0, sizeof again);
	assert_int_equal(store_visit_refs(f->s, ref_one, &again, &err), 0);
	assert_string_equal(again.s, plain.s);
	memset(&again, 0, sizeof again);
	assert_int_equal(store_visit_refs(f->s, ref_one, &again, &err), 0);
	assert_string_not_equal(again.s, plain.s);
	{
		sqlite3 *db = tu_raw_open(f->dir);
		assert_non_null(db);
		assert_int_equal(tu_raw_exec(db, "UPDATE versions SET month = month - 1"), 0);
		tu_raw_close(db);
	}

	/* a version after the unlock: the gathered refs are not used */
	refs_of(f, true, &kept);
	make_visit(&v, fam.mother.uuid, "13-03-2024");
	put_new_visit(f->s, &v, &d);
	memset(&again, 0, sizeof again);
	assert_int_equal(store_visit_refs(f->s, ref_one, &again, &err), 0);
	assert_string_not_equal(again.s, plain.s);
	refs_of(f, false, &plain);
	assert_string_equal(again.s, plain.s);

	/* heads that do not hold (a head rolled back by SQL): the rows' answer */
	store_close(f->s);
	f->s = NULL;
	{
		sqlite3 *db = tu_raw_open(f->dir);
		assert_non_null(db);
		assert_int_equal(tu_raw_exec(db, "UPDATE heads SET deleted = 1 WHERE kind = 2 AND "
					     "uuid = (SELECT min(uuid) FROM heads WHERE kind = 2 AND deleted = 0)"), 0);
		tu_raw_close(db);
	}
	refs_of(f, false, &plain);
	refs_of(f, true, &kept);
	assert_true(store_integrity_warning(f->s) != 0);
	assert_string_equal(kept.s, plain.s);
}

/* The same draft saved twice (a retry after an ambiguous failure) stores one
 * version (SECURITY.md §3.1). */
static void test_retried_save_makes_no_duplicate(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct draft d;
	struct person *people;
	struct visit *visits;
	struct store_version *h;
	size_t n, before;
	struct err err = { 0 };

	save_family(f->s, &fam);
	before = version_count(f->s);

	/* a new person and a new visit, saved again */
	assert_int_equal(store_person_put(f->s, &fam.dm, &fam.mother, &err), 0);
	assert_int_equal(store_visit_put(f->s, &fam.d1, &fam.v1, &err), 0);
	assert_int_equal(version_count(f->s), before);

	/* an edit, saved twice, also after a reopen */
	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	fam.child.rw = 13;
	assert_int_equal(store_person_put(f->s, &d, &fam.child, &err), 0);
	assert_int_equal(store_person_put(f->s, &d, &fam.child, &err), 0);
	reopen(f);
	assert_int_equal(store_person_put(f->s, &d, &fam.child, &err), 0);
	assert_int_equal(version_count(f->s), before + 1);

	/* a late retry of the first save does not bring the old version back */
	assert_int_equal(store_person_put(f->s, &fam.dc, &fam.child, &err), 0);
	assert_int_equal(version_count(f->s), before + 1);
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(find_person(people, n, fam.child.uuid)->rw, 13);
	store_free(people);

	/* a delete, retried */
	assert_int_equal(store_draft_edit(f->s, &d, fam.vm.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);
	assert_int_equal(version_count(f->s), before + 2);
	assert_int_equal(store_visits(f->s, &visits, &n, &err), 0);
	assert_int_equal(n, 2);
	store_free(visits);

	assert_int_equal(store_history(f->s, fam.child.uuid, &h, &n, &err), 0);
	assert_int_equal(n, 2);
	store_free(h);
}

/* The version id names one save. Reused for another action (a delete with
 * the draft of the save, or another record), it is "same key, different
 * content" (SECURITY.md §0.5): refused, never reported as done. */
static void test_draft_reused_for_another_action(void **state)
{
	struct fixture *f = *state;
	struct person a, b, *people;
	struct draft da, db, other;
	size_t n, before;
	struct err err = { 0 };

	make_mother(&a);
	put_new_person(f->s, &a, &da);
	make_mother(&b);
	snprintf(b.name, sizeof b.name, "Dewi Lestari");
	put_new_person(f->s, &b, &db);
	before = version_count(f->s);

	/* the save's own draft used to delete: either refused, or really deleted */
	if (store_delete(f->s, &da, &err) == 0) {
		assert_int_equal(store_people(f->s, &people, &n, &err), 0);
		if (find_person(people, n, a.uuid)) {
			store_free(people);
			fail_msg("store_delete returned 0 but the person is still there");
		}
		store_free(people);
	} else {
		assert_int_equal(version_count(f->s), before);
	}

	/* another record's draft with a used version id */
	before = version_count(f->s);
	other = db;
	memcpy(other.uuid, a.uuid, 16);
	if (store_person_put(f->s, &other, &a, &err) == 0) {
		struct store_version *h;
		assert_int_equal(store_history(f->s, a.uuid, &h, &n, &err), 0);
		store_free(h);
		if (version_count(f->s) == before)
			fail_msg("store_person_put returned 0 but stored nothing");
	}
}

/* lamport = 1 + max(lamport) over every stored version (SECURITY.md §2.11),
 * whatever the record, the kind or the session. */
static void test_lamport_stamps_increase(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	uint8_t order[12][16];
	size_t count = 0;
	struct draft d;
	struct err err = { 0 };
	uint64_t prev = 0;

	save_family(f->s, &fam);
	memcpy(order[count++], fam.mother.uuid, 16);
	memcpy(order[count++], fam.child.uuid, 16);
	memcpy(order[count++], fam.v1.uuid, 16);
	memcpy(order[count++], fam.v2.uuid, 16);
	memcpy(order[count++], fam.vm.uuid, 16);
	reopen(f);
	assert_int_equal(store_draft_edit(f->s, &d, fam.mother.uuid, &err), 0);
	assert_int_equal(store_person_put(f->s, &d, &fam.mother, &err), 0);
	memcpy(order[count++], fam.mother.uuid, 16);
	assert_int_equal(store_draft_edit(f->s, &d, fam.v1.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);
	memcpy(order[count++], fam.v1.uuid, 16);

	/* walk the saves in order; each record's versions come oldest first */
	for (size_t i = 0; i < count; i++) {
		struct store_version *h;
		size_t n, k = 0;
		for (size_t j = 0; j < i; j++)
			if (memcmp(order[j], order[i], 16) == 0)
				k++;
		assert_int_equal(store_history(f->s, order[i], &h, &n, &err), 0);
		assert_true(k < n);
		if (h[k].lamport != prev + 1)
			fail_msg("save %zu: lamport %llu after %llu", i, (unsigned long long)h[k].lamport,
				 (unsigned long long)prev);
		prev = h[k].lamport;
		store_free(h);
	}
	assert_int_equal(prev, count);        /* the first save of a store is lamport 1 */

	/* a version imported from another device with a higher stamp (written
	 * here as SQL, like sync would) is counted: the next save goes above it */
	{
		sqlite3 *db;
		store_close(f->s);
		f->s = NULL;
		assert_non_null(db = tu_raw_open(f->dir));
		assert_int_equal(tu_raw_exec(db, "INSERT INTO versions(uuid, kind, owner, lamport, device, "
					     "prev_lamport, prev_device, month, deleted, key_epoch, vid, "
					     "nonce, ct) VALUES(randomblob(16), 1, NULL, 500, randomblob(16), "
					     "0, zeroblob(16), NULL, 0, 1, randomblob(16), randomblob(24), "
					     "randomblob(40))"), 0);
		tu_raw_close(db);
		reopen(f);
	}
	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	assert_int_equal(store_person_put(f->s, &d, &fam.child, &err), 0);
	{
		struct store_version *h;
		size_t n;
		assert_int_equal(store_history(f->s, fam.child.uuid, &h, &n, &err), 0);
		assert_int_equal(h[n - 1].lamport, 501);
		store_free(h);
	}
}

/* ---- batches: several puts, all or nothing ---- */

static void test_batch_commit_and_abort(void **state)
{
	struct fixture *f = *state;
	struct person p, *people;
	struct draft d[3], again;
	struct store_version *h;
	size_t n, before;
	struct err err = { 0 };
	uint64_t prev = 0;

	/* committed: all three, with increasing stamps, retries deduplicated */
	before = version_count(f->s);
	assert_int_equal(store_batch_begin(f->s, &err), 0);
	assert_int_equal(store_batch_begin(f->s, &err), -1);      /* no nesting */
	for (int i = 0; i < 3; i++) {
		make_mother(&p);
		snprintf(p.name, sizeof p.name, "Ibu Nomor %c", 'A' + i);
		put_new_person(f->s, &p, &d[i]);
	}
	assert_int_equal(store_person_put(f->s, &d[1], &p, &err), 0);  /* a retry */
	assert_int_equal(store_batch_commit(f->s, &err), 0);
	assert_int_equal(store_batch_commit(f->s, &err), -1);     /* nothing open */
	reopen(f);
	assert_int_equal(version_count(f->s), before + 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_history(f->s, d[i].uuid, &h, &n, &err), 0);
		assert_int_equal(n, 1);
		assert_true(h[0].lamport > prev);
		prev = h[0].lamport;
		store_free(h);
	}
	assert_int_equal(store_verify(f->s, &n, &err), 0);

	/* aborted: nothing of it */
	before = version_count(f->s);
	assert_int_equal(store_batch_begin(f->s, &err), 0);
	make_mother(&p);
	put_new_person(f->s, &p, &again);
	store_batch_abort(f->s);
	assert_int_equal(version_count(f->s), before);
	store_batch_abort(f->s);                                  /* harmless twice */

	/* closed with a batch open: not durable */
	assert_int_equal(store_batch_begin(f->s, &err), 0);
	put_new_person(f->s, &p, &again);
	reopen(f);
	assert_int_equal(version_count(f->s), before);
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 3);
	store_free(people);

	/* a locked store opens no batch */
	store_lock(f->s);
	assert_int_equal(store_batch_begin(f->s, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
}

/* ---- refusals ---- */

static void test_locked_store_refuses_records(void **state)
{
	struct fixture *f = *state;
	struct person p, *people = (struct person *)1;
	struct visit *visits = (struct visit *)1;
	struct store_version *h = (struct store_version *)1;
	struct draft d;
	size_t n = 7;
	struct err err = { 0 };

	make_mother(&p);
	put_new_person(f->s, &p, &d);
	store_lock(f->s);
	assert_false(store_unlocked(f->s));
	assert_null(store_session(f->s));

	assert_int_equal(store_people(f->s, &people, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_null(people);
	assert_int_equal(n, 0);
	assert_int_equal(store_visits(f->s, &visits, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_null(visits);
	assert_int_equal(store_history(f->s, p.uuid, &h, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_null(h);
	store_draft_new(&d);
	assert_int_equal(store_person_put(f->s, &d, &p, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
	assert_int_equal(store_verify(f->s, NULL, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);

	/* a store that was opened and never unlocked, the same */
	reopen(f);
	store_close(f->s);
	assert_non_null(f->s = store_open(f->dir, NULL, &err));
	assert_int_equal(store_people(f->s, &people, &n, &err), -1);
	assert_int_equal(err.code, ERR_DENIED);
}

static void test_visit_needs_a_date(void **state)
{
	struct fixture *f = *state;
	struct visit v;
	struct draft d;
	uint8_t person[16] = { 1 };
	struct err err = { 0 };
	size_t before = version_count(f->s);

	make_visit(&v, person, "01-01-2024");
	v.date = DATE_NONE;
	store_draft_new(&d);
	assert_int_equal(store_visit_put(f->s, &d, &v, &err), -1);
	assert_int_equal(err.code, ERR_REQUIRED);
	assert_int_equal(version_count(f->s), before);
}

/* A person's uuid cannot be reused for a visit. */
static void test_edit_cannot_change_kind(void **state)
{
	struct fixture *f = *state;
	struct person p;
	struct visit v;
	struct draft d;
	struct err err = { 0 };
	size_t before;

	make_mother(&p);
	put_new_person(f->s, &p, &d);
	before = version_count(f->s);
	assert_int_equal(store_draft_edit(f->s, &d, p.uuid, &err), 0);
	make_visit(&v, p.uuid, "01-02-2024");
	assert_int_equal(store_visit_put(f->s, &d, &v, &err), -1);
	assert_int_equal(version_count(f->s), before);
}

static void test_unknown_record(void **state)
{
	struct fixture *f = *state;
	struct draft d;
	uint8_t nobody[16];
	struct store_version *h;
	size_t n;
	struct err err = { 0 };

	randombytes_buf(nobody, sizeof nobody);
	assert_int_equal(store_draft_edit(f->s, &d, nobody, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	store_draft_new(&d);
	assert_int_equal(store_delete(f->s, &d, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_int_equal(store_history(f->s, nobody, &h, &n, &err), 0);
	assert_int_equal(n, 0);
	store_free(h);
}

static void test_create_and_open_refusals(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	struct store_profile p;
	char *empty = subdir(f, "empty");
	struct store *s;

	assert_true(store_exists(f->dir));
	assert_int_equal(mkdir(empty, 0700), 0);
	assert_false(store_exists(empty));
	assert_null(s = store_open(empty, NULL, &err));
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_null(tu_store_create(f->dir, "other", TU_PIN, &err));
	assert_int_equal(err.code, ERR_EXISTS);

	tu_profile(&p);
	snprintf(p.code, sizeof p.code, "bad code!");
	assert_null(store_create(empty, &p, TU_ADMIN, TU_PIN, TU_PIN_LEN, tu_kdf_fast(), &err));
	assert_int_equal(err.code, ERR_FORMAT);
	assert_false(store_exists(empty));
	tu_profile(&p);
	assert_null(store_create(empty, &p, "", TU_PIN, TU_PIN_LEN, tu_kdf_fast(), &err));
	assert_false(store_exists(empty));
	tu_rmtree(empty);
	free(empty);
}

/* Whatever store_person_put accepts, store_people gives back: a value the
 * payload cannot carry must be refused at save time, not poison every later
 * load of the store. */
static void test_unstorable_values_are_refused(void **state)
{
	struct fixture *f = *state;
	struct person keep, p, *people;
	struct visit v, *visits;
	struct draft d;
	size_t n, before;
	struct err err = { 0 };

	make_mother(&keep);
	put_new_person(f->s, &keep, &d);

	for (int i = 0; i < 4; i++) {
		make_mother(&p);
		switch (i) {
		case 0: p.dob = date_from_ymd(1850, 1, 1); break;    /* outside 1900-2199 */
		case 1: p.registered = date_from_ymd(2300, 1, 1); break;
		case 2: p.sex = 'X'; break;
		case 3: p.kind = (enum person_kind)9; break;
		}
		store_draft_new(&d);
		before = version_count(f->s);
		if (store_person_put(f->s, &d, &p, &err) < 0) {
			assert_int_equal(version_count(f->s), before);
		} else {
			/* accepted: then it must load back unchanged */
			if (store_people(f->s, &people, &n, &err) < 0)
				fail_msg("person case %d was stored but the store no longer loads: %s", i,
					 err.detail);
			memcpy(p.uuid, d.uuid, 16);
			assert_person_equal(find_person(people, n, d.uuid), &p);
			store_free(people);
		}
	}
	for (int i = 0; i < 4; i++) {
		make_visit(&v, keep.uuid, "01-03-2024");
		switch (i) {
		case 0: v.measure = 'x'; break;
		case 1: v.vitamin_a = (enum vitamin_a)3; break;
		case 2: v.date = date_from_ymd(1850, 1, 1); break;
		case 3: v.weight_g = 400000; break;                  /* 400 kg */
		}
		store_draft_new(&d);
		before = version_count(f->s);
		if (store_visit_put(f->s, &d, &v, &err) < 0) {
			assert_int_equal(version_count(f->s), before);
		} else {
			if (store_visits(f->s, &visits, &n, &err) < 0)
				fail_msg("visit case %d was stored but the store no longer loads: %s", i,
					 err.detail);
			memcpy(v.uuid, d.uuid, 16);
			assert_visit_equal(find_visit(visits, n, d.uuid), &v);
			store_free(visits);
		}
	}
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	store_free(people);
	assert_int_equal(store_verify(f->s, &n, &err), 0);
}

/* ---- tamper detection (SECURITY.md §2.4) ---- */

/* After tampering, a load fails with ERR_CRYPTO and hands out nothing. */
static void assert_people_fail(struct fixture *f)
{
	struct person *people = (struct person *)1;
	size_t n = 7;
	struct err err = { 0 };
	assert_int_equal(store_people(f->s, &people, &n, &err), -1);
	if (err.code != ERR_CRYPTO)
		fail_msg("store_people: %s \"%s\", want ERR_CRYPTO", err_code_name(err.code), err.detail);
	assert_null(people);
	assert_int_equal(n, 0);
}

static void assert_visits_fail(struct fixture *f)
{
	struct visit *visits = (struct visit *)1;
	size_t n = 7;
	struct err err = { 0 };
	assert_int_equal(store_visits(f->s, &visits, &n, &err), -1);
	if (err.code != ERR_CRYPTO)
		fail_msg("store_visits: %s \"%s\", want ERR_CRYPTO", err_code_name(err.code), err.detail);
	assert_null(visits);
	assert_int_equal(n, 0);
}

static void assert_verify_fails(struct fixture *f)
{
	struct err err = { 0 };
	size_t n = 7;
	assert_int_equal(store_verify(f->s, &n, &err), -1);
	if (err.code != ERR_CRYPTO)
		fail_msg("store_verify: %s \"%s\", want ERR_CRYPTO", err_code_name(err.code), err.detail);
}

static void assert_history_fails(struct fixture *f, const uint8_t uuid[16])
{
	struct store_version *h = (struct store_version *)1;
	size_t n = 7;
	struct err err = { 0 };
	assert_int_equal(store_history(f->s, uuid, &h, &n, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
	assert_null(h);
}

static char *hex(const uint8_t *b, size_t n, char *buf)
{
	for (size_t i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	return buf;
}

static void test_flipped_ciphertext_byte(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	size_t n;
	struct err err = { 0 };

	save_family(f->s, &fam);
	assert_int_equal(store_verify(f->s, &n, &err), 0);
	/* flip one bit in the middle of the mother's ciphertext (in C: SQL has
	 * no XOR on blob bytes) */
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		uint8_t *ct;
		int len;
		store_close(f->s);
		f->s = NULL;
		assert_non_null(db = tu_raw_open(f->dir));
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT ct FROM versions WHERE uuid = ?", -1, &st,
						    NULL), SQLITE_OK);
		sqlite3_bind_blob(st, 1, fam.mother.uuid, 16, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		len = sqlite3_column_bytes(st, 0);
		assert_non_null(ct = malloc((size_t)len));
		memcpy(ct, sqlite3_column_blob(st, 0), (size_t)len);
		sqlite3_finalize(st);
		ct[len / 2] ^= 0x01;
		assert_int_equal(sqlite3_prepare_v2(db, "UPDATE versions SET ct = ? WHERE uuid = ?", -1, &st,
						    NULL), SQLITE_OK);
		sqlite3_bind_blob(st, 1, ct, len, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, fam.mother.uuid, 16, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		free(ct);
		tu_raw_close(db);
		reopen(f);
	}
	assert_people_fail(f);
	assert_verify_fails(f);
	assert_history_fails(f, fam.mother.uuid);
}

static void test_truncated_ciphertext_and_bad_nonce(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	char u[40], sql[300];

	save_family(f->s, &fam);
	hex(fam.child.uuid, 16, u);
	snprintf(sql, sizeof sql, "UPDATE versions SET ct = substr(ct, 1, length(ct) - 1) WHERE uuid = x'%s'", u);
	tamper(f, sql);
	assert_people_fail(f);
	assert_verify_fails(f);

	snprintf(sql, sizeof sql, "UPDATE versions SET ct = x'00' WHERE uuid = x'%s'", u);
	tamper(f, sql);
	assert_people_fail(f);
	snprintf(sql, sizeof sql, "UPDATE versions SET ct = x'', nonce = x'00' WHERE uuid = x'%s'", u);
	tamper(f, sql);
	assert_people_fail(f);
	assert_verify_fails(f);
}

/* Two versions exchange their ciphertexts (and nonces): each is a valid
 * ciphertext under the record key, but bound to the other row. */
static void test_swapped_ciphertexts(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	char a[40], b[40], sql[600];

	save_family(f->s, &fam);
	hex(fam.mother.uuid, 16, a);
	hex(fam.child.uuid, 16, b);
	snprintf(sql, sizeof sql,
		 "CREATE TEMP TABLE t AS SELECT uuid, nonce, ct FROM versions WHERE uuid IN (x'%s', x'%s');"
		 "UPDATE versions SET nonce = (SELECT nonce FROM t WHERE t.uuid <> versions.uuid),"
		 " ct = (SELECT ct FROM t WHERE t.uuid <> versions.uuid) WHERE uuid IN (x'%s', x'%s')",
		 a, b, a, b);
	tamper(f, sql);
	assert_people_fail(f);
	assert_verify_fails(f);
}

static void test_swapped_visit_ciphertexts(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	char a[40], b[40], sql[600];

	save_family(f->s, &fam);
	hex(fam.v1.uuid, 16, a);
	hex(fam.v2.uuid, 16, b);
	snprintf(sql, sizeof sql,
		 "CREATE TEMP TABLE t AS SELECT uuid, nonce, ct FROM versions WHERE uuid IN (x'%s', x'%s');"
		 "UPDATE versions SET nonce = (SELECT nonce FROM t WHERE t.uuid <> versions.uuid),"
		 " ct = (SELECT ct FROM t WHERE t.uuid <> versions.uuid) WHERE uuid IN (x'%s', x'%s')",
		 a, b, a, b);
	tamper(f, sql);
	assert_visits_fail(f);
	assert_verify_fails(f);
}

/* Every clear column of a version is in the associated data: changing any
 * of them makes the row fail to open. */
struct column_case {
	const char *what;
	const char *set;          /* SET clause */
	int row;                  /* 0 mother, 1 child, 2 visit v1 */
};

static const struct column_case column_cases[] = {
	{ "kind person -> visit", "kind = 2", 0 },
	{ "kind visit -> person", "kind = 1", 2 },
	{ "deleted 0 -> 1", "deleted = 1", 1 },
	{ "month of a visit", "month = month + 1", 2 },
	{ "month added to a person", "month = 24290", 0 },
	{ "month removed from a visit", "month = NULL", 2 },
	{ "owner (the mother link) changed", "owner = randomblob(16)", 1 },
	{ "owner (the mother link) removed", "owner = NULL", 1 },
	{ "owner added", "owner = randomblob(16)", 0 },
	{ "owner of a visit", "owner = randomblob(16)", 2 },
	{ "lamport", "lamport = lamport + 100", 1 },
	{ "device", "device = randomblob(16)", 1 },
	{ "prev_lamport", "prev_lamport = 3", 1 },
	{ "prev_device", "prev_device = randomblob(16)", 1 },
	{ "vid", "vid = randomblob(16)", 1 },
	{ "key_epoch", "key_epoch = 2", 1 },
	{ "uuid", "uuid = randomblob(16)", 1 },
	/* values that differ in the column but could collide in a narrow encoding */
	{ "kind + 256", "kind = kind + 256", 0 },
	{ "deleted = 256", "deleted = 256", 1 },
	{ "deleted = -1", "deleted = -1", 1 },
	{ "month + 2^32", "month = month + 4294967296", 2 },
	{ "key_epoch + 2^32", "key_epoch = key_epoch + 4294967296", 1 },
	{ "owner of 15 bytes where there was none", "owner = zeroblob(15)", 0 },
	{ "prev_device of 15 bytes", "prev_device = zeroblob(15)", 1 },
};

static void test_clear_column_edits(void **state)
{
	struct fixture *f = *state;
	char failures[2048] = "";
	size_t used = 0;

	for (size_t i = 0; i < sizeof column_cases / sizeof column_cases[0]; i++) {
		const struct column_case *c = &column_cases[i];
		struct family fam;
		const uint8_t *uuid;
		char u[40], sql[300];
		struct err err = { 0 };
		size_t n;
		struct person *people = NULL;
		struct visit *visits = NULL;
		int rc;

		/* a fresh store per case */
		store_close(f->s);
		tu_rmtree(f->dir);
		if (!(f->s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, &err)))
			fail_msg("store_create: %s", err.detail);
		save_family(f->s, &fam);
		uuid = c->row == 0 ? fam.mother.uuid : c->row == 1 ? fam.child.uuid : fam.v1.uuid;
		snprintf(sql, sizeof sql, "UPDATE versions SET %s WHERE uuid = x'%s'", c->set,
			 hex(uuid, 16, u));
		tamper(f, sql);

		if (store_verify(f->s, &n, &err) != -1 || err.code != ERR_CRYPTO)
			used += (size_t)snprintf(failures + used, sizeof failures - used,
						 "\n  %s: store_verify gave %s", c->what,
						 err_code_name(err.code));
		err_clear(&err);
		rc = c->row == 2 ? store_visits(f->s, &visits, &n, &err)
				 : store_people(f->s, &people, &n, &err);
		if (rc != -1 || err.code != ERR_CRYPTO || people || visits)
			used += (size_t)snprintf(failures + used, sizeof failures - used,
						 "\n  %s: load gave %d, %s", c->what, rc,
						 err_code_name(err.code));
		store_free(people);
		store_free(visits);
		assert_true(used < sizeof failures);
	}
	if (used)
		fail_msg("tampering not detected (want ERR_CRYPTO):%s", failures);
}

/* heads (the current-version index) is not authenticated itself, but what
 * it points at is: a head that disagrees with its version must not hand out
 * another record, a deleted one, or a duplicate. */
static void test_heads_that_disagree(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct draft d;
	char a[40], b[40], sql[400];
	struct err err = { 0 };

	struct person *people;
	size_t n;

	save_family(f->s, &fam);
	hex(fam.mother.uuid, 16, a);
	hex(fam.child.uuid, 16, b);
	/* the child's head points at the mother's version: two mothers */
	snprintf(sql, sizeof sql, "UPDATE heads SET seq = (SELECT seq FROM heads WHERE uuid = x'%s') "
		 "WHERE uuid = x'%s'", a, b);
	tamper(f, sql);
	assert_people_fail(f);
	snprintf(sql, sizeof sql, "UPDATE heads SET seq = (SELECT max(seq) FROM versions WHERE "
		 "uuid = x'%s') WHERE uuid = x'%s'", b, b);
	tamper(f, sql);                                     /* undone */
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 2);
	store_free(people);

	/* a deleted person brought back by editing heads.deleted */
	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);
	snprintf(sql, sizeof sql, "UPDATE heads SET deleted = 0 WHERE uuid = x'%s'", b);
	tamper(f, sql);
	assert_people_fail(f);
	snprintf(sql, sizeof sql, "UPDATE heads SET deleted = 1 WHERE uuid = x'%s'", b);
	tamper(f, sql);                                     /* undone */
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 1);
	store_free(people);

	/* a visit's head filed as a person */
	hex(fam.v1.uuid, 16, a);
	snprintf(sql, sizeof sql, "UPDATE heads SET kind = 1 WHERE uuid = x'%s'", a);
	tamper(f, sql);
	assert_people_fail(f);
}

/* store_verify recomputes the heads from the versions: a record whose head
 * row was deleted, or moved back to an older version, is reported. */
static void test_verify_catches_vanished_heads(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct draft d;
	char a[40], sql[300];
	struct err err = { 0 };
	size_t n;

	save_family(f->s, &fam);
	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	fam.child.rt = 9;
	assert_int_equal(store_person_put(f->s, &d, &fam.child, &err), 0);
	assert_int_equal(store_verify(f->s, &n, &err), 0);
	hex(fam.child.uuid, 16, a);

	/* moved back to the child's first version: an older edit wins */
	snprintf(sql, sizeof sql, "UPDATE heads SET seq = (SELECT min(seq) FROM versions WHERE "
		 "uuid = x'%s'), lamport = (SELECT min(lamport) FROM versions WHERE uuid = x'%s') "
		 "WHERE uuid = x'%s'", a, a, a);
	tamper(f, sql);
	assert_int_equal(store_verify(f->s, &n, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);

	/* the head row gone: the child would silently vanish from the lists */
	snprintf(sql, sizeof sql, "DELETE FROM heads WHERE uuid = x'%s'", a);
	tamper(f, sql);
	assert_int_equal(store_verify(f->s, &n, &err), -1);
	assert_int_equal(err.code, ERR_CRYPTO);
}

/* In a batch a failed put leaves nothing behind (a savepoint per put), so
 * committing after it stores exactly the puts that succeeded. */
static void test_batch_failed_put_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct person good, bad, *people;
	struct draft d1, d2, d3;
	size_t n, before = version_count(f->s);
	struct err err = { 0 };

	assert_int_equal(store_batch_begin(f->s, &err), 0);
	make_mother(&good);
	put_new_person(f->s, &good, &d1);
	/* the same version id for another record: refused inside the batch */
	make_mother(&bad);
	store_draft_new(&d2);
	memcpy(d2.vid, d1.vid, sizeof d2.vid);
	assert_int_equal(store_person_put(f->s, &d2, &bad, &err), -1);
	assert_int_equal(err.code, ERR_EXISTS);
	snprintf(good.name, sizeof good.name, "Ibu Kedua");
	put_new_person(f->s, &good, &d3);
	assert_int_equal(store_batch_commit(f->s, &err), 0);
	reopen(f);
	assert_int_equal(version_count(f->s), before + 2);
	assert_int_equal(store_people(f->s, &people, &n, &err), 0);
	assert_int_equal(n, 2);
	store_free(people);
	assert_int_equal(store_verify(f->s, &n, &err), 0);
}

/* A version copied from another store (another K_data) does not open here. */
static void test_version_from_another_store(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	char *other_dir = subdir(f, "other"), other_db[700], sql[900];
	struct store *other;
	struct person p;
	struct draft d;
	sqlite3 *db;

	assert_non_null(other_dir);
	assert_non_null(other = tu_store_create(other_dir, TU_ADMIN, TU_PIN, &err));
	make_mother(&p);
	put_new_person(other, &p, &d);
	store_close(other);

	make_mother(&p);
	put_new_person(f->s, &p, &d);
	store_close(f->s);
	f->s = NULL;
	tu_path(other_db, sizeof other_db, other_dir, "posyandu.db");
	assert_non_null(db = tu_raw_open(f->dir));
	snprintf(sql, sizeof sql,
		 "ATTACH '%s' AS o;"
		 "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, prev_device, "
		 " month, deleted, key_epoch, vid, nonce, ct) SELECT uuid, kind, owner, lamport + 10, "
		 " device, prev_lamport, prev_device, month, deleted, key_epoch, vid, nonce, ct "
		 " FROM o.versions;"
		 "INSERT INTO heads(uuid, posyandu, kind, lamport, device, seq, deleted) SELECT uuid, "
		 " posyandu, kind, lamport, device, seq, deleted FROM main.versions WHERE lamport > 10;"
		 "DETACH o;", other_db);
	assert_int_equal(tu_raw_exec(db, "%s", sql), 0);
	tu_raw_close(db);
	reopen(f);
	assert_people_fail(f);
	assert_verify_fails(f);
	tu_rmtree(other_dir);
	free(other_dir);
}

/* ---- no plaintext at rest (SECURITY.md §2.4) ---- */

static const char *const secrets[] = {
	"Siti Aminah", "Budi", "Santoso", "Halimah", "Karta", "Melati", "Cempaka",
	"3201235405950001", "3201230311230007", "3201230101200009",   /* NIKs and KK */
	"14-05-1995", "1995-05-14", "03-11-2023", "2023-11-03",        /* dates of birth */
	"081234567890", "rujuk", "puskesmas\\", "\"nik\"", "\"name\"", "\"d\":{",
};

static void assert_no_secret_in_files(const char *dir, const char *when)
{
	int nfiles = 0;
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		char which[700] = "";
		int files = 0;
		int hits = tu_dir_grep(dir, secrets[i], strlen(secrets[i]), which, sizeof which, &files);
		assert_true(hits >= 0);
		if (hits > 0)
			fail_msg("%s: \"%s\" is in clear in %s", when, secrets[i], which);
		nfiles = files;
	}
	assert_true(nfiles >= 1);
}

static void test_no_plaintext_at_rest(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct draft d;
	char db[700], wal[700];
	struct err err = { 0 };

	save_family(f->s, &fam);
	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	assert_int_equal(store_delete(f->s, &d, &err), 0);

	/* mid-session: the WAL holds the recent pages */
	tu_path(db, sizeof db, f->dir, "posyandu.db");
	tu_path(wal, sizeof wal, f->dir, "posyandu.db-wal");
	assert_true(tu_file_size(wal) > 0);
	assert_no_secret_in_files(f->dir, "mid-session");

	store_checkpoint(f->s);                 /* pages moved from the WAL into the file */
	assert_no_secret_in_files(f->dir, "after checkpoint");
	store_close(f->s);
	f->s = NULL;
	assert_no_secret_in_files(f->dir, "after close");
	assert_true(tu_file_size(db) > 0);
	reopen(f);
}

/* The search above would see a name written in clear by SQLite (in the WAL
 * of an open database, and in the file after close). */
static void test_no_plaintext_search_sees_clear_text(void **state)
{
	struct fixture *f = *state;
	char sub[700], path[700], which[700];
	sqlite3 *db;

	tu_path(sub, sizeof sub, f->dir, "canary");
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_path(path, sizeof path, sub, "posyandu.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(tu_raw_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x);"
				     "INSERT INTO t VALUES('Siti Aminah')"), 0);
	assert_true(tu_dir_grep(f->dir, "Siti Aminah", 11, which, sizeof which, NULL) == 1);
	assert_non_null(strstr(which, "canary"));
	sqlite3_close(db);
	assert_true(tu_dir_grep(f->dir, "Siti Aminah", 11, which, sizeof which, NULL) == 1);
	tu_rmtree(sub);
}

/* ---- verify ---- */

static void test_verify_counts_every_version(void **state)
{
	struct fixture *f = *state;
	struct family fam;
	struct draft d;
	size_t n = 0;
	struct err err = { 0 };

	assert_int_equal(store_verify(f->s, &n, &err), 0);
	assert_int_equal(n, 0);
	save_family(f->s, &fam);
	assert_int_equal(store_draft_edit(f->s, &d, fam.child.uuid, &err), 0);
	assert_int_equal(store_person_put(f->s, &d, &fam.child, &err), 0);
	assert_int_equal(store_verify(f->s, &n, &err), 0);
	assert_int_equal(n, 6);
	assert_int_equal(n, version_count(f->s));
	assert_int_equal(raw_int(f, "SELECT count(*) FROM versions"), 6);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip_every_field),
		T(test_round_trip_missing_values),
		T(test_profile_and_device_survive_reopen),
		T(test_profile_with_empty_fields),
		T(test_edits_make_versions),
		T(test_history_names_each_author),
		T(test_delete_makes_a_tombstone),
		T(test_visit_refs_gathered_at_unlock),
		T(test_retried_save_makes_no_duplicate),
		T(test_draft_reused_for_another_action),
		T(test_lamport_stamps_increase),
		T(test_batch_commit_and_abort),
		T(test_locked_store_refuses_records),
		T(test_visit_needs_a_date),
		T(test_edit_cannot_change_kind),
		T(test_unknown_record),
		T(test_create_and_open_refusals),
		T(test_unstorable_values_are_refused),
		T(test_flipped_ciphertext_byte),
		T(test_truncated_ciphertext_and_bad_nonce),
		T(test_swapped_ciphertexts),
		T(test_swapped_visit_ciphertexts),
		T(test_clear_column_edits),
		T(test_heads_that_disagree),
		T(test_verify_catches_vanished_heads),
		T(test_batch_failed_put_leaves_nothing),
		T(test_version_from_another_store),
		T(test_no_plaintext_at_rest),
		T(test_no_plaintext_search_sees_clear_text),
		T(test_verify_counts_every_version),
	};
#undef T
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
