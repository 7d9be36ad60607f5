"""A read-only look at an SQLite file before the log-in: the stored language of an operator (for --help)."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def stored_language(path: Path, operator: str | None, account: str) -> str | None:
    """staff.language of `operator` (or of the operator mapped to OS `account`); None when unreadable or absent.

    No migration, no write, a short busy timeout: a file that is not (yet) a Klantbeheer database gives None.
    """
    if operator:
        query = "SELECT language FROM staff WHERE username = ?", (operator,)
    else:
        query = ("SELECT language FROM staff WHERE os_user = ? OR (username = ? AND os_user = '') "
                 "ORDER BY os_user DESC", (account, account))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            row = connection.execute(*query).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] else None
