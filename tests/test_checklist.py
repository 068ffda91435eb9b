"""The checklist after an advice: the stappenplan's steps 4-6, filled in for the advised spoor."""

from __future__ import annotations

from profielen import CANONICAL
from spoorwijzer.checklist import build_checklist


def _texts(kb, advies, startpunt="werk"):
    return {stap.nummer: stap for stap in build_checklist(kb, advies, startpunt)}


def test_checklist_has_steps_4_to_6_with_partners_instruments_and_columns(kb, advise):
    advies = advise(**CANONICAL[4])
    stappen = _texts(kb, advies)
    assert sorted(stappen) == [4, 5, 6]
    partners = next(p for p in stappen[4].punten if p.details)
    assert any("Werkgeversservicepunt" in d for d in partners.details)
    assert any("Loonwaarde" in p.tekst or "loonwaarde" in p.tekst for p in stappen[6].punten)
    dienstverband = next(p for p in stappen[6].punten if any("dienstverband" in d for d in p.details))
    assert "Vast" in dienstverband.details[0]


def test_no_loonwaarde_for_a_spoor_without_wage(kb, advise):
    for nummer in (1, 6, 7):
        stappen = _texts(kb, advise(**CANONICAL[nummer]))
        assert not any("loonwaarde" in p.tekst for p in stappen[6].punten), nummer


def test_both_starting_points_end_with_the_same_checklist(kb, advise):
    advies = advise(**CANONICAL[3])
    werk = [(s.nummer, [p.tekst for p in s.punten]) for s in build_checklist(kb, advies, "werk")]
    doelgroep = [(s.nummer, [p.tekst for p in s.punten]) for s in build_checklist(kb, advies, "doelgroep")]
    assert werk == doelgroep
