"""Keys written as people say them: Ctrl+S, Ctrl+PgDn, Alt+1, F3, Esc (not Textual's ^s, ^pgdn, alt+1)."""
from __future__ import annotations

from klantbeheer.data.i18n import N_, _

# Textual's key names, as printed on keyboards (Belgian AZERTY and US keyboards print these in English too).
KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "tab": "Tab", "space": N_("Spatie"), "backspace": "Backspace",
    "delete": "Del", "insert": "Ins", "home": "Home", "end": "End", "pageup": "PgUp", "pagedown": "PgDn",
    "up": "↑", "down": "↓", "left": "←", "right": "→", "slash": "/", "question_mark": "?", "plus": "+",
    "minus": "-", "comma": ",", "full_stop": ".",
}
MODIFIERS = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta", "super": "Super"}


def key_name(key: str) -> str:
    """One key combination as people say it: "ctrl+pagedown" -> "Ctrl+PgDn", "alt+1" -> "Alt+1", "f3" -> "F3"."""
    *modifiers, base = key.split("+") if key != "+" else ["+"]
    if base == "space":
        name = _(KEY_NAMES[base])  # the one key name that is a word
    elif base in KEY_NAMES:
        name = KEY_NAMES[base]
    elif len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        name = base.upper()
    elif len(base) == 1:
        name = base.upper()
    else:
        name = base.replace("_", " ").capitalize()
    return "+".join([*(MODIFIERS.get(m, m.capitalize()) for m in modifiers), name])
