"""The schema of every kennisbank file, checked with jsonschema; problems in Dutch with file:line.

Why jsonschema (measurements and alternatives: docs/keuzes.md): it reports *every* problem of a
file with a structured error (which rule, which path, which value), so each one can be put in
Dutch and mapped to its line; msgspec stops at the first error and gives English text only.
It costs ~70 ms to import, so it is imported only here, and this module only when data is
checked (`spoorwijzer valideer`, or loading an organisation's own data with `--data`), never on
the plain `match` path: the shipped data is checked by the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from spoorwijzer import yamlio
from spoorwijzer.errors import Problem, allowed_list, did_you_mean

# -- building blocks --------------------------------------------------------------------------------------
TEKST: dict[str, Any] = {"type": "string", "minLength": 1, "x-uitleg": "een tekst"}
TEKSTEN: dict[str, Any] = {"type": "array", "items": TEKST, "x-uitleg": "een lijst teksten"}
ID: dict[str, Any] = {
    "type": "string",
    "pattern": "^[a-z0-9][a-z0-9_-]*$",
    "x-uitleg": "kleine letters, cijfers en '-' (bijvoorbeeld wsp-regio-oost)",
}
IDS: dict[str, Any] = {"type": "array", "items": ID, "x-uitleg": "een lijst ids"}
# A string only applies string rules and a list only list rules, so one entry allows either
# without the vague errors of anyOf.
BRON: dict[str, Any] = {
    "type": ["string", "array"],
    "minLength": 1,
    "minItems": 1,
    "items": TEKST,
    "x-uitleg": "waar het vandaan komt: een tekst of een lijst, bijvoorbeeld [003_dc368779601f7bcc.txt, uwv.nl]",
}
SPOOR: dict[str, Any] = {"type": "integer", "x-uitleg": "een spoornummer, bijvoorbeeld 3"}
SPOREN: dict[str, Any] = {"type": "array", "items": SPOOR, "x-uitleg": "een lijst spoornummers, bijvoorbeeld [1, 4]"}
DATUM: dict[str, Any] = {"type": "date", "x-uitleg": "een datum als 2026-01-15"}
GETAL: dict[str, Any] = {"type": "number", "x-uitleg": "een getal"}
DOELGROEPEN: dict[str, Any] = {
    "type": ["string", "array"],
    "pattern": "^alle$",
    "items": ID,
    "x-uitleg": "alle, of een lijst doelgroep-ids (zie spoorwijzer doelgroepen)",
}
WEBSITE: dict[str, Any] = {"type": "string", "pattern": "^https?://", "x-uitleg": "een adres als https://..."}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """A mapping with these required and optional keys and no others."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def lijst(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


