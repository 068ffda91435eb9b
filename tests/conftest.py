from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spoorwijzer.engine import Advies, Regels
from spoorwijzer.kennisbank import Kennisbank, shipped_kennisbank
from spoorwijzer.werkplek import Vocabulary

# Tests never write a knowledge-base cache into the user's home (tests/test_stroom.py tests the cache).
os.environ["SPOORWIJZER_CACHE"] = "uit"

PEILDATUM = dt.date(2026, 11, 25)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def kb() -> Kennisbank:
    return shipped_kennisbank()


@pytest.fixture(scope="session")
def regels(kb: Kennisbank) -> Regels:
    return Regels(kb)


@pytest.fixture(scope="session")
def vocab(kb: Kennisbank) -> Vocabulary:
    return Vocabulary(kb)


@pytest.fixture
def advise(regels: Regels):
    def run(**antwoorden) -> Advies:
        clean = {k: tuple(v) if isinstance(v, list) else v for k, v in antwoorden.items()}
        return regels.advise("test", clean, PEILDATUM)

    return run


@pytest.fixture
def runner() -> CliRunner:
    # Wide enough that table cells do not fold words apart in the assertions.
    return CliRunner(env={"COLUMNS": "200", "SPOORWIJZER_DEBUG": "", "SPOORWIJZER_DATA": ""})


def nummers(advies: Advies) -> list[int]:
    return [s.spoor.nummer for s in advies.sporen]


def score_of(advies: Advies, nummer: int) -> float:
    for item in advies.sporen + advies.afgewezen:
        if item.spoor.nummer == nummer:
            return item.score
    return 0.0
