"""Big batches record by record: CSV and JSON-lines in, csv / jsonl / json out, memory flat.

`match` uses this for CSV or JSON-lines input and for csv, jsonl and json output. A file is read
once: each record is checked, advised and rendered into a buffer (memory, then a temporary file),
so all problems of the file are reported before any output is written (exit 2, as for YAML) and
the output goes out only when the file was clean. (With a progress bar on a terminal the file is
read twice: first checked and counted, then advised.) The output is exactly what the in-memory formats give.
The records go through `werkplek.normalize_record`, so the rules and messages are the same; a
small memo skips it for rows whose cells were all seen before in a valid row.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spoorwijzer import yamlio
from spoorwijzer.engine import Advies, Regels
from spoorwijzer.errors import Problem, UserError
from spoorwijzer.werkplek import (
    CSV_SUFFIXES,
    JSONL_SUFFIXES,
    NO_CSV_WERKPLEKKEN,
    Normalizer,
    ReadResult,
    Vocabulary,
    Werkplek,
    _CsvBroken,
    csv_broken,
    duplicate_naam,
    read_werkplekken,
)
from spoorwijzer.werkplek import csv_records as werkplek_csv_records

STREAM_FORMATS = ("csv", "jsonl", "json")
PROGRESS_FROM = 2000  # werkplekken; smaller batches finish before a bar is worth showing
PARALLEL_WERKPLEKKEN = 2000  # from this many YAML werkplekken, csv/json/jsonl output in two processes

Record = tuple[int, dict[str, Any] | None, list[Problem]]  # line, raw record, problems of the line itself


def is_streamed_input(path: Path) -> bool:
    return path.suffix.lower() in CSV_SUFFIXES + JSONL_SUFFIXES


# -- reading ---------------------------------------------------------------------------------------
# The text is read whole (with every check of `yamlio.read_text`: missing file, not UTF-8, UTF-16,
# binary): a text of 100,000 rows is some 10 MB; what must not pile up is the advice.
def csv_records(path: Path, vocab: Vocabulary) -> Iterator[Record]:
    """The rows of a CSV file as raw records: the very rows `werkplek.parse_csv` reads."""
    name = str(path)
    try:
        yield from werkplek_csv_records(yamlio.read_text(path), name, vocab)
    except _CsvBroken as broken:
        raise csv_broken(broken, name) from None


# json's own messages, in Dutch (the rest: "de opmaak klopt niet").
JSON_MESSAGES = {
    "Expecting value": "hier verwacht spoorwijzer een waarde",
    "Expecting property name enclosed in double quotes": 'een sleutel moet tussen dubbele aanhalingstekens (")',
    "Expecting ',' delimiter": "hier ontbreekt een komma",
    "Expecting ':' delimiter": "hier ontbreekt een dubbele punt",
    "Unterminated string starting at": "een tekst wordt niet afgesloten met een aanhalingsteken",
    "Extra data": "na het object staat nog meer op de regel",
    "Invalid control character at": "er staat een stuurteken in een tekst",
}


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key written twice is an error, as in YAML (json would silently keep the last)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def jsonl_records(path: Path) -> Iterator[Record]:
    """JSON-lines: one werkplek (a JSON object, as in a YAML file) per line; empty lines are skipped."""
    name = str(path)
    example = 'Elke regel is één werkplek, bijvoorbeeld {"naam": "Groenploeg", "taken": "eenvoudig"}.'
    for line, text in enumerate(yamlio.read_text(path).splitlines(), start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            uitleg = next((nl for en, nl in JSON_MESSAGES.items() if exc.msg.startswith(en)), "de opmaak klopt niet")
            message = f"Deze regel is geen geldige JSON: {uitleg} (bij teken {exc.colno}). {example}"
            yield line, None, [Problem(message, file=name, line=line)]
            continue
        except _DuplicateKey as duplicate:
            message = (
                f"De sleutel '{duplicate.key}' staat twee keer in deze werkplek. JSON gebruikt dan stil alleen "
                "de laatste; haal de sleutel weg die niet klopt."
            )
            yield line, None, [Problem(message, file=name, line=line, field=duplicate.key)]
            continue
        except RecursionError:
            message = "Deze regel is geen bruikbare werkplek: de lijsten of objecten zijn te diep in elkaar genest."
            yield line, None, [Problem(message, file=name, line=line)]
            continue
        yield line, record, []


def raw_records(path: Path, vocab: Vocabulary) -> Iterator[Record]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return jsonl_records(path)
    return csv_records(path, vocab)


class Controle:
    """Checks raw records one by one as a file reader gives them: normalized (with the memo), and every
    naam once per file. Shared by the record streams here and by the compiled CSV path (csvsnel.py)."""

    def __init__(self, vocab: Vocabulary, name: str) -> None:
        self.vocab = vocab
        self.name = name
        self.normalize = Normalizer(vocab)
        self.seen: dict[str, int] = {}  # naam in lower case -> the line it was first seen on

    def __call__(self, line: int, record: Any, row_problems: list[Problem]) -> tuple[Werkplek | None, list[Problem]]:
        werkplek, problems = self.normalize(record, self.name, line)
        problems = row_problems + problems
        if row_problems:
            werkplek = None
        naam = werkplek.naam if werkplek is not None else _naam(record, self.vocab)
        if naam:
            first = self.seen.setdefault(naam.lower(), line)
            if first != line:
                problems = [*problems, duplicate_naam(naam, first, self.name, line)]
                werkplek = None
        return werkplek, problems


def no_werkplekken(path: Path) -> Problem:
    name = str(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        return Problem("Het JSON-lines-bestand heeft geen werkplekken.", file=name, line=1)
    return Problem(NO_CSV_WERKPLEKKEN, file=name, line=2)


def werkplekken(path: Path, vocab: Vocabulary) -> Iterator[tuple[Werkplek | None, list[Problem]]]:
    """Every record of a CSV or JSON-lines file, normalized, with the problems of each."""
    controle = Controle(vocab, str(path))
    any_record = False
    for line, record, row_problems in raw_records(path, vocab):
        any_record = True
        if record is None:
            yield None, row_problems
            continue
        yield controle(line, record, row_problems)
    if not any_record:
        yield None, [no_werkplekken(path)]


def _naam(record: Any, vocab: Vocabulary) -> str:
    if isinstance(record, dict):
        for key, value in record.items():
            if vocab.resolve_key(key) == "naam" and isinstance(value, str):
                return value.strip()
    return ""


def read_all(path: Path, vocab: Vocabulary) -> ReadResult:
    """A CSV or JSON-lines file whole, for the formats that need every werkplek at once (table, ...)."""
    result = ReadResult()
    for werkplek, problems in werkplekken(path, vocab):
        result.problems.extend(problems)
        if werkplek is not None:
            result.werkplekken.append(werkplek)
    return result


def check(path: Path, vocab: Vocabulary) -> int:
    """First pass: every problem of the file at once (UserError), else the number of werkplekken."""
    problems: list[Problem] = []
    count = 0
    for werkplek, found in werkplekken(path, vocab):
        problems.extend(found)
        count += werkplek is not None
    if problems:
        raise UserError(problems)
    return count


# -- advising and writing --------------------------------------------------------------------------
def adviezen(
    path: Path, vocab: Vocabulary, regels: Regels, peildatum: dt.date, kort: bool = False
) -> tuple[int, Callable[[], Iterator[Advies]]]:
    """(number of werkplekken, a fresh iterator of their advice), after checking the whole file.
    `kort`: without reasons and rejected sporen (`Regels.advise_kort`), enough for csv output."""
    if is_streamed_input(path):
        count = check(path, vocab)

        def streamed() -> Iterator[Advies]:
            for werkplek, _ in werkplekken(path, vocab):
                if werkplek is not None:
                    yield advise_werkplek(regels, werkplek, peildatum, kort)

        return count, streamed
    checked = read_checked(path, vocab)  # YAML is parsed whole; the advice is still made one by one

    def from_yaml() -> Iterator[Advies]:
        for werkplek in checked:
            yield advise_werkplek(regels, werkplek, peildatum, kort)

    return len(checked), from_yaml


def read_checked(path: Path, vocab: Vocabulary) -> list[Werkplek]:
    """Every werkplek of a file read whole (YAML, Excel), or every problem at once (UserError)."""
    result = read_werkplekken(path, vocab)
    if result.problems:
        raise UserError(result.problems)
    return result.werkplekken


def advise_werkplek(regels: Regels, werkplek: Werkplek, peildatum: dt.date, kort: bool = False) -> Advies:
    """The advice for one werkplek of a file, with its own notes (`opmerking`) kept."""
    advise = regels.advise_kort if kort else regels.advise
    advies = advise(werkplek.naam, werkplek.antwoorden, peildatum, werkplek.omschrijving)
    advies.opmerking = werkplek.opmerking
    return advies


def render(
    formaat: str, items: Iterable[Advies], top: int | None, begin: bool = True, end: bool = True
) -> Iterator[bytes]:
    """The UTF-8 text of csv, jsonl or json output, piece by piece (the bytes of output.to_csv/to_json).
    `begin=False`: these items follow others already written (no header); `end=False`: more follow."""
    from spoorwijzer import output

    if formaat == "csv":
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if begin:
            writer.writerow(output.CSV_COLUMNS)
        for number, advies in enumerate(items):
            writer.writerow(output.csv_row(advies, top))
            if number % 256 == 255:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()
    elif formaat == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
        for advies in items:
            yield (encode(output.advies_to_dict(advies, top)) + "\n").encode()
    else:
        from spoorwijzer.jsontekst import JsonTekst

        # json.dumps(indent=2) of the whole list, one werkplek at a time (jsontekst: the same bytes).
        encoder = JsonTekst()
        first, separator = b"\n    ", b"\n    " if begin else b",\n    "
        if begin:
            yield b'{\n  "werkplekken": ['
        for advies in items:
            yield separator + encoder.advies(advies, top, indent=4)
            separator = b",\n    "
        if end:
            yield b"\n  ]\n}\n" if separator != first else b"]\n}\n"


def in_two_processes(
    werkplekken: list[Werkplek], regels: Regels, formaat: str, top: int | None, peildatum: dt.date
) -> Iterator[bytes] | None:
    """csv, jsonl or json output of checked werkplekken, advised and written in two processes
    (paralleltwee.py): the same bytes as `render`; None when that is not possible or not worth it."""
    if len(werkplekken) < PARALLEL_WERKPLEKKEN:
        return None  # before the import: a small file (the start of `match`) pays nothing for this
    from spoorwijzer import paralleltwee

    if not paralleltwee.available():
        return None
    kort = formaat == "csv"

    def work(part: paralleltwee.Deel, out: Any) -> None:
        mine = werkplekken[part.first : part.stop]
        items = (advise_werkplek(regels, werkplek, peildatum, kort) for werkplek in mine)
        for chunk in render(formaat, items, top, begin=part.first == 0, end=part.stop is None):
            out.write(chunk)

    found = paralleltwee.in_two(work, len(werkplekken) // 2)
    return found[2] if found is not None else None


def with_progress(items: Iterable[Advies], total: int) -> Iterator[Advies]:
    """A progress bar on stderr for a big batch, only when stderr is a terminal (never in a pipe or log)."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Advies"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("advies", total=total)
        for number, advies in enumerate(items, start=1):
            yield advies
            if number % 500 == 0 or number == total:
                progress.update(task, completed=number)


