/* sync/importer.c: the import pipeline (SECURITY.md §2.6), in its order. */
#include "sync/importer.h"


#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/audit.h"
#include "storage/codec.h"
#include "storage/quiz_store.h"
#include "storage/recover.h"
#include "storage/sync_store.h"
#include "sync/exporter.h"
#include "sync/frame.h"
#include "sync/keystr.h"
#include "sync/wire.h"
#include "storage/clock.h"
#include "core/banned.h"

int import_spool_open(struct store *s, struct err *err)
{
	char dir[600], path[700], rnd[17];
	uint8_t r[8];
	int fd;

	if ((size_t)snprintf(dir, sizeof dir, "%s/spool", store_dir(s)) >= sizeof dir)
		return err_set(err, ERR_RANGE, "data", "data folder path too long");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(err, ERR_IO, "data", "%s: %s", dir, strerror(errno));
	randombytes_buf(r, sizeof r);
	snprintf(path, sizeof path, "%s/%s.spool", dir, wire_hex(r, sizeof r, rnd));
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(err, errno == ENOSPC ? ERR_FULL : ERR_IO, "data", "%s: %s", path,
			       strerror(errno));
	unlink(path);              /* private, and gone by itself after a crash */
	return fd;
}

static int set_class(struct import_result *r, enum bundle_class c)
{
	r->cls = c;
	return -1;
}

/* Step 1: the file, then one copy into the spool. */
int import_bundle(struct store *s, const char *path, const struct import_opts *o,
		  struct import_result *r, struct err *err)
{
	uint64_t max = o->max_size ? o->max_size : BUNDLE_MAX_SIZE, total = 0;
	struct stat st, st2;
	uint8_t *buf;
	int src, fd, rc;

	memset(r, 0, sizeof *r);
	if (lstat(path, &st) < 0)
		return err_set(err, ERR_IO, "bundle-file", "%s: %s", path, strerror(errno)),
		       set_class(r, BUNDLE_LOCAL);
	if (!S_ISREG(st.st_mode))
		return err_set(err, ERR_FORMAT, "bundle-file", "%s is not a regular file", path),
		       set_class(r, BUNDLE_HEADER);
	if ((uint64_t)st.st_size > max)
		return err_set(err, ERR_RANGE, "bundle-size", "%s: %lld bytes, the limit is %llu", path,
			       (long long)st.st_size, (unsigned long long)max),
		       set_class(r, BUNDLE_TOO_LARGE);
	if ((uint64_t)st.st_size < BUNDLE_MIN_SIZE)
		return err_set(err, ERR_FORMAT, "bundle", "%s: %lld bytes is too small for a bundle",
			       path, (long long)st.st_size),
		       set_class(r, BUNDLE_HEADER);
	src = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (src < 0)
		return err_set(err, ERR_IO, "bundle-file", "%s: %s", path, strerror(errno)),
		       set_class(r, BUNDLE_LOCAL);
	if (fstat(src, &st2) < 0 || !S_ISREG(st2.st_mode) || st2.st_ino != st.st_ino) {
		close(src);
		return err_set(err, ERR_FORMAT, "bundle-file", "%s changed while opening it", path),
		       set_class(r, BUNDLE_HEADER);
	}
	if ((fd = import_spool_open(s, err)) < 0) {
		close(src);
		return set_class(r, BUNDLE_LOCAL);
	}
	if (!(buf = malloc(65536))) {
		close(src);
		close(fd);
		return err_set(err, ERR_NOMEM, NULL, "out of memory"), set_class(r, BUNDLE_LOCAL);
	}
	/* Copy what the file gives, whatever lstat said, up to the cap + 1. */
	for (;;) {
		ssize_t n = read(src, buf, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, ERR_IO, "bundle-file", "%s: %s", path, strerror(errno));
			rc = set_class(r, BUNDLE_LOCAL);
			goto out;
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				err_set(err, errno == ENOSPC ? ERR_FULL : ERR_IO, NULL, "spool: %s",
					strerror(errno));
				rc = set_class(r, BUNDLE_LOCAL);
				goto out;
			}
			off += w;
		}
		total += (uint64_t)n;
		if (total > max) {
			err_set(err, ERR_RANGE, "bundle-size", "%s grew past the limit of %llu bytes",
				path, (unsigned long long)max);
			rc = set_class(r, BUNDLE_TOO_LARGE);
			goto out;
		}
	}
	close(src);
	src = -1;
	rc = import_spooled(s, fd, total, o, r, err);
