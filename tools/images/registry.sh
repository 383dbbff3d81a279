# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
# How the image scripts reach the registry of tools/services/registry: TLS checked
# against its CA, and a credential per role (push for --push, pull for a pull). Sourced
# by common.sh, never executed. Not part of any recipe hash: how an image travels does
# not change what is in it, so a change here rebuilds nothing.
#
# Env (tools/services/registry/up.sh prints them, for eval):
#   MLRUN_REGISTRY (host:port) or MLRUN_REGISTRY_PORT (default 127.0.0.1:5000), MLRUN_REGISTRY_CA (default
#   $STATE/registry/tls/ca.crt), MLRUN_REGISTRY_PUSH_USERNAME/_PASSWORD and
#   MLRUN_REGISTRY_PULL_USERNAME/_PASSWORD (default: mlrun-push/mlrun-pull and the
#   passwords in $STATE/registry/<role>.password, when readable).

# MLRUN_REGISTRY (host:port, as the builder takes it) wins over MLRUN_REGISTRY_PORT.
REGISTRY="${MLRUN_REGISTRY:-127.0.0.1:${MLRUN_REGISTRY_PORT:-5000}}"
REGISTRY_CA="${MLRUN_REGISTRY_CA:-$STATE/registry/tls/ca.crt}"

# Prints role $1's user name, or its password with $2 = password; fails when unknown.
registry_credential() {
  local role="$1" what="${2:-username}" var
  var="MLRUN_REGISTRY_${role^^}_${what^^}"
  if [ -n "${!var:-}" ]; then
    printf '%s' "${!var}"
  elif [ "$what" = username ]; then
    printf 'mlrun-%s' "$role"
  elif [ -r "$STATE/registry/$role.password" ]; then
    cat "$STATE/registry/$role.password"
  else
    return 1
  fi
}

# HTTP status of "$1 $2" against the registry with role $3's credential, over TLS checked
# against our CA. Asks for schema-2 and OCI manifests. The credential reaches curl on
# stdin, never on a command line (ps shows those).
registry_status() {
  local method="$1" path="$2" role="$3" user password
  user="$(registry_credential "$role")"
  password="$(registry_credential "$role" password)" || return 1
  [ -r "$REGISTRY_CA" ] || return 1
  printf 'user = "%s:%s"\n' "$user" "$password" |
    curl --config - --silent --output /dev/null --write-out '%{http_code}' --noproxy '*' \
      --max-time 10 --cacert "$REGISTRY_CA" --request "$method" \
      --header 'Accept: application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' \
      "https://$REGISTRY$path" 2>/dev/null || true
}

registry_up() {
  [ "$(registry_status GET /v2/ pull)" = "200" ]
}

# True when the registry holds repo:tag, e.g. registry_has ml-run/base 0123456789ab.
registry_has() {
  [ "$(registry_status HEAD "/v2/$1/manifests/$2" pull)" = "200" ]
}

# Runs the docker command "$2..." logged in to the registry as role $1. The login lives
# in a throwaway DOCKER_CONFIG, so no password stays in ~/.docker/config.json; the
# engine keeps none either (the CLI sends it with each request).
with_registry_login() {
  local role="$1" config rc=0
  shift
  config="$(mktemp -d)"
  registry_credential "$role" password |
    DOCKER_CONFIG="$config" dk login --username "$(registry_credential "$role")" \
      --password-stdin "$REGISTRY" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    rm -rf "$config"
    die "cannot log in to $REGISTRY as $(registry_credential "$role") ($role); check MLRUN_REGISTRY_${role^^}_PASSWORD or $STATE/registry/$role.password"
  fi
  DOCKER_CONFIG="$config" "$@" || rc=$?
  rm -rf "$config"
  return "$rc"
}
