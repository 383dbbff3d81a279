"""Loads examples/iris-python/model.py itself, so both peers run ML-RUN's example code.

The module is imported from its file in the repository (not copied, not rewritten) and
initialised the way ML-RUN's python worker does it: init(ctx) with the example's
directory, its coefficients/ and the manifest's env (LOG_PREDICTIONS false).
"""

import importlib.util
import logging
import os
import sys
import types

# tools/bench/peers -> the repository root; MLRUN_IRIS_EXAMPLE_DIR overrides it (MLflow
# copies this file into its model directory, where the relative path would not hold).
_REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_EXAMPLE_DIR = os.path.join(_REPO_ROOT, "examples", "iris-python")


def load(example_dir=None):
    """Imports the example's model.py under the name 'iris_example_model', runs its init
    once per process, and returns the module (whose predict is then ready)."""
    example_dir = os.path.abspath(
        example_dir or os.environ.get("MLRUN_IRIS_EXAMPLE_DIR") or DEFAULT_EXAMPLE_DIR)
    name = "iris_example_model"
    if name in sys.modules:
        return sys.modules[name]
    path = os.path.join(example_dir, "model.py")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot import the iris example from %s" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ctx = types.SimpleNamespace(
        model_dir=example_dir,
        coefficients_dir=os.path.join(example_dir, "coefficients"),
        config={"LOG_PREDICTIONS": "false"},
        logger=logging.getLogger("model"),
    )
    module.init(ctx)
    sys.modules[name] = module
    return module


if __name__ == "__main__":
    # The example's own answers, as the benchmark checks the peers against them:
    # a JSON list of input strings on stdin -> the JSON list of predict outputs on stdout.
    import json

    inputs = json.load(sys.stdin)
    model = load()
    json.dump([model.predict(text) for text in inputs], sys.stdout)
