"""The 'Beheer Eigenaars' form: one customer in tabs, the Geblokkeerd switch, Ctrl+S to save."""
from __future__ import annotations

from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Select, Static, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

from data import customers, twins
from data.errors import Conflict, KlantbeheerError, ValidationFailed
from tui.dialogs.duplicates import DuplicateChoice, DuplicatesDialog
from tui.dialogs.save_changes import SaveChangesDialog, SaveChoice
from tui.live import DataChanged
from tui.screens import form_data
from tui.screens.form_block import BlockHandling
from tui.screens.form_data import FormData
from tui.screens.form_delete import CustomerDeleting
from tui.screens.form_errors import FieldErrors
from tui.screens.form_fields import ALL_TABS
from tui.screens.form_input import FieldReactions
from tui.screens.form_layout import form_tabs
from tui.screens.form_live import LiveRefresh
from tui.screens.form_tabs import TabNavigation
from tui.screens.form_values import fill_fields, read_fields
from tui.widgets.block_banner import BlockBanner
from tui.widgets.block_switch import BlockSwitch
from tui.widgets.location_bar import LocationBar

UNSAVED = "● Niet bewaard"
# Alt+1..6 arrive as ESC+digit on xterm, tmux, screen, PuTTY and the Linux console; tui/terminal_keys.py
# makes those the keys alt+1..6 (Textual would type '¡'). F7/F8 and Ctrl+PageUp/PageDown switch tabs too
# (the Linux console sends no Ctrl+PageDown of its own).


