"""Errors the user can fix (exit 2) and the problems they carry.

A `Problem` names where (file, line, column, werkplek, field), what is wrong and what is allowed;
`UserError` carries all problems of one input, so a user sees every mistake at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    werkplek: str | None = None
    field: str | None = None
    allowed: str | None = None
    onderdeel: str | None = None  # an item of the kennisbank, e.g. "partner 'wsp'"
    # The line where the werkplek starts: groups its problems, also for a werkplek without a naam.
    werkplek_regel: int | None = None
    # The place inside the file as the user's program names it ("blad 'werkplekken', rij 3, kolom C");
    # shown instead of ':line:column', while `file` stays the path so problems still group per file.
    plaats: str | None = None
    # The werkplek's place in its group heading ("rij 3" in a workbook) instead of "regel N".
    werkplek_plaats: str | None = None

    def render(self) -> str:
        where = []
        if self.file:
            place = self.file
            if self.plaats:
                place += f", {self.plaats}"
            elif self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            where.append(place)
        if self.werkplek:
            where.append(f"werkplek '{self.werkplek}'")
        if self.onderdeel:
            where.append(self.onderdeel)
        if self.field:
            where.append(f"veld '{self.field}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.allowed:
            text += f" Toegestaan: {self.allowed}."
        return text


@dataclass
class UserError(Exception):
    """Bad input or usage: the CLI prints every problem and exits with status 2."""

    problems: list[Problem] = field(default_factory=list)
    # Replaces the usual first line ("er is iets mis met de invoer"), e.g. when werkplekken were skipped.
    heading: str | None = None

    @classmethod
    def single(cls, message: str, **where: object) -> UserError:
        return cls([Problem(message, **where)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class DataError(Exception):
    """The knowledge base (data/*.yaml) is broken: a bug in shipped or organisation data."""


def render_grouped(problems: list[Problem]) -> list[str]:
    """Problems as indented lines: those of the file as a whole first, then one block per werkplek.

    A werkplek's block starts with "werkplek 'X' (regel N):" ("(rij N)" in a workbook: its
    `werkplek_plaats`) and its problems follow without repeating the werkplek. Blocks and the
    problems in them are in the order of the file.
    """
    loose: list[str] = []
    groups: dict[tuple[str | None, int | None, str | None], list[Problem]] = {}
    for problem in problems:
        if problem.werkplek is None and problem.werkplek_regel is None:
            loose.append(f"  - {problem.render()}")
        else:
            groups.setdefault((problem.file, problem.werkplek_regel, problem.werkplek), []).append(problem)
    lines = loose
    for (_, regel, naam), members in sorted(groups.items(), key=lambda item: _line_order(item[0][1])):
        name = f"werkplek '{naam}'" if naam else "werkplek zonder naam"
        plaats = next((p.werkplek_plaats for p in members if p.werkplek_plaats), None)
        plaats = plaats or (f"regel {regel}" if regel is not None else None)
        lines.append(f"  {name}" + (f" ({plaats})" if plaats else "") + ":")
        for problem in sorted(members, key=lambda p: _line_order(p.line)):
            lines.append(f"    - {replace(problem, werkplek=None).render()}")
    return lines


def _line_order(line: int | None) -> tuple[bool, int]:
    return (line is None, line or 0)


def count_text(problems: list[Problem]) -> str:
    """'4 problemen in 3 werkplekken.' (the werkplekken only when the problems belong to any)."""
    werkplekken = {(p.file, p.werkplek_regel, p.werkplek) for p in problems if p.werkplek or p.werkplek_regel}
    text = f"{len(problems)} {'probleem' if len(problems) == 1 else 'problemen'}"
    if werkplekken:
        text += f" in {len(werkplekken)} {'werkplek' if len(werkplekken) == 1 else 'werkplekken'}"
    return text + "."


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """A Dutch 'bedoelt u ...?' hint for a typo, or an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" Bedoelt u '{close[0]}'?" if close else ""


def allowed_list(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(values)
