"""Who runs this process, and whether it may name another operator (--operator): the trust model.

SQLite: the identity is the effective OS account. It may name any operator when it is root (who can
write the file anyway) or a trusted launcher: listed in the launchers file (KLANTBEHEER_LAUNCHERS,
default /etc/klantbeheer/launchers), which counts only when owned by root or by the database
file's owner and writable by nobody else. PostgreSQL: the identity is the database login
(session_user); a superuser or a member of the schema owner's role may name any operator.
"""
from __future__ import annotations

import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from klantbeheer.data.i18n import N_

LAUNCHERS_ENV = "KLANTBEHEER_LAUNCHERS"
DEFAULT_LAUNCHERS = "/etc/klantbeheer/launchers"


@dataclass(frozen=True)
class Identity:
    """Who this process is to the database: `name` (OS account or database login) and whether it is trusted."""

    name: str
    trusted: bool
    kind: str  # "systeemgebruiker" or "databasegebruiker", for messages


def os_account() -> str:
    """The effective OS account's name (from the password database, never from $USER)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid without a passwd entry (some containers)
        return str(os.geteuid())


def launchers_path() -> Path:
    """Where the trusted-launchers file is looked for."""
    return Path(os.environ.get(LAUNCHERS_ENV) or DEFAULT_LAUNCHERS)


def trusted_launchers(database_owner_uid: int | None) -> set[str]:
    """The accounts in the launchers file; empty when it is missing or anyone but root / the database owner can change it."""
    path = launchers_path()
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    if not stat.S_ISREG(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return set()
    if info.st_uid not in {0, database_owner_uid}:
        return set()
    return {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}


def sqlite_identity(database_path: str) -> Identity:
    """The OS account running this process; trusted when root or a trusted launcher."""
    name = os_account()
    try:
        owner: int | None = Path(database_path).stat().st_uid
    except OSError:
        owner = None
    trusted = os.geteuid() == 0 or name in trusted_launchers(owner)
    return Identity(name, trusted, N_("systeemgebruiker"))
