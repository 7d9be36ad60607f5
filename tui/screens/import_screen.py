"""Importeren (beheerder): a file path, the first 20 rows as they will be stored, and the import with a progress bar."""
from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, ProgressBar, Select, Static

from klantbeheer.data.explain import explain
from klantbeheer.data.i18n import N_, Texts, _, ngettext
from klantbeheer.data.labels import FIELD_LABELS
from klantbeheer.data.transfer import import_matches, importer
from klantbeheer.data.validation import format_iban, format_vat
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.widgets.tick_box import TickBox

PREVIEW_ROWS = 20
POLICIES = [(N_("Dubbels overslaan"), "skip"), (N_("Dubbels bijwerken"), "update"),
            (N_("Bij een dubbel niets opslaan"), "fail")]
# The preview's columns: the file's line, the state, and fields under their column labels (data/labels.py).
COLUMNS = [(N_("Regel"), "line"), (FIELD_LABELS["number"], "number"), (FIELD_LABELS["name"], "name"), (N_("Staat"), "notes"),
           *((FIELD_LABELS[name], name) for name in ("postcode", "city", "vat_number", "iban"))]
TEXT = Texts({
    "rows": N_("{phase}: {done} / {total} rijen"),
    "rate": N_("{rate} rijen/s"),
    "left": N_("nog {seconds} s"),
    "new": N_("nieuw"),
    "update": N_("bijwerken"),
    "duplicate": N_("dubbel"),
    "likely": N_("dubbel?"),
    "likely_update": N_("bijwerken?"),
    "error": N_("FOUT {errors}"),
    "blocked": N_("geblokkeerd"),
    "matched": N_("Klant {customer} ({match})."),
    "warned": N_("Let op: {warnings}"),
    "dry_run_title": N_("Proefdraai"),
    "dry_summary": N_("Niets opgeslagen."),
    "path": N_("Pad van het CSV- of .xlsx-bestand, Enter toont een voorbeeld"),
    "dry_run": N_("Proefdraai (niets opslaan)"),
    "no_file": N_("Nog geen bestand gekozen."),
    "give_path": N_("Geef het pad van een bestand."),
    "reading": N_("Bestand lezen…"),
    "not_read": N_("Bestand niet gelezen"),
    "unknown": N_("Onbekende kolommen (niet ingelezen): {columns}"),
    "running": N_("Er loopt al een import."),
    "path_first": N_("Geef eerst het pad van een bestand."),
    "importing": N_("Importeren…"),
    "not_imported": N_("Niet geïmporteerd"),
    "imported": N_("Geïmporteerd"),
    "nothing": N_("Niets opgeslagen"),
    "wait": N_("De import loopt nog; wacht tot ze klaar is."),
})
NAME_WIDTH, NOTE_WIDTH = 24, 30


class Previewed(Message):
    """The preview of a file (data/importer.preview's result), or a Dutch problem."""

    def __init__(self, path: str, preview: dict[str, Any] | None, problem: str = "") -> None:
        super().__init__()
        self.path, self.preview, self.problem = path, preview, problem


class Moved(Message):
    """Progress of the running import: phase, rows done, rows in all, seconds since the phase began."""

    def __init__(self, phase: str, done: int, total: int, seconds: float) -> None:
        super().__init__()
        self.phase, self.done, self.total, self.seconds = phase, done, total, seconds


class Finished(Message):
    """The import ended: its result, or a Dutch problem."""

    def __init__(self, result: dict[str, Any] | None, problem: str = "") -> None:
        super().__init__()
        self.result, self.problem = result, problem


def rate_line(phase: str, done: int, total: int, seconds: float) -> str:
    """'Opslaan: 12.000 / 100.000 rijen · 5.000 rijen/s · nog 18 s'."""
    def dotted(number: float) -> str:
        return f"{number:,.0f}".replace(",", ".")

    parts = [TEXT["rows"].format(phase=phase, done=dotted(done), total=dotted(total))]
    if seconds > 0 and done:
        speed = done / seconds
        parts.append(TEXT["rate"].format(rate=dotted(speed)))
        parts.append(TEXT["left"].format(seconds=max(0, round((total - done) / speed))))
    return " · ".join(parts)


