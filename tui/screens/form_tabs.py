"""Moving between the customer form's tabs from the keyboard: Ctrl+PageUp/PageDown, F7/F8 and Alt+1..6."""
from __future__ import annotations

from textual.widgets import TabbedContent, TabPane

from tui.screens.form_fields import ALL_TABS
from tui.screens.form_host import FormHost


class TabNavigation(FormHost):
    """Mixin of CustomerFormScreen: the tab actions, each focusing the first field of the tab shown."""

    def action_next_tab(self, step: int) -> None:
        """Ctrl+PageDown / Ctrl+PageUp (F8 / F7): the next or previous tab."""
        tabs = self.query_one("#tabs", TabbedContent)
        ids = [tab.pane_id for tab in ALL_TABS]
        index = ids.index(tabs.active) if tabs.active in ids else 0
        self.action_show_tab((index + step) % len(ids))

    def action_show_tab(self, index: int) -> None:
        """Alt+1..6: show a tab and focus its first field at once (a key typed next lands there)."""
        pane_id = ALL_TABS[index].pane_id
        self.query_one("#tabs", TabbedContent).active = pane_id
        self._focus_first(pane_id)

    def _focus_first(self, pane_id: str) -> None:
        """Focus the first focusable widget of a tab."""
        pane = self.query_one(f"#{pane_id}", TabPane)
        for widget in pane.query("*"):
            if widget.focusable:
                self.set_focus(widget)
                return
