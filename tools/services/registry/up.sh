#!/usr/bin/env bash
# Start ML-RUN's own image registry (Debian docker-registry, distribution 2.8) on
# https://127.0.0.1:5000: TLS with a CA of its own, htpasswd (bcrypt) basic auth,
# loopback only, deletes enabled. Without a credential nothing is pushed or pulled, so
# no process on the host (a model on the host network included) can replace
# ml-run/base or any model image.
#
# Two principals, so each role's password is rotated on its own:
#   push (default user mlrun-push): the builder and tools/images/build-*.sh --push
#   pull (default user mlrun-pull): deployers (Swarm nodes pull with it)
# htpasswd auth has no per-user permissions: distribution lets every valid user push
# AND pull. The split is for rotation and blame, not a read-only door (docs/security.md).
#
# Idempotent: installs docker-registry and apache2-utils (htpasswd) only when missing,
# makes the CA, the server certificate (IP SAN 127.0.0.1) and the passwords only once,
# and does nothing when our registry is already running and healthy. It never uses the
# system registry (the package's /etc/docker/registry/config.yml listens on all
# interfaces); if the package's postinst would start it, a temporary policy-rc.d keeps
# it stopped.
#
# The engine trusts the CA through /etc/docker/certs.d/127.0.0.1:<port>/ca.crt (written
# here, read by dockerd on each connection, no restart). dockerd treats 127.0.0.0/8 as
# an insecure registry whatever its flags: it speaks TLS to us but does not verify the
# certificate; our own clients (the builder, the tests, curl here) do verify it.
#
# Prints `export` lines on stdout (logs go to stderr); passwords are read from their
# files when evaluated, never printed:
#   eval "$(tools/services/registry/up.sh)"
#
# State under $STATE/registry/ with STATE=${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}:
#   config.yml (generated on every start), data/ (blobs and manifests), http.secret,
#   tls/ca.crt ca.key server.crt server.key, htpasswd (regenerated on every start),
#   push.password pull.password (0600, made once), registry.pid, registry.log
# Env: MLRUN_REGISTRY_PORT (default 5000), MLRUN_REGISTRY_START_TIMEOUT (seconds,
#   default 30), MLRUN_REGISTRY_PUSH_USERNAME / MLRUN_REGISTRY_PULL_USERNAME (default
#   mlrun-push / mlrun-pull), MLRUN_REGISTRY_PUSH_PASSWORD / MLRUN_REGISTRY_PULL_PASSWORD
#   (set: written to the password file, i.e. a rotation; takes effect on the next start),
#   MLRUN_DOCKER_CERTS_D (the engine's trust dir, default /etc/docker/certs.d)
set -euo pipefail

STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
DIR="$STATE/registry"
DATA="$DIR/data"
CONF="$DIR/config.yml"
SECRET_FILE="$DIR/http.secret"
TLS="$DIR/tls"
HTPASSWD="$DIR/htpasswd"
PIDFILE="$DIR/registry.pid"
LOG="$DIR/registry.log"
HOST=127.0.0.1
PORT="${MLRUN_REGISTRY_PORT:-5000}"
ADDRESS="$HOST:$PORT"
URL="https://$ADDRESS"
START_TIMEOUT="${MLRUN_REGISTRY_START_TIMEOUT:-30}"
REGISTRY=/usr/bin/docker-registry
CERTS_D="${MLRUN_DOCKER_CERTS_D:-/etc/docker/certs.d}"
ROLES=(push pull)

log() { echo "[registry] $*" >&2; }
# Shared helpers (die, as_root, alive, port_open, ...); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[[ "$PORT" =~ ^[0-9]{1,5}$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] \
  || die "MLRUN_REGISTRY_PORT must be a port (1-65535), not '$PORT'"

username_of() {
  case "$1" in
    push) echo "${MLRUN_REGISTRY_PUSH_USERNAME:-mlrun-push}" ;;
    pull) echo "${MLRUN_REGISTRY_PULL_USERNAME:-mlrun-pull}" ;;
  esac
}
password_file() { echo "$DIR/$1.password"; }

# HTTP status of GET $1 over TLS, checked against our CA; with role $2's credential when
# given. The credential goes to curl on stdin (a config line), never on its command line.
https_status() {
  local path="$1" role="${2:-}"
  {
    if [ -n "$role" ]; then
      printf 'user = "%s:%s"\n' "$(username_of "$role")" "$(cat "$(password_file "$role")")"
    fi
  } | curl --config - --silent --output /dev/null --write-out '%{http_code}' \
    --noproxy '*' --max-time 5 --cacert "$TLS/ca.crt" "$URL$path" 2>/dev/null || true
}

