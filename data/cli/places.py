"""The `places` command: customers whose town is a Dutch exonym of a Walloon municipality, fixed with --fix."""
from __future__ import annotations

import argparse
from typing import Any

from klantbeheer.data.cli.output import say
from klantbeheer.data.i18n import _, ngettext


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `places` to the command line."""
    places = commands.add_parser("places", parents=[common],
                                 help=_("klanten met een Nederlandse naam voor een Franstalige of Duitstalige gemeente "
                                        "(Namen, Luik) tonen, of met --fix verbeteren (beheerder)"))
    places.add_argument("--fix", action="store_true", help=_("de officiële naam invullen (Namur, Liège), in de historiek van elke klant"))
    places.add_argument("--dry-run", action="store_true", help=_("alleen tonen wat --fix zou wijzigen, niets opslaan"))


def run(args: argparse.Namespace, operator: str) -> int:
    """`places [--fix [--dry-run]]`: list the customers (everyone), or fix them (beheerder)."""
    from klantbeheer.data import places

    dry_run = args.dry_run or not args.fix
    result = places.fix_exonyms(operator, dry_run=dry_run)
    say(args, result, describe(result, args.fix))
    return 0


def describe(result: dict[str, Any], fix: bool) -> str:
    """One line per customer, then what was (or would be) done, in the operator's language."""
    if not result["found"]:
        return _("Geen klanten met een Nederlandse naam voor een Franstalige of Duitstalige gemeente.")
    lines = [f"{row['number']:>8}  {row['name']}  {row['postcode']} {row['city']} → {row['official']}" for row in result["customers"]]
    count = result["found"]
    if not result["dry_run"]:
        lines.append(ngettext("{fixed} klant verbeterd; de wijziging staat in de historiek van de klant.",
                              "{fixed} klanten verbeterd; elke wijziging staat in de historiek van de klant.",
                              result["fixed"]).format(fixed=result["fixed"]))
        if result["skipped"]:
            lines.append(ngettext("{count} klant overgeslagen (intussen gewijzigd of geweigerd): {numbers}.",
                                  "{count} klanten overgeslagen (intussen gewijzigd of geweigerd): {numbers}.",
                                  len(result["skipped"])).format(count=len(result["skipped"]),
                                                                  numbers=", ".join(map(str, result["skipped"]))))
    elif fix:
        lines.append(ngettext("{count} klant zou de officiële naam krijgen (--dry-run: niets gewijzigd).",
                              "{count} klanten zouden de officiële naam krijgen (--dry-run: niets gewijzigd).", count).format(count=count))
    else:
        lines.append(ngettext("{count} klant; --fix vult de officiële naam in.",
                              "{count} klanten; --fix vult de officiële naam in.", count).format(count=count))
    return "\n".join(lines)
