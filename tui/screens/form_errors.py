"""The customer form's error lines: one Dutch message under each field, the first wrong field focused."""
from __future__ import annotations

from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static, TabbedContent

from tui.screens.form_fields import FIELD_ORDER, FIELD_TAB, LABELS
from tui.screens.form_host import FormHost


class FieldErrors(FormHost):
    """Mixin of CustomerFormScreen: show, clear and jump to field messages."""

    def _show_field_error(self, name: str, message: str) -> None:
        """Show (or clear) the Dutch message under one field."""
        try:
            target = self.query_one(f"#{name}_error", Static)
        except NoMatches:
            return
        if message:
            self.errors[name] = message
        else:
            self.errors.pop(name, None)
        target.update(message)
        target.set_class(bool(message), "shown")

    def _clear_errors(self) -> None:
        """Remove every field message."""
        for name in list(self.errors):
            self._show_field_error(name, "")

    def _show_invalid(self, errors: dict[str, str]) -> None:
        """Show each problem next to its field, list them all once, focus the first one."""
        self._saving = False
        self._clear_errors()
        for name, message in errors.items():
            self._show_field_error(name, message)
        lines = [f"{LABELS.get(name, name)}: {message}" for name, message in errors.items()]
        self.notify("\n".join(lines), title="Niet bewaard: controleer de velden", severity="error", timeout=10)
        first = next((name for name in FIELD_ORDER if name in errors), None)
        if first:
            self.focus_field(first)

    def focus_field(self, name: str) -> None:
        """Switch to the field's tab and put the focus on it."""
        self.query_one("#tabs", TabbedContent).active = FIELD_TAB[name]
        self.call_after_refresh(self._focus_now, name)

    def _focus_now(self, name: str) -> None:
        """Focus a field and scroll it into view (after its tab is shown)."""
        widget = self.query_one(f"#{name}", Widget)
        widget.focus()
        widget.scroll_visible()
