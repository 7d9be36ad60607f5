"""The `lists` command family: show and change the reference lists from the command line (changes: beheerder only)."""
from __future__ import annotations

import argparse
from typing import Any

from klantbeheer.data import lists, lists_import
from klantbeheer.data.cli.format import to_json
from klantbeheer.data.i18n import N_, _, ngettext
from klantbeheer.data.list_history import history_text

DETAIL_OPTIONS = (("--address", "address", N_("ADRES")), ("--postcode", "postcode", N_("POSTCODE")),
                  ("--city", "city", N_("GEMEENTE")), ("--phone", "phone", N_("TEL")), ("--email", "email", N_("E-MAIL")))


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """`lists show|add|rename|details|move|deactivate|activate|delete|import|history`."""
    names = ", ".join(item.name for item in lists.LISTS)
    parser = commands.add_parser("lists", parents=[common], help=_("referentielijsten tonen en beheren (wijzigen: beheerder)"))
    sub = parser.add_subparsers(dest="lists_command", required=True, parser_class=type(parser), metavar=_("OPDRACHT"))
    show = sub.add_parser("show", parents=[common], help=_("de lijsten of één lijst tonen (inactieve keuzes: 'inactief')"))
    show.add_argument("list", nargs="?", default=None, metavar=_("LIJST"), help=_("een van: {names}").format(names=names))
    add = sub.add_parser("add", parents=[common], help=_("een keuze toevoegen (achteraan)"))
    add.add_argument("list", metavar=_("LIJST"))
    add.add_argument("code", metavar=_("CODE"))
    add.add_argument("label", metavar=_("BENAMING"))
    for option, dest, metavar in DETAIL_OPTIONS:
        add.add_argument(option, dest=dest, default=None, metavar=_(metavar), help=_("alleen voor een hersteller"))
    rename = sub.add_parser("rename", parents=[common], help=_("een keuze een nieuwe benaming geven"))
    rename.add_argument("list", metavar=_("LIJST"))
    rename.add_argument("code", metavar=_("CODE"))
    rename.add_argument("label", metavar=_("BENAMING"))
    rename.add_argument("--language", choices=["fr", "en"], default=None,
                        help=_("de Franse of Engelse benaming (leeg: die van het Nederlands)"))
    details = sub.add_parser("details", parents=[common], help=_("adres, gemeente, tel en e-mail van een hersteller"))
    details.add_argument("code", metavar=_("CODE"))
    for option, dest, metavar in DETAIL_OPTIONS:
        details.add_argument(option, dest=dest, default=None, metavar=_(metavar))
    move = sub.add_parser("move", parents=[common], help=_("een keuze naar een andere plaats zetten (1 = eerste)"))
    move.add_argument("list", metavar=_("LIJST"))
    move.add_argument("code", metavar=_("CODE"))
    move.add_argument("position", metavar=_("PLAATS"))
    for name, text in (("deactivate", N_("een keuze niet meer aanbieden (klanten die ze hebben, houden ze)")),
                       ("activate", N_("een keuze weer aanbieden")),
                       ("delete", N_("een keuze verwijderen die nooit gebruikt werd"))):
        toggle = sub.add_parser(name, parents=[common], help=_(text))
        toggle.add_argument("list", metavar=_("LIJST"))
        toggle.add_argument("code", metavar=_("CODE"))
    load = sub.add_parser("import", parents=[common], help=_("keuzes inlezen uit een CSV-bestand (code;benaming)"))
    load.add_argument("list", metavar=_("LIJST"))
    load.add_argument("file", metavar=_("BESTAND"))
    history = sub.add_parser("history", parents=[common], help=_("de wijzigingen aan de lijsten, nieuwste eerst"))
    history.add_argument("list", nargs="?", default=None, metavar=_("LIJST"))
    history.add_argument("code", nargs="?", default=None, metavar=_("CODE"))


def _print(args: argparse.Namespace, value: Any, text: str) -> None:
    """JSON when asked, else the plain text."""
    print(to_json(value) if getattr(args, "json", False) else text)


