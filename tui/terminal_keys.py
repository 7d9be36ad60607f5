"""Alt+digit as the terminal sends it: ESC followed by the digit becomes the key alt+N, never a character.

xterm, tmux, screen, PuTTY and the Linux console send Alt+1 as the two bytes ESC 1. Textual's key
table maps those pairs to the characters macOS types with Option+digit (ESC 1 becomes '¡', ESC 6 '§'),
so Alt+1 in a form field typed '¡'. Here the pairs ESC 0..ESC 9 are mapped to alt+0..alt+9 instead,
which the form binds to its tabs. A digit typed on its own, or '§' typed on a Belgian keyboard,
is not affected: only the two-byte sequence that starts with ESC is.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual import _ansi_sequences

ESC = "\x1b"


@dataclass(frozen=True)
class _AltKey:
    """Stands in for a `Keys` member in Textual's table: the parser reads only `.value`."""

    value: str


def install_alt_digits() -> None:
    """Make ESC+digit the key alt+digit (idempotent; called when the app is built)."""
    table = _ansi_sequences.ANSI_SEQUENCES_KEYS
    for digit in "0123456789":
        table[ESC + digit] = (_AltKey(f"alt+{digit}"),)  # type: ignore[index]
