"""Keys are written as people say them (Ctrl+PgDn, Alt+1, F3, Esc), in the footer and in F1."""
from __future__ import annotations

import pytest

from klantbeheer.tui.key_names import key_name
from klantbeheer.tui.screens.help import HelpScreen
from tests.support.form_helpers import make_app, open_form, wait_until
from tests.support.typeahead_helpers import burst, settle_keys


@pytest.mark.parametrize(("key", "said"), [
    ("ctrl+pagedown", "Ctrl+PgDn"), ("ctrl+pageup", "Ctrl+PgUp"), ("alt+1", "Alt+1"), ("f3", "F3"),
    ("escape", "Esc"), ("ctrl+s", "Ctrl+S"), ("enter", "Enter"), ("n", "N"), ("shift+tab", "Shift+Tab"),
    ("slash", "/"), ("down", "↓"),
])
def test_key_names_as_people_say_them(key: str, said: str) -> None:
    assert key_name(key) == said


def screen_text(app) -> str:
    """The top screen as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_footer_and_help_write_keys_as_people_say_them(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle_keys(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Ctrl+N Nieuw" in footer and "^" not in footer
        await open_form(pilot, 123)
        footer = screen_text(app).splitlines()[-1]
        assert footer.lstrip().startswith("F1 Help") and "Ctrl+S Bewaren" in footer
        await burst(pilot, "f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await wait_until(pilot, lambda: "Ctrl+PgDn" in screen_text(app))
        shown = screen_text(app)
        assert "Alt+1" in shown and "Ctrl+D" in shown
        assert "^" not in shown and "alt+1" not in shown and "pgdn" not in shown


def cut_keys(app) -> list[str]:
    """The key bar's keys that do not fit whole before the Ctrl+P key at the right (a cut key is unreadable)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = app.screen.query_one(Footer)
    keys = [key for key in footer.query(FooterKey) if key.display]
    palette = [key for key in keys if key.action == "command_palette"]
    limit = palette[0].region.x if palette else footer.region.right
    return [f"{key.key_display} {key.description}" for key in keys if key not in palette and key.region.right > limit]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
async def test_no_key_in_the_key_bar_is_cut_at_80_columns(demo_db: str, language: str) -> None:
    from klantbeheer.data.i18n import set_language
    from tests.support.form_helpers import wait_form

    app = make_app(demo_db, "admin", language=language)
    try:
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            await settle_keys(pilot)
            assert cut_keys(app) == [], "search screen"
            await open_form(pilot, 1005)  # blocked: Ctrl+B reads Deblokkeren, the longest
            await wait_form(pilot)
            assert cut_keys(app) == [], "form"
            app.action_reference_lists()
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ReferenceListsScreen")
            await pilot.pause()
            assert cut_keys(app) == [], "reference lists"
            app.pop_screen()
            await pilot.pause()
            app.action_new_dossier()
            await wait_until(pilot, lambda: type(app.screen).__name__ == "NewDossierScreen")
            await pilot.pause()
            assert cut_keys(app) == [], "new dossier"
    finally:
        set_language("nl")
