"""The `import` and `export` commands: moving customers in from CSV or Excel and out again."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from klantbeheer.data.cli.format import to_json
from klantbeheer.data.cli.progress import progress_bar, wanted
from klantbeheer.data.i18n import _, ngettext


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `import` and `export` to the command line."""
    load = commands.add_parser("import", parents=[common], help=_("klanten inlezen uit CSV of Excel (beheerder)"))
    load.add_argument("file", nargs="?", default=None, help=_("CSV- of .xlsx-bestand"), metavar=_("BESTAND"))
    load.add_argument("--dry-run", action="store_true", help=_("alles nakijken en het foutenrapport schrijven, niets opslaan"))
    load.add_argument("--strict", action="store_true", help=_("niets opslaan zodra één rij ongeldig is"))
    load.add_argument("--mapping", default=None, help=_("TOML-bestand: kolomnaam = veld"), metavar=_("MAP.toml"))
    load.add_argument("--on-duplicate", default="skip", choices=["skip", "update", "fail"],
                      help=_("bestaande klant (zelfde nummer, externe ref. of BTW-nummer): overslaan, bijwerken of alles "
                             "weigeren"))
    load.add_argument("--undo", default=None, help=_("een eerdere import ongedaan maken"), metavar=_("ID"))
    load.add_argument("--list", action="store_true", help=_("de laatste imports tonen"))
    out = commands.add_parser("export", parents=[common], help=_("klanten wegschrijven naar CSV of Excel"))
    out.add_argument("file", help=_("doelbestand (.csv of .xlsx); - is de standaarduitvoer"), metavar=_("BESTAND"))
    out.add_argument("--format", default=None, choices=["csv", "xlsx"], help=_("standaard: volgens de extensie"))
    out.add_argument("--blocked", action="store_true", help=_("alleen geblokkeerde klanten"))
    out.add_argument("--fields", nargs="+", default=None, help=_("alleen deze velden (code of label)"), metavar=_("VELD"))
    out.add_argument("--search", default=None, help=_("alleen de zoekresultaten voor deze tekst"), metavar=_("TEKST"))
    out.add_argument("--code-names", action="store_true", help=_("kolomnamen in code (name, vat_number, ...)"))


def run(args: argparse.Namespace, operator: str) -> int:
    """Run `import` or `export`; return the exit code."""
    from klantbeheer.data.errors import BadInput
    from klantbeheer.data.transfer import exporter, import_undo, importer

    if args.command == "export":
        with progress_bar(wanted(args.json)) as progress:
            result = exporter.export(args.file, args.format, args.blocked, args.fields, args.search, args.code_names,
                                     progress=progress, dash_is_stdout=True)
        text = ngettext("{customers} klant geëxporteerd naar {file} ({format}).",
                        "{customers} klanten geëxporteerd naar {file} ({format}).", result["customers"]).format(**result)
        _print(args, result, text, to_stderr=args.file == "-")  # standard output holds the export itself
        return 0
    if args.list:
        rows = import_undo.imports()
        _print(args, rows, "\n".join(_import_line(row) for row in rows) or _("Nog geen imports."))
        return 0
    if args.undo is not None:
        if args.file:
            raise BadInput(_("Geef bij --undo geen bestand op."))
        done = import_undo.undo(args.undo, operator)
        _print(args, done, ngettext("Import {import_id} is ongedaan gemaakt: {deleted} klant verwijderd, {restored} hersteld.",
                                       "Import {import_id} is ongedaan gemaakt: {deleted} klanten verwijderd, {restored} hersteld.",
                                       done["deleted"]).format(**done))
        return 0
    if not args.file:
        raise BadInput(_("Geef een bestand op (klantbeheer import BESTAND), of --undo ID of --list."))
    with progress_bar(wanted(args.json)) as progress:
        result = importer.run_import(args.file, operator, dry_run=args.dry_run, strict=args.strict,
                                     on_duplicate=args.on_duplicate, mapping=args.mapping, progress=progress)
    _print(args, result, importer.describe(result))
    return import_exit_code(result)


def import_exit_code(result: dict[str, Any]) -> int:
    """2 when the import stored (or the dry run would store) nothing because rows were invalid or refused, else 0.

    Rows that were all valid but already there (skipped or unchanged) are not a failure: 0.
    """
    if result["reason"].startswith("--"):  # --strict or --on-duplicate fail refused the whole file
        return 2
    if result["created"] + result["updated"]:
        return 0
    return 2 if result["invalid"] else 0


def _import_line(row: dict[str, Any]) -> str:
    """One import in the list."""
    from klantbeheer.data import clock

    when = clock.local(row["started_at"]).strftime("%d-%m-%Y %H:%M")
    undone = _("  ongedaan door {operator}").format(operator=row["undone_by"]) if row["undone_at"] else ""
    counts = _("{created} nieuw {updated} bijgewerkt").format(created=f"{row['created']:>7}", updated=f"{row['updated']:>6}")
    return f"{row['id']:>5}  {when}  {row['operator']:<12} {counts}  {row['file']}{undone}"


def _print(args: argparse.Namespace, value: Any, text: str, to_stderr: bool = False) -> None:
    """JSON when asked, else the plain text (on standard error when standard output carries the data)."""
    print(to_json(value) if args.json else text, file=sys.stderr if to_stderr else sys.stdout)
