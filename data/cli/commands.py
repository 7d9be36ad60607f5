"""The command table: which handler runs each headless command, after the database is open and the operator known."""
from __future__ import annotations

import argparse
from collections.abc import Callable

from klantbeheer.data import staff
from klantbeheer.data.cli import customers, dossiers, language, lists, office, places, transfer
from klantbeheer.data.cli import staff as staff_commands
from klantbeheer.data.cli.output import say
from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import _

Handler = Callable[[argparse.Namespace, str], int]  # (arguments, operator's username) -> exit code

COMMANDS: dict[str, Handler] = {
    "search": customers.search, "show": customers.show, "block": customers.block, "unblock": customers.unblock,
    "delete": customers.delete, "new-dossier": dossiers.new_dossier, "dossiers": dossiers.list_dossiers,
    "dossier": dossiers.run,
    "import": transfer.run, "export": transfer.run, "lists": lists.run, "staff": staff_commands.run,
    "demo": office.load_demo, "backup": office.backup, "check": office.check, "time-zone": office.time_zone,
    "copy-to": office.copy_to, "places": places.run,
}


def database_location(args: argparse.Namespace) -> str | None:
    """The database to use: --db, or with --demo the demo database (created and filled on first use)."""
    from klantbeheer.data.db import demo_location

    if not args.demo:
        return args.db
    if args.db is not None:
        raise BadInput(_("Kies --demo of --db, niet allebei."))
    return demo_location()


def open_demo(operator: str | None) -> None:
    """Open the demo database, creating it and loading the demo data on first use."""
    from pathlib import Path

    from klantbeheer.data import demo
    from klantbeheer.data.db import demo_location, open_database

    location = demo_location()
    Path(location).parent.mkdir(parents=True, exist_ok=True)
    open_database(location, create=True)
    demo.load_demo(staff.login(operator).username, demo_database=True)


def open_chosen(args: argparse.Namespace) -> str | None:
    """Open the database the command line names (--demo creates the demo one); its location, also on args.location."""
    from klantbeheer.data.db import open_database

    args.location = database_location(args)
    if args.demo:
        open_demo(args.operator)
    else:
        open_database(args.location)
    return args.location


def init(args: argparse.Namespace) -> int:
    """`init`: a new, empty database whose first beheerder is the operator."""
    from klantbeheer.data.db import init_database

    location = database_location(args)  # --demo with --db: that refusal first
    if args.demo:
        raise BadInput(_("init maakt een gewone database; de demodatabase maakt --demo zelf aan."))
    db = init_database(location)
    operator = staff.login(args.operator).username
    say(args, {"created": db.database, "beheerder": operator},
        _("Nieuwe database aangemaakt: {database}; {operator} is beheerder.").format(database=db.database, operator=operator))
    return 0


def run(args: argparse.Namespace) -> int:
    """Open the database, log the operator in, run the command's handler; return the exit code (not for serve)."""
    if args.command == "init":
        return init(args)
    open_chosen(args)
    person = staff.login(args.operator)
    language.use_operator_language(args, person.language)
    return COMMANDS[args.command](args, person.username)
