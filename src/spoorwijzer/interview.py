"""The interactive interview of `spoorwijzer advies`: the stappenplan's questions, in its order.

I/O goes through two callables (`ask` reads one line, `say` prints rich markup), so the flow
is tested with scripted input and no terminal. `terug` goes back one question (repeatedly);
with a `Relevantie` the questions that can no longer change the first spoor are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.markup import escape

from spoorwijzer.engine import Advies, Antwoorden
from spoorwijzer.kennisbank import Kennisbank, Vraag
from spoorwijzer.relevantie import Relevantie
from spoorwijzer.werkplek import UNANSWERED, Vocabulary

SKIP_WORDS = UNANSWERED | {"0"}
HELP_WORDS = frozenset({"?", "help", "uitleg"})
BACK_WORDS = frozenset({"terug", "vorige", "<"})
PROMPT = "Antwoord> "
FIRST_HINT = (
    "[dim]Typ het nummer of het woord; ? geeft uitleg, terug gaat naar de vorige vraag, Enter of 0 slaat over.[/]"
)
SKIPPED_HEADING = "Overgeslagen: kon het eerste spoor niet meer veranderen"
PROVISIONAL_PREFIX = "Voorlopig advies:"  # the engine's warning for many unanswered questions


class Interrupted(Exception):
    """The user stopped (Ctrl-C or end of input); carries the answers given so far."""

    def __init__(self, antwoorden: Antwoorden) -> None:
        super().__init__("onderbroken")
        self.antwoorden = antwoorden


class NoInput(Exception):
    """Input ended before a single line was read and there is no terminal: nobody can answer.

    Not an EOFError on purpose: this is a usage problem (exit 2), not an interruption (exit 130).
    """


@dataclass
class Uitkomst:
    """The answers of an interview and the questions it skipped (ids, in question order)."""

    antwoorden: Antwoorden
    overgeslagen: list[str] = field(default_factory=list)


def question_order(kb: Kennisbank, startpunt_id: str) -> list[tuple[int, str, list[str]]]:
    """(stap nummer, stap titel, vraag ids) for the steps of a startpunt that ask questions."""
    return [
        (int(stap["nummer"]), str(stap["titel"]), list(stap["vragen"]))
        for stap in kb.startpunt(startpunt_id)["stappen"]
        if stap.get("vragen")
    ]


def _choices(kb: Kennisbank, vraag: Vraag) -> list[tuple[str, str]]:
    if vraag.type == "meerkeuze":
        return [(d, str(info.get("naam", d))) for d, info in kb.doelgroepen.items()]
    return [(a.waarde, a.label) for a in vraag.antwoorden]


def _parse_reply(
    reply: str, vraag: Vraag, choices: list[tuple[str, str]], vocab: Vocabulary
) -> tuple[bool, str | tuple[str, ...] | None, str | None]:
    """(understood, answer or None for 'weet niet', error message)."""
    text = reply.strip().lower()
    if text in SKIP_WORDS:
        return True, None, None
    if vraag.type == "meerkeuze":
        parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
        picked: list[str] = []
        for part in parts:
            if part.isdigit():
                number = int(part)
                if not 1 <= number <= len(choices):
                    return False, None, f"Kies nummers van 1 tot en met {len(choices)}."
                picked.append(choices[number - 1][0])
            else:
                picked.append(part)
        answer, message = vocab.answer(vraag.id, picked)
        return (message is None), answer, message
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(choices):
            return True, choices[number - 1][0], None
        return False, None, f"Kies een nummer van 0 tot en met {len(choices)}."
    answer, message = vocab.answer(vraag.id, reply)
    if message:
        message += f" Kies 0 tot en met {len(choices)}, of typ: {', '.join(value for value, _ in choices)}."
    return (message is None), answer, message


def _shown(value: str | tuple[str, ...] | None) -> str:
    if value is None:
        return "weet niet"
    return ", ".join(value) if isinstance(value, tuple) else value


_BACK = object()  # the user typed `terug`


def _ask_one(
    kb: Kennisbank,
    vocab: Vocabulary,
    vraag: Vraag,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    first: bool,
    earlier: str | None,
    can_go_back: bool,
) -> object:
    """Show one question and read replies until one is understood: the answer, None or _BACK."""
    choices = _choices(kb, vraag)
    say(f"\n[bold cyan]{escape(vraag.vraag)}[/]" + (f" [dim](eerder: {escape(earlier)})[/]" if earlier else ""))
    for position, (_, label) in enumerate(choices, start=1):
        say(f"  {position}. {escape(label)}")
    say("  0. Weet niet / sla over")
    if vraag.type == "meerkeuze":
        say("[dim]Meer kiezen kan: bijvoorbeeld 1,5. Typ ? voor uitleg, terug voor de vorige vraag.[/]")
    elif first:
        say(FIRST_HINT)
    while True:
        reply = ask(PROMPT)
        word = reply.strip().lower()
        if word in HELP_WORDS:
            say(f"[dim]{escape(vraag.toelichting)}[/]")
            continue
        if word in BACK_WORDS:
            if can_go_back:
                return _BACK
            say("[yellow]Dit is de eerste vraag: er is geen vorige vraag.[/]")
            continue
        understood, answer, message = _parse_reply(reply, vraag, choices, vocab)
        if understood:
            return answer
        say(f"[red]{escape(message or 'Dat antwoord begrijp ik niet.')}[/]")


def interview(
    kb: Kennisbank,
    vocab: Vocabulary,
    startpunt_id: str,
    preset: Antwoorden,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    relevantie: Relevantie | None = None,
) -> Uitkomst:
    """Ask the stappenplan's questions that `preset` does not answer; skip what cannot matter.

    Without `relevantie` every open question is asked (`--alle-vragen`). Answers in `preset`
    are fixed: `terug` goes back through the questions asked here only.
    """
    order = [(nummer, titel, v) for nummer, titel, ids in question_order(kb, startpunt_id) for v in ids]
    order = [item for item in order if item[2] not in preset]
    antwoorden: Antwoorden = dict(preset)
    gesteld: list[str] = []  # asked and answered (also "weet niet"), in order: the way back
    earlier: dict[str, str] = {}
    shown_step: int | None = None
    hinted = False  # the typing hint is shown with the first single-choice question only

    def ordered() -> Antwoorden:
        return {v.id: antwoorden[v.id] for v in kb.vragen if v.id in antwoorden}

    def next_question() -> tuple[int, str, str] | None:
        open_ids = [v for _, _, v in order if v not in gesteld]
        # Skipped questions stay open here: the guarantee then covers all of them together.
        skip = relevantie.overbodig(antwoorden, open_ids) if relevantie is not None else set()
        return next((item for item in order if item[2] not in gesteld and item[2] not in skip), None)

    try:
        while (item := next_question()) is not None:
            nummer, titel, vraag_id = item
            if nummer != shown_step:
                say(f"\n[bold]Stap {nummer}. {escape(titel)}[/]")
                shown_step = nummer
            vraag = kb.vraag(vraag_id)
            reply = _ask_one(kb, vocab, vraag, ask, say, not hinted, earlier.get(vraag_id), bool(gesteld))
            hinted = hinted or vraag.type != "meerkeuze"
            if reply is _BACK:
                vorige = gesteld.pop()
                earlier[vorige] = _shown(antwoorden.pop(vorige, None))  # type: ignore[arg-type]
                say("[dim]Terug naar de vorige vraag.[/]")
                continue
            gesteld.append(vraag_id)
            if reply is not None:
                antwoorden[vraag_id] = reply  # type: ignore[assignment]
    except (EOFError, KeyboardInterrupt):
        raise Interrupted(ordered()) from None
    overgeslagen = [v for _, _, v in order if v not in gesteld]
    if overgeslagen:
        say(f"\n[bold]{SKIPPED_HEADING}[/] [dim](alle vragen: --alle-vragen)[/]")
        for vraag_id in overgeslagen:
            say(f"  - {escape(kb.vraag(vraag_id).vraag)} [dim]({vraag_id})[/]")
    return Uitkomst(ordered(), overgeslagen)


def note_skipped(advies: Advies, overgeslagen: list[str], total: int) -> None:
    """Drop the engine's "provisional advice" warning when it only counts skipped questions.

    Skipped questions cannot change the first spoor, so calling the advice provisional because
    of them would mislead; the warning stays when genuinely unanswered questions trigger it.
    """
    echt_open = [v for v in advies.onbeantwoord if v not in overgeslagen]
    if overgeslagen and len(echt_open) * 2 <= total:
        advies.waarschuwingen = [w for w in advies.waarschuwingen if not w.startswith(PROVISIONAL_PREFIX)]
