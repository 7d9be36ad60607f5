"""Someone else saved the customer in between: what the merge took, kept, and a choice per field you both changed."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from klantbeheer.data.drafts import MergeReport
from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog


def shown(value: object) -> str:
    """A field value in the dialog: '(leeg)' for nothing, ja/nee, one line."""
    if value in ("", None):
        return _("(leeg)")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    text = str(value).replace("\n", " ")
    return text if len(text) <= 30 else text[:29] + "…"


class MergeDialog(Dialog[dict[str, bool] | None]):
    """Samenvoegen (Ctrl+S or Escape) gives {field: keep mine}; Herladen (H) gives None: own edits dropped."""

    DEFAULT_CSS = "MergeDialog { align: center middle; }\n" + DIALOG_CSS + """
    MergeDialog .dialog-box { width: 76; }
    MergeDialog #merge_choices { height: auto; max-height: 10; }
    MergeDialog .merge-row { height: auto; }
    MergeDialog .merge-label { width: 14; padding-top: 1; }
    MergeDialog RadioSet { width: 1fr; layout: horizontal; }
    MergeDialog RadioButton { width: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "merge", N_("Samenvoegen"), id="merge_ok"),
        Binding("escape", "merge", N_("Samenvoegen"), id="merge_escape", show=False),
        Binding("h", "reload", N_("Herladen"), id="merge_reload"),
    ]
    BUTTONS = {"merge": "merge", "reload": "reload"}

    def __init__(self, message: str, report: MergeReport, labels: dict[str, str]) -> None:
        super().__init__()
        self.message = message
        self.report = report
        self.labels = labels

    def _names(self, names: list[str]) -> str:
        """Field labels as one line."""
        return ", ".join(_(self.labels.get(name, name)) for name in names)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="conflict_box"):
            yield Static(_("Klant intussen gewijzigd: samenvoegen"), classes="dialog-title", markup=False)
            yield Static(self.message.replace(_("uw wijzigingen zijn niet bewaard"), _("nog niets bewaard")),
                         classes="dialog-text", id="conflict_message", markup=False)
            lines = []
            if self.report.theirs:
                lines.append(_("Overgenomen: {names}.").format(names=self._names(self.report.theirs)))
            if self.report.mine:
                lines.append(_("Uw wijzigingen blijven: {names}.").format(names=self._names(self.report.mine)))
            if self.report.their_block_kept:
                lines.append(_("De blokkering die intussen werd ingesteld of gewijzigd blijft; uw blokkeerwijziging vervalt."))
            if self.report.both:
                lines.append(_("Door u beiden gewijzigd: kies per veld (←/→)."))
            lines.append(_("Na Samenvoegen staat alles in het formulier; bewaar dan met Ctrl+S."))
            yield Static(_("\n").join(lines), classes="dialog-text", id="merge_summary", markup=False)
            with VerticalScroll(id="merge_choices") as choices:
                choices.display = bool(self.report.both)
                for item in self.report.both:
                    with Horizontal(classes="merge-row"):
                        yield Label(_(self.labels.get(item.name, item.name)), classes="merge-label", markup=False)
                        with RadioSet(id=f"choice_{item.name}"):
                            yield RadioButton(Content(_("Uw: {value}").format(value=shown(item.mine))), value=True, id=f"mine_{item.name}")
                            yield RadioButton(Content(_("Nieuw: {value}").format(value=shown(item.theirs))), id=f"theirs_{item.name}")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Herladen (H)"), id="reload", variant="warning")
                yield Button(_("Samenvoegen (Ctrl+S)"), id="merge", variant="primary")

    def on_mount(self) -> None:
        """Start on the first choice, or on Samenvoegen."""
        sets = list(self.query(RadioSet))
        (sets[0] if sets else self.query_one("#merge", Button)).focus()

    def choices(self) -> dict[str, bool]:
        """Per field both changed: True to keep your value."""
        return {item.name: self.query_one(f"#mine_{item.name}", RadioButton).value for item in self.report.both}

    def action_merge(self) -> None:
        """Samenvoegen with the choices made."""
        self.dismiss(self.choices())

    def action_reload(self) -> None:
        """Herladen: show the stored data, dropping your edits."""
        self.dismiss(None)
