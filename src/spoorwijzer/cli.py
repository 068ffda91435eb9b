"""The command line: parse options, call the core, render. No rules or data live here.

Error policy (see README, "Foutmeldingen"): a UserError prints every problem in Dutch on
stderr and exits 2; Ctrl-C exits 130; anything else is a bug: exit 1 with a short Dutch
report (the traceback only with SPOORWIJZER_DEBUG=1).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer 0.28 vendors click as typer._click; the exception classes live there.
from typer._click import exceptions as click
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.exceptions import Abort

from spoorwijzer import __version__
from spoorwijzer.errors import DataError, Problem, UserError, allowed_list, did_you_mean

if TYPE_CHECKING:
    from rich.console import Console

    from spoorwijzer.engine import Advies, Antwoorden, Regels
    from spoorwijzer.kennisbank import Kennisbank
    from spoorwijzer.werkplek import Vocabulary

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("table", "json", "yaml", "csv", "markdown", "jsonl")
FORMAT_SYNONYMS = {"tabel": "table", "md": "markdown", "yml": "yaml", "json-lines": "jsonl", "ndjson": "jsonl"}
STARTPUNTEN = ("werk", "doelgroep")


# -- Dutch help and usage errors ---------------------------------------------------------------------
def _dutch_help_texts() -> None:
    from typer import rich_utils

    rich_utils.OPTIONS_PANEL_TITLE = "Opties"
    rich_utils.COMMANDS_PANEL_TITLE = "Commando's"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenten"
    rich_utils.DEFAULT_STRING = "[standaard: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[verplicht]"
    rich_utils.ENVVAR_STRING = "[omgevingsvariabele: {}]"
    # Arguments are named in Dutch already (BESTAND, ID, NUMMER); Python type names mean nothing to users.
    TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


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
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "Onverwachte extra invoer: {0}."),
    (re.compile(r"Missing option '(.+)'\."), "De optie '{0}' ontbreekt."),
    (re.compile(r"Missing argument '(.+)'\."), "Het argument '{0}' ontbreekt."),
    (re.compile(r"Missing parameter: (.+)"), "Er ontbreekt een waarde: {0}."),
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
    heading = "spoorwijzer: er is iets mis met de invoer" + (
        f" ({len(problems)} problemen):" if len(problems) > 1 else ":"
    )
    lines = [heading, *(f"  - {p.render()}" for p in problems)]
    sys.stderr.write("\n".join(lines) + "\n")


class DutchGroup(_DutchHelp, TyperGroup):
    """The top-level group: turns every failure into a Dutch message and the documented exit status."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[OPTIES]"
        self.subcommand_metavar = "COMMANDO [ARGUMENTEN]..."

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        code = EXIT_OK
        try:
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
) -> None:
    """Welk spoor van arbeidsparticipatie past bij een werkplek?"""


# -- shared helpers ------------------------------------------------------------------------------------
def _kennisbank() -> Kennisbank:
    from spoorwijzer.kennisbank import shipped_kennisbank

    return shipped_kennisbank()


def _regels() -> Regels:
    from spoorwijzer.engine import Regels

    return Regels(_kennisbank())


def _vocabulary() -> Vocabulary:
    from spoorwijzer.werkplek import Vocabulary

    return Vocabulary(_kennisbank())


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


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
    if uitvoer is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from spoorwijzer.atomic import write_atomic

    write_atomic(uitvoer, text, protect=inputs)
    sys.stderr.write(f"Resultaat geschreven naar {uitvoer}\n")


# -- match ------------------------------------------------------------------------------------------------
@app.command(
    cls=DutchCommand,
    epilog="Voorbeeld: spoorwijzer match --werk voorbeelden/werkplekken.yaml --format json --uitvoer advies.json",
)
def match(
    werk_pad: Annotated[
        Path | None,
        typer.Argument(metavar="BESTAND", help="Hetzelfde als --werk BESTAND.", show_default=False),
    ] = None,
    werk: Annotated[
        Path | None,
        typer.Option(
            "--werk",
            "-w",
            metavar="BESTAND",
            help="Werkplekbestand (YAML, CSV of JSON-lines) met een of meer werkplekken.",
            show_default=False,
        ),
    ] = None,
    formaat: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAAT",
            help="Uitvoer: table (tabel), json, yaml, csv, markdown of jsonl (één werkplek per regel).",
        ),
    ] = "table",
    uitvoer: Annotated[
        Path | None,
        typer.Option(
            "--uitvoer",
            "-o",
            metavar="BESTAND",
            help="Schrijf naar dit bestand (helemaal of niet) in plaats van het scherm.",
        ),
    ] = None,
    kort: Annotated[
        bool,
        typer.Option("--kort", metavar="", help="Bij --format table: alleen het overzicht, één regel per werkplek."),
    ] = False,
    top: Annotated[
        str | None,
        typer.Option("--top", metavar="N", help="Toon alleen de N beste sporen (gelijke scores blijven zichtbaar)."),
    ] = None,
) -> None:
    """Advies voor alle werkplekken in een bestand: spoor, redenen, partners, instrumenten, cases."""
    if werk is not None and werk_pad is not None:
        raise UserError.single("Geef het werkplekbestand één keer op: met --werk of als argument, niet allebei.")
    werk = werk or werk_pad
    if werk is None:
        raise UserError.single(
            "Geef het werkplekbestand op met --werk BESTAND.", field="--werk", allowed="een YAML- of CSV-bestand"
        )
    gekozen = _choice(FORMAT_SYNONYMS.get(formaat.strip().lower(), formaat), FORMATS, "--format") or "table"
    aantal = _positive_int(top, "--top")
    from spoorwijzer import stroom

    if gekozen in stroom.STREAM_FORMATS:  # record by record: big inventories in flat memory
        stroom.match_streamed(werk, _vocabulary(), _regels(), gekozen, aantal, uitvoer, _today())
        return
    from spoorwijzer.werkplek import read_werkplekken

    reader = stroom.read_all if werk.suffix.lower() in stroom.JSONL_SUFFIXES else read_werkplekken
    result = reader(werk, _vocabulary())
    if result.problems:
        raise UserError(result.problems)
    regels = _regels()
    today = _today()
    adviezen = []
    for werkplek in result.werkplekken:
        uitkomst = regels.advise(werkplek.naam, werkplek.antwoorden, today, werkplek.omschrijving)
        uitkomst.opmerking = werkplek.opmerking
        adviezen.append(uitkomst)
    if kort and gekozen == "table" and uitvoer is None:
        from spoorwijzer.table import render_summary

        render_summary(_console(), adviezen)
        return
    _write_adviezen(adviezen, gekozen, aantal, uitvoer, (werk,))


