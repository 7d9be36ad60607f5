"""Owner picker: an input (#owner) with suggestions from the customer search underneath."""
from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from klantbeheer.data import customers
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import N_, Texts
from klantbeheer.data.validation import format_vat
from klantbeheer.tui.widgets.text_field import TextField

SUGGESTION_LIMIT = 8
SUGGESTION_WIDTH = 52  # one line beside the label at 80 columns: town and VAT number only when they fit
TEXT = Texts({
    "placeholder": N_("Typ naam, nummer of BTW-nummer van de eigenaar"),
    "blocked": N_("GEBLOKKEERD"),
    "none_found": N_("Geen klant gevonden."),
})


def owner_label(number: int, name: str) -> str:
    """How a chosen owner reads in the picker: 'ABC (123)'."""
    return f"{name} ({number})"


def suggestion_text(row: dict[str, Any], width: int = SUGGESTION_WIDTH) -> str:
    """One line per suggestion: number, name, GEBLOKKEERD when blocked, then town and VAT if they fit."""
    head = f"{row['number']:>6}  "
    marker = f"  {TEXT['blocked']}" if row.get("blocked") else ""
    name = row["name"]
    room = max(8, width - len(head) - len(marker))
    if len(name) > room:
        name = name[: room - 1] + "…"
    text = head + name + marker
    place = " ".join(part for part in (row.get("postcode") or "", row.get("city") or "") if part)
    vat = format_vat(row["vat_number"]) if row.get("vat_number") else ""
    for extra in (place, vat):
        if extra and len(text) + 2 + len(extra) <= width:
            text = f"{text}  {extra}"
    return text


def _marked(text: str, highlighted: bool) -> str:
    """A suggestion with a text marker on the highlighted one (readable without colour)."""
    return f"▶ {text}" if highlighted else f"  {text}"


class SuggestionList(OptionList, can_focus=False):
    """The suggestions; driven from the input with Up, Down and Enter (never focused itself)."""


