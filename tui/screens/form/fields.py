"""Field definitions of the customer form: code name, glossary label, widget kind and tab."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "choice", "check", "memo", "postcode"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of the form: its code name (= widget id), Dutch label, widget kind, choice list."""

    name: str
    label: str
    kind: Kind = "text"
    choices: str = ""
    placeholder: str = ""
    max_length: int = 0


@dataclass(frozen=True)
class TabSpec:
    """One tab of the form: pane id, Dutch title and its fields in order."""

    pane_id: str
    title: str
    fields: tuple[FieldSpec, ...]


TABS: tuple[TabSpec, ...] = (
    TabSpec("tab_algemeen", "Algemeen", (
        FieldSpec("name", "Naam", max_length=120),
        FieldSpec("number", "Nummer", placeholder="volgend nummer", max_length=9),
        FieldSpec("external_ref", "Externe Ref.", max_length=40),
        FieldSpec("customer_type", "Type Klant", "choice", "customer_type"),
        FieldSpec("legal_form", "Rechtspersoonlijkheid", "choice", "legal_form"),
        FieldSpec("salutation", "Aanspreking", "choice", "salutation"),
        FieldSpec("contact", "Contact", max_length=120),
        FieldSpec("language", "Taal", "choice", "language"),
        FieldSpec("repairer", "Hersteller", "choice", "repairer"),
    )),
    TabSpec("tab_adres", "Adres", (
        FieldSpec("address", "Adres", max_length=120),
        FieldSpec("address2", "Adres 2", max_length=120),
        FieldSpec("postcode", "Gemeente", "postcode", placeholder="postcode", max_length=20),
        FieldSpec("province", "Provincie", max_length=80),
        FieldSpec("country", "Land", "choice", "country"),
    )),
    TabSpec("tab_communicatie", "Communicatie", (
        FieldSpec("phone", "Tel", placeholder="bv. 051 20 20 20"),
        FieldSpec("fax", "Fax"),
        FieldSpec("mobile", "GSM", placeholder="bv. 0478 12 34 56"),
        FieldSpec("email", "E-mail", max_length=254),
    )),
    TabSpec("tab_financieel", "Financieel", (
        FieldSpec("vat_number", "BTW-nummer", placeholder="BE 0123.456.789"),
        FieldSpec("vat_rate", "BTW-percentage", "choice", "vat_rate"),
        FieldSpec("certificate_number", "Attest nummer", max_length=40),
        FieldSpec("payment_term_days", "Betalingstermijn", placeholder="dagen (0-365)", max_length=3),
        FieldSpec("payment_condition", "Betalingsvoorwaarde", "choice", "payment_condition"),
        FieldSpec("discount_scheme", "Kortingsschema", "choice", "discount_scheme"),
        FieldSpec("price_list", "Prijslijst", "choice", "price_list"),
        FieldSpec("internal_account", "Interne rekeningnummer", "choice", "internal_account"),
        FieldSpec("iban", "Iban", placeholder="bv. BE09 7341 2345 6757"),
        FieldSpec("bic", "Bic", max_length=11),
    )),
    TabSpec("tab_opmerkingen", "Opmerkingen", (
        FieldSpec("remarks", "Opmerkingen", "memo"),
        FieldSpec("show_remarks", "Opmerking Tonen", "check"),
        FieldSpec("show_id_card", "Toon Identiteitskaart", "check"),
    )),
)
HISTORY_TAB = TabSpec("tab_historiek", "Historiek", ())
ALL_TABS: tuple[TabSpec, ...] = (*TABS, HISTORY_TAB)

FIELDS: dict[str, FieldSpec] = {spec.name: spec for tab in TABS for spec in tab.fields}
FIELD_TAB: dict[str, str] = {spec.name: tab.pane_id for tab in TABS for spec in tab.fields}
# The town is the second box of "Gemeente"; it lives on the Adres tab right after the postcode.
FIELD_TAB["city"] = "tab_adres"
FIELD_ORDER: list[str] = [name for tab in TABS for spec in tab.fields for name in ([spec.name, "city"] if spec.name == "postcode" else [spec.name])]

LABELS: dict[str, str] = {spec.name: spec.label for spec in FIELDS.values()}
LABELS.update({
    "city": "Gemeente", "postcode": "Postcode", "blocked": "Geblokkeerd", "block_reason": "Reden",
    "block_message": "Bericht", "blocked_until": "Geblokkeerd tot", "blocked_at": "Geblokkeerd sinds",
    "blocked_by": "Geblokkeerd door",
})
