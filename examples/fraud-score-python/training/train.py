#!/usr/bin/env python3
"""Train the fraud-score logistic regression offline on simulated payments (stdlib only).

    python3 examples/fraud-score-python/training/train.py [--out PATH]

Simulates card payments of synthetic customers (setup/customers.py, with a seed other
than the table the model serves), labels some as fraud, computes the features exactly as
model.py does (it imports model.features), standardises them and fits a logistic
regression by full-batch gradient descent with an L2 penalty on the weights. Everything
is fixed (seeds, sizes, epochs, rounding), so a run reproduces coefficients/model.json
byte-for-byte.

The data is simulated, and so is what "fraud" means in it: this shows the mechanics
(history from Ignite -> features -> score), it is not a fraud model to deploy.
"""

import importlib.util
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.dirname(HERE)
OUT_PATH = os.path.join(BUNDLE, "coefficients", "model.json")
sys.path.insert(0, os.path.join(BUNDLE, "setup"))

from customers import generate_customers  # noqa: E402

CUSTOMER_SEED = 20261202
CUSTOMERS = 2000
PAYMENT_SEED = 20261203
PAYMENTS = 5000
EPOCHS = 1000
LEARNING_RATE = 0.5
L2 = 1e-3
DECIMALS = 8


def load_model_module():
    spec = importlib.util.spec_from_file_location("fraud_score_model", os.path.join(BUNDLE, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def simulate(feature_fn):
    """(feature dict, label) per simulated payment.

    Fraud is likelier for customers with chargebacks and a thin history. Most fraudulent
    payments are several times the customer's usual amount, some are not; most genuine
    payments are near it, some are big one-off purchases.
    """
    customers = generate_customers(seed=CUSTOMER_SEED, count=CUSTOMERS)
    rng = random.Random(PAYMENT_SEED)
    data = []
    for _ in range(PAYMENTS):
        c = customers[int(rng.random() * len(customers))]
        rate = c["chargebackCount"] / c["txnCount"]
        fraud = rng.random() < sigmoid(-3.0 + 30.0 * rate - 0.4 * math.log1p(c["txnCount"]))
        unusual = rng.random() < (0.7 if fraud else 0.04)
        if unusual:
            amount = c["amountMean"] * rng.uniform(1.5, 10.0)
        else:
            amount = max(1.0, c["amountMean"] + c["amountStd"] * rng.uniform(-1.7, 1.7))
        amount = round(amount, 2)
        data.append((feature_fn(amount, c["txnCount"], c["amountMean"], c["amountStd"],
                                c["chargebackCount"]), 1 if fraud else 0))
    return data


def fit(xs, ys):
    n, d = len(xs), len(xs[0])
    w, b = [0.0] * d, 0.0
    for _ in range(EPOCHS):
        gw, gb = [0.0] * d, 0.0
        for x, y in zip(xs, ys):
            err = sigmoid(b + sum(w[j] * x[j] for j in range(d))) - y
            gb += err
            for j in range(d):
                gw[j] += err * x[j]
        w = [w[j] - LEARNING_RATE * (gw[j] / n + L2 * w[j]) for j in range(d)]
        b -= LEARNING_RATE * gb / n
    return w, b


def auc(scores, ys):
    """Probability that a random fraud scores above a random genuine payment (ties count half)."""
    pairs = sorted(zip(scores, ys))
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        rank_sum += (i + j + 1) / 2.0 * sum(y for _, y in pairs[i:j])
        i = j
    positives = sum(ys)
    negatives = len(ys) - positives
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def to_json(obj):
    """One key per line, lists inline: short enough to read, stable to diff."""
    lines = ["  %s: %s" % (json.dumps(k), json.dumps(v, separators=(", ", ": "))) for k, v in obj.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv):
    out_path = OUT_PATH
    if argv[:1] == ["--out"] and len(argv) == 2:
        out_path = os.path.abspath(argv[1])
    elif argv:
        sys.exit("usage: train.py [--out PATH]   (default: %s)" % os.path.relpath(OUT_PATH))

    model = load_model_module()
    data = simulate(model.features)
    names = list(data[0][0])
    raw = [[f[name] for name in names] for f, _ in data]
    ys = [y for _, y in data]
    mean = [sum(col) / len(col) for col in zip(*raw)]
    std = [math.sqrt(sum((v - m) ** 2 for v in col) / len(col)) for col, m in zip(zip(*raw), mean)]
    xs = [[(v - m) / s for v, m, s in zip(row, mean, std)] for row in raw]
    w, b = fit(xs, ys)

    r = lambda v: round(v, DECIMALS)  # noqa: E731
    coefficients = {"features": names, "mean": [r(v) for v in mean], "std": [r(v) for v in std],
                    "weights": [r(v) for v in w], "bias": r(b)}
    scores = [model.score(coefficients, f) for f, _ in data]
    accuracy = sum((s >= 0.5) == (y == 1) for s, y in zip(scores, ys)) / len(ys)
    area = auc(scores, ys)
    coefficients["trainedOn"] = ("%d simulated payments of %d synthetic customers (seeds %d, %d), "
                                 "%d fraudulent"
                                 % (PAYMENTS, CUSTOMERS, CUSTOMER_SEED, PAYMENT_SEED, sum(ys)))
    coefficients["accuracy"] = round(accuracy, 4)
    coefficients["auc"] = round(area, 4)

    with open(out_path, "w", encoding="utf-8") as f:
        f.write(to_json(coefficients))
    print("fraud rate: %.4f (%d/%d)" % (sum(ys) / len(ys), sum(ys), len(ys)))
    print("training accuracy: %.4f, AUC: %.4f" % (accuracy, area))
    print("wrote %s" % out_path)


if __name__ == "__main__":
    main(sys.argv[1:])
