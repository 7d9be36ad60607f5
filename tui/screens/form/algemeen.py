"""The Algemeen tab: the Geblokkeerd switch with its state in words, then name, number, type, contact, language."""
from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Static

from klantbeheer.data.i18n import _, date_text
from klantbeheer.tui.screens.form.fields import TABS
from klantbeheer.tui.screens.form.tab import FieldsTab
from klantbeheer.tui.widgets.block_switch import BlockSwitch


class AlgemeenTab(FieldsTab):
    """General fields; the switch is enabled for a beheerder only and never flips by itself."""

    SPEC = TABS[0]

    def __init__(self, is_beheerder: bool) -> None:
        super().__init__()
        self.is_beheerder = is_beheerder

    def compose(self) -> ComposeResult:
        """The block row, then the fields."""
        with Horizontal(classes="row", id="block_row"):
            yield Label(_("Geblokkeerd"), classes="field-label", markup=False)
            yield BlockSwitch(id="blocked", animate=False, disabled=not self.is_beheerder)
            yield Static("", id="blocked_state", markup=False)
        yield from super().compose()

    def show_block(self, blocked: bool, pending: bool, lapsed_until: dt.date | None = None) -> None:
        """The switch and its words: saved, pending or run out, and who may change it."""
        switch = self.query_one("#blocked", BlockSwitch)
        with switch.prevent(BlockSwitch.Changed):
            switch.value = blocked
        if pending:
            words = _("JA — GEBLOKKEERD (nog niet bewaard)") if blocked else _("NEE — blokkering wordt opgeheven (nog niet bewaard)")
        elif lapsed_until is not None:
            words = _("Nee — blokkering verlopen op {date}").format(date=date_text(lapsed_until))
        else:
            words = _("JA — GEBLOKKEERD") if blocked else _("Nee")
        if not self.is_beheerder:
            words += " · " + _("alleen een beheerder kan dit wijzigen")
        state = self.query_one("#blocked_state", Static)
        state.update(words)
        state.set_class(blocked, "on")
