#!/bin/sh
# Issue 13.1: a kader with a shell and her own PIN has K_data, so under the
# old scheme she could re-chain the whole audit log. Entries are now signed
# by their author's one-time keys: deleting, editing, reordering or
# inserting an entry, even re-chained with K_data, or re-signing her own old
# entry with her current key, fails `audit verify`; cutting another user's
# last entries shows at that user's next login.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
admin() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
kader() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user sri --pin-file "$TRASH/pin.kader" "$@"; }
# seq of the first entry of user LABEL (python3's sqlite3: no PIN needed)
first_of() {
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('SELECT min(a.seq) FROM audit a JOIN users u ON u.uuid = a.user WHERE u.label = ?', (sys.argv[2],)).fetchone()[0])" "$1/posyandu.db" "$2"
}
last_seq() {
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('SELECT max(seq) FROM audit').fetchone()[0])" "$1/posyandu.db"
}

test_expect_success 'a store with an admin, a kader, and entries of both' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin "$D" user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	printf "ref,kind,name,sex,dob\nA1,child,Budi Santoso,L,%s\n" "$(tdate "-10 months" +%d-%m-%Y)" >p.csv &&
	kader "$D" load people p.csv >/dev/null &&
	admin "$D" person list >/dev/null &&
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

for attack in delete edit reorder insert; do
	test_expect_success "her shell: $attack an entry and re-chain with K_data; verify fails" '
		rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
		ATK_PIN=739164 "$ATK/atk_audit" "$TRASH/a" sri '"$attack"' 3 >out &&
		grep -q "^attack:" out &&
		test_exit 1 admin "$TRASH/a" audit verify 2>err &&
		grep -q "log audit rusak pada entri" err
	'
done

test_expect_success 'her own earlier entry, edited and re-signed with her current key: verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	n=$(first_of "$TRASH/a" sri) && test -n "$n" &&
	ATK_PIN=739164 "$ATK/atk_audit" "$TRASH/a" sri resign "$n" >out &&
	grep -q "^attack:" out &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "log audit rusak pada entri $n" err
'

test_expect_success 'the admin'"'"'s last entries cut off: her next login warns, verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	n=$(last_seq "$TRASH/a") &&
	"$ATK/atk_audit" "$TRASH/a" - cut "$n" >out && grep -q "^attack:" out &&
	admin "$TRASH/a" person list >/dev/null 2>err &&
	grep -q "catatan audit Anda hilang" err &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "log audit rusak" err
'

test_expect_success 'the untouched store still verifies' '
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

test_done
