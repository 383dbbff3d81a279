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

_REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_EXAMPLE_DIR = os.path.join(_REPO_ROOT, "examples", "iris-python")


def example_dir():
    """The repository's example, or the copy MLRUN_IRIS_EXAMPLE_DIR names (the bench's
    test of a peer that answers otherwise serves a copy with other coefficients)."""
    return os.path.abspath(os.environ.get("MLRUN_IRIS_EXAMPLE_DIR") or DEFAULT_EXAMPLE_DIR)


def load(directory=None):
    """Imports model.py from the example's directory under the name 'iris_example_model',
    runs its init once per process, and returns the module (its predict then ready)."""
    directory = os.path.abspath(directory or example_dir())
    name = "iris_example_model"
    if name in sys.modules:
        return sys.modules[name]
    path = os.path.join(directory, "model.py")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot import the iris example from %s" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ctx = types.SimpleNamespace(
        model_dir=directory,
        coefficients_dir=os.path.join(directory, "coefficients"),
        config={"LOG_PREDICTIONS": "false"},
        logger=logging.getLogger("model"),
    )
    module.init(ctx)
    sys.modules[name] = module
    return module


if __name__ == "__main__":
    # The example's own answers, as the benchmark checks the peers against them:
    # iris_example.py [example-dir] < JSON list of input strings > JSON list of outputs.
    import json

    inputs = json.load(sys.stdin)
    model = load(sys.argv[1] if len(sys.argv) > 1 else None)
    json.dump([model.predict(text) for text in inputs], sys.stdout)
