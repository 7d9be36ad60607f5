"""The 'Beheer Eigenaars' form: one customer in tabs, shown from a draft (data/drafts.py), Ctrl+S to save.

A value's way: a field in a tab widget -> FieldEdited -> `self.draft` -> customers.update in a worker
-> Loaded -> the draft takes the newer record (keeping what was typed meanwhile) -> the tabs show it.
"""
from __future__ import annotations

from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Select, Static, TabbedContent, TabPane, TextArea
from textual.worker import Worker, get_current_worker

from klantbeheer.data import customers, drafts, duplicates, lists, staff
from klantbeheer.data.drafts import CustomerDraft, MergeReport
from klantbeheer.data.errors import Conflict, KlantbeheerError, NotFound, ValidationFailed
from klantbeheer.data.i18n import N_, _, colon, date_text
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.dialogs.block_reason import BlockDetails, BlockReasonDialog
from klantbeheer.tui.dialogs.confirm import ConfirmationModal
from klantbeheer.tui.dialogs.duplicates import DuplicateChoice, DuplicatesDialog
from klantbeheer.tui.dialogs.merge import MergeDialog
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog, SaveChoice
from klantbeheer.tui.draft_keeper import DraftKeeper
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.live import DataChanged
from klantbeheer.tui.screens.form import loading
from klantbeheer.tui.screens.form.adres import AdresTab
from klantbeheer.tui.screens.form.algemeen import AlgemeenTab
from klantbeheer.tui.screens.form.communicatie import CommunicatieTab
from klantbeheer.tui.screens.form.dossiers import DossiersTab
from klantbeheer.tui.screens.form.fields import ALL_TABS, FIELD_ORDER, FIELD_TAB, LABELS
from klantbeheer.tui.screens.form.financieel import FinancieelTab
from klantbeheer.tui.screens.form.historiek import HistoriekTab
from klantbeheer.tui.screens.form.loading import FormData
from klantbeheer.tui.screens.form.messages import ChoicesChanged, ConflictFound, Deleted, FieldEdited, FieldLeft, Loaded, NewerStored, Refused
from klantbeheer.tui.screens.form.opmerkingen import OpmerkingenTab
from klantbeheer.tui.screens.form.tab import FieldsTab
from klantbeheer.tui.widgets.block_banner import BlockBanner, BlockInfo
from klantbeheer.tui.widgets.block_switch import BlockSwitch
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.worker_errors import failure, notify_failure

UNSAVED = N_("● Niet bewaard")
NOT_ALLOWED = N_("Niet toegestaan")
ONLY_BEHEERDER = N_("Alleen een beheerder mag een klant blokkeren of deblokkeren; u bent medewerker.")
# What Alt+1..7 do, in the order of ALL_TABS (one msgid each, so a translation can change the word order).
TAB_KEYS = (N_("Tabblad Algemeen"), N_("Tabblad Adres"), N_("Tabblad Communicatie"), N_("Tabblad Financieel"),
            N_("Tabblad Opmerkingen"), N_("Tabblad Historiek"), N_("Tabblad Dossiers"))
FIELD_MESSAGES = (Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed)


