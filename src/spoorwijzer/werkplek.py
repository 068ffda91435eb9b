"""Reading werkplek files (YAML or CSV) into clean answers, with every problem collected.

Keys and values are case-insensitive and trimmed; `onbekend` (or a missing key) means "not
answered". The vocabulary (questions, answers, synonyms, doelgroep ids) comes from the
Kennisbank, so a new question or answer in the data is accepted here without code changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spoorwijzer import yamlio
from spoorwijzer.engine import Antwoorden
from spoorwijzer.errors import Problem, UserError, allowed_list, did_you_mean
from spoorwijzer.kennisbank import Kennisbank

FREE_TEXT_KEYS = ("naam", "omschrijving", "opmerking")
# Other spellings of the free-text keys, e.g. a notes column in an Excel sheet.
FREE_TEXT_SYNONYMS = {
    "opmerkingen": "opmerking",
    "notitie": "opmerking",
    "notities": "opmerking",
    "beschrijving": "omschrijving",
}
# YAML is parsed whole, so a werkplek file has a size limit; 10,000 werkplekken are about 3 MB.
# CSV is meant for bigger lists. Applied to YAML only.
MAX_YAML_BYTES = 20_000_000
TOO_LARGE_HINT = (
    "Zo'n groot YAML-bestand leest spoorwijzer niet in één keer: splits het in delen, of lever de "
    "werkplekken als CSV (één regel per werkplek)."
)
# From this size on a YAML file is read with the fast reader (yamlsnel); a smaller one is read as
# quickly the careful way, without importing it (the start of `match` on one werkplek).
FAST_YAML_MIN_CHARS = 2_000
# Values longer than this are shortened in messages, so one pasted page does not bury the rest.
SHOWN_MAX = 60
UNANSWERED = frozenset({"", "onbekend", "weet niet", "weetniet", "?", "-", "n.b.", "nb"})
LIST_SEPARATORS = (";", ",")


@dataclass
class Werkplek:
    naam: str
    antwoorden: Antwoorden
    omschrijving: str = ""
    regel: int | None = None
    opmerking: str = ""


@dataclass
class ReadResult:
    werkplekken: list[Werkplek] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalize_key(key: object) -> str:
    text = str(key).strip().lower().replace("'", "").replace("’", "")
    return "_".join(text.replace("-", " ").split())


def shown(value: object) -> str:
    """A value as a message quotes it: trimmed, and shortened when long."""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


BOOLEAN_SPELLINGS = {"ja": ("true", "yes", "y", "on", "waar"), "nee": ("false", "no", "n", "off", "onwaar")}


def _normalize_text(value: str) -> str:
    return " ".join(value.strip().lower().split())


class Vocabulary:
    """What a werkplek may say, derived from the Kennisbank."""

    def __init__(self, kb: Kennisbank) -> None:
        self.kb = kb
        self.vragen = {v.id: v for v in kb.vragen}
        self.keys: dict[str, str] = {k: k for k in FREE_TEXT_KEYS} | FREE_TEXT_SYNONYMS
        self._resolved: dict[str, str | None] = {}
        for vraag in kb.vragen:
            self.keys[normalize_key(vraag.id)] = vraag.id
            for synoniem in vraag.synoniemen:
                self.keys.setdefault(normalize_key(synoniem), vraag.id)
        self.values: dict[str, dict[str, str]] = {}
        for vraag in kb.vragen:
            mapping: dict[str, str] = {}
            for antwoord in vraag.antwoorden:
                mapping[_normalize_text(antwoord.waarde)] = antwoord.waarde
            for antwoord in vraag.antwoorden:
                for synoniem in antwoord.synoniemen:
                    mapping.setdefault(_normalize_text(synoniem), antwoord.waarde)
            if vraag.type == "janee":
                # A CSV or JSON-lines cell says what YAML would read as a boolean (true, yes) or what
                # Dutch Excel writes for one (WAAR, ONWAAR): the same ja/nee as in a YAML file.
                for waarde, spellings in BOOLEAN_SPELLINGS.items():
                    for spelling in spellings:
                        mapping.setdefault(spelling, waarde)
            self.values[vraag.id] = mapping
        self.doelgroepen: dict[str, str] = {}
        for doelgroep_id, info in kb.doelgroepen.items():
            self.doelgroepen[_normalize_text(doelgroep_id)] = doelgroep_id
            for synoniem in info.get("synoniemen", []) or []:
                self.doelgroepen.setdefault(_normalize_text(str(synoniem)), doelgroep_id)

    def resolve_doelgroep(self, text: str) -> str | None:
        """A doelgroep id for an id or a known spelling ('Statushouders', 'wajongers'), else None."""
        return self.doelgroepen.get(_normalize_text(text))

    def allowed_keys(self) -> list[str]:
        return [*FREE_TEXT_KEYS, *self.vragen]

    def resolve_key(self, key: object) -> str | None:
        if key.__class__ is str:  # the common case, remembered per spelling (a file repeats its keys)
            found = self._resolved.get(key, "")  # type: ignore[call-overload]
            if found != "":
                return found  # type: ignore[no-any-return]
            found = self.keys.get(normalize_key(key))
            if len(self._resolved) < 4096:
                self._resolved[key] = found  # type: ignore[index]
            return found
        return self.keys.get(normalize_key(key))

    def allowed_values(self, vraag_id: str) -> str:
        vraag = self.vragen[vraag_id]
        if vraag.type == "meerkeuze":
            return "een of meer van " + allowed_list(list(self.kb.doelgroepen)) + " (of onbekend)"
        return allowed_list([*vraag.waarden(), "onbekend"])

    def answer(self, vraag_id: str, value: Any) -> tuple[str | tuple[str, ...] | None, str | None]:
        """(normalized answer or None when not answered, error message or None)."""
        vraag = self.vragen[vraag_id]
        if vraag.type == "meerkeuze":
            return self._multi(value)
        if value is None:
            return None, None
        if isinstance(value, bool):
            if vraag.type != "janee" and not any(w in ("ja", "nee") for w in self.values[vraag_id]):
                return None, f"'{'ja' if value else 'nee'}' is hier geen antwoord."
            value = "ja" if value else "nee"
        if isinstance(value, (int, float)):
            return None, f"Een getal ({shown(value)}) is hier geen antwoord: kies een van de woorden."
        if isinstance(value, (list, dict)):
            soort = "lijst" if isinstance(value, list) else "blok met eigen regels 'sleutel: waarde'"
            return None, f"Hier hoort één antwoord, geen {soort}."
        if isinstance(value, (dt.date, dt.datetime)):
            return None, f"Een datum ({value}) is hier geen antwoord: kies een van de woorden."
        if not isinstance(value, str):
            return None, f"Onverwachte waarde ({shown(value)}): kies een van de woorden."
        text = _normalize_text(value)
        if text in UNANSWERED:
            return None, None
        canonical = self.values[vraag_id].get(text)
        if canonical is None:
            hint = did_you_mean(text, list(self.values[vraag_id])) if len(text) <= SHOWN_MAX else ""
            return None, f"'{shown(value)}' is geen geldig antwoord.{hint}"
        return canonical, None

    def _multi(self, value: Any) -> tuple[tuple[str, ...] | None, str | None]:
        if value is None:
            return None, None
        if isinstance(value, str):
            items: list[Any] = [value]
            for separator in LIST_SEPARATORS:
                items = [part for item in items for part in item.split(separator)]
        elif isinstance(value, list):
            items = value
        elif isinstance(value, dict):
            return None, "Hier hoort een lijst van doelgroepen, geen blok met eigen regels 'sleutel: waarde'."
        else:
            return None, f"Hier hoort een doelgroep-id of een lijst daarvan, niet '{shown(value)}'."
        result: list[str] = []
        problems: list[str] = []
        for item in items:
            if not isinstance(item, str):
                problems.append(f"'{shown(item)}' is geen doelgroep-id.")
                continue
            text = _normalize_text(item)
            if text in UNANSWERED:
                continue
            doelgroep = self.resolve_doelgroep(text)
            if doelgroep is None:
                hint = did_you_mean(text, list(self.doelgroepen)) if len(text) <= SHOWN_MAX else ""
                problems.append(f"'{shown(item)}' is geen bekende doelgroep.{hint}")
            elif doelgroep not in result:
                result.append(doelgroep)
        if problems:
            return None, " ".join(problems)
        return (tuple(result) if result else None), None


def normalize_record(
    record: Any,
    vocab: Vocabulary,
    *,
    file: str | None,
    line_of: Any = None,
    fallback_line: int | None = None,
) -> tuple[Werkplek | None, list[Problem]]:
    """One raw record (a mapping) to a Werkplek, with all its problems."""
    line_of = line_of or (lambda key: fallback_line)
    if not isinstance(record, dict):
        return None, [
            Problem(
                "Een werkplek moet bestaan uit regels 'sleutel: waarde' (zoals 'naam: Groenploeg'), geen "
                f"{'lijst' if isinstance(record, list) else 'losse waarde'}.",
                file=file,
                line=line_of(None),
                werkplek_regel=line_of(None),
            )
        ]
    problems: list[Problem] = []
    naam_key, raw_naam = None, None
    for key, value in record.items():
        if vocab.resolve_key(key) == "naam":
            naam_key, raw_naam = key, value
    naam = _as_text(raw_naam)
    label = naam or None
    if not naam and raw_naam is not None and not isinstance(raw_naam, str):
        problems.append(
            Problem(
                f"De naam moet tekst zijn, niet '{shown(raw_naam)}'. Zet de naam tussen aanhalingstekens.",
                file=file,
                line=line_of(naam_key),
                field="naam",
            )
        )
    elif not naam:
        problems.append(
            Problem(
                "Deze werkplek heeft geen 'naam'. Elke werkplek moet een naam hebben.",
                file=file,
                line=line_of(None),
                field="naam",
            )
        )
    antwoorden: Antwoorden = {}
    text: dict[str, str] = {}
    seen: dict[str, object] = {}
    for key, value in record.items():
        target = vocab.resolve_key(key)
        if target is None:
            key_text = shown(key)
            problems.append(
                Problem(
                    f"Onbekend veld '{key_text}'.{did_you_mean(normalize_key(key), vocab.allowed_keys())}",
                    file=file,
                    line=line_of(key),
                    werkplek=label,
                    field=key_text,
                    allowed=allowed_list(vocab.allowed_keys()),
                )
            )
            continue
        if target in seen:
            problems.append(
                Problem(
                    f"Het veld '{target}' staat twee keer in deze werkplek ('{seen[target]}' en '{key}').",
                    file=file,
                    line=line_of(key),
                    werkplek=label,
                    field=target,
                )
            )
            continue
        seen[target] = key
        if target == "naam":
            continue
        if target in ("omschrijving", "opmerking"):
            if value is not None and not isinstance(value, str) and not _as_text(value):
                problems.append(
                    Problem(
                        f"De {target} moet tekst zijn, niet '{shown(value)}'.",
                        file=file,
                        line=line_of(key),
                        werkplek=label,
                        field=target,
                    )
                )
            else:
                text[target] = _as_text(value)
            continue
        answer, message = vocab.answer(target, value)
        if message:
            problems.append(
                Problem(
                    message,
                    file=file,
                    line=line_of(key),
                    werkplek=label,
                    field=target,
                    allowed=vocab.allowed_values(target),
                )
            )
        elif answer is not None:
            antwoorden[target] = answer
    if problems:
        regel = line_of(None)
        return None, [replace(p, werkplek_regel=regel) for p in problems]
    # Keep the questions' own order, so output does not depend on the order of keys in the file.
    ordered = {v: antwoorden[v] for v in vocab.vragen if v in antwoorden}
    werkplek = Werkplek(
        naam=naam,
        antwoorden=ordered,
        omschrijving=text.get("omschrijving", ""),
        regel=line_of(None),
        opmerking=text.get("opmerking", ""),
    )
    return werkplek, []


# Per field layout: where naam, omschrijving, opmerking are, all free-text places, (place, question) in order.
Layout = tuple[int, int | None, int | None, tuple[int, ...], tuple[tuple[int, str], ...]]


class Normalizer:
    """`normalize_record` with a memo: a row is handled directly when its field names and every
    cell were already seen in valid rows; anything else goes through `normalize_record` itself."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.order = {v: i for i, v in enumerate(vocab.vragen)}
        self.layouts: dict[tuple[str, ...], Layout | None] = {}
        self.answers: dict[tuple[str, object], object] = {}

    def _layout(self, keys: tuple[str, ...]) -> Layout | None:
        targets = tuple(self.vocab.resolve_key(k) for k in keys)
        if None in targets or len(set(targets)) != len(targets) or "naam" not in targets:
            return None  # unknown or doubled fields: let normalize_record say so
        # Worked out once per header: where the free texts are, and the answer columns in question
        # order (so a row's answers come out in that order without sorting).
        free = {t: i for i, t in enumerate(targets) if t in FREE_TEXT_KEYS}
        answers = sorted((self.order[t], i, t) for i, t in enumerate(targets) if t not in FREE_TEXT_KEYS)
        return (
            free["naam"],
            free.get("omschrijving"),
            free.get("opmerking"),
            tuple(free.values()),
            tuple((i, t) for _, i, t in answers),
        )

    def __call__(self, record: Any, file: str, line: int) -> tuple[Werkplek | None, list[Problem]]:
        werkplek = self.known(record, line)
        if werkplek is not None:
            return werkplek, []
        werkplek, problems = normalize_record(record, self.vocab, file=file, fallback_line=line)
        if werkplek is not None:
            self.learn(record, werkplek)
        return werkplek, problems

    def known(self, record: Any, line: int | None) -> Werkplek | None:
        """The Werkplek of a record whose field names and every value were seen before in valid
        records; None for anything else (then `normalize_record` decides, with its messages)."""
        if isinstance(record, dict):
            keys = tuple(record)
            layout = self.layouts.get(keys, ())
            if layout == ():
                layout = self.layouts[keys] = self._layout(keys)
            if layout is not None:
                return self._fast(list(record.values()), layout, line)
        return None

    def _fast(self, values: list[Any], layout: Layout, line: int | None) -> Werkplek | None:
        naam_at, omschrijving_at, opmerking_at, free, columns = layout
        for i in free:
            value = values[i]
            if not (value is None or isinstance(value, str)):
                return None
        naam = values[naam_at]
        naam = naam.strip() if naam else ""
        if not naam:
            return None
        memo = self.answers
        antwoorden = {}
        try:
            for i, target in columns:
                value = values[i]
                if value is not None:
                    if value.__class__ is list:  # a YAML or JSON list: remembered as a tuple of texts
                        value = tuple(value)
                    answer = memo[(target, value)]
                    if answer is not None:
                        antwoorden[target] = answer
        except (KeyError, TypeError):  # not seen yet (or unhashable): the careful way
            return None
        omschrijving = values[omschrijving_at] if omschrijving_at is not None else None
        opmerking = values[opmerking_at] if opmerking_at is not None else None
        return Werkplek(
            naam=naam,
            antwoorden=antwoorden,  # type: ignore[arg-type]
            omschrijving=omschrijving.strip() if omschrijving else "",
            regel=line,
            opmerking=opmerking.strip() if opmerking else "",
        )

    def learn(self, record: dict[str, Any], werkplek: Werkplek) -> None:
        """A valid record's values are valid answers: remember what each became. Only texts (and lists
        of texts): a number or a boolean must never be taken for a text that looks like it."""
        if len(self.answers) > 100_000:
            return
        for key, value in record.items():
            target = self.vocab.resolve_key(key)
            if target is None or target in FREE_TEXT_KEYS:
                continue
            if value.__class__ is list and all(item.__class__ is str for item in value):
                value = tuple(value)
            elif value.__class__ is not str:
                continue
            # The record is valid, so a value is either an answer or "not answered" (None).
            self.answers[(target, value)] = werkplek.antwoorden.get(target)


