"""F1 help: every key of the screen underneath, with what it does and where it works."""
from __future__ import annotations

from typing import Iterable, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.actions import ActionError, parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer

from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.i18n import TranslatedBindings

EVERYWHERE = N_("Overal")
ON_SCREEN = N_("Op dit scherm")
BOX_WIDTH = 76  # the help box at 80 columns; narrower terminals give it less (max-width: 100%)
CHROME = 2 + 2 + 2 + 4  # border, padding, the vertical scrollbar, and the two columns' cell padding


class KeyHelp(NamedTuple):
    """One line of help: the key(s), what they do, where they work."""

    keys: str
    description: str
    where: str


def _enabled(node: DOMNode, binding: Binding) -> bool:
    """False when the node disables this binding now; a node may answer for help via help_check_action."""
    try:
        _, name, params = parse(binding.action)
    except ActionError:
        return True
    if "." in binding.action.split("(", 1)[0]:
        return True  # namespaced action (app.x, screen.x): shown as is
    check = getattr(node, "help_check_action", None) or node.check_action
    return check(name, params) is not False


def own_bindings(node: DOMNode) -> dict[str, list[Binding]]:
    """Key -> bindings declared by Klantbeheer's own classes (Dutch texts); a subclass's bindings of a key win.

    Read from the classes' public BINDINGS; the app sets no keymap, so these are the keys in force.
    A key may hold several bindings of which check_action enables one (F4: filter on / off).
    """
    found: dict[str, list[Binding]] = {}
    for cls in reversed(type(node).__mro__):
        if not cls.__module__.startswith("klantbeheer.tui."):
            continue
        declared: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            declared.setdefault(binding.key, []).append(binding)
        found.update(declared)
    return found


def _entries(node: DOMNode, where: str) -> Iterable[tuple[str, Binding, str]]:
    """(key, binding, where) for each of our own documented bindings of one node."""
    for key, bindings in own_bindings(node).items():
        for binding in bindings:
            if not binding.system and binding.description and _enabled(node, binding):
                yield key, binding, where


def collect_help(screen: Screen) -> list[KeyHelp]:
    """The keys of `screen`: its own widgets that declare HELP_CONTEXT, the screen itself, then the app."""
    app = screen.app
    sources: list[tuple[DOMNode, str]] = []
    for widget in screen.walk_children():
        context = getattr(widget, "HELP_CONTEXT", None)
        if context:
            sources.append((widget, str(context)))
    sources.append((screen, ON_SCREEN))
    sources.append((app, EVERYWHERE))
    screen_keys: set[str] = set()
    merged: dict[tuple[str, str], list[str]] = {}
    for node, where in sources:
        for key, binding, place in _entries(node, where):
            if place == ON_SCREEN:
                screen_keys.add(key)
            elif place == EVERYWHERE and key in screen_keys:
                continue  # the screen overrides the app's binding for this key
            display = app.get_key_display(binding)
            group = (_(binding.tooltip or binding.description), place)  # keys that say the same share a line
            keys = merged.setdefault(group, [])
            if display not in keys:
                keys.append(display)
    notes = [KeyHelp(_(keys), _(text), ON_SCREEN) for keys, text in getattr(screen, "HELP_NOTES", [])]
    return notes + [KeyHelp(" / ".join(keys), description, where) for (description, where), keys in merged.items()]


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    """Lists the keys of the screen it was opened from; Escape or F1 closes it."""

    BINDINGS = [
        Binding("escape,f1", "close", N_("Sluiten"), id="close_help"),
        Binding("h", "guide", N_("Handleiding"), id="open_guide"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%; border: round $primary;
        background: $surface; padding: 0 1; }
    HelpScreen > Vertical { border-title-style: bold; border-title-align: left; }
    HelpScreen #help-keys { height: auto; max-height: 1fr; }  /* all the keys at 80x24; scrolls when lower */
    """

    def __init__(self, title: str, entries: list[KeyHelp]) -> None:
        super().__init__()
        self.help_title = title
        self.entries = entries

    @classmethod
    def for_screen(cls, screen: Screen) -> "HelpScreen":
        """Help for `screen` (its LOCATION, if it has one, as the title)."""
        location = getattr(screen, "LOCATION", "") or screen.__class__.__name__
        return cls(_("Toetsen · {location}").format(location=_(location)), collect_help(screen))

    def compose(self) -> ComposeResult:
        with Vertical() as box:  # the title in the border: one more row of keys at 80x24
            box.border_title = Content(self.help_title)
            yield DataTable(id="help-keys", cursor_type="none", zebra_stripes=False, show_header=False)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one("#help-keys", DataTable)
        keys_width = max((cell_len(entry.keys) for entry in self.entries), default=4)
        table.add_column(_("Toets"), key="keys", width=keys_width)
        table.add_column(_("Functie"), key="description", width=self.description_width(keys_width))
        for where in dict.fromkeys(entry.where for entry in self.entries):
            table.add_row(Text(""), Text(_(where), style="bold underline"))
            for entry in (e for e in self.entries if e.where == where):
                table.add_row(Text(entry.keys), Text(entry.description), height=None)  # a long text wraps, never cut
        table.focus()

    def description_width(self, keys_width: int) -> int:
        """The width left for the descriptions beside the keys, inside the box at this terminal's width."""
        return max(20, min(BOX_WIDTH, self.app.size.width) - CHROME - keys_width)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

    def action_guide(self) -> None:
        """Open the staff guide in place of this help."""
        from klantbeheer.tui.screens.guide import GuideScreen

        self.dismiss(None)
        self.app.push_screen(GuideScreen())
