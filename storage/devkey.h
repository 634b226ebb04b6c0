/* storage/devkey.h: replacing the device's own key pair (SECURITY.md §2.9,
 * issue 13.10; the request and answer files are sync/rekey.c).
 *
 * The new pair waits in meta device.next (its secret sealed under K_admin)
 * while the district checks the cross-signed request; the device keeps
 * signing with the old key until the district's answer comes back. Then,
 * in one transaction: the old key signs a link old -> new
 * (device_key_links), the new pair becomes the device key, every
 * certificate, pending key update and quiz key (own and peers') the old
 * key signed is re-signed, the admin's slot is re-wrapped to pin the
 * new key, and an entry is written. Every other user's slot still pins the
 * old key: at her next login the link (signed by the key her slot pins)
 * moves her to the new one and her slot is re-wrapped (storage/store.c). */
#ifndef POSYANDU_STORAGE_DEVKEY_H
#define POSYANDU_STORAGE_DEVKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"

/* Admin: with FRESH, make a new pending pair (replacing one not finished);
 * otherwise the pending one (ERR_NOTFOUND "rekey" when there is none).
 * Its public keys in ED_PK, X_PK. */
int store_devkey_next(struct store *s, bool fresh, uint8_t ed_pk[32], uint8_t x_pk[32],
		      struct err *err);
/* Sign DIGEST with the pending key (a bundle_sign_fn: STORE is the store). */
int store_devkey_next_sign(void *store, const uint8_t digest[64], uint8_t sig[64],
			   struct err *err);

struct store_devkey_stats {
	int64_t certs;      /* certificates re-signed */
	int64_t updates;    /* pending data-key updates re-signed */
	int64_t users;      /* other users whose slots move at their next login */
};
/* Admin, PIN her own: make the pending pair (which must be ED_PK, X_PK) the
 * device key, in one transaction (see above). */
int store_devkey_switch(struct store *s, const uint8_t ed_pk[32], const uint8_t x_pk[32],
			const char *pin, size_t pin_len, struct store_devkey_stats *st,
			struct err *err);

#endif
