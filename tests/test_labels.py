"""Issue 20: the glossary's labels live in one place (data/labels.py); French and English come from the catalogues.

The expected values are copied from ../shared/GLOSSARY.md (tables "Customer", "Blocking" and "Labels in French (fr_BE)
and English"), which is outside the repository: a clean clone has no copy. When the file is there, a test checks
that this copy still says what the glossary says.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from klantbeheer.data.i18n import CATALOGUES, in_language, set_language
from klantbeheer.data.labels import BLOCKING, CUSTOMER, FIELD_LABELS, LABELS
from klantbeheer.data.transfer import exporter
from klantbeheer.data.transfer.import_columns import LABELS as COLUMN_LABELS
from klantbeheer.data.transfer.import_columns import VARIANTS, header_key, in_every_language, match_columns
from klantbeheer.tui.screens.form.fields import FIELDS
from klantbeheer.tui.widgets.results_table import COLUMNS

GLOSSARY = Path(__file__).resolve().parents[2] / "shared" / "GLOSSARY.md"
# Copied from ../shared/GLOSSARY.md: code name -> (Dutch label, French (BE), English). None: the glossary gives no
# French or English label (tests/test_catalogues.py checks that every label has a translation).
EXPECTED: dict[str, tuple[str, str | None, str | None]] = {
    "name": ("Naam", "Nom", "Name"),
    "number": ("Nummer", "Numéro", "Number"),
    "external_ref": ("Externe Ref.", "Réf. externe", "External ref."),
    "email": ("E-mail", "E-mail", "Email"),
    "language": ("Taal", "Langue", "Language"),
    "repairer": ("Hersteller", "Réparateur", "Repairer"),
    "address": ("Adres", "Adresse", "Address"),
    "address2": ("Adres 2", "Adresse 2", "Address 2"),
    "postcode": ("Gemeente", "Commune", "Municipality"),
    "city": ("Gemeente", "Commune", "Municipality"),
    "province": ("Provincie", "Province", "Province"),
    "country": ("Land", "Pays", "Country"),
    "certificate_number": ("Attest nummer", "N° d'attestation", "Certificate no."),
    "vat_number": ("BTW-nummer", "N° TVA", "VAT number"),
    "vat_rate": ("BTW-percentage", "Taux de TVA", "VAT rate"),
    "payment_term_days": ("Betalingstermijn", "Délai de paiement", "Payment term"),
    "payment_condition": ("Betalingsvoorwaarde", "Conditions de paiement", "Payment terms"),
    "discount_scheme": ("Kortingsschema", "Schéma de remise", "Discount scheme"),
    "price_list": ("Prijslijst", "Liste de prix", "Price list"),
    "internal_account": ("Interne rekeningnummer", "Compte interne", "Internal account"),
    "phone": ("Tel", "Tél.", "Phone"),
    "fax": ("Fax", "Fax", "Fax"),
    "mobile": ("GSM", "GSM", "Mobile"),
    "customer_type": ("Type Klant", "Type de client", "Customer type"),
    "legal_form": ("Rechtspersoonlijkheid", "Personnalité juridique", "Legal form"),
    "salutation": ("Aanspreking", "Civilité", "Salutation"),
    "contact": ("Contact", "Contact", "Contact"),
    "remarks": ("Opmerkingen", "Remarques", "Remarks"),
    "show_remarks": ("Opmerking Tonen", "Afficher la remarque", "Show remarks"),
    "show_id_card": ("Toon Identiteitskaart", "Afficher la carte d'identité", "Show ID card"),
    "blocked": ("Geblokkeerd", "Bloqué", "Blocked"),
    "iban": ("Iban", None, None),
    "bic": ("Bic", None, None),
    "block_reason": ("Reden", None, None),
    "block_message": ("Bericht", None, None),
    "blocked_at": ("Geblokkeerd sinds", None, None),
    "blocked_by": ("Geblokkeerd door", None, None),
    "blocked_until": ("Geblokkeerd tot", None, None),
}
LANGUAGES = {"fr": 1, "en": 2}
# The glossary writes "Iban" and "Bic"; the app shows them as the standards (ISO 13616, ISO 9362) and every bank
# write them: IBAN, BIC (issue 29, point 8). Only the capitals differ; an import still reads "Iban" (headers casefold).
SHOWN_AS = {"iban": "IBAN", "bic": "BIC"}
SHOWN = {code: SHOWN_AS.get(code, nl) for code, (nl, _fr, _en) in EXPECTED.items()}


def glossary_tables(text: str) -> dict[str, list[list[str]]]:
    """Each '## Heading' of GLOSSARY.md with the rows of its table (cells stripped, header and rule left out)."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            tables.setdefault(heading, []).append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return {name: rows[1:] for name, rows in tables.items()}


