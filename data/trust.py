"""Who runs this process, and whether it may name another operator (--operator): the trust model.

SQLite: the identity is the effective OS account. It may name any operator when it is root (who can
write the file anyway) or a trusted launcher: listed in the launchers file, which has one fixed place
beside the database (`<database>.launchers`, never chosen through the environment) and counts only
when it is a regular file with one link, owned by root or by the database file's owner, writable by
nobody else, and every line (outside comments) is the name of an existing OS account.
PostgreSQL: the identity is the database login (session_user); a superuser or a member of the
schema owner's role may name any operator.
"""
from __future__ import annotations

import os
import pwd
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from klantbeheer.data.i18n import N_, _

LAUNCHERS_SUFFIX = ".launchers"
# POSIX portable user names as useradd accepts them (a trailing $ for machine accounts), at most 32.
_OS_USER = re.compile(r"^[a-z_][a-z0-9_.-]{0,30}[a-z0-9_.$-]?$")


@dataclass(frozen=True)
class Identity:
    """Who this process is to the database: `name` (OS account or database login) and whether it is trusted."""

    name: str
    trusted: bool
    kind: str  # "systeemgebruiker" or "databasegebruiker", for messages
    note: str = ""  # why a launchers file there did not count, for the refusal of --operator


def os_account() -> str:
    """The effective OS account's name (from the password database, never from $USER)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid without a passwd entry (some containers)
        return str(os.geteuid())


def launchers_path(database_path: str) -> Path:
    """The trusted-launchers file of a database: beside it, `<database>.launchers`."""
    return Path(f"{os.path.abspath(database_path)}{LAUNCHERS_SUFFIX}")


def launchers_problem(database_path: str, database_owner_uid: int | None) -> str | None:
    """Why the launchers file does not count (a Dutch sentence), or None when it counts or is absent."""
    return _read_launchers(database_path, database_owner_uid)[1]


def trusted_launchers(database_path: str, database_owner_uid: int | None) -> set[str]:
    """The accounts in the database's launchers file; empty when it is missing or does not count."""
    return _read_launchers(database_path, database_owner_uid)[0]


def _read_launchers(database_path: str, owner: int | None) -> tuple[set[str], str | None]:
    """The launchers and, when the file is there but refused, why."""
    path = launchers_path(database_path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        return set(), None
    except OSError:
        return set(), _("Het startersbestand {path} kan niet gelezen worden of is een koppeling; het telt niet.").format(path=path)
    try:
        info = os.fstat(fd)
        refused = _("Het startersbestand {path} telt niet: het moet een gewoon bestand zijn van root of van de "
                    "eigenaar van de database, door niemand anders te wijzigen.").format(path=path)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return set(), refused
        if info.st_uid not in {0, owner}:
            return set(), refused
        with os.fdopen(fd, "r", encoding="utf-8", closefd=False) as handle:
            text = handle.read(65536)
    except (OSError, UnicodeDecodeError):
        return set(), _("Het startersbestand {path} kan niet gelezen worden; het telt niet.").format(path=path)
    finally:
        os.close(fd)
    names = {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}
    for name in sorted(names):
        if not _OS_USER.match(name) or not _os_account_exists(name):
            return set(), _("Het startersbestand {path} telt niet: {name} is geen systeemgebruiker.").format(
                path=path, name=repr(name[:40]))
    return names, None


def _os_account_exists(name: str) -> bool:
    """True when the password database knows this account."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def sqlite_identity(database_path: str) -> Identity:
    """The OS account running this process; trusted when root or a trusted launcher."""
    name = os_account()
    try:
        owner: int | None = Path(database_path).stat().st_uid
    except OSError:
        owner = None
    if os.geteuid() == 0:
        return Identity(name, True, N_("systeemgebruiker"))
    launchers, problem = _read_launchers(database_path, owner)
    return Identity(name, name in launchers, N_("systeemgebruiker"), problem or "")
