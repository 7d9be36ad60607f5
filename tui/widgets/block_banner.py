"""The banner over a blocked customer's form: reason, since, by whom, until, and the message."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.widgets import Static

from klantbeheer.data.i18n import _, date_text
from klantbeheer.tui.dates import format_moment


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
        return _("GEBLOKKEERD — de blokkering wordt opgeheven bij Bewaren (Ctrl+S).")
    if info.state == "lapsed":
        ended = date_text(info.until) if info.until else _("onbekend")
        return _("Blokkering verlopen op {ended} · Reden was: {reason} · stopt geen dossiers meer").format(
            ended=ended, reason=info.reason or _("onbekend"))
    head = {
        "saved": _("GEBLOKKEERD"),
        "pending": _("GEBLOKKEERD (nog niet bewaard — Ctrl+S)"),
    }.get(info.state, _("GEBLOKKEERD"))
    parts = [_("{head} · Reden: {reason}").format(head=head, reason=info.reason or _("onbekend"))]
    if info.since:
        parts.append(_("sinds {since}").format(since=format_moment(info.since)))
    if info.by:
        parts.append(_("door {who}").format(who=info.by))
    parts.append(_("tot {until}").format(until=date_text(info.until)) if info.until else _("tot nader bericht"))
    text = " · ".join(parts)
    if info.message:
        text += "\n" + _("Bericht: {message}").format(message=info.message)
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
