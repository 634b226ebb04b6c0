/* tests/attack/atk_oldkey.c: a kader who leaves keeps K_data (issue 13.10,
 * SECURITY.md §2.9). Before she is disabled she unlocks the store with her
 * PIN and copies the key out; after the admin rotates the data key she
 * tries it on the store as it is now.
 *   atk_oldkey save DIR LABEL OUT   her K_data (32 bytes) into OUT
 *   atk_oldkey read DIR KEYFILE     every version, and every audit detail
 *                                   written under a later epoch, tried with
 *                                   that key (through the product's own
 *                                   record_open_row): prints
 *                                   "versions N opened M" and
 *                                   "audit N opened M" */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/codec.h"

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static int save(const char *dir, const char *label, const char *out)
{
	struct store *s = atk_open(dir, label);
	FILE *f = fopen(out, "wb");

	if (!f || fwrite(s->keys->data, 1, KEY_LEN, f) != KEY_LEN || fclose(f) != 0)
		atk_die("cannot write %s", out);
	atk_done(s, "K_data copied");
	return 0;
}

static int read_with(const char *dir, const char *keyfile)
{
	static const char dom[] = "posyandu/v1/audit";
	struct store *s = atk_open(dir, NULL);
	struct err err = { 0 };
	long long nver = 0, vopen = 0, naud = 0, aopen = 0;
	uint8_t ad[sizeof dom - 1 + 8], out[256];
	struct dbq *st;
	FILE *f = fopen(keyfile, "rb");

	if (!(s->keys = keys_new()))
		atk_die("sodium_malloc");
	if (!f || fread(s->keys->data, 1, KEY_LEN, f) != KEY_LEN)
		atk_die("cannot read %s", keyfile);
	fclose(f);
	keys_derive(s->keys);            /* the record key and the chain key of that K_data */

	if (db_prepare(s->db, "SELECT " VCOLS " FROM versions v ORDER BY v.seq", &st, &err) < 0)
		atk_die("%s", err.detail);
	while (dbq_step(st) == SQLITE_ROW) {
		struct rec_meta m;
		size_t len;
		char *plain = record_open_row(s, st, &m, &len, &err);
		nver++;
		if (plain) {
			vopen++;
			codec_free(plain);
		}
	}
	db_done(st);

	/* the audit details of entries after the first rotation */
	if (db_prepare(s->db, "SELECT seq, detail_ct FROM audit WHERE key_epoch > 1 "
		       "ORDER BY seq", &st, &err) < 0)
		atk_die("%s", err.detail);
	while (dbq_step(st) == SQLITE_ROW) {
		const uint8_t *ct = dbq_blob(st, 1);
		size_t n = (size_t)dbq_bytes(st, 1);
		naud++;
		memcpy(ad, dom, sizeof dom - 1);
		be64(ad + sizeof dom - 1, (uint64_t)dbq_int64(st, 0));
		if (n >= 24 + crypto_aead_xchacha20poly1305_ietf_ABYTES && n - 24 < sizeof out &&
		    crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, ct + 24, n - 24, ad,
							       sizeof ad, ct, s->keys->rec) == 0)
			aopen++;
	}
	db_done(st);
	printf("versions %lld opened %lld\naudit %lld opened %lld\n", nver, vopen, naud, aopen);
	keys_free(s->keys);
	s->keys = NULL;
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "save") == 0)
		return save(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "read") == 0)
		return read_with(argv[2], argv[3]);
	atk_die("usage: ATK_PIN=... atk_oldkey save DIR LABEL OUT | atk_oldkey read DIR KEYFILE");
}