out:
	free(buf);
	if (src >= 0)
		close(src);
	close(fd);
	return rc;
}

/* ---- steps 8-9: the frames ---- */

struct imp {
	struct store *s;
	const struct import_opts *o;
	struct import_result *r;
	bool got_inner;
	struct frame_inner inner;
	uint64_t ceiling, max_lamport;
	bool local;                /* a failure of ours, not of the file */
	uint8_t sender_ed[32];     /* the key the bundle's signature verified with */
	bool got_quizkey;
	uint64_t n_audit;          /* audit frames seen (issue 13.3) */
	bool after_versions;       /* a certificate or audit frame was seen */
};

static bool is_local(const struct err *e)
{
	return e && (e->code == ERR_FULL || e->code == ERR_IO || e->code == ERR_DB ||
		     e->code == ERR_BUSY || e->code == ERR_NOMEM || e->code == ERR_DENIED);
}

/* ---- quiz keys (frame kind 7, issue 13.2) ---- */

/* District: the sending device's own quiz box key, signed by the device
 * key it enrolled with; kept for the other devices of its posyandu. */
static int import_quizkey_up(struct imp *c, const uint8_t *body, size_t len, struct err *err)
{
	struct frame_quizkey k;
	char hex[17];

	if (frame_quizkey_decode(body, len, &k, err) < 0)
		return -1;
	if (memcmp(k.device, c->r->h.sender, 16) != 0)
		return err_set(err, ERR_FORMAT, "bundle-data",
			       "the quiz key is not the sending device's own");
	if (!quizstore_box_verify(c->sender_ed, k.device, k.pk, k.sig))
		return err_set(err, ERR_CRYPTO, "bundle-data",
			       "the quiz key of device %s is not signed by its enrolled device key",
			       wire_hex(k.device, 8, hex));
	if (sync_quizkey_put(c->s, k.device, k.pk, k.sig, err) < 0) {
		c->local = true;
		return -1;
	}
	return 0;
}

/* Issue 13.3: the device's certificates and audit entries, after its
 * versions (a version they name must be held by then), checked by the
 * district in the import transaction. */
static int on_audit_frame(struct imp *c, uint8_t type, const uint8_t *body, size_t len,
			  struct err *err)
{
	const struct bundle_header *h = &c->r->h;
	int rc;

	if (!c->o->district)
		return err_set(err, ERR_FORMAT, "bundle-data",
			       "audit frames in a bundle for a device");
	c->after_versions = true;
	if (type == FRAME_CERT) {
		struct cert_wire cw;
		if (c->n_audit)
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "a certificate after the audit entries");
		if (frame_cert_decode(body, len, &cw, err) < 0)
			return -1;
		rc = sync_import_cert(c->s, h->sender, c->sender_ed, &cw, err);
	} else {
		struct audit_wire aw;
		if (frame_audit_decode(body, len, &aw, err) < 0)
			return -1;
		c->n_audit++;
		rc = sync_import_audit(c->s, h->sender, &aw, err);
	}
	if (rc < 0)
		c->local = is_local(err);
	return rc;
}

static int on_anchor_audit(struct imp *c, uint64_t seq, const uint8_t head[32], struct err *err)
{
	if (!c->o->district || c->r->h.kind == BUNDLE_DOWN)
		return 0;
	if (sync_import_audit_end(c->s, c->r->h.sender, seq, head, c->n_audit,
				  &c->r->audit_unchecked, err) < 0) {
		c->local = is_local(err);
		return -1;
	}
	return 0;
}

