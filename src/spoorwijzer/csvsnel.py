"""CSV in, CSV out for `match`, fast: a row's cells go straight to compiled parts.

The general way (stroom.py) makes a record (a dict), a Werkplek and an Advies per row, and lets
csv.writer look at every character of the output again. Here a row is cut into the groups of
questions the engine scores together (`Regels.groepen`, plus the doelgroep question). The cells of a
group, as the file spells them, map through a memo to a `Deel`: the group's answers with their
score vector, the questions left open (a bit mask) and the answers the warning rules look at. A row
then costs a few lookups, an integer sum and a join of text pieces that were quoted once: per
ranking, per partner/instrument/case combination, per warning text, per set of open questions.

Anything unusual about a row (a cell not seen before that is not a valid answer, a naam used before,
more cells than the header, a comment row, ...) sends that row the general way (`werkplek.CsvLezer`,
`stroom.Controle`, `Regels.advise_kort`, `output.csv_row`), so its messages and output are those of
the general way by construction; the fast rows are tested against it byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from spoorwijzer import output, yamlio
from spoorwijzer.engine import Rangorde, Regels
from spoorwijzer.errors import Problem
from spoorwijzer.stroom import Controle, no_werkplekken
from spoorwijzer.werkplek import FREE_TEXT_KEYS, CsvLezer, Vocabulary, _CsvBroken, csv_broken

CHUNK_ROWS = 2048  # output rows joined into one piece of bytes
MEMO_LIMIT = 1 << 18  # entries per memo; a batch that outgrows one starts it again


def _quoting_characters() -> str:
    """The characters that make csv.writer (comma, double quote, "\\n" line ends) put a cell between
    quotes, asked of the running Python itself: "\\r" is one from Python 3.13 on, not before."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    found = []
    for code in range(128):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([f"a{chr(code)}b", "x"])
        if buffer.getvalue().startswith('"'):
            found.append(chr(code))
    return "".join(found)


_NEEDS_QUOTES = re.compile("[" + re.escape(_quoting_characters()) + "]")
# A row whose first cell starts with one of these may be help text (#) or empty: the general way decides.
_SKIP_FIRST = frozenset({"", "#"} | {chr(c) for c in range(0x3000 + 1) if chr(c).isspace()})


def quote_cell(text: str) -> str:
    """One cell as csv.writer writes it (minimal quoting, quotes doubled)."""
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def _cells(cells: list[str]) -> str:
    return ",".join([quote_cell(cell) for cell in cells])


class Deel:
    """The answers to one group of questions in a row, compiled: shared by every row that spells them
    the same way."""

    __slots__ = ("antwoorden", "doelgroepen", "open", "totals", "waarschuwing")

    def __init__(
        self,
        antwoorden: tuple[tuple[str, Any], ...],
        totals: tuple[float, ...],
        open_bits: int,
        waarschuwing: int,
        doelgroepen: frozenset[str],
    ) -> None:
        self.antwoorden = antwoorden  # (vraag id, answer) of the answered questions
        self.totals = totals  # score per spoor (empty: adds nothing)
        self.open = open_bits  # a bit per question (in `Regels.vraag_ids` order) left unanswered
        self.waarschuwing = waarschuwing  # a number for the answers the warning rules look at
        self.doelgroepen = doelgroepen


class _Groep:
    """One group of questions as this file's header lays it out: where its cells are, and the memo
    from their spelling to a Deel (None: a cell is not a valid answer, the row goes the general way)."""

    def __init__(self, index: int, vragen: tuple[str, ...], columns: list[int | None], meerkeuze: bool) -> None:
        self.index = index  # in `Regels.groepen` (a single-choice group)
        self.vragen = vragen
        self.meerkeuze = meerkeuze
        self.present = [(position, column) for position, column in enumerate(columns) if column is not None]
        wanted = [column for _, column in self.present]
        if not wanted:
            self.cells: Callable[[list[str]], Any] = lambda row: ()
        elif len(wanted) == 1:
            only = wanted[0]
            self.cells = lambda row: (row[only],)
        else:
            self.cells = itemgetter(*wanted)
        self.memo: dict[Any, Deel | None] = {}


