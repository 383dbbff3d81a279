#!/usr/bin/env bash
# Builds the ML-RUN base image from Debian packages only (no image registry needed):
# debootstrap a minimal Debian trixie (--variant=minbase) with the packages in
# base.packages (nodejs 20.19.x, python3, ca-certificates), strip apt lists, docs,
# man pages and locales, add the non-root user mlrun (uid/gid 10001) and the user
# mlrun-model (uid/gid 10002) that model code runs as apart from the wrapper, and
# `docker import` it into our engine (tools/services/docker/up.sh).
#
# Usage: tools/images/build-base.sh [--push] [--print-tag]
#   --push       also push the hash tag to the registry on 127.0.0.1:5000
#                (tools/services/registry/up.sh; MLRUN_REGISTRY_PORT) with the push
#                credential (tools/images/registry.sh); fails when it is down
#   --print-tag  print the tag this recipe builds, build nothing
#
# Tags: 127.0.0.1:5000/ml-run/base:<hash> and ml-run/base:latest, where <hash> is
# 12 hex of sha256 over this script, common.sh and base.packages. Cached by content:
# with that tag present nothing is built; else it is pulled from the registry if
# there, else imported from the rootfs tarball cached under
# $STATE/images/base/rootfs-<hash>.tar, else debootstrapped (downloaded .debs are
# kept in $STATE/images/debs/trixie). Prints the tag on stdout; logs go to stderr.
#
# Image: USER 10001:10001, WORKDIR and HOME /home/mlrun (owned 10001:0, mode 775 so
# an arbitrary uid in group 0, as on OpenShift, can write too), CMD ["node"],
# LANG=C.UTF-8, NODE_ENV=production, PYTHONUNBUFFERED=1, PYTHONDONTWRITEBYTECODE=1.
# Env: MLRUN_DEBIAN_MIRROR (default http://deb.debian.org/debian)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG_PREFIX=base
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$HERE/common.sh"

SUITE=trixie
MIRROR="${MLRUN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES_FILE="$HERE/base.packages"
USER_ID=10001
# Model code (python workers) runs as this uid in a Swarm replica, so it cannot read the
# wrapper's /proc (its credential); it owns nothing in the image.
MODEL_USER_ID=10002
DEB_CACHE="$IMAGES_DIR/debs/$SUITE"

parse_flags "$@"
init_recipe base "$HERE/build-base.sh" "$HERE/common.sh" "$PACKAGES_FILE"
if [ "$PRINT_TAG" = 1 ]; then echo "$TAG"; exit 0; fi

# Before common.sh's slimming: pyignite from PyPI; settings that keep later installs (the
# models' dependency layers) as slim as the image; the model code's user.
customize_rootfs() {
  local root="$1"
  install_python_packages "$root"
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-ml-run-slim" <<'EOF'
# ML-RUN base image: no docs, man pages or translations in later installs.
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
EOF
  cat >"$root/etc/apt/apt.conf.d/01-ml-run-slim" <<'EOF'
// ML-RUN base image: only what a package needs, no translations.
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  add_user "$root" mlrun-model "$MODEL_USER_ID" /nonexistent "ML-RUN model code"
}

# Python packages the wrapper offers every python model, from PyPI (Debian has no pyignite):
# pyignite for ctx.ignite. pip stays in the image for the models' own dependency layers.
PYTHON_PACKAGES=(pyignite==0.6.1)

install_python_packages() {
  local root="$1"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # The download trusts what this host trusts (a package proxy may use its own CA); the
  # bundle is removed again, so the image keeps Debian's own CA list.
  local bundle="$root/etc/ssl/certs/ca-certificates.crt"
  cp "$bundle" "$bundle.debian"
  cp /etc/ssl/certs/ca-certificates.crt "$bundle"
  log "pip install ${PYTHON_PACKAGES[*]}"
  env -u PIP_FIND_LINKS chroot "$root" python3 -m pip install --quiet --no-cache-dir \
    --break-system-packages --root-user-action=ignore "${PYTHON_PACKAGES[@]}" 2>&1 |
    tail -n 20 >&2 || true
  mv "$bundle.debian" "$bundle"
  : >"$root/etc/resolv.conf"
  chroot "$root" python3 -c "import pyignite" || die "pip install in the image failed"
}

import_image() {
  import_rootfs "$ROOTFS_TAR" "$TAG" "ML-RUN base image, recipe $HASH" \
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "ENV LANG=C.UTF-8" \
    "ENV HOME=/home/mlrun" \
    "ENV NODE_ENV=production" \
    "ENV PYTHONUNBUFFERED=1" \
    "ENV PYTHONDONTWRITEBYTECODE=1" \
    "LABEL org.opencontainers.image.title=$NAME ml-run.recipe=$HASH" \
    "USER $USER_ID:$USER_ID" \
    "WORKDIR /home/mlrun" \
    'CMD ["node"]'
}

# Proves the image runs as mlrun and has what the wrapper needs.
check_image() {
  # shellcheck disable=SC2016 # expanded inside the container
  smoke_test sh -c '
    set -e
    echo "uid $(id -u)"
    echo "model uid $(id -u mlrun-model)"
    setpriv --version >/dev/null
    node -e "const [a, b] = process.versions.node.split(\".\").map(Number);
      if (a < 20 || (a === 20 && b < 19)) { console.error(\"node \" + process.version + \" < 20.19\"); process.exit(1); }
      console.log(\"node \" + process.version)"
    python3 -c "import json, ssl, sqlite3, zlib, sys, pyignite; print(\"python \" + sys.version.split()[0])"'
}

build_image
