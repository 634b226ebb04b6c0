#!/bin/sh
# The officers' web interface (posyandu-server(8) WEB INTERFACE) against
# an attacker: what anyone can send the server unauthenticated (an
# enrolment request over POST /v1/enrol, carrying a posyandu name of its
# choosing; query strings) shows escaped in the raw HTML and makes no
# element in the browser's DOM; the session cookie is Secure under TLS and
# only there; a client that is not on loopback gets no page without TLS
# (the sync door still answers it); a session cookie brought to the sign-in
# is never kept (fixation); signing out is a POST with the CSRF token.
# And posyandu-server officer passwd: a new password ends every session of
# the officer, keeps her role, is audited, is never read from argv, and
# never signs anew a row forged in the database.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
WD="python3 $SRCDIR/tests/helpers/webdriver.py"
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf 'y\n' >"$TRASH/yes"
printf 'siti approves devices\n' >"$TRASH/pw.siti"
printf 'budi only looks here\n' >"$TRASH/pw.budi"
DS=$TRASH/district
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
# newdev DIR CODE NAME: a posyandu device named NAME, its enrolment request
# in $TRASH/DIR.pyq (not yet sent).
newdev() {
	"$P" --lang en --config "$CONF" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code "$2" \
		--name "$3" --admin ani >/dev/null &&
	dev "$1" enroll --district-key "$(cat key)" --request-out "$TRASH/$1.pyq" <"$TRASH/yes" >/dev/null
}
dev_id() { sv device list | sed -n "s/^\([0-9a-f]*\)	$1	.*/\1/p"; }
code() { curl -s -o /dev/null -w "%{http_code}\n" "$@"; }

N1='<script>alert(1)</script>'
N2='"><img src=x onerror=alert(1)>'
N3="Posyandu &<>\"' Melati"

test_expect_success 'setup: a district, two officers, three hostile posyandu names' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	sv officer add siti --role approver --password-file "$TRASH/pw.siti" >/dev/null &&
	sv officer add budi --password-file "$TRASH/pw.budi" >/dev/null &&
	newdev x1 P-0091 "$N1" && newdev x2 P-0092 "$N2" && newdev x3 P-0093 "$N3"
'

test_expect_success 'anyone enrols them over POST /v1/enrol (no sign-in); one is approved' '
	serve_on "$DS" "$TRASH/serve.log" &&
	for d in x1 x2 x3; do
		code --data-binary @"$TRASH/$d.pyq" "$URL/v1/enrol" || return 1
	done >codes &&
	test "$(grep -c "^20[0-9]$" codes)" = 3 &&
	sv device list >list && grep -q "	P-0091	pending	" list && grep -q "	P-0093	pending	" list &&
	sv device approve "$(dev_id P-0093)" >/dev/null
'

# curl_signin NAME PASSWORD-FILE JAR: the sign-in form, its cookie and token.
curl_signin() {
	curl -s -c "$3" -b "$3" "$URL/ui/login" >login.html &&
	t=$(sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p" login.html) &&
	curl -s -D signin.h -o /dev/null -w "%{http_code}\n" -c "$3" -b "$3" --data-urlencode "csrf=$t" \
		--data-urlencode "name=$1" --data-urlencode "password=$(cat "$2")" "$URL/ui/login"
}
jar_session() { sed -n "s/.*	py_session	\([0-9a-f]*\)$/\1/p" "$1"; }

test_expect_success 'the raw HTML: each name escaped, no tag of theirs' '
	test "$(curl_signin siti "$TRASH/pw.siti" jar)" = 303 &&
	curl -s -b jar "$URL/ui/devices" >dev.html &&
	grep -qF "&lt;script&gt;alert(1)&lt;/script&gt;" dev.html &&
	grep -qF "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" dev.html &&
	grep -qF "Posyandu &amp;&lt;&gt;&quot;&#39; Melati" dev.html &&
	! grep -qi "<script" dev.html && ! grep -qi "<img" dev.html &&
	! grep -qF "$N3" dev.html &&
	test "$(grep -cF "Posyandu &amp;&lt;&gt;&quot;&#39; Melati" dev.html)" -ge 1
'

test_expect_success 'query strings are not reflected as markup' '
	for q in "month?m=%3Cscript%3Ealert(1)%3C/script%3E" "month.csv?m=%22%3E%3Cimg%20src=x%3E" \
		"trends?p=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E" "trends?m=%3Cscript%3E" \
		"sync?x=%3Cscript%3E" "nothing%3Cscript%3E"; do
		curl -s -b jar "$URL/ui/$q" >q.html || return 1
		! grep -qi "<script\|<img" q.html || { echo "reflected: $q"; cat q.html; return 1; }
	done
'

free_port() { python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])"; }
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
	BROWSER=yes
