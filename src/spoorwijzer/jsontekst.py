"""The JSON text of an advice, fast, as UTF-8 bytes: exactly the bytes of
`json.dumps(output.advies_to_dict(advies, top), ensure_ascii=False, indent=2, default=str)`.

Python's json module has no C encoder for indented output, and an advice is some 22 kB of JSON,
most of it the same partners, instruments, cases and reasons again and again. Those shared parts
(objects the engine keeps and reuses) are encoded once per indentation and spliced in; only the
parts that belong to one werkplek (name, answers, scores) are encoded each time. The text is kept
as bytes, so writing 200 MB of output needs no second pass to encode it.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from spoorwijzer.engine import Advies, Reden, SpoorScore
from spoorwijzer.output import cut_sporen

MEMO_LIMIT = 50_000  # shared pieces remembered; far more than a knowledge base has


def _string(text: str) -> bytes:
    return encode_basestring(text).encode()  # type: ignore[no-any-return]


def _value(value: Any, ind: str) -> str:
    """Any JSON value as text, as json.dumps(indent=2) writes it at indentation `ind` ("\\n" + spaces)."""
    if isinstance(value, str):
        return encode_basestring(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value) if value == value and abs(value) != float("inf") else json.dumps(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = ind + "  "
        return "[" + inner + ("," + inner).join(_value(item, inner) for item in value) + ind + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(key, str) for key in value):
            return json.dumps(value, ensure_ascii=False, indent=2, default=str).replace("\n", ind)
        inner = ind + "  "
        items = (encode_basestring(key) + ": " + _value(item, inner) for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + ind + "}"
    return encode_basestring(str(value))  # type: ignore[no-any-return]  # default=str (dates)


class JsonTekst:
    """Encodes adviezen; remembers the encoded text of shared objects (by identity, kept alive)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, str], tuple[object, bytes]] = {}
        self._plain_memo: dict[tuple[type, Any, str], bytes] = {}
        self._item_memo: dict[tuple[str, Any, str], bytes] = {}

    def _shared(self, item: Any, ind: str) -> bytes:
        """`item` (a shared, read-only object of the engine) at indentation `ind`, encoded once."""
        key = (id(item), ind)
        found = self._memo.get(key)
        if found is not None and found[0] is item:
            return found[1]
        text = _value(item, ind).encode()
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = (item, text)
        return text

    def _plain(self, value: Any, ind: str) -> bytes:
        """A small hashable value (a score, a list of texts as a tuple) that recurs: encoded once."""
        key = (type(value), value, ind)  # the type too: 1 == 1.0, but they are written differently
        found = self._plain_memo.get(key)
        if found is None:
            found = _value(value, ind).encode()
            if len(self._plain_memo) >= MEMO_LIMIT:
                self._plain_memo.clear()
            self._plain_memo[key] = found
        return found

    def _antwoorden(self, antwoorden: dict[str, Any], ind: str) -> bytes:
        if not antwoorden:
            return b"{}"
        inner = ind + "  "
        memo = self._item_memo
        items = []
        for key, value in antwoorden.items():
            try:
                text = memo.get((key, value, inner))  # answers are texts or tuples of texts
            except TypeError:  # a list: not remembered
                text = (encode_basestring(key) + ": " + _value(value, inner)).encode()
            if text is None:
                plain = list(value) if isinstance(value, tuple) else value
                text = (encode_basestring(key) + ": " + _value(plain, inner)).encode()
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[(key, value, inner)] = text
            items.append(text)
        return b"{" + inner.encode() + ("," + inner).encode().join(items) + ind.encode() + b"}"

    def _reden(self, reden: Reden, ind: str) -> tuple[bytes, bytes]:
        """(the rendered reason as a JSON string, its `bronnen` object), encoded once per reason."""
        key = (id(reden), ind)
        found = self._memo.get(key)
        if found is not None and found[0] is reden:
            return found[1]  # type: ignore[return-value]
        bron = {"vraag": reden.vraag, "antwoord": reden.antwoord, "gewicht": float(reden.gewicht), "bron": reden.bron}
        pair = (_string(reden.render()), _value(bron, ind).encode())
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = (reden, pair)  # type: ignore[assignment]
        return pair

    def _list(self, items: list[Any], ind: str) -> bytes:
        if not items:
            return b"[]"
        inner = ind + "  "
        joined = ("," + inner).encode().join(self._shared(item, inner) for item in items)
        return b"[" + inner.encode() + joined + ind.encode() + b"]"

    def _spoor(self, item: SpoorScore, ind: str, afgewezen: bool) -> bytes:
        i1 = ind + "  "
        s1 = i1.encode()
        spoor = item.spoor
        key = (id(spoor), ind)
        found = self._memo.get(key)
        if found is not None and found[0] is spoor:
            head = found[1]
        else:
            fields = {"nummer": spoor.nummer, "id": spoor.id, "naam": spoor.naam}
            head = _value(fields, ind)[: -len(ind) - 1].encode() + b"," + s1 + b'"score": '
            self._memo[key] = (spoor, head)
        parts = [head, self._plain(float(item.score), i1)]
        if not afgewezen:
            parts += [b",", s1, b'"gelijk": ', b"true" if item.gelijk else b"false"]
        i2 = i1 + "  "
        pairs = [self._reden(reden, i2) for reden in item.redenen]
        separator = ("," + i2).encode()
        close = s1 + b"]"
        if pairs:
            parts += [b",", s1, b'"redenen": [', i2.encode(), separator.join(p[0] for p in pairs), close]
        else:
            parts += [b",", s1, b'"redenen": []']
        if not afgewezen:
            if pairs:
                parts += [b",", s1, b'"bronnen": [', i2.encode(), separator.join(p[1] for p in pairs), close]
            else:
                parts += [b",", s1, b'"bronnen": []']
        parts += [ind.encode(), b"}"]
        return b"".join(parts)

    def advies(self, advies: Advies, top: int | None = None, indent: int = 0) -> bytes:
        """The advice as JSON, its lines indented by `indent` more spaces (the first line excepted)."""
        ind = "\n" + " " * indent
        i1 = ind + "  "
        s1 = ("," + i1).encode()
        parts = [b"{", i1.encode(), b'"naam": ', _string(advies.naam)]
        if advies.omschrijving:
            parts += [s1, b'"omschrijving": ', _string(advies.omschrijving)]
        if advies.opmerking:
            parts += [s1, b'"opmerking": ', _string(advies.opmerking)]
        parts += [s1, b'"antwoorden": ', self._antwoorden(advies.antwoorden, i1)]
        i2 = i1 + "  "
        s2 = ("," + i2).encode()
        sporen = cut_sporen(advies.sporen, top)
        if sporen:
            joined = s2.join(self._spoor(item, i2, False) for item in sporen)
            parts += [s1, b'"sporen": [', i2.encode(), joined, i1.encode(), b"]"]
        else:
            parts += [s1, b'"sporen": []']
        parts += [s1, b'"advies_sporen": ', self._plain(tuple(s.nummer for s in advies.advies_sporen), i1)]
        parts += [s1, b'"partners": ', self._list(advies.partners, i1)]
        parts += [s1, b'"instrumenten": ', self._list(advies.instrumenten, i1)]
        parts += [s1, b'"cases": ', self._list(advies.cases, i1)]
        parts += [s1, b'"waarschuwingen": ', self._plain(tuple(advies.waarschuwingen), i1)]
        parts += [s1, b'"let_op": ', self._plain(tuple(advies.let_op), i1)]
        parts += [s1, b'"onbeantwoord": ', self._plain(tuple(advies.onbeantwoord), i1)]
        if advies.afgewezen:
            joined = s2.join(self._spoor(item, i2, True) for item in advies.afgewezen)
            parts += [s1, b'"afgewezen": [', i2.encode(), joined, i1.encode(), b"]"]
        else:
            parts += [s1, b'"afgewezen": []']
        parts += [ind.encode(), b"}"]
        return b"".join(parts)
