#!/usr/bin/env bash
# Whole-process benchmark of dataset encryption, side by side on the same file:
#   teeflow (protocol code through a small main: AES-256-CBC + sha256 in one pass, temp file + rename)
#   openssl enc -aes-256-cbc + sha256sum (the floor: C, AES-NI)
#   iexec dataset encrypt (the official CLI, npm iexec, pinned by scripts/install-iexec-cli.sh)
# Medians over RUNS runs of wall time and of peak memory (max RSS from /usr/bin/time -v).
#
#   bench/dataset/run.sh                # 100 MiB, 5 runs
#   SIZES="100 1024" RUNS=3 bench/dataset/run.sh   # also 1 GiB
# Writes bench/dataset/results.md (and prints it).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIZES="${SIZES:-100}"
RUNS="${RUNS:-5}"
SKIP_IEXEC_ABOVE_MIB="${SKIP_IEXEC_ABOVE_MIB:-512}"   # the CLI holds the whole file in memory several times
OUT="${OUT:-$ROOT/bench/dataset/results.md}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-dataset-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

find_java() {
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$j" && -x "$j/bin/java" && -x "$j/bin/javac" ]] || continue
    v="$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
    [[ "${v%%.*}" -ge 21 ]] && { echo "$j/bin"; return; }
  done
  echo "run.sh: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1
}
JAVA_BIN="$(find_java)"

echo "building the protocol module..." >&2
(cd "$ROOT" && ./mvnw -q -B -pl protocol -am package -DskipTests) >&2
CP="$ROOT/protocol/target/classes"
mkdir -p "$WORK/classes"
"$JAVA_BIN/javac" -d "$WORK/classes" -cp "$CP" "$ROOT/bench/dataset/TeeflowEncrypt.java"
IEXEC="$("$ROOT/scripts/install-iexec-cli.sh" | tail -1)"

# measure LABEL CMD...: runs CMD under /usr/bin/time -v, appends "seconds kib" to $WORK/LABEL
measure() {
  local label="$1"; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/err.txt" || { cat "$WORK/err.txt" >&2; exit 1; }
  local wall rss cpu
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")"
  cpu="$(awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$WORK/time.txt")"
  echo "$wall $rss $cpu" >> "$WORK/$label"
}

median() { sort -n | awk '{a[NR]=$1} END { if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'; }

{
  echo "# Dataset encryption benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load before: $(cut -d' ' -f1-3 /proc/loadavg),"
  echo "$("$JAVA_BIN/java" -version 2>&1 | head -1), $(openssl version | cut -d' ' -f1-2), iexec $("$IEXEC" --version). Median of $RUNS runs, whole process (JVM start included)."
  echo
  echo "| file | tool | wall (s) | CPU user+sys (s) | peak RSS (MiB) | wall vs openssl+sha256sum |"
  echo "|---|---|---:|---:|---:|---:|"
} > "$WORK/table.md"

for size in $SIZES; do
  plain="$WORK/data-$size.bin"
  head -c "$((size * 1024 * 1024))" /dev/urandom > "$plain"
  proj="$WORK/iexec-$size"
  mkdir -p "$proj/datasets/original" "$proj/datasets/encrypted" "$proj/.secrets/datasets"
  # a hard link or a copy: the iExec CLI silently skips symbolic links
  ln "$plain" "$proj/datasets/original/data.bin" 2>/dev/null || cp "$plain" "$proj/datasets/original/data.bin"
  keyhex="$(openssl rand -hex 32)"; ivhex="$(openssl rand -hex 16)"
  rm -f "$WORK"/t-* "$WORK"/o-* "$WORK"/i-*
  for run in $(seq "$RUNS"); do
    echo "size ${size} MiB, run $run/$RUNS" >&2
    measure "t-$size" "$JAVA_BIN/java" -cp "$CP:$WORK/classes" TeeflowEncrypt "$plain" "$WORK/t.enc" "$WORK/t.key"
    [[ "$(stat -c %s "$WORK/t.enc")" -eq $(( (size * 1024 * 1024 / 16 + 1) * 16 + 16 )) ]] || { echo "run.sh: teeflow's output has the wrong size" >&2; exit 1; }
    measure "o-$size" sh -c "openssl enc -aes-256-cbc -K $keyhex -iv $ivhex -in '$plain' -out '$WORK/o.enc' && sha256sum '$WORK/o.enc'"
    if [[ "$size" -le "$SKIP_IEXEC_ABOVE_MIB" ]]; then
      measure "i-$size" sh -c "cd '$proj' && '$IEXEC' dataset encrypt --force --raw"
      [[ -s "$proj/datasets/encrypted/data.bin.enc" ]] || { echo "run.sh: iexec wrote no ciphertext" >&2; exit 1; }
    fi
    rm -f "$WORK/t.enc" "$WORK/o.enc" "$proj"/datasets/encrypted/*
  done
  o_wall="$(cut -d' ' -f1 "$WORK/o-$size" | median)"
  for tool in t o i; do
    [[ -f "$WORK/$tool-$size" ]] || continue
    case $tool in t) name="teeflow encrypt+checksum";; o) name="openssl enc + sha256sum";; i) name="iexec dataset encrypt";; esac
    wall="$(cut -d' ' -f1 "$WORK/$tool-$size" | median)"
    rss="$(cut -d' ' -f2 "$WORK/$tool-$size" | median)"
    cpu="$(cut -d' ' -f3 "$WORK/$tool-$size" | median)"
    awk -v s="$size" -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v o="$o_wall" \
      'BEGIN { printf "| %s MiB | %s | %.2f | %.2f | %.0f | %.2fx |\n", s, n, w, c, r / 1024, w / o }' >> "$WORK/table.md"
  done
done

echo >> "$WORK/table.md"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg). On a shared machine wall times vary with the load; CPU time is steadier." >> "$WORK/table.md"
cp "$WORK/table.md" "$OUT"
cat "$OUT"
