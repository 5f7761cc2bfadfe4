#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster for tests and benchmarks.
#
#   eval "$(.ci/postgres.sh)"          # exports LAGEBILD_TEST_PG, LAGEBILD_PG_DIR, LAGEBILD_PG_STOP
#   .ci/postgres.sh stop DIR           # stop the cluster started in DIR and delete DIR
#
# The cluster runs as a non-root user (postgres when we are root), listens on 127.0.0.1 only, on a
# free port, with trust authentication (local throwaway use only), its data and socket in a temp dir.
# stdout carries only the `export ...` lines, so `eval "$(...)"` works; progress goes to stderr.
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
[ -x "$PGBIN/initdb" ] || { echo "postgres.sh: no PostgreSQL binaries in $PGBIN" >&2; exit 2; }

as_pg() {   # run a command as the cluster owner
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
    dir="${2:?usage: postgres.sh stop DIR}"
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    exit 0
fi

port="$(python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
)"

dir="$(mktemp -d /tmp/lagebild-pg.XXXXXX)"
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres lagebild >&2

url="postgresql://postgres@127.0.0.1:$port/lagebild"
echo "postgres.sh: PostgreSQL 15 at $url (data in $dir)" >&2
echo "export LAGEBILD_TEST_PG='$url'"
echo "export LAGEBILD_PG_DIR='$dir'"
echo "export LAGEBILD_PG_STOP='$0 stop $dir'"
