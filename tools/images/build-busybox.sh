#!/usr/bin/env bash
# Builds a tiny (about 2 MB) test image from Debian's busybox-static package, for
# fast Docker/Swarm tests that need a container, not the model runtime: sh, sleep,
# nc, wget and `httpd` (e.g. a Swarm service with host networking that serves
# /www on its own port: busybox httpd -f -p 127.0.0.1:$PORT -h /www; GET /healthz
# answers "ok").
#
# Usage: tools/images/build-busybox.sh [--push] [--print-tag]
#   --push       also push the hash tag to the registry on 127.0.0.1:5000
#                (MLRUN_REGISTRY_PORT) with the push credential (tools/images/registry.sh)
#   --print-tag  print the tag this recipe builds, build nothing
#
# Tags: 127.0.0.1:5000/ml-run/busybox:<hash> and ml-run/busybox:latest, <hash> = 12 hex
# of sha256 over this script and common.sh; cached by content like build-base.sh.
# Image: USER 10001:10001 (mlrun), WORKDIR /home/mlrun, CMD ["sh"], PATH=/bin.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG_PREFIX=busybox
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$HERE/common.sh"

USER_ID=10001

parse_flags "$@"
init_recipe busybox "$HERE/build-busybox.sh" "$HERE/common.sh"
if [ "$PRINT_TAG" = 1 ]; then echo "$TAG"; exit 0; fi

build_rootfs() {
  local work="$CACHE/work" root applet
  remove_tree "$work"
  mkdir -p "$work/deb"
  root="$work/rootfs"
  # Only downloaded and unpacked, never installed on this machine.
  if ! apt-cache show busybox-static >/dev/null 2>&1; then apt-get update >/dev/null; fi
  (cd "$work/deb" && apt-get download busybox-static >/dev/null 2>&1) \
    || die "apt-get download busybox-static failed"
  dpkg-deb -x "$work"/deb/busybox-static_*.deb "$work/pkg"
  log "busybox-static $(dpkg-deb -f "$work"/deb/busybox-static_*.deb Version)"

  mkdir -p "$root"/{bin,etc,proc,sys,dev,root,www}
  install -m 755 "$work/pkg/bin/busybox" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  install -d -m 1777 "$root/tmp"
  install -d -m 775 -o "$USER_ID" -g 0 "$root/home/mlrun"
  printf 'root:x:0:0:root:/root:/bin/sh\nmlrun:x:%d:%d:ML-RUN:/home/mlrun:/bin/sh\n' \
    "$USER_ID" "$USER_ID" >"$root/etc/passwd"
  printf 'root:x:0:\nmlrun:x:%d:\n' "$USER_ID" >"$root/etc/group"
  printf 'ok\n' >"$root/www/healthz"
  pack_rootfs "$root" "$ROOTFS_TAR"
  remove_tree "$work"
}

import_image() {
  import_rootfs "$ROOTFS_TAR" "$TAG" "ML-RUN busybox test image, recipe $HASH" \
    "ENV PATH=/bin" \
    "ENV HOME=/home/mlrun" \
    "LABEL org.opencontainers.image.title=$NAME ml-run.recipe=$HASH" \
    "USER $USER_ID:$USER_ID" \
    "WORKDIR /home/mlrun" \
    'CMD ["sh"]'
}

check_image() {
  # shellcheck disable=SC2016 # expanded inside the container
  smoke_test sh -c 'set -e; echo "uid $(id -u)"; busybox | head -n 1'
}

build_image