CONTACT = obj(
    {},
    {
        "organisatie": TEKST,
        "afdeling": TEKST,
        "contactpersoon": TEKST,
        "telefoon": {"type": ["string", "integer"], "x-uitleg": "een telefoonnummer"},
        "email": {**TEKST, "pattern": "@", "x-uitleg": "een e-mailadres"},
        "website": WEBSITE,
        "adres": TEKST,
        "toelichting": TEKST,
    },
)
PARTNER = obj(
    {
        "id": ID,
        "naam": TEKST,
        "omschrijving": TEKST,
        "sporen": {**lijst(obj({"spoor": SPOOR}, {"rol": TEKST})), "minItems": 1},
        "bron": BRON,
    },
    {"nodig_voor": IDS, "doelgroepen": DOELGROEPEN, "peildatum": DATUM, "let_op": TEKST, "contact": CONTACT},
)
NODIG_VOOR = obj({"id": ID, "label": TEKST, "bron": BRON}, {"omschrijving": TEKST})
INSTRUMENT = obj(
    {
        "id": ID,
        "naam": TEKST,
        "verstrekker": TEKST,
        "sporen": SPOREN,
        "wat": TEKST,
        "peildatum": DATUM,
        "bron": BRON,
    },
    {
        "wettelijke_basis": TEKST,
        "doelgroepen": DOELGROEPEN,
        "voorwaarden": TEKSTEN,
        "vervallen": DATUM,
        "let_op": TEKST,
        "contact": CONTACT,
    },
)
KENMERK_WAARDE: dict[str, Any] = {
    "type": ["string", "boolean", "array"],
    "items": TEKST,
    "x-uitleg": "een antwoord uit het werkplekformaat (bij doelgroep een lijst ids)",
}
CASE = obj(
    {
        "id": ID,
        "titel": TEKST,
        "spoor": SPOOR,
        "organisatie": TEKST,
        "beschrijving": TEKST,
        "doel": TEKST,
        "doelgroep": TEKSTEN,
        "type_werk": TEKSTEN,
        "aantal_mensen": {**TEKST, "x-uitleg": 'een tekst tussen aanhalingstekens, bijvoorbeeld "12" of "onbekend"'},
        "samenwerkingspartners": TEKSTEN,
        "succesfactoren": TEKSTEN,
        "aandachtspunten": TEKSTEN,
        "waardecreatie": TEKST,
        "website": WEBSITE,
        "bron": BRON,
    },
    {
        "ook_sporen": SPOREN,
        "plaats": TEKST,
        "rollen": TEKST,
        "looptijd": TEKST,
        "financiering": TEKST,
        "let_op": TEKST,
        "kenmerken": {"type": "object", "additionalProperties": KENMERK_WAARDE, "x-uitleg": "vraag: antwoord"},
        "kenmerken_toelichting": {"type": "object", "additionalProperties": TEKST, "x-uitleg": "vraag: tekst"},
    },
)
DOELGROEP = obj(
    {
        "id": ID,
        "naam": TEKST,
        "soort": {"enum": ["regeling", "onderwijs", "kenmerk"]},
        "omschrijving": TEKST,
        "bron": BRON,
    },
    {"synoniemen": TEKSTEN, "loket": TEKST, "let_op": TEKST},
)
SPOOR_ITEM = obj(
    {
        "nummer": SPOOR,
        "id": ID,
        "naam": TEKST,
        "kort": TEKST,
        "doel": obj({"soort": TEKST, "punten": TEKSTEN}),
        "type_werkplek": TEKSTEN,
        "dienstverband": TEKSTEN,
        "kenmerken_doelgroep": obj(
            {"instroom": lijst(obj({"doelgroepen": IDS, "waar": TEKST, "bron": BRON}, {"let_op": TEKST}))},
            {"niveau": TEKST},
        ),
        "voorbeelden_werk": TEKSTEN,
        "begeleiding": obj({"omschrijving": TEKST}, {"intensiteit": TEKST}),
        "kenmerken": IDS,
        "bron": BRON,
    },
    {"let_op": TEKST},
)
EFFECT = obj(
    {"sporen": SPOREN, "gewicht": GETAL, "reden": TEKST, "bron": BRON},
    {"soort": {"enum": ["stappenplan", "sporentabel", "afgeleid"]}},
)
ANTWOORD = obj(
    {"waarde": TEKST},
    {"label": TEKST, "synoniemen": TEKSTEN, "regel": TEKST, "effecten": lijst(EFFECT)},
)
GEWICHT_REDEN = obj({"gewicht": GETAL, "reden": TEKST})
VRAAG = obj(
    {"id": ID, "vraag": TEKST, "toelichting": TEKST, "bron": BRON},
    {
        "type": {"enum": ["keuze", "janee", "meerkeuze"]},
        "synoniemen": TEKSTEN,
        "antwoorden": lijst(ANTWOORD),
        "instroom_effect": obj(
            {
                "binnen": GEWICHT_REDEN,
                "buiten": obj({"gewicht": GETAL, "reden": TEKST}, {"soorten": TEKSTEN}),
                "bron": BRON,
            }
        ),
    },
)
WAARSCHUWING = obj(
    {
        "id": ID,
        "als": {"type": "object", "additionalProperties": TEKST, "x-uitleg": "vraag: antwoord"},
        "tekst": TEKST,
        "bron": BRON,
    },
    {"spoor_kenmerk": ID},
)
PUNT = obj({"tekst": TEKST}, {"toon": TEKST, "niet_bij_spoor_kenmerk": ID})
STAP = obj(
    {"nummer": {"type": "integer"}, "titel": TEKST}, {"toelichting": TEKST, "vragen": IDS, "punten": lijst(PUNT)}
)


def bestand(schema: dict[str, Any], uitleg: str) -> dict[str, Any]:
    """The schema of a whole file, with what belongs in it for a message about the file as a whole."""
    return {**schema, "x-uitleg": uitleg}


