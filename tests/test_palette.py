"""The command palette speaks Dutch: its prompt and the system commands."""
from __future__ import annotations

from textual.command import CommandInput, CommandPalette

from tests.support.apps import make_app


async def test_palette_prompt_and_system_commands_are_dutch(db_path: str) -> None:
    app = make_app(db_path, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == "Zoek een klant of opdracht…"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Afsluiten" in titles and "Thema" in titles
        assert not {"Quit", "Keys", "Screenshot", "Theme"} & set(titles)
