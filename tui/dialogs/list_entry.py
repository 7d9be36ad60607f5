"""Add or change one entry of a reference list: code (new only), Dutch label, French/English labels or a hersteller's contact fields."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.widgets.text_field import TextField

TRANSLATIONS = (("label_fr", N_("Benaming (fr)"), 120), ("label_en", N_("Benaming (en)"), 120))
CONTACT = (("address", N_("Adres"), 120), ("postcode", N_("Postcode"), 20), ("city", N_("Gemeente"), 80), ("phone", N_("Tel"), 20),
           ("email", N_("E-mail"), 254))


class ListEntryDialog(TranslatedBindings, Dialog[dict[str, str] | None]):
    """The entry's fields; Ctrl+S or OK gives them back (the data layer checks them), Escape cancels."""

    DEFAULT_CSS = "ListEntryDialog { align: center middle; }\n" + DIALOG_CSS + """
    ListEntryDialog .dialog-box { width: 70; }
    ListEntryDialog .entry-row { height: 1; width: 100%; margin-bottom: 0; }
    ListEntryDialog .entry-label { width: 16; }
    ListEntryDialog .entry-row Input { width: 1fr; }
    ListEntryDialog .entry-error { color: $text-error; padding-left: 16; height: auto; display: none; }
    ListEntryDialog .entry-error.shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+s", "confirm", N_("In orde"), id="entry_ok"),
        Binding("escape", "cancel", N_("Annuleren"), id="entry_cancel"),
        Binding("down", "app.focus_next", N_("Volgend veld"), id="entry_next", show=False),
        Binding("up", "app.focus_previous", N_("Vorig veld"), id="entry_previous", show=False),
    ]

    def __init__(self, title: str, values: dict[str, str] | None = None, repairer: bool = False, is_new: bool = False,
                 errors: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.values = dict(values or {})
        self.is_new = is_new
        self.repairer = repairer
        self.errors = dict(errors or {})

    def fields(self) -> list[tuple[str, str, int]]:
        """(name, label, max length) of the dialog's boxes."""
        first = [("code", N_("Code *"), 40)] if self.is_new else []
        label = [("label", N_("Naam *") if self.repairer else N_("Benaming *"), 120)]
        return first + label + list(CONTACT if self.repairer else TRANSLATIONS)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="entry_box"):
            yield Static(self.title_text, classes="dialog-title", id="entry_title", markup=False)
            if not self.is_new:
                yield Static(_("Code: {code} (blijft; klanten bewaren de code)").format(code=self.values.get("code", "")),
                             classes="dialog-text", id="entry_code", markup=False)
            for name, label, limit in self.fields():
                with Horizontal(classes="entry-row"):
                    yield Label(_(label), classes="entry-label", markup=False)
                    yield TextField(str(self.values.get(name) or ""), max_length=limit, id=f"entry_{name}", compact=True)
                yield Static("", classes="entry-error", id=f"entry_{name}_error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("In orde (Ctrl+S)"), id="ok", variant="primary")
                yield Button(_("Annuleren (Esc)"), id="cancel")

    def on_mount(self) -> None:
        """Start on the first box, or on the first one the data layer refused."""
        self.query_one(f"#entry_{self.fields()[0][0]}", Input).focus()
        if self.errors:
            self.show_errors(self.errors)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each problem under its box (the data layer's field names)."""
        for name, _label, _length in self.fields():
            target = self.query_one(f"#entry_{name}_error", Static)
            target.update(errors.get(name, ""))
            target.set_class(bool(errors.get(name)), "shown")
        first = next((name for name, _, _ in self.fields() if name in errors), None)
        if first:
            self.query_one(f"#entry_{first}", Input).focus()

    def action_confirm(self) -> None:
        """Give back what is in the boxes."""
        self.dismiss({name: self.query_one(f"#entry_{name}", Input).value for name, _, _ in self.fields()})


    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_confirm()
