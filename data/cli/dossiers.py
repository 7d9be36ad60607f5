"""The dossier commands: new-dossier, dossiers, and dossier show / close / reopen."""
from __future__ import annotations

import argparse
from typing import Any

from klantbeheer.data import dossier_changes, dossiers
from klantbeheer.data.cli.format import dossier_lines, dossier_text
from klantbeheer.data.cli.output import say
from klantbeheer.data.i18n import _


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `dossier show|close|reopen NUMBER` to the command line."""
    dossier = commands.add_parser("dossier", parents=[common], help=_("één dossier tonen, sluiten of heropenen"))
    actions = dossier.add_subparsers(dest="dossier_command", required=True, parser_class=type(dossier), metavar=_("OPDRACHT"))
    for name, text in (("show", _("een dossier tonen, met zijn historiek")), ("close", _("een open dossier sluiten")),
                       ("reopen", _("een gesloten dossier heropenen"))):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("number", metavar=_("DOSSIERNUMMER"))


def new_dossier(args: argparse.Namespace, operator: str) -> int:
    """`new-dossier --customer N --description D`: open a dossier (never for a blocked owner or twin)."""
    made = dossiers.create_dossier(args.customer, args.description, args.reference, args.plate, operator)
    say(args, made, _("Dossier {number} aangemaakt voor klant {customer} ({name}).").format(
        number=made["number"], customer=made["customer"], name=made["customer_name"]))
    return 0


def list_dossiers(args: argparse.Namespace, operator: str) -> int:
    """`dossiers [--customer N] [--open]`: the dossiers, newest first."""
    rows = dossiers.list_dossiers(args.customer, only_open=args.open)
    say(args, rows, dossier_lines(rows))
    return 0


def run(args: argparse.Namespace, operator: str) -> int:
    """`dossier show|close|reopen NUMBER`: one dossier; close and reopen are refused while its owner is blocked."""
    if args.dossier_command == "show":
        shown = dossier_changes.get_dossier(args.number)
        say(args, shown, dossier_text(shown))
        return 0
    if args.dossier_command == "close":
        changed = dossier_changes.close_dossier(args.number, operator)
        text = _("Dossier {number} is gesloten.")
    else:
        changed = dossier_changes.reopen_dossier(args.number, operator)
        text = _("Dossier {number} is heropend.")
    say(args, changed, text.format(number=changed["number"]))
    return 0
