"""Operators and their roles: who may block, unblock and delete; who the operator of a session is."""
from __future__ import annotations

import re
from typing import Any

from klantbeheer.data import session, trust
from klantbeheer.data.errors import BadInput, NotFound, NotPermitted
from klantbeheer.data.i18n import N_, _, language_code
from klantbeheer.data.models import Staff, database_proxy
from klantbeheer.data.session import data_function
from klantbeheer.data.visible import visible, visible_values

ROLES = ("beheerder", "medewerker")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def os_user() -> str:
    """The effective operating-system account (never $USER, which anyone can set)."""
    return trust.os_account()


def login_name(staff: Staff) -> str:
    """The OS account (SQLite) or database login (PostgreSQL) this operator works as."""
    return staff.os_user or staff.username


def _identity_staff(name: str) -> Staff | None:
    """The operator mapped to an OS account or database login: os_user first, else the same username."""
    mapped = Staff.get_or_none(Staff.os_user == name)
    if mapped is not None:
        return mapped
    return Staff.get_or_none((Staff.username == name) & (Staff.os_user == ""))


def _refuse_other(identity: trust.Identity, requested: str) -> NotPermitted:
    """The refusal of --operator naming someone else for an untrusted identity."""
    return NotPermitted(
        _("U bent aangemeld als {kind} '{name}' en kunt niet werken als '{requested}'; "
          "--operator geldt alleen voor uw eigen gebruiker, root of een vertrouwde starter (zie README, 'Wie is de gebruiker')."
          ).format(kind=_(identity.kind), name=identity.name, requested=requested) + (f" {identity.note}" if identity.note else "")
    )


def check_username(username: str) -> str:
    """A valid operator name: letters, digits, dot, dash, underscore; at most 64."""
    name = (username or "").strip()
    if not _USERNAME.match(name):
        raise BadInput(_("Ongeldige gebruikersnaam: {name} (letters, cijfers, punt, streepje).").format(name=repr(name[:40])))
    return name


@data_function
def login(username: str | None) -> Staff:
    """The active operator of a session, by the trust model (data/trust.py); the first one of a new database becomes beheerder.

    Without a name: the operator mapped to this OS account (SQLite) or database login (PostgreSQL).
    With a name: that operator, but only when it maps to this account, or the account is trusted.
    """
    identity = session.engine().identity()
    requested = check_username(username) if username else None
    name = requested or check_username(identity.name)
    staff = _find(name, requested)  # a read: log-in never waits for a writer (WAL readers)
    if staff is None and not Staff.select().exists():
        if requested and requested != identity.name and not identity.trusted:
            raise _refuse_other(identity, requested)
        staff = _first_operator(name, requested)
    if staff is None:
        raise NotPermitted(_("Onbekende gebruiker '{name}'; vraag een beheerder om u toe te voegen.").format(name=name))
    if requested and not identity.trusted and login_name(staff) != identity.name:
        raise _refuse_other(identity, requested)
    if not staff.active:
        raise NotPermitted(_("Gebruiker '{name}' is niet actief.").format(name=name))
    return staff


def _find(name: str, requested: str | None) -> Staff | None:
    """The operator asked for by name, or the one mapped to this account."""
    return Staff.get_or_none(Staff.username == name) if requested else _identity_staff(name)


def _first_operator(name: str, requested: str | None) -> Staff | None:
    """The only write of a log-in, a short step of its own: a new database's first operator becomes beheerder."""
    with database_proxy.atomic():
        staff = _find(name, requested)  # looked again under the write lock: another process may have been first
        if staff is None and not Staff.select().exists():
            staff = Staff.create(username=name, full_name=name, role="beheerder", active=True)
    return staff


@data_function
def operator(username: str) -> Staff:
    """The Staff row of an active operator, for checks inside data/ functions."""
    staff = Staff.get_or_none(Staff.username == username)
    if staff is None or not staff.active:
        raise NotPermitted(_("Onbekende of niet-actieve gebruiker '{username}'.").format(username=username))
    return staff


