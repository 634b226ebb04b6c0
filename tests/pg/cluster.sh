#!/bin/sh
# tests/pg/cluster.sh: a throwaway PostgreSQL cluster for the tests (issue 16).
#   sh tests/pg/cluster.sh start DIR        make a cluster in DIR, start it, print its base URL
#   sh tests/pg/cluster.sh stop DIR         stop it (fast) and remove DIR
#   sh tests/pg/cluster.sh url DIR DBNAME   the libpq URI of database DBNAME
#   sh tests/pg/cluster.sh createdb DIR NAME   create database NAME (no error if it exists)
#   sh tests/pg/cluster.sh psql DIR DBNAME [psql options]   psql on it (-X -q -v ON_ERROR_STOP=1)
#   sh tests/pg/cluster.sh dbname DATADIR   the database name tests/pg/sv-pg.sh gives a --data folder
#   sh tests/pg/cluster.sh bindir           the newest PostgreSQL server binaries, or exit 1
#
# The cluster listens only on a Unix socket in DIR (listen_addresses = ''),
# port $POSYANDU_PG_PORT (54329): the port names the socket file, no TCP.
# Its data is DIR/data; trust authentication for the superuser "postgres"
# (the socket directory is the only way in); fsync stays on, because
# durability is part of what the product promises. PostgreSQL refuses to
# run as root: as root, initdb and pg_ctl run as Debian's "postgres" user
# and DIR is given to it.
set -u
PORT=${POSYANDU_PG_PORT:-54329}

die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

# The newest /usr/lib/postgresql/N/bin holding initdb (Debian keeps them off PATH).
bindir() {
	best="" bestv=0
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || continue
		v=${d#/usr/lib/postgresql/}; v=${v%%/*}
		case $v in *[!0-9]*|"") continue ;; esac
		[ "$v" -gt "$bestv" ] && { best=$d; bestv=$v; }
	done
	[ -n "$best" ] || return 1
	echo "$best"
}

need_bin() {
	BIN=$(bindir) || die "PostgreSQL not installed: apt-get install postgresql"
}

# Run a PostgreSQL server program as the right user.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root and there is no \"postgres\" user to run PostgreSQL as (apt-get install postgresql makes it)"
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# DIR as an absolute path with only characters a URI query may carry as they are.
absdir() {
	case $1 in /*) d=$1 ;; *) d=$(pwd)/$1 ;; esac
	case $d in *[!A-Za-z0-9/._-]*) die "$d: use a folder whose path has only letters, digits and / . _ -" ;; esac
	printf '%s\n' "$d"
}

url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres\n' "$2" "$1" "$PORT"; }

psql_in() {   # DIR DBNAME [psql options]
	d=$1 db=$2; shift 2
	command -v psql >/dev/null || { need_bin; PATH=$BIN:$PATH; }
	PGCONNECT_TIMEOUT=10 psql -X -q -v ON_ERROR_STOP=1 -h "$d" -p "$PORT" -U postgres -d "$db" "$@"
}

start() {
	need_bin
	d=$(absdir "$1")
	[ ! -e "$d/data" ] || die "$d/data exists: a cluster is there already (cluster.sh stop $d)"
	mkdir -p "$d" || die "cannot make $d"
	: >"$d/.posyandu-pg" || die "cannot write in $d"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$d" "$d/.posyandu-pg" || die "cannot give $d to the postgres user"
		chmod 0755 "$d"
		# The postgres user must reach DIR: every folder above it must let it pass.
		runuser -u postgres -- test -w "$d" ||
			die "the postgres user cannot write in $d: make the cluster in a folder it can reach (e.g. under /tmp)"
	fi
	as_pg "$BIN/initdb" -D "$d/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$d/initdb.log" 2>&1 ||
		{ cat "$d/initdb.log" >&2; die "initdb failed in $d/data"; }
	cat >>"$d/data/postgresql.conf" <<EOF

# tests/pg/cluster.sh: a throwaway cluster on a Unix socket only
listen_addresses = ''
unix_socket_directories = '$d'
unix_socket_permissions = 0777
port = $PORT
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 32MB
max_connections = 100
max_wal_size = 256MB
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
EOF
	as_pg "$BIN/pg_ctl" -D "$d/data" -l "$d/server.log" -w -t 60 start >/dev/null 2>&1 ||
		{ tail -n 20 "$d/server.log" >&2 2>/dev/null; die "pg_ctl start failed ($d/server.log)"; }
	url "$d" postgres
}

stop() {
	d=$(absdir "$1")
	[ -e "$d/.posyandu-pg" ] || die "$d is not a cluster made by cluster.sh start"
	if [ -f "$d/data/postmaster.pid" ]; then
		need_bin
		as_pg "$BIN/pg_ctl" -D "$d/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
			as_pg "$BIN/pg_ctl" -D "$d/data" -m immediate -w stop >/dev/null 2>&1 ||
			echo "cluster.sh: could not stop the cluster in $d" >&2
	fi
	rm -rf "$d"
}

createdb() {
	d=$(absdir "$1")
	case $2 in *[!a-z0-9_]*|"") die "database name \"$2\": use a-z, 0-9 and _" ;; esac
	out=$(psql_in "$d" postgres -c "CREATE DATABASE $2" 2>&1) && return 0
	case $out in *"already exists"*) return 0 ;; esac
	printf '%s\n' "$out" >&2
	die "cannot create database $2 in the cluster at $d"
}

# A folder's database: pyd_ and 20 hex digits of the SHA-256 of its absolute path.
dbname() {
	case $1 in /*) p=$1 ;; *) p=$(pwd)/$1 ;; esac
	p=$(realpath -m -- "$p") || die "realpath $1"
	printf 'pyd_%s\n' "$(printf '%s' "$p" | sha256sum | cut -c1-20)"
}

[ $# -ge 1 ] || die "usage: cluster.sh start|stop|url|createdb|psql|dbname|bindir ..."
cmd=$1; shift
case $cmd in
start)    [ $# = 1 ] || die "usage: cluster.sh start DIR"; start "$1" ;;
stop)     [ $# = 1 ] || die "usage: cluster.sh stop DIR"; stop "$1" ;;
url)      [ $# = 2 ] || die "usage: cluster.sh url DIR DBNAME"; url "$(absdir "$1")" "$2" ;;
createdb) [ $# = 2 ] || die "usage: cluster.sh createdb DIR NAME"; createdb "$1" "$2" ;;
psql)     [ $# -ge 2 ] || die "usage: cluster.sh psql DIR DBNAME [psql options]"
          d=$(absdir "$1") db=$2; shift 2; psql_in "$d" "$db" "$@" ;;
dbname)   [ $# = 1 ] || die "usage: cluster.sh dbname DATADIR"; dbname "$1" ;;
bindir)   bindir ;;
*)        die "unknown command \"$cmd\" (start|stop|url|createdb|psql|dbname|bindir)" ;;
esac
