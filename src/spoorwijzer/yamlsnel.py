"""A fast reader for plain werkplek files, straight from libyaml's event stream.

PyYAML's loader builds a node tree and then Python objects from it, with a Python call per node;
for a big werkplek file that is most of the time spent reading. The files users write are plain:
a list of werkplekken with a scalar or a short list per key. `fast_load` builds exactly that data
from the parser's events, resolving and constructing each distinct plain value once with PyYAML's
own resolver and SafeConstructor, so the values are the very ones the careful reader gives.

Anything else (no C parser, a tag, anchor or alias, a key written twice, a merge key, a key that
is not text, deeper nesting, a value that cannot be built, a YAML error, several documents, an
empty file) gives None: the careful reader (`yamlio.load_with_lines`) then reads the file and
reports what is wrong in Dutch, as it always did.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from spoorwijzer import yamlio

_STR = "tag:yaml.org,2002:str"
# What a plain scalar may resolve to here; merge ('<<'), value ('=') and the rest go the careful way.
_BUILT = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))
_PLAIN = (True, False)  # the `implicit` of a plain scalar without a tag


class _Fallback(Exception):
    """The file is not one of the plain shapes: let the careful reader have it."""


def fast_load(text: str) -> tuple[Any, dict[int, int]] | None:
    """The data and mapping lines `yamlio.load_with_lines` would give for `text`, or None.

    Read are a top-level list of werkplekken, a top-level mapping with a single key holding
    that list (`werkplekken:`), or one werkplek as a top-level mapping; a werkplek maps text keys
    to scalars or lists of scalars. The second item maps `id()` of each mapping built to its first
    line, as `load_with_lines` does. None means: read it the careful way (nothing is reported here).
    """
    try:
        from yaml._yaml import CParser  # part of PyYAML when it was built with libyaml
    except ImportError:
        return None
    try:
        return _Reader(CParser(text)).document()
    except (_Fallback, yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return None


class _Reader:
    def __init__(self, parser: Any) -> None:
        self.get = parser.get_event
        self.lines: dict[int, int] = {}
        # Each distinct plain scalar is resolved and built once: a file says "ja" thousands of times.
        self.plain: dict[str, Any] = {}
        # The careful reader's own resolver and constructor, so values match exactly.
        self.loader = yamlio.SafeLoader("")

    def document(self) -> tuple[Any, dict[int, int]]:
        get = self.get
        if type(get()) is not StreamStartEvent:
            raise _Fallback
        start = get()
        if type(start) is not DocumentStartEvent or start.version is not None or start.tags:
            raise _Fallback  # an empty file, or a %YAML/%TAG directive
        root = get()
        if type(root) is SequenceStartEvent:
            data: Any = self.sequence(root, records=True)
            if data and type(data[0]) is not dict:
                raise _Fallback  # a list of loose values, not of werkplekken
        elif type(root) is MappingStartEvent:
            data = self.mapping(root, root=True)
        else:
            raise _Fallback  # a lone value: the careful reader says what is expected
        if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
            raise _Fallback  # more than one document
        return data, self.lines

    def mapping(self, start: Any, root: bool = False) -> dict[str, Any]:
        """A werkplek (or, at the root, the mapping holding the list): text keys, each once."""
        if start.anchor is not None or start.tag is not None:
            raise _Fallback
        data: dict[str, Any] = {}
        self.lines[id(data)] = start.start_mark.line + 1
        get, scalar = self.get, self.scalar
        holds_records = False
        while True:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent:
                # A list of werkplekken is only read as the single value of the top-level mapping.
                if holds_records and len(data) != 1:
                    raise _Fallback
                return data
            if kind is not ScalarEvent:
                raise _Fallback  # a list or mapping as key
            key = scalar(event)
            if type(key) is not str or key in data:
                raise _Fallback  # a key that is not text (yes, 12, ~, <<), or a key written twice
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                data[key] = scalar(event)
            elif kind is SequenceStartEvent:
                value = self.sequence(event, records=root)
                holds_records = holds_records or (bool(value) and type(value[0]) is dict)
                data[key] = value
            else:
                raise _Fallback  # a mapping inside a werkplek

    def sequence(self, start: Any, records: bool) -> list[Any]:
        """A list of scalars or, where `records`, possibly a list of werkplekken (never mixed)."""
        if start.anchor is not None or start.tag is not None:
            raise _Fallback
        items: list[Any] = []
        get, scalar = self.get, self.scalar
        event = get()
        if type(event) is MappingStartEvent and records:
            while type(event) is MappingStartEvent:
                items.append(self.mapping(event))
                event = get()
        else:
            while type(event) is ScalarEvent:
                items.append(scalar(event))
                event = get()
        if type(event) is not SequenceEndEvent:
            raise _Fallback  # mixed or nested lists, an alias
        return items

    def scalar(self, event: Any) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise _Fallback
        value: str = event.value
        if not event.implicit[0]:
            return value  # quoted, literal (|) or folded (>): always text
        try:
            return self.plain[value]
        except KeyError:
            pass
        loader = self.loader
        tag = loader.resolve(ScalarNode, value, _PLAIN)
        if tag == _STR:
            built: Any = value
        elif tag in _BUILT:
            built = loader.construct_object(ScalarNode(tag, value))
        else:
            raise _Fallback
        self.plain[value] = built
        return built
