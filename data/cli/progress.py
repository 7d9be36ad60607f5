"""Progress bars for long commands on a terminal (Rich, which Textual brings); silent when piped or with --json."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from klantbeheer.data.i18n import _
from klantbeheer.data.progress import Progress


def wanted(json_output: bool) -> bool:
    """True when a bar helps: standard error is a terminal and the output is not JSON."""
    return not json_output and sys.stderr.isatty()


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A callback that draws one bar per phase (counts, rate, time left) on standard error, or None when not enabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}", markup=False), TextColumn(_("nog")), TimeRemainingColumn())
    tasks: dict[str, int] = {}
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:

        def report(what: str, done: int, total: int) -> None:
            """Move the bar of this phase (a new phase gets its own bar)."""
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total or None, rate="")
            task = tasks[what]
            bar.update(task, completed=done, total=total or None)
            speed = bar.tasks[task].speed  # Rich's own estimate over the last updates
            bar.update(task, rate=f"{speed:,.0f}/s".replace(",", ".") if speed else "")

        yield report
