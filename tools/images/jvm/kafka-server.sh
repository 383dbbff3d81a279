#!/bin/bash
# Entrypoint of the ml-run/jvm image for one Kafka node of a KRaft StatefulSet
# (deploy/openshift/ml-run-kafka.yaml): each pod is broker and controller; the voters are
# the StatefulSet's pods by their DNS names through the headless Service. Security as
# tools/services/kafka (auth.sh): SASL/SCRAM-SHA-512 for clients and between brokers,
# SASL/PLAIN with the broker's own user on the controller listener, StandardAuthorizer,
# super user = the broker's principal only, and the platform's principal gets prefixed ACLs
# on ml-run.* topics and groups (granted by pod 0 once it answers).
#
# Env:
#   POD_NAME, POD_NAMESPACE      downward API; the ordinal of POD_NAME is the node id
#   KAFKA_REPLICAS               number of pods (all are voters)
#   KAFKA_HEADLESS_SERVICE       the StatefulSet's serviceName
#   KAFKA_CLUSTER_DOMAIN         default cluster.local
#   KAFKA_BROKER_PASSWORD        the broker's own user ml-run-broker (super user)
#   KAFKA_USERNAME, KAFKA_PASSWORD   the platform's principal (default user ml-run-platform)
#   KAFKA_CLUSTER_ID             optional; default derived from namespace and Service, so every
#                                pod formats with the same id
#   KAFKA_HEAP_OPTS              default -Xms256m -Xmx512m
#   KAFKA_STATE_DIR              /var/lib/ml-run/kafka (log dirs; the PVC)
# Readiness: /tmp/kafka/ready exists once the broker lists topics (and pod 0 granted the ACLs).
set -euo pipefail

: "${POD_NAME:?from the downward API (metadata.name)}"
: "${POD_NAMESPACE:?from the downward API (metadata.namespace)}"
: "${KAFKA_HEADLESS_SERVICE:?the serviceName of the StatefulSet}"
: "${KAFKA_BROKER_PASSWORD:?from the credentials Secret}"
: "${KAFKA_PASSWORD:?from the credentials Secret}"
replicas="${KAFKA_REPLICAS:-1}"
domain="${KAFKA_CLUSTER_DOMAIN:-cluster.local}"
user="${KAFKA_USERNAME:-ml-run-platform}"
broker_user=ml-run-broker
mechanism=SCRAM-SHA-512
state="${KAFKA_STATE_DIR:-/var/lib/ml-run/kafka}"
data="$state/data"
conf=/tmp/kafka
lib=/opt/ml-run/kafka/lib
ordinal="${POD_NAME##*-}"
[[ "$ordinal" =~ ^[0-9]+$ ]] || { echo "kafka-server: POD_NAME $POD_NAME has no ordinal" >&2; exit 2; }
password_re='^[A-Za-z0-9._~-]{16,128}$'
for p in "$KAFKA_BROKER_PASSWORD" "$KAFKA_PASSWORD"; do
  [[ "$p" =~ $password_re ]] || { echo "kafka-server: passwords must be 16-128 of A-Z a-z 0-9 . _ ~ -" >&2; exit 2; }
done
[[ "$user" != "$broker_user" ]] || { echo "kafka-server: KAFKA_USERNAME must not be $broker_user" >&2; exit 2; }

host_of() { printf '%s-%s.%s.%s.svc.%s' "${POD_NAME%-*}" "$1" "$KAFKA_HEADLESS_SERVICE" "$POD_NAMESPACE" "$domain"; }
scram_login() {
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$2"
}
tool() { java -Xmx192m -Dlog4j.configuration="file:$conf/tools-log4j.properties" -cp "$lib/*" "$@"; }

voters=""
for ((i = 0; i < replicas; i++)); do voters="${voters:+$voters,}$i@$(host_of "$i"):9093"; done

# Holds passwords: the container's own tmp, readable by this uid only.
mkdir -p "$conf" "$data"
chmod 700 "$conf"
umask 077
cat >"$conf/server.properties" <<CONF
node.id=${ordinal}
process.roles=broker,controller
controller.quorum.voters=${voters}
controller.listener.names=CONTROLLER
listeners=SASL_PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093
advertised.listeners=SASL_PLAINTEXT://$(host_of "$ordinal"):9092
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.mechanism.inter.broker.protocol=${mechanism}
listener.name.sasl_plaintext.sasl.enabled.mechanisms=${mechanism}
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$(scram_login "$broker_user" "$KAFKA_BROKER_PASSWORD")
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${broker_user}" password="${KAFKA_BROKER_PASSWORD}" user_${broker_user}="${KAFKA_BROKER_PASSWORD}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:${broker_user}
allow.everyone.if.no.acl.found=false
log.dirs=${data}
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=$((replicas < 3 ? replicas : 3))
transaction.state.log.replication.factor=$((replicas < 3 ? replicas : 3))
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
CONF
cat >"$conf/admin.properties" <<CONF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=${mechanism}
sasl.jaas.config=$(scram_login "$broker_user" "$KAFKA_BROKER_PASSWORD")
CONF
cat >"$conf/log4j.properties" <<'CONF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
CONF
cat >"$conf/tools-log4j.properties" <<'CONF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
CONF
rm -f "$conf/ready"

# KRaft refuses an unformatted log dir; SCRAM users are written at format time (as up.sh does).
if [ ! -f "$data/meta.properties" ]; then
  cluster_id="${KAFKA_CLUSTER_ID:-}"
  if [ -z "$cluster_id" ]; then
    # 16 bytes of sha256(namespace/service), base64url without padding: the same on every pod.
    hex="$(printf '%s/%s' "$POD_NAMESPACE" "$KAFKA_HEADLESS_SERVICE" | sha256sum | cut -c1-32)"
    escaped="$(echo "$hex" | sed 's/../\\x&/g')"
    cluster_id="$(printf '%b' "$escaped" | base64 | tr '+/' '-_' | tr -d '=\n')"
  fi
  echo "kafka-server: formatting $data (cluster id $cluster_id, node $ordinal)"
  tool kafka.tools.StorageTool format -t "$cluster_id" -c "$conf/server.properties" \
    --add-scram "${mechanism}=[name=${broker_user},password=${KAFKA_BROKER_PASSWORD}]" \
    --add-scram "${mechanism}=[name=${user},password=${KAFKA_PASSWORD}]" >/dev/null
fi

# Ready once the broker answers metadata requests; pod 0 grants the platform's ACLs first
# (AclCommand --force is idempotent, so a restart grants them again harmlessly).
(
  until tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 \
    --command-config "$conf/admin.properties" --list >/dev/null 2>&1; do sleep 2; done
  if [ "$ordinal" = 0 ]; then
    common=(--bootstrap-server 127.0.0.1:9092 --command-config "$conf/admin.properties"
      --add --force --allow-principal "User:$user" --resource-pattern-type prefixed)
    until tool kafka.admin.AclCommand "${common[@]}" --topic ml-run. \
      --operation Read --operation Write --operation Create --operation Describe >/dev/null &&
      tool kafka.admin.AclCommand "${common[@]}" --group ml-run. \
        --operation Read --operation Describe >/dev/null; do sleep 2; done
    echo "kafka-server: granted User:$user the ml-run.* topics and consumer groups"
  fi
  : >"$conf/ready"
) &

# shellcheck disable=SC2206 # word splitting of the options is intended
heap=(${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m})
exec java "${heap[@]}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
  -Dlog4j.configuration="file:$conf/log4j.properties" \
  -cp "$lib/*" kafka.Kafka "$conf/server.properties"
