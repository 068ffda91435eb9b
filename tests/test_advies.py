"""The better interview of `advies`: terug, skipping, --antwoorden, --hervat, no terminal, --wat-als."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PEILDATUM, REPO
from spoorwijzer.cli import app
from spoorwijzer.errors import UserError
from spoorwijzer.herstel import bewaar_herstel, herstel_naam
from spoorwijzer.interview import PROMPT, SKIPPED_HEADING, Interrupted, interview, note_skipped
from spoorwijzer.relevantie import Relevantie
from spoorwijzer.watals import parse_wat_als, toepassen, vergelijk

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"
STAGE_TEXT = "Stage"


def run(runner, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


class Script:
    """Scripted replies for `ask`; records the prompts and everything said."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.said: list[str] = []
        self.prompts: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.replies:
            raise EOFError
        return self.replies.pop(0)

    def say(self, text: str) -> None:
        self.said.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.said)


@pytest.fixture(scope="module")
def relevantie(regels) -> Relevantie:
    return Relevantie(regels)


def asked_ids(kb, script: Script) -> list[str]:
    """The questions shown, in order (by their text: prompts show no ids)."""
    by_text = {v.vraag: v.id for v in kb.vragen}
    shown = []
    for line in script.said:
        for text, vraag_id in by_text.items():
            if text in line and "[bold cyan]" in line:
                shown.append(vraag_id)
    return shown


# -- terug ---------------------------------------------------------------------------------------
def test_terug_goes_back_one_question_at_a_time(kb, vocab):
    # taken, groepsverband, terug, terug, (taken again) complex, groepsverband individueel, rest unknown
    script = Script("1", "1", "terug", "terug", "2", "2", *[""] * 9)
    uitkomst = interview(kb, vocab, "werk", {}, script.ask, script.say)
    assert uitkomst.antwoorden["taken"] == "complex"
    assert uitkomst.antwoorden["groepsverband"] == "individueel"
    shown = asked_ids(kb, script)
    assert shown[:7] == [
        "taken",
        "groepsverband",
        "vakvaardigheden",
        "groepsverband",
        "taken",
        "groepsverband",
        "vakvaardigheden",
    ]
    assert "(eerder: eenvoudig)" in script.text


def test_terug_at_the_first_question_says_there_is_nothing_before(kb, vocab):
    script = Script("terug", "1", *[""] * 10)
    uitkomst = interview(kb, vocab, "werk", {}, script.ask, script.say)
    assert "geen vorige vraag" in script.text
    assert uitkomst.antwoorden["taken"] == "eenvoudig"


def test_terug_undoes_the_answer_and_never_touches_preset_answers(kb, vocab):
    # The first asked question is groepsverband: terug there cannot reach the preset 'taken'.
    script = Script("1", "terug", "terug", "", *[""] * 10)
    uitkomst = interview(kb, vocab, "werk", {"taken": "complex"}, script.ask, script.say)
    assert uitkomst.antwoorden == {"taken": "complex"}
    assert "geen vorige vraag" in script.text


def test_help_still_explains_and_prompts_show_no_question_ids(kb, vocab):
    script = Script("?", *[""] * 11)
    interview(kb, vocab, "werk", {}, script.ask, script.say)
    assert kb.vraag("taken").toelichting.split()[0] in script.text
    assert set(script.prompts) == {PROMPT}
    assert not any(v.id in PROMPT for v in kb.vragen)


# -- skipping ------------------------------------------------------------------------------------
# A vso-stage: after 'groepsverband: weet niet' nothing else can change the first spoor.
STAGE_REPLIES = ("vso", "onderwijs", "tijdelijk", "gemengd", "")


