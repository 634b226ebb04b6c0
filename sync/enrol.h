/* sync/enrol.h: joining a district (SECURITY.md §2.8).
 *
 * Device side, after the admin has compared the district fingerprint on the
 * phone: pin the district key, seal the recovery slot to it, and make the
 * self-signed enrolment request. District side: check a request and keep
 * the device as pending until the officer approves it (after comparing the
 * device fingerprint the same way). */
#ifndef POSYANDU_SYNC_ENROL_H
#define POSYANDU_SYNC_ENROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"
#include "storage/sync_store.h"
#include "sync/keystr.h"
#include "sync/request.h"

/* This store's own key string ("pyd1..." for a district, "pyv1..." for a
 * device) and its fingerprint (FPR may be NULL). */
int enrol_own_key(struct store *s, enum keystr_kind kind, char key[KEYSTR_MAX],
		  char fpr[KEYSTR_FPR_LEN], struct err *err);

/* Device (admin session): enrol with the district key string KEY. Fills
 * REQUEST with the signed enrolment request. */
int enrol_device(struct store *s, const char *key, uint8_t request[ENROL_LEN], struct err *err);

/* District (admin session): check REQ (format, self-signature, meant for
 * this district) and add the device as pending. D gets what it says;
 * *EXISTED when the same request had been added before. */
int enrol_accept(struct store *s, const uint8_t *req, size_t len, struct sync_device *d,
		 bool *existed, struct err *err);
/* The same over the network, with caps on pending requests (0 = none):
 * MAX_OF_CODE per posyandu code, MAX_TOTAL in the district; over a cap
 * ERR_FULL (field "enrol-cap"), nothing written (sync_device_add_capped). */
int enrol_accept_capped(struct store *s, const uint8_t *req, size_t len, unsigned max_of_code,
			unsigned max_total, struct sync_device *d, bool *existed, struct err *err);

/* The device key string and fingerprint of an enrolled device. */
void enrol_device_key(const struct sync_device *d, char key[KEYSTR_MAX],
		      char fpr[KEYSTR_FPR_LEN]);

#endif
