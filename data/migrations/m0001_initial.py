"""Version 1: the core tables, the append-only history guard and the reference data.

The models are frozen here as they were in version 1, so later changes to data/models.py
never change what this step creates.
"""
from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

# The reference lists as version 1 seeds them (frozen copies: later edits to data/reference.py never change
# what this step writes).
LANGUAGES = [("nl-BE", "Nederlands (BE)"), ("fr-BE", "Frans (BE)"), ("de-BE", "Duits (BE)"), ("en", "Engels")]
VAT_RATES = [("0", "0 %"), ("6", "6 %"), ("12", "12 %"), ("21", "21 %")]
CUSTOMER_TYPES = [("bedrijf", "Bedrijf"), ("particulier", "Particulier")]
LEGAL_FORMS = [("rechtspersoon", "Rechtspersoon"), ("natuurlijk_persoon", "Natuurlijk persoon")]
SALUTATIONS = [
    ("dhr", "Dhr."),
    ("mevr", "Mevr."),
    ("dhr_mevr", "Dhr. en Mevr."),
    ("fam", "Fam."),
    ("firma", "Firma"),
]
PAYMENT_CONDITIONS = [
    ("contant", "Contant"),
    ("14_dagen", "14 dagen na factuurdatum"),
    ("30_dagen", "30 dagen na factuurdatum"),
    ("30_dagen_em", "30 dagen einde maand"),
    ("60_dagen", "60 dagen na factuurdatum"),
    ("domiciliering", "Domiciliëring"),
]
DISCOUNT_SCHEMES = [
    ("geen", "Geen korting"),
    ("onderdelen_5", "5 % op onderdelen"),
    ("onderdelen_10", "10 % op onderdelen"),
    ("arbeid_10", "10 % op arbeid"),
    ("vloot", "Vlootkorting"),
]
PRICE_LISTS = [("standaard", "Standaard"), ("verzekeraar", "Verzekeraar"), ("vloot", "Vlootbeheer"), ("particulier", "Particulier")]
INTERNAL_ACCOUNTS = [
    ("400000", "400000 Handelsdebiteuren"),
    ("400100", "400100 Debiteuren verzekeraars"),
    ("400200", "400200 Debiteuren buitenland"),
    ("407000", "407000 Dubieuze debiteuren"),
]
BLOCK_REASONS = [
    ("wanbetaling", "Wanbetaling"),
    ("fraude", "Fraude"),
    ("geschil", "Geschil"),
    ("op_vraag_van_de_klant", "Op vraag van de klant"),
    ("andere", "Andere"),
]


def _countries() -> list[tuple[str, str]]:
    """ISO 3166 countries as (alpha-2, Dutch name), België first, the rest alphabetical (from pycountry)."""
    import gettext

    import pycountry

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    names = [(c.alpha_2, translation.gettext(c.name)) for c in pycountry.countries]
    belgium = [item for item in names if item[0] == "BE"]
    return belgium + sorted((item for item in names if item[0] != "BE"), key=lambda item: item[1].casefold())


def _static_lists() -> dict[str, list[tuple[str, str]]]:
    """Every reference list by kind, as version 1 seeds them."""
    return {
        "language": LANGUAGES, "country": _countries(), "vat_rate": VAT_RATES, "customer_type": CUSTOMER_TYPES,
        "legal_form": LEGAL_FORMS, "salutation": SALUTATIONS, "payment_condition": PAYMENT_CONDITIONS,
        "discount_scheme": DISCOUNT_SCHEMES, "price_list": PRICE_LISTS, "internal_account": INTERNAL_ACCOUNTS,
        "block_reason": BLOCK_REASONS,
    }


# The append-only guard of the history, as version 1 installs it (frozen: later changes never alter it).
# PostgreSQL: a plain CREATE TRIGGER on the table made in this very step (CREATE OR REPLACE TRIGGER needs 14).
SQLITE_GUARD = [
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_update BEFORE UPDATE ON customer_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_delete BEFORE DELETE ON customer_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
]
POSTGRES_GUARD = [
    "CREATE OR REPLACE FUNCTION customer_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'historiek is alleen-toevoegen' USING ERRCODE = 'restrict_violation'; END $$",
    "CREATE TRIGGER customer_event_no_change BEFORE UPDATE OR DELETE ON customer_event "
    "FOR EACH ROW EXECUTE FUNCTION customer_event_append_only()",
    "CREATE TRIGGER customer_event_no_truncate BEFORE TRUNCATE ON customer_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_event_append_only()",
]


