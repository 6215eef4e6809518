#!/usr/bin/env bash
# Installs the Debian packages teeflow's devnet, examples and tests need, when any is missing:
# the Docker engine and registry, debootstrap and busybox-static for local base images (Docker Hub is
# not needed), PostgreSQL for the postgres state backend's tests, and small tools (openssh-client:
# ssh-keygen makes real OpenSSH keys for the git-over-SSH tests). Needs root (or sudo) only when
# something is missing.
set -euo pipefail
packages=(docker.io docker-registry postgresql debootstrap busybox-static git openssh-client openssl ca-certificates unzip time procps iproute2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-packages: installing ${missing[*]}" >&2
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
