"""Bad werkplek input, bad options and --uitvoer: every class answered in Dutch with exit 2, nothing lost.

Each test asserts the message content (file, line, werkplek, field, allowed values), the exit status
and that no traceback reaches the user.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import REPO
from spoorwijzer import werkplek as werkplek_module
from spoorwijzer.cli import app
from spoorwijzer.errors import UserError
from spoorwijzer.werkplek import MAX_YAML_BYTES, parse_yaml, read_werkplekken

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"


def write(tmp_path: Path, content: str | bytes, name: str = "werk.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def match(runner, path: Path | str, *extra: str):
    return runner.invoke(app, ["match", "--werk", str(path), "--format", "json", *extra])


def bad(runner, path: Path | str, *extra: str) -> str:
    """Run match on a bad file: exit 2, nothing on stdout, no traceback; the Dutch message comes back."""
    result = match(runner, path, *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return result.stderr


# -- the file as a whole -----------------------------------------------------------------------
def test_malformed_yaml_names_file_line_and_column(runner, tmp_path):
    path = write(tmp_path, "werkplekken:\n  - naam: A\n    taken: [eenvoudig\n  - naam: B\n")
    message = bad(runner, path)
    assert f"{path}:4:" in message  # where the scanner noticed the missing ']'
    assert "geen geldige YAML" in message and "aanhalingstekens" in message


def test_empty_file_whitespace_and_only_comments(runner, tmp_path):
    for content in ("", "   \n\n", "# alleen commentaar\n"):
        message = bad(runner, write(tmp_path, content))
        assert "leeg" in message and "naam" in message
    assert "leeg" in bad(runner, write(tmp_path, "", "werk.csv"))


def test_missing_file_and_directory(runner, tmp_path):
    assert "bestaat niet" in bad(runner, tmp_path / "nergens.yaml")
    assert "een map, geen bestand" in bad(runner, tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root mag alles lezen")
def test_file_without_read_permission(runner, tmp_path):
    path = write(tmp_path, "naam: A\n")
    path.chmod(0)
    try:
        assert "Geen toestemming" in bad(runner, path)
    finally:
        path.chmod(0o644)


def test_not_utf8_names_byte_and_line_and_how_to_fix_it(runner, tmp_path):
    path = write(tmp_path, "naam: A\nomschrijving: café\n".encode("latin-1"))
    message = bad(runner, path)
    assert "niet in UTF-8" in message and "0xE9" in message and "regel 2" in message
    assert "CSV UTF-8" in message
    assert "niet in UTF-8" in bad(runner, write(tmp_path, "naam;taken\nCafé;eenvoudig\n".encode("cp1252"), "w.csv"))


def test_utf16_from_excel_is_named(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam;taken\nA;eenvoudig\n".encode("utf-16"), "werk.csv"))
    assert "UTF-16" in message and "UTF-8" in message


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02binary", b"naam: A\n" + b"x" * 5000 + b"\x00", bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00"],
)
def test_binary_garbage_is_not_a_text_file(runner, tmp_path, content):
    for name in ("werk.yaml", "werk.csv"):
        message = bad(runner, write(tmp_path, content, name))
        assert "geen tekstbestand" in message


def test_control_characters_in_yaml_are_explained(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam: A\ntaken: een\x07voudig\n"))
    assert f"{tmp_path / 'werk.yaml'}:2" in message and "stuurteken" in message


def test_top_level_must_be_a_werkplek_or_a_list(runner, tmp_path):
    message = bad(runner, write(tmp_path, "gewoon wat tekst\n"))
    assert "geen werkplek" in message and "werkplekken:" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("werkplekken:\n  naam: A\n", "moet een lijst zijn"),
        ("werkplekken: Groenploeg\n", "moet een lijst zijn"),
        ("werkplekken:\n", "moet een lijst zijn"),
        ("werkplekken: []\n", "leeg"),
    ],
)
def test_werkplekken_that_is_not_a_list(runner, tmp_path, content, expected):
    path = write(tmp_path, content)
    message = bad(runner, path)
    assert expected in message and f"{path}:1" in message and "'werkplekken'" in message


def test_more_than_one_yaml_document(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam: A\n---\nnaam: B\n"))
    assert "meer dan één" in message and "---" in message


# -- YAML features that are refused -------------------------------------------------------------
@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!str eenvoudig",
        "!!binary aGFsbG8=",
        "!eigen eenvoudig",
        "! eenvoudig",
        "!!set {a, b}",
        "!<tag:yaml.org,2002:str> eenvoudig",
    ],
)
def test_yaml_tags_of_any_kind_are_refused_never_executed(runner, tmp_path, tagged):
    marker = tmp_path / "HACKED"
    path = write(tmp_path, f"werkplekken:\n  - naam: A\n    taken: {tagged.replace('{marker}', str(marker))}\n")
    message = bad(runner, path)
    assert f"{path}:3" in message and "YAML-tags" in message and "niet toegestaan" in message
    assert not marker.exists()


def test_aliases_are_refused_and_a_billion_laughs_does_not_expand(runner, tmp_path):
    lines = ['a: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for level in range(1, 12):
        previous, current = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{current}: &{current} [{', '.join([f'*{previous}'] * 9)}]")
    # Expanded this would be 9**12 strings; refused before anything is built.
    message = bad(runner, write(tmp_path, "\n".join(lines) + "\nnaam: A\ndoelgroep: *l\n"))
    assert "alias" in message and "voluit" in message


def test_a_merge_key_alias_is_refused_too(runner, tmp_path):
    text = "werkplekken:\n  - &basis\n    naam: A\n    taken: eenvoudig\n  - <<: *basis\n    naam: B\n"
    path = write(tmp_path, text)
    assert f"{path}:5" in bad(runner, path)


def test_exclamation_marks_and_stars_in_text_are_fine(runner, tmp_path):
    text = "naam: Let op!\nomschrijving: 'Werk * 3 & meer: !belangrijk'\nopmerking: |\n  !eerst bellen\n"
    result = match(runner, write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["werkplekken"][0]["naam"] == "Let op!"


def test_deep_nesting_is_refused(runner, tmp_path):
    assert "YAML" in bad(runner, write(tmp_path, "naam: A\ndoelgroep: " + "[" * 5000 + "]" * 5000 + "\n"))
    nested = "naam: A\ndoelgroep:\n" + "".join("  " * depth + "-\n" for depth in range(1, 3000))
    bad(runner, write(tmp_path, nested))


def test_a_file_over_the_size_limit_gets_a_clear_message(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(werkplek_module, "MAX_YAML_BYTES", 1000)
    path = write(tmp_path, "werkplekken:\n" + "  - naam: A\n    taken: eenvoudig\n" * 100)
    message = bad(runner, path)
    assert "groter dan" in message and "CSV" in message
    # The limit is for YAML only: the same werkplekken as CSV are read.
    csv_path = write(tmp_path, "naam;taken\n" + "".join(f"W{i};eenvoudig\n" for i in range(200)), "werk.csv")
    assert match(runner, csv_path).exit_code == 0


def test_ten_thousand_werkplekken_stay_well_within_the_limit():
    werkplek = (
        "  - naam: Werkplek nummer 10000\n    omschrijving: Sorteren van grof huishoudelijk afval\n"
        "    taken: eenvoudig\n    groepsverband: groep\n    vakvaardigheden: ja\n    verantwoordelijkheid: laag\n"
        "    productiedruk: minder\n    collegas: ja\n    begeleiding: ja\n    prikkels: veel\n"
        "    doel: leren-werken\n    duur: tijdelijk\n    doelgroep: [bijstand, ww, statushouder]\n"
    )
    assert len(werkplek.encode()) * 10_000 * 5 < MAX_YAML_BYTES


def test_the_size_limit_also_stops_an_endless_device(runner, monkeypatch):
    if not Path("/dev/zero").exists():
        pytest.skip("geen /dev/zero")
    monkeypatch.setattr(werkplek_module, "MAX_YAML_BYTES", 10_000)
    assert "groter dan" in bad(runner, "/dev/zero")


# -- werkplekken with problems ------------------------------------------------------------------
def test_wrong_value_lists_the_allowed_ones(runner, tmp_path):
    path = write(tmp_path, "werkplekken:\n  - naam: Groenploeg\n    taken: moeilijk\n")
    message = bad(runner, path)
    assert f"{path}:3" in message and "werkplek 'Groenploeg'" in message and "veld 'taken'" in message
    assert "'moeilijk' is geen geldig antwoord" in message
    assert "Toegestaan: eenvoudig, complex, gemengd, onbekend" in message


def test_unknown_key_with_did_you_mean(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam: Groenploeg\ntakken: eenvoudig\n"))
    assert "werkplek 'Groenploeg'" in message and "Onbekend veld 'takken'" in message
    assert "Bedoelt u 'taken'?" in message and "Toegestaan: naam, omschrijving" in message


def test_unknown_doelgroep_with_did_you_mean_and_the_ids(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam: A\ndoelgroep: [bijstand, wajongg, marsmannetjes]\n"))
    assert "'wajongg' is geen bekende doelgroep. Bedoelt u 'wajong'?" in message
    assert "'marsmannetjes' is geen bekende doelgroep" in message
    assert "ww, wao, wia, wajong" in message and "veld 'doelgroep'" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("taken: 3", "Een getal (3)"),
        ("taken: 2.5", "Een getal (2.5)"),
        ("taken: [eenvoudig, complex]", "geen lijst"),
        ("taken: {soort: eenvoudig}", "geen blok"),
        ("doelgroep: {bijstand: ja}", "lijst van doelgroepen"),
        ("doelgroep: 12", "doelgroep-id"),
        ("doelgroep: [[bijstand]]", "geen doelgroep-id"),
        ("taken: 2026-01-01", "datum"),
        ("omschrijving: [a, b]", "moet tekst zijn"),
    ],
)
def test_wrong_types(runner, tmp_path, value, expected):
    path = write(tmp_path, f"naam: A\n{value}\n")
    message = bad(runner, path)
    assert expected in message and f"{path}:2" in message and "werkplek 'A'" in message


def test_a_werkplek_without_naam_and_a_naam_that_is_not_text(runner, tmp_path):
    path = write(tmp_path, "werkplekken:\n  - taken: eenvoudig\n  - naam: [A, B]\n  - naam:\n")
    message = bad(runner, path)
    assert "werkplek zonder naam (regel 2)" in message and "geen 'naam'" in message
    assert "werkplek zonder naam (regel 3)" in message and "De naam moet tekst zijn" in message
    assert "werkplek zonder naam (regel 4)" in message


def test_a_duplicate_naam(runner, tmp_path):
    path = write(tmp_path, "werkplekken:\n  - naam: Groenploeg\n  - naam: groenploeg\n")
    message = bad(runner, path)
    assert "werkplek 'groenploeg' (regel 3)" in message and "al eerder" in message and "regel 2" in message


def test_a_key_written_twice_belongs_to_its_werkplek(runner, tmp_path):
    path = write(tmp_path, "werkplekken:\n  - naam: A\n  - naam: B\n    doel: werken\n    doel: zorg\n")
    message = bad(runner, path)
    assert "werkplek 'B' (regel 3)" in message and f"{path}:5, veld 'doel'" in message


def test_csv_header_with_a_column_twice(runner, tmp_path):
    path = write(tmp_path, "naam;taken;doel;taken\nA;eenvoudig;werken;complex\n", "werk.csv")
    message = bad(runner, path)
    assert f"{path}:1" in message and "'taken'" in message and "twee keer" in message


def test_csv_column_without_header_but_with_values(runner, tmp_path):
    path = write(tmp_path, "naam;;taken\nA;iets;eenvoudig\n", "werk.csv")
    assert "kop" in bad(runner, path)


def test_csv_with_a_quote_that_is_never_closed(runner, tmp_path):
    path = write(tmp_path, 'naam;taken\nA;"eenvoudig\n' + "B;complex\n" * 20_000, "werk.csv")
    message = bad(runner, path)
    assert "aanhalingsteken" in message and f"{path}:" in message


def test_a_huge_value_is_shortened_in_the_message(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam: A\ntaken: " + "x" * 100_000 + "\n"))
    assert len(message) < 2000 and "…" in message


# -- all errors at once, grouped per werkplek ---------------------------------------------------
MANY_ERRORS = (
    "werkplekken:\n"
    "  - naam: A\n"  # 2
    "    takken: eenvoudig\n"  # 3
    "    doel: spelen\n"  # 4
    "  - naam: B\n"  # 5
    "    taken: complex\n"  # 6
    "  - naam: C\n"  # 7
    "    doelgroep: wajongg\n"  # 8
    "  - omschrijving: zonder naam\n"  # 9
)


def test_every_problem_of_a_file_at_once_grouped_per_werkplek_with_a_count(runner, tmp_path):
    path = write(tmp_path, MANY_ERRORS)
    message = bad(runner, path)
    lines = message.splitlines()
    assert lines[0].startswith("spoorwijzer: er is iets mis met de invoer")
    heads = ("werkplek 'A' (regel 2)", "werkplek 'C' (regel 7)", "werkplek zonder naam (regel 9)")
    a, c, zonder = (lines.index(f"  {head}:") for head in heads)
    assert lines[a + 1].startswith(f"    - {path}:3, veld 'takken'")
    assert lines[a + 2].startswith(f"    - {path}:4, veld 'doel'")
    assert lines[c + 1].startswith(f"    - {path}:8, veld 'doelgroep'")
    assert lines[zonder + 1].startswith(f"    - {path}:9, veld 'naam'")
    assert "werkplek 'B'" not in message
    assert lines[-1] == "4 problemen in 3 werkplekken."


# -- --sla-fouten-over --------------------------------------------------------------------------
def test_sla_fouten_over_processes_the_valid_werkplekken_and_lists_the_rest(runner, tmp_path):
    path = write(tmp_path, MANY_ERRORS)
    result = match(runner, path, "--sla-fouten-over")
    assert result.exit_code == 2  # scripts notice that something was skipped
    assert "Traceback" not in result.output
    assert [w["naam"] for w in json.loads(result.stdout)["werkplekken"]] == ["B"]
    assert "3 werkplekken overgeslagen" in result.stderr and "1 wel verwerkt" in result.stderr
    assert "werkplek 'A' (regel 2)" in result.stderr and "Bedoelt u 'taken'?" in result.stderr
    assert "werkplek zonder naam (regel 9)" in result.stderr


def test_sla_fouten_over_with_uitvoer_writes_the_valid_ones(runner, tmp_path):
    path = write(tmp_path, MANY_ERRORS)
    target = tmp_path / "advies.json"
    result = match(runner, path, "--sla-fouten-over", "--uitvoer", str(target))
    assert result.exit_code == 2
    assert [w["naam"] for w in json.loads(target.read_text(encoding="utf-8"))["werkplekken"]] == ["B"]


def test_sla_fouten_over_skips_a_werkplek_with_a_key_written_twice(runner, tmp_path):
    path = write(tmp_path, "werkplekken:\n  - naam: A\n  - naam: B\n    doel: werken\n    doel: zorg\n")
    result = match(runner, path, "--sla-fouten-over")
    assert result.exit_code == 2
    assert [w["naam"] for w in json.loads(result.stdout)["werkplekken"]] == ["A"]


def test_sla_fouten_over_with_a_problem_outside_the_werkplekken(runner, tmp_path):
    path = write(tmp_path, "versie: 2\nwerkplekken:\n  - naam: A\n")
    result = match(runner, path, "--sla-fouten-over")
    assert result.exit_code == 2
    assert [w["naam"] for w in json.loads(result.stdout)["werkplekken"]] == ["A"]
    assert "1 werkplek verwerkt, maar" in result.stderr and f"{path}:1, veld 'versie'" in result.stderr


def test_sla_fouten_over_with_nothing_valid_writes_nothing(runner, tmp_path):
    target = write(tmp_path, "oud\n", "advies.json")
    path = write(tmp_path, "naam: A\ntaken: moeilijk\n")
    result = match(runner, path, "--sla-fouten-over", "--uitvoer", str(target))
    assert result.exit_code == 2 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == "oud\n"


def test_sla_fouten_over_without_errors_is_a_normal_run(runner):
    assert match(runner, EXAMPLE, "--sla-fouten-over").exit_code == 0


def test_sla_fouten_over_with_a_broken_file_is_a_normal_error(runner, tmp_path):
    message = bad(runner, write(tmp_path, "naam: [\n"), "--sla-fouten-over")
    assert "geen geldige YAML" in message


# -- bad options ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["cases", "--spoor", "9"], "Toegestaan: 1 = Fit voor werk, 2 = Werkend leren"),
        (["cases", "--spoor", ""], "is geen spoor"),
        (["partners", "--spoor", "0"], "is geen spoor"),
        (["instrumenten", "--spoor", "-1"], "is geen spoor"),
        (["sporen", "8"], "is geen spoor"),
        (["match", "{example}", "--format", "xml"], "Toegestaan: table, json, yaml, csv, markdown"),
        (["match", "{example}", "--format", "jsno"], "Bedoelt u 'json'?"),
        (["match", "{example}", "--top", "0"], "een heel getal vanaf 1"),
        (["match", "{example}", "--top", "-1"], "een heel getal vanaf 1"),
        (["match", "{example}", "--top", "drie"], "een heel getal vanaf 1"),
        (["match", "{example}", "--top"], "heeft een waarde nodig"),
        (["match", "{example}", "--kort=ja"], "geen waarde"),
        (["match", "{example}", "--formaat", "json"], "Bedoelt u '--format'?"),
        (["partners", "--doelgroep", "onbekend-ding"], "Toegestaan: ww, wao, wia"),
        (["instrumenten", "--doelgroep", "wajongg"], "Bedoelt u 'wajong'?"),
        (["stappenplan", "--vanuit", "werkgever"], "Toegestaan: werk, doelgroep"),
        (["advies", "--vanuit", "iets"], "Toegestaan: werk, doelgroep"),
        (["advies", "--doel", "vakantie"], "leren-werken, werken, zorg, onderwijs"),
    ],
)
def test_bad_options_exit_2_with_the_allowed_values(runner, args, expected):
    args = [str(EXAMPLE) if a == "{example}" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output


# -- --uitvoer: whole or not at all ---------------------------------------------------------------
def _no_temp_files(directory: Path) -> bool:
    return not [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_uitvoer_untouched_when_the_input_is_bad(runner, tmp_path):
    target = write(tmp_path, "oud en waardevol\n", "advies.json")
    for content in ("naam: A\ntaken: moeilijk\n", "naam: [\n", b"\xff\xfe\x00"):
        match(runner, write(tmp_path, content), "--uitvoer", str(target))
        assert target.read_text(encoding="utf-8") == "oud en waardevol\n"
    assert _no_temp_files(tmp_path)


def test_uitvoer_untouched_when_rendering_fails(runner, tmp_path, monkeypatch):
    from spoorwijzer import jsontekst, output

    def broken(*args, **kwargs):
        raise RuntimeError("kapot tijdens het opmaken")

    monkeypatch.setattr(output, "to_json", broken)
    monkeypatch.setattr(output, "advies_to_dict", broken)
    monkeypatch.setattr(jsontekst.JsonTekst, "advies", broken)  # the streamed json path
    monkeypatch.delenv("SPOORWIJZER_DEBUG", raising=False)
    target = write(tmp_path, "oud\n", "advies.json")
    result = match(runner, EXAMPLE, "--uitvoer", str(target))
    assert result.exit_code == 1 and "interne fout" in result.stderr
    assert target.read_text(encoding="utf-8") == "oud\n"
    assert _no_temp_files(tmp_path)


@pytest.mark.parametrize("where", ["write", "replace"])
def test_uitvoer_untouched_when_writing_fails(runner, tmp_path, monkeypatch, where):
    from spoorwijzer import atomic

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if where == "replace":
        monkeypatch.setattr(atomic.os, "replace", disk_full)
    else:
        monkeypatch.setattr(atomic.os, "fsync", disk_full)
    target = write(tmp_path, "oud\n", "advies.json")
    result = match(runner, EXAMPLE, "--uitvoer", str(target))
    assert result.exit_code == 2
    assert (
        "Schrijven is mislukt" in result.stderr and "ongewijzigd" in result.stderr and "Traceback" not in result.output
    )
    assert target.read_text(encoding="utf-8") == "oud\n"
    assert _no_temp_files(tmp_path)


def test_uitvoer_untouched_when_interrupted_while_writing(runner, tmp_path, monkeypatch):
    from spoorwijzer import atomic

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    target = write(tmp_path, "oud\n", "advies.json")
    assert match(runner, EXAMPLE, "--uitvoer", str(target)).exit_code == 130
    assert target.read_text(encoding="utf-8") == "oud\n"
    assert _no_temp_files(tmp_path)


def test_uitvoer_refuses_the_input_file_under_another_name(runner, tmp_path, monkeypatch):
    werk = write(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    before = werk.read_bytes()
    link = tmp_path / "ander.yaml"
    link.symlink_to(werk)
    monkeypatch.chdir(tmp_path)
    for target in ("werk.yaml", "./werk.yaml", str(link), f"{tmp_path}/../{tmp_path.name}/werk.yaml"):
        result = match(runner, werk, "--uitvoer", target)
        assert result.exit_code == 2 and "invoerbestand" in result.stderr, target
    assert werk.read_bytes() == before
    assert _no_temp_files(tmp_path)


def test_uitvoer_in_a_missing_directory_or_onto_a_directory(runner, tmp_path):
    assert "bestaat niet" in match(runner, EXAMPLE, "--uitvoer", str(tmp_path / "nee" / "a.json")).stderr
    assert "een map" in match(runner, EXAMPLE, "--uitvoer", str(tmp_path)).stderr


# -- the core API --------------------------------------------------------------------------------
def test_core_reading_raises_user_errors_not_crashes(tmp_path, vocab):
    with pytest.raises(UserError):
        read_werkplekken(write(tmp_path, b"\x00"), vocab)
    result = parse_yaml(MANY_ERRORS, "w.yaml", vocab)
    assert [w.naam for w in result.werkplekken] == ["B"]
    assert {p.werkplek_regel for p in result.problems} == {2, 7, 9}
