#!/usr/bin/env bash
# Stop the local Kubernetes that up.sh started, and only that: processes are matched on
# our own config paths, shims on our containerd's socket, network namespaces on our
# sandboxes, so the Docker service's containerd and its containers are never touched.
# Idempotent: nothing running is fine.
#
# Pods are not deleted: their objects stay in etcd and the kubelet starts them again on
# the next up.sh. Their containers are killed here, their network namespaces and mounts
# removed, the two bridges, the route, the iptables chain and kube-proxy's rules deleted,
# and the one machine setting up.sh changed (net.ipv4.conf.all.send_redirects) restored.
#
# Env: MLRUN_K8S_STOP_TIMEOUT (seconds before SIGKILL, default 30)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

STOP_TIMEOUT="${MLRUN_K8S_STOP_TIMEOUT:-30}"

[ -d "$DIR" ] || { log "not running (no state dir $DIR)"; exit 0; }
exec 9>"$DIR/.lock"
flock -w 600 9 || die "another up.sh/down.sh holds $DIR/.lock"

rc=0
t0="$(now_ms)"
# Tests read this file to find the cluster (kubernetesUnderTest); gone = not up.
rm -f "$DIR/cluster.json"

stop_component() {
  local pid
  while pid="$(component_pid "$1")"; do
    term_wait_kill "$pid" "$STOP_TIMEOUT" "$1" || { rc=1; break; }
  done
  rm -f "$PIDS/$1.pid"
}

ctr_() { ctr --address "$CONTAINERD_SOCK" "$@"; }

# Our containers' processes, then their network namespaces (found in the sandboxes'
# specs; containerd keeps them under /run/netns). The kubelet is stopped first so it
# does not start them again.
stop_pods() {
  [ -S "$CONTAINERD_SOCK" ] && ctr_ version >/dev/null 2>&1 || return 0
  local ids id ns netns=()
  ids="$(ctr_ -n k8s.io tasks ls -q 2>/dev/null || true)"
  if [ -n "$ids" ]; then
    log "killing $(echo "$ids" | wc -l) containers"
    for id in $ids; do ctr_ -n k8s.io tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    for id in $ids; do
      for _ in $(seq 1 50); do
        ctr_ -n k8s.io tasks delete "$id" >/dev/null 2>&1 && break
        sleep 0.1
      done
    done
  fi
  for id in $(ctr_ -n k8s.io containers ls -q 2>/dev/null || true); do
    ns="$(ctr_ -n k8s.io containers info "$id" 2>/dev/null \
      | jq -r '.Spec.linux.namespaces[]? | select(.type == "network") | .path // empty' 2>/dev/null || true)"
    [ -n "$ns" ] && netns+=("$ns")
  done
  for ns in "${netns[@]}"; do
    [ -e "$ns" ] || continue
    umount "$ns" 2>/dev/null || true
    rm -f "$ns"
  done
  # No pod holds an address any more; the kubelet's next sandboxes start from a clean range.
  rm -rf "${CNI_IPAM_DIR:?}"/*
}

# Unmounts everything below $1 (deepest first): pod volumes (kubelet), sandbox /dev/shm
# and rootfs overlays (containerd) left by the kills above.
unmount_below() {
  local m
  for m in $(awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || { log "could not unmount $m"; rc=1; }
  done
}

teardown_network() {
  local ifc
  if iptables -w -S "$FW_CHAIN" >/dev/null 2>&1; then
    while iptables -w -D FORWARD -j "$FW_CHAIN" 2>/dev/null; do :; done
    iptables -w -F "$FW_CHAIN"
    iptables -w -X "$FW_CHAIN"
  fi
  for ifc in "$BRIDGE" "$NODE_IFACE"; do
    if ip link show "$ifc" >/dev/null 2>&1; then ip link del "$ifc" || rc=1; fi
  done
  if [ -s "$DIR/send_redirects.orig" ]; then
    cat "$DIR/send_redirects.orig" >/proc/sys/net/ipv4/conf/all/send_redirects
    rm -f "$DIR/send_redirects.orig"
  fi
}

# kube-proxy's own rules (KUBE-* chains): its --cleanup removes them.
cleanup_proxy_rules() {
  local bin
  bin="$(ls -d "$DIR"/bin/*/kube-proxy 2>/dev/null | head -1 || true)"
  if [ -n "$bin" ] && iptables -w -t nat -S KUBE-SERVICES >/dev/null 2>&1; then
    "$bin" --cleanup >>"$LOGS/kube-proxy.log" 2>&1 || log "kube-proxy --cleanup failed (see $LOGS/kube-proxy.log)"
  fi
}

stop_component kubelet
stop_pods
stop_component kube-proxy
cleanup_proxy_rules
stop_component coredns
stop_component kube-scheduler
stop_component kube-controller-manager
stop_component kube-apiserver
stop_component etcd
stop_component containerd
# Shims outlive containerd by design; ours serve nothing any more.
for pid in $(shim_pids); do term_wait_kill "$pid" 10 containerd-shim || rc=1; done
unmount_below "$KUBELET_ROOT"
unmount_below "$RUN_DIR"
unmount_below "$DIR"
teardown_network
rm -rf "$RUN_DIR"
log "stopped in $(secs_since "$t0") s"
exit "$rc"
