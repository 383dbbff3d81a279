# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
# Shared settings and helpers for the image build scripts. Sourced, never executed.
#
# An image is tagged $REGISTRY/ml-run/<name>:<recipe hash>, where the hash is the first
# 12 hex digits of sha256 over its recipe (the build script, this file, its package
# list), and also ml-run/<name>:latest. A tag that already exists means "built": the
# scripts skip all work, so reruns cost a docker image inspect.

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
IMAGES_DIR="$STATE/images"
# Our engine (tools/services/docker/up.sh), never the system one unless asked for.
export DOCKER_HOST="${MLRUN_DOCKER_HOST:-unix://$STATE/docker/docker.sock}"
# Debian's 20.10 engine speaks API 1.41; a newer docker CLI earlier on PATH would
# ask for more unless pinned.
export DOCKER_API_VERSION=1.41
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER="$(command -v docker || echo docker)"

LOG_PREFIX="${LOG_PREFIX:-images}"
log() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
secs_since() { awk -v t="$(($(now_ms) - $1))" 'BEGIN { printf "%.1f", t / 1000 }'; }

dk() { "$DOCKER" "$@"; }

# Registry address and access (TLS, a credential per role): REGISTRY, registry_up,
# registry_has, with_registry_login.
# shellcheck source-path=SCRIPTDIR source=registry.sh
source "$(dirname "${BASH_SOURCE[0]}")/registry.sh"

# 12 hex of sha256 over the recipe files (names and contents).
recipe_hash() {
  local f
  for f in "$@"; do
    printf '%s\n' "$(basename "$f")"
    cat "$f"
  done | sha256sum | cut -c1-12
}

# Package list file: one name per line, '#' comments; prints them comma-separated.
package_list() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$1" | paste -sd, -
}

require_docker() {
  dk info --format '{{.ServerVersion}}' >/dev/null 2>&1 \
    || die "no Docker engine answers on $DOCKER_HOST; start it: tools/services/docker/up.sh"
}

image_exists() {
  dk image inspect "$1" >/dev/null 2>&1
}

# Unmounts everything below $1 (deepest first): debootstrap mounts /proc and /sys in
# its target, and an interrupted run leaves them there.
umount_under() {
  local m
  awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}

# Removes a scratch rootfs safely: never across a mount point.
remove_tree() {
  [ -e "$1" ] || return 0
  umount_under "$1"
  rm -rf --one-file-system "$1"
}

# Writes a tar of rootfs dir $1 to $2 (atomically): numeric owners, no device nodes
# (the engine mounts its own /dev).
pack_rootfs() {
  tar --numeric-owner --xattrs -C "$1" --exclude='./dev/*' --exclude='./proc/*' \
    --exclude='./sys/*' -cf "$2.tmp" .
  mv "$2.tmp" "$2"
}

# docker import of tar $1 as tag $2 with message $3; the remaining arguments are
# Dockerfile instructions for --change.
import_rootfs() {
  local tar="$1" tag="$2" msg="$3" c
  shift 3
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  dk import "${changes[@]}" --message "$msg" "$tar" "$tag" >/dev/null
}

image_size() {
  dk image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.1f MB", $1 / 1000000 }'
}

# Sets NAME, HASH, TAG, LATEST, CACHE and ROOTFS_TAR for image ml-run/$1 from its
# recipe files $2...
init_recipe() {
  NAME="ml-run/$1"
  CACHE="$IMAGES_DIR/$1"
  shift
  HASH="$(recipe_hash "$@")"
  TAG="$REGISTRY/$NAME:$HASH"
  LATEST="$NAME:latest"
  ROOTFS_TAR="$CACHE/rootfs-$HASH.tar"
}

# Runs "$@" in a fresh container of $TAG without network and logs its output; a
# failure removes the image, so a broken build is never cached.
smoke_test() {
  local out
  if ! out="$(dk run --rm --network none "$TAG" "$@" 2>&1)"; then
    echo "$out" >&2
    dk image rm "$TAG" >/dev/null 2>&1 || true
    die "smoke test of $TAG failed"
  fi
  log "smoke test: $(echo "$out" | paste -sd, - | sed 's/,/, /g')"
}

# --- Debian rootfs images (build-base.sh, build-jre.sh) ---------------------------------
# The sourcing script sets SUITE, MIRROR, PACKAGES_FILE, DEB_CACHE and USER_ID, and
# defines customize_rootfs ROOT (its own steps, run after debootstrap and the shared
# slimming, before packing).

install_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return 0
  log "installing debootstrap (Debian package)"
  if ! apt-cache show debootstrap >/dev/null 2>&1; then apt-get update; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
}

# Only paths the image needs: docs, man pages, translations and apt lists go.
slim_rootfs() {
  local root="$1"
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/usr/share/lintian "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* \
    "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root"/var/log/*
  mkdir -p "$root/var/lib/apt/lists/partial"
  # The engine (or the kubelet) mounts its own at run time; do not ship the build host's.
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
}

