"""Tests for the fraud-score example bundle (stdlib unittest, a fake ctx.ignite).

    cd examples/fraud-score-python && python3 -m unittest discover -s tests -t .
"""

import importlib.util
import json
import logging
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
import unittest

from tests.fakes import FakeIgnite

BUNDLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COEFFICIENTS = os.path.join(BUNDLE, "coefficients")
sys.path.insert(0, os.path.join(BUNDLE, "setup"))

from customers import generate_customers  # noqa: E402

# The rows setup/load_aggregates.py puts into Ignite, as the model reads them.
TABLE_ROWS = {c["customerId"]: (c["txnCount"], c["amountMean"], c["amountStd"], c["chargebackCount"])
              for c in generate_customers()}

_loaded = 0


def fresh_model():
    """Import model.py as a new module object, so each test starts uninitialised."""
    global _loaded
    _loaded += 1
    spec = importlib.util.spec_from_file_location("fraud_model_%d" % _loaded,
                                                  os.path.join(BUNDLE, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fake_ctx(ignite=None, config=None, coefficients_dir=COEFFICIENTS):
    logger = logging.getLogger("fraud-score-test")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return types.SimpleNamespace(model_dir=BUNDLE, coefficients_dir=coefficients_dir, logger=logger,
                                 config=config if config is not None else {}, ignite=ignite)


def payment(customer, amount):
    return json.dumps({"customerId": customer, "amount": amount})


def manifest_value(key):
    with open(os.path.join(BUNDLE, "ml-run.yaml")) as f:
        return re.search(r"^\s*%s: '(.*)'\s*$" % key, f.read(), re.M).group(1)


class PredictTest(unittest.TestCase):
    def setUp(self):
        self.ignite = FakeIgnite(TABLE_ROWS)
        self.model = fresh_model()
        self.model.init(fake_ctx(self.ignite, {"REVIEW_AT": "0.3", "DECLINE_AT": "0.8"}))

    def score(self, customer, amount):
        return json.loads(self.model.predict(payment(customer, amount)))

    def test_the_readme_examples(self):
        self.assertEqual(self.model.predict(payment("C00001", 87.22)),
                         '{"customerId":"C00001","known":true,"score":0.0097,"decision":"approve",'
                         '"features":{"amountZ":0.0,"logAmount":4.479834,"chargebackRate":0.0,'
                         '"logTxnCount":2.639057}}')
        self.assertEqual(self.score("C00001", 700)["decision"], "review")
        self.assertEqual(self.score("C00001", 700)["score"], 0.3204)
        self.assertEqual(self.score("C00491", 58.11)["decision"], "decline")
        self.assertEqual(self.score("C00491", 58.11)["score"], 0.8481)

    def test_features_follow_the_aggregates(self):
        txn, mean, std, chargebacks = TABLE_ROWS["C00491"]
        out = self.score("C00491", mean + 2 * std)
        self.assertTrue(out["known"])
        self.assertEqual(out["features"], {
            "amountZ": 2.0,
            "logAmount": round(math.log1p(mean + 2 * std), 6),
            "chargebackRate": round(chargebacks / txn, 6),
            "logTxnCount": round(math.log1p(txn), 6),
        })

    def test_a_larger_amount_never_lowers_the_score(self):
        scores = [self.score("C00042", amount)["score"] for amount in (10, 100, 300, 1000, 5000)]
        self.assertEqual(scores, sorted(scores))

    def test_the_customer_id_is_a_query_argument_not_sql(self):
        sneaky = "x' OR '1'='1"
        out = self.score(sneaky, 5)
        self.assertFalse(out["known"])
        query, args = self.ignite.queries[-1]
        self.assertEqual(query, "SELECT TXN_COUNT, AMOUNT_MEAN, AMOUNT_STD, CHARGEBACK_COUNT "
                                "FROM CUSTOMER_AGGREGATES WHERE CUSTOMER_ID = ?")
        self.assertEqual(args, [sneaky])

    def test_unknown_customer_is_sent_to_review(self):
        self.assertEqual(json.loads(self.model.predict(payment("nobody", 12.5))), {
            "customerId": "nobody", "known": False, "score": None, "decision": "review",
            "reason": "no history for this customer", "features": None,
        })

    def test_self_test_in_manifest_matches(self):
        self.assertEqual(self.model.predict(manifest_value("input")), manifest_value("expectOutput"))

    def test_thresholds_decide(self):
        model = fresh_model()
        model.init(fake_ctx(self.ignite, {"REVIEW_AT": "0.001", "DECLINE_AT": "0.005"}))
        self.assertEqual(json.loads(model.predict(payment("C00001", 87.22)))["decision"], "decline")

    def test_ignite_failure_during_predict_names_the_table(self):
        self.ignite.fail = ConnectionError("connection reset")
        with self.assertRaises(RuntimeError) as cm:
            self.model.predict(payment("C00001", 10))
        self.assertIn("reading CUSTOMER_AGGREGATES from Ignite failed (ConnectionError: connection reset)",
                      str(cm.exception))

    def test_bad_inputs_say_what_to_send(self):
        cases = {
            "not json": "not valid JSON",
            "[1]": "JSON object",
            "{}": '"customerId" must be a non-empty string',
            '{"customerId": "", "amount": 1}': '"customerId" must be a non-empty string',
            '{"customerId": 7, "amount": 1}': "got 7",
            json.dumps({"customerId": "c" * 65, "amount": 1}): "at most 64 characters",
            '{"customerId": "C00001"}': '"amount" must be a finite number > 0, got null',
            '{"customerId": "C00001", "amount": "12"}': 'got "12"',
            '{"customerId": "C00001", "amount": 0}': "got 0",
            '{"customerId": "C00001", "amount": -3}': "got -3",
            '{"customerId": "C00001", "amount": true}': "got true",
            '{"customerId": "C00001", "amount": NaN}': "got NaN",
        }
        for text, fragment in cases.items():
            with self.subTest(input=text):
                with self.assertRaises(ValueError) as cm:
                    self.model.predict(text)
                self.assertIn(fragment, str(cm.exception))
                self.assertIn('send JSON {"customerId": "<id>", "amount": <number > 0>}', str(cm.exception))


class InitTest(unittest.TestCase):
    def setUp(self):
        self.model = fresh_model()

    def test_predict_before_init(self):
        with self.assertRaisesRegex(RuntimeError, "init"):
            self.model.predict(payment("C00001", 1))

    def test_without_ignite_it_says_how_to_configure_it(self):
        with self.assertRaises(RuntimeError) as cm:
            self.model.init(fake_ctx(None))
        self.assertIn("ctx.ignite is None", str(cm.exception))
        self.assertIn("MLRUN_MODEL_IGNITE_ENDPOINTS", str(cm.exception))

    def test_a_missing_table_points_at_the_loader(self):
        ignite = FakeIgnite(fail=RuntimeError('Table "CUSTOMER_AGGREGATES" not found'))
        with self.assertRaises(RuntimeError) as cm:
            self.model.init(fake_ctx(ignite))
        self.assertIn("cannot read table CUSTOMER_AGGREGATES", str(cm.exception))
        self.assertIn("setup/load_aggregates.py", str(cm.exception))

    def test_init_logs_the_table_size(self):
        ctx = fake_ctx(FakeIgnite(TABLE_ROWS))
        with self.assertLogs(ctx.logger, level="INFO") as logs:
            self.model.init(ctx)
        self.assertIn("500 customers in CUSTOMER_AGGREGATES", logs.output[0])

    def test_another_table(self):
        ignite = FakeIgnite(TABLE_ROWS)
        self.model.init(fake_ctx(ignite, {"AGGREGATES_TABLE": "AGG_2026"}))
        self.model.predict(payment("C00001", 1))
        self.assertIn("FROM AGG_2026 WHERE", ignite.queries[-1][0])

    def test_bad_settings(self):
        cases = [
            ({"AGGREGATES_TABLE": "T; DROP TABLE X"}, "AGGREGATES_TABLE must be an SQL table name"),
            ({"REVIEW_AT": "high"}, "REVIEW_AT must be a number in (0, 1]"),
            ({"DECLINE_AT": "1.5"}, "DECLINE_AT must be a number in (0, 1]"),
            ({"REVIEW_AT": "0.9", "DECLINE_AT": "0.5"}, "must be below DECLINE_AT"),
        ]
        for config, fragment in cases:
            with self.subTest(config=config):
                with self.assertRaises(ValueError) as cm:
                    fresh_model().init(fake_ctx(FakeIgnite(), config))
                self.assertIn(fragment, str(cm.exception))

    def test_malformed_coefficients(self):
        with open(os.path.join(COEFFICIENTS, "model.json")) as f:
            good = json.load(f)
        cases = [
            ("{not json", "not valid JSON"),
            (dict(good, features=["amountZ"]), "'features' must be"),
            (dict(good, weights=[1, 2, 3]), "'weights' must be a list of 4"),
            (dict(good, std=[1, 0, 1, 1]), "'std' must be all > 0"),
            (dict(good, bias="x"), "'bias' must be a finite number"),
        ]
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        for content, fragment in cases:
            with self.subTest(fragment=fragment):
                with open(os.path.join(tmp, "model.json"), "w") as f:
                    f.write(content if isinstance(content, str) else json.dumps(content))
                with self.assertRaises(ValueError) as cm:
                    fresh_model().init(fake_ctx(FakeIgnite(), coefficients_dir=tmp))
                self.assertIn(fragment, str(cm.exception))
                self.assertIn("model.json", str(cm.exception))


class TrainingTest(unittest.TestCase):
    def test_training_reproduces_committed_coefficients(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "model.json")
            run = subprocess.run([sys.executable, os.path.join(BUNDLE, "training", "train.py"),
                                  "--out", out], capture_output=True, text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("AUC: 0.90", run.stdout)
            with open(out, "rb") as a, open(os.path.join(COEFFICIENTS, "model.json"), "rb") as b:
                self.assertEqual(a.read(), b.read())


if __name__ == "__main__":
    unittest.main()
