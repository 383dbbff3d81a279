#!/usr/bin/env bash
# Runs a Kafka main class against the jars installed by up.sh, with quiet
# (WARN, stderr) logging: the repo's stand-in for the tarball's bin/*.sh.
# The broker takes SASL/SCRAM clients only: tools log in as the broker's own user with
# --command-config "$STATE/kafka/credentials/admin.properties" (written by up.sh, 0600).
# Examples (C=~/.ml-run/services/kafka/credentials/admin.properties):
#   run-class.sh org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --command-config $C --list
#   run-class.sh kafka.admin.AclCommand --bootstrap-server 127.0.0.1:9092 --command-config $C --list
#   run-class.sh kafka.tools.ConsoleProducer --bootstrap-server 127.0.0.1:9092 --producer.config $C --topic t
#   run-class.sh org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:9092 --consumer.config $C --topic t --from-beginning
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$SCRIPT_DIR/common.sh"

if [[ $# -lt 1 ]]; then
  echo "usage: $0 MAIN_CLASS [ARGS...]" >&2
  exit 2
fi
if [[ ! -f "$KAFKA_LIB_MARKER" ]]; then
  log "Kafka jars not installed in $KAFKA_LIB: run $SCRIPT_DIR/up.sh first"
  exit 1
fi
kafka_tool "$@"
