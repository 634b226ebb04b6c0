#!/bin/sh
# Issue 16's kill test: three posyandu-server serve processes on one
# PostgreSQL database take uploads at once; one of them is killed (SIGKILL)
# in the middle of its imports. The other two keep answering, and the
# uploads the killed one dropped succeed when sent to them. Restarted, it
# serves again; every bundle sent once more is a duplicate with the same
# receipt; the store is consistent (`posyandu-server verify` when the
# server has it) and its counts are exact: every version of every device
# once, none twice. The same bundles imported from a stick into the SQLite
# district give the same monthly report.
#
# PG mode only (tests/run.sh e2e-pg, make check-pg): elsewhere it says so.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
if ! pg_mode; then
	say "# skipped: PostgreSQL only (tests/run.sh e2e-pg, make check-pg)"
	test_done
	exit
fi
. "$SRCDIR/tests/pg/fleet.sh"
NDEV=${PG_KILL_DEVICES:-40}
PGURL=$(sh "$PGC" url "$POSYANDU_PG_DIR" "$(sh "$PGC" dbname "$TRASH/pgstore")")
pgs() { "$SVR" --config "$CONF" --store "$PGURL" --data "$TRASH/pgm" --pin-file "$TRASH/pass" "$@"; }
bundles_answered() { grep -c "^bundle 200 " "$TRASH/$1.log" 2>/dev/null; }

test_expect_success "a district of $NDEV devices on SQLite, copied to PostgreSQL; three servers" '
	fleet_district && fleet_devices "$NDEV" 2 &&
	cp -a "$DS" "$TRASH/district.0" &&
	sh "$PGC" createdb "$POSYANDU_PG_DIR" "$(sh "$PGC" dbname "$TRASH/pgstore")" &&
	fleet_migrate "$TRASH/district.0" "$PGURL" &&
	start_sv pg1 --store "$PGURL" --data "$TRASH/pg1" &&
	start_sv pg2 --store "$PGURL" --data "$TRASH/pg2" &&
	start_sv pg3 --store "$PGURL" --data "$TRASH/pg3"
'

test_expect_success 'pg2 killed (SIGKILL) in the middle of its imports; pg1 and pg3 keep serving' '
	upload_list uploads 3 2 &&
	upload_run uploads first "$URL_pg1" "$URL_pg2" "$URL_pg3" & CURL=$!
	tries=600
	while [ "$(bundles_answered pg2)" -lt 3 ]; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { echo "pg2 answered no upload in 30 s"; wait $CURL; return 1; }
		sleep 0.05
	done
	kill -0 $CURL 2>/dev/null || { echo "the uploads were over before the kill: make more"; return 1; }
	kill -9 "$PID_pg2"; wait "$PID_pg2" 2>/dev/null
	note "pg2 killed after $(bundles_answered pg2) imports"
	served=yes
	curl -sS --max-time 10 "$URL_pg1/v1/key" >k1 && cmp "$TRASH/key" k1 || served=no
	curl -sS --max-time 10 "$URL_pg3/v1/key" >k3 && cmp "$TRASH/key" k3 || served=no
	wait $CURL
	test $served = yes || { echo "pg1 or pg3 stopped answering after the kill"; return 1; }
	test "$(wc -l <first.codes)" = "$(wc -l <uploads)" || { echo "curl reported $(wc -l <first.codes) uploads"; return 1; }
	grep -v "^200 " first.codes >dropped
	note "uploads the kill dropped: $(wc -l <dropped) of $(wc -l <uploads)"
	test "$(grep -c "^200 " first.codes)" -ge $(( $(wc -l <uploads) / 2 ))
'

# A client whose upload was cut, or answered 503 (try again), sends it
# again, here to the two servers left, up to three rounds.
test_expect_success 'the dropped uploads sent again to pg1 and pg3 succeed' '
	cp dropped left && round=1 &&
	while [ -s left ] && [ $round -le 3 ]; do
		sed "s|^[0-9]* .*/||" left | while read -r line; do sed -n "${line}p" uploads; done >retry$round.list &&
		test "$(wc -l <retry$round.list)" = "$(wc -l <left)" &&
		upload_run retry$round.list retry$round "$URL_pg1" "$URL_pg3" &&
		note "round $round: $(wc -l <left) sent again: $(cut -d" " -f1 retry$round.codes | sort | uniq -c | tr -s " \n" " ")" &&
		grep -v "^200 " retry$round.codes | sed "s|^[0-9]* .*/||" |
			while read -r line; do sed -n "${line}p" left; done >left.next &&
		mv left.next left && round=$((round + 1)) || return 1
	done &&
	test ! -s left
'

test_expect_success 'pg2 restarted: every bundle again is a duplicate with the same receipt' '
	start_sv pg2 --store "$PGURL" --data "$TRASH/pg2" &&
	upload_run uploads again "$URL_pg1" "$URL_pg2" "$URL_pg3" && uploads_ok again uploads &&
	receipts_same again uploads &&
	grep "^200 " first.codes | sed "s|^200 .*/||" | while read -r line; do
		cmp -s "first/$line" "again/$line" || { echo "receipt $line changed after the restart"; exit 1; }
	done &&
	# the server logs a request once its answer has gone: give it a moment
	n=50 && while [ $n -gt 0 ] && ! grep -q "^bundle 200 duplicate" "$TRASH/pg2.log"; do
		sleep 0.1; n=$((n - 1)); done &&
	grep -q "^bundle 200 duplicate" "$TRASH/pg2.log" &&
	test "$(grep -c "^bundle 200 success" "$TRASH/pg2.log")" = 0
'

test_expect_success 'the store after the kill: it verifies, the counts are exact' '
	pgs verify >verify.out && grep -q "^Audit log intact" verify.out &&
	device_counts >want && store_counts "$PGURL" >got.pg && cmp want got.pg &&
	test "$(store_dups "$PGURL" want)" = "0 0" &&
	note "versions: $(awk "{ s += \$2 } END { print s }" want) from $(wc -l <want) devices, all there once"
'

test_expect_success 'the same bundles imported from a stick on SQLite: the same monthly report' '
	svs import out/*/*/*.pyb >imported &&
	test "$(grep -c ": success: " imported)" = $((NDEV * 2)) &&
	store_counts "sqlite:$DS" >got.sq && cmp want got.sq &&
	m=$(tdate "" +%Y-%m) &&
	svs report monthly --month "$m" --format csv >r.sq &&
	pgs report monthly --month "$m" --format csv >r.pg &&
	test $(wc -l <r.sq) -gt 1 && cmp r.sq r.pg
'

note_show
test_done
