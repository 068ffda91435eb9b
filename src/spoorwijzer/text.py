"""Small text helpers shared by the renderers and the engine."""

from __future__ import annotations

from typing import Any


def one_line(value: object) -> str:
    """Folded YAML text (or None) as a single line with single spaces."""
    return " ".join(str(value).split()) if value is not None else ""


def all_texts(value: Any) -> list[str]:
    """Every scalar inside nested mappings and lists, as text (for searching and checks)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in all_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in all_texts(v)]
    return [str(value)]