/* Device: the quiz keys of the other devices of the posyandu. The district
 * signed the bundle (its pinned key) and vouches for each device's Ed25519
 * key; each device signed its own box key. All must verify or the bundle is
 * refused. An admin session then seals to exactly these from now on
 * (quizstore_peer_add; a device no longer listed is removed); another
 * session leaves the peers as they are. */
static int import_quizkeys_down(struct imp *c, const uint8_t *body, size_t len, struct err *err)
{
	struct frame_quizkey *k;
	uint8_t (*ids)[16] = NULL;
	struct err e2 = { 0 };
	size_t n, i;
	char hex[17];
	int rc = -1;

	if (frame_quizkeys_decode(body, len, &k, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!quizstore_box_verify(k[i].ed_pk, k[i].device, k[i].pk, k[i].sig)) {
			err_set(err, ERR_CRYPTO, "bundle-data",
				"the quiz key of device %s is not signed by that device's key",
				wire_hex(k[i].device, 8, hex));
			goto out;
		}
	if (n && !(ids = calloc(n, sizeof *ids))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		c->local = true;
		goto out;
	}
	for (i = 0; i < n; i++)
		memcpy(ids[i], k[i].device, 16);
	if (quizstore_peers_keep(c->s, (const uint8_t (*)[16])ids, n, NULL, &e2) < 0) {
		if (e2.code == ERR_DENIED) {
			rc = 0;                /* not an admin session: skipped */
			goto out;
		}
		*err = e2;
		c->local = true;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (quizstore_peer_add(c->s, k[i].device, k[i].pk, err) < 0) {
			c->local = true;
			goto out;
		}
	rc = 0;
out:
	free(ids);
	free(k);
	return rc;
}

static int import_quizkey(struct imp *c, const uint8_t *body, size_t len, struct err *err)
{
	if (c->got_quizkey)
		return err_set(err, ERR_FORMAT, "bundle-data", "a second quiz key frame");
	c->got_quizkey = true;
	return c->o->district ? import_quizkey_up(c, body, len, err)
			      : import_quizkeys_down(c, body, len, err);
}

static int on_frame(void *ctx, uint8_t type, const uint8_t *body, size_t len, struct err *err)
{
	struct imp *c = ctx;
	const struct bundle_header *h = &c->r->h;

	switch (type) {
	case FRAME_HEADER: {
		if (c->got_inner)
			return err_set(err, ERR_FORMAT, "bundle-data", "a second inner header");
		if (frame_inner_decode(body, len, &c->inner, err) < 0)
			return -1;
		if (c->inner.kind != h->kind || memcmp(c->inner.sender, h->sender, 16) != 0 ||
		    strcmp(c->inner.posyandu, h->posyandu) != 0 || c->inner.seq != h->seq)
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "the inner header does not repeat the outer one");
		c->got_inner = true;
		return 0;
	}
	case FRAME_VERSION: {
		struct sync_version v;
		char *json = NULL;         /* format 1: the payload, decoded */
		const char *payload;
		size_t plen;
		bool is_new;
		int rc;
		if (c->after_versions)
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "a record after the audit entries");
		if (h->major == 1) {
			if (frame_version_decode(body, len, &v, &json, &plen, err) < 0)
				return -1;
			payload = json;
		} else if (frame_version2_decode(body, len, &v, &payload, &plen, err) < 0) {
			return -1;
		}
		if (c->o->district && memcmp(v.device, h->sender, 16) != 0) {
			char u[UUID_STRLEN];
			codec_free(json);
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "record %s: a version made by another device",
				       uuid_format(v.uuid, u));
		}
		if (v.lamport > c->ceiling) {
			char u[UUID_STRLEN];
			codec_free(json);
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "record %s: Lamport stamp %llu jumps too far ahead",
				       uuid_format(v.uuid, u), (unsigned long long)v.lamport);
		}
		rc = sync_import_version(c->s, &v, payload, plen, h->posyandu, &is_new, err);
		codec_free(json);
		if (rc < 0) {
			c->local = is_local(err);
			return -1;
		}
		if (is_new)
			c->r->n_new++;
		else
			c->r->n_dup++;
		if (v.lamport > c->max_lamport)
			c->max_lamport = v.lamport;
		return 0;
	}
	case FRAME_ANCHOR: {
		uint64_t seq;
		uint8_t head[32];
		if (frame_anchor_decode(body, len, &seq, head, err) < 0)
			return -1;
		if (sync_import_anchor(c->s, h->sender, h->seq, seq, head, err) < 0) {
			c->local = true;
			return -1;
		}
		return on_anchor_audit(c, seq, head, err);
	}
	case FRAME_AUDIT:
	case FRAME_CERT:
		return on_audit_frame(c, type, body, len, err);
	case FRAME_KEYUPDATE:
		return err_set(err, ERR_FORMAT, "bundle-data",
			       "key updates are not supported by this version of posyandu");
	case FRAME_QUIZKEY:
		return import_quizkey(c, body, len, err);
	default:
		return err_set(err, ERR_FORMAT, "bundle-data", "unknown frame type %u", type);
	}
}


