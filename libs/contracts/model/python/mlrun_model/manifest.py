"""ml-run.yaml: validation with the same rules, defaults and messages as the TypeScript
contract (shared test vectors keep the two in step)."""

import math
import os
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._js import MAX_SAFE_INTEGER, is_number, js_key_order, js_string, show_value
from .errors import ContractError, ContractErrorCode
from .rules import DEFAULTS, ENV_NAME_RULE, FIELD_RULES, FIELDS, PATTERNS

MANIFEST_FILE = "ml-run.yaml"
RUNTIME_KINDS = ("python", "node", "r")
ENTRY_PATTERNS = {"python": "pythonEntry", "node": "nodeEntry", "r": "rEntry"}

_INVALID = object()
_ABSENT = object()
# (path, is_unknown_field, message)
Issue = Tuple[str, bool, str]
Check = Callable[[Any, str, List[Issue]], Any]


def _rule(path: str) -> str:
    return FIELD_RULES["env.*" if path.startswith("env.") else path]


def _invalid(path: str, value: Any, issues: List[Issue]) -> Any:
    if path == "":
        issues.append((path, False, "%s %s, got %s" % (MANIFEST_FILE, _rule(path), show_value(value))))
    elif value is _ABSENT:
        issues.append((path, False, '%s: "%s" is missing; it %s' % (MANIFEST_FILE, path, _rule(path))))
    else:
        message = '%s: "%s" %s, got %s' % (MANIFEST_FILE, path, _rule(path), show_value(value))
        issues.append((path, False, message))
    return _INVALID


def _string(pattern: Optional[str] = None) -> Check:
    def check(value: Any, path: str, issues: List[Issue]) -> Any:
        if isinstance(value, str) and (pattern is None or re.search(pattern, value)):
            return value
        return _invalid(path, value, issues)

    return check


def _integer(low: int, high: int = MAX_SAFE_INTEGER) -> Check:
    def check(value: Any, path: str, issues: List[Issue]) -> Any:
        whole = is_number(value) and math.isfinite(value) and float(value).is_integer()
        if whole and abs(value) <= MAX_SAFE_INTEGER and low <= value <= high:
            return int(value)
        return _invalid(path, value, issues)

    return check


def _boolean(value: Any, path: str, issues: List[Issue]) -> Any:
    return value if isinstance(value, bool) else _invalid(path, value, issues)


def _cpu(value: Any, path: str, issues: List[Issue]) -> Any:
    if isinstance(value, str) and re.search(PATTERNS["cpu"], value):
        return value
    if is_number(value) and math.isfinite(value) and value > 0:
        return js_string(value)
    return _invalid(path, value, issues)


def _runtime(value: Any, path: str, issues: List[Issue]) -> Any:
    return value if value in RUNTIME_KINDS and isinstance(value, str) else _invalid(path, value, issues)


def _list_of(item: Check) -> Check:
    """A list whose items each pass `item`; an item is held to the list's rule."""

    def check(value: Any, path: str, issues: List[Issue]) -> Any:
        if not isinstance(value, list):
            return _invalid(path, value, issues)
        checked = [item(element, path, issues) for element in value]
        return _INVALID if any(c is _INVALID for c in checked) else checked

    return check


def _env(value: Any, path: str, issues: List[Issue]) -> Any:
    if not isinstance(value, dict):
        return _invalid(path, value, issues)
    result: Dict[str, str] = {}
    keys = {js_string(k): v for k, v in value.items()}
    for key in js_key_order(keys):
        item = keys[key]
        if not re.search(PATTERNS["envName"], key):
            message = "%s: env name %s %s" % (MANIFEST_FILE, show_value(key), ENV_NAME_RULE)
            issues.append(("env." + key, False, message))
        elif isinstance(item, (str, bool)) or (is_number(item) and math.isfinite(item)):
            result[key] = js_string(item)
        else:
            _invalid("env." + key, item, issues)
    return result


# field -> (check, default or _ABSENT if required, or None if optional without default)
Spec = Dict[str, Tuple[Check, Any]]


def _mapping(spec: Spec, default: Any) -> Tuple[Check, Any]:
    def check(value: Any, path: str, issues: List[Issue]) -> Any:
        return _validate_mapping(value, path, spec, issues)

    return check, default


_COEFFICIENTS: Spec = {
    "path": (_string(PATTERNS["bundlePath"]), DEFAULTS["coefficientsPath"]),
    "version": (_string(PATTERNS["coefficientsVersion"]), None),
}
_RESOURCES: Spec = {
    "cpu": (_cpu, DEFAULTS["cpu"]),
    "memory": (_string(PATTERNS["memory"]), DEFAULTS["memory"]),
    "gpu": (_integer(0), DEFAULTS["gpu"]),
}
_SELF_TEST: Spec = {"input": (_string(), _ABSENT), "expectOutput": (_string(), None)}
_DEPENDENCIES: Spec = {"sourceBuilds": (_boolean, None)}
_R: Spec = {
    "packages": (_list_of(_string(PATTERNS["rPackage"])), []),
    "minVersion": (_string(PATTERNS["rVersion"]), None),
}
_MANIFEST: Spec = {
    "name": (_string(PATTERNS["name"]), _ABSENT),
    "runtime": (_runtime, _ABSENT),
    "entry": (_string(PATTERNS["bundlePath"]), _ABSENT),
    "codeVersion": (_string(PATTERNS["codeVersion"]), _ABSENT),
    "coefficients": _mapping(_COEFFICIENTS, {"path": DEFAULTS["coefficientsPath"]}),
    "resources": _mapping(
        _RESOURCES, {"cpu": DEFAULTS["cpu"], "memory": DEFAULTS["memory"], "gpu": DEFAULTS["gpu"]}
    ),
    "replicas": (_integer(1, 64), DEFAULTS["replicas"]),
    "initTimeoutSeconds": (_integer(1, 3600), DEFAULTS["initTimeoutSeconds"]),
    "selfTest": _mapping(_SELF_TEST, None),
    "dependencies": _mapping(_DEPENDENCIES, None),
    "r": _mapping(_R, None),
    "env": (_env, {}),
}


