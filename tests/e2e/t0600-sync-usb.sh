#!/bin/sh
# Enrolment, export to a stick, import at the district, the receipt back
# (issue 6), with the real binaries, real files and real crypto; then each
# kind of bad input is refused with a clear message and changes nothing.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf 'another district passphrase!!\n' >"$TRASH/pass2"
printf '482915\n' >"$TRASH/pin"
DS=$TRASH/district
STICK=$TRASH/stick
mkdir -p "$STICK"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
sv2() { "$SV" --config "$CONF" --data "$TRASH/district2" --pin-file "$TRASH/pass2" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
newdev() { "$P" --lang en --config "$CONF" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code "$2" --name "Posyandu $1" --admin ani >/dev/null; }
# The district's outcome for a file: its class (the word after "FILE: ").
outcome() { sed -n "s|^$1: \([a-z ]*\):.*|\1|p" out; }
# FILE imported, refused with exit 1 as OUTCOME; what was said when not.
refused() {
	test_exit 1 sv import "$1" >out 2>err
	rc=$? got=$(outcome "$1")
	[ $rc = 0 ] && [ "$got" = "$2" ] && return 0
	echo "$1: wanted \"$2\", got \"$got\""
	cat out err
	return 1
}
# What the district holds, as a version count (through a fresh full import
# of nothing: the devices list is clear, versions are counted by receipts).
devid() { sv device list | sed -n "s/^\([0-9a-f]*\)	$1	.*/\1/p" | head -n 1; }

test_expect_success 'server init: key string and a 24-digit fingerprint' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >out &&
	grep -q "^pyd1[a-z0-9]*$" out &&
	grep -Eq "^fingerprint: [0-9]{4}( [0-9]{4}){5}$" out &&
	sv pubkey >key && test $(wc -l <key) = 1 &&
	grep -q "$(cat key)" out
'

test_expect_success 'a weak district passphrase is refused' '
	printf "123456\n" >"$TRASH/weak" &&
	test_exit 1 "$SV" --config "$CONF" --data "$TRASH/weakd" --pin-file "$TRASH/weak" init 2>err &&
	grep -q "strong" err && ! district_has_store "$TRASH/weakd"
'

test_expect_success 'enrol: "n" to the fingerprint question changes nothing' '
	newdev d1 P-0001 &&
	dev d1 demo --children 8 --months 4 --seed 3 >/dev/null &&
	printf "n\n" >no && test_exit 1 dev d1 enroll --district-key "$(cat key)" --request-out "$STICK/req1" <no >out 2>err &&
	grep -q "$(sv pubkey --fingerprint)" out &&
	test ! -e "$STICK/req1" &&
	test_exit 1 dev d1 export --to "$STICK" 2>err
'

test_expect_success 'enrol: a mistyped key fails its checksum' '
	k=$(cat key) && c=$(printf %s "$k" | cut -c20) &&
	if [ "$c" = q ]; then r=p; else r=q; fi &&
	printf "%s%s%s\n" "$(printf %s "$k" | cut -c1-19)" "$r" "$(printf %s "$k" | cut -c21-)" >badkey &&
	! cmp -s key badkey &&
	printf "y\n" >yes &&
	test_exit 1 dev d1 enroll --district-key "$(cat badkey)" --request-out "$STICK/req1" <yes 2>err &&
	test ! -e "$STICK/req1"
'

test_expect_success 'enrol: "y" writes the request; the district adds it as pending' '
	dev d1 enroll --district-key "$(cat key)" --request-out "$STICK/req1" <yes >out &&
	test $(stat -c %s "$STICK/req1") = 272 &&
	sed -n "/This device/{n;s/^ *//;p}" out >devfpr &&
	sv device add "$STICK/req1" >out &&
	grep -q "$(cat devfpr)" out &&
	sv device list >list && grep -q "	P-0001	pending	$(cat devfpr)$" list
'

test_expect_success 'a bundle from a pending device is refused, no receipt' '
	dev d1 export --to "$STICK" >out &&
	ls "$STICK"/P-0001_*.pyb >bundles && test $(wc -l <bundles) = 1 &&
	B=$(cat bundles) &&
	test_exit 1 sv import "$B" >out &&
	test "$(outcome "$B")" = "pending device" &&
	! ls "$STICK"/*.pyr 2>/dev/null
'

test_expect_success 'approved: import, receipt on the stick, the device moves its watermark' '
	devid P-0001 >id1 && sv device approve "$(cat id1)" >/dev/null &&
	B=$(cat bundles) && sv import "$B" >out &&
	test "$(outcome "$B")" = success &&
	sed -n "s/.* \([1-9][0-9]*\) new, 0 duplicate versions$/\1/p" out >n_first &&
	test -s n_first &&
	R=${B%.pyb}.pyr && test $(stat -c %s "$R") = 184 &&
	dev d1 import "$R" >out && grep -q "acknowledged up to change" out &&
	dev d1 import "$R" >out && grep -q "before: nothing changed" out &&
	dev d1 export --to "$STICK" >out && grep -q "Nothing new" out
'

test_expect_success 'the same bundle again: duplicate, the same receipt' '
	B=$(cat bundles) && R=${B%.pyb}.pyr && cp "$R" first.pyr &&
	sv import "$B" >out && test "$(outcome "$B")" = duplicate &&
	cmp "$R" first.pyr
'

test_expect_success 'an older bundle re-exported (new file, same versions): 0 new' '
	dev d1 demo --children 1 --months 1 --seed 9 >/dev/null &&
	dev d1 export --to "$STICK" --full >out &&
	B=$(sed -n "s/^Bundle written: //p" out) &&
	sv import "$B" >out && test "$(outcome "$B")" = success &&
	grep -q " [1-9][0-9]* new, $(cat n_first) duplicate versions$" out
'

test_expect_success 'the district report: the posyandu row is what the device reports' '
	M=$(tdate "" +%Y-%m) &&
	sv report monthly --month "$M" --format csv >dist.csv &&
	head -1 dist.csv | grep -q "^posyandu,S,K,D,N,T,O,B,2T,BGM,D/S,N/D,school_visited," &&
	grep "^P-0001," dist.csv | cut -d, -f2-10 >row &&
	grep "^district," dist.csv | cut -d, -f2-10 >all &&
	cmp row all &&
	dev d1 report monthly --month "$M" --format json >dev.json &&
	python3 -c "import json; s=json.load(open(\"dev.json\"))[\"skdn\"]; print(\",\".join(str(s[k]) for k in \"S K D N T O B 2T BGM\".split()))" >devrow &&
	cmp row devrow && test "$(cut -d, -f1 row)" -gt 0 &&
	sv report monthly --month "$M" --format json >dist.json &&
	python3 -c "import json; d=json.load(open(\"dist.json\")); assert d[\"district\"][\"skdn\"][\"S\"] > 0" &&
	test_exit 2 sv report monthly 2>err
'

test_expect_success 'downstream on a stick: two laptops of one posyandu converge' '
	newdev d3 P-0001 && mkdir s4 &&
	dev d3 demo --children 3 --months 2 --seed 21 >/dev/null &&
	printf "y\n" | dev d3 enroll --district-key "$(cat key)" --request-out s4/req >/dev/null &&
	sv device add s4/req >/dev/null &&
	id3=$(sv device list | grep "	pending	" | cut -f1) &&
	sv device approve "$id3" >/dev/null &&
	dev d3 export --to s4 >/dev/null && sv import s4/*.pyb >out &&
	dev d1 export --to s4 >/dev/null; sv import s4/*.pyb >out;
	dev d3 import s4/*.pyr >/dev/null 2>&1;
	mkdir s5 s6 &&
	sv export --device "$id3" --to s5 >out && grep -q "^Downstream bundle written" out &&
	sv export --device "$(cat id1)" --to s6 >out &&
	dev d3 import s5/*.pyb >out && grep -q "new records" out &&
	dev d3 import s5/*.pyb >out && grep -q "imported before" out &&
	dev d1 import s6/*.pyb >out &&
	dev d1 person list --format csv >p1 && dev d3 person list --format csv >p3 &&
	cmp p1 p3
'

test_expect_success 'truncated, one bit flipped, garbage, oversize: each refused' '
	B=$(cat bundles) && n=$(stat -c %s "$B") &&
	head -c $((n - 1)) "$B" >trunc.pyb &&
	refused trunc.pyb "header failure" &&
	cp "$B" flip.pyb &&
	flip_byte flip.pyb $((n / 2)) && ! cmp -s flip.pyb "$B" &&
	refused flip.pyb "signature failure" &&
	head -c 5000 /dev/urandom >garbage.pyb &&
	refused garbage.pyb "header failure" &&
	truncate -s 300M huge.pyb &&
	refused huge.pyb "too large" &&
	ln -s "$B" link.pyb &&
	refused link.pyb "header failure"
'

test_expect_success 'unknown device; wrong recipient; revoked device' '
	newdev d2 P-0002 &&
	dev d2 demo --children 2 --months 1 --seed 4 >/dev/null &&
	mkdir s2 &&
	printf "y\n" | dev d2 enroll --district-key "$(cat key)" --request-out s2/req >/dev/null &&
	dev d2 export --to s2 >/dev/null && cp s2/*.pyb b2.pyb && B2=b2.pyb &&
	test_exit 1 sv import "$B2" >out && test "$(outcome "$B2")" = "unknown device" &&
	sv device add s2/req >/dev/null && sv device approve "$(devid P-0002)" >/dev/null &&
	sv2 init >/dev/null && sv2 pubkey >key2 &&
	printf "y\n" | dev d2 enroll --district-key "$(cat key2)" --request-out s2/req2 >/dev/null &&
	rm -f s2/*.pyb && dev d2 export --to s2 >/dev/null && B3=$(ls s2/*.pyb) &&
	test_exit 1 sv import "$B3" >out && test "$(outcome "$B3")" = "wrong recipient" &&
	sv device revoke "$(devid P-0002)" >/dev/null &&
	test_exit 1 sv import "$B2" >out && test "$(outcome "$B2")" = "revoked device"
'

test_expect_success 'a stick pulled out mid-export: no half file is ever accepted' '
	mkdir s3 &&
	dev d1 demo --children 150 --months 12 --seed 7 >/dev/null &&
	for d in 0.05 0.1 0.15 0.2 0.3 0.4 0.6; do
		timeout -s KILL $d "$P" --lang en --config "$CONF" --data "$TRASH/d1" --user ani \
			--pin-file "$TRASH/pin" export --to s3 >/dev/null 2>&1
		for f in s3/* s3/.*.part; do
			[ -f "$f" ] || continue
			if sv import "$f" >out 2>&1; then
				grep -q ": success\|: duplicate" out || return 1
			else
				c=$(sed -n "s|^$f: \([a-z ]*\):.*|\1|p" out)
				[ "$c" = "header failure" ] || [ "$c" = "signature failure" ] ||
					{ cat out; return 1; }
			fi
		done
	done &&
	dev d1 export --to s3 >/dev/null &&
	! ls s3/.*.part 2>/dev/null
'

test_expect_success 'after the cuts the device store and its audit log verify' '
	dev d1 audit verify >out && grep -q "[0-9]" out
'

test_expect_success 'disk full on the stick (tmpfs): refused before writing' '
	mkdir full &&
	if mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
		dev d1 demo --children 5 --months 2 --seed 11 >/dev/null &&
		test_exit 1 dev d1 export --to full 2>err; rc=$?
		umount full
		[ $rc = 0 ] && grep -q "USB drive is full\|USB penuh" err
	else
		echo "# skipped: cannot mount a tmpfs (not root)"
	fi
'

test_expect_success 'disk full at the district: nothing imported, then it works' '
	if pg_mode; then
		pg_skip "disk full at the district: the store is in PostgreSQL, not in --data"
		return 0
	fi
	mkdir small &&
	if mount -t tmpfs -o size=16m tmpfs small 2>/dev/null; then
		(
		S="$SV --config $CONF --data small/ds --pin-file $TRASH/pass" &&
		cp -a "$DS" small/ds && B=$(cat bundles) &&
		$S import "$B" >out && test "$(outcome "$B")" = duplicate &&
		dev d1 demo --children 1 --months 1 --seed 12 >/dev/null &&
		dev d1 export --to "$STICK" >out &&
		B=$(sed -n "s/^Bundle written: //p" out) &&
		dd if=/dev/zero of=small/filler bs=4k 2>/dev/null;
		test_exit 1 $S import "$B" >out 2>err &&
		{ grep -q "local failure" out || grep -q "disk full" err; } &&
		rm small/filler && $S import "$B" >out &&
		grep -q ": success: .* [1-9][0-9]* new, [0-9]* duplicate" out
		) || { cat out err; false; }; rc=$?
		umount small
		[ $rc = 0 ]
	else
		echo "# skipped: cannot mount a tmpfs (not root)"
	fi
'

test_done