class CsvSnel:
    """`match FILE.csv --format csv` for one knowledge base, one date and one `--top`."""

    def __init__(self, regels: Regels, vocab: Vocabulary, peildatum: dt.date, top: int | None) -> None:
        self.regels = regels
        self.vocab = vocab
        self.peildatum = peildatum
        self.top = top
        self.bits = {vraag: 1 << position for position, vraag in enumerate(regels.vraag_ids)}
        self.warning_keys = frozenset(regels.warning_keys)
        self._delen: dict[tuple[object, ...], Deel] = {}  # (group, answers) -> the one Deel
        self._waarschuwing_nummers: dict[tuple[object, ...], int] = {}
        self._rank_text: dict[int, str] = {}  # Rangorde.nummer -> its columns, quoted
        self._extras_text: dict[tuple[object, ...], str] = {}
        self._rules: dict[tuple[object, ...], list[str]] = {}
        self._open: dict[int, tuple[tuple[str, ...], str]] = {}
        self._quoted: dict[str, str] = {}
        self._doelgroep_sets: dict[tuple[Deel, ...], frozenset[str]] = {}
        self._mask_numbers: dict[frozenset[str], int] = {}
        self._mask_keys: dict[tuple[object, ...], int] = {}
        self._one_meerkeuze = len(regels.meerkeuze_ids) == 1
        self._extra_parts: dict[tuple[object, ...], list[Any]] = {}

    # -- the whole file --------------------------------------------------------------------------
    def lines(self, path: Path, problems: list[Problem]) -> Iterator[str]:
        """The output text, a piece at a time; every problem of the file goes into `problems` (then
        the output stops, but the rest of the file is still checked)."""
        name = str(path)
        try:
            yield from self._lines(yamlio.read_text(path), name, path, problems)
        except _CsvBroken as broken:
            raise csv_broken(broken, name) from None

    def _lines(self, text: str, name: str, path: Path, problems: list[Problem]) -> Iterator[str]:
        lezer = CsvLezer(text, name, self.vocab)
        del text  # the reader has its own copy: keep one in memory, not two
        if lezer.problems:
            problems.extend(lezer.problems)
            return
        controle = Controle(self.vocab, name)
        seen = controle.seen
        layout = self._layout(lezer)
        reader = lezer.reader
        out: list[str] = [_cells(list(output.CSV_COLUMNS)) + "\n"]
        any_record = False
        width = lezer.width
        if layout is None:  # a header the fast way does not take: every row the general way
            naam_at, groepen = -1, []
        else:
            naam_at, groepen = layout
        lookups = [(groep.memo.get, groep.cells) for groep in groepen]
        skip = _SKIP_FIRST
        row_text = self._row
        for row in lezer.rows:
            if naam_at >= 0 and len(row) == width and row[0][:1] not in skip:
                naam = row[naam_at].strip()
                lower = naam.lower()
                if naam and lower not in seen:
                    delen = [get(cells(row)) for get, cells in lookups]
                    if None in delen:
                        delen = self._new_delen(groepen, row, delen)
                    if delen is not None:
                        any_record = True
                        seen[lower] = reader.line_num
                        if not problems:
                            out.append(row_text(naam, delen))
                            if len(out) >= CHUNK_ROWS:
                                yield "".join(out)
                                out = []
                        continue
            line = reader.line_num
            # The general way, for this row only.
            found = lezer.record(row, line)
            if found is None:
                continue
            any_record = True
            line, record, row_problems = found
            if record is None:
                problems.extend(row_problems)
                continue
            werkplek, found_problems = controle(line, record, row_problems)
            if found_problems:
                problems.extend(found_problems)
            elif werkplek is not None and not problems:
                advies = self.regels.advise_kort(werkplek.naam, werkplek.antwoorden, self.peildatum)
                out.append(_cells(output.csv_row(advies, self.top)) + "\n")
        if not any_record:
            problems.append(no_werkplekken(path))
        if not problems:
            yield "".join(out)

    def _layout(self, lezer: CsvLezer) -> tuple[int, list[_Groep]] | None:
        """Where the naam and each group's cells are; None when the header has a column without a
        heading, an unknown or doubled field, or no naam (the general way says what is wrong)."""
        targets = [self.vocab.resolve_key(key) for key in lezer.keys]
        if lezer.blank or None in targets or len(set(targets)) != len(targets) or "naam" not in targets:
            return None
        column = {target: i for i, target in enumerate(targets) if target not in FREE_TEXT_KEYS}
        groepen = [
            _Groep(index, vragen, [column.get(v) for v in vragen], False)
            for index, vragen in enumerate(self.regels.groepen)
        ]
        groepen += [_Groep(-1, (v,), [column.get(v)], True) for v in self.regels.meerkeuze_ids]
        return targets.index("naam"), groepen

    def _new_delen(self, groepen: list[_Groep], row: list[str], delen: list[Deel | None]) -> list[Deel] | None:
        """The row's Delen with the ones not looked up before made now; None when a cell is not valid."""
        result = []
        for groep, deel in zip(groepen, delen, strict=True):
            if deel is None:
                deel = self._deel(groep, groep.cells(row))
                if deel is None:
                    return None
            result.append(deel)
        return result

    def _deel(self, groep: _Groep, cells: Any) -> Deel | None:
        """The Deel for a group's cells as spelled in this row, or None when a cell is not a valid answer."""
        values: list[Any] = [None] * len(groep.vragen)
        for (position, _), cell in zip(groep.present, cells, strict=True):
            answer, message = self.vocab.answer(groep.vragen[position], cell if cell.strip() else None)
            if message:
                return None  # not remembered: the row's message comes from the general way, every time
            values[position] = answer
        # One Deel per group and answers; doelgroepen as a set (their order changes nothing here).
        key = (groep.vragen, frozenset(values[0] or ()) if groep.meerkeuze else tuple(values))
        deel = self._delen.get(key)
        if deel is None:
            answered = tuple((v, a) for v, a in zip(groep.vragen, values, strict=True) if a is not None)
            open_bits = sum(self.bits[v] for v, a in zip(groep.vragen, values, strict=True) if a is None)
            if groep.meerkeuze:
                doelgroepen = frozenset(values[0] or ())
                totals = self.regels.instroom_totals(groep.vragen[0], doelgroepen) if doelgroepen else ()
            else:
                doelgroepen = frozenset()
                totals = self.regels.groep_score(groep.index, tuple(values))[1]
            watched = tuple(a for v, a in answered if v in self.warning_keys)
            nummer = self._waarschuwing_nummers.setdefault((groep.vragen, watched), len(self._waarschuwing_nummers))
            deel = self._delen[key] = Deel(answered, totals, open_bits, nummer, doelgroepen)
        if len(groep.memo) < MEMO_LIMIT:
            groep.memo[cells] = deel
        return deel

    # -- one row ---------------------------------------------------------------------------------
    def _row(self, naam: str, delen: list[Deel]) -> str:
        regels = self.regels
        open_bits = 0
        parts = []
        for deel in delen:
            open_bits |= deel.open
            if deel.totals:
                parts.append(deel.totals)
        # The engine's sum (column by column, in group order; sum() starts at 0, which changes no
        # value), with scores of 0 or less as 0: the key of the shared ranking.
        if len(parts) == 3:
            first, second, third = parts
            key = tuple([t if (t := x + y + z) > 0 else 0.0 for x, y, z in zip(first, second, third, strict=True)])
        elif parts:
            key = tuple([t if (t := sum(column)) > 0 else 0.0 for column in zip(*parts, strict=True)])
        else:
            key = (0.0,) * len(regels.sporen)
        rang = regels.rangorde_van_sleutel(key)
        doelgroepen = delen[-1].doelgroepen if self._one_meerkeuze else self._doelgroepen(delen)
        onbeantwoord = self._open.get(open_bits)
        if onbeantwoord is None:
            onbeantwoord = self._open[open_bits] = self._open_text(open_bits)
        rules_key = (tuple([d.waarschuwing for d in delen]), rang.beste_nummers)
        rules = self._rules.get(rules_key)
        if rules is None:
            antwoorden = dict(a for d in delen for a in d.antwoorden)
            rules = regels.rule_warnings_for(antwoorden.get, rang.beste)
            if len(self._rules) >= MEMO_LIMIT:
                self._rules.clear()
            self._rules[rules_key] = rules
        joined = output.csv_warning_cell(regels.waarschuwingen_van(None, rang, onbeantwoord[0], doelgroepen, rules))
        warning_text = self._quoted.get(joined)
        if warning_text is None:
            warning_text = quote_cell(joined)
            if len(self._quoted) >= MEMO_LIMIT:
                self._quoted.clear()
            self._quoted[joined] = warning_text
        rank_text = self._rank_text.get(rang.nummer)
        if rank_text is None:
            if len(self._rank_text) >= MEMO_LIMIT:
                self._rank_text.clear()
            rank_text = self._rank_text[rang.nummer] = _cells(output.csv_rank_cells(rang.lijst, rang.gelijk, self.top))
        mask = self._mask_numbers.get(doelgroepen)
        if mask is None:
            mask = self._mask_number(doelgroepen)
        extras_text = self._extras_text.get((rang.advies_nummers, mask))
        if extras_text is None:
            extras_text = self._extras_columns(rang, doelgroepen, mask)
        if _NEEDS_QUOTES.search(naam) is not None:
            naam = quote_cell(naam)
        return f"{naam},{rank_text},{extras_text},{warning_text},{onbeantwoord[1]}\n"

    def _extras_columns(self, rang: Rangorde, doelgroepen: frozenset[str], mask: int) -> str:
        """The partner, instrument and case columns, each remembered on its own, smaller key (the
        partners per partner mask, the cases per sporen only): few combinations to make."""
        if len(self._extras_text) >= MEMO_LIMIT:
            self._extras_text.clear()
        regels, nummers = self.regels, rang.advies_nummers
        partner_mask, instrument_mask = regels.masks(doelgroepen)
        parts = self._extra_parts
        key: tuple[object, ...] = ("partners", nummers, partner_mask)
        partners = parts.get(key)
        if partners is None:
            partners = parts[key] = regels.partners(list(rang.advies), doelgroepen)
        key = ("instrumenten", nummers, instrument_mask)
        instrumenten = parts.get(key)
        if instrumenten is None:
            instrumenten = parts[key] = regels.instrumenten(list(rang.advies), doelgroepen, self.peildatum)
        key = ("cases", nummers)
        cases = parts.get(key)
        if cases is None:
            cases = parts[key] = regels.cases(list(rang.advies))
        text = self._extras_text[(nummers, mask)] = _cells(output.csv_extra_cells(partners, instrumenten, cases))
        return text

    def _doelgroepen(self, delen: list[Deel]) -> frozenset[str]:
        meerkeuze = delen[len(self.regels.groepen) :]
        key = tuple(meerkeuze)
        found = self._doelgroep_sets.get(key)
        if found is None:
            found = self._doelgroep_sets[key] = frozenset().union(*(d.doelgroepen for d in meerkeuze))
        return found

    def _mask_number(self, doelgroepen: frozenset[str]) -> int:
        """A number per (partners served, instruments served, any doelgroep at all): what the partner,
        instrument and case columns depend on besides the advised sporen."""
        number = self._mask_numbers.get(doelgroepen)
        if number is None:
            key = (self.regels.masks(doelgroepen), bool(doelgroepen))
            number = self._mask_numbers[doelgroepen] = self._mask_keys.setdefault(key, len(self._mask_keys))
        return number

    def _open_text(self, open_bits: int) -> tuple[tuple[str, ...], str]:
        onbeantwoord = tuple(v for v in self.regels.vraag_ids if open_bits & self.bits[v])
        return onbeantwoord, quote_cell(output.csv_open_cell(onbeantwoord))
