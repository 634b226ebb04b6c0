#!/bin/sh
# tests/pg/sv-pg.sh: posyandu-server with its store on the test cluster's
# PostgreSQL, for the e2e tests in PG mode (tests/run.sh e2e-pg sets it as
# POSYANDU_SERVER_BIN). The tests stay as they are: each --data DIR they
# name gets its own database (cluster.sh dbname: a hash of DIR's absolute
# path), created at first use, and the real server runs with
#   --store postgresql:///DB?host=CLUSTER&port=PORT&user=postgres
# before the command; --data DIR still holds the process's own files.
# Environment: POSYANDU_PG_DIR (the cluster, cluster.sh start),
# POSYANDU_SERVER_REAL (the real posyandu-server).
# Without --data (--help, --version), or with a --store already given, the
# arguments go to the real server as they are.
set -u
here=$(dirname "$0")
: "${POSYANDU_PG_DIR:?sv-pg.sh: POSYANDU_PG_DIR (the test cluster) is not set}"
: "${POSYANDU_SERVER_REAL:?sv-pg.sh: POSYANDU_SERVER_REAL (the real posyandu-server) is not set}"

# The global options before the command: --data, and whether --store is there.
data="" store="" want=""
for a in "$@"; do
	if [ -n "$want" ]; then
		[ "$want" = data ] && data=$a
		[ "$want" = store ] && store=$a
		want=""
		continue
	fi
	case $a in
	--data=*) data=${a#--data=} ;;
	--store=*) store=${a#--store=} ;;
	--data) want=data ;;
	--store) want=store ;;
	--config|--pin-file|--pin-fd) want=other ;;
	--*) ;;
	*) break ;;     # the command: what follows is its own
	esac
done
if [ -z "$data" ] || [ -n "$store" ]; then
	exec "$POSYANDU_SERVER_REAL" "$@"
fi

db=$(sh "$here/cluster.sh" dbname "$data") || exit 1
made=$POSYANDU_PG_DIR/made
if [ ! -e "$made/$db" ]; then
	sh "$here/cluster.sh" createdb "$POSYANDU_PG_DIR" "$db" || exit 1
	mkdir -p "$made" 2>/dev/null && : >"$made/$db"
	# Which folder a database stands for, for whoever reads the cluster later.
	printf '%s\t%s\n' "$db" "$(realpath -m -- "$data")" >>"$POSYANDU_PG_DIR/databases" 2>/dev/null
fi
exec "$POSYANDU_SERVER_REAL" --store "$(sh "$here/cluster.sh" url "$POSYANDU_PG_DIR" "$db")" "$@"
