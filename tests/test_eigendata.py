"""An organisation's own data (--data / SPOORWIJZER_DATA) and `spoorwijzer valideer`."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import REPO
from spoorwijzer.cli import _hoist_data_option, app
from spoorwijzer.eigendata import Rapport, load_own, read_dir
from spoorwijzer.errors import Problem, UserError
from spoorwijzer.kennisbank import default_data_dir

VOORBEELD = REPO / "voorbeelden" / "eigen-data"
WERK = str(REPO / "voorbeelden" / "werkplekken.yaml")

PARTNER = """\
partners:
  - id: wsp-oost
    naam: Werkcentrum Oost
    omschrijving: Het regionale Werkcentrum.
    doelgroepen: alle
    sporen:
      - {spoor: 1, rol: instroom}
    bron: eigen gegevens
"""
CASE = """\
id: mijn-case
titel: Een eigen case
spoor: 3
organisatie: Wij
beschrijving: Groenwerk in een vaste ploeg.
doel: Werk bieden.
doelgroep: [mensen uit de bijstand]
type_werk: [groen]
aantal_mensen: "6"
samenwerkingspartners: [Werkcentrum Oost]
succesfactoren: [een vaste voorman]
aandachtspunten: [goede afspraken]
waardecreatie: Een schone wijk.
website: https://example.org
kenmerken:
  taken: eenvoudig
  doelgroep: [bijstand]
