#!/bin/sh
# Reading works without writing (issue 13 point 8): on a full disk, on a
# read-only mount and on a store owned by another user, unlocking and every
# read command work; the PIN attempt is not counted and the note says so;
# every write is refused in Indonesian (exit 1), never in SQLite's words;
# nothing is lost. Needs root for the mounts and to run as nobody.
. "$(dirname "$0")/lib.sh"
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin"
printf '000000\n' >"$TRASH/badpin"
D=$TRASH/d
M=$(tdate "" +%Y-%m)
pc() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin" "$@"; }
bad() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/badpin" "$@"; }
# No SQLite or English system words on stderr.
clean_err() { ! grep -qi "sqlite\|database\|disk I/O\|readonly\|read-only file" "$1"; }
mkdir -p full ro
if ! mount -t tmpfs -o size=384k tmpfs full 2>/dev/null; then
	say "# SKIP: cannot mount a tmpfs (not root)"
	say "# passed 0 failed 0"
	exit 0
fi
trap 'umount "$TRASH/full" 2>/dev/null; umount "$TRASH/ro" 2>/dev/null; cleanup' EXIT

# read_all DIR: unlock and run every read command; they must all work.
read_all() {
	pc "$1" person list --format csv >list.csv 2>err &&
	cmp before.csv list.csv && clean_err err &&
	pc "$1" person show "$(sed -n 2p list.csv | cut -d, -f1)" >show 2>>err &&
	grep -q "Nama: " show &&
	pc "$1" visit list --month "$M" --format csv >visits.csv 2>>err &&
	cmp visits-before.csv visits.csv &&
	pc "$1" report monthly --month "$M" --format csv >report.csv 2>>err &&
	cmp report-before.csv report.csv &&
	pc "$1" report followup >/dev/null 2>>err &&
	pc "$1" audit >/dev/null 2>>err &&
	pc "$1" audit verify >out 2>>err && grep -q "Log audit utuh" out &&
	clean_err err
}

test_expect_success 'a store, and what reading it shows' '
	pc "$D" init --code P-0001 --name Mawar --admin ani >/dev/null &&
	pc "$D" demo --children 5 --months 3 --seed 1 >/dev/null &&
	pc "$D" person list --format csv >before.csv && test $(wc -l <before.csv) -gt 5 &&
	pc "$D" visit list --month "$M" --format csv >visits-before.csv &&
	pc "$D" report monthly --month "$M" --format csv >report-before.csv &&
	cp -a "$D" full/d && dd if=/dev/zero of=full/filler bs=4k 2>/dev/null;
	test "$(df -k full | awk "NR == 2 { print \$4 }")" = 0
'

test_expect_success 'full disk: unlock says so, and every read works' '
	pc full/d person list --format csv >list.csv 2>err &&
	grep -q "disk penuh: percobaan tidak dicatat, hanya baca" err &&
	read_all full/d
'

test_expect_success 'full disk: a write is refused as disk full, exit 1, nothing half-saved' '
	test_exit 1 pc full/d demo --children 2 --months 1 --seed 5 >out 2>err &&
	grep -q "Disk penuh" err && clean_err err &&
	pc full/d person list --format csv >list.csv 2>/dev/null && cmp before.csv list.csv
'

test_expect_success 'full disk: a wrong PIN is still refused, in Indonesian' '
	test_exit 1 bad full/d person list >out 2>err &&
	grep -q "PIN salah" err && clean_err err && ! test -s out
'

test_expect_success 'space again: the store is whole and counts attempts again' '
	rm full/filler &&
	test_exit 1 bad full/d person list 2>err &&
	pc full/d person list --format csv >list.csv 2>err && cmp before.csv list.csv &&
	! grep -q "tidak dicatat" err &&
	pc full/d audit verify >out && grep -q "Log audit utuh" out &&
	pc full/d audit >log && grep -q "1 wrong PIN" log
'

