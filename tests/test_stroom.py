"""Speed work that must not change answers: streamed batches, the knowledge-base cache, the fast
engine paths and the lazy imports. No test here measures time."""

from __future__ import annotations

import csv
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PEILDATUM
from spoorwijzer import cli, kbcache, output, stroom
from spoorwijzer.engine import Regels
from spoorwijzer.kennisbank import default_data_dir, load_kennisbank
from spoorwijzer.werkplek import normalize_record, read_werkplekken

RECORDS = [
    {"naam": "Fietsen", "omschrijving": "Demontage", "taken": "gemengd", "groepsverband": "groep",
     "vakvaardigheden": "ja", "doel": "leren-werken", "duur": "tijdelijk", "doelgroep": ["bijstand", "ww"]},
    {"naam": "Groen", "taken": "Eenvoudig", "groepsverband": "groep", "begeleiding": "ja", "doel": "werken",
     "duur": "structureel", "doelgroep": ["wsw"]},
    {"naam": "Balie", "taken": "eenvoudig", "productiedruk": "minder relevant", "prikkels": "veel",
     "doel": "werken", "opmerking": "eigen notitie"},
    {"naam": "Dagbesteding", "taken": "onbekend", "doel": "zorg", "doelgroep": ["wmo", "wlz"]},
    {"naam": "Stage", "doel": "onderwijs", "vakvaardigheden": "nee", "doelgroep": ["praktijkschool"]},
    {"naam": "Leeg"},
    {"naam": "Fietsen 2", "taken": "gemengd", "groepsverband": "groep", "vakvaardigheden": "ja",
     "doel": "leren-werken", "duur": "tijdelijk", "doelgroep": ["ww", "bijstand"]},
]  # fmt: skip
COLUMNS = ["naam", "omschrijving", "taken", "groepsverband", "vakvaardigheden", "verantwoordelijkheid",
           "productiedruk", "collegas", "begeleiding", "prikkels", "doel", "duur", "doelgroep",
           "opmerking"]  # fmt: skip


def _write(tmp_path: Path, records: list[dict]) -> tuple[Path, Path, Path]:
    yaml_path = tmp_path / "werk.yaml"
    plain = json.loads(json.dumps(records))  # no shared lists: PyYAML would write them as aliases (refused)
    yaml_path.write_text(yaml.safe_dump({"werkplekken": plain}, allow_unicode=True), encoding="utf-8")
    csv_path = tmp_path / "werk.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for record in records:
            cells = [record.get(c, "") for c in COLUMNS]
            writer.writerow([", ".join(c) if isinstance(c, list) else c for c in cells])
    jsonl_path = tmp_path / "werk.jsonl"
    jsonl_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return yaml_path, csv_path, jsonl_path


def _many(aantal: int) -> list[dict]:
    """Varied valid werkplekken: every answer of a few questions combined, doelgroepen rotating."""
    doelgroepen = [["bijstand"], ["wsw", "ww"], ["wajong"], ["wmo"], ["praktijkschool", "vso"], []]
    combos = itertools.product(
        ["eenvoudig", "complex", "gemengd", None], ["groep", "individueel"], ["ja", "nee", None],
        ["leren-werken", "werken", "zorg", "onderwijs", None], ["tijdelijk", "structureel"],
    )  # fmt: skip
    result = []
    for number, (taken, groep, begeleiding, doel, duur) in enumerate(itertools.islice(itertools.cycle(combos), aantal)):
        record = {"naam": f"Plek {number}", "taken": taken, "groepsverband": groep, "begeleiding": begeleiding}
        record |= {"doel": doel, "duur": duur, "doelgroep": doelgroepen[number % len(doelgroepen)]}
        result.append({k: v for k, v in record.items() if v not in (None, [])})
    return result


def test_streamed_csv_gives_the_same_result_as_yaml(runner, tmp_path):
    yaml_path, csv_path, jsonl_path = _write(tmp_path, RECORDS + _many(300))
    for formaat in ("csv", "json", "jsonl"):
        results = {
            p.suffix: runner.invoke(cli.app, ["match", str(p), "-f", formaat])
            for p in (yaml_path, csv_path, jsonl_path)
        }
        assert all(r.exit_code == 0 for r in results.values()), [r.output for r in results.values()]
        assert results[".yaml"].stdout == results[".csv"].stdout == results[".jsonl"].stdout, formaat


