/* app/setup.c: a new store and its users (app/setup.h). */
#include "app/setup.h"

#include <stdio.h>
#include <string.h>

#include "core/valid.h"
#include "core/banned.h"

void setup_profile_from_config(const struct app *c, struct store_profile *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->code, sizeof p->code, "%s", c->cfg.code);
	snprintf(p->name, sizeof p->name, "%s", c->cfg.name);
	snprintf(p->desa, sizeof p->desa, "%s", c->cfg.desa);
	snprintf(p->kecamatan, sizeof p->kecamatan, "%s", c->cfg.kecamatan);
	snprintf(p->puskesmas, sizeof p->puskesmas, "%s", c->cfg.puskesmas);
	snprintf(p->kabupaten, sizeof p->kabupaten, "%s", c->cfg.kabupaten);
}

int setup_store_check(const struct app *c, const struct store_profile *p, const char *admin,
		      struct err *err)
{
	if (valid_posyandu_code(p->code, err) < 0 || valid_user_label(admin, err) < 0)
		return -1;
	if (!p->name[0])
		return err_set(err, ERR_REQUIRED, "name", "required");
	if (store_exists(c->data_dir))
		return err_set(err, ERR_EXISTS, "data", "%s", c->data_dir);
	return 0;
}

/* The PIN against the configured policy, then the cost of a new slot. */
static int new_slot(const struct app *c, const struct pin *pin, struct setup_kdf *k,
		    struct err *err)
{
	if (valid_secret(pin->buf, pin->len, (enum secret_policy)c->cfg.min_secret, err) < 0)
		return -1;
	app_kdf(c, &k->kdf, &k->seconds);
	return 0;
}

int setup_store_create(struct app *c, const struct store_profile *p, const char *admin,
		       const struct pin *pin, struct setup_kdf *kdf, struct err *err)
{
	struct setup_kdf k;

	if (setup_store_check(c, p, admin, err) < 0 || new_slot(c, pin, &k, err) < 0)
		return -1;
	if (!(c->store = store_create(c->data_dir, p, admin, pin->buf, pin->len, &k.kdf, err)))
		return -1;
	if (kdf)
		*kdf = k;
	return 0;
}

int setup_role(const char *code, enum role *role, struct err *err)
{
	int r = role_from_code(code);
	if (r < 0)
		return err_set(err, ERR_RANGE, "role", "%s", code);
	*role = (enum role)r;
	return 0;
}

int setup_user_add(struct app *c, const char *label, enum role role, const struct pin *pin,
		   struct err *err)
{
	struct setup_kdf k;

	if (valid_user_label(label, err) < 0 || new_slot(c, pin, &k, err) < 0)
		return -1;
	return store_user_add(c->store, label, role, pin->buf, pin->len, &k.kdf, err);
}

int setup_user_passwd(struct app *c, const char *label, const struct pin *pin, struct err *err)
{
	struct setup_kdf k;

	if (new_slot(c, pin, &k, err) < 0)
		return -1;
	return store_user_passwd(c->store, label, pin->buf, pin->len, &k.kdf, err);
}

int setup_user_disable(struct app *c, const char *label, struct err *err)
{
	return store_user_disable(c->store, label, err);
}

int setup_key_rotate(struct app *c, const struct pin *pin, store_progress_fn progress, void *ctx,
		     struct store_rotate_stats *stats, struct err *err)
{
	return store_key_rotate(c->store, pin->buf, pin->len, progress, ctx, stats, err);
}

int setup_user_list(struct app *c, struct store_user **users, size_t *n, struct err *err)
{
	return store_users(c->store, users, n, err);
}
