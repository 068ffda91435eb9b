"""Round 4 of "fast": the full advice keeps its reasons in parts (`SpoorScore.delen`), the JSON text
encodes each part once, and the YAML batch pauses the cyclic garbage collector. The bytes must stay
exactly those of `json.dumps(output.advies_to_dict(...), ensure_ascii=False, indent=2, default=str)`.
No test here measures time."""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
from collections.abc import Iterator
from itertools import chain

import pytest

from conftest import PEILDATUM, REPO
from spoorwijzer import output, stroom
from spoorwijzer.engine import Advies, Regels, SpoorScore
from spoorwijzer.errors import UserError
from spoorwijzer.jsontekst import JsonTekst
from spoorwijzer.werkplek import Vocabulary, normalize_record

sys.path.insert(0, str(REPO / "benchmarks"))

from genereer import werkplekken, write_yaml

VOORBEELD = REPO / "voorbeelden" / "eigen-data"


def plain(advies: Advies, top: int | None = None, indent: int = 0) -> bytes:
    text = json.dumps(output.advies_to_dict(advies, top), ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n" + " " * indent).encode()


def generated(regels: Regels, vocab: Vocabulary, aantal: int, seed: int) -> Iterator[Advies]:
    for number, record in enumerate(werkplekken(aantal, seed=seed)):
        if number % 5 == 0:
            record["opmerking"] = 'notitie met "aanhalingstekens", \\, é, ’ en een\ttab'
        werkplek, problems = normalize_record(record, vocab, file="x")
        assert werkplek is not None, problems
        advies = regels.advise(werkplek.naam, werkplek.antwoorden, PEILDATUM, werkplek.omschrijving)
        advies.opmerking = werkplek.opmerking
        yield advies


def test_thousands_of_generated_adviezen_are_byte_for_byte_json_dumps(regels, vocab):
    encoder = JsonTekst()  # one encoder for all: what it remembers must never leak into another advice
    count = 0
    for advies in generated(regels, vocab, 2000, seed=41):
        expected = plain(advies)
        assert encoder.advies(advies, None, 4) == expected.replace(b"\n", b"\n    ")
        assert encoder.advies(advies) == expected
        count += 1
    assert count == 2000


@pytest.mark.parametrize("top", [0, 1, 2, 3, 7])
def test_top_variants_are_byte_for_byte_json_dumps(regels, vocab, top):
    encoder = JsonTekst()
    for advies in generated(regels, vocab, 300, seed=43 + top):
        assert encoder.advies(advies, top, 4) == plain(advies, top, 4)


def test_ties_kept_by_top_are_written_like_json_dumps(regels, vocab):
    encoder = JsonTekst()
    ties = kept = 0
    for advies in generated(regels, vocab, 600, seed=47):
        ties += any(s.gelijk for s in advies.sporen)
        kept += len(output.cut_sporen(advies.sporen, 1)) > 1  # a tie with the first: never cut off
        assert encoder.advies(advies, 1, 4) == plain(advies, 1, 4)
    assert ties and kept  # the sample has ties, so this test can see them go wrong


def test_empty_and_rejected_only_adviezen(regels):
    encoder = JsonTekst()
    leeg = regels.advise("Leeg", {}, PEILDATUM)
    assert leeg.sporen == [] and leeg.afgewezen == []
    # Only reasons against: every spoor rejected, nothing listed.
    tegen = regels.advise("Tegen", {"doel": "zorg", "productiedruk": "relevant"}, PEILDATUM)
    for advies in (leeg, tegen):
        for top in (None, 0, 1):
            assert encoder.advies(advies, top, 4) == plain(advies, top, 4)
            assert encoder.advies(advies, top) == plain(advies, top)


def test_parts_hold_exactly_the_reasons(regels, vocab):
    for advies in generated(regels, vocab, 300, seed=53):
        for item in advies.sporen + advies.afgewezen:
            assert item.delen and list(chain.from_iterable(item.delen)) == item.redenen
        totals, redenen = regels.scores(advies.antwoorden)
        totals_delen, delen = regels.score_delen(advies.antwoorden)
        assert totals == totals_delen
        assert redenen == [list(chain.from_iterable(parts)) for parts in delen]


def test_doelgroepen_in_another_order_share_their_reason_parts(regels):
    a = regels.advise("A", {"taken": "eenvoudig", "doelgroep": ("ww", "wajong", "bijstand")}, PEILDATUM)
    b = regels.advise("B", {"taken": "eenvoudig", "doelgroep": ("bijstand", "ww", "wajong")}, PEILDATUM)
    assert [s.delen for s in a.sporen] == [s.delen for s in b.sporen]
    assert all(x is y for s, t in zip(a.sporen, b.sporen, strict=True) for x, y in zip(s.delen, t.delen, strict=True))
    encoder = JsonTekst()
    assert encoder.advies(a, None, 4) == plain(a, None, 4) and encoder.advies(b, None, 4) == plain(b, None, 4)


def test_sporen_made_elsewhere_without_parts_and_changed_lists(regels, vocab):
    """A SpoorScore without parts (made by other code) is written from its reasons; lists that are
    edited, reordered or new are written as they are (the memo goes by the identity of the items)."""
    encoder = JsonTekst()
    for advies in generated(regels, vocab, 200, seed=59):
        encoder.advies(advies, None, 4)  # remember its parts and lists first
        advies.sporen = [SpoorScore(s.spoor, s.score, list(s.redenen), s.gelijk) for s in advies.sporen]
        advies.afgewezen = [SpoorScore(s.spoor, s.score, s.redenen[:1]) for s in advies.afgewezen]
        advies.partners = list(reversed(advies.partners))
        advies.instrumenten = advies.instrumenten[1:]
        advies.cases = [*advies.cases, {"id": "extra", "titel": "Nieuw", "datum": dt.date(2026, 1, 2)}]
        assert encoder.advies(advies, None, 4) == plain(advies, None, 4)


def test_one_encoder_over_two_knowledge_bases(kb, vocab):
    """Two engines (own data over the shipped data, and the shipped data) through one encoder."""
    from spoorwijzer.eigendata import load_own

    eigen = Regels(load_own(VOORBEELD))
    gewoon = Regels(kb)
    encoder = JsonTekst()
    eigen_gezien = False
    for a, b in zip(generated(eigen, vocab, 300, seed=61), generated(gewoon, vocab, 300, seed=61), strict=True):
        for advies in (a, b):
            assert encoder.advies(advies, None, 4) == plain(advies, None, 4)
            assert encoder.advies(advies, 2, 0) == plain(advies, 2, 0)
        eigen_gezien = eigen_gezien or any(str(p.get("herkomst", "")).startswith("eigen") for p in a.partners)
    assert eigen_gezien


def test_match_json_with_own_data_and_top_is_the_plain_json(runner, tmp_path, vocab, monkeypatch):
    from spoorwijzer import cli
    from spoorwijzer.eigendata import load_own

    monkeypatch.setattr(cli, "_today", lambda: PEILDATUM)
    path = tmp_path / "werk.yaml"
    write_yaml(path, werkplekken(150, seed=67))
    regels = Regels(load_own(VOORBEELD))
    result = stroom.read_werkplekken(path, vocab)
    adviezen = [stroom.advise_werkplek(regels, w, PEILDATUM) for w in result.werkplekken]
    for top in (None, 2):
        args = ["--data", str(VOORBEELD), "match", "--werk", str(path), "--format", "json"]
        args += ["--top", str(top)] if top else []
        uit = runner.invoke(cli.app, args)
        assert uit.exit_code == 0, uit.output
        assert uit.stdout_bytes == output.to_json(adviezen, top).encode()


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # optional: the other tests still run
    given = None


if given is not None:
    _SHARED = JsonTekst()  # shared over all examples: the memo must stay right across them
    _TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # no lone surrogates (no UTF-8)

    @st.composite
    def _werkplek(draw: st.DrawFn, regels: Regels) -> dict:
        antwoorden: dict = {}
        doelgroepen = sorted(regels.kb.doelgroepen)
        for vraag in regels.kb.vragen:
            if vraag.type == "meerkeuze":
                if draw(st.booleans()):
                    ids = draw(st.lists(st.sampled_from(doelgroepen), min_size=1, unique=True, max_size=4))
                    antwoorden[vraag.id] = tuple(ids)
            elif draw(st.integers(0, 4)):
                antwoorden[vraag.id] = draw(st.sampled_from([a.waarde for a in vraag.antwoorden]))
        return antwoorden

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def test_hypothesis_answers_names_and_top(regels, data):
        antwoorden = data.draw(_werkplek(regels))
        naam, omschrijving, opmerking = data.draw(_TEXT), data.draw(_TEXT), data.draw(_TEXT)
        top = data.draw(st.none() | st.integers(0, 8))
        indent = data.draw(st.sampled_from([0, 2, 4]))
        advies = regels.advise(naam, antwoorden, PEILDATUM, omschrijving)
        advies.opmerking = opmerking
        assert _SHARED.advies(advies, top, indent) == plain(advies, top, indent)


# -- the garbage collector in the YAML batch ---------------------------------------------------------------------
@pytest.fixture
def collector() -> Iterator[None]:
    """Every test leaves the collector as it found it (on), whatever happens."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        gc.enable() if was else gc.disable()


def test_yaml_batch_pauses_the_collector_until_the_output_is_done(collector, tmp_path, vocab, regels):
    path = tmp_path / "w.yaml"
    write_yaml(path, werkplekken(60, seed=71))
    chunks = stroom.streamed_output(path, vocab, regels, "json", None, PEILDATUM)
    assert not gc.isenabled()  # already while reading
    pieces = []
    for chunk in chunks:
        assert not gc.isenabled()
        pieces.append(chunk)
    assert gc.isenabled()
    adviezen = [stroom.advise_werkplek(regels, w, PEILDATUM) for w in stroom.read_werkplekken(path, vocab).werkplekken]
    assert b"".join(pieces) == output.to_json(adviezen).encode()


def test_collector_runs_again_after_a_bad_file_or_output_that_is_dropped(collector, tmp_path, vocab, regels):
    bad = tmp_path / "bad.yaml"
    bad.write_text("naam: A\ntaken: moeilijk\n", encoding="utf-8")
    with pytest.raises(UserError):
        stroom.streamed_output(bad, vocab, regels, "json", None, PEILDATUM)
    assert gc.isenabled()
    good = tmp_path / "w.yaml"
    write_yaml(good, werkplekken(5, seed=73))
    never_read = stroom.streamed_output(good, vocab, regels, "json", None, PEILDATUM)
    assert not gc.isenabled()
    del never_read  # dropped without reading a byte
    assert gc.isenabled()
    halfway = stroom.streamed_output(good, vocab, regels, "csv", None, PEILDATUM)
    next(halfway)
    halfway.close()
    assert gc.isenabled()


def test_collector_that_was_off_stays_off(collector, tmp_path, vocab, regels):
    path = tmp_path / "w.yaml"
    write_yaml(path, werkplekken(5, seed=79))
    gc.disable()
    assert b"".join(stroom.streamed_output(path, vocab, regels, "json", 1, PEILDATUM))
    assert not gc.isenabled()


def test_parts_do_not_change_what_a_spoor_score_equals_or_shows(regels):
    advies = regels.advise("A", {"taken": "eenvoudig", "doel": "werken"}, PEILDATUM)
    item = advies.sporen[0]
    zonder = SpoorScore(item.spoor, item.score, list(item.redenen), item.gelijk)
    assert item.delen and zonder == item and repr(zonder) == repr(item)
