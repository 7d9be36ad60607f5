"""One Dutch sentence for a low-level error (the data boundary's translation); unexpected ones go to the support log."""
from __future__ import annotations

import os

from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import _

BUSY_TIMEOUT_S = 10
BUSY_ENV_VAR = "KLANTBEHEER_BUSY_TIMEOUT"  # seconds a session waits for another one's write lock
DRIVER_PACKAGES = ("sqlite3", "_sqlite3", "peewee", "psycopg")  # whose errors' English text names a known cause
_database: list[str] = []  # the location of the database being opened or bound (data/session.py notes it)


def note_database(location: str) -> None:
    """Remember the database's location, so a vague SQLite error can be checked against its file system."""
    _database[:] = [location]


def busy_timeout() -> float:
    """The busy timeout in seconds: KLANTBEHEER_BUSY_TIMEOUT when set to a positive number, else 10."""
    try:
        value = float(os.environ.get(BUSY_ENV_VAR, ""))
    except ValueError:
        return BUSY_TIMEOUT_S
    return value if 0 < value <= 3600 else BUSY_TIMEOUT_S


def explain(problem: BaseException) -> str:
    """One Dutch sentence for a low-level error; its traceback goes to the support log, which an unexpected one names."""
    if isinstance(problem, KlantbeheerError):
        return problem.message  # already one sentence
    own = _own_sentence(str(problem))
    if own:
        return own  # one of our triggers refused: a rule, not a failure
    known = known_cause(problem)
    if known:
        from klantbeheer.data import support_log

        support_log.record(problem)  # a known cause, but support may still want to see where it struck
        return known
    return unexpected(problem)


def unexpected(problem: BaseException) -> str:
    """Log an unexpected error's traceback (data/support_log.py) and say where it is."""
    from klantbeheer.data import support_log

    path = support_log.record(problem)
    if path is None:
        return _("Er ging iets mis ({kind}); ook het logboek kon niet geschreven worden.").format(kind=type(problem).__name__)
    return _("Er ging iets mis; de details staan in {path}.").format(path=path)


def known_cause(problem: BaseException) -> str | None:
    """The Dutch sentence of a known cause (ours, the driver's, the file system's), or None."""
    if isinstance(problem, KlantbeheerError):
        return problem.message
    if _is_follow_on(problem) and problem.__context__ is not None:
        return known_cause(problem.__context__)  # a failed rollback after the real failure: explain that one
    own = _own_sentence(str(problem))
    if own:
        return own
    if isinstance(problem, OSError) and problem.errno is not None:
        by_errno = _os_error(problem)
        if by_errno:
            return by_errno
    if not _is_driver_error(problem):
        return None
    return _driver_sentence(str(problem).lower())


def _is_follow_on(problem: BaseException) -> bool:
    """A driver's complaint that only follows another failure (SQLite's rollback after a disk-full, say)."""
    return "cannot rollback - no transaction is active" in str(problem) or "cannot commit - no transaction is active" in str(problem)


def _is_driver_error(problem: BaseException) -> bool:
    """Whether the error comes from a database driver, peewee or the OS (their English text names the cause)."""
    if isinstance(problem, OSError):
        return True
    return any((kind.__module__ or "").startswith(DRIVER_PACKAGES) for kind in type(problem).__mro__)


def _os_error(problem: OSError) -> str | None:
    """A sentence for the file system's own errors: full, read-only, no access."""
    import errno

    if problem.errno in (errno.ENOSPC, errno.EDQUOT):
        return _disk_full()
    if problem.errno == errno.EROFS:
        if problem.filename is not None:
            return _("{path} ligt op een alleen-lezen bestandssysteem; er is niets geschreven.").format(path=problem.filename)
        return _("Het bestandssysteem is alleen-lezen; er kan niets geschreven worden.")
    if problem.errno in (errno.EACCES, errno.EPERM):
        where = problem.filename if problem.filename is not None else ""
        if where:
            return _("Geen toegang tot {path}; controleer de rechten.").format(path=where)
        return _("Geen toegang tot een bestand; controleer de rechten.")
    return None


def _database_disk_full() -> bool:
    """Whether the file system of the bound SQLite database has no room left (for SQLite's vaguer errors)."""
    location = _database[0] if _database else None
    if not location or "://" in location:
        return False
    try:
        stats = os.statvfs(os.path.dirname(os.path.abspath(location)))
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def _disk_full() -> str:
    """The disk-full sentence."""
    return _("De schijf is vol; maak ruimte vrij en probeer het opnieuw.")


def _driver_sentence(text: str) -> str | None:
    """A sentence for a driver's English message (lower case), or None."""
    if "database or disk is full" in text or "no space left" in text or "disk full" in text or "could not extend file" in text:
        return _disk_full()
    if ("permission denied" in text or "must be owner" in text) and "extension" not in text:
        return _("Uw databaserol heeft geen rechten voor deze handeling; vraag een beheerder (zie README, PostgreSQL-rollen).")
    if "locked" in text or "busy" in text:
        return _("De database is bezet door een ander proces (langer dan {seconds:g} s); probeer het opnieuw.").format(seconds=busy_timeout())
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _("Het bestand is geen (geldige) Klantbeheer-database of is beschadigd.")
    if "no such table" in text:
        return _("De database is verdwenen of vervangen terwijl ze open was; sluit Klantbeheer en open het opnieuw.")
    if "readonly" in text or "read-only" in text:
        return _("De database is alleen-lezen; wijzigingen zijn niet mogelijk.")
    if "unable to open" in text:
        return _("De database kan niet geopend worden (controleer pad en rechten).")
    if "could not connect" in text or "connection refused" in text or "could not translate host" in text:
        return _("De PostgreSQL-server is niet bereikbaar; controleer adres en poort en of de server draait.")
    if "database" in text and "does not exist" in text:
        return _("De PostgreSQL-database bestaat niet; maak ze eerst aan (zie README, PostgreSQL).")
    if "authentication failed" in text or "pg_hba.conf" in text or ("role" in text and "does not exist" in text):
        return _("De PostgreSQL-server weigert de aanmelding; controleer gebruiker, wachtwoord en toegangsrechten.")
    if "too many connections" in text or "remaining connection slots" in text:
        return _("De PostgreSQL-server aanvaardt geen verbindingen meer (limiet bereikt); probeer het later opnieuw.")
    if "permission denied to create extension" in text or "must be owner of extension" in text:
        return _("Geen rechten om de uitbreiding pg_trgm aan te maken; laat een beheerder "
                 "'CREATE EXTENSION pg_trgm' in deze database uitvoeren (zie README, PostgreSQL).")
    if "server closed the connection" in text or "terminating connection" in text or "connection already closed" in text:
        return _("De verbinding met de PostgreSQL-server werd verbroken; probeer het opnieuw.")
    if "disk i/o" in text and _database_disk_full():
        return _disk_full()  # SQLite says "disk I/O error" when even its WAL file cannot be made on a full disk
    if "no such file" in text or "disk i/o" in text:
        return _("Het databasebestand is niet (meer) bereikbaar; controleer of het nog bestaat.")
    return None


def _own_sentence(text: str) -> str | None:
    """The Dutch sentence of one of Klantbeheer's own triggers ("Klantbeheer: ..." in the driver's text), or None."""
    marker = "Klantbeheer: "
    start = text.find(marker)
    if start < 0:
        return None
    sentence = text[start + len(marker):].splitlines()[0].strip()
    return sentence[:1].upper() + sentence[1:] if sentence else None
