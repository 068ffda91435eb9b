"""The compiled CSV -> CSV path (csvsnel.py) gives byte for byte what the general way gives, and the
same problems: over generated inventories, odd spellings, odd rows and odd headers. No timing here."""

from __future__ import annotations

import csv
import io
import os
import random
import sys
from pathlib import Path

import pytest

from conftest import PEILDATUM, REPO
from spoorwijzer import csvsnel, paralleltwee, stroom
from spoorwijzer.csvsnel import CsvSnel, quote_cell
from spoorwijzer.eigendata import load_own
from spoorwijzer.engine import Regels
from spoorwijzer.errors import UserError
from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.werkplek import Vocabulary

sys.path.insert(0, str(REPO / "benchmarks"))
from genereer import werkplekken, write_csv


def _general(path: Path, vocab: Vocabulary, regels: Regels, top: int | None) -> tuple[str, list[str]]:
    """The general way: every row a record, a Werkplek and an Advies, csv.writer quoting."""
    problems = []
    adviezen = []
    for werkplek, found in stroom.werkplekken(path, vocab):
        problems.extend(found)
        if werkplek is not None:
            adviezen.append(stroom.advise_werkplek(regels, werkplek, PEILDATUM, kort=True))
    text = b"".join(stroom.render("csv", adviezen, top)).decode() if not problems else ""
    return text, [p.render() for p in problems]


def _fast(path: Path, vocab: Vocabulary, regels: Regels, top: int | None) -> tuple[str, list[str]]:
    problems: list = []
    text = "".join(CsvSnel(regels, vocab, PEILDATUM, top).lines(path, problems))
    return (text if not problems else ""), [p.render() for p in problems]


def _same(path: Path, vocab: Vocabulary, kb: Kennisbank, top: int | None = None) -> tuple[str, list[str]]:
    # Fresh engines: the memos of one must not decide what the other prints.
    fast = _fast(path, vocab, Regels(kb), top)
    general = _general(path, vocab, Regels(kb), top)
    assert fast == general
    return fast


@pytest.mark.parametrize("top", [None, 1, 2, 0])
def test_a_generated_inventory_gives_the_general_output(tmp_path, vocab, kb, top):
    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(3000, seed=11))
    text, problems = _same(path, vocab, kb, top)
    assert not problems
    assert text.count("\n") > 3000  # every werkplek, and the header


def test_odd_rows_go_the_general_way_with_the_same_result(tmp_path, vocab, kb):
    rows = [
        "naam;taken;groepsverband;doel;doelgroep;omschrijving",
        "# een regel met uitleg;;;;;",
        "Groen, ploeg 1;eenvoudig;groep;werken;bijstand, ww;met komma",
        '"Fietsen ""de Spaak""";COMPLEX;  Groep ;leren-werken;WSW;"twee\nregels"',
        ";;;;;",
        "",
        "Kringloop;weet niet;individueel;zorg;wmo;",
        "  Balie;eenvoudig;;werken;;",
        "Sorteerlijn;gemengd;groep;werken;bijstand;;;",  # empty cells beyond the header: fine
        "Textiel;eenvoudig;groep;werken;;\r",
        "Kort;eenvoudig",
    ]
    path = tmp_path / "werk.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text, problems = _same(path, vocab, kb)
    assert not problems
    assert '"Groen, ploeg 1"' in text and '"Fietsen ""de Spaak"""' in text


def test_problems_are_the_same_and_nothing_is_written(tmp_path, vocab, kb):
    rows = [
        "naam,taken,doel,doelgroep",
        "Groen,eenvoudig,werken,bijstand",
        "Groen,complex,werken,",  # the same naam again
        "Fietsen,eenvoudg,werken,",  # a typo
        "Balie,eenvoudig,werken,studenten",  # an unknown doelgroep
        ",eenvoudig,werken,",  # no naam
        "Breed,eenvoudig,werken,ww,extra",  # a cell too many
        "Sorteerlijn,gemengd,werken,bijstand",
    ]
    path = tmp_path / "werk.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text, problems = _same(path, vocab, kb)
    assert text == "" and len(problems) == 5


@pytest.mark.parametrize(
    "header",
    [
        "naam,taken,,doel",  # a column without a heading
        "naam,taken,taken,doel",  # a column twice
        "naam,takken,doel",  # an unknown column
        "taken,doel",  # no naam
        "Naam,Omschrijving,Productiedruk,Opmerking",  # other spellings, free texts
    ],
)
def test_odd_headers_give_the_same_result(tmp_path, vocab, kb, header):
    path = tmp_path / "werk.csv"
    path.write_text(header + "\nGroen,eenvoudig,,werken\nFietsen,complex,x,leren-werken\n", encoding="utf-8")
    _same(path, vocab, kb)


