"""Tests for the exp-sleep test model (stdlib unittest).

    cd tools/bench/models/exp-sleep-python && python3 -m unittest discover -s tests -t .
"""

import importlib.util
import json
import os
import shutil
import statistics
import tempfile
import types
import unittest

BUNDLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_loaded = 0


def fresh_model():
    global _loaded
    _loaded += 1
    spec = importlib.util.spec_from_file_location("exp_sleep_%d" % _loaded,
                                                  os.path.join(BUNDLE, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Model:
    """The model with a recording sleep: tests check what it would sleep, not the clock."""

    def __init__(self, service=None):
        self.slept = []
        self.model = fresh_model()
        self.tmp = tempfile.mkdtemp()
        try:
            self._init(service)
        except Exception:
            self.close()
            raise

    def _init(self, service):
        if service is None:
            coefficients = os.path.join(BUNDLE, "coefficients")
        else:
            coefficients = self.tmp
            with open(os.path.join(self.tmp, "service.json"), "w") as f:
                f.write(service if isinstance(service, str) else json.dumps(service))
        ctx = types.SimpleNamespace(model_dir=BUNDLE, coefficients_dir=coefficients)
        self.model.init(ctx, sleep=self.slept.append)

    def close(self):
        shutil.rmtree(self.tmp)


class PredictTest(unittest.TestCase):
    def model(self, service=None):
        m = Model(service)
        self.addCleanup(m.close)
        return m

    def test_exponential_times_have_the_configured_mean(self):
        m = self.model({"distribution": "exponential", "meanMs": 20})
        for _ in range(20000):
            self.assertEqual(m.model.predict("{}"), '{"ok":true}')
        mean = statistics.fmean(m.slept)
        # 20000 draws: the standard error of the mean is 20 ms / sqrt(20000) = 0.14 ms.
        self.assertAlmostEqual(mean, 0.020, delta=0.0015)
        # An exponential's standard deviation equals its mean (a deterministic one's is 0).
        self.assertAlmostEqual(statistics.pstdev(m.slept), 0.020, delta=0.002)

    def test_deterministic_times_are_the_mean(self):
        m = self.model({"distribution": "deterministic", "meanMs": 7.5})
        m.model.predict("")
        m.model.predict("{}")
        self.assertEqual(m.slept, [0.0075, 0.0075])

    def test_the_committed_service_file_is_exponential_20ms(self):
        m = self.model()
        self.assertEqual(m.model._service, {"distribution": "exponential", "meanMs": 20.0})

    def test_a_request_may_ask_for_its_time(self):
        m = self.model()
        m.model.predict('{"serviceMs": 3}')
        m.model.predict('{"serviceMs": 0}')
        self.assertEqual(m.slept, [0.003])

    def test_self_test_in_manifest_matches(self):
        m = self.model()
        with open(os.path.join(BUNDLE, "ml-run.yaml")) as f:
            manifest = f.read()
        self.assertIn("""input: '{"serviceMs":0}'""", manifest)
        self.assertIn("""expectOutput: '{"ok":true}'""", manifest)
        self.assertEqual(m.model.predict('{"serviceMs":0}'), '{"ok":true}')

    def test_bad_inputs_say_what_to_send(self):
        m = self.model()
        for text, fragment in {
            "nope": "not valid JSON",
            '{"serviceMs": -1}': "number of milliseconds",
            '{"serviceMs": "5"}': "number of milliseconds",
        }.items():
            with self.subTest(input=text):
                with self.assertRaisesRegex(ValueError, fragment):
                    m.model.predict(text)

    def test_bad_service_files_name_the_field(self):
        for service, fragment in [
            ("{oops", "not valid JSON"),
            ([], "expected a JSON object"),
            ({"distribution": "uniform", "meanMs": 5}, "'distribution' must be one of"),
            ({"distribution": "exponential", "meanMs": 0}, "'meanMs' must be a number above 0"),
            ({"distribution": "exponential"}, "'meanMs'"),
        ]:
            with self.subTest(fragment=fragment):
                with self.assertRaisesRegex(ValueError, fragment):
                    Model(service)

    def test_predict_before_init(self):
        with self.assertRaisesRegex(RuntimeError, "init"):
            fresh_model().predict("{}")


if __name__ == "__main__":
    unittest.main()
