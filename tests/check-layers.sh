#!/bin/sh
# The layering of ARCHITECTURE.md, checked by the build: arrows point down only.
#   core/    no library header and no file or network I/O
#   storage/ the only place with sqlite3.h; no curses, curl or microhttpd
#   sync/    no sqlite3.h, no curses
#   tui/     the only place with curses
fail=0
bad() { echo "check-layers: $1" >&2; fail=1; }

# stdio.h is allowed in core/ for snprintf only; the I/O grep below catches the rest.
for f in $(grep -lE '#include *[<"](sqlite3|sodium|ncurses|curses|form|menu|curl/|iniparser|dictionary|microhttpd|jansson|libintl)' core/*.c core/*.h 2>/dev/null); do
	bad "$f includes a library header (core/ is pure C)"
done
io=$(grep -nE '\b(fopen|fread|fwrite|fclose|fprintf|printf|puts|open|read|write|socket|getenv|time)\s*\(' core/*.c 2>/dev/null | grep -vE '^\S+:\s*(/\*|\*)')
[ -z "$io" ] || bad "core/ does I/O: $io"
for f in $(grep -lE '#include *[<"]sqlite3' tui/* sync/* core/* 2>/dev/null); do
	bad "$f includes sqlite3.h (only storage/ talks to SQLite)"
done
for f in $(grep -lE '#include *[<"](n?curses|form|menu)\.h' storage/* sync/* core/* 2>/dev/null); do
	bad "$f includes curses (only tui/ owns the terminal)"
done
for f in $(grep -lE '#include *[<"](curl/|microhttpd)' storage/* core/* 2>/dev/null); do
	bad "$f includes a network library (only sync/ talks to the network)"
done
for f in $(grep -lE '#include *"(tui|sync)/' storage/* core/* 2>/dev/null; grep -lE '#include *"tui/' sync/* 2>/dev/null); do
	bad "$f includes a header from a layer above it"
done
[ $fail = 0 ] && echo "layers: ok (core pure, SQL only in storage, curses only in tui)"
exit $fail
