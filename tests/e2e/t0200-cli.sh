#!/bin/sh
# The command-line contract (ARCHITECTURE.md): init, users, people, demo,
# audit, exit statuses, config errors, and what is (not) readable on disk.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
printf '527390\n' >"$TRASH/pin.new"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }

test_expect_success '--version and --help' '
	"$P" --version >out && grep -q "^posyandu [0-9]" out &&
	"$P" --help >out && grep -q "init" out && grep -q "growth" out
'

test_expect_success 'usage errors exit 2: unknown command, unknown option, init without flags' '
	test_exit 2 "$P" frobnicate 2>err && grep -q "perintah tidak dikenal" err &&
	test_exit 2 "$P" --frob 2>err &&
	test_exit 2 pc init --code P-1 2>err
'

test_expect_success 'a PIN is never taken from argv' '
	test_exit 2 pc init --code P-0001 --name X --admin ani --pin 482915 2>err
'

test_expect_success 'a command before init says there is no store (exit 1)' '
	test_exit 1 admin person list 2>err &&
	grep -q "Belum ada penyimpanan di sini" err
'

test_expect_success 'init refuses an easy PIN, then creates the store' '
	printf "123456\n" >"$TRASH/pin.easy" &&
	test_exit 1 pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.easy" 2>err &&
	grep -q "tidak mudah ditebak" err &&
	test ! -e "$D/posyandu.db" &&
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >out &&
	grep -q "Argon2id m=32 MiB t=2" out &&
	test -f "$D/posyandu.db"
'

test_expect_success 'init twice is refused and the store is untouched' '
	cksum "$D/posyandu.db" >before &&
	test_exit 1 pc init --code P-0002 --name Lain --admin budi --pin-file "$TRASH/pin.admin" 2>err &&
	grep -q "sudah ada penyimpanan" err &&
	cksum "$D/posyandu.db" >after && cmp before after
'

test_expect_success 'store files are private (0700 directory, 0600 files)' '
	test "$(stat -c %a "$D")" = 700 &&
	for f in "$D"/posyandu.db*; do test "$(stat -c %a "$f")" = 600 || return 1; done
'

test_expect_success 'user add, list; a wrong PIN is refused with exit 1' '
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader" &&
	pc user list >out &&
	grep -q "^ani	admin	active$" out && grep -q "^sri	kader	active$" out &&
	test_exit 1 pc --user sri --pin-file "$TRASH/pin.admin" person list 2>err &&
	grep -q "PIN salah" err
'

test_expect_success 'a kader cannot add users or read the audit log' '
	test_exit 1 pc --user sri --pin-file "$TRASH/pin.kader" user add x --role kader --new-pin-file "$TRASH/pin.new" 2>err &&
	grep -q "Tidak diizinkan untuk peran Anda" err &&
	test_exit 1 pc --user sri --pin-file "$TRASH/pin.kader" audit 2>err
'

test_expect_success 'demo is deterministic by --seed' '
	admin demo --children 12 --months 6 --seed 42 >out &&
	grep -q "Data contoh ditambahkan" out &&
	D2=$TRASH/data2 &&
	"$P" --config "$CONF" --data "$D2" init --code P-0001 --name M --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	"$P" --config "$CONF" --data "$D2" --pin-file "$TRASH/pin.admin" demo --children 12 --months 6 --seed 42 >/dev/null &&
	admin person list --format csv | cut -d, -f2- | sort >a &&
	"$P" --config "$CONF" --data "$D2" --pin-file "$TRASH/pin.admin" person list --format csv | cut -d, -f2- | sort >b &&
	cmp a b && test $(wc -l <a) -gt 12
'

test_expect_success 'person list: csv header, json parses, text' '
	admin person list --format csv >out.csv &&
	head -1 out.csv | grep -qx "uuid,kind,name,sex,dob,age_months,nik,mother_name,rt,rw" &&
	admin person list --format json >out.json &&
	python3 -c "import json,sys; d=json.load(open(\"out.json\")); assert len(d) > 12 and \"name\" in d[0]" &&
	admin person list >out.txt && test $(wc -l <out.txt) = $(($(wc -l <out.csv) - 1))
'

test_expect_success 'no name, NIK or date of birth is readable in any store file' '
	admin person list --format csv | tail -n +2 >people &&
	cut -d, -f3 people | sort -u >names &&
	cut -d, -f7 people | grep . | sort -u >niks &&
	test $(wc -l <names) -gt 10 && test $(wc -l <niks) -gt 3 &&
	for f in "$D"/*; do
		grep -aFf names "$f" && { echo "a name in $f"; return 1; }
		grep -aFf niks "$f" && { echo "a NIK in $f"; return 1; }
	done; true
'

test_expect_success 'passwd: own change and admin reset; disable' '
	pc --user sri --pin-file "$TRASH/pin.kader" --new-pin-file "$TRASH/pin.new" user passwd sri &&
	test_exit 1 pc --user sri --pin-file "$TRASH/pin.kader" person list 2>err &&
	pc --user sri --pin-file "$TRASH/pin.new" person list >/dev/null &&
	admin --new-pin-file "$TRASH/pin.kader" user passwd sri &&
	pc --user sri --pin-file "$TRASH/pin.kader" person list >/dev/null &&
	admin user disable sri &&
	test_exit 1 pc --user sri --pin-file "$TRASH/pin.kader" person list 2>err &&
	grep -q "dinonaktifkan" err &&
	test_exit 1 admin user disable ani 2>err &&
	grep -q "Admin terakhir tidak dapat dinonaktifkan" err
'

test_expect_success 'audit verify passes, then catches an edited entry' '
	admin audit verify >out && grep -q "Log audit utuh" out &&
	admin audit >out && grep -q "user-add" out && grep -q "login" out &&
	python3 -c "import sqlite3; c=sqlite3.connect(\"$D/posyandu.db\"); c.execute(\"UPDATE audit SET action=4 WHERE seq=2\"); c.commit()" &&
	test_exit 1 admin audit verify 2>err &&
	grep -q "entri 2" err
'

test_expect_success 'a bad config value is an error naming file, section, key and what is allowed' '
	printf "[ui]\nlanguage = fr\n" >bad.ini &&
	test_exit 1 "$P" --config bad.ini --data "$D" user list 2>err &&
	grep -qxF "posyandu: bad.ini: [ui] language = \"fr\" tidak diizinkan (yang diizinkan: id|en)" err &&
	printf "[security]\nargon2_mem_mib = 8\n" >bad.ini &&
	test_exit 1 "$P" --config bad.ini --data "$D" user list 2>err &&
	grep -qF "(yang diizinkan: 0 (kalibrasi) atau 32-4096)" err &&
	test_exit 1 "$P" --lang en --config bad.ini --data "$D" user list 2>err &&
	grep -qF "(allowed: 0 (calibrate) or 32-4096)" err
'

test_expect_success 'an unknown config key is a warning only' '
	printf "[ui]\ncolour = blue\n" >warn.ini &&
	"$P" --config warn.ini --data "$D" user list >out 2>err &&
	grep -q "kunci tidak dikenal \[ui\] colour" err && grep -q ani out
'

test_expect_success '--lang en and [ui] language = en give English' '
	test_exit 1 "$P" --lang en --data "$TRASH/none" person list 2>err &&
	grep -q "No store here yet" err &&
	printf "[ui]\nlanguage = en\n" >en.ini &&
	test_exit 1 "$P" --config en.ini --data "$TRASH/none" person list 2>err &&
	grep -q "No store here yet" err
'

test_done