def _validate_mapping(value: Any, path: str, spec: Spec, issues: List[Issue]) -> Any:
    if not isinstance(value, dict):
        return _invalid(path, value, issues)
    value = {js_string(k): v for k, v in value.items()}
    prefix = path + "." if path else ""
    result: Dict[str, Any] = {}
    for field, (check, default) in spec.items():
        if field in value:
            checked = check(value[field], prefix + field, issues)
            if checked is not _INVALID:
                result[field] = checked
        elif default is _ABSENT:
            _invalid(prefix + field, _ABSENT, issues)
        elif default is not None:
            result[field] = _copy(default)
    where = ' in "%s"' % path if path else ""
    for key in js_key_order(k for k in value if k not in spec):
        message = '%s: unknown field "%s"; allowed%s: %s' % (
            MANIFEST_FILE, prefix + key, where, ", ".join(FIELDS[path]))
        issues.append((prefix + key, True, message))
    return result


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


def _details(issues: List[Issue]) -> List[Dict[str, str]]:
    ordered = [i for i in issues if i[1]] + [i for i in issues if not i[1]]
    seen, details = set(), []
    for path, _, message in ordered:
        if path not in seen:
            seen.add(path)
            details.append({"path": path, "message": message})
    return details


def validate_manifest(data: Any) -> Dict[str, Any]:
    """Validates a parsed manifest and applies the defaults (stdlib only).

    Raises ContractError MANIFEST_INVALID; ``err.details`` lists every problem.

    Example::

        manifest = validate_manifest({"name": "iris", "runtime": "python",
                                      "entry": "model.py", "codeVersion": "1.2.0"})
        manifest["replicas"]  # 1
    """
    issues: List[Issue] = []
    manifest = _validate_mapping(data, "", _MANIFEST, issues)
    if not issues:
        pattern = PATTERNS[ENTRY_PATTERNS[manifest["runtime"]]]
        if not re.search(pattern, manifest["entry"]):
            _invalid("entry", manifest["entry"], issues)
        if "r" in manifest and manifest["runtime"] != "r":
            _invalid("r", manifest["r"], issues)
    if issues:
        details = _details(issues)
        more = len(details) - 1
        suffix = " (and %d more problem%s)" % (more, "" if more == 1 else "s") if more else ""
        raise ContractError(ContractErrorCode.MANIFEST_INVALID, details[0]["message"] + suffix, details)
    return manifest


def _yaml_reason(err: Any) -> str:
    # "<problem> at line L, column C", like the yaml npm package says it.
    problem = getattr(err, "problem", None) or getattr(err, "context", None)
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if not problem:
        return " ".join(str(err).split())
    if mark is None:
        return problem
    return "%s at line %d, column %d" % (problem, mark.line + 1, mark.column + 1)


def parse_manifest(text: str) -> Dict[str, Any]:
    """Parses the text of ml-run.yaml (YAML 1.2 core schema, unique keys) and validates it.

    Raises ContractError MANIFEST_YAML_INVALID or MANIFEST_INVALID. Needs PyYAML.

    Example::

        parse_manifest("name: iris\\nruntime: python\\nentry: model.py\\ncodeVersion: 1.2.0\\n")
    """
    from ._yaml import load_yaml

    import yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as err:
        reason = _yaml_reason(err)
        raise ContractError(
            ContractErrorCode.MANIFEST_YAML_INVALID,
            "%s is not valid YAML: %s; fix the syntax (indent with spaces, one key per line, "
            'quote values that contain ": " or " #")' % (MANIFEST_FILE, reason),
        ) from None
    return validate_manifest(data)


def load_manifest(model_dir: str) -> Dict[str, Any]:
    """Reads and validates <model_dir>/ml-run.yaml, with defaults applied.

    Raises ContractError MANIFEST_MISSING, MANIFEST_YAML_INVALID or MANIFEST_INVALID.

    Example::

        manifest = load_manifest("./iris")
        print(manifest["name"], manifest["codeVersion"])
    """
    path = os.path.join(model_dir, MANIFEST_FILE)
    try:
        with open(path, "r", encoding="utf-8") as handle:
            text = handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        raise ContractError(
            ContractErrorCode.MANIFEST_MISSING,
            "no %s in %s: add one at the root of the model folder "
            "(name, runtime, entry and codeVersion are required)" % (MANIFEST_FILE, model_dir),
        ) from None
    return parse_manifest(text)
