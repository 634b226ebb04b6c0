#!/bin/sh
# Posyandu ILP in `load` (issue 14): residents in the people file (sex and
# date of birth required, a bad file saves nothing), the screening and KIA
# columns of the visits file round-tripping through `person show`, a
# column for another group refused, an empty cell "not asked", and the
# rules of core/visit_check.c (refused, or kept only with confirmed=y).
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
pc() { "$P" --config "$CONF" --data "$D" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
TODAY=$(tdate "" +%d-%m-%Y)
# a visit last month, so that today's can be another
LAST=$(tmonth -1 15 +%d-%m-%Y)
HPHT=$(tdate "-20 weeks" +%d-%m-%Y)
# show REF KEY...: the newest visit's KEYs of REF, as JSON, one a line
show() {
	ref=$1 && shift &&
	pc person show "$ref" --format json >"$ref.json" &&
	python3 - "$ref.json" "$@" <<-'EOF'
	import json, sys
	v = json.load(open(sys.argv[1]))["visits"][0]
	for k in sys.argv[2:]:
	    print(json.dumps(v[k]))
	EOF
}

test_expect_success 'a store' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani \
		--pin-file "$TRASH/pin.admin" >/dev/null
'

test_expect_success 'a resident without sex or date of birth: the file is refused, nothing saved' '
	cat >bad.csv <<-EOF &&
	ref,kind,name,sex,dob
	W1,woman,Wati Lestari,,$(tdate "-30 years" +%d-%m-%Y)
	R1,resident,Rudi Hartono,,$(tdate "-45 years" +%d-%m-%Y)
	R2,resident,Sri Rahayu,P,
	R3,resident,Budi Kecil,L,$(tdate "-4 years" +%d-%m-%Y)
	R4,lansia,Mbah Karto,L,$(tdate "-70 years" +%d-%m-%Y)
	EOF
	test_exit 1 pc load people bad.csv 2>err &&
	grep -Fx "bad.csv:3: sex: Warga wajib diisi jenis kelaminnya: L atau P" err &&
	grep -Fx "bad.csv:4: dob: Warga wajib diisi tanggal lahirnya (HH-BB-TTTT): kelompoknya menurut umur" err &&
	grep -Fx "bad.csv:5: dob: Umurnya di bawah lima tahun: muat dengan jenis child" err &&
	grep -Fx "bad.csv:6: kind: Jenis harus child, pregnant, woman atau resident" err &&
	grep -F "4 kesalahan; tidak ada yang dimuat" err &&
	pc person list --format csv >list.csv && test $(wc -l <list.csv) = 1
'

test_expect_success 'residents of every group load, beside a pregnant woman and a toddler' '
	cat >people.csv <<-EOF &&
	ref,kind,name,sex,dob
	S1,resident,Dimas Pratama,L,$(tdate "-7 years -2 months" +%d-%m-%Y)
	A1,resident,Putri Maharani,P,$(tdate "-14 years -1 month" +%d-%m-%Y)
	A2,resident,Bagus Setiawan,l,$(tdate "-15 years" +%d-%m-%Y)
	D1,resident,Hendra Wijaya,L,$(tdate "-45 years" +%d-%m-%Y)
	E1,resident,Aminah Siregar,P,$(tdate "-68 years" +%d-%m-%Y)
	H1,pregnant,Dewi Kusuma,,$(tdate "-26 years" +%d-%m-%Y)
	T1,child,Zaki Ramadhan,L,$(tdate "-20 months" +%d-%m-%Y)
	EOF
	pc load people people.csv >out &&
	grep -F "7 ditambahkan" out &&
	pc person show A2 --format json >a2.json &&
	python3 -c "import json; p = json.load(open(\"a2.json\"))[\"person\"]; assert p[\"kind\"] == \"resident\" and p[\"sex\"] == \"L\" and p[\"group\"] == \"adolescent\", p" &&
	pc person show E1 --format json >e1.json &&
	python3 -c "import json; p = json.load(open(\"e1.json\"))[\"person\"]; assert p[\"group\"] == \"elderly\", p"
'

test_expect_success 'a column for another group is refused, naming who the person is' '
	cat >wrong.csv <<-EOF &&
	ref,date,weight_kg,glucose_mgdl,iron_weekly,hpht,adl,cholesterol_mgdl
	S1,$TODAY,24,95,,,,
	A2,$TODAY,50,,y,,,
	D1,$TODAY,70,,,$HPHT,,
	D1,$LAST,70,,,,18,
	T1,$TODAY,10,,,,,180
	EOF
	test_exit 1 pc load visits wrong.csv 2>err &&
	grep -Fx "wrong.csv:2: glucose_mgdl: Kolom ini bukan untuk anak usia sekolah" err &&
	grep -Fx "wrong.csv:3: iron_weekly: TTD mingguan hanya untuk remaja putri" err &&
	grep -Fx "wrong.csv:4: hpht: Kolom ini bukan untuk orang dewasa" err &&
	grep -Fx "wrong.csv:5: adl: Kolom ini bukan untuk orang dewasa" err &&
	grep -Fx "wrong.csv:6: cholesterol_mgdl: Kolom ini bukan untuk anak umur 20 bulan" err &&
	grep -F "5 kesalahan; tidak ada yang dimuat" err &&
	pc person show S1 --format json >s1.json &&
	python3 -c "import json; assert json.load(open(\"s1.json\"))[\"visits\"] == []"
'

test_expect_success 'impossible values are refused with their range; doubtful ones need confirmed=y' '
	cat >doubt.csv <<-EOF &&
	ref,date,bp_sys,bp_dia,glucose_mgdl,hb_gdl,waist_cm,confirmed
	D1,$TODAY,80,90,,,,
	E1,$TODAY,130,80,1200,,,
	A1,$TODAY,,,,125,,
	D1,$LAST,,,,,,y
	E1,$LAST,150,90,560,,,
	A2,$TODAY,,,95.5,,,
	A1,$LAST,,,,"11,95",,
	EOF
	test_exit 1 pc load visits doubt.csv 2>err &&
	grep -Fx "doubt.csv:2: Tekanan darah 80/90: angka atas harus lebih besar" err &&
	grep -Fx "doubt.csv:3: glucose_mgdl: Gula darah: yang mungkin hanya 10-1000 mg/dL; ukur ulang" err &&
	grep -Fx "doubt.csv:4: hb_gdl: Hb: yang mungkin hanya 2-25 g/dL; ukur ulang" err &&
	grep -Fx "doubt.csv:5: Tidak ada yang disimpan: isi pengukuran atau layanan" err &&
	grep -F "doubt.csv:6: Nilai tidak wajar: Gula darah 560 mg/dL; ukur ulang" err &&
	grep -F "confirmed=y" err &&
	grep -Fx "doubt.csv:7: glucose_mgdl: Tulis bilangan bulat, tanpa koma atau titik" err &&
	grep -Fx "doubt.csv:8: hb_gdl: Tulis paling banyak satu angka di belakang koma, mis. 11,9" err
'

test_expect_success 'the pregnancy record: HPHT after the visit refused, weeks far from it doubtful, para below gravida' '
	cat >kia.csv <<-EOF &&
	ref,date,hpht,gest_weeks,gravida,para,td_status
	H1,$LAST,$TODAY,,,,
	H1,$TODAY,$HPHT,26,2,2,T2
	EOF
	test_exit 1 pc load visits kia.csv 2>err &&
	grep -Fx "kia.csv:2: HPHT $TODAY sesudah tanggal kunjungan" err &&
	grep -F "kia.csv:3: Hamil 26 minggu, tetapi 20 minggu menurut HPHT $HPHT; bila benar: confirmed=y" err &&
	grep -F "kia.csv:3: Hamil ke-2 dengan 2 persalinan sebelumnya: para harus lebih kecil" err
'

test_expect_success 'the ILP columns load and come back from person show' '
	cat >visits.csv <<-EOF &&
	ref,date,weight_kg,lenhei_cm,bp_sys,bp_dia,glucose_mgdl,glucose_fasting,waist_cm,hb_gdl,tb_symptoms,smoking,iron_weekly,mental_problem,cholesterol_mgdl,uric_mgdl,puma_packyears,adl,fall_risk,kb_method,hpht,gest_weeks,gravida,para,td_status,kek_food,deworm,pmt
	S1,$TODAY,24,121.5,100,65,,,55,,n,,,,,,,,,,,,,,,,,
	A1,$TODAY,45,152,110,70,90,y,66,"11,4",n,n,y,n,,,,,,,,,,,,,,
	D1,$TODAY,82.5,168,152,96,215,n,98.5,,y,y,,,240,"7,2",20-30,,,,,,,,,,,
	E1,$TODAY,55,150,135,85,110,,84,10.9,n,n,,,190,6,,17,y,,,,,,,,,
	H1,$TODAY,60,,118,76,,,,10.5,n,,,,,,,,,,$HPHT,20,2,1,T2,y,,
	T1,$TODAY,10.4,82,,,,,,,n,,,,,,,,,,,,,,,,,y
	EOF
	pc load visits visits.csv >out &&
	grep -F "6 ditambahkan" out &&
	show D1 bp_sys bp_dia glucose_mgdl glucose_fasting waist_cm tb_symptoms smoking cholesterol_mgdl uric_mgdl puma_packyears >d1 &&
	printf "%s\n" 152 96 215 false 98.5 true true 240 7.2 "\"20-30\"" >want && cmp want d1 &&
	show A1 glucose_fasting hb_gdl iron_weekly mental_problem >a1 &&
	printf "%s\n" true 11.4 true false >want && cmp want a1 &&
	show E1 hb_gdl adl fall_risk >e1 &&
	printf "%s\n" 10.9 17 true >want && cmp want e1 &&
	show H1 hpht gest_weeks gravida para td_status kek_food hb_gdl >h1 &&
	printf "%s\n" "\"$HPHT\"" 20 2 1 "\"T2\"" true 10.5 >want && cmp want h1 &&
	show T1 pmt >t1 && echo true >want && cmp want t1
'

test_expect_success 'an empty cell is not asked: null, and the text leaves it out' '
	show S1 smoking glucose_mgdl hb_gdl iron_weekly tb_symptoms >s1 &&
	printf "%s\n" null null null null false >want && cmp want s1 &&
	show D1 glucose_mgdl iron_weekly diet_salt adl >d1 &&
	printf "%s\n" 215 null null null >want && cmp want d1 &&
	pc person show D1 >d1.txt &&
	grep -Fx "    Gula darah (mg/dL): 215" d1.txt &&
	grep -Fx "    Lingkar perut (cm): 98,5" d1.txt &&
	grep -Fx "    Asam urat (mg/dL): 7,2" d1.txt &&
	! grep -F "Terlalu banyak garam" d1.txt
'

test_expect_success 'the same file again changes nothing; an empty cell keeps what is stored' '
	pc load visits visits.csv >out &&
	grep -F "0 ditambahkan, 0 diperbarui, 6 tidak berubah" out &&
	cat >more.csv <<-EOF &&
	ref,date,smoking,glucose_mgdl,diet_salt
	D1,$TODAY,n,,y
	EOF
	pc load visits more.csv >out &&
	grep -F "0 ditambahkan, 1 diperbarui" out &&
	show D1 smoking glucose_mgdl diet_salt >d1 &&
	printf "%s\n" false 215 true >want && cmp want d1
'

# danger REF DATE: the danger_signs of REF's visit on DATE (DD-MM-YYYY)
danger() {
	pc person show "$1" --format json >"$1.json" &&
	python3 - "$1.json" "$2" <<-'EOF'
	import json, sys
	d, m, y = sys.argv[2].split("-")
	for v in json.load(open(sys.argv[1]))["visits"]:
	    if v["date"] in (sys.argv[2], "%s-%s-%s" % (y, m, d)):
	        print(json.dumps(v["danger_signs"]))
	EOF
}
TWO=$(tmonth -2 12 +%d-%m-%Y)
THREE=$(tmonth -3 12 +%d-%m-%Y)

test_expect_success 'danger signs: a checklist of codes, "none" is an answer, a bad code refused' '
	cat >bad.csv <<-EOF &&
	ref,date,weight_kg,danger_signs
	H1,$TWO,61,bleeding+headache
	D1,$TWO,70,fever
	EOF
	test_exit 1 pc load visits bad.csv 2>err &&
	grep -F "bad.csv:2: danger_signs: " err | grep -F "bleeding (perdarahan)" &&
	grep -F "bad.csv:3: danger_signs: " err &&
	cat >signs.csv <<-EOF &&
	ref,date,weight_kg,danger_signs
	H1,$TWO,61,bleeding+fever
	H1,$THREE,60,none
	EOF
	pc load visits signs.csv >out &&
	test "$(danger H1 "$TWO")" = "\"bleeding+fever\"" &&
	test "$(danger H1 "$THREE")" = "\"none\"" &&
	pc load visits signs.csv >out &&
	grep -F "0 ditambahkan, 0 diperbarui, 2 tidak berubah" out
'

test_done
