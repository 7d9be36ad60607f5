"""'Referentielijsten' (beheerder): every list with its entries; add, change, reorder, (de)activate and delete by keyboard.

The rules live in data/lists.py; this screen shows them. Every change runs in a worker, and a
refusal comes back as one Dutch notification (a refused entry reopens its dialog with the problem).
"""
from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from klantbeheer.data import lists
from klantbeheer.data.errors import KlantbeheerError, ValidationFailed
from klantbeheer.data.i18n import N_, _, ngettext
from klantbeheer.data.validation import format_phone
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.dialogs.confirm import ConfirmationModal
from klantbeheer.tui.dialogs.list_entry import ListEntryDialog
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.live import DataChanged
from klantbeheer.tui.screens.list_columns import cells, column_widths
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.worker_errors import failure, notify_failure

ONLY_BEHEERDER = N_("Alleen een beheerder mag referentielijsten beheren; u bent medewerker.")
# The short columns first; at 80 columns a long code wraps so that the label shows whole (list_columns.py).
ENTRIES_LEFT = 25  # the list names and the padding beside the table
COLUMNS = (("#", "place"), (N_("Code"), "code"), (N_("Actief"), "active"), (N_("Klanten"), "customers"), (N_("Benaming"), "label"))


class ListsRead(Message):
    """A worker read every list (as of the list history's `stamp`)."""

    def __init__(self, overview: list[dict[str, Any]], stamp: int) -> None:
        super().__init__()
        self.overview = overview
        self.stamp = stamp


class ChangeDone(Message):
    """A change went through: what to say, and which entry to show after reading the lists again."""

    def __init__(self, text: str, code: str | None) -> None:
        super().__init__()
        self.text = text
        self.code = code


class ChangeRefused(Message):
    """The data layer refused a change; `retry` reopens the dialog with the problem shown."""

    def __init__(self, error: KlantbeheerError, retry: Callable[[dict[str, str]], None] | None = None) -> None:
        super().__init__()
        self.error = error
        self.retry = retry


