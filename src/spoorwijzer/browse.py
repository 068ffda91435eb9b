"""Filters behind the browse commands (cases, partners, instrumenten): pure functions over the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spoorwijzer.engine import in_force, serves
from spoorwijzer.errors import UserError, allowed_list, did_you_mean
from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.text import all_texts


def filter_cases(kb: Kennisbank, spoor: int | None, zoek: str | None) -> list[dict[str, Any]]:
    result = []
    for case in kb.cases:
        if spoor is not None and case.get("spoor") != spoor and spoor not in (case.get("ook_sporen") or []):
            continue
        if zoek and zoek.strip().lower() not in " ".join(all_texts(case)).lower():
            continue
        result.append(case)
    # The case's own spoor first, cases that only touch the spoor after.
    return sorted(result, key=lambda c: (spoor is not None and c.get("spoor") != spoor, c.get("spoor", 0), c["id"]))


def find_case(kb: Kennisbank, case_id: str) -> dict[str, Any]:
    wanted = case_id.strip().lower()
    case = kb.case(wanted)
    if case is not None:
        return case
    ids = [c["id"] for c in kb.cases]
    partial = [i for i in ids if wanted and wanted in i]
    if len(partial) == 1:
        found = kb.case(partial[0])
        assert found is not None
        return found
    raise UserError.single(
        f"Er is geen case '{case_id}'.{did_you_mean(wanted, ids)}", field="ID", allowed=allowed_list(ids)
    )


def _as_set(doelgroep: str | None) -> frozenset[str]:
    return frozenset({doelgroep}) if doelgroep else frozenset()


def filter_partners(kb: Kennisbank, spoor: int | None, doelgroep: str | None) -> list[dict[str, Any]]:
    return [
        p
        for p in kb.partners
        if (spoor is None or any(int(r["spoor"]) == spoor for r in p.get("sporen", [])))
        and serves(p.get("doelgroepen", "alle"), _as_set(doelgroep))
    ]


def filter_instrumenten(
    kb: Kennisbank, spoor: int | None, doelgroep: str | None, peildatum: dt.date, *, include_ended: bool = False
) -> list[dict[str, Any]]:
    return [
        i
        for i in kb.instrumenten
        if (include_ended or in_force(i, peildatum))
        and (spoor is None or spoor in [int(n) for n in i.get("sporen", [])])
        and serves(i.get("doelgroepen", "alle"), _as_set(doelgroep))
    ]
