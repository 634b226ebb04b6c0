# tests/pg/fleet.sh: many devices uploading to several posyandu-server
# processes (issue 16's load and kill tests, tests/e2e/t0670, t0675).
# Sourced after tests/e2e/lib.sh, in the test's folder ($TRASH).
#
#   fleet_district               a district on SQLite in $DS (config $CONF,
#                                passphrase $TRASH/pass, key in $TRASH/key)
#   fleet_devices N K            N devices (posyandu P-0001..; FLEET_PER_POSYANDU
#                                of them share a code), enrolled over HTTP
#                                and approved, K bundles each in out/N/K
#   fleet_migrate DIR URL        the SQLite store in DIR moved to PostgreSQL
#   start_sv NAME STORE-OPTS...  posyandu-server serve on a free port with
#                                --data $TRASH/NAME; sets URL_<NAME>, PID_<NAME>
#   upload_list FILE COPY...     the uploads: bundle k of every device COPY_k
#                                times, in a fixed shuffled order
#   upload_run LIST OUT URL...   every upload in LIST, UPLOAD_PARALLEL (24) at a time (one curl),
#                                round robin over the URLs; the receipts in
#                                OUT/LINE, "code OUT/LINE" lines in OUT.codes
#   device_counts                per device (hex id): versions it made, sorted
#   store_counts STORE-OPTS...   per device: versions at the district, sorted
#   receipts_same OUT LIST       every copy of a bundle got the same receipt
SVR=${POSYANDU_SERVER_REAL:-$(dirname "$P")/posyandu-server}
PGC=$SRCDIR/tests/pg/cluster.sh
DS=$TRASH/district
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
# Every device of the fleet asks at once: no rate limit, room for all.
printf '[server]\nenrol_per_minute = 100000\nenrol_pending_total = 100000\n' >>"$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
now() { date +%s.%N; }
# note TEXT: a timing line, kept for the end of the test (note_show).
note() { echo "# $*"; echo "# $*" >>"$TRASH/notes"; }
note_show() { cat "$TRASH/notes" 2>/dev/null; :; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The district's program on the SQLite store in $DS, or with the global
# options given (--store URL --data DIR).
svs() { "$SVR" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }

start_sv() {
	name=$1; shift
	mkdir -p "$TRASH/$name"
	"$SVR" --config "$CONF" "$@" --pin-file "$TRASH/pass" serve --listen 127.0.0.1:0 \
		>"$TRASH/$name.out" 2>"$TRASH/$name.log" &
	pid=$!
	SERVER_PIDS="$SERVER_PIDS $pid"
	tries=400
	until grep -q "listening on" "$TRASH/$name.out" 2>/dev/null; do
		kill -0 $pid 2>/dev/null || { echo "server $name died:"; cat "$TRASH/$name.log"; return 1; }
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { echo "server $name: no \"listening on\" in 20 s"; return 1; }
		sleep 0.05
	done
	eval "URL_$name=\$(sed -n 's/^posyandu-server: listening on //p' \"\$TRASH/\$name.out\")"
	eval "PID_$name=$pid"
}

fleet_district() {
	svs init --code KAB-PROV --name "Dinkes Provinsi" >/dev/null && svs pubkey >"$TRASH/key"
}

fleet_devices() {
	n=$1 k=$2
	start_sv enrol --data "$DS" || return 1
	write_test_config "$TRASH/device.ini"
	printf '[sync]\nserver = %s\n' "$URL_enrol" >>"$TRASH/device.ini"
	t0=$(now)
	seq 1 "$n" | FLEET_CONF=$TRASH/device.ini FLEET_PIN=$TRASH/pin FLEET_KEY=$(cat "$TRASH/key") \
		FLEET_BUNDLES=$k FLEET_PER_POSYANDU=${FLEET_PER_POSYANDU:-1} POSYANDU_BIN=$P xargs -P 6 -n 1 sh "$SRCDIR/tests/pg/device.sh" || return 1
	note "$n devices, $k bundles each: $(elapsed "$t0") s"
	kill "$PID_enrol" && wait "$PID_enrol" 2>/dev/null
	t0=$(now)
	svs device list >devices && test "$(grep -c "	pending	" devices)" = "$n" &&
		cut -f1 devices | xargs -P 2 -n 20 sh -c 'sv=$0 conf=$1 ds=$2 pass=$3; shift 3; for id; do
			"$sv" --config "$conf" --data "$ds" --pin-file "$pass" device approve "$id" >/dev/null || exit 255
		done' "$SVR" "$CONF" "$DS" "$TRASH/pass" || return 1
	svs device list >devices && test "$(grep -c "	approved	" devices)" = "$n" &&
		note "$n approvals: $(elapsed "$t0") s"
}

fleet_migrate() {
	t0=$(now)
	"$SVR" --config "$CONF" --pin-file "$TRASH/pass" migrate --from "sqlite:$1" --to "$2" >migrate.out 2>&1 ||
		{ cat migrate.out; return 1; }
	note "migrate: $(elapsed "$t0") s"
}

upload_list() {
	list=$1; shift
	k=1
	for copies in "$@"; do
		for b in out/*/$k/*.pyb; do
			c=0
			while [ $c -lt "$copies" ]; do echo "$TRASH/$b"; c=$((c + 1)); done
		done
		k=$((k + 1))
	done | awk 'BEGIN { srand(16) } { printf "%.9f %s\n", rand(), $0 }' | sort | cut -d" " -f2 >"$list"
}

upload_run() {
	list=$1 out=$2; shift 2
	mkdir -p "$out"
	awk -v out="$out" -v urls="$*" 'BEGIN { n = split(urls, u, " ") }
		{ if (NR > 1) print "next"
		  printf "url = \"%s/v1/bundles\"\ndata-binary = \"@%s\"\noutput = \"%s/%d\"\n", u[(NR - 1) % n + 1], $0, out, NR
		  printf "header = \"Content-Type: application/octet-stream\"\nmax-time = 120\nsilent\nshow-error\n"
		  printf "write-out = \"%%{http_code} %%{filename_effective}\\n\"\n" }' "$list" >"$out.curl"
	curl -sS --parallel --parallel-max "${UPLOAD_PARALLEL:-24}" -K "$out.curl" >"$out.codes" 2>"$out.err"
	:
}

# Every line of LIST was answered 200 (codes in OUT.codes).
uploads_ok() {
	test "$(grep -c "^200 " "$1.codes")" = "$(wc -l <"$2")" ||
		{ echo "uploads: $(cut -d" " -f1 "$1.codes" | sort | uniq -c | tr "\n" " ")"; head -n 5 "$1.err"; return 1; }
}

device_counts() {
	for d in dev/*/posyandu.db; do
		sqlite3 -separator " " "$d" "SELECT hex(device), count(*) FROM versions GROUP BY device" || return 1
	done | sort
}

# STORE: sqlite:DIR or a postgresql:// URL.
store_counts() {
	case $1 in
	sqlite:*) sqlite3 -separator " " "${1#sqlite:}/posyandu.db" \
			"SELECT hex(device), count(*) FROM versions GROUP BY device" ;;
	*) psql -X -q -At -F " " "$1" -c "SELECT upper(encode(device, 'hex')), count(*) FROM versions GROUP BY device" ;;
	esac | sort
}
# What the store holds twice, as "VERSIONS BUNDLES": versions beyond the
# number the devices made (device_counts: WANT), bundles recorded beyond the
# bundle files. "0 0" unless an import was stored twice (the unique keys
# would stop a second copy of a version, not a second import of a bundle).
store_dups() {
	sent=$(awk '{ s += $2 } END { print s + 0 }' "$2") files=$(ls out/*/*/*.pyb | wc -l)
	case $1 in
	sqlite:*) q() { sqlite3 "${1#sqlite:}/posyandu.db" "$2"; } ;;
	*) q() { psql -X -q -At "$1" -c "$2"; } ;;
	esac
	echo $(($(q "$1" "SELECT count(*) FROM versions") - sent)) \
		$(($(q "$1" "SELECT count(*) FROM sync_bundles") - files))
}

# Each bundle's copies in LIST were answered with byte-identical receipts.
receipts_same() {
	out=$1 list=$2
	awk -v out="$out" '{ if ($0 in first) print out "/" first[$0], out "/" NR; else first[$0] = NR }' "$list" |
	while read -r a b; do
		cmp -s "$a" "$b" || { echo "receipts differ: $a $b ($(sed -n "${b##*/}p" "$list"))"; return 1; }
	done
}
