"""The html reports: well-formed, self-contained, escaped, every werkplek present; rendered once in Chromium."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from conftest import PEILDATUM, REPO
from spoorwijzer.cli import app
from spoorwijzer.engine import Advies, Regels
from spoorwijzer.kennisbank import Kennisbank
from spoorwijzer.portfolio import build_portfolio
from spoorwijzer.report_html import match_html, portfolio_html
from spoorwijzer.werkplek import Vocabulary, read_werkplekken

EXAMPLE = REPO / "voorbeelden" / "werkplekken.yaml"
NASTY = '<script>alert("x")</script> & Co\'s'


def example_adviezen(regels: Regels, vocab: Vocabulary) -> list[Advies]:
    result = read_werkplekken(EXAMPLE, vocab)
    return [regels.advise(w.naam, w.antwoorden, PEILDATUM, w.omschrijving) for w in result.werkplekken]


def parse(text: str) -> ET.Element:
    """Strict XML parse: fails on any unclosed or misnested element, stray '<' or bare '&'."""
    assert text.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(text.split("\n", 1)[1])


def all_text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def assert_self_contained(text: str) -> None:
    lowered = text.lower()
    for forbidden in ("<script", "<link", " src=", "url(", "@import", "http://", "https://", "<iframe"):
        assert forbidden not in lowered, forbidden


def assert_page_shell(root: ET.Element) -> None:
    assert root.tag == "html" and root.get("lang") == "nl"
    head = root.find("head")
    assert head is not None
    assert any(m.get("charset", "").lower() == "utf-8" for m in head.iter("meta"))
    style = head.find("style")
    assert style is not None and "@page" in (style.text or "") and "size: A4" in (style.text or "")
    assert "@media print" in (style.text or "")


# -- match ---------------------------------------------------------------------------------------------
def test_match_html_is_well_formed_and_holds_every_werkplek(regels, vocab, kb: Kennisbank):
    adviezen = example_adviezen(regels, vocab)
    text = match_html(adviezen, kb.sporen, bestand="werkplekken.yaml", datum=PEILDATUM)
    root = parse(text)
    assert_page_shell(root)
    assert_self_contained(text)
    sections = [s for s in root.iter("section") if s.get("class") == "werkplek"]
    assert [all_text(s.find("h2")) for s in sections] == [a.naam for a in adviezen]
    # One chart per werkplek with a row for every spoor; the best spoor's bar is drawn.
    charts = [svg for s in sections for svg in s.iter("svg")]
    assert len(charts) == len(adviezen)
    for advies, chart in zip(adviezen, charts, strict=True):
        labels = [all_text(t) for t in chart.iter("text")]
        assert all(f"{s.nummer}. {s.naam}" in labels for s in kb.sporen)
        assert chart.find("rect") is not None
        assert advies.sporen[0].spoor.naam in all_text(chart)
    assert "25 november 2026" in all_text(root)


def test_match_html_escapes_user_text(regels, kb: Kennisbank):
    advies = regels.advise(NASTY, {"doel": "zorg"}, PEILDATUM, omschrijving="a < b & c > d")
    text = match_html([advies], kb.sporen)
    assert "<script" not in text
    root = parse(text)
    assert NASTY in all_text(root)
    assert "a < b & c > d" in all_text(root)


def test_match_html_shows_a_tie_and_a_werkplek_without_advice(regels, kb: Kennisbank):
    tie = regels.advise("Veegploeg", {"taken": "eenvoudig"}, PEILDATUM)
    leeg = regels.advise("Leeg", {}, PEILDATUM)
    root = parse(match_html([tie, leeg], kb.sporen))
    text = all_text(root)
    assert "(gelijk)" in text
    assert "Geen spoor past bij deze antwoorden." in text
    # Three tied best sporen: three bars in the best colour.
    chart = next(root.iter("svg"))
    assert sum(1 for r in chart.iter("rect") if r.get("fill") == "#15803d") == 3


def test_match_format_html_through_the_cli(runner, tmp_path: Path):
    target = tmp_path / "advies.html"
    result = runner.invoke(app, ["match", str(EXAMPLE), "--format", "html", "--uitvoer", str(target)])
    assert result.exit_code == 0, result.output
    root = parse(target.read_text("utf-8"))
    assert "Fietsenwerkplaats" in all_text(root) and "Stageplek werkplaats" in all_text(root)
    stdout = runner.invoke(app, ["match", str(EXAMPLE), "-f", "htm", "--top", "1"])
    assert stdout.exit_code == 0 and stdout.stdout.startswith("<!DOCTYPE html>")


# -- portfolio ------------------------------------------------------------------------------------------
def test_portfolio_html_is_well_formed_and_holds_every_werkplek(regels, vocab, kb: Kennisbank):
    adviezen = example_adviezen(regels, vocab)
    text = portfolio_html(build_portfolio(adviezen, kb), bestand="werkplekken.yaml", datum=PEILDATUM)
    root = parse(text)
    assert_page_shell(root)
    assert_self_contained(text)
    body = all_text(root)
    for advies in adviezen:
        assert advies.naam in body
    chart = next(root.iter("svg"))
    bars = [r for r in chart.iter("rect") if r.get("height") == "13"]
    assert len(bars) == 7 + 5  # every spoor is first choice once; 1-5 are also a runner-up, 6 and 7 not


def test_portfolio_html_names_gaps_and_escapes(regels, kb: Kennisbank):
    adviezen = [regels.advise(NASTY, {"doel": "zorg"}, PEILDATUM)]
    text = portfolio_html(build_portfolio(adviezen, kb))
    assert "<script" not in text
    body = all_text(parse(text))
    assert NASTY in body
    assert "Sporen zonder werkplek" in body
    assert str(kb.spoor(1).raw["voorbeelden_werk"][0]) in body


def test_portfolio_format_html_through_the_cli(runner, tmp_path: Path):
    werk = tmp_path / "werk.csv"
    werk.write_text(f'naam;doel\n"{NASTY.replace(chr(34), chr(34) * 2)}";zorg\nGroen;werken\n', "utf-8")
    target = tmp_path / "portfolio.html"
    result = runner.invoke(app, ["portfolio", str(werk), "-f", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    body = all_text(parse(target.read_text("utf-8")))
    assert NASTY in body and "Groen" in body


def test_html_stays_out_of_the_json_path():
    code = (
        "import sys\n"
        "from spoorwijzer.cli import main\n"
        f"sys.argv = ['spoorwijzer', 'match', {str(EXAMPLE)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('spoorwijzer.report_html', 'spoorwijzer.portfolio', 'rich') if m in sys.modules]\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stderr.strip().endswith("[]"), result.stderr


# -- Chromium: the page really renders ------------------------------------------------------------------
def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB(A), non-interlaced PNG (what Chromium writes) into rows of raw pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, chunk = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [r[i : i + 3] for r in rows for i in range(0, stride, bpp)]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium (Debian-pakket 'chromium') niet geïnstalleerd")
@pytest.mark.parametrize("command", ["match", "portfolio"])
def test_html_renders_in_headless_chromium(runner, tmp_path: Path, command: str):
    page = tmp_path / f"{command}.html"
    assert runner.invoke(app, [command, str(EXAMPLE), "-f", "html", "-o", str(page)]).exit_code == 0
    png = tmp_path / f"{command}.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profiel'}",
            f"--screenshot={png}",
            "--window-size=1240,1754",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert png.exists(), "Chromium schreef geen schermafdruk"
    width, height, pixels = png_pixels(png.read_bytes())
    assert (width, height) == (1240, 1754)
    background = max(set(pixels[:: len(pixels) // 2000]), key=pixels[:: len(pixels) // 2000].count)
    ink = sum(1 for p in pixels if p != background)
    assert ink > len(pixels) // 50, "de pagina is (bijna) leeg"
    assert len(set(pixels)) > 50  # text, bars and table lines, not one flat colour
    green = sum(1 for r, g, b in pixels if g > r + 40 and g > b + 20)  # the bars of the chart
    assert green > 1000
