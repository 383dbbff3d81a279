"""How JavaScript turns YAML values into strings, so both implementations print the same."""

import json
import math
import re
from decimal import Decimal
from typing import Any, Iterable, List

MAX_SAFE_INTEGER = 2**53 - 1
_ARRAY_INDEX = re.compile(r"^(?:0|[1-9][0-9]*)$")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _float_to_string(value: float) -> str:
    # ECMAScript Number::toString: shortest round-trip digits (repr's), laid out JS-style.
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    s = "".join(map(str, digits))
    k, n = len(s), exponent + len(s)
    if k <= n <= 21:
        return sign + s + "0" * (n - k)
    if 0 < n <= 21:
        return sign + s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + s
    e = n - 1
    mantissa = s[0] + ("." + s[1:] if k > 1 else "")
    return sign + mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def js_number(value: Any) -> str:
    """String(value) for a YAML number (JS numbers are doubles)."""
    if isinstance(value, int) and abs(value) <= MAX_SAFE_INTEGER:
        return str(value)
    return _float_to_string(float(value))


def js_string(value: Any) -> str:
    """String(value) for a YAML scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if is_number(value):
        return js_number(value)
    return str(value)


def js_key_order(keys: Iterable[str]) -> List[str]:
    """Object.keys order: array-index keys first, ascending, then insertion order."""
    keys = list(keys)
    indexes = sorted((k for k in keys if _ARRAY_INDEX.match(k) and int(k) < 2**32 - 1), key=int)
    return indexes + [k for k in keys if k not in indexes]


def _utf16_prefix(text: str, units: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[: units * 2].decode("utf-16-le", "surrogatepass")


def show_value(value: Any) -> str:
    """How a value is shown after "got" in messages (same as showValue in TypeScript)."""
    if isinstance(value, str):
        if len(value.encode("utf-16-le", "surrogatepass")) // 2 > 60:
            value = _utf16_prefix(value, 57) + "..."
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return js_string(value)
