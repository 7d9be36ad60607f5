"""Which column of an import file is which glossary field: code names, Dutch labels, variants, a mapping file."""
from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from data.errors import BadInput
from data.i18n import N_, _

# Every field an import reads or an export writes, in the form's order, under its Dutch label.
LABELS: dict[str, str] = {
    "number": N_("Nummer"), "name": N_("Naam"), "external_ref": N_("Externe Ref."), "email": N_("E-mail"), "language": N_("Taal"),
    "repairer": N_("Hersteller"), "address": N_("Adres"), "address2": N_("Adres 2"), "postcode": N_("Postcode"), "city": N_("Gemeente"),
    "province": N_("Provincie"), "country": N_("Land"), "certificate_number": N_("Attest nummer"), "vat_number": N_("BTW-nummer"),
    "vat_rate": N_("BTW-percentage"), "payment_term_days": N_("Betalingstermijn"), "payment_condition": N_("Betalingsvoorwaarde"),
    "discount_scheme": N_("Kortingsschema"), "price_list": N_("Prijslijst"), "internal_account": N_("Interne rekeningnummer"),
    "phone": N_("Tel"), "fax": N_("Fax"), "mobile": N_("GSM"), "customer_type": N_("Type Klant"), "legal_form": N_("Rechtspersoonlijkheid"),
    "salutation": N_("Aanspreking"), "contact": N_("Contact"), "remarks": N_("Opmerkingen"), "show_remarks": N_("Opmerking Tonen"),
    "show_id_card": N_("Toon Identiteitskaart"), "iban": N_("Iban"), "bic": N_("Bic"), "blocked": N_("Geblokkeerd"),
    "block_reason": N_("Reden"), "block_message": N_("Bericht"), "blocked_until": N_("Geblokkeerd tot"),
}
# Written by an export for information; an import recognises and ignores them (set automatically).
INFO_LABELS: dict[str, str] = {"blocked_at": N_("Geblokkeerd sinds"), "blocked_by": N_("Geblokkeerd door")}
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
            lines.append(_("Onbekende kolommen (niet ingelezen): {columns}.").format(columns=", ".join(self.unknown)))
        if self.ignored:
            lines.append(_("Kolommen die automatisch ingevuld worden (genegeerd): {columns}.").format(
                columns=", ".join(self.ignored)))
        return lines


def read_mapping(path: str | Path) -> dict[str, str]:
    """A mapping file (TOML): `[kolommen]` with "Header in the file" = "code name or Dutch label"."""
    target = Path(path).expanduser()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(_("Mappingbestand niet gevonden: {path}.").format(path=target)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise BadInput(_("Het mappingbestand {name} is geen geldige TOML: {problem}.").format(
            name=target.name, problem=problem)) from None
    table = data.get("kolommen", data)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise BadInput(_("Het mappingbestand {name} moet een tabel [kolommen] met \"kolom\" = \"veld\" bevatten.").format(
            name=target.name))
    known = _known()
    mapping: dict[str, str] = {}
    for header, wanted in table.items():
        name = known.get(header_key(wanted))
        if name is None:
            raise BadInput(_("Mappingbestand: onbekend veld {field} voor kolom {column} (gebruik een veldnaam zoals "
                             "{examples}, ... of een Nederlands label).").format(
                field=repr(wanted), column=repr(header), examples=", ".join(list(LABELS)[:4])))
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
            raise BadInput(_("De kolommen {first} en {second} zijn allebei {field}; los dat op in het bestand of met een "
                             "mappingbestand (--mapping).").format(
                first=repr(claimed[name]), second=repr(text), field=repr(LABELS[name])))
        claimed[name] = text
        result.fields[index] = name
    if "name" not in claimed:
        raise BadInput(_("Geen kolom voor de naam gevonden (Naam); de kolommen zijn: {columns}. Gebruik eventueel "
                         "--mapping.").format(columns=", ".join(h for h in header if h.strip())))
    return result
