"""New dossier screen: pick an owner (a blocked one is refused with a notice), describe, create; the owner's block is followed live."""
from __future__ import annotations

from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import Worker

from klantbeheer.data import dossiers
from klantbeheer.data.drafts import DOSSIER_FIELDS, DOSSIER_KEY, DossierDraft
from klantbeheer.data.errors import CustomerBlocked, KlantbeheerError, NotFound, TwinBlocked, ValidationFailed
from klantbeheer.data.i18n import N_, Texts, _, colon
from klantbeheer.data.labels import DOSSIER
from klantbeheer.data.validation import check_licence_plate
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog, SaveChoice
from klantbeheer.tui.draft_keeper import DraftKeeper
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.live import DataChanged
from klantbeheer.tui.widgets.block_banner import BlockBanner, BlockInfo
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.widgets.owner_picker import OwnerPicker, owner_label
from klantbeheer.tui.widgets.text_field import TextField
from klantbeheer.tui.worker_errors import failure, notify_failure

TEXT = Texts({
    "owner": N_("Eigenaar"),
    "description": N_("Omschrijving *"),
    "reference": N_("Referentie"),
    "licence_plate": N_("Nummerplaat"),
    "operator": N_("Dossierbeheerder"),
    "owner_help": N_("↑↓ kiest een suggestie, Enter neemt ze over."),
    "owner_checking": N_("Eigenaar {number} wordt gecontroleerd…"),
    "owner_ok": N_("Eigenaar gecontroleerd: niet geblokkeerd."),
    "choose_owner": N_("Kies eerst een eigenaar."),
    "still_checking": N_("Even geduld: de eigenaar wordt nog gecontroleerd."),
    "saving": N_("Het dossier wordt aangemaakt…"),
    "created": N_("Dossier {number} aangemaakt voor {label}."),
    "created_title": N_("Dossier aangemaakt"),
    "remarks_title": N_("Opmerking bij {label}"),
    "invalid_title": N_("Dossier niet aangemaakt"),
    "blocked_status": N_("Klant {label} is geblokkeerd; kies een andere eigenaar."),
    "twin_status": N_("{notice}; kies een andere eigenaar."),
    "blocked_now_title": N_("Eigenaar intussen geblokkeerd"),
    "plate_hint": N_("Nummerplaat: {problem}"),
    "unsaved": N_("Het nieuwe dossier is nog niet aangemaakt; wat u typte gaat anders verloren."),
})
FIELD_LABELS = DOSSIER  # data/labels.py
REMARKS_SHOWN_CHARS = 600


class OwnerChecked(Message):
    """The owner is known and not blocked (live: checked again because data changed elsewhere)."""

    def __init__(self, check_id: int, info: dict[str, Any], initial: bool, live: bool = False) -> None:
        super().__init__()
        self.check_id = check_id
        self.info = info
        self.initial = initial
        self.live = live


class OwnerRefused(Message):
    """The owner could not be used: blocked (error is CustomerBlocked) or another domain error."""

    def __init__(self, check_id: int, error: KlantbeheerError, live: bool = False) -> None:
        super().__init__()
        self.check_id = check_id
        self.error = error
        self.live = live


class SaveDone(Message):
    """The dossier was created."""

    def __init__(self, dossier: dict[str, Any]) -> None:
        super().__init__()
        self.dossier = dossier


class SaveRefused(Message):
    """Saving was refused by data/: blocked owner, invalid fields, unknown owner, ..."""

    def __init__(self, error: KlantbeheerError) -> None:
        super().__init__()
        self.error = error


