#!/usr/bin/env bash
# Python packages the tests need, installed for this user when missing: PyYAML (the Python
# contract module reads YAML) and pyignite (python models' ctx.ignite in the model-wrapper,
# the fraud-score example's loader).
#
# For every python3 a worker may end up running: `python3` on PATH (often a pyenv build)
# and the system /usr/bin/python3. Both read the same per-user site (~/.local) when they
# share a version, so a package installed through one can land there without the
# dependencies the other lacks (pyignite without attrs); checking each one by importing
# and installing through it fills in what that one misses.
set -euo pipefail

interpreters=(python3)
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
  interpreters+=(/usr/bin/python3)
fi

ensure() {
  local python="$1" module="$2" requirement="$3"
  "$python" -c "import $module" 2>/dev/null && return 0
  echo "installing $requirement for $python"
  # A system python refuses --user installs without the flag (PEP 668): try plain first.
  "$python" -m pip install --user --quiet "$requirement" 2>/dev/null ||
    "$python" -m pip install --user --quiet --break-system-packages "$requirement"
  "$python" -c "import $module"
}

ensure python3 yaml 'PyYAML==6.0.3'
ensure python3 pyignite 'pyignite==0.6.1'
# The system python is a fallback some environments resolve python3 to: best effort.
for python in "${interpreters[@]:1}"; do
  ensure "$python" yaml 'PyYAML==6.0.3' && ensure "$python" pyignite 'pyignite==0.6.1' ||
    echo "warning: $python cannot import PyYAML and pyignite; python models run by it lack ctx.ignite" >&2
done
