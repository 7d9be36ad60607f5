"""Likely duplicates: customers that share a BTW-nummer, an IBAN, or name and postcode; who may break a blocked twin's link."""
from __future__ import annotations

from typing import Any

from klantbeheer.data import reference, staff
from klantbeheer.data.blocking import TWIN_FIELDS, active_block_filter, block_active
from klantbeheer.data.errors import NotPermitted
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.models import Customer
from klantbeheer.data.search import text as search_text
from klantbeheer.data.session import data_function
from klantbeheer.data.validation import check_iban, check_vat, format_iban, format_vat
from klantbeheer.data.visible import visible, visible_values

MATCH_LABELS = {"vat_number": N_("BTW-nummer"), "iban": N_("IBAN"), "name_postcode": N_("naam en postcode")}


def _compact(check: Any, value: Any) -> str:
    """The stored form of a VAT number or IBAN, or "" when value is empty or not valid."""
    try:
        return check(value)
    except ValueError:
        return ""


@data_function
def duplicates(values: dict[str, Any], number: int | str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Customers that look like the same party as `values` (other than customer `number`), with what matches.

    Matches: the same BTW-nummer (compact), the same IBAN, or the same normalised name plus postcode.
    Each result: number, name, postcode, city, vat_number, iban, blocked (active today), block_reason
    (label) and matches (Dutch labels of what is the same).
    """
    vat = _compact(check_vat, values.get("vat_number"))
    iban = _compact(check_iban, values.get("iban"))
    name_norm = search_text.build({"name": str(values.get("name") or "")})[0]
    postcode = str(values.get("postcode") or "").strip()
    conditions = []
    if vat:
        conditions.append(Customer.vat_number == vat)
    if iban:
        conditions.append(Customer.iban == iban)
    if name_norm and postcode:
        conditions.append((Customer.name_norm == name_norm) & (Customer.postcode == postcode))
    if not conditions:
        return []
    where = conditions[0]
    for condition in conditions[1:]:
        where = where | condition
    query = Customer.select().where(where).order_by(Customer.number).limit(limit + 1)
    own = str(number).strip() if number not in (None, "") else ""
    found = []
    for customer in query:
        if own and str(customer.number) == own:
            continue
        matches = [_(label) for field, label in MATCH_LABELS.items() if _matches(customer, field, vat, iban, name_norm, postcode)]
        found.append(_summary(customer, matches))
    return found[:limit]


def _matches(customer: Customer, field: str, vat: str, iban: str, name_norm: str, postcode: str) -> bool:
    """True when the customer matches on this field (name_postcode: both)."""
    if field == "vat_number":
        return bool(vat) and customer.vat_number == vat
    if field == "iban":
        return bool(iban) and customer.iban == iban
    return bool(name_norm and postcode) and customer.name_norm == name_norm and customer.postcode == postcode


def _summary(customer: Customer, matches: list[str]) -> dict[str, Any]:
    """One duplicate as plain values."""
    active = block_active(customer)
    return {
        **visible_values({"number": customer.number, "name": customer.name, "postcode": customer.postcode,
                          "city": customer.city, "vat_number": customer.vat_number, "iban": customer.iban}),
        "blocked": active, "block_reason": reference.label("block_reason", customer.block_reason) if active else "",
        "matches": matches,
    }


@data_function
def duplicates_to_warn(values: dict[str, Any], number: int | str | None = None,
                       loaded: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The duplicates a save should warn about: for a new customer always, for an edit only when
    BTW-nummer, IBAN, name or postcode changed (else every save of a known branch would warn again)."""
    if loaded is not None and number not in (None, "") and _identity(values) == _identity(loaded):
        return []
    return duplicates(values, number)


def _identity(values: dict[str, Any]) -> tuple[str, str, str, str]:
    """BTW-nummer and IBAN compact, name normalised, postcode: what decides whether a record may be a duplicate."""
    name_norm = search_text.build({"name": str(values.get("name") or "")})[0]
    return (_compact(check_vat, values.get("vat_number")), _compact(check_iban, values.get("iban")), name_norm,
            str(values.get("postcode") or "").strip())


def released_links(customer: Customer, changes: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The blocked-twin links a change breaks: the stored BTW-nummer or IBAN is changed or cleared while a blocked
    customer shares it (this customer blocked and another has it, or another blocked customer has it).

    Each link: field, value (the stored one), blocked (number of the blocked customer), twin (the other number).
    """
    links = []
    for field in TWIN_FIELDS:
        if field not in changes or not changes[field][0]:
            continue
        old = changes[field][0]
        others = (Customer.select().where((getattr(Customer, field) == old) & (Customer.id != customer.id))
                  .order_by(Customer.number))
        if block_active(customer):
            partner = others.first()
            blocked = customer.number
        else:
            partner = others.where(active_block_filter()).first()
            blocked = partner.number if partner is not None else 0
        if partner is not None:
            links.append({"field": field, "value": old, "blocked": blocked, "twin": partner.number,
                          "blocked_name": visible(customer.name if blocked == customer.number else partner.name)})
    return links


def release_refusal(customer: Customer, link: dict[str, Any]) -> NotPermitted:
    """The refusal for a medewerker who changes or clears a BTW-nummer or IBAN a blocked customer shares."""
    field = link["field"]
    shown = format_vat(link["value"]) if field == "vat_number" else format_iban(link["value"])
    if link["blocked"] == customer.number:
        text = _("Klant {number} is geblokkeerd en deelt {field} {shown} met klant {twin}; alleen een beheerder "
                 "mag het wijzigen of wissen.")
    else:
        text = _("{field} {shown} hoort ook bij geblokkeerde klant {blocked} {name}; alleen een beheerder mag het "
                 "wijzigen of wissen.")
    return NotPermitted(text.format(number=customer.number, field=_(TWIN_FIELDS[field]), shown=shown,
                                    twin=link["twin"], blocked=link["blocked"], name=link["blocked_name"]))


def guard_release(customer: Customer, changes: dict[str, list[Any]], operator: str) -> list[dict[str, Any]]:
    """The links `changes` would break; NotPermitted unless the operator is a beheerder (the caller records them)."""
    links = released_links(customer, changes)
    if links and staff.operator(operator).role != "beheerder":
        raise release_refusal(customer, links[0])
    return links


def release_event(link: dict[str, Any]) -> dict[str, Any]:
    """The history details of one broken link ('twin_released')."""
    return {"field": link["field"], "value": link["value"], "blocked": link["blocked"], "twin": link["twin"]}
