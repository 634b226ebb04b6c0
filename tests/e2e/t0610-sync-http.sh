#!/bin/sh
# The same bundles over HTTP (issue 6): posyandu-server serve on 127.0.0.1,
# enrolment over HTTP, posyandu sync both ways between two laptops of one
# posyandu, a re-send after a cut connection, https with the district's own
# certificate, and bad uploads refused with the right HTTP status.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
DS=$TRASH/district
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$TRASH/$d.ini" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
newdev() {
	write_test_config "$TRASH/$1.ini" &&
	printf '[sync]\nserver = %s\n' "$URL" >>"$TRASH/$1.ini" &&
	"$P" --lang en --config "$TRASH/$1.ini" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code P-0001 \
		--name "Posyandu Mawar" --admin ani >/dev/null
}
devid() { sv device list | sed -n "s/^\([0-9a-f]*\)	P-0001	$1	.*/\1/p" | head -n 1; }

# Start the server on a free port (port 0); $1 = log, then extra options.
start_server() { log=$1; shift; serve_on "$DS" "$log" "$@"; }

test_expect_success 'serve on 127.0.0.1: the key is served' '
	sv init >/dev/null && sv pubkey >key &&
	start_server serve.log &&
	curl -sS "$URL/v1/key" >served && cmp key served
'

test_expect_success 'enrol over HTTP: pending; a pending device cannot sync' '
	newdev d1 && newdev d2 &&
	dev d1 demo --children 6 --months 3 --seed 1 >/dev/null &&
	dev d2 demo --children 4 --months 2 --seed 2 >/dev/null &&
	printf "y\n" | dev d1 enroll --district-key "$(cat key)" >out &&
	grep -q "pending" out &&
	printf "y\n" | dev d2 enroll --district-key "$(cat key)" >/dev/null &&
	sv device list >list && test $(grep -c "	pending	" list) = 2 &&
	test_exit 1 dev d1 sync --retries 0 2>err &&
	grep -q "refuses this device\|menolak perangkat" err
'

test_expect_success 'approved: sync uploads, the receipt comes back at once' '
	for id in $(sv device list | cut -f1); do sv device approve $id >/dev/null || return 1; done &&
	dev d1 sync >out &&
	grep -q "^Sent bundle #1 again" out &&
	grep -q "acknowledged up to change" out &&
	dev d1 sync >out && grep -q "Nothing new to send" out
'

test_expect_success 'two laptops of one posyandu converge through the district' '
	dev d2 sync >out && grep -q "Received from the district: [1-9]" out &&
	dev d1 sync >out && grep -q "Received from the district: [1-9]" out &&
	dev d1 person list --format csv >p1 && dev d2 person list --format csv >p2 &&
	test $(wc -l <p1) -gt 10 && cmp p1 p2 &&
	dev d2 audit verify >/dev/null
'

test_expect_success 'a cut connection: the same bundle again gets the stored receipt' '
	dev d1 demo --children 1 --months 1 --seed 5 >/dev/null &&
	mkdir -p lost && dev d1 export --to lost >/dev/null &&
	B=$(ls lost/*.pyb) &&
	curl -sS -o /dev/null -w "%{http_code}" --data-binary @"$B" \
		-H "Content-Type: application/octet-stream" "$URL/v1/bundles" >code &&
	test "$(cat code)" = 200 &&
	dev d1 sync >out && grep -q "again" out &&
	grep -q "^bundle 200 duplicate" serve.log &&
	dev d1 sync >out && grep -q "Nothing new to send" out
'

test_expect_success 'the server down: sync fails clearly and loses nothing' '
	kill $SPID && wait $SPID 2>/dev/null;
	dev d1 demo --children 1 --months 1 --seed 6 >/dev/null &&
	test_exit 1 dev d1 sync --retries 1 --timeout 2 2>err &&
	grep -q "Cannot reach\|Tidak dapat menghubungi" err &&
	start_server serve2.log &&
	for d in d1 d2; do
		sed -i "s|^server = .*|server = $URL|" "$TRASH/$d.ini" || return 1
	done &&
	dev d1 sync >out && grep -q "^Sent bundle" out &&
	dev d2 sync >out && dev d1 person list --format csv >p1 &&
	dev d2 person list --format csv >p2 && cmp p1 p2
'

test_expect_success 'bad uploads: garbage 400, oversize 413, unknown path 404' '
	head -c 4000 /dev/urandom >garbage &&
	curl -sS -o body -w "%{http_code}" --data-binary @garbage "$URL/v1/bundles" >code &&
	test "$(cat code)" = 400 && grep -q "^header failure" body &&
	truncate -s 270M big &&
	curl -sS -o body -w "%{http_code}" --data-binary @big "$URL/v1/bundles" >code 2>/dev/null;
	test "$(cat code)" = 413 &&
	curl -sS -o body -w "%{http_code}" "$URL/v1/nothing" >code &&
	test "$(cat code)" = 404
'

test_expect_success 'https with the district certificate (and refused without it)' '
	if ! command -v openssl >/dev/null; then echo "# skipped: no openssl"; return 0; fi
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
		-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
		-keyout tls.key -out tls.crt 2>/dev/null &&
	start_server tls.log --tls-cert tls.crt --tls-key tls.key &&
	case "$URL" in https://*) ;; *) false ;; esac &&
	sed -i "s|^server = .*|server = $URL|" "$TRASH/d1.ini" &&
	dev d1 demo --children 1 --months 1 --seed 7 >/dev/null &&
	test_exit 1 dev d1 sync --retries 0 2>err &&
	dev d1 sync --cacert tls.crt >out && grep -q "^Sent bundle" out
'

test_done