def entry_line(entry: dict[str, Any], place: int) -> str:
    """One entry: place, code, label (with its French/English ones), inactief, customers using it, contact fields."""
    extra = [f"{tag}: {entry[key]}" for tag, key in (("fr", "label_fr"), ("en", "label_en")) if entry.get(key)]
    contact = [entry.get(key) for key in ("address", "postcode", "city", "phone", "email") if entry.get(key)]
    parts = [f"{place:>3}  {entry['code']:<22} {entry['label']}"]
    if extra:
        parts.append(f"({'; '.join(extra)})")
    if contact:
        parts.append("— " + ", ".join(contact))
    if not entry["active"]:
        parts.append(_("inactief"))
    if entry.get("customers"):
        parts.append(ngettext("[{count} klant]", "[{count} klanten]", entry["customers"]).format(count=entry["customers"]))
    return "  ".join(parts)


def show_text(overview: list[dict[str, Any]]) -> str:
    """Each list as a heading and its entries."""
    blocks = []
    for item in overview:
        lines = [f"{item['title']} ({item['list']})"]
        lines += [entry_line(entry, place) for place, entry in enumerate(item["entries"], start=1)] or ["  " + _("(leeg)")]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _details(args: argparse.Namespace) -> dict[str, Any]:
    """The contact options given on the command line."""
    return {dest: getattr(args, dest) for _, dest, _ in DETAIL_OPTIONS if getattr(args, dest, None) is not None}


def run(args: argparse.Namespace, operator: str) -> int:
    """Run one `lists` command; refusals raise KlantbeheerError (exit codes as elsewhere: 2 input, 4 not permitted)."""
    command = args.lists_command
    if command == "show":
        overview = ([item for item in lists.overview() if item["list"] == lists.spec(args.list).name]
                    if args.list else lists.overview())
        _print(args, overview, show_text(overview))
        return 0
    if command == "history":
        events = lists.history(args.list, args.code)
        _print(args, events, history_text(events))
        return 0
    if command == "import":
        counts = lists_import.import_csv(args.list, args.file, operator)
        title = _(lists.spec(args.list).title)
        _print(args, counts, _("{list}: {added} toegevoegd, {renamed} hernoemd, {unchanged} ongewijzigd.").format(
            list=title, added=counts["added"], renamed=counts["renamed"], unchanged=counts["unchanged"]))
        return 0
    if command == "delete":
        lists.delete(args.list, args.code, operator)
        _print(args, {"deleted": args.code}, _("{list}: '{code}' is verwijderd.").format(
            list=_(lists.spec(args.list).title), code=args.code))
        return 0
    if command == "add":
        details = _details(args)
        if details and lists.spec(args.list).kind != "repairer":
            from klantbeheer.data.errors import BadInput

            raise BadInput(_("--address, --postcode, --city, --phone en --email gelden alleen voor de lijst hersteller."))
        entry = lists.add(args.list, args.code, args.label, operator, details)
        text = _("{list}: '{code}' ({label}) is toegevoegd.").format(
            list=_(lists.spec(args.list).title), code=entry["code"], label=entry["label"])
    elif command == "rename":
        entry = lists.rename(args.list, args.code, args.label, operator, args.language)
        label = entry["label_" + args.language] if args.language else entry["label"]
        text = _done(args, entry, _("heet nu '{label}'").format(label=label))
    elif command == "details":
        entry = lists.set_details(args.code, _details(args), operator)
        text = _done(args, entry, _("heeft nieuwe gegevens"), "hersteller")
    elif command == "move":
        entry = lists.move(args.list, args.code, args.position, operator)
        text = _done(args, entry, _("staat nu op plaats {place}").format(place=entry["position"] + 1))
    else:
        entry = lists.set_active(args.list, args.code, command == "activate", operator)
        text = _done(args, entry, _("is nu actief") if entry["active"] else _("is nu inactief"))
    _print(args, entry, text)
    return 0


def _done(args: argparse.Namespace, entry: dict[str, Any], what: str, name: str | None = None) -> str:
    """One sentence: what changed, or that nothing had to."""
    title = _(lists.spec(name or args.list).title)
    if not entry.get("changed", True):
        return _("{list}: '{code}' was al zo; er is niets gewijzigd.").format(list=title, code=entry["code"])
    return _("{list}: '{code}' {what}.").format(list=title, code=entry["code"], what=what)
