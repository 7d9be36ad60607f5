"""The command line's own words in Dutch: argparse's messages ("usage", "options", errors) by their msgids.

argparse looks every message up through gettext (`argparse._`); this gives it a Dutch catalogue of
the messages a user can meet. The Dutch texts are msgids of Klantbeheer's own catalogue (data/i18n.py),
so another language translates them too. Programming errors of the parser itself stay in English.
"""
from __future__ import annotations

import argparse

from klantbeheer.data.i18n import N_, _

MESSAGES = {
    "usage: ": N_("gebruik: "),
    "positional arguments": N_("argumenten"),
    "options": N_("opties"),
    "show this help message and exit": N_("deze hulp tonen en stoppen"),
    "the following arguments are required: %s": N_("verplicht maar niet opgegeven: %s"),
    "unrecognized arguments: %s": N_("onbekende argumenten: %s"),
    "invalid choice: %(value)r (choose from %(choices)s)": N_("ongeldige keuze %(value)r (kies uit %(choices)s)"),
    "invalid %(type)s value: %(value)r": N_("ongeldige waarde %(value)r (%(type)s verwacht)"),
    "expected one argument": N_("verwacht een waarde"),
    "expected at least one argument": N_("verwacht minstens een waarde"),
    "expected at most one argument": N_("verwacht hoogstens een waarde"),
    "ambiguous option: %(option)s could match %(matches)s": N_("dubbelzinnige optie %(option)s (past op %(matches)s)"),
    "argument %(argument_name)s: %(message)s": N_("argument %(argument_name)s: %(message)s"),
    "%(prog)s: error: %(message)s\n": N_("%(prog)s: fout: %(message)s\n"),
    "not allowed with argument %s": N_("niet samen met argument %s"),
    "one of the arguments %s is required": N_("een van de argumenten %s is verplicht"),
    "ignored explicit argument %r": N_("argument %r genegeerd"),
    "unexpected option string: %s": N_("onverwachte optie: %s"),
    "can't open '%(filename)s': %(error)s": N_("kan '%(filename)s' niet openen: %(error)s"),
    "unknown parser %(parser_name)r (choices: %(choices)s)": N_("onbekende opdracht %(parser_name)r (kies uit %(choices)s)"),
}
TYPE_NAMES = {"int": N_("geheel getal"), "float": N_("getal")}


def translate(message: str) -> str:
    """argparse's English message in the current language (Dutch msgids; unknown ones unchanged)."""
    known = MESSAGES.get(message, TYPE_NAMES.get(message))
    return _(known) if known is not None else message


def translate_plural(singular: str, plural: str, count: int) -> str:
    """Plural messages (argparse uses few): the Dutch form for count."""
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Make argparse speak Dutch (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
