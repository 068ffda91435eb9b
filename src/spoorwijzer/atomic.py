"""Write output files whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from spoorwijzer.errors import UserError


def write_atomic(path: Path, text: str | bytes, *, protect: tuple[Path, ...] = ()) -> None:
    """Write `text` (or bytes, e.g. a workbook) to `path` atomically; refuse to overwrite any of `protect`."""
    target = path.expanduser()
    for other in protect:
        try:
            if target.exists() and other.exists() and os.path.samefile(target, other):
                raise UserError.single(
                    "Dit is het invoerbestand: spoorwijzer overschrijft uw invoer niet. Kies een andere naam.",
                    file=str(path),
                    field="--uitvoer",
                )
        except OSError:
            continue
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise UserError.single("De map voor dit uitvoerbestand bestaat niet.", file=str(path), field="--uitvoer")
    if target.is_dir():
        raise UserError.single("Dit is een map, geen bestand.", file=str(path), field="--uitvoer")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise UserError.single(
            f"Kan hier niet schrijven ({exc.strerror}).", file=str(path), field="--uitvoer"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temp_name, target.stat().st_mode & 0o777)
        else:
            os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException as exc:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise UserError.single(
                f"Schrijven is mislukt ({exc.strerror}); een bestaand bestand is ongewijzigd.",
                file=str(path),
                field="--uitvoer",
            ) from None
        raise


def write_atomic_stream(path: Path, chunks: Iterable[str] | Iterable[bytes], *, protect: tuple[Path, ...] = ()) -> None:
    """Like `write_atomic`, for output produced piece by piece (a big batch is never held whole).
    The pieces are text, or bytes that are UTF-8 text already."""
    target = path.expanduser()
    # The same checks as write_atomic (kept separate so that function stays as it is).
    for other in protect:
        try:
            if target.exists() and other.exists() and os.path.samefile(target, other):
                raise UserError.single(
                    "Dit is het invoerbestand: spoorwijzer overschrijft uw invoer niet. Kies een andere naam.",
                    file=str(path),
                    field="--uitvoer",
                )
        except OSError:
            continue
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise UserError.single("De map voor dit uitvoerbestand bestaat niet.", file=str(path), field="--uitvoer")
    if target.is_dir():
        raise UserError.single("Dit is een map, geen bestand.", file=str(path), field="--uitvoer")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise UserError.single(
            f"Kan hier niet schrijven ({exc.strerror}).", file=str(path), field="--uitvoer"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode() if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temp_name, target)
    except BaseException as exc:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise UserError.single(
                f"Schrijven is mislukt ({exc.strerror}); een bestaand bestand is ongewijzigd.",
                file=str(path),
                field="--uitvoer",
            ) from None
        raise
