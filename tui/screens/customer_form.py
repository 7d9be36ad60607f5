"""The 'Beheer Eigenaars' form: one customer in tabs, the Geblokkeerd switch, Ctrl+S to save."""
from __future__ import annotations

from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static, TabbedContent, TabPane, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

from data import customers, postcodes, staff, validation
from data.errors import Conflict, HasDossiers, KlantbeheerError, NotFound, NotPermitted, ValidationFailed
from data.models import database_proxy
from data.reference import EMPTY_PROMPTS
from tui.dialogs.block_reason import BlockDetails, BlockReasonDialog
from tui.dialogs.confirm import ConfirmationModal
from tui.dialogs.conflict import ConflictDialog
from tui.dialogs.save_changes import SaveChangesDialog, SaveChoice
from tui.live import DataChanged
from tui.screens import form_data
from tui.screens.form_data import FormData
from tui.screens.form_fields import ALL_TABS, FIELD_ORDER, FIELD_TAB, FIELDS, LABELS, TABS, FieldSpec
from tui.widgets.block_banner import BlockBanner, BlockInfo
from tui.widgets.block_switch import BlockSwitch
from tui.widgets.location_bar import LocationBar
from tui.widgets.postcode_field import CityInput

UNSAVED = "● Niet bewaard"
# Alt+1..6 need a terminal that reports Alt (kitty protocol, most modern terminals); xterm and
# tmux send ESC+digit, which Textual turns into a printable character. Ctrl+PageUp/PageDown work everywhere.
# Fields whose rule needs no database: checked as soon as the user leaves them.
LIVE_CHECKS = {"name", "number", "email", "phone", "fax", "mobile", "vat_number", "iban", "bic", "payment_term_days"}
ONLY_BEHEERDER = "Alleen een beheerder mag een klant blokkeren of deblokkeren; u bent medewerker."


def display_value(name: str, value: Any) -> Any:
    """A stored value as the form shows it (phones national, VAT with dots, IBAN in groups)."""
    if name in ("show_remarks", "show_id_card"):
        return bool(value)
    if value is None:
        return ""
    if name in ("phone", "fax", "mobile"):
        return validation.format_phone(str(value))
    if name == "vat_number":
        return validation.format_vat(str(value))
    if name == "iban":
        return validation.format_iban(str(value))
    return str(value)


class FieldScroll(VerticalScroll, can_focus=False):
    """A tab's scrolling body; the fields take the focus, the body scrolls to the focused one."""


