"""Where an export may write: a new or existing regular file that is not one of the database's own files.

The export is written to a temporary file next to the target and renamed over it at the end. That rename
would replace whatever the name points at, so the name is checked first (and again just before the
rename): a directory, device, FIFO or socket, a symbolic link, or one of the database's own files (the
database, its -wal, -shm, -journal or .lock, found by real path and by device and inode, so through any
symbolic link or hard link) is refused with one Dutch sentence and left as it was. `-` is standard output.
"""
from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from pathlib import Path
from typing import Iterator

from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import _

STDOUT = "-"
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """A stop signal (SIGTERM, SIGHUP, SIGINT) arrived during an export; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def database_files(location: str) -> list[Path]:
    """The database's own files (database, -wal, -shm, -journal, .lock) by real path; none for a URL."""
    if "://" in location:
        return []
    real = os.path.realpath(os.path.expanduser(location))
    return [Path(real + suffix) for suffix in DATABASE_SUFFIXES]


def _same_file(one: os.stat_result, other: os.stat_result) -> bool:
    """True when two stats are one file (device and inode)."""
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def check_target(target: Path, location: str) -> None:
    """BadInput (one Dutch sentence) unless `target` is a new or existing regular file that is not the database's."""
    parent = target.parent
    if not parent.is_dir():
        raise BadInput(_("De map {folder} bestaat niet.").format(folder=parent))
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError:
        raise BadInput(_("{target} kan niet gelezen worden; kies een ander exportbestand.").format(target=target)) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise BadInput(_("{target} is een symbolische koppeling; een export schrijft niet via een koppeling. "
                             "Geef het bestand zelf op.").format(target=target))
        if stat.S_ISDIR(info.st_mode):
            raise BadInput(_("{target} is een map; geef een bestandsnaam op, bv. {example}.").format(
                target=target, example=target / "klanten.csv"))
        if not stat.S_ISREG(info.st_mode):
            raise BadInput(_("{target} is geen gewoon bestand (maar een apparaat, FIFO of socket); een export schrijft "
                             "alleen naar een gewoon bestand.").format(target=target))
    real = Path(os.path.realpath(target))
    for own in database_files(location):
        same = real == own
        if not same and info is not None:
            with contextlib.suppress(OSError):
                same = _same_file(info, os.stat(own))
        if same:
            raise BadInput(_("Een export kan niet over de database of een van haar eigen bestanden ({name}) "
                             "geschreven worden.").format(name=own.name))


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While inside: SIGTERM, SIGHUP and SIGINT raise Stopped, so the temporary file is cleaned up (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    before = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
