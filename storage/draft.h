/* storage/draft.h: the one unsaved form a user left open (issue 12): what
 * was typed survives a crash or an idle lock and is offered back to the same
 * user at the next login. It is sealed like every record (XChaCha20-Poly1305
 * under a subkey of K_data, bound to the store and the user), never written
 * in clear, and not a record: it has no versions, no audit entry, and never
 * travels in a bundle. */
#ifndef POSYANDU_STORAGE_DRAFT_H
#define POSYANDU_STORAGE_DRAFT_H

#include <stddef.h>

#include "core/err.h"
#include "storage/store.h"

/* Seal the LEN bytes of PLAIN as the session user's draft, replacing the
 * one before; durable when it returns 0. */
int store_form_draft_put(struct store *s, const void *plain, size_t len, struct err *err);
/* The session user's draft, opened into *OUT (sodium_malloc'd: free it with
 * store_form_draft_free): 1 with it, 0 when there is none, -1 with ERR. */
int store_form_draft_get(struct store *s, unsigned char **out, size_t *len, struct err *err);
/* Forget the session user's draft (used or declined). */
int store_form_draft_drop(struct store *s, struct err *err);
/* Wipe and free what store_form_draft_get returned; NULL is fine. */
void store_form_draft_free(unsigned char *plain, size_t len);

#endif
