#!/usr/bin/env bash
# Installs the official iExec CLI (npm package `iexec`, pinned) into a cache folder, for the interop
# tests and the dataset benchmark. Idempotent: does nothing when the pinned version is already there.
#
#   scripts/install-iexec-cli.sh            # installs into $TEEFLOW_IEXEC_CLI_HOME or ~/.cache/teeflow/iexec-cli
#   prints the path of the `iexec` binary on its last line
set -euo pipefail

IEXEC_VERSION="${IEXEC_VERSION:-9.0.1}"
PREFIX="${TEEFLOW_IEXEC_CLI_HOME:-${TEEFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teeflow}/iexec-cli}"
BIN="$PREFIX/node_modules/.bin/iexec"
STAMP="$PREFIX/.installed-version"

if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$IEXEC_VERSION" ]]; then
  echo "$BIN"
  exit 0
fi

command -v npm >/dev/null || { echo "install-iexec-cli: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$PREFIX"
# --no-audit/--no-fund: no extra network calls; --ignore-scripts is not used because some deps build at install.
npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "iexec@$IEXEC_VERSION" >&2
"$BIN" --version >/dev/null
echo "$IEXEC_VERSION" > "$STAMP"
echo "$BIN"
