"""A test model with a known service time, for the queueing-model experiments.

predict() sleeps, then answers {"ok":true}. How long it sleeps comes from
coefficients/service.json:
  {"distribution": "exponential" | "deterministic", "meanMs": <number > 0>}
so one replica run with one worker (MLRUN_WORKERS=1) is one M/M/1 (or M/D/1) server
whose service rate is known before it is measured.

A request may ask for its own time with {"serviceMs": <number >= 0>} (deterministic);
the manifest's selfTest uses 0 so a deployment's check costs nothing.

Sleeping uses no CPU, so the predict station's time is the sleep plus the runtime's
small per-call overhead, which the calibration measures.
"""

import json
import math
import os
import random

SERVICE_FILE = "service.json"
DISTRIBUTIONS = ("exponential", "deterministic")

_service = None
# A fresh seed per process: replicas must not sleep in lockstep.
_random = random.Random(os.urandom(16))
_sleep = None


def load_service(path):
    """Read and validate service.json; returns {"distribution": str, "meanMs": float}."""
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError("%s: not valid JSON (%s)" % (path, e)) from None
    if not isinstance(data, dict):
        raise ValueError("%s: expected a JSON object, got %s" % (path, type(data).__name__))
    distribution = data.get("distribution")
    if distribution not in DISTRIBUTIONS:
        raise ValueError("%s: 'distribution' must be one of %s, got %r"
                         % (path, ", ".join(DISTRIBUTIONS), distribution))
    mean = data.get("meanMs")
    if not _is_number(mean) or mean <= 0:
        raise ValueError("%s: 'meanMs' must be a number above 0 (milliseconds), got %r"
                         % (path, mean))
    return {"distribution": distribution, "meanMs": float(mean)}


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def init(ctx, sleep=None):
    """Loads the service time; `sleep` is for tests (default time.sleep)."""
    global _service, _sleep
    import time

    coefficients_dir = getattr(ctx, "coefficients_dir", None) or os.path.join(
        ctx.model_dir, "coefficients")
    _service = load_service(os.path.join(os.fspath(coefficients_dir), SERVICE_FILE))
    _sleep = sleep or time.sleep


def draw_ms():
    """One service time in milliseconds, from the configured distribution."""
    mean = _service["meanMs"]
    if _service["distribution"] == "deterministic":
        return mean
    return _random.expovariate(1.0 / mean)


def predict(input):
    if _service is None:
        raise RuntimeError("exp-sleep model is not initialised: init(ctx) must run before predict")
    if isinstance(input, (bytes, bytearray)):
        input = input.decode("utf-8")
    ms = draw_ms()
    if input and input.strip():
        try:
            data = json.loads(input)
        except json.JSONDecodeError as e:
            raise ValueError('input is not valid JSON (%s); send {} or {"serviceMs": <ms>}'
                             % e) from None
        if isinstance(data, dict) and "serviceMs" in data:
            asked = data["serviceMs"]
            if not _is_number(asked) or asked < 0:
                raise ValueError('"serviceMs" must be a number of milliseconds >= 0, got %r'
                                 % (asked,))
            ms = float(asked)
    if ms > 0:
        _sleep(ms / 1000.0)
    return '{"ok":true}'
