#!/usr/bin/env bash
# Stops the models' Ignite (see ../ignite/down.sh).
set -euo pipefail
MLRUN_IGNITE_ROLE=model exec "$(dirname "$0")/../ignite/down.sh" "$@"
