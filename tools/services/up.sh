#!/usr/bin/env bash
# Installs (when missing) and starts the real components cluster mode uses, each on
# 127.0.0.1 (kubernetes also on its node IP 10.213.0.1) and waited on until healthy:
# npm run services:up [-- sandbox slapd kafka ignite model-ignite docker registry kubernetes].
# State, logs and pids live under ${MLRUN_SERVICES_DIR:-~/.ml-run/services}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
services=("$@")
if [ ${#services[@]} -eq 0 ]; then
  for service in sandbox slapd kafka ignite model-ignite docker registry kubernetes; do
    [ -x "$here/$service/up.sh" ] && services+=("$service")
  done
fi
for service in "${services[@]}"; do
  printf '== %s\n' "$service"
  "$here/$service/up.sh"
done
