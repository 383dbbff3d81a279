"""A PyYAML loader that reads like the `yaml` npm package: YAML 1.2 core schema (no
yes/no booleans, no dates, no sexagesimal numbers, no merge keys), unique keys."""

import re
from typing import Any

_loader = None


def _build_loader() -> Any:
    try:
        import yaml
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "mlrun_model needs PyYAML to read ml-run.yaml: pip install pyyaml"
        ) from err

    class Core12Loader(yaml.SafeLoader):
        pass

    Core12Loader.yaml_implicit_resolvers = {}
    resolvers = [
        ("null", r"^(?:~|[Nn]ull|NULL)?$", ["~", "n", "N", ""]),
        ("bool", r"^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$", list("tTfF")),
        ("int", r"^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
        (
            "float",
            r"^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN"
            r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+"
            r"|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$",
            list("-+0123456789."),
        ),
    ]
    for tag, pattern, first in resolvers:
        Core12Loader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(pattern), first)

    def construct_int(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)

    def construct_float(loader: Any, node: Any) -> float:
        text = loader.construct_scalar(node).lower()
        if text.endswith(".inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        return float("nan") if text == ".nan" else float(text)

    def construct_bool(loader: Any, node: Any) -> bool:
        return loader.construct_scalar(node).lower() == "true"

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> Any:
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # unhashable: the base constructor reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, "Map keys must be unique", key_node.start_mark
                )
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    Core12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Core12Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    Core12Loader.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    Core12Loader.construct_mapping = construct_mapping  # type: ignore[method-assign]
    return Core12Loader


def load_yaml(text: str) -> Any:
    """Parses one YAML document; raises yaml.YAMLError on bad syntax or duplicate keys."""
    global _loader
    if _loader is None:
        _loader = _build_loader()
    import yaml

    return yaml.load(text, Loader=_loader)  # noqa: S506 - a SafeLoader subclass
