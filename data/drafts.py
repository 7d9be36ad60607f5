"""Drafts: what a form holds between the database and the screen (loaded values, edits, block, errors).

A draft knows nothing of Textual. The form screen shows it and feeds it edits; the draft decides
what is unsaved, what is wrong, what to save and how to merge a newer stored record.
Values are kept as the form shows them: text (phones, VAT and IBAN formatted), choice codes as
text ('' when blank) and booleans for the two check boxes.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from klantbeheer.data import validation
from klantbeheer.data.i18n import _
from klantbeheer.data.models import EDITABLE_FIELDS, Draft, database_proxy, now
from klantbeheer.data.session import data_function

CHECK_FIELDS = ("show_remarks", "show_id_card")
PHONE_FIELDS = ("phone", "fax", "mobile")
# Fields whose rule needs no database: checked as soon as the user leaves them.
LIVE_CHECKS = frozenset({"name", "number", "email", "phone", "fax", "mobile", "vat_number", "iban", "bic", "payment_term_days"})
BLOCK_KEYS = ("blocked", "block_reason", "block_message", "blocked_until")


def form_value(name: str, value: Any) -> Any:
    """A stored value as the form shows it (phones national, VAT with dots, IBAN in groups)."""
    if name in CHECK_FIELDS:
        return bool(value)
    if value is None:
        return ""
    if name in PHONE_FIELDS:
        return validation.format_phone(str(value))
    if name == "vat_number":
        return validation.format_vat(str(value))
    if name == "iban":
        return validation.format_iban(str(value))
    return str(value)


def form_values(stored: dict[str, Any]) -> dict[str, Any]:
    """Every editable field of a stored customer as the form shows it."""
    return {name: form_value(name, stored.get(name)) for name in EDITABLE_FIELDS}


@dataclass(frozen=True)
class BothChanged:
    """A field that you and someone else both changed, to different values."""

    name: str
    mine: Any
    theirs: Any


@dataclass
class MergeReport:
    """What a merge did: fields taken from the newer record, fields kept, fields to choose, the block."""

    theirs: list[str] = field(default_factory=list)
    mine: list[str] = field(default_factory=list)
    both: list[BothChanged] = field(default_factory=list)
    their_block_kept: bool = False


@dataclass
class CustomerDraft:
    """One customer being edited: the stored record as loaded, the user's edits, a pending block change, errors."""

    number: int | None
    stored: dict[str, Any]
    edits: dict[str, Any] = field(default_factory=dict)
    block_change: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    checked: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------- reading
    @property
    def version(self) -> int | None:
        """The version of the stored record the edits are based on (None for a new customer)."""
        return self.stored.get("version") if self.number is not None else None

    @property
    def loaded(self) -> dict[str, Any]:
        """The stored values as the form shows them."""
        return form_values(self.stored)

    def values(self) -> dict[str, Any]:
        """What the form shows now: the loaded values with the edits on top."""
        return {**self.loaded, **self.edits}

    def changed(self) -> bool:
        """True when there is unsaved input: an edited field or a pending block or unblock."""
        return bool(self.edits) or self.block_change is not None

    def blocked_now(self) -> bool:
        """The state the Geblokkeerd switch shows: the pending change, else the stored state."""
        if self.block_change is not None:
            return bool(self.block_change["blocked"])
        return bool(self.stored.get("blocked")) and bool(self.stored.get("block_active", True))

    def lapsed_until(self) -> dt.date | None:
        """The end date of a stored block that has run out (it no longer stops anything), else None."""
        if self.block_change is None and self.stored.get("blocked") and not self.stored.get("block_active", True):
            until = self.stored.get("blocked_until")
            return until if isinstance(until, dt.date) else dt.date.fromisoformat(str(until)[:10]) if until else None
        return None

    # ------------------------------------------------------------- editing
    def set(self, name: str, value: Any) -> None:
        """Record the field's value on screen; a value equal to the loaded one is no edit."""
        if name not in EDITABLE_FIELDS:
            raise KeyError(name)
        if value == self.loaded.get(name):
            self.edits.pop(name, None)
        else:
            self.edits[name] = value
        if name in self.errors and value != self.checked.get(name):
            del self.errors[name]

    def block(self, reason: str, message: str, until: dt.date | None) -> None:
        """Remember a block until Bewaren."""
        self.block_change = {"blocked": True, "block_reason": reason, "block_message": message, "blocked_until": until}

    def unblock(self) -> None:
        """Remember an unblock until Bewaren (or drop a block that was never saved)."""
        self.block_change = {"blocked": False} if self.stored.get("blocked") else None

    # ------------------------------------------------------------- checking
    def check(self) -> dict[str, str]:
        """The problems the rules without a database find in the values to save, by field."""
        return validation.check_customer(self.to_save()).errors

    def check_field(self, name: str) -> dict[str, str]:
        """Messages for leaving one field: its own error ('' = fine), and the BIC hint for IBAN and BIC."""
        values = self.values()
        value = values.get(name, "")
        if name not in LIVE_CHECKS:
            return {}
        checked = validation.check_customer({name: value})
        # An empty required field is reported on Bewaren, not while the user is still filling in the form.
        messages = {name: checked.errors.get(name, "") if str(value).strip() else ""}
        if not messages[name] and name in ("iban", "bic"):
            both = validation.check_customer({"iban": values.get("iban", ""), "bic": values.get("bic", "")})
            warning = both.warnings.get("bic", "")
            messages["bic"] = _("Let op: {warning}").format(warning=warning) if warning and "bic" not in both.errors else ""
        return messages

    def refused(self, errors: dict[str, str]) -> None:
        """A save was refused with these field errors: keep them until the field changes."""
        self.errors = dict(errors)
        self.checked = self.values()

    # ------------------------------------------------------------- saving
    def pending(self) -> dict[str, Any]:
        """What is unsaved: the edited fields and the block change."""
        values = dict(self.edits)
        if self.block_change is not None:
            values.update(self.block_change)
        return values

    def to_save(self) -> dict[str, Any]:
        """What customers.create / customers.update get: every value on screen (all held to today's rules), plus the block change."""
        values = self.values()
        if self.block_change is not None:
            values.update(self.block_change)
        return values

    def reload(self, newer: dict[str, Any], dropped: dict[str, Any] | None = None) -> None:
        """Base the draft on a newer stored record; edits equal to `dropped` (saved or given up) go, others stay.

        After a save `dropped` is what was sent; after Herladen it is what the user gave up.
        Keys typed while the record was being read are in neither, so they stay.
        """
        dropped = dropped or {}
        self.stored = dict(newer)
        loaded = self.loaded
        self.edits = {
            name: value for name, value in self.edits.items()
            if value != loaded.get(name) and not (name in dropped and dropped[name] == value)
        }
        change = self.block_change
        if change is not None and all(dropped.get(key, object()) == value for key, value in change.items()):
            self.block_change = None
        self.errors = {name: message for name, message in self.errors.items() if name in self.edits}

    def merge(self, newer: dict[str, Any]) -> MergeReport:
        """Three-way merge with a newer stored record: theirs where only they changed, yours where only you did.

        Fields you both changed to different values are listed in the report and keep your value
        until `choose` says otherwise. A block someone else set or lifted always wins over yours.
        """
        base, theirs = self.loaded, form_values(newer)
        report = MergeReport()
        for name in EDITABLE_FIELDS:
            they_changed = theirs[name] != base[name]
            if name not in self.edits:
                if they_changed:
                    report.theirs.append(name)
            elif not they_changed:
                report.mine.append(name)
            elif self.edits[name] != theirs[name]:
                report.both.append(BothChanged(name, self.edits[name], theirs[name]))
        their_block = {key: newer.get(key) for key in BLOCK_KEYS}
        if their_block != {key: self.stored.get(key) for key in BLOCK_KEYS} and self.block_change is not None:
            self.block_change = None
            report.their_block_kept = True
        elif newer.get("blocked") and not self.stored.get("blocked"):
            report.their_block_kept = True
        self.stored = dict(newer)
        loaded = self.loaded
        self.edits = {name: value for name, value in self.edits.items() if value != loaded.get(name)}
        return report

    def choose(self, name: str, mine: bool, value: Any) -> None:
        """After a merge: keep your value for a field both changed (mine=True) or take theirs."""
        if mine:
            self.set(name, value)
        else:
            self.edits.pop(name, None)

    # ------------------------------------------------------------- storing
    def to_json(self) -> dict[str, Any]:
        """The draft as plain JSON-able data (for the drafts table): the base record, the edits, the block."""
        base = {name: self.stored.get(name) for name in (*EDITABLE_FIELDS, *BLOCK_KEYS, "version")}
        block = dict(self.block_change) if self.block_change else None
        return _jsonable({"number": self.number, "base": base, "edits": self.edits, "block_change": block})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CustomerDraft:
        """A stored draft on its base record; merge it with the customer as stored now before showing it."""
        base = dict(data.get("base") or {})
        if base.get("blocked_until"):
            base["blocked_until"] = dt.date.fromisoformat(str(base["blocked_until"])[:10])
        draft = cls(number=data.get("number"), stored=base)
        for name, value in (data.get("edits") or {}).items():
            if name in EDITABLE_FIELDS:
                draft.set(name, value)
        block = data.get("block_change")
        if block:
            if block.get("blocked_until"):
                block["blocked_until"] = dt.date.fromisoformat(block["blocked_until"])
            draft.block_change = block
        return draft


