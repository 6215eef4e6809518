#!/bin/sh
# Installs the official iExec SDK CLI (npm `iexec`, pinned) into the teeflow cache, for the devnet interop tests
# (devnet/src/test/.../IexecCliInteropTest) and for trying the devnet by hand. Idempotent: does nothing when the
# pinned version is already there. Prints the path of the `iexec` binary.
set -eu
IEXEC_VERSION=9.0.1
dir="${TEEFLOW_CACHE:-$HOME/.cache/teeflow}/iexec-cli"
bin="$dir/node_modules/.bin/iexec"
if [ -x "$bin" ] && [ "$(cat "$dir/.installed-version" 2>/dev/null)" = "$IEXEC_VERSION" ]; then
  echo "$bin"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js 20+ first" >&2; exit 1; }
mkdir -p "$dir"
echo "installing iexec@$IEXEC_VERSION into $dir" >&2
npm install --prefix "$dir" --no-audit --no-fund --save-exact "iexec@$IEXEC_VERSION" >&2
"$bin" --version >/dev/null
echo "$IEXEC_VERSION" > "$dir/.installed-version"
echo "$bin"
