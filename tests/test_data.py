"""The shipped knowledge base: complete, consistent, sourced, and free of personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from spoorwijzer.kennisbank import default_data_dir, load_kennisbank
from spoorwijzer.validate import check_kennisbank

SEVEN = {
    1: ("fit-voor-werk", "Fit voor werk"),
    2: ("werkend-leren", "Werkend leren"),
    3: ("werkcluster-voor-doelgroep", "Werkcluster voor doelgroep"),
    4: ("reguliere-baan", "Reguliere baan (jobcarving)"),
    5: ("beschut-werk", "Beschut werk"),
    6: ("dagbesteding", "(Arbeidsmatige) dagbesteding"),
    7: ("onderwijsparticipatie", "Onderwijsparticipatie"),
}
SPEC_DOELGROEPEN = {
    "ww", "wao", "wia", "wajong", "bijstand", "zw", "wsw", "statushouder", "wmo", "wlz",
    "reclassering", "ggz", "praktijkschool", "mbo-student", "banenafspraak", "nugger",
}  # fmt: skip
SPORENTABEL_COLUMNS = (
    "doel",
    "type_werkplek",
    "dienstverband",
    "kenmerken_doelgroep",
    "voorbeelden_werk",
    "begeleiding",
)


def test_shipped_data_passes_every_cross_check(kb):
    assert check_kennisbank(kb) == []


def test_the_seven_sporen_with_every_column_of_the_table(kb):
    assert {s.nummer: (s.id, s.naam) for s in kb.sporen} == SEVEN
    for spoor in kb.sporen:
        for column in SPORENTABEL_COLUMNS:
            assert spoor.raw.get(column), f"spoor {spoor.nummer} mist kolom {column}"


def test_beschut_werk_instroom_follows_the_table(kb):
    # "Soorten instroom: WAJONG, Bijstand, ZW, WsW": no WW, WAO or WIA.
    assert {"wajong", "bijstand", "zw", "wsw"} <= kb.spoor(5).instroom
    assert not {"ww", "wao", "wia"} & kb.spoor(5).instroom


def test_doelgroep_ids_of_the_interface_spec_exist(kb):
    assert set(kb.doelgroepen) >= SPEC_DOELGROEPEN
    for info in kb.doelgroepen.values():
        assert info.get("naam") and info.get("omschrijving")


def test_questions_and_answers_of_the_interface_spec(kb):
    expected = {
        "taken": {"eenvoudig", "complex", "gemengd"},
        "groepsverband": {"groep", "individueel"},
        "vakvaardigheden": {"ja", "nee"},
        "verantwoordelijkheid": {"hoog", "laag"},
        "productiedruk": {"relevant", "minder"},
        "collegas": {"ja", "nee"},
        "begeleiding": {"ja", "nee"},
        "prikkels": {"veel", "weinig"},
        "doel": {"leren-werken", "werken", "zorg", "onderwijs"},
        "duur": {"tijdelijk", "structureel"},
    }
    for vraag_id, waarden in expected.items():
        vraag = kb.vraag(vraag_id)
        assert set(vraag.waarden()) == waarden
        assert vraag.vraag.endswith("?") and vraag.toelichting
    assert kb.vraag("doelgroep").type == "meerkeuze"


def test_partner_table_of_the_wegwijzer(kb):
    by_spoor: dict[int, set[str]] = {}
    for partner in kb.partners:
        for rol in partner["sporen"]:
            by_spoor.setdefault(rol["spoor"], set()).add(partner["id"])
    assert by_spoor[1] >= {"wsp", "gemeente", "sociale-werkvoorziening", "reclassering", "ggz", "uwv"}
    assert by_spoor[2] >= {"mbo-scholen", "praktijkscholen", "particulier-onderwijs", "wsp"}
    assert by_spoor[3] >= {"sociale-werkvoorziening", "wsp", "reclassering"}
    assert by_spoor[4] >= {"wsp", "sociale-werkvoorziening", "praktijkscholen", "reguliere-wervingskanalen", "uwv"}
    assert by_spoor[5] >= {"gemeente", "sociale-werkvoorziening", "ggz"}
    assert by_spoor[6] >= {"gemeente", "sociale-werkvoorziening"}
    wsp = next(p for p in kb.partners if p["id"] == "wsp")
    assert wsp["naam"] == "Werkgeversservicepunt / Werkcentrum"
    assert "Werkcentrum" in wsp["let_op"]


def test_instruments_have_a_peildatum_and_ended_ones_are_marked(kb):
    ids = {i["id"] for i in kb.instrumenten}
    assert {"loonkostensubsidie", "jobcoach", "no-riskpolis", "loondispensatie", "beschut-werk"} <= ids
    for instrument in kb.instrumenten:
        assert isinstance(instrument["peildatum"], dt.date), instrument["id"]
        if "vervallen" in instrument:
            assert isinstance(instrument["vervallen"], dt.date)
            assert instrument.get("sporen") == []


def test_every_data_file_item_has_a_bron():
    base = default_data_dir()
    for path in [*base.glob("*.yaml"), *(base / "cases").glob("*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = [data] if path.parent.name == "cases" else [i for v in data.values() if isinstance(v, list) for i in v]
        for item in items:
            if isinstance(item, dict) and "id" in item:
                assert item.get("bron"), f"{path.name}: {item['id']} mist bron"


def test_case_files_are_named_after_their_id():
    for path in (default_data_dir() / "cases").glob("*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["id"] == path.stem


def test_required_cases_are_present(kb):
    ids = {c["id"] for c in kb.cases}
    assert {
        "circulus-fietsenwerkplaats",
        "metalis-afvalbakken",
        "dar-werkcluster-groen",
        "meerlanden-reguliere-baan",
        "scalabor-arnhem-beschut-werk",
        "stilema-dagbesteding",
        "doetinchem-wijkbedrijf",
        "social-firm-flevoland",
        "circulus-uptex-textiel",
    } <= ids


def test_cross_checks_find_broken_references(tmp_path: Path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    case = copy / "cases" / "dar-werkcluster-groen.yaml"
    text = case.read_text(encoding="utf-8").replace("spoor: 3\n", "spoor: 9\n", 1)
    case.write_text(text + "\ncontact: info@voorbeeld.nl\n", encoding="utf-8")
    problems = check_kennisbank(load_kennisbank(copy))
    assert any("onbekend spoor 9" in p for p in problems)
    assert any("e-mailadres" in p for p in problems)
