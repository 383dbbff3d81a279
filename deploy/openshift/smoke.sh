#!/usr/bin/env bash
# Smoke test of an ML-RUN installation on a real OpenShift cluster (deploy/openshift/README.md):
# logs in as admin through the issuer's Route, uploads examples/iris-python through the
# builder's Route, waits for its build, deploys it with REPLICAS pods, predicts through the
# router's Route (and checks that a prediction without a token is refused), then undeploys.
#
#   oc login ...                 # a user who may read the Routes and Secret ml-run-admin
#   deploy/openshift/smoke.sh
#
# Needs oc, curl and python3 (zip and JSON). Settings (environment):
#   NAMESPACE=ml-run  BUILDER_NAMESPACE=ml-run-builder   as given to the control-plane template
#   REPLICAS=2                  model pods
#   ROUTER_CA=<file>            CA of the Routes' certificate when the cluster's is not
#                               trusted by this machine (curl --cacert)
#   BUILD_TIMEOUT=1800 READY_TIMEOUT=300   seconds
#   KEEP=1                      leave the model deployed
set -euo pipefail

NAMESPACE=${NAMESPACE:-ml-run}
BUILDER_NAMESPACE=${BUILDER_NAMESPACE:-ml-run-builder}
REPLICAS=${REPLICAS:-2}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-1800}
READY_TIMEOUT=${READY_TIMEOUT:-300}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
MODEL_DIR="$REPO/examples/iris-python"
SETOSA='{"features":[5.1,3.5,1.4,0.2]}'

say() { printf '== %s\n' "$*" >&2; }
fail() {
  printf 'smoke: %s\n' "$*" >&2
  exit 1
}
for tool in oc curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not on PATH"
done
oc whoami >/dev/null 2>&1 || fail "not logged in to a cluster: oc login first"

CURL=(curl --silent --show-error --max-time 120)
[ -n "${ROUTER_CA:-}" ] && CURL+=(--cacert "$ROUTER_CA")

# json FIELD: one top-level field of the JSON on stdin (empty when absent).
json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1], ""); print(v if isinstance(v, str) else json.dumps(v))' "$1"; }

route() {
  local host
  host=$(oc get route "$1" -n "$2" -o jsonpath='{.spec.host}') || fail "no Route $1 in $2"
  printf 'https://%s' "$host"
}
ISSUER=$(route ml-run-auth-issuer "$NAMESPACE")
ROUTER=$(route ml-run-router "$NAMESPACE")
BUILDER=$(route ml-run-builder "$BUILDER_NAMESPACE")

# request METHOD URL [BODY-FILE CONTENT-TYPE]: prints the body, then the HTTP status on its own line.
request() {
  local args=(-X "$1" -H "authorization: Bearer $TOKEN" -w '\n%{http_code}')
  [ $# -ge 4 ] && args+=(-H "content-type: $4" --data-binary "@$3")
  "${CURL[@]}" "${args[@]}" "$2"
}
status_of() { tail -n1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

say "login as admin at $ISSUER"
PASSWORD=$(oc extract secret/ml-run-admin -n "$NAMESPACE" --keys=password --to=-)
python3 -c 'import json,sys; print(json.dumps({"grant_type":"password","username":"admin","password":sys.argv[1]}))' \
  "$PASSWORD" >"$WORK/login.json"
TOKEN=''
answer=$("${CURL[@]}" -X POST -H 'content-type: application/json' --data-binary "@$WORK/login.json" \
  -w '\n%{http_code}' "$ISSUER/v1/auth/token")
[ "$(status_of "$answer")" = 200 ] || fail "login: $(status_of "$answer") $(body_of "$answer")"
TOKEN=$(body_of "$answer" | json access_token)

say "upload examples/iris-python to $BUILDER"
(cd "$MODEL_DIR" && python3 -m zipfile -c "$WORK/iris.zip" ml-run.yaml model.py coefficients)
answer=$(request POST "$BUILDER/v1/models" "$WORK/iris.zip" application/zip)
case "$(status_of "$answer")" in 200 | 201 | 202) ;; *) fail "upload: $(status_of "$answer") $(body_of "$answer")" ;; esac
VERSION=$(body_of "$answer" | json version)
BUILD=$(body_of "$answer" | json buildId)
say "build $BUILD of iris $VERSION"

deadline=$((SECONDS + BUILD_TIMEOUT))
while :; do
  state=$(body_of "$(request GET "$BUILDER/v1/builds/$BUILD")" | json state)
  case "$state" in
    succeeded) break ;;
    failed) fail "build $BUILD failed: $(body_of "$(request GET "$BUILDER/v1/builds/$BUILD")")" ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || fail "build $BUILD still $state after ${BUILD_TIMEOUT}s"
  sleep 5
done

say "deploy iris $VERSION with $REPLICAS pods (target openshift)"
printf '{"target":"openshift","replicas":%d}' "$REPLICAS" >"$WORK/deploy.json"
DEPLOYMENT="$BUILDER/v1/models/iris/versions/$VERSION/deployment"
answer=$(request POST "$DEPLOYMENT" "$WORK/deploy.json" application/json)
case "$(status_of "$answer")" in 200 | 201 | 202) ;; *) fail "deploy: $(status_of "$answer") $(body_of "$answer")" ;; esac
if [ "${KEEP:-0}" != 1 ]; then
  trap 'request DELETE "$DEPLOYMENT" >/dev/null || true; rm -rf "$WORK"' EXIT
fi

say "predict through $ROUTER"
printf '%s' "$SETOSA" >"$WORK/setosa.json"
PREDICT="$ROUTER/v1/models/iris/versions/$VERSION/predict"
deadline=$((SECONDS + READY_TIMEOUT))
while :; do
  answer=$(request POST "$PREDICT" "$WORK/setosa.json" application/json)
  status=$(status_of "$answer")
  [ "$status" = 200 ] && break
  # 404/503 until the router's table has the version's ready pods
  case "$status" in 404 | 503) ;; *) fail "predict: $status $(body_of "$answer")" ;; esac
  [ "$SECONDS" -lt "$deadline" ] || fail "predict still $status after ${READY_TIMEOUT}s"
  sleep 2
done
class=$(body_of "$answer" | json class)
[ "$class" = setosa ] || fail "predicted $class for a setosa: $(body_of "$answer")"

anonymous=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
  --data-binary "@$WORK/setosa.json" "$PREDICT")
[ "$anonymous" = 401 ] || fail "a prediction without a token got $anonymous, not 401"

say "ok: iris $VERSION predicted setosa through the router; without a token: 401"
