"""The JSON text of an advice, fast, as UTF-8 bytes: exactly the bytes of
`json.dumps(output.advies_to_dict(advies, top), ensure_ascii=False, indent=2, default=str)`.

Python's json module has no C encoder for indented output, and an advice is some 22 kB of JSON,
most of it the same partners, instruments, cases and reasons again and again. Those shared parts
(objects the engine keeps and reuses) are encoded once per indentation and spliced in; only the
parts that belong to one werkplek (name, answers, scores) are encoded each time. The reasons of a
spoor come in parts (`SpoorScore.delen`, one shared tuple per lookup table of the engine): each
part is encoded once, so a spoor's "redenen" and "bronnen" are a few ready chunks. A whole list of
partners (instruments, cases) is remembered by the identity of its items. The text is kept as
bytes, so writing 200 MB of output needs no second pass to encode it.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from spoorwijzer.engine import Advies, Reden, SpoorScore
from spoorwijzer.output import cut_sporen

MEMO_LIMIT = 50_000  # shared pieces remembered; far more than a knowledge base has
LIST_MEMO_BYTES = 4 << 20  # whole lists remembered, in bytes of text; a miss is only a join of remembered items


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


class _Opmaak:
    """The fixed bytes of an advice at one indentation, and what was encoded for it."""

    def __init__(self, indent: int) -> None:
        ind = "\n" + " " * indent
        i1, i2, i3, i4 = ind + "  ", ind + "    ", ind + "      ", ind + "        "
        self.i1, self.i2, self.i4 = i1, i2, i4
        s1 = "," + i1
        self.naam = ("{" + i1 + '"naam": ').encode()
        self.omschrijving = (s1 + '"omschrijving": ').encode()
        self.opmerking = (s1 + '"opmerking": ').encode()
        self.antwoorden = (s1 + '"antwoorden": ').encode()
        self.antwoorden_end = (i1 + "}").encode()
        self.sporen = (s1 + '"sporen": [').encode()
        self.geen_sporen = (s1 + '"sporen": []').encode()
        self.sporen_end = (i1 + "]").encode()
        self.afgewezen = (s1 + '"afgewezen": [').encode()
        self.geen_afgewezen = (s1 + '"afgewezen": []').encode()
        self.fields = {
            name: (s1 + f'"{name}": ').encode()
            for name in ("advies_sporen", "partners", "instrumenten", "cases", "waarschuwingen", "let_op")
        }
        self.onbeantwoord = (s1 + '"onbeantwoord": ').encode()
        self.end = (ind + "}").encode()
        # After a spoor's score, by (gelijk, any reasons): up to its first reason, or the whole rest.
        s3 = "," + i3
        self.na_score: dict[tuple[bool, bool], bytes] = {}
        for gelijk in (False, True):
            head = s3 + '"gelijk": ' + ("true" if gelijk else "false")
            self.na_score[gelijk, True] = (head + s3 + '"redenen": [').encode()
            self.na_score[gelijk, False] = (head + s3 + '"redenen": []' + s3 + '"bronnen": []' + i2 + "}").encode()
        self.bronnen = (i3 + "]" + s3 + '"bronnen": [').encode()
        self.spoor_end = (i3 + "]" + i2 + "}").encode()
        self.afgewezen_redenen = (s3 + '"redenen": [').encode()
        self.afgewezen_geen = (s3 + '"redenen": []' + i2 + "}").encode()
        # Remembered: (id(spoor), score, gelijk, no reasons) -> (spoor, its object up to the first
        # reason: first in its list, after another); the engine's sums are never -0.0, and 1 and 1.0
        # are both written 1.0. id(part of reasons) -> (the part, its "redenen" chunk, its "bronnen"
        # chunk); (question, answer) -> (first, after another).
        # The objects are kept alive with their text, so an id stays theirs.
        self.starts: dict[tuple[object, ...], tuple[object, bytes, bytes]] = {}
        self.afgewezen_starts: dict[tuple[object, ...], tuple[object, bytes, bytes]] = {}
        self.parts: dict[int, tuple[object, bytes, bytes]] = {}
        self.answers: dict[tuple[str, Any], tuple[bytes, bytes]] = {}


class JsonTekst:
    """Encodes adviezen; remembers the encoded text of shared objects (by identity, kept alive)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, str], tuple[object, Any]] = {}
        self._plain_memo: dict[tuple[type, Any, str], bytes] = {}
        self._list_memo: dict[tuple[object, ...], tuple[object, bytes]] = {}  # by the items' identity
        self._list_bytes = 0
        self._opmaak: dict[int, _Opmaak] = {}

    def _shared(self, item: Any, ind: str) -> bytes:
        """`item` (a shared, read-only object of the engine) at indentation `ind`, encoded once."""
        key = (id(item), ind)
        found = self._memo.get(key)
        if found is not None and found[0] is item:
            return found[1]  # type: ignore[no-any-return]
        text = _value(item, ind).encode()
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = (item, text)
        return text

    def _plain(self, value: Any, ind: str) -> bytes:
        """A small hashable value (a list of texts as a tuple) that recurs: encoded once."""
        key = (type(value), value, ind)  # the type too: 1 == 1.0, but they are written differently
        found = self._plain_memo.get(key)
        if found is None:
            found = _value(value, ind).encode()
            if len(self._plain_memo) >= MEMO_LIMIT:
                self._plain_memo.clear()
            self._plain_memo[key] = found
        return found

    def _reden(self, reden: Reden, ind: str) -> tuple[bytes, bytes]:
        """(the rendered reason as a JSON string, its `bronnen` object), encoded once per reason."""
        key = (id(reden), ind)
        found = self._memo.get(key)
        if found is not None and found[0] is reden:
            return found[1]  # type: ignore[no-any-return]
        inner = "," + ind + "  "
        bron = (
            "{" + inner[1:] + '"vraag": ' + _value(reden.vraag, "")
            + inner + '"antwoord": ' + _value(reden.antwoord, "")
            + inner + '"gewicht": ' + _value(float(reden.gewicht), "")
            + inner + '"bron": ' + _value(reden.bron, "") + ind + "}"
        )  # fmt: skip
        pair = (_string(reden.render()), bron.encode())
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = (reden, pair)
        return pair

    def _part(self, part: tuple[Reden, ...], i4: str) -> tuple[object, bytes, bytes]:
        """A (non-empty) part of a spoor's reasons as chunks of its "redenen" and "bronnen" arrays."""
        pairs = [self._reden(reden, i4) for reden in part]
        separator = ("," + i4).encode()
        redenen = i4.encode() + separator.join([p[0] for p in pairs])
        bronnen = i4.encode() + separator.join([p[1] for p in pairs])
        return part, redenen, bronnen

    def _new_part(self, opmaak: _Opmaak, part: tuple[Reden, ...]) -> tuple[object, bytes, bytes]:
        if len(opmaak.parts) >= MEMO_LIMIT:
            opmaak.parts.clear()
        entry = opmaak.parts[id(part)] = self._part(part, opmaak.i4)
        return entry

    def _answer(self, opmaak: _Opmaak, key: str, value: Any) -> tuple[bytes, bytes]:
        plain = list(value) if isinstance(value, tuple) else value
        text = opmaak.i2 + encode_basestring(key) + ": " + _value(plain, opmaak.i2)
        return text.encode(), ("," + text).encode()

    def _antwoorden(self, opmaak: _Opmaak, antwoorden: dict[str, Any], out: list[bytes]) -> None:
        if not antwoorden:
            out.append(b"{}")
            return
        memo = opmaak.answers
        out.append(b"{")
        position = 0
        for key, value in antwoorden.items():
            try:
                entry = memo.get((key, value))  # answers are texts or tuples of texts
            except TypeError:  # a list: not remembered
                entry = self._answer(opmaak, key, value)
            if entry is None:
                entry = self._answer(opmaak, key, value)
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[(key, value)] = entry
            out.append(entry[1] if position else entry[0])
            position = 1
        out.append(opmaak.antwoorden_end)

    def _list(self, items: list[Any], ind: str) -> bytes:
        """A list of shared items (partners, ...): the engine gives the same items for the same
        answers, so the whole list is remembered by their identity (kept alive with the text)."""
        if not items:
            return b"[]"
        key = (ind, *map(id, items))
        found = self._list_memo.get(key)
        if found is None:
            inner = ind + "  "
            joined = ("," + inner).encode().join([self._shared(item, inner) for item in items])
            found = (tuple(items), b"[" + inner.encode() + joined + ind.encode() + b"]")
            self._list_bytes += len(found[1])
            if self._list_bytes > LIST_MEMO_BYTES:
                self._list_memo.clear()
                self._list_bytes = len(found[1])
            self._list_memo[key] = found
        return found[1]

    def _sporen(self, opmaak: _Opmaak, sporen: list[SpoorScore], afgewezen: bool, out: list[bytes]) -> None:
        """The objects of a list of sporen, appended to `out` (the hot loop of a batch)."""
        starts = opmaak.afgewezen_starts if afgewezen else opmaak.starts
        append = out.append
        spoor_end = opmaak.spoor_end
        position = 1  # the index of the start to use: first in the list, then after another
        for item in sporen:
            delen, memo = item.delen, opmaak.parts
            if not delen and item.redenen:  # made elsewhere, without parts: its reasons as one part
                delen = (tuple(item.redenen),)
                memo = {id(delen[0]): self._part(delen[0], opmaak.i4)}  # not remembered: a new tuple
            redenen = any(delen)
            # Everything up to the first reason, in one piece per (spoor, score, gelijk, any reasons).
            spoor = item.spoor
            key = (id(spoor), item.score, item.gelijk, redenen)
            start = starts.get(key)
            if start is None or start[0] is not spoor:
                start = self._start(opmaak, item, afgewezen, not redenen, key)
            append(start[position])
            position = 2
            if not redenen:
                continue
            # Each part of the reasons: its ready "redenen" and "bronnen" chunks, a comma between two.
            more = False
            if afgewezen:
                for part in delen:
                    if part:
                        if more:
                            append(b",")
                        append((memo.get(id(part)) or self._new_part(opmaak, part))[1])
                        more = True
            else:
                bronnen = [opmaak.bronnen]
                for part in delen:
                    if part:
                        chunk = memo.get(id(part)) or self._new_part(opmaak, part)
                        if more:
                            append(b",")
                            bronnen.append(b",")
                        append(chunk[1])
                        bronnen.append(chunk[2])
                        more = True
                out += bronnen
            append(spoor_end)

    def _start(
        self, opmaak: _Opmaak, item: SpoorScore, afgewezen: bool, leeg: bool, key: tuple[object, ...]
    ) -> tuple[object, bytes, bytes]:
        """A spoor's object up to its first reason (or whole, without reasons): first in its list, and after another."""
        i2 = opmaak.i2
        spoor = item.spoor
        fields = {"nummer": spoor.nummer, "id": spoor.id, "naam": spoor.naam}
        text = i2 + _value(fields, i2)[: -len(i2) - 1] + "," + i2 + '  "score": ' + _value(float(item.score), "")
        if afgewezen:
            tail = opmaak.afgewezen_geen if leeg else opmaak.afgewezen_redenen
        else:
            tail = opmaak.na_score[bool(item.gelijk), not leeg]
        starts = opmaak.afgewezen_starts if afgewezen else opmaak.starts
        if len(starts) >= MEMO_LIMIT:
            starts.clear()
        entry = starts[key] = (spoor, text.encode() + tail, ("," + text).encode() + tail)
        return entry

    def advies(self, advies: Advies, top: int | None = None, indent: int = 0) -> bytes:
        """The advice as JSON, its lines indented by `indent` more spaces (the first line excepted)."""
        opmaak = self._opmaak.get(indent)
        if opmaak is None:
            opmaak = self._opmaak[indent] = _Opmaak(indent)
        out = [opmaak.naam, _string(advies.naam)]
        if advies.omschrijving:
            out += [opmaak.omschrijving, _string(advies.omschrijving)]
        if advies.opmerking:
            out += [opmaak.opmerking, _string(advies.opmerking)]
        out.append(opmaak.antwoorden)
        self._antwoorden(opmaak, advies.antwoorden, out)
        sporen = cut_sporen(advies.sporen, top)
        if sporen:
            out.append(opmaak.sporen)
            self._sporen(opmaak, sporen, False, out)
            out.append(opmaak.sporen_end)
        else:
            out.append(opmaak.geen_sporen)
        i1, fields = opmaak.i1, opmaak.fields
        out += [
            fields["advies_sporen"],
            self._plain(tuple([s.nummer for s in advies.advies_sporen]), i1),
            fields["partners"],
            self._list(advies.partners, i1),
            fields["instrumenten"],
            self._list(advies.instrumenten, i1),
            fields["cases"],
            self._list(advies.cases, i1),
            fields["waarschuwingen"],
            self._plain(tuple(advies.waarschuwingen), i1),
            fields["let_op"],
            self._plain(tuple(advies.let_op), i1),
            opmaak.onbeantwoord,
            self._plain(tuple(advies.onbeantwoord), i1),
        ]
        if advies.afgewezen:
            out.append(opmaak.afgewezen)
            self._sporen(opmaak, advies.afgewezen, True, out)
            out.append(opmaak.sporen_end)
        else:
            out.append(opmaak.geen_afgewezen)
        out.append(opmaak.end)
        return b"".join(out)
