"""What-if: the same werkplek with one or more answers changed, compared with the original advice.

Pure: `parse_wat_als` checks `veld=waarde` against the vocabulary, `vergelijk` advises again with
the changed answers and reports per spoor the old and new score and place, and the reasons that
were added or dropped (the rule lines that explain the move).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spoorwijzer.engine import Advies, Antwoorden, Regels, SpoorScore
from spoorwijzer.errors import Problem, UserError, allowed_list, did_you_mean
from spoorwijzer.kennisbank import Spoor
from spoorwijzer.werkplek import Vocabulary

OPTION = "--wat-als"
Waarde = str | tuple[str, ...] | None  # None: not answered ("onbekend")


@dataclass(frozen=True)
class Wijziging:
    vraag: str
    oud: Waarde
    nieuw: Waarde


@dataclass
class SpoorVerschil:
    spoor: Spoor
    score_oud: float
    score_nieuw: float
    plaats_oud: int | None  # 1 = first; None: not among the fitting sporen (score 0 or lower)
    plaats_nieuw: int | None
    redenen_erbij: list[str] = field(default_factory=list)
    redenen_weg: list[str] = field(default_factory=list)


@dataclass
class Vergelijking:
    oud: Advies
    nieuw: Advies
    wijzigingen: list[Wijziging]
    sporen: list[SpoorVerschil]  # only the sporen whose score or place changed, in the new order

    @property
    def eerste_oud(self) -> Spoor | None:
        return self.oud.beste.spoor if self.oud.beste else None

    @property
    def eerste_nieuw(self) -> Spoor | None:
        return self.nieuw.beste.spoor if self.nieuw.beste else None


def parse_wat_als(pairs: list[str], vocab: Vocabulary) -> dict[str, Waarde]:
    """`veld=waarde` items to {vraag id: answer or None}; every problem at once (exit 2)."""
    problems: list[Problem] = []
    result: dict[str, Waarde] = {}
    vragen = list(vocab.vragen)
    for pair in pairs:
        if "=" not in pair:
            problems.append(
                Problem(f"'{pair}' heeft geen '='.", field=OPTION, allowed="veld=waarde, bijvoorbeeld taken=complex")
            )
            continue
        key, value = pair.split("=", 1)
        vraag_id = vocab.resolve_key(key)
        if vraag_id is None or vraag_id not in vocab.vragen:
            problems.append(
                Problem(
                    f"Onbekend veld '{key.strip()}'.{did_you_mean(key.strip().lower(), vragen)}",
                    field=OPTION,
                    allowed=allowed_list(vragen),
                )
            )
            continue
        if vraag_id in result:
            problems.append(Problem(f"De vraag '{vraag_id}' staat twee keer in --wat-als.", field=OPTION))
            continue
        answer, message = vocab.answer(vraag_id, value)
        if message:
            problems.append(Problem(f"{vraag_id}: {message}", field=OPTION, allowed=vocab.allowed_values(vraag_id)))
            continue
        result[vraag_id] = answer
    if problems:
        raise UserError(problems)
    return result


def toepassen(antwoorden: Antwoorden, wijzigingen: dict[str, Waarde], vraag_ids: tuple[str, ...]) -> Antwoorden:
    """The answers with the changes applied (None removes an answer), in question order."""
    merged: dict[str, Waarde] = {**antwoorden, **wijzigingen}
    return {v: merged[v] for v in vraag_ids if merged.get(v) is not None}  # type: ignore[misc]


def _per_spoor(advies: Advies) -> dict[int, tuple[SpoorScore, int | None]]:
    result: dict[int, tuple[SpoorScore, int | None]] = {}
    for plaats, item in enumerate(advies.sporen, start=1):
        result[item.spoor.nummer] = (item, plaats)
    for item in advies.afgewezen:
        result[item.spoor.nummer] = (item, None)
    return result


def vergelijk(regels: Regels, oud: Advies, wijzigingen: dict[str, Waarde], peildatum: dt.date) -> Vergelijking:
    """Advise again with the changes and list what moved, and why."""
    antwoorden = toepassen(oud.antwoorden, wijzigingen, regels.vraag_ids)
    nieuw = regels.advise(oud.naam, antwoorden, peildatum, oud.omschrijving)
    nieuw.opmerking = oud.opmerking
    voor, na = _per_spoor(oud), _per_spoor(nieuw)
    verschillen: list[SpoorVerschil] = []
    for spoor in regels.sporen:
        a, plaats_a = voor.get(spoor.nummer, (None, None))
        b, plaats_b = na.get(spoor.nummer, (None, None))
        score_a = a.score if a else 0.0
        score_b = b.score if b else 0.0
        if score_a == score_b and plaats_a == plaats_b:
            continue
        redenen_a = [r.render() for r in a.redenen] if a else []
        redenen_b = [r.render() for r in b.redenen] if b else []
        verschillen.append(
            SpoorVerschil(
                spoor,
                score_a,
                score_b,
                plaats_a,
                plaats_b,
                [r for r in redenen_b if r not in redenen_a],
                [r for r in redenen_a if r not in redenen_b],
            )
        )
    order = {s.spoor.nummer: i for i, s in enumerate(nieuw.sporen + nieuw.afgewezen)}
    verschillen.sort(key=lambda v: (order.get(v.spoor.nummer, len(order)), v.spoor.nummer))
    changes = [Wijziging(v, oud.antwoorden.get(v), w) for v, w in wijzigingen.items()]
    return Vergelijking(oud, nieuw, changes, verschillen)


def _plain(value: Waarde) -> Any:
    return list(value) if isinstance(value, tuple) else value


def shown(value: Waarde) -> str:
    """An answer for people: `onbekend` when not answered."""
    if value is None:
        return "onbekend"
    return ", ".join(value) if isinstance(value, tuple) else value


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [str(i["id"]) for i in items]


def erbij_weg(
    oud: list[dict[str, Any]], nieuw: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Partners or instruments that the change adds and drops."""
    a, b = set(_ids(oud)), set(_ids(nieuw))
    return [i for i in nieuw if i["id"] not in a], [i for i in oud if i["id"] not in b]


