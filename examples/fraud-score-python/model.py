"""Card-payment fraud score: a logistic regression over the customer's history in Ignite.

ML-RUN model contract:
  init(ctx)            once per replica; loads coefficients/model.json, checks ctx.ignite
                       (a connected pyignite.Client) and the aggregates table
  predict(input: str)  per request; JSON string in, JSON string out

Input   {"customerId": "C00042", "amount": 123.4}
Output  {"customerId":"C00042","known":true,"score":0.0123,"decision":"approve",
         "features":{"amountZ":...,"logAmount":...,"chargebackRate":...,"logTxnCount":...}}
Unknown customer (no row in the table):
        {"customerId":"X","known":false,"score":null,"decision":"review",
         "reason":"no history for this customer","features":null}

The customer's aggregates (transaction count, mean and std of amounts, chargebacks) are
read per request with a parameterised SQL query through ctx.ignite; the model itself is
standard library only. Numbers are rounded (score 4 decimals, features 6), so the same
input and the same row always give the same output string.
"""

import json
import logging
import math
import os
import re

MODEL_FILE = "model.json"
DEFAULT_TABLE = "CUSTOMER_AGGREGATES"
DEFAULT_REVIEW_AT = 0.3
DEFAULT_DECLINE_AT = 0.8
MAX_CUSTOMER_ID = 64
# An amount this many standard deviations from the customer's mean counts as this many.
Z_CLIP = 10.0
# Customers whose amounts barely vary must not turn a small difference into a huge z.
STD_FLOOR = 1.0
UNKNOWN_REASON = "no history for this customer"

_model = None
_ignite = None
_table = DEFAULT_TABLE
_review_at = DEFAULT_REVIEW_AT
_decline_at = DEFAULT_DECLINE_AT
_logger = logging.getLogger("fraud-score")


# ---------------------------------------------------------------- features


def features(amount, txn_count, amount_mean, amount_std, chargeback_count):
    """The model's inputs from one amount and one customer's aggregates (training uses it too)."""
    z = (amount - amount_mean) / max(amount_std, STD_FLOOR)
    return {
        "amountZ": max(-Z_CLIP, min(Z_CLIP, z)),
        "logAmount": math.log1p(amount),
        "chargebackRate": chargeback_count / txn_count if txn_count > 0 else 0.0,
        "logTxnCount": math.log1p(txn_count),
    }


def score(model, values):
    """P(fraud) = sigmoid(bias + sum(w * standardised feature))."""
    z = model["bias"] + sum(w * (values[name] - m) / s for name, w, m, s
                            in zip(model["features"], model["weights"], model["mean"], model["std"]))
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# ---------------------------------------------------------------- loading


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def load_model(path):
    """Read and validate coefficients/model.json."""
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError("%s: not valid JSON (%s)" % (path, e)) from None
    if not isinstance(data, dict):
        raise ValueError("%s: expected a JSON object, got %s" % (path, type(data).__name__))
    names = data.get("features")
    expected = list(features(1.0, 1, 1.0, 1.0, 0))
    if names != expected:
        raise ValueError("%s: 'features' must be %r (what model.py computes), got %r"
                         % (path, expected, names))
    out = {"features": names}
    for key in ("mean", "std", "weights"):
        v = data.get(key)
        if not isinstance(v, list) or len(v) != len(names) or not all(_is_number(x) for x in v):
            raise ValueError("%s: %r must be a list of %d finite numbers, got %r"
                             % (path, key, len(names), v))
        out[key] = [float(x) for x in v]
    if not all(s > 0 for s in out["std"]):
        raise ValueError("%s: 'std' must be all > 0 (it divides the features), got %r"
                         % (path, out["std"]))
    if not _is_number(data.get("bias")):
        raise ValueError("%s: 'bias' must be a finite number, got %r" % (path, data.get("bias")))
    out["bias"] = float(data["bias"])
    return out


def _threshold(config, key, default):
    raw = config.get(key)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not (0.0 < value <= 1.0):
        raise ValueError("env %s must be a number in (0, 1], got %r" % (key, raw))
    return value


def _settings(config):
    table = str(config.get("AGGREGATES_TABLE") or DEFAULT_TABLE)
    # The table name is part of the SQL text (only values can be parameters): keep it a name.
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,127}", table):
        raise ValueError("env AGGREGATES_TABLE must be an SQL table name ([A-Za-z_][A-Za-z0-9_]*), "
                         "got %r" % table)
    review_at = _threshold(config, "REVIEW_AT", DEFAULT_REVIEW_AT)
    decline_at = _threshold(config, "DECLINE_AT", DEFAULT_DECLINE_AT)
    if review_at >= decline_at:
        raise ValueError("env REVIEW_AT (%s) must be below DECLINE_AT (%s)" % (review_at, decline_at))
    return table, review_at, decline_at


