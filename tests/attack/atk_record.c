/* tests/attack/atk_record.c: records deleted or rolled back behind the
 * app's back (issue 13.3). No PIN is needed: these are rows.
 *   atk_record DIR delete               delete one person's heads and versions
 *                                       (the person with the most versions)
 *   atk_record DIR rollback             point the head of a record with two or
 *                                       more versions at an older one
 *   atk_record DIR rollback-delete      the same, and delete the newer versions
 *   atk_record DIR delete-newest        delete the person saved last (heads and
 *                                       versions): one not yet sent to the district */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <string.h>

/* The seq of the newest version of the person with the most versions. */
static long long target(struct store *s)
{
	long long seq = atk_int(s, "SELECT h.seq FROM heads h WHERE h.kind = 1 ORDER BY "
			       "(SELECT count(*) FROM versions v WHERE v.uuid = h.uuid) DESC, h.seq LIMIT 1");
	if (!seq)
		atk_die("no person");
	return seq;
}

int main(int argc, char **argv)
{
	struct store *s;
	char sql[1024];
	long long seq;

	if (argc != 3)
		atk_die("usage: atk_record DIR delete|rollback|rollback-delete|delete-newest");
	s = atk_open(argv[1], NULL);
	if (strcmp(argv[2], "delete-newest") == 0) {
		if (!atk_int(s, "SELECT count(*) FROM heads WHERE kind = 1"))
			atk_die("no person");
		atk_sql(s, "CREATE TEMP TABLE t AS SELECT uuid FROM heads WHERE kind = 1 "
			   "ORDER BY seq DESC LIMIT 1;"
			   "DELETE FROM heads WHERE uuid IN (SELECT uuid FROM t);"
			   "DELETE FROM versions WHERE uuid IN (SELECT uuid FROM t);");
		atk_done(s, "the newest person's heads and versions deleted");
	}
	seq = target(s);
	if (strcmp(argv[2], "delete") == 0) {
		snprintf(sql, sizeof sql,
			 "CREATE TEMP TABLE t AS SELECT uuid FROM versions WHERE seq = %lld;"
			 "DELETE FROM heads WHERE uuid IN (SELECT uuid FROM t);"
			 "DELETE FROM versions WHERE uuid IN (SELECT uuid FROM t);", seq);
		atk_sql(s, sql);
		atk_done(s, "a person's heads and versions deleted");
	}
	if (atk_int(s, "SELECT count(*) FROM versions v JOIN heads h ON h.uuid = v.uuid "
		       "WHERE h.seq = (SELECT max(seq) FROM heads WHERE kind = 1) ") < 1)
		atk_die("nothing to roll back");
	/* the older version of the same record, just before the head */
	snprintf(sql, sizeof sql,
		 "CREATE TEMP TABLE t AS SELECT o.seq, o.uuid, o.lamport, o.device, o.deleted FROM versions o "
		 "JOIN versions n ON n.uuid = o.uuid AND n.seq = %lld WHERE o.seq < n.seq "
		 "ORDER BY o.seq DESC LIMIT 1;", seq);
	atk_sql(s, sql);
	if (!atk_int(s, "SELECT count(*) FROM t"))
		atk_die("the person has one version only");
	atk_sql(s, "UPDATE heads SET seq = (SELECT seq FROM t), lamport = (SELECT lamport FROM t), "
		   "device = (SELECT device FROM t), deleted = (SELECT deleted FROM t) "
		   "WHERE uuid = (SELECT uuid FROM t)");
	if (strcmp(argv[2], "rollback-delete") == 0) {
		atk_sql(s, "DELETE FROM versions WHERE uuid = (SELECT uuid FROM t) AND seq > (SELECT seq FROM t)");
		atk_done(s, "record rolled back, its newer versions deleted");
	}
	if (strcmp(argv[2], "rollback") == 0)
		atk_done(s, "record's head pointed at an older version");
	atk_die("unknown attack %s", argv[2]);
}
