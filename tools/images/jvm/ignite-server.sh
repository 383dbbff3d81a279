#!/bin/bash
# Entrypoint of the ml-run/jvm image for one Ignite node in a StatefulSet
# (deploy/openshift/ml-run-ignite.yaml): run.ml.ignite.IgniteServer (tools/services/ignite)
# bound to the pod's address, peers found through the Kubernetes IP finder.
#
# Env:
#   IGNITE_AUTHENTICATION      true: the platform's store (tokens, registry; persistence; thin
#                              clients log in); false: the models' data grid (in memory, no login)
#   IGNITE_PASSWORD_FILE       with authentication: the superuser `ignite`'s password (a Secret key)
#   IGNITE_DISCOVERY_SERVICE   the headless Service whose endpoints are the peers
#   POD_NAME, POD_IP, POD_NAMESPACE   from the downward API (consistent id, bind address, namespace)
#   IGNITE_CLIENT_PORT (10800), IGNITE_DISCOVERY_PORT (47500), IGNITE_COMMUNICATION_PORT (47100)
#   IGNITE_TOKEN_TTL_SECONDS (3600), IGNITE_JAVA_OPTS (default: -Xms256m -Xmx512m)
#   IGNITE_STATE_DIR (/var/lib/ml-run/ignite: work dir, persistence, WAL; the PVC)
# Readiness: /tmp/ignite.ready exists once the node is active (and, for the platform, the
# superuser's password is set).
set -euo pipefail

case "${IGNITE_AUTHENTICATION:-true}" in
  true) role=platform ;;
  false) role=model ;;
  *) echo "ignite-server: IGNITE_AUTHENTICATION must be true or false" >&2; exit 2 ;;
esac
state="${IGNITE_STATE_DIR:-/var/lib/ml-run/ignite}"
: "${POD_NAME:?from the downward API (metadata.name)}"
: "${POD_IP:?from the downward API (status.podIP)}"
: "${POD_NAMESPACE:?from the downward API (metadata.namespace)}"
: "${IGNITE_DISCOVERY_SERVICE:?the headless Service of this StatefulSet}"
: "${KUBERNETES_SERVICE_HOST:?not in a Kubernetes pod}"

role_opts=()
if [ "$role" = platform ]; then
  : "${IGNITE_PASSWORD_FILE:?authentication needs the superuser password file}"
  # The Secret may be created after this pod (ml-run-control-plane.yaml holds it); its
  # optional volume fills in when it appears. Waiting here spares a crash-loop back-off.
  waited=0
  until [ -s "$IGNITE_PASSWORD_FILE" ]; do
    [ "$waited" -eq 0 ] && echo "ignite-server: waiting for $IGNITE_PASSWORD_FILE (the password Secret)" >&2
    [ "$waited" -ge 900 ] && { echo "ignite-server: no $IGNITE_PASSWORD_FILE after ${waited}s" >&2; exit 2; }
    sleep 5
    waited=$((waited + 5))
  done
  role_opts=(-Dmlrun.ignite.passwordFile="$IGNITE_PASSWORD_FILE"
    -Dmlrun.ignite.tokenTtlSeconds="${IGNITE_TOKEN_TTL_SECONDS:-3600}")
fi

mkdir -p "$state"
mapfile -t jvm_opens < <(grep -v '^#' /opt/ml-run/ignite/jvm.options)
# shellcheck disable=SC2206 # word splitting of the options is intended
java_opts=(${IGNITE_JAVA_OPTS:--Xms256m -Xmx512m})

exec java "${jvm_opens[@]}" "${java_opts[@]}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -DIGNITE_QUIET=true -DIGNITE_UPDATE_NOTIFIER=false -DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true \
  -Djava.net.preferIPv4Stack=true \
  -Djava.util.logging.manager='run.ml.ignite.IgniteServer$ServerLogManager' \
  -Dmlrun.ignite.stateDir="$state" \
  -Dmlrun.ignite.role="$role" \
  -Dmlrun.ignite.host="$POD_IP" \
  -Dmlrun.ignite.clientHost=0.0.0.0 \
  -Dmlrun.ignite.consistentId="$POD_NAME" \
  -Dmlrun.ignite.clientPort="${IGNITE_CLIENT_PORT:-10800}" \
  -Dmlrun.ignite.discoveryPort="${IGNITE_DISCOVERY_PORT:-47500}" \
  -Dmlrun.ignite.communicationPort="${IGNITE_COMMUNICATION_PORT:-47100}" \
  -Dmlrun.ignite.kubernetes.service="$IGNITE_DISCOVERY_SERVICE" \
  -Dmlrun.ignite.kubernetes.namespace="$POD_NAMESPACE" \
  -Dmlrun.ignite.kubernetes.masterUrl="https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT:-443}" \
  -Dmlrun.ignite.readyFile=/tmp/ignite.ready \
  "${role_opts[@]}" \
  -cp "/opt/ml-run/ignite/classes:/opt/ml-run/ignite/lib/*" run.ml.ignite.IgniteServer
