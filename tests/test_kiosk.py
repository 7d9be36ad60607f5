"""Kiosk mode: no way out of the app, a palette with only the app's own commands, the idle reset."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from klantbeheer.data import staff
from klantbeheer.tui.app import KlantbeheerApp
from klantbeheer.tui.screens.customer_search import CustomerSearchScreen
from tests.support.apps import make_app
from tests.support.waiting import app_until


async def wait_for(pilot, condition, timeout: float) -> bool:
    """Let the app run until condition() holds or the timeout passes; whether it held."""
    try:
        await app_until(pilot, condition, timeout)
    except AssertionError:
        return False
    return True


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep theme settings in the test's own directory; a 256-colour terminal (test_colours covers fewer)."""
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(path))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    return path


@pytest.fixture
def kiosk_db(db_path: str) -> str:
    """The test database with operator 'jan' (medewerker), the kiosk's fixed operator."""
    staff.add("jan", "Jan Peeters", "medewerker", "admin")
    return db_path


async def palette_prompts(app: KlantbeheerApp, pilot, query: str = "") -> list[str]:
    """Open the command palette, type a query, and return the commands it lists."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    if query:
        await pilot.press(*query)
    palette = app.screen
    await app_until(pilot, lambda: palette.query_one(Input).value == query and not any(
        w.group == CommandPalette._GATHER_COMMANDS_GROUP and not w.is_finished for w in app.workers),
        what="the palette's search done")
    await pilot.pause()
    options = app.screen.query_one(CommandList)
    return [str(getattr(option.prompt, "plain", option.prompt)) for option in options.options]


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c", "ctrl+z", "ctrl+backslash"])
async def test_kiosk_keys_do_not_leave(kiosk_db: str, key: str) -> None:
    """Ctrl+Q, Ctrl+C, Ctrl+Z and Ctrl+\\ neither quit nor suspend in kiosk mode."""
    app = make_app(kiosk_db, "jan", kiosk=True)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause(0.2)  # nothing may happen: the app must still run a moment after the key (a time is what is tested)
        assert app.is_running and not app._exit
        assert isinstance(app.screen, CustomerSearchScreen)
        assert app.username == "jan"


async def test_ctrl_q_quits_outside_kiosk(kiosk_db: str) -> None:
    """The control case: without --kiosk, Ctrl+Q does end the app."""
    app = make_app(kiosk_db, "jan")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        assert await wait_for(pilot, lambda: bool(app._exit), timeout=30)


async def test_kiosk_hides_and_refuses_quit(kiosk_db: str) -> None:
    """The quit and suspend actions are refused, so no binding shows or runs them."""
    app = make_app(kiosk_db, "jan", kiosk=True)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        for action in ("quit", "suspend_process", "help_quit", "change_theme"):
            assert app.check_action(action, ()) is False
        assert app.check_action("search", ()) is True
        shown = {binding.binding.action for binding in app.active_bindings.values()}
        assert "quit" not in shown
        await app.run_action("quit")
        await pilot.pause(0.1)  # nothing may happen: the app must still run a moment after (a time is what is tested)
        assert app.is_running and not app._exit


async def test_kiosk_palette_offers_only_app_commands(kiosk_db: str) -> None:
    """The palette lists the app's own commands, and no Afsluiten (quit), Thema or screenshot."""
    app = make_app(kiosk_db, "jan", kiosk=True)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        listed = " | ".join(await palette_prompts(app, pilot))
        assert "Zoeken" in listed and "Nieuw dossier" in listed
        for forbidden in ("Afsluiten", "Thema", "Quit", "Theme", "Screenshot"):
            assert forbidden not in listed
        await pilot.press("escape")
        await pilot.pause()
        for query in ("afsluiten", "thema", "quit", "theme", "screenshot"):
            hits = await palette_prompts(app, pilot, query)
            assert not [hit for hit in hits if query in hit.lower()], hits
            await pilot.press("escape")
            await pilot.pause()


async def test_palette_outside_kiosk_keeps_system_commands(kiosk_db: str) -> None:
    """The control case: outside kiosk mode the palette has Afsluiten and Thema."""
    app = make_app(kiosk_db, "jan")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        listed = " | ".join(await palette_prompts(app, pilot))
        assert "Afsluiten" in listed and "Thema" in listed and "Zoeken" in listed


async def test_idle_returns_to_empty_search(kiosk_db: str) -> None:
    """After the idle time without input, open screens are dropped and the search screen is empty."""
    # 6 s idle: a key every 0.5 s for 8 s re-arms it, also when a loaded machine takes a second or two per key
    app = make_app(kiosk_db, "jan", kiosk=True, idle_seconds=6.0, warn_seconds=1.0)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerSearchScreen), timeout=30)
        first = app.screen
        await pilot.press(*"peeters")
        assert app.screen.query_one("#search", Input).value == "peeters"
        await pilot.press("f3")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, CustomerSearchScreen), timeout=30)
        # Keep typing for longer than the idle time: input re-arms the watch, so nothing is discarded yet.
        for _ in range(16):
            await asyncio.sleep(0.5)  # the time between keys is what is tested
            await pilot.press("x")
        assert not isinstance(app.screen, CustomerSearchScreen)
        assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerSearchScreen) and app.screen.query("#search"),
                              timeout=30)  # the new search screen, composed
        assert app.screen is not first
        assert len(app.screen_stack) == 2
        assert app.screen.query_one("#search", Input).value == ""
        assert app.username == "jan" and app.is_running


async def test_no_idle_reset_outside_kiosk(kiosk_db: str) -> None:
    """Outside kiosk mode nothing is discarded, however long the pause: the same settings with kiosk=True do reset."""
    for kiosk in (True, False):
        app = make_app(kiosk_db, "jan", kiosk=kiosk, idle_seconds=0.3, warn_seconds=0.1)
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerSearchScreen), timeout=30)
            await pilot.press(*"abc")
            search = app.screen
            # The countdown warning comes first; wait for the fresh search screen behind it.
            reset = lambda: isinstance(app.screen, CustomerSearchScreen) and app.screen is not search  # noqa: E731
            await wait_for(pilot, reset, timeout=30.0 if kiosk else 0.8)  # outside kiosk: 0.8 s with nothing reset
            await pilot.pause()
            assert (app.screen is search) is not kiosk
            assert app.screen.query_one("#search", Input).value == ("" if kiosk else "abc")


async def test_no_animations_by_default(kiosk_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Animations are off unless TEXTUAL_ANIMATIONS asks for them (laggy links)."""
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    app = make_app(kiosk_db, "jan")
    assert app.animation_level == "none"


def test_kiosk_needs_operator_on_the_command_line(kiosk_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--kiosk without --operator is refused: the command line fixes the operator."""
    from klantbeheer.app import main

    assert main(["--db", kiosk_db, "--kiosk"]) == 2
    assert "--operator" in capsys.readouterr().err
