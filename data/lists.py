"""The reference lists the office manages: add, rename, reorder, (de)activate, delete; each change in the history.

Rules (every path: screen, command line, import):
- only a beheerder changes a list (on PostgreSQL the database refuses a medewerker's writes too);
- an entry in use (by a customer now, or ever in the customer history) is deactivated, never deleted;
- an inactive entry is no longer offered, but a customer that holds it keeps it until someone picks another;
- the default of a required field, and the last active entry of a required list, stay active;
- customers store codes (herstellers: ids), so a rename shows everywhere at once.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from peewee import fn

from klantbeheer.data import reference, session, staff
from klantbeheer.data.errors import BadInput, NotFound, ValidationFailed
from klantbeheer.data.i18n import N_, _, ngettext
from klantbeheer.data.models import Customer, CustomerEvent, ReferenceEvent, ReferenceItem, Repairer, database_proxy, now
from klantbeheer.data.session import data_function
from klantbeheer.data.visible import visible, visible_tree, visible_values

LANGUAGES = ("nl", "fr", "en")
REPAIRER_DETAILS = {"address": N_("Adres"), "postcode": N_("Postcode"), "city": N_("Gemeente"), "phone": N_("Tel"),
                    "email": N_("E-mail")}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class ListSpec:
    """One managed list: its command-line name, Dutch title, storage kind, customer field and rules."""

    name: str
    title: str
    kind: str
    code_limit: int = 40
    required: bool = False
    default: str = ""  # the value a new customer starts with: stays active
    numeric: bool = False  # codes are whole percentages (BTW-percentage)


LISTS: tuple[ListSpec, ...] = (
    ListSpec("hersteller", N_("Hersteller"), "repairer"),
    ListSpec("kortingsschema", N_("Kortingsschema"), "discount_scheme"),
    ListSpec("prijslijst", N_("Prijslijst"), "price_list"),
    ListSpec("betalingsvoorwaarde", N_("Betalingsvoorwaarde"), "payment_condition"),
    ListSpec("rekeningnummer", N_("Interne rekeningnummer"), "internal_account"),
    ListSpec("aanspreking", N_("Aanspreking"), "salutation", code_limit=20),
    ListSpec("klanttype", N_("Type Klant"), "customer_type", code_limit=20, required=True, default="bedrijf"),
    ListSpec("rechtspersoonlijkheid", N_("Rechtspersoonlijkheid"), "legal_form", code_limit=20, required=True,
             default="rechtspersoon"),
    ListSpec("taal", N_("Taal"), "language", code_limit=10, required=True, default="nl-BE"),
    ListSpec("btw", N_("BTW-percentage"), "vat_rate", code_limit=3, required=True, default="21", numeric=True),
    ListSpec("blokkeerreden", N_("Reden van blokkering"), "block_reason"),
)
BY_KIND = {spec.kind: spec for spec in LISTS}
# the customer column that holds each list's code (herstellers: the id)
COLUMNS = {"repairer": Customer.repairer, **{spec.kind: getattr(Customer, spec.kind) for spec in LISTS if spec.kind != "repairer"}}


def spec(name: str) -> ListSpec:
    """The list named on the command line (its Dutch name, its title or its code name); BadInput otherwise."""
    wanted = (name or "").strip().casefold()
    for item in LISTS:
        if wanted in (item.name, item.kind.casefold(), item.title.casefold(), _(item.title).casefold()):
            return item
    names = ", ".join(item.name for item in LISTS)
    raise BadInput(_("Onbekende lijst '{name}'; kies uit: {names}.").format(name=visible(name)[:40], names=names))


# --------------------------------------------------------------------------------------------- reading

def _repairer_dict(repairer: Repairer) -> dict[str, Any]:
    """A hersteller as a list entry with its contact fields."""
    return {"code": repairer.code, "label": repairer.name, "label_fr": None, "label_en": None,
            "active": bool(repairer.active), "position": repairer.position, "id": repairer.id,
            **{name: getattr(repairer, name) for name in REPAIRER_DETAILS}}


def _item_dict(item: ReferenceItem) -> dict[str, Any]:
    """A list entry as plain values."""
    return {"code": item.code, "label": item.label, "label_fr": item.label_fr, "label_en": item.label_en,
            "active": bool(item.active), "position": item.position, "id": item.id}


def _rows(list_spec: ListSpec) -> list[Any]:
    """The entries' rows in the list's order."""
    if list_spec.kind == "repairer":
        return list(Repairer.select().order_by(Repairer.position, Repairer.name, Repairer.id))
    return list(ReferenceItem.select().where(ReferenceItem.kind == list_spec.kind)
                .order_by(ReferenceItem.position, ReferenceItem.id))


def _as_dict(list_spec: ListSpec, row: Any) -> dict[str, Any]:
    """One row as an entry dict."""
    return visible_values(_repairer_dict(row) if list_spec.kind == "repairer" else _item_dict(row))


@data_function
def entries(name: str) -> list[dict[str, Any]]:
    """Every entry of one list in its order (inactive ones too), with how many customers use it now."""
    list_spec = spec(name)
    column = COLUMNS[list_spec.kind]
    counts = dict(Customer.select(column, fn.COUNT(Customer.id)).group_by(column).tuples())
    result = []
    for row in _rows(list_spec):
        entry = _as_dict(list_spec, row)
        key = row.id if list_spec.kind == "repairer" else (int(row.code) if list_spec.numeric else row.code)
        entry["customers"] = int(counts.get(key, 0))
        result.append(entry)
    return result


@data_function
def overview() -> list[dict[str, Any]]:
    """Every managed list with its entries (for `lists show` and the screen)."""
    return [{"list": item.name, "title": _(item.title), "kind": item.kind, "entries": entries(item.name)} for item in LISTS]


@data_function
def stamp() -> int:
    """The latest list change's id: changes when any list changes (the form refreshes its choices then)."""
    return int(ReferenceEvent.select(fn.COALESCE(fn.MAX(ReferenceEvent.id), 0)).scalar() or 0)