def _jsonable(value: Any) -> Any:
    """Dates as ISO text, recursively, so json.dumps takes the value."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# ----------------------------------------------------------------- the drafts table
@dataclass(frozen=True)
class StoredDraft:
    """One kept draft: whose, which form, when, and its JSON payload."""

    operator: str
    key: str
    saved_at: dt.datetime
    payload: dict[str, Any]


def customer_key(number: int | None) -> str:
    """The drafts-table key of a customer form ('customer:new' before its first save)."""
    return f"customer:{'new' if number is None else number}"


@data_function
def keep(operator: str, key: str, payload: dict[str, Any]) -> None:
    """Write (or overwrite) the operator's draft for this form."""
    text = json.dumps(_jsonable(payload), ensure_ascii=False)
    with database_proxy.atomic():
        (Draft.insert(operator=operator, key=key, payload=text, saved_at=now())
         .on_conflict(conflict_target=[Draft.operator, Draft.key], update={Draft.payload: text, Draft.saved_at: now()})
         .execute())


@data_function
def drop(operator: str, key: str) -> None:
    """Forget the operator's draft for this form (saved or given up)."""
    Draft.delete().where((Draft.operator == operator) & (Draft.key == key)).execute()


@data_function
def kept(operator: str) -> list[StoredDraft]:
    """The operator's drafts, oldest first; an unreadable one is skipped, never a crash."""
    found = []
    for row in Draft.select().where(Draft.operator == operator).order_by(Draft.saved_at, Draft.id):
        try:
            payload = json.loads(row.payload)
        except ValueError:
            continue
        if isinstance(payload, dict):
            found.append(StoredDraft(row.operator, row.key, row.saved_at, payload))
    return found


