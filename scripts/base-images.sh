#!/usr/bin/env bash
# Makes teeflow's local base images without Docker Hub (unreachable in CI):
#   teeflow-test/busybox       docker import of a rootfs holding Debian's busybox-static (instant)
#   teeflow/python3:bookworm   debootstrap --variant=minbase --include=python3,python3-openpyxl bookworm,
#                              then docker import (about 35 s once; the rootfs tarball is cached)
#   teeflow/node:bookworm      teeflow/python3:bookworm plus Debian's nodejs (apt, about 20 s once), for
#                              `teeflow init --language javascript` projects
# Idempotent: an image that exists is kept (pass --force to rebuild). Run scripts/docker-up.sh first.
#   TEEFLOW_IMAGE_CACHE   where the rootfs tarballs are cached (default /var/tmp/teeflow-docker/cache)
#   DEBIAN_MIRROR         default http://deb.debian.org/debian
#   DEBIAN_KEYRING        the key debootstrap checks bookworm with (default Debian's archive key, from package
#                         debian-archive-keyring: always on Debian, installed on Ubuntu by ensure-packages.sh)
#   ONLY=busybox|python3|node  build only one of them
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${TEEFLOW_IMAGE_CACHE:-/var/tmp/teeflow-docker/cache}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
KEYRING="${DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1
mkdir -p "$CACHE"

log() { echo "base-images: $*" >&2; }

have_image() { [[ $FORCE == 0 ]] && docker image inspect "$1" >/dev/null 2>&1; }

need() { # a command the images need; a missing one comes from scripts/ensure-packages.sh (its list names the packages)
  command -v "$1" >/dev/null 2>&1 && return 0
  log "$1 is missing: running scripts/ensure-packages.sh"
  "$HERE/ensure-packages.sh"
  command -v "$1" >/dev/null 2>&1 || { log "$1 is still missing after scripts/ensure-packages.sh"; exit 1; }
}

statically_linked() { file -L "$1" 2>/dev/null | grep -q 'statically linked'; }

busybox_image() {
  local image=teeflow-test/busybox
  if have_image "$image"; then log "$image exists"; return; fi
  need file
  need busybox
  local bb; bb=$(command -v busybox)
  if ! statically_linked "$bb"; then
    # /bin/busybox may be the dynamic one from package 'busybox'; busybox-static replaces it.
    "$HERE/ensure-packages.sh"
    bb=$(command -v busybox)
    statically_linked "$bb" || { log "$bb is not statically linked (package busybox-static gives one)"; exit 1; }
  fi
  local root; root=$(mktemp -d)
  mkdir -p "$root"/{bin,etc,tmp,root,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  for applet in $("$bb" --list); do
    [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar --numeric-owner -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin' --change 'CMD ["/bin/sh"]' - "$image" >/dev/null
  rm -rf "$root"
  log "built $image"
}

python3_image() {
  local image=teeflow/python3:bookworm
  if have_image "$image"; then log "$image exists"; return; fi
  local tarball="$CACHE/python3-bookworm-rootfs.tar"
  if [[ ! -s "$tarball" ]]; then
    need debootstrap
    if [[ ! -s "$KEYRING" ]]; then
      log "Debian's archive key $KEYRING is missing: running scripts/ensure-packages.sh"
      "$HERE/ensure-packages.sh"
    fi
    [[ -s "$KEYRING" ]] || {
      log "Debian's archive key $KEYRING is missing (package debian-archive-keyring, not installed by default on" \
          "Ubuntu): debootstrap could not check bookworm's signatures. Install it, or set DEBIAN_KEYRING."
      exit 1
    }
    local root; root=$(mktemp -d)
    log "debootstrap bookworm with python3 into $root (about 35 s)"
    debootstrap --keyring="$KEYRING" --variant=minbase --include=python3,python3-openpyxl bookworm "$root" "$MIRROR" \
      >"$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar --numeric-owner -C "$root" -c . >"$tarball.tmp" && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["python3"]' "$tarball" "$image" >/dev/null
  log "built $image"
}

node_image() {
  local image=teeflow/node:bookworm
  if have_image "$image"; then log "$image exists"; return; fi
  python3_image
  # apt inside the build reaches the Debian mirror only (no Docker Hub: FROM is the local python3 image)
  printf 'FROM teeflow/python3:bookworm\nRUN echo "deb %s bookworm main" >/etc/apt/sources.list && apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*\nCMD ["node"]\n' "$MIRROR" \
    | docker build -q -t "$image" - >/dev/null
  log "built $image"
}

case "${ONLY:-all}" in
  busybox) busybox_image ;;
  python3) python3_image ;;
  node) node_image ;;
  *) busybox_image; python3_image; node_image ;;
esac
