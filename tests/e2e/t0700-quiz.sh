#!/bin/sh
# Kader assessments end to end (issue 7): the shipped banks import; a bank
# with problems is refused whole, each problem named by file, line, section
# and key; a trainer opens a pre-test; a kader takes it in the terminal, the
# app is killed mid-quiz and, after a restart, the answers are still there;
# the kader submits and cannot read the results; paper sheets; the report
# and the roster checked against numbers worked out by hand.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.sri"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
kader() { pc --user sri --pin-file "$TRASH/pin.sri" "$@"; }
app="$P --config $CONF --data $D"
today=$(tdate "" +%d-%m-%Y)

# A small bank: answers s1 b, s2 a, s3 a+c, s4 b; pass mark 75 %.
cat >"$TRASH/kecil.ini" <<'EOF'
[bank]
id = tes-kecil
version = 1
title = Tes kecil
pass_mark = 75
time_limit = 10
shuffle = no

[s1]
topic = kms
text = KMS adalah grafik apa?
a = Tinggi menurut umur
b = Berat menurut umur
c = Lingkar kepala
answer = b
explain = KMS mencatat berat badan menurut umur.

[s2]
topic = asi
text = ASI eksklusif sampai umur berapa?
a = 6 bulan
b = 4 bulan
answer = a

[s3]
topic = asi
text = Pilih semua yang boleh diberikan kepada bayi ASI eksklusif selain ASI.
a = Vitamin
b = Air putih
c = Obat
d = Madu
answer = a, c

[s4]
topic = imunisasi
text = Kapsul vitamin A biru untuk umur berapa?
a = 12-59 bulan
b = 6-11 bulan
c = Ibu hamil
answer = b
EOF

# Line 2 a bad id, line 6 a pass mark out of range, line 20 an answer that
# is not an option, [s2] a second time on line 22 (iniparser would merge
# the two) and with it "text" a second time on line 23.
cat >"$TRASH/rusak.ini" <<'EOF'
[bank]
id = Tes Rusak
version = 1
title = Rusak
time_limit = 5
pass_mark = 150

[s1]
topic = kms
text = Soal satu
a = ya
b = tidak
answer = b

[s2]
topic = kms
text = Soal dua
a = ya
b = tidak
answer = e

[s2]
text = lagi
EOF

