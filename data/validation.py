"""Field rules of the customer form: each bad value gets a Dutch message; nothing is written."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from klantbeheer.data import postcodes, reference
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.i18n import CATALOGUES, _
from klantbeheer.data.yes_no import yes_no

TEXT_LIMITS = {
    "name": 120, "external_ref": 40, "address": 120, "address2": 120, "city": 80, "province": 80,
    "certificate_number": 40, "contact": 120, "remarks": 4000,
}
CHOICE_FIELDS = {
    "language": "language", "customer_type": "customer_type", "legal_form": "legal_form",
    "salutation": "salutation", "payment_condition": "payment_condition",
    "discount_scheme": "discount_scheme", "price_list": "price_list",
    "internal_account": "internal_account",
}
REQUIRED_CHOICES = {"language", "customer_type", "legal_form"}
# C0 and C1 controls, DEL, bidirectional overrides (data/visible.py shows them as placeholders) and lone
# surrogates (they cannot be stored)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass
class Checked:
    """The cleaned values, the per-field errors and the non-blocking warnings of a check."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    def raise_if_invalid(self) -> None:
        """Raise ValidationFailed listing every problem when there is one."""
        if self.errors:
            raise ValidationFailed(self.errors)


def _text(value: Any) -> str:
    """Turn any input into stripped text ('' for None); refuse lone surrogates (undecodable input)."""
    text = "" if value is None else str(value).strip()
    if _SURROGATE.search(text):
        raise ValueError(_("Bevat ongeldige tekens."))
    return text


def check_text(name: str, value: Any, limit: int, required: bool = False) -> str:
    """A text field: no control characters (tabs and newlines allowed in remarks), within its limit."""
    text = _text(value) if name != "remarks" else ("" if value is None else str(value).rstrip())
    if required and not text:
        raise ValueError(_("Verplicht veld."))
    if _CONTROL.search(text) or (name != "remarks" and ("\n" in text or "\t" in text)):
        raise ValueError(_("Bevat ongeldige tekens."))
    if len(text) > limit:
        raise ValueError(_("Maximaal {limit} tekens.").format(limit=limit))
    return text


def check_number(value: Any) -> int | None:
    """Customer number: digits only, 1 to 9 digits; empty means 'assign the next number'."""
    text = _text(value)
    if not text:
        return None
    if not text.isdigit() or not text.isascii() or len(text) > 9 or int(text) == 0:
        raise ValueError(_("Een klantnummer bestaat uit 1 tot 9 cijfers (niet 0)."))
    return int(text)


def check_email(value: Any) -> str:
    """E-mail: syntax only, no network look-up."""
    from email_validator import EmailNotValidError, validate_email  # imported on first use: start-up time

    text = _text(value)
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(_("Geen geldig e-mailadres.")) from None


