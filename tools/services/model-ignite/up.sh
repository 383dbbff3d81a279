#!/usr/bin/env bash
# Starts the models' Ignite (ctx.ignite): the ignite service in its model role, a cluster of its
# own that holds none of the platform's caches. See ../ignite/up.sh for ports and state.
set -euo pipefail
MLRUN_IGNITE_ROLE=model exec "$(dirname "$0")/../ignite/up.sh" "$@"
