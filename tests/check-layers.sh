#!/bin/sh
# The layering of ARCHITECTURE.md, checked by the build: arrows point down only.
#   core/     no library header and no file or network I/O
#   storage/  the only place with sqlite3.h; no curses, curl or microhttpd
#   sync/     no sqlite3.h, no curses
#   app/      the use cases: no curses, no header of cli/, tui/ or server/
#   tui/      the only place with curses; no header of cli/ or server/
#   cli/      reaches tui/ only through tui/ui.h (no command: the screens)
#   server/   the district's main(): no curses, no header of cli/ or tui/
fail=0
bad() { echo "check-layers: $1" >&2; fail=1; }
inc() {     # files of the folders $2... that include a header matching $1
	pat=$1; shift
	for d in "$@"; do
		grep -lE "#include *[<\"]($pat)" "$d"/*.c "$d"/*.h 2>/dev/null
	done
}

# stdio.h is allowed in core/ for snprintf only; the I/O grep below catches the rest.
for f in $(inc 'sqlite3|sodium|ncurses|curses|form|menu|curl/|iniparser|dictionary|microhttpd|jansson|libintl|libpq' core); do
	bad "$f includes a library header (core/ is pure C)"
done
io=$(grep -nE '\b(fopen|fread|fwrite|fclose|fprintf|printf|puts|open|read|write|socket|getenv|time)\s*\(' core/*.c 2>/dev/null | grep -vE '^\S+:\s*(/\*|\*)')
[ -z "$io" ] || bad "core/ does I/O: $io"
for f in $(inc 'sqlite3' core sync app cli tui server); do
	bad "$f includes sqlite3.h (only storage/ talks to SQLite)"
done
for f in $(inc '(n?curses|form|menu)\.h' core storage sync app cli server); do
	bad "$f includes curses (only tui/ owns the terminal)"
done
for f in $(inc 'curl/|microhttpd' core storage app cli tui); do
	bad "$f includes a network library (only sync/ and server/ talk to the network)"
done
for f in $(inc '(app|cli|tui|server)/' core storage sync); do
	bad "$f includes a header from a layer above it"
done
for f in $(inc '(cli|tui|server)/' app); do
	bad "$f: app/ includes a front end's header"
done
for f in $(inc '(cli|server)/' tui); do
	bad "$f: tui/ includes a header of cli/ or server/"
done
for f in $(inc '(cli|tui)/' server); do
	bad "$f: server/ includes a header of cli/ or tui/"
done
for f in $(grep -lE '#include *"tui/' cli/*.c cli/*.h 2>/dev/null); do
	grep -E '#include *"tui/' "$f" | grep -qvE '#include *"tui/ui\.h"' &&
		bad "$f: cli/ reaches tui/ other than through tui/ui.h"
done
# storage/db.c keeps prepared statements (db_kept): a statement goes back
# with db_done; a sqlite3_finalize elsewhere would free one the table holds.
for f in $(grep -l 'sqlite3_finalize' storage/*.c 2>/dev/null); do
	[ "$f" = storage/db.c ] || bad "$f calls sqlite3_finalize (use db_done: storage/db.c keeps statements)"
done
# No source file over 900 lines: split it where its parts differ.
for f in core/*.[ch] storage/*.[ch] sync/*.[ch] app/*.[ch] cli/*.[ch] tui/*.[ch] server/*.[ch]; do
	[ -f "$f" ] || continue
	n=$(wc -l <"$f")
	[ "$n" -le 900 ] || bad "$f has $n lines (at most 900)"
done
[ $fail = 0 ] && echo "layers: ok (core pure, SQL only in storage, curses only in tui, app under cli/tui/server)"
exit $fail
