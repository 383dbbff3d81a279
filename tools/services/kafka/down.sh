#!/usr/bin/env bash
# Stops the Kafka broker started by up.sh: SIGTERM for a clean shutdown (Kafka
# flushes logs and leaves the quorum), SIGKILL if it has not exited within
# KAFKA_STOP_TIMEOUT seconds (default 20). Idempotent: nothing running is fine.
# Keeps jars and data; delete "$STATE/kafka" by hand for a full reset.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$SCRIPT_DIR/common.sh"

if [[ ! -d "$KAFKA_HOME" ]]; then
  log "not installed ($KAFKA_HOME missing); nothing to stop"
  exit 0
fi

# Same lock as up.sh, so we never race a broker that is just being started.
exec 9>"$KAFKA_HOME/.lock"
flock -w 180 9 || { log "timed out waiting for $KAFKA_HOME/.lock"; exit 1; }

# The pid file first, then any broker of this state dir that lost its pid file
# (matched on our own server.properties path, never on a generic name).
pids="$(
  running_pid
  orphan_pids
)"
pids="$(printf '%s\n' "$pids" | sed '/^$/d' | sort -un)"

rc=0
if [[ -z "$pids" ]]; then
  log "not running"
else
  while read -r pid; do
    stop_pid "$pid" || rc=1
  done <<<"$pids"
fi
rm -f "$KAFKA_PID_FILE"
exit "$rc"
