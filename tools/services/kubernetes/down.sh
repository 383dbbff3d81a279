#!/usr/bin/env bash
# Stop the local Kubernetes that up.sh started, and only that: processes are matched on
# our own config paths, shims on our containerd's socket, network namespaces on our
# sandboxes, so the Docker service's containerd and its containers are never touched.
# Idempotent: nothing running is fine.
#
# Pods are not deleted: their objects stay in etcd and the kubelet starts them again on
# the next up.sh (as after a reboot). Their containers are killed here, their network
# namespaces and mounts removed, the two bridges, the route, the iptables chain and the
# KUBE-* chains deleted, and the one machine setting up.sh changed
# (net.ipv4.conf.all.send_redirects) restored.
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

# One instance per component (up.sh's lock sees to it): after it stops, no second scan
# of /proc (each costs about a second on a loaded machine).
stop_component() {
  local pid t
  if pid="$(component_pid "$1")"; then
    t="$(now_ms)"
    if term_wait_kill "$pid" "$STOP_TIMEOUT" "$1"; then
      log "$1 stopped in $(secs_since "$t") s"
    else
      rc=1
    fi
  fi
  rm -f "$PIDS/$1.pid"
}

# Our containers' processes: each container's init is a child of one of our shims (a
# shim names our containerd's socket), and killing a PID namespace's init kills the rest
# of it. The kubelet is stopped first so it does not start them again. containerd is not
# asked to delete anything: like after a reboot, its state under $RUN_DIR goes away and
# the kubelet makes new sandboxes on the next start.
kill_containers() {
  local shim child n=0
  for shim in $(shim_pids); do
    for child in $(pgrep -P "$shim" || true); do
      kill -KILL "$child" 2>/dev/null && n=$((n + 1))
    done
  done
  [ "$n" -eq 0 ] || log "killed $n containers"
}

# Unmounts everything below $1 (deepest first): pod volumes (kubelet), sandbox /dev/shm
# and rootfs overlays (containerd) left by the kills above.
unmount_below() {
  local m
  for m in $(awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || { log "could not unmount $m"; rc=1; }
  done
}

# The few paths the kubelet and libcni hard-code outside our state dir: the kubelet's
# symlinks to our pod logs (/var/log/containers), its device-plugin socket, and libcni's
# result cache for our network (/var/lib/cni/results, normally emptied by CNI DEL, which a
# kill skips). Only entries that are ours are removed.
remove_outside_files() {
  local f id
  for f in /var/log/containers/*.log; do
    [ -L "$f" ] && [[ "$(readlink "$f")" == "$DIR/pod-logs/"* ]] && rm -f "$f"
  done
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null || true
  for f in /var/lib/cni/results/mlrun-k8s-*; do
    [ -e "$f" ] || continue
    id="${f#/var/lib/cni/results/mlrun-k8s-}"
    id="${id%-eth0}"
    rm -f "$f" "/var/lib/cni/results/cni-loopback-$id-lo"
  done
  return 0
}

teardown_network() {
  local ifc
  local table
  # filter: where an older up.sh put it.
  for table in "$FW_TABLE" filter; do
    if iptables -w -t "$table" -S "$FW_CHAIN" >/dev/null 2>&1; then
      while iptables -w -t "$table" -D FORWARD -j "$FW_CHAIN" 2>/dev/null; do :; done
      iptables -w -t "$table" -F "$FW_CHAIN"
      iptables -w -t "$table" -X "$FW_CHAIN"
    fi
  done
  for ifc in "$BRIDGE" "$NODE_IFACE"; do
    if ip link show "$ifc" >/dev/null 2>&1; then ip link del "$ifc" || rc=1; fi
  done
  if [ -s "$DIR/send_redirects.orig" ]; then
    cat "$DIR/send_redirects.orig" >/proc/sys/net/ipv4/conf/all/send_redirects
    rm -f "$DIR/send_redirects.orig"
  fi
}

# The KUBE-* chains of kube-proxy and of the kubelet (KUBE-FIREWALL, the canaries), in
# every table, IPv4 and IPv6: first the jumps to them from the built-in chains, then the
# chains. No other Kubernetes runs on this machine (its addresses are fixed).
remove_kube_chains() {
  local cmd table rule chains c
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null 2>&1 || continue
    for table in filter nat mangle raw; do
      "$cmd-save" -t "$table" >/dev/null 2>&1 || continue
      while read -r rule; do
        eval "$cmd -w -t $table ${rule/#-A/-D}" || rc=1
      done < <("$cmd-save" -t "$table" | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j KUBE-' || true)
      chains="$("$cmd-save" -t "$table" | sed -n 's/^:\(KUBE-[^ ]*\) .*/\1/p')"
      for c in $chains; do "$cmd" -w -t "$table" -F "$c" || rc=1; done
      for c in $chains; do "$cmd" -w -t "$table" -X "$c" || rc=1; done
    done
  done
}

stop_component kubelet
kill_containers
stop_component kube-proxy
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
remove_kube_chains
remove_outside_files
rm -rf "$RUN_DIR"
# No pod holds an address any more; the kubelet's next sandboxes start from a clean range.
rm -rf "${CNI_IPAM_DIR:?}"/*
log "stopped in $(secs_since "$t0") s"
exit "$rc"