test_expect_success 'read-only mount: unlock says so, and every read works' '
	mount --bind "$D" ro && mount -o remount,ro,bind ro &&
	pc ro person list --format csv >list.csv 2>err &&
	grep -q "hanya-baca: percobaan PIN tidak dicatat" err &&
	read_all ro
'

test_expect_success 'read-only mount: the screens say so after the PIN, and the desk reads' '
	tui_start "$P --config $CONF --data $TRASH/ro" &&
	wait_for "Siapa Anda?" && send Enter &&
	wait_for "PIN untuk ani" && type_text 482915 && send Enter &&
	wait_for "hanya-baca: percobaan PIN tidak dicatat" && wait_for "Beranda" &&
	send Enter && wait_for "Cari:" && wait_for "hanya-baca" &&
	tui_stop
'

test_expect_success 'read-only mount: writes refused in Indonesian, exit 1' '
	test_exit 1 pc ro demo --children 2 --months 1 --seed 5 >out 2>err &&
	grep -q "Penyimpanan hanya-baca: tidak bisa menyimpan" err && clean_err err &&
	mkdir stick &&
	test_exit 1 pc ro export --to stick >out 2>err &&
	{ grep -q "Penyimpanan hanya-baca: tidak bisa menyimpan" err ||
	  grep -q "belum terdaftar" err; } && clean_err err &&
	test -z "$(ls stick)" && test ! -e ro/outbox &&
	test_exit 1 bad ro person list >out 2>err && grep -q "PIN salah" err && clean_err err
'

test_expect_success 'read-only copy with a -wal (a cut power): read with its -shm, refused without' '
	umount ro && mkdir w && cp -a "$D" w0 &&
	python3 -c "
import sqlite3, shutil, sys
c = sqlite3.connect(sys.argv[1] + \"/posyandu.db\")
c.execute(\"PRAGMA wal_autocheckpoint=0\")
c.execute(\"INSERT INTO meta(key, value) VALUES(\x27test.wal\x27, x\x2700\x27)\")
c.commit()
for f in (\"posyandu.db\", \"posyandu.db-wal\", \"posyandu.db-shm\"):
    shutil.copy2(sys.argv[1] + \"/\" + f, sys.argv[2] + \"/\" + f)
c.close()
" w0 w &&
	test -s w/posyandu.db-wal &&
	mount --bind w ro && mount -o remount,ro,bind ro &&
	pc ro person list --format csv >list.csv 2>err && cmp before.csv list.csv &&
	umount ro && rm w/posyandu.db-shm &&
	mount --bind w ro && mount -o remount,ro,bind ro &&
	test_exit 1 pc ro person list >out 2>err &&
	grep -q "salin seluruh folder data ke tempat yang bisa ditulis" err && clean_err err &&
	umount ro
'

test_expect_success 'another user who may read: reads work, writes refused, no SQLite words' '
	if ! id nobody >/dev/null 2>&1 || ! command -v setpriv >/dev/null; then
		echo "# skipped: no nobody user or setpriv"; return 0
	fi
	mkdir -p shared && cp -a "$D" shared/d && chmod 755 "$TRASH" shared &&
	chmod -R a+rX shared/d && chmod a+r "$CONF" "$TRASH/pin" &&
	pc "$D" person list --format csv >before.csv &&
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent \
		"$P" --config "$CONF" --data shared/d --user ani --pin-file "$TRASH/pin" "$@"; } &&
	as_nobody person list --format csv >list.csv 2>err &&
	cmp before.csv list.csv && grep -q "hanya-baca: percobaan PIN tidak dicatat" err &&
	as_nobody report monthly --month "$M" >/dev/null 2>>err && clean_err err &&
	test_exit 1 as_nobody demo --children 1 --months 1 --seed 4 >out 2>err &&
	grep -q "Penyimpanan hanya-baca: tidak bisa menyimpan" err && clean_err err
'

test_expect_success 'after all of it the store verifies and lost nothing' '
	pc "$D" audit verify >out && grep -q "Log audit utuh" out &&
	pc "$D" person list --format csv >after.csv && cmp before.csv after.csv
'

test_done
