"""The fast YAML reader (yamlsnel) gives exactly what the careful reader gives, or nothing.

For every file: either `fast_load` returns None (the careful reader takes over) or the same data
(same values, same Python types, same key order) and the same first line of every mapping as
`yamlio.load_with_lines`. `parse_yaml` must give the same werkplekken and the same messages both
ways. No test here measures time.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from spoorwijzer import werkplek, yamlio
from spoorwijzer.errors import UserError
from spoorwijzer.werkplek import ReadResult, Vocabulary, parse_yaml
from spoorwijzer.yamlsnel import fast_load

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from genereer import werkplekken, write_yaml

REPO = Path(__file__).resolve().parents[1]

# Plain scalars YAML 1.1 reads as something other than text, and look-alikes that stay text.
BOOLEANS = [
    *("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO"),
    *("true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"),
    *("ja", "nee", "yES", "oN", "tRUE"),
]
NUMBERS = [
    *("0", "12", "012", "-5", "+3", "0x1F", "0o17", "0b101", "1_000", "1:30", "190:20:30", "09"),
    *("1.5", "1e3", "1.0e+3", "-1.5E-2", ".5", "0.", "1_000.5", ".inf", "-.Inf", "+.INF", ".nan", ".NaN"),
    *("1,5", "3 ploegen", "1.2.3", "0x", "12e", "99999999999999999999999"),
]
DATES = [
    *("2026-01-15", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-15T02:59:43.1Z"),
    *("2026-1-5", "2026-01-15 10:00", "15-01-2026"),
]
NULLS = ["~", "null", "Null", "NULL", "", "nULL"]
TEXTS = [
    *("eenvoudig", "minder relevant", "leren-werken", "Groenploeg 12", "Café ☕ ñ", "werkplekken", "onbekend"),
    *("'yes'", '"12"', "'2026-01-15'", '"~"', "'it''s'", '"tab\\there"', '"\\u00e9"', "'<<'", "'='"),
    *("ja # opmerking", "a#b", "x - y", "https://voorbeeld.nl/a?b=c", "-", "?", "n.b.", "'  spaties  '"),
    "lang " * 40,
]
# Shapes the fast reader leaves to the careful one.
AWKWARD = ["!!str ja", "&anker ja", "*anker", "<<", "=", "2026-02-30", "{a: b}", "!python/none ''", "[[a]]"]
KEYS = [
    *("naam", "Naam", "omschrijving", "taken", "doel", "doelgroep", "prikkels", "collegas", "'collega''s'"),
    *('"Begeleiding"', "ñaam", "werkplekken", "Werkplekken", "x y", "'yes'"),
    # Keys that are no text once read, or not keys at all: the careful reader reports these.
    *("yes", "12", "~", "<<", "2026-01-15", "? naam"),
]


@contextmanager
def _threshold(chars: int) -> Iterator[None]:
    # Not monkeypatch: hypothesis runs many examples within one test function.
    before = werkplek.FAST_YAML_MIN_CHARS
    werkplek.FAST_YAML_MIN_CHARS = chars
    try:
        yield
    finally:
        werkplek.FAST_YAML_MIN_CHARS = before


def _typed(value: Any) -> Any:
    """A comparable picture of loaded data: each value with its exact type (NaN equals NaN here)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _mapping_lines(data: Any, lines: dict[int, int]) -> list[int | None]:
    """The line of every mapping in `data`, in document order."""
    found: list[int | None] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(lines.get(id(node)))
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _careful(text: str) -> tuple[Any, list[Any], dict[int, int]] | None:
    if yamlio.tags_and_aliases(text, "w.yaml"):
        return None
    try:
        return yamlio.load_with_lines(text, "w.yaml")
    except UserError:
        return None


def assert_same_as_careful(text: str) -> bool:
    """True when the fast reader read `text` (and gave the careful result), False when it declined."""
    fast = fast_load(text)
    careful = _careful(text)
    if careful is None or careful[1]:
        assert fast is None, "the fast reader accepted a file the careful reader refuses or reports on"
        return False
    if fast is None:
        return False
    data, lines = fast
    assert _typed(data) == _typed(careful[0])
    assert _mapping_lines(data, lines) == _mapping_lines(careful[0], careful[2])
    return True


def _parse(text: str, vocab: Vocabulary, chars: int) -> ReadResult | list[Any]:
    with _threshold(chars):
        try:
            return parse_yaml(text, "w.yaml", vocab)
        except UserError as error:
            return error.problems


def assert_parse_unchanged(text: str, vocab: Vocabulary) -> None:
    assert _parse(text, vocab, 0) == _parse(text, vocab, 10**12)