# File name (or "cases/*.yaml") -> the schema of the whole file.
FILES: dict[str, dict[str, Any]] = {
    "sporen.yaml": obj({"sporen": lijst(SPOOR_ITEM)}),
    "vragen.yaml": obj(
        {"vragen": lijst(VRAAG)},
        {"waarschuwingen": lijst(WAARSCHUWING), "instellingen": obj({}, {"tweede_spoor_marge": GETAL})},
    ),
    "stappenplan.yaml": obj(
        {
            "startpunten": lijst(
                obj({"id": ID, "titel": TEKST, "stappen": lijst(STAP), "bron": BRON}, {"omschrijving": TEKST})
            )
        }
    ),
    "doelgroepen.yaml": obj({"doelgroepen": lijst(DOELGROEP)}),
    "bronnen.yaml": obj({"bronnen": lijst(obj({"id": TEKST, "titel": TEKST}, {"bron": BRON}))}),
    "partners.yaml": bestand(
        obj({"partners": lijst(PARTNER)}, {"nodig_voor": lijst(NODIG_VOOR)}),
        "een regel 'partners:' met daaronder de partners als lijst (- id: ...), zie docs/data-formaat.md",
    ),
    "instrumenten.yaml": bestand(
        obj({"instrumenten": lijst(INSTRUMENT)}),
        "een regel 'instrumenten:' met daaronder de instrumenten als lijst (- id: ...), zie docs/data-formaat.md",
    ),
    "cases/*.yaml": bestand(CASE, "één case per bestand: id: ..., titel: ..., spoor: ... (zie docs/data-formaat.md)"),
}
TYPE_NAMES = {
    "string": "een tekst",
    "array": "een lijst",
    "object": "een blok met sleutels (sleutel: waarde)",
    "integer": "een heel getal",
    "number": "een getal",
    "boolean": "ja/nee (true/false)",
    "date": "een datum als 2026-01-15",
    "null": "leeg",
}


@cache
def _validator(kind: str) -> Any:
    import jsonschema
    from jsonschema import validators

    base = jsonschema.Draft202012Validator
    # YAML reads 2026-01-15 as a date; JSON Schema has no date type, so it gets one.
    checker = base.TYPE_CHECKER.redefine("date", lambda _checker, value: isinstance(value, dt.date))
    return validators.extend(base, type_checker=checker)(FILES[kind])


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "ja/nee (true/false)"
    if value is None:
        return "leeg"
    if isinstance(value, dt.date):
        return f"de datum {value}"
    if isinstance(value, (int, float)):
        return f"het getal {value}"
    if isinstance(value, str):
        return f"de tekst '{value}'" if len(value) < 60 else "een tekst"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een blok met sleutels"
    return type(value).__name__


def _allowed(schema: dict[str, Any]) -> str:
    if "x-uitleg" in schema:
        return str(schema["x-uitleg"])
    if "enum" in schema:
        return allowed_list([str(v) for v in schema["enum"]])
    types = schema.get("type", [])
    return " of ".join(TYPE_NAMES.get(t, t) for t in ([types] if isinstance(types, str) else types))


def _field_name(path: tuple[Any, ...]) -> str | None:
    keys = [p for p in path if isinstance(p, str)]
    return keys[-1] if keys else None


# The name of one item of each top-level list, for "partner 'wsp'" in a message.
SOORTEN = {
    "sporen": "spoor",
    "vragen": "vraag",
    "waarschuwingen": "waarschuwing",
    "startpunten": "stappenplan",
    "doelgroepen": "doelgroep",
    "partners": "partner",
    "nodig_voor": "nodig_voor",
    "instrumenten": "instrument",
    "bronnen": "bron",
}


