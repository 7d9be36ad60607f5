"""The browser version's first screen: staff username and password; nothing else is reachable before it."""
from __future__ import annotations

from typing import Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import _


class LoginScreen(Screen[None]):
    """'Aanmelden': the password is checked in a thread (argon2 takes a moment); on success `signed_in` gets the operator."""

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen #login_box { width: 60; max-width: 100%; height: auto; border: thick $primary; padding: 1 2; }
    LoginScreen #login_title { text-style: bold; margin-bottom: 1; }
    LoginScreen Input { margin-bottom: 1; }
    LoginScreen #login_error { color: $error; height: auto; }
    """

    def __init__(self, signed_in: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self.signed_in = signed_in
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login_box"):
            yield Static(_("Klantbeheer: aanmelden"), id="login_title", markup=False)
            yield Label(_("Gebruikersnaam"), markup=False)
            yield Input(id="login_username", max_length=64)
            yield Label(_("Wachtwoord"), markup=False)
            yield Input(id="login_password", password=True, max_length=1024)
            yield Button(_("Aanmelden"), id="login_button", variant="primary")
            yield Static("", id="login_error", markup=False)

    def on_mount(self) -> None:
        """Start in the username field."""
        self.query_one("#login_username", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the username goes to the password; Enter in the password signs in."""
        if event.input.id == "login_username":
            self.query_one("#login_password", Input).focus()
        else:
            self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Aanmelden button."""
        event.stop()
        self.attempt()

    def attempt(self) -> None:
        """Check the typed name and password (once at a time)."""
        if self.busy:
            return
        self.busy = True
        username = self.query_one("#login_username", Input).value
        password = self.query_one("#login_password", Input).value
        self.query_one("#login_error", Static).update(_("Even geduld…"))
        self.check(username, password)

    @work(thread=True, exit_on_error=False, group="login")
    def check(self, username: str, password: str) -> None:
        """Sign in on a worker thread; report back on the screen's thread."""
        from klantbeheer.data import passwords, staff

        try:
            person = staff.as_dict(passwords.sign_in(username, password))
        except KlantbeheerError as problem:
            self.app.call_from_thread(self.refused, problem.message)
            return
        self.app.call_from_thread(self.signed_in, person)

    def refused(self, message: str) -> None:
        """Say why, empty the password and let the user try again."""
        self.busy = False
        self.query_one("#login_error", Static).update(message)
        field = self.query_one("#login_password", Input)
        field.value = ""
        field.focus()
