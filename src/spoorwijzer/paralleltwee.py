"""Two processes for one big CSV -> CSV batch, where the system can fork (Linux, macOS).

The parent works on the first half of the file's chunks, a forked child on the second half (the
child reads the first half too, without working on it: the reader must count its lines). The
child writes its output to a temporary file, so neither waits for the other. Only a clean result
is used: both halves without any problem, and no naam in both halves. Anything else (a problem, a
doubled naam, a child that failed or was stopped) gives None, and the caller does the whole file
again in one process: every message then comes in the order and words of the one-process way.

`SPOORWIJZER_PROCESSEN=1` keeps everything in one process.
"""

from __future__ import annotations

import marshal
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

PARALLEL_FROM = 40_000  # lines in the file; below this a second process costs more than it saves
ENVIRONMENT = "SPOORWIJZER_PROCESSEN"


@dataclass(frozen=True)
class Deel:
    """The chunks one process works on: from `first` up to `stop` (None: to the end)."""

    first: int
    stop: int | None


Uitkomst = tuple[bool, list[str]]  # (no problem in this half, its namen in lower case)
BLOCK = 1 << 20  # bytes of output handed on at a time


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every system
        return os.cpu_count() or 1


def worth_it(lines: int) -> bool:
    """Whether a file of this many lines goes in two processes."""
    if not hasattr(os, "fork") or os.environ.get(ENVIRONMENT, "").strip() == "1":
        return False
    return lines >= PARALLEL_FROM and cores() >= 2


def in_two(work: Callable[[Deel, BinaryIO], Uitkomst], split: int) -> Iterator[bytes] | None:
    """The output of `work` over chunks [0, split) here and [split, end) in a child process, each
    written to a temporary file as it goes; None when the result is not clean (then the caller does
    it all in one process). On success, the two files' bytes in order, a block at a time."""
    # Closed by _blocks when the output is read (or dropped), or below when it is not used.
    mine, theirs = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
    try:
        pid = os.fork()
        if pid == 0:  # the child: its half into its file, then gone without running any cleanup
            code = 1
            try:
                header_at = theirs.tell()
                theirs.write(bytes(8))  # room for the length of the header, which comes last
                schoon, namen = work(Deel(split, None), theirs)
                header = marshal.dumps((schoon, namen))
                size = theirs.tell()
                theirs.write(header)
                theirs.seek(header_at)
                theirs.write(size.to_bytes(8, "little"))
                theirs.flush()
                code = 0
            finally:
                os._exit(code)
        try:
            schoon, namen = work(Deel(0, split), mine)
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not schoon:
            raise _NotClean
        theirs.seek(0)
        end = int.from_bytes(theirs.read(8), "little")
        theirs.seek(end)
        their_schoon, their_namen = marshal.loads(theirs.read())  # noqa: S302 - our own child wrote it, just now
        if not their_schoon or not set(namen).isdisjoint(their_namen):
            raise _NotClean
    except _NotClean:
        mine.close()
        theirs.close()
        return None
    except BaseException:
        mine.close()
        theirs.close()
        raise
    return _blocks(mine, theirs, 8, end)


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
