"""Which column of an import file is which glossary field: code names, labels (nl, fr, en), variants, a mapping file."""
from __future__ import annotations

import functools
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import CATALOGUES, _, in_language
from klantbeheer.data.labels import FIELD_LABELS

# Every field an import reads or an export writes, in the export's column order (labels: data/labels.py).
IMPORTED: list[str] = [
    "number", "name", "external_ref", "email", "language", "repairer", "address", "address2", "postcode", "city",
    "province", "country", "certificate_number", "vat_number", "vat_rate", "payment_term_days", "payment_condition",
    "discount_scheme", "price_list", "internal_account", "phone", "fax", "mobile", "customer_type", "legal_form",
    "salutation", "contact", "remarks", "show_remarks", "show_id_card", "iban", "bic", "blocked", "block_reason",
    "block_message", "blocked_until",
]
# A column per field (FIELD_LABELS): the form's one "Gemeente" label is two columns in a file, Postcode and Gemeente
# (the town), as every office's spreadsheet has them.
LABELS: dict[str, str] = {name: FIELD_LABELS[name] for name in IMPORTED}
# Written by an export for information; an import recognises and ignores them (set automatically).
INFO_LABELS: dict[str, str] = {name: FIELD_LABELS[name] for name in ("blocked_at", "blocked_by")}
# Written into the error report; an import of a corrected report ignores them.
REPORT_COLUMNS = ["Regel", "Fouten"]
# Other names offices give these columns (the labels in nl, fr and en are known from the catalogues).
VARIANTS: dict[str, list[str]] = {
    "number": ["Klantnummer", "Klantnr", "Klant nr", "Nr", "Nr."],
    "name": ["Naam klant", "Klantnaam", "Bedrijfsnaam", "Firmanaam"],
    "external_ref": ["Externe ref", "Externe referentie", "Ext ref", "Referentie"],
    "email": ["E-mail adres", "Emailadres", "Email", "Mail", "E-mailadres", "Courriel"],
    "address": ["Straat", "Straat en nummer"],
    "address2": ["Adres2"],
    "postcode": ["Postnummer", "Post code", "PC"],
    "city": ["Woonplaats", "Plaats", "Stad", "Localité", "City", "Town"],
    "country": ["Landcode"],
    "certificate_number": ["Attestnummer", "Attest nr"],
    "vat_number": ["Btw nr", "BTW nr.", "BTW", "Btw-nr", "Btwnummer", "Ondernemingsnummer", "TVA", "VAT"],
    "vat_rate": ["BTW %", "Btw-tarief", "BTW tarief"],
    "payment_term_days": ["Betalingstermijn (dagen)", "Termijn"],
    "payment_condition": ["Betalingsvoorwaarden"],
    "phone": ["Telefoon", "Tel.", "Telefoonnummer", "Téléphone"],
    "mobile": ["Gsm-nummer", "Mobiel", "Portable"],
    "customer_type": ["Type", "Klanttype", "Soort klant"],
    "legal_form": ["Rechtsvorm"],
    "salutation": ["Titel"],
    "contact": ["Contactpersoon"],
    "remarks": ["Opmerking", "Notities"],
    "iban": ["Rekeningnummer", "Bankrekening", "Rekening", "IBAN-nummer"],
    "bic": ["BIC-code"],
    "blocked": ["Blokkering"],
    "block_reason": ["Blokkeringsreden", "Reden blokkering"],
    "block_message": ["Blokkeringsbericht", "Bericht blokkering"],
    "blocked_until": ["Geblokkeerd tot en met", "Einddatum blokkering"],
}


def header_key(text: str) -> str:
    """A header compared case-, accent-, space- and punctuation-insensitively ('E-mail adres' -> 'emailadres').

    A percent sign counts: 'BTW %' is the rate, 'BTW' the number.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "".join(ch for ch in plain if ch.isalnum() or ch == "%")


def in_every_language(label: str) -> list[str]:
    """A label (msgid) as Dutch, French and English write it: a file from an operator of any language is read."""
    return [in_language(label, code) for code in CATALOGUES]


@functools.cache
def _known() -> dict[str, str | None]:
    """Header key -> code name (None: recognised but ignored)."""
    known: dict[str, str | None] = {}
    for name, label in LABELS.items():
        for text in (name, *in_every_language(label), *VARIANTS.get(name, [])):
            known.setdefault(header_key(text), name)
    for text in (*INFO_LABELS, *(t for label in INFO_LABELS.values() for t in in_every_language(label)), *REPORT_COLUMNS):
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
    """A mapping file (TOML): `[kolommen]` with "Header in the file" = "code name or label" (nl, fr or en)."""
    from klantbeheer.data.transfer import import_limits as limits

    target = Path(path).expanduser()
    limits.regular_file(target, limits.MAPPING_LIMIT, _("Mappingbestand niet gevonden: {path}."))
    try:
        with target.open("rb") as handle:
            data = tomllib.loads(handle.read(limits.MAPPING_LIMIT + 1).decode("utf-8"))
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
                             "{examples}, ... of een label).").format(
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
                first=repr(claimed[name]), second=repr(text), field=repr(_(LABELS[name]))))
        claimed[name] = text
        result.fields[index] = name
    if "name" not in claimed:
        raise BadInput(_("Geen kolom voor de naam gevonden (Naam); de kolommen zijn: {columns}. Gebruik eventueel "
                         "--mapping.").format(columns=", ".join(h for h in header if h.strip())))
    return result
