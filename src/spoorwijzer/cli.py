"""The command line: parse options, call the core, render. No rules or data live here.

Error policy (see README, "Foutmeldingen"): a UserError prints every problem in Dutch on
stderr and exits 2; Ctrl-C exits 130; anything else is a bug: exit 1 with a short Dutch
report (the traceback only with SPOORWIJZER_DEBUG=1).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer 0.28 vendors click as typer._click; the exception classes live there.
from typer._click import exceptions as click
from typer._click.types import ParamType
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

from spoorwijzer import __version__
from spoorwijzer.errors import (
    DataError,
    Problem,
    UserError,
    allowed_list,
    count_text,
    did_you_mean,
    render_grouped,
)

if TYPE_CHECKING:
    from rich.console import Console

    from spoorwijzer.engine import Advies, Antwoorden, Regels
    from spoorwijzer.kennisbank import Kennisbank
    from spoorwijzer.werkplek import ReadResult, Vocabulary

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("table", "json", "yaml", "csv", "markdown", "html", "jsonl")
FORMAT_SYNONYMS = {
    "tabel": "table",
    "md": "markdown",
    "yml": "yaml",
    "htm": "html",
    "json-lines": "jsonl",
    "ndjson": "jsonl",
}
OPSLAAN_SUFFIXES = (".yaml", ".yml", ".csv")
PORTFOLIO_FORMATS = tuple(f for f in FORMATS if f != "jsonl")  # a portfolio is one overview, not lines
STARTPUNTEN = ("werk", "doelgroep")
COMPLETE_VAR = "_SPOORWIJZER_COMPLETE"


class _TekstType(ParamType):
    """An argument whose help shows only its Dutch name (ID, NUMMER), not typer's ``<str>``."""

    name = "tekst"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return value

    def get_metavar(self, param: Any, ctx: Any) -> str:
        return ""


class _BestandType(_TekstType):
    name = "bestand"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path:
        return value if isinstance(value, Path) else Path(value)


# -- Dutch help and usage errors ---------------------------------------------------------------------
def _dutch_help_texts() -> None:
    from typer import rich_utils

    rich_utils.OPTIONS_PANEL_TITLE = "Opties"
    rich_utils.COMMANDS_PANEL_TITLE = "Commando's"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenten"
    rich_utils.DEFAULT_STRING = "[standaard: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[verplicht]"
    rich_utils.ENVVAR_STRING = "[omgevingsvariabele: {}]"


class _DutchHelp:
    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Toon deze hulp en stop."
            option.metavar = ""  # a flag takes no value: show no type
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Gebruik: ")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _dutch_help_texts()
        super().format_help(ctx, formatter)  # type: ignore[misc]


class DutchCommand(_DutchHelp, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[OPTIES]"


_TRANSLATIONS = (
    (re.compile(r"Option '(.+)' requires an argument\."), "De optie '{0}' heeft een waarde nodig."),
    (re.compile(r"No such command '(.+)'\."), "Onbekend commando '{0}'."),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)"), "Onverwachte extra invoer: {0}."),
    (re.compile(r"Missing option '(.+)'\."), "De optie '{0}' ontbreekt."),
    (re.compile(r"Missing argument '(.+)'\."), "Het argument '{0}' ontbreekt."),
    (re.compile(r"Missing parameter: (.+)"), "Er ontbreekt een waarde: {0}."),
    (re.compile(r"Option '(.+)' does not take a value\."), "De optie '{0}' krijgt geen waarde: laat '=...' weg."),
)


def _dutch_usage_error(error: click.UsageError) -> str:
    if isinstance(error, click.NoSuchOption):
        text = f"Onbekende optie '{error.option_name}'."
        if error.possibilities:
            text += f" Bedoelt u '{sorted(error.possibilities)[0]}'?"
    elif isinstance(error, click.BadParameter) and error.param is not None:
        name = (error.param.opts or [error.param.name or "?"])[0]
        text = f"Ongeldige waarde voor '{name}': {error.message}"
    else:
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        message = message.split(". Did you mean")[0].rstrip(".") + "."
        text = f"Ongeldig gebruik: {message}"
        for pattern, dutch in _TRANSLATIONS:
            match = pattern.search(message)
            if match:
                text = dutch.format(*match.groups())
                break
        close = re.search(r"Did you mean (.+)\?", str(error.message))
        if close:
            text += f" Bedoelt u {close.group(1)}?"
    command = error.ctx.command_path if error.ctx else "spoorwijzer"
    return f"spoorwijzer: {text}\nZie '{command} --help' voor de mogelijkheden."


def _print_problems(error: UserError) -> None:
    problems = error.problems or [Problem("Onbekende fout in de invoer.")]
    lines = [error.heading or "spoorwijzer: er is iets mis met de invoer:", *render_grouped(problems)]
    if len(problems) > 1 or any(p.werkplek or p.werkplek_regel for p in problems):
        lines.append(count_text(problems))
    sys.stderr.write("\n".join(lines) + "\n")


def _hoist_data_option(args: list[str]) -> list[str]:
    """`spoorwijzer match --data MAP ...` means `spoorwijzer --data MAP match ...`.

    --data is an option of the whole program (one place decides which kennisbank a run uses), but
    users type it after the command too; moving it to the front keeps every command unchanged.
    """
    front: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        if arg == "--data":
            if position + 1 >= len(args) or args[position + 1].startswith("-"):
                raise UserError.single(
                    "De optie '--data' heeft een map nodig.",
                    field="--data",
                    allowed="--data MAP, bijvoorbeeld --data eigen-data",
                )
            front += args[position : position + 2]
            position += 2
            continue
        if arg.startswith("--data="):
            front.append(arg)
        else:
            rest.append(arg)
        position += 1
    return front + rest


