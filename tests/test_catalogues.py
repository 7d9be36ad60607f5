"""The French and English catalogues (issue 20): complete after `pybabel update`, placeholders and keys kept, .mo current.

The update runs on a fresh extraction of the code into a copy of data/locale, so a text added on another branch
shows up here as a missing id (printed exactly) until it is translated: see docs/languages.md, "Translations".
"""
from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest

from tools.catalogues import LANGUAGES, LOCALE_DIR, NBSP, extract, is_translated, missing, placeholders, po_path, read_catalogue, update

KEYS = re.compile(r"Ctrl\+\w|\bF\d{1,2}\b|\bEsc\b|\bEnter\b|\bpgdn\b|--[a-z-]+")


@pytest.fixture(scope="module")
def updated(tmp_path_factory) -> Path:
    """A copy of data/locale updated from a fresh extraction of the code (as a maintainer would after a change)."""
    root = tmp_path_factory.mktemp("locale") / "locale"
    shutil.copytree(LOCALE_DIR, root)
    extract(root / "klantbeheer.pot")
    update(root / "klantbeheer.pot", root)
    return root


def translations(language: str, root: Path = LOCALE_DIR) -> list[tuple[str, str]]:
    """(msgid, msgstr) of each translated message of a catalogue; a plural message gives one pair per form."""
    return [(msgid, msgstr) for _key, msgid, msgstr in forms(language, root)]


def forms(language: str, root: Path = LOCALE_DIR) -> list[tuple[object, str, str]]:
    """(key in the .mo, msgid, msgstr) per translated form: a plural's forms pair with its singular, then plural msgid."""
    found: list[tuple[object, str, str]] = []
    for message in read_catalogue(po_path(language, root)):
        if not message.id or not is_translated(message):
            continue
        if isinstance(message.id, (list, tuple)):
            singular, plural = message.id
            found += [((singular, index), singular if index == 0 else plural, text) for index, text in enumerate(message.string)]
        else:
            found.append((message.id, message.id, message.string))
    return found


def test_every_msgid_has_a_translation_in_each_catalogue(updated: Path) -> None:
    gaps = {language: ids for language, ids in missing(updated).items() if ids}
    listing = "\n".join(f"{language}: {msgid!r}" for language, ids in gaps.items() for msgid in ids)
    assert not gaps, f"untranslated (fill them in data/locale/*/LC_MESSAGES/klantbeheer.po, see docs/languages.md):\n{listing}"


def test_a_new_text_shows_up_as_missing(updated: Path, tmp_path: Path) -> None:
    """The check above can fail: an id the catalogues lack is reported by name."""
    root = tmp_path / "locale"
    shutil.copytree(updated, root)
    pot = read_catalogue(root / "klantbeheer.pot")
    pot.add("Een tekst van een andere tak")
    from babel.messages.pofile import write_po

    with open(root / "klantbeheer.pot", "wb") as stream:
        write_po(stream, pot)
    update(root / "klantbeheer.pot", root)
    assert missing(root) == {language: ["Een tekst van een andere tak"] for language in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_key_names_are_kept(language: str) -> None:
    wrong = [(msgid, msgstr) for msgid, msgstr in translations(language)
             if placeholders(msgid) != placeholders(msgstr) or sorted(KEYS.findall(msgid)) != sorted(KEYS.findall(msgstr))]
    assert wrong == []


def test_french_typography_uses_one_kind_of_space() -> None:
    """A no-break space before : ; ? ! and inside « », never a plain one (a plain one can wrap the sign to a new line)."""
    wrong = [msgstr for _msgid, msgstr in translations("fr_BE")
             if re.search(r" [:;?!»]|« ", msgstr) or "\u202f" in msgstr]
    assert wrong == []
    assert dict(translations("fr_BE"))["Blokkering opheffen?"] == f"Lever le blocage{NBSP}?"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_mo_matches_its_po(language: str) -> None:
    """The compiled catalogue is committed: it must be compiled from the current .po (python tools/catalogues.py compile)."""
    path = po_path(language)
    with open(path.with_suffix(".mo"), "rb") as stream:
        compiled = gettext.GNUTranslations(stream)._catalog  # type: ignore[attr-defined]
    shipped = {key: value for key, value in compiled.items() if key}
    assert shipped == {key: text for key, _msgid, text in forms(language)}, "run: python tools/catalogues.py compile"


def test_the_glossary_terms_are_used() -> None:
    """Spot checks against ../shared/GLOSSARY.md and the issue's vocabulary."""
    french, english = dict(translations("fr_BE")), dict(translations("en"))
    assert [french[k] for k in ("Bewaren (Ctrl+S)", "Blokkeren", "Deblokkeren", "Nieuw dossier", "BTW-nummer", "Gemeente",
                                "Hersteller", "Prijslijst", "Betalingsvoorwaarde")] == [
        "Enregistrer (Ctrl+S)", "Bloquer", "Débloquer", "Nouveau dossier", "N° TVA", "Commune", "Réparateur", "Liste de prix",
        "Conditions de paiement"]
    assert french["U kunt niet doorgaan met dit dossier."] == "Vous ne pouvez pas poursuivre ce dossier."
    assert [english[k] for k in ("Beheer › Derde partijen › Klanten", "Interne rekeningnummer", "GSM")] == [
        "Administration › Third parties › Customers", "Internal account", "Mobile"]
