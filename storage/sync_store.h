/* storage/sync_store.h: what sync/ needs from the store (SECURITY.md
 * §2.6-2.11), without SQL or keys crossing the layer.
 *
 *   - The device's secret keys never leave storage: sync hands over a digest
 *     to sign or a sealed file key to open.
 *   - Versions made elsewhere are stored exactly like local ones (sealed at
 *     rest under this store's record key, with the same associated data as
 *     storage/record.c), keyed by (uuid, lamport, device) with a content
 *     hash, so importing twice changes nothing and the same key with other
 *     content is refused.
 *   - Bundles seen and bundles made, the watermark (moved only by a verified
 *     receipt), enrolled devices (district side), and the conflict list.
 *
 * The same tables exist in every store; a device uses the export side, the
 * district server the device list and import side.
 *
 * Implemented in storage/sync_store.c (keys, district pin, versions, exports
 * and receipts, origins, state digest), storage/sync_import.c (bundles
 * imported here), storage/sync_device.c (enrolled devices) and
 * storage/sync_conflict.c (conflicts); they share storage/sync_internal.h. */
#ifndef POSYANDU_STORAGE_SYNC_STORE_H
#define POSYANDU_STORAGE_SYNC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"

#define SYNC_KEYSTR_MAX 128
#define SYNC_MERGES_MAX 16         /* merged versions one version may name */
#define SYNC_RECEIPT_MAX 256

/* ---- this store's own keys ---- */

/* Public keys (always readable). */
int store_device_pubkeys(struct store *s, uint8_t ed_pk[32], uint8_t x_pk[32], struct err *err);
/* Ed25519-sign a 64-byte digest with the device key (admin session). */
int store_device_sign(struct store *s, const uint8_t digest[64], uint8_t sig[64],
		      struct err *err);
/* Open a crypto_box_seal of a 32-byte key (80 bytes) with the device X25519
 * key (admin session). ERR_CRYPTO when it was sealed to someone else. */
int store_device_unseal(struct store *s, const uint8_t sealed[80], uint8_t key[32],
			struct err *err);
/* The data folder of S. */
const char *store_dir(const struct store *s);

/* ---- the district this device is enrolled with ---- */

struct sync_district {
	uint8_t ed_pk[32], x_pk[32];
	char keystr[SYNC_KEYSTR_MAX];
};
/* Pin D (admin). Kept with a MAC under K_admin, so editing the database
 * cannot redirect exports to another key. */
int sync_district_pin(struct store *s, const struct sync_district *d, struct err *err);
/* ERR_NOTFOUND (field "district") before enrolment; ERR_CRYPTO when the pin
 * was tampered with; ERR_DENIED without an admin session. */
int sync_district_get(struct store *s, struct sync_district *d, struct err *err);

/* ---- versions ---- */

struct sync_ref {
	uint64_t lamport;
	uint8_t device[16];
};

/* One version as it travels (the clear columns of the versions table and
 * the merges it records; the payload is separate). */
struct sync_version {
	uint64_t seq;              /* local change number (reading only) */
	uint8_t uuid[16];
	int kind;
	uint8_t owner[16];         /* all zero = none */
	uint64_t lamport;
	uint8_t device[16];
	struct sync_ref parent;    /* lamport 0: a new record */
	int32_t month;             /* -1 = none */
	bool deleted;
	uint8_t vid[16];
	size_t n_merges;
	struct sync_ref merges[SYNC_MERGES_MAX];
};

typedef int (*sync_version_fn)(void *ctx, const struct sync_version *v, const char *payload,
			       size_t len, struct err *err);

/* Which versions sync_each_version() yields, in local change order. */
struct sync_filter {
	uint64_t after, upto;      /* seq in (AFTER, UPTO]; UPTO 0 = no limit */
	const uint8_t *only_device;    /* made by this device (an upstream bundle), or NULL */
	const char *posyandu;          /* came from this posyandu (district side), or NULL */
	const uint8_t *except_device;  /* not made by this device, or NULL */
};
int sync_each_version(struct store *s, const struct sync_filter *f, sync_version_fn fn, void *ctx,
		      struct err *err);
/* The highest local change number (0 for an empty store). */
int sync_last_change(struct store *s, uint64_t *seq, struct err *err);
/* The head of the audit chain, for the anchor in every bundle. */
int sync_audit_head(struct store *s, uint64_t *seq, uint8_t head[32], struct err *err);

/* ---- bundles made here, receipts, the watermark ---- */

