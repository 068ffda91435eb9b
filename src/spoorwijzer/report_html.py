"""Self-contained html reports of `match` and `portfolio`, for a beleidsnotitie or businesscase.

One file: inline CSS (A4 print rules), inline SVG bar charts, no scripts, no external resources,
so it opens offline and prints as is. Standard library only. Every user text goes through
`html.escape` (werkplek names are user input). The markup is also well-formed XML (every element
closed, void elements self-closed), which the tests check with a strict parser.
Imported only for `--format html`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from spoorwijzer import __version__
from spoorwijzer.engine import Advies, format_score
from spoorwijzer.kennisbank import Spoor, eigen_herkomst
from spoorwijzer.output import cut_sporen
from spoorwijzer.portfolio import Portfolio, Telling
from spoorwijzer.portfolio_output import TIE_NOTE, sporen_text, werkplekken_text

if TYPE_CHECKING:
    from spoorwijzer.watals import Vergelijking

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")  # fmt: skip

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4;
  color: #1d2428; background: #fff; margin: 0 auto; padding: 12mm 10mm; max-width: 190mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; color: #14532d; }
h2 { font-size: 14pt; margin: 8mm 0 2mm; color: #14532d; border-bottom: 1.5pt solid #14532d; padding-bottom: 1mm; }
h3 { font-size: 11.5pt; margin: 5mm 0 1.5mm; }
p { margin: 1.5mm 0; }
.meta { color: #4b5563; font-size: 9.5pt; }
.noot { color: #4b5563; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.5pt solid #d1d5db; }
th { background: #ecfdf5; font-weight: 600; }
td.getal, th.getal { text-align: right; white-space: nowrap; }
ul { margin: 1mm 0 2mm; padding-left: 6mm; }
li { margin: 0.6mm 0; }
figure { margin: 3mm 0; }
figcaption { font-size: 9pt; color: #4b5563; }
svg { width: 100%; height: auto; max-width: 170mm; display: block; }
.gelijk { color: #92400e; font-weight: 600; }
.gat { color: #991b1b; font-weight: 600; }
.waarschuwing li { list-style: none; margin-left: -5mm; padding-left: 5mm; border-left: 2pt solid #d97706; }
.letop { color: #92400e; }
.eigen { color: #1e40af; font-size: 9pt; }
footer { margin-top: 10mm; font-size: 8.5pt; color: #6b7280; border-top: 0.5pt solid #d1d5db; padding-top: 2mm; }
@media print {
  body { padding: 0; max-width: none; }
  .werkplek { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, li, figure { break-inside: avoid; }
}
"""

BAR_BEST, BAR_OTHER, BAR_SECOND = "#15803d", "#86c79f", "#a7c4e0"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def datum_text(datum: dt.date) -> str:
    return f"{datum.day} {MAANDEN[datum.month - 1]} {datum.year}"


def _meta(aantal: int, bestand: str, datum: dt.date | None) -> str:
    parts = [f"{aantal} werkplek" + ("ken" if aantal != 1 else "")]
    if bestand:
        parts.append(f"uit {bestand}")
    if datum is not None:
        parts.append(f"opgesteld op {datum_text(datum)}")
    parts.append(f"met spoorwijzer {__version__}")
    return f'<p class="meta">{_e(" · ".join(parts))}</p>'


FOOTER = (
    "<footer><p>Gebaseerd op de wegwijzer ‘Inclusief ondernemerschap, hoe doen we dat?’ (NVRD). "
    "Regelingen veranderen: controleer bij gemeente, UWV of Werkcentrum wat nu geldt voordat u iets "
    "aanvraagt (de peildatum staat bij elk instrument).</p></footer>"
)


def _page(titel: str, body: list[str]) -> str:
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f'<meta name="generator" content="spoorwijzer {_e(__version__)}" />\n'
        f"<title>{_e(titel)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    )
    return head + "\n".join(body) + "\n" + FOOTER + "\n</body>\n</html>\n"


