"""YAML batches in two processes (paralleltwee.py via stroom.in_two_processes) give the bytes of one
process, for every streamed format; without fork, or when asked, everything stays in one process.
(The CSV -> CSV halves are tested in tests/test_csvsnel.py.)"""

from __future__ import annotations

import os
import sys

import pytest

from conftest import PEILDATUM, REPO
from spoorwijzer import paralleltwee, stroom

sys.path.insert(0, str(REPO / "benchmarks"))
from genereer import werkplekken, write_yaml

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork bestaat hier niet")


def _output(path, vocab, regels, formaat, top=None) -> bytes:
    return b"".join(stroom.streamed_output(path, vocab, regels, formaat, top, PEILDATUM))


@pytest.fixture
def yaml_file(tmp_path):
    path = tmp_path / "werk.yaml"
    write_yaml(path, werkplekken(300, seed=21))
    return path


@needs_fork
@pytest.mark.parametrize(("formaat", "top"), [("json", None), ("json", 1), ("jsonl", None), ("csv", 2)])
def test_two_processes_give_the_bytes_of_one(yaml_file, vocab, regels, monkeypatch, formaat, top):
    monkeypatch.setenv(paralleltwee.ENVIRONMENT, "1")
    one = _output(yaml_file, vocab, regels, formaat, top)
    monkeypatch.delenv(paralleltwee.ENVIRONMENT)
    monkeypatch.setattr(stroom, "PARALLEL_WERKPLEKKEN", 10)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    two = _output(yaml_file, vocab, regels, formaat, top)
    assert forks and two == one


@needs_fork
def test_a_failing_child_means_one_process(yaml_file, vocab, regels, monkeypatch):
    monkeypatch.setattr(stroom, "PARALLEL_WERKPLEKKEN", 10)
    real_fork = os.fork

    def failing_child() -> int:
        pid = real_fork()
        if pid == 0:
            os._exit(3)  # as if the child died
        return pid

    monkeypatch.setattr(os, "fork", failing_child)
    assert stroom.in_two_processes([], regels, "json", None, PEILDATUM) is None  # too few: not tried
    broken = _output(yaml_file, vocab, regels, "json")
    monkeypatch.setenv(paralleltwee.ENVIRONMENT, "1")
    assert broken == _output(yaml_file, vocab, regels, "json")


def test_no_second_process_without_fork_or_when_asked(monkeypatch):
    monkeypatch.setenv(paralleltwee.ENVIRONMENT, "1")
    assert not paralleltwee.available()
    monkeypatch.delenv(paralleltwee.ENVIRONMENT)
    monkeypatch.delattr(os, "fork", raising=False)
    assert not paralleltwee.available()


def test_no_fork_or_no_temporary_files_means_one_process(monkeypatch):
    def refuse() -> int:
        raise OSError("te veel processen")

    monkeypatch.setattr(os, "fork", refuse, raising=False)
    assert paralleltwee.in_two(lambda part, out: None, 1) is None

    def no_room():
        raise OSError("schijf vol")

    monkeypatch.setattr(paralleltwee.tempfile, "TemporaryFile", no_room)
    assert paralleltwee.in_two(lambda part, out: None, 1) is None
