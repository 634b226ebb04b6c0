#!/bin/sh
# One visit per person per day (issue 12): moving an older visit's date onto
# a day that already has a visit is refused, with what to do instead.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
pc() { "$P" --config "$CONF" --data "$D" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
TODAY=$(tdate "" +%d-%m-%Y)
LAST=$(tmonth -1 15 +%d-%m-%Y)

test_expect_success 'setup: a child weighed last month and today' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani \
		--pin-file "$TRASH/pin.admin" >/dev/null &&
	printf "ref,kind,name,sex,dob\nA1,child,Budi Santoso,L,%s\n" "$(tdate "-10 months" +%d-%m-%Y)" >p.csv &&
	printf "ref,date,weight_kg\nA1,%s,8.6\nA1,%s,8.9\n" "$LAST" "$TODAY" >v.csv &&
	pc load people p.csv >/dev/null && pc load visits v.csv >/dev/null
'

test_expect_success 'last month'"'"'s visit moved onto today is refused; nothing is saved' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Enter && wait_for "PIN untuk ani" &&
	type_text 482915 && send Enter && wait_for "Meja" && send Enter && wait_for "Cari:" &&
	type_text "budi" && wait_for "1 ditemukan" && send Enter && wait_for "Budi Santoso  (anak, L)" &&
	send Down && send Enter && wait_for "Kunjungan: Budi Santoso" &&
	wait_for "$LAST" && send BTab && send C-u && type_text "$TODAY" && send F2 &&
	wait_for "Sudah ada kunjungan hari itu; buka dari kartu untuk mengubahnya" &&
	send Escape && sleep 0.5 && tui_stop &&
	pc visit list --month "$(tdate "" +%Y-%m)" >today.csv && test $(grep -c "Budi Santoso" today.csv) = 1 &&
	pc person show A1 --format json >a1.json &&
	python3 -c "import json; v=json.load(open(\"a1.json\"))[\"visits\"]; assert [x[\"date\"] for x in v] == [\"$TODAY\", \"$LAST\"], v"
'

test_done
