#!/usr/bin/env bash
# Starts a Docker engine and a local registry (distribution 2.8) for teeflow's tests and for trying
# pipelines offline. Idempotent: what already answers is left alone.
#
#   scripts/docker-up.sh            # dockerd on DOCKER_HOST (default unix:///var/run/docker.sock)
#                                   # + registry on 127.0.0.1:5000
#   TEEFLOW_DOCKER_DIR=/some/dir    # where logs, the registry config and its storage live
#                                   # (default /var/tmp/teeflow-docker)
#   TEEFLOW_REGISTRY_ADDR=127.0.0.1:5000
#
# An engine that answers is used as it is, whatever package provides it. One installed as a systemd
# service but stopped (Moby, docker-ce, docker.io) is started with `systemctl start docker`; only
# without systemd is dockerd started here. Needs root (dockerd does). Works in a container-like
# sandbox: when dockerd cannot set up its bridge network or iptables there, it is retried with
# --iptables=false --bridge=none (containers then have no network, which teeflow's Docker steps do not
# need), and then with the vfs storage driver.
set -euo pipefail

DIR="${TEEFLOW_DOCKER_DIR:-/var/tmp/teeflow-docker}"
REGISTRY_ADDR="${TEEFLOW_REGISTRY_ADDR:-127.0.0.1:5000}"
DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
export DOCKER_HOST
mkdir -p "$DIR"

# One starter at a time: several helpers/CI jobs may call this together.
exec 9>"$DIR/.lock"
flock -w 120 9

log() { echo "docker-up: $*" >&2; }

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

start_docker_service() { # the host's own service, when systemd runs and knows one
  [[ "$DOCKER_HOST" == "unix:///var/run/docker.sock" ]] || return 1
  command -v systemctl >/dev/null 2>&1 && systemctl cat docker.service >/dev/null 2>&1 || return 1
  log "starting the installed docker service (systemctl start docker)"
  systemctl start docker >&2 || { log "systemctl could not start docker"; return 1; }
  for _ in $(seq 1 60); do
    docker_answers && { log "docker answers (systemd service)"; return 0; }
    sleep 1
  done
  log "the docker service started but does not answer"
  return 1
}

wait_for_docker() { # $1 = pid of dockerd we started
  for _ in $(seq 1 60); do
    docker_answers && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

start_dockerd() {
  local attempt=0
  local -a flag_sets=(
    ""
    "--iptables=false --ip6tables=false --bridge=none"
    "--iptables=false --ip6tables=false --bridge=none --storage-driver=vfs"
  )
  local host_flag=()
  [[ "$DOCKER_HOST" != "unix:///var/run/docker.sock" ]] && host_flag=(-H "$DOCKER_HOST")
  for flags in "${flag_sets[@]}"; do
    attempt=$((attempt + 1))
    log "starting dockerd ${flags:-(default flags)}; log: $DIR/dockerd.log"
    # shellcheck disable=SC2086
    setsid nohup dockerd "${host_flag[@]}" $flags >>"$DIR/dockerd.log" 2>&1 </dev/null 9>&- &
    local pid=$!
    echo "$pid" >"$DIR/dockerd.pid"
    if wait_for_docker "$pid"; then
      log "dockerd answers (pid $pid, flags: ${flags:-default})"
      echo "${flags:-default}" >"$DIR/dockerd.flags"
      return 0
    fi
    log "dockerd did not come up with ${flags:-default flags}; last log lines:"
    tail -n 5 "$DIR/dockerd.log" >&2 || true
    kill "$pid" 2>/dev/null || true
    sleep 2
    rm -f /var/run/docker.pid
  done
  log "could not start dockerd; see $DIR/dockerd.log"
  return 1
}

registry_answers() { curl -fs -o /dev/null --max-time 5 "http://$REGISTRY_ADDR/v2/"; }

start_registry() {
  local reg="$DIR/registry"
  mkdir -p "$reg/data"
  # Our own config: loopback only, no auth, deletes enabled (tests delete manifests).
  cat >"$reg/config.yml" <<CONF
version: 0.1
log:
  level: info
  fields:
    service: teeflow-registry
storage:
  filesystem:
    rootdirectory: $reg/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
CONF
  log "starting docker-registry on $REGISTRY_ADDR; log: $DIR/registry.log"
  setsid nohup docker-registry serve "$reg/config.yml" >>"$DIR/registry.log" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$DIR/registry.pid"
  for _ in $(seq 1 30); do
    registry_answers && { log "registry answers (pid $pid)"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  log "registry did not come up; last log lines:"
  tail -n 5 "$DIR/registry.log" >&2 || true
  return 1
}

if docker_answers; then
  log "docker already answers on $DOCKER_HOST"
elif ! start_docker_service; then
  if ! command -v dockerd >/dev/null 2>&1; then
    log "no Docker engine answers and dockerd is not installed (scripts/ensure-packages.sh installs docker.io)"
    exit 1
  fi
  start_dockerd
fi

if registry_answers; then
  log "registry already answers on $REGISTRY_ADDR"
elif ! command -v docker-registry >/dev/null 2>&1; then
  log "no registry answers on $REGISTRY_ADDR and docker-registry is not installed (scripts/ensure-packages.sh installs it)"
  exit 1
else
  start_registry
fi
