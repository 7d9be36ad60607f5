"""Changing an existing dossier: edit, close, reopen; one optimistic lock, one history, read-only while its owner is blocked.

Read-only: while the owner's block is active, or the owner shares a BTW-nummer or IBAN with an actively blocked
customer (data/blocking.refuse_blocked), nothing of the dossier changes. Migration m0017_dossier_history installs
the trigger that refuses the same UPDATE in the database (SQLite and PostgreSQL).
"""
from __future__ import annotations

from typing import Any

from klantbeheer.data import clock, dossier_history, staff
from klantbeheer.data.blocking import refuse_blocked
from klantbeheer.data.dossiers import as_dict, check_values
from klantbeheer.data.errors import BadInput, Conflict, CustomerBlocked, NotFound, TwinBlocked
from klantbeheer.data.i18n import _, moment_text
from klantbeheer.data.models import Customer, Dossier, database_proxy
from klantbeheer.data.session import data_function

EDITABLE = ("description", "reference", "licence_plate")
FROM_STATUS = {"closed": "open", "open": "closed"}  # the only status each change starts from


def _dossier(number: str) -> Dossier:
    """The dossier with this number (its owner joined), or NotFound."""
    text = str(number or "").strip()
    found = Dossier.select(Dossier, Customer).join(Customer).where(Dossier.number == text).first()
    if found is None:
        raise NotFound(_("Dossier {number} bestaat niet.").format(number=text or "?"))
    return found


@data_function
def get_dossier(number: str) -> dict[str, Any]:
    """One dossier's values, its history (newest first) and `read_only`, the block sentence when its owner is blocked."""
    dossier = _dossier(number)
    blocked = block_of(dossier)
    return {**as_dict(dossier), "history": dossier_history.for_dossier(dossier),
            "read_only": read_only_line(blocked) if blocked is not None else ""}


def read_only_line(blocked: CustomerBlocked) -> str:
    """One line saying why the dossier is read-only: the owner's block, or the twin it shares a BTW-nummer or IBAN with."""
    if isinstance(blocked, TwinBlocked):
        return _("Alleen-lezen: {notice}.").format(notice=blocked.notice)
    return _("Alleen-lezen zolang klant {number} ({name}) geblokkeerd is ({reason}).").format(
        number=blocked.number, name=blocked.name, reason=blocked.reason)


def block_of(dossier: Dossier) -> CustomerBlocked | None:
    """The CustomerBlocked (or TwinBlocked) that makes the dossier read-only now, or None."""
    try:
        refuse_blocked(dossier.customer)
    except CustomerBlocked as blocked:
        return blocked
    return None


@data_function
def dossier_block(number: str) -> CustomerBlocked | None:
    """The block that makes this dossier read-only now (the notice's data), or None."""
    return block_of(_dossier(number))


def _check_version(dossier: Dossier, version: int | None) -> None:
    """Refuse with Conflict when the dossier changed since `version` was read."""
    if version is None or dossier.version == int(version):
        return
    last = dossier_history.latest(dossier)
    who = staff.full_name(last.operator) if last is not None else _("onbekend")
    when = moment_text(clock.local(last.at)) if last is not None else _("onbekend")
    raise Conflict(_("Dossier {number} werd intussen gewijzigd door {who} op {when}; uw wijzigingen zijn niet bewaard.").format(
        number=dossier.number, who=who, when=when), last.operator if last is not None else "", last.at if last is not None else None)


def _save(dossier: Dossier, values: dict[str, Any], kind: str, changes: dict[str, Any], operator: str) -> dict[str, Any]:
    """Write the values with the next version only if nobody saved in between, and record the event."""
    version = dossier.version
    rows = (Dossier.update({**values, Dossier.version: version + 1})
            .where((Dossier.id == dossier.id) & (Dossier.version == version)).execute())
    if rows != 1:
        _check_version(_dossier(dossier.number), version)
        raise Conflict(_("Dossier {number} werd intussen gewijzigd; uw wijzigingen zijn niet bewaard.").format(number=dossier.number))
    dossier_history.record(dossier, kind, changes, operator)
    return as_dict(_dossier(dossier.number))


def _locked(number: str, version: int | None) -> Dossier:
    """Inside the write transaction: the dossier, refused when it changed since `version` or its owner is blocked."""
    dossier = _dossier(number)
    _check_version(dossier, version)
    refuse_blocked(dossier.customer)
    return dossier


@data_function
def update_dossier(number: str, values: dict[str, Any], version: int | None, operator: str) -> dict[str, Any]:
    """Save a dossier's description, reference and plate (the checks of create) unless someone saved in between."""
    staff.operator(operator)
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise BadInput(_("Dit veld van een dossier kan niet gewijzigd worden: {fields}.").format(fields=", ".join(unknown)))
    checked = check_values(values)
    with database_proxy.atomic():
        dossier = _locked(number, version)
        changes = {name: [getattr(dossier, name), new] for name, new in checked.items() if getattr(dossier, name) != new}
        if not changes:
            return as_dict(dossier)
        return _save(dossier, {getattr(Dossier, name): new for name, (_old, new) in changes.items()}, "updated", changes, operator)


def _set_status(number: str, wanted: str, kind: str, version: int | None, operator: str) -> dict[str, Any]:
    """Close or reopen: only from the other status, never while the owner is blocked."""
    staff.operator(operator)
    with database_proxy.atomic():
        dossier = _locked(number, version)
        if dossier.status != FROM_STATUS[wanted]:
            sentence = (_("Dossier {number} is niet open; alleen een open dossier kan gesloten worden.") if wanted == "closed"
                        else _("Dossier {number} is niet gesloten; alleen een gesloten dossier kan heropend worden."))
            raise BadInput(sentence.format(number=dossier.number))
        changes = {"status": [dossier.status, wanted]}
        return _save(dossier, {Dossier.status: wanted}, kind, changes, operator)


@data_function
def close_dossier(number: str, operator: str, version: int | None = None) -> dict[str, Any]:
    """Close an open dossier (history: closed)."""
    return _set_status(number, "closed", "closed", version, operator)


@data_function
def reopen_dossier(number: str, operator: str, version: int | None = None) -> dict[str, Any]:
    """Reopen a closed dossier (history: reopened)."""
    return _set_status(number, "open", "reopened", version, operator)
