#!/usr/bin/env bash
# Builds (when missing or the sources changed) and starts one of ML-RUN's single-node Apache Ignite
# 2.17 servers on 127.0.0.1, then waits until it is ready. Idempotent: does nothing when it is
# already running. Two roles (MLRUN_IGNITE_ROLE), two clusters that never join each other:
#   platform (default)  tokens, registry, settings; persistent; thin clients must log in
#                       ports: client 10800, discovery 47500..47509, communication 47100..47109
#   model               models' data grid (ctx.ignite); in memory; no platform caches; no login
#                       (tools/services/model-ignite/up.sh)
#                       ports: client 10900, discovery 47600..47609, communication 47200..47209
#
# State under ${MLRUN_SERVICES_DIR:-~/.ml-run/services}/ignite/ (model: model-ignite/):
#   lib/ classes/ build.*        runtime jars (Maven Central) and the compiled main class (ignite/ only)
#   work/                        Ignite work dir (persistence + WAL of the platform's regions)
#   ignite.password              platform: the superuser `ignite`'s password (0600), generated on the
#                                first start; it replaces Ignite's default password. Platform services
#                                get it as MLRUN_IGNITE_PASSWORD (user MLRUN_IGNITE_USERNAME=ignite).
#                                It belongs to work/: without it the server refuses to start (it
#                                cannot log in); restore it, or remove work/ (tokens, registry) too.
#   ignite.pid ignite.out        pid, stdout/stderr (the "ML-RUN Ignite ready" line)
#   ignite.0.log                 Ignite's log (JUL, rotated)
# Env: MLRUN_IGNITE_CLIENT_PORT, MLRUN_IGNITE_DISCOVERY_PORT, MLRUN_IGNITE_COMMUNICATION_PORT (platform),
#      MLRUN_MODEL_IGNITE_CLIENT_PORT, MLRUN_MODEL_IGNITE_DISCOVERY_PORT,
#      MLRUN_MODEL_IGNITE_COMMUNICATION_PORT (model): first ports, defaults above; each range is 10 ports,
#      MLRUN_IGNITE_TOKEN_TTL_SECONDS (default 3600), MLRUN_IGNITE_START_TIMEOUT (s, default 120),
#      MLRUN_IGNITE_JAVA_OPTS (extra JVM options), JAVA_HOME.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
role="${MLRUN_IGNITE_ROLE:-platform}"
case "$role" in
  platform)
    name=ignite
    port="${MLRUN_IGNITE_CLIENT_PORT:-10800}"
    discovery_port="${MLRUN_IGNITE_DISCOVERY_PORT:-47500}"
    communication_port="${MLRUN_IGNITE_COMMUNICATION_PORT:-47100}"
    heap=(-Xms512m -Xmx768m)
    ;;
  model)
    name=model-ignite
    port="${MLRUN_MODEL_IGNITE_CLIENT_PORT:-10900}"
    discovery_port="${MLRUN_MODEL_IGNITE_DISCOVERY_PORT:-47600}"
    communication_port="${MLRUN_MODEL_IGNITE_COMMUNICATION_PORT:-47200}"
    heap=(-Xms256m -Xmx512m)
    ;;
  *) printf 'ignite: MLRUN_IGNITE_ROLE must be platform or model (got %s)\n' "$role" >&2; exit 2 ;;
esac
dir="$STATE/$name"
# One build for both roles, kept with the platform's state.
build_dir="$STATE/ignite"
pidfile="$dir/ignite.pid"
out="$dir/ignite.out"
password_file="$dir/ignite.password"
main_class=run.ml.ignite.IgniteServer
ready_line="ML-RUN Ignite ready"
timeout="${MLRUN_IGNITE_START_TIMEOUT:-120}"

log() { printf '%s: %s\n' "$name" "$*"; }
# Shared helpers (used here: port_open); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

mkdir -p "$dir" "$build_dir"

# One up.sh at a time (concurrent callers wait, then find it running). The server must not inherit fd 9.
exec 9>"$dir/up.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 300 9 || { log "another up.sh holds $dir/up.lock" >&2; exit 1; }
fi

# --- helpers ---------------------------------------------------------------------------------
our_pid() { # prints the pid from the pid file when it is alive and is our server
  local pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Both roles run the same main class: the state dir tells them apart.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dmlrun.ignite.stateDir=$dir " || return 1
  echo "$pid"
}

# Asks ss for a listening socket when it can, and connects (lib.sh's port_open) only
# without it; not merged into lib.sh, whose callers always connect.
port_listening() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q .
  else
    port_open 127.0.0.1 "$port"
  fi
}

show_logs() {
  echo "---- $out (tail) ----" >&2
  tail -n 40 "$out" >&2 2>/dev/null || true
  echo "---- $dir/ignite.0.log (tail) ----" >&2
  tail -n 40 "$dir/ignite.0.log" >&2 2>/dev/null || true
}