/* A bundle stored before: its stored receipt is the answer (step 6). */
static int duplicate(struct import_result *r, const uint8_t *stored, size_t stored_len)
{
	r->cls = BUNDLE_DUPLICATE;
	if (stored_len == RECEIPT_LEN) {
		memcpy(r->receipt, stored, RECEIPT_LEN);
		r->has_receipt = true;
	}
	r->seq_regression = false;
	return 0;
}

int import_spooled(struct store *s, int fd, uint64_t size, const struct import_opts *o,
		   struct import_result *r, struct err *err)
{
	uint8_t head[BUNDLE_HEADER_LEN], tail[BUNDLE_TRAILER_LEN], ed[32], x[32], kid[8];
	uint8_t sender_ed[32], stored[SYNC_RECEIPT_MAX];
	uint64_t max = o->max_size ? o->max_size : BUNDLE_MAX_SIZE;
	struct bundle_trailer t;
	struct imp c = { 0 };
	uint8_t *key = NULL;
	size_t stored_len;
	bool seen, old_key;
	char hex[17];

	memset(r, 0, sizeof *r);
	c.s = s;
	c.o = o;
	c.r = r;
	/* Step 2. */
	if (size > max)
		return err_set(err, ERR_RANGE, "bundle-size", "%llu bytes, the limit is %llu",
			       (unsigned long long)size, (unsigned long long)max),
		       set_class(r, BUNDLE_TOO_LARGE);
	if (size < BUNDLE_MIN_SIZE)
		return err_set(err, ERR_FORMAT, "bundle", "%llu bytes is too small for a bundle",
			       (unsigned long long)size), set_class(r, BUNDLE_HEADER);
	if (bundle_pread(fd, head, sizeof head, 0, err) < 0 ||
	    bundle_pread(fd, tail, sizeof tail, size - sizeof tail, err) < 0)
		return set_class(r, BUNDLE_LOCAL);
	if (bundle_parse(head, tail, size, &r->h, &t, &r->cls, err) < 0)
		return -1;
	if (bundle_hash(fd, size, "", 0, r->hash, 32, err) < 0)   /* the bundle hash */
		return set_class(r, BUNDLE_LOCAL);

