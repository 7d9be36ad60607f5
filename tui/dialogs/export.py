"""Exporteren: the current search results (text and blocked filter) to a CSV or .xlsx file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Input, ProgressBar, Static

from klantbeheer.data import clock
from klantbeheer.data.explain import explain
from klantbeheer.data.i18n import N_, Texts, ngettext
from klantbeheer.data.transfer import exporter
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog
from klantbeheer.tui.i18n import TranslatedBindings

TEXT = Texts({
    "file_name": N_("klanten-{day}.csv"),
    "all": N_("alle klanten"),
    "results": N_("de zoekresultaten voor '{text}'"),
    "blocked": N_(" (alleen geblokkeerd)"),
    "title": N_("Exporteren"),
    "what": N_("Wat: {what}"),
    "hint": N_("Bestand op .csv (Excel, puntkomma) of .xlsx; Enter exporteert."),
    "no_name": N_("Geef een bestandsnaam."),
    "failed": N_("Niet geëxporteerd"),
    "done_title": N_("Geëxporteerd"),
})


def default_path() -> str:
    """klanten-YYYY-MM-DD.csv in the home folder."""
    return str(Path.home() / TEXT["file_name"].format(day=clock.today().isoformat()))


def what_line(text: str, blocked_only: bool) -> str:
    """Which customers the export holds, in words."""
    which = TEXT["all"] if not text.strip() else TEXT["results"].format(text=text.strip())
    return which + (TEXT["blocked"] if blocked_only else "")


class Exported(Message):
    """The export ended: its result, or a Dutch problem."""

    def __init__(self, result: dict[str, Any] | None, problem: str = "") -> None:
        super().__init__()
        self.result, self.problem = result, problem


class Step(Message):
    """Customers written so far."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class ExportDialog(TranslatedBindings, Dialog[dict[str, Any] | None]):
    """A file name (.csv or .xlsx decides the format); Enter or Ctrl+S exports, Escape cancels."""

    DEFAULT_CSS = "ExportDialog { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("ctrl+s", "export", N_("Exporteren"), id="export_ok"),
        Binding("escape", "cancel", N_("Annuleren"), id="export_cancel"),
    ]

    def __init__(self, text: str, blocked_only: bool) -> None:
        super().__init__()
        self.text, self.blocked_only = text, blocked_only
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="export_box"):
            yield Static(TEXT["title"], classes="dialog-title", markup=False)
            yield Static(Text(TEXT["what"].format(what=what_line(self.text, self.blocked_only))), classes="dialog-text",
                         markup=False)
            yield Input(default_path(), id="export-path")
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static(Text(TEXT["hint"]), id="export-status", markup=False)
        yield Footer(compact=True)

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        """Write the file in a thread."""
        if self.running:
            return
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify(TEXT["no_name"], severity="warning")
            return
        self.running = True
        self._export(path)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, path: str) -> None:
        """Ask data/ for the export; post progress and the end back."""
        try:
            result = exporter.export(path, search=self.text.strip() or None, blocked_only=self.blocked_only,
                                     progress=lambda _what, done, total: self.post_message(Step(done, total)))
        except Exception as problem:  # noqa: BLE001 - a refusal, a full disk, or unexpected (logged): one sentence
            self.post_message(Exported(None, explain(problem)))
            return
        self.post_message(Exported(result))

    @on(Step)
    def _step(self, message: Step) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=max(message.total, 1), progress=message.done)

    @on(Exported)
    def _done(self, message: Exported) -> None:
        """Close with the result, or say what went wrong and stay."""
        self.running = False
        if message.result is None:
            self.query_one("#export-status", Static).update(Text(message.problem))
            self.notify(message.problem, title=TEXT["failed"], severity="error")
            return
        result = message.result
        done = ngettext("{count} klant geëxporteerd naar {file}.", "{count} klanten geëxporteerd naar {file}.", result["customers"])
        self.notify(done.format(count=result["customers"], file=result["file"]), title=TEXT["done_title"])
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Escape: close without exporting (not while writing)."""
        if not self.running:
            self.dismiss(None)