def glossary_labels(text: str) -> dict[str, tuple[str, str | None, str | None]]:
    """code name -> (Dutch, French, English) as GLOSSARY.md gives them."""
    tables = glossary_tables(text)
    dutch: dict[str, str] = {}
    for code, label, *_rest in tables["Customer (klant / eigenaar)"] + tables["Blocking (Geblokkeerd)"]:
        label = re.sub(r" \((first|second) box\)$", "", label)
        if " / " in code:  # "blocked_at / blocked_by" | "Geblokkeerd sinds / door"
            first, second = label.split(" / ")
            for name, text_ in zip(code.split(" / "), (first, first.rsplit(" ", 1)[0] + " " + second)):
                dutch.setdefault(name, text_)
        else:
            dutch.setdefault(code, label)
    other: dict[str, tuple[str, str]] = {}
    for nl, fr, en in tables["Labels in French (fr_BE) and English"]:
        words = [re.split(r"\s?:\s", cell)[0].split(" / ") for cell in (nl, fr, en)]
        if len({len(part) for part in words}) == 1:
            for triple in zip(*words):
                other.setdefault(triple[0], (triple[1], triple[2]))
    return {code: (label, *other.get(label, (None, None))) for code, label in dutch.items()}


def test_the_table_holds_every_glossary_field_under_its_dutch_label() -> None:
    assert {**CUSTOMER, **BLOCKING} == SHOWN
    assert all(SHOWN[code].casefold() == EXPECTED[code][0].casefold() for code in SHOWN_AS)
    assert LABELS == {**CUSTOMER, **BLOCKING}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_catalogues_give_the_glossarys_french_and_english_labels(language: str) -> None:
    column = LANGUAGES[language]
    translated = {code: in_language(LABELS[code], language) for code, row in EXPECTED.items() if row[column] is not None}
    assert translated == {code: row[column] for code, row in EXPECTED.items() if row[column] is not None}


@pytest.mark.skipif(not GLOSSARY.exists(), reason="../shared/GLOSSARY.md is outside the repository (clean clone)")
def test_the_copy_in_this_test_is_what_glossary_md_says() -> None:
    assert glossary_labels(GLOSSARY.read_text(encoding="utf-8")) == EXPECTED


def test_form_results_table_and_import_export_read_the_table() -> None:
    assert {name: spec.label for name, spec in FIELDS.items()} == {name: LABELS[name] for name in FIELDS}
    assert [label for _key, label, _width in COLUMNS] == [LABELS[name] for name in
                                                          ("number", "name", "city", "vat_number", "external_ref", "blocked")]
    assert COLUMN_LABELS == {name: FIELD_LABELS[name] for name in COLUMN_LABELS}
    assert FIELD_LABELS["postcode"] == "Postcode" and FIELD_LABELS["city"] == "Gemeente"  # a file has a column per box


@pytest.mark.parametrize("language", list(CATALOGUES))
def test_export_headers_are_in_the_operators_language(language: str) -> None:
    try:
        set_language(language)
        headers = [exporter.header_label(name) for name in exporter.EXPORT_FIELDS]
    finally:
        set_language("nl")
    assert headers == [in_language(FIELD_LABELS[name], language) for name in exporter.EXPORT_FIELDS]
    assert headers[:3] == {"nl": ["Nummer", "Naam", "Externe Ref."], "fr": ["Numéro", "Nom", "Réf. externe"],
                           "en": ["Number", "Name", "External ref."]}[language]


@pytest.mark.parametrize("language", list(CATALOGUES))
def test_an_import_reads_the_headers_of_every_language(language: str) -> None:
    header = [in_language(label, language) for label in COLUMN_LABELS.values()]
    assert match_columns(header).fields == dict(enumerate(COLUMN_LABELS))


def test_no_two_fields_share_a_header_in_any_language() -> None:
    """Code names, labels in nl, fr and en, and the variants: each header names one field ('BTW %' is not 'BTW')."""
    owners: dict[str, set[str]] = {}
    for name, label in FIELD_LABELS.items():
        for text in (name, *in_every_language(label), *VARIANTS.get(name, [])):
            owners.setdefault(header_key(text), set()).add(name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}
    assert match_columns(["Naam", "BTW", "BTW %"]).fields == {0: "name", 1: "vat_number", 2: "vat_rate"}
