"""The running Klantbeheer app, typed, for screens and widgets (they only ever run inside it)."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from klantbeheer.tui.app import KlantbeheerApp


def app_of(node: DOMNode) -> KlantbeheerApp:
    """node.app as the KlantbeheerApp it is (a cast: no import cycle with tui/app.py at run time)."""
    return cast("KlantbeheerApp", node.app)
