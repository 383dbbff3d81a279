#!/usr/bin/env bash
# The browser the console's system test drives (apps/e2e, console.e2e-spec.ts): Debian's
# chromium, through playwright-core's executablePath (Playwright's own browser download
# cannot work here).
#
# Idempotent and quick when done: installs the package only when it is missing. Nothing
# keeps running, so there is no down.sh. Recommends are left out (desktop daemons, fonts
# beyond fontconfig's DejaVu); the test starts chromium with --no-sandbox as root (npm test
# runs as root), and as another user chromium sandboxes itself with user namespaces.
set -euo pipefail

log() { echo "[chromium] $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if ! pkg_installed chromium; then
  command -v apt-get >/dev/null 2>&1 || die "chromium is missing and there is no apt-get: install Debian's chromium"
  log "installing chromium (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# Debian's launcher script (/usr/bin/chromium) prints shell noise on some hosts; the
# version line is the one starting with "Chromium".
version="$(/usr/bin/chromium --version 2>/dev/null | grep -m1 '^Chromium' || true)"
[ -n "$version" ] || die "/usr/bin/chromium --version printed no version"
log "$version"