class CustomerFormScreen(
    BlockHandling, LiveRefresh, FieldReactions, FieldErrors, CustomerDeleting, TabNavigation, Screen[None],
):
    """The tabbed 'Beheer Eigenaars' form for one customer (None = a new customer)."""

    LOCATION = "Beheer › Derde partijen › Klanten › Beheer Eigenaars"
    DEFAULT_CSS = """
    CustomerFormScreen #form_title { height: 1; padding: 0 1; text-style: bold; }
    CustomerFormScreen #tabs { height: 1fr; }
    CustomerFormScreen TabPane { padding: 0; }
    CustomerFormScreen .tab-body { height: 1fr; padding: 0 1; }
    CustomerFormScreen .row { height: auto; width: 100%; }
    CustomerFormScreen .field-label { width: 23; height: 1; }
    CustomerFormScreen .row Input, CustomerFormScreen .row Select { width: 1fr; }
    CustomerFormScreen #postcode { width: 10; margin-right: 1; }
    CustomerFormScreen #city { width: 1fr; }
    CustomerFormScreen #remarks { height: 6; width: 1fr; }
    CustomerFormScreen .row Checkbox { width: auto; }
    CustomerFormScreen .field-error { color: $text-error; padding-left: 23; height: auto; display: none; }
    CustomerFormScreen .field-error.shown { display: block; }
    CustomerFormScreen .field-hint { color: $text-muted; padding-left: 23; height: auto; display: none; }
    CustomerFormScreen .field-hint.shown { display: block; }
    CustomerFormScreen #block_row { margin-top: 0; }
    CustomerFormScreen #blocked { border: none; padding: 0; height: 1; width: 6; margin-right: 1; }
    CustomerFormScreen #blocked:focus { text-style: reverse; }
    CustomerFormScreen #blocked_state { width: 1fr; height: auto; }
    CustomerFormScreen #blocked_state.on { text-style: bold; color: $text-error; }
    CustomerFormScreen .section { text-style: bold; margin-top: 1; }
    CustomerFormScreen #history_heading { margin-top: 0; }
    CustomerFormScreen #history_scroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Bewaren", id="form_save", priority=True),
        Binding("f10", "save", "Bewaren", id="form_save_f10", show=False, priority=True),
        Binding("escape", "close", "Sluiten", id="form_close"),
        Binding("ctrl+b", "toggle_block", "Blokkeren", id="form_block", priority=True),
        Binding("ctrl+d", "delete", "Verwijderen", id="form_delete", priority=True),
        Binding("ctrl+pagedown", "next_tab(1)", "Volgend tabblad", id="form_next_tab", show=False, priority=True),
        Binding("ctrl+pageup", "next_tab(-1)", "Vorig tabblad", id="form_previous_tab", show=False, priority=True),
        Binding("f8", "next_tab(1)", "Volgend tabblad", id="form_next_tab_f8", show=False, priority=True),
        Binding("f7", "next_tab(-1)", "Vorig tabblad", id="form_previous_tab_f7", show=False, priority=True),
        *[
            Binding(f"alt+{index + 1}", f"show_tab({index})", f"Tabblad {tab.title}", id=f"form_tab_{index + 1}",
                    show=False, priority=True)
            for index, tab in enumerate(ALL_TABS)

        ],
        Binding("f2", "search", "Zoeken", id="form_search", show=False),
        Binding("f3", "new_dossier", "Dossier", id="form_new_dossier", priority=True),
    ]

    def __init__(self, number: int | None = None) -> None:
        super().__init__()
        self.number = number
        self.data: FormData | None = None
        self.version: int | None = None
        self.block_change: dict[str, Any] | None = None
        self.dirty = False
        self.errors: dict[str, str] = {}
        self._loaded_values: dict[str, Any] = {}
        self._filled_postcode: str | None = None
        self._filled_iban: str | None = None
        self._saving = False
        self._submitted: dict[str, Any] = {}
        self.changed_elsewhere = ""
        self.ready_for_keys = False
        """False until the customer is on screen: keys typed while the form opens wait (tui/key_gate.py)."""

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        """Location, title line, block banner, the tabs and the key bar."""
        yield LocationBar(self.LOCATION)
        yield Static("Laden…", id="form_title", markup=False)
        yield BlockBanner("", id="block_banner", markup=False)
        yield from form_tabs(self._is_beheerder)
        yield Footer()

    @property
    def _is_beheerder(self) -> bool:
        """True when the operator may block, unblock and delete."""
        return bool(getattr(self.app, "is_beheerder", False))

    @property
    def _operator(self) -> str:
        """The operator's username for data/ calls."""
        return str(getattr(self.app, "username", ""))

    def on_mount(self) -> None:
        """Load the customer (or a new one's defaults) in a worker."""
        self._load()

    # ----------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-load")
    def _load(self) -> None:
        """Read the customer, choices, history and dossiers, then show them."""
        number = self.number
        try:
            payload = form_data.load(number)
        except KlantbeheerError as problem:
            self.app.call_from_thread(self._load_failed, problem.message)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, payload)

    def _load_failed(self, message: str) -> None:
        """The customer cannot be read: say so and leave the form."""
        self.notify(message, title="Klant niet geopend", severity="error")
        self.query_one("#form_title", Static).update(message)
        self._ready_for_keys()

    def _ready_for_keys(self) -> None:
        """The form is on screen: keys typed while it opened may come in now."""
        if not self.ready_for_keys:
            self.ready_for_keys = True
            gate = getattr(self.app, "key_gate", None)
            if gate is not None:
                gate.pump()

    def _show(self, payload: FormData) -> None:
        """Put a freshly read customer in the form: values, choices, block, history; nothing unsaved."""
        first_time = self.data is None
        self.data = payload
        values = payload.values
        self.version = values.get("version")
        self.block_change = None
        self.changed_elsewhere = ""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed):
            fill_fields(self, values, payload.choices)
        self._filled_postcode = self.query_one("#postcode", Input).value.strip()
        self._filled_iban = self.query_one("#iban", Input).value
        self._offer_towns()
        self._label_checkboxes()
        self._loaded_values = self.collect()
        self._clear_errors()
        self.query_one("#history_events", Static).update("\n".join(payload.history) or "Nog geen gebeurtenissen.")
        self.query_one("#history_dossiers", Static).update("\n".join(payload.dossiers) or "Geen dossiers.")
        self._refresh_block()
        self._refresh_dirty()
        if first_time:
            self.set_focus(self.query_one("#name", Input))
            self._ready_for_keys()

    # ----------------------------------------------------------------- values
    def collect(self) -> dict[str, Any]:
        """The values on screen under their code names (choices as codes, '' when blank)."""
        return read_fields(self)

    def _refresh_dirty(self) -> None:
        """Recompute 'unsaved changes' and show it in the title line."""
        if self.data is None:
            return
        self.dirty = self.block_change is not None or self.collect() != self._loaded_values
        values = self.data.values
        if self.number is None:
            head = f"Nieuwe klant (voorgesteld nummer {values.get('number', '')})"
        else:
            head = f"Klant {values.get('number')} · {values.get('name', '')} · versie {self.version}"
        if values.get("blocked") and self.number is not None:
            head += " · GEBLOKKEERD"
        if self.changed_elsewhere == "verwijderd":
            head += " · ⚠ intussen verwijderd"
        elif self.changed_elsewhere:
            head += f" · ⚠ intussen gewijzigd door {self.changed_elsewhere}"
        self.query_one("#form_title", Static).update(f"{head}   {UNSAVED}" if self.dirty else head)

    # ----------------------------------------------------------------- messages
    # Textual only collects @on handlers from the body of a message pump class, so they stay here.
    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Any) -> None:
        """A field changed: fill-ins, stale errors, 'unsaved' (see FieldReactions)."""
        self._react_to_change(event)

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        """The user left a field: check it (see FieldReactions)."""
        self._check_left_field(event)

    @on(BlockSwitch.ToggleRequested)
    def _switch_requested(self) -> None:
        """Space or Enter on the switch: the same as Ctrl+B."""
        self.action_toggle_block()

    @on(DataChanged)
    def _data_changed(self) -> None:
        """Someone committed somewhere: check whether it was this customer (see LiveRefresh)."""
        self._recheck()

    # ----------------------------------------------------------------- saving
    def action_save(self, then_close: bool = False) -> None:
        """Ctrl+S / F10: save every field (and the block change) in a worker."""
        if self.data is None or self._saving:
            return
        values = self.collect()
        self._submitted = dict(values)
        if self.block_change is not None:
            values.update(self.block_change)
        self._saving = True
        self._save(self.number, values, self.version, then_close)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-save")
    def _save(self, number: int | None, values: dict[str, Any], version: int | None, then_close: bool,
              duplicates_seen: bool = False) -> None:
        """Warn about likely duplicates first (once); create or update the customer, then read it back with its history."""
        operator = self._operator
        try:
            if not duplicates_seen:
                found = twins.duplicates_to_warn(values, number, None if number is None else self._loaded_values)
                if found:
                    self.app.call_from_thread(self._ask_duplicates, found, (number, values, version, then_close))
                    return
            if number is None:
                saved = customers.create(values, operator)
            else:
                saved = customers.update(number, values, version, operator)
            payload = form_data.load(saved["number"])
        except ValidationFailed as problem:
            self.app.call_from_thread(self._show_invalid, problem.errors)
        except Conflict as problem:
            self.app.call_from_thread(self._show_conflict, problem.message)
        except KlantbeheerError as problem:
            self.app.call_from_thread(self._save_failed, problem.message)
        else:
            self.app.call_from_thread(self._saved, payload, number is None, then_close)

    def _ask_duplicates(self, found: list[dict[str, Any]], save: tuple[Any, ...]) -> None:
        """The duplicates dialog: save anyway, open the existing customer (this form stays as it is), or go back."""

        def chosen(choice: DuplicateChoice | None) -> None:
            if choice is not None and choice.action == "save":
                self._save(*save, duplicates_seen=True)
                return
            self._saving = False
            if choice is not None and choice.number is not None:
                self.app.open_customer(choice.number)

        self.app.push_screen(DuplicatesDialog(found), chosen)

    def _saved(self, payload: FormData, created: bool, then_close: bool) -> None:
        """Show the saved values and new version; close when leaving was asked."""
        self._saving = False
        self.number = payload.values["number"]
        self._show(payload)
        what = "aangemaakt" if created else "bewaard"
        self.notify(f"Klant {self.number} ({payload.values['name']}) is {what}.", title="Bewaard")
        if then_close:
            self._close_now()

    def _save_failed(self, message: str) -> None:
        """A refusal (not permitted, not found, database problem): one Dutch notification."""
        self._saving = False
        self.notify(message, title="Niet bewaard", severity="error", timeout=10)

    # ----------------------------------------------------------------- leaving
    def action_close(self) -> None:
        """Escape: leave the form, asking first when there are unsaved changes."""
        self._leave(self._close_now)

    def action_search(self) -> None:
        """F2: back to the search screen, asking first when there are unsaved changes."""
        self._leave(self._to_search)

    def action_new_dossier(self) -> None:
        """F3: a new dossier with this customer as owner (a customer not yet saved has no number: none)."""
        owner = self.number if self.data is not None and self.number is not None else None
        self.app.action_new_dossier(owner)

    def _to_search(self) -> None:
        """Show the search screen (the app's F2)."""
        search = getattr(self.app, "action_search", None)
        if search is not None:
            search()

    def _leave(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after 'Wijzigingen bewaren?' when there are unsaved changes."""
        self._refresh_dirty()
        if not self.dirty:
            then()
            return

        def answered(choice: SaveChoice | None) -> None:
            if choice == "save":
                self.action_save(then_close=True)
            elif choice == "discard":
                self.dirty = False
                self.call_later(then)

        what = "De wijzigingen aan deze klant zijn nog niet bewaard."
        self.app.push_screen(SaveChangesDialog(what), answered)

    def _close_now(self) -> None:
        """Leave the form without asking."""
        if self.app.screen is self:
            self.dismiss()

    # ----------------------------------------------------------------- last resort
    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker: one Dutch notification instead of a traceback."""
        if event.state == WorkerState.ERROR and str(event.worker.group).startswith("customer-form"):
            self._saving = False
            self.notify(f"Er ging iets mis: {event.worker.error}", title="Fout", severity="error", timeout=10)
