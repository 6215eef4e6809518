#!/usr/bin/env bash
# State backends: the time of an apply (and a plan) with nothing to do, on the local directory and on each
# remote backend this machine can run, same pipeline, runs alternated (local, postgres+key,
# postgres+passphrase, local, ...). Goal: a remote no-op apply within 1.5x the local one.
#   tree N   N `file` steps, step i depending on step i/2 (default N = 100)
# postgres: the project's PostgreSQL (scripts/postgres-up.sh), a fresh schema per run of this script;
# "+key" encrypts under a raw 32-byte key, "+passphrase" under a passphrase (PBKDF2, 600,000 iterations:
# a fixed cost per command).
#   bench/state/run.sh [N]      RUNS=5
# Writes a Markdown section to $OUT (default bench/results/state.md) and prints it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../state-lib.sh"
need_time

RUNS="${RUNS:-5}"
N="${1:-100}"
OUT="${OUT:-$BENCH_ROOT/bench/results/state.md}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-state-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT")"

"$BENCH_ROOT/scripts/postgres-up.sh" >&2
pgdir="${TEEFLOW_PG_DIR:-/tmp/teeflow-postgres}"
pg_url="$(grep '^url=' "$pgdir/connection" | cut -d= -f2-)"
pg_user="$(grep '^user=' "$pgdir/connection" | cut -d= -f2-)"
pg_pwfile="$(grep '^password-file=' "$pgdir/connection" | cut -d= -f2-)"
schema="bench_$(date +%s)"

pg_block() { # ENCRYPTION-LINE
  printf 'state:\n  backend: postgres\n  url: %s\n  user: %s\n  password: file:%s\n  schema: %s\n  %s\n' \
    "$pg_url" "$pg_user" "$pg_pwfile" "$schema" "$1"
}

export BENCH_STATE_KEY="$(head -c 32 /dev/urandom | base64)"
export BENCH_STATE_PASSPHRASE="a benchmark passphrase, long enough"
cases=(local pg-key pg-passphrase)
state_tree "$WORK/local"
state_tree "$WORK/pg-key" "$(pg_block 'key: env:BENCH_STATE_KEY')"
state_tree "$WORK/pg-passphrase" "$(pg_block 'passphrase: env:BENCH_STATE_PASSPHRASE')"

time_state_cases state

(cd "$WORK" && PGPASSWORD="$(cat "$pg_pwfile")" psql -q "$pg_url" -U "$pg_user" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1) || true

case_label() {
  case $1 in
    local) echo "local directory";;
    pg-key) echo "postgres, raw key";;
    pg-passphrase) echo "postgres, passphrase (PBKDF2)";;
  esac
}
state_table "PostgreSQL 15 on 127.0.0.1." | tee "$OUT"
{
  echo "state-key $(vs_local pg-key)"
  echo "state-passphrase $(vs_local pg-passphrase)"
} > "${SUMMARY:-/dev/null}"
