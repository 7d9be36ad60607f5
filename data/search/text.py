"""What the search index holds for one customer: every searchable field, normalised."""
from __future__ import annotations

import functools
from typing import Any

from data.normalize import normalize

# Names and towns repeat a lot (the synthetic loader builds a million texts): normalise each once.
_normalize = functools.lru_cache(maxsize=65_536)(normalize)


def _phone_forms(stored: str) -> list[str]:
    """A stored +32... number as its international and national digits."""
    if not stored:
        return []
    import phonenumbers  # imported on first use (a customer with a phone), not at start-up

    digits = stored.lstrip("+")
    try:
        national = str(phonenumbers.parse(stored, "BE").national_number)
    except phonenumbers.NumberParseException:
        return [digits]
    return [digits, "0" + national]


def build(values: dict[str, Any]) -> tuple[str, str]:
    """Return (name_norm, search_text) for a customer's values."""
    vat = str(values.get("vat_number") or "")
    parts = [
        str(values.get("name") or ""),
        str(values.get("number") or ""),
        str(values.get("external_ref") or ""),
        vat,
        vat[2:] if vat[:2].isalpha() else "",
        str(values.get("postcode") or ""),
        str(values.get("city") or ""),
        str(values.get("email") or ""),
    ]
    for key in ("phone", "fax", "mobile"):
        parts.extend(_phone_forms(str(values.get(key) or "")))
    name_norm = _normalize(parts[0])
    return name_norm, " | ".join(_normalize(p) for p in parts if p)
