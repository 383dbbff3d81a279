# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
# Shared settings and helpers for up.sh / down.sh. Sourced, never executed.
# Everything lives under one state directory so that a single `rm -rf` resets it
# and so that other services (ignite, ldap) can sit beside it.

KAFKA_VERSION="3.9.1"
SCALA_VERSION="2.13"
SLF4J_RELOAD4J_VERSION="1.7.36"

# Default ports: tools, docs and MLRUN_KAFKA_BROKERS assume these. MLRUN_KAFKA_PORT and
# MLRUN_KAFKA_CONTROLLER_PORT move a private broker (its own MLRUN_SERVICES_DIR) aside.
KAFKA_HOST="127.0.0.1"
KAFKA_PORT="${MLRUN_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${MLRUN_KAFKA_CONTROLLER_PORT:-9093}"

# MLRUN_KAFKA_SERVICES_DIR moves Kafka alone (a private broker beside the shared Ignite and
# slapd, e.g. for tests that stop and start components by their scripts).
STATE="${MLRUN_KAFKA_SERVICES_DIR:-${MLRUN_SERVICES_DIR:-$HOME/.ml-run/services}}"
KAFKA_HOME="$STATE/kafka"
KAFKA_LIB="$KAFKA_HOME/lib"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_CONF="$KAFKA_HOME/server.properties"
KAFKA_LOG4J="$KAFKA_HOME/log4j.properties"
KAFKA_TOOLS_LOG4J="$KAFKA_HOME/tools-log4j.properties"
KAFKA_PID_FILE="$KAFKA_HOME/kafka.pid"
KAFKA_LOG="$KAFKA_HOME/kafka.log"
# JVM stdout/stderr (crashes, OOM, errors before log4j is up) go here, so that
# kafka.log stays written by log4j alone.
KAFKA_OUT="$KAFKA_HOME/kafka.out"
KAFKA_CLUSTER_ID_FILE="$KAFKA_HOME/cluster.id"
# Credentials (0600, in a 0700 dir): the broker's own principal (super user, controller
# and inter-broker links) and the platform's (the only one the ACLs let use ml-run.*).
# MLRUN_KAFKA_BROKER_PASSWORD / MLRUN_KAFKA_PASSWORD, when set, are used instead of files.
KAFKA_CREDENTIALS="$KAFKA_HOME/credentials"
KAFKA_BROKER_USER="ml-run-broker"
KAFKA_PLATFORM_USER="${MLRUN_KAFKA_USERNAME:-ml-run-platform}"
KAFKA_SASL_MECHANISM="SCRAM-SHA-512"
# Client settings for the CLI tools, as the broker's principal (run-class.sh --command-config).
KAFKA_ADMIN_PROPS="$KAFKA_CREDENTIALS/admin.properties"
# What the data dir was formatted with (a digest of users and passwords) and which ACLs it
# holds; outside the data dir, so Kafka never sees them.
KAFKA_AUTH_STAMP="$KAFKA_HOME/data.auth"
KAFKA_ACL_STAMP="$KAFKA_HOME/data.acls"
# Written last by the install step: a half-finished download never counts as installed.
KAFKA_LIB_MARKER="$KAFKA_LIB/.installed-kafka_${SCALA_VERSION}-${KAFKA_VERSION}"

log() { printf '[kafka] %s\n' "$*" >&2; }
# Shared helpers (used here: port_open); they log through the log above.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Runs a Kafka CLI main class with the installed jars; tools log WARN+ to stderr
# only, so their output stays readable.
kafka_tool() {
  local main="$1"
  shift
  "${java_bin:-java}" -Xmx256m -Dlog4j.configuration="file:$KAFKA_TOOLS_LOG4J" \
    -cp "$KAFKA_LIB/*" "$main" "$@"
}

# True when the pid is alive AND is our broker (the command line names our own
# server.properties), so a recycled pid is never mistaken for Kafka.
is_our_broker_pid() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"kafka.Kafka $KAFKA_CONF"* ]]
}

