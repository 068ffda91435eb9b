"""Safe YAML reading: the C loader where present, Dutch errors with line and column.

Only safe loaders are used: YAML tags that build Python objects are refused, never executed.
Line numbers are looked up on demand (`line_index`), so the fast path parses a file once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from spoorwijzer.errors import Problem, UserError

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LineIndex = dict[tuple[object, ...], int]


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-8 with or without BOM, or a Dutch error that says how to fix it."""
    if b"\x00" in raw[:4096]:
        raise UserError.single(
            "Dit is geen tekstbestand (het bevat binaire gegevens).",
            file=name,
            allowed="een YAML- of CSV-bestand in UTF-8",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError.single(
            "Het bestand is niet in UTF-8 opgeslagen. Sla het op als 'UTF-8' "
            "(in Excel: 'CSV UTF-8 (door komma's gescheiden)').",
            file=name,
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path) -> str:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError.single("Het bestand bestaat niet.", file=name) from None
    except IsADirectoryError:
        raise UserError.single("Dit is een map, geen bestand.", file=name) from None
    except PermissionError:
        raise UserError.single("Geen toestemming om het bestand te lezen.", file=name) from None
    return decode(raw, name)


def load(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader/CSafeLoader only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or exc.context or "onleesbare YAML"
        raise UserError(
            [
                Problem(
                    f"Dit is geen geldige YAML ({_dutch_yaml_problem(detail)}). Controleer "
                    "inspringing, dubbele punten en aanhalingstekens.",
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise UserError.single(f"Dit is geen geldige YAML ({exc}).", file=name) from None


def _dutch_yaml_problem(detail: str) -> str:
    known = {
        "could not determine a constructor for the tag": "YAML-tags zijn niet toegestaan",
        "mapping values are not allowed": "een dubbele punt op een plek waar dat niet mag",
        "found character '\\t' that cannot start any token": "een tab in plaats van spaties",
        "did not find expected key": "een sleutel ontbreekt of de inspringing klopt niet",
        "found undefined alias": "een onbekende alias (*)",
        "expected <block end>, but found": "de inspringing klopt niet",
        "found unexpected end of stream": "het bestand houdt midden in een waarde op",
        "while scanning a quoted scalar": "een aanhalingsteken wordt niet gesloten",
    }
    for english, dutch in known.items():
        if english in detail:
            return dutch
    return detail


def line_index(text: str, normalize_key: Callable[[object], str] = lambda k: str(k).strip().lower()) -> LineIndex:
    """Map each path (keys as `normalize_key` makes them, list positions) to its 1-based line."""
    index: LineIndex = {}
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return index

    def walk(node: yaml.Node, path: tuple[object, ...]) -> None:
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = normalize_key(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
                index[(*path, key, "<key>")] = key_node.start_mark.line + 1
                walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, (*path, position))

    if root is not None:
        walk(root, ())
    return index
