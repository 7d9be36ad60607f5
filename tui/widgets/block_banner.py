"""The banner over a blocked customer's form: reason, since, by whom, until, and the message."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.widgets import Static

from tui.dates import format_moment


@dataclass(frozen=True)
class BlockInfo:
    """What the banner shows; `state` is saved, pending (not yet saved), lifting or lapsed."""

    state: str
    reason: str = ""
    message: str = ""
    since: dt.datetime | None = None
    by: str = ""
    until: dt.date | None = None


def banner_text(info: BlockInfo) -> str:
    """The banner's lines in Dutch, readable without colour (starts with GEBLOKKEERD)."""
    if info.state == "lifting":
        return "GEBLOKKEERD — de blokkering wordt opgeheven bij Bewaren (Ctrl+S)."
    if info.state == "lapsed":
        ended = info.until.strftime("%d-%m-%Y") if info.until else "onbekend"
        return f"Blokkering verlopen op {ended} · Reden was: {info.reason or 'onbekend'} · stopt geen dossiers meer"
    head = {
        "saved": "GEBLOKKEERD",
        "pending": "GEBLOKKEERD (nog niet bewaard — Ctrl+S)",
    }.get(info.state, "GEBLOKKEERD")
    parts = [f"{head} · Reden: {info.reason or 'onbekend'}"]
    if info.since:
        parts.append(f"sinds {format_moment(info.since)}")
    if info.by:
        parts.append(f"door {info.by}")
    parts.append(f"tot {info.until.strftime('%d-%m-%Y')}" if info.until else "tot nader bericht")
    text = " · ".join(parts)
    if info.message:
        text += f"\nBericht: {info.message}"
    return text


class BlockBanner(Static):
    """A bold warning band shown only while the customer is (or is about to be) blocked."""

    DEFAULT_CSS = """
    BlockBanner { height: auto; max-height: 4; width: 100%; padding: 0 1; display: none;
                  background: $error; color: $text; text-style: bold; }
    BlockBanner.shown { display: block; }
    """

    def show_block(self, info: BlockInfo | None) -> None:
        """Show the block details, or hide the banner when there is no block."""
        self.update(banner_text(info) if info else "")
        self.set_class(info is not None, "shown")
