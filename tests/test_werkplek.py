"""Reading werkplek files: the interface spec's format, forgiving spelling, and every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from spoorwijzer.errors import UserError
from spoorwijzer.werkplek import parse_csv, parse_yaml, read_werkplekken


def _read(tmp_path: Path, vocab, text: str | bytes, name: str = "werk.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return read_werkplekken(path, vocab)


def test_single_werkplek_at_top_level(vocab):
    result = parse_yaml("naam: Fietsen\ntaken: eenvoudig\n", "w.yaml", vocab)
    assert not result.problems
    assert result.werkplekken[0].naam == "Fietsen"
    assert result.werkplekken[0].antwoorden == {"taken": "eenvoudig"}


def test_keys_and_values_are_case_insensitive_and_trimmed(vocab):
    text = "werkplekken:\n  - Naam: ' A '\n    TAKEN: ' Eenvoudig '\n    Productiedruk: Minder relevant\n"
    result = parse_yaml(text, "w.yaml", vocab)
    assert not result.problems
    assert result.werkplekken[0].naam == "A"
    assert result.werkplekken[0].antwoorden == {"taken": "eenvoudig", "productiedruk": "minder"}


def test_yaml_booleans_count_as_ja_nee(vocab):
    text = "naam: A\nvakvaardigheden: true\ncollegas: no\nbegeleiding: yes\n"
    result = parse_yaml(text, "w.yaml", vocab)
    assert result.werkplekken[0].antwoorden == {"vakvaardigheden": "ja", "collegas": "nee", "begeleiding": "ja"}


def test_onbekend_and_missing_are_unanswered(vocab):
    result = parse_yaml("naam: A\ntaken: onbekend\ndoelgroep: []\nprikkels:\n", "w.yaml", vocab)
    assert not result.problems
    assert result.werkplekken[0].antwoorden == {}


def test_doelgroep_as_one_id_a_list_or_a_separated_string(vocab):
    for value in ("bijstand", "[bijstand, WW]", "'bijstand; ww'", "'bijstand, ww'"):
        result = parse_yaml(f"naam: A\ndoelgroep: {value}\n", "w.yaml", vocab)
        assert not result.problems, value
        assert result.werkplekken[0].antwoorden["doelgroep"][0] == "bijstand"


def test_bom_is_accepted(tmp_path, vocab):
    result = _read(tmp_path, vocab, "\ufeffnaam: A\ntaken: complex\n".encode())
    assert result.werkplekken[0].antwoorden == {"taken": "complex"}


def test_collegas_with_apostrophe_is_the_same_key(vocab):
    result = parse_yaml('naam: A\n"collega\'s": ja\n', "w.yaml", vocab)
    assert result.werkplekken[0].antwoorden == {"collegas": "ja"}


def test_answers_come_out_in_question_order(vocab, kb):
    result = parse_yaml("naam: A\ndoel: zorg\ntaken: eenvoudig\n", "w.yaml", vocab)
    assert list(result.werkplekken[0].antwoorden) == ["taken", "doel"]


def test_every_problem_of_a_file_with_line_field_and_allowed_values(vocab):
    text = (
        "werkplekken:\n"
        "  - naam: A\n"
        "    takken: eenvoudig\n"  # line 3: typo
        "    doelgroep: [bijstand, statushouderz]\n"  # line 4: unknown doelgroep
        "    productiedruk: 3\n"  # line 5: number
        "  - naam: B\n"
        "    begeleiding: {x: 1}\n"  # line 7: mapping
        "    taken: moeilijk\n"  # line 8: wrong value
        "  - omschrijving: zonder naam\n"  # line 9: no naam
        "  - naam: a\n"  # line 10: duplicate naam (case-insensitive)
    )
    result = parse_yaml(text, "w.yaml", vocab)
    rendered = [p.render() for p in result.problems]
    assert len(rendered) == 7, rendered
    assert rendered[0].startswith("w.yaml:3, werkplek 'A', veld 'takken'") and "Bedoelt u 'taken'?" in rendered[0]
    assert "w.yaml:4" in rendered[1] and "Bedoelt u 'statushouder" in rendered[1]
    assert "w.yaml:5" in rendered[2] and "getal" in rendered[2] and "relevant, minder" in rendered[2]
    assert "w.yaml:7" in rendered[3] and "sleutel: waarde" in rendered[3]
    assert "w.yaml:8" in rendered[4] and "eenvoudig, complex, gemengd" in rendered[4]
    assert "w.yaml:9" in rendered[5] and "geen 'naam'" in rendered[5]
    assert "w.yaml:10" in rendered[6] and "al eerder" in rendered[6]
    assert result.werkplekken == []  # every werkplek here has a problem


def test_werkplekken_must_be_a_list(vocab):
    result = parse_yaml("werkplekken:\n  naam: A\n", "w.yaml", vocab)
    assert "moet een lijst zijn" in result.problems[0].render()


def test_empty_file(tmp_path, vocab):
    assert "leeg" in _read(tmp_path, vocab, "").problems[0].message
    assert "leeg" in _read(tmp_path, vocab, "# alleen commentaar\n").problems[0].message


def test_malformed_yaml_names_line_and_column(tmp_path, vocab):
    with pytest.raises(UserError) as caught:
        _read(tmp_path, vocab, "naam: A\n  taken: [\n")
    problem = caught.value.problems[0]
    assert problem.line == 2 and problem.column is not None
    assert "geen geldige YAML" in problem.message


def test_yaml_tags_are_refused_never_executed(tmp_path, vocab):
    marker = tmp_path / "HACKED"
    text = f"naam: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(UserError) as caught:
        _read(tmp_path, vocab, text)
    assert "tags" in caught.value.problems[0].message
    assert not marker.exists()


def test_not_utf8_says_how_to_fix_it(tmp_path, vocab):
    with pytest.raises(UserError) as caught:
        _read(tmp_path, vocab, "naam: café\n".encode("latin-1"))
    assert "UTF-8" in caught.value.problems[0].message


def test_binary_garbage(tmp_path, vocab):
    with pytest.raises(UserError) as caught:
        _read(tmp_path, vocab, b"\x00\x01\x02binary")
    assert "binaire" in caught.value.problems[0].message


def test_missing_file(tmp_path, vocab):
    with pytest.raises(UserError) as caught:
        read_werkplekken(tmp_path / "nergens.yaml", vocab)
    assert "bestaat niet" in caught.value.problems[0].message


def test_csv_with_comma_or_semicolon_and_bom(vocab):
    comma = "naam,taken,doelgroep\nA,eenvoudig,bijstand;ww\nB,complex,\n"
    semicolon = '\ufeffnaam;taken;doelgroep\nA;eenvoudig;"bijstand, ww"\nB;complex;\n'.removeprefix("\ufeff")
    for text in (comma, semicolon):
        result = parse_csv(text, "w.csv", vocab)
        assert not result.problems
        assert [w.naam for w in result.werkplekken] == ["A", "B"]
        assert result.werkplekken[0].antwoorden == {"taken": "eenvoudig", "doelgroep": ("bijstand", "ww")}
        assert result.werkplekken[1].antwoorden == {"taken": "complex"}


def test_csv_problems_name_the_row(vocab):
    result = parse_csv("naam,taken,takken\nA,eenvoudig,x\nB,moeilijk,\n", "w.csv", vocab)
    rendered = [p.render() for p in result.problems]
    assert any(r.startswith("w.csv:2") and "takken" in r for r in rendered)
    assert any(r.startswith("w.csv:3") and "moeilijk" in r for r in rendered)


def test_csv_is_read_by_extension(tmp_path, vocab):
    result = _read(tmp_path, vocab, "naam;doel\nA;zorg\n", name="werk.csv")
    assert result.werkplekken[0].antwoorden == {"doel": "zorg"}


def test_common_spellings_of_doelgroepen_are_understood(vocab):
    answer, message = vocab.answer("doelgroep", "Statushouders; Wajongers, doelgroepregister")
    assert message is None
    assert answer == ("statushouder", "wajong", "banenafspraak")


def test_line_numbers_for_keys_written_differently(vocab):
    result = parse_yaml('naam: A\n"Collega\'s": misschien\n', "w.yaml", vocab)
    assert result.problems[0].line == 2


def test_a_key_written_twice_is_reported_not_silently_dropped(vocab):
    result = parse_yaml("naam: A\ndoel: werken\ntaken: eenvoudig\ndoel: zorg\n", "w.yaml", vocab)
    problem = result.problems[0]
    assert problem.line == 4 and problem.field == "doel"
    assert "twee keer" in problem.message and "regel 2 en 4" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("naam: A\n\ttaken: x\n", 2, "tab"),
        ("werkplekken:\n  - naam: A\n    taken eenvoudig\n    doel: werken\n", 3, "dubbele punt ontbreekt"),
    ],
)
def test_common_yaml_mistakes_in_dutch_on_the_right_line(tmp_path, vocab, text, line, expected):
    with pytest.raises(UserError) as caught:
        _read(tmp_path, vocab, text)
    problem = caught.value.problems[0]
    assert problem.line == line
    assert expected in problem.message


def test_a_notes_column_is_kept_not_refused(vocab):
    result = parse_csv("naam;taken;opmerking\nA;eenvoudig;navragen bij HR\n", "w.csv", vocab)
    assert not result.problems
    assert result.werkplekken[0].opmerking == "navragen bij HR"


def test_a_typo_in_werkplekken_is_named(vocab):
    result = parse_yaml("werkplekke:\n  - naam: A\n", "w.yaml", vocab)
    assert "Bedoelt u 'werkplekken'?" in result.problems[0].message
    assert result.problems[0].line == 1


def test_csv_row_with_too_many_cells_explains_quoting(vocab):
    result = parse_csv("naam;taken;doelgroep\nA;eenvoudig;bijstand;ww\n", "w.csv", vocab)
    assert "aanhalingstekens" in result.problems[0].message
