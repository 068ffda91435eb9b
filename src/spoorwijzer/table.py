"""Rich terminal rendering: advice tables, the checklist and the browse commands.

Imported only by commands that print to a terminal, so `match --format json` never loads rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from spoorwijzer.checklist import Stap
from spoorwijzer.engine import Advies, SpoorScore, format_score, need_label
from spoorwijzer.kennisbank import HERKOMST_SPOORWIJZER, Kennisbank, Spoor
from spoorwijzer.output import cut_sporen
from spoorwijzer.text import one_line


def _rank_labels(sporen: list[SpoorScore]) -> list[str]:
    labels, rank, previous = [], 0, None
    for position, item in enumerate(sporen, start=1):
        if item.score != previous:
            rank, previous = position, item.score
        labels.append(f"{rank}=" if item.gelijk else str(rank))
    return labels


def _heading(console: Console, title: str) -> None:
    """A rule with a bold title; a title too long for the rule goes below it, whole, not cut off with '…'."""
    if cell_len(title) + 6 <= console.width:
        console.rule(f"[bold]{escape(title)}[/]")
    else:
        console.rule()
        console.print(f"[bold]{escape(title)}[/]")


def _fit_columns(console: Console, table: Table, rows: list[tuple[str, ...]]) -> None:
    """Column widths for a narrow terminal that never split a word in the middle.

    Rich shrinks the widest columns first and then folds words ('Onderwijspartic / ipatie'); here
    every column keeps at least its longest word and the remaining width goes to the columns with
    the most text. When even that does not fit, rich's own folding is the last resort.
    """
    lowest: list[int] = []
    widest: list[int] = []
    for index, column in enumerate(table.columns):
        texts = [str(column.header), *(Text.from_markup(row[index]).plain for row in rows)]
        lines = [line for text in texts for line in text.splitlines()] or [""]
        widest.append(max(cell_len(line) for line in lines))
        words = [word for line in lines for word in line.split()]
        longest = max((cell_len(word) for word in words), default=1)
        lowest.append(widest[-1] if column.no_wrap else longest)
    padding = 2 * len(table.columns)  # the default padding: one space either side of a cell
    borders = (2 if table.box and table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
    available = console.width - padding - borders
    if sum(widest) <= available or sum(lowest) > available:
        return
    spare = available - sum(lowest)
    growth = [high - low for high, low in zip(widest, lowest, strict=True)]
    total = sum(growth) or 1
    widths = [low + spare * grow // total for low, grow in zip(lowest, growth, strict=True)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def _bullets(console: Console, items: list[str | tuple[str, str]], marker: str = "•") -> None:
    """A list with a hanging indent, so wrapped lines stay readable at 80 columns.

    An item is a text (shown with `marker`) or a (marker, text) pair for a sub-item.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(*(item if isinstance(item, tuple) else (marker, item)))
    console.print(grid)


def _block(console: Console, title: str, lines: list[str]) -> None:
    """A titled block whose lines wrap with an indent: readable at any width, unlike narrow columns."""
    console.print(title)
    for line in lines:
        if line:
            console.print(Padding(line, (0, 0, 0, 4)))
    console.print()


def _instrument_lines(instrument: dict[str, Any], *, voorwaarden: bool) -> list[str]:
    sporen = ", ".join(str(n) for n in instrument.get("sporen", []))
    lines = [
        f"[dim]Wie:[/] {escape(str(instrument.get('verstrekker', '')))}"
        + (f"  [dim]Sporen:[/] {sporen}" if sporen else "")
        + f"  [dim]Peildatum:[/] {instrument.get('peildatum', 'onbekend')}",
        escape(one_line(instrument.get("wat", ""))),
    ]
    if voorwaarden:
        lines += [f"• {escape(str(v))}" for v in instrument.get("voorwaarden", [])]
    if instrument.get("vervallen"):
        lines.append(f"[red]Vervallen per {instrument['vervallen']}: wordt niet geadviseerd.[/]")
    if instrument.get("let_op"):
        lines.append(f"[yellow]Let op:[/] {escape(one_line(instrument['let_op']))}")
    return lines


def _case_sporen(case: dict[str, Any]) -> str:
    ook = case.get("ook_sporen") or []
    return f"spoor {case.get('spoor')}" + (f", ook {', '.join(map(str, ook))}" if ook else "")


