"""Reading werkplekken from an Excel workbook (.xlsx) through the optional openpyxl.

The rows become the same records a CSV file gives, so `normalize_record` checks them the same
way; problems name the sheet, row and column as Excel shows them ("blad werkplekken, rij 3,
kolom C") in `Problem.plaats`, while `Problem.file` stays the path, so the problems of one row
group as one werkplek. openpyxl is imported here only, and only for .xlsx files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from spoorwijzer.errors import Problem, UserError
from spoorwijzer.werkplek import (
    ReadResult,
    Vocabulary,
    _check_unique,
    _header_problems,
    _record_naam,
    normalize_key,
    normalize_record,
)

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls",)
SHEET_NAME = "werkplekken"
INSTALL_HINT = (
    "Voor Excel-bestanden (.xlsx) is de uitbreiding 'excel' nodig: pip install 'spoorwijzer[excel]' "
    "(of in de map van de broncode: pip install '.[excel]'). Of sla het blad in Excel op als "
    "'CSV UTF-8 (door komma's gescheiden)' en gebruik dat bestand."
)


def load_openpyxl(name: str) -> Any:
    """The openpyxl module, or a Dutch UserError that says how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise UserError.single("openpyxl ontbreekt. " + INSTALL_HINT, file=name) from None
    return openpyxl


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: the column as Excel names it."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(value: Any) -> Any:
    """A cell as a CSV-like value: text stays text, an empty cell is not answered."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # Excel stores 3 as 3.0; a naam '3' should not read '3.0'
    return value  # bool (WAAR/ONWAAR) and numbers: normalize_record explains what is wrong


def _is_empty(row: tuple[Any, ...]) -> bool:
    return all(_cell(v) is None for v in row)


def read_xlsx(path: Path, vocab: Vocabulary) -> ReadResult:
    name = str(path)
    if path.suffix.lower() in OLD_EXCEL_SUFFIXES:
        raise UserError.single(
            "Dit is het oude Excel-formaat (.xls). Sla het in Excel op als 'Excel-werkmap (.xlsx)' of als "
            "'CSV UTF-8 (door komma's gescheiden)'.",
            file=name,
        )
    if not path.exists():
        raise UserError.single("Het bestand bestaat niet.", file=name)
    if path.is_dir():
        raise UserError.single("Dit is een map, geen bestand.", file=name)
    openpyxl = load_openpyxl(name)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise UserError.single("Geen toestemming om het bestand te lezen.", file=name) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        # A renamed CSV, a damaged download or a password-protected workbook (which is not a zip).
        # The exception's name means nothing to the user, so it is not shown.
        raise UserError.single(
            "Dit is geen leesbaar Excel-bestand: het is beschadigd, met een wachtwoord beveiligd, of het is "
            "eigenlijk geen .xlsx (bijvoorbeeld een CSV-bestand met een andere naam). Open het in Excel en sla "
            "het opnieuw op als 'Excel-werkmap (.xlsx)' zonder wachtwoord, of als 'CSV UTF-8'.",
            file=name,
        ) from None
    try:
        sheet = next((ws for ws in workbook.worksheets if ws.title.strip().lower() == SHEET_NAME), None)
        sheet = sheet or workbook.worksheets[0]
        rows = [tuple(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
        title = sheet.title
    finally:
        workbook.close()
    return parse_rows(rows, name, title, vocab)


def parse_rows(rows: list[tuple[Any, ...]], file: str, sheet: str, vocab: Vocabulary) -> ReadResult:
    """The rows of one sheet (a header, then one werkplek a row) as werkplekken."""
    result = ReadResult()
    blad = f"blad '{sheet}'"
    if not rows or _is_empty(rows[0]):
        result.problems.append(
            Problem(
                "Het blad is leeg of de eerste rij is leeg. Zet de kolomkoppen (naam, taken, ...) in rij 1.",
                file=file,
                plaats=f"{blad}, rij 1",
            )
        )
        return result
    keys = ["" if v is None else str(v).strip() for v in rows[0]]
    header_problems = _header_problems(keys, file, vocab)
    if header_problems:
        # As for CSV: once, at the header, and no werkplek is read (one of the two columns would be lost).
        columns = _duplicate_columns(keys, vocab)
        result.problems = [
            dataclasses.replace(p, line=None, plaats=f"{blad}, rij 1, kolom {column_letter(c)}")
            for p, c in zip(header_problems, columns, strict=True)
        ]
        return result
    letters: dict[str, str] = {}
    for i, key in enumerate(keys, start=1):
        if key:
            # Problems name a field by its canonical id ('collegas') or as written ('Collega's').
            letters.setdefault(key, column_letter(i))
            letters.setdefault(vocab.resolve_key(key) or key, column_letter(i))
    names: list[tuple[str, int | None]] = []
    for number, row in enumerate(rows[1:], start=2):
        if _is_empty(row) or (isinstance(row[0], str) and row[0].lstrip().startswith("#")):
            continue
        loose = [
            i for i, value in enumerate(row, start=1) if _cell(value) is not None and (i > len(keys) or not keys[i - 1])
        ]
        if loose:
            naam = _record_naam({key: _cell(value) for key, value in zip(keys, row, strict=False) if key}, vocab)
            names.append((naam, number))  # as in CSV: a naam in a row with an error still counts as taken
            result.problems.append(
                Problem(
                    "Deze rij heeft tekst in een kolom zonder kop. Geef die kolom een kop in rij 1 (zoals "
                    "'opmerking') of maak de cel leeg.",
                    file=file,
                    plaats=f"{blad}, rij {number}, kolom {column_letter(loose[0])}",
                    werkplek=naam or None,
                    werkplek_regel=number,
                    werkplek_plaats=f"rij {number}",
                )
            )
            continue
        record = {key: _cell(value) for key, value in zip(keys, row, strict=False) if key}
        names.append((_record_naam(record, vocab), number))
        werkplek, problems = normalize_record(record, vocab, file=file, fallback_line=number)
        result.problems.extend(problems)
        if werkplek is not None:
            result.werkplekken.append(werkplek)
    if not result.werkplekken and not result.problems:
        result.problems.append(
            Problem("Het blad heeft kolomkoppen maar geen werkplekken.", file=file, plaats=f"{blad}, rij 2")
        )
    _check_unique(result, names, file)
    result.problems = [_excel_place(p, file, blad, letters) for p in result.problems]
    return result


def _duplicate_columns(keys: list[str], vocab: Vocabulary) -> list[int]:
    """The columns (1 = A) that repeat an earlier one, in the order `_header_problems` reports them."""
    seen: set[str] = set()
    columns = []
    for index, key in enumerate(keys, start=1):
        if not key:
            continue
        target = vocab.resolve_key(key) or normalize_key(key)
        if target in seen:
            columns.append(index)
        seen.add(target)
    return columns


def _excel_place(problem: Problem, file: str, blad: str, letters: dict[str, str]) -> Problem:
    """'werk.xlsx:3' as Excel users see it: 'werk.xlsx, blad werkplekken, rij 3, kolom C'.

    The path stays in `file` (problems group and count per file and werkplek); the sheet, row and
    column go to `plaats`, which `Problem.render` shows instead of ':3'.
    """
    if problem.file != file or problem.line is None or problem.plaats:
        return problem
    place = f"{blad}, rij {problem.line}"
    if problem.field is not None:
        letter = letters.get(problem.field)
        if letter:
            place += f", kolom {letter}"
    message = problem.message.replace("(regel ", "(rij ")  # the duplicate-naam check speaks of lines
    werkplek_plaats = f"rij {problem.werkplek_regel}" if problem.werkplek_regel is not None else None
    return dataclasses.replace(problem, message=message, plaats=place, werkplek_plaats=werkplek_plaats)
