/* app/setup.h: making a store and managing its users, the use cases under
 * `posyandu init` and `posyandu user` (cli/store_cmds.c) and the first-run
 * wizard and users screen (tui/ui_screens.c). The checks (code, name,
 * PIN policy), the Argon2id cost (app_kdf) and the store calls are here
 * once; the front ends read the PIN their own way and say what happened.
 * Nothing here prints. */
#ifndef POSYANDU_APP_SETUP_H
#define POSYANDU_APP_SETUP_H

#include <stddef.h>

#include "app/app.h"
#include "app/secret.h"
#include "core/err.h"
#include "storage/store.h"

/* ---- a new store ---- */

/* P with the configuration's [posyandu] values (code, name, desa, ...). */
void setup_profile_from_config(const struct app *c, struct store_profile *p);

/* Before asking for a PIN: the code and the admin's name are valid and the
 * data folder holds no store yet. */
int setup_store_check(const struct app *c, const struct store_profile *p, const char *admin,
		      struct err *err);

/* The Argon2id cost the new store got: calibrated (SECONDS the unlock
 * time) or from the configuration (SECONDS -1). */
struct setup_kdf {
	struct kdf_params kdf;
	double seconds;
};

/* Create the store in C->data_dir for P with the first admin ADMIN and
 * PIN (checked against the policy); C->store gets it, open and unlocked as
 * ADMIN. KDF (may be NULL) gets the cost used. */
int setup_store_create(struct app *c, const struct store_profile *p, const char *admin,
		       const struct pin *pin, struct setup_kdf *kdf, struct err *err);

/* ---- users ---- */

/* The role named CODE ("kader", "trainer", "admin"): *ROLE, or -1 with
 * ERR_RANGE (field "role"). */
int setup_role(const char *code, enum role *role, struct err *err);

/* Add LABEL as ROLE with PIN (checked against the policy). Admin session. */
int setup_user_add(struct app *c, const char *label, enum role role, const struct pin *pin,
		   struct err *err);
/* Give LABEL the new PIN (checked against the policy): an admin for
 * anyone, a user for themselves. */
int setup_user_passwd(struct app *c, const char *label, const struct pin *pin, struct err *err);
/* Disable LABEL: their PIN opens nothing any more. Admin session. */
int setup_user_disable(struct app *c, const char *label, struct err *err);
/* Rotate the data key (posyandu key rotate, storage/store.h
 * store_key_rotate): admin session; PIN is the session's own, which
 * re-wraps her slot. */
int setup_key_rotate(struct app *c, const struct pin *pin, store_progress_fn progress, void *ctx,
		     struct store_rotate_stats *stats, struct err *err);
/* Every user, active and disabled; free *USERS. */
int setup_user_list(struct app *c, struct store_user **users, size_t *n, struct err *err);

#endif