	/* Step 3: who sent it. */
	if (store_device_pubkeys(s, ed, x, err) < 0)
		return set_class(r, BUNDLE_LOCAL);
	if (o->district) {
		struct sync_device dev;
		struct err e2 = { 0 };
		if (r->h.kind == BUNDLE_DOWN)
			return err_set(err, ERR_CRYPTO, "bundle-recipient",
				       "this bundle is addressed to a device, not to the district"),
			       set_class(r, BUNDLE_WRONG_RECIPIENT);
		if (sync_device_get(s, r->h.sender, &dev, &e2) < 0) {
			if (e2.code != ERR_NOTFOUND) {
				*err = e2;
				return set_class(r, BUNDLE_LOCAL);
			}
			return err_set(err, ERR_NOTFOUND, "device", "device %s is not enrolled here",
				       wire_hex(r->h.sender, 8, hex)), set_class(r, BUNDLE_UNKNOWN_DEVICE);
		}
		if (dev.status == SYNC_DEV_PENDING)
			return err_set(err, ERR_DENIED, "device-pending", "device %s is not approved yet",
				       wire_hex(r->h.sender, 8, hex)), set_class(r, BUNDLE_PENDING_DEVICE);
		if (dev.status != SYNC_DEV_APPROVED)
			return err_set(err, ERR_DENIED, "device-revoked", "device %s was revoked",
				       wire_hex(r->h.sender, 8, hex)), set_class(r, BUNDLE_REVOKED_DEVICE);
		memcpy(sender_ed, dev.ed_pk, 32);
		snprintf(r->posyandu_name, sizeof r->posyandu_name, "%s", dev.name);
		if (dev.max_seq >= r->h.seq)
			r->seq_regression = true;
	} else {
		struct sync_district dist;
		uint8_t did[16];
		if (sync_district_get(s, &dist, err) < 0)
			return set_class(r, BUNDLE_LOCAL);
		if (r->h.kind != BUNDLE_DOWN)
			return err_set(err, ERR_CRYPTO, "bundle-recipient",
				       "this bundle is addressed to the district, not to this device"),
			       set_class(r, BUNDLE_WRONG_RECIPIENT);
		keystr_district_id(dist.ed_pk, did);
		if (memcmp(did, r->h.sender, 16) != 0)
			return err_set(err, ERR_NOTFOUND, "device",
				       "the bundle does not come from this device's district"),
			       set_class(r, BUNDLE_UNKNOWN_DEVICE);
		memcpy(sender_ed, dist.ed_pk, 32);
	}

	/* Step 4: the signature, before anything is decrypted. */
	if (bundle_verify(fd, size, &t, sender_ed, err) < 0)
		return set_class(r, err && err->code == ERR_CRYPTO ? BUNDLE_SIGNATURE : BUNDLE_LOCAL);
	memcpy(c.sender_ed, sender_ed, 32);

	/* Step 5: the recipient (at the district, also a retired key still kept
	 * for bundles in transit: SECURITY.md §2.9). */
	keystr_kid(x, kid);
	old_key = false;
	if (memcmp(kid, r->h.kid, 8) != 0 && o->district &&
	    store_district_old_has(s, r->h.kid, &old_key, err) < 0)
		return set_class(r, BUNDLE_LOCAL);
	if (memcmp(kid, r->h.kid, 8) != 0 && !old_key)
		return err_set(err, ERR_CRYPTO, "bundle-recipient",
			       "the bundle is sealed to key id %s, not to this %s",
			       wire_hex(r->h.kid, 8, hex), o->district ? "district" : "device"),
		       set_class(r, BUNDLE_WRONG_RECIPIENT);

	/* The signed header must name the posyandu the sender belongs to. */
	if (o->district) {
		struct sync_device dev;
		if (sync_device_get(s, r->h.sender, &dev, err) < 0)
			return set_class(r, BUNDLE_LOCAL);
		if (strcmp(dev.posyandu, r->h.posyandu) != 0)
			return err_set(err, ERR_FORMAT, "bundle-data",
				       "the bundle says posyandu %s, the device is enrolled for %s",
				       r->h.posyandu, dev.posyandu), set_class(r, BUNDLE_DATA);
	} else if (strcmp(store_get_profile(s)->code, r->h.posyandu) != 0) {
		return err_set(err, ERR_FORMAT, "bundle-data", "the bundle is for posyandu %s",
			       r->h.posyandu), set_class(r, BUNDLE_DATA);
	}

