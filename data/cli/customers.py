"""The customer commands: search, show, block, unblock, delete."""
from __future__ import annotations

import argparse
from typing import Any

from klantbeheer.data import clock, customers
from klantbeheer.data.cli.format import customer_text, search_lines
from klantbeheer.data.cli.output import say
from klantbeheer.data.cli.search_table import terminal_width
from klantbeheer.data.i18n import _, moment_text


def search(args: argparse.Namespace, operator: str) -> int:
    """`search TEXT`: the ranked customers (JSON keys are glossary code names, so without the internal row id)."""
    page = customers.search_page(args.text, limit=args.limit, blocked_only=args.blocked)
    rows = page["rows"]
    lines = search_lines(rows, page["corrections"], page["searchable"], terminal_width(), page["ignored"])
    say(args, [{k: v for k, v in row.items() if k != "id"} for row in rows], lines)
    return 0


def show(args: argparse.Namespace, operator: str) -> int:
    """`show NUMBER`: one customer's fields."""
    customer = customers.get(args.number)
    say(args, customer, customer_text(customer))
    return 0


def block(args: argparse.Namespace, operator: str) -> int:
    """`block NUMBER --reason R`: block (or with --update change the block's details)."""
    customer = customers.block(args.number, args.reason, args.message, args.until, operator, update=args.update)
    say(args, customer, block_text(customer, args.update))
    return 0


def unblock(args: argparse.Namespace, operator: str) -> int:
    """`unblock NUMBER`: lift the block."""
    customer = customers.unblock(args.number, operator)
    if customer["changed"]:
        text = _("De blokkering van klant {number} ({name}) is opgeheven.").format(number=customer["number"], name=customer["name"])
    else:
        text = _("Klant {number} ({name}) was niet geblokkeerd; er is niets gewijzigd.").format(
            number=customer["number"], name=customer["name"])
    say(args, customer, text)
    return 0


def delete(args: argparse.Namespace, operator: str) -> int:
    """`delete NUMBER`: delete the customer (its history stays)."""
    customers.delete(args.number, operator)
    say(args, {"deleted": args.number}, _("Klant {number} is verwijderd.").format(number=args.number))
    return 0


def block_text(customer: dict[str, Any], update: bool) -> str:
    """What `block` did, in one Dutch sentence."""
    who = _("Klant {number} ({name})").format(number=customer["number"], name=customer["name"])
    if customer["changed"]:
        if update and customer["blocked_at"]:
            return _("{who}: de blokkering is gewijzigd.").format(who=who)
        return _("{who} is geblokkeerd.").format(who=who)
    since = moment_text(clock.local(customer["blocked_at"])) if customer.get("blocked_at") else _("onbekend")
    if update:
        return _("{who} was al zo geblokkeerd (sinds {since}, door {by}); er is niets gewijzigd.").format(
            who=who, since=since, by=customer["blocked_by"])
    return _("{who} was al geblokkeerd (sinds {since}, door {by}); er is niets gewijzigd. "
             "Gebruik --update om reden, bericht of einddatum te wijzigen.").format(who=who, since=since, by=customer["blocked_by"])
