"""Cross-reference checks over a loaded knowledge base (shipped or an organisation's own).

Returns every problem as a Dutch sentence; an empty list means the data hangs together.
"""

from __future__ import annotations

import re
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


def _doelgroep_ids(value: Any) -> list[str]:
    return [] if value == "alle" else list(value or [])


def check_kennisbank(kb: Kennisbank) -> list[str]:
    problems: list[str] = []
    sporen = {s.nummer for s in kb.sporen}
    doelgroepen = set(kb.doelgroepen)
    vragen = {v.id: v for v in kb.vragen}

    def unique(kind: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for item_id in ids:
            if item_id in seen:
                problems.append(f"{kind}: id '{item_id}' komt meer dan eens voor")
            seen.add(item_id)

    unique("sporen", [s.id for s in kb.sporen])
    unique("vragen", list(vragen))
    unique("partners", [p["id"] for p in kb.partners])
    unique("instrumenten", [i["id"] for i in kb.instrumenten])
    unique("cases", [c["id"] for c in kb.cases])

    for spoor in kb.sporen:
        if not spoor.raw.get("bron"):
            problems.append(f"spoor {spoor.nummer}: 'bron' ontbreekt")
        for groep in spoor.raw.get("kenmerken_doelgroep", {}).get("instroom", []):
            if not groep.get("bron"):
                problems.append(f"spoor {spoor.nummer}: een instroomgroep zonder 'bron'")
        for doelgroep in spoor.instroom - doelgroepen:
            problems.append(f"spoor {spoor.nummer}: onbekende doelgroep '{doelgroep}' in de instroom")

    for vraag in kb.vragen:
        if vraag.type != "meerkeuze" and not vraag.antwoorden:
            problems.append(f"vraag '{vraag.id}': geen antwoorden")
        if vraag.type == "meerkeuze" and vraag.instroom_effect is None:
            problems.append(f"vraag '{vraag.id}': meerkeuze zonder 'instroom_effect'")
        for antwoord in vraag.antwoorden:
            for effect in antwoord.effecten:
                for nummer in set(effect.sporen) - sporen:
                    problems.append(f"vraag '{vraag.id}' = {antwoord.waarde}: onbekend spoor {nummer}")
                if not effect.bron:
                    problems.append(f"vraag '{vraag.id}' = {antwoord.waarde}: een regel zonder 'bron'")
    for regel in kb.waarschuwingen:
        for key, value in regel.als.items():
            if key not in vragen:
                problems.append(f"waarschuwing '{regel.id}': onbekende vraag '{key}'")
            elif vragen[key].type != "meerkeuze" and value not in vragen[key].waarden():
                problems.append(f"waarschuwing '{regel.id}': '{value}' is geen antwoord op '{key}'")
        if regel.spoor_kenmerk and not any(regel.spoor_kenmerk in s.kenmerken for s in kb.sporen):
            problems.append(f"waarschuwing '{regel.id}': geen spoor heeft kenmerk '{regel.spoor_kenmerk}'")

    spoor_kenmerken = {k for s in kb.sporen for k in s.kenmerken}
    for startpunt in kb.startpunten:
        for stap in startpunt["stappen"]:
            for punt in stap.get("punten", []):
                toon = punt.get("toon")
                if toon and toon not in ("partners", "instrumenten") and not str(toon).startswith("spoor."):
                    problems.append(f"stappenplan '{startpunt['id']}': onbekende 'toon: {toon}'")
                kenmerk = punt.get("niet_bij_spoor_kenmerk")
                if kenmerk and kenmerk not in spoor_kenmerken:
                    problems.append(f"stappenplan '{startpunt['id']}': geen spoor heeft kenmerk '{kenmerk}'")
        asked = [v for stap in startpunt["stappen"] for v in stap.get("vragen", [])]
        for vraag_id in set(asked) - set(vragen):
            problems.append(f"stappenplan '{startpunt['id']}': onbekende vraag '{vraag_id}'")
        for vraag_id in set(vragen) - set(asked):
            problems.append(f"stappenplan '{startpunt['id']}': vraag '{vraag_id}' wordt nooit gesteld")

    for doelgroep_id, info in kb.doelgroepen.items():
        if not info.get("bron"):
            problems.append(f"doelgroep '{doelgroep_id}': 'bron' ontbreekt")

    for partner in kb.partners:
        where = f"partner '{partner['id']}'"
        for key in ("naam", "bron", "sporen"):
            if not partner.get(key):
                problems.append(f"{where}: '{key}' ontbreekt")
        for rol in partner.get("sporen", []):
            if rol.get("spoor") not in sporen:
                problems.append(f"{where}: onbekend spoor {rol.get('spoor')}")
        for doelgroep in set(_doelgroep_ids(partner.get("doelgroepen"))) - doelgroepen:
            problems.append(f"{where}: onbekende doelgroep '{doelgroep}'")
        for need in partner.get("nodig_voor", []):
            if need not in kb.nodig_voor:
                problems.append(f"{where}: onbekend 'nodig_voor' '{need}'")

    for instrument in kb.instrumenten:
        where = f"instrument '{instrument['id']}'"
        for key in ("naam", "bron", "peildatum", "verstrekker"):
            if not instrument.get(key):
                problems.append(f"{where}: '{key}' ontbreekt")
        for nummer in set(instrument.get("sporen", [])) - sporen:
            problems.append(f"{where}: onbekend spoor {nummer}")
        for doelgroep in set(_doelgroep_ids(instrument.get("doelgroepen"))) - doelgroepen:
            problems.append(f"{where}: onbekende doelgroep '{doelgroep}'")

    for case in kb.cases:
        where = f"case '{case['id']}'"
        for key in REQUIRED_CASE_FIELDS:
            if key not in case:
                problems.append(f"{where}: '{key}' ontbreekt")
        if case.get("spoor") not in sporen:
            problems.append(f"{where}: onbekend spoor {case.get('spoor')}")
        for nummer in set(case.get("ook_sporen") or []) - sporen:
            problems.append(f"{where}: onbekend spoor {nummer} in 'ook_sporen'")
        case_kenmerken: dict[str, Any] = case.get("kenmerken") or {}
        for key, value in case_kenmerken.items():
            if key not in vragen:
                problems.append(f"{where}: kenmerk '{key}' is geen vraag")
            elif vragen[key].type == "meerkeuze":
                for doelgroep in set(value if isinstance(value, list) else [value]) - doelgroepen:
                    problems.append(f"{where}: onbekende doelgroep '{doelgroep}'")
            elif str(value) not in vragen[key].waarden():
                problems.append(f"{where}: '{value}' is geen antwoord op '{key}'")
        for text in all_texts(case):
            if PERSONAL_DATA.search(text):
                problems.append(f"{where}: bevat een e-mailadres of telefoonnummer")
                break
    return problems
