/* tests/unit/test_sync_fixture.h: a district and its devices as real stores
 * in temporary folders, for the sync tests (included by test_sync*.c and
 * test_bundle*.c; every function is static inline so each test uses what
 * it needs). Stores use the cheapest Argon2id limits (testutil.h says why
 * that is legitimate). */
#ifndef POSYANDU_TESTS_SYNC_FIXTURE_H
#define POSYANDU_TESTS_SYNC_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/store.h"
#include "storage/sync_store.h"
#include "sync/enrol.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "tests/helpers/testutil.h"

struct sf_store {
	char *dir;
	struct store *s;
};

static inline void sf_die(const char *what, const struct err *e)
{
	fprintf(stderr, "sync fixture: %s: %s %s %s\n", what, err_code_name(e->code),
		e->field ? e->field : "-", e->detail);
	abort();
}

/* A store for posyandu CODE (a district when CODE is NULL), logged in as admin. */
static inline void sf_open(struct sf_store *x, const char *code)
{
	struct store_profile p;
	struct err e = { 0 };

	memset(x, 0, sizeof *x);
	if (!(x->dir = tu_mkdtemp()))
		abort();
	tu_profile(&p);
	if (code)
		snprintf(p.code, sizeof p.code, "%s", code);
	else
		snprintf(p.code, sizeof p.code, "DINKES");
	if (!(x->s = store_create(x->dir, &p, TU_ADMIN, TU_PIN, TU_PIN_LEN, tu_kdf_fast(), &e)))
		sf_die("store_create", &e);
}

static inline void sf_close(struct sf_store *x)
{
	store_close(x->s);
	if (x->dir) {
		tu_rmtree(x->dir);
		free(x->dir);
	}
	memset(x, 0, sizeof *x);
}

/* Close and open again as admin (what a restart or a crash leaves). */
static inline void sf_reopen(struct sf_store *x)
{
	struct err e = { 0 };
	store_close(x->s);
	if (!(x->s = tu_store_login(x->dir, TU_ADMIN, TU_PIN, &e)))
		sf_die("reopen", &e);
}

/* Enrol DEV with DISTRICT and approve it (APPROVE false: leave it pending). */
static inline void sf_enrol(struct sf_store *district, struct sf_store *dev, bool approve)
{
	char key[KEYSTR_MAX];
	uint8_t req[ENROL_LEN];
	struct sync_device d;
	struct err e = { 0 };
	bool existed;

	if (enrol_own_key(district->s, KEYSTR_DISTRICT, key, NULL, &e) < 0 ||
	    enrol_device(dev->s, key, req, &e) < 0 ||
	    enrol_accept(district->s, req, sizeof req, &d, &existed, &e) < 0)
		sf_die("enrol", &e);
	if (approve && sync_device_set_status(district->s, d.id, SYNC_DEV_APPROVED, &e) < 0)
		sf_die("approve", &e);
}

static inline int32_t sf_day(const char *ddmmyyyy)
{
	int32_t d;
	if (date_parse(ddmmyyyy, &d, NULL) < 0)
		abort();
	return d;
}

/* A valid child; NAME must pass valid_name. Returns the uuid in UUID. */
static inline void sf_add_child(struct store *s, const char *name, uint8_t uuid[16])
{
	struct person p;
	struct draft d;
	struct err e = { 0 };

	memset(&p, 0, sizeof p);
	store_draft_new(&d);
	memcpy(p.uuid, d.uuid, 16);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "%s", name);
	p.sex = 'L';
	p.dob = sf_day("01-02-2024");
	p.registered = sf_day("01-03-2024");
	if (store_person_put(s, &d, &p, &e) < 0)
		sf_die("person put", &e);
	if (uuid)
		memcpy(uuid, d.uuid, 16);
}

/* A visit of PERSON on DATE with WEIGHT_G. */
static inline void sf_add_visit(struct store *s, const uint8_t person[16], const char *date,
				uint32_t weight_g)
{
	struct visit v;
	struct draft d;
	struct err e = { 0 };

	memset(&v, 0, sizeof v);
	store_draft_new(&d);
	memcpy(v.uuid, d.uuid, 16);
	memcpy(v.person, person, 16);
	v.date = sf_day(date);
	v.weight_g = weight_g;
	v.asi_recall = -1;
	if (store_visit_put(s, &d, &v, &e) < 0)
		sf_die("visit put", &e);
}

/* A new version of person UUID with another name (an edit at the desk). */
static inline void sf_rename(struct store *s, const uint8_t uuid[16], const char *name)
{
	struct store_version *h;
	struct person p;
	struct draft d;
	struct err e = { 0 };
	size_t n;

	if (store_history(s, uuid, &h, &n, &e) < 0 || n == 0)
		sf_die("history", &e);
	if (store_draft_edit(s, &d, uuid, &e) < 0)
		sf_die("draft edit", &e);
	/* the current version's fields, whichever version that is */
	p = h[n - 1].u.person;
	for (size_t i = 0; i < n; i++)
		if (h[i].lamport == d.prev_lamport && !memcmp(h[i].device, d.prev_device, 16))
			p = h[i].u.person;
	store_free(h);
	snprintf(p.name, sizeof p.name, "%s", name);
	memcpy(p.uuid, uuid, 16);
	if (store_person_put(s, &d, &p, &e) < 0)
		sf_die("rename", &e);
}

/* State digest and version count. */
static inline void sf_digest(struct store *s, uint8_t dg[32], size_t *versions)
{
	struct err e = { 0 };
	size_t heads;
	if (sync_state_digest(s, dg, versions, &heads, &e) < 0)
		sf_die("digest", &e);
}

#endif
