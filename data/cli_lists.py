"""The `lists` command family: show and change the reference lists from the command line (changes: beheerder only)."""
from __future__ import annotations

import argparse
from typing import Any

from data import clock, lists, lists_import
from data.cli_format import to_json

ACTIONS = {
    "added": "toegevoegd", "renamed": "hernoemd", "moved": "verplaatst", "deactivated": "gedeactiveerd",
    "activated": "geactiveerd", "deleted": "verwijderd", "details": "gegevens gewijzigd",
}
FIELD_WORDS = {
    "label": "benaming", "label_fr": "benaming (fr)", "label_en": "benaming (en)", "active": "actief", "position": "plaats",
    "address": "adres", "postcode": "postcode", "city": "gemeente", "phone": "tel", "email": "e-mail",
}
DETAIL_OPTIONS = (("--address", "address", "ADRES"), ("--postcode", "postcode", "POSTCODE"),
                  ("--city", "city", "GEMEENTE"), ("--phone", "phone", "TEL"), ("--email", "email", "E-MAIL"))


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """`lists show|add|rename|move|deactivate|activate|delete|import|history`."""
    names = ", ".join(item.name for item in lists.LISTS)
    parser = commands.add_parser("lists", parents=[common], help="referentielijsten tonen en beheren (wijzigen: beheerder)")
    sub = parser.add_subparsers(dest="lists_command", required=True, parser_class=type(parser), metavar="OPDRACHT")
    show = sub.add_parser("show", parents=[common], help="de lijsten of één lijst tonen (inactieve keuzes: 'inactief')")
    show.add_argument("list", nargs="?", default=None, metavar="LIJST", help=f"een van: {names}")
    add = sub.add_parser("add", parents=[common], help="een keuze toevoegen (achteraan)")
    add.add_argument("list", metavar="LIJST")
    add.add_argument("code", metavar="CODE")
    add.add_argument("label", metavar="BENAMING")
    for option, dest, metavar in DETAIL_OPTIONS:
        add.add_argument(option, dest=dest, default=None, metavar=metavar, help="alleen voor een hersteller")
    rename = sub.add_parser("rename", parents=[common], help="een keuze een nieuwe benaming geven")
    rename.add_argument("list", metavar="LIJST")
    rename.add_argument("code", metavar="CODE")
    rename.add_argument("label", metavar="BENAMING")
    rename.add_argument("--language", choices=["fr", "en"], default=None,
                        help="de Franse of Engelse benaming (leeg: die van het Nederlands)")
    details = sub.add_parser("details", parents=[common], help="adres, gemeente, tel en e-mail van een hersteller")
    details.add_argument("code", metavar="CODE")
    for option, dest, metavar in DETAIL_OPTIONS:
        details.add_argument(option, dest=dest, default=None, metavar=metavar)
    move = sub.add_parser("move", parents=[common], help="een keuze naar een andere plaats zetten (1 = eerste)")
    move.add_argument("list", metavar="LIJST")
    move.add_argument("code", metavar="CODE")
    move.add_argument("position", metavar="PLAATS")
    for name, text in (("deactivate", "een keuze niet meer aanbieden (klanten die ze hebben, houden ze)"),
                       ("activate", "een keuze weer aanbieden"),
                       ("delete", "een keuze verwijderen die nooit gebruikt werd")):
        toggle = sub.add_parser(name, parents=[common], help=text)
        toggle.add_argument("list", metavar="LIJST")
        toggle.add_argument("code", metavar="CODE")
    load = sub.add_parser("import", parents=[common], help="keuzes inlezen uit een CSV-bestand (code;benaming)")
    load.add_argument("list", metavar="LIJST")
    load.add_argument("file", metavar="BESTAND")
    history = sub.add_parser("history", parents=[common], help="de wijzigingen aan de lijsten, nieuwste eerst")
    history.add_argument("list", nargs="?", default=None, metavar="LIJST")
    history.add_argument("code", nargs="?", default=None, metavar="CODE")


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
        parts.append("inactief")
    if entry.get("customers"):
        parts.append(f"[{entry['customers']} klant(en)]")
    return "  ".join(parts)


def show_text(overview: list[dict[str, Any]]) -> str:
    """Each list as a heading and its entries."""
    blocks = []
    for item in overview:
        lines = [f"{item['title']} ({item['list']})"]
        lines += [entry_line(entry, place) for place, entry in enumerate(item["entries"], start=1)] or ["  (leeg)"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def history_text(events: list[dict[str, Any]]) -> str:
    """Each change on one line: when, who, list, code, what, old -> new."""
    if not events:
        return "Nog geen wijzigingen aan de referentielijsten."
    lines = []
    for event in events:
        when = clock.local(event["at"]).strftime("%d-%m-%Y %H:%M") if event["at"] else ""
        changes = "; ".join(f"{FIELD_WORDS.get(field, field)}: {_word(pair[0])} → {_word(pair[1])}" for field, pair in event["changes"].items()
                            if isinstance(pair, list) and len(pair) == 2)
        lines.append(f"{when}  {event['operator']}  {event['list']} {event['code']}: {ACTIONS.get(event['kind'], event['kind'])}"
                     + (f" ({changes})" if changes else ""))
    return "\n".join(lines)


def _word(value: Any) -> str:
    """A value in a history line."""
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


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
        title = lists.spec(args.list).title
        _print(args, counts, f"{title}: {counts['added']} toegevoegd, {counts['renamed']} hernoemd, "
                             f"{counts['unchanged']} ongewijzigd.")
        return 0
    if command == "delete":
        lists.delete(args.list, args.code, operator)
        _print(args, {"deleted": args.code}, f"{lists.spec(args.list).title}: '{args.code}' is verwijderd.")
        return 0
    if command == "add":
        details = _details(args)
        if details and lists.spec(args.list).kind != "repairer":
            from data.errors import BadInput

            raise BadInput("--address, --postcode, --city, --phone en --email gelden alleen voor de lijst hersteller.")
        entry = lists.add(args.list, args.code, args.label, operator, details)
        text = f"{lists.spec(args.list).title}: '{entry['code']}' ({entry['label']}) is toegevoegd."
    elif command == "rename":
        entry = lists.rename(args.list, args.code, args.label, operator, args.language)
        text = _done(args, entry, "heet nu " + repr(entry["label_" + args.language] if args.language else entry["label"]))
    elif command == "details":
        entry = lists.set_details(args.code, _details(args), operator)
        text = _done(args, entry, "heeft nieuwe gegevens", "hersteller")
    elif command == "move":
        entry = lists.move(args.list, args.code, args.position, operator)
        text = _done(args, entry, f"staat nu op plaats {entry['position'] + 1}")
    else:
        entry = lists.set_active(args.list, args.code, command == "activate", operator)
        text = _done(args, entry, "is nu actief" if entry["active"] else "is nu inactief")
    _print(args, entry, text)
    return 0


def _done(args: argparse.Namespace, entry: dict[str, Any], what: str, name: str | None = None) -> str:
    """One sentence: what changed, or that nothing had to."""
    title = lists.spec(name or args.list).title
    if not entry.get("changed", True):
        return f"{title}: '{entry['code']}' was al zo; er is niets gewijzigd."
    return f"{title}: '{entry['code']}' {what}."
