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
from collections.abc import Callable, Iterable, Iterator
from itertools import islice, repeat
from operator import add, and_, attrgetter, itemgetter, lshift, mul, rshift, sub
from pathlib import Path
from typing import Any

from spoorwijzer import output, paralleltwee, yamlio
from spoorwijzer.engine import Rangorde, Regels
from spoorwijzer.errors import Problem
from spoorwijzer.stroom import Controle, no_werkplekken
from spoorwijzer.werkplek import FREE_TEXT_KEYS, CsvLezer, Vocabulary, _CsvBroken, csv_broken

CHUNK_ROWS = 2048  # rows read, checked and written together (C-level map over them)
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


class _Invalid(Exception):
    """A cell in a chunk is not a valid answer: that chunk goes row by row."""


def _invalid() -> Deel:
    raise _Invalid


class Deel:
    """The answers to one group of questions in a row, compiled: shared by every row that spells them
    the same way. Its numbers are made to be added up per row (see `CsvSnel._texts`)."""

    __slots__ = ("antwoorden", "doelgroep_nummer", "doelgroepen", "open", "packed", "totals", "waarschuwing")

    def __init__(
        self,
        antwoorden: tuple[tuple[str, Any], ...],
        totals: tuple[float, ...],
        packed: int,
        open_bits: int,
        w: int,
        doelgroepen: frozenset[str],
    ) -> None:
        self.antwoorden = antwoorden  # (vraag id, answer) of the answered questions
        self.totals = totals  # score per spoor (empty: adds nothing)
        self.packed = packed  # the same in quarter points, packed into one integer (see PACK)
        self.open = open_bits  # a bit per question (in `Regels.vraag_ids` order) left unanswered
        self.waarschuwing = w  # a number for the answers the warning rules look at, in this group's own bit field
        self.doelgroepen = doelgroepen
        self.doelgroep_nummer = 0  # (doelgroepen of a multiple-choice question) their weakening and mask numbers


class _Groep:
    """One group of questions as this file's header lays it out: where its cells are, and the memo
    from their spelling to a Deel (None: a cell is not a valid answer, the row goes the general way)."""

    def __init__(
        self, index: int, slot: int, vragen: tuple[str, ...], columns: list[int | None], meerkeuze: bool
    ) -> None:
        self.index = index  # in `Regels.groepen` (a single-choice group)
        self.slot = slot  # its place in a row's Delen (and its bit field in `Deel.waarschuwing`)
        self.vragen = vragen
        self.meerkeuze = meerkeuze
        self.present = [(position, column) for position, column in enumerate(columns) if column is not None]
        wanted = [column for _, column in self.present]
        if not wanted:
            self.cells: Callable[[list[str]], Any] = lambda row: ()
        elif len(wanted) == 1:
            self.cells = itemgetter(wanted[0], wanted[0])  # a tuple, as for several cells
        else:
            self.cells = itemgetter(*wanted)
        self.memo: dict[Any, Deel | None] = {}
        self.nummers: dict[tuple[object, ...], int] = {}  # watched answers -> their number in `Deel.waarschuwing`


class _Rang:
    """What a CSV row takes from its ranking: the rank columns as text, and its part of the keys of
    the memos for the other columns (numbers shifted into their own bits, so a row adds them up)."""

    __slots__ = ("doelgroep_key", "open_key", "rang", "rank", "rules_key")

    def __init__(self, rang: Rangorde, rank: str, open_key: int, doelgroep_key: int, rules_key: int) -> None:
        self.rang = rang
        self.rank = rank
        self.open_key = open_key  # (best sporen when they tie, no spoor at all): with the open questions
        # The advised sporen: with the doelgroepen (partners, instruments, cases, the doelgroep warning).
        self.doelgroep_key = doelgroep_key
        self.rules_key = rules_key  # the best sporen: with the answers the warning rules look at


