"""The staff guide (docs/handleiding.md and its French and English versions, shipped in the package) in the app."""
from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, MarkdownViewer

from klantbeheer.data.i18n import N_, _, language
from klantbeheer.tui.i18n import TranslatedBindings

# In a checkout this is the repository's docs/; in an installed wheel, klantbeheer/docs/ (see setup.py).
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "handleiding.md"
TRANSLATED = {"fr": GUIDE.with_name("handleiding.fr.md"), "en": GUIDE.with_name("handleiding.en.md")}

TEXT = {
    "missing": N_("De handleiding staat niet bij deze installatie ({path})."),
    "elsewhere": N_("Die pagina staat in de map docs/ van Klantbeheer: {href}"),
}


def guide_path(code: str | None = None) -> Path:
    """The guide in the operator's language (French, English), else the Dutch original."""
    translated = TRANSLATED.get(code or language())
    return translated if translated is not None and translated.is_file() else GUIDE


def guide_text() -> str:
    """The guide's Markdown in the operator's language, or one sentence saying where it should have been."""
    path = guide_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return _(TEXT["missing"]).format(path=path)


class GuideScreen(TranslatedBindings, ModalScreen[None]):
    """The guide, full screen; arrows and PgUp/PgDn scroll, T shows the contents, Escape closes."""

    BINDINGS = [
        Binding("escape,f1", "close", N_("Sluiten"), id="close_guide"),
        Binding("t", "contents", N_("Inhoud"), id="guide_contents"),
    ]
    DEFAULT_CSS = """
    GuideScreen { background: $surface; }
    GuideScreen MarkdownViewer { height: 1fr; }
    GuideScreen MarkdownTableOfContents { width: 34; }
    """

    def compose(self) -> ComposeResult:
        yield MarkdownViewer(guide_text(), show_table_of_contents=False, open_links=False, id="guide")
        yield Footer()

    def on_mount(self) -> None:
        """Keys scroll the text at once."""
        self.query_one("#guide", MarkdownViewer).document.focus()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        """A link within the guide jumps there; one to another page says where that page is."""
        event.stop()
        if event.href.startswith("#"):
            self.query_one("#guide", MarkdownViewer).document.goto_anchor(event.href[1:])
        else:
            self.notify(_(TEXT["elsewhere"]).format(href=event.href), markup=False)

    def action_contents(self) -> None:
        """Show or hide the table of contents (headings, Enter jumps there)."""
        viewer = self.query_one("#guide", MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
        if viewer.show_table_of_contents:
            viewer.table_of_contents.query_one("Tree").focus()
        else:
            viewer.document.focus()

    def action_close(self) -> None:
        """Back to where F1 was pressed."""
        self.dismiss(None)
