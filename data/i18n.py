"""Translations: gettext for every text a user sees (Dutch is the source language, domain "klantbeheer").

Texts are marked `_("…")` where they are used. Texts defined at import time (module constants, TEXT
dicts, binding descriptions) are marked `N_("…")` and translated where they are shown: `_(CONSTANT)`,
`Texts` for TEXT dicts, and `tui.translated` for bindings. Extract with `pybabel extract -F babel.cfg`.
"""
from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from pathlib import Path

DOMAIN = "klantbeheer"
LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "nl"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def set_language(language: str = SOURCE_LANGUAGE, localedir: str | Path | None = None) -> None:
    """Show texts in `language` from now on (the source language, or one without a catalogue, shows Dutch)."""
    global _translation, _language
    _language = language
    if language.split("_")[0] == SOURCE_LANGUAGE and localedir is None:
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, str(localedir or LOCALE_DIR), [language], fallback=True)


def language() -> str:
    """The language set by set_language."""
    return _language


def _(message: str) -> str:
    """`message` (a Dutch msgid) in the current language."""
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return _translation.ngettext(singular, plural, count)


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
