"""Numbered schema migrations; a database is brought to LATEST on open, a newer one refused."""
from __future__ import annotations

from typing import Callable

from peewee import Database

from data.migrations import m0001_initial, m0002_search_index, m0003_search_index_v3, m0004_history_insert_guard, m0005_drafts

Migration = Callable[[Database], None]
MIGRATIONS: list[Migration] = [
    m0001_initial.apply, m0002_search_index.apply, m0003_search_index_v3.apply,
    m0004_history_insert_guard.apply, m0005_drafts.apply,
]
LATEST = len(MIGRATIONS)
