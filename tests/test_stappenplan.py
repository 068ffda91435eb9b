"""Each line of the wegwijzer's stappenplan (seed 003, stap 1) as an engine test.

A line "Antwoord > spoor, spoor" must raise exactly those sporen with a reason that cites the
stappenplan; the sporentabel may add support, which the tests name where it does.
"""

from __future__ import annotations

import pytest

from conftest import nummers, score_of

STAPPENPLAN = "stappenplan stap 1"

# (vraag, antwoord, sporen the stappenplan line names, sporen the sporentabel adds)
LINES = [
    ("taken", "eenvoudig", {1, 4, 3}, {2}),  # Eenvoudig > fit voor werk, reguliere baan, werkcluster
    ("taken", "complex", {2, 4}, set()),  # Complex > werkend leren, jobcarving
    ("groepsverband", "groep", {1, 5, 6}, {3}),  # Groepsverband > fit voor werk, beschut werk, dagbesteding
    ("groepsverband", "individueel", {2, 4}, set()),  # Individueel > werkend leren, jobcarving
    ("vakvaardigheden", "ja", {2}, set()),  # geschikt om vakvaardigheden te leren > werkend leren
    ("verantwoordelijkheid", "hoog", {2}, set()),  # Hoog > werkend leren
    ("verantwoordelijkheid", "laag", {1, 5, 3}, set()),  # Laag > fit voor werk, beschut werk, werkcluster
    ("productiedruk", "relevant", {4}, set()),  # Relevant > reguliere baan (met verminderde loonwaarde)
    ("productiedruk", "minder", {5, 1}, {6}),  # Minder relevant > beschut werk, werkervaringsplaats (spoor 1)
]


@pytest.mark.parametrize(("vraag", "antwoord", "lijn", "tabel"), LINES)
def test_stappenplan_line_raises_exactly_its_sporen(advise, vraag, antwoord, lijn, tabel):
    advies = advise(**{vraag: antwoord})
    supported = set(nummers(advies))
    assert supported == lijn | tabel
    for nummer in lijn:
        item = next(s for s in advies.sporen if s.spoor.nummer == nummer)
        assert any(STAPPENPLAN in r.bron and r.gewicht > 0 for r in item.redenen), item.redenen
        assert all(r.vraag == vraag for r in item.redenen)
    for nummer in tabel:
        item = next(s for s in advies.sporen if s.spoor.nummer == nummer)
        assert any("sporentabel" in r.bron for r in item.redenen)


def test_line_sporen_share_the_same_weight(advise):
    # The stappenplan gives no order within a line, so neither may the tool: a tie.
    advies = advise(taken="eenvoudig")
    assert {score_of(advies, n) for n in (1, 3, 4)} == {2.0}
    assert nummers(advies)[:3] == [1, 3, 4]
    assert all(s.gelijk for s in advies.sporen[:3])
    assert score_of(advies, 2) < 2.0, "the sporentabel's 'eenvoudige werkzaamheden als start' weighs less"


def test_minder_relevant_is_accepted_as_written_in_the_wegwijzer(vocab):
    assert vocab.answer("productiedruk", "minder relevant") == ("minder", None)
    assert vocab.answer("productiedruk", "Minder Relevant ") == ("minder", None)


def test_werkcluster_supported_by_groepsverband_via_the_sporentabel(advise):
    advies = advise(groepsverband="groep")
    reasons = next(s for s in advies.sporen if s.spoor.nummer == 3).redenen
    assert any("groepsverband" in r.tekst for r in reasons)


def test_stap3_doel_zorg_points_to_dagbesteding(advise):
    advies = advise(doel="zorg")
    assert nummers(advies) == [6]
    assert {s.spoor.nummer for s in advies.afgewezen} >= {2, 3, 4, 5}


def test_stap3_doel_leren_werken_points_to_fit_voor_werk(advise):
    assert nummers(advise(doel="leren-werken"))[0] == 1


def test_stap3_doel_onderwijs_points_to_onderwijsparticipatie(advise):
    assert nummers(advise(doel="onderwijs"))[0] == 7


def test_stap2_no_daily_supervision_weakens_supervised_sporen(advise):
    advies = advise(begeleiding="nee")
    for nummer in (1, 3, 5, 6):
        assert score_of(advies, nummer) < 0
    assert nummers(advies) == []


def test_both_starting_points_ask_the_same_questions(kb):
    from spoorwijzer.interview import question_order

    werk = [v for _, _, vragen in question_order(kb, "werk") for v in vragen]
    doelgroep = [v for _, _, vragen in question_order(kb, "doelgroep") for v in vragen]
    assert sorted(werk) == sorted(doelgroep) == sorted(v.id for v in kb.vragen)
    assert werk[0] == "taken"
    assert doelgroep[0] == "doelgroep"
