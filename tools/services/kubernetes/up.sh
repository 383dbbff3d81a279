#!/usr/bin/env bash
# Start ML-RUN's local single-node Kubernetes (v1.34, built from the Go module proxy):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, a containerd of its own,
# kubelet, kube-proxy (iptables) and CoreDNS, all as host processes. README.md beside
# this file describes the addresses, the network rules and what other code may rely on.
#
# Idempotent: installs the Debian packages only when missing, builds the binaries only
# when their cache directory is missing (build.sh), makes certificates only when missing
# or near expiry, and leaves every component that already runs healthy alone. Waits until
# the node is Ready and DNS answers.
#
# Nothing listens on 0.0.0.0: the apiserver, the kubelet and CoreDNS on the node IP
# 10.213.0.1 (an address on the local-only interface mlrun-k8s0, which has no ports), the
# rest on 127.0.0.1. Pods live on the bridge mlrun-cni0 (10.214.0.0/24). Forwarding is
# enabled on that bridge alone, and the iptables chain MLRUN-K8S-FWD drops every forwarded
# packet that comes from the bridge and would leave by another interface, so no pod
# packet leaves the machine.
#
# Needs the registry service (tools/services/registry/up.sh) for image pulls: containerd
# trusts its CA for 127.0.0.1:5000; pods pull with an image pull secret (mlrun-pull).
#
# Prints `export` lines on stdout (logs go to stderr):
#   eval "$(tools/services/kubernetes/up.sh)"
#
# State under $STATE/kubernetes/ with STATE=${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}:
#   admin.kubeconfig, bin/<version>-<key>/ (binaries), pki/, conf/, etcd/, containerd/,
#   kubelet/, cni-ipam/, logs/<component>.log, pids/<component>.pid, images/ (pause)
# and /run/mlrun-k8s (containerd's socket and state, runc's state).
# Env: MLRUN_K8S_START_TIMEOUT (seconds per component, default 120)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

START_TIMEOUT="${MLRUN_K8S_START_TIMEOUT:-120}"
PACKAGES=(etcd-server containerd runc containernetworking-plugins iptables iproute2 conntrack openssl curl gcc libc6-dev)
# The Route CRD comes from this openshift/api version (one place: other code reads it too).
OPENSHIFT_API_VERSION="$(tr -d ' \n' <"$here/openshift-api.version")"
BIN=""

# ---------------------------------------------------------------------------- install