def streamed_output(
    path: Path,
    vocab: Vocabulary,
    regels: Regels,
    formaat: str,
    top: int | None,
    peildatum: dt.date,
) -> Iterator[bytes]:
    """`match` for csv, jsonl and json output: check the file (every problem at once, before any
    output), then advise and render one werkplek at a time."""
    if is_streamed_input(path) and not sys.stderr.isatty():
        return _one_pass(path, vocab, regels, formaat, top, peildatum)
    # YAML (read whole), or on a terminal, where the progress bar wants the total first: check,
    # then advise (two passes). The cyclic garbage collector is paused from reading to the last
    # byte: it walked the werkplekken and the growing lookup tables again and again (a quarter or
    # more of the time for 10,000 YAML werkplekken). Safe: neither the werkplekken nor the advice
    # make reference cycles, so reference counting frees them as before; the collector runs again
    # when the output is done (or stops).
    paused = WithoutGc()
    try:
        if not is_streamed_input(path) and not sys.stderr.isatty():
            # YAML outside a terminal: read and checked whole, then (a big file) in two processes.
            checked = read_checked(path, vocab)
            both = in_two_processes(checked, regels, formaat, top, peildatum)
            if both is not None:
                paused.chunks = both
                return paused
            items = (advise_werkplek(regels, w, peildatum, formaat == "csv") for w in checked)
            paused.chunks = render(formaat, items, top)
            return paused
        total, adviezen_van = adviezen(path, vocab, regels, peildatum, kort=formaat == "csv")
    except BaseException:
        paused.close()
        raise
    paused.chunks = render(formaat, with_progress(adviezen_van(), total), top)
    return paused


