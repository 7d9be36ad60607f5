"""Alt+digit as the terminal sends it: ESC followed by the digit becomes the key alt+N, never a character.

xterm, tmux, screen, PuTTY and the Linux console send Alt+1 as the two bytes ESC 1. Textual's key
table maps those pairs to the characters macOS types with Option+digit (ESC 1 becomes '¡', ESC 6 '§'),
so Alt+1 in a form field typed '¡'. Here the pairs ESC 0..ESC 9 are mapped to alt+0..alt+9 instead,
which the form binds to its tabs. A digit typed on its own, or '§' typed on a Belgian keyboard,
is not affected: only the two-byte sequence that starts with ESC is.

Escape and a letter in one packet (a laggy SSH link) reach Textual as the same two bytes, so it
reads them as Alt+letter: Escape did nothing and the letter was typed (ESC b and ESC f even became
word-left and word-right and lost the letter). An Alt+letter that no binding uses is therefore
given back as what it was typed as: Escape, then the letter (`escape_then_letter`).
"""
from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from textual import _ansi_sequences, events

ESC = "\x1b"
ALT_LETTER = re.compile(r"alt\+(shift\+)?([a-z])")
WORD_MOVES = "bf"  # Textual maps ESC b / ESC f to ctrl+left / ctrl+right (macOS Option+arrow); real ones are CSI sequences


@dataclass(frozen=True)
class _AltKey:
    """Stands in for a `Keys` member in Textual's table: the parser reads only `.value`."""

    value: str


def install_alt_digits() -> None:
    """Make ESC+digit the key alt+digit (idempotent; called when the app is built)."""
    table = _ansi_sequences.ANSI_SEQUENCES_KEYS
    for digit in "0123456789":
        table[ESC + digit] = (_AltKey(f"alt+{digit}"),)  # type: ignore[index]
    for letter in WORD_MOVES:
        table[ESC + letter] = (_AltKey(f"alt+{letter}"),)  # type: ignore[index]


def escape_then_letter(key: events.Key, bound: Container[str]) -> list[events.Key] | None:
    """Alt+letter that no binding in `bound` uses: the keys Escape and the letter; None for any other key."""
    found = ALT_LETTER.fullmatch(key.key)
    if found is None or key.key in bound:
        return None
    letter = found.group(2).upper() if found.group(1) else found.group(2)
    return [events.Key("escape", ESC), events.Key(letter, letter)]
