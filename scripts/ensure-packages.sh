#!/usr/bin/env bash
# Installs the Debian packages teeflow's devnet, examples and tests need, when the host lacks what they
# give: the Docker engine and registry, debootstrap and busybox-static for local base images (Docker Hub is
# not needed), and small tools (openssh-client: ssh-keygen makes real OpenSSH keys for the git-over-SSH
# tests). The list, and how each package is found already present, is scripts/packages.txt.
#
# What the host has is used as it is: a Docker engine that answers (or is installed and only stopped),
# whichever package provides it (Moby on GitHub's Ubuntu runners, docker-ce), is never replaced by
# docker.io, whose containerd and runc conflict with those packages. On Ubuntu, debian-archive-keyring
# is added so that debootstrap can check Debian bookworm's signatures.
#
#   scripts/ensure-packages.sh            # needs root (or sudo) only when something is missing
#   scripts/ensure-packages.sh --dry-run  # prints what it would install, installs nothing
#   TEEFLOW_REGISTRY_ADDR=127.0.0.1:5000  # where a running registry is looked for
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIST="$HERE/packages.txt"
REGISTRY_ADDR="${TEEFLOW_REGISTRY_ADDR:-127.0.0.1:5000}"
DRY_RUN=0
[[ "${1:-}" == "--dry-run" ]] && DRY_RUN=1

log() { echo "ensure-packages: $*" >&2; }

dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

has_command() { command -v "$1" >/dev/null 2>&1; }

docker_engine_present() {
  if has_command docker && timeout 10 docker info >/dev/null 2>&1; then
    log "a Docker engine answers: using it as it is"
    return 0
  fi
  if has_command dockerd; then
    log "dockerd is installed but does not answer: scripts/docker-up.sh starts it"
    return 0
  fi
  return 1
}

registry_present() {
  if has_command curl && curl -fs -o /dev/null --max-time 5 "http://$REGISTRY_ADDR/v2/" 2>/dev/null; then
    log "a registry answers on $REGISTRY_ADDR: using it"
    return 0
  fi
  has_command docker-registry
}

present() { # $1 = package, $2 = how it is found present (see packages.txt)
  case "$2" in
    docker-engine) docker_engine_present ;;
    registry) registry_present ;;
    command:*) has_command "${2#command:}" ;;
    dpkg) dpkg_installed "$1" ;;
    *) log "$LIST: package $1: unknown check '$2'"; exit 2 ;;
  esac
}

missing=()
while read -r package check _; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  present "$package" "${check:-dpkg}" || missing+=("$package")
done < "$LIST"

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$DRY_RUN" = 1 ]; then
  echo "would install: ${missing[*]}"
  exit 0
fi
echo "ensure-packages: installing ${missing[*]}" >&2
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
