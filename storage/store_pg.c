/* storage/store_pg.c: a store on PostgreSQL (issue 16): made, found. The
 * rest of storage/ is the same on both (storage/db.c). */
#include "storage/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

bool store_exists_at(const char *dir, const struct store_open_opts *opts)
{
	struct err e = { 0 };
	struct db *db;
	bool yes;

	if (!opts || !opts->url || !*opts->url)
		return store_exists(dir);
	if (!(db = db_open_url(opts->url, &e)))
		return false;
	yes = pg_has_tables(db, &e) > 0;
	db_close(db);
	return yes;
}

/* Does the PostgreSQL database DB hold a store's tables? 1, 0, or -1. */
int pg_has_tables(struct db *db, struct err *err)
{
	int64_t n;

	if (db_int(db, "SELECT count(*) FROM information_schema.tables WHERE "
		   "table_schema = current_schema() AND table_name IN ('meta', 'versions')", &n,
		   "store tables", DB_NOARGS, err) < 0)
		return -1;
	return n > 0;
}

/* The store on PostgreSQL: its schema and its init, one transaction, so an
 * interrupted init leaves the database as it was. */
struct store *create_pg(const char *dir, const char *url,
			       const struct store_profile *profile, const char *admin,
			       const char *pin, size_t pin_len, const struct kdf_params *kdf,
			       struct err *err)
{
	struct store *s;
	int rc;

	if (make_dir(dir, err) < 0 || !(s = store_alloc(dir, err)))
		return NULL;
	if (!(s->db = db_open_url(url, err)))
		goto fail;
	if ((rc = pg_has_tables(s->db, err)) != 0) {
		if (rc > 0)
			err_set(err, ERR_EXISTS, "store", "the PostgreSQL database already holds a store");
		goto fail;
	}
	if (db_outer_begin(s->db, err) < 0)
		goto fail;
	rc = migrate_run(s->db, 0, err) == 0 && init_store(s, profile, admin, pin, pin_len, kdf,
								err) == 0;
	if (db_outer_end(s->db, rc, err) < 0 || !rc)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}


/* Another connection to the database of S, unlocked as S is, with its own
 * copy of the keys (their scratch is per store): what one server thread
 * imports with while the others use theirs (issue 16). */
struct store *store_twin(const struct store *s, struct err *err)
{
	struct store *t;

	if (!s->url || !s->keys) {
		err_set(err, ERR_DENIED, NULL, "not an unlocked store on PostgreSQL");
		return NULL;
	}
	if (!(t = store_alloc(s->dir, err)))
		return NULL;
	if (!(t->url = strdup(s->url)) || !(t->keys = keys_new())) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	memcpy(t->keys, s->keys, sizeof *t->keys);
	sodium_memzero(t->keys->work, sizeof t->keys->work);
	sodium_memzero(t->keys->ask, sizeof t->keys->ask);
	memcpy(t->store_id, s->store_id, 16);
	memcpy(t->device_id, s->device_id, 16);
	t->profile = s->profile;
	t->user = s->user;
	t->warn = s->warn;
	memcpy(t->warn_detail, s->warn_detail, sizeof t->warn_detail);
	if (!(t->db = db_open_url(t->url, err)))
		goto fail;
	return t;
fail:
	store_close(t);
	return NULL;
}

bool store_on_pg(const struct store *s)
{
	return s->url != NULL;
}
