#!/usr/bin/env bash
# What sandboxed replicas need on this host (docs/security.md, "Hostile models"): Debian
# bubblewrap (mount, pid and ipc namespaces for each python worker) and the system user
# mlrun-model (no home, no login shell) that model code runs as.
#
# Idempotent and quick when done: installs bubblewrap only when bwrap is missing and adds
# the user only when it does not exist. Nothing keeps running, so there is no down.sh.
set -euo pipefail

log() { echo "[sandbox] $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

USER_NAME="${MLRUN_SANDBOX_USER:-mlrun-model}"

if ! command -v bwrap >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "bwrap is missing and there is no apt-get: install bubblewrap"
  log "installing bubblewrap (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
fi

if ! getent passwd "$USER_NAME" >/dev/null; then
  log "adding the system user $USER_NAME"
  nologin="$(command -v nologin || echo /usr/sbin/nologin)"
  # --system: a uid below 1000 with no aging; --no-create-home: model code owns no files.
  as_root useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell "$nologin" "$USER_NAME"
fi

log "bwrap $(bwrap --version | awk '{print $2}'), user $USER_NAME uid $(id -u "$USER_NAME")"
