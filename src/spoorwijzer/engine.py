"""The rule engine: answers in, ranked and explained advice out. Pure: no I/O, no clock.

`Regels` compiles the knowledge base once into lookup tables (question -> answer -> list of
(spoor position, weight, reason)); `Regels.advise` then only adds numbers per werkplek.
The engine knows no spoor, question or partner by name: all of it comes from the Kennisbank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from spoorwijzer.kennisbank import InstroomEffect, Kennisbank, Spoor, herkomst_of
from spoorwijzer.text import one_line

Antwoorden = dict[str, str | tuple[str, ...]]  # doelgroep: a tuple of ids
Vector = tuple[tuple[float, ...], tuple[tuple["Reden", ...], ...]]  # score and reasons per spoor
chain_from = chain.from_iterable
GROUP_SIZE = 5  # questions per lookup table: at most a few hundred answer combinations each
PACK_SCALE, PACK_BITS = 4, 32  # packed score vectors: quarter points, 32 bits per spoor
TABLE_LIMIT = 65536  # bound on each lookup table (odd answers from the API must not grow it forever)


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
    # `redenen` in the parts they were summed from (`Regels.advise`): shared, cached tuples of the
    # engine's tables, so a renderer can encode each part once (jsontekst). Empty: not known.
    # Not compared or shown: the same reasons are the same SpoorScore, however they were made.
    delen: tuple[tuple[Reden, ...], ...] = field(default=(), compare=False, repr=False)


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
        self._nummers = [s.nummer for s in self.sporen]
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
        self._weakening_cache: dict[frozenset[str], frozenset[str]] = {}  # doelgroepen -> those that weaken
        # Compiled once more for speed: the single-choice questions in groups of a few, each group a
        # table from its answers (a tuple) to (score per spoor, reasons per spoor), filled on first use.
        # A werkplek then costs a few lookups and one vector sum instead of a walk over its answers.
        keuze = [v for v in self._table]
        self._groups = [tuple(keuze[i : i + GROUP_SIZE]) for i in range(0, len(keuze), GROUP_SIZE)]
        self._group_tables: list[dict[tuple[object, ...], Vector]] = [{} for _ in self._groups]
        self._meerkeuze_tables: dict[str, dict[object, Vector]] = {v: {} for v in self._meerkeuze}
        self._meerkeuze_sets: dict[tuple[str, frozenset[str]], Vector] = {}
        self._packed_tables: list[dict[Any, tuple[int, tuple[float, ...]]]] = [{} for _ in self._groups]
        self._packed_meerkeuze: dict[str, dict[Any, tuple[int, tuple[float, ...]]]] = {v: {} for v in self._meerkeuze}
        self._rankings: dict[int, tuple[tuple[Spoor, float], ...]] = {}
        self._packable = True
        self._zero: Vector = (tuple(0.0 for _ in self.sporen), tuple(() for _ in self.sporen))
        # Partners, instruments, cases and notes depend only on (advies sporen, doelgroepen, date).
        self._extras: dict[tuple[object, ...], list[Any]] = {}
        self._all_extras: dict[tuple[object, ...], tuple[list[Any], list[Any], list[Any], list[str]]] = {}
        self._note_sets: dict[frozenset[str], list[str]] = {}
        self._doelgroep_sets: dict[tuple[object, ...], frozenset[str]] = {}
        self._partner_info = [
            (
                partner,
                {int(r["spoor"]): str(r.get("rol", "")) for r in partner.get("sporen", [])},
                _served(partner.get("doelgroepen", "alle")),
            )
            for partner in kennisbank.partners
        ]
        self._instrument_info = [
            (instrument, [int(n) for n in instrument.get("sporen", [])], _served(instrument.get("doelgroepen", "alle")))
            for instrument in kennisbank.instrumenten
        ]
        self._masks: dict[frozenset[str], tuple[int, int]] = {}
        self._notes: dict[str, str] = {}
        self._summaries: dict[tuple[str, int, tuple[int, ...]], dict[str, Any]] = {}
        # Warnings per part (see `waarschuwingen`); the rules' conditions are compiled on first use.
        self._warning_source: object = None
        self._warning_keys: tuple[str, ...] = ()
        self._warning_rules: dict[tuple[object, ...], list[str]] = {}
        self._warning_parts: dict[tuple[object, ...], str] = {}

    def _vector(self, entries: tuple[tuple[int, float, Reden], ...]) -> Vector:
        totals = [0.0] * len(self.sporen)
        redenen: list[list[Reden]] = [[] for _ in self.sporen]
        for position, gewicht, reden in entries:
            totals[position] += gewicht
            redenen[position].append(reden)
        return tuple(totals), tuple(tuple(r) for r in redenen)

    def _group_vector(self, group: int, key: tuple[object, ...]) -> Vector:
        table = self._group_tables[group]
        found = table.get(key)
        if found is None:
            entries = tuple(
                entry
                for vraag_id, waarde in zip(self._groups[group], key, strict=True)
                if waarde is not None
                for entry in self._table[vraag_id].get(waarde, ())  # type: ignore[call-overload]
            )
            found = self._vector(entries)
            if len(table) < TABLE_LIMIT:
                table[key] = found
        return found

    def _meerkeuze_vector(self, vraag_id: str, waarde: object) -> Vector:
        table = self._meerkeuze_tables[vraag_id]
        key = waarde if isinstance(waarde, (tuple, str)) else tuple(waarde)  # type: ignore[call-overload]
        found = table.get(key)
        if found is None:
            # One vector per set of doelgroepen, whatever their order: less work, and the same
            # (shared) reason tuples for the renderers to remember.
            doelgroepen = frozenset(key)
            found = self._meerkeuze_sets.get((vraag_id, doelgroepen))
            if found is None:
                found = self._vector(self._instroom_entries(vraag_id, doelgroepen))
                if len(self._meerkeuze_sets) < TABLE_LIMIT:
                    self._meerkeuze_sets[(vraag_id, doelgroepen)] = found
            if len(table) < TABLE_LIMIT:
                table[key] = found
        return found

    def _vectors(self, antwoorden: Antwoorden) -> list[Vector]:
        get = antwoorden.get
        vectors = []
        for index, (group, table) in enumerate(zip(self._groups, self._group_tables, strict=True)):
            key = tuple(map(get, group))
            vectors.append(table.get(key) or self._group_vector(index, key))  # a hit without a call
        for vraag_id in self._meerkeuze:
            waarde = get(vraag_id)
            if waarde is not None:
                vectors.append(self._meerkeuze_vector(vraag_id, waarde))
        return vectors

    def _instroom_entries(self, vraag_id: str, doelgroepen: frozenset[str]) -> tuple[tuple[int, float, Reden], ...]:
        key = (vraag_id, doelgroepen)
        cached = self._instroom_cache.get(key)
        if cached is not None:
            return cached
        effect = self._meerkeuze[vraag_id].instroom_effect
        entries: list[tuple[int, float, Reden]] = []
        label = ", ".join(sorted(doelgroepen))
        if effect is not None:
            weakening = self._weakening(effect, doelgroepen)
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

    def _weakening(self, effect: InstroomEffect, doelgroepen: frozenset[str]) -> set[str]:
        """The doelgroepen that count against a spoor whose instroom they are not in (by their soort:
        a regeling or school does, a kenmerk such as statushouder only adds)."""
        soorten = effect.buiten_soorten
        return {d for d in doelgroepen if soorten is None or self._soort(d) in soorten}

    def _soort(self, doelgroep_id: str) -> str:
        return str(self.kb.doelgroepen.get(doelgroep_id, {}).get("soort", "regeling"))

    def _doelgroep_naam(self, doelgroep_id: str) -> str:
        info = self.kb.doelgroepen.get(doelgroep_id)
        return str(info.get("naam", doelgroep_id)) if info else doelgroep_id

    def scores(self, antwoorden: Antwoorden) -> tuple[list[float], list[list[Reden]]]:
        """Score vector and reasons per spoor (in spoor order) for one set of answers."""
        totals, delen = self.score_delen(antwoorden)
        return totals, [[r for part in parts for r in part] for parts in delen]

    def score_delen(self, antwoorden: Antwoorden) -> tuple[list[float], list[tuple[tuple[Reden, ...], ...]]]:
        """Score vector and, per spoor, its reasons in parts (one shared tuple per lookup table)."""
        vectors = self._vectors(antwoorden) or [self._zero]
        totals = list(map(sum, zip(*[v[0] for v in vectors], strict=True)))
        return totals, list(zip(*[v[1] for v in vectors], strict=True))

    def rangschik(self, antwoorden: Antwoorden) -> list[tuple[Spoor, float]]:
        """Only the ranking (sporen scoring above 0, best first), without reasons: the fast path.

        Each table entry also holds its score vector packed into one integer (a linear map, so
        adding integers adds vectors); the ranking is remembered per packed total, because real
        inventories repeat the same werkplek many times.
        """
        get = antwoorden.get
        packed = 0
        parts = []
        for index, group in enumerate(self._groups):
            key = tuple(map(get, group))
            entry = self._packed_tables[index].get(key)
            if entry is None:
                entry = self._packed_entry(self._packed_tables[index], key, self._group_vector(index, key))
            packed += entry[0]
            parts.append(entry[1])
        for vraag_id in self._meerkeuze:
            waarde = get(vraag_id)
            if waarde is not None:
                table = self._packed_meerkeuze[vraag_id]
                entry = table.get(waarde)  # type: ignore[call-overload]
                if entry is None:
                    entry = self._packed_entry(table, waarde, self._meerkeuze_vector(vraag_id, waarde))
                packed += entry[0]
                parts.append(entry[1])
        found = self._rankings.get(packed) if self._packable else None
        if found is None:
            nummers = self._nummers
            totals = [sum(column) for column in zip(*parts, strict=True)] if parts else self._zero[0]
            ranked = sorted([(-t, nummers[i], i) for i, t in enumerate(totals) if t > 0])
            found = tuple([(self.sporen[i], -t) for t, _, i in ranked])  # a tuple: smaller than a list
            if self._packable and len(self._rankings) < TABLE_LIMIT:
                self._rankings[packed] = found
        return list(found)

    def _packed_entry(
        self, table: dict[Any, tuple[int, tuple[float, ...]]], key: object, vector: Vector
    ) -> tuple[int, tuple[float, ...]]:
        entry = (self._pack(vector[0]), vector[0])
        if len(table) < TABLE_LIMIT:
            table[key] = entry
        return entry

    def _pack(self, totals: tuple[float, ...]) -> int:
        packed = 0
        for position, value in enumerate(totals):
            scaled = value * PACK_SCALE
            if scaled != int(scaled) or abs(scaled) >= 1 << (PACK_BITS - 8):
                self._packable = False  # a weight finer than the scale: use the plain path
                return 0
            packed += int(scaled) << (PACK_BITS * position)
        return packed

    # -- the whole advice ---------------------------------------------------------------------
    def advise(self, naam: str, antwoorden: Antwoorden, peildatum: dt.date, omschrijving: str = "") -> Advies:
        totals, delen = self.score_delen(antwoorden)
        sporen = self.sporen
        listed: list[SpoorScore] = []
        rejected: list[SpoorScore] = []
        # Best first, then by number (the numbers differ, so the position is never compared).
        for _, _, i in sorted(zip([-t for t in totals], self._nummers, range(len(sporen)), strict=True)):
            score, parts = totals[i], delen[i]
            redenen = list(chain_from(parts))
            if score > 0:
                listed.append(SpoorScore(sporen[i], score, redenen, False, parts))
            elif score <= 0 and redenen:
                rejected.append(SpoorScore(sporen[i], score, redenen, False, parts))
        return self._complete(naam, antwoorden, peildatum, omschrijving, listed, rejected)

    def advise_kort(self, naam: str, antwoorden: Antwoorden, peildatum: dt.date, omschrijving: str = "") -> Advies:
        """The advice without reasons and without the rejected sporen (what csv output shows), from the
        fast ranking: scores, order, ties, advies sporen, partners, ... and warnings are those of `advise`."""
        listed = [SpoorScore(spoor, score, []) for spoor, score in self.rangschik(antwoorden)]
        return self._complete(naam, antwoorden, peildatum, omschrijving, listed, [])

    def _complete(
        self,
        naam: str,
        antwoorden: Antwoorden,
        peildatum: dt.date,
        omschrijving: str,
        listed: list[SpoorScore],
        rejected: list[SpoorScore],
    ) -> Advies:
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
        get = antwoorden.get
        groepen = tuple([get(vraag_id, ()) for vraag_id in self._meerkeuze])
        try:
            doelgroepen = self._doelgroep_sets.get(groepen)
        except TypeError:  # a list (from the API): not hashable, no memo
            doelgroepen = frozenset(d for groep in groepen for d in groep)
        if doelgroepen is None:
            doelgroepen = frozenset(d for groep in groepen for d in groep)
            if len(self._doelgroep_sets) < TABLE_LIMIT:
                self._doelgroep_sets[groepen] = doelgroepen
        advies = Advies(
            naam=naam,
            omschrijving=omschrijving,
            antwoorden=antwoorden,
            sporen=listed,
            afgewezen=rejected,
            advies_sporen=advies_sporen,
            onbeantwoord=[v for v in self.vraag_ids if v not in antwoorden],
        )
        # Which partners and instruments serve the doelgroepen, as bit masks: far fewer combinations
        # than doelgroepen themselves, so a batch reuses the same partner, instrument and case lists.
        masks = self._masks.get(doelgroepen)
        if masks is None:
            masks = self._masks[doelgroepen] = (
                sum(1 << i for i, (_, _, served) in enumerate(self._partner_info) if _serves_set(served, doelgroepen)),
                sum(
                    1 << i for i, (_, _, served) in enumerate(self._instrument_info) if _serves_set(served, doelgroepen)
                ),
            )
        nummers = tuple(s.nummer for s in advies_sporen)
        key = (nummers, masks, bool(doelgroepen), peildatum)
        extras = self._all_extras.get(key)
        if extras is None:
            extras = self._extras_for(advies_sporen, nummers, masks, doelgroepen, peildatum)
            if len(self._all_extras) >= TABLE_LIMIT:
                self._all_extras.clear()
            self._all_extras[key] = extras
        # Fresh lists (of shared, read-only items), so a caller that edits one advice changes no other.
        advies.partners, advies.instrumenten, advies.cases = list(extras[0]), list(extras[1]), list(extras[2])
        notes = self._note_sets.get(doelgroepen)
        if notes is None:
            notes = self._doelgroep_notes(doelgroepen)
            if len(self._note_sets) < TABLE_LIMIT:
                self._note_sets[doelgroepen] = notes
        advies.let_op = notes + extras[3]
        advies.waarschuwingen = self.waarschuwingen(advies, doelgroepen)
        return advies

    def _extras_for(
        self,
        advies_sporen: list[Spoor],
        nummers: tuple[int, ...],
        masks: tuple[int, int],
        doelgroepen: frozenset[str],
        peildatum: dt.date,
    ) -> tuple[list[Any], list[Any], list[Any], list[str]]:
        """Partners, instruments, cases and the 'elders' note of one combination."""
        # Each part on its own key (the partners do not depend on the date, the cases only on the
        # sporen, ...): fewer combinations per part than for all four together.
        extras = self._extras
        if len(extras) >= TABLE_LIMIT:
            extras.clear()
        key = ("partners", nummers, masks[0])
        partners = extras.get(key)
        if partners is None:
            partners = extras[key] = self.partners(advies_sporen, doelgroepen)
        key = ("instrumenten", nummers, masks[1], peildatum)
        instrumenten = extras.get(key)
        if instrumenten is None:
            instrumenten = extras[key] = self.instrumenten(advies_sporen, doelgroepen, peildatum)
        key = ("cases", nummers)
        cases = extras.get(key)
        if cases is None:
            cases = extras[key] = self.cases(advies_sporen)
        key = ("elders", nummers[:1], masks[1], bool(doelgroepen), peildatum)
        elders = extras.get(key)
        if elders is None:
            elders = extras[key] = self._elders(advies_sporen, doelgroepen, peildatum)
        return partners, instrumenten, cases, elders

    def let_op(self, sporen: list[Spoor], doelgroepen: frozenset[str], peildatum: dt.date) -> list[str]:
        """Background the user should know: notes on the doelgroep, instruments it does not qualify for."""
        return self._doelgroep_notes(doelgroepen) + self._elders(sporen, doelgroepen, peildatum)

    def _doelgroep_notes(self, doelgroepen: frozenset[str]) -> list[str]:
        result = []
        for doelgroep in sorted(doelgroepen):
            note = self._notes.get(doelgroep)
            if note is None:
                tekst = self.kb.doelgroepen.get(doelgroep, {}).get("let_op")
                note = self._notes[doelgroep] = f"{self._doelgroep_naam(doelgroep)}: {one_line(tekst)}" if tekst else ""
            if note:
                result.append(note)
        return result

    def _elders(self, sporen: list[Spoor], doelgroepen: frozenset[str], peildatum: dt.date) -> list[str]:
        if not doelgroepen or not sporen:
            return []
        # Only the instruments made for the best spoor (listed first), to keep the note short.
        beste = sporen[0]
        elders = [
            str(instrument["naam"])
            for instrument, instrument_sporen, served in self._instrument_info
            if instrument_sporen[:1] == [beste.nummer]
            and in_force(instrument, peildatum)
            and not _serves_set(served, doelgroepen)
        ]
        if not elders:
            return []
        return [
            f"De instrumenten {_join_names(elders)} zijn vooral voor {beste.naam} bedoeld, maar niet voor "
            f"deze doelgroep. Vraag gemeente of UWV wat voor deze doelgroep mogelijk is "
            f"(alle instrumenten: spoorwijzer instrumenten --spoor {beste.nummer})."
        ]

    def partners(self, sporen: list[Spoor], doelgroepen: frozenset[str]) -> list[dict[str, Any]]:
        nummers = [s.nummer for s in sporen]
        result = []
        for index, (partner, rollen, served) in enumerate(self._partner_info):
            voor = tuple(n for n in nummers if n in rollen)
            if not voor or not _serves_set(served, doelgroepen):
                continue
            key = ("partner", index, voor)
            summary = self._summaries.get(key)
            if summary is None:
                summary = self._summaries[key] = self._partner_summary(partner, rollen, list(voor))
            result.append(summary)
        return result

    def _partner_summary(self, partner: dict[str, Any], rollen: dict[int, str], voor: list[int]) -> dict[str, Any]:
        return {
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

    def instrumenten(
        self, sporen: list[Spoor], doelgroepen: frozenset[str], peildatum: dt.date
    ) -> list[dict[str, Any]]:
        nummers = {s.nummer for s in sporen}
        result = []
        for index, (instrument, instrument_sporen, served) in enumerate(self._instrument_info):
            voor = tuple(n for n in instrument_sporen if n in nummers)
            if not voor or not _serves_set(served, doelgroepen) or not in_force(instrument, peildatum):
                continue
            key = ("instrument", index, voor)
            summary = self._summaries.get(key)
            if summary is None:
                summary = self._summaries[key] = instrument_summary(instrument, list(voor))
            result.append(summary)
        return result

    def cases(self, sporen: list[Spoor]) -> list[dict[str, Any]]:
        nummers = [s.nummer for s in sporen]
        primary = [c for n in nummers for c in self.kb.cases if c.get("spoor") == n]
        related = [
            c for c in self.kb.cases if c not in primary and any(n in c.get("ook_sporen", []) for n in nummers[:1])
        ]
        return [case_summary(c) for c in primary + related]

    def waarschuwingen(self, advies: Advies, doelgroepen: frozenset[str]) -> list[str]:
        # Each part depends on only a few things (the answers the rules ask about, the best sporen,
        # the doelgroepen, how many questions are open): every part is remembered per such key.
        sporen = advies.sporen
        top = sporen[0].score if sporen else None
        beste = tuple(s.spoor for s in sporen if s.score == top)
        nummers = tuple(s.nummer for s in beste)
        result = list(self._rule_warnings(advies.antwoorden, beste, nummers))
        onbeantwoord = advies.onbeantwoord
        if len(beste) > 1:
            key = (nummers, tuple(onbeantwoord))
            text = self._warning_parts.get(key)
            if text is None:
                text = self._remember(key, self._tie_warning(beste, onbeantwoord))
            result.append(text)
        if doelgroepen and advies.advies_sporen:
            key = (doelgroepen, tuple(s.nummer for s in advies.advies_sporen))
            text = self._warning_parts.get(key)
            if text is None:
                text = self._remember(key, self._doelgroep_warning(doelgroepen, advies.advies_sporen))
            if text:
                result.append(text)
        if not sporen:
            if len(onbeantwoord) == len(self.vraag_ids):
                result.append("Er zijn nog geen vragen beantwoord: er is nog geen advies mogelijk.")
            else:
                result.append("Geen enkel spoor past bij deze antwoorden. Bekijk de redenen bij de afgewezen sporen.")
        elif len(onbeantwoord) * 2 > len(self.vraag_ids):
            result.append(
                f"Voorlopig advies: {len(onbeantwoord)} van de {len(self.vraag_ids)} vragen zijn niet beantwoord."
            )
        return result

    def _remember(self, key: tuple[object, ...], text: str) -> str:
        if len(self._warning_parts) >= TABLE_LIMIT:
            self._warning_parts.clear()
        self._warning_parts[key] = text
        return text

    def _rule_warnings(self, antwoorden: Antwoorden, beste: tuple[Spoor, ...], nummers: tuple[int, ...]) -> list[str]:
        """The warnings of the knowledge base's rules whose `als` holds, per best spoor."""
        if self._warning_source is not self.kb.waarschuwingen:  # compiled on first use (and if replaced)
            self._warning_source = self.kb.waarschuwingen
            self._warning_keys = tuple(dict.fromkeys(k for regel in self.kb.waarschuwingen for k in regel.als))
            self._warning_rules.clear()
        get = antwoorden.get
        key = (tuple([get(k) for k in self._warning_keys]), nummers)
        try:
            found = self._warning_rules.get(key)
        except TypeError:  # an unhashable answer (a list from the API): no memo
            key, found = None, None
        if found is None:
            found = []
            for regel in self.kb.waarschuwingen:
                if not all(get(k) == v for k, v in regel.als.items()):
                    continue
                if regel.spoor_kenmerk is None:
                    found.append(regel.tekst.replace("{spoor}", "dit spoor"))
                    continue
                for spoor in beste:
                    if regel.spoor_kenmerk in spoor.kenmerken:
                        found.append(regel.tekst.replace("{spoor}", spoor.naam))
            if key is not None:
                if len(self._warning_rules) >= TABLE_LIMIT:
                    self._warning_rules.clear()
                self._warning_rules[key] = found
        return found

    def _tie_warning(self, beste: tuple[Spoor, ...], onbeantwoord: list[str]) -> str:
        namen = _join_names([s.naam for s in beste])
        hint = (
            f" Beantwoord de open vragen ({', '.join(onbeantwoord)}) of kies zelf."
            if onbeantwoord
            else " Kies zelf aan de hand van de redenen en de cases."
        )
        return f"Gelijke score voor {namen}: de antwoorden maken geen onderscheid.{hint}"

    def _doelgroep_warning(self, doelgroepen: frozenset[str], advies_sporen: list[Spoor]) -> str:
        """The doelgroepen outside the instroom of the advised sporen ('' when there are none)."""
        # The same doelgroepen that weaken a spoor's score: a kenmerk group outside the instroom is no conflict.
        weakening = self._weakening_cache.get(doelgroepen)
        if weakening is None:
            effects = [v.instroom_effect for v in self._meerkeuze.values() if v.instroom_effect]
            weakening = frozenset().union(*(self._weakening(effect, doelgroepen) for effect in effects))
            if len(self._weakening_cache) < 4096:
                self._weakening_cache[doelgroepen] = weakening
        buiten = sorted(d for d in weakening if all(d not in s.instroom for s in advies_sporen))
        if not buiten:
            return ""
        namen = _join_names([self._doelgroep_naam(d) for d in buiten])
        sporen = _join_names([s.naam for s in advies_sporen])
        return (
            f"De doelgroep {namen} hoort niet bij de instroom van {sporen}. Kijk of een ander spoor "
            "beter past, of overleg met de sociale partners."
        )


def need_label(need: dict[str, Any] | None, need_id: str) -> str:
    """The short name of a "partners nodig voor" item, for lists and tables."""
    if not need:
        return need_id
    return one_line(need.get("label") or need.get("omschrijving") or need_id)


def _served(served: object) -> frozenset[str] | None:
    """`doelgroepen: alle` (None) or the set of doelgroepen a partner or instrument serves."""
    if served == "alle":
        return None
    return frozenset(served if isinstance(served, list) else [])


def _serves_set(served: frozenset[str] | None, doelgroepen: frozenset[str]) -> bool:
    return served is None or not doelgroepen or not served.isdisjoint(doelgroepen)


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
