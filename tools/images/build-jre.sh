#!/usr/bin/env bash
# Builds the ML-RUN JRE image from Debian packages only (no image registry needed):
# debootstrap a minimal Debian trixie (--variant=minbase) with the packages in
# jre.packages (a headless OpenJDK 21), slimmed like the base image, with the non-root
# user mlrun (uid/gid 10001), and `docker import` it. The JVM services' image
# (ml-run/jvm, tools/images/build-platform.sh) starts FROM it and adds their jars, so a
# change to those never runs debootstrap again.
#
# Usage: tools/images/build-jre.sh [--push] [--print-tag]
#   --push, --print-tag  as in build-base.sh
#
# Tags: 127.0.0.1:5000/ml-run/jre:<hash> and ml-run/jre:latest, <hash> = 12 hex of sha256
# over this script, common.sh and jre.packages; cached by content like build-base.sh
# (the .debs are shared with it under $STATE/images/debs/trixie).
#
# Image: USER 10001:10001, HOME /home/mlrun (owned 10001:0, mode 775: an arbitrary uid
# in group 0, as on OpenShift, can write), CMD ["java", "-version"], LANG=C.UTF-8.
# Env: MLRUN_DEBIAN_MIRROR (default http://deb.debian.org/debian)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG_PREFIX=jre
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$HERE/common.sh"

SUITE=trixie
MIRROR="${MLRUN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES_FILE="$HERE/jre.packages"
USER_ID=10001
DEB_CACHE="$IMAGES_DIR/debs/$SUITE"

parse_flags "$@"
init_recipe jre "$HERE/build-jre.sh" "$HERE/common.sh" "$PACKAGES_FILE"
if [ "$PRINT_TAG" = 1 ]; then echo "$TAG"; exit 0; fi

# Nothing beyond common.sh's Debian rootfs: the JRE is a Debian package.
customize_rootfs() { :; }

import_image() {
  import_rootfs "$ROOTFS_TAR" "$TAG" "ML-RUN JRE image, recipe $HASH" \
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "ENV LANG=C.UTF-8" \
    "ENV HOME=/home/mlrun" \
    "LABEL org.opencontainers.image.title=$NAME ml-run.recipe=$HASH" \
    "USER $USER_ID:$USER_ID" \
    "WORKDIR /home/mlrun" \
    'CMD ["java", "-version"]'
}

check_image() {
  # shellcheck disable=SC2016 # expanded inside the container
  smoke_test sh -c 'set -e; echo "uid $(id -u)"; java -version 2>&1 | head -n 1'
}

build_image