def _find(list_spec: ListSpec, code: str) -> Any:
    """The row of one code (exact first, then case-insensitively); NotFound otherwise."""
    text = (code or "").strip()
    model = Repairer if list_spec.kind == "repairer" else ReferenceItem
    query = model.select()
    if model is ReferenceItem:
        query = query.where(ReferenceItem.kind == list_spec.kind)
    row = query.where(model.code == text).first() or query.where(fn.LOWER(model.code) == text.lower()).first()
    if row is None:
        raise NotFound(_("{list}: code '{code}' bestaat niet.").format(list=_(list_spec.title), code=visible(text)[:40]))
    return row


def _stored_value(list_spec: ListSpec, row: Any) -> Any:
    """What a customer stores for this entry."""
    if list_spec.kind == "repairer":
        return row.id
    return int(row.code) if list_spec.numeric else row.code


def customers_using(list_spec: ListSpec, row: Any) -> int:
    """How many customers hold this entry now."""
    return Customer.select().where(COLUMNS[list_spec.kind] == _stored_value(list_spec, row)).count()


def _in_history(list_spec: ListSpec, row: Any) -> bool:
    """True when some customer ever held this entry (its history names the code)."""
    key = "reason" if list_spec.kind == "block_reason" else list_spec.kind
    wanted = str(_stored_value(list_spec, row))
    candidates = CustomerEvent.select(CustomerEvent.changes).where(
        CustomerEvent.changes.contains(f'"{key}"') & CustomerEvent.changes.contains(wanted))
    for event in candidates:
        try:
            changes = json.loads(event.changes or "{}")
        except ValueError:
            return True  # unreadable: assume used, so nothing is deleted that was
        value = changes.get(key) if isinstance(changes, dict) else None
        values = value if isinstance(value, list) else [value]
        if any(item is not None and str(item) == wanted for item in values):
            return True
    return False


# --------------------------------------------------------------------------------------------- checks

def check_code(list_spec: ListSpec, code: str) -> str:
    """A new code: letters, digits, '.', '-', '_', within the customer column's size; a whole percentage for BTW."""
    text = (code or "").strip()
    if list_spec.numeric:
        if not (text.isdigit() and text.isascii() and int(text) <= 100):
            raise ValidationFailed({"code": _("Een BTW-percentage is een geheel getal van 0 tot 100.")})
        return str(int(text))
    if not text:
        raise ValidationFailed({"code": _("Verplicht veld.")})
    if len(text) > list_spec.code_limit or not _CODE.match(text):
        raise ValidationFailed({"code": _("Een code heeft hoogstens {limit} tekens: letters, cijfers, punt, streepje of "
                                          "liggend streepje, zonder spaties.").format(limit=list_spec.code_limit)})
    return text


