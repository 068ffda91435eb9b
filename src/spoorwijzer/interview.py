"""The interactive interview of `spoorwijzer advies`: the stappenplan's questions, in its order.

I/O goes through two callables (`ask` reads one line, `say` prints rich markup), so the flow
is tested with scripted input and no terminal.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape

from spoorwijzer.engine import Antwoorden
from spoorwijzer.kennisbank import Kennisbank, Vraag
from spoorwijzer.werkplek import UNANSWERED, Vocabulary

SKIP_WORDS = UNANSWERED | {"0"}
HELP_WORDS = frozenset({"?", "help", "uitleg"})


class Interrupted(Exception):
    """The user stopped (Ctrl-C or end of input); carries the answers given so far."""

    def __init__(self, antwoorden: Antwoorden) -> None:
        super().__init__("onderbroken")
        self.antwoorden = antwoorden


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


def run_interview(
    kb: Kennisbank,
    vocab: Vocabulary,
    startpunt_id: str,
    preset: Antwoorden,
    ask: Callable[[str], str],
    say: Callable[[str], None],
) -> Antwoorden:
    """Ask every question of the stappenplan that `preset` does not answer yet."""
    antwoorden: Antwoorden = dict(preset)
    asked_any = False
    try:
        for nummer, titel, vraag_ids in question_order(kb, startpunt_id):
            open_ids = [v for v in vraag_ids if v not in preset]
            if not open_ids:
                continue
            say(f"\n[bold]Stap {nummer}. {escape(titel)}[/]")
            for vraag_id in open_ids:
                vraag = kb.vraag(vraag_id)
                choices = _choices(kb, vraag)
                say(f"\n[bold cyan]{escape(vraag.vraag)}[/]")
                for position, (_, label) in enumerate(choices, start=1):
                    say(f"  {position}. {escape(label)}")
                say("  0. Weet niet / sla over")
                if vraag.type == "meerkeuze":
                    say("[dim]Meer kiezen kan: bijvoorbeeld 1,5. Typ ? voor uitleg.[/]")
                elif not asked_any:
                    say("[dim]Typ het nummer of het woord; ? geeft uitleg, Enter of 0 slaat over.[/]")
                asked_any = True
                while True:
                    reply = ask(f"{vraag.id}> ")
                    if reply.strip().lower() in HELP_WORDS:
                        say(f"[dim]{escape(vraag.toelichting)}[/]")
                        continue
                    understood, answer, message = _parse_reply(reply, vraag, choices, vocab)
                    if understood:
                        if answer is not None:
                            antwoorden[vraag_id] = answer
                        break
                    say(f"[red]{escape(message or 'Dat antwoord begrijp ik niet.')}[/]")
    except (EOFError, KeyboardInterrupt):
        raise Interrupted(antwoorden) from None
    return {v.id: antwoorden[v.id] for v in kb.vragen if v.id in antwoorden}
