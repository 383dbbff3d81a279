# shellcheck shell=bash
# Helpers shared by the service scripts (tools/services/*/up.sh, down.sh and
# kafka/common.sh). Sourced, never executed:
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# It sets no shell options and no variables: every caller runs with set -euo
# pipefail already, and its own settings (STATE, ports, timeouts) stay in the script.
#
# Logging stays each script's own, so every message keeps its prefix ([slapd],
# [kafka], ...): a script defines log() BEFORE sourcing this file, and the helpers
# here that log (die, term_wait_kill) call it.
if ! declare -F log >/dev/null; then
  echo "tools/services/lib.sh: define log() before sourcing it" >&2
  return 1
fi

die() { log "ERROR: $*"; exit 1; }

now_ms() { date +%s%3N; }
# Seconds, with two decimals, since $1 (a now_ms value).
secs_since() { awk -v t="$(($(now_ms) - $1))" 'BEGIN { printf "%.2f", t / 1000 }'; }

# Run as root directly, otherwise through sudo (install and system-service ops only).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# Sets java_bin to a Java 17+ with javac beside it and makes sure Maven is there: Kafka and
# Ignite both need them. Installed from Debian (as root, or through sudo) when missing.
java_bin=""
java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'; }
pick_java() {
  local c
  for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if [ "$(java_major "$c")" -ge 17 ] 2>/dev/null; then java_bin="$c"; return 0; fi
  done
  return 1
}
ensure_java_toolchain() {
  if ! pick_java || ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
      log "installing openjdk-17-jdk-headless and maven (apt-get)"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
    fi
    pick_java || die "need Java 17+ (java) on PATH or JAVA_HOME"
    command -v mvn >/dev/null 2>&1 || die "need Maven (mvn)"
  fi
}

# True when something accepts TCP connections on $1:$2. Bash's /dev/tcp: no
# nc/curl needed on a fresh machine.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Alive = exists and is not a zombie: an exited child of this script, or an
# orphan under a container PID 1 that does not reap, still answers kill -0.
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != "Z" ]
}

# True when pid $1 is a live process named $2 (comm, 15 chars max) and, when $3 is
# given, its command line contains the fixed string $3 (one of our own paths).
# Guards against pid reuse and against the same program run by anyone else.
is_our_process() {
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  alive "$1" || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null || true)" = "$2" ] || return 1
  [ -z "${3:-}" ] || tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$3"
}

# Pids of all processes that pass is_our_process with name $1 and string $2.
pids_matching() {
  local d
  for d in /proc/[0-9]*; do
    if is_our_process "${d#/proc/}" "$1" "$2"; then echo "${d#/proc/}"; fi
  done
}

# Prints our pid: the one in pid file $1 if it passes is_our_process with name $2
# and string $3, else the first such process, one that lost its pid file.
find_our_pid() {
  local pidfile="$1" pid="" d
  [ -s "$pidfile" ] && pid="$(cat "$pidfile")"
  if is_our_process "$pid" "$2" "$3"; then echo "$pid"; return 0; fi
  for d in /proc/[0-9]*; do
    if is_our_process "${d#/proc/}" "$2" "$3"; then echo "${d#/proc/}"; return 0; fi
  done
  return 1
}

# Stops pid $1, named $3 in the log: SIGTERM, up to $2 seconds for it to exit, then
# SIGKILL. Fails when it is still alive 0.2 s after the SIGKILL.
term_wait_kill() {
  local pid="$1" timeout="$2" what="$3"
  log "stopping $what (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((timeout * 10))); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    log "$what did not stop within ${timeout} s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
    if alive "$pid"; then return 1; fi
  fi
}
