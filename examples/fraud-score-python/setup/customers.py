"""Synthetic customer histories for the fraud-score example (stdlib only, deterministic).

One row per customer, the aggregates a payments system would keep over past transactions:

    customerId       "C00001" ...
    txnCount         transactions so far (>= 1)
    amountMean       mean amount of those transactions
    amountStd        their standard deviation
    chargebackCount  how many of them ended in a chargeback

Only random.Random.random/uniform/lognormvariate are used: their output for a given
seed is the same on every CPython 3 version, so a seed always gives the same rows.
"""

import random

SEED = 20261201
COUNT = 500


def generate_customers(seed=SEED, count=COUNT):
    """`count` customers from `seed`; the same arguments always give the same list."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, count + 1):
        txn_count = max(1, min(5000, int(round(rng.lognormvariate(3.4, 1.1)))))
        amount_mean = round(rng.lognormvariate(3.8, 0.7), 2)
        amount_std = round(amount_mean * rng.uniform(0.15, 0.9), 2)
        # Most customers almost never see a chargeback; a few see many.
        propensity = 0.001 + 0.08 * rng.random() ** 8
        chargebacks = sum(1 for _ in range(txn_count) if rng.random() < propensity)
        rows.append({
            "customerId": "C%05d" % i,
            "txnCount": txn_count,
            "amountMean": amount_mean,
            "amountStd": amount_std,
            "chargebackCount": chargebacks,
        })
    return rows