@data_function
def require_beheerder(username: str, action: str) -> Staff:
    """Refuse with NotPermitted unless the operator is an active beheerder."""
    staff = operator(username)
    if staff.role != "beheerder":
        raise NotPermitted(_("Alleen een beheerder mag {action}; u bent medewerker.").format(action=_(action)))
    return staff


@data_function
def add(username: str, full_name: str, role: str, by: str, os_account: str = "", language: str = "") -> dict[str, Any]:
    """Add an operator (beheerder only); on PostgreSQL also its own login role with the role's privileges.

    os_account: the OS account (SQLite) or database login (PostgreSQL) it works as, when not its username.
    language: "nl", "fr" or "en" (fr_BE and the like accepted); "" follows the environment.
    """
    require_beheerder(by, N_("gebruikers toevoegen"))
    name = check_username(username)
    account = check_username(os_account) if os_account else ""
    code = check_language(language) if language else ""
    if role not in ROLES:
        raise BadInput(_("De rol is beheerder of medewerker."))
    with database_proxy.atomic():
        if Staff.select().where(Staff.username == name).exists():
            raise BadInput(_("Gebruiker '{name}' bestaat al.").format(name=name))
        if account and _identity_staff(account) is not None:
            raise BadInput(_("Account '{account}' hoort al bij een andere gebruiker.").format(account=account))
        staff = Staff.create(username=name, full_name=(full_name or name).strip()[:120], role=role, active=True,
                             os_user=account if account != name else "", language=code)
        session.engine().create_login(account or name, role)
    return as_dict(staff)


@data_function
def set_active(username: str, active: bool, by: str) -> dict[str, Any]:
    """Activate or deactivate an operator (beheerder only); on PostgreSQL its login role can log in only while active."""
    require_beheerder(by, N_("gebruikers wijzigen"))
    staff = Staff.get_or_none(Staff.username == username)
    if staff is None:
        raise NotFound(_("Onbekende gebruiker '{username}'.").format(username=username))
    with database_proxy.atomic():
        others = Staff.select().where(
            (Staff.role == "beheerder") & (Staff.active == True) & (Staff.id != staff.id)  # noqa: E712
        )
        if not active and staff.role == "beheerder" and not others.exists():
            raise BadInput(_("'{username}' is de laatste actieve beheerder en kan niet gedeactiveerd worden.").format(username=username))
        staff.active = active
        staff.save()
        session.engine().set_login_active(login_name(staff), active)
    return as_dict(staff)


def check_language(language: str) -> str:
    """"nl", "fr" or "en" for a language name (fr_BE, fr-BE, en_GB.UTF-8 accepted); "" for "auto" (follow the environment)."""
    if (language or "").strip().casefold() == "auto":
        return ""
    code = language_code(language)
    if code is None:
        raise BadInput(_("Onbekende taal: {language} (kies nl, fr, en of auto).").format(language=repr((language or "")[:20])))
    return code


@data_function
def set_language(username: str, language: str, by: str) -> dict[str, Any]:
    """Store an operator's language: anyone for themselves, a beheerder for anyone; "auto" follows the environment again."""
    code = check_language(language)
    me = operator(by)
    if username != me.username:
        require_beheerder(by, N_("de taal van een andere gebruiker wijzigen"))
    staff = Staff.get_or_none(Staff.username == username)
    if staff is None:
        raise NotFound(_("Onbekende gebruiker '{username}'.").format(username=username))
    Staff.update(language=code).where(Staff.id == staff.id).execute()  # only this column: a medewerker may update it
    staff.language = code
    return as_dict(staff)


@data_function
def all_staff() -> list[dict[str, Any]]:
    """Every operator, by username."""
    return [as_dict(s) for s in Staff.select().order_by(Staff.username)]


@data_function
def full_name(username: str) -> str:
    """The full name of an operator, or the username when unknown."""
    staff = Staff.get_or_none(Staff.username == username)
    return visible(staff.full_name if staff and staff.full_name else username)


def as_dict(staff: Staff) -> dict[str, Any]:
    """Plain values of an operator."""
    return visible_values({"username": staff.username, "full_name": staff.full_name, "role": staff.role,
                           "active": staff.active, "os_user": login_name(staff), "language": staff.language})