def test_a_clear_case_takes_fewer_questions(kb, vocab, relevantie):
    skipping = Script(*STAGE_REPLIES)
    uitkomst = interview(kb, vocab, "doelgroep", {}, skipping.ask, skipping.say, relevantie)
    assert len(skipping.prompts) == len(STAGE_REPLIES) < len(kb.vragen)
    assert uitkomst.overgeslagen and SKIPPED_HEADING in skipping.text
    every = Script(*STAGE_REPLIES, *[""] * 10)
    alles = interview(kb, vocab, "doelgroep", {}, every.ask, every.say)  # no relevantie: --alle-vragen
    assert len(every.prompts) == len(kb.vragen) and alles.overgeslagen == []


def test_unclear_answers_skip_nothing(kb, vocab, relevantie):
    script = Script(*[""] * 11)
    uitkomst = interview(kb, vocab, "werk", {}, script.ask, script.say, relevantie)
    assert uitkomst.overgeslagen == [] and len(script.prompts) == len(kb.vragen)


def test_the_doelgroep_is_always_asked(kb, vocab, relevantie):
    # Everything but the doelgroep answered for a clear zorg case: the doelgroep is still asked
    # (it narrows partners and instruments), even if it cannot change the first spoor.
    preset = {"doel": "zorg", "duur": "structureel", "begeleiding": "ja", "productiedruk": "minder"}
    assert "doelgroep" not in relevantie.overbodig(preset, ["doelgroep"])
    script = Script(*[""] * 11)
    interview(kb, vocab, "werk", preset, script.ask, script.say, relevantie)
    assert "doelgroep" in asked_ids(kb, script)


def _all_assignments(kb, vraag_ids: list[str], doelgroepen: list[tuple[str, ...] | None]):
    options = []
    for vraag_id in vraag_ids:
        vraag = kb.vraag(vraag_id)
        options.append(doelgroepen if vraag.type == "meerkeuze" else [None, *vraag.waarden()])
    for values in itertools.product(*options):
        yield dict(zip(vraag_ids, values, strict=True))


def _clean(antwoorden: dict) -> dict:
    return {k: v for k, v in antwoorden.items() if v is not None}


@pytest.mark.parametrize(
    "prefix",
    [
        {"doelgroep": ("mbo-student",), "doel": "onderwijs", "duur": "tijdelijk", "taken": "gemengd"},
        {"doel": "zorg", "doelgroep": ("wmo",), "duur": "structureel", "productiedruk": "minder"},
        {
            "taken": "eenvoudig",
            "groepsverband": "groep",
            "verantwoordelijkheid": "laag",
            "productiedruk": "minder",
            "begeleiding": "ja",
            "prikkels": "weinig",
            "doel": "zorg",
        },
    ],
)
def test_skipped_questions_cannot_change_the_first_spoor(kb, relevantie, prefix):
    """Exhaustive: every answer combination of the open questions gives the same first spoor(s)
    whatever the skipped questions are answered (all of them together)."""
    open_ids = [v.id for v in kb.vragen if v.id not in prefix]
    skipped = relevantie.overbodig(prefix, open_ids)
    assert skipped, "this prefix is meant to skip something"
    free = [v for v in open_ids if v not in skipped]
    doelgroep_values = [None, *((d,) for d in kb.doelgroepen), ("bijstand", "mbo-student"), ("wmo", "wsw")]
    for rest in _all_assignments(kb, free, doelgroep_values):
        base = relevantie.eerste_sporen(_clean(prefix | rest))
        for filled in _all_assignments(kb, sorted(skipped), doelgroep_values):
            assert relevantie.eerste_sporen(_clean(prefix | rest | filled)) == base, (rest, filled)


