"""The glossary's field labels in one place (../shared/GLOSSARY.md): code name -> Dutch label, a gettext msgid.

French and English come from the catalogues (data/locale), whose entries for these labels are the glossary's
"Labels in French (fr_BE) and English"; tests/test_labels.py checks both. Show a label with `_(LABELS[name])`.
The form, the results table, the command line and import/export all read their labels from here.
"""
from __future__ import annotations

from klantbeheer.data.i18n import N_

# Customer (klant / eigenaar), in the glossary's order. "Gemeente" is one label over two boxes: postcode and town.
CUSTOMER: dict[str, str] = {
    "name": N_("Naam"), "number": N_("Nummer"), "external_ref": N_("Externe Ref."), "email": N_("E-mail"),
    "language": N_("Taal"), "repairer": N_("Hersteller"), "address": N_("Adres"), "address2": N_("Adres 2"),
    "postcode": N_("Gemeente"), "city": N_("Gemeente"), "province": N_("Provincie"), "country": N_("Land"),
    "certificate_number": N_("Attest nummer"), "vat_number": N_("BTW-nummer"), "vat_rate": N_("BTW-percentage"),
    "payment_term_days": N_("Betalingstermijn"), "payment_condition": N_("Betalingsvoorwaarde"),
    "discount_scheme": N_("Kortingsschema"), "price_list": N_("Prijslijst"), "internal_account": N_("Interne rekeningnummer"),
    "phone": N_("Tel"), "fax": N_("Fax"), "mobile": N_("GSM"), "customer_type": N_("Type Klant"),
    "legal_form": N_("Rechtspersoonlijkheid"), "salutation": N_("Aanspreking"), "contact": N_("Contact"),
    "remarks": N_("Opmerkingen"), "show_remarks": N_("Opmerking Tonen"), "show_id_card": N_("Toon Identiteitskaart"),
    "blocked": N_("Geblokkeerd"), "iban": N_("IBAN"), "bic": N_("BIC"),
}
# Blocking (Geblokkeerd), after `blocked` itself; the glossary's "Geblokkeerd sinds / door" is two fields.
BLOCKING: dict[str, str] = {
    "block_reason": N_("Reden"), "block_message": N_("Bericht"), "blocked_at": N_("Geblokkeerd sinds"),
    "blocked_by": N_("Geblokkeerd door"), "blocked_until": N_("Geblokkeerd tot"),
}
# Dossier fields that are named in messages (their code names overlap the customer's, so a table of their own).
DOSSIER: dict[str, str] = {
    "customer": N_("Eigenaar"), "description": N_("Omschrijving"), "reference": N_("Referentie"),
    "licence_plate": N_("Nummerplaat"),
}
# A dossier's status as shown (the stored value is the code): data/dossiers.py STATUS_LABELS.
DOSSIER_STATUS: dict[str, str] = {"open": N_("open"), "closed": N_("gesloten")}
# Every customer field under its glossary label: the form's labels and the command line's lines.
LABELS: dict[str, str] = {**CUSTOMER, **BLOCKING}
# One label per stored field, where a field must be named on its own: a column of an import or export file, an
# error or history line. The first box of "Gemeente" is then "Postcode"; the second, the town, keeps "Gemeente".
FIELD_LABELS: dict[str, str] = {**LABELS, "postcode": N_("Postcode")}
