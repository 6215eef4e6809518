#!/usr/bin/env bash
# Starts a PostgreSQL 15 server of teeflow's own for the postgres state backend's tests: its own data
# directory and a port on 127.0.0.1 (never the system's cluster), password authentication for the role
# 'teeflow'. Idempotent: a running server is left as it is. Writes the connection to $dir/connection
# (url, user, password file), which the tests read; TEEFLOW_PG_DIR moves it (default /tmp/teeflow-postgres).
# As root the server runs as the 'postgres' user (runuser), as PostgreSQL refuses root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${TEEFLOW_PG_DIR:-/tmp/teeflow-postgres}"
bin=""
for v in 15 16 17; do
  [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { bin="/usr/lib/postgresql/$v/bin"; break; }
done
if [ -z "$bin" ]; then
  "$here/scripts/ensure-packages.sh"
  bin="/usr/lib/postgresql/15/bin"
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

mkdir -p "$dir"
data="$dir/data"
if [ -f "$dir/connection" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  echo "postgres-up: already running ($(grep '^url=' "$dir/connection" | cut -d= -f2-))"
  exit 0
fi

if [ ! -f "$data/PG_VERSION" ]; then
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$dir/password.tmp"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/password.tmp"
  as_owner "$bin/initdb" -D "$data" -U teeflow --pwfile="$dir/password.tmp" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  mv "$dir/password.tmp" "$dir/password"
  chmod 600 "$dir/password"
fi

port="${TEEFLOW_PG_PORT:-55432}"
while ! port_is_free "$port"; do port=$((port + 1)); done
as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=on" \
  start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }

umask 077
cat > "$dir/connection" <<CONN
url=postgresql://127.0.0.1:$port/postgres
user=teeflow
password-file=$dir/password
CONN
echo "postgres-up: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $data)"
