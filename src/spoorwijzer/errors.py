"""Errors the user can fix (exit 2) and the problems they carry.

A `Problem` names where (file, line, column, werkplek, field), what is wrong and what is allowed;
`UserError` carries all problems of one input, so a user sees every mistake at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    werkplek: str | None = None
    field: str | None = None
    allowed: str | None = None

    def render(self) -> str:
        where = []
        if self.file:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            where.append(place)
        if self.werkplek:
            where.append(f"werkplek '{self.werkplek}'")
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

    @classmethod
    def single(cls, message: str, **where: object) -> UserError:
        return cls([Problem(message, **where)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class DataError(Exception):
    """The knowledge base (data/*.yaml) is broken: a bug in shipped or organisation data."""


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """A Dutch 'bedoelt u ...?' hint for a typo, or an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" Bedoelt u '{close[0]}'?" if close else ""


def allowed_list(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(values)
