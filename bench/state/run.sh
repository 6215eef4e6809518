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

gen_tree() { # DIR [STATE BLOCK]
  local dir=$1 state=${2:-}
  mkdir -p "$dir"
  {
    printf 'apiVersion: teeflow/v1\nkind: Pipeline\nname: state-bench-%s\nsteps:\n' "$(basename "$dir")"
    printf '  s0:\n    type: file\n    with: { path: out/s0.txt, content: "root" }\n'
    for ((i = 1; i < N; i++)); do
      printf '  s%d:\n    type: file\n    with: { path: out/s%d.txt, content: "${{ s%d.sha256 }}" }\n' "$i" "$i" "$((i / 2))"
    done
    printf '%s' "$state"
  } > "$dir/teeflow.yml"
}

pg_block() { # ENCRYPTION-LINE
  printf 'state:\n  backend: postgres\n  url: %s\n  user: %s\n  password: file:%s\n  schema: %s\n  %s\n' \
    "$pg_url" "$pg_user" "$pg_pwfile" "$schema" "$1"
}

export BENCH_STATE_KEY="$(head -c 32 /dev/urandom | base64)"
export BENCH_STATE_PASSPHRASE="a benchmark passphrase, long enough"
cases=(local pg-key pg-passphrase)
gen_tree "$WORK/local"
gen_tree "$WORK/pg-key" "$(pg_block 'key: env:BENCH_STATE_KEY')"
gen_tree "$WORK/pg-passphrase" "$(pg_block 'passphrase: env:BENCH_STATE_PASSPHRASE')"

for c in "${cases[@]}"; do
  echo "state: $c: first apply" >&2
  measure "$WORK/$c-first" "$TEEFLOW" apply --no-color -f "$WORK/$c/teeflow.yml"
done
for ((r = 1; r <= RUNS; r++)); do
  for c in "${cases[@]}"; do
    echo "state: $c: plan and no-op apply, run $r/$RUNS" >&2
    measure "$WORK/$c-plan" "$TEEFLOW" plan --no-color -f "$WORK/$c/teeflow.yml"
    measure "$WORK/$c-apply" "$TEEFLOW" apply --no-color -f "$WORK/$c/teeflow.yml"
    grep -q 'Nothing to do' "$WORK/$c-plan.log" || die "$c: plan had something to do"
  done
done

(cd "$WORK" && PGPASSWORD="$(cat "$pg_pwfile")" psql -q "$pg_url" -U "$pg_user" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1) || true

local_apply="$(med_wall "$WORK/local-apply")"
{
  echo "$N \`file\` steps; median of $RUNS runs each, the cases alternated run by run; PostgreSQL 15 on 127.0.0.1."
  echo
  echo "| state | first apply (s) | plan (s) | no-op apply (s) | no-op apply CPU (s) | no-op apply vs local |"
  echo "|---|---:|---:|---:|---:|---:|"
  for c in "${cases[@]}"; do
    case $c in
      local) label="local directory";;
      pg-key) label="postgres, raw key";;
      pg-passphrase) label="postgres, passphrase (PBKDF2)";;
    esac
    echo "| $label | $(med_wall "$WORK/$c-first") | $(med_wall "$WORK/$c-plan") | $(med_wall "$WORK/$c-apply") | $(med_cpu "$WORK/$c-apply") | $(ratio "$(med_wall "$WORK/$c-apply")" "$local_apply")x |"
  done
} | tee "$OUT"
{
  echo "state-key $(ratio "$(med_wall "$WORK/pg-key-apply")" "$local_apply")"
  echo "state-passphrase $(ratio "$(med_wall "$WORK/pg-passphrase-apply")" "$local_apply")"
} > "${SUMMARY:-/dev/null}"
