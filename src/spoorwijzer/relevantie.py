"""Which open questions can still change the first spoor? Pure: answers in, skippable questions out.

"The first spoor" is the set of sporen that share the best positive score (a tie counts: an answer
that breaks a tie changes the advice). The scores are sums of per-question contributions
(`Regels.scores` is additive over questions), so for every question we know the contribution
vectors its answers (and "weet niet" = nothing) can add. From those we bound, over all answers the
open questions could still get:

- for a pair of sporen (t, s): the smallest possible lead of t over s (exact for single-choice
  questions: the minimum of a sum of independent terms is the sum of their minima);
- for one spoor: its highest and lowest possible score.

A question is skippable when no combination of answers to the open questions can change the first
spoor through it: either one spoor is certain to stay first alone, or every spoor the question
touches can never be first. Both tests only use lower bounds on what is certain, so a question that
could change the first spoor is never skipped; a skippable one may still be asked (conservative).
Multiple-choice (instroom) questions are never skipped: they narrow partners and instruments even
when they cannot move the first spoor.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from spoorwijzer.engine import Antwoorden, Regels

_DIGITS = 9  # weights are data floats; round sums so 0.1 + 0.2 style noise never decides


def _round(value: float) -> float:
    return round(value, _DIGITS)


class Relevantie:
    """Per-question score contributions, compiled once per knowledge base."""

    def __init__(self, regels: Regels) -> None:
        self.regels = regels
        kb = regels.kb
        self.size = len(regels.sporen)
        n = self.size
        zero = (0.0,) * n
        self.altijd_vragen = frozenset(v.id for v in kb.vragen if v.type == "meerkeuze")
        # Per question: highest/lowest contribution per spoor, smallest (t - s) per pair of sporen.
        self._max: dict[str, list[float]] = {}
        self._min: dict[str, list[float]] = {}
        self._min_diff: dict[str, list[list[float]]] = {}
        self.raakt: dict[str, frozenset[int]] = {}  # positions of the sporen a question can move
        for vraag in kb.vragen:
            if vraag.type == "meerkeuze":
                ids = list(kb.doelgroepen)
                # One doelgroep, or two (one inside and one outside a spoor's instroom), reach every
                # per-spoor extreme of the instroom rule; the pair bound below is then min - max.
                subsets = [(d,) for d in ids] + list(combinations(ids, 2))
                vectors = {zero} | {tuple(regels.scores({vraag.id: s})[0]) for s in subsets}
                exact_pairs = False
            else:
                vectors = {zero} | {tuple(regels.scores({vraag.id: w})[0]) for w in vraag.waarden()}
                exact_pairs = True
            highest = [max(v[i] for v in vectors) for i in range(n)]
            lowest = [min(v[i] for v in vectors) for i in range(n)]
            self._max[vraag.id] = highest
            self._min[vraag.id] = lowest
            if exact_pairs:
                self._min_diff[vraag.id] = [[min(v[t] - v[s] for v in vectors) for s in range(n)] for t in range(n)]
            else:
                self._min_diff[vraag.id] = [[lowest[t] - highest[s] for s in range(n)] for t in range(n)]
            self.raakt[vraag.id] = frozenset(i for i in range(n) if highest[i] != 0 or lowest[i] != 0)

    def overbodig(self, antwoorden: Antwoorden, open_vragen: Iterable[str]) -> set[str]:
        """The open questions whose answer can no longer change the first spoor (never the instroom ones).

        `antwoorden` are the answers so far; `open_vragen` every question that may still get any
        answer (including ones skipped earlier: they stay free, so the guarantee holds for all
        skipped questions together).
        """
        open_ids = [q for q in open_vragen if q in self._max]
        if not open_ids:
            return set()
        n = self.size
        totals = self.regels.scores(antwoorden)[0]
        highest = [_round(totals[s] + sum(self._max[q][s] for q in open_ids)) for s in range(n)]
        lowest = [_round(totals[s] + sum(self._min[q][s] for q in open_ids)) for s in range(n)]

        def lead(t: int, s: int) -> float:
            """The smallest possible lead of spoor t over spoor s."""
            return _round(totals[t] - totals[s] + sum(self._min_diff[q][t][s] for q in open_ids))

        never_first = [highest[s] <= 0 or any(lead(t, s) > 0 for t in range(n) if t != s) for s in range(n)]
        alone_first = any(lowest[s] > 0 and all(lead(s, t) > 0 for t in range(n) if t != s) for s in range(n))
        return {
            q
            for q in open_ids
            if q not in self.altijd_vragen and (alone_first or all(never_first[s] for s in self.raakt[q]))
        }

    def eerste_sporen(self, antwoorden: Antwoorden) -> frozenset[int]:
        """Positions of the sporen sharing the best positive score (empty: no spoor fits)."""
        totals = [_round(t) for t in self.regels.scores(antwoorden)[0]]
        best = max(totals, default=0.0)
        if best <= 0:
            return frozenset()
        return frozenset(i for i, t in enumerate(totals) if t == best)