def to_dict(vergelijking: Vergelijking) -> dict[str, Any]:
    """The `wat_als` key of a werkplek in the JSON result (README, "Wat als")."""
    oud, nieuw = vergelijking.oud, vergelijking.nieuw
    partners_erbij, partners_weg = erbij_weg(oud.partners, nieuw.partners)
    instrumenten_erbij, instrumenten_weg = erbij_weg(oud.instrumenten, nieuw.instrumenten)
    return {
        "wijzigingen": {w.vraag: {"oud": _plain(w.oud), "nieuw": _plain(w.nieuw)} for w in vergelijking.wijzigingen},
        "eerste_spoor_oud": vergelijking.eerste_oud.nummer if vergelijking.eerste_oud else None,
        "eerste_spoor_nieuw": vergelijking.eerste_nieuw.nummer if vergelijking.eerste_nieuw else None,
        "advies_sporen_oud": [s.nummer for s in oud.advies_sporen],
        "advies_sporen_nieuw": [s.nummer for s in nieuw.advies_sporen],
        "sporen": [
            {
                "nummer": v.spoor.nummer,
                "naam": v.spoor.naam,
                "score_oud": float(v.score_oud),
                "score_nieuw": float(v.score_nieuw),
                "plaats_oud": v.plaats_oud,
                "plaats_nieuw": v.plaats_nieuw,
                "redenen_erbij": v.redenen_erbij,
                "redenen_weg": v.redenen_weg,
            }
            for v in vergelijking.sporen
        ],
        "partners_erbij": _ids(partners_erbij),
        "partners_weg": _ids(partners_weg),
        "instrumenten_erbij": _ids(instrumenten_erbij),
        "instrumenten_weg": _ids(instrumenten_weg),
        "waarschuwingen": nieuw.waarschuwingen,
    }
