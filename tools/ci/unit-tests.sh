#!/usr/bin/env bash
# The unit and HTTP-contract tests, as CI runs them (tools/ci/test.sh) and as
# `npm run test:stress` runs them under load: every project but e2e, two at a time, nothing
# taken from the Nx cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true FORCE_COLOR=0
exec npx nx run-many -t test --exclude=e2e --outputStyle=static --parallel=2 --skip-nx-cache "$@"