def status_word(row: dict[str, Any]) -> str:
    """What the import will do with a preview row: nieuw, bijwerken, dubbel (dubbel? for a private customer
    matched by name and address), or FOUT and why."""
    if row["errors"]:
        return TEXT["error"].format(errors=row["errors"])
    likely = row.get("match") == import_matches.NAME_ADDRESS
    word = {"new": TEXT["new"], "update": TEXT["likely_update" if likely else "update"],
            "duplicate": TEXT["likely" if likely else "duplicate"]}[row.get("action") or "new"]
    return f"{word}, {TEXT['blocked']}" if row["blocked"] and row.get("action") != "duplicate" else word


def row_detail(row: dict[str, Any]) -> str:
    """The whole story of one preview row, for the line under the table (it wraps): errors or the town, BTW and
    IBAN the table may cut off at 80 columns, the customer it matches, warnings."""
    parts = [TEXT["error"].format(errors=row["errors"]) if row["errors"] else status_word(row)]
    values = row["values"]
    shown = [" ".join(str(values.get(name) or "") for name in ("postcode", "city")).strip(),
             format_vat(values.get("vat_number", "")), format_iban(values.get("iban", ""))]
    if any(shown) and not row["errors"]:  # the columns past 80 characters, for a row that will be stored
        parts.append(" · ".join(text for text in shown if text) + ".")
    if row.get("customer"):
        parts.append(TEXT["matched"].format(customer=row["customer"], match=_(import_matches.MATCHES[row["match"]])))
    if row.get("warnings"):
        parts.append(TEXT["warned"].format(warnings=row["warnings"]))
    return _("Regel {line}: {story}").format(line=row["line"], story=" ".join(parts))


def preview_cells(row: dict[str, Any]) -> list[Text]:
    """One preview row as it will be stored (or why it will not be)."""
    values = row["values"]
    notes = status_word(row)
    name = " ".join(str(values.get("name") or row.get("raw_name") or "").split())
    number = values.get("number") or row.get("customer") or TEXT["new"]
    cells = [str(row["line"]), str(number), _cut(name, NAME_WIDTH), _cut(notes, NOTE_WIDTH),
             values.get("postcode", ""), values.get("city", ""), format_vat(values.get("vat_number", "")),
             format_iban(values.get("iban", ""))]
    texts = [Text(str(cell)) for cell in cells]
    if row["errors"] or row["blocked"] or row.get("action") == "duplicate":
        texts[3].stylize("bold")
    return texts


def _cut(text: str, width: int) -> str:
    """Text within width characters (… when cut): the report file holds it all."""
    return text if len(text) <= width else text[: width - 1] + "…"


