#!/usr/bin/env bash
# Builds teeflow-test/sconify-stand-in (a TEST DOUBLE of the SCONE sconify image; see README.md).
# Copies this host's docker client into the image, with its libraries when dynamically linked.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE=${1:-teeflow-test/sconify-stand-in}
CLI=${TEEFLOW_STANDIN_DOCKER_CLI:-}
if [[ -z "$CLI" ]]; then
  for c in /usr/local/bin/docker /usr/bin/docker "$(command -v docker || true)"; do
    [[ -x "$c" ]] && { CLI=$c; break; }
  done
fi
[[ -n "$CLI" ]] || { echo "build.sh: no docker client found" >&2; exit 1; }
docker image inspect teeflow-test/busybox >/dev/null 2>&1 || {
  echo "build.sh: image teeflow-test/busybox missing: run scripts/base-images.sh" >&2; exit 1; }
CTX=$(mktemp -d)
trap 'rm -rf "$CTX"' EXIT
cp "$HERE/Dockerfile" "$CTX/"
cp -a "$HERE/rootfs" "$CTX/rootfs"
cp "$CLI" "$CTX/rootfs/usr/local/bin/docker"
# A dynamically linked client needs its loader and libraries at the same paths.
if ldd "$CLI" >/dev/null 2>&1; then
  for lib in $(ldd "$CLI" | grep -o '/[^ ]*'); do
    mkdir -p "$CTX/rootfs$(dirname "$lib")"
    cp -L "$lib" "$CTX/rootfs$lib"
  done
fi
DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$CTX" >/dev/null
echo "$IMAGE"
