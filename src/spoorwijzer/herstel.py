"""Answers from a file for `advies` (`--antwoorden`, `--hervat`) and the recovery file after an interruption.

The recovery file is an ordinary werkplek file (so `match` reads it too), written whole or not
at all and never over an existing file: a second interruption gets a new name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tempfile
from pathlib import Path

from spoorwijzer.engine import Antwoorden
from spoorwijzer.errors import UserError, allowed_list
from spoorwijzer.werkplek import Vocabulary, Werkplek

PREFIX = "spoorwijzer-herstel-"


def kies_werkplek(path: Path, vocab: Vocabulary, naam: str | None, option: str) -> Werkplek:
    """The werkplek to continue from: the only one in the file, or the one `--naam` names."""
    from spoorwijzer.werkplek import read_werkplekken

    if not path.is_file():
        raise UserError.single(
            "Dit bestand bestaat niet (of is een map).",
            file=str(path),
            field=option,
            allowed="een werkplekbestand: YAML, CSV, JSON-lines of Excel (.xlsx)",
        )
    result = read_werkplekken(path, vocab)
    if result.problems:
        raise UserError(result.problems)
    werkplekken = result.werkplekken
    if naam is not None:
        for werkplek in werkplekken:
            if werkplek.naam.strip().lower() == naam.strip().lower():
                return werkplek
        if len(werkplekken) == 1:
            return werkplekken[0]  # one werkplek: --naam gives it a (new) name
    if len(werkplekken) == 1:
        return werkplekken[0]
    namen = [w.naam for w in werkplekken]
    if naam is None:
        raise UserError.single(
            f"Dit bestand bevat {len(werkplekken)} werkplekken; kies er één met --naam.",
            file=str(path),
            field="--naam",
            allowed=allowed_list(namen),
        )
    close = difflib.get_close_matches(naam.strip().lower(), [n.lower() for n in namen], n=1, cutoff=0.6)
    # The name as written in the file, not lowercased.
    hint = f" Bedoelt u '{next(n for n in namen if n.lower() == close[0])}'?" if close else ""
    raise UserError.single(
        f"Het bestand heeft geen werkplek '{naam}'.{hint}", file=str(path), field="--naam", allowed=allowed_list(namen)
    )


def _slug(naam: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", naam.lower()).strip("-")
    return text[:40].rstrip("-")


def herstel_naam(naam: str | None, now: dt.datetime) -> str:
    """`spoorwijzer-herstel-<naam>.yaml`, or with the time when there is no usable name yet."""
    slug = _slug(naam or "") or now.strftime("%Y%m%d-%H%M%S")
    return f"{PREFIX}{slug}.yaml"


def _write_new(directory: Path, name: str, text: str) -> Path:
    """Write a new file whole (temp file, then a hard link that fails if the name exists)."""
    stem, suffix = name.removesuffix(".yaml"), ".yaml"
    fd, temp_name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        for number in range(1, 1000):
            target = directory / (name if number == 1 else f"{stem}-{number}{suffix}")
            try:
                os.link(temp_name, target)  # atomic and never replaces an existing file
                return target
            except FileExistsError:
                continue
            except OSError:
                # A file system without hard links: exclusive create, then write.
                try:
                    with open(target, "x", encoding="utf-8", newline="") as handle:
                        handle.write(text)
                    return target
                except FileExistsError:
                    continue
        raise OSError("geen vrije bestandsnaam")
    finally:
        try:
            os.unlink(temp_name)
        except OSError:
            pass


def bewaar_herstel(text: str, naam: str | None, now: dt.datetime, directory: Path | None = None) -> Path:
    """Save `text` as a new recovery file in `directory` (default: the current one), else the temp dir."""
    name = herstel_naam(naam, now)
    places = [directory or Path.cwd(), Path(tempfile.gettempdir())]
    last_error: OSError | None = None
    for place in places:
        try:
            return _write_new(place, name, text)
        except OSError as error:
            last_error = error
    raise last_error or OSError("niet geschreven")


def samenvoegen(uit_bestand: Antwoorden, opties: Antwoorden, vraag_ids: tuple[str, ...]) -> Antwoorden:
    """Answers from a file with the command line's answers on top, in question order."""
    merged = {**uit_bestand, **opties}
    return {v: merged[v] for v in vraag_ids if v in merged}
