"""Customers with names that broke the app: markup brackets, terminal escapes, emoji, right-to-left, 300 characters.

Names the form accepts are created through data/ like any customer; names it would refuse
(control characters, 300 characters) are written with raw SQL, as an old import or a script
might have left them, and the search index is rebuilt.
"""
from __future__ import annotations

import sqlite3

from klantbeheer.data import customers, maintenance
from klantbeheer.data.visible import visible

ACCEPTED = ["Dupont [/]", "[bold]x", "[link=http://x]y[/link]", "Garage [Gent]", "Zoë̈ 🚗", "شركة النور"]
RAW = ["\x1b[2J Wis", "Bel\x07 \x9b31m C1", "Lang" + "L" * 296]
NAMES = ACCEPTED + RAW


def add_nasty_customers(db_path: str) -> dict[str, int]:
    """Create one customer per nasty name (remarks and block message too); name -> number."""
    numbers: dict[str, int] = {}
    for name in NAMES:
        clean = name if name in ACCEPTED else "placeholder"
        made = customers.create({"name": clean, "postcode": "9000", "city": "Gent", "remarks": clean,
                                 "show_remarks": True}, "admin")
        numbers[name] = made["number"]
    connection = sqlite3.connect(db_path)
    with connection:
        for name in RAW:
            connection.execute("UPDATE customer SET name = ?, remarks = ? WHERE number = ?", (name, name, numbers[name]))
    connection.close()
    maintenance.rebuild_search_index()
    return numbers


def shown(name: str) -> str:
    """How the name must appear on screen: literally, control characters as visible placeholders."""
    return visible(name)
