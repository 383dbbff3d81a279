import os
import tempfile
import unittest

from mlrun_model import ContractError, load_manifest, parse_manifest, validate_manifest
from mlrun_model.rules import DEFAULTS, FIELD_RULES, FIELDS, PATTERNS
from tests.vectors import HAVE_YAML, json_schema, load


@unittest.skipUnless(HAVE_YAML, "PyYAML is not installed")
class ParseManifestVectors(unittest.TestCase):
    def test_has_at_least_25_vectors(self):
        self.assertGreaterEqual(len(load("manifests.json")), 25)

    def test_accepts_valid_vectors_with_the_same_defaults(self):
        for vector in (v for v in load("manifests.json") if v["valid"]):
            with self.subTest(vector["name"]):
                self.assertEqual(parse_manifest(vector["yaml"]), vector["normalized"])

    def test_rejects_invalid_vectors_with_the_same_code_and_messages(self):
        for vector in (v for v in load("manifests.json") if not v["valid"]):
            with self.subTest(vector["name"]):
                with self.assertRaises(ContractError) as caught:
                    parse_manifest(vector["yaml"])
                self.assertEqual(caught.exception.code, vector["code"])
                if "message" in vector:
                    self.assertEqual(str(caught.exception), vector["message"])
                if "details" in vector:
                    self.assertEqual(caught.exception.details, vector["details"])


class ValidateManifest(unittest.TestCase):
    def test_applies_defaults_without_yaml(self):
        manifest = validate_manifest(
            {"name": "echo", "runtime": "node", "entry": "index.js", "codeVersion": "0.1.0", "env": {"N": 3}}
        )
        self.assertEqual(manifest["resources"], {"cpu": "500m", "memory": "512Mi", "gpu": 0})
        self.assertEqual(manifest["env"], {"N": "3"})
        self.assertNotIn("selfTest", manifest)

    def test_formats_numbers_like_javascript(self):
        base = {"name": "a", "runtime": "python", "entry": "m.py", "codeVersion": "1.0.0"}
        env = {"A": 1e21, "B": 1e-7, "C": 0.000001, "D": 123456789012345678901, "E": -0.0, "F": 2.50}
        manifest = validate_manifest(dict(base, env=env))
        self.assertEqual(
            manifest["env"],
            {"A": "1e+21", "B": "1e-7", "C": "0.000001", "D": "123456789012345680000", "E": "0", "F": "2.5"},
        )

    def test_lists_every_problem(self):
        with self.assertRaises(ContractError) as caught:
            validate_manifest({"name": "x", "runtime": "go"})
        self.assertEqual([d["path"] for d in caught.exception.details], ["runtime", "entry", "codeVersion"])
        self.assertTrue(str(caught.exception).endswith("(and 2 more problems)"))


class LoadManifest(unittest.TestCase):
    def test_raises_manifest_missing_for_a_folder_without_ml_run_yaml(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaises(ContractError) as caught:
                load_manifest(folder)
        self.assertEqual(caught.exception.code, "MANIFEST_MISSING")

    @unittest.skipUnless(HAVE_YAML, "PyYAML is not installed")
    def test_reads_a_manifest_file(self):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "ml-run.yaml"), "w", encoding="utf-8") as handle:
                handle.write("name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n")
            self.assertEqual(load_manifest(folder)["replicas"], 1)


class RulesMatchTheJsonSchema(unittest.TestCase):
    """The Python rules are a copy; the committed JSON Schema is the TypeScript original."""

    def setUp(self):
        self.schema = json_schema()
        self.props = self.schema["properties"]

    def test_patterns(self):
        props = self.props
        self.assertEqual(props["name"]["pattern"], PATTERNS["name"])
        self.assertEqual(props["entry"]["pattern"], PATTERNS["bundlePath"])
        self.assertEqual(props["codeVersion"]["pattern"], PATTERNS["codeVersion"])
        self.assertEqual(props["coefficients"]["properties"]["path"]["pattern"], PATTERNS["bundlePath"])
        self.assertEqual(props["coefficients"]["properties"]["version"]["pattern"], PATTERNS["coefficientsVersion"])
        self.assertEqual(props["resources"]["properties"]["cpu"]["anyOf"][0]["pattern"], PATTERNS["cpu"])
        self.assertEqual(props["resources"]["properties"]["memory"]["pattern"], PATTERNS["memory"])
        self.assertEqual(props["env"]["propertyNames"]["pattern"], PATTERNS["envName"])
        entry_patterns = [rule["then"]["properties"]["entry"]["pattern"] for rule in self.schema["allOf"]]
        self.assertEqual(entry_patterns, [PATTERNS["pythonEntry"], PATTERNS["nodeEntry"], PATTERNS["rEntry"]])
        r_fields = props["r"]["properties"]
        self.assertEqual(r_fields["packages"]["items"]["pattern"], PATTERNS["rPackage"])
        self.assertEqual(r_fields["minVersion"]["pattern"], PATTERNS["rVersion"])

    def test_defaults_and_limits(self):
        props = self.props
        self.assertEqual(props["coefficients"]["properties"]["path"]["default"], DEFAULTS["coefficientsPath"])
        self.assertEqual(props["resources"]["default"], {"cpu": "500m", "memory": "512Mi", "gpu": 0})
        self.assertEqual(props["replicas"]["default"], DEFAULTS["replicas"])
        self.assertEqual((props["replicas"]["minimum"], props["replicas"]["maximum"]), (1, 64))
        self.assertEqual(props["initTimeoutSeconds"]["default"], DEFAULTS["initTimeoutSeconds"])
        self.assertEqual(props["initTimeoutSeconds"]["maximum"], 3600)

    def test_fields_and_their_rules(self):
        self.assertEqual(list(self.props), FIELDS[""])
        for parent in ("coefficients", "resources", "selfTest", "r"):
            self.assertEqual(list(self.props[parent]["properties"]), FIELDS[parent])
            for field, spec in self.props[parent]["properties"].items():
                self.assertEqual(spec["description"], FIELD_RULES[parent + "." + field])
        for field in ("name", "runtime", "entry", "codeVersion", "replicas", "initTimeoutSeconds"):
            self.assertEqual(self.props[field]["description"], FIELD_RULES[field])


if __name__ == "__main__":
    unittest.main()
