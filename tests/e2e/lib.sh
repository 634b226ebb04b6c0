# tests/e2e/lib.sh: helpers for end-to-end tests (git's t/test-lib.sh habits).
# Source it, write test_expect_success blocks, end with test_done.
#   test_expect_success 'what it shows' 'commands && chained'
#   test_must_fail CMD...   passes only on a controlled error exit (1 or 2)
#   tmux helpers: tui_start CMD..., send KEYS..., wait_for TEXT, screen, tui_stop
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)    # the project, before we cd away
: "${POSYANDU_BIN:=$(pwd)/posyandu}"
P=$POSYANDU_BIN
# The attack programs (tests/attack/attack.h), built by `make check`.
ATK=${ATTACK_DIR:-$SRCDIR/build/tests/attack}
export LC_ALL=C.UTF-8 TZ=Asia/Jakarta TERM=screen
unset POSYANDU_CONFIG POSYANDU_DATA XDG_CONFIG_HOME NO_COLOR
# The one clock (storage/clock.h): a test never asks `date` for today. When
# POSYANDU_NOW is not set it is fixed here to this instant, so the product
# and the test agree even across midnight; `make check POSYANDU_NOW=...`
# runs the whole suite on another day (CI runs more than one).
: "${POSYANDU_NOW:=$(date +%Y-%m-%dT%H:%M:%S)}"
export POSYANDU_NOW
TODAY_ISO=${POSYANDU_NOW%%T*}
# tdate [RELATIVE [FORMAT]]: a day relative to the clock's today, e.g.
#   tdate "-3 months" +%d-%m-%Y        (GNU date arithmetic on TODAY_ISO)
tdate() { date -d "$TODAY_ISO ${1:-}" "${2:-+%Y-%m-%d}"; }
# tmonth N DAY [FORMAT]: day DAY of the month N months from the clock's
# month (N = -1: last month), so "last month" is never this month on the 31st.
tmonth() { dshift "${TODAY_ISO%-*}-01" "$1 months +$(($2 - 1)) days" "${3:-+%Y-%m-%d}"; }
# dshift DATE RELATIVE [FORMAT]: calendar arithmetic on a fixed DATE (ISO);
# it never reads today.
dshift() { date -d "$1 $2" "${3:-+%Y-%m-%d}"; }
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/posyandu-e2e.XXXXXX")
export HOME="$TRASH/home"
mkdir -p "$HOME"
cd "$TRASH" || exit 1
SOCK="posyandu-test-$$"
test_count=0
test_failed=0
test_cleanups=""

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	for p in $SERVER_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$TRASH"
}
trap cleanup EXIT

# serve_on DATA LOG [serve options]: posyandu-server serve on a free port of
# 127.0.0.1 for the district store in DATA (config $CONF, passphrase in
# $TRASH/pass); sets URL and SPID, and stops it at the end of the test.
# serve_stop stops it before.
SERVER_PIDS=""
serve_on() {
	data=$1 log=$2; shift 2
	"${SV:-$(dirname "$P")/posyandu-server}" --config "$CONF" --data "$data" \
		--pin-file "$TRASH/pass" serve --listen 127.0.0.1:0 "$@" >"$log.out" 2>"$log" &
	SPID=$!
	SERVER_PIDS="$SERVER_PIDS $SPID"
	tries=200
	while [ $tries -gt 0 ]; do
		grep -q "listening on" "$log.out" 2>/dev/null && break
		kill -0 $SPID 2>/dev/null || { cat "$log"; return 1; }
		sleep 0.05
		tries=$((tries - 1))
	done
	URL=$(sed -n 's/^posyandu-server: listening on //p' "$log.out")
	[ -n "$URL" ]
}
serve_stop() { kill $SPID 2>/dev/null; wait $SPID 2>/dev/null; :; }

