#!/bin/sh
# Two imports for two posyandu at once on one PostgreSQL store (issue 16):
# there the posyandu code is in the versions' and heads' keys (for Citus),
# so the database itself no longer stops a record of one posyandu from
# coming in for another, nor one version id from being used twice, when
# both imports staged their versions before either stored them. The
# import's own check, made again under the writers' lock, does: the second
# import is refused, nothing of it is stored, and the store verifies.
# tests/attack/atk_race.c stages both on two connections, as two server
# processes would. PG mode only.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
if ! pg_mode; then
	say "# skipped: PostgreSQL mode only (tests/run.sh e2e-pg)"
	test_done
	exit
fi
ATK=${ATTACK_DIR:?}/atk_race
PGC="$SRCDIR/tests/pg/cluster.sh"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
CONF=$TRASH/district.ini
write_test_config "$CONF"
DS=$TRASH/district
URL=$(sh "$PGC" url "$POSYANDU_PG_DIR" "$(sh "$PGC" dbname "$DS")")
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
race() { ATK_PIN=$(cat "$TRASH/pass") "$ATK" "$DS" "$URL" "$1"; }
versions() { district_sql "$DS" "SELECT count(*) FROM versions"; }

test_expect_success 'setup: a district store on PostgreSQL' '
	sv init >/dev/null && test "$(versions)" = 0
'

test_expect_success 'one new record from two posyandu at once: the second is refused' '
	race same-record >out &&
	grep -q "^first import: stored" out &&
	grep -q "^second import: refused: .*belongs to another posyandu" out &&
	test "$(versions)" = 1 &&
	test "$(district_sql "$DS" "SELECT count(*) FROM heads")" = 1 &&
	test "$(district_sql "$DS" "SELECT posyandu FROM heads")" = P-0001
'

test_expect_success 'one version id from two posyandu at once: the second is refused' '
	race same-vid >out &&
	grep -q "^first import: stored" out &&
	grep -q "^second import: refused: .*version id is used by another version" out &&
	test "$(versions)" = 2 &&
	test "$(district_sql "$DS" "SELECT count(DISTINCT vid) FROM versions")" = 2
'

test_expect_success 'the store verifies' '
	sv verify >out && grep -q "^Every version opens" out
'

test_done
