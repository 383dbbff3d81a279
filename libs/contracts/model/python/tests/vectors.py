"""Loads the test vectors shared with the TypeScript specs."""

import json
import os

CONTRACT_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VECTORS_DIR = os.path.join(CONTRACT_DIR, "test-vectors")
MODEL_DIR_FIXTURE = os.path.join(VECTORS_DIR, "model-dir")
# Pinned with sha256sum; the TypeScript spec pins the same value.
MODEL_DIR_FIXTURE_VERSION = "1.2.0+751bfc13e77c"


def load(name):
    with open(os.path.join(VECTORS_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


def json_schema():
    with open(os.path.join(CONTRACT_DIR, "manifest.schema.json"), encoding="utf-8") as handle:
        return json.load(handle)


try:
    import yaml  # noqa: F401

    HAVE_YAML = True
except ImportError:  # pragma: no cover
    HAVE_YAML = False
