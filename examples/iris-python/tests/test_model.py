"""Tests for the iris example bundle (stdlib unittest).

    cd examples/iris-python && python3 -m unittest discover -s tests -t .
"""

import csv
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

BUNDLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COEFFICIENTS = os.path.join(BUNDLE, "coefficients")
CSV_PATH = os.path.join(BUNDLE, "training", "iris.csv")

_loaded = 0


def fresh_model():
    """Import model.py as a new module object, so each test class starts uninitialised."""
    global _loaded
    _loaded += 1
    spec = importlib.util.spec_from_file_location("iris_model_%d" % _loaded,
                                                  os.path.join(BUNDLE, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fake_ctx(coefficients_dir=COEFFICIENTS, config=None):
    logger = logging.getLogger("iris-test")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return types.SimpleNamespace(model_dir=BUNDLE, coefficients_dir=coefficients_dir,
                                 logger=logger, config=config or {"LOG_PREDICTIONS": "false"},
                                 ignite=None)


def features(*values):
    return json.dumps({"features": list(values)})


class PredictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = fresh_model()
        cls.model.init(fake_ctx())

    def classify(self, *values):
        return json.loads(self.model.predict(features(*values)))

    def test_three_reference_flowers(self):
        self.assertEqual(self.classify(5.1, 3.5, 1.4, 0.2)["class"], "setosa")
        self.assertEqual(self.classify(7.0, 3.2, 4.7, 1.4)["class"], "versicolor")
        self.assertEqual(self.classify(6.3, 3.3, 6.0, 2.5)["class"], "virginica")

    def test_output_shape(self):
        out = self.classify(7.0, 3.2, 4.7, 1.4)
        self.assertEqual(list(out), ["class", "classIndex", "probabilities"])
        self.assertEqual(out["classIndex"], 1)
        self.assertEqual(list(out["probabilities"]), ["setosa", "versicolor", "virginica"])
        self.assertAlmostEqual(sum(out["probabilities"].values()), 1.0, places=5)
        for p in out["probabilities"].values():
            self.assertEqual(p, round(p, 6))
        self.assertEqual(max(out["probabilities"], key=out["probabilities"].get), out["class"])

    def test_output_is_compact_and_deterministic(self):
        a = self.model.predict('{"features":[5.1,3.5,1.4,0.2]}')
        b = self.model.predict('{ "features" : [5.1, 3.5, 1.4, 0.2] }')
        self.assertEqual(a, b)
        self.assertNotIn(" ", a)

    def test_integers_are_numbers_too(self):
        self.assertEqual(self.classify(5, 3, 1, 0)["class"], "setosa")

    def test_batch(self):
        rows = [[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5]]
        out = json.loads(self.model.predict(json.dumps({"instances": rows})))
        self.assertEqual([p["class"] for p in out["predictions"]],
                         ["setosa", "versicolor", "virginica"])
        single = [json.loads(self.model.predict(json.dumps({"features": r}))) for r in rows]
        self.assertEqual(out["predictions"], single)

    def test_accuracy_on_whole_dataset(self):
        with open(CSV_PATH, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 150)
        names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        batch = {"instances": [[float(r[n]) for n in names] for r in rows]}
        predictions = json.loads(self.model.predict(json.dumps(batch)))["predictions"]
        correct = sum(p["class"] == r["species"] for p, r in zip(predictions, rows))
        self.assertGreaterEqual(correct / len(rows), 0.95)

    def test_self_test_in_manifest_matches(self):
        with open(os.path.join(BUNDLE, "ml-run.yaml")) as f:
            manifest = f.read()
        given = re.search(r"^\s*input: '(.*)'\s*$", manifest, re.M).group(1)
        expected = re.search(r"^\s*expectOutput: '(.*)'\s*$", manifest, re.M).group(1)
        self.assertEqual(self.model.predict(given), expected)

    def test_bad_inputs_say_what_to_send(self):
        cases = {
            "not json": "not valid JSON",
            "": "not valid JSON",
            "[5.1,3.5,1.4,0.2]": "JSON object",
            "{}": 'missing "features"',
            '{"features":[5.1,3.5,1.4]}': "exactly 4 numbers, got 3",
            '{"features":[5.1,3.5,1.4,0.2,9]}': "exactly 4 numbers, got 5",
            '{"features":"5.1,3.5,1.4,0.2"}': "must be a list",
            '{"features":[5.1,"3.5",1.4,0.2]}': "sepal_width) must be a finite number",
            '{"features":[5.1,3.5,null,0.2]}': "petal_length) must be a finite number",
            '{"features":[5.1,3.5,1.4,true]}': "petal_width) must be a finite number",
            '{"features":[NaN,3.5,1.4,0.2]}': "sepal_length) must be a finite number",
            '{"features":[1e999,3.5,1.4,0.2]}': "must be a finite number",
            '{"instances":[]}': "non-empty list",
            '{"instances":[[5.1,3.5,1.4,0.2],[1,2]]}': '"instances"[1] must have exactly 4',
            '{"features":[5.1,3.5,1.4,0.2],"instances":[]}': "not both",
        }
        for text, fragment in cases.items():
            with self.subTest(input=text):
                with self.assertRaises(ValueError) as cm:
                    self.model.predict(text)
                message = str(cm.exception)
                self.assertIn(fragment, message)
                self.assertIn('send JSON {"features":[sepal_length, sepal_width, petal_length, '
                              'petal_width]}', message)


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.model = fresh_model()
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, content):
        with open(os.path.join(self.tmp, "model.json"), "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))

    def good(self):
        with open(os.path.join(COEFFICIENTS, "model.json")) as f:
            return json.load(f)

    def test_predict_before_init(self):
        with self.assertRaisesRegex(RuntimeError, "init"):
            self.model.predict(features(5.1, 3.5, 1.4, 0.2))

    def test_init_logs_through_ctx_logger(self):
        ctx = fake_ctx()
        with self.assertLogs(ctx.logger, level="INFO") as logs:
            self.model.init(ctx)
        self.assertIn("iris model ready", logs.output[0])

    def test_log_predictions_flag(self):
        ctx = fake_ctx(config={"LOG_PREDICTIONS": "true"})
        self.model.init(ctx)
        with self.assertLogs(ctx.logger, level="INFO") as logs:
            self.model.predict(features(5.1, 3.5, 1.4, 0.2))
        self.assertIn("setosa", logs.output[0])

    def test_missing_file(self):
        with self.assertRaises(FileNotFoundError):
            self.model.init(fake_ctx(coefficients_dir=self.tmp))

    def test_malformed_coefficients(self):
        def mutate(**changes):
            data = self.good()
            data.update(changes)
            return data

        cases = [
            ("{not json", "not valid JSON"),
            ([1, 2, 3], "expected a JSON object"),
            (mutate(classes=["a", "b"]), "'bias' must be a list of 2"),
            (mutate(classes=["a", "a", "b"]), "distinct"),
            (mutate(mean=[1, 2, 3]), "'mean' must be a list of 4"),
            (mutate(std=[1, 0, 1, 1]), "'std' must be all > 0"),
            (mutate(weights=[[0, 0, 0, 0]] * 2), "'weights' must be 3 rows"),
            (mutate(weights=[[0, 0, 0, 0], [0, 0, 0], [0, 0, 0, 0]]), "'weights'[1]"),
            (mutate(bias=[0, "x", 0]), "'bias' must be a list of 3 finite numbers"),
        ]
        for content, fragment in cases:
            with self.subTest(fragment=fragment):
                self.write(content)
                with self.assertRaises(ValueError) as cm:
                    self.model.init(fake_ctx(coefficients_dir=self.tmp))
                self.assertIn(fragment, str(cm.exception))
                self.assertIn("model.json", str(cm.exception))

    def test_coefficients_file_is_consistent(self):
        data = self.good()
        self.assertEqual(set(data), {"classes", "features", "mean", "std", "weights", "bias",
                                     "trainedOn", "accuracy"})
        self.assertEqual(data["classes"], ["setosa", "versicolor", "virginica"])
        self.assertGreaterEqual(data["accuracy"], 0.95)
        self.assertTrue(all(math.isfinite(v) for row in data["weights"] for v in row))


class TrainingTest(unittest.TestCase):
    def test_training_reproduces_committed_coefficients(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "model.json")
            run = subprocess.run([sys.executable, os.path.join(BUNDLE, "training", "train.py"),
                                  "--out", out], capture_output=True, text=True, timeout=120)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("training accuracy: 0.98", run.stdout)
            with open(out, "rb") as a, open(os.path.join(COEFFICIENTS, "model.json"), "rb") as b:
                self.assertEqual(a.read(), b.read())


if __name__ == "__main__":
    unittest.main()