	/* Step 6: seen before. */
	if (sync_bundle_seen(s, r->hash, &seen, stored, &stored_len, err) < 0)
		return set_class(r, BUNDLE_LOCAL);
	if (seen)
		return duplicate(r, stored, stored_len);

	/* Step 7: the file key. */
	if (!(key = sodium_malloc(32)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc"), set_class(r, BUNDLE_LOCAL);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	if ((old_key ? store_district_old_unseal(s, r->h.kid, r->h.sealed_key, key, err)
		     : store_device_unseal(s, r->h.sealed_key, key, err)) < 0) {
		sodium_free(key);
		return set_class(r, err && err->code == ERR_CRYPTO ? BUNDLE_NO_MATCH : BUNDLE_LOCAL);
	}
#else
	sodium_memzero(key, 32);
#endif

	/* Steps 8-10, one import per posyandu at a time (issue 16: the lock
	 * of the posyandu, on PostgreSQL; imports for others run meanwhile).
	 * Step 6 again under it: another server process on the same database
	 * may have imported this bundle since, and its receipt is the answer;
	 * the ceiling is read under it too (only this posyandu's imports
	 * move it). */
	if (sync_import_begin(s, o->district ? r->h.posyandu : NULL, err) < 0) {
		sodium_free(key);
		return set_class(r, BUNDLE_LOCAL);
	}
	if (sync_bundle_seen(s, r->hash, &seen, stored, &stored_len, err) < 0 ||
	    (!seen && sync_import_ceiling(s, o->district ? r->h.posyandu : NULL, &c.ceiling,
					  err) < 0)) {
		sodium_free(key);
		sync_import_abort(s);
		return set_class(r, BUNDLE_LOCAL);
	}
	if (seen) {
		sodium_free(key);
		sync_import_abort(s);
		return duplicate(r, stored, stored_len);
	}
	if (bundle_decrypt(fd, &r->h, &t, key, on_frame, &c, &r->cls, err) < 0) {
		struct err first = { 0 };
		sodium_free(key);
		if (c.local)
			r->cls = BUNDLE_LOCAL;
		/* an audit signature queued before this failure fails first */
		if (sync_import_audit_settle(s, &first) < 0) {
			*err = first;
			r->cls = BUNDLE_DATA;
		}
		sync_import_abort(s);
		return -1;
	}
	sodium_free(key);
	if (sync_import_audit_settle(s, err) < 0) {
		sync_import_abort(s);
		return set_class(r, is_local(err) ? BUNDLE_LOCAL : BUNDLE_DATA);
	}
	/* The ordered part, under the writers' lock: the versions get their
	 * change numbers, then the receipt number, the receipt and the
	 * district's audit entry; COMMIT ends both locks. */
	if (sync_import_order(s, err) < 0) {
		enum bundle_class cls = err->code == ERR_FORMAT ? BUNDLE_DATA : BUNDLE_LOCAL;
		sync_import_abort(s);
		return set_class(r, cls);
	}
	if (o->district) {
		/* revoked (or re-enrolled) by an officer while its versions were
		 * checked: what every writer of the device's row sees in order */
		struct sync_device dev;
		if (sync_device_get(s, r->h.sender, &dev, err) < 0) {
			sync_import_abort(s);
			return set_class(r, BUNDLE_LOCAL);
		}
		if (dev.status != SYNC_DEV_APPROVED || memcmp(dev.ed_pk, sender_ed, 32) != 0 ||
		    strcmp(dev.posyandu, r->h.posyandu) != 0) {
			sync_import_abort(s);
			r->n_new = r->n_dup = 0;
			if (dev.status == SYNC_DEV_PENDING)
				return err_set(err, ERR_DENIED, "device-pending",
					       "device %s is not approved yet",
					       wire_hex(r->h.sender, 8, hex)),
				       set_class(r, BUNDLE_PENDING_DEVICE);
			if (dev.status == SYNC_DEV_APPROVED)   /* its key replaced meanwhile */
				return err_set(err, ERR_CRYPTO, "device-key",
					       "device %s has a new key since this bundle was signed",
					       wire_hex(r->h.sender, 8, hex)),
				       set_class(r, BUNDLE_SIGNATURE);
			return err_set(err, ERR_DENIED, "device-revoked", "device %s was revoked",
				       wire_hex(r->h.sender, 8, hex)), set_class(r, BUNDLE_REVOKED_DEVICE);
		}
	}
	{
		struct sync_bundle_row b;
		memset(&b, 0, sizeof b);
		memcpy(b.hash, r->hash, 32);
		memcpy(b.sender, r->h.sender, 16);
		b.seq = r->h.seq;
		b.kind = r->h.kind;
		b.first_change = r->h.first_change;
		b.last_change = r->h.last_change;
		b.n_new = r->n_new;
		b.n_dup = r->n_dup;
		b.down_ack = c.inner.down_ack;
		b.max_lamport = c.max_lamport;
		if (o->district) {
			struct receipt rc;
			memset(&rc, 0, sizeof rc);
			keystr_district_id(ed, rc.district);
			memcpy(rc.device, r->h.sender, 16);
			memcpy(rc.bundle_hash, r->hash, 32);
			rc.bundle_seq = r->h.seq;
			rc.last_change = r->h.last_change;
			rc.n_new = r->n_new;
			rc.n_dup = r->n_dup;
			rc.server_time = clock_now();
			if (sync_import_receipt_seq(s, &rc.receipt_seq, err) < 0 ||
			    receipt_make(&rc, export_sign, s, r->receipt, err) < 0) {
				sync_import_abort(s);
				return set_class(r, BUNDLE_LOCAL);
			}
			r->has_receipt = true;
			b.receipt_seq = rc.receipt_seq;
			memcpy(b.receipt, r->receipt, RECEIPT_LEN);
			b.receipt_len = RECEIPT_LEN;
		}
		if (sync_import_finish(s, &b, err) < 0) {
			r->has_receipt = false;
			return set_class(r, BUNDLE_LOCAL);
		}
	}
	r->cls = BUNDLE_OK;
	return 0;
}

