"""Fast paths of the batch (YAML reading, JSON and CSV output) must give exactly what the plain
paths give. No test here measures time."""

from __future__ import annotations

import json
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


def _adviezen(regels, vocab, aantal: int, seed: int) -> list:
    from conftest import PEILDATUM
    from spoorwijzer.werkplek import normalize_record

    result = []
    for number, record in enumerate(werkplekken(aantal, seed=seed)):
        if number % 7 == 0:
            record["opmerking"] = 'eigen notitie met "aanhalingstekens", é en ’'
        werkplek, problems = normalize_record(record, vocab, file="x")
        assert werkplek is not None, problems
        advies = regels.advise(werkplek.naam, werkplek.antwoorden, PEILDATUM, werkplek.omschrijving)
        advies.opmerking = werkplek.opmerking
        result.append(advies)
    result.append(regels.advise("Leeg", {}, PEILDATUM))
    return result


@pytest.mark.parametrize("top", [None, 1, 3])
def test_fast_json_is_byte_for_byte_json_dumps(regels, vocab, top):
    from spoorwijzer import output
    from spoorwijzer.jsontekst import JsonTekst

    encoder = JsonTekst()
    for indent in (0, 4):
        for advies in _adviezen(regels, vocab, 300, seed=11):
            plain = json.dumps(output.advies_to_dict(advies, top), ensure_ascii=False, indent=2, default=str)
            assert encoder.advies(advies, top, indent).decode() == plain.replace("\n", "\n" + " " * indent)


def test_fast_json_takes_answers_given_as_lists(regels):
    from conftest import PEILDATUM
    from spoorwijzer import output
    from spoorwijzer.jsontekst import JsonTekst

    advies = regels.advise("A", {"taken": "eenvoudig", "doelgroep": ["ww"]}, PEILDATUM)  # type: ignore[dict-item]
    plain = json.dumps(output.advies_to_dict(advies), ensure_ascii=False, indent=2, default=str)
    assert JsonTekst().advies(advies).decode() == plain


@pytest.mark.parametrize("top", [None, 2])
def test_short_advice_gives_the_same_csv_as_the_full_advice(kb, vocab, top):
    import datetime as dt

    from spoorwijzer import output
    from spoorwijzer.engine import Regels
    from spoorwijzer.werkplek import normalize_record

    regels = Regels(kb)
    full, short = [], []
    records = [*werkplekken(3000, seed=21), {"naam": "Leeg"}, {"naam": "Zorg", "doel": "zorg", "doelgroep": "wlz"}]
    for peildatum in (dt.date(2025, 6, 1), dt.date(2031, 1, 1)):  # instruments that have ended, too
        for record in records:
            werkplek, _ = normalize_record(record, vocab, file="x")
            assert werkplek is not None
            full.append(regels.advise(werkplek.naam, werkplek.antwoorden, peildatum, werkplek.omschrijving))
            short.append(regels.advise_kort(werkplek.naam, werkplek.antwoorden, peildatum, werkplek.omschrijving))
    assert output.to_csv(short, top) == output.to_csv(full, top)
    assert any(a.waarschuwingen for a in short) and any(a.partners for a in short)
    assert any(len(a.advies_sporen) > 1 for a in short) and any(not a.sporen for a in short)