struct sync_export {
	uint8_t hash[32];
	uint64_t seq;
	int kind;
	uint8_t recipient[16];     /* the district id, or the device of a downstream bundle */
	uint64_t first_change, last_change;
	uint32_t versions;
	int64_t created;
	char path[512];            /* where it was written first (the outbox) */
	bool acked;
	uint64_t audit_seq;        /* the audit anchor it carried (upstream; 0 = unknown) */
};
/* 1 + the highest sequence this store has given a bundle. */
int sync_next_seq(struct store *s, uint64_t *seq, struct err *err);
/* Every local change up to *WM is acknowledged by a signed receipt. */
int sync_watermark(struct store *s, uint64_t *wm, struct err *err);
/* Record a bundle made here (and its audit entry), after it was written,
 * synced and read back: for a stick, after the copy on the stick was
 * (SECURITY.md §3.2 step 9). DELIVERED (may be NULL) is where it was
 * delivered, noted in the same transaction with its own audit entry. */
int sync_export_add(struct store *s, const struct sync_export *e, const char *delivered,
		    struct err *err);
/* The file names of the bundles made here that the district has
 * acknowledged: a verified receipt, or (upstream) every change in them at
 * or under the watermark. *NAMES is allocated (free it). */
int sync_export_acked_names(struct store *s, char (**names)[128], size_t *n, struct err *err);
/* Note that the bundle HASH was delivered to WHERE (audit entry). */
int sync_export_delivered(struct store *s, const uint8_t hash[32], const char *where,
			  struct err *err);
/* The bundle with this hash, or ERR_NOTFOUND. */
int sync_export_find(struct store *s, const uint8_t hash[32], struct sync_export *e,
		     struct err *err);
/* The newest bundle not yet acknowledged (*FOUND false when none). */
int sync_export_unacked(struct store *s, struct sync_export *e, bool *found, struct err *err);
/* A receipt verified by sync/: mark the bundle HASH acknowledged, keep the
 * receipt, and move the watermark over every contiguous acknowledged range.
 * *ALREADY is set when the receipt had been applied before (nothing changes). */
int sync_receipt_apply(struct store *s, const uint8_t hash[32], const uint8_t *receipt,
		       size_t len, bool *already, uint64_t *watermark, struct err *err);

/* ---- bundles imported here ---- */

struct sync_bundle_row {
	uint8_t hash[32];
	uint8_t sender[16];
	uint64_t seq;
	int kind;
	uint64_t first_change, last_change;
	uint32_t n_new, n_dup;
	uint64_t receipt_seq;      /* 0 = no receipt (a device importing) */
	uint8_t receipt[SYNC_RECEIPT_MAX];
	size_t receipt_len;
	uint64_t down_ack;         /* what the sender says it has of ours (upstream) */
	uint64_t max_lamport;
};
/* Has the bundle HASH been imported? Its stored receipt into RECEIPT
 * (SYNC_RECEIPT_MAX bytes; *LEN 0 when none). */
int sync_bundle_seen(struct store *s, const uint8_t hash[32], bool *found, uint8_t *receipt,
		     size_t *len, struct err *err);

/* (sync_import.c, except sync_down_ack in sync_store.c) */

/* The import transaction: begin, versions, order, finish (one COMMIT) or
 * abort (issue 16). Begin takes the lock of POSYANDU only (on PostgreSQL;
 * NULL: the writers' lock at once): the versions are checked, sealed and
 * staged under it while imports for other posyandu run. Order takes the
 * writers' lock and gives the staged versions their change numbers, in
 * one order with every other writer; the receipt and finish follow. */
int sync_import_begin(struct store *s, const char *posyandu, struct err *err);
int sync_import_order(struct store *s, struct err *err);
/* The highest Lamport stamp a version from POSYANDU may carry now
 * (max seen + 10^6, at most 2^53; SECURITY.md §2.10). */
int sync_import_ceiling(struct store *s, const char *posyandu, uint64_t *ceiling,
			struct err *err);
/* Validate one version (every field through core/ and the codecs) and
 * store it unless stored already. *IS_NEW tells which. Same key with other
 * content, an invalid field, a kind change: ERR_FORMAT with field
 * "bundle-data" and the record uuid in the detail. */
int sync_import_version(struct store *s, const struct sync_version *v, const char *payload,
			size_t len, const char *posyandu, bool *is_new, struct err *err);