def check_label(label: str, field: str = "label") -> str:
    """A label: required text of at most 120 characters, without control characters."""
    from klantbeheer.data.validation import check_text

    try:
        return check_text("label", label, 120, required=True)
    except ValueError as problem:
        raise ValidationFailed({field: str(problem)}) from None


def _check_language(list_spec: ListSpec, language: str | None) -> str:
    """nl (default), fr or en; herstellers have only their name."""
    chosen = (language or "nl").strip().lower()
    if chosen not in LANGUAGES:
        raise BadInput(_("Onbekende taal '{language}'; kies nl, fr of en.").format(language=visible(chosen)[:10]))
    if chosen != "nl" and list_spec.kind == "repairer":
        raise BadInput(_("Een hersteller heeft alleen een naam; een Franse of Engelse benaming geldt niet voor herstellers."))
    return chosen


def _check_details(details: dict[str, Any]) -> dict[str, str]:
    """A hersteller's contact fields checked like a customer's (Tel and E-mail rules, sizes)."""
    from klantbeheer.data.validation import check_email, check_phone, check_text

    limits = {"address": 120, "postcode": 20, "city": 80}
    checked, errors = {}, {}
    for name, value in details.items():
        if name not in REPAIRER_DETAILS:
            continue
        try:
            if name == "phone":
                checked[name] = check_phone(value)
            elif name == "email":
                checked[name] = check_email(value)
            else:
                checked[name] = check_text(name, value, limits[name])
        except ValueError as problem:
            errors[name] = str(problem)
    if errors:
        raise ValidationFailed(errors)
    return checked


def code_taken(list_spec: ListSpec, code: str) -> bool:
    """True when the list already has this code (any case)."""
    model = Repairer if list_spec.kind == "repairer" else ReferenceItem
    query = model.select().where(fn.LOWER(model.code) == code.lower())
    if model is ReferenceItem:
        query = query.where(ReferenceItem.kind == list_spec.kind)
    return query.exists()


def _record(list_spec: ListSpec, code: str, kind: str, changes: dict[str, Any], operator: str) -> None:
    """Append one event to the list history."""
    ReferenceEvent.create(list=list_spec.kind, code=code, kind=kind, operator=operator, at=now(),
                          changes=json.dumps(changes, default=str, ensure_ascii=False))


def _one_writer() -> None:
    """Inside a list change's transaction: changes of the lists wait for each other (codes, places)."""
    session.engine().serialize("reference-lists")


def require_beheerder(operator: str) -> None:
    """Only a beheerder changes a reference list."""
    staff.require_beheerder(operator, N_("referentielijsten wijzigen"))


# --------------------------------------------------------------------------------------------- changing

@data_function
def add(name: str, code: str, label: str, operator: str, details: dict[str, Any] | None = None,
        translations: dict[str, str] | None = None) -> dict[str, Any]:
    """Add an active entry at the end of a list (herstellers may bring contact fields, other lists label_fr/label_en)."""
    require_beheerder(operator)
    list_spec = spec(name)
    code = check_code(list_spec, code)
    label = check_label(label)
    contact = _check_details(details or {}) if list_spec.kind == "repairer" else {}
    if list_spec.kind != "repairer":
        contact = {key: check_label(value, key) for key, value in (translations or {}).items()
                   if key in ("label_fr", "label_en") and (value or "").strip()}
    with database_proxy.atomic():
        _one_writer()
        if code_taken(list_spec, code):
            raise ValidationFailed({"code": _("Code '{code}' bestaat al in {list}.").format(code=code, list=_(list_spec.title))})
        position = len(_rows(list_spec))
        if list_spec.kind == "repairer":
            row = Repairer.create(code=code, name=label, position=position, active=True, **contact)
        else:
            row = ReferenceItem.create(kind=list_spec.kind, code=code, label=label, position=position, active=True, **contact)
        _record(list_spec, code, "added", {"label": [None, label], "position": [None, position + 1],
                                           **{k: [None, v] for k, v in contact.items() if v}}, operator)
    return _as_dict(list_spec, row)


