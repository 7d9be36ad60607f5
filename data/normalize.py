"""Text normalisation shared by the search index and the search queries."""
from __future__ import annotations

import re
import unicodedata

_JOINERS = re.compile(r"['’`´.]")
# Anything but a letter or digit of any script (Latin, Cyrillic, Greek, Arabic, CJK, ...) separates words.
_SEPARATORS = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower case, accents removed, apostrophes and dots dropped, other punctuation a space; every script kept."""
    if not text:
        return ""
    if text.isalnum() and text.isascii():  # digits and plain letters only (numbers, VAT, refs)
        return text.lower()
    if text.isascii():  # fast path (most values): NFKD and casefold change nothing but the case
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
        plain = plain.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    # Runs of separators become one space, so stripping the ends leaves single spaces only.
    return _SEPARATORS.sub(" ", _JOINERS.sub("", plain)).strip()


def words(text: str) -> list[str]:
    """The distinct normalised words of a query, longest first, at most eight."""
    unique = list(dict.fromkeys(normalize(text[:500]).split()))
    return sorted(unique, key=len, reverse=True)[:8]
