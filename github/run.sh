#!/usr/bin/env bash
# Runs teeflow as a GitHub Actions step. Every input arrives as an environment variable (set through
# `env:` in action.yml, never pasted into this script by ${{ }}), so no input can be run as shell code.
#
#   TEEFLOW_COMMAND            plan | apply | validate (default: plan)
#   TEEFLOW_FILE               the pipeline file (default: teeflow finds teeflow.yml / .yaml / .groovy)
#   TEEFLOW_PARAMS             NAME=VALUE per line; blank lines and lines starting with # are skipped
#   TEEFLOW_WORKING_DIRECTORY  where to run (default: the workspace)
#   TEEFLOW_TARGET             step addresses to limit the run to, separated by spaces or newlines
#   TEEFLOW_EXTRA_ARGS         more arguments, split on whitespace (no quotes, no expansion)
#   TEEFLOW_INPUT_STATE_BACKEND     --state-backend (local, postgres, git, s3)
#   TEEFLOW_INPUT_STATE_CONFIG      --state-config KEY=VALUE per line (credentials as env:NAME references)
#   TEEFLOW_INPUT_STATE_PASSPHRASE  --state-passphrase (a secret reference)
#   TEEFLOW_INPUT_LOCK_TIMEOUT      --lock-timeout, for apply
#   TEEFLOW_INPUT_SAVED_PLAN        plan: --saved FILE; apply: apply exactly the plan saved in FILE
#   TEEFLOW_BIN                the launcher (default: bin/teeflow beside this script)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${TEEFLOW_BIN:-$here/bin/teeflow}"

fail() {
  # An annotation on the workflow run, then the exit code teeflow uses for bad usage.
  local msg="$1"
  msg="${msg//'%'/'%25'}"; msg="${msg//$'\r'/'%0D'}"; msg="${msg//$'\n'/'%0A'}"
  echo "::error title=teeflow action::$msg"
  exit 2
}

command="${TEEFLOW_COMMAND:-plan}"
case "$command" in
  plan|apply|validate) ;;
  *) fail "input 'command' must be plan, apply or validate, not '$command'" ;;
esac

args=("$command" --no-color)

if [ -n "${TEEFLOW_FILE:-}" ]; then
  args+=(--file "$TEEFLOW_FILE")
fi

while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  trimmed="${line#"${line%%[![:space:]]*}"}"
  [ -z "$trimmed" ] && continue
  [[ "$trimmed" == \#* ]] && continue
  name="${trimmed%%=*}"
  if [[ "$trimmed" != *=* ]] || ! [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_.-]*$ ]]; then
    fail "input 'params': each line must be NAME=VALUE, got a line starting with '${trimmed:0:20}'"
  fi
  args+=(--param "$trimmed")
done <<< "${TEEFLOW_PARAMS:-}"

if [ -n "${TEEFLOW_TARGET:-}" ]; then
  [ "$command" = validate ] && fail "input 'target' does not apply to validate"
  read -r -d '' -a targets <<< "$TEEFLOW_TARGET" || true
  for t in "${targets[@]}"; do
    args+=(--target "$t")
  done
fi

if [ -n "${TEEFLOW_INPUT_STATE_BACKEND:-}" ]; then
  [[ "$TEEFLOW_INPUT_STATE_BACKEND" =~ ^[a-z0-9-]+$ ]] || fail "input 'state-backend' must be a backend name such as postgres"
  args+=(--state-backend "$TEEFLOW_INPUT_STATE_BACKEND")
fi

while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  trimmed="${line#"${line%%[![:space:]]*}"}"
  [ -z "$trimmed" ] && continue
  [[ "$trimmed" == \#* ]] && continue
  name="${trimmed%%=*}"
  if [[ "$trimmed" != *=* ]] || ! [[ "$name" =~ ^[a-z][a-z0-9-]*$ ]]; then
    fail "input 'state-config': each line must be KEY=VALUE, got a line starting with '${trimmed:0:20}'"
  fi
  args+=(--state-config "$trimmed")
done <<< "${TEEFLOW_INPUT_STATE_CONFIG:-}"

if [ -n "${TEEFLOW_INPUT_STATE_PASSPHRASE:-}" ]; then
  args+=(--state-passphrase "$TEEFLOW_INPUT_STATE_PASSPHRASE")
fi

if [ -n "${TEEFLOW_INPUT_LOCK_TIMEOUT:-}" ]; then
  [ "$command" = apply ] || fail "input 'lock-timeout' applies to apply only"
  args+=(--lock-timeout "$TEEFLOW_INPUT_LOCK_TIMEOUT")
fi

if [ -n "${TEEFLOW_INPUT_SAVED_PLAN:-}" ]; then
  case "$command" in
    plan) args+=(--saved "$TEEFLOW_INPUT_SAVED_PLAN") ;;
    apply)
      [ -n "${TEEFLOW_TARGET:-}" ] && fail "input 'target' belongs to the plan that wrote 'saved-plan'; apply uses the plan's own"
      args+=("$TEEFLOW_INPUT_SAVED_PLAN") ;;
    *) fail "input 'saved-plan' goes with plan (writes it) or apply (applies it), not $command" ;;
  esac
fi

if [ -n "${TEEFLOW_EXTRA_ARGS:-}" ]; then
  # Word splitting only: quotes, $VAR and $(...) stay literal text.
  read -r -d '' -a extra <<< "$TEEFLOW_EXTRA_ARGS" || true
  args+=("${extra[@]}")
fi

if [ -n "${TEEFLOW_WORKING_DIRECTORY:-}" ]; then
  cd "$TEEFLOW_WORKING_DIRECTORY" || fail "input 'working-directory': cannot enter '$TEEFLOW_WORKING_DIRECTORY'"
fi

export GITHUB_ACTIONS="${GITHUB_ACTIONS:-true}"
status=0
"$bin" "${args[@]}" || status=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit "$status"
