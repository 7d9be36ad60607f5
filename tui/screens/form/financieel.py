"""The Financieel tab: VAT, payment terms and bank; a valid Belgian IBAN fills in the BIC."""
from __future__ import annotations

from textual import on
from textual.widgets import Input

from klantbeheer.data import validation
from klantbeheer.tui.screens.form.fields import TABS
from klantbeheer.tui.screens.form.tab import FieldsTab


class FinancieelTab(FieldsTab):
    """Financial fields."""

    SPEC = TABS[3]

    @on(Input.Changed, "#iban")
    def _iban_changed(self, event: Input.Changed) -> None:
        """A valid Belgian IBAN fills in the BIC of its bank."""
        try:
            compact = validation.check_iban(event.input.value)
        except ValueError:
            return
        bic = validation.bic_for_iban(compact)
        if bic:
            self.query_one("#bic", Input).value = bic
