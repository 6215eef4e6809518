#!/usr/bin/env bash
# The fixed cost of a command, whole processes alternated run by run:
#   teeflow --version            JVM start + the CLI's set-up, no pipeline
#   teeflow plan                 examples/hello after an apply: load, plan, nothing to do
#   teeflow apply                the same, a no-op apply (takes the state lock, checks every step)
#   iexec app show / --version   the floor of a JVM-free tool: `iexec app show` against the devnet when
#                                one is running (a chain call), else `iexec --version` (no network)
# BASELINE_TEEFLOW=/path/to/an/older/checkout/bin/teeflow adds that launcher's plan and --version.
#
#   RUNS=11 bench/startup/run.sh
# Writes a Markdown section to $OUT (default bench/results/startup.md) and prints it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
need_time

RUNS="${RUNS:-11}"
OUT="${OUT:-$BENCH_ROOT/bench/results/startup.md}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-startup-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT")"

IEXEC="$(iexec_cli)" || die "the iExec CLI is missing: run scripts/install-iexec-cli.sh (needs Node.js 20+)"
"$TEEFLOW" --version > /dev/null   # builds the CLI and its start-up cache if needed

proj="$WORK/hello"
cp -r "$BENCH_ROOT/examples/hello" "$proj"
rm -rf "$proj/.teeflow" "$proj/build"
"$TEEFLOW" apply --no-color -f "$proj/teeflow.yml" > /dev/null
if [ -n "${BASELINE_TEEFLOW:-}" ]; then
  "$BASELINE_TEEFLOW" --version > /dev/null && "$BASELINE_TEEFLOW" plan -f "$proj/teeflow.yml" > /dev/null
fi

# The iexec floor: against the devnet when one answers, else --version.
devnet_json="${TEEFLOW_HOME:-$HOME/.teeflow}/devnet/default/devnet.json"
floor_name="iexec --version (no devnet running: no network call)"
floor=("$IEXEC" --version)
if [ -f "$devnet_json" ] && rpc="$(sed -n 's/.*"rpc" *: *"\([^"]*\)".*/\1/p' "$devnet_json" | head -1)" \
    && curl -sf -m 2 -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$rpc" > /dev/null; then
  iproj="$WORK/iexec"
  mkdir -p "$iproj"
  (cd "$iproj" && "$IEXEC" init --skip-wallet --raw > /dev/null && "$TEEFLOW" devnet env > chain.json 2> /dev/null)
  user="$(sed -n 's/.*"address" *: *"\(0x[0-9a-fA-F]*\)".*/\1/p' "$devnet_json" | sed -n 4p)"
  if (cd "$iproj" && "$IEXEC" app show 0 --user "$user" --raw > /dev/null 2>&1); then
    floor_name="iexec app show 0 --user <dev account> --raw (devnet at $rpc)"
    floor=(sh -c "cd '$iproj' && '$IEXEC' app show 0 --user $user --raw")
  else
    floor_name="iexec app count --user <dev account> --raw (devnet at $rpc; the account has no app to show)"
    floor=(sh -c "cd '$iproj' && '$IEXEC' app count --user $user --raw")
  fi
fi

for run in $(seq "$RUNS"); do
  echo "startup: run $run/$RUNS" >&2
  measure "$WORK/version" "$TEEFLOW" --version
  measure "$WORK/plan" "$TEEFLOW" plan --no-color -f "$proj/teeflow.yml"
  measure "$WORK/apply" "$TEEFLOW" apply --no-color -f "$proj/teeflow.yml"
  measure "$WORK/floor" "${floor[@]}"
  if [ -n "${BASELINE_TEEFLOW:-}" ]; then
    measure "$WORK/base-version" "$BASELINE_TEEFLOW" --version
    measure "$WORK/base-plan" "$BASELINE_TEEFLOW" plan --no-color -f "$proj/teeflow.yml"
  fi
done
grep -q 'Nothing to do' "$WORK/plan.log" || die "plan had something to do: $(cat "$WORK/plan.log")"

f_wall="$(med_wall "$WORK/floor")"
{
  echo "examples/hello (4 steps: 3 commands, 1 file) after an apply; median of $RUNS runs, alternated."
  echo
  echo "| command | wall (s) | CPU user+sys (s) | peak RSS (MiB) | wall vs the iexec floor |"
  echo "|---|---:|---:|---:|---:|"
  row() { echo "| $1 | $(med_wall "$2") | $(med_cpu "$2") | $(peak_mib "$2") | $(ratio "$(med_wall "$2")" "$f_wall")x |"; }
  row "teeflow --version" "$WORK/version"
  row "teeflow plan (nothing to do)" "$WORK/plan"
  row "teeflow apply (no-op)" "$WORK/apply"
  row "$floor_name" "$WORK/floor"
  if [ -n "${BASELINE_TEEFLOW:-}" ]; then
    row "before this work: teeflow --version" "$WORK/base-version"
    row "before this work: teeflow plan (nothing to do)" "$WORK/base-plan"
  fi
} > "$OUT"
[ -n "${SUMMARY:-}" ] && echo "plan $(med_wall "$WORK/plan") $(med_cpu "$WORK/plan")" > "$SUMMARY"
cat "$OUT"
