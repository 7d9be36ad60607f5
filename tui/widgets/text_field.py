"""The app's one-line text field: focusing it never selects the text; the cursor goes to the end."""
from __future__ import annotations

from typing import Any

from textual.events import Focus
from textual.widgets import Input
from textual.widgets.input import Selection


class TextField(Input):
    """An Input that keeps its text when focused: typing adds at the end, it never replaces the value silently."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["select_on_focus"] = False
        super().__init__(*args, **kwargs)

    def _on_focus(self, event: Focus) -> None:
        """Cursor to the end of the text, nothing selected, every time the field gets the focus."""
        if not event.from_app_focus:
            self.selection = Selection.cursor(len(self.value))
        super()._on_focus(event)
