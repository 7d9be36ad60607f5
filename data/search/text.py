"""What the search index holds for one customer: every searchable field, normalised."""
from __future__ import annotations

import functools
from typing import Any

from klantbeheer.data.normalize import normalize

# Belgian name particles: "Van den Broeck" is also written "Vandenbroeck", "De Smet" also "Desmet".
PARTICLES = frozenset({"van", "vande", "vanden", "vander", "de", "den", "der", "d", "t", "het", "ten", "ter", "te",
                       "le", "la", "les", "du", "des", "di", "da", "dal", "del", "della", "op", "in", "s"})

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


def joined_forms(name_norm: str) -> list[str]:
    """Each run of particles written together with the word after it: "jan van den broeck" -> ["vandenbroeck"]."""
    forms: list[str] = []
    run: list[str] = []
    for word in name_norm.split():
        run.append(word)
        if word not in PARTICLES:
            if len(run) > 1:
                forms.append("".join(run))
            run = []
    return forms


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
    texts = [_normalize(p) for p in parts if p]
    joined = joined_forms(name_norm)
    if joined:
        texts.insert(1, " ".join(joined))
    return name_norm, " | ".join(text for text in texts if text)
