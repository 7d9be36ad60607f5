"""Kiosk mode helpers: the actions that lead out of the app, and the idle watch."""
from __future__ import annotations

import os
import time
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.timer import Timer

BLOCKED_ACTIONS: frozenset[str] = frozenset(
    {
        "quit",  # Ctrl+Q and the palette's "Quit"
        "help_quit",  # Ctrl+C's "press Ctrl+Q to quit" hint
        "suspend_process",  # back to the shell (SIGTSTP)
        "change_theme",  # the theme picker is the operator's own desk, not a kiosk's
        "toggle_dark",
        "screenshot",  # writes files on the server
    }
)
"""App actions that never run in kiosk mode."""

ACTIVITY_EVENTS: tuple[type[events.Event], ...] = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
"""Input that counts as someone using the kiosk."""


def lock_terminal_signals() -> None:
    """Keep Ctrl+C, Ctrl+Z and Ctrl+\\ as plain keys: Textual honours TEXTUAL_ALLOW_SIGNALS otherwise."""
    os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)


class IdleWatch:
    """Calls `on_idle` once after `seconds` without input; input arms it again."""

    def __init__(self, app: App, seconds: float, on_idle: Callable[[], object]) -> None:
        self.app = app
        self.seconds = seconds
        self.on_idle = on_idle
        self.last_input = time.monotonic()
        self.fired = False
        self._timer: Timer | None = None

    def start(self) -> None:
        """Begin watching (call from on_mount); checks a few times per idle period, at least every 5 s."""
        self.last_input = time.monotonic()
        self._timer = self.app.set_interval(min(self.seconds / 4, 5.0), self._check, name="kiosk-idle")

    def touch(self) -> None:
        """Record input now."""
        self.last_input = time.monotonic()
        self.fired = False

    def _check(self) -> None:
        """Fire once when the idle period has passed since the last input."""
        if not self.fired and time.monotonic() - self.last_input >= self.seconds:
            self.fired = True
            self.on_idle()
