"""The memo that skips the checks for records like those seen before (werkplek.Normalizer), in YAML
files: it must never take a number or boolean for a text, and never hide a problem."""

from __future__ import annotations

import pytest

from spoorwijzer.werkplek import Normalizer, normalize_record, read_werkplekken


def _read(tmp_path, text, vocab):
    path = tmp_path / "werk.yaml"
    path.write_text(text, encoding="utf-8")
    return read_werkplekken(path, vocab)


def test_values_seen_before_give_the_same_werkplek(tmp_path, vocab):
    rows = "".join(
        f"  - naam: W{i}\n    taken: eenvoudig\n    vakvaardigheden: yes\n    doelgroep: [bijstand, WW]\n"
        for i in range(30)
    )
    result = _read(tmp_path, "werkplekken:\n" + rows, vocab)
    assert not result.problems
    first, last = result.werkplekken[0], result.werkplekken[-1]
    assert (
        first.antwoorden
        == last.antwoorden
        == {
            "taken": "eenvoudig",
            "vakvaardigheden": "ja",
            "doelgroep": ("bijstand", "ww"),
        }
    )
    assert [w.regel for w in result.werkplekken[:2]] == [2, 6]


@pytest.mark.parametrize("value", ["1", "1.0", "0", "true", "[1]"])
def test_a_number_or_boolean_is_never_taken_for_a_text_seen_before(tmp_path, vocab, value):
    # "ja" and "nee" seen first as text; then a value that equals True/1 in Python must still be judged.
    text = (
        "werkplekken:\n"
        "  - naam: A\n    vakvaardigheden: 'ja'\n    taken: 'eenvoudig'\n"
        "  - naam: B\n    vakvaardigheden: 'nee'\n    taken: 'eenvoudig'\n"
        f"  - naam: C\n    vakvaardigheden: {value}\n    taken: eenvoudig\n"
    )
    path = tmp_path / "werk.yaml"
    path.write_text(text, encoding="utf-8")
    result = read_werkplekken(path, vocab)
    careful = [
        normalize_record(r, vocab, file="x", fallback_line=1)
        for r in ({"naam": "C", "vakvaardigheden": v, "taken": "eenvoudig"} for v in [_yaml_value(value)])
    ]
    werkplek, problems = careful[0]
    names = [w.naam for w in result.werkplekken]
    assert ("C" in names) == (werkplek is not None)
    assert bool(result.problems) == bool(problems)


def _yaml_value(text: str):
    import yaml

    return yaml.safe_load(text)


def test_the_memo_learns_only_from_valid_records(vocab):
    normalizer = Normalizer(vocab)
    good = {"naam": "A", "taken": "Eenvoudig", "doelgroep": ["bijstand"]}
    werkplek, problems = normalizer(good, "x", 1)
    assert werkplek is not None and not problems
    assert normalizer.known({"naam": "B", "taken": "Eenvoudig", "doelgroep": ["bijstand"]}, 2) is not None
    bad = {"naam": "C", "taken": "eenvoudg"}
    assert normalizer(bad, "x", 3)[0] is None
    assert normalizer.known(bad, 3) is None
    assert normalizer.known({"naam": "D", "taken": True}, 4) is None
