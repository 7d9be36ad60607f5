"""One tab of the customer form: a scrolling column of labelled fields that reports every change."""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from klantbeheer.data.i18n import N_, _
from klantbeheer.data.reference import EMPTY_PROMPTS
from klantbeheer.tui.screens.form.fields import FieldSpec, TabSpec
from klantbeheer.tui.screens.form.messages import FieldEdited, FieldLeft
from klantbeheer.tui.widgets.postcode_field import CityInput
from klantbeheer.tui.widgets.text_field import TextField
from klantbeheer.tui.widgets.tick_box import TickBox


class FieldsTab(VerticalScroll, can_focus=False):
    """A tab's body: shows values, reads them back, shows errors; posts FieldEdited and FieldLeft."""

    SPEC: TabSpec

    def __init__(self) -> None:
        super().__init__(classes="tab-body", id=f"{self.SPEC.pane_id}_body")
        self.options: dict[str, list[tuple[Text, str]]] = {}  # the options each choice box was given

    def compose(self) -> ComposeResult:
        """One row per field of the tab."""
        for spec in self.SPEC.fields:
            yield from field_row(spec)

    def field_names(self) -> list[str]:
        """The code names of this tab's fields (the town follows its postcode)."""
        return [name for spec in self.SPEC.fields for name in ([spec.name, "city"] if spec.kind == "postcode" else [spec.name])]

    def show(self, values: dict[str, Any], choices: dict[str, list[tuple[str, str]]]) -> None:
        """Put values in the fields whose text differs (a field being typed in keeps its cursor)."""
        for spec in self.SPEC.fields:
            if spec.kind == "choice":
                self.show_choice(spec, values.get(spec.name, ""), choices.get(spec.choices, []))
        for name in self.field_names():
            widget = self.query_one(f"#{name}")
            if isinstance(widget, Select):
                continue
            if read(widget) != values.get(name):
                write(widget, values.get(name))

    def show_choice(self, spec: FieldSpec, code: Any, choices: list[tuple[str, str]]) -> None:
        """Give a choice box its options (when they differ) and select a code; an unknown code is kept."""
        select = self.query_one(f"#{spec.name}", Select)
        code = "" if code is None else str(code)
        options = [(Text(label), value) for value, label in choices]  # a label typed by the office is never markup
        if code and code not in {value for _, value in options}:
            options.append((Text(code), code))
        if self.options.get(spec.name) != options:
            select.set_options(options)
            self.options[spec.name] = options
        if read(select) != code:
            if code:
                select.value = code
            else:
                select.clear()

    def read(self) -> dict[str, Any]:
        """The values on screen by code name."""
        return {name: read(self.query_one(f"#{name}")) for name in self.field_names()}

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each field's message (or none) under it."""
        for name in self.field_names():
            self.show_error(name, errors.get(name, ""))

    def show_error(self, name: str, message: str) -> None:
        """Show (or clear) the message under one field."""
        try:
            target = self.query_one(f"#{name}_error", Static)
        except NoMatches:
            return
        target.update(message)
        target.set_class(bool(message), "shown")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Any) -> None:
        """Report the field's current value (not the event's, which may be older)."""
        widget = event.control
        if widget.id in self.field_names():
            self.post_message(FieldEdited(widget.id, read(widget)))

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """Report that the user left a field."""
        if event.input.id in self.field_names():
            self.post_message(FieldLeft(event.input.id))


def read(widget: Any) -> Any:
    """A field widget's value as the draft keeps it (choices as codes, '' when blank)."""
    if isinstance(widget, Select):
        return "" if widget.is_blank() else str(widget.value)
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value


def write(widget: Any, value: Any) -> None:
    """Put a draft value in a field widget."""
    if isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, TextArea):
        widget.text = str(value or "")
    else:
        widget.value = "" if value is None else str(value)


def field_row(spec: FieldSpec) -> ComposeResult:
    """Label, widget (id = code name) and the line for its error message."""
    with Horizontal(classes="row", id=f"row_{spec.name}"):
        yield Label(_(spec.label), classes="field-label", markup=False)
        if spec.kind == "choice":
            yield Select([], prompt=_(EMPTY_PROMPTS.get(spec.name, N_("- Kies -"))), id=spec.name, compact=True)
        elif spec.kind == "check":
            yield TickBox("", id=spec.name, compact=True)
        elif spec.kind == "memo":
            yield TextArea("", id=spec.name, compact=True, tab_behavior="focus", max_checkpoints=20)
        elif spec.kind == "postcode":
            yield text_input(spec, "postcode")
            yield CityInput(placeholder=_("gemeente"), max_length=80, id="city", compact=True)
        else:
            yield text_input(spec, spec.name)
    if spec.kind == "postcode":
        yield Static("", classes="field-hint", id="city_hint", markup=False)
        yield Static("", classes="field-error", id="city_error", markup=False)
    yield Static("", classes="field-error", id=f"{spec.name}_error", markup=False)


def text_input(spec: FieldSpec, widget_id: str) -> TextField:
    """A compact text box; focusing it never selects its text, so a typed key never replaces it."""
    return TextField(placeholder=_(spec.placeholder), max_length=spec.max_length, id=widget_id, compact=True)
