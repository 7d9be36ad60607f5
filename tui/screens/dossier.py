"""One dossier: edit description, reference and plate (Ctrl+S), close or reopen it (F6), its history below.

While the owner (or a BTW/IBAN twin) is blocked the dossier is read-only: the block notice shows on opening, the
fields are disabled and one line says why (data/dossier_changes.py holds the rule; this screen only shows it).
"""
from __future__ import annotations

from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import Worker

from klantbeheer.data import dossier_changes
from klantbeheer.data.dossier_history import describe
from klantbeheer.data.dossiers import LIMITS, STATUS_LABELS, owner_then
from klantbeheer.data.errors import Conflict, CustomerBlocked, KlantbeheerError, ValidationFailed
from klantbeheer.data.i18n import N_, Texts, _
from klantbeheer.data.labels import DOSSIER
from klantbeheer.tui import dates
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog, SaveChoice
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.widgets.text_field import TextField
from klantbeheer.tui.worker_errors import failure, notify_failure

FIELDS = ("description", "reference", "licence_plate")
TEXT = Texts({
    "loading": N_("Laden…"),
    "title": N_("Dossier {number} · klant {customer} {name} · {status}"),
    "opened": N_("Geopend op {when} door {who}"),
    "history": N_("Historiek (nieuwste eerst)"),
    "saved": N_("Dossier {number} bewaard."),
    "unchanged": N_("Niets gewijzigd."),
    "closed": N_("Dossier {number} is gesloten."),
    "reopened": N_("Dossier {number} is heropend."),
    "not_saved": N_("Niet bewaard"),
    "refused": N_("Geweigerd"),
    "locked": N_("Dit dossier is alleen-lezen zolang de klant geblokkeerd is."),
    "unsaved": N_("De wijzigingen aan dossier {number} zijn nog niet bewaard."),
})


class DossierLoaded(Message):
    """The dossier as read (values, history, read_only sentence) and the block that makes it read-only, if any."""

    def __init__(self, dossier: dict[str, Any], blocked: CustomerBlocked | None, note: str = "") -> None:
        super().__init__()
        self.dossier, self.blocked, self.note = dossier, blocked, note


class DossierRefused(Message):
    """Reading, saving, closing or reopening was refused (a domain error)."""

    def __init__(self, error: KlantbeheerError) -> None:
        super().__init__()
        self.error = error