def _count_rows(ignite, table):
    try:
        with ignite.sql("SELECT COUNT(*) FROM %s" % table) as cursor:
            return int(next(iter(cursor))[0])
    except Exception as e:  # noqa: BLE001 - any failure here means the table is not usable
        raise RuntimeError(
            "cannot read table %s through Ignite (%s: %s): create and load it with "
            "python3 setup/load_aggregates.py --endpoints HOST:PORT" % (table, type(e).__name__, e)
        ) from None


def init(ctx):
    global _model, _ignite, _table, _review_at, _decline_at, _logger
    logger = getattr(ctx, "logger", None)
    if logger is not None:
        _logger = logger
    ignite = getattr(ctx, "ignite", None)
    if ignite is None:
        raise RuntimeError("fraud-score reads customer aggregates from Apache Ignite, but ctx.ignite "
                           "is None: start the model-wrapper with MLRUN_MODEL_IGNITE_ENDPOINTS "
                           "(e.g. 127.0.0.1:10900)")
    table, review_at, decline_at = _settings(getattr(ctx, "config", None) or {})
    coefficients_dir = getattr(ctx, "coefficients_dir", None) or os.path.join(ctx.model_dir, "coefficients")
    model = load_model(os.path.join(os.fspath(coefficients_dir), MODEL_FILE))
    rows = _count_rows(ignite, table)
    _model, _ignite, _table, _review_at, _decline_at = model, ignite, table, review_at, decline_at
    _logger.info("fraud-score ready: %d customers in %s, review at %s, decline at %s",
                 rows, table, review_at, decline_at)


# ---------------------------------------------------------------- predicting

USAGE = 'send JSON {"customerId": "<id>", "amount": <number > 0>}'


def _parse(input):
    if isinstance(input, (bytes, bytearray)):
        input = input.decode("utf-8")
    try:
        data = json.loads(input)
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError("input is not valid JSON (%s); %s" % (e, USAGE)) from None
    if not isinstance(data, dict):
        raise ValueError("input must be a JSON object; " + USAGE)
    customer = data.get("customerId")
    if not isinstance(customer, str) or not customer.strip() or len(customer) > MAX_CUSTOMER_ID:
        raise ValueError('"customerId" must be a non-empty string of at most %d characters, got %s; %s'
                         % (MAX_CUSTOMER_ID, json.dumps(customer), USAGE))
    amount = data.get("amount")
    if not _is_number(amount) or amount <= 0:
        raise ValueError('"amount" must be a finite number > 0, got %s; %s' % (json.dumps(amount), USAGE))
    return customer, float(amount)


def _aggregates(customer):
    query = ("SELECT TXN_COUNT, AMOUNT_MEAN, AMOUNT_STD, CHARGEBACK_COUNT FROM %s WHERE CUSTOMER_ID = ?"
             % _table)
    try:
        with _ignite.sql(query, query_args=[customer]) as cursor:
            rows = list(cursor)
    except Exception as e:  # noqa: BLE001 - say which dependency failed, not just "error"
        raise RuntimeError("reading %s from Ignite failed (%s: %s)" % (_table, type(e).__name__, e)) from None
    return rows[0] if rows else None


def _decision(p):
    if p >= _decline_at:
        return "decline"
    return "review" if p >= _review_at else "approve"


def _dumps(obj):
    return json.dumps(obj, separators=(",", ":"))


def predict(input):
    if _model is None:
        raise RuntimeError("fraud-score is not initialised: init(ctx) must run before predict")
    customer, amount = _parse(input)
    row = _aggregates(customer)
    if row is None:
        return _dumps({"customerId": customer, "known": False, "score": None, "decision": "review",
                       "reason": UNKNOWN_REASON, "features": None})
    txn_count, amount_mean, amount_std, chargebacks = row
    values = features(amount, int(txn_count), float(amount_mean), float(amount_std), int(chargebacks))
    p = round(score(_model, values), 4)  # the decision follows the score the caller sees
    return _dumps({"customerId": customer, "known": True, "score": p, "decision": _decision(p),
                   "features": {name: round(v, 6) for name, v in values.items()}})
