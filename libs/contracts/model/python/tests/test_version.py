import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from mlrun_model import (
    EMPTY_COEFFICIENTS_DIGEST,
    ContractError,
    coefficients_digest,
    digest_coefficients_dir,
    model_version,
    parse_model_version,
    read_model_dir,
)
from tests.vectors import HAVE_YAML, MODEL_DIR_FIXTURE, MODEL_DIR_FIXTURE_VERSION, load

MANIFEST = "name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n"
PYTHON_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


class VersionVectors(unittest.TestCase):
    def test_digest_and_version_match_the_vectors(self):
        for vector in load("versions.json"):
            with self.subTest(vector["name"]):
                digest = coefficients_digest(vector["files"])
                self.assertEqual(digest, vector["digest"])
                self.assertEqual(model_version(vector["codeVersion"], digest), vector["version"])

    def test_empty_listing_is_the_sha256_of_nothing(self):
        self.assertEqual(coefficients_digest([]), EMPTY_COEFFICIENTS_DIGEST)

    def test_refuses_malformed_listings(self):
        sha = "a" * 64
        for files in ([("a", "ABC")], [("a\nb", sha)], [("/a", sha)], [("a", sha), ("a", sha)]):
            with self.subTest(files=files), self.assertRaises(ContractError) as caught:
                coefficients_digest(files)
            self.assertEqual(caught.exception.code, "COEFFICIENTS_INVALID")


class ParseModelVersion(unittest.TestCase):
    def test_splits_code_version_and_coefficients_prefix(self):
        self.assertEqual(
            parse_model_version("2.0.0-rc.1+3f9a1b2c4d5e"),
            {"code_version": "2.0.0-rc.1", "coefficients_short": "3f9a1b2c4d5e"},
        )

    def test_refuses_malformed_versions(self):
        for version in ("1.2.0", "1.2+3f9a1b2c4d5e", "1.2.0+3F9A1B2C4D5E", "1.2.0+3f9a1b2c4d5"):
            with self.subTest(version), self.assertRaises(ContractError) as caught:
                parse_model_version(version)
            self.assertEqual(caught.exception.code, "MODEL_VERSION_INVALID")


class DigestCoefficientsDir(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.folder)

    def test_refuses_symlinks(self):
        real = os.path.join(self.folder, "real.bin")
        with open(real, "w") as handle:
            handle.write("x")
        os.symlink(real, os.path.join(self.folder, "link.bin"))
        with self.assertRaises(ContractError) as caught:
            digest_coefficients_dir(self.folder)
        self.assertEqual(caught.exception.code, "COEFFICIENTS_INVALID")

    def test_empty_folder_has_the_empty_digest(self):
        self.assertEqual(digest_coefficients_dir(self.folder), EMPTY_COEFFICIENTS_DIGEST)


@unittest.skipUnless(HAVE_YAML, "PyYAML is not installed")
class ReadModelDir(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        with open(os.path.join(self.folder, "model.py"), "w") as handle:
            handle.write("def predict(x):\n    return x\n")

    def tearDown(self):
        shutil.rmtree(self.folder)

    def write_manifest(self, text):
        with open(os.path.join(self.folder, "ml-run.yaml"), "w") as handle:
            handle.write(text)

    def test_fixture_has_the_pinned_version(self):
        self.assertEqual(read_model_dir(MODEL_DIR_FIXTURE)["version"], MODEL_DIR_FIXTURE_VERSION)

    def test_missing_default_coefficients_means_no_coefficients(self):
        self.write_manifest(MANIFEST)
        self.assertEqual(read_model_dir(self.folder)["version"], "1.2.0+e3b0c44298fc")

    def test_missing_explicit_coefficients_is_an_error(self):
        self.write_manifest(MANIFEST + "coefficients:\n  path: weights/\n")
        with self.assertRaises(ContractError) as caught:
            read_model_dir(self.folder)
        self.assertEqual(caught.exception.code, "COEFFICIENTS_MISSING")

    def test_missing_entry_is_an_error(self):
        self.write_manifest(MANIFEST.replace("model.py", "src/model.py"))
        with self.assertRaises(ContractError) as caught:
            read_model_dir(self.folder)
        self.assertEqual(caught.exception.code, "ENTRY_MISSING")

    def test_cli_prints_the_version(self):
        output = subprocess.run(
            [sys.executable, "-m", "mlrun_model", "version", MODEL_DIR_FIXTURE],
            cwd=PYTHON_DIR, capture_output=True, text=True, check=True,
        ).stdout
        self.assertEqual(output.strip(), MODEL_DIR_FIXTURE_VERSION)

    def test_cli_reports_the_error_code_and_exits_2(self):
        result = subprocess.run(
            [sys.executable, "-m", "mlrun_model", "version", self.folder],
            cwd=PYTHON_DIR, capture_output=True, text=True,
        )
        self.assertEqual(result.returncode, 2)
        self.assertTrue(result.stderr.startswith("MANIFEST_MISSING: "))


if __name__ == "__main__":
    unittest.main()
