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

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LineIndex = dict[tuple[object, ...], int]


class SafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe (C) loader that also notes keys written twice in one mapping.

    YAML silently keeps the last of two equal keys; a user who forgot to delete a copied line
    would get advice on an answer they did not mean, so every duplicate is reported.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    self.duplicate_keys.append((key_node.value, seen[key_node.value], line))
                else:
                    seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


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
    """Parse YAML text; malformed YAML or a key written twice raises a UserError."""
    data, problems = load_collecting(text, name)
    if problems:
        raise UserError(problems)
    return data


def load_collecting(text: str, name: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; keys written twice come back as problems beside the data."""
    loader = SafeLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise UserError([_syntax_problem(exc, name)]) from None
    except yaml.YAMLError as exc:
        raise UserError.single(f"Dit is geen geldige YAML ({exc}).", file=name) from None
    finally:
        loader.dispose()
    problems = [
        Problem(
            f"De sleutel '{key}' staat twee keer in hetzelfde blok (regel {first} en {line}). YAML gebruikt "
            "dan stil alleen de laatste; haal de regel weg die niet klopt.",
            file=name,
            line=line,
            field=key,
        )
        for key, first, line in loader.duplicate_keys
    ]
    return data, problems


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    detail = exc.problem or exc.context or "onleesbare YAML"
    mark = exc.problem_mark or exc.context_mark
    if "could not find expected ':'" in detail and exc.context_mark is not None:
        mark = exc.context_mark  # the line that lacks the colon, not where the scanner gave up
    dutch = _dutch_yaml_problem(detail)
    if "constructor for the tag" in detail:
        message = "Dit is geen geldige werkplek-YAML: YAML-tags (zoals !!python/...) zijn niet toegestaan."
    else:
        message = f"Dit is geen geldige YAML ({dutch}). Controleer inspringing, dubbele punten en aanhalingstekens."
    return Problem(
        message,
        file=name,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


def _dutch_yaml_problem(detail: str) -> str:
    known = {
        "could not determine a constructor for the tag": "YAML-tags zijn niet toegestaan",
        "mapping values are not allowed": "een dubbele punt op een plek waar dat niet mag",
        "found character '\\t' that cannot start any token": "een tab in plaats van spaties",
        "found a tab character": "een tab in plaats van spaties",
        "could not find expected ':'": "een dubbele punt ontbreekt: schrijf 'sleutel: waarde'",
        "found duplicate anchor": "een anker (&) staat twee keer in het bestand",
        "did not find expected key": "een sleutel ontbreekt of de inspringing klopt niet",
        "found undefined alias": "een onbekende alias (*)",
        "expected <block end>, but found": "de inspringing klopt niet",
        "found unexpected end of stream": "het bestand houdt midden in een waarde op",
        "while scanning a quoted scalar": "een aanhalingsteken wordt niet gesloten",
    }
    for english, dutch in known.items():
        if english in detail:
            return dutch
    return f"technische melding van de YAML-lezer: {detail}"


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
