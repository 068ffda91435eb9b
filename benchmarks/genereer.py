"""Seeded werkplek files for the benchmark: valid, varied, reproducible."""

from __future__ import annotations

import csv
import random
from pathlib import Path

# The answers a werkplek file may give (docs: README "Het werkplekbestand"); spellings vary on
# purpose, as they do in real inventories.
ANTWOORDEN: dict[str, tuple[str, ...]] = {
    "taken": ("eenvoudig", "complex", "gemengd", "Eenvoudig", "onbekend"),
    "groepsverband": ("groep", "individueel"),
    "vakvaardigheden": ("ja", "nee"),
    "verantwoordelijkheid": ("hoog", "laag"),
    "productiedruk": ("relevant", "minder", "minder relevant"),
    "collegas": ("ja", "nee"),
    "begeleiding": ("ja", "nee"),
    "prikkels": ("veel", "weinig"),
    "doel": ("leren-werken", "werken", "zorg", "onderwijs"),
    "duur": ("tijdelijk", "structureel"),
}
DOELGROEPEN = (
    "ww", "wao", "wia", "wajong", "bijstand", "zw", "wsw", "statushouder", "wmo", "wlz",
    "reclassering", "ggz", "praktijkschool", "vso", "mbo-student", "banenafspraak", "nugger",
)  # fmt: skip
WERK = ("Groenploeg", "Fietsenwerkplaats", "Milieustraat", "Sorteerlijn", "Zwerfafval", "Textiel", "Kringloop")


def werkplekken(aantal: int, seed: int = 4) -> list[dict[str, object]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    result: list[dict[str, object]] = []
    for nummer in range(1, aantal + 1):
        record: dict[str, object] = {"naam": f"{rng.choice(WERK)} {nummer}"}
        if rng.random() < 0.3:
            record["omschrijving"] = f"Werk in de wijk, ploeg {rng.randint(1, 40)}"
        for vraag, waarden in ANTWOORDEN.items():
            if rng.random() < 0.85:  # some questions stay unanswered
                record[vraag] = rng.choice(waarden)
        if rng.random() < 0.9:
            record["doelgroep"] = rng.sample(DOELGROEPEN, rng.randint(1, 3))
        result.append(record)
    return result


def write_yaml(path: Path, records: list[dict[str, object]]) -> None:
    lines = ["werkplekken:"]
    for record in records:
        first = True
        for key, value in record.items():
            text = "[" + ", ".join(value) + "]" if isinstance(value, list) else str(value)  # type: ignore[arg-type]
            lines.append(("  - " if first else "    ") + f"{key}: {text}")
            first = False
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(path: Path, records: list[dict[str, object]]) -> None:
    columns = ["naam", "omschrijving", *ANTWOORDEN, "doelgroep"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(columns)
        for record in records:
            cells = []
            for column in columns:
                value = record.get(column, "")
                cells.append(", ".join(value) if isinstance(value, list) else str(value))  # type: ignore[arg-type]
            writer.writerow(cells)