def _eigen(item: dict[str, Any]) -> str:
    """A tag for items from the organisation's own data (--data); shipped items get none."""
    herkomst = str(item.get("herkomst", HERKOMST_SPOORWIJZER))
    return "" if herkomst == HERKOMST_SPOORWIJZER else f" [cyan]– {escape(herkomst)}[/]"


def _contact(item: dict[str, Any]) -> list[str]:
    contact = item.get("contact") or {}
    return [f"[dim]Contact:[/] {escape('; '.join(f'{k}: {v}' for k, v in contact.items()))}"] if contact else []


def _bar(score: float, best: float, width: int = 12) -> str:
    if best <= 0:
        return ""
    filled = max(1, round(width * score / best)) if score > 0 else 0
    return "█" * filled


def render_summary(console: Console, adviezen: list[Advies]) -> None:
    rows = []
    for advies in adviezen:
        beste = advies.sporen[0] if advies.sporen else None
        tweede = advies.sporen[1] if len(advies.sporen) > 1 else None
        rows.append(
            (
                escape(advies.naam),
                (f"{beste.spoor.nummer}. {escape(beste.spoor.naam)}" + (" [yellow](gelijk)[/]" if beste.gelijk else ""))
                if beste
                else "[red]geen[/]",
                format_score(beste.score) if beste else "",
                f"{tweede.spoor.nummer}. {escape(tweede.spoor.naam)} ({format_score(tweede.score)})" if tweede else "",
                str(len(advies.waarschuwingen)) if advies.waarschuwingen else "",
            )
        )
    table = Table(title="Overzicht", box=box.SIMPLE_HEAVY, show_lines=False)
    table.add_column("Werkplek", overflow="fold")
    table.add_column("Beste spoor", overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Tweede spoor", overflow="fold")
    # A short header at 80 columns leaves room for the spoor names.
    table.add_column("Let op" if console.width < 100 else "Waarschuwingen", justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    _fit_columns(console, table, rows)
    console.print(table)


def render_advies(
    console: Console, advies: Advies, top: int | None = None, vragen: Mapping[str, str] | None = None
) -> None:
    """One advice in full; `vragen` (id → question) lets "Niet beantwoord" say what was not asked."""
    _heading(console, advies.naam)
    if advies.omschrijving:
        console.print(escape(advies.omschrijving))
    sporen = cut_sporen(advies.sporen, top)
    if sporen:
        table = Table(title="Passende sporen (hoogste score eerst)", box=box.SIMPLE_HEAVY)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Spoor", overflow="fold")
        table.add_column("Score", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        best = sporen[0].score
        for label, item in zip(_rank_labels(sporen), sporen, strict=True):
            table.add_row(
                label,
                f"[bold]{item.spoor.nummer}. {escape(item.spoor.naam)}[/]"
                + (" [yellow](gelijk)[/]" if item.gelijk else ""),
                format_score(item.score),
                f"[green]{_bar(item.score, best)}[/]",
            )
        console.print(table)
        for item in sporen:
            console.print(
                f"[bold]Waarom {item.spoor.nummer}. {escape(item.spoor.naam)}[/] (score {format_score(item.score)})"
            )
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=2, justify="right", no_wrap=True)
            grid.add_column(overflow="fold")
            for reden in item.redenen:
                grid.add_row("[green]+[/]" if reden.gewicht > 0 else "[red]-[/]", escape(reden.render()))
            console.print(grid)
        console.print()
    else:
        console.print("[yellow]Geen spoor past bij deze antwoorden.[/]")
    if advies.afgewezen:
        console.print(
            "[dim]Niet passend: "
            + "; ".join(f"{s.spoor.nummer}. {escape(s.spoor.naam)} ({format_score(s.score)})" for s in advies.afgewezen)
            + "[/]"
        )
    if advies.advies_sporen:
        namen = " en ".join(f"{s.nummer}. {s.naam}" for s in advies.advies_sporen)
        console.print(f"\nPartners, instrumenten en cases hieronder gelden voor: [bold]{escape(namen)}[/]")
    if advies.partners:
        rows = [
            (
                escape(partner["naam"])
                + (" [yellow]*[/]" if partner.get("let_op") else "")
                + _eigen(partner)
                + ("\n" + _contact(partner)[0] if partner.get("contact") else ""),
                escape(partner.get("rol", "")),
                escape("\n".join(partner.get("nodig_voor", []))),
            )
            for partner in advies.partners
        ]
        table = Table(title="Sociale partners", box=box.SIMPLE, show_lines=False)
        for header in ("Partner", "Rol bij dit spoor", "Nodig voor"):
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*row)
        _fit_columns(console, table, rows)
        console.print(table)
        _bullets(
            console,
            [f"[yellow]{escape(p['naam'])}:[/] {escape(p['let_op'])}" for p in advies.partners if p.get("let_op")],
            "[yellow]*[/]",
        )
    if advies.instrumenten:
        console.print("[bold]Instrumenten om te regelen[/] (voorwaarden: spoorwijzer instrumenten --spoor N)\n")
        for instrument in advies.instrumenten:
            title = f"[bold]{escape(instrument['naam'])}[/]{_eigen(instrument)}"
            _block(console, title, _instrument_lines(instrument, voorwaarden=False))
    if advies.cases:
        console.print("[bold]Praktijkvoorbeelden[/] (meer: spoorwijzer cases <id>)")
        _bullets(
            console, [f"{escape(c['titel'])} [dim]({_case_sporen(c)}, {c['id']})[/]{_eigen(c)}" for c in advies.cases]
        )
    if advies.waarschuwingen:
        console.print("\n[bold yellow]Let op[/]")
        _bullets(console, [escape(w) for w in advies.waarschuwingen], "[yellow]![/]")
    if advies.let_op:
        console.print("\n[bold]Goed om te weten[/]")
        _bullets(console, [escape(t) for t in advies.let_op])
    if advies.onbeantwoord and vragen:
        console.print("\n[dim]Niet beantwoord (het veld in een werkplekbestand, en de vraag):[/]")
        _bullets(console, [f"[dim]{v}: {escape(vragen.get(v, ''))}[/]" for v in advies.onbeantwoord], "[dim]-[/]")
    elif advies.onbeantwoord:
        console.print(f"\n[dim]Niet beantwoord: {', '.join(advies.onbeantwoord)}[/]")
    console.print()


def render_adviezen(
    console: Console, adviezen: list[Advies], top: int | None = None, vragen: Mapping[str, str] | None = None
) -> None:
    if len(adviezen) > 1:
        render_summary(console, adviezen)
    for advies in adviezen:
        render_advies(console, advies, top, vragen)


def render_checklist(console: Console, stappen: list[Stap], spoor: Spoor | None) -> None:
    titel = f"Checklist: de volgende stappen voor {spoor.naam}" if spoor else "Checklist: de volgende stappen"
    _heading(console, titel)
    for stap in stappen:
        console.print(f"[bold]Stap {stap.nummer}. {escape(stap.titel)}[/]")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=5, no_wrap=True)
        grid.add_column(overflow="fold")
        for punt in stap.punten:
            grid.add_row("  [ ]", escape(punt.tekst))
            for detail in punt.details:
                grid.add_row("", f"- {escape(detail)}")
        console.print(grid)
    console.print()


