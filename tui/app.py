"""The Klantbeheer Textual app: screens, global bindings, operator."""
from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding

from data import staff
from data.db import open_database
from tui.screens.customer_form import CustomerFormScreen
from tui.screens.customer_search import CustomerSearchScreen
from tui.screens.new_dossier import NewDossierScreen


class KlantbeheerApp(App[None]):
    """The app: opens the database and logs the operator in when built (errors raise before run)."""

    TITLE = "Klantbeheer"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "search", "Zoeken", id="search"),
        Binding("f3", "new_dossier", "Nieuw dossier", id="new_dossier"),
        Binding("ctrl+q", "quit", "Afsluiten", id="quit"),
    ]

    def __init__(self, db: str | None = None, operator: str | None = None, kiosk: bool = False, idle_minutes: int = 5) -> None:
        super().__init__()
        self.database = open_database(db)
        self.db_location = db
        self.operator: dict[str, Any] = staff.as_dict(staff.login(operator))
        self.kiosk = kiosk
        self.idle_minutes = idle_minutes

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
        self.push_screen(CustomerFormScreen(number))

    def action_new_dossier(self, owner: int | None = None) -> None:
        """F3: open the new dossier screen, with an owner when one is known."""
        self.push_screen(NewDossierScreen(owner))

    def action_help(self) -> None:
        """F1: show the keys of the current screen."""
        self.action_show_help_panel()
