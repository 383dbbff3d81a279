#!/usr/bin/env python3
"""Create and (re)load the CUSTOMER_AGGREGATES table the fraud-score model reads.

    python3 setup/load_aggregates.py [--endpoints HOST:PORT[,HOST:PORT...]]

Default endpoint 127.0.0.1:10900 (the models' Ignite, tools/services/model-ignite). Needs pyignite
(pip install --user pyignite==0.6.1). Idempotent: CREATE TABLE IF NOT EXISTS, then every
generated row is upserted (MERGE) and rows of other customers are deleted, so the table
always ends with exactly the rows of setup/customers.py's fixed seed, however often it
runs. The table is REPLICATED (every node holds all rows: a lookup table read on every
prediction) in Ignite's default, in-memory data region: restarting Ignite empties it, so
run this again after a restart.
"""

import argparse
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from customers import COUNT, SEED, generate_customers  # noqa: E402

TABLE = "CUSTOMER_AGGREGATES"
DEFAULT_ENDPOINTS = "127.0.0.1:10900"

CREATE = (
    "CREATE TABLE IF NOT EXISTS %s ("
    " CUSTOMER_ID VARCHAR PRIMARY KEY,"
    " TXN_COUNT INT NOT NULL,"
    " AMOUNT_MEAN DOUBLE NOT NULL,"
    " AMOUNT_STD DOUBLE NOT NULL,"
    " CHARGEBACK_COUNT INT NOT NULL"
    ') WITH "TEMPLATE=REPLICATED"' % TABLE
)
UPSERT = ("MERGE INTO %s (CUSTOMER_ID, TXN_COUNT, AMOUNT_MEAN, AMOUNT_STD, CHARGEBACK_COUNT)"
          " VALUES (?, ?, ?, ?, ?)" % TABLE)
IDS = "SELECT CUSTOMER_ID FROM %s" % TABLE
DELETE = "DELETE FROM %s WHERE CUSTOMER_ID = ?" % TABLE
COUNT_ROWS = "SELECT COUNT(*) FROM %s" % TABLE


def parse_endpoints(text):
    """"h1:p1,h2:p2" -> [("h1", p1), ("h2", p2)], as pyignite.Client.connect takes them."""
    nodes = []
    for endpoint in text.split(","):
        host, _, port = endpoint.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("%r is not host:port" % endpoint.strip())
        nodes.append((host, int(port)))
    return nodes


def run(client, statement, args=None):
    with client.sql(statement, query_args=args) as cursor:
        return list(cursor)


def load(client, rows):
    """Creates the table if needed and leaves exactly `rows` in it; returns (loaded, removed)."""
    run(client, CREATE)
    for r in rows:
        run(client, UPSERT, [r["customerId"], r["txnCount"], r["amountMean"], r["amountStd"],
                             r["chargebackCount"]])
    wanted = {r["customerId"] for r in rows}
    extra = [customer for (customer,) in run(client, IDS) if customer not in wanted]
    for customer in extra:
        run(client, DELETE, [customer])
    (count,), = run(client, COUNT_ROWS)
    if count != len(rows):
        raise RuntimeError("%s has %d rows after loading %d" % (TABLE, count, len(rows)))
    return len(rows), len(extra)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Create and load %s in Apache Ignite." % TABLE)
    parser.add_argument("--endpoints", default=DEFAULT_ENDPOINTS,
                        help="comma-separated host:port list (default %s)" % DEFAULT_ENDPOINTS)
    options = parser.parse_args(argv)
    try:
        nodes = parse_endpoints(options.endpoints)
    except ValueError as e:
        parser.error("--endpoints: %s" % e)
    try:
        from pyignite import Client
    except ImportError:
        sys.exit("load_aggregates.py needs pyignite: pip install --user pyignite==0.6.1")

    # pyignite logs each failed attempt with a traceback; the one line below says it all.
    logging.getLogger("pyignite").setLevel(logging.CRITICAL)
    client = Client()
    try:
        client.connect(nodes)
    except Exception as e:  # noqa: BLE001 - report and stop
        sys.exit("cannot connect to Ignite at %s: %s: %s" % (options.endpoints, type(e).__name__, e))
    try:
        loaded, removed = load(client, generate_customers())
    finally:
        client.close()
    print("%s: %d customers loaded (seed %d, %d generated), %d other rows removed, at %s"
          % (TABLE, loaded, SEED, COUNT, removed, options.endpoints))


if __name__ == "__main__":
    main()
