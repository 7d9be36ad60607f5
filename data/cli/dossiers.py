"""The dossier commands: new-dossier and dossiers."""
from __future__ import annotations

import argparse

from klantbeheer.data import dossiers
from klantbeheer.data.cli.format import dossier_lines
from klantbeheer.data.cli.output import say
from klantbeheer.data.i18n import _


def new_dossier(args: argparse.Namespace, operator: str) -> int:
    """`new-dossier --customer N --description D`: open a dossier (never for a blocked owner or twin)."""
    made = dossiers.create_dossier(args.customer, args.description, args.reference, args.plate, operator)
    say(args, made, _("Dossier {number} aangemaakt voor klant {customer} ({name}).").format(
        number=made["number"], customer=made["customer"], name=made["customer_name"]))
    return 0


def list_dossiers(args: argparse.Namespace, operator: str) -> int:
    """`dossiers [--customer N]`: the dossiers, newest first."""
    rows = dossiers.list_dossiers(args.customer)
    say(args, rows, dossier_lines(rows))
    return 0
