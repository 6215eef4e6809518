#!/usr/bin/env bash
# A cache key for the built CLI: the hash of every build file and source of the action's checkout.
# (hashFiles() only sees the workspace, not the action's own folder.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
hash="$(find . -path ./.git -prune -o -path '*/target' -prune -o \
          \( -name pom.xml -o -name '*.java' -o -path '*/META-INF/services/*' -o -path './.mvn/*' \) -type f -print \
        | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-32)"
echo "key=teeflow-cli-${RUNNER_OS:-unknown}-$hash" >> "${GITHUB_OUTPUT:-/dev/stdout}"
