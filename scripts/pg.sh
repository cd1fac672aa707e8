#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from Debian's packages, on loopback, for the tests, make cluster and make bench.
#   scripts/pg.sh start DIR PORT   creates the cluster in DIR if it is not there, starts it on 127.0.0.1:PORT and prints
#                                  the connection string of its superuser cms (trust on loopback: never for production)
#   scripts/pg.sh stop DIR         stops it (the data stays in DIR; delete DIR to drop it)
# Databases are created UTF-8 with the C collation, as Cms requires (text sorts by code point, as on SQLite).
# As root the server runs as the postgres user (initdb refuses root).
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[[ "$cmd" =~ ^(start|stop)$ && -n "$dir" ]] || { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: sudo apt-get install -y postgresql" >&2; exit 1; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
if [ "$cmd" = stop ]; then
  [ -f "$dir/PG_VERSION" ] && as "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  exit 0
fi
port=${3:?usage: $0 start DIR PORT}
[[ "$port" =~ ^[0-9]{1,5}$ ]] || { echo "PORT must be a number" >&2; exit 2; }
if [ ! -f "$dir/PG_VERSION" ]; then
  as "$bin/initdb" -D "$dir" -U cms --auth=trust --encoding=UTF8 --locale=C >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
fi
if ! as "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  # durability settings are the server's defaults unless PG_FAST=1 (tests: fsync off, nothing survives a machine crash)
  extra=""
  [ "${PG_FAST:-0}" = 1 ] && extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as "$bin/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=400 -c shared_buffers=128MB $extra" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; exit 1; }
fi
echo "Host=127.0.0.1;Port=$port;Username=cms;Database=postgres"
