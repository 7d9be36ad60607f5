"""Domain errors: each carries one Dutch sentence for the user and a CLI exit code."""
from __future__ import annotations

import datetime as dt
from typing import Mapping

from klantbeheer.data.i18n import _
from klantbeheer.data.visible import visible


class KlantbeheerError(Exception):
    """Base class of every error the user may see; `message` is Dutch."""

    exit_code = 1
    kind = "error"  # stable name in --json refusals

    def __init__(self, message: str) -> None:
        message = visible(message, multiline=True)  # may quote stored text or a driver's message
        super().__init__(message)
        self.message = message


class ValidationFailed(KlantbeheerError):
    """One or more fields are invalid; `errors` maps field code name to a Dutch message."""

    exit_code = 2
    kind = "invalid"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        lines = "; ".join(f"{field}: {msg}" for field, msg in self.errors.items())
        super().__init__(_("Ongeldige gegevens: {lines}").format(lines=lines))


class NotFound(KlantbeheerError):
    """The customer (or dossier, operator) does not exist."""

    exit_code = 2
    kind = "not_found"


class BadInput(KlantbeheerError):
    """A command was given input it cannot use."""

    exit_code = 2
    kind = "bad_input"


class CustomerBlocked(KlantbeheerError):
    """A dossier was refused because its owner is blocked; carries the block details and the customer's language."""

    exit_code = 3
    kind = "blocked"

    def __init__(
        self,
        number: int,
        name: str,
        reason: str,
        message: str,
        blocked_at: dt.datetime | None,
        blocked_by: str,
        blocked_until: dt.date | None,
        language: str = "",
    ) -> None:
        self.number = number
        self.language = language  # the customer's Taal (its label in the operator's language), so the caller knows which language to speak
        self.name = name
        self.reason = reason
        self.block_message = message
        self.blocked_at = blocked_at
        self.blocked_by = blocked_by
        self.blocked_until = blocked_until
        from klantbeheer.data import clock  # clock imports this module
        from klantbeheer.data.i18n import date_text, moment_text

        since = moment_text(clock.local(blocked_at)) if blocked_at else _("onbekend")
        text = _("Klant {number} ({name}) is geblokkeerd door {blocked_by} sinds {since}, reden: {reason}").format(
            number=number, name=name, blocked_by=blocked_by, since=since, reason=reason)
        if blocked_until:
            text += _(", tot en met {until}").format(until=date_text(blocked_until))
        if message:
            text += _(", bericht: {message}").format(message=message.rstrip('. '))
        super().__init__(text + _(". U kunt niet doorgaan met het dossier."))


class NotPermitted(KlantbeheerError):
    """The operator's role does not allow this action."""

    exit_code = 4
    kind = "not_allowed"


class Conflict(KlantbeheerError):
    """Someone else saved the customer after it was read; nothing was overwritten."""

    exit_code = 1
    kind = "conflict"

    def __init__(self, message: str, changed_by: str = "", changed_at: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class HasDossiers(KlantbeheerError):
    """A customer with dossiers cannot be deleted."""

    exit_code = 2
    kind = "has_dossiers"


class DatabaseProblem(KlantbeheerError):
    """The database cannot be opened or used (missing, locked, corrupt, too new, ...)."""

    exit_code = 1
    kind = "database"


class DatabaseNotFound(DatabaseProblem):
    """The database named on the command line does not exist (only `init` creates one)."""

    exit_code = 2
    kind = "database_not_found"


class TwinBlocked(CustomerBlocked):
    """A dossier was refused because its owner shares a BTW-nummer or IBAN with an actively blocked customer.

    The block details (number, name, reason, ...) are the twin's; `owner_number` is the dossier's owner
    and `notice` the sentence naming the twin; `language` is the owner's (the customer the caller speaks to).
    """

    kind = "twin_blocked"

    def __init__(self, notice: str, owner_number: int, **twin: object) -> None:
        super().__init__(**twin)  # type: ignore[arg-type]
        self.notice = notice
        self.owner_number = owner_number
        self.message = notice + _(". U kunt niet doorgaan met het dossier.")
        self.args = (self.message,)
