"""The commands about the database itself: demo, backup, check, time-zone, copy-to."""
from __future__ import annotations

import argparse

from klantbeheer.data import demo, staff
from klantbeheer.data.cli.output import say
from klantbeheer.data.cli.progress import progress_bar, wanted
from klantbeheer.data.i18n import N_, _, number_text


def load_demo(args: argparse.Namespace, operator: str) -> int:
    """`demo [--customers N]`: load the demo customers (and synthetic ones)."""
    from klantbeheer.data.db import is_demo_location

    with progress_bar(wanted(args.json)) as progress:
        made = demo.load(operator, args.customers, demo_database=args.demo or is_demo_location(args.location),
                         force=args.force, progress=progress)
    added, extra = made["demo"], made["synthetic"]
    say(args, made, _("{added} democlanten en {extra} synthetische klanten toegevoegd.").format(added=added, extra=extra))
    return 0


def backup(args: argparse.Namespace, operator: str) -> int:
    """`backup DEST`: a consistent copy, also while others work."""
    from klantbeheer.data import maintenance

    with progress_bar(wanted(args.json)) as progress:
        made = maintenance.backup(args.dest, overwrite=args.overwrite, progress=progress)
    say(args, made, _("Reservekopie geschreven naar {backup} ({size} bytes).").format(backup=made["backup"], size=number_text(made["bytes"])))
    return 0


def check(args: argparse.Namespace, operator: str) -> int:
    """`check`: database, search index and history; exit code 1 when something is wrong."""
    from klantbeheer.data import maintenance

    with progress_bar(wanted(args.json)) as progress:
        result = maintenance.check(progress)
    say(args, result, maintenance.check_text(result))
    return 0 if result["ok"] else 1


def time_zone(args: argparse.Namespace, operator: str) -> int:
    """`time-zone [ZONE]`: show or (beheerder) set the office's time zone."""
    from klantbeheer.data import settings

    name = settings.set_time_zone(args.zone, operator) if args.zone else settings.time_zone()
    say(args, {"time_zone": name}, _("Tijdzone van het kantoor: {name}.").format(name=name))
    return 0


def copy_to(args: argparse.Namespace, operator: str) -> int:
    """`copy-to URL`: copy this database into an empty PostgreSQL database (beheerder)."""
    from klantbeheer.data import copy_to as copying

    staff.require_beheerder(operator, N_("een database kopiëren"))
    with progress_bar(wanted(args.json)) as progress:
        result = copying.copy_to(args.url, progress)
    say(args, result, copying.describe(result))
    return 0
