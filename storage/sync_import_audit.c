/* storage/sync_import_audit.c: the district's audit check (issue 13.3,
 * posyandu-bundle(5) "Import"), batched (issue 15).
 *
 * Every check of sync_import_audit() is still made for every entry, in the
 * order of the entries. Two things changed for speed:
 *   - The chain state and the signer chains of the sending device are kept
 *     in memory for the bundle and written once (at the anchor, at finish,
 *     or when another device comes), not read and replaced per entry.
 *   - The Ed25519 signatures (about 115 us each here: one per save, so most
 *     of an import) are queued with the key each must verify under and
 *     checked in batches on every core. The key of an entry is known from
 *     the entries before it (its author's previous next_pk) whether or not
 *     their signatures hold, so queueing changes nothing the checks see;
 *     the results are taken in entry order, so the first failure reported
 *     is the one a one-by-one check would report: any failure of another
 *     kind first settles the queue (sync_import_audit_settle), and a
 *     signature failure of an earlier entry wins. */
#include "storage/sync_store.h"
#include "storage/sync_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/audit.h"
#include "core/banned.h"

#define JOBS_MAX 1024              /* signatures checked in one batch */
#define THREADS_MAX 4

struct audit_state {
	bool found;
	uint64_t seq;
	uint8_t head[32];
	bool v3, is_signed;
};

struct signer {                    /* where one author's one-time keys are */
	uint8_t user[16];
	int64_t gen;
	uint64_t uidx;
	uint8_t pk[32];
	bool dirty;
};

struct job {
	struct audit_wire e;
	uint8_t pk[32];
	int sv;                    /* audit_wire_verify's answer */
};

struct sync_aimp {
	uint8_t dev[16];
	struct audit_state st;
	bool st_dirty;
	struct signer *sg;
	size_t nsg, capsg;
	struct job *jobs;
	size_t njobs;
};

void sync_aimp_free(struct store *s)
{
	struct sync_aimp *a = s->aimp;
	if (!a)
		return;
	free(a->sg);
	free(a->jobs);
	free(a);
	s->aimp = NULL;
}

