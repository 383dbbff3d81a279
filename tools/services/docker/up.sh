#!/usr/bin/env bash
# Start ML-RUN's own Docker Engine (Debian docker.io, dockerd 20.10) as a single-node
# Swarm manager, reachable only on the unix socket $STATE/docker/docker.sock.
#
# Idempotent: installs docker.io only when missing, does nothing when our dockerd is
# already running with an active Swarm, and initialises the Swarm only once (its state
# stays in the data-root across down/up). It never uses the system engine
# (/var/run/docker.sock, /var/lib/docker) and opens no TCP port of its own; Swarm's
# raft (2377) and gossip (7946) listen on 127.0.0.1 only.
#
# Every container runs with no_new_privs (--no-new-privileges): API 1.41 has no per-service
# switch for it, so the daemon sets it for all of them. A running dockerd of ours without
# it is restarted once to add it (its Swarm tasks stop and Swarm starts them again).
#
# Containers run with host networking: there is no bridge (--bridge=none), no iptables
# rules, no ip_forward change, and the Swarm routing mesh (the `ingress` overlay on
# 10.0.0.0/24 and its docker_gwbridge) is removed right after `swarm init`.
#
# Prints `export DOCKER_HOST=...` lines on stdout (logs go to stderr), so
#   eval "$(tools/services/docker/up.sh)"
# points the docker CLI at this engine.
#
# State under $STATE/docker/ with STATE=${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}:
#   data/ (images, containers, swarm raft), run/ (exec-root), docker.sock,
#   dockerd.pid, dockerd.log, daemon.json
# Env: MLRUN_DOCKER_START_TIMEOUT (seconds, default 60)
set -euo pipefail

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
DIR="$STATE/docker"
DATA_ROOT="$DIR/data"
EXEC_ROOT="$DIR/run"
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/dockerd.pid"
LOG="$DIR/dockerd.log"
CONFIG="$DIR/daemon.json"
REGISTRY=127.0.0.1:5000
SWARM_ADDR=127.0.0.1
SWARM_PORT=2377
START_TIMEOUT="${MLRUN_DOCKER_START_TIMEOUT:-60}"
# Our containers live in their own containerd namespace, so they never mix with a
# system engine's ("moby") even if dockerd picks up a running system containerd.
CONTAINERD_NS=mlrun

DOCKERD=/usr/sbin/dockerd
# Debian's 20.10 client; a newer docker CLI earlier on PATH would ask for an API
# version this engine does not speak unless pinned.
DOCKER=/usr/bin/docker
export DOCKER_API_VERSION=1.41
export DOCKER_HOST="unix://$SOCK"
# dockerd finds containerd, runc and docker-init on PATH (a non-root PATH may lack sbin).
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

log() { echo "[docker] $*" >&2; }
# Shared helpers (die, secs_since, alive, port_open, ...); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Prints our dockerd's pid: from the pid file, else a dockerd of this data-root
# that lost its pid file. Matched on the data-root, so pid reuse and any other
# dockerd on the machine never count.
our_pid() { find_our_pid "$PIDFILE" dockerd "--data-root $DATA_ROOT "; }

dk() { timeout 30 "$DOCKER" "$@"; }

healthy() {
  [ -S "$SOCK" ] && dk info --format '{{.ServerVersion}}' >/dev/null 2>&1
}

install_if_missing() {
  if pkg_installed docker.io && [ -x "$DOCKERD" ] && [ -x "$DOCKER" ]; then return 0; fi
  local t0=$SECONDS guard=""
  log "installing docker.io (Debian package)"
  if ! apt-cache show docker.io >/dev/null 2>&1; then apt-get update; fi
  # The package's postinst would start the system engine on /var/run/docker.sock;
  # a temporary policy-rc.d (exit 101 = "not allowed") keeps it stopped.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard"
    chmod 755 "$guard"
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io || rc=$?
  if [ -n "$guard" ]; then rm -f "$guard"; fi
  [ "$rc" -eq 0 ] || die "apt-get install docker.io failed"
  log "installed in $((SECONDS - t0)) s"
}

# Unix socket paths are limited to 107 bytes; containerd's live in the exec-root.
check_paths() {
  local longest="$EXEC_ROOT/containerd/containerd-debug.sock"
  [ "${#longest}" -lt 100 ] || die "state dir path too long for unix sockets ($longest); set MLRUN_SERVICES_DIR to a shorter path"
}

# Our own (empty) config file, so a system /etc/docker/daemon.json (which could add
# a TCP host, a bridge or registry mirrors) never applies. Everything is a flag.
write_config() {
  [ -f "$CONFIG" ] || printf '{}\n' >"$CONFIG"
}

start() {
  local t0 launched
  t0="$(now_ms)"
  rm -f "$PIDFILE"
  if [ -S /run/containerd/containerd.sock ]; then
    log "note: a system containerd runs on /run/containerd/containerd.sock; dockerd will use it (namespace $CONTAINERD_NS)"
  fi
  log "starting dockerd on $DOCKER_HOST (log: $LOG)"
  echo "=== $(date -Is) start ===" >>"$LOG"
  # setsid: own session, so dockerd outlives this script and the caller's Ctrl-C.
  # fd 9 (the flock) is closed for dockerd, or the lock would live as long as it.
  setsid "$DOCKERD" \
    --config-file "$CONFIG" \
    --data-root "$DATA_ROOT" \
    --exec-root "$EXEC_ROOT" \
    --pidfile "$PIDFILE" \
    -H "unix://$SOCK" \
    --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
    --insecure-registry "$REGISTRY" \
    --swarm-default-advertise-addr "$SWARM_ADDR" \
    --containerd-namespace "$CONTAINERD_NS" \
    --containerd-plugins-namespace "$CONTAINERD_NS-plugins" \
    --no-new-privileges \
    --log-level warn \
    </dev/null >>"$LOG" 2>&1 9>&- &
  launched=$!
  wait_healthy "$launched"
  log "dockerd answering in $(secs_since "$t0") s (pid $(our_pid || echo "?"))"
}

