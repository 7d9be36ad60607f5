"""Yes and no as people and spreadsheets write them, whatever the operator's language: the form, the CLI and the import.

LibreOffice writes WAAR/ONWAAR in Dutch and VRAI/FAUX in French, Excel and .xlsx TRUE/FALSE; a tick column has x or
nothing. One list, so that every yes/no field takes the same words (Geblokkeerd, Opmerking Tonen, Toon Identiteitskaart).
"""
from __future__ import annotations

from typing import Any

from klantbeheer.data.i18n import _

YES = frozenset({"1", "ja", "j", "yes", "y", "true", "waar", "oui", "o", "vrai", "x", "on"})
NO = frozenset({"", "0", "nee", "n", "no", "false", "onwaar", "non", "faux", "off"})


def yes_no(value: Any) -> bool:
    """True or False for a yes/no value (a bool, or one of the words above in any case); ValueError otherwise."""
    if isinstance(value, bool):
        return value
    word = ("" if value is None else str(value)).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(_("Kies ja of nee."))