test_expect_success 'setup: a store, a kader, and the shipped banks import cleanly' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >out &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.sri" &&
	admin quiz import "$SRCDIR"/data/quiz/*.ini >out &&
	test $(grep -c "diimpor" out) -ge 3 &&
	admin quiz list >banks &&
	test $(wc -l <banks) -ge 3 &&
	awk -F"\t" "\$3 < 15 { bad = 1 } END { exit bad }" banks
'

test_expect_success 'a bank with problems is refused whole; each problem names file, line, section and key' '
	test_exit 1 admin quiz import "$TRASH/rusak.ini" 2>err &&
	grep -F "rusak.ini:2: [bank] id: Id hanya boleh berisi a-z" err &&
	grep -F "rusak.ini:6: [bank] pass_mark: Batas lulus harus bilangan bulat 0 sampai 100" err &&
	grep -F "rusak.ini:20: [s2] answer: Jawaban tidak termasuk pilihan soal ini" err &&
	grep -F "rusak.ini:22: [s2]: Bagian ini muncul dua kali" err &&
	grep -F "rusak.ini:23: [s2] text: Kunci ini muncul dua kali dalam bagian" err &&
	grep -F "5 masalah; bank soal tidak diimpor" err &&
	admin quiz list >banks &&
	! grep -i rusak banks
'

test_expect_success 'importing the same bank twice changes nothing' '
	admin quiz import "$TRASH/kecil.ini" >out &&
	grep -F "Bank soal tes-kecil versi 1 diimpor: 4 soal, batas lulus 75%" out &&
	admin quiz import "$TRASH/kecil.ini" >out &&
	grep -F "sudah pernah diimpor" out
'

test_expect_success 'a kader may not import banks' '
	test_exit 1 kader quiz import "$TRASH/kecil.ini" 2>err &&
	grep -F "Tidak diizinkan" err
'

test_expect_success 'the trainer opens a pre-test in a training' '
	admin quiz training add --title "Pelatihan Posyandu" --date 10-03-2025 --place "Balai RW 03" \
		--participant sri --participant "Bu Wati" >training &&
	T=$(cat training) &&
	admin quiz start --training "$T" --bank tes-kecil --kind pre >out &&
	grep -F "dibuka untuk peserta \"Pelatihan Posyandu\"" out
'

# Choose the home menu row showing TEXT (rows start on screen line 5),
# whatever other rows the home menu has.
home_item() {
	wait_for "$1" &&
	row=$(grep -nF "$1" "$TRASH/screen" | head -1 | cut -d: -f1) &&
	i=5 &&
	while [ $i -lt $row ]; do send Down; i=$((i + 1)); done &&
	send Enter
}

login_sri() {
	wait_for "Siapa Anda?" &&
	send Down Enter && wait_for "PIN untuk sri" &&
	type_text 739164 && send Enter &&
	wait_for "Beranda" 20 &&
	home_item "Kerjakan kuis" &&
	wait_for "Pilih tes lalu tekan Enter"
}

test_expect_success 'the kader starts the pre-test on the device' '
	tui_start "$app" &&
	login_sri &&
	wait_for "pre-test: Tes kecil  (Pelatihan Posyandu)" &&
	send Enter &&
	wait_for "Mulai pre-test sekarang? 4 soal, 10 menit." &&
	send y &&
	wait_for "Soal 1 dari 4" &&
	wait_for "Sisa waktu" &&
	wait_for "KMS adalah grafik apa?"
'

test_expect_success 'answers by letter and by number, and a mark, are saved as they go' '
	send b && wait_for "(*) b. Berat menurut umur" &&
	send Right && wait_for "Soal 2 dari 4" &&
	send 1 && wait_for "(*) a. 6 bulan" &&
	send m && wait_for "[ditandai]" &&
	wait_for "dijawab 2, ditandai 1"
'

test_expect_success 'the app is killed mid-quiz; after a restart the answers are there' '
	pane=$(tmux -L "$SOCK" list-panes -F "#{pane_pid}") &&
	pid=$(ps -o pid= --ppid "$pane") &&
	test -n "$pid" &&
	kill -9 $pid &&
	tui_start "$app" &&
	login_sri &&
	wait_for "Lanjutkan: pre-test, Tes kecil (2 dari 4 dijawab)" &&
	refute_screen "pre-test: Tes kecil  (Pelatihan Posyandu)" &&
	send Enter &&
	wait_for "Soal 3 dari 4" &&
	send r &&
	wait_for "Tinjau: 2 dari 4 dijawab, 1 ditandai" &&
	wait_for "  1  b" &&
	wait_for "  2  a" &&
	wait_for "? ditandai"
'

test_expect_success 'a several-answer question toggles; review; submit' '
	send Escape && wait_for "Soal 3 dari 4" &&
	wait_for "(Pilih semua jawaban yang benar.)" &&
	send a && wait_for "[x] a. Vitamin" &&
	send b && wait_for "[x] b. Air putih" &&
	send b && wait_for "[ ] b. Air putih" &&
	send c && wait_for "[x] c. Obat" &&
	send Right && wait_for "Soal 4 dari 4" &&
	send 2 && wait_for "(*) b. 6-11 bulan" &&
	send F2 && wait_for "Tinjau: 4 dari 4 dijawab" &&
	send F2 && wait_for "Kirim jawaban? Jawaban lalu terkunci." &&
	send y &&
	wait_for "Terima kasih. Jawaban Anda sudah terkirim dan terkunci." &&
	refute_screen "Nilai" &&
	send Escape && wait_for "Pilih tes lalu tekan Enter" &&
	refute_screen "Tes kecil" &&
	send Escape && wait_for "Beranda" &&
	send q
'

test_expect_success 'the kader cannot read the results, not even their own' '
	test_exit 1 kader quiz report --bank tes-kecil 2>err &&
	grep -F "Tidak diizinkan" err &&
	test_exit 1 kader report kader 2>err
'

test_expect_success 'paper answer sheets: a bad line saves nothing; then one line per participant' '
	T=$(cat training) &&
	printf "Bu Wati\tb a [ac]\n" >sheet &&
	test_exit 1 admin quiz sheet --training "$T" --bank tes-kecil --kind pre sheet 2>err &&
	grep -F "baris 1: Jumlah jawaban tidak sama dengan jumlah soal" err &&
	printf "Bu Tini\tb a [ac] b\n" >sheet &&
	test_exit 1 admin quiz sheet --training "$T" --bank tes-kecil --kind pre sheet 2>err &&
	grep -F "Bu Tini bukan peserta pelatihan ini" err &&
	printf "# name, tab, answers\nBu Wati\tb a [ac] c\n" >sheet &&
	admin quiz sheet --training "$T" --bank tes-kecil --kind pre sheet >out &&
	printf "Bu Wati\t3/4\t75.0%%\tlulus\tP-0001\t#2\n" >expect &&
	cmp expect out
'

# Issue 14: the same sheet (same training, participant, bank version and
# kind) keyed in again replaces the attempt: still one attempt, the new
# score, and "diganti" (replaced) on the line; then the first answers again
# (the later tests work them out by hand).
test_expect_success 'the same paper sheet keyed in again replaces the attempt' '
	T=$(cat training) &&
	printf "#2\tb a a c\n" >sheet &&
	admin quiz sheet --training "$T" --bank tes-kecil --kind pre sheet >out &&
	printf "Bu Wati\t2/4\t50.0%%\ttidak lulus\tP-0001\t#2\tdiganti\n" >expect &&
	cmp expect out &&
	admin quiz report --bank tes-kecil --format csv --table attempts >csv &&
	test "$(grep -c "^Bu Wati," csv)" = 1 &&
	grep -q "^Bu Wati,.*,2,4,50.0,0" csv &&
	printf "Bu Wati\tb a [ac] c\n" >sheet &&
	admin quiz sheet --training "$T" --bank tes-kecil --kind pre sheet >out &&
	grep -q "diganti" out &&
	admin quiz report --bank tes-kecil --format csv --table attempts >csv &&
	test "$(grep -c "^Bu Wati," csv)" = 1
'

# sri: b a ac b = 4 of 4 (100 %); Bu Wati: b a ac c = 3 of 4 = 75 %, which
# is the pass mark: 300 >= 75 * 4 passes.
test_expect_success 'quiz report: the attempts' '
	admin quiz report --bank tes-kecil --format csv --table attempts >csv &&
	cut -d, -f1,3-11 csv >actual &&
	cat >expect <<-EOF &&
	name,training,date,kind,bank,version,right,total,percent,pass
	sri,Pelatihan Posyandu,$today,pre,tes-kecil,1,4,4,100.0,1
	Bu Wati,Pelatihan Posyandu,10-03-2025,pre,tes-kecil,1,3,4,75.0,1
	EOF
	cmp expect actual
'

# N = 2, g = round(0.27 * 2) = 1: upper group sri (4 right), lower Bu Wati
# (3 right). s1-s3: both right, p = 1.00, D = (1 - 1) / 1 = 0. s4: sri b
# (right), Bu Wati c: p = 1/2 = 0.50, D = (1 - 0) / 1 = 1.00; options a 0,
# b 1, c 1. Topics: kms 2 of 2, asi 4 of 4, imunisasi 1 of 2.
test_expect_success 'quiz report: item analysis and topics, worked out by hand' '
	admin quiz report --bank tes-kecil --format csv --table items >actual &&
	cat >expect <<-EOF &&
	question,id,topic,n,right,p,d,upper_right,lower_right,opt_a,opt_b,opt_c,opt_d,opt_e,opt_f,blank,answer,flags
	1,s1,kms,2,2,1.00,0.00,1,1,0,2,0,,,,0,b,
	2,s2,asi,2,2,1.00,0.00,1,1,2,0,,,,,0,a,
	3,s3,asi,2,2,1.00,0.00,1,1,2,0,2,0,,,0,ac,
	4,s4,imunisasi,2,1,0.50,1.00,1,0,0,1,1,,,,0,b,
	EOF
	cmp expect actual &&
	admin quiz report --bank tes-kecil --format csv --table topics >actual &&
	cat >expect <<-EOF &&
	topic,questions,responses,right,mastery
	kms,1,2,2,1.000
	asi,2,4,4,1.000
	imunisasi,1,2,1,0.500
	EOF
	cmp expect actual &&
	admin quiz report --bank tes-kecil >text &&
	grep -F "Bank soal tes-kecil versi 1: Tes kecil" text &&
	grep -F "Batas lulus 75%, 4 soal, 2 jawaban terkirim" text &&
	admin quiz report --bank tes-kecil --format json >json &&
	grep -F "\"submitted\": 2" json
'

test_expect_success 'report kader: role, start, trainings, last score, who is not active' '
	admin report kader --format csv >actual &&
	cat >expect <<-EOF &&
	name,role,start,duty,last_duty,trainings,last_training,bank,kind,percent,pass,last_active,status
	Bu Wati,-,10-03-2025,0,,1,10-03-2025,tes-kecil,pre,75.0,1,10-03-2025,inactive
	ani,admin,$today,0,,0,,,,,,$today,active
	sri,kader,10-03-2025,0,,1,10-03-2025,tes-kecil,pre,100.0,1,$today,active
	EOF
	cmp expect actual &&
	admin report kader >text &&
	grep -F "tidak aktif 3 bulan" text
'

test_expect_success 'report kader --name: one person'"'"'s history over trainings' '
	admin report kader --name sri --format csv >csv &&
	cut -d, -f1-9 csv >actual &&
	cat >expect <<-EOF &&
	date,training,bank,version,kind,right,total,percent,pass
	$today,Pelatihan Posyandu,tes-kecil,1,pre,4,4,100.0,1
	EOF
	cmp expect actual &&
	admin report kader --name "bu wati" --format csv >csv &&
	cut -d, -f1-9 csv >actual &&
	cat >expect <<-EOF &&
	date,training,bank,version,kind,right,total,percent,pass
	10-03-2025,Pelatihan Posyandu,tes-kecil,1,pre,3,4,75.0,1
	EOF
	cmp expect actual
'

test_expect_success 'report: an unknown report is a usage error' '
	test_exit 2 admin report frobnicate 2>err &&
	grep -F "report kader" err &&
	test_exit 2 admin quiz frobnicate 2>err
'

test_done
