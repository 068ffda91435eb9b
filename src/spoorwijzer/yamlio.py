"""Safe YAML reading: the C loader where present, Dutch errors with line and column.

Only safe loaders are used: YAML tags that build Python objects are refused, never executed.
Line numbers are looked up on demand (`line_index`), so the fast path parses a file once.
"""

from __future__ import annotations

import re
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
        # Every mapping built, with its first line: a werkplek's line without composing the file again.
        self.mapping_lines: list[tuple[dict[Any, Any], int]] = []

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

    def construct_yaml_map_with_line(self, node: yaml.MappingNode) -> Any:
        # As SafeConstructor.construct_yaml_map, but the new mapping's line is noted.
        data: dict[Any, Any] = {}
        self.mapping_lines.append((data, node.start_mark.line + 1))
        yield data
        data.update(self.construct_mapping(node))


SafeLoader.add_constructor("tag:yaml.org,2002:map", SafeLoader.construct_yaml_map_with_line)


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-8 with or without BOM, or a Dutch error that says how to fix it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError.single(
            "Het bestand is opgeslagen als UTF-16 (in Excel: 'Unicode-tekst'). Sla het op als UTF-8 "
            "(in Excel: 'CSV UTF-8 (door komma's gescheiden)').",
            file=name,
        )
    if b"\x00" in raw:
        raise UserError.single(
            "Dit lijkt geen tekstbestand (het bevat binaire gegevens). Is het het goede bestand?",
            file=name,
            allowed="een YAML-, CSV- of JSON-lines-bestand in UTF-8, of een Excel-bestand (.xlsx)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError.single(
            f"Het bestand is niet in UTF-8 opgeslagen (byte 0x{raw[exc.start]:02X} op regel {line}). Sla het op "
            "als 'UTF-8' (in Excel: 'CSV UTF-8 (door komma's gescheiden)').",
            file=name,
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, max_bytes: int | None = None, too_large: str = "") -> str:
    """The file's text; with `max_bytes`, a bigger file (or an endless device) is refused unread."""
    name = str(path)
    try:
        if max_bytes is None:
            raw = path.read_bytes()
        else:
            with path.open("rb") as handle:
                raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UserError.single("Het bestand bestaat niet.", file=name) from None
    except IsADirectoryError:
        raise UserError.single("Dit is een map, geen bestand.", file=name) from None
    except PermissionError:
        raise UserError.single("Geen toestemming om het bestand te lezen.", file=name) from None
    except OSError as exc:
        raise UserError.single(f"Het bestand kan niet gelezen worden ({exc.strerror or exc}).", file=name) from None
    if max_bytes is not None and len(raw) > max_bytes:
        size = f"{max_bytes / 1_000_000:g} MB" if max_bytes >= 1_000_000 else f"{max_bytes} bytes"
        raise UserError.single(f"Het bestand is groter dan {size}. {too_large}".rstrip(), file=name)
    return decode(raw, name)


# A tag (!), anchor (&) or alias (*) can only start a node: at the start of the text or after a
# space, newline, flow bracket or comma. Text such as "Let op!" never matches, so most files skip the
# scan. (A plain character pair: an alternation with ^ makes the search three times slower.)
_MAYBE_TAG_OR_ALIAS = re.compile(r"[\s\[{,][!&*]")


def tags_and_aliases(text: str, name: str) -> list[Problem]:
    """Every YAML tag and alias in `text`, as problems: werkplek files must be plain data.

    Tags of any kind (also harmless-looking ones like !!str) are refused so a file never means
    more than it shows; aliases (*naam) are refused because they can expand a small file into a
    huge structure (a "billion laughs"). The check reads parser events only: nothing is built.
    """
    if not text.lstrip("\ufeff").startswith(("!", "&", "*")) and not _MAYBE_TAG_OR_ALIAS.search(text):
        return []
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            tag = getattr(event, "tag", None)
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(
                    Problem(
                        f"YAML-tags (zoals '{shown}') zijn in een werkplekbestand niet toegestaan; ze worden "
                        "nooit uitgevoerd. Haal de tag weg en schrijf alleen de waarde.",
                        file=name,
                        line=line,
                        column=column,
                    )
                )
            elif isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        f"Een YAML-alias ('*{event.anchor}') is in een werkplekbestand niet toegestaan. Schrijf de "
                        "waarden voluit bij elke werkplek (een anker '&' en een alias '*' verwijzen naar elders).",
                        file=name,
                        line=line,
                        column=column,
                    )
                )
    except yaml.reader.ReaderError as exc:
        problems.append(_reader_problem(exc, text, name))
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc, name))
    except yaml.YAMLError as exc:
        problems.append(Problem(f"Dit is geen geldige YAML ({exc}).", file=name))
    return problems


def load(text: str, name: str) -> Any:
    """Parse YAML text; malformed YAML or a key written twice raises a UserError."""
    data, problems = load_collecting(text, name)
    if problems:
        raise UserError(problems)
    return data


