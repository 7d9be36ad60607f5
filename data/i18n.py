"""Translations: gettext for every text a user sees (Dutch is the source language, domain "klantbeheer").

Texts are marked `_("…")` where they are used. Texts defined at import time (module constants, TEXT
dicts, binding descriptions) are marked `N_("…")` and translated where they are shown: `_(CONSTANT)`,
`Texts` for TEXT dicts, and `tui.translated` for bindings. Extract with `pybabel extract -F babel.cfg`.
"""
from __future__ import annotations

import datetime as dt
import functools
import gettext
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

DOMAIN = "klantbeheer"
LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "nl"
# The languages an operator can choose: code -> catalogue (data/locale/<catalogue>/LC_MESSAGES) and its own name.
CATALOGUES = {"nl": "nl", "fr": "fr_BE", "en": "en"}
NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
DATE_FORMATS = {"nl": "%d-%m-%Y", "fr": "%d/%m/%Y", "en": "%d/%m/%Y"}  # Dutch keeps dd-mm-jjjj
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}
ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set decides
_LOCALE_NAME = re.compile(r"^([A-Za-z]{2,3})(?:[_-][A-Za-z0-9]+)?(?:[.@].*)?$")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def language_code(name: str | None) -> str | None:
    """"nl", "fr" or "en" for a language or locale name ("fr", "fr_BE", "fr-BE", "en_GB.UTF-8", "FR"); None for others."""
    match = _LOCALE_NAME.match((name or "").strip())
    code = match.group(1).casefold() if match else None
    return code if code in CATALOGUES else None


def environment_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language LC_ALL, LC_MESSAGES or LANG names (the first one set), when it is nl, fr or en; else None."""
    environ = os.environ if environ is None else environ
    for variable in ENVIRONMENT:
        if environ.get(variable):
            return language_code(environ[variable])
    return None


def choose_language(override: str | None = None, stored: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of a session: --language, else the operator's stored choice, else the environment, else Dutch.

    A stored choice wins over the environment: servers often say en_US.UTF-8 or C.UTF-8 by default.
    """
    return language_code(override) or language_code(stored) or environment_language(environ) or SOURCE_LANGUAGE


def set_language(language: str = SOURCE_LANGUAGE, localedir: str | Path | None = None) -> None:
    """Show texts in `language` from now on ("fr", "fr_BE", "en_GB", ...; the source language, or one without a catalogue, shows Dutch)."""
    global _translation, _language
    code = language_code(language)
    if code is not None and localedir is None:
        language = CATALOGUES[code]
    _language = code or language
    if language.split("_")[0] == SOURCE_LANGUAGE and localedir is None:
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, str(localedir or LOCALE_DIR), [language], fallback=True)


def language() -> str:
    """The language set by set_language: "nl", "fr" or "en" (or a test's pseudo language)."""
    return _language


def date_text(value: dt.date) -> str:
    """A date as the current language writes it: dd-mm-jjjj in Dutch, dd/mm/yyyy in French and English."""
    return value.strftime(DATE_FORMATS.get(_language, DATE_FORMATS[SOURCE_LANGUAGE]))


def moment_text(value: dt.datetime) -> str:
    """A date and time (already in office time) as the current language writes it, e.g. 30/11/2026 14:02."""
    return f"{date_text(value)} {value:%H:%M}"


def number_text(value: int | float) -> str:
    """A number as the current language writes it (Babel): 1.234,5 in Dutch, 1 234,5 in French, 1,234.5 in English."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=BABEL_LOCALES.get(_language, BABEL_LOCALES[SOURCE_LANGUAGE]))


def _(message: str) -> str:
    """`message` (a Dutch msgid) in the current language."""
    return _translation.gettext(message) if message else message


def in_language(message: str, code: str) -> str:
    """`message` (a Dutch msgid) in language `code` ("nl", "fr" or "en"), whatever the current language is."""
    if not message or code == SOURCE_LANGUAGE:
        return message
    return _catalogue(code).gettext(message)


@functools.cache
def _catalogue(code: str) -> gettext.NullTranslations:
    """The shipped catalogue of one language (read once)."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), [CATALOGUES.get(code, code)], fallback=True)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return _translation.ngettext(singular, plural, count)


def colon(label: str) -> str:
    """A label and its colon as the language writes them: "Naam:", in French "Nom :" (a no-break space before it)."""
    return _("{label}:").format(label=label)


def N_(message: str) -> str:
    """Mark a text for extraction without translating it now (it is translated where it is shown)."""
    return message


class Texts(Mapping[str, str]):
    """A module's TEXT dict of msgids (marked with N_): each lookup gives the text in the current language."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = dict(texts)

    def __getitem__(self, key: str) -> str:
        return _(self._texts[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