else
	BROWSER=
	say "# no chromium / chromedriver: the DOM checks are skipped (apt-get install chromium chromium-driver)"
fi
WDPORT=$(free_port)
test_expect_success 'the DOM: no element of theirs, each name read back as text' '
	[ -n "$BROWSER" ] || return 0
	$WD serve "$WDPORT" >"$TRASH/wd.log" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
	export WD_URL="http://127.0.0.1:$WDPORT"
	tries=100
	while [ $tries -gt 0 ] && ! curl -sf "$WD_URL/status" >/dev/null; do sleep 0.1; tries=$((tries - 1)); done
	WD_SID=$($WD start 1280 900 en) && export WD_SID && [ -n "$WD_SID" ] &&
	$WD go "$URL/ui/login" && $WD fill "#name" siti && $WD fill "#password" "$(cat "$TRASH/pw.siti")" &&
	$WD click "#signin" && $WD go "$URL/ui/devices" &&
	test "$($WD count "script")" = 0 && test "$($WD count "img")" = 0 &&
	test "$($WD count "[onerror]")" = 0 &&
	test "$($WD text "tr[data-id=\"$(dev_id P-0091)\"] td:nth-child(2)")" = "$N1" &&
	test "$($WD text "tr[data-id=\"$(dev_id P-0092)\"] td:nth-child(2)")" = "$N2" &&
	test "$($WD text "table[data-status=approved] tr[data-id=\"$(dev_id P-0093)\"] td:nth-child(2)")" = "$N3" &&
	$WD go "$URL/ui/trends?p=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E" &&
	test "$($WD count "img")" = 0 && test "$($WD count "script")" = 0
'
test_expect_success 'the browser is let go' '[ -z "$BROWSER" ] || $WD stop'

test_expect_success 'without TLS the cookies carry no Secure flag' '
	curl -s -D h -o /dev/null "$URL/ui/login" &&
	grep -qi "^set-cookie: py_login=" h && ! grep -qi "^set-cookie:.*secure" h &&
	test "$(curl_signin budi "$TRASH/pw.budi" jarb)" = 303 &&
	grep -qi "^set-cookie: py_session=[0-9a-f]\{64\}; Path=/ui/; HttpOnly; SameSite=Strict" signin.h &&
	! grep -qi "^set-cookie:.*secure" signin.h &&
	! grep -qi "^strict-transport-security" signin.h
'

