/* storage/recover.h: the store side of district recovery and of district
 * X25519 key rotation (SECURITY.md §2.2 "Recovery slot", §2.9; issue 13.10).
 * The keys stay in storage: sync/recover.c moves only sealed blobs.
 *
 * Device, locked (every admin forgot the PIN):
 *   store_recover_request  a fresh X25519 pair; its secret is kept sealed
 *                          under Argon2id(the NEW admin PIN) in the table
 *                          recovery_pending, so a co-user without that PIN
 *                          (even with K_data) cannot use it; returns the
 *                          recovery slot and the sealed device secret keys
 *                          to carry to the district.
 *   store_recover_open     the district's answer: the PIN opens the request
 *                          secret, which opens the keys; K_admin must open
 *                          this store's device secret keys and give back its
 *                          public keys. Then the keys are the session of an
 *                          admin pseudo-user (zero uuid, "district recovery"):
 *                          the caller verifies the district's signature and
 *                          adds the new admin with store_user_add().
 *   store_recover_done     audit "recovered by district", delete the request.
 *
 * District (admin session: the district passphrase):
 *   store_recover_reseal   open a device's recovery slot with the district
 *                          X25519 key it was sealed to (current or retired),
 *                          check that its K_admin opens the device's secret
 *                          keys and that they are the enrolled public keys,
 *                          and seal the keys to the request key.
 *   store_district_rotate  a new X25519 pair; the old secret key is kept
 *                          (sealed under K_admin) for bundles in transit.
 *   store_district_prune   destroy retired keys older than a time.
 *   store_district_old_*   a retired key by its key id, for the importer. */
#ifndef POSYANDU_STORAGE_RECOVER_H
#define POSYANDU_STORAGE_RECOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"

#define RECOVER_SLOT_LEN 144       /* crypto_box_seal(K_data ‖ K_quiz ‖ K_admin) */
#define RECOVER_DEVSECRET_LEN 136  /* nonce 24 ‖ AEAD(Ed25519 sk ‖ X25519 sk) */
#define RECOVER_SEALED_LEN 144     /* the keys sealed to a request key */
#define RECOVER_RETAIN_DAYS 90     /* a retired district key, for bundles in transit */

/* What a request carries from the store (all sealed: safe on a stick). */
struct recover_blobs {
	uint8_t store_id[16];
	uint8_t district_pk[32];   /* the key the recovery slot is sealed to */
	uint8_t slot[RECOVER_SLOT_LEN];
	uint8_t devsecret[RECOVER_DEVSECRET_LEN];
};

/* Device, locked. ADMIN is the name of the new admin (not a user yet);
 * PIN is its new PIN, sealing the request secret. REQ_PK gets the request
 * public key. ERR_NOTFOUND "district" when there is no recovery slot (not
 * enrolled), ERR_EXISTS when ADMIN is already a user. */
int store_recover_request(struct store *s, const char *admin, const char *pin, size_t pin_len,
			  const struct kdf_params *kdf, uint8_t req_pk[32],
			  struct recover_blobs *b, struct err *err);
/* Device, locked: open SEALED (keys sealed to REQ_PK) with PIN. ADMIN
 * (33 bytes) gets the name chosen at request time. ERR_NOTFOUND when no
 * request with REQ_PK is pending here (made elsewhere, or already used),
 * ERR_AUTH for a wrong PIN, ERR_CRYPTO when the keys are not this store's.
 * On success the store is unlocked as the recovery pseudo-admin. */
int store_recover_open(struct store *s, const uint8_t req_pk[32],
		       const uint8_t sealed[RECOVER_SEALED_LEN], const char *pin, size_t pin_len,
		       char admin[33], struct err *err);
/* After store_recover_open and the new admin: the audit entry and the end
 * of the request (it cannot be answered twice). */
int store_recover_done(struct store *s, const uint8_t req_pk[32], const char *admin,
		       struct err *err);

/* District, admin session. B is what the request carried, DEVICE the
 * enrolled device (its id for the audit, ED_PK and X_PK its keys). */
int store_recover_reseal(struct store *s, const struct recover_blobs *b, const uint8_t device[16],
			 const uint8_t ed_pk[32], const uint8_t x_pk[32], const uint8_t req_pk[32],
			 uint8_t out[RECOVER_SEALED_LEN], struct err *err);

/* District, admin: a new X25519 key pair; NEW_PK gets it, *SERIAL the
 * number of rotations so far (the key update's serial). */
int store_district_rotate(struct store *s, uint8_t new_pk[32], uint64_t *serial, struct err *err);
/* The number of rotations (0: the key made at init). */
int store_district_serial(struct store *s, uint64_t *serial, struct err *err);
/* District, admin: destroy the keys retired at or before BEFORE (unix s). */
int store_district_prune(struct store *s, int64_t before, size_t *n, struct err *err);
/* Is KID a retired key still kept? */
int store_district_old_has(struct store *s, const uint8_t kid[8], bool *has, struct err *err);
/* Open a bundle's sealed file key with the retired key KID (admin). */
int store_district_old_unseal(struct store *s, const uint8_t kid[8], const uint8_t sealed[80],
			      uint8_t key[32], struct err *err);

/* Device: the serial of the last key update applied (0: none). Admin. */
int store_keyupdate_serial(struct store *s, uint64_t *serial, struct err *err);
int store_keyupdate_serial_set(struct store *s, uint64_t serial, struct err *err);

#endif
