#!/bin/sh
# Issue 13.3: records deleted or rolled back in the file (no PIN needed)
# are seen at the next unlock (the data stays readable, stderr warns in
# Indonesian) and by `audit verify`, which binds every save to its version.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
admin() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
kader() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user sri --pin-file "$TRASH/pin.kader" "$@"; }

test_expect_success 'a store with a person saved twice and another once' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin "$D" user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	dob=$(tdate "-10 months" +%d-%m-%Y) &&
	printf "ref,kind,name,sex,dob\nA1,child,Budi Santoso,L,%s\nA2,child,Ani Lestari,P,%s\n" "$dob" "$dob" >p1.csv &&
	printf "ref,kind,name,sex,dob\nA1,child,Budi Santosa,L,%s\n" "$dob" >p2.csv &&
	kader "$D" load people p1.csv >/dev/null && kader "$D" load people p2.csv >/dev/null &&
	kader "$D" person list >out 2>err && grep -q "Budi Santosa" out && test ! -s err &&
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

test_expect_success 'a person deleted (heads and versions): unlock warns, verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	"$ATK/atk_record" "$TRASH/a" delete >out && grep -q "^attack:" out &&
	kader "$TRASH/a" person list >out 2>err &&
	grep -q "data dihapus atau dikembalikan ke versi lama" err &&
	! grep -q "Budi" out && grep -q "Ani Lestari" out &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "data dihapus atau dikembalikan" err
'

test_expect_success 'a head pointed at the older version: unlock warns, verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	"$ATK/atk_record" "$TRASH/a" rollback >out && grep -q "^attack:" out &&
	kader "$TRASH/a" person list >out 2>err &&
	grep -q "Budi Santoso" out &&
	grep -q "data dihapus atau dikembalikan ke versi lama" err &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "data dihapus atau dikembalikan" err
'

test_expect_success 'the app says it on the login and desk status line' '
	tui_start "$P --config $CONF --data $TRASH/a" &&
	wait_for "Siapa Anda?" && send Enter &&
	wait_for "PIN untuk ani" && type_text 482915 && send Enter &&
	wait_for "Beranda" && wait_for "Peringatan: data dihapus" &&
	send Enter && wait_for "Cari:" && wait_for "Peringatan: data dihapus" &&
	tui_stop
'

test_expect_success 'rolled back with the newer version deleted: unlock warns, verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	"$ATK/atk_record" "$TRASH/a" rollback-delete >out && grep -q "^attack:" out &&
	kader "$TRASH/a" person list >out 2>err &&
	grep -q "Budi Santoso" out &&
	grep -q "data dihapus atau dikembalikan ke versi lama" err &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "data dihapus atau dikembalikan" err
'

test_expect_success 'the untouched store: no warning, verify passes' '
	kader "$D" person list >out 2>err && test ! -s err &&
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

test_done