class ReferenceListsScreen(TranslatedBindings, Screen[None]):
    """Lists on the left, the chosen list's entries on the right, the highlighted entry's details below."""

    LOCATION = N_("Beheer › Referentielijsten")
    DEFAULT_CSS = """
    ReferenceListsScreen #lists_body { height: 1fr; }
    ReferenceListsScreen #list_names { width: 24; height: 1fr; border: none; }
    ReferenceListsScreen #entries_side { width: 1fr; height: 1fr; padding: 0 0 0 1; }
    ReferenceListsScreen #list_title { height: 1; text-style: bold; }
    ReferenceListsScreen #entries { height: 1fr; }
    ReferenceListsScreen #entry_details { height: 2; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f1", "app.help", N_("Help"), id="lists_help", tooltip=N_("De toetsen van dit scherm")),  # first: always in view
        Binding("insert,ctrl+n", "add", N_("Nieuw"), id="lists_add"),
        Binding("f4", "edit", N_("Wijzigen"), id="lists_edit", show=False),  # Enter does the same; F1 lists it
        Binding("f6", "set_active(False)", N_("Deactiveren"), id="lists_deactivate"),
        Binding("f6", "set_active(True)", N_("Activeren"), id="lists_activate"),
        Binding("delete,ctrl+d", "delete", N_("Verwijderen"), id="lists_delete"),
        Binding("shift+up,ctrl+up", "move(-1)", N_("Hoger"), id="lists_up", show=False),
        Binding("shift+down,ctrl+down", "move(1)", N_("Lager"), id="lists_down", show=False),
        Binding("f5", "history", N_("Historiek van de lijst"), id="lists_history", show=False),
        Binding("escape", "close", N_("Terug"), id="lists_close"),
        # F2 and F3 work here as everywhere, but stay out of this screen's full key bar (F1 lists them)
        Binding("f2", "app.search", N_("Zoeken"), show=False, id="lists_search"),
        Binding("f3", "app.new_dossier", N_("Nieuw dossier"), show=False, id="lists_new_dossier"),
    ]
    HELP_NOTES = [("Tab", N_("Wisselen tussen de lijsten en de keuzes")), ("Enter", N_("De gekozen keuze wijzigen"))]

    def __init__(self) -> None:
        super().__init__()
        self.overview: list[dict[str, Any]] = []
        self.list_name = lists.LISTS[0].name
        self.wanted_code: str | None = None
        self.stamp: int | None = None

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        with Horizontal(id="lists_body"):
            yield OptionList(*[Option(Text(_(item.title)), id=item.name) for item in lists.LISTS], id="list_names")
            with Vertical(id="entries_side"):
                yield Static(_("Laden…"), id="list_title", markup=False)
                yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
                yield Static("", id="entry_details", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Columns, then read the lists."""
        self.query_one("#list_names", OptionList).highlighted = 0
        self.read_lists()

    @property
    def operator(self) -> str:
        """The operator's username for data/ calls."""
        return app_of(self).username

    # ----------------------------------------------------------------- reading
    @work(thread=True, exclusive=True, exit_on_error=False, group="lists-read")
    def read_lists(self, unless_stamp: int | None = None) -> None:
        """Every list with its entries, in a worker (not when the list history still ends at `unless_stamp`)."""
        try:
            stamp = lists.stamp()
            if stamp == unless_stamp:
                return
            self.post_message(ListsRead(lists.overview(), stamp))
        except KlantbeheerError as problem:
            self.post_message(ChangeRefused(problem))

    @on(ListsRead)
    def _lists_read(self, message: ListsRead) -> None:
        """Show the chosen list again (the highlighted entry stays, or the one just changed)."""
        self.overview, self.stamp = message.overview, message.stamp
        self.show_list(self.wanted_code or self.current_code())
        self.wanted_code = None

    @on(DataChanged)
    def _data_changed(self) -> None:
        """Someone committed somewhere: read the lists again if one of them changed (customer counts wait for that)."""
        self.read_lists(self.stamp)

    def action_history(self) -> None:
        """F5: the chosen list's changes, newest first (who, when, old and new)."""
        from klantbeheer.tui.dialogs.list_history import ListHistoryDialog

        self.app.push_screen(ListHistoryDialog(self.list_name, self.list_title()))

    @on(OptionList.OptionHighlighted, "#list_names")
    def _list_chosen(self, event: OptionList.OptionHighlighted) -> None:
        """Another list: show its entries."""
        if event.option.id and event.option.id != self.list_name:
            self.list_name = event.option.id
            self.show_list(None)

    def current(self) -> dict[str, Any] | None:
        """The chosen list from the last read."""
        return next((item for item in self.overview if item["list"] == self.list_name), None)

    def entries(self) -> list[dict[str, Any]]:
        """The chosen list's entries."""
        current = self.current()
        return current["entries"] if current else []

    def current_entry(self) -> dict[str, Any] | None:
        """The highlighted entry."""
        table = self.query_one("#entries", DataTable)
        rows = self.entries()
        return rows[table.cursor_row] if rows and 0 <= table.cursor_row < len(rows) else None

    def current_code(self) -> str | None:
        """The highlighted entry's code."""
        entry = self.current_entry()
        return entry["code"] if entry else None

    def on_resize(self) -> None:
        """Another terminal width: size the columns again once the table has its new width."""
        if self.overview:
            self.call_after_refresh(lambda: self.show_list(self.current_code()))

    def show_list(self, code: str | None) -> None:
        """Fill the table with the chosen list; put the cursor on `code` when given."""
        current = self.current()
        if current is None:
            return
        table = self.query_one("#entries", DataTable)
        table.clear(columns=True)
        headers = {key: _(label) for label, key in COLUMNS}
        rows = [cells(place, entry, _("ja"), _("inactief")) for place, entry in enumerate(current["entries"], start=1)]
        widths = column_widths(headers, rows, table.size.width or self.app.size.width - ENTRIES_LEFT)
        for key, header in headers.items():
            table.add_column(header, key=key, width=widths[key])
        for entry, row in zip(current["entries"], rows):  # a code or label wider than its column wraps, never cut
            table.add_row(row["place"], Text(row["code"], overflow="fold"),
                          row["active"] if entry["active"] else Text(row["active"], style="bold"), row["customers"],
                          Text(row["label"], overflow="fold"), key=entry["code"], height=None)
        count = len(current["entries"])
        self.query_one("#list_title", Static).update(ngettext("{list} · {count} keuze", "{list} · {count} keuzes", count).format(
            list=current["title"], count=count))
        codes = [entry["code"] for entry in current["entries"]]
        if code in codes:
            table.move_cursor(row=codes.index(code))
        self.show_details()

    @on(DataTable.RowHighlighted, "#entries")
    def _row_highlighted(self) -> None:
        """Details of the entry under the cursor."""
        self.show_details()

    def show_details(self) -> None:
        """A hersteller's contact fields, or a label's French and English forms; F6's words follow the entry."""
        self.refresh_bindings()
        entry = self.current_entry()
        target = self.query_one("#entry_details", Static)
        if entry is None:
            target.update(_("Nog geen keuzes; Insert voegt er een toe.") if self.current() else "")
            return
        if self.list_name == "hersteller":
            town = " ".join(part for part in (entry.get("postcode"), entry.get("city")) if part)
            phone = _("Tel {phone}").format(phone=format_phone(entry["phone"])) if entry.get("phone") else ""
            parts = [entry.get("address"), town, phone, entry.get("email")]
            target.update(" · ".join(part for part in parts if part) or _("Geen adres of contactgegevens."))
        else:
            dutch = _("(Nederlands)")
            target.update(f"fr: {entry.get('label_fr') or dutch} · en: {entry.get('label_en') or dutch}")

    @on(DataTable.RowSelected, "#entries")
    def _row_selected(self) -> None:
        """Enter on an entry: change it."""
        self.action_edit()

    # ----------------------------------------------------------------- changing
    def list_title(self) -> str:
        """The chosen list's Dutch title."""
        return _(lists.spec(self.list_name).title)

    def action_add(self) -> None:
        """Insert: a new entry at the end of the chosen list."""
        self.open_entry_dialog(None, {})

    def action_edit(self) -> None:
        """F4 or Enter: the highlighted entry's label, translations or contact fields."""
        entry = self.current_entry()
        if entry is not None:
            self.open_entry_dialog(entry, {})

    def open_entry_dialog(self, entry: dict[str, Any] | None, errors: dict[str, str], typed: dict[str, str] | None = None) -> None:
        """Ask for the entry's fields; a refusal reopens the dialog with what was typed and the problem."""
        repairer = self.list_name == "hersteller"
        if entry is None:
            title = _("{list}: nieuwe keuze").format(list=self.list_title())
        else:
            title = _("{list}: '{code}' wijzigen").format(list=self.list_title(), code=entry["code"])
        values = typed if typed is not None else ({} if entry is None else {k: str(v or "") for k, v in entry.items()})
        if entry is not None:
            values["code"] = entry["code"]
            if typed is None and entry.get("phone"):
                values["phone"] = format_phone(entry["phone"])  # as people write it; stored normalised

        def answered(result: dict[str, str] | None) -> None:
            if result is not None:
                self.save_entry(self.list_name, entry, result)

        self.app.push_screen(ListEntryDialog(title, values, repairer, is_new=entry is None, errors=errors), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lists-change")
    def save_entry(self, name: str, entry: dict[str, Any] | None, typed: dict[str, str]) -> None:
        """Add, or rename / translate / change contact fields, in a worker."""
        def retry(errors: dict[str, str]) -> None:
            self.open_entry_dialog(entry, errors, typed)

        title = _(lists.spec(name).title)
        try:
            if entry is None:
                details = {k: v for k, v in typed.items() if k in lists.REPAIRER_DETAILS}
                translations = {k: v for k, v in typed.items() if k in ("label_fr", "label_en")}
                made = lists.add(name, typed.get("code", ""), typed.get("label", ""), self.operator, details, translations)
                text = _("{list}: '{code}' ({label}) is toegevoegd.").format(list=title, code=made["code"], label=made["label"])
                self.post_message(ChangeDone(text, made["code"]))
                return
            code = entry["code"]
            changed = lists.update_entry(name, code, typed, self.operator)["changed"]
            text = (_("{list}: '{code}' is gewijzigd.") if changed else
                    _("{list}: '{code}' was al zo; er is niets gewijzigd.")).format(list=title, code=code)
            self.post_message(ChangeDone(text, code))
        except ValidationFailed as problem:
            self.post_message(ChangeRefused(problem, retry))
        except KlantbeheerError as problem:
            self.post_message(ChangeRefused(problem))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 reads Deactiveren or Activeren, as the highlighted entry asks."""
        if action != "set_active":
            return True
        entry = self.current_entry() if self.is_mounted else None
        if entry is None:
            return parameters == (False,) or None
        return parameters == (not entry["active"],)

    def action_set_active(self, active: bool) -> None:
        """F6: deactivate (after a question) or activate the highlighted entry."""
        entry = self.current_entry()
        if entry is None or entry["active"] == active:
            return
        name, code = self.list_name, entry["code"]
        if not entry["active"]:
            done = _("{list}: '{code}' is weer actief.").format(list=self.list_title(), code=code)
            self.change(lambda: lists.set_active(name, code, True, self.operator), done, code)
            return
        if entry["customers"]:
            used = ngettext("De {count} klant die deze keuze heeft, houdt ze tot iemand een andere kiest.",
                            "De {count} klanten die deze keuze hebben, houden ze tot iemand een andere kiest.",
                            entry["customers"]).format(count=entry["customers"])
        else:
            used = _("Geen enkele klant heeft deze keuze nu.")
        question = ConfirmationModal(
            _("Keuze deactiveren?"),
            _("'{label}' ({list}) wordt niet meer aangeboden. {used}").format(label=entry["label"], list=self.list_title(),
                                                                              used=used),
            yes=_("Deactiveren"), no=_("Annuleren"),
        )
        done = _("{list}: '{code}' is gedeactiveerd.").format(list=self.list_title(), code=code)
        self.app.push_screen(question, lambda yes: self.change(
            lambda: lists.set_active(name, code, False, self.operator), done, code,
        ) if yes else None)

    def action_delete(self) -> None:
        """Delete: remove the highlighted entry after a question (only one never used; the data layer decides)."""
        entry = self.current_entry()
        if entry is None:
            return
        name, code = self.list_name, entry["code"]
        question = ConfirmationModal(
            _("Keuze verwijderen?"),
            _("'{label}' ({code}) wordt verwijderd uit {list}. Dat kan alleen voor een keuze die nooit gebruikt werd; een "
              "gebruikte keuze deactiveert u (F6).").format(label=entry["label"], code=code, list=self.list_title()),
            yes=_("Verwijderen"), no=_("Annuleren"), danger=True,
        )
        done = _("{list}: '{code}' is verwijderd.").format(list=self.list_title(), code=code)
        self.app.push_screen(question, lambda yes: self.change(
            lambda: lists.delete(name, code, self.operator), done, None,
        ) if yes else None)

    def action_move(self, step: int) -> None:
        """Shift+Up / Shift+Down: the highlighted entry one place higher or lower."""
        entry = self.current_entry()
        rows = self.entries()
        if entry is None:
            return
        place = rows.index(entry) + 1 + step
        if not 1 <= place <= len(rows):
            return
        name, code = self.list_name, entry["code"]
        done = _("{list}: '{code}' staat nu op plaats {place}.").format(list=self.list_title(), code=code, place=place)
        self.change(lambda: lists.move(name, code, place, self.operator), done, code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lists-change")
    def change(self, call: Callable[[], Any], text: str, code: str | None) -> None:
        """Run one data call in a worker; say what happened or why not."""
        try:
            result = call()
        except KlantbeheerError as problem:
            self.post_message(ChangeRefused(problem))
            return
        if isinstance(result, dict) and result.get("changed") is False:
            text = _("{list}: er is niets gewijzigd.").format(list=self.list_title())
        self.post_message(ChangeDone(text, code))

    @on(ChangeDone)
    def _done(self, message: ChangeDone) -> None:
        """Say it, then show the lists as they are now."""
        self.notify(message.text, title=_("Referentielijsten"))
        self.wanted_code = message.code
        self.read_lists()

    @on(ChangeRefused)
    def _refused(self, message: ChangeRefused) -> None:
        """One Dutch sentence; a refused entry dialog opens again with the problem under its box."""
        error = message.error
        if message.retry is not None and isinstance(error, ValidationFailed):
            self.notify("\n".join(error.errors.values()), title=_("Niet bewaard"), severity="error", timeout=10)
            message.retry(error.errors)
            return
        self.notify(error.message, title=_("Niet gewijzigd"), severity="error", timeout=10, markup=False)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker: one Dutch notification instead of a traceback."""
        error = failure(event, "lists-")
        if error is not None:
            notify_failure(self, error)

    def action_close(self) -> None:
        """Escape: back to where the user came from."""
        self.dismiss()
