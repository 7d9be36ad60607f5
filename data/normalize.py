"""Text normalisation shared by the search index and the search queries."""
from __future__ import annotations

import re
import unicodedata

_JOINERS = re.compile(r"['’`´.]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower case, accents removed, apostrophes and dots dropped, other punctuation a space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    plain = _JOINERS.sub("", plain)
    return " ".join(_SEPARATORS.sub(" ", plain).split())


def words(text: str) -> list[str]:
    """The distinct normalised words of a query, longest first, at most eight."""
    unique = list(dict.fromkeys(normalize(text[:500]).split()))
    return sorted(unique, key=len, reverse=True)[:8]
