/* tests/attack/atk_pin.c: attacks on the wrong-PIN counter (issue 13.9).
 *   atk_pin DIR reset LABEL     UPDATE users SET failed = 0 (no PIN needed) */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct store *s;
	char sql[256];

	if (argc != 4 || strcmp(argv[2], "reset") != 0)
		atk_die("usage: atk_pin DIR reset LABEL");
	s = atk_open(argv[1], NULL);
	if (strchr(argv[3], '\''))
		atk_die("bad label");
	snprintf(sql, sizeof sql,
		 "UPDATE users SET failed = 0, last_failed = 0 WHERE label = '%s'", argv[3]);
	atk_sql(s, sql);
	atk_done(s, "wrong-PIN counter reset by SQL");
}
