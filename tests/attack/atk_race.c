/* tests/attack/atk_race.c: two imports for two posyandu, at once, on one
 * PostgreSQL store (issue 16).
 *
 * On PostgreSQL the keys of versions and heads hold the posyandu code
 * (storage/migrate.c step 16), and an import for one posyandu runs beside
 * the imports for the others (its posyandu's lock, not one for all). So
 * the database no longer refuses a record of one posyandu coming in for
 * another, nor a version id used twice, when both imports stage their
 * versions before either stores them: only the import's own check, made
 * again under the writers' lock as the versions get their change numbers
 * (sync_import_order), does. Each attack stages both imports on two
 * connections, as two server processes would, commits the first and then
 * the second:
 *
 *   atk_race DIR URL same-record   both bring a new record with one id
 *   atk_race DIR URL same-vid      both bring a version with one version id
 *
 * It prints what the first and the second import answered; the store
 * (DIR's process folder, URL its database) is unlocked with the district
 * passphrase in $ATK_PIN, as a district officer with a shell has it: the
 * devices' bundles are what this does not need (their checks come before). */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/codec.h"
#include "storage/sync_store.h"
#include "core/banned.h"

static struct store *open_pg(const char *dir, const char *url)
{
	struct store_open_opts o = { .url = url };
	struct err err = { 0 };
	const char *pin = getenv("ATK_PIN");
	struct store *s;

	if (sodium_init() < 0)
		atk_die("sodium_init");
	if (!pin)
		atk_die("ATK_PIN is not set");
	if (!(s = store_open(dir, &o, &err)))
		atk_die("open %s: %s", url, err.detail);
	if (store_login(s, "district", pin, strlen(pin), NULL, &err) < 0)
		atk_die("login: %s", err.detail);
	return s;
}

/* Stage, in an import for CODE from device DEV, a new person UUID whose
 * version id is VID. */
static void stage(struct store *s, const char *code, const uint8_t dev[16],
		  const uint8_t uuid[16], const uint8_t vid[16])
{
	struct sync_version v = { 0 };
	struct person p = { 0 };
	struct err err = { 0 };
	bool is_new;
	char *json;

	memcpy(v.uuid, uuid, 16);
	v.kind = REC_PERSON;
	v.lamport = 5;
	memcpy(v.device, dev, 16);
	v.month = -1;
	memcpy(v.vid, vid, 16);
	p.kind = PERSON_CHILD;
	snprintf(p.name, sizeof p.name, "Rina Wati");
	p.sex = 'P';
	p.dob = p.registered = DATE_NONE;
	if (!(json = codec_person_encode(&p, dev, 1700000000)))
		atk_die("encode");
	if (sync_import_begin(s, code, &err) < 0 ||
	    sync_import_version(s, &v, json, strlen(json), code, &is_new, &err) < 0)
		atk_die("stage for %s: %s", code, err.detail);
	codec_free(json);
	if (!is_new)
		atk_die("stage for %s: not new", code);
}

static void finish(struct store *s, const char *name, const uint8_t dev[16])
{
	struct sync_bundle_row b = { 0 };
	struct err err = { 0 };

	randombytes_buf(b.hash, sizeof b.hash);
	memcpy(b.sender, dev, 16);
	b.seq = 1;
	b.kind = 1;
	b.n_new = 1;
	b.max_lamport = 5;
	if (sync_import_finish(s, &b, &err) < 0)
		printf("%s import: refused: %s\n", name, err.detail);
	else
		printf("%s import: stored\n", name);
}

int main(int argc, char **argv)
{
	struct store *a, *b;
	uint8_t dev1[16], dev2[16], u1[16], u2[16], v1[16], v2[16];

	if (argc != 4 || (strcmp(argv[3], "same-record") != 0 && strcmp(argv[3], "same-vid") != 0))
		atk_die("usage: atk_race DIR URL same-record|same-vid");
	a = open_pg(argv[1], argv[2]);
	b = open_pg(argv[1], argv[2]);
	randombytes_buf(dev1, 16);
	randombytes_buf(dev2, 16);
	randombytes_buf(u1, 16);
	randombytes_buf(v1, 16);
	randombytes_buf(v2, 16);
	memcpy(u2, u1, 16);
	if (strcmp(argv[3], "same-vid") == 0) {
		randombytes_buf(u2, 16);
		memcpy(v2, v1, 16);
	}
	/* both staged before either stores: neither sees the other's rows */
	stage(a, "P-0001", dev1, u1, v1);
	stage(b, "P-0002", dev2, u2, v2);
	finish(a, "first", dev1);
	finish(b, "second", dev2);
	store_close(b);
	atk_done(a, argv[3]);
}
