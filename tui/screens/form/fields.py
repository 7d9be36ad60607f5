"""Field definitions of the customer form: code name, glossary label, widget kind and tab."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from data.i18n import N_

Kind = Literal["text", "choice", "check", "memo", "postcode"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of the form: its code name (= widget id), Dutch label (msgid), widget kind, choice list."""

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
    TabSpec("tab_algemeen", N_("Algemeen"), (
        FieldSpec("name", N_("Naam"), max_length=120),
        FieldSpec("number", N_("Nummer"), placeholder=N_("volgend nummer"), max_length=9),
        FieldSpec("external_ref", N_("Externe Ref."), max_length=40),
        FieldSpec("customer_type", N_("Type Klant"), "choice", "customer_type"),
        FieldSpec("legal_form", N_("Rechtspersoonlijkheid"), "choice", "legal_form"),
        FieldSpec("salutation", N_("Aanspreking"), "choice", "salutation"),
        FieldSpec("contact", N_("Contact"), max_length=120),
        FieldSpec("language", N_("Taal"), "choice", "language"),
        FieldSpec("repairer", N_("Hersteller"), "choice", "repairer"),
    )),
    TabSpec("tab_adres", N_("Adres"), (
        FieldSpec("address", N_("Adres"), max_length=120),
        FieldSpec("address2", N_("Adres 2"), max_length=120),
        FieldSpec("postcode", N_("Gemeente"), "postcode", placeholder=N_("postcode"), max_length=20),
        FieldSpec("province", N_("Provincie"), max_length=80),
        FieldSpec("country", N_("Land"), "choice", "country"),
    )),
    TabSpec("tab_communicatie", N_("Communicatie"), (
        FieldSpec("phone", N_("Tel"), placeholder=N_("bv. 051 20 20 20")),
        FieldSpec("fax", N_("Fax")),
        FieldSpec("mobile", N_("GSM"), placeholder=N_("bv. 0478 12 34 56")),
        FieldSpec("email", N_("E-mail"), max_length=254),
    )),
    TabSpec("tab_financieel", N_("Financieel"), (
        FieldSpec("vat_number", N_("BTW-nummer"), placeholder=N_("bv. BE 0123.456.749")),
        FieldSpec("vat_rate", N_("BTW-percentage"), "choice", "vat_rate"),
        FieldSpec("certificate_number", N_("Attest nummer"), max_length=40),
        FieldSpec("payment_term_days", N_("Betalingstermijn"), placeholder=N_("dagen (0-365)"), max_length=3),
        FieldSpec("payment_condition", N_("Betalingsvoorwaarde"), "choice", "payment_condition"),
        FieldSpec("discount_scheme", N_("Kortingsschema"), "choice", "discount_scheme"),
        FieldSpec("price_list", N_("Prijslijst"), "choice", "price_list"),
        FieldSpec("internal_account", N_("Interne rekeningnummer"), "choice", "internal_account"),
        FieldSpec("iban", N_("Iban"), placeholder=N_("bv. BE09 7341 2345 6757")),
        FieldSpec("bic", N_("Bic"), max_length=11),
    )),
    TabSpec("tab_opmerkingen", N_("Opmerkingen"), (
        FieldSpec("remarks", N_("Opmerkingen"), "memo"),
        FieldSpec("show_remarks", N_("Opmerking Tonen"), "check"),
        FieldSpec("show_id_card", N_("Toon Identiteitskaart"), "check"),
    )),
)
HISTORY_TAB = TabSpec("tab_historiek", N_("Historiek"), ())
ALL_TABS: tuple[TabSpec, ...] = (*TABS, HISTORY_TAB)

FIELDS: dict[str, FieldSpec] = {spec.name: spec for tab in TABS for spec in tab.fields}
FIELD_TAB: dict[str, str] = {spec.name: tab.pane_id for tab in TABS for spec in tab.fields}
# The town is the second box of "Gemeente"; it lives on the Adres tab right after the postcode.
FIELD_TAB["city"] = "tab_adres"
FIELD_ORDER: list[str] = [name for tab in TABS for spec in tab.fields for name in ([spec.name, "city"] if spec.name == "postcode" else [spec.name])]

LABELS: dict[str, str] = {spec.name: spec.label for spec in FIELDS.values()}
LABELS.update({
    "city": N_("Gemeente"), "postcode": N_("Postcode"), "blocked": N_("Geblokkeerd"), "block_reason": N_("Reden"),
    "block_message": N_("Bericht"), "blocked_until": N_("Geblokkeerd tot"), "blocked_at": N_("Geblokkeerd sinds"),
    "blocked_by": N_("Geblokkeerd door"),
})
