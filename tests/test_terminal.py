"""A real terminal: 80 columns, a pseudo-terminal running `advies`, and tab completion."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import REPO
from spoorwijzer.cli import app

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"
NARROW = 80


def _commands(kb) -> list[list[str]]:
    commands = [
        ["match", "--werk", str(EXAMPLE), "--kort"],
        ["match", "--werk", str(EXAMPLE)],
        ["cases"],
        ["sporen"],
        ["partners"],
        ["instrumenten", "--vervallen"],
        ["stappenplan"],
        ["stappenplan", "--vanuit", "doelgroep"],
        ["doelgroepen"],
    ]
    commands += [["sporen", str(spoor.nummer)] for spoor in kb.sporen]
    commands += [["cases", case["id"]] for case in kb.cases]
    return commands


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def test_every_rich_output_is_readable_at_80_columns(kb):
    narrow = CliRunner(env={"COLUMNS": str(NARROW), "SPOORWIJZER_DEBUG": ""})
    wide = CliRunner(env={"COLUMNS": "200", "SPOORWIJZER_DEBUG": ""})
    for command in _commands(kb):
        result = narrow.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
        too_wide = [line for line in result.stdout.splitlines() if len(line) > NARROW]
        assert too_wide == [], command
        # A word broken in the middle ('Onderwijspartic' + 'ipatie') is a word the wide output never has.
        broken = _words(result.stdout) - _words(wide.invoke(app, command).stdout) - {"Let", "op"}
        assert broken == set(), command


def test_every_spoor_name_is_whole_in_the_overview_at_80_columns(kb):
    narrow = CliRunner(env={"COLUMNS": str(NARROW), "SPOORWIJZER_DEBUG": ""})
    out = narrow.invoke(app, ["match", "--werk", str(EXAMPLE), "--kort"]).stdout
    words = _words(out)
    for spoor in kb.sporen:  # the example file has one werkplek per spoor
        assert set(re.findall(r"\w+", spoor.naam)) <= words, spoor.naam
    assert "Onderwijsparticipatie" in out


# -- a real pseudo-terminal --------------------------------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _pattern(text: str) -> str:
    """A question's text as it appears on screen, also when the terminal wraps it."""
    return r"\s+".join(re.escape(word) for word in text.split())


def test_advies_in_a_real_terminal(kb, regels, tmp_path):
    if sys.platform == "win32":
        pytest.skip("pexpect needs a Unix pseudo-terminal")
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "SPOORWIJZER_DEBUG")}
    env |= {"TERM": "xterm", "PYTHONIOENCODING": "utf-8"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "spoorwijzer", "advies"],
        cwd=str(tmp_path),
        env=env,
        dimensions=(40, NARROW),
        encoding="utf-8",
        timeout=30,
    )
    child.logfile_read = io.StringIO()  # everything the terminal showed
    try:
        child.expect("werkplek")  # the first prompt asks for the werkplek's name
        child.sendline("Groenploeg")
        # Answer every question as it comes: a question's own text (from the data), then its prompt.
        antwoorden = {
            "taken": "eenvoudig",
            "groepsverband": "groep",
            "vakvaardigheden": "nee",
            "verantwoordelijkheid": "laag",
            "productiedruk": "minder",
            "collegas": "ja",
            "begeleiding": "ja",
            "prikkels": "weinig",
            "doel": "werken",
            "duur": "structureel",
            "doelgroep": "wsw",
        }
        vragen = {_pattern(kb.vraag(vraag_id).vraag): vraag_id for vraag_id in antwoorden}
        patterns = [*vragen, "Checklist"]
        seen: set[str] = set()
        while True:
            index = child.expect(patterns)
            if index == len(vragen):
                break
            vraag_id = vragen[patterns[index]]
            child.expect(r"> ?")  # the prompt after the list of choices
            child.sendline(antwoorden[vraag_id])
            seen.add(vraag_id)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert seen == set(antwoorden)
    assert child.exitstatus == 0
    screen = ANSI.sub("", child.logfile_read.getvalue())
    given = {k: (v,) if k == "doelgroep" else v for k, v in antwoorden.items()}
    expected = regels.advise("Groenploeg", given, dt.date.today())
    beste = expected.sporen[0].spoor
    assert "Passende sporen" in screen
    assert re.search(_pattern(f"Waarom {beste.nummer}. {beste.naam}"), screen)
    assert re.search(_pattern(f"Checklist: de volgende stappen voor {beste.naam}"), screen)
    assert all(len(line) <= NARROW for line in screen.splitlines())


# -- tab completion ------------------------------------------------------------------------------------
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_script_is_produced(shell):
    env = {**os.environ, "_SPOORWIJZER_COMPLETE": f"source_{shell}"}
    result = subprocess.run(
        [sys.executable, "-m", "spoorwijzer"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "_SPOORWIJZER_COMPLETE" in result.stdout
    assert "spoorwijzer" in result.stdout


def test_completion_offers_commands_and_options():
    env = {
        **os.environ,
        "_SPOORWIJZER_COMPLETE": "complete_bash",
        "COMP_WORDS": "spoorwijzer sj",
        "COMP_CWORD": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "spoorwijzer"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.stdout.split() == ["sjabloon"]
    env |= {"COMP_WORDS": "spoorwijzer match --for", "COMP_CWORD": "2"}
    result = subprocess.run(
        [sys.executable, "-m", "spoorwijzer"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert "--format" in result.stdout.split()
