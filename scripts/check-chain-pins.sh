#!/bin/sh
# Compares the npm packages pinned in devnet/.../PinnedPackages.java with what the npm registry
# publishes (dist.integrity). Run it when bumping a version; exits 1 on any difference.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
pins="$here/devnet/src/main/java/dev/teeflow/devnet/chain/PinnedPackages.java"
status=0
# Each pin is: new NpmPackage("<name>", "<version>",\n "<integrity>", <size>)
tr -d '\n' < "$pins" | grep -o 'new NpmPackage("[^"]*", "[^"]*", *"[^"]*"' |
  sed 's/new NpmPackage("\([^"]*\)", "\([^"]*\)", *"\([^"]*\)"/\1 \2 \3/' |
  while read -r name version integrity; do
    published=$(npm view "$name@$version" dist.integrity 2>/dev/null || true)
    if [ "$published" = "$integrity" ]; then
      echo "ok       $name@$version"
    else
      echo "MISMATCH $name@$version: pinned $integrity, registry has ${published:-nothing}" >&2
      exit 1
    fi
  done || status=1
exit $status
