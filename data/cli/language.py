"""The language of a command-line run: --language, else the operator's stored choice, else LC_ALL/LC_MESSAGES/LANG, else Dutch.

--help and a malformed command line are answered before the database is opened: for them the stored choice is
read from an SQLite file directly (read-only, best effort); on PostgreSQL they follow --language or the environment.
Everything after the log-in (messages, data/ errors) follows the operator's stored choice on both engines.
"""
from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from klantbeheer.data.i18n import _, choose_language, environment_language, language_code, set_language

OPTION = "--language"
# Global options that take a value: the scan for --language skips their values and stops at the command.
VALUED = {"--db", "--operator", "--idle-minutes", OPTION}


def language_option(argv: Sequence[str]) -> str | None:
    """The value of --language given before the command (after it, e.g. `staff add --language`, it is the command's)."""
    tokens = list(argv)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.startswith(OPTION + "="):
            return token.split("=", 1)[1]
        if token in VALUED:
            if token == OPTION:
                return tokens[index + 1] if index + 1 < len(tokens) else None
            index += 2
        elif token.startswith("-"):
            index += 1
        else:
            return None  # the command: what follows is its own
    return None


def unknown_language(value: str) -> str:
    """The sentence for a language that is not nl, fr, en or auto."""
    return _("Onbekende taal: {language} (kies nl, fr, en of auto).").format(language=repr(value[:20]))


def _option(argv: Sequence[str], name: str) -> str | None:
    """The value of an option anywhere on the command line (`--db X` or `--db=X`), for a best-effort look-up."""
    tokens = list(argv)
    for index, token in enumerate(tokens):
        if token == name and index + 1 < len(tokens):
            return tokens[index + 1]
        if token.startswith(name + "="):
            return token.split("=", 1)[1]
    return None


def peek_stored_language(argv: Sequence[str]) -> str | None:
    """The stored language of the operator the command line names (or of this OS account), read from an SQLite file.

    Read-only and without migrating or logging in: anything unusual (PostgreSQL, no file, an old schema) gives None.
    """
    from klantbeheer.data import trust
    from klantbeheer.data.db import default_location, demo_location

    location = _option(argv, "--db") or (demo_location() if "--demo" in argv else default_location())
    try:
        if "://" in location or not Path(location).expanduser().is_file():
            return None
        from klantbeheer.data.engines.sqlite_peek import stored_language

        return language_code(stored_language(Path(location).expanduser(), _option(argv, "--operator"), trust.os_account()))
    except OSError:  # e.g. a folder this account may not enter: best effort, main() says what is wrong
        return None


def start_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> None:
    """Before parsing: --language, else the stored choice (SQLite), else the environment's language; else leave it as is."""
    value = language_option(argv)
    if value is not None and value.casefold() != "auto":
        if language_code(value) is None:
            from klantbeheer.data.cli import errors as cli_errors

            raise SystemExit(cli_errors.refuse(unknown_language(value), cli_errors.COMMAND_LINE_EXIT, "command_line"))
        set_language(value)
        return
    found = peek_stored_language(argv) or environment_language(environ)
    if found is not None:
        set_language(found)


def override(args: argparse.Namespace) -> str | None:
    """The --language of this run, if any ("auto" counts as none)."""
    value = getattr(args, "ui_language", None)  # not `language`: that is staff add's and staff language's own
    return None if not value or value.casefold() == "auto" else value


def use_operator_language(args: argparse.Namespace, stored: str) -> None:
    """After the log-in: --language, else the operator's stored language, else the environment (a stored choice wins)."""
    if override(args) is None and stored:
        set_language(choose_language(None, stored))


def add_arguments(parser: argparse.ArgumentParser, staff_commands: Any, common: argparse.ArgumentParser) -> None:
    """--language (before the command), `staff add --language`, and `staff language GEBRUIKER TAAL`."""
    parser.add_argument(OPTION, dest="ui_language", metavar=_("TAAL"), help=_("taal van de app: nl, fr of en (standaard: uw eigen keuze, anders LANG)"))
    choose = staff_commands.add_parser("language", parents=[common], help=_("de taal van een gebruiker instellen (nl, fr, en of auto)"))
    choose.add_argument("username", metavar=_("GEBRUIKER"))
    choose.add_argument("language", metavar=_("TAAL"))


def run_staff_language(args: argparse.Namespace, operator: str) -> tuple[dict[str, Any], str]:
    """`staff language GEBRUIKER TAAL`: store it; the result and its sentence."""
    from klantbeheer.data import staff

    person = staff.set_language(args.username, args.language, operator)
    return person, language_sentence(person)


def language_sentence(person: dict[str, Any]) -> str:
    """'Taal van jan: fr.' or, without a stored language, that it follows the environment."""
    if person["language"]:
        return _("Taal van {username}: {language}.").format(username=person["username"], language=person["language"])
    return _("{username} volgt de taal van de omgeving (LANG).").format(username=person["username"])
