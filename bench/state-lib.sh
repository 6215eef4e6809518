# Shared by bench/state and bench/state-remote (sourced after lib.sh): the pipeline they time, the runs of
# its cases alternated round by round, and the table of their medians. The caller sets N, RUNS, WORK and
# cases=(local ...), writes each case's pipeline with state_tree, and names the cases in case_label CASE.

# state_tree DIR [STATE BLOCK]: N `file` steps, step i depending on step i/2, then the state block.
state_tree() {
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

# time_state_cases NAME: a first apply of each case, then RUNS rounds of a plan and a no-op apply of each.
time_state_cases() {
  local name=$1 c r
  for c in "${cases[@]}"; do
    echo "$name: $c: first apply" >&2
    measure "$WORK/$c-first" "$TEEFLOW" apply --no-color -f "$WORK/$c/teeflow.yml"
  done
  for ((r = 1; r <= RUNS; r++)); do
    for c in "${cases[@]}"; do
      echo "$name: $c: plan and no-op apply, run $r/$RUNS" >&2
      measure "$WORK/$c-plan" "$TEEFLOW" plan --no-color -f "$WORK/$c/teeflow.yml"
      measure "$WORK/$c-apply" "$TEEFLOW" apply --no-color -f "$WORK/$c/teeflow.yml"
      grep -q 'Nothing to do' "$WORK/$c-plan.log" || die "$c: plan had something to do"
    done
  done
}

# vs_local CASE: the case's median no-op apply over the local directory's.
vs_local() { ratio "$(med_wall "$WORK/$1-apply")" "$(med_wall "$WORK/local-apply")"; }

# state_table SETUP: the Markdown section, SETUP saying what ran where.
state_table() {
  local c
  echo "$N \`file\` steps; median of $RUNS runs each, the cases alternated run by run; $1"
  echo
  echo "| state | first apply (s) | plan (s) | no-op apply (s) | no-op apply CPU (s) | no-op apply vs local |"
  echo "|---|---:|---:|---:|---:|---:|"
  for c in "${cases[@]}"; do
    echo "| $(case_label "$c") | $(med_wall "$WORK/$c-first") | $(med_wall "$WORK/$c-plan") | $(med_wall "$WORK/$c-apply") | $(med_cpu "$WORK/$c-apply") | $(vs_local "$c")x |"
  done
}
