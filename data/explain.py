"""One Dutch sentence for a low-level database error (the data boundary's translation)."""
from __future__ import annotations

import os

from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import _

BUSY_TIMEOUT_S = 10
BUSY_ENV_VAR = "KLANTBEHEER_BUSY_TIMEOUT"  # seconds a session waits for another one's write lock


def busy_timeout() -> float:
    """The busy timeout in seconds: KLANTBEHEER_BUSY_TIMEOUT when set to a positive number, else 10."""
    try:
        value = float(os.environ.get(BUSY_ENV_VAR, ""))
    except ValueError:
        return BUSY_TIMEOUT_S
    return value if 0 < value <= 3600 else BUSY_TIMEOUT_S


def explain(problem: BaseException) -> str:
    """One Dutch sentence for a low-level database error."""
    if isinstance(problem, KlantbeheerError):
        return problem.message  # already one sentence
    own = _own_sentence(str(problem))
    if own:
        return own
    text = str(problem).lower()
    if ("permission denied" in text or "must be owner" in text) and "extension" not in text:
        return _("Uw databaserol heeft geen rechten voor deze handeling; vraag een beheerder (zie README, PostgreSQL-rollen).")
    if "locked" in text or "busy" in text:
        return _("De database is bezet door een ander proces (langer dan {seconds:g} s); probeer het opnieuw.").format(seconds=busy_timeout())
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _("Het bestand is geen (geldige) Klantbeheer-database of is beschadigd.")
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
    if "no such file" in text or "disk i/o" in text:
        return _("Het databasebestand is niet (meer) bereikbaar; controleer of het nog bestaat.")
    return _("Er ging iets mis: {problem}").format(problem=problem)


def _own_sentence(text: str) -> str | None:
    """The Dutch sentence of one of Klantbeheer's own triggers ("Klantbeheer: ..." in the driver's text), or None."""
    marker = "Klantbeheer: "
    start = text.find(marker)
    if start < 0:
        return None
    sentence = text[start + len(marker):].splitlines()[0].strip()
    return sentence[:1].upper() + sentence[1:] if sentence else None
