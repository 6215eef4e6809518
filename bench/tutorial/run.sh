#!/usr/bin/env bash
# The tutorial flow on the devnet, alternated run by run:
#   teeflow cold   examples/email-checker copied into a fresh folder (no state): every step runs
#   teeflow warm   the same folder again: nothing changed, nothing should run
#   iexec CLI      the same steps scripted with the official CLI (bench/tutorial/iexec-flow.sh)
# Each run's chain traffic goes through a counting JSON-RPC proxy (bench/tutorial/rpc_counter.py) in
# front of the devnet's anvil: RPC calls by method, and transactions (eth_sendRawTransaction) sent by the
# client. The workerpool's own transactions do not go through the proxy and are not counted.
#
#   RUNS=3 bench/tutorial/run.sh
# Needs: `teeflow devnet up` (started here when not running), examples/email-checker, Docker with the
# registry on 127.0.0.1:5000 and the teeflow/python3:bookworm base image (scripts/docker-up.sh,
# scripts/base-images.sh), the iExec CLI (scripts/install-iexec-cli.sh), python3, git, curl.
# When something is missing it writes what, and exits 1.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
need_time

RUNS="${RUNS:-3}"
OUT="${OUT:-$BENCH_ROOT/bench/results/tutorial.md}"
PROXY_PORT="${PROXY_PORT:-18545}"
export MY_EMAIL="${MY_EMAIL:-alice@example.org}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/teeflow-tutorial-bench.XXXXXX")"
proxy_pid=""
cleanup() { [ -n "$proxy_pid" ] && kill "$proxy_pid" 2> /dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$(dirname "$OUT")"
example="$BENCH_ROOT/examples/email-checker"
devnet_json="${TEEFLOW_HOME:-$HOME/.teeflow}/devnet/default/devnet.json"

# Everything the flow needs, each missing piece named.
missing=()
[ -f "$example/teeflow.yml" ] || missing+=("examples/email-checker/teeflow.yml (the email-checker example, branch 'run')")
"$TEEFLOW" --help 2> /dev/null | grep -qE '^ +devnet( |$)' || missing+=("the 'teeflow devnet' command (branch 'devnet')")
command -v docker > /dev/null && docker info > /dev/null 2>&1 || missing+=("a running Docker engine (scripts/docker-up.sh)")
curl -sf -m 2 http://127.0.0.1:5000/v2/ > /dev/null 2>&1 || missing+=("the Docker registry on 127.0.0.1:5000 (scripts/docker-up.sh)")
command -v docker > /dev/null && docker image inspect teeflow/python3:bookworm > /dev/null 2>&1 || missing+=("the base image teeflow/python3:bookworm (scripts/base-images.sh)")
IEXEC="$(iexec_cli 2> /dev/null)" || missing+=("the iExec CLI (scripts/install-iexec-cli.sh)")
for tool in python3 git curl; do command -v $tool > /dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "**NOT RUN.** Missing on this machine or branch:"
    echo
    for m in "${missing[@]}"; do echo "- $m"; done
    echo
    echo "The goal (warm run ≥ 10x faster than the scripted iExec CLI, cold run no slower) is unmeasured."
  } > "$OUT"
  cat "$OUT"
  echo "bench: the tutorial benchmark cannot run; missing: ${missing[*]}" >&2
  exit 1
fi

[ -f "$devnet_json" ] && curl -sf -m 2 -H 'content-type: application/json' \
  -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' \
  "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rpc'])" "$devnet_json")" > /dev/null \
  || "$TEEFLOW" devnet up >&2
rpc="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rpc'])" "$devnet_json")"
python3 "$BENCH_ROOT/bench/tutorial/rpc_counter.py" "$PROXY_PORT" "$rpc" &
proxy_pid=$!
proxy="http://127.0.0.1:$PROXY_PORT"
for _ in $(seq 50); do curl -sf "$proxy/counts" > /dev/null && break; sleep 0.1; done