class OwnerPicker(Vertical):
    """Type to search customers; Up/Down moves through the suggestions, Enter picks one."""

    DEFAULT_CSS = """
    OwnerPicker { height: auto; }
    OwnerPicker SuggestionList { height: auto; max-height: 8; display: none; margin: 0 1; }
    OwnerPicker.-open SuggestionList { display: block; }
    """
    BINDINGS = [
        Binding("down", "move(1)", N_("Volgende suggestie"), show=False, id="owner_next"),
        Binding("up", "move(-1)", N_("Vorige suggestie"), show=False, id="owner_previous"),
    ]

    class Picked(Message):
        """The user picked a customer as owner (not yet checked for a block)."""

        def __init__(self, number: int, name: str) -> None:
            super().__init__()
            self.number = number
            self.name = name

    class Cleared(Message):
        """The picked owner was typed over: there is no owner any more."""

    class Results(Message):
        """Search results for one query (posted from the worker thread)."""

        def __init__(self, query_id: int, rows: list[dict[str, Any]], problem: str = "") -> None:
            super().__init__()
            self.query_id = query_id
            self.rows = rows
            self.problem = problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._query_id = 0
        self._result_id = -1
        self._rows: list[dict[str, Any]] = []
        self._shown = ""  # the text the picker itself put in the input (a picked owner)

    def compose(self) -> ComposeResult:
        yield TextField(id="owner", placeholder=TEXT["placeholder"], max_length=120)
        yield SuggestionList(id="owner-suggestions", compact=True, markup=False)

    @property
    def input(self) -> Input:
        """The text box (#owner)."""
        return self.query_one("#owner", Input)

    @property
    def text(self) -> str:
        """What is in the box now."""
        return self.input.value

    def show_owner(self, number: int, name: str) -> None:
        """Put a picked owner in the box without searching again."""
        self.show_text(owner_label(number, name))

    def show_text(self, text: str) -> None:
        """Put text in the box as the picker's own (typing over it clears the owner)."""
        self._shown = text
        self.input.value = text
        self._close()

    def clear(self) -> None:
        """Empty the box and the suggestions."""
        self._shown = ""
        self._query_id += 1
        self.input.value = ""
        self._rows = []
        self.query_one(SuggestionList).clear_options()
        self._close()

    def _close(self) -> None:
        """Hide the suggestions."""
        self.remove_class("-open")

    @on(Input.Changed, "#owner")
    def _changed(self, event: Input.Changed) -> None:
        """Typing searches; typing over a picked owner drops it."""
        event.stop()
        if event.value == self._shown:
            return
        if self._shown:
            self._shown = ""
            self.post_message(self.Cleared())
        self._query_id += 1
        if not event.value.strip():
            self._rows = []
            self.query_one(SuggestionList).clear_options()
            self._close()
            return
        self._search(event.value, self._query_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="owner-search")
    def _search(self, text: str, query_id: int) -> None:
        """Run the customer search in a thread and post the rows back."""
        try:
            rows = customers.search(text, limit=SUGGESTION_LIMIT)
        except KlantbeheerError as problem:
            self.post_message(self.Results(query_id, [], problem.message))
            return
        self.post_message(self.Results(query_id, rows))

    @on(Results)
    def _show_results(self, event: Results) -> None:
        """Fill the suggestions when they answer the latest query."""
        event.stop()
        if event.query_id != self._query_id or event.query_id == self._result_id:
            return  # an older query, or this query's list is already shown (fetched at once by a key)
        if event.problem:
            self.notify(event.problem, severity="error", markup=False)
        self._result_id = event.query_id
        self._rows = event.rows
        suggestions = self.query_one(SuggestionList)
        if event.rows:
            suggestions.set_options(
                Option(_marked(suggestion_text(row), index == 0), id=str(row["number"])) for index, row in enumerate(event.rows)
            )
            suggestions.highlighted = 0
        else:
            suggestions.set_options([Option(TEXT["none_found"], disabled=True)])
        if self.input.has_focus:
            self.add_class("-open")

    def _show_current(self) -> None:
        """Make the suggestions answer the text in the box now, searching here if the worker has not answered yet.

        Up, Down and Enter call this first, so keys typed right after a name act on that name's
        suggestions, never on an older list (the search takes about a millisecond).
        """
        if self._result_id == self._query_id or not self.text.strip() or self.text == self._shown:
            return
        try:
            rows = customers.search(self.text, limit=SUGGESTION_LIMIT)
        except KlantbeheerError as problem:
            self._show_results(self.Results(self._query_id, [], problem.message))
            return
        self._show_results(self.Results(self._query_id, rows))

    def action_move(self, step: int) -> None:
        """Move the highlight through the suggestions of the text typed so far."""
        self._show_current()
        suggestions = self.query_one(SuggestionList)
        if not self._rows:
            return
        self.add_class("-open")
        current = suggestions.highlighted if suggestions.highlighted is not None else -step
        target = max(0, min(len(self._rows) - 1, current + step))
        if target != current and 0 <= current < len(self._rows):
            suggestions.replace_option_prompt_at_index(current, _marked(suggestion_text(self._rows[current]), False))
        suggestions.replace_option_prompt_at_index(target, _marked(suggestion_text(self._rows[target]), True))
        suggestions.highlighted = target

    @on(Input.Blurred, "#owner")
    def _left(self, event: Input.Blurred) -> None:
        """Leaving the box hides the suggestions (Down brings them back)."""
        event.stop()
        self._close()

    @on(Input.Submitted, "#owner")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter picks the highlighted suggestion of the text typed so far (the first if none is highlighted)."""
        event.stop()
        if not event.value.strip() or event.value == self._shown:
            return
        self._show_current()
        self._pick_highlighted()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        """A suggestion chosen with the mouse."""
        event.stop()
        self._pick_index(event.option_index)

    def _pick_highlighted(self) -> None:
        """Pick the suggestion under the highlight."""
        index = self.query_one(SuggestionList).highlighted
        self._pick_index(index if index is not None else 0)

    def _pick_index(self, index: int) -> None:
        """Pick the row at index of the current suggestions."""
        if not 0 <= index < len(self._rows):
            return
        row = self._rows[index]
        self.show_owner(row["number"], row["name"])
        self.post_message(self.Picked(row["number"], row["name"]))
