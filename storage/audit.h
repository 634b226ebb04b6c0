/* storage/audit.h: the hash-chained audit log (SECURITY.md §2.12). Each
 * entry is written in the same transaction as the action it records, and
 * h = BLAKE2b-256(key = kdf(K_data, "pyaudit_"), "posyandu/v1/audit" ‖ prev ‖
 * seq ‖ time ‖ user ‖ action ‖ object ‖ H(detail_ct)). */
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

/* Recompute the chain. 0 when intact (ENTRIES gets the count); -1 with
 * ERR_CRYPTO and *BAD_SEQ the first entry that was edited, removed or
 * reordered. An entry cut from the end after the last sync cannot be seen
 * here; the district's anchor catches that (SECURITY.md §2.12). */
int store_audit_verify(struct store *s, size_t *entries, uint64_t *bad_seq, struct err *err);

#endif
