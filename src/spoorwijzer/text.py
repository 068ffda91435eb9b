"""Small text helpers shared by the renderers and the engine."""

from __future__ import annotations


def one_line(value: object) -> str:
    """Folded YAML text (or None) as a single line with single spaces."""
    return " ".join(str(value).split()) if value is not None else ""
