"""The SQLite file's rights and identity: private new files, and never a silent new database.

- `init` makes the file 0600, or 0660 with the directory's group in a group-shared (setgid) directory,
  whatever the umask. SQLite gives the -wal and -shm files the database's own mode and owner.
- Files that hold the database's data (backups, exports, import reports) get the database's mode, never more.
- The write-queue lock file may be opened only by those who may write the database (lock_mode).
- A connection never creates the file (SQLite's mode=rw), and FileGuard refuses a file that is gone, empty or
  another file than the one opened first (deleted and re-created, or replaced).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote

from klantbeheer.data.errors import DatabaseNotFound, DatabaseProblem
from klantbeheer.data.i18n import _

PRIVATE = 0o600
GROUP_SHARED = 0o660


def new_database_mode(directory: Path) -> int:
    """0660 in a group-shared (setgid) directory, else 0600."""
    return GROUP_SHARED if directory.stat().st_mode & stat.S_ISGID else PRIVATE


def create_database_file(path: Path) -> None:
    """Make the empty file `init` fills, with new_database_mode (an empty file given to init gets it too)."""
    mode = new_database_mode(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, mode)
    except FileExistsError:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        info = os.fstat(fd)
        if info.st_size:
            os.close(fd)
            return
        if info.st_uid != os.geteuid() and os.geteuid() != 0:
            os.close(fd)
            raise DatabaseProblem(_("Het lege bestand {path} is van een andere gebruiker; init maakt er geen database "
                                    "van. Verwijder het of kies een andere naam.").format(path=path))
    try:
        folder = path.parent.stat()
        if folder.st_mode & stat.S_ISGID:
            try:
                os.fchown(fd, -1, folder.st_gid)
            except OSError:
                pass
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def database_mode(path: str | Path) -> int:
    """The database file's permission bits (0600 when it cannot be read)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return PRIVATE


def output_mode(path: str | Path) -> int:
    """The mode of a file holding the database's data (backup, export, report): the database's, never executable."""
    return database_mode(path) & 0o666


def lock_mode(mode: int) -> int:
    """Read and write for each class (owner, group, others) that may write the database, nothing for the rest."""
    allowed = 0
    for shift in (6, 3, 0):
        if mode >> shift & 0o2:
            allowed |= 0o6 << shift
    return allowed


def give_like_database(fd: int, database: str | Path) -> None:
    """Give a file this process made the database's group (and, as root, its owner); mode is set by the caller."""
    try:
        info = os.stat(database)
    except OSError:
        return
    try:
        if os.geteuid() == 0:
            os.fchown(fd, info.st_uid, info.st_gid)
        elif os.fstat(fd).st_gid != info.st_gid:
            os.fchown(fd, -1, info.st_gid)  # allowed when this user is in the database's group
    except OSError:
        pass


def read_write_uri(path: str) -> str:
    """The SQLite URI that opens an existing file for reading and writing and never creates it."""
    return f"file:{quote(os.path.abspath(path))}?mode=rw"


class FileGuard:
    """Remembers which file was opened first and refuses one that is gone, empty or another file since."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.allow_empty = False  # only while `init` fills a new file
        self._identity: tuple[int, int] | None = None

    def check(self) -> None:
        """DatabaseNotFound when the file is gone or empty, DatabaseProblem when it was replaced."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if self._identity is None:
                raise DatabaseNotFound(_("Database niet gevonden: {location} (maak een nieuwe met `klantbeheer init "
                                         "--db {location}`).").format(location=self.path)) from None
            raise DatabaseNotFound(_("De database {location} bestaat niet meer (verwijderd of verplaatst); er is niets "
                                     "bewaard. Vraag uw beheerder de reservekopie terug te zetten.").format(location=self.path)) from None
        except OSError:
            return  # unreadable: SQLite's own error says why
        identity = (info.st_dev, info.st_ino)
        if self._identity is not None and identity != self._identity:
            raise DatabaseProblem(_("De database {location} is vervangen door een ander bestand sinds Klantbeheer ze "
                                    "opende; er is niets bewaard. Start Klantbeheer opnieuw.").format(location=self.path))
        if info.st_size:
            self.allow_empty = False
        elif not self.allow_empty:
            raise DatabaseNotFound(_("Het bestand {location} is leeg, geen Klantbeheer-database; maak een nieuwe met "
                                     "`klantbeheer init --db {location}`.").format(location=self.path))
        self._identity = identity