class DossierScreen(TranslatedBindings, Screen[None]):
    """The dossier detail screen."""

    LOCATION = N_("Dossiers › Dossier")
    DEFAULT_CSS = """
    DossierScreen #dossier_title { height: 1; padding: 0 1; text-style: bold; }
    DossierScreen #dossier_read_only { padding: 0 1; color: $text-error; text-style: bold; height: auto; display: none; }
    DossierScreen #dossier_read_only.shown { display: block; }
    DossierScreen .row { height: auto; width: 100%; padding: 0 1; }
    DossierScreen .field-label { width: 16; height: 1; }
    DossierScreen .row Input { width: 1fr; }
    DossierScreen .field-error { color: $text-error; padding-left: 17; height: auto; display: none; }
    DossierScreen .field-error.shown { display: block; }
    DossierScreen #dossier_opened { padding: 0 1; color: $text-muted; }
    DossierScreen #dossier_history_heading { padding: 0 1; text-style: bold; margin-top: 1; }
    DossierScreen #dossier_history_scroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f1", "app.help", N_("Help"), id="dossier_help", tooltip=N_("De toetsen van dit scherm")),
        Binding("ctrl+s", "save", N_("Bewaren"), id="dossier_save", priority=True),
        Binding("f10", "save", N_("Bewaren"), id="dossier_save_f10", show=False, priority=True),
        Binding("f6", "set_status('close')", N_("Dossier sluiten"), id="dossier_close", priority=True),
        Binding("f6", "set_status('reopen')", N_("Heropenen"), id="dossier_reopen", priority=True),
        Binding("escape", "leave", N_("Terug"), id="dossier_leave"),
        Binding("f2", "app.search", N_("Zoeken"), show=False, id="dossier_to_search"),
        Binding("f3", "app.new_dossier", N_("Nieuw dossier"), show=False, id="dossier_new"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.dossier: dict[str, Any] | None = None
        self.blocked: CustomerBlocked | None = None
        self.notice_shown = False
        self.busy = False
        self.given_up = False  # "Niet bewaren" was chosen: leaving asks no more
        self.after_save: Callable[[], Any] | None = None  # where "Wijzigingen bewaren?" goes once Bewaren succeeded
        self.ready_for_keys = False
        """False until the dossier is on screen: keys typed while it opens wait (tui/key_gate.py)."""

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield Static(TEXT["loading"], id="dossier_title", markup=False)
        yield Static("", id="dossier_read_only", markup=False)
        for name in FIELDS:
            with Horizontal(classes="row"):
                yield Label(_(DOSSIER[name]), classes="field-label", markup=False)
                yield TextField(id=f"dossier_{name}", max_length=LIMITS.get(name, 20), compact=True)
            yield Static("", classes="field-error", id=f"dossier_{name}_error", markup=False)
        yield Static("", id="dossier_opened", markup=False)
        yield Static(TEXT["history"], id="dossier_history_heading", markup=False)
        with VerticalScroll(id="dossier_history_scroll"):
            yield Static("", id="dossier_history", markup=False)
        yield Footer(compact=True)

    @property
    def operator(self) -> str:
        """The operator's username for data/ calls."""
        return app_of(self).username

    @property
    def read_only(self) -> bool:
        """True while the owner's block holds (as last read)."""
        return self.blocked is not None

    def on_mount(self) -> None:
        """Read the dossier in a worker."""
        self.load()

    # ----------------------------------------------------------------- loading and showing
    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-load")
    def load(self, note: str = "") -> None:
        """Worker: the dossier and the block that makes it read-only now."""
        self._read(note)

    def _read(self, note: str) -> bool:
        """In a worker: read the dossier and its block, and post them with a note (or the refusal); True when read."""
        try:
            shown = dossier_changes.get_dossier(self.number)
            blocked = dossier_changes.dossier_block(self.number)
        except KlantbeheerError as problem:
            self.post_message(DossierRefused(problem))
            return False
        self.post_message(DossierLoaded(shown, blocked, note))
        return True

    @on(DossierLoaded)
    def _loaded(self, message: DossierLoaded) -> None:
        """Show the values (the input kept when only the history changed), the history, and the read-only state."""
        first = self.dossier is None
        self.dossier, self.blocked = message.dossier, message.blocked
        shown = message.dossier
        status = _(STATUS_LABELS.get(shown["status"], shown["status"]))
        title = TEXT["title"].format(number=shown["number"], customer=shown["customer"], name=shown["customer_name"], status=status)
        self.query_one("#dossier_title", Static).update(f"{title} {owner_then(shown)}".rstrip())
        if first or message.note:
            for name in FIELDS:
                self.query_one(f"#dossier_{name}", Input).value = shown.get(name) or ""
        for name in FIELDS:
            self.query_one(f"#dossier_{name}", Input).disabled = self.read_only
        line = self.query_one("#dossier_read_only", Static)
        line.update(shown["read_only"] if self.read_only else "")
        line.set_class(self.read_only, "shown")
        opened = TEXT["opened"].format(when=dates.format_moment(shown["created_at"]), who=shown["created_by"])
        self.query_one("#dossier_opened", Static).update(opened)
        self.query_one("#dossier_history", Static).update("\n".join(describe(event) for event in shown["history"]))
        self.refresh_bindings()
        self.ready_for_keys = True
        if message.note:
            self.notify(message.note, title=_("Dossier"), markup=False)
        if self.blocked is not None and not self.notice_shown:
            self.notice_shown = True
            self.app.push_screen(BlockedNoticeScreen(self.blocked))
        elif first and not self.read_only:
            self.query_one("#dossier_description", Input).focus()

    def values(self) -> dict[str, str]:
        """The fields as typed."""
        return {name: self.query_one(f"#dossier_{name}", Input).value for name in FIELDS}

    def has_unsaved_input(self) -> bool:
        """True when a field differs from the dossier as read."""
        if self.dossier is None or self.read_only or self.given_up:
            return False
        return any((self.dossier.get(name) or "") != value for name, value in self.values().items())

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each field's message under it (or none)."""
        for name in FIELDS:
            target = self.query_one(f"#dossier_{name}_error", Static)
            target.update(errors.get(name, ""))
            target.set_class(bool(errors.get(name)), "shown")

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 reads "Dossier sluiten" on an open dossier and "Heropenen" on a closed one; dimmed while read-only."""
        if action == "set_status":
            if self.dossier is None:
                return False
            wanted = "close" if self.dossier["status"] == "open" else "reopen"
            if parameters != (wanted,):
                return False
            return None if self.read_only else True
        if action == "save" and self.read_only:
            return None
        return True

    def action_save(self) -> None:
        """Ctrl+S: save the fields (the checks of a new dossier) in a worker."""
        if self.dossier is None or self.busy:
            return
        if self.read_only:
            self.notify(TEXT["locked"], title=TEXT["refused"], severity="warning", markup=False)
            return
        self.busy = True
        self._save(self.values(), self.dossier["version"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-save")
    def _save(self, values: dict[str, str], version: int) -> None:
        """Worker: update_dossier, then read it again."""
        try:
            saved = dossier_changes.update_dossier(self.number, values, version, self.operator)
        except KlantbeheerError as problem:
            self.post_message(DossierRefused(problem))
            return
        note = TEXT["saved"] if saved["version"] != version else TEXT["unchanged"]
        self._reload(note.format(number=saved["number"]))

    def action_set_status(self, wanted: str) -> None:
        """F6: close an open dossier or reopen a closed one (no confirmation; the result is notified)."""
        if self.dossier is None or self.busy:
            return
        if self.read_only:
            self.notify(TEXT["locked"], title=TEXT["refused"], severity="warning", markup=False)
            return
        self.busy = True
        self._change_status(wanted, self.dossier["version"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-save")
    def _change_status(self, wanted: str, version: int) -> None:
        """Worker: close_dossier or reopen_dossier, then read it again."""
        try:
            if wanted == "close":
                changed = dossier_changes.close_dossier(self.number, self.operator, version)
            else:
                changed = dossier_changes.reopen_dossier(self.number, self.operator, version)
        except KlantbeheerError as problem:
            self.post_message(DossierRefused(problem))
            return
        self._reload((TEXT["closed"] if wanted == "close" else TEXT["reopened"]).format(number=changed["number"]), keep=True)

    def _reload(self, note: str, keep: bool = False) -> None:
        """In the worker: read the dossier again and show it with a note (`keep`: leave the typed fields as they are)."""
        if not self._read("" if keep else note):
            return
        if keep:
            self.app.call_from_thread(self.notify, note, title=_("Dossier"), markup=False)
        self.app.call_from_thread(self._done)

    def _done(self) -> None:
        """A save or status change has ended (well): go where "Wijzigingen bewaren?" was leaving for."""
        self.busy = False
        self._show_errors({})
        then, self.after_save = self.after_save, None
        if then is not None:
            then()

    @on(DossierRefused)
    def _refused(self, message: DossierRefused) -> None:
        """One sentence; field problems under their fields; a block met meanwhile shows the notice and makes it read-only."""
        self.busy = False
        self.after_save = None  # not saved: stay
        error = message.error
        if isinstance(error, ValidationFailed):
            self._show_errors(error.errors)
            text = "; ".join(f"{_(DOSSIER.get(name, name))}: {problem}" for name, problem in error.errors.items())
            self.notify(text, title=TEXT["not_saved"], severity="error", markup=False)
            return
        if self.dossier is None:  # the dossier could not be read at all
            self.ready_for_keys = True
            self.notify(error.message, title=TEXT["refused"], severity="error", markup=False)
            self.dismiss()
            return
        self.notify(error.message, title=TEXT["not_saved"] if isinstance(error, Conflict) else TEXT["refused"],
                    severity="error", markup=False)
        if isinstance(error, CustomerBlocked):
            self.notice_shown = False  # blocked since it was opened: the notice, then read-only
            self.load()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker: one sentence, never a traceback."""
        error = failure(event, "dossier-")
        if error is not None:
            self.busy = False
            notify_failure(self, error)

    def action_leave(self) -> None:
        """Escape: back, asking first when there are unsaved edits."""
        self.ask_to_leave(self.dismiss)

    def ask_to_leave(self, go_on: Callable[[], Any]) -> None:
        """Run `go_on` now, or after 'Wijzigingen bewaren?' when a field was edited and not saved."""
        if not self.has_unsaved_input():
            go_on()
            return

        def answered(choice: SaveChoice | None) -> None:
            if choice == "save" and not self.busy:
                self.after_save = go_on
                self.action_save()
            elif choice == "discard":
                self.given_up = True
                self.call_later(go_on)

        self.app.push_screen(SaveChangesDialog(TEXT["unsaved"].format(number=self.number)), answered)

    def keep_now(self) -> None:
        """Nothing to keep: dossier edits have no drafts (the app asks "Wijzigingen bewaren?" before it leaves)."""
