"""Stored text as it may be shown: control characters and terminal escapes become visible placeholders.

A name that reached the database with ESC, BEL or a C1 control in it (old data, an import, a
script) would otherwise be sent to the terminal raw: `\\x1b[2J` cleared the screen. Every value
that data/ hands out for showing (customer, search rows, history, dossiers, staff, the block
notice) goes through `visible()`, so the TUI and the CLI can only print it. Validation already
refuses these characters in new input; the stored value itself is never changed here.
"""
from __future__ import annotations

from typing import Any, Mapping

MULTILINE_FIELDS = frozenset({"remarks", "block_message", "message"})
"""Fields shown over several lines: their line breaks and tabs stay."""

_BIDI_CONTROLS = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
_SINGLE_LINE = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_SINGLE_LINE |= {code: "\ufffd" for code in range(0x80, 0xA0)} | {code: "\ufffd" for code in _BIDI_CONTROLS}
_MULTI_LINE = {code: char for code, char in _SINGLE_LINE.items() if code not in (0x09, 0x0A)}
_MULTI_LINE[0x0D] = ""  # CR LF as written on Windows: the LF is the line break


def visible(text: str, multiline: bool = False) -> str:
    """The text with ESC as ␛, BEL as ␇ (every C0 control as its Control Picture), C1 and bidi overrides as �."""
    if text.isprintable():  # no control or format character at all (most values): nothing to replace
        return text
    return text.translate(_MULTI_LINE if multiline else _SINGLE_LINE)


def visible_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a row with every text value made visible (multi-line fields keep their line breaks)."""
    return {
        key: visible(value, key in MULTILINE_FIELDS) if isinstance(value, str) else value
        for key, value in values.items()
    }


def visible_tree(value: Any) -> Any:
    """`visible()` applied to every text inside nested lists and dicts (history changes)."""
    if isinstance(value, str):
        return visible(value, multiline=True)
    if isinstance(value, dict):
        return {key: visible_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [visible_tree(item) for item in value]
    return value
