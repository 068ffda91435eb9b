"""Own data that is broken in every way a user can break it: always exit 2 with file(:line), never a bug (exit 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spoorwijzer.cli import app
from spoorwijzer.eigendata import Rapport, load_own, read_dir, valideer
from spoorwijzer.errors import Problem, UserError
from spoorwijzer.kennisbank import default_data_dir
from test_eigendata import CASE, PARTNER, VOORBEELD, make_dir


def _both(runner, folder: Path) -> list:
    """`--data MAP cases` and `valideer MAP`: the two ways own data is read."""
    return [runner.invoke(app, ["--data", str(folder), "cases"]), runner.invoke(app, ["valideer", str(folder)])]


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


GEEN_BLOK = "Hier hoort een blok met sleutels (sleutel: waarde), maar er staat"


# -- 1. a file that is no mapping ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("partners.yaml", "- id: x\n", f"{GEEN_BLOK} een lijst."),
        ("partners.yaml", "hallo\n", f"{GEEN_BLOK} de tekst 'hallo'."),
        ("instrumenten.yaml", "- id: x\n", f"{GEEN_BLOK} een lijst."),
        ("cases/x.yaml", "- id: x\n", f"{GEEN_BLOK} een lijst."),
        ("cases/x.yaml", "42\n", f"{GEEN_BLOK} het getal 42."),
        ("partners.yaml", "", "Het bestand is leeg (of bevat alleen commentaar)."),
        ("partners.yaml", "# nog invullen\n", "Het bestand is leeg (of bevat alleen commentaar)."),
        ("cases/x.yaml", "", "Het bestand is leeg (of bevat alleen commentaar)."),
    ],
)
def test_a_file_that_is_no_mapping_is_a_user_error_with_file_and_line(runner, tmp_path, name, content, message):
    path = _write(tmp_path, name, content)
    for result in _both(runner, tmp_path):
        assert result.exit_code == 2, result.output
        assert any(line.startswith(f"  - {path}") and message in line for line in result.stderr.splitlines()), (
            result.stderr
        )
        assert "interne fout" not in result.output


def test_a_list_at_the_top_says_which_key_is_missing(runner, tmp_path):
    _write(tmp_path, "partners.yaml", "- id: x\n")
    result = runner.invoke(app, ["valideer", str(tmp_path)])
    assert "Zet 'partners:' boven de lijst" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "partners: 5\n",
        "nodig_voor: 5\npartners: []\n",
        "partners: [5, [1], {id: [1]}, {id: x, sporen: 5, doelgroepen: 5, nodig_voor: 5}]\n",
        "partners:\n  - {id: x, sporen: [5, [1], {spoor: [1]}, {spoor: x}], doelgroepen: [[1], {a: 1}]}\n",
        "partners:\n  - {id: x, nodig_voor: [[1], {a: 1}], contact: 5}\n",
        "partners: !!set {a, b}\n",
        "partners: !!binary aGVsbG8=\n",
    ],
)
def test_wrong_types_in_partners_are_user_errors(runner, tmp_path, text):
    _write(tmp_path, "partners.yaml", text)
    for result in _both(runner, tmp_path):
        assert result.exit_code == 2, result.output
        assert "interne fout" not in result.output


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("instrumenten.yaml", "instrumenten: 5\n"),
        ("instrumenten.yaml", "instrumenten:\n  - {id: x, sporen: 5, doelgroepen: 5}\n"),
        ("instrumenten.yaml", "instrumenten:\n  - {id: x, sporen: [[1], {a: 1}], doelgroepen: [[1], {a: 1}]}\n"),
        ("cases/a.yaml", "id: a\nspoor: [1]\nook_sporen: 5\nkenmerken: 5\n"),
        ("cases/a.yaml", "id: a\nspoor: {a: 1}\nook_sporen: [[1]]\nkenmerken: [1]\n"),
        ("cases/a.yaml", "id: a\nkenmerken: {doelgroep: [[1]], taken: [1], 5: x}\n"),
        ("cases/a.yaml", "id: a\nkenmerken: {doelgroep: {a: 1}, taken: {a: 1}}\n"),
        ("cases/a.yaml", "id: [a]\nspoor: 1\n"),
    ],
)
def test_wrong_types_in_instrumenten_and_cases_are_user_errors(runner, tmp_path, name, text):
    _write(tmp_path, name, text)
    for result in _both(runner, tmp_path):
        assert result.exit_code == 2, result.output
        assert "interne fout" not in result.output


# -- 2. each missing field once -----------------------------------------------------------------------------
def test_each_missing_field_of_a_partner_is_reported_once(tmp_path):
    make_dir(tmp_path, {"partners.yaml": "partners:\n  - id: x\n    naam: X\n"})
    messages = [p.message for p in read_dir(tmp_path, volledig=False).problems]
    missing = [m for m in messages if "verplichte veld" in m]
    assert len(missing) == 3 == len(set(missing))
    assert {m.split("'")[1] for m in missing} == {"omschrijving", "sporen", "bron"}


def test_each_missing_field_of_a_case_is_reported_once(runner, tmp_path):
    make_dir(tmp_path, {"cases/c.yaml": "id: c\ntitel: T\n"})
    result = runner.invoke(app, ["valideer", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("spoorwijzer: 13 problemen gevonden:")
    assert result.stderr.count("Het verplichte veld 'spoor' ontbreekt") == 1


# -- 3. no cross-reference on a field the schema already reports --------------------------------------------
def test_a_case_without_spoor_gets_no_unknown_spoor_none(runner, tmp_path):
    make_dir(tmp_path, {"cases/mijn-case.yaml": CASE.replace("spoor: 3\n", "")})
    result = runner.invoke(app, ["valideer", str(tmp_path)])
    assert result.exit_code == 2
    assert "Het verplichte veld 'spoor' ontbreekt" in result.stderr
    assert "None" not in result.stderr
    assert result.stderr.startswith("spoorwijzer: 1 probleem gevonden:")


@pytest.mark.parametrize(
    ("name", "text", "wrong"),
    [
        ("cases/mijn-case.yaml", CASE.replace("spoor: 3", "spoor: drie"), "Onbekend spoor"),
        ("cases/mijn-case.yaml", CASE.replace("spoor: 3", "spoor: [3]"), "Onbekend spoor"),
        ("partners.yaml", PARTNER.replace("{spoor: 1,", "{spoor: een,"), "Onbekend spoor"),
        ("partners.yaml", PARTNER.replace("doelgroepen: alle", "doelgroepen: iedereen"), "Onbekende doelgroep"),
    ],
)
def test_a_field_of_the_wrong_type_is_reported_by_the_schema_only(runner, tmp_path, name, text, wrong):
    make_dir(tmp_path, {name: text})
    result = runner.invoke(app, ["valideer", str(tmp_path)])
    assert result.exit_code == 2
    assert wrong not in result.stderr
    assert result.stderr.startswith("spoorwijzer: 1 probleem gevonden:"), result.stderr


# -- 4. the shipped kennisbank is a real path, not a prefix -------------------------------------------------
def test_a_folder_next_to_the_shipped_data_with_the_same_prefix_is_not_shipped():
    shipped = default_data_dir()
    naast = Problem("kapot", file=str(shipped.parent / (shipped.name + "-eigen") / "partners.yaml"), line=1)
    assert not Rapport([], [naast]).in_shipped


def test_a_relative_path_into_the_shipped_data_is_shipped(monkeypatch):
    shipped = default_data_dir()
    monkeypatch.chdir(shipped.parent)
    assert Rapport([], [Problem("kapot", file=os.path.join(shipped.name, "sporen.yaml"))]).in_shipped


# -- 5. valideer MAP with --data -----------------------------------------------------------------------------
def test_valideer_map_says_that_data_is_not_used(tmp_path):
    folder = make_dir(tmp_path / "ander", {"partners.yaml": PARTNER})
    rapport = valideer(folder, VOORBEELD)
    assert rapport.problems == []
    assert len(rapport.gecontroleerd) == 2  # the shipped kennisbank and MAP, not the --data folder
    assert rapport.gecontroleerd[1].map == folder
    assert len(rapport.opmerkingen) == 1
    assert f"--data {VOORBEELD}" in rapport.opmerkingen[0]
    assert f"spoorwijzer valideer {VOORBEELD}" in rapport.opmerkingen[0]


def test_valideer_map_with_the_same_data_folder_has_no_remark():
    assert valideer(VOORBEELD, VOORBEELD).opmerkingen == []
    assert valideer(None, VOORBEELD).opmerkingen == []
    assert valideer(VOORBEELD, None).opmerkingen == []


# -- other ways to break own data ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("partners.yaml", b"partners: \xe9\n", "niet in UTF-8"),
        ("partners.yaml", b"\x00\x01\x02", "geen tekstbestand"),
        ("partners.yaml", b"partners: !!python/object:os.system {}\n", "YAML-tags"),
        ("partners.yaml", b"partners: []\npartners: []\n", "staat twee keer in hetzelfde blok"),
        ("partners.yaml", b"partners:\n  - id: x\n    peildatum: 2026-13-45\n", "partners.yaml:3, veld 'peildatum'"),
        ("cases/a.yaml", b"id: a\nspoor: 1\n? [1]\n: x\n", "een sleutel die zelf een lijst of blok is"),
        ("partners.yaml", b"partners: &a [*a]\n", "alias"),
        ("partners.yaml", b"partners:\n  - &p {id: x}\n  - *p\n", "alias"),
    ],
)
def test_unreadable_files_are_user_errors(runner, tmp_path, name, content, message):
    _write(tmp_path, name, content)
    for result in _both(runner, tmp_path):
        assert result.exit_code == 2, result.output
        assert message in result.stderr, result.stderr
        assert "interne fout" not in result.output


def test_an_impossible_date_names_its_line(tmp_path):
    _write(tmp_path, "partners.yaml", PARTNER + "    peildatum: 2026-02-30\n")
    problems = read_dir(tmp_path, volledig=False).problems
    assert [(p.line, p.field) for p in problems] == [(9, "peildatum")]
    assert "2026-02-30" in problems[0].message


def test_a_folder_named_like_a_data_file_is_reported(runner, tmp_path):
    (tmp_path / "partners.yaml").mkdir()
    (tmp_path / "cases" / "a.yaml").mkdir(parents=True)
    for result in _both(runner, tmp_path):
        assert result.exit_code == 2
        assert f"{tmp_path / 'partners.yaml'}: Dit is een map, geen bestand." in result.stderr
        assert f"{tmp_path / 'cases' / 'a.yaml'}: Dit is een map, geen bestand." in result.stderr


def test_cases_as_a_file_is_reported(runner, tmp_path):
    make_dir(tmp_path, {"partners.yaml": PARTNER, "cases": "x"})
    result = runner.invoke(app, ["valideer", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'cases'}: Dit is een bestand, geen map." in result.stderr


def test_a_special_file_as_case_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("geen named pipes op dit systeem")
    make_dir(tmp_path, {"partners.yaml": PARTNER})
    (tmp_path / "cases").mkdir()
    os.mkfifo(tmp_path / "cases" / "pijp.yaml")  # reading it would wait forever
    with pytest.raises(UserError) as caught:
        load_own(tmp_path)
    assert [p.message for p in caught.value.problems] == ["Dit is geen gewoon bestand."]


def test_own_data_with_a_recursive_alias_in_a_whole_kennisbank_stops(tmp_path):
    import shutil

    shutil.copytree(default_data_dir(), tmp_path / "data")
    _write(tmp_path / "data", "cases/lus.yaml", "id: lus\nbron: &a [*a]\n")
    rapport = valideer(tmp_path / "data", None)
    assert any("verwijst naar zichzelf" in p.message for p in rapport.problems)
