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
# Shared helpers (alive, is_our_process, term_wait_kill); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[ -d "$DIR" ] || { log "not running (no state dir $DIR)"; exit 0; }

# Same lock as up.sh, so a stop never races a start.
exec 9>"$DIR/.lock"
flock 9

pid=""
if [ -s "$PIDFILE" ]; then pid="$(cat "$PIDFILE")"; fi

# Only signal the pid if it is a live slapd process (guards against pid reuse).
if ! is_our_process "$pid" slapd; then
  rm -f "$PIDFILE" "$DIR/slapd.args"
  log "not running"
  exit 0
fi

# SIGTERM lets slapd close the mdb environment cleanly and remove its pid file.
# Whether a SIGKILLed slapd is gone yet is not checked: "stopped" either way.
term_wait_kill "$pid" "$STOP_TIMEOUT" slapd || true
rm -f "$PIDFILE" "$DIR/slapd.args"
log "stopped"
