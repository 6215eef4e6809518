#!/usr/bin/env bash
# git and s3 state backends: the time of an apply (and a plan) with nothing to do, against the local
# directory, same pipeline, runs alternated (local, git, s3, local, ...). Goal: a remote no-op apply
# within 1.5x the local one.
#   tree N   N `file` steps, step i depending on step i/2 (default N = 100)
# git: `git daemon` (Debian's git) serving a bare repository on 127.0.0.1 (git://, push enabled);
# s3: s3proxy 2.6.0 (Maven Central, copied to state-remote/target/s3proxy by the build) on 127.0.0.1.
# s3proxy ignores conditional writes, so the s3 case runs with `lock: external` (no lock in the store);
# on a store that honours them, taking and releasing the lock adds two uploads per command.
# Both encrypt under a raw 32-byte key (no PBKDF2 cost), as the local case is not encrypted.
#   bench/state-remote/run.sh [N]      RUNS=5
# Writes a Markdown section to $OUT (default bench/results/state-remote.md) and prints it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../state-lib.sh"
need_time

RUNS="${RUNS:-5}"
N="${1:-100}"
OUT="${OUT:-$BENCH_ROOT/bench/results/state-remote.md}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-state-remote-bench.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$(dirname "$OUT")"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { # PORT NAME
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  die "$2 did not start on port $1"
}

s3proxy_jar="$BENCH_ROOT/state-remote/target/s3proxy/s3proxy.jar"
if [ ! -f "$s3proxy_jar" ]; then
  echo "state-remote: fetching s3proxy through the build..." >&2
  (cd "$BENCH_ROOT" && ./mvnw -q -B -pl state-remote -am process-test-resources >&2) || die "cannot get s3proxy"
fi
"$TEEFLOW" --version > /dev/null   # builds the CLI if needed

git_port="$(free_port)"
mkdir -p "$WORK/git"
git init -q --bare "$WORK/git/state.git"
git daemon --reuseaddr --listen=127.0.0.1 --port="$git_port" --base-path="$WORK/git" --export-all \
  --enable=receive-pack "$WORK/git" > "$WORK/git-daemon.log" 2>&1 &
pids+=($!)

s3_port="$(free_port)"
mkdir -p "$WORK/s3/data/state"
cat > "$WORK/s3/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-access
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3/data
jclouds.identity=bench-access
jclouds.credential=bench-secret
PROPS
"$(teeflow_java)" -jar "$s3proxy_jar" --properties "$WORK/s3/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
pids+=($!)
wait_port "$git_port" "git daemon"
wait_port "$s3_port" s3proxy

export BENCH_STATE_KEY="$(head -c 32 /dev/urandom | base64)"
export BENCH_S3_ACCESS=bench-access BENCH_S3_SECRET=bench-secret
cases=(local git s3)
state_tree "$WORK/local"
state_tree "$WORK/git" "$(printf 'state:\n  backend: git\n  remote: git://127.0.0.1:%s/state.git\n  key: env:BENCH_STATE_KEY\n' "$git_port")"
state_tree "$WORK/s3" "$(printf 'state:\n  backend: s3\n  endpoint: http://127.0.0.1:%s\n  bucket: state\n  path-style: true\n  access-key-id: env:BENCH_S3_ACCESS\n  secret-access-key: env:BENCH_S3_SECRET\n  lock: external\n  key: env:BENCH_STATE_KEY\n' "$s3_port")"

time_state_cases state-remote

case_label() {
  case $1 in
    local) echo "local directory";;
    git) echo "git (git daemon, one commit per write)";;
    s3) echo "s3 (s3proxy, lock: external)";;
  esac
}
state_table "git daemon and s3proxy 2.6.0 on 127.0.0.1 (s3 with \`lock: external\`: s3proxy ignores conditional writes); remote states encrypted under a raw key." | tee "$OUT"
{
  echo "state-git $(vs_local git)"
  echo "state-s3 $(vs_local s3)"
} > "${SUMMARY:-/dev/null}"
