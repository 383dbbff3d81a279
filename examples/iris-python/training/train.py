#!/usr/bin/env python3
"""Train the iris multinomial logistic regression offline (stdlib only).

    python3 examples/iris-python/training/train.py [--out PATH]

Reads training/iris.csv, standardises the four features (population mean/std),
fits softmax regression by full-batch gradient descent on the mean cross-entropy
plus an L2 penalty on the weights (not the bias), and writes
coefficients/model.json next to model.py. Everything is fixed (seed, epochs,
learning rate, row order, rounding of the stored numbers), so running it again
reproduces model.json byte-for-byte.
"""

import csv
import hashlib
import json
import math
import os
import random
import sys

SEED = 20261128
EPOCHS = 3000
LEARNING_RATE = 0.5
L2 = 1e-3
DECIMALS = 8  # stored coefficients are rounded to this many decimals

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.dirname(HERE)
CSV_PATH = os.path.join(HERE, "iris.csv")
OUT_PATH = os.path.join(BUNDLE, "coefficients", "model.json")

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
CLASSES = ["setosa", "versicolor", "virginica"]


def load(path):
    xs, ys = [], []
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != FEATURES + ["species"]:
            raise ValueError("%s: expected header %s, got %s"
                             % (path, ",".join(FEATURES + ["species"]), reader.fieldnames))
        for row in reader:
            xs.append([float(row[name]) for name in FEATURES])
            ys.append(CLASSES.index(row["species"]))
    return xs, ys


def softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


def predict_index(w, b, x):
    z = [b[k] + sum(w[k][j] * x[j] for j in range(len(x))) for k in range(len(b))]
    return max(range(len(z)), key=lambda k: z[k])


def to_json(model):
    """model.json text: one key per line, number rows inline (the layout Prettier keeps)."""
    lines = []
    for key, value in model.items():
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = ",\n".join("    " + json.dumps(row, separators=(", ", ": ")) for row in value)
            text = "[\n%s\n  ]" % rows
        else:
            text = json.dumps(value, separators=(", ", ": "))
        lines.append("  %s: %s" % (json.dumps(key), text))
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv):
    out_path = OUT_PATH
    if argv[:1] == ["--out"] and len(argv) == 2:
        out_path = os.path.abspath(argv[1])
    elif argv:
        sys.exit("usage: train.py [--out PATH]   (default: %s)" % os.path.relpath(OUT_PATH))
    xs, ys = load(CSV_PATH)
    n, d, k = len(xs), len(FEATURES), len(CLASSES)

    mean = [sum(x[j] for x in xs) / n for j in range(d)]
    std = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in xs) / n) for j in range(d)]
    mean = [round(v, DECIMALS) for v in mean]
    std = [round(v, DECIMALS) for v in std]
    zs = [[(x[j] - mean[j]) / std[j] for j in range(d)] for x in xs]

    rng = random.Random(SEED)
    w = [[rng.uniform(-0.01, 0.01) for _ in range(d)] for _ in range(k)]
    b = [0.0] * k

    for epoch in range(EPOCHS):
        gw = [[0.0] * d for _ in range(k)]
        gb = [0.0] * k
        loss = 0.0
        for x, y in zip(zs, ys):
            p = softmax([b[c] + sum(w[c][j] * x[j] for j in range(d)) for c in range(k)])
            loss -= math.log(max(p[y], 1e-300))
            for c in range(k):
                g = p[c] - (1.0 if c == y else 0.0)
                gb[c] += g
                row = gw[c]
                for j in range(d):
                    row[j] += g * x[j]
        loss = loss / n + 0.5 * L2 * sum(v * v for row in w for v in row)
        for c in range(k):
            for j in range(d):
                w[c][j] -= LEARNING_RATE * (gw[c][j] / n + L2 * w[c][j])
            b[c] -= LEARNING_RATE * gb[c] / n
        if epoch % 500 == 0 or epoch == EPOCHS - 1:
            print("epoch %4d  loss %.6f" % (epoch, loss), file=sys.stderr)

    w = [[round(v, DECIMALS) for v in row] for row in w]
    b = [round(v, DECIMALS) for v in b]
    # accuracy of exactly what gets stored (rounded numbers)
    correct = sum(1 for x, y in zip(zs, ys) if predict_index(w, b, x) == y)
    accuracy = round(correct / n, 6)

    with open(CSV_PATH, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    model = {
        "classes": CLASSES,
        "features": FEATURES,
        "mean": mean,
        "std": std,
        "weights": w,
        "bias": b,
        "trainedOn": "training/iris.csv (%d rows, sha256 %s); softmax regression, "
                     "full-batch gradient descent, lr=%g, l2=%g, epochs=%d, seed=%d"
                     % (n, digest, LEARNING_RATE, L2, EPOCHS, SEED),
        "accuracy": accuracy,
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", newline="\n") as f:
        f.write(to_json(model))
    print("training accuracy: %.4f (%d/%d)" % (accuracy, correct, n))
    print("wrote %s" % os.path.relpath(out_path))


if __name__ == "__main__":
    main(sys.argv[1:])
