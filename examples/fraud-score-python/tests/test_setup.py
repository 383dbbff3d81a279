"""Tests for setup/: the deterministic customer rows and the idempotent loader (a fake table)."""

import os
import subprocess
import sys
import unittest

from tests.fakes import FakeTable

BUNDLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(BUNDLE, "setup"))

import load_aggregates  # noqa: E402
from customers import COUNT, generate_customers  # noqa: E402


class CustomersTest(unittest.TestCase):
    def test_the_seed_fixes_the_rows(self):
        rows = generate_customers()
        self.assertEqual(rows, generate_customers())
        self.assertEqual(len(rows), COUNT)
        self.assertEqual(rows[0], {"customerId": "C00001", "txnCount": 13, "amountMean": 87.22,
                                   "amountStd": 34.16, "chargebackCount": 0})
        self.assertEqual(rows[490], {"customerId": "C00491", "txnCount": 16, "amountMean": 58.11,
                                     "amountStd": 20.63, "chargebackCount": 4})
        self.assertNotEqual(generate_customers(seed=1, count=5), rows[:5])

    def test_rows_are_sane(self):
        for row in generate_customers():
            self.assertGreaterEqual(row["txnCount"], 1)
            self.assertGreater(row["amountMean"], 0)
            self.assertGreater(row["amountStd"], 0)
            self.assertLessEqual(row["chargebackCount"], row["txnCount"])


class LoadTest(unittest.TestCase):
    def test_creates_and_fills_the_table(self):
        table = FakeTable()
        rows = generate_customers(count=20)
        self.assertEqual(load_aggregates.load(table, rows), (20, 0))
        self.assertEqual(table.statements[0], "CREATE")
        self.assertEqual(table.rows["C00001"], (13, 87.22, 34.16, 0))
        self.assertEqual(len(table.rows), 20)

    def test_running_again_leaves_exactly_the_generated_rows(self):
        table = FakeTable(existing={"C00001": (1, 1.0, 1.0, 1), "OLD-1": (5, 5.0, 5.0, 0)})
        rows = generate_customers(count=20)
        self.assertEqual(load_aggregates.load(table, rows), (20, 1))
        self.assertEqual(load_aggregates.load(table, rows), (20, 0))
        self.assertEqual(table.rows, {r["customerId"]: (r["txnCount"], r["amountMean"], r["amountStd"],
                                                        r["chargebackCount"]) for r in rows})

    def test_endpoints(self):
        self.assertEqual(load_aggregates.parse_endpoints("127.0.0.1:10800, ignite-2:10801"),
                         [("127.0.0.1", 10800), ("ignite-2", 10801)])
        for bad in ("ignite", "ignite:", ":10800", "ignite:x", "ignite:0", "ignite:70000"):
            with self.subTest(endpoints=bad):
                with self.assertRaises(ValueError):
                    load_aggregates.parse_endpoints(bad)

    def test_bad_endpoints_stop_the_script_with_usage(self):
        run = subprocess.run([sys.executable, os.path.join(BUNDLE, "setup", "load_aggregates.py"),
                              "--endpoints", "nope"], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--endpoints: 'nope' is not host:port", run.stderr)


if __name__ == "__main__":
    unittest.main()
