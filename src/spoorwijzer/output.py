"""Machine and text formats of an advice: json, yaml, csv, markdown (the rich table is in table.py).

`advies_to_dict` is the public JSON contract (docs: shared spec, README "Het resultaat").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from spoorwijzer.engine import Advies, SpoorScore, format_score
from spoorwijzer.kennisbank import Spoor, eigen_herkomst

FORMATS = ("table", "json", "yaml", "csv", "markdown")


def cut_sporen(sporen: list[SpoorScore], top: int | None) -> list[SpoorScore]:
    """The first `top` sporen, plus any that tie with the last one kept: a tie is never hidden."""
    return sporen[: kept_count([s.score for s in sporen], top)]


def kept_count(scores: list[float], top: int | None) -> int:
    """How many of these scores (best first) `--top` keeps: the first `top`, plus the ones that tie
    with the last one kept (ties sit next to each other in a ranking)."""
    if top is None or top >= len(scores):
        return len(scores)
    if top <= 0:
        return 0
    last = scores[top - 1]
    count = top
    while count < len(scores) and scores[count] == last:
        count += 1
    return count


def spoor_to_dict(item: SpoorScore) -> dict[str, Any]:
    return {
        "nummer": item.spoor.nummer,
        "id": item.spoor.id,
        "naam": item.spoor.naam,
        "score": float(item.score),
        "gelijk": item.gelijk,
        "redenen": [r.render() for r in item.redenen],
        "bronnen": [
            {"vraag": r.vraag, "antwoord": r.antwoord, "gewicht": float(r.gewicht), "bron": r.bron}
            for r in item.redenen
        ],
    }


def advies_to_dict(advies: Advies, top: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"naam": advies.naam}
    if advies.omschrijving:
        result["omschrijving"] = advies.omschrijving
    if advies.opmerking:
        result["opmerking"] = advies.opmerking
    result["antwoorden"] = {k: list(v) if isinstance(v, tuple) else v for k, v in advies.antwoorden.items()}
    result["sporen"] = [spoor_to_dict(s) for s in cut_sporen(advies.sporen, top)]
    result["advies_sporen"] = [s.nummer for s in advies.advies_sporen]
    result["partners"] = advies.partners
    result["instrumenten"] = advies.instrumenten
    result["cases"] = advies.cases
    result["waarschuwingen"] = advies.waarschuwingen
    result["let_op"] = advies.let_op
    result["onbeantwoord"] = advies.onbeantwoord
    result["afgewezen"] = [
        {
            "nummer": s.spoor.nummer,
            "id": s.spoor.id,
            "naam": s.spoor.naam,
            "score": float(s.score),
            "redenen": [r.render() for r in s.redenen],
        }
        for s in advies.afgewezen
    ]
    return result


def to_json(adviezen: list[Advies], top: int | None = None) -> str:
    data = {"werkplekken": [advies_to_dict(a, top) for a in adviezen]}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def yaml_text(data: Any) -> str:
    """YAML of a result (the same data as the JSON), with the C dumper where present."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    plain = json.loads(json.dumps(data, default=str))  # dates and tuples to plain types
    return yaml.dump(plain, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def to_yaml(adviezen: list[Advies], top: int | None = None) -> str:
    return yaml_text({"werkplekken": [advies_to_dict(a, top) for a in adviezen]})


CSV_COLUMNS = (
    "naam",
    "spoor",
    "spoor_naam",
    "score",
    "gelijkspel",
    "tweede_spoor",
    "tweede_score",
    "scores",
    "partners",
    "instrumenten",
    "cases",
    "waarschuwingen",
    "onbeantwoord",
)


# Texts that repeat across a batch, made once: a score as shown, and "spoor:score" for the sporen column.
_SCORE_TEXT: dict[float, str] = {}
_SPOOR_SCORE_TEXT: dict[tuple[int, float], str] = {}


def _score_text(score: float) -> str:
    text = _SCORE_TEXT.get(score)
    if text is None:
        text = format_score(score)
        if len(_SCORE_TEXT) < 4096:
            _SCORE_TEXT[score] = text
    return text


def _spoor_score_text(nummer: int, score: float) -> str:
    key = (nummer, score)
    text = _SPOOR_SCORE_TEXT.get(key)
    if text is None:
        text = f"{nummer}:{format_score(score)}"
        if len(_SPOOR_SCORE_TEXT) < 4096:
            _SPOOR_SCORE_TEXT[key] = text
    return text


def csv_row(advies: Advies, top: int | None = None) -> list[str]:
    return [
        advies.naam,
        *csv_rank_cells([(s.spoor, s.score) for s in advies.sporen], [s.gelijk for s in advies.sporen], top),
        *csv_extra_cells(advies.partners, advies.instrumenten, advies.cases),
        csv_warning_cell(advies.waarschuwingen),
        csv_open_cell(advies.onbeantwoord),
    ]


def csv_warning_cell(waarschuwingen: Sequence[str]) -> str:
    return " | ".join(waarschuwingen)


def csv_open_cell(onbeantwoord: Sequence[str]) -> str:
    return "; ".join(onbeantwoord)


def csv_rank_cells(sporen: Sequence[tuple[Spoor, float]], gelijk: Sequence[bool], top: int | None) -> list[str]:
    """The columns spoor ... scores of a CSV row, from the ranking (best first) and its ties."""
    beste = sporen[0] if sporen else None
    tweede = sporen[1] if len(sporen) > 1 else None
    shown = sporen[: kept_count([score for _, score in sporen], top)]
    return [
        str(beste[0].nummer) if beste else "",
        beste[0].naam if beste else "",
        _score_text(beste[1]) if beste else "",
        "ja" if beste and gelijk[0] else "nee",
        str(tweede[0].nummer) if tweede else "",
        _score_text(tweede[1]) if tweede else "",
        "; ".join([_spoor_score_text(spoor.nummer, score) for spoor, score in shown]),
    ]


class CsvRankText:
    """`csv_rank_cells` as one piece of a CSV line, each cell through `quote` (as csv.writer quotes it),
    made from pieces remembered per (spoor, score): the same text, cheaper when a batch has many rankings."""

    def __init__(self, top: int | None, quote: Callable[[str], str]) -> None:
        self.top = top
        self.quote = quote
        self._empty = ",".join([quote(cell) for cell in csv_rank_cells((), (), top)])
        # (spoor number, score) -> ("nummer,naam,score" as best, "nummer,score" as second, "nummer:score")
        self._pieces: dict[tuple[int, float], tuple[str, str, str]] = {}

    def __call__(self, sporen: Sequence[tuple[Spoor, float]], gelijk: Sequence[bool]) -> str:
        if not sporen:
            return self._empty
        found = self._pieces
        pieces = [found.get((spoor.nummer, score)) or self._piece(spoor, score) for spoor, score in sporen]
        shown = pieces if self.top is None else pieces[: kept_count([score for _, score in sporen], self.top)]
        second = pieces[1][1] if len(pieces) > 1 else ","
        scores = self.quote("; ".join([piece[2] for piece in shown]))
        return f"{pieces[0][0]},{'ja' if gelijk[0] else 'nee'},{second},{scores}"

    def _piece(self, spoor: Spoor, score: float) -> tuple[str, str, str]:
        quote = self.quote
        nummer, text = quote(str(spoor.nummer)), quote(format_score(score))
        piece = (f"{nummer},{quote(spoor.naam)},{text}", f"{nummer},{text}", f"{spoor.nummer}:{format_score(score)}")
        self._pieces[(spoor.nummer, score)] = piece
        return piece


def csv_extra_cells(
    partners: list[dict[str, Any]], instrumenten: list[dict[str, Any]], cases: list[dict[str, Any]]
) -> list[str]:
    """The columns partners, instrumenten and cases of a CSV row."""
    return [
        "; ".join([p["id"] for p in partners]),
        "; ".join([i["id"] for i in instrumenten]),
        "; ".join([c["id"] for c in cases]),
    ]


def to_csv(adviezen: list[Advies], top: int | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for advies in adviezen:
        writer.writerow(csv_row(advies, top))
    return buffer.getvalue()


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_herkomst(item: dict[str, Any]) -> str:
    """Items from an organisation's own data (--data) say so; the shipped ones need no label."""
    herkomst = eigen_herkomst(item)
    return f" *({herkomst})*" if herkomst else ""


def to_markdown(adviezen: list[Advies], top: int | None = None) -> str:
    lines: list[str] = ["# Spoorwijzer-advies", ""]
    if len(adviezen) > 1:
        lines += ["| Werkplek | Beste spoor | Score | Tweede spoor |", "| --- | --- | ---: | --- |"]
        for advies in adviezen:
            beste = advies.sporen[0] if advies.sporen else None
            tweede = advies.sporen[1] if len(advies.sporen) > 1 else None
            lines.append(
                f"| {_md_escape(advies.naam)} | "
                + (
                    f"{beste.spoor.nummer}. {beste.spoor.naam}" + (" (gelijk)" if beste.gelijk else "")
                    if beste
                    else "geen"
                )
                + f" | {format_score(beste.score) if beste else ''} | "
                + (f"{tweede.spoor.nummer}. {tweede.spoor.naam} ({format_score(tweede.score)})" if tweede else "")
                + " |"
            )
        lines.append("")
    for advies in adviezen:
        lines += [f"## {advies.naam}", ""]
        if advies.omschrijving:
            lines += [advies.omschrijving, ""]
        sporen = cut_sporen(advies.sporen, top)
        if sporen:
            lines += ["| Spoor | Score | Redenen |", "| --- | ---: | --- |"]
            for item in sporen:
                name = f"{item.spoor.nummer}. {item.spoor.naam}" + (" (gelijk)" if item.gelijk else "")
                reasons = "<br>".join(_md_escape(r.render()) for r in item.redenen)
                lines.append(f"| {name} | {format_score(item.score)} | {reasons} |")
            lines.append("")
        else:
            lines += ["Geen spoor past bij deze antwoorden.", ""]
        if advies.partners:
            lines += ["### Sociale partners", ""]
            lines += [
                f"- **{p['naam']}**" + _md_herkomst(p) + (f": {p['rol']}" if p.get("rol") else "")
                for p in advies.partners
            ]
            lines.append("")
        if advies.instrumenten:
            lines += ["### Instrumenten", ""]
            for instrument in advies.instrumenten:
                line = (
                    f"- **{instrument['naam']}**{_md_herkomst(instrument)} ({instrument['verstrekker']}): "
                    f"{instrument['wat']}"
                )
                if instrument.get("let_op"):
                    line += f" *Let op: {instrument['let_op']}*"
                lines.append(line + f" (peildatum {instrument['peildatum']})")
            lines.append("")
        if advies.cases:
            lines += ["### Praktijkvoorbeelden", ""]
            lines += [f"- {c['titel']} (spoor {c['spoor']}, `{c['id']}`){_md_herkomst(c)}" for c in advies.cases]
            lines.append("")
        if advies.waarschuwingen:
            lines += ["### Waarschuwingen", ""]
            lines += [f"- {w}" for w in advies.waarschuwingen]
            lines.append("")
        if advies.let_op:
            lines += ["### Goed om te weten", ""]
            lines += [f"- {t}" for t in advies.let_op]
            lines.append("")
        if advies.onbeantwoord:
            lines += ["### Niet beantwoord", "", ", ".join(advies.onbeantwoord), ""]
    return "\n".join(lines)


SAVED_HEADER = "# Werkplek opgeslagen door 'spoorwijzer advies'. Gebruik: spoorwijzer match --werk <dit bestand>"
PARTIAL_HEADER = (
    "# Antwoorden tot nu toe (nog niet opgeslagen). Bewaar dit als .yaml en gebruik: spoorwijzer match --werk"
)


def werkplek_yaml(naam: str, antwoorden: dict[str, Any], omschrijving: str = "", header: str = SAVED_HEADER) -> str:
    """A werkplek file (as `match` reads it) for answers given in `advies`."""
    import yaml

    record: dict[str, Any] = {"naam": naam}
    if omschrijving:
        record["omschrijving"] = omschrijving
    for key, value in antwoorden.items():
        record[key] = list(value) if isinstance(value, tuple) else value
    return header + "\n" + yaml.safe_dump({"werkplekken": [record]}, allow_unicode=True, sort_keys=False)


def werkplek_csv(naam: str, antwoorden: dict[str, Any], vraag_ids: tuple[str, ...], omschrijving: str = "") -> str:
    """The same werkplek as a CSV row (`;` as Excel writes it in the Netherlands, all question columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["naam", "omschrijving", *vraag_ids])
    cells = [", ".join(v) if isinstance(v := antwoorden.get(k, ""), tuple) else str(v) for k in vraag_ids]
    writer.writerow([naam, omschrijving, *cells])
    return buffer.getvalue()