install_if_missing() {
  local missing=() p guard="" rc=0 t0=$SECONDS
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "installing ${missing[*]} (Debian packages)"
  if ! apt-cache show "${missing[0]}" >/dev/null 2>&1; then as_root apt-get update; fi
  # policy-rc.d exit 101 = "not allowed": the postinsts must not start the system etcd
  # (2379 on localhost, /var/lib/etcd) or the system containerd.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$guard" >/dev/null
    as_root chmod 755 "$guard"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" || rc=$?
  if [ -n "$guard" ]; then as_root rm -f "$guard"; fi
  [ "$rc" -eq 0 ] || die "apt-get install ${missing[*]} failed"
  log "installed in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------- network

sysctl_set() { [ "$(cat "/proc/sys/$1")" = "$2" ] || echo "$2" >"/proc/sys/$1"; }

# The node's address on an interface of its own: a bridge with no ports (this kernel has
# no dummy module), so nothing that reaches it ever goes out on a wire. The service range
# is routed to it too: a ClusterIP that kube-proxy has no rule for dies there instead of
# following the default route. The pods' bridge gets the pods' gateway address.
# Forwarding is enabled on the pods' bridge only (never net.ipv4.ip_forward: that would
# make every interface a router), and redirects are off so a pod is never told to bypass
# the host for a ClusterIP.
setup_network() {
  local ifc
  for ifc in "$NODE_IFACE" "$BRIDGE"; do
    ip link show "$ifc" >/dev/null 2>&1 || ip link add "$ifc" type bridge
    sysctl_set "net/ipv6/conf/$ifc/disable_ipv6" 1
  done
  ip addr replace "$NODE_IP/32" dev "$NODE_IFACE"
  ip link set "$NODE_IFACE" up
  ip route replace "$SERVICE_CIDR" dev "$NODE_IFACE" src "$NODE_IP"
  ip addr replace "$POD_GATEWAY/${NODE_POD_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  sysctl_set "net/ipv4/conf/$BRIDGE/forwarding" 1
  sysctl_set "net/ipv4/conf/$BRIDGE/send_redirects" 0
  # send_redirects is OR-ed with the "all" value; remember the machine's own to restore it.
  if [ ! -s "$DIR/send_redirects.orig" ]; then cat /proc/sys/net/ipv4/conf/all/send_redirects >"$DIR/send_redirects.orig"; fi
  sysctl_set net/ipv4/conf/all/send_redirects 0
  setup_firewall
}

# First in the mangle table's FORWARD chain: pod traffic may be forwarded only back into
# the pods' bridge (pod to pod, pod to ClusterIP to pod); anything else from or to the
# bridge is dropped, so no packet from the pod range leaves the machine and nothing
# outside reaches a pod. Pods still reach the host itself (the node IP, INPUT), which is
# not forwarding. mangle, not filter: kube-proxy puts its own jumps at the top of filter
# FORWARD, and its KUBE-FORWARD accepts every masqueraded Service packet, which would let a
# Service whose endpoint is outside the machine carry pod traffic out; mangle FORWARD runs
# before filter FORWARD and kube-proxy never touches it.
setup_firewall() {
  local t="-t $FW_TABLE"
  # shellcheck disable=SC2086 # $t is two words on purpose
  {
    iptables -w $t -N "$FW_CHAIN" 2>/dev/null || true
    iptables -w $t -F "$FW_CHAIN"
    iptables -w $t -A "$FW_CHAIN" -i "$BRIDGE" -o "$BRIDGE" -j RETURN
    iptables -w $t -A "$FW_CHAIN" -i "$BRIDGE" -m comment --comment "mlrun-k8s: pod traffic stays on this machine" -j DROP
    iptables -w $t -A "$FW_CHAIN" -o "$BRIDGE" -m comment --comment "mlrun-k8s: only the host reaches pods" -j DROP
    if [ "$(iptables -w $t -S FORWARD 1 2>/dev/null)" != "-A FORWARD -j $FW_CHAIN" ]; then
      # Insert first, then remove any other copy: the chain is never left unguarded.
      iptables -w $t -I FORWARD 1 -j "$FW_CHAIN"
      while [ "$(iptables -w $t -S FORWARD | grep -cxF -- "-A FORWARD -j $FW_CHAIN")" -gt 1 ]; do
        iptables -w $t -D FORWARD "$(iptables -w $t -L FORWARD --line-numbers -n | awk -v c="$FW_CHAIN" '$2 == c { n = $1 } END { print n }')"
      done
    fi
  }
}

# ---------------------------------------------------------------------------- pki

CERT_DAYS=825

cert_ok() {
  [ -s "$PKI/$1.crt" ] && [ -s "$PKI/$1.key" ] \
    && openssl verify -CAfile "$PKI/ca.crt" "$PKI/$1.crt" >/dev/null 2>&1 \
    && openssl x509 -in "$PKI/$1.crt" -noout -checkend $((30 * 86400)) >/dev/null
}

# make_cert NAME CN ORG EKU [SANS]: an EC P-256 key and a certificate signed by our CA,
# made again when missing, not from this CA or within 30 days of expiry.
# The subject and extensions are kept beside it (NAME.ext): a change here remakes it.
make_cert() {
  local name="$1" cn="$2" org="$3" eku="$4" sans="${5:-}" subj ext
  subj="/CN=$cn"
  [ -z "$org" ] || subj="/O=$org$subj"
  ext="$(
    echo "# subject $subj"
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -z "$sans" ] || echo "subjectAltName=$sans"
  )"
  if cert_ok "$name" && [ "$(cat "$PKI/$name.ext" 2>/dev/null)" = "$ext" ]; then return 0; fi
  printf '%s\n' "$ext" >"$PKI/$name.ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$subj" \
    -keyout "$PKI/$name.key.tmp" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days "$CERT_DAYS" -extfile "$PKI/$name.ext" -out "$PKI/$name.crt.tmp" 2>/dev/null
  mv "$PKI/$name.key.tmp" "$PKI/$name.key"
  mv "$PKI/$name.crt.tmp" "$PKI/$name.crt"
  rm -f "$PKI/$name.csr"
}

