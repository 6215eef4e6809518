#!/usr/bin/env bash
# Makes sure bin/teeflow has a built CLI. The cache key is the hash of the sources, so on a cache hit
# the restored jar matches them: mark it newer than the fresh checkout, or the launcher would rebuild.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${TEEFLOW_CACHE_HIT:-}" = "true" ] && [ -f "$here/cli/target/teeflow.jar" ]; then
  touch "$here/cli/target/teeflow.jar"
fi
"$here/bin/teeflow" --version
