#!/bin/sh
# The district server's PostgreSQL connection cut under it (issue 16): the
# database administrator terminates the server's backends (a failover, a
# restart, pg_terminate_backend). The next request finds the connection
# gone; the server connects again outside any transaction, and the device's
# retry is answered. Nothing is lost or counted twice. PG mode only.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
if ! pg_mode; then
	say "# skipped: PostgreSQL mode only (tests/run.sh e2e-pg)"
	test_done
	exit
fi
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
CONF=$TRASH/district.ini
write_test_config "$CONF"
DS=$TRASH/district
PGC="$SRCDIR/tests/pg/cluster.sh"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$TRASH/$d.ini" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
newdev() {
	write_test_config "$TRASH/$1.ini" &&
	printf '[sync]\nserver = %s\n' "$URL" >>"$TRASH/$1.ini" &&
	"$P" --lang en --config "$TRASH/$1.ini" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code P-0001 \
		--name "Posyandu Mawar" --admin ani >/dev/null
}
# Terminate every backend of the district's database but our own.
cut_db() {
	db=$(sh "$PGC" dbname "$DS") &&
	sh "$PGC" psql "$POSYANDU_PG_DIR" postgres -At -c "SELECT count(pg_terminate_backend(pid)) \
		FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()"
}
versions() { district_sql "$DS" "SELECT count(*) FROM versions"; }

test_expect_success 'setup: a district on PostgreSQL serving, a device enrolled and synced' '
	sv init >/dev/null && sv pubkey >key &&
	serve_on "$DS" serve.log &&
	newdev d1 && dev d1 demo --children 4 --months 2 --seed 1 >/dev/null &&
	printf "y\n" | dev d1 enroll --district-key "$(cat key)" >/dev/null &&
	for id in $(sv device list | cut -f1); do sv device approve $id >/dev/null || return 1; done &&
	dev d1 sync >out && grep -q "acknowledged up to change" out
'

test_expect_success 'the connection cut: the next sync is answered, every version once' '
	before=$(versions) &&
	test "$(cut_db)" -ge 1 &&
	dev d1 demo --children 2 --months 1 --seed 2 >/dev/null &&
	dev d1 sync --retries 3 >out 2>err &&
	grep -q "acknowledged up to change" out &&
	after=$(versions) && test "$after" -gt "$before" &&
	dev d1 sync >out && grep -q "Nothing new to send" out &&
	test "$(versions)" = "$after" &&
	curl -sS "$URL/v1/key" >served && cmp key served
'

test_expect_success 'cut again while idle, then the officer'"'"'s report and a sync both work' '
	test "$(cut_db)" -ge 1 &&
	curl -sS -o /dev/null "$URL/v1/key" &&
	dev d1 demo --children 1 --months 1 --seed 3 >/dev/null &&
	dev d1 sync --retries 3 >out 2>err && grep -q "acknowledged up to change" out &&
	sv report monthly --month "$(tmonth -1 1 +%Y-%m)" >rep && grep -q "^district" rep
'

test_done
