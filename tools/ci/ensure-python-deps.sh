#!/usr/bin/env bash
# The Python contract module reads YAML with PyYAML; install it for this user when missing.
set -euo pipefail
if python3 -c 'import yaml' 2>/dev/null; then
  exit 0
fi
python3 -m pip install --user --quiet 'PyYAML==6.0.3' ||
  python3 -m pip install --user --quiet --break-system-packages 'PyYAML==6.0.3'
