"""A portfolio: the advice for all werkplekken of an organisation, added up. Pure: no I/O.

`build_portfolio(adviezen, kennisbank)` counts per spoor how many werkplekken have it as first
choice and as runner-up, names the sporen nobody offers a werkplek for (gaps), and counts the
partners, instruments, warnings and open questions over the werkplekken.

Ties are shown, never broken: a werkplek whose best score is shared by several sporen counts as
first choice for each of them (and is listed under `gedeeld`), so the first-choice counts can add
up to more than the number of werkplekken. The runner-up is the next lower score, again counted
for every spoor that has it; a werkplek with a tie at the top therefore has no separate runner-up
unless a lower score follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spoorwijzer.engine import Advies, SpoorScore
from spoorwijzer.kennisbank import Kennisbank, Spoor


@dataclass
class SpoorTelling:
    """One spoor across the portfolio: which werkplekken have it first or second."""

    spoor: Spoor
    eerste: list[str] = field(default_factory=list)  # werkplek names, in file order
    gedeeld: list[str] = field(default_factory=list)  # of `eerste`: those where the top score is a tie
    tweede: list[str] = field(default_factory=list)

    @property
    def gat(self) -> bool:
        """No werkplek has this spoor as (shared) first choice."""
        return not self.eerste


@dataclass
class Gat:
    """A spoor the organisation offers no werkplek for, with the wegwijzer's example work."""

    spoor: Spoor
    voorbeelden_werk: list[str]
    tweede_bij: list[str]  # werkplekken that have it as runner-up: the nearest candidates
    cases: list[dict[str, Any]]  # practice cases of this spoor, for inspiration


@dataclass
class Telling:
    """Something (a partner, instrument, warning, open question) with the werkplekken it concerns."""

    id: str
    naam: str
    werkplekken: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def aantal(self) -> int:
        return len(self.werkplekken)


@dataclass
class WerkplekKort:
    """One line per werkplek: first choice(s) and runner-up(s) by spoor number."""

    naam: str
    eerste: list[Spoor]
    eerste_score: float | None
    tweede: list[Spoor]
    tweede_score: float | None
    waarschuwingen: int

    @property
    def gelijk(self) -> bool:
        return len(self.eerste) > 1


@dataclass
class Portfolio:
    werkplekken: list[WerkplekKort]
    sporen: list[SpoorTelling]  # every spoor of the kennisbank, in spoor order
    gaten: list[Gat]
    zonder_advies: list[str]  # werkplekken for which no spoor fits (or nothing was answered)
    partners: list[Telling]
    instrumenten: list[Telling]
    waarschuwingen: list[Telling]
    let_op: list[Telling]
    onbeantwoord: list[Telling]

    @property
    def aantal(self) -> int:
        return len(self.werkplekken)

    @property
    def gedeeld(self) -> list[str]:
        return [w.naam for w in self.werkplekken if w.gelijk]


def score_levels(sporen: list[SpoorScore]) -> tuple[list[SpoorScore], list[SpoorScore]]:
    """The sporen at the best score and those at the next lower score (ties kept together)."""
    if not sporen:
        return [], []
    top = sporen[0].score
    eerste = [s for s in sporen if s.score == top]
    lager = [s for s in sporen if s.score < top]
    if not lager:
        return eerste, []
    return eerste, [s for s in lager if s.score == lager[0].score]


def _count(tellingen: dict[str, Telling], key: str, naam: str, werkplek: str, **details: Any) -> None:
    telling = tellingen.setdefault(key, Telling(key, naam, details=details))
    if werkplek not in telling.werkplekken:
        telling.werkplekken.append(werkplek)


def _most_first(tellingen: dict[str, Telling]) -> list[Telling]:
    # Most werkplekken first; equal counts keep the order in which they were first met (stable sort).
    return sorted(tellingen.values(), key=lambda t: -t.aantal)


def build_portfolio(adviezen: list[Advies], kennisbank: Kennisbank) -> Portfolio:
    per_spoor = {s.nummer: SpoorTelling(s) for s in kennisbank.sporen}
    werkplekken: list[WerkplekKort] = []
    zonder: list[str] = []
    partners: dict[str, Telling] = {}
    instrumenten: dict[str, Telling] = {}
    waarschuwingen: dict[str, Telling] = {}
    let_op: dict[str, Telling] = {}
    onbeantwoord: dict[str, Telling] = {}

    for advies in adviezen:
        eerste, tweede = score_levels(advies.sporen)
        werkplekken.append(
            WerkplekKort(
                naam=advies.naam,
                eerste=[s.spoor for s in eerste],
                eerste_score=eerste[0].score if eerste else None,
                tweede=[s.spoor for s in tweede],
                tweede_score=tweede[0].score if tweede else None,
                waarschuwingen=len(advies.waarschuwingen),
            )
        )
        if not eerste:
            zonder.append(advies.naam)
        for item in eerste:
            telling = per_spoor[item.spoor.nummer]
            telling.eerste.append(advies.naam)
            if len(eerste) > 1:
                telling.gedeeld.append(advies.naam)
        for item in tweede:
            per_spoor[item.spoor.nummer].tweede.append(advies.naam)
        for partner in advies.partners:
            extra = {k: partner[k] for k in ("herkomst", "contact") if partner.get(k)}
            _count(partners, str(partner["id"]), str(partner["naam"]), advies.naam, **extra)
            sporen = partners[str(partner["id"])].details.setdefault("sporen", [])
            sporen.extend(n for n in partner.get("sporen", []) if n not in sporen)
        for instrument in advies.instrumenten:
            extra = {k: instrument[k] for k in ("verstrekker", "peildatum", "let_op", "herkomst") if instrument.get(k)}
            _count(instrumenten, str(instrument["id"]), str(instrument["naam"]), advies.naam, **extra)
        for tekst in advies.waarschuwingen:
            _count(waarschuwingen, tekst, tekst, advies.naam)
        for tekst in advies.let_op:
            _count(let_op, tekst, tekst, advies.naam)
        for vraag_id in advies.onbeantwoord:
            _count(onbeantwoord, vraag_id, vraag_id, advies.naam)

    for telling in partners.values():
        telling.details["sporen"] = sorted(telling.details.get("sporen", []))
    gaten = [
        Gat(
            spoor=t.spoor,
            voorbeelden_werk=[str(v) for v in t.spoor.raw.get("voorbeelden_werk", [])],
            tweede_bij=list(t.tweede),
            cases=[
                {"id": c["id"], "titel": c.get("titel", c["id"])}
                for c in kennisbank.cases
                if c.get("spoor") == t.spoor.nummer
            ],
        )
        for t in per_spoor.values()
        if t.gat
    ]
    return Portfolio(
        werkplekken=werkplekken,
        sporen=list(per_spoor.values()),
        gaten=gaten,
        zonder_advies=zonder,
        partners=_most_first(partners),
        instrumenten=_most_first(instrumenten),
        waarschuwingen=_most_first(waarschuwingen),
        let_op=_most_first(let_op),
        onbeantwoord=_most_first(onbeantwoord),
    )
