"""Passwords for the browser version: argon2id hashes, sign-in with lock-out, and the sign-in history."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from klantbeheer.data import clock, session
from klantbeheer.data.errors import BadInput, DatabaseProblem, NotFound, NotPermitted
from klantbeheer.data.i18n import N_, _, moment_text
from klantbeheer.data.models import Staff, StaffEvent, StaffPassword, database_proxy, now
from klantbeheer.data.session import data_function
from klantbeheer.data.staff import operator, require_beheerder
from klantbeheer.data.visible import visible_values

MIN_LENGTH = 10
MAX_LENGTH = 1024  # an argon2 hash of a megabyte is work for nothing
MAX_FAILURES = 5
LOCK_MINUTES = 15
WRONG = N_("Gebruikersnaam of wachtwoord onjuist.")

_hasher = PasswordHasher()  # argon2id with argon2-cffi's recommended parameters (RFC 9106, low memory)


@functools.cache
def _dummy() -> str:
    """A hash verified for an unknown name, so that both refusals take as long."""
    return _hasher.hash("klantbeheer: no such operator")


@dataclass(frozen=True)
class Outcome:
    """What one sign-in attempt decided, written before any refusal is raised."""

    staff: Staff | None
    refusal: str = ""


def check_new_password(password: str) -> str:
    """A password that may be stored: 10 to 1024 characters, not only spaces."""
    if not password or not password.strip():
        raise BadInput(_("Het wachtwoord is leeg."))
    if len(password) < MIN_LENGTH:
        raise BadInput(_("Het wachtwoord is te kort: minstens {count} tekens.").format(count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise BadInput(_("Het wachtwoord is te lang: hoogstens {count} tekens.").format(count=MAX_LENGTH))
    return password


def _event(username: str, kind: str, operator_name: str, detail: str = "") -> None:
    """Append one sign-in event."""
    StaffEvent.create(username=username[:64], kind=kind, detail=detail, operator=operator_name[:64], at=now())


@data_function
def set_password(username: str, password: str, by: str) -> dict[str, Any]:
    """Store an operator's password as an argon2id hash: a beheerder anyone's, a medewerker only their own."""
    me = operator(by)
    if username != me.username:
        require_beheerder(by, N_("het wachtwoord van een andere gebruiker instellen"))
    target = Staff.get_or_none(Staff.username == username)
    if target is None:
        raise NotFound(_("Onbekende gebruiker '{username}'.").format(username=username))
    hashed = _hasher.hash(check_new_password(password))
    if session.engine().store_password_hash(target.username, hashed, me.username):  # PostgreSQL: its own function
        return {"username": target.username, "password_set": True}
    with database_proxy.atomic():
        StaffPassword.insert(staff_id=target.id, hash=hashed, failures=0, locked_until=None, changed_at=now()).on_conflict(
            conflict_target=[StaffPassword.staff_id],
            update={StaffPassword.hash: hashed, StaffPassword.failures: 0, StaffPassword.locked_until: None,
                    StaffPassword.changed_at: now()},
        ).execute()
        _event(target.username, "password_set", me.username)
    return {"username": target.username, "password_set": True}


def _verify(hashed: str, password: str) -> bool:
    """True when the password matches the hash (a damaged hash never matches)."""
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _attempt(username: str, password: str) -> Outcome:
    """Check one sign-in and write its events and counters; the caller raises the refusal afterwards."""
    moment = now()
    staff = Staff.get_or_none(Staff.username == username)
    record = StaffPassword.get_or_none(StaffPassword.staff_id == staff.id) if staff is not None else None
    if staff is None or record is None or not staff.active:
        _verify(_dummy(), password)
        reason = "unknown" if staff is None else ("no_password" if record is None else "inactive")
        _event(username, "login_failed", username, reason)
        return Outcome(None, _(WRONG))
    if record.locked_until is not None and record.locked_until > moment:
        _event(staff.username, "login_failed", staff.username, "locked")
        return Outcome(None, _locked_text(record.locked_until))
    if not _verify(record.hash, password):
        failures = record.failures + 1
        _event(staff.username, "login_failed", staff.username, "password")
        if failures >= MAX_FAILURES:
            until = moment + dt.timedelta(minutes=LOCK_MINUTES)
            StaffPassword.update(failures=0, locked_until=until).where(StaffPassword.staff_id == staff.id).execute()
            _event(staff.username, "locked", staff.username, f"{MAX_FAILURES} failures")
            return Outcome(None, _locked_text(until))
        StaffPassword.update(failures=failures).where(StaffPassword.staff_id == staff.id).execute()
        return Outcome(None, _(WRONG))
    changes: dict[Any, Any] = {StaffPassword.failures: 0, StaffPassword.locked_until: None}
    if _hasher.check_needs_rehash(record.hash):
        changes[StaffPassword.hash] = _hasher.hash(password)
    StaffPassword.update(changes).where(StaffPassword.staff_id == staff.id).execute()
    _event(staff.username, "login", staff.username)
    return Outcome(staff)


def _locked_text(until: dt.datetime) -> str:
    """The lock-out sentence, with its end in office time."""
    return _("Te veel mislukte aanmeldingen: deze gebruiker kan pas weer aanmelden vanaf {moment}.").format(
        moment=moment_text(clock.local(until)))


@data_function
def sign_in(username: str, password: str) -> Staff:
    """The active operator whose password this is (NotPermitted otherwise); every attempt lands in the history.

    After MAX_FAILURES wrong passwords in a row the operator is locked out for LOCK_MINUTES, in the database,
    so the lock holds for every browser session and every server process.
    """
    name = (username or "").strip()[:64]
    if not name or not password or len(password) > MAX_LENGTH:
        raise NotPermitted(_(WRONG))
    with database_proxy.atomic():
        outcome = _attempt(name, password)
    if outcome.staff is None:
        raise NotPermitted(outcome.refusal)
    return outcome.staff


@data_function
def check_server_access() -> None:
    """Refuse to serve when this database login cannot read the password table (PostgreSQL: only its owner can)."""
    try:
        with database_proxy.atomic():
            StaffPassword.select().limit(1).execute()
    except DatabaseProblem:
        raise NotPermitted(_("Deze databasegebruiker kan de wachtwoorden niet lezen; start serve als de eigenaar van de database.")) from None
    except session.driver_errors():
        raise NotPermitted(_("Deze databasegebruiker kan de wachtwoorden niet lezen; start serve als de eigenaar van de database.")) from None


@data_function
def history(username: str | None, by: str) -> list[dict[str, Any]]:
    """Sign-in events, oldest first: a beheerder sees everyone's, a medewerker only their own."""
    me = operator(by)
    if username != me.username:
        require_beheerder(by, N_("de aanmeldingen van andere gebruikers bekijken"))
    query = StaffEvent.select().order_by(StaffEvent.id)
    if username:
        query = query.where(StaffEvent.username == username)
    return [visible_values({"username": e.username, "kind": e.kind, "detail": e.detail, "operator": e.operator,
                            "at": e.at}) for e in query]