# chain.json for the CLI, its host pointed at the proxy
(cd "$WORK" && "$TEEFLOW" devnet env > chain.json 2> /dev/null)
python3 - "$WORK/chain.json" "$proxy" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for chain in d["chains"].values():
    chain["host"] = sys.argv[2]
json.dump(d, open(sys.argv[1], "w"), indent=2)
EOF

counts() { curl -sf "$proxy/counts"; }
record_counts() { # FILE: appends "rpc_calls transactions"
  counts | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(d.values()), d.get('eth_sendRawTransaction', 0) + d.get('eth_sendTransaction', 0))" >> "$1"
}

# A fresh copy of the example whose chain RPC goes through the proxy and whose requester secret has a
# new name (SMS secrets are write-once).
fresh_example() { # DIR SECRET_NAME
  cp -r "$example" "$1"
  rm -rf "$1/.teeflow" "$1/out" "$1/datasets"
  sed -i "s/my_email/$2/g" "$1/teeflow.yml"
  printf '\nchains:\n  devnet:\n    rpc: %s\n' "$proxy" >> "$1/teeflow.yml"
}

for run in $(seq "$RUNS"); do
  id="$(date +%s)$run"
  echo "tutorial: run $run/$RUNS: teeflow cold" >&2
  fresh_example "$WORK/tf-$run" "bench_email_$id"
  curl -sf "$proxy/reset" > /dev/null
  measure "$WORK/cold" sh -c "cd '$WORK/tf-$run' && '$TEEFLOW' apply --no-color"
  record_counts "$WORK/cold.rpc"
  grep -q 'compromised\|safe' "$WORK/cold.log" || die "the teeflow run printed no result: $(tail -5 "$WORK/cold.log")"

  echo "tutorial: run $run/$RUNS: teeflow warm" >&2
  curl -sf "$proxy/reset" > /dev/null
  measure "$WORK/warm" sh -c "cd '$WORK/tf-$run' && '$TEEFLOW' apply --no-color"
  record_counts "$WORK/warm.rpc"

  echo "tutorial: run $run/$RUNS: iexec CLI" >&2
  mkdir -p "$WORK/cli-$run"
  cp -r "$example/Dockerfile" "$example/src" "$example/tools" "$WORK/cli-$run/"
  [ -f "$example/.dockerignore" ] && cp "$example/.dockerignore" "$WORK/cli-$run/"
  curl -sf "$proxy/reset" > /dev/null
  measure "$WORK/cli" sh -c "cd '$WORK/cli-$run' && '$BENCH_ROOT/bench/tutorial/iexec-flow.sh' '$IEXEC' '$WORK/chain.json' '$devnet_json' cli_email_$id"
  record_counts "$WORK/cli.rpc"
done

cli_wall="$(med_wall "$WORK/cli")"
{
  echo "examples/email-checker on the devnet (anvil + PoCo, SMS, market, storage, git host, workerpool); median of $RUNS runs, alternated."
  echo "RPC calls and transactions are the client's own (through a counting proxy), medians per run."
  echo
  echo "| flow | wall (s) | CPU user+sys (s) | peak RSS (MiB) | RPC calls | transactions | iexec CLI flow / this |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for k in cold warm cli; do
    case $k in cold) name="teeflow apply, cold (fresh state)";; warm) name="teeflow apply, warm (nothing changed)";; cli) name="iexec CLI, scripted";; esac
    echo "| $name | $(med_wall "$WORK/$k") | $(med_cpu "$WORK/$k") | $(peak_mib "$WORK/$k") | $(cut -d' ' -f1 "$WORK/$k.rpc" | median) | $(cut -d' ' -f2 "$WORK/$k.rpc" | median) | $(ratio "$cli_wall" "$(med_wall "$WORK/$k")")x |"
  done
} > "$OUT"
[ -n "${SUMMARY:-}" ] && echo "tutorial $(med_wall "$WORK/cold") $(med_wall "$WORK/warm") $cli_wall" > "$SUMMARY"
cat "$OUT"