class ImportScreen(TranslatedBindings, Screen[None]):
    """Type a path, Enter shows what was detected and the first rows; Ctrl+S imports them (Ctrl+S again is refused
    while it runs)."""

    LOCATION = N_("Beheer › Derde partijen › Klanten › Importeren")
    AUTO_FOCUS = "#import-path"
    BINDINGS = [
        Binding("ctrl+s", "start", N_("Importeren"), id="import_start", tooltip=N_("De rijen van het bestand opslaan")),
        Binding("escape", "close", N_("Terug"), id="import_close", tooltip=N_("Terug naar het vorige scherm")),
        Binding("f1", "app.help", N_("Help"), id="import_help", tooltip=N_("De toetsen van dit scherm")),
    ]
    HELP_NOTES = [(N_("enter (in het pad)"), N_("toont wat gedetecteerd is en de eerste 20 rijen zoals ze bewaard worden"))]
    DEFAULT_CSS = """
    ImportScreen #import-path { margin: 0 0; }
    ImportScreen #import-options { height: auto; }
    ImportScreen #import-options Checkbox { width: auto; }
    ImportScreen #import-options Select { width: 36; }
    ImportScreen #import-detected { height: auto; max-height: 3; padding: 0 1; }
    ImportScreen #import-preview { height: 1fr; }
    ImportScreen #import-detail { height: auto; max-height: 3; padding: 0 1; }
    ImportScreen #import-progress { padding: 0 1; }
    ImportScreen #import-summary { height: auto; max-height: 4; background: $boost; }
    ImportScreen #import-status { padding: 0 1; }
    ImportScreen.-done #import-preview, ImportScreen.-done #import-detail { display: none; }
    ImportScreen.-done #import-summary { height: 1fr; max-height: 100%; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self.started = 0.0
        self.result: dict[str, Any] | None = None
        self.shown_path = ""
        self.shown_rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield Input(placeholder=TEXT["path"], id="import-path")
        with Horizontal(id="import-options"):
            yield TickBox(TEXT["dry_run"], id="import-dry-run")
            yield Select([(_(label), value) for label, value in POLICIES], value="skip", allow_blank=False, id="import-policy")
        yield Static("", id="import-detected", markup=False)
        yield DataTable(id="import-preview", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-detail", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="import-progress")
        with VerticalScroll(id="import-summary", can_focus=True):
            yield Static(TEXT["no_file"], id="import-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The preview's columns."""
        table = self.query_one("#import-preview", DataTable)
        for label, key in COLUMNS:
            table.add_column(_(label), key=key)

    def _status(self, text: str) -> None:
        """The line under the preview."""
        self.query_one("#import-status", Static).update(Text(text))

    @on(Input.Submitted, "#import-path")
    def _path_given(self, event: Input.Submitted) -> None:
        """Enter in the path: read the file's first rows (in a thread)."""
        path = event.value.strip()
        if not path:
            self._status(TEXT["give_path"])
            return
        self.remove_class("-done")
        self._status(TEXT["reading"])
        self._preview(path, self._policy())

    def _policy(self) -> str:
        """The chosen --on-duplicate policy."""
        return str(self.query_one("#import-policy", Select).value)

    @on(Select.Changed, "#import-policy")
    def _policy_changed(self) -> None:
        """Another policy: the preview's statuses follow it (what the import will do changes)."""
        path = self.query_one("#import-path", Input).value.strip()
        if path and self.shown_path == path and not self.running:
            self._preview(path, self._policy())

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def _preview(self, path: str, policy: str) -> None:
        """Ask data/ for the preview; post it back."""
        try:
            self.post_message(Previewed(path, importer.preview(path, limit=PREVIEW_ROWS, on_duplicate=policy)))
        except Exception as problem:  # noqa: BLE001 - a refusal, or unexpected (logged): one sentence
            self.post_message(Previewed(path, None, explain(problem)))

    @on(Previewed)
    def _show_preview(self, message: Previewed) -> None:
        """Fill the table with the rows as they will be stored."""
        table = self.query_one("#import-preview", DataTable)
        table.clear()
        detected = self.query_one("#import-detected", Static)
        if message.preview is None:
            detected.update(Text(""))
            self._status(message.problem)
            self.notify(message.problem, title=TEXT["not_read"], severity="error")
            return
        preview = message.preview
        self.shown_path, self.shown_rows = message.path, preview["rows"]
        lines = [preview["detected"]]
        if preview["unknown"]:
            lines.append(TEXT["unknown"].format(columns=", ".join(preview["unknown"])))
        detected.update(Text("\n".join(lines)))
        for row in preview["rows"]:
            table.add_row(*preview_cells(row))
        self._show_detail(0)
        bad = sum(1 for row in preview["rows"] if row["errors"])
        shown, estimate = len(preview["rows"]), preview["estimated_rows"]
        first = ngettext("Voorbeeld: de eerste {shown} rij, {bad} met fouten;", "Voorbeeld: de eerste {shown} rijen, {bad} met fouten;",
                         shown).format(shown=shown, bad=bad)
        rest = ngettext("ongeveer {estimate} rij in het bestand. Ctrl+S importeert.",
                        "ongeveer {estimate} rijen in het bestand. Ctrl+S importeert.", estimate).format(estimate=estimate)
        self._status(f"{first} {rest}")

    @on(DataTable.RowHighlighted, "#import-preview")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted row's whole story under the table."""
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        """Errors, match and warnings of the preview row at index, wrapped (the table cuts them)."""
        rows = self.shown_rows
        self.query_one("#import-detail", Static).update(Text(row_detail(rows[index]) if 0 <= index < len(rows) else ""))

    def action_start(self) -> None:
        """Ctrl+S: import the file in a thread (refused while one runs, or without a path)."""
        path = self.query_one("#import-path", Input).value.strip()
        if self.running:
            self.notify(TEXT["running"], severity="warning")
            return
        if not path:
            self.notify(TEXT["path_first"], severity="warning")
            return
        self.running = True
        self.started = time.monotonic()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self._status(TEXT["importing"])
        dry_run = self.query_one("#import-dry-run", Checkbox).value
        policy = self._policy()
        self._import(path, dry_run, policy, self.app.username)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="import-run", exit_on_error=False)
    def _import(self, path: str, dry_run: bool, policy: str, operator: str) -> None:
        """Run the import; progress and the end come back as messages."""
        last = [0.0]
        began: dict[str, float] = {}

        def moved(phase: str, done: int, total: int) -> None:
            now = time.monotonic()
            began.setdefault(phase, now)  # data/transfer/importer.py reports 0 rows done when a phase begins
            if now - last[0] >= 0.1 or done >= total:  # at most ten updates a second
                last[0] = now
                self.post_message(Moved(phase, done, total, now - began[phase]))

        try:
            result = importer.run_import(path, operator, dry_run=dry_run, on_duplicate=policy, progress=moved)
        except Exception as problem:  # noqa: BLE001 - a refusal, a full disk, or unexpected (logged): one sentence
            self.post_message(Finished(None, explain(problem)))
            return
        self.post_message(Finished(result))

    @on(Moved)
    def _moved(self, message: Moved) -> None:
        """Move the bar and say rows, rate and time left."""
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        self._status(rate_line(message.phase, message.done, message.total, message.seconds))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        """Say what the import did (and where the report is)."""
        self.running = False
        self.result = message.result
        if message.result is None:
            self._status(message.problem)
            self.notify(message.problem, title=TEXT["not_imported"], severity="error")
            return
        result = message.result
        self._status(importer.describe(result))
        self.add_class("-done")  # the summary takes the preview's room, and scrolls
        self.query_one("#import-summary", VerticalScroll).focus()
        stored = result["stored"]
        counts = {name: result[name] for name in ("created", "updated", "skipped", "invalid")}
        if result["dry_run"]:
            title = TEXT["dry_run_title"]
            summary = TEXT["dry_summary"] + " " + ngettext(
                "{created} klant zou aangemaakt worden, {updated} bijgewerkt, {skipped} dubbel overgeslagen.",
                "{created} klanten zouden aangemaakt worden, {updated} bijgewerkt, {skipped} dubbel overgeslagen.",
                result["created"]).format(**counts)
        else:
            title = TEXT["imported" if stored else "nothing"]
            summary = ngettext("{created} klant aangemaakt, {updated} bijgewerkt, {skipped} dubbel overgeslagen, "
                               "{invalid} ongeldig.",
                               "{created} klanten aangemaakt, {updated} bijgewerkt, {skipped} dubbel overgeslagen, "
                               "{invalid} ongeldig.",
                               result["created"]).format(**counts) if stored else result["reason"]
        self.notify(summary, title=title, severity="information" if stored or result["dry_run"] else "warning")
        search = app_of(self).search_screen()
        if stored and search is not None:
            search.refresh_results()

    def action_close(self) -> None:
        """Escape: back, but not while an import runs (it must be seen to end)."""
        if self.running:
            self.notify(TEXT["wait"], severity="warning")
            return
        self.dismiss(None)
