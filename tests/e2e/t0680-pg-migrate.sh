#!/bin/sh
# posyandu-server migrate (issue 16): a district's SQLite store with a year
# of two posyandu's records moved to PostgreSQL. The command checks every
# table's rows and every month's report itself; here the same is checked
# from outside (report monthly and device list, byte for byte, on both
# stores), the moved store goes on importing, and the refusals hold: a
# second move into a database that holds a store, a wrong passphrase (before
# anything is copied), a source that is not a store. Runs in PG mode only
# (tests/run.sh e2e-pg): it needs the test cluster.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
if ! pg_mode; then
	say "# skipped: PostgreSQL mode only (tests/run.sh e2e-pg)"
	test_done
	exit
fi
REAL=${POSYANDU_SERVER_REAL:?}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf 'a wrong passphrase, long enough\n' >"$TRASH/wrong"
printf '482915\n' >"$TRASH/pin"
printf 'y\n' >"$TRASH/yes"
DQ=$TRASH/district-sqlite       # the SQLite store (the real binary, no --store)
DP=$TRASH/district-pg           # its process folder once on PostgreSQL
STICK=$TRASH/stick
mkdir -p "$STICK"
PGC="$SRCDIR/tests/pg/cluster.sh"
DB=$(sh "$PGC" dbname "$DP")
sh "$PGC" createdb "$POSYANDU_PG_DIR" "$DB" >/dev/null 2>&1
PGURL=$(sh "$PGC" url "$POSYANDU_PG_DIR" "$DB")
sq() { "$REAL" --config "$CONF" --data "$DQ" --pin-file "$TRASH/pass" "$@"; }
pg() { "$REAL" --config "$CONF" --data "$DP" --store "$PGURL" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
newdev() { "$P" --lang en --config "$CONF" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code "$2" --name "Posyandu $1" --admin ani >/dev/null; }
enrol_and_import() {
	dev "$1" enroll --district-key "$(cat key)" --request-out "$STICK/$1.pyq" <"$TRASH/yes" >/dev/null &&
	sq device add "$STICK/$1.pyq" >/dev/null &&
	id=$(sq device list | sed -n "s/^\([0-9a-f]*\)	$2	pending	.*/\1/p") &&
	sq device approve "$id" >/dev/null &&
	dev "$1" export --to "$STICK" >out &&
	sq import "$(sed -n "s/^Bundle written: //p" out)" >out &&
	grep -q ": success: $2 " out
}
tables() { sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -At -c \
	"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'py_schema'"; }

test_expect_success 'setup: a SQLite district, two posyandu with a year of visits imported' '
	sq init --code KAB-GARUT >/dev/null && sq pubkey >key &&
	newdev d1 P-0001 && dev d1 demo --children 12 --months 12 --seed 11 >/dev/null &&
	newdev d2 P-0002 && dev d2 demo --children 8 --months 12 --seed 12 >/dev/null &&
	enrol_and_import d1 P-0001 && enrol_and_import d2 P-0002
'

test_expect_success 'a wrong passphrase: refused before anything is copied' '
	test_exit 1 "$REAL" --config "$CONF" --pin-file "$TRASH/wrong" migrate \
		--from "sqlite:$DQ" --to "$PGURL" 2>err &&
	grep -q "wrong passphrase" err && test "$(tables)" = 0
'

test_expect_success 'a folder without a store, a bad URL: refused' '
	mkdir -p empty &&
	test_exit 1 "$REAL" --config "$CONF" --pin-file "$TRASH/pass" migrate \
		--from "sqlite:$TRASH/empty" --to "$PGURL" 2>err && grep -q "holds no store" err &&
	test_exit 2 "$REAL" --config "$CONF" --pin-file "$TRASH/pass" migrate \
		--from "sqlite:$DQ" --to "mysql://x/y" 2>err &&
	test "$(tables)" = 0
'

test_expect_success 'migrate: every table counted, every month'"'"'s report identical' '
	"$REAL" --config "$CONF" --pin-file "$TRASH/pass" migrate --from "sqlite:$DQ" \
		--to "$PGURL" >out 2>err &&
	cat out err &&
	grep -q "^  versions  *[1-9][0-9]* rows" out &&
	grep -Eq "monthly report of 1[0-9] months identical" out
'

test_expect_success 'from outside: the reports, the devices and the counts are the same' '
	for n in 1 2 3 6 11; do
		m=$(tmonth -$n 1 +%Y-%m) &&
		sq report monthly --month "$m" --format csv >a.csv &&
		pg report monthly --month "$m" --format csv >b.csv &&
		cmp a.csv b.csv || return 1
	done &&
	sq device list >a.txt && pg device list >b.txt && cmp a.txt b.txt &&
	a=$(sqlite3 "$DQ/posyandu.db" "SELECT count(*) FROM versions") &&
	b=$(sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -At -c "SELECT count(*) FROM versions") &&
	test "$a" = "$b" && test "$a" -gt 100
'

test_expect_success 'nothing personal in clear in PostgreSQL: no name of the demo' '
	dev d1 person list --format csv | sed -n "2,6p" | cut -d, -f3 >names &&
	test $(wc -l <names) = 5 && ! grep -q "[,0-9]" names &&
	"$(sh "$PGC" bindir)/pg_dump" --no-owner "$PGURL" >dump &&
	while read -r n; do ! grep -qF "$n" dump || return 1; done <names &&
	# the same search finds what is in clear (the posyandu name of an
	# enrolment): the check can fail
	grep -qF "Posyandu d1" dump
'

test_expect_success 'the moved store goes on: a new bundle imports there' '
	dev d1 demo --children 1 --months 1 --seed 13 >/dev/null &&
	dev d1 export --to "$STICK" >out &&
	pg import "$(sed -n "s/^Bundle written: //p" out)" >out &&
	cat out && grep -q ": success: P-0001 " out
'

test_expect_success 'verify: the moved store is intact; a version changed in PostgreSQL is caught' '
	pg verify >out && grep -q "^Audit log intact" out && grep -q "^Every version opens" out &&
	sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -c "UPDATE versions SET ct = ct || '"'"'\\x00'"'"'::bytea \
		WHERE seq = (SELECT min(seq) FROM versions WHERE kind = 1)" >/dev/null &&
	test_exit 1 pg verify >out 2>err &&
	grep -q "does not verify at entry" err
'

# Citus (posyandu-server(8), "Distributing it: Citus"): the tables that grow
# with the records hold the posyandu code in every primary, unique and
# foreign key, and the moved records carry their posyandu's code.
test_expect_success 'the moved store can be distributed by posyandu code' '
	sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -At -c "SELECT c.conrelid::regclass || '"'"' '"'"' || \
		c.conname FROM pg_constraint c WHERE c.contype IN ('"'"'p'"'"', '"'"'u'"'"', '"'"'f'"'"') \
		AND c.conrelid::regclass::text IN ('"'"'versions'"'"', '"'"'heads'"'"', '"'"'sync_vhash'"'"', \
		'"'"'sync_merges'"'"', '"'"'report_owners'"'"', '"'"'report_cache'"'"', '"'"'report_changes'"'"') \
		AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid \
		AND a.attnum = ANY(c.conkey) AND a.attname IN ('"'"'posyandu'"'"', '"'"'code'"'"'))" >keys &&
	{ test ! -s keys || { cat keys; false; }; } &&
	sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -At -c "SELECT posyandu, count(*) FROM heads \
		WHERE kind IN (1, 2) GROUP BY posyandu ORDER BY posyandu" >codes &&
	test "$(cut -d"|" -f1 codes | tr "\n" " ")" = "P-0001 P-0002 "
'

# A province's store made by an older version (schema 15) takes step 16 on
# PostgreSQL: each record's code from its first enrolled device's version,
# and the versions' keys with the code (tests/unit/test_migrate.c).
test_expect_success 'schema 15 on PostgreSQL upgrades: codes given, keys made' '
	UP=$(sh "$PGC" dbname "$TRASH/up15") &&
	sh "$PGC" createdb "$POSYANDU_PG_DIR" "$UP" >/dev/null 2>&1 &&
	POSYANDU_TEST_PG_URL=$(sh "$PGC" url "$POSYANDU_PG_DIR" "$UP") \
		"$SRCDIR/${BUILD:-build}/tests/test_migrate" >out 2>&1 ||
		{ cat out; false; }
'

test_expect_success 'a second move into that database is refused; it is unchanged' '
	before=$(sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -At -c "SELECT count(*) FROM versions") &&
	test_exit 1 "$REAL" --config "$CONF" --pin-file "$TRASH/pass" migrate \
		--from "sqlite:$DQ" --to "$PGURL" 2>err &&
	grep -q "already holds a store" err &&
	test "$(sh "$PGC" psql "$POSYANDU_PG_DIR" "$DB" -At -c "SELECT count(*) FROM versions")" = "$before"
'

test_done