def _write_adviezen(
    adviezen: list[Advies], formaat: str, top: int | None, uitvoer: Path | None, inputs: tuple[Path, ...]
) -> None:
    from spoorwijzer import output

    if formaat == "table":
        if uitvoer is None:
            from spoorwijzer.table import render_adviezen

            render_adviezen(_console(), adviezen, top)
            return
        formaat = "markdown"  # a table in a file reads best as markdown
    render = {"json": output.to_json, "yaml": output.to_yaml, "csv": output.to_csv, "markdown": output.to_markdown}
    _emit(render[formaat](adviezen, top), uitvoer, inputs)


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
                    f"Onbekende vraag '{key}'.{did_you_mean(key.lower(), list(vocab.vragen))}",
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
        "spoorwijzer advies --taken eenvoudig --doel zorg (beantwoorde vragen worden overgeslagen)"
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
            "--opslaan", "-s", metavar="BESTAND", help="Bewaar de antwoorden als werkplekbestand dat 'match' kan lezen."
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
) -> None:
    """Stel de vragen van het stappenplan één voor één en geef het advies met checklist."""
    startpunt = _choice(vanuit, STARTPUNTEN, "--vanuit") or "werk"
    kb = _kennisbank()
    vocab = _vocabulary()
    preset = _parse_answer_options(list(antwoord or []), list(ctx.args), vocab)
    if opslaan is not None and opslaan.exists() and not overschrijven:
        # Checked before the questions, so nobody answers eleven questions to lose them at the end.
        raise UserError.single(
            "Dit bestand bestaat al; spoorwijzer overschrijft het niet zomaar.",
            file=str(opslaan),
            field="--opslaan",
            allowed="een nieuwe bestandsnaam, of --overschrijven om het bestand te vervangen",
        )
    from spoorwijzer.interview import Interrupted, run_interview

    console = _console()
    console.print(f"[bold]spoorwijzer[/] – {kb.startpunt(startpunt)['titel']}")
    console.print("[dim]Beantwoord de vragen; na de laatste vraag volgt het advies.[/]")

    def ask(prompt: str) -> str:
        console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        if not sys.stdin.isatty():
            console.print(line.rstrip("\n"), highlight=False)
        return line.rstrip("\n")

    werkplek_naam = naam
    try:
        if werkplek_naam is None:
            werkplek_naam = ask("Naam van de werkplek (Enter = 'Mijn werkplek')> ").strip() or "Mijn werkplek"
        antwoorden = run_interview(kb, vocab, startpunt, preset, ask, console.print)
    except (Interrupted, EOFError, KeyboardInterrupt) as stop:
        so_far = stop.antwoorden if isinstance(stop, Interrupted) else preset
        from spoorwijzer.output import PARTIAL_HEADER, werkplek_yaml

        sys.stderr.write("\nspoorwijzer: onderbroken. De antwoorden tot nu toe, als werkplek:\n\n")
        sys.stderr.write(werkplek_yaml(werkplek_naam or "Mijn werkplek", so_far, header=PARTIAL_HEADER))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    regels = _regels()
    result = regels.advise(werkplek_naam, antwoorden, _today())
    from spoorwijzer.checklist import build_checklist
    from spoorwijzer.table import render_advies, render_checklist

    console.print()
    render_advies(console, result)
    render_checklist(console, build_checklist(kb, result, startpunt), result.beste.spoor if result.beste else None)
    if opslaan is not None:
        from spoorwijzer.atomic import write_atomic
        from spoorwijzer.output import werkplek_csv, werkplek_yaml

        if opslaan.suffix.lower() == ".csv":
            text = werkplek_csv(werkplek_naam, antwoorden, tuple(v.id for v in kb.vragen))
        else:
            text = werkplek_yaml(werkplek_naam, antwoorden)
        write_atomic(opslaan, text)
        console.print(f"Antwoorden bewaard in {opslaan}. Later opnieuw: spoorwijzer match --werk {opslaan}")


# -- browse commands -----------------------------------------------------------------------------------
@app.command(
    cls=DutchCommand, epilog="Voorbeelden: spoorwijzer cases --spoor 3  |  spoorwijzer cases circulus-fietsenwerkplaats"
)
def cases(
    case_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Toon deze ene case helemaal.", show_default=False)
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
        str | None, typer.Argument(metavar="NUMMER", help="Toon alle kolommen van dit spoor.", show_default=False)
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
