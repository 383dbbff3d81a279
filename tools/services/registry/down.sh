#!/usr/bin/env bash
# Stop ML-RUN's own docker-registry (the one up.sh started, matched on its pid file
# or on our config path). Idempotent: nothing running is fine. Any other registry on
# the machine is never touched. Images stay in $STATE/registry/data.
#
# To reclaim space after deleting manifests (stopped registry):
#   docker-registry garbage-collect --delete-untagged "$STATE/registry/config.yml"
set -euo pipefail

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
DIR="$STATE/registry"
CONF="$DIR/config.yml"
PIDFILE="$DIR/registry.pid"
STOP_TIMEOUT=15

log() { echo "[registry] $*" >&2; }

[ -d "$DIR" ] || { log "not running (no state dir $DIR)"; exit 0; }

# Same lock as up.sh, so a stop never races a start.
exec 9>"$DIR/.lock"
flock -w 120 9 || { log "timed out waiting for $DIR/.lock"; exit 1; }

# Alive = exists and is not a zombie (PID 1 in a container may not reap it).
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != "Z" ]
}

is_our_registry() {
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  alive "$1" || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null || true)" = "docker-registry" ] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "serve $CONF "
}

# The pid file first, then any registry serving our config that lost its pid file.
pids="$(
  {
    if [ -s "$PIDFILE" ] && is_our_registry "$(cat "$PIDFILE")"; then cat "$PIDFILE"; fi
    for d in /proc/[0-9]*; do
      if is_our_registry "${d#/proc/}"; then echo "${d#/proc/}"; fi
    done
  } | sort -un
)"

rc=0
if [ -z "$pids" ]; then
  log "not running"
fi
for pid in $pids; do
  log "stopping docker-registry (pid $pid)"
  # SIGTERM: the registry drains in-flight requests and exits.
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((STOP_TIMEOUT * 10))); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    log "docker-registry did not stop within ${STOP_TIMEOUT} s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
    if alive "$pid"; then rc=1; fi
  fi
done
rm -f "$PIDFILE"
if [ -n "$pids" ]; then log "stopped"; fi
exit "$rc"
