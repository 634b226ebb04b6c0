/* storage/load_store.c: derived identifiers for register imports: per
 * device (keyed) and per posyandu (by its code). */
#include "storage/load_store.h"
#include "storage/internal.h"

#include <string.h>

#include "core/banned.h"

#define LOADID_CONTEXT "pyloadid"          /* crypto_kdf context: 8 bytes */
#define LOADID_SUBKEY 1

int store_derive_id(struct store *s, const char *domain, const void *data, size_t len,
		    uint8_t out[UUID_LEN], struct err *err)
{
	uint8_t key[crypto_generichash_KEYBYTES];
	crypto_generichash_state st;
	int rc = -1;

	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	/* After a rotation, the key derived from the first epoch's K_data
	 * (storage/rotate.c): the same register row keeps its id. */
	if (s->keys->epoch > 1)
		memcpy(key, s->keys->loadid, sizeof key);
	else if (crypto_kdf_derive_from_key(key, sizeof key, LOADID_SUBKEY, LOADID_CONTEXT,
					    s->keys->data) != 0) {
		err_set(err, ERR_CRYPTO, NULL, "key derivation failed");
		goto out;
	}
	/* DOMAIN and its NUL first, so ("ab", "c") and ("a", "bc") differ. */
	if (crypto_generichash_init(&st, key, sizeof key, UUID_LEN) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain) + 1) != 0 ||
	    crypto_generichash_update(&st, data, len) != 0 ||
	    crypto_generichash_final(&st, out, UUID_LEN) != 0) {
		err_set(err, ERR_CRYPTO, NULL, "hash failed");
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(key, sizeof key);
	sodium_memzero(&st, sizeof st);
	return rc;
}

#define REFID_PERSONAL "pyrefid1"          /* domain separation from every other hash */

int store_derive_ref_id(struct store *s, const char *domain, const void *ref, size_t len,
			uint8_t out[UUID_LEN], struct err *err)
{
	const char *code = s->profile.code;
	crypto_generichash_state st;
	int rc = 0;

	/* Each part with its NUL (or length), so no two inputs run together. */
	if (crypto_generichash_init(&st, NULL, 0, UUID_LEN) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)REFID_PERSONAL, sizeof REFID_PERSONAL) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)code, strlen(code) + 1) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain) + 1) != 0 ||
	    crypto_generichash_update(&st, ref, len) != 0 ||
	    crypto_generichash_final(&st, out, UUID_LEN) != 0)
		rc = err_set(err, ERR_CRYPTO, NULL, "hash failed");
	sodium_memzero(&st, sizeof st);
	return rc;
}