def _file(records: list[list[tuple[str, Any]]], shape: str, newline: str, flow: bool) -> str:
    """A werkplek file of `records` (key, value-text or list of value-texts) in the given shape."""
    lines = ["# werkplekken van de gemeente"] if shape != "single" else []
    if shape == "wrapper":
        lines.append("werkplekken:  # alle werkplekken")
    indent = "" if shape == "single" else "  "
    for record in records:
        if flow and shape != "single":
            parts = [f"{key}: {_flow(value)}" for key, value in record]
            lines.append(f"{indent}- {{{', '.join(parts)}}}")
            continue
        for position, (key, value) in enumerate(record):
            lead = indent + ("- " if position == 0 and shape != "single" else "  " if shape != "single" else "")
            if isinstance(value, list) and value and position % 2:
                lines.append(f"{lead}{key}:")
                lines.extend(f"{indent}    - {item}" for item in value)
            else:
                lines.append(f"{lead}{key}: {_flow(value)}")
        if shape == "single":
            break
    return newline.join(lines) + newline


def _flow(value: Any) -> str:
    return "[" + ", ".join(value) + "]" if isinstance(value, list) else value


# --- generated files ------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SCALARS = st.sampled_from(BOOLEANS + NUMBERS + DATES + NULLS + TEXTS)
FLOW_SCALARS = st.sampled_from([v for v in BOOLEANS + NUMBERS + DATES + NULLS + TEXTS if v and "#" not in v])
VALUES = st.one_of(SCALARS, st.lists(FLOW_SCALARS, max_size=4))
RECORD = st.lists(st.tuples(st.sampled_from(KEYS[:15]), VALUES), min_size=1, max_size=8)
RECORDS = st.lists(RECORD, min_size=1, max_size=4)
SHAPES = st.sampled_from(["wrapper", "list", "single"])
NEWLINES = st.sampled_from(["\n", "\r\n"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=RECORDS, shape=SHAPES, newline=NEWLINES, flow=st.booleans())
def test_generated_plain_files_read_as_the_careful_reader_does(records, shape, newline, flow, vocab):
    text = _file(records, shape, newline, flow)
    assert_same_as_careful(text)
    assert_parse_unchanged(text, vocab)


ANY_KEY = st.sampled_from(KEYS)
ANY_VALUE = st.one_of(SCALARS, st.sampled_from(AWKWARD), st.lists(FLOW_SCALARS, max_size=3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(st.lists(st.tuples(ANY_KEY, ANY_VALUE), min_size=1, max_size=6), min_size=1, max_size=3),
    shape=SHAPES,
    newline=NEWLINES,
    flow=st.booleans(),
    extra=st.sampled_from(["", "---\nnaam: B\n", "...\n", "oeps: [\n", "anker: &a x\nalias: *a\n", "\tx: 1\n"]),
)
def test_generated_awkward_files_are_declined_or_read_alike(records, shape, newline, flow, extra, vocab):
    text = _file(records, shape, newline, flow) + extra
    assert_same_as_careful(text)
    assert_parse_unchanged(text, vocab)


# --- explicit cases -------------------------------------------------------------------------------


def test_every_tricky_scalar_is_read_fast_and_alike():
    # Quoted forms stay text; each plain one is resolved and built as PyYAML builds it.
    # ('-' and '?' alone are YAML punctuation, no values; '[?]' is a list holding a mapping.)
    values = [v for v in BOOLEANS + NUMBERS + DATES + NULLS + TEXTS if v not in ("-", "?")]
    text = "werkplekken:\n" + "".join(f"  - naam: W{i}\n    waarde: {v}\n" for i, v in enumerate(values))
    text += "  - naam: lijst\n    doelgroep: [" + ", ".join(v for v in values if v and "#" not in v) + "]\n"
    assert assert_same_as_careful(text)
    data, _ = fast_load(text)
    got = {record["naam"]: record["waarde"] for record in data["werkplekken"][:-1]}
    assert got["W0"] == "y" and got[f"W{BOOLEANS.index('Yes')}"] is True  # PyYAML: 'y' is no boolean
    assert got[f"W{BOOLEANS.index('OFF')}"] is False and got[f"W{BOOLEANS.index('yES')}"] == "yES"
    assert got[f"W{len(BOOLEANS) + NUMBERS.index('0x1F')}"] == 31
    assert got[f"W{len(BOOLEANS) + NUMBERS.index('1:30')}"] == 90
    assert isinstance(got[f"W{len(BOOLEANS + NUMBERS) + DATES.index('2026-01-15')}"], dt.date)


@pytest.mark.parametrize(
    "text",
    [
        "naam: Groenploeg\ntaken: eenvoudig\ndoelgroep: [ww, wajong]\n",
        "werkplekken:\n  - naam: A\n    doelgroep:\n      - ww\n      - ggz\n  - {naam: B, doel: zorg}\n",
        "- naam: A\n- naam: B\n  duur: tijdelijk\n",
        "Werk-plekken:\n- naam: A\n",
        "werkplekken: []\n",
        "werkplekken:\n",
        "naam: A\r\ntaken: eenvoudig  # uitleg\r\ncollegas: yes\r\n",
        "--- # één document\nnaam: A\n...\n",
        "naam: |\n  Groen\n  ploeg\nomschrijving: >\n  lange\n  tekst\n",
        "{}\n",
        "werkplekke:\n  - naam: A\n",
    ],
)
def test_common_shapes_are_read_fast(text, vocab):
    assert assert_same_as_careful(text)
    assert_parse_unchanged(text, vocab)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# alleen uitleg\n",
        "naam: !!str A\n",
        "naam: &a A\nomschrijving: *a\n",
        "werkplekken:\n  - &w {naam: A}\n  - *w\n",
        "naam: A\nnaam: B\n",
        "naam: A\n'naam': B\n",
        "naam: A\n<<: {taken: eenvoudig}\n",
        "naam: A\nyes: ja\n",
        "naam: A\n12: ja\n",
        "naam: A\n~: ja\n",
        "naam: A\n[a]: ja\n",
        "naam: A\ndoelgroep: {ww: ja}\n",
        "naam: A\ndoelgroep: [[ww]]\n",
        "werkplekken:\n  - naam: A\n    sub:\n      - naam: B\n",
        "werkplekken:\n  - naam: A\nextra:\n  - naam: B\n",
        "werkplekken:\n  - naam: A\n  - ww\n",
        "- ww\n- ggz\n",
        "naam: A\ndatum: 2026-02-30\n",
        "naam: A\ngetal: =\n",
        "naam: A\ngetal: <<\n",
        "naam: A\ntaken: [eenvoudig\n",
        "naam: A\n\tdoel: zorg\n",
        "naam: A\n---\nnaam: B\n",
        "%YAML 1.1\n---\nnaam: A\n",
        "gewoon tekst\n",
        "naam: A\ntaken: \x07\n",
    ],
)
def test_everything_else_goes_the_careful_way(text, vocab):
    assert fast_load(text) is None
    assert_parse_unchanged(text, vocab)


