#!/usr/bin/env bash
# Builds the Kubernetes binaries (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, kube-proxy, kubectl) and CoreDNS from the Go module proxy, into a cache
# directory keyed by what decides their content; a second run with the same key does
# nothing. up.sh runs it and reads the directory from its stdout:
#
#   bin_dir="$(tools/services/kubernetes/build.sh)"
#
# Key = Kubernetes version + Go version + sha256 of the wrapper modules' go.mod/go.sum
# and CoreDNS's main.go, so changing any of them builds into a new directory; the other
# directories are removed once it is complete.
#
# One `go build -o DIR pkg...` for all six Kubernetes commands: they share most of their
# packages, and one invocation compiles each package once. Cold on 2 shared cores this
# takes 15+ minutes; the Go build cache (~/.cache/go-build) makes a rebuild after a key
# change much faster.
#
# Env: MLRUN_SERVICES_DIR (state root), MLRUN_K8S_BUILD_JOBS (go build -p, default nproc)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

command -v go >/dev/null 2>&1 || die "need Go (go) on PATH to build Kubernetes from the Go module proxy"

key() {
  {
    echo "$K8S_VERSION"
    go env GOVERSION GOARCH
    cat "$here/build/go.mod" "$here/build/go.sum" \
      "$here/coredns/go.mod" "$here/coredns/go.sum" "$here/coredns/main.go"
  } | sha256sum | cut -c1-16
}

# -X stamps: the components report v1.34.4 (kubectl version, /version, node info)
# instead of v0.0.0-master. Both packages, as upstream's hack/lib/version.sh does.
k8s_ldflags() {
  local minor="${K8S_VERSION#v1.}" date flags="-s -w" pkg
  minor="${minor%%.*}"
  # The release's publication time from the module proxy, so a rebuild is identical.
  date="$(cd "$here/build" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  echo "$flags"
}

build_kubernetes() {
  local out="$1" t0 pkgs=() c
  for c in "${K8S_COMMANDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  t0="$(now_ms)"
  log "building ${K8S_COMMANDS[*]} $K8S_VERSION (cold: 15+ minutes on 2 cores)"
  (cd "$here/build" && go build -p "${MLRUN_K8S_BUILD_JOBS:-$(nproc)}" -trimpath \
    -ldflags "$(k8s_ldflags)" -o "$out/" "${pkgs[@]}")
  log "kubernetes built in $(secs_since "$t0") s"
}

build_coredns() {
  local out="$1" t0
  t0="$(now_ms)"
  log "building coredns (plugins: bind errors health ready kubernetes cache reload log)"
  (cd "$here/coredns" && go build -trimpath -ldflags "-s -w" -o "$out/coredns" .)
  log "coredns built in $(secs_since "$t0") s"
}

main() {
  local k bin tmp c
  k="$(key)"
  bin="$DIR/bin/$K8S_VERSION-$k"
  if [ -f "$bin/.complete" ]; then echo "$bin"; return 0; fi
  mkdir -p "$DIR/bin"
  exec 8>"$DIR/bin/.build.lock"
  flock -w 3600 8 || die "another build holds $DIR/bin/.build.lock"
  if [ -f "$bin/.complete" ]; then echo "$bin"; return 0; fi
  tmp="$bin.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  build_kubernetes "$tmp"
  build_coredns "$tmp"
  for c in "${K8S_COMMANDS[@]}" coredns; do [ -x "$tmp/$c" ] || die "build made no $c"; done
  touch "$tmp/.complete"
  rm -rf "$bin"
  mv "$tmp" "$bin"
  find "$DIR/bin" -mindepth 1 -maxdepth 1 -type d ! -path "$bin" -exec rm -rf {} +
  echo "$bin"
}

main "$@"