class CustomerFormScreen(TranslatedBindings, Screen[None]):
    """The tabbed 'Beheer Eigenaars' form for one customer (None = a new customer)."""

    LOCATION = N_("Beheer › Derde partijen › Klanten › Beheer Eigenaars")
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
    # Alt+1..6 arrive as ESC+digit on xterm, tmux, screen, PuTTY and the Linux console; tui/terminal_keys.py
    # makes those the keys alt+1..6. F7/F8 and Ctrl+PageUp/PageDown switch tabs too.
    BINDINGS = [
        Binding("f1", "app.help", N_("Help"), id="form_help", tooltip=N_("De toetsen van dit scherm")),  # first: always in view
        Binding("ctrl+s", "save", N_("Bewaren"), id="form_save", priority=True),
        Binding("f10", "save", N_("Bewaren"), id="form_save_f10", show=False, priority=True),
        Binding("escape", "close", N_("Sluiten"), id="form_close"),
        Binding("ctrl+b", "toggle_block('block')", N_("Blokkeren"), id="form_block", priority=True),
        Binding("ctrl+b", "toggle_block('unblock')", N_("Deblokkeren"), id="form_unblock", priority=True),
        Binding("ctrl+b", "not_allowed('block')", N_("Blokkeren (alleen beheerder)"), show=False, id="form_block_refused",
                priority=True),
        Binding("ctrl+d", "not_allowed('delete')", N_("Verwijderen (alleen beheerder)"), show=False, id="form_delete_refused",
                priority=True),
        Binding("ctrl+d", "delete", N_("Verwijderen"), id="form_delete", priority=True, show=False),  # rare: F1 lists it
        Binding("ctrl+pagedown", "next_tab(1)", N_("Volgend tabblad"), id="form_next_tab", show=False, priority=True),
        Binding("ctrl+pageup", "next_tab(-1)", N_("Vorig tabblad"), id="form_previous_tab", show=False, priority=True),
        Binding("f8", "next_tab(1)", N_("Volgend tabblad"), id="form_next_tab_f8", show=False, priority=True),
        Binding("f7", "next_tab(-1)", N_("Vorig tabblad"), id="form_previous_tab_f7", show=False, priority=True),
        *[
            Binding(f"alt+{index + 1}", f"show_tab({index})", TAB_KEYS[index], id=f"form_tab_{index + 1}",
                    show=False, priority=True)
            for index, tab in enumerate(ALL_TABS)
        ],
        Binding("f2", "search", N_("Zoeken"), id="form_search", show=False),
        Binding("f3", "new_dossier", N_("Dossier"), id="form_new_dossier", priority=True),
    ]

    def __init__(self, number: int | None = None, restored: CustomerDraft | None = None) -> None:
        super().__init__()
        self.number = number
        self.data: FormData | None = None  # choices, history and labels as last read
        self.draft: CustomerDraft | None = None  # the values: loaded, edited, pending block, errors
        self.restored = restored  # a draft kept from an earlier session, shown on the first load
        self.saving = False
        self.after_save: Callable[[], None] | None = None
        self.given_up = False
        self.changed_elsewhere = ""
        self.merge_report: MergeReport | None = None
        self.keeper = DraftKeeper(self, lambda: self.operator, self.draft_key, self._unsaved, group="customer-form-draft",
                                  ready=lambda: self.draft is not None)
        self.ready_for_keys = False
        """False until the customer is on screen: keys typed while the form opens wait (tui/key_gate.py)."""

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        """Location, title line, block banner, one widget per tab, the key bar."""
        yield LocationBar(self.LOCATION)
        yield Static(_("Laden…"), id="form_title", markup=False)
        yield BlockBanner("", id="block_banner", markup=False)
        with TabbedContent(id="tabs"):
            for tab in (AlgemeenTab(self.is_beheerder), AdresTab(), CommunicatieTab(), FinancieelTab(), OpmerkingenTab()):
                with TabPane(_(tab.SPEC.title), id=tab.SPEC.pane_id):
                    yield tab
            with TabPane(_("Historiek"), id="tab_historiek"):
                yield HistoriekTab()
            with TabPane(_("Dossiers"), id="tab_dossiers"):
                yield DossiersTab()
        yield Footer(compact=True)  # one space between keys: every key fits at 80 columns, in French too

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that apply: Blokkeren or Deblokkeren, and neither nor Verwijderen for a medewerker."""
        if action == "toggle_block":
            if not self.is_beheerder:
                return False
            blocked = self.draft is not None and self.draft.blocked_now()
            return (parameters == ("unblock",)) == blocked
        if action == "delete":
            return self.is_beheerder
        if action == "not_allowed":
            return not self.is_beheerder
        return True

    def action_not_allowed(self, what: str) -> None:
        """Ctrl+B or Ctrl+D from a medewerker: not offered in the key bar, and answered in words."""
        text = _(ONLY_BEHEERDER) if what == "block" else _("Alleen een beheerder mag een klant verwijderen; u bent medewerker.")
        self.notify(text, title=_(NOT_ALLOWED), severity="warning")

    @property
    def is_beheerder(self) -> bool:
        """True when the operator may block, unblock and delete."""
        return app_of(self).is_beheerder

    @property
    def operator(self) -> str:
        """The operator's username for data/ calls."""
        return app_of(self).username

    @property
    def version(self) -> int | None:
        """The stored version the edits are based on."""
        return self.draft.version if self.draft else None

    @property
    def dirty(self) -> bool:
        """True when there is unsaved input (a pending block or unblock included)."""
        return self.draft is not None and self.draft.changed() and not self.given_up

    def tabs(self) -> list[FieldsTab]:
        """The tab widgets with fields."""
        return list(self.query(FieldsTab))

    def on_mount(self) -> None:
        """Load the customer (or a new one's defaults) in a worker."""
        self.load(self.number, {})

    # ----------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-load")
    def load(self, number: int | None, dropped: dict[str, Any]) -> None:
        """Read the customer with choices, history and dossiers; `dropped` are edits the load replaces."""
        try:
            payload = loading.load(number)
        except KlantbeheerError as problem:
            self.post_message(Refused(problem, on_load=True))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(Loaded(payload, dropped))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        """Base the draft on the record read, keep what was typed meanwhile, show it."""
        first_time = self.draft is None
        self.data = message.payload
        if self.draft is None:
            self.draft = self.restored or CustomerDraft(self.number, message.payload.values)
            if self.restored is not None and self.number is not None:
                self._announce(self.draft.merge(message.payload.values), restored=True)
        else:
            self.sync_from_widgets()
            self.draft.reload(message.payload.values, message.dropped)
        self.changed_elsewhere = ""
        self.show_draft()
        self.query_one(HistoriekTab).show(message.payload)
        self.query_one(DossiersTab).show(message.payload)
        if first_time:
            self.set_focus(self.query_one("#name", Input))
            self._ready_for_keys()
        if message.saved:
            self._saved(message)

    def _ready_for_keys(self) -> None:
        """The form is on screen: keys typed while it opened may come in now."""
        if not self.ready_for_keys:
            self.ready_for_keys = True
            app_of(self).key_gate.pump()

    def sync_from_widgets(self) -> None:
        """Take every field's value from the screen into the draft (Changed messages may still be queued)."""
        if self.draft is None or self.data is None:
            return
        for tab in self.tabs():
            for name, value in tab.read().items():
                self.draft.set(name, value)

    def show_draft(self) -> None:
        """Show the draft: fields (only those that differ), errors, block, title."""
        assert self.draft is not None and self.data is not None
        with self.prevent(*FIELD_MESSAGES):
            for tab in self.tabs():
                tab.show(self.draft.values(), self.data.choices)
                tab.show_errors(self.draft.errors)
        self.show_block()
        self.show_title()

    def show_title(self) -> None:
        """The title line: customer, version, block, changed elsewhere, unsaved."""
        if self.draft is None:
            return
        values = self.draft.stored
        if self.number is None:
            head = _("Nieuwe klant (voorgesteld nummer {number})").format(number=values.get('number', ''))
        else:
            head = _("Klant {number} · {name} · versie {version}").format(
                number=values.get("number"), name=values.get("name", ""), version=self.version)
        lapsed = self.draft.lapsed_until()
        if lapsed is not None and self.number is not None:
            head += " · " + _("blokkering verlopen op {date}").format(date=date_text(lapsed))
        elif values.get("blocked") and self.number is not None:
            head += " · " + _("GEBLOKKEERD")
        if self.changed_elsewhere == "verwijderd":
            head += " · ⚠ " + _("intussen verwijderd")
        elif self.changed_elsewhere:
            head += " · ⚠ " + _("intussen gewijzigd door {who}").format(who=self.changed_elsewhere)
        # the marker first: a long name is cut at 80 columns, the marker never
        self.query_one("#form_title", Static).update(f"{_(UNSAVED)} · {head}" if self.dirty else head)

    # ----------------------------------------------------------------- editing
    @on(FieldEdited)
    def _field_edited(self, message: FieldEdited) -> None:
        """A field changed on screen: into the draft; a refused field's message goes once it changes."""
        if self.draft is None:
            return
        had_error = message.name in self.draft.errors
        self.draft.set(message.name, message.value)
        if had_error and message.name not in self.draft.errors:
            self.tab_of(message.name).show_error(message.name, "")
        if message.name == "language":
            self.query_one(AdresTab).taal_changed()  # Brussels' town follows the Taal (Elsene, Ixelles)
        self.given_up = False
        self.draft_changed()

    @on(FieldLeft)
    def _field_left(self, message: FieldLeft) -> None:
        """The user left a field: show what the draft's rules say about it."""
        if self.draft is None:
            return
        self.sync_from_widgets()
        for name, text in self.draft.check_field(message.name).items():
            self.tab_of(name).show_error(name, text)

    def tab_of(self, name: str) -> FieldsTab:
        """The tab widget that holds a field."""
        return self.query_one(f"#{FIELD_TAB[name]}_body", FieldsTab)

    def draft_changed(self) -> None:
        """Update the title and keep the draft in the drafts table a moment after the last change."""
        self.show_title()
        self.keeper.changed()

    def _unsaved(self) -> dict[str, Any] | None:
        """What the drafts table keeps: the draft while it differs from the stored customer, else None."""
        return self.draft.to_json() if self.draft is not None and self.dirty else None

    def draft_key(self) -> str:
        """This form's key in the drafts table."""
        return drafts.customer_key(self.number)

    def keep_now(self) -> None:
        """Write the draft at once, in this thread (kiosk reset, leaving the app)."""
        self.keeper.keep_now()

    # ----------------------------------------------------------------- blocking
    def show_block(self) -> None:
        """Switch, state words and banner from the draft."""
        assert self.draft is not None and self.data is not None
        change, stored = self.draft.block_change, self.draft.stored
        self.query_one(AlgemeenTab).show_block(self.draft.blocked_now(), change is not None, self.draft.lapsed_until())
        self.refresh_bindings()  # Ctrl+B reads Blokkeren or Deblokkeren
        banner = self.query_one("#block_banner", BlockBanner)
        reasons = dict(self.data.choices.get("block_reason", []))
        if change is not None and change["blocked"]:
            banner.show_block(BlockInfo(
                "pending", reasons.get(change["block_reason"], change["block_reason"]), change["block_message"],
                None, "", change["blocked_until"],
            ))
        elif change is not None:
            banner.show_block(BlockInfo("lifting"))
        elif stored.get("blocked"):
            banner.show_block(BlockInfo(
                "saved" if stored.get("block_active", True) else "lapsed",
                reasons.get(stored.get("block_reason") or "", stored.get("block_reason") or ""),
                stored.get("block_message") or "", stored.get("blocked_at"), self.data.blocked_by_name,
                stored.get("blocked_until"),
            ))
        else:
            banner.show_block(None)

    @on(BlockSwitch.ToggleRequested)
    def _switch_toggled(self) -> None:
        """Space or Enter on the Geblokkeerd switch: the same as Ctrl+B."""
        self.action_toggle_block()

    def action_toggle_block(self, shown_as: str = "") -> None:
        """Ctrl+B / Space / Enter on the switch: block (asks the reason) or unblock (asks to confirm).

        `shown_as` is the footer's word for the key (Blokkeren or Deblokkeren); the draft decides.
        """
        if self.draft is None or self.data is None:
            return
        if not self.is_beheerder:
            self.notify(_(ONLY_BEHEERDER), title=_(NOT_ALLOWED), severity="warning")
            return
        if self.draft.blocked_now():
            question = ConfirmationModal(
                _("Blokkering opheffen?"),
                _("De klant kan dan weer nieuwe dossiers krijgen. De blokkering wordt opgeheven bij Bewaren (Ctrl+S)."),
                yes=_("Opheffen"), no=_("Annuleren"),
            )
            self.app.push_screen(question, self._unblock_answered)
        else:
            name = self.query_one("#name", Input).value
            self.app.push_screen(BlockReasonDialog(self.data.choices.get("block_reason", []), name), self._block_answered)

    def _block_answered(self, details: BlockDetails | None) -> None:
        """The block dialog closed: the draft remembers the block until Bewaren."""
        if details is not None and self.draft is not None:
            self.draft.block(details.reason, details.message, details.until)
            self._block_changed()

    def _unblock_answered(self, confirmed: bool | None) -> None:
        """The unblock question closed: the draft remembers the unblock (or drops an unsaved block)."""
        if confirmed and self.draft is not None:
            self.draft.unblock()
            self._block_changed()

    def _block_changed(self) -> None:
        """Show the pending change, mark the form unsaved, focus the switch again."""
        self.given_up = False
        self.show_block()
        self.draft_changed()
        self.query_one("#blocked", BlockSwitch).focus()

    # ----------------------------------------------------------------- saving
    def action_save(self, after: Callable[[], None] | None = None) -> None:
        """Ctrl+S / F10: save the draft (edits and block change) in a worker; `after` runs once it is saved."""
        if self.draft is None or self.saving:
            return
        self.sync_from_widgets()
        self.saving = True
        self.after_save = after
        self.save(self.number, self.draft.to_save(), self.draft.version, dict(self.draft.stored))

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-save")
    def save(self, number: int | None, values: dict[str, Any], version: int | None,
             stored: dict[str, Any] | None = None) -> None:
        """Warn about likely duplicates first (stored=None: already answered); create or update, then read it back."""
        try:
            if stored is not None:
                found = duplicates.duplicates_to_warn(values, number, stored if number is not None else None)
                if found:
                    self.app.call_from_thread(self._ask_duplicates, found, (number, values, version))
                    return
            if number is None:
                saved = customers.create(values, self.operator)
            else:
                saved = customers.update(number, values, version, self.operator)
            payload = loading.load(saved["number"])
        except Conflict as problem:
            self._read_conflict(number, problem)
        except KlantbeheerError as problem:
            self.post_message(Refused(problem))
        else:
            self.post_message(Loaded(payload, values, created=number is None, saved=True))

    def _ask_duplicates(self, found: list[dict[str, Any]], save: tuple[Any, ...]) -> None:
        """Likely duplicates: save anyway, open the existing customer on top (this form stays as it is), or go back."""

        def chosen(choice: DuplicateChoice | None) -> None:
            if choice is not None and choice.action == "save":
                self.save(*save)
                return
            self.saving = False
            self.after_save = None
            if choice is not None and choice.number is not None:
                self.app.push_screen(CustomerFormScreen(choice.number))  # on top: this form and its input stay

        self.app.push_screen(DuplicatesDialog(found), chosen)

    def _read_conflict(self, number: int | None, problem: Conflict) -> None:
        """Someone saved in between: read their record for the merge (in the save worker)."""
        try:
            payload = loading.load(number)
        except KlantbeheerError as again:
            self.post_message(Refused(again))
            return
        self.post_message(ConflictFound(problem.message, payload))

    def _saved(self, message: Loaded) -> None:
        """Saved: new number and version shown, the kept draft updated, then what waited for the save."""
        assert self.draft is not None
        old_key = self.draft_key()
        self.saving = False
        self.number = self.draft.number = message.payload.values["number"]
        if old_key != self.draft_key():
            self.keeper.forget_later(old_key)
        self.keeper.keep_later()
        self.show_title()
        name = message.payload.values["name"]
        if message.created:
            said = _("Klant {number} ({name}) is aangemaakt.").format(number=self.number, name=name)
        else:
            said = _("Klant {number} ({name}) is bewaard.").format(number=self.number, name=name)
        for stale in (_("Niet bewaard"), _("Niet bewaard: controleer de velden")):
            self.app.withdraw_notifications(stale)  # what they said no longer holds
        self.notify(said, title=_("Bewaard"), markup=False)
        after, self.after_save = self.after_save, None
        if after is not None:
            after()

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        """A refusal: field errors next to the fields, anything else as one Dutch notification."""
        self.saving = False
        self.after_save = None
        error = message.error
        if message.on_load:
            self.notify(error.message, title=_("Klant niet geopend"), severity="error", markup=False)
            self.query_one("#form_title", Static).update(error.message)
            if isinstance(error, NotFound) and self.restored is not None:
                self.keeper.forget_later()  # a kept draft of a customer that is gone
            self._ready_for_keys()
        elif isinstance(error, ValidationFailed) and self.draft is not None:
            self.show_invalid(error.errors)
        else:
            self.notify(error.message, title=_("Niet bewaard"), severity="error", timeout=10, markup=False)

    def show_invalid(self, errors: dict[str, str]) -> None:
        """Show each problem next to its field, list them all once, focus the first one."""
        assert self.draft is not None
        self.draft.refused(errors)
        for tab in self.tabs():
            tab.show_errors(errors)
        lines = [f"{colon(_(LABELS.get(name, name)))} {text}" for name, text in errors.items()]
        self.notify("\n".join(lines), title=_("Niet bewaard: controleer de velden"), severity="error", timeout=10, markup=False)
        first = next((name for name in FIELD_ORDER if name in errors), None)
        if first:
            self.focus_field(first)

    def focus_field(self, name: str) -> None:
        """Switch to the field's tab and put the focus on it."""
        self.query_one("#tabs", TabbedContent).active = FIELD_TAB[name]
        self.call_after_refresh(self._focus_now, name)

    def _focus_now(self, name: str) -> None:
        """Focus a field and scroll it into view (after its tab is shown)."""
        widget = self.query_one(f"#{name}", Widget)
        self.set_focus(widget)
        widget.scroll_visible()

    # ----------------------------------------------------------------- others saving meanwhile
    @on(ConflictFound)
    def _conflict(self, message: ConflictFound) -> None:
        """Someone else saved in between: merge their record with the draft and let the user choose."""
        self.saving = False
        self.after_save = None
        if self.draft is None:
            return
        self.sync_from_widgets()
        self.data = message.payload
        self.changed_elsewhere = ""  # the draft is now based on their version
        self.merge_report = self.draft.merge(message.payload.values)
        self.show_draft()
        self.query_one(HistoriekTab).show(message.payload)
        self.query_one(DossiersTab).show(message.payload)
        self.app.push_screen(MergeDialog(message.text, self.merge_report, LABELS), self._merge_answered)

    def _merge_answered(self, choices: dict[str, bool] | None) -> None:
        """The merge dialog closed: apply the choices per field (True = mine); None = Herladen (drop own edits)."""
        if self.draft is None:
            return
        if choices is None:
            self.load(self.number, self.draft.to_save())
            self.notify(_("De bewaarde gegevens zijn opnieuw geladen; uw wijzigingen zijn niet bewaard."), title=_("Herladen"))
            return
        for item in self.merge_report.both if self.merge_report else []:
            self.draft.choose(item.name, choices.get(item.name, True), item.mine)
        self.show_draft()
        self.draft_changed()

    def _announce(self, report: MergeReport, restored: bool = False) -> None:
        """Say what a merge of a restored draft did (fields both changed keep the restored value)."""
        if report.both:
            names = ", ".join(_(LABELS.get(item.name, item.name)) for item in report.both)
            self.notify(_("Intussen ook door iemand anders gewijzigd: {names}. Uw waarde staat op het scherm.").format(names=names),
                        title=_("Hersteld"), severity="warning", timeout=10, markup=False)
        if report.their_block_kept:
            self.notify(_("Deze klant werd intussen geblokkeerd; die blokkering blijft."), title=_("Geblokkeerd"),
                        severity="warning")

    def on_screen_resume(self) -> None:
        """Back from a dossier opened on the Dossiers tab: its row as it is now."""
        if self.data is not None and self.number is not None:
            self.query_one(DossiersTab).reload(self.number)

    @on(DataChanged)
    def _data_changed(self) -> None:
        """Someone committed somewhere: check whether it was this customer, or a reference list."""
        if self.draft is not None and self.number is not None and not self.saving:
            self.check_fresh(self.number, self.version)
        if self.draft is not None and self.data is not None:
            self.check_lists(self.data.lists_stamp, dict(self.draft.stored))

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-lists")
    def check_lists(self, stamp: int, stored: dict[str, Any]) -> None:
        """Read the lists' stamp; when a list changed, read the choices again (a new hersteller shows at once)."""
        try:
            if lists.stamp() == stamp:
                return
            choices, now = loading.choices_for(stored)
        except KlantbeheerError:
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ChoicesChanged(choices, now))

    @on(ChoicesChanged)
    def _choices_changed(self, message: ChoicesChanged) -> None:
        """Offer the lists as they are now; what is typed or picked stays."""
        if self.data is None or self.draft is None or message.stamp == self.data.lists_stamp:
            return
        self.sync_from_widgets()
        self.data.choices, self.data.lists_stamp = message.choices, message.stamp
        self.show_draft()

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-check")
    def check_fresh(self, number: int, version: int | None) -> None:
        """Read the customer's version; report a newer one (or its deletion) to the form."""
        try:
            current = customers.get(number)
            who = staff.full_name(current["updated_by"]) if current.get("updated_by") else _("onbekend")
        except NotFound:
            self.post_message(NewerStored(number, version, None, ""))
            return
        except KlantbeheerError:
            return
        if current["version"] != version and not get_current_worker().is_cancelled:
            self.post_message(NewerStored(number, version, current, who))

    @on(NewerStored)
    def _newer_stored(self, message: NewerStored) -> None:
        """Without own edits show the newer data at once; with edits warn that saving will merge."""
        if message.number != self.number or message.version != self.version or self.saving:
            return
        if message.newer is None:
            if self.changed_elsewhere != "verwijderd":
                self.changed_elsewhere = "verwijderd"
                self.show_title()
                self.notify(_("Klant {number} werd intussen verwijderd.").format(number=message.number), title=_("Verwijderd"), severity="warning",
                            timeout=10)
            return
        self.sync_from_widgets()
        if not self.dirty:
            self.notify(_("Klant {number} werd gewijzigd door {who}; de nieuwe gegevens worden getoond.").format(number=message.number, who=message.who),
                        title=_("Bijgewerkt"), markup=False)
            self.load(self.number, {})
        elif self.changed_elsewhere != message.who:
            self.changed_elsewhere = message.who
            self.show_title()
            self.notify(
                _("Klant {number} werd intussen gewijzigd door {who}. Bij Bewaren voegt u beide samen.").format(number=message.number, who=message.who),
                title=_("Intussen gewijzigd"), severity="warning", timeout=10, markup=False,
            )

    # ----------------------------------------------------------------- deleting
    def action_delete(self) -> None:
        """Ctrl+D: delete the customer (beheerder only, no dossiers), after confirmation."""
        if self.data is None:
            return
        if self.number is None:
            self.notify(_("Deze klant is nog niet bewaard."), title=_("Verwijderen"), severity="warning")
        elif not self.is_beheerder:
            self.notify(_("Alleen een beheerder mag een klant verwijderen; u bent medewerker."), title=_(NOT_ALLOWED),
                        severity="warning")
        elif self.data.dossier_count:
            self.notify(customers.has_dossiers_text(self.number, self.data.dossier_count),
                title=_("Verwijderen geweigerd"), severity="error", timeout=10)
        else:
            question = ConfirmationModal(
                _("Klant verwijderen?"),
                _("Klant {number} ({name}) wordt verwijderd. De historiek blijft bewaard.").format(number=self.number, name=self.data.values.get('name', '')),
                yes=_("Verwijderen"), no=_("Annuleren"), danger=True,
            )
            self.app.push_screen(question, lambda yes: self.delete(self.number, self.version) if yes else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-save")
    def delete(self, number: int | None, version: int | None) -> None:
        """Delete in a worker; a refusal comes back as a message."""
        try:
            customers.delete(number, self.operator, version)
            drafts.drop(self.operator, drafts.customer_key(number))
        except KlantbeheerError as problem:
            self.post_message(Refused(problem))
        else:
            self.post_message(Deleted(number or 0))

    @on(Deleted)
    def _deleted(self, message: Deleted) -> None:
        """The customer is gone: say so and leave the form without asking."""
        self.notify(_("Klant {number} is verwijderd.").format(number=message.number), title=_("Verwijderd"))
        self.given_up = True
        self.close_now()

    # ----------------------------------------------------------------- leaving
    def action_next_tab(self, step: int) -> None:
        """Ctrl+PageDown / Ctrl+PageUp (F8 / F7): the next or previous tab."""
        tabs = self.query_one("#tabs", TabbedContent)
        ids = [tab.pane_id for tab in ALL_TABS]
        index = ids.index(tabs.active) if tabs.active in ids else 0
        self.action_show_tab((index + step) % len(ids))

    def action_show_tab(self, index: int) -> None:
        """Alt+1..7: show a tab and focus its first text field at once (a key typed next lands there).

        A text field, not the first focusable widget: on Algemeen that is the Geblokkeerd switch, where a stray
        Space opened the block dialog.
        """
        pane_id = ALL_TABS[index].pane_id
        self.query_one("#tabs", TabbedContent).active = pane_id
        focusable = [widget for widget in self.query_one(f"#{pane_id}", TabPane).query("*") if widget.focusable]
        typed_into = [widget for widget in focusable if isinstance(widget, (Input, TextArea))]
        if typed_into or focusable:
            self.set_focus((typed_into or focusable)[0])

    def has_unsaved_input(self) -> bool:
        """True when leaving would lose something (edits or a pending block change)."""
        self.sync_from_widgets()
        return self.dirty

    def ask_to_leave(self, go_on: Callable[[], None]) -> None:
        """Run `go_on` now, or after 'Wijzigingen bewaren?' (Bewaren / Niet bewaren / Terug) when there is unsaved input."""
        if not self.has_unsaved_input():
            go_on()
            return

        def answered(choice: SaveChoice | None) -> None:
            if choice == "save":
                self.action_save(after=go_on)
            elif choice == "discard":
                self.give_up()
                self.call_later(go_on)

        name = self.draft.values().get("name", "") if self.draft else ""
        what = _("De wijzigingen aan klant {number} ({name}) zijn nog niet bewaard.").format(number=self.number or _('(nieuw)'), name=name)
        self.app.push_screen(SaveChangesDialog(what), answered)

    def on_unmount(self) -> None:
        """The form goes (any way): keep unsaved input, or forget a kept draft that no longer differs."""
        try:
            self.keep_now()
        except KlantbeheerError:
            pass  # the database is gone; nothing more can be kept

    def give_up(self) -> None:
        """Niet bewaren: forget the input, here and in the drafts table."""
        self.given_up = True
        self.keeper.forget_now()  # when the database fails the kept copy stays; the next start offers it

    def action_close(self) -> None:
        """Escape: leave the form, asking first when there is unsaved input."""
        self.ask_to_leave(self.close_now)

    def action_search(self) -> None:
        """F2: back to the search screen (the app asks every screen with unsaved input)."""
        self.app.action_search()

    def action_new_dossier(self) -> None:
        """F3: a new dossier with this customer as owner (a customer not yet saved has no number: none)."""
        self.app.action_new_dossier(self.number if self.data is not None else None)

    def close_now(self) -> None:
        """Leave the form without asking."""
        if self.app.screen is self:
            self.dismiss()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker: one Dutch notification instead of a traceback."""
        error = failure(event, "customer-form")
        if error is not None:
            self.saving = False
            notify_failure(self, error)
