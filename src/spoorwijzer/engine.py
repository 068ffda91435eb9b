"""The rule engine: answers in, ranked and explained advice out. Pure: no I/O, no clock.

`Regels` compiles the knowledge base once into lookup tables (question -> answer -> list of
(spoor position, weight, reason)); `Regels.advise` then only adds numbers per werkplek.
The engine knows no spoor, question or partner by name: all of it comes from the Kennisbank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spoorwijzer.kennisbank import Kennisbank, Spoor, herkomst_of
from spoorwijzer.text import one_line

Antwoorden = dict[str, str | tuple[str, ...]]  # doelgroep: a tuple of ids


@dataclass(frozen=True, slots=True)
class Reden:
    vraag: str
    antwoord: str
    gewicht: float
    tekst: str
    bron: str

    def render(self) -> str:
        return f"{self.vraag} = {self.antwoord}: {self.tekst} ({format_gewicht(self.gewicht)})"


@dataclass(slots=True)
class SpoorScore:
    spoor: Spoor
    score: float
    redenen: list[Reden]
    gelijk: bool = False  # shares its score with another listed spoor


@dataclass
class Advies:
    naam: str
    antwoorden: Antwoorden
    sporen: list[SpoorScore]
    afgewezen: list[SpoorScore]
    advies_sporen: list[Spoor]
    partners: list[dict[str, Any]] = field(default_factory=list)
    instrumenten: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    let_op: list[str] = field(default_factory=list)  # background on the doelgroep, not a conflict
    onbeantwoord: list[str] = field(default_factory=list)
    omschrijving: str = ""
    opmerking: str = ""  # the user's own note, echoed; never scored

    @property
    def beste(self) -> SpoorScore | None:
        return self.sporen[0] if self.sporen else None


def format_gewicht(value: float) -> str:
    text = f"{value:+.1f}".rstrip("0").rstrip(".")
    return text


def format_score(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class Regels:
    """The knowledge base compiled for fast, repeated advice."""

    def __init__(self, kennisbank: Kennisbank) -> None:
        self.kb = kennisbank
        self.sporen = kennisbank.sporen
        self._position = {s.nummer: i for i, s in enumerate(self.sporen)}
        self.vraag_ids = tuple(v.id for v in kennisbank.vragen)
        self._table: dict[str, dict[str, tuple[tuple[int, float, Reden], ...]]] = {}
        self._meerkeuze: dict[str, Any] = {}
        for vraag in kennisbank.vragen:
            if vraag.type == "meerkeuze":
                self._meerkeuze[vraag.id] = vraag
                continue
            per_answer: dict[str, tuple[tuple[int, float, Reden], ...]] = {}
            for antwoord in vraag.antwoorden:
                entries = []
                for effect in antwoord.effecten:
                    reden = Reden(vraag.id, antwoord.waarde, effect.gewicht, effect.reden, effect.bron)
                    for nummer in effect.sporen:
                        entries.append((self._position[nummer], effect.gewicht, reden))
                per_answer[antwoord.waarde] = tuple(entries)
            self._table[vraag.id] = per_answer
        self._instroom_cache: dict[tuple[str, frozenset[str]], tuple[tuple[int, float, Reden], ...]] = {}

    # -- scoring -------------------------------------------------------------------------------
    def _instroom_entries(self, vraag_id: str, doelgroepen: frozenset[str]) -> tuple[tuple[int, float, Reden], ...]:
        key = (vraag_id, doelgroepen)
        cached = self._instroom_cache.get(key)
        if cached is not None:
            return cached
        effect = self._meerkeuze[vraag_id].instroom_effect
        entries: list[tuple[int, float, Reden]] = []
        label = ", ".join(sorted(doelgroepen))
        if effect is not None:
            soorten = effect.buiten_soorten
            weakening = {d for d in doelgroepen if soorten is None or self._soort(d) in soorten}
            for position, spoor in enumerate(self.sporen):
                binnen = sorted(doelgroepen & spoor.instroom)
                buiten = sorted(weakening - spoor.instroom)
                if binnen:
                    places = list(dict.fromkeys(spoor.instroom_waar.get(d, "de wegwijzer") for d in binnen))
                    waar = (
                        places[0]
                        if len(places) == 1
                        else "; ".join(f"{self._doelgroep_naam(d)}: {spoor.instroom_waar.get(d)}" for d in binnen)
                    )
                    tekst = self._doelgroep_text(effect.binnen_reden, binnen, waar=waar)
                    reden = Reden(vraag_id, label, effect.binnen_gewicht, tekst, effect.bron)
                    entries.append((position, effect.binnen_gewicht, reden))
                if buiten:
                    tekst = self._doelgroep_text(effect.buiten_reden, buiten)
                    reden = Reden(vraag_id, label, effect.buiten_gewicht, tekst, effect.bron)
                    entries.append((position, effect.buiten_gewicht, reden))
        result = tuple(entries)
        if len(self._instroom_cache) < 4096:
            self._instroom_cache[key] = result
        return result

    def _doelgroep_text(self, template: str, groep: list[str], waar: str = "") -> str:
        return template.format(
            doelgroepen=_join_names([self._doelgroep_naam(d) for d in groep]),
            doelgroep_woord="doelgroep" if len(groep) == 1 else "doelgroepen",
            hoort="hoort" if len(groep) == 1 else "horen",
            waar=waar,
        )

    def _soort(self, doelgroep_id: str) -> str:
        return str(self.kb.doelgroepen.get(doelgroep_id, {}).get("soort", "regeling"))

    def _doelgroep_naam(self, doelgroep_id: str) -> str:
        info = self.kb.doelgroepen.get(doelgroep_id)
        return str(info.get("naam", doelgroep_id)) if info else doelgroep_id

    def scores(self, antwoorden: Antwoorden) -> tuple[list[float], list[list[Reden]]]:
        """Score vector and reasons per spoor (in spoor order) for one set of answers."""
        totals = [0.0] * len(self.sporen)
        redenen: list[list[Reden]] = [[] for _ in self.sporen]
        for vraag_id, waarde in antwoorden.items():
            if vraag_id in self._meerkeuze:
                entries = self._instroom_entries(vraag_id, frozenset(waarde))
            else:
                entries = self._table.get(vraag_id, {}).get(waarde, ())  # type: ignore[arg-type]
            for position, gewicht, reden in entries:
                totals[position] += gewicht
                redenen[position].append(reden)
        return totals, redenen

    # -- the whole advice ---------------------------------------------------------------------
    def advise(self, naam: str, antwoorden: Antwoorden, peildatum: dt.date, omschrijving: str = "") -> Advies:
        totals, redenen = self.scores(antwoorden)
        ranked = sorted(range(len(self.sporen)), key=lambda i: (-totals[i], self.sporen[i].nummer))
        listed = [SpoorScore(self.sporen[i], totals[i], redenen[i]) for i in ranked if totals[i] > 0]
        rejected = [SpoorScore(self.sporen[i], totals[i], redenen[i]) for i in ranked if totals[i] <= 0 and redenen[i]]
        counts: dict[float, int] = {}
        for item in listed:
            counts[item.score] = counts.get(item.score, 0) + 1
        for item in listed:
            item.gelijk = counts[item.score] > 1

        advies_sporen: list[Spoor] = []
        if listed:
            top = listed[0].score
            advies_sporen = [s.spoor for s in listed if s.score == top]
            margin = self.kb.tweede_spoor_marge
            if len(advies_sporen) == 1 and len(listed) > 1 and top - listed[1].score <= margin:
                advies_sporen.append(listed[1].spoor)

        # The doelgroepen are the answers to the multiple-choice (instroom) questions, whatever their id.
        doelgroepen = frozenset(d for vraag_id in self._meerkeuze for d in antwoorden.get(vraag_id, ()))
        advies = Advies(
            naam=naam,
            omschrijving=omschrijving,
            antwoorden=antwoorden,
            sporen=listed,
            afgewezen=rejected,
            advies_sporen=advies_sporen,
            onbeantwoord=[v for v in self.vraag_ids if v not in antwoorden],
        )
        advies.partners = self.partners(advies_sporen, doelgroepen)
        advies.instrumenten = self.instrumenten(advies_sporen, doelgroepen, peildatum)
        advies.cases = self.cases(advies_sporen)
        advies.waarschuwingen = self.waarschuwingen(advies, doelgroepen)
        advies.let_op = self.let_op(advies_sporen, doelgroepen, peildatum)
        return advies

    def let_op(self, sporen: list[Spoor], doelgroepen: frozenset[str], peildatum: dt.date) -> list[str]:
        """Background the user should know: notes on the doelgroep, instruments it does not qualify for."""
        result = []
        for doelgroep in sorted(doelgroepen):
            tekst = self.kb.doelgroepen.get(doelgroep, {}).get("let_op")
            if tekst:
                result.append(f"{self._doelgroep_naam(doelgroep)}: {one_line(tekst)}")
        if doelgroepen and sporen:
            # Only the instruments made for the best spoor (listed first), to keep the note short.
            beste = sporen[0]
            elders = [
                str(i["naam"])
                for i in self.kb.instrumenten
                if in_force(i, peildatum)
                and [int(n) for n in i.get("sporen", [])][:1] == [beste.nummer]
                and not serves(i.get("doelgroepen", "alle"), doelgroepen)
            ]
            if elders:
                result.append(
                    f"De instrumenten {_join_names(elders)} zijn vooral voor {beste.naam} bedoeld, maar niet voor "
                    f"deze doelgroep. Vraag gemeente of UWV wat voor deze doelgroep mogelijk is "
                    f"(alle instrumenten: spoorwijzer instrumenten --spoor {beste.nummer})."
                )
        return result

    def partners(self, sporen: list[Spoor], doelgroepen: frozenset[str]) -> list[dict[str, Any]]:
        nummers = [s.nummer for s in sporen]
        result = []
        for partner in self.kb.partners:
            rollen = {int(r["spoor"]): str(r.get("rol", "")) for r in partner.get("sporen", [])}
            voor = [n for n in nummers if n in rollen]
            if not voor or not serves(partner.get("doelgroepen", "alle"), doelgroepen):
                continue
            result.append(
                {
                    "id": partner["id"],
                    "naam": partner["naam"],
                    "sporen": voor,
                    "rol": "; ".join(dict.fromkeys(rollen[n] for n in voor if rollen[n])),
                    "nodig_voor": [need_label(self.kb.nodig_voor.get(n), n) for n in partner.get("nodig_voor", [])],
                    "omschrijving": one_line(partner.get("omschrijving", "")),
                    **({"let_op": one_line(partner["let_op"])} if partner.get("let_op") else {}),
                    **({"contact": partner["contact"]} if partner.get("contact") else {}),
                    "bron": partner.get("bron", ""),
                    "herkomst": herkomst_of(partner),
                }
            )
        return result

    def instrumenten(
        self, sporen: list[Spoor], doelgroepen: frozenset[str], peildatum: dt.date
    ) -> list[dict[str, Any]]:
        nummers = {s.nummer for s in sporen}
        result = []
        for instrument in self.kb.instrumenten:
            if not in_force(instrument, peildatum):
                continue
            voor = [int(n) for n in instrument.get("sporen", []) if int(n) in nummers]
            if not voor or not serves(instrument.get("doelgroepen", "alle"), doelgroepen):
                continue
            result.append(instrument_summary(instrument, voor))
        return result

    def cases(self, sporen: list[Spoor]) -> list[dict[str, Any]]:
        nummers = [s.nummer for s in sporen]
        primary = [c for n in nummers for c in self.kb.cases if c.get("spoor") == n]
        related = [
            c for c in self.kb.cases if c not in primary and any(n in c.get("ook_sporen", []) for n in nummers[:1])
        ]
        return [case_summary(c) for c in primary + related]

    def waarschuwingen(self, advies: Advies, doelgroepen: frozenset[str]) -> list[str]:
        result: list[str] = []
        antwoorden = advies.antwoorden
        beste = [s.spoor for s in advies.sporen if s.score == advies.sporen[0].score]
        for regel in self.kb.waarschuwingen:
            if not all(antwoorden.get(k) == v for k, v in regel.als.items()):
                continue
            if regel.spoor_kenmerk is None:
                result.append(regel.tekst.replace("{spoor}", "dit spoor"))
                continue
            for spoor in beste:
                if regel.spoor_kenmerk in spoor.kenmerken:
                    result.append(regel.tekst.replace("{spoor}", spoor.naam))
        if len(beste) > 1:
            namen = _join_names([s.naam for s in beste])
            hint = (
                f" Beantwoord de open vragen ({', '.join(advies.onbeantwoord)}) of kies zelf."
                if advies.onbeantwoord
                else " Kies zelf aan de hand van de redenen en de cases."
            )
            result.append(f"Gelijke score voor {namen}: de antwoorden maken geen onderscheid.{hint}")
        if doelgroepen and advies.advies_sporen:
            buiten = sorted(d for d in doelgroepen if all(d not in s.instroom for s in advies.advies_sporen))
            if buiten:
                namen = _join_names([self._doelgroep_naam(d) for d in buiten])
                sporen = _join_names([s.naam for s in advies.advies_sporen])
                result.append(
                    f"De doelgroep {namen} hoort niet bij de instroom van {sporen}. Kijk of een ander spoor "
                    "beter past, of overleg met de sociale partners."
                )
        if not advies.sporen:
            if len(advies.onbeantwoord) == len(self.vraag_ids):
                result.append("Er zijn nog geen vragen beantwoord: er is nog geen advies mogelijk.")
            else:
                result.append("Geen enkel spoor past bij deze antwoorden. Bekijk de redenen bij de afgewezen sporen.")
        elif len(advies.onbeantwoord) * 2 > len(self.vraag_ids):
            result.append(
                f"Voorlopig advies: {len(advies.onbeantwoord)} van de {len(self.vraag_ids)} vragen "
                "zijn niet beantwoord."
            )
        return result


def need_label(need: dict[str, Any] | None, need_id: str) -> str:
    """The short name of a "partners nodig voor" item, for lists and tables."""
    if not need:
        return need_id
    return one_line(need.get("label") or need.get("omschrijving") or need_id)


def serves(served: object, doelgroepen: frozenset[str]) -> bool:
    """Does a partner or instrument (`doelgroepen: alle` or a list) serve any of these doelgroepen?"""
    if not doelgroepen or served == "alle":
        return True
    return bool(doelgroepen.intersection(served if isinstance(served, list) else []))


def in_force(instrument: dict[str, Any], peildatum: dt.date) -> bool:
    """An instrument is recommended only while it has not ended (`vervallen`) on the given date."""
    if "vervallen" not in instrument:
        return True
    einde = _as_date(instrument["vervallen"])
    return einde is not None and einde > peildatum


def instrument_summary(instrument: dict[str, Any], voor: list[int]) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "id": instrument["id"],
        "naam": instrument["naam"],
        "sporen": voor,
        "verstrekker": instrument.get("verstrekker", ""),
        "wat": one_line(instrument.get("wat", "")),
        "voorwaarden": list(instrument.get("voorwaarden", [])),
        "peildatum": str(instrument.get("peildatum", "")),
    }
    if instrument.get("vervallen"):
        summary["vervallen"] = str(instrument["vervallen"])
    if instrument.get("let_op"):
        summary["let_op"] = one_line(instrument["let_op"])
    summary["bron"] = instrument.get("bron", "")
    summary["herkomst"] = herkomst_of(instrument)
    return summary


def case_summary(case: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": case["id"],
        "titel": case.get("titel", case["id"]),
        "spoor": case.get("spoor"),
        "ook_sporen": list(case.get("ook_sporen") or []),
        "organisatie": case.get("organisatie", ""),
        "website": case.get("website", ""),
        "herkomst": herkomst_of(case),
    }