DOSSIER_KEY = "dossier"
DOSSIER_FIELDS = ("description", "reference", "licence_plate")


@dataclass
class DossierDraft:
    """A new dossier being typed: the owner as typed and the three fields; nothing of it is stored yet."""

    owner_text: str = ""
    given_owner_text: str = ""  # the owner the screen was opened with (F3 from a form): not typed by the user
    values: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: str) -> None:
        """Record a field's text ('owner' for the owner picker)."""
        if name == "owner":
            self.owner_text = value
        elif name in DOSSIER_FIELDS:
            self.values[name] = value
        else:
            raise KeyError(name)

    def changed(self) -> bool:
        """True when something was typed that no dossier holds yet."""
        typed = any(self.values.get(name, "").strip() for name in DOSSIER_FIELDS)
        owner = self.owner_text.strip()
        return typed or (bool(owner) and owner != self.given_owner_text.strip())

    def created(self, owner_text: str) -> None:
        """A dossier was made: the fields start empty for the next one, with the same owner."""
        self.values = {}
        self.owner_text = self.given_owner_text = owner_text

    def to_json(self) -> dict[str, Any]:
        """The draft as plain JSON-able data (for the drafts table)."""
        return {"owner_text": self.owner_text, "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DossierDraft:
        """A kept dossier draft."""
        values = {name: str(value) for name, value in (data.get("values") or {}).items() if name in DOSSIER_FIELDS}
        return cls(owner_text=str(data.get("owner_text") or ""), values=values)
