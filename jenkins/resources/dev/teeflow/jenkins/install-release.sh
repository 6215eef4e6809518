#!/usr/bin/env bash
# Installs a teeflow release archive: downloads teeflow-VERSION.tar.gz and teeflow-VERSION.sha256,
# checks the archive's sha256 against that file, and unpacks it. Nothing unchecked is ever unpacked.
# Idempotent: a version already installed (and checked) is reused. Needs curl, tar and sha256sum
# (or shasum); running teeflow then needs only a JDK >= 21.
#
#   scripts/install-release.sh VERSION [DIR]   # into DIR/teeflow-VERSION (default ~/.cache/teeflow/releases)
#   prints the path of its bin/teeflow on its last line
#   TEEFLOW_RELEASE_URL   where the releases are: VERSION's files are under $TEEFLOW_RELEASE_URL/vVERSION/
#                         (default https://github.com/teeflow/teeflow/releases/download)
#
# Exit codes: 0 installed; 3 there is no such release (HTTP 404: the caller may build from source
# instead); 1 anything else, a checksum that does not match first of all.
set -euo pipefail

log() { echo "install-release: $*" >&2; }

version="${1:-}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
  log "VERSION must look like 1.2.3 (or 1.2.3-rc.1), got '$version'"
  exit 1
fi
dest="${2:-${XDG_CACHE_HOME:-$HOME/.cache}/teeflow/releases}"
base="${TEEFLOW_RELEASE_URL:-https://github.com/teeflow/teeflow/releases/download}"
base="${base%/}"
name="teeflow-$version"
home="$dest/$name"

sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }

download() { # $1 = URL, $2 = file; returns 3 on HTTP 404
  local code
  code="$(curl -sSL --retry 3 --connect-timeout 20 -o "$2" -w '%{http_code}' "$1")" || { log "could not download $1"; return 1; }
  case "$code" in
    200) return 0 ;;
    404) log "no release file at $1 (HTTP 404)"; return 3 ;;
    *) log "downloading $1 failed: HTTP $code"; return 1 ;;
  esac
}

mkdir -p "$dest"
work="$(mktemp -d "$dest/.download.XXXXXX")"
trap 'rm -rf "$work"' EXIT

status=0
download "$base/v$version/$name.sha256" "$work/$name.sha256" || status=$?
[ "$status" = 0 ] || exit "$status"
expected="$(awk -v f="$name.tar.gz" '$2 == f || $2 == "*" f {print $1; exit}' "$work/$name.sha256")"
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  log "$name.sha256 names no sha256 for $name.tar.gz"
  exit 1
fi

if [ -x "$home/bin/teeflow" ] && [ "$(cat "$home/.sha256" 2>/dev/null)" = "$expected" ]; then
  log "teeflow $version is already installed in $home"
  echo "$home/bin/teeflow"
  exit 0
fi

log "downloading teeflow $version from $base"
download "$base/v$version/$name.tar.gz" "$work/$name.tar.gz" || { status=$?; [ "$status" = 3 ] && exit 1; exit "$status"; }
actual="$(sha256 "$work/$name.tar.gz")"
if [ "$actual" != "$expected" ]; then
  log "$name.tar.gz does not match $name.sha256 (its sha256 is $actual, expected $expected): not installed"
  exit 1
fi
mkdir "$work/unpacked"
tar -xzf "$work/$name.tar.gz" -C "$work/unpacked"
[ -x "$work/unpacked/$name/bin/teeflow" ] || { log "$name.tar.gz holds no $name/bin/teeflow"; exit 1; }
echo "$expected" > "$work/unpacked/$name/.sha256"
# Replace a half-installed or other copy in one rename, so a reader never sees a mix.
rm -rf "$home.old"
[ -e "$home" ] && mv "$home" "$home.old"
mv "$work/unpacked/$name" "$home"
rm -rf "$home.old"
log "installed teeflow $version in $home"
echo "$home/bin/teeflow"
