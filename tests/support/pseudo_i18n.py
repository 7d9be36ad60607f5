"""Pseudo-translation helpers: a catalogue that wraps every text in ⟦ ⟧, and the words a screen shows outside them."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from klantbeheer.data.i18n import DOMAIN, LOCALE_DIR

POT = LOCALE_DIR / f"{DOMAIN}.pot"
PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
# Key names as the footer, the help and the buttons write them (keys are not translated).
KEY_WORDS = {
    "ctrl", "alt", "shift", "esc", "escape", "enter", "tab", "space", "pgdn", "pgup", "pagedown", "pageup",
    "up", "down", "left", "right", "home", "end", "del", "delete", "ins", "insert", "backspace", "slash",
}
PRODUCT = {"klantbeheer"}  # the product's name is not translated
WORD = re.compile(r"[^\W\d_]{2,}")


def catalogue_path(language: str) -> Path:
    """The committed catalogue of a language (fr_BE, en), or the template for "pot"."""
    return POT if language == "pot" else LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def write_pseudo_catalogue(root: Path, source: str = "pot") -> Path:
    """Compile a catalogue for language PSEUDO under `root`; return `root`.

    From the template ("pot"), every msgstr is ⟦msgid⟧. From a language's .po (issue 20), every translated
    msgstr is ⟦msgstr⟧ and an untranslated one stays out, so its Dutch msgid shows unbracketed.
    """
    with open(catalogue_path(source), "rb") as stream:
        catalog = read_po(stream)
    for message in catalog:
        if not message.id:
            continue
        forms = message.id if source == "pot" else message.string
        if message.fuzzy and source != "pot":
            forms = ""
        if isinstance(forms, (list, tuple)):
            message.string = tuple(OPEN + form + CLOSE if form else "" for form in forms)
        else:
            message.string = OPEN + forms + CLOSE if forms else ""
    target = root / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / f"{DOMAIN}.mo", "wb") as stream:
        write_mo(stream, catalog)
    return root


def outside_brackets(text: str) -> str:
    """The text with every ⟦…⟧ removed; a bracket cut off by the width or wrapped over lines counts as closed."""
    whole = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")  # whole texts, also wrapped over lines
    while whole.search(text):  # a translated text inside another (a name or phrase filled in): innermost first
        text = whole.sub(" ", text)
    text = re.sub(f"{OPEN}[^{OPEN}{CLOSE}\n]*", " ", text)  # cut off (…) at the end of a line or cell
    return re.sub(f"^[^{OPEN}{CLOSE}\n]*{CLOSE}", " ", text, flags=re.M)  # the tail of a cut or wrapped text


def untranslated_words(text: str, allowed: set[str]) -> list[str]:
    """Words (two letters or more) outside the brackets that are neither allowed data nor key names.

    Data may be cut by the width or by a dialog over it: the start or end of an allowed word is allowed too.
    """
    free = {word.casefold() for word in allowed} | KEY_WORDS | PRODUCT
    data = [word.casefold() for word in allowed]

    def is_free(word: str) -> bool:
        folded = word.casefold()
        return folded in free or any(whole.startswith(folded) or whole.endswith(folded) for whole in data)

    # A text whose opening bracket lies under a dialog's edge shows glued to that edge ("│External r…"): cut, not raw.
    text = re.sub(r"(?<=[│┃║])(?!⟦)[^\s│┃║]+", " ", text)
    return [word for word in WORD.findall(outside_brackets(text)) if not is_free(word)]


def words_of(*values: object) -> set[str]:
    """Every word in the given values (customer data that may be shown as is)."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, dict):
            found |= words_of(*value.values())
        elif isinstance(value, (list, tuple, set)):
            found |= words_of(*value)
        elif value is not None:
            found.update(WORD.findall(str(value)))
    return found
