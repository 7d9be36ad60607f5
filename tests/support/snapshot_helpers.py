"""Shared steps for snapshot tests: pictures that do not depend on timing."""
from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.support.waiting import app_until


async def still_cursor(pilot: Pilot) -> None:
    """Stop the blinking cursors on every screen, so a snapshot does not depend on the blink phase."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, (Input, TextArea))
            widget.cursor_blink = False
    await pilot.pause()


async def wait_for_screen(pilot: Pilot, kind: type, timeout: float = 30.0) -> None:
    """Let the app run until a screen of `kind` is on top (a worker may push it a moment after the key)."""
    await app_until(pilot, lambda: isinstance(pilot.app.screen, kind), timeout, f"{kind.__name__} on top")
    await pilot.pause()
