#!/usr/bin/env bash
# Stops what services:up started; leaves nothing running. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(ignite kafka slapd)
status=0
for service in "${services[@]}"; do
  "$here/$service/down.sh" || status=1
done
exit "$status"