class DutchGroup(_DutchHelp, TyperGroup):
    """The top-level group: turns every failure into a Dutch message and the documented exit status."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[OPTIES]"
        self.subcommand_metavar = "COMMANDO [ARGUMENTEN]..."

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader stopped early (`spoorwijzer match ... | head`): not an error. What is left goes
            # nowhere, quietly. (Handled here: typer itself would turn it into status 1.)
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if os.environ.get(COMPLETE_VAR):
            # Tab completion (README "Tab-aanvulling"). Typer registers its shell scripts only with
            # add_completion=True, which would load them at every start; here only when asked.
            from typer._completion_classes import completion_init

            completion_init()
        code = EXIT_OK
        try:
            if args:
                args = (_hoist_data_option(list(args[0])), *args[1:])
            else:
                given = kwargs.get("args")
                kwargs["args"] = _hoist_data_option(list(sys.argv[1:] if given is None else given))
            result = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
            code = result if isinstance(result, int) else EXIT_OK
        except UserError as error:
            _print_problems(error)
            code = EXIT_USAGE
        except click.NoArgsIsHelpError as error:
            if error.ctx is not None:
                typer.echo(error.ctx.get_help())
            code = EXIT_OK
        except click.UsageError as error:
            sys.stderr.write(_dutch_usage_error(error) + "\n")
            code = EXIT_USAGE
        except click.ClickException as error:
            sys.stderr.write(f"spoorwijzer: {error.format_message()}\n")
            code = EXIT_USAGE
        except (Abort, KeyboardInterrupt):
            sys.stderr.write("\nspoorwijzer: onderbroken.\n")
            code = EXIT_INTERRUPTED
        except DataError as error:
            sys.stderr.write(
                "spoorwijzer: de kennisbank (data) is niet in orde, dus er is geen betrouwbaar advies:\n"
                f"  {error}\nMeld dit bij de beheerders van spoorwijzer.\n"
            )
            code = EXIT_BUG
        except BrokenPipeError:
            code = EXIT_OK
        except Exception as error:
            if os.environ.get("SPOORWIJZER_DEBUG"):
                raise
            sys.stderr.write(
                "spoorwijzer: interne fout (een bug in spoorwijzer, niet in uw invoer): "
                f"{type(error).__name__}: {error}\n"
                "Meld dit bij de beheerders van spoorwijzer (zie README, 'Fouten melden'), met de opdracht die u gaf. "
                "Met SPOORWIJZER_DEBUG=1 ziet u de technische details.\n"
            )
            code = EXIT_BUG
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="spoorwijzer",
    cls=DutchGroup,
    help=(
        "Welk spoor van arbeidsparticipatie past bij een werkplek? spoorwijzer maakt van de wegwijzer "
        "'Inclusief ondernemerschap' een hulpmiddel: het combineert uw antwoorden, legt het advies uit en "
        "noemt de sociale partners, instrumenten en praktijkvoorbeelden.\n\n"
        "Voorbeelden:  spoorwijzer advies  |  spoorwijzer match --werk werk.yaml  |  spoorwijzer cases --spoor 3"
    ),
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spoorwijzer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", metavar="", help="Toon het versienummer en stop.", callback=_version, is_eager=True
        ),
    ] = False,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            metavar="MAP",
            envvar="SPOORWIJZER_DATA",
            show_envvar=True,
            help=(
                "Eigen data van uw organisatie (partners.yaml, instrumenten.yaml, cases/) over de kennisbank heen; "
                "mag ook na het commando staan. Controleren: spoorwijzer valideer MAP."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Welk spoor van arbeidsparticipatie past bij een werkplek?"""
    _RUN.clear()
    if data is not None:
        if not data.strip():
            raise UserError.single("De optie '--data' heeft een map nodig.", field="--data", allowed="--data MAP")
        from spoorwijzer.eigendata import check_dir

        _RUN["data"] = check_dir(Path(data))


# -- shared helpers ------------------------------------------------------------------------------------
# This run's choices from the program-wide options (set by the callback, read by _kennisbank).
_RUN: dict[str, Any] = {}


def _kennisbank() -> Kennisbank:
    """The kennisbank of this run: the shipped one, or with --data the organisation's own data over it."""
    if "data" not in _RUN:
        from spoorwijzer.kennisbank import shipped_kennisbank

        return shipped_kennisbank()
    if "kb" not in _RUN:
        from spoorwijzer.eigendata import load_own

        _RUN["kb"] = load_own(_RUN["data"])
    return _RUN["kb"]  # type: ignore[no-any-return]


def _regels() -> Regels:
    from spoorwijzer.engine import Regels

    return Regels(_kennisbank())


def _vocabulary() -> Vocabulary:
    from spoorwijzer.werkplek import Vocabulary

    return Vocabulary(_kennisbank())


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit with status 1; a reader that stops early is no error (DutchGroup.invoke).
            self.quiet = True
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False)


def _format(formaat: str, allowed: tuple[str, ...]) -> str:
    """--format, also in Dutch or short (tabel, md, yml, htm, json-lines)."""
    return _choice(FORMAT_SYNONYMS.get(formaat.strip().lower(), formaat), allowed, "--format") or "table"


def _refuse_existing(path: Path, option: str, overschrijven: bool) -> None:
    if path.exists() and not overschrijven:
        raise UserError.single(
            "Dit bestand bestaat al; spoorwijzer overschrijft het niet zomaar.",
            file=str(path),
            field=option,
            allowed=f"een andere naam met {option}, of --overschrijven om het bestand te vervangen",
        )


