"""The Geblokkeerd switch: toggling asks the form first (block dialog or confirmation)."""
from __future__ import annotations

from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.widgets import Switch

from klantbeheer.data.i18n import N_


class BlockSwitch(Switch):
    """A Switch that never flips by itself: Space, Enter or a click post `ToggleRequested`."""

    BINDINGS = [Binding("enter,space", "toggle_switch", N_("Geblokkeerd wijzigen"), id="block_switch_toggle", show=False)]

    class ToggleRequested(Message):
        """The user wants the switch flipped; the form decides (dialog, confirmation, refusal)."""

    async def _on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.ToggleRequested())

    def action_toggle_switch(self) -> None:
        """Ask the form instead of toggling."""
        self.post_message(self.ToggleRequested())
