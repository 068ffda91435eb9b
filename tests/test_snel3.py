"""Speed work round 3: the one-pass stream and the per-part caches of the short advice must not
change a byte of output nor hide a problem. No test here measures time."""

from __future__ import annotations

import os

from conftest import PEILDATUM
from spoorwijzer import cli, stroom
from test_stroom import COLUMNS, _many, _write


def _two_pass(path, vocab, regels, formaat, top):
    _, items = stroom.adviezen(path, vocab, regels, PEILDATUM, kort=formaat == "csv")
    return b"".join(stroom.render(formaat, items(), top))


def test_one_pass_gives_the_bytes_of_the_two_pass_way(tmp_path, vocab, regels, monkeypatch):
    _, csv_path, jsonl_path = _write(tmp_path, _many(400))
    monkeypatch.setattr(stroom, "SPOOL_MEMORY", 1000)  # the buffer moves to a temporary file on the way
    for path in (csv_path, jsonl_path):
        for formaat in ("csv", "jsonl", "json"):
            for top in (None, 1):
                one = b"".join(stroom._one_pass(path, vocab, regels, formaat, top, PEILDATUM))
                assert one == _two_pass(path, vocab, regels, formaat, top), (path.suffix, formaat, top)


def test_a_problem_at_the_end_still_means_no_output_at_all(runner, tmp_path):
    _, csv_path, _ = _write(tmp_path, _many(600))
    with csv_path.open("a", encoding="utf-8") as handle:
        handle.write("Laatste;;moeilijk" + ";" * (len(COLUMNS) - 3) + "\n")
        handle.write("Plek 3" + ";" * (len(COLUMNS) - 1) + "\n")
    uitvoer = tmp_path / "uit.csv"
    for extra in (["-o", str(uitvoer)], []):
        result = runner.invoke(cli.app, ["match", str(csv_path), "-f", "csv", *extra])
        assert result.exit_code == 2
        assert "'moeilijk'" in result.stderr and "eerder in het bestand" in result.stderr
        assert result.stdout == ""
        assert not uitvoer.exists()
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_input_problems_come_before_output_problems(runner, tmp_path):
    path = tmp_path / "werk.csv"
    path.write_text("naam;taken\nA;moeilijk\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["match", str(path), "-f", "csv", "-o", str(tmp_path / "geen" / "uit.csv")])
    assert result.exit_code == 2
    assert "'moeilijk'" in result.stderr and "map" not in result.stderr


def _samen(advies) -> dict:
    from spoorwijzer import output

    return output.advies_to_dict(advies, None)


def test_the_part_caches_never_mix_peildata_or_answers(kb):
    """One Regels asked in turns about different dates and answers gives what a fresh one gives."""
    import datetime as dt

    from spoorwijzer.engine import Regels
    from spoorwijzer.werkplek import Vocabulary, normalize_record

    vocab = Vocabulary(kb)
    werkplekken = [normalize_record(r, vocab, file="t")[0] for r in _many(240)]
    dates = [PEILDATUM, dt.date(2015, 1, 1), dt.date(2040, 1, 1)]
    shared = Regels(kb)
    for number, werkplek in enumerate(werkplekken * 2):
        datum = dates[number % len(dates)]
        fresh = Regels(kb)
        for advise in ("advise", "advise_kort"):
            ours = getattr(shared, advise)(werkplek.naam, werkplek.antwoorden, datum)
            theirs = getattr(fresh, advise)(werkplek.naam, werkplek.antwoorden, datum)
            assert _samen(ours) == _samen(theirs), (werkplek.naam, datum, advise)
            assert ours.let_op == theirs.let_op


def test_replaced_warning_rules_are_used(kb, regels):
    from dataclasses import replace

    antwoorden = {"taken": "eenvoudig", "doel": "werken"}
    before = regels.advise("A", antwoorden, PEILDATUM).waarschuwingen
    regel = replace(kb.waarschuwingen[0], als={"taken": "eenvoudig"}, spoor_kenmerk=None, tekst="Nieuwe regel.")
    other = type(regels)(replace(kb, waarschuwingen=(regel,)))
    other.advise("A", antwoorden, PEILDATUM)
    assert "Nieuwe regel." in other.advise("A", antwoorden, PEILDATUM).waarschuwingen
    assert "Nieuwe regel." not in before
