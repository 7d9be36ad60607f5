"""The top line: where the user is (in the old menu's words) and who is working."""
from __future__ import annotations

from textual.widgets import Static


class LocationBar(Static):
    """Shows 'Klantbeheer · <location> · <operator> (<role>)' on one line."""

    DEFAULT_CSS = """
    LocationBar { height: 1; background: $primary; color: $text; padding: 0 1; }
    """

    def __init__(self, location: str) -> None:
        super().__init__(id="location")
        self.location = location

    def on_mount(self) -> None:
        """Fill in the operator once the app is known."""
        operator = getattr(self.app, "operator", {}) or {}
        who = f"{operator.get('full_name') or operator.get('username', '')} ({operator.get('role', '')})"
        self.update(f"Klantbeheer · {self.location}  ·  {who}")
