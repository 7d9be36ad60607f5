"""Kiosk mode helpers: the actions that lead out of the app, and the idle watch."""
from __future__ import annotations

import os
import time
from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from klantbeheer.data.i18n import _

BLOCKED_ACTIONS: frozenset[str] = frozenset(
    {
        "quit",  # Ctrl+Q and the palette's "Quit"
        "help_quit",  # Ctrl+C's "press Ctrl+Q to quit" hint
        "suspend_process",  # back to the shell (SIGTSTP)
        "change_theme",  # the theme picker is the operator's own desk, not a kiosk's
        "import_customers",  # reads and writes files on the server, which a kiosk user cannot reach
        "export_customers",
        "toggle_dark",
        "screenshot",  # writes files on the server
    }
)
"""App actions that never run in kiosk mode."""

SERVER_FILE_ACTIONS: frozenset[str] = frozenset(
    {"import_customers", "export_customers", "screenshot", "suspend_process"}
)
"""App actions that never run in a browser session: they read or write files on the server, or leave to its shell."""

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


WARN_SECONDS = 30.0
"""How long before the idle reset the kiosk shows its countdown."""


class IdleWatch:
    """Warns `warn_seconds` before `seconds` without input (a visible countdown), then calls `on_idle` once."""

    def __init__(self, app: App, seconds: float, warn_seconds: float, on_idle: Callable[[], object]) -> None:
        self.app = app
        self.seconds = seconds
        self.warn_seconds = min(warn_seconds, seconds)
        self.on_idle = on_idle
        self.last_input = time.monotonic()
        self.fired = False
        self.warning: IdleWarning | None = None
        self._timer: Timer | None = None

    def start(self) -> None:
        """Begin watching (call from on_mount); checks at least once a second, for the countdown."""
        self.last_input = time.monotonic()
        self._timer = self.app.set_interval(min(self.seconds / 6, 1.0), self._check, name="kiosk-idle")

    def touch(self) -> bool:
        """Record input now; True when it cancelled a warning shown (the key did only that)."""
        self.last_input = time.monotonic()
        self.fired = False
        if self.warning is None:
            return False
        self._close_warning()
        return True

    def _close_warning(self) -> None:
        """Take the countdown away."""
        warning, self.warning = self.warning, None
        if warning is not None and warning.is_attached:
            warning.dismiss(None)

    def _check(self) -> None:
        """Show or update the countdown in the warning period; reset once the idle time has passed."""
        idle = time.monotonic() - self.last_input
        if self.fired:
            return
        if idle >= self.seconds:
            self.fired = True
            self.warning = None  # on_idle closes every screen, the countdown with them
            self.on_idle()
            return
        left = self.seconds - idle
        if left <= self.warn_seconds:
            if self.warning is None:
                self.warning = IdleWarning(left)
                self.app.push_screen(self.warning)
            else:
                self.warning.count_down(left)


class IdleWarning(ModalScreen[None]):
    """'Geen activiteit': the seconds left before the kiosk returns to an empty search; any key cancels."""

    DEFAULT_CSS = """
    IdleWarning { align: center middle; }
    IdleWarning #idle_box { width: 60; max-width: 100%; height: auto; border: thick $warning; background: $surface; padding: 0 1; }
    """

    def __init__(self, left: float) -> None:
        super().__init__()
        self.left = left

    def compose(self) -> ComposeResult:
        with Vertical(id="idle_box"):
            yield Static(_("Geen activiteit"), id="idle_title", markup=False)
            yield Static(self.text(), id="idle_text", markup=False)

    def text(self) -> str:
        """The countdown sentence."""
        return _("Over {seconds} s keert de kiosk terug naar een leeg zoekscherm. "
                 "Niet bewaarde invoer wordt als concept bewaard. Druk op een toets om verder te werken.").format(
            seconds=max(int(self.left + 0.5), 0))

    def count_down(self, left: float) -> None:
        """Show the seconds left."""
        self.left = left
        self.query_one("#idle_text", Static).update(self.text())
