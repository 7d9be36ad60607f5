"""A check box whose state is a glyph, not only a colour: under NO_COLOR "[X]" when ticked, "[ ]" when not."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A Checkbox that shows its state without colour (Textual's draws "▐X▌" either way and colours the X)."""

    @property
    def _button(self) -> Content:
        """With colours Textual's own button; under NO_COLOR brackets around an X or a space."""
        if not self.app.no_color:
            return super()._button
        style = self.get_visual_style("toggle--button")
        return Content.assemble("[", ("X" if self.value else " ", style), "]")
