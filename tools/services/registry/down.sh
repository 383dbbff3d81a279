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
# Shared helpers (is_our_process, pids_matching, term_wait_kill); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[ -d "$DIR" ] || { log "not running (no state dir $DIR)"; exit 0; }

# Same lock as up.sh, so a stop never races a start.
exec 9>"$DIR/.lock"
flock -w 120 9 || { log "timed out waiting for $DIR/.lock"; exit 1; }

# Ours: a live docker-registry serving our config (guards against pid reuse).
ours=(docker-registry "serve $CONF ")
# The pid file first, then any registry serving our config that lost its pid file.
pids="$(
  {
    if [ -s "$PIDFILE" ] && is_our_process "$(cat "$PIDFILE")" "${ours[@]}"; then cat "$PIDFILE"; fi
    pids_matching "${ours[@]}"
  } | sort -un
)"

rc=0
if [ -z "$pids" ]; then
  log "not running"
fi
for pid in $pids; do
  # SIGTERM: the registry drains in-flight requests and exits.
  term_wait_kill "$pid" "$STOP_TIMEOUT" docker-registry || rc=1
done
rm -f "$PIDFILE"
if [ -n "$pids" ]; then log "stopped"; fi
exit "$rc"