wait_ready() { # $1 = pid
  local pid="$1" start=$SECONDS
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "server process $pid exited during startup" >&2
      show_logs
      return 1
    fi
    if port_listening && grep -q "$ready_line" "$out" 2>/dev/null; then
      log "ready on 127.0.0.1:$port (pid $pid, $((SECONDS - start))s)"
      return 0
    fi
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      log "not ready after ${timeout}s; stopping it" >&2
      show_logs
      MLRUN_IGNITE_ROLE="$role" "$here/down.sh" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# --- already running? ------------------------------------------------------------------------
if pid="$(our_pid)"; then
  if port_listening && grep -q "$ready_line" "$out" 2>/dev/null; then
    log "already running (pid $pid, 127.0.0.1:$port)"
    exit 0
  fi
  log "starting already (pid $pid); waiting"
  wait_ready "$pid"
  exit $?
fi
rm -f "$pidfile"

if port_listening; then
  log "port $port is already in use by another process; not starting" >&2
  exit 1
fi

# --- toolchain (install when missing) --------------------------------------------------------
ensure_java_toolchain
javac_bin="$(dirname "$java_bin")/javac"
[ -x "$javac_bin" ] || javac_bin="$(command -v javac)"

# --- build when missing or changed -----------------------------------------------------------
# Both roles' up.sh may run at once: one builds, the other waits for it.
exec 8>"$build_dir/build.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 300 8 || { log "another up.sh holds $build_dir/build.lock" >&2; exit 1; }
fi
src_hash="$(cd "$here" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [ ! -f "$build_dir/build.sha256" ] || [ "$(cat "$build_dir/build.sha256")" != "$src_hash" ] \
   || [ ! -f "$build_dir/classes/run/ml/ignite/IgniteServer.class" ] || ! ls "$build_dir"/lib/ignite-core-*.jar >/dev/null 2>&1; then
  log "building (Maven Central jars + javac)"
  t0=$SECONDS
  rm -rf "$build_dir/lib.tmp" "$build_dir/classes.tmp"
  if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
       -DincludeScope=runtime -DoutputDirectory="$build_dir/lib.tmp" >"$build_dir/build.log" 2>&1; then
    log "maven failed:" >&2; tail -n 40 "$build_dir/build.log" >&2; exit 1
  fi
  "$javac_bin" -nowarn -encoding UTF-8 --release 17 -cp "$build_dir/lib.tmp/*" -d "$build_dir/classes.tmp" \
    $(find "$here/src/main/java" -name '*.java')
  rm -rf "$build_dir/lib" "$build_dir/classes"
  mv "$build_dir/lib.tmp" "$build_dir/lib"
  mv "$build_dir/classes.tmp" "$build_dir/classes"
  echo "$src_hash" >"$build_dir/build.sha256"
  log "built in $((SECONDS - t0))s"
fi
exec 8>&-

# --- the platform's superuser password (generated once, kept 0600) ---------------------------
role_opts=()
if [ "$role" = platform ]; then
  if [ ! -s "$password_file" ]; then
    # Letters and digits only: the server puts it into an ALTER USER statement.
    # (A finite read: tr on an endless /dev/urandom would die of SIGPIPE under pipefail.)
    secret="$(head -c 1024 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
    (umask 077; printf '%s\n' "${secret:0:40}" >"$password_file.tmp")
    mv "$password_file.tmp" "$password_file"
    log "generated the superuser password ($password_file)"
  fi
  chmod 600 "$password_file"
  role_opts=(-Dmlrun.ignite.passwordFile="$password_file"
             -Dmlrun.ignite.tokenTtlSeconds="${MLRUN_IGNITE_TOKEN_TTL_SECONDS:-3600}")
fi

# --- start -----------------------------------------------------------------------------------
# JDK 15+ opens and exports Ignite needs, shared with the ml-run/jvm image.
mapfile -t jvm_opens < <(grep -v '^#' "$here/jvm.options")

# shellcheck disable=SC2206
extra_opts=(${MLRUN_IGNITE_JAVA_OPTS:-})

log "starting ($java_bin)"
t0=$SECONDS
cd "$dir"
setsid "$java_bin" \
  "${jvm_opens[@]}" \
  "${heap[@]}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -DIGNITE_QUIET=true -DIGNITE_UPDATE_NOTIFIER=false -DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true \
  -Djava.net.preferIPv4Stack=true \
  -Djava.util.logging.manager='run.ml.ignite.IgniteServer$ServerLogManager' \
  -Dmlrun.ignite.stateDir="$dir" \
  -Dmlrun.ignite.role="$role" \
  -Dmlrun.ignite.clientPort="$port" \
  -Dmlrun.ignite.discoveryPort="$discovery_port" \
  -Dmlrun.ignite.communicationPort="$communication_port" \
  "${role_opts[@]}" \
  "${extra_opts[@]}" \
  -cp "$build_dir/classes:$build_dir/lib/*" "$main_class" \
  </dev/null >"$out" 2>&1 8>&- 9>&- &
pid=$!
echo "$pid" >"$pidfile"
wait_ready "$pid"