/* Keep the audit anchor of a bundle. */
int sync_import_anchor(struct store *s, const uint8_t sender[16], uint64_t bundle_seq,
		       uint64_t audit_seq, const uint8_t head[32], struct err *err);
/* The receipt sequence for the receipt being made (after sync_import_order). */
int sync_import_receipt_seq(struct store *s, uint64_t *rseq, struct err *err);
/* Record the bundle, update the sender's counters, audit, COMMIT. */
int sync_import_finish(struct store *s, const struct sync_bundle_row *b, struct err *err);
void sync_import_abort(struct store *s);
/* Downstream acknowledgement to send upstream: every district change up to
 * *ACK has been imported here. */
int sync_down_ack(struct store *s, uint64_t *ack, struct err *err);

/* ---- the district's audit check (issue 13.3, sync_import_audit.c) ----
 * An upstream bundle carries the device's user certificates and its audit
 * entries from the anchor of its last acknowledged bundle on (the entry at
 * that anchor again, so the district sees where they join). Inside the
 * import transaction, after the versions: */

/* (sync_store.c) Where the audit entries of the next upstream bundle
 * start: the anchor of the newest acknowledged upstream bundle (1 when
 * none; FULL: from 1). */
int sync_audit_since(struct store *s, bool full, uint64_t *from, struct err *err);
/* Keep certificate C of device SENDER after checking it under the device's
 * enrolled key ED_PK. ERR_CRYPTO (field "bundle-audit") when it does not
 * verify or differs from one kept before. */
struct cert_wire;
struct audit_wire;
int sync_import_cert(struct store *s, const uint8_t sender[16], const uint8_t ed_pk[32],
		     const struct cert_wire *c, struct err *err);
/* Check entry E against what the district verified of SENDER's chain:
 * entries up to there are skipped (the one at it must have the same h);
 * the next continues it (seq, prev), is signed by its author's next
 * one-time key (certificate, index), v3 once a v3 entry was seen, and a
 * version it names is one of SENDER's held here (in this bundle or an
 * earlier one). ERR_CRYPTO with field "bundle-audit" and a one-line reason. */
int sync_import_audit(struct store *s, const uint8_t sender[16], const struct audit_wire *e,
		      struct err *err);
/* At the anchor (AUDIT_SEQ, HEAD) of a bundle that carried N_ENTRIES audit
 * entries: the verified chain ends at the anchor. *UNCHECKED is set (the
 * district logs it) for a bundle without entries (an old device, or a
 * downgrade when it sent them before) and for entries that do not start at
 * 1 from a device whose chain the district never verified (a district
 * restored from a backup or a replica; a full bundle starts it). */
int sync_import_audit_end(struct store *s, const uint8_t sender[16], uint64_t audit_seq,
			  const uint8_t head[32], uint64_t n_entries, bool *unchecked,
			  struct err *err);
/* The signatures of the entries are checked in batches on every core
 * (sync_import_audit.c): check those still queued, -1 with the first
 * failure. A failure of anything else during an import calls this first,
 * so the first failure in the file is the one reported. */
int sync_import_audit_settle(struct store *s, struct err *err);

/* ---- enrolled devices (district side) ---- */

enum sync_device_status {
	SYNC_DEV_PENDING = 1,
	SYNC_DEV_APPROVED = 2,
	SYNC_DEV_REVOKED = 3,
};
const char *sync_device_status_name(int status);    /* "pending", ... */

struct sync_device {
	uint8_t id[16];
	char posyandu[17];
	char name[65];
	uint8_t ed_pk[32], x_pk[32];
	int status;
	int64_t requested_at, approved_at, revoked_at;
	uint64_t max_seq, max_lamport, down_ack;
};
/* (sync_store.c) The device whose version is current for each live record
 * of KIND: on the district server this says which posyandu a record belongs
 * to. *OUT is an allocated array of N pairs (free it). */
struct sync_origin {
	uint8_t uuid[16];
	uint8_t device[16];
};
int sync_record_origins(struct store *s, int kind, struct sync_origin **out, size_t *n,
			struct err *err);

/* Add a verified enrolment request as pending. The same device with the
 * same keys again: *EXISTED, nothing changes. Other keys under a known id:
 * ERR_EXISTS. */
int sync_device_add(struct store *s, const struct sync_device *d, const uint8_t *request,
		    size_t len, bool *existed, struct err *err);
