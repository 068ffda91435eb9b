"""Snelheid van spoorwijzer meten: start, batch, CSV-stroom en de motor, naast hun vergelijkingspunt.

Gebruik (uit de map van de repository, met spoorwijzer geïnstalleerd in dezelfde Python):

    python benchmarks/run.py            # alles, in minder dan twee minuten
    python benchmarks/run.py --snel     # kleinere aantallen, om het script zelf te proberen

Absolute tijden op gedeelde machines schommelen; daarom meet het script elk cijfer in dezelfde
run naast zijn vergelijkingspunt, neemt het de snelste van een paar pogingen en geeft het
verhoudingen. De werkplekbestanden worden met een vaste seed gemaakt in een tijdelijke map.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genereer import werkplekken, write_csv, write_yaml

REPO = Path(__file__).resolve().parents[1]


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A real installation has its .pyc files; without them every start compiles the sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["SPOORWIJZER_CACHE"] = str(cache)
    return env


def _spoorwijzer() -> list[str]:
    found = shutil.which("spoorwijzer", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "spoorwijzer"]


def _wall(command: list[str], env: dict[str, str], stdout: object = subprocess.DEVNULL) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=stdout, check=True, cwd=REPO)  # type: ignore[call-overload]
    return time.perf_counter() - start


def _min_side_by_side(a: list[str], b: list[str], env: dict[str, str], rounds: int) -> tuple[float, float]:
    """The fastest of `rounds` runs of each, taken in turns so both see the same machine load."""
    _wall(a, env)
    _wall(b, env)  # warm-up: .pyc files and the knowledge-base cache are written here
    times_a, times_b = [], []
    for _ in range(rounds):
        times_a.append(_wall(a, env))
        times_b.append(_wall(b, env))
    return min(times_a), min(times_b)


def _peak_memory(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB) of one run, measured in a fresh helper process."""
    helper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", helper, *command], env=env, check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.split()
    kilobytes = float(out[1]) / (1024 if sys.platform == "darwin" else 1)  # macOS reports bytes
    return float(out[0]), kilobytes / 1024


def _engine(aantal: int) -> tuple[float, float]:
    """Werkplekken per second: answers -> ranked sporen (`Regels.rangorde`: the shared ranking, which
    `Regels.rangschik` copies into a list), and the whole advice."""
    from spoorwijzer.engine import Regels
    from spoorwijzer.kennisbank import shipped_kennisbank
    from spoorwijzer.werkplek import Vocabulary, normalize_record

    kb = shipped_kennisbank()
    vocab = Vocabulary(kb)
    antwoorden = []
    for record in werkplekken(aantal, seed=7):
        werkplek, _ = normalize_record(record, vocab, file="benchmark")
        assert werkplek is not None
        antwoorden.append(werkplek.antwoorden)
    regels = Regels(kb)
    for item in antwoorden:  # warm-up: the lookup tables fill on first use
        regels.rangorde(item)
    best = min(_timed(lambda: [regels.rangorde(a) for a in antwoorden]) for _ in range(3))
    peildatum = dt.date.today()
    sample = antwoorden[: max(1, aantal // 10)]
    advise = min(_timed(lambda: [regels.advise("b", a, peildatum) for a in sample]) for _ in range(2))
    return aantal / best, len(sample) / advise


def _timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()} ({platform.system()}), "
        f"{dt.date.today().isoformat()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Meet de snelheid van spoorwijzer.")
    parser.add_argument("--snel", action="store_true", help="kleinere aantallen (proefrun)")
    args = parser.parse_args()
    batch, stroom, motor, rounds = (1_000, 10_000, 20_000, 3) if args.snel else (10_000, 100_000, 100_000, 10)
    started = time.perf_counter()
    rows: list[tuple[str, str, str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="spoorwijzer-bench-") as folder:
        tmp = Path(folder)
        env = _env(tmp / "cache")
        sw = _spoorwijzer()
        een = tmp / "een.yaml"
        write_yaml(een, werkplekken(1, seed=1))
        groot = tmp / "werkplekken.yaml"
        write_yaml(groot, werkplekken(batch, seed=2))
        veel = tmp / "werkplekken.csv"
        write_csv(veel, werkplekken(stroom, seed=3))

        base, start = _min_side_by_side(
            [sys.executable, "-c", "import typer, yaml"],
            [*sw, "match", "--werk", str(een), "--format", "json"],
            env,
            rounds * 2,  # short runs: more of them, so the fastest of each is near the true minimum
        )
        ratio = start / base
        rows.append(("start: match één werkplek --format json", f"{start * 1000:.0f} ms = {ratio:.2f}× "
                     f"'import typer, yaml' ({base * 1000:.0f} ms)", "≤ 1,5×", ratio <= 1.5))  # fmt: skip

        load = [
            sys.executable,
            "-c",
            f"import yaml; yaml.load(open({str(groot)!r}, encoding='utf-8'), yaml.CSafeLoader)",
        ]
        bare, full = _min_side_by_side(load, [*sw, "match", "--werk", str(groot), "--format", "json"], env, 1)
        ratio = full / bare
        rows.append((f"batch: {batch:,} werkplekken YAML → JSON".replace(",", "."), f"{full:.1f} s = {ratio:.2f}× "
                     f"yaml.load met CSafeLoader ({bare:.1f} s)", "≤ 1,2×", ratio <= 1.2))  # fmt: skip

        # The fastest of three runs (as for the other figures), and the highest peak of the three.
        runs = [_peak_memory([*sw, "match", str(veel), "-f", "csv", "-o", str(tmp / "uit.csv")], env) for _ in range(3)]
        seconds, megabytes = min(r[0] for r in runs), max(r[1] for r in runs)
        speed = stroom / seconds
        rows.append((f"CSV: {stroom:,} werkplekken CSV → CSV".replace(",", "."), f"{speed:,.0f} werkplekken/s "
                     f"({seconds:.1f} s)".replace(",", "."), "≥ 50.000/s", speed >= 50_000))  # fmt: skip
        rows.append(("CSV: piekgeheugen", f"{megabytes:.0f} MB", "≤ 150 MB", megabytes <= 150))

        ranking, advice = _engine(motor)
        rows.append(("motor: antwoorden → gerangschikte sporen", f"{ranking:,.0f} werkplekken/s".replace(",", "."),
                     "≥ 200.000/s", ranking >= 200_000))  # fmt: skip
        rows.append(("motor: volledig advies (ter informatie)", f"{advice:,.0f} werkplekken/s".replace(",", "."),
                     "-", True))  # fmt: skip

    print(f"spoorwijzer-benchmark op {machine()}")
    print(f"{'meting':<44} {'resultaat':<58} {'doel':<12} gehaald")
    for name, result, goal, ok in rows:
        print(f"{name:<44} {result:<58} {goal:<12} {'ja' if ok else 'NEE'}")
    print(f"(duur van de benchmark: {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