def load_collecting(text: str, name: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; keys written twice come back as problems beside the data."""
    data, problems, _ = load_with_lines(text, name)
    return data, problems


def load_with_lines(text: str, name: str) -> tuple[Any, list[Problem], dict[int, int]]:
    """As `load_collecting`, plus the first line of every mapping in the data, by `id()` of the dict
    (valid while the data lives; werkplek files have no aliases, so each dict is built once)."""
    loader = SafeLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        raise UserError([_reader_problem(exc, text, name)]) from None
    except yaml.MarkedYAMLError as exc:
        raise UserError([_syntax_problem(exc, name)]) from None
    except yaml.YAMLError as exc:
        raise UserError.single(f"Dit is geen geldige YAML ({exc}).", file=name) from None
    except RecursionError:
        raise UserError.single(
            "Dit is geen bruikbare YAML: de lijsten of blokken zijn te diep in elkaar genest.", file=name
        ) from None
    except (ValueError, OverflowError) as error:
        # The YAML reader builds a date (2026-02-30) or number before anything can check it.
        raise UserError([_bad_value_problem(text, name, error)]) from None
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
    return data, problems, {id(mapping): line for mapping, line in loader.mapping_lines}


def _bad_value_problem(text: str, name: str, error: Exception) -> Problem:
    """The value the YAML reader could not build, with its line and field where it can be found."""
    constructor = SafeLoader("")
    stack: list[tuple[yaml.Node, str | None]] = []
    try:
        root = yaml.compose(text, Loader=SafeLoader)
        stack = [(root, None)] if root is not None else []
    except yaml.YAMLError:
        pass
    while stack:
        node, key = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError):
                return Problem(
                    f"De waarde '{node.value}' kan niet gelezen worden: het lijkt een datum of getal, maar het "
                    "bestaat niet. Schrijf een datum als 2026-01-15, of zet tekst tussen aanhalingstekens.",
                    file=name,
                    line=node.start_mark.line + 1,
                    field=key,
                )
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([(v, k.value if isinstance(k, yaml.ScalarNode) else None) for k, v in node.value]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(v, key) for v in node.value]))
    return Problem(f"Een waarde in dit bestand kan niet gelezen worden ({error}).", file=name)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, name: str) -> Problem:
    """A character YAML does not allow (a control character), with its line."""
    # The C reader gives the character as a number, the Python reader as text; both give its position.
    line = text[: exc.position].count("\n") + 1
    code = ord(exc.character) if isinstance(exc.character, str) else exc.character
    return Problem(
        f"Dit is geen geldige YAML: er staat een stuurteken (een onzichtbaar teken, code #x{code:04X}) dat niet "
        "in tekst hoort. Is er iets uit een ander programma meegekopieerd? Haal het teken weg.",
        file=name,
        line=line,
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    detail = " ".join(part for part in (exc.context, exc.problem) if part) or "onleesbare YAML"
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


_QUOTE_IT = "{}; bedoelt u gewone tekst, zet de waarde dan tussen aanhalingstekens"


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
        "special characters are not allowed": "een stuurteken (een onzichtbaar teken) dat niet in tekst hoort; "
        "is er iets uit een ander programma meegekopieerd?",
        "expected a single document in the stream": "meer dan één YAML-document: het bestand bevat '---' "
        "tussen twee delen; zet alle werkplekken in één lijst onder 'werkplekken:'",
        "that cannot start any token": "een teken waarmee een waarde niet mag beginnen (zoals @ of `); zet de "
        "waarde tussen aanhalingstekens",
        "found unhashable key": "een sleutel die zelf een lijst of blok is",
        "exceeded maximum nesting depth": "de lijsten of blokken zijn te diep in elkaar genest",
        # Found by the fuzz test (tests/test_invoer_fuzz.py): what libyaml says about random text.
        "while scanning a tag": _QUOTE_IT.format("'!' aan het begin van een waarde is een YAML-tag"),
        "while parsing a tag": _QUOTE_IT.format("'!' aan het begin van een waarde is een YAML-tag"),
        "tag handle": _QUOTE_IT.format("'!' aan het begin van een waarde is een YAML-tag"),
        "while scanning an alias": _QUOTE_IT.format("'*' aan het begin van een waarde is een YAML-alias"),
        "while scanning an anchor": _QUOTE_IT.format("'&' aan het begin van een waarde is een YAML-anker"),
        "while scanning a directive": _QUOTE_IT.format("een regel die met '%' begint is een YAML-opdracht"),
        "while scanning a block scalar": "na '|' of '>' hoort de tekst op de volgende regels te staan",
        "while scanning a plain scalar": _QUOTE_IT.format("een waarde bevat een teken dat in YAML iets betekent"),
        "found unknown escape character": "een onbekende code met '\\' tussen dubbele aanhalingstekens; "
        "gebruik enkele aanhalingstekens",
        "while parsing a flow sequence": "een lijst die met '[' begint, wordt niet goed gesloten met ']' "
        "(of er ontbreekt een komma)",
        "while parsing a flow mapping": "een blok dat met '{' begint, wordt niet goed gesloten met '}' "
        "(of er ontbreekt een komma)",
        "block sequence entries are not allowed": "een '- ' op een plek waar geen lijst mag beginnen",
        "mapping keys are not allowed": "een 'sleutel: waarde' op een plek waar dat niet mag",
        "while parsing a block collection": "de regels van een lijst beginnen niet allemaal met '- ' op dezelfde "
        "hoogte",
        "for merging": "'<<' betekent in YAML 'samenvoegen'; gebruik een andere sleutel",
        "did not find expected node content": _QUOTE_IT.format(
            "een waarde ontbreekt of begint met een teken dat in YAML iets betekent (zoals , [ ] { } of -)"
        ),
        "did not find expected <document start>": "er staat tekst op een plek waar YAML niets meer verwacht",
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

    # A stack, not recursion: a deeply nested file must not crash the line lookup. Where a key is
    # written twice, the last one counts (as in the loaded data): later siblings are taken first and
    # the first line stored for a path stays.
    stack: list[tuple[yaml.Node, tuple[object, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        index.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            pairs = [(normalize_key(k.value) if isinstance(k, yaml.ScalarNode) else None, k, v) for k, v in node.value]
            for key, key_node, _ in reversed(pairs):
                index.setdefault((*path, key, "<key>"), key_node.start_mark.line + 1)
            stack.extend((value_node, (*path, key)) for key, _, value_node in pairs)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, position)) for position, item in enumerate(node.value))
    return index
