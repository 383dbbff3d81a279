#!/usr/bin/env bash
# Builds the images the OpenShift templates (deploy/openshift) run, FROM the images of
# build-base.sh and build-jre.sh (built first when missing), without any image registry:
#
#   ml-run/platform  the ML-RUN apps (dist/apps/*, run `npm run build` first; the builder's web
#                    console in dist/apps/builder/console) with their
#                    production node_modules, dist/images/model-wrapper (what the builder puts
#                    into model images) and deploy/openshift/*.yaml, on ml-run/base (node 20)
#   ml-run/jvm       Ignite 2.17 (+ ignite-kubernetes, tools/services/ignite) and Kafka 3.9
#                    (tools/services/kafka) jars with their entrypoints (tools/images/jvm/*.sh),
#                    on ml-run/jre (Debian's headless OpenJDK 21)
#
# Layout (both USER 10001; everything they write is owned 10001:0 with g=u, so an
# arbitrary uid in group 0, as on OpenShift, works):
#   /opt/ml-run/dist/apps/<app>/main.js, /opt/ml-run/dist/images/model-wrapper,
#   /opt/ml-run/node_modules, /opt/ml-run/deploy/openshift   (platform; WORKDIR /opt/ml-run)
#   /opt/ml-run/ignite/{lib,classes,jvm.options}, /opt/ml-run/kafka/lib,
#   /opt/ml-run/bin/{ignite-server,kafka-server}              (jvm)
#   /var/lib/ml-run   state (mount a volume there), HOME /home/mlrun
#
# Usage: tools/images/build-platform.sh [--push] [--print-tag]
#   --push       also push both (and their bases) to the registry on 127.0.0.1:5000
#   --print-tag  print the tags this checkout builds, build nothing
# Prints MLRUN_PLATFORM_IMAGE=<tag> and MLRUN_JVM_IMAGE=<tag> on stdout (for eval).
#
# Tags: 127.0.0.1:5000/ml-run/<name>:<hash>, <hash> = 12 hex of sha256 over what goes in:
# the base image's tag, this script, and for platform dist/apps, dist/images,
# deploy/openshift, package.json and package-lock.json; for jvm the Ignite sources, pom and
# JVM options, Kafka's common.sh (version, jar list) and the entrypoints. With the tag
# present (or in the registry) nothing is built. Production node_modules are cached under
# $STATE/images/platform/ by package-lock.json; Ignite's jars and classes under
# $STATE/images/jvm/ by the pom and sources; Kafka's jars are tools/services/kafka's.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LOG_PREFIX=platform
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$HERE/common.sh"

USER_ID=10001

parse_flags "$@"
push_flag=()
[ "$PUSH" = 1 ] && push_flag=(--push)

