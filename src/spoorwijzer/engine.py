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
# Packed score vector -> its (shared) ranking: an int and a reference each, so it may hold more.
RANKING_LIMIT = 1 << 18


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


class Rangorde:
    """One ranking of the sporen and what follows from it alone, shared by every werkplek with the
    same scores: which sporen tie, which are advised (the best, and a close runner-up), which are best."""

    __slots__ = ("advies", "advies_nummers", "beste", "beste_nummers", "gelijk", "lijst", "nummer")

    def __init__(self, lijst: tuple[tuple[Spoor, float], ...], marge: float, nummer: int) -> None:
        self.lijst = lijst  # the sporen scoring above 0, best first (ties in spoor number order)
        scores = [score for _, score in lijst]
        if len(set(scores)) == len(scores):  # no two equal (the usual case): no counting needed
            self.gelijk = (False,) * len(scores)
            beste = (lijst[0][0],) if lijst else ()
        else:
            self.gelijk = tuple([scores.count(score) > 1 for score in scores])
            # Equal scores sit next to each other: the best are the leading run of the top score.
            beste = tuple([spoor for spoor, _ in lijst[: scores.count(scores[0])]])
        advies = beste
        if len(beste) == 1 and len(lijst) > 1 and scores[0] - scores[1] <= marge:
            advies = (*beste, lijst[1][0])
        self.advies = advies
        self.beste = beste
        self.advies_nummers = tuple([s.nummer for s in advies])
        self.beste_nummers = tuple([s.nummer for s in beste])
        self.nummer = nummer  # a number of its own: a cheap key for what depends on this ranking


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
        self._in_order = self._nummers == sorted(self._nummers)
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
        self._group_lookups = list(zip(self._groups, self._packed_tables, strict=True))
        self._meerkeuze_lookups = [(v, self._packed_meerkeuze[v]) for v in self._meerkeuze]
        self._rankings: dict[int, Rangorde] = {}  # per packed score vector
        self._rang_by_ranking: dict[tuple[float, ...], Rangorde] = {}  # per clipped score vector
        self._rang_count = 0
        self._scores: dict[float, float] = {}
        self._pairs: dict[tuple[int, float], tuple[Spoor, float]] = {}
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
        # Per advised sporen (and date): the partners and instruments that may come in, with their bit.
        self._candidates: dict[tuple[object, ...], list[tuple[int, dict[str, Any]]]] = {}
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

    def meerkeuze_totals(self, vraag_id: str, doelgroepen: frozenset[str]) -> tuple[float, ...]:
        """The score vector of a set of doelgroepen for a multiple-choice question (for csvsnel.py)."""
        return self._meerkeuze_vector(vraag_id, tuple(sorted(doelgroepen)))[0]

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
        """Only the ranking (sporen scoring above 0, best first), without reasons: the fast path."""
        return list(self.rangorde(antwoorden).lijst)

    def rangorde(self, antwoorden: Antwoorden) -> Rangorde:
        """The ranking of these answers, without reasons.

        Each table entry also holds its score vector packed into one integer (a linear map, so
        adding integers adds vectors); the ranking is remembered per packed total, because real
        inventories repeat the same werkplek many times.
        """
        get = antwoorden.get
        packed = 0
        # The hot path: one lookup per group and the packed sum; the vectors only on a miss.
        for group, table in self._group_lookups:
            entry = table.get(tuple(map(get, group)))
            if entry is None:
                break
            packed += entry[0]
        else:
            for vraag_id, table in self._meerkeuze_lookups:
                waarde = get(vraag_id)
                if waarde is not None:
                    entry = table.get(waarde)  # type: ignore[call-overload]
                    if entry is None:
                        break
                    packed += entry[0]
            else:
                if self._packable:
                    found = self._rankings.get(packed)
                    if found is not None:
                        return found
        packed, parts = self._packed_parts(get)
        return self.rangorde_van(packed, parts)

    def _packed_parts(self, get: Any) -> tuple[int, list[tuple[float, ...]]]:
        """The packed sum and the score vectors of the answers (`get`), filling the tables."""
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
        return packed, parts

    def rangorde_van(self, packed: int, parts: list[tuple[float, ...]]) -> Rangorde:
        """The ranking of the summed score vectors `parts` (`packed`: their packed sum, the memo key)."""
        found = self._rankings.get(packed) if self._packable else None
        if found is None:
            totals = [sum(column) for column in zip(*parts, strict=True)] if parts else self._zero[0]
            found = self.rangorde_van_totalen(totals)
            if self._packable and len(self._rankings) < RANKING_LIMIT:
                self._rankings[packed] = found
        return found

    def rangorde_van_totalen(self, totals: list[float] | tuple[float, ...]) -> Rangorde:
        """The ranking of one score vector (in spoor order): highest first, ties in spoor number order.

        Remembered per vector with every score of 0 or less set to 0 (the ranking depends on nothing
        else), so equal rankings share one Rangorde and everything remembered per Rangorde.
        """
        return self.rangorde_van_sleutel(tuple([t if t > 0 else 0.0 for t in totals]))

    def rangorde_van_sleutel(self, key: tuple[float, ...]) -> Rangorde:
        """As `rangorde_van_totalen`, for a score vector whose scores of 0 or less are already 0."""
        found = self._rang_by_ranking.get(key)
        if found is None:
            # The few score values there are, kept once: the table holds these instead of new floats.
            scores = self._scores
            if len(scores) < TABLE_LIMIT:
                key = tuple(map(scores.setdefault, key, key))
            if self._in_order:  # sporen in number order: a stable sort keeps ties in that order
                ranked = sorted([i for i, t in enumerate(key) if t > 0], key=key.__getitem__, reverse=True)
            else:
                nummers = self._nummers
                ranked = [i for *_, i in sorted([(-t, nummers[i], i) for i, t in enumerate(key) if t > 0])]
            self._rang_count += 1
            pairs = self._pairs  # (spoor, score) pairs, shared between rankings
            lijst = tuple([pairs.get((i, key[i])) or self._pair(i, key[i]) for i in ranked])
            found = Rangorde(lijst, self.kb.tweede_spoor_marge, self._rang_count)
            if len(self._rang_by_ranking) >= TABLE_LIMIT:
                self._rang_by_ranking.clear()
            self._rang_by_ranking[key] = found
        return found

    def _pair(self, position: int, score: float) -> tuple[Spoor, float]:
        pair = self._pairs[(position, score)] = (self.sporen[position], score)
        return pair

    # -- the compiled parts, for callers that keep their own per-group memo (csvsnel.py) --------
    @property
    def groepen(self) -> tuple[tuple[str, ...], ...]:
        """The single-choice questions in the groups the score tables are made of."""
        return tuple(self._groups)

    @property
    def meerkeuze_ids(self) -> tuple[str, ...]:
        """The multiple-choice (instroom) questions: their answers are the doelgroepen."""
        return tuple(self._meerkeuze)

    @property
    def packable(self) -> bool:
        """Whether packed score vectors are exact (every weight a multiple of 1/PACK_SCALE)."""
        return self._packable

    def groep_score(self, index: int, key: tuple[object, ...]) -> tuple[int, tuple[float, ...]]:
        """(packed score vector, score vector) of one group's answers (`key`: in the group's order)."""
        table = self._packed_tables[index]
        entry = table.get(key)
        if entry is None:
            entry = self._packed_entry(table, key, self._group_vector(index, key))
        return entry

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
        rang = self.rangorde_van_totalen(totals)
        sporen, position = self.sporen, self._position
        listed: list[SpoorScore] = []
        for (spoor, score), gelijk in zip(rang.lijst, rang.gelijk, strict=True):
            parts = delen[position[spoor.nummer]]
            listed.append(SpoorScore(spoor, score, list(chain_from(parts)), gelijk, parts))
        rejected: list[SpoorScore] = []
        # Best first, then by number (the numbers differ, so the position is never compared).
        for _, _, i in sorted(zip([-t for t in totals], self._nummers, range(len(sporen)), strict=True)):
            score, parts = totals[i], delen[i]
            if score <= 0:
                redenen = list(chain_from(parts))
                if redenen:
                    rejected.append(SpoorScore(sporen[i], score, redenen, False, parts))
        return self._complete(naam, antwoorden, peildatum, omschrijving, listed, rejected, rang)

    def advise_kort(self, naam: str, antwoorden: Antwoorden, peildatum: dt.date, omschrijving: str = "") -> Advies:
        """The advice without reasons and without the rejected sporen (what csv output shows), from the
        fast ranking: scores, order, ties, advies sporen, partners, ... and warnings are those of `advise`."""
        rang = self.rangorde(antwoorden)
        listed = [
            SpoorScore(spoor, score, [], gelijk) for (spoor, score), gelijk in zip(rang.lijst, rang.gelijk, strict=True)
        ]
        return self._complete(naam, antwoorden, peildatum, omschrijving, listed, [], rang)

    def _complete(
        self,
        naam: str,
        antwoorden: Antwoorden,
        peildatum: dt.date,
        omschrijving: str,
        listed: list[SpoorScore],
        rejected: list[SpoorScore],
        rang: Rangorde,
    ) -> Advies:
        advies_sporen = list(rang.advies)
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
        extras = self.extras(rang, doelgroepen, peildatum)
        # Fresh lists (of shared, read-only items), so a caller that edits one advice changes no other.
        advies.partners, advies.instrumenten, advies.cases = list(extras[0]), list(extras[1]), list(extras[2])
        notes = self._note_sets.get(doelgroepen)
        if notes is None:
            notes = self._doelgroep_notes(doelgroepen)
            if len(self._note_sets) < TABLE_LIMIT:
                self._note_sets[doelgroepen] = notes
        advies.let_op = notes + extras[3]
        advies.waarschuwingen = self.waarschuwingen_van(get, rang, tuple(advies.onbeantwoord), doelgroepen)
        return advies

    def masks(self, doelgroepen: frozenset[str]) -> tuple[int, int]:
        """Which partners and instruments serve the doelgroepen, as bit masks: far fewer combinations
        than doelgroepen themselves, so a batch reuses the same partner, instrument and case lists."""
        masks = self._masks.get(doelgroepen)
        if masks is None:
            masks = self._masks[doelgroepen] = (
                sum(1 << i for i, (_, _, served) in enumerate(self._partner_info) if _serves_set(served, doelgroepen)),
                sum(
                    1 << i for i, (_, _, served) in enumerate(self._instrument_info) if _serves_set(served, doelgroepen)
                ),
            )
        return masks

    def extras(
        self, rang: Rangorde, doelgroepen: frozenset[str], peildatum: dt.date
    ) -> tuple[list[Any], list[Any], list[Any], list[str]]:
        """Partners, instruments, cases and the 'elders' note for the advised sporen and the doelgroepen:
        shared, read-only lists (the same object for the same combination)."""
        masks = self.masks(doelgroepen)
        key = (rang.advies_nummers, masks, bool(doelgroepen), peildatum)
        extras = self._all_extras.get(key)
        if extras is None:
            extras = self._extras_for(list(rang.advies), rang.advies_nummers, masks, doelgroepen, peildatum)
            if len(self._all_extras) >= TABLE_LIMIT:
                self._all_extras.clear()
            self._all_extras[key] = extras
        return extras

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
        served = self.masks(doelgroepen)[0]
        return [summary for bit, summary in self._partner_candidates(tuple(s.nummer for s in sporen)) if served & bit]

    def _partner_candidates(self, nummers: tuple[int, ...]) -> list[tuple[int, dict[str, Any]]]:
        """(bit in the partner mask, summary) of every partner with a role in these sporen, in order."""
        key = ("partners", nummers)
        found = self._candidates.get(key)
        if found is None:
            found = []
            for index, (partner, rollen, _) in enumerate(self._partner_info):
                voor = [n for n in nummers if n in rollen]
                if voor:
                    found.append((1 << index, self._partner_summary(partner, rollen, voor)))
            self._candidates[key] = found
        return found

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
        served = self.masks(doelgroepen)[1]
        candidates = self._instrument_candidates(tuple(s.nummer for s in sporen), peildatum)
        return [summary for bit, summary in candidates if served & bit]

    def _instrument_candidates(self, nummers: tuple[int, ...], peildatum: dt.date) -> list[tuple[int, dict[str, Any]]]:
        """(bit in the instrument mask, summary) of every instrument in force for these sporen, in order."""
        key = ("instrumenten", nummers, peildatum)
        found = self._candidates.get(key)
        if found is None:
            found = []
            wanted = set(nummers)
            for index, (instrument, instrument_sporen, _) in enumerate(self._instrument_info):
                voor = [n for n in instrument_sporen if n in wanted]
                if voor and in_force(instrument, peildatum):
                    found.append((1 << index, instrument_summary(instrument, voor)))
            self._candidates[key] = found
        return found

    def cases(self, sporen: list[Spoor]) -> list[dict[str, Any]]:
        nummers = [s.nummer for s in sporen]
        primary = [c for n in nummers for c in self.kb.cases if c.get("spoor") == n]
        related = [
            c for c in self.kb.cases if c not in primary and any(n in c.get("ook_sporen", []) for n in nummers[:1])
        ]
        return [case_summary(c) for c in primary + related]

    def waarschuwingen_van(
        self,
        get: Any,
        rang: Rangorde,
        onbeantwoord: tuple[str, ...],
        doelgroepen: frozenset[str],
        regels: list[str] | None = None,
    ) -> list[str]:
        """The warnings for answers (`get`: the answer of a question id, or None), in a fixed order: the
        knowledge base's rules, a tie, doelgroepen outside the instroom, and how complete the advice is.

        Each part depends on only a few things and is remembered per such key. `regels`: the rules'
        warnings when the caller already has them (the compiled CSV path remembers them its own way).
        """
        if regels is None:
            regels = self.rule_warnings(get, rang)
        result = list(regels)
        if len(rang.beste) > 1:
            key: tuple[object, ...] = (rang.beste_nummers, onbeantwoord)
            text = self._warning_parts.get(key)
            if text is None:
                text = self._remember(key, self._tie_warning(rang.beste, list(onbeantwoord)))
            result.append(text)
        if doelgroepen and rang.advies:
            weakening = self._weakening_cache.get(doelgroepen)
            if weakening is None:
                weakening = self.weakening_set(doelgroepen)
            if weakening:
                key = (weakening, rang.advies_nummers)
                text = self._warning_parts.get(key)
                if text is None:
                    text = self._remember(key, self._doelgroep_warning(weakening, list(rang.advies)))
                if text:
                    result.append(text)
        if not rang.lijst:
            if len(onbeantwoord) == len(self.vraag_ids):
                result.append("Er zijn nog geen vragen beantwoord: er is nog geen advies mogelijk.")
            else:
                result.append("Geen enkel spoor past bij deze antwoorden. Bekijk de redenen bij de afgewezen sporen.")
        elif len(onbeantwoord) * 2 > len(self.vraag_ids):
            result.append(
                f"Voorlopig advies: {len(onbeantwoord)} van de {len(self.vraag_ids)} vragen zijn niet beantwoord."
            )
        return result

    @property
    def warning_keys(self) -> tuple[str, ...]:
        """The questions the knowledge base's warning rules look at (compiled on first use, and again
        if the rules are replaced)."""
        if self._warning_source is not self.kb.waarschuwingen:
            self._warning_source = self.kb.waarschuwingen
            self._warning_keys = tuple(dict.fromkeys(k for regel in self.kb.waarschuwingen for k in regel.als))
            self._warning_rules.clear()
        return self._warning_keys

    def rule_warnings(self, get: Any, rang: Rangorde) -> list[str]:
        """The warnings of the knowledge base's rules whose `als` holds, per best spoor (remembered
        per (answers to the questions the rules look at, best sporen))."""
        key: tuple[object, ...] | None = (tuple([get(k) for k in self.warning_keys]), rang.beste_nummers)
        try:
            found = self._warning_rules.get(key)
        except TypeError:  # an unhashable answer (a list from the API): no memo
            key, found = None, None
        if found is None:
            found = self.rule_warnings_for(get, rang.beste)
            if key is not None:
                if len(self._warning_rules) >= TABLE_LIMIT:
                    self._warning_rules.clear()
                self._warning_rules[key] = found
        return found

    def rule_warnings_for(self, get: Any, beste: tuple[Spoor, ...]) -> list[str]:
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
        return found

    def _remember(self, key: tuple[object, ...], text: str) -> str:
        if len(self._warning_parts) >= TABLE_LIMIT:
            self._warning_parts.clear()
        self._warning_parts[key] = text
        return text

    def _tie_warning(self, beste: tuple[Spoor, ...], onbeantwoord: list[str]) -> str:
        namen = _join_names([s.naam for s in beste])
        hint = (
            f" Beantwoord de open vragen ({', '.join(onbeantwoord)}) of kies zelf."
            if onbeantwoord
            else " Kies zelf aan de hand van de redenen en de cases."
        )
        return f"Gelijke score voor {namen}: de antwoorden maken geen onderscheid.{hint}"

    def weakening_set(self, doelgroepen: frozenset[str]) -> frozenset[str]:
        """The doelgroepen that weaken a spoor outside whose instroom they are (remembered per set)."""
        weakening = self._weakening_cache.get(doelgroepen)
        if weakening is None:
            effects = [v.instroom_effect for v in self._meerkeuze.values() if v.instroom_effect]
            weakening = frozenset().union(*(self._weakening(effect, doelgroepen) for effect in effects))
            if len(self._weakening_cache) < TABLE_LIMIT:
                self._weakening_cache[doelgroepen] = weakening
        return weakening

    def _doelgroep_warning(self, weakening: frozenset[str], advies_sporen: list[Spoor]) -> str:
        """The doelgroepen outside the instroom of the advised sporen ('' when there are none)."""
        # The same doelgroepen that weaken a spoor's score: a kenmerk group outside the instroom is no conflict.
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
