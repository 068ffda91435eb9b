"""Arbitrary text and bytes as a werkplek file: a result (exit 0, valid JSON) or exit 2, nothing else.

Hypothesis generates the files: raw bytes, raw text, and YAML/CSV-like text built from the real
vocabulary (keys, answers, doelgroepen, typos, YAML punctuation), so the generator reaches the
reading code beyond the first syntax error. The number of examples is bounded to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from spoorwijzer.cli import app  # noqa: E402

KEYS = [
    "naam",
    "omschrijving",
    "opmerking",
    "taken",
    "takken",
    "groepsverband",
    "vakvaardigheden",
    "verantwoordelijkheid",
    "productiedruk",
    "collegas",
    "collega's",
    "begeleiding",
    "prikkels",
    "doel",
    "duur",
    "doelgroep",
    "werkplekken",
    "Naam",
    "<<",
    "?",
    "",
]
VALUES = [
    "eenvoudig",
    "complex",
    "gemengd",
    "groep",
    "individueel",
    "ja",
    "nee",
    "true",
    "no",
    "hoog",
    "laag",
    "minder relevant",
    "veel",
    "weinig",
    "leren-werken",
    "zorg",
    "onderwijs",
    "tijdelijk",
    "structureel",
    "onbekend",
    "bijstand",
    "[bijstand, ww]",
    "wajongg; wsw",
    "3",
    "-1.5e3",
    "2026-01-01",
    "~",
    "null",
    "{}",
    "[]",
    "{a: 1}",
    "'quoted'",
    '"dubbel"',
    "!!str x",
    "!!python/object:os.system",
    "&a x",
    "*a",
    "|",
    ">",
    "- x",
    ":",
    "#",
    "%",
    "@",
    "`",
    "\t",
    "é",
    "\u2028",
    "\ufeff",
    "",
]
PUNCTUATION = ["\n", "\n  ", "\n    ", "\n  - ", "- ", ": ", ":", ", ", ";", '"', "'", "[", "]", "{", "}", " ", "---\n"]

yaml_like = st.lists(
    st.one_of(st.sampled_from(KEYS), st.sampled_from(VALUES), st.sampled_from(PUNCTUATION)), max_size=60
).map("".join)
structured = st.lists(
    st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES), st.sampled_from(["", "  ", "    ", "  - "])),
    max_size=15,
).map(lambda rows: "werkplekken:\n" + "".join(f"{indent}{key}: {value}\n" for key, value, indent in rows))
csv_like = st.lists(
    st.lists(st.one_of(st.sampled_from(KEYS), st.sampled_from(VALUES), st.text(max_size=5)), max_size=6).map(
        lambda cells: ";".join(cells)
    ),
    max_size=8,
).map("\n".join)
content = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    yaml_like,
    structured,
    csv_like,
    yaml_like.map(lambda text: text.encode("utf-8")),
    structured.map(lambda text: text.encode("latin-1", errors="replace")),
)

# SPOORWIJZER_FUZZ=5000 pytest tests/test_invoer_fuzz.py searches longer (by hand, not in CI).
EXAMPLES = int(os.environ.get("SPOORWIJZER_FUZZ", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(runner, directory: Path, data: str | bytes, suffix: str, extra: tuple[str, ...] = ()) -> None:
    path = directory / f"werk{suffix}"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    result = runner.invoke(app, ["match", "--werk", str(path), "--format", "json", *extra])
    assert result.exit_code in (0, 2), (data, result.output, result.exception)
    assert "Traceback" not in result.output
    assert "interne fout" not in result.output
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout)["werkplekken"], list)
    elif not extra:
        assert result.stdout == ""
        assert result.stderr.startswith("spoorwijzer: ")


@SETTINGS
@given(data=content, suffix=st.sampled_from([".yaml", ".csv"]))
def test_any_werkplek_file_gives_a_result_or_exit_2(runner, data, suffix):
    with tempfile.TemporaryDirectory() as directory:
        _check(runner, Path(directory), data, suffix)


@settings(
    max_examples=max(EXAMPLES // 4, 1), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.one_of(structured, csv_like), suffix=st.sampled_from([".yaml", ".csv"]))
def test_sla_fouten_over_never_crashes_either(runner, data, suffix):
    with tempfile.TemporaryDirectory() as directory:
        _check(runner, Path(directory), data, suffix, ("--sla-fouten-over",))
