"""The Klantbeheer Textual app: screens, global bindings, operator."""
from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from typing import Any

# Start-up time (issue 6): no collector passes while the modules below load (they only add objects
# that live as long as the process: modules, classes, functions), about a tenth of their import time;
# then those objects go to the permanent generation, so later passes (while the first screen is
# built) do not walk them again.
_COLLECTING = gc.isenabled()
gc.disable()

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from data import staff
from data.visible import visible
from data.db import APP_CACHE_KIB, open_database
from tui.commands import CustomerCommands, SearchFilterCommands
from tui.key_gate import KeyGate, KeyHandled
from tui.live import start_change_watcher
from tui.screens.customer_search import CustomerSearchScreen
from tui import kiosk as kiosk_mode
from tui import themes
from tui.terminal_keys import install_alt_digits

gc.freeze()
if _COLLECTING:
    gc.enable()

STARTUP_GC_DELAY_S = 0.3  # the collector stays off this long after mount: the first screen comes up sooner


class KlantbeheerApp(App[None]):
    """The app: opens the database and logs the operator in when built (errors raise before run)."""

    TITLE = "Klantbeheer"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {CustomerCommands, SearchFilterCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "search", "Zoeken", id="search"),
        Binding("f3", "new_dossier", "Nieuw dossier", id="new_dossier"),
        Binding("ctrl+q", "quit", "Afsluiten", id="quit"),
        Binding("ctrl+p", "command_palette", "Menu", show=False, priority=True, id="command_palette",
                tooltip="Opdrachten: klant zoeken en openen, filter, thema"),
    ]

    def __init__(self, db: str | None = None, operator: str | None = None, kiosk: bool = False, idle_minutes: int = 5,
                 idle_seconds: float | None = None) -> None:
        super().__init__()
        install_alt_digits()
        self.key_gate = KeyGate(self, self._deliver_key)
        self.database = open_database(db, cache_kib=APP_CACHE_KIB)  # one connection per worker thread: small caches
        self.operator: dict[str, Any] = staff.as_dict(staff.login(operator))
        self.kiosk = kiosk
        self.idle_minutes = idle_minutes
        # Laggy links: no animations unless TEXTUAL_ANIMATIONS asks for them.
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
        for theme in themes.terminal_palette_themes():
            self.register_theme(theme)
        self.theme = themes.choose_theme(self.username, frozenset(self.available_themes))
        # Kiosk: no way out (see check_action), and after idle_seconds without input back to an empty search.
        self.idle_watch: kiosk_mode.IdleWatch | None = None
        if kiosk:
            kiosk_mode.lock_terminal_signals()
            seconds = idle_seconds if idle_seconds is not None else idle_minutes * 60
            if seconds > 0:
                self.idle_watch = kiosk_mode.IdleWatch(self, seconds, self.reset_to_empty_search)

    @property
    def username(self) -> str:
        """The operator's username, as data/ functions want it."""
        return self.operator["username"]

    @property
    def is_beheerder(self) -> bool:
        """True when the operator may block, unblock and delete."""
        return self.operator["role"] == "beheerder"

    def on_mount(self) -> None:
        """Start on the search screen."""
        gc.disable()  # until _freeze_startup_objects: no collector passes while the first screen is built
        self.push_screen(CustomerSearchScreen())
        self.key_gate.open = True  # keys typed during start-up go to the search box once it is up
        start_change_watcher(self)
        # Objects made at startup (Textual, Rich, reference data) live as long as the app: keep them
        # out of the collector's full passes, which otherwise pause typing for 50-180 ms now and then.
        self.set_timer(STARTUP_GC_DELAY_S, self._freeze_startup_objects)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        themes.match_no_color_filter(self)
        if self.idle_watch is not None:
            self.idle_watch.start()

    @staticmethod
    def _freeze_startup_objects() -> None:
        """Collect once, move every surviving object to the permanent generation (gc.freeze), collect again from now on."""
        gc.collect()
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        """Give the frozen objects back to the collector (matters when several apps run in one process)."""
        gc.unfreeze()
        gc.enable()

    def _remember_theme(self, _theme: object) -> None:
        """A new theme: the right NO_COLOR filter for it; remember the choice for the next session (not in kiosk mode)."""
        themes.match_no_color_filter(self)
        if not self.kiosk:
            themes.save_theme(self.username, self.theme)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Kiosk mode: no quit, no suspend, no theme or screenshot; otherwise everything may run."""
        if self.kiosk and action in kiosk_mode.BLOCKED_ACTIONS:
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Palette commands in Dutch: the app's own, plus theme and quit outside kiosk mode."""
        if not self.kiosk:
            yield SystemCommand("Thema", "Een ander kleurenthema kiezen (wordt onthouden)", self.action_change_theme)
            yield SystemCommand("Afsluiten", "Klantbeheer afsluiten (Ctrl+Q)", self.action_quit)
        yield SystemCommand("Zoeken", "Terug naar het zoekscherm (F2)", self.action_search)
        yield SystemCommand("Nieuw dossier", "Een nieuw dossier openen (F3)", self.action_new_dossier)
        yield SystemCommand("Toetsen", "De toetsen van dit scherm tonen (F1)", self.action_help)

    def action_help_quit(self) -> None:
        """Ctrl+C (a reflex from the shell): say in Dutch how to quit (kiosk mode blocks this action)."""
        self.notify("Afsluiten doet u met Ctrl+Q.", title="Wilt u afsluiten?")

    def search_themes(self) -> None:
        """The theme picker (palette 'Thema'), with a Dutch prompt."""
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder="Zoek een thema…"))

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, with a Dutch prompt."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="Zoek een klant of opdracht…", id="--command-palette"))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification shows its text literally: names like 'Dupont [/]' are never read as markup."""
        super().notify(visible(message, multiline=True), title=visible(title), severity=severity, timeout=timeout,
                       markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Note input for the kiosk's idle watch; keys from the terminal go through the key gate, in order."""
        if self.idle_watch is not None and isinstance(event, kiosk_mode.ACTIVITY_EVENTS):
            self.idle_watch.touch()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_gate.take(event)
            return
        await super().on_event(event)

    async def _deliver_key(self, event: events.Key) -> None:
        """Handle one key from the terminal the way Textual does (priority bindings, then the focused widget)."""
        await super().on_event(event)

    def on_key_handled(self, message: KeyHandled) -> None:
        """A key has travelled through every widget it went to: the gate may send the next one."""
        message.stop()
        self.key_gate.handled(message.serial)

    def reset_to_empty_search(self) -> None:
        """Kiosk idle: drop every screen and dialog (unsaved input is discarded) and show an empty search."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(CustomerSearchScreen())

    def search_screen(self) -> CustomerSearchScreen | None:
        """The search screen at the bottom of the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, CustomerSearchScreen):
                return screen
        return None

    def action_search(self) -> None:
        """F2: back to the search screen from anywhere (the form asks first if it has changes)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, CustomerSearchScreen) and len(self.screen_stack) == 2:
            self.pop_screen()

    def open_customer(self, number: int | None) -> None:
        """Open the customer form (None for a new customer)."""
        from tui.screens.customer_form import CustomerFormScreen  # imported when first shown: faster start-up

        self.push_screen(CustomerFormScreen(number))

    def action_new_dossier(self, owner: int | None = None) -> None:
        """F3: open the new dossier screen, with an owner when one is known (not over a dialog)."""
        if isinstance(self.screen, ModalScreen):
            return
        from tui.screens.new_dossier import NewDossierScreen  # imported when first shown: faster start-up

        self.push_screen(NewDossierScreen(owner))

    def action_help(self) -> None:
        """F1: show the keys of the current screen."""
        from tui.screens.help import HelpScreen  # imported when first shown: faster start-up

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))