def _choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text not in allowed:
        raise UserError.single(
            f"'{value}' is geen geldige waarde.{did_you_mean(text, allowed)}",
            field=option,
            allowed=allowed_list(allowed),
        )
    return text


def _spoor_nummer(value: str | None, kb: Kennisbank, field: str = "--spoor") -> int | None:
    if value is None:
        return None
    allowed = [str(s.nummer) for s in kb.sporen]
    text = value.strip()
    if text not in allowed:
        by_id = {s.id: s.nummer for s in kb.sporen}
        if text.lower() in by_id:
            return by_id[text.lower()]
        raise UserError.single(
            f"'{value}' is geen spoor.",
            field=field,
            allowed=", ".join(f"{s.nummer} = {s.naam}" for s in kb.sporen),
        )
    return int(text)


def _doelgroep(value: str | None, kb: Kennisbank) -> str | None:
    if value is None:
        return None
    found = _vocabulary().resolve_doelgroep(value)
    if found is None:
        text = value.strip().lower()
        raise UserError.single(
            f"'{value}' is geen bekende doelgroep.{did_you_mean(text, list(kb.doelgroepen))}",
            field="--doelgroep",
            allowed=allowed_list(list(kb.doelgroepen)),
        )
    return found


def _positive_int(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise UserError.single(f"'{value}' is geen geldig aantal.", field=option, allowed="een heel getal vanaf 1")
    return number


def _today() -> dt.date:
    return dt.date.today()


def _emit(text: str, uitvoer: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    _emit_chunks([text], uitvoer, inputs)


def _emit_chunks(chunks: Iterable[str | bytes], uitvoer: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Output on the screen (no --uitvoer, or '-'), or written whole to a file (never over `inputs`)."""
    if uitvoer is None or str(uitvoer) == "-":
        for chunk in chunks:
            if isinstance(chunk, bytes):  # UTF-8 already (the streamed formats)
                sys.stdout.flush()
                sys.stdout.buffer.write(chunk)
            else:
                sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    from spoorwijzer.atomic import write_atomic_stream

    write_atomic_stream(uitvoer, chunks, protect=inputs)
    sys.stderr.write(f"Resultaat geschreven naar {uitvoer}\n")


# -- the werkplek file and output options of match and portfolio ------------------------------------------
WerkArgument = Annotated[
    Path | None,
    typer.Argument(
        metavar="BESTAND", help="Hetzelfde als --werk BESTAND.", show_default=False, click_type=_BestandType()
    ),
]
WerkOption = Annotated[
    Path | None,
    typer.Option(
        "--werk",
        "-w",
        metavar="BESTAND",
        help="Werkplekbestand (YAML, CSV, JSON-lines of Excel .xlsx) met een of meer werkplekken.",
        show_default=False,
    ),
]
UitvoerOption = Annotated[
    Path | None,
    typer.Option(
        "--uitvoer",
        "-o",
        metavar="BESTAND",
        help="Schrijf naar dit bestand (helemaal of niet) in plaats van het scherm.",
    ),
]


def _werkbestand(werk: Path | None, werk_pad: Path | None) -> Path:
    """The werkplek file, given once: as --werk or as the argument."""
    if werk is not None and werk_pad is not None:
        raise UserError.single("Geef het werkplekbestand één keer op: met --werk of als argument, niet allebei.")
    gekozen = werk or werk_pad
    if gekozen is None:
        raise UserError.single(
            "Geef het werkplekbestand op met --werk BESTAND.",
            field="--werk",
            allowed="een YAML-, CSV-, JSON-lines- of Excel-bestand",
        )
    return gekozen


# -- match ------------------------------------------------------------------------------------------------
@app.command(
    cls=DutchCommand,
    epilog="Voorbeeld: spoorwijzer match --werk voorbeelden/werkplekken.yaml --format json --uitvoer advies.json",
)
def match(
    werk_pad: WerkArgument = None,
    werk: WerkOption = None,
    formaat: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAAT",
            help="Uitvoer: table (tabel), json, yaml, csv, markdown, html of jsonl (één werkplek per regel).",
        ),
    ] = "table",
    uitvoer: UitvoerOption = None,
    kort: Annotated[
        bool,
        typer.Option("--kort", metavar="", help="Bij --format table: alleen het overzicht, één regel per werkplek."),
    ] = False,
    top: Annotated[
        str | None,
        typer.Option("--top", metavar="N", help="Toon alleen de N beste sporen (gelijke scores blijven zichtbaar)."),
    ] = None,
    wat_als: Annotated[
        list[str] | None,
        typer.Option(
            "--wat-als",
            metavar="VRAAG=WAARDE",
            help="Vergelijk met een ander antwoord (herhaalbaar), bijvoorbeeld --wat-als taken=complex.",
        ),
    ] = None,
    sla_fouten_over: Annotated[
        bool,
        typer.Option(
            "--sla-fouten-over",
            metavar="",
            help="Geef advies voor de goede werkplekken en noem de foute op stderr (status blijft 2).",
        ),
    ] = False,
) -> None:
    """Advies voor alle werkplekken in een bestand: spoor, redenen, partners, instrumenten, cases."""
    werk = _werkbestand(werk, werk_pad)
    gekozen = _format(formaat, FORMATS)
    aantal = _positive_int(top, "--top")
    wijzigingen = _wat_als_options(wat_als)
    from spoorwijzer import stroom

    if gekozen in stroom.STREAM_FORMATS and wijzigingen is None and not sla_fouten_over:
        # Record by record: big inventories in flat memory.
        _emit_chunks(
            stroom.streamed_output(werk, _vocabulary(), _regels(), gekozen, aantal, _today()), uitvoer, (werk,)
        )
        return
    result = _read_werkplekken(werk, sla_fouten_over)
    regels, today = _regels(), _today()
    adviezen = [stroom.advise_werkplek(regels, werkplek, today) for werkplek in result.werkplekken]
    if wijzigingen is not None:
        _write_wat_als(adviezen, wijzigingen, regels, gekozen, aantal, uitvoer, (werk,), kort)
    elif kort and gekozen == "table" and uitvoer is None:
        from spoorwijzer.table import render_summary

        render_summary(_console(), adviezen)
    else:
        _write_adviezen(adviezen, gekozen, aantal, uitvoer, (werk,))
    _report_skipped(result)


def _skipped_heading(problems: list[Problem], done: int) -> str:
    skipped = len({(p.werkplek_regel, p.werkplek) for p in problems if p.werkplek or p.werkplek_regel})
    if not skipped:
        return (
            f"spoorwijzer: {done} {'werkplek' if done == 1 else 'werkplekken'} verwerkt, maar er is iets mis "
            "met het bestand:"
        )
    return (
        f"spoorwijzer: {skipped} {'werkplek' if skipped == 1 else 'werkplekken'} overgeslagen vanwege fouten "
        f"({done} wel verwerkt). Verbeter ze en draai opnieuw:"
    )


def _write_adviezen(
    adviezen: list[Advies], formaat: str, top: int | None, uitvoer: Path | None, inputs: tuple[Path, ...]
) -> None:
    from spoorwijzer import output

    if formaat == "table":
        if uitvoer is None:
            from spoorwijzer.table import render_adviezen

            render_adviezen(_console(), adviezen, top, _kennisbank().vraag_teksten())
            return
        formaat = "markdown"  # a table in a file reads best as markdown
    if formaat == "html":
        from spoorwijzer.report_html import match_html

        bestand = inputs[0].name if inputs else ""
        _emit(match_html(adviezen, _kennisbank().sporen, top, bestand=bestand, datum=_today()), uitvoer, inputs)
        return
    if formaat in ("json", "jsonl", "csv"):
        from spoorwijzer import stroom

        _emit_chunks(stroom.render(formaat, adviezen, top), uitvoer, inputs)  # the bytes of the streamed path
        return
    render = {"yaml": output.to_yaml, "markdown": output.to_markdown}
    _emit(render[formaat](adviezen, top), uitvoer, inputs)


# -- portfolio -------------------------------------------------------------------------------------------
@app.command(
    cls=DutchCommand,
    epilog="Voorbeeld: spoorwijzer portfolio --werk werkplekken.yaml --format html --uitvoer portfolio.html",
)
def portfolio(
    werk_pad: WerkArgument = None,
    werk: WerkOption = None,
    formaat: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAAT", help="Uitvoer: table (tabel), json, yaml, csv, markdown of html."
        ),
    ] = "table",
    uitvoer: UitvoerOption = None,
    sla_fouten_over: Annotated[
        bool,
        typer.Option(
            "--sla-fouten-over",
            metavar="",
            help="Tel alleen de goede werkplekken en noem de foute op stderr (status blijft 2).",
        ),
    ] = False,
) -> None:
    """Overzicht van alle werkplekken: sporen (eerste en tweede keus), gaten, partners, instrumenten, waarschuwingen."""
    werk = _werkbestand(werk, werk_pad)
    gekozen = _format(formaat, PORTFOLIO_FORMATS)
    from spoorwijzer.portfolio import build_portfolio

    result = _read_werkplekken(werk, sla_fouten_over)
    from spoorwijzer import portfolio_output
    from spoorwijzer.stroom import advise_werkplek

    regels, today = _regels(), _today()
    adviezen = [advise_werkplek(regels, werkplek, today) for werkplek in result.werkplekken]
    overzicht = build_portfolio(adviezen, _kennisbank())
    if gekozen == "table" and uitvoer is None:
        portfolio_output.render_portfolio(_console(), overzicht)
        _report_skipped(result)
        return
    if gekozen == "html":
        from spoorwijzer.report_html import portfolio_html

        text = portfolio_html(overzicht, bestand=werk.name, datum=today)
    else:
        render = {
            "json": portfolio_output.to_json,
            "yaml": portfolio_output.to_yaml,
            "csv": portfolio_output.to_csv,
            "markdown": portfolio_output.to_markdown,
            "table": portfolio_output.to_markdown,  # a table in a file reads best as markdown
        }
        text = render[gekozen](overzicht)
    _emit(text, uitvoer, (werk,))
    _report_skipped(result)


def _read_werkplekken(werk: Path, sla_fouten_over: bool) -> ReadResult:
    """All werkplekken of the file; with problems a UserError, unless --sla-fouten-over leaves some to do."""
    from spoorwijzer.werkplek import read_werkplekken

    result = read_werkplekken(werk, _vocabulary())
    if result.problems and not (sla_fouten_over and result.werkplekken):
        raise UserError(result.problems)
    return result


def _report_skipped(result: ReadResult) -> None:
    if result.problems:
        # --sla-fouten-over: the good werkplekken are out; the rest is listed, and status 2 tells scripts.
        raise UserError(result.problems, heading=_skipped_heading(result.problems, len(result.werkplekken)))


def _wat_als_options(pairs: list[str] | None) -> dict[str, Any] | None:
    """--wat-als veld=waarde, checked before anything else runs (None: not asked for)."""
    if not pairs:
        return None
    from spoorwijzer.watals import parse_wat_als

    return parse_wat_als(pairs, _vocabulary())


def _write_wat_als(
    adviezen: list[Advies],
    wijzigingen: dict[str, Any],
    regels: Regels,
    formaat: str,
    top: int | None,
    uitvoer: Path | None,
    inputs: tuple[Path, ...],
    kort: bool,
) -> None:
    from spoorwijzer import watals_weergave
    from spoorwijzer.watals import vergelijk

    vergelijkingen = [vergelijk(regels, a, wijzigingen, _today()) for a in adviezen]
    if formaat == "table" and uitvoer is None:
        watals_weergave.render_vergelijkingen(_console(), vergelijkingen, kort)
        return
    if formaat == "html":
        from spoorwijzer.report_html import watals_html

        bestand = inputs[0].name if inputs else ""
        text = watals_html(vergelijkingen, _kennisbank().sporen, top, bestand=bestand, datum=_today())
        _emit(text, uitvoer, inputs)
        return
    render = watals_weergave.RENDER.get("markdown" if formaat == "table" else formaat)
    if render is None:
        raise UserError.single(
            f"--wat-als kan niet samen met --format {formaat}.",
            field="--format",
            allowed=allowed_list(watals_weergave.FORMATS),
        )
    _emit(render(vergelijkingen, top), uitvoer, inputs)


# -- advies --------------------------------------------------------------------------------------------
def _parse_answer_options(pairs: list[str], extra: list[str], vocab: Vocabulary) -> Antwoorden:
    """Answers from --antwoord veld=waarde and from --<vraag> waarde (the question ids are data)."""
    raw: list[tuple[str, str, str]] = []
    for pair in pairs:
        if "=" not in pair:
            raise UserError.single(
                f"'{pair}' heeft geen '='.", field="--antwoord", allowed="veld=waarde, bijvoorbeeld taken=eenvoudig"
            )
        key, value = pair.split("=", 1)
        raw.append((key, value, "--antwoord"))
    position = 0
    while position < len(extra):
        token = extra[position]
        if not token.startswith("--"):
            raise UserError.single(f"Onverwachte invoer '{token}'.", allowed="opties als --taken eenvoudig")
        key = token[2:]
        if "=" in key:
            key, value = key.split("=", 1)
            position += 1
        elif position + 1 < len(extra) and not extra[position + 1].startswith("--"):
            value = extra[position + 1]
            position += 2
        else:
            raise UserError.single(f"De optie '{token}' heeft een waarde nodig.", field=token)
        raw.append((key, value, f"--{key}"))
    problems: list[Problem] = []
    antwoorden: dict[str, Any] = {}
    for key, value, option in raw:
        vraag_id = vocab.resolve_key(key)
        if vraag_id is None or vraag_id in ("naam", "omschrijving"):
            problems.append(
                Problem(
                    f"Onbekend veld '{key}'.{did_you_mean(key.lower(), list(vocab.vragen))}",
                    field=option,
                    allowed=allowed_list(list(vocab.vragen)),
                )
            )
            continue
        answer, message = vocab.answer(vraag_id, value)
        if message:
            problems.append(Problem(message, field=option, allowed=vocab.allowed_values(vraag_id)))
        elif answer is not None:
            antwoorden[vraag_id] = answer
    if problems:
        raise UserError(problems)
    return antwoorden


@app.command(
    cls=DutchCommand,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog=(
        "Voorbeelden: spoorwijzer advies  |  spoorwijzer advies --vanuit doelgroep --opslaan mijnplek.yaml  |  "
        "spoorwijzer advies --taken eenvoudig --doel zorg (beantwoorde vragen worden overgeslagen)  |  "
        "spoorwijzer advies --hervat spoorwijzer-herstel-mijn-werkplek.yaml --wat-als doel=werken. "
        "Typ 'terug' voor de vorige vraag."
    ),
)
def advies(
    ctx: typer.Context,
    vanuit: Annotated[
        str,
        typer.Option("--vanuit", metavar="werk|doelgroep", help="Startpunt van het stappenplan: werk of doelgroep."),
    ] = "werk",
    opslaan: Annotated[
        Path | None,
        typer.Option(
            "--opslaan",
            "-s",
            metavar="BESTAND",
            help="Bewaar de antwoorden als werkplekbestand (.yaml of .csv) dat 'match' kan lezen.",
        ),
    ] = None,
    naam: Annotated[str | None, typer.Option("--naam", metavar="NAAM", help="Naam van de werkplek.")] = None,
    antwoord: Annotated[
        list[str] | None,
        typer.Option(
            "--antwoord",
            "-a",
            metavar="VRAAG=WAARDE",
            help="Geef een antwoord vooraf (herhaalbaar). Ook als --VRAAG WAARDE, bijvoorbeeld --taken eenvoudig.",
        ),
    ] = None,
    overschrijven: Annotated[
        bool, typer.Option("--overschrijven", metavar="", help="Mag --opslaan een bestaand bestand vervangen?")
    ] = False,
    antwoorden_bestand: Annotated[
        Path | None,
        typer.Option(
            "--antwoorden",
            metavar="BESTAND",
            help="Neem de antwoorden over uit een werkplekbestand en stel alleen de overige vragen "
            "(meer werkplekken in het bestand: kies met --naam).",
        ),
    ] = None,
    hervat: Annotated[
        Path | None,
        typer.Option(
            "--hervat", metavar="BESTAND", help="Ga verder met een onderbroken vraaggesprek (het herstelbestand)."
        ),
    ] = None,
    alle_vragen: Annotated[
        bool,
        typer.Option(
            "--alle-vragen", metavar="", help="Stel alle vragen, ook die het eerste spoor niet meer kunnen veranderen."
        ),
    ] = False,
    wat_als: Annotated[
        list[str] | None,
        typer.Option(
            "--wat-als",
            metavar="VRAAG=WAARDE",
            help="Vergelijk het advies met een ander antwoord (herhaalbaar), bijvoorbeeld --wat-als doel=werken.",
        ),
    ] = None,
) -> None:
    """Stel de vragen van het stappenplan één voor één en geef het advies met checklist."""
    startpunt = _choice(vanuit, STARTPUNTEN, "--vanuit") or "werk"
    kb = _kennisbank()
    vocab = _vocabulary()
    preset = _parse_answer_options(list(antwoord or []), list(ctx.args), vocab)
    wijzigingen = _wat_als_options(wat_als)
    if opslaan is not None and opslaan.suffix.lower() not in OPSLAAN_SUFFIXES:
        # `match` picks the reader by the extension: a .xlsx holding YAML could not be read back.
        raise UserError.single(
            f"spoorwijzer bewaart de antwoorden als YAML of CSV, niet als '{opslaan.suffix or '(geen extensie)'}'.",
            file=str(opslaan),
            field="--opslaan",
            allowed="een bestandsnaam op .yaml, .yml of .csv",
        )
    if opslaan is not None:
        _refuse_existing(opslaan, "--opslaan", overschrijven)  # before the questions: no answers lost at the end
    if hervat is not None and antwoorden_bestand is not None:
        raise UserError.single("Gebruik --hervat of --antwoorden, niet allebei.", field="--hervat")
    from spoorwijzer.herstel import kies_werkplek, samenvoegen
    from spoorwijzer.interview import Interrupted, NoInput, interview, note_skipped

    console = _console()
    omschrijving = ""
    bron = hervat or antwoorden_bestand
    if bron is not None:
        werkplek = kies_werkplek(bron, vocab, naam, "--hervat" if hervat else "--antwoorden")
        preset = samenvoegen(werkplek.antwoorden, preset, tuple(v.id for v in kb.vragen))
        if naam is None or naam.strip().lower() == werkplek.naam.lower():
            naam = werkplek.naam  # as written in the file, not as typed after --naam
        omschrijving = werkplek.omschrijving
        soort = "Hervat" if hervat else "Antwoorden uit"
        aantal = len(werkplek.antwoorden)
        console.print(f"{soort} {bron}: {aantal} {'vraag' if aantal == 1 else 'vragen'} al beantwoord voor '{naam}'.")
    console.print(f"[bold]spoorwijzer[/] – {kb.startpunt(startpunt)['titel']}")
    console.print("[dim]Beantwoord de vragen; na de laatste vraag volgt het advies.[/]")
    lines_read = 0

    def ask(prompt: str) -> str:
        nonlocal lines_read
        console.print(prompt, end="")
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            if lines_read == 0 and not _is_terminal():
                raise NoInput
            raise EOFError
        lines_read += 1
        if not _is_terminal():
            console.print(line.rstrip("\n"), highlight=False)
        return line.rstrip("\n")

    werkplek_naam = naam
    regels = _regels()
    try:
        if werkplek_naam is None:
            try:
                werkplek_naam = ask("Naam van de werkplek (Enter = 'Mijn werkplek')> ").strip() or "Mijn werkplek"
            except NoInput:
                werkplek_naam = "Mijn werkplek"  # fine if every question is answered already
        from spoorwijzer.relevantie import Relevantie

        relevantie = None if alle_vragen else Relevantie(regels)
        uitkomst = interview(kb, vocab, startpunt, preset, ask, console.print, relevantie)
    except NoInput:
        raise UserError.single(_NO_TERMINAL) from None
    except (Interrupted, EOFError, KeyboardInterrupt) as stop:
        so_far = stop.antwoorden if isinstance(stop, Interrupted) else preset
        _advies_onderbroken(werkplek_naam, so_far, omschrijving, startpunt, opslaan)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    antwoorden = uitkomst.antwoorden
    result = regels.advise(werkplek_naam, antwoorden, _today(), omschrijving)
    note_skipped(result, uitkomst.overgeslagen, len(kb.vragen))
    from spoorwijzer.checklist import build_checklist
    from spoorwijzer.table import render_advies, render_checklist

    console.print()
    render_advies(console, result, vragen=kb.vraag_teksten())
    render_checklist(console, build_checklist(kb, result, startpunt), result.beste.spoor if result.beste else None)
    if wijzigingen is not None:
        from spoorwijzer.watals import vergelijk
        from spoorwijzer.watals_weergave import render_vergelijking

        render_vergelijking(console, vergelijk(regels, result, wijzigingen, _today()))
    if opslaan is not None:
        from spoorwijzer.atomic import write_atomic
        from spoorwijzer.output import werkplek_csv, werkplek_yaml

        if opslaan.suffix.lower() == ".csv":
            text = werkplek_csv(werkplek_naam, antwoorden, tuple(v.id for v in kb.vragen), omschrijving)
        else:
            text = werkplek_yaml(werkplek_naam, antwoorden, omschrijving)
        write_atomic(opslaan, text)
        console.print(f"Antwoorden bewaard in {opslaan}. Later opnieuw: spoorwijzer match --werk {opslaan}")


_NO_TERMINAL = (
    "'spoorwijzer advies' stelt vragen, maar er is geen terminal en er komt geen invoer binnen. "
    "Zonder vragen kan het zo: 'spoorwijzer match --werk BESTAND' voor een werkplekbestand, "
    "'spoorwijzer advies --antwoorden BESTAND' (vult de antwoorden uit het bestand in), of alle antwoorden "
    "als opties: 'spoorwijzer advies --naam NAAM --antwoord taken=eenvoudig --antwoord doel=werken ...' "
    "(een vraag die u niet weet: --antwoord prikkels=onbekend). Of geef de antwoorden regel voor regel via de invoer."
)


def _is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # a closed stdin
        return False


def _advies_onderbroken(
    naam: str | None, antwoorden: Antwoorden, omschrijving: str, startpunt: str, opslaan: Path | None
) -> None:
    """Keep what was answered: a recovery file (if anything was answered) and the answers on stderr."""
    import shlex

    from spoorwijzer.herstel import bewaar_herstel
    from spoorwijzer.output import werkplek_yaml

    naam = naam or "Mijn werkplek"
    sys.stderr.write("\nspoorwijzer: onderbroken.")
    header = "# Antwoorden tot nu toe"
    if antwoorden:
        now = dt.datetime.now()
        herstel_header = (
            f"# Herstelbestand van 'spoorwijzer advies' ({now:%Y-%m-%d %H:%M}). "
            "Verder gaan: spoorwijzer advies --hervat <dit bestand>"
        )
        try:
            pad = bewaar_herstel(werkplek_yaml(naam, antwoorden, omschrijving, header=herstel_header), naam, now)
        except OSError as error:
            sys.stderr.write(f" Het herstelbestand kon niet worden geschreven ({error}).")
        else:
            command = ["spoorwijzer", "advies", "--hervat", str(pad)]
            if startpunt != "werk":
                command += ["--vanuit", startpunt]
            if opslaan is not None:
                command += ["--opslaan", str(opslaan)]
            sys.stderr.write(f" De antwoorden zijn bewaard in {pad}.\nVerder gaan waar u was: {shlex.join(command)}\n")
            header += f" (ook bewaard in {pad})"
    else:
        sys.stderr.write(" Er was nog niets beantwoord; er is niets bewaard.")
    sys.stderr.write("\nDe antwoorden tot nu toe, als werkplek:\n\n")
    sys.stderr.write(werkplek_yaml(naam, antwoorden, omschrijving, header=header))


# -- browse commands -----------------------------------------------------------------------------------
@app.command(
    cls=DutchCommand, epilog="Voorbeelden: spoorwijzer cases --spoor 3  |  spoorwijzer cases circulus-fietsenwerkplaats"
)
def cases(
    case_id: Annotated[
        str | None,
        typer.Argument(metavar="ID", help="Toon deze ene case helemaal.", show_default=False, click_type=_TekstType()),
    ] = None,
    spoor: Annotated[str | None, typer.Option("--spoor", metavar="N", help="Alleen cases van dit spoor (1-7).")] = None,
    zoek: Annotated[
        str | None, typer.Option("--zoek", metavar="TEKST", help="Alleen cases waarin deze tekst voorkomt.")
    ] = None,
) -> None:
    """Blader door de praktijkvoorbeelden, of lees er één helemaal."""
    kb = _kennisbank()
    from spoorwijzer import browse
    from spoorwijzer.table import render_case, render_cases

    console = _console()
    if case_id is not None:
        render_case(console, browse.find_case(kb, case_id), kb)
        return
    render_cases(console, browse.filter_cases(kb, _spoor_nummer(spoor, kb), zoek), kb)


@app.command(cls=DutchCommand, epilog="Voorbeelden: spoorwijzer sporen  |  spoorwijzer sporen 5")
def sporen(
    nummer: Annotated[
        str | None,
        typer.Argument(
            metavar="NUMMER", help="Toon alle kolommen van dit spoor.", show_default=False, click_type=_TekstType()
        ),
    ] = None,
) -> None:
    """De sporen van arbeidsparticipatie uit de wegwijzer, met doel, dienstverband en begeleiding."""
    kb = _kennisbank()
    from spoorwijzer.table import render_spoor, render_sporen

    gekozen = _spoor_nummer(nummer, kb, field="NUMMER")
    if gekozen is None:
        render_sporen(_console(), kb)
    else:
        render_spoor(_console(), kb, kb.spoor(gekozen))


@app.command(cls=DutchCommand, epilog="Voorbeeld: spoorwijzer partners --spoor 1 --doelgroep reclassering")
def partners(
    spoor: Annotated[
        str | None, typer.Option("--spoor", metavar="N", help="Alleen partners voor dit spoor (1-7).")
    ] = None,
    doelgroep: Annotated[
        str | None, typer.Option("--doelgroep", metavar="ID", help="Alleen partners die deze doelgroep bedienen.")
    ] = None,
) -> None:
    """Sociale partners per spoor: wie u nodig heeft voor instroom, instrumenten, opleiding en zorg."""
    kb = _kennisbank()
    from spoorwijzer import browse
    from spoorwijzer.table import render_partners

    render_partners(_console(), browse.filter_partners(kb, _spoor_nummer(spoor, kb), _doelgroep(doelgroep, kb)), kb)


@app.command(cls=DutchCommand, epilog="Voorbeeld: spoorwijzer instrumenten --spoor 4 --doelgroep wajong")
def instrumenten(
    spoor: Annotated[
        str | None, typer.Option("--spoor", metavar="N", help="Alleen instrumenten voor dit spoor (1-7).")
    ] = None,
    doelgroep: Annotated[
        str | None, typer.Option("--doelgroep", metavar="ID", help="Alleen instrumenten voor deze doelgroep.")
    ] = None,
    vervallen: Annotated[
        bool, typer.Option("--vervallen", metavar="", help="Toon ook beëindigde regelingen (ter informatie).")
    ] = False,
) -> None:
    """Instrumenten (loonkostensubsidie, jobcoach, no-riskpolis, ...) met voorwaarden en peildatum."""
    kb = _kennisbank()
    from spoorwijzer import browse
    from spoorwijzer.table import render_instrumenten

    gevonden = browse.filter_instrumenten(
        kb, _spoor_nummer(spoor, kb), _doelgroep(doelgroep, kb), _today(), include_ended=vervallen
    )
    render_instrumenten(_console(), gevonden)


@app.command(cls=DutchCommand, epilog="Voorbeeld: spoorwijzer stappenplan --vanuit doelgroep")
def stappenplan(
    vanuit: Annotated[
        str, typer.Option("--vanuit", metavar="werk|doelgroep", help="Startpunt: werk of doelgroep.")
    ] = "werk",
) -> None:
    """De stappen van de wegwijzer, vanuit het werk of vanuit de doelgroep."""
    from spoorwijzer.table import render_stappenplan

    render_stappenplan(_console(), _kennisbank(), _choice(vanuit, STARTPUNTEN, "--vanuit") or "werk")


@app.command(cls=DutchCommand, epilog="Voorbeeld: spoorwijzer doelgroepen")
def doelgroepen() -> None:
    """De doelgroep-ids (instroom) die een werkplekbestand mag gebruiken, en bij welke sporen ze passen."""
    from spoorwijzer.table import render_doelgroepen

    render_doelgroepen(_console(), _kennisbank())


@app.command(
    cls=DutchCommand,
    epilog=(
        "Voorbeelden: spoorwijzer sjabloon  |  spoorwijzer sjabloon --format xlsx  |  "
        "spoorwijzer sjabloon --format yaml --uitvoer -  (naar het scherm)"
    ),
)
def sjabloon(
    formaat: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="csv|yaml|xlsx",
            help="csv (standaard, opent in Excel), yaml of xlsx (Excel met keuzelijsten; uitbreiding excel nodig).",
            show_default=False,
        ),
    ] = None,
    uitvoer: Annotated[
        Path | None,
        typer.Option(
            "--uitvoer",
            "-o",
            metavar="BESTAND",
            help="Schrijf naar dit bestand (standaard werkplekken.csv, .yaml of .xlsx); '-' = het scherm.",
            show_default=False,
        ),
    ] = None,
    overschrijven: Annotated[
        bool, typer.Option("--overschrijven", metavar="", help="Mag het sjabloon een bestaand bestand vervangen?")
    ] = False,
) -> None:
    """Een leeg werkplekbestand om in te vullen: alle kolommen, de toegestane antwoorden en één voorbeeld."""
    from spoorwijzer import sjabloon as templates

    gekozen, doel = templates.choose(formaat, uitvoer)
    if doel is not None:
        _refuse_existing(doel, "--uitvoer", overschrijven)
    inhoud = templates.render(_kennisbank(), gekozen, str(doel or "-"))
    if doel is None:
        sys.stdout.write(str(inhoud))
        return
    from spoorwijzer.atomic import write_atomic

    write_atomic(doel, inhoud)
    sys.stderr.write(
        f"Sjabloon geschreven naar {doel}. Vul uw werkplekken in en gebruik daarna: spoorwijzer match --werk {doel}\n"
    )


# -- valideer ---------------------------------------------------------------------------------------------
@app.command(
    cls=DutchCommand,
    epilog=(
        "Voorbeelden: spoorwijzer valideer  |  spoorwijzer valideer voorbeelden/eigen-data  |  "
        "spoorwijzer --data eigen-data valideer"
    ),
)
def valideer(
    map_: Annotated[
        Path | None,
        typer.Argument(
            metavar="MAP",
            help="Controleer deze map: eigen data (partners.yaml, instrumenten.yaml, cases/) of een hele kennisbank.",
            show_default=False,
            click_type=_BestandType(),
        ),
    ] = None,
) -> None:
    """Controleer elk databestand op het schema en elke verwijzing, met bestand en regel bij elk probleem."""
    from spoorwijzer.eigendata import valideer as check
    from spoorwijzer.schema import SOORTEN

    enkelvoud = {**SOORTEN, "cases": "case"}

    rapport = check(map_, _RUN.get("data"))
    for data_set in rapport.gecontroleerd:
        typer.echo(f"Gecontroleerd: {data_set.beschrijving()}")
        lijsten = ("sporen", "vragen", "doelgroepen") if data_set.volledig else ()
        tellingen = [(data_set.count(lijst), lijst) for lijst in (*lijsten, "partners", "instrumenten", "cases")]
        telling = ", ".join(
            f"{aantal} {lijst if aantal != 1 else enkelvoud[lijst]}"
            for aantal, lijst in tellingen
            if aantal or data_set.volledig
        )
        if telling:
            typer.echo(f"  {telling}")
    for opmerking in rapport.opmerkingen:
        typer.echo(opmerking)
    if not rapport.problems:
        typer.echo("Geen problemen: elk bestand klopt met het schema en elke verwijzing bestaat.")
        return
    aantal = len(rapport.problems)
    lines = [f"spoorwijzer: {aantal} {'probleem' if aantal == 1 else 'problemen'} gevonden:"]
    for file, problems in rapport.per_file().items():
        lines.append(f"{file or '(algemeen)'} ({len(problems)}):")
        lines += [f"  - {p.render()}" for p in problems]
    sys.stdout.flush()  # the summary above first, then the problems
    if rapport.in_shipped:
        lines.append(
            "Dit zijn fouten in de kennisbank van spoorwijzer zelf: meld ze bij de beheerders van spoorwijzer."
        )
    sys.stderr.write("\n".join(lines) + "\n")
    raise typer.Exit(EXIT_BUG if rapport.in_shipped else EXIT_USAGE)


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command asked for: typer builds the options of every registered
    command at each start (~1 ms a command), and one command needs only its own."""
    if args and not args[0].startswith("-"):
        wanted = [c for c in app.registered_commands if (c.name or getattr(c.callback, "__name__", "")) == args[0]]
        if wanted:
            only = copy.copy(app)
            only.registered_commands = wanted
            return only
    return app


def main() -> None:
    """Entry point of the `spoorwijzer` command."""
    _app_for(sys.argv[1:])(prog_name="spoorwijzer")
