#!/usr/bin/env bash
# Stop ML-RUN's own slapd (the one up.sh started, found via its pid file).
# Idempotent: no pid file or a stale one is fine. The system slapd on :389 and
# any other slapd are never touched. Data stays in $STATE/slapd/data, so the
# next up.sh starts without reseeding.
set -euo pipefail

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
DIR="$STATE/slapd"
PIDFILE="$DIR/slapd.pid"
STOP_TIMEOUT=15

log() { echo "[slapd] $*" >&2; }

[ -d "$DIR" ] || { log "not running (no state dir $DIR)"; exit 0; }

# Same lock as up.sh, so a stop never races a start.
exec 9>"$DIR/.lock"
flock 9

# Alive = exists and is not a zombie (PID 1 in a container may not reap it).
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != "Z" ]
}

pid=""
if [ -s "$PIDFILE" ]; then pid="$(cat "$PIDFILE")"; fi

# Only signal the pid if it is a live slapd process (guards against pid reuse).
if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! alive "$pid" \
   || [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != "slapd" ]; then
  rm -f "$PIDFILE" "$DIR/slapd.args"
  log "not running"
  exit 0
fi

log "stopping slapd (pid $pid)"
# SIGTERM lets slapd close the mdb environment cleanly and remove its pid file.
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 $((STOP_TIMEOUT * 10))); do
  alive "$pid" || break
  sleep 0.1
done
if alive "$pid"; then
  log "slapd did not stop within ${STOP_TIMEOUT} s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
fi
rm -f "$PIDFILE" "$DIR/slapd.args"
log "stopped"
