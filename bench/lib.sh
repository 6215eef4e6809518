# Shared helpers of the benchmark scripts (sourced, not run).
# Every measurement is a whole process under /usr/bin/time: wall seconds, CPU (user+sys) seconds and
# peak resident memory. Scripts alternate the tools they compare run by run (A B A B ...), so that a
# burst of load from other jobs on this shared machine hits each tool alike, and report medians.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEEFLOW="$BENCH_ROOT/bin/teeflow"

die() { echo "bench: $*" >&2; exit 1; }

need_time() { [ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"; }

# measure FILE CMD... : runs CMD (stdout and stderr to FILE.log), appends "wall cpu rss_kib" to FILE.
# A failing CMD stops the benchmark with its output: a benchmark of a broken tool means nothing.
measure() {
  local file=$1; shift
  if ! /usr/bin/time -f '%e %U %S %M' -o "$file.time" "$@" > "$file.log" 2>&1; then
    echo "bench: this command failed: $*" >&2; tail -20 "$file.log" >&2; exit 1
  fi
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$file.time" >> "$file"
}

median() { sort -n | awk '{a[NR]=$1} END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'; }

# med_wall / med_cpu FILE: medians; peak_mib FILE: the largest peak RSS of the runs, in MiB.
med_wall() { cut -d' ' -f1 "$1" | median; }
med_cpu() { cut -d' ' -f2 "$1" | median; }
peak_mib() { cut -d' ' -f3 "$1" | sort -n | tail -1 | awk '{printf "%.0f\n", $1 / 1024}'; }
runs_of() { wc -l < "$1" | tr -d ' '; }

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

# The JDK that bin/teeflow runs (it caches its choice).
teeflow_java() {
  local f="${XDG_CACHE_HOME:-$HOME/.cache}/teeflow/java-path"
  [ -f "$f" ] && cat "$f" || echo java
}

# The official iExec CLI (pinned by scripts/install-iexec-cli.sh); prints its path or fails.
iexec_cli() {
  if [ -n "${IEXEC_CLI:-}" ]; then echo "$IEXEC_CLI"; return; fi
  "$BENCH_ROOT/scripts/install-iexec-cli.sh" | tail -1
}

machine_line() {
  local cpu mem
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "$(nproc) CPU ($cpu), $mem RAM, $(uname -sr)"
}

load_now() { cut -d' ' -f1-3 /proc/loadavg; }
