"""The palette's language choices (issue 29, point 2): one's own comes first and reads as one's own; a colleague's asks first.

Seen as: French UI, Ctrl+P, `Langue : Ned` typed, Enter set lvermeulen's language instead of one's own (the French
no-break space before ':' kept the typed space from matching one's own entry). Keys go in as one SSH burst; whose
language changed is read from the database.
"""
from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from klantbeheer.data import staff
from klantbeheer.data.i18n import language, set_language
from klantbeheer.tui.dialogs.confirm import ConfirmationModal
from tests.support.apps import make_app
from tests.support.search_screen_helpers import first_option
from tests.support.typeahead_helpers import burst, keys_of
from tests.support.waiting import app_until


@pytest.fixture(autouse=True)
def dutch_afterwards():
    """Tests here change the process's language: Dutch again for the next test."""
    yield
    set_language("nl")


def all_options(app) -> str:
    """Every option of the open palette, one line each (the help text on the next line)."""
    if not CommandPalette.is_open(app):
        return ""
    options = app.screen.query_one(CommandList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


def languages() -> dict[str, str]:
    """Every operator's stored language, read from the database."""
    return {person["username"]: person["language"] for person in staff.all_staff()}


async def test_langue_ned_in_french_sets_ones_own_language_not_a_colleagues(demo_db: str) -> None:
    staff.set_language("admin", "fr", "admin")
    before = languages()
    assert "lvermeulen" in before  # the colleague of the report
    app = make_app(demo_db, "admin")
    assert language() == "fr"
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await burst(pilot, "ctrl+p", *keys_of("Langue : Ned"))
        await app_until(pilot, lambda: first_option(app).startswith("Ma langue : Nederlands"),
                        what="one's own 'Ma langue : Nederlands' as the palette's first option")
        await burst(pilot, "enter")
        await app_until(pilot, lambda: language() == "nl" and type(app.screen).__name__ == "CustomerSearchScreen",
                        what="the app rebuilt in Dutch")
    assert languages() == {**before, "admin": "nl"}  # only one's own changed


async def test_ones_own_choice_comes_before_every_colleagues(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await burst(pilot, "ctrl+p", *keys_of("Taal Fran"))  # the colleagues' 'collega): taal Français' match it closely
        await app_until(pilot, lambda: "(collega): taal Français" in all_options(app), what="the colleagues' entries")
        prompts = all_options(app).splitlines()
        own = [i for i, prompt in enumerate(prompts) if prompt.startswith("Mijn taal: Français")]
        colleagues = [i for i, prompt in enumerate(prompts) if "(collega): taal Français" in prompt]
        assert own == [0] and len(colleagues) == len(languages()) - 1, prompts
        assert prompts[colleagues[0]].split(" ", 1)[0] in languages()  # a colleague's entry starts with their name


async def test_a_colleagues_language_changes_only_after_the_question(demo_db: str) -> None:
    staff.set_language("admin", "fr", "admin")
    before = languages()
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        for answer in ("escape", "enter"):  # Escape, and Enter on the question (it starts on Annuler): nothing changes
            await burst(pilot, "ctrl+p", *keys_of("lvermeulen Ned"), timeout=30)
            await app_until(pilot, lambda: first_option(app).startswith("lvermeulen (collègue) : langue Nederlands"),
                            what="the colleague's entry, named first")
            await burst(pilot, "enter")
            await app_until(pilot, lambda: isinstance(app.screen, ConfirmationModal), what="the question")
            question = app.screen
            assert "Lotte Vermeulen (lvermeulen)" in question.message and "Nederlands" in question.message
            await burst(pilot, answer)
            await app_until(pilot, lambda: type(app.screen).__name__ == "CustomerSearchScreen", what="back on the search")
            assert languages() == before, answer
            assert language() == "fr"
        await burst(pilot, "ctrl+p", *keys_of("lvermeulen Ned"))
        await app_until(pilot, lambda: first_option(app).startswith("lvermeulen (collègue)"), what="the colleague's entry")
        await burst(pilot, "enter")
        await app_until(pilot, lambda: isinstance(app.screen, ConfirmationModal), what="the question")
        await burst(pilot, "ctrl+s")  # yes
        await app_until(pilot, lambda: languages()["lvermeulen"] == "nl", what="lvermeulen's language stored")
        assert language() == "fr"  # one's own screen stays French
    assert languages() == {**before, "lvermeulen": "nl"}