@data_function
def rename(name: str, code: str, label: str, operator: str, language: str | None = None) -> dict[str, Any]:
    """Give an entry a new label (Dutch, or with language fr/en its French or English one; empty clears those)."""
    require_beheerder(operator)
    list_spec = spec(name)
    chosen = _check_language(list_spec, language)
    if chosen == "nl":
        new: str | None = check_label(label)
    else:
        new = check_label(label) if (label or "").strip() else None
    with database_proxy.atomic():
        _one_writer()
        row = _find(list_spec, code)
        field = {"nl": "name" if list_spec.kind == "repairer" else "label", "fr": "label_fr", "en": "label_en"}[chosen]
        old = getattr(row, field)
        if old == new:
            return {**_as_dict(list_spec, row), "changed": False}
        setattr(row, field, new)
        row.save()
        _record(list_spec, row.code, "renamed", {"label" if chosen == "nl" else field: [old, new]}, operator)
    return {**_as_dict(list_spec, row), "changed": True}


@data_function
def set_details(code: str, details: dict[str, Any], operator: str) -> dict[str, Any]:
    """Change a hersteller's contact fields (address, postcode, city, phone, email)."""
    require_beheerder(operator)
    list_spec = spec("hersteller")
    checked = _check_details(details)
    with database_proxy.atomic():
        _one_writer()
        row = _find(list_spec, code)
        changes = {k: [getattr(row, k), v] for k, v in checked.items() if getattr(row, k) != v}
        if not changes:
            return {**_as_dict(list_spec, row), "changed": False}
        for key, (_, value) in changes.items():
            setattr(row, key, value)
        row.save()
        _record(list_spec, row.code, "details", changes, operator)
    return {**_as_dict(list_spec, row), "changed": True}


@data_function
def update_entry(name: str, code: str, values: dict[str, Any], operator: str) -> dict[str, Any]:
    """Change an entry's labels (label, label_fr, label_en) or a hersteller's name and contact fields, all or nothing."""
    require_beheerder(operator)
    list_spec = spec(name)
    changed = False
    with database_proxy.atomic():
        _one_writer()
        if "label" in values:
            changed |= rename(name, code, values["label"], operator)["changed"]
        if list_spec.kind == "repairer":
            details = {key: value for key, value in values.items() if key in REPAIRER_DETAILS}
            if details:
                changed |= set_details(code, details, operator)["changed"]
        else:
            for language in ("fr", "en"):
                if f"label_{language}" in values:
                    changed |= rename(name, code, values[f"label_{language}"], operator, language)["changed"]
        row = _find(list_spec, code)
    return {**_as_dict(list_spec, row), "changed": changed}


@data_function
def move(name: str, code: str, position: int, operator: str) -> dict[str, Any]:
    """Put an entry at a place in its list (1 = first); the others shift."""
    require_beheerder(operator)
    list_spec = spec(name)
    with database_proxy.atomic():
        _one_writer()
        rows = _rows(list_spec)
        row = _find(list_spec, code)
        index = next(i for i, other in enumerate(rows) if other.id == row.id)
        try:
            wanted = int(str(position).strip())
        except ValueError:
            raise BadInput(_("Geen geldige plaats: '{place}' (1 tot {count}).").format(
                place=visible(str(position))[:10], count=len(rows))) from None
        if not 1 <= wanted <= len(rows):
            raise BadInput(_("Geen geldige plaats: '{place}' (1 tot {count}).").format(place=wanted, count=len(rows)))
        if wanted - 1 == index:
            return {**_as_dict(list_spec, row), "changed": False}
        rows.insert(wanted - 1, rows.pop(index))
        for place, other in enumerate(rows):
            if other.position != place:
                type(other).update(position=place).where(type(other).id == other.id).execute()
        _record(list_spec, row.code, "moved", {"position": [index + 1, wanted]}, operator)
        row = type(row).get_by_id(row.id)
    return {**_as_dict(list_spec, row), "changed": True}


