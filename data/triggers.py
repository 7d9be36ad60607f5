"""The triggers the migrations install, in one place, and what `check` says when a database's own differ.

The expected texts are the migrations' own statements (never a copy): a trigger dropped and re-created
by hand with other SQL, one that is missing, or (PostgreSQL) one switched off or whose function was
replaced, is reported. tests/test_check_rule.py checks that a freshly migrated database has exactly these.
A migration that adds a trigger adds its statements to the lists below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from klantbeheer.data.i18n import _
from klantbeheer.data.migrations import (
    m0001_initial as m1,
)
from klantbeheer.data.migrations import (
    m0003_search_index_v3 as m3,
)
from klantbeheer.data.migrations import (
    m0004_history_insert_guard as m4,
)
from klantbeheer.data.migrations import (
    m0007_block_follows_customer as m7,
)
from klantbeheer.data.migrations import (
    m0008_search_words as m8,
)
from klantbeheer.data.migrations import (
    m0010_reference_lists as m10,
)
from klantbeheer.data.migrations import (
    m0014_staff_passwords as m14,
)
from klantbeheer.data.migrations import (
    m0015_postgres_guards as m15,
)
from klantbeheer.data.migrations import (
    m0016_twin_release_guard as m16,
)
from klantbeheer.data.migrations import (
    m0017_dossier_history as m17,
)

_CREATE_TRIGGER = re.compile(r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE)
_CREATE_FUNCTION = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:\w+\.)?(\w+)\s*\(", re.IGNORECASE)
_EXECUTES = re.compile(r"EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(?:\w+\.)?(\w+)\s*\(", re.IGNORECASE)
_QUALIFIED_CALL = re.compile(r"\b(EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+)\w+\.(\w+\s*\()", re.IGNORECASE)
_EVENTS = re.compile(r"\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(.+?)\s+ON\s+(?:\w+\.)?(\w+)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """One trigger as the database holds it: its SQL, and on PostgreSQL its function, body and state."""

    sql: str
    function: str = ""
    body: str = ""
    enabled: bool = True


def _triggers(statements: Iterable[str]) -> dict[str, str]:
    """The CREATE TRIGGER statements among a migration's statements, by trigger name."""
    return {match.group(1): text for text in statements if (match := _CREATE_TRIGGER.match(text))}


def _functions(statements: Iterable[str]) -> dict[str, str]:
    """The bodies (between the $$) of the CREATE FUNCTION statements among a migration's statements, by name."""
    found = {}
    for text in statements:
        match = _CREATE_FUNCTION.match(text)
        if match and "$$" in text:
            found[match.group(1)] = text.split("$$", 1)[1].rsplit("$$", 1)[0].replace("%%", "%")
    return found


SQLITE_TRIGGERS: dict[str, str] = {
    **_triggers(m1.SQLITE_GUARD),
    **_triggers(m3.SQLITE_V3),
    **_triggers([m4.SQLITE_GUARD]),
    **_triggers(m7.SQLITE_TRIGGERS),
    **_triggers(m8.SQLITE_WORDS),
    **_triggers(m10.SQLITE),
    **_triggers(m14.SQLITE),
    **_triggers(m17.SQLITE_TRIGGERS),
}
_POSTGRES_STATEMENTS = [*m1.POSTGRES_GUARD, *m3.POSTGRES_V3, *m7.POSTGRES_DOSSIER_GUARD, *m7.POSTGRES_ROLE_GUARD,
                        *m8.POSTGRES_WORDS, *m10.POSTGRES, *m14.POSTGRES,
                        *m15.HELPERS, *m15.FUNCTIONS, *m15.TRIGGERS, *m15.DRAFTS, *m16.POSTGRES,
                        *m17.FUNCTIONS, *m17.TRIGGERS]  # later ones replace
POSTGRES_TRIGGERS: dict[str, str] = _triggers(_POSTGRES_STATEMENTS)
POSTGRES_FUNCTIONS: dict[str, str] = _functions(_POSTGRES_STATEMENTS)
EXPECTED = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}


def _spaces(text: str) -> str:
    """Runs of white space as one space, no trailing semicolon."""
    return re.sub(r"\s+", " ", text or "").strip().rstrip(";").strip()


def normalised(text: str) -> str:
    """A trigger's SQL in a form both sides share: one space, no IF NOT EXISTS, no schema, its events in one order."""
    plain = re.sub(r"\bIF\s+NOT\s+EXISTS\s+", "", _spaces(text), flags=re.IGNORECASE)
    plain = _QUALIFIED_CALL.sub(r"\1\2", plain)
    match = _EVENTS.search(plain + " ")
    if match:
        events = " OR ".join(sorted(_spaces(event).upper() for event in re.split(r"\s+OR\s+", match.group(2), flags=re.IGNORECASE)))
        plain = plain[:match.start()] + f"{match.group(1).upper()} {events} ON {match.group(3)} " + plain[match.end():]
    return _spaces(plain)


def problems(engine_name: str, found: dict[str, Found]) -> list[str]:
    """What differs between the database's triggers and the migrations' (Dutch lines); empty when they agree."""
    lines: list[str] = []
    for name, expected in EXPECTED.get(engine_name, {}).items():
        have = found.get(name)
        if have is None:
            lines.append(_("Trigger {name} ontbreekt.").format(name=name))
            continue
        if normalised(have.sql) != normalised(expected):
            lines.append(_("Trigger {name} verschilt van de tekst van de migraties.").format(name=name))
        if not have.enabled:
            lines.append(_("Trigger {name} staat uit.").format(name=name))
        wanted = _EXECUTES.search(expected)
        if wanted and engine_name == "postgresql":
            function = wanted.group(1)
            if _spaces(have.body) != _spaces(POSTGRES_FUNCTIONS.get(function, "")):
                lines.append(_("De functie {function} van trigger {name} verschilt van de tekst van de migraties.").format(
                    function=function, name=name))
    return lines
