"""A portfolio in every format but html (report_html.py): dict/json, yaml, csv, markdown, rich table.

`portfolio_to_dict` is the JSON shape of `spoorwijzer portfolio --format json` (README, "Portfolio").
rich is imported only inside `render_portfolio`, so the json path stays light.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from spoorwijzer import output
from spoorwijzer.engine import format_score
from spoorwijzer.kennisbank import Spoor, eigen_herkomst
from spoorwijzer.portfolio import Portfolio, Telling

if TYPE_CHECKING:
    from rich.console import Console

TIE_NOTE = (
    "Bij een gelijke beste score telt een werkplek mee bij elk van die sporen (gedeeld); "
    "de aantallen eerste keus kunnen daardoor samen meer zijn dan het aantal werkplekken."
)


def _telling_dict(telling: Telling, key: str) -> dict[str, Any]:
    result: dict[str, Any] = {key: telling.id}
    if key == "id":
        result["naam"] = telling.naam
    result["aantal"] = telling.aantal
    result.update(telling.details)
    result["werkplekken"] = list(telling.werkplekken)
    return result


def portfolio_to_dict(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "aantal_werkplekken": portfolio.aantal,
        "sporen": [
            {
                "nummer": t.spoor.nummer,
                "id": t.spoor.id,
                "naam": t.spoor.naam,
                "eerste_keus": len(t.eerste),
                "gedeeld": len(t.gedeeld),
                "tweede_keus": len(t.tweede),
                "werkplekken_eerste_keus": list(t.eerste),
                "werkplekken_gedeeld": list(t.gedeeld),
                "werkplekken_tweede_keus": list(t.tweede),
            }
            for t in portfolio.sporen
        ],
        "gaten": [
            {
                "nummer": g.spoor.nummer,
                "id": g.spoor.id,
                "naam": g.spoor.naam,
                "voorbeelden_werk": list(g.voorbeelden_werk),
                "tweede_keus_bij": list(g.tweede_bij),
                "cases": list(g.cases),
            }
            for g in portfolio.gaten
        ],
        "zonder_advies": list(portfolio.zonder_advies),
        "gelijkspel": portfolio.gedeeld,
        "partners": [_telling_dict(t, "id") for t in portfolio.partners],
        "instrumenten": [_telling_dict(t, "id") for t in portfolio.instrumenten],
        "waarschuwingen": [_telling_dict(t, "tekst") for t in portfolio.waarschuwingen],
        "let_op": [_telling_dict(t, "tekst") for t in portfolio.let_op],
        "onbeantwoord": [_telling_dict(t, "vraag") for t in portfolio.onbeantwoord],
        "werkplekken": [
            {
                "naam": w.naam,
                "eerste_keus": [s.nummer for s in w.eerste],
                "score": w.eerste_score,
                "gelijk": w.gelijk,
                "tweede_keus": [s.nummer for s in w.tweede],
                "tweede_score": w.tweede_score,
                "waarschuwingen": w.waarschuwingen,
            }
            for w in portfolio.werkplekken
        ],
    }


def to_json(portfolio: Portfolio) -> str:
    return json.dumps(portfolio_to_dict(portfolio), ensure_ascii=False, indent=2, default=str) + "\n"


def to_yaml(portfolio: Portfolio) -> str:
    return output.yaml_text(portfolio_to_dict(portfolio))


CSV_COLUMNS = (
    "spoor",
    "spoor_naam",
    "eerste_keus",
    "gedeeld",
    "tweede_keus",
    "werkplekken_eerste_keus",
    "werkplekken_tweede_keus",
    "gat",
    "voorbeelden_werk",
)


def to_csv(portfolio: Portfolio) -> str:
    """One row per spoor (the table a spreadsheet needs); partners and the rest are in json/markdown/html."""
    voorbeelden = {g.spoor.nummer: g.voorbeelden_werk for g in portfolio.gaten}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in portfolio.sporen:
        writer.writerow(
            [
                t.spoor.nummer,
                t.spoor.naam,
                len(t.eerste),
                len(t.gedeeld),
                len(t.tweede),
                "; ".join(t.eerste),
                "; ".join(t.tweede),
                "ja" if t.gat else "nee",
                "; ".join(voorbeelden.get(t.spoor.nummer, [])),
            ]
        )
    return buffer.getvalue()


# -- shared wording (markdown, table and html say the same) -----------------------------------------------
def werkplekken_text(namen: Sequence[str], gedeeld: Sequence[str] = ()) -> str:
    return ", ".join(n + (" (gedeeld)" if n in gedeeld else "") for n in namen)


def sporen_text(sporen: Sequence[Spoor]) -> str:
    return " = ".join(f"{s.nummer}. {s.naam}" for s in sporen)


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_tellingen(titel: str, uitleg: str, tellingen: list[Telling], with_id: bool) -> list[str]:
    if not tellingen:
        return []
    lines = [f"## {titel}", "", uitleg, ""]
    for t in tellingen:
        head = f"**{_md(t.naam)}**" if with_id else _md(t.naam)
        if herkomst := eigen_herkomst(t.details):
            head += f" *({_md(herkomst)})*"
        extra = f" *Let op: {_md(t.details['let_op'])}*" if t.details.get("let_op") else ""
        lines.append(f"- {head} ({t.aantal}×): {_md(', '.join(t.werkplekken))}{extra}")
    return [*lines, ""]


def to_markdown(portfolio: Portfolio) -> str:
    lines = [f"# Portfolio: {portfolio.aantal} werkplekken", ""]
    lines += ["| Spoor | Eerste keus | Tweede keus | Werkplekken (eerste keus) |", "| --- | ---: | ---: | --- |"]
    for t in portfolio.sporen:
        eerste = str(len(t.eerste)) + (f" ({len(t.gedeeld)} gedeeld)" if t.gedeeld else "")
        lines.append(
            f"| {t.spoor.nummer}. {_md(t.spoor.naam)} | {eerste} | {len(t.tweede)} | "
            f"{_md(werkplekken_text(t.eerste, t.gedeeld)) or '**geen: gat**'} |"
        )
    lines.append("")
    if portfolio.gedeeld:
        lines += [TIE_NOTE, ""]
    if portfolio.gaten:
        lines += ["## Sporen zonder werkplek", ""]
        for gat in portfolio.gaten:
            lines += [f"### {gat.spoor.nummer}. {_md(gat.spoor.naam)}", ""]
            if gat.tweede_bij:
                lines += [f"Tweede keus bij: {_md(', '.join(gat.tweede_bij))}.", ""]
            if gat.voorbeelden_werk:
                lines += ["Voorbeelden van werk uit de wegwijzer:", ""]
                lines += [f"- {_md(v)}" for v in gat.voorbeelden_werk]
                lines.append("")
            if gat.cases:
                cases = "; ".join(f"{_md(c['titel'])} (`{c['id']}`)" for c in gat.cases)
                lines += [f"Praktijkvoorbeelden: {cases}", ""]
    if portfolio.zonder_advies:
        lines += ["## Werkplekken zonder passend spoor", "", ", ".join(map(_md, portfolio.zonder_advies)), ""]
    lines += _md_tellingen(
        "Sociale partners", "Per partner het aantal werkplekken waarvoor u hem nodig heeft.", portfolio.partners, True
    )
    lines += _md_tellingen(
        "Instrumenten om te regelen",
        "Per instrument het aantal werkplekken waarvoor het in aanmerking komt.",
        portfolio.instrumenten,
        True,
    )
    lines += _md_tellingen("Waarschuwingen", "Met de werkplekken waar ze gelden.", portfolio.waarschuwingen, False)
    lines += _md_tellingen("Goed om te weten", "Over de doelgroepen.", portfolio.let_op, False)
    lines += _md_tellingen("Niet beantwoord", "Vragen die niet zijn ingevuld.", portfolio.onbeantwoord, False)
    lines += ["## Per werkplek", "", "| Werkplek | Eerste keus | Score | Tweede keus |", "| --- | --- | ---: | --- |"]
    for w in portfolio.werkplekken:
        eerste = sporen_text(w.eerste) + (" (gelijk)" if w.gelijk else "") if w.eerste else "geen"
        tweede = f"{sporen_text(w.tweede)} ({format_score(w.tweede_score)})" if w.tweede_score is not None else ""
        score = format_score(w.eerste_score) if w.eerste_score is not None else ""
        lines.append(f"| {_md(w.naam)} | {_md(eerste)} | {score} | {_md(tweede)} |")
    lines.append("")
    return "\n".join(lines)


# -- the terminal ---------------------------------------------------------------------------------------
def render_portfolio(console: Console, portfolio: Portfolio) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Portfolio: {portfolio.aantal} werkplekken", box=box.SIMPLE_HEAVY)
    table.add_column("Spoor", no_wrap=True)  # a spoor name split mid-word reads badly
    table.add_column("1e keus", no_wrap=True)
    table.add_column("2e", justify="right", no_wrap=True)
    table.add_column("Eerste keus bij", overflow="fold", min_width=20)
    most = max([len(t.eerste) for t in portfolio.sporen] + [1])
    for t in portfolio.sporen:
        bar = "█" * round(8 * len(t.eerste) / most)
        gedeeld = f" [yellow]({len(t.gedeeld)}=)[/]" if t.gedeeld else ""
        table.add_row(
            f"{t.spoor.nummer}. {escape(t.spoor.naam)}",
            f"{len(t.eerste):>2} [green]{bar}[/]{gedeeld}",
            str(len(t.tweede)),
            escape(werkplekken_text(t.eerste, t.gedeeld)) if t.eerste else "[red]geen: gat[/]",
        )
    console.print(table)
    if portfolio.gedeeld:
        console.print(f"[yellow]=[/] {escape(TIE_NOTE)}\n")
    if portfolio.gaten:
        console.print("[bold]Sporen zonder werkplek[/]")
        for gat in portfolio.gaten:
            console.print(f"  [bold]{gat.spoor.nummer}. {escape(gat.spoor.naam)}[/]")
            if gat.tweede_bij:
                console.print(f"    Tweede keus bij: {escape(', '.join(gat.tweede_bij))}")
            if gat.voorbeelden_werk:
                console.print("    Voorbeelden van werk: " + escape("; ".join(gat.voorbeelden_werk)))
            if gat.cases:
                console.print("    [dim]Cases: " + escape(", ".join(c["id"] for c in gat.cases)) + "[/]")
        console.print()
    if portfolio.zonder_advies:
        console.print(f"[red]Geen passend spoor:[/] {escape(', '.join(portfolio.zonder_advies))}\n")
    for titel, kolom, tellingen in (
        ("Sociale partners", "Partner", portfolio.partners),
        ("Instrumenten om te regelen", "Instrument", portfolio.instrumenten),
    ):
        if not tellingen:
            continue
        counted = Table(title=titel, box=box.SIMPLE, title_justify="left")
        counted.add_column(kolom, overflow="fold")
        counted.add_column("Aantal", justify="right", no_wrap=True)
        counted.add_column("Werkplekken", overflow="fold")
        for t in tellingen:
            herkomst = eigen_herkomst(t.details)
            naam = escape(t.naam) + (f" [cyan]– {escape(herkomst)}[/]" if herkomst else "")
            counted.add_row(naam, str(t.aantal), escape(", ".join(t.werkplekken)))
        console.print(counted)
    for titel, tellingen, kleur in (
        ("Waarschuwingen", portfolio.waarschuwingen, "yellow"),
        ("Goed om te weten", portfolio.let_op, "bold"),
        ("Niet beantwoord", portfolio.onbeantwoord, "dim"),
    ):
        if not tellingen:
            continue
        console.print(f"[{kleur}]{titel}[/]")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=4, justify="right", no_wrap=True)
        grid.add_column(overflow="fold")
        for t in tellingen:
            grid.add_row(f"{t.aantal}×", f"{escape(t.naam)} [dim]({escape(', '.join(t.werkplekken))})[/]")
        console.print(grid)
        console.print()
