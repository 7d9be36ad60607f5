"""The `staff` command family: add, list, activate, deactivate, password, logins, language."""
from __future__ import annotations

import argparse

from klantbeheer.data import staff
from klantbeheer.data.cli import language, password
from klantbeheer.data.cli.output import say
from klantbeheer.data.i18n import _


def run(args: argparse.Namespace, operator: str) -> int:
    """Run one `staff` sub-command."""
    if args.staff_command == "add":
        person = staff.add(args.username, args.name, args.role, operator, args.os_user, args.language)
        say(args, person, _("Gebruiker {username} toegevoegd als {role}.").format(username=person["username"], role=_(person["role"])))
    elif args.staff_command in ("password", "logins"):
        say(args, *password.run(args, operator))
    elif args.staff_command == "language":
        say(args, *language.run_staff_language(args, operator))
    elif args.staff_command in ("activate", "deactivate"):
        person = staff.set_active(args.username, args.staff_command == "activate", operator)
        state = _("actief") if person["active"] else _("niet actief")
        say(args, person, _("Gebruiker {username} is nu {state}.").format(username=person["username"], state=state))
    else:
        people = staff.all_staff()
        lines = (f"{p['username']:<20} {_(p['role']):<13} {_('actief') if p['active'] else _('niet actief')}  {p['full_name']}" for p in people)
        say(args, people, "\n".join(lines))
    return 0