def _as_text(value: object) -> str:
    """Free text as YAML may have typed it (a number, a date), trimmed; '' for anything else."""
    if isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def _record_naam(record: Any, vocab: Vocabulary) -> str:
    if not isinstance(record, dict):
        return ""
    for key, value in record.items():
        if vocab.resolve_key(key) == "naam":
            return _as_text(value)
    return ""


def _check_unique(result: ReadResult, names: list[tuple[str, int | None]], file: str) -> None:
    """Every naam once per file; invalid werkplekken count too, so no duplicate hides behind an error."""
    first_line: dict[str, int | None] = {}
    duplicates: set[int] = set()
    for position, (naam, line) in enumerate(names):
        key = naam.lower()
        if not key:
            continue
        if key in first_line:
            duplicates.add(position)
            first = first_line[key]
            result.problems.append(duplicate_naam(naam, first, file, line))
        else:
            first_line[key] = line
    if duplicates:
        keep_lines = {line for position, (_, line) in enumerate(names) if position in duplicates}
        result.werkplekken = [w for w in result.werkplekken if w.regel not in keep_lines]


def parse_yaml(text: str, file: str, vocab: Vocabulary) -> ReadResult:
    # A plain file is read straight from the parser's events (yamlsnel); anything else, and every
    # problem in it, the careful way with its Dutch messages. Both give the same data.
    fast = None
    if len(text) >= FAST_YAML_MIN_CHARS:
        from spoorwijzer.yamlsnel import fast_load

        fast = fast_load(text)
    if fast is not None:
        data, mapping_lines = fast
        duplicates: list[Problem] = []
    else:
        refused = yamlio.tags_and_aliases(text, file)
        if refused:
            raise UserError(refused)
        data, duplicates, mapping_lines = yamlio.load_with_lines(text, file)
    result = ReadResult(problems=list(duplicates))
    if data is None:
        result.problems.append(
            Problem("Het bestand is leeg. Zet er minstens één werkplek in, met een 'naam'.", file=file)
        )
        return result
    index: yamlio.LineIndex | None = None

    def line_for(path: tuple[object, ...]) -> int | None:
        nonlocal index
        if index is None:
            index = yamlio.line_index(text, normalize_key)
        while path:
            if path in index:
                return index[path]
            path = path[:-1]
        return index.get((), None)

    if isinstance(data, dict) and any(normalize_key(k) == "werkplekken" for k in data):
        records = next(v for k, v in data.items() if normalize_key(k) == "werkplekken")
        extra = [k for k in data if normalize_key(k) != "werkplekken"]
        for key in extra:
            result.problems.append(
                Problem(
                    f"Onbekend veld '{key}' naast 'werkplekken'. Zet gegevens van een werkplek binnen de lijst.",
                    file=file,
                    line=line_for((normalize_key(key), "<key>")),
                    field=str(key),
                )
            )
        if not isinstance(records, list):
            result.problems.append(
                Problem(
                    "'werkplekken' moet een lijst zijn: zet voor elke werkplek een regel '- naam: ...'.",
                    file=file,
                    line=line_for(("werkplekken", "<key>")),
                    field="werkplekken",
                )
            )
            return result
        prefix: tuple[object, ...] = ("werkplekken",)
    elif isinstance(data, dict):
        records, prefix = [data], ()
        for key in data:
            if vocab.resolve_key(key) is None and did_you_mean(normalize_key(key), ["werkplekken"]):
                result.problems.append(
                    Problem(
                        f"Onbekend veld '{key}'. Bedoelt u 'werkplekken'? Zet daaronder een lijst met '- naam: ...'.",
                        file=file,
                        line=line_for((normalize_key(key), "<key>")),
                        field=str(key),
                    )
                )
                return result
    elif isinstance(data, list):
        records, prefix = data, ()
    else:
        result.problems.append(
            Problem(
                "Het bestand bevat geen werkplek. Verwacht: een werkplek ('naam: ...') of een lijst "
                "onder 'werkplekken:'.",
                file=file,
                line=1,
            )
        )
        return result
    if not records:
        result.problems.append(Problem("De lijst 'werkplekken' is leeg.", file=file, line=line_for(prefix)))
    single = isinstance(data, dict) and not prefix
    names: list[tuple[str, int | None]] = []
    normalizer = Normalizer(vocab)
    for position, record in enumerate(records):
        base = prefix if single else (*prefix, position)

        # A record's own line comes from the loader; the (slow) line index is only built when a
        # problem needs the line of a key, or the record is not a mapping.
        start = mapping_lines.get(id(record)) if isinstance(record, dict) else None

        def line_of(key: object, base: tuple[object, ...] = base, start: int | None = start) -> int | None:
            if key is None:
                return start if start is not None else line_for(base)
            return line_for((*base, normalize_key(key), "<key>"))

        # A record like those seen before (same fields, values seen in valid records) needs no checks again.
        werkplek = normalizer.known(record, start) if start is not None else None
        if werkplek is not None:
            names.append((werkplek.naam, start))
            result.werkplekken.append(werkplek)
            continue
        names.append((_record_naam(record, vocab), line_of(None)))
        werkplek, problems = normalize_record(record, vocab, file=file, line_of=line_of)
        result.problems.extend(problems)
        if werkplek is not None:
            result.werkplekken.append(werkplek)
            normalizer.learn(record, werkplek)
    if duplicates:
        _assign_to_werkplekken(result, len(duplicates), names)
    _check_unique(result, names, file)
    return result


