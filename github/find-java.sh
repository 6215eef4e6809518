#!/usr/bin/env bash
# Tells the action whether a JDK >= 21 is already on the runner (output found=true|false), so that
# actions/setup-java runs only when needed.
set -euo pipefail

java_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
# Hosted runners keep several JDKs and name them in JAVA_HOME_<version>_<arch>.
while IFS='=' read -r name value; do
  [[ "$name" == JAVA_HOME_* ]] && candidates+=("$value/bin/java")
done < <(env)
for d in /usr/lib/jvm/* /opt/java/*; do
  [ -x "$d/bin/java" ] && candidates+=("$d/bin/java")
done

found=false
for c in "${candidates[@]}"; do
  [ -x "$c" ] || continue
  v="$(java_version "$c" 2>/dev/null || true)"
  v="${v%%.*}"
  if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 21 ]; then
    found=true
    echo "teeflow: using Java $v at $c"
    [ -n "${GITHUB_ENV:-}" ] && echo "TEEFLOW_JAVA=$c" >> "$GITHUB_ENV"
    break
  fi
done
[ "$found" = false ] && echo "teeflow: no Java 21 or newer found; installing one with actions/setup-java"
echo "found=$found" >> "${GITHUB_OUTPUT:-/dev/null}"
