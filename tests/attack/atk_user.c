/* tests/attack/atk_user.c: a kader writes herself a new user slot (issue
 * 13.4). She has K_data (her PIN), the source code and the file, so she can
 * make any slot a kader has; the new user's PIN is $ATK_NEWPIN.
 *   atk_user DIR LABEL NEW v1        a v1 slot: K_data only (the old format)
 *   atk_user DIR LABEL NEW plain     a v2 slot pinning the real device key, no certificate
 *   atk_user DIR LABEL NEW selfcert  the same with a certificate signed by a key she made
 *   atk_user DIR LABEL NEW newkey    her key replaces meta device.sign_pk too, and the
 *                                    slot pins it: the new user's own checks all hold
 * Plain SQL on the file, no PIN needed:
 *   atk_user DIR role LABEL ROLE          UPDATE users SET role = ROLE (1 kader .. 3 admin)
 *   atk_user DIR slot-save LABEL FILE     her slot columns (as an UPDATE statement) to FILE
 *   atk_user DIR slot-restore LABEL FILE  that row written back (e.g. after a disable) */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The certificate digest, as in storage/cert.c. */
static void cert_digest(const uint8_t store_id[16], const uint8_t user[16], int role, int64_t gen,
			const uint8_t audit_pk[32], const uint8_t box_pk[32], uint8_t out[64])
{
	static const char dom[] = "posyandu/v2/user-cert";
	crypto_generichash_state h;
	uint8_t b[8], r = (uint8_t)role;

	crypto_generichash_init(&h, NULL, 0, 64);
	crypto_generichash_update(&h, (const uint8_t *)dom, sizeof dom - 1);
	crypto_generichash_update(&h, store_id, 16);
	crypto_generichash_update(&h, user, 16);
	crypto_generichash_update(&h, &r, 1);
	be64(b, (uint64_t)gen);
	crypto_generichash_update(&h, b, 8);
	crypto_generichash_update(&h, audit_pk, 32);
	crypto_generichash_update(&h, box_pk, 32);
	crypto_generichash_final(&h, out, 64);
}

static void bind_run(struct store *s, const char *sql, const void *b1, int n1, const void *b2,
		     int n2, const void *b3, int n3)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db_lite(s->db), sql, -1, &st, NULL) != SQLITE_OK)
		atk_die("%s: %s", sql, sqlite3_errmsg(db_lite(s->db)));
	if (b1)
		sqlite3_bind_blob(st, 1, b1, n1, SQLITE_TRANSIENT);
	if (b2)
		sqlite3_bind_blob(st, 2, b2, n2, SQLITE_TRANSIENT);
	if (b3)
		sqlite3_bind_blob(st, 3, b3, n3, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		atk_die("%s: %s", sql, sqlite3_errmsg(db_lite(s->db)));
	sqlite3_finalize(st);
}

/* The plain-SQL subcommands: 1 when ARGV was one of them (it exits), 0 when not. */
static int sql_cmd(int argc, char **argv)
{
	const char *cmd = argv[2], *label = argv[3];
	char sql[4096];
	struct store *s;

	if (argc != 5 || (strcmp(cmd, "role") && strcmp(cmd, "slot-save") &&
			  strcmp(cmd, "slot-restore")))
		return 0;
	if (strchr(label, '\''))
		atk_die("bad label");
	s = atk_open(argv[1], NULL);
	if (strcmp(cmd, "role") == 0) {
		snprintf(sql, sizeof sql, "UPDATE users SET role = %d WHERE label = '%s'",
			 atoi(argv[4]), label);
		atk_sql(s, sql);
		if (sqlite3_changes(db_lite(s->db)) != 1)
			atk_die("no user %s", label);
		atk_done(s, "users.role edited");
	}
	if (strcmp(cmd, "slot-save") == 0) {
		sqlite3_stmt *st;
		FILE *f;

		snprintf(sql, sizeof sql, "SELECT 'UPDATE users SET alg = ' || alg || ', opslimit = ' || "
			 "opslimit || ', memlimit = ' || memlimit || ', salt = ' || quote(salt) || "
			 "', nonce = ' || quote(nonce) || ', wrapped = ' || quote(wrapped) || "
			 "' WHERE uuid = ' || quote(uuid) FROM users WHERE label = '%s' AND "
			 "wrapped IS NOT NULL", label);
		if (sqlite3_prepare_v2(db_lite(s->db), sql, -1, &st, NULL) != SQLITE_OK)
			atk_die("%s", sqlite3_errmsg(db_lite(s->db)));
		if (sqlite3_step(st) != SQLITE_ROW)
			atk_die("no active user %s", label);
		if (!(f = fopen(argv[4], "w")) || fprintf(f, "%s\n", sqlite3_column_text(st, 0)) < 0 ||
		    fclose(f) != 0)
			atk_die("cannot write %s", argv[4]);
		sqlite3_finalize(st);
		atk_done(s, "slot row saved");
	}
	{
		FILE *f = fopen(argv[4], "r");
		size_t n;

		if (!f || (n = fread(sql, 1, sizeof sql - 1, f)) == 0)
			atk_die("cannot read %s", argv[4]);
		fclose(f);
		sql[n] = '\0';
		atk_sql(s, sql);
		if (sqlite3_changes(db_lite(s->db)) != 1)
			atk_die("no row written back");
		atk_done(s, "slot row written back");
	}
	return 1;
}