def check_phone(value: Any) -> str:
    """Phone, fax, GSM: a valid number, Belgian by default, stored as +32..."""
    import phonenumbers  # imported on first use: start-up time

    text = _text(value)
    if not text:
        return ""
    try:
        parsed = phonenumbers.parse(text, "BE")
    except phonenumbers.NumberParseException:
        raise ValueError(_("Geen geldig telefoonnummer.")) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(_("Geen geldig telefoonnummer."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(stored: str) -> str:
    """Show a stored phone number the way people write it (national for Belgium)."""
    if not stored:
        return ""
    import phonenumbers  # imported on first use: start-up time

    try:
        parsed = phonenumbers.parse(stored, "BE")
    except phonenumbers.NumberParseException:
        return stored
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if parsed.country_code == 32 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, fmt)


def check_vat(value: Any) -> str:
    """BTW-nummer: a valid EU VAT number; Belgian accepted without BE, dots and spaces; stored compact."""
    text = _text(value)
    if not text:
        return ""
    from stdnum.eu import vat as eu_vat  # imported on first use: start-up time
    from stdnum.exceptions import ValidationError

    compact = re.sub(r"[\s.\-/]", "", text).upper()
    if compact.isdigit():
        compact = "BE" + (compact if len(compact) == 10 else compact.zfill(10))
    try:
        return eu_vat.validate(compact)
    except ValidationError:
        raise ValueError(_("Geen geldig BTW-nummer (bv. BE0867756456).")) from None


def format_vat(stored: str) -> str:
    """Show a Belgian VAT number as BE 0867.756.456."""
    if stored.startswith("BE") and len(stored) == 12:
        digits = stored[2:]
        return f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return stored


def check_iban(value: Any) -> str:
    """Iban: a valid IBAN, Belgian ones also checked against the bank code; stored compact."""
    from stdnum import iban as std_iban
    from stdnum.exceptions import ValidationError

    text = _text(value)
    if not text:
        return ""
    try:  # validate() also runs the country's own check (stdnum.be.iban for BE: the bank code)
        compact = std_iban.compact(text)
        return _belgian_iban(compact) if compact.startswith("BE") else std_iban.validate(text)
    except ValidationError:
        raise ValueError(_("Geen geldig IBAN-rekeningnummer.")) from None


def _belgian_iban(compact: str) -> str:
    """python-stdnum's checks of a Belgian IBAN (iban.validate plus be.iban.validate), with the bank look-up
    cached per bank code: stdnum's registry walk costs about 0.4 ms per IBAN, which an import of 100,000 rows
    feels. tests/test_import.py compares it with stdnum on valid and damaged numbers."""
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat
    from stdnum.iso7064 import mod_97_10

    if not _BELGIAN_IBAN.fullmatch(compact):  # the registry's structure for BE: 2 check digits, then 12n
        raise InvalidFormat()
    mod_97_10.validate(compact[4:] + compact[:4])
    if compact[-2:] != f"{int(compact[4:-2]) % 97 or 97:02d}":  # the Belgian account's own check
        raise InvalidChecksum()
    if not _bank_known(compact[4:7]):
        raise InvalidComponent()
    return compact


_BELGIAN_IBAN = re.compile(r"BE\d{14}")


@functools.lru_cache(maxsize=1024)
def _bank_known(bank_code: str) -> bool:
    """True when the Belgian bank code is in stdnum's list of banks (one look-up per code)."""
    from stdnum.be import iban as be_iban

    return bool(be_iban.info(f"BE00{bank_code}000000000"))


def format_iban(stored: str) -> str:
    """Show an IBAN in groups of four."""
    if not stored:
        return ""
    from stdnum import iban as std_iban

    return std_iban.format(stored)


def check_bic(value: Any) -> str:
    """Bic: a valid BIC of 8 or 11 characters."""
    from stdnum import bic as std_bic
    from stdnum.exceptions import ValidationError

    text = _text(value)
    if not text:
        return ""
    try:
        return std_bic.validate(text)
    except ValidationError:
        raise ValueError(_("Geen geldige BIC (8 of 11 tekens).")) from None


def bic_for_iban(iban: str) -> str:
    """The BIC of a Belgian IBAN's bank, or '' when unknown or not Belgian."""
    if not iban.startswith("BE"):
        return ""
    from stdnum.be import iban as be_iban

    if not be_iban.is_valid(iban):
        return ""
    return be_iban.to_bic(iban) or ""


@functools.lru_cache(maxsize=1024)
def _bank_bic(bank_code: str) -> str:
    """The BIC of the Belgian bank with this three-digit code, or '' (one look-up per bank, not per IBAN)."""
    from stdnum.be import iban as be_iban

    return be_iban.to_bic(f"BE00{bank_code}000000000") or ""


def check_payment_term(value: Any) -> int | None:
    """Betalingstermijn: whole days from 0 to 365, or empty."""
    text = _text(value)
    if not text:
        return None
    if not text.isdigit() or not text.isascii() or int(text) > 365:
        raise ValueError(_("Een geheel aantal dagen van 0 tot 365."))
    return int(text)


def check_vat_rate(value: Any) -> int:
    """BTW-percentage: a rate of the list (0, 6, 12 or 21 unless the office changed it)."""
    text = _text(value).replace("%", "").strip()
    if text not in reference.all_labels("vat_rate"):
        offered = [label for _code, label in reference.choices("vat_rate")]
        if len(offered) > 1:
            raise ValueError(_("Kies {rates} of {last}.").format(rates=", ".join(offered[:-1]), last=offered[-1]))
        raise ValueError(_("Kies {last}.").format(last="".join(offered)))
    return int(text)


def check_country(value: Any) -> str:
    """Land: an ISO 3166 alpha-2 code, or a country's name in Dutch, French or English (the list's labels)."""
    text = _text(value)
    if not text:
        raise ValueError(_("Verplicht veld."))
    for code, name in reference.countries():
        if text.upper() == code or text.casefold() == name.casefold():
            return code
    found = reference.match_code("country", text)  # Belgique, Belgium: a file from a French or English colleague
    if found:
        return found
    raise ValueError(_("Onbekend land."))


def _check_choice(kind: str, value: Any, required: bool) -> str:
    """A code from a reference list, or its label in any language (inactive entries too, see lists.refuse_inactive).

    Empty only when optional. The operator's label wins when labels of two languages collide.
    """
    text = _text(value)
    if not text:
        if required:
            raise ValueError(_("Verplicht veld."))
        return ""
    codes = reference.all_labels(kind)
    if text in codes:
        return text
    for language in (None, *CATALOGUES):  # the operator's language first, then any (a file from a French colleague)
        for code, label in (codes if language is None else reference.all_labels(kind, language)).items():
            if text.casefold() == label.casefold():
                return code
    raise ValueError(_("Onbekende keuze."))


def _check_bool(value: Any) -> bool:
    """Yes/no fields accept booleans and the words of data/yes_no.py (WAAR, VRAI, TRUE, x, ...)."""
    return yes_no(value)


def _check_repairer(value: Any) -> int | None:
    """Hersteller: an existing repairer id, or empty."""
    from klantbeheer.data.models import Repairer

    text = _text(value)
    if not text:
        return None
    if not (text.isdigit() and text.isascii() and len(text) <= 9) or not Repairer.select().where(Repairer.id == int(text)).exists():
        raise ValueError(_("Onbekende hersteller."))
    return int(text)


SIMPLE_CHECKS: dict[str, Callable[[Any], Any]] = {
    "number": check_number,
    "email": check_email,
    "phone": check_phone,
    "fax": check_phone,
    "mobile": check_phone,
    "vat_number": check_vat,
    "iban": check_iban,
    "bic": check_bic,
    "payment_term_days": check_payment_term,
    "vat_rate": check_vat_rate,
    "country": check_country,
    "show_remarks": _check_bool,
    "show_id_card": _check_bool,
    "repairer": _check_repairer,
}


def check_customer(values: dict[str, Any], taal: str | None = None) -> Checked:
    """Check every given field at once; fill town, province and BIC where the rules say so (`taal`: the stored
    customer's Taal when values give none; it picks Brussels' name for an empty town)."""
    result = Checked()
    for name, value in values.items():
        try:
            if name in TEXT_LIMITS:
                result.values[name] = check_text(name, value, TEXT_LIMITS[name], required=name == "name")
            elif name in CHOICE_FIELDS:
                result.values[name] = _check_choice(CHOICE_FIELDS[name], value, name in REQUIRED_CHOICES)
            elif name in SIMPLE_CHECKS:
                result.values[name] = SIMPLE_CHECKS[name](value)
            elif name == "postcode":
                result.values[name] = check_text(name, value, 20)
        except ValueError as problem:
            result.errors[name] = str(problem)
    _check_address(result, values.get("language") or taal)
    _check_bank(result)
    return result


# A refused town's message names at most this many towns of the postcode.
TOWNS_SHOWN = 6


def _check_address(result: Checked, taal: str | None = None) -> None:
    """Belgian postcodes must exist; they fill in the town (when empty: the official name, in Brussels the one of
    the customer's Taal) and the province. A town that is the name of another postcode's municipality or
    sub-municipality is refused; other text is free. A province that names the postcode's in any language
    (Luik, Liège, Lüttich) is kept as written; any other text becomes its name in the operator's language."""
    values = result.values
    if "postcode" not in values or values.get("country", "BE") != "BE" or "country" in result.errors:
        return
    code = values["postcode"]
    if not code:
        return
    towns = postcodes.towns(code, taal)
    if not towns:
        result.errors["postcode"] = _("Onbekende Belgische postcode.")
        return
    if not values.get("city"):
        values["city"] = towns[0]
    elif "city" not in result.errors and not postcodes.town_fits(code, values["city"]):
        shown = ", ".join(towns[:TOWNS_SHOWN]) + (", …" if len(towns) > TOWNS_SHOWN else "")
        result.errors["city"] = _("Deze gemeente hoort niet bij postcode {postcode} ({towns}).").format(
            postcode=code, towns=shown)
    values["province"] = postcodes.province_named(code, values.get("province") or "") or postcodes.province(code)


def _check_bank(result: Checked) -> None:
    """A Belgian IBAN fills in an empty BIC; a different BIC is only a warning."""
    values = result.values
    iban = values.get("iban", "")
    if not iban or "bic" in result.errors:
        return
    expected = _bank_bic(iban[4:7]) if iban.startswith("BE") else ""  # check_iban validated it
    if not expected:
        return
    if not values.get("bic"):
        values["bic"] = expected
    elif values["bic"][:8] != expected[:8]:
        result.warnings["bic"] = _("De BIC past niet bij het IBAN (verwacht {expected}).").format(expected=expected)


PLATE_PATTERNS = [
    (re.compile(r"^([1-9])([A-Z]{3})(\d{3})$"), "{0}-{1}-{2}"),
    (re.compile(r"^([A-Z]{3})(\d{3})$"), "{0}-{1}"),
    (re.compile(r"^(\d{3})([A-Z]{3})$"), "{0}-{1}"),
]


def check_licence_plate(value: Any) -> str:
    """Nummerplaat: Belgian plates normalised (1-ABC-123); other plates kept, upper case."""
    text = _text(value).upper()
    if not text:
        return ""
    compact = re.sub(r"[\s.\-]", "", text)
    for pattern, template in PLATE_PATTERNS:
        match = pattern.match(compact)
        if match:
            return template.format(*match.groups())
    if not re.fullmatch(r"[A-Z0-9]{2,12}", compact):
        raise ValueError(_("Geen geldige nummerplaat."))
    return compact
