#!/usr/bin/env bash
# Stops the Ignite server started by up.sh (MLRUN_IGNITE_ROLE: platform, the default, or model):
# SIGTERM (graceful Ignition.stop in the server's shutdown hook), wait up to 30 s, then SIGKILL.
# Idempotent: does nothing when it is not running.
set -euo pipefail

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
case "${MLRUN_IGNITE_ROLE:-platform}" in
  platform) name=ignite ;;
  model) name=model-ignite ;;
  *) echo "ignite: MLRUN_IGNITE_ROLE must be platform or model" >&2; exit 2 ;;
esac
dir="$STATE/$name"
pidfile="$dir/ignite.pid"
grace="${MLRUN_IGNITE_STOP_TIMEOUT:-30}"

log() { printf '%s: %s\n' "$name" "$*"; }

pid=""
if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile" 2>/dev/null || true)"
fi
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null \
   || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dmlrun.ignite.stateDir=$dir "; then
  rm -f "$pidfile"
  log "not running"
  exit 0
fi

log "stopping (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true
start=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
  if [ $((SECONDS - start)) -ge "$grace" ]; then
    log "still running after ${grace}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    break
  fi
  sleep 0.2
done
rm -f "$pidfile"
log "stopped ($((SECONDS - start))s)"
