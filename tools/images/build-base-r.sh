#!/usr/bin/env bash
# Builds the ML-RUN R base image: the base image (build-base.sh) plus Debian's R and
# r-cran-jsonlite (base-r.packages), installed with apt from the Debian archive. The
# builder makes images of runtime r models FROM it (MLRUN_BASE_IMAGE_R) and apt-installs
# each model's own r-cran-* packages on top.
#
# Usage: tools/images/build-base-r.sh [--push] [--print-tag]
#   --push, --print-tag  as in build-base.sh (--push pushes the base image too)
#
# Tags: 127.0.0.1:5000/ml-run/base-r:<hash> and ml-run/base-r:latest, <hash> = 12 hex of
# sha256 over this script, base-r.packages and the base image's tag (so a new base makes
# a new R base). Cached by content: with that tag present nothing is built; else pulled
# from the registry if there, else built (docker build with network, for apt).
#
# Image: as the base image (USER 10001:10001, HOME /home/mlrun, LANG=C.UTF-8), plus
# Rscript on PATH; apt lists and caches removed again.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG_PREFIX=base-r
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$HERE/common.sh"

PACKAGES_FILE="$HERE/base-r.packages"
USER_ID=10001

parse_flags "$@"
BASE_TAG="$("$HERE/build-base.sh" --print-tag)"
# The base's tag is part of the recipe: a file of a fixed name (recipe_hash hashes names too).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
echo "$BASE_TAG" >"$scratch/base-image.tag"
init_recipe base-r "$HERE/build-base-r.sh" "$PACKAGES_FILE" "$scratch/base-image.tag"
if [ "$PRINT_TAG" = 1 ]; then echo "$TAG"; exit 0; fi

require_docker
push_flag=()
[ "$PUSH" = 1 ] && push_flag=(--push)
"$HERE/build-base.sh" "${push_flag[@]}" >/dev/null

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 1800 9 || die "another build holds $CACHE/.lock"

t0="$(now_ms)"
if image_exists "$TAG"; then
  log "$TAG exists (recipe unchanged), nothing to build"
elif registry_up && registry_has "$NAME" "$HASH"; then
  log "pulling $TAG from the registry"
  with_registry_login pull dk pull -q "$TAG" >/dev/null
else
  pkgs="$(package_list "$PACKAGES_FILE" | tr , ' ')"
  ctx="$scratch/context"
  mkdir -p "$ctx"
  # apt as root in the build only; the image runs as the base image's user again.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE_TAG
USER 0:0
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \\
 && mkdir -p /var/lib/apt/lists/partial
LABEL org.opencontainers.image.title=$NAME ml-run.recipe=$HASH
USER $USER_ID:$USER_ID
DOCKERFILE
  log "docker build FROM $BASE_TAG + $pkgs (network: host, for apt)"
  dk build -q --network host -t "$TAG" "$ctx" >/dev/null
  # shellcheck disable=SC2016 # expanded inside the container
  smoke_test sh -c 'set -e; echo "uid $(id -u)"; Rscript --version 2>&1 | head -n 1;
    Rscript --vanilla -e "cat(\"jsonlite\", as.character(packageVersion(\"jsonlite\")), \"\\n\")"'
  log "built $TAG ($(image_size "$TAG"); base $(image_size "$BASE_TAG")) in $(secs_since "$t0") s"
fi

dk tag "$TAG" "$NAME:latest"
if [ "$PUSH" = 1 ]; then
  registry_up || die "--push: the registry on https://$REGISTRY/v2/ does not answer; start it: tools/services/registry/up.sh"
  t0="$(now_ms)"
  with_registry_login push dk push "$TAG" >/dev/null
  log "pushed $TAG in $(secs_since "$t0") s"
fi
echo "$TAG"
