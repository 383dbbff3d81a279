# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
# Shared settings for the local Kubernetes (up.sh, down.sh, build.sh). Sourced, never
# executed. Everything the cluster keeps lives under $DIR, except what must sit on a
# short path (unix sockets, containerd's state) under $RUN_DIR.

# The version is the one the wrapper module requires (build/go.mod): one place.
K8S_VERSION="$(awk '($1 == "require" && $2 == "k8s.io/kubernetes") || ($1 == "k8s.io/kubernetes" && NF == 2) { print $NF }' "$(dirname "${BASH_SOURCE[0]}")/build/go.mod")"
# The component list (build.sh builds them, up.sh starts all but kubectl).
K8S_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
DIR="$STATE/kubernetes"
PKI="$DIR/pki"
LOGS="$DIR/logs"
PIDS="$DIR/pids"
CONF="$DIR/conf"
ADMIN_KUBECONFIG="$DIR/admin.kubeconfig"
# Runtime state that must not outlive the machine's boot and must have short paths
# (unix sockets are limited to 107 bytes). One per state dir: a second cluster (own
# MLRUN_SERVICES_DIR) cannot run beside this one anyway, the addresses below are fixed.
RUN_DIR=/run/mlrun-k8s

# Addresses (the contract other code relies on; see README.md).
NODE_NAME=mlrun-k8s
NODE_IP=10.213.0.1
NODE_IFACE=mlrun-k8s0
POD_CIDR=10.214.0.0/16
NODE_POD_CIDR=10.214.0.0/24
POD_GATEWAY=10.214.0.1
BRIDGE=mlrun-cni0
SERVICE_CIDR=10.215.0.0/16
# The first address of the service range: the `kubernetes` Service's ClusterIP.
SERVICE_APISERVER_IP=10.215.0.1
CLUSTER_DOMAIN=cluster.local
# CoreDNS runs on the host, on the node IP: pods' resolv.conf names it directly.
DNS_IP="$NODE_IP"

# Ports. The apiserver and the kubelet listen on the node IP (pods call them); the rest
# on 127.0.0.1. etcd and CoreDNS's probes keep off the common defaults (2379, 8080, 8181).
APISERVER_PORT=6443
APISERVER_URL="https://$NODE_IP:$APISERVER_PORT"
ETCD_CLIENT_PORT=12379
ETCD_PEER_PORT=12380
KCM_PORT=10257
SCHEDULER_PORT=10259
KUBELET_PORT=10250
KUBELET_HEALTHZ_PORT=10248
PROXY_HEALTHZ_PORT=10256
PROXY_METRICS_PORT=10249
COREDNS_HEALTH_PORT=18080
COREDNS_READY_PORT=18181

# The cluster's own containerd (never the Docker service's one).
CONTAINERD_SOCK="$RUN_DIR/containerd/containerd.sock"
CONTAINERD_ROOT="$DIR/containerd/root"
CONTAINERD_STATE="$RUN_DIR/containerd/state"
CONTAINERD_CONFIG="$CONF/containerd.toml"
# runc's own state for our containers, apart from any other containerd's.
RUNC_ROOT="$RUN_DIR/runc"
# Per-registry settings (hosts.toml), read by containerd on each pull.
CONTAINERD_CERTS_D="$DIR/containerd/certs.d"
CNI_CONF_DIR="$CONF/cni"
CNI_BIN_DIR=/usr/lib/cni
CNI_IPAM_DIR="$DIR/cni-ipam"
KUBELET_ROOT="$DIR/kubelet"
# Built locally from kubernetes' build/pause/linux/pause.c; imported, never pulled.
PAUSE_IMAGE=mlrun.local/k8s/pause:3.10.1
# The iptables chain that keeps pod traffic on this machine (first in mangle FORWARD).
FW_TABLE=mangle
FW_CHAIN=MLRUN-K8S-FWD

# The registry the cluster pulls from (tools/services/registry).
REGISTRY_ADDRESS="127.0.0.1:${MLRUN_REGISTRY_PORT:-5000}"
REGISTRY_CA="$STATE/registry/tls/ca.crt"

log() { echo "[kubernetes] $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Prints the pid of our running $1 (one of the components below), or fails.
# Matched on a path that only our instance has on its command line.
component_match() {
  case "$1" in
    etcd) echo "etcd --data-dir $DIR/etcd" ;;
    containerd) echo "containerd --config $CONTAINERD_CONFIG" ;;
    kube-apiserver) echo "kube-apiserver --tls-cert-file=$PKI/apiserver.crt" ;;
    kube-controller-manager) echo "kube-controller --kubeconfig=$CONF/controller-manager.kubeconfig" ;;
    kube-scheduler) echo "kube-scheduler --kubeconfig=$CONF/scheduler.kubeconfig" ;;
    kubelet) echo "kubelet --config=$CONF/kubelet.yaml" ;;
    kube-proxy) echo "kube-proxy --config=$CONF/kube-proxy.yaml" ;;
    coredns) echo "coredns -conf $CONF/Corefile" ;;
    *) return 1 ;;
  esac
}
component_pid() {
  local m comm needle
  m="$(component_match "$1")"
  comm="${m%% *}"
  needle="${m#* }"
  find_our_pid "$PIDS/$1.pid" "$comm" "$needle"
}

# containerd shims serving our containerd (they carry its socket on their command line).
shim_pids() { pids_matching containerd-shim "-address $CONTAINERD_SOCK"; }
