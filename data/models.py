"""Peewee models of the current schema; bound at run time through `database_proxy`."""
from __future__ import annotations

import datetime as dt  # noqa: F401 - kept for callers' type hints

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from klantbeheer.data import clock

database_proxy = DatabaseProxy()


def now() -> dt.datetime:
    """The current moment in UTC to the second, as stored in every timestamp (shown in office time)."""
    return clock.now()


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaInfo(BaseModel):
    """One row: the schema version of this database."""

    version = IntegerField()


class ReferenceItem(BaseModel):
    """One choice of a reference list (language, country, VAT rate, block reason, ...)."""

    kind = CharField(max_length=40)
    code = CharField(max_length=40)
    label = CharField(max_length=120)
    position = IntegerField(default=0)
    label_fr = CharField(max_length=120, null=True)  # NULL: the Dutch label is shown
    label_en = CharField(max_length=120, null=True)
    active = BooleanField(default=True)  # inactive: kept where stored, no longer offered

    class Meta:
        indexes = ((("kind", "code"), True),)


class Staff(BaseModel):
    """An operator of the app: beheerder or medewerker."""

    username = CharField(max_length=64, unique=True)
    full_name = CharField(max_length=120, default="")
    role = CharField(max_length=20, default="medewerker")
    active = BooleanField(default=True)
    os_user = CharField(max_length=64, default="")  # OS account (SQLite) or database login (PostgreSQL); "" = username
    language = CharField(max_length=5, default="")  # "nl", "fr" or "en"; "" = follow LC_ALL / LC_MESSAGES / LANG


class StaffPassword(BaseModel):
    """The argon2id password hash of one operator for the browser version, and its lock-out state."""

    staff_id = IntegerField(primary_key=True)
    hash = TextField()
    failures = IntegerField(default=0)  # failed sign-ins in a row
    locked_until = DateTimeField(null=True)
    changed_at = DateTimeField(default=now)


class StaffEvent(BaseModel):
    """Append-only history of sign-ins: login, login_failed, locked, password_set."""

    username = CharField(max_length=64, index=True)
    kind = CharField(max_length=20)
    detail = TextField(default="")
    operator = CharField(max_length=64)  # who did it: the operator, or the name typed at a failed sign-in
    at = DateTimeField(default=now)


class Setting(BaseModel):
    """One office-wide setting (key `time_zone`: the office's IANA time zone)."""

    key = CharField(max_length=40, primary_key=True)
    value = TextField()


class Repairer(BaseModel):
    """A hersteller a customer can be linked to (the hersteller reference list; the name is its label)."""

    name = CharField(max_length=120)
    city = CharField(max_length=80, default="")
    code = CharField(max_length=40, unique=True)
    active = BooleanField(default=True)
    position = IntegerField(default=0)
    address = CharField(max_length=120, default="")
    postcode = CharField(max_length=20, default="")
    phone = CharField(max_length=20, default="")
    email = CharField(max_length=254, default="")


class Customer(BaseModel):
    """A klant / eigenaar with every field of the glossary."""

    id = AutoField()
    number = IntegerField(unique=True)
    name = CharField(max_length=120)
    external_ref = CharField(max_length=40, default="", index=True)
    email = CharField(max_length=254, default="")
    language = CharField(max_length=10, default="nl-BE")
    repairer = ForeignKeyField(Repairer, null=True, on_delete="SET NULL")
    address = CharField(max_length=120, default="")
    address2 = CharField(max_length=120, default="")
    postcode = CharField(max_length=20, default="", index=True)
    city = CharField(max_length=80, default="")
    province = CharField(max_length=80, default="")
    country = CharField(max_length=2, default="BE")
    certificate_number = CharField(max_length=40, default="")
    vat_number = CharField(max_length=20, default="", index=True)
    vat_rate = IntegerField(default=21)
    payment_term_days = IntegerField(null=True)
    payment_condition = CharField(max_length=40, default="")
    discount_scheme = CharField(max_length=40, default="")
    price_list = CharField(max_length=40, default="")
    internal_account = CharField(max_length=40, default="")
    phone = CharField(max_length=20, default="")
    fax = CharField(max_length=20, default="")
    mobile = CharField(max_length=20, default="")
    customer_type = CharField(max_length=20, default="bedrijf")
    legal_form = CharField(max_length=20, default="rechtspersoon")
    salutation = CharField(max_length=20, default="")
    contact = CharField(max_length=120, default="")
    remarks = TextField(default="")
    show_remarks = BooleanField(default=False)
    show_id_card = BooleanField(default=False)
    blocked = BooleanField(default=False, index=True)
    block_reason = CharField(max_length=40, default="")
    block_message = TextField(default="")
    blocked_at = DateTimeField(null=True)
    blocked_by = CharField(max_length=64, default="")
    blocked_until = DateField(null=True)
    iban = CharField(max_length=34, default="")
    bic = CharField(max_length=11, default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=now)
    created_by = CharField(max_length=64, default="")
    updated_at = DateTimeField(default=now, index=True)
    updated_by = CharField(max_length=64, default="")
    name_norm = CharField(max_length=120, default="", index=True)
    search_text = TextField(default="")