class NewDossierScreen(TranslatedBindings, Screen[None]):
    """Open a new dossier for an owner (None = choose one)."""

    LOCATION = N_("Dossiers › Nieuw dossier")
    DEFAULT_CSS = """
    NewDossierScreen #dossier-form { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    NewDossierScreen .dossier-row { height: auto; }
    NewDossierScreen .dossier-label { width: 18; padding: 1 0 0 0; }
    NewDossierScreen .dossier-line .dossier-label { padding: 0; }
    NewDossierScreen OwnerPicker, NewDossierScreen .dossier-row Input { width: 1fr; }
    NewDossierScreen #licence_plate { width: 24; }
    NewDossierScreen #operator-name { width: 1fr; }
    NewDossierScreen #owner-status { margin: 0 0 0 18; color: $text-muted; }
    NewDossierScreen #owner-remarks { margin: 0 0 0 18; padding: 0 1; height: auto; max-height: 8; display: none;
        border: round $warning; border-title-style: bold; }
    NewDossierScreen #owner-remarks.shown { display: block; }
    NewDossierScreen #owner-block { margin: 0 0 0 18; width: 1fr; }
    NewDossierScreen #form-message { margin: 1 0 0 18; color: $text-warning; height: auto; }
    NewDossierScreen #dossier-result { margin: 0 0 0 18; text-style: bold; height: auto; }
    NewDossierScreen Input.-invalid { border: tall $error; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Aanmaken"), id="dossier_save"),
        Binding("f10", "save", N_("Aanmaken"), show=False, id="dossier_save_f10"),
        Binding("escape", "leave", N_("Terug"), id="dossier_leave"),
        Binding("f3", "focus_owner", N_("Eigenaar"), show=False, id="dossier_focus_owner"),
    ]

    def __init__(self, owner: int | None = None, restored: DossierDraft | None = None) -> None:
        super().__init__()
        self.owner = owner
        self.draft = restored or DossierDraft()  # what was typed; kept in the drafts table when the app must go
        self.restored = restored is not None
        self.after_save: Callable[[], None] | None = None
        self.given_up = False  # Niet bewaren was chosen: leaving no longer asks
        self.keeper = DraftKeeper(self, lambda: app_of(self).username, lambda: DOSSIER_KEY, self._unsaved, group="dossier-draft")
        self.owner_info: dict[str, Any] | None = None
        self.created: dict[str, Any] | None = None
        self._check_id = 0
        self._checking: int | None = None
        self.followed: int | None = None
        """The owner in the box whose block is followed live (checked once; also while found blocked meanwhile)."""
        self.blocked: CustomerBlocked | None = None
        """The followed owner's block, found after picking (by another terminal); saving shows its notice."""
        self._saving = False
        self.ready_for_keys = owner is None
        """False while the owner we opened with is checked: keys typed meanwhile wait (see tui/key_gate.py)."""

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        with VerticalScroll(id="dossier-form", can_focus=False):
            with Horizontal(classes="dossier-row"):
                yield Label(TEXT["owner"], classes="dossier-label", markup=False)
                yield OwnerPicker(id="owner-picker")
            yield Static(TEXT["owner_help"], id="owner-status", markup=False)
            yield BlockBanner("", id="owner-block", markup=False)
            yield Static("", id="owner-remarks", markup=False)
            with Horizontal(classes="dossier-row"):
                yield Label(TEXT["description"], classes="dossier-label", markup=False)
                yield TextField(id="description", max_length=200)
            with Horizontal(classes="dossier-row"):
                yield Label(TEXT["reference"], classes="dossier-label", markup=False)
                yield TextField(id="reference", max_length=60)
            with Horizontal(classes="dossier-row"):
                yield Label(TEXT["licence_plate"], classes="dossier-label", markup=False)
                yield TextField(id="licence_plate", max_length=20, placeholder=_("bv. 1-ABC-123"))
            with Horizontal(classes="dossier-row dossier-line"):
                yield Label(TEXT["operator"], classes="dossier-label", markup=False)
                yield Static(self._operator_name(), id="operator-name", markup=False)
            yield Static("", id="form-message", markup=False)
            yield Static("", id="dossier-result", markup=False)
        yield Footer()

    # ----- helpers -------------------------------------------------------------------------

    def _operator_name(self) -> str:
        """The operator's full name (the dossierbeheerder), falling back to the username."""
        operator = app_of(self).operator or {}
        return operator.get("full_name") or operator.get("username", "")

    @property
    def picker(self) -> OwnerPicker:
        """The owner picker."""
        return self.query_one(OwnerPicker)

    def _value(self, field: str) -> str:
        """The text of one input."""
        return self.query_one(f"#{field}", Input).value

    def _status(self, text: str) -> None:
        """The line under the owner picker."""
        self.query_one("#owner-status", Static).update(text)

    def _show_remarks(self, info: dict[str, Any] | None) -> None:
        """The owner's remarks in a panel that stays while that owner is picked ('Opmerking Tonen'); None hides it."""
        panel = self.query_one("#owner-remarks", Static)
        remarks = (info or {}).get("remarks") or ""
        if info is None or not info.get("show_remarks") or not remarks.strip():
            panel.remove_class("shown")
            panel.update("")
            return
        remarks = remarks.strip()
        if len(remarks) > REMARKS_SHOWN_CHARS:
            remarks = remarks[:REMARKS_SHOWN_CHARS].rstrip() + "…"
        panel.border_title = Content(TEXT["remarks_title"].format(label=owner_label(info["number"], info["name"])))
        panel.update(remarks)
        panel.add_class("shown")

    def _message(self, text: str) -> None:
        """The line under the fields (validation problems)."""
        self.query_one("#form-message", Static).update(text)

    def is_dirty(self) -> bool:
        """True when something was typed that no dossier holds yet (the draft decides, from the fields)."""
        self.draft.set("owner", self.picker.text)
        for field in DOSSIER_FIELDS:
            self.draft.set(field, self._value(field))
        return self.draft.changed()

    def _stop_following(self) -> None:
        """No owner is followed any more: no block banner."""
        self.followed = None
        self.blocked = None
        self.query_one("#owner-block", BlockBanner).show_block(None)

    def _forget_owner(self) -> None:
        """No owner: clear the picker and focus it."""
        self._stop_following()
        self.owner_info = None
        self._checking = None
        self._check_id += 1
        self._show_remarks(None)
        self.picker.clear()
        self.set_focus(self.picker.input)

    # ----- owner ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Start with the owner we were given (checked like a picked one), else in the picker."""
        if self.restored:
            self.picker.show_text(self.draft.owner_text)
            for field, text in self.draft.values.items():
                self.query_one(f"#{field}", Input).value = text
        elif self.owner is not None:
            self.picker.show_text(str(self.owner))
            self.draft.given_owner_text = self.picker.text
            self._start_check(self.owner, initial=True)
        self.set_focus(self.picker.input)

    def _ready(self) -> None:
        """The screen is set up: keys typed while it opened may come in now."""
        if not self.ready_for_keys:
            self.ready_for_keys = True
            app_of(self).key_gate.pump()

    def _start_check(self, number: int, initial: bool = False) -> None:
        """Check the owner for a block in a worker."""
        self.owner_info = None
        self._stop_following()
        self._check_id += 1
        self._checking = number
        self._show_remarks(None)
        self._status(TEXT["owner_checking"].format(number=number))
        self._check_owner(number, self._check_id, initial)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-owner")
    def _check_owner(self, number: int, check_id: int, initial: bool, live: bool = False) -> None:
        """Ask data/ whether this owner may get a dossier (runs in a thread)."""
        try:
            info = dossiers.check_owner(number)
        except KlantbeheerError as problem:
            self.post_message(OwnerRefused(check_id, problem, live))
            return
        self.post_message(OwnerChecked(check_id, info, initial, live))

    @on(DataChanged)
    def _data_changed(self) -> None:
        """Someone committed somewhere: check the followed owner again, quietly (a block or unblock shows at once)."""
        if self.followed is None or self._saving or self._checking is not None:
            return
        self._check_id += 1
        self._check_owner(self.followed, self._check_id, False, live=True)

    @on(OwnerPicker.Picked)
    def _owner_picked(self, event: OwnerPicker.Picked) -> None:
        """A customer was picked: check it (a blocked one brings up the notice)."""
        event.stop()
        self._start_check(event.number)

    @on(OwnerPicker.Cleared)
    def _owner_cleared(self, event: OwnerPicker.Cleared) -> None:
        """The owner was typed over: no owner until a new one is picked."""
        event.stop()
        self.owner_info = None
        self._stop_following()
        self._checking = None
        self._check_id += 1
        self._show_remarks(None)
        self._status(TEXT["owner_help"])

    @on(OwnerChecked)
    def _owner_ok(self, event: OwnerChecked) -> None:
        """Show the owner; show its remarks once when 'Opmerking Tonen' is set."""
        if event.check_id != self._check_id:
            return
        info = event.info
        self._checking = None
        self._stop_following()
        self.owner_info = info
        self.followed = info["number"]
        label = owner_label(info["number"], info["name"])
        if not event.live or self.picker.text != label:
            self.picker.show_owner(info["number"], info["name"])  # a live check leaves open suggestions alone
        if event.initial:
            self.draft.given_owner_text = self.picker.text
        self._status(TEXT["owner_ok"].format(label=label))
        self.app.withdraw_notifications(TEXT["owner"])  # an earlier owner's refusal no longer holds
        self.app.withdraw_notifications(TEXT["blocked_now_title"])  # nor a block lifted elsewhere since
        self._show_remarks(info)
        if event.initial and self.picker.input.has_focus:
            self.set_focus(self.query_one("#description", Input))  # opened for this owner: straight to Omschrijving
        self._ready()

    @on(OwnerRefused)
    def _owner_refused(self, event: OwnerRefused) -> None:
        """A blocked owner brings up the notice; an unknown one a notification."""
        if event.check_id != self._check_id:
            return
        if event.live and not isinstance(event.error, (CustomerBlocked, NotFound)):
            return  # a passing database problem: keep what is shown; saving checks again anyway
        self._checking = None
        self.owner_info = None
        if event.live and isinstance(event.error, CustomerBlocked):
            self._blocked_meanwhile(event.error)
        elif isinstance(event.error, CustomerBlocked):
            self._show_blocked(event.error)
        else:
            self.notify(event.error.message, title=TEXT["owner"], severity="error", markup=False)
            self._forget_owner()
            self._status(TEXT["owner_help"])
        self._ready()

    def _blocked_status(self, error: CustomerBlocked) -> None:
        """The status line of a blocked owner (or of one that shares a BTW-nummer or IBAN with a blocked customer)."""
        if isinstance(error, TwinBlocked):
            self._status(TEXT["twin_status"].format(notice=error.notice))
        else:
            self._status(TEXT["blocked_status"].format(label=owner_label(error.number, error.name)))

    def _blocked_meanwhile(self, error: CustomerBlocked) -> None:
        """Another terminal blocked the followed owner: status, banner (who, when, why) and a notification; it stays
        in the box and followed, so an unblock elsewhere shows too; saving brings up the notice."""
        self._show_remarks(None)
        self._blocked_status(error)
        self.query_one("#owner-block", BlockBanner).show_block(BlockInfo(
            "saved", error.reason, error.block_message, error.blocked_at, error.blocked_by, error.blocked_until))
        seen = self.blocked
        self.blocked = error
        if seen is None or (seen.reason, seen.block_message, seen.blocked_at) != (error.reason, error.block_message, error.blocked_at):
            self.notify(error.message, title=TEXT["blocked_now_title"], severity="error", timeout=10, markup=False)

    def _show_blocked(self, error: CustomerBlocked) -> None:
        """The block notice; when it closes the owner is cleared and the picker focused."""
        self.owner_info = None
        self._stop_following()
        self._show_remarks(None)
        self._blocked_status(error)

        def closed(_: None) -> None:
            self._forget_owner()

        if isinstance(self.app.screen, BlockedNoticeScreen):
            return
        self.app.push_screen(BlockedNoticeScreen(error), closed)

    def action_focus_owner(self) -> None:
        """F3 on this screen: back to the owner picker."""
        self.set_focus(self.picker.input)

    # ----- fields --------------------------------------------------------------------------

    @on(Input.Blurred, "#licence_plate")
    def _plate_left(self, event: Input.Blurred) -> None:
        """Normalise a Belgian plate on leaving the field (1ABC123 becomes 1-ABC-123)."""
        self._normalise_plate()

    def _normalise_plate(self) -> bool:
        """Write the normalised plate back; False (with a hint) when it is not a plate."""
        field = self.query_one("#licence_plate", Input)
        try:
            normal = check_licence_plate(field.value)
        except ValueError as problem:
            field.add_class("-invalid")
            self._message(TEXT["plate_hint"].format(problem=problem))
            return False
        field.remove_class("-invalid")
        if normal != field.value:
            field.value = normal
        self._message("")
        return True

    @on(Input.Changed, "#description, #reference, #licence_plate")
    def _field_changed(self, event: Input.Changed) -> None:
        """Typing in a field removes its error mark; the draft is kept a moment after the last key."""
        event.input.remove_class("-invalid")
        self.draft.set(str(event.input.id), event.input.value)
        self._typed()

    @on(Input.Changed, "OwnerPicker Input")
    def _owner_typed(self) -> None:
        """The owner box changed: into the draft, kept a moment after the last key."""
        self.draft.set("owner", self.picker.text)
        self._typed()

    def _typed(self) -> None:
        """Something was typed: leaving asks again, and the draft is kept after a short pause."""
        self.given_up = False
        self.keeper.changed()  # a crash or a dropped connection loses nothing

    def _unsaved(self) -> dict[str, Any] | None:
        """What the drafts table keeps: what was typed, or None when it is nothing or was given up."""
        return self.draft.to_json() if not self.given_up and self.draft.changed() else None

    # ----- save ----------------------------------------------------------------------------

    def action_save(self) -> None:
        """Ctrl+S / F10: create the dossier (never while the owner is blocked, unknown or unchecked)."""
        if self._saving:
            return
        if self.blocked is not None:
            self._show_blocked(self.blocked)  # blocked since picking: who, when and why, and no dossier
            return
        if self.owner_info is None:
            self.notify(TEXT["still_checking"] if self._checking is not None else TEXT["choose_owner"], severity="warning")
            if self._checking is None:
                self.set_focus(self.picker.input)
            return
        self._normalise_plate()
        self._saving = True
        self._message(TEXT["saving"])
        self._create(
            self.owner_info["number"], self._value("description"), self._value("reference"),
            self._value("licence_plate"), app_of(self).username,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-save")
    def _create(self, owner: int, description: str, reference_text: str, plate: str, operator: str) -> None:
        """Create the dossier in data/ (which re-checks the block in its transaction)."""
        try:
            made = dossiers.create_dossier(owner, description, reference_text, plate, operator)
        except KlantbeheerError as problem:
            self.post_message(SaveRefused(problem))
            return
        self.post_message(SaveDone(made))

    @on(SaveDone)
    def _saved(self, event: SaveDone) -> None:
        """Show the new number on screen and as a notification; empty the fields for the next one."""
        self._saving = False
        made = event.dossier
        self.created = made
        text = TEXT["created"].format(number=made["number"], label=owner_label(made["customer"], made["customer_name"]))
        self.query_one("#dossier-result", Static).update(text)
        self.app.withdraw_notifications(TEXT["invalid_title"])
        self.notify(text, title=TEXT["created_title"], markup=False)
        self._message("")
        for field in ("description", "reference", "licence_plate"):
            self.query_one(f"#{field}", Input).value = ""
        self.draft.created(self.picker.text)
        self.keep_now()
        self.set_focus(self.query_one("#description", Input))
        after, self.after_save = self.after_save, None
        if after is not None:
            after()

    @on(SaveRefused)
    def _save_refused(self, event: SaveRefused) -> None:
        """Blocked since picking: the notice, nothing created; invalid fields: marked and listed."""
        self._saving = False
        self.after_save = None
        error = event.error
        self._message("")
        if isinstance(error, CustomerBlocked):
            self._show_blocked(error)
            return
        if isinstance(error, ValidationFailed):
            lines = []
            for field, problem in error.errors.items():
                lines.append(f"{colon(_(FIELD_LABELS.get(field, field)))} {problem}")
                for widget in self.query(f"#{field}"):
                    widget.add_class("-invalid")
            self._message("  ".join(lines))
            self.notify("\n".join(lines), title=TEXT["invalid_title"], severity="error", markup=False)
            first = next(iter(error.errors), "")
            if first in ("description", "reference", "licence_plate"):
                self.set_focus(self.query_one(f"#{first}", Input))
            return
        self.notify(error.message, title=TEXT["invalid_title"], severity="error", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Last resort: an unexpected error in a worker becomes one Dutch notification."""
        error = failure(event, "dossier-")
        if error is None:
            return
        if event.worker.group == "dossier-save":
            self._saving = False
            self._message("")
        if event.worker.group == "dossier-owner":
            self._checking = None
            self._ready()
        notify_failure(self, error)

    # ----- leave ---------------------------------------------------------------------------

    def action_leave(self) -> None:
        """Escape: close open suggestions; else leave, asking first when something was typed."""
        if self.picker.has_class("-open"):
            self.picker.remove_class("-open")
            return
        self.ask_to_leave(self._close_now)

    def _close_now(self) -> None:
        """Leave the screen without asking."""
        if self.app.screen is self:
            self.app.pop_screen()

    def has_unsaved_input(self) -> bool:
        """True when leaving would lose typed text (not after Niet bewaren)."""
        return not self.given_up and self.is_dirty()

    def ask_to_leave(self, go_on: Callable[[], None]) -> None:
        """Run `go_on` now, or after 'Wijzigingen bewaren?' (Aanmaken / Niet bewaren / Terug) when something was typed."""
        if not self.has_unsaved_input():
            go_on()
            return

        def answered(choice: SaveChoice | None) -> None:
            if choice == "save":
                self.after_save = go_on
                self.action_save()
            elif choice == "discard":
                self.given_up = True
                self.keeper.forget_later()
                self.call_later(go_on)

        self.app.push_screen(SaveChangesDialog(TEXT["unsaved"]), answered)

    def on_unmount(self) -> None:
        """The screen goes (any way): keep what was typed, or forget a kept draft that no longer differs."""
        try:
            self.keep_now()
        except KlantbeheerError:
            pass  # the database is gone; nothing more can be kept

    def keep_now(self) -> None:
        """Write what was typed to the drafts table (or forget it when nothing is), in this thread (widgets may be gone)."""
        self.keeper.keep_now()
