/* sync/exporter.c: bundles from a store into the outbox. */
#include "sync/exporter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sync/bundle.h"
#include "sync/durable.h"
#include "sync/frame.h"
#include "sync/keystr.h"
#include "sync/wire.h"
#include "storage/audit.h"
#include "storage/clock.h"
#include "storage/quiz_store.h"
#include "core/banned.h"

int export_sign(void *store, const uint8_t digest[64], uint8_t sig[64], struct err *err)
{
	return store_device_sign(store, digest, sig, err);
}

static int outbox(struct store *s, char *dir, size_t size, struct err *err)
{
	if ((size_t)snprintf(dir, size, "%s/outbox", store_dir(s)) >= size)
		return err_set(err, ERR_RANGE, "data", "data folder path too long");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(err, ERR_IO, "data", "%s: %s", dir, strerror(errno));
	return 0;
}

struct emit_ctx {
	struct bundle_writer *w;
	uint8_t *buf;              /* one version frame (format 2), reused; wiped */
	size_t cap;
	uint32_t versions;
	uint64_t max_lamport;
	export_progress_fn progress;
	void *progress_ctx;
	uint64_t after, upto;
};

static int emit_version(void *ctx, const struct sync_version *v, const char *payload, size_t len,
			struct err *err)
{
	struct emit_ctx *c = ctx;
	size_t n = frame_version2_size(v, len);
	int rc;

	if (n > c->cap) {
		uint8_t *nb = malloc(n);
		if (!nb)
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		if (c->buf)
			sodium_memzero(c->buf, c->cap);
		free(c->buf);
		c->buf = nb;
		c->cap = n;
	}
	frame_version2_encode(v, payload, len, c->buf);
	rc = bundle_writer_frame(c->w, FRAME_VERSION, c->buf, n, err);
	sodium_memzero(c->buf, n);
	if (rc == 0) {
		c->versions++;
		if (v->lamport > c->max_lamport)
			c->max_lamport = v->lamport;
		if (c->progress && (c->versions & 63) == 0)
			c->progress(c->progress_ctx, v->seq - c->after, c->upto - c->after);
	}
	return rc;
}

/* ---- quiz keys (frame kind 7, issue 13.2) ---- */

/* Upstream: this device's quiz box key with its device signature, when an
 * admin session has signed one. */
static int emit_quizkey_up(struct store *s, struct bundle_writer *w, struct err *err)
{
	struct frame_quizkey k;
	bool found;
	char *json;
	int rc;

	memset(&k, 0, sizeof k);
	if (quizstore_own_key(s, k.pk, k.sig, &found, err) < 0)
		return err && err->code == ERR_DENIED ? 0 : -1;   /* no pinned key: none */
	if (!found)
		return 0;
	memcpy(k.device, store_device_id(s), 16);
	if (!(json = frame_quizkey_encode(&k)))
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	rc = bundle_writer_frame(w, FRAME_QUIZKEY, json, strlen(json), err);
	frame_free(json);
	return rc;
}

/* Downstream to DEVICE: the complete list of the quiz keys of the other
 * approved devices of its posyandu (possibly empty: a device no longer
 * listed was revoked, and the receiving device stops sealing to it). */
