"""Fast paths of the batch (YAML reading, JSON and CSV output) must give exactly what the plain
paths give. No test here measures time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from spoorwijzer import yamlio
from spoorwijzer.werkplek import parse_yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from genereer import werkplekken, write_yaml


def test_clean_yaml_gets_record_lines_without_the_line_index(tmp_path, vocab, monkeypatch):
    path = tmp_path / "w.yaml"
    write_yaml(path, werkplekken(40, seed=5))
    expected = [w.regel for w in parse_yaml(path.read_text(), str(path), vocab).werkplekken]
    text = path.read_text()
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("  - ")]
    assert expected == starts

    def no_index(*args: object, **kwargs: object) -> None:
        raise AssertionError("the line index is built for a clean file")

    monkeypatch.setattr(yamlio, "line_index", no_index)
    assert [w.regel for w in parse_yaml(text, str(path), vocab).werkplekken] == starts


@pytest.mark.parametrize("single", [True, False])
def test_problem_lines_still_name_the_key(vocab, single):
    text = "naam: A\ntaken: eenvoudig\ntakken: x\n" if single else "werkplekken:\n  - naam: A\n\n    takken: x\n"
    result = parse_yaml(text, "w.yaml", vocab)
    (problem,) = result.problems
    assert problem.line == (3 if single else 4)
    assert problem.werkplek_regel == (1 if single else 2)