def item_path(kind: str, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path of the item (a list entry, or a whole case file) that a path points into."""
    if kind == "cases/*.yaml":
        return ()
    return path[:2] if len(path) >= 2 and isinstance(path[1], int) else path[:1]


def item_label(kind: str, data: Any, path: tuple[Any, ...]) -> str | None:
    """ "partner 'wsp'" for a path inside that item, or None outside any item."""
    if kind == "cases/*.yaml":
        return f"case '{data['id']}'" if isinstance(data, dict) and isinstance(data.get("id"), str) else "case"
    if len(path) < 2 or not isinstance(path[1], int) or not isinstance(data, dict):
        return None
    try:
        item = data[path[0]][path[1]]
    except (KeyError, IndexError, TypeError):
        return None
    soort = SOORTEN.get(str(path[0]), str(path[0]))
    key = "nummer" if soort == "spoor" else "id"
    if isinstance(item, dict) and isinstance(item.get(key), (str, int)):
        return f"{soort} '{item[key]}'"
    return f"{soort} {path[1] + 1}"


LineOf = Callable[[tuple[Any, ...], "str | None"], "int | None"]


def check(kind: str, data: Any, name: str, line_of: LineOf) -> list[tuple[tuple[Any, ...], Problem]]:
    """Every schema problem of one parsed file, in Dutch, with its line, and the path it is about.

    `line_of(path, key)` gives the line of a value (or of `key` inside the mapping at `path`);
    it is only called when there is a problem, so a clean file is never composed a second time.
    """
    found: list[tuple[tuple[Any, ...], Problem]] = []
    for error in _validator(kind).iter_errors(data):
        found.extend(_to_problems(kind, error, data, name, line_of))
    # jsonschema gives one `required` error per missing key; a problem is reported once.
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda pair: (pair[1].line or 0, pair[1].message))


def line_in(lines: yamlio.LineIndex, path: tuple[Any, ...], key: str | None = None) -> int | None:
    """The line of `path` (or of the key `key` in the mapping at `path`); else of the nearest parent."""
    if key is not None and (*path, key, "<key>") in lines:
        return lines[(*path, key, "<key>")]
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _to_problems(kind: str, error: Any, data: Any, name: str, line_of: LineOf) -> list[tuple[tuple[Any, ...], Problem]]:
    path = tuple(error.absolute_path)
    schema: dict[str, Any] = error.schema
    rule = error.validator
    label = item_label(kind, data, path)

    def problem(
        message: str, field: str | None, line: int | None, allowed: str | None = None, at: tuple[Any, ...] = path
    ) -> tuple[tuple[Any, ...], Problem]:
        return at, Problem(message, file=name, line=line, field=field, allowed=allowed, onderdeel=label)

    if rule == "additionalProperties":
        known = list(schema.get("properties", {}))
        return [
            problem(
                f"Onbekend veld '{key}'.{did_you_mean(str(key), known)}",
                str(key),
                line_of(path, str(key)),
                allowed_list(known) if known else None,
                (*path, key),
            )
            for key in error.instance
            if key not in known
        ]
    if rule == "required":
        # One error per missing key, and its message is the only place that names the key: so
        # every missing key is listed here and `check` drops the repeats.
        return [
            problem(
                f"Het verplichte veld '{key}' ontbreekt; voeg '{key}: ...' toe "
                f"({_allowed(schema['properties'][key])}).",
                key,
                line_of(path, None),
                at=(*path, key),
            )
            for key in error.validator_value
            if key not in error.instance
        ]
    field = _field_name(path)
    line = line_of(path, None)
    if rule == "type" and not path and error.instance is None:
        return [problem("Het bestand is leeg (of bevat alleen commentaar).", None, None, schema.get("x-uitleg"))]
    if rule == "type":
        expected = _allowed({"type": error.validator_value})
        message = f"Hier hoort {expected}, maar er staat {_describe(error.instance)}."
        lijsten = list(schema.get("properties", {}))
        if not path and isinstance(error.instance, list) and len(schema.get("required", [])) == 1:
            # The usual slip: the file starts with "- id: ..." and the key above the list is missing.
            message += f" Zet '{lijsten[0]}:' boven de lijst en laat de regels daaronder inspringen."
        uitleg = schema.get("x-uitleg")
        return [problem(message, field, line, uitleg if uitleg != expected else None)]
    if rule == "enum":
        return [problem(_upper(f"{_describe(error.instance)} is geen geldige waarde."), field, line, _allowed(schema))]
    if rule in ("minLength", "minItems"):
        return [problem("Dit veld is leeg.", field, line, _allowed(schema))]
    if rule == "pattern":
        return [
            problem(_upper(f"{_describe(error.instance)} heeft niet de goede vorm."), field, line, _allowed(schema))
        ]
    return [problem(f"Klopt niet met het schema ({error.message}).", field, line, _allowed(schema))]
