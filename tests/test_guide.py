"""The staff guide: docs/handleiding.md covers what a new user needs, its pictures are the snapshots, F1 opens it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Markdown

from klantbeheer.data.i18n import set_language
from klantbeheer.tui.screens.guide import GUIDE, GuideScreen
from klantbeheer.tui.screens.help import HelpScreen
from tests.support.apps import make_app
from tests.support.typeahead_helpers import burst
from tests.support.waiting import app_until

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "handleiding.md"
VERSIONS = {"nl": DOC, "fr": DOC.with_name("handleiding.fr.md"), "en": DOC.with_name("handleiding.en.md")}


def slug(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub, Textual) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_guide_the_app_opens_is_the_one_in_docs() -> None:
    assert GUIDE.resolve() == DOC.resolve()


def test_the_guide_covers_the_faq_scenario_search_the_tabs_import_export_and_the_keys() -> None:
    text = DOC.read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    for needed in ("Snel aan de slag: een klant blokkeren", "Zoeken", "De klantfiche", "Blokkeren",
                   "Een nieuw dossier", "Importeren en exporteren", "De toetsen"):
        assert needed in headings
    for step in ("Geblokkeerd", "Ctrl+S", "Deze klant is geblokkeerd", "U kunt niet doorgaan met dit dossier.",
                 "Deblokkeren", "Blokkering opheffen?"):
        assert step in text
    for tab in ("Algemeen", "Adres", "Communicatie", "Financieel", "Opmerkingen", "Historiek"):
        assert tab in text


def test_every_picture_is_a_snapshot_the_suite_keeps_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(pictures) >= 5
    for picture in pictures:
        path = (DOC.parent / picture).resolve()
        assert path.is_relative_to(ROOT / "tests" / "__snapshots__"), picture
        assert path.is_file() and path.suffix == ".svg", picture


@pytest.mark.parametrize("version", list(VERSIONS))
def test_every_link_within_the_guide_and_to_other_docs_leads_somewhere(version: str) -> None:
    text = VERSIONS[version].read_text(encoding="utf-8")
    anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
    for target in re.findall(r"(?<!!)\[[^\]]*\]\(([^)]+)\)", text):
        page, _, anchor = target.partition("#")
        if not page:
            assert anchor in anchors, target
        else:
            assert (DOC.parent / page).is_file(), target


@pytest.mark.parametrize("version", ["fr", "en"])
def test_the_french_and_english_guides_follow_the_dutch_one(version: str) -> None:
    """Same headings (in number and level), same pictures; each names the other two versions on its first line."""
    dutch, other = DOC.read_text(encoding="utf-8"), VERSIONS[version].read_text(encoding="utf-8")
    levels = [len(mark) for mark in re.findall(r"^(#+) ", dutch, re.M)]
    assert [len(mark) for mark in re.findall(r"^(#+) ", other, re.M)] == levels
    assert re.findall(r"!\[[^\]]*\]\(([^)]+)\)", other) == re.findall(r"!\[[^\]]*\]\(([^)]+)\)", dutch)
    first = other.split("\n", 1)[0]
    assert "handleiding.md" in first and all(f"handleiding.{code}.md" in first for code in ("fr", "en") if code != version)
    for key in ("Ctrl+S", "Ctrl+B", "F1", "F3", "F5", "F6", "Alt+1..7"):
        assert key in other, key


def test_readme_points_to_the_guide() -> None:
    assert "docs/handleiding.md" in (ROOT / "README.md").read_text(encoding="utf-8")


async def test_f1_then_h_opens_the_guide_and_escape_comes_back(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await app_until(pilot, lambda: app.screen.id != "_default", what="the first screen")
        first = app.screen
        await burst(pilot, "f1", "h")  # one packet, as SSH delivers a quick F1 h
        await app_until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide on top")
        guide = app.screen
        document = guide.query_one(Markdown)
        await app_until(pilot, lambda: "Snel aan de slag" in " ".join(str(b.render()) for b in document.query("*")),
                        what="the guide's text shown")
        assert document.has_focus  # PgDn scrolls at once
        footer = " ".join(str(w.render()) for w in guide.query("FooterKey"))
        assert "Sluiten" in footer and "Inhoud" in footer
        await pilot.press("escape")
        await app_until(pilot, lambda: app.screen is first, what="back on the first screen")


async def test_the_help_screen_offers_the_guide(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await app_until(pilot, lambda: app.screen.id != "_default", what="the first screen")
        await pilot.press("f1")
        await app_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="F1 help")
        footer = " ".join(str(w.render()) for w in app.screen.query("FooterKey"))
        assert "Handleiding" in footer


@pytest.mark.parametrize(("language", "words"), [("fr", "Pour qui travaille avec Klantbeheer"),
                                                 ("en", "For everyone who works with Klantbeheer")])
async def test_f1_then_h_opens_the_guide_in_the_operators_language(demo_db: str, language: str, words: str) -> None:
    app = make_app(demo_db, language=language)
    try:
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            await app_until(pilot, lambda: app.screen.id != "_default", what="the first screen")
            await burst(pilot, "f1", "h")
            await app_until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide on top")
            document = app.screen.query_one(Markdown)
            await app_until(pilot, lambda: words in " ".join(str(b.render()) for b in document.query("*")),
                            what=f"the {language} guide's text shown")
    finally:
        set_language("nl")