def test_skipping_is_sound_for_random_prefixes(kb, relevantie):
    """Random prefixes and random completions: never a skipped question that matters."""
    rng = random.Random(20261125)
    ids = [v.id for v in kb.vragen]
    doelgroepen = list(kb.doelgroepen)

    def random_value(vraag_id: str):
        vraag = kb.vraag(vraag_id)
        if vraag.type == "meerkeuze":
            return rng.choice([None, tuple(rng.sample(doelgroepen, rng.randint(1, 3)))])
        return rng.choice([None, *vraag.waarden()])

    checked = 0
    for _ in range(400):
        prefix = _clean({v: random_value(v) for v in rng.sample(ids, rng.randint(3, 9))})
        open_ids = [v for v in ids if v not in prefix]
        skipped = relevantie.overbodig(prefix, open_ids)
        if not skipped:
            continue
        for _ in range(30):
            rest = _clean({v: random_value(v) for v in open_ids if v not in skipped})
            base = relevantie.eerste_sporen(prefix | rest)
            filled = _clean({v: random_value(v) for v in skipped})
            assert relevantie.eerste_sporen(prefix | rest | filled) == base
            checked += 1
    assert checked > 100


def test_provisional_warning_is_dropped_only_for_skipped_questions(advise):
    advies = advise(doel="onderwijs", duur="tijdelijk", doelgroep=["mbo-student"], taken="gemengd")
    assert any(w.startswith("Voorlopig advies") for w in advies.waarschuwingen)
    note_skipped(advies, ["groepsverband"], 11)
    assert any(w.startswith("Voorlopig advies") for w in advies.waarschuwingen), "6 of 11 genuinely open"
    note_skipped(advies, [v for v in advies.onbeantwoord], 11)
    assert not any(w.startswith("Voorlopig advies") for w in advies.waarschuwingen)


def test_cli_skips_and_lists_and_alle_vragen_asks_everything(runner):
    clear = "\n".join(STAGE_REPLIES) + "\n"
    result = run(runner, "advies", "--vanuit", "doelgroep", "--naam", STAGE_TEXT, input=clear)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count(PROMPT) == len(STAGE_REPLIES)
    assert SKIPPED_HEADING in out and "Wordt er gewerkt met collega's?" in out.split(SKIPPED_HEADING)[1]
    assert "Waarom 7. Onderwijsparticipatie" in out
    assert "Voorlopig advies" not in out
    every = run(runner, "advies", "--vanuit", "doelgroep", "--naam", "X", "--alle-vragen", input=clear + "\n" * 7)
    assert every.exit_code == 0
    assert every.stdout.count(PROMPT) == 11 and SKIPPED_HEADING not in every.stdout


# -- interrupted: recovery file and --hervat ----------------------------------------------------
def test_interrupted_advies_saves_a_recovery_file_and_hervat_continues(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run(runner, "advies", "--naam", "Groenploeg", input="1\n1\n")
    assert first.exit_code == 130
    herstel = tmp_path / "spoorwijzer-herstel-groenploeg.yaml"
    assert herstel.is_file()
    assert f"spoorwijzer advies --hervat {herstel}" in first.stderr
    record = yaml.safe_load(herstel.read_text(encoding="utf-8"))["werkplekken"][0]
    assert record == {"naam": "Groenploeg", "taken": "eenvoudig", "groepsverband": "groep"}
    assert run(runner, "match", "--werk", str(herstel), "--format", "json").exit_code == 0, "valid for match"

    # Interrupted again: a new file, the first one is never overwritten.
    again = run(runner, "advies", "--hervat", str(herstel), input="ja\n")
    assert again.exit_code == 130
    second = tmp_path / "spoorwijzer-herstel-groenploeg-2.yaml"
    assert second.is_file() and yaml.safe_load(herstel.read_text(encoding="utf-8"))["werkplekken"][0] == record
    assert "Hervat" in again.stdout

    done = run(runner, "advies", "--hervat", str(second), "--alle-vragen", input="\n" * 8)
    assert done.exit_code == 0, done.output
    out = done.stdout
    assert "Hervat" in out and "Groenploeg" in out
    assert "eenvoudige of complexe taken" not in out and "vakvaardigheden te leren" not in out
    assert out.count(PROMPT) == 8  # only the questions that were still open


def test_interrupted_before_any_answer_saves_nothing(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "advies", input="Leeg\n")
    assert result.exit_code == 130
    assert "niets bewaard" in result.stderr
    assert not list(tmp_path.glob("spoorwijzer-herstel-*"))


def test_recovery_file_falls_back_to_the_temp_dir(tmp_path, monkeypatch):
    fallback = tmp_path / "tmp"
    fallback.mkdir()
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(fallback))
    import datetime as dt

    pad = bewaar_herstel("naam: X\n", "X", dt.datetime(2026, 1, 2, 3, 4, 5), directory=tmp_path / "bestaat-niet")
    assert pad.parent == fallback and pad.read_text(encoding="utf-8") == "naam: X\n"
    assert not list(fallback.glob(".*.tmp")), "no temporary file left behind"
    assert herstel_naam(None, dt.datetime(2026, 1, 2, 3, 4, 5)) == "spoorwijzer-herstel-20260102-030405.yaml"
    assert herstel_naam("Groen & Grijs!", dt.datetime(2026, 1, 2)) == "spoorwijzer-herstel-groen-grijs.yaml"


