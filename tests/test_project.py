"""The project's own promises: README commands, CI command, packaging."""

from __future__ import annotations

import re

from conftest import REPO


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(python3 -m venv[^\n]*)\n```", readme)


def test_readme_opens_with_setup_and_test_commands():
    commands = _readme_commands()
    assert len(commands) >= 2
    assert "spoorwijzer match --werk voorbeelden/werkplekken.yaml" in commands[0]
    assert "pytest" in commands[1] and "ruff check" in commands[1] and "ruff format --check" in commands[1]
    assert (REPO / "voorbeelden" / "werkplekken.yaml").is_file()


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == _readme_commands()[1]


def test_data_ships_with_the_installed_package():
    import spoorwijzer
    from spoorwijzer.kennisbank import default_data_dir

    data = default_data_dir()
    assert (data / "sporen.yaml").is_file() and any((data / "cases").glob("*.yaml"))
    package = REPO / "src" / "spoorwijzer"
    if not str(spoorwijzer.__file__).startswith(str(package)):
        # Installed as a wheel (as CI does): the data must be inside the package, not the checkout.
        assert data.parent == __import__("pathlib").Path(spoorwijzer.__file__).parent


def test_changelog_has_an_entry_for_the_current_version():
    from spoorwijzer import __version__

    assert f"## {__version__}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