def test_without_the_c_parser_the_careful_reader_reads(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml._yaml", None)  # import yaml._yaml now fails
    assert fast_load("naam: A\n") is None


def test_benchmark_file_is_read_fast_and_alike(tmp_path, vocab):
    path = tmp_path / "groot.yaml"
    write_yaml(path, werkplekken(2_000, seed=2))
    text = path.read_text(encoding="utf-8")
    assert assert_same_as_careful(text)
    assert_parse_unchanged(text, vocab)


@pytest.mark.parametrize("path", sorted((REPO / "voorbeelden").glob("*.yaml")), ids=lambda p: p.name)
def test_example_files_read_alike(path, vocab):
    text = yamlio.decode(path.read_bytes(), str(path))
    assert_same_as_careful(text)
    assert_parse_unchanged(text, vocab)


def test_problems_in_a_fast_read_file_keep_their_lines(vocab):
    # The fast reader gives the records and their lines; a problem's line comes from the line index.
    text = "werkplekken:\n" + "".join(f"  - naam: W{i}\n    taken: eenvoudig\n" for i in range(200))
    text += "  - naam: Fout\n\n    takken: x\n    doel: zorg\n"
    assert fast_load(text) is not None
    result = _parse(text, vocab, 0)
    assert isinstance(result, ReadResult)
    (problem,) = result.problems
    assert (problem.line, problem.werkplek_regel, problem.werkplek) == (404, 402, "Fout")
    assert result == _parse(text, vocab, 10**12)


def test_small_files_do_not_load_the_fast_reader(vocab, monkeypatch):
    # The start of `match` on one werkplek stays as it was: importing yamlsnel costs more than it saves.
    monkeypatch.delitem(sys.modules, "spoorwijzer.yamlsnel")
    parse_yaml("naam: A\ntaken: eenvoudig\n", "w.yaml", vocab)
    assert "spoorwijzer.yamlsnel" not in sys.modules
    parse_yaml("naam: A\n" + "# uitleg\n" * 300, "w.yaml", vocab)
    assert "spoorwijzer.yamlsnel" in sys.modules
