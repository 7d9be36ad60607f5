"""The Opmerkingen tab: the remarks and two check boxes, each with 'ja' or 'nee' written next to it."""
from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Checkbox

from klantbeheer.data.i18n import _
from klantbeheer.tui.screens.form.fields import TABS
from klantbeheer.tui.screens.form.tab import FieldsTab


class OpmerkingenTab(FieldsTab):
    """Remarks and display options."""

    SPEC = TABS[4]

    def show(self, values: dict[str, Any], choices: dict[str, list[tuple[str, str]]]) -> None:
        """Show the values and label the check boxes."""
        super().show(values, choices)
        self._label_checkboxes()

    @on(Checkbox.Changed)
    def _label_checkboxes(self) -> None:
        """Write 'ja' or 'nee' next to each check box, so its state reads without colour."""
        for box in self.query(Checkbox):
            box.label = _("ja") if box.value else _("nee")
