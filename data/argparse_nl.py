"""The command line's own words in Dutch: argparse's messages ("usage", "options", errors) by their msgids.

argparse looks every message up through gettext (`argparse._`); this gives it a Dutch catalogue of
the messages a user can meet. Programming errors of the parser itself stay in English.
"""
from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "deze hulp tonen en stoppen",
    "the following arguments are required: %s": "verplicht maar niet opgegeven: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (%(type)s verwacht)",
    "expected one argument": "verwacht een waarde",
    "expected at least one argument": "verwacht minstens een waarde",
    "expected at most one argument": "verwacht hoogstens een waarde",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie %(option)s (past op %(matches)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "not allowed with argument %s": "niet samen met argument %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "ignored explicit argument %r": "argument %r genegeerd",
    "unexpected option string: %s": "onverwachte optie: %s",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
}
TYPE_NAMES = {"int": "geheel getal", "float": "getal"}


def translate(message: str) -> str:
    """argparse's English message in Dutch (unknown ones unchanged)."""
    return MESSAGES.get(message, TYPE_NAMES.get(message, message))


def translate_plural(singular: str, plural: str, count: int) -> str:
    """Plural messages (argparse uses few): the Dutch form for count."""
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Make argparse speak Dutch (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
