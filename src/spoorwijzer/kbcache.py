"""A cache of the parsed knowledge-base files, so a start does not parse ~18 YAML files (~40 ms).

The YAML files stay the source of truth. The cache holds, per data folder, the exact bytes of
every data file next to what they parse to; it is used only when all bytes are still identical,
so an edited, added or removed file can never give a stale answer. The cache is `marshal` data
(plain values only: it cannot run code); dates are stored as text with their place. Anything
wrong with the cache (missing, unreadable, another Python, not writable) silently means: parse
the YAML as usual.

Where: `$SPOORWIJZER_CACHE` (a folder; `uit` switches the cache off), else `$XDG_CACHE_HOME/spoorwijzer`
or `~/.cache/spoorwijzer` (Windows: `%LOCALAPPDATA%\\spoorwijzer`).
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spoorwijzer import __version__

CACHE_ENV = "SPOORWIJZER_CACHE"
OFF = frozenset({"uit", "0", "nee", "off", "no", "false"})
# Bump when the stored layout changes.
FORMAT = 1


def cache_dir() -> Path | None:
    """The cache folder, or None when the user switched the cache off."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value:
        return None if value.lower() in OFF else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return (Path(base) if base else Path.home() / ".cache") / "spoorwijzer"


def _data_files(base: Path) -> list[Path]:
    # A superset of what load_kennisbank reads: any other .yaml in the folder only costs a re-parse.
    return sorted([*base.glob("*.yaml"), *(base / "cases").glob("*.yaml")])


def _dates_out(value: Any, path: tuple[Any, ...], dates: list[tuple[Any, ...]]) -> Any:
    """A copy without dates (marshal cannot store them); their places go to `dates`."""
    if isinstance(value, dict):
        return {k: _dates_out(v, (*path, k), dates) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_out(v, (*path, i), dates) for i, v in enumerate(value)]
    if isinstance(value, dt.datetime):
        dates.append((*path, "datetime"))
        return value.isoformat()
    if isinstance(value, dt.date):
        dates.append((*path, "date"))
        return value.isoformat()
    return value


def _dates_in(data: dict[str, Any], dates: list[tuple[Any, ...]]) -> None:
    for place in dates:
        *keys, kind = place
        parent = data
        for key in keys[:-1]:
            parent = parent[key]
        convert = dt.datetime.fromisoformat if kind == "datetime" else dt.date.fromisoformat
        parent[keys[-1]] = convert(parent[keys[-1]])


class CachedReader:
    """`read(path)` gives the parsed YAML of a data file: from the cache when valid, else via `parse`."""

    def __init__(self, base: Path, parse: Callable[[Path], Any]) -> None:
        self.base = base
        self.parse = parse
        self.folder = cache_dir()
        self.cached: dict[str, Any] = {}
        self.sources: dict[str, bytes] = {}
        self.parsed: dict[str, Any] = {}
        self.missed = False
        if self.folder is None:
            return
        try:
            self.sources = {self._name(p): p.read_bytes() for p in _data_files(base)}
        except OSError:
            self.folder = None
            return
        self.cached = self._load()

    def _name(self, path: Path) -> str:
        return path.relative_to(self.base).as_posix()

    def _file(self) -> Path:
        assert self.folder is not None
        where = zlib.crc32(str(self.base.resolve()).encode("utf-8"))
        python = f"{sys.implementation.cache_tag}-m{marshal.version}"
        return self.folder / f"kennisbank-{where:08x}-{python}.marshal"

    def _load(self) -> dict[str, Any]:
        try:
            # The user's own cache folder, trusted like Python's own __pycache__ (whose code runs).
            stored = marshal.loads(self._file().read_bytes())  # noqa: S302
            if (
                not isinstance(stored, dict)
                or stored.get("format") != FORMAT
                or stored.get("versie") != __version__
                or stored.get("bronnen") != self.sources
            ):
                return {}
            data: dict[str, Any] = stored["data"]
            _dates_in(data, stored["datums"])
            return data
        except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
            return {}

    def __call__(self, path: Path) -> Any:
        if self.folder is None:
            return self.parse(path)
        try:
            name = self._name(path)
        except ValueError:
            return self.parse(path)
        if name in self.cached:
            return self.cached[name]
        self.missed = True
        value = self.parse(path)
        self.parsed[name] = value
        return value

    def save(self) -> None:
        """Store what was parsed (only after a miss, and only when the whole load succeeded)."""
        if self.folder is None or not self.missed:
            return
        dates: list[tuple[Any, ...]] = []
        data = {name: _dates_out(value, (name,), dates) for name, value in self.parsed.items()}
        stored = {"format": FORMAT, "versie": __version__, "bronnen": self.sources, "data": data, "datums": dates}
        target = self._file()
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(marshal.dumps(stored))
            os.replace(temp, target)
        except (OSError, ValueError):
            # A read-only home or an unmarshallable value: no cache, same answers.
            try:
                temp.unlink()
            except OSError:
                pass
