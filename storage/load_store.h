/* storage/load_store.h: what loading an existing register (CSV) needs from
 * the store: identifiers derived from the register's own keys, so that
 * loading the same file twice adds nothing. */
#ifndef POSYANDU_STORAGE_LOAD_STORE_H
#define POSYANDU_STORAGE_LOAD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/person.h"
#include "storage/store.h"

/* A 16-byte identifier for DATA (LEN bytes) in DOMAIN ("visit", "vid",
 * and "person" for records loaded before store_derive_ref_id() existed):
 * BLAKE2b keyed with kdf(K_data, "pyloadid"), so the same input gives the
 * same id on this device, and the id, which is stored in clear
 * (record uuid, version id), tells nothing about the register's refs or
 * content to someone without the data key. Needs an unlocked store. */
int store_derive_id(struct store *s, const char *domain, const void *data, size_t len,
		    uint8_t out[UUID_LEN], struct err *err);

/* A 16-byte identifier for a register's REF (LEN bytes) in DOMAIN, the same
 * on every device of this store's posyandu: BLAKE2b of the posyandu code
 * and REF, unkeyed, since the devices of one posyandu share no key. So a
 * register loaded on two devices gives one record per ref once their
 * bundles meet (issue 12). The price: whoever holds a record's uuid and
 * guesses the posyandu code and the ref can tell that they match; a ref
 * is a register's row key, not a person's data. */
int store_derive_ref_id(struct store *s, const char *domain, const void *ref, size_t len,
			uint8_t out[UUID_LEN], struct err *err);

#endif