def _assign_to_werkplekken(result: ReadResult, count: int, names: list[tuple[str, int | None]]) -> None:
    """Keys written twice (the first `count` problems) belong to the werkplek they are in: group them
    there, and give no advice on that werkplek."""
    starts = sorted((line, naam) for naam, line in names if line is not None)
    spoiled: set[int] = set()
    for position, problem in enumerate(result.problems[:count]):
        if problem.line is None:
            continue
        owner = [(line, naam) for line, naam in starts if line <= problem.line]
        if owner:
            line, naam = owner[-1]
            result.problems[position] = replace(problem, werkplek=naam or None, werkplek_regel=line)
            spoiled.add(line)
    result.werkplekken = [w for w in result.werkplekken if w.regel not in spoiled]


def parse_csv(text: str, file: str, vocab: Vocabulary) -> ReadResult:
    try:
        return _parse_csv(text, file, vocab)
    except _CsvBroken as broken:
        raise csv_broken(broken, file) from None


class _CsvBroken(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _rows(reader: Any) -> Any:
    """The reader's rows; a csv.Error (a cell over the module's size limit) becomes _CsvBroken with its line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _CsvBroken(reader.line_num) from None


def _header_problems(keys: list[str], file: str, vocab: Vocabulary) -> list[Problem]:
    """A column twice in the header would silently lose one of them."""
    problems = []
    seen: dict[str, str] = {}
    for key in keys:
        if not key:
            continue
        target = vocab.resolve_key(key) or normalize_key(key)
        if target in seen:
            problems.append(
                Problem(
                    f"De kolom '{key}' staat twee keer in de kop (ook als '{seen[target]}'): elke vraag één kolom.",
                    file=file,
                    line=1,
                    field=key,
                )
            )
        else:
            seen[target] = key
    return problems


CsvRecord = tuple[int, dict[str, Any] | None, list[Problem]]  # line, the row as a record, problems of the row


def csv_records(text: str, file: str, vocab: Vocabulary) -> Iterator[CsvRecord]:
    """The rows of a CSV text as raw records, one by one, with the problems of each row.

    Shared by `parse_csv` (the whole file at once) and the streamed `match` (stroom.py, csvsnel.py),
    so all read a spreadsheet the same way. A record of None means the row cannot be read at all.
    """
    lezer = CsvLezer(text, file, vocab)
    if lezer.problems:
        yield 1, None, lezer.problems
        return
    for row in lezer.rows:
        found = lezer.record(row, lezer.reader.line_num)
        if found is not None:
            yield found


def _text_lines(text: str) -> Iterator[str]:
    """The lines of a text with their line ends, as `io.StringIO(text, newline="")` gives them (which
    also ends a line at a lone "\r"), but without its copy of the whole text (4 bytes a character)."""
    if text.count("\r") != text.count("\r\n"):  # a lone "\r" (old Mac line ends): the careful way
        yield from io.StringIO(text, newline="")
        return
    find, start = text.find, 0
    while (end := find("\n", start)) >= 0:
        yield text[start : end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


class CsvLezer:
    """One CSV text: its delimiter and header (with their problems), its rows, and per row the raw
    record with the row's own problems (`record`)."""

    def __init__(self, text: str, file: str, vocab: Vocabulary) -> None:
        self.file = file
        self.problems: list[Problem] = []
        end = text.find("\n")
        first_line = text if end < 0 else text[:end]  # not split(): that would copy the whole rest
        if not first_line.strip():
            self.problems = [Problem("Het CSV-bestand is leeg of begint met een lege regel.", file=file, line=1)]
            first_line = ","
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
            delimiter = "\t"
        self.delimiter = delimiter
        self.reader = csv.reader(_text_lines(text), delimiter=delimiter)
        self.rows = _rows(self.reader)
        self.keys: list[str] = []
        if not self.problems:
            self.keys = [h.strip() for h in next(self.rows)]
            self.problems = _header_problems(self.keys, file, vocab)
        self.naam_column = next((i for i, k in enumerate(self.keys) if vocab.resolve_key(k) == "naam"), None)
        self.width = len(self.keys)
        self.blank = [i for i, k in enumerate(self.keys) if not k]  # columns without a heading
        self.named = [k for k in self.keys if k]

    def naam_of(self, row: list[str]) -> str:
        column = self.naam_column
        return row[column].strip() if column is not None and column < len(row) else ""

    def record(self, row: list[str], line: int) -> CsvRecord | None:
        """The row (read ending on `line`) as a raw record; None for a row to skip (help text, empty)."""
        first = row[0].lstrip() if row else ""
        if first.startswith("#") or (not first and not any(cell.strip() for cell in row)):
            return None  # help text (a comment row) or an empty row
        width, delimiter = self.width, self.delimiter
        # Excel often writes empty cells beyond the last column; only text there is a problem.
        if len(row) > width:
            while len(row) > width and not row[-1].strip():
                row.pop()
            if len(row) > width:
                naam = self.naam_of(row)
                problem = Problem(
                    f"Deze regel heeft {len(row)} kolommen, de kop maar {width}. Staat er een "
                    f"'{delimiter}' in een cel (bijvoorbeeld tussen doelgroepen)? Zet die cel tussen "
                    f"aanhalingstekens, of scheid de doelgroepen met '{',' if delimiter == ';' else ';'}'.",
                    file=self.file,
                    line=line,
                    werkplek=naam or None,
                    werkplek_regel=line,
                )
                return line, None, [problem]
        problems = []
        blank = self.blank
        nameless = [i for i in blank if i < len(row) and row[i].strip()] if blank else ()
        if nameless:
            naam = self.naam_of(row)
            problems.append(
                Problem(
                    f"Kolom {nameless[0] + 1} heeft geen kop, maar wel een waarde ('{shown(row[nameless[0]])}'). "
                    "Zet de naam van de vraag in de kopregel, of maak de cel leeg.",
                    file=self.file,
                    line=line,
                    werkplek=naam or None,
                    werkplek_regel=line,
                )
            )
        if blank:
            return line, {k: (v if v.strip() else None) for k, v in zip(self.keys, row, strict=False) if k}, problems
        return line, dict(zip(self.named, [v if v.strip() else None for v in row], strict=False)), problems


def csv_broken(broken: _CsvBroken, file: str) -> UserError:
    # In practice a quote that is never closed: the rest of the file becomes one cell.
    return UserError.single(
        'Dit CSV-bestand is niet te lezen: een cel is veel te lang. Staat er ergens een aanhalingsteken (") '
        "dat niet wordt gesloten?",
        file=file,
        line=broken.line,
    )


NO_CSV_WERKPLEKKEN = "Het CSV-bestand heeft een kop maar geen werkplekken."


def duplicate_naam(naam: str, first: int | None, file: str, line: int | None) -> Problem:
    return Problem(
        "Deze naam komt al eerder in het bestand voor"
        + (f" (regel {first})" if first else "")
        + ": elke werkplek moet een eigen naam hebben.",
        file=file,
        line=line,
        werkplek=naam,
        field="naam",
        werkplek_regel=line,
    )


def _parse_csv(text: str, file: str, vocab: Vocabulary) -> ReadResult:
    result = ReadResult()
    names: list[tuple[str, int | None]] = []
    for line, record, row_problems in csv_records(text, file, vocab):
        result.problems.extend(row_problems)
        if record is None:
            continue
        names.append((_record_naam(record, vocab), line))
        werkplek, problems = normalize_record(record, vocab, file=file, fallback_line=line)
        result.problems.extend(problems)
        if werkplek is not None and not row_problems:
            result.werkplekken.append(werkplek)
    if not result.werkplekken and not result.problems:
        result.problems.append(Problem(NO_CSV_WERKPLEKKEN, file=file, line=2))
    _check_unique(result, names, file)
    return result


# Which reader a werkplek file gets, by its extension (anything else is read as YAML).
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # .xls gets a message: save it as .xlsx


def read_werkplekken(path: Path, vocab: Vocabulary) -> ReadResult:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from spoorwijzer.spreadsheet import read_xlsx  # openpyxl only when an Excel file is read

        return read_xlsx(path, vocab)
    if suffix in JSONL_SUFFIXES:
        from spoorwijzer.stroom import read_all  # JSON-lines is read record by record there

        return read_all(path, vocab)
    if suffix in CSV_SUFFIXES:
        return parse_csv(yamlio.read_text(path), str(path), vocab)
    # MAX_YAML_BYTES is looked up here, at call time, so it can be changed (and tested) in one place.
    return parse_yaml(yamlio.read_text(path, MAX_YAML_BYTES, TOO_LARGE_HINT), str(path), vocab)