static int emit_quizkeys_down(struct store *s, struct bundle_writer *w, const uint8_t device[16],
			      const char *posyandu, struct err *err)
{
	struct sync_quizkey *keys = NULL;
	struct frame_quizkey *fk = NULL;
	size_t n = 0;
	char *json = NULL;
	int rc = -1;

	if (sync_quizkeys_for(s, posyandu, device, &keys, &n, err) < 0)
		return -1;
	if (n > FRAME_QUIZKEYS_MAX)
		n = FRAME_QUIZKEYS_MAX;
	if (n && !(fk = calloc(n, sizeof *fk))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(fk[i].device, keys[i].device, 16);
		memcpy(fk[i].ed_pk, keys[i].ed_pk, 32);
		memcpy(fk[i].pk, keys[i].box_pk, 32);
		memcpy(fk[i].sig, keys[i].sig, 64);
	}
	if (!(json = frame_quizkeys_encode(fk, n))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	rc = bundle_writer_frame(w, FRAME_QUIZKEY, json, strlen(json), err);
out:
	frame_free(json);
	free(fk);
	free(keys);
	return rc;
}

/* Has the list of keys for DEVICE changed since the last downstream
 * bundle made for it? *DIGEST gets the list's digest, to keep once a
 * bundle with it is recorded. */
static int quizkeys_changed(struct store *s, const uint8_t device[16], const char *posyandu,
			    uint8_t digest[32], bool *changed, struct err *err)
{
	struct sync_quizkey *keys = NULL;
	crypto_generichash_state st;
	uint8_t sent[32];
	size_t n = 0;
	bool found;

	if (sync_quizkeys_for(s, posyandu, device, &keys, &n, err) < 0)
		return -1;
	crypto_generichash_init(&st, NULL, 0, 32);
	for (size_t i = 0; i < n; i++)
		crypto_generichash_update(&st, (const uint8_t *)&keys[i], sizeof keys[i]);
	crypto_generichash_final(&st, digest, 32);
	free(keys);
	if (sync_quizkeys_sent(s, device, sent, &found, err) < 0)
		return -1;
	/* Nothing listed and nothing sent before: no news either. */
	*changed = found ? sodium_memcmp(sent, digest, 32) != 0 : n > 0;
	return 0;
}

static int emit_quizkeys(struct store *s, const struct bundle_header *h, struct bundle_writer *w,
			 const uint8_t recipient[16], struct err *err)
{
	return h->kind == BUNDLE_DOWN ? emit_quizkeys_down(s, w, recipient, h->posyandu, err)
				      : emit_quizkey_up(s, w, err);
}

/* ---- the device's audit entries for the district (issue 13.3) ---- */

/* Where the audit part of an upstream bundle is cut: entries FROM..SEQ,
 * and (SEQ, HEAD) its anchor, read before the versions are chosen so that
 * every save it names is in the bundle. */
struct audit_cut {
	uint64_t from, seq;
	uint8_t head[32];
};

struct audit_emit {
	struct bundle_writer *w;
	uint64_t upto;
};

static int emit_cert(void *ctx, const struct cert_wire *cw, struct err *err)
{
	struct audit_emit *a = ctx;
	uint8_t buf[FRAME_CERT_LEN];

	frame_cert_encode(cw, buf);
	return bundle_writer_frame(a->w, FRAME_CERT, buf, sizeof buf, err);
}

static int emit_entry(void *ctx, const struct audit_wire *e, struct err *err)
{
	struct audit_emit *a = ctx;
	uint8_t buf[FRAME_AUDIT_LEN];

	if (e->seq > a->upto)
		return 0;
	frame_audit_encode(e, buf);
	return bundle_writer_frame(a->w, FRAME_AUDIT, buf, sizeof buf, err);
}

/* The certificates, then the entries of CUT. */
static int emit_audit(struct store *s, struct bundle_writer *w, const struct audit_cut *cut,
		      struct err *err)
{
	struct audit_emit a = { w, cut->seq };

	if (cut->seq < cut->from)
		return 0;
	if (cert_wire_each(s, emit_cert, &a, err) < 0)
		return -1;
	return audit_wire_each(s, cut->from, emit_entry, &a, err);
}

static int audit_cut_get(struct store *s, bool full, struct audit_cut *cut, struct err *err)
{
	if (sync_audit_head(s, &cut->seq, cut->head, err) < 0)
		return -1;
	return sync_audit_since(s, full, &cut->from, err);
}

/* Write one bundle: inner header, the versions F selects, the quiz keys,
 * the audit anchor (upstream: CUT's, after the device's audit entries). */
static int write_bundle(struct store *s, struct bundle_header *h, const uint8_t recipient_x[32],
			const struct sync_filter *f, uint64_t down_ack, const char *name,
			const struct audit_cut *cut, export_progress_fn progress, void *pctx,
			struct export_result *r, struct err *err)
{
	struct frame_inner in = { 0 };
	struct emit_ctx c = { 0 };
	struct durable d;
	char dir[600], *json;
	uint8_t head[32];
	uint64_t audit_seq;
	int rc;

	c.progress = progress;
	c.progress_ctx = pctx;
	c.after = f->after;
	c.upto = f->upto;
	h->major = BUNDLE_MAJOR;   /* binary version frames (emit_version) */
	if (outbox(s, dir, sizeof dir, err) < 0 ||
	    durable_open(&d, dir, name, 0, "data", err) < 0)
		return -1;
	if (!(c.w = bundle_writer_new(h, recipient_x, durable_write, &d, err)))
		goto fail;
	in.kind = h->kind;
	memcpy(in.sender, h->sender, 16);
	snprintf(in.posyandu, sizeof in.posyandu, "%s", h->posyandu);
	in.seq = h->seq;
	in.down_ack = down_ack;
	snprintf(in.app, sizeof in.app, "%s", POSYANDU_VERSION);
	if (!(json = frame_inner_encode(&in))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	rc = bundle_writer_frame(c.w, FRAME_HEADER, json, strlen(json), err);
	frame_free(json);
	if (rc < 0 || sync_each_version(s, f, emit_version, &c, err) < 0 ||
	    emit_quizkeys(s, h, c.w, r->e.recipient, err) < 0)
		goto fail;
	if (cut) {
		if (emit_audit(s, c.w, cut, err) < 0)
			goto fail;
		audit_seq = cut->seq;
		memcpy(head, cut->head, 32);
		r->e.audit_seq = cut->seq;
	} else if (sync_audit_head(s, &audit_seq, head, err) < 0) {
		goto fail;
	}
	if (!(json = frame_anchor_encode(audit_seq, head))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	rc = bundle_writer_frame(c.w, FRAME_ANCHOR, json, strlen(json), err);
	frame_free(json);
	if (rc < 0 || bundle_writer_finish(c.w, export_sign, s, r->e.hash, &r->size, err) < 0)
		goto fail;
	bundle_writer_free(c.w);
	c.w = NULL;
	free(c.buf);
	if (durable_commit(&d, NULL, err) < 0)
		return -1;
	if (progress)
		progress(pctx, f->upto - f->after, f->upto - f->after);
	r->e.versions = c.versions;
	snprintf(r->e.path, sizeof r->e.path, "%s", d.final);
	return 0;
fail:
	bundle_writer_free(c.w);
	if (c.buf)
		sodium_memzero(c.buf, c.cap);
	free(c.buf);
	durable_abort(&d);
	return -1;
}

/* What the export record of a bundle takes from its header H. */
static void export_record(const struct bundle_header *h, struct export_result *r)
{
	r->e.seq = h->seq;
	r->e.kind = h->kind;
	r->e.first_change = h->first_change;
	r->e.last_change = h->last_change;
	r->e.created = h->created;
}

int export_upstream(struct store *s, bool full, struct export_result *r, struct err *err)
{
	return export_upstream_progress(s, full, NULL, NULL, r, err);
}

int export_upstream_progress(struct store *s, bool full, export_progress_fn progress, void *pctx,
			     struct export_result *r, struct err *err)
{
	if (export_upstream_make(s, full, progress, pctx, r, err) < 0)
		return -1;
	if (r->empty)
		return 0;
	if (sync_export_add(s, &r->e, NULL, err) < 0) {
		export_abandon(r);
		return -1;
	}
	return 0;
}

int export_upstream_make(struct store *s, bool full, export_progress_fn progress, void *pctx,
			 struct export_result *r, struct err *err)
{
	struct sync_district dist;
	struct bundle_header h;
	struct sync_filter f = { 0 };
	struct audit_cut cut;
	uint64_t wm = 0, last, down_ack;
	char idhex[33];
	const uint8_t *me = store_device_id(s);

	memset(r, 0, sizeof *r);
	memset(&h, 0, sizeof h);
	if (sync_district_get(s, &dist, err) < 0 || audit_cut_get(s, full, &cut, err) < 0 ||
	    (!full && sync_watermark(s, &wm, err) < 0) ||
	    sync_last_change(s, &last, err) < 0 || sync_down_ack(s, &down_ack, err) < 0 ||
	    sync_next_seq(s, &h.seq, err) < 0)
		return -1;
	f.after = wm;
	f.upto = last;
	f.only_device = me;
	if (last <= wm) {
		r->empty = true;
		return 0;
	}
	h.kind = full ? BUNDLE_FULL : BUNDLE_UP;
	memcpy(h.sender, me, 16);
	snprintf(h.posyandu, sizeof h.posyandu, "%s", store_get_profile(s)->code);
	h.created = clock_now();
	h.first_change = wm + 1;
	h.last_change = last;
	export_record(&h, r);
	keystr_district_id(dist.ed_pk, r->e.recipient);
	wire_hex(me, 4, idhex);
	snprintf(r->name, sizeof r->name, "%s_%s_%06llu.pyb", h.posyandu, idhex,
		 (unsigned long long)h.seq);
	if (write_bundle(s, &h, dist.x_pk, &f, down_ack, r->name, &cut, progress, pctx, r, err) < 0)
		return -1;
	if (r->e.versions == 0) {
		/* Only changes from elsewhere since the watermark: nothing of ours. */
		export_abandon(r);
		memset(r, 0, sizeof *r);
		r->empty = true;
	}
	return 0;
}

void export_abandon(const struct export_result *r)
{
	if (!r->empty && r->e.path[0])
		unlink(r->e.path);
}

/* ---- the outbox keeps only what the district has not acknowledged ---- */

int export_prune_outbox(struct store *s, size_t *removed, struct err *err)
{
	char (*names)[128] = NULL;
	char dir[600], path[800];
	size_t n, gone = 0;

	if (removed)
		*removed = 0;
	if (sync_export_acked_names(s, &names, &n, err) < 0)
		return -1;
	if ((size_t)snprintf(dir, sizeof dir, "%s/outbox", store_dir(s)) >= sizeof dir) {
		free(names);
		return err_set(err, ERR_RANGE, "data", "data folder path too long");
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		/* only a bundle name of ours, never a path */
		if (len < 5 || names[i][0] == '.' || strchr(names[i], '/') ||
		    strcmp(names[i] + len - 4, ".pyb") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
			continue;
		if (unlink(path) == 0)
			gone++;
	}
	free(names);
	durable_clean_parts(dir);
	if (gone) {
		/* make the removals durable, as the files were */
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	if (removed)
		*removed = gone;
	return 0;
}

int export_downstream(struct store *s, const uint8_t device[16], uint64_t ack,
		      struct export_result *r, struct err *err)
{
	struct sync_device dev;
	struct bundle_header h;
	struct sync_filter f = { 0 };
	uint8_t ed[32], x[32], keys_digest[32];
	uint64_t last;
	char idhex[33];
	bool keys_new;

	memset(r, 0, sizeof *r);
	memset(&h, 0, sizeof h);
	if (sync_device_get(s, device, &dev, err) < 0)
		return -1;
	if (dev.status != SYNC_DEV_APPROVED)
		return err_set(err, ERR_DENIED, dev.status == SYNC_DEV_REVOKED ? "device-revoked"
			       : "device-pending", "the device is %s", sync_device_status_name(dev.status));
	if (ack > dev.down_ack) {
		if (sync_device_ack(s, device, ack, err) < 0)
			return -1;
		dev.down_ack = ack;
	}
	if (store_device_pubkeys(s, ed, x, err) < 0 || sync_last_change(s, &last, err) < 0 ||
	    sync_next_seq(s, &h.seq, err) < 0 ||
	    quizkeys_changed(s, device, dev.posyandu, keys_digest, &keys_new, err) < 0)
		return -1;
	if (last <= dev.down_ack && !keys_new) {
		r->empty = true;
		return 0;
	}
	/* No new versions but other quiz keys (a device approved or revoked):
	 * a bundle of the keys alone, its change range empty of news. */
	if (last < dev.down_ack)
		last = dev.down_ack;
	f.after = dev.down_ack;
	f.upto = last;
	f.posyandu = dev.posyandu;
	f.except_device = device;
	h.kind = BUNDLE_DOWN;
	keystr_district_id(ed, h.sender);
	snprintf(h.posyandu, sizeof h.posyandu, "%s", dev.posyandu);
	h.created = clock_now();
	h.first_change = last > dev.down_ack ? dev.down_ack + 1 : last;
	h.last_change = last;
	export_record(&h, r);
	memcpy(r->e.recipient, device, 16);
	wire_hex(device, 4, idhex);
	snprintf(r->name, sizeof r->name, "%s_%s_down%06llu.pyb", dev.posyandu, idhex,
		 (unsigned long long)h.seq);
	if (write_bundle(s, &h, dev.x_pk, &f, 0, r->name, NULL, NULL, NULL, r, err) < 0)
		return -1;
	/* An empty downstream bundle still tells the device it is up to date,
	 * so its acknowledgement moves and the next one is smaller. */
	if (sync_export_add(s, &r->e, NULL, err) < 0) {
		export_abandon(r);
		return -1;
	}
	/* Best effort: at worst the same list goes again next time. */
	(void)sync_quizkeys_sent_put(s, device, keys_digest, NULL);
	return 0;
}