def sqlite(db: Database) -> None:
    """SQLite: the tables, the history guard, the reference lists."""
    _apply(db, SQLITE_GUARD)


def postgresql(db: Database) -> None:
    """PostgreSQL: the tables, the history guard, the reference lists."""
    _apply(db, POSTGRES_GUARD)


def _apply(db: Database, guard: list[str]) -> None:
    """Create the version-1 tables, make the history append-only and seed the reference lists."""

    class V1(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class SchemaInfo(V1):
        version = IntegerField()

    class ReferenceItem(V1):
        kind = CharField(max_length=40)
        code = CharField(max_length=40)
        label = CharField(max_length=120)
        position = IntegerField(default=0)

        class Meta:
            indexes = ((("kind", "code"), True),)

    class Staff(V1):
        username = CharField(max_length=64, unique=True)
        full_name = CharField(max_length=120, default="")
        role = CharField(max_length=20, default="medewerker")
        active = BooleanField(default=True)

    class Repairer(V1):
        name = CharField(max_length=120)
        city = CharField(max_length=80, default="")

    def text(size: int, index: bool = False) -> CharField:
        return CharField(max_length=size, default="", index=index)

    class Customer(V1):
        number = IntegerField(unique=True)
        name = CharField(max_length=120)
        external_ref = text(40, index=True)
        email = text(254)
        language = CharField(max_length=10, default="nl-BE")
        repairer = ForeignKeyField(Repairer, null=True, on_delete="SET NULL")
        address, address2 = text(120), text(120)
        postcode = text(20, index=True)
        city, province = text(80), text(80)
        country = CharField(max_length=2, default="BE")
        certificate_number = text(40)
        vat_number = text(20, index=True)
        vat_rate = IntegerField(default=21)
        payment_term_days = IntegerField(null=True)
        payment_condition, discount_scheme = text(40), text(40)
        price_list, internal_account = text(40), text(40)
        phone, fax, mobile = text(20), text(20), text(20)
        customer_type = CharField(max_length=20, default="bedrijf")
        legal_form = CharField(max_length=20, default="rechtspersoon")
        salutation = text(20)
        contact = text(120)
        remarks = TextField(default="")
        show_remarks = BooleanField(default=False)
        show_id_card = BooleanField(default=False)
        blocked = BooleanField(default=False, index=True)
        block_reason = text(40)
        block_message = TextField(default="")
        blocked_at = DateTimeField(null=True)
        blocked_by = text(64)
        blocked_until = DateField(null=True)
        iban, bic = text(34), text(11)
        version = IntegerField(default=1)
        created_at = DateTimeField(default=dt.datetime.now)
        created_by = text(64)
        updated_at = DateTimeField(default=dt.datetime.now, index=True)
        updated_by = text(64)

    class CustomerEvent(V1):
        customer_id = IntegerField(index=True)
        customer_number = IntegerField()
        kind = CharField(max_length=20)
        changes = TextField(default="")
        operator = CharField(max_length=64)
        at = DateTimeField(default=dt.datetime.now)

    class Dossier(V1):
        number = CharField(max_length=10, unique=True)
        customer = ForeignKeyField(Customer, backref="dossiers", on_delete="RESTRICT")
        description = CharField(max_length=200)
        reference = text(60)
        licence_plate = text(20)
        created_at = DateTimeField(default=dt.datetime.now)
        created_by = CharField(max_length=64)
        status = CharField(max_length=20, default="open")

    db.create_tables([SchemaInfo, ReferenceItem, Staff, Repairer, Customer, CustomerEvent, Dossier])
    for statement in guard:
        db.execute_sql(statement)
    rows = [
        {"kind": kind, "code": code, "label": label, "position": position}
        for kind, items in _static_lists().items()
        for position, (code, label) in enumerate(items)
    ]
    for start in range(0, len(rows), 200):
        ReferenceItem.insert_many(rows[start:start + 200]).execute()