# -- charts ------------------------------------------------------------------------------------------------
def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def score_chart(rows: list[tuple[str, float, bool]], schaal: float, titel: str) -> str:
    """Horizontal bars, one row per spoor: (label, score, best?). Scores of 0 or less get no bar."""
    label_w, bar_w, row_h = 230, 330, 24
    width = label_w + bar_w + 70
    height = row_h * len(rows) + 8
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(titel)}" font-family="Arial, sans-serif" font-size="12">',
        f"<title>{_e(titel)}</title>",
    ]
    for i, (label, score, best) in enumerate(rows):
        y = 4 + i * row_h
        parts.append(f'<text x="0" y="{y + 16}" fill="#1d2428">{_e(label)}</text>')
        if score > 0:
            bar = max(2.0, bar_w * score / schaal)
            colour = BAR_BEST if best else BAR_OTHER
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{_number(bar)}" height="{row_h - 8}" fill="{colour}" />'
            )
            parts.append(f'<text x="{_number(label_w + bar + 6)}" y="{y + 16}">{_e(format_score(score))}</text>')
        else:
            tekst = f"{format_score(score)} (past niet)" if score < 0 else "0"
            parts.append(f'<text x="{label_w + 4}" y="{y + 16}" fill="#6b7280">{_e(tekst)}</text>')
    parts.append(f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{height}" stroke="#9ca3af" stroke-width="1" />')
    parts.append("</svg>")
    return "".join(parts)


def count_chart(rows: list[tuple[str, int, int]], titel: str) -> str:
    """Per spoor two bars: first choice (dark) and runner-up (light), with a legend."""
    label_w, bar_w, row_h, legend_h = 230, 330, 34, 26
    width = label_w + bar_w + 60
    height = legend_h + row_h * len(rows) + 6
    most = max([max(a, b) for _, a, b in rows] + [1])
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(titel)}" font-family="Arial, sans-serif" font-size="12">',
        f"<title>{_e(titel)}</title>",
        f'<rect x="{label_w}" y="6" width="12" height="12" fill="{BAR_BEST}" />',
        f'<text x="{label_w + 18}" y="16">eerste keus</text>',
        f'<rect x="{label_w + 120}" y="6" width="12" height="12" fill="{BAR_SECOND}" />',
        f'<text x="{label_w + 138}" y="16">tweede keus</text>',
    ]
    for i, (label, eerste, tweede) in enumerate(rows):
        y = legend_h + i * row_h
        parts.append(f'<text x="0" y="{y + 20}" fill="{"#991b1b" if eerste == 0 else "#1d2428"}">{_e(label)}</text>')
        for offset, value, colour in ((2, eerste, BAR_BEST), (17, tweede, BAR_SECOND)):
            bar = bar_w * value / most
            if value:
                parts.append(
                    f'<rect x="{label_w}" y="{y + offset}" width="{_number(bar)}" height="13" fill="{colour}" />'
                )
            parts.append(f'<text x="{_number(label_w + bar + 5)}" y="{y + offset + 11}" font-size="11">{value}</text>')
    parts.append(f'<line x1="{label_w}" y1="{legend_h}" x2="{label_w}" y2="{height}" stroke="#9ca3af" />')
    parts.append("</svg>")
    return "".join(parts)


# -- match ---------------------------------------------------------------------------------------------------
def _eigen(item: dict[str, Any]) -> str:
    """A label for an item from the organisation's own data (--data)."""
    herkomst = eigen_herkomst(item)
    return f' <span class="eigen">({_e(herkomst)})</span>' if herkomst else ""


def _contact(item: dict[str, Any]) -> str:
    contact = item.get("contact") or {}
    if not contact:
        return ""
    return '<br /><span class="noot">Contact: ' + _e("; ".join(f"{k}: {v}" for k, v in contact.items())) + "</span>"


