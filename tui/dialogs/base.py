"""The base of every dialog: one look, Escape cancels, and each button runs the action its key runs."""
from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button

ResultT = TypeVar("ResultT")

DIALOG_CSS = """
.dialog-box {
    width: 64; max-width: 100%; height: auto; max-height: 100%;
    border: thick $primary; background: $surface; padding: 0 1;
}
.dialog-title { text-style: bold; width: 100%; margin-bottom: 1; }
.dialog-text { width: 100%; margin-bottom: 1; }
.dialog-buttons { height: auto; width: 100%; align-horizontal: right; }
.dialog-buttons Button { margin-left: 1; min-width: 10; }
"""


class Dialog(ModalScreen[ResultT]):
    """A modal dialog: BUTTONS maps a button's id to the action its key binding runs (Enter presses the focused one)."""

    BUTTONS: ClassVar[dict[str, str]] = {"ok": "confirm", "cancel": "cancel"}

    @on(Button.Pressed)
    async def _button_pressed(self, event: Button.Pressed) -> None:
        """A button does exactly what its key does."""
        action = self.BUTTONS.get(event.button.id or "")
        if action is not None:
            event.stop()
            await self.run_action(action)

    def action_cancel(self) -> None:
        """Escape: close with no result."""
        self.dismiss(None)