class CustomerEvent(BaseModel):
    """Append-only history: one change to a customer (kept after the customer is deleted)."""

    customer_id = IntegerField(index=True)
    customer_number = IntegerField()
    kind = CharField(max_length=20)  # created, updated, blocked, unblocked, deleted
    changes = TextField(default="")  # JSON: {field: [old, new]} or block details
    operator = CharField(max_length=64)
    at = DateTimeField(default=now)


class ReferenceEvent(BaseModel):
    """Append-only history of the reference lists: one change to one entry."""

    list = CharField(max_length=40)  # the list's kind (payment_condition, repairer, ...)
    code = CharField(max_length=40)
    kind = CharField(max_length=20)  # added, renamed, moved, deactivated, activated, deleted, details
    changes = TextField(default="")  # JSON: {field: [old, new]}
    operator = CharField(max_length=64)
    at = DateTimeField(default=now)


class Dossier(BaseModel):
    """A case file opened for a customer."""

    number = CharField(max_length=12, unique=True)  # YYYY-NNNNN, six digits after 99,999
    customer = ForeignKeyField(Customer, backref="dossiers", on_delete="RESTRICT")
    description = CharField(max_length=200)
    reference = CharField(max_length=60, default="")
    licence_plate = CharField(max_length=20, default="")
    created_at = DateTimeField(default=now)
    created_by = CharField(max_length=64)
    status = CharField(max_length=20, default="open")
    owner_number = IntegerField(null=True)  # the owner as it was when the dossier was opened
    owner_name = CharField(max_length=120, null=True)
    version = IntegerField(default=1)  # the optimistic lock of an edit, as Customer.version


class DossierEvent(BaseModel):
    """Append-only history of a dossier: created, updated, closed, reopened."""

    dossier = ForeignKeyField(Dossier, backref="events", on_delete="RESTRICT")
    kind = CharField(max_length=20)
    changes = TextField(default="")  # JSON: {field: [old, new]}
    operator = CharField(max_length=64)
    at = DateTimeField(default=now)


class Draft(BaseModel):
    """Unsaved input of one form of one operator (JSON), kept until saved, given up or restored."""

    operator = CharField(max_length=64)
    key = CharField(max_length=40)  # "customer:123", "customer:new", "dossier"
    payload = TextField()
    saved_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("operator", "key"), True),)


class CustomerImport(BaseModel):
    """One stored import: the file, who ran it, what it did, and when it was undone (if it was)."""

    file_name = CharField(max_length=255)
    operator = CharField(max_length=64)
    created = IntegerField(default=0)
    updated = IntegerField(default=0)
    first_event_id = IntegerField(default=0)  # the history ids the import wrote: anything later is an edit since
    last_event_id = IntegerField(default=0)
    undone_by = CharField(max_length=64, default="")
    started_at = DateTimeField(default=now)
    undone_at = DateTimeField(null=True)


class ImportRow(BaseModel):
    """One customer an import created or updated; `previous` holds the replaced values of an update (JSON)."""

    import_id = IntegerField(index=True)
    customer_id = IntegerField(index=True)
    action = CharField(max_length=10)  # created, updated
    previous = TextField(default="")


ALL_MODELS = [SchemaInfo, ReferenceItem, Staff, Setting, Repairer, Customer, CustomerEvent, Dossier, DossierEvent, Draft,
              CustomerImport, ImportRow, ReferenceEvent, StaffEvent]

# The customer fields a user edits (everything except block state and bookkeeping).
EDITABLE_FIELDS = [
    "name", "number", "external_ref", "email", "language", "repairer", "address", "address2",
    "postcode", "city", "province", "country", "certificate_number", "vat_number", "vat_rate",
    "payment_term_days", "payment_condition", "discount_scheme", "price_list", "internal_account",
    "phone", "fax", "mobile", "customer_type", "legal_form", "salutation", "contact", "remarks",
    "show_remarks", "show_id_card", "iban", "bic",
]
BLOCK_FIELDS = ["blocked", "block_reason", "block_message", "blocked_at", "blocked_by", "blocked_until"]