def _ul(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _werkplek_section(advies: Advies, sporen: Sequence[Spoor], schaal: float, top: int | None, nummer: int) -> str:
    out = [f'<section class="werkplek" id="werkplek-{nummer}">', f"<h2>{_e(advies.naam)}</h2>"]
    if advies.omschrijving:
        out.append(f"<p>{_e(advies.omschrijving)}</p>")
    if advies.opmerking:
        out.append(f'<p class="noot">Opmerking: {_e(advies.opmerking)}</p>')
    scores = {s.spoor.nummer: s.score for s in advies.sporen + advies.afgewezen}
    beste = {s.spoor.nummer for s in advies.sporen if advies.sporen and s.score == advies.sporen[0].score}
    rows = [(f"{s.nummer}. {s.naam}", scores.get(s.nummer, 0.0), s.nummer in beste) for s in sporen]
    titel = f"Score per spoor voor {advies.naam}"
    out.append(f"<figure>{score_chart(rows, schaal, titel)}<figcaption>{_e(titel)}.</figcaption></figure>")
    gekozen = cut_sporen(advies.sporen, top)
    if gekozen:
        out.append("<h3>Passende sporen (hoogste score eerst)</h3>")
        out.append('<table><thead><tr><th>Spoor</th><th class="getal">Score</th><th>Redenen</th></tr></thead><tbody>')
        for item in gekozen:
            gelijk = ' <span class="gelijk">(gelijk)</span>' if item.gelijk else ""
            redenen = _ul([_e(r.render()) for r in item.redenen])
            out.append(
                f"<tr><td>{item.spoor.nummer}. {_e(item.spoor.naam)}{gelijk}</td>"
                f'<td class="getal">{_e(format_score(item.score))}</td><td>{redenen}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="gat">Geen spoor past bij deze antwoorden.</p>')
    if advies.afgewezen:
        namen = "; ".join(f"{s.spoor.nummer}. {s.spoor.naam} ({format_score(s.score)})" for s in advies.afgewezen)
        out.append(f'<p class="noot">Niet passend: {_e(namen)}</p>')
    if advies.advies_sporen:
        namen = " en ".join(f"{s.nummer}. {s.naam}" for s in advies.advies_sporen)
        out.append(f"<p>Partners, instrumenten en cases hieronder gelden voor: <strong>{_e(namen)}</strong></p>")
    if advies.partners:
        out.append("<h3>Sociale partners</h3>")
        out.append(
            "<table><thead><tr><th>Partner</th><th>Rol bij dit spoor</th><th>Nodig voor</th></tr></thead><tbody>"
        )
        for p in advies.partners:
            letop = f'<br /><span class="letop">Let op: {_e(p["let_op"])}</span>' if p.get("let_op") else ""
            out.append(
                f"<tr><td>{_e(p['naam'])}{_eigen(p)}{_contact(p)}</td><td>{_e(p.get('rol', ''))}{letop}</td>"
                f"<td>{_e('; '.join(p.get('nodig_voor', [])))}</td></tr>"
            )
        out.append("</tbody></table>")
    if advies.instrumenten:
        out.append("<h3>Instrumenten om te regelen</h3>")
        items = []
        for i in advies.instrumenten:
            item = (
                f"<strong>{_e(i['naam'])}</strong>{_eigen(i)} ({_e(i.get('verstrekker', ''))}): {_e(i.get('wat', ''))}"
            )
            if i.get("let_op"):
                item += f' <span class="letop">Let op: {_e(i["let_op"])}</span>'
            items.append(item + f' <span class="noot">(peildatum {_e(i.get("peildatum", ""))})</span>')
        out.append(_ul(items))
    if advies.cases:
        out.append("<h3>Praktijkvoorbeelden</h3>")
        cases = [
            f'{_e(c["titel"])} <span class="noot">(spoor {_e(c["spoor"])}, {_e(c["id"])})</span>{_eigen(c)}'
            for c in advies.cases
        ]
        out.append(_ul(cases))
    if advies.waarschuwingen:
        out.append("<h3>Let op</h3>")
        out.append(_ul([_e(w) for w in advies.waarschuwingen], "waarschuwing"))
    if advies.let_op:
        out.append("<h3>Goed om te weten</h3>")
        out.append(_ul([_e(t) for t in advies.let_op]))
    if advies.onbeantwoord:
        out.append(f'<p class="noot">Niet beantwoord: {_e(", ".join(advies.onbeantwoord))}</p>')
    out.append("</section>")
    return "\n".join(out)


def match_html(
    adviezen: list[Advies],
    sporen: Sequence[Spoor],
    top: int | None = None,
    *,
    bestand: str = "",
    datum: dt.date | None = None,
) -> str:
    """The advice for every werkplek: an overview table, then one section (a page in print) each."""
    titel = "Spoorwijzer-advies"
    body = [f"<header><h1>{titel}</h1>{_meta(len(adviezen), bestand, datum)}</header>"]
    if len(adviezen) > 1:
        body.append(
            '<section class="overzicht"><h2>Overzicht</h2><table><thead><tr><th>Werkplek</th><th>Beste spoor</th>'
            '<th class="getal">Score</th><th>Tweede spoor</th></tr></thead><tbody>'
        )
        for nummer, advies in enumerate(adviezen, start=1):
            beste = advies.sporen[0] if advies.sporen else None
            tweede = advies.sporen[1] if len(advies.sporen) > 1 else None
            naam = f'<a href="#werkplek-{nummer}">{_e(advies.naam)}</a>'
            spoor = (
                _e(f"{beste.spoor.nummer}. {beste.spoor.naam}")
                + (' <span class="gelijk">(gelijk)</span>' if beste.gelijk else "")
                if beste
                else '<span class="gat">geen</span>'
            )
            score = _e(format_score(beste.score)) if beste else ""
            verder = _e(f"{tweede.spoor.nummer}. {tweede.spoor.naam} ({format_score(tweede.score)})") if tweede else ""
            body.append(f'<tr><td>{naam}</td><td>{spoor}</td><td class="getal">{score}</td><td>{verder}</td></tr>')
        body.append("</tbody></table></section>")
    schaal = max([s.score for a in adviezen for s in a.sporen] + [1.0])
    body += [_werkplek_section(a, sporen, schaal, top, n) for n, a in enumerate(adviezen, start=1)]
    return _page(titel, body)


def watals_html(
    vergelijkingen: list[Vergelijking],
    sporen: Sequence[Spoor],
    top: int | None = None,
    *,
    bestand: str = "",
    datum: dt.date | None = None,
) -> str:
    """`match --wat-als` as a report: the advice as it is, then per werkplek what the change moves."""
    from spoorwijzer.watals_weergave import conclusie, lijstjes, plaats_text, spoor_text, titel

    page = match_html([v.oud for v in vergelijkingen], sporen, top, bestand=bestand, datum=datum)
    out = ['<section class="werkplek"><h2>Wat als</h2>']
    for v in vergelijkingen:
        out.append(f"<h3>{_e(v.oud.naam)}: {_e(titel(v))}</h3><p>{_e(conclusie(v))}</p>")
        if v.sporen:
            out.append(
                '<table><thead><tr><th>Spoor</th><th class="getal">Score nu</th><th class="getal">Wat als</th>'
                "<th>Plaats</th><th>Waarom anders</th></tr></thead><tbody>"
            )
            for s in v.sporen:
                waarom = [f"nieuw: {r}" for r in s.redenen_erbij] + [f"vervalt: {r}" for r in s.redenen_weg]
                out.append(
                    f"<tr><td>{_e(spoor_text(s.spoor))}</td>"
                    f'<td class="getal">{_e(format_score(s.score_oud))}</td>'
                    f'<td class="getal">{_e(format_score(s.score_nieuw))}</td>'
                    f"<td>{_e(plaats_text(s.plaats_oud))} → {_e(plaats_text(s.plaats_nieuw))}</td>"
                    f"<td>{_ul([_e(w) for w in waarom])}</td></tr>"
                )
            out.append("</tbody></table>")
        if lijstjes(v):
            out.append(_ul([_e(line) for line in lijstjes(v)]))
    out.append("</section>")
    return page.replace("\n" + FOOTER, "\n" + "\n".join(out) + "\n" + FOOTER, 1)


# -- portfolio -----------------------------------------------------------------------------------------------
def _telling_table(tellingen: list[Telling], kolom: str, *, details: bool = False) -> str:
    rows = []
    for t in tellingen:
        extra = ""
        if details and t.details.get("verstrekker"):
            extra += f'<br /><span class="noot">{_e(t.details["verstrekker"])}</span>'
        if t.details.get("let_op"):
            extra += f'<br /><span class="letop">Let op: {_e(t.details["let_op"])}</span>'
        rows.append(
            f'<tr><td>{_e(t.naam)}{_eigen(t.details)}{_contact(t.details)}{extra}</td><td class="getal">{t.aantal}</td>'
            f"<td>{_e(', '.join(t.werkplekken))}</td></tr>"
        )
    return (
        f'<table><thead><tr><th>{_e(kolom)}</th><th class="getal">Werkplekken</th><th>Welke</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def portfolio_html(portfolio: Portfolio, *, bestand: str = "", datum: dt.date | None = None) -> str:
    titel = f"Portfolio: {portfolio.aantal} werkplekken"
    body = [f"<header><h1>{_e(titel)}</h1>{_meta(portfolio.aantal, bestand, datum)}</header>"]
    rows = [(f"{t.spoor.nummer}. {t.spoor.naam}", len(t.eerste), len(t.tweede)) for t in portfolio.sporen]
    grafiek = "Aantal werkplekken per spoor, als eerste en als tweede keus"
    body.append(f"<figure>{count_chart(rows, grafiek)}<figcaption>{_e(grafiek)}.</figcaption></figure>")
    body.append('<h2>Sporen</h2><table><thead><tr><th>Spoor</th><th class="getal">Eerste keus</th>'
                '<th class="getal">Tweede keus</th><th>Werkplekken (eerste keus)</th></tr></thead><tbody>')  # fmt: skip
    for t in portfolio.sporen:
        gedeeld = f' <span class="gelijk">({len(t.gedeeld)} gedeeld)</span>' if t.gedeeld else ""
        namen = _e(werkplekken_text(t.eerste, t.gedeeld)) if t.eerste else '<span class="gat">geen: gat</span>'
        body.append(
            f'<tr><td>{t.spoor.nummer}. {_e(t.spoor.naam)}</td><td class="getal">{len(t.eerste)}{gedeeld}</td>'
            f'<td class="getal">{len(t.tweede)}</td><td>{namen}</td></tr>'
        )
    body.append("</tbody></table>")
    if portfolio.gedeeld:
        body.append(f'<p class="noot">{_e(TIE_NOTE)}</p>')
    if portfolio.gaten:
        body.append("<h2>Sporen zonder werkplek</h2>")
        body.append(
            "<p>Voor deze sporen heeft de organisatie (nog) geen werkplek als eerste keus. "
            "De wegwijzer noemt dit werk als voorbeeld.</p>"
        )
        for gat in portfolio.gaten:
            body.append(f"<h3>{gat.spoor.nummer}. {_e(gat.spoor.naam)}</h3>")
            if gat.tweede_bij:
                body.append(f"<p>Tweede keus bij: {_e(', '.join(gat.tweede_bij))}.</p>")
            if gat.voorbeelden_werk:
                body.append(_ul([_e(v) for v in gat.voorbeelden_werk]))
            if gat.cases:
                cases = "; ".join(f"{c['titel']} ({c['id']})" for c in gat.cases)
                body.append(f'<p class="noot">Praktijkvoorbeelden: {_e(cases)}</p>')
    if portfolio.zonder_advies:
        body.append("<h2>Werkplekken zonder passend spoor</h2>")
        body.append(f"<p>{_e(', '.join(portfolio.zonder_advies))}</p>")
    if portfolio.partners:
        body.append("<h2>Sociale partners</h2><p>Per partner het aantal werkplekken waarvoor u hem nodig heeft.</p>")
        body.append(_telling_table(portfolio.partners, "Partner"))
    if portfolio.instrumenten:
        body.append("<h2>Instrumenten om te regelen</h2>")
        body.append(_telling_table(portfolio.instrumenten, "Instrument", details=True))
    for kop, tellingen, kolom in (
        ("Waarschuwingen", portfolio.waarschuwingen, "Waarschuwing"),
        ("Goed om te weten", portfolio.let_op, "Over de doelgroep"),
        ("Niet beantwoord", portfolio.onbeantwoord, "Vraag"),
    ):
        if tellingen:
            body.append(f"<h2>{kop}</h2>" + _telling_table(tellingen, kolom))
    body.append('<h2>Per werkplek</h2><table><thead><tr><th>Werkplek</th><th>Eerste keus</th>'
                '<th class="getal">Score</th><th>Tweede keus</th></tr></thead><tbody>')  # fmt: skip
    for w in portfolio.werkplekken:
        eerste = _e(sporen_text(w.eerste)) if w.eerste else '<span class="gat">geen</span>'
        if w.gelijk:
            eerste += ' <span class="gelijk">(gelijk)</span>'
        score = _e(format_score(w.eerste_score)) if w.eerste_score is not None else ""
        tweede = _e(f"{sporen_text(w.tweede)} ({format_score(w.tweede_score)})") if w.tweede_score is not None else ""
        body.append(f'<tr><td>{_e(w.naam)}</td><td>{eerste}</td><td class="getal">{score}</td><td>{tweede}</td></tr>')
    body.append("</tbody></table>")
    return _page(titel, body)