# Pid from the pid file if it is our live broker; prints nothing otherwise.
running_pid() {
  local pid=""
  [[ -f "$KAFKA_PID_FILE" ]] && pid="$(<"$KAFKA_PID_FILE")"
  if [[ -n "$pid" ]] && is_our_broker_pid "$pid"; then
    printf '%s\n' "$pid"
  fi
}

# Brokers of this state dir that lost their pid file (e.g. it was deleted by
# hand). Matches on our exact config path, never on a generic process name.
orphan_pids() {
  local d pid
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    if is_our_broker_pid "$pid"; then printf '%s\n' "$pid"; fi
  done
}

# Stricter than lib.sh's alive: kill -0 must succeed too (not e.g. another user's pid).
# kill -0 alone would count a zombie as alive: when up.sh stops a broker it
# started itself, the JVM is still its unreaped child.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat=""
  stat="$(<"/proc/$1/stat")" 2>/dev/null || return 0
  # The state letter follows the last ") " (comm may itself contain spaces).
  stat="${stat##*) }"
  [[ "${stat:0:1}" != "Z" ]]
}

# SIGTERM lets Kafka flush and close its logs cleanly (no recovery on the next
# start); SIGKILL after KAFKA_STOP_TIMEOUT (default 20) seconds so a hung JVM
# cannot block us.
stop_pid() {
  local pid="$1" deadline stop_timeout="${KAFKA_STOP_TIMEOUT:-20}"
  log "stopping broker pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + stop_timeout))
  while ((SECONDS < deadline)); do
    pid_alive "$pid" || { log "pid $pid stopped"; return 0; }
    sleep 0.5
  done
  log "pid $pid still alive after ${stop_timeout}s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  # SIGKILL is not instant: wait for the kernel to reap it so the ports are free.
  for _ in $(seq 1 20); do
    pid_alive "$pid" || return 0
    sleep 0.25
  done
  log "pid $pid did not die after SIGKILL"
  return 1
}

# Installs the Kafka jars into $KAFKA_LIB (up.sh when missing; tools/images/build-platform.sh
# for the ml-run/jvm image). Maven resolves kafka_2.13 and its runtime graph exactly as published, so we
# do not hand-maintain a jar list. kafka-tools is added because in 3.9
# TopicCommand and the console consumer live there, not in core; the broker
# does not need it but the health check and developers do. slf4j-reload4j is
# the log binding Kafka's own tarball ships (core only depends on slf4j-api).
install_jars() {
  local build="$KAFKA_HOME/build"
  local tmp_lib="$KAFKA_HOME/lib.tmp"
  rm -rf "$build" "$tmp_lib"
  mkdir -p "$build"
  cat >"$build/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by tools/services/kafka/up.sh: only used to fetch jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ml-run.services</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${SCALA_VERSION}</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-tools</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${SLF4J_RELOAD4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
EOF
  log "installing Kafka ${KAFKA_VERSION} (Scala ${SCALA_VERSION}) jars from Maven Central ..."
  # Copy into a temp dir and rename at the end: an interrupted download never
  # leaves a lib/ that looks complete.
  # Output goes to a file: Debian's Maven 3.8 prints stray ANSI codes even with
  # -q; the file is shown only when Maven fails.
  if ! (cd "$build" && mvn -q -B dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp_lib") >"$build/maven.log" 2>&1; then
    log "Maven failed; its output:"
    cat "$build/maven.log" >&2
    exit 1
  fi
  [[ -f "$tmp_lib/kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar" ]] || {
    log "Maven finished but kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar is missing"
    exit 1
  }
  touch "$tmp_lib/$(basename "$KAFKA_LIB_MARKER")"
  rm -rf "$KAFKA_LIB"
  mv "$tmp_lib" "$KAFKA_LIB"
  rm -rf "$build"
  log "installed $(find "$KAFKA_LIB" -name '*.jar' | wc -l) jars into $KAFKA_LIB"
}
