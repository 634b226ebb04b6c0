/* tests/attack/atk_forge.c: a record forged by a kader with her own PIN,
 * made to look like another device's version (issue 13.3, review).
 *   atk_forge DIR LABEL forge       a new version of the first person (its
 *                                   name starting "ZZ") with a random device
 *                                   id and the highest lamport, the head
 *                                   pointed at it, then one ordinary entry
 *                                   of hers (a login) written by the
 *                                   product's code
 *   atk_forge DIR LABEL forge-count the same, but her own code writes the
 *                                   login entry counting (and binding) the
 *                                   forged version as if the login added it
 * The PIN is $ATK_PIN. */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/codec.h"

/* The first person's head version, opened: its metadata in M and its
 * plaintext with the first two letters of the name made "ZZ". */
static char *first_person(struct store *s, struct rec_meta *m, size_t *len)
{
	struct err err = { 0 };
	struct dbq *st;
	char *plain, *buf, *p;

	if (db_prepare(s->db, "SELECT " VCOLS " FROM versions v JOIN heads h ON "
		       "h.seq = v.seq WHERE h.kind = 1 ORDER BY v.seq LIMIT 1", &st, &err) < 0 ||
	    dbq_step(st) != SQLITE_ROW)
		atk_die("no person");
	plain = record_open_row(s, st, m, len, &err);
	db_done(st);
	if (!plain)
		atk_die("open: %s", err.detail);
	if (!(buf = malloc(*len + 1)))
		atk_die("out of memory");
	memcpy(buf, plain, *len);
	buf[*len] = '\0';
	codec_free(plain);
	if (!(p = strstr(buf, "\"name\":\"")))
		atk_die("no name in %s", buf);
	p += 8;
	p[0] = 'Z';
	p[1] = 'Z';
	return buf;
}

int main(int argc, char **argv)
{
	struct err err = { 0 };
	struct store *s;
	struct rec_meta m;
	size_t len;
	char *buf;

	if (argc != 4)
		atk_die("usage: atk_forge DIR LABEL forge|forge-count");
	s = atk_open(argv[1], argv[2]);
	buf = first_person(s, &m, &len);
	if (strcmp(argv[3], "forge") != 0 && strcmp(argv[3], "forge-count") != 0)
		atk_die("unknown attack %s", argv[3]);
	m.prev_lamport = m.lamport;
	memcpy(m.prev_device, m.device, 16);
	m.lamport = (uint64_t)atk_int(s, "SELECT max(lamport) FROM versions") + 1;
	randombytes_buf(m.device, 16);      /* "another device of the posyandu" */
	randombytes_buf(m.vid, 16);
	if (record_insert(s, &m, "", buf, len, false, &err) < 0)
		atk_die("insert: %s", err.detail);
	free(buf);
	atk_sql(s, "CREATE TEMP TABLE t AS SELECT uuid, lamport, device, seq, deleted FROM versions "
		   "WHERE seq = (SELECT max(seq) FROM versions)");
	atk_sql(s, "UPDATE heads SET lamport = (SELECT lamport FROM t), device = (SELECT device "
		   "FROM t), seq = (SELECT seq FROM t), deleted = (SELECT deleted FROM t) "
		   "WHERE uuid = (SELECT uuid FROM t)");
	/* one signed entry of her own after it */
	if (db_begin(s->db, &err) < 0 ||
	    (strcmp(argv[3], "forge") == 0
	     ? audit_append(s, AUDIT_LOGIN, s->user.uuid, NULL, &err)
	     : audit_append_n(s, AUDIT_LOGIN, s->user.uuid, NULL, 1, &err)) < 0 ||
	    db_commit(s->db, &err) < 0)
		atk_die("audit: %s", err.detail);
	atk_done(s, "a version forged as another device's, then an entry of her own");
}