def test_empty_files_give_the_same_problem(tmp_path, vocab, kb):
    path = tmp_path / "werk.csv"
    for text in ("naam,taken\n", "naam,taken\n# alleen uitleg\n\n", "\nnaam\n"):
        path.write_text(text, encoding="utf-8")
        _, problems = _same(path, vocab, kb)
        assert problems


def test_random_spellings_and_names(tmp_path, vocab, kb):
    """Names with separators, quotes and line ends; answers in other spellings; cells left empty."""
    rng = random.Random(5)
    spellings = {
        "taken": ["eenvoudig", "Eenvoudig ", "COMPLEX", "gemengd", "onbekend", "?", ""],
        "groepsverband": ["groep", "individueel", " Groep", ""],
        "vakvaardigheden": ["ja", "nee", "WAAR", "false", "Ja", ""],
        "productiedruk": ["relevant", "minder relevant", "minder", ""],
        "prikkels": ["veel", "weinig", "n.b.", ""],
        "doel": ["werken", "leren-werken", "zorg", "onderwijs", ""],
        "duur": ["tijdelijk", "structureel", ""],
        "doelgroep": ["bijstand", "WW; wajong", "statushouders", "vso, praktijkschool", "", "onbekend"],
    }
    letters = "abc ,;\"'\n\r-é#"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["naam", *spellings])
    for number in range(1500):
        naam = "".join(rng.choice(letters) for _ in range(rng.randint(0, 6))) + f"w{number}"
        writer.writerow([naam] + [rng.choice(values) for values in spellings.values()])
    path = tmp_path / "werk.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    text, problems = _same(path, vocab, kb)
    assert not problems and text


def test_own_data_gives_the_general_output(tmp_path):
    from test_eigendata import PARTNER, make_dir

    own = tmp_path / "eigen"
    own.mkdir()
    text = PARTNER + PARTNER.replace("partners:\n", "").replace("wsp-oost", "wsp")
    eigen = load_own(make_dir(own, {"partners.yaml": text}))
    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(500, seed=3))
    _same(path, Vocabulary(eigen), eigen)


def test_quote_cell_is_what_csv_writer_writes():
    rng = random.Random(9)
    alphabet = 'ab ,;"\n\r\t\x0b\u2028é#'
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([text, "x"])
        assert buffer.getvalue() == quote_cell(text) + ",x\n"


