"""`staff password USER` (set a password for the browser version) and `staff logins [USER]` (the sign-in history)."""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import N_, _, moment_text

KINDS = {"login": N_("aangemeld"), "login_failed": N_("aanmelding mislukt"), "locked": N_("vergrendeld"),
         "password_set": N_("wachtwoord ingesteld")}


def add_arguments(staff_commands: Any, common: argparse.ArgumentParser) -> None:
    """The two staff sub-commands."""
    setter = staff_commands.add_parser("password", parents=[common],
                                       help=_("een wachtwoord voor de browserversie instellen (gevraagd, nooit getoond)"))
    setter.add_argument("username", metavar=_("GEBRUIKER"))
    logins = staff_commands.add_parser("logins", parents=[common], help=_("aanmeldingen in de browserversie tonen"))
    logins.add_argument("username", nargs="?", default=None, metavar=_("GEBRUIKER"))


def read_password() -> str:
    """The new password: asked twice without echo on a terminal, else the first line of stdin (scripts, tests)."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(_("Nieuw wachtwoord: "))
        second = getpass.getpass(_("Herhaal het wachtwoord: "))
        if first != second:
            raise BadInput(_("De twee wachtwoorden verschillen; er is niets gewijzigd."))
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line[:-1] if line.endswith("\n") else line


def run(args: argparse.Namespace, operator: str) -> tuple[Any, str]:
    """Run `staff password` or `staff logins`: the value for --json and the text."""
    from klantbeheer.data import clock, passwords  # argon2 and the models: only for these two commands

    if args.staff_command == "password":
        made = passwords.set_password(args.username, read_password(), operator)
        return made, _("Het wachtwoord van {username} is ingesteld.").format(username=made["username"])
    events = passwords.history(args.username, operator)
    lines = [f"{moment_text(clock.local(e['at']))}  {e['username']:<20} {_(KINDS.get(e['kind'], e['kind']))}"
             + (f" ({e['detail']})" if e["detail"] else "") for e in events]
    return events, "\n".join(lines) if lines else _("Geen aanmeldingen.")
