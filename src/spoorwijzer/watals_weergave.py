"""What-if comparisons on screen (rich) and in the file formats of `match` (json, yaml, csv, markdown).

The JSON and YAML are the normal result with one extra key per werkplek, `wat_als`; without
`--wat-als` nothing here runs, so the default result is unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from spoorwijzer import output
from spoorwijzer.engine import format_score
from spoorwijzer.watals import Vergelijking, erbij_weg, shown, to_dict

if TYPE_CHECKING:
    from rich.console import Console

    from spoorwijzer.kennisbank import Spoor

FORMATS = ("table", "json", "yaml", "csv", "markdown", "html", "jsonl")


def spoor_text(spoor: Spoor | None) -> str:
    return f"{spoor.nummer}. {spoor.naam}" if spoor else "geen spoor"


def plaats_text(plaats: int | None) -> str:
    return str(plaats) if plaats is not None else "–"


def titel(vergelijking: Vergelijking) -> str:
    parts = [f"{w.vraag} = {shown(w.nieuw)} (nu: {shown(w.oud)})" for w in vergelijking.wijzigingen]
    return "Wat als " + "; ".join(parts) + "?"


def conclusie(vergelijking: Vergelijking) -> str:
    oud, nieuw = vergelijking.eerste_oud, vergelijking.eerste_nieuw
    if all(w.oud == w.nieuw for w in vergelijking.wijzigingen):
        return "Dit is al het antwoord: er verandert niets."
    if oud == nieuw:
        return f"Het eerste spoor blijft {spoor_text(oud)}."
    return f"Het eerste spoor wordt {spoor_text(nieuw)} (nu: {spoor_text(oud)})."


def lijstjes(vergelijking: Vergelijking) -> list[str]:
    """Partners and instruments that come or go, in words."""
    lines = []
    for soort, oud, nieuw in (
        ("Partners", vergelijking.oud.partners, vergelijking.nieuw.partners),
        ("Instrumenten", vergelijking.oud.instrumenten, vergelijking.nieuw.instrumenten),
    ):
        erbij, weg = erbij_weg(oud, nieuw)
        if erbij:
            lines.append(f"{soort} erbij: " + ", ".join(str(i["naam"]) for i in erbij))
        if weg:
            lines.append(f"{soort} vervallen: " + ", ".join(str(i["naam"]) for i in weg))
    return lines


# -- rich ---------------------------------------------------------------------------------------------
def render_vergelijking(console: Console, vergelijking: Vergelijking) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.rule(f"[bold]Wat als: {escape(vergelijking.oud.naam)}[/]")
    console.print(f"[bold]{escape(titel(vergelijking))}[/]")
    console.print(escape(conclusie(vergelijking)))
    oud_per = {s.spoor.nummer: s for s in vergelijking.oud.sporen + vergelijking.oud.afgewezen}
    nieuw_per = {s.spoor.nummer: s for s in vergelijking.nieuw.sporen + vergelijking.nieuw.afgewezen}
    moved = {v.spoor.nummer: v for v in vergelijking.sporen}
    nummers = [s.spoor.nummer for s in vergelijking.nieuw.sporen + vergelijking.nieuw.afgewezen]
    nummers += [n for n in oud_per if n not in nummers]
    plaats_oud = {s.spoor.nummer: i for i, s in enumerate(vergelijking.oud.sporen, start=1)}
    plaats_nieuw = {s.spoor.nummer: i for i, s in enumerate(vergelijking.nieuw.sporen, start=1)}
    table = Table()
    table.add_column("Spoor", overflow="fold")
    table.add_column("Score nu", justify="right")
    table.add_column("Wat als", justify="right")
    table.add_column("Plaats nu → wat als", justify="right", no_wrap=True)
    for nummer in nummers:
        item = nieuw_per.get(nummer) or oud_per[nummer]
        nieuw_score = format_score(nieuw_per[nummer].score if nummer in nieuw_per else 0.0)
        table.add_row(
            escape(spoor_text(item.spoor)),
            format_score(oud_per[nummer].score if nummer in oud_per else 0.0),
            f"[bold]{nieuw_score}[/]" if nummer in moved else nieuw_score,
            f"{plaats_text(plaats_oud.get(nummer))} → {plaats_text(plaats_nieuw.get(nummer))}",
        )
    console.print(table)
    # Why: the changed reasons of the sporen that fit before or after (the others stay rejected).
    for verschil in vergelijking.sporen:
        if verschil.plaats_oud is None and verschil.plaats_nieuw is None:
            continue
        console.print(
            f"[bold]Waarom {escape(spoor_text(verschil.spoor))} anders scoort[/] "
            f"({format_score(verschil.score_oud)} → {format_score(verschil.score_nieuw)})"
        )
        for reden in verschil.redenen_erbij:
            console.print(f"  [green]nieuw:[/] {escape(reden)}")
        for reden in verschil.redenen_weg:
            console.print(f"  [red]vervalt:[/] {escape(reden)}")
    for line in lijstjes(vergelijking):
        console.print(escape(line))
    for warning in [w for w in vergelijking.nieuw.waarschuwingen if w not in vergelijking.oud.waarschuwingen]:
        console.print(f"[yellow]![/] {escape(warning)}")
    console.print()


def render_overzicht(console: Console, vergelijkingen: list[Vergelijking]) -> None:
    """One line per werkplek: the first spoor now and with the change."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Wat als: overzicht", title_justify="left")
    table.add_column("Werkplek", overflow="fold")
    table.add_column("Eerste spoor nu", overflow="fold")
    table.add_column("Wat als", overflow="fold")
    for v in vergelijkingen:
        changed = v.eerste_oud != v.eerste_nieuw
        table.add_row(
            escape(v.oud.naam),
            escape(spoor_text(v.eerste_oud)),
            ("[bold]" if changed else "") + escape(spoor_text(v.eerste_nieuw)) + ("[/]" if changed else ""),
        )
    console.print(table)