@data_function
def set_active(name: str, code: str, active: bool, operator: str) -> dict[str, Any]:
    """Activate or deactivate an entry; a deactivated one stays with the customers that hold it."""
    require_beheerder(operator)
    list_spec = spec(name)
    with database_proxy.atomic():
        _one_writer()
        row = _find(list_spec, code)
        if bool(row.active) == active:
            return {**_as_dict(list_spec, row), "changed": False}
        if not active:
            _check_may_deactivate(list_spec, row)
        row.active = active
        row.save()
        _record(list_spec, row.code, "activated" if active else "deactivated", {"active": [not active, active]}, operator)
    return {**_as_dict(list_spec, row), "changed": True}


def _check_may_deactivate(list_spec: ListSpec, row: Any) -> None:
    """The default of a required field and the last active entry of a required list (or of the reasons) stay active."""
    label = row.name if list_spec.kind == "repairer" else row.label
    if list_spec.default and row.code == list_spec.default:
        raise BadInput(_("'{label}' is de standaardwaarde voor nieuwe klanten en blijft actief.").format(label=label))
    if list_spec.required or list_spec.kind == "block_reason":
        others = [other for other in _rows(list_spec) if other.active and other.id != row.id]
        if not others:
            raise BadInput(_("'{label}' is de laatste actieve keuze van {list} en blijft actief.").format(
                label=label, list=_(list_spec.title)))


@data_function
def delete(name: str, code: str, operator: str) -> None:
    """Delete an entry that no customer holds or ever held; one in use can only be deactivated."""
    require_beheerder(operator)
    list_spec = spec(name)
    with database_proxy.atomic():
        _one_writer()
        row = _find(list_spec, code)
        label = row.name if list_spec.kind == "repairer" else row.label
        used = customers_using(list_spec, row)
        if used:
            raise BadInput(ngettext("'{label}' is in gebruik bij {count} klant en kan niet verwijderd worden; deactiveer het in de plaats.",
                                    "'{label}' is in gebruik bij {count} klanten en kan niet verwijderd worden; "
                                    "deactiveer het in de plaats.", used).format(label=label, count=used))
        if _in_history(list_spec, row):
            raise BadInput(_("'{label}' werd al gebruikt (zie de historiek van de klanten) en kan niet verwijderd "
                             "worden; deactiveer het in de plaats.").format(label=label))
        if row.active and (list_spec.required or list_spec.kind == "block_reason"):
            _check_may_deactivate(list_spec, row)
        type(row).delete().where(type(row).id == row.id).execute()
        for place, other in enumerate(_rows(list_spec)):
            if other.position != place:
                type(other).update(position=place).where(type(other).id == other.id).execute()
        _record(list_spec, row.code, "deleted", {"label": [label, None]}, operator)


# --------------------------------------------------------------------------------------------- history

@data_function
def history(name: str | None = None, code: str | None = None) -> list[dict[str, Any]]:
    """The list changes, newest first (one list, or one entry of it, when given)."""
    query = ReferenceEvent.select().order_by(ReferenceEvent.id.desc())
    if name:
        list_spec = spec(name)
        query = query.where(ReferenceEvent.list == list_spec.kind)
        if code:
            query = query.where(fn.LOWER(ReferenceEvent.code) == code.strip().lower())
    return [{"list": BY_KIND[e.list].name if e.list in BY_KIND else e.list, "code": visible(e.code), "kind": e.kind,
             "operator": visible(e.operator), "at": e.at, "changes": visible_tree(json.loads(e.changes or "{}"))}
            for e in query]


# --------------------------------------------------------------------------------------------- customers

def refuse_inactive(changed: dict[str, Any], errors: dict[str, str]) -> None:
    """Note an error for every newly chosen value that is an inactive entry (a kept one is not in `changed`)."""
    for field, value in changed.items():
        if field not in COLUMNS or value in (None, ""):
            continue
        inactive = reference.inactive_labels(field)
        if str(value) in inactive:
            errors[field] = _("'{label}' is niet meer actief; kies een andere.").format(label=inactive[str(value)])


__all__ = ["LISTS", "spec", "entries", "overview", "add", "rename", "update_entry", "set_details", "move", "set_active", "delete",
           "history", "stamp", "refuse_inactive"]
