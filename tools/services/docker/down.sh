#!/usr/bin/env bash
# Stop ML-RUN's own dockerd (the one up.sh started) and the containerd it manages.
# Idempotent: nothing running is fine. Any other dockerd/containerd on the machine is
# never touched: processes are matched on our own data-root/exec-root paths.
#
# dockerd stops its running containers (including Swarm tasks) on SIGTERM, then its
# containerd. Images, volumes and the Swarm (raft state, services) stay in
# $STATE/docker/data, so the next up.sh brings back the same single-node Swarm and
# Swarm restarts the services' tasks.
# Env: MLRUN_DOCKER_STOP_TIMEOUT (seconds before SIGKILL, default 60)
set -euo pipefail

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
DIR="$STATE/docker"
DATA_ROOT="$DIR/data"
EXEC_ROOT="$DIR/run"
PIDFILE="$DIR/dockerd.pid"
STOP_TIMEOUT="${MLRUN_DOCKER_STOP_TIMEOUT:-60}"

log() { echo "[docker] $*" >&2; }
# Shared helpers (now_ms, secs_since, alive, pids_matching); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[ -d "$DIR" ] || { log "not running (no state dir $DIR)"; exit 0; }

# Same lock as up.sh, so a stop never races a start.
exec 9>"$DIR/.lock"
flock -w 180 9 || { log "timed out waiting for $DIR/.lock"; exit 1; }

# dockerd of this data-root; containerd started by it (its config lives in our
# exec-root); containerd shims serving our containers (they name our socket).
dockerd_pids() { pids_matching dockerd "--data-root $DATA_ROOT "; }
containerd_pids() { pids_matching containerd "--config $EXEC_ROOT/containerd/containerd.toml"; }
shim_pids() { pids_matching containerd-shim "-address $EXEC_ROOT/containerd/containerd.sock"; }

# SIGTERM, wait up to $2 seconds, then SIGKILL. Not lib.sh's term_wait_kill: other
# messages, and after the SIGKILL it waits up to 5 s for the process to be gone.
stop_pid() {
  local pid="$1" grace="$2" what="$3" i
  log "stopping $what (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$what (pid $pid) still alive after ${grace} s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$what (pid $pid) did not die after SIGKILL"
  return 1
}

t0="$(now_ms)"
rc=0
stopped=0
for pid in $(dockerd_pids); do
  stopped=1
  # dockerd stops containers (10 s each at most) and then its containerd.
  stop_pid "$pid" "$STOP_TIMEOUT" dockerd || rc=1
done
# Left behind only when dockerd was killed or crashed.
for pid in $(shim_pids); do
  stopped=1
  # A shim's children are the container processes; stop them with it.
  for child in $(pgrep -P "$pid" || true); do stop_pid "$child" 10 "container process" || rc=1; done
  stop_pid "$pid" 10 containerd-shim || rc=1
done
for pid in $(containerd_pids); do
  stopped=1
  stop_pid "$pid" 20 containerd || rc=1
done

# dockerd unmounts its layers and netns files on a clean exit; after a kill they
# stay, and a later rm -rf of the state dir would walk into them.
mounts="$(awk -v p="$DIR/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r)"
for m in $mounts; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || { log "could not unmount $m"; rc=1; }
done

rm -f "$PIDFILE"
if [ "$stopped" -eq 0 ]; then
  log "not running"
else
  log "stopped in $(secs_since "$t0") s"
fi
exit "$rc"