def test_match_uses_it_and_says_what_is_wrong(runner, tmp_path):
    from spoorwijzer.cli import app

    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(50, seed=1))
    result = runner.invoke(app, ["match", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 51
    path.write_text("naam;taken\nGroen;eenvoudg\n", encoding="utf-8")
    result = runner.invoke(app, ["match", str(path), "--format", "csv"])
    assert result.exit_code == 2
    assert "eenvoudg" in result.output and "regel 2" in result.output


def test_a_broken_quote_is_reported(tmp_path, vocab, regels):
    path = tmp_path / "werk.csv"
    path.write_text('naam,taken\n"Groen,eenvoudig\n' + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(UserError):
        list(CsvSnel(regels, vocab, PEILDATUM, None).lines(path, []))


def test_rank_text_is_the_rank_cells_quoted(kb):
    """The fast rank columns (pieces per spoor and score) are `csv_rank_cells` as csv.writer writes them."""
    from spoorwijzer.output import CsvRankText, csv_rank_cells

    rng = random.Random(4)
    scores = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 7.25]
    for top in (None, 0, 1, 2, 3, 10):
        fast = CsvRankText(top, quote_cell)
        for _ in range(300):
            sporen = sorted(
                ((spoor, rng.choice(scores)) for spoor in rng.sample(kb.sporen, rng.randint(0, len(kb.sporen)))),
                key=lambda pair: (-pair[1], pair[0].nummer),
            )
            gelijk = [[s for _, s in sporen].count(score) > 1 for _, score in sporen]
            plain = ",".join(quote_cell(cell) for cell in csv_rank_cells(sporen, gelijk, top))
            assert fast(sporen, gelijk) == plain


def _inventory(rng: random.Random, count: int) -> list[str]:
    """Rows (semicolon CSV) with names over several lines ("\\n", "\\r\\n" and "\\r" inside quotes),
    help text, empty rows, a few typos and a naam used twice: line numbers must stay exact."""
    rows = ["naam;taken;groepsverband;doel;prikkels;doelgroep"]
    for number in range(count):
        naam = f"w{number}"
        if rng.random() < 0.1:
            line_end = rng.choice(["\n", "\r\n", "\r", "\n\n", "\r\r\n"])
            naam = f'"{naam}{line_end}deel 2"'
        taken = rng.choice(["eenvoudig", "complex", "gemengd", ""])
        doel = rng.choice(["werken", "zorg", "leren-werken", ""])
        doelgroep = rng.choice(["bijstand", '"wajong, ww"', "", "vso"])
        rows.append(f"{naam};{taken};{rng.choice(['groep', ''])};{doel};{rng.choice(['veel', ''])};{doelgroep}")
        if rng.random() < 0.02:
            rows.append(rng.choice(["# uitleg", "", ";;;;;", f"Kort {number};eenvoudig"]))
    return rows


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_rows_over_several_lines_in_chunks(tmp_path, vocab, kb, monkeypatch, chunk):
    from spoorwijzer import csvsnel

    monkeypatch.setattr(csvsnel, "CHUNK_ROWS", chunk)
    rng = random.Random(chunk)
    rows = _inventory(rng, 400)
    path = tmp_path / "werk.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode())
    text, problems = _same(path, vocab, kb)
    assert text and not problems
    rows.insert(300, "w5;eenvoudg;;;;")  # a naam used before and a typo, after lines over several lines
    rows.insert(350, "w6;;;;;")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    _, problems = _same(path, vocab, kb)
    assert any("eenvoudg" in p for p in problems)  # and the same lines as the general way (above)


def test_the_float_path_and_small_memos_give_the_same(tmp_path, vocab, kb, monkeypatch):
    """Scores that are no whole quarter points (own weights) go the float way; memos that fill up
    start again. Neither changes a byte."""
    from spoorwijzer import csvsnel

    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(2000, seed=8))
    monkeypatch.setattr(csvsnel, "CHUNK_ROWS", 100)
    monkeypatch.setattr(csvsnel, "MEMO_LIMIT", 40)
    _same(path, vocab, kb)
    monkeypatch.setattr(csvsnel, "LIMIT", 1)  # every score "too fine" for the integer fields
    _same(path, vocab, kb, top=2)


def test_text_lines_are_the_lines_of_stringio():
    """The CSV reader gets the lines StringIO(newline="") would give, without StringIO's copy."""
    from spoorwijzer.werkplek import _text_lines

    rng = random.Random(4)
    alphabet = "ab;\n\r\u2028\x0b\x1c\x85"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert list(_text_lines(text)) == list(io.StringIO(text, newline="")), repr(text)


# -- two processes (paralleltwee.py) -----------------------------------------------------------------
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork bestaat hier niet")


def _output(path: Path, vocab: Vocabulary, kb: Kennisbank) -> tuple[bytes, list[str]]:
    problems: list = []
    data = b"".join(CsvSnel(Regels(kb), vocab, PEILDATUM, None).output(path, problems))
    return (data if not problems else b""), [p.render() for p in problems]


@pytest.fixture
def small_halves(monkeypatch):
    """Two processes already for small files, in many small chunks."""
    monkeypatch.setattr(paralleltwee, "PARALLEL_FROM", 10)
    monkeypatch.setattr(csvsnel, "CHUNK_ROWS", 64)
    monkeypatch.delenv(paralleltwee.ENVIRONMENT, raising=False)
    forks = []
    real_fork = os.fork

    def counting_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counting_fork)
    return forks


@needs_fork
def test_two_processes_give_the_one_process_output(tmp_path, vocab, kb, small_halves):
    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(2000, seed=13))
    data, problems = _output(path, vocab, kb)
    assert small_halves and not problems
    assert data.decode() == _same(path, vocab, kb)[0]


@needs_fork
@pytest.mark.parametrize("where", ["first", "second", "both"])
def test_with_a_problem_or_a_naam_in_both_halves_the_whole_file_goes_in_one_process(
    tmp_path, vocab, kb, small_halves, where
):
    records = werkplekken(2000, seed=13)
    if where in ("first", "both"):
        records[10]["taken"] = "eenvoudg"
    if where in ("second", "both"):
        records[1900]["naam"] = records[5]["naam"]  # a naam of the first half again in the second
    path = tmp_path / "werk.csv"
    write_csv(path, records)
    data, problems = _output(path, vocab, kb)
    assert small_halves  # the two processes were tried
    assert data == b"" and problems == _same(path, vocab, kb)[1] and problems


@needs_fork
def test_a_broken_quote_in_the_second_half_is_reported(tmp_path, vocab, kb, small_halves):
    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(2000, seed=13))
    path.write_text(path.read_text(encoding="utf-8") + '"Kapot;eenvoudig\n' + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(UserError):
        _output(path, vocab, kb)


def test_one_process_when_asked(tmp_path, vocab, kb, monkeypatch):
    monkeypatch.setattr(paralleltwee, "PARALLEL_FROM", 10)
    monkeypatch.setenv(paralleltwee.ENVIRONMENT, "1")
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("geen tweede proces gevraagd"), raising=False)
    path = tmp_path / "werk.csv"
    write_csv(path, werkplekken(300, seed=2))
    data, problems = _output(path, vocab, kb)
    assert not problems and data.decode() == _same(path, vocab, kb)[0]
