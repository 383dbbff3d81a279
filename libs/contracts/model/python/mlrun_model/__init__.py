"""ML-RUN model contract for Python authors: the ml-run.yaml rules and the model version
rule, identical to @ml-run/model-contract (TypeScript).

Example::

    from mlrun_model import read_model_dir
    info = read_model_dir(".")
    print(info["manifest"]["name"], info["version"])   # iris 1.2.0+3f9a1b2c4d5e

Command line: ``python3 -m mlrun_model version <dir>`` prints the model version.
"""

from .errors import ContractError, ContractErrorCode
from .manifest import MANIFEST_FILE, load_manifest, parse_manifest, validate_manifest
from .rules import DEFAULTS, FIELD_RULES, PATTERNS
from .version import (
    EMPTY_COEFFICIENTS_DIGEST,
    coefficients_digest,
    digest_coefficients_dir,
    model_version,
    parse_model_version,
    read_model_dir,
)

__all__ = [
    "ContractError",
    "ContractErrorCode",
    "MANIFEST_FILE",
    "DEFAULTS",
    "FIELD_RULES",
    "PATTERNS",
    "EMPTY_COEFFICIENTS_DIGEST",
    "load_manifest",
    "parse_manifest",
    "validate_manifest",
    "coefficients_digest",
    "digest_coefficients_dir",
    "model_version",
    "parse_model_version",
    "read_model_dir",
]
