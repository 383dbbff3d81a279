#!/usr/bin/env bash
# Stops what services:up started; leaves nothing running. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
services=("$@")
if [ ${#services[@]} -eq 0 ]; then
  for service in kubernetes registry docker model-ignite ignite kafka slapd; do
    [ -x "$here/$service/down.sh" ] && services+=("$service")
  done
fi
status=0
for service in "${services[@]}"; do
  "$here/$service/down.sh" || status=1
done
exit "$status"
