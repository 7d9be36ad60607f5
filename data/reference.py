"""Reference lists: reading the choices of the customer form (the database holds them; data/lists.py changes them).

Migration 1 seeded the lists in Dutch (its own frozen copy), migration 13 gave those built-in entries their French
and English labels (countries: pycountry's names); since version 10 the office keeps them.
"""
from __future__ import annotations

import contextlib
import functools
import gettext
import threading
import unicodedata
from typing import Any, Iterator

from klantbeheer.data import i18n
from klantbeheer.data.i18n import N_
from klantbeheer.data.session import data_function

# Empty prompts of the choice fields, exactly as in the glossary (msgids: translated where shown).
EMPTY_PROMPTS = {
    "repairer": N_("Selecteer een hersteller"),
    "payment_condition": N_("Selecteer een betalingsvoorwaarde"),
    "discount_scheme": N_("Selecteer een kortingsschema"),
    "price_list": N_("Selecteer een prijslijst"),
    "internal_account": N_("- Selecteer -"),
    "salutation": N_("(geen)"),
}


@functools.cache
def countries() -> list[tuple[str, str]]:
    """ISO 3166 countries as (alpha-2, Dutch name), België first, the rest alphabetical."""
    import pycountry  # imported on first use (the country list), not at start-up

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    names = [(c.alpha_2, translation.gettext(c.name)) for c in pycountry.countries]
    belgium = [item for item in names if item[0] == "BE"]
    rest = sorted((item for item in names if item[0] != "BE"), key=lambda item: item[1].casefold())
    return belgium + rest


LANGUAGE_COLUMNS = {"fr": "label_fr", "en": "label_en"}  # the Dutch label is `label`; the others fall back to it


def item_label(item: Any, language: str | None = None) -> str:
    """An entry's label in a language (nl, fr, en; default: the operator's): the Dutch one when that language has none."""
    column = LANGUAGE_COLUMNS.get(language or i18n.language())
    translated = getattr(item, column, None) if column else None
    return translated or item.label


def repairer_label(repairer: Any) -> str:
    """A hersteller as the form shows it: 'name (city)'."""
    return f"{repairer.name} ({repairer.city})" if repairer.city else repairer.name


_held = threading.local()  # this thread's lists while `lists_held()` is active (an import checks 100,000 rows)


@contextlib.contextmanager
def lists_held() -> Iterator[None]:
    """Read each reference list once while inside (this thread only), not once per checked row."""
    outer = getattr(_held, "lists", None)
    _held.lists = {} if outer is None else outer
    try:
        yield
    finally:
        _held.lists = outer


def entries(kind: str, active_only: bool = False, language: str | None = None) -> list[tuple[str, str, bool]]:
    """Every (code, label, active) of one list in its order; herstellers by id (read once while lists_held)."""
    held = getattr(_held, "lists", None)
    language = language or i18n.language()  # the operator's language: a French label where the office gave one
    if held is None:
        return _read_entries(kind, active_only, language)
    key = (kind, active_only, language)
    if key not in held:
        held[key] = _read_entries(kind, active_only, language)
    return held[key]


@data_function
def _read_entries(kind: str, active_only: bool, language: str) -> list[tuple[str, str, bool]]:
    """One list from the database."""
    from klantbeheer.data.models import ReferenceItem, Repairer

    if kind == "repairer":
        query = Repairer.select().order_by(Repairer.position, Repairer.name, Repairer.id)
        if active_only:
            query = query.where(Repairer.active == True)  # noqa: E712
        return [(str(r.id), repairer_label(r), bool(r.active)) for r in query]
    query = ReferenceItem.select().where(ReferenceItem.kind == kind).order_by(ReferenceItem.position, ReferenceItem.id)
    if active_only:
        query = query.where(ReferenceItem.active == True)  # noqa: E712
    result = [(item.code, item_label(item, language), bool(item.active)) for item in query]
    if kind == "country" and language != "nl" and result:  # België first, the rest in the order of the names shown
        return result[:1] + sorted(result[1:], key=lambda entry: _sort_key(entry[1]))
    return result


def _sort_key(text: str) -> str:
    """A name as it sorts: without accents, case-insensitive (Égypte among the E)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


@data_function
def choices(kind: str, language: str | None = None) -> list[tuple[str, str]]:
    """The (code, label) pairs offered for a new choice: the active entries of one list, in order."""
    return [(code, text) for code, text, _ in entries(kind, active_only=True, language=language)]


@data_function
def all_labels(kind: str, language: str | None = None) -> dict[str, str]:
    """Every code of one list (inactive ones too) with its label: what stored values are shown as."""
    return {code: text for code, text, _ in entries(kind, language=language)}


@data_function
def inactive_labels(kind: str, language: str | None = None) -> dict[str, str]:
    """The inactive entries of one list as {code: label}: still shown where stored, no longer offered."""
    return {code: text for code, text, active in entries(kind, language=language) if not active}


@data_function
def repairer_choices() -> list[tuple[str, str]]:
    """The active herstellers as (id, 'name (city)'), in the list's order."""
    return choices("repairer")


@data_function
def label(kind: str, code: str | None, language: str | None = None) -> str:
    """The label of a code in a reference list (inactive too), or '' when empty; an unknown code as itself."""
    if not code:
        return ""
    return all_labels(kind, language).get(str(code), str(code))


@data_function
def match_code(kind: str, text: str, active_only: bool = False) -> str | None:
    """Find a code by its code or label in any language, case-insensitively (the CLI, a block in an import)."""
    wanted = text.strip().casefold()
    for language in dict.fromkeys((i18n.language(), "nl", *i18n.CATALOGUES)):  # the operator's label first, then any
        for code, text_label, active in entries(kind, language=language):
            if (active or not active_only) and wanted in (code.casefold(), text_label.casefold()):
                return code
    return None
