#!/usr/bin/env bash
# The iExec tutorial on the local devnet, from a fresh Debian machine: installs and starts what the
# devnet needs (Docker engine, a registry on 127.0.0.1:5000, the python3 base image, the devnet itself),
# then applies teeflow.yml and prints the answer. Run it again: nothing to do, same answer.
#
#   MY_EMAIL=alice@example.org examples/email-checker/run.sh     # This email is compromised!
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export MY_EMAIL="${MY_EMAIL:-alice@example.org}"

"$root/scripts/ensure-packages.sh"
"$root/scripts/docker-up.sh"
"$root/scripts/base-images.sh"
"$root/bin/teeflow" devnet up
cd "$here"
exec "$root/bin/teeflow" apply "$@"
