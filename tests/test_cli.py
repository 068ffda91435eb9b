"""The commands through Typer's CliRunner: contract, formats, errors, the interactive flow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from spoorwijzer.cli import app

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"
COMMANDS = ["match", "advies", "cases", "sporen", "partners", "instrumenten", "stappenplan", "doelgroepen"]


def run(runner, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def write(tmp_path: Path, text: str, name: str = "werk.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- help and version --------------------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_dutch_help_with_an_example(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output
    assert "Gebruik:" in result.output
    assert "Toon deze hulp" in result.output


def test_top_level_help_and_version(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    version = run(runner, "--version")
    assert version.exit_code == 0 and version.output.startswith("spoorwijzer ")


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "spoorwijzer", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("spoorwijzer ")


# -- match: the JSON contract ----------------------------------------------------------------
def test_match_json_follows_the_interface_contract(runner):
    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data["werkplekken"], list) and len(data["werkplekken"]) == 7
    for werkplek in data["werkplekken"]:
        for key in ("naam", "sporen", "partners", "instrumenten", "cases", "waarschuwingen", "onbeantwoord"):
            assert key in werkplek, key
        scores = [s["score"] for s in werkplek["sporen"]]
        assert scores == sorted(scores, reverse=True)
        for spoor in werkplek["sporen"]:
            assert {"nummer", "id", "naam", "score", "redenen"} <= set(spoor)
            assert isinstance(spoor["score"], float) and spoor["score"] > 0
            assert spoor["redenen"] and all(isinstance(r, str) for r in spoor["redenen"])
        for i in range(len(werkplek["sporen"]) - 1):
            a, b = werkplek["sporen"][i], werkplek["sporen"][i + 1]
            if a["score"] == b["score"]:
                assert a["nummer"] < b["nummer"], "ties in spoor number order"
        for partner in werkplek["partners"]:
            assert {"id", "naam"} <= set(partner)
        for instrument in werkplek["instrumenten"]:
            assert {"id", "naam"} <= set(instrument)
        for case in werkplek["cases"]:
            assert {"id", "titel", "spoor"} <= set(case)
    fiets = data["werkplekken"][0]
    assert fiets["naam"] == "Fietsenwerkplaats"
    assert fiets["sporen"][0] == fiets["sporen"][0] | {"nummer": 1, "id": "fit-voor-werk", "naam": "Fit voor werk"}
    assert fiets["sporen"][0]["redenen"][0].startswith("taken = gemengd: ")
    assert "wsp" in [p["id"] for p in fiets["partners"]]
    assert "circulus-fietsenwerkplaats" in [c["id"] for c in fiets["cases"]]
    stage = data["werkplekken"][-1]
    assert "taken" in stage["onbeantwoord"]


def test_match_spoor_per_example_werkplek(runner):
    data = json.loads(run(runner, "match", "--werk", str(EXAMPLE), "--format", "json").stdout)
    assert [w["sporen"][0]["nummer"] for w in data["werkplekken"]] == [1, 3, 4, 2, 6, 5, 7]


def test_match_top_limits_sporen_but_keeps_ties(runner, tmp_path):
    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", "json", "--top", "1")
    assert all(len(w["sporen"]) == 1 for w in json.loads(result.stdout)["werkplekken"])
    tie = write(tmp_path, "naam: A\ntaken: eenvoudig\n")
    data = json.loads(run(runner, "match", "--werk", str(tie), "--format", "json", "--top", "1").stdout)
    assert [s["nummer"] for s in data["werkplekken"][0]["sporen"]] == [1, 3, 4]
    assert all(s["gelijk"] for s in data["werkplekken"][0]["sporen"])


@pytest.mark.parametrize("formaat", ["table", "yaml", "csv", "markdown"])
def test_match_other_formats(runner, formaat):
    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", formaat)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Fietsenwerkplaats" in out
    if formaat == "yaml":
        assert yaml.safe_load(out)["werkplekken"][0]["sporen"][0]["nummer"] == 1
    if formaat == "csv":
        lines = out.strip().splitlines()
        assert lines[0].startswith("naam,spoor,spoor_naam,score")
        assert len(lines) == 8
        assert lines[1].startswith("Fietsenwerkplaats,1,Fit voor werk,")
    if formaat == "markdown":
        assert out.startswith("# Spoorwijzer-advies")
        assert "## Fietsenwerkplaats" in out
    if formaat == "table":
        assert "Overzicht" in out and "Waarom 1. Fit voor werk" in out


def test_match_reads_csv(runner, tmp_path):
    path = write(tmp_path, "naam;taken;doel;doelgroep\nKringloop;eenvoudig;zorg;wmo\n", "werk.csv")
    data = json.loads(run(runner, "match", "--werk", str(path), "--format", "json").stdout)
    assert data["werkplekken"][0]["sporen"][0]["nummer"] == 6


def test_uitvoer_writes_the_whole_file(runner, tmp_path):
    target = tmp_path / "advies.json"
    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", "json", "--uitvoer", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))["werkplekken"]) == 7
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_uitvoer_leaves_an_existing_file_untouched_on_bad_input(runner, tmp_path):
    target = write(tmp_path, "oud en waardevol\n", "advies.json")
    bad = write(tmp_path, "naam: A\ntaken: moeilijk\n")
    result = run(runner, "match", "--werk", str(bad), "--format", "json", "--uitvoer", str(target))
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "oud en waardevol\n"


def test_uitvoer_never_overwrites_the_input(runner, tmp_path):
    werk = write(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    before = werk.read_text(encoding="utf-8")
    result = run(runner, "match", "--werk", str(werk), "--format", "json", "--uitvoer", str(werk))
    assert result.exit_code == 2
    assert "invoerbestand" in result.stderr
    assert werk.read_text(encoding="utf-8") == before


def test_uitvoer_table_in_a_file_is_markdown(runner, tmp_path):
    target = tmp_path / "advies.md"
    assert run(runner, "match", "--werk", str(EXAMPLE), "--uitvoer", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Spoorwijzer-advies")


# -- bad input: exit 2, Dutch, no traceback --------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["match"], "--werk"),
        (["match", "--werk", "bestaat-niet.yaml"], "bestaat niet"),
        (["match", "--werk", "{example}", "--format", "xml"], "table, json, yaml, csv, markdown"),
        (["match", "--werk", "{example}", "--top", "nul"], "heel getal"),
        (["match", "--wrek", "x"], "Bedoelt u '--werk'?"),
        (["mtach"], "Bedoelt u 'match'?"),
        (["cases", "--spoor", "9"], "1 = Fit voor werk"),
        (["sporen", "8"], "veld 'NUMMER'"),
        (["cases", "bestaat-niet"], "geen case"),
        (["partners", "--doelgroep", "statushouderz"], "Bedoelt u 'statushouder"),
        (["instrumenten", "--spoor", "x"], "is geen spoor"),
        (["stappenplan", "--vanuit", "werkgever"], "werk, doelgroep"),
        (["advies", "--vanuit", "iets"], "werk, doelgroep"),
        (["advies", "--takken", "eenvoudig"], "Bedoelt u 'taken'?"),
        (["advies", "--taken", "moeilijk"], "eenvoudig, complex, gemengd"),
        (["advies", "--antwoord", "taken"], "veld=waarde"),
    ],
)
def test_bad_usage_exits_2_with_a_dutch_message(runner, args, expected):
    args = [str(EXAMPLE) if a == "{example}" else a for a in args]
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_bad_werkplek_file_lists_every_problem(runner, tmp_path):
    bad = write(tmp_path, "werkplekken:\n  - naam: A\n    takken: eenvoudig\n  - naam: B\n    doel: spelen\n")
    result = run(runner, "match", "--werk", str(bad))
    assert result.exit_code == 2
    assert "2 problemen" in result.stderr
    assert f"werkplek 'A' (regel 2):\n    - {bad}:3, veld 'takken'" in result.stderr
    assert f"werkplek 'B' (regel 4):\n    - {bad}:5, veld 'doel'" in result.stderr
    assert result.stdout == ""


def test_an_internal_error_says_it_is_a_bug_and_exits_1(runner, monkeypatch):
    from spoorwijzer import engine

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(engine.Regels, "advise", broken)
    monkeypatch.delenv("SPOORWIJZER_DEBUG", raising=False)
    result = runner.invoke(app, ["match", "--werk", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 1
    assert "interne fout" in result.stderr and "Traceback" not in result.output


# -- browse commands ---------------------------------------------------------------------------
def test_cases_list_filter_search_and_one_case(runner):
    all_cases = run(runner, "cases")
    assert all_cases.exit_code == 0 and "stilema-dagbesteding" in all_cases.output
    spoor3 = run(runner, "cases", "--spoor", "3").output
    assert "dar-werkcluster-groen" in spoor3 and "stilema-dagbesteding" not in spoor3
    assert "metalis-afvalbakken" in run(runner, "cases", "--zoek", "afvalbakken").output
    assert "Geen praktijkvoorbeelden" in run(runner, "cases", "--zoek", "xyzzy").output
    one = run(runner, "cases", "stilema-dagbesteding")
    assert one.exit_code == 0
    for label in ("Doelgroep", "Succesfactoren", "Aandachtspunten", "Waardecreatie", "Website", "Bron"):
        assert label in one.output
    assert "Stilema" in run(runner, "cases", "stilema").output  # a unique part of the id is enough


def test_sporen_overview_and_detail(runner):
    overview = run(runner, "sporen").output
    assert "Fit voor werk" in overview and "Onderwijsparticipatie" in overview
    detail = run(runner, "sporen", "5").output
    for label in ("Doel", "Type activiteit", "dienstverband", "Instroom", "Voorbeelden van werk", "Begeleiding"):
        assert label in detail
    assert "begraafplaatsen" in detail


def test_partners_and_instrumenten_filters(runner):
    reclassering = run(runner, "partners", "--spoor", "1", "--doelgroep", "reclassering").output
    assert "Reclassering" in reclassering
    assert "Zorginstelling" not in reclassering
    assert "Zorginstelling" in run(runner, "partners", "--spoor", "6").output
    instrumenten = run(runner, "instrumenten", "--spoor", "4", "--doelgroep", "wajong").output
    assert "Loondispensatie" in instrumenten
    assert "oudere werknemer" not in run(runner, "instrumenten").output
    assert "Vervallen per" in run(runner, "instrumenten", "--vervallen").output


def test_stappenplan_both_starting_points(runner):
    werk = run(runner, "stappenplan").output
    doelgroep = run(runner, "stappenplan", "--vanuit", "doelgroep").output
    assert werk.index("eenvoudige of complexe") < werk.index("doelgroep is de plek")
    assert doelgroep.index("doelgroep is de plek") < doelgroep.index("eenvoudige of complexe")
    assert "Instroom en matchen" in werk and "financiën" in doelgroep
    # The stappenplan's own lines, word for word, apart from what the tool adds.
    assert '"Minder relevant > beschut werk, werkervaringsplaats" (spoor 1, 5)' in werk
    assert '"Complex > werkend leren, jobcarving" (spoor 2, 4)' in werk


def test_doelgroepen_lists_the_ids(runner):
    out = run(runner, "doelgroepen").output
    for doelgroep in ("wajong", "statushouder", "mbo-student", "nugger"):
        assert doelgroep in out


# -- advies: the interactive flow with scripted input ------------------------------------------
FULL_INTERVIEW = "\n".join(
    [
        "Fietsenwerkplaats",  # naam
        "3",  # taken: gemengd
        "1",  # groepsverband: groep
        "ja",  # vakvaardigheden (typed as a word)
        "2",  # verantwoordelijkheid: laag
        "?",  # ask for the explanation first
        "minder relevant",  # productiedruk
        "1",  # collegas
        "1",  # begeleiding
        "9",  # an invalid choice is asked again
        "",  # prikkels: weet niet
        "1",  # doel: leren-werken
        "1",  # duur: tijdelijk
        "5,1",  # doelgroep: bijstand, ww
    ]
)


def test_advies_full_interview(runner, tmp_path):
    saved = tmp_path / "plek.yaml"
    result = run(runner, "advies", "--opslaan", str(saved), input=FULL_INTERVIEW + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Stap 1.") < out.index("Stap 2.") < out.index("Stap 3.")
    assert "Kies een nummer van 0 tot en met 2" in out
    assert "vaste hoeveelheid werk" in out  # the help text after '?'
    assert "Waarom 1. Fit voor werk" in out
    assert "Werkgeversservicepunt / Werkcentrum" in out
    assert "Checklist" in out and "Stap 4. Instroom en matchen" in out and "Stap 6." in out
    assert "Niet beantwoord (het veld in een werkplekbestand, en de vraag):" in out
    assert "prikkels: Zijn er veel of weinig prikkels" in out
    record = yaml.safe_load(saved.read_text(encoding="utf-8"))["werkplekken"][0]
    assert record["naam"] == "Fietsenwerkplaats"
    assert record["taken"] == "gemengd" and record["doelgroep"] == ["bijstand", "ww"]
    assert "prikkels" not in record
    again = json.loads(run(runner, "match", "--werk", str(saved), "--format", "json").stdout)
    assert again["werkplekken"][0]["sporen"][0]["nummer"] == 1


def test_advies_skips_questions_given_as_options(runner):
    result = run(
        runner,
        "advies",
        "--naam",
        "Kringloop",
        "--doel",
        "zorg",
        "--antwoord",
        "doelgroep=wmo",
        "--taken=eenvoudig",
        input="\n" * 20,
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Wat is het doel" not in out and "eenvoudige of complexe taken" not in out
    assert "Voor welke doelgroep" not in out
    assert "groepsverband of individueel" in out
    assert "Waarom 6." in result.stdout


def test_advies_vanuit_doelgroep_asks_doelgroep_first(runner):
    result = run(runner, "advies", "--vanuit", "doelgroep", "--naam", "X", input="\n" * 20)
    assert result.exit_code == 0
    out = result.stdout
    assert (
        out.index("Voor welke doelgroep")
        < out.index("Wat is het doel")
        < out.index("eenvoudige of complexe taken")
        < out.index("gewerkt met collega's")
    )
    assert "collegas>" not in out and "doel>" not in out, "prompts show no question ids"
    assert "Stappenplan vanuit de doelgroep" in out


def test_advies_interrupted_by_end_of_input_keeps_the_answers(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the recovery file goes to the current directory
    result = run(runner, "advies", "--naam", "Halverwege", input="1\n1\n")
    assert result.exit_code == 130
    snippet = result.stderr[result.stderr.index("# Antwoorden tot nu toe") :]
    record = yaml.safe_load(snippet)["werkplekken"][0]
    assert record == {"naam": "Halverwege", "taken": "eenvoudig", "groepsverband": "groep"}


def test_match_accepts_the_file_as_argument_too(runner):
    result = run(runner, "match", str(EXAMPLE), "--format", "csv")
    assert result.exit_code == 0 and "Fietsenwerkplaats" in result.stdout
    twice = run(runner, "match", str(EXAMPLE), "--werk", str(EXAMPLE))
    assert twice.exit_code == 2 and "één keer" in twice.stderr


def test_advies_never_overwrites_an_existing_file_unasked(runner, tmp_path):
    existing = write(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    before = existing.read_text(encoding="utf-8")
    result = run(runner, "advies", "--opslaan", str(existing), input=FULL_INTERVIEW + "\n")
    assert result.exit_code == 2
    assert "bestaat al" in result.stderr and "--overschrijven" in result.stderr
    assert "eenvoudige of complexe taken" not in result.stdout, "refused before asking any question"
    assert existing.read_text(encoding="utf-8") == before
    again = run(runner, "advies", "--opslaan", str(existing), "--overschrijven", input=FULL_INTERVIEW + "\n")
    assert again.exit_code == 0
    assert yaml.safe_load(existing.read_text(encoding="utf-8"))["werkplekken"][0]["naam"] == "Fietsenwerkplaats"


def test_advies_saves_csv_when_asked_for_csv(runner, tmp_path):
    saved = tmp_path / "plek.csv"
    assert run(runner, "advies", "--opslaan", str(saved), input=FULL_INTERVIEW + "\n").exit_code == 0
    assert saved.read_text(encoding="utf-8").startswith("naam;omschrijving;taken;")
    data = json.loads(run(runner, "match", "--werk", str(saved), "--format", "json").stdout)
    werkplek = data["werkplekken"][0]
    assert werkplek["antwoorden"]["doelgroep"] == ["bijstand", "ww"]
    assert werkplek["sporen"][0]["nummer"] == 1
    assert "prikkels" in werkplek["onbeantwoord"]


def test_match_kort_shows_only_the_overview(runner):
    result = run(runner, "match", "--werk", str(EXAMPLE), "--kort")
    assert result.exit_code == 0
    assert "Overzicht" in result.stdout and "Fietsenwerkplaats" in result.stdout
    assert "Waarom" not in result.stdout


@pytest.mark.parametrize("command", ["match", "portfolio", "cases", "sporen"])
def test_help_shows_dutch_argument_names_without_python_types(runner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "<path>" not in result.output and "<str>" not in result.output