wait_healthy() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  until healthy; do
    if ! alive "$pid"; then
      tail -n 40 "$LOG" >&2
      die "dockerd (pid $pid) exited during startup"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$LOG" >&2
      die "dockerd (pid $pid) not answering after ${START_TIMEOUT} s; run down.sh and retry"
    fi
    sleep 0.1
  done
}

# The routing mesh is an overlay network on a private range (10.0.0.0/24) plus the
# docker_gwbridge bridge on the host; we publish nothing through it (services use
# host networking), so it goes. Both are set up asynchronously about a second after
# `swarm init`, and torn down asynchronously too: removing them early races that.
drop_routing_mesh() {
  local deadline=$((SECONDS + 20))
  until [ -n "$(dk network inspect ingress --format '{{range .Containers}}{{.Name}}{{end}}' 2>/dev/null)" ]; do
    [ "$SECONDS" -lt "$deadline" ] || break
    sleep 0.1
  done
  if dk network inspect ingress >/dev/null 2>&1; then
    printf 'y\n' | dk network rm ingress >/dev/null 2>>"$LOG" \
      || log "warning: could not remove the ingress network (see $LOG)"
  fi
  # Fails with "active endpoints" until the ingress sandbox is gone.
  until dk network rm docker_gwbridge >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      if dk network inspect docker_gwbridge >/dev/null 2>&1; then
        log "warning: could not remove the docker_gwbridge network"
      fi
      break
    fi
    sleep 0.2
  done
}

swarm_init() {
  local out
  log "initialising a single-node swarm on $SWARM_ADDR:$SWARM_PORT"
  # The join token it prints is not needed (single node) and not shown.
  if ! out="$(dk swarm init --advertise-addr "$SWARM_ADDR" \
    --listen-addr "$SWARM_ADDR:$SWARM_PORT" --data-path-addr "$SWARM_ADDR" 2>&1)"; then
    echo "$out" >&2
    die "docker swarm init failed (is $SWARM_ADDR:$SWARM_PORT taken by another process?)"
  fi
  drop_routing_mesh
}

# Waits until this node is an active manager; initialises the swarm when inactive.
# After a restart the raft log is replayed first ("pending" for a moment).
ensure_swarm() {
  local t0 state deadline=$((SECONDS + START_TIMEOUT))
  t0="$(now_ms)"
  while :; do
    state="$(dk info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null || true)"
    case "$state" in
      "active true")
        if dk node ls -q >/dev/null 2>&1; then break; fi ;;
      "inactive "*) swarm_init ;;
      "locked "*) die "swarm is locked (autolock): DOCKER_HOST=$DOCKER_HOST docker swarm unlock" ;;
      "error "*) die "swarm in error state; see $LOG (reset: DOCKER_HOST=$DOCKER_HOST docker swarm leave --force)" ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "swarm not active after ${START_TIMEOUT} s (state: ${state:-unknown}); see $LOG"
    fi
    sleep 0.1
  done
  log "swarm active (node $(dk info --format '{{.Swarm.NodeID}}'), manager ready in $(secs_since "$t0") s)"
}

# True when our dockerd (pid $1) was started with --no-new-privileges. docker info does
# not show that setting, so the command line is read.
has_no_new_privileges() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qx -- '--no-new-privileges'
}

# Stops our dockerd (pid $1) so start() can bring it back with today's flags. down.sh
# would wait for the lock this script holds, so the stop is done here.
stop_for_restart() {
  local pid="$1" i
  log "restarting dockerd (pid $pid): it runs without --no-new-privileges"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 600; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  die "dockerd (pid $pid) did not stop within 60 s; run down.sh and retry"
}

usage() {
  echo "export DOCKER_HOST=$DOCKER_HOST"
  echo "export DOCKER_API_VERSION=$DOCKER_API_VERSION"
}

main() {
  [ "$(id -u)" -eq 0 ] || die "dockerd needs root; run as root (sudo)"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  check_paths
  # Serialize concurrent up/down runs (e.g. parallel task runners).
  exec 9>"$DIR/.lock"
  flock -w $((START_TIMEOUT + 120)) 9 || die "another up.sh/down.sh holds $DIR/.lock"

  install_if_missing
  write_config

  local pid port
  if pid="$(our_pid)"; then
    if ! healthy; then
      # Alive but not (yet) answering: maybe still starting; give it the timeout.
      log "dockerd (pid $pid) runs but does not answer yet; waiting"
      wait_healthy "$pid"
    fi
    if has_no_new_privileges "$pid"; then
      log "already running (pid $pid) on $DOCKER_HOST"
      [ -s "$PIDFILE" ] || echo "$pid" >"$PIDFILE"
    else
      stop_for_restart "$pid"
      start
    fi
  else
    # Swarm binds these when our dockerd starts; another manager (e.g. a second
    # state dir) holding them would make swarm init or the restart fail half-way.
    for port in "$SWARM_PORT" 7946; do
      if port_open "$SWARM_ADDR" "$port"; then die "$SWARM_ADDR:$port is already in use by another process"; fi
    done
    start
  fi
  ensure_swarm
  usage
}

main "$@"