# -- browse commands -------------------------------------------------------------------------------
def _lines(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(f"• {escape(str(v))}" for v in value)
    if isinstance(value, dict):
        return escape(one_line(value.get("omschrijving", "")))
    return escape(one_line(value)) if value else ""


def render_sporen(console: Console, kb: Kennisbank) -> None:
    console.rule("[bold]De sporen van arbeidsparticipatie[/]")
    for spoor in kb.sporen:
        raw = spoor.raw
        lines = [
            escape(spoor.kort),
            f"[dim]Doel:[/] {escape(str(raw.get('doel', {}).get('soort', '')))}"
            f"  [dim]Dienstverband:[/] {escape(', '.join(map(str, raw.get('dienstverband', []))))}",
            f"[dim]Begeleiding:[/] {escape(one_line(raw.get('begeleiding', {}).get('omschrijving', '')))}",
        ]
        _block(console, f"[bold]{spoor.nummer}. {escape(spoor.naam)}[/]", lines)
    console.print("[dim]Alle kolommen van één spoor: spoorwijzer sporen <nummer>[/]")


def render_spoor(console: Console, kb: Kennisbank, spoor: Spoor) -> None:
    raw = spoor.raw
    _heading(console, f"Spoor {spoor.nummer}: {spoor.naam}")
    console.print(escape(spoor.kort) + "\n")
    doel = raw.get("doel", {})
    rows = [
        ("Doel", f"{escape(str(doel.get('soort', '')))}\n{_lines(doel.get('punten', []))}"),
        ("Type activiteit of werkplek", _lines(raw.get("type_werkplek", []))),
        ("Soort dienstverband", _lines(raw.get("dienstverband", []))),
        ("Kenmerken doelgroep", escape(str(raw.get("kenmerken_doelgroep", {}).get("niveau", "")))),
        (
            "Instroom",
            ", ".join(escape(str(kb.doelgroepen.get(d, {}).get("naam", d))) for d in sorted(spoor.instroom)),
        ),
        ("Voorbeelden van werk", _lines(raw.get("voorbeelden_werk", []))),
        ("Begeleiding en coaching", _lines(raw.get("begeleiding", ""))),
    ]
    if raw.get("let_op"):
        rows.append(("Let op", _lines(raw["let_op"])))
    rows.append(("Bron", escape(kb.bron_titel(raw.get("bron", "")))))
    table = Table(box=box.SIMPLE, show_header=False, show_lines=True)
    table.add_column("Kolom", style="bold", no_wrap=True)
    table.add_column("Inhoud", overflow="fold")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    for groep in raw.get("kenmerken_doelgroep", {}).get("instroom", []):
        if groep.get("let_op"):
            console.print(f"[yellow]Let op:[/] {escape(str(groep['let_op']))}")


def render_cases(console: Console, cases: list[dict[str, Any]], kb: Kennisbank) -> None:
    if not cases:
        console.print("Geen praktijkvoorbeelden gevonden.")
        return
    table = Table(title="Praktijkvoorbeelden", box=box.SIMPLE_HEAVY)
    table.add_column("Spoor", justify="right")
    table.add_column("Id", no_wrap=True)  # users type or copy the id: never split it
    table.add_column("Titel", overflow="fold")
    for case in cases:
        ook = case.get("ook_sporen") or []
        spoor = str(case.get("spoor", "")) + (f" (ook {', '.join(map(str, ook))})" if ook else "")
        table.add_row(spoor, escape(case["id"]), escape(str(case.get("titel", ""))) + _eigen(case))
    console.print(table)
    console.print("[dim]Eén case helemaal lezen: spoorwijzer cases <id>[/]")


CASE_FIELDS = (
    ("organisatie", "Organisatie"),
    ("plaats", "Plaats"),
    ("beschrijving", "Beschrijving"),
    ("doel", "Doel"),
    ("doelgroep", "Doelgroep"),
    ("type_werk", "Type werk"),
    ("aantal_mensen", "Aantal mensen"),
    ("samenwerkingspartners", "Samenwerkingspartners"),
    ("rollen", "Rollen"),
    ("looptijd", "Looptijd"),
    ("succesfactoren", "Succesfactoren"),
    ("aandachtspunten", "Aandachtspunten"),
    ("waardecreatie", "Waardecreatie"),
    ("financiering", "Financiering"),
    ("website", "Website"),
    ("let_op", "Let op"),
    ("bron", "Bron"),
)


def render_case(console: Console, case: dict[str, Any], kb: Kennisbank) -> None:
    spoor = kb.spoor(case["spoor"]) if kb.has_spoor(case.get("spoor", 0)) else None
    _heading(console, str(case.get("titel", case["id"])))
    line = f"Spoor {case.get('spoor')}" + (f": {spoor.naam}" if spoor else "")
    if case.get("ook_sporen"):
        line += f" (raakt ook spoor {', '.join(map(str, case['ook_sporen']))})"
    console.print(f"[bold]{escape(line)}[/]{_eigen(case)}")
    table = Table(box=box.SIMPLE, show_header=False, show_lines=True)
    table.add_column("Veld", style="bold", no_wrap=True)
    table.add_column("Inhoud", overflow="fold")
    for key, label in CASE_FIELDS:
        if case.get(key):
            value = escape(kb.bron_titel(case[key])) if key == "bron" else _lines(case[key])
            table.add_row(label, value)
    if case.get("kenmerken"):
        table.add_row(
            "Kenmerken als werkplek",
            escape(
                ", ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in case["kenmerken"].items())
            ),
        )
    console.print(table)


def render_partners(console: Console, partners: list[dict[str, Any]], kb: Kennisbank) -> None:
    if not partners:
        console.print("Geen partners gevonden voor deze keuze.")
        return
    console.rule("[bold]Sociale partners[/]")
    for partner in partners:
        lines = [escape(one_line(partner.get("omschrijving", "")))]
        lines += [f"• spoor {r['spoor']}: {escape(str(r.get('rol', '')))}" for r in partner.get("sporen", [])]
        nodig = "; ".join(need_label(kb.nodig_voor.get(n), n) for n in partner.get("nodig_voor", []))
        if nodig:
            lines.append(f"[dim]Nodig voor:[/] {escape(nodig)}")
        if partner.get("let_op"):
            lines.append(f"[yellow]Let op:[/] {escape(one_line(partner['let_op']))}")
        lines += _contact(partner)
        title = f"[bold]{escape(partner['naam'])}[/] [dim]({escape(partner['id'])})[/]{_eigen(partner)}"
        _block(console, title, lines)


def render_instrumenten(console: Console, instrumenten: list[dict[str, Any]]) -> None:
    if not instrumenten:
        console.print("Geen instrumenten gevonden voor deze keuze.")
        return
    console.rule("[bold]Instrumenten[/]")
    for instrument in instrumenten:
        title = f"[bold]{escape(instrument['naam'])}[/] [dim]({escape(instrument['id'])})[/]{_eigen(instrument)}"
        _block(console, title, _instrument_lines(instrument, voorwaarden=True) + _contact(instrument))


def render_stappenplan(console: Console, kb: Kennisbank, startpunt_id: str) -> None:
    startpunt = kb.startpunt(startpunt_id)
    _heading(console, str(startpunt["titel"]))
    console.print(escape(str(startpunt.get("omschrijving", ""))) + "\n")
    for stap in startpunt["stappen"]:
        console.print(f"[bold]Stap {stap['nummer']}. {escape(stap['titel'])}[/]")
        if stap.get("toelichting"):
            console.print(f"  {escape(stap['toelichting'])}")
        items: list[str | tuple[str, str]] = []
        for vraag_id in stap.get("vragen", []):
            vraag = kb.vraag(vraag_id)
            items.append(f"{escape(vraag.vraag)} [dim]({vraag.id})[/]")
            if vraag.type == "meerkeuze":
                items.append(("", "[dim]– doelgroep-ids, zie: spoorwijzer doelgroepen[/]"))
            for antwoord in vraag.antwoorden:
                items.append(("", "– " + _answer_line(kb, antwoord)))
        items += [escape(str(punt["tekst"])) for punt in stap.get("punten", [])]
        _bullets(console, items)
        console.print()
    console.print(
        "[dim]Vetgedrukt en tussen aanhalingstekens: de regels van het stappenplan zelf. Tussen haakjes: "
        "wat spoorwijzer toevoegt uit de sporentabel of afleidt (zoals het antwoord 'gemengd').[/]"
    )
    console.print(f"[dim]Bron: {escape(kb.bron_titel(startpunt.get('bron', '')))}[/]")


def _answer_line(kb: Kennisbank, antwoord: Any) -> str:
    """One answer of the stappenplan: the wegwijzer's own line first, the tool's additions apart."""

    def nummers(soort: str) -> list[int]:
        return sorted({n for e in antwoord.effecten if e.gewicht > 0 and e.soort == soort for n in e.sporen})

    def names(soort: str) -> str:
        return ", ".join(f"{n} {kb.spoor(n).naam}" for n in nummers(soort))

    line = escape(antwoord.waarde)
    if antwoord.regel:
        line += f': [bold]"{escape(antwoord.regel)}"[/] (spoor {", ".join(map(str, nummers("stappenplan")))})'
    elif names("stappenplan"):
        line += f" > [bold]{escape(names('stappenplan'))}[/]"
    wegwijzer = names("stappenplan")
    extra = [
        f"{label}: {escape(text)}"
        for label, text in (("afgeleid uit de wegwijzer", names("afgeleid")), ("sporentabel", names("sporentabel")))
        if text
    ]
    if extra:
        line += f" [dim]({'; '.join(extra)})[/]"
    if not wegwijzer and not extra:
        line += " [dim](telt voor geen spoor mee)[/]"
    return line


def render_doelgroepen(console: Console, kb: Kennisbank) -> None:
    console.rule("[bold]Doelgroepen (instroom)[/]")
    for doelgroep_id, info in kb.doelgroepen.items():
        sporen = ", ".join(str(s.nummer) for s in kb.sporen if doelgroep_id in s.instroom) or "geen"
        lines = [escape(one_line(info.get("omschrijving", ""))), f"[dim]Instroom bij spoor:[/] {sporen}"]
        if info.get("synoniemen"):
            lines.append(f"[dim]Ook geschreven als:[/] {escape(', '.join(map(str, info['synoniemen'])))}")
        if info.get("let_op"):
            lines.append(f"[yellow]Let op:[/] {escape(one_line(info['let_op']))}")
        _block(console, f"[bold]{escape(doelgroep_id)}[/]  {escape(str(info.get('naam', '')))}", lines)
