"""The engine directly: ranking, ties, reasons, warnings, partners, instruments, cases."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PEILDATUM, nummers, score_of
from profielen import CANONICAL
from spoorwijzer.engine import Regels


@pytest.mark.parametrize("nummer", sorted(CANONICAL))
def test_sporentabel_profile_gets_its_spoor(advise, nummer):
    advies = advise(**CANONICAL[nummer])
    assert nummers(advies)[0] == nummer
    assert not advies.sporen[0].gelijk


def test_every_score_is_the_sum_of_its_reasons(advise):
    advies = advise(**CANONICAL[3])
    for item in advies.sporen + advies.afgewezen:
        assert item.score == pytest.approx(sum(r.gewicht for r in item.redenen))
        assert item.redenen, "no score without a reason"
        assert all(r.bron for r in item.redenen)


def test_reason_text_names_question_answer_and_weight(advise):
    advies = advise(taken="eenvoudig")
    text = advies.sporen[0].redenen[0].render()
    assert text.startswith("taken = eenvoudig: ")
    assert text.endswith("(+2)")


def test_ties_are_shown_as_ties_in_spoor_order(advise):
    advies = advise(taken="complex")
    assert nummers(advies) == [2, 4]
    assert all(s.gelijk for s in advies.sporen)
    assert any("Gelijke score" in w for w in advies.waarschuwingen)
    assert [s.nummer for s in advies.advies_sporen] == [2, 4]


def test_unanswered_questions_are_listed_in_question_order(advise, kb):
    advies = advise(doel="zorg", taken="eenvoudig")
    assert advies.onbeantwoord == [v.id for v in kb.vragen if v.id not in ("doel", "taken")]


def test_no_answers_gives_no_advice_and_says_so(advise, kb):
    advies = advise()
    assert advies.sporen == []
    assert advies.partners == advies.instrumenten == advies.cases == []
    assert len(advies.onbeantwoord) == len(kb.vragen)
    assert any("nog geen vragen" in w for w in advies.waarschuwingen)


def test_doelgroep_outside_instroom_weakens_and_is_named(advise):
    advies = advise(doelgroep=["ww"])
    beschut = next(s for s in advies.afgewezen if s.spoor.nummer == 5)
    assert beschut.score < 0
    assert any("WW" in r.tekst and "niet bij de instroom" in r.tekst for r in beschut.redenen)
    assert 5 not in nummers(advies)


def test_doelgroep_that_no_top_spoor_admits_is_warned(advise):
    advies = advise(**{**CANONICAL[6], "doelgroep": ["ww", "wmo"]})
    assert nummers(advies)[0] == 6
    assert not any("hoort niet bij de instroom" in w for w in advies.waarschuwingen)
    advies = advise(**{**CANONICAL[5], "doelgroep": ["wmo"]})
    assert any("hoort niet bij de instroom" in w and "Wmo" in w for w in advies.waarschuwingen)


def test_warning_when_supervision_is_missing_for_a_supervised_spoor(advise):
    advies = advise(**{**CANONICAL[1], "begeleiding": "nee"})
    assert nummers(advies)[0] == 1
    assert any("dagelijkse begeleiding" in w and "Fit voor werk" in w for w in advies.waarschuwingen)


def test_no_supervision_warning_for_a_regular_job(advise):
    advies = advise(**{**CANONICAL[4], "begeleiding": "nee"})
    assert nummers(advies)[0] == 4
    assert not any("dagelijkse begeleiding" in w for w in advies.waarschuwingen)


def test_warning_when_care_goal_meets_production_pressure(advise):
    advies = advise(doel="zorg", productiedruk="relevant")
    assert any("zorg" in w and "productiedruk" in w for w in advies.waarschuwingen)


def test_runner_up_within_margin_shares_partners_and_cases(advise):
    # Beschut werk and werkcluster one point apart: simple tasks (a werkcluster line) against low
    # production pressure (a beschut werk line), the situation of the Dar case.
    advies = advise(
        taken="eenvoudig",
        groepsverband="groep",
        productiedruk="minder",
        begeleiding="ja",
        doel="werken",
        duur="structureel",
        doelgroep=["bijstand"],
    )
    assert nummers(advies)[:2] == [5, 3]
    assert score_of(advies, 5) - score_of(advies, 3) <= 1
    assert [s.nummer for s in advies.advies_sporen] == [5, 3]
    assert {c["spoor"] for c in advies.cases} >= {3, 5}


def test_partners_follow_the_partner_table_and_the_doelgroep(advise, kb):
    advies = advise(**CANONICAL[1])
    ids = [p["id"] for p in advies.partners]
    assert "wsp" in ids
    assert next(p for p in advies.partners if p["id"] == "wsp")["naam"] == "Werkgeversservicepunt / Werkcentrum"
    assert "reclassering" not in ids, "narrowed by the doelgroep (bijstand)"
    with_reclassering = advise(**{**CANONICAL[1], "doelgroep": ["reclassering"]})
    assert "reclassering" in [p["id"] for p in with_reclassering.partners]
    assert all(1 in p["sporen"] for p in advies.partners)


def test_partners_without_doelgroep_show_the_whole_table_row(advise, kb):
    profile = {k: v for k, v in CANONICAL[1].items() if k != "doelgroep"}
    ids = {p["id"] for p in advise(**profile).partners}
    table_row = {p["id"] for p in kb.partners if any(r["spoor"] == 1 for r in p["sporen"])}
    assert ids == table_row


def test_instruments_fit_spoor_and_doelgroep(advise):
    advies = advise(**CANONICAL[4])
    ids = [i["id"] for i in advies.instrumenten]
    assert "loondispensatie" in ids  # Wajong
    assert "jobcoach" in ids
    for instrument in advies.instrumenten:
        assert 4 in instrument["sporen"]
        assert instrument["peildatum"]
    bijstand = advise(**{**CANONICAL[4], "doelgroep": ["bijstand"]})
    assert "loonkostensubsidie" in [i["id"] for i in bijstand.instrumenten]
    assert "loondispensatie" not in [i["id"] for i in bijstand.instrumenten]


def test_ended_instruments_are_never_recommended(kb, regels: Regels):
    ended = {i["id"] for i in kb.instrumenten if "vervallen" in i}
    assert {"lkv-oudere-werknemer", "liv", "mobiliteitsbonus"} <= ended
    for nummer, profile in CANONICAL.items():
        clean = {k: tuple(v) if isinstance(v, list) else v for k, v in profile.items()}
        advies = regels.advise(str(nummer), clean, PEILDATUM)
        assert not ended & {i["id"] for i in advies.instrumenten}


def test_an_instrument_counts_until_its_end_date(kb):
    from spoorwijzer.engine import in_force

    instrument = {"id": "x", "vervallen": dt.date(2026, 1, 1)}
    assert in_force(instrument, dt.date(2025, 12, 31))
    assert not in_force(instrument, dt.date(2026, 1, 1))
    assert in_force({"id": "y"}, PEILDATUM)


def test_cases_for_the_best_spoor_come_first(advise):
    advies = advise(**CANONICAL[6])
    assert advies.cases[0]["spoor"] == 6
    assert advies.cases[0]["id"] == "stilema-dagbesteding"


def test_vanuit_doelgroep_only_doel_duur_doelgroep(advise):
    # The first step of the "vanuit doelgroep" stappenplan alone already points the way.
    assert nummers(advise(doelgroep=["wmo"], doel="zorg"))[0] == 6
    assert nummers(advise(doelgroep=["mbo-student"], doel="onderwijs", duur="tijdelijk"))[0] == 7
    assert nummers(advise(doelgroep=["bijstand"], doel="leren-werken", duur="tijdelijk"))[0] == 1
    tie = advise(doelgroep=["wajong"], doel="werken", duur="structureel")
    assert nummers(tie)[:3] == [3, 4, 5]
    assert all(s.gelijk for s in tie.sporen[:3])


def test_engine_knows_no_spoor_by_name():
    from pathlib import Path

    import spoorwijzer

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(spoorwijzer.__file__).parent.glob("*.py"))
    for name in ("fit-voor-werk", "werkend-leren", "beschut-werk", "dagbesteding", "Werkcluster", "jobcarving"):
        assert name not in source, name


def test_a_new_spoor_is_a_data_change(kb):
    """Adding a spoor and a rule to the data makes the engine score it, without code changes."""
    import dataclasses

    from spoorwijzer.kennisbank import Effect, Spoor

    nieuw = Spoor(8, "proef-spoor", "Proefspoor", "", frozenset(), frozenset({"ww"}), {})
    vraag = kb.vraag("taken")
    antwoorden = tuple(
        dataclasses.replace(a, effecten=(*a.effecten, Effect((8,), 5.0, "proef", "test")))
        if a.waarde == "eenvoudig"
        else a
        for a in vraag.antwoorden
    )
    vragen = tuple(dataclasses.replace(v, antwoorden=antwoorden) if v.id == "taken" else v for v in kb.vragen)
    changed = dataclasses.replace(kb, sporen=(*kb.sporen, nieuw), vragen=vragen)
    advies = Regels(changed).advise("x", {"taken": "eenvoudig", "doelgroep": ("ww",)}, PEILDATUM)
    assert advies.sporen[0].spoor.id == "proef-spoor"


def test_a_kenmerk_doelgroep_only_adds_where_the_wegwijzer_names_it(advise):
    # Statushouders mostly have bijstand too: being a statushouder is no reason against a spoor.
    advies = advise(doelgroep=["statushouder"])
    assert all(r.gewicht > 0 for s in advies.sporen for r in s.redenen)
    assert advies.afgewezen == []
    assert {s.spoor.nummer for s in advies.sporen} == {1, 4}


def test_instroom_reason_says_where_the_wegwijzer_names_the_doelgroep(advise):
    advies = advise(doelgroep=["wmo"], doel="zorg")
    reason = next(r for r in advies.sporen[0].redenen if r.vraag == "doelgroep")
    assert "case Stilema" in reason.tekst


def test_instruments_for_other_doelgroepen_are_mentioned(advise):
    advies = advise(**CANONICAL[5])  # wajong: beschut werk (Participatiewet) is not theirs
    assert "beschut-werk" not in [i["id"] for i in advies.instrumenten]
    assert any("niet voor deze doelgroep" in t and "Beschut werk" in t for t in advies.let_op)
    assert {"gemeente", "sociale-werkvoorziening"} <= {p["id"] for p in advies.partners}


def test_structural_place_in_a_temporary_spoor_is_warned(advise):
    advies = advise(**{**CANONICAL[1], "duur": "structureel"})
    assert nummers(advies)[0] == 1
    assert any("tijdelijk van aard" in w for w in advies.waarschuwingen)


def test_every_pair_of_answers_gives_a_consistent_advice(kb, regels: Regels):
    """Invariants over all combinations of two answers (and every doelgroep alone)."""
    import itertools

    options = [(v.id, a.waarde) for v in kb.vragen if v.type != "meerkeuze" for a in v.antwoorden] + [
        ("doelgroep", (d,)) for d in kb.doelgroepen
    ]
    for (k1, v1), (k2, v2) in itertools.combinations(options, 2):
        if k1 == k2:
            continue
        advies = regels.advise("x", {k1: v1, k2: v2}, PEILDATUM)
        scores = [s.score for s in advies.sporen]
        assert scores == sorted(scores, reverse=True)
        assert all(s.score > 0 for s in advies.sporen)
        assert all(s.score <= 0 for s in advies.afgewezen)
        for item in advies.sporen + advies.afgewezen:
            assert item.score == pytest.approx(sum(r.gewicht for r in item.redenen))
        assert set(advies.onbeantwoord) == {v.id for v in kb.vragen} - {k1, k2}
        if advies.sporen:
            assert advies.advies_sporen[0] == advies.sporen[0].spoor


def test_kenmerk_doelgroep_outside_the_instroom_is_no_conflict(advise, kb):
    # A kenmerk (statushouder) only adds: it neither lowers a spoor's score nor gets the instroom warning.
    beschut = next(s for s in kb.sporen if s.nummer == 5)
    assert "statushouder" not in beschut.instroom
    advies = advise(**{**CANONICAL[5], "doelgroep": ["statushouder"]})
    assert nummers(advies)[0] == 5
    zonder_doelgroep = {k: v for k, v in CANONICAL[5].items() if k != "doelgroep"}
    assert score_of(advies, 5) == score_of(advise(**zonder_doelgroep), 5)
    assert not any("hoort niet bij de instroom" in w for w in advies.waarschuwingen)