# -- --antwoorden ---------------------------------------------------------------------------------
def test_antwoorden_file_prefills_and_asks_only_the_rest(runner, tmp_path):
    werk = tmp_path / "werk.yaml"
    werk.write_text("naam: Balie\ntaken: eenvoudig\ndoel: werken\ndoelgroep: wajong\n", encoding="utf-8")
    result = run(runner, "advies", "--antwoorden", str(werk), "--alle-vragen", input="\n" * 8)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count(PROMPT) == 8 and "Wat is het doel" not in out and "Naam van de werkplek" not in out
    assert "Balie" in out


def test_antwoorden_file_with_several_werkplekken_needs_naam(runner):
    result = run(runner, "advies", "--antwoorden", str(EXAMPLE), input="\n" * 11)
    assert result.exit_code == 2 and "--naam" in result.stderr and "Fietsenwerkplaats" in result.stderr
    typo = run(runner, "advies", "--antwoorden", str(EXAMPLE), "--naam", "fietsenwerkplaas", input="")
    assert typo.exit_code == 2 and "Bedoelt u 'Fietsenwerkplaats'?" in typo.stderr
    chosen = run(runner, "advies", "--antwoorden", str(EXAMPLE), "--naam", "stageplek werkplaats", input="\n" * 11)
    assert chosen.exit_code == 0, chosen.output
    assert "Waarom 7. Onderwijsparticipatie" in chosen.stdout


def test_antwoorden_file_csv_and_options_on_top(runner, tmp_path):
    werk = tmp_path / "werk.csv"
    werk.write_text("naam;taken;doel\nPlek;complex;werken\n", encoding="utf-8")
    result = run(runner, "advies", "--antwoorden", str(werk), "--doel", "zorg", "--alle-vragen", input="\n" * 9)
    assert result.exit_code == 0, result.output
    assert "Waarom 6." in result.stdout


def test_antwoorden_file_errors_are_user_errors(runner, tmp_path):
    missing = run(runner, "advies", "--antwoorden", str(tmp_path / "nee.yaml"), input="")
    assert missing.exit_code == 2 and "bestaat niet" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("naam: X\ntakken: eenvoudig\n", encoding="utf-8")
    result = run(runner, "advies", "--antwoorden", str(bad), input="")
    assert result.exit_code == 2 and "Bedoelt u 'taken'?" in result.stderr
    both = run(runner, "advies", "--antwoorden", str(bad), "--hervat", str(bad), input="")
    assert both.exit_code == 2 and "niet allebei" in both.stderr


# -- no terminal ---------------------------------------------------------------------------------
def test_no_terminal_and_no_input_explains_how_to_run_without_questions(runner):
    result = run(runner, "advies", input="")
    assert result.exit_code == 2
    assert "geen terminal" in result.stderr and "spoorwijzer match --werk" in result.stderr
    assert "--antwoorden" in result.stderr and "--antwoord" in result.stderr
    named = run(runner, "advies", "--naam", "X", input="")
    assert named.exit_code == 2 and "geen terminal" in named.stderr


