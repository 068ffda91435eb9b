"""Empty werkplek templates (`spoorwijzer sjabloon`): YAML, CSV or Excel, built from the kennisbank.

Every column, question text and allowed answer comes from `data/vragen.yaml` and
`data/doelgroepen.yaml`; the filled-in example row is the practice case with the most
`kenmerken`, so the example is a real werkplek and changes with the data.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spoorwijzer.errors import UserError, allowed_list
from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.text import one_line
from spoorwijzer.werkplek import CSV_SUFFIXES

TEMPLATE_FORMATS = ("csv", "yaml", "xlsx")
# The extensions `match` (werkplek.read_werkplekken) reads in each format, so every template is read
# back as written; the first is the default. No .xlsm: Excel refuses a macro-free workbook by that name.
SUFFIXES = {"csv": CSV_SUFFIXES, "yaml": (".yaml", ".yml"), "xlsx": (".xlsx",)}
TAB_SUFFIXES = (".tsv",)  # tab-separated values: the CSV template with tabs, as the name promises
DEFAULT_NAME = "werkplekken"
SHEET = "werkplekken"
HELP_SHEET = "uitleg"
VALIDATION_ROWS = 1000  # drop-down lists reach this far down the sheet
COMMENT = "#"


@dataclass(frozen=True)
class Kolom:
    id: str
    vraag: str  # the question (or what the column holds)
    toegestaan: str  # allowed values, as shown to the user
    waarden: tuple[str, ...]  # allowed values for a drop-down; empty for free text
    toelichting: str
    stap: str = ""  # the stappenplan step that asks this question
    meer: bool = False  # more than one value allowed (doelgroep)


def columns(kb: Kennisbank) -> list[Kolom]:
    """naam and omschrijving, every question in the stappenplan's order, opmerking last."""
    stap_of: dict[str, str] = {}
    for stap in kb.startpunt("werk")["stappen"]:
        for vraag_id in stap.get("vragen") or []:
            stap_of.setdefault(vraag_id, f"Stap {stap['nummer']}. {stap['titel']}")
    order = [v for v in stap_of if any(q.id == v for q in kb.vragen)]
    order += [q.id for q in kb.vragen if q.id not in stap_of]
    result = [
        Kolom("naam", "Naam van de werkplek", "verplicht, vrije tekst, uniek in het bestand", (), ""),
        Kolom("omschrijving", "Korte omschrijving van het werk", "vrije tekst (mag leeg)", (), ""),
    ]
    for vraag_id in order:
        vraag = kb.vraag(vraag_id)
        if vraag.type == "meerkeuze":
            ids = tuple(kb.doelgroepen)
            toegestaan = f"een of meer van: {allowed_list(ids)} (met , ertussen; zie: spoorwijzer doelgroepen)"
            waarden, meer = ids, True
        else:
            waarden, meer = (*vraag.waarden(), "onbekend"), False
            toegestaan = " | ".join(waarden)
        result.append(
            Kolom(
                vraag.id, vraag.vraag, toegestaan, waarden, one_line(vraag.toelichting), stap_of.get(vraag.id, ""), meer
            )
        )
    result.append(Kolom("opmerking", "Eigen notities (telt niet mee in het advies)", "vrije tekst (mag leeg)", (), ""))
    return result


def example(kb: Kennisbank) -> dict[str, Any]:
    """A filled-in werkplek: the practice case that answers the most questions."""
    cases = [c for c in kb.cases if c.get("kenmerken")]
    record: dict[str, Any] = {"naam": "Voorbeeld", "omschrijving": "", "opmerking": ""}
    if cases:
        case = max(cases, key=lambda c: (len(c["kenmerken"]), -int(c.get("spoor", 99))))
        werk = case.get("type_werk") or []
        record["naam"] = f"Voorbeeld: {one_line(case.get('titel', case['id']))}"
        record["omschrijving"] = one_line(werk[0] if isinstance(werk, list) and werk else werk)
        record["opmerking"] = f"Uit de praktijkcase {case['id']}; vervang deze regel door uw eigen werkplek."
        record |= dict(case["kenmerken"])
    for kolom in columns(kb):
        record.setdefault(kolom.id, "onbekend")
    return {kolom.id: record[kolom.id] for kolom in columns(kb)}