class CustomerFormScreen(Screen[None]):
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
        *[
            Binding(f"alt+{index + 1}", f"show_tab({index})", f"Tabblad {tab.title}", id=f"form_tab_{index + 1}", show=False)
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

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield Static("Laden…", id="form_title", markup=False)
        yield BlockBanner("", id="block_banner", markup=False)
        with TabbedContent(id="tabs"):
            for tab in TABS:
                with TabPane(tab.title, id=tab.pane_id):
                    with FieldScroll(classes="tab-body", id=f"{tab.pane_id}_body"):
                        if tab.pane_id == "tab_algemeen":
                            yield from self._block_row()
                        for spec in tab.fields:
                            yield from self._field_row(spec)
            with TabPane("Historiek", id="tab_historiek"):
                with VerticalScroll(id="history_scroll"):
                    yield Static("Gebeurtenissen (nieuwste eerst)", classes="section", id="history_heading")
                    yield Static("", id="history_events", markup=False)
                    yield Static("Dossiers", classes="section")
                    yield Static("", id="history_dossiers", markup=False)
        yield Footer()

    def _block_row(self) -> ComposeResult:
        """The Geblokkeerd switch with its state in words."""
        with Horizontal(classes="row", id="block_row"):
            yield Label("Geblokkeerd", classes="field-label")
            yield BlockSwitch(id="blocked", animate=False, disabled=not self._is_beheerder)
            yield Static("", id="blocked_state", markup=False)

    def _field_row(self, spec: FieldSpec) -> ComposeResult:
        """Label, widget (id = code name) and the line for its error message."""
        with Horizontal(classes="row", id=f"row_{spec.name}"):
            yield Label(spec.label, classes="field-label")
            if spec.kind == "choice":
                prompt = EMPTY_PROMPTS.get(spec.name, "- Kies -")
                yield Select([], prompt=prompt, id=spec.name, compact=True)
            elif spec.kind == "check":
                yield Checkbox("", id=spec.name, compact=True)
            elif spec.kind == "memo":
                yield TextArea("", id=spec.name, compact=True, tab_behavior="focus", max_checkpoints=20)
            elif spec.kind == "postcode":
                yield Input(placeholder=spec.placeholder, max_length=spec.max_length, id="postcode", compact=True)
                yield CityInput(placeholder="gemeente", max_length=80, id="city", compact=True)
            else:
                yield Input(placeholder=spec.placeholder, max_length=spec.max_length, id=spec.name, compact=True)
        if spec.kind == "postcode":
            yield Static("", classes="field-hint", id="city_hint", markup=False)
            yield Static("", classes="field-error", id="city_error", markup=False)
        yield Static("", classes="field-error", id=f"{spec.name}_error", markup=False)

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
            with database_proxy.connection_context():
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

    def _show(self, payload: FormData) -> None:
        """Put a freshly read customer in the form: values, choices, block, history; nothing unsaved."""
        first_time = self.data is None
        self.data = payload
        values = payload.values
        self.version = values.get("version")
        self.block_change = None
        self.changed_elsewhere = ""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed):
            for spec in FIELDS.values():
                if spec.kind == "choice":
                    select = self.query_one(f"#{spec.name}", Select)
                    options = [(label, code) for code, label in payload.choices.get(spec.choices, [])]
                    select.set_options(options)
                    code = "" if values.get(spec.name) is None else str(values.get(spec.name))
                    if code and code not in {c for _, c in options}:
                        options.append((code, code))
                        select.set_options(options)
                    if code:
                        select.value = code
                    else:
                        select.clear()
                elif spec.kind == "check":
                    self.query_one(f"#{spec.name}", Checkbox).value = bool(values.get(spec.name))
                elif spec.kind == "memo":
                    self.query_one(f"#{spec.name}", TextArea).text = str(values.get(spec.name) or "")
                elif spec.kind == "postcode":
                    self.query_one("#postcode", Input).value = display_value("postcode", values.get("postcode"))
                    self.query_one("#city", CityInput).value = display_value("city", values.get("city"))
                else:
                    self.query_one(f"#{spec.name}", Input).value = display_value(spec.name, values.get(spec.name))
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
            self.query_one("#name", Input).focus()

    # ----------------------------------------------------------------- values
    def collect(self) -> dict[str, Any]:
        """The values on screen under their code names (choices as codes, '' when blank)."""
        values: dict[str, Any] = {}
        for spec in FIELDS.values():
            if spec.kind == "choice":
                select = self.query_one(f"#{spec.name}", Select)
                values[spec.name] = "" if select.is_blank() else str(select.value)
            elif spec.kind == "check":
                values[spec.name] = self.query_one(f"#{spec.name}", Checkbox).value
            elif spec.kind == "memo":
                values[spec.name] = self.query_one(f"#{spec.name}", TextArea).text
            elif spec.kind == "postcode":
                values["postcode"] = self.query_one("#postcode", Input).value
                values["city"] = self.query_one("#city", CityInput).value
            else:
                values[spec.name] = self.query_one(f"#{spec.name}", Input).value
        return values

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

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Any) -> None:
        widget_id = getattr(event.control, "id", None)
        if widget_id in ("postcode", "country"):
            self._postcode_changed()
        elif widget_id == "iban":
            self._iban_changed()
        elif isinstance(event.control, Checkbox):
            self._label_checkboxes()
        if widget_id in self.errors and self.collect().get(widget_id) != self._submitted.get(widget_id):
            self._show_field_error(widget_id, "")
        self._refresh_dirty()

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        """Check a field when the user leaves it (rules without a database); a BIC that does not fit the IBAN is a warning."""
        name = event.input.id
        if self.data is None or name not in LIVE_CHECKS:
            return
        checked = validation.check_customer({name: event.value})
        # An empty required field is reported on Bewaren, not while the user is still filling in the form.
        message = checked.errors.get(name, "") if event.value.strip() else ""
        if not message and name in ("iban", "bic"):
            both = validation.check_customer({
                "iban": self.query_one("#iban", Input).value, "bic": self.query_one("#bic", Input).value,
            })
            warning = both.warnings.get("bic", "")
            self._show_field_error("bic", f"Let op: {warning}" if warning and "bic" not in both.errors else "")
            if name == "bic":
                return
        self._show_field_error(name, message)

    def _label_checkboxes(self) -> None:
        """Write 'ja' or 'nee' next to each check box, so its state reads without colour."""
        for box in self.query(Checkbox):
            box.label = "ja" if box.value else "nee"

    def _offer_towns(self) -> list[str] | tuple[str, ...]:
        """Offer the towns of a Belgian postcode in the town box; return them."""
        city = self.query_one("#city", CityInput)
        hint = self.query_one("#city_hint", Static)
        country = self.query_one("#country", Select)
        belgian = country.is_blank() or country.value == "BE"
        towns = postcodes.towns(self.query_one("#postcode", Input).value) if belgian else ()
        city.offer(towns)
        others = [town for town in towns if town != city.value]
        hint.update(f"Ook: {', '.join(others)} (↓/↑ in het gemeentevak)" if others and len(towns) > 1 else "")
        hint.set_class(bool(others) and len(towns) > 1, "shown")
        return towns

    def _postcode_changed(self) -> None:
        """A Belgian postcode fills in the town (one of its towns) and the province."""
        code = self.query_one("#postcode", Input).value.strip()
        country = self.query_one("#country", Select)
        belgian = country.is_blank() or country.value == "BE"
        if not belgian or code == self._filled_postcode:
            self._offer_towns()
            return
        self._filled_postcode = code
        towns = postcodes.towns(code)
        if towns:
            city = self.query_one("#city", CityInput)
            if city.value not in towns:
                city.value = towns[0]
            self.query_one("#province", Input).value = postcodes.province(code)
            self._show_field_error("postcode", "")
        elif len(code) >= 4:
            self._show_field_error("postcode", "Onbekende Belgische postcode.")
        self._offer_towns()

    def _iban_changed(self) -> None:
        """A valid Belgian IBAN fills in the BIC of its bank."""
        text = self.query_one("#iban", Input).value
        if text == self._filled_iban:
            return
        self._filled_iban = text
        try:
            compact = validation.check_iban(text)
        except ValueError:
            return
        bic = validation.bic_for_iban(compact)
        if bic:
            self.query_one("#bic", Input).value = bic

    # ----------------------------------------------------------------- errors
    def _show_field_error(self, name: str, message: str) -> None:
        """Show (or clear) the Dutch message under one field."""
        try:
            target = self.query_one(f"#{name}_error", Static)
        except NoMatches:
            return
        if message:
            self.errors[name] = message
        else:
            self.errors.pop(name, None)
        target.update(message)
        target.set_class(bool(message), "shown")

    def _clear_errors(self) -> None:
        """Remove every field message."""
        for name in list(self.errors):
            self._show_field_error(name, "")

    def _show_invalid(self, errors: dict[str, str]) -> None:
        """Show each problem next to its field, list them all once, focus the first one."""
        self._saving = False
        self._clear_errors()
        for name, message in errors.items():
            self._show_field_error(name, message)
        lines = [f"{LABELS.get(name, name)}: {message}" for name, message in errors.items()]
        self.notify("\n".join(lines), title="Niet bewaard: controleer de velden", severity="error", timeout=10)
        first = next((name for name in FIELD_ORDER if name in errors), None)
        if first:
            self.focus_field(first)

    def focus_field(self, name: str) -> None:
        """Switch to the field's tab and put the focus on it."""
        self.query_one("#tabs", TabbedContent).active = FIELD_TAB[name]
        self.call_after_refresh(self._focus_now, name)

    def _focus_now(self, name: str) -> None:
        widget = self.query_one(f"#{name}", Widget)
        widget.focus()
        widget.scroll_visible()

    # ----------------------------------------------------------------- block
    def _refresh_block(self) -> None:
        """Switch, state text and banner after a load or a block change."""
        if self.data is None:
            return
        values = self.data.values
        switch = self.query_one("#blocked", BlockSwitch)
        state = self.query_one("#blocked_state", Static)
        change = self.block_change
        on_now = bool(change["blocked"]) if change is not None else bool(values.get("blocked"))
        with self.prevent(BlockSwitch.Changed):
            switch.value = on_now
        if change is not None:
            words = "JA — GEBLOKKEERD (nog niet bewaard)" if on_now else "NEE — blokkering wordt opgeheven (nog niet bewaard)"
        else:
            words = "JA — GEBLOKKEERD" if on_now else "Nee"
        if not self._is_beheerder:
            words += " · alleen een beheerder kan dit wijzigen"
        state.update(words)
        state.set_class(on_now, "on")
        banner = self.query_one("#block_banner", BlockBanner)
        reasons = dict(self.data.choices.get("block_reason", []))
        if change is not None and change["blocked"]:
            banner.show_block(BlockInfo(
                "pending", reasons.get(change["block_reason"], change["block_reason"]), change["block_message"],
                None, "", change["blocked_until"],
            ))
        elif change is not None:
            banner.show_block(BlockInfo("lifting"))
        elif values.get("blocked"):
            banner.show_block(BlockInfo(
                "saved" if values.get("block_active") else "lapsed", self.data.block_reason_label,
                values.get("block_message") or "", values.get("blocked_at"), self.data.blocked_by_name,
                values.get("blocked_until"),
            ))
        else:
            banner.show_block(None)

    @on(BlockSwitch.ToggleRequested)
    def _switch_requested(self) -> None:
        self.action_toggle_block()

    def action_toggle_block(self) -> None:
        """Ctrl+B / Space / Enter on the switch: block (asks the reason) or unblock (asks to confirm)."""
        if self.data is None:
            return
        if not self._is_beheerder:
            self.notify(ONLY_BEHEERDER, title="Geblokkeerd", severity="warning")
            return
        if self.query_one("#blocked", BlockSwitch).value:
            self.app.push_screen(
                ConfirmationModal(
                    "Blokkering opheffen?",
                    "De klant kan dan weer nieuwe dossiers krijgen. De blokkering wordt opgeheven bij Bewaren (Ctrl+S).",
                    yes="Opheffen", no="Annuleren",
                ),
                self._unblock_answered,
            )
        else:
            name = self.query_one("#name", Input).value
            self.app.push_screen(BlockReasonDialog(self.data.choices.get("block_reason", []), name), self._block_answered)

    def _block_answered(self, details: BlockDetails | None) -> None:
        """The block dialog closed: remember the block until the form is saved."""
        if details is None:
            self._refresh_block()
            return
        self.block_change = {
            "blocked": True, "block_reason": details.reason, "block_message": details.message,
            "blocked_until": details.until,
        }
        self._after_block_change()

    def _unblock_answered(self, confirmed: bool | None) -> None:
        """The unblock question closed: remember the unblock (or drop a block not yet saved)."""
        if not confirmed:
            return
        if self.data is not None and not self.data.values.get("blocked"):
            self.block_change = None
        else:
            self.block_change = {"blocked": False}
        self._after_block_change()

    def _after_block_change(self) -> None:
        self._refresh_block()
        self._refresh_dirty()
        self.query_one("#blocked", BlockSwitch).focus()

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
    def _save(self, number: int | None, values: dict[str, Any], version: int | None, then_close: bool) -> None:
        """Create or update the customer, then read it back with its history."""
        operator = self._operator
        try:
            with database_proxy.connection_context():
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

    def _show_conflict(self, message: str) -> None:
        """Someone else saved in between: offer to reload or keep editing."""
        self._saving = False
        self.app.push_screen(ConflictDialog(message), self._conflict_answered)

    def _conflict_answered(self, reload: bool | None) -> None:
        if reload:
            self._load()
            self.notify("De bewaarde gegevens zijn opnieuw geladen; uw wijzigingen zijn niet bewaard.", title="Herladen")

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

    # ----------------------------------------------------------------- deleting
    def action_delete(self) -> None:
        """Ctrl+D: delete the customer (beheerder only, no dossiers), after confirmation."""
        if self.data is None:
            return
        if self.number is None:
            self.notify("Deze klant is nog niet bewaard.", title="Verwijderen", severity="warning")
            return
        if not self._is_beheerder:
            self.notify("Alleen een beheerder mag een klant verwijderen; u bent medewerker.", title="Verwijderen", severity="warning")
            return
        if self.data.dossier_count:
            self.notify(
                f"Klant {self.number} heeft {self.data.dossier_count} dossier(s) en kan niet verwijderd worden.",
                title="Verwijderen geweigerd", severity="error", timeout=10,
            )
            return
        name = self.data.values.get("name", "")
        self.app.push_screen(
            ConfirmationModal(
                "Klant verwijderen?", f"Klant {self.number} ({name}) wordt verwijderd. De historiek blijft bewaard.",
                yes="Verwijderen", no="Annuleren", danger=True,
            ),
            self._delete_answered,
        )

    def _delete_answered(self, confirmed: bool | None) -> None:
        if confirmed:
            self._delete(self.number, self.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-save")
    def _delete(self, number: int | None, version: int | None) -> None:
        """Delete in a worker; HasDossiers, NotPermitted and Conflict come back as messages."""
        try:
            with database_proxy.connection_context():
                customers.delete(number, self._operator, version)
        except Conflict as problem:
            self.app.call_from_thread(self._show_conflict, problem.message)
        except (HasDossiers, NotPermitted) as problem:
            self.app.call_from_thread(self._save_failed, problem.message)
        except KlantbeheerError as problem:
            self.app.call_from_thread(self._save_failed, problem.message)
        else:
            self.app.call_from_thread(self._deleted, number)

    def _deleted(self, number: int | None) -> None:
        self.notify(f"Klant {number} is verwijderd.", title="Verwijderd")
        self.dirty = False
        self._close_now()

    # ----------------------------------------------------------------- tabs
    def action_next_tab(self, step: int) -> None:
        """Ctrl+PageDown / Ctrl+PageUp: the next or previous tab."""
        tabs = self.query_one("#tabs", TabbedContent)
        ids = [tab.pane_id for tab in ALL_TABS]
        index = ids.index(tabs.active) if tabs.active in ids else 0
        self.action_show_tab((index + step) % len(ids))

    def action_show_tab(self, index: int) -> None:
        """Alt+1..6: show a tab and focus its first field."""
        pane_id = ALL_TABS[index].pane_id
        self.query_one("#tabs", TabbedContent).active = pane_id
        self.call_after_refresh(self._focus_first, pane_id)

    def _focus_first(self, pane_id: str) -> None:
        pane = self.query_one(f"#{pane_id}", TabPane)
        for widget in pane.query("*"):
            if widget.focusable:
                widget.focus()
                return

    # ----------------------------------------------------------------- live
    @on(DataChanged)
    def _data_changed(self) -> None:
        """Someone committed somewhere: check whether it was this customer."""
        if self.data is not None and self.number is not None and not self._saving:
            self._check_fresh(self.number, self.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-check")
    def _check_fresh(self, number: int, version: int | None) -> None:
        """Read the customer's version; report a newer one (or its deletion) to the form."""
        try:
            with database_proxy.connection_context():
                current = customers.get(number)
                who = staff.full_name(current["updated_by"]) if current.get("updated_by") else "onbekend"
        except NotFound:
            self.app.call_from_thread(self._gone_elsewhere, number)
            return
        except KlantbeheerError:
            return
        if current["version"] != version and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._newer_elsewhere, number, version, who)

    def _newer_elsewhere(self, number: int, version: int | None, who: str) -> None:
        """Without own edits show the newer data at once; with edits warn that saving will conflict."""
        if number != self.number or version != self.version or self._saving:
            return
        self._refresh_dirty()  # from the widgets themselves, not from Changed messages still queued
        if not self.dirty:
            self.notify(f"Klant {number} werd gewijzigd door {who}; de nieuwe gegevens worden getoond.", title="Bijgewerkt")
            self._load()
        elif self.changed_elsewhere != who:
            self.changed_elsewhere = who
            self._refresh_dirty()
            self.notify(
                f"Klant {number} werd intussen gewijzigd door {who}. Bewaren geeft een conflict; u kunt dan herladen.",
                title="Intussen gewijzigd", severity="warning", timeout=10,
            )

    def _gone_elsewhere(self, number: int) -> None:
        """The customer was deleted elsewhere: say so (saving will fail with NotFound)."""
        if number == self.number and self.changed_elsewhere != "verwijderd":
            self.changed_elsewhere = "verwijderd"
            self._refresh_dirty()
            self.notify(f"Klant {number} werd intussen verwijderd.", title="Verwijderd", severity="warning", timeout=10)

    # ----------------------------------------------------------------- last resort
    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker: one Dutch notification instead of a traceback."""
        if event.state == WorkerState.ERROR and str(event.worker.group).startswith("customer-form"):
            self._saving = False
            self.notify(f"Er ging iets mis: {event.worker.error}", title="Fout", severity="error", timeout=10)
