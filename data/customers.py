"""Customers: search, get, create, update (optimistic lock), block, unblock, delete, history."""
from __future__ import annotations

import datetime as dt
from typing import Any

from klantbeheer.data import clock, duplicates, lists, session, staff
from klantbeheer.data import history as customer_history
from klantbeheer.data import search as search_module
from klantbeheer.data.blocking import apply_block, apply_unblock, block_active, check_block
from klantbeheer.data.errors import Conflict, HasDossiers, NotFound, ValidationFailed
from klantbeheer.data.i18n import N_, _, moment_text, ngettext
from klantbeheer.data.models import BLOCK_FIELDS, EDITABLE_FIELDS, Customer, Dossier, database_proxy, now
from klantbeheer.data.search import text as search_text
from klantbeheer.data.session import data_function
from klantbeheer.data.validation import check_customer
from klantbeheer.data.visible import visible_values

DEFAULTS: dict[str, Any] = {
    "language": "nl-BE", "country": "BE", "vat_rate": 21, "customer_type": "bedrijf", "legal_form": "rechtspersoon",
}


def has_dossiers_text(number: int, dossiers: int) -> str:
    """Why a customer with dossiers cannot be deleted (the form says it before asking; delete() refuses with it)."""
    return ngettext("Klant {number} heeft {dossiers} dossier en kan niet verwijderd worden.",
                    "Klant {number} heeft {dossiers} dossiers en kan niet verwijderd worden.", dossiers).format(
        number=number, dossiers=dossiers)