def test_no_terminal_is_fine_when_every_question_is_answered(runner):
    answers = [
        "taken=eenvoudig",
        "groepsverband=groep",
        "vakvaardigheden=nee",
        "verantwoordelijkheid=laag",
        "productiedruk=minder",
        "collegas=ja",
        "begeleiding=ja",
        "prikkels=onbekend",
        "doel=zorg",
        "duur=structureel",
        "doelgroep=wmo",
    ]
    args = [part for a in answers for part in ("--antwoord", a)]
    result = run(runner, "advies", *args, input="")
    assert result.exit_code == 0, result.output
    assert "Waarom 6." in result.stdout and "Mijn werkplek" in result.stdout


def test_no_terminal_with_stdin_from_dev_null(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "spoorwijzer", "advies"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "geen terminal" in result.stderr and "Traceback" not in result.stderr


# -- --wat-als -----------------------------------------------------------------------------------
def test_wat_als_core_reports_moves_and_reasons(regels, advise, vocab):
    oud = advise(taken="eenvoudig", groepsverband="groep", doel="leren-werken", duur="tijdelijk")
    wijzigingen = parse_wat_als(["doel=zorg"], vocab)
    v = vergelijk(regels, oud, wijzigingen, PEILDATUM)
    assert v.eerste_oud.nummer == 1 and v.eerste_nieuw.nummer == 6
    dagbesteding = next(s for s in v.sporen if s.spoor.nummer == 6)
    assert dagbesteding.plaats_nieuw == 1 and dagbesteding.score_nieuw > dagbesteding.score_oud
    assert any(r.startswith("doel = zorg") for r in dagbesteding.redenen_erbij)
    assert all(not r.startswith("doel = zorg") for r in dagbesteding.redenen_weg)
    unchanged = [s for s in regels.sporen if s.nummer not in {x.spoor.nummer for x in v.sporen}]
    for spoor in unchanged:  # only moved sporen are listed
        old = next((x for x in oud.sporen + oud.afgewezen if x.spoor == spoor), None)
        new = next((x for x in v.nieuw.sporen + v.nieuw.afgewezen if x.spoor == spoor), None)
        assert (old.score if old else 0) == (new.score if new else 0)


def test_wat_als_onbekend_removes_an_answer(regels, vocab):
    wijzigingen = parse_wat_als(["doel=onbekend", "doelgroep=wajong,wsw"], vocab)
    assert wijzigingen == {"doel": None, "doelgroep": ("wajong", "wsw")}
    assert toepassen({"doel": "zorg", "taken": "complex"}, wijzigingen, regels.vraag_ids) == {
        "taken": "complex",
        "doelgroep": ("wajong", "wsw"),
    }


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["takken=complex"], "Bedoelt u 'taken'?"),
        (["taken=moeilijk"], "eenvoudig, complex, gemengd"),
        (["taken"], "veld=waarde"),
        (["taken=complex", "taken=eenvoudig"], "twee keer"),
        (["naam=X"], "Onbekend veld"),
    ],
)
def test_wat_als_validation(vocab, pairs, expected):
    with pytest.raises(UserError) as caught:
        parse_wat_als(pairs, vocab)
    assert expected in str(caught.value)


def test_match_json_gets_wat_als_only_when_asked(runner):
    plain = json.loads(run(runner, "match", "--werk", str(EXAMPLE), "--format", "json").stdout)
    assert all("wat_als" not in w for w in plain["werkplekken"])
    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", "json", "--wat-als", "doel=zorg")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for before, after in zip(plain["werkplekken"], data["werkplekken"], strict=True):
        assert {k: v for k, v in after.items() if k != "wat_als"} == before, "the rest is unchanged"
    fiets = data["werkplekken"][0]["wat_als"]
    assert fiets["wijzigingen"] == {"doel": {"oud": "leren-werken", "nieuw": "zorg"}}
    assert fiets["eerste_spoor_oud"] == 1 and fiets["eerste_spoor_nieuw"] == 6
    moved = {s["nummer"]: s for s in fiets["sporen"]}
    assert moved[6]["plaats_nieuw"] == 1 and moved[6]["redenen_erbij"]


