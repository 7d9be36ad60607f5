"""Shared steps for snapshot tests: pictures that do not depend on timing."""
from __future__ import annotations

import asyncio

from textual.pilot import Pilot
from textual.widgets import Input, TextArea


async def still_cursor(pilot: Pilot) -> None:
    """Stop the blinking cursors on every screen, so a snapshot does not depend on the blink phase."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, (Input, TextArea))
            widget.cursor_blink = False
    await pilot.pause()


async def wait_for_screen(pilot: Pilot, kind: type, timeout: float = 30.0) -> None:
    """Let the app run until a screen of `kind` is on top (a worker may push it a moment after the key)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(pilot.app.screen, kind):
        assert loop.time() < deadline, f"{kind.__name__} did not appear; on top: {pilot.app.screen!r}"
        await pilot.pause(0.05)
    await pilot.pause()