ensure_pki() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  if [ ! -s "$PKI/ca.crt" ] || [ ! -s "$PKI/ca.key" ]; then
    log "making the cluster CA ($PKI/ca.crt)"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=ML-RUN local Kubernetes CA" -keyout "$PKI/ca.key.tmp" -out "$PKI/ca.crt.tmp" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    mv "$PKI/ca.key.tmp" "$PKI/ca.key"
    mv "$PKI/ca.crt.tmp" "$PKI/ca.crt"
    find "$PKI" -name '*.crt' ! -name ca.crt -delete
  fi
  local svc="kubernetes.default.svc"
  make_cert apiserver kube-apiserver "" serverAuth \
    "IP:127.0.0.1,IP:$NODE_IP,IP:$SERVICE_APISERVER_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:$svc,DNS:$svc.$CLUSTER_DOMAIN,DNS:localhost"
  make_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters clientAuth
  make_cert apiserver-etcd-client kube-apiserver-etcd-client "" clientAuth
  # etcd's gRPC gateway dials etcd itself with this certificate: it is a client too.
  make_cert etcd-server etcd "" serverAuth,clientAuth "IP:127.0.0.1,DNS:localhost"
  make_cert kubelet "$NODE_NAME" "" serverAuth "IP:$NODE_IP,DNS:$NODE_NAME"
  make_cert kubelet-client "system:node:$NODE_NAME" system:nodes clientAuth
  make_cert admin mlrun-admin system:masters clientAuth
  make_cert controller-manager system:kube-controller-manager "" clientAuth
  make_cert scheduler system:kube-scheduler "" clientAuth
  make_cert kube-proxy system:kube-proxy "" clientAuth
  make_cert coredns mlrun:coredns "" clientAuth
  # Service-account tokens are signed with this key (ES256) and checked with its public half.
  if [ ! -s "$PKI/sa.key" ] || [ ! -s "$PKI/sa.pub" ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key.tmp" 2>/dev/null
    openssl ec -in "$PKI/sa.key.tmp" -pubout -out "$PKI/sa.pub" 2>/dev/null
    mv "$PKI/sa.key.tmp" "$PKI/sa.key"
  fi
  chmod 600 "$PKI"/*.key
}

b64() { base64 -w0 <"$1"; }

# Writes stdin to $1 only when the content differs: a running kube-proxy exits when its
# config file is written at all, and an unchanged file keeps every component as it is.
write_if_changed() {
  cat >"$1.new"
  chmod "${2:-644}" "$1.new"
  if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv "$1.new" "$1"; fi
}

# write_kubeconfig FILE CERT_NAME: the apiserver on the node IP, our CA and a client
# certificate, all embedded, so the file can be copied anywhere on this machine.
write_kubeconfig() {
  write_if_changed "$1" 600 <<EOF
apiVersion: v1
kind: Config
clusters:
- name: mlrun-k8s
  cluster:
    server: $APISERVER_URL
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(b64 "$PKI/$2.crt")
    client-key-data: $(b64 "$PKI/$2.key")
contexts:
- name: mlrun-k8s
  context:
    cluster: mlrun-k8s
    user: $2
current-context: mlrun-k8s
EOF
}

# ---------------------------------------------------------------------------- configs

write_configs() {
  mkdir -p "$CONF" "$CNI_CONF_DIR" "$CNI_IPAM_DIR" "$KUBELET_ROOT" "$DIR/pod-logs" "$CONTAINERD_ROOT" \
    "$CONTAINERD_CERTS_D" "$RUN_DIR/containerd" "$LOGS" "$PIDS"
  write_kubeconfig "$ADMIN_KUBECONFIG" admin
  write_kubeconfig "$CONF/controller-manager.kubeconfig" controller-manager
  write_kubeconfig "$CONF/scheduler.kubeconfig" scheduler
  write_kubeconfig "$CONF/kubelet.kubeconfig" kubelet-client
  write_kubeconfig "$CONF/kube-proxy.kubeconfig" kube-proxy
  write_kubeconfig "$CONF/coredns.kubeconfig" coredns

  # containerd: its own root, state, sockets and runc root; CRI with our pause image,
  # the cgroupfs driver (cgroup v1 here) and registry settings from certs.d.
  write_if_changed "$CONTAINERD_CONFIG" <<EOF
# Generated by tools/services/kubernetes/up.sh; edits are overwritten on the next start.
version = 2
root = "$CONTAINERD_ROOT"
state = "$CONTAINERD_STATE"
# Plugins the cluster never uses; fewer warnings at start.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # runc cannot set a negative oom_score_adj in this sandbox; keep containers at >= ours.
  restrict_oom_score_adj = true
  enable_selinux = false
  # exec/attach/port-forward streams: loopback only, random port.
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_unprivileged_ports = false
  enable_unprivileged_icmp = false
  # Pods' network namespaces under our state dir, not the machine's /run/netns.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "$RUNC_ROOT"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$CNI_CONF_DIR"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CONTAINERD_CERTS_D"
EOF

  # The local registry: TLS checked against its own CA; credentials come only from the
  # pods' image pull secrets (nothing here), so the node itself cannot pull anonymously.
  # The top-level ca is for `server`, which containerd tries after the host entry fails:
  # without it a refused pull (401) would be reported as an unknown certificate authority.
  mkdir -p "$CONTAINERD_CERTS_D/$REGISTRY_ADDRESS"
  write_if_changed "$CONTAINERD_CERTS_D/$REGISTRY_ADDRESS/hosts.toml" <<EOF
server = "https://$REGISTRY_ADDRESS"
ca = "$REGISTRY_CA"

[host."https://$REGISTRY_ADDRESS"]
  capabilities = ["pull", "resolve"]
  ca = "$REGISTRY_CA"
EOF

  # Pods on our bridge, addresses from the node's range. isGateway stays false: with it
  # the bridge plugin would set net.ipv4.ip_forward=1 for the whole machine. The bridge
  # and its gateway address are made by setup_network; the default route names it.
  # hairpinMode: a pod reaches itself through its own Service.
  write_if_changed "$CNI_CONF_DIR/10-mlrun-k8s.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "mlrun-k8s",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$NODE_POD_CIDR", "gateway": "$POD_GATEWAY" }]],
        "routes": [{ "dst": "0.0.0.0/0", "gw": "$POD_GATEWAY" }],
        "dataDir": "$CNI_IPAM_DIR"
      }
    }
  ]
}
EOF

  write_if_changed "$CONF/kubelet.yaml" <<EOF
# Generated by tools/services/kubernetes/up.sh; edits are overwritten on the next start.
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $PKI/ca.crt
authorization:
  mode: Webhook
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
rotateCertificates: false
serverTLSBootstrap: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
# cgroup v1 and no systemd here: cgroupfs, no per-QoS cgroups, no allocatable enforcement.
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
# The kubelet stays at the machine's default OOM score (runc refuses negative ones).
oomScoreAdj: 0
clusterDNS: [$DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
# Pods get only the cluster's DNS: nothing of the host's resolv.conf (no upstream).
resolvConf: ""
# A shared development disk: evict only when it is really full.
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
imageGCHighThresholdPercent: 95
imageGCLowThresholdPercent: 90
serializeImagePulls: false
# Container logs under our state dir, not the machine's /var/log/pods.
podLogsDir: $DIR/pod-logs
containerLogMaxSize: 10Mi
containerLogMaxFiles: 2
shutdownGracePeriod: 0s
EOF

  write_if_changed "$CONF/kube-proxy.yaml" <<EOF
# Generated by tools/services/kubernetes/up.sh; edits are overwritten on the next start.
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $CONF/kube-proxy.kubeconfig
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:$PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$PROXY_METRICS_PORT
mode: iptables
clusterCIDR: $POD_CIDR
detectLocalMode: ClusterCIDR
# NodePorts on the node IP only.
nodePortAddresses: ["$NODE_IP/32"]
iptables:
  # Every Service connection is masqueraded, so the reply of a pod that a pod on the same
  # bridge reached through a ClusterIP comes back through the host (un-DNATed) even
  # without br_netfilter.
  masqueradeAll: true
  localhostNodePorts: false
  syncPeriod: 30s
  minSyncPeriod: 1s
# Leave the machine's conntrack settings and kube-proxy's OOM score alone.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
oomScoreAdj: 0
EOF

  # CoreDNS: cluster.local (and reverse zones) from the apiserver, nothing else. No
  # server block holds ".", so a name outside the cluster is REFUSED at once, never sent
  # upstream (there is no forward plugin either).
  write_if_changed "$CONF/Corefile" <<EOF
# Generated by tools/services/kubernetes/up.sh; edits are overwritten on the next start.
$CLUSTER_DOMAIN:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $DNS_IP
    errors
    health 127.0.0.1:$COREDNS_HEALTH_PORT
    ready 127.0.0.1:$COREDNS_READY_PORT
    kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
        kubeconfig $CONF/coredns.kubeconfig mlrun-k8s
        pods insecure
        ttl 5
    }
    cache 5
    reload
}
EOF
}

# ---------------------------------------------------------------------------- processes

# spawn NAME CMD...: one component in its own session, its pid in pids/NAME.pid.
# setsid in a non-interactive shell execs without forking, so $! is the component; fd 9
# (our flock) is closed for it.
spawn() {
  local name="$1"
  shift
  echo "=== $(date -Is) start ===" >>"$LOGS/$name.log"
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  echo "$!" >"$PIDS/$name.pid"
}

# wait_for NAME CHECK...: until CHECK succeeds; fails with the log's tail when the
# component dies or the timeout passes.
wait_for() {
  local name="$1" deadline=$((SECONDS + START_TIMEOUT)) pid
  shift
  until "$@" >/dev/null 2>&1; do
    pid="$(cat "$PIDS/$name.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && ! alive "$pid"; then
      tail -n 30 "$LOGS/$name.log" >&2
      die "$name (pid $pid) exited during startup (log: $LOGS/$name.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$LOGS/$name.log" >&2
      die "$name not healthy after ${START_TIMEOUT} s (log: $LOGS/$name.log); run down.sh and retry"
    fi
    sleep 0.2
  done
}

# ensure NAME HEALTH_FN START_FN: start NAME unless ours already runs; wait for health.
ensure() {
  local name="$1" health="$2" starter="$3" pid t0
  if pid="$(component_pid "$name")"; then
    echo "$pid" >"$PIDS/$name.pid"
    wait_for "$name" "$health"
    return 0
  fi
  t0="$(now_ms)"
  "$starter"
  wait_for "$name" "$health"
  log "$name up in $(secs_since "$t0") s (pid $(cat "$PIDS/$name.pid"), log: $LOGS/$name.log)"
}

curl_ok() { curl --silent --fail --noproxy '*' --max-time 3 -o /dev/null "$@"; }

kubectl() { "$BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

etcd_healthy() {
  curl_ok --cacert "$PKI/ca.crt" --cert "$PKI/apiserver-etcd-client.crt" --key "$PKI/apiserver-etcd-client.key" \
    "https://127.0.0.1:$ETCD_CLIENT_PORT/health"
}
start_etcd() {
  mkdir -p "$DIR/etcd"
  chmod 700 "$DIR/etcd"
  spawn etcd /usr/bin/etcd --data-dir "$DIR/etcd" --name "$NODE_NAME" \
    --listen-client-urls "https://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "https://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "$NODE_NAME=http://127.0.0.1:$ETCD_PEER_PORT" \
    --cert-file "$PKI/etcd-server.crt" --key-file "$PKI/etcd-server.key" \
    --client-cert-auth --trusted-ca-file "$PKI/ca.crt" \
    --logger zap --log-level warn
}

apiserver_healthy() {
  curl_ok --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$APISERVER_URL/readyz"
}
start_apiserver() {
  spawn kube-apiserver "$BIN/kube-apiserver" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port="$APISERVER_PORT" \
    --etcd-servers="https://127.0.0.1:$ETCD_CLIENT_PORT" --etcd-cafile="$PKI/ca.crt" \
    --etcd-certfile="$PKI/apiserver-etcd-client.crt" --etcd-keyfile="$PKI/apiserver-etcd-client.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --client-ca-file="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction,PodSecurity,ResourceQuota,LimitRanger \
    --anonymous-auth=false \
    --allow-privileged=false \
    --profiling=false \
    --tls-min-version=VersionTLS12 \
    --event-ttl=1h \
    --feature-gates=SizeBasedListCostEstimate=false
}

kcm_healthy() { curl_ok --insecure "https://127.0.0.1:$KCM_PORT/healthz"; }
start_kcm() {
  spawn kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --node-cidr-mask-size=24 \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --profiling=false
}

scheduler_healthy() { curl_ok --insecure "https://127.0.0.1:$SCHEDULER_PORT/healthz"; }
start_scheduler() {
  spawn kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$CONF/scheduler.kubeconfig" \
    --authentication-kubeconfig="$CONF/scheduler.kubeconfig" \
    --authorization-kubeconfig="$CONF/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" \
    --leader-elect=false --profiling=false
}

ctr_() { ctr --address "$CONTAINERD_SOCK" "$@"; }
containerd_healthy() { [ -S "$CONTAINERD_SOCK" ] && ctr_ version; }
start_containerd() {
  mkdir -p "$RUN_DIR/containerd" "$RUNC_ROOT"
  chmod 700 "$RUN_DIR"
  spawn containerd /usr/bin/containerd --config "$CONTAINERD_CONFIG" --log-level warn
}

kubelet_healthy() { curl_ok "http://127.0.0.1:$KUBELET_HEALTHZ_PORT/healthz"; }
start_kubelet() {
  spawn kubelet "$BIN/kubelet" --config="$CONF/kubelet.yaml" \
    --kubeconfig="$CONF/kubelet.kubeconfig" \
    --root-dir="$KUBELET_ROOT" \
    --hostname-override="$NODE_NAME" \
    --node-ip="$NODE_IP"
}

proxy_healthy() { curl_ok "http://127.0.0.1:$PROXY_HEALTHZ_PORT/healthz"; }
start_proxy() {
  spawn kube-proxy "$BIN/kube-proxy" --config="$CONF/kube-proxy.yaml"
}

coredns_healthy() { curl_ok "http://127.0.0.1:$COREDNS_READY_PORT/ready"; }
start_coredns() {
  spawn coredns "$BIN/coredns" -conf "$CONF/Corefile"
}

# ---------------------------------------------------------------------------- cluster objects

# CoreDNS reads Services, EndpointSlices, Namespaces and Pods; nothing more.
COREDNS_RBAC='
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: mlrun:coredns
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: mlrun:coredns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: mlrun:coredns
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: mlrun:coredns
'

# The Route CRD of openshift/api at the pinned version (fetched with go mod download).
route_crd() {
  local dir
  # Outside any module: the download never touches build/go.sum.
  dir="$(cd "$DIR" && GO111MODULE=on go mod download -json "github.com/openshift/api@$OPENSHIFT_API_VERSION" \
    | sed -n 's/.*"Dir": *"\([^"]*\)".*/\1/p')"
  [ -n "$dir" ] && [ -d "$dir/route/v1/zz_generated.crd-manifests" ] \
    || die "github.com/openshift/api@$OPENSHIFT_API_VERSION has no route/v1/zz_generated.crd-manifests"
  cat "$dir"/route/v1/zz_generated.crd-manifests/*.yaml
}

apply_cluster_objects() {
  local stamp="$DIR/objects.applied" want
  want="$(printf '%s\n%s\n' "$COREDNS_RBAC" "$OPENSHIFT_API_VERSION" | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ] \
    && kubectl get crd/routes.route.openshift.io clusterrolebinding/mlrun:coredns >/dev/null 2>&1; then
    return 0
  fi
  printf '%s\n' "$COREDNS_RBAC" | kubectl apply --server-side -f - >&2
  route_crd | kubectl apply --server-side -f - >&2
  kubectl wait --for=condition=Established --timeout=60s crd/routes.route.openshift.io >&2
  echo "$want" >"$stamp"
}

# ---------------------------------------------------------------------------- pause image

# The sandbox ("pause") image, built here: kubernetes' own build/pause/linux/pause.c from
# the module zip, compiled statically, in a one-layer OCI image imported straight into our
# containerd. Pods never pull it, so the node needs no registry access for it.
ensure_pause_image() {
  if ctr_ -n k8s.io images ls -q 2>/dev/null | grep -qxF "$PAUSE_IMAGE"; then return 0; fi
  local src work layer cfg man ld cd md tag="${PAUSE_IMAGE##*:}"
  src="$(cd "$here/build" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  [ -s "$src" ] || die "no $src in the kubernetes module"
  work="$DIR/images/pause"
  rm -rf "$work"
  mkdir -p "$work/root" "$work/oci/blobs/sha256"
  gcc -Os -Wall -Werror -static -DVERSION="v$tag-mlrun" -o "$work/root/pause" "$src"
  strip "$work/root/pause"
  layer="$work/layer.tar"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/root" -cf "$layer" pause
  ld="$(sha256sum "$layer" | cut -d' ' -f1)"
  mv "$layer" "$work/oci/blobs/sha256/$ld"
  cfg="{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/pause\"],\"User\":\"65535:65535\",\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$ld\"]}}"
  printf '%s' "$cfg" >"$work/cfg"
  cd="$(sha256sum "$work/cfg" | cut -d' ' -f1)"
  mv "$work/cfg" "$work/oci/blobs/sha256/$cd"
  man="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$cd\",\"size\":${#cfg}},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$ld\",\"size\":$(stat -c %s "$work/oci/blobs/sha256/$ld")}]}"
  printf '%s' "$man" >"$work/man"
  md="$(sha256sum "$work/man" | cut -d' ' -f1)"
  mv "$work/man" "$work/oci/blobs/sha256/$md"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$md" "${#man}" "$PAUSE_IMAGE" "$tag" >"$work/oci/index.json"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/oci" -cf "$work/pause.tar" .
  ctr_ -n k8s.io images import "$work/pause.tar" >&2
  ctr_ -n k8s.io images ls -q | grep -qxF "$PAUSE_IMAGE" || die "pause image import did not register $PAUSE_IMAGE"
  log "pause image $PAUSE_IMAGE imported"
}

# ---------------------------------------------------------------------------- main

node_ready() {
  [ "$(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

# What tests and tools read (kubernetesUnderTest() in libs/testing/processes): the one
# place outside this directory where the cluster's addresses appear.
write_cluster_facts() {
  cat >"$DIR/cluster.json.tmp" <<EOF
{
  "kubernetesVersion": "$K8S_VERSION",
  "kubeconfigPath": "$ADMIN_KUBECONFIG",
  "apiServer": "$APISERVER_URL",
  "nodeName": "$NODE_NAME",
  "nodeIp": "$NODE_IP",
  "podCidr": "$POD_CIDR",
  "nodePodCidr": "$NODE_POD_CIDR",
  "serviceCidr": "$SERVICE_CIDR",
  "clusterDomain": "$CLUSTER_DOMAIN",
  "dnsIp": "$DNS_IP",
  "binDir": "$BIN",
  "registry": "$REGISTRY_ADDRESS",
  "openshiftApiVersion": "$OPENSHIFT_API_VERSION",
  "firewallTable": "$FW_TABLE",
  "firewallChain": "$FW_CHAIN",
  "podBridge": "$BRIDGE"
}
EOF
  chmod 644 "$DIR/cluster.json.tmp"
  mv "$DIR/cluster.json.tmp" "$DIR/cluster.json"
}

usage() {
  echo "export KUBECONFIG=$ADMIN_KUBECONFIG"
  echo "export MLRUN_KUBECONFIG=$ADMIN_KUBECONFIG"
  echo "export MLRUN_K8S_NODE_IP=$NODE_IP"
  echo "export PATH=\"$BIN:\$PATH\""
}

main() {
  local t0
  t0="$(now_ms)"
  [ "$(id -u)" -eq 0 ] || die "needs root (network interfaces, iptables, containerd, kubelet)"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  exec 9>"$DIR/.lock"
  flock -w 3600 9 || die "another up.sh/down.sh holds $DIR/.lock"

  install_if_missing
  BIN="$("$here/build.sh")"
  [ -x "$BIN/kube-apiserver" ] || die "build.sh gave no binaries"
  [ -s "$REGISTRY_CA" ] || log "warning: no registry CA at $REGISTRY_CA (run tools/services/registry/up.sh); pulls from $REGISTRY_ADDRESS will fail"

  umask 077
  ensure_pki
  umask 022
  write_configs
  setup_network

  ensure etcd etcd_healthy start_etcd
  ensure kube-apiserver apiserver_healthy start_apiserver
  apply_cluster_objects
  ensure kube-controller-manager kcm_healthy start_kcm
  ensure kube-scheduler scheduler_healthy start_scheduler
  ensure containerd containerd_healthy start_containerd
  ensure_pause_image
  ensure kubelet kubelet_healthy start_kubelet
  ensure kube-proxy proxy_healthy start_proxy
  ensure coredns coredns_healthy start_coredns
  wait_for kubelet node_ready
  write_cluster_facts
  log "up in $(secs_since "$t0") s: node $NODE_NAME Ready, apiserver $APISERVER_URL, kubeconfig $ADMIN_KUBECONFIG"
  usage
}

main "$@"
