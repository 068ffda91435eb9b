"""Cross-reference checks over a loaded knowledge base (shipped or an organisation's own).

`find_problems` returns every problem as a `Finding`: the item it is about (soort and id), a
Dutch sentence and the path inside the item, so `spoorwijzer valideer` can name file and line.
`check_kennisbank` gives the sentences only; an empty list means the data hangs together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.text import all_texts

REQUIRED_CASE_FIELDS = (
    "id",
    "titel",
    "spoor",
    "organisatie",
    "beschrijving",
    "doel",
    "doelgroep",
    "type_werk",
    "aantal_mensen",
    "samenwerkingspartners",
    "succesfactoren",
    "aandachtspunten",
    "waardecreatie",
    "website",
    "bron",
)
# Personal contact details stay out of the data (seeds README): e-mail addresses and phone numbers.
PERSONAL_DATA = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b0[1-9][0-9]?[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2,4}\b")


# A cross-reference is only checked where the field has the right type: a missing field or one of
# the wrong type is the schema's to report (schema.py), with what is allowed, and only once.
def _doelgroep_ids(value: Any) -> list[str]:
    return _teksten(value) if value != "alle" else []


def _teksten(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _nummers(value: Any) -> list[int]:
    return [v for v in value if _is_nummer(v)] if isinstance(value, list) else []


def _is_nummer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(pos, v) for pos, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Finding:
    soort: str  # spoor | vraag | waarschuwing | stappenplan | doelgroep | partner | instrument | case | dubbel
    item: str  # the item's id (a spoor's number)
    message: str
    at: tuple[object, ...] = ()  # path inside the item to the value that is wrong
    schema: bool = False  # the schema check (schema.py) reports this too, with more detail


def check_kennisbank(kb: Kennisbank) -> list[str]:
    return [finding.message for finding in find_problems(kb)]


def find_problems(kb: Kennisbank) -> list[Finding]:
    problems: list[Finding] = []
    sporen = {s.nummer for s in kb.sporen}
    doelgroepen = set(kb.doelgroepen)
    vragen = {v.id: v for v in kb.vragen}

    def add(soort: str, item: object, message: str, *at: object, schema: bool = False) -> None:
        problems.append(Finding(soort, str(item), message, at, schema))

    def unique(kind: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for item_id in ids:
            if item_id in seen:
                add("dubbel", item_id, f"{kind}: id '{item_id}' komt meer dan eens voor")
            seen.add(item_id)

    unique("sporen", [s.id for s in kb.sporen])
    unique("vragen", list(vragen))
    unique("partners", [p["id"] for p in kb.partners])
    unique("instrumenten", [i["id"] for i in kb.instrumenten])
    unique("cases", [c["id"] for c in kb.cases])

    for spoor in kb.sporen:
        nr = spoor.nummer
        if not spoor.raw.get("bron"):
            add("spoor", nr, f"spoor {nr}: 'bron' ontbreekt", schema=True)
        for pos, groep in enumerate(spoor.raw.get("kenmerken_doelgroep", {}).get("instroom", [])):
            if not groep.get("bron"):
                add(
                    "spoor",
                    nr,
                    f"spoor {nr}: een instroomgroep zonder 'bron'",
                    "kenmerken_doelgroep",
                    "instroom",
                    pos,
                    schema=True,
                )
            for doelgroep in set(groep.get("doelgroepen", [])) - doelgroepen:
                add(
                    "spoor",
                    nr,
                    f"spoor {nr}: onbekende doelgroep '{doelgroep}' in de instroom",
                    "kenmerken_doelgroep",
                    "instroom",
                    pos,
                    "doelgroepen",
                )

    for vraag in kb.vragen:
        if vraag.type != "meerkeuze" and not vraag.antwoorden:
            add("vraag", vraag.id, f"vraag '{vraag.id}': geen antwoorden")
        if vraag.type == "meerkeuze" and vraag.instroom_effect is None:
            add("vraag", vraag.id, f"vraag '{vraag.id}': meerkeuze zonder 'instroom_effect'")
        for a_pos, antwoord in enumerate(vraag.antwoorden):
            for e_pos, effect in enumerate(antwoord.effecten):
                at = ("antwoorden", a_pos, "effecten", e_pos)
                for nummer in sorted(set(effect.sporen) - sporen):
                    add(
                        "vraag",
                        vraag.id,
                        f"vraag '{vraag.id}' = {antwoord.waarde}: onbekend spoor {nummer}",
                        *at,
                        "sporen",
                    )
                if not effect.bron:
                    add(
                        "vraag",
                        vraag.id,
                        f"vraag '{vraag.id}' = {antwoord.waarde}: een regel zonder 'bron'",
                        *at,
                        schema=True,
                    )
    for regel in kb.waarschuwingen:
        for key, value in regel.als.items():
            if key not in vragen:
                add("waarschuwing", regel.id, f"waarschuwing '{regel.id}': onbekende vraag '{key}'", "als", key)
            elif vragen[key].type != "meerkeuze" and value not in vragen[key].waarden():
                add(
                    "waarschuwing",
                    regel.id,
                    f"waarschuwing '{regel.id}': '{value}' is geen antwoord op '{key}'",
                    "als",
                    key,
                )
        if regel.spoor_kenmerk and not any(regel.spoor_kenmerk in s.kenmerken for s in kb.sporen):
            add(
                "waarschuwing",
                regel.id,
                f"waarschuwing '{regel.id}': geen spoor heeft kenmerk '{regel.spoor_kenmerk}'",
                "spoor_kenmerk",
            )

    spoor_kenmerken = {k for s in kb.sporen for k in s.kenmerken}
    for startpunt in kb.startpunten:
        sid = startpunt["id"]
        for s_pos, stap in enumerate(startpunt["stappen"]):
            for p_pos, punt in enumerate(stap.get("punten", [])):
                at = ("stappen", s_pos, "punten", p_pos)
                toon = punt.get("toon")
                if toon and toon not in ("partners", "instrumenten") and not str(toon).startswith("spoor."):
                    add("stappenplan", sid, f"stappenplan '{sid}': onbekende 'toon: {toon}'", *at, "toon")
                kenmerk = punt.get("niet_bij_spoor_kenmerk")
                if kenmerk and kenmerk not in spoor_kenmerken:
                    add(
                        "stappenplan",
                        sid,
                        f"stappenplan '{sid}': geen spoor heeft kenmerk '{kenmerk}'",
                        *at,
                        "niet_bij_spoor_kenmerk",
                    )
            for v_pos, vraag_id in enumerate(stap.get("vragen", [])):
                if vraag_id not in vragen:
                    add(
                        "stappenplan",
                        sid,
                        f"stappenplan '{sid}': onbekende vraag '{vraag_id}'",
                        "stappen",
                        s_pos,
                        "vragen",
                        v_pos,
                    )
        asked = {v for stap in startpunt["stappen"] for v in stap.get("vragen", [])}
        for vraag_id in sorted(set(vragen) - asked):
            add("stappenplan", sid, f"stappenplan '{sid}': vraag '{vraag_id}' wordt nooit gesteld")

    for doelgroep_id, info in kb.doelgroepen.items():
        if not info.get("bron"):
            add("doelgroep", doelgroep_id, f"doelgroep '{doelgroep_id}': 'bron' ontbreekt", schema=True)

    for partner in kb.partners:
        pid = partner["id"]
        where = f"partner '{pid}'"
        for key in ("naam", "bron", "sporen"):
            if not partner.get(key):
                add("partner", pid, f"{where}: '{key}' ontbreekt", key, schema=True)
        for pos, rol in _dicts(partner.get("sporen")):
            if _is_nummer(rol.get("spoor")) and rol["spoor"] not in sporen:
                add("partner", pid, f"{where}: onbekend spoor {rol['spoor']}", "sporen", pos, "spoor")
        for doelgroep in sorted(set(_doelgroep_ids(partner.get("doelgroepen"))) - doelgroepen):
            add("partner", pid, f"{where}: onbekende doelgroep '{doelgroep}'", "doelgroepen")
        for need in _teksten(partner.get("nodig_voor")):
            if need not in kb.nodig_voor:
                add("partner", pid, f"{where}: onbekend 'nodig_voor' '{need}'", "nodig_voor")

    for instrument in kb.instrumenten:
        iid = instrument["id"]
        where = f"instrument '{iid}'"
        for key in ("naam", "bron", "peildatum", "verstrekker"):
            if not instrument.get(key):
                add("instrument", iid, f"{where}: '{key}' ontbreekt", key, schema=True)
        for nummer in sorted(set(_nummers(instrument.get("sporen"))) - sporen):
            add("instrument", iid, f"{where}: onbekend spoor {nummer}", "sporen")
        for doelgroep in sorted(set(_doelgroep_ids(instrument.get("doelgroepen"))) - doelgroepen):
            add("instrument", iid, f"{where}: onbekende doelgroep '{doelgroep}'", "doelgroepen")

    for case in kb.cases:
        cid = case["id"]
        where = f"case '{cid}'"
        for key in REQUIRED_CASE_FIELDS:
            if key not in case:
                add("case", cid, f"{where}: '{key}' ontbreekt", schema=True)
        if _is_nummer(case.get("spoor")) and case["spoor"] not in sporen:
            add("case", cid, f"{where}: onbekend spoor {case['spoor']}", "spoor")
        for nummer in sorted(set(_nummers(case.get("ook_sporen"))) - sporen):
            add("case", cid, f"{where}: onbekend spoor {nummer} in 'ook_sporen'", "ook_sporen")
        case_kenmerken = case.get("kenmerken")
        for key, value in case_kenmerken.items() if isinstance(case_kenmerken, dict) else ():
            if key not in vragen:
                add("case", cid, f"{where}: kenmerk '{key}' is geen vraag", "kenmerken", key, "<key>")
            elif vragen[key].type == "meerkeuze":
                for doelgroep in sorted(set(_teksten(value if isinstance(value, list) else [value])) - doelgroepen):
                    add("case", cid, f"{where}: onbekende doelgroep '{doelgroep}'", "kenmerken", key)
            elif isinstance(value, (str, bool, list)) and str(value) not in vragen[key].waarden():
                add("case", cid, f"{where}: '{value}' is geen antwoord op '{key}'", "kenmerken", key)
        for text in all_texts(case):
            if PERSONAL_DATA.search(text):
                add("case", cid, f"{where}: bevat een e-mailadres of telefoonnummer")
                break
    return problems
