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

#endif
