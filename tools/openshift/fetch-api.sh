#!/usr/bin/env bash
# Prints the directory of github.com/openshift/api, at the version pinned in
# tools/services/kubernetes/openshift-api.version, in the Go module cache (downloading it
# from the Go module proxy the first time). The Route CRD, openapi/openapi.json and the
# Template types come from there; no OpenShift package exists on npm.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(tr -d '[:space:]' <"$root/tools/services/kubernetes/openshift-api.version")"
# Outside any Go module, so no go.mod of ours is read or written.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
json="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/openshift/api@$version")"
dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' <<<"$json")"
if [[ -z "$dir" || ! -f "$dir/openapi/openapi.json" ]]; then
  echo "fetch-api.sh: github.com/openshift/api@$version has no openapi/openapi.json:" >&2
  echo "$json" >&2
  exit 1
fi
echo "$dir"
