#!/usr/bin/env bash
# Engine scaling benchmark: plan and no-op apply of generated pipelines of N `file` steps, each
# depending on the step at index i/2 (a binary tree, so the graph has N-1 edges), plus a fan-out of
# 1,000 steps from one source. Whole-process wall time (median of RUNS) and peak memory, with the
# JVM's fixed cost (`teeflow --version`) measured alongside so that engine time = wall - baseline.
#
#   bench/engine/run.sh [SIZES...]      default sizes: 100 1000 10000
# Writes a Markdown table to bench/results/engine.md and prints it.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
teeflow="$here/bin/teeflow"
runs="${RUNS:-5}"
sizes=("${@:-100 1000 10000}")
[ $# -eq 0 ] && sizes=(100 1000 10000)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$here/bench/results/engine.md"
mkdir -p "$(dirname "$out")"

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

gen_fanout() { # N DIR
  local n=$1 dir=$2
  mkdir -p "$dir"
  {
    printf 'apiVersion: teeflow/v1\nkind: Pipeline\nname: fanout-%s\nsteps:\n' "$n"
    printf '  source:\n    type: file\n    with: { path: out/source.txt, content: "data" }\n'
    for ((i = 0; i < n; i++)); do
      printf '  d%d:\n    type: file\n    with: { path: out/d%d.txt, content: "${{ source.sha256 }}-%d" }\n' "$i" "$i" "$i"
    done
  } > "$dir/teeflow.yml"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # DIR ARGS... -> "median_seconds max_rss_mib"
  local dir=$1; shift
  local times=() rss=0 t m
  for ((r = 0; r < runs; r++)); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$teeflow" "$@" --file "$dir/teeflow.yml" > /dev/null
    read -r t m < "$work/time"
    times+=("$t"); (( m > rss )) && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | median)" "$((rss / 1024))"
}

"$teeflow" --version > /dev/null # build and warm the class-data archive once
base=$(for ((r = 0; r < runs; r++)); do /usr/bin/time -f '%e' -o "$work/time" "$teeflow" --version > /dev/null; cat "$work/time"; done | median)

{
  echo "# Engine scaling ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  echo "JVM start + CLI baseline (\`teeflow --version\`): ${base} s. Engine time ≈ wall − baseline."
  echo
  echo "| pipeline | steps | first apply (s) | plan, nothing to do (s) | no-op apply (s) | peak RSS plan (MiB) | peak RSS no-op apply (MiB) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
} > "$out"

row() { # NAME N DIR
  local name=$1 n=$2 dir=$3 first plan apply
  first=$( { /usr/bin/time -f '%e' -o "$work/time" "$teeflow" apply --file "$dir/teeflow.yml" > /dev/null; cat "$work/time"; } )
  read -r plan plan_rss <<< "$(measure "$dir" plan)"
  read -r apply apply_rss <<< "$(measure "$dir" apply)"
  echo "| $name | $n | $first | $plan | $apply | $plan_rss | $apply_rss |" >> "$out"
}

for n in "${sizes[@]}"; do
  gen_tree "$n" "$work/tree-$n"
  row tree "$n" "$work/tree-$n"
done
gen_fanout 1000 "$work/fanout"
row "fan-out" 1001 "$work/fanout"

cat "$out"
