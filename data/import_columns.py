"""Which column of an import file is which glossary field: code names, Dutch labels, variants, a mapping file."""
from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from data.errors import BadInput

# Every field an import reads or an export writes, in the form's order, under its Dutch label.
LABELS: dict[str, str] = {
    "number": "Nummer", "name": "Naam", "external_ref": "Externe Ref.", "email": "E-mail", "language": "Taal",
    "repairer": "Hersteller", "address": "Adres", "address2": "Adres 2", "postcode": "Postcode", "city": "Gemeente",
    "province": "Provincie", "country": "Land", "certificate_number": "Attest nummer", "vat_number": "BTW-nummer",
    "vat_rate": "BTW-percentage", "payment_term_days": "Betalingstermijn", "payment_condition": "Betalingsvoorwaarde",
    "discount_scheme": "Kortingsschema", "price_list": "Prijslijst", "internal_account": "Interne rekeningnummer",
    "phone": "Tel", "fax": "Fax", "mobile": "GSM", "customer_type": "Type Klant", "legal_form": "Rechtspersoonlijkheid",
    "salutation": "Aanspreking", "contact": "Contact", "remarks": "Opmerkingen", "show_remarks": "Opmerking Tonen",
    "show_id_card": "Toon Identiteitskaart", "iban": "Iban", "bic": "Bic", "blocked": "Geblokkeerd",
    "block_reason": "Reden", "block_message": "Bericht", "blocked_until": "Geblokkeerd tot",
}
# Written by an export for information; an import recognises and ignores them (set automatically).
INFO_LABELS: dict[str, str] = {"blocked_at": "Geblokkeerd sinds", "blocked_by": "Geblokkeerd door"}
# Written into the error report; an import of a corrected report ignores them.
REPORT_COLUMNS = ["Regel", "Fouten"]
VARIANTS: dict[str, list[str]] = {
    "number": ["Klantnummer", "Klantnr", "Klant nr", "Nr", "Nr.", "Numéro", "Number"],
    "name": ["Naam klant", "Klantnaam", "Bedrijfsnaam", "Firmanaam", "Nom", "Name"],
    "external_ref": ["Externe ref", "Externe referentie", "Ext ref", "Referentie", "Réf. externe", "External ref"],
    "email": ["E-mail adres", "Emailadres", "Email", "Mail", "E-mailadres", "Courriel"],
    "language": ["Langue", "Language"],
    "repairer": ["Réparateur"],
    "address": ["Straat", "Straat en nummer", "Adresse", "Address"],
    "address2": ["Adres2", "Adresse 2"],
    "postcode": ["Postnummer", "Post code", "Code postal", "PC"],
    "city": ["Woonplaats", "Plaats", "Stad", "Commune", "Localité", "City", "Town"],
    "province": ["Province"],
    "country": ["Pays", "Country", "Landcode"],
    "certificate_number": ["Attestnummer", "Attest nr"],
    "vat_number": ["Btw nr", "BTW nr.", "BTW", "Btw-nr", "Btwnummer", "Ondernemingsnummer", "N° TVA", "TVA", "VAT"],
    "vat_rate": ["BTW %", "Btw-tarief", "BTW tarief", "Taux de TVA"],
    "payment_term_days": ["Betalingstermijn (dagen)", "Termijn"],
    "payment_condition": ["Betalingsvoorwaarden"],
    "phone": ["Telefoon", "Tel.", "Telefoonnummer", "Téléphone", "Phone"],
    "mobile": ["Gsm-nummer", "Mobiel", "Mobile", "Portable"],
    "customer_type": ["Type", "Klanttype", "Soort klant"],
    "legal_form": ["Rechtsvorm"],
    "salutation": ["Titel", "Civilité"],
    "contact": ["Contactpersoon"],
    "remarks": ["Opmerking", "Notities", "Remarques"],
    "iban": ["Rekeningnummer", "Bankrekening", "Rekening", "IBAN-nummer"],
    "bic": ["BIC-code"],
    "blocked": ["Blokkering", "Bloqué"],
    "block_reason": ["Blokkeringsreden", "Reden blokkering"],
    "block_message": ["Blokkeringsbericht", "Bericht blokkering"],
    "blocked_until": ["Geblokkeerd tot en met", "Einddatum blokkering"],
}


def header_key(text: str) -> str:
    """A header compared case-, accent-, space- and punctuation-insensitively ('E-mail adres' -> 'emailadres')."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "".join(ch for ch in plain if ch.isalnum())


def _known() -> dict[str, str | None]:
    """Header key -> code name (None: recognised but ignored)."""
    known: dict[str, str | None] = {}
    for name, label in LABELS.items():
        for text in (name, label, *VARIANTS.get(name, [])):
            known.setdefault(header_key(text), name)
    for text in (*INFO_LABELS, *INFO_LABELS.values(), *REPORT_COLUMNS):
        known.setdefault(header_key(text), None)
    return known


@dataclass
class ColumnMap:
    """Column index -> code name for the columns used; the unknown and the ignored headers."""

    fields: dict[int, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        """Dutch lines: which columns became which field, which were not used."""
        lines = []
        if self.unknown:
            lines.append("Onbekende kolommen (niet ingelezen): " + ", ".join(self.unknown) + ".")
        if self.ignored:
            lines.append("Kolommen die automatisch ingevuld worden (genegeerd): " + ", ".join(self.ignored) + ".")
        return lines


def read_mapping(path: str | Path) -> dict[str, str]:
    """A mapping file (TOML): `[kolommen]` with "Header in the file" = "code name or Dutch label"."""
    target = Path(path).expanduser()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"Mappingbestand niet gevonden: {target}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise BadInput(f"Het mappingbestand {target.name} is geen geldige TOML: {problem}.") from None
    table = data.get("kolommen", data)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise BadInput(f"Het mappingbestand {target.name} moet een tabel [kolommen] met \"kolom\" = \"veld\" bevatten.")
    known = _known()
    mapping: dict[str, str] = {}
    for header, wanted in table.items():
        name = known.get(header_key(wanted))
        if name is None:
            raise BadInput(f"Mappingbestand: onbekend veld {wanted!r} voor kolom {header!r} "
                           f"(gebruik een veldnaam zoals {', '.join(list(LABELS)[:4])}, ... of een Nederlands label).")
        mapping[header_key(header)] = name
    return mapping


def match_columns(header: list[str], mapping: dict[str, str] | None = None) -> ColumnMap:
    """Match every header; BadInput when two columns claim one field or no column is the name."""
    known = _known()
    result = ColumnMap()
    claimed: dict[str, str] = {}
    for index, text in enumerate(header):
        key = header_key(text)
        if not key:
            if text.strip():
                result.unknown.append(text)
            continue
        if mapping and key in mapping:
            name: str | None = mapping[key]
        elif key in known:
            name = known[key]
        else:
            result.unknown.append(text)
            continue
        if name is None:
            result.ignored.append(text)
            continue
        if name in claimed:
            raise BadInput(f"De kolommen {claimed[name]!r} en {text!r} zijn allebei {LABELS[name]!r}; "
                           "los dat op in het bestand of met een mappingbestand (--mapping).")
        claimed[name] = text
        result.fields[index] = name
    if "name" not in claimed:
        raise BadInput("Geen kolom voor de naam gevonden (Naam); de kolommen zijn: "
                       + ", ".join(h for h in header if h.strip()) + ". Gebruik eventueel --mapping.")
    return result
