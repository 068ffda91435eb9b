"""The portfolio: aggregation over werkplekken (core) and the `portfolio` command in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from conftest import PEILDATUM, REPO
from spoorwijzer.cli import app
from spoorwijzer.engine import Advies, Regels
from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.portfolio import Portfolio, build_portfolio, score_levels
from spoorwijzer.portfolio_output import portfolio_to_dict, to_markdown
from spoorwijzer.werkplek import Vocabulary, read_werkplekken

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"
EXAMPLE_FIRST = [1, 3, 4, 2, 6, 5, 7]  # one werkplek per spoor, in file order


def run(runner, *args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def example_adviezen(regels: Regels, vocab: Vocabulary) -> list[Advies]:
    result = read_werkplekken(EXAMPLE, vocab)
    assert not result.problems
    return [regels.advise(w.naam, w.antwoorden, PEILDATUM, w.omschrijving) for w in result.werkplekken]


def crafted(regels: Regels, **werkplekken: dict) -> list[Advies]:
    return [regels.advise(naam, antwoorden, PEILDATUM) for naam, antwoorden in werkplekken.items()]


def telling(portfolio: Portfolio, nummer: int):
    return next(t for t in portfolio.sporen if t.spoor.nummer == nummer)


# -- the core --------------------------------------------------------------------------------------------
def test_example_has_one_werkplek_per_spoor_and_no_gaps(regels, vocab, kb):
    adviezen = example_adviezen(regels, vocab)
    portfolio = build_portfolio(adviezen, kb)
    assert portfolio.aantal == 7
    assert [[s.nummer for s in w.eerste] for w in portfolio.werkplekken] == [[n] for n in EXAMPLE_FIRST]
    assert [len(t.eerste) for t in portfolio.sporen] == [1] * 7
    assert portfolio.gaten == []
    assert portfolio.zonder_advies == []
    assert portfolio.gedeeld == []
    # The runner-up is the second spoor of each advice.
    for advies, kort in zip(adviezen, portfolio.werkplekken, strict=True):
        tweede = [advies.sporen[1].spoor.nummer] if len(advies.sporen) > 1 else []
        assert [s.nummer for s in kort.tweede] == tweede
    assert sum(len(t.tweede) for t in portfolio.sporen) == sum(1 for a in adviezen if len(a.sporen) > 1)


def test_partners_and_instrumenten_are_counted_over_werkplekken(regels, vocab, kb):
    adviezen = example_adviezen(regels, vocab)
    portfolio = build_portfolio(adviezen, kb)
    for partner in portfolio.partners:
        expected = [a.naam for a in adviezen if any(p["id"] == partner.id for p in a.partners)]
        assert partner.werkplekken == expected
        assert partner.aantal == len(expected)
    for instrument in portfolio.instrumenten:
        expected = [a.naam for a in adviezen if any(i["id"] == instrument.id for i in a.instrumenten)]
        assert instrument.werkplekken == expected
    aantallen = [p.aantal for p in portfolio.partners]
    assert aantallen == sorted(aantallen, reverse=True)
    assert {p.id for p in portfolio.partners} == {p["id"] for a in adviezen for p in a.partners}
    assert {i.id for i in portfolio.instrumenten} == {i["id"] for a in adviezen for i in a.instrumenten}


def test_gaps_name_the_example_work_and_the_runner_up(regels, kb):
    adviezen = crafted(
        regels,
        Zorgplek={"doel": "zorg"},  # only spoor 6
        Veegploeg={"taken": "eenvoudig"},  # 1, 3 and 4 tie at the top; 2 follows
    )
    portfolio = build_portfolio(adviezen, kb)
    assert [g.spoor.nummer for g in portfolio.gaten] == [2, 5, 7]
    werkend_leren = portfolio.gaten[0]
    assert werkend_leren.tweede_bij == ["Veegploeg"]
    assert werkend_leren.voorbeelden_werk == kb.spoor(2).raw["voorbeelden_werk"]
    assert werkend_leren.voorbeelden_werk  # the wegwijzer gives example work for every spoor
    assert all(g.voorbeelden_werk for g in portfolio.gaten)
    assert [c["id"] for c in portfolio.gaten[1].cases] == [c["id"] for c in kb.cases if c.get("spoor") == 5]


def test_a_tie_counts_for_every_tied_spoor_and_is_shown(regels, kb):
    adviezen = crafted(regels, Veegploeg={"taken": "eenvoudig"}, Zorgplek={"doel": "zorg"})
    portfolio = build_portfolio(adviezen, kb)
    veeg = portfolio.werkplekken[0]
    assert [s.nummer for s in veeg.eerste] == [1, 3, 4]
    assert veeg.gelijk
    assert [s.nummer for s in veeg.tweede] == [2]  # the next lower score, not another tied spoor
    for nummer in (1, 3, 4):
        assert telling(portfolio, nummer).eerste == ["Veegploeg"]
        assert telling(portfolio, nummer).gedeeld == ["Veegploeg"]
    assert telling(portfolio, 6).gedeeld == []
    assert portfolio.gedeeld == ["Veegploeg"]
    # First-choice counts add up to more than the number of werkplekken: that is the documented tie rule.
    assert sum(len(t.eerste) for t in portfolio.sporen) == 4
    assert "gedeeld" in to_markdown(portfolio)


def test_werkplek_without_any_fitting_spoor(regels, kb):
    adviezen = crafted(regels, Leeg={}, Zorgplek={"doel": "zorg"})
    portfolio = build_portfolio(adviezen, kb)
    assert portfolio.zonder_advies == ["Leeg"]
    assert portfolio.werkplekken[0].eerste == [] and portfolio.werkplekken[0].eerste_score is None
    assert len(portfolio.gaten) == 6


def test_warnings_are_aggregated_with_their_werkplekken(regels, kb):
    adviezen = crafted(regels, A={"taken": "eenvoudig"}, B={"doel": "zorg"}, C={"doel": "zorg", "taken": "complex"})
    portfolio = build_portfolio(adviezen, kb)
    by_text = {t.naam: t.werkplekken for t in portfolio.waarschuwingen}
    voorlopig = "Voorlopig advies: 10 van de 11 vragen zijn niet beantwoord."
    assert by_text[voorlopig] == ["A", "B"]
    assert any(text.startswith("Gelijke score voor") and names == ["A"] for text, names in by_text.items())
    every = {(w, a.naam) for a in adviezen for w in a.waarschuwingen}
    assert every == {(t.naam, n) for t in portfolio.waarschuwingen for n in t.werkplekken}
    onbeantwoord = {t.id: t.werkplekken for t in portfolio.onbeantwoord}
    assert onbeantwoord["taken"] == ["B"]


def test_score_levels_keep_ties_together(regels):
    advies = regels.advise("x", {"taken": "eenvoudig"}, PEILDATUM)
    eerste, tweede = score_levels(advies.sporen)
    assert [s.spoor.nummer for s in eerste] == [1, 3, 4]
    assert [s.spoor.nummer for s in tweede] == [2]
    assert score_levels([]) == ([], [])
    only = regels.advise("x", {"doel": "zorg"}, PEILDATUM)
    assert score_levels(only.sporen)[1] == []


def test_empty_portfolio_is_all_gaps(kb: Kennisbank):
    portfolio = build_portfolio([], kb)
    assert portfolio.aantal == 0 and len(portfolio.gaten) == len(kb.sporen)
    assert portfolio_to_dict(portfolio)["aantal_werkplekken"] == 0


# -- the command --------------------------------------------------------------------------------------
def test_portfolio_json_shape(runner):
    result = run(runner, "portfolio", "--werk", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "aantal_werkplekken",
        "sporen",
        "gaten",
        "zonder_advies",
        "gelijkspel",
        "partners",
        "instrumenten",
        "waarschuwingen",
        "let_op",
        "onbeantwoord",
        "werkplekken",
    ]
    assert data["aantal_werkplekken"] == 7
    assert [s["nummer"] for s in data["sporen"]] == [1, 2, 3, 4, 5, 6, 7]
    assert all(s["eerste_keus"] == 1 and len(s["werkplekken_eerste_keus"]) == 1 for s in data["sporen"])
    assert [w["eerste_keus"] for w in data["werkplekken"]] == [[n] for n in EXAMPLE_FIRST]
    assert data["gaten"] == [] and data["gelijkspel"] == []
    partner = data["partners"][0]
    assert set(partner) >= {"id", "naam", "aantal", "sporen", "werkplekken"}
    assert partner["aantal"] == len(partner["werkplekken"])
    assert set(data["instrumenten"][0]) >= {"id", "naam", "aantal", "werkplekken", "peildatum"}
    assert all(set(w) == {"tekst", "aantal", "werkplekken"} for w in data["waarschuwingen"])


def test_portfolio_json_with_gaps(runner, tmp_path: Path):
    werk = tmp_path / "werk.yaml"
    werk.write_text("werkplekken:\n  - naam: Zorg\n    doel: zorg\n  - naam: Veeg\n    taken: eenvoudig\n", "utf-8")
    data = json.loads(run(runner, "portfolio", str(werk), "-f", "json").stdout)
    assert [g["nummer"] for g in data["gaten"]] == [2, 5, 7]
    assert data["gaten"][0]["tweede_keus_bij"] == ["Veeg"]
    assert data["gaten"][0]["voorbeelden_werk"]
    assert data["gelijkspel"] == ["Veeg"]
    spoor1 = data["sporen"][0]
    assert spoor1["eerste_keus"] == 1 and spoor1["gedeeld"] == 1 and spoor1["werkplekken_gedeeld"] == ["Veeg"]


def test_portfolio_table_yaml_csv_markdown(runner):
    table = run(runner, "portfolio", str(EXAMPLE))
    assert table.exit_code == 0
    assert "Portfolio: 7 werkplekken" in table.stdout
    assert "█" in table.stdout and "Onderwijsparticipatie" in table.stdout
    assert "Sociale partners" in table.stdout

    data = yaml.safe_load(run(runner, "portfolio", str(EXAMPLE), "-f", "yaml").stdout)
    assert data["aantal_werkplekken"] == 7

    rows = list(csv.DictReader(io.StringIO(run(runner, "portfolio", str(EXAMPLE), "-f", "csv").stdout)))
    assert [r["spoor"] for r in rows] == [str(n) for n in range(1, 8)]
    assert all(r["eerste_keus"] == "1" and r["gat"] == "nee" for r in rows)

    markdown = run(runner, "portfolio", str(EXAMPLE), "-f", "markdown").stdout
    assert markdown.startswith("# Portfolio: 7 werkplekken")
    assert "## Sociale partners" in markdown and "## Per werkplek" in markdown
    assert "| 1. Fit voor werk | 1 | 1 | Fietsenwerkplaats |" in markdown


def test_portfolio_table_shows_gaps_and_ties(runner, tmp_path: Path):
    werk = tmp_path / "werk.yaml"
    werk.write_text("werkplekken:\n  - naam: Zorg\n    doel: zorg\n  - naam: Veeg\n    taken: eenvoudig\n", "utf-8")
    out = run(runner, "portfolio", str(werk)).stdout
    assert "geen: gat" in out
    assert "Sporen zonder werkplek" in out
    assert "Tweede keus bij: Veeg" in out
    assert "(1=)" in out and "gedeeld" in out


def test_portfolio_uitvoer_is_written_and_table_becomes_markdown(runner, tmp_path: Path):
    target = tmp_path / "portfolio.md"
    result = run(runner, "portfolio", "--werk", str(EXAMPLE), "--uitvoer", str(target))
    assert result.exit_code == 0
    assert target.read_text("utf-8").startswith("# Portfolio:")
    assert run(runner, "portfolio", "--werk", str(EXAMPLE), "--uitvoer", str(EXAMPLE)).exit_code == 2


def test_portfolio_keeps_an_existing_file_on_bad_input(runner, tmp_path: Path):
    target = tmp_path / "portfolio.json"
    target.write_text("oud", "utf-8")
    bad = tmp_path / "werk.yaml"
    bad.write_text("werkplekken:\n  - naam: A\n    takken: eenvoudig\n", "utf-8")
    result = run(runner, "portfolio", str(bad), "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    assert "Bedoelt u 'taken'?" in result.stderr
    assert target.read_text("utf-8") == "oud"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["portfolio"], "--werk"),
        (["portfolio", str(EXAMPLE), "--format", "pdf"], "table, json, yaml, csv, markdown, html"),
        (["portfolio", str(EXAMPLE), "--werk", str(EXAMPLE)], "één keer"),
    ],
)
def test_portfolio_bad_usage(runner, args, expected):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert expected in result.stderr


def test_portfolio_help_is_dutch_with_an_example(runner):
    result = run(runner, "portfolio", "--help")
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output and "Toon deze hulp" in result.output
    assert "portfolio" in run(runner, "--help").output


def test_portfolio_skips_bad_werkplekken_when_asked_and_still_exits_2(runner, tmp_path: Path):
    werk = tmp_path / "werk.yaml"
    werk.write_text("werkplekken:\n- naam: A\n  taken: eenvoudig\n- naam: B\n  takken: complex\n", encoding="utf-8")
    refused = runner.invoke(app, ["portfolio", str(werk), "-f", "json"])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "Bedoelt u 'taken'" in refused.stderr
    skipped = runner.invoke(app, ["portfolio", str(werk), "-f", "json", "--sla-fouten-over"])
    assert skipped.exit_code == 2
    assert json.loads(skipped.stdout)["aantal_werkplekken"] == 1
    assert "1 werkplek overgeslagen" in skipped.stderr and "werkplek 'B'" in skipped.stderr


def test_portfolio_reads_json_lines_and_refuses_jsonl_output(runner, tmp_path: Path):
    werk = tmp_path / "werk.jsonl"
    werk.write_text('{"naam": "A", "taken": "eenvoudig"}\n{"naam": "B", "doel": "zorg"}\n', encoding="utf-8")
    result = runner.invoke(app, ["portfolio", str(werk), "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["aantal_werkplekken"] == 2
    refused = runner.invoke(app, ["portfolio", str(werk), "-f", "jsonl"])
    assert refused.exit_code == 2 and "Toegestaan: table, json, yaml, csv, markdown, html" in refused.stderr
