#!/usr/bin/env bash
# Installs the official iExec CLI (npm package `iexec` 9.0.1) into a cache folder, for the interop tests and
# the dataset benchmark. Pinned and checked: scripts/iexec-cli/package-lock.json fixes the exact version
# and sha512 integrity of `iexec` and of every one of its dependencies, and `npm ci` refuses any tarball whose
# hash differs. Idempotent: does nothing when this exact lockfile is already installed.
#
#   scripts/install-iexec-cli.sh            # installs into $TEEFLOW_IEXEC_CLI_HOME or ~/.cache/teeflow/iexec-cli
#   prints the path of the `iexec` binary on its last line
#
# To move to another iexec version: edit scripts/iexec-cli/package.json, then in that folder run
#   npm install --package-lock-only --no-audit --no-fund
# review the lockfile diff, and commit both files.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCK_DIR="$HERE/iexec-cli"
IEXEC_VERSION="9.0.1"
PREFIX="${TEEFLOW_IEXEC_CLI_HOME:-${TEEFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teeflow}/iexec-cli}"
BIN="$PREFIX/node_modules/.bin/iexec"
STAMP="$PREFIX/.installed-lock"

lock_hash() { sha256sum "$LOCK_DIR/package-lock.json" | cut -d' ' -f1; }

if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$(lock_hash)" ]]; then
  echo "$BIN"
  exit 0
fi

command -v npm >/dev/null || { echo "install-iexec-cli: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$PREFIX"
cp "$LOCK_DIR/package.json" "$LOCK_DIR/package-lock.json" "$PREFIX/"
# npm ci installs exactly the lockfile and checks each tarball against its recorded sha512 integrity.
# --no-audit/--no-fund: no extra network calls; install scripts stay on because some dependencies build then.
npm ci --prefix "$PREFIX" --no-audit --no-fund --loglevel=error >&2
installed="$(node -p "require('$PREFIX/node_modules/iexec/package.json').version")"
if [[ "$installed" != "$IEXEC_VERSION" ]]; then
  echo "install-iexec-cli: expected iexec $IEXEC_VERSION, the lockfile installed $installed" >&2
  exit 1
fi
"$BIN" --version >/dev/null
lock_hash > "$STAMP"
echo "$BIN"