@pytest.mark.parametrize("formaat", ["table", "yaml", "csv", "markdown", "jsonl"])
def test_match_wat_als_in_every_format(runner, formaat):
    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", formaat, "--wat-als", "taken=complex")
    assert result.exit_code == 0, result.output
    assert "complex" in result.stdout
    if formaat == "table":
        assert "Wat als: overzicht" in result.stdout and "Plaats nu → wat als" in result.stdout
    if formaat == "yaml":
        assert all("wat_als" in w for w in yaml.safe_load(result.stdout)["werkplekken"])
    if formaat == "csv":
        assert result.stdout.splitlines()[0].endswith("wat_als_scores")
    if formaat == "jsonl":
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(lines) == 7 and all(w["wat_als"]["wijzigingen"]["taken"]["nieuw"] == "complex" for w in lines)


def test_match_wat_als_as_html_report(runner):
    import xml.etree.ElementTree as ET

    result = run(runner, "match", "--werk", str(EXAMPLE), "--format", "html", "--wat-als", "doel=zorg")
    assert result.exit_code == 0, result.output
    page = result.stdout
    ET.fromstring(page.split("\n", 1)[1])  # well-formed, as the other reports (raises if not)
    assert page.index("<h2>Wat als</h2>") < page.index("<footer>")
    assert "<h3>Fietsenwerkplaats: Wat als doel = zorg (nu: leren-werken)?</h3>" in page
    assert "Het eerste spoor wordt 6. (Arbeidsmatige) dagbesteding" in page


def test_match_wat_als_bad_value_exits_2(runner):
    result = run(runner, "match", "--werk", str(EXAMPLE), "--wat-als", "doel=spelen")
    assert result.exit_code == 2
    assert "--wat-als" in result.stderr and "leren-werken, werken, zorg, onderwijs" in result.stderr


def test_advies_wat_als_checked_before_questions_and_shown_after(runner):
    bad = run(runner, "advies", "--wat-als", "takken=complex", input="X\n1\n")
    assert bad.exit_code == 2 and "eenvoudige of complexe taken" not in bad.stdout
    result = run(
        runner,
        "advies",
        "--naam",
        "Plek",
        "--alle-vragen",
        "--wat-als",
        "doel=zorg",
        input="1\n1\nnee\n2\n2\n1\n1\n\n1\n1\n5\n",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Wat als doel = zorg (nu: leren-werken)?" in out
    assert "Het eerste spoor wordt 6. (Arbeidsmatige) dagbesteding" in out


def test_recovery_path_is_in_the_current_directory(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "advies", "--naam", "Plek A", "--vanuit", "doelgroep", input="5\n")
    assert result.exit_code == 130
    assert Path("spoorwijzer-herstel-plek-a.yaml").is_file()
    assert "--vanuit doelgroep" in result.stderr


def test_interrupted_interview_carries_answers(kb, vocab):
    script = Script("2")
    with pytest.raises(Interrupted) as caught:
        interview(kb, vocab, "werk", {"doel": "werken"}, script.ask, script.say)
    assert caught.value.antwoorden == {"taken": "complex", "doel": "werken"}


def test_antwoorden_from_a_json_lines_file(runner, tmp_path):
    werk = tmp_path / "werk.jsonl"
    werk.write_text('{"naam": "A", "taken": "eenvoudig", "doel": "werken"}\n', encoding="utf-8")
    result = run(runner, "advies", "--antwoorden", str(werk), "--alle-vragen", input="\n" * 12)
    assert result.exit_code == 0, result.output
    assert "2 vragen al beantwoord voor 'A'" in result.output