# Up = TLS with our certificate, anonymous requests refused, the pull credential taken.
healthy() {
  [ "$(https_status /v2/)" = "401" ] && [ "$(https_status /v2/ pull)" = "200" ]
}

# Prints our registry's pid: from the pid file, else one serving our config that
# lost its pid file. Matched on our config path, so pid reuse never counts.
our_pid() { find_our_pid "$PIDFILE" docker-registry "serve $CONF "; }

install_if_missing() {
  if pkg_installed docker-registry && [ -x "$REGISTRY" ] && command -v htpasswd >/dev/null \
    && command -v curl >/dev/null && command -v openssl >/dev/null; then
    return 0
  fi
  local t0=$SECONDS guard="" rc=0
  log "installing docker-registry, apache2-utils (htpasswd), curl, openssl (Debian packages)"
  if ! apt-cache show docker-registry >/dev/null 2>&1; then as_root apt-get update; fi
  # policy-rc.d exit 101 = "not allowed": the postinst must not start the system
  # registry (it would listen on *:5000).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$guard" >/dev/null
    as_root chmod 755 "$guard"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends docker-registry apache2-utils curl openssl || rc=$?
  if [ -n "$guard" ]; then as_root rm -f "$guard"; fi
  [ "$rc" -eq 0 ] || die "apt-get install docker-registry apache2-utils curl openssl failed"
  log "installed in $((SECONDS - t0)) s"
}

# A CA of our own, made once (10 years), and a server certificate for the IP 127.0.0.1
# signed by it, made again when missing, not for this CA, or within 30 days of expiry.
# Keys stay 0600 in $TLS; only ca.crt leaves (to certs.d and to clients).
ensure_tls() {
  mkdir -p "$TLS"
  chmod 700 "$TLS"
  if [ ! -s "$TLS/ca.crt" ] || [ ! -s "$TLS/ca.key" ]; then
    log "making the registry CA ($TLS/ca.crt)"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=ML-RUN local registry CA" -keyout "$TLS/ca.key.tmp" -out "$TLS/ca.crt.tmp" \
      -addext basicConstraints=critical,CA:TRUE,pathlen:0 \
      -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    chmod 600 "$TLS/ca.key.tmp"
    mv "$TLS/ca.key.tmp" "$TLS/ca.key"
    mv "$TLS/ca.crt.tmp" "$TLS/ca.crt"
    rm -f "$TLS/server.crt"
  fi
  if [ -s "$TLS/server.crt" ] && [ -s "$TLS/server.key" ] \
    && openssl verify -CAfile "$TLS/ca.crt" "$TLS/server.crt" >/dev/null 2>&1 \
    && openssl x509 -in "$TLS/server.crt" -noout -checkend $((30 * 86400)) >/dev/null; then
    return 0
  fi
  log "making the registry's server certificate (IP SAN $HOST)"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$HOST" \
    -keyout "$TLS/server.key.tmp" -out "$TLS/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=IP:$HOST" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$TLS/server.ext"
  openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" \
    -CAcreateserial -days 825 -extfile "$TLS/server.ext" -out "$TLS/server.crt.tmp" 2>/dev/null
  chmod 600 "$TLS/server.key.tmp"
  mv "$TLS/server.key.tmp" "$TLS/server.key"
  mv "$TLS/server.crt.tmp" "$TLS/server.crt"
  rm -f "$TLS/server.csr" "$TLS/server.ext"
}

# The engine's trust entry for this address; certs.d is per host:port, so another
# port's registry (a private one for development) never disturbs this one's.
trust_ca() {
  local dir="$CERTS_D/$ADDRESS"
  if [ -s "$dir/ca.crt" ] && cmp -s "$dir/ca.crt" "$TLS/ca.crt"; then return 0; fi
  as_root mkdir -p "$dir"
  as_root cp "$TLS/ca.crt" "$dir/ca.crt"
  as_root chmod 644 "$dir/ca.crt"
  log "the Docker engine trusts $TLS/ca.crt for $ADDRESS ($dir/ca.crt)"
}

