"""Field definitions of the customer form: code name, glossary label, widget kind and tab."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from klantbeheer.data.i18n import N_
from klantbeheer.data.labels import FIELD_LABELS
from klantbeheer.data.labels import LABELS as GLOSSARY

Kind = Literal["text", "choice", "check", "memo", "postcode"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of the form: its code name (= widget id), Dutch label (msgid, from data/labels.py), widget kind, choice list."""

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
        FieldSpec("name", GLOSSARY["name"], max_length=120),
        FieldSpec("number", GLOSSARY["number"], placeholder=N_("volgend nummer"), max_length=9),
        FieldSpec("external_ref", GLOSSARY["external_ref"], max_length=40),
        FieldSpec("customer_type", GLOSSARY["customer_type"], "choice", "customer_type"),
        FieldSpec("legal_form", GLOSSARY["legal_form"], "choice", "legal_form"),
        FieldSpec("salutation", GLOSSARY["salutation"], "choice", "salutation"),
        FieldSpec("contact", GLOSSARY["contact"], max_length=120),
        FieldSpec("language", GLOSSARY["language"], "choice", "language"),
        FieldSpec("repairer", GLOSSARY["repairer"], "choice", "repairer"),
    )),
    TabSpec("tab_adres", N_("Adres"), (
        FieldSpec("address", GLOSSARY["address"], max_length=120),
        FieldSpec("address2", GLOSSARY["address2"], max_length=120),
        FieldSpec("postcode", GLOSSARY["postcode"], "postcode", placeholder=N_("postcode"), max_length=20),
        FieldSpec("province", GLOSSARY["province"], max_length=80),
        FieldSpec("country", GLOSSARY["country"], "choice", "country"),
    )),
    TabSpec("tab_communicatie", N_("Communicatie"), (
        FieldSpec("phone", GLOSSARY["phone"], placeholder=N_("bv. 051 20 20 20")),
        FieldSpec("fax", GLOSSARY["fax"]),
        FieldSpec("mobile", GLOSSARY["mobile"], placeholder=N_("bv. 0478 12 34 56")),
        FieldSpec("email", GLOSSARY["email"], max_length=254),
    )),
    TabSpec("tab_financieel", N_("Financieel"), (
        FieldSpec("vat_number", GLOSSARY["vat_number"], placeholder=N_("bv. BE 0123.456.749")),
        FieldSpec("vat_rate", GLOSSARY["vat_rate"], "choice", "vat_rate"),
        FieldSpec("certificate_number", GLOSSARY["certificate_number"], max_length=40),
        FieldSpec("payment_term_days", GLOSSARY["payment_term_days"], placeholder=N_("dagen (0-365)"), max_length=3),
        FieldSpec("payment_condition", GLOSSARY["payment_condition"], "choice", "payment_condition"),
        FieldSpec("discount_scheme", GLOSSARY["discount_scheme"], "choice", "discount_scheme"),
        FieldSpec("price_list", GLOSSARY["price_list"], "choice", "price_list"),
        FieldSpec("internal_account", GLOSSARY["internal_account"], "choice", "internal_account"),
        FieldSpec("iban", GLOSSARY["iban"], placeholder=N_("bv. BE09 7341 2345 6757")),
        FieldSpec("bic", GLOSSARY["bic"], max_length=11),
    )),
    TabSpec("tab_opmerkingen", N_("Opmerkingen"), (
        FieldSpec("remarks", GLOSSARY["remarks"], "memo"),
        FieldSpec("show_remarks", GLOSSARY["show_remarks"], "check"),
        FieldSpec("show_id_card", GLOSSARY["show_id_card"], "check"),
    )),
)
HISTORY_TAB = TabSpec("tab_historiek", N_("Historiek"), ())
DOSSIERS_TAB = TabSpec("tab_dossiers", N_("Dossiers"), ())  # last: Alt+1..6 keep the tabs they always had
ALL_TABS: tuple[TabSpec, ...] = (*TABS, HISTORY_TAB, DOSSIERS_TAB)

FIELDS: dict[str, FieldSpec] = {spec.name: spec for tab in TABS for spec in tab.fields}
FIELD_TAB: dict[str, str] = {spec.name: tab.pane_id for tab in TABS for spec in tab.fields}
# The town is the second box of "Gemeente"; it lives on the Adres tab right after the postcode.
FIELD_TAB["city"] = "tab_adres"
FIELD_ORDER: list[str] = [name for tab in TABS for spec in tab.fields for name in ([spec.name, "city"] if spec.name == "postcode" else [spec.name])]

# A field named on its own (an error, a history line): the postcode box is "Postcode", the town "Gemeente".
LABELS: dict[str, str] = FIELD_LABELS