static int audit_refuse(struct err *err, const uint8_t dev[16], const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int audit_refuse(struct err *err, const uint8_t dev[16], const char *fmt, ...)
{
	char why[200], hex[17];
	va_list ap;

	for (int i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", dev[i]);
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return err_set(err, ERR_CRYPTO, "bundle-audit", "bundle from device %s: %s", hex, why);
}

static int state_load(struct store *s, const uint8_t dev[16], struct audit_state *a,
		      struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT seq, head, v3, signed FROM sync_audit_state WHERE device = ?",
			&st, "audit state", DB_ARGS(DB_UUID(dev)), err);

	memset(a, 0, sizeof *a);
	if (rc != 1)
		return rc;
	a->found = true;
	a->seq = (uint64_t)dbq_int64(st, 0);
	if (dbq_bytes(st, 1) == 32)
		memcpy(a->head, dbq_blob(st, 1), 32);
	a->v3 = dbq_int(st, 2) != 0;
	a->is_signed = dbq_int(st, 3) != 0;
	db_done(st);
	return 0;
}

/* ---- the signatures, on every core ---- */

struct slice {
	struct job *j;
	size_t n;
};

static void *verify_slice(void *arg)
{
	struct slice *sl = arg;
	for (size_t i = 0; i < sl->n; i++)
		sl->j[i].sv = audit_wire_verify(&sl->j[i].e, sl->j[i].pk);
	return NULL;
}

static void verify_all(struct job *j, size_t n)
{
	struct slice sl[THREADS_MAX];
	pthread_t th[THREADS_MAX];
	bool started[THREADS_MAX] = { false };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = cpus < 1 ? 1 : cpus > THREADS_MAX ? THREADS_MAX : (size_t)cpus, per;

	if (n < 2 * nt)
		nt = 1;
	per = (n + nt - 1) / nt;
	for (size_t t = 0; t < nt; t++) {
		size_t from = t * per < n ? t * per : n;
		sl[t].j = j + from;
		sl[t].n = from + per < n ? per : n - from;
	}
	/* slice 0 on this thread; a thread that cannot start is done here too */
	for (size_t t = 1; t < nt; t++)
		started[t] = pthread_create(&th[t], NULL, verify_slice, &sl[t]) == 0;
	verify_slice(&sl[0]);
	for (size_t t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		else
			verify_slice(&sl[t]);
	}
}

/* Check the queued signatures and take their results in entry order: v3
 * once a v3 entry was seen. -1 at the first failure (the queue is dropped:
 * the bundle is refused). */
static int settle(struct sync_aimp *a, struct err *err)
{
	size_t n = a->njobs;

	if (!n)
		return 0;
	verify_all(a->jobs, n);
	a->njobs = 0;
	for (size_t i = 0; i < n; i++) {
		const struct job *j = &a->jobs[i];
		if (j->sv == 0 || (j->sv == 2 && a->st.v3))
			return audit_refuse(err, a->dev, "audit entry %llu is not signed by its "
					    "author's key", (unsigned long long)j->e.seq);
		if (j->sv == 3 && !a->st.v3) {
			a->st.v3 = true;
			a->st_dirty = true;
		}
	}
	return 0;
}

int sync_import_audit_settle(struct store *s, struct err *err)
{
	return s->aimp ? settle(s->aimp, err) : 0;
}

/* Write what the memory holds (after settling the signatures). */
static int write_back(struct store *s, struct sync_aimp *a, struct err *err)
{
	if (settle(a, err) < 0)
		return -1;
	for (size_t i = 0; i < a->nsg; i++) {
		struct signer *g = &a->sg[i];
		if (!g->dirty)
			continue;
		if (db_run(s->db, "INSERT INTO sync_audit_signers(device, user, gen, uidx, "
			   "pk) VALUES(?,?,?,?,?) ON CONFLICT(device, user, gen) DO UPDATE SET "
			   "uidx = excluded.uidx, pk = excluded.pk", "audit signer",
			   DB_ARGS(DB_UUID(a->dev), DB_UUID(g->user), DB_INT(g->gen), DB_INT(g->uidx),
				   DB_BLOB(g->pk, 32)), err) < 0)
			return -1;
		g->dirty = false;
	}
	if (a->st_dirty &&
	    db_run(s->db, "INSERT INTO sync_audit_state(device, seq, head, v3, signed) "
		   "VALUES(?,?,?,?,?) ON CONFLICT(device) DO UPDATE SET seq = excluded.seq, "
		   "head = excluded.head, v3 = excluded.v3, signed = excluded.signed", "audit state",
		   DB_ARGS(DB_UUID(a->dev), DB_INT(a->st.seq), DB_BLOB(a->st.head, 32),
			   DB_INT(a->st.v3), DB_INT(a->st.is_signed)), err) < 0)
		return -1;
	a->st_dirty = false;
	return 0;
}

int sync_aimp_flush(struct store *s, struct err *err)
{
	int rc = s->aimp ? write_back(s, s->aimp, err) : 0;
	sync_aimp_free(s);
	return rc;
}

/* The memory for device DEV: the one in use, or a fresh one after the
 * other device's state is written. */
static struct sync_aimp *aimp_for(struct store *s, const uint8_t dev[16], struct err *err)
{
	struct sync_aimp *a = s->aimp;

	if (a && memcmp(a->dev, dev, 16) == 0)
		return a;
	if (a && sync_aimp_flush(s, err) < 0)
		return NULL;
	if (!(a = calloc(1, sizeof *a)) || !(a->jobs = malloc(JOBS_MAX * sizeof *a->jobs))) {
		free(a);
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	memcpy(a->dev, dev, 16);
	if (state_load(s, dev, &a->st, err) < 0) {
		free(a->jobs);
		free(a);
		return NULL;
	}
	s->aimp = a;
	return a;
}

/* Settle the queue before reporting a failure of another kind: an earlier
 * entry's bad signature is the failure a one-by-one check reports. */
static int refuse_settled(struct sync_aimp *a, struct err *err)
{
	struct err first = { 0 };
	if (settle(a, &first) < 0)
		*err = first;
	a->njobs = 0;
	return -1;
}

int sync_import_cert(struct store *s, const uint8_t sender[16], const uint8_t ed_pk[32],
		     const struct cert_wire *c, struct err *err)
{
	int64_t same;

	if (!cert_wire_verify(c, ed_pk))
		return audit_refuse(err, sender, "a user certificate is not signed by the device key");
	if (db_run(s->db, "INSERT OR IGNORE INTO sync_audit_certs(device, user, gen, audit_pk) "
		   "VALUES(?,?,?,?)", "certificate",
		   DB_ARGS(DB_UUID(sender), DB_UUID(c->user), DB_INT(c->gen),
			   DB_BLOB(c->audit_pk, 32)), err) < 0 ||
	    db_int(s->db, "SELECT count(*) FROM sync_audit_certs WHERE device = ? AND user = ? "
		   "AND gen = ? AND audit_pk = ?", &same, "certificate",
		   DB_ARGS(DB_UUID(sender), DB_UUID(c->user), DB_INT(c->gen),
			   DB_BLOB(c->audit_pk, 32)), err) < 0)
		return -1;
	if (same != 1)
		return audit_refuse(err, sender, "two certificates for one user and generation");
	return 0;
}

/* The signer of E's author into *OUT: from memory, else her signer chain
 * as stored, else her certificate's first key (index 0). 1, 0 when she has
 * no certificate here, -1 on an error. */
static int signer_of(struct store *s, struct sync_aimp *a, const struct audit_wire *e,
		     struct signer **out, struct err *err)
{
	struct signer g = { 0 };
	struct dbq *st;
	int rc, found = 0;

	for (size_t i = 0; i < a->nsg; i++)
		if (a->sg[i].gen == e->gen && memcmp(a->sg[i].user, e->user, 16) == 0) {
			*out = &a->sg[i];
			return 1;
		}
	rc = db_row(s->db, "SELECT uidx, pk FROM sync_audit_signers WHERE device = ? AND "
		    "user = ? AND gen = ?", &st, "audit signer",
		    DB_ARGS(DB_UUID(a->dev), DB_UUID(e->user), DB_INT(e->gen)), err);
	if (rc == 1) {
		g.uidx = (uint64_t)dbq_int64(st, 0);
		found = dbq_bytes(st, 1) == 32;
		if (found)
			memcpy(g.pk, dbq_blob(st, 1), 32);
		db_done(st);
	} else if (rc == 0) {
		rc = db_row(s->db, "SELECT audit_pk FROM sync_audit_certs WHERE device = ? AND "
			    "user = ? AND gen = ?", &st, "certificate",
			    DB_ARGS(DB_UUID(a->dev), DB_UUID(e->user), DB_INT(e->gen)), err);
		if (rc == 1) {
			found = dbq_bytes(st, 0) == 32;
			if (found)
				memcpy(g.pk, dbq_blob(st, 0), 32);
			db_done(st);
		}
	}
	if (rc < 0 || !found)
		return rc < 0 ? -1 : 0;
	if (a->nsg == a->capsg) {
		size_t cap = a->capsg ? 2 * a->capsg : 8;
		struct signer *n = realloc(a->sg, cap * sizeof *n);
		if (!n)
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		a->sg = n;
		a->capsg = cap;
	}
	memcpy(g.user, e->user, 16);
	g.gen = e->gen;
	a->sg[a->nsg] = g;
	*out = &a->sg[a->nsg++];
	return 1;
}

/* The checks of a signed entry E (after the chain checks). */
static int signed_entry(struct store *s, struct sync_aimp *a, const uint8_t sender[16],
			const struct audit_wire *e, struct err *err)
{
	unsigned long long n = (unsigned long long)e->seq;
	char vid[UUID_STRLEN];
	struct signer *g = NULL;
	struct job *j;
	int rc;

	if ((rc = signer_of(s, a, e, &g, err)) < 0)
		return -1;
	if (rc == 0)
		return audit_refuse(err, sender, "audit entry %llu has no certificate from "
				    "the device key", n);
	if (e->uidx != g->uidx)
		return audit_refuse(err, sender, "audit entry %llu %s", n, e->uidx > g->uidx
				    ? "follows missing entries of its author"
				    : "repeats an index of its author");
	j = &a->jobs[a->njobs++];
	j->e = *e;
	memcpy(j->pk, g->pk, 32);
	j->sv = 0;
	if (!uuid_is_zero(e->vid)) {
		int64_t held;
		/* stored before, or staged by this import (sync_import.c) */
		if (db_int(s->db, "SELECT (SELECT count(*) FROM versions WHERE vid = ?1 AND "
			   "device = ?2) + (SELECT count(*) FROM import_stage WHERE vid = ?1 AND "
			   "device = ?2)", &held, "versions",
			   DB_ARGS(DB_UUID(e->vid), DB_UUID(sender)), err) < 0)
			return -1;
		if (!held)
			return audit_refuse(err, sender, "audit entry %llu %s version %s which "
					    "the bundle lacks: deleted on the device", n,
					    e->action == AUDIT_DELETE ? "deleted with" : "saved",
					    uuid_format(e->vid, vid));
	}
	g->uidx = e->uidx + 1;
	memcpy(g->pk, e->next_pk, 32);
	g->dirty = true;
	return a->njobs == JOBS_MAX ? settle(a, err) : 0;
}

static int check_entry(struct store *s, struct sync_aimp *a, const uint8_t sender[16],
		       const struct audit_wire *e, struct err *err)
{
	static const uint8_t zero[32];
	unsigned long long n = (unsigned long long)e->seq;

	if (e->seq <= a->st.seq) {
		/* verified with an earlier bundle; the one at the join must be it */
		if (e->seq == a->st.seq && sodium_memcmp(e->h, a->st.head, 32) != 0)
			return audit_refuse(err, sender, "audit entry %llu is not the one an earlier "
					    "bundle ended with: the log was rewritten", n);
		return 0;
	}
	if (!a->st.found && e->seq > 1)
		return 0;          /* nothing to join: unchecked (sync_import_audit_end) */
	if (e->seq != a->st.seq + 1)
		return audit_refuse(err, sender, "audit entries %llu to %llu are missing",
				    (unsigned long long)a->st.seq + 1, n - 1);
	if (sodium_memcmp(e->prev, a->st.found ? a->st.head : zero, 32) != 0)
		return audit_refuse(err, sender, "audit entry %llu does not continue the chain", n);
	if (!e->is_signed) {
		/* entries of a store older than issue 13 come before the first signed one */
		if (a->st.is_signed)
			return audit_refuse(err, sender, "audit entry %llu is not signed", n);
	} else if (signed_entry(s, a, sender, e, err) < 0) {
		return -1;
	}
	a->st.found = true;
	a->st.seq = e->seq;
	memcpy(a->st.head, e->h, 32);
	a->st.is_signed = a->st.is_signed || e->is_signed;
	a->st_dirty = true;
	return 0;
}

int sync_import_audit(struct store *s, const uint8_t sender[16], const struct audit_wire *e,
		      struct err *err)
{
	struct sync_aimp *a = aimp_for(s, sender, err);

	if (!a)
		return -1;
	if (check_entry(s, a, sender, e, err) < 0)
		return refuse_settled(a, err);
	return 0;
}

int sync_import_audit_end(struct store *s, const uint8_t sender[16], uint64_t audit_seq,
			  const uint8_t head[32], uint64_t n_entries, bool *unchecked,
			  struct err *err)
{
	struct sync_aimp *a = aimp_for(s, sender, err);
	struct audit_state st;

	*unchecked = false;
	if (!a || write_back(s, a, err) < 0)
		return -1;
	st = a->st;
	/* No entries: an older posyandu (or, when it sent them before, a
	 * downgrade); entries that start past the start of the chain at a
	 * district that never verified this device (one restored from a
	 * backup, a replica): imported unchecked and flagged, until a bundle
	 * from entry 1 (a full one) starts the chain here. */
	if (n_entries == 0 || !st.found) {
		*unchecked = true;
		return 0;
	}
	if (st.seq < audit_seq)
		return audit_refuse(err, sender, "the audit entries stop at %llu, the anchor is %llu",
				    (unsigned long long)st.seq, (unsigned long long)audit_seq);
	if (st.seq == audit_seq && sodium_memcmp(st.head, head, 32) != 0)
		return audit_refuse(err, sender, "the anchor is not the last audit entry");
	return 0;
}