/* The same with caps on pending requests (0 = none): MAX_OF_CODE of the
 * device's posyandu code, MAX_TOTAL in the district. A request over a cap
 * is ERR_FULL (field "enrol-cap") and writes nothing; a repeat of a request
 * already kept is *EXISTED whatever the counts. */
int sync_device_add_capped(struct store *s, const struct sync_device *d, const uint8_t *request,
			   size_t len, unsigned max_of_code, unsigned max_total, bool *existed,
			   struct err *err);
/* (sync_device.c) An approved device's new keys ED_PK, X_PK, in place of
 * OLD_ED (which must be its enrolled key; ERR_CRYPTO "request"), with an
 * entry; the same keys again change nothing. Pending or revoked: ERR_DENIED. */
int sync_device_rekey(struct store *s, const uint8_t id[16], const uint8_t old_ed[32],
		      const uint8_t ed_pk[32], const uint8_t x_pk[32], struct err *err);
int sync_device_get(struct store *s, const uint8_t id[16], struct sync_device *d,
		    struct err *err);
/* All devices, by posyandu then id. *OUT is allocated; free() it. */
int sync_device_list(struct store *s, struct sync_device **out, size_t *n, struct err *err);
/* Resolve a hex id or a unique prefix of at least 4 digits. */
int sync_device_find(struct store *s, const char *hex, uint8_t id[16], struct err *err);
/* The device says (signed) it has every district change up to ACK. */
int sync_device_ack(struct store *s, const uint8_t id[16], uint64_t ack, struct err *err);
/* pending -> approved, or anything -> revoked (admin; audited). */
int sync_device_set_status(struct store *s, const uint8_t id[16], int status, struct err *err);
/* The same on behalf of officer BY of the web interface (NULL: the shell),
 * whose name goes into the audit entry's detail. */
int sync_device_set_status_by(struct store *s, const uint8_t id[16], int status, const char *by,
			      struct err *err);

/* ---- quiz keys of devices (district side, issue 13.2; sync_device.c) ---- */

/* A device's quiz box key, its signature by the device's Ed25519 key
 * (storage/quiz_keys.c: quizstore_box_verify) and that Ed25519 key. */
struct sync_quizkey {
	uint8_t device[16];
	uint8_t ed_pk[32];
	uint8_t box_pk[32];
	uint8_t sig[64];
};
/* Keep the quiz key of DEVICE (the caller verified SIG with the device's
 * enrolled key); replaces the one kept before. Inside the caller's
 * transaction (the import). */
int sync_quizkey_put(struct store *s, const uint8_t device[16], const uint8_t box_pk[32],
		     const uint8_t sig[64], struct err *err);
/* The quiz keys of the approved devices of POSYANDU other than EXCEPT, by
 * device id. *OUT is allocated (free() it; NULL when N is 0). */
int sync_quizkeys_for(struct store *s, const char *posyandu, const uint8_t except[16],
		      struct sync_quizkey **out, size_t *n, struct err *err);

/* The digest of the key list last put in a downstream bundle for DEVICE
 * (*FOUND false before the first), and keeping it. */
int sync_quizkeys_sent(struct store *s, const uint8_t device[16], uint8_t digest[32],
		       bool *found, struct err *err);
int sync_quizkeys_sent_put(struct store *s, const uint8_t device[16], const uint8_t digest[32],
			   struct err *err);

/* ---- conflicts (SECURITY.md §2.11) ---- */

/* A record whose versions are not all on the line of its current version:
 * concurrent edits (versions sharing a parent) not yet reviewed. HEAD wins
 * for now; OPEN are the versions that lost and are not merged. */
struct sync_conflict {
	uint8_t uuid[16];
	int kind;
	struct sync_ref head;
	size_t n_open;
	struct sync_ref open[SYNC_MERGES_MAX];
};
/* Every record in conflict. *OUT is allocated; free() it. */
int sync_conflicts(struct store *s, struct sync_conflict **out, size_t *n, struct err *err);
/* Review UUID's conflict (trainer or admin): a new version with the content
 * of KEEP (the current one or an open one), parented on the current
 * version, which records every open version as merged. */
int sync_conflict_resolve(struct store *s, const uint8_t uuid[16], const struct sync_ref *keep,
			  struct err *err);

/* ---- for tests: a digest of the state that must converge ---- */

/* BLAKE2b-256 over every head (uuid, lamport, device, deleted) in uuid
 * order, and the number of versions and heads. */
int sync_state_digest(struct store *s, uint8_t digest[32], size_t *versions, size_t *heads,
		      struct err *err);

#endif
