#!/usr/bin/env bash
# Engine scaling: first apply, plan with nothing to do and no-op apply of generated pipelines, whole
# processes (JVM start included), median wall/CPU and the largest peak RSS of RUNS runs:
#   tree N        N `file` steps, step i depending on step i/2 (N-1 references), N = 100, 1,000, 10,000
#   datasets 1000 1,000 `dataset:` blocks on 1,000 small files: 1,000 real dataset.encrypt steps
# Per-step cost = (time(N) - time(smallest N)) / (N - smallest N): constant when growth is linear.
#
#   bench/engine/run.sh [SIZES...]      default sizes: 100 1000 10000; RUNS=3
# Writes a Markdown section to $OUT (default bench/results/engine.md) and prints it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
need_time

RUNS="${RUNS:-3}"
sizes=("$@")
[ $# -eq 0 ] && sizes=(100 1000 10000)
DATASETS="${DATASETS:-1000}"
OUT="${OUT:-$BENCH_ROOT/bench/results/engine.md}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-engine-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT")"

gen_tree() { # N DIR
  local n=$1 dir=$2
  mkdir -p "$dir"
  {
    printf 'apiVersion: teeflow/v1\nkind: Pipeline\nname: tree-%s\nsteps:\n' "$n"
    printf '  s0:\n    type: file\n    with: { path: out/s0.txt, content: "root" }\n'
    for ((i = 1; i < n; i++)); do
      printf '  s%d:\n    type: file\n    with: { path: out/s%d.txt, content: "${{ s%d.sha256 }}" }\n' "$i" "$i" "$((i / 2))"
    done
  } > "$dir/teeflow.yml"
}

gen_datasets() { # N DIR
  local n=$1 dir=$2
  mkdir -p "$dir/data"
  for ((i = 0; i < n; i++)); do printf 'record %d\n' "$i" > "$dir/data/d$i.txt"; done
  {
    printf 'apiVersion: teeflow/v1\nkind: Pipeline\nname: datasets-%s\ndataset:\n' "$n"
    for ((i = 0; i < n; i++)); do printf '  d%d:\n    file: data/d%d.txt\n' "$i" "$i"; done
  } > "$dir/teeflow.yml"
}

"$TEEFLOW" --version > /dev/null   # builds the CLI and its start-up cache if needed
for ((r = 0; r < RUNS; r++)); do measure "$WORK/baseline" "$TEEFLOW" --version; done

run_case() { # NAME STEPS DIR
  local name=$1 n=$2 dir=$3
  echo "engine: $name $n: first apply" >&2
  measure "$WORK/$name-$n-first" "$TEEFLOW" apply --no-color -f "$dir/teeflow.yml"
  for ((r = 1; r <= RUNS; r++)); do
    echo "engine: $name $n: plan and no-op apply, run $r/$RUNS" >&2
    measure "$WORK/$name-$n-plan" "$TEEFLOW" plan --no-color -f "$dir/teeflow.yml"
    measure "$WORK/$name-$n-apply" "$TEEFLOW" apply --no-color -f "$dir/teeflow.yml"
  done
  grep -q 'Nothing to do' "$WORK/$name-$n-plan.log" || die "$name $n: plan had something to do"
}

for n in "${sizes[@]}"; do
  gen_tree "$n" "$WORK/tree-$n"
  run_case tree "$n" "$WORK/tree-$n"
done
gen_datasets "$DATASETS" "$WORK/datasets"
run_case datasets "$DATASETS" "$WORK/datasets"

base="$(med_wall "$WORK/baseline")"
n0="${sizes[0]}"
per_step() { # KIND N -> ms per step above the smallest size
  local kind=$1 n=$2
  [ "$n" -eq "$n0" ] && { echo "-"; return; }
  awk -v a="$(med_wall "$WORK/tree-$n-$kind")" -v b="$(med_wall "$WORK/tree-$n0-$kind")" -v n="$n" -v m="$n0" \
    'BEGIN { printf "%.3f", (a - b) * 1000 / (n - m) }'
}
{
  echo "JVM start + CLI set-up (\`teeflow --version\`): $base s (median of $RUNS). Median of $RUNS runs for plan and no-op apply; one first apply."
  echo
  echo "| pipeline | steps | first apply (s) | plan (s) | plan CPU (s) | no-op apply (s) | peak RSS plan (MiB) | peak RSS apply (MiB) | plan ms/step above $n0 | no-op apply ms/step above $n0 |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "${sizes[@]}"; do
    p="$WORK/tree-$n"
    echo "| tree | $n | $(med_wall "$p-first") | $(med_wall "$p-plan") | $(med_cpu "$p-plan") | $(med_wall "$p-apply") | $(peak_mib "$p-plan") | $(peak_mib "$p-apply") | $(per_step plan "$n") | $(per_step apply "$n") |"
  done
  p="$WORK/datasets-$DATASETS"
  echo "| datasets (dataset.encrypt) | $DATASETS | $(med_wall "$p-first") | $(med_wall "$p-plan") | $(med_cpu "$p-plan") | $(med_wall "$p-apply") | $(peak_mib "$p-plan") | $(peak_mib "$p-apply") | | |"
} > "$OUT"
if [ -n "${SUMMARY:-}" ]; then
  big="${sizes[${#sizes[@]}-1]}"
  echo "plan-big $big $(med_wall "$WORK/tree-$big-plan") $(peak_mib "$WORK/tree-$big-plan")" > "$SUMMARY"
fi
cat "$OUT"
