#!/usr/bin/env bash
# What R models need on this host (the process target): Debian's R (r-base-core) and
# r-cran-jsonlite, the one R package the R worker uses. A model's own R packages are Debian
# r-cran-* packages too, named in its manifest (`r.packages`); this script installs those
# given as arguments, e.g. `tools/services/r/up.sh r-cran-data.table`.
#
# Idempotent and quick when done: apt-get runs only for packages not installed yet. Nothing
# keeps running, so there is no down.sh.
set -euo pipefail

log() { echo "[r] $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

missing=()
for pkg in r-base-core r-cran-jsonlite "$@"; do
  pkg_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "no apt-get: install ${missing[*]} by hand"
  log "installing ${missing[*]} (apt-get)"
  # Refresh package lists only when apt does not know a package yet (fresh machine).
  for pkg in "${missing[@]}"; do
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      break
    fi
  done
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v Rscript >/dev/null 2>&1 || die "Rscript is not on PATH after installing r-base-core"
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || die "R cannot load jsonlite (r-cran-jsonlite)"
log "$(Rscript --version 2>&1 | head -n 1), jsonlite $(Rscript -e 'cat(as.character(packageVersion("jsonlite")))')"
