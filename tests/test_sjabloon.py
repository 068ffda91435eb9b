"""`spoorwijzer sjabloon`: every template, read back by `match`, gives a valid advice for its example."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
import yaml

from spoorwijzer import sjabloon
from spoorwijzer.cli import app


def _all_columns(kb) -> list[str]:
    return ["naam", "omschrijving", *(v.id for v in kb.vragen), "opmerking"]


@pytest.mark.parametrize("formaat", ["csv", "yaml", "xlsx"])
def test_template_round_trip_through_match(tmp_path, runner, kb, formaat):
    if formaat == "xlsx":
        pytest.importorskip("openpyxl")
    path = tmp_path / f"mijn-werk.{formaat}"
    made = runner.invoke(app, ["sjabloon", "--format", formaat, "--uitvoer", str(path)])
    assert made.exit_code == 0, made.output
    assert f"spoorwijzer match --werk {path}" in made.stderr
    result = runner.invoke(app, ["match", "--werk", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    werkplekken = json.loads(result.stdout)["werkplekken"]
    example = sjabloon.example(kb)
    assert [w["naam"] for w in werkplekken] == [example["naam"]]
    assert werkplekken[0]["sporen"], "the example werkplek gets an advice"
    answered = {k: v for k, v in example.items() if k in {q.id for q in kb.vragen} and v != "onbekend"}
    assert set(werkplekken[0]["antwoorden"]) == set(answered)


def test_example_is_a_practice_case_and_answers_most_questions(kb):
    example = sjabloon.example(kb)
    assert list(example) == _all_columns(kb)
    assert example["naam"].startswith("Voorbeeld")
    assert sum(1 for v in example.values() if v != "onbekend") >= len(kb.vragen) // 2


def test_columns_and_allowed_values_come_from_the_kennisbank(kb):
    kolommen = {k.id: k for k in sjabloon.columns(kb)}
    assert list(kolommen) == _all_columns(kb)
    for vraag in kb.vragen:
        expected = tuple(kb.doelgroepen) if vraag.type == "meerkeuze" else (*vraag.waarden(), "onbekend")
        assert kolommen[vraag.id].waarden == expected
        assert kolommen[vraag.id].vraag == vraag.vraag


def test_csv_template_is_semicolon_with_bom_and_help_rows(kb):
    text = sjabloon.template_csv(kb)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows[0] == _all_columns(kb)
    assert all(len(row) == len(rows[0]) for row in rows)
    assert rows[1][0].startswith("#") and rows[2][0].startswith("#")
    by_column = dict(zip(rows[0], rows[2], strict=True))
    for vraag in kb.vragen:
        values = kb.doelgroepen if vraag.type == "meerkeuze" else vraag.waarden()
        assert all(value in by_column[vraag.id] for value in values)


def test_yaml_template_comments_every_question_and_its_values(kb):
    text = sjabloon.template_yaml(kb)
    data = yaml.safe_load(text)
    assert list(data["werkplekken"][0]) == _all_columns(kb)
    for vraag in kb.vragen:
        assert f"# {vraag.vraag}" in text
        if vraag.type != "meerkeuze":
            assert f"{vraag.id}: " in text and " | ".join(vraag.waarden()) in text
    assert all(doelgroep in text for doelgroep in kb.doelgroepen)


def test_xlsx_template_has_dropdowns_and_an_uitleg_sheet(kb, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "s.xlsx"
    path.write_bytes(sjabloon.template_xlsx(kb))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["werkplekken", "uitleg"]
    sheet = workbook["werkplekken"]
    header = [c.value for c in sheet[1]]
    assert header == _all_columns(kb)
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    for vraag in kb.vragen:
        letter = sheet.cell(row=1, column=header.index(vraag.id) + 1).column_letter
        values = kb.doelgroepen if vraag.type == "meerkeuze" else vraag.waarden()
        assert all(value in lists[f"{letter}2"] for value in values)
    uitleg = [[c.value for c in row] for row in workbook["uitleg"].iter_rows()]
    assert {vraag.vraag for vraag in kb.vragen} <= {row[1] for row in uitleg}


def test_default_is_csv_and_an_existing_file_is_not_overwritten(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["sjabloon"])
    assert first.exit_code == 0, first.output
    target = tmp_path / "werkplekken.csv"
    target.write_text("naam\nMijn eigen werk\n", encoding="utf-8")
    again = runner.invoke(app, ["sjabloon"])
    assert again.exit_code == 2
    assert "--overschrijven" in again.stderr
    assert target.read_text(encoding="utf-8") == "naam\nMijn eigen werk\n"
    forced = runner.invoke(app, ["sjabloon", "--overschrijven"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8-sig").startswith("naam;omschrijving;")


def test_format_follows_the_extension_and_must_fit_it(tmp_path, runner):
    inferred = runner.invoke(app, ["sjabloon", "--uitvoer", str(tmp_path / "w.yml")])
    assert inferred.exit_code == 0
    assert (tmp_path / "w.yml").read_text(encoding="utf-8").startswith("# Sjabloon")
    wrong = runner.invoke(app, ["sjabloon", "--format", "yaml", "--uitvoer", str(tmp_path / "w.csv")])
    assert wrong.exit_code == 2
    assert ".yaml" in wrong.stderr
    assert not (tmp_path / "w.csv").exists()
    bad = runner.invoke(app, ["sjabloon", "--format", "ods"])
    assert bad.exit_code == 2
    assert "csv, yaml, xlsx" in bad.stderr


def test_to_the_screen_but_never_a_workbook(runner):
    shown = runner.invoke(app, ["sjabloon", "--format", "yaml", "--uitvoer", "-"])
    assert shown.exit_code == 0
    assert yaml.safe_load(shown.stdout)["werkplekken"]
    refused = runner.invoke(app, ["sjabloon", "--format", "xlsx", "--uitvoer", "-"])
    assert refused.exit_code == 2


def test_xlsx_template_without_openpyxl(tmp_path, runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = tmp_path / "w.xlsx"
    result = runner.invoke(app, ["sjabloon", "--format", "xlsx", "--uitvoer", str(path)])
    assert result.exit_code == 2
    assert "pip install 'spoorwijzer[excel]'" in result.stderr
    assert not path.exists()


@pytest.mark.parametrize(("suffix", "delimiter"), [(".txt", ";"), (".tsv", "\t"), (".TSV", "\t")])
def test_every_extension_match_reads_as_csv_is_a_csv_template(tmp_path, runner, kb, suffix, delimiter):
    path = tmp_path / f"werk{suffix}"
    made = runner.invoke(app, ["sjabloon", "--uitvoer", str(path)])
    assert made.exit_code == 0, made.output
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(delimiter) == _all_columns(kb)
    also = runner.invoke(app, ["sjabloon", "--format", "csv", "--uitvoer", str(tmp_path / f"ook{suffix}")])
    assert also.exit_code == 0, also.output
    result = runner.invoke(app, ["match", "--werk", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [w["naam"] for w in json.loads(result.stdout)["werkplekken"]] == [sjabloon.example(kb)["naam"]]


def test_csv_template_refuses_an_extension_match_does_not_read_as_csv(tmp_path, runner):
    wrong = runner.invoke(app, ["sjabloon", "--format", "csv", "--uitvoer", str(tmp_path / "werk.xlsx")])
    assert wrong.exit_code == 2
    assert "een bestandsnaam op .csv of .txt of .tsv" in wrong.stderr


@pytest.mark.parametrize(("formaat", "suffix"), [(f, s) for f, suffixes in sjabloon.SUFFIXES.items() for s in suffixes])
def test_every_accepted_extension_is_read_back_by_match(tmp_path, kb, vocab, formaat, suffix):
    # Guards the promise behind SUFFIXES: what the sjabloon writes under a name, match reads as written.
    from spoorwijzer.werkplek import read_werkplekken

    if formaat == "xlsx":
        pytest.importorskip("openpyxl")
    path = tmp_path / f"werk{suffix}"
    inhoud = sjabloon.render(kb, formaat, str(path))
    if isinstance(inhoud, bytes):
        path.write_bytes(inhoud)
    else:
        path.write_text(inhoud, encoding="utf-8")
    result = read_werkplekken(path, vocab)
    assert [p.render() for p in result.problems] == []
    assert [w.naam for w in result.werkplekken] == [sjabloon.example(kb)["naam"]]