# One password per role: from the environment (a rotation), else the file, else made
# once (32 random bytes, hex). Then htpasswd is written again from them (bcrypt, cost
# 10), so a changed password takes effect on the next start.
ensure_credentials() {
  local role file given user
  for role in "${ROLES[@]}"; do
    file="$(password_file "$role")"
    given="MLRUN_REGISTRY_${role^^}_PASSWORD"
    if [ -n "${!given:-}" ]; then
      [ "$(printf %s "${!given}" | wc -c)" -ge 16 ] || die "$given must be at least 16 characters"
      printf '%s' "${!given}" >"$file.tmp"
      mv "$file.tmp" "$file"
    elif [ ! -s "$file" ]; then
      od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$file.tmp"
      mv "$file.tmp" "$file"
      log "made the $role password ($file)"
    fi
    chmod 600 "$file"
  done
  [ "$(username_of push)" != "$(username_of pull)" ] || die "the push and pull users must differ"
  : >"$HTPASSWD.tmp"
  for role in "${ROLES[@]}"; do
    user="$(username_of "$role")"
    [[ "$user" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "registry user name '$user' must be [A-Za-z0-9._-]{1,64}"
    # -i: the password comes on stdin, never on a command line (ps shows those).
    htpasswd -niB -C 10 "$user" <"$(password_file "$role")" | sed '/^$/d' >>"$HTPASSWD.tmp"
  done
  chmod 600 "$HTPASSWD.tmp"
  mv "$HTPASSWD.tmp" "$HTPASSWD"
}

# Regenerated on every start so an old state dir follows this script. The HTTP
# secret (signs upload state) is made once and kept, so restarts keep uploads valid.
write_config() {
  umask 077
  if [ ! -s "$SECRET_FILE" ]; then
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$SECRET_FILE"
  fi
  mkdir -p "$DATA"
  cat >"$CONF.tmp" <<EOF
# Generated by tools/services/registry/up.sh; edits are overwritten on next start.
version: 0.1
log:
  # Requests still go to the access log; errors to the application log.
  level: warn
  formatter: text
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $DATA
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
auth:
  # Every request needs a user of this file (bcrypt); it has no per-user rights.
  htpasswd:
    realm: ml-run-registry
    path: $HTPASSWD
http:
  # Loopback only; TLS, so basic-auth passwords never cross even loopback in clear.
  addr: $ADDRESS
  secret: $(cat "$SECRET_FILE")
  tls:
    certificate: $TLS/server.crt
    key: $TLS/server.key
    minimumtls: tls1.2
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF
  mv "$CONF.tmp" "$CONF"
}

wait_healthy() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  until healthy; do
    if ! alive "$pid"; then
      tail -n 40 "$LOG" >&2
      die "docker-registry (pid $pid) exited during startup"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$LOG" >&2
      die "docker-registry (pid $pid) not healthy after ${START_TIMEOUT} s; run down.sh and retry"
    fi
    sleep 0.1
  done
}

start() {
  local t0 pid
  t0="$(now_ms)"
  log "starting docker-registry on $URL (log: $LOG)"
  echo "=== $(date -Is) start ===" >>"$LOG"
  # setsid in a non-interactive shell execs without forking, so $! is the registry.
  # fd 9 (the flock) is closed for it, or the lock would live as long as it.
  setsid "$REGISTRY" serve "$CONF" </dev/null >>"$LOG" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_healthy "$pid"
  log "up: pid $pid, $URL (TLS + auth), healthy in $(secs_since "$t0") s"
}

# For eval: where the registry is and its credentials, read from their files when
# evaluated (the passwords are never printed).
usage() {
  local role
  echo "export MLRUN_REGISTRY=$ADDRESS"
  echo "export MLRUN_REGISTRY_CA=$TLS/ca.crt"
  for role in "${ROLES[@]}"; do
    echo "export MLRUN_REGISTRY_${role^^}_USERNAME=$(username_of "$role")"
    echo "export MLRUN_REGISTRY_${role^^}_PASSWORD=\"\$(cat '$(password_file "$role")')\""
  done
}

main() {
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  # Serialize concurrent up/down runs (e.g. parallel task runners).
  exec 9>"$DIR/.lock"
  flock -w $((START_TIMEOUT + 120)) 9 || die "another up.sh/down.sh holds $DIR/.lock"

  install_if_missing
  umask 077
  ensure_tls
  trust_ca

  local pid
  if pid="$(our_pid)"; then
    if ! healthy; then
      # Alive but not (yet) answering: maybe still starting; give it the timeout. One
      # started by an older up.sh (plain HTTP, no auth) never gets healthy: say so.
      if ! grep -q '^auth:' "$CONF" 2>/dev/null; then
        die "docker-registry (pid $pid) runs an older config without TLS and auth; run down.sh, then up.sh"
      fi
      log "docker-registry (pid $pid) runs but is not healthy yet; waiting"
      wait_healthy "$pid"
    fi
    [ -s "$PIDFILE" ] || echo "$pid" >"$PIDFILE"
    log "already running (pid $pid) on $URL"
    usage
    return 0
  fi
  rm -f "$PIDFILE"

  # Not ours: refuse to start on a port someone else holds.
  if port_open "$HOST" "$PORT"; then
    die "$ADDRESS is already in use by another process"
  fi

  ensure_credentials
  write_config
  start
  usage
}

main "$@"
