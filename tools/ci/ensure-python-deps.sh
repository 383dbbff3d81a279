#!/usr/bin/env bash
# Python packages the tests need, installed for this user when missing: PyYAML (the Python
# contract module reads YAML) and pyignite (python models' ctx.ignite in the model-wrapper,
# the fraud-score example's loader).
set -euo pipefail
if ! python3 -c 'import yaml' 2>/dev/null; then
  python3 -m pip install --user --quiet 'PyYAML==6.0.3' ||
    python3 -m pip install --user --quiet --break-system-packages 'PyYAML==6.0.3'
fi
if ! python3 -c 'import pyignite' 2>/dev/null; then
  python3 -m pip install --user --quiet 'pyignite==0.6.1' ||
    python3 -m pip install --user --quiet --break-system-packages 'pyignite==0.6.1'
fi
