"""Features that meet each other: options combined, output to the screen or '-', readers stopping early."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from spoorwijzer.cli import app

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"
BAD_ROW = "naam,taken\nA,eenvoudig\nB,eenvoudg\n"


def test_jsonl_in_memory_path_gives_the_streamed_bytes(runner):
    streamed = runner.invoke(app, ["match", str(EXAMPLE), "-f", "jsonl"])
    in_memory = runner.invoke(app, ["match", str(EXAMPLE), "-f", "jsonl", "--sla-fouten-over"])
    assert streamed.exit_code == in_memory.exit_code == 0, in_memory.output
    assert streamed.stdout == in_memory.stdout
    assert len([json.loads(line) for line in streamed.stdout.splitlines()]) == 7


@pytest.mark.parametrize("formaat", ["table", "json", "csv", "markdown"])
def test_sla_fouten_over_with_wat_als_still_lists_the_skipped_and_exits_2(runner, tmp_path: Path, formaat):
    werk = tmp_path / "werk.csv"
    werk.write_text(BAD_ROW, encoding="utf-8")
    result = runner.invoke(app, ["match", str(werk), "--sla-fouten-over", "--wat-als", "taken=complex", "-f", formaat])
    assert result.exit_code == 2
    assert "1 werkplek overgeslagen" in result.stderr and "werkplek 'B'" in result.stderr


def test_portfolio_table_with_sla_fouten_over_lists_the_skipped_and_exits_2(runner, tmp_path: Path):
    werk = tmp_path / "werk.csv"
    werk.write_text(BAD_ROW, encoding="utf-8")
    result = runner.invoke(app, ["portfolio", str(werk), "--sla-fouten-over"])
    assert result.exit_code == 2
    assert "Portfolio: 1 werkplek" in result.stdout and "werkplek 'B'" in result.stderr


@pytest.mark.parametrize("command", ["match", "portfolio"])
def test_uitvoer_dash_is_the_screen(runner, tmp_path: Path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [command, str(EXAMPLE), "-f", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) and not (tmp_path / "-").exists()


@pytest.mark.parametrize("formaat", ["json", "yaml", "csv", "table"])
def test_a_reader_that_stops_early_is_no_error(formaat):
    # `spoorwijzer match ... | head -c 10`: the pipe closes before the output is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "spoorwijzer", "match", str(EXAMPLE), "-f", formaat],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "SPOORWIJZER_CACHE": "uit", "COLUMNS": "80"},
    )
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.wait() == 0, stderr
    assert "Traceback" not in stderr and "interne fout" not in stderr


def test_json_lines_problems_in_dutch_duplicate_keys_and_deep_nesting(runner, tmp_path: Path):
    werk = tmp_path / "werk.jsonl"
    deep = '{"naam": "D", "taken": ' + "[" * 100_000 + "]" * 100_000 + "}"
    werk.write_text(
        '{"naam": "A", "taken": "eenvoudig", "taken": "complex"}\n{"naam": "B", taken: 1}\n' + deep + "\n",
        encoding="utf-8",
    )
    for formaat in ("json", "table"):  # the streamed and the in-memory reader
        result = runner.invoke(app, ["match", str(werk), "-f", formaat])
        assert result.exit_code == 2, result.output
        assert "werk.jsonl:1, veld 'taken': De sleutel 'taken' staat twee keer" in result.stderr
        assert "werk.jsonl:2: Deze regel is geen geldige JSON: een sleutel moet tussen dubbele" in result.stderr
        assert "werk.jsonl:3: Deze regel is geen bruikbare werkplek: de lijsten of objecten zijn te diep" in (
            result.stderr
        )
        assert "Expecting" not in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("naam", ["werk.xlsx", "werk.jsonl", "werk.txt", "werk"])
def test_advies_opslaan_refuses_a_format_match_would_misread_before_any_question(runner, tmp_path: Path, naam):
    result = runner.invoke(app, ["advies", "--opslaan", str(tmp_path / naam)], input="X\n")
    assert result.exit_code == 2
    assert "Toegestaan: een bestandsnaam op .yaml, .yml of .csv" in result.stderr
    assert "Zijn het eenvoudige" not in result.stdout  # before the first question
    assert not (tmp_path / naam).exists()


def test_antwoorden_keeps_the_name_as_written_in_the_file_and_csv_keeps_omschrijving(runner, tmp_path: Path):
    saved = tmp_path / "plek.csv"
    result = runner.invoke(
        app,
        ["advies", "--antwoorden", str(EXAMPLE), "--naam", "fietsenwerkplaats", "--opslaan", str(saved)],
        input="\n" * 12,
    )
    assert result.exit_code == 0, result.output
    assert "vragen al beantwoord voor 'Fietsenwerkplaats'" in result.stdout
    data = json.loads(runner.invoke(app, ["match", str(saved), "-f", "json"]).stdout)["werkplekken"][0]
    assert data["naam"] == "Fietsenwerkplaats"
    assert data["omschrijving"].startswith("Demontage en reparatie van fietsen")
    assert data["antwoorden"]["taken"] == "gemengd"


def test_an_extra_argument_is_named_in_dutch(runner):
    result = runner.invoke(app, ["match", str(EXAMPLE), "extra"])
    assert result.exit_code == 2
    assert "Onverwachte extra invoer: extra." in result.stderr and "Got unexpected" not in result.stderr


EIGEN = REPO / "voorbeelden" / "eigen-data"


def test_portfolio_and_html_reports_say_which_items_are_own_data(runner):
    data = json.loads(runner.invoke(app, ["--data", str(EIGEN), "portfolio", str(EXAMPLE), "-f", "json"]).stdout)
    wsp = next(p for p in data["partners"] if p["id"] == "wsp")
    assert wsp["herkomst"] == f"eigen data ({EIGEN})" and wsp["contact"]["website"]
    assert {p["herkomst"] for p in data["partners"] if p["id"] != "wsp"} <= {"spoorwijzer", f"eigen data ({EIGEN})"}
    for command in ("portfolio", "match"):
        page = runner.invoke(app, ["--data", str(EIGEN), command, str(EXAMPLE), "-f", "html"]).stdout
        assert f'<span class="eigen">(eigen data ({EIGEN}))</span>' in page
        assert "Contact: afdeling: Team werkgeversdienstverlening" in page
    plain = runner.invoke(app, ["portfolio", str(EXAMPLE), "-f", "html"]).stdout
    assert 'class="eigen"' not in plain


def test_csv_and_json_lines_accept_boolean_spellings_for_ja_nee(runner, tmp_path: Path):
    csv_file = tmp_path / "werk.csv"
    csv_file.write_text("naam;collegas;begeleiding;vakvaardigheden\nA;TRUE;waar;no\n", encoding="utf-8")
    jsonl_file = tmp_path / "werk.jsonl"
    jsonl_file.write_text('{"naam": "A", "collegas": "yes", "begeleiding": true, "vakvaardigheden": "ONWAAR"}\n')
    for werk in (csv_file, jsonl_file):
        data = json.loads(runner.invoke(app, ["match", str(werk), "-f", "json"]).stdout)
        assert data["werkplekken"][0]["antwoorden"] == {"vakvaardigheden": "nee", "collegas": "ja", "begeleiding": "ja"}
    # only where the question is ja/nee: 'yes' is no answer to taken
    bad = tmp_path / "bad.csv"
    bad.write_text("naam;taken\nA;yes\n", encoding="utf-8")
    assert runner.invoke(app, ["match", str(bad), "-f", "json"]).exit_code == 2


def test_a_date_that_does_not_exist_in_a_werkplek_file_is_a_user_error(runner, tmp_path: Path):
    werk = tmp_path / "werk.yaml"
    werk.write_text("werkplekken:\n- naam: 2026-13-45\n  taken: eenvoudig\n", encoding="utf-8")
    result = runner.invoke(app, ["match", str(werk), "-f", "json"])
    assert result.exit_code == 2
    assert "werk.yaml:2, veld 'naam': De waarde '2026-13-45' kan niet gelezen worden" in result.stderr


def test_valideer_map_says_the_data_option_was_not_checked(runner):
    result = runner.invoke(app, ["valideer", str(REPO / "data")], env={"SPOORWIJZER_DATA": str(EIGEN)})
    assert result.exit_code == 0, result.output
    assert f"is niet gecontroleerd, alleen de map {REPO / 'data'}" in result.stdout
    assert f"spoorwijzer valideer {EIGEN}" in result.stdout
