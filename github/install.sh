#!/usr/bin/env bash
# Chooses how the action gets teeflow. A version tag (uses: <owner>/teeflow@v1.2.3) installs that
# release's archive, its sha256 checked (scripts/install-release.sh); anything else (a commit, a branch,
# or uses: ./) builds from source in the next steps. A tag without a release archive falls back to the
# source build with a warning; an archive whose checksum does not match fails the step.
#
#   TEEFLOW_ACTION_REF         github.action_ref: what `uses:` named after the @
#   TEEFLOW_ACTION_REPOSITORY  github.action_repository: owner/name of the action
#   TEEFLOW_RELEASE_URL        where releases are (default $GITHUB_SERVER_URL/<owner/name>/releases/download)
# Outputs: from-release=true|false, launcher=<path of the release's bin/teeflow, or empty>.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${GITHUB_OUTPUT:-/dev/stdout}"

source_build() {
  echo "teeflow: $1; building from source"
  { echo "from-release=false"; echo "launcher="; } >> "$out"
  exit 0
}

ref="${TEEFLOW_ACTION_REF:-}"
if ! [[ "$ref" =~ ^v([0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?)$ ]]; then
  source_build "the action's ref '${ref:-(local)}' is not a version tag"
fi
version="${BASH_REMATCH[1]}"
repository="${TEEFLOW_ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}"
if [ -z "${TEEFLOW_RELEASE_URL:-}" ]; then
  [ -n "$repository" ] || source_build "the action's repository is unknown"
  export TEEFLOW_RELEASE_URL="${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download"
fi

status=0
launcher="$("$here/scripts/install-release.sh" "$version" "${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-$HOME/.cache}}/teeflow" | tail -n 1)" \
  || status=$?
case "$status" in
  0)
    echo "teeflow: using release $version ($launcher)"
    { echo "from-release=true"; echo "launcher=$launcher"; } >> "$out" ;;
  3)
    echo "::warning title=teeflow action::tag $ref has no release archive; building teeflow from source"
    source_build "no release archive for $ref" ;;
  *)
    echo "::error title=teeflow action::could not install teeflow $version from $TEEFLOW_RELEASE_URL (see the log above)"
    exit 1 ;;
esac
