/* storage/audit.h: the hash-chained, signed audit log (SECURITY.md §2.12).
 * Each entry is written in the same transaction as the action it records:
 * h1 = BLAKE2b-256(key = kdf(K_data, "pyaudit_"), "posyandu/v1/audit" ‖ prev
 * ‖ seq ‖ time ‖ user ‖ action ‖ object ‖ H(detail_ct)), and (issue 13)
 * h = BLAKE2b-256(same key, "posyandu/v2/audit" ‖ h1 ‖ gen ‖ uidx ‖ next_pk
 * ‖ vid ‖ vhash ‖ nver ‖ maxseq), signed Ed25519(sk_uidx, "posyandu/v2/
 * audit-sig" ‖ h) by the author's one-time key: pk_0 is in her certificate
 * (storage/cert.c), each entry names the next, and sk_uidx is erased when
 * the entry commits. Entries of stores older than that are unsigned (h1
 * only) and may only come before the first signed entry. */
#ifndef POSYANDU_STORAGE_AUDIT_H
#define POSYANDU_STORAGE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"

struct audit_entry {
	uint64_t seq;
	int64_t time;
	uint8_t user[16];
	char user_label[33];       /* "" when the user is gone */
	int action;
	uint8_t object[16];
	char detail[96];
};

const char *audit_action_name(int action);     /* "login", "save", ... */

/* Every entry, oldest first (needs an unlocked store: details are sealed). */
int store_audit_list(struct store *s, struct audit_entry **out, size_t *n, struct err *err);

/* Recompute the chain and check every signature against its author's
 * certificate (verified under the session's pinned device key), that each
 * author's entries are consecutive, that every version a save names is
 * stored unchanged, and that versions and heads agree with the last entry.
 * 0 when intact (ENTRIES gets the count); -1 with ERR_CRYPTO and *BAD_SEQ
 * the first entry that was edited, removed, reordered or inserted (field
 * "audit-records" when records were deleted or rolled back). Entries cut
 * from the end show only at their author's next login (her signing state is
 * ahead) or at the district (the anchor of every bundle, SECURITY.md §2.12). */
int store_audit_verify(struct store *s, size_t *entries, uint64_t *bad_seq, struct err *err);

/* ---- the entries as they travel to the district (issue 13.3) ----
 * A v3 entry (every entry written since issue 13.3) is signed over
 * "posyandu/v3/audit-sig" ‖ D, D = BLAKE2b-256("posyandu/v3/audit" ‖ prev
 * ‖ seq ‖ time ‖ user ‖ action ‖ object ‖ H(detail_ct) ‖ gen ‖ uidx ‖
 * next_pk ‖ vid ‖ vhash ‖ nver ‖ maxseq ‖ h), all unkeyed: whoever holds
 * the author's public key checks it without K_data. A v2 entry signed h
 * only; it is accepted before the first v3 entry of a log. */
struct audit_wire {
	uint64_t seq;
	int64_t time;
	uint8_t user[16];
	int64_t action;
	uint8_t object[16];
	uint8_t detail_hash[32];   /* BLAKE2b-256 of detail_ct (sealed under K_data) */
	uint8_t prev[32], h[32];   /* the keyed chain, opaque without K_data */
	bool is_signed;            /* false: an entry of a store older than issue 13 */
	int64_t gen;
	uint64_t uidx;
	uint8_t next_pk[32];
	uint8_t sig[64];
	uint8_t vid[16];           /* all zero: the entry names no version */
	uint8_t vhash[32];         /* the saved version's hash; with no vid, the digest
				    * of the versions the entry added (storage/audit.c) */
	int64_t nver, maxseq;
};
void audit_wire_digest(const struct audit_wire *e, uint8_t out[32]);
/* 3 when SIG verifies under PK as a v3 entry, 2 as a v2 entry, 0 not at all. */
int audit_wire_verify(const struct audit_wire *e, const uint8_t pk[32]);
/* Call FN with every entry from seq FROM on, oldest first (read as stored:
 * no key needed). */
typedef int (*audit_wire_fn)(void *ctx, const struct audit_wire *e, struct err *err);
int audit_wire_each(struct store *s, uint64_t from, audit_wire_fn fn, void *ctx, struct err *err);

/* A user certificate as it travels: signed by the device key over
 * "posyandu/v2/user-cert" ‖ store_id ‖ user ‖ role ‖ gen ‖ audit_pk ‖ box_pk
 * (storage/cert.c). */
struct cert_wire {
	uint8_t store_id[16];
	uint8_t user[16];
	int role;
	int64_t gen;
	uint8_t audit_pk[32], box_pk[32], sig[64];
};
/* Does C verify under the device key ED_PK? */
bool cert_wire_verify(const struct cert_wire *c, const uint8_t ed_pk[32]);
typedef int (*cert_wire_fn)(void *ctx, const struct cert_wire *c, struct err *err);
/* Call FN with every certificate of the store (every generation). */
int cert_wire_each(struct store *s, cert_wire_fn fn, void *ctx, struct err *err);

#endif
