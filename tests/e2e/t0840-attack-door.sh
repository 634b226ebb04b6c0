#!/bin/sh
# The district server's door (issue 13.5): a real posyandu-server serve on
# 127.0.0.1 and real curl. Enrolment floods are rate-limited per address
# and capped per posyandu code and in total; an upload reaches the disk only
# after its clear header names an approved device; a declared 1 GiB body is
# 413 before it is read; one device cannot hold more than its share of
# spooled uploads; every refusal is one log line.
#
# The spool files are unlinked at once, so "nothing on disk" is read where
# it is: the server's open files (/proc/PID/fd) that are spool files.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
# sv DIR ARGS...: the server on the district folder DIR.
sv() { d=$1; shift; "$SV" --config "$CONF" --data "$TRASH/$d" --pin-file "$TRASH/pass" "$@"; }

# start_server DIR LOG [serve options]: on a free port; sets URL and SPID.
start_server() { dir=$1; shift; serve_on "$TRASH/$dir" "$@"; }
stop_server() { serve_stop; }
# The spool files the server holds open now, and their bytes.
spooled() {
	n=0 bytes=0
	for f in /proc/$SPID/fd/*; do
		case $(readlink "$f" 2>/dev/null) in
		*/spool/*) n=$((n + 1)); bytes=$((bytes + $(stat -L -c %s "$f" 2>/dev/null || echo 0))) ;;
		esac
	done
	echo "$n $bytes"
}
# post FILE PATH: one POST, the status on stdout.
post() { curl -sS -o /dev/null -w "%{http_code}\n" --max-time 10 --data-binary @"$1" "$URL$2"; }
pending() { sv "$1" device list | grep -c "	P-000$2	pending	"; }
# The key audit entries (action 11) of the district store in DIR.
audit_keys() {
	if pg_mode; then
		district_sql "$1" "SELECT COUNT(*) FROM audit WHERE action = 11"
	else
		"$ATK/atk_door" audit-keys "$1"
	fi
}

test_expect_success 'setup: a district, 500 forged enrolment requests for P-0001' '
	sv ds init >/dev/null && sv ds pubkey >key &&
	mkdir req && "$ATK/atk_door" requests "$(cat key)" P-0001 500 req >/dev/null &&
	test $(ls req | wc -l) = 500
'

test_expect_success '500 enrolments from one address: a few, then 429 (or 409 once refilled); nothing else written' '
	start_server ds rate.log &&
	t0=$(date +%s) &&
	for i in $(seq 1 500); do post req/req-$i.pyq /v1/enrol || return 1; done >codes &&
	echo "# $(($(date +%s) - t0)) s: $(sort codes | uniq -c | tr "\n" " ")" &&
	test $(grep -c "^202$" codes) -le 5 &&
	test $(grep -c "^429$" codes) -ge 490 &&
	test $(grep -c "^202$\|^409$\|^429$" codes) = 500 &&
	test $(pending ds 1) -le 5 &&
	test $(audit_keys "$TRASH/ds") -le 5 &&
	test $(grep -c "^enrol 429 refused .* from 127.0.0.1: too many enrolment requests" rate.log) \
		= $(grep -c "^429$" codes) &&
	stop_server
'

test_expect_success 'the pending caps: 5 per posyandu code, 8 in all (409), nothing written' '
	cp "$CONF" conf.orig &&
	printf "[server]\nenrol_per_minute = 100000\nenrol_pending_total = 8\n" >>"$CONF" &&
	sv ds2 init >/dev/null && sv ds2 pubkey >key2 &&
	mkdir req2 req3 && "$ATK/atk_door" requests "$(cat key2)" P-0001 500 req2 >/dev/null &&
	"$ATK/atk_door" requests "$(cat key2)" P-0002 10 req3 >/dev/null &&
	start_server ds2 cap.log &&
	for i in $(seq 1 500); do post req2/req-$i.pyq /v1/enrol || return 1; done >codes &&
	echo "# P-0001: $(sort codes | uniq -c | tr "\n" " ")" &&
	test $(grep -c "^202$" codes) = 5 && test $(grep -c "^409$" codes) = 495 &&
	for i in $(seq 1 10); do post req3/req-$i.pyq /v1/enrol || return 1; done >codes3 &&
	test $(grep -c "^202$" codes3) = 3 && test $(grep -c "^409$" codes3) = 7 &&
	test $(pending ds2 1) = 5 && test $(pending ds2 2) = 3 &&
	test $(audit_keys "$TRASH/ds2") = 8 &&
	test $(grep -c "^enrol 409 refused .* from 127.0.0.1: .*pending already" cap.log) = 502 &&
	curl -sS -w "%{http_code}" --data-binary @req2/req-1.pyq "$URL/v1/enrol" >body &&
	grep -q "^pending: " body && grep -q "200$" body &&
	test $(audit_keys "$TRASH/ds2") = 8
'

test_expect_success 'an unknown sender: 403, and nothing is spooled meanwhile' '
	"$ATK/atk_door" header 00112233445566778899aabbccddeeff P-0001 >head &&
	(cat head; sleep 1; head -c 2000000 /dev/zero) |
		curl -sS -o body -w "%{http_code}" --max-time 10 -H "Expect:" \
			-H "Content-Length: 2000200" -H "Transfer-Encoding:" -T - -X POST "$URL/v1/bundles" >code &
	CPID=$! && sleep 0.5 && spooled >during && wait $CPID &&
	echo "# during the upload: $(cat during) (spool files, bytes)" &&
	test "$(cat during)" = "0 0" &&
	test "$(cat code)" = 403 && grep -q "^unknown device: " body &&
	test -z "$(ls "$TRASH/ds2/spool" 2>/dev/null)" &&
	grep -q "^bundle 403 unknown device .* from 127.0.0.1 device 00112233445566778899aabbccddeeff: " cap.log
'

test_expect_success 'pending and revoked senders: 403 with their own class' '
	ids=$(sv ds2 device list | cut -f1) &&
	a=$(echo "$ids" | sed -n 1p) && b=$(echo "$ids" | sed -n 2p) &&
	sv ds2 device approve $b >/dev/null && sv ds2 device revoke $b >/dev/null &&
	"$ATK/atk_door" header $a P-0001 >ha && cat ha >pa && head -c 5000 /dev/zero >>pa &&
	"$ATK/atk_door" header $b P-0001 >hb && cat hb >pb && head -c 5000 /dev/zero >>pb &&
	test "$(post pa /v1/bundles)" = 403 && test "$(post pb /v1/bundles)" = 403 &&
	grep -q "^bundle 403 pending device .* device $a: " cap.log &&
	grep -q "^bundle 403 revoked device .* device $b: " cap.log
'

test_expect_success 'Content-Length 1 GiB: 413 at once, with and without Expect, nothing read' '
	head -c 1000 /dev/zero >small &&
	for expect in "Expect:" "Expect: 100-continue"; do
		curl -sS -v -o body -w "%{http_code} %{time_total}\n" --max-time 5 -H "$expect" \
			-H "Content-Length: 1073741824" --data-binary @small "$URL/v1/bundles" \
			>res 2>trace
		echo "# $expect: $(cat res)" &&
		test "$(cut -d" " -f1 res)" = 413 && grep -q "^too large: 1073741824 bytes declared" body &&
		! grep -q "HTTP/1.1 100" trace || return 1
	done &&
	grep -q "^> Expect: 100-continue" trace &&
	test "$(spooled)" = "0 0" &&
	test $(grep -c "^bundle 413 too large .* from 127.0.0.1: 1073741824 bytes declared" cap.log) = 2
'

test_expect_success 'no Content-Length: counted and cut at the cap, never spooled past it' '
	stop_server && start_server ds2 cut.log --max-size 1048576 &&
	ok=$(sv ds2 device list | sed -n "s/^\([0-9a-f]*\)	P-0001	pending	.*/\1/p" | sed -n 2p) &&
	sv ds2 device approve $ok >/dev/null &&
	"$ATK/atk_door" header $ok P-0001 >hok &&
	(cat hok; head -c 3000000 /dev/zero) |
		curl -sS -o body -w "%{http_code}" --max-time 10 -H "Transfer-Encoding: chunked" \
			-T - -X POST "$URL/v1/bundles" >code 2>err;
	echo "# chunked 3 MB, cap 1 MiB: $(cat code) $(cat err)" &&
	test "$(cat code)" != 200 &&
	grep -q "^bundle 413 too large .* device $ok: the body went past the cap" cut.log
'

test_expect_success 'a small Content-Length beside chunked framing: refused before the body, nothing spooled' '
	"$ATK/atk_door" header $ok P-0001 >hok &&
	(cat hok; head -c 3000000 /dev/zero) |
		curl -sS -o body -w "%{http_code}" --max-time 10 -H "Expect:" -H "Content-Length: 1000" \
			-H "Transfer-Encoding: chunked" -T - -X POST "$URL/v1/bundles" >code 2>err;
	echo "# Content-Length 1000 + chunked 3 MB: $(cat code)" &&
	{ # 400, or 000 when the close reaches curl before it has sent its body
	  test "$(cat code)" = 400 || test "$(cat code)" = 000; } &&
	grep -q "both Content-Length and Transfer-Encoding" cut.log &&
	test "$(spooled)" = "0 0"
'

# slow FILE: FILE, then 5 s later 1000 more bytes (in the background).
slow() {
	(cat "$1"; sleep 5; head -c 1000 /dev/zero) |
		curl -sS -o /dev/null -w "%{http_code}\n" --max-time 20 -H "Expect:" \
			-T - -X POST "$URL/v1/bundles" >>slow.codes
}
# Without a Content-Length an upload reserves the cap (256 MiB) of the spool:
# 2 fill a device's 512 MiB, 3 the 768 MiB allowed here in all.
test_expect_success 'slow uploads of one approved device: beyond its share 429, beyond the total 503' '
	stop_server &&
	printf "spool_total_mib = 768\n" >>"$CONF" &&
	start_server ds2 slots.log &&
	c2=$(sv ds2 device list | sed -n "s/^\([0-9a-f]*\)	P-0001	pending	.*/\1/p" | sed -n 2p) &&
	sv ds2 device approve $c2 >/dev/null && "$ATK/atk_door" header $c2 P-0001 >h2 &&
	cat hok small >third && cat h2 small >fourth && : >slow.codes || return 1
	slow hok & s1=$!
	slow hok & s2=$!
	sleep 1
	spooled >during2
	post third /v1/bundles >code3
	slow h2 & s3=$!
	sleep 1
	post fourth /v1/bundles >code4
	wait $s1 $s2 $s3
	echo "# two slow uploads held: $(cat during2); third: $(cat code3); over the total: $(cat code4)" &&
	test "$(cut -d" " -f1 during2)" = 2 &&
	test "$(cat code3)" = 429 && test "$(cat code4)" = 503 &&
	test $(grep -c "^400$" slow.codes) = 3 &&
	test "$(spooled)" = "0 0" &&
	grep -q "^bundle 429 refused .* device $ok: uploads of this device in progress hold its share of the spool (512 MiB)" slots.log &&
	grep -q "^bundle 503 refused .* device $c2: uploads in progress hold the spool (768 MiB)" slots.log &&
	test "$(post third /v1/bundles)" = 400
'

test_expect_success 'every refusal is one log line with the address; no secret in the log' '
	for l in rate.log cap.log cut.log slots.log; do
		grep -v "^\(enrol\|bundle\|downstream\) [0-9]* .* ms from 127.0.0.1" $l |
			grep -v "^posyandu-server: stopped" && return 1
	done;
	! grep -qi "passphrase for the tests" rate.log cap.log cut.log slots.log
'

test_done