@data_function
def search(text: str, limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """Customers in rank order, each with number, name, postcode, city, VAT, external ref, blocked."""
    return search_module.search(text, limit=limit, blocked_only=blocked_only)


@data_function
def search_page(text: str, offset: int = 0, limit: int = 50, blocked_only: bool = False) -> dict[str, Any]:
    """One page of results with the typo corrections used: {"rows", "corrections", "searchable"}."""
    return search_module.search_page(text, offset=offset, limit=limit, blocked_only=blocked_only)


@data_function
def count(text: str, cap: int = 1000, blocked_only: bool = False) -> int:
    """How many customers match text, up to cap + 1."""
    return search_module.count(text, cap=cap, blocked_only=blocked_only)


def as_dict(customer: Customer) -> dict[str, Any]:
    """Every field of a customer under its glossary code name, plus version and bookkeeping."""
    data = {name: getattr(customer, name) for name in EDITABLE_FIELDS if name != "repairer"}
    data["repairer"] = customer.repairer_id
    for name in BLOCK_FIELDS:
        data[name] = getattr(customer, name)
    data["block_active"] = block_active(customer)
    for name in ("version", "created_at", "created_by", "updated_at", "updated_by"):
        data[name] = getattr(customer, name)
    return visible_values(data)


@data_function
def by_number(number: int | str, lock: bool = False) -> Customer:
    """The customer row with this number, or NotFound; lock=True holds a row lock where the engine has them."""
    text = str(number).strip()
    if not text.isdigit() or not text.isascii() or len(text) > 9:
        raise NotFound(_("Ongeldig klantnummer: {text}.").format(text=repr(text[:20])))
    query = Customer.select().where(Customer.number == int(text))
    customer = (session.engine().for_update(query) if lock else query).first()
    if customer is None:
        raise NotFound(_("Klant {text} bestaat niet.").format(text=text))
    return customer


@data_function
def get(number: int | str) -> dict[str, Any]:
    """One customer by number with every field."""
    return as_dict(by_number(number))


@data_function
def next_number() -> int:
    """The highest customer number + 1 (1 for the first)."""
    row = Customer.select(Customer.number).order_by(Customer.number.desc()).limit(1).first()
    return (row.number + 1) if row else 1


@data_function
def new_values() -> dict[str, Any]:
    """The values a new customer starts with: the next number and the glossary's defaults."""
    return {"number": next_number(), **DEFAULTS}


def refresh_search(customer: Customer) -> None:
    """Recompute the normalised name and search text from the customer's fields."""
    values = {name: getattr(customer, name) for name in EDITABLE_FIELDS if name != "repairer"}
    customer.name_norm, customer.search_text = search_text.build(values)


def _check_version(customer: Customer, version: int | None) -> None:
    """Refuse with Conflict when the customer changed since `version` was read."""
    if version is not None and customer.version != int(version):
        when = moment_text(clock.local(customer.updated_at)) if customer.updated_at else _("onbekend")
        who = staff.full_name(customer.updated_by) if customer.updated_by else _("onbekend")
        raise Conflict(
            _("Klant {number} werd intussen gewijzigd door {who} op {when}; uw wijzigingen zijn niet bewaard.").format(
                number=customer.number, who=who, when=when),
            customer.updated_by, customer.updated_at,
        )


def _save(customer: Customer, version: int | None, operator: str) -> None:
    """Write the row only if nobody saved it in between (version check in the UPDATE itself)."""
    customer.updated_at, customer.updated_by = now(), operator
    if version is None:
        version = customer.version
    customer.version = int(version) + 1
    # Only the columns set since the row was read (peewee marks them dirty): a shorter statement, and
    # SQLite leaves the indexes of unchanged columns alone, so the write lock is held for less time.
    changed = [field for field in customer.dirty_fields if field.name != "id"]
    rows = (
        Customer.update({field: customer.__data__.get(field.name) for field in changed})
        .where((Customer.id == customer.id) & (Customer.version == int(version)))
        .execute()
    )
    if rows != 1:
        current = Customer.get_or_none(Customer.id == customer.id)
        if current is None:
            raise Conflict(_("Klant {number} werd intussen verwijderd; uw wijzigingen zijn niet bewaard.").format(number=customer.number))
        _check_version(current, int(version))
        raise Conflict(_("Klant {number} werd intussen gewijzigd; uw wijzigingen zijn niet bewaard.").format(number=customer.number))


def _editable(values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields a user edits."""
    return {key: value for key, value in values.items() if key in EDITABLE_FIELDS}


def _check_number_free(number: int, own_id: int | None, errors: dict[str, str]) -> None:
    """Note an error when another customer already has this number."""
    clash = Customer.select(Customer.id).where(Customer.number == number)
    if own_id is not None:
        clash = clash.where(Customer.id != own_id)
    if clash.exists():
        errors["number"] = _("Klantnummer {number} is al in gebruik.").format(number=number)


def _checked_block(values: dict[str, Any], errors: dict[str, str], keep: str = "") -> tuple[str, str, dt.date | None] | None:
    """The block details in `values` checked by check_block, or None with its problems added to `errors`."""
    try:
        return check_block(values.get("block_reason"), values.get("block_message"), values.get("blocked_until"), keep)
    except ValidationFailed as problem:
        errors.update(problem.errors)
        return None


def _stored_reason(number: int | str) -> str:
    """The block reason a customer holds now ('' when none or unknown): it may stay even when inactive."""
    try:
        return by_number(number).block_reason or ""
    except NotFound:
        return ""


@data_function
def create(values: dict[str, Any], operator: str) -> dict[str, Any]:
    """Create a customer from validated values; an empty number becomes the highest + 1."""
    staff.operator(operator)
    given = {**DEFAULTS, **_editable(values)}
    given.setdefault("name", "")
    checked = check_customer(given)
    wants_block = bool(values.get("blocked"))
    block_details = None
    if wants_block:
        staff.require_beheerder(operator, N_("een klant blokkeren"))
        block_details = _checked_block(values, checked.errors)
    lists.refuse_inactive(checked.values, checked.errors)
    checked.raise_if_invalid()
    with database_proxy.atomic():
        session.engine().serialize("customer-number")
        number = checked.values.get("number") or next_number()
        errors: dict[str, str] = {}
        _check_number_free(number, None, errors)
        if errors:
            raise ValidationFailed(errors)
        fields = {**checked.values, "number": number}
        customer = Customer(**{k: v for k, v in fields.items() if k != "repairer"}, repairer=fields.get("repairer"))
        customer.created_at = customer.updated_at = now()
        customer.created_by = customer.updated_by = operator
        refresh_search(customer)
        customer.save(force_insert=True)
        customer_history.record(customer, "created", {k: v for k, v in fields.items() if v not in ("", None, False)}, operator)
        if block_details:
            apply_block(customer, *block_details, operator)
            customer.save()
    return get(customer.number)


def _address_context(number: int | str, values: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Add the stored country (and postcode, town, province) when only part of the address changes; and the stored Taal.

    Without them a changed postcode of a foreign customer would be checked as Belgian, a
    change of country to België would not check the stored postcode, a changed town
    would not be checked against the stored postcode, and a stored province in another
    language than the operator's (Luik, Liège) would be rewritten in the operator's.
    """
    if "postcode" not in values and "country" not in values and "city" not in values:
        return values, None
    current = by_number(number)
    merged = {"country": current.country, "postcode": current.postcode, "province": current.province, **values}
    if "postcode" not in values:
        merged.setdefault("city", current.city)
    return merged, current.language


def _field_changes(customer: Customer, values: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [stored, new]} for every checked value that differs from the stored one."""
    changes = {}
    for name, new in values.items():
        old = customer.repairer_id if name == "repairer" else getattr(customer, name)
        if old != new:
            changes[name] = [old, new]
    return changes


def _wanted_block(customer: Customer, values: dict[str, Any], details: tuple[str, str, dt.date | None] | None) -> str | None:
    """What the values ask for the block: "block", "unblock", or None when they leave it as it is."""
    if "blocked" not in values:
        return None
    if values["blocked"]:
        same = customer.blocked and (customer.block_reason, customer.block_message, customer.blocked_until) == details
        return None if same else "block"
    return "unblock" if customer.blocked else None


@data_function
def update(number: int | str, values: dict[str, Any], version: int | None, operator: str) -> dict[str, Any]:
    """Save the given fields (a CustomerDraft's to_save(): edits plus a block change) unless someone saved in between."""
    staff.operator(operator)
    checked = check_customer(*_address_context(number, _editable(values)))
    if "number" in checked.values and checked.values["number"] is None:  # empty: only a new customer gets one
        checked.errors["number"] = _("Verplicht veld: een bestaande klant houdt een klantnummer.")
    details = _checked_block(values, checked.errors, _stored_reason(number)) if values.get("blocked") else None
    checked.raise_if_invalid()
    with database_proxy.atomic():
        customer = by_number(number)
        _check_version(customer, version)
        old_version = customer.version
        changes = _field_changes(customer, checked.values)
        inactive: dict[str, str] = {}
        lists.refuse_inactive({name: new for name, (_, new) in changes.items()}, inactive)
        if inactive:
            raise ValidationFailed(inactive)
        if "number" in changes:
            staff.require_beheerder(operator, N_("een klantnummer wijzigen"))
            session.engine().serialize("customer-number")  # renumbering waits for any other numbering
            errors: dict[str, str] = {}
            _check_number_free(changes["number"][1], customer.id, errors)
            if errors:
                raise ValidationFailed(errors)
        block = _wanted_block(customer, values, details)
        if block:
            staff.require_beheerder(operator, N_("een klant blokkeren of deblokkeren"))
        released = duplicates.guard_release(customer, changes, operator)
        if not changes and not block:
            return as_dict(customer)
        for name, (_old, new) in changes.items():
            setattr(customer, "repairer_id" if name == "repairer" else name, new)
        if changes:
            customer_history.record(customer, "updated", changes, operator)
        for link in released:
            customer_history.record(customer, "twin_released", duplicates.release_event(link), operator)
        if block == "block" and details is not None:
            apply_block(customer, *details, operator)
        elif block == "unblock":
            apply_unblock(customer, operator)
        refresh_search(customer)
        _save(customer, old_version, operator)
    return get(customer.number)


@data_function
def block(number: int | str, reason: str, message: str = "", until: Any = None, operator: str = "",
          version: int | None = None, update: bool = False) -> dict[str, Any]:
    """Block a customer (beheerder only): no new dossier until unblocked or the end date passes.

    A customer already blocked stays as it is (result "changed" False) unless update=True, which
    changes reason, message and end date but keeps the original "since" and "by".
    """
    staff.require_beheerder(operator, N_("een klant blokkeren"))
    details = check_block(reason, message, until, _stored_reason(number))
    with database_proxy.atomic():
        customer = by_number(number)
        _check_version(customer, version)
        if block_active(customer) and not update:
            return {**as_dict(customer), "changed": False}
        if block_active(customer) and (customer.block_reason, customer.block_message, customer.blocked_until) == details:
            return {**as_dict(customer), "changed": False}
        apply_block(customer, *details, operator)
        _save(customer, None, operator)
    return {**get(customer.number), "changed": True}


@data_function
def unblock(number: int | str, operator: str = "", version: int | None = None) -> dict[str, Any]:
    """Lift a customer's block (beheerder only); on a customer without a block nothing changes ("changed" False)."""
    staff.require_beheerder(operator, N_("een klant deblokkeren"))
    with database_proxy.atomic():
        customer = by_number(number)
        _check_version(customer, version)
        if not customer.blocked:
            return {**as_dict(customer), "changed": False}
        apply_unblock(customer, operator)
        _save(customer, None, operator)
    return {**get(customer.number), "changed": True}


@data_function
def delete(number: int | str, operator: str = "", version: int | None = None) -> None:
    """Delete a customer without dossiers (beheerder only); the history is kept."""
    staff.require_beheerder(operator, N_("een klant verwijderen"))
    with database_proxy.atomic():
        customer = by_number(number)
        _check_version(customer, version)
        dossiers = Dossier.select().where(Dossier.customer == customer.id).count()
        if dossiers:
            raise HasDossiers(has_dossiers_text(customer.number, dossiers))
        customer_history.record(customer, "deleted", {"name": customer.name}, operator)
        Customer.delete().where(Customer.id == customer.id).execute()


@data_function
def history(number: int | str) -> list[dict[str, Any]]:
    """The customer's events, newest first, with the changes decoded."""
    return customer_history.for_customer(by_number(number))
