#!/usr/bin/env bash
# Dataset encryption + checksum, whole processes side by side on the same random file, alternated:
#   teeflow apply      a pipeline with one `dataset:` block (the dataset.encrypt step: AES-256-CBC in
#                      iExec's format + sha256 of the ciphertext in one pass, temp file + rename, key 0600),
#                      first as a new dataset (the engine also hashes the plaintext for the cache key),
#                      then with the plaintext's hash already known (the encryption alone)
#   openssl + sha256sum  `openssl enc -aes-256-cbc` then `sha256sum` of the ciphertext: the C floor
#   iexec dataset encrypt  the official CLI (npm iexec, pinned by scripts/install-iexec-cli.sh)
#
#   bench/dataset/run.sh                           # SIZES="100 1024" (MiB), RUNS=3
#   SIZES=100 RUNS=5 IEXEC_MAX_MIB=100 bench/dataset/run.sh
# Writes a Markdown section to $OUT (default bench/results/dataset.md) and prints it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
need_time

SIZES="${SIZES:-100 1024}"
RUNS="${RUNS:-3}"
# The iExec CLI reads the whole file into memory several times (~7 MiB of RSS per MiB of data) and runs
# at ~3 MiB/s here: 1 GiB would take about 5 minutes and 7 GiB of memory per run.
IEXEC_MAX_MIB="${IEXEC_MAX_MIB:-100}"
OUT="${OUT:-$BENCH_ROOT/bench/results/dataset.md}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-dataset-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT")"

command -v openssl > /dev/null || die "openssl is missing (apt-get install openssl)"
IEXEC="$(iexec_cli)" || die "the iExec CLI is missing: run scripts/install-iexec-cli.sh (needs Node.js 20+)"
"$TEEFLOW" --version > /dev/null   # builds the CLI and its start-up cache if needed

table="$WORK/table.md"
{
  echo "| file | tool | runs | wall (s) | CPU user+sys (s) | peak RSS (MiB) | MiB/s | wall vs openssl+sha256sum |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
} > "$table"

for size in $SIZES; do
  plain="$WORK/data-$size.bin"
  head -c "$((size * 1024 * 1024))" /dev/urandom > "$plain"
  expected_size=$(( (size * 1024 * 1024 / 16 + 1) * 16 + 16 ))   # IV + PKCS#7-padded ciphertext

  # teeflow: a project whose only block is the dataset
  proj="$WORK/teeflow-$size"
  mkdir -p "$proj"
  ln "$plain" "$proj/data.bin" 2>/dev/null || cp "$plain" "$proj/data.bin"
  printf 'apiVersion: teeflow/v1\nkind: Pipeline\nname: dataset-bench\ndataset:\n  data:\n    file: data.bin\n' > "$proj/teeflow.yml"
  forget_dataset() { rm -rf "$proj/.teeflow/state" "$proj/.teeflow/work" "$proj/.teeflow/secrets"; }
  forget_all() { rm -rf "$proj/.teeflow"; }

  # iexec: the layout `iexec dataset encrypt` reads (a hard link or a copy: it skips symbolic links)
  iproj="$WORK/proj-iexec-$size"
  mkdir -p "$iproj/datasets/original" "$iproj/datasets/encrypted" "$iproj/.secrets/datasets"
  ln "$plain" "$iproj/datasets/original/data.bin" 2>/dev/null || cp "$plain" "$iproj/datasets/original/data.bin"
  keyhex="$(openssl rand -hex 32)"; ivhex="$(openssl rand -hex 16)"

  for run in $(seq "$RUNS"); do
    echo "dataset: ${size} MiB, run $run/$RUNS" >&2
    forget_all
    measure "$WORK/new-$size" "$TEEFLOW" apply --no-color -f "$proj/teeflow.yml"
    enc="$(find "$proj/.teeflow/work" -name '*.enc' | head -1)"
    [ "$(stat -c %s "$enc")" -eq "$expected_size" ] || die "teeflow's ciphertext has the wrong size"
    forget_dataset
    measure "$WORK/known-$size" "$TEEFLOW" apply --no-color -f "$proj/teeflow.yml"
    measure "$WORK/openssl-$size" sh -c "openssl enc -aes-256-cbc -K $keyhex -iv $ivhex -in '$plain' -out '$WORK/o.enc' && sha256sum '$WORK/o.enc'"
    rm -f "$WORK/o.enc"
    if [ "$size" -le "$IEXEC_MAX_MIB" ]; then
      measure "$WORK/iexec-$size" sh -c "cd '$iproj' && '$IEXEC' dataset encrypt --force --raw"
      [ -s "$iproj/datasets/encrypted/data.bin.enc" ] || die "iexec wrote no ciphertext"
      rm -f "$iproj"/datasets/encrypted/*
    fi
  done
  forget_all

  o_wall="$(med_wall "$WORK/openssl-$size")"
  for tool in new known openssl iexec; do
    f="$WORK/$tool-$size"
    [ -f "$f" ] || continue
    case $tool in
      new) name="teeflow apply, new dataset (hash plaintext + encrypt)";;
      known) name="teeflow apply, plaintext hash known (encrypt)";;
      openssl) name="openssl enc -aes-256-cbc + sha256sum";;
      iexec) name="iexec dataset encrypt";;
    esac
    wall="$(med_wall "$f")"
    echo "| $size MiB | $name | $(runs_of "$f") | $wall | $(med_cpu "$f") | $(peak_mib "$f") | $(awk -v s="$size" -v w="$wall" 'BEGIN {printf "%.0f", s / w}') | $(ratio "$wall" "$o_wall")x |" >> "$table"
    echo "$tool $size $wall $(peak_mib "$f")" >> "$WORK/summary"
  done
  if [ "$size" -gt "$IEXEC_MAX_MIB" ]; then
    echo "| $size MiB | iexec dataset encrypt | 0 | not run: above IEXEC_MAX_MIB=$IEXEC_MAX_MIB (≈7 MiB of RSS per MiB and ≈3 MiB/s: minutes and GiBs per run) | | | | |" >> "$table"
  fi
  rm -f "$plain"
done

{
  echo "Random data from /dev/urandom, the same file for every tool; median of the runs; peak RSS is the largest of the runs."
  echo "openssl $(openssl version | cut -d' ' -f2), iexec $("$IEXEC" --version 2>/dev/null | tail -1)."
  echo
  cat "$table"
} > "$OUT"
[ -n "${SUMMARY:-}" ] && cp "$WORK/summary" "$SUMMARY"
cat "$OUT"
