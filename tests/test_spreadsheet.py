"""Spreadsheet input: the CSV variants Excel writes, .xlsx through the optional openpyxl."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from spoorwijzer.errors import UserError
from spoorwijzer.werkplek import parse_csv, read_werkplekken

EXPECTED = {"taken": "eenvoudig", "groepsverband": "groep", "doelgroep": ("bijstand", "ww")}


def _rendered(result) -> list[str]:
    return [p.render() for p in result.problems]


# -- CSV --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "naam,taken,groepsverband,doelgroep\nA,eenvoudig,groep,bijstand;ww\n",  # `;` inside a `,` file
        'naam;taken;groepsverband;doelgroep\nA;eenvoudig;groep;"bijstand;ww"\n',  # quoted `;` in a `;` file
        "naam;taken;groepsverband;doelgroep\nA;eenvoudig;groep;bijstand, ww\n",  # `,` inside a `;` file
        'naam,taken,groepsverband,doelgroep\nA,eenvoudig,groep,"bijstand, ww"\n',  # quoted `,` in a `,` file
        "naam;taken;groepsverband;doelgroep\r\nA;eenvoudig;groep;bijstand,ww\r\n",  # Windows line endings
        " Naam ; TAKEN;Groepsverband ;DoelGroep\nA;Eenvoudig ; GROEP;Bijstand; WW\n".replace(
            "Bijstand; WW", '"Bijstand; WW"'
        ),
        "naam;taken;groepsverband;doelgroep;;;\nA;eenvoudig;groep;bijstand,ww;;;\n;;;;;;\n;;;;;;\n",  # Excel's empties
        "naam;taken;groepsverband;doelgroep\nA;eenvoudig;groep;bijstand,ww;;\n",  # trailing cells beyond the header
    ],
    ids=["comma", "semicolon-quoted", "semicolon", "comma-quoted", "crlf", "case-spaces", "excel-empties", "extra"],
)
def test_csv_variants_excel_writes(vocab, text):
    result = parse_csv(text, "w.csv", vocab)
    assert _rendered(result) == []
    assert [w.naam for w in result.werkplekken] == ["A"]
    assert result.werkplekken[0].antwoorden == EXPECTED


def test_csv_utf8_bom_and_crlf_from_a_file(tmp_path, vocab):
    path = tmp_path / "werk.csv"
    path.write_bytes(
        "naam;taken;groepsverband;doelgroep\r\nGroenploeg é;eenvoudig;groep;bijstand,ww\r\n".encode("utf-8-sig")
    )
    result = read_werkplekken(path, vocab)
    assert _rendered(result) == []
    assert result.werkplekken[0].naam == "Groenploeg é"
    assert result.werkplekken[0].antwoorden == EXPECTED


def test_csv_empty_cells_are_not_answered(vocab):
    result = parse_csv("naam;taken;groepsverband;doel;doelgroep\nA;;groep;  ;\n", "w.csv", vocab)
    assert _rendered(result) == []
    assert result.werkplekken[0].antwoorden == {"groepsverband": "groep"}


def test_csv_windows_1252_says_save_as_csv_utf8(tmp_path, vocab):
    # Excel's plain "CSV" on Dutch Windows is Windows-1252: é becomes a single byte 0xE9.
    path = tmp_path / "werk.csv"
    path.write_bytes("naam;taken\nCafé;eenvoudig\n".encode("cp1252"))
    with pytest.raises(UserError) as error:
        read_werkplekken(path, vocab)
    message = str(error.value)
    assert "werk.csv:2" in message
    assert "CSV UTF-8" in message


def test_csv_comment_rows_are_skipped(vocab):
    text = "naam;taken\n# toegestaan;eenvoudig | complex | gemengd\nA;complex\n"
    result = parse_csv(text, "w.csv", vocab)
    assert _rendered(result) == []
    assert [(w.naam, w.regel) for w in result.werkplekken] == [("A", 3)]


def test_csv_text_beyond_the_header_is_still_an_error(vocab):
    result = parse_csv("naam;taken\nA;eenvoudig;bijstand\n", "w.csv", vocab)
    assert any(r.startswith("w.csv:2") and "kolommen" in r for r in _rendered(result))


def test_csv_text_under_an_empty_header_is_not_silently_dropped(vocab):
    result = parse_csv("naam;;taken\nA;let op;eenvoudig\n", "w.csv", vocab)
    assert any(r.startswith("w.csv:2") and "geen kop" in r for r in _rendered(result))
    assert result.werkplekken == []


# -- .xlsx ------------------------------------------------------------------------------------------
def _workbook(path: Path, rows: list[list[object]], *, title: str = "Blad1", before: str | None = None) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if before is not None:
        sheet.title = before
        sheet.append(["iets anders"])
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_rows_are_read_like_csv(tmp_path, vocab):
    path = _workbook(
        tmp_path / "werk.xlsx",
        [
            ["Naam ", "TAKEN", "Groepsverband", "doelgroep", "Collega's", None, None],
            ["A", "Eenvoudig", " groep", "bijstand; ww", True, None, None],
            [3, None, None, None, None, None, None],  # a number as naam, nothing answered
            [None, None, None, None, None, None, None],  # Excel's trailing empty rows
        ],
    )
    result = read_werkplekken(path, vocab)
    assert _rendered(result) == []
    assert [w.naam for w in result.werkplekken] == ["A", "3"]
    assert result.werkplekken[0].antwoorden == {**EXPECTED, "collegas": "ja"}
    assert result.werkplekken[1].antwoorden == {}


def test_xlsx_prefers_a_sheet_named_werkplekken(tmp_path, vocab):
    path = _workbook(tmp_path / "werk.xlsx", [["naam", "doel"], ["A", "zorg"]], title="Werkplekken", before="Info")
    result = read_werkplekken(path, vocab)
    assert [(w.naam, w.antwoorden) for w in result.werkplekken] == [("A", {"doel": "zorg"})]


def test_xlsx_problems_name_sheet_row_and_column(tmp_path, vocab):
    path = _workbook(
        tmp_path / "werk.xlsx",
        [["naam", "taken", "takken", "collega's"], ["A", "eenvoudig", None, "misschien"], ["B", "moeilijk"], ["A"]],
    )
    rendered = _rendered(read_werkplekken(path, vocab))
    assert any(r.startswith(f"{path}, blad 'Blad1', rij 2, kolom C,") and "takken" in r for r in rendered)
    assert any(r.startswith(f"{path}, blad 'Blad1', rij 2, kolom D,") and "misschien" in r for r in rendered)
    assert any(r.startswith(f"{path}, blad 'Blad1', rij 3, kolom B,") and "moeilijk" in r for r in rendered)
    assert any(r.startswith(f"{path}, blad 'Blad1', rij 4, kolom A,") and "(rij 2)" in r for r in rendered)


def test_xlsx_empty_sheet_and_text_without_header(tmp_path, vocab):
    empty = _workbook(tmp_path / "leeg.xlsx", [])
    assert "rij 1" in _rendered(read_werkplekken(empty, vocab))[0]
    loose = _workbook(tmp_path / "los.xlsx", [["naam", None], ["A", "notitie"]])
    assert "rij 2, kolom B" in _rendered(read_werkplekken(loose, vocab))[0]


def test_xlsx_that_is_not_a_workbook(tmp_path, vocab):
    pytest.importorskip("openpyxl")
    path = tmp_path / "werk.xlsx"
    path.write_text("naam;taken\nA;eenvoudig\n", encoding="utf-8")
    with pytest.raises(UserError, match="geen leesbaar Excel-bestand"):
        read_werkplekken(path, vocab)


def test_old_xls_format_says_what_to_do(tmp_path, vocab):
    path = tmp_path / "werk.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match=r"\.xlsx"):
        read_werkplekken(path, vocab)


def test_missing_openpyxl_exits_2_with_install_hint(tmp_path, runner, monkeypatch):
    from spoorwijzer.cli import app

    path = tmp_path / "werk.xlsx"
    path.write_bytes(b"PK\x03\x04")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` now raises ImportError
    result = runner.invoke(app, ["match", "--werk", str(path)])
    assert result.exit_code == 2
    assert "pip install 'spoorwijzer[excel]'" in result.stderr
    assert "CSV UTF-8" in result.stderr
    assert "Traceback" not in result.output


def test_match_reads_xlsx_end_to_end(tmp_path, runner):
    from spoorwijzer.cli import app

    path = _workbook(tmp_path / "werk.xlsx", [["naam", "doel", "duur"], ["Dagbesteding", "zorg", "structureel"]])
    result = runner.invoke(app, ["match", "--werk", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["werkplekken"][0]["naam"] == "Dagbesteding"
    assert data["werkplekken"][0]["sporen"][0]["nummer"] == 6


def test_json_path_does_not_import_openpyxl(tmp_path):
    import subprocess

    code = (
        "import sys; from spoorwijzer.cli import main; sys.argv=['spoorwijzer','match','--werk',"
        f"{str(Path(__file__).parents[1] / 'voorbeelden' / 'werkplekken.yaml')!r},'--format','json'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('openpyxl' in sys.modules and 'GELADEN' or 'NIET')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stderr.endswith("NIET"), result.stderr


def test_xlsx_problems_keep_the_path_as_file_and_the_place_apart(tmp_path, vocab):
    path = _workbook(tmp_path / "werk.xlsx", [["naam", "taken", "doel"], ["A", "eenvoudg", "werkn"]])
    problems = read_werkplekken(path, vocab).problems
    assert {p.file for p in problems} == {str(path)}
    assert [p.plaats for p in problems] == ["blad 'Blad1', rij 2, kolom B", "blad 'Blad1', rij 2, kolom C"]
    assert (
        problems[0]
        .render()
        .startswith(f"{path}, blad 'Blad1', rij 2, kolom B, werkplek 'A', veld 'taken': 'eenvoudg' ")
    )


def test_xlsx_problems_of_one_row_are_one_werkplek_on_screen(tmp_path, runner):
    from spoorwijzer.cli import app

    rows = [["naam", "taken", "doel"], ["A", "eenvoudg", "werkn"]]
    path = _workbook(tmp_path / "twobad.xlsx", rows, title="werkplekken")
    result = runner.invoke(app, ["match", "--werk", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("  werkplek")] == ["  werkplek 'A' (rij 2):"]
    assert f"    - {path}, blad 'werkplekken', rij 2, kolom B, veld 'taken': 'eenvoudg'" in result.stderr
    assert f"    - {path}, blad 'werkplekken', rij 2, kolom C, veld 'doel': 'werkn'" in result.stderr
    assert lines[-1] == "2 problemen in 1 werkplek."
    # The same werkplek as CSV is grouped and counted the same way, by line.
    csv_path = tmp_path / "twobad.csv"
    csv_path.write_text("naam,taken,doel\nA,eenvoudg,werkn\n", encoding="utf-8")
    as_csv = runner.invoke(app, ["match", "--werk", str(csv_path)]).stderr.splitlines()
    assert [line for line in as_csv if line.startswith("  werkplek")] == ["  werkplek 'A' (regel 2):"]
    assert as_csv[-1] == lines[-1]


def test_xlsx_duplicate_column_is_reported_once_at_the_header(tmp_path, vocab):
    rows = [["naam", "taken", "Taken"], ["A", "eenvoudig", "complex"], ["B", "complex", "eenvoudig"]]
    path = _workbook(tmp_path / "werk.xlsx", rows)
    result = read_werkplekken(path, vocab)
    assert _rendered(result) == [
        f"{path}, blad 'Blad1', rij 1, kolom C, veld 'Taken': De kolom 'Taken' staat twee keer in de kop "
        "(ook als 'taken'): elke vraag één kolom."
    ]
    assert result.werkplekken == []


def test_xlsx_identical_duplicate_columns_do_not_silently_lose_one(tmp_path, vocab):
    # Two columns both called 'taken' used to keep only the last value, without a word.
    path = _workbook(
        tmp_path / "werk.xlsx", [["naam", "doel", "taken", "taken"], ["A", "zorg", "eenvoudig", "complex"]]
    )
    rendered = _rendered(read_werkplekken(path, vocab))
    assert len(rendered) == 1
    assert rendered[0].startswith(f"{path}, blad 'Blad1', rij 1, kolom D, veld 'taken': De kolom 'taken' staat twee")


@pytest.mark.parametrize(
    "content",
    [b"naam;taken\nA;eenvoudig\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)],
    ids=["renamed-csv", "password-protected"],
)
def test_unreadable_workbook_is_explained_in_dutch(tmp_path, vocab, content):
    pytest.importorskip("openpyxl")
    path = tmp_path / "werk.xlsx"
    path.write_bytes(content)
    with pytest.raises(UserError) as error:
        read_werkplekken(path, vocab)
    message = str(error.value)
    assert "BadZipFile" not in message
    assert "Error" not in message
    assert "beschadigd" in message
    assert "wachtwoord" in message
    assert "CSV UTF-8" in message


def test_xlsx_text_without_header_belongs_to_its_werkplek(tmp_path, vocab):
    path = _workbook(tmp_path / "werk.xlsx", [["naam", "taken", None], ["A", "eenvoudig", "notitie"], ["A"]])
    problems = read_werkplekken(path, vocab).problems
    assert [(p.werkplek, p.werkplek_regel, p.plaats) for p in problems] == [
        ("A", 2, "blad 'Blad1', rij 2, kolom C"),
        ("A", 3, "blad 'Blad1', rij 3, kolom A"),
    ]
    assert "(rij 2)" in problems[1].message
