"""The manifest rules as data; the same values as the TypeScript MANIFEST_* constants
(tests compare them with libs/contracts/model/manifest.schema.json)."""

_SEGMENT = r"(?!\.\.?(?:\/|$))[^\/\\\x00-\x1f\x7f]+"

PATTERNS = {
    "name": r"^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    "bundlePath": r"^(?![A-Za-z]:)(?:\.\/)?" + _SEGMENT + r"(?:\/" + _SEGMENT + r")*\/?$",
    "pythonEntry": r"\.py$",
    "nodeEntry": r"\.(?:js|cjs|mjs)$",
    "rEntry": r"\.[Rr]$",
    "rPackage": r"^(?:r-cran-[a-z0-9][a-z0-9.+-]+|[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9])$",
    "rVersion": r"^[0-9]+\.[0-9]+(?:\.[0-9]+)?$",
    "codeVersion": (
        r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
        r"(?:-(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
        r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?$"
    ),
    "coefficientsVersion": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    "cpu": r"^(?=.*[1-9])(?:[0-9]+m|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$",
    "memory": r"^(?=.*[1-9])(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$",
    "envName": r"^[A-Z_][A-Z0-9_]*$",
}

DEFAULTS = {
    "coefficientsPath": "coefficients/",
    "cpu": "500m",
    "memory": "512Mi",
    "gpu": 0,
    "replicas": 1,
    "initTimeoutSeconds": 120,
}

FIELD_RULES = {
    "": "must be a mapping of fields (name, runtime, entry, codeVersion, ...)",
    "name": "must be a DNS label ([a-z0-9-], 1..63 chars, starting with a letter)",
    "runtime": 'must be "python", "node" or "r"',
    "entry": (
        'must be a relative path inside the bundle ("/"-separated, no "..", no leading "/") '
        "to the entry module: a .py file for runtime python, a .js, .cjs or .mjs file for node, "
        "a .R file for r"
    ),
    "codeVersion": (
        'must be a semver version without build metadata, e.g. "1.2.0" or "2.0.0-rc.1" '
        "(quote it if YAML reads it as a number)"
    ),
    "coefficients": 'must be a mapping with optional "path" and "version"',
    "coefficients.path": (
        'must be a relative path inside the bundle ("/"-separated, no "..", no leading "/"), '
        'e.g. "coefficients/"'
    ),
    "coefficients.version": (
        'must be a label of 1..64 letters, digits, ".", "_" or "-", starting with a letter or '
        'digit, e.g. "2026-05-01"'
    ),
    "resources": 'must be a mapping with optional "cpu", "memory" and "gpu"',
    "resources.cpu": 'must be a Kubernetes CPU quantity above 0, e.g. "500m", "2" or 0.5',
    "resources.memory": 'must be a Kubernetes memory quantity above 0, e.g. "512Mi" or "1Gi"',
    "resources.gpu": "must be a whole number >= 0",
    "replicas": "must be a whole number from 1 to 64",
    "initTimeoutSeconds": "must be a whole number of seconds from 1 to 3600",
    "selfTest": 'must be a mapping with "input" and optional "expectOutput"',
    "selfTest.input": "must be a string: the request body predict gets before the replica is ready",
    "selfTest.expectOutput": "must be a string: the exact output predict must return",
    "dependencies": 'must be a mapping with optional "sourceBuilds"',
    "dependencies.sourceBuilds": (
        "must be true or false: true lets the build compile dependencies from source (pip "
        "sdists, npm install scripts), which a builder runs only when its admin set "
        "MLRUN_ALLOW_SOURCE_BUILDS=true"
    ),
    "r": 'must be a mapping with optional "packages" and "minVersion", for runtime r only',
    "r.packages": (
        'must be a list of R packages from Debian: "r-cran-<name>" (e.g. "r-cran-data.table") or '
        'the R name (e.g. "data.table"); images install them with apt, a host must have them'
    ),
    "r.minVersion": 'must be an R version "major.minor" or "major.minor.patch", e.g. "4.2"',
    "env": "must be a mapping of NAME: value",
    "env.*": "must be a string, number or boolean",
}

FIELDS = {
    "": [
        "name",
        "runtime",
        "entry",
        "codeVersion",
        "coefficients",
        "resources",
        "replicas",
        "initTimeoutSeconds",
        "selfTest",
        "dependencies",
        "r",
        "env",
    ],
    "coefficients": ["path", "version"],
    "resources": ["cpu", "memory", "gpu"],
    "selfTest": ["input", "expectOutput"],
    "dependencies": ["sourceBuilds"],
    "r": ["packages", "minVersion"],
}

ENV_NAME_RULE = "must match " + PATTERNS["envName"] + " (e.g. MODEL_THRESHOLD)"
