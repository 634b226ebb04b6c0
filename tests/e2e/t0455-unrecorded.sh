#!/bin/sh
# Unanswered is not an answer (issue 12): in the monthly report a child seen
# this month whose breastfeeding question was left empty is counted as
# "not recorded", in neither numerator nor denominator (text, CSV, JSON).
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
pc() { "$P" --config "$CONF" --data "$D" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
TODAY=$(tdate "" +%d-%m-%Y)
MONTH=$(tdate "" +%Y-%m)

test_expect_success 'three babies and a toddler seen today; one baby'"'"'s question unanswered' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani \
		--pin-file "$TRASH/pin.admin" >/dev/null &&
	cat >people.csv <<-EOF &&
	ref,kind,name,sex,dob
	B1,child,Bayu,L,$(tdate "-2 months -3 days" +%d-%m-%Y)
	B2,child,Bunga,P,$(tdate "-3 months -3 days" +%d-%m-%Y)
	B3,child,Bima,L,$(tdate "-4 months -3 days" +%d-%m-%Y)
	T1,child,Tono,L,$(tdate "-12 months -3 days" +%d-%m-%Y)
	EOF
	cat >visits.csv <<-EOF &&
	ref,date,weight_kg,asi_recall
	B1,$TODAY,5.1,y
	B2,$TODAY,5.9,n
	B3,$TODAY,6.4,
	T1,$TODAY,9.2,
	EOF
	pc load people people.csv && pc load visits visits.csv
'

test_expect_success 'JSON: 1 of 2 answered yes; 1 not recorded; the toddler not counted as breastfed or not' '
	pc report monthly --month "$MONTH" --format json >r.json &&
	python3 - r.json <<-EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	a = r["exclusive_breastfeeding"]["all"]
	assert a["recall"]["numerator"] == 1 and a["recall"]["denominator"] == 2, a
	assert a["recall_unrecorded"] == 1, a
	b = r["breastfeeding_continued_2y"]
	assert b["numerator"] == 0 and b["denominator"] == 0 and b["percent"] is None, b
	assert r["breastfeeding_continued_2y_unrecorded"] == 1, r
	EOF
'

test_expect_success 'CSV and text say the same' '
	pc report monthly --month "$MONTH" --format csv >r.csv &&
	grep -Fx "$MONTH,exclusive_breastfeeding,recall_yes,all,50.0,1,2" r.csv &&
	grep -Fx "$MONTH,exclusive_breastfeeding,recall_unrecorded,all,1,," r.csv &&
	grep -Fx "$MONTH,breastfeeding_continued,unrecorded_6_23,all,1,," r.csv &&
	pc report monthly --month "$MONTH" >r.txt &&
	grep -q "hanya ASI kemarin, 0-5 bulan: 1 dari 2 (50,0%); tidak tercatat: 1" r.txt &&
	grep -q "Masih menyusu, 6-23 bulan: 0 dari 0 (-); tidak tercatat: 1" r.txt
'

test_expect_success 'person show: an unanswered question is empty (null), not "no"' '
	pc person show B3 --format json >b3.json &&
	python3 -c "import json,sys; v=json.load(open(\"b3.json\"))[\"visits\"][0]; assert v[\"oedema\"] is None and v[\"asi_recall\"] is None, v" &&
	pc person show B2 --format json >b2.json &&
	python3 -c "import json,sys; v=json.load(open(\"b2.json\"))[\"visits\"][0]; assert v[\"asi_recall\"] is False, v"
'

test_done