int import_receipt(struct store *s, const uint8_t *buf, size_t len, struct receipt *r,
		   bool *already, uint64_t *watermark, struct err *err)
{
	struct sync_district dist;
	struct sync_export e;
	uint8_t did[16];

	*already = false;
	if (receipt_parse(buf, len, r, err) < 0 || sync_district_get(s, &dist, err) < 0 ||
	    receipt_verify(buf, dist.ed_pk, err) < 0)
		return -1;
	keystr_district_id(dist.ed_pk, did);
	if (memcmp(did, r->district, 16) != 0 || memcmp(store_device_id(s), r->device, 16) != 0)
		return err_set(err, ERR_NOTFOUND, "receipt", "the receipt is for another device");
	if (sync_export_find(s, r->bundle_hash, &e, err) < 0)
		return -1;
	if (e.seq != r->bundle_seq || e.last_change != r->last_change)
		return err_set(err, ERR_FORMAT, "receipt", "the receipt does not match bundle #%llu",
			       (unsigned long long)e.seq);
	if (sync_receipt_apply(s, r->bundle_hash, buf, RECEIPT_LEN, already, watermark, err) < 0)
		return -1;
	/* A key update after the receipt: a rotated district key (§2.9). */
	if (len > RECEIPT_LEN) {
		bool changed;
		return receipt_key_update_apply(s, buf + RECEIPT_LEN, len - RECEIPT_LEN, &dist,
						&changed, err);
	}
	return 0;
}