int main(int argc, char **argv)
{
	uint8_t uuid[16], seed[32], dev_pk[32], dev_sk[64], audit_pk[32], audit_sk[64];
	uint8_t box_pk[32], digest[64], sig[64];
	const char *variant, *newpin = getenv("ATK_NEWPIN");
	struct err err = { 0 };
	struct store *s;
	struct slot sl;
	bool v1, own_key;
	char sql[512];

	if (argc >= 3 && sql_cmd(argc, argv))
		return 0;
	if (argc != 5 || !newpin || strchr(argv[3], '\''))
		atk_die("usage: ATK_PIN=... ATK_NEWPIN=... atk_user DIR LABEL NEW v1|plain|selfcert|newkey");
	variant = argv[4];
	v1 = strcmp(variant, "v1") == 0;
	own_key = strcmp(variant, "newkey") == 0;
	if (!v1 && !own_key && strcmp(variant, "plain") && strcmp(variant, "selfcert"))
		atk_die("unknown variant %s", variant);
	s = atk_open(argv[1], argv[2]);
	randombytes_buf(uuid, sizeof uuid);
	randombytes_buf(seed, sizeof seed);
	crypto_sign_keypair(dev_pk, dev_sk);              /* her own "device key" */
	if (own_key)
		bind_run(s, "UPDATE meta SET value = ? WHERE key = 'device.sign_pk'", dev_pk, 32,
			 NULL, 0, NULL, 0);
	if (vault_wrap(s->keys, ROLE_KADER, s->store_id, uuid, v1 ? NULL : seed,
		       own_key ? dev_pk : s->keys->pinned, newpin, strlen(newpin), &s->user.kdf,
		       &sl, &err) < 0)
		atk_die("wrap: %s", err.detail);
	snprintf(sql, sizeof sql, "INSERT INTO users(uuid, label, role, alg, opslimit, memlimit, "
		 "salt, nonce, wrapped) VALUES(?, '%s', 1, 1, %llu, %llu, ?, ?, x'00')", argv[3],
		 (unsigned long long)sl.opslimit, (unsigned long long)sl.memlimit);
	/* the wrapped blob goes in with a second statement (three binds at most) */
	bind_run(s, sql, uuid, 16, sl.salt, (int)sizeof sl.salt, sl.nonce, (int)sizeof sl.nonce);
	bind_run(s, "UPDATE users SET wrapped = ? WHERE uuid = ?", sl.ct, (int)sl.ct_len, uuid, 16,
		 NULL, 0);
	if (v1)
		atk_done(s, "v1 kader slot written with K_data");
	/* her box key and audit state, made as the product makes them */
	user_box_keys(seed, box_pk, NULL);
	crypto_sign_keypair(audit_pk, audit_sk);
	bind_run(s, "UPDATE users SET gen = 1, box_pk = ? WHERE uuid = ?", box_pk, 32, uuid, 16,
		 NULL, 0);
	if (astate_seal(s, uuid, 1, seed, 0, audit_sk, &err) < 0)
		atk_die("state: %s", err.detail);
	if (strcmp(variant, "plain") == 0)
		atk_done(s, "v2 kader slot without a certificate");
	cert_digest(s->store_id, uuid, ROLE_KADER, 1, audit_pk, box_pk, digest);
	crypto_sign_detached(sig, NULL, digest, 64, dev_sk);
	bind_run(s, "INSERT INTO user_certs(uuid, gen, role, audit_pk, box_pk, sig) "
		 "VALUES(?, 1, 1, ?, ?, zeroblob(64))", uuid, 16, audit_pk, 32, box_pk, 32);
	bind_run(s, "UPDATE user_certs SET sig = ? WHERE uuid = ?", sig, 64, uuid, 16, NULL, 0);
	atk_done(s, own_key ? "device key replaced; kader slot pinning it with a certificate it signed"
			    : "kader slot with a certificate signed by her own key");
}