# Score vectors as integers: a field of FIELD_BITS per spoor holding quarter points plus BIAS, so the
# sum of a row's Delen is one integer addition and "scores of 0 or less as 0" a few bit operations.
SCALE, FIELD_BITS = 4, 32
BIAS_BIT = FIELD_BITS - 1
FIELD = (1 << FIELD_BITS) - 1
LIMIT = 1 << 20  # quarter points per Deel and spoor that the fields hold safely, summed over the groups
ID_BITS = 20  # room for one memo number (memos are started again before MEMO_LIMIT < 1 << ID_BITS)
_WAARSCHUWING = attrgetter("waarschuwing")
_OPEN = attrgetter("open")
_PACKED = attrgetter("packed")
_DOELGROEP_NUMMER = attrgetter("doelgroep_nummer")
_RANK = attrgetter("rank")
_OPEN_KEY = attrgetter("open_key")
_DOELGROEP_KEY = attrgetter("doelgroep_key")
_RULES_KEY = attrgetter("rules_key")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_HEAD = itemgetter(slice(0, 1))  # a cell's first character ("" for an empty cell)


def _column_sum(columns: list[list[Deel]], get: Callable[[Deel], int], start: int = 0) -> list[int]:
    """Per row, the sum of a number over its Delen (one list per group), added in C."""
    total: Any = repeat(start)
    for column in columns:
        total = map(add, total, map(get, column))
    return list(total)


def _fill(values: list[Any], make: Callable[[int], Any]) -> list[Any]:
    """`values` with each None (a memo miss) replaced by make(its index)."""
    if None in values:
        index = values.index(None)
        while True:
            values[index] = make(index)
            try:
                index = values.index(None, index + 1)
            except ValueError:
                return values
    return values


def _line_numbers(chunk: list[list[str]], start: int, end: int) -> Iterable[int]:
    """The line each row of `chunk` ends on (read from line start + 1 up to end). A row spans one line
    plus one per line end inside its (quoted) cells: the reader keeps those ends in the cell as they
    were ("\\n", "\\r\\n" or "\\r")."""
    if end - start == len(chunk):
        return range(start + 1, end + 1)
    lines = []
    line = start
    for row in chunk:
        text = "".join(row)
        line += 1 + text.count("\n") + text.count("\r") - text.count("\r\n")
        lines.append(line)
    if line != end:  # cannot happen (see above); never report a wrong line
        raise AssertionError(f"regelnummers {start}-{end} kloppen niet met {len(chunk)} rijen")
    return lines