class WithoutGc:
    """Iterates `chunks` with the cyclic garbage collector paused from its creation on; the
    collector runs again as soon as the chunks are done or fail, or this is closed or dropped."""

    def __init__(self) -> None:
        self._resume = gc.isenabled()
        gc.disable()
        self.chunks: Iterator[bytes] = iter(())

    def __iter__(self) -> WithoutGc:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self.chunks)
        except BaseException:  # StopIteration too: done
            self.close()
            raise

    def close(self) -> None:
        stop = getattr(self.chunks, "close", None)  # a generator: its own clean-up runs first
        if stop is not None:
            stop()
        if self._resume:
            self._resume = False
            gc.enable()

    def __del__(self) -> None:
        self.close()


SPOOL_MEMORY = 8 << 20  # bytes of output kept in memory before the buffer moves to a temporary file


def _one_pass(
    path: Path, vocab: Vocabulary, regels: Regels, formaat: str, top: int | None, peildatum: dt.date
) -> Iterator[bytes]:
    """Read, check, advise and render in one pass, into a buffer (memory, then a temporary file):
    only when the whole file was clean does any of it go out; otherwise every problem is reported
    (UserError) and nothing is written. Reading the file once instead of twice."""
    import tempfile

    problems: list[Problem] = []
    kort = formaat == "csv"

    def items() -> Iterator[Advies]:
        for werkplek, found in werkplekken(path, vocab):
            if found:
                problems.extend(found)
            elif werkplek is not None and not problems:  # after the first problem: only collect the rest
                yield advise_werkplek(regels, werkplek, peildatum, kort)

    chunks: Iterable[bytes]
    if kort and path.suffix.lower() in CSV_SUFFIXES:
        from spoorwijzer.csvsnel import CsvSnel  # CSV to CSV: straight from the cells (csvsnel.py)

        chunks = CsvSnel(regels, vocab, peildatum, top).output(path, problems)
    else:
        chunks = render(formaat, items(), top)

    # The pass runs now, not when the output is first asked for: problems in the input are reported
    # before anything about the output (as with the check of the two-pass way).
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 (closed by _drain)
    # The cyclic garbage collector walks every cached object again and again while the caches grow
    # (~25 % of the time on 100,000 werkplekken); the advice makes no cycles (freed by reference
    # counting), so it is paused for the pass.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in chunks:
            if not problems:
                buffer.write(chunk)
        if problems:
            raise UserError(problems)
        buffer.seek(0)
    except BaseException:
        buffer.close()
        raise
    finally:
        if collecting:
            gc.enable()
    return _drain(buffer)


def _drain(buffer: Any) -> Iterator[bytes]:
    with buffer:
        while chunk := buffer.read(1 << 20):
            yield chunk