# 12 hex over the named files and the contents of the named directories (paths relative
# to ROOT, so the same checkout anywhere gives the same hash), plus extra strings.
content_hash() {
  local extra="$1"
  shift
  {
    printf '%s\n' "$extra"
    (cd "$ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-12
}

base_tag="$("$HERE/build-base.sh" --print-tag)"
jre_tag="$("$HERE/build-jre.sh" --print-tag)"

[ -f "$ROOT/dist/apps/builder/main.js" ] && [ -f "$ROOT/dist/images/model-wrapper/main.js" ] ||
  die "no dist/apps or dist/images: run \`npm run build\` first"
# The builder serves the console from next to its main.js (MLRUN_CONSOLE_DIR's default).
[ -f "$ROOT/dist/apps/builder/console/index.html" ] ||
  die "no dist/apps/builder/console: run \`npm run build\` (it builds the web console) first"
platform_hash="$(content_hash "$base_tag" tools/images/build-platform.sh dist/apps dist/images \
  deploy/openshift package.json package-lock.json patches)"
jvm_hash="$(content_hash "$jre_tag" tools/images/build-platform.sh tools/images/jvm \
  tools/services/ignite/pom.xml tools/services/ignite/src tools/services/ignite/jvm.options \
  tools/services/kafka/common.sh)"
PLATFORM_TAG="$REGISTRY/ml-run/platform:$platform_hash"
JVM_TAG="$REGISTRY/ml-run/jvm:$jvm_hash"
if [ "$PRINT_TAG" = 1 ]; then
  printf 'MLRUN_PLATFORM_IMAGE=%s\nMLRUN_JVM_IMAGE=%s\n' "$PLATFORM_TAG" "$JVM_TAG"
  exit 0
fi
require_docker

# Production dependencies by package-lock.json and patches/, installed once (npm's cache
# serves reruns). Install scripts stay off (dependencies' and our own postinstall, whose
# patch-package is a dev dependency): the workspace's patch-package applies patches/ here.
production_node_modules() {
  local lock_hash dir
  lock_hash="$(content_hash "" package.json package-lock.json patches)"
  dir="$IMAGES_DIR/platform/node_modules-$lock_hash"
  if [ ! -d "$dir/node_modules" ]; then
    log "npm ci --omit=dev (package-lock $lock_hash)"
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    cp "$ROOT/package.json" "$ROOT/package-lock.json" "$dir.tmp/"
    (cd "$dir.tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline \
      --loglevel=error >&2)
    cp -R "$ROOT/patches" "$dir.tmp/patches"
    (cd "$dir.tmp" && "$ROOT/node_modules/.bin/patch-package" --error-on-fail >&2) ||
      die "patches/ do not apply to the production node_modules"
    rm -rf "$dir.tmp/patches"
    mv "$dir.tmp" "$dir"
    find "$IMAGES_DIR/platform" -maxdepth 1 -name 'node_modules-*' ! -name "node_modules-$lock_hash" \
      -exec rm -rf {} +
  fi
  echo "$dir/node_modules"
}

# Ignite's runtime jars (with ignite-kubernetes) and the compiled server, by sources.
ignite_build() {
  local src_hash dir
  src_hash="$(content_hash "" tools/services/ignite/pom.xml tools/services/ignite/src)"
  dir="$IMAGES_DIR/jvm/ignite-$src_hash"
  if [ ! -f "$dir/classes/run/ml/ignite/IgniteServer.class" ]; then
    log "Ignite jars (Maven Central) and classes ($src_hash)"
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    mvn -q -B -f "$ROOT/tools/services/ignite/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$dir.tmp/lib" >"$dir.tmp/maven.log" 2>&1 ||
      { tail -n 40 "$dir.tmp/maven.log" >&2; die "maven failed"; }
    # shellcheck disable=SC2046 # one argument per source file
    javac -nowarn -encoding UTF-8 --release 17 -cp "$dir.tmp/lib/*" -d "$dir.tmp/classes" \
      $(find "$ROOT/tools/services/ignite/src/main/java" -name '*.java')
    rm -f "$dir.tmp/maven.log"
    mv "$dir.tmp" "$dir"
    find "$IMAGES_DIR/jvm" -maxdepth 1 -name 'ignite-*' ! -name "ignite-$src_hash" -exec rm -rf {} +
  fi
  echo "$dir"
}

# tools/services/kafka's jars (installed there when missing), in a subshell: its common.sh
# brings its own settings and log.
kafka_lib() {
  (
    # shellcheck source=../services/kafka/common.sh
    source "$ROOT/tools/services/kafka/common.sh"
    ensure_java_toolchain
    [ -f "$KAFKA_LIB_MARKER" ] || install_jars >&2
    echo "$KAFKA_LIB"
  )
}

# Builds tag $1 from context dir $2 (holding a Dockerfile) unless it exists or the registry
# has it; runs the smoke test "$3..." in it; pushes with --push.
build_derived() {
  local tag="$1" ctx="$2" t0 name repo_tag
  shift 2
  name="${tag#"$REGISTRY"/}"
  repo_tag="${name##*:}"
  name="${name%:*}"
  t0="$(now_ms)"
  if image_exists "$tag"; then
    log "$tag exists (content unchanged), nothing to build"
  elif registry_up && registry_has "$name" "$repo_tag"; then
    log "pulling $tag from the registry"
    with_registry_login pull dk pull -q "$tag" >/dev/null
  else
    dk build -q -t "$tag" "$ctx" >/dev/null
    TAG="$tag" smoke_test "$@"
    log "built $tag ($(image_size "$tag")) in $(secs_since "$t0") s"
  fi
  dk tag "$tag" "$name:latest"
  if [ "$PUSH" = 1 ]; then
    t0="$(now_ms)"
    with_registry_login push dk push "$tag" >/dev/null
    log "pushed $tag in $(secs_since "$t0") s"
  fi
}

# A scratch context: files owned 10001:0 with group = user bits (the arbitrary-uid rule).
new_context() {
  local ctx="$IMAGES_DIR/$1/context"
  rm -rf "$ctx"
  mkdir -p "$ctx/opt/ml-run" "$ctx/var/lib/ml-run"
  echo "$ctx"
}
seal_context() {
  chown -R "$USER_ID:0" "$1/opt" "$1/var"
  chmod -R g=u "$1/opt" "$1/var"
}

need_platform=1 need_jvm=1
image_exists "$PLATFORM_TAG" && need_platform=0
image_exists "$JVM_TAG" && need_jvm=0

"$HERE/build-base.sh" "${push_flag[@]}" >/dev/null
if [ "$need_platform" = 1 ] || [ "$PUSH" = 1 ]; then
  ctx=""
  if [ "$need_platform" = 1 ] && ! { registry_up && registry_has ml-run/platform "$platform_hash"; }; then
    ctx="$(new_context platform)"
    mkdir -p "$ctx/opt/ml-run/dist" "$ctx/opt/ml-run/deploy"
    cp -a "$ROOT/dist/apps" "$ROOT/dist/images" "$ctx/opt/ml-run/dist/"
    cp -a "$ROOT/deploy/openshift" "$ctx/opt/ml-run/deploy/"
    cp "$ROOT/package.json" "$ctx/opt/ml-run/"
    cp -a "$(production_node_modules)" "$ctx/opt/ml-run/node_modules"
    seal_context "$ctx"
    cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $base_tag
COPY --chown=10001:0 opt /opt
COPY --chown=10001:0 var /var
ENV NODE_ENV=production
LABEL org.opencontainers.image.title=ml-run/platform ml-run.content=$platform_hash
USER $USER_ID
WORKDIR /opt/ml-run
CMD ["node", "/opt/ml-run/dist/apps/cli/main.js", "--help"]
DOCKERFILE
  fi
  # shellcheck disable=SC2016 # expanded inside the container
  build_derived "$PLATFORM_TAG" "$ctx" sh -c 'set -e; echo "uid $(id -u)";
    for app in auth-issuer token-validator router builder; do test -f dist/apps/$app/main.js; done
    test -f dist/apps/builder/console/index.html
    node -e "require(\"@nestjs/core\"); require(\"@kubernetes/client-node\"); console.log(\"modules ok\")"
    test -w /var/lib/ml-run; ls deploy/openshift | paste -sd" " -'
  [ -z "$ctx" ] || rm -rf "$ctx"
fi

"$HERE/build-jre.sh" "${push_flag[@]}" >/dev/null
if [ "$need_jvm" = 1 ] || [ "$PUSH" = 1 ]; then
  ctx=""
  if [ "$need_jvm" = 1 ] && ! { registry_up && registry_has ml-run/jvm "$jvm_hash"; }; then
    ignite="$(ignite_build)"
    kafka="$(kafka_lib)"
    ctx="$(new_context jvm)"
    mkdir -p "$ctx/opt/ml-run/ignite" "$ctx/opt/ml-run/kafka/lib" "$ctx/opt/ml-run/bin"
    cp -a "$ignite/lib" "$ignite/classes" "$ctx/opt/ml-run/ignite/"
    cp "$ROOT/tools/services/ignite/jvm.options" "$ctx/opt/ml-run/ignite/"
    cp "$kafka"/*.jar "$ctx/opt/ml-run/kafka/lib/"
    install -m 755 "$HERE/jvm/ignite-server.sh" "$ctx/opt/ml-run/bin/ignite-server"
    install -m 755 "$HERE/jvm/kafka-server.sh" "$ctx/opt/ml-run/bin/kafka-server"
    seal_context "$ctx"
    cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $jre_tag
COPY --chown=10001:0 opt /opt
COPY --chown=10001:0 var /var
ENV PATH=/opt/ml-run/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.title=ml-run/jvm ml-run.content=$jvm_hash
USER $USER_ID
WORKDIR /var/lib/ml-run
CMD ["java", "-version"]
DOCKERFILE
  fi
  # shellcheck disable=SC2016 # expanded inside the container
  build_derived "$JVM_TAG" "$ctx" sh -c 'set -e; echo "uid $(id -u)"; test -w /var/lib/ml-run
    test -f /opt/ml-run/ignite/classes/run/ml/ignite/IgniteServer.class
    echo "ignite jars $(ls /opt/ml-run/ignite/lib | grep -c jar), kafka jars $(ls /opt/ml-run/kafka/lib | grep -c jar)"
    java -version 2>&1 | head -n 1'
  [ -z "$ctx" ] || rm -rf "$ctx"
fi

printf 'MLRUN_PLATFORM_IMAGE=%s\nMLRUN_JVM_IMAGE=%s\n' "$PLATFORM_TAG" "$JVM_TAG"
