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

/* A 16-byte identifier for DATA (LEN bytes) in DOMAIN ("person", "visit",
 * "vid", ...): BLAKE2b keyed with kdf(K_data, "pyloadid"), so the same input
 * gives the same id on this device, and the id, which is stored in clear
 * (record uuid, version id), tells nothing about the register's refs or
 * content to someone without the data key. Needs an unlocked store. */
int store_derive_id(struct store *s, const char *domain, const void *data, size_t len,
		    uint8_t out[UUID_LEN], struct err *err);

#endif
