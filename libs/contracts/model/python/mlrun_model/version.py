"""The model version rule: <codeVersion>+<first 12 hex of the coefficients digest>."""

import hashlib
import os
import re
import stat
from typing import Any, Dict, Iterable, List, Sequence, Tuple

from .errors import ContractError, ContractErrorCode
from .rules import DEFAULTS, PATTERNS

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_LISTABLE_PATH = re.compile(r"^[^/\\\x00-\x1f\x7f](?:[^\\\x00-\x1f\x7f]*[^/\\\x00-\x1f\x7f])?$")
_MODEL_VERSION = re.compile(r"^(.*)\+([0-9a-f]{12})$")

EMPTY_COEFFICIENTS_DIGEST = hashlib.sha256(b"").hexdigest()


def _invalid_file(path: str, what: str) -> ContractError:
    return ContractError(
        ContractErrorCode.COEFFICIENTS_INVALID,
        "coefficients file %s: %s" % (path, what),
        [{"path": path, "message": what}],
    )


def coefficients_digest(files: Iterable[Sequence[str]]) -> str:
    """sha256 (hex) of the sha256sum-style listing "<sha256>  <path>\\n", one line per file,
    sorted by the UTF-8 bytes of the path. No files: sha256 of the empty string.

    Example::

        coefficients_digest([("weights.csv", "6184c07f...")])
        coefficients_digest([])  # 'e3b0c442...b855'
    """
    listing = sorted(((str(p), str(h)) for p, h in files), key=lambda f: f[0].encode("utf-8"))
    for i, (path, sha256) in enumerate(listing):
        if not _SHA256_HEX.match(sha256):
            raise _invalid_file(path, "sha256 must be 64 lowercase hex")
        if not _LISTABLE_PATH.match(path):
            raise _invalid_file(path, 'path must be relative, without "\\" or control characters')
        if i > 0 and listing[i - 1][0] == path:
            raise _invalid_file(path, "listed twice")
    text = "".join("%s  %s\n" % (sha256, path) for path, sha256 in listing)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_version(code_version: str, digest: str) -> str:
    """'<code_version>+<first 12 hex of digest>'.

    Example::

        model_version("1.2.0", coefficients_digest([]))  # '1.2.0+e3b0c44298fc'
    """
    if not re.search(PATTERNS["codeVersion"], code_version):
        raise ContractError(
            ContractErrorCode.MODEL_VERSION_INVALID,
            'code version "%s" must be semver without build metadata, e.g. "1.2.0"' % code_version,
        )
    if not _SHA256_HEX.match(digest):
        raise ContractError(
            ContractErrorCode.MODEL_VERSION_INVALID,
            'coefficients digest "%s" must be 64 lowercase hex (a sha256)' % digest,
        )
    return "%s+%s" % (code_version, digest[:12])


def parse_model_version(version: str) -> Dict[str, str]:
    """Splits '1.2.0+3f9a1b2c4d5e' into {'code_version': '1.2.0', 'coefficients_short': ...}.

    Example::

        parse_model_version("2.0.0-rc.1+3f9a1b2c4d5e")["code_version"]  # '2.0.0-rc.1'
    """
    match = _MODEL_VERSION.match(version)
    if not match or not re.search(PATTERNS["codeVersion"], match.group(1)):
        raise ContractError(
            ContractErrorCode.MODEL_VERSION_INVALID,
            'model version "%s" must be <codeVersion>+<12 hex>, e.g. "1.2.0+3f9a1b2c4d5e"' % version,
        )
    return {"code_version": match.group(1), "coefficients_short": match.group(2)}


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unsupported(path: str, kind: str) -> ContractError:
    return ContractError(
        ContractErrorCode.COEFFICIENTS_INVALID,
        "coefficients must be regular files and folders, but %s is a %s: "
        "replace it with a copy of the file it points to" % (path, kind),
        [{"path": path, "message": "is a " + kind}],
    )


def _list_files(directory: str, prefix: str) -> List[Tuple[str, str]]:
    files: List[Tuple[str, str]] = []
    for name in sorted(os.listdir(directory)):
        full = os.path.join(directory, name)
        rel = name if not prefix else prefix + "/" + name
        mode = os.lstat(full).st_mode
        if stat.S_ISLNK(mode):
            raise _unsupported(full, "symlink")
        if stat.S_ISDIR(mode):
            files.extend(_list_files(full, rel))
        elif stat.S_ISREG(mode):
            files.append((rel, _sha256_file(full)))
        else:
            raise _unsupported(full, "special file")
    return files


def digest_coefficients_dir(path: str) -> str:
    """Digest of the coefficients on disk: every regular file under a folder (by relative
    path), or a single file (by its basename). Symlinks are refused.

    Example::

        model_version("1.2.0", digest_coefficients_dir("./iris/coefficients"))
    """
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise ContractError(
            ContractErrorCode.COEFFICIENTS_MISSING,
            "coefficients not found at %s: create it or fix coefficients.path in ml-run.yaml" % path,
        ) from None
    if stat.S_ISLNK(mode):
        raise _unsupported(path, "symlink")
    if stat.S_ISREG(mode):
        return coefficients_digest([(os.path.basename(path), _sha256_file(path))])
    if not stat.S_ISDIR(mode):
        raise _unsupported(path, "special file")
    return coefficients_digest(_list_files(path, ""))


def _normalize(path: str) -> str:
    return "/".join(s for s in path.split("/") if s not in ("", "."))


def read_model_dir(model_dir: str) -> Dict[str, Any]:
    """Validates a model folder and derives its version, exactly like readModelDir in TS.

    Returns {'manifest', 'version', 'coefficients_digest', 'coefficients_dir'}.

    Example::

        info = read_model_dir("./examples/iris-python")
        print(info["version"])  # e.g. 1.2.0+3f9a1b2c4d5e
    """
    from .manifest import MANIFEST_FILE, load_manifest

    manifest = load_manifest(model_dir)
    if not os.path.isfile(os.path.join(model_dir, manifest["entry"])):
        raise ContractError(
            ContractErrorCode.ENTRY_MISSING,
            '%s: entry "%s" is not a file in %s: add it, or point entry at your model module'
            % (MANIFEST_FILE, manifest["entry"], model_dir),
            [{"path": "entry", "message": "not found: " + manifest["entry"]}],
        )
    declared = manifest["coefficients"]["path"]
    coefficients_dir = os.path.abspath(os.path.join(model_dir, _normalize(declared)))
    if os.path.lexists(coefficients_dir):
        digest = digest_coefficients_dir(coefficients_dir)
    elif _normalize(declared) == _normalize(DEFAULTS["coefficientsPath"]):
        digest = EMPTY_COEFFICIENTS_DIGEST
    else:
        raise ContractError(
            ContractErrorCode.COEFFICIENTS_MISSING,
            '%s: coefficients.path "%s" is not in %s: add the coefficients there, or fix the path'
            % (MANIFEST_FILE, declared, coefficients_dir),
            [{"path": "coefficients.path", "message": "not found: " + declared}],
        )
    return {
        "manifest": manifest,
        "version": model_version(manifest["codeVersion"], digest),
        "coefficients_digest": digest,
        "coefficients_dir": coefficients_dir,
    }