def test_streamed_output_is_byte_for_byte_the_in_memory_format(runner, tmp_path, vocab, regels):
    yaml_path, _, _ = _write(tmp_path, RECORDS)
    gelezen = read_werkplekken(yaml_path, vocab)
    adviezen = []
    for werkplek in gelezen.werkplekken:
        advies = regels.advise(werkplek.naam, werkplek.antwoorden, PEILDATUM, werkplek.omschrijving)
        advies.opmerking = werkplek.opmerking
        adviezen.append(advies)
    for top in (None, 2):
        assert b"".join(stroom.render("json", adviezen, top)) == output.to_json(adviezen, top).encode()
        assert b"".join(stroom.render("csv", adviezen, top)) == output.to_csv(adviezen, top).encode()
    assert b"".join(stroom.render("json", [], None)) == output.to_json([]).encode()


def test_jsonl_output_is_one_json_object_per_werkplek(runner, tmp_path):
    yaml_path, _, _ = _write(tmp_path, RECORDS)
    jsonl = runner.invoke(cli.app, ["match", str(yaml_path), "-f", "jsonl"])
    full = runner.invoke(cli.app, ["match", str(yaml_path), "-f", "json"])
    assert jsonl.exit_code == 0
    lines = jsonl.stdout.splitlines()
    assert len(lines) == len(RECORDS)
    assert [json.loads(line) for line in lines] == json.loads(full.stdout)["werkplekken"]


def test_streamed_input_reports_every_problem_with_its_line_and_writes_nothing(runner, tmp_path):
    path = tmp_path / "werk.csv"
    path.write_text(
        "naam;taken;doel\nA;eenvoudig;werken\nB;moeilijk;werken\nA;complex;zorg\nC;complex;spelen\n", encoding="utf-8"
    )
    uitvoer = tmp_path / "uit.csv"
    result = runner.invoke(cli.app, ["match", str(path), "-f", "csv", "-o", str(uitvoer)])
    assert result.exit_code == 2
    assert f"{path}:3" in result.stderr and "'moeilijk'" in result.stderr
    assert f"{path}:4" in result.stderr and "eerder in het bestand" in result.stderr and "regel 2" in result.stderr
    assert f"{path}:5" in result.stderr and "'spelen'" in result.stderr
    assert "3 problemen" in result.stderr
    assert not uitvoer.exists()
    assert result.stdout == ""


def test_bad_json_line_is_named(runner, tmp_path):
    path = tmp_path / "werk.jsonl"
    path.write_text('{"naam": "A", "taken": "eenvoudig"}\n\n{"naam": "B", taken: 1}\n', encoding="utf-8")
    result = runner.invoke(cli.app, ["match", str(path), "-f", "jsonl"])
    assert result.exit_code == 2
    assert f"{path}:3" in result.stderr and "geen geldige JSON" in result.stderr


def test_csv_problems_match_the_whole_file_reader(tmp_path, vocab):
    path = tmp_path / "werk.csv"
    path.write_text("naam,takken,doelgroep\nA,eenvoudig,bijstand\n,complex,wsw\n", encoding="utf-8")
    whole = read_werkplekken(path, vocab).problems
    streamed = [p for _, problems in stroom.werkplekken(path, vocab) for p in problems]
    assert streamed == whole


