"""The Klantbeheer Textual app: screens, global bindings, operator."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from textual import events, messages, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from klantbeheer.data import clock, staff
from klantbeheer.data.db import APP_CACHE_KIB, open_database
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import N_, _, choose_language, language, set_language
from klantbeheer.data.visible import visible
from klantbeheer.tui import kiosk as kiosk_mode
from klantbeheer.tui import themes, timer_guard
from klantbeheer.tui.commands import CustomerCommands, SearchFilterCommands
from klantbeheer.tui.dates import format_moment
from klantbeheer.tui.key_gate import KeyGate, KeyHandled
from klantbeheer.tui.key_names import key_name
from klantbeheer.tui.language import LanguageCommands, language_notice
from klantbeheer.tui.live import start_change_watcher
from klantbeheer.tui.screens.customer_search import CustomerSearchScreen
from klantbeheer.tui.terminal_keys import escape_then_letter, install_alt_digits

AFTER_START_DELAY_S = 0.3  # settings.after_start runs this long after mount, once the first screen is up


@dataclass(frozen=True)
class AppSettings:
    """How the app runs: kiosk mode and its idle reset (idle_seconds overrides idle_minutes, for tests)."""

    kiosk: bool = False
    idle_minutes: int = 5
    idle_seconds: float | None = None
    warn_seconds: float = kiosk_mode.WARN_SECONDS
    after_start: Callable[[], None] | None = None  # run once the first screen is up (app.py settles the collector)
    language: str | None = None  # --language: overrides the operator's stored language for this run
    web: bool = False  # a browser session under serve: a log-in screen first, no server-side files


def guarded(screen: Screen) -> bool:
    """True for a screen that may hold unsaved input (the customer form, the new dossier screen)."""
    return all(hasattr(screen, name) for name in ("has_unsaved_input", "ask_to_leave", "keep_now"))


class DraftKept(Message):
    """A draft kept from an earlier session of this operator (data.drafts.StoredDraft), to offer back."""

    def __init__(self, kept: Any) -> None:
        super().__init__()
        self.kept = kept


def create_app(db: str | None = None, operator: str | None = None, settings: AppSettings | None = None) -> KlantbeheerApp:
    """Open the database, log the operator in and build the app (used by app.py, the tests and serve).

    Every failure is a KlantbeheerError with a Dutch message, raised before the app runs.
    """
    open_database(db, cache_kib=APP_CACHE_KIB)  # one connection per worker thread: small caches
    settings = settings or AppSettings()
    if settings.web:  # the operator is whoever signs in on the log-in screen, never the server's account
        if settings.language:
            set_language(choose_language(settings.language, ""))
        return KlantbeheerApp(None, settings)
    person = staff.as_dict(staff.login(operator))
    if settings.language or person["language"]:  # else the language app.py took from the environment stays
        set_language(choose_language(settings.language, person["language"]))  # before any screen is built
    app = KlantbeheerApp(person, settings)
    app.theme = themes.choose_theme(person["username"], frozenset(app.available_themes))
    return app


class KlantbeheerApp(App[None]):
    """The app for one logged-in operator; build it with create_app (the constructor does no I/O)."""

    TITLE = "Klantbeheer"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {CustomerCommands, SearchFilterCommands, LanguageCommands}
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("f2", "search", N_("Zoeken"), id="search"),
        Binding("f3", "new_dossier", N_("Nieuw dossier"), id="new_dossier"),
        Binding("f5", "dossiers", N_("Dossiers"), show=False, id="dossiers"),
        Binding("ctrl+q", "quit", N_("Afsluiten"), show=False, id="quit"),  # F1 and Ctrl+C name it; the key bar keeps room
        Binding("f9", "reference_lists", N_("Referentielijsten (beheerder)"), show=False, id="reference_lists"),
        Binding("ctrl+p", "command_palette", N_("Menu"), show=False, priority=True, id="command_palette",
                tooltip=N_("Typ: een klant, filter, importeren, exporteren, thema, taal")),
    ]

    def __init__(self, operator: dict[str, Any] | None, settings: AppSettings) -> None:
        super().__init__()
        install_alt_digits()
        timer_guard.install()  # a late toast's negative timer would hang the app (tui/timer_guard.py)
        self.key_gate = KeyGate(self, self._deliver_key)
        self.operator = operator
        self.settings = settings
        self.own_language = language()  # create_app set it: the kiosk's idle reset comes back to it
        self.kiosk = settings.kiosk
        self.web = settings.web
        # Laggy links: no animations unless TEXTUAL_ANIMATIONS asks for them.
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
        for theme in themes.terminal_palette_themes():  # registered here; create_app picks one (it reads settings)
            self.register_theme(theme)
        # Kiosk: no way out (see check_action), and after the idle time (with a warning first) back to an empty search.
        self.idle_watch: kiosk_mode.IdleWatch | None = None
        if settings.kiosk:
            kiosk_mode.lock_terminal_signals()
            seconds = settings.idle_seconds if settings.idle_seconds is not None else settings.idle_minutes * 60
            if seconds > 0:
                self.idle_watch = kiosk_mode.IdleWatch(self, seconds, settings.warn_seconds, self.reset_to_empty_search)

    crash: BaseException | None = None  # the error that ended the app, kept in the support log

    def _handle_exception(self, error: Exception) -> None:
        """A crash: the traceback goes to the support log; the screen shows it only with --debug (run_tui names the log)."""
        from klantbeheer.data import support_log

        self.crash = error
        support_log.record(error, "tui crash")
        super()._handle_exception(error)
        if not support_log.echoing():
            self._exit_renderables.clear()  # Textual's traceback shows locals (customer data): not for a user's screen

    @property
    def username(self) -> str:
        """The operator's username, as data/ functions want it."""
        return self.operator["username"]

    @property
    def is_beheerder(self) -> bool:
        """True when the operator may block, unblock and delete."""
        return self.operator["role"] == "beheerder"

    def on_mount(self) -> None:
        """Start on the search screen (a browser session: on the log-in screen first)."""
        if self.operator is None:
            from klantbeheer.tui.screens.login import LoginScreen

            self.push_screen(LoginScreen(self.signed_in))
            self.key_gate.open = True
            return
        self.start_session()

    def signed_in(self, person: dict[str, Any]) -> None:
        """The log-in screen accepted someone: from now on the session is theirs, in their language and theme."""
        self.operator = person
        if self.settings.language or person["language"]:
            set_language(choose_language(self.settings.language, person["language"]))
        self.own_language = language()
        self.theme = themes.choose_theme(person["username"], frozenset(self.available_themes))
        self.pop_screen()
        self.start_session()

    def start_session(self) -> None:
        """Show the search screen; offer back input kept from an earlier session."""
        self.push_screen(CustomerSearchScreen())
        self.key_gate.open = True  # keys typed during start-up go to the search box once it is up
        start_change_watcher(self)
        if self.settings.after_start is not None:
            self.set_timer(AFTER_START_DELAY_S, self.settings.after_start)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        themes.match_no_color_filter(self)
        if self.idle_watch is not None:
            self.idle_watch.start()
        self.offer_kept_drafts()

    # ----------------------------------------------------------------- drafts kept from an earlier session
    @work(thread=True, exit_on_error=False, group="kept-drafts")
    def offer_kept_drafts(self) -> None:
        """Read this operator's kept drafts (a crash, a dropped connection, a kiosk reset) and offer the oldest."""
        from klantbeheer.data import drafts

        try:
            kept = drafts.kept(self.username)
        except KlantbeheerError:
            return  # no offer this time; the drafts stay for the next start
        if kept:
            self.post_message(DraftKept(kept[0]))

    def on_draft_kept(self, message: DraftKept) -> None:
        """Ask 'Niet bewaarde wijzigingen van 14:02 herstellen?'; Herstellen opens it, Weggooien forgets it."""
        from klantbeheer.tui.dialogs.restore_draft import RestoreDraftDialog

        kept = message.kept
        number = kept.payload.get("number")
        if kept.key == "dossier":
            what = _("een nieuw dossier")
        else:
            what = _("klant {number}").format(number=number) if number is not None else _("een nieuwe klant")
        question = RestoreDraftDialog(
            _("Niet bewaarde wijzigingen van {time} herstellen?").format(time=f"{clock.local(kept.saved_at):%H:%M}"),
            _("Er zijn niet bewaarde wijzigingen aan {what} van {moment}. "
              "Later (Esc) vraagt het opnieuw bij de volgende start.").format(what=what, moment=format_moment(kept.saved_at)),
        )
        self.push_screen(question, lambda yes: self._draft_answered(kept, yes))

    def _draft_answered(self, kept: Any, restore: bool | None) -> None:
        """Open the form with the kept draft, forget it (False), or leave it for the next start (None)."""
        from klantbeheer.data import drafts
        from klantbeheer.data.drafts import CustomerDraft

        if restore and kept.key == drafts.DOSSIER_KEY:
            from klantbeheer.tui.screens.new_dossier import NewDossierScreen

            self.push_screen(NewDossierScreen(None, restored=drafts.DossierDraft.from_json(kept.payload)))
        elif restore:
            from klantbeheer.tui.screens.form.screen import CustomerFormScreen

            draft = CustomerDraft.from_json(kept.payload)
            self.push_screen(CustomerFormScreen(draft.number, restored=draft))
        elif restore is False:
            try:
                drafts.drop(self.username, kept.key)
            except KlantbeheerError as problem:
                self.notify(problem.message, title=_("Concept niet weggegooid"), severity="error", markup=False)
                return
            self.offer_kept_drafts()

    def _remember_theme(self, _theme: object) -> None:
        """A new theme: the right NO_COLOR filter for it; remember the choice for the next session (not in kiosk mode)."""
        themes.match_no_color_filter(self)
        if not self.kiosk:
            themes.save_theme(self.username, self.theme)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Kiosk mode: no quit, no suspend, no theme or screenshot; a browser session: no server-side files,
        and nothing at all before someone has signed in (only quitting)."""
        if self.operator is None:
            return action == "quit"
        if self.kiosk and action in kiosk_mode.BLOCKED_ACTIONS:
            return False
        if self.web and action in kiosk_mode.SERVER_FILE_ACTIONS:
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Palette commands in Dutch: the app's own, plus theme and quit outside kiosk mode."""
        if self.operator is None:
            return
        if not self.kiosk:
            yield SystemCommand(_("Thema"), _("Een ander kleurenthema kiezen (wordt onthouden)"), self.action_change_theme)
            yield SystemCommand(_("Afsluiten"), _("Klantbeheer afsluiten (Ctrl+Q)"), self.action_quit)
        yield SystemCommand(_("Zoeken"), _("Terug naar het zoekscherm (F2)"), self.action_search)
        yield SystemCommand(_("Nieuw dossier"), _("Een nieuw dossier openen (F3)"), self.action_new_dossier)
        yield SystemCommand(_("Dossiers"), _("Dossiers zoeken op nummer, nummerplaat, referentie of klant (F5)"),
                            self.action_dossiers)
        yield SystemCommand(_("Toetsen"), _("De toetsen van dit scherm tonen (F1)"), self.action_help)
        if not (self.kiosk or self.web):  # files on the server, out of a kiosk or browser user's reach
            yield SystemCommand(_("Importeren"), _("Klanten inlezen uit CSV of Excel (beheerder)"), self.action_import_customers)
            yield SystemCommand(_("Exporteren"), _("De zoekresultaten naar CSV of Excel schrijven"), self.action_export_customers)
        yield SystemCommand(_("Referentielijsten"), _("De keuzelijsten van het formulier beheren (F9, beheerder)"),
                            self.action_reference_lists)

    def action_help_quit(self) -> None:
        """Ctrl+C (a reflex from the shell): say in Dutch how to quit (kiosk mode blocks this action)."""
        self.notify(_("Afsluiten doet u met Ctrl+Q."), title=_("Wilt u afsluiten?"))

    def search_themes(self) -> None:
        """The theme picker (palette 'Thema'), with a Dutch prompt."""
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Zoek een thema…")))

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, with a Dutch prompt."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Zoek een klant of opdracht…"), id="--command-palette"))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification shows its text literally: names like 'Dupont [/]' are never read as markup."""
        super().notify(visible(message, multiline=True), title=visible(title), severity=severity, timeout=timeout,
                       markup=False)

    def withdraw_notifications(self, title: str) -> None:
        """Take back the toasts titled `title` (e.g. an error that no longer holds once the user fixed it)."""
        shown = visible(title)
        stale = [note for note in list(self._notifications) if note.title == shown]
        for note in stale:
            self._unnotify(note, refresh=False)
        if stale:
            self._refresh_notifications()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as people say them (Ctrl+PgDn, Alt+1, F3, Esc) in the footer, F1 and the palette."""
        return binding.key_display or key_name(binding.key)

    async def on_event(self, event: events.Event) -> None:
        """Note input for the kiosk's idle watch (a key that cancels its countdown does only that);
        keys from the terminal go through the key gate, in order."""
        if self.idle_watch is not None and isinstance(event, kiosk_mode.ACTIVITY_EVENTS):
            if self.idle_watch.touch() and isinstance(event, events.Key):
                event.stop()
                return
        if isinstance(event, events.Key) and not event.is_forwarded:
            for key in escape_then_letter(event, self.active_bindings) or [event]:
                await self.key_gate.take(key)
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
        """Kiosk idle: keep unsaved input as a draft for this operator, drop every screen, show an empty search."""
        for screen in self.screen_stack:
            if guarded(screen):
                screen.keep_now()  # type: ignore[attr-defined]
        if language() != self.own_language:
            set_language(self.own_language)
        self._fresh_search_screen()

    def _fresh_search_screen(self) -> None:
        """Drop every screen and show an empty search screen (built in the current language)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(CustomerSearchScreen())

    # ----------------------------------------------------------------- language
    @work(thread=True, exit_on_error=False, group="language")
    def choose_language(self, username: str, code: str) -> None:
        """Palette 'Taal: …': store the language (not one's own in kiosk mode: that lasts until the idle reset)."""
        try:
            if self.kiosk and username == self.username:
                person = {**self.operator, "language": code}
            else:
                person = staff.set_language(username, code, self.username)
        except KlantbeheerError as problem:
            self.call_from_thread(self.notify, problem.message, title=_("Niet toegestaan"), severity="error")
            return
        self.call_from_thread(self._language_chosen, person)

    def _language_chosen(self, person: dict[str, Any]) -> None:
        """Say what was stored; for oneself, rebuild the screens in the new language (after asking about unsaved input)."""
        if person["username"] != self.username:
            self.notify(language_notice(person), title=_("Taal"))
            return
        if not self.kiosk:
            self.operator = {**self.operator, "language": person["language"]}
            self.own_language = person["language"]

        def rebuild() -> None:
            set_language(person["language"])
            self._fresh_search_screen()
            self.notify(language_notice(person), title=_("Taal"))

        self.leave_then(rebuild)

    # ----------------------------------------------------------------- every way out asks
    def leave_then(self, then: Callable[[], None]) -> None:
        """Run `then` once every screen with unsaved input has asked 'Wijzigingen bewaren?' and was saved or given up.

        The topmost such screen is shown (screens and dialogs above it close) and asks; its answer
        leads back here for the next one. Terug stops everything.
        """
        for screen in reversed(self.screen_stack):
            if guarded(screen) and screen.has_unsaved_input():  # type: ignore[attr-defined]
                while self.screen is not screen:
                    self.pop_screen()
                screen.ask_to_leave(lambda: self.call_later(self.leave_then, then))  # type: ignore[attr-defined]
                return
        then()

    def on_exit_app(self, _message: messages.ExitApp) -> None:
        """The app ends (Ctrl+Q, or the browser tab closed under serve): stop the key gate before the screens go;
        keep unsaved input as drafts."""
        self.key_gate.close()
        for screen in self.screen_stack:
            if guarded(screen):
                try:
                    screen.keep_now()  # type: ignore[attr-defined]
                except KlantbeheerError:
                    pass  # the database is gone: nothing more can be kept

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, after asking every screen with unsaved input."""
        self.leave_then(self.exit)

    def search_screen(self) -> CustomerSearchScreen | None:
        """The search screen at the bottom of the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, CustomerSearchScreen):
                return screen
        return None

    def action_search(self) -> None:
        """F2: back to the search screen from anywhere, after asking every screen with unsaved input."""
        self.leave_then(self._back_to_search)

    def _back_to_search(self) -> None:
        """Close every screen above the search screen."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, CustomerSearchScreen) and len(self.screen_stack) == 2:
            self.pop_screen()

    def open_customer(self, number: int | None) -> None:
        """Open the customer form (None for a new customer); over other screens, after asking the ones with unsaved input."""
        from klantbeheer.tui.screens.form.screen import CustomerFormScreen  # imported when first shown: faster start-up

        if isinstance(self.screen, CustomerSearchScreen):
            self.push_screen(CustomerFormScreen(number))
            return

        def show() -> None:
            self._back_to_search()
            self.push_screen(CustomerFormScreen(number))

        self.leave_then(show)

    def action_new_dossier(self, owner: int | None = None) -> None:
        """F3: open the new dossier screen, with an owner when one is known (not over a dialog)."""
        if isinstance(self.screen, ModalScreen):
            return
        from klantbeheer.tui.screens.new_dossier import NewDossierScreen  # imported when first shown: faster start-up

        self.push_screen(NewDossierScreen(owner))

    def action_dossiers(self) -> None:
        """F5 (palette "Dossiers"): the dossier search screen (not over a dialog, not twice)."""
        from klantbeheer.tui.screens.dossier_search import DossierSearchScreen  # imported when first shown

        if isinstance(self.screen, (ModalScreen, DossierSearchScreen)):
            return
        self.push_screen(DossierSearchScreen())

    def open_dossier(self, number: str) -> None:
        """Open one dossier's screen over the current one."""
        from klantbeheer.tui.screens.dossier import DossierScreen  # imported when first shown

        if not isinstance(self.screen, ModalScreen):
            self.push_screen(DossierScreen(number))

    def action_import_customers(self) -> None:
        """Palette 'Importeren': the import screen (beheerder only; a medewerker is told so), not over a dialog."""
        if isinstance(self.screen, ModalScreen) or self.kiosk or self.web:
            return
        if not self.is_beheerder:
            self.notify(_("Alleen een beheerder mag klanten importeren."), title=_("Niet toegestaan"), severity="error")
            return
        from klantbeheer.tui.screens.import_screen import ImportScreen  # imported when first shown: faster start-up

        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen())

    def action_export_customers(self) -> None:
        """Palette 'Exporteren': export what the search screen shows (its text and filter), not over a dialog."""
        if isinstance(self.screen, ModalScreen) or self.kiosk or self.web:
            return
        from klantbeheer.tui.dialogs.export import ExportDialog

        search = self.search_screen()
        text = search.search_box.value if search is not None else ""
        self.push_screen(ExportDialog(text, bool(search is not None and search.blocked_only)))

    def action_reference_lists(self) -> None:
        """F9: the reference lists (beheerder only; a medewerker is told so)."""
        from klantbeheer.tui.screens.reference_lists import ONLY_BEHEERDER, ReferenceListsScreen  # imported when first shown

        if isinstance(self.screen, (ModalScreen, ReferenceListsScreen)):
            return
        if not self.is_beheerder:
            self.notify(_(ONLY_BEHEERDER), title=_("Niet toegestaan"), severity="warning")
            return
        self.push_screen(ReferenceListsScreen())

    def action_help(self) -> None:
        """F1: show the keys of the current screen."""
        from klantbeheer.tui.screens.help import HelpScreen  # imported when first shown: faster start-up

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))