def _cell_text(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


# -- YAML -------------------------------------------------------------------------------------------
def template_yaml(kb: Kennisbank) -> str:
    import yaml

    record = example(kb)
    lines = [
        "# Sjabloon voor een werkplekbestand van spoorwijzer (gemaakt met 'spoorwijzer sjabloon').",
        "# Vervang het voorbeeld door uw eigen werkplek; kopieer het blok vanaf '- naam:' voor elke volgende.",
        "# Alleen 'naam' is verplicht. Weet u een antwoord niet: zet 'onbekend' of laat de regel weg.",
        "# Daarna: spoorwijzer match --werk <dit bestand>",
        "werkplekken:",
    ]
    stap = None
    for position, kolom in enumerate(columns(kb)):
        if kolom.stap and kolom.stap != stap:
            stap = kolom.stap
            lines.append(f"    # -- {stap}")
        if kolom.stap:
            lines.append(f"    # {kolom.vraag}")
            lines += [f"    #   {part}" for part in textwrap.wrap(kolom.toelichting, 92)]
        toegestaan = kolom.toegestaan
        if kolom.meer:
            lines += [f"    #   {part}" for part in textwrap.wrap(kolom.toegestaan, 92)]
            toegestaan = "een lijst [id, id] of één id"
        value = yaml.safe_dump(record[kolom.id], allow_unicode=True, default_flow_style=True, width=10**6)
        value = value.removesuffix("\n...\n").rstrip("\n")  # a bare scalar ends with a document marker
        prefix = "  - " if position == 0 else "    "
        lines.append(f"{prefix}{kolom.id}: {value}   # {toegestaan}")
    return "\n".join(lines) + "\n"


# -- CSV --------------------------------------------------------------------------------------------
def template_csv(kb: Kennisbank, delimiter: str = ";") -> str:
    """`;`-separated with a BOM, as Dutch Excel opens it; help rows start with '#' and are skipped."""
    kolommen = columns(kb)
    record = example(kb)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([k.id for k in kolommen])
    writer.writerow([f"{COMMENT} Vraag (regels met # worden overgeslagen)", *(k.vraag for k in kolommen[1:])])
    writer.writerow([f"{COMMENT} Toegestaan: {kolommen[0].toegestaan}", *(k.toegestaan for k in kolommen[1:])])
    writer.writerow([_cell_text(record[k.id]) for k in kolommen])
    return "\ufeff" + buffer.getvalue()


# -- Excel ------------------------------------------------------------------------------------------
def template_xlsx(kb: Kennisbank, name: str = "sjabloon.xlsx") -> bytes:
    """A workbook: sheet 'werkplekken' with drop-downs per column, sheet 'uitleg' with the questions."""
    from spoorwijzer.spreadsheet import column_letter, load_openpyxl

    openpyxl = load_openpyxl(name)
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    kolommen = columns(kb)
    record = example(kb)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([k.id for k in kolommen])
    sheet.append([_cell_text(record[k.id]) for k in kolommen])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, kolom in enumerate(kolommen, start=1):
        letter = column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font, header.fill = bold, fill
        sheet.column_dimensions[letter].width = max(14, min(40, len(_cell_text(record[kolom.id])) + 2))
        formula = '"' + ",".join(kolom.waarden) + '"'
        prompt = (kolom.vraag + " " + kolom.toegestaan)[:250]
        if kolom.waarden and len(formula) <= 255 and not any("," in w for w in kolom.waarden):
            # A warning, not a refusal: spoorwijzer also accepts spellings like "minder relevant", and
            # several doelgroepen in one cell are allowed, so that list only informs.
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="information" if kolom.meer else "warning",
                errorTitle="Kies bij voorkeur uit de lijst",
                error=f"Toegestaan: {kolom.toegestaan}"[:250],
            )
        else:
            validation = DataValidation(allow_blank=True)
        validation.promptTitle = kolom.id[:32]
        validation.prompt = prompt
        validation.showInputMessage = True
        validation.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"
    uitleg = workbook.create_sheet(HELP_SHEET)
    uitleg.append(["kolom", "vraag", "toegestaan", "toelichting", "stap"])
    for cell in uitleg[1]:
        cell.font, cell.fill = bold, fill
    for kolom in kolommen:
        uitleg.append([kolom.id, kolom.vraag, kolom.toegestaan, kolom.toelichting, kolom.stap])
    uitleg.append([])
    uitleg.append(["Vul op het blad 'werkplekken' één rij per werkplek in; alleen 'naam' is verplicht."])
    uitleg.append(["Leeg of 'onbekend' = niet beantwoord. Daarna: spoorwijzer match --werk <dit bestand>"])
    for letter, width in zip("ABCDE", (18, 50, 50, 80, 40), strict=True):
        uitleg.column_dimensions[letter].width = width
        for cell in uitleg[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- choosing format and file ---------------------------------------------------------------------
def choose(formaat: str | None, uitvoer: Path | None) -> tuple[str, Path | None]:
    """(format, file or None for the screen); the file's extension must fit, since `match` reads by it."""
    suffix = uitvoer.suffix.lower() if uitvoer is not None and str(uitvoer) != "-" else ""
    by_suffix = next((f for f, suffixes in SUFFIXES.items() if suffix in suffixes), None)
    if formaat is None:
        gekozen = by_suffix or "csv"
    else:
        gekozen = {"yml": "yaml", "excel": "xlsx"}.get(formaat.strip().lower(), formaat.strip().lower())
        if gekozen not in TEMPLATE_FORMATS:
            raise UserError.single(
                f"'{formaat}' is geen sjabloonformaat.", field="--format", allowed=allowed_list(TEMPLATE_FORMATS)
            )
    if uitvoer is None:
        return gekozen, Path(DEFAULT_NAME + SUFFIXES[gekozen][0])
    if str(uitvoer) == "-":
        if gekozen == "xlsx":
            raise UserError.single(
                "Een Excel-bestand kan niet naar het scherm.", field="--uitvoer", allowed="een bestandsnaam op .xlsx"
            )
        return gekozen, None
    if suffix not in SUFFIXES[gekozen]:
        raise UserError.single(
            f"De extensie past niet bij het formaat {gekozen}: spoorwijzer match kiest het formaat op de extensie.",
            file=str(uitvoer),
            field="--uitvoer",
            allowed=f"een bestandsnaam op {' of '.join(SUFFIXES[gekozen])}",
        )
    return gekozen, uitvoer


def render(kb: Kennisbank, formaat: str, name: str) -> str | bytes:
    if formaat == "xlsx":
        return template_xlsx(kb, name)
    if formaat == "yaml":
        return template_yaml(kb)
    return template_csv(kb, "\t" if Path(name).suffix.lower() in TAB_SUFFIXES else ";")
