"""Two processes for one big CSV -> CSV batch, where the system can fork (Linux, macOS).

The parent works on the first half, a forked child on the second half; each writes its output to
a temporary file, so neither waits for the other, and the parent hands on both in order.
- CSV -> CSV (csvsnel.py): the halves are halves of the file's chunks (the child reads the first
  half too, without working on it: the reader must count its lines). Only a clean result is used:
  both halves without any problem and no naam in both; anything else (a problem, a doubled naam, a
  child that failed) and the whole file is done again in one process, so every message comes in the
  order and words of the one-process way.
- YAML -> csv/json/jsonl (stroom.py): the file is read and checked whole first; the halves are
  halves of its werkplekken, advised and written in two processes.

`SPOORWIJZER_PROCESSEN=1` keeps everything in one process.
"""

from __future__ import annotations

import marshal
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

PARALLEL_FROM = 40_000  # lines in the file; below this a second process costs more than it saves
ENVIRONMENT = "SPOORWIJZER_PROCESSEN"


@dataclass(frozen=True)
class Deel:
    """The chunks one process works on: from `first` up to `stop` (None: to the end)."""

    first: int
    stop: int | None


BLOCK = 1 << 20  # bytes of output handed on at a time


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every system
        return os.cpu_count() or 1


def available() -> bool:
    """Whether a second process may be used: the system can fork, there is a second core, and the
    user did not ask for one process (`SPOORWIJZER_PROCESSEN=1`)."""
    if not hasattr(os, "fork") or os.environ.get(ENVIRONMENT, "").strip() == "1":
        return False
    return cores() >= 2


def worth_it(lines: int) -> bool:
    """Whether a CSV file of this many lines goes in two processes."""
    return lines >= PARALLEL_FROM and available()


def in_two(work: Callable[[Deel, BinaryIO], Any], split: int) -> tuple[Any, Any, Iterator[bytes]] | None:
    """`work` over chunks [0, split) here and [split, end) in a child process, each writing its
    output to its own temporary file as it goes (so neither waits for the other). Returns what `work`
    returned here and in the child (plain values), and both outputs in order, a block at a time; or
    None when the child failed (then the caller does it all in one process)."""
    try:
        # Closed by _blocks when the output is read (or dropped), or below when it is not used.
        mine, theirs = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
    except OSError:  # no room for temporary files: one process, as without fork
        return None
    try:
        try:
            pid = os.fork()
        except OSError:  # too many processes, or not allowed here
            raise _NotClean from None
        if pid == 0:  # the child: its half into its file, then gone without running any cleanup
            code = 1
            try:
                theirs.write(bytes(8))  # room for where the result of `work` starts (it comes last)
                result = work(Deel(split, None), theirs)
                end = theirs.tell()
                theirs.write(marshal.dumps(result))
                theirs.seek(0)
                theirs.write(end.to_bytes(8, "little"))
                theirs.flush()
                code = 0
            finally:
                os._exit(code)
        try:
            result = work(Deel(0, split), mine)
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            raise _NotClean
        theirs.seek(0)
        end = int.from_bytes(theirs.read(8), "little")
        theirs.seek(end)
        their_result = marshal.loads(theirs.read())  # noqa: S302 - our own child wrote it, just now
    except _NotClean:
        mine.close()
        theirs.close()
        return None
    except BaseException:
        mine.close()
        theirs.close()
        raise
    return result, their_result, _blocks(mine, theirs, 8, end)


class _NotClean(Exception):
    pass


def _blocks(mine: BinaryIO, theirs: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    with mine, theirs:
        mine.seek(0)
        while block := mine.read(BLOCK):
            yield block
        theirs.seek(start)
        left = end - start
        while left > 0 and (block := theirs.read(min(BLOCK, left))):
            left -= len(block)
            yield block
