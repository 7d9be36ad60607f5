"""The widgets of the customer form's tabs: one row per field, the Geblokkeerd switch, the Historiek tab."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TabbedContent, TabPane, TextArea

from data.reference import EMPTY_PROMPTS
from tui.screens.form_fields import TABS, FieldSpec
from tui.widgets.block_switch import BlockSwitch
from tui.widgets.postcode_field import CityInput
from tui.widgets.text_field import TextField


class FieldScroll(VerticalScroll, can_focus=False):
    """A tab's scrolling body; the fields take the focus, the body scrolls to the focused one."""


def form_tabs(is_beheerder: bool) -> ComposeResult:
    """The tabs with every field (the switch enabled for a beheerder only) and the Historiek tab."""
    with TabbedContent(id="tabs"):
        for tab in TABS:
            with TabPane(tab.title, id=tab.pane_id):
                with FieldScroll(classes="tab-body", id=f"{tab.pane_id}_body"):
                    if tab.pane_id == "tab_algemeen":
                        yield from block_row(is_beheerder)
                    for spec in tab.fields:
                        yield from field_row(spec)
        with TabPane("Historiek", id="tab_historiek"):
            with VerticalScroll(id="history_scroll"):
                yield Static("Gebeurtenissen (nieuwste eerst)", classes="section", id="history_heading", markup=False)
                yield Static("", id="history_events", markup=False)
                yield Static("Dossiers", classes="section", markup=False)
                yield Static("", id="history_dossiers", markup=False)


def block_row(is_beheerder: bool) -> ComposeResult:
    """The Geblokkeerd switch with its state in words."""
    with Horizontal(classes="row", id="block_row"):
        yield Label("Geblokkeerd", classes="field-label", markup=False)
        yield BlockSwitch(id="blocked", animate=False, disabled=not is_beheerder)
        yield Static("", id="blocked_state", markup=False)


def field_row(spec: FieldSpec) -> ComposeResult:
    """Label, widget (id = code name) and the line for its error message."""
    with Horizontal(classes="row", id=f"row_{spec.name}"):
        yield Label(spec.label, classes="field-label", markup=False)
        if spec.kind == "choice":
            prompt = EMPTY_PROMPTS.get(spec.name, "- Kies -")
            yield Select([], prompt=prompt, id=spec.name, compact=True)
        elif spec.kind == "check":
            yield Checkbox("", id=spec.name, compact=True)
        elif spec.kind == "memo":
            yield TextArea("", id=spec.name, compact=True, tab_behavior="focus", max_checkpoints=20)
        elif spec.kind == "postcode":
            yield TextField(placeholder=spec.placeholder, max_length=spec.max_length, id="postcode", compact=True)
            yield CityInput(placeholder="gemeente", max_length=80, id="city", compact=True)
        else:
            yield TextField(placeholder=spec.placeholder, max_length=spec.max_length, id=spec.name, compact=True)
    if spec.kind == "postcode":
        yield Static("", classes="field-hint", id="city_hint", markup=False)
        yield Static("", classes="field-error", id="city_error", markup=False)
    yield Static("", classes="field-error", id=f"{spec.name}_error", markup=False)
