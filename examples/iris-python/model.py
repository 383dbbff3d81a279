"""Iris species classifier: multinomial logistic regression, stdlib only.

ML-RUN model contract:
  init(ctx)            once per replica; loads coefficients/model.json
  predict(input: str)  per request; JSON string in, JSON string out

Input  {"features": [sepal_length, sepal_width, petal_length, petal_width]}  (cm)
       {"instances": [[...4 numbers...], [...], ...]}                        (batch)
Output {"class":"setosa","classIndex":0,"probabilities":{"setosa":0.97,...}}
       {"predictions":[{...}, ...]}                                         (batch)

Probabilities are rounded to 6 decimals, so the same input always gives the same
output string (the manifest's selfTest relies on this).
"""

import json
import logging
import math
import os

MODEL_FILE = "model.json"

_model = None
_logger = logging.getLogger("iris")
_log_predictions = False


# ---------------------------------------------------------------- loading


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_vector(data, key, length, path, positive=False):
    v = data.get(key)
    if not isinstance(v, list) or len(v) != length or not all(_is_number(x) for x in v):
        raise ValueError("%s: %r must be a list of %d finite numbers, got %r"
                         % (path, key, length, v))
    if positive and not all(x > 0 for x in v):
        raise ValueError("%s: %r must be all > 0 (it divides the features), got %r"
                         % (path, key, v))
    return [float(x) for x in v]


def _check_names(data, key, path):
    v = data.get(key)
    if (not isinstance(v, list) or len(v) < 1
            or not all(isinstance(x, str) and x for x in v) or len(set(v)) != len(v)):
        raise ValueError("%s: %r must be a non-empty list of distinct non-empty strings, got %r"
                         % (path, key, v))
    return list(v)


def load_model(path):
    """Read and validate a model.json; returns a dict of plain lists/floats."""
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError("%s: not valid JSON (%s)" % (path, e)) from None
    if not isinstance(data, dict):
        raise ValueError("%s: expected a JSON object, got %s" % (path, type(data).__name__))

    classes = _check_names(data, "classes", path)
    features = _check_names(data, "features", path)
    if len(classes) < 2:
        raise ValueError("%s: 'classes' needs at least 2 names, got %r" % (path, classes))
    k, d = len(classes), len(features)
    mean = _check_vector(data, "mean", d, path)
    std = _check_vector(data, "std", d, path, positive=True)
    bias = _check_vector(data, "bias", k, path)
    weights = data.get("weights")
    if not isinstance(weights, list) or len(weights) != k:
        raise ValueError("%s: 'weights' must be %d rows (one per class) of %d numbers, got %r"
                         % (path, k, d, weights))
    rows = []
    for i, row in enumerate(weights):
        if not isinstance(row, list) or len(row) != d or not all(_is_number(x) for x in row):
            raise ValueError("%s: 'weights'[%d] (class %r) must be a list of %d finite numbers, got %r"
                             % (path, i, classes[i], d, row))
        rows.append([float(x) for x in row])
    return {"classes": classes, "features": features, "mean": mean, "std": std,
            "weights": rows, "bias": bias,
            "trainedOn": data.get("trainedOn"), "accuracy": data.get("accuracy")}


def init(ctx):
    global _model, _logger, _log_predictions
    logger = getattr(ctx, "logger", None)
    if logger is not None:
        _logger = logger
    config = getattr(ctx, "config", None) or {}
    _log_predictions = str(config.get("LOG_PREDICTIONS", "false")).strip().lower() in ("1", "true", "yes")

    coefficients_dir = getattr(ctx, "coefficients_dir", None) or os.path.join(ctx.model_dir, "coefficients")
    path = os.path.join(os.fspath(coefficients_dir), MODEL_FILE)
    _model = load_model(path)
    _logger.info("iris model ready: %d classes %s, %d features, training accuracy %s",
                 len(_model["classes"]), _model["classes"], len(_model["features"]),
                 _model["accuracy"])


# ---------------------------------------------------------------- predicting


def _usage():
    names = ", ".join(_model["features"])
    n = len(_model["features"])
    return ('send JSON {"features":[%s]} (%d numbers) or {"instances":[[%d numbers], ...]}'
            % (names, n, n))


def _parse_row(row, where):
    n = len(_model["features"])
    if not isinstance(row, list):
        raise ValueError("%s must be a list of %d numbers, got %s; %s"
                         % (where, n, type(row).__name__, _usage()))
    if len(row) != n:
        raise ValueError("%s must have exactly %d numbers, got %d; %s"
                         % (where, n, len(row), _usage()))
    for j, v in enumerate(row):
        if not _is_number(v):
            raise ValueError("%s[%d] (%s) must be a finite number, got %s; %s"
                             % (where, j, _model["features"][j], json.dumps(v), _usage()))
    return [float(v) for v in row]


def _classify(x):
    m = _model
    z = [(x[j] - m["mean"][j]) / m["std"][j] for j in range(len(x))]
    logits = [b + sum(w[j] * z[j] for j in range(len(z))) for w, b in zip(m["weights"], m["bias"])]
    top = max(logits)
    e = [math.exp(v - top) for v in logits]
    s = sum(e)
    probs = [v / s for v in e]
    best = max(range(len(probs)), key=lambda i: probs[i])
    return {
        "class": m["classes"][best],
        "classIndex": best,
        "probabilities": {name: round(p, 6) for name, p in zip(m["classes"], probs)},
    }


def _dumps(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False)


def predict(input):
    if _model is None:
        raise RuntimeError("iris model is not initialised: init(ctx) must run before predict")
    if isinstance(input, (bytes, bytearray)):
        input = input.decode("utf-8")
    if not isinstance(input, str):
        raise ValueError("input must be a string; " + _usage())
    try:
        data = json.loads(input)
    except json.JSONDecodeError as e:
        raise ValueError("input is not valid JSON (%s); %s" % (e, _usage())) from None
    if not isinstance(data, dict):
        raise ValueError("input must be a JSON object; " + _usage())

    if "features" in data and "instances" in data:
        raise ValueError('give either "features" or "instances", not both; ' + _usage())
    if "features" in data:
        out = _classify(_parse_row(data["features"], '"features"'))
    elif "instances" in data:
        rows = data["instances"]
        if not isinstance(rows, list) or not rows:
            raise ValueError('"instances" must be a non-empty list of rows; ' + _usage())
        out = {"predictions": [_classify(_parse_row(r, '"instances"[%d]' % i))
                               for i, r in enumerate(rows)]}
    else:
        raise ValueError('missing "features"; ' + _usage())

    result = _dumps(out)
    if _log_predictions:
        _logger.info("predict %s -> %s", _dumps(data), result)
    return result