def render_vergelijkingen(console: Console, vergelijkingen: list[Vergelijking], kort: bool = False) -> None:
    if len(vergelijkingen) > 1 or kort:
        render_overzicht(console, vergelijkingen)
    if not kort:
        for vergelijking in vergelijkingen:
            render_vergelijking(console, vergelijking)


# -- text formats -------------------------------------------------------------------------------------
def _data(vergelijkingen: list[Vergelijking], top: int | None) -> dict[str, Any]:
    return {"werkplekken": [output.advies_to_dict(v.oud, top) | {"wat_als": to_dict(v)} for v in vergelijkingen]}


def to_json(vergelijkingen: list[Vergelijking], top: int | None = None) -> str:
    return json.dumps(_data(vergelijkingen, top), ensure_ascii=False, indent=2, default=str) + "\n"


def to_jsonl(vergelijkingen: list[Vergelijking], top: int | None = None) -> str:
    """One werkplek per line, as `match --format jsonl`, with its `wat_als` key."""
    return "".join(
        json.dumps(item, ensure_ascii=False, default=str) + "\n" for item in _data(vergelijkingen, top)["werkplekken"]
    )


def to_yaml(vergelijkingen: list[Vergelijking], top: int | None = None) -> str:
    return output.yaml_text(_data(vergelijkingen, top))


CSV_EXTRA = ("wat_als", "wat_als_spoor", "wat_als_spoor_naam", "wat_als_score", "wat_als_scores")


def to_csv(vergelijkingen: list[Vergelijking], top: int | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*output.CSV_COLUMNS, *CSV_EXTRA])
    for v in vergelijkingen:
        beste = v.nieuw.beste
        writer.writerow(
            [
                *output.csv_row(v.oud, top),
                "; ".join(f"{w.vraag}={shown(w.nieuw)}" for w in v.wijzigingen),
                str(beste.spoor.nummer) if beste else "",
                beste.spoor.naam if beste else "",
                format_score(beste.score) if beste else "",
                "; ".join(f"{s.spoor.nummer}:{format_score(s.score)}" for s in output.cut_sporen(v.nieuw.sporen, top)),
            ]
        )
    return buffer.getvalue()


def to_markdown(vergelijkingen: list[Vergelijking], top: int | None = None) -> str:
    lines = [output.to_markdown([v.oud for v in vergelijkingen], top).rstrip("\n"), "", "# Wat als", ""]
    for v in vergelijkingen:
        lines += [f"## {v.oud.naam}: {titel(v)}", "", conclusie(v), ""]
        if v.sporen:
            lines += ["| Spoor | Score nu | Wat als | Plaats | Waarom anders |", "| --- | ---: | ---: | --- | --- |"]
            for s in v.sporen:
                waarom = [f"nieuw: {r}" for r in s.redenen_erbij] + [f"vervalt: {r}" for r in s.redenen_weg]
                lines.append(
                    f"| {spoor_text(s.spoor)} | {format_score(s.score_oud)} | {format_score(s.score_nieuw)} | "
                    f"{plaats_text(s.plaats_oud)} → {plaats_text(s.plaats_nieuw)} | "
                    + "<br>".join(w.replace("|", "\\|") for w in waarom)
                    + " |"
                )
            lines.append("")
        lines += [f"- {line}" for line in lijstjes(v)]
        if lijstjes(v):
            lines.append("")
    return "\n".join(lines)


RENDER = {"json": to_json, "jsonl": to_jsonl, "yaml": to_yaml, "csv": to_csv, "markdown": to_markdown}