# The image's numeric USER (PodSecurity restricted needs a number), home group-0 writable
# for OpenShift's arbitrary uid. Written directly (no chroot, no useradd): the same
# result on every build.
add_user() {
  local root="$1" name="$2" uid="$3" home="$4" gecos="$5"
  printf '%s:x:%d:%d:%s:%s:/usr/sbin/nologin\n' "$name" "$uid" "$uid" "$gecos" "$home" >>"$root/etc/passwd"
  printf '%s:x:%d:\n' "$name" "$uid" >>"$root/etc/group"
  printf '%s:*::0:99999:7:::\n' "$name" >>"$root/etc/shadow"
  printf '%s:!::\n' "$name" >>"$root/etc/gshadow"
  if [ "$home" != /nonexistent ]; then install -d -m 775 -o "$uid" -g 0 "$root$home"; fi
}

# build_image's build_rootfs for Debian images: debootstrap minbase + PACKAGES_FILE,
# slim_rootfs, the mlrun user, the script's customize_rootfs, then $ROOTFS_TAR.
build_rootfs() {
  local root="$CACHE/rootfs-$HASH.d" dlog="$CACHE/debootstrap.log" pkgs t0
  [ "$(id -u)" -eq 0 ] || die "debootstrap needs root; run as root (sudo)"
  install_debootstrap
  pkgs="$(package_list "$PACKAGES_FILE")"
  remove_tree "$root"
  mkdir -p "$root" "$DEB_CACHE"
  # An interrupted debootstrap leaves /proc and /sys mounted in the target.
  trap 'remove_tree "'"$root"'"' EXIT
  t0="$(now_ms)"
  log "debootstrap $SUITE minbase + $pkgs from $MIRROR (log: $dlog)"
  if ! debootstrap --variant=minbase --include="$pkgs" --cache-dir="$DEB_CACHE" \
    --arch="$(dpkg --print-architecture)" "$SUITE" "$root" "$MIRROR" >"$dlog" 2>&1; then
    tail -n 30 "$dlog" >&2
    [ -f "$root/debootstrap/debootstrap.log" ] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  log "debootstrap done in $(secs_since "$t0") s"
  customize_rootfs "$root"
  slim_rootfs "$root"
  add_user "$root" mlrun "$USER_ID" /home/mlrun ML-RUN
  pack_rootfs "$root" "$ROOTFS_TAR"
  remove_tree "$root"
  trap - EXIT
}

# The flow every build script shares. The tag exists: nothing to do. The registry
# has it: pull. Else import the cached rootfs tarball, made first by the script's
# build_rootfs when missing, and run the script's check_image. Then tag latest, push
# when asked, and print the tag (stdout carries only the tag, for callers:
# tag="$(tools/images/build-base.sh)").
# The sourcing script defines build_rootfs (writes $ROOTFS_TAR), import_image and
# check_image.
build_image() {
  local t0
  t0="$(now_ms)"
  require_docker
  mkdir -p "$CACHE"
  # One build per image at a time; a second caller then finds the tag.
  exec 9>"$CACHE/.lock"
  flock -w 1800 9 || die "another build holds $CACHE/.lock"

  if image_exists "$TAG"; then
    log "$TAG exists (recipe unchanged), nothing to build"
  elif registry_up && registry_has "$NAME" "$HASH"; then
    log "pulling $TAG from the registry"
    with_registry_login pull dk pull -q "$TAG" >/dev/null
  else
    if [ ! -s "$ROOTFS_TAR" ]; then
      build_rootfs
      # Older recipes' tarballs are dead weight: their tags would be rebuilt anyway.
      find "$CACHE" -maxdepth 1 -name 'rootfs-*.tar' ! -name "rootfs-$HASH.tar" -delete
      log "rootfs cached as $ROOTFS_TAR ($(du -m "$ROOTFS_TAR" | cut -f1) MB)"
    fi
    import_image
    check_image
    log "built $TAG ($(image_size "$TAG")) in $(secs_since "$t0") s"
  fi

  dk tag "$TAG" "$LATEST"
  if [ "$PUSH" = 1 ]; then
    registry_up || die "--push: the registry on https://$REGISTRY/v2/ does not answer the pull credential; start it: tools/services/registry/up.sh"
    t0="$(now_ms)"
    with_registry_login push dk push "$TAG" >/dev/null
    log "pushed $TAG in $(secs_since "$t0") s"
  fi
  echo "$TAG"
}

# Flags shared by the build scripts; sets PUSH and PRINT_TAG.
parse_flags() {
  PUSH=0
  PRINT_TAG=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --push) PUSH=1 ;;
      --print-tag) PRINT_TAG=1 ;;
      -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
      *) die "unknown argument $1 (try --help)" ;;
    esac
    shift
  done
}
