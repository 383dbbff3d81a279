#!/usr/bin/env bash
# Builds (when missing or the sources changed) and starts ML-RUN's single-node Apache Ignite 2.17
# server on 127.0.0.1 (thin client 10800, discovery 47500..47509, communication 47100..47109),
# then waits until it is ready. Idempotent: does nothing when it is already running.
#
# State under ${MLRUN_SERVICES_DIR:-~/.ml-run/services}/ignite/:
#   lib/ classes/ build.*        runtime jars (Maven Central) and the compiled main class
#   work/                        Ignite work dir (persistence + WAL of the `persistent` region)
#   ignite.pid ignite.out        pid, stdout/stderr (the "ML-RUN Ignite ready" line)
#   ignite.0.log                 Ignite's log (JUL, rotated)
# Env: MLRUN_IGNITE_TOKEN_TTL_SECONDS (default 3600), MLRUN_IGNITE_START_TIMEOUT (s, default 120),
#      MLRUN_IGNITE_JAVA_OPTS (extra JVM options), JAVA_HOME.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
STATE="${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}"
dir="$STATE/ignite"
pidfile="$dir/ignite.pid"
out="$dir/ignite.out"
port=10800
main_class=run.ml.ignite.IgniteServer
ready_line="ML-RUN Ignite ready"
timeout="${MLRUN_IGNITE_START_TIMEOUT:-120}"

log() { printf 'ignite: %s\n' "$*"; }
# Shared helpers (used here: port_open); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

mkdir -p "$dir"

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
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$main_class" || return 1
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
      "$here/down.sh" >&2 || true
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
src_hash="$(cd "$here" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [ ! -f "$dir/build.sha256" ] || [ "$(cat "$dir/build.sha256")" != "$src_hash" ] \
   || [ ! -f "$dir/classes/run/ml/ignite/IgniteServer.class" ] || ! ls "$dir"/lib/ignite-core-*.jar >/dev/null 2>&1; then
  log "building (Maven Central jars + javac)"
  t0=$SECONDS
  rm -rf "$dir/lib.tmp" "$dir/classes.tmp"
  if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
       -DincludeScope=runtime -DoutputDirectory="$dir/lib.tmp" >"$dir/build.log" 2>&1; then
    log "maven failed:" >&2; tail -n 40 "$dir/build.log" >&2; exit 1
  fi
  "$javac_bin" -nowarn -encoding UTF-8 --release 17 -cp "$dir/lib.tmp/*" -d "$dir/classes.tmp" \
    $(find "$here/src/main/java" -name '*.java')
  rm -rf "$dir/lib" "$dir/classes"
  mv "$dir/lib.tmp" "$dir/lib"
  mv "$dir/classes.tmp" "$dir/classes"
  echo "$src_hash" >"$dir/build.sha256"
  log "built in $((SECONDS - t0))s"
fi

# --- start -----------------------------------------------------------------------------------
# JDK 15+ options from Ignite's bin/include/jvmdefaults.sh, plus a few more opens/exports.
jvm_opens=(
  --add-opens=java.base/jdk.internal.access=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED
  --add-opens=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED
  --add-opens=java.base/sun.reflect.generics.reflectiveObjects=ALL-UNNAMED
  --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.math=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.management/sun.management=ALL-UNNAMED
  --add-opens=java.desktop/java.awt.font=ALL-UNNAMED
  --add-opens=java.base/java.security=ALL-UNNAMED
  --add-opens=java.base/sun.security.x509=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
)

# shellcheck disable=SC2206
extra_opts=(${MLRUN_IGNITE_JAVA_OPTS:-})

log "starting ($java_bin)"
t0=$SECONDS
cd "$dir"
setsid "$java_bin" \
  "${jvm_opens[@]}" \
  -Xms512m -Xmx768m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -DIGNITE_QUIET=true -DIGNITE_UPDATE_NOTIFIER=false -DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true \
  -Djava.net.preferIPv4Stack=true \
  -Djava.util.logging.manager='run.ml.ignite.IgniteServer$ServerLogManager' \
  -Dmlrun.ignite.stateDir="$dir" \
  -Dmlrun.ignite.clientPort="$port" \
  -Dmlrun.ignite.tokenTtlSeconds="${MLRUN_IGNITE_TOKEN_TTL_SECONDS:-3600}" \
  "${extra_opts[@]}" \
  -cp "$dir/classes:$dir/lib/*" "$main_class" \
  </dev/null >"$out" 2>&1 9>&- &
pid=$!
echo "$pid" >"$pidfile"
wait_ready "$pid"