# ---- the district's store: SQLite (the default) or PostgreSQL (PG mode) ----
# In PG mode (tests/run.sh e2e-pg, issue 16) POSYANDU_PG_DIR is the test
# cluster (tests/pg/cluster.sh) and $SV is tests/pg/sv-pg.sh, which gives
# each --data folder its own database. A step that reads or tampers with
# the district's store directly goes through these, so it works on both:
#   pg_mode                      true in PG mode
#   district_sql DIR SQL         run SQL on the store of the district folder
#                                DIR; rows tab-separated, no header (SQL in
#                                the common dialect: no X'..' literals,
#                                quote the column "user")
#   district_has_store DIR       the store of DIR was made (SQLite: the file;
#                                PostgreSQL: the meta table)
#   pg_skip WHY                  print why a SQLite-only step is skipped here
PGC="$SRCDIR/tests/pg/cluster.sh"
pg_mode() { [ -n "${POSYANDU_PG_DIR:-}" ]; }
district_sql() {
	if pg_mode; then
		sh "$PGC" psql "$POSYANDU_PG_DIR" "$(sh "$PGC" dbname "$1")" -At -F "	" -c "$2"
	else
		sqlite3 -bail -batch -separator "	" "$1/posyandu.db" "$2"
	fi
}
district_has_store() {
	if pg_mode; then
		test "$(district_sql "$1" "SELECT count(*) FROM pg_tables WHERE tablename = 'meta'" 2>/dev/null)" = 1
	else
		test -e "$1/posyandu.db"
	fi
}
pg_skip() { say "# skipped in PG mode: $*"; }

# flip_byte FILE OFFSET: changes the byte at OFFSET to another value (adds
# one to it), so a test of tampering never writes the value already there
# (a fixed 0x01 left the file as it was once in 256 runs).
flip_byte() {
	_b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d " ") && test -n "$_b" &&
		printf "\\$(printf %o $(((_b + 1) % 256)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

say() { printf '%s\n' "$*"; }

test_expect_success() {
	test_count=$((test_count + 1))
	# In this shell (not a subshell), so a test can start a tmux server that
	# the next test uses; a function, so a test may "return 1".
	if test_run_body_ "$2" >"$TRASH/out.$test_count" 2>&1; then
		say "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/out.$test_count"
		if [ -f "$TRASH/screen" ]; then
			say "#   last screen:"
			sed 's/^/#   | /' "$TRASH/screen"
		fi
	fi
	rm -f "$TRASH/screen"
}

test_run_body_() {
	eval "$1"
}

test_done() {
	say "# passed $((test_count - test_failed)) failed $test_failed"
	[ "$test_failed" = 0 ]
}

test_must_fail() {
	"$@"
	rc=$?
	if [ $rc = 0 ]; then
		echo "test_must_fail: command succeeded: $*"
		return 1
	elif [ $rc -gt 128 ]; then
		echo "test_must_fail: command crashed (exit $rc): $*"
		return 1
	fi
	return 0
}

# Expect exit status $1 from the command that follows.
test_exit() {
	want=$1
	shift
	"$@"
	rc=$?
	[ $rc = "$want" ] || { echo "exit $rc, wanted $want: $*"; return 1; }
}

# A fixed, modest Argon2id cost so tests spend their time on behaviour.
write_test_config() {
	printf '[posyandu]\ndesa = Sukamaju\n[security]\nargon2_mem_mib = 32\nargon2_ops = 2\n' >"$1"
}

# ---- tmux ----
TUI_N=0
tui_start() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	TUI_N=$((TUI_N + 1))
	SOCK="posyandu-test-$$-$TUI_N"     # a fresh server: no race with the old one
	tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 \
		"env LC_ALL=$LC_ALL TERM=$TERM TZ=$TZ HOME=$HOME POSYANDU_NOW=$POSYANDU_NOW $*; sleep 30" || return 1
	tmux -L "$SOCK" set-option -g remain-on-exit on >/dev/null 2>&1
}

send() { tmux -L "$SOCK" send-keys "$@"; }
# Type literal text (no key-name lookup).
type_text() { tmux -L "$SOCK" send-keys -l "$1"; }

screen() { tmux -L "$SOCK" capture-pane -p >"$TRASH/screen" 2>/dev/null; cat "$TRASH/screen"; }

# Poll the screen every 50 ms for TEXT (a fixed string), up to ${2:-10} s.
wait_for() {
	tries=$(( ${2:-10} * 20 ))
	while [ $tries -gt 0 ]; do
		tmux -L "$SOCK" capture-pane -p >"$TRASH/screen" 2>/dev/null
		grep -qF -- "$1" "$TRASH/screen" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	echo "wait_for: \"$1\" did not appear"
	return 1
}

# The screen must not show TEXT now.
refute_screen() {
	tmux -L "$SOCK" capture-pane -p >"$TRASH/screen" 2>/dev/null
	! grep -qF -- "$1" "$TRASH/screen" || { echo "screen shows \"$1\""; return 1; }
}

tui_stop() { tmux -L "$SOCK" kill-server 2>/dev/null; return 0; }