# Fixation: an attacker who can put a cookie in the officer's browser (her
# own valid session, or a token of her choosing) must not find the
# officer's session under it after the officer signs in. (With a valid
# session the browser is sent on from /ui/login, so the cookie is planted
# after the form was fetched, as a script on a sibling host could.)
# plant JAR TOKEN: a py_session cookie for /ui/ in the curl cookie jar JAR.
plant() { printf "127.0.0.1\tFALSE\t/ui/\tFALSE\t0\tpy_session\t%s\n" "$2" >>"$1"; }
# signin_planted NAME PASSWORD-FILE JAR TOKEN: curl_signin with TOKEN planted.
signin_planted() {
	curl -s -c "$3" "$URL/ui/login" >login.html &&
	t=$(sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p" login.html) &&
	plant "$3" "$4" &&
	curl -s -D signin.h -o /dev/null -w "%{http_code}\n" -c "$3" -b "$3" --data-urlencode "csrf=$t" \
		--data-urlencode "name=$1" --data-urlencode "password=$(cat "$2")" "$URL/ui/login"
}
test_expect_success 'sign-in never keeps the session cookie the browser brought; it ends it' '
	planted=$(jar_session jarb) && test ${#planted} = 64 &&
	test "$(code -b "py_session=$planted" "$URL/ui/month")" = 200 &&
	test "$(signin_planted siti "$TRASH/pw.siti" jarf "$planted")" = 303 &&
	grep -qi "^set-cookie: py_session=[0-9a-f]\{64\};" signin.h &&
	new=$(jar_session jarf) && test ${#new} = 64 && test "$new" != "$planted" &&
	curl -s -b "py_session=$new" "$URL/ui/devices" | grep -q "name=\"fpr\"" &&
	test "$(code -b "py_session=$planted" "$URL/ui/devices")" = 303 &&
	forged=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef &&
	test "$(signin_planted siti "$TRASH/pw.siti" jarg "$forged")" = 303 &&
	new=$(jar_session jarg) && test ${#new} = 64 && test "$new" != "$forged" &&
	test "$(code -b "py_session=$forged" "$URL/ui/month")" = 303
'

test_expect_success 'sign-out: a GET does nothing, a POST needs the CSRF token' '
	s=$(jar_session jarf) &&
	code -b "py_session=$s" "$URL/ui/logout" >c && test "$(cat c)" = 404 &&
	test "$(code -b "py_session=$s" "$URL/ui/month")" = 200 &&
	test "$(code -b "py_session=$s" -X POST "$URL/ui/logout")" = 403 &&
	test "$(code -b "py_session=$s" --data "csrf=00" "$URL/ui/logout")" = 403 &&
	test "$(code -b "py_session=$s" "$URL/ui/month")" = 200 &&
	curl -s -b "py_session=$s" "$URL/ui/month" >m.html &&
	t=$(sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p" m.html | head -1) &&
	test ${#t} = 64 &&
	test "$(code -b "py_session=$s" --data "csrf=$t" "$URL/ui/logout")" = 303 &&
	test "$(code -b "py_session=$s" "$URL/ui/month")" = 303
'

test_expect_success 'DNS rebinding: without TLS a non-loopback Host is refused' '
	test "$(code -H "Host: evil.example:${URL##*:}" "$URL/ui/login")" = 403 &&
	test "$(code -H "Host: 127.0.0.1.evil.example" "$URL/ui/login")" = 403 &&
	test "$(code -H "Host: localhost:${URL##*:}" "$URL/ui/login")" = 200 &&
	test "$(code "$URL/ui/login")" = 200 &&
	test "$(code -H "Host: evil.example" "$URL/v1/key")" = 200
'

test_expect_success 'one name'"'"'s wrong tries do not lock out the other officers' '
	printf "wrong wrong wrong\n" >"$TRASH/pw.bad" &&
	for i in 1 2 3 4 5 6; do curl_signin nobody "$TRASH/pw.bad" jarn || return 1; done >codes &&
	grep -q "^429$" codes &&
	test "$(curl_signin budi "$TRASH/pw.budi" jarok)" = 303
'

test_expect_success 'on loopback the address is shared: new names there do not keep the officers out' '
	for i in $(seq 1 26); do curl_signin "x$i" "$TRASH/pw.bad" jarx || return 1; done >codes &&
	test "$(grep -c "^401$" codes)" = 26 &&
	test "$(curl_signin budi "$TRASH/pw.budi" jarok2)" = 303
'

# officer passwd: on a fresh server (the sign-in rate limit is per process;
# sessions are in the store and survive the restart).
printf 'siti has a new one now\n' >"$TRASH/pw.siti2"
test_expect_success 'officer passwd: a new password, her sessions ended, her role kept, audited' '
	serve_stop && serve_on "$DS" "$TRASH/serve2.log" &&
	test "$(curl_signin budi "$TRASH/pw.budi" jarb2)" = 303 &&
	s=$(jar_session jarg) && b=$(jar_session jarb2) &&
	test "$(code -b "py_session=$s" "$URL/ui/month")" = 200 &&
	sv officer passwd siti --password-file "$TRASH/pw.siti2" >out &&
	grep -qx "Officer siti: password changed; her sessions are ended" out &&
	test "$(code -b "py_session=$s" "$URL/ui/month")" = 303 &&
	test "$(code -b "py_session=$b" "$URL/ui/month")" = 200 &&
	test "$(curl_signin siti "$TRASH/pw.siti" jarp)" = 401 &&
	test "$(curl_signin siti "$TRASH/pw.siti2" jarp)" = 303 &&
	curl -s -b jarp "$URL/ui/devices" | grep -q "name=\"fpr\"" &&
	sv officer list >out && grep -qx "siti	approver" out &&
	{ pg_mode && pg_skip "the audit log read by the device program on the SQLite file" || {
	"$P" --lang en --config "$CONF" --data "$DS" --user district --pin-file "$TRASH/pass" \
		audit >audit.txt 2>&1 && grep -q "officer siti: password changed, her sessions ended" audit.txt; }; }
'

test_expect_success 'officer passwd: never from argv; unknown officer; short password; a forged row' '
	test_exit 2 sv officer passwd siti "siti has a new one now" 2>err &&
	test_exit 2 sv officer passwd siti --role viewer --password-file "$TRASH/pw.siti2" 2>err &&
	test_exit 2 sv officer passwd 2>err &&
	test_must_fail sv officer passwd nobody --password-file "$TRASH/pw.siti2" 2>err &&
	grep -q "no officer nobody" err &&
	printf "short\n" >short && test_must_fail sv officer passwd budi --password-file short 2>err &&
	grep -q "10 to 256" err &&
	district_sql "$DS" "UPDATE officers SET role = 2 WHERE name = '"'"'budi'"'"'" &&
	test_must_fail sv officer passwd budi --password-file "$TRASH/pw.siti2" 2>err &&
	grep -q "MAC" err &&
	test "$(district_sql "$DS" "SELECT role FROM officers WHERE name = '"'"'budi'"'"'")" = 2 &&
	test "$(curl_signin budi "$TRASH/pw.budi" jarq)" = 401
'

test_expect_success 'a client not on loopback: no page without TLS, the sync door answers' '
	serve_stop
	ip=$(hostname -I 2>/dev/null | tr " " "\n" | grep -E "^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$" |
		grep -v "^127\." | head -1)
	if [ -z "$ip" ]; then
		say "# skipped: this machine has no IPv4 address but loopback (hostname -I)"
		return 0
	fi
	"$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" serve --listen 0.0.0.0:0 \
		>any.out 2>any.log &
	APID=$!
	SERVER_PIDS="$SERVER_PIDS $APID"
	tries=200
	while [ $tries -gt 0 ] && ! grep -q "listening on" any.out 2>/dev/null; do sleep 0.05; tries=$((tries - 1)); done
	port=$(sed -n "s/^posyandu-server: listening on http:\/\/0\.0\.0\.0:\([0-9]*\)$/\1/p" any.out) &&
	test -n "$port" &&
	code "http://$ip:$port/ui/login" >c && test "$(cat c)" = 403 &&
	code "http://$ip:$port/ui/month" >c && test "$(cat c)" = 403 &&
	code --data "csrf=x&name=siti&password=x" "http://$ip:$port/ui/login" >c && test "$(cat c)" = 403 &&
	code "http://$ip:$port/ui/style.css" >c && test "$(cat c)" = 403 &&
	code "http://$ip:$port/v1/key" >c && test "$(cat c)" = 200 &&
	code "http://127.0.0.1:$port/ui/login" >c && test "$(cat c)" = 200
	rc=$?
	kill $APID 2>/dev/null; wait $APID 2>/dev/null
	return $rc
'

test_expect_success 'under TLS: Secure cookies, HSTS, and a client not on loopback is served' '
	if ! command -v openssl >/dev/null; then say "# skipped: no openssl"; return 0; fi
	ip=$(hostname -I 2>/dev/null | tr " " "\n" | grep -E "^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$" |
		grep -v "^127\." | head -1)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
		-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1${ip:+,IP:$ip}" \
		-keyout tls.key -out tls.crt 2>/dev/null &&
	"$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" serve --listen 0.0.0.0:0 \
		--tls-cert tls.crt --tls-key tls.key >tls.out 2>tls.log &
	TPID=$!
	SERVER_PIDS="$SERVER_PIDS $TPID"
	tries=200
	while [ $tries -gt 0 ] && ! grep -q "listening on" tls.out 2>/dev/null; do sleep 0.05; tries=$((tries - 1)); done
	port=$(sed -n "s/^posyandu-server: listening on https:\/\/0\.0\.0\.0:\([0-9]*\)$/\1/p" tls.out) &&
	test -n "$port" && URL=https://127.0.0.1:$port &&
	curl -s --cacert tls.crt -D h -o /dev/null "$URL/ui/login" &&
	grep -qi "^set-cookie: py_login=[0-9a-f]*; Path=/ui/; HttpOnly; SameSite=Strict; Secure" h &&
	grep -qi "^strict-transport-security: max-age=" h &&
	t=$(curl -s --cacert tls.crt -c jart "$URL/ui/login" |
		sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p") &&
	curl -s --cacert tls.crt -D h -o /dev/null -b jart --data-urlencode "csrf=$t" \
		--data-urlencode "name=siti" --data-urlencode "password=$(cat "$TRASH/pw.siti2")" "$URL/ui/login" &&
	grep -qi "^set-cookie: py_session=[0-9a-f]\{64\}; Path=/ui/; HttpOnly; SameSite=Strict; Secure" h &&
	{ [ -z "$ip" ] || test "$(code --cacert tls.crt "https://$ip:$port/ui/login")" = 200; } &&
	{ [ -z "$ip" ] || {
		# a client not on loopback: new names buy no tries (20 a minute,
		# refilled at that rate: one more per 3 s the loop takes, as
		# each wrong password costs an Argon2id check, slow on a busy
		# machine)
		t0=$(date +%s)
		for i in $(seq 1 24); do
			t=$(curl -s --cacert tls.crt -c jarn "https://$ip:$port/ui/login" |
				sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p") &&
			curl -s --cacert tls.crt -o /dev/null -w "%{http_code}\n" -b jarn \
				--data-urlencode "csrf=$t" --data-urlencode "name=y$i" \
				--data-urlencode "password=wrong wrong wrong" "https://$ip:$port/ui/login" || return 1
		done >codes &&
		refill=$((($(date +%s) - t0) / 3 + 1)) &&
		test "$(grep -c "^401$" codes)" -le $((20 + refill)) &&
		test "$(grep -c "^429$" codes)" -ge $((4 - refill)) &&
		head -5 codes | grep -qvx 429; }; }
	rc=$?
	kill $TPID 2>/dev/null; wait $TPID 2>/dev/null
	return $rc
'

test_expect_success 'the server log holds no password' '
	! grep -q "approves devices\|only looks here\|a new one now" "$TRASH/serve.log" \
		"$TRASH/serve2.log" any.log tls.log
'

test_done
