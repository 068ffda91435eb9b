"""The remaining steps of the stappenplan (instroom, coaching, financiën) as a checklist for an advice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spoorwijzer.engine import Advies
from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.text import one_line

COLUMN_LABELS = {"begeleiding": "Begeleiding", "dienstverband": "Soort dienstverband"}


@dataclass
class Punt:
    tekst: str
    details: list[str] = field(default_factory=list)


@dataclass
class Stap:
    nummer: int
    titel: str
    punten: list[Punt]


def _spoor_field(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [one_line(value.get("omschrijving", ""))]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def build_checklist(kb: Kennisbank, advies: Advies, startpunt_id: str) -> list[Stap]:
    """Steps with `punten` of the chosen stappenplan, filled in for the advised spoor."""
    stappen: list[Stap] = []
    beste = advies.beste.spoor if advies.beste else None
    for stap in kb.startpunt(startpunt_id)["stappen"]:
        if "punten" not in stap:
            continue
        punten = []
        for punt in stap["punten"]:
            if beste is not None and punt.get("niet_bij_spoor_kenmerk") in beste.kenmerken:
                continue
            details: list[str] = []
            toon = punt.get("toon")
            if toon == "partners":
                details = [f"{p['naam']}" + (f" – {p['rol']}" if p.get("rol") else "") for p in advies.partners]
            elif toon == "instrumenten":
                details = [f"{i['naam']} – {i['verstrekker']}" for i in advies.instrumenten]
            elif isinstance(toon, str) and toon.startswith("spoor.") and beste is not None:
                column = toon.removeprefix("spoor.")
                values = _spoor_field(beste.raw.get(column))
                details = [f"{COLUMN_LABELS.get(column, column)} volgens de wegwijzer: {'; '.join(values)}"]
            punten.append(Punt(str(punt["tekst"]), details))
        stappen.append(Stap(int(stap["nummer"]), str(stap["titel"]), punten))
    return stappen