bron: eigen verslag
"""


def make_dir(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return base


def valideer(runner, folder: Path):
    return runner.invoke(app, ["valideer", str(folder)])


# -- valideer: clean data -------------------------------------------------------------------------------
def test_valideer_passes_the_shipped_data(runner):
    result = runner.invoke(app, ["valideer"])
    assert result.exit_code == 0, result.output
    assert "Gecontroleerd: de kennisbank van spoorwijzer" in result.stdout
    assert "7 sporen, 11 vragen" in result.stdout
    assert "Geen problemen" in result.stdout


def test_valideer_passes_the_example_own_data_and_says_what_it_checked(runner):
    result = valideer(runner, VOORBEELD)
    assert result.exit_code == 0, result.output
    assert "aanvulling op de kennisbank van spoorwijzer" in result.stdout
    assert "2 partners, 1 instrument, 1 case" in result.stdout
    assert "Geen problemen" in result.stdout


def test_valideer_with_the_global_data_option_checks_shipped_and_own(runner):
    result = runner.invoke(app, ["--data", str(VOORBEELD), "valideer"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Gecontroleerd:") == 2


def test_valideer_recognises_a_whole_kennisbank(runner, tmp_path):
    shutil.copytree(default_data_dir(), tmp_path / "data")
    result = valideer(runner, tmp_path / "data")
    assert result.exit_code == 0, result.output
    assert "volledige kennisbank" in result.stdout


# -- valideer: every class of problem, with file:line --------------------------------------------------------
def test_unknown_spoor_in_a_case(runner, tmp_path):
    folder = make_dir(tmp_path, {"cases/mijn-case.yaml": CASE.replace("spoor: 3", "spoor: 9")})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert f"{folder / 'cases' / 'mijn-case.yaml'}:3, case 'mijn-case': Onbekend spoor 9." in result.stderr


def test_unknown_doelgroep_and_nodig_voor_of_a_partner(runner, tmp_path):
    text = PARTNER.replace("doelgroepen: alle", "doelgroepen: [bijstnd]") + "    nodig_voor: [geld]\n"
    folder = make_dir(tmp_path, {"partners.yaml": text})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert f"{folder / 'partners.yaml'}:5, partner 'wsp-oost': Onbekende doelgroep 'bijstnd'." in result.stderr
    assert f"{folder / 'partners.yaml'}:9, partner 'wsp-oost': Onbekend 'nodig_voor' 'geld'." in result.stderr


def test_a_case_kenmerk_that_is_no_question_or_no_answer(runner, tmp_path):
    text = CASE.replace("  taken: eenvoudig\n", "  taken: makkelijk\n  werkdruk: hoog\n")
    folder = make_dir(tmp_path, {"cases/mijn-case.yaml": text})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    name = folder / "cases" / "mijn-case.yaml"
    assert f"{name}:16, case 'mijn-case': 'makkelijk' is geen antwoord op 'taken'." in result.stderr
    assert f"{name}:17, case 'mijn-case': Kenmerk 'werkdruk' is geen vraag." in result.stderr


def test_a_rule_naming_an_unknown_question_or_answer(runner, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    vragen = folder / "vragen.yaml"
    text = vragen.read_text(encoding="utf-8")
    text = text.replace("als: {begeleiding: nee}", "als: {begeleding: nee}", 1)
    text = text.replace("als: {prikkels: veel}", "als: {prikkels: heel-veel}", 1)
    vragen.write_text(text, encoding="utf-8")
    line_of = {needle: text[: text.index(needle)].count("\n") + 1 for needle in ("begeleding", "heel-veel")}
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert (
        f"{vragen}:{line_of['begeleding']}, waarschuwing 'begeleiding-ontbreekt': Onbekende vraag 'begeleding'."
        in result.stderr
    )
    assert (
        f"{vragen}:{line_of['heel-veel']}, waarschuwing 'beschermd-met-veel-prikkels': "
        "'heel-veel' is geen antwoord op 'prikkels'." in result.stderr
    )


def test_duplicate_id_across_files(runner, tmp_path):
    folder = make_dir(tmp_path, {"cases/mijn-case.yaml": CASE, "cases/kopie.yaml": CASE})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    kopie, eerste = folder / "cases" / "kopie.yaml", folder / "cases" / "mijn-case.yaml"
    assert f"{kopie}:1, case 'mijn-case', veld 'id': De id 'mijn-case' hoort gelijk te zijn aan de bestandsnaam" in (
        result.stderr
    )
    assert f"{eerste}:1, case 'mijn-case', veld 'id': De id 'mijn-case' komt twee keer voor (ook in {kopie}:1)" in (
        result.stderr
    )


def test_duplicate_id_in_one_file(runner, tmp_path):
    text = PARTNER + PARTNER.replace("partners:\n", "")
    folder = make_dir(tmp_path, {"partners.yaml": text})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert "partners.yaml:9, partner 'wsp-oost', veld 'id': De id 'wsp-oost' komt twee keer voor" in result.stderr


def test_missing_bron_wrong_type_and_unknown_key(runner, tmp_path):
    text = PARTNER.replace("    bron: eigen gegevens\n", "").replace("{spoor: 1,", "{spoor: een,")
    text += "    contact: {emial: info@example.org}\n"
    folder = make_dir(tmp_path, {"partners.yaml": text})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    name = folder / "partners.yaml"
    assert f"{name}:2, partner 'wsp-oost', veld 'bron': Het verplichte veld 'bron' ontbreekt" in result.stderr
    assert (
        f"{name}:7, partner 'wsp-oost', veld 'spoor': Hier hoort een heel getal, maar er staat de tekst 'een'."
        in result.stderr
    )
    assert f"{name}:8, partner 'wsp-oost', veld 'emial': Onbekend veld 'emial'. Bedoelt u 'email'?" in result.stderr


def test_problems_are_grouped_per_file_and_all_reported(runner, tmp_path):
    folder = make_dir(
        tmp_path,
        {
            "partners.yaml": PARTNER.replace("bron: eigen gegevens", "bron: ''"),
            "cases/mijn-case.yaml": CASE.replace("spoor: 3", "spoor: 0").replace("titel:", "tietel:"),
        },
    )
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert result.stderr.startswith("spoorwijzer: 4 problemen gevonden:")
    assert f"{folder / 'partners.yaml'} (1):" in result.stderr
    assert f"{folder / 'cases' / 'mijn-case.yaml'} (3):" in result.stderr
    assert "Bedoelt u 'titel'?" in result.stderr


def test_yaml_errors_and_unread_files(runner, tmp_path):
    folder = make_dir(tmp_path, {"partner.yaml": PARTNER, "instrumenten.yaml": "instrumenten: [\n"})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert "partner.yaml: Dit bestand wordt niet gelezen. Bedoelt u 'partners.yaml'?" in result.stderr
    assert f"{folder / 'instrumenten.yaml'}:2:1: Dit is geen geldige YAML" in result.stderr


def test_an_overlay_cannot_replace_the_wegwijzer_files(runner, tmp_path):
    folder = make_dir(tmp_path, {"doelgroepen.yaml": "doelgroepen: []\n", "partners.yaml": PARTNER})
    result = valideer(runner, folder)
    assert result.exit_code == 2
    assert "doelgroepen.yaml: Dit bestand wordt niet gelezen: sporen, vragen" in result.stderr


def test_an_empty_folder_has_no_own_data(runner, tmp_path):
    result = valideer(runner, tmp_path)
    assert result.exit_code == 2
    assert "Deze map bevat geen eigen data." in result.stderr


def test_valideer_of_a_missing_folder(runner, tmp_path):
    result = valideer(runner, tmp_path / "nergens")
    assert result.exit_code == 2
    assert "veld 'MAP': De map" in result.stderr and "bestaat niet" in result.stderr


def test_problems_only_in_the_shipped_data_are_a_bug():
    shipped = Problem("kapot", file=str(default_data_dir() / "sporen.yaml"), line=3)
    own = Problem("kapot", file="eigen/partners.yaml", line=3)
    assert Rapport([], [shipped]).in_shipped
    assert not Rapport([], [shipped, own]).in_shipped
    assert not Rapport([], []).in_shipped


# -- --data: the overlay in every command ------------------------------------------------------------------------
def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["--data", str(VOORBEELD), "match", WERK, "--format", "json"],
        ["match", WERK, "--format", "json", "--data", str(VOORBEELD)],
        ["match", WERK, "--format", "json", f"--data={VOORBEELD}"],
    ],
)
def test_own_data_replaces_and_adds_items_and_says_where_they_come_from(runner, args):
    data = _json(runner.invoke(app, args))
    by_name = {w["naam"]: w for w in data["werkplekken"]}
    wsp = next(p for p in by_name["Fietsenwerkplaats"]["partners"] if p["id"] == "wsp")
    assert wsp["naam"] == "Werkcentrum Regio Voorbeeld"
    assert wsp["herkomst"] == f"eigen data ({VOORBEELD})"
    assert wsp["contact"]["website"] == "https://werkcentrum.example.org"
    ids = {i["id"] for w in data["werkplekken"] for i in w["instrumenten"]}
    assert "eigen-opleidingsbudget" in ids
    dagbesteding = next(w for w in data["werkplekken"] if w["advies_sporen"] == [6])
    case_herkomst = {c["id"]: c["herkomst"] for c in dagbesteding["cases"]}
    assert case_herkomst["voorbeeld-milieustraat-sorteren"].startswith("eigen data")
    assert case_herkomst["stilema-dagbesteding"] == "spoorwijzer"


def test_markdown_marks_own_items_and_only_those(runner):
    result = runner.invoke(app, ["--data", str(VOORBEELD), "match", WERK, "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert f"**Werkcentrum Regio Voorbeeld** *(eigen data ({VOORBEELD}))*" in result.stdout
    plain = runner.invoke(app, ["match", WERK, "--format", "markdown"])
    assert "eigen data" not in plain.stdout


def test_the_environment_variable_works_like_the_option(runner):
    result = runner.invoke(app, ["cases", "--spoor", "6"], env={"SPOORWIJZER_DATA": str(VOORBEELD)})
    assert result.exit_code == 0, result.output
    assert "voorbeeld-milieustraat-sorteren" in result.stdout
    assert "eigen data" in result.stdout


def test_without_own_data_every_item_is_from_spoorwijzer(runner):
    data = _json(runner.invoke(app, ["match", WERK, "--format", "json"]))
    for werkplek in data["werkplekken"]:
        for key in ("partners", "instrumenten", "cases"):
            assert {i["herkomst"] for i in werkplek[key]} <= {"spoorwijzer"}
    assert "Werkcentrum Regio Voorbeeld" not in json.dumps(data)


def test_browse_commands_show_own_items_with_their_origin_and_contact(runner):
    result = runner.invoke(app, ["--data", str(VOORBEELD), "partners", "--spoor", "1"])
    assert result.exit_code == 0, result.output
    assert "Werkcentrum Regio Voorbeeld (wsp) – eigen data" in result.stdout
    assert "Contact:" in result.stdout and "werkgevers@werkcentrum.example.org" in result.stdout
    result = runner.invoke(app, ["--data", str(VOORBEELD), "instrumenten", "--spoor", "2"])
    assert "Eigen opleidingsbudget voor leerwerkplekken (eigen-opleidingsbudget) – eigen data" in result.stdout
    result = runner.invoke(app, ["--data", str(VOORBEELD), "cases", "voorbeeld-milieustraat-sorteren"])
    assert result.exit_code == 0 and "eigen data" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "NERGENS", "sporen"], "veld '--data': De map 'NERGENS' bestaat niet."),
        (["sporen", "--data"], "De optie '--data' heeft een map nodig."),
        (["--data", "", "sporen"], "De optie '--data' heeft een map nodig."),
        (["--data", WERK, "sporen"], "is een bestand, geen map."),
    ],
)
def test_a_bad_data_folder_is_a_usage_error(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_whole_kennisbank_is_not_own_data(runner, tmp_path):
    shutil.copytree(default_data_dir(), tmp_path / "data")
    result = runner.invoke(app, ["--data", str(tmp_path / "data"), "sporen"])
    assert result.exit_code == 2
    assert "Deze map is een volledige kennisbank" in result.stderr


def test_broken_own_data_stops_match_with_file_and_line(runner, tmp_path):
    folder = make_dir(tmp_path, {"cases/mijn-case.yaml": CASE.replace("spoor: 3", "spoor: 9")})
    result = runner.invoke(app, ["match", WERK, "--format", "json", "--data", str(folder)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{folder / 'cases' / 'mijn-case.yaml'}:3, case 'mijn-case': Onbekend spoor 9." in result.stderr


# -- core -------------------------------------------------------------------------------------------------------
def test_a_replaced_item_keeps_its_place_and_a_new_one_is_added_at_the_end(kb, tmp_path):
    text = PARTNER + PARTNER.replace("partners:\n", "").replace("wsp-oost", "wsp")
    merged = load_own(make_dir(tmp_path, {"partners.yaml": text}))
    ids = [p["id"] for p in merged.partners]
    assert ids == [p["id"] for p in kb.partners] + ["wsp-oost"]
    assert merged.partners[ids.index("wsp")]["naam"] == "Werkcentrum Oost"
    assert "herkomst" not in kb.partners[0]  # the shipped kennisbank is left as it was


def test_load_own_collects_every_problem(tmp_path):
    folder = make_dir(tmp_path, {"partners.yaml": PARTNER.replace("naam:", "nam:").replace("{spoor: 1", "{spoor: 8")})
    with pytest.raises(UserError) as caught:
        load_own(folder)
    messages = [p.render() for p in caught.value.problems]
    assert any("Onbekend veld 'nam'. Bedoelt u 'naam'?" in m for m in messages)
    assert any("Het verplichte veld 'naam' ontbreekt" in m for m in messages)


def test_reading_a_clean_file_composes_no_line_index():
    data_set = read_dir(VOORBEELD, volledig=False)
    assert data_set.problems == []
    assert all(b._lines is None for b in data_set.bestanden)


def test_data_option_is_moved_before_the_command():
    assert _hoist_data_option(["match", "w.yaml", "--data", "d"]) == ["--data", "d", "match", "w.yaml"]
    assert _hoist_data_option(["advies", "--", "--data"]) == ["advies", "--", "--data"]
