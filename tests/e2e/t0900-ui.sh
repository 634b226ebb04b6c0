#!/bin/sh
# The officers' web interface (issue 17, posyandu-server(8) WEB
# INTERFACE) in a real browser: headless Chromium driven over W3C
# WebDriver (tests/helpers/webdriver.py, chromedriver). A district with
# three posyandu devices and a year of demo visits: two approved and
# imported, one pending. The month's table shows report monthly's figures
# and its CSV is report monthly's; each trend chart has one point per month;
# an approver approves the pending device after typing its fingerprint, and
# its bundle then imports; a viewer cannot approve; a POST without the CSRF
# token, and a cookie of a signed-out session, are refused; sign-in attempts
# are rate-limited.
#
# SCREENSHOTS=DIR (make screenshots): also a PNG of each page at 360 and
# 1280 px wide into DIR.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
WD="python3 $SRCDIR/tests/helpers/webdriver.py"
if ! [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || ! [ -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
	say "# skipped: no chromium / chromedriver (apt-get install chromium chromium-driver)"
	say "1..0 # SKIP no browser"
	exit 0
fi
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf 'y\n' >"$TRASH/yes"
printf 'siti approves devices\n' >"$TRASH/pw.siti"
printf 'budi only looks here\n' >"$TRASH/pw.budi"
DS=$TRASH/district
STICK=$TRASH/stick
mkdir -p "$STICK"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
newdev() { "$P" --lang en --config "$CONF" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code "$2" --name "Posyandu $1" --admin ani >/dev/null; }
enrol() {
	dev "$1" enroll --district-key "$(cat key)" --request-out "$STICK/$1.pyq" <"$TRASH/yes" >/dev/null &&
	sv device add "$STICK/$1.pyq" >/dev/null
}
dev_id() { sv device list | sed -n "s/^\([0-9a-f]*\)	$1	.*/\1/p"; }
dev_fpr() { sv device list | sed -n "s/^[0-9a-f]*	$1	[a-z]*	//p"; }
export_import() {
	dev "$1" export --to "$STICK" >out &&
	sv import "$(sed -n "s/^Bundle written: //p" out)" >out &&
	grep -q ": success: $2 " out
}
MON=$(tmonth -1 1 +%Y-%m)      # last month: the demo's visits end there

test_expect_success 'setup: a district, three posyandu with a year of visits, two imported' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	newdev d1 P-0001 && dev d1 demo --children 14 --months 12 --seed 3 >/dev/null &&
	newdev d2 P-0002 && dev d2 demo --children 10 --months 12 --seed 5 >/dev/null &&
	newdev d3 P-0003 && dev d3 demo --children 6 --months 12 --seed 7 >/dev/null &&
	enrol d1 && enrol d2 && enrol d3 &&
	sv device approve "$(dev_id P-0001)" >/dev/null && sv device approve "$(dev_id P-0002)" >/dev/null &&
	export_import d1 P-0001 && export_import d2 P-0002 &&
	sv device list | grep -q "	P-0003	pending	"
'

test_expect_success 'officer add: an approver and a viewer; the password is never in argv' '
	sv officer add siti --role approver --password-file "$TRASH/pw.siti" >out &&
	grep -q "Officer siti added (approver)" out &&
	sv officer add budi --password-file "$TRASH/pw.budi" >/dev/null &&
	sv officer list >out && grep -qx "siti	approver" out && grep -qx "budi	viewer" out &&
	test_must_fail sv officer add siti --password-file "$TRASH/pw.budi" 2>err &&
	grep -q "exists" err &&
	test_must_fail sv officer add "<b>x" --password-file "$TRASH/pw.budi" 2>/dev/null
'

test_expect_success 'serve: the interface answers, Indonesian by default, English on request' '
	serve_on "$DS" "$TRASH/serve.log" &&
	curl -s -o /dev/null -w "%{http_code} %{redirect_url}\n" "$URL/ui/month" >out &&
	grep -q "^303 .*/ui/login$" out &&
	curl -s -D h "$URL/ui/login" >page &&
	grep -q "lang=\"id\"" page && grep -q ">Masuk<" page &&
	grep -qi "^content-security-policy: default-src .none." h &&
	grep -qi "^set-cookie: py_login=[0-9a-f]*; Path=/ui/; HttpOnly; SameSite=Strict" h &&
	curl -s -H "Accept-Language: en-GB,en;q=0.9,id;q=0.5" "$URL/ui/login" >page &&
	grep -q ">Sign in<" page &&
	curl -s -H "Accept-Language: EN-US" "$URL/ui/login" | grep -q ">Sign in<" &&
	curl -s -H "Accept-Language: fr, id;q=0.9, en;q=0.8" "$URL/ui/login" | grep -q ">Masuk<" &&
	curl -s "$URL/ui/style.css" | grep -q "@media print"
'

# The browser: chromedriver on a free port, one session for the approver.
free_port() { python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])"; }
WDPORT=$(free_port)
test_expect_success 'a headless Chromium session' '
	port=$WDPORT
	$WD serve "$port" >"$TRASH/wd.log" 2>&1 &
	WDPID=$!
	SERVER_PIDS="$SERVER_PIDS $WDPID"
	export WD_URL="http://127.0.0.1:$port"
	tries=100
	while [ $tries -gt 0 ] && ! curl -sf "$WD_URL/status" >/dev/null; do sleep 0.1; tries=$((tries - 1)); done
	WD_SID=$($WD start 1280 900 id) && export WD_SID && [ -n "$WD_SID" ]
'

signin() {  # NAME PASSWORD-FILE in the browser
	$WD go "$URL/ui/login" && $WD fill "#name" "$1" && $WD fill "#password" "$(cat "$2")" &&
	$WD click "#signin" && $WD url >url && grep -q "/ui/month$" url || { cat url; $WD source; return 1; }
}

test_expect_success 'sign in: a session cookie, HttpOnly, and the month page' '
	signin siti "$TRASH/pw.siti" &&
	$WD cookie py_session >cookie && grep -qx "[0-9a-f]\{64\}" cookie &&
	$WD text h1 | grep -q "Ringkasan bulan"
'

test_expect_success 'the month: the table shows report monthly'"'"'s figures' '
	$WD go "$URL/ui/month?m=$MON" && $WD source >month.html &&
	sv report monthly --month "$MON" --format csv >r.csv &&
	python3 - month.html r.csv <<-\EOF
	import csv, sys
	from html.parser import HTMLParser
	class P(HTMLParser):
	    def __init__(s):
	        super().__init__(); s.rows = {}; s.code = None; s.k = None; s.inskdn = False
	    def handle_starttag(s, t, a):
	        a = dict(a)
	        if t == "table": s.inskdn = a.get("id") == "skdn"
	        if s.inskdn and t == "tr" and "data-code" in a: s.code = a["data-code"]; s.rows[s.code] = {}
	        if s.inskdn and t == "td" and "data-k" in a: s.k = a["data-k"]
	    def handle_data(s, d):
	        if s.k: s.rows[s.code][s.k] = d.strip(); s.k = None
	p = P(); p.feed(open(sys.argv[1]).read())
	rows = list(csv.DictReader(open(sys.argv[2])))
	assert len(rows) == 3 and len(p.rows) == 3, (rows, p.rows)
	for r in rows:
	    ui = p.rows[r["posyandu"]]
	    for k in ("S", "K", "D", "N", "BGM", "2T"):
	        assert ui[k] == r[k], (r["posyandu"], k, ui[k], r[k])
	    for k in ("D/S", "N/D"):
	        assert ui[k] == (r[k] or "-"), (r["posyandu"], k, ui[k], r[k])
	assert int(p.rows["district"]["S"]) > 0
	print("month ok", p.rows["district"])
	EOF
'

test_expect_success 'the month: its CSV download is report monthly'"'"'s CSV' '
	curl -s -b "py_session=$(cat cookie)" "$URL/ui/month.csv?m=$MON" >ui.csv &&
	cmp ui.csv r.csv
'

test_expect_success 'the month: each table downloads as CSV, cell for cell as shown' '
	curl -s -b "py_session=$(cat cookie)" -D h "$URL/ui/month.csv?m=$MON&t=skdn" >skdn.csv &&
	grep -qi "^content-disposition: attachment; filename=\"posyandu-$MON-skdn.csv\"" h &&
	curl -s -b "py_session=$(cat cookie)" "$URL/ui/month.csv?m=$MON&t=ilp" >ilp.csv &&
	curl -s -b "py_session=$(cat cookie)" "$URL/ui/month.csv?m=$MON&t=x%0d%0aSet-Cookie:a=b" -D h2 >x.csv &&
	cmp x.csv r.csv && ! grep -qi "^set-cookie: a=b" h2 &&
	python3 - month.html skdn.csv ilp.csv <<-\EOF
	import csv, sys
	from html.parser import HTMLParser
	class P(HTMLParser):
	    def __init__(s):
	        super().__init__(); s.t = None; s.rows = {"skdn": [], "ilp": []}; s.k = None
	    def handle_starttag(s, t, a):
	        a = dict(a)
	        if t == "table": s.t = a.get("id")
	        if s.t in s.rows and t == "tr" and "data-code" in a:
	            s.rows[s.t].append({"posyandu": a["data-code"], "group": a.get("data-group")})
	        if s.t in s.rows and t == "td" and "data-k" in a: s.k = a["data-k"]
	    def handle_data(s, d):
	        if s.k: s.rows[s.t][-1][s.k] = d.strip(); s.k = None
	p = P(); p.feed(open(sys.argv[1]).read())
	for name, path in (("skdn", sys.argv[2]), ("ilp", sys.argv[3])):
	    rows = list(csv.DictReader(open(path)))
	    ui = p.rows[name]
	    assert len(rows) == len(ui) > 0, (name, len(rows), len(ui))
	    for r, u in zip(rows, ui):
	        assert r["posyandu"] == u["posyandu"], (name, r, u)
	        if name == "ilp": assert r["group"] == u["group"], (r, u)
	        keys = [k for k in r if k not in ("month", "posyandu", "group")]
	        assert len(keys) == len([k for k in u if k not in ("posyandu", "group")]), (name, keys, u)
	        for k in keys:
	            assert (r[k] or "-") == u[k], (name, r["posyandu"], k, r[k], u[k])
	print("tables ok", len(p.rows["skdn"]), len(p.rows["ilp"]))
	EOF
'

# wide FILE-LESS: the number of tables whose right edge passes the page's.
WIDE='return [...document.querySelectorAll("table")].filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length'
test_expect_success 'the month on paper: every table whole on an A4 landscape page' '
	$WD size 1047 800 && $WD media print && $WD go "$URL/ui/month?m=$MON" &&
	$WD js "$WIDE" >wide.print && $WD count "form.who" >who.n &&
	$WD js "return getComputedStyle(document.querySelector(\"form.who\")).display" >who.print;
	$WD media screen; $WD go "$URL/ui/month?m=$MON" && $WD js "$WIDE" >wide.screen;
	$WD size 1280 900;
	test "$(cat wide.print)" = 0 && test "$(cat who.n)" = 1 && test "$(cat who.print)" = none &&
	test "$(cat wide.screen)" -gt 0
'

test_expect_success 'trends: each chart has one point per month, 12 months' '
	$WD go "$URL/ui/trends?m=$MON" &&
	test "$($WD count "svg.chart")" = 4 &&
	$WD attrs "figure:first-child svg circle[data-month]" data-month >months &&
	test "$(wc -l <months)" = 12 && test "$(sort -u months | wc -l)" = 12 &&
	test "$(tail -1 months)" = "$MON" &&
	test "$($WD count "figure:first-child svg circle.pt")" -ge 10 &&
	test "$($WD count "#trend tbody tr")" = 12 &&
	ds=$(sed -n "s/.*<tr data-code=\"district\" class=\"dist\">.*<td data-k=\"D\/S\"[^>]*>\([0-9.]*\)<.*/\1/p" month.html) &&
	test -n "$ds" &&
	test "$($WD attrs "figure:first-child svg circle.pt[data-month=\"$MON\"]" data-value)" = "$ds" &&
	$WD go "$URL/ui/trends?p=P-0002" && $WD text h1 | grep -q "P-0002" &&
	test "$($WD count "svg.chart circle[data-month]")" = 48
'

test_expect_success 'trends: any posyandu from the list, without script; an odd month shows this one' '
	$WD go "$URL/ui/trends?m=$MON" && $WD text h1 | grep -q "kabupaten" &&
	test "$($WD count "select#p option")" = 3 &&
	$WD click "select#p option:nth-of-type(3)" && $WD click "form.pick button" &&
	$WD text h1 | grep -q "P-0002" && $WD url | grep -q "p=P-0002" &&
	$WD source | grep -q "<option selected=\"\">P-0002</option>\|<option selected>P-0002</option>" &&
	test "$(curl -s -o /dev/null -w "%{http_code}" -b "py_session=$(cat cookie)" "$URL/ui/trends?m=1900-01")" = 200
'

test_expect_success 'sync status: each approved posyandu, its last bundle and receipt' '
	$WD go "$URL/ui/sync" &&
	test "$($WD count "#sync tr.none")" = 0 &&
	test "$($WD count "#sync tr[data-code]")" = 2 &&
	$WD text "#sync tr[data-code=P-0001]" | grep -q "$(tdate "" +%d-%m-%Y)"
'

ID3=$(dev_id P-0003)
test_expect_success 'devices: a wrong fingerprint changes nothing' '
	$WD go "$URL/ui/devices" &&
	$WD fill "tr[data-id=\"$ID3\"] input[name=fpr]" "1234 5678 9012 3456 7890 1234" &&
	$WD click "tr[data-id=\"$ID3\"] button" &&
	$WD text ".msg.bad" | grep -q "bukan sidik jari" &&
	$WD go "$URL/ui/devices" &&
	$WD fill "tr[data-id=\"$ID3\"] input[name=fpr]" "$(dev_fpr P-0003 | sed "s/ /x/")" &&
	$WD click "tr[data-id=\"$ID3\"] button" &&
	$WD text ".msg.bad" | grep -q "bukan sidik jari" &&
	sv device list | grep -q "	P-0003	pending	"
'

test_expect_success 'devices: a device waiting shows only the start of its fingerprint' '
	$WD go "$URL/ui/devices" &&
	f=$(dev_fpr P-0003) && row=$($WD text "table[data-status=pending] tr[data-id=\"$ID3\"]") &&
	echo "$row" | grep -qF "${f%% *}" && ! echo "$row" | grep -qF "$f" &&
	! $WD source | grep -qF "$(echo "$f" | cut -d" " -f2-)"
'

test_expect_success 'a POST without the CSRF token is refused' '
	curl -s -o /dev/null -w "%{http_code}\n" -b "py_session=$(cat cookie)" \
		--data "action=approve&id=$ID3&fpr=$(dev_fpr P-0003 | tr -d " ")" "$URL/ui/devices" >code &&
	test "$(cat code)" = 403 &&
	csrf=$($WD attrs "form.who input[name=csrf]" value) &&
	curl -s -o /dev/null -w "%{http_code}\n" -b "py_session=$(cat cookie)" \
		--data "action=approve&id=$ID3&fpr=1&csrf=${csrf}x" "$URL/ui/devices" >code &&
	test "$(cat code)" = 403 &&
	sv device list | grep -q "	P-0003	pending	"
'

curl_signin() {  # NAME PASSWORD-FILE JAR
	curl -s -c "$3" -b "$3" "$URL/ui/login" >login.html &&
	t=$(sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p" login.html) &&
	curl -s -o /dev/null -w "%{http_code}\n" -c "$3" -b "$3" --data-urlencode "csrf=$t" \
		--data-urlencode "name=$1" --data-urlencode "password=$(cat "$2")" "$URL/ui/login"
}
test_expect_success 'a viewer cannot approve a waiting device, even with its fingerprint' '
	test "$(curl_signin budi "$TRASH/pw.budi" jarv)" = 303 &&
	curl -s -b jarv "$URL/ui/devices" >dev.html && ! grep -q "name=\"fpr\"" dev.html &&
	t=$(sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p" dev.html | head -1) &&
	test ${#t} = 64 &&
	curl -s -o /dev/null -w "%{http_code}\n" -b jarv --data "csrf=$t&action=approve&id=$ID3&fpr=$(dev_fpr P-0003 | tr -d " ")" \
		"$URL/ui/devices" >code &&
	test "$(cat code)" = 403 && sv device list | grep -q "	P-0003	pending	"
'

test_expect_success 'devices: the approver approves after typing the fingerprint; it then imports' '
	$WD go "$URL/ui/devices" &&
	$WD fill "tr[data-id=\"$ID3\"] input[name=fpr]" "$(dev_fpr P-0003)" &&
	$WD click "tr[data-id=\"$ID3\"] button" &&
	$WD text ".msg.good" | grep -q "disetujui" &&
	sv device list | grep -q "	P-0003	approved	" &&
	test "$($WD count "table[data-status=approved] tr[data-id=\"$ID3\"]")" = 1 &&
	$WD go "$URL/ui/sync" && test "$($WD count "#sync tr.none[data-code=P-0003]")" = 1 &&
	export_import d3 P-0003 &&
	$WD go "$URL/ui/sync" && test "$($WD count "#sync tr.none")" = 0 &&
	{ pg_mode && pg_skip "the audit log read by the device program on the SQLite file" || {
	"$P" --lang en --config "$CONF" --data "$DS" --user district --pin-file "$TRASH/pass" \
		audit >audit.txt 2>&1 && grep -q "device approved by officer siti (web)" audit.txt &&
	grep -q "officer siti signs in" audit.txt; }; } &&
	$WD go "$URL/ui/month?m=$MON" && $WD source | grep -q "data-code=\"P-0003\""
'

# A viewer, with curl: the sign-in form, its cookie and token.
test_expect_success 'a viewer sees the devices but cannot approve or revoke' '
	test "$(curl_signin budi "$TRASH/pw.budi" jar)" = 303 &&
	curl -s -b jar "$URL/ui/devices" >dev.html &&
	grep -q "pembaca" dev.html && ! grep -q "name=\"fpr\"" dev.html &&
	t=$(sed -n "s/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p" dev.html | head -1) &&
	curl -s -o /dev/null -w "%{http_code}\n" -b jar --data "csrf=$t&action=revoke&id=$ID3&fpr=$(dev_fpr P-0003 | tr -d " ")" \
		"$URL/ui/devices" >code &&
	test "$(cat code)" = 403 && sv device list | grep -q "	P-0003	approved	"
'

test_expect_success 'kader training: the page and its CSV, as quiz report' '
	$WD go "$URL/ui/training" && $WD text h1 | grep -q "Pelatihan kader" &&
	curl -s -b "py_session=$(cat cookie)" "$URL/ui/training.csv" >t.csv &&
	sv quiz report --format csv >q.csv && cmp t.csv q.csv
'

test_expect_success 'screenshots (SCREENSHOTS=DIR only)' '
	[ -z "${SCREENSHOTS:-}" ] && return 0
	mkdir -p "$SCREENSHOTS" &&
	for w in 1280 360; do
		$WD size "$w" 900 || return 1
		for pg in month trends sync devices training; do
			$WD go "$URL/ui/$pg?m=$MON" && $WD shot "$SCREENSHOTS/$pg-$w.png" || return 1
		done
	done &&
	$WD size 1280 900
'

test_expect_success 'sign out: the old session cookie is refused' '
	$WD go "$URL/ui/month" && $WD click "form.who button" && $WD url | grep -q "/ui/login$" &&
	curl -s -o /dev/null -w "%{http_code}\n" -b "py_session=$(cat cookie)" "$URL/ui/month" >code &&
	test "$(cat code)" = 303 &&
	curl -s -o /dev/null -w "%{http_code}\n" -b "py_session=$(cat cookie)" \
		--data "action=x" "$URL/ui/devices" >code &&
	test "$(cat code)" = 403
'

test_expect_success 'sign-in attempts are rate-limited per address' '
	for i in 1 2 3 4 5 6; do curl_signin siti "$TRASH/pw.budi" jar2 >>codes; done &&
	grep -q "^401$" codes && test "$(tail -1 codes)" = 429
'

test_expect_success 'the server log holds no password' '
	$WD stop; serve_stop;
	! grep -q "approves devices" "$TRASH/serve.log"
'

# marks FILE TARGET-D/S TARGET-N/D: each D/S and N/D cell of the page FILE
# is marked below exactly when under its target, and the headers name the
# targets; prints "CODE/MONTH KEY VALUE CLASS" per cell.
marks() {
	python3 - "$@" <<-\EOF
	import re, sys
	html = open(sys.argv[1]).read(); t = {"D/S": float(sys.argv[2]), "N/D": float(sys.argv[3])}
	if 'id="skdn"' in html:
	    assert "D/S %%<br><small>target &ge; %d<" % t["D/S"] in html, "no D/S target"
	    assert "N/D %%<br><small>target &ge; %d<" % t["N/D"] in html, "no N/D target"
	for row in re.findall(r'<tr data-(?:code|month)="([^"]*)"[^>]*>(.*?)</tr>', html):
	    for k, cls, v in re.findall(r'<td data-k="(D/S|N/D)" class="(ok|below)">([0-9.]+)<', row[1]):
	        assert (cls == "below") == (float(v) < t[k]), (row[0], k, v, cls)
	        print(row[0], k, v, cls)
	EOF
}
test_expect_success '[report] target_ds and target_nd: a 90 is shown and moves the marks' '
	cp "$CONF" "$TRASH/c90.ini" && printf "[report]\ntarget_ds = 90\ntarget_nd = 90\n" >>"$TRASH/c90.ini" &&
	for c in "$CONF" "$TRASH/c90.ini"; do
		t=$(sed -n "s/^target_ds = //p" "$c"); t=${t:-80}
		conf0=$CONF; CONF=$c
		serve_on "$DS" "$TRASH/serve$t.log"; rc=$?; CONF=$conf0
		[ $rc = 0 ] || return 1
		: >marks$t
		for p in "month?m=$MON" "trends?m=$MON" "trends?p=P-0001" "trends?p=P-0002" "trends?p=P-0003"; do
			curl -s -H "Accept-Language: en" -b jar "$URL/ui/$p" >p$t.html &&
			marks p$t.html $t $t >>marks$t || { serve_stop; return 1; }
		done
		serve_stop
		test "$(wc -l <marks$t)" -ge 40 || return 1
		test "$(grep -o "<text[^>]*>target [0-9]*%</text>" p$t.html | sed "s/.*>target //" | sort -u)" \
			= "$t%</text>" || return 1
	done &&
	cut -d" " -f1-3 marks80 >v80 && cut -d" " -f1-3 marks90 >v90 && cmp v80 v90 &&
	awk "\$3 >= 80 && \$3 < 90" marks80 >between && cat between &&
	test -s between && ! grep -v " ok$" between &&
	test $(($(grep -c " below$" marks90) - $(grep -c " below$" marks80))) = "$(wc -l <between)"
'

test_done