def test_the_memo_normalizer_agrees_with_normalize_record(vocab):
    normalize = stroom.Normalizer(vocab)
    records = [*RECORDS, *_many(200)]
    records += [{k: ", ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in records]
    records += [{"naam": " X ", "taken": " EENVOUDIG "}, {"naam": "", "taken": "complex"}, {"naam": "Y", "doel": "?"}]
    for twice in range(2):  # the second round takes the memo path
        for line, record in enumerate(records, start=1):
            expected = normalize_record(record, vocab, file="f", fallback_line=line)
            assert normalize(record, "f", line) == expected, (twice, record)


def test_fast_ranking_agrees_with_the_full_advice(kb):
    regels = Regels(kb)
    for record in _many(400):
        antwoorden = {k: tuple(v) if isinstance(v, list) else v for k, v in record.items() if k != "naam"}
        volledig = regels.advise("x", antwoorden, PEILDATUM)
        for _ in range(2):  # cold and from the tables
            assert [(s.nummer, score) for s, score in regels.rangschik(antwoorden)] == [
                (s.spoor.nummer, s.score) for s in volledig.sporen
            ]


def test_shared_lists_are_not_shared_between_adviezen(regels):
    a = regels.advise("a", {"doel": "werken", "doelgroep": ("wsw",)}, PEILDATUM)
    b = regels.advise("b", {"doel": "werken", "doelgroep": ("wsw",)}, PEILDATUM)
    a.partners.clear()
    assert b.partners


# -- the knowledge-base cache ------------------------------------------------------------------------
@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    monkeypatch.setenv("SPOORWIJZER_CACHE", str(tmp_path / "cache"))
    return folder


def test_cache_is_written_used_and_never_stale(data_copy, tmp_path):
    first = load_kennisbank(data_copy)
    cached = list((tmp_path / "cache").glob("kennisbank-*.marshal"))
    assert len(cached) == 1
    second = load_kennisbank(data_copy)
    assert second.sporen == first.sporen and second.instrumenten == first.instrumenten
    assert any(not isinstance(i.get("peildatum"), str) for i in second.instrumenten)  # dates stay dates
    # The same size, another letter: a cache keyed on size or time alone would miss this.
    sporen = data_copy / "sporen.yaml"
    text = sporen.read_text(encoding="utf-8")
    assert "naam: Fit voor werk" in text
    sporen.write_text(text.replace("naam: Fit voor werk", "naam: Fit voor wark", 1), encoding="utf-8")
    assert load_kennisbank(data_copy).spoor(1).naam == "Fit voor wark"
    (data_copy / "cases" / "extra.yaml").write_text("id: extra\ntitel: Extra\nspoor: 1\nbron: test\n", encoding="utf-8")
    assert load_kennisbank(data_copy).case("extra") is not None


def test_a_broken_or_unwritable_cache_is_ignored(data_copy, tmp_path, monkeypatch):
    load_kennisbank(data_copy)
    (cached,) = (tmp_path / "cache").glob("kennisbank-*.marshal")
    cached.write_bytes(b"kapot")
    assert load_kennisbank(data_copy).spoor(1).naam == "Fit voor werk"
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    monkeypatch.setenv("SPOORWIJZER_CACHE", str(blocker / "cache"))
    assert load_kennisbank(data_copy).spoor(1).naam == "Fit voor werk"


def test_cache_can_be_switched_off(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SPOORWIJZER_CACHE", "uit")
    assert kbcache.cache_dir() is None
    load_kennisbank(data_copy)
    assert not (tmp_path / "cache").exists()


# -- start-up --------------------------------------------------------------------------------------
def test_match_json_does_not_load_rich_or_the_interview(tmp_path):
    yaml_path, _, _ = _write(tmp_path, RECORDS[:2])
    code = (
        "import sys\n"
        f"sys.argv = ['spoorwijzer', 'match', '--werk', {str(yaml_path)!r}, '--format', 'json']\n"
        "from spoorwijzer.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'pydantic')"
        " or m in ('spoorwijzer.interview', 'spoorwijzer.table', 'spoorwijzer.paralleltwee',"
        " 'spoorwijzer.csvsnel', 'spoorwijzer.yamlsnel', 'tempfile'))\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("HEAVY="), result.stderr
    assert json.loads(result.stdout)["werkplekken"][0]["naam"] == "Fietsen"


def test_only_the_asked_command_is_built():
    assert cli._app_for(["--help"]) is cli.app
    assert cli._app_for(["onbekend"]) is cli.app
    only = cli._app_for(["match", "--werk", "x.yaml"])
    assert [c.callback.__name__ for c in only.registered_commands] == ["match"]
    assert len(cli.app.registered_commands) > 1


def test_no_progress_bar_outside_a_terminal():
    items = list(range(5000))
    assert list(stroom.with_progress(iter(items), len(items))) == items  # stderr is not a terminal in tests


def test_streamed_csv_names_the_line_that_is_not_utf8_and_accepts_a_bom(runner, tmp_path):
    bad = tmp_path / "werk.csv"
    bad.write_bytes(b"naam;taken\nA;eenvoudig\n\xff\xfe;complex\n")
    result = runner.invoke(cli.app, ["match", str(bad), "-f", "csv"])
    assert result.exit_code == 2
    assert f"{bad}:3" in result.stderr and "UTF-8" in result.stderr
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffnaam;taken\nA;eenvoudig\n".encode())
    result = runner.invoke(cli.app, ["match", str(bom), "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("A,")