class CsvSnel:
    """`match FILE.csv --format csv` for one knowledge base, one date and one `--top`."""

    def __init__(self, regels: Regels, vocab: Vocabulary, peildatum: dt.date, top: int | None) -> None:
        self.regels = regels
        self.vocab = vocab
        self.peildatum = peildatum
        self.top = top
        self.bits = {vraag: 1 << position for position, vraag in enumerate(regels.vraag_ids)}
        self.warning_keys = frozenset(regels.warning_keys)
        self._rank_text = output.CsvRankText(top, quote_cell)
        self._one_meerkeuze = len(regels.meerkeuze_ids) == 1
        self._exact = True  # every score a whole number of quarter points: the integer path
        count = len(regels.sporen)
        self._ones = sum(1 << (FIELD_BITS * i) for i in range(count))
        self._bias = self._ones << BIAS_BIT
        self._open_shift = len(regels.vraag_ids)
        self._groepen: list[_Groep] = []
        self._naam_at = -1  # the naam column, when the header lets rows go the fast way
        self._start()

    def _start(self) -> None:
        """Empty memos (at the start, and when one has grown to MEMO_LIMIT: memory stays bounded)."""
        self._delen: dict[tuple[object, ...], Deel] = {}  # (group, answers) -> the one Deel
        for groep in self._groepen:
            groep.memo.clear()
            groep.nummers.clear()
        self._rangen: dict[Any, _Rang] = {}  # clipped score vector -> its _Rang
        self._klass: dict[tuple[object, ...], int] = {}  # numbers for the parts of a _Rang's keys
        self._open_memo: dict[int, tuple[str, int]] = {}  # -> (onbeantwoord cell, number of tie + completeness)
        # -> (partners,instrumenten,cases cells, number of the doelgroep part)
        self._doelgroep_memo: dict[int, tuple[str, int]] = {}
        self._rules_memo: dict[int, int] = {}  # -> number of the rules' warnings
        self._warnings_memo: dict[int, str] = {}  # numbers of the parts -> the warnings cell
        self._cells: dict[str, str] = {}  # each warnings cell once
        self._parts: dict[tuple[object, ...], int] = {}  # the parts behind those numbers
        self._rule_lists: dict[int, list[str]] = {}
        self._doelgroep_nummers: dict[tuple[object, ...], int] = {}
        # doelgroep_nummer -> (doelgroepen, mask number)
        self._doelgroep_info: dict[int, tuple[frozenset[str], int]] = {}
        self._doelgroep_sets: dict[tuple[Deel, ...], int] = {}
        self._open: dict[int, tuple[tuple[str, ...], str]] = {}
        self._extras_text: dict[tuple[object, ...], str] = {}
        self._mask_numbers: dict[frozenset[str], int] = {}
        self._mask_keys: dict[tuple[object, ...], int] = {}

    def _too_big(self) -> bool:
        memos: list[Any] = [
            self._rangen,
            self._open_memo,
            self._doelgroep_memo,
            self._rules_memo,
            self._warnings_memo,
            self._parts,
            self._cells,
        ]
        memos += [self._klass, self._doelgroep_nummers, self._doelgroep_sets, self._extras_text]
        memos += [groep.memo for groep in self._groepen] + [groep.nummers for groep in self._groepen]
        return any(len(memo) >= MEMO_LIMIT for memo in memos)

    # -- the whole file --------------------------------------------------------------------------
    def lines(self, path: Path, problems: list[Problem]) -> Iterator[str]:
        """The output text, a piece at a time; every problem of the file goes into `problems` (then
        the output stops, but the rest of the file is still checked). One process."""
        name = str(path)
        try:
            yield from self._lines(yamlio.read_text(path), name, path, problems)
        except _CsvBroken as broken:
            raise csv_broken(broken, name) from None

    def output(self, path: Path, problems: list[Problem]) -> Iterator[bytes]:
        """As `lines`, in UTF-8; a big file in two processes where the system allows it (paralleltwee.py)."""
        name = str(path)
        try:
            text = yamlio.read_text(path)
            lines = text.count("\n")
            if paralleltwee.worth_it(lines):
                split = (lines // CHUNK_ROWS + 1) // 2  # half of the chunks (rows may span lines: about)
                found = paralleltwee.in_two(lambda half, out: self._half(text, name, path, half, out), split)
                if found is not None:
                    (schoon, namen), (their_schoon, their_namen), blocks = found
                    if schoon and their_schoon and set(namen).isdisjoint(their_namen):
                        yield from blocks  # a clean file: both halves as one output
                        return
                    blocks.close()
                self._start()  # a problem somewhere: the whole file again, for every message in order
            for piece in self._lines(text, name, path, problems):
                yield piece.encode()
        except _CsvBroken as broken:
            raise csv_broken(broken, name) from None

    def _half(self, text: str, name: str, path: Path, part: paralleltwee.Deel, out: Any) -> tuple[bool, list[str]]:
        """One half of the file (see paralleltwee.py) into `out`: whether it was clean, and its namen."""
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for piece in self._lines(text, name, path, problems, part, seen):
            if not problems:
                out.write(piece.encode())
        return not problems, list(seen)

    def _lines(
        self,
        text: str,
        name: str,
        path: Path,
        problems: list[Problem],
        part: paralleltwee.Deel | None = None,
        seen_out: dict[str, int] | None = None,
    ) -> Iterator[str]:
        """The output of the whole file, or (`part`) of its chunks from `part.first` up to `part.stop`
        (the chunks before are only read: the reader must count their lines)."""
        lezer = CsvLezer(text, name, self.vocab)
        del text  # the reader has its own copy: keep one in memory, not two
        if lezer.problems:
            problems.extend(lezer.problems)
            return
        controle = Controle(self.vocab, name)
        seen = controle.seen
        layout = self._layout(lezer)
        self._groepen = [] if layout is None else layout[1]
        reader = lezer.reader
        first, stop = (part.first, part.stop) if part is not None else (0, None)
        if first == 0:
            yield _cells(list(output.CSV_COLUMNS)) + "\n"
        any_record = False
        number = -1
        while True:
            number += 1
            if stop is not None and number >= stop:
                break
            start = reader.line_num
            try:
                chunk = list(islice(reader, CHUNK_ROWS))
            except csv.Error:  # a cell over the module's size limit: in practice a quote never closed
                raise _CsvBroken(reader.line_num) from None
            if not chunk:
                break
            if number < first:
                continue  # another process does this chunk
            if self._too_big():
                self._start()
            lines = _line_numbers(chunk, start, reader.line_num)
            found = self._clean(chunk, seen, lezer.width) if layout is not None else None
            if found is not None:  # every row the fast way
                namen, lowers, columns = found
                any_record = True
                seen.update(zip(lowers, lines, strict=True))
                if not problems:
                    yield self._texts(namen, columns)
                continue
            out: list[str] = []
            for row, line in zip(chunk, lines, strict=True):
                if self._row(row, line, lezer, controle, problems, out):
                    any_record = True
            if not problems:
                yield "".join(out)
        if not any_record:
            problems.append(no_werkplekken(path))
        if seen_out is not None:
            seen_out.update(seen)

    def _clean(
        self, chunk: list[list[str]], seen: dict[str, int], width: int
    ) -> tuple[list[str], list[str], list[list[Deel]]] | None:
        """(namen, their lower case, the Delen per group) when every row of the chunk can go the fast
        way: as wide as the header, not help text or empty, a naam not used before, valid answers."""
        if set(map(len, chunk)) != {width}:
            return None
        if not _SKIP_FIRST.isdisjoint(map(_HEAD, map(_FIRST, chunk))):
            return None
        naam_at = self._naam_at
        namen = list(map(str.strip, map(itemgetter(naam_at), chunk)))
        lowers = list(map(str.lower, namen))
        unique = set(lowers)
        if len(unique) != len(lowers) or "" in unique or any(map(seen.__contains__, lowers)):
            return None
        columns = []
        for groep in self._groepen:
            cells = list(map(groep.cells, chunk))
            delen = list(map(groep.memo.get, cells))
            if None in delen:
                try:
                    _fill(delen, lambda i, groep=groep, cells=cells: self._deel(groep, cells[i]) or _invalid())
                except _Invalid:
                    return None
            columns.append(delen)
        return namen, lowers, columns

    def _row(
        self,
        row: list[str],
        line: int,
        lezer: CsvLezer,
        controle: Controle,
        problems: list[Problem],
        out: list[str],
    ) -> bool:
        """One row of a chunk that is not all clean: the fast way when it can, else the general way.
        True when the row is a werkplek record (not help text or empty)."""
        seen = controle.seen
        if self._naam_at >= 0 and len(row) == lezer.width and row[0][:1] not in _SKIP_FIRST:
            naam = row[self._naam_at].strip()
            lower = naam.lower()
            if naam and lower not in seen:
                delen = []
                for groep in self._groepen:
                    cells = groep.cells(row)
                    deel = groep.memo.get(cells)
                    if deel is None:
                        deel = self._deel(groep, cells)
                        if deel is None:
                            break
                    delen.append(deel)
                else:
                    seen[lower] = line
                    if not problems:
                        out.append(self._texts([naam], [[deel] for deel in delen]))
                    return True
        # The general way, for this row only.
        found = lezer.record(row, line)
        if found is None:
            return False
        line, record, row_problems = found
        if record is None:
            problems.extend(row_problems)
            return True
        werkplek, found_problems = controle(line, record, row_problems)
        if found_problems:
            problems.extend(found_problems)
        elif werkplek is not None and not problems:
            advies = self.regels.advise_kort(werkplek.naam, werkplek.antwoorden, self.peildatum)
            out.append(_cells(output.csv_row(advies, self.top)) + "\n")
        return True

    def _layout(self, lezer: CsvLezer) -> tuple[int, list[_Groep]] | None:
        """Where the naam and each group's cells are; None when the header has a column without a
        heading, an unknown or doubled field, or no naam (the general way says what is wrong)."""
        targets = [self.vocab.resolve_key(key) for key in lezer.keys]
        if lezer.blank or None in targets or len(set(targets)) != len(targets) or "naam" not in targets:
            return None
        column = {target: i for i, target in enumerate(targets) if target not in FREE_TEXT_KEYS}
        groepen = [
            _Groep(index, index, vragen, [column.get(v) for v in vragen], False)
            for index, vragen in enumerate(self.regels.groepen)
        ]
        groepen += [
            _Groep(-1, len(groepen) + i, (v,), [column.get(v)], True) for i, v in enumerate(self.regels.meerkeuze_ids)
        ]
        self._naam_at = targets.index("naam")
        return self._naam_at, groepen

    def _deel(self, groep: _Groep, cells: Any) -> Deel | None:
        """The Deel for a group's cells as spelled in this row, or None when a cell is not a valid answer."""
        values: list[Any] = [None] * len(groep.vragen)
        for (position, _), cell in zip(groep.present, cells, strict=False):
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
                totals = self.regels.meerkeuze_totals(groep.vragen[0], doelgroepen) if doelgroepen else ()
            else:
                doelgroepen = frozenset()
                totals = self.regels.groep_score(groep.index, tuple(values))[1]
            watched = tuple(a for v, a in answered if v in self.warning_keys)
            nummer = groep.nummers.setdefault(watched, len(groep.nummers))
            w = nummer << (ID_BITS * groep.slot)
            deel = self._delen[key] = Deel(answered, totals, self._pack(totals), open_bits, w, doelgroepen)
            if groep.meerkeuze:
                deel.doelgroep_nummer = self._doelgroep_nummer(doelgroepen)
        groep.memo[cells] = deel
        return deel

    def _pack(self, totals: tuple[float, ...]) -> int:
        packed = 0
        for position, score in enumerate(totals):
            quarters = score * SCALE
            if quarters != int(quarters) or abs(quarters) >= LIMIT:
                self._exact = False  # finer weights (own data): the float path, as exact as the engine's
                return 0
            packed += int(quarters) << (FIELD_BITS * position)
        return packed

    # -- the rows of a chunk ---------------------------------------------------------------------
    def _texts(self, namen: list[str], columns: list[list[Deel]]) -> str:
        """The output lines for rows with these namen and Delen (a list per group), from memos of
        numbers added up per row; most of the work in C (map), Python only where a memo misses."""
        keys = self._rank_keys(columns)
        rangen = _fill(list(map(self._rangen.get, keys)), lambda i: self._rang_info(keys[i]))
        open_bits_per_row = _column_sum(columns, _OPEN)
        if self._one_meerkeuze:
            doelgroep_nummers: Iterable[int] = list(map(_DOELGROEP_NUMMER, columns[-1]))
        elif not self.regels.meerkeuze_ids:
            doelgroep_nummers = [self._doelgroep_nummer(frozenset())] * len(namen)
        else:
            doelgroep_nummers = [
                self._doelgroep_nummer_of(delen) for delen in zip(*columns[len(self.regels.groepen) :], strict=True)
            ]
        open_keys = list(map(add, map(_OPEN_KEY, rangen), open_bits_per_row))
        open_parts = _fill(
            list(map(self._open_memo.get, open_keys)),
            lambda i: self._open_part(rangen[i], open_bits_per_row[i], open_keys[i]),
        )
        doelgroep_keys = list(map(add, map(_DOELGROEP_KEY, rangen), doelgroep_nummers))
        doelgroep_parts = _fill(
            list(map(self._doelgroep_memo.get, doelgroep_keys)),
            lambda i: self._doelgroep_part(rangen[i], doelgroep_nummers[i], doelgroep_keys[i]),
        )
        rules_keys = list(map(add, map(_RULES_KEY, rangen), _column_sum(columns, _WAARSCHUWING)))
        rules_parts = _fill(
            list(map(self._rules_memo.get, rules_keys)),
            lambda i: self._rules_part(rangen[i], columns, i, rules_keys[i]),
        )
        warning_keys = list(map(add, map(add, rules_parts, map(_SECOND, open_parts)), map(_SECOND, doelgroep_parts)))
        warnings = _fill(
            list(map(self._warnings_memo.get, warning_keys)),
            lambda i: self._warnings_cell(rangen[i], open_bits_per_row[i], doelgroep_nummers[i], warning_keys[i]),
        )
        quoted = list(map(_NEEDS_QUOTES.search, namen))
        if any(quoted):
            namen = [quote_cell(naam) if match else naam for naam, match in zip(namen, quoted, strict=True)]
        # A line: naam + ",rank columns," + "partners,instrumenten,cases," + waarschuwingen + ",onbeantwoord\n";
        # the pieces side by side in one list, joined once.
        pieces: list[str] = [""] * (5 * len(namen))
        pieces[0::5] = namen
        pieces[1::5] = map(_RANK, rangen)
        pieces[2::5] = map(_FIRST, doelgroep_parts)
        pieces[3::5] = warnings
        pieces[4::5] = map(_FIRST, open_parts)
        return "".join(pieces)

    def _rank_keys(self, columns: list[list[Deel]]) -> list[Any]:
        """Per row the score vector with scores of 0 or less as 0: the key of its ranking."""
        if self._exact:
            # Each field holds score + BIAS (never below 0): its top bit says "score >= 0"; keep those
            # fields and take the bias off again.
            packed = _column_sum(columns, _PACKED, self._bias)
            signs = list(map(and_, map(rshift, packed, repeat(BIAS_BIT)), repeat(self._ones)))
            kept = map(and_, packed, map(mul, signs, repeat(FIELD)))
            return list(map(sub, kept, map(lshift, signs, repeat(BIAS_BIT))))
        # The engine's float sum (column by column, in group order), with scores of 0 or less as 0.
        zero = (0.0,) * len(self.regels.sporen)
        keys = []
        for delen in zip(*columns, strict=True):
            parts = [deel.totals for deel in delen if deel.totals]
            if parts:
                keys.append(tuple([t if (t := sum(column)) > 0 else 0.0 for column in zip(*parts, strict=True)]))
            else:
                keys.append(zero)
        return keys

    def _rang_info(self, key: Any) -> _Rang:
        rang_info = self._rangen.get(key)
        if rang_info is not None:
            return rang_info
        scores = key
        if isinstance(key, int):
            count = len(self.regels.sporen)
            scores = tuple([((key >> (FIELD_BITS * i)) & FIELD) / SCALE for i in range(count)])
        # One _Rang per key: the keys are the rankings' own (scores of 0 or less as 0).
        rang = self.regels.rangorde_van_sleutel(scores)
        tie = len(rang.beste) > 1
        open_key = self._number(("a", rang.beste_nummers if tie else (), not rang.lijst), self._open_shift)
        doelgroep_key = self._number(("d", rang.advies_nummers), 2 * ID_BITS)
        rules_key = self._number(("r", rang.beste_nummers), ID_BITS * len(self._groepen))
        rank = f",{self._rank_text(rang.lijst, rang.gelijk)},"
        rang_info = self._rangen[key] = _Rang(rang, rank, open_key, doelgroep_key, rules_key)
        return rang_info

    def _number(self, key: tuple[object, ...], shift: int) -> int:
        """A number for `key`, shifted into its bit field (the same int object each time: less memory)."""
        found = self._klass.get(key)
        if found is None:
            found = self._klass[key] = len(self._klass) << shift
        return found

    def _part(self, key: tuple[object, ...]) -> int:
        return self._parts.setdefault(key, len(self._parts))

    def _open_part(self, rang_info: _Rang, open_bits: int, key: int) -> tuple[str, int]:
        """The onbeantwoord cell, and a number for the warnings that depend on the open questions."""
        found = self._open_memo.get(key)
        if found is None:
            onbeantwoord, text = self._open_cell(open_bits)
            rang, count = rang_info.rang, len(onbeantwoord)
            tie = onbeantwoord if len(rang.beste) > 1 else None
            # What the completeness warning looks at: no spoor (then: no answer at all?), else the count
            # of open questions when over half of them are open. This key must follow the conditions
            # of `Regels.waarschuwingen_van`; tests/test_csvsnel.py compares every output with it.
            total = len(self.regels.vraag_ids)
            complete = (count == total,) if not rang.lijst else (count if count * 2 > total else -1)
            nummer = self._part(("a", rang.beste_nummers if tie is not None else (), tie, complete))
            found = self._open_memo[key] = (text, nummer << ID_BITS)
        return found

    def _doelgroep_part(self, rang_info: _Rang, doelgroep_nummer: int, key: int) -> tuple[str, int]:
        """The partner, instrument and case columns, and a number for the doelgroep warning."""
        found = self._doelgroep_memo.get(key)
        if found is None:
            rang = rang_info.rang
            doelgroepen, mask = self._doelgroep_info[doelgroep_nummer]
            weakening = self.regels.weakening_set(doelgroepen) if doelgroepen and rang.advies else frozenset()
            nummer = self._part(("d", weakening, rang.advies_nummers) if weakening else ("d",))
            found = self._doelgroep_memo[key] = (self._extras_columns(rang, doelgroepen, mask), nummer)
        return found

    def _rules_part(self, rang_info: _Rang, columns: list[list[Deel]], index: int, key: int) -> int:
        """A number for the warnings of the knowledge base's rules (shifted above the other parts)."""
        found = self._rules_memo.get(key)
        if found is None:
            antwoorden = dict(a for column in columns for a in column[index].antwoorden)
            rules = self.regels.rule_warnings_for(antwoorden.get, rang_info.rang.beste)
            found = self._part(("r", *rules)) << (2 * ID_BITS)
            self._rule_lists[found] = rules
            self._rules_memo[key] = found
        return found

    def _warnings_cell(self, rang_info: _Rang, open_bits: int, doelgroep_nummer: int, key: int) -> str:
        """The warnings cell: the parts' numbers say everything `waarschuwingen_van` looks at."""
        found = self._warnings_memo.get(key)
        if found is None:
            rules = self._rule_lists[key >> (2 * ID_BITS) << (2 * ID_BITS)]
            onbeantwoord = self._open_cell(open_bits)[0]
            doelgroepen = self._doelgroep_info[doelgroep_nummer][0]
            texts = self.regels.waarschuwingen_van(None, rang_info.rang, onbeantwoord, doelgroepen, rules)
            cell = quote_cell(output.csv_warning_cell(texts))
            found = self._warnings_memo[key] = self._cells.setdefault(cell, cell)  # one string per text
        return found

    def _doelgroep_nummer(self, doelgroepen: frozenset[str]) -> int:
        """A number for what the output takes from the doelgroepen: which partners and instruments
        serve them (and whether there are any), and which weaken a spoor outside its instroom."""
        mask = self._mask_number(doelgroepen)
        weakening = self.regels.weakening_set(doelgroepen) if doelgroepen else frozenset()
        key = (mask, weakening)
        doelgroep_nummer = self._doelgroep_nummers.get(key)
        if doelgroep_nummer is None:
            doelgroep_nummer = self._doelgroep_nummers[key] = len(self._doelgroep_nummers)
            self._doelgroep_info[doelgroep_nummer] = (doelgroepen, mask)
        return doelgroep_nummer

    def _doelgroep_nummer_of(self, delen: tuple[Deel, ...]) -> int:
        """The doelgroep_nummer of the doelgroepen of several multiple-choice questions together."""
        found = self._doelgroep_sets.get(delen)
        if found is None:
            doelgroepen = frozenset().union(*(d.doelgroepen for d in delen))
            found = self._doelgroep_sets[delen] = self._doelgroep_nummer(doelgroepen)
        return found

    def _extras_columns(self, rang: Rangorde, doelgroepen: frozenset[str], mask: int) -> str:
        """The partner, instrument and case columns (the engine remembers each part on its own key)."""
        regels, nummers = self.regels, rang.advies_nummers
        text = self._extras_text.get((nummers, mask))
        if text is not None:
            return text
        partners, instrumenten, cases, _ = regels.extras(rang, doelgroepen, self.peildatum)
        # With the comma that follows them in a line (see `_texts`).
        text = self._extras_text[(nummers, mask)] = _cells(output.csv_extra_cells(partners, instrumenten, cases)) + ","
        return text

    def _mask_number(self, doelgroepen: frozenset[str]) -> int:
        """A number per (partners served, instruments served, any doelgroep at all): what the partner,
        instrument and case columns depend on besides the advised sporen."""
        number = self._mask_numbers.get(doelgroepen)
        if number is None:
            key = (self.regels.masks(doelgroepen), bool(doelgroepen))
            number = self._mask_numbers[doelgroepen] = self._mask_keys.setdefault(key, len(self._mask_keys))
        return number

    def _open_cell(self, open_bits: int) -> tuple[tuple[str, ...], str]:
        """The open questions (in `Regels.vraag_ids` order) and their cell, quoted."""
        found = self._open.get(open_bits)
        if found is None:
            onbeantwoord = tuple(v for v in self.regels.vraag_ids if open_bits & self.bits[v])
            text = quote_cell(output.csv_open_cell(onbeantwoord))
            found = self._open[open_bits] = (onbeantwoord, f",{text}\n")  # as it ends a line (see `_texts`)
        return found
