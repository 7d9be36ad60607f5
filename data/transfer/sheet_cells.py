"""Fields that are text by nature but arrive as a spreadsheet's number or date: kept as text, with a warning.

A spreadsheet that opens a CSV with default settings, or a sheet typed by hand, turns `000123` into 123,
a 17-digit reference into 12345678901234600 (it keeps 15 significant digits), `1/2` into a date and the
French postcode 01000 into 1000. The import stores what arrives as text (a whole number without `.0`,
a date as dd/mm/yyyy) and names, per row, the fields where the spreadsheet may have changed the value.
"""
from __future__ import annotations

import re
from typing import Any

from klantbeheer.data.i18n import N_, _

TEXT_FIELDS = ("external_ref", "certificate_number", "address", "address2", "postcode", "phone", "fax", "mobile",
               "internal_account")
"""Fields whose value is text by nature, however much it looks like a number or a date."""

SPREADSHEET_DIGITS = 15
"""The significant digits a spreadsheet keeps of a number (Excel and LibreOffice Calc both)."""

POSTCODE_DIGITS = {"FR": 5, "DE": 5, "ES": 5, "IT": 5, "US": 5, "LU": 4, "CH": 4, "AT": 4, "DK": 4}
"""Countries whose postcodes are all digits, and how many: a shorter one lost its leading zeros."""

NUMBER = "number"
DATE = "date"

_SCIENTIFIC = re.compile(r"^\s*-?\d(?:[.,]\d+)?E\+?\d+\s*$", re.IGNORECASE)

TEXT = {
    "digits": N_("kwam als getal van meer dan {digits} cijfers uit het rekenblad; de laatste cijfers kunnen verloren "
                 "zijn (opgeslagen als {value})."),
    "scientific": N_("staat in wetenschappelijke notatie ({value}): het rekenblad heeft cijfers weggelaten. "
                     "Opgeslagen zoals het er staat; verbeter het in de klantfiche."),
    "date": N_("was een datum in het rekenblad; opgeslagen als {value}. Kijk na wat er bedoeld was."),
    "zeros": N_("kwam als getal {given} uit het rekenblad; opgeslagen als {value} (een postcode in {country} heeft "
                "{digits} cijfers)."),
}


def sheet_warnings(raw: dict[str, str], kinds: dict[str, str]) -> dict[str, str]:
    """Per text-by-nature field: why its value may not be what the office typed (before the form's checks)."""
    warnings: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = raw.get(name, "").strip()
        if not value:
            continue
        kind = kinds.get(name)
        if kind == DATE:
            warnings[name] = _(TEXT["date"]).format(value=value)
        elif kind == NUMBER and len(value.lstrip("-").replace(".", "").replace(",", "")) > SPREADSHEET_DIGITS:
            warnings[name] = _(TEXT["digits"]).format(digits=SPREADSHEET_DIGITS, value=value)
        elif _SCIENTIFIC.match(value):
            warnings[name] = _(TEXT["scientific"]).format(value=value)
    return warnings


def restore_postcode(values: dict[str, Any], warnings: dict[str, str]) -> None:
    """A foreign all-digit postcode with too few digits gets its leading zeros back (1000 in France is 01000)."""
    code, country = str(values.get("postcode") or ""), values.get("country")
    wanted = POSTCODE_DIGITS.get(str(country or ""))
    if not wanted or not code.isdigit() or not code.isascii() or len(code) >= wanted:
        return
    values["postcode"] = code.zfill(wanted)
    warnings["postcode"] = _(TEXT["zeros"]).format(given=code, value=values["postcode"], country=country, digits=wanted)
